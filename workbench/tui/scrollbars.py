"""The TUI's scrollbars: a plain thumb (no eighth-block glyphs), drawn again only when it moves
by a cell."""

from __future__ import annotations

from typing import cast

from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget


class BlankScrollBarRender(ScrollBarRender):
    """A scrollbar thumb of plain coloured cells: the eighth-block glyphs Textual uses for a
    smooth thumb have an ambiguous width in CJK terminals and push the line out of place."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


class QuickScrollBar(ScrollBar):
    """A scrollbar that keeps its drawn lines while its thumb covers the same cells.

    Textual draws a scrollbar again, line by line through every style rule, whenever its
    position changes: on a pair move the list scrolls one row and its scrollbar cost 5 ms, though
    in a file of hundreds of pairs the thumb moves by a cell only every tenth move or so.
    """

    def __init__(self, vertical: bool = True, name: str | None = None, *, thickness: int = 1) -> None:
        super().__init__(vertical, name, thickness=thickness)
        self._drawn: tuple[object, list[Strip]] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        console = self.app.console
        width, height = self.size
        # the bar's own segments (cheap: one run of the thumb arithmetic) tell whether it changed
        bar = tuple(console.render(self.render(), console.options.update_dimensions(width, height)))
        key = (crop, width, height, bar, self.background_colors, tuple(self.get_line_filters()))
        if self._drawn is not None and self._drawn[0] == key:
            return self._drawn[1]
        # drawn from the state now (the key's): Textual may hold lines drawn before the last change
        self._styles_cache.clear()
        self._render_content()
        strips = super().render_lines(crop)
        self._drawn = (key, strips)
        return strips


class QuickScrollBars:
    """Mixed in before a widget's class: its vertical scrollbar is a QuickScrollBar. (Not a
    Widget itself: Textual takes a widget's styles and component classes from its first base.)"""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        # as Widget.vertical_scrollbar, with the other class
        widget = cast(Widget, self)
        if widget._vertical_scrollbar is None:
            bar = widget._vertical_scrollbar = QuickScrollBar(vertical=True, name="vertical",
                                                              thickness=widget.scrollbar_size_vertical)
            bar.display = False
            widget.app._start_widget(widget, bar)
        return widget._vertical_scrollbar
