"""`workbench init [DIR]`: make a new book, the d2l preface by default or a bare one."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..builtin import make_book


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="make a new book: a copy of the built-in preface, or a bare one with --empty")
    p.add_argument("folder", nargs="?", default=".", metavar="DIR", help="where (default: the current folder)")
    p.add_argument("--empty", action="store_true", help="a bare book: empty en/ and zh/, a glossary with no terms")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = Path(args.folder).resolve()
    written = make_book(root, empty=args.empty)
    what = "a bare book" if args.empty else "the d2l preface"
    print(f"made {what} in {root} ({len(written)} files); put English Markdown in en/, then `workbench sync`")
    return 0
