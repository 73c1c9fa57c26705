"""Search across the English and the Chinese of every pair of the book; Enter goes to the pair."""

from __future__ import annotations

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from ..cells import path_cell
from ..concordance import Hit
from ..session import Session
from .keymap import bindings
from .messages import OpenFile
from .widgets import HitTable, KeyBar, badge, snippet

LIMIT = 500
"""Hits listed at most (the count says how many there are)."""


class SearchScreen(Screen):
    """Type to search; results update as you type."""

    BINDINGS = bindings("search")
    SCOPES = ("search",)

    def __init__(self, session: Session, query: str = "") -> None:
        super().__init__()
        self.session = session
        self.query_text = query
        self.hits: list[Hit] = []
        self.shown_query: str | None = None
        """The query the hits are for (None: none searched yet)."""
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Search the English and the Chinese of every pair", style="bold"), classes="bar")
        yield Input(self.query_text, id="query", placeholder="words in English or Chinese", select_on_focus=False)
        yield Static(id="count", classes="bar")
        yield HitTable(id="hits")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_resize(self) -> None:
        table = self.query_one(HitTable)
        # five columns with a cell of padding on each side, and the scrollbar
        rest = max(20, self.size.width - (30 + 6 + 5) - 5 * 2 - 2)
        self.text_width = rest // 2
        table.clear(columns=True)
        table.add_column("file", key="file", width=30)
        table.add_column(Text("line", justify="right"), key="line", width=6)
        table.add_column("state", key="state", width=5)
        table.add_column("English", key="en", width=self.text_width)
        table.add_column("Chinese", key="zh", width=self.text_width)
        self.show_hits(self.hits, len(self.hits), self.query_one(Input).value)

    def on_key(self, event: events.Key) -> None:
        # keys typed before the field has focus (right after `/`), or while the results have it,
        # go into the query: nothing typed is lost
        field = self.query_one(Input)
        if event.is_printable and event.character and not field.has_focus:
            event.stop()
            field.focus()
            field.insert_text_at_cursor(event.character)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._debounce:
            self._debounce.stop()
        # wait for a pause in typing: a search over 10 000 pairs per key press is wasted
        self._debounce = self.set_timer(0.15, lambda: self.run_search(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._debounce:
            self._debounce.stop()
        if event.value == self.shown_query and len(self.hits) == 1:
            self.action_open_hit()  # the only hit is where Enter goes
            return
        self.run_search(event.value, then_focus=True)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str, then_focus: bool = False) -> None:
        """Search in a thread; waits for the book to be read."""
        self.session.ready.wait()
        hits, count = self.session.search(query, LIMIT)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_hits, hits, count, query, then_focus)

    def show_hits(self, hits: list[Hit], count: int, query: str, then_focus: bool = False) -> None:
        self.hits = hits
        self.shown_query = query
        table = self.query_one(HitTable)
        table.clear()
        for k, h in enumerate(hits):
            table.add_row(Text(path_cell(h.rel, 30), no_wrap=True), Text(str(h.pair.line), justify="right"), badge(h.pair),
                          snippet(h.pair.english, self.text_width), snippet(h.pair.chinese, self.text_width), key=str(k))
        if not query.strip():
            said = "type to search"
        elif count > len(hits):
            said = f"{count} pairs found, the first {len(hits)} shown"
        else:
            said = f"{count} pair{'s' if count != 1 else ''} found"
        self.query_one("#count", Static).update(Text(said, style="dim"))
        if then_focus and len(hits) == 1:
            self.action_open_hit()  # Enter on a search with one hit opens it
        elif then_focus and hits:
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_hit()

    def action_open_hit(self) -> None:
        table = self.query_one(HitTable)
        if not self.hits:
            return
        h = self.hits[table.cursor_row]
        self.post_message(OpenFile(h.rel, h.index))

    def action_focus_results(self) -> None:
        if self.hits:
            self.query_one(HitTable).focus()

    def action_back(self) -> None:
        self.app.pop_screen()
