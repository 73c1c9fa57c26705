"""Small screens over the others: help with every key, quit with unsaved edits, a sync under way,
a glossary term form."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, ProgressBar, Static

from ..model import WorkbenchError
from ..session import Terms
from .keymap import KEYMAP, SCOPES, shown_keys
from .messages import GlossaryEdited
from .widgets import KeyBar


def help_text() -> Group:
    """Every key of every scope, from the keymap: each key once, what it does, and the po-mode,
    Poedit or OmegaT key it follows. Long lines wrap in their column."""
    parts: list[Table | Text] = []
    for scope, keys in KEYMAP.items():
        parts.append(Text(SCOPES[scope], style="bold"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="cyan", no_wrap=True, min_width=10)
        grid.add_column(ratio=1)
        for k in keys:
            if k.listed:
                meaning = Text(k.family[1] if k.family else k.description)
                if k.habit:
                    meaning.append(f"  (as {k.habit})", style="dim")
                grid.add_row(" " + shown_keys(k), meaning)
        parts.extend([grid, Text("")])
    parts.append(Text("Also: ctrl+p opens the command palette (every action by name); arrows, pgup/pgdn move in lists.",
                      style="dim"))
    parts.append(Text("The editor keeps its own keys: ctrl+z undo, ctrl+y redo, ctrl+x/c/v cut/copy/paste, ctrl+a/e "
                      "line start/end, ctrl+k/u delete to line end/start, ctrl+w delete word, f7 select all.", style="dim"))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """All keys, grouped by where they work."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", key_display="esc")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="help"):
            yield Static(Text("Keys", style="bold"), classes="head")
            with VerticalScroll():
                yield Static(help_text(), id="help-text")
        yield KeyBar()


class SyncScreen(ModalScreen[None]):
    """Shown while a sync runs (keys wait: the book is being rewritten)."""

    def __init__(self, files: int) -> None:
        super().__init__()
        self.files = files

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm"):
            yield Static(Text.assemble(("Sync\n\n", "bold"), f"Matching the English of {self.files} files to their "
                                       "pairs, then writing zh/*.po and zh/*.md (what `workbench sync` does)..."))
            yield ProgressBar(total=None, show_eta=False, id="sync-progress")


class ConfirmQuit(ModalScreen[str]):
    """Asked when quitting with an edit not written: save, discard, or stay."""

    BINDINGS = [
        Binding("y,s", "dismiss('save')", "Save and quit"),
        Binding("n,d", "dismiss('discard')", "Quit without saving"),
        Binding("escape,c", "dismiss('cancel')", "Stay", key_display="esc"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm"):
            yield Static(Text.assemble(("Unsaved edits\n\n", "bold"), self.what, "\n\nSave them before quitting?\n\n",
                                       ("y", "bold cyan"), " save and quit   ", ("n", "bold cyan"), " quit without saving   ",
                                       ("esc", "bold cyan"), " stay"))
        yield KeyBar()


@dataclass(slots=True)
class TermForm:
    """What the term form returns."""

    english: str
    chinese: str
    note: str


class TermDialog(ModalScreen[TermForm | None]):
    """Add or edit a glossary term: English, Chinese, note; Enter in the last field saves."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", key_display="esc"),
        Binding("ctrl+s", "submit", "Save", key_display="^s"),
    ]

    def __init__(self, title: str, english: str = "", chinese: str = "", note: str = "", context: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.values = (english, chinese, note)
        self.context = context

    def compose(self) -> ComposeResult:
        english, chinese, note = self.values
        with Vertical(id="dialog", classes="term"):
            yield Static(Text(self.title_text, style="bold"), classes="head")
            if self.context:
                yield Static(Text(self.context, style="dim"), id="term-context")
            yield Static("English term")
            yield Input(english, id="term-english", placeholder="e.g. hidden layer")
            yield Static("Chinese")
            yield Input(chinese, id="term-chinese", placeholder="e.g. 隐藏层")
            yield Static("Note")
            yield Input(note, id="term-note", placeholder="where it comes from, why")
            yield Static(Text("enter: next field, then save   esc: cancel", style="dim"))
        yield KeyBar()

    def on_mount(self) -> None:
        first_empty = next((i for i in ("#term-english", "#term-chinese") if not self.query_one(i, Input).value), "#term-english")
        self.query_one(first_empty, Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "term-note":
            self.action_submit()
        else:
            self.focus_next()

    def action_submit(self) -> None:
        get = lambda i: self.query_one(i, Input).value.strip()  # noqa: E731
        english, chinese = get("#term-english"), get("#term-chinese")
        if not english or not chinese:
            self.notify("a term needs both its English and its Chinese", severity="warning")
            return
        self.dismiss(TermForm(english, chinese, get("#term-note")))


def ask_new_term(screen: Screen, terms: Terms, english: str = "", chinese: str = "", example: str = "",
                 context: str = "") -> None:
    """Ask for a new glossary term (proposed) over `screen`, write it, and tell the app (GlossaryEdited)."""
    if not terms.available and terms.note:
        screen.notify(terms.note, severity="warning")
        return

    def done(form: TermForm | None) -> None:
        if form is None:
            return
        note = form.note or (f"from {example}" if example else "")
        try:
            said = terms.add(form.english, form.chinese, note)
        except WorkbenchError as e:
            screen.notify(str(e), severity="error", timeout=8)
            return
        screen.notify({"added": f"added {form.english} = {form.chinese} (proposed)",
                       "kept": "the glossary already has this term",
                       "conflict": "added as proposed: it conflicts with an approved term"}.get(said, said), timeout=4)
        screen.post_message(GlossaryEdited())

    screen.app.push_screen(TermDialog("Add a glossary term (proposed)", english, chinese, "", context[:400]), done)
