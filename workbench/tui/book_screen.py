"""The book screen: every file with its progress and QA findings, a total, sort and a needs-work filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ..builtin import label
from .desk import FileRow
from .keymap import bindings
from .marks import path_cell
from .widgets import FileTable, KeyBar

if TYPE_CHECKING:
    from .app import WorkbenchApp

# (name shown, sort key); the first is the file order of the book
SORTS: list[tuple[str, Callable[[FileRow], Any]]] = [
    ("file", lambda r: r.rel),
    ("% done", lambda r: (r.percent, r.rel)),
    ("todo", lambda r: (-r.untranslated, r.rel)),
    ("stale", lambda r: (-r.stale, r.rel)),
    ("QA", lambda r: (-(r.findings or 0), r.rel)),
]


NUMBERS = ("pairs", "done", "stale", "todo", "QA", "%")


def counts(row: FileRow) -> list[Text]:
    """The number cells of a row: pairs, done, stale, todo, QA, percent."""
    if row.error:
        return [Text("error", style="red")] + [Text("")] * 5
    if not row.loaded:
        return [Text("-", justify="right")] * 6
    qa = "-" if row.findings is None else str(row.findings)
    return [
        Text(str(row.pairs), justify="right"),
        Text(str(row.translated), justify="right", style="green" if row.translated else ""),
        Text(str(row.stale), justify="right", style="yellow" if row.stale else ""),
        Text(str(row.untranslated), justify="right", style="red" if row.untranslated else ""),
        Text(qa, justify="right", style="magenta" if row.findings else ""),
        Text(f"{row.percent:.0f}%", justify="right"),
    ]


class BookScreen(Screen):
    """The files of the book; Enter opens one."""

    BINDINGS = bindings("book")
    SCOPES = ("book",)

    def __init__(self) -> None:
        super().__init__()
        self.sort_by = 0
        self.reverse_sort = False
        self.needs_work_only = False
        self.file_width = 40

    @property
    def wb(self) -> WorkbenchApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="bar")
        yield FileTable(id="files")
        yield Static(id="total", classes="bar")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(FileTable).focus()

    def on_resize(self) -> None:
        # the file column takes what the six number columns leave
        self.file_width = max(16, self.size.width - len(NUMBERS) * 8 - 4)
        table = self.query_one(FileTable)
        table.clear(columns=True)
        table.add_column("File", key="file", width=self.file_width)
        for name in NUMBERS:
            table.add_column(Text(name, justify="right"), key=name, width=6)
        self.refill()

    def on_screen_resume(self) -> None:
        # back from a file: its counts changed
        self.refill()

    # -- the table -------------------------------------------------------------------------

    def visible_rows(self) -> list[FileRow]:
        """The rows as shown: filtered and sorted."""
        rows = list(self.wb.desk.rows.values())
        if self.needs_work_only:
            # rows still loading stay: they may need work
            rows = [r for r in rows if r.needs_work or not r.loaded]
        _, key = SORTS[self.sort_by]
        return sorted(rows, key=key, reverse=self.reverse_sort)

    def refill(self) -> None:
        """Rebuild the table (180 rows cost nothing), keeping the cursor on the same file."""
        table = self.query_one(FileTable)
        keep = self.current_rel()
        table.clear()
        if not table.columns:
            return
        for row in self.visible_rows():
            table.add_row(Text(path_cell(row.rel, self.file_width), no_wrap=True), *counts(row), key=row.rel)
        if keep and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep), scroll=True)
        self.show_total()

    def update_rows(self, rels: list[str]) -> None:
        """New counts for some files (from the loading worker or after QA)."""
        table = self.query_one(FileTable)
        for rel in rels:
            if rel not in table.rows:
                continue
            for key, value in zip(NUMBERS, counts(self.wb.desk.rows[rel]), strict=True):
                table.update_cell(rel, key, value)
        self.show_total()

    def show_total(self) -> None:
        desk = self.wb.desk
        t = desk.total()
        shown = len(self.query_one(FileTable).rows)
        qa = "-" if t.findings is None else str(t.findings)
        loading = "" if t.loaded else "  (counting...)"
        self.query_one("#total", Static).update(Text.assemble(
            ("Total ", "bold"),
            f"{len(desk.files)} files, {t.pairs} pairs: ",
            (f"{t.translated} done {t.percent:.0f}%", "green"), ", ",
            (f"{t.stale} stale", "yellow"), ", ",
            (f"{t.untranslated} todo", "red"), f", QA {qa}{loading}", no_wrap=True, overflow="crop",
        ), layout=False)
        filt = f"   showing {shown} that need work" if self.needs_work_only else ""
        arrow = " (reversed)" if self.reverse_sort else ""
        self.query_one("#title", Static).update(Text.assemble(
            ("workbench ", "bold"), f"book {label(desk.book.root)}   sorted by {SORTS[self.sort_by][0]}{arrow}{filt}",
            no_wrap=True, overflow="crop"), layout=False)

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
            self.wb.open_file(rel)

    def action_move(self, delta: int) -> None:
        table = self.query_one(FileTable)
        table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    def action_next_unfinished(self) -> None:
        table = self.query_one(FileTable)
        keys = [str(k.value) for k in table.rows]
        n = len(keys)
        for step in range(1, n + 1):
            i = (table.cursor_row + step) % n
            if self.wb.desk.rows[keys[i]].needs_work:
                table.move_cursor(row=i)
                return
        self.notify("every file is done")

    def action_toggle_needs_work(self) -> None:
        self.needs_work_only = not self.needs_work_only
        self.refill()

    def action_sort(self) -> None:
        self.sort_by = (self.sort_by + 1) % len(SORTS)
        self.refill()

    def action_reverse(self) -> None:
        self.reverse_sort = not self.reverse_sort
        self.refill()
