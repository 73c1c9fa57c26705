"""The core imports no UI: only workbench/tui/ may import textual or rich (as harlequin tests it)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import workbench
import workbench.commands


def core_modules() -> list[str]:
    """Every module of the package outside workbench.tui, commands included."""
    names = [f"workbench.{m.name}" for m in pkgutil.iter_modules(workbench.__path__) if m.name != "tui"]
    names += [f"workbench.commands.{m.name}" for m in pkgutil.iter_modules(workbench.commands.__path__)]
    return sorted(n for n in names if not n.endswith("__main__"))


def test_core_imports_without_textual_or_rich() -> None:
    modules = core_modules()
    assert "workbench.book" in modules and "workbench.commands.tui" in modules
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
