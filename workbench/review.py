"""Review state: a translated pair a second translator has read and passed.

Teams work in two steps, translated then reviewed (Weblate's "approved"). How it is stored in
the PO, and why:

- Not a flag (`#, reviewed`): `msgcat` keeps only the flags gettext knows (fuzzy, *-format,
  no-wrap, range) and silently drops any other, so the state would be lost on the first
  round trip through gettext (tried with GNU gettext's msgcat). PO has no standard "reviewed"
  flag; Weblate keeps its approved state in its own database, not in PO files (only "needs
  editing" becomes `fuzzy`; storing approval in PO is its open request WeblateOrg/weblate#4852).
- An extracted comment `#. reviewed: MARK`, beside the workbench's `#. kind:` line: msgcat,
  translate-toolkit's PO layer (which Weblate uses) and Poedit keep `#.` comments as they are
  and never show them as editable.
- MARK is `model.review_mark` of the Chinese as reviewed. A tool that does not know the mark
  keeps it while its user edits the translation; the mark then no longer fits and the pair
  reads as translated, not reviewed. So every edit - the TUI's save, a hand edit of zh/*.md
  taken back, an import, Poedit or Weblate - makes a reviewed pair translated again without
  any code of its own, and a sync that makes a pair stale ends its review (`Pair.reviewed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .book import Book
from .model import Pair, WorkbenchError, review_mark
from .store import Catalog, match, unsettle


def set_reviewed(pair: Pair, reviewed: bool = True, where: str = "") -> None:
    """Mark a pair reviewed (or take the mark off). Only a translated, not stale pair can be reviewed.

    A review clears what `sync` noted on a pair it settled (its kind, note and previous English):
    the reviewer has read the settled Chinese."""
    if not reviewed:
        pair.review = ""
        return
    if not pair.chinese:
        raise WorkbenchError("an untranslated pair cannot be reviewed; translate it first", where or None,
                             pair.line or None)
    pair.accept_pairing()  # a reviewer who passes the Chinese accepts that it translates this English
    if pair.stale:
        raise WorkbenchError("a stale pair cannot be reviewed; accept or fix its translation first",
                             where or None, pair.line or None)
    pair.review = review_mark(pair.chinese)
    unsettle(pair)


@dataclass(slots=True)
class FileReview:
    """What a batch review does to one file."""

    rel: str
    """The English file, relative to en/."""
    catalog: Catalog
    """Its pairs, the marks already set on the ones to review."""
    marked: list[Pair] = field(default_factory=list)
    """Pairs that become reviewed."""
    already: int = 0
    """Pairs that were reviewed before."""
    findings: list[Pair] = field(default_factory=list)
    """Translated pairs left unreviewed because QA found something in them (--no-findings)."""
    unfinished: int = 0
    """Stale, untranslated, conflicting pairs and pairs whose pairing is doubted (never reviewed in a batch)."""

    def as_dict(self) -> dict[str, object]:
        return {"file": f"en/{self.rel}", "reviewed": len(self.marked), "already": self.already,
                "with_findings": [p.line for p in self.findings], "unfinished": self.unfinished}


def plan_review(book: Book, rels: list[str], no_findings: bool = False, pairings: bool = False) -> list[FileReview]:
    """Mark, in memory, every translated and not stale pair of the files reviewed; with
    `no_findings`, only the pairs in which no QA check finds anything; with `pairings`, the pairs
    whose import pairing was doubted too (the reviewer read them and accepts the pairing)."""
    flagged: set[tuple[str, int]] = set()
    if no_findings:
        from .checking import check_book  # QA is slow to import and only this option needs it

        flagged = {(f.en_file, f.en_line) for f in check_book(book, rels)}
    out = []
    for rel in rels:
        catalog = book.catalog(rel)
        fr = FileReview(rel, catalog)
        for p in catalog.active:
            if p.reviewed:
                fr.already += 1
            elif not _batch_reviewable(p, pairings):
                fr.unfinished += 1
            elif (f"en/{rel}", p.line) in flagged:
                fr.findings.append(p)
            else:
                set_reviewed(p)
                fr.marked.append(p)
        out.append(fr)
    return out


def _batch_reviewable(p: Pair, pairings: bool) -> bool:
    """A pair a file's batch review may mark: translated, in no conflict, not stale; a pairing the
    import doubted only with `pairings` and when its English has not changed since. A conflict or
    a doubted pairing is for the translator to settle first: a batch must not pass it unread
    (its mark would outlive the fix)."""
    if not p.chinese or p.conflict:
        return False
    if p.pairing:
        return pairings and not p.previous
    return not p.stale


def apply_review(book: Book, plan: list[FileReview]) -> None:
    """Write the files whose pairs were marked (Book.save_all: nothing written when one fails);
    call under `book.lock()`."""
    book.save_all({fr.rel: fr.catalog for fr in plan if fr.marked})


def unreviewed(book: Book, rels: list[str] | None = None) -> list[tuple[str, int]]:
    """(en/PATH.md, line) of every unit of the files whose pair is missing, unfinished or not reviewed."""
    out = []
    for rel in rels or book.english_files():
        doc = book.document(rel)
        for m in match(doc, book.catalog(rel)):
            if m.head and (m.pair is None or not m.pair.reviewed):
                out.append((f"en/{rel}", doc.units[m.unit].start))
    return out
