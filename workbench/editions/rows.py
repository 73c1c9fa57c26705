"""A file cut into rows for the side-by-side edition: each row the English of some blocks beside
their Chinese, with the pairs it holds.

A row is one block (a heading, a paragraph, a list item, a table, a code cell) or, where one pair
covers several blocks (the Chinese merged two paragraphs), all the blocks from its first to its
last. A row without pairs (code without comments, math, a directive) is shared by the languages.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from ..build.notebooks import assemble_piece
from ..model import Document, Pair
from ..store import Catalog, Match, match, translations


@dataclass(slots=True)
class Row:
    """Some consecutive blocks of a file, in English and in Chinese."""

    line: int
    """1-based line in en/PATH.md where the row starts."""
    kind: str
    """The kind of its first block (heading, paragraph, list_item, table, code, math, directive...)."""
    english: str
    """The English Markdown (dedented, so a list item stands on its own)."""
    chinese: str
    """The same blocks assembled with their Chinese (untranslated units show their English)."""
    pairs: list[Pair] = field(default_factory=list)
    """The pairs whose Chinese the row holds, in order."""
    unpaired: int = 0
    """Translatable units the store has no pair for yet (English new since the last sync)."""

    @property
    def shared(self) -> bool:
        """Nothing in it is for a translator: both languages show the same."""
        return not self.pairs and not self.unpaired


def rows(doc: Document, catalog: Catalog) -> list[Row]:
    """The rows of a file, in order; every translatable unit is in exactly one."""
    matches = match(doc, catalog)
    text = translations(doc, matches)
    blocks = doc.blocks()
    first: dict[int, int] = {}  # block -> index of its first unit
    last: dict[int, int] = {}
    for i, unit in enumerate(doc.units):
        if unit.block >= 0:
            first.setdefault(unit.block, i)
            last[unit.block] = i
    # a pair covering several blocks joins them and the blocks between into one row
    span_end: dict[int, int] = {}  # block -> the last block its row must reach
    pair_blocks: dict[int, list[int]] = {}
    for m in matches:
        if m.pair is not None:
            pair_blocks.setdefault(id(m.pair), []).append(doc.units[m.unit].block)
    for found in pair_blocks.values():
        for b in found:
            span_end[b] = max(span_end.get(b, b), max(found))
    by_unit: dict[int, Match] = {m.unit: m for m in matches}
    out: list[Row] = []
    k = 0
    while k < len(blocks):
        start = k
        reach = span_end.get(blocks[k].index, blocks[k].index)
        while k + 1 < len(blocks) and blocks[k + 1].index <= reach:
            k += 1
            reach = max(reach, span_end.get(blocks[k].index, blocks[k].index))
        a, b = first[blocks[start].index], last[blocks[k].index] + 1
        english = "".join(u.source for u in doc.units[a:b])
        chinese = assemble_piece(doc, a, b, lambda i, _u: text.get(i))
        pairs: list[Pair] = []
        unpaired = 0
        for i in range(a, b):
            at = by_unit.get(i)
            if at is not None and at.head and at.pair is not None:
                pairs.append(at.pair)
            elif at is not None and at.pair is None:
                unpaired += 1
        out.append(Row(doc.units[a].start, blocks[start].kind, textwrap.dedent(english),
                       textwrap.dedent(chinese), pairs, unpaired))
        k += 1
    return out
