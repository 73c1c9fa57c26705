"""Keeping the pairs in step with edited English: carried, stale, new and obsolete.

Pure functions, no file I/O: `carry_over(doc, catalog)` matches the translatable units of a freshly
segmented English file to the pairs stored for its previous version and returns the new pairs.

The matching, strongest evidence first:
1. in order, exact key (whitespace-normalized text): the translation is carried, status kept;
2. exact key elsewhere in the file (a moved paragraph), in the obsolete pairs (English that
   comes back), or a second occurrence of English already carried (a duplicate);
3. between two in-order anchors, similar English of the same kind (rapidfuzz ratio >= SIMILAR):
   the old translation is carried as stale (PO fuzzy) with the English it was made for kept as
   `previous`; one old pair may become several consecutive units (a split: one pair over the
   new units) and several old pairs one unit (a merge: the Chinese joined, originals kept
   obsolete so every msgstr survives verbatim);
4. anywhere in the file, very similar English of the same kind (a paragraph moved and edited);
5. what is left: new units come in untranslated with the best translation-memory match as a
   note; old pairs with a translation or a note become obsolete (#~).

A translation never crosses kinds: headings go to headings, prose to prose, code comments to
code comments. Nothing with a msgstr is ever dropped.
"""

from __future__ import annotations

import difflib
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from rapidfuzz import fuzz, process

from .model import GROUP_SEPARATOR, Document, Pair, Status, Unit, is_cjk, normalize
from .progress import count_pairs
from .store import SETTLED_NOTE, SUGGESTION, Catalog, contexts, keep_obsolete, own_notes
from .tm import Memory

#: rapidfuzz ratio (0-100) from which edited English keeps its old translation as stale.
SIMILAR = 60.0
#: Ratio for carrying a translation to a unit that is not between the same anchors (moved and edited).
SIMILAR_MOVED = 80.0
#: How much of each piece of a split or merge must be found in the other side (partial ratio).
PIECE = 80.0
#: Largest split or merge considered (units on one side of a bead).
MAX_SPLIT = 3

# Kinds that may receive each other's translations.
_KIND_GROUP = {
    "heading": "heading",
    "paragraph": "text",
    "list_item": "text",
    "table_cell": "table_cell",
    "image_alt": "image_alt",
    "comment": "comment",
    "docstring": "docstring",
}
# Kinds whose units may split or merge (a heading or a table cell does not split).
_SPLITTABLE = {"text", "comment", "docstring"}


class Carried(StrEnum):
    """How a unit of the new English got its pair; compares equal to its name (`Carried.NEW == "new"`)."""

    KEPT = "kept"
    """Same English, in order."""
    MOVED = "moved"
    """Same English, elsewhere in the file."""
    REVIVED = "revived"
    """Same English as an obsolete pair: the English came back."""
    COPIED = "copied"
    """A second occurrence of English already carried (a duplicate)."""
    EDITED = "edited"
    """Similar English between the same anchors: carried as stale."""
    SPLIT = "split"
    """One old pair over several new units, stale."""
    MERGED = "merged"
    """Several old pairs joined into one unit, stale."""
    MOVED_EDITED = "moved+edited"
    """Very similar English elsewhere in the file, stale."""
    NEW = "new"
    """No old pair: untranslated, with a translation-memory suggestion."""


def kind_group(kind: str) -> str:
    """The family of a unit kind inside which translations may be carried."""
    return _KIND_GROUP.get(kind, kind)


@dataclass(slots=True)
class UnitResult:
    """What the sync did for one translatable unit of the new English."""

    unit: int
    """Index of the unit in Document.units."""
    pair: Pair
    """The pair that covers it after the sync."""
    head: bool
    """True for the first unit a pair covers."""
    how: Carried
    """How it got its pair."""
    was_stale: bool = False
    """The pair (or one of the pairs) its translation came from was stale already."""
    edit: str = ""
    """For an edited unit that settle.py looked at: the kind of the English edit (settle.KINDS, or wording)."""

    @property
    def status(self) -> Status:
        """Current, stale or untranslated after the sync."""
        return self.pair.status


