"""Every key of the TUI as data: an id, the keys, the action, a description, where it works.

Keys follow Emacs po-mode, Poedit and OmegaT (n/p, u/U, f/F, space, q; copy the English, insert
suggestion N, toggle stale, done-and-next); `q` and `esc` go back one screen, ctrl+q quits.
Every action has a plain key terminals deliver; the editor keeps TextArea's own ctrl keys
(ctrl+a/e/k/u/w/z/y/x/c/v/d) untouched. The help screen and the command palette read this
table, and a user keymap can rebind any id (App.set_keymap).
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
    """How the footer writes the key, when not the key's own name."""
    footer: str | None = None
    """A shorter name for the footer, when the description is long."""
    priority: bool = False
    """Checked before the focused widget sees the key (Textual priority binding)."""
    group: str | None = None
    """Keys shown together in the footer under one name (n p Next/Prev)."""
    habit: str = ""
    """The po-mode, Poedit or OmegaT key this one follows (the help screen says so)."""
    family: tuple[str, str] | None = None
    """For the first of a family of keys (suggestions 1-5): the keys and the meaning the help
    screen writes on one line for all of them."""
    listed: bool = True
    """False for the other members of a family: the help screen lists the family once."""


SCOPES = {
    "app": "Everywhere",
    "book": "Book: the list of files",
    "pairs": "File: the list of pairs",
    "editor": "File: the Chinese editor",
    "glossary": "Glossary",
    "search": "Search",
}


def _filter(key: str, name: str, description: str, footer: str | None = None, show: bool = False,
            habit: str = "") -> Key:
    return Key(f"book.filter_{name}", key, f"filter('{name}')", description, show=show, footer=footer, habit=habit)


