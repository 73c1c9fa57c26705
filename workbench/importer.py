"""Import a Chinese edition made without the workbench: a parallel en/ and zh/ tree into a book.

Every English file comes into en/; the Chinese file with the same relative path, when there is
one, is aligned with it (align/) and its text goes into zh/PATH.po, one pair per English unit
or one pair over consecutive English units when the Chinese merges or splits paragraphs. Chinese
with no English counterpart is kept as a note on the nearest pair: no Chinese text is lost.
"""

from __future__ import annotations

import contextlib
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import files, glossary, layout, po_layout
from .align import align_documents
from .align.beads import Alignment
from .align.confidence import REVIEW_BELOW, anchor_pairing, low_confidence
from .align.dictionary import Dictionary
from .align.units import pairs_of_units
from .book import Book, FilePlan
from .file_pairing import candidates, content_print
from .markdown import segment
from .model import GROUP_SEPARATOR, Document, Pair, Unit, WorkbenchError
from .parallel import map_in_order
from .progress import Progress, count_pairs
from .reimport import IMPORTED, Merge, imported_path, merge_file, record
from .render import fingerprint, render
from .store import Catalog, contexts, keep_obsolete, pairs_for
from .structure import set_aside
from .sync import remember

_MARKER = re.compile(r"[ \t>]*([*+-]|\d+[.)])[ \t]+")

#: Prefix of a note holding Chinese that no English unit matched.
UNPLACED = "unplaced Chinese"


@dataclass(slots=True)
class Review:
    """A bead a reviewer should look at: where it is in both files and how sure the aligner was."""

    score: float
    """The bead's confidence, 0 to 1."""
    en_lines: tuple[int, int] | None
    """First and last line of the bead's English (None: no English)."""
    zh_lines: tuple[int, int] | None
    """First and last line of the bead's Chinese (None: no Chinese)."""
    english: str
    """The start of the English, on one line."""
    chinese: str
    """The start of the Chinese, on one line."""


@dataclass(slots=True)
class FileImport:
    """What importing one file did."""

    rel: str
    """Path relative to en/ (and zh/)."""
    units: int = 0
    """Translatable English units."""
    translated: int = 0
    """Units that received Chinese."""
    notes: int = 0
    """Chinese passages kept as notes (no English counterpart)."""
    chinese: bool = False
    """True when a Chinese file was found for this English file."""
    zh: str = ""
    """The Chinese file imported with it, relative to the Chinese tree ("" for none)."""
    how: str = ""
    """How the two files were found to belong together (one of PAIRED_HOW; "" for no Chinese)."""
    confidence: float = 1.0
    """Mean bead confidence (1.0 when there was nothing to align)."""
    review: list[Review] = field(default_factory=list)
    """Least confident beads first."""
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Code cells, display math, labels: (paired with their counterpart, with a counterpart)."""
    warnings: list[str] = field(default_factory=list)
    """Doubts about the whole file (another chapter?) and Chinese that found no place."""
    progress: Progress | None = None
    """The pairs as `workbench status` will count them (doubtful alignments: check the pairing)."""
    unrestored: list[layout.Unrestored] = field(default_factory=list)
    """Lines of the Chinese file that zh/PATH.md, rendered from the pairs, does not give back."""

    def as_dict(self) -> dict[str, object]:
        """The JSON form `workbench import --json` prints."""
        return {
            "file": self.rel,
            "chinese": self.chinese,
            "zh": self.zh,
            "paired": self.how,
            "units": self.units,
            "translated": self.translated,
            "notes": self.notes,
            "confidence": round(self.confidence, 3),
            "warnings": self.warnings,
            "pairs": self.progress.as_dict() if self.progress else None,
            "anchors": {k: {"paired": p, "with_counterpart": h} for k, (p, h) in self.anchors.items()},
            "unrestored": [u.as_dict() for u in self.unrestored],
            "review": [
                {"score": round(r.score, 3), "en_lines": r.en_lines, "zh_lines": r.zh_lines,
                 "english": r.english, "chinese": r.chinese}
                for r in self.review
            ],
        }


@dataclass(slots=True)
class Refusal:
    """A Chinese file that does not translate the English file of its path: not imported."""

    en: str
    zh: str
    why: str
    """The aligner's doubt about the whole file."""

    def as_dict(self) -> dict[str, str]:
        return {"en": self.en, "zh": self.zh, "why": self.why}


