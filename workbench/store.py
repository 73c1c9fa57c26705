"""The pair store: a PO file per English file (zh/PATH.po), read with polib, written in GNU layout.

PO is what translators' tools already open (Poedit, Weblate, OmegaT, Lokalize) and it has the
right notions built in: `fuzzy` + `#| msgid` for a stale pair, `#~` for obsolete ones, msgctxt
for duplicates, `#:` for the English line. Any wrapping is read; the file is written in gettext's
canonical layout (po_layout), so msgcat, and translate-toolkit reading and writing it, give it
back byte for byte, and saving twice changes nothing. What other tools put in the file (header fields, flags, comments,
references) is kept.

This module converts text <-> pairs and matches pairs to the units of a segmented document; it
does not touch files (book.py does).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import polib

from .model import CONFLICT, GROUP_SEPARATOR, Document, Pair, Status, WorkbenchError
from .po_layout import reference_lines, string_lines

#: Prefix of the note that records the translation-memory match for a new unit (not the translator's own).
SUGGESTION = "suggestion"
#: First words of the note `sync` leaves on a pair it settled: the kind of edit and what was done.
SETTLED_NOTE = "settled by sync"
#: First words of the translator comment that keeps a settled pair's previous English (Pair.previous),
#: as a JSON string on one line (a pair over several units has line breaks in its English). Not
#: `#| msgid`: gettext has the previous msgid for fuzzy entries only, and msgmerge drops it from an
#: entry that is not fuzzy (tried with GNU gettext's msgmerge: the `#|` line of a current entry is
#: gone, a translator comment is kept); msgcat and translate-toolkit keep translator comments as
#: they are, and PO editors show them to the reviewer.
SETTLED_FROM = "English before the settled edit:"
HEADER_SOURCE = "X-Workbench-Source"
HEADER_RENDERED = "X-Workbench-Rendered"
HEADER_REVISED = "PO-Revision-Date"
#: The header of a new PO file; an existing file's header is kept as it is, order included,
#: and only the fields the workbench owns (below) are set.
_NEW_HEADER = {
    "Project-Id-Version": "workbench",
    HEADER_REVISED: "",
    "Last-Translator": "workbench translators",
    "Language-Team": "Chinese",
    "Language": "zh_CN",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}
# the file is always written in UTF-8, so these say so whatever a file said before
_ENCODING = {"MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
_KIND = re.compile(r"^kind: (\w+)$")
_ORIGIN = re.compile(r"^from: (.+)$")
_REVIEWED = re.compile(r"^reviewed: (\w+)$")  # review state: see workbench/review.py
_PAIRING = re.compile(r"^pairing: (.+)$")  # an import's doubt: Pair.pairing
_SETTLED = re.compile(r"^settled: (.+)$")  # a mechanical English edit sync settled: Pair.settled
_LAYOUT = re.compile(r"^layout: (\{.*\})$")  # the Chinese edition's own layout: see workbench/layout.py
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
    """Legacy `X-Workbench-Rendered` header (hash of the last render), read but no longer written:
    the merge base now lives in .workbench/base/ (see merge.py)."""
    revised: str = ""
    """PO-Revision-Date: when the pairs last changed (kept as is when nothing changed)."""
    metadata: dict[str, str] = field(default_factory=dict)
    """The header fields as read, in file order (Last-Translator, Plural-Forms, X-Generator, ...);
    empty for a new file. On writing, the workbench's own fields are set from source and
    revised (the legacy render hash is dropped), and the encoding fields to UTF-8; every other field is written as it is."""
    header_comment: str = ""
    """The comment above the header ("" for the workbench's own)."""

    @property
    def active(self) -> list[Pair]:
        """Pairs whose English is in the current file."""
        return [p for p in self.pairs if not p.obsolete]

    @property
    def obsolete(self) -> list[Pair]:
        """Pairs whose English is gone, kept with their translations."""
        return [p for p in self.pairs if p.obsolete]


def own_notes(pair: Pair) -> list[str]:
    """The notes of a pair worth keeping: the translator's, not the machine's suggestions."""
    return [n for n in pair.notes if not n.startswith(SUGGESTION)]


def settle_pair(pair: Pair, kind: str, chinese: str, done: str) -> None:
    """Carry a stale pair over as current across a mechanical edit of its English (see settle.py):
    its Chinese as settled, the kind kept (`#. settled:`), what was done in a note, the previous
    English kept for the reviewer (`SETTLED_FROM`)."""
    pair.notes = [n for n in pair.notes if not n.startswith(SETTLED_NOTE)] + [f"{SETTLED_NOTE} ({kind}): {done}"]
    pair.chinese, pair.stale, pair.settled, pair.review = chinese, False, kind, ""


def unsettle(pair: Pair) -> None:
    """Take a settled pair's mark, note and previous English off (a reviewer read it, or it is stale again)."""
    pair.notes = [n for n in pair.notes if not n.startswith(SETTLED_NOTE)]
    if pair.settled and not pair.stale:
        pair.previous = ""
    pair.settled = ""


def keep_obsolete(catalog: Catalog, pairs: Iterable[Pair]) -> int:
    """Add replaced or vanished pairs to a catalog as obsolete entries (#~); returns how many.

    The one way a translation is put aside, so that nothing is lost and msgfmt accepts the file:
    a pair whose English and Chinese an entry already holds is left out unless it has notes of
    the translator's own (the translation is still there); one whose msgctxt + msgid another
    entry has gets a msgctxt of its own ("old 1", "old 2", ...).
    """
    seen = {(p.context, p.english) for p in catalog.pairs}
    held = {(p.english, p.chinese) for p in catalog.pairs}
    added = 0
    for p in pairs:
        if (p.english, p.chinese) in held and not own_notes(p):
            continue
        context, n = p.context, 1
        while (context, p.english) in seen:
            context, n = f"old {n}", n + 1
        p.context, p.obsolete, p.line = context, True, 0
        seen.add((context, p.english))
        held.add((p.english, p.chinese))
        catalog.pairs.append(p)
        added += 1
    return added


def parse(text: str, path: str = "<po>") -> Catalog:
    """Read a PO file's text, wrapped any way; a syntax error names the file and line."""
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
        revised=po.metadata.get(HEADER_REVISED, ""),
        metadata=dict(po.metadata),
        header_comment=po.header or "",
    )
    for entry in po:  # polib yields obsolete entries too, flagged
        catalog.pairs.append(_pair(entry, catalog.source))
    return catalog


