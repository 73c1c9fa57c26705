"""Benchmark of the aligner (run by hand: `python tests/bench/bench_align.py`).

Prints, measured in one run:
- link F1 per dev file (../shared/bench/align-gold/dev) for the workbench aligner and for a plain
  Gale–Church aligner over the same passages (the peer);
- on all 143 d2l pairs (en-v0.17.0 with zh-2021-09-30, same relative path): time to segment and
  align, peak memory, and how often a code cell, a display-math block and a :label: line that has
  a counterpart in the Chinese is paired with it;
- the length model re-estimated from the confident 1:1 prose beads (to check the constants);
- a Chinese file of another chapter: its confidence and warning;
- the review list (paired beads below align.confidence.REVIEW_BELOW, which the import marks
  "check the pairing"): its precision (the share of its beads that are wrong) and recall (the
  share of the wrong beads it holds), on the gold and on the gold with Chinese passages left out
  or put in (the errors a translation's own paragraphs cause), and its length on the corpus.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(SHARED / "bench"))

from align_score import score  # noqa: E402
from blocks import blocks, spans_to_blocks  # noqa: E402
from gale_church import gale_church  # noqa: E402

from workbench import align as A  # noqa: E402
from workbench.align import length  # noqa: E402
from workbench.align.beads import Alignment  # noqa: E402
from workbench.align.confidence import REVIEW_BELOW, anchor_pairing  # noqa: E402

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
        gc = Alignment(r.en, r.zh, gale_church(r.en, r.zh, en, zh))
        _, _, g = score(d / "gold.json", d / "en.md", d / "zh.md", gc.as_json())
        ours.append(f)
        base.append(g)
        print(f"  {d.name:<14} F1 {f:.4f}   Gale-Church {g:.4f}")
    print(f"  min F1 {min(ours):.4f} (Gale-Church min {min(base):.4f}, max {max(base):.4f})")


def pairs() -> list[tuple[Path, Path]]:
    return [(p, ZH / p.relative_to(EN)) for p in sorted(EN.rglob("*.md")) if (ZH / p.relative_to(EN)).is_file()]


_CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
t0 = time.perf_counter()
from workbench import align as A
from workbench.markdown import segment
EN, ZH = Path({en!r}), Path({zh!r})
pairs = [(p, ZH / p.relative_to(EN)) for p in sorted(EN.rglob("*.md")) if (ZH / p.relative_to(EN)).is_file()]
t1 = time.perf_counter()
for e, z in pairs:
    A.align_documents(segment(e.read_text(encoding="utf-8"), str(e)), segment(z.read_text(encoding="utf-8"), str(z)))
t2 = time.perf_counter()
print(len(pairs), t2 - t1, t2 - t0)
"""


def timing() -> None:
    """Read, segment and align all pairs in a fresh process; its peak RSS is the memory figure."""
    code = _CHILD.format(repo=str(REPO), en=str(EN), zh=str(ZH))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"== {out[0]} pairs read, segmented and aligned in {float(out[1]):.2f} s "
          f"({float(out[2]):.2f} s with imports), peak memory {rss:.0f} MB (fresh process, RSS)")


def corpus() -> list[tuple[Alignment, str]]:
    out = []
    for e, z in pairs():
        r = A.align_texts(e.read_text(encoding="utf-8"), z.read_text(encoding="utf-8"), en_name=str(e), zh_name=str(z))
        out.append((r, str(e.relative_to(EN))))
    return out


def anchor_rates(results: list[tuple[Alignment, str]]) -> None:
    """How often a code cell, display math or :label: line with a counterpart (align.anchor_pairing)
    shares a bead with it."""
    paired: Counter[str] = Counter()
    have: Counter[str] = Counter()
    misses: list[str] = []
    for r, name in results:
        for kind, (p, h) in anchor_pairing(r).items():
            paired[kind] += p
            have[kind] += h
            if p < h:
                misses.append(f"{name}: {h - p} {kind}")
    print("== structural anchors with a counterpart that are paired with it")
    for k in ("code", "math", "label"):
        rate = paired[k] / have[k] if have[k] else 1.0
        print(f"  {k:<6} {paired[k]:>5} of {have[k]:>5}  {rate:.4f}")
    for m in misses[:15]:
        print(f"    not paired: {m}")


def length_model(results: list[tuple[Alignment, str]]) -> None:
    """The length constants against the corpus: the ratio over paired prose, and how many paired
    passages fall in the broad tail the model allows for rewritten paragraphs."""
    xs = []
    for r, _ in results:
        if r.warnings:
            continue
        for b in r.beads:
            if len(b.en) == len(b.zh) == 1:
                e, z = r.en[b.en[0]], r.zh[b.zh[0]]
                if e.kind == "text" and e.prose >= 40:
                    xs.append((e.prose, z.prose))
    c = sum(z for _, z in xs) / sum(e for e, _ in xs)
    deltas = [abs(z - length.LENGTH_RATIO * e) / length.length_sd(e) for e, z in xs]
    tail = sum(d > 3 for d in deltas) / len(deltas)
    print(f"== length model over {len(xs)} paired 1:1 prose passages: Chinese/English ratio {c:.3f} "
          f"(constant {length.LENGTH_RATIO}); {tail:.1%} beyond 3 standard deviations "
          f"(the model's rewritten share: {length.LENGTH_REWRITTEN:.0%}); median deviation "
          f"{statistics.median(deltas):.2f} (normal: 0.67)")