@dataclass(slots=True)
class ImportReport:
    """What `import_tree` did, per file."""

    files: list[FileImport] = field(default_factory=list)
    chinese_only: list[str] = field(default_factory=list)
    """Chinese files imported with no English file (none of their path, none by content; refused ones included)."""
    refused: list[Refusal] = field(default_factory=list)
    """Chinese files that do not translate the English file of their path (and found no other)."""
    merge: Merge = field(default_factory=Merge)
    """What importing into the book's own translations changes (reimport.py)."""
    written: bool = False
    """False on a dry run."""


def chinese_text(u: Unit, source: str = "") -> str:
    """A Chinese unit's text as a translation: its source, continuation lines un-indented.

    Given the Chinese file's text, a list item keeps its marker (`1. `, `* `): used when the
    item goes into a group whose English is not a list, so the Chinese list stays a list.
    """
    text = u.text.strip()
    if u.column and "\n" in text and u.kind != "comment":
        first, rest = text.split("\n", 1)
        text = first + "\n" + textwrap.dedent(rest)
    if source and u.kind == "list_item":
        marker = _MARKER.fullmatch(source[u.offset - u.column : u.offset])
        if marker:
            text = marker.group(1) + " " + text
    return text


def catalog_from_alignment(rel: str, en_doc: Document, zh_doc: Document, alignment: Alignment) -> tuple[Catalog, FileImport]:
    """The pairs of one English file, filled with the Chinese the alignment found."""
    report = FileImport(rel, chinese=True, confidence=alignment.confidence, warnings=list(alignment.warnings))
    pairs: list[Pair] = []
    placed: list[tuple[Pair, list[Unit], list[Unit]]] = []  # each pair with its English and Chinese units
    pending: list[tuple[int, str]] = []  # (pairs made so far, note) for Chinese with no English
    zh_lines = zh_doc.text.splitlines()
    for bead in alignment.beads:
        group_pairs: list[Pair] = []
        for eu, zu in pairs_of_units(bead, alignment.en, alignment.zh):
            if eu:
                # Chinese list items under English that is not a list keep their markers (and
                # are set aside below: a msgstr holds no list); under English list items the
                # English markers stand, and a marker copied too would nest a list in the item
                keep = zh_doc.text if any(u.kind == "list_item" for u in zu) and any(
                    u.kind != "list_item" for u in eu) else ""
                # comments joined keep the Chinese lines: a code comment is rendered line by
                # line after its `# `, and a blank line would be an empty `#` line
                joint = "\n" if zu and all(u.kind == "comment" for u in zu) else GROUP_SEPARATOR
                pair = Pair(
                    english=GROUP_SEPARATOR.join(u.key for u in eu),
                    chinese=joint.join(chinese_text(u, keep) for u in zu),
                    kind=eu[0].kind,
                    line=eu[0].start,
                )
                set_aside(pair, f"import (zh line {zu[0].start if zu else 0})")
                pairs.append(pair)
                placed.append((pair, eu, zu))
                group_pairs.append(pair)
                if zu:
                    report.translated += len(eu)
            else:
                for u in zu:
                    pending.append((len(pairs), f"{UNPLACED} (zh line {u.start}): {chinese_text(u)}"))
        if not bead.en:
            # a Chinese passage with nothing to translate (a code cell, math) and no English
            for j in bead.zh:
                p = alignment.zh[j]
                if not p.units:
                    text = "\n".join(zh_lines[p.start - 1 : p.end])
                    pending.append((len(pairs), f"{UNPLACED} (zh line {p.start}): {text}"))
        if bead.en and bead.zh and (bead.score < REVIEW_BELOW or alignment.warnings):
            why = f"aligned with confidence {bead.score:.2f}" + (
                "; the whole file pairs badly (paired by --pair)" if alignment.warnings else "")
            for pair in group_pairs:
                if pair.chinese:
                    mark_doubtful(pair, why)
    for at, note in pending:
        if not pairs:
            report.warnings.append(f"no English unit to keep Chinese on: {note[:80]}")
            continue
        # the nearest pair is the one just before the Chinese; at the top of the file, the first
        pairs[max(at - 1, 0)].notes.append(note)
        report.notes += 1
    contexts(pairs)
    # the Chinese file's own blank lines, markers and indentation go with the pairs; what the
    # render still does not give back is told line by line
    layout.record(en_doc, zh_doc, placed)
    catalog = Catalog(f"en/{rel}", pairs)
    used = {id(u) for p, _, zu in placed if p.chinese for u in zu}
    aside = {id(u) for p, _, zu in placed if not p.chinese for u in zu}
    report.unrestored = layout.unrestored(render(en_doc, catalog), zh_doc, used, aside)
    report.units = len(en_doc.translatable)
    report.review = _review(alignment, en_doc, zh_doc)
    report.anchors = anchor_pairing(alignment)
    return catalog, report


