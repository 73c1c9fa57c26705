"""Translation checks: the seed's real defects are found, lines point into zh/PATH.md, real d2l pairs stay quiet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import copy_files, need_corpus
from workbench import qa, store
from workbench.book import Book
from workbench.checking import book_items, check_book
from workbench.cli import main
from workbench.merge import render_base
from workbench.model import one_line

PREFACE = "zh/chapter_preface/index.md"


def _findings(root: Path) -> list[qa.Finding]:
    return check_book(Book.open(root))


def _at(findings: list[qa.Finding], line: int, check: str) -> list[str]:
    return [f.message for f in findings if f.line == line and f.check == check]


def test_seed_defects_are_found(builtin_book):
    fs = _findings(builtin_book)
    # numref： with a full-width colon and no leading colon
    assert any("numref：`chap_introduction`" in m and "full-width colon" in m for m in _at(fs, 47, "directive-syntax"))
    # roles lost: bare targets, a target in backticks, a full-width colon before the target
    assert any("'chap_preliminaries'" in m and "lost role" in m for m in _at(fs, 47, "directive-syntax"))
    assert any("`sec_how_to_contribute`" in m for m in _at(fs, 23, "directive-syntax"))
    assert any("：chap_installation" in m and ":ref:" in m for m in _at(fs, 58, "directive-syntax"))
    # :label: where the English has :numref:
    assert any(":label:`fig_book_org`" in m for m in _at(fs, 41, "directive-syntax"))
    # misspelled targets that name no label
    assert any("'champ_rnn'" in m for m in _at(fs, 48, "directive-syntax"))
    assert any("'chref_perceptrons'" in m for m in _at(fs, 47, "directive-syntax"))
    # emphasis turned into a code span around Chinese
    assert any("`随机梯度下降`" in m for m in _at(fs, 34, "inline-code"))
    # lost :cite:
    assert any("Goodfellow.Bengio.Courville.2016" in m for m in _at(fs, 19, "references"))
    assert any("Bollobas.1999" in m for m in _at(fs, 88, "references"))
    assert any("Bishop.2006" in m for m in _at(fs, 28, "directive-syntax"))
    # the English's own damage is told apart from the translation's
    assert any("the English has a broken role" in m for m in _at(fs, 49, "directive-syntax"))
    # the untranslated list of contributors
    assert _at(fs, 98, "length")


def test_seed_report_is_not_flooded(builtin_book):
    fs = _findings(builtin_book)
    # full-width brackets （i） and Chinese punctuation are no damage
    assert all(f.line == 58 for f in fs if f.check == "markup")
    # at most one finding per pair and check, except role problems that are each their own
    seen: dict[tuple[int, str], int] = {}
    for f in fs:
        seen[(f.line, f.check)] = seen.get((f.line, f.check), 0) + 1
    assert all(n == 1 for (line, check), n in seen.items() if check not in ("directive-syntax", "references"))
    assert len(fs) < 60


def test_json_shape_and_exit_code(builtin_book, capsys):
    code = main(["check", "--json", "--book", str(builtin_book)])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and set(data) == {"findings"}
    for f in data["findings"]:
        assert list(f) == ["check", "severity", "file", "line", "en_file", "en_line", "message", "msgid", "msgctxt"]
        assert f["severity"] in ("error", "warning", "info") and f["file"] == PREFACE
        assert f["en_file"] == "en/chapter_preface/index.md" and isinstance(f["line"], int)


def test_lines_point_at_the_chinese_in_zh_file(builtin_book):
    lines = (builtin_book / PREFACE).read_text(encoding="utf-8").split("\n")
    items = book_items(Book.open(builtin_book))
    assert items
    for it in items:
        first = it.chinese.strip().split("\n")[0].strip()
        assert first in lines[it.line - 1]


def test_lines_follow_a_hand_edit_not_yet_taken_back(builtin_book):
    # a hand edit adds a line above the pairs' text: zh/PATH.md no longer matches its fingerprint
    path = builtin_book / PREFACE
    text = path.read_text(encoding="utf-8")
    text = text.replace("仅仅几年前，", "仅仅几年前，\n", 1)
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    for it in book_items(Book.open(builtin_book)):
        first = it.chinese.strip().split("\n")[0].strip()
        assert first in lines[it.line - 1]


def test_check_only_and_list(builtin_book, capsys):
    assert main(["check", "--only", "references", "--json", "--book", str(builtin_book)]) == 1
    assert {f["check"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"references"}
    assert main(["check", "--only", "nonsense", "--book", str(builtin_book)]) == 2
    assert main(["check", "--list"]) == 0
    names = [c.name for c in qa.CHECKS]
    assert len(names) == len(set(names)) and all(c.doc for c in qa.CHECKS)


@pytest.mark.corpus
def test_placement_from_the_recorded_base_equals_a_fresh_render_on_the_imported_book(imported_corpus):
    """Placing pairs from the merge base recorded at import (no render) gives the lines a fresh
    render of the pairs gives, and every line is where that pair's Chinese starts in zh/*.md."""
    need_corpus()
    book = Book.open(imported_corpus[0])
    compared = 0
    for rel in book.english_files():
        if not book.has_catalog(rel):
            continue
        catalog, zh_text, base = book.catalog(rel), book.chinese(rel), book.base(rel)
        assert zh_text is not None and base is not None and zh_text == base.text, rel
        recorded = qa.place(book.document(rel), catalog, rel, zh_text, base)
        fresh = qa.items_at(render_base(book.document(rel), catalog), catalog, rel)
        assert [(i.en_line, i.line) for i in recorded] == [(i.en_line, i.line) for i in fresh], rel
        lines = zh_text.split("\n")
        for it in recorded:
            first = it.chinese.strip().split("\n")[0].strip()
            if one_line(it.pair.kind):
                first = " ".join(first.split())
            elif it.pair.kind == "comment":
                first = first.lstrip("#").strip()
            assert first in lines[it.line - 1], (rel, it.line, first)
        compared += bool(recorded)
    assert compared > 100


