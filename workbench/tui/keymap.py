"""Every key of the TUI as data: an id, the keys, the action, a description, where it works.

Keys follow Emacs po-mode, Poedit and OmegaT (n/p, u/U, f/F, space; copy the English, insert
suggestion N, toggle stale, done-and-next). Every action has a plain key terminals deliver;
the editor keeps TextArea's own ctrl keys (ctrl+a/e/k/u/w/z/y/x/c/v/d) untouched. The help
screen and the command palette read this table, and a user keymap can rebind any id
(App.set_keymap).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True, slots=True)
class Key:
    """One action and the keys that run it."""

    id: str
    """Stable name, for user keymaps: scope.action."""
    keys: str
    """Textual key names, comma-separated (the first is the one shown)."""
    action: str
    """The action run on the screen (`screen.` is added for widget scopes)."""
    description: str
    """What the footer, the help screen and the command palette call it."""
    show: bool = True
    """Shown in the footer (every key is in the help screen and the command palette)."""
    display: str | None = None
    """How the footer and help screen write the key, when not the key's own name."""
    footer: str | None = None
    """A shorter name for the footer, when the description is long."""
    priority: bool = False
    """Checked before the focused widget sees the key (Textual priority binding)."""
    group: str | None = None
    """Keys shown together in the footer under one name (n p Next/Prev)."""


SCOPES = {
    "app": "Everywhere",
    "book": "Book: the list of files",
    "pairs": "File: the list of pairs",
    "editor": "File: the Chinese editor",
    "glossary": "Glossary",
    "search": "Search",
}

