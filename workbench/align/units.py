"""Inside a bead: which English units the Chinese units translate."""

from __future__ import annotations

import math
import re
from difflib import SequenceMatcher

from ..model import CHINESE, Unit, in_code
from .beads import Bead
from .length import LENGTH_RATIO, length_cost
from .passages import INLINE_CODE, INLINE_MATH, LATIN_WORD, Passage


def pairs_of_units(bead: Bead, en: list[Passage], zh: list[Passage]) -> list[tuple[list[Unit], list[Unit]]]:
    """Inside a bead, which English units the Chinese units translate: groups of consecutive units.

    Equal numbers of units of the same kinds pair one by one; otherwise code comments pair by
    their order and prose pairs as one group over all the bead's prose (an n:m bead).
    """
    eu = [u for i in bead.en for u in en[i].units]
    zu = [u for j in bead.zh for u in zh[j].units]
    if not eu or not zu:
        return [(eu, zu)] if eu or zu else []
    ecode = [en[i] for i in bead.en if en[i].kind == "code"]
    zcode = [zh[j] for j in bead.zh if zh[j].kind == "code"]
    if len(ecode) == 1 and len(zcode) == 1 and all(in_code(u.kind) for u in eu + zu):
        return _comments(ecode[0], zcode[0])
    if len(eu) == len(zu) and all(_kind_class(a) == _kind_class(b) for a, b in zip(eu, zu, strict=True)):
        return [([a], [b]) for a, b in zip(eu, zu, strict=True)]
    return _unit_dp(eu, zu)


def _comments(e: Passage, z: Passage) -> list[tuple[list[Unit], list[Unit]]]:
    """Comments and docstrings of two versions of one code cell, paired by the code they stand
    on: the comment lines before one code line translate the comment lines before the same code
    line, however the translator wrapped them."""
    eg, zg = _comment_groups(e), _comment_groups(z)
    out: list[tuple[list[Unit], list[Unit]]] = []
    matcher = SequenceMatcher(None, [k for k, _ in eg], [k for k, _ in zg], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [(eg[i1 + k][1], zg[j1 + k][1]) for k in range(i2 - i1)]
        elif op == "replace" and i2 - i1 == j2 - j1:
            # the code changed a little between the editions: still the same places
            out += [(eg[i1 + k][1], zg[j1 + k][1]) for k in range(i2 - i1)]
        else:
            out += [(units, []) for _, units in eg[i1:i2]]
            out += [([], units) for _, units in zg[j1:j2]]
    return out


def _comment_groups(p: Passage) -> list[tuple[str, list[Unit]]]:
    """The prose units of a code cell, grouped by the code line each stands on (a comment after
    code on its line stands on that line; one on lines of its own, on the next code line)."""
    block = p.blocks[0]
    text = block.source
    lines = text.split("\n")
    units = p.units
    prose_lines: set[int] = set()
    for u in units:
        prose_lines.update(range(u.start, u.end + 1))

    def code_at(n: int) -> str:
        """Line n (1-based, file numbering) of the cell without its comment, spaces removed."""
        line = lines[n - block.start] if 0 <= n - block.start < len(lines) else ""
        return re.sub(r"\s+", "", line.split("#", 1)[0])

    out: list[tuple[str, list[Unit]]] = []
    for u in units:
        key = code_at(u.start) if u.kind == "comment" else ""
        if not key or key.strip("\"'rbuRBU") == "":
            n = u.end + 1
            key = ""
            while n < block.start + len(lines):
                key = code_at(n)
                if key and n not in prose_lines and key.strip("\"'rbuRBU"):
                    break
                key = ""
                n += 1
        if out and out[-1][0] == key and out[-1][1][-1].kind == u.kind:
            out[-1][1].append(u)
        else:
            out.append((key, [u]))
    return out


def _kind_class(u: Unit) -> str:
    return {"list_item": "paragraph", "docstring": "comment"}.get(u.kind, u.kind)


def _unit_dp(eu: list[Unit], zu: list[Unit]) -> list[tuple[list[Unit], list[Unit]]]:
    """Groups of units by length and kind, for a bead whose units do not pair one by one.

    Prose (paragraphs, list items) and code comments may group n:m (a paragraph translated as
    a lead-in and a list); headings, table cells and alt texts pair 1:1 or stay alone.
    """
    n, m = len(eu), len(zu)
    most = 8
    INF = math.inf
    cost = [[INF] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    el = [_unit_length(u, False) for u in eu]
    zl = [_unit_length(u, True) for u in zu]
    ek = [_kind_class(u) for u in eu]
    zk = [_kind_class(u) for u in zu]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            best, arg = INF, (1, 0) if i else (0, 1)
            if i and cost[i - 1][j] + 4.0 < best:
                best, arg = cost[i - 1][j] + 4.0, (1, 0)
            if j and cost[i][j - 1] + 4.0 < best:
                best, arg = cost[i][j - 1] + 4.0, (0, 1)
            le = 0.0
            for a in range(1, min(i, most) + 1):
                le += el[i - a]
                if ek[i - a] != ek[i - 1]:
                    break
                lz = 0.0
                for b in range(1, min(j, most) + 1):
                    lz += zl[j - b]
                    if zk[j - b] != ek[i - 1]:
                        break
                    if (a > 1 or b > 1) and ek[i - 1] not in ("paragraph", "comment"):
                        break
                    prev = cost[i - a][j - b]
                    if prev == INF:
                        continue
                    c = prev + length_cost(le, lz) + (a + b - 2) * 1.0
                    if c < best:
                        best, arg = c, (a, b)
            cost[i][j] = best
            back[i][j] = arg
    out = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]
        out.append((eu[i - a : i], zu[j - b : j]))
        i, j = i - a, j - b
    return out[::-1]


def _unit_length(u: Unit, chinese: bool) -> float:
    text = INLINE_CODE.sub(" ", INLINE_MATH.sub(" ", u.source))
    latin = sum(len(w) for w in LATIN_WORD.findall(text))
    if not chinese:
        return float(latin)
    return len(CHINESE.findall(text)) + LENGTH_RATIO * latin