def _pair(e: polib.POEntry, source: str) -> Pair:
    kind = origin = review = pairing = settled = layout = ""
    extracted: list[str] = []
    for line in e.comment.split("\n") if e.comment else []:
        if not kind and (m := _KIND.match(line)):
            kind = m.group(1)
        elif not origin and (m := _ORIGIN.match(line)):
            origin = m.group(1)
        elif not review and (m := _REVIEWED.match(line)):
            review = m.group(1)
        elif not pairing and (m := _PAIRING.match(line)):
            pairing = m.group(1)
        elif not settled and (m := _SETTLED.match(line)):
            settled = m.group(1)
        elif not layout and (m := _LAYOUT.match(line)):
            layout = m.group(1)
        else:
            extracted.append(line)
    notes = e.tcomment.split("\n") if e.tcomment else []
    previous = e.previous_msgid or ""
    if settled and "fuzzy" not in e.flags:
        previous, notes = _settled_from(notes, previous)
    line_no = 0
    references: list[str] = []
    for file, where in e.occurrences:
        if not line_no and where.isdigit() and (file == source or not source):
            line_no = int(where)
        else:
            references.append(f"{file}:{where}" if where else file)
    return Pair(
        english=e.msgid,
        chinese=e.msgstr,
        kind=kind or "paragraph",
        line=line_no,
        stale="fuzzy" in e.flags,
        previous=previous,
        context=e.msgctxt or "",
        obsolete=e.obsolete,
        notes=notes,
        origin=origin,
        flags_extra=[f for f in e.flags if f != "fuzzy"],
        extracted_extra=extracted,
        references_extra=references,
        review=review,
        pairing=pairing if "fuzzy" in e.flags else "",  # fuzzy cleared in another tool: the pairing accepted
        settled=settled,
        layout=layout,
    )


