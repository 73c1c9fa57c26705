"""Editions of a book for readers and reviewers, written to a folder the user names.

- bilingual: DIR/PATH.md per file in the seed's interleaved layout (bilingual.py), which
  `workbench import-bilingual` reads back;
- html: DIR/pages/PATH.html per file, English and Chinese side by side (html.py), and
  DIR/index.html, the progress page of the whole book (progress_page.py).

Each format is one row of FORMATS. `make` works an edition out in memory (reading only);
output.py writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from .. import builtin
from ..book import Book
from ..checking import check_book
from ..progress import Progress, file_progress, reported, total
from ..qa import Finding
from .bilingual import edition as bilingual_file
from .html import file_page
from .markup import Markup, code_style
from .progress_page import index_page, page_name

#: Told (stage, done, total) as files are made and written: the CLI's progress bar.
OnProgress = Callable[[str, int, int], None]


@dataclass(slots=True)
class Edition:
    """An edition worked out in memory: the files to write and what to tell the user."""

    format: str
    files: dict[str, str] = field(default_factory=dict)
    """Name under the output folder -> text."""
    warnings: list[str] = field(default_factory=list)
    """`file:line: message` for what the edition could not carry."""
    progress: Progress | None = None
    """The counts of the exported files (the one record every view counts with)."""
    translated: int = 0
    """Pairs whose Chinese the edition holds (bilingual)."""


def _bilingual(book: Book, rels: list[str], on_progress: OnProgress | None) -> Edition:
    out = Edition("bilingual")
    for n, rel in enumerate(rels, 1):
        made = bilingual_file(book.document(rel), book.catalog(rel), rel)
        out.files[rel] = made.text
        out.translated += made.translated
        out.warnings += made.warnings()
        if on_progress:
            on_progress("export", n, len(rels))
    out.progress = total(file_progress(book, rel) for rel in rels)
    return out


def page_css() -> str:
    """The CSS every page carries inline: the edition's own and the highlighted code's."""
    own = resources.files(__package__).joinpath("edition.css").read_text(encoding="utf-8")
    return own + code_style()


def _html(book: Book, rels: list[str], on_progress: OnProgress | None) -> Edition:
    out = Edition("html")
    css = page_css()
    findings: dict[str, list[Finding]] = {}
    if on_progress:  # the checks of a whole book take a while before the first page
        on_progress("check", 0, len(rels))
    for f in reported(check_book(book, rels)):
        findings.setdefault(f.en_file, []).append(f)
    rows = [file_progress(book, rel) for rel in book.english_files()]
    counts = {r.file: r for r in rows}
    for n, rel in enumerate(rels, 1):
        markup = Markup(book.root, book.en_path(rel))
        out.files[page_name(rel)] = file_page(rel, book.document(rel), book.catalog(rel), counts[f"en/{rel}"],
                                              findings.get(f"en/{rel}", []), markup, css)
        if on_progress:
            on_progress("export", n, len(rels))
    out.files["index.html"] = index_page(f"{builtin.label(book.root)}: English | 中文", rows, css, set(rels))
    out.progress = total(counts[f"en/{rel}"] for rel in rels)
    return out


#: name -> (what it is, how it is made)
FORMATS: dict[str, tuple[str, Callable[[Book, list[str], OnProgress | None], Edition]]] = {
    "bilingual": ("DIR/PATH.md: English and Chinese interleaved, the seed's layout", _bilingual),
    "html": ("DIR/index.html, the progress page, and DIR/pages/PATH.html, side by side", _html),
}


def make(book: Book, rels: list[str], fmt: str, on_progress: OnProgress | None = None) -> Edition:
    """The edition `fmt` of the files `rels` (relative to en/), in memory."""
    return FORMATS[fmt][1](book, rels, on_progress)