def mark_doubtful(pair: Pair, why: str) -> None:
    """Mark an imported pair "check the pairing" (model.State.PAIRING): is this Chinese the
    translation of this English? Kept and rendered, not done until a translator accepts it.

    The pair is PO-fuzzy as well. A pairing that may be wrong must not be used as a translation
    by the tools that read the PO without knowing the workbench: msgfmt leaves fuzzy entries
    out of the compiled catalog, translation memories and Weblate do not take them as
    translated, and a PO editor shows them as needing work, which they do. The workbench tells
    the two apart by the `#. pairing:` mark: no `#| msgid` (the English did not change), so
    `diff` does not list it as stale, and accepting it (an edit, `workbench review`) clears both.
    """
    pair.pairing = why
    pair.stale = True


def _review(alignment: Alignment, en_doc: Document, zh_doc: Document, limit: int = 10) -> list[Review]:
    """The least confident beads, with where they are and how they start."""
    en_lines = en_doc.text.splitlines()
    zh_lines = zh_doc.text.splitlines()

    def span(ps: list, idx: list[int]) -> tuple[int, int] | None:
        return (ps[idx[0]].start, ps[idx[-1]].end) if idx else None

    def text(lines: list[str], s: tuple[int, int] | None) -> str:
        return " ".join(" ".join(lines[s[0] - 1 : s[1]]).split())[:120] if s else ""

    out = []
    for b in low_confidence(alignment, limit):
        es, zs = span(alignment.en, b.en), span(alignment.zh, b.zh)
        out.append(Review(b.score, es, zs, text(en_lines, es), text(zh_lines, zs)))
    return out


def book_dictionary(book: Book, zh_dir: Path | None = None) -> Dictionary:
    """The book's glossary (glossary/*.tsv) and the Chinese tree's TERMINOLOGY.md, as a dictionary."""
    d = Dictionary()
    gloss = book.root / "glossary"
    if gloss.is_dir():
        for path in sorted(gloss.glob("*.tsv")):
            d.add_terms(glossary.parse_tabbed(files.read_text(path, book.shown(path)), book.shown(path)))
    if zh_dir is not None and (zh_dir / "TERMINOLOGY.md").is_file():
        path = zh_dir / "TERMINOLOGY.md"
        d.add_terms(glossary.parse_terminology(files.read_text(path, str(path)), str(path)))
    return d


#: Told how far an import is: (what it is doing, files done, files in all). The CLI draws a bar.
OnProgress = Callable[[str, int, int], None]


@dataclass(slots=True)
class _Match:
    """The Chinese file an English file imports, and how the two were found to belong together."""

    zh: str
    zh_doc: Document
    alignment: Alignment
    how: str  # one of PAIRED_HOW


