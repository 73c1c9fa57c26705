"""The note a reader sees beside a stale pair: its Chinese was made for English that has changed since.

One wording and one rule for every edition that marks stale paragraphs (the notebooks of
`build zh --mark-stale`, the HTML edition), so readers meet the same note everywhere.
"""

from __future__ import annotations

from .model import Document, Kind, Status
from .store import Match

#: What the note says, in the reader's language (the Chinese edition's readers read it).
WORDING = "此段译文可能已过时：英文原文在翻译之后改动过。"
#: The link text that leads to the English.
LINK_TEXT = "查看英文原文"
#: The short form, for a heading or a table cell that has room for no more than a word.
SHORT = "译文可能已过时"
#: The marker before the note.
SIGN = "⚠"


def markdown_note(link: str, line: int) -> str:
    """The note as a Markdown block quote, with a link to the English (line `line` of en/PATH.md)."""
    return f"> {SIGN} {WORDING}[{LINK_TEXT}]({link})（英文第 {line} 行）"


def stale_heads(matches: list[Match]) -> dict[int, Match]:
    """unit index -> match for the first unit of every stale pair (where its Chinese is rendered)."""
    return {m.unit: m for m in matches
            if m.head and m.pair is not None and m.pair.status is Status.STALE}


def marked(doc: Document, matches: list[Match], translations: dict[int, str | None], link: str) -> dict[int, str | None]:
    """`translations` (unit index -> text, see store.translations) with the note added to each stale pair.

    A paragraph or list item gets the note as a block quote after its Chinese; a heading, table
    cell or image text (one line) a short mark; a code comment the short mark in parentheses
    (code cells are no Markdown: no link there).
    """
    out = dict(translations)
    for i in stale_heads(matches):
        text = out.get(i)
        if not text:
            continue
        kind = doc.units[i].kind
        if kind in (Kind.PARAGRAPH, Kind.LIST_ITEM):
            out[i] = f"{text}\n\n{markdown_note(link, doc.units[i].start)}"
        elif Kind.of(kind) is not None and Kind(kind).in_code:
            out[i] = f"{text}（{SHORT}）"
        else:
            out[i] = f"{text} [{SIGN} {SHORT}]({link})"
    return out
