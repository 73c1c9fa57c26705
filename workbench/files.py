"""Reading and writing files safely: strict UTF-8 with the line of a bad byte, atomic writes, the book's lock.

Every write in the workbench goes through `write_atomic`, so a killed process leaves each file
either as it was or as it should be, never half-written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .model import WorkbenchError


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


def write_atomic(path: Path | str, text: str | bytes) -> None:
    """Write through a temporary file in the same folder and rename it over the target."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


LOCK_NAME = ".workbench.lock"


@contextlib.contextmanager
def book_lock(root: Path | str, wait: float = 0.0, what: str = "workbench") -> Iterator[None]:
    """Hold the book's lock while writing; a second writer is told who holds it.

    The lock is a file created exclusively, holding the owner's pid; a lock left by a process
    that no longer runs (killed mid-write) is taken over.
    """
    lock = Path(root) / LOCK_NAME
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = _lock_owner(lock)
            if owner is not None and not _alive(owner):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(lock)
                continue
            if time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            who = f"process {owner}" if owner else "another process"
            raise WorkbenchError(
                f"the book is locked by {who} (a sync or a TUI save is writing); try again when it is done",
                str(lock),
            ) from None
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()} {what}\n")
        break
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock)


def _lock_owner(lock: Path) -> int | None:
    try:
        return int(lock.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


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
