"""`workbench glossary`: import, export, check, extract (discover terms) and review the shared glossary."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from .. import files, glossary
from ..book import Book
from ..checking import book_items
from ..files import printable
from ..model import WorkbenchError
from ..progress import REPORTED, SEVERITIES, Severity, reported
from .common import add_book, named_files, open_book, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("glossary", help="the shared glossary: import, export, check, extract, review")
    gsub = p.add_subparsers(dest="glossary_command", metavar="SUBCOMMAND")
    for add in (_add_import, _add_export, _add_check, _add_extract, _add_review):
        add(gsub)
    p.set_defaults(run=lambda args: _help(p))


def _add_import(gsub: argparse._SubParsersAction) -> None:
    """`glossary import FILE`."""
    q = gsub.add_parser("import", help="add terms from d2l-zh's TERMINOLOGY.md or an OmegaT/Weblate/TBX glossary")
    add_book(q)
    q.add_argument("file", metavar="FILE")
    q.add_argument("--format", choices=("auto", "terminology", "tsv", "omegat", "weblate", "csv", "tbx"), default="auto",
                   help="format of FILE (default: by extension; .md is TERMINOLOGY.md, .txt/.tab/.tsv tab-separated)")
    q.add_argument("--status", choices=glossary.STATUSES, default="approved", help="status of the new terms")
    q.add_argument("--dry-run", action="store_true", help="say what would be added, write nothing")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=run_import)


def _add_export(gsub: argparse._SubParsersAction) -> None:
    """`glossary export --format F`."""
    q = gsub.add_parser("export", help="write the glossary as TBX, CSV (Weblate) or TSV (OmegaT)")
    add_book(q)
    q.add_argument("--format", choices=tuple(glossary.EXPORTERS), required=True)
    q.add_argument("--status", default=None, metavar="S[,S]",
                   help="statuses to export (default: approved, and forbidden for TBX)")
    q.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    q.add_argument("--dry-run", action="store_true", help="say what would be written, write nothing")
    q.set_defaults(run=run_export)


def _add_check(gsub: argparse._SubParsersAction) -> None:
    """`glossary check [FILE...]`."""
    q = gsub.add_parser("check", help="pairs whose Chinese lacks a term's approved translation or uses a forbidden one")
    add_book(q)
    q.add_argument("files", nargs="*", metavar="FILE", help="only these English files")
    q.add_argument("--severity", choices=SEVERITIES, default=REPORTED,
                   help="the least serious findings to show (default warning; info adds single words that may "
                        "stand in another sense, verbs, and each pair of a variant)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=run_check)


def _add_extract(gsub: argparse._SubParsersAction) -> None:
    """`glossary extract`."""
    q = gsub.add_parser("extract", help="propose terms found in the translated book (stored as proposed)")
    add_book(q)
    q.add_argument("--min-count", type=int, default=3, help="pairs a co-occurring phrase needs (default 3)")
    q.add_argument("--limit", type=int, default=0, help="keep only the N proposals seen most often")
    q.add_argument("--dry-run", action="store_true", help="show the proposals, store nothing")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=run_extract)


def _add_review(gsub: argparse._SubParsersAction) -> None:
    """`glossary review`."""
    q = gsub.add_parser("review", help="approve, reject or edit proposed terms, one by one (reads answers on stdin)")
    add_book(q)
    q.add_argument("--dry-run", action="store_true", help="go through the proposals, save nothing")
    q.add_argument("--json", action="store_true", help="print the decisions as JSON at the end")
    q.set_defaults(run=run_review)


def _help(p: argparse.ArgumentParser) -> int:
    p.print_help()
    return 0


# -- import / export ---------------------------------------------------------------------------


def run_import(args: argparse.Namespace) -> int:
    book = open_book(args, write=True)
    path = Path(args.file)
    terms = []
    for t in glossary.read_foreign(path, args.status, args.format):
        problem = glossary.term_problem(t)
        if problem:  # checked before the glossary is touched: such a line would break glossary.tsv
            print(f"workbench: {printable(str(path))}: skipped {t.english!r} -> {t.chinese!r}: {problem}",
                  file=sys.stderr)
        else:
            terms.append(t)
    with book.lock("glossary import"):
        g = glossary.load(book.root)
        outcome: dict[str, list[glossary.Term]] = {"added": [], "kept": [], "conflict": []}
        for t in terms:
            outcome[g.add(t)].append(t)
        glossary.save(book.root, g, dry_run=args.dry_run)
    if args.json:
        print_json({"file": str(path), "terms": len(terms), "dry_run": args.dry_run,
                    **{k: len(v) for k, v in outcome.items()},
                    "conflicts": [{"english": t.english, "chinese": t.chinese, "note": t.note} for t in outcome["conflict"]]})
        return 0
    for t in outcome["conflict"]:
        print(f"conflict: {t.english} -> {t.chinese} ({t.note}); added as proposed")
    verb = "would add" if args.dry_run else "added"
    print(f"{len(terms)} terms read: {verb} {len(outcome['added'])}, {len(outcome['kept'])} already there, "
          f"{len(outcome['conflict'])} conflicts (proposed)")
    return 0


def run_export(args: argparse.Namespace) -> int:
    book = open_book(args)
    g = glossary.load(book.root)
    if args.status:
        statuses = tuple(s.strip() for s in args.status.split(","))
        bad = [s for s in statuses if s not in glossary.STATUSES]
        if bad:
            raise WorkbenchError(f"unknown status {bad[0]!r}; use {', '.join(glossary.STATUSES)}")
    else:
        statuses = ("approved", "forbidden") if args.format == "tbx" else ("approved",)
    text = glossary.EXPORTERS[args.format](g.with_status(*statuses))
    if not args.output:
        sys.stdout.write(text)
        return 0
    n = len(g.with_status(*statuses))
    if args.dry_run:
        print(f"would write {n} terms to {args.output}")
        return 0
    files.write_atomic(Path(args.output), text)
    print(f"wrote {n} terms to {args.output}")
    return 0


# -- check -------------------------------------------------------------------------------------


def book_pairs(book: Book, rels: list[str] | None = None) -> list[glossary.TextPair]:
    """The book's translated pairs (or some files'), as the term check and discovery read them."""
    return [glossary.TextPair(it.file, it.line, it.english, it.chinese, it.en.prose, it.zh.prose,
                              it.en_file, it.en_line) for it in book_items(book, rels)]


def term_findings(book: Book, rels: list[str] | None = None, severity: str = Severity.INFO) -> list[glossary.TermFinding]:
    """The term check over the book's translated pairs (all of them weigh the evidence; `rels`
    limits what is reported), down to `severity`."""
    pairs = book_pairs(book)
    report = {"zh/" + rel for rel in rels} if rels else None
    return reported(glossary.check_terms(pairs, glossary.load(book.root), report), severity)


def run_check(args: argparse.Namespace) -> int:
    book = open_book(args)
    rels = named_files(book, args.files) or None
    findings = term_findings(book, rels, args.severity)
    if args.json:
        print_json({"findings": [f.as_dict() for f in findings]})
    else:
        for f in findings:
            print(f"{f.file}:{f.line}: {f.severity}: {f.message} ({f.en_file}:{f.en_line})")
        counts = Counter(f.severity for f in findings)
        by = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
        print(f"{len(findings)} term problems" + (f" ({by})" if by else "")
              + ("" if args.severity == Severity.INFO else "; --severity info shows the doubtful ones too"))
    return 1 if any(f.severity in (Severity.ERROR, Severity.WARNING) for f in findings) else 0


# -- extract / review --------------------------------------------------------------------------


def run_extract(args: argparse.Namespace) -> int:
    book = open_book(args, write=True)
    items = book_pairs(book)
    with book.lock("glossary extract"):
        g = glossary.load(book.root)
        props = glossary.extract(items, g, min_cooccur=args.min_count)
        if args.limit:
            props = props[: args.limit]
        for p in props:
            where = ", ".join(f"{e.file}:{e.line}" for e in p.examples)
            g.add(glossary.Term(p.english, p.chinese, "proposed", f"{p.how}, {p.count} pairs, e.g. {where}"))
        glossary.save(book.root, g, dry_run=args.dry_run)
    if args.json:
        print_json({"proposals": [p.as_dict() for p in props], "dry_run": args.dry_run})
        return 0
    for p in props:
        print(f"{p.english} -> {p.chinese}  ({p.how}, {p.count} pairs)")
        for e in p.examples:
            print(f"    {e.file}:{e.line}: {_short(e.english)} | {_short(e.chinese)}")
    verb = "would store" if args.dry_run else "stored"
    print(f"{verb} {len(props)} proposals as proposed in {glossary.GLOSSARY_FILE.as_posix()}")
    return 0


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


_ANSWERS = {"a": "approve", "approve": "approve", "y": "approve", "r": "reject", "reject": "reject",
            "n": "reject", "e": "edit", "edit": "edit", "s": "skip", "skip": "skip", "": "skip",
            "q": "quit", "quit": "quit"}


def run_review(args: argparse.Namespace) -> int:
    """Each answer is saved as it is given, under the book's lock for that one write only: the
    lock is not held while waiting for the translator, and Ctrl-C or the end of input keeps
    every answer given so far."""
    book = open_book(args, write=True)
    todo = glossary.load(book.root).with_status("proposed")
    decisions: list[dict[str, str]] = []
    interactive = sys.stdin.isatty()
    # the walk-through goes to stderr when stdout carries JSON
    say = sys.stderr if args.json else sys.stdout
    interrupted = False
    try:
        for n, t in enumerate(todo, 1):
            g = glossary.load(book.root)  # as it is now: another writer may have changed it
            print(f"[{n}/{len(todo)}] {t.english} -> {t.chinese}" + (f"   ({t.note})" if t.note else ""), file=say)
            for o in g.find(t.english):
                if o.chinese != t.chinese and o.status in ("approved", "forbidden"):
                    print(f"    glossary already has: {o.chinese} ({o.status})", file=say)
            decision = _ask_decision(t, g, interactive, say)
            if decision is None:
                break
            status, chinese = decision
            if status == "skip":
                continue
            if not args.dry_run:
                problem = _save_decision(book, t, status, chinese)
                if problem:
                    print(f"    {problem}; not saved", file=say)
                    continue
            decisions.append({"english": t.english, "chinese": chinese, "status": status})
    except KeyboardInterrupt:
        interrupted = True
        print(file=say)
    left = len(glossary.load(book.root).with_status("proposed"))
    if args.json:
        print_json({"decisions": decisions, "dry_run": args.dry_run, "interrupted": interrupted})
    else:
        verb = "would be saved" if args.dry_run else "saved"
        print(f"{len(decisions)} decisions {verb}; {left} proposals left")
    return 130 if interrupted else 0


def _ask_decision(t: glossary.Term, g: glossary.Glossary, interactive: bool, say: TextIO) -> tuple[str, str] | None:
    """The translator's decision on one proposal: (status or "skip", Chinese); None to stop.

    A typo, an empty or unsavable Chinese (a tab), or a Chinese the glossary already has for
    this English: said, and asked again.
    """
    while True:
        answer = _ask("approve, reject, edit, skip or quit [a/r/e/s/q]? ", interactive)
        action = None if answer is None else _ANSWERS.get(answer.lower())
        if answer is None or action == "quit":
            return None
        if action is None:
            print(f"    not an answer: {answer!r}; type a, r, e, s or q", file=say)
            continue
        if action == "skip":
            return "skip", t.chinese
        if action != "edit":
            return ("approved" if action == "approve" else "rejected"), t.chinese
        raw = _ask("Chinese: ", interactive, strip=False)
        if raw is None:
            return None
        new = raw.strip(" \u3000")
        problem = glossary.term_problem(glossary.Term(t.english, new, "approved", t.note))
        if not problem and new != t.chinese and g.find(t.english, new):
            problem = f"the glossary already has {t.english} -> {new}; reject this proposal instead"
        if problem:
            print(f"    {problem}; answer again", file=say)
            continue
        return "approved", new


def _save_decision(book: Book, t: glossary.Term, status: str, chinese: str) -> str | None:
    """Write one decision to glossary.tsv under a short lock; a reason when it cannot be applied."""
    with book.lock("glossary review"):
        g = glossary.load(book.root)
        same = [o for o in g.find(t.english, t.chinese) if o.status == "proposed"]
        if not same:
            return f"{t.english} -> {t.chinese} is no longer a proposal in the glossary (changed meanwhile)"
        if chinese != t.chinese and g.find(t.english, chinese):
            return f"the glossary now has {t.english} -> {chinese} (added meanwhile)"
        same[0].status, same[0].chinese = status, chinese
        glossary.save(book.root, g)
    return None


def _ask(prompt: str, interactive: bool, strip: bool = True) -> str | None:
    """One answer from standard input; None at its end. Prompts go to stderr when piped."""
    out = sys.stdout if interactive else sys.stderr
    out.write(prompt)
    out.flush()
    line = sys.stdin.readline()
    if not line:
        return None
    if not interactive:
        out.write(line)
    line = line.rstrip("\r\n")
    return line.strip() if strip else line
