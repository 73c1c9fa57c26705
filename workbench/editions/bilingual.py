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

import os
import re
from dataclasses import dataclass, field

from .. import bilingual
from ..markdown import fit
from ..model import Document, Kind, Pair, Unit, is_cjk, normalize
from ..store import Catalog, Match, match, translations

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
    left_out: dict[str, list[int]] = field(default_factory=dict)
    """Why -> the English lines of the pairs whose Chinese the layout has no place for."""
    unreadable: dict[str, list[int]] = field(default_factory=dict)
    """Why -> the English lines of the pairs import-bilingual would not read back as they are."""

    def warnings(self) -> list[str]:
        """One line per reason: `en/PATH.md:LINE: ... (and at lines ...)`."""
        out = []
        for what, found in (("left out", self.left_out), ("kept, but import-bilingual does not read it back",
                                                          self.unreadable)):
            for why, all_lines in found.items():
                lines = sorted(set(all_lines))
                more = f" (also lines {', '.join(map(str, lines[1:]))})" if len(lines) > 1 else ""
                n = f"{len(all_lines)} pairs" if len(all_lines) > 1 else "a pair"
                out.append(f"en/{self.rel}:{lines[0]}: {n} {what}: {why}{more}")
        return out

    def skip(self, line: int, why: str) -> None:
        """Note a pair whose Chinese is left out, and why."""
        self.left_out.setdefault(why, []).append(line)


@dataclass(slots=True)
class _Insert:
    """Chinese put into the English at an offset."""

    at: int
    order: int
    text: str
    pairs: list[Pair]
    """The pairs whose Chinese it is (a table's: all its cells)."""
    line: int
    """The English line of the first of them."""


def _assemble(source: str, inserts: list[_Insert]) -> str:
    out, pos = [], 0
    for ins in sorted(inserts, key=lambda i: (i.at, i.order)):
        out.append(source[pos:ins.at])
        out.append(ins.text)
        pos = ins.at
    out.append(source[pos:])
    return "".join(out)


def _agree(a: str, b: str) -> int:
    """How many characters two texts share from their start."""
    n = 0
    for x, y in zip(a.splitlines(keepends=True), b.splitlines(keepends=True), strict=False):
        if x != y:
            return n + len(os.path.commonprefix([x, y]))
        n += len(x)
    return n


def _culprit(alone: str, english: str, source: str, inserts: list[_Insert]) -> _Insert:
    """The insert that makes the English read back (`english`) differ from what the importer reads
    of the English alone: of the inserts nearest to where they part, the first whose removal
    moves the difference on (the Chinese may have joined the English there, or taken it along)."""
    at = _agree(alone, english)
    nearest = sorted(inserts, key=lambda i: abs(i.at - at))[:4]
    for candidate in nearest:
        trial = bilingual.split(_assemble(source, [i for i in inserts if i is not candidate]))[0]
        if _agree(alone, trial) > at or trial == alone:
            return candidate
    return nearest[0]


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


def _run_end(lines: list[str], line: int) -> int:
    """The last line (1-based) of the run of non-blank lines that line `line` is in (a code fence
    ends a run, as import-bilingual cuts blocks)."""
    while line < len(lines) and lines[line].strip() and not lines[line].lstrip().startswith(("```", "~~~")):
        line += 1
    return line


def _prefix(source: str, unit_offset: int, column: int) -> str:
    """What stands before a unit on its line: a list marker (`* `, `1. `), indentation, `> `."""
    return source[unit_offset - column: unit_offset]


def edition(doc: Document, catalog: Catalog, rel: str) -> BilingualFile:
    """The bilingual file of en/PATH.md from its document and its pairs."""
    matches = match(doc, catalog)
    draft = _Draft(doc, BilingualFile(rel, ""), translations(doc, matches))
    heads = [m for m in matches if m.pair is not None]
    for k, m in enumerate(heads):
        pair = m.pair
        assert pair is not None
        if m.head and pair.chinese:
            draft.place(k, pair, doc.units[m.unit], doc.units[_last_unit(heads, k)])
    english, found = draft.read_back_as_importer()
    out = draft.out
    out.translated = sum(len(i.pairs) for i in draft.inserts)
    out.unreadable = read_back(english, found, doc, [p for p in catalog.active if id(p) not in draft.left_out])
    return out


