"""The glossary screen: proposed terms with example pairs from the book; approve, reject, edit,
mark a forbidden variant, add a term. Every change is written to glossary/glossary.tsv at once."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from ..model import WorkbenchError
from ..session import Example, Session
from ..session.terms import Term
from .dialogs import TermDialog, TermForm, ask_new_term
from .messages import GlossaryEdited, TermsChanged
from .widgets import KeyBar, TermTable, snippet

VIEWS = ("proposed", "all", "approved", "forbidden", "rejected")
STATUS_STYLE = {"approved": "green", "proposed": "yellow", "rejected": "dim", "forbidden": "red"}


def _cut(text: str, most: int) -> str:
    """At most `most` characters, ending in "..." when cut."""
    return text if len(text) <= most else text[: most - 3] + "..."


class GlossaryScreen(Screen):
    """Review the glossary; opens on the proposed terms."""

    SCOPES = ("glossary",)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.view = 0
        self.shown: list[Term] = []
        self.widths = (24, 16, 30)

    def compose(self) -> ComposeResult:
        yield Static(id="title", classes="bar")
        with Horizontal(id="body"):
            yield TermTable(id="terms")
            with VerticalScroll(id="examples-box"):
                yield Static(id="examples")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(TermTable).focus()

    def on_resize(self) -> None:
        wide = self.size.width >= 100
        self.set_class(not wide, "narrow")
        width = self.size.width * 60 // 100 if wide else self.size.width
        en = max(12, (width - 9 - 8) * 4 // 10)
        zh = max(8, (width - 9 - 8) * 3 // 10)
        note = max(8, width - 9 - 8 - en - zh)
        self.widths = (en, zh, note)
        table = self.query_one(TermTable)
        table.clear(columns=True)
        table.add_column("English", key="en", width=en)
        table.add_column("Chinese", key="zh", width=zh)
        table.add_column("status", key="status", width=9)
        table.add_column("note", key="note", width=note)
        self.refill()

    def refill(self, keep: Term | None = None) -> None:
        """List the terms of the current view; the cursor stays on `keep` (or the same row)."""
        terms = self.session.terms
        table = self.query_one(TermTable)
        row = table.cursor_row
        view = VIEWS[self.view]
        self.shown = [t for t in terms.terms if view == "all" or t.status == view]
        table.clear()
        en, zh, note = self.widths
        for i, t in enumerate(self.shown):
            table.add_row(snippet(t.english, en), snippet(t.chinese, zh),
                          Text(t.status, style=STATUS_STYLE.get(t.status, "")), snippet(t.note, note, "dim"), key=str(i))
        if keep is not None:
            row = next((i for i, t in enumerate(self.shown) if t.key == keep.key and t.chinese == keep.chinese), row)
        if self.shown:
            table.move_cursor(row=max(0, min(row, len(self.shown) - 1)))
        counts = {s: sum(1 for t in terms.terms if t.status == s) for s in VIEWS[2:] + ("proposed",)}
        self.query_one("#title", Static).update(Text.assemble(
            ("Glossary ", "bold"), ("glossary/glossary.tsv   ", "dim"),
            f"showing {view}   ",
            (f"{counts['proposed']} proposed", "yellow"), ", ", (f"{counts['approved']} approved", "green"), ", ",
            (f"{counts['forbidden']} forbidden", "red"), ", ", f"{counts['rejected']} rejected"))
        if terms.note:
            self.query_one("#examples", Static).update(Text(terms.note, style="dim"))
        elif not self.shown:
            self.query_one("#examples", Static).update(Text(f"no {view} terms: v shows another list", style="dim"))

    @property
    def term(self) -> Term | None:
        table = self.query_one(TermTable)
        return self.shown[table.cursor_row] if self.shown and 0 <= table.cursor_row < len(self.shown) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        term = self.term
        if term is not None:
            self.query_one("#examples", Static).update(self.describe(term, None))
            self.find_examples(term)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_term()

    def describe(self, term: Term, examples: list[Example] | None) -> Text:
        out = Text.assemble((term.english, "bold"), " = ", (term.chinese, "bold"), "  ",
                            (term.status, STATUS_STYLE.get(term.status, "")), "\n")
        if term.note:
            out.append(term.note + "\n", style="dim")
        others = [t for t in self.session.terms.terms if t.key == term.key and t is not term]
        for t in others:
            out.append(f"  also {t.status}: ", style="dim")
            out.append(t.chinese + "\n", style=STATUS_STYLE.get(t.status, ""))
        out.append("\nIn the book\n", style="bold")
        if examples is None:
            out.append("looking...", style="dim")
        elif not examples:
            out.append("no pair of this book uses the term", style="dim")
        for e in examples or []:
            out.append(f"en/{e.rel}:{e.pair.line}\n", style="dim")
            # a long example is cut, and says so
            out.append(_cut(e.pair.english, 300) + "\n")
            out.append((_cut(e.pair.chinese, 200) or "(untranslated)") + "\n\n", style="cyan" if e.pair.chinese else "dim")
        return out

    @work(thread=True, exclusive=True, group="examples")
    def find_examples(self, term: Term) -> None:
        """Example pairs in a thread: every pair of the book is looked at."""
        session = self.session
        session.ready.wait()
        found = session.terms.examples(term, lambda: [(rel, session.pairs(rel)) for rel in session.files
                                                      if session.loaded(rel)])
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._examples, term, found)

    def _examples(self, term: Term, found: list[Example]) -> None:
        if self.term is term:
            self.query_one("#examples", Static).update(self.describe(term, found))

    # -- actions ---------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        table = self.query_one(TermTable)
        if self.shown:
            table.move_cursor(row=max(0, min(len(self.shown) - 1, table.cursor_row + delta)))

    def action_cycle_view(self) -> None:
        self.view = (self.view + 1) % len(VIEWS)
        self.refill()

    def action_set_status(self, status: str) -> None:
        term = self.term
        if term is None:
            return
        try:
            self.session.terms.set_status(term, status)
        except WorkbenchError as e:
            self.notify(str(e), severity="error", timeout=8)
            return
        self.notify(f"{term.english} = {term.chinese}: {status}", timeout=3)
        self.post_message(GlossaryEdited())
        # a reviewed proposal leaves the proposed view; the cursor stays where it was
        self.refill()

    def action_edit_term(self) -> None:
        term = self.term
        if term is None:
            return

        def done(form: TermForm | None) -> None:
            if form is None:
                return
            try:
                self.session.terms.update(term, form.english, form.chinese, form.note)
            except WorkbenchError as e:
                self.notify(str(e), severity="error", timeout=8)
                return
            self.post_message(GlossaryEdited())
            self.refill(keep=self.session.terms.find(form.english, form.chinese))

        self.app.push_screen(TermDialog(f"Edit the term ({term.status})", term.english, term.chinese, term.note), done)

    def on_terms_changed(self, message: TermsChanged) -> None:
        self.refill()

    def action_new_term(self) -> None:
        ask_new_term(self, self.session.terms)

    def action_back(self) -> None:
        self.app.pop_screen()
