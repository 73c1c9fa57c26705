"""The file screen: the pairs of one file, and for the selected pair its English (glossary terms
marked), the Chinese in an editor, a word diff when stale, translation-memory suggestions, the
glossary entries that apply and the pair's QA findings.

Leaving a pair writes its edit to disk (PO and zh/*.md), so a crash loses at most that pair.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable
from textual.worker import get_current_worker

from ..cells import path_cell
from ..model import Pair, State, WorkbenchError
from ..progress import REPORTED
from ..session import NEEDS_WORK, Filter, Session
from ..tm import Suggestion
from . import pair_panes as panes
from .dialogs import ask_new_term
from .messages import FileSaved, FindingsChanged, TermsChanged
from .widgets import ChineseEditor, KeyBar, LineBar, PairTable, TextPane, badge, fit, snippet

WIDE = 100
"""From this many columns the pair list and the pair sit side by side; below, one above the other."""


class FileScreen(Screen):
    """One file's pairs; the list has the po-mode keys, the editor the Poedit ones."""

    SCOPES = ("pairs", "editor")

    def __init__(self, session: Session, rel: str, index: int | None = None, walk: Filter | None = None) -> None:
        super().__init__()
        self.session = session
        self.rel = rel
        self.start = index
        self.walk = walk or NEEDS_WORK
        """What `space` walks to: the book screen's filter when the file was opened from it."""
        self.current = -1
        """The pair the panes show (the list's cursor is there too, once a move is handled)."""
        self.left: int | None = None
        """Pairs of the file `space` stops at (None: to be counted again)."""
        self.suggestions: list[Suggestion] = []
        self.aux: dict[str, Text] = {"tm": Text(), "terms": Text(), "qa": Text()}
        """The three parts of the lower pane: memory, glossary, QA."""
        self.saved_at = ""
        self.wide = True
        self.both = False
        self.text_width = 20

    @property
    def pairs(self) -> list[Pair]:
        return self.session.pairs(self.rel)

    @property
    def pair(self) -> Pair | None:
        pairs = self.pairs
        return pairs[self.current] if 0 <= self.current < len(pairs) else None

    def compose(self) -> ComposeResult:
        yield LineBar(id="title", classes="bar")
        with Horizontal(id="body"):
            yield PairTable(id="pairs")
            with Vertical(id="detail"):
                yield LineBar(id="english-head", classes="head")
                yield TextPane(id="english")
                yield LineBar(id="chinese-head", classes="head")
                yield ChineseEditor(id="editor")
                yield TextPane(id="aux")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load(self.rel, self.start, self.walk)

    def load(self, rel: str, index: int | None = None, walk: Filter | None = None) -> None:
        """Show another file on this screen (the app keeps one file screen: building a new one
        costs more than filling this one again)."""
        self.rel = rel
        self.walk = walk or NEEDS_WORK
        self.current = -1
        self.left = None
        self.suggestions = []
        self.saved_at = ""
        if index is None:
            # open where the work is: the first pair of the filter
            index = next((i for i, p in enumerate(self.pairs) if self.wanted(p)), 0)
        self.start = index
        if self.is_mounted and self.size.width:
            self.build_table()
        self.query_one(PairTable).focus()
        # after the first frame: segmenting and wrapping in a thread would hold back drawing the file
        self.call_after_refresh(self.check_unmatched)

    def on_resize(self) -> None:
        self.wide = self.size.width >= WIDE
        self.set_class(not self.wide, "narrow")
        self.build_table()

    # -- the list --------------------------------------------------------------------------

    def build_table(self) -> None:
        """(Re)build the pair list for the current width; the cursor stays on the same pair."""
        table = self.query_one(PairTable)
        keep = self.current if self.current >= 0 else (self.start or 0)
        table.clear(columns=True)
        list_width = self.size.width * 45 // 100 if self.wide else self.size.width
        text_width = max(10, list_width - 4 - 5 - 3 - 8 - 2)
        # the Chinese gets a column when the list is the whole width, or wide enough for two
        self.both = not self.wide or list_width >= 80
        table.add_column(Text("#", justify="right"), key="n", width=4)
        table.add_column("state", key="state", width=5)
        table.add_column("QA", key="qa", width=3)
        self.text_width = max(10, (text_width - 2) // 2) if self.both else text_width
        table.add_column("English", key="en", width=self.text_width)
        if self.both:
            table.add_column("Chinese", key="zh", width=self.text_width)
        table.set_rows([(str(i), self.row_cells(i, p)) for i, p in enumerate(self.pairs)])
        if self.pairs:
            table.move_cursor(row=min(keep, len(self.pairs) - 1), scroll=True)
            if self.current < 0:
                self.show_pair(table.cursor_row)
        else:
            self.show_title()

    def wanted(self, pair: Pair) -> bool:
        """True when `space` stops at the pair."""
        return self.walk.keeps_pair(self.rel, pair, self.session.findings)

    def row_cells(self, i: int, p: Pair) -> list[Text]:
        findings = len(self.session.findings.for_pair(self.rel, p, REPORTED))  # counted as the book screen counts
        cells = [
            Text(str(i + 1), justify="right", style="dim"),
            badge(p),
            Text("C!", style="bold red") if p.conflict else Text(str(findings) if findings else "", style="magenta"),
            snippet(p.english, self.text_width),
        ]
        if self.both:
            cells.append(snippet(p.chinese, self.text_width))
        return cells

    def update_row(self, i: int, title: bool = True) -> None:
        self.query_one(PairTable).set_row(str(i), self.row_cells(i, self.pairs[i]))
        self.left = None  # the pair's state may have changed
        if title:
            self.show_title()

    def refresh_findings(self) -> None:
        """QA findings arrived: redraw the QA column and the pane."""
        for i in range(len(self.pairs)):
            self.update_row(i, title=False)
        self.show_title()
        self.show_details()

    def on_findings_changed(self, message: FindingsChanged) -> None:
        if message.rel in (None, self.rel):
            self.refresh_findings()

    def on_terms_changed(self, message: TermsChanged) -> None:
        self.show_details()

    def on_screen_suspend(self) -> None:
        # another screen comes over this one (search, glossary): the edit is written first; a
        # dialog over it (help, quit, a term) leaves the editor as it is
        if not isinstance(self.app.screen, ModalScreen):
            self.commit()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # the table's cursor now, not the event's row: when keys come faster than these
        # messages, the event's row is already history
        event.stop()
        self.go(self.query_one(PairTable).cursor_row)

    def go(self, i: int) -> None:
        """Show pair i at once (the list's cursor, the panes), committing the pair left; a key
        handled after this one finds the new pair, however fast keys come."""
        table = self.query_one(PairTable)
        if table.cursor_row != i:
            table.move_cursor(row=i, scroll=True)
        if i != self.current:
            # one frame for all the panes that change, not one per pane
            with self.app.batch_update():
                self.commit()
                self.show_pair(i)

    def here(self) -> Pair | None:
        """The pair under the list's cursor, shown (keys acting on "the pair" act on this one)."""
        table = self.query_one(PairTable)
        if self.pairs and table.cursor_row != self.current:
            self.go(table.cursor_row)
        return self.pair

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # -- the selected pair -----------------------------------------------------------------

    def show_pair(self, i: int) -> None:
        """Fill the detail panes for pair i; suggestions come from a worker."""
        self.current = i
        p = self.pair
        editor = self.query_one(ChineseEditor)
        editor.load_text(p.chinese if p else "")
        self.suggestions = []
        known = None
        if p is not None:
            # looked up ahead (the worker looks up the neighbours too): shown in this frame
            known = self.session.known_suggestions(self.rel, p)
            self.suggestions = known or []
            self.aux["tm"] = panes.memory(known)
        self.show_details()
        self.show_title()
        if p is not None:
            self.find_suggestions(i, p, known is None)

    def show_details(self) -> None:
        p = self.pair
        if p is None:
            return
        terms = self.session.terms
        width = max(10, self.query_one("#english-head", LineBar).size.width - 2)
        self.query_one("#english-head", LineBar).update(fit(panes.english_head(p), width))
        self.query_one("#english", TextPane).show(panes.english(p, terms.spans(p.english)))
        self.query_one("#chinese-head", LineBar).update(fit(panes.chinese_head(p), width))
        self.aux["terms"] = panes.glossary(terms.applying(p.english), terms.note)
        self.aux["qa"] = panes.findings(self.session.findings, self.rel, p)
        self.show_aux()

    def show_aux(self) -> None:
        """The lower pane: memory, glossary, QA."""
        parts = []
        for key in ("tm", "terms", "qa"):
            part = self.aux[key].copy()
            part.rstrip()
            parts.append(part)
        self.query_one("#aux", TextPane).show(Text("\n\n").join(parts))

    @work(thread=True, exclusive=True, group="tm")
    def find_suggestions(self, i: int, pair: Pair, show: bool = True) -> None:
        """Translation memory in a thread: rapidfuzz over every pair of the book; then the same
        for the pairs before and after, so that moving to one shows its suggestions at once."""
        session, rel = self.session, self.rel
        session.ready.wait()
        worker = get_current_worker()
        if show:
            found = session.suggestions(rel, pair)
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self.show_suggestions, i, found)
        pairs = session.pairs(rel)
        for j in (i + 1, i - 1):
            if worker.is_cancelled:
                return
            if 0 <= j < len(pairs):
                session.suggestions(rel, pairs[j])

    def show_suggestions(self, i: int, found: list[Suggestion]) -> None:
        if i != self.current:
            return
        self.suggestions = found
        self.aux["tm"] = panes.memory(found)
        self.show_aux()

    def show_title(self) -> None:
        row = self.session.rows[self.rel]
        where = f"  pair {self.current + 1}/{row.pairs}" if self.current >= 0 else ""
        saved = f"  saved {self.saved_at}" if self.saved_at else ""
        if self.left is None:
            self.left = sum(1 for p in self.pairs if self.wanted(p))
        left = self.left
        counts = Text.assemble((f"{row.translated} done", "green"), ", ", (f"{row.stale} stale", "yellow"), ", ",
                               (f"{row.untranslated} todo", "red"), where, f"  spc: {self.walk.short} ({left})",
                               (saved, "dim"))
        # the path gives way first: its end (the file name) stays
        room = max(12, self.size.width - 2 - counts.cell_len - 2)
        width = max(20, self.size.width - 2)
        self.query_one("#title", LineBar).update(fit(Text.assemble(
            (path_cell(self.rel, room), "bold"), "  ", counts, no_wrap=True), width), layout=False)

    @work(thread=True, group="unmatched")
    def check_unmatched(self) -> None:
        """Say when the English has units no pair covers; the first save is prepared meanwhile (in a thread)."""
        try:
            n = self.session.prepare(self.rel)
        except WorkbenchError:
            return
        if n:
            self.app.call_from_thread(
                self.notify,
                f"{n} English unit{'s' if n > 1 else ''} of en/{self.rel} {'have' if n > 1 else 'has'} no pair yet "
                "(the English changed): ctrl+r syncs the book",
                severity="warning", timeout=8)

    # -- committing and saving -------------------------------------------------------------

    def commit(self) -> bool:
        """Put the editor's text into the current pair and, when it changed, save the file."""
        p = self.pair
        if p is None:
            return False
        if self.session.set_chinese(self.rel, p, self.query_one(ChineseEditor).text):
            self.update_row(self.current)
            self.save()
            return True
        return False

    def unsaved(self) -> list[str]:
        """What quitting would lose here: the editor's text when it is not in the pair yet."""
        p = self.pair
        if p is not None and self.is_mounted and self.query_one(ChineseEditor).text.strip() != p.chinese:
            return [f"the pair being edited in en/{self.rel}"]
        return []

    def save(self) -> bool:
        """Write the file (PO and zh/*.md) if anything changed; tell the user when it cannot be."""
        if self.rel not in self.session.dirty:
            return True
        try:
            rendered = self.session.save(self.rel)
        except WorkbenchError as e:
            self.notify(str(e), severity="error", timeout=10)
            return False
        self.saved_at = time.strftime("%H:%M:%S")
        for t in rendered.taken_back:
            self.notify(f"{rendered.path}:{t.line}: a hand edit was taken back into the PO", timeout=6)
        for c in rendered.conflicts:
            self.notify(f"{rendered.path}:{c.line}: conflict: edited here and by hand in zh/*.md; both texts "
                        "kept (the hand text as a CONFLICT note, marked stale): choose one", severity="warning",
                        timeout=12)
        if rendered.conflicts:
            self.refresh_findings()  # the rows show the conflict mark (C!)
        self.show_title()
        self.post_message(FileSaved(self.rel))
        return True

    def leave(self) -> bool:
        """Commit and save before the screen goes away; False when saving failed."""
        self.commit()
        return self.save()

    # -- actions (keys in keymap.py) -------------------------------------------------------

    def action_move(self, delta: int) -> None:
        if self.pairs:
            self.here()
            self.go(max(0, min(len(self.pairs) - 1, self.current + delta)))

    def action_first(self) -> None:
        if self.pairs:
            self.go(0)

    def action_last(self) -> None:
        if self.pairs:
            self.go(len(self.pairs) - 1)

    def action_next_status(self, which: str, direction: int) -> None:
        state = {"untranslated": State.UNTRANSLATED, "stale": State.STALE}[which]
        self.walk_to(lambda p: p.state is state, direction, f"no {which} pair in this file")

    def action_next_of_filter(self) -> None:
        self.walk_to(self.wanted, 1, f"no pair in this file: {self.walk.name}")

    def walk_to(self, want: Callable[[Pair], bool], direction: int, none: str) -> None:
        """To the next pair (or previous, direction -1) that `want` keeps, wrapping around the file."""
        self.here()
        pairs = self.pairs
        n = len(pairs)
        for step in range(1, n + 1):
            i = (self.current + direction * step) % n
            if want(pairs[i]):
                if (direction > 0 and i <= self.current) or (direction < 0 and i >= self.current):
                    self.notify("wrapped around the file", timeout=2)
                self.go(i)
                return
        self.notify(none, timeout=3)

    def action_edit(self) -> None:
        self.here()
        editor = self.query_one(ChineseEditor)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_leave_editor(self) -> None:
        self.commit()
        self.query_one(PairTable).focus()

    def action_done_next(self) -> None:
        """Commit the translation as done (a stale pair is accepted) and go to the next pair."""
        p = self.pair
        if p is None:
            return
        session = self.session
        changed = session.set_chinese(self.rel, p, self.query_one(ChineseEditor).text)
        accepted = session.accept(self.rel, p)
        if changed or accepted:
            self.update_row(self.current)
            self.save()
        if self.current + 1 < len(self.pairs):
            self.go(self.current + 1)
        else:
            self.show_pair(self.current)
            self.notify("last pair of the file", timeout=2)

    def action_accept(self) -> None:
        p = self.here()
        if p is None:
            return
        self.commit()
        if not self.session.accept(self.rel, p):
            self.notify("only a stale pair with a translation can be accepted", timeout=3)
            return
        self.update_row(self.current)
        self.save()
        self.show_details()

    def action_toggle_stale(self) -> None:
        p = self.here()
        if p is None:
            return
        self.commit()
        try:
            self.session.toggle_stale(self.rel, p)
        except WorkbenchError as e:
            self.notify(e.message, severity="warning", timeout=4)
            return
        self.update_row(self.current)
        self.save()
        self.show_details()

    def action_toggle_reviewed(self) -> None:
        p = self.here()
        if p is None:
            return
        self.commit()
        try:
            reviewed = self.session.toggle_reviewed(self.rel, p)
        except WorkbenchError as e:
            self.notify(e.message, severity="warning", timeout=4)
            return
        self.notify("reviewed" if reviewed else "no longer reviewed", timeout=2)
        self.update_row(self.current)
        self.save()
        self.show_details()

    def action_copy_english(self) -> None:
        p = self.here()
        if p is None:
            return
        editor = self.query_one(ChineseEditor)
        # replace (undoable with ctrl+z), as po-mode and Poedit do
        editor.replace(p.english, (0, 0), editor.document.end)
        editor.focus()

    def action_suggestion(self, n: int) -> None:
        self.here()
        if n > len(self.suggestions):
            self.notify(f"no suggestion {n} for this pair", timeout=2)
            return
        text = self.suggestions[n - 1].chinese
        editor = self.query_one(ChineseEditor)
        if not editor.text.strip() or editor.selected_text == editor.text:
            editor.replace(text, (0, 0), editor.document.end)
        else:
            # OmegaT's insert: at the cursor, over the selection
            editor.replace(text, *editor.selection)
        editor.focus()

    def action_save(self) -> None:
        self.commit()
        if self.rel in self.session.dirty:
            self.save()
        else:
            self.notify("nothing to save", timeout=2)

    def action_reload(self) -> None:
        self.session.reload(self.rel)
        self.current = -1
        self.left = None
        self.build_table()
        self.notify(f"read zh/{self.rel.removesuffix('.md')}.po again", timeout=3)

    def action_add_term(self) -> None:
        p = self.here()
        if p is None:
            return
        self.commit()
        editor = self.query_one(ChineseEditor)
        ask_new_term(self, self.session.terms, english="", chinese=editor.selected_text.strip(),
                     example=f"en/{self.rel}:{p.line}", context=p.english)

    def action_back(self) -> None:
        if self.leave():
            self.app.pop_screen()
