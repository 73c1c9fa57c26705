"""`workbench export`: the book's pairs as XLIFF or TMX for a CAT tool (OmegaT, Trados, memoQ)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import files
from ..model import WorkbenchError
from .common import add_book, open_book


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="write the pairs as XLIFF (to translate in a CAT tool) or TMX (a translation memory)",
        description="XLIFF 1.2 holds every pair (untranslated ones too) with its file and msgctxt in the unit "
        "ids, so `workbench import-translations` can bring the translations back; TMX holds the translated, "
        "not stale pairs with the file and msgctxt as props.")
    add_book(p)
    p.add_argument("files", nargs="*", metavar="FILE", help="only these English files (default: all)")
    p.add_argument("--format", choices=("xliff", "tmx"), required=True)
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..exchange import (
        export,  # translate-toolkit: loaded only when a command needs it
    )

    book = open_book(args)
    rels = [book.rel(f) for f in args.files] or book.english_files()
    out = Path(args.output)
    if any(out.resolve().is_relative_to((book.root / part).resolve()) for part in ("en", "zh", "glossary")):
        raise WorkbenchError("would overwrite the book's own files; write the export outside en/, zh/ and glossary/",
                             args.output)
    data = export(book, rels, args.format)
    files.write_atomic(out, data)
    print(f"wrote {args.output}: {len(rels)} file{'s' if len(rels) != 1 else ''} as {args.format.upper()}")
    return 0

