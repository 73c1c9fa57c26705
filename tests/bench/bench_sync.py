"""Benchmark `workbench sync` on the imported d2l book, side by side with gettext's msgmerge.

Run by hand:  python tests/bench/bench_sync.py

1. Import d2l v0.17.0 with zh-2021-09-30 (the alignment has its own benchmark; timed here is the
   part the sync asks of it: noting in the sync cache the files it left in step).
2. Sync with nothing changed: the first sync after the import (with the cache the import left),
   a repeat one, and for comparison a first sync with no cache at all (the cache deleted).
3. Put v0.17.6 in en/ and sync: wall time of `workbench sync` as a user runs it (the English files
   the new version left as they were are known from the import's cache), and from no cache.
4. The same update with `msgmerge --previous`: a POT per file extracted from the v0.17.6 English with
   the workbench's own segmenter (one entry per translatable unit, kind in `#.`), each old PO merged
   into it. Compared: time, translations carried as current or fuzzy (per unit), fuzzy carries whose
   previous English is under 60 % similar, and carries across kinds (heading/text/code comment...).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import polib
from rapidfuzz import fuzz

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "corpus" / "d2l"
EN_OLD, EN_NEW, ZH = CORPUS / "en-v0.17.0", CORPUS / "en-v0.17.6", CORPUS / "zh-2021-09-30"

from workbench import importer, store  # noqa: E402
from workbench.book import Book  # noqa: E402
from workbench.carry_over import kind_group  # noqa: E402
from workbench.importer import import_tree  # noqa: E402
from workbench.markdown import segment  # noqa: E402

_KIND = "kind: "


def cpu() -> float:
    """CPU seconds (user + system) of finished child processes: steadier than wall time on a busy machine."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def sync_cli(root: Path, *args: str) -> tuple[float, float, str]:
    """Wall and CPU time of `workbench sync` in its own process (start-up included), and its output."""
    t, c = time.perf_counter(), cpu()
    out = subprocess.run([sys.executable, "-m", "workbench", "sync", "--book", str(root), *args],
                         capture_output=True, text=True, cwd=REPO)
    took, used = time.perf_counter() - t, cpu() - c
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr)
    return took, used, out.stdout


def entries(path: Path) -> list[polib.POEntry]:
    """A PO file's entries; none when msgmerge wrote nothing (a POT without entries)."""
    if not path.is_file() or not path.read_text(encoding="utf-8").strip():
        return []
    return list(polib.pofile(str(path)))


def kind_of(entry: polib.POEntry) -> str:
    for line in (entry.comment or "").splitlines():
        if line.startswith(_KIND):
            return line[len(_KIND):]
    return "paragraph"


def old_kinds(po: polib.POFile) -> dict[tuple[str, str], str]:
    return {(e.msgctxt or "", e.msgid): kind_of(e) for e in po if not e.obsolete}


