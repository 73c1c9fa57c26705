"""`workbench export --format bilingual|html` used as an attacker or a careless user would: the
output folder may never reach into the book or overwrite what is not an export's, a read-only
folder is refused, a killed export leaves nothing behind a rerun does not clean, and the HTML
edition embeds only the book's images."""

from __future__ import annotations

import base64
import html
import json
import os
import stat
import urllib.parse
from pathlib import Path

import pytest

from conftest import PREFACE
from conftest import run_in_book as run
from workbench import files
from workbench.editions.output import MANIFEST
from workbench.editions.progress_page import page_name


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _error(err: str) -> str:
    """The one error line (`workbench: file: message`), no traceback."""
    assert "Traceback" not in err
    lines = [x for x in err.splitlines() if not x.startswith("workbench: warning:")]
    assert len(lines) == 1 and lines[0].startswith("workbench: "), err
    return lines[0]


@pytest.mark.parametrize("fmt", ["bilingual", "html"])
def test_a_folder_of_the_output_linked_into_zh_is_refused(builtin_book: Path, tmp_path: Path, fmt: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    # out/chapter_preface -> the book's zh/chapter_preface: the bilingual page would replace
    # zh/chapter_preface/index.md, which the next render takes for the translator's hand edit
    out = tmp_path / "out"
    sub = page_name(PREFACE).rsplit("/", 1)[0] if fmt == "html" else PREFACE.rsplit("/", 1)[0]
    (out / sub).parent.mkdir(parents=True, exist_ok=True)
    (out / sub).symlink_to(builtin_book / "zh" / "chapter_preface")
    before = _tree(builtin_book)
    for dry in ((), ("--dry-run",)):
        code, _, err = run(capsys, builtin_book, "export", "--format", fmt, "-o", str(out), *dry)
        assert code == 2 and "is inside the book's zh/ folder" in _error(err)
    assert _tree(builtin_book) == before
    assert not (out / "index.html").exists() and not (out / MANIFEST).exists()


def test_an_export_never_overwrites_a_file_it_did_not_write(builtin_book: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "index.html").write_text("my own page\n", encoding="utf-8")
    for dry in (("--dry-run",), ()):
        code, _, err = run(capsys, builtin_book, "export", "--format", "html", "-o", str(home), *dry)
        assert code == 2 and f"{home}/index.html: is not a file an export wrote here" in _error(err)
    assert _tree(home) == {"index.html": b"my own page\n"}
    # its own folder: the export replaces what it wrote there, run after run
    out = tmp_path / "edition"
    assert run(capsys, builtin_book, "export", "--format", "html", "-o", str(out))[0] == 0
    assert (out / MANIFEST).read_text(encoding="utf-8") == f"index.html\n{page_name(PREFACE)}\n"
    (out / "index.html").write_text("old\n", encoding="utf-8")
    code, text, err = run(capsys, builtin_book, "export", "--format", "html", "-o", str(out))
    assert code == 0, err
    assert "wrote 2 files" in text and (out / "index.html").read_text(encoding="utf-8") != "old\n"
    # the bilingual edition into the same folder keeps the html edition's names listed
    assert run(capsys, builtin_book, "export", "--format", "bilingual", "-o", str(out))[0] == 0
    assert (out / MANIFEST).read_text(encoding="utf-8").split() == sorted(["index.html", page_name(PREFACE), PREFACE])


def test_a_read_only_output_folder_is_refused_even_for_root(builtin_book: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        for out in (locked, locked / "new" / "edition"):
            for fmt in ("html", "bilingual"):
                code, _, err = run(capsys, builtin_book, "export", "--format", fmt, "-o", str(out))
                assert code == 2 and f"{locked}: is a read-only folder" in _error(err)
        # a read-only folder inside the output: refused before the first page is written
        out = tmp_path / "out"
        (out / "pages").mkdir(parents=True)
        (out / "pages").chmod(0o555)
        code, _, err = run(capsys, builtin_book, "export", "--format", "html", "-o", str(out))
        assert code == 2 and f"{out}/pages: is a read-only folder" in _error(err)
        assert sorted(os.listdir(locked)) == [] and sorted(os.listdir(out)) == ["pages"]
        assert os.listdir(out / "pages") == []
    finally:
        locked.chmod(0o755)
        (tmp_path / "out" / "pages").chmod(0o755)


def test_the_root_of_the_file_system_is_refused(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # --dry-run: were the refusal missing, the test still writes nothing into /
    for fmt in ("html", "bilingual", "xliff"):
        code, _, err = run(capsys, builtin_book, "export", "--format", fmt, "-o", "/", "--dry-run")
        assert code == 2 and "/: is the root of the file system" in _error(err)


def test_a_killed_export_is_finished_by_the_next_one(builtin_book: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert run(capsys, builtin_book, "export", "--format", "html", "-o", str(out))[0] == 0
    # what write_atomic leaves when the process is killed while writing the page
    page = out / page_name(PREFACE)
    leftover = page.parent / f".{page.name}.k1ll3d00.tmp"
    leftover.write_text("half a page", encoding="utf-8")
    mine = page.parent / f".{page.name}.notes"  # not a temporary: kept
    mine.write_text("mine\n", encoding="utf-8")
    order: list[str] = []
    write = files.write_atomic

    def recording(path: Path | str, text: str | bytes, shown: str | None = None) -> None:
        order.append(Path(path).relative_to(out).as_posix())
        write(path, text, shown)

    monkeypatch.setattr(files, "write_atomic", recording)
    assert run(capsys, builtin_book, "export", "--format", "html", "-o", str(out))[0] == 0
    assert not leftover.exists() and mine.read_text(encoding="utf-8") == "mine\n"
    # the pages first, then the index that links them, then the list of what was written
    assert order == [page_name(PREFACE), "index.html", MANIFEST]


# A 1x1 PNG: the book's own image, which the page must still embed
_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def test_the_html_edition_embeds_only_the_books_images(builtin_book: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (builtin_book / ".git").mkdir()
    (builtin_book / ".git" / "config").write_text("url = https://user:SECRET@example.com/x\n", encoding="utf-8")
    (builtin_book / "img").mkdir()
    (builtin_book / "img" / "dot.png").write_bytes(_PNG)
    (builtin_book / "img" / "config.png").symlink_to(builtin_book / ".git" / "config")
    (builtin_book / "img" / "hidden.png").symlink_to(builtin_book / ".workbench")  # a folder
    en = builtin_book / "en" / PREFACE
    images = ["../../img/dot.png", "../../.git/config", "../../glossary/glossary.tsv", "../../img/config.png",
              "../../zh/chapter_preface/index.po", "../../../../../../etc/passwd", "/etc/passwd"]
    en.write_text(en.read_text(encoding="utf-8") + "".join(f"\n![figure {k}]({src})\n" for k, src in enumerate(images)),
                  encoding="utf-8")
    assert run(capsys, builtin_book, "sync")[0] == 0
    out = tmp_path / "out"
    assert run(capsys, builtin_book, "export", "--format", "html", "-o", str(out))[0] == 0
    page = (out / page_name(PREFACE)).read_text(encoding="utf-8")
    embedded = [m for m in page.split('src="data:')[1:]]
    assert len(embedded) == 2  # the PNG, in the English and Chinese columns
    assert all(e.startswith("image/png;base64," + base64.b64encode(_PNG).decode()) for e in embedded)
    assert "SECRET" not in page and base64.b64encode(b"url = https").decode()[:12] not in page
    for k in range(1, len(images)):
        assert f"[图 image: figure {k}]" in page


def test_a_page_made_read_only_stops_the_export_before_any_write(builtin_book: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    # a page the user made read-only after an export: refused, and nothing else written
    out = tmp_path / "out"
    assert run(capsys, builtin_book, "export", "--format", "html", "-o", str(out))[0] == 0
    (out / "index.html").chmod(0o444)
    listed = (out / MANIFEST).read_bytes()
    before = _tree(out)
    code, _, err = run(capsys, builtin_book, "export", "--format", "html", "-o", str(out))
    assert code == 2 and "read-only" in _error(err)
    assert _tree(out) == before and (out / MANIFEST).read_bytes() == listed
    assert stat.S_IMODE((out / "index.html").stat().st_mode) == 0o444


def test_an_empty_output_name_and_a_file_named_twice(builtin_book: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # `-o "$OUT"` with OUT unset: not the current folder (here, the book's root)
    monkeypatch.chdir(builtin_book)
    before = _tree(builtin_book)
    for fmt in ("html", "bilingual", "xliff"):
        code, _, err = run(capsys, builtin_book, "export", "--format", fmt, "-o", "")
        assert code == 2 and "-o: is empty" in _error(err)
    assert _tree(builtin_book) == before
    # one file named twice, two ways: counted once
    out = tmp_path / "out"
    code, text, _ = run(capsys, builtin_book, "export", "--format", "html", "-o", str(out), "--json",
                        f"en/{PREFACE}", PREFACE.replace(".md", ".po"))
    assert code == 0 and json.loads(text)["files"] == 1
    code, text, _ = run(capsys, builtin_book, "status", "--json", f"en/{PREFACE}", PREFACE)
    assert code == 0 and len(json.loads(text)["files"]) == 1


def test_the_html_edition_links_files_whatever_their_names(builtin_book: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    # `#`, `?`, `%`, a space, a quote and markup in a file name: the page is written under its
    # name and the progress page's link leads to it (a raw `#` made the rest a fragment)
    rel = 'odd #1 ?50% "<b>".md'
    (builtin_book / "en" / rel).write_text("# Odd\n\nA paragraph.\n", encoding="utf-8")
    assert run(capsys, builtin_book, "sync")[0] == 0
    out = tmp_path / "out"
    assert run(capsys, builtin_book, "export", "--format", "html", "-o", str(out))[0] == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    hrefs = [h for h in index.split('href="')[1:]]
    # as a browser reads a URL: the path before any `?` or `#`, then %-escapes undone
    targets = [urllib.parse.unquote(urllib.parse.urlsplit(html.unescape(h.split('"', 1)[0])).path) for h in hrefs]
    assert page_name(rel) in targets and all((out / t).is_file() for t in targets if t.startswith("pages/"))
    assert '&quot;&lt;b&gt;&quot;' in index and '"<b>"' not in index  # the name shown as text
    page = (out / page_name(rel)).read_text(encoding="utf-8")
    back = urllib.parse.unquote(urllib.parse.urlsplit(html.unescape(page.split('<header><a href="', 1)[1]
                                                                    .split('"', 1)[0])).path)
    assert (out / page_name(rel)).parent.joinpath(back).resolve() == (out / "index.html").resolve()
