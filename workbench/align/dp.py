"""The dynamic programming: the cheapest beads through a band around the certain pairs, with margins."""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left
from collections import Counter

import numpy as np

from .length import LENGTH_RATIO, LENGTH_TAIL, length_sd
from .passages import Passage
from .scorer import LONGEST_RUN, SHAPES, Bools, Ints, Scorer

# More than the bead shapes a cell may have (small ones and long runs both ways).
_MOST_SHAPES = 2 * LONGEST_RUN + len(SHAPES)

# Passages a long run may hold: prose and what sits in prose, not code cells or headings.
_RUN_KINDS = frozenset({"text", "math", "directive", "image"})


def certain_pairs(en: list[Passage], zh: list[Passage]) -> list[tuple[int, int]]:
    """Passage pairs that cannot be wrong: a code cell, label or image path found once on each
    side (and only there), kept in an order both files agree on."""
    keys_en: dict[str, list[int]] = {}
    keys_zh: dict[str, list[int]] = {}
    for side, keys in ((en, keys_en), (zh, keys_zh)):
        for p in side:
            if p.kind == "directive":
                continue  # a label line alone may still join the heading before it
            found = []
            if p.kind == "code" and len(p.code) >= 20:
                found.append("code:" + p.code)
            found += [t for t in p.anchors if t.startswith(("label:", "img:"))]
            for t in found:
                keys.setdefault(t, []).append(p.index)
    pairs = sorted(
        {(keys_en[t][0], keys_zh[t][0]) for t in keys_en if len(keys_en[t]) == 1 and len(keys_zh.get(t, ())) == 1}
    )
    # a passage in two certain pairs with different partners: trust neither
    ce = Counter(i for i, _ in pairs)
    cz = Counter(j for _, j in pairs)
    pairs = [(i, j) for i, j in pairs if ce[i] == 1 and cz[j] == 1]
    return _increasing(pairs)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of pairs increasing on both sides (pairs sorted by the first)."""
    if not pairs:
        return []
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[pos] = j
            tail_at[pos] = k
        back[k] = tail_at[pos - 1] if pos else -1
    out = []
    k = tail_at[-1]
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def cheapest_beads(sc: Scorer, bounds: list[tuple[int, int]]) -> list[tuple[int, int, int, int, float]]:
    """Cheapest beads covering both files, each with its margin: (a, b, c, d, margin) for the
    bead en[a:b] / zh[c:d]. Only cells (i, j) with bounds[i][0] <= j <= bounds[i][1] are tried.

    The margin is how much more the best alignment that decides differently around the bead
    costs (computed from the cheapest paths into and out of every cell: forward and backward
    passes of the same dynamic programming).
    """
    lattice = _Lattice(sc, bounds)
    fwd, back = lattice.forward()
    bwd = lattice.backward()
    return lattice.margins(lattice.path(back), fwd, bwd)


class _Edges:
    """The beads that end at (or start at) each cell of the band: their shapes and costs, cell
    by cell in the order a pass visits the cells, each cell's in the order shapes_into (or
    shapes_from) gives them (the first of two equal paths wins)."""

    def __init__(self, lattice: _Lattice, into: bool) -> None:
        n, m, bounds = lattice.n, lattice.m, lattice.bounds
        lo = np.array([b[0] for b in bounds], dtype=np.intp)
        hi = np.array([b[1] for b in bounds], dtype=np.intp)
        width = hi - lo + 1
        self.bounds = bounds
        self.at = np.concatenate(([0], np.cumsum(width)[:-1])).tolist()  # the first cell of each row
        cells = int(width.sum())
        i = np.repeat(np.arange(n + 1), width)
        j = np.arange(cells) - np.repeat(np.asarray(self.at) - lo, width)
        # the small shapes at every cell, then the long runs where a run of prose may be
        small = len(lattice.small)
        cell = [np.tile(np.arange(cells), small)]
        a = [np.repeat([x for x, _ in lattice.small], cells)]
        b = [np.repeat([y for _, y in lattice.small], cells)]
        order = [np.repeat(np.arange(small), cells)]
        shapes_at = lattice.shapes_into if into else lattice.shapes_from
        runs = [(c, x, y, k) for c in np.flatnonzero(lattice.may_run(i, j, into)).tolist()
                for k, (x, y) in enumerate(shapes_at(int(i[c]), int(j[c]))[small:], small)]
        for got, column in zip((cell, a, b, order), zip(*runs, strict=True), strict=False):
            got.append(np.array(column, dtype=np.intp))
        at, da, db, k = (np.concatenate(x) for x in (cell, a, b, order))
        ci, cj = i[at], j[at]
        # the other end of the bead: beyond the band the pass has no path
        p, q = (ci - da, cj - db) if into else (ci + da, cj + db)
        inside = (p >= 0) & (q >= 0) & (p <= n) & (q <= m)
        pc = np.clip(p, 0, n)
        keep = np.flatnonzero(inside & (lo[pc] <= q) & (q <= hi[pc]))
        keep = keep[np.argsort(at[keep] * _MOST_SHAPES + k[keep])]
        self.ends = np.concatenate(([0], np.cumsum(np.bincount(at[keep], minlength=cells)))).tolist()
        self.a, self.b = da[keep].tolist(), db[keep].tolist()
        p, q, ci, cj = p[keep], q[keep], ci[keep], cj[keep]
        self.beads = np.stack((p, ci, q, cj) if into else (ci, p, cj, q), axis=1)
        self.costs: list[float] = []

    def of(self, i: int, j: int) -> range:
        """Where the beads of cell (i, j) are in a, b (their shapes) and costs."""
        k = self.at[i] + j - self.bounds[i][0]
        return range(self.ends[k], self.ends[k + 1])


class _Lattice:
    """The cells (i, j) of the dynamic programming (i English passages, j Chinese ones aligned),
    the bead shapes that may end or start at each, and their costs."""

    def __init__(self, sc: Scorer, bounds: list[tuple[int, int]]) -> None:
        self.sc, self.bounds = sc, bounds
        self.n, self.m = len(sc.en), len(sc.zh)
        self.small = [shape for shape in SHAPES if max(shape) <= 3]
        # how many passages a long run ending before / starting at each position may take
        self.en_back = _runs([p.kind for p in sc.en], backward=True)
        self.zh_back = _runs([p.kind for p in sc.zh], backward=True)
        self.en_fwd = _runs([p.kind for p in sc.en], backward=False)
        self.zh_fwd = _runs([p.kind for p in sc.zh], backward=False)
        self.en_back_a, self.zh_back_a = np.array(self.en_back), np.array(self.zh_back)
        self.en_fwd_a, self.zh_fwd_a = np.array(self.en_fwd), np.array(self.zh_fwd)
        self.en_prose = [p.prose for p in sc.en]
        self.zh_prose = [p.prose for p in sc.zh]
        self.into = _Edges(self, into=True)
        self.out = _Edges(self, into=False)
        # most beads are met by both passes: each one's cost is worked out once
        both = np.concatenate((self.into.beads, self.out.beads))
        key = ((both[:, 0] * (self.n + 1) + both[:, 1]) * (self.m + 1) + both[:, 2]) * (self.m + 1) + both[:, 3]
        _, first, where = np.unique(key, return_index=True, return_inverse=True)
        costs = sc.costs(both[first])[0][where]
        self.into.costs = costs[: len(self.into.beads)].tolist()
        self.out.costs = costs[len(self.into.beads) :].tolist()

    def may_run(self, i: Ints, j: Ints, into: bool) -> Bools:
        """The cells (given as arrays) where a bead longer than the small shapes may end (or start)."""
        if into:
            return ((self.zh_back_a[j] > 3) & (i > 0)) | ((self.en_back_a[i] > 3) & (j > 0))
        return ((self.zh_fwd_a[j] > 3) & (i < self.n)) | ((self.en_fwd_a[i] > 3) & (j < self.m))

    @staticmethod
    def run(one: float, many: list[float], start: int, step: int, most: int, chinese_many: bool) -> int:
        """How long a run of `many` (from `start`, going by `step`) one passage of prose
        length `one` may take before the lengths cannot match any more (two broad
        deviations: see length_cost)."""
        total = 0.0
        k = 0
        while k < most:
            total += many[start + step * k]
            if k >= 3:
                le, lz = (one, total) if chinese_many else (total, one)
                if lz - le * LENGTH_RATIO > 2 * LENGTH_TAIL * length_sd(le):
                    break
            k += 1
        return k

    def shapes_into(self, i: int, j: int) -> list[tuple[int, int]]:
        """Bead shapes that may end at cell (i, j)."""
        out = self.small
        if self.zh_back[j] > 3 and i:
            k = self.run(self.en_prose[i - 1], self.zh_prose, j - 1, -1, min(self.zh_back[j], LONGEST_RUN), True)
            out = out + [(1, x) for x in range(4, k + 1)]
        if self.en_back[i] > 3 and j:
            k = self.run(self.zh_prose[j - 1], self.en_prose, i - 1, -1, min(self.en_back[i], LONGEST_RUN), False)
            out = out + [(x, 1) for x in range(4, k + 1)]
        return out

    def shapes_from(self, i: int, j: int) -> list[tuple[int, int]]:
        """Bead shapes that may start at cell (i, j)."""
        out = self.small
        if self.zh_fwd[j] > 3 and i < self.n:
            k = self.run(self.en_prose[i], self.zh_prose, j, 1, min(self.zh_fwd[j], LONGEST_RUN), True)
            out = out + [(1, x) for x in range(4, k + 1)]
        if self.en_fwd[i] > 3 and j < self.m:
            k = self.run(self.zh_prose[j], self.en_prose, i, 1, min(self.en_fwd[i], LONGEST_RUN), False)
            out = out + [(x, 1) for x in range(4, k + 1)]
        return out

    def forward(self) -> tuple[list[list[float]], list[list[tuple[int, int]]]]:
        """The cheapest cost of reaching each cell from (0, 0), and the shape of the bead it came by."""
        n, m, INF = self.n, self.m, math.inf
        fwd = [[INF] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
        fwd[0][0] = 0.0
        sa, sb, costs, ends = self.into.a, self.into.b, self.into.costs, self.into.ends
        k = 0
        for i in range(n + 1):
            lo, hi = self.bounds[i]
            row = fwd[i]
            for j in range(lo, hi + 1):
                k += 1
                if i == 0 and j == 0:
                    continue
                best, arg = INF, (1, 0) if i else (0, 1)
                for x in range(ends[k - 1], ends[k]):
                    a, b = sa[x], sb[x]
                    prev = fwd[i - a][j - b]
                    if prev == INF:
                        continue
                    c = prev + costs[x]
                    if c < best:
                        best, arg = c, (a, b)
                row[j] = best
                back[i][j] = arg
        return fwd, back

    def backward(self) -> list[list[float]]:
        """The cheapest cost of going from each cell to (n, m)."""
        n, m, INF = self.n, self.m, math.inf
        bwd = [[INF] * (m + 1) for _ in range(n + 1)]
        bwd[n][m] = 0.0
        sa, sb, costs, ends, at = self.out.a, self.out.b, self.out.costs, self.out.ends, self.out.at
        for i in range(n, -1, -1):
            lo, hi = self.bounds[i]
            row = bwd[i]
            for j in range(hi, lo - 1, -1):
                if i == n and j == m:
                    continue
                k = at[i] + j - lo
                best = INF
                for x in range(ends[k], ends[k + 1]):
                    a, b = sa[x], sb[x]
                    nxt = bwd[i + a][j + b]
                    if nxt == INF:
                        continue
                    c = nxt + costs[x]
                    if c < best:
                        best = c
                row[j] = best
        return bwd

    def path(self, back: list[list[tuple[int, int]]]) -> list[tuple[int, int, int, int]]:
        """The cheapest alignment's beads, first to last, each as (i, j) where it starts and ends."""
        path = []
        i, j = self.n, self.m
        while i or j:
            a, b = back[i][j]
            path.append((i - a, j - b, i, j))
            i, j = i - a, j - b
        path.reverse()
        return path

    def margins(self, path: list[tuple[int, int, int, int]], fwd: list[list[float]],
                bwd: list[list[float]]) -> list[tuple[int, int, int, int, float]]:
        """Each bead of the path with how much more the cheapest alignment without it costs."""
        n, m, INF, bounds = self.n, self.m, math.inf, self.bounds
        total = fwd[n][m]
        on_path = {(p, q) for p, q, _, _ in path} | {(n, m)}
        # the cheapest alignment through a cell off the path, per row and per column
        row_best = [INF] * (n + 1)
        col_best = [INF] * (m + 1)
        for i in range(n + 1):
            lo, hi = bounds[i]
            for j in range(lo, hi + 1):
                if (i, j) in on_path:
                    continue
                t = fwd[i][j] + bwd[i][j]
                if t < row_best[i]:
                    row_best[i] = t
                if t < col_best[j]:
                    col_best[j] = t
        out = []
        for p, q, p2, q2 in path:
            # the cheapest alignment without this bead: one that leaves its first cell by another
            # bead, enters its last cell by another, or passes between the two off the path (a
            # rival that only moves a neighbouring bead's other end is that bead's doubt, not this one's)
            shape = (p2 - p, q2 - q)
            rival = min(min(row_best[p + 1 : p2], default=INF), min(col_best[q + 1 : q2], default=INF))
            for x in self.out.of(p, q):
                a, b = self.out.a[x], self.out.b[x]
                if (a, b) != shape:
                    rival = min(rival, fwd[p][q] + self.out.costs[x] + bwd[p + a][q + b])
            for x in self.into.of(p2, q2):
                a, b = self.into.a[x], self.into.b[x]
                if (a, b) != shape:
                    rival = min(rival, fwd[p2 - a][q2 - b] + self.into.costs[x] + bwd[p2][q2])
            out.append((p, p2, q, q2, rival - total))
        return out