@pytest.mark.corpus
def test_real_d2l_pairs_raise_no_errors_and_a_dropped_numref_is_found(imported_corpus, tmp_path):
    rel = "chapter_linear-networks/linear-regression.md"
    root = copy_files(imported_corpus[0], tmp_path, [rel])
    fs = _findings(root)
    # d2l-zh's own translation of this section: its full-width brackets, emphasis and roles are fine
    assert not [f for f in fs if f.severity == "error"], [str(f) for f in fs if f.severity == "error"]
    # drop one :numref: from a real pair, as a translator might
    book = Book.open(root)
    catalog = book.catalog(rel)
    pair = next(p for p in catalog.active if ":numref:`" in p.chinese and ":numref:`" in p.english)
    target = pair.chinese.split(":numref:`", 1)[1].split("`", 1)[0]
    pair.chinese = pair.chinese.replace(f" :numref:`{target}`", "", 1)
    with book.lock():
        book.save(rel, catalog)
    fs = _findings(root)
    hit = [f for f in fs if f.check == "references" and target in f.message]
    assert hit and hit[0].severity == "error"
    zh_lines = (root / "zh" / rel).read_text(encoding="utf-8").split("\n")
    assert pair.chinese.split("\n")[0].strip()[:10] in zh_lines[hit[0].line - 1]


@pytest.mark.corpus
def test_full_width_colon_in_a_real_pair(imported_corpus, tmp_path):
    rel = "chapter_multilayer-perceptrons/mlp.md"
    root = copy_files(imported_corpus[0], tmp_path, [rel])
    book = Book.open(root)
    catalog = book.catalog(rel)
    pair = next(p for p in catalog.active if ":numref:`" in p.chinese)
    pair.chinese = pair.chinese.replace(":numref:`", "numref：`", 1)
    (root / "zh" / (rel[:-3] + ".po")).write_text(store.dump(catalog), encoding="utf-8")
    fs = [f for f in _findings(root) if f.check == "directive-syntax"]
    assert fs and "full-width colon" in fs[0].message and fs[0].severity == "error"
