"""Benchmark: a translator's session in the TUI on the whole imported d2l book (180 files, ~9 800
pairs), this checkout side by side with another one (say the main branch) in the same run. By hand:

    python tests/bench/bench_tui.py [BOOK] [--against CHECKOUT] [--runs N]

Without BOOK the book is made first with `import_tree(en-v0.17.0, zh-2021-09-30)` in a temporary
folder (not counted). Every figure comes from a fresh `python` process whose PYTHONPATH is the
checkout measured; the checkouts take turns, run by run, so a busy machine slows both alike.

- ready: from the app's start to the book screen's table holding every file's counts (the
  target: 0.5 s; measured alike for every version, by looking at the table), on a book opened
  before (the counts remembered in .workbench/counts.json, as on every day but the first) and
  on a book opened for the first time; also from the process's start
  (interpreter and imports included), and until every pair is read (search, memory: the
  details that come after the counts).
- move: one pair to the next (`n`) in the biggest file, per key; target 30 ms: from the key to
  the last frame it drew (what the translator waits for: median of 40), on the list's first
  screen and past it (where every move scrolls the list); also until Pilot finds the whole
  process idle (the memory worker looking up the next pairs included; Pilot's own cost per key,
  a key bound to nothing, taken off; Pilot waits in steps of 20 ms).
- save: ctrl+s after an edit in the biggest file (PO and zh/*.md written), per save (median of
  10); target 100 ms, measured likewise.

On a shared machine the wall-clock figures move with the load; the CPU time beside them (of the
process until the counts are up; of the app's thread per move and save) moves much less.

Not a test: nothing here asserts a time (the suite never depends on the machine's speed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGETS = {"ready": 0.5, "move": 0.030, "save": 0.100}

#: Run in a fresh process on one checkout; prints one JSON line. Only what every version of the
#: TUI has is used (WorkbenchApp, its timings, keys), and where they differ both ways are tried.
SESSION = r"""
import time
start = time.perf_counter()
import asyncio, gc, json, sys
from pathlib import Path
# the app run as `workbench` runs it: the collector's threshold as the checkout's cli sets it
if "gc.set_threshold(100_000, 50, 100)" in Path("workbench/cli.py").read_text():
    gc.set_threshold(100_000, 50, 100)
from workbench.book import Book
from workbench.tui.app import WorkbenchApp
imported = time.perf_counter() - start
book, what = sys.argv[1], sys.argv[2]

def session(app):
    return getattr(app, "session", None) or app.desk