def _inside(bounds: list[tuple[int, int]], i: int, j: int) -> bool:
    return bounds[i][0] <= j <= bounds[i][1]


def _runs(kinds: list[str], backward: bool) -> list[int]:
    """For each boundary 0..len(kinds): how many passages of _RUN_KINDS run up to it (backward)
    or start at it (forward)."""
    n = len(kinds)
    out = [0] * (n + 1)
    if backward:
        for k in range(1, n + 1):
            out[k] = out[k - 1] + 1 if kinds[k - 1] in _RUN_KINDS else 0
    else:
        for k in range(n - 1, -1, -1):
            out[k] = out[k + 1] + 1 if kinds[k] in _RUN_KINDS else 0
    return out


def band(n: int, m: int, anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each English boundary 0..n, the Chinese boundaries the alignment may pass through:
    a band around the line through the certain pairs, wide enough for large omissions between
    them and for a certain pair to take a neighbouring label or :end_tab: line into its bead."""
    points = [(0, 0)]
    for i, j in anchors:
        points += [(i, j), (i + 1, j + 1)]
    points.append((n, m))
    lo = [m] * (n + 1)
    hi = [0] * (n + 1)
    for (p0, q0), (p1, q1) in itertools.pairwise(points):
        dn, dm = p1 - p0, q1 - q0
        w = max(3, abs(dn - dm) + 3, (max(dn, dm) * 3) // 10)
        for i in range(p0, p1 + 1):
            centre = q0 + (i - p0) * dm / dn if dn else q0
            a = max(0, math.floor(centre) - w if dn else q0 - w)
            b = min(m, math.ceil(centre) + w if dn else q1 + w)
            lo[i] = min(lo[i], a)
            hi[i] = max(hi[i], b)
    return list(zip(lo, hi, strict=True))
