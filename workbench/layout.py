"""The Chinese edition's own layout, kept with the pairs: adopting an edition changes nothing.

zh/PATH.md is rendered from the English skeleton: the English file's blank lines, list markers
and indentation, with each unit's text replaced by its Chinese. A Chinese edition made without
the workbench has a layout of its own (one blank line where the English has two, `-` where it
has `*`, a tight list, trailing spaces, lazy continuation lines). The import records it on the
pairs where it differs from the English (PO `#. layout: JSON` on the entry, so it travels in git
with the translation, and a sync carries it with its pair):

- `before`: the markup runs of the gap before the pair's text (see markdown.gap_runs: the text
  between the shared blocks, code, math, directives, of that gap);
- `after`: on the last pair, the markup runs from its text to the file's end;
- `pad`: the indentation of the continuation lines of its text.

The render (markdown.assemble) uses a recorded gap only where it has the shape of the English's
(the same shared blocks between, the same markup but for whitespace and marker style); anywhere
else, or where nothing is recorded, the English layout stands. What a render cannot give back
(Chinese with no English and English with no Chinese, code that differs from the shared English
code, pairs whose structure differs) is found by comparing the render with the Chinese file
(`unrestored`).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from .markdown import Layout as RenderLayout
from .markdown import continuation_pad, gap_runs, walk
from .model import Document, Pair, Unit
from .store import Match, dump_note, load_note


@dataclass(slots=True)
class Layout:
    """One pair's layout in the Chinese edition, where it differs from the English."""

    before: list[str] | None = None
    """Markup runs of the gap before the pair's text."""
    after: list[str] | None = None
    """Markup runs after the pair's text to the file's end (the last pair only)."""
    pad: str | None = None
    """Indentation of the continuation lines of the pair's text."""

    def dump(self) -> str:
        """The JSON kept in the PO ("" when there is nothing to keep)."""
        data = {k: v for k, v in (("before", self.before), ("after", self.after), ("pad", self.pad))
                if v is not None}
        return dump_note(data) if data else ""

    @classmethod
    def load(cls, text: str) -> Layout:
        """A layout read back from a pair; damaged or foreign JSON reads as none (the English's)."""
        data = load_note(text) if text else {}
        if not isinstance(data, dict):
            return cls()

        def runs(v: object) -> list[str] | None:
            return v if isinstance(v, list) and all(isinstance(r, str) and _fair_run(r) for r in v) else None

        pad = data.get("pad")
        return cls(runs(data.get("before")), runs(data.get("after")), pad if isinstance(pad, str) and _fair_pad(pad) else None)


#: The widest indentation a layout may put before a line (d2l nests lists a few levels deep).
MAX_PAD = 64
#: The most line breaks in a row a layout may put between two units (a few blank lines).
MAX_BREAKS = 6
# The whitespace a Chinese edition lays out with; any other (\r alone, \f, \v, \u2028...) is
# whitespace to the render's shape check but a line break or worse to Markdown and polib.
_PAD = re.compile(rf"[ \t\u3000]{{0,{MAX_PAD}}}")
_LINE_BREAKS = re.compile(rf"(?:\r?\n[ \t\u3000]*){{{MAX_BREAKS + 1}}}")


def _fair_pad(pad: str) -> bool:
    """A pad the render may put before a pair's continuation lines: indentation only, not too wide.
    Anything else is a hand edit (text there would be written into zh/*.md): the English's stands."""
    return bool(_PAD.fullmatch(pad))


def _fair_run(run: str) -> bool:
    """A markup run the render may use (its marks it checks against the English's): whitespace a
    Chinese edition lays out with, lines not too deeply indented, not too many blank lines."""
    return (all(c in " \t\r\n\u3000" or not c.isspace() for c in run)
            and "\r" not in run.replace("\r\n", "")
            and all(_fair_pad(line[: len(line) - len(line.lstrip())]) for line in run.replace("\r\n", "\n").split("\n"))
            and not _LINE_BREAKS.search(run))


def of(doc: Document, matches: list[Match]) -> RenderLayout:
    """What the render is told of the pairs' layout (markdown.Layout), per head unit and the end."""
    out: dict[int, tuple[list[str] | None, str | None]] = {}
    last: Pair | None = None
    for m in matches:
        if m.pair is None:
            last = None
            continue
        last = m.pair
        if m.head and m.pair.layout and m.pair.chinese:
            lay = Layout.load(m.pair.layout)
            out[m.unit] = (lay.before, lay.pad)
    if last is not None and last.layout and last.chinese:
        out[len(doc.units)] = (Layout.load(last.layout).after, None)
    return out


