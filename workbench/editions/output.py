"""Where an export goes: a file or folder the user names (-o), never inside the book's own parts,
every target checked before the first write, each file written atomically."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .. import files
from ..model import WorkbenchError

#: The parts of a book an export may not write into (its English, its pairs and edition, its
#: glossary, the workbench's own state).
PROTECTED = ("en", "zh", "glossary", ".workbench")


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def refuse_inside_book(root: Path, out: Path, shown: str, builtin: bool = False) -> None:
    """Refuse (exit 2) an output inside en/, zh/, glossary/ or .workbench/ of the book at `root`
    (anywhere in the built-in book, which is never written)."""
    at = Path(os.path.abspath(out)).resolve()
    book = root.resolve()
    if builtin and _within(at, book):
        raise WorkbenchError("is inside the workbench's built-in book, which is never written; "
                             "write the export elsewhere", shown)
    for part in PROTECTED:
        if _within(at, (book / part).resolve()):
            raise WorkbenchError(f"is inside the book's {part}/ folder and would overwrite the book's own files; "
                                 f"write the export outside {', '.join(p + '/' for p in PROTECTED)}", shown)


def check_folder(out: Path, shown: str, names: list[str]) -> None:
    """Refuse, before anything is written, an output folder that cannot take the files `names`:
    it is a file, a folder on a file's path is a file, a file there is read-only."""
    if out.exists() and not out.is_dir():
        raise WorkbenchError("is a file; name a folder for this export", shown)
    for name in names:
        target = out / name
        for parent in reversed(target.relative_to(out).parents):
            at = out / parent
            if at.exists() and not at.is_dir():
                raise WorkbenchError("is a file where the export needs a folder; move it away or choose another -o",
                                     f"{shown.rstrip('/')}/{parent.as_posix()}")
        files.writable(target, f"{shown.rstrip('/')}/{name}")


def write_folder(out: Path, shown: str, pages: dict[str, str], progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Write `pages` (name -> text) under `out`, each atomically, after checking every target.

    Returns the names written; `progress(done, total)` is told after each file.
    """
    names = sorted(pages)
    check_folder(out, shown, names)
    for n, name in enumerate(names, 1):
        files.write_atomic(out / name, pages[name], f"{shown.rstrip('/')}/{name}")
        if progress:
            progress(n, len(names))
    return names
