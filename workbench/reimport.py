"""Importing an edition again into a book that has translations: a merge, pair by pair.

What the previous import brought is kept in .workbench/import/PATH.json (the import's own
merge base). For each pair whose English the book and the edition share:

- the same Chinese on both sides (up to line breaks): the book's pair stays as it is, with its
  review mark, its accepted pairing, its notes;
- the book's Chinese is still what the previous import brought: the edition revised it, so the
  edition's Chinese comes in (updated);
- the book's Chinese was revised in the book (or there is no record of the previous import, so
  nothing proves it was not): the book's stays the live one and the edition's is reported and
  noted on the pair, unless `take_edition` (--replace) — then the edition's comes in and the book's is kept as an
  obsolete entry (store.keep_obsolete), never lost;
- the edition has no Chinese for it (a refused file, a passage the edition lacks): the book's stays.

Pairs of the book whose English the edition no longer has are kept obsolete, as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from .book import STATE, Book
from .model import Pair, normalize
from .store import Catalog

#: The folder under .workbench/ holding what each file's last import brought.
IMPORTED = "import"

#: Prefix of the note on a pair that kept the book's revision: the edition's Chinese.
EDITION_NOTE = "import: the Chinese edition has:"


@dataclass(slots=True)
class PairChange:
    """What a re-import does, or would do, to one pair whose Chinese differs."""

    rel: str
    line: int
    english: str
    book: str
    """The book's Chinese before the import."""
    edition: str
    """The Chinese the edition brings."""

    def as_dict(self) -> dict[str, object]:
        return {"file": f"en/{self.rel}", "line": self.line, "english": self.english, "book": self.book,
                "edition": self.edition}


@dataclass(slots=True)
class Merge:
    """A re-import's merge over the whole book."""

    kept: list[PairChange] = field(default_factory=list)
    """Revised in the book (or not known to be unrevised): the book's Chinese stays live."""
    updated: list[PairChange] = field(default_factory=list)
    """Unchanged in the book since the last import, changed in the edition: the edition's comes in."""
    replaced: list[PairChange] = field(default_factory=list)
    """Revised in the book, replaced by the edition's (`replace`); the book's kept obsolete."""
    filled: int = 0
    """Pairs untranslated in the book that the edition translates."""

    def as_dict(self) -> dict[str, object]:
        return {"kept": [c.as_dict() for c in self.kept], "updated": [c.as_dict() for c in self.updated],
                "replaced": [c.as_dict() for c in self.replaced], "filled": self.filled}

    def extend(self, other: Merge) -> None:
        """Add another file's merge to this one."""
        self.kept += other.kept
        self.updated += other.updated
        self.replaced += other.replaced
        self.filled += other.filled

    def __bool__(self) -> bool:
        return bool(self.kept or self.updated or self.replaced or self.filled)


def _key(p: Pair) -> str:
    return f"{p.context}\x04{p.english}"


def imported_path(book: Book, rel: str) -> Path:
    """Where the record of what the last import brought to PATH.md is kept."""
    return book.root / STATE / IMPORTED / f"{rel}.json"


def record(catalog: Catalog) -> str:
    """The record of what an import brings to a file: each pair's Chinese by msgctxt and msgid."""
    pairs = {_key(p): p.chinese for p in catalog.active if p.chinese}
    return json.dumps({"pairs": pairs}, ensure_ascii=False, sort_keys=True, indent=0) + "\n"


def _last_import(book: Book, rel: str) -> dict[str, str] | None:
    text = book.state(f"{IMPORTED}/{rel}.json")
    if text is None:
        return None
    try:
        pairs = json.loads(text)["pairs"]
    except (ValueError, KeyError, TypeError):
        return None  # only a record: without it the book's Chinese is taken as revised
    return pairs if isinstance(pairs, dict) else None


def merge_file(book: Book, rel: str, fresh: Catalog, old: Catalog, merge: Merge, take_edition: bool = False) -> None:
    """Merge the book's pairs of one file (`old`) into the import's (`fresh`), in place."""
    last = _last_import(book, rel)
    by_key = {_key(p): p for p in old.active}
    for i, p in enumerate(fresh.pairs):
        if p.obsolete:
            continue
        o = by_key.get(_key(p))
        if o is None or not o.chinese:
            merge.filled += bool(p.chinese and o is not None)
            continue
        if not p.chinese or normalize(o.chinese) == normalize(p.chinese):
            fresh.pairs[i] = _kept(o, p)  # as the book has it: review mark, notes, an accepted pairing
            continue
        change = PairChange(rel, p.line, p.english, o.chinese, p.chinese)
        if last is not None and normalize(last.get(_key(p), "")) == normalize(o.chinese):
            merge.updated.append(change)  # the book did not touch it; the edition revised it
        elif take_edition:
            merge.replaced.append(change)  # store.keep_obsolete keeps the book's as an obsolete entry
        else:
            merge.kept.append(change)
            kept = _kept(o, p)
            kept.notes = [n for n in kept.notes if not n.startswith(EDITION_NOTE)]
            kept.notes.append(f"{EDITION_NOTE} {p.chinese}")
            fresh.pairs[i] = kept


def _kept(old: Pair, fresh: Pair) -> Pair:
    """The book's pair where the import's English now stands (a copy: the old catalog keeps its own)."""
    return replace(old, line=fresh.line, kind=fresh.kind, notes=list(old.notes))