async def ready():
    cpu, began = time.process_time(), time.perf_counter()
    app = WorkbenchApp(Book.open(book), run_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        # until the book screen's table holds every file's counts: the same test for every
        # version (the app's own "counted" timing meant "handed over" before 2026-12, "drawn" after)
        while not shown(app):
            await asyncio.sleep(0.002)
        took = time.perf_counter()
        counted = took - start
        ready_cpu = time.process_time() - cpu
        while "loaded" not in app.timings:
            await asyncio.sleep(0.01)
        return {"imported": imported, "counted": counted, "ready": took - began, "ready_cpu": ready_cpu,
                "loaded": app.timings["loaded"], "pairs": session(app).total().pairs}

def shown(app):
    try:
        table = app.book_screen.query_one("#files")
        return (table.row_count == len(session(app).files)
                and all(str(table.get_row_at(k)[1]).strip() not in ("", "-") for k in range(table.row_count)))
    except Exception:  # not mounted yet, or being filled
        return False

from textual.app import App
FRAMES = []  # when each frame was drawn (on Pilot's headless terminal)
_display = App._display
def display(self, *args, **kwargs):
    _display(self, *args, **kwargs)
    FRAMES.append(time.perf_counter())
App._display = display

async def keys(pilot, key, n):
    # per key: wall clock and CPU of this thread (the app runs in it under Pilot) until Pilot
    # finds the process idle (its workers included); and the wall clock until the key's last
    # frame was drawn, which is what the translator waits for
    t, c = time.perf_counter(), time.thread_time()
    drawn = []
    for _ in range(n):
        k = time.perf_counter()
        FRAMES.clear()
        await pilot.press(key)
        if FRAMES:
            drawn.append(FRAMES[-1] - k)
    return (time.perf_counter() - t) / n, (time.thread_time() - c) / n, statistics.median(drawn) if drawn else 0.0

async def working():
    app = WorkbenchApp(Book.open(book), run_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        s = session(app)
        biggest = max(s.files, key=lambda r: s.rows[r].pairs)
        if hasattr(app, "open_file"):
            app.open_file(biggest)
        else:
            from workbench.tui.messages import OpenFile
            app.post_message(OpenFile(biggest))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("home")
        idle = await keys(pilot, "z", 40)  # bound to nothing: what Pilot itself costs per key
        move = await keys(pilot, "n", 40)  # the first screen of the list (37 rows): it scrolls at the end
        scroll = await keys(pilot, "n", 40)  # past it: the list scrolls one row per move
        saves, saves_cpu, saves_drawn = [], [], []
        for _ in range(10):
            await pilot.press("n", "e", "end", *"测")
            await app.workers.wait_for_complete()
            t, c = time.perf_counter(), time.thread_time()
            FRAMES.clear()
            await pilot.press("ctrl+s")
            saves.append(time.perf_counter() - t)
            saves_cpu.append(time.thread_time() - c)
            saves_drawn.append(FRAMES[-1] - t if FRAMES else 0.0)
            await pilot.press("escape")
            await app.workers.wait_for_complete()
        return {"file": biggest, "pairs": s.rows[biggest].pairs, "pilot_key": idle[0],
                "move": move[0] - idle[0], "move_cpu": move[1] - idle[1], "move_drawn": move[2],
                "scroll": scroll[0] - idle[0], "scroll_cpu": scroll[1] - idle[1], "scroll_drawn": scroll[2],
                "save": statistics.median(saves) - idle[0], "save_cpu": statistics.median(saves_cpu) - idle[1],
                "save_drawn": statistics.median(saves_drawn)}

import statistics
print(json.dumps(asyncio.run(ready() if what == "ready" else working())))
"""


def make_book() -> Path:
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import EN_V0170, ZH  # noqa: PLC0415
    from workbench.book import Book  # noqa: PLC0415
    from workbench.importer import import_tree  # noqa: PLC0415

    root = Path(tempfile.mkdtemp(prefix="bench-tui-")) / "d2l"
    (root / "en").mkdir(parents=True)
    t = time.perf_counter()
    import_tree(EN_V0170, ZH, Book(root))
    shutil.copytree(REPO / "glossary", root / "glossary")
    print(f"made the book in {time.perf_counter() - t:.1f} s: {root}")
    return root


def run(checkout: Path, book: Path, what: str) -> dict[str, object]:
    """One measurement in a fresh process on a copy of the book (a save writes it). "first": the
    book screen on a book opened for the first time (no counts remembered from a session before)."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    if what == "first":
        (book / ".workbench" / "counts.json").unlink(missing_ok=True)
        what = "ready"
    work = Path(tempfile.mkdtemp(prefix="bench-tui-run-")) / "d2l"
    try:
        if what == "working":
            shutil.copytree(book, work, symlinks=True)
            target = work
        else:
            target = book  # reading only
        res = subprocess.run([sys.executable, "-c", SESSION, str(target), what], capture_output=True, text=True,
                             env=env, cwd=checkout)
        if res.returncode:
            raise SystemExit(f"{checkout}: {res.stderr[-2000:]}")
        return json.loads(res.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("book", nargs="?", type=Path)
    ap.add_argument("--against", type=Path, help="another checkout to measure in the same run (say /work/main)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    book = args.book or make_book()
    checkouts = {"this": REPO} | ({"other": args.against.resolve()} if args.against else {})
    results: dict[str, dict[str, list[dict[str, object]]]] = {
        name: {"first": [], "ready": [], "working": []} for name in checkouts}
    for _ in range(args.runs):
        for name, path in checkouts.items():  # taking turns: the same machine load for both
            results[name]["first"].append(run(path, book, "first"))
            results[name]["ready"].append(run(path, book, "ready"))
    for _ in range(max(3, args.runs // 2)):
        for name, path in checkouts.items():
            results[name]["working"].append(run(path, book, "working"))

    def med(name: str, kind: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in results[name][kind])  # type: ignore[arg-type]

    pairs = results["this"]["ready"][0]["pairs"]
    w = results["this"]["working"][0]
    print(f"book: {book} ({pairs} pairs); medians of {args.runs} runs (working: {max(3, args.runs // 2)}); "
          f"biggest file {w['file']} ({w['pairs']} pairs)")
    rows = [
        ("ready: counts on the book screen, from the app's start", "ready", "ready", "ready"),
        ("  the same on a book opened for the first time", "first", "ready", "ready"),
        ("  CPU time of the process until then, first time", "first", "ready_cpu", ""),
        ("  the same from the process's start (imports included)", "ready", "counted", ""),
        ("  CPU time of the process until then (all threads)", "ready", "ready_cpu", ""),
        ("  every pair read (search, memory), from the app's start", "ready", "loaded", ""),
        ("move: one pair to the next, key to its last frame", "working", "move_drawn", "move"),
        ("  until the process is idle (workers too)", "working", "move", ""),
        ("  CPU time of the app's thread per move", "working", "move_cpu", ""),
        ("move past the first screen (the list scrolls): to frame", "working", "scroll_drawn", "move"),
        ("  until the process is idle (workers too)", "working", "scroll", ""),
        ("  CPU time of the app's thread per move", "working", "scroll_cpu", ""),
        ("save: ctrl+s after an edit, key to its last frame", "working", "save_drawn", "save"),
        ("  until the process is idle (workers too)", "working", "save", ""),
        ("  CPU time of the app's thread per save", "working", "save_cpu", ""),
    ]
    names = list(checkouts)
    print(f"{'':<58}" + "".join(f"{n + ' (' + str(checkouts[n]) + ')':>28}" for n in names) + "   target")
    for label, kind, key, target in rows:
        cells = "".join(f"{med(n, kind, key) * 1000:>26.0f}ms" for n in names)
        goal = f"   {TARGETS[target] * 1000:.0f} ms: {'met' if med('this', kind, key) <= TARGETS[target] else 'NOT met'}" \
            if target else ""
        print(f"{label:<58}{cells}{goal}")


if __name__ == "__main__":
    main()
