"""The bilingual edition in the seed's layout: each English paragraph followed by its Chinese.

The layout is the one `workbench import-bilingual` reads (workbench/bilingual.py holds its rules):
a heading carries both languages on one line (`## About This Book关于本书`), a list item is
followed by its Chinese as an item of its own, a paragraph by its Chinese after a blank line, a
code comment by its Chinese comment line; code, math, images and directives appear once. The
English comes out byte for byte as en/PATH.md has it, so the file can be imported again.

What the layout cannot carry is left out or kept where import-bilingual cannot read it back, and
`unreadable` names each such pair: every edition is read back with the importer's own `split`
and `pairs`, so the list is what the importer really does, not a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import bilingual
from ..markdown import fit
from ..model import Document, Kind, is_cjk, normalize
from ..store import Catalog, match, translations

# a list marker in what stands before a unit on its line
_MARKER = re.compile(r"(?:[*+-]|\d+[.)])[ \t]+")


@dataclass(slots=True)
class BilingualFile:
    """One file of the bilingual edition."""

    rel: str
    """PATH.md, relative to en/."""
    text: str
    """The interleaved file."""
    translated: int = 0
    """Pairs whose Chinese is in the file."""
    left_out: list[str] = field(default_factory=list)
    """`en/PATH.md:LINE: why` for translations the layout has no place for (docstrings)."""
    unreadable: list[str] = field(default_factory=list)
    """`en/PATH.md:LINE: ...` for pairs import-bilingual would not read back as they are."""


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _after_line(starts: list[int], text: str, line: int) -> tuple[int, str]:
    """The offset just after 1-based line `line` and its newline, and the newline to add first
    when the file ends on that line without one."""
    if line < len(starts):
        return starts[line], ""
    return len(text), "\n"


def _prefix(source: str, unit_offset: int, column: int) -> str:
    """What stands before a unit on its line: a list marker (`* `, `1. `), indentation, `> `."""
    return source[unit_offset - column: unit_offset]


def edition(doc: Document, catalog: Catalog, rel: str) -> BilingualFile:
    """The bilingual file of en/PATH.md from its document and its pairs."""
    source = doc.text
    starts = _line_starts(source)
    ends = {b.index: b.end for b in doc.blocks()}
    inserts: list[tuple[int, int, str]] = []  # (offset, order, text)
    out = BilingualFile(rel, "")
    matches = match(doc, catalog)
    chinese_of = translations(doc, matches)
    heads = [m for m in matches if m.pair is not None]
    for k, m in enumerate(heads):
        pair = m.pair
        assert pair is not None
        if not m.head or not pair.chinese:
            continue
        # the Chinese goes after the last unit the pair covers
        last = m.unit
        for later in heads[k + 1:]:
            if later.pair is not pair or later.head:
                break
            last = later.unit
        unit, tail = doc.units[m.unit], doc.units[last]
        kind = unit.kind
        chinese = pair.chinese
        where = f"en/{rel}:{unit.start}"
        if kind == Kind.DOCSTRING:
            out.left_out.append(f"{where}: a docstring's Chinese has no place in the layout (code appears once)")
            continue
        out.translated += 1
        if kind == Kind.HEADING:
            # both languages on one line: the importer cuts at the first Chinese character (or
            # the markup opening it, which a space sets apart, as the seed does)
            heading = " ".join(chinese.split())
            space = "" if is_cjk(heading[0]) else " "
            inserts.append((unit.offset + len(unit.source), k, space + heading))
            continue
        # after the last line of its block; a comment: after its own line
        at, newline = _after_line(starts, source, tail.end if kind == Kind.COMMENT else ends[tail.block])
        prefix = _prefix(source, unit.offset, unit.column)
        if kind == Kind.COMMENT:
            # a comment line: its Chinese on the next line, after the same `# `; a comment after
            # code: on a comment line of its own, at the code's indentation
            lead = prefix if prefix.strip() == "#" else prefix[: len(prefix) - len(prefix.lstrip())] + "# "
            lines = [lead + line.strip() for line in chinese.strip().split("\n")]
            inserts.append((at, k, newline + "\n".join(lines) + "\n"))
        elif kind == Kind.LIST_ITEM and _MARKER.search(prefix):
            # an item: its Chinese is the next item, with the same marker
            inserts.append((at, k, newline + prefix + fit(chinese, unit, source) + "\n"))
        elif kind in (Kind.TABLE_CELL, Kind.IMAGE_ALT):
            # a table or an image: its Chinese form follows after a blank line, once for all the
            # pairs in it (the cells of a table are pairs of their own)
            block = _chinese_block(doc, chinese_of, tail.block)
            if block is not None:
                inserts.append((at, -1, newline + "\n" + block + "\n"))
        else:  # a paragraph: after a blank line, where the English stands (in a list item, a quote)
            lead = _MARKER.sub(lambda x: " " * len(x.group()), prefix)
            inserts.append((at, k, newline + "\n" + lead + fit(chinese, unit, source) + "\n"))
    text = source
    seen: set[tuple[int, str]] = set()
    for at, _order, piece in sorted(inserts, key=lambda x: (x[0], x[1]), reverse=True):
        if (at, piece) in seen:  # a table's Chinese, once for all its cells
            continue
        seen.add((at, piece))
        text = text[:at] + piece + text[at:]
    out.text = text
    out.unreadable = read_back(out.text, doc, catalog, rel)
    return out


def _chinese_block(doc: Document, text: dict[int, str | None], block: int) -> str | None:
    """The block (a table, an image line) with its Chinese in place of the English."""
    units = [(i, u) for i, u in enumerate(doc.units) if u.block == block]
    if not any(text.get(i) for i, _ in units):
        return None
    pieces = []
    for i, u in units:
        chinese = text.get(i) if u.translatable else None
        pieces.append(" ".join(chinese.split()) if chinese else u.source)
    return "".join(pieces).rstrip("\n")


def read_back(text: str, doc: Document, catalog: Catalog, rel: str) -> list[str]:
    """Read a bilingual file back the way import-bilingual does and say which pairs differ."""
    english, found = bilingual.split(text)
    if english != doc.text:
        return [f"en/{rel}: the English read back from the bilingual file differs from en/{rel}"]
    back = {(p.english, p.context): p for p in bilingual.pairs(english, found, f"en/{rel}")}
    out = []
    for pair in catalog.active:
        if not pair.chinese or pair.kind == Kind.DOCSTRING:
            continue
        got = back.get((pair.english, pair.context))
        if got is None or normalize(got.chinese) != normalize(pair.chinese):
            why = "not read back" if got is None or not got.chinese else "read back differently"
            shown = got.chinese if got is not None else ""
            out.append(f"en/{rel}:{pair.line}: {pair.kind.replace('_', ' ')} {why} by import-bilingual"
                       + (f" (as {shown[:40]!r})" if shown else ""))
    return out
