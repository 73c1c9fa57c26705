"""A three-way merge of two versions of one PO file, unit by unit (the git merge driver's core).

Git's own merge works on lines: two translators who change different units of one file meet in
the header (PO-Revision-Date), and its conflict markers leave a PO that no tool reads. Here an
entry is identified by msgctxt + msgid and merged against the common ancestor (the base):

- changed on one side only: that side's entry; added on one side: added; removed on one side and
  unchanged on the other: removed;
- changed on both sides: field by field, each changed field from the side that changed it; notes,
  flags and comments keep what either side added and drop what either removed (a note line both
  rewrote is kept in both forms); a field both changed that the English decides (the `#:` line,
  the previous English of a stale pair, the kind) is ours: `workbench sync` sets it again from
  the merged en/;
- the Chinese changed on both sides to different texts: a **conflict**. This branch's text (ours)
  stays the msgstr, the other branch's goes into a translator note (merge.conflict_note, the same
  `CONFLICT` note a hand edit of zh/*.md leaves), the entry is marked fuzzy; when ours is empty
  the msgstr is theirs (a translation is never lost);
- removed on one side while its Chinese or notes changed on the other: kept, with a CONFLICT note.

The header is merged field by field too; PO-Revision-Date is the later of the two. The result
is written in gettext's canonical layout (store.dump), so msgfmt and msgcat accept it.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

from .merge import conflict_note, mark_conflict
from .model import Pair, WorkbenchError
from .store import Catalog, dump, entry_lines, own_notes, parse

#: An entry's identity in one file: msgctxt, msgid, and which occurrence of the two (0 but in a damaged file).
Key = tuple[str, str, int]
T = TypeVar("T")

#: The note's "how" for a unit translated differently on the two branches.
THEIRS_DIFFER = "was translated on the other branch of the git merge as"
#: The note's "how" when this branch emptied the translation and the other changed it: the msgstr
#: is the other's, the note holds the translation both started from.
OURS_EMPTY = ("was emptied on this branch of the git merge and translated anew on the other (the msgstr); "
              "before both it was")


@dataclass(slots=True)
class UnitConflict:
    """A unit the two branches changed differently; both texts are in the merged entry."""

    pair: Pair
    """The merged entry (fuzzy, with a CONFLICT note)."""
    ours: str | None
    """This branch's Chinese (None: the entry was removed here)."""
    theirs: str | None
    """The other branch's Chinese (None: removed there)."""
    line: int = 0
    """1-based line of the entry in the merged PO text."""

    def told(self, po_path: str) -> str:
        """The driver's line on stderr: `zh/x.po:LINE: conflict: ...`."""
        if self.ours is None or self.theirs is None:
            what = "removed on one branch, its translation changed on the other; kept"
        else:
            what = "translated differently on the two branches; both texts are kept (the other as a CONFLICT note)"
        where = f" (en line {self.pair.line})" if self.pair.line else ""
        return (f"{po_path}:{self.line}: conflict: this unit{where} was {what}, the entry fuzzy: "
                f"choose a text, delete the note and the fuzzy flag, then `git add {po_path}`")


@dataclass(slots=True)
class MergedPo:
    """The result of a three-way PO merge."""

    text: str
    """The merged PO text."""
    conflicts: list[UnitConflict] = field(default_factory=list)


def merge_texts(base: str, ours: str, theirs: str, path: str = "<po>") -> MergedPo:
    """Merge two versions of one PO file against their common ancestor (`base`, "" when the
    file is new on both sides). Raises WorkbenchError naming the version that cannot be read."""
    if ours == theirs or theirs == base:
        return MergedPo(ours)
    if ours == base:
        return MergedPo(theirs)
    b, o, t = (_read(text, path, side) for text, side in
               ((base, "the common ancestor's"), (ours, "this branch's"), (theirs, "the other branch's")))
    merged, conflicts = merge_catalogs(b, o, t, path=path)
    text = dump(merged)
    parse(text, path)  # what is written must read back
    lines = entry_lines(text)
    for c in conflicts:
        c.line = lines.get((c.pair.context, c.pair.english, c.pair.obsolete), 0)
    return MergedPo(text, conflicts)


def _read(text: str, path: str, side: str) -> Catalog:
    try:
        return parse(text, path)
    except WorkbenchError as e:
        raise WorkbenchError(f"{e.message} (in {side} version)", e.path, e.line) from None


