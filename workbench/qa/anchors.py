"""Whether a Chinese translates its English at all: the names, numbers, code and math a
translation normally keeps (its anchors). A pair whose Chinese keeps almost none of them is a
misplaced paragraph, and the detailed checks stay quiet about it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import one_line
from .inline import NUMBER

if TYPE_CHECKING:
    from .model import Item

_NAME = re.compile(r"(?<![\w.])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")


def anchors(item: Item) -> set[str]:
    """What a translation normally keeps: code, math, numbers, names (capitalized or mixed words)."""
    en: set[str] = set(item.en.values("code")) | set(item.en.values("math"))
    en |= set(NUMBER.findall(item.en.prose))
    # names: not plain words, not a sentence's capital, not abbreviations (RNNs: 循环神经网络)
    en |= {w for w in _NAME.findall(item.en.prose)
           if not w.islower() and not re.fullmatch(r"[A-Z][a-z]+|[A-Z]+s?", w)}
    return en


def mismatch(item: Item) -> str | None:
    """Why the Chinese does not look like a translation of the English, or None."""
    if one_line(item.pair.kind):
        return None
    en = anchors(item)
    if len(en) < 4:
        return None
    zh = item.chinese.lower().replace(" ", "")
    kept = [a for a in en if a.lower().replace(" ", "") in zh]
    if len(kept) * 4 < len(en):
        return f"only {len(kept)} of the {len(en)} names, numbers, code and math of the English are in the Chinese"
    return None
