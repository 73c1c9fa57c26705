"""The unit-aware git merge driver (issue 13): the three-way PO merge on the built-in book's real
entries, `workbench merge-driver`, and `workbench init --git` with real git: two branches that
change different units merge cleanly, two that translate one unit differently give a conflict
git reports, both texts kept in a PO that gettext accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PREFACE, assert_msgfmt_ok
from workbench import store
from workbench.book import Book
from workbench.git_driver import ATTRIBUTE
from workbench.merge import CONFLICT
from workbench.model import Pair, WorkbenchError, review_mark
from workbench.po_merge import merge_texts

PO = "zh/" + PREFACE.removesuffix(".md") + ".po"
MD = "zh/" + PREFACE


def wb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, cwd=cwd,
                          stdin=subprocess.DEVNULL)


def git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(["git", *args], capture_output=True, text=True, cwd=cwd, stdin=subprocess.DEVNULL)
    if check:
        assert r.returncode == 0, f"git {' '.join(args)}: {r.stdout}{r.stderr}"
    return r


def base_text(book: Path) -> str:
    return (book / PO).read_text(encoding="utf-8")


def changed(text: str, **chinese: str) -> str:
    """The PO text with the Chinese of some active entries replaced (keyword: `e<index>`)."""
    catalog = store.parse(text)
    for name, value in chinese.items():
        catalog.active[int(name[1:])].chinese = value
    return store.dump(catalog)


def entry(text: str, english: str) -> Pair:
    return next(p for p in store.parse(text).pairs if p.english == english)


# --- the three-way merge on real entries -----------------------------------------------------------


def test_disjoint_units_merge_cleanly(builtin_book: Path) -> None:
    base = base_text(builtin_book)
    pairs = store.parse(base).active
    ours = changed(base, e1="这是我们的第一段译文。")
    theirs = changed(base, e6="这是他们的另一段译文。")
    merged = merge_texts(base, ours, theirs, PO)
    assert merged.conflicts == []
    result = store.parse(merged.text).active
    assert result[1].chinese == "这是我们的第一段译文。" and result[6].chinese == "这是他们的另一段译文。"
    # every other unit as the base has it, in the same order
    assert [(p.english, p.chinese) for i, p in enumerate(result) if i not in (1, 6)] == \
        [(p.english, p.chinese) for i, p in enumerate(pairs) if i not in (1, 6)]
    (builtin_book / PO).write_text(merged.text, encoding="utf-8")
    assert_msgfmt_ok(builtin_book / PO)


def test_one_unit_translated_differently_keeps_both(builtin_book: Path) -> None:
    base = base_text(builtin_book)
    english = store.parse(base).active[3].english
    ours = changed(base, e3="我们的译法。")
    theirs = changed(base, e3="他们的译法。")
    merged = merge_texts(base, ours, theirs, PO)
    [conflict] = merged.conflicts
    pair = entry(merged.text, english)
    assert pair.chinese == "我们的译法。" and pair.stale and pair.conflict
    note = "\n".join(pair.notes)
    assert note.startswith(f"{CONFLICT} {PO} ") and note.endswith("\n他们的译法。")
    assert (conflict.ours, conflict.theirs) == ("我们的译法。", "他们的译法。")
    # the line told is the entry's, in the merged text: its comments start there
    assert merged.text.splitlines()[conflict.line - 1].startswith(f"# {CONFLICT} {PO}")
    assert conflict.told(PO).startswith(f"{PO}:{conflict.line}: conflict: ")
    (builtin_book / PO).write_text(merged.text, encoding="utf-8")
    assert_msgfmt_ok(builtin_book / PO)
    # the same translation on both sides is no conflict
    same = merge_texts(base, ours, changed(ours, e1=store.parse(ours).active[1].chinese + "！"), PO)
    assert same.conflicts == [] and entry(same.text, english).chinese == "我们的译法。"


def test_a_translation_wins_over_an_emptied_one(builtin_book: Path) -> None:
    """Ours cleared the unit, theirs translated it anew: the msgstr is theirs, nothing is lost."""
    base = base_text(builtin_book)
    english = store.parse(base).active[2].english
    merged = merge_texts(base, changed(base, e2=""), changed(base, e2="新的译文。"), PO)
    pair = entry(merged.text, english)
    assert pair.chinese == "新的译文。" and pair.stale and pair.conflict and len(merged.conflicts) == 1
    assert "\n".join(pair.notes).endswith("\n" + store.parse(base).active[2].chinese)  # what both started from


def test_added_and_removed_entries(builtin_book: Path) -> None:
    base = base_text(builtin_book)
    catalog = store.parse(base)
    gone, kept_changed, after = catalog.active[4], catalog.active[8], catalog.active[2]
    # ours: removes one entry untouched by theirs, and one that theirs translates anew
    ours = store.parse(base)
    ours.pairs = [p for p in ours.pairs if p.english not in (gone.english, kept_changed.english)]
    # theirs: adds an entry after the third, changes the translation of one ours removed
    theirs = store.parse(base)
    new = Pair(english="A paragraph only the other branch has.", chinese="只有另一个分支有的段落。", line=6)
    theirs.pairs.insert(3, new)
    next(p for p in theirs.pairs if p.english == kept_changed.english).chinese = "另一个分支的新译文。"
    merged = merge_texts(base, store.dump(ours), store.dump(theirs), PO)
    result = store.parse(merged.text)
    englishes = [p.english for p in result.pairs]
    assert gone.english not in englishes  # removed on one side, unchanged on the other
    assert englishes[englishes.index(after.english) + 1] == new.english  # added where theirs has it
    kept = entry(merged.text, kept_changed.english)  # removed here, translated there: kept
    assert kept.chinese == "另一个分支的新译文。" and kept.stale and kept.conflict
    assert [(c.ours, c.theirs) for c in merged.conflicts] == [(None, "另一个分支的新译文。")]
    (builtin_book / PO).write_text(merged.text, encoding="utf-8")
    assert_msgfmt_ok(builtin_book / PO)


def test_fields_notes_and_review_merge_per_side(builtin_book: Path) -> None:
    """Ours reviews a unit and notes another; theirs revises the reviewed unit and adds a note to
    the noted one: both notes stay, and the revised translation is no longer reviewed."""
    base = base_text(builtin_book)
    ours, theirs = store.parse(base), store.parse(base)
    reviewed, noted = ours.active[5], ours.active[7]
    reviewed.review = review_mark(reviewed.chinese)
    noted.notes.append("我们的备注")
    theirs.active[5].chinese = theirs.active[5].chinese + "（修订）"
    theirs.active[7].notes.append("他们的备注")
    merged = merge_texts(base, store.dump(ours), store.dump(theirs), PO)
    assert merged.conflicts == []
    result = store.parse(merged.text).active
    assert result[5].chinese.endswith("（修订）") and not result[5].reviewed
    assert result[7].notes == ["我们的备注", "他们的备注"]


def test_header_takes_the_later_revision_date(builtin_book: Path) -> None:
    base = base_text(builtin_book)
    ours, theirs = store.parse(changed(base, e1="甲。")), store.parse(changed(base, e6="乙。"))
    ours.revised, theirs.revised = "2026-03-01 09:00+0000", "2026-03-01 10:30+0100"  # theirs: 09:30 UTC
    ours.metadata["Last-Translator"] = "Ours <ours@example.org>"
    theirs.metadata["X-Generator"] = "Poedit 3.4"
    merged = merge_texts(base, store.dump(ours), store.dump(theirs), PO)
    header = store.parse(merged.text).metadata
    assert header["PO-Revision-Date"] == "2026-03-01 10:30+0100"
    assert header["Last-Translator"] == "Ours <ours@example.org>" and header["X-Generator"] == "Poedit 3.4"
    ours.revised = "2026-03-02 08:00+0000"
    again = merge_texts(base, store.dump(ours), store.dump(theirs), PO)
    assert store.parse(again.text).revised == "2026-03-02 08:00+0000"


def test_a_version_that_cannot_be_read_is_refused(builtin_book: Path) -> None:
    base = base_text(builtin_book)
    marked = base.replace('msgstr "前言"', '<<<<<<< HEAD\nmsgstr "前言"\n=======\nmsgstr "序言"\n>>>>>>> b')
    with pytest.raises(WorkbenchError, match="the other branch's version") as e:
        merge_texts(base, changed(base, e1="甲。"), marked, PO)
    assert e.value.path == PO and e.value.line


def test_the_driver_command_writes_ours_and_says_conflicts(builtin_book: Path) -> None:
    base = base_text(builtin_book)
    files = {"O": base, "A": changed(base, e3="我们的。"), "B": changed(base, e3="他们的。", e1="他们的另一段。")}
    for name, text in files.items():
        (builtin_book / name).write_text(text, encoding="utf-8")
    r = wb("merge-driver", "O", "A", "B", PO, cwd=builtin_book)
    assert r.returncode == 1, r.stderr
    [told] = r.stderr.splitlines()
    assert told.startswith(f"{PO}:") and ": conflict: " in told
    result = (builtin_book / "A").read_text(encoding="utf-8")
    assert store.parse(result).active[1].chinese == "他们的另一段。"
    assert store.parse(result).active[3].chinese == "我们的。"
    # a clean merge: exit 0, no word
    (builtin_book / "A").write_text(changed(base, e6="我们的。"), encoding="utf-8")
    r = wb("merge-driver", "O", "A", "B", PO, cwd=builtin_book)
    assert (r.returncode, r.stderr) == (0, "")
    # a version git left with conflict markers: exit 2, one line, ours untouched
    (builtin_book / "B").write_text(base.replace('msgstr "前言"', '<<<<<<< HEAD\nmsgstr "序"'), encoding="utf-8")
    before = (builtin_book / "A").read_bytes()
    r = wb("merge-driver", "O", "A", "B", PO, cwd=builtin_book)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith(f"workbench: {PO}:") and "git show :3:" in r.stderr
    assert (builtin_book / "A").read_bytes() == before


# --- with real git ---------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a book made with `workbench init --git`, committed on main."""
    root = tmp_path / "book"
    root.mkdir()
    git("init", "-q", "-b", "main", cwd=root)
    git("config", "user.name", "Translator One", cwd=root)
    git("config", "user.email", "one@example.org", cwd=root)
    r = wb("init", "--git", cwd=root)
    assert r.returncode == 0, r.stderr
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "a new book", cwd=root)
    return root


