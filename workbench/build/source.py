"""What a build reads of a book: the layer above (workbench.book.Book) provides it, so the build,
below that layer, never imports it."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..model import Document
from ..store import Catalog


class SourceBook(Protocol):
    """The book a build cuts its notebooks from and writes _build/ into."""

    root: Path
    """The book's folder."""

    def writable(self) -> None:
        """Refuse (WorkbenchError) when the book may not be written, e.g. the built-in book."""

    def english_files(self) -> list[str]:
        """en/ paths of the English files, relative to en/."""
        ...

    def document(self, rel: str) -> Document:
        """en/PATH.md segmented."""
        ...

    def catalog(self, rel: str) -> Catalog:
        """The pairs of en/PATH.md."""
        ...
