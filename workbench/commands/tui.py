"""`workbench tui [BOOK]` (and `workbench` alone): the translator's terminal UI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import builtin
from ..book import Book
from ..model import WorkbenchError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tui", help="open the translator's terminal UI on a book (the default command)")
    p.add_argument("book_dir", nargs="?", metavar="BOOK",
                   help="book folder (default: the current folder, else your own copy of the built-in book)")
    p.add_argument("--book", metavar="PATH", help="book folder, as for the other commands")
    p.add_argument("--no-checks", action="store_true", help="do not run the QA checks in the background")
    p.set_defaults(run=run)


def choose_book(named: str | None) -> Book:
    """The book the TUI opens: the one named, the current folder when it is a book, else the
    user's own copy of the built-in preface (made on first run; the built-in book is never
    written in place)."""
    if named is None and not (Path.cwd() / "en").is_dir():
        named = str(builtin.user_copy())
    book = Book.open(named)
    if book.builtin:
        book = Book.open(builtin.user_copy())
    return book


def run(args: argparse.Namespace) -> int:
    if args.book_dir and args.book and args.book_dir != args.book:
        raise WorkbenchError("name the book once: either BOOK or --book")
    named = args.book_dir or args.book
    if named:
        Book.open(named)  # a folder that is no book is told so first
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise WorkbenchError("the translator's UI needs a terminal; without one, `workbench status` shows the "
                             "book's state and `workbench --help` lists the other commands")
    book = choose_book(named)
    if book.root == builtin.user_copy_path().resolve():
        print(f"workbench: your copy of the built-in book: {book.root}", file=sys.stderr)
    # textual is imported here, not at the top: the CLI's other commands never load it
    from ..tui.app import WorkbenchApp

    app = WorkbenchApp(book, run_checks=not args.no_checks)
    return app.run() or 0