def translate(root: Path, index: int, chinese: str, revised: str) -> str:
    """Change the Chinese of one unit the way the TUI saves (PO and zh/*.md), with a given revision
    date so that the two branches' headers differ (git alone could not merge them); returns its English."""
    book = Book(root)
    catalog = book.catalog(PREFACE)
    pair = catalog.active[index]
    pair.chinese = chinese
    with book.lock("test"):
        book.apply([book.plan_save(PREFACE, catalog)])
    saved = store.parse((root / PO).read_text(encoding="utf-8"))
    saved.revised = revised
    (root / PO).write_text(store.dump(saved), encoding="utf-8")
    return pair.english


def two_branches(repo: Path, ours: tuple[int, str], theirs: tuple[int, str]) -> tuple[str, str]:
    """Branch `theirs` (in a worktree of its own, as a second translator's checkout) and main each
    change one unit and commit; returns the two Englishes."""
    other = repo.parent / "other"
    git("worktree", "add", "-q", "-b", "theirs", str(other), "main", cwd=repo)
    theirs_english = translate(other, *theirs, revised="2026-05-02 12:00+0000")
    git("commit", "-q", "-am", "their translation", cwd=other)
    ours_english = translate(repo, *ours, revised="2026-05-01 12:00+0000")
    git("commit", "-q", "-am", "our translation", cwd=repo)
    return ours_english, theirs_english


