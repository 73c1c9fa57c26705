"""The TUI driven by keys (Textual's Pilot), checked on the files it writes: zh/*.po, zh/*.md, glossary.tsv.

The book is tests/data/tui/book (real d2l text, see make_sample.py), copied to a temporary folder.
"""

from __future__ import annotations

import asyncio
import functools
import io
import json
import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual import events
from textual.pilot import Pilot

from conftest import CORPUS, PREFACE_GLOSSARY, copy_book
from workbench import files, store
from workbench.book import Book
from workbench.cells import cell
from workbench.model import Status, is_cjk
from workbench.progress import book_progress
from workbench.session import Session
from workbench.tui.app import WorkbenchApp
from workbench.tui.book_screen import BookScreen
from workbench.tui.dialogs import ConfirmQuit, HelpScreen, TermDialog, help_text
from workbench.tui.file_screen import FileScreen
from workbench.tui.glossary_screen import GlossaryScreen
from workbench.tui.keymap import KEYMAP
from workbench.tui.messages import OpenFile
from workbench.tui.search_screen import SearchScreen
from workbench.tui.widgets import ChineseEditor, PairTable, TextPane


def asynctest(fn: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test in a fresh event loop (no pytest async plugin is installed)."""

    @functools.wraps(fn)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(fn(*args, **kwargs))  # type: ignore[arg-type]

    return run


pytestmark = pytest.mark.screen

SAMPLE = Path(__file__).parent / "data" / "tui" / "book"
PREFACE = "chapter_preface/index.md"
LOOKUP = "chapter_preliminaries/lookup-api.md"
MLP = "chapter_multilayer-perceptrons/index.md"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A writable copy of the sample book."""
    shutil.copytree(SAMPLE, tmp_path / "book")
    return tmp_path / "book"


def catalog(root: Path, rel: str) -> store.Catalog:
    """The PO as written on disk."""
    return Book.open(root).catalog(rel)


def zh_md(root: Path, rel: str) -> str:
    return (root / "zh" / rel).read_text(encoding="utf-8")


async def settle(pilot: Pilot) -> None:
    """Let the workers (loading, memory, QA) finish and the screen catch up."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_from_book(pilot: Pilot, rel: str) -> FileScreen:
    """Walk the book screen with n to the file and press Enter."""
    app = pilot.app
    assert isinstance(app.screen, BookScreen)
    for _ in range(len(app.session.files)):  # type: ignore[attr-defined]
        if app.screen.current_rel() == rel:
            break
        await pilot.press("n")
    assert app.screen.current_rel() == rel
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, FileScreen)
    return app.screen


def app_for(root: Path, checks: bool = False) -> WorkbenchApp:
    return WorkbenchApp(Book.open(root), run_checks=checks)


# -- the file screen: edit, save, navigate, accept, suggestions ------------------------------


@asynctest
async def test_edit_and_save_writes_po_and_markdown(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_from_book(pilot, LOOKUP)
        # the file opens on its first pair not done: the PyTorch variant of the tab paragraph
        assert screen.current == 2 and screen.pair is not None
        assert screen.pair.english.startswith("Due to constraints") and "PyTorch" in screen.pair.english
        await pilot.press("enter")
        assert isinstance(app.focused, ChineseEditor)
        await pilot.press(*"由于本书篇幅的限制")
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = catalog(sample, LOOKUP).active[2]
    assert saved.chinese == "由于本书篇幅的限制"
    assert saved.status is Status.CURRENT
    md = zh_md(sample, LOOKUP)
    assert "由于本书篇幅的限制\n" in md
    # the rendered file is exactly what `workbench render` would write
    book = Book.open(sample)
    assert book.save(LOOKUP, book.catalog(LOOKUP), dry_run=True).changed is False


@asynctest
async def test_leaving_a_pair_autosaves_it(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_from_book(pilot, MLP)
        assert screen.current == 0
        await pilot.press("e", *"多层感知机", "escape")  # escape leaves the editor for the list
        await pilot.press("n")
        await pilot.pause()
        # written before the app quits: a crash now loses nothing
        assert catalog(sample, MLP).active[0].chinese == "多层感知机"
        assert zh_md(sample, MLP).startswith("# 多层感知机\n")
        assert screen.current == 1


@asynctest
async def test_next_stale_then_accept_clears_fuzzy_and_previous(sample: Path) -> None:
    before = catalog(sample, PREFACE).active[1]
    assert before.stale and before.previous
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_from_book(pilot, PREFACE)
        await pilot.press("home")
        await pilot.press("f")  # next stale
        assert screen.current == 1
        # the word diff of the previous against the current English is on screen
        diff = screen.query_one("#english", TextPane).text.plain
        assert "blue skies" in diff and "forward-looking" in diff
        await pilot.press("a")  # accept
        await pilot.pause()
        assert "stale" not in str(screen.query_one(PairTable).get_row_at(1)[1])
    after = catalog(sample, PREFACE).active[1]
    assert not after.stale and after.previous == "" and after.chinese == before.chinese
    po = (sample / "zh" / "chapter_preface" / "index.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po and "#| msgid" not in po


@asynctest
async def test_done_and_next_accepts_a_stale_pair_and_moves_on(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_from_book(pilot, PREFACE)
        await pilot.press("home", "f", "e", "ctrl+n")
        await pilot.pause()
        assert screen.current == 2
        assert isinstance(app.focused, ChineseEditor)
    assert not catalog(sample, PREFACE).active[1].stale


@asynctest
async def test_toggle_stale_marks_and_unmarks(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_from_book(pilot, PREFACE)
        await pilot.press("home", "t")
        await pilot.pause()
        assert catalog(sample, PREFACE).active[0].stale
        await pilot.press("t")
        await pilot.pause()
        assert not catalog(sample, PREFACE).active[0].stale


@asynctest
async def test_untranslated_keys_walk_and_wrap_and_bursts_keep_order(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_from_book(pilot, LOOKUP)
        todo = [i for i, p in enumerate(screen.pairs) if p.status is Status.UNTRANSLATED]
        assert todo == [2, 3, 9, 17, 18]
        seen = [screen.current]
        for _ in range(5):
            await pilot.press("u")
            seen.append(screen.current)
        assert seen == [2, 3, 9, 17, 18, 2]  # wraps around
        await pilot.press("U")
        assert screen.current == 18
        await pilot.press("space")  # next unfinished: nothing stale here, so the next untranslated
        assert screen.current == 2
        await pilot.press("n", "n", "p")
        assert screen.current == 3
        # keys however fast: sent together, each is handled, in order
        await pilot.press("home")
        await burst(pilot, *"nnnnn")
        assert screen.current == 5 and screen.query_one(PairTable).cursor_row == 5
        assert screen.query_one("#english", TextPane).text.plain.startswith(screen.pairs[5].english[:40])
        # a key acting on "the pair" acts on the pair the keys before it reached
        await burst(pilot, "n", "n", "t", "p")
        assert screen.current == 6
        await burst(pilot, "down", "down", "down", "r")  # the list's own keys too
        assert screen.current == 9
        # q goes back one screen, as esc does; the app goes on
        await pilot.press("q")
        assert isinstance(app.screen, BookScreen) and app.return_value is None
        await pilot.press("enter")
        assert isinstance(app.screen, FileScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, BookScreen)
        await pilot.press("g", "q")
        assert isinstance(app.screen, BookScreen)
    written = catalog(sample, LOOKUP).active
    assert written[7].stale and not written[6].stale and not written[8].stale
    assert not written[9].reviewed and written[9].status is Status.UNTRANSLATED  # r refused: untranslated


@asynctest
async def test_insert_translation_memory_suggestion(sample: Path) -> None:
    mxnet = catalog(sample, LOOKUP).active[1].chinese
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_from_book(pilot, LOOKUP)
        assert screen.current == 2
        # the MXNet paragraph differs from this PyTorch one by one word: the best suggestion
        best = screen.suggestions[0]
        assert best.chinese == mxnet and best.score > 90 and best.source == f"en/{LOOKUP}:3"
        assert f"{best.score:.0f}%" in screen.aux["tm"].plain
        await pilot.press("1")
        assert screen.query_one(ChineseEditor).text == mxnet
        await pilot.press("escape")
        await pilot.pause()
    assert catalog(sample, LOOKUP).active[2].chinese == mxnet
    assert zh_md(sample, LOOKUP).count(mxnet) == 2


@asynctest
async def test_copy_english_into_editor(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_from_book(pilot, LOOKUP)
        await pilot.press("c")
        assert screen.query_one(ChineseEditor).text == screen.pairs[2].english
        await pilot.press("ctrl+z")  # the copy is undoable
        assert screen.query_one(ChineseEditor).text == ""


@asynctest
async def test_glossary_terms_of_the_pair_are_shown(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_from_book(pilot, MLP)
        await pilot.press("n")  # "... called multilayer perceptrons ... regularization techniques ..."
        terms = screen.aux["terms"].plain
        assert "多层感知机" in terms and "多层感知器" in terms and "forbidden" in terms
        assert "正则化" in terms


# -- search ------------------------------------------------------------------------------------


@asynctest
async def test_search_english_and_chinese_and_jump(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"记事本", "enter")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        hits = [(h.rel, h.index) for h in search.hits]
        assert hits == [(LOOKUP, 10), (LOOKUP, 13)]  # Chinese: 在Jupyter记事本中 / 在Jupyter记事本中使用
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FileScreen) and app.screen.rel == LOOKUP and app.screen.current == 10
        # and English, case-insensitive, from inside a file
        await pilot.press("slash", *"MULTILAYER PERCEPTRONS", "enter")
        await settle(pilot)
        assert [(h.rel, h.index) for h in app.screen.hits] == [(MLP, 0), (MLP, 1), (PREFACE, 20)]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.rel == MLP and app.screen.current == 0
        # edit there and save: search took us to a working editor
        await pilot.press("enter", *"多层感知机", "ctrl+s")
        await pilot.pause()
    assert catalog(sample, MLP).active[0].chinese == "多层感知机"


# -- the glossary screen -------------------------------------------------------------------------


def glossary_lines(root: Path) -> list[list[str]]:
    text = (root / "glossary" / "glossary.tsv").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@asynctest
async def test_glossary_approve_reject_and_forbid(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        assert [t.english for t in screen.shown] == ["textbook", "tensor", "documentation", "function"]
        # the examples come from the book: textbook is used in the preface
        assert "en/chapter_preface/index.md" in str(screen.query_one("#examples").render())
        await pilot.press("a")  # approve "textbook"
        await pilot.pause()
        assert [t.english for t in screen.shown] == ["tensor", "documentation", "function"]
        await pilot.press("r")  # reject "tensor"
        await pilot.press("x")  # "documentation = 文档" as a forbidden variant
        await pilot.pause()
    rows = {(r[0], r[1]): r[2] for r in glossary_lines(sample)[1:]}
    assert rows[("textbook", "教科书")] == "approved"
    assert rows[("tensor", "张量")] == "rejected"
    assert rows[("documentation", "文档")] == "forbidden"
    assert rows[("function", "函数")] == "proposed"
    # nothing else in the file moved: comments and the other terms are as they were
    before = (SAMPLE / "glossary" / "glossary.tsv").read_text(encoding="utf-8").splitlines()
    after = (sample / "glossary" / "glossary.tsv").read_text(encoding="utf-8").splitlines()
    assert len(before) == len(after)
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 3


@asynctest
async def test_glossary_edit_a_term(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("n", "e")  # "tensor"
        assert isinstance(app.screen, TermDialog)
        await pilot.press("tab", "tab")  # to the note
        await pilot.press("end", *" checked", "enter")  # a field selects all on focus: end keeps it
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
    rows = {(r[0], r[1]): r for r in glossary_lines(sample)}
    assert rows[("tensor", "张量")][3] == "d2l-zh chapter_preliminaries/lookup-api.md checked"


@asynctest
async def test_add_a_term_from_the_current_pair(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_from_book(pilot, LOOKUP)
        await pilot.press("home", *"nnnnn")  # "... the module for generating random numbers"
        assert screen.current == 5
        await pilot.press("plus")
        assert isinstance(app.screen, TermDialog)
        await pilot.press(*"random number", "enter", *"随机数", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FileScreen)
        # the new term applies to the pair at once
        assert "随机数" in screen.query_one("#aux", TextPane).text.plain
    rows = {(r[0], r[1]): r for r in glossary_lines(sample)}
    assert rows[("random number", "随机数")][2:] == ["proposed", f"from en/{LOOKUP}:17"]


# -- the book screen ---------------------------------------------------------------------------


@asynctest
async def test_book_screen_counts_sort_filter_and_search(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookScreen)
        rows = {r.rel: (r.pairs, r.translated, r.stale, r.untranslated) for r in screen.visible_rows()}
        assert rows == {MLP: (2, 0, 0, 2), PREFACE: (52, 50, 1, 1), LOOKUP: (19, 14, 0, 5)}
        assert "73 pairs" in str(screen.query_one("#total").render())
        # the screen said it drew the counts (a book of a few files has its rows updated, not
        # refilled): the loading worker went on at once, not after waiting COUNTS_FIRST for it
        assert "counted" in app.timings and app.counts_drawn.is_set()
        await pilot.press("s")  # by % done
        assert [r.rel for r in screen.visible_rows()] == [MLP, LOOKUP, PREFACE]
        await pilot.press("S")
        assert [r.rel for r in screen.visible_rows()] == [PREFACE, LOOKUP, MLP]
        # translate the whole of one file, and the filter drops it
        await open_from_book(pilot, MLP)
        await pilot.press("e", *"多层感知机", "ctrl+n", *"在本章中", "ctrl+s", "escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, BookScreen)
        await pilot.press("w")
        assert [r.rel for r in screen.visible_rows()] == [PREFACE, LOOKUP]
        table = screen.query_one("#files")
        assert len(table.rows) == 2
        # a new sort (or filter) is read from the top; home goes there
        await pilot.press("w", "end")
        assert table.cursor_row == 2
        await pilot.press("s")
        assert table.cursor_row == 0
        await pilot.press("n", "n", "home")
        assert table.cursor_row == 0
        # Enter on a search with one hit goes there; q comes back, ctrl+q quits
        await pilot.press("slash", *"PyTorch", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FileScreen)
        assert app.screen.rel == LOOKUP and "PyTorch" in app.screen.pairs[app.screen.current].english
        await pilot.press("q")
        assert isinstance(app.screen, BookScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value == 0


@asynctest
async def test_qa_findings_come_from_the_checks(sample: Path) -> None:
    from workbench.checking import check_book
    from workbench.progress import reported

    # what `workbench check` reports (warning and worse): the TUI counts the same
    expected = reported(check_book(Book.open(sample)))
    errors = reported(expected, "error")
    app = app_for(sample, checks=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = app.session.rows
        assert sum(r.findings or 0 for r in rows.values()) == len(expected)
        # the QA filters: errors only, then warnings too, as `check` counts them
        book_screen = app.screen
        assert isinstance(book_screen, BookScreen)
        await pilot.press("e")
        assert {r.rel for r in book_screen.visible_rows()} == {f.en_file.removeprefix("en/") for f in errors}
        bar = str(book_screen.query_one("#filters").render())
        assert f"QA errors {len(errors)}" in bar and f"QA warn. {len(expected)}" in bar
        await pilot.press("enter")  # the file opens on its first pair with an error
        await settle(pilot)
        assert isinstance(app.screen, FileScreen) and app.screen.pair is not None
        assert any(f.severity == "error" for f in app.session.findings.for_pair(app.screen.rel, app.screen.pair))
        await pilot.press("escape", "E")
        assert {r.rel for r in book_screen.visible_rows()} == {f.en_file.removeprefix("en/") for f in expected}
        await pilot.press("a")
        assert len(book_screen.visible_rows()) == 3
        if not expected:
            return
        f = expected[0]
        rel = f.en_file.removeprefix("en/")
        screen = await open_from_book(pilot, rel)
        index = next(i for i, p in enumerate(screen.pairs) if p.line == f.en_line)
        screen.query_one(PairTable).move_cursor(row=index)
        await pilot.pause()
        shown = screen.query_one("#aux", TextPane).text.plain
        assert f"{f.check}: {f.message}" in shown


# -- quitting ------------------------------------------------------------------------------------


@asynctest
async def test_quit_with_an_edit_asks_and_discard_writes_nothing(sample: Path) -> None:
    po_before = (sample / "zh" / "chapter_multilayer-perceptrons").exists()
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_from_book(pilot, MLP)
        await pilot.press("e", *"多层")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("escape")  # stay
        assert isinstance(app.screen, FileScreen)
        await pilot.press("ctrl+q", "n")
        await pilot.pause()
    assert app.return_value == 0
    assert not po_before and not (sample / "zh" / "chapter_multilayer-perceptrons").exists()


@asynctest
async def test_quit_with_an_edit_and_save(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_from_book(pilot, MLP)
        await pilot.press("e", *"多层感知机", "ctrl+q", "y")
        await pilot.pause()
    assert catalog(sample, MLP).active[0].chinese == "多层感知机"
    assert zh_md(sample, MLP).startswith("# 多层感知机\n")


@asynctest
async def test_quit_without_edits_does_not_ask(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0


@asynctest
async def test_save_refuses_a_po_another_program_changed(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_from_book(pilot, LOOKUP)
        # another program (a sync, Poedit) rewrites the PO while the file is open
        po = sample / "zh" / "chapter_preliminaries" / "lookup-api.po"
        other = po.read_text(encoding="utf-8").replace('msgstr "查阅文档"', 'msgstr "文档"')
        files.write_atomic(po, other)
        await pilot.press("e", *"由于", "ctrl+s")
        await pilot.pause()
        assert po.read_text(encoding="utf-8") == other  # not overwritten
        await pilot.press("escape", "R")  # reload shows the other program's version
        await pilot.pause()
        assert screen.pairs[0].chinese == "文档"


# -- help, palette, keys -------------------------------------------------------------------------


@asynctest
async def test_help_lists_every_key_and_the_palette_every_action(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_from_book(pilot, LOOKUP)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(help_text())
        text = console.export_text()
        for keys in KEYMAP.values():
            for k in keys:
                assert (k.family[1] if k.family else k.description) in text or not k.listed
        # each key once in its scope, by the name on the keyboard, with its meaning
        for block in text.split("\n\n")[: len(KEYMAP)]:
            named = [line.split()[0] for line in block.splitlines()[1:] if line[:2].strip()]
            assert len(named) == len(set(named)), named
        assert "? f1" in text and "1 2 3 4 5" in text and "< less_than_sign" not in text and "? ?" not in text
        assert text.count("suggestion") == 2  # the list's 1-5 and the editor's F2-F5, once each
        assert "(as po-mode n)" in text and "(as Poedit ctrl+enter)" in text
        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, FileScreen)
        titles = {c.title for c in app.get_system_commands(screen)}
        for scope in screen.SCOPES + ("app",):
            for k in KEYMAP[scope]:
                assert k.description in titles, k.id


def test_keys_do_not_clash() -> None:
    """Within a scope no key runs two actions; the editor leaves TextArea's own keys alone."""
    from textual.widgets import TextArea

    textarea = {key for b in TextArea.BINDINGS for key in (b.key if hasattr(b, "key") else b[0]).split(",")}
    for scope, keys in KEYMAP.items():
        seen: dict[str, str] = {}
        for k in keys:
            for key in k.keys.split(","):
                assert key not in seen, f"{scope}: {key} is bound to {seen[key]} and {k.id}"
                seen[key] = k.id
    editor = {key for k in KEYMAP["editor"] for key in k.keys.split(",")}
    assert not editor & textarea
    # the keys translators know are there
    pairs = {key: k.action for k in KEYMAP["pairs"] for key in k.keys.split(",")}
    for key in ("n", "p", "u", "U", "f", "F", "space", "a", "c", "1", "5"):
        assert key in pairs


def test_every_action_exists() -> None:
    """Every keymap action names a method of the screen it runs on."""
    owners = {"book": BookScreen, "pairs": FileScreen, "editor": FileScreen, "glossary": GlossaryScreen,
              "search": SearchScreen, "app": WorkbenchApp}
    for scope, keys in KEYMAP.items():
        for k in keys:
            name = k.action.split("(")[0]
            owner = WorkbenchApp if name.startswith("app.") else owners[scope]
            assert hasattr(owner, "action_" + name.removeprefix("app.").removeprefix("screen.")), k.id


# -- narrow and wide terminals -------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
@asynctest
async def test_chinese_stays_in_its_columns(sample: Path, size: tuple[int, int]) -> None:
    """Every screen line is the terminal's width in cells with Chinese in the list, the English,
    the editor and the suggestions; and nothing but ASCII, Chinese and the text's own characters
    is drawn (no box-drawing or block glyphs, whose width CJK terminals disagree on)."""
    app = app_for(sample)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await long_text_says_more_follows(pilot)
        await pilot.press("escape")
        screen = await open_from_book(pilot, LOOKUP)
        await pilot.press("n")  # a translated pair: Chinese in the editor, the list and memory
        await settle(pilot)
        assert screen.current == 3
        for shown in (screen, await _glossary(pilot), await _search(pilot, "文档")):
            lines = screen_text(app)
            assert len(lines) == size[1]
            wrong = [line for line in lines if cell_len(line) != size[0]]
            assert not wrong, wrong
            glyphs = {ch for line in lines for ch in line if ord(ch) > 0x7E and not is_cjk(ch)}
            assert not {ch for ch in glyphs if 0x2500 <= ord(ch) <= 0x259F}, (type(shown).__name__, glyphs)
        assert any("文档" in line for line in lines)


async def long_text_says_more_follows(pilot: Pilot) -> None:
    """Nothing is cut silently: the preface's ninth paragraph has 551 characters of Chinese; the
    editor and the English pane say how many lines are below what they show; a short pair has
    no such mark, nor a long one scrolled to its end."""
    app = pilot.app
    screen = await open_from_book(pilot, PREFACE)
    editor = screen.query_one(ChineseEditor)
    await pilot.press("home")  # the title: its Chinese fits
    assert not any("more line" in line for line in drawn(editor))
    await burst(pilot, *"n" * 8)
    assert screen.current == 8 and len(screen.pairs[8].chinese) > 500
    hidden = editor.wrapped_document.height - editor.scrollable_content_region.height
    assert hidden > 0
    assert f"+{hidden} more lines" in drawn(editor)[-1]
    assert any(f"+{hidden} more lines" in line for line in screen_text(app))
    english = screen.query_one("#english", TextPane)
    below = english.virtual_size.height - english.scrollable_content_region.height
    assert below <= 0 or f"+{below} more line" in drawn(english)[-1]
    editor.scroll_end(animate=False, immediate=True)
    await pilot.pause()
    assert not any("more line" in line for line in drawn(editor))


async def _glossary(pilot: Pilot) -> GlossaryScreen:
    await pilot.press("escape", "g")
    await settle(pilot)
    assert isinstance(pilot.app.screen, GlossaryScreen)
    return pilot.app.screen


async def _search(pilot: Pilot, query: str) -> SearchScreen:
    await pilot.press("escape", "slash", *query, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SearchScreen)
    return pilot.app.screen


def screen_text(app: WorkbenchApp) -> list[str]:
    """The screen as plain text lines, as the terminal gets them."""
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return ["".join(seg.text for seg in strip) for strip in strips]


# -- what the screens stand on -----------------------------------------------------------------


def test_cells() -> None:
    assert cell("“quoted” … and\nwrapped") == '"quoted" ... and wrapped'


def test_session_counts_english_without_a_pair(sample: Path) -> None:
    """An English paragraph added after the translation has no pair until `workbench sync`: the file screen says so."""
    session = Session(Book.open(sample))
    assert session.unmatched(LOOKUP) == 0
    en = sample / "en" / LOOKUP
    # made up for this edge case: one new paragraph in the English
    en.write_text(en.read_text(encoding="utf-8").replace("## Summary", "A new paragraph.\n\n## Summary"), encoding="utf-8")
    assert session.unmatched(LOOKUP) == 1


def test_counts_are_remembered_until_a_po_changes(sample: Path) -> None:
    """The book screen's first counts come from the last session's (.workbench/counts.json) for the
    files whose PO did not change since; a changed PO is counted again."""
    from workbench.session import counts

    book = Book.open(sample)
    first = Session(book)
    first.load_all()
    assert first.remember_counts() and json.loads(book.state(counts.NAME) or "")["files"].keys() == {PREFACE, LOOKUP}
    # another program translates a pair of lookup-api: its PO changes
    po = sample / "zh" / LOOKUP.replace(".md", ".po")
    text = po.read_text(encoding="utf-8")
    files.write_atomic(po, text.replace('msgid "Summary"\nmsgstr "小结"', 'msgid "Summary"\nmsgstr "总结"')
                       .replace('"[Discussions](https://discuss.d2l.ai/t/39)"\nmsgstr ""',
                                '"[Discussions](https://discuss.d2l.ai/t/39)"\nmsgstr "[讨论](https://discuss.d2l.ai/t/39)"'))
    assert po.read_text(encoding="utf-8") != text
    second = Session(Book.open(sample))
    second.count_all()
    status = {r.file: r for r in book_progress(Book.open(sample))[0]}
    for rel in (PREFACE, LOOKUP):
        row = second.rows[rel]
        assert (row.pairs, row.translated, row.stale, row.untranslated) == (
            status[row.file].pairs, status[row.file].translated, status[row.file].stale, status[row.file].untranslated)
    assert second.rows[PREFACE].english_words == first.rows[PREFACE].english_words > 0  # remembered, words too
    assert second.loaded(LOOKUP) and not second.loaded(PREFACE)  # read again; the other as remembered
    assert second.rows[LOOKUP].english_words == 0  # by state first: its words come with load_all
    second.load_all()
    assert second.rows[LOOKUP].english_words == first.rows[LOOKUP].english_words > 0
    assert second.rows[LOOKUP].translated == first.rows[LOOKUP].translated + 1
    # a cache of other counts is not used
    assert counts.load(book) and not counts.remembered({"stamp": [1, 2], "counts": {}}, [1, 2], "x")


@asynctest
async def test_quitting_remembers_the_counts_of_the_files_saved(sample: Path) -> None:
    """A file translated and saved in the TUI is counted, on the next opening, from what quitting
    remembered: its new counts, without reading its PO again."""
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_from_book(pilot, LOOKUP)
        before = app.session.rows[LOOKUP].translated
        await pilot.press("enter", *"由于本书篇幅的限制", "ctrl+s", "escape")
        await settle(pilot)
        assert app.session.rows[LOOKUP].translated == before + 1
        await pilot.press("ctrl+q")
        await pilot.pause()
    again = Session(Book.open(sample))
    again.count_all()
    assert not again.loaded(LOOKUP)  # remembered, not read
    row = again.rows[LOOKUP]
    assert row.loaded and row.translated == before + 1
    status = {r.file: r for r in book_progress(Book.open(sample))[0]}[row.file]
    assert (row.pairs, row.translated, row.untranslated) == (status.pairs, status.translated, status.untranslated)


def test_session_search_counts_beyond_the_limit(sample: Path) -> None:
    session = Session(Book.open(sample))
    session.load_all()
    hits, count = session.search("the", limit=5)
    assert len(hits) == 5 and count > 5
    assert all("the" in h.pair.english.lower() or "the" in h.pair.chinese.lower() for h in hits)


# -- the whole d2l book --------------------------------------------------------------------------


@pytest.fixture
def corpus_book(imported_corpus, tmp_path: Path) -> Path:
    """The d2l book imported whole (en-v0.17.0 with zh-2021-09-30), as `workbench import` makes it."""
    root = copy_book(imported_corpus[0], tmp_path / "d2l")
    shutil.copytree(PREFACE_GLOSSARY.parent, root / "glossary", dirs_exist_ok=True)
    return root


@pytest.mark.corpus
@pytest.mark.slow
@asynctest
async def test_open_the_whole_d2l_book(corpus_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Open time on the real book (reported, not asserted: the target is in tests/bench/bench_tui.py)."""
    assert CORPUS.is_dir()
    start = time.perf_counter()
    app = WorkbenchApp(Book.open(corpus_book), run_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        while "counted" not in app.timings:
            await pilot.pause(0.01)
        counted = time.perf_counter() - start
        await settle(pilot)
        total = app.session.total()
        assert len(app.session.files) == 180 and total.pairs > 9000
        assert total.translated > 5000
        # a big file opens and moves
        biggest = max(app.session.files, key=lambda r: app.session.rows[r].pairs)
        t = time.perf_counter()
        app.post_message(OpenFile(biggest))
        await pilot.pause()
        opened = time.perf_counter() - t
        assert isinstance(app.screen, FileScreen)
        await pilot.press("home")
        t = time.perf_counter()
        for _ in range(20):
            await pilot.press("n")
        moved = (time.perf_counter() - t) / 20
        assert app.screen.current == min(20, app.session.rows[biggest].pairs - 1)
    with capsys.disabled():
        print(f"\nd2l book: {len(app.session.files)} files, {total.pairs} pairs; counts on screen {counted:.2f} s "
              f"after start (app timings {app.timings}); {biggest} opened in {opened * 1000:.0f} ms; "
              f"{moved * 1000:.0f} ms per pair move")


# -- the command -------------------------------------------------------------------------------


def test_tui_command_is_the_default_and_checks_its_book(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench import cli
    from workbench.commands import tui

    args = cli.parser().parse_args(["tui", str(SAMPLE)])
    assert args.run is tui.run and args.book_dir == str(SAMPLE)
    assert cli.main(["tui", str(tmp_path)]) == 2  # not a book: told so, no traceback, no UI
    assert "not a book" in capsys.readouterr().err
    assert cli.main(["tui", str(SAMPLE), "--book", str(tmp_path)]) == 2


@asynctest
async def test_review_key_marks_a_pair_and_editing_it_takes_the_mark_off(sample: Path) -> None:
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_from_book(pilot, PREFACE)
        await pilot.press("home", "r")
        await pilot.pause()
        assert catalog(sample, PREFACE).active[0].reviewed
        assert "reviewed:" in (sample / "zh" / PREFACE.replace(".md", ".po")).read_text(encoding="utf-8")
        # the TUI's save path: an edit of the reviewed translation makes it translated again
        await pilot.press("enter")
        assert isinstance(app.focused, ChineseEditor)
        await pilot.press("end", *"序")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.pair is not None and not screen.pair.reviewed
    saved = catalog(sample, PREFACE).active[0]
    assert saved.chinese.endswith("序") and saved.status is Status.CURRENT and not saved.reviewed


# -- a translator's whole day: keys however fast, nothing cut, filters, sync ---------------------


async def burst(pilot: Pilot, *keys: str) -> None:
    """Send keys the way a terminal does when they come together: all queued before the first is
    handled (Pilot's press waits for the app between keys)."""
    app = pilot.app
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]
    await settle(pilot)


def drawn(widget: ChineseEditor | TextPane) -> list[str]:
    """A pane's lines as drawn."""
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.scrollable_content_region.height)]


