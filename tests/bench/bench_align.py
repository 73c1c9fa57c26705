"""Benchmark of the aligner (run by hand: `python tests/bench/bench_align.py`).

Prints, measured in one run:
- link F1 per dev file (../shared/bench/align-gold/dev) for the workbench aligner and for a plain
  Gale–Church aligner over the same passages (the peer);
- on all 143 d2l pairs (en-v0.17.0 with zh-2021-09-30, same relative path): time to segment and
  align, peak memory, and how often a code cell, a display-math block and a :label: line that has
  a counterpart in the Chinese is paired with it;
- the length model re-estimated from the confident 1:1 prose beads (to check the constants);
- a Chinese file of another chapter: its confidence and warning.
"""

from __future__ import annotations

import json
import math
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(SHARED / "bench"))

from align_score import score  # noqa: E402

from workbench import align as A  # noqa: E402
from workbench.markdown import segment  # noqa: E402

EN = SHARED / "corpus" / "d2l" / "en-v0.17.0"
ZH = SHARED / "corpus" / "d2l" / "zh-2021-09-30"
GOLD = SHARED / "bench" / "align-gold" / "dev"


def dev_scores() -> None:
    print("== link F1 on the dev pairs (workbench / plain Gale-Church)")
    ours, base = [], []
    for d in sorted(p for p in GOLD.iterdir() if p.is_dir()):
        en, zh = (d / "en.md").read_text(encoding="utf-8"), (d / "zh.md").read_text(encoding="utf-8")
        r = A.align_texts(en, zh)
        _, _, f = score(d / "gold.json", d / "en.md", d / "zh.md", r.as_json())
        gc = A.Alignment(r.en, r.zh, A.gale_church(r.en, r.zh, en, zh))
        _, _, g = score(d / "gold.json", d / "en.md", d / "zh.md", gc.as_json())
        ours.append(f)
        base.append(g)
        print(f"  {d.name:<14} F1 {f:.4f}   Gale-Church {g:.4f}")
    print(f"  min F1 {min(ours):.4f} (Gale-Church min {min(base):.4f}, max {max(base):.4f})")


def pairs() -> list[tuple[Path, Path]]:
    return [(p, ZH / p.relative_to(EN)) for p in sorted(EN.rglob("*.md")) if (ZH / p.relative_to(EN)).is_file()]


def anchor_keys(p: A.Passage) -> list[str]:
    """What makes a passage a structural anchor: its code, its display math, its labels."""
    keys = []
    if p.kind == "code" and p.code:
        keys.append("code")
    if p.math:
        keys.append("math")
    keys += ["label" for t in p.anchors if t.startswith("label:")]
    return keys


def corpus() -> list[tuple[A.Alignment, str]]:
    files = [(e, z, e.read_text(encoding="utf-8"), z.read_text(encoding="utf-8")) for e, z in pairs()]
    tracemalloc.start()
    t0 = time.perf_counter()
    out = []
    for e, z, et, zt in files:
        out.append((A.align_documents(segment(et, str(e)), segment(zt, str(z))), str(e.relative_to(EN))))
    took = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"== {len(files)} pairs segmented and aligned in {took:.2f} s "
          f"(Python heap peak {peak / 2**20:.0f} MB, process peak RSS {rss:.0f} MB)")
    # the same run without tracemalloc's overhead
    t0 = time.perf_counter()
    for e, z, et, zt in files:
        A.align_documents(segment(et, str(e)), segment(zt, str(z)))
    print(f"   again without memory tracing: {time.perf_counter() - t0:.2f} s")
    return out


def anchor_rates(results: list[tuple[A.Alignment, str]]) -> None:
    """A code cell / math block / label has a counterpart when the Chinese has one passage with
    the same stripped code / math / label name; it is paired when they share a bead."""
    have: dict[str, int] = {"code": 0, "math": 0, "label": 0}
    paired: dict[str, int] = {"code": 0, "math": 0, "label": 0}
    misses: list[str] = []
    for r, name in results:
        bead_of_zh = {j: k for k, b in enumerate(r.beads) for j in b.zh}
        bead_of_en = {i: k for k, b in enumerate(r.beads) for i in b.en}
        zh_code: dict[str, list[int]] = {}
        zh_math: dict[str, list[int]] = {}
        zh_label: dict[str, list[int]] = {}
        for p in r.zh:
            if p.kind == "code" and p.code:
                zh_code.setdefault(p.code, []).append(p.index)
            if p.math:
                zh_math.setdefault(p.math, []).append(p.index)
            for t in p.anchors:
                if t.startswith("label:"):
                    zh_label.setdefault(t, []).append(p.index)
        for p in r.en:
            found: list[tuple[str, list[int]]] = []
            if p.kind == "code" and p.code in zh_code:
                found.append(("code", zh_code[p.code]))
            if p.math and p.math in zh_math:
                found.append(("math", zh_math[p.math]))
            found += [("label", zh_label[t]) for t in p.anchors if t.startswith("label:") and t in zh_label]
            for kind, where in found:
                have[kind] += 1
                if any(bead_of_zh[j] == bead_of_en[p.index] for j in where):
                    paired[kind] += 1
                else:
                    misses.append(f"{name}:{p.start} {kind}")
    print("== structural anchors with a counterpart that are paired with it")
    for k in have:
        rate = paired[k] / have[k] if have[k] else 1.0
        print(f"  {k:<6} {paired[k]:>5} of {have[k]:>5}  {rate:.4f}")
    for m in misses[:15]:
        print(f"    missed: {m}")


def length_model(results: list[tuple[A.Alignment, str]]) -> None:
    xs = []
    for r, _ in results:
        for b in r.beads:
            if len(b.en) == len(b.zh) == 1 and b.score > 0.9:
                e, z = r.en[b.en[0]], r.zh[b.zh[0]]
                if e.kind == "text" and e.prose >= 80:
                    xs.append((e.prose, z.prose))
    c = sum(z for _, z in xs) / sum(e for e, _ in xs)
    s2 = statistics.pvariance([(z - c * e) / math.sqrt(e) for e, z in xs])
    print(f"== length model from {len(xs)} confident 1:1 prose beads: ratio {c:.3f} (constant {A.LENGTH_RATIO}), "
          f"variance per char {s2:.3f} (constant {A.LENGTH_VARIANCE})")


def confidence(results: list[tuple[A.Alignment, str]]) -> None:
    confs = sorted((r.confidence, n) for r, n in results)
    warned = [n for r, n in results if r.warnings]
    print(f"== mean confidence per file: lowest {confs[0][0]:.2f} ({confs[0][1]}), median "
          f"{statistics.median(c for c, _ in confs):.2f}; {len(warned)} files warned: {warned[:5]}")
    wrong = A.align_texts((EN / "chapter_convolutional-modern" / "vgg.md").read_text(encoding="utf-8"),
                          (ZH / "chapter_recurrent-modern" / "lstm.md").read_text(encoding="utf-8"))
    print(f"   vgg.md against the Chinese lstm.md: confidence {wrong.confidence:.2f}, warnings {wrong.warnings}")


if __name__ == "__main__":
    dev_scores()
    results = corpus()
    anchor_rates(results)
    length_model(results)
    confidence(results)