KEYMAP: dict[str, tuple[Key, ...]] = {
    "app": (
        Key("app.help", "question_mark,f1", "app.help", "Help: every key", display="?", footer="Help"),
        Key("app.sync", "ctrl+r", "app.sync", "Sync with the English (what `workbench sync` does)", display="^r",
            footer="Sync"),
        Key("app.quit", "ctrl+q", "app.quit", "Quit", display="^q"),
    ),
    "book": (
        Key("book.open", "enter", "open_file", "Open the file"),
        Key("book.next_unfinished", "space", "next_unfinished", "Next file of the filter (to do)", display="spc",
            footer="Next"),
        _filter("w", "needs_work", "Filter: files with pairs to do (untranslated, conflict, pairing, stale)",
                footer="To do", show=True),
        _filter("u", "untranslated", "Filter: files with untranslated pairs", habit="po-mode u"),
        _filter("c", "conflict", "Filter: files with a conflict between the PO and zh/*.md"),
        _filter("k", "pairing", "Filter: files with pairs an import doubted (check the pairing)"),
        _filter("f", "stale", "Filter: files with stale pairs (the English changed)", habit="po-mode f"),
        _filter("m", "settled", "Filter: files with pairs sync settled (mechanical edits, to glance at)"),
        _filter("t", "translated", "Filter: files with translated pairs not reviewed"),
        _filter("e", "qa_errors", "Filter: files with QA errors", footer="QA err", show=True),
        _filter("E", "qa_warnings", "Filter: files with QA errors or warnings"),
        Key("book.all", "a", "filter('all')", "Every file (no filter)", footer="All", show=False),
        Key("book.sort", "s", "sort", "Sort by the next column (from the top)", footer="Sort"),
        Key("book.reverse", "S", "reverse", "Reverse the sort", footer="Reverse", show=False),
        Key("book.next", "n", "move(1)", "Next file", group="Next/Prev", habit="po-mode n"),
        Key("book.previous", "p", "move(-1)", "Previous file", group="Next/Prev", habit="po-mode p"),
        Key("book.first", "home,less_than_sign", "first", "First file", show=False),
        Key("book.last", "end,greater_than_sign", "last", "Last file", show=False),
        Key("book.search", "slash", "app.search", "Search every pair", display="/", footer="Search"),
        Key("book.glossary", "g", "app.glossary", "Glossary"),
        Key("book.quit", "q", "app.quit", "Quit (the book is the first screen)", show=False, habit="po-mode q"),
    ),
    "pairs": (
        # footer order: the translator's loop first, then moving, then the rest
        Key("pairs.edit", "enter,e", "edit", "Edit the Chinese", footer="Edit", habit="po-mode RET"),
        Key("pairs.next_unfinished", "space", "next_of_filter", "Next pair of the filter (to do)", display="spc",
            footer="Next", habit="po-mode SPC"),
        Key("pairs.accept", "a", "accept", "Accept a stale translation as it is", footer="Accept"),
        Key("pairs.suggestion_1", "1", "suggestion(1)", "Use TM suggestion 1", display="1-5", footer="TM",
            family=("1 2 3 4 5", "Use translation-memory suggestion 1 to 5")),
        Key("pairs.suggestion_2", "2", "suggestion(2)", "Use TM suggestion 2", show=False, listed=False),
        Key("pairs.suggestion_3", "3", "suggestion(3)", "Use TM suggestion 3", show=False, listed=False),
        Key("pairs.suggestion_4", "4", "suggestion(4)", "Use TM suggestion 4", show=False, listed=False),
        Key("pairs.suggestion_5", "5", "suggestion(5)", "Use TM suggestion 5", show=False, listed=False),
        Key("pairs.save", "s,ctrl+s", "save", "Save", habit="Poedit ctrl+s"),
        Key("pairs.back", "escape,q", "back", "Back to the files", display="esc", footer="Files", habit="po-mode q"),
        Key("pairs.next", "n", "move(1)", "Next pair", group="Next/Prev", habit="po-mode n"),
        Key("pairs.previous", "p", "move(-1)", "Previous pair", group="Next/Prev", habit="po-mode p"),
        Key("pairs.next_untranslated", "u", "next_status('untranslated', 1)", "Next untranslated", group="Untransl.",
            habit="po-mode u"),
        Key("pairs.previous_untranslated", "U", "next_status('untranslated', -1)", "Previous untranslated",
            group="Untransl.", habit="po-mode U"),
        Key("pairs.next_stale", "f", "next_status('stale', 1)", "Next stale", group="Stale", habit="po-mode f"),
        Key("pairs.previous_stale", "F", "next_status('stale', -1)", "Previous stale", group="Stale",
            habit="po-mode F"),
        Key("pairs.toggle_stale", "t", "toggle_stale", "Toggle stale", footer="Mark stale", habit="po-mode TAB"),
        Key("pairs.toggle_reviewed", "r", "toggle_reviewed", "Toggle reviewed", footer="Reviewed", show=False),
        Key("pairs.copy_english", "c", "copy_english", "Copy the English into the editor", footer="Copy EN",
            habit="Poedit ctrl+b"),
        Key("pairs.add_term", "plus", "add_term", "Add a glossary term", display="+", footer="Term"),
        Key("pairs.search", "slash", "app.search", "Search every pair", display="/", footer="Search"),
        Key("pairs.glossary", "g", "app.glossary", "Glossary"),
        Key("pairs.reload", "R", "reload", "Reload from disk", footer="Reload"),
        Key("pairs.first", "home,less_than_sign", "first", "First pair", show=False, habit="po-mode <"),
        Key("pairs.last", "end,greater_than_sign", "last", "Last pair", show=False, habit="po-mode >"),
    ),
    "editor": (
        Key("editor.done_next", "ctrl+n,ctrl+enter", "done_next", "Done, next pair", display="^n", footer="Done+next",
            habit="Poedit ctrl+enter"),
        Key("editor.leave", "escape", "leave_editor", "Back to the list", display="esc", footer="List"),
        Key("editor.copy_english", "ctrl+b", "copy_english", "Copy the English into the editor", display="^b",
            footer="Copy EN", habit="Poedit ctrl+b"),
        Key("editor.toggle_stale", "ctrl+t", "toggle_stale", "Toggle stale", display="^t", footer="Stale",
            habit="Poedit ctrl+u"),
        Key("editor.save", "ctrl+s", "save", "Save", display="^s", habit="Poedit ctrl+s"),
        Key("editor.add_term", "ctrl+g", "add_term", "Add a glossary term", display="^g", footer="Term"),
        # F2-F5 reach the app in every terminal tried; alt+digit often arrives as a character
        # (tmux gave "¡" for alt+1), so it is only a second key here. F6/F7 are TextArea's.
        Key("editor.suggestion_1", "f2,alt+1", "suggestion(1)", "Use TM suggestion 1", display="F2-5", footer="TM",
            family=("F2 F3 F4 F5, alt+1 to alt+5", "Use translation-memory suggestion 1 to 5"),
            habit="OmegaT ctrl+1-5"),
        Key("editor.suggestion_2", "f3,alt+2", "suggestion(2)", "Use TM suggestion 2", show=False, listed=False),
        Key("editor.suggestion_3", "f4,alt+3", "suggestion(3)", "Use TM suggestion 3", show=False, listed=False),
        Key("editor.suggestion_4", "f5,alt+4", "suggestion(4)", "Use TM suggestion 4", show=False, listed=False),
        Key("editor.suggestion_5", "alt+5", "suggestion(5)", "Use TM suggestion 5", show=False, listed=False),
    ),
    "glossary": (
        Key("glossary.approve", "a", "set_status('approved')", "Approve"),
        Key("glossary.reject", "r", "set_status('rejected')", "Reject"),
        Key("glossary.forbid", "x", "set_status('forbidden')", "Mark as a forbidden variant", footer="Forbidden"),
        Key("glossary.edit", "e,enter", "edit_term", "Edit the term", footer="Edit"),
        Key("glossary.add", "plus", "new_term", "New term", display="+", footer="New"),
        Key("glossary.view", "v", "cycle_view", "Show the next list (proposed, all, ...)", footer="Show"),
        Key("glossary.next", "n", "move(1)", "Next term", group="Next/Prev"),
        Key("glossary.previous", "p", "move(-1)", "Previous term", group="Next/Prev"),
        Key("glossary.search", "slash", "app.search", "Search every pair", display="/", footer="Search"),
        Key("glossary.back", "escape,q", "back", "Back", display="esc"),
    ),
    "search": (
        Key("search.open", "enter", "open_hit", "Go to the pair (the only hit at once)", footer="Go to pair"),
        Key("search.results", "down", "focus_results", "To the results", display="down", footer="Results"),
        Key("search.back", "escape", "back", "Back", display="esc"),
    ),
}

# Scopes whose actions live on a widget's screen: their bindings sit on the widget (so letters
# reach the editor as text) and run the action on the screen.
_ON_SCREEN = {"book", "pairs", "editor", "glossary", "search"}


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


_NAMES = {"question_mark": "?", "slash": "/", "plus": "+", "less_than_sign": "<", "greater_than_sign": ">",
          "escape": "esc"}


def shown_keys(k: Key) -> str:
    """The keys as the help screen writes them: each once, by the name on the keyboard."""
    if k.family:
        return k.family[0]
    return " ".join(_NAMES.get(name, name) for name in k.keys.split(","))
