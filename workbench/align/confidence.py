"""How sure a bead is, and doubts about a whole file: what a reviewer looks at first."""

from __future__ import annotations

import math

from .beads import Alignment, Bead
from .passages import Passage

#: A bead whose confidence is below this is worth a reviewer's look: the import marks its pairs
#: "check the pairing". Measured by tests/bench/bench_align.py (review_list): on the dev gold (164
#: paired beads, 1 wrong) 1 bead is listed, the wrong one (precision 1.0, recall 1.0; 0.33 and 1.0
#: before one passage paired with one of its kind was surer, MARGIN_SCALE_ALIKE); on the gold with
#: Chinese paragraphs left out or put in (199 beads, 4 wrong) 2 are listed, both wrong (1.0, 0.5;
#: before 0.33, 0.5); on the d2l corpus 25 of 7006 paired beads (before 39), most in files that are
#: partly other documents (README.md) or where the Chinese drops or condenses a passage. A bead
#: with nothing but agreeing lengths in its favour and a clear margin scores 0.55-0.75: not listed.
REVIEW_BELOW = 0.3

#: The margin (in the cost's units, minus log probabilities) at which a bead is 63% sure; one
#: passage paired with one of its kind gets there with half the margin (bead_confidence).
MARGIN_SCALE = 2.0
MARGIN_SCALE_ALIKE = 1.0

#: How much less sure a paired bead is when nothing but lengths speaks for it.
LENGTH_ONLY_DOUBT = 0.25

#: Below this share of passages paired with real evidence, the Chinese is not a translation of
#: the English. Measured on d2l: 150 randomly mismatched file pairs score 0.00-0.13 (one 0.22);
#: the 143 real pairs score 0.30-0.90, except files whose two editions are partly different
#: documents (README, STYLE_GUIDE, d2l.md: 0.15-0.18; INFO.md 0.02).
SUPPORTED_SHARE = 0.14
#: The confidence a bead may have, at most, in a file that fails that test.
DOUBTFUL_FILE_SCORE = 0.2


def same_outline(es: list[Passage], zs: list[Passage]) -> bool:
    eh = [p.level for p in es if p.kind == "heading"]
    return bool(eh) and eh == [p.level for p in zs if p.kind == "heading"]


def alike(e: Passage, z: Passage) -> bool:
    """One passage paired with one of its own kind: prose with prose, a code cell with a code
    cell, a heading with a heading of its level, a framework's tab with the same framework's."""
    if e.kind != z.kind:
        return False
    if e.kind == "heading":
        return e.level == z.level
    if e.kind == "tab":
        return _tabs(e) == _tabs(z)
    return True


def _tabs(p: Passage) -> set[str]:
    return {t for t in p.anchors if t.startswith("tab:")}


def bead_confidence(margin: float, paired: bool, support: float, one_to_one: bool = False) -> float:
    """How sure a bead is, from 0 to 1.

    The margin says how much worse the best alignment deciding otherwise around the bead is;
    for a paired bead, lengths that agree are a weak sign and shared anchors, words and terms
    a strong one, so a bead with nothing but length in its favour stays below one half.
    `one_to_one`: the bead pairs one passage with one of its kind (alike), lone directive lines
    (an :end_tab: after a code cell) aside. That is what a translator does unless there is a
    reason not to; a rival that takes a neighbour's passage into it (or gives one away) is more
    often the neighbour's doubt than this pairing's, so the same margin makes such a bead surer
    than a merge, which claims the translator joined or split paragraphs. No margin at all (a
    tie) is no confidence either way.
    """
    sure = 1.0 - math.exp(-max(margin, 0.0) / (MARGIN_SCALE_ALIKE if one_to_one else MARGIN_SCALE))
    if not paired:
        return sure
    return sure * (1.0 - LENGTH_ONLY_DOUBT * math.exp(-support / 1.5))


def supported_share(r: Alignment) -> float:
    """Share of the passages that are paired with evidence beyond length (capped per bead)."""
    total = len(r.en) + len(r.zh)
    if not total:
        return 1.0
    got = sum(min(b.support, 2.0) / 2.0 * (len(b.en) + len(b.zh)) for b in r.beads if b.en and b.zh)
    return got / total


def doubts(r: Alignment) -> list[str]:
    """Warnings about the whole alignment: a Chinese file of another chapter pairs badly.

    Such a file gets every bead's confidence lowered too, so nothing in it looks certain.
    """
    share = supported_share(r)
    if len(r.en) + len(r.zh) < 6 or share >= SUPPORTED_SHARE:
        return []
    for b in r.beads:
        b.score = min(b.score, DOUBTFUL_FILE_SCORE)
    return [
        f"the Chinese does not seem to translate this English: only {share:.0%} of the passages pair "
        "with shared code, math, labels, names or terms; check that the files belong together"
    ]


def anchor_pairing(r: Alignment) -> dict[str, tuple[int, int]]:
    """For code cells, display math and :label: lines: (paired, with a counterpart).

    One has a counterpart when the other file has a passage with the same code (comments and
    docstrings aside), the same math or the same label; with k such passages on one side and l
    on the other, min(k, l) have one. It is paired when a bead holds it and one of them.
    """
    bead_of_en = {i: k for k, b in enumerate(r.beads) for i in b.en}
    bead_of_zh = {j: k for k, b in enumerate(r.beads) for j in b.zh}
    keyed: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
    for side, ps in ((0, r.en), (1, r.zh)):
        for p in ps:
            keys = [("code", p.code)] if p.kind == "code" and p.code else []
            keys += [("math", p.math)] if p.math else []
            keys += [("label", t) for t in p.anchors if t.startswith("label:")]
            for key in keys:
                keyed.setdefault(key, ([], []))[side].append(p.index)
    out = {"code": (0, 0), "math": (0, 0), "label": (0, 0)}
    for (kind, _), (es, zs) in keyed.items():
        if es and zs:
            linked = sum(1 for i in es if any(bead_of_zh[j] == bead_of_en[i] for j in zs))
            paired, have = out[kind]
            out[kind] = (paired + min(linked, len(zs), len(es)), have + min(len(es), len(zs)))
    return out


def low_confidence(r: Alignment, limit: int = 5) -> list[Bead]:
    """The beads a reviewer should look at first, least confident first."""
    return sorted(r.beads, key=lambda b: b.score)[:limit]
