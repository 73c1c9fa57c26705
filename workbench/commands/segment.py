"""`workbench segment FILE...`: show how files split into units."""

from __future__ import annotations

import argparse
import json
import sys

from ..files import read_text
from ..markdown import segment


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("segment", help="split d2l Markdown files into translatable and shared units")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="one JSON object per file and line")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # read and segment every file first: bad input fails before anything is printed
    docs = [segment(read_text(name), name) for name in args.files]
    for doc in docs:
        if args.json:
            units = [
                {"kind": u.kind, "translatable": u.translatable, "lines": [u.start, u.end], "source": u.source}
                for u in doc.units
            ]
            sys.stdout.write(json.dumps({"file": doc.path, "units": units}, ensure_ascii=False) + "\n")
            continue
        print(f"== {doc.path}: {len(doc.translatable)} translatable units of {len(doc.units)}")
        for u in doc.units:
            if u.kind == "markup":
                continue
            mark = "T" if u.translatable else "-"
            text = u.source if len(u.source) < 72 else u.source[:69] + "..."
            print(f"{u.start:5}-{u.end:<5} {mark} {u.kind:<10} {text!r}")
    return 0
