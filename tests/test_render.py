"""The Chinese edition: rendered from the pairs; hand edits of zh/*.md go back into the PO."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_msgfmt_ok
from workbench import store
from workbench.book import Book
from workbench.model import WorkbenchError
from workbench.render import render

PREFACE = "chapter_preface/index.md"


def test_builtin_render_is_what_is_committed(builtin_book: Path) -> None:
    book = Book(builtin_book)
    assert render(book.document(PREFACE), book.catalog(PREFACE)) == book.chinese(PREFACE)


def test_untranslated_units_keep_the_english(builtin_book: Path) -> None:
    book = Book(builtin_book)
    zh = book.chinese(PREFACE)
    assert zh is not None
    assert "![Book structure](../img/book-org.svg)" in zh  # the one untranslated unit
    assert "## 关于本书\n" in zh and "# 前言\n" in zh


def test_hand_edit_is_taken_back(builtin_book: Path) -> None:
    book = Book(builtin_book)
    zh_path = book.zh_path(PREFACE)
    text = zh_path.read_text(encoding="utf-8")
    edited = text.replace("## 关于本书", "## 关于这本书")
    edited = edited.replace("所有笔记本均可在GitHub上下载。", "所有笔记本都可以在GitHub上下载。")
    zh_path.write_text(edited, encoding="utf-8")
    with book.lock():
        result = book.save(PREFACE, book.catalog(PREFACE))
    assert sorted(t.after for t in result.taken_back) == ["关于这本书", "所有笔记本都可以在GitHub上下载。"]
    chinese = {p.english: p.chinese for p in book.catalog(PREFACE).pairs}
    assert chinese["About This Book"] == "关于这本书"
    assert zh_path.read_text(encoding="utf-8") == edited  # the render now is the edited file
    with book.lock():
        again = book.save(PREFACE, book.catalog(PREFACE))
    assert not again.changed and not again.taken_back
    assert_msgfmt_ok(builtin_book / "zh")


def test_hand_edit_that_adds_a_paragraph_is_refused_with_its_line(builtin_book: Path) -> None:
    book = Book(builtin_book)
    zh_path = book.zh_path(PREFACE)
    po_before = book.po_path(PREFACE).read_bytes()
    text = zh_path.read_text(encoding="utf-8")
    edited = text.replace("## 关于本书\n", "## 关于本书\n\n一段没有英文的新段落。\n")
    zh_path.write_text(edited, encoding="utf-8")
    with pytest.raises(WorkbenchError) as e, book.lock():
        book.save(PREFACE, book.catalog(PREFACE))
    assert e.value.path == "zh/chapter_preface/index.md"
    assert e.value.line == edited.splitlines().index("一段没有英文的新段落。") + 1
    assert book.po_path(PREFACE).read_bytes() == po_before
    assert zh_path.read_text(encoding="utf-8") == edited  # the person's edit is not overwritten


def test_translating_a_pair_renders_it(builtin_book: Path) -> None:
    book = Book(builtin_book)
    cat = book.catalog(PREFACE)
    alt = next(p for p in cat.pairs if p.english == "Book structure")
    alt.chinese = "本书结构"
    with book.lock():
        book.save(PREFACE, cat)
    assert "![本书结构](../img/book-org.svg)" in (book.chinese(PREFACE) or "")
    assert store.parse(book.po_path(PREFACE).read_text(encoding="utf-8")).pairs == book.catalog(PREFACE).pairs
    assert_msgfmt_ok(builtin_book / "zh")
