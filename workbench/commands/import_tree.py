"""`workbench import --en DIR --zh DIR`: start tracking a Chinese edition made without the workbench.

On the terminal: a progress bar over files (on stderr, when it is a terminal), then a short
summary. The full per-file report goes to `--log FILE` (text) or `--json`.
"""

from __future__ import annotations

import argparse
import posixpath
from pathlib import Path

from .. import files
from ..align.confidence import REVIEW_BELOW
from ..book import Book
from ..file_pairing import parse_forced
from ..importer import ImportReport, import_tree
from ..model import WorkbenchError
from ..progress import total
from .common import ProgressBar, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import a parallel English/Chinese tree into a book (aligning every file pair)")
    p.add_argument("--en", required=True, metavar="DIR", help="the English tree (d2l-en)")
    p.add_argument("--zh", required=True, metavar="DIR", help="the Chinese tree (d2l-zh); files pair by relative path")
    p.add_argument("--book", metavar="PATH",
                   help="book folder to write (created if missing; default: the current folder if it has en/)")
    p.add_argument("--pair", action="append", default=[], metavar="ZH=EN",
                   help="import the Chinese file ZH as the translation of the English file EN (paths relative to "
                        "the trees), whatever their names and content say; may be given several times")
    p.add_argument("--replace", action="store_true",
                   help="into a book with translations: let the edition's Chinese replace translations revised in "
                        "the book (kept as obsolete entries); by default the book's revisions stay")
    p.add_argument("--dry-run", action="store_true", help="align, merge and plan every write; report, write nothing")
    p.add_argument("--json", action="store_true", help="print the full per-file report as JSON")
    p.add_argument("--log", metavar="FILE", help="write the full per-file report to FILE (the terminal gets a summary)")
    p.add_argument("--review", type=int, default=3, metavar="N",
                   help="beads to show per file for review in the full report (default 3)")
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
    try:
        forced = parse_forced(args.pair)
    except ValueError as e:
        raise WorkbenchError(str(e)) from None
    book = Book(root)
    bar = ProgressBar.on_terminal()
    try:
        report = import_tree(Path(args.en), Path(args.zh), book, dry_run=args.dry_run, on_progress=bar, forced=forced,
                             replace=args.replace)
    finally:
        if bar:
            bar.clear()
    problems = sum(bool(f.warnings) for f in report.files) + len(report.refused)
    if args.log:
        files.write_atomic(Path(args.log), "\n".join(full_report(report, args.review)) + "\n", args.log)
    if args.json:
        print_json({
            "book": str(book.root), "written": report.written,
            "files": [f.as_dict() for f in report.files], "chinese_only": report.chinese_only,
            "refused": [r.as_dict() for r in report.refused],
            "merge": report.merge.as_dict(),
            "summary": summary_data(report),
        })
        return 1 if problems else 0
    verb = "would import" if args.dry_run else "imported"
    for line in summary(report, f"{verb} into {book.root}", args.log, dry=args.dry_run):
        print(line)
    return 1 if problems else 0


def full_report(report: ImportReport, review: int) -> list[str]:
    """Every file's lines: units translated, notes, confidence, warnings, the beads to check."""
    out = []
    for f in report.files:
        if not f.chinese:
            out.append(f"en/{f.rel}: {f.units} units, no Chinese file: untranslated")
            continue
        paired = f" ({f.how}: zh/{f.zh})" if f.zh != f.rel else ""
        out.append(f"en/{f.rel}{paired}: {f.translated} of {f.units} units translated, {f.notes} Chinese passages "
                   f"kept as notes, confidence {f.confidence:.2f}")
        out += [f"  warning: {w}" for w in f.warnings]
        for r in f.review[:review]:
            en = f"en {r.en_lines[0]}-{r.en_lines[1]}" if r.en_lines else "en -"
            zh = f"zh {r.zh_lines[0]}-{r.zh_lines[1]}" if r.zh_lines else "zh -"
            out.append(f"  check {r.score:.2f} {en} / {zh}: {r.english[:50]!r} / {r.chinese[:30]!r}")
        if f.review:
            out.append(f"  (the {min(len(f.review), review)} least confident beads; below {REVIEW_BELOW} they are"
                       " marked in the PO with a note)")
    out += [f"zh/{r.zh}: does not translate en/{r.en}; not imported ({r.why})" for r in report.refused]
    m = report.merge
    out += [f"en/{c.rel}:{c.line}: kept the book's revision {c.book!r}; the edition has {c.edition!r}" for c in m.kept]
    out += [f"en/{c.rel}:{c.line}: updated from the edition {c.edition!r} (was {c.book!r})" for c in m.updated]
    out += [f"en/{c.rel}:{c.line}: replaced the book's {c.book!r} (kept obsolete) by {c.edition!r}" for c in m.replaced]
    out += [f"zh/{rel}: no English file of this path, none by content; not imported" for rel in report.chinese_only]
    return out + unrestored_lines(report)


