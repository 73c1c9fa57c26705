"""QA findings while translating: the checks of workbench/qa/ (run by checking.py) per file and per
pair, counted by severity as `workbench check` counts them.

The qa package may be absent from an install: the QA pane then says so and stays empty.
"""

from __future__ import annotations

import time
from typing import Any

from ..book import Book
from ..model import Pair
from ..progress import REPORTED, reported

try:
    from .. import checking as _checking
    from .. import qa as _qa
except ImportError:  # an install without the QA checks
    _qa = None  # type: ignore[assignment]

Finding = Any  # qa.Finding: check, severity, file, line, en_file, en_line, message, msgid, msgctxt


class Findings:
    """QA findings per file and pair, from workbench/checking.py, run in a worker."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.note = "" if _qa is not None else "no QA checks (workbench/qa/) in this install"
        self.by_file: dict[str, list[Finding]] = {}
        self.ran = False
        self._facts: Any = None

    @property
    def available(self) -> bool:
        return _qa is not None

    def run_book(self, files: list[str]) -> None:
        """Check every file (slow: call from a thread)."""
        if _qa is None:
            return
        facts = _checking.book_facts(self.book, files)
        per_file = {}
        for rel in files:
            per_file[rel] = _checking.file_items(self.book, rel)
            time.sleep(0)  # file by file, letting the UI thread in: this runs for seconds
        facts.ratio = _qa.median_ratio([it for items in per_file.values() for it in items])
        by_file: dict[str, list[Finding]] = {}
        for rel, items in per_file.items():
            by_file[rel] = _qa.run(items, facts)
            time.sleep(0)
        self._facts = facts
        self.by_file = by_file
        self.ran = True

    def run_file(self, rel: str) -> None:
        """Check one file again after it was saved."""
        if _qa is None or self._facts is None:
            return
        self.by_file[rel] = _qa.run(_checking.file_items(self.book, rel), self._facts)

    def count(self, rel: str, severity: str = REPORTED) -> int | None:
        """The file's findings of `severity` and worse (None before the checks ran), as `check` counts them."""
        if not self.ran:
            return None
        return len(reported(self.by_file.get(rel, ()), severity))

    def for_pair(self, rel: str, pair: Pair, severity: str = "info") -> list[Finding]:
        """The findings of one pair (a finding names its pair: the cells of a table row share a line)."""
        return reported((f for f in self.by_file.get(rel, ()) if f.about(pair)), severity)
