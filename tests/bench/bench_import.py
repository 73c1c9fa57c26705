"""Benchmark of `workbench import` (run by hand: `python tests/bench/bench_import.py`; never a timed test).

Imports d2l-en v0.17.0 with d2l-zh (../shared/corpus/d2l: 180 English files, 143 with Chinese)
into a fresh book in a temporary folder, and prints side by side, in one run:
- the import's wall and CPU time, split into aligning (read, segment, align, make the pairs),
  writing (plan every save, write) and noting the files in the sync cache;
- the time of aligning alone: segmenting and aligning the same 143 pairs, nothing else.
Aligning alone is the floor of what the import can cost; the rest is the price of writing a book.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"

from workbench.align import align_documents  # noqa: E402
from workbench.book import Book  # noqa: E402
from workbench.importer import book_dictionary, import_tree  # noqa: E402
from workbench.markdown import segment  # noqa: E402

EN = SHARED / "corpus" / "d2l" / "en-v0.17.0"
ZH = SHARED / "corpus" / "d2l" / "zh-2021-09-30"


def clocks() -> tuple[float, float]:
    """Wall time, and CPU time of this process and of the worker processes it has waited for (the
    import shares its work out among processes: parallel.py)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def align_alone(work: Path) -> tuple[float, float, int]:
    """Segment and align every pair, as the import does (same dictionary); (wall, CPU, pairs)."""
    dictionary = book_dictionary(Book(work / "no-book"), ZH)
    pairs = [(p, ZH / p.relative_to(EN)) for p in sorted(EN.rglob("*.md")) if (ZH / p.relative_to(EN)).is_file()]
    wall, cpu = clocks()
    for en, zh in pairs:
        align_documents(segment(en.read_text(encoding="utf-8"), str(en)),
                        segment(zh.read_text(encoding="utf-8"), str(zh)), dictionary)
    w, c = clocks()
    return w - wall, c - cpu, len(pairs)


def import_once(work: Path) -> dict[str, tuple[float, float]]:
    """One import into a fresh book; the time of each stage (wall, CPU) and in all."""
    marks: dict[str, tuple[float, float]] = {}

    def note(stage: str, done: int, total: int) -> None:
        if done == total:
            marks[stage] = clocks()

    start = clocks()
    report = import_tree(EN, ZH, Book(work / "book"), on_progress=note)
    end = clocks()
    assert report.written and len(report.files) == 180, len(report.files)
    aligned, written = marks["aligning"], marks["writing"]
    return {
        "aligning": (aligned[0] - start[0], aligned[1] - start[1]),
        "writing": (written[0] - aligned[0], written[1] - aligned[1]),
        "sync cache": (end[0] - written[0], end[1] - written[1]),
        "import in all": (end[0] - start[0], end[1] - start[1]),
    }


def main() -> None:
    if not EN.is_dir() or not ZH.is_dir():
        sys.exit(f"no corpus at {EN.parent}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wall, cpu, n = align_alone(work)
        stages = import_once(work)
    print(f"== import of {EN.name} + {ZH.name} (180 files, {n} with Chinese)")
    print(f"  {'':<16} {'wall s':>8} {'CPU s':>8}")
    for name, (w, c) in stages.items():
        print(f"  {name:<16} {w:8.1f} {c:8.1f}")
    print(f"  {'aligning alone':<16} {wall:8.1f} {cpu:8.1f}   (segment + align the {n} pairs, nothing else)")
    total_wall, total_cpu = stages["import in all"]
    print(f"  import / aligning alone: wall {total_wall / wall:.2f}, CPU {total_cpu / cpu:.2f}")


if __name__ == "__main__":
    main()
