"""The editions for readers and reviewers (`workbench export --format bilingual|html`) and the stale
marks of `build zh --mark-stale`, on the built-in book and a real corpus chapter."""

from __future__ import annotations

import difflib
import html
import io
import json
import re
from pathlib import Path

import nbformat
import pytest

from conftest import PREFACE, SEED, corpus_sources, need_corpus
from conftest import run_in_book as run
from workbench import stale_note
from workbench.book import Book
from workbench.checking import check_book
from workbench.commands.common import ProgressBar
from workbench.editions import make
from workbench.editions.progress_page import page_name
from workbench.editions.rows import rows
from workbench.progress import reported

#: The paragraph a translator's English edit makes stale, and the edit (words as `diff` shows them).
PREFACE_EDIT = ("for their generous support", "for their kind support")
CHAPTER = "chapter_preliminaries/linear-algebra.md"
CHAPTER_EDIT = ("we use the same `dot` function as for dot products", "we use the `dot` function of dot products")


def make_stale(book: Path, rel: str, edit: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    """An English edit upstream, then `workbench sync`: the pair it touches is stale."""
    path = book / "en" / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(edit[0]) == 1, f"the edit must touch one place of en/{rel}"
    path.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    assert run(capsys, book, "sync")[0] == 0
    assert sum(p.stale for p in Book.open(book).catalog(rel).active) == 1


# --- the bilingual edition ---------------------------------------------------------------------

#: What import-bilingual normalises: each a line of the seed, and a form of it the import reads
#: the same (a made-up variant of a real line, one per rule). Exporting the import of such a
#: variant gives the seed's line back, so these are all the differences an export shows.
NORMALISED = [
    # a space between the English and the Chinese of a heading: the English is cut before it
    ("# Preface前言\n", "# Preface 前言\n"),
    # white space after a Chinese paragraph: the Chinese is stored trimmed
    ("仅仅几年前，", "仅仅几年前，", "   "),
    # the marker of a Chinese list item: the Chinese item takes the English item's marker
    ("* 第一部分介绍基础知识和预备知识。", "- 第一部分介绍基础知识和预备知识。"),
    # the spacing of a Chinese code comment: it takes the English comment's `# `
    ("# 存于d2l包中，便于后面使用\n", "#存于d2l包中，便于后面使用\n"),
]


def _variant(seed: str) -> str:
    """The seed with every normalisable difference of NORMALISED put in."""
    lines = seed.splitlines(keepends=True)
    for rule in NORMALISED:
        hits = [i for i, line in enumerate(lines) if line.startswith(rule[0].rstrip("\n"))]
        assert len(hits) == 1, f"NORMALISED names a line the seed does not hold once: {rule[0]!r}"
        i = hits[0]
        if len(rule) == 3:  # white space added at the end of the line
            lines[i] = lines[i].rstrip("\n") + rule[2] + "\n"
        else:
            lines[i] = lines[i].replace(rule[0].rstrip("\n"), rule[1].rstrip("\n"), 1)
    # a blank line more between an English paragraph and its Chinese: one blank line is kept
    at = next(i for i, line in enumerate(lines) if line.startswith("In just the past five years"))
    lines.insert(at + 1, "\n")
    return "".join(lines)


def test_bilingual_export_of_the_builtin_book_is_the_seed(builtin_book: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bilingual"
    code, text, err = run(capsys, builtin_book, "export", "--format", "bilingual", "-o", str(out), "--json")
    assert code == 0, err
    report = json.loads(text)
    assert report["written"] == [PREFACE] and report["warnings"] == []
    seed = SEED.read_text(encoding="utf-8")
    exported = (out / PREFACE).read_text(encoding="utf-8")
    # the import of the seed kept everything it needs: nothing of the seed is normalised away
    assert list(difflib.unified_diff(seed.splitlines(), exported.splitlines(), lineterm="")) == []
    assert exported == seed


def test_bilingual_export_lists_what_the_import_normalised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = SEED.read_text(encoding="utf-8")
    variant = tmp_path / "variant.txt"
    variant.write_text(_variant(seed), encoding="utf-8")
    book = tmp_path / "book"
    (book / "en").mkdir(parents=True)
    code, _, err = run(capsys, book, "import-bilingual", str(variant), "--as", PREFACE)
    assert code == 0, err
    out = tmp_path / "out"
    assert run(capsys, book, "export", "--format", "bilingual", "-o", str(out))[0] == 0
    exported = (out / PREFACE).read_text(encoding="utf-8")
    # every difference between the variant and its export is one of the listed normalisations
    changed = [(a.rstrip("\n"), b.rstrip("\n")) for a, b in _changed_lines(variant.read_text(encoding="utf-8"), exported)]
    assert len(changed) == len(NORMALISED) + 1
    heading, trailing, blank, item, comment = changed  # in the order of the file
    assert heading == ("# Preface 前言", "# Preface前言")
    assert trailing[0] == trailing[1] + "   " and trailing[1].startswith("仅仅几年前，")
    assert blank == ("", "")  # the second blank line between "In just the past five years" and its Chinese
    assert item[0] == "- " + item[1][2:] and item[1].startswith("* 第一部分")
    assert comment == ("#存于d2l包中，便于后面使用", "# 存于d2l包中，便于后面使用")
    assert exported == seed


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """(before, after) of each replaced or removed line."""
    out = []
    matcher = difflib.SequenceMatcher(None, before.splitlines(True), after.splitlines(True), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            a, b = before.splitlines(True)[i1:i2], after.splitlines(True)[j1:j2]
            out += list(zip(a, b + [""] * (len(a) - len(b)), strict=False))
    return out


#: What the layout writes where d2l's Markdown is richer than the seed, and import-bilingual reads
#: (one made-up case each): (bilingual text, its English, the (English, Chinese) found).
LAYOUT_CASES = [
    ("## Search 搜索 \n:label:`sec_search`\n", "## Search \n:label:`sec_search`\n", [("Search", "搜索")]),
    ("## **Parametric Pooling**\n", "## **Parametric Pooling**\n", []),
    (":begin_tab:`mxnet`\n* Gluon is fast.\n* Gluon很快。\n:end_tab:\n", ":begin_tab:`mxnet`\n* Gluon is fast.\n:end_tab:\n",
     [("Gluon is fast.", "Gluon很快。")]),
    ("1. Try it\n   twice.\n1. 试两次\n   吧。\n", "1. Try it\n   twice.\n", [("Try it\ntwice.", "试两次\n吧。")]),
    ("```python\nx = 1  # one more\n# 再加一\n```\n", "```python\nx = 1  # one more\n```\n", [("one more", "再加一")]),
    (":begin_tab:`pytorch`\n:numref:`fig_x` shows it.\n:end_tab:\n\n:numref:`fig_x`展示了它。\n",
     ":begin_tab:`pytorch`\n:numref:`fig_x` shows it.\n:end_tab:\n",
     [(":numref:`fig_x` shows it.", ":numref:`fig_x`展示了它。")]),
]


@pytest.mark.parametrize(("text", "english", "found"), LAYOUT_CASES)
def test_import_bilingual_reads_what_the_layout_writes(text: str, english: str, found: list[tuple[str, str]]) -> None:
    from workbench import bilingual

    got_english, got = bilingual.split(text)
    assert got_english == english
    assert [(f.english.strip(), f.chinese) for f in got] == found


def test_bilingual_export_imports_back_to_the_same_pairs(builtin_book: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    make_stale(builtin_book, PREFACE, PREFACE_EDIT, capsys)
    out = tmp_path / "out"
    assert run(capsys, builtin_book, "export", "--format", "bilingual", "-o", str(out))[0] == 0
    again = tmp_path / "again"
    (again / "en").mkdir(parents=True)
    assert run(capsys, again, "import-bilingual", str(out / PREFACE), "--as", PREFACE)[0] == 0
    assert (again / "en" / PREFACE).read_bytes() == (builtin_book / "en" / PREFACE).read_bytes()
    before = [(p.english, p.chinese) for p in Book.open(builtin_book).catalog(PREFACE).active]
    after = [(p.english, p.chinese) for p in Book.open(again).catalog(PREFACE).active]
    assert after == before


# --- the HTML edition ----------------------------------------------------------------------------


@pytest.fixture
def corpus_chapter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A book of one real chapter (en-v0.17.0 with its d2l-zh translation), one pair made stale by an
    English edit and `workbench sync`, one paragraph added to the English (untranslated)."""
    need_corpus()
    from workbench.importer import import_tree

    book = tmp_path / "book"
    import_tree(*corpus_sources(tmp_path, CHAPTER), Book(book))
    make_stale(book, CHAPTER, CHAPTER_EDIT, capsys)
    # d2l-zh translates every unit of this chapter: a paragraph the English added since is untranslated
    en = book / "en" / CHAPTER
    en.write_text(en.read_text(encoding="utf-8") + "\nThe English edition added this paragraph later.\n",
                  encoding="utf-8")
    assert run(capsys, book, "sync")[0] == 0
    return book


def test_bilingual_export_of_a_corpus_chapter_imports_back(corpus_chapter: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A real chapter (framework tabs, lists in :begin_tab:, comments after code, merged paragraphs):
    import-bilingual gives back its English byte for byte, and every pair the export does not name
    in a warning comes back with its Chinese."""
    out = tmp_path / "out"
    code, text, _ = run(capsys, corpus_chapter, "export", "--format", "bilingual", "-o", str(out), "--json")
    assert code == 0
    warnings = json.loads(text)["warnings"]
    named = {int(n) for w in warnings for n in re.findall(r"(?:^en/[^:]+:|lines? |, )(\d+)", w)}
    again = tmp_path / "again"
    (again / "en").mkdir(parents=True)
    assert run(capsys, again, "import-bilingual", str(out / CHAPTER), "--as", CHAPTER)[0] == 0
    assert (again / "en" / CHAPTER).read_bytes() == (corpus_chapter / "en" / CHAPTER).read_bytes()
    back = {(p.english, p.context): p.chinese for p in Book.open(again).catalog(CHAPTER).active}
    pairs = [p for p in Book.open(corpus_chapter).catalog(CHAPTER).active if p.chinese]
    kept = [p for p in pairs if p.line not in named]
    assert len(kept) > 0.85 * len(pairs)  # the layout carries most of a real chapter (94 of 106 here)
    for p in kept:
        assert " ".join(back[(p.english, p.context)].split()) == " ".join(p.chinese.split()), p.line


def _row_html(page: str, line: int) -> str:
    """The HTML of the row of the page whose English starts at `line`."""
    m = re.search(rf'<div class="row [^"]*" id="p{line}">.*?(?=\n<div class="row |\n</main>)', page, re.S)
    assert m, f"no row for line {line}"
    return m.group(0)


def test_html_edition_of_a_corpus_chapter(corpus_chapter: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "html"
    code, text, err = run(capsys, corpus_chapter, "export", "--format", "html", "-o", str(out), "--json")
    assert code == 0, err
    report = json.loads(text)
    assert report["written"] == ["index.html", page_name(CHAPTER)]
    book = Book.open(corpus_chapter)
    status = json.loads(run(capsys, corpus_chapter, "status", "--json")[1])["total"]
    assert report["pairs"] == status  # the one record
    page = (out / page_name(CHAPTER)).read_text(encoding="utf-8")

    # the stale pair: marked, the word diff of the English edit under its English, the reader's note
    # linking to that English
    catalog = book.catalog(CHAPTER)
    stale = next(p for p in catalog.active if p.stale)
    row_of = {id(p): r for r in rows(book.document(CHAPTER), catalog) for p in r.pairs}
    row = _row_html(page, row_of[id(stale)].line)
    assert row.startswith('<div class="row stale')
    assert "we use the<del> same</del> `dot` function <del>as for</del><ins>of</ins> dot products." in row
    assert html.escape(stale_note.WORDING) in row
    anchor = re.search(r'<a href="#(en-\d+)">' + re.escape(stale_note.LINK_TEXT), row)
    assert anchor and f'id="{anchor.group(1)}"' in row
    assert page.count('class="note stale-note"') == 1

    # untranslated pairs: marked, their English shown
    missing = [p for p in catalog.active if not p.chinese]
    assert missing
    for p in missing:
        assert 'class="badge untranslated"' in _row_html(page, row_of[id(p)].line)

    # every QA finding stands in the row of its pair
    findings = [f for f in reported(check_book(book, [CHAPTER]))]
    assert findings
    for f in findings:
        pair = next(p for p in catalog.active if f.about(p))
        assert html.escape(f.message) in _row_html(page, row_of[id(pair)].line), f

    # Markdown by markdown-it, math as TeX, code highlighted, nothing fetched
    assert '<span class="math inline">' in page and '<div class="math block">' in page
    assert '<span class="kn">import</span>' in page  # Pygments
    assert not re.search(r'<(script|link|iframe)\b|src="(https?:)?//', page)

    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{page_name(CHAPTER)}"' in index
    file_row = re.search(r'<tr class="file">.*?</tr>', index, re.S)
    assert file_row and 'class="stale"' in file_row.group(0) and 'class="untranslated"' in file_row.group(0)
    cells = re.findall(r'<td class="n (\w+)">(\d+)</td>', file_row.group(0))
    assert dict(cells) == {"reviewed": str(status["reviewed"]),
                           "done": str(status["translated"] - status["reviewed"]),
                           "stale": str(status["stale"]), "check": str(status["pairing"] + status["conflicts"]),
                           "untranslated": str(status["untranslated"])}
    assert sum(int(n) for _, n in cells) == status["pairs"]  # the parts of a bar are all the pairs


@pytest.mark.parametrize("part", ["en", "zh", ".workbench", "en/chapter_preface"])
def test_export_refuses_an_output_inside_the_book(builtin_book: Path, part: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (builtin_book / ".workbench").mkdir(exist_ok=True)
    before = sorted(p.relative_to(builtin_book) for p in builtin_book.rglob("*"))
    for fmt in ("html", "bilingual"):
        code, _, err = run(capsys, builtin_book, "export", "--format", fmt, "-o", str(builtin_book / part / "out"))
        assert code == 2 and "would overwrite the book's own files" in err
    assert sorted(p.relative_to(builtin_book) for p in builtin_book.rglob("*")) == before


def test_export_refuses_a_file_as_its_folder(builtin_book: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    taken = tmp_path / "taken"
    taken.write_text("mine\n", encoding="utf-8")
    code, _, err = run(capsys, builtin_book, "export", "--format", "html", "-o", str(taken))
    assert code == 2 and "is a file" in err
    assert taken.read_text(encoding="utf-8") == "mine\n"
    # a read-only page in the folder: refused before any page is written
    out = tmp_path / "out"
    (out / "pages" / "chapter_preface").mkdir(parents=True)
    locked = out / page_name(PREFACE)
    locked.write_text("old\n", encoding="utf-8")
    locked.chmod(0o444)
    code, _, err = run(capsys, builtin_book, "export", "--format", "html", "-o", str(out))
    assert code == 2 and "read-only" in err
    assert not (out / "index.html").exists() and locked.read_text(encoding="utf-8") == "old\n"


def test_export_draws_the_import_progress_bar(builtin_book: Path) -> None:
    shown = io.StringIO()
    bar = ProgressBar(shown)
    edition = make(Book.open(builtin_book), [PREFACE], "html", bar)
    bar.clear()
    assert "export   [" + "#" * ProgressBar.WIDTH + "] 1/1 files" in shown.getvalue()
    assert sorted(edition.files) == ["index.html", page_name(PREFACE)]


# --- stale marks in the notebooks -------------------------------------------------------------------


def _notes(book: Path) -> list[str]:
    nb = nbformat.read(book / "_build" / "zh" / (PREFACE[:-3] + ".ipynb"), as_version=4)
    return [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
            if stale_note.WORDING in line]


def test_build_mark_stale_notes_the_stale_paragraph(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_stale(builtin_book, PREFACE, PREFACE_EDIT, capsys)
    code, text, err = run(capsys, builtin_book, "build", "zh")
    assert code == 0, err
    assert _notes(builtin_book) == []  # without the option, the notebook is as before
    code, text, err = run(capsys, builtin_book, "build", "zh", "--mark-stale", "--json")
    assert code == 0, err
    assert json.loads(text)["stale_marked"] == 1
    notes = _notes(builtin_book)
    stale = next(p for p in Book.open(builtin_book).catalog(PREFACE).active if p.stale)
    assert notes == [stale_note.markdown_note("../../en/chapter_preface/index.ipynb", stale.line)]
    nb = nbformat.read(builtin_book / "_build" / "zh" / (PREFACE[:-3] + ".ipynb"), as_version=4)
    cell = next(c.source for c in nb.cells if notes[0] in c.source)
    # the note stands right after the stale Chinese, as a paragraph of its own
    assert f"{stale.chinese}\n\n{notes[0]}" in cell
    code, _, err = run(capsys, builtin_book, "build", "en", "--mark-stale")
    assert code == 2 and "build zh" in err
