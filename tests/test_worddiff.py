"""One word diff for `workbench diff` and the TUI: grouped runs, on a real stale pair of the d2l update."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from conftest import EN_V0176, corpus_sources, need_corpus
from workbench.book import Book
from workbench.cli import main
from workbench.worddiff import word_diff

NDARRAY = "chapter_preliminaries/ndarray.md"


def test_word_diff_marks_only_changed_words() -> None:
    # made-up strings: re-wrapped words are no change; two changed words make one run
    assert word_diff("a  tensor\ncorresponds to a vector", "a tensor is a vector") == [
        ("=", "a tensor "), ("-", "corresponds to"), ("+", "is"), ("=", " a vector")]
    assert word_diff("x y", "x y") == [("=", "x y")]
    assert word_diff("x y", "x") == [("=", "x"), ("-", " y")]


def test_word_diff_gives_back_both_texts() -> None:
    old = "When the youngest among us (the authors) entered the field, machine learning"
    new = "When we entered the field, machine learning"
    ops = word_diff(old, new)
    assert "".join(t for op, t in ops if op != "+") == old
    assert "".join(t for op, t in ops if op != "-") == new
    assert ("-", "the youngest among us (the authors)") in ops


@pytest.fixture
def stale_ndarray(tmp_path: Path) -> Path:
    """ndarray.md of d2l v0.17.0 imported with its Chinese, then v0.17.6's English synced in."""
    need_corpus()
    from workbench.importer import import_tree

    root = tmp_path / "book"
    import_tree(*corpus_sources(tmp_path, NDARRAY), Book(root))
    shutil.copy(EN_V0176 / NDARRAY, root / "en" / NDARRAY)
    assert main(["sync", "--book", str(root)]) == 0
    return root


def _tui_runs(root: Path) -> list[list[tuple[str, str]]]:
    """The diff of every stale pair of ndarray.md as the TUI's file screen shows it, read back from its styles."""
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.file_screen import FileScreen
    from workbench.tui.pair_panes import DIFF_STYLES
    from workbench.tui.widgets import TextPane

    op_of = {style: op for op, style in DIFF_STYLES.items()}
    seen: list[list[tuple[str, str]]] = []

    async def drive() -> None:
        app = WorkbenchApp(Book.open(root), run_checks=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.screen
            assert isinstance(screen, FileScreen)
            await pilot.press("home")
            stale = [i for i, p in enumerate(screen.pairs) if p.stale and p.previous]
            for _ in stale:
                await pilot.press("f")  # next stale
                await pilot.pause()
                text = screen.query_one("#english", TextPane).text
                plain = text.plain
                body = [(str(s.style), plain[s.start:s.end]) for s in text.spans if s.start >= plain.index("\n") + 1]
                runs: list[tuple[str, str]] = []
                pos = plain.index("\n") + 1
                for style, chunk in body:
                    start = plain.index(chunk, pos)
                    gap = plain[pos:start]
                    # unstyled text is kept English; the one space the screen puts between
                    # a removed and an added run is layout, not a run
                    if gap and not (gap == " " and runs and runs[-1][0] == "-" and op_of[style] == "+"):
                        runs.append(("=", gap))
                    runs.append((op_of[style], chunk))
                    pos = start + len(chunk)
                if plain[pos:]:
                    runs.append(("=", plain[pos:]))
                seen.append(runs)

    asyncio.run(drive())
    return seen


@pytest.mark.screen
def test_cli_and_tui_show_the_same_runs_for_real_stale_pairs(stale_ndarray: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--book", str(stale_ndarray), "--json"]) == 0
    cli = [[(d["op"], d["text"]) for d in u["diff"]] for u in json.loads(capsys.readouterr().out)["units"]]
    tensor = next(runs for runs in cli if ("-", "corresponds (in math) to") in runs)
    # grouped: what went out, then what came in, not word by word
    at = tensor.index(("-", "corresponds (in math) to"))
    assert tensor[at + 1] == ("+", "is called")
    assert _tui_runs(stale_ndarray) == cli
