"""Benchmark: `workbench check` and `workbench glossary check` over the whole imported d2l book,
against translate-toolkit's pofilter on the same PO files, in the same run.

Run by hand:  python tests/bench/bench_qa.py [--book DIR]
Without --book, the corpus (en-v0.17.0 + zh-2021-09-30) is imported into a temporary book first,
and d2l-zh's TERMINOLOGY.md goes into its glossary as approved. Prints timings (best of 5),
finding counts, and what each tool says about a dropped :numref:, a dropped :cite: and a
full-width colon planted into one real pair.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "corpus" / "d2l"

from workbench import glossary, qa, store  # noqa: E402
from workbench.book import Book  # noqa: E402
from workbench.checking import check_book  # noqa: E402
from workbench.commands.glossary import term_findings  # noqa: E402
from workbench.qa import links_numbers  # noqa: E402

CPU: dict[str, float] = {}


def forget_texts() -> None:
    """Drop what the checks remember of texts already checked (qa.inline and the stars of
    links_numbers), so that each run is timed as a new `workbench check` would be."""
    qa.inline.cache_clear()
    links_numbers._literal_stars.cache_clear()


def best_of(n: int, fn, name: str = ""):  # type: ignore[no-untyped-def]
    """Best wall time of n runs (and the best CPU time, in CPU[name]: the machine is shared)."""
    times, cpu, result = [], [], None
    for _ in range(n):
        if name != "check again":
            forget_texts()
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    CPU[name] = min(cpu)
    return min(times), result


def make_book(root: Path) -> None:
    from workbench.importer import import_tree

    (root / "en").mkdir(parents=True)
    t = time.perf_counter()
    import_tree(CORPUS / "en-v0.17.0", CORPUS / "zh-2021-09-30", Book(root))
    g = glossary.load(root)
    for term in glossary.read_foreign(CORPUS / "TERMINOLOGY.md"):
        g.add(term)
    glossary.save(root, g)
    print(f"imported the corpus in {time.perf_counter() - t:.1f} s")


def pofilter(po_dir: Path, out_dir: Path) -> tuple[float, Counter[str]]:
    """Run pofilter over a tree of PO files; (seconds, findings by pofilter test)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    t = time.perf_counter()
    subprocess.run(["pofilter", "--progress=none", "--language=zh_CN", "-i", str(po_dir), "-o", str(out_dir)],
                   check=True, capture_output=True)
    seconds = time.perf_counter() - t
    tests: Counter[str] = Counter()
    for po in out_dir.rglob("*.po"):
        for m in re.finditer(r"^# \(pofilter\) ([\w-]+):", po.read_text(encoding="utf-8"), re.M):
            tests[m.group(1)] += 1
    return seconds, tests


def planted(root: Path, tmp: Path) -> None:
    """Plant three defects in copies of one real pair and ask both tools about each."""
    rel = "chapter_linear-networks/linear-regression.md"
    base = Book(root).catalog(rel)
    pair_i = next(i for i, p in enumerate(base.active)
                  if ":numref:`" in p.chinese and ":numref:`" in p.english and ":cite:`" not in p.english)
    cite_i = next((i for i, p in enumerate(base.active) if ":cite:`" in p.chinese and ":cite:`" in p.english), None)
    cases = []
    p = base.active[pair_i]
    target = p.chinese.split(":numref:`", 1)[1].split("`", 1)[0]
    cases.append(("dropped :numref:", pair_i, re.sub(r" ?:numref:`" + re.escape(target) + "`", "", p.chinese, count=1)))
    cases.append(("full-width colon numref：", pair_i, p.chinese.replace(":numref:`", "numref：`", 1)))
    if cite_i is not None:
        c = base.active[cite_i]
        cases.append(("dropped :cite:", cite_i, re.sub(r" ?:cite:`[^`]*`", "", c.chinese, count=1)))
    print("\nplanted defects (one real pair of", rel, "):")
    print("  pofilter: the tests that flag the entry after planting and did not before")
    print(f"  {'defect':<26} {'workbench check':<48} pofilter")
    before = _pofilter_entry(root / "zh" / (rel[:-3] + ".po"), base.active, tmp)
    for name, i, chinese in cases:
        book_dir = tmp / re.sub(r"\W+", "_", name)
        for part, sub in (("en", rel), ("zh", rel[:-3] + ".po")):
            (book_dir / part / sub).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(root / part / sub, book_dir / part / sub)
        catalog = Book(book_dir).catalog(rel)
        catalog.active[i].chinese = chinese
        po = book_dir / "zh" / (rel[:-3] + ".po")
        po.write_text(store.dump(catalog), encoding="utf-8")
        mine = [f for f in check_book(Book(book_dir)) if f.en_line == catalog.active[i].line
                and f.check in ("references", "directive-syntax")]
        said = mine[0].message[:46] if mine else "nothing"
        after = _pofilter_entry(po, catalog.active, tmp)
        new = sorted(set(after.get(i, [])) - set(before.get(i, [])))
        print(f"  {name:<26} {said:<48} {', '.join(new) or 'nothing new'}"
              f"  (already flagged before: {', '.join(before.get(i, [])) or 'nothing'})")


