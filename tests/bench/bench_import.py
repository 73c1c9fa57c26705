"""Benchmark of `workbench import` (run by hand: `python tests/bench/bench_import.py`; never a timed test).

Imports d2l-en v0.17.0 with d2l-zh (../shared/corpus/d2l: 180 English files, 143 with Chinese)
into a fresh book in a temporary folder, and prints side by side, in one run:
- the import's wall and CPU time, in one process (WORKBENCH_JOBS=1) and in one process per core,
  split into aligning (read, segment, align), pairing by content, planning (make the pairs,
  merge with the book, plan every save) and writing with the sync cache's note;
- the time of aligning alone: segmenting and aligning the same 143 pairs, nothing else.
Aligning alone is the floor of what the import costs in one process; the rest is the price of
writing a book. On a shared machine compare CPU times: the "idle cores" figure is this
process's CPU plus the workers' CPU shared out among the cores.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"

from workbench import parallel  # noqa: E402
from workbench.align import align_documents  # noqa: E402
from workbench.book import Book  # noqa: E402
from workbench.importer import book_dictionary, import_tree  # noqa: E402
from workbench.markdown import segment  # noqa: E402

EN = SHARED / "corpus" / "d2l" / "en-v0.17.0"
ZH = SHARED / "corpus" / "d2l" / "zh-2021-09-30"


def clocks() -> tuple[float, float, float]:
    """Wall time; CPU time of this process; CPU time of the worker processes it has waited for
    (the import shares its work out among processes: parallel.py)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime


def align_alone(work: Path) -> tuple[float, float, int]:
    """Segment and align every pair, as the import does (same dictionary), in this process; (wall, CPU, pairs)."""
    dictionary = book_dictionary(Book(work / "no-book"), ZH)
    pairs = [(p, ZH / p.relative_to(EN)) for p in sorted(EN.rglob("*.md")) if (ZH / p.relative_to(EN)).is_file()]
    wall, cpu, _ = clocks()
    for en, zh in pairs:
        align_documents(segment(en.read_text(encoding="utf-8"), str(en)),
                        segment(zh.read_text(encoding="utf-8"), str(zh)), dictionary)
    w, c, _ = clocks()
    return w - wall, c - cpu, len(pairs)


def import_once(work: Path, name: str) -> dict[str, tuple[float, float, float]]:
    """One import into a fresh book; the time of each stage and in all: (wall, CPU of this
    process, CPU of the workers). A stage's workers are counted once they are done, in the stage
    after it."""
    marks: dict[str, tuple[float, float, float]] = {}

    def note(stage: str, done: int, total: int) -> None:
        if done == total:
            marks[stage] = clocks()

    start = clocks()
    report = import_tree(EN, ZH, Book(work / name), on_progress=note)
    end = clocks()
    assert report.written and len(report.files) == 180, len(report.files)
    points = [("aligning", marks["aligning"]), ("pairing by content", marks.get("pairing", marks["aligning"])),
              ("planning", marks["writing"]), ("writing, sync cache", end)]
    out, before = {}, start
    for stage, at in points:
        out[stage] = tuple(b - a for a, b in zip(before, at, strict=True))
        before = at
    out["import in all"] = tuple(b - a for a, b in zip(start, end, strict=True))
    return out  # type: ignore[return-value]


def main() -> None:
    if not EN.is_dir() or not ZH.is_dir():
        sys.exit(f"no corpus at {EN.parent}")
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wall, cpu, n = align_alone(work)
        for jobs in ("1", str(parallel.jobs())):
            os.environ["WORKBENCH_JOBS"] = jobs
            runs[jobs] = import_once(work, f"book{jobs}")
    print(f"== import of {EN.name} + {ZH.name} (180 files, {n} with Chinese); CPU times: the machine may be "
          "shared, wall times then say little")
    print(f"  {'':<24} {'wall s':>7} {'CPU s':>7} {'workers':>8}   (a stage's workers' CPU shows in the stage after it)")
    for jobs, stages in runs.items():
        print(f"  in {jobs} process{'es' if jobs != '1' else ''}:")
        for name, (w, c, k) in stages.items():
            print(f"  {name:<24} {w:7.1f} {c:7.1f} {k:8.1f}")
        w, c, k = stages["import in all"]
        print(f"  {'':<24} all CPU {c + k:.1f} s; on {jobs} idle core{'s' if jobs != '1' else ''} about "
              f"{c + k / int(jobs):.1f} s (this process's CPU + the workers' shared out)")
    print(f"  {'aligning alone':<24} {wall:7.1f} {cpu:7.1f} {'':>8}   (segment + align the {n} pairs, nothing "
          "else, one process)")
    w, c, k = runs["1"]["import in all"]
    print(f"  import in one process / aligning alone: CPU {(c + k) / cpu:.2f}")


if __name__ == "__main__":
    main()
