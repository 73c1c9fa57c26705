"""One section as a notebook: Markdown cells in the reader's language, code cells for one framework tab."""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import nbformat

from .. import store
from ..markdown import assemble
from ..model import Document, Kind, Unit, WorkbenchError
from ..stale_note import marked, stale_heads
from .cache import CellOutputs
from .source import SourceBook
from .tabs import DEFAULT_TAB, code_cells, code_tabs, fence_body, for_tab

LANGUAGES = ("en", "zh")

_BEGIN_TAB = re.compile(r":begin_tab:`([^`]*)`")
_END_TAB = re.compile(r":end_tab:")


@dataclass(slots=True)
class CodeCell:
    """A code cell of a section's notebook."""

    cell: int
    """0-based position among all the notebook's cells."""
    line: int
    """1-based line of the code fence in en/PATH.md."""
    code: str
    """The English code, without its `#@tab` line: what runs, in every language."""
    shown: str
    """What the reader sees: the same code, its comments translated in a zh notebook."""


@dataclass(slots=True)
class Section:
    """One section as a notebook in one language, outputs not yet attached."""

    rel: str
    """The English file, relative to en/."""
    lang: str
    """en or zh."""
    cells: list[Any]
    """The notebook's cells (nbformat nodes), Markdown and code."""
    code: list[CodeCell] = field(default_factory=list)
    """Its code cells in order."""
    untranslated: int = 0
    """Units shown in English because they have no Chinese yet (zh only)."""
    stale: int = 0
    """Stale pairs shown with the reader's note (zh with `mark_stale` only)."""


def _tab_mask(doc: Document, tab: str) -> list[bool]:
    """Per unit: False inside a `:begin_tab:` section written for another framework."""
    keep = [True] * len(doc.units)
    skipping = False
    for i, unit in enumerate(doc.units):
        if unit.kind == Kind.DIRECTIVE:
            m = _BEGIN_TAB.search(unit.source)
            if m:
                tabs = [t.strip() for t in m.group(1).split(",") if t.strip()]
                skipping = not for_tab(tabs, tab)
                keep[i] = not skipping
                continue
            if _END_TAB.search(unit.source) and skipping:
                skipping = False
                keep[i] = False
                continue
        keep[i] = not skipping
    return keep


