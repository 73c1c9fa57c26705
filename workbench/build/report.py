"""What a build reports: the notebooks written, the cells executed or cached, the cells that failed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Failure:
    """A code cell that raised."""

    file: str
    """The notebook, relative to the book (_build/LANG/PATH.ipynb)."""
    cell: int
    """1-based cell number in the notebook."""
    line: int
    """1-based line of the code in en/PATH.md."""
    error: str
    """The last line of the error."""
    cached: bool
    """True when the failure was recorded by an earlier run and read from the cache."""

    def as_dict(self) -> dict[str, Any]:
        """One entry of `failures` in `build --json`."""
        return dataclasses.asdict(self)


@dataclass(slots=True)
class Built:
    """What building one notebook did."""

    rel: str
    notebook: str
    """_build/LANG/PATH.ipynb, relative to the book."""
    code_cells: int
    executed: int = 0
    cached: int = 0
    written: bool = False
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    untranslated: int = 0
    stale: int = 0
    """Stale pairs shown with the reader's note (`build zh --mark-stale`)."""


@dataclass(slots=True)
class Summary:
    """What a build did, over all its notebooks."""

    lang: str
    notebooks: list[Built] = field(default_factory=list)
    seconds: float = 0.0
    dry_run: bool = False

    @property
    def cells_executed(self) -> int:
        """Code cells run by this build."""
        return sum(b.executed for b in self.notebooks)

    @property
    def cells_cached(self) -> int:
        """Code cells whose outputs came from the cache."""
        return sum(b.cached for b in self.notebooks)

    @property
    def failures(self) -> list[Failure]:
        """Cells whose output is an error, run now or cached."""
        return [f for b in self.notebooks for f in b.failures]

    @property
    def untranslated(self) -> int:
        """Units shown in English for want of Chinese (zh)."""
        return sum(b.untranslated for b in self.notebooks)

    @property
    def stale(self) -> int:
        """Stale pairs marked for the reader (`--mark-stale`)."""
        return sum(b.stale for b in self.notebooks)

    def as_json(self) -> dict[str, Any]:
        """The summary `build --json` prints."""
        return {
            "notebooks": len(self.notebooks),
            "cells_executed": self.cells_executed,
            "cells_cached": self.cells_cached,
            "cells_failed": len(self.failures),
            "failures": [f.as_dict() for f in self.failures],
        }


#: Told `(0, total, None)` before the first notebook runs, then `(done, total, built)` after each.
Progress = Callable[[int, int, Built | None], None]
