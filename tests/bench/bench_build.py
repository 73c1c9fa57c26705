"""Benchmark of `workbench build` on real sections (run by hand: python tests/bench/bench_build.py).

The book: the built-in preface and eight MXNet sections of d2l v0.17.0 that run offline, with
their Chinese imported from zh-2021-09-30 (the book of tests/test_notebook.py). Figures:

1. build en -j 1 (everything executes) - the peer of the next rows
2. build zh right after (goal: 0 cells executed)
3. build en again, nothing changed (goal: under 1 s), in-process and as a `workbench` command
4. build en -j 2 from an empty cache, against -j 1
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from test_notebook import make_book  # noqa: E402

from workbench.book import Book  # noqa: E402
from workbench.build import build  # noqa: E402
from workbench.build.report import Summary  # noqa: E402


def timed(book: Path, lang: str, jobs: int) -> tuple[Summary, float]:
    t = time.perf_counter()
    s = build(Book(book), lang, run=True, jobs=jobs, timeout=600)
    return s, time.perf_counter() - t


def row(name: str, s: Summary, seconds: float, peer: float | None = None) -> None:
    ratio = f"  ({seconds / peer:.3f} x build en -j 1)" if peer else ""
    print(f"{name:<34} {s.cells_executed:>5} executed {s.cells_cached:>5} cached {len(s.failures):>3} failed"
          f"  {seconds:8.2f} s{ratio}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        book = make_book(Path(tmp))
        print(f"book: {len(Book(book).english_files())} files; cpus: {os.cpu_count()}")
        en1, t_en1 = timed(book, "en", 1)
        row("build en -j 1 (cold cache)", en1, t_en1)
        zh, t_zh = timed(book, "zh", 1)
        row("build zh after en", zh, t_zh, t_en1)
        again, t_again = timed(book, "en", 1)
        row("build en again, nothing changed", again, t_again, t_en1)
        t = time.perf_counter()
        subprocess.run(["workbench", "build", "en", "--execute", "--book", str(book)], check=True,
                       capture_output=True)
        print(f"{'  same, as a workbench command':<34} {time.perf_counter() - t:>47.2f} s (process start included)")
        shutil.rmtree(book / "_build" / "cache")
        en2, t_en2 = timed(book, "en", 2)
        row("build en -j 2 (cold cache)", en2, t_en2, t_en1)
        print(f"-j 2 speed-up over -j 1: {t_en1 / t_en2:.2f}x")
        print(f"sequential kernel time in the -j 1 run: {sum(b.seconds for b in en1.notebooks):.1f} s over "
              f"{sum(1 for b in en1.notebooks if b.executed)} notebooks")
        for b in en1.notebooks:
            if b.executed:
                print(f"  {b.rel:<52} {b.executed:>3} cells {b.seconds:6.2f} s")


if __name__ == "__main__":
    main()
