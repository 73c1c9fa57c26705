"""The TUI's widgets: the virtual tables (DataTable renders only the rows in view) and the editor."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any, cast

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable, Static, TextArea
from textual.widgets.data_table import RowKey

from ..cells import cell
from ..model import Pair, State
from .keymap import bindings
from .scrollbars import QuickScrollBars

# ASCII badges: box-drawing and symbol glyphs have ambiguous width in CJK terminals.
BADGES = {
    State.UNTRANSLATED: ("todo", "red"),
    State.CONFLICT: ("confl", "bold red"),
    State.PAIRING: ("pair?", "magenta"),
    State.STALE: ("stale", "yellow"),
    State.SETTLED: ("settl", "cyan"),
    State.TRANSLATED: ("done", "green"),
    State.REVIEWED: ("rev", "bold green"),
}


def badge(pair: Pair) -> Text:
    """The pair's state (model.State) as a short coloured word."""
    word, colour = BADGES[pair.state]
    return Text(word, style=colour)


def fit(text: Text, width: int) -> Text:
    """One line of at most `width` cells; when cut, it ends in "..." (never cut silently)."""
    if text.cell_len <= width:
        return text
    out = text.copy()
    out.truncate(max(width - 3, 1))
    out.append("...", style="bold")
    return out


def more_below(strip: Strip, width: int, hidden: int, style: Style) -> Strip:
    """The last visible row of a pane with `hidden` lines below it: a marker at its right end says so."""
    mark = f" +{hidden} more line{'s' if hidden > 1 else ''} "
    if width <= len(mark):
        return Strip([Segment(mark[:width], style)], width)
    return Strip.join([strip.crop(0, width - len(mark)), Strip([Segment(mark, style)], len(mark))])


def snippet(text: str, width: int, style: str = "") -> Text:
    """One line of at most `width` cells for a table column (a Text: never read as markup)."""
    line = cell(text)
    if cell_len(line) > width:
        # cut by cells, not characters: a Chinese character takes two
        line = set_cell_size(line, max(width - 3, 1)).rstrip() + "..."
    return Text(line, style=style, no_wrap=True, overflow="crop")


MORE_STYLE = Style(reverse=True, bold=True)
"""How the "+N more lines" marker of a pane shows."""


class RowTable(QuickScrollBars, DataTable):
    """A table whose rows get new cells in place: DataTable.update_cell repaints the whole table
    for each cell (every row in view rendered again), and a table built again measures every
    cell of every row (a tenth of a second for the book's 180 files)."""

    _frame: tuple[Any, ...] | None = None
    """What the lines drawn in a frame share (render_lines)."""

    def set_row(self, key: str, cells: list[Text]) -> None:
        """New cells for one row (in column order), repainting that row alone (if they differ)."""
        if self._set_cells(key, cells):
            self._update_count += 1  # what the table remembers of its rows' looks is out of date
            self.refresh_row(self.get_row_index(key))

    def set_rows(self, rows: list[tuple[str, list[Text]]]) -> None:
        """Show these rows (key, cells in column order): in place when the keys are the rows
        shown, in the same order, repainting the rows that changed; else the table is filled again."""
        if [key.value for key in self.rows] == [key for key, _ in rows]:
            # the counts handed over again unchanged (the book screen's second refill when the
            # counts were remembered) cost a whole table drawn again, every cell measured
            changed = [key for key, cells in rows if self._set_cells(key, cells)]
            if changed:
                self._update_count += 1
                for key in changed:
                    self.refresh_row(self.get_row_index(key))
            return
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        # sized now, as DataTable would when next idle: the layout before the first frame then
        # gives the table its scrollbar (sized after, the table was drawn twice, the second
        # time one column narrower)
        self._require_update_dimensions = False
        new_rows = self._new_rows.copy()
        self._new_rows.clear()
        self._update_dimensions(new_rows)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # DataTable measures every cell of every new row to size its columns; ours have fixed
        # widths and one-line rows, so only the scrollable size is left to set
        if any(column.auto_width for column in self.columns.values()) or any(
                self.rows[key].auto_height for key in new_rows if key in self.rows):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header)

    def _set_cells(self, key: str, cells: list[Text]) -> bool:
        """Put the cells in the row; False when they are those it holds (drawn alike)."""
        row = self._data[RowKey(key)]
        changed = False
        for column, value in zip(self.ordered_columns, cells, strict=True):
            old = row.get(column.key)
            if not (isinstance(old, Text) and old.plain == value.plain and old.style == value.style
                    and old.spans == value.spans and old.justify == value.justify
                    and old.no_wrap == value.no_wrap and old.overflow == value.overflow):
                row[column.key] = value
                changed = True
        return changed

    def render_lines(self, crop: Region) -> list[Strip]:
        # what every line drawn in this frame shares, taken once (DataTable takes the style,
        # the cursor, the size... again for each line, and each costs a lookup through the DOM)
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        self._frame = (self.rich_style, scroll_x, scroll_y, width, self.header_height if self.show_header else 0,
                       self.cursor_coordinate.row, self.hover_coordinate.row,
                       (scroll_x, scroll_x + width, width, self.cursor_type, self.show_cursor,
                        self._show_hover_cursor, self._update_count, self.get_pseudo_class_state()))
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if self.fixed_rows or self._frame is None:
            return super().render_line(y)
        base_style, scroll_x, scroll_y, width, header, cursor, hover, looks = self._frame
        if y >= header:
            y += scroll_y
        # DataTable remembers a drawn line by its place on screen and the cursor's place, so
        # when the cursor moves and the list scrolls one row, every row in view is drawn again
        # (a pair move cost 20 ms more than the move itself). A row looks the same wherever it
        # shows and wherever the cursor is, as long as the cursor is not on it: remembered so.
        # The entries live in DataTable's own line cache, emptied whenever DataTable empties it.
        try:
            row_key, line = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, scroll_x, scroll_x + width, base_style)
        index = self._row_locations.get(row_key)
        if index is None:  # the header
            return super()._render_line(y, scroll_x, scroll_x + width, base_style)
        key = ("row", row_key, line, index, base_style, index == cursor, index == hover, looks)
        cache = cast("LRUCache[Any, Strip]", self._line_cache)
        strip = cache.get(key)
        if strip is None:
            strip = cache[key] = super()._render_line(y, scroll_x, scroll_x + width, base_style)
        return strip


