"""The segmentation remembered in .workbench/segments/: what a later run reads is what segmenting
gives, a damaged or foreign entry is never used, reading commands write nothing, and the cache
stays inside the book."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import EN_V0170, PREFACE, need_corpus, run_in_book
from workbench import book as book_module
from workbench import segment_cache
from workbench.book import Book
from workbench.markdown import segment

CHAPTER = "chapter_preliminaries/ndarray.md"  # code cells, comments, math, a table of contents


def _entry(root: Path, rel: str) -> Path:
    return root / ".workbench" / segment_cache.name(rel)


def _no_segmenting(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str, path: str = "") -> None:
        raise AssertionError(f"{path} was segmented again")

    monkeypatch.setattr(book_module, "segment", refuse)


@pytest.mark.corpus
def test_a_later_run_reads_what_segmenting_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need_corpus()
    (tmp_path / "en" / CHAPTER).parent.mkdir(parents=True)
    shutil.copy(EN_V0170 / CHAPTER, tmp_path / "en" / CHAPTER)
    first = Book(tmp_path)
    with first.lock():
        first.save(CHAPTER, first.catalog(CHAPTER))
    assert _entry(tmp_path, CHAPTER).is_file()
    fresh = segment((tmp_path / "en" / CHAPTER).read_text(encoding="utf-8"), f"en/{CHAPTER}")
    _no_segmenting(monkeypatch)
    remembered = Book(tmp_path).document(CHAPTER)
    assert remembered == fresh and remembered.text == fresh.text


def test_a_damaged_or_foreign_entry_is_segmented_anew(builtin_book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (builtin_book / "en" / PREFACE).read_text(encoding="utf-8")
    fresh = segment(text, f"en/{PREFACE}")
    good = json.loads(segment_cache.dump(fresh, "d" * 40))
    shorter = {**good, "units": good["units"][:-1]}  # no longer adds up to the file
    unknown = {**good, "units": [["shell", False, *good["units"][0][2:]], *good["units"][1:]]}
    # another text's entry, another segmenter's, one that does not add up to the file, an unknown
    # kind, no JSON, JSON of another shape
    assert segment_cache.load(json.dumps(good), text, "e" * 40, f"en/{PREFACE}") is None
    for entry in (json.dumps({**good, "code": "other"}), json.dumps(shorter), json.dumps(unknown), "{not json", "[]",
                  json.dumps({**good, "units": [[1, 2]]})):
        assert segment_cache.load(entry, text, "d" * 40, f"en/{PREFACE}") is None, entry[:80]
    assert segment_cache.load(json.dumps(good), text, "d" * 40, f"en/{PREFACE}") == fresh
    # a damaged entry on disk: the book segments the file as if there were none
    _entry(builtin_book, PREFACE).parent.mkdir(parents=True, exist_ok=True)
    _entry(builtin_book, PREFACE).write_text(json.dumps(shorter), encoding="utf-8")
    assert Book(builtin_book).document(PREFACE) == fresh


def test_reading_commands_write_no_cache(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(builtin_book / ".workbench" / segment_cache.FOLDER, ignore_errors=True)
    for command in (["status"], ["diff"], ["check"], ["sync", "--dry-run"]):
        code, _, err = run_in_book(capsys, builtin_book, *command)
        assert code in (0, 1), err
    assert not (builtin_book / ".workbench" / segment_cache.FOLDER).exists()
    # a writing command remembers what it segmented
    (builtin_book / "zh" / PREFACE).unlink()
    code, _, err = run_in_book(capsys, builtin_book, "render")
    assert code == 0, err
    assert _entry(builtin_book, PREFACE).is_file()


def test_the_cache_is_never_written_outside_the_book(builtin_book: Path, tmp_path_factory: pytest.TempPathFactory,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path_factory.mktemp("outside")
    shutil.rmtree(builtin_book / ".workbench" / segment_cache.FOLDER, ignore_errors=True)
    (builtin_book / ".workbench" / segment_cache.FOLDER).symlink_to(outside)
    (builtin_book / "zh" / PREFACE).unlink()
    code, _, err = run_in_book(capsys, builtin_book, "render")
    assert code == 0, err
    assert (builtin_book / "zh" / PREFACE).is_file() and not list(outside.rglob("*"))