def _last_unit(heads: list[Match], k: int) -> int:
    """The last unit the pair of `heads[k]` covers: its Chinese goes after it."""
    pair, last = heads[k].pair, heads[k].unit
    for later in heads[k + 1:]:
        if later.pair is not pair or later.head:
            break
        last = later.unit
    return last


class _Draft:
    """A bilingual file being drafted: the English, the Chinese put into it, the pairs left out."""

    def __init__(self, doc: Document, out: BilingualFile, chinese_of: dict[int, str | None]) -> None:
        self.doc, self.out, self.chinese_of = doc, out, chinese_of
        self.source = doc.text
        self.starts = _line_starts(self.source)
        self.english_lines = self.source.splitlines()
        self.ends = {b.index: b.end for b in doc.blocks()}
        self.inserts: list[_Insert] = []
        self.left_out: set[int] = set()  # ids of the pairs whose Chinese is not in the file

    def leave_out(self, pair: Pair, line: int, why: str) -> None:
        """Note that the Chinese of `pair` is not in the file, and why."""
        self.left_out.add(id(pair))
        self.out.skip(line, why)

    def place(self, k: int, pair: Pair, unit: Unit, tail: Unit) -> None:
        """Put the Chinese of `pair` (units `unit`..`tail`, the k-th head) where the layout has it."""
        kind = unit.kind
        if kind == Kind.DOCSTRING:
            self.leave_out(pair, unit.start, "a docstring's Chinese has no place in the layout (code appears once)")
        elif kind not in (Kind.HEADING, Kind.TABLE_CELL, Kind.IMAGE_ALT) and not bilingual.is_chinese(pair.chinese):
            # the importer tells the languages apart by their letters: this would read as English
            self.leave_out(pair, unit.start,
                           "its Chinese is mostly Latin letters, code or math; in the layout it would read as English")
        elif kind == Kind.HEADING:
            self.place_heading(k, pair, unit)
        else:
            self.place_after(k, pair, unit, tail)

    def place_heading(self, k: int, pair: Pair, unit: Unit) -> None:
        """A heading's Chinese on the heading's line, after the English."""
        # both languages on one line: the importer cuts at the first Chinese character (or the
        # markup opening it, which a space sets apart, as the seed does)
        source, starts = self.source, self.starts
        heading = " ".join(pair.chinese.split())
        joined = heading if is_cjk(heading[0]) else " " + heading
        # at the end of the heading's line (after closing #'s, before trailing spaces)
        line_end = starts[unit.start] if unit.start < len(starts) else len(source)
        english_heading = source[unit.offset:line_end].rstrip()
        if bilingual.split_heading(english_heading + joined) != (english_heading, heading):
            self.leave_out(pair, unit.start, "the heading's Chinese starts with Latin letters: the layout cuts a "
                           "heading at its first Chinese character, and the English would change")
            return
        self.inserts.append(_Insert(unit.offset + len(english_heading), k, joined, [pair], unit.start))

    def place_after(self, k: int, pair: Pair, unit: Unit, tail: Unit) -> None:
        """A comment's, an item's, a table's or a paragraph's Chinese on the lines after the English."""
        source, kind, chinese = self.source, unit.kind, pair.chinese
        # a comment after its own line, an item after its lines, anything else after the run of
        # lines its block stands in (the directive lines that close it, :label: or :end_tab:, too)
        end = tail.end if kind == Kind.COMMENT else self.ends[tail.block]
        if kind not in (Kind.COMMENT, Kind.LIST_ITEM):
            end = _run_end(self.english_lines, end)
        at, newline = _after_line(self.starts, source, end)
        prefix = _prefix(source, unit.offset, unit.column)
        if kind == Kind.COMMENT:
            # a comment line: its Chinese on the next line, after the same `# `; a comment after
            # code: on a comment line of its own, at the code's indentation
            lead = prefix if prefix.strip() == "#" else prefix[: len(prefix) - len(prefix.lstrip())] + "# "
            comment = [lead + line.strip() for line in chinese.strip().split("\n")]
            self.inserts.append(_Insert(at, k, newline + "\n".join(comment) + "\n", [pair], unit.start))
        elif kind == Kind.LIST_ITEM and _MARKER.search(prefix):
            # an item: its Chinese is the next item, with the same marker
            text = newline + prefix + fit(chinese, unit, source) + "\n"
            self.inserts.append(_Insert(at, k, text, [pair], unit.start))
        elif kind in (Kind.TABLE_CELL, Kind.IMAGE_ALT):
            self.place_block(at, newline, pair, unit, tail)
        else:  # a paragraph: after a blank line, where the English stands (in a list item, a quote)
            lead = _MARKER.sub(lambda x: " " * len(x.group()), prefix)
            text = newline + "\n" + lead + fit(chinese, unit, source) + "\n"
            self.inserts.append(_Insert(at, k, text, [pair], unit.start))

    def place_block(self, at: int, newline: str, pair: Pair, unit: Unit, tail: Unit) -> None:
        """A table's or an image line's Chinese form after a blank line, once for all its pairs."""
        # the cells of a table are pairs of their own
        block = _chinese_block(self.doc, self.chinese_of, tail.block)
        if block is None:
            return
        if not bilingual.is_chinese(block):
            what = "table" if unit.kind == Kind.TABLE_CELL else "image line"
            self.leave_out(pair, unit.start, f"the Chinese {what} is mostly Latin letters or numbers; in the layout "
                           "it would read as English")
            return
        text = newline + "\n" + block + "\n"
        same = next((i for i in self.inserts if i.at == at and i.text == text), None)
        if same is not None:  # a table's Chinese, once for all its cells
            same.pairs.append(pair)
        else:
            self.inserts.append(_Insert(at, -1, text, [pair], unit.start))

    def read_back_as_importer(self) -> tuple[str, list[bilingual.Found]]:
        """Take out the Chinese that would change the English as import-bilingual reads the file."""
        # (an item whose list the importer does not see as one, a heading with prose under it),
        # against what the importer makes of the English alone: an English it cannot read as it
        # is, a colon written full-width, is its limit, not a fault of the Chinese
        source = self.source
        alone = bilingual.split(source)[0]
        while True:
            self.out.text = _assemble(source, self.inserts)
            english, found = bilingual.split(self.out.text)
            if english == alone or not self.inserts:
                return english, found
            culprit = _culprit(alone, english, source, self.inserts)
            self.inserts.remove(culprit)
            for p in culprit.pairs:
                self.leave_out(p, p.line, "where it stands, import-bilingual would read it as part of the English")


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