@dataclass(slots=True)
class SyncResult:
    """The synced catalog of one file and a record per translatable unit."""

    catalog: Catalog
    """The new pairs (active in English order, obsolete last)."""
    units: list[UnitResult] = field(default_factory=list)
    """One record per translatable unit of the new English, in order."""
    obsoleted: int = 0
    """Old active pairs that became obsolete in this sync."""
    revived: int = 0
    """Obsolete pairs used again because their English came back."""

    def counts(self) -> dict[str, int]:
        """Pairs current (of which settled) / stale / to check the pairing / untranslated (as `status`
        counts them), new pairs, and the obsolete pairs kept."""
        progress = count_pairs(self.catalog.source, self.catalog.active)
        return {
            "current": progress.translated,
            "settled": progress.settled,
            "stale": progress.stale,
            "pairing": progress.pairing,
            "untranslated": progress.untranslated,
            "new": sum(1 for r in self.units if r.head and r.how == Carried.NEW),
            "obsolete": len(self.catalog.obsolete),
        }


@dataclass(slots=True)
class _Bead:
    """New units [first, first + count) and the old pairs they take their translation from."""

    first: int  # index into the translatable units
    count: int
    olds: list[Pair]
    how: Carried


def _text(pair: Pair) -> str:
    return " ".join(pair.keys)


def _previous(pair: Pair) -> str:
    """The English a pair's translation was made for."""
    return pair.previous if pair.stale and pair.previous else pair.english


def _recut_comment(olds: list[Pair], head: Unit, english: str) -> bool:
    """True when old comment pairs hold the same English as a new comment unit, only cut per line
    (books made before comment lines of one sentence became one unit): each old line stays a
    line of the Chinese, and nothing is stale."""
    if head.kind != "comment" or any(p.kind != "comment" for p in olds):
        return False
    return normalize(" ".join(k for p in olds for k in _previous(p).split(GROUP_SEPARATOR))) == english


def _join_chinese(parts: list[str]) -> str:
    """Chinese of merged paragraphs: no space between Chinese sentences, one between Latin ones."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(part[0])):
            out += " "
        out += part
    return out


def _value(ratio: float, a: int, b: int) -> float:
    """A bead's worth: characters in common minus characters changed (from the Indel ratio)."""
    total = a + b
    r = ratio / 100.0
    return r * total / 2 - (1 - r) * total


def carry_over(doc: Document, catalog: Catalog | None, memory: Memory | None = None, source: str = "") -> SyncResult:
    """Match the translatable units of `doc` to the pairs of `catalog` (None: a file never synced).

    With a translation memory, each new unit gets a note with the best match (see `suggest`).
    """
    m = _Matching(doc, catalog)
    m.in_order()
    m.elsewhere()
    m.between_anchors()
    m.moved_and_edited()
    m.the_rest()
    result = m.result(catalog, source or (catalog.source if catalog else doc.path))
    if memory is not None:
        suggest(result, memory)
    return result


