"""The HTML edition as a reader sees it: Debian's chromium (headless) takes a screenshot of the
progress page and of a file's page, and the test reads the picture, not the HTML — the bars drawn
in their colours and order, two columns of text side by side, the stale note in the Chinese column."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PREFACE
from conftest import run_in_book as run
from workbench.book import Book
from workbench.editions.progress_page import page_name

Image = pytest.importorskip("PIL.Image", reason="Pillow reads the screenshots: pip install -e '.[test]'")

#: The colours of edition.css, as chromium paints them (sRGB, no colour management in headless).
REVIEWED, DONE, STALE, UNTRANSLATED = (46, 125, 50), (129, 199, 132), (255, 152, 0), (176, 190, 197)
NOTE = (255, 224, 178)  # the background of the stale note
WIDTH = 1280
#: A paragraph near the top of the preface made stale, so that its row is in the screenshot.
EDIT = ("there were no legions of deep learning scientists", "there were no armies of deep learning scientists")


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium binary found (apt-get install -y chromium; .ci/run installs it)")


def screenshot(page: Path, png: Path, height: int) -> object:
    """The page as chromium draws it, `WIDTH` x `height` pixels."""
    profile = png.with_suffix(".profile")
    # --no-sandbox: the tests may run as root, where chromium's sandbox refuses to start
    r = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--no-first-run", f"--user-data-dir={profile}", f"--screenshot={png}",
                        f"--window-size={WIDTH},{height}", page.as_uri()], capture_output=True, text=True)
    assert r.returncode == 0 and png.is_file(), f"chromium failed: {r.stderr[-2000:]}"
    return Image.open(png).convert("RGB")


def near(pixel: tuple[int, int, int], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


@pytest.fixture
def edition(builtin_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The HTML edition of the preface with pairs in every state: reviewed (those no check flags),
    done, one stale after an English edit and `workbench sync`, one untranslated."""
    assert run(capsys, builtin_book, "review", PREFACE, "--no-findings")[0] == 0
    path = builtin_book / "en" / PREFACE
    path.write_text(path.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")
    assert run(capsys, builtin_book, "sync")[0] == 0
    pairs = Book.open(builtin_book).catalog(PREFACE).active
    assert sum(p.reviewed for p in pairs) and sum(p.stale for p in pairs) == 1
    assert sum(bool(p.chinese) and not p.stale and not p.reviewed for p in pairs)
    assert sum(not p.chinese for p in pairs)
    out = tmp_path / "html"
    assert run(capsys, builtin_book, "export", "--format", "html", "-o", str(out))[0] == 0
    return out


def test_the_progress_page_draws_a_bar_per_file(edition: Path, tmp_path: Path) -> None:
    picture = screenshot(edition / "index.html", tmp_path / "index.png", 600)
    width, height = picture.size
    pixels = picture.load()
    # the rows of the picture where a bar is drawn: a long run of a bar's greens (the legend's keys
    # are small squares, far shorter)
    bars = []
    for y in range(height):
        greens = sum(near(pixels[x, y], REVIEWED) or near(pixels[x, y], DONE) for x in range(width))
        if greens > 150:
            bars.append(y)
    assert bars, "no bar drawn on the progress page"
    # three bars: the whole book, its chapter, its file (each some pixels high)
    groups = [y for k, y in enumerate(bars) if k == 0 or y != bars[k - 1] + 1]
    assert len(groups) == 3, f"bars start at rows {groups}"
    for top in groups:
        y = top + 3  # inside the bar
        first = {}
        for x in range(width):
            for name, colour in (("reviewed", REVIEWED), ("done", DONE), ("stale", STALE),
                                 ("untranslated", UNTRANSLATED)):
                if name not in first and near(pixels[x, y], colour):
                    first[name] = x
        # every status has its part, in the order of the legend
        assert list(first) == ["reviewed", "done", "stale", "untranslated"], (y, first)


def test_a_page_shows_english_and_chinese_side_by_side(edition: Path, tmp_path: Path) -> None:
    picture = screenshot(edition / page_name(PREFACE), tmp_path / "page.png", 2400)
    width, height = picture.size
    pixels = picture.load()
    middle = width // 2

    def ink(x: int, y: int) -> bool:
        r, g, b = pixels[x, y]
        return 0.299 * r + 0.587 * g + 0.114 * b < 140  # text, not a pale background

    left = right = both = 0
    for y in range(300, height):  # below the header with its bar
        on_left = any(ink(x, y) for x in range(40, middle - 20, 2))
        on_right = any(ink(x, y) for x in range(middle + 20, width - 40, 2))
        left += on_left
        right += on_right
        both += on_left and on_right
    # text in both halves, and many lines where the two columns stand side by side
    assert left > 400 and right > 400, (left, right)
    assert both > 300, both
    # the stale pair's note is drawn in the Chinese column only
    note = [x for y in range(300, height, 3) for x in range(0, width, 3) if near(pixels[x, y], NOTE, 6)]
    assert len(note) > 50 and min(note) > middle - 20, (len(note), min(note) if note else None)

