"""Snapshots of the TUI's screens on the sample book (tests/data/tui/book), grouped by screen.

Regenerate after a deliberate change with `python -m pytest tests/test_tui_snapshots.py --snapshot-update`
and look at the SVGs in tests/__snapshots__/ before committing them. The QA checks are off here:
their findings belong to workbench/qa/'s tests, and would make these pictures move with every
change there.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from workbench.book import Book
from workbench.tui.app import WorkbenchApp

pytestmark = pytest.mark.screen

SAMPLE = Path(__file__).parent / "data" / "tui" / "book"


@pytest.fixture
def app(tmp_path: Path) -> WorkbenchApp:
    """The app on a copy of the sample book (in a folder named "book": the title shows the name)."""
    shutil.copytree(SAMPLE, tmp_path / "book")
    return WorkbenchApp(Book.open(tmp_path / "book"), run_checks=False)


def keys(*presses: str) -> Callable[[Pilot], Awaitable[None]]:
    """Press keys, letting workers (counts, memory) finish before and after each group."""

    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for group in _groups(presses):
            await pilot.press(*group)
            await settle(pilot)
        # a blinking cursor would make two runs differ
        for widget in pilot.app.screen.query("TextArea, Input"):
            if isinstance(widget, (TextArea, Input)):
                widget.cursor_blink = False
        await pilot.pause()

    return run


def _groups(presses: Iterable[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for p in presses:
        if p == "|":
            out.append([])
        else:
            out[-1].append(p)
    return [g for g in out if g]


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# -- the book screen -----------------------------------------------------------------------------


def test_book_screen(snap_compare, app: WorkbenchApp) -> None:
    """80x24: the filter bar wraps rather than cut; the file column gives way first."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys())


def test_book_screen_needs_work_sorted_by_done(snap_compare, app: WorkbenchApp) -> None:
    """200x50: the needs-work filter (its key lit in the bar), sorted by % done from the top."""
    assert snap_compare(app, terminal_size=(200, 50), run_before=keys("w", "s"))


# -- the file screen -------------------------------------------------------------------------------


def test_file_screen_stale_pair_with_diff(snap_compare, app: WorkbenchApp) -> None:
    """The preface opens on its stale pair: the word diff, the Chinese, the glossary terms."""
    assert snap_compare(app, terminal_size=(120, 36), run_before=keys("n", "enter"))


def test_file_screen_translation_memory(snap_compare, app: WorkbenchApp) -> None:
    """lookup-api opens on the PyTorch paragraph; suggestion 1 (the MXNet one) inserted with F2."""
    assert snap_compare(app, terminal_size=(120, 36), run_before=keys("n", "n", "enter", "|", "e", "f2"))


def test_file_screen_narrow(snap_compare, app: WorkbenchApp) -> None:
    """80x24: the list above the pair, Chinese in both."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("n", "n", "enter", "|", "p"))


def test_file_screen_long_chinese_narrow(snap_compare, app: WorkbenchApp) -> None:
    """80x24 on the preface's ninth pair (551 characters of Chinese): "+N more lines" where it is cut."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("n", "enter", "|", "home", *"n" * 8))


def test_file_screen_wide(snap_compare, app: WorkbenchApp) -> None:
    """200x50: the list shows English and Chinese side by side."""
    assert snap_compare(app, terminal_size=(200, 50), run_before=keys("n", "n", "enter", "|", "p"))


# -- the glossary screen -------------------------------------------------------------------------


def test_glossary_screen_proposed_terms(snap_compare, app: WorkbenchApp) -> None:
    assert snap_compare(app, terminal_size=(120, 30), run_before=keys("g"))


def test_glossary_screen_all_terms(snap_compare, app: WorkbenchApp) -> None:
    assert snap_compare(app, terminal_size=(120, 30), run_before=keys("g", "|", "v"))


# -- search and help -------------------------------------------------------------------------------


def test_search_screen(snap_compare, app: WorkbenchApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("slash", *"文档", "enter"))


def test_help_screen(snap_compare, app: WorkbenchApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("question_mark"))
