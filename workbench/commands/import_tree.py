"""`workbench import --en DIR --zh DIR`: start tracking a Chinese edition made without the workbench."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..align.confidence import REVIEW_BELOW
from ..book import Book
from ..importer import import_tree
from ..model import WorkbenchError
from ..progress import total
from .common import print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import a parallel English/Chinese tree into a book (aligning every file pair)")
    p.add_argument("--en", required=True, metavar="DIR", help="the English tree (d2l-en)")
    p.add_argument("--zh", required=True, metavar="DIR", help="the Chinese tree (d2l-zh); files pair by relative path")
    p.add_argument("--book", metavar="PATH",
                   help="book folder to write (created if missing; default: the current folder if it has en/)")
    p.add_argument("--dry-run", action="store_true", help="align and report, write nothing")
    p.add_argument("--json", action="store_true")
    p.add_argument("--review", type=int, default=3, metavar="N", help="beads to show per file for review (default 3)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.book:
        root = Path(args.book)
        if root.exists() and not root.is_dir():
            raise WorkbenchError("is not a folder", args.book)
    else:
        root = Path.cwd()
        if not (root / "en").is_dir():
            raise WorkbenchError("no book here (no en/ folder); name the book folder with --book PATH", str(root))
    book = Book(root)
    report = import_tree(Path(args.en), Path(args.zh), book, dry_run=args.dry_run)
    problems = sum(bool(f.warnings) for f in report.files)
    if args.json:
        print_json({
            "book": str(book.root), "written": report.written,
            "files": [f.as_dict() for f in report.files], "chinese_only": report.chinese_only,
        })
        return 1 if problems else 0
    for f in report.files:
        if not f.chinese:
            print(f"en/{f.rel}: {f.units} units, no Chinese file: untranslated")
            continue
        print(f"en/{f.rel}: {f.translated} of {f.units} units translated, {f.notes} Chinese passages kept as notes, "
              f"confidence {f.confidence:.2f}")
        for w in f.warnings:
            print(f"  warning: {w}")
        for r in f.review[: args.review]:
            en = f"en {r.en_lines[0]}-{r.en_lines[1]}" if r.en_lines else "en -"
            zh = f"zh {r.zh_lines[0]}-{r.zh_lines[1]}" if r.zh_lines else "zh -"
            print(f"  check {r.score:.2f} {en} / {zh}: {r.english[:50]!r} / {r.chinese[:30]!r}")
        if f.review:
            print(f"  (the {min(len(f.review), args.review)} least confident beads; below {REVIEW_BELOW} they are"
                  " marked in the PO with a note)")
    totals = {k: [0, 0] for k in ("code", "math", "label")}
    for f in report.files:
        for k, (paired, have) in f.anchors.items():
            totals[k][0] += paired
            totals[k][1] += have
    if any(h for _, h in totals.values()):
        print("paired with their counterpart: " + ", ".join(
            f"{p} of {h} {name}" for name, (p, h) in
            (("code cells", totals["code"]), ("display math", totals["math"]), ("labels", totals["label"]))))
    for rel in report.chinese_only:
        print(f"zh/{rel}: no English file of this path; not imported")
    pairs = total(f.progress for f in report.files if f.progress)
    print(f"{pairs.pairs} pairs: {pairs.translated} translated, {pairs.stale} stale (doubtful alignments), "
          f"{pairs.untranslated} untranslated (as `workbench status` counts them)")
    n = len(report.files)
    with_zh = sum(f.chinese for f in report.files)
    verb = "would import" if args.dry_run else "imported"
    print(f"{verb} {n} English files, {with_zh} with Chinese, into {book.root}; {problems} with warnings")
    return 1 if problems else 0
