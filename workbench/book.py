"""A book on disk: en/ (English, read only), zh/*.po (the pairs), zh/*.md (rendered), glossary/.

The one place that knows the layout and writes the book's files; every write is atomic and
done under the book's lock.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import files, store
from .markdown import segment
from .merge import Base, Conflict, TakenBack, merge, po_changed, render_base
from .model import Document, WorkbenchError
from .store import Catalog
from .structure import refuse_broken

#: The book that ships with the workbench (the d2l preface), used when no book is named.
BUILTIN = Path(__file__).resolve().parent.parent
#: The workbench's own files in a book (caches, journals; ignored by git).
STATE = ".workbench"
#: Where the merge base of zh/PATH.md is kept: .workbench/base/PATH.md.json (see merge.py).
BASE = "base"
# write_atomic's temporary files (`.NAME.po.XXXX.tmp`), left behind when a writer was killed
_TEMP = re.compile(r"^\..+\.(po|md|md\.json)\.[^.]+\.tmp$")


@dataclass(slots=True)
class FilePlan:
    """Everything one file's save will write, computed and validated before any write.

    `Book.plan_save` makes it (reading only), `Book.apply` writes a list of them. A command
    that saves several files plans them all first, so bad input anywhere stops it with exit 2
    and every file as it was.
    """

    rel: str
    """PATH.md relative to en/."""
    path: str
    """zh/PATH.md, relative to the book (for messages)."""
    writes: list[tuple[Path, str]] = field(default_factory=list)
    """(file, new text) in the order they are written: zh/PATH.po, zh/PATH.md, then the merge base."""
    changed: bool = False
    """True when zh/PATH.po or zh/PATH.md is (or, on a dry run, would be) written."""
    taken_back: list[TakenBack] = field(default_factory=list)
    """Hand edits of zh/PATH.md that go into the PO."""
    conflicts: list[Conflict] = field(default_factory=list)
    """Pairs edited both in the PO and in zh/PATH.md: both texts kept, entry fuzzy (exit 1)."""


#: What saving one file did (the name the callers of `save` know).
Rendered = FilePlan


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

    def base(self, rel: str) -> Base | None:
        """The merge base of zh/PATH.md: what was rendered last (None: none, or unreadable)."""
        return Base.load(self.state(self._base_name(rel)))

    def _base_name(self, rel: str) -> str:
        return f"{BASE}/{rel}.json"

    def plan_save(self, rel: str, catalog: Catalog) -> FilePlan:
        """Plan writing zh/PATH.po and re-rendering zh/PATH.md; reads only.

        Hand edits of zh/PATH.md are merged into the catalog first (merge.py: taken back, or
        a conflict noted on the entry); every translation is checked not to break the
        structure. Raises WorkbenchError (file:line) when anything is refused.
        """
        kept = copy.deepcopy(catalog.pairs)
        try:
            return self._plan_save(rel, catalog)
        except WorkbenchError:
            # refused: the caller's pairs (the TUI's, on screen) are left as they were, in place
            for pair, old in zip(catalog.pairs, kept, strict=False):
                for name in pair.__slots__:
                    setattr(pair, name, getattr(old, name))
            raise

    def _plan_save(self, rel: str, catalog: Catalog) -> FilePlan:
        doc = self.document(rel)
        zh_text = self.chinese(rel)
        zh_shown = self.shown(self.zh_path(rel))
        plan = FilePlan(rel, zh_shown)
        if zh_text is not None:
            merged = merge(zh_text, zh_shown, doc, catalog, self.base(rel))
            plan.taken_back, plan.conflicts = merged.taken_back, merged.conflicts
        store.refresh_lines(doc, catalog)
        catalog.rendered = ""  # the legacy header is not written again: the base replaces it
        po_path = self.po_path(rel)
        old_po = files.read_text(po_path, self.shown(po_path)) if po_path.is_file() else None
        po_text = store.dump(catalog)
        # the line named is the entry's in the PO as the user sees it (on disk), else as planned
        refuse_broken(catalog.active, self.shown(po_path), old_po, po_text)
        base = render_base(doc, catalog)
        if po_changed(po_text, old_po):
            catalog.revised = time.strftime("%Y-%m-%d %H:%M%z")
            po_text = store.dump(catalog)
            plan.writes.append((po_path, po_text))
        if base.text != zh_text:
            plan.writes.append((self.zh_path(rel), base.text))
        plan.changed = bool(plan.writes)
        base_text = base.dump()
        if base_text != self.state(self._base_name(rel)):
            plan.writes.append((self.root / STATE / self._base_name(rel), base_text))
        return plan

    def apply(self, plans: list[FilePlan]) -> None:
        """Write what the plans say, file by file, each write atomic; call under `lock()`.

        Per file the PO goes first, then zh/PATH.md, then the base: a run killed in between
        leaves a zh/PATH.md that the next merge finds as rendered or equal to the PO.
        """
        for plan in plans:
            for path, text in plan.writes:
                files.write_atomic(path, text)

    def save(self, rel: str, catalog: Catalog, dry_run: bool = False) -> FilePlan:
        """Plan and (unless `dry_run`) apply the save of one file; call under `lock()`."""
        plan = self.plan_save(rel, catalog)
        if not dry_run:
            self.apply([plan])
        return plan

    def write_base(self, rel: str, base: Base) -> None:
        """Record what was just rendered into zh/PATH.md (for a writer that renders itself, the sync)."""
        text = base.dump()
        if text != self.state(self._base_name(rel)):
            self.write_state(self._base_name(rel), text)

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
        for path in (self.root / STATE / self._base_name(rel), self.zh_path(rel), self.po_path(rel)):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    def remove_temporary(self) -> int:
        """Remove the temporary files in zh/ and .workbench/base/ of writers that were killed; call under `lock()`."""
        n = 0
        for folder in (self.root / "zh", self.root / STATE / BASE):  # the merge base is written the same way
            if not folder.is_dir():
                continue
            for path in folder.rglob(".*.tmp"):
                if _TEMP.match(path.name):
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                        n += 1
        return n

    def write_state(self, name: str, text: str) -> None:
        """Write the workbench's own file .workbench/NAME atomically; call under `lock()`."""
        files.write_atomic(self.root / STATE / name, text)
