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
        hits = process.extract(
            english, self._english, scorer=fuzz.ratio, limit=limit + 1, score_cutoff=cutoff
        )
        out = []
        for text, score, k in hits:
            if exclude is not None and text == exclude:
                continue
            pair, source = self._entries[k]
            out.append(Suggestion(round(score, 1), text, pair.chinese, source))
        return out[:limit]
