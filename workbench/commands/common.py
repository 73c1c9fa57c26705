"""Pieces every command shares: the --book option, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..book import Book


def add_book(p: argparse.ArgumentParser) -> None:
    """--book PATH: the book folder (default: the current folder, else the built-in book)."""
    p.add_argument("--book", metavar="PATH", help="book folder (default: current folder, else the built-in book)")


def open_book(args: argparse.Namespace) -> Book:
    return Book.open(getattr(args, "book", None))


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
