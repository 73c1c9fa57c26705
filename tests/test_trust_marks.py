"""The workbench's own marks in a PO file (`#. layout: JSON`, `#. settled: KIND` and the settled
pair's previous English) edited by hand or by another tool: the render never writes what a mark
holds beyond layout into zh/*.md, no command crashes on them, and what the marks hold always
reads back."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import PREFACE, assert_msgfmt_ok
from conftest import run_in_book as run
from workbench.layout import MAX_PAD, Layout
from workbench.model import CONFLICT, Pair
from workbench.store import Catalog, dump, parse

PO = "zh/chapter_preface/index.po"
ZH = "zh/chapter_preface/index.md"
#: The list item of the preface whose layout the tests edit: its Chinese gets a second line.
ITEM = "The first part covers"
#: The markup of the gap before it, up to the figure's label (a shared block between the runs).
FIGURE = "](../img/book-org.svg)\n\n"


def _mark(book: Path, english: str, line: str, chinese: str | None = None) -> str:
    """Put `line` among the extracted comments of the entry whose English starts with `english`
    (as a hand edit would: the text written as is); give it a multi-line Chinese if told."""
    po = book / PO
    text = po.read_text(encoding="utf-8")
    at = text.index(f'"{english}')
    kind = text.rindex("#. kind:", 0, at)
    end = text.index("\n", kind) + 1
    text = text[:end] + line + "\n" + text[end:]
    if chinese is not None:
        start = text.index("msgstr", at)
        stop = text.index("\n\n", start)
        lines = [json.dumps(piece, ensure_ascii=False) for piece in chinese.splitlines(True)]
        text = text[:start] + 'msgstr ""\n' + "\n".join(lines) + text[stop:]
    po.write_text(text, encoding="utf-8")
    return text


def _render(book: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, _, err = run(capsys, book, "render")
    assert code == 0 and "Traceback" not in err, err
    return (book / ZH).read_text(encoding="utf-8")


def _item_lines(zh: str) -> list[str]:
    at = zh.index("第一部分")
    start = zh.rindex("\n", 0, at) + 1
    return zh[start:].split("\n")[:2]


def test_a_fair_layout_is_rendered(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the baseline the next test needs: a layout of markers and indentation does come through
    _mark(builtin_book, ITEM, "#. layout: " + json.dumps({"before": [FIGURE, "\n\n- "], "pad": "   "}),
          "第一部分\n介绍基础知识。")
    assert _item_lines(_render(builtin_book, capsys)) == ["- 第一部分", "   介绍基础知识。"]


@pytest.mark.parametrize(("layout", "fair"), [
    # text where indentation goes: the English's indentation (the fair marker stays)
    ({"pad": "<script>alert(1)</script> ", "before": [FIGURE, "\n\n- "]}, {"before": [FIGURE, "\n\n- "]}),
    ({"pad": "# Injected heading\n", "before": [FIGURE, "\n\n- "]}, {"before": [FIGURE, "\n\n- "]}),
    # huge indentation, a dozen blank lines: the English's layout
    ({"pad": " " * (MAX_PAD + 1), "before": [FIGURE, "\n" * 12 + "- "]}, {}),
    # line breaks Markdown or polib see and the shape check does not
    ({"pad": "\u2028 ", "before": [FIGURE, "\n\f\v\r- "]}, {}),
])
def test_a_hand_damaged_layout_writes_only_the_englishs(builtin_book: Path, tmp_path: Path, layout: dict[str, object],
                                                        fair: dict[str, object],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(builtin_book, reference)
    text = _mark(builtin_book, ITEM, "#. layout: " + json.dumps(layout), "第一部分\n介绍基础知识。")
    _mark(reference, ITEM, "#. layout: " + json.dumps(fair) if fair else "#. note", "第一部分\n介绍基础知识。")
    zh = _render(builtin_book, capsys)
    # what the fair part of the layout renders, the English's indentation (the item's text column)
    assert zh == _render(reference, capsys)
    assert _item_lines(zh) == [f"{'-' if fair else '*'} 第一部分", "  介绍基础知识。"]
    assert "Injected" not in zh and "<script>" not in zh and "\f" not in zh
    # the mark is the translator's to fix: kept as written, and the pairs all there
    assert (builtin_book / PO).read_text(encoding="utf-8") == text
    assert run(capsys, builtin_book, "sync")[0] == 0
    assert (builtin_book / PO).read_text(encoding="utf-8").count("#. layout: ") == 1


def test_marks_nested_too_deep_to_read_crash_no_command(builtin_book: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    _mark(builtin_book, ITEM, '#. layout: {"before":' + deep + "}")
    _mark(builtin_book, "In just the past five years", "#. settled: typo")
    po = builtin_book / PO
    text = po.read_text(encoding="utf-8")
    at = text.index("#. settled: typo")
    po.write_text(text[:at] + "# English before the settled edit: " + deep + "\n" + text[at:], encoding="utf-8")
    chinese = {e.msgid: e.msgstr for e in polib.pofile(str(po))}
    for args in (["render"], ["sync"], ["status"], ["diff", "--settled"], ["check"],
                 ["export", "--format", "html", "-o", str(tmp_path / "html")], ["build", "zh", "--mark-stale"],
                 ["review", PREFACE]):
        code, _, err = run(capsys, builtin_book, *args)
        assert code in (0, 1) and "Traceback" not in err, (args, err)
    after = po.read_text(encoding="utf-8")
    assert {e.msgid: e.msgstr for e in polib.pofile(str(po))} == chinese
    assert "#. layout: {\"before\":" + deep + "}" in after  # what a hand wrote stays for the hand to fix
    assert_msgfmt_ok(po)


def test_what_the_marks_hold_reads_back_whatever_its_characters(tmp_path: Path) -> None:
    # U+2028, U+2029 and NEL are line breaks to polib (str.splitlines) but not to gettext: kept raw
    # in a comment they made the PO unreadable to the workbench; quotes, backslashes and newlines too
    previous = 'The "old" path C:\\temp\\new\nline\u2028two\u2029three\x85four 中文'
    layout = Layout(before=["\n\n- "], pad="\u3000\u3000").dump()
    catalog = Catalog(source=f"en/{PREFACE}")
    catalog.pairs.append(Pair(english="The new path.", chinese="新路径。", kind="paragraph", line=3,
                              previous=previous, settled="typo", layout=layout))
    text = dump(catalog)
    assert "\u2028" not in text and "\x85" not in text
    back = parse(text).pairs[0]
    assert (back.previous, back.settled, back.layout) == (previous, "typo", layout)
    assert Layout.load(back.layout) == Layout(before=["\n\n- "], pad="\u3000\u3000")
    po = tmp_path / "x.po"
    po.write_text(text, encoding="utf-8")
    assert_msgfmt_ok(po)
    r = subprocess.run(["msgfmt", "--check-format", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


#: What Poedit and other gettext tools write on an entry: the workbench has no use for it, and keeps it.
OTHER_TOOLS = ("#. Translators: keep the names as the sponsors write them", "#: other/credits.py:12", "#, no-wrap")


@pytest.mark.parametrize(("edit", "settled"), [
    (("Raju Gulabani, Charlie Bell, and", "Peter DeSantis, Adam Selipsky and"), True),  # names: settled
    (("for their generous support", "for their kind support"), False),  # wording: stale
])
def test_an_english_edit_keeps_what_other_tools_wrote_on_the_pair(builtin_book: Path, edit: tuple[str, str],
                                                                  settled: bool,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    po = builtin_book / PO
    text = po.read_text(encoding="utf-8")
    at = text.index('"We thank Amazon')
    kind = text.rindex("#. kind:", 0, at)
    ref = text.index("#: ", kind)
    end = text.index("\n", ref)
    po.write_text(text[:kind] + OTHER_TOOLS[0] + "\n" + text[kind:end] + " other/credits.py:12\n#, no-wrap"
                  + text[end:], encoding="utf-8")
    en = builtin_book / "en" / PREFACE
    en.write_text(en.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    code, out, _ = run(capsys, builtin_book, "sync")
    assert code == 0 and ("settled (current" in out) == settled
    pair = next(p for p in parse(po.read_text(encoding="utf-8")).active if p.english.startswith("We thank Amazon"))
    assert pair.stale != settled and bool(pair.settled) == settled
    assert pair.extracted_extra == [OTHER_TOOLS[0][3:]]
    assert pair.references_extra == ["other/credits.py:12"] and pair.flags_extra == ["no-wrap"]
    assert_msgfmt_ok(po)


def test_diff_prints_no_control_character_of_a_po_file(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a PO from elsewhere (a pull request, another tool) with escape sequences in a mark and a
    # translation: `diff --settled` shows them escaped, they do not retitle or recolour the terminal
    text = _mark(builtin_book, "In just the past five years", "#. settled: \x1b]0;retitled\x07\x1b[2J")
    po = builtin_book / PO
    at = text.index('"In just the past five years')
    chinese = text.index('msgstr "', at) + len('msgstr "')
    po.write_text(text[:chinese] + "\x1b[31m" + text[chinese:], encoding="utf-8")
    code, out, err = run(capsys, builtin_book, "diff", "--settled", "--color", "never")
    assert code == 0 and "Traceback" not in err
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;retitled\\x07\\x1b[2J: " in out and "  zh: \\x1b[31m" in out
    for args in (["check"], ["search", "五年"], ["sync"]):
        code, out, err = run(capsys, builtin_book, *args)
        assert code in (0, 1) and "\x1b" not in out + err and "\x07" not in out + err, args


def test_a_batch_review_leaves_doubted_pairings_and_conflicts_for_the_translator(
        builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # as an import leaves a doubted pair: the mark and the fuzzy flag (polib reads a flag line anywhere)
    text = _mark(builtin_book, "In just the past five years", "#. pairing: the import doubted this pair\n#, fuzzy")
    po = builtin_book / PO
    at = text.index('"Just a few years ago')
    entry = text.rindex("\n\n", 0, at) + 2
    po.write_text(text[:entry] + f"# {CONFLICT} another Chinese: 几年前\n" + text[entry:], encoding="utf-8")
    code, out, _ = run(capsys, builtin_book, "review", PREFACE)
    assert code == 0 and "to finish first" in out
    pairs = {p.english[:20]: p for p in parse(po.read_text(encoding="utf-8")).active}
    assert not pairs["In just the past fiv"].reviewed and pairs["In just the past fiv"].pairing
    assert not pairs["Just a few years ago"].reviewed and pairs["Just a few years ago"].conflict
    assert pairs["Preface"].reviewed
