"""The PO files the workbench writes are in GNU gettext's canonical layout, whatever layout it read,
and keep what other tools (msgcat, Poedit, Weblate through translate-toolkit) put in them."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from translate.storage import pypo

from conftest import EN_V0170, ZH, assert_msgfmt_ok, need_corpus
from workbench import cli, store
from workbench.book import Book
from workbench.importer import import_tree
from workbench.model import Pair
from workbench.po_layout import string_lines
from workbench.store import Catalog

PREFACE = "chapter_preface/index.md"


@pytest.fixture
def builtin_po(builtin_book: Path) -> Path:
    """The built-in book's PO, made from the seed in a folder of the test's own."""
    return builtin_book / "zh" / "chapter_preface" / "index.po"
# a handful of chapters with long Chinese paragraphs, math, code comments, tables, and obsolete
# entries after an import over an older import
CHAPTERS = {
    "chapter_attention-mechanisms": ["attention-cues.md", "bahdanau-attention.md", "transformer.md"],
    "chapter_linear-networks": ["linear-regression.md", "softmax-regression.md"],
    "chapter_recurrent-neural-networks": ["rnn.md", "language-models-and-dataset.md"],
    "chapter_preliminaries": ["pandas.md", "calculus.md"],
}


def msgcat(*args: str, text: str) -> str:
    r = subprocess.run(["msgcat", *args, "-"], input=text, capture_output=True, text=True, check=True)
    return r.stdout


def toolkit_round_trip(text: str) -> bytes:
    """What translate-toolkit (Weblate's PO layer) writes back after reading the file."""
    return bytes(pypo.pofile.parsestring(text.encode("utf-8")))


@pytest.fixture(scope="session")
def imported_chapters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few d2l chapters imported into a fresh book, once per worker (the whole corpus's import is
    slower). Read only."""
    need_corpus()
    root = tmp_path_factory.mktemp("po-layout")
    for part, src in (("en", EN_V0170), ("zh", ZH)):
        for chapter, names in CHAPTERS.items():
            (root / f"{part}-in" / chapter).mkdir(parents=True)
            for name in names:
                shutil.copy(src / chapter / name, root / f"{part}-in" / chapter / name)
    import_tree(root / "en-in", root / "zh-in", Book(root / "book"))
    return root / "book"


def test_the_builtin_book_is_in_canonical_layout(builtin_po: Path) -> None:
    text = builtin_po.read_text(encoding="utf-8")
    assert_msgfmt_ok(builtin_po)
    assert toolkit_round_trip(text) == text.encode("utf-8")
    assert store.dump(store.parse(text)) == text
    assert 'msgid ""\n"Just a few years ago, there were no legions of deep learning scientists "\n' in text


@pytest.mark.corpus
def test_imported_chapters_are_in_canonical_layout(imported_chapters: Path) -> None:
    pos = sorted((imported_chapters / "zh").rglob("*.po"))
    assert len(pos) == sum(len(names) for names in CHAPTERS.values())
    assert_msgfmt_ok(imported_chapters / "zh")
    for po in pos:
        text = po.read_text(encoding="utf-8")
        assert toolkit_round_trip(text) == text.encode("utf-8"), po
        assert store.dump(store.parse(text, str(po))) == text, po


@pytest.mark.corpus
def test_long_chinese_lines_break_where_msgcat_breaks_them(imported_chapters: Path) -> None:
    """Chinese has no spaces: msgcat breaks between ideographs at 79 columns (two each), never
    before a full-width comma or full stop, never inside `$x$`-like runs that UAX #14 keeps
    together. Strings drawn from the characters of real chapters, of every length around the limit."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((imported_chapters / "zh").rglob("*.md")))
    chars = [c for c in text if c != "\n"]
    rnd = random.Random(7)
    pairs = []
    for n in range(300):
        size = rnd.choice([30, 35, 36, 37, 38, 39, 40, 70, 71, 72, 76, 77, 78, 79, 150, 400])
        chinese = "".join(rnd.choice(chars) for _ in range(size))
        english = "".join(rnd.choice(chars) for _ in range(rnd.choice([60, 71, 72, 200])))
        stale = n % 7 == 3  # with the English it was made for (#| msgid)
        previous = "".join(rnd.choice(chars) for _ in range(rnd.choice([20, 72, 150]))) if stale else ""
        pairs.append(Pair(english=f"{n} {english}", chinese=chinese, line=n + 1, obsolete=n % 10 == 9,
                          stale=stale, previous=previous, context=chinese[:5] if n % 11 == 5 else ""))
    written = store.dump(Catalog("en/x.md", pairs))
    assert msgcat(text=written) == written
    assert any(len(line) > 30 and not line.isascii() for line in written.splitlines())


def test_strings_break_after_newlines_and_at_spaces_as_msgcat_does() -> None:
    english = ("Chinese translation of the preface\nwith a line break in the middle and a long tail of words "
               "that goes on past the end of the page, so it wraps at a space.\n")
    lines = string_lines("msgid", english)
    assert lines[0] == 'msgid ""'
    assert lines[1] == '"Chinese translation of the preface\\n"'
    assert all(len(line) <= 79 for line in lines)
    po = "\n".join(['msgid ""', 'msgstr "Content-Type: text/plain; charset=UTF-8\\n"', "", *lines, 'msgstr ""']) + "\n"
    assert msgcat(text=po) == po
    # no break just before the closing "\n", and an escaped quote stays whole
    assert string_lines("msgstr", 'say "x"\n') == ['msgstr "say \\"x\\"\\n"']


def test_any_wrapping_is_read_and_written_canonical(builtin_po: Path, tmp_path: Path) -> None:
    """A file rewrapped by another tool (msgcat --no-wrap, a narrow width, translate-toolkit
    re-quoting a unit as Weblate does on save) reads into the same pairs and is written back
    in the canonical layout."""
    text = builtin_po.read_text(encoding="utf-8")
    pairs = store.parse(text).pairs
    toolkit = pypo.pofile.parsestring(text.encode("utf-8"))
    for unit in toolkit.units:
        if not unit.isheader():
            unit.target = unit.target  # re-quoted with translate-toolkit's own wrapper
    for other in (msgcat("--no-wrap", text=text), msgcat("-w", "40", text=text), bytes(toolkit).decode("utf-8")):
        assert other != text
        again = store.parse(other)
        assert again.pairs == pairs
        assert store.dump(again) == text


def test_no_wrap_flag_keeps_an_entry_on_one_line(builtin_po: Path) -> None:
    pair = max(store.parse(builtin_po.read_text(encoding="utf-8")).pairs, key=lambda p: len(p.chinese))
    assert len(pair.chinese) > 40
    pair.flags_extra = ["no-wrap"]
    written = store.dump(Catalog("en/x.md", [pair]))
    assert f'msgstr "{pair.chinese}"' in written and "#, no-wrap" in written
    assert msgcat(text=written) == written


# -- other tools' data survives ---------------------------------------------------------------


def _edit_like_poedit(text: str) -> str:
    """What a translator's tool does to a workbench PO: its own header fields, a header comment,
    a flag, an extracted comment, a reference, a translator comment on one entry."""
    text = text.replace("Last-Translator: workbench translators", "Last-Translator: Li Mu <mu@example.com>")
    text = text.replace('"Language: zh_CN\\n"\n', '"Language: zh_CN\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n')
    text = text.replace('"Content-Transfer-Encoding: 8bit\\n"\n',
                        '"Content-Transfer-Encoding: 8bit\\n"\n"X-Generator: Poedit 3.4\\n"\n')
    text = "# Reviewed by the d2l-zh team.\n" + text
    entry = '#. kind: heading\n#: en/chapter_preface/index.md:3\nmsgid "Preface"\n'
    assert entry in text
    return text.replace(entry, "# keep it short\n#. kind: heading\n#. a title, not a sentence\n"
                               "#: en/chapter_preface/index.md:3 book/toc.rst:3\n#, no-wrap\n"
                               'msgid "Preface"\n')


def _assert_other_tools_data(po: str) -> None:
    for kept in ("Last-Translator: Li Mu <mu@example.com>", "Plural-Forms: nplurals=1; plural=0;",
                 "X-Generator: Poedit 3.4", "# Reviewed by the d2l-zh team.\n", "# keep it short\n",
                 "#. a title, not a sentence\n", "book/toc.rst:3", "#, no-wrap\n"):
        assert kept in po, kept


def test_other_tools_data_survives_parse_and_dump(builtin_po: Path) -> None:
    text = _edit_like_poedit(builtin_po.read_text(encoding="utf-8"))
    catalog = store.parse(text)
    preface = catalog.pairs[0]
    assert (preface.flags_extra, preface.extracted_extra, preface.references_extra, preface.kind, preface.line) == (
        ["no-wrap"], ["a title, not a sentence"], ["book/toc.rst:3"], "heading", 3)
    assert catalog.metadata["X-Generator"] == "Poedit 3.4"
    written = store.dump(catalog)
    _assert_other_tools_data(written)
    assert store.dump(store.parse(written)) == written
    assert msgcat(text=written) == written


def test_other_tools_data_survives_every_workbench_write(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A translation saved (as the TUI does), a render, a sync after an English edit, a re-import of
    the seed: the header fields, comments, flags and references of other tools stay."""
    book = Book(builtin_book)
    po = book.po_path(PREFACE)
    po.write_text(_edit_like_poedit(po.read_text(encoding="utf-8")), encoding="utf-8")
    catalog = book.catalog(PREFACE)
    next(p for p in catalog.pairs if p.english == "Book structure").chinese = "本书结构"
    with book.lock():
        book.save(PREFACE, catalog)
    _assert_other_tools_data(po.read_text(encoding="utf-8"))
    assert cli.main(["render", "--book", str(builtin_book)]) == 0
    en = book.en_path(PREFACE)
    en.write_text(en.read_text(encoding="utf-8").replace("Just a few years ago", "Only a few years ago"),
                  encoding="utf-8")
    assert cli.main(["sync", "--book", str(builtin_book)]) == 0
    _assert_other_tools_data(po.read_text(encoding="utf-8"))
    assert_msgfmt_ok(po)
    capsys.readouterr()


# -- the revision date -------------------------------------------------------------------------


def test_revision_date_moves_only_when_the_pairs_change(builtin_book: Path) -> None:
    book = Book(builtin_book)
    po = book.po_path(PREFACE)
    # a date long past, so that "now" differs from it whenever the test runs
    po.write_text(re.sub(r'"PO-Revision-Date: [^"]*\\n"', lambda _: '"PO-Revision-Date: 2020-01-01 00:00+0000\\n"',
                         po.read_text(encoding="utf-8")), encoding="utf-8")
    date = store.parse(po.read_text(encoding="utf-8")).revised
    assert date == "2020-01-01 00:00+0000"
    # a save that changes nothing writes nothing
    before = po.read_bytes()
    with book.lock():
        assert not book.save(PREFACE, book.catalog(PREFACE)).changed
    assert po.read_bytes() == before
    # another tool's layout: rewritten canonical, the date kept
    po.write_text(msgcat("--no-wrap", text=before.decode("utf-8")), encoding="utf-8")
    with book.lock():
        book.save(PREFACE, book.catalog(PREFACE))
    assert po.read_bytes() == before
    # a changed render hash alone (what zh/*.md looks like) is no change of the pairs
    catalog = book.catalog(PREFACE)
    catalog.rendered = "0" * 40
    assert store.parse(store.dump_revised(catalog, before.decode("utf-8"))).revised == date
    # nor are `#:` lines that follow the English (as msgmerge leaves the date)
    catalog = book.catalog(PREFACE)
    catalog.pairs[2].line += 1
    assert store.parse(store.dump_revised(catalog, before.decode("utf-8"))).revised == date
    # a changed translation is
    catalog = book.catalog(PREFACE)
    catalog.pairs[1].chinese += "。"
    with book.lock():
        book.save(PREFACE, catalog)
    assert store.parse(po.read_text(encoding="utf-8")).revised != date


# -- obsolete entries --------------------------------------------------------------------------


def test_a_replaced_translation_is_kept_once_under_its_own_msgctxt(builtin_po: Path, tmp_path: Path) -> None:
    catalog = store.parse(builtin_po.read_text(encoding="utf-8"))
    old = [Pair(p.english, p.chinese, kind=p.kind, line=p.line) for p in catalog.pairs[:3]]
    catalog.pairs[0].chinese = "序言"  # the heading retranslated
    assert store.keep_obsolete(catalog, old) == 1  # the two unchanged ones are held already
    kept = catalog.obsolete
    assert [(p.english, p.chinese, p.context, p.line) for p in kept] == [("Preface", "前言", "old 1", 0)]
    # the same again: held by the obsolete entry now
    assert store.keep_obsolete(catalog, [Pair("Preface", "前言")]) == 0
    # a third translation of the heading gets the next msgctxt
    assert store.keep_obsolete(catalog, [Pair("Preface", "前言部分")]) == 1
    assert [p.context for p in catalog.obsolete] == ["old 1", "old 2"]
    path = tmp_path / "x.po"
    path.write_text(store.dump(catalog), encoding="utf-8")
    assert_msgfmt_ok(path)
