"""The cost of a bead: shared anchors, words, terms and lengths of the passages it pairs."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from rapidfuzz.distance import Indel

from .length import length_cost
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
    """Bead costs for one file pair; rarity of each anchor is counted per file."""

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
        self.wdf = wdf
        tdf: Counter[int] = Counter()
        for p in en:
            tdf.update(p.terms)
        self.tdf = tdf
        self.weights: dict[str, float] = {}
        self.totals: dict[int, float] = {}  # id(passage) -> total weight of its anchors
        self.cache: dict[tuple[int, int, int, int], tuple[float, float]] = {}
        # the dynamic programming asks for some hundred thousand beads per file: what a bead's
        # cost looks at is found once per passage, and counted over a span by prefix sums
        self.bags: dict[tuple[int, int] | None, tuple[Mapping[str, int], float]] = {}
        self.spans: dict[tuple[int, int], tuple[set[str], set[int]]] = {}  # English words, terms of a span
        self.rarity = {w: 1.0 / math.sqrt(k) for w, k in wdf.items()}  # a shared word's support
        self._en = _Side(en)
        self._zh = _Side(zh)

    def skip(self, p: Passage) -> float:
        """Cost of leaving a passage without counterpart."""
        return SHAPES[(1, 0)]

    def cost(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Cost of the bead en[i0:i1] with zh[j0:j1] (both non-empty)."""
        c = self.cache.get((i0, i1, j0, j1))
        return c[0] if c is not None else self.parts(i0, i1, j0, j1)[0]

    def support(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Positive evidence that en[i0:i1] and zh[j0:j1] say the same thing (0: length only)."""
        return self.parts(i0, i1, j0, j1)[1]

    def parts(self, i0: int, i1: int, j0: int, j1: int) -> tuple[float, float]:
        key = (i0, i1, j0, j1)
        c = self.cache.get(key)
        if c is None:
            cost, support = self._cost(i0, i1, j0, j1)
            c = (cost + SHAPES[(i1 - i0, j1 - j0)], support)
            self.cache[key] = c
        return c

    def _cost(self, i0: int, i1: int, j0: int, j1: int) -> tuple[float, float]:
        E, Z = self._en, self._zh
        ecode, zcode = E.count("code", i0, i1), Z.count("code", j0, j1)
        if ecode or zcode:
            # a code cell pairs with one code cell; a lone directive line (an :end_tab: the
            # other side writes right after the fence) may come along
            if ecode != 1 or zcode != 1:
                return math.inf, 0.0
            if E.count("directive", i0, i1) + 1 != i1 - i0 or Z.count("directive", j0, j1) + 1 != j1 - j0:
                return math.inf, 0.0
            es, zs = self.en[i0:i1], self.zh[j0:j1]
            ec = next(p for p in es if p.kind == "code")
            zc = next(p for p in zs if p.kind == "code")
            cost, support = self._code(ec, zc)
            if len(es) > 1 or len(zs) > 1:
                c, s = self._anchors(es, zs, only=("tab_end:", "label:"))
                cost, support = cost + c, support + s
            return cost, support
        # prose for some frameworks only (a tab) does not merge with prose for all
        for side, a, b in ((E, i0, i1), (Z, j0, j1)):
            if b - a > 1 and side.count("tab", a, b) and side.count("inline", a, b):
                return math.inf, 0.0
        es, zs = self.en[i0:i1], self.zh[j0:j1]
        single = i1 - i0 == 1 and j1 - j0 == 1
        cost = support = 0.0
        # a heading pairs with a heading of the same level
        neh, nzh = E.count("heading", i0, i1), Z.count("heading", j0, j1)
        if neh != nzh:
            # a heading against prose happens (a translator's bold line); a heading taken into a
            # merge with nothing to match it on the other side is another section
            cost += (3.0 if single else 8.0) * abs(neh - nzh)
        elif neh and [p.level for p in es if p.kind == "heading"] != [p.level for p in zs if p.kind == "heading"]:
            cost += 1.0
        if single and bool(E.count("image", i0, i1)) != bool(Z.count("image", j0, j1)):
            cost += 3.0  # a figure pairs with a figure
        if E.count("tabs", i0, i1) and Z.count("tabs", j0, j1) and _tab_conflict(es, zs):
            cost += TAB_CONFLICT
        if bool(E.count("math", i0, i1)) != bool(Z.count("math", j0, j1)):
            cost += 2.0
        if E.count("has_math", i0, i1) and Z.count("has_math", j0, j1):
            sim = Indel.normalized_similarity("".join(p.math for p in es), "".join(p.math for p in zs))
            cost -= 4.0 * (sim - 0.5)
            support += max(0.0, 6.0 * (sim - 0.5))
        for c, s in (self._anchors(es, zs), self._words(es, zs)):
            cost += c
            support += s
        if not single and (E.count("structural", i0, i1) or Z.count("structural", j0, j1)):
            # a figure or labelled block taken into a merge must be on both sides: one the
            # other side lacks is a passage of its own
            cost += _STRUCTURAL_MISSING * _one_sided(es, zs, _STRUCTURAL)
        cost += self._length(sum(E.prose[i0:i1]), sum(Z.prose[j0:j1]))
        return cost, support

    def _code(self, e: Passage, z: Passage) -> tuple[float, float]:
        if not e.code and not z.code:
            return 0.0, 0.0
        if e.code == z.code:
            sim = 1.0
        else:
            sim = Indel.normalized_similarity(e.code, z.code)
        tab, _ = self._anchors([e], [z], only="tab:")
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

    def _bag(self, ps: list[Passage]) -> tuple[Mapping[str, int], float]:
        """The anchors of consecutive passages, and their total weight (a span meets many partners:
        each is merged once)."""
        key = (id(ps[0]), len(ps)) if ps else None
        bag = self.bags.get(key)
        if bag is None:
            bag = self.bags[key] = self._merge(ps)
        return bag

    def _merge(self, ps: list[Passage]) -> tuple[Mapping[str, int], float]:
        total = 0.0
        for p in ps:
            w = self.totals.get(id(p))
            if w is None:
                w = self.totals[id(p)] = sum(self._weight(t) * k for t, k in p.anchors.items())
            total += w
        if len(ps) == 1:
            return ps[0].anchors, total
        merged: dict[str, int] = {}
        for p in ps:
            for t, k in p.anchors.items():
                merged[t] = merged.get(t, 0) + k
        return merged, total

    def _anchors(self, es: list[Passage], zs: list[Passage], only: str | tuple[str, ...] = "") -> tuple[float, float]:
        """Shared anchors are support; an anchor on one side only costs a third of its weight."""
        a: Mapping[str, int]
        b: Mapping[str, int]
        if only:
            a = {t: k for p in es for t, k in p.anchors.items() if t.startswith(only)}
            b = {t: k for p in zs for t, k in p.anchors.items() if t.startswith(only)}
            wa = sum(self._weight(t) * k for t, k in a.items())
            wb = sum(self._weight(t) * k for t, k in b.items())
        else:
            a, wa = self._bag(es)
            b, wb = self._bag(zs)
        if not a and not b:
            return 0.0, 0.0
        if len(b) < len(a):
            a, b = b, a
        support = generic = 0.0
        for t, k in a.items():
            other = b.get(t)
            if other:
                w = self._weight(t) * min(k, other)
                support += w
                if t.startswith(_GENERIC):
                    generic += w
        # anchors on one side only: a loose translation drops a few references, so the cost
        # of missing ones is bounded
        cost = min(0.35 * (wa + wb - 2 * support), ONE_SIDED_MOST)
        # a framework tab is structure every file has: it places a bead, it does not prove it
        return cost - support, support - generic

    def _words(self, es: list[Passage], zs: list[Passage]) -> tuple[float, float]:
        key = (id(es[0]), len(es))
        both = self.spans.get(key)
        if both is None:
            ew: set[str] = set()
            et: set[int] = set()
            for p in es:
                ew |= p.words
                et |= p.terms
            both = self.spans[key] = (ew, et)
        ew, et = both
        rarity = self.rarity
        cost = support = 0.0
        for p in zs:
            for w in p.words:
                if w in ew:
                    support += rarity[w]
                else:
                    cost += 0.3
        for p in zs:
            for t in p.terms:
                if t in et:
                    support += 0.8 / math.sqrt(self.tdf[t] or 1)
        return cost - support, support

    @staticmethod
    def _length(le: float, lz: float) -> float:
        """Gale–Church: minus log probability of a Chinese length this far from the expected one."""
        if le == 0 and lz == 0:
            return 0.0
        return length_cost(le, lz) - 1.0


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
    up to each position have it (a count over a span is two lookups)."""

    def __init__(self, ps: list[Passage]) -> None:
        self.prose = [p.prose for p in ps]
        features: dict[str, list[bool]] = {
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
        }
        self.upto: dict[str, list[int]] = {}
        for name, have in features.items():
            upto = [0]
            for h in have:
                upto.append(upto[-1] + h)
            self.upto[name] = upto

    def count(self, feature: str, a: int, b: int) -> int:
        """How many of the passages a..b-1 have the feature."""
        upto = self.upto[feature]
        return upto[b] - upto[a]


def _one_sided(es: list[Passage], zs: list[Passage], kinds: tuple[str, ...]) -> int:
    """How many anchors of these kinds one side has and the other lacks."""
    a = Counter(t for p in es for t in p.anchors if t.startswith(kinds))
    b = Counter(t for p in zs for t in p.anchors if t.startswith(kinds))
    return sum(((a - b) + (b - a)).values())