def test_init_git_registers_the_driver_once(repo: Path) -> None:
    assert (repo / ".gitattributes").read_text(encoding="utf-8").splitlines() == [ATTRIBUTE]
    assert git("config", "--get-all", "merge.workbench.driver", cwd=repo).stdout.strip().endswith(
        "merge-driver %O %A %B %P")
    assert "/.workbench/" in (repo / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert git("check-attr", "merge", "--", PO, cwd=repo).stdout.strip() == f"{PO}: merge: workbench"
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    r = wb("init", "--git", cwd=repo)  # an existing book: registered already, nothing refused or added
    assert r.returncode == 0, r.stderr
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts} == before
    assert len(git("config", "--get-all", "merge.workbench.driver", cwd=repo).stdout.splitlines()) == 1
    assert len(git("config", "--get-all", "merge.workbench.name", cwd=repo).stdout.splitlines()) == 1
    assert git("status", "--porcelain", cwd=repo).stdout == ""


def test_init_git_on_an_existing_book_keeps_its_attributes(repo: Path) -> None:
    (repo / ".gitattributes").write_text("*.ipynb -diff", encoding="utf-8")  # no final newline
    git("config", "--unset", "merge.workbench.driver", cwd=repo)
    r = wb("init", "--git", str(repo), cwd=repo.parent)
    assert r.returncode == 0, r.stderr
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == f"*.ipynb -diff\n{ATTRIBUTE}\n"
    assert git("config", "merge.workbench.driver", cwd=repo).returncode == 0