def merge_catalogs(base: Catalog, ours: Catalog, theirs: Catalog,
                   path: str = "<po>") -> tuple[Catalog, list[UnitConflict]]:
    """The merged catalog of two versions against their common ancestor, and its conflicts.

    `path` names the file in conflict notes. The inputs are not changed.
    """
    b, o, t = _keyed(base), _keyed(ours), _keyed(theirs)
    conflicts: list[UnitConflict] = []
    merged: dict[Key, Pair] = {}
    for key in [*o, *(k for k in t if k not in o)]:
        pair = _merge_entry(b.get(key), o.get(key), t.get(key), path, conflicts)
        if pair is not None:
            merged[key] = pair
    order = _order(list(o), list(t), merged)
    catalog = Catalog(
        source=_pick(base.source, ours.source, theirs.source),
        pairs=[merged[k] for k in order],
        rendered=ours.rendered,
        revised=_later(ours.revised, theirs.revised),
        metadata=_merge_header(base.metadata, ours.metadata, theirs.metadata),
        header_comment=_pick(base.header_comment, ours.header_comment, theirs.header_comment),
    )
    return catalog, conflicts


def _keyed(catalog: Catalog) -> dict[Key, Pair]:
    seen: Counter[tuple[str, str]] = Counter()
    out: dict[Key, Pair] = {}
    for p in catalog.pairs:
        n = seen[(p.context, p.english)]
        seen[(p.context, p.english)] += 1
        out[(p.context, p.english, n)] = p
    return out


def _merge_entry(base: Pair | None, ours: Pair | None, theirs: Pair | None, path: str,
                 conflicts: list[UnitConflict]) -> Pair | None:
    """One entry merged; None when it is removed."""
    if ours is None or theirs is None:
        kept = ours if theirs is None else theirs
        assert kept is not None
        if base is None:
            return copy.deepcopy(kept)  # added on one side
        if _translator_work(kept) == _translator_work(base):
            return None  # removed on one side, its translation unchanged on the other
        pair = copy.deepcopy(kept)
        gone, here = ("the other", "this") if theirs is None else ("this", "the other")
        how = (f"was removed on {gone} branch of the git merge while {here} branch changed its translation "
               "or notes; it is kept. Its translation before both was")
        mark_conflict(pair, conflict_note(path, base.chinese, how))
        conflicts.append(UnitConflict(pair, pair.chinese if ours is not None else None,
                                      pair.chinese if theirs is not None else None))
        return pair
    if base is None:  # added on both sides: what they share is the base
        base = Pair(english=ours.english, context=ours.context, kind=ours.kind, obsolete=ours.obsolete)
    pair = copy.deepcopy(ours)
    for f in fields(Pair):
        name = f.name
        bv, ov, tv = getattr(base, name), getattr(ours, name), getattr(theirs, name)
        if isinstance(ov, list):
            setattr(pair, name, _merge_list(bv, ov, tv))
        else:
            setattr(pair, name, _pick(bv, ov, tv))
    if ours.chinese != theirs.chinese and base.chinese not in (ours.chinese, theirs.chinese):
        if ours.chinese:
            pair.chinese = ours.chinese
            note = conflict_note(path, theirs.chinese, THEIRS_DIFFER)
        else:
            pair.chinese = theirs.chinese
            note = conflict_note(path, base.chinese, OURS_EMPTY)
        mark_conflict(pair, note)
        conflicts.append(UnitConflict(pair, ours.chinese, theirs.chinese))
    return pair


def _translator_work(p: Pair) -> tuple[str, list[str]]:
    """What a removal must not throw away unseen: the Chinese and the translator's notes."""
    return p.chinese, own_notes(p)


def _pick(base: T, ours: T, theirs: T) -> T:
    """A value changed on one side takes that side; changed on both, ours."""
    return theirs if ours == base else ours


def _merge_list(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Items (note lines, flags, comments) either side added are kept, either side removed are dropped."""
    if ours == base:
        return list(theirs)
    if theirs == base:
        return list(ours)
    out = [x for x in ours if x in theirs or x not in base]
    out += [x for x in theirs if x not in ours and x not in base]
    return out


def _merge_header(base: dict[str, str], ours: dict[str, str], theirs: dict[str, str]) -> dict[str, str]:
    """Header fields merged one by one (a field removed on one side and unchanged on the other goes)."""
    out: dict[str, str] = {}
    for name in [*ours, *(k for k in theirs if k not in ours)]:
        value = _pick(base.get(name), ours.get(name), theirs.get(name))
        if value is not None:
            out[name] = value
    return out


def _later(ours: str, theirs: str) -> str:
    """The later of two PO-Revision-Dates (an unreadable one loses to a readable one)."""
    def when(value: str) -> datetime | None:
        try:
            return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M%z")
        except ValueError:
            return None

    a, b = when(ours), when(theirs)
    if a is None or b is None:
        return theirs if a is None and b is not None else ours
    return theirs if b > a else ours


def _order(ours: list[Key], theirs: list[Key], kept: dict[Key, Pair]) -> list[Key]:
    """Ours' order, with what only theirs has placed after the entry that precedes it there."""
    out = [k for k in ours if k in kept]
    placed = set(out)
    after: Key | None = None
    for k in theirs:
        if k in placed:
            after = k
            continue
        if k not in kept:
            continue
        at = out.index(after) + 1 if after is not None else 0
        out.insert(at, k)
        placed.add(k)
        after = k
    return out
