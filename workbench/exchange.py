"""Pairs to and from CAT tools (OmegaT, Trados, memoQ): XLIFF 1.2 and TMX out, XLIFF, TMX or PO in.

The formats are read and written by translate-toolkit (translate.storage.xliff, .tmx, .pypo),
never by hand. What an export carries so that its units can come back:

- XLIFF: one <file original="en/PATH.md"> per English file; each pair a <trans-unit> whose
  source is the pair's English (the PO msgid) and whose id is `u` + a hash of the English,
  with `-N` for the msgctxt N that tells apart the same English twice in one file. A translated
  pair is approved (translate-toolkit and OmegaT read a non-approved target as fuzzy), a
  reviewed one `signed-off`, a stale one `needs-review-translation`.
- TMX: one <tu> per translated, not stale pair, with <prop type="x-file">en/PATH.md</prop>
  and translate-toolkit's own <prop type="x-context"> for the msgctxt.

Import matches each incoming unit to the book's pairs by English (and msgctxt where present),
in the file it names, or in every file when it names none. An untranslated pair is filled; a
pair whose Chinese differs from the incoming one is a conflict, reported and left as it is
unless `replace`; nothing is overwritten silently.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]  # translate-toolkit's XML layer
from translate.storage import pypo, tmx, xliff

from .book import Book
from .model import GROUP_SEPARATOR, Pair, WorkbenchError, normalize
from .store import Catalog

SOURCE_LANGUAGE = "en"
TARGET_LANGUAGE = "zh-CN"
FORMATS = ("xliff", "tmx")
_FILE_PROP = "x-file"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def unit_id(pair: Pair) -> str:
    """The XLIFF id of a pair: a hash of its English, `-N` for its msgctxt (unique in its file)."""
    digest = hashlib.sha1(pair.english.encode("utf-8")).hexdigest()[:12]
    return f"u{digest}" + (f"-{pair.context}" if pair.context else "")


def _context_of_id(uid: str) -> str:
    m = re.fullmatch(r"u[0-9a-f]{12}-(\w+)", uid)
    return m.group(1) if m else ""


def fold(english: str) -> str:
    """English as pairs are matched by: each paragraph's whitespace folded, paragraphs kept apart."""
    return GROUP_SEPARATOR.join(normalize(part) for part in _BLANK_LINE.split(english.strip()))


# ---------------------------------------------------------------------------------------------
# Export


def _pairs(book: Book, rels: list[str]) -> list[tuple[str, Pair]]:
    return [(rel, p) for rel in rels for p in book.catalog(rel).active]


def export_xliff(book: Book, rels: list[str]) -> bytes:
    """An XLIFF 1.2 document with every active pair of the files, untranslated ones included."""
    store: xliff.xlifffile = xliff.xlifffile(sourcelanguage=SOURCE_LANGUAGE, targetlanguage=TARGET_LANGUAGE)
    for rel, p in _pairs(book, rels):
        unit = store.addsourceunit(p.english, filename=f"en/{rel}", createifmissing=True)
        unit.setid(unit_id(p))
        unit.addnote(f"en/{rel}:{p.line} ({p.kind.replace('_', ' ')})", origin="developer")
        if p.chinese:
            unit.settarget(p.chinese, lang=TARGET_LANGUAGE)
            unit.set_state_n(unit.S_NEEDS_REVIEW if p.stale else unit.S_SIGNED_OFF if p.reviewed
                             else unit.S_TRANSLATED)
    store.removedefaultfile()
    return bytes(store)


def export_tmx(book: Book, rels: list[str]) -> bytes:
    """A TMX 1.4 memory of the translated, not stale pairs of the files."""
    store = tmx.tmxfile(sourcelanguage=SOURCE_LANGUAGE, targetlanguage=TARGET_LANGUAGE)
    for rel, p in _pairs(book, rels):
        if not p.chinese or p.stale:
            continue
        store.addtranslation(p.english, SOURCE_LANGUAGE, p.chinese, TARGET_LANGUAGE, context=p.context or None)
        unit = store.units[-1]
        prop = etree.Element(unit.namespaced("prop"), type=_FILE_PROP)
        prop.text = f"en/{rel}"
        unit.xmlelement.insert(0, prop)  # TMX: props before the tuvs
    return bytes(store)


