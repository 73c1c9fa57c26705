"""Align an English file with a Chinese translation made without the workbench: pure functions.

Both files are segmented with the one parser (markdown.segment) and cut into passages: runs of
non-blank lines, a fenced code cell whole, as a reader sees paragraphs. The aligner then finds
beads, groups of consecutive English passages with the consecutive Chinese passages that
translate them (1:1, 1:2, 2:1, n:m, and 1:0 / 0:1 for a passage with no counterpart), by dynamic
programming over a cost that adds up

- structural anchors both languages share verbatim: code cells (equal once comments and
  docstrings are ignored), :label:/:eqlabel: names, display math, image paths, URLs, numbers,
  inline code and math, :numref:/:cite: targets, the framework tab, heading levels;
- Latin words the Chinese keeps, as in d2l's habit 中文（English） or names like AlexNet;
- glossary terms, as a bilingual dictionary (English term in one passage, its Chinese in the other);
- a Gale–Church model of the length of Chinese prose given the length of the English.

Passages that are certain (a code cell, label or image found once on each side) steer a band
around the path the dynamic programming may take, so it stays small and fast; a forward and a
backward pass give each bead its margin over the best alignment that decides otherwise around
it, which with the evidence makes the bead's confidence.

One concern a module: passages.py (cutting a file, what a passage holds), dictionary.py (term
pairs as evidence), length.py (the length model), scorer.py (the cost of a bead), dp.py (the
dynamic programming), confidence.py (bead confidence, whole-file doubts), beads.py (the result),
units.py (pairing the units inside a bead). This module puts them together.
"""

from __future__ import annotations

from ..markdown import segment
from ..model import Document
from .beads import Alignment, Bead
from .confidence import alike, bead_confidence, doubts, same_outline
from .dictionary import Dictionary
from .dp import band, certain_pairs, cheapest_beads
from .passages import Passage, passages
from .scorer import Scorer


def align_passages(en: list[Passage], zh: list[Passage]) -> list[Bead]:
    """Beads over two lists of passages: dynamic programming in a band set by the certain pairs."""
    sc = Scorer(en, zh)
    raw = cheapest_beads(sc, band(len(en), len(zh), certain_pairs(en, zh)))
    supports = iter(sc.costs([(a, b, c, d) for a, b, c, d, _ in raw if a < b and c < d])[1].tolist())
    beads = []
    for a, b, c, d, margin in raw:
        support = next(supports) if a < b and c < d else 0.0
        # headings of the same level where the outline agrees: a sign for the reviewer, though
        # too common to tell a translation from another chapter
        outline = 1.0 if a < b and c < d and same_outline(en[a:b], zh[c:d]) else 0.0
        # a lone directive line (an :end_tab: after a code cell) is where the file puts it, no pairing
        es = [p for p in en[a:b] if p.kind != "directive"]
        zs = [p for p in zh[c:d] if p.kind != "directive"]
        one_to_one = len(es) == len(zs) == 1 and alike(es[0], zs[0])
        beads.append(Bead(list(range(a, b)), list(range(c, d)),
                          bead_confidence(margin, a < b and c < d, support + outline, one_to_one), support))
    return beads


def align_documents(en_doc: Document, zh_doc: Document, dictionary: Dictionary | None = None) -> Alignment:
    """Align two segmented files."""
    en = passages(en_doc, dictionary, chinese=False)
    zh = passages(zh_doc, dictionary, chinese=True)
    beads = align_passages(en, zh)
    result = Alignment(en, zh, beads)
    result.warnings = doubts(result)
    return result


def align_texts(en_text: str, zh_text: str, dictionary: Dictionary | None = None, en_name: str = "en.md",
                zh_name: str = "zh.md") -> Alignment:
    """Align two files given as text."""
    return align_documents(segment(en_text, en_name), segment(zh_text, zh_name), dictionary)
