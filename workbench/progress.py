"""Counting where a book stands: units, translated, stale, untranslated, words."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .book import Book
from .model import Status, count_words
from .store import match


@dataclass(slots=True)
class Progress:
    """Counts for one file or a whole book."""

    file: str
    units: int = 0
    translated: int = 0
    reviewed: int = 0
    """Of the translated units, those whose pair is reviewed (see review.py)."""
    stale: int = 0
    untranslated: int = 0
    english_words: int = 0
    chinese_chars: int = 0

    def add(self, other: Progress) -> None:
        for name in ("units", "translated", "reviewed", "stale", "untranslated", "english_words", "chinese_chars"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int | str]:
        return asdict(self)


def file_progress(book: Book, rel: str) -> Progress:
    """Counts for en/PATH.md: every translatable unit once (a pair over several units counts each)."""
    doc = book.document(rel)
    catalog = book.catalog(rel)
    out = Progress(f"en/{rel}")
    for m in match(doc, catalog):
        unit = doc.units[m.unit]
        out.units += 1
        out.english_words += count_words(unit.source)
        status = m.pair.status if m.pair else Status.UNTRANSLATED
        if status is Status.CURRENT:
            out.translated += 1
            out.reviewed += bool(m.pair and m.pair.reviewed)
        elif status is Status.STALE:
            out.stale += 1
        else:
            out.untranslated += 1
        if m.pair and m.head:
            out.chinese_chars += count_words(m.pair.chinese, chinese=True)
    return out


def book_progress(book: Book, files: list[str] | None = None) -> tuple[list[Progress], Progress]:
    """Per-file counts and the total."""
    rows = [file_progress(book, rel) for rel in (files or book.english_files())]
    total = Progress("total")
    for r in rows:
        total.add(r)
    return rows, total
