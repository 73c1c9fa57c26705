"""Each file's counts remembered between sessions (.workbench/counts.json), so that a book of 180
files shows its counts at once on opening; a file whose PO changed since (its size or its
modification time) is counted again. Only a cache: when it is missing, unreadable, written by
other code or cannot be written, everything is counted as if it were not there.
"""

from __future__ import annotations

import functools
import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from .. import files, model, progress, store
from ..book import Book
from ..model import WorkbenchError
from ..progress import Progress

#: .workbench/NAME (ignored by git, like the sync's cache).
NAME = "counts.json"
#: The counted fields: a cache written by a version that counted others is not used.
FIELDS = sorted(f.name for f in fields(Progress) if f.name not in ("file", "findings"))


@functools.cache
def code_version() -> str:
    """A hash of the code the counts come from (the pair states, the PO readers, the counting):
    counts remembered by other code are not used."""
    return files.code_version(model, store, progress)


def stamp(path: Path) -> list[int] | None:
    """What tells that a PO changed: its size and modification time (None: no such file)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def load(book: Book) -> dict[str, dict[str, Any]]:
    """The remembered counts by file (en/-relative path): {"stamp": ..., "counts": {...}}."""
    try:
        data = json.loads(book.state(NAME) or "{}")
    except ValueError:
        return {}
    if (not isinstance(data, dict) or data.get("fields") != FIELDS or data.get("code") != code_version()
            or not isinstance(data.get("files"), dict)):
        return {}
    return data["files"]


def remembered(entry: dict[str, Any] | None, now: list[int] | None, file: str) -> Progress | None:
    """The counts remembered for a file whose PO has the stamp `now`, if they are still true."""
    if entry is None or now is None or entry.get("stamp") != now:
        return None
    try:
        return Progress(file, **{name: int(entry["counts"][name]) for name in FIELDS})
    except (KeyError, TypeError, ValueError):
        return None


def entry(now: list[int], progress: Progress) -> dict[str, Any]:
    """What is remembered of one file."""
    return {"stamp": now, "counts": {name: getattr(progress, name) for name in FIELDS}}


def save(book: Book, files: dict[str, dict[str, Any]]) -> bool:
    """Remember the counts (under the book's lock; nothing written when they are as remembered).
    False when they could not be written (a read-only or built-in book, another writer): the
    next session counts again."""
    text = json.dumps({"fields": FIELDS, "code": code_version(), "files": files}, sort_keys=True)
    if text == book.state(NAME):
        return True
    try:
        with book.lock("workbench tui (remembering counts)"):
            book.write_state(NAME, text)
    except WorkbenchError:
        return False
    return True
