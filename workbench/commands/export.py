"""`workbench export`: the pairs for a CAT tool (XLIFF, TMX), or an edition for readers and
reviewers (bilingual Markdown in the seed's layout, HTML side by side with a progress page)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import files
from ..book import Book
from ..editions import FORMATS as EDITIONS
from ..editions import make
from ..editions.output import check_folder, refuse_inside_book, write_folder
from ..model import WorkbenchError
from .common import ProgressBar, add_book, named_files, open_book, print_json

_EXCHANGE = ("xliff", "tmx")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="write the pairs as XLIFF or TMX (for a CAT tool), or a bilingual or HTML edition",
        description="XLIFF 1.2 holds every pair (untranslated ones too) with its file and msgctxt in the unit "
        "ids, so `workbench import-translations` can bring the translations back; TMX holds the translated, "
        "not stale pairs with the file and msgctxt as props. The editions go to a folder: "
        + "; ".join(f"{name}: {what}" for name, (what, _make) in EDITIONS.items()) + ".")
    add_book(p)
    p.add_argument("files", nargs="*", metavar="FILE", help="only these English files (default: all)")
    p.add_argument("--format", choices=(*_EXCHANGE, *EDITIONS), required=True)
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the file to write (xliff, tmx) or the folder (bilingual, html); never inside the book's "
                   "en/, zh/, glossary/ or .workbench/; an edition replaces only files an export wrote there")
    p.add_argument("--dry-run", action="store_true", help="work the export out and say what would be written")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    book = open_book(args)
    rels = named_files(book, args.files) or book.english_files()
    if not args.output.strip():  # Path("") is the current folder: an unset variable must not write there
        raise WorkbenchError("is empty; name the file or folder to write", "-o")
    out = Path(args.output)
    refuse_inside_book(book.root, out, args.output, book.builtin)
    if args.format in _EXCHANGE:
        return _exchange(args, book, rels, out)
    bar = ProgressBar.on_terminal()
    try:
        edition = make(book, rels, args.format, bar)
        if args.dry_run:  # checked as the real run would check, nothing written
            written = sorted(edition.files)
            check_folder(out, args.output, written, book.root, book.builtin)
        else:
            written = write_folder(out, args.output, edition.files,
                                   (lambda done, total: bar("write", done, total)) if bar else None,
                                   book.root, book.builtin)
    finally:
        if bar:
            bar.clear()
    for w in edition.warnings:
        print(f"workbench: warning: {w}", file=sys.stderr)
    if args.json:
        data: dict[str, object] = {"format": args.format, "output": args.output, "dry_run": args.dry_run,
                                   "files": len(rels), "written": written, "warnings": edition.warnings}
        if edition.progress is not None:
            data["pairs"] = edition.progress.as_dict()
        print_json(data)
        return 0
    verb = "would write" if args.dry_run else "wrote"
    p = edition.progress
    counts = f" ({p.pairs} pairs: {p.translated} translated, {p.stale} stale, {p.untranslated} untranslated)" if p else ""
    plural = {n: "" if n == 1 else "s" for n in (len(written), len(rels))}
    print(f"{verb} {len(written)} file{plural[len(written)]} to {args.output}: {len(rels)} English file{plural[len(rels)]} "
          f"as the {args.format} edition{counts}")
    if edition.warnings:
        print(f"{len(edition.warnings)} warnings (above, on stderr)")
    return 0


def _exchange(args: argparse.Namespace, book: Book, rels: list[str], out: Path) -> int:
    from ..exchange import (
        export,  # translate-toolkit: loaded only when a command needs it
    )

    if out.is_dir():
        raise WorkbenchError(f"is a folder; name the {args.format.upper()} file to write", args.output)
    data = export(book, rels, args.format)
    if not args.dry_run:
        files.write_atomic(out, data, args.output)
    if args.json:
        print_json({"format": args.format, "output": args.output, "dry_run": args.dry_run, "files": len(rels),
                    "written": [] if args.dry_run else [args.output], "warnings": []})
        return 0
    verb = "would write" if args.dry_run else "wrote"
    print(f"{verb} {args.output}: {len(rels)} file{'s' if len(rels) != 1 else ''} as {args.format.upper()}")
    return 0
