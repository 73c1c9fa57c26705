"""What a translator works through, one filter each: the pair states of model.State (counted by
progress.Progress, as `workbench status` counts them) and the QA findings (as `workbench check`
counts them). A filter keeps the files that have such pairs, and the pairs of a file that are such.

No count of its own: a filter reads the Progress fields, the pair's `state` and the findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Pair, State
from ..progress import Progress
from .findings import Findings
from .translating import FileProgress


@dataclass(frozen=True, slots=True)
class Filter:
    """One thing to work through."""

    id: str
    """Stable name (keymaps name filters by it)."""
    name: str
    """What the translator calls it (the book screen's title)."""
    short: str
    """A word for the filter bar."""
    states: frozenset[State] = frozenset()
    """The pair states it keeps (none for a QA filter)."""
    count: Callable[[Progress], int | None] = lambda p: 0
    """How many of a file's (or the book's) pairs, or findings, it keeps: Progress fields only."""
    severity: str = ""
    """For a QA filter: findings of this severity and worse."""

    def keeps_file(self, row: FileProgress) -> bool:
        """True when the file has something this filter is about (a file not read yet stays: it may)."""
        if not row.loaded:
            return True
        if self is NEEDS_WORK:
            return row.needs_work
        return bool(self.count(row))

    def keeps_pair(self, rel: str, pair: Pair, findings: Findings) -> bool:
        """True when the pair is one this filter is about."""
        if self.severity:
            return bool(findings.for_pair(rel, pair, self.severity))
        return pair.state in self.states


NEEDS_WORK = Filter("needs_work", "needs work", "to do", frozenset(s for s in State if s.needs_work), lambda p: p.to_do)
UNTRANSLATED = Filter("untranslated", "untranslated", "untransl.", frozenset({State.UNTRANSLATED}), lambda p: p.untranslated)
STALE = Filter("stale", "stale (the English changed)", "stale", frozenset({State.STALE}), lambda p: p.stale)
PAIRING = Filter("pairing", "check the pairing (an import doubted it)", "pairing", frozenset({State.PAIRING}),
                 lambda p: p.pairing)
CONFLICT = Filter("conflict", "conflict between the PO and zh/*.md", "conflict", frozenset({State.CONFLICT}),
                  lambda p: p.conflicts)
SETTLED = Filter("settled", "settled by sync (to glance at)", "settled", frozenset({State.SETTLED}), lambda p: p.settled)
TRANSLATED = Filter("translated", "translated, not reviewed", "unreviewed", frozenset({State.TRANSLATED}),
                    lambda p: p.translated - p.reviewed - p.settled)
QA_ERRORS = Filter("qa_errors", "with QA errors", "QA errors", count=lambda p: getattr(p, "errors", None), severity="error")
QA_WARNINGS = Filter("qa_warnings", "with QA errors or warnings", "QA warn.", count=lambda p: p.findings, severity="warning")

#: Every filter, in the order of work (model.State's order, then QA).
FILTERS = (NEEDS_WORK, UNTRANSLATED, CONFLICT, PAIRING, STALE, SETTLED, TRANSLATED, QA_ERRORS, QA_WARNINGS)
#: The filters by id.
BY_ID = {f.id: f for f in FILTERS}