def mark_states(root: Path) -> None:
    """Give the sample's preface one pair in each state an import, a sync and a hand edit leave,
    through the PO marks the core reads (`#. pairing:`, `#. settled:`, a CONFLICT note)."""
    book = Book.open(root)
    cat = book.catalog(PREFACE)
    pairs = [p for p in cat.active if p.chinese and not p.stale]
    pairs[2].pairing, pairs[2].stale = "aligned with confidence 0.31", True  # an import's doubt is fuzzy
    pairs[3].settled = "typo"
    pairs[4].settled = "typo"
    pairs[5].notes.append(f"CONFLICT zh/{PREFACE}:20 was edited by hand to:\n另一种译法")
    pairs[5].stale = True
    book.apply([book.plan_save(PREFACE, cat)])


@asynctest
async def test_filters_count_as_status_and_walk_each_state(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main
    from workbench.session import BY_ID

    mark_states(sample)
    assert main(["status", "--json", "--book", str(sample)]) == 0
    status = json.loads(capsys.readouterr().out)["total"]
    assert (status["pairing"], status["settled"], status["conflicts"]) == (1, 2, 1)
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookScreen)
        total = app.session.total()
        field = {"untranslated": "untranslated", "stale": "stale", "pairing": "pairing", "conflict": "conflicts",
                 "settled": "settled"}
        for fid, name in field.items():
            assert BY_ID[fid].count(total) == status[name], fid
        assert BY_ID["needs_work"].count(total) == status["untranslated"] + status["stale"] + status["pairing"] + \
            status["conflicts"]
        assert BY_ID["translated"].count(total) == status["translated"] - status["reviewed"] - status["settled"]
        bar = str(screen.query_one("#filters").render())
        assert f"pairing {status['pairing']}" in bar and f"settled {status['settled']}" in bar
        assert f"conflict {status['conflicts']}" in bar and f"stale {status['stale']}" in bar

        def shown() -> list[str]:
            return [r.rel for r in screen.visible_rows()]

        await pilot.press("w")  # needs work: the three files all have pairs to do
        assert shown() == [MLP, PREFACE, LOOKUP]
        for key, files in (("k", [PREFACE]), ("c", [PREFACE]), ("m", [PREFACE]), ("u", [MLP, PREFACE, LOOKUP]),
                           ("f", [PREFACE]), ("t", [PREFACE, LOOKUP])):
            await pilot.press(key)
            assert shown() == files, key
        await pilot.press("t")  # its key again: every file
        assert screen.filter is None and len(shown()) == 3
        # a file opened from a filter opens on its first such pair, and space walks them
        await pilot.press("m")
        await pilot.press("enter")
        await settle(pilot)
        file_screen = app.screen
        assert isinstance(file_screen, FileScreen)
        settled = [i for i, p in enumerate(file_screen.pairs) if p.settled]
        assert file_screen.current == settled[0]
        await pilot.press("space")
        assert file_screen.current == settled[1]
        assert "Settled by sync: typo" in file_screen.query_one("#english", TextPane).text.plain
        await pilot.press("escape", "k", "enter")
        await settle(pilot)
        assert file_screen.pair is not None and file_screen.pair.pairing == "aligned with confidence 0.31"
        assert "check the pairing" in str(file_screen.query_one("#chinese-head").render())
        await pilot.press("escape", "c", "enter")
        await settle(pilot)
        assert file_screen.pair is not None and file_screen.pair.conflict
        assert "另一种译法" in file_screen.query_one("#english", TextPane).text.plain


