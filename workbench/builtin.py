"""The built-in book (the d2l preface) and new books made from it.

The built-in book ships inside the package (workbench/builtin/, copied there from the
repository's top-level en/, zh/, glossary/ when the package is built) and is never written in
place: reading commands may read it; the TUI opens the user's own copy, made on first use in
the user's data folder; `workbench init` copies it into a folder of the user's choosing.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import files
from .model import WorkbenchError

_PACKAGE = Path(__file__).resolve().parent
#: The parts of a book that the built-in one ships.
PARTS = ("en", "zh", "glossary")
#: What `workbench init --empty` puts in the glossary: the header of the glossary file.
_EMPTY_GLOSSARY = (
    "# workbench glossary: one term per line, tab-separated; status is approved, proposed, rejected or forbidden\n"
    "# (a forbidden line names a Chinese variant that must not be used for the English term).\n"
    "english\tchinese\tstatus\tnote\n"
)


def location() -> Path:
    """Where the built-in book is: inside the installed package, else the source checkout's top level."""
    packaged = _PACKAGE / "builtin"
    if (packaged / "en").is_dir():
        return packaged
    checkout = _PACKAGE.parent
    if (checkout / "en").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout  # an editable install: the repository's top level is the source
    raise WorkbenchError("the built-in book is missing from this installation; reinstall workbench", str(packaged))


def is_builtin(root: Path) -> bool:
    """True when `root` is the built-in book itself (which is never written in place)."""
    try:
        return root.resolve() == location().resolve()
    except WorkbenchError:
        return False


def user_copy_path() -> Path:
    """Where the user's own copy of the preface lives: `$XDG_DATA_HOME/workbench/preface`."""
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "workbench" / "preface"


def user_copy() -> Path:
    """The user's own copy of the preface, made on first use."""
    root = user_copy_path()
    if not (root / "en").is_dir():
        make_book(root)
    return root


def label(root: Path) -> str:
    """A book as screens name it: its folder's name, or the whole path of the user's copy of the preface."""
    if root.resolve() == user_copy_path().resolve():
        home = str(Path.home())
        shown = str(root)
        return "~" + shown[len(home):] if shown.startswith(home + os.sep) else shown
    return root.name


def book_files(empty: bool = False) -> dict[str, bytes]:
    """The files of a new book, relative to its folder: the preface, or a bare book."""
    if empty:
        return {"glossary/glossary.tsv": _EMPTY_GLOSSARY.encode("utf-8")}
    source = location()
    out: dict[str, bytes] = {}
    for part in PARTS:
        for path in sorted((source / part).rglob("*")):
            if path.is_file():
                out[path.relative_to(source).as_posix()] = path.read_bytes()
    return out


def make_book(root: Path, empty: bool = False) -> list[str]:
    """Create a book in `root` (the preface, or a bare one); returns the files written.

    Refuses a folder that already holds a book, so nothing of a translator's is overwritten.
    """
    if (root / "en").exists() or (root / "zh").exists():
        raise WorkbenchError("there is a book here already (en/ or zh/ exists); nothing was written", str(root))
    if root.exists() and not root.is_dir():
        raise WorkbenchError("not a folder", str(root))
    made = book_files(empty)
    for part in PARTS:
        (root / part).mkdir(parents=True, exist_ok=True)
    for rel, data in made.items():
        files.write_atomic(root / rel, data)
    _record_base(root)
    return sorted(made)


def _record_base(root: Path) -> None:
    """Note what zh/*.md was rendered from (the merge base), so that the first hand edit of the
    new book is taken back rather than met without a base."""
    from .book import Book  # the book's operations sit above this module

    book = Book(root)
    with book.lock("init"):
        book.apply([book.plan_save(rel, book.catalog(rel)) for rel in book.english_files()])
