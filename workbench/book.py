"""A book on disk: en/ (English, read only), zh/*.po (the pairs), zh/*.md (rendered), glossary/.

The one place that knows the layout and writes the book's files; every write is atomic and
done under the book's lock.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import builtin, files, segment_cache, store
from .markdown import segment
from .merge import Base, Conflict, TakenBack, merge, po_changed, render_base
from .model import Document, Pair, WorkbenchError
from .store import Catalog
from .structure import refuse_broken

#: The workbench's own files in a book (caches, journals; ignored by git).
STATE = ".workbench"
#: Seconds a writer waits for another to release the book's lock before it gives up and says who holds it.
LOCK_WAIT = 2.0
_log = logging.getLogger("workbench")
#: Where the merge base of zh/PATH.md is kept: .workbench/base/PATH.md.json (see merge.py).
BASE = "base"


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


def _snapshot(pair: Pair) -> Pair:
    """A copy of a pair that nothing done to the pair changes (its lists copied too): what
    plan_save puts back when it refuses. Pairs hold strings and lists of strings only, so this is
    a deep copy at a fraction of copy.deepcopy's cost (a save of a 200-pair file)."""
    out = copy.copy(pair)
    for name in _PAIR_LISTS:
        setattr(out, name, list(getattr(pair, name)))
    return out


_PAIR_LISTS = [f.name for f in dataclasses.fields(Pair) if f.default_factory is list]


