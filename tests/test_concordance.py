"""Concordance search: `workbench search` and the TUI's search are one core function."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PREFACE, copy_files
from conftest import run_in_book as run
from workbench.book import Book
from workbench.concordance import search, search_book
from workbench.session import Session


def test_search_json_finds_english_and_chinese(builtin_book: Path, capsys) -> None:
    code, out, _ = run(capsys, builtin_book, "search", "Gluon", "--json")
    assert code == 0
    hits = json.loads(out)["hits"]
    assert hits and all(set(h) == {"file", "line", "english", "chinese"} for h in hits)
    assert all(h["file"] == f"en/{PREFACE}" and "gluon" in h["english"].lower() for h in hits)
    assert [h["line"] for h in hits] == sorted(h["line"] for h in hits)
    # the Chinese side, case and spacing ignored on both
    code, out, _ = run(capsys, builtin_book, "search", "深度学习", "--json")
    zh_hits = json.loads(out)["hits"]
    assert len(zh_hits) > 5 and all("深度学习" in h["chinese"] for h in zh_hits)
    plain = json.loads(run(capsys, builtin_book, "search", "deep learning", "--json")[1])["hits"]
    code, out, _ = run(capsys, builtin_book, "search", "DEEP   learning", PREFACE, "--json")
    assert json.loads(out)["hits"] == plain and len(plain) > 5


def test_search_regex_and_bad_regex(builtin_book: Path, capsys) -> None:
    code, out, _ = run(capsys, builtin_book, "search", r"深度学习\w{0,2}模型", "--regex", "--json")
    hits = json.loads(out)["hits"]
    assert code == 0 and hits and all("模型" in h["chinese"] for h in hits)
    # plain text is not a pattern: the dot is a dot
    assert json.loads(run(capsys, builtin_book, "search", "深度.习", "--json")[1])["hits"] == []
    code, _, err = run(capsys, builtin_book, "search", "(", "--regex")
    assert code == 2 and "not a regular expression" in err


def test_the_tui_session_searches_through_the_same_function(builtin_book: Path) -> None:
    book = Book.open(builtin_book)
    session = Session(book)
    for query in ("learning", "深度学习", "MXNet"):
        tui_hits, count = session.search(query)
        core = search_book(book, query)
        assert count == len(core) > 0
        assert [(h.rel, h.pair.line) for h in tui_hits] == [(h.rel, h.pair.line) for h in core]
    hits, count = search([(PREFACE, book.catalog(PREFACE).active)], "the", limit=3)
    assert len(hits) == 3 and count > 3


@pytest.mark.corpus
@pytest.mark.slow
def test_search_and_xliff_round_trip_on_corpus_chapters(imported_corpus, tmp_path: Path, capsys) -> None:
    """Real d2l chapters: a term's concordance, and every translation exported as XLIFF comes
    back as the same (nothing filled, no conflict, no unmatched unit)."""
    rels = ["chapter_linear-networks/softmax-regression.md", "chapter_multilayer-perceptrons/mlp.md"]
    root = copy_files(imported_corpus[0], tmp_path / "book", rels)
    code, out, _ = run(capsys, root, "search", "softmax", "--json")
    hits = json.loads(out)["hits"]
    assert code == 0 and {h["file"] for h in hits} == {f"en/{r}" for r in rels}
    assert any("softmax" in h["chinese"].lower() for h in hits)
    xlf = tmp_path / "book.xlf"
    assert run(capsys, root, "export", "--format", "xliff", "-o", str(xlf))[0] == 0
    po_before = {r: (root / "zh" / r).with_suffix(".po").read_bytes() for r in rels}
    code, out, _ = run(capsys, root, "import-translations", str(xlf), "--json")
    report = json.loads(out)
    assert code == 0 and report["conflicts"] == [] and report["unmatched"] == [] and report["files"] == []
    assert report["same"] > 50
    assert {r: (root / "zh" / r).with_suffix(".po").read_bytes() for r in rels} == po_before
