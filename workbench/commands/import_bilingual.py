"""`workbench import-bilingual FILE --as PATH`: a file of interleaved English and Chinese into the book."""

from __future__ import annotations

import argparse

from .. import bilingual
from ..files import read_text
from ..markdown import segment
from ..store import Catalog
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
    book = open_book(args)
    rel = args.path.removeprefix("en/")
    if not rel.endswith(".md"):
        rel += ".md"
    english, found = bilingual.split(read_text(args.file))
    segment(english, f"en/{rel}")  # refuse bad structure before writing anything
    pairs = bilingual.pairs(english, found, f"en/{rel}")
    for p in pairs:
        set_aside(p, "import-bilingual")
    done = sum(1 for p in pairs if p.chinese)
    notes = sum(len(p.notes) for p in pairs)
    print(f"en/{rel}: {len(pairs)} units, {done} translated, {notes} Chinese paragraphs kept as notes")
    if args.dry_run:
        return 0
    with book.lock("import-bilingual"):
        book.write_english(rel, english)
        old = book.catalog(rel) if book.has_catalog(rel) else None
        catalog = Catalog(f"en/{rel}", pairs, rendered=old.rendered if old else "")
        if old:  # a translation the new import does not have stays, as obsolete: nothing is lost
            have = {(p.english, p.chinese) for p in pairs}
            for p in old.pairs:
                if p.chinese and (p.english, p.chinese) not in have:
                    p.obsolete, p.context = True, ""
                    catalog.pairs.append(p)
                    have.add((p.english, p.chinese))
        r = book.save(rel, catalog)
    print(f"wrote en/{rel}, {book.shown(book.po_path(rel))}, {r.path}")
    return 0
