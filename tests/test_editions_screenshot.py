"""The HTML edition as a reader sees it: Debian's chromium (headless) takes a screenshot of the
progress page and of a file's page, and the test reads the picture, not the HTML — the bars drawn
in their colours and order, two columns of text side by side, the stale note in the Chinese column."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
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


def screenshot(page: Path, png: Path, height: int) -> np.ndarray:
    """The page as chromium draws it, `WIDTH` x `height` pixels: an array of rows of (r, g, b)."""
    profile = png.with_suffix(".profile")
    # --no-sandbox: the tests may run as root, where chromium's sandbox refuses to start
    r = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--no-first-run", f"--user-data-dir={profile}", f"--screenshot={png}",
                        f"--window-size={WIDTH},{height}", page.as_uri()], capture_output=True, text=True)
    assert r.returncode == 0 and png.is_file(), f"chromium failed: {r.stderr[-2000:]}"
    return np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)


def near(pixels: np.ndarray, colour: tuple[int, int, int], tolerance: int = 12) -> np.ndarray:
    """For each pixel: is each of its channels within `tolerance` of the colour's."""
    return (np.abs(pixels - np.array(colour, dtype=np.int16)) <= tolerance).all(axis=-1)


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
    pixels = screenshot(edition / "index.html", tmp_path / "index.png", 600)
    # the rows of the picture where a bar is drawn: a long run of a bar's greens (the legend's keys
    # are small squares, far shorter)
    greens = (near(pixels, REVIEWED) | near(pixels, DONE)).sum(axis=1)
    bars = np.flatnonzero(greens > 150).tolist()
    assert bars, "no bar drawn on the progress page"
    # three bars: the whole book, its chapter, its file (each some pixels high)
    groups = [y for k, y in enumerate(bars) if k == 0 or y != bars[k - 1] + 1]
    assert len(groups) == 3, f"bars start at rows {groups}"
    for top in groups:
        row = pixels[top + 3]  # inside the bar
        first = {}  # where each status's colour starts, left to right
        for name, colour in (("reviewed", REVIEWED), ("done", DONE), ("stale", STALE), ("untranslated", UNTRANSLATED)):
            found = np.flatnonzero(near(row, colour))
            if found.size:
                first[name] = int(found[0])
        # every status has its part, in the order of the legend
        assert sorted(first, key=first.__getitem__) == ["reviewed", "done", "stale", "untranslated"], (top, first)


def test_a_page_shows_english_and_chinese_side_by_side(edition: Path, tmp_path: Path) -> None:
    pixels = screenshot(edition / page_name(PREFACE), tmp_path / "page.png", 2400)
    width = pixels.shape[1]
    middle = width // 2
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    ink = (0.299 * r + 0.587 * g + 0.114 * b < 140)[300:]  # text, not a pale background; below the header with its bar
    on_left = ink[:, 40 : middle - 20 : 2].any(axis=1)
    on_right = ink[:, middle + 20 : width - 40 : 2].any(axis=1)
    left, right, both = int(on_left.sum()), int(on_right.sum()), int((on_left & on_right).sum())
    # text in both halves, and many lines where the two columns stand side by side
    assert left > 400 and right > 400, (left, right)
    assert both > 300, both
    # the stale pair's note is drawn in the Chinese column only
    note = (np.nonzero(near(pixels[300::3, ::3], NOTE, 6))[1] * 3).tolist()  # every third pixel: x
    assert len(note) > 50 and min(note) > middle - 20, (len(note), min(note) if note else None)

