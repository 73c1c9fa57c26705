"""`workbench tui [BOOK]` (and `workbench` alone): the translator's terminal UI."""

from __future__ import annotations

import argparse

from ..book import Book
from ..model import WorkbenchError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tui", help="open the translator's terminal UI on a book (the default command)")
    p.add_argument("book_dir", nargs="?", metavar="BOOK",
                   help="book folder (default: the current folder, else the built-in book)")
    p.add_argument("--book", metavar="PATH", help="book folder, as for the other commands")
    p.add_argument("--no-checks", action="store_true", help="do not run the QA checks in the background")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.book_dir and args.book and args.book_dir != args.book:
        raise WorkbenchError("name the book once: either BOOK or --book")
    book = Book.open(args.book_dir or args.book)
    # textual is imported here, not at the top: the CLI's other commands never load it
    from ..tui.app import WorkbenchApp

    app = WorkbenchApp(book, run_checks=not args.no_checks)
    return app.run() or 0
