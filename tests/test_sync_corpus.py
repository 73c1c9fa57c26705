"""The real test of `workbench sync`: d2l v0.17.0 imported with its Chinese edition (zh-2021-09-30),
then the English of v0.17.6 put in en/ and synced."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import EN_V0170, EN_V0176, ZH, assert_msgfmt_ok, build_imported, copy_book, shared_build
from workbench import store
from workbench.book import Book
from workbench.cli import main
from workbench.markdown import segment
from workbench.model import Status

pytestmark = pytest.mark.corpus


def _translations(root: Path) -> Counter[str]:
    out: Counter[str] = Counter()
    for po in (root / "zh").rglob("*.po"):
        for p in store.parse(po.read_text(encoding="utf-8")).pairs:
            if p.chinese:
                out[p.chinese] += 1
    return out


def _make_synced(imported: Path, root: Path) -> dict:
    """Note every unit's status in the imported book, put v0.17.6 in en/, sync (with --json)."""
    copy_book(imported, root / "book")
    root = root / "book"
    book = Book.open(root)
    before: dict[str, dict[str, list[str]]] = {}
    for rel in book.english_files():
        doc, catalog = book.document(rel), book.catalog(rel)
        statuses: dict[str, set[str]] = {}
        for m in store.match(doc, catalog):
            statuses.setdefault(doc.units[m.unit].key, set()).add(store.unit_status(m).value)
        before[rel] = {k: sorted(v) for k, v in statuses.items()}
    translations = _translations(root)
    shutil.rmtree(root / "en")
    shutil.copytree(EN_V0176, root / "en")
    out = subprocess.run([sys.executable, "-m", "workbench", "sync", "--book", str(root), "--json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return {"before": before, "translations": translations, "json": json.loads(out.stdout)}


def build_synced() -> tuple[Path, dict]:
    """The imported book synced (once for all workers): (folder, what _make_synced returns)."""
    return shared_build("synced-d2l", (EN_V0170, ZH, EN_V0176), functools.partial(_make_synced, build_imported()[0]))


@pytest.fixture(scope="session")
def synced(imported_corpus) -> dict:
    """The imported d2l book synced to v0.17.6, once for all workers: its root, the statuses and
    translations before, and the sync's --json."""
    folder, data = build_synced()
    return {"root": folder / "book", **data, "before": {rel: {k: set(v) for k, v in units.items()}
                                                          for rel, units in data["before"].items()}}


def test_changed_english_is_stale_or_new_and_nothing_else_moves(synced: dict) -> None:
    root, before = synced["root"], synced["before"]
    book = Book.open(root)
    records = synced["json"]["units"]
    counts: Counter[str] = Counter()
    at = 0
    for rel in book.english_files():
        doc = segment((EN_V0176 / rel).read_text(encoding="utf-8"), rel)
        catalog = book.catalog(rel)
        matches = store.match(doc, catalog)
        assert all(m.pair is not None for m in matches), f"{rel}: a unit without a pair after sync"
        old = before[rel]
        for m in matches:
            unit = doc.units[m.unit]
            rec = records[at]
            at += 1
            assert rec["file"] == f"en/{rel}" and rec["lines"] == [unit.start, unit.end]
            status = rec["status"]
            assert status == store.unit_status(m).value
            if unit.key not in old:
                # the English changed between the versions: stale or new, or current only when
                # settled (a mechanical edit: settle.py), with its pair marked so
                if status == "current":
                    assert m.pair is not None and rec["settled"] == m.pair.settled != "", f"{rel}:{unit.start}"
                    assert rec["chinese"] == m.pair.chinese and m.pair.previous != m.pair.english
                    counts["changed settled"] += 1
                    continue
                assert status in ("stale", "untranslated"), f"{rel}:{unit.start} changed English is {status}"
                counts["changed " + status] += 1
            elif status in old[unit.key]:
                counts["unchanged, status kept"] += 1
            else:
                # an unchanged unit may only go stale with a pair it shares with changed English
                assert status == "stale", f"{rel}:{unit.start} unchanged English went {old[unit.key]} -> {status}"
                pair = m.pair
                assert pair is not None and pair.previous != pair.english
                assert len(pair.keys) > 1 or "\n\n" in pair.previous, f"{rel}:{unit.start}: false stale"
                counts["unchanged, stale with a changed neighbour in its pair"] += 1
    assert at == len(records)
    print(dict(counts))
    assert counts["changed stale"] > 0 and counts["changed untranslated"] > 0 and counts["changed settled"] > 0
    assert counts["unchanged, status kept"] > 9000


def test_every_translation_from_before_is_still_in_the_store(synced: dict) -> None:
    after = _translations(synced["root"])
    lost = [t for t in synced["translations"] if t not in after]
    assert not lost, f"{len(lost)} translations lost, e.g. {lost[0][:60]}"


def test_gettext_accepts_every_po(synced: dict) -> None:
    assert_msgfmt_ok(synced["root"] / "zh")


def test_summary_counts_and_a_second_sync_changes_nothing(synced: dict, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_book(synced["root"], tmp_path / "book")  # the shared book is read only
    data = synced["json"]
    statuses = Counter(u["status"] for u in data["units"])
    print("units", dict(statuses), "obsolete", data["obsolete"])
    assert data["obsolete"] > 0
    before = {p: p.read_bytes() for p in (root / "zh").rglob("*") if p.is_file()}
    capsys.readouterr()
    assert main(["sync", "--book", str(root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == data
    assert {p: p.read_bytes() for p in (root / "zh").rglob("*") if p.is_file()} == before


def test_diff_lists_every_stale_pair(synced: dict, capsys: pytest.CaptureFixture[str]) -> None:
    root = synced["root"]
    book = Book.open(root)
    stale = sum(1 for rel in book.english_files() for p in book.catalog(rel).active if p.status is Status.STALE)
    capsys.readouterr()
    assert main(["diff", "--book", str(root), "--json"]) == 0
    recs = json.loads(capsys.readouterr().out)["units"]
    assert len(recs) == stale > 0  # PO fuzzy: the English edits, then the pairings an import doubted
    edits = [r for r in recs if r["state"] == "stale"]
    assert edits and all(any(d["op"] != "=" for d in r["diff"]) for r in edits)
    doubted = recs[len(edits):]
    assert all(r["state"] == "check the pairing" and r["pairing"] for r in doubted)


@pytest.mark.slow
def test_every_view_counts_the_same_pairs_and_findings(synced: dict, capsys: pytest.CaptureFixture[str]) -> None:
    """status, diff, sync, check and the TUI's book screen: one progress record, the same totals."""
    import asyncio

    from workbench.tui.app import WorkbenchApp
    from workbench.tui.book_screen import BookScreen

    root = synced["root"]
    book = Book.open(root)
    capsys.readouterr()
    assert main(["status", "--book", str(root), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)["total"]
    numbers = ("pairs", "translated", "stale", "pairing", "conflicts", "untranslated")
    assert status["stale"] > 0 and status["pairing"] > 0 and status["pairs"] == sum(status[k] for k in numbers[1:])
    assert main(["diff", "--book", str(root), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["units"]) == status["stale"] + status["pairing"]
    assert main(["sync", "--book", str(root), "--dry-run"]) == 0
    total = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("total")).split()
    # current, settled, stale, pair?, new, todo
    assert [int(total[k]) for k in (1, 2, 3, 4, 6)] == [
        status["translated"], status["settled"], status["stale"], status["pairing"], status["untranslated"]]
    assert main(["check", "--book", str(root), "--json"]) in (0, 1)
    findings = json.loads(capsys.readouterr().out)["findings"]
    # what check reports by default: warning and worse
    assert findings and {f["severity"] for f in findings} <= {"error", "warning"}

    seen: dict[str, object] = {}

    async def drive() -> None:
        app = WorkbenchApp(book, run_checks=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, BookScreen)
            seen["total"] = app.session.total()
            seen["bar"] = str(app.screen.query_one("#total").render())

    asyncio.run(drive())
    tui = seen["total"]
    assert {k: getattr(tui, k) for k in numbers} == {k: status[k] for k in numbers}
    assert tui.findings == len(findings)  # type: ignore[attr-defined]
    assert f"{status['pairs']} pairs" in seen["bar"] and f"{status['stale']} stale" in seen["bar"]
    assert f"QA {len(findings)}" in seen["bar"]
