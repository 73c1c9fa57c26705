"""Benchmark: the TUI on the whole imported d2l book (180 files, ~9 300 pairs). Run by hand:

    python tests/bench/bench_tui.py [BOOK]

Without BOOK the book is made first with `import_tree(en-v0.17.0, zh-2021-09-30)` in a
temporary folder (about 10 s, not counted). Figures:

- open: a fresh `python` process, from its start (interpreter, imports) to the book screen with
  every file's counts on it; target under 1.5 s. Peer: `workbench status` on the same book, the
  CLI that prints the same counts, measured in the same run.
- moving: pair to pair in the biggest file, per key, with and without the translation-memory
  worker; file open. Pilot's own cost per key (a key bound to nothing) is measured and taken off.
- lists: 9 000+ rows in a DataTable (what the TUI uses) against ListView, the peer the design
  notes warn about, built in the same run.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from conftest import EN_V0170, ZH  # noqa: E402

OPEN_TARGET = 1.5

OPEN_SCRIPT = r"""
import time
start = time.perf_counter()
import asyncio, json, sys
from workbench.book import Book
from workbench.tui.app import WorkbenchApp
imported = time.perf_counter() - start

async def main():
    app = WorkbenchApp(Book.open(sys.argv[1]), run_checks=sys.argv[2] == "checks")
    async with app.run_test(size=(120, 40)) as pilot:
        while "counted" not in app.timings:
            await asyncio.sleep(0.005)
        # the counts are in the table now (the worker waits for the UI to take them)
        counted = time.perf_counter() - start
        while "loaded" not in app.timings or (app.run_checks and "checked" not in app.timings):
            await asyncio.sleep(0.01)
        done = time.perf_counter() - start
        print(json.dumps({"imported": imported, "counted": counted, "all": done,
                          "app": app.timings, "pairs": app.desk.total().pairs}))
