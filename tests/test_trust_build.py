"""`workbench build` writes its notebooks into _build/ only: a _build/ (or a folder in it) linked
into the book's own parts is refused before anything is written."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from conftest import run_in_book as run


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("link", "to", "part"), [
    ("_build", "en", "en"),  # the whole _build/ is the English
    ("_build/zh", "../zh", "zh"),  # the language's folder
    ("_build/zh/chapter_preface", "../../zh/chapter_preface", "zh"),  # a chapter's folder
    ("_build/cache", "../.workbench", ".workbench"),
])
def test_a_build_folder_linked_into_the_book_is_refused(builtin_book: Path, link: str, to: str, part: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    (builtin_book / ".workbench").mkdir(exist_ok=True)
    (builtin_book / link).parent.mkdir(parents=True, exist_ok=True)
    (builtin_book / link).symlink_to(to)
    before = _tree(builtin_book)
    code, _, err = run(capsys, builtin_book, "build", "zh", "--mark-stale")
    assert code == 2 and "Traceback" not in err
    assert f"is inside the book's {part}/ folder" in err
    assert _tree(builtin_book) == before
    # without the link, the notebook is built where it belongs
    (builtin_book / link).unlink()
    assert run(capsys, builtin_book, "build", "zh", "--mark-stale")[0] == 0
    assert (builtin_book / "_build" / "zh" / "chapter_preface" / "index.ipynb").is_file()


def test_the_stale_note_links_a_file_whatever_its_name(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a space and parentheses in a file name ended the Markdown link of the stale note
    rel = "notes (draft) #2.md"
    (builtin_book / "en" / rel).write_text("# Notes\n\nA paragraph about the book.\n", encoding="utf-8")
    assert run(capsys, builtin_book, "sync")[0] == 0
    po = builtin_book / "zh" / rel.replace(".md", ".po")
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "A paragraph about the book."\nmsgstr ""',
                                                         'msgid "A paragraph about the book."\nmsgstr "关于本书的一段。"'),
                  encoding="utf-8")
    en = builtin_book / "en" / rel
    en.write_text(en.read_text(encoding="utf-8").replace("about the book", "about this book"), encoding="utf-8")
    assert run(capsys, builtin_book, "sync")[0] == 0
    assert run(capsys, builtin_book, "build", "zh", "--mark-stale")[0] == 0
    notebook = nbformat.read(builtin_book / "_build" / "zh" / rel.replace(".md", ".ipynb"), as_version=4)
    text = "".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "关于本书的一段。" in text
    assert "[查看英文原文](../en/notes%20%28draft%29%20%232.ipynb)" in text
