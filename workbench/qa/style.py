"""d2l-zh's style (STYLE_GUIDE.md): no space between Chinese and Latin text, one space before a
role, none after Chinese punctuation, Chinese quotation marks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .inline import HAN_CHAR, LIST_MARKER
from .model import Facts, Item, Problem, Severity

_LATIN_START = r"[A-Za-z0-9$`*]"
_SPACE_AROUND = re.compile(rf"(?P<a>{HAN_CHAR})[ \t]+(?P<b>{_LATIN_START})"
                           rf"|(?P<c>[A-Za-z0-9$`*%])[ \t]+(?P<d>{HAN_CHAR})")
_ZH_PUNCT = "，。；：！？、）》」』"
_SPACE_AFTER_PUNCT = re.compile(rf"[{_ZH_PUNCT}][ \t]+(?=\S)")
_ROLE_START = re.compile(r":(?:numref|cite|eqref|ref):`")


def _show(text: str, at: int, width: int = 8) -> str:
    return text[max(0, at - width) : at + width].replace("\n", " ").replace("\x00", "")


def _mask_roles(item: Item) -> str:
    """The Chinese with roles and list markers masked: the spaces around a role are its own
    business (role-space), and a list marker's space is Markdown."""
    chars = list(item.chinese)
    for sp in item.zh.spans:
        if sp.kind == "role":
            chars[sp.start : sp.end] = "\x00" * (sp.end - sp.start)
    for m in LIST_MARKER.finditer(item.chinese):
        chars[m.start() : m.end()] = "\x00" * (m.end() - m.start())
    return "".join(chars)


def check_spacing(item: Item, facts: Facts) -> Iterator[Problem]:
    """No space between Chinese and Latin letters, digits, inline math or code (STYLE_GUIDE.md)."""
    text = _mask_roles(item)
    hits = []
    for m in _SPACE_AROUND.finditer(text):
        rest = text[m.end() - 1 :]
        if m.group("a") and m.group("b") == "*" and not re.match(r"\*+\S", rest):
            continue
        hits.append(m.start() + 1)
    if hits:
        times = f" ({len(hits)} places)" if len(hits) > 1 else ""
        yield Problem(Severity.WARNING, f"space between Chinese and Latin text{times}: '{_show(text, hits[0])}'", hits[0])


def check_role_space(item: Item, facts: Facts) -> Iterator[Problem]:
    """One ASCII space before a :numref:/:cite: that does not start a line (else the web page does not render it)."""
    text = item.chinese
    for m in _ROLE_START.finditer(text):
        at = m.start()
        if at == 0 or text[at - 1] == "\n":
            continue
        if text[at - 1] not in " \t":
            role = text[at:text.find("`", at + 8) + 1]
            yield Problem(Severity.WARNING, f"no space before {role}: write ' {text[at:at+8]}...'", at)
        elif at >= 2 and text[at - 2] in " \t":
            yield Problem(Severity.WARNING, "more than one space before " + text[at : text.find("`", at + 8) + 1], at)


def check_punctuation_space(item: Item, facts: Facts) -> Iterator[Problem]:
    """No space after Chinese punctuation (a role's required space excepted)."""
    text = item.chinese
    hits = [m.start() for m in _SPACE_AFTER_PUNCT.finditer(text) if not _ROLE_START.match(text, m.end())]
    if hits:
        times = f" ({len(hits)} places)" if len(hits) > 1 else ""
        yield Problem(Severity.WARNING, f"space after Chinese punctuation{times}: '{_show(text, hits[0])}'", hits[0])


_ASCII_QUOTED = re.compile(rf"\"([^\"\n]*{HAN_CHAR}[^\"\n]*)\""
                           rf"|(?<![A-Za-z])'([^'\n]*{HAN_CHAR}[^'\n]*)'(?![A-Za-z])|「([^」]*)」")


def check_quotes(item: Item, facts: Facts) -> Iterator[Problem]:
    """Chinese text quoted with Chinese quotation marks “…”, not "…" or 「…」."""
    m = _ASCII_QUOTED.search(item.zh.prose)
    if m:
        yield Problem(Severity.WARNING, f"use Chinese quotation marks “…” instead of {m.group(0)[:20]}", m.start())

