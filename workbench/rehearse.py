"""What saving would write, worked out before anything in the book is written.

`Book.save` reads en/PATH.md from disk and writes as it goes; an import has new English that
is not on disk yet, and must not write it before it knows the save will be accepted (a hand
edit of zh/PATH.md that cannot be taken back refuses the save). So the save is rehearsed in a
scratch copy of the files it reads; what it would change comes back as a list of writes for
`Book.write_all`, which checks every target before writing any.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import files
from .book import Book, Rendered
from .model import WorkbenchError
from .store import Catalog


def rehearse_saves(book: Book, plans: Sequence[tuple[str, str, Catalog]]) -> tuple[list[tuple[Path, str]], list[Rendered]]:
    """The writes that putting each (PATH.md, English text, catalog) into the book would make.

    The English goes to en/PATH.md, the catalog is saved as `Book.save` saves it (hand edits of
    zh/PATH.md taken back, zh/PATH.po and zh/PATH.md rendered). Nothing in the book is written;
    a refused save raises WorkbenchError naming the book's file.
    Returns the writes (en, PO, Markdown of each file, in that order; unchanged files left out)
    and what each save did.
    """
    writes: list[tuple[Path, str]] = []
    results: list[Rendered] = []
    try:
        with tempfile.TemporaryDirectory(prefix="workbench-plan-") as tmp:
            scratch = Book(tmp)
            for rel, english, catalog in plans:
                pairs = [(book.en_path(rel), scratch.en_path(rel)), (book.po_path(rel), scratch.po_path(rel)),
                         (book.zh_path(rel), scratch.zh_path(rel))]
                before = {real: files.read_text(real, book.shown(real)) if real.is_file() else None
                          for real, _ in pairs}
                _put(scratch.en_path(rel), english)
                for real, copy in pairs[1:]:
                    text = before[real]
                    if text is not None:
                        _put(copy, text)
                results.append(scratch.save(rel, catalog))
                for real, copy in pairs:
                    text = files.read_text(copy) if copy.is_file() else None
                    if text is not None and text != before[real]:
                        writes.append((real, text))
    except OSError as e:
        raise WorkbenchError(f"cannot prepare the writes in a temporary folder: {e.strerror or e}",
                             str(e.filename or tempfile.gettempdir())) from None
    except WorkbenchError as e:
        if e.path and e.path.startswith(tempfile.gettempdir()):  # the scratch copy, not the book
            e.message = f"cannot prepare the writes in a temporary folder: {e.message}"
        raise
    return writes, results


def _put(path: Path, text: str) -> None:
    """A scratch file: no atomic rename, no fsync (the scratch copy is thrown away)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
