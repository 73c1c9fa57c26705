"""A new user's first steps: `workbench init`, the built-in book that is never written in place,
commands run outside a book, no terminal, and an install without the notebook extra."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, PREFACE, SEED
from workbench import builtin, cli
from workbench.book import Book
from workbench.commands.tui import choose_book
from workbench.model import WorkbenchError

TERMINOLOGY = CORPUS / "TERMINOLOGY.md"


def wb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, cwd=cwd,
                          stdin=subprocess.DEVNULL)


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def shipped_book() -> dict[str, bytes]:
    """The built-in book's files (in a source checkout its folder is the repository: only the book counts)."""
    return {f"{part}/{name}": data for part in builtin.PARTS
            for name, data in files_of(builtin.location() / part).items()}


def test_init_makes_a_working_copy_of_the_preface(tmp_path: Path) -> None:
    r = wb("init", "mine", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    root = tmp_path / "mine"
    assert (root / "en" / PREFACE).is_file() and (root / "glossary" / "glossary.tsv").is_file()
    # a valid book: it renders to itself and counts its pairs
    assert wb("render", "--dry-run", "--json", cwd=root).returncode == 0
    status = wb("status", "--json", cwd=root)
    assert status.returncode == 0 and json.loads(status.stdout)["total"]["pairs"] > 0
    assert "built-in" not in status.stderr


def test_init_empty_then_a_first_chapter(tmp_path: Path) -> None:
    assert wb("init", "--empty", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en", "glossary", "zh"]
    assert not list((tmp_path / "en").iterdir())
    (tmp_path / "en" / "intro.md").write_text("# Introduction\n\nDeep learning is everywhere.\n", encoding="utf-8")
    r = wb("sync", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [u["status"] for u in json.loads(r.stdout)["units"]] == ["untranslated", "untranslated"]
    assert (tmp_path / "zh" / "intro.po").is_file()


def test_init_refuses_a_folder_with_a_book(builtin_book: Path) -> None:
    before = files_of(builtin_book)
    r = wb("init", cwd=builtin_book)
    assert r.returncode == 2 and "there is a book here already" in r.stderr
    assert files_of(builtin_book) == before


@pytest.mark.corpus
@pytest.mark.parametrize("command", [
    ["glossary", "import", str(TERMINOLOGY)],
    ["import-bilingual", str(SEED), "--as", "chapter_preface/index.md"],
    ["render"],
    ["sync"],
    ["build", "en"],
])
def test_writing_outside_a_book_is_refused_and_names_init(tmp_path: Path, command: list[str]) -> None:
    shipped = shipped_book()
    r = wb(*command, cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "no book here" in r.stderr and "workbench init" in r.stderr and "Traceback" not in r.stderr
    assert not list(tmp_path.iterdir())  # nothing written here
    assert shipped_book() == shipped  # nor into the installation


def test_the_builtin_book_is_never_written_in_place() -> None:
    book = Book.open(builtin.location())
    assert book.builtin
    with pytest.raises(WorkbenchError, match="workbench init"), book.lock("test"):
        pass
    # run in the built-in book's own folder (a source checkout), writing commands refuse too
    r = wb("render", cwd=builtin.location())
    assert r.returncode == 2 and "never written in place" in r.stderr


def test_the_tui_without_a_book_opens_the_users_own_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    book = choose_book(None)
    assert book.root == (tmp_path / "data" / "workbench" / "preface").resolve()
    assert not book.builtin and (book.root / "en" / PREFACE).is_file()
    assert builtin.label(book.root).endswith("workbench/preface")
    # the same copy the next time, with the translator's work in it
    (book.root / "zh" / "marker").write_text("mine", encoding="utf-8")
    assert choose_book(None).root == book.root and (book.root / "zh" / "marker").is_file()
    # naming the built-in book itself opens the copy as well
    assert choose_book(str(builtin.location())).root == book.root
    # and a reading command outside a book now reads that copy, saying so
    r = wb("status", cwd=tmp_path)
    assert r.returncode == 0 and f"book: {book.root}" in r.stdout and "your copy" in r.stderr


def test_no_terminal_no_tui(tmp_path: Path) -> None:
    r = wb(cwd=tmp_path)  # stdin and stdout are not a terminal here
    assert r.returncode == 2
    assert "needs a terminal" in r.stderr and "\x1b[" not in r.stdout + r.stderr


def test_executing_without_the_notebook_extra_says_which_extra(builtin_book: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "jupyter_client" else real(name, *a))
    before = files_of(builtin_book)
    assert cli.main(["build", "zh", "--execute", "--book", str(builtin_book)]) == 2
    err = capsys.readouterr().err
    assert "pip install 'workbench[notebook]'" in err and "jupyter_client" in err
    assert files_of(builtin_book) == before and not (builtin_book / "_build").exists()
