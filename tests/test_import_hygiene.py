"""The core imports no UI: only workbench/tui/ may import textual or rich (as harlequin tests it);
and the layers of the package import one way."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import workbench


def core_modules() -> list[str]:
    """Every module of the package outside workbench.tui, the modules of its packages and commands included."""
    names = [m.name for m in pkgutil.walk_packages(workbench.__path__, "workbench.")]
    return sorted(n for n in names if not n.startswith("workbench.tui") and not n.endswith("__main__"))


def test_core_imports_without_textual_or_rich() -> None:
    modules = core_modules()
    assert "workbench.book" in modules and "workbench.commands.tui" in modules and "workbench.align.units" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from workbench import cli\n"
        "cli.parser()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in ('textual', 'rich')}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"the core imported a UI library: {out}"


def test_the_tui_does_import_textual() -> None:
    """The check above can fail: importing the TUI does bring textual in."""
    code = "import sys, workbench.tui.app; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


# --- the layers ----------------------------------------------------------------------------------
# model -> dialect/store -> align/carry_over/glossary/qa/build -> book operations -> TUI -> CLI: a module
# imports from its own layer or a lower one, never from a higher one. Every module of the package
# is in this table (a package's modules share its layer); a new module must be placed here.
# The CLI sits above the TUI only because `workbench tui` starts it; the TUI imports no command.
LAYERS: dict[str, int] = {
    # 0: the model and the plumbing under everything
    "workbench": 0, "model": 0, "files": 0, "worddiff": 0, "parallel": 0, "cells": 0,
    # 1: the d2l dialect and the store (PO <-> pairs), and the one count of pairs
    "markdown": 1, "structure": 1, "layout": 1, "render": 1, "merge": 1, "store": 1, "po_read": 1, "po_layout": 1,
    "progress": 1, "po_merge": 1, "stale_note": 1, "segment_cache": 1,
    # 2: what works on documents and pairs
    "align": 2, "bilingual": 2, "build": 2, "glossary": 2, "qa": 2, "carry_over": 2, "settle": 2, "tm": 2,
    "file_pairing": 2,
    # 3: book operations
    "book": 3, "builtin": 3, "checking": 3, "importer": 3, "sync": 3, "review": 3, "exchange": 3,
    "concordance": 3, "git_driver": 3, "editions": 3, "reimport": 3, "session": 3,
    # 4, 5: the shells
    "tui": 4,
    "commands": 5, "cli": 5, "__main__": 5,
}
LAYER_NAMES = ("model", "dialect/store", "align/carry_over/glossary/qa/build", "book operations", "TUI", "CLI")

#: Upward imports found when this test was written (real violations, reported with issue 12). Each
#: line goes when its import is fixed: the test fails until it is removed, so the list only shrinks.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}

PACKAGE = Path(workbench.__file__).parent


def _unit(module: str) -> str:
    """The table's entry for a dotted module name: its first component below workbench."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the package: dotted name -> (file, is a package's __init__)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        init = parts[-1] == "__init__"
        out[".".join(parts[:-1] if init else parts)] = (path, init)
    return out


def _imports(name: str, source: str, init: bool, known: set[str]) -> set[str]:
    """The workbench modules a module imports anywhere in it (in functions, under TYPE_CHECKING too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "workbench")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")[: None if init else -1]
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "workbench":
                continue
            # `from . import files` imports the module workbench.files, not a name of workbench
            out.update(f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names)
    return out


def _upward(imports: dict[str, set[str]]) -> dict[tuple[str, str], list[str]]:
    """(importer, imported) table entries where a module imports from a higher layer, with the modules."""
    out: dict[tuple[str, str], list[str]] = {}
    for name, targets in sorted(imports.items()):
        for target in sorted(targets):
            a, b = _unit(name), _unit(target)
            if LAYERS[b] > LAYERS[a]:
                out.setdefault((a, b), []).append(f"{name} imports {target}")
    return out


def upward_imports() -> dict[tuple[str, str], list[str]]:
    """The upward imports of the package as it is."""
    modules = _modules()
    known = set(modules)
    return _upward({name: _imports(name, path.read_text(encoding="utf-8"), init, known)
                    for name, (path, init) in modules.items()})


def test_every_module_has_a_layer() -> None:
    units = {_unit(m) for m in _modules()}
    assert {"model", "align", "glossary", "build", "book", "tui", "commands"} <= units
    assert units == set(LAYERS), f"place in LAYERS: {sorted(units - set(LAYERS))}; gone: {sorted(set(LAYERS) - units)}"


def test_layers_import_one_way() -> None:
    found = upward_imports()
    new = {k: v for k, v in found.items() if k not in KNOWN_UPWARD}
    assert not new, "imports from a higher layer: " + "; ".join(
        f"{', '.join(v)} ({LAYER_NAMES[LAYERS[a]]} -> {LAYER_NAMES[LAYERS[b]]})" for (a, b), v in new.items())
    fixed = set(KNOWN_UPWARD) - set(found)
    assert not fixed, f"fixed, so remove from KNOWN_UPWARD: {sorted(fixed)}"


def test_the_layer_check_can_fail() -> None:
    """Relative imports of every shape resolve, and one from a higher layer is caught (made-up sources)."""
    known = set(_modules())
    source = "from . import dp\nfrom ..book import Book\nimport workbench.tui.app\nfrom .scorer import Scorer\n"
    got = _imports("workbench.align.passages", source, False, known)
    assert got == {"workbench.align.dp", "workbench.book", "workbench.tui.app", "workbench.align.scorer"}
    assert _imports("workbench.store", "from . import files\nfrom .model import Pair\n", False, known) == {
        "workbench.files", "workbench.model"}
    assert _imports("workbench.glossary", "from .. import files\n", True, known) == {"workbench.files"}
    found = _upward({"workbench.store": {"workbench.model", "workbench.book"}, "workbench.cli": {"workbench.tui"}})
    assert found == {("store", "book"): ["workbench.store imports workbench.book"]}
