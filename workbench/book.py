"""A book on disk: en/ (English, read only), zh/*.po (the pairs), zh/*.md (rendered), glossary/.

The one place that knows the layout and writes the book's files; every write is atomic and
done under the book's lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import files, store
from .markdown import segment
from .model import Document, WorkbenchError
from .render import TakenBack, edited_by_hand, fingerprint, render, take_back
from .store import Catalog

#: The book that ships with the workbench (the d2l preface), used when no book is named.
BUILTIN = Path(__file__).resolve().parent.parent
#: The workbench's own files in a book (caches, journals; ignored by git).
STATE = ".workbench"
# write_atomic's temporary files (`.NAME.po.XXXX.tmp`), left behind when a writer was killed
_TEMP = re.compile(r"^\..+\.(po|md)\.[^.]+\.tmp$")


@dataclass(slots=True)
class Rendered:
    """What rendering one file did."""

    path: str
    """zh/PATH.md, relative to the book."""
    changed: bool
    """True when zh/PATH.md was (or, on a dry run, would be) written."""
    taken_back: list[TakenBack] = field(default_factory=list)
    """Hand edits of zh/PATH.md that went into the PO."""


class Book:
    """A book directory."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self._docs: dict[str, tuple[str, Document]] = {}

    @classmethod
    def open(cls, root: Path | str | None = None) -> Book:
        """The book at `root` (default: the current folder, else the built-in book)."""
        if root is None:
            here = Path.cwd()
            root = here if (here / "en").is_dir() else BUILTIN
        book = cls(root)
        if not (book.root / "en").is_dir():
            raise WorkbenchError("not a book: no en/ folder here; run in a book or name one", str(book.root))
        return book

    # -- paths -----------------------------------------------------------------------------

    def english_files(self) -> list[str]:
        """Paths of the English files relative to en/, in path order."""
        en = self.root / "en"
        return sorted(p.relative_to(en).as_posix() for p in en.rglob("*.md") if p.is_file())

    def en_path(self, rel: str) -> Path:
        return self.root / "en" / rel

    def po_path(self, rel: str) -> Path:
        return self.root / "zh" / (rel.removesuffix(".md") + ".po")

    def zh_path(self, rel: str) -> Path:
        return self.root / "zh" / rel

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the book."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def rel(self, name: str | Path) -> str:
        """An English file named any way a user would (en/x.md, x.md, zh/x.po, a full path) -> x.md."""
        p = Path(name)
        if p.is_absolute():
            try:
                p = p.resolve().relative_to(self.root)
            except ValueError:
                raise WorkbenchError("not inside the book", str(name)) from None
        parts = p.as_posix().split("/")
        if parts[0] in ("en", "zh"):
            parts = parts[1:]
        rel = "/".join(parts)
        if rel.endswith(".po"):
            rel = rel[:-3] + ".md"
        if not self.en_path(rel).is_file():
            raise WorkbenchError("no such English file in the book", f"en/{rel}")
        return rel

    # -- reading ---------------------------------------------------------------------------

    def english(self, rel: str) -> str:
        """The English text of en/PATH.md."""
        return files.read_text(self.en_path(rel), f"en/{rel}")

    def document(self, rel: str) -> Document:
        """en/PATH.md segmented; cached by content hash, so unchanged files cost nothing twice."""
        text = self.english(rel)
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        cached = self._docs.get(rel)
        if cached and cached[0] == digest:
            return cached[1]
        doc = segment(text, f"en/{rel}")
        self._docs[rel] = (digest, doc)
        return doc

    def has_catalog(self, rel: str) -> bool:
        return self.po_path(rel).is_file()

    def catalog(self, rel: str) -> Catalog:
        """The pairs of en/PATH.md; a file never translated gets fresh untranslated pairs."""
        path = self.po_path(rel)
        if not path.is_file():
            return Catalog(f"en/{rel}", store.pairs_for(self.document(rel), f"en/{rel}"))
        catalog = store.parse(files.read_text(path, self.shown(path)), self.shown(path))
        catalog.source = f"en/{rel}"
        return catalog

    def chinese(self, rel: str) -> str | None:
        """zh/PATH.md as it is on disk, or None."""
        path = self.zh_path(rel)
        return files.read_text(path, self.shown(path)) if path.is_file() else None

    def po_text(self, rel: str) -> str | None:
        """zh/PATH.po as it is on disk, or None."""
        path = self.po_path(rel)
        return files.read_text(path, self.shown(path)) if path.is_file() else None

    def po_files(self) -> list[str]:
        """PATH.md of every zh/PATH.po on disk, its English there or not (in path order)."""
        zh = self.root / "zh"
        if not zh.is_dir():
            return []
        return [p.relative_to(zh).as_posix().removesuffix(".po") + ".md" for p in sorted(zh.rglob("*.po"))
                if p.is_file()]

    def state(self, name: str) -> str | None:
        """The workbench's own file .workbench/NAME, or None when it is missing or unreadable (it can be rebuilt)."""
        try:
            return (self.root / STATE / name).read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def lock(self, what: str = "workbench") -> Iterator[None]:
        """The book's write lock (waits briefly for another writer to finish)."""
        with files.book_lock(self.root, wait=2.0, what=what):
            yield

    def save(self, rel: str, catalog: Catalog, dry_run: bool = False) -> Rendered:
        """Write zh/PATH.po and re-render zh/PATH.md. Hand edits of zh/PATH.md are taken back first.

        Call under `lock()`. The PO is written before the Markdown: a crash in between leaves a
        zh/PATH.md that the next run takes back harmlessly (it matches the pairs).
        """
        doc = self.document(rel)
        zh_text = self.chinese(rel)
        taken: list[TakenBack] = []
        if edited_by_hand(zh_text, catalog) or (zh_text is not None and not catalog.rendered
                                                 and zh_text != render(doc, catalog)):
            assert zh_text is not None
            taken = take_back(zh_text, catalog, self.shown(self.zh_path(rel)))
        store.refresh_lines(doc, catalog)
        text = render(doc, catalog)
        catalog.rendered = fingerprint(text)
        po_path = self.po_path(rel)
        old_po = files.read_text(po_path) if po_path.is_file() else None
        po_text = store.dump_revised(catalog, old_po)
        changed = text != zh_text or po_text != old_po
        if not dry_run:
            if po_text != old_po:
                files.write_atomic(po_path, po_text)
            if text != zh_text:
                files.write_atomic(self.zh_path(rel), text)
        return Rendered(self.shown(self.zh_path(rel)), changed, taken)

    def write_english(self, rel: str, text: str) -> None:
        """Put a new English file into en/ (import); call under `lock()`."""
        files.write_atomic(self.en_path(rel), text)

    def write_chinese(self, rel: str, text: str) -> None:
        """Write zh/PATH.md as it is given (no take-back, no PO); call under `lock()`."""
        files.write_atomic(self.zh_path(rel), text)

    def write_po(self, rel: str, text: str) -> None:
        """Write zh/PATH.po as it is given; call under `lock()`."""
        files.write_atomic(self.po_path(rel), text)

    def remove_chinese(self, rel: str) -> None:
        """Remove zh/PATH.md, then zh/PATH.po (missing ones are fine); call under `lock()`."""
        # the PO last: while it is there, a rerun can still finish the job
        for path in (self.zh_path(rel), self.po_path(rel)):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    def remove_temporary(self) -> int:
        """Remove the temporary files in zh/ of writers that were killed; call under `lock()` (so none is writing)."""
        n = 0
        zh = self.root / "zh"
        if zh.is_dir():
            for path in zh.rglob(".*.tmp"):
                if _TEMP.match(path.name):
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                        n += 1
        return n

    def write_state(self, name: str, text: str) -> None:
        """Write the workbench's own file .workbench/NAME atomically; call under `lock()`."""
        files.write_atomic(self.root / STATE / name, text)
