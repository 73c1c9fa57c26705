"""The cost of a bead: shared anchors, words, terms and lengths of the passages it pairs."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Indel

from .length import length_costs
from .passages import Passage

# Most a bead pays for anchors found on one side only.
ONE_SIDED_MOST = 3.0
# What a bead pays for prose or code of one framework paired with another framework's.
TAB_CONFLICT = 6.0
# What a merged bead pays for each figure or label on one side only.
_STRUCTURAL_MISSING = 4.0

# Bead shapes (English passages, Chinese passages) the dynamic programming tries, with the
# cost of the shape itself (minus log of how often translators do it, after Gale & Church).
SHAPES: dict[tuple[int, int], float] = {
    (1, 1): 0.0,
    (1, 0): 4.0,
    (0, 1): 4.0,
    (2, 1): 2.6,
    (1, 2): 2.6,
    (2, 2): 4.5,
    (3, 1): 4.2,
    (1, 3): 4.2,
}

# One English passage translated as a run of Chinese passages (an exercise list whose items the
# Chinese separates by blank lines), or the reverse: each passage beyond three costs as much
# more as the third did.
LONGEST_RUN = 16
for _k in range(4, LONGEST_RUN + 1):
    SHAPES[(1, _k)] = SHAPES[(_k, 1)] = SHAPES[(1, 3)] + (SHAPES[(1, 3)] - SHAPES[(1, 2)]) * (_k - 3)

# How much a shared anchor of each kind proves (before its rarity in the file is counted).
_ANCHOR_WEIGHT = {
    "label": 4.0, "img": 4.0, "url": 3.0, "ref": 3.5, "tab": 1.5, "tab_end": 1.5, "code": 1.2, "math": 1.2, "num": 0.8,
}
# Anchors every d2l file has (framework tabs): they help place beads, they prove little.
_GENERIC = ("tab:", "tab_end:")


class Scorer:
    """Bead costs for one file pair; rarity of each anchor is counted per file.

    The dynamic programming asks for thousands of beads per file: what a bead's cost looks at is
    found once per passage (counted over a span by prefix sums) and the costs of all the beads
    it asks for are worked out at once, with numpy over the beads (Scorer.costs).
    """

    def __init__(self, en: list[Passage], zh: list[Passage]) -> None:
        self.en, self.zh = en, zh
        # rarity per side: an anchor found once in each file is as telling as an anchor can be
        df_en: Counter[str] = Counter()
        for p in en:
            df_en.update(set(p.anchors))
        df_zh: Counter[str] = Counter()
        for p in zh:
            df_zh.update(set(p.anchors))
        self.df = df_en | df_zh
        wdf: Counter[str] = Counter()
        for p in en:
            wdf.update(p.words)
        tdf: Counter[int] = Counter()
        for p in en:
            tdf.update(p.terms)
        self.weights: dict[str, float] = {}
        self.code_costs: dict[tuple[int, int], tuple[float, float]] = {}  # (English cell, Chinese cell)
        self._en = _Side(en, [self._total(p) for p in en])
        self._zh = _Side(zh, [self._total(p) for p in zh])
        # what the two sides may share: anchors (weighted by rarity), English words the Chinese
        # keeps (a shared word's support falls with how many English passages use it), terms
        shared = sorted(set(df_en) & set(df_zh))
        self._anchor_w = np.array([self._weight(t) for t in shared])
        self._generic_w = np.where([t.startswith(_GENERIC) for t in shared], self._anchor_w, 0.0)
        self._anchors_en, self._anchors_zh = _counts(en, shared, "anchors"), _counts(zh, shared, "anchors")
        words = sorted(set(wdf) & {w for p in zh for w in p.words})
        self._rarity = np.array([1.0 / math.sqrt(wdf[w]) for w in words])
        self._words_en, self._words_zh = _counts(en, words, "words"), _counts(zh, words, "words")
        terms = sorted(set(tdf) & {t for p in zh for t in p.terms})
        self._term_w = np.array([0.8 / math.sqrt(tdf[t]) for t in terms])
        self._terms_en, self._terms_zh = _counts(en, terms, "terms"), _counts(zh, terms, "terms")
        structural = sorted({t for p in (*en, *zh) for t in p.anchors if t.startswith(_STRUCTURAL)})
        self._struct_en, self._struct_zh = _counts(en, structural, "anchors"), _counts(zh, structural, "anchors")

    def costs(self, beads: Sequence[tuple[int, int, int, int]] | Ints) -> tuple[Floats, Floats]:
        """For each bead en[i0:i1] / zh[j0:j1], given as (i0, i1, j0, j1): its cost (its shape's
        included; inf where it cannot be) and its support, the positive evidence that the two
        sides say the same thing (0: length only). A passage left without counterpart (one
        side empty) costs its shape."""
        if len(beads) > _AT_ONCE:  # a bead holds a row per shared anchor and word: a few MB at a time
            parts = [self.costs(beads[k : k + _AT_ONCE]) for k in range(0, len(beads), _AT_ONCE)]
            return np.concatenate([c for c, _ in parts]), np.concatenate([s for _, s in parts])
        i0, i1, j0, j1 = np.asarray(beads, dtype=np.intp).reshape(-1, 4).T
        shape = _SHAPE_COST[i1 - i0, j1 - j0]
        paired = np.flatnonzero((i1 > i0) & (j1 > j0))
        cost, support = np.array(shape), np.zeros(len(shape))
        if len(paired):
            cost[paired], support[paired] = self._paired(i0[paired], i1[paired], j0[paired], j1[paired])
            cost[paired] += shape[paired]
        return cost, support

    def _paired(self, i0: Ints, i1: Ints, j0: Ints, j1: Ints) -> tuple[Floats, Floats]:
        """costs() of beads with both sides non-empty, their shape's cost aside."""
        E, Z = self._en, self._zh
        cost, support = np.full(len(i0), np.inf), np.zeros(len(i0))
        ecode, zcode = E.count("code", i0, i1), Z.count("code", j0, j1)
        # prose for some frameworks only (a tab) does not merge with prose for all
        merges_tab = ((i1 - i0 > 1) & (E.count("tab", i0, i1) > 0) & (E.count("inline", i0, i1) > 0)) | (
            (j1 - j0 > 1) & (Z.count("tab", j0, j1) > 0) & (Z.count("inline", j0, j1) > 0))
        prose = np.flatnonzero((ecode == 0) & (zcode == 0) & ~merges_tab)
        cost[prose], support[prose] = self._prose(i0[prose], i1[prose], j0[prose], j1[prose])
        # a code cell pairs with one code cell; a lone directive line (an :end_tab: the other
        # side writes right after the fence) may come along
        cell = (ecode == 1) & (zcode == 1) & (E.count("directive", i0, i1) + 1 == i1 - i0) & (
            Z.count("directive", j0, j1) + 1 == j1 - j0)
        for k in np.flatnonzero(cell).tolist():
            cost[k], support[k] = self._code_bead(int(i0[k]), int(i1[k]), int(j0[k]), int(j1[k]))
        return cost, support

    def _prose(self, i0: Ints, i1: Ints, j0: Ints, j1: Ints) -> tuple[Floats, Floats]:
        """_paired for beads with no code cell on either side."""
        E, Z = self._en, self._zh
        cost, support = np.zeros(len(i0)), np.zeros(len(i0))
        single = (i1 - i0 == 1) & (j1 - j0 == 1)
        # a heading pairs with a heading of the same level
        neh, nzh = E.count("heading", i0, i1), Z.count("heading", j0, j1)
        # a heading against prose happens (a translator's bold line); a heading taken into a
        # merge with nothing to match it on the other side is another section
        cost += np.where(single, 3.0, 8.0) * np.abs(neh - nzh)
        for k in np.flatnonzero((neh == nzh) & (neh > 0)).tolist():
            if E.levels(i0[k], i1[k]) != Z.levels(j0[k], j1[k]):
                cost[k] += 1.0
        # a figure pairs with a figure
        cost += np.where(single & ((E.count("image", i0, i1) > 0) != (Z.count("image", j0, j1) > 0)), 3.0, 0.0)
        for k in np.flatnonzero((E.count("tabs", i0, i1) > 0) & (Z.count("tabs", j0, j1) > 0)).tolist():
            if _tab_conflict(self.en[i0[k] : i1[k]], self.zh[j0[k] : j1[k]]):
                cost[k] += TAB_CONFLICT
        cost += np.where((E.count("math", i0, i1) > 0) != (Z.count("math", j0, j1) > 0), 2.0, 0.0)
        for k in np.flatnonzero((E.count("has_math", i0, i1) > 0) & (Z.count("has_math", j0, j1) > 0)).tolist():
            sim = Indel.normalized_similarity(E.math(i0[k], i1[k]), Z.math(j0[k], j1[k]))
            cost[k] -= 4.0 * (sim - 0.5)
            support[k] += max(0.0, 6.0 * (sim - 0.5))
        for c, s in (self._anchors(i0, i1, j0, j1), self._words(i0, i1, j0, j1)):
            cost += c
            support += s
        # a figure or labelled block taken into a merge must be on both sides: one the other
        # side lacks is a passage of its own
        merged = np.flatnonzero(~single & ((E.count("structural", i0, i1) > 0) | (Z.count("structural", j0, j1) > 0)))
        if len(merged):
            one_sided = _spans(self._struct_en, i0[merged], i1[merged]) - _spans(self._struct_zh, j0[merged], j1[merged])
            cost[merged] += _STRUCTURAL_MISSING * np.abs(one_sided).sum(axis=1)
        cost += self._length(E.prose_of(i0, i1), Z.prose_of(j0, j1))
        return cost, support

    def _code_bead(self, i0: int, i1: int, j0: int, j1: int) -> tuple[float, float]:
        """The cost and support of a bead of one code cell on each side (and directive lines)."""
        es, zs = self.en[i0:i1], self.zh[j0:j1]
        ec = next(p for p in es if p.kind == "code")
        zc = next(p for p in zs if p.kind == "code")
        both = self.code_costs.get((ec.index, zc.index))
        if both is None:
            both = self.code_costs[(ec.index, zc.index)] = self._code(ec, zc)
        cost, support = both
        if len(es) > 1 or len(zs) > 1:
            c, s = self._only(es, zs, ("tab_end:", "label:"))
            cost, support = cost + c, support + s
        return cost, support

    def _code(self, e: Passage, z: Passage) -> tuple[float, float]:
        if not e.code and not z.code:
            return 0.0, 0.0
        if e.code == z.code:
            sim = 1.0
        else:
            sim = Indel.normalized_similarity(e.code, z.code)
        tab, _ = self._only([e], [z], "tab:")
        tab += TAB_CONFLICT * _tab_conflict([e], [z])
        # a one-line cell like `net` proves less than a whole function, and imports prove nothing
        size = min(e.substance, z.substance, 60)
        support = size / 60 * max(0.0, 10.0 * (sim - 0.6))
        return 10.0 * (0.7 - sim) + tab, support

    def _weight(self, token: str) -> float:
        w = self.weights.get(token)
        if w is None:
            kind = token.split(":", 1)[0]
            w = _ANCHOR_WEIGHT.get(kind, 1.0) / math.sqrt(self.df[token] or 1)
            self.weights[token] = w
        return w

    def _total(self, p: Passage) -> float:
        return sum(self._weight(t) * k for t, k in p.anchors.items())

    def _only(self, es: list[Passage], zs: list[Passage], only: str | tuple[str, ...]) -> tuple[float, float]:
        """_anchors for the anchors of some kinds only, for one bead."""
        a = {t: k for p in es for t, k in p.anchors.items() if t.startswith(only)}
        b = {t: k for p in zs for t, k in p.anchors.items() if t.startswith(only)}
        if not a and not b:
            return 0.0, 0.0
        wa = sum(self._weight(t) * k for t, k in a.items())
        wb = sum(self._weight(t) * k for t, k in b.items())
        support = generic = 0.0
        for t in a.keys() & b.keys():
            w = self._weight(t) * min(a[t], b[t])
            support += w
            if t.startswith(_GENERIC):
                generic += w
        return _one_sided_cost(wa, wb, support) - support, support - generic

    def _anchors(self, i0: Ints, i1: Ints, j0: Ints, j1: Ints) -> tuple[Floats, Floats]:
        """Shared anchors are support; an anchor on one side only costs a third of its weight."""
        E, Z = self._en, self._zh
        both = np.minimum(_spans(self._anchors_en, i0, i1), _spans(self._anchors_zh, j0, j1))
        support, generic = _dot(both, self._anchor_w), _dot(both, self._generic_w)
        cost = _one_sided_cost(E.weight_of(i0, i1), Z.weight_of(j0, j1), support) - support
        # a framework tab is structure every file has: it places a bead, it does not prove it
        return cost, support - generic

    def _words(self, i0: Ints, i1: Ints, j0: Ints, j1: Ints) -> tuple[Floats, Floats]:
        """English words the Chinese keeps, and glossary terms both use, are support (each Chinese
        passage's against the English span's); a Latin word of the Chinese the English lacks costs."""
        kept = (_spans(self._words_en, i0, i1) > 0) * _spans(self._words_zh, j0, j1)
        terms = (_spans(self._terms_en, i0, i1) > 0) * _spans(self._terms_zh, j0, j1)
        support = _dot(kept, self._rarity) + _dot(terms, self._term_w)
        missing = self._zh.count("words", j0, j1) - kept.sum(axis=1)
        return 0.3 * missing - support, support

    @staticmethod
    def _length(le: Floats, lz: Floats) -> Floats:
        """Gale–Church: minus log probability of a Chinese length this far from the expected one."""
        return np.where((le == 0) & (lz == 0), 0.0, length_costs(le, lz) - 1.0)