def confidence(results: list[tuple[Alignment, str]]) -> None:
    confs = sorted((r.confidence, n) for r, n in results)
    warned = [n for r, n in results if r.warnings]
    print(f"== mean confidence per file: lowest {confs[0][0]:.2f} ({confs[0][1]}), median "
          f"{statistics.median(c for c, _ in confs):.2f}; {len(warned)} files warned: {warned[:5]}")
    wrong = A.align_texts((EN / "chapter_convolutional-modern" / "vgg.md").read_text(encoding="utf-8"),
                          (ZH / "chapter_recurrent-modern" / "lstm.md").read_text(encoding="utf-8"))
    print(f"   vgg.md against the Chinese lstm.md: confidence {wrong.confidence:.2f}, warnings {wrong.warnings}")


def _labelled(en: str, zh: str, gold_beads: list[dict]) -> list[tuple[float, bool, str]]:
    """Each paired bead of the aligner's: (score, right, where). A bead is right when its links
    are exactly the gold links of the blocks it holds (nothing missing, nothing extra)."""
    eb, zb = blocks(en), blocks(zh)
    gold = {(e, z) for b in gold_beads for e in b["en"] for z in b["zh"]}
    r = A.align_texts(en, zh)
    out = []
    for b, j in zip(r.beads, r.as_json()["beads"], strict=True):
        if not (b.en and b.zh):
            continue
        es = {x for sp in j["en_lines"] for x in spans_to_blocks(sp, eb)}
        zs = {x for sp in j["zh_lines"] for x in spans_to_blocks(sp, zb)}
        want = {(e, z) for (e, z) in gold if e in es or z in zs}
        out.append((b.score, {(e, z) for e in es for z in zs} == want, f"en {j['en_lines']}"))
    return out


def _perturbed(per_file: int = 6, seed: int = 0):
    """Each dev pair as it is, then with a Chinese paragraph left out or one of another file put
    in after it (alternately), the gold moved along: (name, en, zh, gold beads)."""
    rng = random.Random(seed)
    dirs = sorted(p for p in GOLD.iterdir() if p.is_dir())
    zh_texts = {d.name: (d / "zh.md").read_text(encoding="utf-8") for d in dirs}
    for d in dirs:
        en, zh = (d / "en.md").read_text(encoding="utf-8"), zh_texts[d.name]
        gold = json.loads((d / "gold.json").read_text(encoding="utf-8"))["beads"]
        yield d.name, en, zh, gold
        lines = zh.split("\n")
        prose = [b for b in blocks(zh) if b["kind"] == "text"]
        for n in range(per_file):
            b = rng.choice(prose)
            if n % 2 == 0:
                new = "\n".join(lines[: b["start"] - 1] + lines[b["end"] + 1 :])
                moved = [{"en": x["en"], "zh": [z - (z > b["i"]) for z in x["zh"] if z != b["i"]]} for x in gold]
            else:
                other = rng.choice([o for o in dirs if o != d])
                extra = rng.choice([x for x in blocks(zh_texts[other.name]) if x["kind"] == "text"])["text"]
                new = "\n".join(lines[: b["end"]] + ["", *extra.split("\n")] + lines[b["end"] :])
                moved = [{"en": x["en"], "zh": [z + (z > b["i"]) for z in x["zh"]]} for x in gold]
            yield f"{d.name}*{n}", en, new, moved


def review_list(results: list[tuple[Alignment, str]]) -> None:
    """Precision and recall of the review list (paired beads below REVIEW_BELOW)."""
    print(f"== the review list: paired beads below {REVIEW_BELOW} (marked 'check the pairing' by the import)")
    plain: list[tuple[float, bool, str]] = []
    varied: dict[tuple[str, float, bool], None] = {}  # a bead met in several variants (same English, score) counts once
    for name, en, zh, gold in _perturbed():
        rows = _labelled(en, zh, gold)
        if "*" not in name:
            plain += rows
        for score_, right, where in rows:
            varied[(name.split("*")[0] + " " + where, round(score_, 6), right)] = None
    for title, rows in (("gold", plain), ("gold, passages left out / put in", [(s, r, w) for w, s, r in varied])):
        wrong = sum(not right for _, right, _ in rows)
        print(f"  {title}: {len(rows)} paired beads, {wrong} wrong")
        for t in sorted({0.2, 0.3, REVIEW_BELOW, 0.4, 0.5}):
            below = [right for s, right, _ in rows if s < t]
            hit = sum(not right for right in below)
            p = f"{hit / len(below):.2f}" if below else "-"
            r = f"{hit / wrong:.2f}" if wrong else "-"
            print(f"    below {t:.2f}: {len(below):>3} beads, {hit} wrong: precision {p}, recall {r}")
    paired = [b for r, _ in results if not r.warnings for b in r.beads if b.en and b.zh]
    print(f"  the d2l corpus (files not doubted as a whole): {sum(b.score < REVIEW_BELOW for b in paired)} of "
          f"{len(paired)} paired beads below {REVIEW_BELOW}")


if __name__ == "__main__":
    dev_scores()
    timing()
    results = corpus()
    anchor_rates(results)
    length_model(results)
    confidence(results)
    review_list(results)
