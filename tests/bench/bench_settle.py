"""Benchmark settling (workbench/settle.py) on the d2l update v0.17.0 -> v0.17.6, beside msgmerge.

Run by hand:  python tests/bench/bench_settle.py

1. Import d2l v0.17.0 with zh-2021-09-30, put v0.17.6 in en/, and sync twice: with settling and
   with --no-settle. Counted: the units the update made stale, how many each kind settles, and
   every settled unit listed (file:line, kind, the English diff, the Chinese before and after,
   what was done) for checking by hand.
2. msgmerge --previous on the same update (each imported PO merged into a POT of the v0.17.6
   English made with the workbench's segmenter, as bench_sync.py does): how many entries it makes
   fuzzy, that is flags for a human.
3. Highlight marks, on d2l-zh's own placements: every v0.17.0 unit with marks whose Chinese has the
   same marks, the marks taken off both sides, then settled: how many are placed back, how many
   exactly where d2l-zh put them, and the others listed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
CORPUS = REPO.parent / "shared" / "corpus" / "d2l"
EN_OLD, EN_NEW, ZH = CORPUS / "en-v0.17.0", CORPUS / "en-v0.17.6", CORPUS / "zh-2021-09-30"

from bench_sync import entries, make_pot  # noqa: E402

from workbench import store  # noqa: E402
from workbench.book import Book  # noqa: E402
from workbench.importer import import_tree  # noqa: E402
from workbench.model import normalize  # noqa: E402
from workbench.settle import _MARK, Words, classify  # noqa: E402
from workbench.worddiff import word_diff  # noqa: E402


def sync_json(root: Path, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "workbench", "sync", "--book", str(root), "--json", *args],
                         capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr)
    return json.loads(out.stdout)


def updated(imported: Path, to: Path) -> Path:
    shutil.copytree(imported, to)
    shutil.rmtree(to / "en")
    shutil.copytree(EN_NEW, to / "en")
    return to


def shown_diff(previous: str, english: str) -> str:
    return "".join(t if op == "=" else f"[-{t}-]" if op == "-" else f"{{+{t}+}}" for op, t in word_diff(previous, english))


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-settle-"))
    imported = work / "imported"
    import_tree(EN_OLD, ZH, Book(imported))

    # 1. the update, with and without settling
    plain = updated(imported, work / "no-settle")
    data = sync_json(plain, "--no-settle")
    stale_before = Counter(u["status"] for u in data["units"])
    ours = updated(imported, work / "settle")
    data = sync_json(ours)
    status = Counter(u["status"] for u in data["units"])
    kinds = Counter(u["settled"] for u in data["units"] if "settled" in u)
    left = Counter(u["edit"] for u in data["units"] if "edit" in u)
    made_stale = sum(kinds.values()) + sum(left.values())
    print("d2l v0.17.0 -> v0.17.6, imported with zh-2021-09-30, then synced")
    print(f"  sync --no-settle: stale {stale_before['stale']} units (of which made stale by this update: {made_stale};"
          f" the rest are the import's doubtful pairs), current {stale_before['current']}")
    print(f"  sync: stale {status['stale']}, current {status['current']}; settled {sum(kinds.values())} of the "
          f"{made_stale} units the update made stale: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print("  left stale, by kind of edit: " + ", ".join(f"{k} {n}" for k, n in sorted(left.items())))
    print("  every settled unit:")
    before = {}
    for rel in Book(plain).english_files():
        if Book(plain).has_catalog(rel):
            for p in Book(plain).catalog(rel).active:
                if p.stale and p.previous:
                    before[(rel, p.english)] = p.chinese
    n = 0
    for rel in Book(ours).english_files():
        for p in Book(ours).catalog(rel).active:
            if not p.settled:
                continue
            n += 1
            print(f"  {n}. en/{rel}:{p.line} [{p.settled}]")
            print(f"     en: {shown_diff(p.previous, p.english)}")
            old = before.get((rel, p.english), "")
            print(f"     zh: {' '.join(old.split())}")
            if old != p.chinese:
                print(f"     ->  {' '.join(p.chinese.split())}")
            print(f"     {next(x for x in p.notes if x.startswith(store.SETTLED_NOTE))}")

    # 2. msgmerge --previous on the same update
    mm = Counter()
    for rel in Book(imported).english_files():
        stem = rel.removesuffix(".md")
        pot, out = work / "pot" / (stem + ".pot"), work / "msgmerge" / (stem + ".po")
        make_pot(rel, pot)
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["msgmerge", "--previous", "--quiet", "-o", str(out), str(imported / "zh" / (stem + ".po")),
                        str(pot)], check=True)
        for e in entries(out):
            if not e.obsolete and e.msgstr and "fuzzy" in e.flags and e.previous_msgid:
                mm["made fuzzy"] += 1
                mm["of the edited units" if (rel, e.msgid) in before else "of other units"] += 1
    print(f"msgmerge --previous on the same update: {mm['made fuzzy']} entries made fuzzy, each for a human "
          f"({mm['of the edited units']} of the {made_stale} units whose English the update edited, "
          f"{mm['of other units']} new or untranslated units given a similar unit's translation); "
          f"workbench sync: {made_stale} made stale, {sum(kinds.values())} of them settled, "
          f"{made_stale - sum(kinds.values())} left for a human")

    # 3. highlight marks on d2l-zh's own placements
    book = Book(imported)
    words = Words(lambda: (book.english(r) or "" for r in book.english_files()))
    marks = Counter()
    others = []
    for rel in book.english_files():
        for p in book.catalog(rel).active:
            if not p.chinese or p.stale or "\n\n" in p.english or not _MARK.search(p.english):
                continue
            if _MARK.findall(p.chinese) != _MARK.findall(p.english):
                marks["the Chinese has other marks"] += 1
                continue
            previous = normalize(_MARK.sub(" ", p.english))
            found = classify(previous, p.english, _MARK.sub("", p.chinese), words)
            marks["units"] += 1
            if not found.settled:
                marks["left stale"] += 1
                continue
            marks["placed"] += 1
            if found.chinese == p.chinese:
                marks["where d2l-zh put them"] += 1
            else:
                loose = re.sub(r"[\s。，：；！？]", "", found.chinese or "") == re.sub(r"[\s。，：；！？]", "", p.chinese)
                marks["only the full stop in or out" if loose else "elsewhere"] += 1
                others.append((rel, p.line, p.chinese, found.chinese or ""))
    print(f"highlight marks, taken off both sides of {marks['units']} v0.17.0 units whose Chinese has the same marks "
          f"({marks['the Chinese has other marks']} others skipped): placed back {marks['placed']} "
          f"({marks['where d2l-zh put them']} where d2l-zh put them, {marks['only the full stop in or out']} with only "
          f"the full stop on the other side of the mark, {marks['elsewhere']} elsewhere), left stale "
          f"{marks['left stale']}")
    for rel, line, theirs, ours_ in others:
        print(f"  en/{rel}:{line}\n     d2l-zh: {' '.join(theirs.split())}\n     settled: {' '.join(ours_.split())}")
    shutil.rmtree(work)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
