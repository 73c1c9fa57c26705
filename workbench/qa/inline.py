"""Inline markup a translation carries over as it is: d2l roles, code spans, inline math, link
targets and bare URLs, found and masked so that the checks read the prose around them."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..model import HAN

#: One Chinese character, as a regular-expression class.
HAN_CHAR = f"[{HAN}]"
#: A list item's marker and its space (Markdown, not the translator's text).
LIST_MARKER = re.compile(r"^[ \t]*(?:[*+-]|\d+[.)])[ \t]+", re.M)
#: A number written in digits, outside a word, code name or TeX superscript.
NUMBER = re.compile(r"(?<![A-Za-z0-9_.\\^])\d+(?:[.,]\d+)*(?:[.,]\d+)?")

_URL_STOP = r"\s<>()\[\]（）【】，。；：！？、“”‘’\"'`"
_INLINE = re.compile(
    r"(?P<role>:(?P<name>[A-Za-z_]+):`(?P<target>[^`\n]*)`)"
    r"|(?P<code>(?P<ticks>`+)(?P<code_text>[^`]|[^`].*?[^`])(?P=ticks)(?!`))"
    r"|(?P<math>(?<![\\$])\$(?!\$)(?P<math_text>(?:\\.|[^$\\])+?)(?<!\\)\$)"
    r"|(?<=\])(?P<link>\((?P<url>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\))"
    rf"|(?P<bare><?(?P<bare_url>https?://[^{_URL_STOP}]*[^{_URL_STOP}.,;:!?])>?)",
    re.S,
)

_ORDINAL = re.compile(r"\^(?:\\mathrm\{?(?:th|st|nd|rd)\}?|\{\\mathrm\{(?:th|st|nd|rd)\}\}|\{(?:th|st|nd|rd)\})")
_ROLE_BEFORE = re.compile(r"[:：]?(numref|eqref|cite|ref|label|eqlabel)[ \t]?[:：][ \t]?$")


@dataclass(slots=True, frozen=True)
class Span:
    """A piece of inline markup that a translation carries over as it is."""

    kind: str
    """role, code, math or url."""
    value: str
    """role: "name:target"; code: the code; math: the TeX without spaces; url: the address."""
    start: int
    end: int

@dataclass(slots=True, frozen=True)
class Inline:
    """A text with its inline markup found and masked."""

    text: str
    spans: tuple[Span, ...]
    prose: str
    """The text with every span replaced by NULs of the same length: offsets still hold."""

    def values(self, kind: str) -> list[str]:
        return [s.value for s in self.spans if s.kind == kind]

@functools.lru_cache(maxsize=1 << 14)
def inline(text: str) -> Inline:
    """Find roles, code spans, inline math and URLs in a unit's text.

    Remembered (16,384 texts: the d2l book's English and Chinese; about as much memory again as
    the texts): the TUI checks a file again after each save, its English and most of its
    Chinese unchanged. The result is shared: never change it."""
    spans: list[Span] = []
    for m in _INLINE.finditer(text):
        if m.group("role"):
            spans.append(Span("role", f"{m.group('name')}:{m.group('target').strip()}", m.start(), m.end()))
        elif m.group("code"):
            damaged = _ROLE_BEFORE.search(text, max(0, m.start() - 12), m.start())
            if damaged:  # a role that lost its leading colon or has a full-width one: still a role
                role = f"{damaged.group(1)}:{m.group('code_text').strip()}"
                spans.append(Span("role", role, damaged.start(), m.end()))
            else:  # spaces inside code do not count: f(a) = k * a and f(a)=k*a are the same code
                spans.append(Span("code", re.sub(r"\s+", "", m.group("code_text")), m.start(), m.end()))
        elif m.group("math"):
            # spaces and a sentence's closing punctuation inside the dollars do not count
            tex = re.sub(r"\s+|\\[,;!: ]", "", m.group("math_text")).rstrip(".,;:。，")
            tex = _ORDINAL.sub("", tex)  # $j^\mathrm{th}$ is 第$j$个 in Chinese
            spans.append(Span("math", tex, m.start(), m.end()))
        elif m.group("link"):
            spans.append(Span("url", _url(m.group("url")), m.start(), m.end()))
        elif m.group("bare"):
            spans.append(Span("url", _url(m.group("bare_url")), m.start(), m.end()))
    if not spans:
        return Inline(text, (), text)
    chars = list(text)
    for s in spans:
        chars[s.start : s.end] = "\x00" * (s.end - s.start)
    return Inline(text, tuple(spans), "".join(chars))

def _url(url: str) -> str:
    """A URL as compared: a trailing slash and the scheme's s do not count."""
    return re.sub(r"^https://", "http://", url.strip("<>")).rstrip("/")

