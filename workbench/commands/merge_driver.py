"""`workbench merge-driver %O %A %B %P`: git's merge driver for the book's PO files (see `init --git`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..git_driver import merge_files
from ..model import WorkbenchError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "merge-driver",
        help="git's merge driver for PO files: merges unit by unit (`workbench init --git` registers it)",
        description="Merge two versions of a PO file against their common ancestor, unit by unit, and write "
        "the result over OURS. Units changed on one side take that side; a unit translated differently on both "
        "keeps this branch's text, the other's as a CONFLICT note, the entry fuzzy, and the exit code is 1 so "
        "that git reports the conflict. A version that cannot be read: exit 2, OURS left as it is.",
    )
    p.add_argument("base", metavar="BASE", help="the common ancestor's version (git's %%O)")
    p.add_argument("ours", metavar="OURS", help="this branch's version, overwritten with the result (%%A)")
    p.add_argument("theirs", metavar="THEIRS", help="the other branch's version (%%B)")
    p.add_argument("path", nargs="?", default="", metavar="PATH", help="the file's path in the repository (%%P)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    shown = args.path or args.ours
    try:
        merged = merge_files(Path(args.base), Path(args.ours), Path(args.theirs), shown)
    except WorkbenchError as e:  # git keeps OURS as the file and reports the conflict
        raise WorkbenchError(f"{e.message}; the file is left as this branch has it (the other branch's "
                             f"version: `git show :3:{shown}`)", e.path, e.line) from None
    for c in merged.conflicts:
        print(c.told(shown), file=sys.stderr)
    return 1 if merged.conflicts else 0