#: Beads whose costs are worked out at once.
_AT_ONCE = 4096

Ints = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

# The cost of each bead shape, by (English passages, Chinese passages); inf for shapes not tried.
_SHAPE_COST = np.full((LONGEST_RUN + 1, LONGEST_RUN + 1), np.inf)
for (_a, _b), _c in SHAPES.items():
    _SHAPE_COST[_a, _b] = _c


def _one_sided_cost(wa: Any, wb: Any, support: Any) -> Any:
    """Anchors on one side only: a loose translation drops a few references, so the cost of
    missing ones is bounded."""
    return np.minimum(0.35 * (wa + wb - 2 * support), ONE_SIDED_MOST)


def _counts(ps: list[Passage], vocabulary: list[Any], attr: str) -> npt.NDArray[np.int64]:
    """How many times each of `vocabulary` occurs in the passages before each position (a
    prefix sum over the passages: a span's counts are two rows)."""
    index = {v: k for k, v in enumerate(vocabulary)}
    have = np.zeros((len(ps) + 1, len(vocabulary)), dtype=np.int64)
    for row, p in enumerate(ps, 1):
        found = getattr(p, attr)
        for v in found:
            k = index.get(v)
            if k is not None:
                have[row, k] = found[v] if isinstance(found, Counter) else 1
    return np.cumsum(have, axis=0)


