"""`workbench import-translations`: translations from a CAT tool or another PO editor, matched back to pairs."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import add_book, open_book, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import-translations",
        help="bring translations back from XLIFF, TMX or PO (another tool's), matched by English",
        description="Each incoming translation goes to the pair with the same English (and msgctxt) in the "
        "file it names, or in every file when it names none. Untranslated pairs are filled; a pair whose "
        "Chinese differs is reported as a conflict and kept (exit 1) unless --replace.")
    add_book(p)
    p.add_argument("file", metavar="FILE", help="an .xlf/.xliff, .tmx or .po file")
    p.add_argument("--replace", action="store_true",
                   help="let incoming translations replace differing Chinese in the book")
    p.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..exchange import (  # translate-toolkit, only here
        apply_import,
        plan_import,
        read_incoming,
    )

    book = open_book(args, write=True)
    incoming = read_incoming(Path(args.file))
    with book.lock("import-translations"):
        plan = plan_import(book, incoming, replace=args.replace)
        if not args.dry_run:
            apply_import(book, plan)
    if args.json:
        print_json({**plan.as_dict(), "files": [f"zh/{rel}" for rel in plan.changed()], "dry_run": args.dry_run})
    else:
        for c in plan.conflicts:
            print(f"en/{c.rel}:{c.pair.line}: conflict: the book has {c.before!r}, {c.where} has {c.after!r}; "
                  "kept the book's (--replace to take the incoming one)")
        for inc, why in plan.unmatched:
            print(f"{inc.where}: not imported: {why}")
        fill, replace = ("would fill", "would replace") if args.dry_run else ("filled", "replaced")
        print(f"{fill} {len(plan.filled)}, {replace} {len(plan.replaced)}, {len(plan.conflicts)} conflicts, "
              f"{plan.same} already the same, {len(plan.unmatched)} not matched; "
              f"{len(plan.changed())} files {'would be ' if args.dry_run else ''}written")
    return 1 if plan.conflicts else 0
