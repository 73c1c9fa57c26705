"""`workbench build` writes its notebooks into _build/ only: a _build/ (or a folder in it) linked
into the book's own parts is refused before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_in_book as run


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("link", "to", "part"), [
    ("_build", "en", "en"),  # the whole _build/ is the English
    ("_build/zh", "../zh", "zh"),  # the language's folder
    ("_build/zh/chapter_preface", "../../zh/chapter_preface", "zh"),  # a chapter's folder
    ("_build/cache", "../.workbench", ".workbench"),
])
def test_a_build_folder_linked_into_the_book_is_refused(builtin_book: Path, link: str, to: str, part: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    (builtin_book / ".workbench").mkdir(exist_ok=True)
    (builtin_book / link).parent.mkdir(parents=True, exist_ok=True)
    (builtin_book / link).symlink_to(to)
    before = _tree(builtin_book)
    code, _, err = run(capsys, builtin_book, "build", "zh", "--mark-stale")
    assert code == 2 and "Traceback" not in err
    assert f"is inside the book's {part}/ folder" in err
    assert _tree(builtin_book) == before
    # without the link, the notebook is built where it belongs
    (builtin_book / link).unlink()
    assert run(capsys, builtin_book, "build", "zh", "--mark-stale")[0] == 0
    assert (builtin_book / "_build" / "zh" / "chapter_preface" / "index.ipynb").is_file()
