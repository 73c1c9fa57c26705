"""`workbench render`: write zh/*.md from en/ and zh/*.po, merging hand edits of zh/*.md first."""

from __future__ import annotations

import argparse

from .common import add_book, named_files, open_book, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="render the Chinese edition zh/*.md (hand edits go back into the PO)")
    add_book(p)
    p.add_argument("files", nargs="*", metavar="FILE", help="only these English files")
    p.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0; 1 when a unit was edited both in the PO and in zh/*.md (a conflict, both kept);
    2 when anything is refused, with every file as it was."""
    book = open_book(args, write=True)
    rels = named_files(book, args.files) or book.english_files()
    with book.lock("render"):
        # every file is read, merged and validated before the first write
        plans = [book.plan_save(rel, book.catalog(rel)) for rel in rels]
        if not args.dry_run:
            book.apply(plans)
    if args.json:
        print_json({"files": [
            {"file": r.path, "changed": r.changed,
             "taken_back": [{"line": t.line, "before": t.before, "after": t.after} for t in r.taken_back],
             "conflicts": [{"line": c.line, "po": c.pair.chinese, "hand": c.hand} for c in r.conflicts]}
            for r in plans]})
        return 1 if any(r.conflicts for r in plans) else 0
    verb = "would write" if args.dry_run else "wrote"
    for r in plans:
        for t in r.taken_back:
            print(f"{r.path}:{t.line}: hand edit taken back into the PO")
        for c in r.conflicts:
            print(c.told(r.path))
        if r.changed:
            print(f"{verb} {r.path}")
    print(f"{sum(r.changed for r in plans)} of {len(plans)} files {'need' if args.dry_run else 'were'} rendered")
    return 1 if any(r.conflicts for r in plans) else 0
