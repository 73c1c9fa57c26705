"""`workbench search`: a concordance, every pair whose English or Chinese holds a text."""

from __future__ import annotations

import argparse

from ..concordance import search_book
from ..files import terminal_safe
from .common import add_book, open_book, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="every pair whose English or Chinese holds TEXT (a concordance)",
                       description="Search the English and the Chinese of every pair. Plain text ignores "
                       "case and spacing; with --regex, TEXT is a Python regular expression (case ignored).")
    add_book(p)
    p.add_argument("text", metavar="TEXT")
    p.add_argument("files", nargs="*", metavar="FILE", help="only these English files")
    p.add_argument("--regex", action="store_true", help="TEXT is a regular expression")
    p.add_argument("--json", action="store_true", help='{"hits": [{"file", "line", "english", "chinese"}]}')
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    book = open_book(args)
    hits = search_book(book, args.text, args.regex, [book.rel(f) for f in args.files] or None)
    if args.json:
        print_json({"hits": [h.as_dict() for h in hits]})
        return 0
    for h in hits:
        print(terminal_safe(f"en/{h.rel}:{h.pair.line}: {h.pair.english}"))
        print(terminal_safe(f"    {h.pair.chinese or '(untranslated)'}"))
    print(f"{len(hits)} pair{'s' if len(hits) != 1 else ''} found")
    return 0
