"""Importing an edition again into a book with translations is a merge: a translator's revision
stays live unless --replace, what changes is reported, --dry-run writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import assert_msgfmt_ok, corpus_sources, need_corpus, run_in_book
from workbench.book import Book
from workbench.model import Pair
from workbench.session import Session

VGG = "chapter_convolutional-modern/vgg.md"


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _paragraphs(book: Path) -> list[Pair]:
    return [p for p in Book(book).catalog(VGG).active if p.kind == "paragraph" and p.chinese]


@pytest.mark.corpus
def test_reimport_keeps_a_translators_revision_and_takes_the_editions_own(tmp_path, capsys):
    need_corpus()
    en, zh = corpus_sources(tmp_path, VGG)
    book = tmp_path / "book"
    args = ("import", "--en", str(en), "--zh", str(zh))
    assert run_in_book(capsys, book, *args)[0] == 0

    # a translator revises one translation in the book (the TUI's edit and save)
    session = Session(Book(book))
    revised = _paragraphs(book)[1]
    pair = next(p for p in session.catalog(VGG).active if p.english == revised.english)
    session.set_chinese(VGG, pair, pair.chinese + "（修订）")
    session.save(VGG)
    edition_text = revised.chinese

    # the dry run says what would happen and writes nothing
    before = _snapshot(book)
    code, out, _ = run_in_book(capsys, book, *args, "--dry-run")
    assert code == 0 and _snapshot(book) == before
    assert ("would merge into the book's translations: 1 revised in the book kept live (the edition's Chinese noted "
            "on them; --replace to take it), 0 updated from the edition, 0 replaced") in out
    assert f"  en/{VGG}:{revised.line}: the book's revision kept: book '…" in out and "（修订）" in out
    code, out, _ = run_in_book(capsys, book, *args, "--dry-run", "--json")
    kept = json.loads(out)["merge"]["kept"]
    assert [(k["book"], k["edition"]) for k in kept] == [(edition_text + "（修订）", edition_text)]
    assert _snapshot(book) == before

    # the import keeps the revision live, the edition's Chinese noted beside it
    code, out, _ = run_in_book(capsys, book, *args)
    assert code == 0 and "merged into the book's translations: 1 revised in the book kept live" in out
    now = {p.english: p for p in _paragraphs(book)}
    assert now[revised.english].chinese == edition_text + "（修订）"
    assert f"import: the Chinese edition has: {edition_text}" in now[revised.english].notes
    assert "（修订）" in (book / "zh" / VGG).read_text(encoding="utf-8")
    again = _snapshot(book)
    assert run_in_book(capsys, book, *args)[0] == 0 and _snapshot(book) == again  # a merge changes nothing twice

    # the edition revises another paragraph the book left alone: it comes in
    other = _paragraphs(book)[3]
    zh_text = (zh / VGG).read_text(encoding="utf-8")
    last_line = other.chinese.split("\n")[-1]
    assert zh_text.count(last_line) == 1
    (zh / VGG).write_text(zh_text.replace(last_line, last_line + "（新版）"), encoding="utf-8")
    code, out, _ = run_in_book(capsys, book, *args)
    assert code == 0 and "0 revised in the book kept live" not in out
    assert ", 1 updated from the edition," in out
    now = {p.english: p for p in _paragraphs(book)}
    assert now[other.english].chinese.endswith("（新版）")
    assert now[revised.english].chinese.endswith("（修订）")  # still the book's

    # --replace: the edition's Chinese replaces the revision, which is kept as an obsolete entry
    code, out, _ = run_in_book(capsys, book, *args, "--replace")
    assert code == 0 and "0 revised in the book kept live" in out and "1 replaced by the edition's" in out
    catalog = Book(book).catalog(VGG)
    live = next(p for p in catalog.active if p.english == revised.english)
    assert live.chinese == edition_text
    assert not any(n.startswith("import: the Chinese edition has:") for n in live.notes)
    assert any(p.obsolete and p.chinese == edition_text + "（修订）" for p in catalog.pairs)
    assert "（修订）" not in (book / "zh" / VGG).read_text(encoding="utf-8")
    assert_msgfmt_ok(book / "zh")