def _settled_from(notes: list[str], previous: str) -> tuple[str, list[str]]:
    """A settled pair's previous English, taken out of its translator comments (see SETTLED_FROM)."""
    for k, note in enumerate(notes):
        if note.startswith(SETTLED_FROM + " "):
            found = load_note(note[len(SETTLED_FROM) + 1:])
            if isinstance(found, str):  # else edited by hand into something else: kept as a note
                return found, notes[:k] + notes[k + 1:]
    return previous, notes


def load_note(text: str) -> object:
    """The JSON the workbench keeps in a PO comment (`#. layout:`, a settled pair's previous
    English); None when a hand edit left something else: bad JSON, or nesting too deep to read."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


# Characters polib (and Python's str.splitlines) take for a line break while gettext does not:
# kept raw in a comment they would cut it in two and make the PO unreadable to the workbench.
_COMMENT_BREAKS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x1c\x1d\x1e\x85\u2028\u2029"})


def dump_note(value: object) -> str:
    """JSON for a PO comment: one line, Chinese kept readable, every line break escaped."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_COMMENT_BREAKS)


def dump(catalog: Catalog) -> str:
    """The PO text of a catalog, in gettext's canonical layout (what `msgcat` writes).

    parse(dump(c)).pairs == c.pairs, and dump(parse(t)) == t for any t written here or by msgcat
    from a file written here.
    """
    comment = catalog.header_comment or (
        f"Chinese translation of {catalog.source}, kept by workbench. Edit with any PO editor."
    )
    lines = _comment_lines("#", comment.split("\n"))
    lines += ['msgid ""', *string_lines("msgstr", "".join(f"{k}: {v}\n" for k, v in header(catalog).items()))]
    for p in catalog.active + catalog.obsolete:
        lines.append("")
        lines += _entry_lines(p, catalog.source)
    return "\n".join(lines) + "\n"


def dump_revised(catalog: Catalog, old_text: str | None) -> str:
    """The PO text to write over old_text (None: no file yet), PO-Revision-Date set to now only
    when what the file says changed: the pairs, the header fields, the comments. The date itself,
    the render hash, the layout and the `#:` line numbers (the English moved, as msgmerge sees
    it) are no change: a save that changed nothing leaves the date, and so no merge conflict."""
    if old_text is None:  # a new file: its date is now
        catalog.revised = time.strftime("%Y-%m-%d %H:%M%z")
        return dump(catalog)
    text = dump(catalog)
    if text == old_text:
        return text
    try:
        old: Catalog | None = parse(old_text)
    except WorkbenchError:
        old = None  # unreadable before: anything written now is a change
    if old is not None and _content(catalog) == _content(replace(old, source=catalog.source)):
        catalog.revised = old.revised
    else:
        catalog.revised = time.strftime("%Y-%m-%d %H:%M%z")
    return dump(catalog)


def _content(catalog: Catalog) -> str:
    pairs = [replace(p, line=1 if p.line else 0) for p in catalog.pairs]
    return dump(replace(catalog, revised="", rendered="", pairs=pairs))


def header(catalog: Catalog) -> dict[str, str]:
    """The header fields a catalog is written with (see Catalog.metadata)."""
    fields = dict(catalog.metadata or _NEW_HEADER)
    fields.update(_ENCODING)
    fields[HEADER_REVISED] = catalog.revised or "1970-01-01 00:00+0000"
    fields[HEADER_SOURCE] = catalog.source
    fields.pop(HEADER_RENDERED, None)  # legacy: read, never written (the merge base is in .workbench/)
    return fields


def _comment_lines(mark: str, items: list[str]) -> list[str]:
    # gettext writes "#" alone for an empty comment line, else "# text"; a PO comment loses its
    # trailing blanks on reading, so they are trimmed here and a save after a load is identical
    return [f"{mark} {item}" if item else mark for item in (i.rstrip() for i in items)]


