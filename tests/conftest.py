"""Shared fixtures: where the real data lives (../shared, read at test time, never copied)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "d2l"
EN_V0170 = CORPUS / "en-v0.17.0"
EN_V0176 = CORPUS / "en-v0.17.6"
ZH = CORPUS / "zh-2021-09-30"
SEED = SHARED / "seed" / "000_7bac6b964f109af6.txt"
GOLD = SHARED / "bench" / "align-gold" / "dev"


def need_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.fail(f"the d2l corpus is missing: expected it at {CORPUS} (../shared beside the repo)")


@pytest.fixture
def builtin_book(tmp_path: Path) -> Path:
    """A copy of the repo's built-in book (en/, zh/, glossary/) to write into."""
    for part in ("en", "zh", "glossary"):
        shutil.copytree(REPO / part, tmp_path / part)
    return tmp_path


@pytest.fixture(scope="session")
def imported_corpus(tmp_path_factory: pytest.TempPathFactory):
    """The d2l corpus (en-v0.17.0 with zh-2021-09-30) imported into a fresh book, once per session.

    Returns (book root, ImportReport). Tests only read it.
    """
    need_corpus()
    from workbench.book import Book
    from workbench.importer import import_tree

    root = tmp_path_factory.mktemp("imported-d2l")
    report = import_tree(EN_V0170, ZH, Book(root))
    return root, report


def copy_files(imported: Path, dest: Path, rels: list[str]) -> Path:
    """A small book of real imported pairs: en/, zh/*.md and zh/*.po of `rels` copied from a
    book (the session's import is read only)."""
    for rel in rels:
        for part, name in (("en", rel), ("zh", rel), ("zh", rel[:-3] + ".po")):
            target = dest / part / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(imported / part / name, target)
    return dest