class Book:
    """A book directory."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self._docs: dict[str, tuple[str, Document]] = {}
        self._unkept: set[str] = set()  # segmented here, not yet remembered in .workbench/segments/
        #: True for the book that ships with the workbench: it is read, never written in place.
        self.builtin = builtin.is_builtin(self.root)
        self._skipped: set[str] = set()  # files left out, each said once

    @classmethod
    def open(cls, root: Path | str | None = None, write: bool = False) -> Book:
        """The book at `root` (default: the current folder when it is a book).

        Outside a book, a command that writes is refused (exit 2, naming `workbench init`); one
        that only reads gets the user's copy of the preface that the TUI made, else the built-in
        book (`book.builtin`).
        """
        if root is None:
            here = Path.cwd()
            if (here / "en").is_dir():
                root = here
            elif write:
                raise WorkbenchError("no book here (no en/ folder): make one with `workbench init [DIR]`, "
                                     "or name one with --book PATH", str(here))
            else:  # the user's copy of the preface once the TUI made it, else the built-in book
                mine = builtin.user_copy_path()
                root = mine if (mine / "en").is_dir() else builtin.location()
        book = cls(root)
        if not (book.root / "en").is_dir():
            raise WorkbenchError("not a book: no en/ folder here; make one with `workbench init`, or name one",
                                 str(book.root))
        if write:
            book.writable()
        return book

    def writable(self) -> None:
        """Refuse to write the built-in book in place (exit 2, naming `workbench init`)."""
        if self.builtin:
            raise WorkbenchError("this is the workbench's built-in book, which is never written in place; "
                                 "make your own copy with `workbench init DIR`", str(self.root))

    # -- paths -----------------------------------------------------------------------------

    def english_files(self) -> list[str]:
        """Paths of the English files relative to en/, in path order.

        A symlink leading out of en/ and a name with a control character are left out, each said
        once (as a warning of the "workbench" logger): the book's files stay inside the book.
        """
        en = self.root / "en"
        base = en.resolve()  # once, not once per file
        out = []
        for p in en.rglob("*.md"):
            rel = p.relative_to(en).as_posix()
            problem = self._unfit(rel, p, base)
            if problem:
                self._skip(f"en/{rel}", problem)
            elif p.is_file():
                out.append(rel)
        return sorted(out)

    @staticmethod
    def _unfit(rel: str, path: Path, base: Path) -> str | None:
        """Why a file found under `base` (resolved) is not one of the book's, or None."""
        if files.has_control(rel):
            return "its name holds a control character (a newline, a tab); rename it"
        if not files.within(path.resolve(), base):
            return "is a symlink leading out of the book; copy the file in instead"
        return None

    def _skip(self, shown: str, problem: str) -> None:
        if shown not in self._skipped:
            self._skipped.add(shown)
            _log.warning("%s: %s; left out", files.printable(shown), problem)

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

    def rel(self, name: str | Path, new: bool = False) -> str:
        """An English file named any way a user would (en/x.md, x.md, zh/x.po, a full path) -> x.md.

        The name must stay inside the book: `..`, empty parts (`en//etc/x.md`), control
        characters and a symlink leading out of en/ or zh/ are refused. With `new` the file need
        not exist yet (where an import puts a new file).
        """
        text = str(name)
        shown = files.printable(text)
        if files.has_control(text):
            raise WorkbenchError("a file name with a control character (a newline, a tab) is refused; rename it",
                                 shown)
        if text.startswith("/"):
            text = self._inside(Path(text), shown)
        parts = [x for x in text.split("/") if x != "."]
        if parts and parts[0] in ("en", "zh"):
            parts = parts[1:]
        if not parts or "" in parts or ".." in parts:
            raise WorkbenchError("name a file inside the book (en/PATH.md), without '..' or empty parts", shown)
        rel = "/".join(parts)
        if rel.endswith(".po"):
            rel = rel[:-3] + ".md"
        for path, base in ((self.en_path(rel), "en"), (self.po_path(rel), "zh"), (self.zh_path(rel), "zh")):
            if not files.within(path.resolve(), (self.root / base).resolve()):
                raise WorkbenchError(f"is a symlink leading out of the book (into {path.resolve().parent}); refused",
                                     self.shown(path))
        if not new and not self.en_path(rel).is_file():
            raise WorkbenchError("no such English file in the book", f"en/{rel}")
        return rel

    def _inside(self, path: Path, shown: str) -> str:
        """A full path as a path relative to the book; refused when it is elsewhere."""
        for p in (Path(os.path.abspath(path)), path.parent.resolve() / path.name):
            if files.within(p, self.root):
                return p.relative_to(self.root).as_posix()
        raise WorkbenchError(f"not inside the book {self.root}", shown)

    # -- reading ---------------------------------------------------------------------------

    def english(self, rel: str) -> str:
        """The English text of en/PATH.md."""
        return files.read_text(self.en_path(rel), f"en/{rel}")

    def document(self, rel: str) -> Document:
        """en/PATH.md segmented; cached by content hash, so unchanged files cost nothing twice."""
        return self.document_of(rel, self.english(rel))

    def document_of(self, rel: str, text: str, shown: str | None = None) -> Document:
        """`text` as en/PATH.md segmented (`shown`: its name in messages, default en/PATH.md);
        cached like `document`, so a writer that brings new English (an import) segments it once.

        Cached in memory, and between runs in .workbench/segments/ (written by the next write of
        the book: a command that only reads writes nothing)."""
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        cached = self._docs.get(rel)
        if cached and cached[0] == digest:
            return cached[1]
        shown = shown or f"en/{rel}"
        doc = segment_cache.load(self.state(segment_cache.name(rel)), text, digest, shown)
        if doc is None:
            doc = segment(text, shown)
            self._unkept.add(rel)
        self._docs[rel] = (digest, doc)
        return doc

    def keep_document(self, rel: str, text: str, doc: Document) -> Document:
        """Remember `doc` as `text` segmented (made elsewhere: an import's worker process), as
        `document_of` remembers what it segments."""
        self._docs[rel] = (hashlib.sha1(text.encode("utf-8")).hexdigest(), doc)
        self._unkept.add(rel)
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
        """PATH.md of every zh/PATH.po on disk, its English there or not (in path order); unfit ones
        (see `english_files`) left out."""
        zh = self.root / "zh"
        if not zh.is_dir():
            return []
        base = zh.resolve()
        out = []
        for p in sorted(zh.rglob("*.po")):
            rel = p.relative_to(zh).as_posix()
            problem = self._unfit(rel, p, base)
            if problem:
                self._skip(f"zh/{rel}", problem)
            elif p.is_file():
                out.append(rel.removesuffix(".po") + ".md")
        return out

    def state(self, name: str) -> str | None:
        """The workbench's own file .workbench/NAME, or None when it is missing or unreadable (it can be rebuilt)."""
        try:
            return (self.root / STATE / name).read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def lock(self, what: str = "workbench") -> Iterator[None]:
        """The book's write lock (waits briefly for another writer to finish); `what` names the
        command for a second writer's message. Refused on the built-in book. Temporary files of a
        killed writer go first."""
        self.writable()
        with files.book_lock(self.root, what, wait=LOCK_WAIT):
            self.remove_temporary()
            yield

    def base(self, rel: str) -> Base | None:
        """The merge base of zh/PATH.md: what was rendered last (None: none, or unreadable)."""
        return Base.load(self.state(self._base_name(rel)))

    def _base_name(self, rel: str) -> str:
        return f"{BASE}/{rel}.json"

    def plan_save(self, rel: str, catalog: Catalog, english: str | None = None) -> FilePlan:
        """Plan writing zh/PATH.po and re-rendering zh/PATH.md; reads only.

        Hand edits of zh/PATH.md are merged into the catalog first (merge.py: taken back, or
        a conflict noted on the entry); every translation is checked not to break the
        structure. `english`: new English for en/PATH.md (an import), written first by the
        plan; by default the English on disk. Raises WorkbenchError (file:line) when anything
        is refused.
        """
        kept = [_snapshot(p) for p in catalog.pairs]
        try:
            return self._plan_save(rel, catalog, english)
        except WorkbenchError:
            # refused: the caller's pairs (the TUI's, on screen) are left as they were, in place
            for pair, old in zip(catalog.pairs, kept, strict=False):
                for name in pair.__slots__:
                    setattr(pair, name, getattr(old, name))
            raise

    def _plan_save(self, rel: str, catalog: Catalog, english: str | None) -> FilePlan:
        zh_text = self.chinese(rel)
        zh_shown = self.shown(self.zh_path(rel))
        plan = FilePlan(rel, zh_shown)
        if english is None:
            doc = self.document(rel)
        else:
            doc = self.document_of(rel, english)
            if not self.en_path(rel).is_file() or self.english(rel) != english:
                plan.writes.append((self.en_path(rel), english))
        po_path = self.po_path(rel)
        old_po = files.read_text(po_path, self.shown(po_path)) if po_path.is_file() else None
        # the PO side first, so that a translation that breaks the structure is named in the PO
        # (the line of its entry there, as the user sees it), not as a fault of the render
        refuse_broken(catalog.active, self.shown(po_path), old_po, lambda: store.dump(catalog))
        if zh_text is not None:
            merged = merge(zh_text, zh_shown, doc, catalog, self.base(rel) or self._proven_base(rel, zh_text))
            plan.taken_back, plan.conflicts = merged.taken_back, merged.conflicts
        store.refresh_lines(doc, catalog)
        catalog.rendered = ""  # the legacy header is not written again: the base replaces it
        refuse_broken(catalog.active, self.shown(po_path), old_po, lambda: store.dump(catalog))  # and the taken-back side
        base = render_base(doc, catalog)
        po_text = store.dump_revised(catalog, old_po)  # the date moves only with what the PO says
        if po_changed(po_text, old_po):
            plan.writes.append((po_path, po_text))
        if base.text != zh_text:
            plan.writes.append((self.zh_path(rel), base.text))
        plan.changed = bool(plan.writes)
        plan.writes += self.base_writes(rel, base)
        return plan

    def _proven_base(self, rel: str, zh_text: str) -> Base | None:
        """Without a recorded base (a fresh clone: .workbench/ is not in git): the render of the
        PO on disk, when zh/PATH.md is exactly that render — then no unit of it was edited by hand,
        and what the caller changed in its pairs (a TUI save, an import) is the only change."""
        if not self.has_catalog(rel) or not self.en_path(rel).is_file():
            return None
        try:
            base = render_base(self.document(rel), self.catalog(rel))
        except WorkbenchError:
            return None  # an unreadable PO or English: no proof
        return base if base.text == zh_text else None

    def apply(self, plans: list[FilePlan]) -> None:
        """Write what the plans say, file by file, each write atomic, after checking every target
        (`write_all`); call under `lock()`.

        Per file the PO goes first, then zh/PATH.md, then the base: a run killed in between
        leaves a zh/PATH.md that the next merge finds as rendered or equal to the PO.
        """
        self.write_all([write for plan in plans for write in plan.writes])

    def save(self, rel: str, catalog: Catalog, dry_run: bool = False) -> FilePlan:
        """Plan and (unless `dry_run`) apply the save of one file; call under `lock()`."""
        plan = self.plan_save(rel, catalog)
        if not dry_run:
            self.apply([plan])
        return plan

    def base_writes(self, rel: str, base: Base) -> list[tuple[Path, str]]:
        """The write that records `base` as what zh/PATH.md was rendered from (none when recorded)."""
        text = base.dump()
        if text == self.state(self._base_name(rel)):
            return []
        return [(self.root / STATE / self._base_name(rel), text)]

    def save_all(self, catalogs: dict[str, Catalog]) -> list[FilePlan]:
        """Save several files: every one planned (merged, validated) before the first is written,
        so a refusal anywhere leaves every file as it was. Call under `lock()`."""
        plans = [self.plan_save(rel, catalog) for rel, catalog in catalogs.items()]
        self.apply(plans)
        return plans

    def write_english(self, rel: str, text: str) -> None:
        """Put a new English file into en/ (import); call under `lock()`."""
        files.write_atomic(self.en_path(rel), text)

    def remove_chinese(self, rel: str) -> None:
        """Remove zh/PATH.md, then zh/PATH.po (missing ones are fine); call under `lock()`."""
        # the PO last: while it is there, a rerun can still finish the job
        for path in (self.root / STATE / self._base_name(rel), self.zh_path(rel), self.po_path(rel)):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    def remove_temporary(self) -> int:
        """Remove the temporary files of writers that were killed; call under `lock()` (so none is writing)."""
        n = 0
        for part in ("en", "zh", "glossary", STATE):
            folder = self.root / part
            if not folder.is_dir():
                continue
            for path in folder.rglob(".*.tmp"):
                if files.is_temporary(path.name) and not path.is_symlink():
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                        n += 1
        return n

    def write_state(self, name: str, text: str) -> None:
        """Write the workbench's own file .workbench/NAME atomically; call under `lock()`."""
        files.write_atomic(self.root / STATE / name, text)

    # -- planned writes ----------------------------------------------------------------------

    def check_target(self, path: Path, folders: set[Path] | None = None) -> None:
        """Refuse, before anything is written, a write that would fail or leave the book: a target
        outside it (or a symlink out of it), a folder on its path that is a file, a read-only file.
        `folders`: the folders found fine by the checks before this one, of the same writes (each
        is looked at once; the caller holds the lock, so none changes in between)."""
        shown = self.shown(path)
        at = Path(os.path.abspath(path))
        if not files.within(at, self.root) or at == self.root:
            raise WorkbenchError("would be written outside the book; refused", shown)
        # en/ or zh/ may be a symlink to a checkout elsewhere; nothing may lead out of them
        top = self.root / at.relative_to(self.root).parts[0]
        if not files.within(path.resolve(), top.resolve() if top.is_dir() else self.root):
            raise WorkbenchError("is a symlink leading out of the book; refused", shown)
        if files.has_control(shown):
            raise WorkbenchError("a file name with a control character (a newline, a tab) is refused", files.printable(shown))
        seen = folders if folders is not None else set()
        for folder in reversed(at.relative_to(self.root).parents):
            at = self.root / folder
            if at in seen:
                continue
            if at.exists() and not at.is_dir():
                raise WorkbenchError("is a file where the book needs a folder; move it away", self.shown(at))
            seen.add(at)
        files.writable(path, shown)

    def write_all(self, writes: list[tuple[Path, str]]) -> None:
        """Write several files of the book, each atomically, after checking every target first
        (`check_target`): a refused one leaves every file as it was. Call under `lock()`.
        The files are renamed over their targets in the order given (files.write_many)."""
        folders: set[Path] = set()
        for path, _ in writes:
            self.check_target(path, folders)
        files.write_many([(path, text, self.shown(path)) for path, text in writes])
        if writes:
            self._keep_documents(folders)

    def _keep_documents(self, folders: set[Path]) -> None:
        """Remember what this run segmented for the next ones (.workbench/segments/); only a
        cache, so an entry refused or failed here is left for a later run."""
        entries, kept = [], sorted(self._unkept)  # a copy: the TUI's worker may segment meanwhile
        for rel in kept:
            digest, doc = self._docs[rel]
            path = self.root / STATE / segment_cache.name(rel)
            with contextlib.suppress(WorkbenchError):
                self.check_target(path, folders)
                entries.append((path, segment_cache.dump(doc, digest), self.shown(path)))
        with contextlib.suppress(WorkbenchError):
            files.write_many(entries, durable=False)
        self._unkept.difference_update(kept)

