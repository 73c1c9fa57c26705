"""The PO pair store: stable, valid for gettext and translate-toolkit, groups and duplicates."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import assert_msgfmt_ok
from workbench import store
from workbench.markdown import segment
from workbench.model import GROUP_SEPARATOR, Pair, WorkbenchError
from workbench.render import render
from workbench.store import Catalog


@pytest.fixture
def builtin_po(builtin_book: Path) -> Path:
    """The built-in book's PO (made from the seed), in a folder of the test's own."""
    return builtin_book / "zh" / "chapter_preface" / "index.po"


def test_load_and_save_changes_nothing(builtin_po: Path) -> None:
    text = builtin_po.read_text(encoding="utf-8")
    assert store.dump(store.parse(text)) == text
    # an older workbench wrote the legacy X-Workbench-Rendered header: read, no longer written
    # (the merge base lives in .workbench/base/); without it, the text comes back as it was
    hashed = '"X-Workbench-Rendered: sha256:0123456789abcdef0123\\n"\n'
    legacy = text.replace('"X-Workbench-Source:', hashed + '"X-Workbench-Source:', 1)
    assert legacy != text and store.parse(legacy).rendered == "sha256:0123456789abcdef0123"
    assert store.dump(store.parse(legacy)) == text


def test_msgfmt_accepts_the_store(tmp_path: Path, builtin_po: Path) -> None:
    cat = store.parse(builtin_po.read_text(encoding="utf-8"))
    cat.pairs[3].stale, cat.pairs[3].previous = True, "An older English text."
    cat.pairs.append(Pair("Gone paragraph.", "消失的段落。", obsolete=True))
    cat.pairs.append(Pair(cat.pairs[1].english, "重复", context="2"))
    po = tmp_path / "x.po"
    po.write_text(store.dump(cat), encoding="utf-8")
    assert_msgfmt_ok(po)


@pytest.mark.skipif(not shutil.which("pocount"), reason="translate-toolkit's pocount is installed by the test extra")
def test_translate_toolkit_counts_what_we_count(tmp_path: Path, builtin_po: Path) -> None:
    cat = store.parse(builtin_po.read_text(encoding="utf-8"))
    cat.pairs[5].stale, cat.pairs[5].previous = True, "Older."
    cat.pairs[6].chinese = ""
    po = tmp_path / "x.po"
    po.write_text(store.dump(cat), encoding="utf-8")
    r = subprocess.run(["pocount", "--csv", str(po)], capture_output=True, text=True, check=True)
    row = r.stdout.strip().splitlines()[-1].split(",")
    # csv columns: Filename, Translated Messages, Translated Source Words, Translated Target Words,
    # Fuzzy Messages, Fuzzy Source Words, Untranslated Messages, ...
    translated, fuzzy, untranslated = int(row[1]), int(row[4]), int(row[6])
    ours = [p.status.value for p in cat.active]
    assert (translated, fuzzy, untranslated) == (ours.count("current"), ours.count("stale"), ours.count("untranslated"))


def test_a_pair_over_several_units_renders_once() -> None:
    """An imported translation that merged two English paragraphs into one Chinese paragraph."""
    doc = segment("First paragraph.\n\nSecond\nparagraph.\n\nThird.\n")
    cat = Catalog("en/x.md", [
        Pair("First paragraph." + GROUP_SEPARATOR + "Second paragraph.", "第一段和第二段。"),
        Pair("Third.", ""),
    ])
    assert render(doc, cat) == "第一段和第二段。\n\nThird.\n"
    matches = store.match(doc, cat)
    assert [(m.pair is cat.pairs[0], m.head) for m in matches[:2]] == [(True, True), (True, False)]


def test_a_split_paragraph_renders_as_two() -> None:
    doc = segment("* One long English item.\n* Next.\n")
    cat = Catalog("en/x.md", [Pair("One long English item.", "第一句。\n\n第二句。"), Pair("Next.", "下一个。")])
    assert render(doc, cat) == "* 第一句。\n\n  第二句。\n* 下一个。\n"


def test_duplicates_are_told_apart_by_context() -> None:
    doc = segment("Same text.\n\nOther.\n\nSame text.\n")
    pairs = store.pairs_for(doc, "en/x.md")
    assert [p.context for p in pairs] == ["", "", "2"]
    pairs[0].chinese, pairs[2].chinese = "第一次", "第二次"
    assert render(doc, Catalog("en/x.md", pairs)) == "第一次\n\nOther.\n\n第二次\n"


def test_syntax_error_names_the_line(builtin_po: Path) -> None:
    bad = builtin_po.read_text(encoding="utf-8").splitlines()
    bad[20] = "msgstr unquoted text"
    with pytest.raises(WorkbenchError) as e:
        store.parse("\n".join(bad), "zh/x.po")
    assert (e.value.path, e.value.line) == ("zh/x.po", 21)


def test_unterminated_string_names_the_line() -> None:
    with pytest.raises(WorkbenchError) as e:
        store.parse('msgid "a"\nmsgstr "b"\n\nmsgid "c\nmsgstr ""\n', "zh/y.po")
    assert e.value.line is not None and "syntax" in e.value.message


def test_obsolete_pairs_survive_a_round_trip_once() -> None:
    text = '#, fuzzy\n#| msgid "old"\nmsgid "a"\nmsgstr "b"\n\n#~ msgid "y"\n#~ msgstr "z"\n'
    cat = store.parse(text)
    assert [(p.english, p.obsolete, p.stale) for p in cat.pairs] == [("a", False, True), ("y", True, False)]
    assert store.parse(store.dump(cat)).pairs == cat.pairs


def test_obsolete_pairs_keep_their_kind_and_notes() -> None:
    cat = Catalog("en/x.md", [Pair("Kept.", "保留。", line=1),
                              Pair("Gone heading", "旧标题", kind="heading", obsolete=True, notes=["a note"])])
    text = store.dump(cat)
    assert "# a note\n#. kind: heading\n#~ msgid \"Gone heading\"" in text
    again = store.parse(text)
    assert again.pairs[1].kind == "heading" and again.pairs[1].notes == ["a note"] and again.pairs[1].obsolete
    assert store.dump(again) == text


def test_notes_with_trailing_blanks_and_newlines_are_stable() -> None:
    """Import notes quote Chinese as found, trailing spaces and line breaks included."""
    cat = Catalog("en/x.md", [Pair("Text.", "文本。", line=1, notes=["unplaced Chinese: 多余 ", "two\nlines  "])])
    text = store.dump(cat)
    assert store.dump(store.parse(text)) == text
