"""zh/*.md and the PO meet in a per-pair three-way merge (merge.py): edits on either side are
kept, edits on both sides are a conflict with both texts kept, shared parts are never reverted
silently, and translations cannot break the structure of zh/*.md."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest

from conftest import EN_V0170, FULL, corpus_sample, need_corpus
from conftest import run_in_book as run
from workbench import store
from workbench.book import STATE, Book
from workbench.checking import check_book
from workbench.merge import CONFLICT
from workbench.model import WorkbenchError
from workbench.render import fingerprint
from workbench.session import Session
from workbench.store import Catalog
from workbench.structure import problem

PREFACE = "chapter_preface/index.md"
PO = "zh/chapter_preface/index.po"
MD = "zh/chapter_preface/index.md"




def snapshot(book: Path) -> dict[str, bytes]:
    """Every file of the book (en/, zh/), by path."""
    return {p.relative_to(book).as_posix(): p.read_bytes()
            for part in ("en", "zh") for p in (book / part).rglob("*") if p.is_file()}


def set_msgstr(book: Path, english_start: str, chinese: str) -> None:
    """Edit one msgstr in the PO as another tool would (polib, header and all kept)."""
    po = polib.pofile(str(book / PO), wrapwidth=0)
    entry = next(e for e in po if e.msgid.startswith(english_start))
    entry.msgstr = chinese
    po.save(str(book / PO))


def edit_zh(book: Path, old: str, new: str) -> str:
    path = book / MD
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def pair(book: Path, english_start: str):  # type: ignore[no-untyped-def]
    return next(p for p in Book(book).catalog(PREFACE).pairs if p.english.startswith(english_start))


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture
def rendered_book(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The built-in book after one render: the merge base is recorded."""
    assert run(capsys, builtin_book, "render")[0] == 0
    assert (builtin_book / STATE / "base" / (PREFACE + ".json")).is_file()
    return builtin_book


# -- the three-way merge ------------------------------------------------------------------------