def make_pot(rel: str, path: Path) -> None:
    """One POT entry per translatable unit of the new English, msgctxt for duplicates (as the store does)."""
    doc = segment((EN_NEW / rel).read_text(encoding="utf-8"), f"en/{rel}")
    pairs = store.pairs_for(doc, f"en/{rel}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(store.dump(store.Catalog(f"en/{rel}", pairs)), encoding="utf-8")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    book_dir = work / "book"
    remember, noted = importer.remember, []

    def timed_remember(book: Book, files: list[str] | None = None, written: dict | None = None) -> int:
        t = time.perf_counter()
        n = remember(book, files, written)
        noted.append((time.perf_counter() - t, n))
        return n

    importer.remember = timed_remember  # the import's own call, timed
    t = time.perf_counter()
    import_tree(EN_OLD, ZH, Book(book_dir))
    took_import = time.perf_counter() - t
    importer.remember = remember
    print(f"import of v0.17.0 + zh: {took_import:.1f} s ({len(list((book_dir / 'zh').rglob('*.po')))} PO files), "
          f"of which noting the files in the sync cache {noted[0][0]:.2f} s ({noted[0][1]} files noted)")
    imported = work / "imported"
    shutil.copytree(book_dir, imported)

    # 2. nothing changed
    first, first_cpu, out = sync_cli(book_dir)
    first_changed = out.strip().splitlines()[-1]
    repeat, repeat_cpu, _ = sync_cli(book_dir)
    repeat_json, _, _ = sync_cli(book_dir, "--json")
    cold_dir = work / "cold"
    shutil.copytree(imported, cold_dir)
    shutil.rmtree(cold_dir / ".workbench")
    cold, cold_cpu, _ = sync_cli(cold_dir)
    print(f"sync, nothing changed (target < 0.5 s): first after import {first:.2f} s wall, {first_cpu:.2f} s CPU "
          f"(cache left by the import; {first_changed}); repeat {repeat:.2f} s wall, {repeat_cpu:.2f} s CPU; "
          f"repeat --json {repeat_json:.2f} s wall; with no cache {cold:.2f} s wall, {cold_cpu:.2f} s CPU "
          f"(x{cold / first:.1f} the first after import)")

    # 3. v0.17.0 -> v0.17.6, from the imported book as the importer left it (and with no cache)
    for name, cache in (("ours-cold", False), ("ours", True)):
        shutil.copytree(imported, work / name)
        shutil.rmtree(work / name / "en")
        shutil.copytree(EN_NEW, work / name / "en")
        if not cache:
            shutil.rmtree(work / name / ".workbench")
    took_cold, took_cold_cpu, _ = sync_cli(work / "ours-cold")
    ours = work / "ours"
    took, took_cpu, out = sync_cli(ours)
    print(out.rstrip())
    _, _, out = sync_cli(ours, "--json")
    data = json.loads(out)
    ours_status = Counter(u["status"] for u in data["units"])
    print(f"sync v0.17.0 -> v0.17.6: {took:.2f} s wall, {took_cpu:.2f} s CPU (target < 3 s; with no cache "
          f"{took_cold:.2f} s wall, {took_cold_cpu:.2f} s CPU); units {dict(ours_status)}, obsolete entries "
          f"{data['obsolete']}")
    same = all((ours / "zh" / p.relative_to(work / "ours-cold" / "zh")).read_text(encoding="utf-8")
               == p.read_text(encoding="utf-8") for p in (work / "ours-cold" / "zh").rglob("*.md"))
    print(f"  zh/*.md the same with and without the import's cache: {same}")
    new_units = 0
    for po in (ours / "zh").rglob("*.po"):
        new_units += sum(1 for e in polib.pofile(str(po)) if not e.obsolete and any(
            line.startswith("suggestion") for line in (e.tcomment or "").splitlines()))
    print(f"  new units with a translation-memory suggestion noted: {new_units}")

    # 4. msgmerge --previous on the same update
    rels = Book(imported).english_files()
    pots = work / "pot"
    t = time.perf_counter()
    for rel in rels:
        make_pot(rel, pots / (rel.removesuffix(".md") + ".pot"))
    extract = time.perf_counter() - t
    merged = work / "msgmerge"
    t, c = time.perf_counter(), cpu()
    for rel in rels:
        stem = rel.removesuffix(".md")
        out_path = merged / (stem + ".po")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["msgmerge", "--previous", "--quiet", "-o", str(out_path),
                        str(imported / "zh" / (stem + ".po")), str(pots / (stem + ".pot"))], check=True)
    merge, merge_cpu = time.perf_counter() - t, cpu() - c
    mm = Counter()
    for rel in rels:
        stem = rel.removesuffix(".md")
        old = old_kinds(polib.pofile(str(imported / "zh" / (stem + ".po"))))
        for e in entries(merged / (stem + ".po")):
            if e.obsolete:
                mm["obsolete"] += 1
                continue
            if not e.msgstr:
                mm["untranslated"] += 1
                continue
            new_kind = kind_of(e)
            if "fuzzy" in e.flags and e.previous_msgid:  # made fuzzy by this update
                mm["fuzzy"] += 1
                prev = e.previous_msgid
                if fuzz.ratio(prev, e.msgid) < 60:
                    mm["fuzzy under 60% similar"] += 1
                was = old.get((e.previous_msgctxt or "", prev))
            elif "fuzzy" in e.flags:  # the same English, fuzzy already (the import doubted it)
                mm["fuzzy before"] += 1
                was = old.get((e.msgctxt or "", e.msgid))
            else:
                mm["current"] += 1
                was = old.get((e.msgctxt or "", e.msgid))
            if was is not None and kind_group(was) != kind_group(new_kind):
                mm["across kinds"] += 1
    print(f"msgmerge --previous: POT extraction {extract:.2f} s (our segmenter), merge {merge:.2f} s wall, "
          f"{merge_cpu:.2f} s CPU ({len(rels)} files, one msgmerge each)")
    print(f"  msgmerge units: current {mm['current']}, fuzzy already {mm['fuzzy before']}, made fuzzy "
          f"{mm['fuzzy']} (under 60% similar: {mm['fuzzy under 60% similar']}), untranslated {mm['untranslated']}, "
          f"obsolete entries {mm['obsolete']}, carried across kinds {mm['across kinds']}")

    # our side, counted the same way: carries across kinds and weak fuzzies in the synced POs
    ours_counts = Counter()
    for rel in rels:
        stem = rel.removesuffix(".md")
        old = {e.msgid: kind_of(e) for e in polib.pofile(str(imported / "zh" / (stem + ".po"))) if not e.obsolete}
        for e in entries(ours / "zh" / (stem + ".po")):
            if e.obsolete or not e.msgstr or "fuzzy" not in e.flags or not e.previous_msgid:
                continue  # only what the sync made stale (the import's doubtful pairs have no previous)
            ours_counts["made stale"] += 1
            prev = e.previous_msgid
            if fuzz.ratio(prev.replace("\n\n", " "), e.msgid.replace("\n\n", " ")) < 60:
                ours_counts["under 60"] += 1
            pieces = [prev] if prev in old else [p for p in prev.split("\n\n") if p in old]
            if any(kind_group(old[p]) != kind_group(kind_of(e)) for p in pieces):
                ours_counts["across kinds"] += 1
    print(f"  workbench sync units: current {ours_status['current']}, stale {ours_status['stale']} (entries "
          f"made stale by the sync: {ours_counts['made stale']}, under 60% similar: {ours_counts['under 60']}), untranslated "
          f"{ours_status['untranslated']}, carried across kinds {ours_counts['across kinds']}")
    print(f"time ratio msgmerge / workbench sync: wall {merge / took:.2f}, CPU {merge_cpu / took_cpu:.2f} "
          f"(msgmerge with POT extraction, wall: {(merge + extract) / took:.2f}; sync with no cache: wall "
          f"{merge / took_cold:.2f}, CPU {merge_cpu / took_cold_cpu:.2f}); "
          f"carried current+fuzzy: workbench {ours_status['current'] + ours_status['stale']}, "
          f"msgmerge {mm['current'] + mm['fuzzy'] + mm['fuzzy before']}")
    shutil.rmtree(work)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
