"""Import a Chinese edition made without the workbench: a parallel en/ and zh/ tree into a book.

Every English file comes into en/; the Chinese file with the same relative path, when there is
one, is aligned with it (align/) and its text goes into zh/PATH.po, one pair per English unit
or one pair over consecutive English units when the Chinese merges or splits paragraphs. Chinese
with no English counterpart is kept as a note on the nearest pair: no Chinese text is lost.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import files, glossary, layout
from .align import align_documents
from .align.beads import Alignment
from .align.confidence import REVIEW_BELOW, anchor_pairing, low_confidence
from .align.dictionary import Dictionary
from .align.units import pairs_of_units
from .book import Book
from .markdown import segment
from .model import GROUP_SEPARATOR, Document, Pair, Unit, WorkbenchError
from .progress import Progress, count_pairs
from .render import fingerprint, render
from .store import Catalog, contexts, keep_obsolete, pairs_for
from .structure import set_aside
from .sync import remember

_MARKER = re.compile(r"[ \t>]*([*+-]|\d+[.)])[ \t]+")

#: Below this confidence (or in a file whose Chinese seems to be another chapter) an imported
#: translation is marked fuzzy (stale): kept and rendered, but counted as needing review.
FUZZY_BELOW = 0.2

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
    confidence: float = 1.0
    """Mean bead confidence (1.0 when there was nothing to align)."""
    review: list[Review] = field(default_factory=list)
    """Least confident beads first."""
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Code cells, display math, labels: (paired with their counterpart, with a counterpart)."""
    warnings: list[str] = field(default_factory=list)
    """Doubts about the whole file (another chapter?) and Chinese that found no place."""
    progress: Progress | None = None
    """The pairs as `workbench status` will count them (doubtful alignments are stale)."""
    unrestored: list[layout.Unrestored] = field(default_factory=list)
    """Lines of the Chinese file that zh/PATH.md, rendered from the pairs, does not give back."""

    def as_dict(self) -> dict[str, object]:
        """The JSON form `workbench import --json` prints."""
        return {
            "file": self.rel,
            "chinese": self.chinese,
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
class ImportReport:
    """What `import_tree` did, per file."""

    files: list[FileImport] = field(default_factory=list)
    chinese_only: list[str] = field(default_factory=list)
    """Chinese files with no English file of the same path (not imported)."""
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
            for pair in group_pairs:
                if not pair.chinese:
                    continue
                pair.notes.append(f"import: aligned with confidence {bead.score:.2f}; check this translation")
                # PO's fuzzy: editors show the pair as needing work until someone confirms it
                pair.stale = bead.score < FUZZY_BELOW or bool(alignment.warnings)
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


def import_tree(en_dir: Path, zh_dir: Path, book: Book, dry_run: bool = False,
                on_progress: OnProgress | None = None) -> ImportReport:
    """Import every English file of en_dir, with its Chinese from zh_dir when there is one.

    Everything is read, segmented and aligned before the first write, so bad input leaves the
    book as it was. The book's glossary/ is read (as a dictionary) and left as it is.
    `on_progress` is called after each file aligned ("aligning") and each file planned for
    writing ("writing").
    """
    tell = on_progress or (lambda stage, done, total: None)
    en_dir, zh_dir = Path(en_dir), Path(zh_dir)
    for d, what in ((en_dir, "English"), (zh_dir, "Chinese")):
        if not d.is_dir():
            raise WorkbenchError(f"no such folder for the {what} tree", str(d))
    rels = sorted(p.relative_to(en_dir).as_posix() for p in en_dir.rglob("*.md") if p.is_file())
    if not rels:
        raise WorkbenchError("no .md files in the English tree", str(en_dir))
    for rel in rels:
        book.rel(rel, new=True)  # a name the book can hold (no control characters, no symlink out of it)
    zh_rels = {p.relative_to(zh_dir).as_posix() for p in zh_dir.rglob("*.md") if p.is_file()}
    dictionary = book_dictionary(book, zh_dir)
    report = ImportReport(chinese_only=sorted(zh_rels - set(rels) - {"TERMINOLOGY.md"}))
    plans: list[tuple[str, str, Catalog]] = []
    for rel in rels:
        en_text = files.read_text(en_dir / rel, str(en_dir / rel))
        en_doc = book.document_of(rel, en_text, str(en_dir / rel))  # segmented once: the save reuses it
        if rel in zh_rels:
            zh_text = files.read_text(zh_dir / rel, str(zh_dir / rel))
            zh_doc = segment(zh_text, str(zh_dir / rel))
            alignment = align_documents(en_doc, zh_doc, dictionary)
            catalog, done = catalog_from_alignment(rel, en_doc, zh_doc, alignment)
        else:
            catalog = Catalog(f"en/{rel}", pairs_for(en_doc, f"en/{rel}"))
            done = FileImport(rel, units=len(en_doc.translatable))
        done.progress = count_pairs(f"en/{rel}", catalog.active)
        report.files.append(done)
        plans.append((rel, en_text, catalog))
        tell("aligning", len(plans), len(rels))
    if dry_run:
        return report
    try:
        book.root.mkdir(parents=True, exist_ok=True)  # a new book starts here
    except OSError as e:
        raise WorkbenchError(f"cannot create the book folder: {e.strerror}", str(book.root)) from None
    with book.lock("import"):
        # what the book has is read (a PO with bad quoting refuses the import) and every write
        # worked out and checked before the first one: exit 2 leaves the book as it was
        saves = []
        for rel, en_text, catalog in plans:
            _keep_old(book, rel, catalog)
            saves.append(book.plan_save(rel, catalog, english=en_text))
            tell("writing", len(saves), len(plans))
        book.apply(saves)
        # the files are now as a sync would leave them: say so in its cache, so the first sync
        # after an import skips them instead of re-matching the whole book
        remember(book, [rel for rel, _, _ in plans], written={rel: catalog for rel, _, catalog in plans})
    report.written = True
    return report


def _keep_old(book: Book, rel: str, catalog: Catalog) -> None:
    """Prepare a fresh catalog for saving over what the book already has for this file.

    Translations in an existing zh/PATH.po that the import does not bring are kept, obsolete.
    zh/PATH.md is replaced by the import (the imported Chinese is the truth here), so it is not
    taken back as a hand edit: it may well be the very file just imported.
    """
    if book.has_catalog(rel):
        old = book.catalog(rel)
        keep_obsolete(catalog, [p for p in old.pairs if p.chinese])
        # other tools' header fields and comment stay with the file
        catalog.metadata, catalog.header_comment = old.metadata, old.header_comment
    zh = book.chinese(rel)
    if zh is not None:
        catalog.rendered = fingerprint(zh)
