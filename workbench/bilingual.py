"""Interleaved bilingual files (the seed's format): each English paragraph followed by its Chinese.

Headings carry both languages on one line (`## About This Book关于本书`), list items alternate
English and Chinese, code comments come as an English line followed by its Chinese line, and
shared blocks (code, `:label:`, images, `[TOC]`) appear once.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass

from .markdown import DIRECTIVE_LINE, code_prose, segment
from .model import Pair, is_cjk, normalize
from .store import contexts

_FENCE = re.compile(r"^[ \t]*(```+|~~~+)")
_ITEM = re.compile(r"^([ \t]*(?:[*+-]|\d+[.)])[ \t]+)(.*)$")
_HEADING = re.compile(r"^(#{1,6}[ \t]+)(.*)$")
_COMMENT = re.compile(r"^([ \t]*#[ \t]*)(.*)$")
_OPENERS = "[(*_`“\"「（《"


@dataclass(slots=True)
class Found:
    """An English text and the Chinese the bilingual file gives for it."""

    english: str
    chinese: str
    line: int
    """1-based line of the Chinese in the bilingual file."""


def chinese_share(text: str) -> float:
    """Share of Chinese characters among the letters of a text."""
    cjk = sum(1 for c in text if is_cjk(c))
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return cjk / (cjk + latin) if cjk + latin else 0.0


def is_chinese(text: str) -> bool:
    """True for text written in Chinese (English words inside it allowed)."""
    return chinese_share(text) > 0.15


def split_heading(text: str) -> tuple[str, str]:
    """`About This Book关于本书` -> (`About This Book`, `关于本书`): the Chinese starts at its first
    Chinese character, or at the markup that opens it (`[讨论](...)`)."""
    cut = next((i for i, c in enumerate(text) if is_cjk(c)), len(text))
    while 0 < cut < len(text) and text[cut - 1] in _OPENERS:  # no Chinese: all of it is English
        cut -= 1
    return text[:cut].rstrip(), text[cut:].strip()


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges [start, end) of blocks: runs of non-blank lines, a code fence whole."""
    out, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        start = i
        m = _FENCE.match(lines[i])
        if m:
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(m.group(1)):
                i += 1
            i = min(i + 1, len(lines))
        else:
            while i < len(lines) and lines[i].strip() and not (i > start and _FENCE.match(lines[i])):
                i += 1
        out.append((start, i))
    return out


def split(text: str) -> tuple[str, list[Found]]:
    """The English file hidden in a bilingual one, and the Chinese found for its texts."""
    lines = text.splitlines(keepends=True)
    english: list[str] = []
    found: list[Found] = []
    waiting: tuple[str, int] | None = None  # an English paragraph not yet given its Chinese
    pos = 0
    for start, end in _blocks(lines):
        gap = "".join(lines[pos:start])
        pos = end
        block = lines[start:end]
        shaped = _shaped_block(block, start, found)
        if shaped is not None:
            english.append(gap + shaped)
            waiting = None
            continue
        body = "".join(block)
        if is_chinese(body):
            # the Chinese of the paragraph before it; with no English before it, kept as a note
            found.append(Found(waiting[0] if waiting is not None else "", body.strip(), start + 1))
            waiting = None
            continue
        english.append(gap + body)
        prose = _prose(block)
        waiting = (prose, start) if prose and _is_prose(prose) else None
    english.append("".join(lines[pos:]))
    return "".join(english), found


def _shaped_block(block: list[str], start: int, found: list[Found]) -> str | None:
    """The English of a code block, a list or a heading, their Chinese added to `found`; None for
    a paragraph (whose Chinese is a block of its own)."""
    if _FENCE.match(block[0]):
        return _code(block, start, found)
    a, b = _inner(block)
    if a < b and _ITEM.match(block[a]):  # a list (between :begin_tab: and :end_tab: too)
        return "".join(block[:a]) + _items(block[a:b], start + a, found) + "".join(block[b:])
    # a heading, alone or with its directive lines (`:label:`) under it
    m = _HEADING.match(block[0]) if all(_is_directive(line) for line in block[1:]) else None
    if m is None:
        return None
    en, zh = split_heading(m.group(2).rstrip("\r\n"))
    if zh:
        found.append(Found(en, zh, start + 1))
    # the English heading as it was: its line's end (trailing spaces, CRLF) kept
    rest = block[0][m.start(2):]
    line_end = rest[len(rest.rstrip()):]
    return m.group(1) + en + line_end + "".join(block[1:])


