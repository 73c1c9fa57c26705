"""`workbench import-bilingual FILE --as PATH`: a file of interleaved English and Chinese into the book."""

from __future__ import annotations

import argparse

from .. import bilingual
from ..book import Book
from ..files import read_text
from ..markdown import segment
from ..model import Pair
from ..store import Catalog, keep_obsolete
from ..structure import set_aside
from .common import add_book, open_book


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-bilingual", help="import a file that interleaves English and Chinese paragraphs")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--as", dest="path", required=True, metavar="PATH", help="where it goes: en/PATH.md")
    add_book(p)
    p.add_argument("--dry-run", action="store_true", help="report what would be written, write nothing")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    book = open_book(args, write=True)
    name = args.path if args.path.endswith((".md", ".po")) else args.path + ".md"
    rel = book.rel(name, new=True)  # inside the book, or refused
    english, found = bilingual.split(read_text(args.file))
    segment(english, f"en/{rel}")  # refuse bad structure before writing anything
    pairs = bilingual.pairs(english, found, f"en/{rel}")
    for p in pairs:
        set_aside(p, "import-bilingual")
    done = sum(1 for p in pairs if p.chinese)
    notes = sum(len(p.notes) for p in pairs)
    print(f"en/{rel}: {len(pairs)} units, {done} translated, {notes} Chinese paragraphs kept as notes")
    if args.dry_run:  # worked out and checked as the real run would be, nothing written
        book.plan_save(rel, _catalog(book, rel, pairs), english=english)
        return 0
    with book.lock("import-bilingual"):
        # everything is worked out and checked first: a refusal leaves every file as it was
        plan = book.plan_save(rel, _catalog(book, rel, pairs), english=english)
        book.apply([plan])
    for c in plan.conflicts:
        print(c.told(plan.path))
    print(f"wrote en/{rel}, {book.shown(book.po_path(rel))}, {plan.path}")
    return 1 if plan.conflicts else 0


def _catalog(book: Book, rel: str, pairs: list[Pair]) -> Catalog:
    """The imported pairs; a translation in the book's PO that the import does not have stays, obsolete."""
    old = book.catalog(rel) if book.has_catalog(rel) else None
    catalog = Catalog(f"en/{rel}", pairs)
    if old:  # nothing is lost
        catalog.rendered, catalog.metadata, catalog.header_comment = old.rendered, old.metadata, old.header_comment
        keep_obsolete(catalog, [p for p in old.pairs if p.chinese])
    return catalog
