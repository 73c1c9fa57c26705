"""`workbench sync`: bring zh/*.po and zh/*.md in step after the English in en/ changed.

A thin shell over workbench/sync.py (`sync_book`): arguments in, the summary or JSON out.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from ..files import terminal_safe
from ..model import WorkbenchError
from ..review import unreviewed
from ..sync import SyncReport, sync_book
from .common import add_book, open_book


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sync",
        help="match changed English to the stored pairs: carried, stale, new, obsolete; re-render zh/",
        description="Match the English in en/ to the pairs in zh/*.po: unchanged English keeps its "
        "translation, edited English keeps it marked stale (fuzzy, previous English kept), new English "
        "comes in untranslated with a translation-memory suggestion, deleted English is kept obsolete. "
        "A mechanical edit (spacing, a typo, a number, code, math, a reference or a name the Chinese "
        "holds verbatim, d2l's highlight marks) is settled: the translation is carried over as current, "
        "edited alike where needed, and marked for review (`workbench diff --settled`).",
    )
    add_book(p)
    p.add_argument("files", nargs="*", metavar="FILE", help="only these English files")
    p.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 when any unit would be stale, untranslated or have its pairing to "
                        "check (for CI)")
    p.add_argument("--reviewed", action="store_true",
                   help="with --check: exit 1 also when any pair is not reviewed (`workbench review`)")
    p.add_argument("--no-settle", action="store_true",
                   help="settle no mechanical English edit: every edited unit is stale, as before")
    p.add_argument("--json", action="store_true", help="one record per translatable unit")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.reviewed and not args.check:
        raise WorkbenchError("--reviewed goes with --check (it only checks); run `workbench sync --check --reviewed`")
    book = open_book(args, write=not args.check)
    dry = args.dry_run or args.check
    report = sync_book(book, args.files, dry_run=dry, settle=not args.no_settle)
    if args.json:
        # one unit a line: readable, and json's C encoder (indent= would fall back to Python's)
        units = [json.dumps({"file": f"en/{fs.rel}", **u}, ensure_ascii=False) for fs in report.files for u in fs.units]
        obsolete = sum(fs.obsolete for fs in report.files)
        sys.stdout.write('{"units": [\n' + ",\n".join(units) + f'\n], "obsolete": {obsolete}}}\n')
    else:
        _summary(report, dry)
    conflicts = [(fs, c) for fs in report.files for c in fs.conflicts]
    for fs, c in conflicts:
        print(c.told(f"zh/{fs.rel}"))
    missing: list[tuple[str, int]] = []
    if args.check and args.reviewed:
        # read from the PO files as they are; a pair the sync would make stale or new is
        # already counted by report.unfinished()
        missing = unreviewed(book, [book.rel(f) for f in args.files] or None)
        for where, line in missing[:20]:
            print(f"{where}:{line}: not reviewed", file=sys.stderr)
        if missing:
            print(f"workbench: {len(missing)} pairs not reviewed", file=sys.stderr)
    return 1 if conflicts or missing or (args.check and report.unfinished()) else 0


def _summary(report: SyncReport, dry: bool) -> None:
    shown = report.touched()
    width = max([len(f"en/{fs.rel}") for fs in shown] + [5])
    print(f"{'file':<{width}}  {'current':>7} {'settled':>7} {'stale':>6} {'pair?':>5} {'new':>5} {'todo':>5}"
          f" {'obsolete':>8}")
    for fs in shown:
        c = fs.counts
        note = f"  (renamed from en/{fs.renamed_from})" if fs.renamed_from else ""
        print(f"{'en/' + fs.rel:<{width}}  {c['current']:>7} {c.get('settled', 0):>7} {c['stale']:>6}"
              f" {c.get('pairing', 0):>5} {c['new']:>5} {c['untranslated']:>5} {c['obsolete']:>8}{note}")
        for t in fs.taken_back:
            print(f"  zh/{fs.rel}:{t.line}: hand edit taken back into the PO")
    total = report.totals()
    print(f"{'total':<{width}}  {total['current']:>7} {total['settled']:>7} {total['stale']:>6} {total['pairing']:>5}"
          f" {total['new']:>5} {total['untranslated']:>5} {total['obsolete']:>8}")
    kinds = Counter(u["settled"] for fs in report.files for u in fs.units if "settled" in u)
    if kinds:
        told = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
        print(terminal_safe(f"settled (current, to glance at): {told}; `workbench diff --settled` lists them"))
    edits = Counter(u["edit"] for fs in report.files for u in fs.units if "edit" in u)
    if edits:
        told = ", ".join(f"{kind} {n}" for kind, n in sorted(edits.items()))
        print(f"stale after an English edit, by kind of edit: {told}; `workbench diff` shows them")
    verb = "would change" if dry else "changed"
    print(f"{len(shown)} of {len(report.files)} files {verb}")
    for rel in report.remove:
        stem = rel.removesuffix(".md")
        print(f"{'would remove' if dry else 'removed'} zh/{stem}.po and zh/{rel}: the pairs moved with the renamed English")
    for rel in report.gone:
        stem = rel.removesuffix(".md")
        print(f"en/{rel} is gone: zh/{stem}.po kept with its translations (delete it by hand when no longer wanted)")