def unrestored_lines(report: ImportReport, per_file: int | None = None) -> list[str]:
    """The lines of the Chinese files that zh/*.md, rendered from the pairs, does not give back,
    as zh/FILE:LINE (`per_file`: at most so many per file, then how many more)."""
    with_zh = [f for f in report.files if f.chinese]
    differ = [f for f in with_zh if f.unrestored]
    if not with_zh:
        return []
    out = [f"{len(with_zh) - len(differ)} of {len(with_zh)} Chinese files come back byte for byte when rendered"
           + ("; these lines of the others do not (the English is rendered there):" if differ else "")]
    for f in differ:
        shown = f.unrestored if per_file is None else f.unrestored[:per_file]
        out += [f"  zh/{f.rel}:{u.line}: {u.why}" for u in shown]
        if len(shown) < len(f.unrestored):
            out.append(f"  zh/{f.rel}: and {len(f.unrestored) - len(shown)} more places")
    return out


def _anchor_totals(report: ImportReport) -> dict[str, list[int]]:
    totals = {k: [0, 0] for k in ("code", "math", "label")}
    for f in report.files:
        for k, (paired, have) in f.anchors.items():
            totals[k][0] += paired
            totals[k][1] += have
    return totals


def _untranslated_beside(report: ImportReport, rel: str) -> list[str]:
    """English files with no Chinese in the folder of a Chinese file that found no English:
    the one it may translate under another name."""
    folder = posixpath.dirname(rel)
    return [f.rel for f in report.files if not f.chinese and posixpath.dirname(f.rel) == folder]


def merge_lines(report: ImportReport, dry: bool, shown: int = 5) -> list[str]:
    """What importing into the book's own translations changes (or, on a dry run, would)."""
    m = report.merge
    if not m:
        return []
    out = [f"{'would merge' if dry else 'merged'} into the book's translations: {len(m.kept)} revised in the book "
           f"kept live (the edition's Chinese noted on them; --replace to take it), {len(m.updated)} updated from the "
           f"edition, {len(m.replaced)} replaced by the edition's (the book's kept obsolete), {m.filled} untranslated "
           "filled"]
    for what, changes in (("the book's revision kept", m.kept), ("replaced", m.replaced)):
        for c in changes[:shown]:
            book, edition = _differing(c.book, c.edition)
            out.append(f"  en/{c.rel}:{c.line}: {what}: book {book!r}, edition {edition!r}")
        if len(changes) > shown:
            out.append(f"  ... {len(changes) - shown} more (--log FILE or --json)")
    return out


def _differing(a: str, b: str, room: int = 30) -> tuple[str, str]:
    """Where two texts differ, with a little context: the common start and end left out."""
    a, b = " ".join(a.split()), " ".join(b.split())
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    lo = max(start - 8, 0)

    def cut(t: str) -> str:
        mid = t[lo : len(t) - end + 8 if end > 8 else len(t)]
        return ("…" if lo else "") + mid[:room] + ("…" if len(mid) > room or end > 8 else "")

    return cut(a), cut(b)


