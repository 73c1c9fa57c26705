"""Pieces every command shares: the --book option, JSON output, the progress bar over files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from ..book import Book


def add_book(p: argparse.ArgumentParser) -> None:
    """--book PATH: the book folder (default: the current folder)."""
    p.add_argument("--book", metavar="PATH", help="book folder (default: the current folder)")


def open_book(args: argparse.Namespace, write: bool = False) -> Book:
    """The book a command works on; `write` for a command that writes (refused outside a book).

    A reading command outside a book reads the built-in book, and says so on stderr.
    """
    named = getattr(args, "book", None)
    book = Book.open(named, write=write)
    if book.builtin:
        print(f"workbench: reading the built-in book (the d2l preface, read only) at {book.root}; "
              "`workbench init DIR` makes a copy of your own", file=sys.stderr)
    elif named is None and book.root != Path.cwd().resolve():
        print(f"workbench: no book here; reading your copy of the built-in book at {book.root}", file=sys.stderr)
    return book


def named_files(book: Book, names: list[str]) -> list[str]:
    """The English files a command's FILE arguments name (book.rel), each once however often or
    however it is named (en/x.md, x.md, zh/x.po): a file named twice is not counted twice."""
    return list(dict.fromkeys(book.rel(f) for f in names))


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


class ProgressBar:
    """A plain progress bar over files on stderr, redrawn in place on a terminal (import, export)."""

    WIDTH = 30

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.drawn = False

    @classmethod
    def on_terminal(cls) -> ProgressBar | None:
        """A bar on stderr when it is a terminal; None when it is not (a log, a pipe)."""
        return cls(sys.stderr) if sys.stderr.isatty() else None

    def __call__(self, stage: str, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        self.out.write(f"\r{stage:<8} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} files")
        self.out.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.out.write("\r" + " " * (self.WIDTH + 40) + "\r")
            self.out.flush()
