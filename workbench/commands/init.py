"""`workbench init [DIR] [--git]`: make a new book, the d2l preface by default or a bare one;
with --git, register the PO merge driver in the book's git repository (a book that exists only
gets the driver)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import files, git_driver
from ..builtin import make_book


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="make a new book: a copy of the built-in preface, or a bare one with --empty")
    p.add_argument("folder", nargs="?", default=".", metavar="DIR", help="where (default: the current folder)")
    p.add_argument("--empty", action="store_true", help="a bare book: empty en/ and zh/, a glossary with no terms")
    p.add_argument("--git", action="store_true",
                   help="register the unit-aware merge driver for zh/**/*.po in the git repository "
                        "(.gitattributes and git config; on a book that exists, only that)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = Path(args.folder).resolve()
    exists = (root / "en").exists() or (root / "zh").exists()
    if args.git:
        git_driver.repository(root)  # outside a repository: refused before the book is made
    if not (args.git and exists):
        written = make_book(root, empty=args.empty)
        what = "a bare book" if args.empty else "the d2l preface"
        print(f"made {what} in {root} ({len(written)} files); put English Markdown in en/, then `workbench sync`")
    if args.git:
        with files.book_lock(root, "init --git", wait=2.0):
            done = git_driver.register(root)
        for line in done:
            print(f"added {line}")
        print(f"the unit-aware merge driver is registered for {root / 'zh'}/**/*.po"
              + ("" if done else " (it was already: nothing added)"))
    return 0
