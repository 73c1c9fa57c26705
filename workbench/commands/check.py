"""`workbench check`: translation checks over the translated pairs (references, code, math, style)."""

from __future__ import annotations

import argparse
from collections import Counter

from .. import qa
from ..checking import check_book
from ..files import terminal_safe
from ..progress import REPORTED, SEVERITIES, Severity, reported
from .common import add_book, named_files, open_book, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check translations: references, code, math, links, numbers, d2l-zh style")
    add_book(p)
    p.add_argument("files", nargs="*", metavar="FILE", help="only these English files")
    p.add_argument("--json", action="store_true", help='print {"findings": [...]}')
    p.add_argument("--only", metavar="CHECK[,CHECK]", help="run only these checks (see --list)")
    p.add_argument("--severity", choices=SEVERITIES, default=REPORTED,
                   help=f"report this severity and worse (default: {REPORTED}, what the TUI counts; info adds changed links)")
    p.add_argument("--list", action="store_true", help="list the checks and exit")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.list:
        for c in qa.CHECKS:
            print(f"{c.name:<18} {c.doc}")
        return 0
    book = open_book(args)
    rels = named_files(book, args.files) or None
    only = [x.strip() for x in args.only.split(",") if x.strip()] if args.only else None
    findings = reported(check_book(book, rels, only), args.severity)
    if args.json:
        print_json({"findings": [f.as_dict() for f in findings]})
    else:
        for f in findings:
            print(terminal_safe(str(f)))
        counts = Counter(f.severity for f in findings)
        print(f"{counts['error']} errors, {counts['warning']} warnings"
              + (f", {counts['info']} notes" if counts["info"] else ""))
    return 1 if any(f.severity == Severity.ERROR for f in findings) else 0
