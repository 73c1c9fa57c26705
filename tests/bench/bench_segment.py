"""Benchmark: segment and reassemble d2l-en v0.17.0 (180 files), next to po4a on the same files.

Run by hand:  python tests/bench/bench_segment.py
Prints wall time, peak memory (max RSS of the process doing the work) and how many files each
tool gives back byte-identical. po4a: `po4a-updatepo -f text -o markdown -o neverwrap` in one
call over all files (extraction), then `po4a-translate` per file with the untranslated POT
(reassembly), as the issue names it. Debian package: po4a.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EN = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "d2l" / "en-v0.17.0"

OURS = r"""
import sys, time
from pathlib import Path
from workbench.markdown import segment
files = sorted(Path(sys.argv[1]).rglob("*.md"))
t = time.perf_counter()
same = 0
for f in files:
    data = f.read_bytes()
    doc = segment(data.decode("utf-8"), str(f))
    same += doc.text.encode("utf-8") == data
print(len(files), same, time.perf_counter() - t)
"""


def child_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def ours(files: list[Path]) -> tuple[float, float, int]:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", OURS, str(EN)], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    n, same, _inner = r.stdout.split()
    assert int(n) == len(files)
    return wall, child_peak_mb(), int(same)


def po4a(files: list[Path]) -> tuple[float, float, int, float]:
    work = Path(tempfile.mkdtemp())
    pot = work / "book.pot"
    args = ["po4a-updatepo", "-f", "text", "-o", "markdown", "-o", "neverwrap", "-M", "UTF-8", "-p", str(pot)]
    for f in files:
        args += ["-m", str(f)]
    t = time.perf_counter()
    subprocess.run(args, capture_output=True, check=True)
    extract = time.perf_counter() - t
    peak = child_peak_mb()
    same = 0
    t = time.perf_counter()
    for k, f in enumerate(files):
        out = work / f"{k}.md"
        subprocess.run(
            ["po4a-translate", "-f", "text", "-o", "markdown", "-o", "neverwrap", "-M", "UTF-8", "-L", "UTF-8",
             "-m", str(f), "-p", str(pot), "-l", str(out), "-k", "0"],
            capture_output=True,
        )
        same += out.is_file() and out.read_bytes() == f.read_bytes()
    rebuild = time.perf_counter() - t
    shutil.rmtree(work)
    return extract, peak, same, rebuild


def main() -> None:
    files = sorted(EN.rglob("*.md"))
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"d2l-en v0.17.0: {len(files)} files, {size:.1f} MB")
    wall, peak, same = ours(files)
    print(f"workbench segment+reassemble: {wall:6.2f} s (whole process), peak RSS {peak:5.0f} MB, "
          f"{same}/{len(files)} byte-identical")
    if not shutil.which("po4a-updatepo"):
        print("po4a is not installed (apt-get install po4a): no comparison")
        return
    extract, p_peak, p_same, rebuild = po4a(files)
    print(f"po4a-updatepo extraction:     {extract:6.2f} s, peak RSS {p_peak:5.0f} MB (max of both runs); "
          f"po4a-translate back: {rebuild:.1f} s, {p_same}/{len(files)} byte-identical")
    print(f"ratio: workbench takes {wall / extract:.2f}x po4a's extraction time")


if __name__ == "__main__":
    main()
