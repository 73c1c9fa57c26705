"""The HTML edition's page of one file: English and Chinese side by side, pair by pair.

Each row shows some English blocks beside their Chinese (rows.py). A stale pair carries the
reader's note (stale_note.py) and the word diff of the English edit (worddiff.py), an
untranslated one says so and shows its English, and the QA findings of a pair stand beside it.
Code and math that both languages share span the two columns. The page is self-contained:
its CSS is inline, math is shown as TeX, nothing is fetched when it is viewed.
"""

from __future__ import annotations

from html import escape

from .. import stale_note
from ..model import Document, Pair, State, Status
from ..progress import Progress
from ..qa import Finding
from ..store import Catalog
from ..worddiff import word_diff
from .markup import Markup
from .progress_page import bar, figures, legend, link, page_name
from .rows import Row, rows

#: What a row's badge says, by the state of its pairs that needs most work (model.State).
_BADGE = {State.UNTRANSLATED: ("untranslated", "untranslated 未翻译"), State.CONFLICT: ("check", "conflict 冲突"),
          State.PAIRING: ("check", "check the pairing 核对配对"), State.STALE: ("stale", "stale 待更新")}
#: The order of work (model.State): the first of a row's states in it names the row.
_WORST = list(State)


def diff_html(before: str, after: str) -> str:
    """The word diff of a stale pair's English: removed words struck, added ones marked."""
    out = []
    for op, text in word_diff(before, after):
        shown = escape(text)
        out.append(shown if op == "=" else f"<del>{shown}</del>" if op == "-" else f"<ins>{shown}</ins>")
    return "".join(out)


def _state(row: Row) -> State | None:
    """The row's state for the reader: of its pairs', the one that needs most work."""
    found = {p.state for p in row.pairs} | ({State.UNTRANSLATED} if row.unpaired else set())
    return min(found, key=_WORST.index) if found else None


def _finding(f: Finding) -> str:
    return (f'<li class="{escape(f.severity)}"><b>{escape(f.severity)}</b> [{escape(f.check)}] '
            f"{escape(f.message)} <small>({escape(f.file)}:{f.line})</small></li>")


def _pair_notes(pair: Pair, anchor: str, findings: list[Finding]) -> str:
    """What stands under a pair's Chinese: the stale note, the findings about it."""
    out = []
    if pair.status is Status.STALE:
        out.append(f'<div class="note stale-note">{stale_note.SIGN} {escape(stale_note.WORDING)}'
                   f'<a href="#{anchor}">{escape(stale_note.LINK_TEXT)}</a>（英文第 {pair.line} 行）</div>')
    mine = [f for f in findings if f.about(pair)]
    if mine:
        out.append('<aside class="findings"><ul>' + "".join(_finding(f) for f in mine) + "</ul></aside>")
    return "".join(out)


def _english_notes(pair: Pair) -> str:
    """Under the English of a stale pair: what changed since its Chinese was made."""
    if pair.status is not Status.STALE or not pair.previous:
        return ""
    return (f'<div class="diff"><span class="what">English edit since the translation 英文改动:</span> '
            f"{diff_html(pair.previous, pair.english)}</div>")


def _row(row: Row, markup: Markup, findings: list[Finding]) -> str:
    anchor = f"en-{row.line}"
    if row.shared:
        return (f'<div class="row shared {escape(row.kind)}" id="{anchor}">'
                f'<div class="both">{markup.html(row.english)}</div></div>')
    state = _state(row)
    css, label = _BADGE[state] if state in _BADGE else ("reviewed" if state is State.REVIEWED else "current", "")
    badge = f'<span class="badge {css}">{label}</span>' if label else ""
    english = markup.html(row.english) + "".join(_english_notes(p) for p in row.pairs)
    chinese = markup.html(row.chinese) + "".join(_pair_notes(p, anchor, findings) for p in row.pairs)
    return (f'<div class="row {css} {escape(row.kind)}" id="p{row.line}">'
            f'<div class="en" lang="en" id="{anchor}"><a class="line" href="#{anchor}">{row.line}</a>{english}</div>'
            f'<div class="zh" lang="zh">{badge}{chinese}</div></div>')


def file_page(rel: str, doc: Document, catalog: Catalog, progress: Progress, findings: list[Finding],
              markup: Markup, css: str) -> str:
    """The page of en/PATH.md: its progress, then its rows."""
    here = page_name(rel)
    body = "\n".join(_row(r, markup, findings) for r in rows(doc, catalog))
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(rel)}</title><style>{css}</style></head>\n<body class=\"page\">\n"
        f'<header><a href="{escape(link(here, "index.html"))}">← progress of the book 全书进度</a>'
        f"<h1>en/{escape(rel)}</h1>"
        f'<table class="progress"><tr><td>{bar(progress)}</td>{figures(progress)}</tr></table>{legend()}</header>\n'
        '<div class="columns"><div>English</div><div>中文</div></div>\n'
        f'<main class="pairs">\n{body}\n</main>\n</body></html>\n'
    )
