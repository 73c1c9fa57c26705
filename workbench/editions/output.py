"""Where an export goes: a file or folder the user names (-o), never inside the book's own parts,
every target checked before the first write, each file written atomically.

An export replaces only what an export wrote: the names it wrote are kept in the folder
(MANIFEST), and any other file already standing where a page would go is refused, so that
`-o ~` or `-o .` never overwrites a file of the user's own (their index.html, README.md).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from .. import files
from ..files import refuse_inside_book
from ..model import WorkbenchError

#: The list, in the output folder, of the files the last export wrote there (one name a line).
MANIFEST = ".workbench-edition"


def _read_only(folder: Path) -> bool:
    """True for a folder without its owner's write bit: "do not change", even for root (files.writable)."""
    try:
        return not os.stat(folder).st_mode & stat.S_IWUSR
    except OSError:
        return False


def written_before(out: Path) -> set[str]:
    """The names the last export wrote in `out` (none when it holds no MANIFEST)."""
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {line for line in text.split("\n") if line}


def check_folder(out: Path, shown: str, names: list[str], book_root: Path | None = None,
                 builtin: bool = False) -> None:
    """Refuse, before anything is written, an output folder that cannot take the files `names`:
    it is a file or read-only, a folder on a file's path is a file, read-only, or a symlink into
    the book's own parts, a file there is read-only or not one an earlier export wrote."""
    if out.exists() and not out.is_dir():
        raise WorkbenchError("is a file; name a folder for this export", shown)
    top = shown.rstrip("/") or "/"
    first = Path(os.path.abspath(out))  # the nearest folder that exists: where the export starts writing
    while not first.exists() and first != first.parent:
        first = first.parent
    if first.is_dir() and _read_only(first):
        raise WorkbenchError("is a read-only folder; make it writable (chmod u+w) or choose another -o",
                             str(first) if first != Path(os.path.abspath(out)) else shown)
    before = written_before(out)
    for name in [*names, MANIFEST]:
        target = out / name
        for parent in reversed(target.relative_to(out).parents):
            at = out / parent
            where = f"{top}/{parent.as_posix()}" if parent != Path(".") else shown
            if at.exists() and not at.is_dir():
                raise WorkbenchError("is a file where the export needs a folder; move it away or choose another -o", where)
            if parent != Path(".") and at.is_dir() and _read_only(at):
                raise WorkbenchError("is a read-only folder; make it writable (chmod u+w) or choose another -o", where)
            if book_root is not None and at.is_symlink():
                refuse_inside_book(book_root, at, where, builtin)
        files.writable(target, f"{top}/{name}")
        if name != MANIFEST and (target.exists() or target.is_symlink()) and name not in before:
            raise WorkbenchError(f"is not a file an export wrote here (not listed in {MANIFEST}); move it away "
                                 "or choose another -o: an export never overwrites other files", f"{top}/{name}")


def _order(name: str) -> tuple[bool, str]:
    # the pages in folders first, the files at the top (index.html, linking them) last: a killed
    # export leaves no index pointing at pages not written yet
    return "/" not in name, name


def write_folder(out: Path, shown: str, pages: dict[str, str], progress: Callable[[int, int], None] | None = None,
                 book_root: Path | None = None, builtin: bool = False) -> list[str]:
    """Write `pages` (name -> text) under `out`, each atomically, after checking every target;
    then the MANIFEST naming them (with those of earlier exports still there).

    Returns the names written; `progress(done, total)` is told after each file.
    """
    names = sorted(pages, key=_order)
    check_folder(out, shown, names, book_root, builtin)
    top = shown.rstrip("/") or "/"
    kept = {n for n in written_before(out) if n not in pages and (out / n).is_file()}
    for n, name in enumerate(names, 1):
        files.remove_leftovers(out / name)  # of an export killed while writing it
        files.write_atomic(out / name, pages[name], f"{top}/{name}")
        if progress:
            progress(n, len(names))
    files.write_atomic(out / MANIFEST, "".join(f"{n}\n" for n in sorted(kept | set(names))), f"{top}/{MANIFEST}")
    return sorted(names)
