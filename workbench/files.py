"""Reading and writing files safely: strict UTF-8 with the line of a bad byte, atomic writes, the book's lock.

Every write in the workbench goes through `write_atomic`, so a killed process leaves each file
either as it was or as it should be, never half-written.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

from .model import WorkbenchError


def code_version(*modules: ModuleType) -> str:
    """A hash of the source of `modules`: what a cache made by that code is keyed by, so that a
    cache written by other code (another version, an edited checkout) is not used."""
    h = hashlib.sha1()
    for module in modules:
        h.update(Path(module.__file__ or "").read_bytes())
    return h.hexdigest()[:16]


def read_text(path: Path | str, shown: str | None = None) -> str:
    """A file as text; bad UTF-8 is an error naming the line. A BOM and CRLF are kept as they are."""
    path = Path(path)
    name = shown or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise WorkbenchError("no such file", name) from None
    except IsADirectoryError:
        raise WorkbenchError("is a directory, not a file", name) from None
    except OSError as e:
        raise WorkbenchError(f"cannot read: {e.strerror}", name) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise WorkbenchError(
            f"not UTF-8 (byte 0x{data[e.start]:02x}); convert the file to UTF-8, e.g. with iconv", name, line
        ) from None


#: Longest file name, in bytes, kept whole in a temporary name (NAME_MAX is 255 on most file systems).
_TEMP_NAME_MAX = 100
# write_atomic's temporary files: `.NAME.XXXXXXXX.tmp`, NAME cut to `.HEAD~.EXT` when long
_TEMPORARY = re.compile(r"^\..+\.(po|md|tsv|json|csv|tbx|txt|ipynb)\.[^./]+\.tmp$")
#: Characters no file name in a book may hold (they break PO `#:` lines and every message).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def has_control(name: str) -> bool:
    """True when a file name holds a control character (a newline, a tab...): refused everywhere."""
    return bool(_CONTROL.search(name))


def printable(name: str) -> str:
    """A file name as messages show it: control characters escaped (\\n), so a message stays one line."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


# What a terminal takes for a command (ESC starts the sequences that retitle, recolour, move the
# cursor; \x9b is ESC [ in 8 bits): every control character but the line break and the tab
_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def terminal_safe(text: str) -> str:
    """Text from a book (a PO mark, a translation) as a command prints it: control characters
    escaped (\x1b), so a file from elsewhere cannot drive the reader's terminal."""
    return _TERMINAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def is_temporary(name: str) -> bool:
    """True for the name of a temporary file `write_atomic` leaves behind when it is killed."""
    return bool(_TEMPORARY.match(name))


def _temporary_prefix(name: str) -> str:
    """`.NAME.`, short enough that mkstemp's name fits the file system however long NAME is."""
    if len(name.encode("utf-8")) > _TEMP_NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        ext = ext if dot and len(ext) <= 8 else "tmp"
        head = stem.encode("utf-8")[: _TEMP_NAME_MAX - 16].decode("utf-8", "ignore")
        name = f"{head}~.{ext}"
    return f".{name}."


def remove_leftovers(path: Path) -> int:
    """Remove the temporary files `write_atomic` left beside `path` when a writer of it was killed
    (`.NAME.XXXXXXXX.tmp`, mkstemp's eight random characters); returns how many."""
    prefix = _temporary_prefix(path.name)
    n = 0
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if (name.startswith(prefix) and name.endswith(".tmp") and len(name) == len(prefix) + 12
                and entry.is_file(follow_symlinks=False)):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                n += 1
    return n


def _umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def writable(path: Path, shown: str | None = None) -> int | None:
    """Check that `path` may be replaced; returns the mode it must keep (None: a new file).

    A file without its owner's write bit is the owner saying "do not change": refused, even for root.
    """
    name = shown or str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise WorkbenchError("cannot be written: a folder on its path is a file", name) from None
    except OSError as e:
        raise WorkbenchError(f"cannot be written: {e.strerror}", name) from None
    if stat.S_ISDIR(st.st_mode):
        raise WorkbenchError("is a folder, not a file", name)
    if not st.st_mode & stat.S_IWUSR:
        raise WorkbenchError("is read-only; make it writable (chmod u+w) to let the workbench change it", name)
    return stat.S_IMODE(st.st_mode)


def write_atomic(path: Path | str, text: str | bytes, shown: str | None = None) -> None:
    """Write through a temporary file in the same folder and rename it over the target.

    An existing file keeps its mode, a new one gets the umask's; a read-only file is refused.
    Any failure (disk full, a read-only folder) is a WorkbenchError naming the file, and the
    target is left as it was.
    """
    write_many([(Path(path), text, shown or str(path))])


#: Files written to their temporaries at once by write_many: each waits for the disk (fsync)
#: on its own, a few milliseconds that add up over a book of hundreds of files.
_AT_ONCE = 8


