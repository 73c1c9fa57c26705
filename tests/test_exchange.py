"""XLIFF and TMX out, XLIFF, TMX and PO in, on the built-in book: files read back by
translate-toolkit, edited there, and imported; conflicts reported and not applied."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from translate.storage import pypo, tmx, xliff

from conftest import PREFACE
from conftest import run_in_book as run
from workbench.book import Book

SOURCE = f"en/{PREFACE}"




def by_english(book: Path) -> dict[str, object]:
    return {p.english: p for p in Book.open(book).catalog(PREFACE).active}


def test_xliff_round_trip_fills_and_reports_a_conflict(builtin_book: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "preface.xlf"
    assert run(capsys, builtin_book, "export", "--format", "xliff", "-o", str(out))[0] == 0
    doc = xliff.xlifffile.parsefile(str(out))
    assert doc.getfilenames() == [SOURCE]
    assert len(doc.units) == 52  # every pair, the untranslated one too
    assert all(u.getid().startswith(SOURCE + "\x04u") for u in doc.units)
    assert sum(u.isapproved() for u in doc.units) == 51
    assert doc.units[0].getnotes("developer") == f"{SOURCE}:3 (heading)"
    # a translator in a CAT tool: translates the image text, and changes the heading
    alt = next(u for u in doc.units if u.source == "Book structure")
    assert not alt.target
    alt.settarget("本书结构", lang="zh-CN")
    alt.markapproved(True)
    heading = next(u for u in doc.units if u.source == "Preface")
    heading.settarget("序言", lang="zh-CN")
    out.write_bytes(bytes(doc))

    code, text, _ = run(capsys, builtin_book, "import-translations", str(out), "--json")
    assert code == 1  # a conflict is left for the user
    report = json.loads(text)
    assert [c["english"] for c in report["filled"]] == ["Book structure"]
    assert [(c["english"], c["chinese"], c["incoming"]) for c in report["conflicts"]] == [("Preface", "前言", "序言")]
    assert report["same"] == 50 and report["unmatched"] == []
    pairs = by_english(builtin_book)
    assert pairs["Book structure"].chinese == "本书结构" and not pairs["Book structure"].stale
    assert pairs["Preface"].chinese == "前言"  # not overwritten
    md = (builtin_book / "zh" / PREFACE).read_text(encoding="utf-8")
    assert "本书结构" in md and "\n# 前言\n" in md
    # the render is what `workbench render` would write: the import went through Book.save
    book = Book.open(builtin_book)
    assert not book.save(PREFACE, book.catalog(PREFACE), dry_run=True).changed

    code, text, _ = run(capsys, builtin_book, "import-translations", str(out), "--replace")
    assert code == 0 and "replaced 1" in text
    assert by_english(builtin_book)["Preface"].chinese == "序言"
    assert "\n# 序言\n" in (builtin_book / "zh" / PREFACE).read_text(encoding="utf-8")


def test_xliff_states_follow_the_pairs(builtin_book: Path, tmp_path: Path, capsys) -> None:
    run(capsys, builtin_book, "review", PREFACE)
    book = Book.open(builtin_book)
    catalog = book.catalog(PREFACE)
    catalog.active[1].stale = True
    with book.lock():
        book.save(PREFACE, catalog)
    out = tmp_path / "p.xlf"
    run(capsys, builtin_book, "export", "--format", "xliff", "-o", str(out))
    units = xliff.xlifffile.parsefile(str(out)).units
    states = [u.getlanguageNode(lang=None, index=1).get("state") if u.target else None for u in units]
    assert states[0] == "signed-off" and states[1] == "needs-review-translation"
    assert states.count("signed-off") == 50 and states.count(None) == 1
    # imported back unchanged: nothing to do, the stale pair stays stale
    code, text, _ = run(capsys, builtin_book, "import-translations", str(out), "--json")
    assert code == 0 and json.loads(text)["same"] == 51 and json.loads(text)["files"] == []


def test_tmx_carries_file_and_context_and_fills_an_empty_book(builtin_book: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "preface.tmx"
    assert run(capsys, builtin_book, "export", "--format", "tmx", "-o", str(out))[0] == 0
    memory = tmx.tmxfile.parsefile(str(out))
    assert len(memory.units) == 51  # the translated pairs
    unit = memory.units[0]
    assert (unit.source, unit.target) == ("Preface", "前言")
    assert unit.xmlelement.find(f"{unit.namespaced('prop')}[@type='x-file']").text == SOURCE
    before = {e: p.chinese for e, p in by_english(builtin_book).items()}
    original_md = (builtin_book / "zh" / PREFACE).read_text(encoding="utf-8")
    # the same English with no translations at all: the memory brings them all back
    shutil.rmtree(builtin_book / "zh")
    code, text, _ = run(capsys, builtin_book, "import-translations", str(out))
    assert code == 0 and "filled 51" in text
    assert {e: p.chinese for e, p in by_english(builtin_book).items()} == before
    assert (builtin_book / "zh" / PREFACE).read_text(encoding="utf-8") == original_md


def test_the_same_english_twice_goes_back_by_its_msgctxt(builtin_book: Path, tmp_path: Path, capsys) -> None:
    en = builtin_book / "en" / PREFACE
    en.write_text(en.read_text(encoding="utf-8") + "\n## Summary\n", encoding="utf-8")
    assert run(capsys, builtin_book, "sync")[0] == 0
    twice = [p for p in Book.open(builtin_book).catalog(PREFACE).active if p.english == "Summary"]
    # sync gave the second heading the first one's translation
    assert [(p.context, p.chinese) for p in twice] == [("", "小结"), ("2", "小结")]
    second_line = twice[1].line
    out = tmp_path / "p.xlf"
    run(capsys, builtin_book, "export", "--format", "xliff", "-o", str(out))
    doc = xliff.xlifffile.parsefile(str(out))
    unit = next(u for u in doc.units if u.getid().endswith("-2"))
    assert unit.source == "Summary"
    unit.settarget("再小结", lang="zh-CN")
    out.write_bytes(bytes(doc))
    code, text, _ = run(capsys, builtin_book, "import-translations", str(out), "--json")
    conflicts = json.loads(text)["conflicts"]
    assert code == 1 and [(c["line"], c["incoming"]) for c in conflicts] == [(second_line, "再小结")]
    code, text, _ = run(capsys, builtin_book, "import-translations", str(out), "--replace")
    assert code == 0, text
    twice = [p for p in Book.open(builtin_book).catalog(PREFACE).active if p.english == "Summary"]
    assert [p.chinese for p in twice] == ["小结", "再小结"]


def test_po_from_another_tool_and_two_offers_for_one_pair(builtin_book: Path, tmp_path: Path, capsys) -> None:
    """A PO edited in translate-toolkit (Weblate's layer) with the untranslated pair filled, and
    an XLIFF offering another Chinese for it: neither offer is picked, both are reported."""
    po = pypo.pofile.parsefile(str(builtin_book / "zh" / "chapter_preface" / "index.po"))
    next(u for u in po.units if u.source == "Book structure").target = "本书结构"
    theirs = tmp_path / "weblate.po"
    theirs.write_bytes(bytes(po))
    assert run(capsys, builtin_book, "import-translations", str(theirs), "--dry-run")[1].startswith("would fill 1")
    code, text, _ = run(capsys, builtin_book, "import-translations", str(theirs))
    assert code == 0 and by_english(builtin_book)["Book structure"].chinese == "本书结构"

    # a merged file holding two translations of one pair
    doc = pypo.pofile()
    for target in ("甲", "乙"):
        unit = doc.addsourceunit("Summary")
        unit.target = target
        unit.addlocation(f"{SOURCE}:103")
    unit = doc.addsourceunit("No such English in the book")
    unit.target = "无"
    two = tmp_path / "two.po"
    two.write_bytes(bytes(doc))
    before = (builtin_book / "zh" / "chapter_preface" / "index.po").read_bytes()
    code, text, _ = run(capsys, builtin_book, "import-translations", str(two), "--json", "--replace")
    report = json.loads(text)
    assert code == 1 and sorted(c["incoming"] for c in report["conflicts"]) == ["乙", "甲"]
    assert [u["english"] for u in report["unmatched"]] == ["No such English in the book"]
    assert (builtin_book / "zh" / "chapter_preface" / "index.po").read_bytes() == before


def test_bad_input_is_exit_2(builtin_book: Path, tmp_path: Path, capsys) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("just text\n", encoding="utf-8")
    code, _, err = run(capsys, builtin_book, "import-translations", str(text))
    assert code == 2 and "notes.txt: not an XLIFF, TMX or PO file" in err
    broken = tmp_path / "broken.xlf"
    broken.write_text("<xliff version='1.2'><file", encoding="utf-8")
    code, _, err = run(capsys, builtin_book, "import-translations", str(broken))
    assert code == 2 and "broken.xlf: cannot read as XLIFF, TMX or PO" in err


def test_export_never_overwrites_the_books_files(builtin_book: Path, capsys) -> None:
    po = builtin_book / "zh" / "chapter_preface" / "index.po"
    before = po.read_bytes()
    code, _, err = run(capsys, builtin_book, "export", "--format", "tmx", "-o", str(po))
    assert code == 2 and "would overwrite the book's own files" in err
    assert po.read_bytes() == before