class PairTable(RowTable):
    """The pairs of a file, one row each: number, status, QA count, English (and Chinese when wide)."""

    BINDINGS = bindings("pairs")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]


class FileTable(RowTable):
    """The files of the book with their counts."""

    BINDINGS = bindings("book")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]


class HitTable(DataTable):
    """Search results across the book."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]


class TermTable(DataTable):
    """Glossary terms."""

    BINDINGS = bindings("glossary")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]


def _resize_thumb(widget: ScrollView) -> None:
    """Give the vertical scrollbar the new virtual height set quietly (without a layout).

    Textual tells a scrollbar its sizes only while laying the screen out; without this the
    thumb showed the previous text's length until some later layout happened to run.
    """
    if widget.show_vertical_scrollbar:
        bar = widget.vertical_scrollbar
        bar.window_virtual_size = widget.virtual_size.height
        bar.window_size = widget.scrollable_content_region.height


class ChineseEditor(QuickScrollBars, TextArea):
    """The Chinese of the selected pair; its ctrl keys stay TextArea's, ours are ctrl+n/b/t/s/g."""

    BINDINGS = bindings("editor")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(soft_wrap=True, tab_behavior="focus", show_line_numbers=False, **kwargs)  # type: ignore[arg-type]

    def _refresh_size(self) -> None:
        # The editor's height is fixed by the stylesheet: a new text changes only what scrolls
        # inside it. Setting virtual_size the ordinary way would lay out the whole screen on
        # every pair move; set it quietly and refresh the editor alone.
        if not self.soft_wrap:
            super()._refresh_size()
            return
        self.set_reactive(TextArea.virtual_size, Size(0, self.wrapped_document.height))
        self._refresh_scrollbars()
        _resize_thumb(self)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        height = self.scrollable_content_region.height
        hidden = self.wrapped_document.height - (self.scroll_offset.y + height)
        if y == height - 1 and hidden > 0:
            return more_below(strip, self.scrollable_content_region.width, hidden, MORE_STYLE)
        return strip


class LineBar(Widget):
    """One line of rich Text (a title, a pane's head), drawn from a strip made once per text and
    width: a Static turns its text into Textual's content again on every frame it is part of, and
    every pair move redraws the title and both heads."""

    DEFAULT_CSS = """
    LineBar {
        height: 1;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._text = Text()
        self._strip: Strip | None = None
        self._width = 0

    def update(self, text: Text, layout: bool = False) -> None:
        """Show this text (one line: what does not fit is cropped); `layout` as Static's."""
        self._text = text
        self._strip = None
        self.refresh(layout=layout)

    def render(self) -> Text:
        """The text shown (as a Static gives it; drawing goes through render_line)."""
        return self._text

    def render_line(self, y: int) -> Strip:
        width = self.size.width  # the content's: without the padding
        style = self.rich_style
        if y:
            return Strip.blank(width, style)
        if self._strip is None or self._width != width:
            line = self._text.copy()
            line.end = ""
            segments = list(line.render(self.app.console))
            self._strip = Strip(segments).crop(0, width).apply_style(style)
            self._width = width
        return self._strip

    def on_resize(self) -> None:
        self._strip = None


