"""The pair store: a PO file per English file (zh/PATH.po), read and written with polib.

PO is what translators' tools already open (Poedit, Weblate, OmegaT, Lokalize) and it has the
right notions built in: `fuzzy` + `#| msgid` for a stale pair, `#~` for obsolete ones, msgctxt
for duplicates, `#:` for the English line. Lines are never wrapped, so saving twice changes nothing.

This module converts text <-> pairs and matches pairs to the units of a segmented document; it
does not touch files (book.py does).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import polib

from .model import GROUP_SEPARATOR, Document, Pair, Status, WorkbenchError

HEADER_SOURCE = "X-Workbench-Source"
HEADER_RENDERED = "X-Workbench-Rendered"
_KIND = re.compile(r"^kind: (\w+)$", re.M)
_ORIGIN = re.compile(r"^from: (.+)$", re.M)
_REVIEWED = re.compile(r"^reviewed: (\w+)$", re.M)  # review state: see workbench/review.py
_STRING = r'"(?:[^"\\]|\\.)*"[ \t]*'
# What a PO line may be: a comment, a keyword with one quoted string, a continued string, blank.
_PO_LINE = re.compile(
    rf'^(?:(?:#~\|? ?|#\| ?)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?{_STRING}|#(?![~|]).*|[ \t]*)$'
)


@dataclass(slots=True)
class Catalog:
    """The pairs of one English file, in the order of the English, obsolete ones last."""

    source: str
    """The English file, relative to the book (en/PATH.md)."""
    pairs: list[Pair] = field(default_factory=list)
    """Active and obsolete pairs."""
    rendered: str = ""
    """Hash of zh/PATH.md as last rendered: a different file on disk was edited by hand."""
    revised: str = ""
    """PO-Revision-Date: when the pairs last changed (kept as is when nothing changed)."""

    @property
    def active(self) -> list[Pair]:
        """Pairs whose English is in the current file."""
        return [p for p in self.pairs if not p.obsolete]

    @property
    def obsolete(self) -> list[Pair]:
        """Pairs whose English is gone, kept with their translations."""
        return [p for p in self.pairs if p.obsolete]


def parse(text: str, path: str = "<po>") -> Catalog:
    """Read a PO file's text; a syntax error names the file and line."""
    for n, line in enumerate(text.splitlines(), 1):
        if not _PO_LINE.match(line):
            raise WorkbenchError(f"PO syntax error: unexpected {line[:40]!r}; fix or restore the file", path, n)
    try:
        po = polib.pofile(text, wrapwidth=0, check_for_duplicates=False)
    except (OSError, ValueError) as e:
        m = re.search(r"line (\d+)", str(e))
        raise WorkbenchError(
            f"PO syntax error: {str(e).split(' (line')[0]}; fix or restore the file",
            path,
            int(m.group(1)) if m else None,
        ) from None
    catalog = Catalog(
        source=po.metadata.get(HEADER_SOURCE, ""),
        rendered=po.metadata.get(HEADER_RENDERED, ""),
        revised=po.metadata.get("PO-Revision-Date", ""),
    )
    for e in po:  # polib yields obsolete entries too, flagged
        catalog.pairs.append(_pair(e, obsolete=e.obsolete))
    return catalog


def _pair(e: polib.POEntry, obsolete: bool) -> Pair:
    kind = _KIND.search(e.comment or "")
    origin = _ORIGIN.search(e.comment or "")
    reviewed = _REVIEWED.search(e.comment or "")
    line = 0
    if e.occurrences:
        try:
            line = int(e.occurrences[0][1])
        except ValueError:
            line = 0
    return Pair(
        english=e.msgid,
        chinese=e.msgstr,
        kind=kind.group(1) if kind else "paragraph",
        line=line,
        stale="fuzzy" in e.flags,
        previous=e.previous_msgid or "",
        context=e.msgctxt or "",
        obsolete=obsolete,
        notes=e.tcomment.split("\n") if e.tcomment else [],
        origin=origin.group(1) if origin else "",
        review=reviewed.group(1) if reviewed else "",
    )


