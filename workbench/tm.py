"""Translation memory: the book's own translated pairs, searched by fuzzy match (rapidfuzz)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .model import Pair


@dataclass(slots=True, frozen=True)
class Suggestion:
    """A translation the book already has for similar English."""

    score: float
    """Similarity of the English, 0-100."""
    english: str
    """The English that was translated."""
    chinese: str
    """Its translation."""
    source: str
    """Where it is: en/PATH.md:LINE."""


class Memory:
    """Every translated pair of a book, for suggestions."""

    def __init__(self, entries: list[tuple[Pair, str]]) -> None:
        # one entry per distinct English: the first translation found wins
        seen: dict[str, tuple[Pair, str]] = {}
        for pair, source in entries:
            if pair.chinese and not pair.stale:
                seen.setdefault(pair.english, (pair, source))
        self._english = list(seen)
        self._entries = list(seen.values())

    def __len__(self) -> int:
        return len(self._english)

    @classmethod
    def from_catalogs(cls, catalogs: list[tuple[str, list[Pair]]]) -> Memory:
        """From (English file, pairs) lists; obsolete pairs count too: their translations are real."""
        return cls([(p, f"{src}:{p.line}") for src, pairs in catalogs for p in pairs])

    def suggest(self, english: str, limit: int = 5, cutoff: float = 60.0, exclude: str | None = None) -> list[Suggestion]:
        """The closest translated English, best first (the English itself is left out if `exclude`)."""
        if not self._english:
            return []
        # numpy (which cdist answers in) on first use, in the worker that searches: importing it
        # takes a third of a second the TUI's start need not wait for
        import numpy  # noqa: PLC0415
        # cdist, not process.extract: it lets go of the GIL while it compares, so the TUI's thread
        # keeps drawing while a worker searches the book (extract held it for the whole search)
        scores = process.cdist([english], self._english, scorer=fuzz.ratio, score_cutoff=cutoff,
                               dtype=numpy.float64, workers=1)[0]
        found = numpy.flatnonzero(scores >= cutoff) if cutoff > 0 else numpy.arange(len(scores))
        # best first; equal scores in the book's order (as extract gives them)
        best = found[numpy.argsort(-scores[found], kind="stable")][: limit + 1]
        out = []
        for k in best.tolist():
            text = self._english[k]
            if exclude is not None and text == exclude:
                continue
            pair, source = self._entries[k]
            out.append(Suggestion(round(float(scores[k]), 1), text, pair.chinese, source))
        return out[:limit]
