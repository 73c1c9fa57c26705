"""What the screens and the app tell each other (Textual messages), so neither reaches into the other.

Screens post the first kind; it bubbles up to the app. The app posts the second kind to every
screen on the stack; it does not bubble (a screen that does not care lets it go).
"""

from __future__ import annotations

from textual.message import Message

from ..session import Filter

# -- from a screen to the app ---------------------------------------------------------------------


class OpenFile(Message):
    """Show a file's pairs (at a pair), from the book screen or from search."""

    def __init__(self, rel: str, index: int | None = None, walk: Filter | None = None) -> None:
        super().__init__()
        self.rel = rel
        self.index = index
        """The pair to show first (None: the first pair of `walk`)."""
        self.walk = walk
        """What `space` walks to in the file (None: the pairs to do)."""


class FileSaved(Message):
    """A file's PO and zh/*.md were written: its QA findings are out of date."""

    def __init__(self, rel: str) -> None:
        super().__init__()
        self.rel = rel


class GlossaryEdited(Message):
    """glossary.tsv was written: every screen showing terms shows them again."""


class CountsShown(Message):
    """The book screen drew the counts the app handed it: the loading worker goes on to read
    every pair (and the app notes its "counted" timing)."""


# -- from the app to the screens ------------------------------------------------------------------


class CountsChanged(Message, bubble=False):
    """New counts for some files (the loading worker, a save elsewhere, a sync)."""

    def __init__(self, rels: list[str]) -> None:
        super().__init__()
        self.rels = rels


class FindingsChanged(Message, bubble=False):
    """QA findings arrived for one file (a recheck after a save) or, with None, for every file."""

    def __init__(self, rel: str | None = None) -> None:
        super().__init__()
        self.rel = rel


class TermsChanged(Message, bubble=False):
    """The glossary was written (term highlights, the glossary pane, the glossary list follow)."""


class BookSynced(Message, bubble=False):
    """A sync rewrote the book: every file is listed and counted again."""
