"""The book screen: every file with its counts (as `workbench status` counts them), a total, sort,
and one filter key for each thing a translator works through (session/filters.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ..builtin import label
from ..cells import path_cell
from ..session import BY_ID, NEEDS_WORK, FileProgress, Filter, Session
from .keymap import KEYMAP
from .messages import BookSynced, CountsChanged, CountsShown, FindingsChanged, OpenFile
from .widgets import FileTable, KeyBar, fit

# (name shown, sort key); the first is the file order of the book
SORTS: list[tuple[str, Callable[[FileProgress], Any]]] = [
    ("file", lambda r: r.rel),
    ("% done", lambda r: (r.percent, r.rel)),
    ("to do", lambda r: (-r.to_do, r.rel)),
    ("todo", lambda r: (-r.untranslated, r.rel)),
    ("stale", lambda r: (-r.stale, r.rel)),
    ("QA", lambda r: (-(r.findings or 0), r.rel)),
]

#: The number columns, named as `workbench status` names them, and the Progress field of each.
NUMBERS = (("pairs", "pairs"), ("done", "translated"), ("stale", "stale"), ("pair?", "pairing"),
           ("confl", "conflicts"), ("todo", "untranslated"), ("QA", "findings"), ("%", "percent"))
STYLES = {"done": "green", "stale": "yellow", "pair?": "magenta", "confl": "bold red", "todo": "red", "QA": "magenta"}
WIDTH = 5
"""Cells of a number column."""
OPTIONAL = ("pairing", "conflicts")
"""Columns shown only when the book has such pairs."""

#: The key of each filter, from the keymap (the `filter(ID)` actions of the book screen).
FILTER_KEYS = {BY_ID[k.action.split("'")[1]]: k.keys.split(",")[0] for k in KEYMAP["book"]
               if k.action.startswith("filter(") and k.action.split("'")[1] in BY_ID}


def counts(row: FileProgress, columns: list[tuple[str, str]]) -> list[Text]:
    """The number cells of a row."""
    if row.error:
        return [Text("error", style="red")] + [Text("")] * (len(columns) - 1)
    if not row.loaded:
        return [Text("-", justify="right")] * len(columns)
    out = []
    for name, field in columns:
        value = getattr(row, field)
        if value is None:
            out.append(Text("-", justify="right"))
        elif name == "%":
            out.append(Text(f"{value:.0f}%", justify="right"))
        else:
            out.append(Text(str(value), justify="right", style=STYLES.get(name, "") if value else ""))
    return out


class BookScreen(Screen):
    """The files of the book; Enter opens one."""

    SCOPES = ("book",)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.sort_by = 0
        self.reverse_sort = False
        self.filter: Filter | None = None
        """The filter shown (None: every file)."""
        self.file_width = 40
        self.columns: list[tuple[str, str]] = []
        """The number columns shown (NUMBERS, the rarer states' only when the book has them)."""
        self.laid_out_for = 0
        """The width the columns were laid out for."""
        self.left = False
        """True once another screen came over this one."""

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="bar")
        # filled now: filled on the first resize, it grew a line after the first frame, and the
        # table below, one row shorter, was drawn again whole
        yield Static(self.filter_bar(self.session.total()), id="filters")
        yield FileTable(id="files")
        yield Static(id="total", classes="bar")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(FileTable).focus()

    def on_resize(self) -> None:
        if self.size.width != self.laid_out_for:
            self.refill()  # laid out again for the new width

    def lay_out(self) -> None:
        """The columns: the file takes what the numbers leave. The columns of the rarer states
        (pair?, confl) are there when the book has such pairs: on a narrow terminal the file
        names get their room."""
        total = self.session.total()
        columns = [(name, field) for name, field in NUMBERS if field not in OPTIONAL or getattr(total, field)]
        if columns == self.columns and self.size.width == self.laid_out_for:
            return
        self.columns = columns
        self.laid_out_for = self.size.width
        self.file_width = max(16, self.size.width - len(columns) * (WIDTH + 2) - 4)
        table = self.query_one(FileTable)
        table.clear(columns=True)
        table.add_column("File", key="file", width=self.file_width)
        for name, _ in columns:
            table.add_column(Text(name, justify="right"), key=name, width=WIDTH)

    def on_screen_suspend(self) -> None:
        self.left = True

    def on_screen_resume(self) -> None:
        # back from a file: its counts changed (on the first showing nothing has)
        if self.left:
            self.refill()

    # -- what the app tells ----------------------------------------------------------------

    def on_counts_changed(self, message: CountsChanged) -> None:
        if self.filter is None and len(message.rels) < 10:
            self.update_rows(message.rels)
        else:
            # a file may come into the filter or leave it; and new rows cost less than updating
            # every cell of the whole book
            self.refill()
        # the loading worker waits for this before it reads every pair, whichever way the rows came
        self.call_after_refresh(self.post_message, CountsShown())  # once drawn

    def on_findings_changed(self, message: FindingsChanged) -> None:
        self.refill()

    def on_book_synced(self, message: BookSynced) -> None:
        self.refill()

    # -- the table -------------------------------------------------------------------------

    def visible_rows(self) -> list[FileProgress]:
        """The rows as shown: filtered and sorted."""
        rows = list(self.session.rows.values())
        if self.filter is not None:
            rows = [r for r in rows if self.filter.keeps_file(r)]
        _, key = SORTS[self.sort_by]
        return sorted(rows, key=key, reverse=self.reverse_sort)

    def refill(self, top: bool = False) -> None:
        """Rebuild the table (180 rows cost nothing), keeping the cursor on the same file, or at the top."""
        if not self.size.width:
            return
        table = self.query_one(FileTable)
        keep = None if top else self.current_rel()
        self.lay_out()
        table.set_rows([(row.rel, self.cells(row)) for row in self.visible_rows()])
        if keep and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep), scroll=True)
        else:
            table.move_cursor(row=0)
            table.scroll_home(animate=False, immediate=True)
        self.show_total()

    def cells(self, row: FileProgress) -> list[Text]:
        """A file's row: its path, then its counts."""
        return [Text(path_cell(row.rel, self.file_width), no_wrap=True), *counts(row, self.columns)]

    def update_rows(self, rels: list[str]) -> None:
        """New counts for some files (from the loading worker or after QA)."""
        if [c for c in NUMBERS if c[1] not in OPTIONAL or getattr(self.session.total(), c[1])] != self.columns:
            self.refill()  # a rarer state came (or went): its column with it
            return
        table = self.query_one(FileTable)
        for rel in rels:
            if rel in table.rows:
                table.set_row(rel, self.cells(self.session.rows[rel]))
        self.show_total()

    def show_total(self) -> None:
        session = self.session
        t = session.total()
        width = max(20, self.size.width - 2)
        qa = "-" if t.findings is None else str(t.findings)
        loading = "" if t.loaded else "  (counting...)"
        self.query_one("#total", Static).update(fit(Text.assemble(
            ("Total ", "bold"), f"{len(session.files)} files, {t.pairs} pairs: ",
            (f"{t.translated} done {t.percent:.0f}%", "green"), f" ({t.reviewed} reviewed), ",
            (f"{t.stale} stale", "yellow"), ", ", (f"{t.untranslated} todo", "red"), f", QA {qa}{loading}",
            no_wrap=True), width), layout=False)
        shown = len(self.query_one(FileTable).rows)
        filt = f"   {shown} files: {self.filter.name}" if self.filter else ""
        arrow = " (reversed)" if self.reverse_sort else ""
        self.query_one("#title", Static).update(fit(Text.assemble(
            ("workbench ", "bold"), f"book {label(session.book.root)}   sorted by {SORTS[self.sort_by][0]}{arrow}",
            (filt, "bold"), no_wrap=True), width), layout=False)
        self.query_one("#filters", Static).update(self.filter_bar(t))

    def filter_bar(self, total: FileProgress) -> Text:
        """One item per filter: its key, its name and how many of the book's pairs (or findings) it keeps.
        On a narrow terminal the items go on as many lines as they need (never cut, never split)."""
        width = max(20, (self.size.width or self.app.size.width) - 2)
        lines: list[Text] = [Text()]
        for f, key in FILTER_KEYS.items():
            n = f.count(total)
            item = Text.assemble((f" {key} ", "bold reverse" if f is self.filter else "bold"),
                                 (f"{f.short} {'-' if n is None else n} ", "reverse" if f is self.filter else ""))
            line = lines[-1]
            if line and line.cell_len + 1 + item.cell_len > width:
                lines.append(line := Text())
            if line:
                line.append(" ")
            line.append_text(item)
        return Text("\n").join(lines)

    def current_rel(self) -> str | None:
        table = self.query_one(FileTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    # -- actions ---------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_file()

    def action_open_file(self) -> None:
        rel = self.current_rel()
        if rel:
            self.post_message(OpenFile(rel, walk=self.filter or NEEDS_WORK))

    def action_move(self, delta: int) -> None:
        table = self.query_one(FileTable)
        table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    def action_first(self) -> None:
        self.query_one(FileTable).move_cursor(row=0, scroll=True)

    def action_last(self) -> None:
        table = self.query_one(FileTable)
        table.move_cursor(row=max(0, table.row_count - 1), scroll=True)

    def action_next_unfinished(self) -> None:
        """The next file (after the cursor, wrapping) the filter keeps, or that needs work."""
        want = self.filter or NEEDS_WORK
        table = self.query_one(FileTable)
        keys = [str(k.value) for k in table.rows]
        n = len(keys)
        for step in range(1, n + 1):
            i = (table.cursor_row + step) % n
            row = self.session.rows[keys[i]]
            if row.loaded and want.keeps_file(row):
                table.move_cursor(row=i)
                return
        self.notify(f"no file: {want.name}")

    def action_filter(self, name: str) -> None:
        """Show only the files the filter keeps; its key again (or `a`) shows every file."""
        chosen = BY_ID.get(name)
        self.filter = None if chosen is self.filter else chosen
        self.refill(top=True)

    def action_sort(self) -> None:
        self.sort_by = (self.sort_by + 1) % len(SORTS)
        self.refill(top=True)

    def action_reverse(self) -> None:
        self.reverse_sort = not self.reverse_sort
        self.refill(top=True)
