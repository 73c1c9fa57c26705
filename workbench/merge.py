"""Where zh/PATH.md and zh/PATH.po meet: a three-way merge, pair by pair.

The merge base is what the workbench rendered last: zh/PATH.md as it was written, and for each
pair (msgctxt + msgid) where its text stands in that file and which msgstr it came from. It is
kept outside the PO, in .workbench/base/PATH.md.json (`Base`). Then, for each pair:

- its text in zh/PATH.md is as rendered, whatever the PO says now: the PO is rendered;
- changed only in zh/PATH.md (the msgstr is still the one rendered): the hand edit is taken
  back into the PO;
- changed on both sides to different texts: a **conflict**. Nothing is overwritten: the msgstr
  stays, the hand text goes into a translator note on the entry (`CONFLICT` + file:line + the
  text), the entry is marked fuzzy, and the command says file:line and exits 1.

Without a base for a pair (first run, .workbench deleted, a pair new since the last render)
nothing in the PO is overwritten by zh/PATH.md: a hand text that differs from a msgstr is a
conflict; it fills an untranslated pair only when it holds Chinese (a unit still showing its
English, or the English of an older version, is no edit). A zh/PATH.md that is exactly the last
render (the base's text, or the legacy `X-Workbench-Rendered` hash of older PO files) has no
hand edits at all; and when that legacy hash is the hash of what the PO renders now, the PO has
not changed since, so that render is the base.

Shared parts (code, math, directives, :label:, image targets, heading levels, list markers) are
not the translator's: a hand edit of one is refused with its line and nothing is written.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field

from . import layout
from .markdown import assemble, segment, unfit
from .model import CONFLICT, Document, Pair, Unit, WorkbenchError, is_cjk, normalize
from .render import fingerprint
from .store import Catalog, match, translations
from .structure import problem

_BASE_VERSION = 1

PairId = tuple[str, str]


def pair_id(p: Pair) -> PairId:
    """A pair's identity in its PO file: msgctxt and msgid."""
    return (p.context, p.english)


