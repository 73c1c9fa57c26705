"""`workbench sync` and `workbench diff` on the built-in book (the d2l preface with its real Chinese),
one kind of English edit per test, and the reliability promises: nothing lost, msgfmt accepts every
PO, atomic per file, a killed sync completed by the next one, bad input refused with nothing written."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import time
from collections import Counter
from pathlib import Path

import polib
import pytest

from conftest import EN_V0170, EN_V0176, ZH, assert_msgfmt_ok, need_corpus
from conftest import run_in_book as run
from workbench import store
from workbench.book import Book
from workbench.carry_over import SUGGESTION, carry_over
from workbench.files import book_lock
from workbench.markdown import segment
from workbench.model import Pair, Status
from workbench.store import Catalog
from workbench.sync import load_cache, plan_sync, sync_book

PREFACE = "chapter_preface/index.md"


# -- helpers ----------------------------------------------------------------------------------




def msgstrs(book: Path) -> Counter[str]:
    """Every translation in the store, active or obsolete, counted."""
    out: Counter[str] = Counter()
    for po in (book / "zh").rglob("*.po"):
        for p in store.parse(po.read_text(encoding="utf-8")).pairs:
            if p.chinese:
                out[p.chinese] += 1
    return out


def assert_kept(before: Counter[str], book: Path) -> None:
    """No translation is ever lost: every msgstr of before is still in the store."""
    after = msgstrs(book)
    lost = [s for s in before if s not in after]
    assert not lost, f"translations lost: {lost[:3]}"


def catalog(book: Path, rel: str = PREFACE) -> Catalog:
    return store.parse((book / "zh" / (rel.removesuffix(".md") + ".po")).read_text(encoding="utf-8"))


def english(book: Path, rel: str = PREFACE) -> str:
    return (book / "en" / rel).read_text(encoding="utf-8")


def set_english(book: Path, text: str, rel: str = PREFACE) -> None:
    (book / "en" / rel).parent.mkdir(parents=True, exist_ok=True)
    (book / "en" / rel).write_text(text, encoding="utf-8")


def line_of(text: str, start: str) -> int:
    """0-based index of the line that starts with `start`."""
    return next(i for i, line in enumerate(text.split("\n")) if line.startswith(start))


def units(book: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    code, out, _ = run(capsys, book, "sync", "--dry-run", "--json")
    assert code == 0
    return json.loads(out)["units"]


def by_english(book: Path, start: str, rel: str = PREFACE) -> Pair:
    return next(p for p in catalog(book, rel).pairs if p.english.startswith(start))


def snapshot(book: Path, parts: tuple[str, ...] = ("en", "zh")) -> dict[str, bytes]:
    """Every book file (en/, zh/ by default) by path."""
    return {p.relative_to(book).as_posix(): p.read_bytes()
            for part in parts for p in (book / part).rglob("*") if p.is_file()}


# -- the kinds of edit --------------------------------------------------------------------------


def test_unchanged_book_sync_changes_nothing(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(builtin_book)
    code, out, _ = run(capsys, builtin_book, "sync")
    assert code == 0
    assert "0 of 1 files changed" in out
    assert snapshot(builtin_book) == before


def test_reflow_only_keeps_every_translation_current(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = english(builtin_book)
    lines = text.split("\n")
    k = line_of(text, "In just the past five years")
    lines[k] = "\n".join(re.findall(r".{1,60}(?:\s|$)", lines[k])).rstrip()  # re-wrapped at 60 columns
    set_english(builtin_book, "\n".join(lines))
    before = msgstrs(builtin_book)
    code, out, _ = run(capsys, builtin_book, "sync")
    assert code == 0
    statuses = Counter(u["status"] for u in units(builtin_book, capsys))
    assert statuses == {"current": 51, "untranslated": 1}  # as before: one unit was never translated
    assert catalog(builtin_book).obsolete == []
    assert msgstrs(builtin_book) == before
    zh = (builtin_book / "zh" / PREFACE).read_text(encoding="utf-8")
    assert "在过去的五年中，深度学习震惊了世界" in zh


def test_one_word_fix_marks_stale_with_previous_english(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = english(builtin_book)
    old = by_english(builtin_book, "We thank Amazon Web Services")
    set_english(builtin_book, text.replace("for their generous support", "for their kind support"))
    before = msgstrs(builtin_book)
    assert run(capsys, builtin_book, "sync")[0] == 0
    pair = by_english(builtin_book, "We thank Amazon Web Services")
    assert pair.stale and pair.chinese == old.chinese
    assert pair.previous == old.english
    assert "kind support" in pair.english
    recs = [u for u in units(builtin_book, capsys) if u["status"] == "stale"]
    assert len(recs) == 1 and recs[0]["previous"] == old.english
    assert recs[0]["lines"] == [100, 100]
    assert_kept(before, builtin_book)
    assert_msgfmt_ok(builtin_book)
    # the PO says it the gettext way: fuzzy, with the previous English as #| msgid
    po = polib.pofile(str(builtin_book / "zh/chapter_preface/index.po"))
    entry = next(e for e in po if e.msgid.startswith("We thank Amazon"))
    assert "fuzzy" in entry.flags and entry.previous_msgid == old.english


def test_diff_shows_the_changed_words_and_the_chinese(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = english(builtin_book)
    set_english(builtin_book, text.replace("for their generous support", "for their kind support"))
    run(capsys, builtin_book, "sync")
    code, out, _ = run(capsys, builtin_book, "diff", "--color", "never")
    assert code == 0
    assert "[-generous-]{+kind+}" in out
    assert "en/chapter_preface/index.md:100-100" in out
    assert "在编写本书时的慷慨支持" in out  # the Chinese to revise
    code, out, _ = run(capsys, builtin_book, "diff", "--json", "en/chapter_preface/index.md")
    recs = json.loads(out)["units"]
    assert len(recs) == 1
    assert {"op": "-", "text": "generous"} in recs[0]["diff"] and {"op": "+", "text": "kind"} in recs[0]["diff"]


def test_rewrite_keeps_the_old_translation_obsolete_and_suggests_it(
    builtin_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = english(builtin_book)
    old = by_english(builtin_book, "We thank Amazon Web Services")
    k = line_of(text, "We thank Amazon Web Services")
    lines = text.split("\n")
    # a made-up rewrite: different words, same place (under 60% similar to the old text)
    lines[k] = "Amazon Web Services supported this book generously; we are grateful to its leaders."
    set_english(builtin_book, "\n".join(lines))
    before = msgstrs(builtin_book)
    assert run(capsys, builtin_book, "sync")[0] == 0
    cat = catalog(builtin_book)
    new = by_english(builtin_book, "Amazon Web Services supported")
    assert new.status is Status.UNTRANSLATED and not new.chinese
    assert [p.chinese for p in cat.obsolete] == [old.chinese]
    assert (builtin_book / "zh/chapter_preface/index.po").read_text(encoding="utf-8").count("#~ msgstr") == 1
    assert_kept(before, builtin_book)
    assert_msgfmt_ok(builtin_book)


def test_new_unit_gets_the_best_translation_memory_match(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = english(builtin_book)
    # a made-up new list item close to an existing one ("Install Python on your computer.")
    set_english(builtin_book, text.replace("1. Install Python on your computer.\n",
                                           "1. Install Python on your computer.\n1. Install Python on your laptop.\n"))
    assert run(capsys, builtin_book, "sync")[0] == 0
    pair = by_english(builtin_book, "Install Python on your laptop.")
    assert not pair.chinese
    note = next(n for n in pair.notes if n.startswith(SUGGESTION))
    original = by_english(builtin_book, "Install Python on your computer.")
    assert re.match(rf"{SUGGESTION} \d+% from en/chapter_preface/index.md:119: ", note)
    assert note.endswith(original.chinese)


def test_split_paragraph_keeps_its_translation_over_both_parts(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = english(builtin_book)
    old = by_english(builtin_book, "Just a few years ago")
    set_english(builtin_book, text.replace("in daily newspapers. ", "in daily newspapers.\n\n", 1))
    before = msgstrs(builtin_book)
    assert run(capsys, builtin_book, "sync")[0] == 0
    pair = by_english(builtin_book, "Just a few years ago")
    assert len(pair.keys) == 2  # one pair over the two new paragraphs
    assert pair.stale and pair.chinese == old.chinese and pair.previous == old.english
    recs = units(builtin_book, capsys)
    assert [r["status"] for r in recs[1:3]] == ["stale", "stale"]
    zh = (builtin_book / "zh" / PREFACE).read_text(encoding="utf-8")
    assert zh.count(old.chinese) == 1
    assert "Our parents had no idea" not in zh  # the second part is covered by the pair's Chinese
    assert_kept(before, builtin_book)
    assert_msgfmt_ok(builtin_book)


def test_merged_paragraphs_keep_both_translations(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = english(builtin_book)
    first = by_english(builtin_book, "Many textbooks teach")
    second = by_english(builtin_book, "In this book, we will teach most concepts")
    k = line_of(text, "Many textbooks teach")
    lines = text.split("\n")
    assert lines[k + 1] == "" and lines[k + 2].startswith("In this book")
    del lines[k + 1]
    set_english(builtin_book, "\n".join(lines))
    before = msgstrs(builtin_book)
    assert run(capsys, builtin_book, "sync")[0] == 0
    pair = by_english(builtin_book, "Many textbooks teach")
    assert pair.stale and "In this book, we will teach" in pair.english
    assert pair.chinese == first.chinese + second.chinese
    assert pair.previous == first.english + "\n\n" + second.english
    # the originals stay, obsolete, so each translation survives as it was
    assert {p.chinese for p in catalog(builtin_book).obsolete} == {first.chinese, second.chinese}
    assert_kept(before, builtin_book)
    assert_msgfmt_ok(builtin_book)


def test_moved_paragraph_stays_current(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = english(builtin_book)
    lines = text.split("\n")
    k = line_of(text, "We thank Amazon Web Services")
    moved = lines.pop(k)
    lines.insert(line_of(text, "Just a few years ago") - 1, moved + "\n")  # up to just after the title
    set_english(builtin_book, "\n".join(lines))
    before = msgstrs(builtin_book)
    assert run(capsys, builtin_book, "sync")[0] == 0
    statuses = Counter(u["status"] for u in units(builtin_book, capsys))
    assert statuses == {"current": 51, "untranslated": 1}
    pair = by_english(builtin_book, "We thank Amazon Web Services")
    assert pair.line == 3 + 1 and not pair.stale  # its `#:` line follows it
    assert catalog(builtin_book).obsolete == []
    assert msgstrs(builtin_book) == before


def test_deleted_paragraph_becomes_obsolete_and_comes_back(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = english(builtin_book)
    old = by_english(builtin_book, "We thank Amazon Web Services")
    lines = text.split("\n")
    k = line_of(text, "We thank Amazon Web Services")
    del lines[k : k + 2]
    set_english(builtin_book, "\n".join(lines))
    before = msgstrs(builtin_book)
    assert run(capsys, builtin_book, "sync")[0] == 0
    obsolete = catalog(builtin_book).obsolete
    assert [(p.english, p.chinese) for p in obsolete] == [(old.english, old.chinese)]
    assert '#~ msgid ""\n#~ "We thank Amazon' in (builtin_book / "zh/chapter_preface/index.po").read_text(encoding="utf-8")
    assert_kept(before, builtin_book)
    assert_msgfmt_ok(builtin_book)
    code, out, _ = run(capsys, builtin_book, "sync", "--json")
    assert json.loads(out)["obsolete"] == 1
    # the English comes back: its translation is used again, current
    set_english(builtin_book, text)
    assert run(capsys, builtin_book, "sync")[0] == 0
    pair = by_english(builtin_book, "We thank Amazon Web Services")
    assert pair.status is Status.CURRENT and pair.chinese == old.chinese
    assert catalog(builtin_book).obsolete == []
    assert Counter(u["status"] for u in units(builtin_book, capsys)) == {"current": 51, "untranslated": 1}
    assert_msgfmt_ok(builtin_book)


def test_duplicate_paragraph_gets_the_translation_and_its_own_msgctxt(
    builtin_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = english(builtin_book)
    old = by_english(builtin_book, "We thank Amazon Web Services")
    k = line_of(text, "We thank Amazon Web Services")
    lines = text.split("\n")
    lines.insert(k + 2, lines[k] + "\n")
    set_english(builtin_book, "\n".join(lines))
    assert run(capsys, builtin_book, "sync")[0] == 0
    twins = [p for p in catalog(builtin_book).active if p.english == old.english]
    assert [p.context for p in twins] == ["", "2"]
    assert all(p.chinese == old.chinese and p.status is Status.CURRENT for p in twins)
    assert_msgfmt_ok(builtin_book)
    # and back to one: the second goes without a duplicate obsolete entry (msgfmt would refuse it)
    set_english(builtin_book, text)
    assert run(capsys, builtin_book, "sync")[0] == 0
    assert [p.context for p in catalog(builtin_book).pairs if p.english == old.english] == [""]
    assert_msgfmt_ok(builtin_book)


def test_renamed_file_takes_its_pairs_along(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = msgstrs(builtin_book)
    old_status = Counter(u["status"] for u in units(builtin_book, capsys))
    new_rel = "chapter_preface/preface.md"
    (builtin_book / "en" / PREFACE).rename(builtin_book / "en" / new_rel)
    code, out, _ = run(capsys, builtin_book, "sync")
    assert code == 0, out
    assert "renamed from en/chapter_preface/index.md" in out
    assert not (builtin_book / "zh/chapter_preface/index.po").exists()
    assert not (builtin_book / "zh/chapter_preface/index.md").exists()
    assert Counter(u["status"] for u in units(builtin_book, capsys)) == old_status
    assert catalog(builtin_book, new_rel).source == f"en/{new_rel}"
    assert "前言" in (builtin_book / "zh" / new_rel).read_text(encoding="utf-8")
    assert msgstrs(builtin_book) == before


def test_deleted_file_keeps_its_po(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (builtin_book / "en" / PREFACE).unlink()
    before = msgstrs(builtin_book)
    code, out, _ = run(capsys, builtin_book, "sync")
    assert code == 0
    assert "en/chapter_preface/index.md is gone: zh/chapter_preface/index.po kept" in out
    assert (builtin_book / "zh/chapter_preface/index.po").exists()
    assert_kept(before, builtin_book)


def test_heading_translation_never_goes_to_a_paragraph(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = english(builtin_book)
    # a made-up edit: the heading "Learning by Doing" becomes a paragraph with nearly the same words
    set_english(builtin_book, text.replace("### Learning by Doing\n", "Learning by doing.\n"))
    assert run(capsys, builtin_book, "sync")[0] == 0
    pair = by_english(builtin_book, "Learning by doing.")
    assert pair.kind == "paragraph" and not pair.chinese
    assert [p.kind for p in catalog(builtin_book).obsolete] == ["heading"]  # the kind is kept on #~ too
    heading = by_english(builtin_book, "Learning by Doing")
    assert heading.obsolete


def test_edited_heading_stays_a_stale_heading(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = english(builtin_book)
    set_english(builtin_book, text.replace("## Content and Structure\n", "## Contents and Structure\n"))
    assert run(capsys, builtin_book, "sync")[0] == 0
    pair = by_english(builtin_book, "Contents and Structure")
    assert pair.kind == "heading" and pair.stale and pair.chinese == "内容和结构"


def test_hand_edit_of_the_chinese_is_taken_back_before_the_sync(
    builtin_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zh_path = builtin_book / "zh" / PREFACE
    zh_path.write_text(zh_path.read_text(encoding="utf-8").replace("# 前言", "# 序言"), encoding="utf-8")
    text = english(builtin_book)
    set_english(builtin_book, text.replace("for their generous support", "for their kind support"))
    code, out, _ = run(capsys, builtin_book, "sync")
    assert code == 0
    assert "hand edit taken back" in out
    assert by_english(builtin_book, "Preface").chinese == "序言"
    assert "# 序言" in zh_path.read_text(encoding="utf-8")
    assert by_english(builtin_book, "We thank Amazon").stale


# -- pairs over several units (as the import makes them) -----------------------------------------


def _grouped(book: Path) -> tuple[Pair, Pair]:
    """Join the pairs of the first two paragraphs into one pair over both units (an import's 2:1 bead)."""
    cat = catalog(book)
    a, b = cat.active[1], cat.active[2]
    group = Pair(english=a.english + "\n\n" + b.english, chinese=a.chinese + b.chinese, kind="paragraph", line=a.line)
    cat.pairs[1:3] = [group]
    with Book(book).lock():
        Book(book).save(PREFACE, cat)
    return group, b


def test_pair_over_several_units_stays_current_and_goes_stale_as_one(
    builtin_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    group, second = _grouped(builtin_book)
    assert run(capsys, builtin_book, "sync")[0] == 0
    assert by_english(builtin_book, "Just a few years ago").english == group.english
    assert Counter(u["status"] for u in units(builtin_book, capsys)) == {"current": 51, "untranslated": 1}
    text = english(builtin_book)
    set_english(builtin_book, text.replace("In just the past five years", "In the past five years"))
    before = msgstrs(builtin_book)
    assert run(capsys, builtin_book, "sync")[0] == 0
    pair = by_english(builtin_book, "Just a few years ago")
    assert len(pair.keys) == 2 and pair.stale and pair.chinese == group.chinese and pair.previous == group.english
    assert [u["status"] for u in units(builtin_book, capsys)][1:3] == ["stale", "stale"]
    assert_kept(before, builtin_book)
    assert_msgfmt_ok(builtin_book)


# -- the pure matcher, on edits the command tests do not reach ------------------------------------


def _doc_and_catalog(text: str) -> tuple:
    doc = segment(text, "en/x.md")
    pairs = store.pairs_for(doc, "en/x.md")
    for p in pairs:
        p.chinese = "译" + p.english  # a pseudo-translation: which English it came from stays visible
    return doc, Catalog("en/x.md", pairs)


def test_sync_is_idempotent_on_real_versions() -> None:
    need_corpus()
    rel = "chapter_preliminaries/ndarray.md"
    _, old = _doc_and_catalog((EN_V0170 / rel).read_text(encoding="utf-8"))
    new_doc = segment((EN_V0176 / rel).read_text(encoding="utf-8"), rel)
    once = carry_over(new_doc, old)
    twice = carry_over(new_doc, once.catalog)
    assert store.dump(twice.catalog) == store.dump(once.catalog)
    assert all(r.how in ("kept", "copied") for r in twice.units)


def test_code_comment_edits_stay_in_code_comments() -> None:
    need_corpus()
    rel = "chapter_recurrent-neural-networks/sequence.md"
    _, old = _doc_and_catalog((EN_V0170 / rel).read_text(encoding="utf-8"))
    result = carry_over(segment((EN_V0176 / rel).read_text(encoding="utf-8"), rel), old)
    kinds = {p.english: p.kind for p in old.pairs}
    for r in result.units:
        if r.pair.stale:
            assert all(kinds[e] == r.pair.kind for e in r.pair.previous.split("\n\n"))


# -- output and options -----------------------------------------------------------------------


def test_json_has_exactly_the_agreed_shape(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = english(builtin_book)
    set_english(builtin_book, text.replace("for their generous support", "for their kind support"))
    code, out, _ = run(capsys, builtin_book, "sync", "--json")
    data = json.loads(out)
    assert set(data) == {"units", "obsolete"} and data["obsolete"] == 0
    assert len(data["units"]) == 52
    for u in data["units"]:
        # a stale unit names the kind of its English edit: a changed word may change the meaning
        assert set(u) == ({"file", "lines", "status", "previous", "edit"} if u["status"] == "stale"
                          else {"file", "lines", "status"})
        assert u["file"] == "en/chapter_preface/index.md" and u["status"] in ("current", "stale", "untranslated")
        assert u.get("edit", "wording") == "wording"
        assert len(u["lines"]) == 2 and u["lines"][0] <= u["lines"][1]
    # the same answer from the cache, on a second run that finds nothing to do
    assert json.loads(run(capsys, builtin_book, "sync", "--json")[1]) == data


def test_dry_run_and_check_write_nothing(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, builtin_book, "sync", "--check")[0] == 1  # the preface has one untranslated unit
    text = english(builtin_book)
    set_english(builtin_book, text.replace("for their generous support", "for their kind support"))
    before, state = snapshot(builtin_book), snapshot(builtin_book, (".workbench",))
    code, out, _ = run(capsys, builtin_book, "sync", "--dry-run")
    assert code == 0 and "1 of 1 files would change" in out
    assert run(capsys, builtin_book, "sync", "--check")[0] == 1
    assert snapshot(builtin_book) == before
    assert snapshot(builtin_book, (".workbench",)) == state


def test_check_passes_when_everything_is_current(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cat = catalog(builtin_book)
    for p in cat.active:
        p.chinese = p.chinese or "（未译）"
    with Book(builtin_book).lock():
        Book(builtin_book).save(PREFACE, cat)
    assert run(capsys, builtin_book, "sync", "--check")[0] == 0


def test_sync_book_is_what_the_command_shows(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The core function a TUI calls: its report is what `sync` prints, and a dry run writes nothing."""
    text = english(builtin_book)
    set_english(builtin_book, text.replace("for their generous support", "for their kind support"))
    before, state = snapshot(builtin_book), snapshot(builtin_book, (".workbench",))
    dry = sync_book(Book.open(builtin_book), dry_run=True)
    assert not dry.written and snapshot(builtin_book) == before
    assert snapshot(builtin_book, (".workbench",)) == state
    assert [fs.rel for fs in dry.touched()] == [PREFACE] and dry.unfinished()
    [fs] = dry.files
    assert fs.counts["stale"] == 1 and fs.result is not None
    assert [r.how for r in fs.result.units].count("edited") == 1

    done = sync_book(Book.open(builtin_book), [f"en/{PREFACE}"])  # named as a user would
    assert done.written and snapshot(builtin_book) != before
    assert [(f.units, f.counts) for f in done.files] == [(f.units, f.counts) for f in dry.files]
    assert by_english(builtin_book, "We thank Amazon Web Services").stale  # the edited paragraph, on disk
    # the command, answering from the cache now, says the same
    data = json.loads(run(capsys, builtin_book, "sync", "--json")[1])
    assert data["units"] == [{"file": f"en/{PREFACE}", **u} for u in fs.units]
    assert data["obsolete"] == done.totals()["obsolete"]


@pytest.mark.corpus
def test_import_leaves_a_cache_that_answers_as_a_full_sync(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Real chapters imported: the first sync after the import does not match again the files the import
    left in step, and its answer is the one a sync from scratch gives."""
    need_corpus()
    from workbench.importer import import_tree

    names = {
        "chapter_convolutional-modern/vgg.md": True,
        "chapter_preface/index.md": True,
        "chapter_appendix-tools-for-deep-learning/d2l.md": True,  # notes of Chinese with no English
        "chapter_recommender-systems/ctr.md": False,  # no Chinese: all untranslated
    }
    en, zh = tmp_path / "en-in", tmp_path / "zh-in"
    for name, has_zh in names.items():
        for root, src in ((en, EN_V0170), (zh, ZH)) if has_zh else ((en, EN_V0170),):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes((src / name).read_bytes())
    root = tmp_path / "book"
    import_tree(en, zh, Book(root))
    book = Book.open(root)
    rels = book.english_files()
    warm = plan_sync(book, rels, load_cache(book))
    cold = plan_sync(Book.open(root), rels, {})
    assert [(f.rel, f.units, f.counts) for f in warm.files] == [(f.rel, f.units, f.counts) for f in cold.files]
    served = {f.rel for f in warm.files if f.result is None}  # from the cache: not even segmented
    assert {f.rel for f in cold.files if not f.changed} <= served
    assert {"chapter_convolutional-modern/vgg.md", "chapter_recommender-systems/ctr.md"} <= served
    # and the command after the import agrees with one from scratch
    out = run(capsys, root, "sync", "--json", "--dry-run")[1]
    shutil.rmtree(root / ".workbench")
    assert run(capsys, root, "sync", "--json", "--dry-run")[1] == out


def test_malformed_po_is_refused_with_file_and_line_and_nothing_written(
    builtin_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # two files: the good one would change, the broken one stops the sync before any write
    shutil.copy(builtin_book / "en" / PREFACE, builtin_book / "en/second.md")
    assert run(capsys, builtin_book, "sync")[0] == 0
    text = english(builtin_book)
    set_english(builtin_book, text.replace("for their generous support", "for their kind support"))
    po = builtin_book / "zh/second.po"
    lines = po.read_text(encoding="utf-8").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
    lines[k] = "msgstr unquoted text"
    po.write_text("\n".join(lines), encoding="utf-8")
    before = snapshot(builtin_book)
    code, _, err = run(capsys, builtin_book, "sync")
    assert code == 2
    assert f"zh/second.po:{k + 1}:" in err
    assert snapshot(builtin_book) == before


def test_second_writer_is_told_the_book_is_locked(builtin_book: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("workbench.book.LOCK_WAIT", 0.0)  # the holder never lets go here: no use waiting
    text = english(builtin_book)
    set_english(builtin_book, text.replace("for their generous support", "for their kind support"))
    before = snapshot(builtin_book)
    with book_lock(builtin_book, what="tui save"):
        code, _, err = run(capsys, builtin_book, "sync")
    assert code == 2
    assert "locked by process" in err and "try again" in err
    assert snapshot(builtin_book) == before


# -- a sync killed at any moment ----------------------------------------------------------------

KILL_FILES = [  # real files that changed between v0.17.0 and v0.17.6
    "chapter_preface/index.md",
    "chapter_preliminaries/ndarray.md",
    "chapter_recurrent-neural-networks/sequence.md",
    "chapter_optimization/minibatch-sgd.md",
    "chapter_linear-networks/linear-regression-concise.md",
    "chapter_installation/index.md",
]
_DATE = re.compile(rb'"PO-Revision-Date: [^"]*"')


def _kill_book(root: Path) -> Path:
    """Real v0.17.0 files with pseudo-translations saved by book.save, then v0.17.6 put in en/."""
    book = Book(root)
    (root / "en").mkdir(parents=True)
    for rel in KILL_FILES:
        set_english(root, (EN_V0170 / rel).read_text(encoding="utf-8"), rel)
    with book.lock():
        for rel in KILL_FILES:
            cat = book.catalog(rel)
            for p in cat.pairs:
                p.chinese = "译" + p.english
            book.save(rel, cat)
    for rel in KILL_FILES:
        set_english(root, (EN_V0176 / rel).read_text(encoding="utf-8"), rel)
    return root


def _state(book: Path) -> dict[str, bytes]:
    """The book's files, the PO date aside (it is the minute of the write); temporary files aside."""
    return {k: _DATE.sub(b"", v) for k, v in snapshot(book).items() if not k.endswith(".tmp")}


def _sync_forked(book: Path, crash_after: int | None = None) -> int:
    """A sync in a forked process (the workbench already imported: no interpreter start-up per
    trial); with crash_after, it dies (os._exit) at its N-th rename of a written file over its
    target, leaving a half-written temporary file as a real crash would: the files before it
    renamed, the others' temporaries written (files.write_many). Returns the child's pid."""
    from workbench.cli import main

    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        if crash_after is not None:
            real, n = os.replace, [0]

            def replace(tmp: str, path: Path) -> None:
                n[0] += 1
                if n[0] == crash_after:
                    Path(path).with_name(f".{Path(path).name}.crash.tmp").write_text("half")
                    os._exit(9)
                real(tmp, path)

            os.replace = replace  # type: ignore[assignment]  # the child's own: only it crashes
        code = main(["sync", "--book", str(book)])
    finally:
        os._exit(code)


def _wait(pid: int, timeout: float | None = None) -> int | None:
    """The forked sync's exit code (-signal if killed); after `timeout` seconds it is killed."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, 0 if deadline is None else os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() >= deadline:  # type: ignore[operator]
            os.kill(pid, signal.SIGKILL)
            return _wait(pid)
        time.sleep(0.01)


@pytest.mark.corpus
@pytest.mark.slow
def test_killed_sync_leaves_old_or_new_files_and_a_rerun_completes_it(tmp_path: Path) -> None:
    need_corpus()
    base = _kill_book(tmp_path / "base")
    old = _state(base)
    before = msgstrs(base)
    reference = tmp_path / "reference"
    shutil.copytree(base, reference)
    t0 = time.monotonic()
    assert _wait(_sync_forked(reference)) == 0
    took = time.monotonic() - t0
    new = _state(reference)
    writes = sum(1 for k in new if old.get(k) != new[k])
    assert writes >= 8

    rng = random.Random(4)
    # kills at random moments (SIGKILL), and crashes inside chosen writes (between the Markdown
    # and the PO of a file, and in the middle of one write): the crashes are what prove a write
    # caught half-way; the kills, wherever they land, must leave old or new files too
    trials = [("kill", rng.uniform(0.05, 1.1) * took) for _ in range(2)]
    trials += [("crash", n) for n in sorted(rng.sample(range(1, writes + 1), 4))]
    mixed = 0
    for k, (how, when) in enumerate(trials):
        book = tmp_path / f"run{k}"
        shutil.copytree(base, book)
        pid = _sync_forked(book, crash_after=int(when) if how == "crash" else None)
        if how == "kill":
            _wait(pid, timeout=when)
        else:
            assert _wait(pid) == 9
        state = _state(book)
        assert set(state) == set(old), f"{how} {when}: files appeared or vanished"
        for name, data in state.items():
            assert data in (old[name], new[name]), f"{how} {when}: {name} is neither old nor new"
        changed = sum(1 for name in state if state[name] != old[name])
        mixed += 0 < changed < writes
        # the next sync completes the job
        assert _wait(_sync_forked(book)) == 0
        assert _state(book) == new, f"{how} {when}: rerun did not complete the sync"
        assert not [p for p in (book / "zh").rglob("*.tmp")], "temporary files left behind"
        assert_kept(before, book)
        shutil.rmtree(book)
    assert mixed >= 3  # the crashes inside writes at least were caught half-way


def test_merge_with_an_untranslated_neighbour_keeps_all_its_previous_english() -> None:
    # made-up strings: the edge case of a merge where only the second paragraph was translated
    doc, cat = _doc_and_catalog("First part of the story.\n\nSecond part of the story.\n")
    cat.pairs[0].chinese = ""
    merged = segment("First part of the story. Second part of the story.\n", "en/x.md")
    result = carry_over(merged, cat)
    pair = result.catalog.active[0]
    assert result.units[0].how == "merged"
    assert pair.stale and pair.chinese == "译Second part of the story."
    assert pair.previous == "First part of the story.\n\nSecond part of the story."
    assert result.catalog.obsolete == []  # one translation only: it lives on, whole, in the merged pair


def test_english_back_to_what_was_translated_is_current_again() -> None:
    need_corpus()
    rel = "chapter_preface/index.md"
    old_doc, cat = _doc_and_catalog((EN_V0170 / rel).read_text(encoding="utf-8"))
    forward = carry_over(segment((EN_V0176 / rel).read_text(encoding="utf-8"), rel), cat)
    assert sum(r.status is Status.STALE for r in forward.units) == 3
    back = carry_over(old_doc, forward.catalog)
    assert all(r.status is Status.CURRENT for r in back.units)
    assert back.catalog.obsolete == []


def test_a_fresh_clone_without_a_base_syncs_new_english(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """.workbench/ is not in git: a fresh clone has no merge base. New English must sync, and a
    zh/*.md that shows only the old pairs is no hand edit."""
    shutil.rmtree(builtin_book / ".workbench")
    text = english(builtin_book)
    set_english(builtin_book, text + "\nA new paragraph, shown in English until translated.\n")
    code, out, err = run(capsys, builtin_book, "sync")
    assert code == 0, out + err
    assert "hand edit" not in out
    zh = (builtin_book / "zh" / PREFACE).read_text(encoding="utf-8")
    assert zh.endswith("A new paragraph, shown in English until translated.\n")
    assert_msgfmt_ok(builtin_book / "zh")