def write_many(writes: Sequence[tuple[Path, str | bytes, str]], durable: bool = True) -> None:
    """write_atomic for several files (path, text, name shown), renamed over their targets in
    this order. Each file's temporary is written and flushed to disk first, several at a time;
    if one of them fails (disk full, a read-only folder) no target is touched, and the
    WorkbenchError names the first file that failed. durable=False (a cache, which can be made
    again) does not wait for the disk: still atomic, but a power cut may lose the write."""
    jobs = []
    for path, text, name in writes:
        mode = writable(path, name)
        data = text.encode("utf-8") if isinstance(text, str) else text
        jobs.append((path, data, name, 0o666 & ~_umask() if mode is None else mode, durable))
    if len(jobs) > 1:
        with ThreadPoolExecutor(min(_AT_ONCE, len(jobs))) as pool:
            made = list(pool.map(lambda job: _temporary(*job), jobs))
    else:
        made = [_temporary(*job) for job in jobs]
    renamed = 0
    try:
        failed = next((tmp for tmp in made if isinstance(tmp, WorkbenchError)), None)
        if failed is not None:
            raise failed
        for (path, _, name, _, _), tmp in zip(jobs, made, strict=True):
            assert isinstance(tmp, str)
            try:
                os.replace(tmp, path)
            except OSError as e:
                raise WorkbenchError(f"cannot be written: {_reason(e)}; nothing was changed in it", name) from None
            renamed += 1
    finally:
        for tmp in made[renamed:]:
            if isinstance(tmp, str):
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def _temporary(path: Path, data: bytes, name: str, mode: int, durable: bool) -> str | WorkbenchError:
    """A temporary file beside `path` holding `data`, on disk; or the error saying why not (the
    temporary removed)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_temporary_prefix(path.name), suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), mode)
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        return tmp
    except OSError as e:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return WorkbenchError(f"cannot be written: {_reason(e)}; nothing was changed in it", name)


def _reason(e: OSError) -> str:
    """An OSError as a short reason, with what to do for the common ones."""
    if e.errno == errno.ENOSPC:
        return "the disk is full; free some space and run the command again"
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (is the folder read-only?)"
    if e.errno in (errno.ENOTDIR, errno.EEXIST):
        return "a folder on its path is a file"
    if e.errno == errno.ENAMETOOLONG:
        return "the file name is too long for this file system"
    return e.strerror or str(e)


LOCK_NAME = ".workbench.lock"


@contextlib.contextmanager
def book_lock(root: Path | str, what: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the book's lock while writing; a second writer is told which command and process hold it.

    The lock is a file created exclusively, holding the owner's pid; a lock left by a process
    that no longer runs (killed mid-write) is taken over.
    """
    lock = Path(root) / LOCK_NAME
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner, holder = _lock_owner(lock)
            if owner is not None and not _alive(owner):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(lock)
                continue
            if time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            who = f"process {owner}" if owner else "another process"
            if holder and not holder.startswith("workbench"):
                holder = f"workbench {holder}"
            doing = f"`{holder}`" if holder else "another workbench command"
            raise WorkbenchError(
                f"the book is locked by {who} ({doing} is writing); try again when it is done",
                str(lock),
            ) from None
        except OSError as e:
            raise WorkbenchError(f"cannot take the book's lock: {_reason(e)}", str(lock)) from None
        try:
            with os.fdopen(fd, "w") as f:
                f.write(f"{os.getpid()} {' '.join(what.split())}\n")
        except OSError as e:
            with contextlib.suppress(OSError):
                os.unlink(lock)
            raise WorkbenchError(f"cannot take the book's lock: {_reason(e)}", str(lock)) from None
        break
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock)


def _lock_owner(lock: Path) -> tuple[int | None, str]:
    """The pid and the command (`what`) written in a lock file; (None, "") when unreadable."""
    try:
        pid, _, holder = lock.read_text(encoding="utf-8").strip().partition(" ")
        return int(pid), holder
    except (OSError, ValueError):
        return None, ""


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: The parts of a book no export or build may write into (its English, its pairs and edition, its
#: glossary, the workbench's own state).
PROTECTED = ("en", "zh", "glossary", ".workbench")


def within(path: Path, folder: Path) -> bool:
    """True when `path` is `folder` or inside it (both resolved by the caller)."""
    return path == folder or folder in path.parents


def refuse_inside_book(root: Path, out: Path, shown: str, builtin: bool = False) -> None:
    """Refuse (exit 2) an output inside en/, zh/, glossary/ or .workbench/ of the book at `root`
    (anywhere in the built-in book, which is never written). Symlinks are followed: a folder
    linked into the book is inside it."""
    at = Path(os.path.abspath(out)).resolve()
    book = root.resolve()
    if at == at.parent:
        raise WorkbenchError("is the root of the file system; name a folder of its own for the output", shown)
    if builtin and within(at, book):
        raise WorkbenchError("is inside the workbench's built-in book, which is never written; "
                             "write it elsewhere", shown)
    for part in PROTECTED:
        if within(at, (book / part).resolve()):
            raise WorkbenchError(f"is inside the book's {part}/ folder and would overwrite the book's own files; "
                                 f"write it outside {', '.join(p + '/' for p in PROTECTED)}", shown)
