"""Shared fixtures: where the real data lives (../shared, read at test time, never copied)."""

from __future__ import annotations

import os
import shutil
import subprocess
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


def assert_msgfmt_ok(path: Path) -> None:
    """gettext accepts every PO under `path` (a file or a folder, e.g. a book): `msgfmt --check`
    passes without a warning, and `msgcat` gives the file back byte for byte (the workbench writes
    gettext's canonical layout)."""
    for tool in ("msgfmt", "msgcat"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: install gettext (apt-get install -y gettext)")
    pos = [path] if path.is_file() else sorted(path.rglob("*.po"))
    assert pos, f"no PO file under {path}"
    for po in pos:
        r = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(po)], capture_output=True, text=True)
        assert r.returncode == 0 and not r.stderr, f"msgfmt refuses {po}: {r.stderr}"
        r = subprocess.run(["msgcat", "--force-po", str(po)], capture_output=True)  # an empty PO too
        assert r.returncode == 0, f"msgcat refuses {po}: {r.stderr.decode()}"
        assert r.stdout == po.read_bytes(), f"msgcat lays out {po} differently: not gettext's canonical layout"
