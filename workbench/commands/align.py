"""`workbench align EN.md ZH.md`: pair the passages of an English file with those of its Chinese translation."""

from __future__ import annotations

import argparse
import json
import sys

from ..align import align_documents
from ..align.confidence import REVIEW_BELOW
from ..book import Book
from ..files import read_text
from ..importer import book_dictionary
from ..markdown import segment
from ..model import WorkbenchError
from .common import add_book


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "align", help="align an English file with its Chinese translation into beads",
        description="Pair the passages of EN.md with the passages of ZH.md that translate them (beads "
        "1:1, 1:2, 2:1, n:m, 1:0, 0:1), each with a confidence. Exit 1 when the Chinese does not "
        "seem to translate the English.")
    p.add_argument("english", metavar="EN.md")
    p.add_argument("chinese", metavar="ZH.md")
    p.add_argument("--json", action="store_true",
                   help='print {"beads": [{"en_lines": [[s, e]], "zh_lines": [[s, e]], "score": 0.93}]}')
    p.add_argument("--no-glossary", action="store_true", help="do not use the book's glossary as a dictionary")
    add_book(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    en_text = read_text(args.english)
    zh_text = read_text(args.chinese)
    en_doc = segment(en_text, args.english)
    zh_doc = segment(zh_text, args.chinese)
    dictionary = None
    if not args.no_glossary:
        if args.book:
            dictionary = book_dictionary(Book.open(args.book))
        else:
            try:  # the book here, or the built-in one, lends its glossary; none is needed
                dictionary = book_dictionary(Book.open(args.book))
            except WorkbenchError:
                dictionary = None
    result = align_documents(en_doc, zh_doc, dictionary)
    for w in result.warnings:
        print(f"workbench: {args.chinese}: warning: {w}", file=sys.stderr)
    problems = 1 if result.warnings else 0
    if args.json:
        sys.stdout.write(json.dumps(result.as_json()) + "\n")
        return problems
    en_lines = en_text.splitlines()
    zh_lines = zh_text.splitlines()
    width = 56
    for b in result.beads:
        e = _excerpt(en_lines, [result.en[i] for i in b.en], width)
        z = _excerpt(zh_lines, [result.zh[j] for j in b.zh], width // 2)
        es = f"{result.en[b.en[0]].start}-{result.en[b.en[-1]].end}" if b.en else "-"
        zs = f"{result.zh[b.zh[0]].start}-{result.zh[b.zh[-1]].end}" if b.zh else "-"
        mark = "?" if b.score < REVIEW_BELOW else " "
        print(f"{mark}{b.score:4.2f} {len(b.en)}:{len(b.zh)} {es:>9} {e:<{width}} | {zs:>9} {z}")
    paired = sum(1 for b in result.beads if b.en and b.zh)
    print(f"{len(result.beads)} beads, {paired} paired, mean confidence {result.confidence:.2f}; "
          f"'?' marks beads below {REVIEW_BELOW} to check")
    return problems


def _excerpt(lines: list[str], ps: list, width: int) -> str:
    """The start of a bead's text on one line, cut to fit a column (Chinese counts double)."""
    if not ps:
        return ""
    text = " ".join(" ".join(lines[ps[0].start - 1 : ps[-1].end]).split())
    out, used = [], 0
    for ch in text:
        w = 2 if ord(ch) > 0x2E7F else 1
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out)
