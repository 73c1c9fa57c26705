"""One glossary parser: the import's alignment evidence and `workbench glossary import` read
d2l-zh's TERMINOLOGY.md and the book's glossary.tsv into the same terms."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CORPUS, need_corpus
from workbench import glossary
from workbench.align.dictionary import Dictionary
from workbench.book import Book
from workbench.cli import main
from workbench.importer import book_dictionary

TERMINOLOGY = CORPUS / "TERMINOLOGY.md"


def _evidence(terms: list[glossary.Term]) -> list[tuple[str, str]]:
    """What the aligner takes as evidence from glossary terms (short terms are too common to tell anything)."""
    return Dictionary().add_terms(terms).entries


def test_import_evidence_and_glossary_import_see_the_same_terminology(tmp_path: Path) -> None:
    need_corpus()
    zh = tmp_path / "zh-src"
    zh.mkdir()
    shutil.copy(TERMINOLOGY, zh / "TERMINOLOGY.md")
    book = Book(tmp_path / "book")
    evidence = book_dictionary(book, zh).entries
    # the same book after `workbench glossary import TERMINOLOGY.md`: its glossary.tsv, read as the import reads it
    (tmp_path / "book" / "en").mkdir(parents=True)
    assert main(["glossary", "import", str(TERMINOLOGY), "--book", str(tmp_path / "book")]) == 0
    imported = glossary.load(tmp_path / "book").terms
    assert evidence == _evidence(imported) == book_dictionary(Book(tmp_path / "book")).entries
    # "实例/示例，instance": two terms; "(LSTM)" is a note, not part of the English
    assert ("instance", "实例") in evidence and ("instance", "示例") in evidence
    assert ("long short-term memory", "长短期记忆网络") in evidence
    assert not any("(" in e or "/" in c for e, c in evidence)
    assert len(evidence) > 130  # of the 140 terms, the ones long enough to be evidence


def test_rejected_and_forbidden_terms_are_no_evidence(builtin_book: Path) -> None:
    g = glossary.load(builtin_book)
    assert g.terms
    g.terms[0].status = "forbidden"
    text = glossary.dump(g)
    (builtin_book / "glossary" / "glossary.tsv").write_text(text, encoding="utf-8")
    entries = book_dictionary(Book(builtin_book)).entries
    first = g.terms[0]
    assert (first.english.lower(), first.chinese) not in entries
    assert entries == _evidence(glossary.parse(text).terms)