#: How an English file found its Chinese: same path, by content, named by --pair.
PAIRED_HOW = ("same path", "paired by content", "paired by --pair")


def import_tree(en_dir: Path, zh_dir: Path, book: Book, dry_run: bool = False,
                on_progress: OnProgress | None = None, forced: dict[str, str] | None = None,
                replace: bool = False) -> ImportReport:
    """Import every English file of en_dir, with its Chinese from zh_dir when there is one.

    The Chinese of an English file is the file of the same path, unless `forced` ({English
    path: Chinese path}, `--pair`) names another; a Chinese file that does not translate its
    English (align.confidence.doubts) is refused, and every Chinese file left without English
    is matched by content to the English files left without Chinese (file_pairing).
    Into a book that has translations the import is a merge (reimport.py): a translation revised
    in the book stays the live one unless `replace`; `report.merge` says what changes.
    Everything is read, segmented, aligned, merged and planned (Book.plan_save) before the first
    write, so bad input leaves the book as it was; a dry run does all of it and writes nothing.
    The book's glossary/ is read (as a dictionary) and left as it is. `on_progress` is called
    after each file aligned ("aligning"), each candidate tried by content ("pairing") and each
    file planned ("writing"; "planning" on a dry run).
    """
    tell = on_progress or (lambda stage, done, total: None)
    en_dir, zh_dir = Path(en_dir), Path(zh_dir)
    rels, zh_rels, forced = _trees(en_dir, zh_dir, book, forced or {})
    dictionary = book_dictionary(book, zh_dir)
    report = ImportReport()
    reading = _Reading(en_dir, zh_dir, dictionary)
    texts, en_docs, zh_docs, matched = _align_all(book, reading, rels, zh_rels, forced, report, tell)

    def zh_doc(zrel: str) -> Document:
        if zrel not in zh_docs:
            zh_docs[zrel] = reading.chinese(zrel)
        return zh_docs[zrel]

    _pair_by_content(report, matched, rels, en_docs, zh_rels, zh_doc, dictionary, tell)
    report.chinese_only = sorted(zh_rels - {m.zh for m in matched.values()} - {r.zh for r in report.refused})
    if not dry_run:
        try:
            book.root.mkdir(parents=True, exist_ok=True)  # a new book starts here
        except OSError as e:
            raise WorkbenchError(f"cannot create the book folder: {e.strerror}", str(book.root)) from None
    planning = _Planning(book, texts, en_docs, matched, replace, in_place=zh_dir.resolve() == (book.root / "zh").resolve())
    with book.lock("import") if not dry_run else contextlib.nullcontext():
        _plan_and_write(book, planning, rels, report, dry_run, tell)
    report.written = not dry_run
    return report


def _trees(en_dir: Path, zh_dir: Path, book: Book, forced: dict[str, str]) -> tuple[list[str], set[str], dict[str, str]]:
    """The English files to import, the Chinese files there are, and the forced pairings, each
    checked (names the book can hold, `--pair` files that exist)."""
    for d, what in ((en_dir, "English"), (zh_dir, "Chinese")):
        if not d.is_dir():
            raise WorkbenchError(f"no such folder for the {what} tree", str(d))
    rels = sorted(p.relative_to(en_dir).as_posix() for p in en_dir.rglob("*.md") if p.is_file())
    if not rels:
        raise WorkbenchError("no .md files in the English tree", str(en_dir))
    for rel in rels:
        book.rel(rel, new=True)  # a name the book can hold (no control characters, no symlink out of it)
    zh_rels = {p.relative_to(zh_dir).as_posix() for p in zh_dir.rglob("*.md") if p.is_file()} - {"TERMINOLOGY.md"}
    for en_rel, zh_rel in forced.items():
        if en_rel not in rels:
            raise WorkbenchError(f"--pair {zh_rel}={en_rel}: no such English file in the English tree", str(en_dir))
        if zh_rel not in zh_rels:
            raise WorkbenchError(f"--pair {zh_rel}={en_rel}: no such Chinese file in the Chinese tree", str(zh_dir))
    return rels, zh_rels, dict(forced)


