"""Which Chinese file translates which English file, when their paths do not say it.

A Chinese edition renames files (d2l-zh's `nadaraya-waston.md` for d2l-en's
`nadaraya-watson.md`) and moves them (d2l-zh keeps the recommender chapter under `contrib/`).
What both files of a translation share whatever their names — code cells, display math,
labels, image paths, links, inline code, the Latin names the Chinese keeps — makes a file's
fingerprint. Each Chinese file left without English is tried against the English files left
without Chinese, most alike first; the aligner has the last word (a candidate it doubts as a
whole, align.confidence.doubts, is no pairing).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .align.passages import passages
from .model import Document

#: Fingerprint tokens each kind of shared thing is worth before its rarity among the files is
#: counted: a label or an image path names one place in one book; a Latin word may be anywhere.
_WEIGHT = {"code": 3.0, "math": 3.0, "label": 4.0, "img": 4.0, "url": 2.0, "ref": 2.0, "inline": 1.0, "word": 0.3}

#: Candidates tried per Chinese file, most alike first (each try is an alignment).
TRIES = 3

#: Below this likeness no alignment is tried: the files share next to nothing.
LEAST_LIKENESS = 0.05


def content_print(doc: Document, chinese: bool) -> Counter[str]:
    """What a file shares with its translation, as tokens `kind:value` (counted)."""
    out: Counter[str] = Counter()
    for p in passages(doc, None, chinese=chinese):
        if p.kind == "code" and p.substance >= 20:
            out["code:" + p.code] += 1
        if p.math:
            out["math:" + p.math] += 1
        for a, k in p.anchors.items():
            kind = a.split(":", 1)[0]
            if kind in ("label", "img", "url", "ref"):
                out[a] += k
            elif kind in ("code", "math"):
                out["inline:" + a] += k
        for w in p.words:
            out["word:" + w] += 1
    return out


@dataclass(slots=True)
class Candidate:
    """A Chinese file and an English file that may be a translation of it."""

    zh: str
    en: str
    likeness: float
    """0 to 1: the weighted share of the two fingerprints the files have in common."""


def likeness(zh: Counter[str], en: Counter[str], weight: Callable[[str], float],
             totals: tuple[float, float] | None = None) -> float:
    """How much of what the two files hold they share (cosine of the weighted token sets).
    `totals`: the weights of the two sets, when the caller has them already."""
    shared = sum(weight(t) for t in zh.keys() & en.keys())
    if not shared:
        return 0.0
    zh_total, en_total = totals or (sum(map(weight, zh)), sum(map(weight, en)))
    return shared / math.sqrt(zh_total * en_total)


def candidates(zh_prints: dict[str, Counter[str]], en_prints: dict[str, Counter[str]],
               tried: Iterable[tuple[str, str]] = ()) -> list[Candidate]:
    """For each Chinese file, its TRIES most alike English files (not yet `tried`), most alike
    first over all files. A token found in many files proves little: its weight falls with
    the number of files that hold it."""
    df: Counter[str] = Counter()
    for fp in (*zh_prints.values(), *en_prints.values()):
        df.update(fp.keys())
    files = len(zh_prints) + len(en_prints)
    # each token's weight, and each file's in all, found once (every pair of files meets them)
    weights = {t: _WEIGHT[t.split(":", 1)[0]] * math.log(1 + files / k) for t, k in df.items()}
    weight = weights.__getitem__
    zh_totals = {z: sum(map(weight, fp)) for z, fp in zh_prints.items()}
    en_totals = {e: sum(map(weight, fp)) for e, fp in en_prints.items()}
    skip = set(tried)
    out = []
    for z, zp in zh_prints.items():
        ranked = sorted(((likeness(zp, ep, weight, (zh_totals[z], en_totals[e])), e) for e, ep in en_prints.items()
                         if (z, e) not in skip), reverse=True)
        out += [Candidate(z, e, s) for s, e in ranked[:TRIES] if s >= LEAST_LIKENESS]
    return sorted(out, key=lambda c: -c.likeness)


def parse_forced(pairs: list[str]) -> dict[str, str]:
    """`--pair ZH=EN` arguments as {English path: Chinese path}; raises ValueError for one
    without `=` or naming a file twice."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for arg in pairs:
        zh, sep, en = arg.partition("=")
        zh, en = zh.strip().strip("/"), en.strip().strip("/")
        if not sep or not zh or not en:
            raise ValueError(f"--pair {arg}: give it as ZH=EN, the two paths relative to the trees")
        if en in out or zh in seen:
            raise ValueError(f"--pair {arg}: a file may be paired once")
        out[en] = zh
        seen.add(zh)
    return out
