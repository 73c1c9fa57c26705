"""Counting where a book stands: the one record that `status`, the TUI, `diff`, `check` and `sync` count with.

What is counted is pairs (PO entries), not English units: a pair over several units counts
once, as the translator works on it once. Each pair is counted in its one `State`
(model.py): untranslated, conflict, check the pairing, stale, or translated (of which some are
reviewed and some settled by sync), so `pairs` is the sum of untranslated, conflicts, pairing,
stale and translated. Obsolete pairs (#~) do not count: their English is gone. QA findings count when they are of
the severity `workbench check` reports by default (warning and worse).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from .model import Pair, State, count_words
from .store import Catalog


class Severity(StrEnum):
    """How serious a QA or glossary finding is; compares equal to its name (`Severity.ERROR == "error"`)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


#: Severities of QA and glossary findings, worst first.
SEVERITIES = tuple(Severity)
#: The severity `workbench check` reports from (and worse), and the TUI counts.
REPORTED = Severity.WARNING
_COUNTED = ("pairs", "translated", "reviewed", "settled", "stale", "pairing", "conflicts", "untranslated",
            "english_words", "chinese_chars")


class _Book(Protocol):
    """What counting a book reads of it (workbench.book.Book, a layer above, provides it)."""

    def english_files(self) -> list[str]: ...

    def catalog(self, rel: str) -> Catalog: ...


class _Finding(Protocol):
    @property
    def severity(self) -> str: ...


F = TypeVar("F", bound=_Finding)


@dataclass(slots=True)
class Progress:
    """Counts for one file or a whole book (pairs, not units)."""

    file: str
    """en/PATH.md, or "total"."""
    pairs: int = 0
    """Active pairs (obsolete ones not counted)."""
    translated: int = 0
    """Pairs with a current translation."""
    reviewed: int = 0
    """Of the translated pairs, those a reviewer passed (see review.py)."""
    settled: int = 0
    """Of the translated pairs, those sync carried across a mechanical English edit (to glance at)."""
    stale: int = 0
    """Pairs whose English changed since they were translated (or marked fuzzy by another tool)."""
    pairing: int = 0
    """Pairs an import paired with doubt: check that the Chinese translates the English."""
    conflicts: int = 0
    """Pairs edited differently in the PO and in zh/*.md (or on two branches): both texts kept."""
    untranslated: int = 0
    """Pairs with no Chinese."""
    english_words: int = 0
    """Words of the English of every pair."""
    chinese_chars: int = 0
    """Chinese characters of every translation (punctuation not counted)."""
    findings: int | None = None
    """QA findings of warning and worse; None until checked."""

    def add(self, other: Progress) -> None:
        """Add another file's counts (findings stay None until some file was checked)."""
        for name in _COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.findings is not None:
            self.findings = (self.findings or 0) + other.findings

    def set_counts(self, other: Progress) -> None:
        """Take another record's pair counts (findings are kept: they come from QA)."""
        for name in _COUNTED:
            setattr(self, name, getattr(other, name))

    def count(self, pair: Pair, words: bool = True) -> None:
        """Count one active pair (words=False: its state only, not its words and characters)."""
        self.pairs += 1
        state = pair.state
        if state is State.UNTRANSLATED:
            self.untranslated += 1
        elif state is State.CONFLICT:
            self.conflicts += 1
        elif state is State.PAIRING:
            self.pairing += 1
        elif state is State.STALE:
            self.stale += 1
        else:
            self.translated += 1
            self.reviewed += state is State.REVIEWED
            self.settled += state is State.SETTLED
        if words:
            self.english_words += count_words(pair.english)
            self.chinese_chars += count_words(pair.chinese, chinese=True)

    @property
    def percent(self) -> float:
        """Share of pairs translated and current, 0-100 (a file with no pairs is done)."""
        return 100.0 * self.translated / self.pairs if self.pairs else 100.0

    @property
    def to_do(self) -> int:
        """Pairs a translator must act on: untranslated, stale, to check the pairing, in conflict."""
        return self.untranslated + self.stale + self.pairing + self.conflicts

    @property
    def needs_work(self) -> bool:
        """Pairs a translator must act on (model.State.needs_work); QA findings are counted apart."""
        return bool(self.to_do)

    def as_dict(self) -> dict[str, int | str]:
        """The JSON form `workbench status --json` prints (findings only once checked)."""
        out = asdict(self)
        if out["findings"] is None:
            del out["findings"]
        return out


def count_pairs(file: str, pairs: Iterable[Pair], words: bool = True) -> Progress:
    """The counts of a file's active pairs (words=False: by state only, words and characters left at 0)."""
    out = Progress(file)
    for p in pairs:
        if not p.obsolete:
            out.count(p, words)
    return out


def file_progress(book: _Book, rel: str, catalog: Catalog | None = None) -> Progress:
    """Counts for en/PATH.md: its PO's active pairs (a file never translated: its fresh pairs);
    `catalog`: the file's, when the caller has read it already."""
    return count_pairs(f"en/{rel}", (catalog if catalog is not None else book.catalog(rel)).active)


def book_progress(book: _Book, files: list[str] | None = None,
                  catalogs: Mapping[str, Catalog] | None = None) -> tuple[list[Progress], Progress]:
    """Per-file counts and the total (`catalogs`: those the caller has read already, by file)."""
    rows = [file_progress(book, rel, (catalogs or {}).get(rel)) for rel in (files or book.english_files())]
    return rows, total(rows)


def total(rows: Iterable[Progress]) -> Progress:
    """The counts of several files added up."""
    out = Progress("total")
    for r in rows:
        out.add(r)
    return out


def reported(findings: Iterable[F], severity: str = REPORTED) -> list[F]:
    """The findings of `severity` and worse: what `check` prints and every view counts."""
    worst = SEVERITIES.index(severity)
    return [f for f in findings if SEVERITIES.index(f.severity) <= worst]
