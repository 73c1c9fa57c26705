"""What the checks look at and what they say: a placed pair (Item), what the whole book knows
(Facts), what a check found (Problem), and the placed report (Finding)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import Pair
from ..progress import SEVERITIES, Severity
from .anchors import mismatch
from .inline import Inline, inline

__all__ = ["SEVERITIES", "Check", "CheckFn", "Facts", "Finding", "Item", "Problem", "Severity"]

@dataclass(slots=True)
class Item:
    """One translated pair, placed in the book."""

    pair: Pair
    english: str
    """The English (unit keys joined by a blank line)."""
    chinese: str
    """The Chinese as stored."""
    file: str
    """zh/PATH.md"""
    line: int
    """Line in zh/PATH.md where the Chinese starts."""
    en_file: str
    """en/PATH.md"""
    en_line: int
    """Line in en/PATH.md where the English starts."""
    one_line: bool = False
    """The Chinese is rendered on one line (heading, table cell): every problem is on `line`."""
    _en: Inline | None = None
    _zh: Inline | None = None
    _sizes: tuple[int, int] | None = None
    _mismatch: str | None = None

    @property
    def en(self) -> Inline:
        """The English, parsed for inline markup (cached)."""
        if self._en is None:
            self._en = inline(self.english)
        return self._en

    @property
    def zh(self) -> Inline:
        """The Chinese, parsed for inline markup (cached)."""
        if self._zh is None:
            self._zh = inline(self.chinese)
        return self._zh

    @property
    def mismatched(self) -> bool:
        """The Chinese shares almost none of the English's code, math, numbers and names: it does
        not translate this English (a misplaced paragraph). Detailed checks stay quiet then."""
        return bool(self.mismatch_reason)

    @property
    def mismatch_reason(self) -> str:
        """Why the Chinese does not look like a translation of its English, or "" (cached)."""
        if self._mismatch is None:
            self._mismatch = mismatch(self) or ""
        return self._mismatch

    def zh_line(self, at: int | None) -> int:
        """The zh/PATH.md line of offset `at` in the Chinese."""
        if at is None or self.one_line:
            return self.line
        return self.line + self.chinese.count("\n", 0, max(0, at))

@dataclass(slots=True)
class Facts:
    """What the whole book knows, for checks that look beyond one pair."""

    labels: set[str] = field(default_factory=set)
    """Every :label: and :eqlabel: in the English."""
    targets: set[str] = field(default_factory=set)
    """Every role target the English uses (labels of chapters outside this book, citation keys)."""
    ratio: float = 1.6
    """Median Chinese characters per English word over the book's translated pairs."""

    @property
    def known(self) -> set[str]:
        return self.labels | self.targets

@dataclass(slots=True)
class Problem:
    """What a check found in one item."""

    severity: Severity
    message: str
    at: int | None = None
    """Offset in the Chinese where it is (for the line), or None: the start of the pair."""
    english_side: bool = False
    """The problem is in the English source, not in the translation."""

@dataclass(slots=True)
class Finding:
    """A problem, placed: the shape `workbench check --json` prints."""

    check: str
    severity: str
    file: str
    line: int
    en_file: str
    en_line: int
    message: str
    msgid: str = ""  # with msgctxt, the pair the finding is about (the cells of a table row share a line)
    msgctxt: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"check": self.check, "severity": self.severity, "file": self.file, "line": self.line,
                "en_file": self.en_file, "en_line": self.en_line, "message": self.message,
                "msgid": self.msgid, "msgctxt": self.msgctxt}

    def about(self, pair: Pair) -> bool:
        """True when the finding is about this pair (its msgid and msgctxt)."""
        return self.msgid == pair.english and self.msgctxt == pair.context

    def __str__(self) -> str:
        return (f"{self.file}:{self.line}: {self.severity}: [{self.check}] {self.message} "
                f"({self.en_file}:{self.en_line})")

CheckFn = Callable[[Item, Facts], Iterable[Problem]]
"""Every check has this signature: the item, the book's facts -> what it found."""

class Check(NamedTuple):
    """A check as listed in CHECKS: its name (for --only and the report) and its function."""

    name: str
    fn: CheckFn

    @property
    def doc(self) -> str:
        """What it finds: the first line of the function's docstring."""
        return (self.fn.__doc__ or "").strip().split("\n")[0]
