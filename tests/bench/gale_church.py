"""A plain Gale–Church aligner over the workbench's passages, lengths only: the benchmark's baseline
(tests/bench/bench_align.py); the workbench itself never uses it."""

from __future__ import annotations

import math

from workbench.align.beads import Bead
from workbench.align.passages import Passage


def gale_church(en: list[Passage], zh: list[Passage], en_text: str, zh_text: str) -> list[Bead]:
    """A plain Gale–Church aligner over the same passages, lengths only (the benchmark's baseline)."""
    el = _plain_lengths(en, en_text)
    zl = _plain_lengths(zh, zh_text)
    ratio = (sum(zl) / sum(el)) if sum(el) else 1.0
    priors = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
              (2, 2): 0.011}
    n, m = len(en), len(zh)
    INF = math.inf
    cost = [[INF] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for (a, b), pr in priors.items():
                if a > i or b > j or cost[i - a][j - b] == INF:
                    continue
                le = sum(el[i - a : i])
                lz = sum(zl[j - b : j])
                if a and b:
                    delta = (lz - le * ratio) / math.sqrt(max(le, 1) * 6.8 * ratio)
                    pd = max(math.erfc(abs(delta) / math.sqrt(2)), 1e-12)
                    c = -math.log(pr) - math.log(pd)
                else:
                    c = -math.log(pr)
                c += cost[i - a][j - b]
                if c < cost[i][j]:
                    cost[i][j] = c
                    back[i][j] = (a, b)
    out = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]
        out.append(Bead(list(range(i - a, i)), list(range(j - b, j)), 1.0))
        i, j = i - a, j - b
    return out[::-1]


def _plain_lengths(ps: list[Passage], text: str) -> list[int]:
    """Characters per passage, as Gale & Church count them."""
    lines = text.splitlines()
    return [len("\n".join(lines[p.start - 1 : p.end])) for p in ps]
