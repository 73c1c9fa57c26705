"""The Textual app: opens a book on the book screen, reads the pairs, memory and QA in workers,
runs a sync; the screens tell it what they need by messages (messages.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.message import Message
from textual.screen import Screen
from textual.scrollbar import ScrollBar
from textual.worker import get_current_worker

from ..book import Book
from ..model import WorkbenchError
from ..session import Session
from .book_screen import BookScreen
from .keymap import KEYMAP, bindings, shown_keys
from .messages import BookSynced, CountsChanged, CountsShown, FileSaved, FindingsChanged, GlossaryEdited, OpenFile, TermsChanged
from .scrollbars import BlankScrollBarRender

if TYPE_CHECKING:
    from ..sync import SyncReport
    from .dialogs import SyncScreen
    from .file_screen import FileScreen

# Imported when first used, not at the start: the sync (with the aligner and the settling rules),
# the file, glossary and search screens and the dialogs are no part of the book screen's first
# frame (a twentieth of a second of imports before it).

#: Seconds the loading worker waits for the book screen to draw the first counts before it reads
#: every pair (it goes on anyway: a screen over the book screen may not draw it).
COUNTS_FIRST = 1.0


def _leave(screen: Screen) -> bool:
    """Let a screen write what it holds before it goes (a file screen saves the pair being edited);
    False when it could not."""
    leave: Callable[[], bool] | None = getattr(screen, "leave", None)
    return leave() if leave is not None else True


class WorkbenchApp(App[int]):
    """workbench's terminal UI over one book."""

    CSS_PATH = "workbench.tcss"
    TITLE = "workbench"
    BINDINGS = bindings("app")

    def __init__(self, book: Book, run_checks: bool = True) -> None:
        super().__init__()
        ScrollBar.renderer = BlankScrollBarRender
        self.started = time.perf_counter()
        self.session = Session(book)
        self.run_checks = run_checks
        self.book_screen = BookScreen(self.session)
        self.file_screen: FileScreen | None = None
        self.sync_screen: SyncScreen | None = None
        self.syncing = False
        self.last_sync: SyncReport | None = None
        """What the last sync run from the TUI did."""
        self.counts_drawn = threading.Event()
        """Set when the book screen has drawn the counts the loading worker handed it."""
        self.timings: dict[str, float] = {}
        """Seconds from start: ready (book screen up), counted (the first counts drawn on it),
        loaded (every pair read: search and memory work), checked (QA findings shown)."""

    def on_mount(self) -> None:
        # the counts remembered from the last session are in the book screen's first frame
        # (reading them takes a hundredth of a second); the loading worker counts the rest
        self.session.count_remembered()
        self.push_screen(self.book_screen)
        self.load_book()

    def on_ready(self) -> None:
        # the first frame is on the terminal
        self.timings["ready"] = time.perf_counter() - self.started

    def tell_screens(self, make: Callable[[], Message]) -> None:
        """Post a message to every screen on the stack (each screen gets its own)."""
        for screen in self.screen_stack:
            screen.post_message(make())

    # -- workers ---------------------------------------------------------------------------

    @work(thread=True, group="load", exclusive=True, exit_on_error=False)
    def load_book(self) -> None:
        """Count every file (a quick scan), read every file's pairs (memory, search), then run QA."""
        session = self.session
        self.counts_drawn.clear()
        session.count_all()
        self.call_from_thread(self.tell_screens, partial(CountsChanged, list(session.files)))
        # the counts first: reading every pair would take the interpreter from the screen drawing them
        self.counts_drawn.wait(timeout=COUNTS_FIRST)
        try:
            # files without a PO are counted only now (their pairs come from segmenting the English)
            session.load_all()
        finally:
            session.ready.set()
        self.call_from_thread(self.tell_screens, partial(CountsChanged, list(session.files)))
        self.timings["loaded"] = time.perf_counter() - self.started
        session.remember_counts()  # the next session shows these at once
        session.memory()  # build it now, not on the first pair shown
        findings = session.findings
        if self.run_checks and findings.available:
            try:
                session.check_all()
            except WorkbenchError as e:
                findings.note = f"QA checks stopped: {e}"
            if get_current_worker().is_cancelled:
                return
            self.timings["checked"] = time.perf_counter() - self.started
            self.call_from_thread(self.tell_screens, FindingsChanged)
        elif findings.available:
            findings.note = "QA checks are off in this session"

    @work(thread=True, group="recheck")
    def recheck(self, rel: str) -> None:
        """Run the QA checks on one file again after a save."""
        if not self.run_checks:
            return
        try:
            self.session.check_file(rel)
        except WorkbenchError:
            return
        self.call_from_thread(self.tell_screens, partial(FindingsChanged, rel))

    # -- what screens ask for --------------------------------------------------------------

    def on_counts_shown(self, message: CountsShown) -> None:
        self.timings.setdefault("counted", time.perf_counter() - self.started)
        self.counts_drawn.set()

    def on_file_saved(self, message: FileSaved) -> None:
        self.recheck(message.rel)

    def on_glossary_edited(self, message: GlossaryEdited) -> None:
        self.tell_screens(TermsChanged)

    def on_open_file(self, message: OpenFile) -> None:
        """Show a file (at a pair), from the book screen or from search."""
        if not self.back_to_book():
            return
        try:
            self.session.catalog(message.rel)
        except WorkbenchError as e:
            self.notify(str(e), severity="error", timeout=10)
            return
        if self.file_screen is None:
            # installed, so leaving it keeps it: the next file reuses its widgets
            from .file_screen import FileScreen

            self.file_screen = FileScreen(self.session, message.rel, message.index, message.walk)
            self.install_screen(self.file_screen, name="file")
        else:
            self.file_screen.load(message.rel, message.index, message.walk)
        self.push_screen(self.file_screen)

    def back_to_book(self) -> bool:
        """Leave every screen above the book screen (each writes what it holds); False when one could not."""
        while len(self.screen_stack) > 1 and self.screen is not self.book_screen:
            if not _leave(self.screen):
                return False
            self.pop_screen()
        return True

    # -- actions ---------------------------------------------------------------------------

    def action_help(self) -> None:
        from .dialogs import HelpScreen

        self.push_screen(HelpScreen())

    def action_search(self) -> None:
        from .search_screen import SearchScreen

        self.push_screen(SearchScreen(self.session))

    def action_glossary(self) -> None:
        from .glossary_screen import GlossaryScreen

        self.push_screen(GlossaryScreen(self.session))

    def action_sync(self) -> None:
        """Sync the book with its English (the core of `workbench sync`), then list the files again."""
        if self.syncing:
            return  # one at a time: keys wait while the book is rewritten
        if not self.back_to_book() or not self._save_all():
            return
        self.syncing = True
        from .dialogs import SyncScreen

        self.sync_screen = SyncScreen(len(self.session.files))
        self.push_screen(self.sync_screen)
        self.run_sync()

    @work(thread=True, group="sync", exclusive=True, exit_on_error=False)
    def run_sync(self) -> None:
        # the loading worker reads every file first: wait for it, then rewrite
        self.session.ready.wait()
        try:
            from ..sync import sync_book

            report = sync_book(self.session.book)
        except WorkbenchError as e:
            self.call_from_thread(self._synced, None, str(e))
            return
        self.session.reload_all()
        self.call_from_thread(self._synced, report, "")

    def _synced(self, report: SyncReport | None, error: str) -> None:
        self.syncing = False
        if self.screen is self.sync_screen:
            self.pop_screen()
        if report is None:
            self.notify(f"sync stopped, nothing written: {error}", severity="error", timeout=12)
            return
        self.last_sync = report
        t = report.totals()
        touched = report.touched()
        self.notify(f"synced: {len(touched)} of {len(report.files)} files changed; {t['stale']} stale, {t['new']} new, "
                    f"{t['obsolete']} obsolete", timeout=8)
        for fs in report.files:
            for c in fs.conflicts:
                self.notify(c.told(f"zh/{fs.rel}"), severity="warning", timeout=12)
        self.tell_screens(BookSynced)
        self.load_book()

    def _save_all(self) -> bool:
        """Save every file with edits; False (and the reason on screen) when one cannot be saved."""
        try:
            self.session.save_all()
        except WorkbenchError as e:
            self.notify(str(e), severity="error", timeout=10)
            return False
        return True

    def unsaved(self) -> list[str]:
        """What quitting now would lose: files whose edits are not written."""
        out = []
        for screen in self.screen_stack:
            holds: Callable[[], list[str]] | None = getattr(screen, "unsaved", None)
            if holds is not None:
                out.extend(holds())
        out.extend(f"en/{rel}" for rel in sorted(self.session.dirty))
        return out

    async def action_quit(self) -> None:
        if self.syncing:
            self.notify("a sync is writing the book: quit when it is done", severity="warning", timeout=4)
            return
        lost = self.unsaved()
        if not lost:
            self._quit()
            return

        def answer(choice: str | None) -> None:
            if choice == "save":
                for screen in reversed(self.screen_stack):
                    if not _leave(screen):
                        return
                if self._save_all():
                    self._quit()
            elif choice == "discard":
                self._quit()

        from .dialogs import ConfirmQuit

        self.push_screen(ConfirmQuit("Not written yet: " + "; ".join(lost) + "."), answer)

    def _quit(self) -> None:
        # the files saved in this session are counted as they are now: the next one shows them at once
        if self.session.ready.is_set():
            self.session.remember_counts()
        self.exit(0)

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
