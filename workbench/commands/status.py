"""`workbench status`: where the translation stands, per file and in total (pairs, as every view counts)."""

from __future__ import annotations

import argparse
import sys

from ..progress import book_progress
from ..store import match
from .common import add_book, named_files, open_book, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="pairs translated, stale and untranslated, per file and in total")
    add_book(p)
    p.add_argument("files", nargs="*", metavar="FILE", help="only these English files")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    book = open_book(args)
    rels = named_files(book, args.files) or book.english_files()
    catalogs = {rel: book.catalog(rel) for rel in rels}  # each PO read once (a whole book's take seconds)
    rows, total = book_progress(book, rels, catalogs)
    # English no pair covers yet is not counted anywhere: say so, as `diff` does
    for rel in rels:
        if book.has_catalog(rel) and any(m.pair is None for m in match(book.document(rel), catalogs[rel])):
            print(f"workbench: en/{rel} has English the store does not know yet; run `workbench sync` first",
                  file=sys.stderr)
    if args.json:
        print_json({"book": str(book.root), "files": [r.as_dict() for r in rows], "total": total.as_dict()})
        return 0
    print(f"book: {book.root}{' (the built-in book, read only)' if book.builtin else ''}")
    width = max([len(r.file) for r in rows] + [5])
    # one column per state (model.State): done = translated, of which reviewed; the rest need work
    print(f"{'file':<{width}}  {'pairs':>6} {'done':>6} {'review':>6} {'settl':>6} {'stale':>6} {'pair?':>6}"
          f" {'confl':>6} {'todo':>6} {'words':>7} {'字':>7}")
    for r in [*rows, total]:
        print(
            f"{r.file:<{width}}  {r.pairs:>6} {r.translated:>6} {r.reviewed:>6} {r.settled:>6} {r.stale:>6} {r.pairing:>6}"
            f" {r.conflicts:>6} {r.untranslated:>6} {r.english_words:>7} {r.chinese_chars:>7}"
        )
    print("done: translated and current (of them, review: reviewed, settl: settled by sync, to glance at); "
          "stale: the English changed; "
          "pair?: check the pairing an import doubted; confl: a conflict, both texts kept; todo: untranslated")
    return 0
