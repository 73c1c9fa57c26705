"""`workbench review`: mark the translated pairs of files reviewed (the second step of a team's work)."""

from __future__ import annotations

import argparse

from ..review import apply_review, plan_review
from .common import add_book, named_files, open_book, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review",
        help="mark the translated pairs of files reviewed (editing a translation later un-reviews it)",
        description="Mark every translated, not stale pair of the named files reviewed. The mark is kept "
        "in the PO as `#. reviewed: MARK` (msgcat, translate-toolkit and Poedit keep it); a later edit of "
        "the Chinese, in any tool, makes the pair translated again.",
    )
    add_book(p)
    p.add_argument("files", nargs="+", metavar="FILE", help="English files (en/PATH.md, PATH.md or zh/PATH.po)")
    p.add_argument("--no-findings", action="store_true",
                   help="only the pairs in which no QA check (`workbench check`) finds anything")
    p.add_argument("--pairings", action="store_true",
                   help="also accept and review the pairs whose pairing the import doubted (`workbench diff` "
                   "lists them under 'check the pairing'); without it they are left for a reader to check")
    p.add_argument("--dry-run", action="store_true", help="say what would be marked, write nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    book = open_book(args, write=True)
    rels = named_files(book, args.files)
    with book.lock("review"):
        plan = plan_review(book, rels, no_findings=args.no_findings, pairings=args.pairings)
        if not args.dry_run:
            apply_review(book, plan)
    if args.json:
        print_json({"files": [fr.as_dict() for fr in plan], "dry_run": args.dry_run})
        return 0
    verb = "would mark" if args.dry_run else "marked"
    for fr in plan:
        for p in fr.findings:
            print(f"en/{fr.rel}:{p.line}: not reviewed: QA finds something in this pair (`workbench check`)")
        print(f"en/{fr.rel}: {verb} {len(fr.marked)} reviewed ({fr.already} already, "
              f"{len(fr.findings)} with findings, {fr.unfinished} to finish first: stale, untranslated, "
              "in conflict or with a doubted pairing)")
    return 0