def dump(catalog: Catalog) -> str:
    """The PO text of a catalog; parse(dump(c)) == c and dump(parse(t)) == t for t written here."""
    po = polib.POFile(wrapwidth=0)
    po.header = f"Chinese translation of {catalog.source}, kept by workbench. Edit with any PO editor."
    po.metadata = {
        "Project-Id-Version": "workbench",
        "PO-Revision-Date": catalog.revised or "1970-01-01 00:00+0000",
        "Last-Translator": "workbench translators",
        "Language-Team": "Chinese",
        "Language": "zh_CN",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        HEADER_SOURCE: catalog.source,
    }
    if catalog.rendered:
        po.metadata[HEADER_RENDERED] = catalog.rendered
    blocks: list[str] = []
    for p in catalog.active + catalog.obsolete:
        comment = (f"kind: {p.kind}" + (f"\nfrom: {p.origin}" if p.origin else "")
                   + (f"\nreviewed: {p.review}" if p.reviewed else ""))
        entry = polib.POEntry(
            msgid=p.english,
            msgstr=p.chinese,
            msgctxt=p.context or None,
            comment=comment,
            # PO comments lose trailing blanks on reading: trimmed here, a save after a load is identical
            tcomment="\n".join(line.rstrip() for note in p.notes for line in note.split("\n")),
            occurrences=[(catalog.source, str(p.line))] if p.line and not p.obsolete else [],
            flags=["fuzzy"] if p.stale and p.chinese else [],
            previous_msgid=p.previous if p.stale and p.previous and p.chinese else None,
            obsolete=p.obsolete,
        )
        if not p.obsolete:
            po.append(entry)
            continue
        # polib writes an obsolete entry without its #. comments; gettext keeps them, and the
        # kind in them is what stops a revived translation from crossing kinds
        block = entry.__unicode__(wrapwidth=0)
        at = block.index("#~")
        blocks.append(block[:at] + "".join(f"#. {line}\n" for line in comment.split("\n")) + block[at:])
    return "\n".join([str(po), *blocks]) + "\n"


# ---------------------------------------------------------------------------------------------
# Pairs <-> units


@dataclass(slots=True)
class Match:
    """Which pair a translatable unit belongs to."""

    unit: int
    """Index of the unit in Document.units."""
    pair: Pair | None
    """The pair, or None when the store has no entry for this English (sync needed)."""
    head: bool = True
    """True for the first unit a pair covers; the other units of a multi-unit pair render empty."""


def contexts(pairs: list[Pair]) -> None:
    """Give the second and later occurrences of the same English in a file a msgctxt ("2", "3", ...)."""
    seen: Counter[str] = Counter()
    for p in pairs:
        if p.obsolete:
            continue
        seen[p.english] += 1
        p.context = "" if seen[p.english] == 1 else str(seen[p.english])


def match(doc: Document, catalog: Catalog) -> list[Match]:
    """Pair every translatable unit of the document with the stored pair that covers it.

    A pair covering several units matches where its keys equal the keys of consecutive
    translatable units; duplicates are told apart by their msgctxt occurrence number.
    """
    by_first: dict[str, list[Pair]] = defaultdict(list)
    for p in catalog.active:
        by_first[p.keys[0]].append(p)
    for cands in by_first.values():
        cands.sort(key=lambda p: -len(p.keys))
    units = [i for i, u in enumerate(doc.units) if u.translatable]
    keys = [doc.units[i].key for i in units]
    seen: Counter[str] = Counter()
    out: list[Match] = []
    k = 0
    while k < len(units):
        found = None
        for p in by_first.get(keys[k], ()):
            n = len(p.keys)
            if keys[k : k + n] != p.keys:
                continue
            english = GROUP_SEPARATOR.join(keys[k : k + n])
            want = seen[english] + 1
            if (p.context or "1") == (str(want) if want > 1 else "1"):
                found = p
                break
        if found is None:
            # no pair for this English yet: a lone unit, counted like any other occurrence
            seen[keys[k]] += 1
            out.append(Match(units[k], None))
            k += 1
            continue
        seen[found.english] += 1
        n = len(found.keys)
        out.append(Match(units[k], found, True))
        out.extend(Match(units[k + j], found, False) for j in range(1, n))
        k += n
    return out


def pairs_for(doc: Document, source: str) -> list[Pair]:
    """Fresh untranslated pairs, one per translatable unit of a document (a new file's store)."""
    pairs = [Pair(english=u.key, kind=u.kind, line=u.start) for u in doc.translatable]
    contexts(pairs)
    return pairs


def unit_status(m: Match) -> Status:
    """The status of a matched unit (no pair: untranslated)."""
    return m.pair.status if m.pair else Status.UNTRANSLATED


def translations(doc: Document, matches: list[Match]) -> dict[int, str | None]:
    """unit index -> text to render: the Chinese, None to keep the English, "" for a pair's tail."""
    out: dict[int, str | None] = {}
    for m in matches:
        if m.pair is None or not m.pair.chinese:
            out[m.unit] = None
        elif m.head:
            out[m.unit] = m.pair.chinese
        else:
            out[m.unit] = ""
    return out


def refresh_lines(doc: Document, catalog: Catalog) -> bool:
    """Point each pair's `#:` line at where its English now stands; True when any moved."""
    changed = False
    for m in match(doc, catalog):
        if m.pair and m.head and m.pair.line != doc.units[m.unit].start:
            m.pair.line = doc.units[m.unit].start
            changed = True
    return changed
