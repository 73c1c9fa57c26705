"""`workbench render`: write zh/*.md from en/ and zh/*.po, taking hand edits of zh/*.md back first."""

from __future__ import annotations

import argparse

from .common import add_book, open_book, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="render the Chinese edition zh/*.md (hand edits go back into the PO)")
    add_book(p)
    p.add_argument("files", nargs="*", metavar="FILE", help="only these English files")
    p.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    book = open_book(args, write=True)
    rels = [book.rel(f) for f in args.files] or book.english_files()
    results = []
    with book.lock("render"):
        # everything is read and checked before the first write
        plans = [(rel, book.catalog(rel)) for rel in rels]
        for rel, catalog in plans:
            results.append(book.save(rel, catalog, dry_run=args.dry_run))
    if args.json:
        print_json({"files": [
            {"file": r.path, "changed": r.changed,
             "taken_back": [{"line": t.line, "before": t.before, "after": t.after} for t in r.taken_back]}
            for r in results]})
        return 0
    verb = "would write" if args.dry_run else "wrote"
    for r in results:
        for t in r.taken_back:
            print(f"{r.path}:{t.line}: hand edit taken back into the PO")
        if r.changed:
            print(f"{verb} {r.path}")
    print(f"{sum(r.changed for r in results)} of {len(results)} files {'need' if args.dry_run else 'were'} rendered")
    return 0
