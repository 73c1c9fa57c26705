"""A book opened for translating: its files and pairs, edits, saves, search, memory, the counts of
every file, and (beside it) the glossary and the QA findings.

The TUI's screens work on this; nothing here imports textual or rich, so it is tested directly
and is safe to call from a thread worker (one re-entrant lock guards the loaded catalogs).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import files, store
from ..book import Book, Rendered
from ..concordance import Hit, search
from ..model import Pair, WorkbenchError
from ..progress import Progress, count_pairs
from ..review import set_reviewed
from ..store import Catalog, match
from . import counts
from .findings import Findings
from .terms import Terms

if TYPE_CHECKING:
    from ..tm import Memory, Suggestion


@dataclass(slots=True)
class FileProgress(Progress):
    """One file's standing: the one progress record (pairs, as `status` counts them), its QA
    errors, and whether it is read yet."""

    rel: str = ""
    """The English file, relative to en/."""
    loaded: bool = False
    """True once the counts are real."""
    error: str = ""
    """Why the file's PO could not be read."""
    errors: int | None = None
    """QA findings of severity error (`findings` counts warnings too); None until checked."""

    @property
    def needs_work(self) -> bool:
        """Pairs to act on (Progress.needs_work), or a PO that cannot be read."""
        return bool(self.error) or Progress.needs_work.fget(self)  # type: ignore[attr-defined]


