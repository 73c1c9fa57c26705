"""QA findings carry their pair (msgid + msgctxt): the TUI shows a table cell's findings on that cell only."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from conftest import corpus_sources, need_corpus
from workbench.book import Book
from workbench.checking import check_book
from workbench.session import Findings

HARDWARE = "chapter_computational-performance/hardware.md"


def test_findings_in_a_table_stay_with_their_cell(tmp_path: Path) -> None:
    need_corpus()
    from workbench.importer import import_tree

    import_tree(*corpus_sources(tmp_path, HARDWARE), Book(tmp_path / "book"))
    book = Book.open(tmp_path / "book")
    findings = check_book(book)
    pairs = book.catalog(HARDWARE).active
    row: dict[int, list] = defaultdict(list)
    for p in pairs:
        if p.kind == "table_cell":
            row[p.line].append(p)
    # a row of the real table where one cell has a finding and another has none
    hit = [f for f in findings if len(row.get(f.en_line, ())) > 1]
    assert hit, "expected a finding in a table row of hardware.md"
    checks = Findings(book)
    checks.by_file = {HARDWARE: findings}
    f = hit[0]
    cells = row[f.en_line]
    about = [p for p in cells if p.english == f.msgid and p.context == f.msgctxt]
    assert len(about) == 1 and f in checks.for_pair(HARDWARE, about[0])
    others = [p for p in cells if p is not about[0]]
    assert others and all(f not in checks.for_pair(HARDWARE, p) for p in others)
    # every finding is shown on exactly one pair of its file
    for f in findings:
        assert sum(f in checks.for_pair(HARDWARE, p) for p in pairs) == 1, f