class _Matching:
    """One file's matching, step by step (see the module's docstring): which new units are taken
    by which beads, which old pairs are used."""

    def __init__(self, doc: Document, catalog: Catalog | None) -> None:
        self.index = [i for i, u in enumerate(doc.units) if u.translatable]
        self.units = [doc.units[i] for i in self.index]
        self.keys = [u.key for u in self.units]
        self.groups = [kind_group(u.kind) for u in self.units]
        self.olds = [replace(p, notes=list(p.notes)) for p in (catalog.active if catalog else [])]
        self.obsolete = [replace(p, notes=list(p.notes)) for p in (catalog.obsolete if catalog else [])]
        self.taken: list[_Bead | None] = [None] * len(self.units)
        self.used = [False] * len(self.olds)
        self.beads: list[_Bead] = []
        self.anchors: list[tuple[int, int]] = []  # (old pair, first new unit), increasing in both
        self.revived: set[int] = set()

    def fits(self, pair: Pair, j: int) -> bool:
        """True when the pair's keys are the free units j, j+1, ... of the same kind."""
        n = len(pair.keys)
        return (
            self.keys[j : j + n] == pair.keys
            and all(t is None for t in self.taken[j : j + n])
            and kind_group(pair.kind) == self.groups[j]
        )

    def take(self, first: int, count: int, pairs: list[Pair], how: Carried) -> _Bead:
        bead = _Bead(first, count, pairs, how)
        for j in range(first, first + count):
            self.taken[j] = bead
        self.beads.append(bead)
        return bead

    def in_order(self) -> None:
        """1. In order, exact: the English that did not change."""
        olds, keys = self.olds, self.keys
        slots = [(k, n) for k, p in enumerate(olds) for n in range(len(p.keys))]
        flat = [olds[k].keys[n] for k, n in slots]
        at: dict[int, int] = {}
        # most files did not change: skip the matcher when the English is the same, key for key
        blocks = [(0, 0, len(keys))] if flat == keys else difflib.SequenceMatcher(
            None, flat, keys, autojunk=False).get_matching_blocks()
        for a, b, size in blocks:
            for d in range(size):
                at[a + d] = b + d
        s = 0
        for k, p in enumerate(olds):
            n = len(p.keys)
            first = at.get(s)
            if first is not None and all(at.get(s + d) == first + d for d in range(n)) and self.fits(p, first):
                self.take(first, n, [p], Carried.KEPT)
                self.used[k] = True
                self.anchors.append((k, first))
            s += n

    def elsewhere(self) -> None:
        """2. Exact elsewhere: moved, back from the obsolete pairs, or a duplicate of carried English."""
        olds, obsolete, used = self.olds, self.obsolete, self.used
        by_english: dict[str, list[int]] = defaultdict(list)
        for k, p in enumerate(olds):
            if not used[k]:
                by_english[p.keys[0]].append(k)
        gone: dict[str, list[int]] = defaultdict(list)
        for k, p in enumerate(obsolete):
            gone[p.keys[0]].append(k)
        carried: dict[str, Pair] = {}
        for bead in self.beads:
            carried.setdefault(bead.olds[0].english, bead.olds[0])
        for j, key in enumerate(self.keys):
            if self.taken[j] is not None:
                continue
            for k in sorted(by_english.get(key, ()), key=lambda k: -len(olds[k].keys)):
                if not used[k] and self.fits(olds[k], j):
                    self.take(j, len(olds[k].keys), [olds[k]], Carried.MOVED)
                    used[k] = True
                    carried.setdefault(olds[k].english, olds[k])
                    break
            else:
                # the store keeps an obsolete entry's kind (#. kind:), so a revival stays within its kind
                for k in sorted(gone.get(key, ()), key=lambda k: -len(obsolete[k].keys)):
                    if k not in self.revived and self.fits(obsolete[k], j):
                        self.take(j, len(obsolete[k].keys), [obsolete[k]], Carried.REVIVED)
                        self.revived.add(k)
                        carried.setdefault(obsolete[k].english, obsolete[k])
                        break
                else:
                    twin = carried.get(key)
                    if twin is not None and kind_group(twin.kind) == self.groups[j]:
                        self.take(j, 1, [twin], Carried.COPIED)

    def between_anchors(self) -> None:
        """3. Between anchors: edited, split and merged English."""
        olds = self.olds
        self.anchors.sort(key=lambda a: a[1])
        bounds = ([(-1, -1)] + [(k, j + len(olds[k].keys) - 1) for k, j in self.anchors]
                  + [(len(olds), len(self.units))])
        for (k0, j0), (k1, j1) in itertools.pairwise(bounds):
            old_gap = [k for k in range(k0 + 1, k1) if not self.used[k]]
            new_gap = [j for j in range(j0 + 1, j1) if self.taken[j] is None]
            if old_gap and new_gap:
                for ks, js in _align_gap(old_gap, new_gap, olds, self.keys, self.groups):
                    self.take(js[0], len(js), [olds[k] for k in ks], Carried.EDITED if len(ks) == len(js) == 1 else
                              Carried.SPLIT if len(ks) == 1 else Carried.MERGED)
                    for k in ks:
                        self.used[k] = True

    def moved_and_edited(self) -> None:
        """4. Anywhere in the file: moved and edited."""
        left_old = [k for k in range(len(self.olds)) if not self.used[k]]
        left_new = [j for j in range(len(self.units)) if self.taken[j] is None]
        scored = []
        for j in left_new:
            for k in left_old:
                if kind_group(self.olds[k].kind) != self.groups[j]:
                    continue
                r = fuzz.ratio(_text(self.olds[k]), self.keys[j], score_cutoff=SIMILAR_MOVED)
                if r:
                    scored.append((-r, j, k))
        for _, j, k in sorted(scored):
            if self.taken[j] is None and not self.used[k]:
                self.take(j, 1, [self.olds[k]], Carried.MOVED_EDITED)
                self.used[k] = True

    def the_rest(self) -> None:
        """5. The rest: new units (old pairs left unused become obsolete in `result`)."""
        for j in range(len(self.units)):
            if self.taken[j] is None:
                self.take(j, 1, [], Carried.NEW)

    def result(self, catalog: Catalog | None, source: str) -> SyncResult:
        """The new pairs in English order, obsolete ones last, and a record per unit."""
        self.beads.sort(key=lambda b: b.first)
        active: list[Pair] = []
        results: list[UnitResult] = []
        new_obsolete: list[Pair] = []
        for bead in self.beads:
            pair = _carry(bead, self.units, self.keys)
            active.append(pair)
            if bead.how == Carried.MERGED and sum(1 for p in bead.olds if p.chinese) > 1:
                new_obsolete.extend(replace(p, obsolete=True, line=0) for p in bead.olds if p.chinese)
            was_stale = any(p.stale for p in bead.olds)
            for d in range(bead.count):
                results.append(UnitResult(self.index[bead.first + d], pair, d == 0, bead.how, was_stale))
        contexts(active)
        dropped = [p for k, p in enumerate(self.olds) if not self.used[k] and (p.chinese or own_notes(p))]
        kept_obsolete = [p for k, p in enumerate(self.obsolete) if k not in self.revived]
        out = replace(catalog, source=source, pairs=active) if catalog else Catalog(source, active)
        keep_obsolete(out, kept_obsolete + [replace(p, obsolete=True, line=0) for p in dropped] + new_obsolete)
        return SyncResult(out, results, obsoleted=len(dropped), revived=len(self.revived))