def _entry_lines(p: Pair, source: str) -> list[str]:
    """One entry, its comments in gettext's order: translator, extracted, references, flags, previous."""
    notes = list(p.notes)
    if p.settled and not p.stale and p.previous:
        notes.append(f"{SETTLED_FROM} {dump_note(p.previous)}")
    lines = _comment_lines("#", [line for note in notes for line in note.split("\n")])
    extracted = ([f"kind: {p.kind}"] + ([f"from: {p.origin}"] if p.origin else [])
                 + ([f"reviewed: {p.review}"] if p.reviewed else [])
                 + ([f"pairing: {p.pairing}"] if p.pairing else []) + ([f"settled: {p.settled}"] if p.settled else [])
                 + ([f"layout: {p.layout}"] if p.layout else []) + p.extracted_extra)
    lines += _comment_lines("#.", extracted)
    own = [f"{source}:{p.line}"] if p.line and not p.obsolete else []
    lines += reference_lines(own + p.references_extra)
    stale = p.stale and bool(p.chinese)  # gettext drops fuzzy from an empty msgstr
    flags = (["fuzzy"] if stale else []) + p.flags_extra
    if flags:
        lines.append("#, " + ", ".join(flags))
    wrap = "no-wrap" not in p.flags_extra
    prefix = "#~ " if p.obsolete else ""
    if stale and p.previous:
        lines += string_lines("msgid", p.previous, "#~| " if p.obsolete else "#| ", wrap)
    if p.context:
        lines += string_lines("msgctxt", p.context, prefix, wrap)
    lines += string_lines("msgid", p.english, prefix, wrap)
    lines += string_lines("msgstr", p.chinese, prefix, wrap)
    return lines


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


# ---------------------------------------------------------------------------------------------
# The active pairs without polib: what counting a whole book needs, fast (the TUI's book screen)


def quick_pairs(text: str) -> list[Pair]:
    """The active pairs of a PO file's text with what counting needs: English, Chinese, stale,
    context, review mark, pairing doubt, settled kind and conflict notes.

    polib takes most of the time of reading a book; counting needs only these fields, so they
    are read here line by line (strings unescaped by polib's own `unescape`; the state then
    comes from `Pair.state` as for any pair). Obsolete entries (#~), `#|` lines and the header
    are skipped. The text must be a PO file `parse` accepts; a test holds the two to the same
    pairs on every PO of the d2l corpus.
    """
    out: list[Pair] = []
    strings: dict[str, list[str]] = {}
    field = ""
    fuzzy = False
    marks: dict[str, str] = {}
    notes: list[str] = []

    def text_of(name: str) -> str:
        joined = "".join(strings.get(name, ()))
        return polib.unescape(joined) if "\\" in joined else joined

    def close() -> None:
        english = text_of("msgid")
        if english or "msgctxt" in strings:  # msgid "" without a context is the header
            out.append(Pair(english=english, chinese=text_of("msgstr"), stale=fuzzy, context=text_of("msgctxt"),
                            review=marks.get("reviewed", ""), pairing=marks.get("pairing", "") if fuzzy else "",
                            settled=marks.get("settled", ""), notes=list(notes)))

    for line in text.splitlines():
        if line[:1] == '"':
            if field:
                strings[field].append(line.rstrip()[1:-1])
            continue
        keyword = _QUICK_KEYWORD.match(line)
        if field == "msgstr" and (keyword is None or keyword[1] != "msgstr"):
            close()  # a comment, a blank line or the next entry's msgctxt/msgid ends the entry
            strings.clear()
            fuzzy = False
            marks.clear()
            notes.clear()
        if keyword is None:
            field = ""
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in (f.strip() for f in line[2:].split(","))
            elif line.startswith("#. ") and (m := _QUICK_MARK.match(line[3:])):
                marks.setdefault(m[1], m[2])  # the first one counts, as in parse
            elif line.startswith("# " + CONFLICT + " "):
                notes.append(line[2:])  # only a note's first line matters for counting (Pair.conflict)
            continue
        field = keyword[1]
        strings[field] = [keyword[2]]
    if field == "msgstr":
        close()
    return out


_QUICK_MARK = re.compile(r"^(reviewed|pairing|settled): (.+)$")
_QUICK_KEYWORD = re.compile(r'^(msgctxt|msgid|msgstr)[ \t]+"(.*)"[ \t]*$')