def _align_all(book: Book, reading: _Reading, rels: list[str], zh_rels: set[str], forced: dict[str, str],
               report: ImportReport, tell: OnProgress) -> tuple[dict[str, str], dict[str, Document],
                                                                dict[str, Document], dict[str, _Match]]:
    """Each English file read, segmented and aligned with its Chinese of the same path (or the
    forced one), in worker processes on a machine with more than one core (parallel.py); a
    Chinese file that does not translate its English is refused. Returns the English texts and
    documents, the Chinese documents read, and the files matched."""
    taken = set(forced.values())
    wanted = [(rel, forced.get(rel) or (rel if rel in zh_rels and rel not in taken else None)) for rel in rels]
    texts: dict[str, str] = {}
    en_docs: dict[str, Document] = {}
    zh_docs: dict[str, Document] = {}
    matched: dict[str, _Match] = {}
    for k, ((rel, zrel), (en_text, en_doc, zh, alignment)) in enumerate(
            zip(wanted, map_in_order(_read_and_align, reading, wanted), strict=True), 1):
        texts[rel], en_docs[rel] = en_text, book.keep_document(rel, en_text, en_doc)  # segmented once: the save reuses it
        if zrel is not None and zh is not None and alignment is not None:
            zh_docs[zrel] = zh
            if rel in forced:
                matched[rel] = _Match(zrel, zh, alignment, PAIRED_HOW[2])
            elif alignment.warnings:
                report.refused.append(Refusal(rel, zrel, alignment.warnings[0]))
            else:
                matched[rel] = _Match(zrel, zh, alignment, PAIRED_HOW[0])
        tell("aligning", k, len(rels))
    return texts, en_docs, zh_docs, matched


def _plan_and_write(book: Book, planning: _Planning, rels: list[str], report: ImportReport, dry_run: bool,
                    tell: OnProgress) -> None:
    """Under the book's lock: what the book has is read (a PO with bad quoting refuses the import),
    merged with what the edition brings, and every write worked out and checked before the first
    one, so exit 2 leaves the book as it was; a dry run stops there, having planned everything."""
    saves = []
    written: dict[str, Catalog] = {}
    for rel, (done, catalog, plan, merged, laid_out) in zip(rels, map_in_order(_plan_file, planning, rels),
                                                             strict=True):
        po_layout.learn(laid_out)
        report.files.append(done)
        report.merge.extend(merged)
        written[rel] = catalog
        saves.append(plan)
        tell("planning" if dry_run else "writing", len(saves), len(rels))
    if dry_run:
        return
    book.apply(saves)
    # the files are now as a sync would leave them: say so in its cache, so the first sync
    # after an import skips them instead of re-matching the whole book
    remember(book, rels, written=written)


@dataclass(slots=True)
class _Reading:
    """What reading and aligning a file needs (reaches worker processes by fork)."""

    en_dir: Path
    zh_dir: Path
    dictionary: Dictionary

    def chinese(self, zrel: str) -> Document:
        path = self.zh_dir / zrel
        return segment(files.read_text(path, str(path)), str(path))


def _read_and_align(job: _Reading, item: tuple[str, str | None]) -> tuple[str, Document, Document | None,
                                                                          Alignment | None]:
    """One English file read and segmented, aligned with its Chinese file when it has one."""
    rel, zrel = item
    path = job.en_dir / rel
    en_text = files.read_text(path, str(path))
    en_doc = segment(en_text, str(path))
    if zrel is None:
        return en_text, en_doc, None, None
    zh_doc = job.chinese(zrel)
    return en_text, en_doc, zh_doc, align_documents(en_doc, zh_doc, job.dictionary)


@dataclass(slots=True)
class _Planning:
    """What making a file's pairs and planning its save needs (reaches worker processes by fork)."""

    book: Book
    texts: dict[str, str]
    en_docs: dict[str, Document]
    matched: dict[str, _Match]
    replace: bool
    in_place: bool