def suggest(result: SyncResult, memory: Memory) -> int:
    """Note on each new unit's pair the best translation-memory match (score, where, Chinese); returns how many."""
    found = 0
    for r in result.units:
        if r.how != Carried.NEW or not r.head or not len(memory):
            continue
        r.pair.notes = [n for n in r.pair.notes if not n.startswith(SUGGESTION)]
        hits = memory.suggest(r.pair.english, limit=1)
        if hits:
            h = hits[0]
            # an obsolete pair has no line (":0"): its file is enough
            source = h.source.removesuffix(":0")
            r.pair.notes.append(f"{SUGGESTION} {h.score:.0f}% from {source}: {' '.join(h.chinese.split())}")
            found += 1
    return found


def _carry(b: _Bead, units: list[Unit], keys: list[str]) -> Pair:
    """The pair a bead becomes."""
    head = units[b.first]
    english = GROUP_SEPARATOR.join(keys[b.first : b.first + b.count])
    if b.how in (Carried.KEPT, Carried.MOVED, Carried.REVIVED):
        old = b.olds[0]
        return replace(old, kind=head.kind, line=head.start, obsolete=False, notes=list(old.notes))
    if b.how == Carried.COPIED:
        old = b.olds[0]
        # a copy for a new occurrence: its reviewer has not read it there
        return replace(old, kind=head.kind, line=head.start, obsolete=False, context="", notes=[], review="")
    if b.how == Carried.NEW:
        return Pair(english=english, kind=head.kind, line=head.start)
    # edited, split, merged: the old translation, marked stale, with the English it was made for
    translated = [p for p in b.olds if p.chinese]
    recut = _recut_comment(b.olds, head, english)
    chinese = ("\n".join(p.chinese.strip() for p in translated) if recut else _join_chinese(
        [p.chinese for p in translated])) if len(translated) > 1 else (translated[0].chinese if translated else "")
    # a note of an earlier settling no longer says what happened to this English
    notes = [n for p in b.olds for n in p.notes if not n.startswith(SETTLED_NOTE)]
    origin = next((p.origin for p in b.olds if p.origin), "")
    # an import's doubt stays until a translator accepts the pair, whatever the English does
    pairing = next((p.pairing for p in translated if p.pairing), "")
    if not chinese:
        return _other_tools(Pair(english=english, kind=head.kind, line=head.start, notes=notes, origin=origin), b.olds)
    # all the English the unit came from, a merged untranslated neighbour included
    previous = GROUP_SEPARATOR.join(_previous(p) for p in b.olds)
    # the Chinese edition's layout around the text goes with it (the render uses it only where
    # the English around still has its shape: layout.py)
    kept_layout = b.olds[0].layout if b.olds[0].chinese else ""
    if previous == english or recut:
        # the English is back to what the translation was made for: current again (or it is the
        # same comment, cut into units by sentence where older books had a unit per line); a
        # pairing to check stays fuzzy, as the import left it
        return _other_tools(Pair(english=english, chinese=chinese, kind=head.kind, line=head.start, notes=notes,
                                 origin=origin, layout=kept_layout, pairing=pairing, stale=bool(pairing)), b.olds)
    return _other_tools(Pair(english=english, chinese=chinese, kind=head.kind, line=head.start, stale=True,
                             previous=previous, notes=notes, origin=origin, layout=kept_layout, pairing=pairing),
                        b.olds)