def export(book: Book, rels: list[str], fmt: str) -> bytes:
    """The files' pairs as XLIFF or TMX."""
    if fmt not in FORMATS:
        raise WorkbenchError(f"no such format: {fmt}; export writes {' or '.join(FORMATS)}")
    return export_xliff(book, rels) if fmt == "xliff" else export_tmx(book, rels)


# ---------------------------------------------------------------------------------------------
# Import


@dataclass(slots=True)
class Incoming:
    """One translation from another tool."""

    english: str
    """The source text, matched to a pair's English."""
    chinese: str
    """The translation it brings ("" brings nothing)."""
    file: str = ""
    """en/PATH.md it names, or "" (then it is matched in every file)."""
    context: str = ""
    """msgctxt, when it has one."""
    fuzzy: bool = False
    """The other tool marks it unfinished: it comes in stale."""
    where: str = ""
    """Where it is in the incoming file, for messages (FILE:UNIT)."""


def read_incoming(path: Path) -> list[Incoming]:
    """The translations of an XLIFF, TMX or PO file (told by its contents, then its name)."""
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise WorkbenchError(f"cannot read: {e.strerror}", shown) from None
    head = data[:2000]
    try:
        if b"<xliff" in head:
            store = xliff.xlifffile.parsestring(data)
        elif b"<tmx" in head:
            store = tmx.tmxfile.parsestring(data)
        elif path.suffix.lower() in (".po", ".pot") or b"msgid" in head:
            store = pypo.pofile.parsestring(data)
        else:
            raise WorkbenchError("not an XLIFF, TMX or PO file (no <xliff, <tmx or msgid at its start)", shown)
    except WorkbenchError:
        raise
    except Exception as e:  # noqa: BLE001 - translate-toolkit raises many kinds on a broken file
        raise WorkbenchError(f"cannot read as XLIFF, TMX or PO: {e}; is it one?", shown) from None
    header_file = ""
    if isinstance(store, pypo.pofile):
        header_file = store.parseheader().get("X-Workbench-Source", "")
    out = []
    for n, unit in enumerate(store.units, 1):
        if unit.isheader() or not unit.source or unit.isobsolete():
            continue
        file, context = header_file, ""
        if isinstance(store, xliff.xlifffile):
            uid = unit.getid()
            file = uid.split("\x04")[0] if "\x04" in uid else ""
            context = _context_of_id(uid.split("\x04")[-1])
        elif isinstance(store, tmx.tmxfile):
            prop = unit.xmlelement.find(f"{unit.namespaced('prop')}[@type='{_FILE_PROP}']")
            file = prop.text or "" if prop is not None else ""
            context = unit.getcontext()
        else:  # PO: the msgctxt, and the English file from `#:` when the header does not name it
            context = unit.getcontext() or ""
            if not file:
                for loc in unit.getlocations():
                    file = loc.rsplit(":", 1)[0]
                    break
        out.append(Incoming(str(unit.source), str(unit.target or ""), file, context, _unfinished(store, unit),
                            f"{shown}:{n}"))
    return out


def _unfinished(store: object, unit: object) -> bool:
    """The other tool says the translation needs work. XLIFF only when it says so (approved="no",
    a needs-* state): OmegaT writes targets with neither, and translate-toolkit would call them fuzzy."""
    if isinstance(store, xliff.xlifffile):
        target = unit.getlanguageNode(lang=None, index=1)  # type: ignore[attr-defined]
        state = target.get("state", "") if target is not None else ""
        return unit.xmlelement.get("approved") == "no" or state.startswith("needs-")  # type: ignore[attr-defined]
    return bool(unit.isfuzzy())  # type: ignore[attr-defined]


