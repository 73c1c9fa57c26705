"""Syncing a whole book: zh/*.po and zh/*.md brought in step after the English in en/ changed.

The core of `workbench sync`; the CLI (and the TUI) call `sync_book` and show its `SyncReport`.
carry_over.py matches one file's units to its pairs; this module reads the book, plans, and writes.

Everything is read, parsed and matched before the first write, so bad input (a malformed PO,
a hand edit that cannot be taken back) stops the sync with nothing written. Then, per file,
zh/PATH.md is written before zh/PATH.po: if the sync is killed in between, the next run sees
that the Markdown is exactly the render of the synced pairs (not a hand edit) and completes
the PO. Files whose English, PO and Markdown are as the last sync left them are not even
segmented: their result is remembered in .workbench/sync-cache.json by content hash (and a
writer that leaves files in step, such as the import, notes them there with `remember`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import files, store
from .book import Book
from .carry_over import Carried, SyncResult, carry_over, suggest
from .markdown import segment
from .merge import Base, Conflict, TakenBack, merge, po_changed, render_base
from .model import GROUP_SEPARATOR, Document, State, Status, WorkbenchError, normalize
from .parallel import map_in_order
from .render import render
from .settle import Words, settle
from .store import Catalog
from .structure import refuse_broken
from .tm import Memory

#: Where the sync remembers files it left in step: .workbench/NAME (ignored by git).
CACHE = "sync-cache.json"
#: Bumped when the cache's layout changes; the code that computes a result is part of its key too.
CACHE_VERSION = 1


@dataclass(slots=True)
class FileSync:
    """What the sync does (or did) to one English file."""

    rel: str
    """PATH.md relative to en/."""
    units: list[dict[str, Any]]
    """One record per translatable unit: lines, status, previous."""
    obsolete: int
    """Obsolete pairs kept in the PO after the sync."""
    counts: dict[str, int]
    """Pairs current / stale / untranslated / new / obsolete (progress.py counts them)."""
    hashes: dict[str, str]
    """Content hashes of en/, zh/*.po and zh/*.md as read (for the cache)."""
    catalog: Catalog | None = None
    """The synced pairs (None: the file is as the last sync left it)."""
    markdown: str | None = None
    """The rendered zh/PATH.md (None: the file is as the last sync left it)."""
    zh_text: str | None = None
    """zh/PATH.md as it was on disk."""
    po_text: str | None = None
    """zh/PATH.po as it was on disk."""
    taken_back: list[TakenBack] = field(default_factory=list)
    """Hand edits of zh/PATH.md taken into the pairs."""
    conflicts: list[Conflict] = field(default_factory=list)
    """Pairs edited both in zh/PATH.md and the PO: both texts kept in the PO, entry fuzzy."""
    base: Base | None = None
    """The render with where each pair's text stands (the merge base to record)."""
    renamed_from: str | None = None
    """PATH.md of a vanished English file whose pairs this file took over."""
    result: SyncResult | None = None
    """What the matcher did, unit by unit (None: the file is as the last sync left it)."""
    changed: bool = False
    """True when zh/PATH.po or zh/PATH.md is (or would be) written."""


@dataclass(slots=True)
class SyncReport:
    """The whole sync, decided before anything is written; after `apply_sync`, what was done."""

    files: list[FileSync]
    """One record per English file synced, in the order asked."""
    renames: dict[str, str] = field(default_factory=dict)
    """New PATH.md -> the vanished PATH.md whose pairs it takes over."""
    remove: list[str] = field(default_factory=list)
    """Vanished PATH.md whose zh/*.po and zh/*.md go (their pairs live on under the new name)."""
    gone: list[str] = field(default_factory=list)
    """Vanished PATH.md whose zh/*.po is kept as it is (English deleted, nothing took it over)."""
    written: bool = False
    """True once the changes are on disk (False on a dry run)."""

    def touched(self) -> list[FileSync]:
        """Files that are (or would be) written, or had hand edits taken back."""
        return [fs for fs in self.files if fs.changed or fs.taken_back or fs.conflicts]

    def totals(self) -> dict[str, int]:
        """Pairs current (of which settled) / stale / to check the pairing / untranslated / new, and
        obsolete pairs, over every file synced."""
        out = dict.fromkeys(("current", "settled", "stale", "pairing", "new", "untranslated", "obsolete"), 0)
        for fs in self.files:
            for c in out:
                out[c] += fs.counts.get(c, 0)
        return out

    def unfinished(self) -> bool:
        """True when any pair is stale, has its pairing to check, or is untranslated (what `--check` fails on)."""
        return any(fs.counts.get("stale", 0) or fs.counts.get("pairing", 0) or fs.counts.get("untranslated", 0)
                   for fs in self.files)


def sync_book(book: Book, files: list[str] | None = None, dry_run: bool = False, settle: bool = True) -> SyncReport:
    """Sync the named English files (any way a user names them; default: all) and write the result.

    On a dry run nothing is written (not even the cache) and no lock is taken. A bad file raises
    WorkbenchError before anything is written. With `settle`, mechanical English edits of
    translated units are settled (settle.py); without, every edited unit is stale.
    """
    rels = [book.rel(f) for f in files] if files else book.english_files()
    if dry_run:
        return plan_sync(book, rels, load_cache(book), settle)
    with book.lock("sync"):
        book.remove_temporary()  # we hold the lock: no writer is using them
        report = plan_sync(book, rels, load_cache(book), settle)
        apply_sync(book, report)
    return report


# ---------------------------------------------------------------------------------------------
# The plan: everything read and decided before anything is written


def _sha(text: str | None) -> str:
    return "" if text is None else hashlib.sha1(text.encode("utf-8")).hexdigest()


def _read(book: Book, rel: str) -> FileSync:
    """One file's English, PO and Markdown as they are on disk, with their hashes."""
    en = book.english(rel)
    po_text = book.po_text(rel)
    zh_text = book.chinese(rel)
    hashes = {"en": _sha(en), "po": _sha(po_text), "zh": _sha(zh_text)}
    return FileSync(rel, [], 0, {}, hashes, zh_text=zh_text, po_text=po_text)


def _records(doc: Document, result: SyncResult) -> list[dict[str, Any]]:
    """One JSON record per unit: its lines and status; a stale one's previous English and the kind
    of its edit (when the sync looked at it); a settled one's kind and Chinese after settling."""
    out = []
    for r in result.units:
        unit = doc.units[r.unit]
        rec: dict[str, Any] = {"lines": [unit.start, unit.end], "status": r.status.value}
        if r.status is Status.STALE:
            rec["previous"] = r.pair.previous
            if r.edit:
                rec["edit"] = r.edit
        elif r.pair.state is State.SETTLED:
            rec["settled"] = r.pair.settled
            rec["chinese"] = r.pair.chinese
        if r.pair.pairing:
            rec["pairing"] = r.pair.pairing  # fuzzy for an import's doubt, not for an English edit
        out.append(rec)
    return out


def _take_back_first(
    book: Book, rel: str, doc: Document, old: Catalog | None, zh_text: str | None, result: SyncResult
) -> tuple[SyncResult, list[TakenBack], list[Conflict]]:
    """Hand edits of zh/PATH.md are merged into the old pairs before the sync decides anything.

    The Markdown on disk may also be the new render of a sync killed before it wrote the PO:
    it then equals the render of the synced pairs and there is nothing to take back.
    """
    if zh_text is None or old is None or zh_text == render(doc, result.catalog):
        return result, [], []
    shown, base = book.shown(book.zh_path(rel)), book.base(rel)
    if base is None:
        if _shows_only_the_pairs(zh_text, shown, old):
            return result, [], []  # a render of the old pairs (a fresh clone has no base): no hand edit
        # no record of the old render: the synced pairs show the old Chinese where the English
        # changed, so their render is the best reference (merge.py's rules without a base apply)
        merged = merge(zh_text, shown, doc, result.catalog, None)
        return result, merged.taken_back, merged.conflicts
    # the edit was made on the render of the old pairs (the base): merge it there, then sync again
    merged = merge(zh_text, shown, doc, old, base)
    if merged.taken_back or merged.conflicts:
        return carry_over(doc, old, source=f"en/{rel}"), merged.taken_back, merged.conflicts
    return result, [], []


def _shows_only_the_pairs(zh_text: str, shown: str, old: Catalog) -> bool:
    """Without a base: True when every paragraph of zh/PATH.md is the Chinese of an old pair (or,
    untranslated, its English) — what a render of the old pairs shows, so nothing was edited by
    hand, however the English changed since."""
    known = {normalize(part) for p in old.active if p.chinese for part in p.chinese.split(GROUP_SEPARATOR)}
    known |= {key for p in old.active if not p.chinese for key in p.keys}
    try:
        units = segment(zh_text, shown).translatable
    except WorkbenchError:
        return False
    return all(u.key in known for u in units)


def _match(book: Book, fs: FileSync, old: Catalog | None, words: Words | None) -> tuple[Document, SyncResult]:
    """Match one file's English to its old pairs, hand edits of its zh/PATH.md merged first; with
    `words`, the mechanical edits settled."""
    doc = book.document(fs.rel)
    result = carry_over(doc, old, source=f"en/{fs.rel}")
    settled = settle(result, words) if words is not None else None
    if fs.zh_text is None or old is None or fs.zh_text == render(doc, result.catalog):
        return doc, result  # nothing to take back (or the render of a sync killed before its PO)
    # hand edits merge into the pairs as matched, before settling, which then sees the edited Chinese
    plain = carry_over(doc, old, source=f"en/{fs.rel}") if settled else result
    plain, fs.taken_back, fs.conflicts = _take_back_first(book, fs.rel, doc, old, fs.zh_text, plain)
    if not (fs.taken_back or fs.conflicts):
        return doc, result
    if words is not None:
        settle(plain, words)
    return doc, plain


def _words(book: Book) -> Words:
    """The English words settling knows: the dictionary's and those of the book's English (read on first use)."""
    return Words(lambda: (book.english(rel) or "" for rel in book.english_files()))


def _finish(fs: FileSync, doc: Document, result: SyncResult) -> None:
    """Render the synced pairs and note what would change and each unit's status."""
    fs.result = result  # each pair's `#:` line is already where its English now starts
    fs.catalog = catalog = result.catalog
    catalog.rendered = ""  # the legacy header is not written again: the base replaces it
    refuse_broken(catalog.active, f"zh/{fs.rel.removesuffix('.md')}.po", fs.po_text, lambda: store.dump(catalog))
    fs.base = render_base(doc, result.catalog)
    fs.markdown = fs.base.text
    # the PO text as it stands: only its date would differ when nothing else does
    fs.changed = fs.markdown != fs.zh_text or po_changed(store.dump(fs.catalog), fs.po_text)
    fs.units = _records(doc, result)
    fs.counts = result.counts()
    fs.obsolete = fs.counts["obsolete"]


def _fresh(cache: dict[str, Any]) -> bool:
    """True when the cache was written by this code (else it is ignored)."""
    return cache.get("version") == CACHE_VERSION and cache.get("code") == _code_version()


def plan_sync(book: Book, rels: list[str], cache: dict[str, Any], settle: bool = True) -> SyncReport:
    """Read, parse and sync every file (rels: PATH.md relative to en/); no writes. With `settle`,
    mechanical English edits are settled (settle.py)."""
    fresh = _fresh(cache)
    cached_files = cache.get("files", {}) if fresh else {}
    files_: list[FileSync] = []
    todo: list[FileSync] = []
    for rel in rels:
        fs = _read(book, rel)
        hit = cached_files.get(rel)
        if hit and hit.get("hashes") == fs.hashes:
            files_.append(FileSync(rel, hit["units"], hit["obsolete"], hit["counts"], fs.hashes))
        else:
            files_.append(fs)
            todo.append(fs)
    out = SyncReport(files_)

    # a PO whose English is gone: a deleted file, or a renamed one whose new name has no PO yet
    orphans: dict[str, Catalog] = {}
    english = set(book.english_files())
    for rel in book.po_files():
        if rel not in english:
            orphans[rel] = store.parse(book.po_text(rel) or "", book.shown(book.po_path(rel)))

    catalogs: dict[str, Catalog] = {}
    for fs in todo:
        if fs.po_text is not None:
            catalogs[fs.rel] = store.parse(fs.po_text, book.shown(book.po_path(fs.rel)))
            catalogs[fs.rel].source = f"en/{fs.rel}"
    out.renames = _renames(book, [fs.rel for fs in todo if fs.po_text is None], orphans)

    results: dict[str, tuple[Document, SyncResult]] = {}
    words = _words(book) if settle else None
    for fs in todo:
        rel = fs.rel
        old = catalogs.get(rel)
        if rel in out.renames:
            fs.renamed_from = out.renames[rel]
            old = _adopt(book, out.renames[rel], orphans[out.renames[rel]], rel)
        elif fs.zh_text is not None and fs.po_text is None:
            raise WorkbenchError(
                f"has no zh/{rel.removesuffix('.md')}.po, so its Chinese is not in the store: import it "
                "(workbench import) or move it away, then sync", book.shown(book.zh_path(rel)))
        results[rel] = _match(book, fs, old, words)

    # new units get the best translation-memory match of the whole book (pairs as before the sync)
    if any(r.how == Carried.NEW for _, res in results.values() for r in res.units):
        memory = Memory.from_catalogs(
            [(c.source, c.pairs) for c in _all_catalogs(book, english, catalogs, orphans)])
        for _, res in results.values():
            suggest(res, memory)

    by_rel = {fs.rel: fs for fs in files_}
    for rel, (doc, result) in results.items():
        _finish(by_rel[rel], doc, result)

    # orphans taken over now go, and so do those of a rename an earlier sync began but did not finish
    pending = cache.get("renamed", {}) if fresh else {}
    for rel, orphan in orphans.items():
        if rel in out.renames.values() or (
                rel in pending and book.has_catalog(pending[rel]) and _holds(book, pending[rel], orphan)):
            out.remove.append(rel)
        else:
            out.gone.append(rel)
    return out


def _holds(book: Book, rel: str, orphan: Catalog) -> bool:
    """True when the PO of `rel` holds every translation of the orphan (safe to remove the orphan)."""
    have = {p.chinese for p in book.catalog(rel).pairs}
    return all(p.chinese in have for p in orphan.pairs if p.chinese)


def _renames(book: Book, newcomers: list[str], orphans: dict[str, Catalog]) -> dict[str, str]:
    """New English files (no PO) that are vanished ones renamed: most of their English is in the orphan's pairs."""
    out: dict[str, str] = {}
    if not newcomers or not orphans:
        return out
    english = {rel: {k for p in c.pairs for k in p.keys} for rel, c in orphans.items()}
    scored = []
    for rel in newcomers:
        keys = {u.key for u in book.document(rel).translatable}
        for old, have in english.items():
            if keys:
                share = len(keys & have) / len(keys)
                if share >= 0.5:
                    scored.append((-share, rel, old))
    for _, rel, old in sorted(scored):
        if rel not in out and old not in out.values():
            out[rel] = old
    return out


def _adopt(book: Book, old_rel: str, catalog: Catalog, rel: str) -> Catalog:
    """The pairs of a renamed file's old name, hand edits of its old zh/*.md taken back first."""
    zh_text = book.chinese(old_rel)
    if zh_text is not None:
        # its English is gone: merged against the old name's base alone (a conflict stays noted)
        merge(zh_text, book.shown(book.zh_path(old_rel)), None, catalog, book.base(old_rel))
    catalog.source = f"en/{rel}"
    catalog.rendered = ""
    return catalog


def _all_catalogs(book: Book, english: set[str], parsed: dict[str, Catalog], orphans: dict[str, Catalog]) -> list[Catalog]:
    """Every catalog of the book as it is on disk (for the translation memory)."""
    out = list(parsed.values()) + list(orphans.values())
    for rel in sorted(english):
        if rel not in parsed and book.has_catalog(rel):
            out.append(book.catalog(rel))
    return out


# ---------------------------------------------------------------------------------------------
# Writing


def apply_sync(book: Book, report: SyncReport) -> None:
    """Write every changed file (Markdown first, then the PO), remove taken-over orphans, remember the result.

    Call under `book.lock()`, with a report `plan_sync` made under the same lock.
    """
    writes: list[tuple[Path, str]] = []
    for fs in report.files:
        if fs.catalog is None or fs.markdown is None or not fs.changed:
            continue
        # as book.save plans, but the Markdown first (see the module's docstring) and the hand
        # edits already taken back into the old pairs, where they were made
        if fs.markdown != fs.zh_text:
            writes.append((book.zh_path(fs.rel), fs.markdown))
        po_text = store.dump_revised(fs.catalog, fs.po_text)  # the date moves only with what the PO says
        if po_changed(po_text, fs.po_text):
            writes.append((book.po_path(fs.rel), po_text))
        elif fs.po_text is not None:
            po_text = fs.po_text  # as on disk (perhaps with the legacy header): what the cache compares
        if fs.base is not None:
            writes += book.base_writes(fs.rel, fs.base)
        fs.hashes = {"en": fs.hashes["en"], "po": _sha(po_text), "zh": _sha(fs.markdown)}
    # every target is checked before the first write (a read-only PO, a folder that is a file, a
    # path out of the book): a refused sync leaves every file as it was
    folders: set[Path] = set()
    for path, _ in writes:
        book.check_target(path, folders)
    if report.renames:
        # a journal: a sync killed after writing the new name still removes the old one next time
        _save_cache(book, [], renamed={old: new for new, old in report.renames.items()})
    book.write_all(writes)  # the one write path of the book (Book.apply's), in this order
    for rel in report.remove:
        book.remove_chinese(rel)
    _save_cache(book, report.files, renamed={})
    report.written = True


def remember(book: Book, files: list[str] | None = None, written: dict[str, Catalog] | None = None) -> int:
    """Note in the sync cache the files a sync would leave as they are, so the next sync skips them.

    For a writer that has just left files in step (the import). Call under `book.lock()`.
    Returns how many files were noted; the others are simply synced in full next time.
    `written`: the catalogs the writer just saved, by PATH.md, so their PO files are not parsed
    again; a file whose PO on disk says anything else is still found out (and not noted).
    """
    rels = [book.rel(f) for f in files] if files else book.english_files()
    # each file on its own (in worker processes where there are cores to share: parallel.py)
    in_step = [fs for fs in map_in_order(_in_step, (book, written or {}), rels) if fs is not None]
    _save_cache(book, in_step)
    return len(in_step)


def _in_step(job: tuple[Book, dict[str, Catalog]], rel: str) -> FileSync | None:
    """The cache's record of a file a sync would leave as it is (what _save_cache keeps), or None."""
    book, written = job
    try:
        fs = _read(book, rel)
        if fs.po_text is None:
            return None  # nothing stored: a sync has work to do here
        old = written.get(rel) or store.parse(fs.po_text, book.shown(book.po_path(rel)))
        old.source = f"en/{rel}"
        # no settling: a file with edited English changes either way, and is not noted
        doc, result = _match(book, fs, old, None)
        if fs.taken_back or fs.conflicts or any(r.how == Carried.NEW for r in result.units):
            return None  # a sync changes this file (a new unit's suggestion comes from the whole book)
        _finish(fs, doc, result)
    except WorkbenchError:
        return None  # only a cache: the next sync reports the problem, with nothing written
    if fs.changed:
        return None
    return FileSync(rel, fs.units, fs.obsolete, fs.counts, fs.hashes)


@functools.cache
def _code_version() -> str:
    """A hash of the code a sync result depends on: a changed segmenter or matcher invalidates the cache."""
    from . import carry_over as carry_over_module
    from . import markdown, progress
    from . import render as render_module
    from . import settle as settle_module

    # this module too: the records and counts are made here
    return files.code_version(markdown, store, render_module, carry_over_module, settle_module, progress,
                              sys.modules[__name__])


def load_cache(book: Book) -> dict[str, Any]:
    """The sync cache as the last sync (or import) left it; empty when there is none or it is damaged."""
    return _as_cache(book.state(CACHE))


def _as_cache(text: str | None) -> dict[str, Any]:
    """The cache's JSON when it has the cache's shape; else empty (everything is synced from scratch).

    Valid JSON of another shape (null, [], "x", a file record that is not one) counts as damaged.
    """
    try:
        cache = json.loads(text or "")
    except ValueError:
        return {}  # no cache, or a damaged one
    if not isinstance(cache, dict):
        return {}
    records = cache.get("files", {})
    renamed = cache.get("renamed", {})
    if not isinstance(records, dict) or not isinstance(renamed, dict):
        return {}
    for hit in records.values():
        if not (isinstance(hit, dict) and isinstance(hit.get("hashes"), dict) and isinstance(hit.get("units"), list)
                and isinstance(hit.get("obsolete"), int) and isinstance(hit.get("counts"), dict)):
            return {}
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in renamed.items()):
        return {}
    return cache


def _save_cache(book: Book, plans: list[FileSync], renamed: dict[str, str] | None = None) -> None:
    """Remember each file's hashes and result; written only when it changed (a no-op sync writes nothing).

    `renamed` is the rename journal to keep (None: keep the one there is).
    """
    old_text = book.state(CACHE) or ""
    cache = _as_cache(old_text)
    fresh = _fresh(cache)
    if renamed is None:
        renamed = cache.get("renamed", {}) if fresh else {}
    english = set(book.english_files())
    known = {rel: v for rel, v in (cache.get("files", {}) if fresh else {}).items() if rel in english}
    for fs in plans:
        known[fs.rel] = {"hashes": fs.hashes, "units": fs.units, "obsolete": fs.obsolete, "counts": fs.counts}
    text = json.dumps({"version": CACHE_VERSION, "code": _code_version(), "files": known, "renamed": renamed},
                      ensure_ascii=False, separators=(",", ":"))
    if text != old_text:
        book.write_state(CACHE, text)
