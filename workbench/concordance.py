"""Concordance: every pair whose English or Chinese holds a text (or matches a regular expression).

One home for search: `workbench search` and the TUI's search screen both call `search`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .book import Book
from .model import Pair, WorkbenchError, normalize


@dataclass(slots=True)
class Hit:
    """A pair found by search."""

    rel: str
    """The English file, relative to en/."""
    index: int
    """Position of the pair among the file's active pairs."""
    pair: Pair
    """The pair itself."""

    def as_dict(self) -> dict[str, object]:
        """The record `workbench search --json` prints."""
        return {"file": f"en/{self.rel}", "line": self.pair.line, "english": self.pair.english,
                "chinese": self.pair.chinese}


def matcher(query: str, regex: bool = False) -> Callable[[str], bool] | None:
    """A test for one text, or None for an empty query. Plain text ignores case and spacing;
    a regular expression (Python syntax) ignores case. A bad expression is refused (exit 2)."""
    if regex:
        if not query:
            return None
        try:
            pattern = re.compile(query, re.IGNORECASE)
        except re.error as e:
            raise WorkbenchError(f"not a regular expression: {e}; write it in Python's syntax") from None
        return lambda text: pattern.search(text) is not None
    needle = normalize(query).casefold()
    if not needle:
        return None
    return lambda text: needle in text.casefold()


def search(files: Iterable[tuple[str, list[Pair]]], query: str, regex: bool = False,
           limit: int | None = None) -> tuple[list[Hit], int]:
    """Pairs whose English or Chinese matches the query, in book order (at most `limit` of
    them), and how many match in all. `files` gives each file's active pairs."""
    test = matcher(query, regex)
    hits: list[Hit] = []
    count = 0
    if test is None:
        return hits, 0
    for rel, pairs in files:
        for i, p in enumerate(pairs):
            # the Chinese folded like the English keys are: a phrase across a line break is found
            if test(p.english) or test(normalize(p.chinese)):
                count += 1
                if limit is None or len(hits) < limit:
                    hits.append(Hit(rel, i, p))
    return hits, count


def search_book(book: Book, query: str, regex: bool = False, rels: list[str] | None = None) -> list[Hit]:
    """Every hit in the book's files (or the ones named)."""
    files = ((rel, book.catalog(rel).active) for rel in (rels or book.english_files()))
    return search(files, query, regex)[0]
