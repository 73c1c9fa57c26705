"""The one PO reader (workbench/po_read.py) reads a PO as gettext's tools do: held to polib, an
independent reader of the format used here only as the judge, on the real PO files of the
sample book and the built-in book, as the workbench writes them and as msgcat wraps them, and
on every construct of the format, made up."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from workbench import po_read, store
from workbench.model import WorkbenchError

SAMPLE = Path(__file__).parent / "data" / "tui" / "book"

#: Every kind of line and entry: header comment, header continued over lines, translator
#: comments (with empty lines, `##`), extracted comments, references (with and without a line),
#: flags, previous strings, contexts, escapes, continued strings, plural forms, obsolete entries
#: (with their previous msgid), an entry with an empty msgid, a trailing comment.
EVERY_CONSTRUCT = r'''# Header comment.
#
# Second paragraph.
msgid ""
msgstr ""
"Project-Id-Version: x\n"
"X-Multi: one\n"
"continued\n"
"Language: zh_CN\n"

#  a translator note
#
## another
#. kind: paragraph
#.  indented
#: en/a.md:3 en/b.md other:x :7
#, fuzzy, no-wrap
#| msgctxt "old"
#| msgid "was "
#| "before"
msgctxt "2"
msgid "tab\tquote\" back\\ newline\n"
"more \a"
msgstr "制表\t"
"续"

msgid "one"
msgid_plural "many"
msgstr[0] "一"
msgstr[1] "多"

msgctxt "empty"
msgid ""
msgstr "x"

#, fuzzy
#~| msgid "gone before"
#~ msgid "gone"
#~ msgstr "去"
#~ "了"

msgid "last"
msgstr ""
# trailing comment
'''


def _polib(text: str) -> tuple[str, dict[str, str], list[tuple[object, ...]]]:
    po = polib.pofile(text, wrapwidth=0, check_for_duplicates=False)
    return po.header, dict(po.metadata), [
        (e.linenum, e.msgctxt or "", e.msgid, e.msgstr, e.previous_msgid or "", e.flags,
         e.comment.split("\n") if e.comment else [], e.tcomment.split("\n") if e.tcomment else [],
         e.occurrences, bool(e.obsolete)) for e in po]


def _ours(text: str) -> tuple[str, dict[str, str], list[tuple[object, ...]]]:
    read = po_read.read(text)
    return read.header_comment, read.metadata, [
        (e.line, e.msgctxt, e.msgid, e.msgstr, e.previous, e.flags, e.extracted, e.notes, e.references, e.obsolete)
        for e in read.entries]


def _real_pos() -> list[Path]:
    builtin = Path(__file__).resolve().parents[1] / "zh"
    return sorted((SAMPLE / "zh").rglob("*.po")) + sorted(builtin.rglob("*.po"))


def test_reads_every_construct_as_polib() -> None:
    ours = _ours(EVERY_CONSTRUCT)
    assert ours == _polib(EVERY_CONSTRUCT)
    header, metadata, entries = ours
    assert header == "Header comment.\n\nSecond paragraph."
    assert metadata["X-Multi"] == "one\ncontinued"
    assert [e[2] for e in entries] == ['tab\tquote" back\\ newline\nmore \\a', "one", "", "gone", "last"]
    assert entries[0][8] == [("en/a.md", "3"), ("en/b.md", ""), ("other:x", ""), ("", "7")]
    assert entries[3][3] == "去了" and entries[3][9] is True


def test_reads_the_real_po_files_as_polib_also_when_wrapped(tmp_path: Path) -> None:
    pos = _real_pos()
    assert len(pos) >= 3
    for po in pos:
        text = po.read_text(encoding="utf-8")
        assert _ours(text) == _polib(text), po
        wrapped = tmp_path / "wrapped.po"
        subprocess.run(["msgcat", "--width=30", "-o", str(wrapped), str(po)], check=True)
        again = wrapped.read_text(encoding="utf-8")
        assert again != text and _ours(again) == _polib(again), po
        # the pairs do not depend on the wrapping
        assert store.parse(again).pairs == store.parse(text).pairs


@pytest.mark.parametrize("line", [
    "msgstr unquoted", 'msgid "open', "#foo", "#,fuzzy", '#~msgid "x"', '#|msgid "x"', '#| msgstr "x"',
    ' msgid "x"', '#~  msgid "x"', 'msgid[0] "x"', '"x"\u3000'])
def test_a_line_neither_reads_is_a_syntax_error_on_its_line(line: str) -> None:
    text = 'msgid ""\nmsgstr ""\n"Language: zh\\n"\n\nmsgid "a"\n' + line + '\nmsgstr "b"\n'
    with pytest.raises(WorkbenchError) as e:
        po_read.read(text, "zh/x.po")
    assert (e.value.path, e.value.line) == ("zh/x.po", 6) and "syntax" in e.value.message


@pytest.mark.parametrize("order", ['msgid "a"\nmsgid "b"\nmsgstr ""', 'msgctxt "a"\n# note\nmsgid "b"\nmsgstr ""',
                                   'msgid "a"\nmsgctxt "b"\nmsgstr ""'])
def test_entries_out_of_order_are_refused_as_polib_refuses_them(order: str) -> None:
    with pytest.raises(OSError):
        polib.pofile(order + "\n", wrapwidth=0)
    with pytest.raises(WorkbenchError) as e:
        po_read.read(order + "\n", "zh/x.po")
    assert e.value.line == 2


def test_entry_lines_name_each_entry() -> None:
    lines = store.entry_lines(EVERY_CONSTRUCT)
    assert lines[("2", 'tab\tquote" back\\ newline\nmore \\a', False)] == 11
    assert lines[("", "gone", True)] == 36
    assert store.entry_lines("msgid unquoted\n") == {}