class Session:
    """A book opened for translating: catalogs load on first use, edits are saved per file."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.terms = Terms(book)
        """The glossary: terms of a pair, review edits."""
        self.findings = Findings(book)
        """QA findings per file and pair (once `check_all` ran)."""
        self.files: list[str] = book.english_files()
        self.rows: dict[str, FileProgress] = {rel: FileProgress(f"en/{rel}", rel=rel) for rel in self.files}
        self.dirty: set[str] = set()
        self._catalogs: dict[str, Catalog] = {}
        self._pairs: dict[str, list[Pair]] = {}
        # the PO text as last read or written, to notice another program writing the same file
        self._seen_po: dict[str, str | None] = {}
        # the PO's stamp (size, modification time) when its pairs were read: what counts.json keys by
        self._stamps: dict[str, list[int]] = {}
        self._lock = threading.RLock()
        self._memory: Memory | None = None
        # suggestions looked up with the memory `_suggested_by`, by (file, line, English, limit)
        self._suggested_by: Memory | None = None
        self._suggested: dict[tuple[str, int, str, int], list[Suggestion]] = {}
        self.ready = threading.Event()
        """Set once load_all has read every file (memory and search wait for it)."""

    # -- loading ---------------------------------------------------------------------------

    def loaded(self, rel: str) -> bool:
        """True when the file's pairs are in memory."""
        return rel in self._catalogs

    def catalog(self, rel: str) -> Catalog:
        """The file's catalog, read on first use (a file never translated gets fresh pairs)."""
        with self._lock:
            catalog = self._catalogs.get(rel)
            if catalog is None:
                catalog = self._read(rel)
            return catalog

    def _read(self, rel: str, words: bool = True) -> Catalog:
        path = self.book.po_path(rel)
        now = counts.stamp(path)  # before reading: a change meanwhile makes the stamp old, not wrong
        text = files.read_text(path, self.book.shown(path)) if path.is_file() else None
        if text is None:
            catalog = self.book.catalog(rel)
        else:
            catalog = store.parse(text, self.book.shown(path))
            catalog.source = f"en/{rel}"
        self._catalogs[rel] = catalog
        self._pairs[rel] = catalog.active
        self._seen_po[rel] = text
        self._memory = None
        self.recount(rel, words)
        if now is not None:
            self._stamps[rel] = now
        return catalog

    def pairs(self, rel: str) -> list[Pair]:
        """The file's active pairs in the order of the English."""
        with self._lock:
            self.catalog(rel)
            return self._pairs[rel]

    def count_remembered(self) -> None:
        """Counts for every file whose PO did not change since the last session, as remembered
        then (quick: no PO is read; the book screen's first frame can show them)."""
        known = counts.load(self.book)
        for rel in self.files:
            row = self.rows[rel]
            if not row.loaded:
                before = counts.remembered(known.get(rel), counts.stamp(self.book.po_path(rel)), row.file)
                if before is not None:
                    row.set_counts(before)
                    row.loaded = True

    def count_all(self) -> None:
        """Counts for every file that has a PO (the book screen's first view): as remembered from
        the last session when its PO did not change, else from its pairs, read (and kept)."""
        self.count_remembered()
        for rel in self.files:
            if self.rows[rel].loaded or not self.book.po_path(rel).is_file():
                continue  # no PO yet: its fresh pairs come from segmenting the English (load_all)
            try:
                with self._lock:
                    if rel not in self._catalogs:
                        # pairs by state first: their words and characters come with load_all
                        self._read(rel, words=False)
            except WorkbenchError:
                continue  # load_all reports it

    def load_all(self, each: Callable[[FileProgress], None] | None = None) -> None:
        """Read every file's pairs (for counts, memory and search); `each` hears of every file."""
        for rel in self.files:
            row = self.rows[rel]
            try:
                with self._lock:
                    if rel in self._catalogs:
                        self.recount(rel)  # read by count_all: its words and characters now
                    else:
                        self.catalog(rel)
            except WorkbenchError as e:
                row.error = str(e)
                row.loaded = True
            if each:
                each(row)
            time.sleep(0)  # let a UI thread run between files: reading them all holds the GIL for a second

    def remember_counts(self) -> bool:
        """Remember every file's counts for the next session (counts.py), once every file is read;
        False when they could not be written."""
        with self._lock:
            known = {rel: counts.entry(self._stamps[rel], row) for rel, row in self.rows.items()
                     if rel in self._stamps and rel not in self.dirty and not row.error}
        return counts.save(self.book, known)

    def reload_all(self) -> None:
        """Forget every file's pairs and counts (another command, such as a sync, rewrote the
        book): the files are listed and counted again as on opening."""
        with self._lock:
            self.files = self.book.english_files()
            self.rows = {rel: FileProgress(f"en/{rel}", rel=rel) for rel in self.files}
            self._catalogs.clear()
            self._pairs.clear()
            self._seen_po.clear()
            self._stamps.clear()
            self.dirty.clear()
            self._memory = None
            self.ready.clear()

    def check_all(self) -> None:
        """Run the QA checks on every file (slow: call from a thread) and count each file's findings."""
        self.findings.run_book(self.files)
        for rel in self.files:
            self._count_findings(rel)

    def check_file(self, rel: str) -> None:
        """Run the QA checks on one file again (after a save) and count its findings."""
        if self.findings.ran:
            self.findings.run_file(rel)
            self._count_findings(rel)

    def _count_findings(self, rel: str) -> None:
        row = self.rows.get(rel)
        if row is not None:
            row.findings = self.findings.count(rel)
            row.errors = self.findings.count(rel, "error")

    def reload(self, rel: str) -> None:
        """Forget the file's pairs in memory and read them again from disk."""
        with self._lock:
            self._catalogs.pop(rel, None)
            self._pairs.pop(rel, None)
            self.dirty.discard(rel)
            self.catalog(rel)

    def recount(self, rel: str, words: bool = True) -> FileProgress:
        """Count the file's pairs by status again (words=False: by state only, words and characters 0)."""
        row = self.rows[rel]
        row.set_counts(count_pairs(row.file, self._pairs.get(rel, []), words))
        row.loaded = True
        row.error = ""
        return row

    def total(self) -> FileProgress:
        """The counts of every loaded file added up."""
        out = FileProgress("total", rel="total", loaded=all(r.loaded for r in self.rows.values()))
        for r in self.rows.values():
            out.add(r)
            if r.errors is not None:
                out.errors = (out.errors or 0) + r.errors
        return out

    def unmatched(self, rel: str) -> int:
        """English units of en/PATH.md no pair covers (the English changed; `workbench sync` adds them)."""
        doc = self.book.document(rel)
        return sum(1 for m in match(doc, self.catalog(rel)) if m.pair is None)

    def prepare(self, rel: str) -> int:
        """Get a file ready for its first save, and say how many English units no pair covers.

        A save segments the English and wraps the PO's lines; both are cached (Book.document,
        po_layout), so doing it once here, in a worker when the file opens, makes the first
        save as quick as the later ones.
        """
        n = self.unmatched(rel)
        with self._lock:
            store.dump(self.catalog(rel))
        return n

    # -- editing ---------------------------------------------------------------------------

    def set_chinese(self, rel: str, pair: Pair, text: str) -> bool:
        """Put a translation into a pair; True when it changed. Surrounding blank space is dropped."""
        text = text.strip()
        if text == pair.chinese:
            return False
        with self._lock:
            pair.chinese = text
            pair.accept_pairing()  # editing a pair answers the import's doubt about it
            if not text:
                # an emptied pair is untranslated, and store.dump drops fuzzy without Chinese
                pair.stale = False
                pair.previous = ""
            self._changed(rel)
        return True

    def accept(self, rel: str, pair: Pair) -> bool:
        """The translation is right for the current English: clear stale and the previous English."""
        if not pair.stale or not pair.chinese:
            return False
        with self._lock:
            pair.accept_pairing()
            pair.stale = False
            pair.previous = ""
            self._changed(rel)
        return True

    def toggle_stale(self, rel: str, pair: Pair) -> bool:
        """Mark a translated pair as needing work, or take the mark off; returns the new flag."""
        if not pair.chinese:
            raise WorkbenchError("an untranslated pair cannot be marked stale; translate it first", f"en/{rel}", pair.line)
        with self._lock:
            pair.stale = not pair.stale
            if not pair.stale:
                pair.previous = ""
                pair.pairing = ""  # not fuzzy: the import's doubt is answered too (as store.parse reads it)
            self._changed(rel)
        return pair.stale

    def toggle_reviewed(self, rel: str, pair: Pair) -> bool:
        """Mark a translated pair reviewed, or take the mark off; returns the new state."""
        with self._lock:
            set_reviewed(pair, not pair.reviewed, f"en/{rel}")
            self._changed(rel)
        return pair.reviewed

    def _changed(self, rel: str) -> None:
        self.dirty.add(rel)
        self._memory = None
        self.recount(rel)

    # -- saving ----------------------------------------------------------------------------

    def save(self, rel: str) -> Rendered:
        """Write zh/PATH.po and re-render zh/PATH.md (book.save, under the book's lock)."""
        with self._lock, self.book.lock("workbench tui"):
            catalog = self.catalog(rel)
            path = self.book.po_path(rel)
            on_disk = files.read_text(path, self.book.shown(path)) if path.is_file() else None
            if on_disk != self._seen_po.get(rel):
                raise WorkbenchError(
                    "changed on disk since the TUI read it (another command wrote it); reload the file "
                    "(R) to see that version; your edits since the last save are not written",
                    self.book.shown(path),
                )
            rendered = self.book.save(rel, catalog)
            now = counts.stamp(path)
            # what is on disk now: the PO written (not read back), or the one that was there
            self._seen_po[rel] = next((text for target, text in rendered.writes if target == path), on_disk)
            if now is not None:
                self._stamps[rel] = now
            self._pairs[rel] = catalog.active
            self.dirty.discard(rel)
            self._memory = None
            if rendered.taken_back or rendered.conflicts:
                self.recount(rel)  # the merge changed pairs; an edit was counted when it was made
            return rendered

    def save_all(self) -> list[Rendered]:
        """Save every file with edits not yet written."""
        return [self.save(rel) for rel in sorted(self.dirty)]

    # -- finding ---------------------------------------------------------------------------

    def search(self, query: str, limit: int = 500) -> tuple[list[Hit], int]:
        """Pairs whose English or Chinese contains the query (case and spacing ignored), and how many in all."""
        return search(self._each_file(), query, limit=limit)

    def _each_file(self) -> Iterator[tuple[str, list[Pair]]]:
        for rel in self.files:
            try:
                yield rel, self.pairs(rel)
            except WorkbenchError:
                continue

    def memory(self) -> Memory:
        """Translation memory over every loaded file; rebuilt after an edit."""
        with self._lock:
            if self._memory is None:
                # imported here, in the worker that builds it: rapidfuzz is no part of the first frame
                from ..tm import Memory

                self._memory = Memory.from_catalogs([(c.source, c.pairs) for c in self._catalogs.values()])
            return self._memory

    def suggestions(self, rel: str, pair: Pair, limit: int = 5) -> list[Suggestion]:
        """The closest translations elsewhere in the book, best first; the pair itself is left out.
        Remembered until the memory changes (an edit, a file read), so that showing a pair again,
        or one looked up ahead (`known_suggestions`), costs nothing."""
        with self._lock:
            memory = self.memory()
            if memory is not self._suggested_by:
                self._suggested_by, self._suggested = memory, {}
            key = (rel, pair.line, pair.english, limit)
            found = self._suggested.get(key)
        if found is None:
            own = f"en/{rel}:{pair.line}"
            hits = memory.suggest(pair.english, limit=limit + 1)
            found = [s for s in hits if not (s.source == own and s.english == pair.english)][:limit]
            with self._lock:
                if memory is self._suggested_by:
                    self._suggested[key] = found
        return found

    def known_suggestions(self, rel: str, pair: Pair, limit: int = 5) -> list[Suggestion] | None:
        """The suggestions for a pair if they were looked up since the memory last changed, else None."""
        with self._lock:
            if self._memory is None or self._memory is not self._suggested_by:
                return None
            return self._suggested.get((rel, pair.line, pair.english, limit))