@dataclass(slots=True)
class Base:
    """What was rendered last into zh/PATH.md (the merge base)."""

    text: str
    """zh/PATH.md as written."""
    spans: dict[PairId, tuple[int, int]] = field(default_factory=dict)
    """Where each pair's text stands in `text` (character offsets, end exclusive)."""
    rendered: dict[PairId, str] = field(default_factory=dict)
    """The msgstr each pair was rendered from ("" for an untranslated pair)."""

    def dump(self) -> str:
        """The base as JSON (.workbench/base/PATH.md.json)."""
        pairs = [[ctx, msgid, *self.spans[(ctx, msgid)], self.rendered.get((ctx, msgid), "")]
                 for ctx, msgid in self.spans]
        return json.dumps({"version": _BASE_VERSION, "text": self.text, "pairs": pairs},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def load(cls, text: str | None) -> Base | None:
        """A base read back; None when missing or damaged (the merge then works without one)."""
        try:
            data = json.loads(text or "")
            if not isinstance(data, dict) or data.get("version") != _BASE_VERSION:
                return None
            base = cls(str(data["text"]))
            for ctx, msgid, start, end, msgstr in data["pairs"]:
                base.spans[(str(ctx), str(msgid))] = (int(start), int(end))
                base.rendered[(str(ctx), str(msgid))] = str(msgstr)
            return base
        except (ValueError, KeyError, TypeError):
            return None


def render_base(doc: Document, catalog: Catalog) -> Base:
    """Render zh/PATH.md from the English and the pairs, noting where each pair's text lands."""
    matches = match(doc, catalog)
    text = translations(doc, matches)
    unit_spans: dict[int, tuple[int, int]] = {}
    base = Base(assemble(doc, lambda i, _u: text.get(i), unit_spans, layout.of(doc, matches)))
    for m in matches:
        if m.pair is None or (m.pair.chinese and not m.head):
            continue  # a translated pair's whole text stands at its first unit
        pid = pair_id(m.pair)
        start, end = unit_spans[m.unit]
        if not m.head and pid in base.spans:  # an untranslated group: its English units in a row
            start = base.spans[pid][0]
        base.spans[pid] = (start, end)
        base.rendered[pid] = m.pair.chinese
    return base


_LEGACY_HEADER = re.compile(r'^"X-Workbench-Rendered: [^"\n]*\\n"\n', re.MULTILINE)


def po_changed(new: str, old: str | None) -> bool:
    """True when a PO text to write differs from the one on disk by more than the legacy
    `X-Workbench-Rendered` header (no longer written, but no reason alone to rewrite a file)."""
    return old is None or (new != old and new != _LEGACY_HEADER.sub("", old, count=1))


@dataclass(slots=True)
class TakenBack:
    """A hand edit of zh/PATH.md that went into a pair."""

    pair: Pair
    """The pair that received the edit."""
    before: str
    """Its Chinese before."""
    after: str
    """The Chinese found in zh/PATH.md."""
    line: int
    """1-based line of the edit in zh/PATH.md."""


@dataclass(slots=True)
class Conflict:
    """A pair edited both in the PO and in zh/PATH.md: both texts kept, the entry marked fuzzy."""

    pair: Pair
    """The pair; its msgstr is the PO's text, its note holds the hand text."""
    hand: str
    """The text found in zh/PATH.md."""
    line: int
    """1-based line of the hand text in zh/PATH.md."""

    def told(self, zh_file: str) -> str:
        """The one way every command tells of a conflict: `zh/x.md:LINE: conflict: ...`."""
        po_file = zh_file.removesuffix(".md") + ".po"
        return (f"{zh_file}:{self.line}: conflict: this paragraph was edited both here and in {po_file} "
                f"(en line {self.pair.line}); both texts are kept in the PO entry (the hand text as a "
                "CONFLICT note, the entry fuzzy): choose one, delete the note")


@dataclass(slots=True)
class Merged:
    """What merging zh/PATH.md into the pairs did."""

    taken_back: list[TakenBack] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def conflict_note(where: str, text: str, how: str = "was edited by hand to") -> str:
    """The translator note a conflict leaves (`CONFLICT WHERE HOW:` and the other text on the
    lines below); resolve it by choosing a text and deleting the note. The one form for a hand
    edit of zh/PATH.md and for a git merge of two branches (po_merge.py)."""
    return f"{CONFLICT} {where} {how}:\n{text}"


def mark_conflict(pair: Pair, note: str) -> None:
    """Give a pair a conflict note (once) and the fuzzy flag, so that the translator sees both texts."""
    if note not in "\n".join(pair.notes):  # a PO keeps a note as lines: compare as text
        pair.notes.append(note)
    pair.stale = True


def merge(zh_text: str, zh_path: str, doc: Document | None, catalog: Catalog, base: Base | None) -> Merged:
    """Merge zh/PATH.md (`zh_text`, edited by hand or not) into the catalog's pairs, per pair.

    `doc` is the English the pairs render with (None when it is gone: the base alone is used).
    Changes the catalog's pairs in place (taken-back edits, conflict notes). Raises
    WorkbenchError, with the line in zh/PATH.md, for an edit of a shared part, for paragraphs
    added or removed, and for a hand text that would break the structure: nothing is changed then.
    """
    out = Merged()
    found = _reference(zh_text, zh_path, doc, catalog, base)
    if found is None:
        return out  # zh/PATH.md is what the PO renders, now or when last rendered: no hand edits
    ref, base = found
    ref_doc = segment(ref.text, zh_path)
    zh_doc = segment(zh_text, zh_path)
    _refuse_shared_edits(ref_doc, zh_doc, zh_path)
    placed = _place(ref_doc, zh_doc, ref, catalog, zh_path)
    for pair, hand, line, conflict in _decisions(placed, zh_text, zh_path, catalog, ref, base):
        if conflict:
            mark_conflict(pair, conflict_note(f"{zh_path}:{line}", hand))
            out.conflicts.append(Conflict(pair, hand, line))
        else:
            out.taken_back.append(TakenBack(pair, pair.chinese, hand, line))
            pair.chinese = hand
            pair.accept_pairing()  # the translator edited it: the import's doubt is answered
    return out


def _reference(zh_text: str, zh_path: str, doc: Document | None, catalog: Catalog,
               base: Base | None) -> tuple[Base, Base | None] | None:
    """What zh/PATH.md is compared with (the base, or else the render of the PO now) and the
    base; None when the file is exactly a render of the PO (the last one or the one now)."""
    if base is not None and zh_text == base.text:
        return None
    if catalog.rendered and fingerprint(zh_text) == catalog.rendered:  # legacy PO header
        return None
    current = render_base(doc, catalog) if doc is not None else None
    if current is not None and zh_text == current.text:
        return None
    if base is None and current is not None and catalog.rendered == fingerprint(current.text):
        base = current  # the legacy hash proves the PO unchanged since that render: it is the base
    ref = base if base is not None else current
    if ref is None:
        raise WorkbenchError("differs from its last render, which is not recorded and cannot be made again "
                             "(its English is gone); move the file away or copy its edits into the PO", zh_path)
    return ref, base


def _place(ref_doc: Document, zh_doc: Document, ref: Base, catalog: Catalog, zh_path: str) -> dict[PairId, list[Unit]]:
    """The units of zh/PATH.md each pair's text stands in now, found by diffing its units with
    the reference's; an edit no pair can own (text added or removed) is refused with its line."""
    owners = _owners(ref_doc, ref)
    ref_units, zh_units = ref_doc.translatable, zh_doc.translatable
    placed: dict[PairId, list[Unit]] = {}
    matcher = difflib.SequenceMatcher(None, [u.source for u in ref_units], [u.source for u in zh_units],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                owner = owners[i1 + k]
                if owner is not None:
                    placed.setdefault(owner, []).append(zh_units[j1 + k])
            continue
        who = {owners[i] for i in range(i1, i2)}
        line = zh_units[j1].start if j1 < len(zh_units) else (zh_units[-1].end if zh_units else 1)
        if who == {None}:  # text no pair renders (sync needed): only English may stand there
            if any(is_cjk(c) for u in zh_units[j1:j2] for c in u.source):
                raise WorkbenchError("hand edit where the English has no pair yet; run `workbench sync` "
                                     "first, then edit again", zh_path, line)
            continue
        if op == "replace" and None not in who and (len(who) == 1 or i2 - i1 == j2 - j1):
            for k in range(j2 - j1):
                owner = owners[i1] if len(who) == 1 else owners[i1 + k]
                if owner is not None:
                    placed.setdefault(owner, []).append(zh_units[j1 + k])
            continue
        what = "adds text" if op == "insert" else "removes text" if op == "delete" else "adds or removes paragraphs"
        raise WorkbenchError(
            f"hand edit {what} that no English paragraph matches, so it cannot be taken back into "
            f"{catalog.source.replace('en/', 'zh/', 1).removesuffix('.md')}.po; "
            "edit the translation there (or undo the edit) and render again", zh_path, line)
    return placed


def _decisions(placed: dict[PairId, list[Unit]], zh_text: str, zh_path: str, catalog: Catalog, ref: Base,
               base: Base | None) -> list[tuple[Pair, str, int, bool]]:
    """(pair, hand text, line, conflict?) for each pair edited by hand: every one checked before
    any is applied, so a hand text that breaks the structure changes nothing."""
    by_id = {pair_id(p): p for p in catalog.active}
    decisions: list[tuple[Pair, str, int, bool]] = []
    for pid, units in placed.items():
        pair = by_id.get(pid)
        start, end = units[0].offset, units[-1].offset + len(units[-1].source)
        hand_slice = zh_text[start:end]
        if pid in ref.spans and hand_slice == ref.text[slice(*ref.spans[pid])]:
            continue  # as rendered: the PO decides
        if pair is None:
            raise WorkbenchError("hand edit of a paragraph whose entry is no longer in the PO file; "
                                 "undo the edit and make it in the PO file", zh_path, units[0].start)
        hand = unfit(hand_slice, units[0], zh_text, layout.Layout.load(pair.layout).pad).strip()
        decision = _decide(pair, hand, base.rendered.get(pid) if base is not None else None)
        if decision is None:
            continue
        broken = problem(hand, pair.kind)
        if broken:
            raise WorkbenchError(f"hand edit {broken[1]}; that cannot be a translation: undo it "
                                 "(nothing was written)", zh_path, units[0].start + broken[0])
        decisions.append((pair, hand, units[0].start, decision))
    return decisions


def _decide(pair: Pair, hand: str, rendered: str | None) -> bool | None:
    """None: nothing to take back; False: take the hand text back; True: a conflict.

    `rendered` is the msgstr the pair was last rendered from, None without a base.
    """
    if normalize(hand) == normalize(pair.chinese):
        return None  # both sides agree (up to line breaks): the PO's text is rendered
    has_chinese = any(is_cjk(c) for c in hand)
    if rendered is not None and pair.chinese == rendered:
        if not pair.chinese and not has_chinese:
            return None  # English edited in place of a translation: not a translation
        return False  # changed only in zh/PATH.md
    if not pair.chinese:
        # the PO lost its translation, or there is no base: a Chinese hand text fills it, nothing is overwritten
        return None if not has_chinese else False
    if normalize(hand) == normalize(pair.english.replace("\n\n", " ")):
        return None  # zh/PATH.md was rendered before this translation was made
    if rendered is not None and normalize(hand) == normalize(rendered):
        return None
    return True


def _owners(ref_doc: Document, ref: Base) -> list[PairId | None]:
    """For each translatable unit of the reference render, the pair whose text it is."""
    spans = sorted((start, end, pid) for pid, (start, end) in ref.spans.items() if end > start)
    starts = [s[0] for s in spans]
    out: list[PairId | None] = []
    for u in ref_doc.translatable:
        k = bisect.bisect_right(starts, u.offset) - 1
        out.append(spans[k][2] if k >= 0 and u.offset < spans[k][1] else None)
    return out


def shared_parts(doc: Document) -> list[tuple[str, Unit]]:
    """The parts of a rendered file the two languages share, as compared for hand edits: code,
    math, directives and HTML exactly; markup (heading #'s, list markers, image targets, table
    pipes) without its whitespace, which the English decides."""
    out = []
    for u in doc.units:
        if u.translatable:
            continue
        text = "".join(u.source.split()) if u.kind == "markup" else u.source
        if text:
            out.append((hashlib.sha1(text.encode("utf-8")).hexdigest(), u))
    return out


def _refuse_shared_edits(ref_doc: Document, zh_doc: Document, zh_path: str) -> None:
    """Refuse a hand edit of a part zh/PATH.md shares with the English (never revert it silently)."""
    ref = shared_parts(ref_doc)
    zh = shared_parts(zh_doc)
    if [h for h, _ in ref] == [h for h, _ in zh]:
        return
    matcher = difflib.SequenceMatcher(None, [h for h, _ in ref], [h for h, _ in zh], autojunk=False)
    for op, i1, i2, j1, _j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        unit = zh[j1][1] if j1 < len(zh) else zh[-1][1] if zh else ref[i1][1]
        line = unit.start
        if op == "replace" and i1 < i2:  # the first line where the two differ
            line += unit.source[: len(os.path.commonprefix([unit.source, ref[i1][1].source]))].count("\n")
        raise WorkbenchError(
            f"hand edit of a part shared with the English ({unit.kind}: {unit.source.strip()[:40]!r}); "
            "code, math, directives, labels, image targets and heading levels come from en/: "
            "undo the edit in zh/ (change the English instead); nothing was written", zh_path, line)