@dataclass(slots=True)
class Change:
    """What an incoming translation does to one pair."""

    rel: str
    pair: Pair
    before: str
    after: str
    where: str

    def as_dict(self) -> dict[str, object]:
        return {"file": f"en/{self.rel}", "line": self.pair.line, "english": self.pair.english,
                "chinese": self.before, "incoming": self.after, "from": self.where}


@dataclass(slots=True)
class ImportPlan:
    """An import worked out in memory: the catalogs with the changes made, and what was found."""

    catalogs: dict[str, Catalog] = field(default_factory=dict)
    filled: list[Change] = field(default_factory=list)
    replaced: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    """Chinese in the book differing from the incoming one, left as it is."""
    unmatched: list[tuple[Incoming, str]] = field(default_factory=list)
    """Incoming translations with no pair, and why."""
    same: int = 0

    def changed(self) -> list[str]:
        """The files that get written."""
        return sorted({c.rel for c in self.filled + self.replaced})

    def as_dict(self) -> dict[str, object]:
        return {"filled": [c.as_dict() for c in self.filled], "replaced": [c.as_dict() for c in self.replaced],
                "conflicts": [c.as_dict() for c in self.conflicts], "same": self.same,
                "unmatched": [{"from": i.where, "file": i.file, "english": i.english, "chinese": i.chinese,
                               "why": why} for i, why in self.unmatched]}


def plan_import(book: Book, incoming: list[Incoming], replace: bool = False) -> ImportPlan:
    """Match incoming translations to the book's pairs and make the changes in memory."""
    plan = ImportPlan()
    rels = book.english_files()
    known = set(rels)
    index: dict[str, list[tuple[str, Pair]]] = defaultdict(list)  # folded English -> pairs
    for rel in rels:
        catalog = book.catalog(rel)
        plan.catalogs[rel] = catalog
        for p in catalog.active:
            index[fold(p.english)].append((rel, p))
    # every pair an incoming unit goes to, then what each pair receives
    wanted: dict[int, list[tuple[Incoming, str, Pair]]] = defaultdict(list)
    for inc in incoming:
        if not inc.chinese.strip():
            continue
        rel = inc.file.removeprefix("en/") if inc.file else ""
        if rel and rel not in known:
            plan.unmatched.append((inc, f"no English file {inc.file} in the book"))
            continue
        found = [(r, p) for r, p in index.get(fold(inc.english), ())
                 if (not rel or r == rel) and (not inc.context or (p.context or "1") == inc.context)]
        if rel and not inc.context:  # a unit naming its file but not the occurrence: the first one
            found = [(r, p) for r, p in found if not p.context] or found[:1]
        if not found:
            plan.unmatched.append((inc, "no pair has this English" + (f" in {inc.file}" if rel else "")))
            continue
        for r, p in found:
            wanted[id(p)].append((inc, r, p))
    for offers in wanted.values():
        _settle(plan, offers, replace)
    return plan


def _settle(plan: ImportPlan, offers: list[tuple[Incoming, str, Pair]], replace: bool) -> None:
    inc, rel, pair = offers[0]
    texts = {normalize(i.chinese) for i, _, _ in offers}
    if len(texts) > 1:
        # two incoming translations of one pair: neither is picked, both are reported
        for i, _, _ in offers:
            plan.conflicts.append(Change(rel, pair, pair.chinese, i.chinese, i.where))
        return
    change = Change(rel, pair, pair.chinese, inc.chinese, inc.where)
    if normalize(pair.chinese) == normalize(inc.chinese):
        plan.same += 1
        return
    if pair.chinese and not replace:
        plan.conflicts.append(change)
        return
    (plan.replaced if pair.chinese else plan.filled).append(change)
    pair.chinese = inc.chinese
    pair.pairing = ""  # the import's doubt was about the Chinese now replaced
    pair.stale = inc.fuzzy
    if not inc.fuzzy:
        pair.previous = ""


def apply_import(book: Book, plan: ImportPlan) -> None:
    """Write the changed files through Book.save_all (zh/*.md re-rendered; nothing written when
    one fails); call under `book.lock()`."""
    book.save_all({rel: plan.catalogs[rel] for rel in plan.changed()})