def test_render_no_longer_writes_the_hash_into_the_po(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_zh(builtin_book, "## 关于本书", "## 关于这本书")
    assert run(capsys, builtin_book, "render")[0] == 0
    text = (builtin_book / PO).read_text(encoding="utf-8")
    assert "X-Workbench-Rendered" not in text and 'msgstr "关于这本书"' in text


def test_po_edit_and_an_unrelated_hand_edit_are_both_kept(rendered_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_msgstr(rendered_book, "We thank Amazon", "我们感谢亚马逊云服务的慷慨支持。")
    edit_zh(rendered_book, "## 关于本书", "## 关于这本书")
    # and one newline more at the end, as an editor might add
    md = rendered_book / MD
    md.write_text(md.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, out, _ = run(capsys, rendered_book, "render")
    assert code == 0, out
    assert pair(rendered_book, "We thank Amazon").chinese == "我们感谢亚马逊云服务的慷慨支持。"
    assert pair(rendered_book, "About This Book").chinese == "关于这本书"
    text = md.read_text(encoding="utf-8")
    assert "我们感谢亚马逊云服务的慷慨支持。" in text and "## 关于这本书" in text


def test_po_edit_is_rendered_when_zh_is_untouched_there(rendered_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_msgstr(rendered_book, "About This Book", "本书简介")
    assert run(capsys, rendered_book, "sync")[0] == 0
    assert "## 本书简介\n" in (rendered_book / MD).read_text(encoding="utf-8")
    assert pair(rendered_book, "About This Book").chinese == "本书简介"


def test_both_sides_edited_is_a_conflict_with_both_texts_kept(rendered_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_msgstr(rendered_book, "About This Book", "本书简介")
    edited = edit_zh(rendered_book, "## 关于本书", "## 关于这本书")
    code, out, _ = run(capsys, rendered_book, "render")
    assert code == 1
    assert f"{MD}:{line_of(edited, '## 关于这本书')}: conflict" in out
    p = pair(rendered_book, "About This Book")
    assert p.chinese == "本书简介" and p.stale  # the PO's text stays, marked fuzzy
    note = "\n".join(p.notes)
    assert note.startswith(f"{CONFLICT} {MD}:") and "关于这本书" in note  # the hand text, kept
    assert p.conflict
    # the conflict is visible until resolved: `check` reports it as an error
    found = [f for f in check_book(Book(rendered_book)) if f.check == "structure"]
    assert any("conflict" in f.message and f.severity == "error" for f in found)
    # a second render does not report it again, nor add a second note
    code, out, _ = run(capsys, rendered_book, "render")
    assert code == 0 and "conflict" not in out
    assert len([n for n in pair(rendered_book, "About This Book").notes if n.startswith(CONFLICT)]) == 1


def test_sync_reports_a_conflict_and_exits_1(rendered_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_msgstr(rendered_book, "About This Book", "本书简介")
    edited = edit_zh(rendered_book, "## 关于本书", "## 关于这本书")
    code, out, _ = run(capsys, rendered_book, "sync")
    assert code == 1
    assert f"{MD}:{line_of(edited, '## 关于这本书')}: conflict" in out
    p = pair(rendered_book, "About This Book")
    assert p.chinese == "本书简介" and p.stale and any("关于这本书" in n for n in p.notes)


def test_without_a_base_a_hand_edit_never_overwrites_the_po(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # no .workbench/base and no legacy header: nothing proves which side changed
    shutil.rmtree(builtin_book / STATE)
    po = builtin_book / PO
    po.write_text(re.sub(r'"X-Workbench-Rendered: [^"]*"\n', "", po.read_text(encoding="utf-8")), encoding="utf-8")
    edit_zh(builtin_book, "## 关于本书", "## 关于这本书")  # a translated pair: a conflict
    edit_zh(builtin_book, "![Book structure]", "![本书结构]")  # the untranslated pair: filled, nothing overwritten
    code, out, _ = run(capsys, builtin_book, "render")
    assert code == 1, out
    about = pair(builtin_book, "About This Book")
    assert about.chinese == "关于本书" and any("关于这本书" in n for n in about.notes)
    assert pair(builtin_book, "Book structure").chinese == "本书结构"


def test_deleted_base_with_the_po_unchanged_keeps_hand_edits(rendered_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(rendered_book / STATE)
    # a PO written by an older workbench carries the hash of its render, which proves the base
    po = rendered_book / PO
    rendered = fingerprint((rendered_book / MD).read_text(encoding="utf-8"))
    po.write_text(po.read_text(encoding="utf-8").replace(
        '"X-Workbench-Source:', f'"X-Workbench-Rendered: {rendered}\\n"\n"X-Workbench-Source:', 1), encoding="utf-8")
    edited = edit_zh(rendered_book, "## 关于本书", "## 关于这本书")
    assert run(capsys, rendered_book, "render")[0] == 0
    assert pair(rendered_book, "About This Book").chinese == "关于这本书"
    assert (rendered_book / MD).read_text(encoding="utf-8") == edited


def test_zh_showing_english_is_no_edit_without_a_base(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(builtin_book / STATE)
    # zh/*.md rendered before a translation was made: it shows the English there
    po = builtin_book / PO
    po.write_text(re.sub(r'"X-Workbench-Rendered: [^"]*"\n', "", po.read_text(encoding="utf-8")), encoding="utf-8")
    edit_zh(builtin_book, "## 关于本书", "## About This Book")
    assert run(capsys, builtin_book, "render")[0] == 0
    assert pair(builtin_book, "About This Book").chinese == "关于本书"
    assert "## 关于本书\n" in (builtin_book / MD).read_text(encoding="utf-8")


# -- shared parts -------------------------------------------------------------------------------


@pytest.mark.parametrize("old,new", [
    ("## 关于本书", "### 关于本书"),  # heading level
    ("(../img/book-org.svg)", "(../img/other.svg)"),  # image target
    (":label:`sec_code`", ":label:`sec_kode`"),  # a label
    ("import collections\n", "import collections as c\n"),  # code
])
def test_edit_of_a_shared_part_is_refused(rendered_book: Path, capsys: pytest.CaptureFixture[str], old: str, new: str) -> None:
    edited = edit_zh(rendered_book, old, new)
    before = snapshot(rendered_book)
    code, _, err = run(capsys, rendered_book, "render")
    assert code == 2
    assert f"{MD}:{line_of(edited, new.split(chr(10))[0])}:" in err and "shared with the English" in err
    assert snapshot(rendered_book) == before  # the edit is not reverted, nothing is written


def test_code_edit_next_to_a_comment_edit_is_refused_whole(rendered_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_zh(rendered_book, "# 存于d2l包中，便于后面使用\nimport collections\n", "# 存在d2l包里\nimport collection\n")
    before = snapshot(rendered_book)
    code, _, err = run(capsys, rendered_book, "sync")
    assert code == 2 and "shared with the English" in err
    assert snapshot(rendered_book) == before


def test_a_comment_stays_translatable(rendered_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = edit_zh(rendered_book, "# 存于d2l包中，便于后面使用", "# 保存在d2l包中以便以后使用")
    assert run(capsys, rendered_book, "render")[0] == 0
    assert pair(rendered_book, "Saved in the d2l package").chinese == "保存在d2l包中以便以后使用"
    assert (rendered_book / MD).read_text(encoding="utf-8") == edited


# -- exact take-back ----------------------------------------------------------------------------


def test_list_continuation_is_taken_back_exactly_every_time(rendered_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    item = "* 所有笔记本均可在GitHub上下载。"
    text = edit_zh(rendered_book, item, item + "\n  第二行，缩进两格。")
    for n in range(4):
        assert run(capsys, rendered_book, "render")[0] == 0
        assert (rendered_book / MD).read_text(encoding="utf-8") == text, f"round {n}"
        text = edit_zh(rendered_book, "第二行", f"第{n}次的第二行")
    assert "\n  第" in pair(rendered_book, "All notebooks").chinese or "\n第" in pair(rendered_book, "All notebooks").chinese
    assert "    第" not in (rendered_book / MD).read_text(encoding="utf-8")


def test_label_line_in_a_hand_edit_is_refused(rendered_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = edit_zh(rendered_book, "## 关于本书\n", "## 关于本书\n\n本节介绍这本书。\n:label:`sec_about`\n")
    before = snapshot(rendered_book)
    code, _, err = run(capsys, rendered_book, "render")
    assert code == 2 and f"{MD}:" in err
    assert snapshot(rendered_book) == before
    assert edited == (rendered_book / MD).read_text(encoding="utf-8")


# -- translations cannot break the structure ----------------------------------------------------


def entry_line(book: Path, english_start: str) -> int:
    po = polib.pofile(str(book / PO), wrapwidth=0)
    return next(e for e in po if e.msgid.startswith(english_start)).linenum


@pytest.mark.parametrize("bad,why", [
    ("我们感谢亚马逊。\n```python", "code fence"),
    ("我们感谢亚马逊。\n$$x$$", "math"),
    ("# 我们感谢亚马逊。", "heading"),
    ("我们感谢亚马逊。\n- 一项", "list item"),
    ("我们感谢亚马逊。\n:label:`sec_thanks`", "directive"),
    ("<div>\n我们感谢亚马逊。\n</div>", "HTML"),
])
def test_structure_breaking_msgstr_is_refused_by_render_sync_and_check(
        rendered_book: Path, capsys: pytest.CaptureFixture[str], bad: str, why: str) -> None:
    set_msgstr(rendered_book, "We thank Amazon", bad)
    where = f"{PO}:{entry_line(rendered_book, 'We thank Amazon')}:"
    before = snapshot(rendered_book)
    for command in ("render", "sync"):
        code, _, err = run(capsys, rendered_book, command)
        assert code == 2, command
        assert where in err and why in err, err
        assert snapshot(rendered_book) == before
    found = [f for f in check_book(Book(rendered_book)) if f.check == "structure"]
    assert found and found[0].severity == "error" and why in found[0].message
    code, out, _ = run(capsys, rendered_book, "check")
    assert code == 1 and "[structure]" in out


def test_tui_save_refuses_a_fence_opening_translation(rendered_book: Path) -> None:
    session = Session(Book(rendered_book))
    p = next(p for p in session.pairs(PREFACE) if p.english.startswith("We thank Amazon"))
    session.set_chinese(PREFACE, p, "我们感谢。\n```")
    before = snapshot(rendered_book)
    with pytest.raises(WorkbenchError) as e:
        session.save(PREFACE)
    assert "code fence" in str(e.value) and PO in str(e.value)
    assert snapshot(rendered_book) == before


def test_tui_save_reports_a_conflict_and_keeps_both_texts(rendered_book: Path) -> None:
    session = Session(Book(rendered_book))
    p = next(p for p in session.pairs(PREFACE) if p.english == "About This Book")
    session.set_chinese(PREFACE, p, "本书简介")
    edited = edit_zh(rendered_book, "## 关于本书", "## 关于这本书")
    saved = session.save(PREFACE)
    assert [(c.line, c.hand) for c in saved.conflicts] == [(line_of(edited, "## 关于这本书"), "关于这本书")]
    assert p.chinese == "本书简介" and p.stale and p.conflict  # the pair on screen shows it
    assert pair(rendered_book, "About This Book").conflict


def test_a_refused_save_leaves_the_pairs_on_screen_as_they_were(rendered_book: Path) -> None:
    session = Session(Book(rendered_book))
    p = next(p for p in session.pairs(PREFACE) if p.english == "About This Book")
    session.set_chinese(PREFACE, p, "本书简介")
    edit_zh(rendered_book, "## 关于本书", "## 关于这本书")
    edit_zh(rendered_book, "import collections\n", "import collections as c\n")  # refused
    with pytest.raises(WorkbenchError):
        session.save(PREFACE)
    assert p.chinese == "本书简介" and not p.notes and not p.stale


def test_rule_is_plain_text_friendly() -> None:
    assert problem("一段文字，含`code`和$x$。\n第二行。\n\n第二段。", "paragraph") is None
    assert problem("第一行\n   ```", "docstring") is not None
    assert problem("a | b", "table_cell") is not None
    assert problem("# 注释", "comment") is None


def test_multi_file_render_writes_nothing_when_one_file_is_refused(
        builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a second file: the preface under another name, its PO with a fence-opening msgstr
    other = "chapter_preface/copy.md"
    for part, name in (("en", PREFACE), ("zh", PREFACE), ("zh", PREFACE[:-3] + ".po")):
        target = builtin_book / part / name.replace("index", "copy")
        shutil.copy(builtin_book / part / name, target)
    edit_zh(builtin_book, "## 关于本书", "## 关于这本书")  # the first file has work to do
    po = polib.pofile(str(builtin_book / "zh" / other.replace(".md", ".po")), wrapwidth=0)
    next(e for e in po if e.msgid.startswith("We thank Amazon")).msgstr = "我们感谢。\n```"
    po.save()
    before = snapshot(builtin_book)
    code, _, err = run(capsys, builtin_book, "render")
    assert code == 2 and "zh/chapter_preface/copy.po:" in err
    assert snapshot(builtin_book) == before


# -- the property: any hand edit of any file comes back byte for byte ---------------------------


def _pseudo(book: Book, rel: str) -> Catalog:
    """Pairs of a corpus file, two of three translated with the English's own lines (so list
    continuations, docstrings and comments keep their shape), marked as Chinese."""
    from workbench.markdown import unfit

    doc = book.document(rel)
    catalog = Catalog(f"en/{rel}", store.pairs_for(doc, f"en/{rel}"))
    for k, (p, u) in enumerate(zip(catalog.pairs, doc.translatable, strict=True)):
        if k % 3 != 2:
            p.chinese = "译" + unfit(u.source, u, doc.text)
    return catalog


#: Every English file of the corpus under WORKBENCH_FULL=1 (180 files, in four parts so that
#: the test workers share them). By default every eighth file (23, every part of the book) and
#: glove.md, the one file whose drawn edit falls in a table cell: the edits then fall in every
#: kind of unit the whole sweep edits (the test checks it), in one part.
TAKE_BACK_FILES = corpus_sample(sorted(EN_V0170.rglob("*.md")) if EN_V0170.is_dir() else [], 8) + (
    [] if FULL else [EN_V0170 / "chapter_natural-language-processing-pretraining/glove.md"])
EDITED_KINDS = {"heading", "paragraph", "list_item", "table_cell", "image_alt", "comment", "docstring"}
SHARDS = 4 if FULL else 1


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_any_hand_edit_is_taken_back_exactly(tmp_path: Path, shard: int) -> None:
    """Per file: pseudo-translated and saved, one character typed by hand into a random unit of
    zh/*.md (the file's own seed), saved: the edit is taken back and zh/*.md stays byte for byte;
    a second save changes nothing."""
    import random

    from workbench.markdown import segment

    need_corpus()
    failures = []
    edited_kinds: set[str] = set()
    for path in TAKE_BACK_FILES[shard::SHARDS]:
        rel = path.relative_to(EN_V0170).as_posix()
        root = tmp_path / rel.replace("/", "_")
        (root / "en" / rel).parent.mkdir(parents=True)
        shutil.copy(path, root / "en" / rel)
        book = Book(root)
        try:
            book.save(rel, _pseudo(book, rel))
        except WorkbenchError as e:  # a file the dialect refuses (an unclosed fence) is not this test's business
            if "never closed" in str(e):
                continue
            failures.append(f"{rel}: first render: {e}")
            continue
        zh_path = book.zh_path(rel)
        rnd = random.Random(rel)
        text = zh_path.read_text(encoding="utf-8")
        units = [u for u in segment(text).translatable if len(u.source) > 1]
        if not units:
            continue
        u = rnd.choice(units)
        edited_kinds.add(u.kind)
        at = u.offset + rnd.randrange(1, len(u.source))
        while text[at - 1] in " \t\n" or text[at] in "\n":
            at -= 1
        edited = text[:at] + "改" + text[at:]
        zh_path.write_text(edited, encoding="utf-8")
        try:
            result = book.save(rel, book.catalog(rel))
        except WorkbenchError as e:
            failures.append(f"{rel}: {e}")
            continue
        if zh_path.read_text(encoding="utf-8") != edited or not result.taken_back:
            failures.append(f"{rel}: not exact at line {u.start} ({u.kind})")
            continue
        if book.save(rel, book.catalog(rel)).changed:
            failures.append(f"{rel}: a save after the take-back still changes the file")
    assert not failures, "\n".join(failures[:20]) + f"\n({len(failures)} files)"
    if not FULL:
        assert edited_kinds == EDITED_KINDS, "the sample no longer edits every kind of unit: choose it anew"


def test_sync_takes_a_hand_edit_back_against_the_base_when_the_english_changed(
        rendered_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = edit_zh(rendered_book, "## 关于本书", "## 关于这本书")
    en = rendered_book / "en" / PREFACE
    en.write_text(en.read_text(encoding="utf-8").replace("for their generous support", "for their kind support"),
                  encoding="utf-8")
    code, out, _ = run(capsys, rendered_book, "sync")
    assert code == 0, out
    assert f"{MD}:{line_of(edited, '## 关于这本书')}: hand edit taken back" in out
    assert pair(rendered_book, "About This Book").chinese == "关于这本书"
    assert pair(rendered_book, "We thank Amazon").stale
    assert "## 关于这本书\n" in (rendered_book / MD).read_text(encoding="utf-8")
    code, out, _ = run(capsys, rendered_book, "render")  # the sync recorded the base: nothing left to merge
    assert code == 0 and "hand edit" not in out and "0 of 1 files were rendered" in out


@pytest.mark.screen
def test_tui_shows_a_conflict_on_the_pair(tmp_path: Path) -> None:
    import asyncio

    from workbench.tui.app import WorkbenchApp
    from workbench.tui.file_screen import FileScreen
    from workbench.tui.widgets import PairTable

    root = tmp_path / "book"
    shutil.copytree(Path(__file__).parent / "data" / "tui" / "book", root)
    rel = "chapter_preliminaries/lookup-api.md"
    zh = root / "zh" / rel
    english = "Due to constraints on the length of this book, we cannot possibly introduce every single PyTorch"

    async def scenario() -> None:
        app = WorkbenchApp(Book.open(root), run_checks=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            for _ in range(len(app.session.files)):
                if app.screen.current_rel() == rel:  # type: ignore[attr-defined]
                    break
                await pilot.press("n")
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.screen
            assert isinstance(screen, FileScreen) and screen.pair is not None
            assert screen.pair.english.startswith(english)
            # meanwhile someone translates the same paragraph by hand in zh/*.md
            text = zh.read_text(encoding="utf-8")
            line = next(x for x in text.splitlines() if x.startswith(english))
            zh.write_text(text.replace(line, "由于篇幅所限（手改）", 1), encoding="utf-8")
            await pilot.press("enter", *"由于本书篇幅的限制", "ctrl+s")
            await pilot.pause()
            pair_ = screen.pair
            assert pair_ is not None and pair_.conflict and pair_.chinese == "由于本书篇幅的限制"
            row = screen.query_one(PairTable).get_row_at(screen.current)
            assert any(str(cell) == "C!" for cell in row)

    asyncio.run(scenario())
    saved = next(p for p in Book(root).catalog(rel).pairs if p.english.startswith(english))
    assert saved.chinese == "由于本书篇幅的限制" and saved.stale
    assert any("由于篇幅所限（手改）" in n for n in saved.notes)


def _corpus_book(tmp_path: Path, rel: str) -> Book:
    """A book of one d2l chapter, pseudo-translated and rendered (the base recorded)."""
    need_corpus()
    (tmp_path / "en" / rel).parent.mkdir(parents=True)
    shutil.copy(EN_V0170 / rel, tmp_path / "en" / rel)
    book = Book(tmp_path)
    with book.lock():
        book.save(rel, _pseudo(book, rel))
    return book


@pytest.mark.corpus
def test_docstring_edit_is_taken_back_and_a_code_edit_beside_it_refused(tmp_path: Path) -> None:
    rel = "chapter_linear-networks/linear-regression-scratch.md"
    book = _corpus_book(tmp_path, rel)
    zh = book.zh_path(rel)
    text = zh.read_text(encoding="utf-8")
    doc_line = next(x for x in text.splitlines() if "The linear regression model." in x)
    alone = text.replace(doc_line, '    """线性回归模型。"""', 1)
    zh.write_text(alone, encoding="utf-8")
    with book.lock():
        saved = book.save(rel, book.catalog(rel))
    assert [t.after for t in saved.taken_back] == ["线性回归模型。"]
    assert zh.read_text(encoding="utf-8") == alone  # exact
    # now the code under it too: refused whole, with the code's line, nothing written
    both = alone.replace('    """线性回归模型。"""\n    return d2l.matmul(X, w) + b',
                         '    """线性回归模型（改）。"""\n    return d2l.matmul(X, w) - b', 1)
    assert both != alone
    zh.write_text(both, encoding="utf-8")
    po_before = book.po_path(rel).read_bytes()
    with pytest.raises(WorkbenchError) as e, book.lock():
        book.save(rel, book.catalog(rel))
    assert e.value.line == line_of(both, "return d2l.matmul(X, w) - b") and "shared with the English" in str(e.value)
    assert book.po_path(rel).read_bytes() == po_before and zh.read_text(encoding="utf-8") == both
