"""Beads and the alignment of two files they make up."""

from __future__ import annotations

from dataclasses import dataclass, field

from .passages import Passage


@dataclass(slots=True)
class Bead:
    """Consecutive English passages and the consecutive Chinese passages that translate them."""

    en: list[int]
    """Indices of the English passages (empty for a Chinese passage with no English)."""
    zh: list[int]
    """Indices of the Chinese passages (empty for English with no Chinese)."""
    score: float
    """Confidence from 0 (a guess) to 1 (certain)."""
    support: float = 0.0
    """Evidence beyond length that the two sides say the same thing (shared anchors, words, terms)."""


@dataclass(slots=True)
class Alignment:
    """The result of aligning two files."""

    en: list[Passage]
    zh: list[Passage]
    beads: list[Bead]
    warnings: list[str] = field(default_factory=list)
    """Whole-file doubts, e.g. the Chinese seems to translate another chapter."""

    def as_json(self) -> dict[str, list[dict[str, object]]]:
        """The shape external scorers read: 1-based inclusive line spans into both files."""
        return {
            "beads": [
                {
                    "en_lines": [[self.en[i].start, self.en[i].end] for i in b.en],
                    "zh_lines": [[self.zh[j].start, self.zh[j].end] for j in b.zh],
                    "score": round(b.score, 3),
                }
                for b in self.beads
            ]
        }

    @property
    def confidence(self) -> float:
        """Mean bead confidence, weighted by the passages each bead covers."""
        total = sum(len(b.en) + len(b.zh) for b in self.beads)
        if not total:
            return 1.0
        return sum(b.score * (len(b.en) + len(b.zh)) for b in self.beads) / total
