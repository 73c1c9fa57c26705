"""English/Chinese term pairs the aligner takes as evidence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ..model import is_cjk


@dataclass(slots=True)
class Dictionary:
    """English/Chinese term pairs (the book's glossary, d2l's TERMINOLOGY.md) used as evidence."""

    entries: list[tuple[str, str]] = field(default_factory=list)

    def add(self, english: str, chinese: str) -> None:
        english, chinese = english.strip().lower(), chinese.strip()
        # one-letter or very short terms match everywhere: no evidence
        if len(english) >= 3 and len(chinese) >= 2 and any(is_cjk(c) for c in chinese):
            self.entries.append((english, chinese))

    def add_terms(self, terms: Iterable[GlossaryTerm]) -> Dictionary:
        """Add glossary terms as workbench.glossary reads them; rejected and forbidden ones are no evidence."""
        for t in terms:
            if t.status not in ("rejected", "forbidden"):
                self.add(t.english, t.chinese)
        return self


class GlossaryTerm(Protocol):
    english: str
    chinese: str
    status: str