asyncio.run(main())
"""


def make_book() -> Path:
    from workbench.book import Book
    from workbench.importer import import_tree

    root = Path(tempfile.mkdtemp(prefix="bench-tui-")) / "d2l"
    (root / "en").mkdir(parents=True)
    t = time.perf_counter()
    import_tree(EN_V0170, ZH, Book(root))
    shutil.copytree(REPO / "glossary", root / "glossary")
    print(f"made the book in {time.perf_counter() - t:.1f} s: {root}")
    return root


def open_times(book: Path, checks: bool, runs: int = 5) -> list[dict[str, object]]:
    out = []
    for _ in range(runs):
        res = subprocess.run([sys.executable, "-c", OPEN_SCRIPT, str(book), "checks" if checks else "-"],
                             capture_output=True, text=True, check=True, cwd=REPO)
        out.append(json.loads(res.stdout.strip().splitlines()[-1]))
    return out


def status_times(book: Path, runs: int = 5) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; from workbench.cli import main; sys.exit(main())",
                        "status", "--json", "--book", str(book)], capture_output=True, check=True, cwd=REPO)
        out.append(time.perf_counter() - t)
    return out


async def moving(book: Path) -> dict[str, float]:
    from workbench.book import Book
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.file_screen import FileScreen

    app = WorkbenchApp(Book.open(book), run_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        biggest = max(app.desk.files, key=lambda r: app.desk.rows[r].pairs)
        t = time.perf_counter()
        app.open_file(biggest)
        await pilot.pause()
        opened = time.perf_counter() - t
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, FileScreen)
        await pilot.press("home")
        n = 40
        t = time.perf_counter()
        for _ in range(n):
            await pilot.press("z")  # bound to nothing: what Pilot itself costs per key
        idle = (time.perf_counter() - t) / n
        t = time.perf_counter()
        for _ in range(n):
            await pilot.press("n")
        move = (time.perf_counter() - t) / n
        await pilot.press("home")
        await app.workers.wait_for_complete()
        t = time.perf_counter()
        for _ in range(n):
            await pilot.press("n")
            await app.workers.wait_for_complete()
        move_tm = (time.perf_counter() - t) / n
        # another big file: the file screen is reused, only its table and panes are filled again
        second = sorted(app.desk.files, key=lambda r: -app.desk.rows[r].pairs)[1]
        await pilot.press("escape")
        await pilot.pause()
        t = time.perf_counter()
        app.open_file(second)
        await pilot.pause()
        reopened = time.perf_counter() - t
        return {"file": biggest, "pairs": app.desk.rows[biggest].pairs, "open_file": opened,
                "second": second, "second_pairs": app.desk.rows[second].pairs, "open_second": reopened,
                "pilot_key": idle, "move": move - idle, "move_with_tm": move_tm - idle}


async def lists(rows: int) -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Label, ListItem, ListView

    texts = [f"row {i}: Due to constraints on the length of this book" for i in range(rows)]

    class TableApp(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    class ListApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ListView()

    out = {}
    app1 = TableApp()
    async with app1.run_test(size=(120, 40)) as pilot:
        t = time.perf_counter()
        table = app1.query_one(DataTable)
        table.add_column("n")
        table.add_column("text")
        table.add_rows([(i, s) for i, s in enumerate(texts)])
        await pilot.pause()
        out["datatable_build"] = time.perf_counter() - t
        table.focus()
        t = time.perf_counter()
        for _ in range(20):
            await pilot.press("down")
        out["datatable_move"] = (time.perf_counter() - t) / 20
    app2 = ListApp()
    async with app2.run_test(size=(120, 40)) as pilot:
        t = time.perf_counter()
        view = app2.query_one(ListView)
        await view.extend([ListItem(Label(s)) for s in texts])
        await pilot.pause()
        out["listview_build"] = time.perf_counter() - t
        view.focus()
        t = time.perf_counter()
        for _ in range(20):
            await pilot.press("down")
        out["listview_move"] = (time.perf_counter() - t) / 20
    return out


def main() -> None:
    book = Path(sys.argv[1]) if len(sys.argv) > 1 else make_book()
    print(f"book: {book}")
    for checks in (False, True):
        runs = open_times(book, checks)
        counted = statistics.median(r["counted"] for r in runs)  # type: ignore[misc]
        everything = statistics.median(r["all"] for r in runs)  # type: ignore[misc]
        imported = statistics.median(r["imported"] for r in runs)  # type: ignore[misc]
        what = "loaded + QA checked" if checks else "every pair loaded (search, memory)"
        print(f"open ({'QA on' if checks else 'QA off'}), median of {len(runs)}, {runs[0]['pairs']} pairs: "
              f"counts on screen {counted:.2f} s after process start (imports {imported:.2f} s); {what} {everything:.2f} s")
    peer = statistics.median(status_times(book))
    print(f"peer `workbench status --json` on the same book: {peer:.2f} s; TUI/peer = {counted / peer:.2f}")
    print(f"target: open under {OPEN_TARGET} s: {'met' if counted < OPEN_TARGET else 'NOT met'} ({counted:.2f} s)")
    m = asyncio.run(moving(book))
    print(f"{m['file']} ({m['pairs']} pairs) opened in {m['open_file'] * 1000:.0f} ms (first file), then "
          f"{m['second']} ({m['second_pairs']} pairs) in {m['open_second'] * 1000:.0f} ms; per pair move "
          f"{m['move'] * 1000:.0f} ms (with its memory lookup done {m['move_with_tm'] * 1000:.0f} ms), "
          f"after taking off Pilot's {m['pilot_key'] * 1000:.0f} ms per key")
    n = runs[0]["pairs"]
    lst = asyncio.run(lists(int(n)))  # type: ignore[arg-type]
    print(f"{n} rows: DataTable built in {lst['datatable_build']:.2f} s, {lst['datatable_move'] * 1000:.0f} ms per move; "
          f"peer ListView {lst['listview_build']:.2f} s, {lst['listview_move'] * 1000:.0f} ms per move; "
          f"ListView/DataTable build = {lst['listview_build'] / lst['datatable_build']:.1f}")


if __name__ == "__main__":
    main()