def _plan_file(job: _Planning, rel: str) -> tuple[FileImport, Catalog, FilePlan, Merge, dict]:
    """One file's pairs made from its alignment, merged with what the book has, its save planned;
    with the PO strings laid out for it (po_layout.learn: the sync cache's check dumps them again)."""
    po_layout.begin_journal()
    found, en_doc = job.matched.get(rel), job.en_docs[rel]
    if found is not None:
        catalog, done = catalog_from_alignment(rel, en_doc, found.zh_doc, found.alignment)
        done.zh, done.how = found.zh, found.how
    else:
        catalog = Catalog(f"en/{rel}", pairs_for(en_doc, f"en/{rel}"))
        done = FileImport(rel, units=len(en_doc.translatable))
    done.progress = count_pairs(f"en/{rel}", catalog.active)
    brought = record(catalog)  # what the edition brings, before the book's revisions are merged in
    merged = Merge()
    _keep_old(job.book, rel, catalog, merged, job.replace, job.in_place)
    plan = job.book.plan_save(rel, catalog, english=job.texts[rel])
    if job.book.state(f"{IMPORTED}/{rel}.json") != brought:
        plan.writes.append((imported_path(job.book, rel), brought))
    return done, catalog, plan, merged, po_layout.end_journal()


def _pair_by_content(report: ImportReport, matched: dict[str, _Match], rels: list[str], en_docs: dict[str, Document],
                     zh_rels: set[str], zh_doc: Callable[[str], Document], dictionary: Dictionary,
                     tell: OnProgress) -> None:
    """Match the Chinese files left without English (no English of their path, or refused by
    it) to the English files left without Chinese: most alike first, each candidate aligned,
    the first the aligner does not doubt taken."""
    used = {m.zh for m in matched.values()}
    zh_left = sorted(zh_rels - used)
    en_left = [rel for rel in rels if rel not in matched]
    if not zh_left or not en_left:
        return
    zh_prints = {z: content_print(zh_doc(z), chinese=True) for z in zh_left}
    en_prints = {e: content_print(en_docs[e], chinese=False) for e in en_left}
    refused = {(r.zh, r.en) for r in report.refused}
    tries = candidates(zh_prints, en_prints, tried=refused)
    for k, c in enumerate(tries, 1):
        tell("pairing", k, len(tries))
        if c.en in matched or c.zh in used:
            continue
        alignment = align_documents(en_docs[c.en], zh_doc(c.zh), dictionary)
        if alignment.warnings:
            continue
        matched[c.en] = _Match(c.zh, zh_doc(c.zh), alignment, PAIRED_HOW[1])
        used.add(c.zh)
    # a refused Chinese file that found its English elsewhere is no refusal
    report.refused = [r for r in report.refused if r.zh not in used]


def _keep_old(book: Book, rel: str, catalog: Catalog, merge: Merge, take_edition: bool, in_place: bool) -> None:
    """Prepare a fresh catalog for saving over what the book already has for this file.

    The book's pairs are merged in (reimport.py: its revisions stay live unless `take_edition`);
    translations the import does not bring are kept, obsolete. zh/PATH.md is taken as rendered
    (not as hand edits) when it is the very file imported (`in_place`) or the book has no pairs
    for it yet; otherwise its hand edits are merged by Book.plan_save like any save's.
    """
    has = book.has_catalog(rel)
    if has:
        old = book.catalog(rel)
        merge_file(book, rel, catalog, old, merge, take_edition)
        # a pair the merge kept live (notes and all) is no translation to put aside
        live = {(p.context, p.english, p.chinese) for p in catalog.active}
        keep_obsolete(catalog, [p for p in old.pairs if p.chinese and (p.context, p.english, p.chinese) not in live])
        # other tools' header fields and comment stay with the file
        catalog.metadata, catalog.header_comment = old.metadata, old.header_comment
    zh = book.chinese(rel)
    if zh is not None and (in_place or not has):
        catalog.rendered = fingerprint(zh)
