"""A translator's work is never lost to a path, a mode, a full disk or a Ctrl-C (issue 11).

Each test reproduces one case of the issue on the built-in book, the seed or corpus chapters:
paths that would leave the book, imports that wrote and then refused, modes lost on a write,
glossary review losing answers, and tracebacks where one line and exit 2 were due.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EN_V0170, EN_V0176, SEED, ZH, need_corpus
from workbench import files
from workbench import glossary as G
from workbench.cli import main

PREFACE = "chapter_preface/index.md"
PREFACE_PO = "zh/chapter_preface/index.po"
PREFACE_ZH = "zh/chapter_preface/index.md"


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under root with its bytes and mode (the lock file aside)."""
    return {str(p.relative_to(root)): (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink() and p.name != ".workbench.lock"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    """The error output: one `workbench: ...` line, no traceback."""
    assert "Traceback" not in err
    lines = [x for x in err.splitlines() if not x.startswith("workbench: warning:")]
    assert len(lines) == 1 and lines[0].startswith("workbench: "), err
    return lines[0]


def changed_seed(tmp_path: Path) -> Path:
    """The seed with one English heading changed (a re-import that rewrites en/, the PO and zh/)."""
    seed = tmp_path / "seed.txt"
    seed.write_text(SEED.read_text(encoding="utf-8").replace("# Preface前言", "# Foreword前言"), encoding="utf-8")
    return seed


@pytest.fixture
def book(builtin_book: Path) -> Path:
    """The built-in book one folder down, so `..` out of it lands in a folder the test can watch."""
    root = builtin_book / "book"
    root.mkdir()
    for part in ("en", "zh", "glossary"):
        shutil.move(builtin_book / part, root / part)
    return root


# -- paths escape the book -------------------------------------------------------------------


@pytest.mark.parametrize("target", ["../../escape", "../outside/victim", "en//etc/x.md", "/etc/x.md",
                                    "chapter_preface/new\nline"])
def test_import_bilingual_as_a_path_outside_the_book_is_refused(book: Path, target: str, capsys) -> None:
    outside = book.parent / "outside"
    outside.mkdir()
    (outside / "victim.md").write_text("the victim's own text\n", encoding="utf-8")
    before, around = snapshot(book), snapshot(book.parent)
    for dry in ([], ["--dry-run"]):
        code, _, err = run(capsys, "import-bilingual", str(SEED), "--as", target, "--book", str(book), *dry)
        assert code == 2
        one_line_error(err)
    assert snapshot(book) == before and snapshot(book.parent) == around


def test_render_of_a_file_outside_the_book_is_refused(book: Path, monkeypatch, capsys) -> None:
    (book.parent / "outside").mkdir()
    shutil.copy(book / "en" / PREFACE, book.parent / "outside/other.md")
    around = snapshot(book.parent)
    monkeypatch.chdir(book)
    for name in ("../outside/other.md", str(book.parent / "outside/other.md"), "en/../../outside/other.md"):
        code, _, err = run(capsys, "render", name)
        assert code == 2
        assert "inside the book" in one_line_error(err)
    assert snapshot(book.parent) == around


def test_a_symlink_out_of_the_book_is_not_synced(book: Path, capsys) -> None:
    secret = book.parent / "secret.md"
    shutil.copy(book / "en" / PREFACE, secret)
    (book / "en/key.md").symlink_to(secret)
    code, _, err = run(capsys, "sync", "--book", str(book))
    assert code == 0
    assert "en/key.md: is a symlink leading out of the book" in err
    assert not (book / "zh/key.md").exists() and not (book / "zh/key.po").exists()
    for cmd in ("render", "sync"):
        code, _, err = run(capsys, cmd, "en/key.md", "--book", str(book))
        assert code == 2 and "symlink leading out of the book" in one_line_error(err)


def test_a_file_name_with_a_newline_is_left_out_and_every_command_still_works(book: Path, capsys) -> None:
    shutil.copy(book / "en" / PREFACE, book / "en/bad\nname.md")
    code, _, err = run(capsys, "sync", "--book", str(book))
    assert code == 0 and "en/bad\\x0aname.md: its name holds a control character" in err
    assert sorted(p.name for p in (book / "zh").iterdir()) == ["chapter_preface"]
    for cmd in ("status", "render", "check"):
        code, _, err = run(capsys, cmd, "--book", str(book))
        assert code in (0, 1) and "Traceback" not in err, (cmd, err)
    code, _, err = run(capsys, "render", "en/bad\nname.md", "--book", str(book))
    assert code == 2 and "control character" in one_line_error(err)


def test_an_english_file_name_too_long_for_the_temporary_name_is_synced(book: Path, capsys) -> None:
    name = "x" * 240 + ".md"  # 243 bytes: `.NAME.XXXXXXXX.tmp` would pass the 255-byte limit
    shutil.copy(book / "en" / PREFACE, book / "en" / name)
    code, _, err = run(capsys, "sync", "--book", str(book))
    assert code == 0, err
    assert (book / "zh" / name).is_file() and (book / "zh" / ("x" * 240 + ".po")).is_file()
    assert not [p for p in (book / "zh").rglob("*.tmp")]


# -- exit 2 after writing -------------------------------------------------------------------


def test_import_bilingual_refused_by_a_hand_edit_writes_nothing(book: Path, tmp_path: Path, capsys) -> None:
    with open(book / PREFACE_ZH, "a", encoding="utf-8") as f:
        f.write("\n额外的段落。\n")  # a paragraph no English matches: cannot be taken back
    before = snapshot(book)
    code, _, err = run(capsys, "import-bilingual", str(changed_seed(tmp_path)), "--as", PREFACE, "--book", str(book))
    assert code == 2
    assert "zh/chapter_preface/index.md:128: hand edit adds text" in one_line_error(err)
    assert snapshot(book) == before  # the new English is not left beside the old PO


@pytest.mark.corpus
def test_import_into_a_book_with_a_broken_po_writes_nothing(tmp_path: Path, capsys) -> None:
    need_corpus()
    rels = ["chapter_installation/index.md", PREFACE]
    trees = tmp_path / "trees"
    for rel in rels:
        for src, part in ((EN_V0170, "en"), (ZH, "zh")):
            (trees / part / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src / rel, trees / part / rel)
    root = tmp_path / "book"
    assert run(capsys, "import", "--en", str(trees / "en"), "--zh", str(trees / "zh"), "--book", str(root))[0] in (0, 1)
    # the English of the first file moves on; the PO of the second is broken by hand
    shutil.copy(EN_V0176 / rels[0], trees / "en" / rels[0])
    po = root / PREFACE_PO
    lines = po.read_text(encoding="utf-8").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
    lines[k] = "msgstr unquoted text"
    po.write_text("\n".join(lines), encoding="utf-8")
    before = snapshot(root)
    code, _, err = run(capsys, "import", "--en", str(trees / "en"), "--zh", str(trees / "zh"), "--book", str(root))
    assert code == 2
    assert f"zh/chapter_preface/index.po:{k + 1}:" in one_line_error(err)
    assert snapshot(root) == before


# -- modes ----------------------------------------------------------------------------------


def test_a_write_keeps_the_mode_of_an_existing_file_and_a_new_one_follows_the_umask(book: Path, tmp_path: Path,
                                                                                    capsys) -> None:
    for name in (PREFACE_PO, PREFACE_ZH):
        os.chmod(book / name, 0o664)
    old = os.umask(0o002)
    try:
        code, _, err = run(capsys, "import-bilingual", str(changed_seed(tmp_path)), "--as", PREFACE,
                           "--book", str(book))
        assert code == 0, err
        assert "Foreword" in (book / "en" / PREFACE).read_text(encoding="utf-8")
        for name in (PREFACE_PO, PREFACE_ZH):
            assert stat.S_IMODE((book / name).stat().st_mode) == 0o664
        os.umask(0o027)
        assert run(capsys, "import-bilingual", str(SEED), "--as", "chapter_preface/again.md", "--book", str(book))[0] == 0
        for name in ("en/chapter_preface/again.md", "zh/chapter_preface/again.po", "zh/chapter_preface/again.md"):
            assert stat.S_IMODE((book / name).stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_a_read_only_po_is_not_replaced(book: Path, tmp_path: Path, capsys) -> None:
    os.chmod(book / PREFACE_PO, 0o444)
    before = snapshot(book)
    code, _, err = run(capsys, "import-bilingual", str(changed_seed(tmp_path)), "--as", PREFACE, "--book", str(book))
    assert code == 2
    assert f"{PREFACE_PO}: is read-only" in one_line_error(err)
    assert snapshot(book) == before


def test_sync_checks_every_target_before_the_first_write(book: Path, capsys) -> None:
    # the English changed, so zh/*.md (written first) and the PO would both change; the PO is
    # read-only: the sync is refused before zh/*.md is touched
    en = book / "en" / PREFACE
    en.write_text(en.read_text(encoding="utf-8") + "\nA new paragraph, shown in English until translated.\n",
                  encoding="utf-8")
    os.chmod(book / PREFACE_PO, 0o444)
    before = snapshot(book)
    code, _, err = run(capsys, "sync", "--book", str(book))
    assert code == 2
    assert f"{PREFACE_PO}: is read-only" in one_line_error(err)
    assert snapshot(book) == before


# -- glossary review -------------------------------------------------------------------------


class Answers(io.StringIO):
    """Standard input for `glossary review`: the answers, then Ctrl-C (or the end); each read
    checks that nobody holds the book's lock while the translator thinks."""

    def __init__(self, book: Path, text: str, interrupt: bool = False) -> None:
        super().__init__(text)
        self.book, self.interrupt, self.reads = book, interrupt, 0

    def readline(self, *args) -> str:  # type: ignore[override]
        assert not (self.book / files.LOCK_NAME).exists(), "the lock is held while waiting for an answer"
        self.reads += 1
        line = super().readline(*args)
        if not line and self.interrupt:
            raise KeyboardInterrupt
        return line


@pytest.fixture
def proposals(book: Path, capsys) -> list[G.Term]:
    """The built-in book with d2l-zh's TERMINOLOGY.md imported as proposals."""
    need_corpus()
    assert run(capsys, "glossary", "import", str(ZH / "TERMINOLOGY.md"), "--status", "proposed",
               "--book", str(book))[0] == 0
    todo = G.load(book).with_status("proposed")
    assert len(todo) > 100
    return todo


def test_review_keeps_every_answer_on_ctrl_c(book: Path, proposals: list[G.Term], monkeypatch, capsys) -> None:
    stdin = Answers(book, "a\nr\n", interrupt=True)
    monkeypatch.setattr("sys.stdin", stdin)
    code, out, _ = run(capsys, "glossary", "review", "--book", str(book))
    assert code == 130 and stdin.reads == 3
    g = G.load(book)
    assert g.find(proposals[0].english, proposals[0].chinese)[0].status == "approved"
    assert g.find(proposals[1].english, proposals[1].chinese)[0].status == "rejected"
    assert "2 decisions saved" in out


def test_review_asks_again_on_a_typo_and_on_a_tab_in_a_term(book: Path, proposals: list[G.Term], monkeypatch,
                                                            capsys) -> None:
    monkeypatch.setattr("sys.stdin", Answers(book, "x\na\ne\n新\t译名\ne\n新译名\n"))
    code, out, err = run(capsys, "glossary", "review", "--book", str(book))
    assert code == 0, err
    assert "not an answer: 'x'" in out and "a tab, line break or control character" in out
    g = G.load(book)
    assert g.find(proposals[0].english, proposals[0].chinese)[0].status == "approved"  # the typo did not skip it
    assert g.find(proposals[1].english, "新译名")[0].status == "approved"
    assert g.find(proposals[2].english, proposals[2].chinese)[0].status == "proposed"  # the end of input: kept


def test_the_lock_message_names_the_command_and_process_that_hold_it(book: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("workbench.book.LOCK_WAIT", 0.0)  # the holder never lets go here: no use waiting
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (book / files.LOCK_NAME).write_text(f"{holder.pid} glossary review\n", encoding="utf-8")
        code, _, err = run(capsys, "glossary", "import", str(ZH / "TERMINOLOGY.md"), "--book", str(book))
    finally:
        holder.kill()
        holder.wait()
    assert code == 2
    assert f"locked by process {holder.pid} (`workbench glossary review` is writing)" in one_line_error(err)


def test_glossary_import_skips_a_whitespace_only_tbx_term(book: Path, tmp_path: Path, capsys) -> None:
    tbx = tmp_path / "g.tbx"
    assert run(capsys, "glossary", "export", "--format", "tbx", "-o", str(tbx), "--book", str(book))[0] == 0
    text = tbx.read_text(encoding="utf-8")
    # one real entry's Chinese term made whitespace-only
    text = text.replace("<term>注意力机制</term>", "<term>   </term>", 1)
    assert "<term>   </term>" in text
    tbx.write_text(text, encoding="utf-8")
    fresh = tmp_path / "fresh"
    (fresh / "en").mkdir(parents=True)
    code, _, err = run(capsys, "glossary", "import", str(tbx), "--book", str(fresh))
    assert code == 0 and "skipped 'attention mechanism' -> ''" in err
    g = G.load(fresh)  # the file reads back: no empty term was written
    assert g.terms and not g.find("attention mechanism")
    assert run(capsys, "glossary", "check", "--book", str(fresh))[0] in (0, 1)


# -- no tracebacks ---------------------------------------------------------------------------


def _edit_english(book: Path) -> None:
    """A real change of the English, so a sync has files to write."""
    en = book / "en" / PREFACE
    en.write_text(en.read_text(encoding="utf-8") + "\nA new paragraph, shown in English until translated.\n",
                  encoding="utf-8")


def test_a_full_disk_is_one_line_and_nothing_half_written(book: Path, monkeypatch, capsys) -> None:
    _edit_english(book)
    before = snapshot(book)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run(capsys, "sync", "--book", str(book))
    assert code == 2
    assert "the disk is full" in one_line_error(err)
    assert snapshot(book) == before and not list(book.rglob("*.tmp"))


def test_a_read_only_folder_is_one_line(book: Path, monkeypatch, capsys) -> None:
    _edit_english(book)
    before = snapshot(book)

    def denied(*args, **kwargs):  # as mkstemp fails in a folder without write permission
        raise PermissionError(errno.EACCES, "Permission denied", str(book / "zh/chapter_preface"))
    monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    code, _, err = run(capsys, "sync", "--book", str(book))
    assert code == 2 and "permission denied" in one_line_error(err)
    assert snapshot(book) == before


def test_an_unexpected_os_error_is_one_line(book: Path, monkeypatch, capsys) -> None:
    from workbench.book import Book

    def denied(self):
        raise PermissionError(errno.EACCES, "Permission denied", str(self.root / "en"))
    monkeypatch.setattr(Book, "english_files", denied)
    code, _, err = run(capsys, "status", "--book", str(book))
    assert code == 2 and f"{book}/en: Permission denied" in one_line_error(err)


@pytest.mark.parametrize("cache", ["null", "[]", '"x"', "a record of the wrong type"])
def test_a_sync_cache_of_the_wrong_type_is_treated_as_missing(book: Path, cache: str, capsys) -> None:
    assert run(capsys, "sync", "--book", str(book))[0] == 0
    path = book / ".workbench/sync-cache.json"
    if cache.startswith("a record"):  # the cache as this code writes it, one file's record a number
        data = json.loads(path.read_text(encoding="utf-8"))
        data["files"][PREFACE] = 3
        cache = json.dumps(data)
    path.write_text(cache, encoding="utf-8")
    _edit_english(book)
    code, out, err = run(capsys, "sync", "--book", str(book))
    assert code == 0, err
    assert "1 of 1 files changed" in out
    assert run(capsys, "diff", "--book", str(book))[0] in (0, 1)


def test_a_csv_glossary_field_over_128_kib_is_one_line(book: Path, tmp_path: Path, capsys) -> None:
    csv_file = tmp_path / "big.csv"
    csv_file.write_text('source,target\n"tensor","张量"\n"big","' + "长" * 140_000 + '"\n', encoding="utf-8")
    before = snapshot(book)
    code, _, err = run(capsys, "glossary", "import", str(csv_file), "--book", str(book))
    assert code == 2 and f"{csv_file}:3: not a CSV glossary" in one_line_error(err)
    assert snapshot(book) == before


def test_zh_being_a_file_is_one_line(book: Path, capsys) -> None:
    shutil.rmtree(book / "zh")
    (book / "zh").write_text("not a folder\n", encoding="utf-8")
    code, _, err = run(capsys, "sync", "--book", str(book))
    assert code == 2 and "zh: is a file where the book needs a folder" in one_line_error(err)
    assert (book / "zh").read_text(encoding="utf-8") == "not a folder\n"


def test_temporary_files_of_a_killed_run_are_removed_by_the_next_writer(book: Path, capsys) -> None:
    left = [book / "zh/chapter_preface/.index.po.k1ll3d.tmp", book / "glossary/.glossary.tsv.k1ll3d.tmp",
            book / "en/chapter_preface/.index.md.k1ll3d.tmp"]
    for p in left:
        p.write_text("half", encoding="utf-8")
    keep = book / "zh/chapter_preface/notes.tmp"  # not a name write_atomic makes: not ours to remove
    keep.write_text("mine", encoding="utf-8")
    assert run(capsys, "glossary", "import", str(SEED.parent / "missing.md"), "--book", str(book))[0] == 2
    assert all(p.exists() for p in left)  # refused before the lock: nothing touched
    csv_file = book.parent / "one.csv"
    csv_file.write_text("source,target\ntensor,张量\n", encoding="utf-8")
    assert run(capsys, "glossary", "import", str(csv_file), "--book", str(book))[0] == 0
    assert not any(p.exists() for p in left) and keep.exists()


def test_import_of_a_tree_with_a_newline_in_a_file_name_writes_nothing(book: Path, tmp_path: Path, capsys) -> None:
    trees = tmp_path / "trees"
    for part in ("en", "zh"):
        (trees / part).mkdir(parents=True)
        shutil.copy(book / part / PREFACE, trees / part / "good.md")
        shutil.copy(book / part / PREFACE, trees / part / "bad\nname.md")
    before = snapshot(book)
    code, _, err = run(capsys, "import", "--en", str(trees / "en"), "--zh", str(trees / "zh"), "--book", str(book))
    assert code == 2 and "bad\\x0aname.md: a file name with a control character" in one_line_error(err)
    assert snapshot(book) == before
