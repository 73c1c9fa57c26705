"""The HTML edition's index: where the whole book stands, a bar per chapter and per file.

Every figure comes from the one record `workbench status` counts with (progress.Progress):
a bar shows reviewed, done (translated, not reviewed), stale, to check (a doubtful pairing or a
conflict) and untranslated pairs; together they are all the pairs.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from html import escape
from urllib.parse import quote

from ..progress import Progress, total

#: The parts of a bar, in order: (CSS class, English, Chinese, count of a Progress).
PARTS: tuple[tuple[str, str, str, Callable[[Progress], int]], ...] = (
    ("reviewed", "reviewed", "已审校", lambda p: p.reviewed),
    ("done", "done", "已翻译", lambda p: p.translated - p.reviewed),
    ("stale", "stale", "待更新", lambda p: p.stale),
    ("check", "to check", "待核对", lambda p: p.pairing + p.conflicts),
    ("untranslated", "untranslated", "未翻译", lambda p: p.untranslated),
)
#: The chapter of the files at the top of en/ (README.md, index.md).
TOP = "(top level)"


def chapter_of(rel: str) -> str:
    """The chapter a file belongs to: its top folder."""
    return rel.split("/", 1)[0] if "/" in rel else TOP


def bar(p: Progress) -> str:
    """A bar of a file's or a chapter's pairs, one coloured part per status."""
    if not p.pairs:
        return '<div class="bar empty" title="no pairs"></div>'
    parts = []
    for css, english, chinese, count in PARTS:
        n = count(p)
        if n:
            parts.append(f'<span class="{css}" style="width:{100 * n / p.pairs:.3f}%" '
                         f'title="{english} {chinese}: {n}"></span>')
    return f'<div class="bar">{"".join(parts)}</div>'


def figures(p: Progress) -> str:
    """The counts beside a bar."""
    cells = "".join(f'<td class="n {css}">{count(p)}</td>' for css, _english, _chinese, count in PARTS)
    return f'{cells}<td class="n">{p.pairs}</td><td class="n">{p.percent:.0f}%</td>'


def legend() -> str:
    """What the colours of a bar mean."""
    return '<p class="legend">' + " ".join(
        f'<span class="key {css}"></span>{english} {chinese}' for css, english, chinese, _count in PARTS) + "</p>"


def page_name(rel: str) -> str:
    """Where the page of en/PATH.md is in the edition: pages/PATH.html (index.html is this page)."""
    return f"pages/{rel.removesuffix('.md')}.html"


def link(from_page: str, to_page: str) -> str:
    """A relative link between two pages of the edition, as a URL: a file name's `#`, `?`, `%`
    or space is quoted, or the browser would take it for a fragment, a query or an escape."""
    return quote(posixpath.relpath(to_page, posixpath.dirname(from_page) or "."))


def index_page(title: str, rows: list[Progress], css: str, pages: set[str] | None = None) -> str:
    """DIR/index.html: totals, then each chapter's bar with the bars of its files, linked to their
    pages (`pages`: the files that have one, default all)."""
    chapters: dict[str, list[Progress]] = {}
    for r in rows:
        chapters.setdefault(chapter_of(r.file.removeprefix("en/")), []).append(r)
    book = total(rows)
    head = ("<tr><th>file</th><th>progress</th>" + "".join(
        f'<th class="n {css}">{english}</th>' for css, english, _chinese, _count in PARTS)
        + '<th class="n">pairs</th><th class="n">current</th></tr>')
    body = [f'<tr class="total"><th>total 全书</th><td>{bar(book)}</td>{figures(book)}</tr>']
    for name, files in chapters.items():
        chapter = total(files)
        body.append(f'<tr class="chapter"><th>{escape(name)}</th><td>{bar(chapter)}</td>{figures(chapter)}</tr>')
        for r in files:
            rel = r.file.removeprefix("en/")
            name_html = escape(rel)
            if pages is None or rel in pages:
                name_html = f'<a href="{escape(link("index.html", page_name(rel)))}">{name_html}</a>'
            body.append(f'<tr class="file"><td>{name_html}</td><td>{bar(r)}</td>{figures(r)}</tr>')
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}: progress</title><style>{css}</style></head>\n<body class=\"index\">\n"
        f"<h1>{escape(title)}</h1>\n"
        f'<p class="summary">{book.pairs} pairs in {len(rows)} file{"" if len(rows) == 1 else "s"}: '
        + ", ".join(f"{count(book)} {english}" for _css, english, _chinese, count in PARTS)
        + f" ({book.percent:.0f}% translated and current).</p>\n{legend()}\n"
        f'<table class="progress"><thead>{head}</thead><tbody>\n' + "\n".join(body) + "\n</tbody></table>\n"
        "</body></html>\n"
    )
