"""The command line as a user meets it: JSON shapes, and bad input answered with file, line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED, assert_msgfmt_ok
from workbench import builtin

PREFACE_PO = Path("zh/chapter_preface/index.po")


def wb(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, cwd=cwd)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_segment_json_shape(builtin_book: Path) -> None:
    r = wb("segment", "--json", str(builtin_book / "en/chapter_preface/index.md"))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert set(doc) == {"file", "units"}
    assert set(doc["units"][0]) == {"kind", "translatable", "lines", "source"}
    text = (builtin_book / "en/chapter_preface/index.md").read_text(encoding="utf-8")
    assert "".join(u["source"] for u in doc["units"]) == text


def test_status_counts_the_builtin_book(builtin_book: Path) -> None:
    r = wb("status", "--json", cwd=builtin_book)
    assert r.returncode == 0, r.stderr
    total = json.loads(r.stdout)["total"]
    assert total["pairs"] == 52 and total["translated"] == 51 and total["untranslated"] == 1
    assert total["stale"] == 0 and total["chinese_chars"] > 3000


def test_status_outside_a_book_reads_the_builtin_one_and_says_so(tmp_path: Path) -> None:
    r = wb("status", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "reading the built-in book" in r.stderr and "workbench init" in r.stderr
    assert json.loads(r.stdout)["book"] == str(builtin.location())


@pytest.mark.parametrize(
    "name, data, expect",
    [
        ("latin1.md", "# Café\n\nUn paragraphe.\n".encode("latin-1"), "latin1.md:1: not UTF-8"),
        ("fence.md", b"# T\n\nText.\n\n```python\nx = 1\n", "fence.md:5: code fence opened here is never closed"),
    ],
)
def test_bad_markdown_is_exit_2_with_file_and_line(tmp_path: Path, name: str, data: bytes, expect: str) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    r = wb("segment", str(f))
    assert r.returncode == 2
    assert expect in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "data",
    [b"\xef\xbb\xbf# Title\n\nText.\n", b"# Title\r\n\r\nText.\r\n", b"", b"# " + b"x" * 10 + b"\n"],
    ids=["bom", "crlf", "empty", "one-line"],
)
def test_odd_but_valid_markdown_round_trips_through_the_cli(tmp_path: Path, data: bytes) -> None:
    f = tmp_path / "x.md"
    f.write_bytes(data)
    r = wb("segment", "--json", str(f))
    assert r.returncode == 0, r.stderr
    units = json.loads(r.stdout)["units"]
    assert "".join(u["source"] for u in units).encode("utf-8") == data


def test_broken_po_is_exit_2_and_nothing_is_written(builtin_book: Path) -> None:
    po = builtin_book / PREFACE_PO
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[30] = 'msgstr "unterminated\n'
    po.write_text("".join(lines), encoding="utf-8")
    (builtin_book / "zh/chapter_preface/index.md").write_text("hand edited\n", encoding="utf-8")
    before = snapshot(builtin_book)
    r = wb("render", cwd=builtin_book)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "zh/chapter_preface/index.po:31:" in r.stderr
    assert snapshot(builtin_book) == before


def test_import_bilingual_dry_run_writes_nothing(builtin_book: Path) -> None:
    before = snapshot(builtin_book)
    r = wb("import-bilingual", str(SEED), "--as", "chapter_preface/again.md", "--dry-run", cwd=builtin_book)
    assert r.returncode == 0, r.stderr
    assert "52 units, 51 translated" in r.stdout
    assert snapshot(builtin_book) == before


def test_import_bilingual_reproduces_the_builtin_book(builtin_book: Path) -> None:
    r = wb("import-bilingual", str(SEED), "--as", "chapter_preface/again.md", cwd=builtin_book)
    assert r.returncode == 0, r.stderr
    for part in ("en/chapter_preface/{}.md", "zh/chapter_preface/{}.md"):
        assert (builtin_book / part.format("again")).read_bytes() == (builtin_book / part.format("index")).read_bytes()
    assert_msgfmt_ok(builtin_book / "zh")


def test_second_writer_is_told_the_book_is_locked(builtin_book: Path) -> None:
    holder = subprocess.Popen(["sleep", "30"])
    try:
        (builtin_book / ".workbench.lock").write_text(f"{holder.pid} sync\n")
        r = wb("render", cwd=builtin_book)
    finally:
        holder.kill()
    assert r.returncode == 2 and "locked by process" in r.stderr


def test_a_lock_left_by_a_dead_process_is_taken_over(builtin_book: Path) -> None:
    p = subprocess.Popen(["true"])
    p.wait()
    (builtin_book / ".workbench.lock").write_text(f"{p.pid} sync\n")
    r = wb("render", cwd=builtin_book)
    assert r.returncode == 0, r.stderr
    assert not (builtin_book / ".workbench.lock").exists()


def test_reimport_keeps_replaced_translations_as_obsolete(builtin_book: Path, tmp_path: Path) -> None:
    changed = SEED.read_text(encoding="utf-8").replace("# Preface前言", "# Preface序言")
    seed = tmp_path / "seed.txt"
    seed.write_text(changed, encoding="utf-8")
    r = wb("import-bilingual", str(seed), "--as", "chapter_preface/index.md", cwd=builtin_book)
    assert r.returncode == 0, r.stderr
    po = (builtin_book / PREFACE_PO).read_text(encoding="utf-8")
    assert 'msgid "Preface"\nmsgstr "序言"' in po
    # the replaced translation is kept under a msgctxt of its own: msgid + msgctxt stay unique
    assert '#~ msgctxt "old 1"\n#~ msgid "Preface"\n#~ msgstr "前言"' in po
    assert_msgfmt_ok(builtin_book / "zh")
