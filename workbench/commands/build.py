"""`workbench build en|zh`: one notebook per section under _build/LANG/, the code run once for both."""

from __future__ import annotations

import argparse
import logging
import sys

from ..build import build
from ..build.notebooks import LANGUAGES
from ..build.report import Built
from ..build.tabs import DEFAULT_TAB
from ..model import WorkbenchError
from .common import add_book, named_files, open_book, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build Jupyter notebooks _build/LANG/*.ipynb (code shared by the languages, outputs cached)",
    )
    add_book(p)
    p.add_argument("lang", choices=LANGUAGES, help="the language of the notebooks' text")
    p.add_argument("files", nargs="*", metavar="FILE", help="only these English files (default: the whole book)")
    p.add_argument("--tab", default=DEFAULT_TAB, help=f"the framework whose code cells go in (default {DEFAULT_TAB})")
    p.add_argument("--execute", action="store_true", help="run the notebooks whose outputs are not cached yet")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="run N notebooks at once, each in its own kernel")
    p.add_argument("--timeout", type=float, default=600, metavar="SECONDS", help="per-cell time limit (default 600)")
    p.add_argument("--retry-failed", action="store_true", help="run again notebooks whose cached outputs hold an error")
    p.add_argument("--strict", action="store_true", help="exit 1 when a cell failed")
    p.add_argument("--mark-stale", action="store_true",
                   help="zh: a stale paragraph says its Chinese may be out of date, with a link to the English")
    p.add_argument("--dry-run", action="store_true", help="say what would be written and run; write and run nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def _progress(done: int, total: int, built: Built | None) -> None:
    if built is None:
        print(f"executing {total} notebooks", file=sys.stderr, flush=True)
        return
    failed = f", {len(built.failures)} failed" if built.failures else ""
    print(
        f"[{done}/{total}] {built.notebook}: {built.executed} cells in {built.seconds:.1f} s{failed}",
        file=sys.stderr,
        flush=True,
    )


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise WorkbenchError("-j needs a number of kernels of at least 1")
    if args.timeout <= 0:
        raise WorkbenchError("--timeout needs a positive number of seconds")
    if args.mark_stale and args.lang != "zh":
        raise WorkbenchError("--mark-stale marks stale Chinese: use it with `build zh`")
    # nbclient leaves an output-polling task behind when a cell times out; asyncio would
    # complain about it on stderr ("Task was destroyed but it is pending") when it is collected
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    book = open_book(args, write=True)
    rels = named_files(book, args.files) or None
    summary = build(
        book, args.lang, rels, tab=args.tab, run=args.execute, jobs=args.jobs, timeout=args.timeout,
        retry_failed=args.retry_failed, dry_run=args.dry_run, progress=None if args.dry_run else _progress,
        mark_stale=args.mark_stale,
    )
    failed = summary.failures
    if args.json:
        data = summary.as_json()
        if args.mark_stale:
            data["stale_marked"] = summary.stale
        print_json(data)
    else:
        would = "would be " if args.dry_run else ""
        written = sum(b.written for b in summary.notebooks)
        print(f"{len(summary.notebooks)} notebooks in _build/{args.lang}/, {written} {would}written")
        verb = "to execute" if args.dry_run else "executed"
        print(f"cells: {summary.cells_executed} {verb}, {summary.cells_cached} cached, {len(failed)} failed"
              f" ({summary.seconds:.1f} s)")
        if summary.untranslated:
            print(f"{summary.untranslated} units not translated yet, shown in English")
        if args.mark_stale:
            print(f"{summary.stale} stale pairs marked as possibly out of date")
        for f in failed:
            again = " (cached; --retry-failed runs it again)" if f.cached else ""
            print(f"en/{_rel(f.file)}:{f.line}: cell {f.cell} of {f.file}: {f.error}{again}")
    return 1 if args.strict and failed else 0


def _rel(notebook: str) -> str:
    """_build/LANG/PATH.ipynb -> PATH.md"""
    return notebook.split("/", 2)[2].removesuffix(".ipynb") + ".md"
