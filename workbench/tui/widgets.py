"""The TUI's widgets: the virtual tables (DataTable renders only the rows in view) and the editor."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import DataTable, TextArea

from ..model import Pair, Status
from .keymap import bindings
from .marks import cell

# ASCII badges: box-drawing and symbol glyphs have ambiguous width in CJK terminals.
BADGES = {
    Status.CURRENT: ("done", "green"),
    Status.STALE: ("stale", "yellow"),
    Status.UNTRANSLATED: ("todo", "red"),
}


def badge(pair: Pair) -> Text:
    """The pair's status as a short coloured word."""
    word, colour = BADGES[pair.status]
    return Text(word, style=colour)


def snippet(text: str, width: int, style: str = "") -> Text:
    """One line of at most `width` cells for a table column (a Text: never read as markup)."""
    line = cell(text)
    if cell_len(line) > width:
        # cut by cells, not characters: a Chinese character takes two
        line = set_cell_size(line, max(width - 3, 1)).rstrip() + "..."
    return Text(line, style=style, no_wrap=True, overflow="crop")


class PairTable(DataTable):
    """The pairs of a file, one row each: number, status, QA count, English (and Chinese when wide)."""

    BINDINGS = bindings("pairs")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]


class FileTable(DataTable):
    """The files of the book with their counts."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]


class HitTable(DataTable):
    """Search results across the book."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]


class TermTable(DataTable):
    """Glossary terms."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]


class ChineseEditor(TextArea):
    """The Chinese of the selected pair; its ctrl keys stay TextArea's, ours are ctrl+n/b/t/s/g."""

    BINDINGS = bindings("editor")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(soft_wrap=True, tab_behavior="focus", show_line_numbers=False, **kwargs)  # type: ignore[arg-type]
