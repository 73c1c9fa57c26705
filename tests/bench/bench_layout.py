"""Benchmark of adoption (run by hand: `python tests/bench/bench_layout.py [BOOK]`; never a timed test).

Imports d2l-en v0.17.0 with d2l-zh (../shared/corpus/d2l) into a fresh book in a temporary
folder (or reads BOOK, a book already imported from them), renders it, and compares every
rendered zh/PATH.md with the d2l-zh file it was imported from. Prints how many come back byte
for byte, and classifies the lines that do not, hunk by hunk (difflib over lines):
- blank-line: only blank lines added or removed;
- rewrap: the same text with its lines broken elsewhere (whitespace aside);
- marker: the same text, list markers or indentation aside;
- code: a hunk inside a code cell of the d2l-zh file;
- text: anything else.
With --files it lists each differing file with its hunk counts.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"

from workbench.book import Book  # noqa: E402
from workbench.importer import import_tree  # noqa: E402

EN = SHARED / "corpus" / "d2l" / "en-v0.17.0"
ZH = SHARED / "corpus" / "d2l" / "zh-2021-09-30"
_FENCE = re.compile(r"^\s*(```|~~~)")
_MARKER = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s+")


def code_lines(lines: list[str]) -> set[int]:
    """0-based indices of the lines inside code fences (fences included)."""
    out, inside = set(), False
    for n, line in enumerate(lines):
        if _FENCE.match(line):
            out.add(n)
            inside = not inside
        elif inside:
            out.add(n)
    return out


def classify(ours: list[str], theirs: list[str]) -> list[tuple[str, int]]:
    """(class, 1-based line in `theirs`) of every hunk where `ours` differs from `theirs`."""
    code = code_lines(theirs)
    out = []
    matcher = difflib.SequenceMatcher(None, theirs, ours, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        a, b = theirs[i1:i2], ours[j1:j2]
        if not any(x.strip() for x in a + b):
            kind = "blank-line"
        elif "".join("".join(a).split()) == "".join("".join(b).split()):
            kind = "rewrap"
        elif "".join(_MARKER.sub("", x).strip() for x in a) == "".join(_MARKER.sub("", x).strip() for x in b):
            kind = "marker"
        elif any(n in code for n in range(i1, max(i2, i1 + 1))):
            kind = "code"
        else:
            kind = "text"
        out.append((kind, i1 + 1))
    return out


def compare(book: Path) -> tuple[int, int, Counter[str], dict[str, Counter[str]]]:
    """(files compared, byte-identical, hunks by class, per differing file its hunks by class)."""
    same = compared = 0
    hunks: Counter[str] = Counter()
    per_file: dict[str, Counter[str]] = {}
    for zh in sorted(ZH.rglob("*.md")):
        rel = zh.relative_to(ZH).as_posix()
        ours = book / "zh" / rel
        if not (EN / rel).is_file() or not ours.is_file():
            continue
        compared += 1
        a, b = zh.read_text(encoding="utf-8"), ours.read_text(encoding="utf-8")
        if a == b:
            same += 1
            continue
        found = Counter(k for k, _ in classify(b.splitlines(), a.splitlines()))
        if a.splitlines() == b.splitlines():
            found["line-end"] += 1
        per_file[rel] = found
        hunks.update(found)
    return compared, same, hunks, per_file


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("book", nargs="?", help="a book imported from the corpus (default: import into a temp folder)")
    ap.add_argument("--files", action="store_true", help="list every differing file")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.book) if args.book else Path(tmp) / "book"
        listed: Counter[str] = Counter()
        if not args.book:
            report = import_tree(EN, ZH, Book(root))
            listed.update(u.why for f in report.files for u in getattr(f, "unrestored", []))
        compared, same, hunks, per_file = compare(root)
        only_layout = sum(1 for c in per_file.values() if set(c) <= {"blank-line", "rewrap", "marker", "line-end"})
        print(f"{same} of {compared} Chinese files come back byte for byte; "
              f"{only_layout} differ only in layout (blank lines, wrapping, markers), "
              f"{len(per_file) - only_layout} in content")
        print("hunks: " + ", ".join(f"{n} {k}" for k, n in hunks.most_common()))
        if listed:
            print("places the import lists as not given back:")
            for why, n in listed.most_common():
                print(f"  {n:4} {why}")
        if args.files:
            for rel, c in sorted(per_file.items()):
                print(f"  {rel}: " + ", ".join(f"{n} {k}" for k, n in c.most_common()))


if __name__ == "__main__":
    main()