class TextPane(QuickScrollBars, ScrollView, can_focus=False):
    """Rich text wrapped to the pane's width and drawn line by line (Line API, as toolong does).

    Showing a new pair only repaints the pane: its size is fixed by the stylesheet, so a longer
    or shorter text never makes the whole screen lay itself out again (which costs more than
    everything else a pair move does).
    """

    DEFAULT_CSS = """
    TextPane {
        height: 1fr;
        overflow-x: hidden;
        /* always there: a scrollbar that comes and goes would make the screen lay out again */
        overflow-y: scroll;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._text = Text()
        self._lines: list[Strip] = []
        self._width = 0
        self._height = 0
        self._style = Style()
        """The pane's style and its height, taken once per text or size (not per line drawn:
        both cost more than drawing the line)."""

    @property
    def text(self) -> Text:
        """What the pane shows."""
        return self._text

    def show(self, text: Text | str) -> None:
        """Replace the text; scrolls back to the top."""
        self._text = text if isinstance(text, Text) else Text(text)
        self._wrap(self._width)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def _wrap(self, width: int) -> None:
        self._width = width
        self._height = self.scrollable_content_region.height
        self._style = self.rich_style
        if width <= 0:
            self._lines = []
            return
        console = self.app.console
        self._lines = [Strip(line.render(console), line.cell_len) for line in self._text.wrap(console, width)]
        # no layout for a new text: the pane's own size does not change, only what scrolls in it
        self.set_reactive(ScrollView.virtual_size, Size(width, len(self._lines)))
        self._refresh_scrollbars()
        _resize_thumb(self)

    def on_resize(self) -> None:
        self._wrap(self.scrollable_content_region.width)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        i = scroll_y + y
        width, style = self._width, self._style
        if i >= len(self._lines):
            return Strip.blank(width, style)
        strip = self._lines[i].extend_cell_length(width).crop(0, width).apply_style(style)
        hidden = len(self._lines) - (scroll_y + self._height)
        if y == self._height - 1 and hidden > 0:
            return more_below(strip, width, hidden, MORE_STYLE)
        return strip


class KeyBar(Static):
    """The footer: the keys that work where the focus is, as one line of text.

    Textual's Footer makes a widget per key and rebuilds them all whenever the focus moves; with
    every action shown that cost ~100 ms on each Enter into the editor and Escape out of it.
    One Text costs nothing. Keys sharing a group show as one item: "n p Next/Prev".
    """

    COMPONENT_CLASSES = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    KeyBar > .keybar--description {
        color: $footer-description-foreground;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            # cut with "...": the keys that do not fit are in the help screen (? is always first)
            self.update(fit(self.keys_text(), max(10, self.size.width)), layout=False)

    def on_resize(self) -> None:
        self._changed(self.screen)

    def keys_text(self) -> Text:
        """The shown bindings of the focused widget, its screen and the app, one per action."""
        key_style = self.get_component_rich_style("keybar--key")
        text_style = self.get_component_rich_style("keybar--description")
        by_action: dict[str, tuple[Binding, bool]] = {}
        shown = [(b, e) for _node, b, e, _tip in self.screen.active_bindings.values() if b.show]
        # help first: when the bar is cut at 80 columns, it still says where every key is
        shown.sort(key=lambda item: item[0].action != "app.help")
        for binding, enabled in shown:
            by_action.setdefault(binding.action, (binding, enabled))
        out = Text(no_wrap=True, overflow="crop", end="")
        for group, members_iter in groupby(by_action.values(), key=lambda item: item[0].group):
            members = list(members_iter)
            if group is not None and len(members) > 1:
                items = [(" ".join(self.app.get_key_display(b) for b, _ in members), group.description)]
            else:
                items = [(self.app.get_key_display(b), b.description) for b, _ in members]
            for key, description in items:
                out.append(f" {key}", style=key_style)
                out.append(f" {description} ", style=text_style)
        if self.app.ENABLE_COMMAND_PALETTE:
            out.append(" ^p", style=key_style)
            out.append(" palette", style=text_style)
        return out
