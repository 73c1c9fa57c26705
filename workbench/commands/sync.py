"""`workbench sync`: bring zh/*.po and zh/*.md in step after the English in en/ changed.

Everything is read, parsed and matched before the first write, so bad input (a malformed PO,
a hand edit that cannot be taken back) stops the sync with nothing written. Then, per file,
zh/PATH.md is written before zh/PATH.po: if the sync is killed in between, the next run sees
that the Markdown is exactly the render of the synced pairs (not a hand edit) and completes
the PO. Files whose English, PO and Markdown are as the last sync left them are not even
segmented: their result is remembered in .workbench/sync-cache.json by content hash.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import files, store
from ..book import Book
from ..model import Document, Status, WorkbenchError
from ..render import TakenBack, edited_by_hand, fingerprint, render, take_back
from ..store import Catalog
from ..sync import SyncResult, suggest, sync
from ..tm import Memory
from .common import add_book, open_book

#: Where the sync remembers files it left in step (ignored by git, like every .workbench/ file).
CACHE = Path(".workbench") / "sync-cache.json"
#: Bumped when the cache's layout changes; the code that computes a result is part of its key too.
CACHE_VERSION = 1
# write_atomic's temporary files (`.NAME.po.XXXX.tmp`), left behind when a writer was killed
_TEMP = re.compile(r"^\..+\.(po|md)\.[^.]+\.tmp$")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sync",
        help="match changed English to the stored pairs: carried, stale, new, obsolete; re-render zh/",
        description="Match the English in en/ to the pairs in zh/*.po: unchanged English keeps its "
        "translation, edited English keeps it marked stale (fuzzy, previous English kept), new English "
        "comes in untranslated with a translation-memory suggestion, deleted English is kept obsolete.",
    )
    add_book(p)
    p.add_argument("files", nargs="*", metavar="FILE", help="only these English files")
    p.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 when any unit would be stale or untranslated (for CI)")
    p.add_argument("--json", action="store_true", help="one record per translatable unit")
    p.set_defaults(run=run)


# ---------------------------------------------------------------------------------------------
# The plan: everything read and decided before anything is written


@dataclass(slots=True)
class FilePlan:
    """What the sync does to one English file."""

    rel: str
    """PATH.md relative to en/."""
    units: list[dict[str, Any]]
    """One record per translatable unit: lines, status, previous."""
    obsolete: int
    """Obsolete pairs kept in the PO after the sync."""
    counts: dict[str, int]
    """current / stale / untranslated / new / obsolete."""
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
    renamed_from: str | None = None
    """PATH.md of a vanished English file whose pairs this file took over."""
    result: SyncResult | None = None
    """What the matcher did, unit by unit (None: the file is as the last sync left it)."""
    changed: bool = False
    """True when zh/PATH.po or zh/PATH.md is (or would be) written."""


def _sha(text: str | None) -> str:
    return "" if text is None else hashlib.sha1(text.encode("utf-8")).hexdigest()


def _read(path: Path, shown: str) -> str | None:
    return files.read_text(path, shown) if path.is_file() else None


def _records(doc: Document, result: SyncResult) -> list[dict[str, Any]]:
    out = []
    for r in result.units:
        unit = doc.units[r.unit]
        rec: dict[str, Any] = {"lines": [unit.start, unit.end], "status": r.status.value}
        if r.status is Status.STALE:
            rec["previous"] = r.pair.previous
        out.append(rec)
    return out


def _take_back_first(
    book: Book, rel: str, doc: Document, old: Catalog | None, zh_text: str | None, result: SyncResult
) -> tuple[SyncResult, list[TakenBack]]:
    """Hand edits of zh/PATH.md go into the pairs before the sync decides anything.

    The Markdown on disk may also be the new render of a sync killed before it wrote the PO:
    it then equals the render of the synced pairs and there is nothing to take back.
    """
    if zh_text is None or old is None:
        return result, []
    if not edited_by_hand(zh_text, old) and old.rendered:
        return result, []
    if zh_text == render(doc, result.catalog):
        return result, []
    shown = book.shown(book.zh_path(rel))
    try:
        # the edit was made on the render of the old pairs: take it back there, then sync again
        taken = take_back(zh_text, old, shown)
        return sync(doc, old, source=f"en/{rel}"), taken
    except WorkbenchError as first:
        # or on the render of the synced pairs (a sync killed between the Markdown and the PO)
        try:
            taken = take_back(zh_text, result.catalog, shown)
        except WorkbenchError:
            raise first from None
        return result, taken


@dataclass(slots=True)
class Plan:
    """The whole sync, decided before anything is written."""

    files: list[FilePlan]
    """One plan per English file synced."""
    renames: dict[str, str] = field(default_factory=dict)
    """New PATH.md -> the vanished PATH.md whose pairs it takes over."""
    remove: list[str] = field(default_factory=list)
    """Vanished PATH.md whose zh/*.po and zh/*.md go (their pairs live on under the new name)."""
    gone: list[str] = field(default_factory=list)
    """Vanished PATH.md whose zh/*.po is kept as it is (English deleted, nothing took it over)."""


def remembered(book: Book, rel: str, cache: dict[str, Any]) -> dict[str, Any] | None:
    """The last sync's result for a file when en/, zh/*.po and zh/*.md are as it left them, else None."""
    if cache.get("version") != CACHE_VERSION or cache.get("code") != _code_version():
        return None
    hit = cache.get("files", {}).get(rel)
    if not hit:
        return None
    po_text = _read(book.po_path(rel), book.shown(book.po_path(rel)))
    zh_text = _read(book.zh_path(rel), book.shown(book.zh_path(rel)))
    hashes = {"en": _sha(book.english(rel)), "po": _sha(po_text), "zh": _sha(zh_text)}
    return hit if hit.get("hashes") == hashes else None


def plan(book: Book, rels: list[str], cache: dict[str, Any]) -> Plan:
    """Read, parse and sync every file; no writes."""
    fresh = cache.get("version") == CACHE_VERSION and cache.get("code") == _code_version()
    cached_files = cache.get("files", {}) if fresh else {}
    files_: list[FilePlan] = []
    todo: list[tuple[str, str | None, str | None]] = []
    for rel in rels:
        en = book.english(rel)
        po_text = _read(book.po_path(rel), book.shown(book.po_path(rel)))
        zh_text = _read(book.zh_path(rel), book.shown(book.zh_path(rel)))
        hashes = {"en": _sha(en), "po": _sha(po_text), "zh": _sha(zh_text)}
        hit = cached_files.get(rel)
        if hit and hit.get("hashes") == hashes:
            files_.append(FilePlan(rel, hit["units"], hit["obsolete"], hit["counts"], hashes))
        else:
            files_.append(FilePlan(rel, [], 0, {}, hashes, zh_text=zh_text, po_text=po_text))
            todo.append((rel, po_text, zh_text))
    out = Plan(files_)
    by_rel = {fp.rel: fp for fp in files_}

    # a PO whose English is gone: a deleted file, or a renamed one whose new name has no PO yet
    orphans: dict[str, Catalog] = {}
    zh_root = book.root / "zh"
    english = set(book.english_files())
    if zh_root.is_dir():
        for path in sorted(zh_root.rglob("*.po")):
            rel = path.relative_to(zh_root).as_posix().removesuffix(".po") + ".md"
            if rel not in english:
                orphans[rel] = store.parse(files.read_text(path, book.shown(path)), book.shown(path))

    catalogs: dict[str, Catalog] = {}
    for rel, po_text, _zh in todo:
        if po_text is not None:
            catalogs[rel] = store.parse(po_text, book.shown(book.po_path(rel)))
            catalogs[rel].source = f"en/{rel}"
    out.renames = _renames(book, [rel for rel, po, _ in todo if po is None], orphans)

    results: dict[str, tuple[Document, SyncResult]] = {}
    for rel, po_text, zh_text in todo:
        doc = book.document(rel)
        fp = by_rel[rel]
        old = catalogs.get(rel)
        if rel in out.renames:
            fp.renamed_from = out.renames[rel]
            old = _adopt(book, out.renames[rel], orphans[out.renames[rel]], rel)
        elif zh_text is not None and po_text is None:
            raise WorkbenchError(
                f"has no zh/{rel.removesuffix('.md')}.po, so its Chinese is not in the store: import it "
                "(workbench import) or move it away, then sync", book.shown(book.zh_path(rel)))
        result = sync(doc, old, source=f"en/{rel}")
        result, fp.taken_back = _take_back_first(book, rel, doc, old, zh_text, result)
        results[rel] = (doc, result)

    # new units get the best translation-memory match of the whole book (pairs as before the sync)
    if any(r.how == "new" for _, res in results.values() for r in res.units):
        memory = Memory.from_catalogs(
            [(c.source, c.pairs) for c in _all_catalogs(book, english, catalogs, orphans)])
        for _, res in results.values():
            suggest(res, memory)

    for rel, (doc, result) in results.items():
        fp = by_rel[rel]
        fp.result = result  # each pair's `#:` line is already where its English now starts
        fp.catalog = result.catalog
        fp.markdown = render(doc, result.catalog)
        fp.catalog.rendered = fingerprint(fp.markdown)
        # the PO text as it stands: only its date would differ when nothing else does
        fp.changed = fp.markdown != fp.zh_text or store.dump(fp.catalog) != fp.po_text
        fp.units = _records(doc, result)
        fp.counts = result.counts()
        fp.obsolete = fp.counts["obsolete"]

    # orphans taken over now go, and so do those of a rename an earlier sync began but did not finish
    pending = cache.get("renamed", {}) if fresh else {}
    for rel in orphans:
        if rel in out.renames.values():
            out.remove.append(rel)
        elif rel in pending and book.has_catalog(pending[rel]) and _holds(book, pending[rel], orphans[rel]):
            out.remove.append(rel)
        else:
            out.gone.append(rel)
    return out


def _holds(book: Book, rel: str, orphan: Catalog) -> bool:
    """True when the PO of `rel` holds every translation of the orphan (safe to remove the orphan)."""
    path = book.po_path(rel)
    catalog = store.parse(files.read_text(path, book.shown(path)), book.shown(path))
    have = {p.chinese for p in catalog.pairs}
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
    zh_text = _read(book.zh_path(old_rel), book.shown(book.zh_path(old_rel)))
    if zh_text is not None and edited_by_hand(zh_text, catalog):
        take_back(zh_text, catalog, book.shown(book.zh_path(old_rel)))
    catalog.source = f"en/{rel}"
    catalog.rendered = ""
    return catalog


def _all_catalogs(book: Book, english: set[str], parsed: dict[str, Catalog], orphans: dict[str, Catalog]) -> list[Catalog]:
    """Every catalog of the book as it is on disk (for the translation memory)."""
    out = list(parsed.values()) + list(orphans.values())
    for rel in sorted(english):
        if rel not in parsed and book.has_catalog(rel):
            path = book.po_path(rel)
            catalog = store.parse(files.read_text(path, book.shown(path)), book.shown(path))
            catalog.source = f"en/{rel}"
            out.append(catalog)
    return out


# ---------------------------------------------------------------------------------------------
# Writing


def write(book: Book, sync_plan: Plan) -> None:
    """Write every changed file (Markdown first, then the PO), remove taken-over orphans, remember the result."""
    if sync_plan.renames:
        # a journal: a sync killed after writing the new name still removes the old one next time
        _save_cache(book, [], renamed={old: new for new, old in sync_plan.renames.items()})
    for fp in sync_plan.files:
        if fp.catalog is None or fp.markdown is None or not fp.changed:
            continue
        # as book.save does, but the Markdown first (see the module's docstring) and the hand
        # edits already taken back into the old pairs, where they were made
        if fp.markdown != fp.zh_text:
            files.write_atomic(book.zh_path(fp.rel), fp.markdown)
        po_text = store.dump(fp.catalog)
        if po_text != fp.po_text:
            fp.catalog.revised = time.strftime("%Y-%m-%d %H:%M%z")
            po_text = store.dump(fp.catalog)
            files.write_atomic(book.po_path(fp.rel), po_text)
        fp.hashes = {"en": fp.hashes["en"], "po": _sha(po_text), "zh": _sha(fp.markdown)}
    for rel in sync_plan.remove:
        # the PO last: while it is there, a rerun can still finish the job
        for path in (book.zh_path(rel), book.po_path(rel)):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    _save_cache(book, sync_plan.files, renamed={})


def _clean_temp(book: Book) -> int:
    """Remove the temporary files of writers that were killed (we hold the lock: none is writing)."""
    n = 0
    zh = book.root / "zh"
    if zh.is_dir():
        for path in zh.rglob(".*.tmp"):
            if _TEMP.match(path.name):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    n += 1
    return n


@functools.cache
def _code_version() -> str:
    """A hash of the code a sync result depends on: a changed segmenter or matcher invalidates the cache."""
    from .. import markdown, render as render_module, sync as sync_module

    h = hashlib.sha1()
    for module in (markdown, store, render_module, sync_module):
        h.update(Path(module.__file__ or "").read_bytes())
    return h.hexdigest()[:16]


def load_cache(book: Book) -> dict[str, Any]:
    try:
        return json.loads((book.root / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no cache, or a damaged one: everything is synced from scratch


def _save_cache(book: Book, plans: list[FilePlan], renamed: dict[str, str]) -> None:
    """Remember each file's hashes and result; written only when it changed (a no-op sync writes nothing)."""
    path = book.root / CACHE
    try:
        old_text = path.read_text(encoding="utf-8")
        cache = json.loads(old_text)
    except (OSError, ValueError):
        old_text, cache = "", {}
    fresh = cache.get("version") == CACHE_VERSION and cache.get("code") == _code_version()
    english = set(book.english_files())
    known = {rel: v for rel, v in (cache.get("files", {}) if fresh else {}).items() if rel in english}
    for fp in plans:
        known[fp.rel] = {"hashes": fp.hashes, "units": fp.units, "obsolete": fp.obsolete, "counts": fp.counts}
    text = json.dumps({"version": CACHE_VERSION, "code": _code_version(), "files": known, "renamed": renamed},
                      ensure_ascii=False, separators=(",", ":"))
    if text != old_text:
        files.write_atomic(path, text)


# ---------------------------------------------------------------------------------------------
# The command


def run(args: argparse.Namespace) -> int:
    book = open_book(args)
    rels = [book.rel(f) for f in args.files] or book.english_files()
    dry = args.dry_run or args.check
    if dry:
        sync_plan = plan(book, rels, load_cache(book))
    else:
        with book.lock("sync"):
            _clean_temp(book)
            sync_plan = plan(book, rels, load_cache(book))
            write(book, sync_plan)
    plans = sync_plan.files
    if args.json:
        # one unit a line: readable, and json's C encoder (indent= would fall back to Python's)
        units = [json.dumps({"file": f"en/{fp.rel}", **u}, ensure_ascii=False) for fp in plans for u in fp.units]
        sys.stdout.write('{"units": [\n' + ",\n".join(units) + f'\n], "obsolete": {sum(fp.obsolete for fp in plans)}}}\n')
    else:
        _summary(sync_plan, dry)
    if args.check and any(fp.counts.get("stale", 0) or fp.counts.get("untranslated", 0) for fp in plans):
        return 1
    return 0


def _summary(sync_plan: Plan, dry: bool) -> None:
    plans = sync_plan.files
    shown = [fp for fp in plans if fp.changed or fp.taken_back]
    width = max([len(f"en/{fp.rel}") for fp in shown] + [5])
    cols = ("current", "stale", "new", "untranslated", "obsolete")
    total = dict.fromkeys(cols, 0)
    for fp in plans:
        for c in cols:
            total[c] += fp.counts.get(c, 0)
    print(f"{'file':<{width}}  {'current':>7} {'stale':>6} {'new':>5} {'todo':>5} {'obsolete':>8}")
    for fp in shown:
        c = fp.counts
        note = f"  (renamed from en/{fp.renamed_from})" if fp.renamed_from else ""
        print(f"{'en/' + fp.rel:<{width}}  {c['current']:>7} {c['stale']:>6} {c['new']:>5} {c['untranslated']:>5}"
              f" {c['obsolete']:>8}{note}")
        for t in fp.taken_back:
            print(f"  zh/{fp.rel}:{t.line}: hand edit taken back into the PO")
    print(f"{'total':<{width}}  {total['current']:>7} {total['stale']:>6} {total['new']:>5} {total['untranslated']:>5}"
          f" {total['obsolete']:>8}")
    verb = "would change" if dry else "changed"
    print(f"{len(shown)} of {len(plans)} files {verb}")
    for rel in sync_plan.remove:
        stem = rel.removesuffix(".md")
        print(f"{'would remove' if dry else 'removed'} zh/{stem}.po and zh/{rel}: the pairs moved with the renamed English")
    for rel in sync_plan.gone:
        stem = rel.removesuffix(".md")
        print(f"en/{rel} is gone: zh/{stem}.po kept with its translations (delete it by hand when no longer wanted)")