@asynctest
async def test_sync_from_the_tui_is_the_sync_command(sample: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """ctrl+r (or the palette) runs what `workbench sync` runs, then lists and counts the files again."""
    from workbench.cli import main
    from workbench.tui.dialogs import SyncScreen

    en = sample / "en" / LOOKUP
    en.write_text(en.read_text(encoding="utf-8").replace("## Summary", "A new paragraph.\n\n## Summary"),
                  encoding="utf-8")
    by_cli = copy_book(sample, tmp_path / "by-cli")
    assert main(["sync", "--book", str(by_cli)]) == 0
    capsys.readouterr()
    app = app_for(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookScreen)
        before = app.session.rows[LOOKUP].pairs
        titles = {c.title for c in app.get_system_commands(screen)}
        assert any(t.startswith("Sync with the English") for t in titles)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.sync_screen, SyncScreen) and app.screen is screen
        assert app.last_sync is not None and LOOKUP in [fs.rel for fs in app.last_sync.touched()]
        # the file list is counted again: the new paragraph is an untranslated pair
        assert app.session.rows[LOOKUP].pairs == before + 1
        row = screen.query_one("#files").get_row(LOOKUP)
        assert str(row[1]) == str(before + 1)
    for rel in (LOOKUP, PREFACE, MLP):
        for stem in (rel.removesuffix(".md") + ".po", rel):
            assert (sample / "zh" / stem).read_bytes() == (by_cli / "zh" / stem).read_bytes(), stem