def _dot(counts: npt.NDArray[np.int64], weights: Floats) -> Floats:
    """Each row of counts times the weights, added up (numpy's own loop: a matrix product would
    start BLAS threads on a machine whose cores the import's workers already use)."""
    return np.einsum("ij,j->i", counts, weights)


def _spans(upto: npt.NDArray[np.int64], a: Ints, b: Ints) -> npt.NDArray[np.int64]:
    """Counts over the spans a..b-1 (one row per span)."""
    return upto[b] - upto[a]


def _tab_conflict(es: list[Passage], zs: list[Passage]) -> bool:
    """True when both sides name framework tabs and no framework is on both (`all` fits any)."""
    def frameworks(ps: list[Passage]) -> set[str]:
        return {f.strip() for p in ps for t in p.anchors if t.startswith("tab:") for f in t[4:].split(",")}
    a, b = frameworks(es), frameworks(zs)
    return bool(a and b and "all" not in a and "all" not in b and not a & b)


# Anchors a merged bead must have on both sides.
_STRUCTURAL = ("img:", "label:")


class _Side:
    """One file's passages as a bead's cost looks at them: for each feature, how many passages
    up to each position have it (a count over a span is two lookups); sums over a span (prose
    length, anchor weight), its headings' levels and its math, found once per span."""

    def __init__(self, ps: list[Passage], weights: list[float]) -> None:
        self.ps = ps
        self.prose = [p.prose for p in ps]
        self.weights = weights
        features: dict[str, list[int]] = {
            "code": [p.kind == "code" for p in ps],
            "directive": [p.kind == "directive" for p in ps],
            "tab": [p.kind == "tab" for p in ps],
            "inline": [p.kind in ("text", "math", "image") for p in ps],  # prose a tab does not merge with
            "heading": [p.kind == "heading" for p in ps],
            "image": [p.kind == "image" for p in ps],
            "math": [p.kind == "math" for p in ps],
            "has_math": [bool(p.math) for p in ps],
            "tabs": [any(t.startswith("tab:") for t in p.anchors) for p in ps],
            "structural": [any(t.startswith(_STRUCTURAL) for t in p.anchors) for p in ps],
            "words": [len(p.words) for p in ps],
        }
        self.upto = {name: np.cumsum([0, *have]) for name, have in features.items()}
        self._levels: dict[tuple[int, int], list[int]] = {}
        self._math: dict[tuple[int, int], str] = {}

    def count(self, feature: str, a: Any, b: Any) -> Any:
        """How many of the passages a..b-1 have the feature (a and b: positions or arrays of them)."""
        upto = self.upto[feature]
        return upto[b] - upto[a]

    def prose_of(self, a: Ints, b: Ints) -> Floats:
        """Prose length of each span a..b-1."""
        return _span_sums(self.prose, a, b)

    def weight_of(self, a: Ints, b: Ints) -> Floats:
        """Anchor weight of each span a..b-1."""
        return _span_sums(self.weights, a, b)

    def levels(self, a: int, b: int) -> list[int]:
        """The levels of the headings among the passages a..b-1."""
        got = self._levels.get((a, b))
        if got is None:
            got = self._levels[(a, b)] = [p.level for p in self.ps[a:b] if p.kind == "heading"]
        return got

    def math(self, a: int, b: int) -> str:
        """The display math of the passages a..b-1, one string."""
        got = self._math.get((a, b))
        if got is None:
            got = self._math[(a, b)] = "".join(p.math for p in self.ps[a:b])
        return got


def _span_sums(values: list[float], a: Ints, b: Ints) -> Floats:
    """sum(values[a:b]) for each span, added up in order (as a bead of one span each always was:
    the same floats), once per distinct span."""
    spans, where = np.unique(a * (len(values) + 1) + b, return_inverse=True)
    width = len(values) + 1
    sums = np.array([sum(values[s // width : s % width]) for s in spans.tolist()], dtype=float)
    return sums[where]
