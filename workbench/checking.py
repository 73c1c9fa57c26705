"""Checking a book's translations: the QA checks (workbench/qa/) run over the documents a Book
gives them, file by file, with what the whole book knows."""

from __future__ import annotations

from collections.abc import Iterable

from . import qa
from .book import Book


def book_facts(book: Book, rels: list[str] | None = None) -> qa.Facts:
    """Labels and role targets of every English file of the book (references cross files, so
    `rels` does not narrow them)."""
    return qa.english_facts(book.english(rel) for rel in book.english_files())


def file_items(book: Book, rel: str, stale: bool = False) -> list[qa.Item]:
    """The translated pairs of one file, each with where its Chinese starts in zh/PATH.md."""
    if not book.has_catalog(rel):
        return []
    return qa.place(book.document(rel), book.catalog(rel), rel, book.chinese(rel), book.base(rel), stale)


def book_items(book: Book, rels: list[str] | None = None, stale: bool = False) -> list[qa.Item]:
    """The translated pairs of the book (or of some files), placed."""
    out: list[qa.Item] = []
    for rel in rels or book.english_files():
        out.extend(file_items(book, rel, stale))
    return out


def check_book(book: Book, rels: list[str] | None = None, only: Iterable[str] | None = None) -> list[qa.Finding]:
    """Every check (or the ones named) over the translated pairs of a book (or of some files)."""
    files = rels or book.english_files()
    items = book_items(book, files)
    facts = book_facts(book, files)
    facts.ratio = qa.median_ratio(items)
    return qa.run(items, facts, only)