def test_init_git_in_a_folder_of_the_repository(tmp_path: Path) -> None:
    """A book in a subfolder of a repository: its .gitattributes applies to its own zh/."""
    git("init", "-q", cwd=tmp_path)
    r = wb("init", "--git", "books/d2l", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    po = f"books/d2l/{PO}"
    assert git("check-attr", "merge", "--", po, cwd=tmp_path).stdout.strip() == f"{po}: merge: workbench"
    assert git("check-attr", "merge", "--", "books/d2l/en/x.po", cwd=tmp_path).stdout.strip().endswith("unspecified")
    assert git("config", "merge.workbench.driver", cwd=tmp_path).returncode == 0


def test_a_file_new_on_both_branches(builtin_book: Path) -> None:
    """No common ancestor (git gives an empty one): what both sides agree on merges, a unit they
    translated differently is a conflict."""
    base = base_text(builtin_book)
    merged = merge_texts("", changed(base, e1="甲。"), changed(base, e6="乙。"), PO)
    assert sorted((c.ours, c.theirs) for c in merged.conflicts) == sorted(
        [("甲。", store.parse(base).active[1].chinese), (store.parse(base).active[6].chinese, "乙。")])
    assert len(store.parse(merged.text).pairs) == len(store.parse(base).pairs)


def test_init_git_outside_a_repository_is_refused(tmp_path: Path) -> None:
    if git("rev-parse", "--show-toplevel", cwd=tmp_path, check=False).returncode == 0:
        pytest.skip("the temporary folder is inside a git repository")
    r = wb("init", "--git", "book", cwd=tmp_path)
    assert r.returncode == 2 and "git init" in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_git_merges_different_units_cleanly(repo: Path) -> None:
    ours_english, theirs_english = two_branches(repo, (1, "我们翻译的第一段。"), (6, "他们翻译的另一段。"))
    # git's own line merge cannot merge them (the headers differ): the driver does
    versions = []
    for rev in ("HEAD~1", "HEAD", "theirs"):
        versions.append(repo.parent / rev.replace("~", "-"))
        versions[-1].write_text(git("show", f"{rev}:{PO}", cwd=repo).stdout, encoding="utf-8")
    ancestor, head, other = versions
    assert git("merge-file", "-p", "-q", str(head), str(ancestor), str(other), cwd=repo, check=False).returncode > 0
    r = git("merge", "--no-edit", "theirs", cwd=repo, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    text = (repo / PO).read_text(encoding="utf-8")
    assert entry(text, ours_english).chinese == "我们翻译的第一段。"
    assert entry(text, theirs_english).chinese == "他们翻译的另一段。"
    assert store.parse(text).revised == "2026-05-02 12:00+0000"  # the later of the two
    assert CONFLICT not in text
    assert_msgfmt_ok(repo / PO)
    # zh/*.md (merged by git line by line) agrees with the merged PO: render finds nothing to do
    r = wb("render", cwd=repo)
    assert r.returncode == 0, r.stderr
    md = (repo / MD).read_text(encoding="utf-8")
    assert "我们翻译的第一段。" in md and "他们翻译的另一段。" in md


def test_git_reports_a_unit_translated_differently(repo: Path) -> None:
    english, _ = two_branches(repo, (3, "我们的译法。"), (3, "他们的译法。"))
    r = git("merge", "--no-edit", "theirs", cwd=repo, check=False)
    assert r.returncode != 0
    assert f"{PO}:" in r.stderr and "conflict" in r.stderr  # the driver's line, passed on by git
    assert PO in git("diff", "--name-only", "--diff-filter=U", cwd=repo).stdout
    text = (repo / PO).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text
    pair = entry(text, english)
    assert pair.chinese == "我们的译法。" and pair.stale and pair.conflict
    assert "\n".join(pair.notes).endswith("\n他们的译法。")
    assert_msgfmt_ok(repo / PO)
    # resolved the way the README says: take a side of zh/*.md, render from the merged PO
    git("checkout", "--ours", "--", MD, cwd=repo)
    r = wb("render", cwd=repo)
    assert r.returncode == 0, r.stderr
    assert "我们的译法。" in (repo / MD).read_text(encoding="utf-8")
    # and `check` shows the conflict until the translator resolves it
    r = wb("check", "--only", "structure", cwd=repo)
    assert r.returncode == 1 and "conflict: two edits of this unit met" in r.stdout
