"""The output cache: a section's outputs under a key of its English code, the d2l library and the package versions."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import platform
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import files
from .tabs import DEFAULT_TAB, strip_prose

#: Packages whose versions change what a cell prints: a new version re-executes.
ENV_PACKAGES = (
    "mxnet", "numpy", "pandas", "matplotlib", "ipython", "ipykernel", "scipy", "pillow",
    "torch", "torchvision", "tensorflow", "jax", "d2l",
)
#: Bumped when the layout of a cache entry or of the key changes.
CACHE_VERSION = 1

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def environment(tab: str = DEFAULT_TAB) -> dict[str, str]:
    """Python and the versions of the packages a cell's output depends on."""
    env = {"python": platform.python_version(), "machine": platform.machine(), "tab": tab}
    for name in ENV_PACKAGES:
        try:
            env[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            env[name] = "-"
    return env


def cache_key(code: list[str], library_text: str, env: dict[str, str]) -> str:
    """The key of a notebook's outputs: its code without prose, the d2l library when the code
    uses it, and the environment."""
    stripped = [strip_prose(c) for c in code]
    uses_d2l = any("d2l" in c for c in stripped)
    payload = {
        "version": CACHE_VERSION,
        "code": stripped,
        # a section that never imports d2l does not re-run when a #@save block elsewhere changes
        "library": _library_digest(library_text) if uses_d2l else "",
        "env": env,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=4)
def _library_digest(library_text: str) -> str:
    """The library as the key sees it (stripping a whole book's library costs: once per build)."""
    return hashlib.sha256(strip_prose(library_text).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class CellOutputs:
    """What one code cell printed."""

    outputs: list[dict[str, Any]]
    """nbformat v4 output dicts (stream, execute_result, display_data, error)."""
    execution_count: int | None = None
    """The kernel's execution count (None when the cell did not run)."""

    @property
    def error(self) -> str | None:
        """The last line of the cell's error, None when it ran cleanly."""
        for out in self.outputs:
            if out.get("output_type") == "error":
                lines = [_ANSI.sub("", line) for line in out.get("traceback", [])]
                lines = [x for x in "\n".join(lines).splitlines() if x.strip()]
                if lines:
                    return lines[-1].strip()
                return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
        return None


@dataclass(slots=True)
class Run:
    """The outputs of one notebook's code, executed once."""

    cells: list[CellOutputs]
    """Per code cell, in order."""
    complete: bool = True
    """False when a timeout or a dead kernel stopped the run: such a run is not cached."""
    seconds: float = 0.0
    """Wall time of the run, kernel start included."""
    executed: int = 0
    """Cells that ran (the rest were cut off by a timeout or a dead kernel)."""

    def as_dict(self) -> dict[str, Any]:
        """The cache entry's JSON."""
        return {"cells": [{"outputs": c.outputs, "execution_count": c.execution_count} for c in self.cells],
                "seconds": round(self.seconds, 3)}


class OutputCache:
    """Outputs of executed notebooks under _build/cache/KEY.json, shared by every language."""

    def __init__(self, root: Path) -> None:
        self.root = root
        """The cache folder, _build/cache/."""

    def path(self, key: str) -> Path:
        """Where the run of `key` is kept (a folder per two hex digits keeps folders small)."""
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> Run | None:
        """The cached run, or None (a damaged entry counts as missing and is executed again)."""
        path = self.path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            cells = [CellOutputs(c["outputs"], c.get("execution_count")) for c in data["cells"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return Run(cells, True, float(data.get("seconds", 0.0)), 0)

    def put(self, key: str, run: Run) -> None:
        """Keep a complete run's outputs (atomic: a killed build leaves no half entry)."""
        files.write_atomic(self.path(key), json.dumps(run.as_dict(), ensure_ascii=False, sort_keys=True))