def _other_tools(pair: Pair, olds: list[Pair]) -> Pair:
    """`pair` with what other tools wrote on the pairs it came from (flags such as no-wrap,
    extracted comments, references to other files), each once: an English edit keeps it."""
    def union(lists: Iterable[list[str]]) -> list[str]:
        return list(dict.fromkeys(x for items in lists for x in items))

    return replace(pair, flags_extra=union(p.flags_extra for p in olds),
                   extracted_extra=union(p.extracted_extra for p in olds),
                   references_extra=union(p.references_extra for p in olds))


def _align_gap(
    old_gap: list[int], new_gap: list[int], olds: list[Pair], keys: list[str], groups: list[str]
) -> list[tuple[list[int], list[int]]]:
    """Best monotone beads between the old pairs and new units of one gap (dynamic programming).

    A bead is 1:1 (edited), 1:n (split) or n:1 (merge), of one kind family, similar enough; the
    others stay unmatched. Worth: characters in common minus characters changed.
    """
    p, q = len(old_gap), len(new_gap)
    old_text = [_text(olds[k]) for k in old_gap]
    old_group = [kind_group(olds[k].kind) for k in old_gap]
    new_text = [keys[j] for j in new_gap]
    new_group = [groups[j] for j in new_gap]
    # the last old and last new piece of any real bead resemble each other a little: a cheap
    # 1:1 matrix (rapidfuzz in C) spares the exact test of beads that cannot be
    near = process.cdist(old_text, new_text, scorer=fuzz.ratio, score_cutoff=_NEAR, dtype=None).tolist()
    neg = float("-inf")
    best = [[neg] * (q + 1) for _ in range(p + 1)]
    back = [[(0, 0, False)] * (q + 1) for _ in range(p + 1)]
    best[0][0] = 0.0
    for a in range(p + 1):
        row, up = best[a], best[a - 1] if a else None
        for b in range(q + 1):
            if a == 0 and b == 0:
                continue
            here, how = neg, (0, 0, False)
            if up is not None and up[b] - len(old_text[a - 1]) > here:
                here, how = up[b] - len(old_text[a - 1]), (1, 0, False)
            if b > 0 and row[b - 1] - len(new_text[b - 1]) > here:
                here, how = row[b - 1] - len(new_text[b - 1]), (0, 1, False)
            if a > 0 and b > 0 and near[a - 1][b - 1]:
                for x, y in _SHAPES:
                    if x > a or y > b or best[a - x][b - y] == neg:
                        continue
                    worth = _bead_worth(old_text[a - x : a], old_group[a - x : a],
                                        new_text[b - y : b], new_group[b - y : b], new_gap[b - y : b])
                    if worth is not None and best[a - x][b - y] + worth > here:
                        here, how = best[a - x][b - y] + worth, (x, y, True)
            row[b] = here
            back[a][b] = how
    out: list[tuple[list[int], list[int]]] = []
    a, b = p, q
    while a or b:
        x, y, bead = back[a][b]
        if bead:
            out.append((old_gap[a - x : a], new_gap[b - y : b]))
        a, b = a - x, b - y
    out.reverse()
    return out


#: 1:1 ratio under which two texts cannot end a bead (a third of a split still scores about 50).
_NEAR = 35.0
_SHAPES = [(1, 1)] + [(1, n) for n in range(2, MAX_SPLIT + 1)] + [(n, 1) for n in range(2, MAX_SPLIT + 1)]


def _bead_worth(
    old_text: list[str], old_group: list[str], new_text: list[str], new_group: list[str], new_at: list[int]
) -> float | None:
    """The worth of carrying these old pairs onto these new units, or None when they do not match."""
    family = new_group[0]
    if any(g != family for g in old_group + new_group):
        return None
    if len(old_text) > 1 or len(new_text) > 1:
        if family not in _SPLITTABLE:
            return None
        if any(b - a != 1 for a, b in itertools.pairwise(new_at)):
            return None  # a pair covers consecutive units only
    a, b = " ".join(old_text), " ".join(new_text)
    ratio = fuzz.ratio(a, b, score_cutoff=SIMILAR)
    if not ratio:
        return None
    # each piece of a split (merge) must be found in the whole it came from (went into)
    pieces, whole = (new_text, a) if len(new_text) > 1 else (old_text, b) if len(old_text) > 1 else ([], "")
    for piece in pieces:
        if fuzz.partial_ratio(piece, whole) < PIECE:
            return None
    # a split or merge must beat the plain edit it competes with: a small toll per extra piece
    return _value(ratio, len(a), len(b)) - 8.0 * (len(old_text) + len(new_text) - 2)
