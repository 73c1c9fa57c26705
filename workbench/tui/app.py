"""The Textual app: opens a book on the book screen, reads the pairs, memory and QA in workers."""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import partial

from textual import work
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widgets import Input, TextArea

from ..book import Book
from ..model import WorkbenchError
from .book_screen import BookScreen
from .desk import Desk
from .dialogs import ConfirmQuit, HelpScreen, TermDialog, TermForm
from .file_screen import FileScreen
from .glossary_screen import GlossaryScreen
from .keymap import KEYMAP, bindings, shown_keys
from .search_screen import SearchScreen
from .services import Checks, Terms


class BlankScrollBarRender(ScrollBarRender):
    """A scrollbar thumb of plain coloured cells: the eighth-block glyphs Textual uses for a
    smooth thumb have an ambiguous width in CJK terminals and push the line out of place."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


class WorkbenchApp(App[int]):
    """workbench's terminal UI over one book."""

    CSS_PATH = "workbench.tcss"
    TITLE = "workbench"
    BINDINGS = bindings("app")

    def __init__(self, book: Book, run_checks: bool = True) -> None:
        super().__init__()
        ScrollBar.renderer = BlankScrollBarRender
        self.started = time.perf_counter()
        self.book = book
        self.desk = Desk(book)
        self.terms = Terms(book)
        self.checks = Checks(book)
        self.run_checks = run_checks
        self.file_screen: FileScreen | None = None
        self.timings: dict[str, float] = {}
        """Seconds from start: ready (book screen up), counted (every file's counts shown),
        loaded (every pair read: search and memory work), checked (QA findings shown)."""

    def on_mount(self) -> None:
        self.push_screen(BookScreen())
        self.load_book()

    def on_ready(self) -> None:
        # the first frame is on the terminal
        self.timings["ready"] = time.perf_counter() - self.started

    # -- workers ---------------------------------------------------------------------------

    @work(thread=True, group="load", exit_on_error=False)
    def load_book(self) -> None:
        """Count every file (a quick scan), read every file's pairs (memory, search), then run QA."""
        self.desk.count_all()
        self.call_from_thread(self._rows_changed, list(self.desk.files))
        self.timings["counted"] = time.perf_counter() - self.started
        try:
            # files without a PO are counted only now (their pairs come from segmenting the English)
            self.desk.load_all()
        finally:
            self.desk.ready.set()
        self.call_from_thread(self._rows_changed, list(self.desk.files))
        self.timings["loaded"] = time.perf_counter() - self.started
        self.desk.memory()  # build it now, not on the first pair shown
        if self.run_checks and self.checks.available:
            try:
                counts = self.checks.run_book(self.desk.files)
            except WorkbenchError as e:
                self.checks.note = f"QA checks stopped: {e}"
                counts = {}
            for rel, n in counts.items():
                if rel in self.desk.rows:
                    self.desk.rows[rel].findings = n
            self.timings["checked"] = time.perf_counter() - self.started
            self.call_from_thread(self._checks_done)
        elif self.checks.available:
            self.checks.note = "QA checks are off in this session"

    def _rows_changed(self, rels: list[str]) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, BookScreen):
                screen.update_rows(rels)

    def _checks_done(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, BookScreen):
                screen.update_rows(list(self.desk.rows))
            elif isinstance(screen, FileScreen):
                screen.refresh_findings()

    @work(thread=True, group="recheck")
    def recheck(self, rel: str) -> None:
        """Run the QA checks on one file again after a save."""
        if not (self.run_checks and self.checks.ran):
            return
        try:
            n = self.checks.run_file(rel)
        except WorkbenchError:
            return
        self.desk.rows[rel].findings = n
        self.call_from_thread(self._rechecked, rel)

    def _rechecked(self, rel: str) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, FileScreen) and screen.rel == rel:
                screen.refresh_findings()

    # -- what screens ask for --------------------------------------------------------------

    def file_changed(self, rel: str) -> None:
        """A file was saved: check it again."""
        self.recheck(rel)

    def glossary_changed(self) -> None:
        """The glossary was written: term highlights and QA follow it."""
        for screen in self.screen_stack:
            if isinstance(screen, FileScreen):
                screen.show_details()

    def open_file(self, rel: str, index: int | None = None) -> None:
        """Show a file (at a pair), from the book screen or from search."""
        # leave whatever is above the book screen, saving the pair being edited
        while len(self.screen_stack) > 1 and not isinstance(self.screen, BookScreen):
            if isinstance(self.screen, FileScreen) and not self.screen.leave():
                return
            self.pop_screen()
        try:
            self.desk.catalog(rel)
        except WorkbenchError as e:
            self.notify(str(e), severity="error", timeout=10)
            return
        if self.file_screen is None:
            # installed, so leaving it keeps it: the next file reuses its widgets
            self.file_screen = FileScreen(rel, index)
            self.install_screen(self.file_screen, name="file")
        else:
            self.file_screen.load(rel, index)
        self.push_screen(self.file_screen)

    def new_term(self, english: str = "", chinese: str = "", example: str = "", context: str = "") -> None:
        """Ask for a new glossary term (proposed) and write it."""
        if not self.terms.available and self.terms.note:
            self.notify(self.terms.note, severity="warning")
            return

        def done(form: TermForm | None) -> None:
            if form is None:
                return
            note = form.note or (f"from {example}" if example else "")
            try:
                said = self.terms.add(form.english, form.chinese, note)
            except WorkbenchError as e:
                self.notify(str(e), severity="error", timeout=8)
                return
            self.notify({"added": f"added {form.english} = {form.chinese} (proposed)",
                         "kept": "the glossary already has this term",
                         "conflict": "added as proposed: it conflicts with an approved term"}.get(said, said), timeout=4)
            self.glossary_changed()
            for screen in self.screen_stack:
                if isinstance(screen, GlossaryScreen):
                    screen.refill(keep=self.terms.find(form.english, form.chinese))

        title = "Add a glossary term (proposed)"
        self.push_screen(TermDialog(title, english, chinese, "", context[:400]), done)

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `/` is a priority key: while an editor or a field has focus it is text, not search
        if action == "search" and isinstance(self.focused, (Input, TextArea)):
            return False
        return True

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        if isinstance(self.screen, SearchScreen):
            self.screen.query_one(Input).focus()
            return
        if isinstance(self.screen, FileScreen):
            self.screen.commit()
        self.push_screen(SearchScreen())

    def action_glossary(self) -> None:
        if isinstance(self.screen, FileScreen):
            self.screen.commit()
        if not isinstance(self.screen, GlossaryScreen):
            self.push_screen(GlossaryScreen())

    def unsaved(self) -> list[str]:
        """What quitting now would lose: files whose edits are not written."""
        out = []
        for screen in self.screen_stack:
            if isinstance(screen, FileScreen) and screen.unsaved():
                out.append(f"the pair being edited in en/{screen.rel}")
        out.extend(f"en/{rel}" for rel in sorted(self.desk.dirty))
        return out

    async def action_quit(self) -> None:
        lost = self.unsaved()
        if not lost:
            self.exit(0)
            return

        def answer(choice: str | None) -> None:
            if choice == "save":
                for screen in self.screen_stack:
                    if isinstance(screen, FileScreen) and not screen.leave():
                        return
                try:
                    self.desk.save_all()
                except WorkbenchError as e:
                    self.notify(str(e), severity="error", timeout=10)
                    return
                self.exit(0)
            elif choice == "discard":
                self.exit(0)

        self.push_screen(ConfirmQuit("Not written yet: " + "; ".join(lost) + "."), answer)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette: every action of the screen, by its description, plus Textual's own."""
        scopes = getattr(screen, "SCOPES", ()) + ("app",)
        seen: set[str] = set()
        for scope in scopes:
            for k in KEYMAP[scope]:
                if k.action in seen:  # the list and the editor share actions
                    continue
                seen.add(k.action)
                action = k.action
                target = self if action.startswith("app.") else screen
                action = action.removeprefix("app.")
                yield SystemCommand(k.description, f"key: {shown_keys(k)}   ({k.id})", partial(target.run_action, action))
        yield from super().get_system_commands(screen)