def _ranges(indices: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of unit indices as [start, end) ranges."""
    out: list[tuple[int, int]] = []
    for i in indices:
        if out and out[-1][1] == i:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def assemble_piece(doc: Document, a: int, b: int, translate: Callable[[int, Unit], str | None] | None) -> str:
    """Units a..b-1 assembled in the reader's language (the English when `translate` is None)."""
    if translate is None:
        return "".join(u.source for u in doc.units[a:b])
    # a piece of the document as a document of its own: offsets shifted so that `fit` finds a
    # comment's line prefix (every piece starts at a line start)
    base = doc.units[a].offset
    units = [dataclasses.replace(u, offset=u.offset - base) for u in doc.units[a:b]]
    return assemble(Document(doc.path, units), lambda i, u: translate(a + i, u))


def _cell(kind: str, cell_id: str, source: str) -> Any:
    """An nbformat v4 cell with a stable id (the notebook validates once, when it is written)."""
    cell: dict[str, Any] = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": source}
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    return nbformat.from_dict(cell)


def english_link(rel: str) -> str:
    """From _build/zh/PATH.ipynb, the link to the English notebook of the same section, as a URL
    (a space, `(` or `)` in a file name would end the Markdown link, `#` make it a fragment)."""
    stem = rel.removesuffix(".md")
    return quote(posixpath.relpath(f"_build/en/{stem}.ipynb", posixpath.dirname(f"_build/zh/{stem}.ipynb")))


def section(book: SourceBook, rel: str, lang: str = "en", tab: str = DEFAULT_TAB, mark_stale: bool = False) -> Section:
    """The notebook of en/PATH.md in `lang` for one framework tab (no outputs yet).

    `mark_stale` (zh): a stale pair's Chinese gets the reader's note (stale_note.py) with a link
    to the English notebook.
    """
    doc = book.document(rel)
    reader = _reader(book, doc, rel, lang, mark_stale)
    keep = _tab_mask(doc, tab)
    code_blocks = _code_blocks(doc)
    cells = _Cells(doc, Section(rel, lang, []), reader.translate)
    done: set[int] = set()
    for i, unit in enumerate(doc.units):
        if unit.block not in code_blocks:
            if keep[i]:
                cells.markdown.append(i)
        elif unit.block not in done:
            done.add(unit.block)
            members = code_blocks[unit.block]
            if keep[members[0]]:
                cells.add_code(members, tab)
    cells.flush()
    out = cells.out
    if lang == "zh":
        out.untranslated = sum(1 for k in cells.used if doc.units[k].translatable and reader.chinese.get(k) is None)
        out.stale = sum(1 for k in cells.used if k in reader.noted)
    return out


@dataclass(slots=True)
class _Reader:
    """What a section shows its reader in place of the English."""

    translate: Callable[[int, Unit], str | None] | None = None
    """The text of a unit in the reader's language (None: the English as it is)."""
    chinese: dict[int, str | None] = field(default_factory=dict)
    """Unit -> its Chinese (zh only)."""
    noted: set[int] = field(default_factory=set)
    """The units whose stale note was added."""


def _reader(book: SourceBook, doc: Document, rel: str, lang: str, mark_stale: bool) -> _Reader:
    """The Chinese a section shows in `lang` (none for en), stale pairs noted when asked."""
    if lang == "en":
        return _Reader()
    if lang != "zh":
        raise WorkbenchError(f"no such language {lang!r}; build en or zh")
    matches = store.match(doc, book.catalog(rel))
    out = _Reader(chinese=store.translations(doc, matches))
    if mark_stale:
        out.chinese = marked(doc, matches, out.chinese, english_link(rel))
        out.noted = set(stale_heads(matches))
    chinese = out.chinese
    out.translate = lambda i, _u: chinese.get(i)
    return out


def _code_blocks(doc: Document) -> dict[int, list[int]]:
    """Code cell block -> the units it is made of."""
    code = {b for b, _ in code_cells(doc)}
    units_of: dict[int, list[int]] = {}
    for i, unit in enumerate(doc.units):
        if unit.block in code:
            units_of.setdefault(unit.block, []).append(i)
    return units_of


class _Cells:
    """A section's cells being made: Markdown units gathered into a cell until a code cell."""

    def __init__(self, doc: Document, out: Section, translate: Callable[[int, Unit], str | None] | None) -> None:
        self.doc, self.out, self.translate = doc, out, translate
        self.markdown: list[int] = []
        """Units gathered for the next Markdown cell."""
        self.used: list[int] = []
        """Units shown, for the untranslated count."""

    def flush(self) -> None:
        """The Markdown units gathered so far as one cell (none when they are blank)."""
        text = "".join(assemble_piece(self.doc, a, b, self.translate) for a, b in _ranges(self.markdown))
        text = text.strip("\r\n")
        self.used.extend(self.markdown)
        self.markdown.clear()
        if text.strip():
            self.out.cells.append(_cell("markdown", f"md-{len(self.out.cells)}", text))

    def add_code(self, members: list[int], tab: str) -> None:
        """The code block of units `members` as a code cell, when it is for `tab`."""
        doc, out = self.doc, self.out
        english = "".join(doc.units[k].source for k in members)
        tabs, code = code_tabs(fence_body(english))
        if not for_tab(tabs, tab):
            return
        self.flush()
        shown = code
        if self.translate is not None:
            shown = code_tabs(fence_body(assemble_piece(doc, members[0], members[-1] + 1, self.translate)))[1]
        self.used.extend(members)
        out.code.append(CodeCell(len(out.cells), doc.units[members[0]].start, code, shown))
        out.cells.append(_cell("code", f"code-{len(out.cells)}", shown))


def notebook(sec: Section, outputs: list[CellOutputs] | None = None) -> Any:
    """The nbformat v4 notebook of a section, with the outputs of its code cells when known."""
    cells = [nbformat.from_dict(dict(c)) for c in sec.cells]
    if outputs is not None:
        for code, out in zip(sec.code, outputs, strict=True):
            cells[code.cell].outputs = [nbformat.from_dict(o) for o in out.outputs]
            cells[code.cell].execution_count = out.execution_count
    return nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