def _is_directive(line: str) -> bool:
    return bool(DIRECTIVE_LINE.fullmatch(line.rstrip("\r\n")))


def _inner(block: list[str]) -> tuple[int, int]:
    """The range of a block's lines without the directive lines around it (`:begin_tab:`,
    `:end_tab:`, `:label:`), which are shared."""
    a, b = 0, len(block)
    while a < b and _is_directive(block[a]):
        a += 1
    while b > a and _is_directive(block[b - 1]):
        b -= 1
    return a, b


def _prose(block: list[str]) -> str:
    """A block's English text, without the directive lines around it."""
    a, b = _inner(block)
    return "".join(block[a:b])


def _is_prose(body: str) -> bool:
    """Text a translator translates (directive lines are already taken off; a role such as
    :numref: may begin a paragraph)."""
    first = body.lstrip()
    return not (first.startswith(("![", "[TOC]", "<", "$$")))


def _items(block: list[str], start: int, found: list[Found]) -> str:
    """The English items of a list block; each Chinese item is the translation of the item before it.

    An item runs from its marker's line over the lines that continue it (indented, no marker).
    """
    groups: list[tuple[int, int]] = []  # [first line, last line + 1) of each item
    for k, line in enumerate(block):
        if _ITEM.match(line) or not groups:
            groups.append((k, k + 1))
        else:
            groups[-1] = (groups[-1][0], k + 1)
    out: list[str] = []
    previous = ""  # the text of the English item before, not yet given its Chinese
    for a, b in groups:
        text = _item_text(block[a:b])
        if is_chinese(text):
            found.append(Found(previous, text, start + a + 1))
            previous = ""
            continue
        out.extend(block[a:b])
        previous = text
    return "".join(out)


def _item_text(lines: list[str]) -> str:
    """An item's text: after its marker, its continuation lines without their indentation."""
    m = _ITEM.match(lines[0])
    first = m.group(2) if m else lines[0]
    return "\n".join([first.strip()] + [line.strip() for line in lines[1:]]).strip()


def _code(block: list[str], start: int, found: list[Found]) -> str:
    out: list[str] = []
    for k, line in enumerate(block):
        m = _COMMENT.match(line)
        if m and k > 0 and is_chinese(m.group(2)):
            prev = _comment_of(block[k - 1])
            if prev and not is_chinese(prev):
                found.append(Found(prev, m.group(2).strip(), start + k + 1))
                continue
        out.append(line)
    return "".join(out)


def _comment_of(line: str) -> str:
    """The text of the comment on a line of code: a comment line, or one after the code."""
    m = _COMMENT.match(line)
    if m:
        return m.group(2).strip()
    spans = [(a, b) for a, b, kind in code_prose(line) if kind == "comment"]
    return line[spans[-1][0]:spans[-1][1]] if spans else ""


def pairs(english_text: str, found: list[Found], path: str) -> list[Pair]:
    """Pairs for the English file: each translatable unit with the Chinese found for it.

    Chinese that matches no English unit is kept as a note on the unit before it.
    """
    doc = segment(english_text, path)
    by_key: dict[str, deque[Found]] = defaultdict(deque)
    orphans: list[Found] = []
    for f in found:
        if f.english:
            by_key[normalize(f.english)].append(f)
        else:
            orphans.append(f)
    out: list[Pair] = []
    for unit in doc.translatable:
        pair = Pair(english=unit.key, kind=unit.kind, line=unit.start)
        queue = by_key.get(unit.key)
        if queue:
            pair.chinese = queue.popleft().chinese
        out.append(pair)
    leftovers = orphans + [f for q in by_key.values() for f in q]
    for f in sorted(leftovers, key=lambda f: f.line):
        before = [p for p in out if p.line <= f.line] or out
        if before:
            before[-1].notes.append(f"unplaced Chinese (bilingual line {f.line}): {f.chinese}")
    contexts(out)
    return out