def _pofilter_entry(po: Path, pairs: list, tmp: Path) -> dict[int, list[str]]:  # type: ignore[type-arg]
    """pofilter's tests per pair index for one PO file."""
    out = tmp / "pofilter-one.po"
    if out.exists():
        out.unlink()
    subprocess.run(["pofilter", "--progress=none", "--language=zh_CN", "-i", str(po), "-o", str(out)],
                   check=True, capture_output=True)
    from translate.storage import po as pofile

    flagged: dict[int, list[str]] = {}
    if not out.exists():
        return flagged
    index = {p.english: i for i, p in enumerate(pairs)}
    for unit in pofile.pofile(out.read_bytes()).units:
        i = index.get(unit.source)
        if i is not None:
            flagged[i] = re.findall(r"\(pofilter\) ([\w-]+):", unit.getnotes())
    return flagged


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--book", type=Path, help="an imported book (default: import the corpus into a temp dir)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = args.book or tmp / "book"
        if not args.book:
            make_book(root)
        files = sum(1 for rel in Book(root).english_files() if Book(root).has_catalog(rel))
        pairs = sum(len([p for p in Book(root).catalog(rel).active if p.chinese])
                    for rel in Book(root).english_files())
        print(f"book: {files} files with pairs, {pairs} translated pairs")

        t_check, findings = best_of(5, lambda: check_book(Book(root)), "check")  # each run as a new process would
        t_again = best_of(1, lambda: check_book(Book(root)), "check again")[0]  # the texts remembered, as in the TUI
        t_terms, terms = best_of(5, lambda: term_findings(Book(root)), "terms")
        t_cli = time.perf_counter()
        subprocess.run([sys.executable, "-m", "workbench", "check", "--json", "--book", str(root)],
                       capture_output=True, cwd=REPO)
        t_cli = time.perf_counter() - t_cli
        t_po, po_tests = pofilter(root / "zh", tmp / "pofilter-out")

        by = Counter((f.check, f.severity) for f in findings)
        print(f"\nworkbench check         {t_check:6.2f} s  ({CPU['check']:.2f} s CPU; best of 5, in process; "
              f"{t_cli:.2f} s as a command)  {len(findings)} findings")
        print(f"workbench check again   {t_again:6.2f} s  (in the same process, its texts remembered, as the TUI checks)")
        for (check, sev), n in sorted(by.items()):
            print(f"    {check:<18} {sev:<8} {n}")
        print(f"workbench glossary check {t_terms:6.2f} s  ({CPU['terms']:.2f} s CPU; best of 5)  {len(terms)} term findings")
        for (sev, problem), n in sorted(Counter((f.severity, f.problem) for f in terms).items()):
            print(f"    {sev:<8} {problem:<10} {n}" + ("   (shown by default)" if sev != "info" else ""))
        print(f"pofilter                 {t_po:6.2f} s  {sum(po_tests.values())} findings in {len(po_tests)} tests")
        for name, n in po_tests.most_common():
            print(f"    {name:<18} {n}")
        print(f"\nratio pofilter / workbench check: {t_po / t_check:.1f}x")
        print("targets (CPU time): check < 2 s:", "met" if CPU["check"] < 2 else "MISSED",
              "; glossary check < 2 s:", "met" if CPU["terms"] < 2 else "MISSED")
        planted(root, tmp)


if __name__ == "__main__":
    main()
