"""Review state on the built-in book: `workbench review`, what keeps the mark (msgcat,
translate-toolkit), what takes it off (any edit of the Chinese, a sync that makes a pair stale),
`status --json` and `sync --check --reviewed`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PREFACE
from conftest import run_in_book as run
from workbench import store
from workbench.book import Book

PO = "zh/chapter_preface/index.po"




def pairs(book: Path) -> list:
    return Book.open(book).catalog(PREFACE).active


def translate_the_untranslated(book: Path) -> None:
    b = Book.open(book)
    catalog = b.catalog(PREFACE)
    for p in catalog.active:
        if not p.chinese:
            p.chinese = "译文"
    with b.lock():
        b.save(PREFACE, catalog)


def test_review_marks_translated_pairs_and_status_counts_them(builtin_book: Path, capsys) -> None:
    code, out, _ = run(capsys, builtin_book, "review", PREFACE, "--json")
    assert code == 0
    record = json.loads(out)["files"][0]
    assert record["reviewed"] == 51 and record["unfinished"] == 1 and record["already"] == 0
    before = pairs(builtin_book)
    assert sum(p.reviewed for p in before) == 51
    assert not next(p for p in before if not p.chinese).reviewed
    po = (builtin_book / PO).read_text(encoding="utf-8")
    assert po.count("#. reviewed: ") == 51
    code, out, _ = run(capsys, builtin_book, "status", "--json")
    total = json.loads(out)["total"]
    assert total["reviewed"] == 51 and total["translated"] == 51
    # a second run finds them reviewed already and writes nothing
    code, out, _ = run(capsys, builtin_book, "review", PREFACE, "--json")
    assert json.loads(out)["files"][0]["already"] == 51
    assert (builtin_book / PO).read_text(encoding="utf-8") == po


def test_review_no_findings_leaves_the_pairs_qa_flags(builtin_book: Path, capsys) -> None:
    code, out, _ = run(capsys, builtin_book, "review", PREFACE, "--no-findings", "--json")
    assert code == 0
    record = json.loads(out)["files"][0]
    # the preface has real findings: a missing :cite: on line 19, lost roles on line 47
    assert {19, 47} <= set(record["with_findings"])
    assert record["reviewed"] + len(record["with_findings"]) == 51
    by_line = {p.line: p for p in pairs(builtin_book)}
    assert by_line[3].reviewed and not by_line[19].reviewed and not by_line[47].reviewed


def test_review_dry_run_writes_nothing(builtin_book: Path, capsys) -> None:
    po = (builtin_book / PO).read_bytes()
    code, out, _ = run(capsys, builtin_book, "review", PREFACE, "--dry-run")
    assert code == 0 and "would mark 51 reviewed" in out
    assert (builtin_book / PO).read_bytes() == po


def test_a_gettext_flag_would_be_lost_and_the_mark_is_kept_by_msgcat(builtin_book: Path, capsys) -> None:
    """Why the mark is a `#.` comment: msgcat drops a flag it does not know."""
    if not shutil.which("msgcat"):
        pytest.fail("msgcat is missing: apt-get install -y gettext")
    run(capsys, builtin_book, "review", PREFACE)
    po = builtin_book / PO
    flagged = po.read_text(encoding="utf-8").replace("#. reviewed: ", "#, reviewed\n#. x: ", 1)
    (builtin_book / "flag.po").write_text(flagged, encoding="utf-8")
    out = subprocess.run(["msgcat", str(builtin_book / "flag.po")], capture_output=True, text=True, check=True).stdout
    assert "#, reviewed" not in out
    # the workbench's own mark goes through msgcat and reads back reviewed
    out = subprocess.run(["msgcat", str(po)], capture_output=True, text=True, check=True).stdout
    assert sum(p.reviewed for p in store.parse(out).active) == 51


def test_an_edit_in_translate_toolkit_unreviews_only_that_pair(builtin_book: Path, capsys) -> None:
    """Weblate's PO layer keeps the mark; an edited translation no longer fits it."""
    from translate.storage import pypo

    run(capsys, builtin_book, "review", PREFACE)
    po = pypo.pofile.parsefile(str(builtin_book / PO))
    unit = next(u for u in po.units if u.source == "Preface")
    unit.target = "序言"
    (builtin_book / PO).write_bytes(bytes(po))
    after = {p.english: p for p in pairs(builtin_book)}
    assert after["Preface"].chinese == "序言" and not after["Preface"].reviewed
    assert sum(p.reviewed for p in after.values()) == 50


def test_a_hand_edit_of_zh_md_taken_back_unreviews_the_pair(builtin_book: Path, capsys) -> None:
    run(capsys, builtin_book, "review", PREFACE)
    md = builtin_book / "zh" / PREFACE
    md.write_text(md.read_text(encoding="utf-8").replace("# 前言", "# 序言", 1), encoding="utf-8")
    code, out, _ = run(capsys, builtin_book, "render")
    assert code == 0 and "taken back" in out
    after = {p.english: p for p in pairs(builtin_book)}
    assert after["Preface"].chinese == "序言" and not after["Preface"].reviewed
    assert sum(p.reviewed for p in after.values()) == 50
    assert "reviewed: " not in (builtin_book / PO).read_text(encoding="utf-8").split('msgid "Preface"')[0].split("\n\n")[-1]


def test_a_sync_that_makes_a_pair_stale_ends_its_review(builtin_book: Path, capsys) -> None:
    run(capsys, builtin_book, "review", PREFACE)
    en = builtin_book / "en" / PREFACE
    en.write_text(en.read_text(encoding="utf-8").replace("# Preface", "# A Preface", 1), encoding="utf-8")
    code, _, err = run(capsys, builtin_book, "sync")
    assert code == 0, err
    after = {p.english: p for p in pairs(builtin_book)}
    assert after["A Preface"].stale and not after["A Preface"].reviewed
    assert sum(p.reviewed for p in after.values()) == 50


def test_sync_check_reviewed_fails_until_every_pair_is_reviewed(builtin_book: Path, capsys) -> None:
    translate_the_untranslated(builtin_book)
    assert run(capsys, builtin_book, "sync", "--check")[0] == 0
    code, _, err = run(capsys, builtin_book, "sync", "--check", "--reviewed")
    assert code == 1 and "en/chapter_preface/index.md:3: not reviewed" in err and "52 pairs not reviewed" in err
    run(capsys, builtin_book, "review", PREFACE)
    assert run(capsys, builtin_book, "sync", "--check", "--reviewed")[0] == 0
    code, _, err = run(capsys, builtin_book, "sync", "--reviewed")
    assert code == 2 and "--reviewed goes with --check" in err


def test_sync_keeps_the_mark_of_a_moved_pair_and_not_on_a_copy(builtin_book: Path, capsys) -> None:
    run(capsys, builtin_book, "review", PREFACE)
    en = builtin_book / "en" / PREFACE
    text = en.read_text(encoding="utf-8")
    # the Summary section moves to the top, and a second Summary heading comes at the end
    start, end = text.index("## Summary"), text.index("## Exercises")
    summary = text[start:end]
    text = text[:start] + text[end:]
    text = text.replace("## About This Book", summary + "## About This Book", 1) + "\n## Summary\n"
    en.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, builtin_book, "sync")
    assert code == 0, err
    heads = [p for p in pairs(builtin_book) if p.english == "Summary"]
    assert [(p.context, p.chinese) for p in heads] == [("", "小结"), ("2", "小结")]
    assert heads[0].reviewed and not heads[1].reviewed
    assert heads[0].line < 20  # moved, and still reviewed
    assert sum(p.reviewed for p in pairs(builtin_book)) == 51
