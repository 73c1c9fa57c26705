"""The workbench as git's merge driver for PO files: registering it, and running it.

`workbench init --git` writes `zh/**/*.po merge=workbench` into the book's .gitattributes and
names the command in the repository's git config (merge.workbench.driver); git then calls
`workbench merge-driver %O %A %B %P` for every PO file both branches changed, and the PO is
merged unit by unit (po_merge.py) instead of line by line.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from . import files
from .book import STATE
from .model import WorkbenchError
from .po_merge import MergedPo, merge_texts

#: The driver's name in .gitattributes and in the git config.
NAME = "workbench"
#: The .gitattributes line that sends the book's PO files to the driver.
ATTRIBUTE = f"zh/**/*.po merge={NAME}"
#: The .gitignore lines that keep the workbench's own state (the merge base of zh/*.md, the
#: lock) out of git: each clone has its own.
IGNORED = [f"/{STATE}/", f"/{files.LOCK_NAME}"]
#: merge.workbench.name: what git shows for the driver.
DESCRIPTION = "workbench: PO files merged unit by unit"
_ARGS = "merge-driver %O %A %B %P"


def driver_command() -> str:
    """The command git runs: `workbench merge-driver ...` when the `workbench` script is on PATH,
    else this Python running the package (git may run without the virtual environment's PATH)."""
    if shutil.which("workbench"):
        return f"workbench {_ARGS}"
    return f"{shlex.quote(sys.executable)} -m workbench {_ARGS}"


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise WorkbenchError("git is not installed (or not on PATH); install it, then `git init`", str(cwd)) from None


def repository(folder: Path) -> Path:
    """The top of the git repository `folder` is in (it need not exist yet: its nearest existing
    parent is asked). Refuses a folder outside a repository."""
    here = folder
    while not here.is_dir():
        if here.parent == here:
            break
        here = here.parent
    r = _git(["rev-parse", "--show-toplevel"], here)
    if r.returncode != 0:
        raise WorkbenchError("not in a git repository; run `git init` there first, then `workbench init --git` "
                             "(nothing was written)", str(folder))
    return Path(r.stdout.strip()).resolve()


def register(root: Path) -> list[str]:
    """Register the driver for the book at `root` (in a git repository): the .gitattributes line
    in the book's folder (and .gitignore lines for the workbench's own state) and the two git
    config values. Idempotent: what is there already is
    kept (a driver command set by hand too). Returns what was added, one line each."""
    top = repository(root)
    wanted = [(root / ".gitattributes", [ATTRIBUTE]), (root / ".gitignore", IGNORED)]
    for path, _ in wanted:
        files.writable(path, str(path))  # refused before anything is written
    done: list[str] = []
    for path, lines in wanted:
        old = files.read_text(path) if path.is_file() else ""
        new = [line for line in lines if line not in (have.strip() for have in old.splitlines())]
        if new:
            files.write_atomic(path, old + ("\n" if old and not old.endswith("\n") else "") + "".join(
                f"{line}\n" for line in new))
            done += [f"{path}: {line}" for line in new]
    for key, value in (("name", DESCRIPTION), ("driver", driver_command())):
        name = f"merge.{NAME}.{key}"
        if _git(["config", "--local", "--get", name], top).returncode == 0:
            continue  # set already (maybe by hand: a full path to the command)
        r = _git(["config", "--local", name, value], top)
        if r.returncode != 0:
            raise WorkbenchError(f"git config {name} failed: {r.stderr.strip()}", str(top))
        done.append(f"git config {name} {shlex.quote(value)}")
    return done


def merge_files(base: Path, ours: Path, theirs: Path, shown: str) -> MergedPo:
    """What the driver does: merge the three versions git gives (`%O %A %B`) and write the
    result over `ours` (%A). `shown` is the file's path in the repository (%P), for messages.
    A version that cannot be read raises WorkbenchError and `ours` is left as it is."""
    base_text, ours_text, theirs_text = (files.read_text(p, f"{shown} ({side})") for p, side in (
        (base, "the common ancestor"), (ours, "this branch"), (theirs, "the other branch")))
    merged = merge_texts(base_text, ours_text, theirs_text, path=shown)
    if merged.text != ours_text:
        files.write_atomic(ours, merged.text, shown)
    return merged