def read_back(english: str, found: list[bilingual.Found], doc: Document, pairs: list[Pair]) -> dict[str, list[int]]:
    """What import-bilingual read from a bilingual file (`bilingual.split`): why -> the lines of
    the `pairs` it does not give back as they are."""
    out: dict[str, list[int]] = {}
    if english != doc.text:
        line = next((n for n, (a, b) in enumerate(zip(english.splitlines(), doc.text.splitlines(), strict=False), 1)
                     if a != b), 1)
        out["the English read back differs from the file's (first at this line)"] = [line]
    back = {(p.english, p.context): p for p in bilingual.pairs(english, found, doc.path)}
    for pair in pairs:
        if not pair.chinese:
            continue
        got = back.get((pair.english, pair.context))
        if got is not None and normalize(got.chinese) == normalize(pair.chinese):
            continue
        if len(pair.keys) > 1:
            why = f"its Chinese translates {len(pair.keys)} English paragraphs together; import-bilingual gives it to the last"
        elif got is None or not got.chinese:
            why = f"{_a(pair.kind)} whose Chinese is not found again"
        else:
            why = f"{_a(pair.kind)} whose Chinese is read back differently"
        out.setdefault(why, []).append(pair.line)
    return out


def _a(kind: str) -> str:
    """`a paragraph`, `an image alt`."""
    label = kind.replace("_", " ")
    return ("an " if label[0] in "aeiou" else "a ") + label