KEYMAP: dict[str, tuple[Key, ...]] = {
    "app": (
        Key("app.help", "f1,question_mark", "app.help", "Help", display="?"),
        # a priority key: the query typed right after `/` goes to the search field, not to the
        # list it was typed over (the app refuses it while an editor or field has focus)
        Key("app.search", "slash", "app.search", "Search", display="/", priority=True),
        Key("app.quit", "ctrl+q", "app.quit", "Quit", display="^q"),
    ),
    "book": (
        Key("book.open", "enter", "open_file", "Open"),
        Key("book.next_unfinished", "space", "next_unfinished", "Next file to do", display="spc", footer="To do"),
        Key("book.needs_work", "w", "toggle_needs_work", "Needs work"),
        Key("book.sort", "s", "sort", "Sort"),
        Key("book.reverse", "S", "reverse", "Reverse sort", footer="Reverse"),
        Key("book.next", "n", "move(1)", "Next file", group="Next/Prev"),
        Key("book.previous", "p", "move(-1)", "Previous file", group="Next/Prev"),
        Key("book.glossary", "g", "app.glossary", "Glossary"),
        Key("book.quit", "q", "app.quit", "Quit", show=False),
    ),
    "pairs": (
        # footer order: the translator's loop first, then moving, then the rest
        Key("pairs.edit", "enter,e", "edit", "Edit"),
        Key("pairs.next_unfinished", "space", "next_status('unfinished', 1)", "Next to do", display="spc", footer="To do"),
        Key("pairs.accept", "a", "accept", "Accept"),
        Key("pairs.suggestion_1", "1", "suggestion(1)", "Use TM suggestion 1", display="1-5", footer="TM"),
        Key("pairs.suggestion_2", "2", "suggestion(2)", "Use TM suggestion 2", show=False),
        Key("pairs.suggestion_3", "3", "suggestion(3)", "Use TM suggestion 3", show=False),
        Key("pairs.suggestion_4", "4", "suggestion(4)", "Use TM suggestion 4", show=False),
        Key("pairs.suggestion_5", "5", "suggestion(5)", "Use TM suggestion 5", show=False),
        Key("pairs.save", "s,ctrl+s", "save", "Save"),
        Key("pairs.back", "escape,b", "back", "Files", display="esc"),
        Key("pairs.next", "n", "move(1)", "Next pair", group="Next/Prev"),
        Key("pairs.previous", "p", "move(-1)", "Previous pair", group="Next/Prev"),
        Key("pairs.next_untranslated", "u", "next_status('untranslated', 1)", "Next untranslated", group="Untransl."),
        Key("pairs.previous_untranslated", "U", "next_status('untranslated', -1)", "Previous untranslated",
            group="Untransl."),
        Key("pairs.next_stale", "f", "next_status('stale', 1)", "Next stale", group="Stale"),
        Key("pairs.previous_stale", "F", "next_status('stale', -1)", "Previous stale", group="Stale"),
        Key("pairs.toggle_stale", "t", "toggle_stale", "Toggle stale", footer="Mark stale"),
        Key("pairs.toggle_reviewed", "r", "toggle_reviewed", "Toggle reviewed", footer="Reviewed", show=False),
        Key("pairs.copy_english", "c", "copy_english", "Copy English into the editor", footer="Copy EN"),
        Key("pairs.add_term", "plus", "add_term", "Add a glossary term", display="+", footer="Term"),
        Key("pairs.glossary", "g", "app.glossary", "Glossary"),
        Key("pairs.reload", "R", "reload", "Reload from disk", footer="Reload"),
        Key("pairs.first", "home,less_than_sign", "first", "First pair", show=False, display="<"),
        Key("pairs.last", "end,greater_than_sign", "last", "Last pair", show=False, display=">"),
        Key("pairs.quit", "q", "app.quit", "Quit", show=False),
    ),
    "editor": (
        Key("editor.done_next", "ctrl+n,ctrl+enter", "done_next", "Done+next", display="^n"),
        Key("editor.leave", "escape", "leave_editor", "List", display="esc"),
        Key("editor.copy_english", "ctrl+b", "copy_english", "Copy English into the editor", display="^b", footer="Copy EN"),
        Key("editor.toggle_stale", "ctrl+t", "toggle_stale", "Toggle stale", display="^t", footer="Stale"),
        Key("editor.save", "ctrl+s", "save", "Save", display="^s"),
        Key("editor.add_term", "ctrl+g", "add_term", "Add a glossary term", display="^g", footer="Term"),
        # F2-F5 reach the app in every terminal tried; alt+digit often arrives as a character
        # (tmux gave "¡" for alt+1), so it is only a second key here. F6/F7 are TextArea's.
        Key("editor.suggestion_1", "f2,alt+1", "suggestion(1)", "Use TM suggestion 1", display="F2-5", footer="TM"),
        Key("editor.suggestion_2", "f3,alt+2", "suggestion(2)", "Use TM suggestion 2", show=False),
        Key("editor.suggestion_3", "f4,alt+3", "suggestion(3)", "Use TM suggestion 3", show=False),
        Key("editor.suggestion_4", "f5,alt+4", "suggestion(4)", "Use TM suggestion 4", show=False),
        Key("editor.suggestion_5", "alt+5", "suggestion(5)", "Use TM suggestion 5", show=False),
    ),
    "glossary": (
        Key("glossary.approve", "a", "set_status('approved')", "Approve"),
        Key("glossary.reject", "r", "set_status('rejected')", "Reject"),
        Key("glossary.forbid", "x", "set_status('forbidden')", "Forbidden"),
        Key("glossary.edit", "e,enter", "edit_term", "Edit"),
        Key("glossary.add", "plus", "new_term", "New", display="+"),
        Key("glossary.view", "v", "cycle_view", "Show"),
        Key("glossary.next", "n", "move(1)", "Next term", group="Next/Prev"),
        Key("glossary.previous", "p", "move(-1)", "Previous term", group="Next/Prev"),
        Key("glossary.back", "escape", "back", "Back", display="esc"),
    ),
    "search": (
        Key("search.open", "enter", "open_hit", "Go to pair"),
        Key("search.results", "down", "focus_results", "Results", display="down"),
        Key("search.back", "escape", "back", "Back", display="esc"),
    ),
}

# Scopes whose actions live on a widget's screen: their bindings sit on the widget (so letters
# reach the editor as text) and run the action on the screen.
_ON_SCREEN = {"pairs", "editor", "search"}


def bindings(scope: str) -> list[BindingType]:
    """The Textual bindings of one scope."""
    out: list[BindingType] = []
    for k in KEYMAP[scope]:
        action = k.action
        if scope in _ON_SCREEN and not action.startswith(("app.", "screen.")):
            action = "screen." + action
        group = Binding.Group(k.group) if k.group else None
        out.append(Binding(k.keys, action, k.footer or k.description, show=k.show, key_display=k.display, id=k.id,
                           priority=k.priority, group=group))
    return out


def shown_keys(k: Key) -> str:
    """The keys as the help screen writes them."""
    names = k.keys.split(",")
    if k.display:
        names[0] = k.display
    return " ".join(names).replace("question_mark", "?").replace("slash", "/").replace("plus", "+")