def summary_data(report: ImportReport) -> dict[str, object]:
    """The summary's figures, for --json."""
    pairs = total(f.progress for f in report.files if f.progress)
    return {
        "files": len(report.files),
        "with_chinese": sum(f.chinese for f in report.files),
        "pairs": pairs.as_dict(),
        "with_warnings": [f.rel for f in report.files if f.warnings],
        # Chinese files a render gives back byte for byte (each file's "unrestored": the lines it does not)
        "byte_for_byte": sum(f.chinese and not f.unrestored for f in report.files),
        "paired_by_content": [{"zh": f.zh, "en": f.rel, "how": f.how} for f in report.files if f.zh and f.zh != f.rel],
        "refused": [r.as_dict() for r in report.refused],
        "merge": {k: len(v) if isinstance(v, list) else v for k, v in report.merge.as_dict().items()},
        "chinese_only": [{"file": rel, "english_without_chinese_beside": _untranslated_beside(report, rel)}
                         for rel in report.chinese_only],
    }


def summary(report: ImportReport, where: str, log: str | None, dry: bool = False) -> list[str]:
    """What a maintainer reads after an import: the figures, the files to look at, what to do."""
    n = len(report.files)
    with_zh = sum(f.chinese for f in report.files)
    pairs = total(f.progress for f in report.files if f.progress)
    out = [f"{where}: {n} English files, {with_zh} with Chinese",
           f"{pairs.pairs} pairs: {pairs.translated} translated, {pairs.pairing} to check the pairing (doubtful "
           f"alignments), {pairs.stale} stale, {pairs.untranslated} untranslated (as `workbench status` counts them)"]
    totals = _anchor_totals(report)
    if any(h for _, h in totals.values()):
        out.append("paired with their counterpart: " + ", ".join(
            f"{p} of {h} {name}" for name, (p, h) in
            (("code cells", totals["code"]), ("display math", totals["math"]), ("labels", totals["label"]))))
    moved = [f for f in report.files if f.zh and f.zh != f.rel]
    if moved:
        out.append(f"{len(moved)} Chinese {'file' if len(moved) == 1 else 'files'} under another name, "
                   "imported with the English {} translate{}:".format(
                       "it" if len(moved) == 1 else "they", "s" if len(moved) == 1 else ""))
        out += [f"  zh/{f.zh} -> en/{f.rel} ({f.how})" for f in moved]
    if report.refused:
        k = len(report.refused)
        out.append(f"{k} Chinese {'file does' if k == 1 else 'files do'} not translate the English file of the "
                   "same path and {} refused (the English imported untranslated):".format("was" if k == 1 else "were"))
        for r in report.refused:
            out.append(f"  zh/{r.zh}: {r.why}")
        out.append("  if one is a translation after all: import again with --pair ZH=EN")
    warned = [f for f in report.files if f.warnings]
    if warned:
        out.append(f"{len(warned)} {'file' if len(warned) == 1 else 'files'} with warnings:")
        for f in warned:
            out += [f"  en/{f.rel}: {w}" for w in f.warnings]
            if f.progress and f.progress.pairs:
                # a doubtful file's Chinese is kept for checking, never counted as done
                p = f.progress
                out.append(f"    its pairs: {p.translated} done, {p.pairing} to check the pairing, "
                           f"{p.untranslated} untranslated")
    if report.chinese_only:
        k = len(report.chinese_only)
        out.append(f"{k} Chinese {'file has' if k == 1 else 'files have'} no English file of the same path "
                   "and {} not imported:".format("was" if k == 1 else "were"))
        for rel in report.chinese_only:
            beside = _untranslated_beside(report, rel)
            hint = f" (English without Chinese beside it: {', '.join(posixpath.basename(b) for b in beside)})" \
                if beside else ""
            out.append(f"  zh/{rel}{hint}")
        out.append("  a file that translates an English file under another name: import again with --pair ZH=EN; "
                   "the others are not in the English edition")
    out += unrestored_lines(report, per_file=3)
    out += merge_lines(report, dry)
    out.append(f"the full per-file report (beads to check, Chinese kept as notes) is in {log}" if log else
               "the full per-file report (beads to check, Chinese kept as notes): --log FILE or --json")
    return out