def record(en_doc: Document, zh_doc: Document, placed: list[tuple[Pair, list[Unit], list[Unit]]]) -> None:
    """Note on each imported pair the Chinese file's layout around it, where it differs from the
    English's. `placed`: every pair of the file in English order, with the English units it
    covers and the Chinese units its translation came from (empty: untranslated)."""
    index = {id(u): i for i, u in enumerate(en_doc.units)}
    zh_order = {id(u): k for k, u in enumerate(zh_doc.translatable)}
    zh_units = zh_doc.units
    zh_at = {id(u): i for i, u in enumerate(zh_units)}
    text: dict[int, str | None] = {}
    for pair, eu, _zu in placed:
        for k, u in enumerate(eu):
            text[index[id(u)]] = None if not pair.chinese else (pair.chinese if k == 0 else "")
    english_gaps = {i: gap for i, gap, _u, _t in walk(en_doc, lambda i, _u: text.get(i))}
    source = en_doc.text

    def zh_gap(a: Unit | None, b: Unit | None) -> list[str]:
        """Markup runs of the Chinese file between two of its units (None: the file's start or end)."""
        lo = zh_at[id(a)] + 1 if a is not None else 0
        hi = zh_at[id(b)] if b is not None else len(zh_units)
        return gap_runs(zh_units[lo:hi])[0]

    previous: list[Unit] | None = []  # the Chinese units rendered last ([]: the file's start; None: not Chinese)
    for k, (pair, eu, zu) in enumerate(placed):
        done = bool(pair.chinese and zu and eu)
        lay = Layout()
        if done and previous is not None and _adjacent(previous, zu[0], zh_order):
            runs = zh_gap(previous[-1] if previous else None, zu[0])
            if runs != gap_runs(english_gaps.get(index[id(eu[0])], []))[0]:
                lay.before = runs
        if done and len(zu) == 1 and "\n" in pair.chinese and pair.kind != "comment":  # fit puts `# `
            pad = _chinese_pad(zu[0])
            if pad != continuation_pad(eu[0], source):
                lay.pad = pad
        if done and k == len(placed) - 1 and zh_order[id(zu[-1])] == len(zh_order) - 1:
            runs = zh_gap(zu[-1], None)
            if runs != gap_runs(english_gaps.get(len(en_doc.units), []))[0]:
                lay.after = runs
        pair.layout = lay.dump()
        previous = zu if done else None


def _adjacent(previous: list[Unit], first: Unit, zh_order: dict[int, int]) -> bool:
    """True when `first` is the Chinese unit right after `previous` (or the file's first)."""
    want = zh_order[id(previous[-1])] + 1 if previous else 0
    return zh_order[id(first)] == want


def _chinese_pad(u: Unit) -> str:
    """The indentation the import took off a Chinese unit's continuation lines (importer.chinese_text)."""
    if not u.column:
        return ""
    rest = u.source.strip().split("\n")[1:]
    return os.path.commonprefix([line[: len(line) - len(line.lstrip())] for line in rest if line.strip()])


@dataclass(slots=True)
class Unrestored:
    """Lines of a Chinese file that the render of its pairs does not give back."""

    line: int
    """1-based first line in the Chinese file (of the lines the render misses, or before which it adds)."""
    end: int
    """1-based last line (line - 1 when the render only adds lines there)."""
    why: str
    """What stands there: Chinese with no English, code unlike the English's, another structure."""

    def as_dict(self) -> dict[str, object]:
        """The JSON form (`workbench import --json`)."""
        return {"line": self.line, "end": self.end, "why": self.why}


#: What `unrestored` says stands at lines a render does not give back.
CHINESE_ONLY = "Chinese with no English unit (kept as a note)"
SET_ASIDE = "Chinese that holds a list or other structure a translation may not (kept as a note on its pair)"
ENGLISH_ONLY = "English with nothing in the Chinese here (rendered as the English has it)"
SHARED = "code, math or a directive unlike the English's (the English's is rendered)"
STRUCTURE = "laid out or split unlike the English (blocks, list items, lines)"


def unrestored(rendered: str, zh_doc: Document, used: set[int], aside: AbstractSet[int] = frozenset()
               ) -> list[Unrestored]:
    """Where `rendered` (zh/PATH.md as the pairs render it) differs from the Chinese file it was
    imported from, hunk by hunk, with what stands there. `used`: id() of the Chinese units whose
    text went into a pair; `aside`: of those paired but set aside (structure.set_aside)."""
    ours, theirs = rendered.splitlines(keepends=True), zh_doc.text.splitlines(keepends=True)
    if ours == theirs:
        return []
    out = []
    matcher = difflib.SequenceMatcher(None, theirs, ours, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        first, last = i1 + 1, i2  # 1-based, inclusive
        here = [u for u in zh_doc.units if u.start <= max(last, first) and u.end >= first]
        if op == "insert" and any(line.strip() for line in ours[j1:j2]):
            why = ENGLISH_ONLY
        elif any(id(u) in aside for u in here):
            why = SET_ASIDE
        elif any(u.translatable and id(u) not in used for u in here):
            why = CHINESE_ONLY
        elif any(not u.translatable and u.kind != "markup" for u in here):
            why = SHARED
        else:
            why = STRUCTURE
        out.append(Unrestored(first, last, why))
    return out
