"""Completeness checks: a Chinese that translates another English (mismatch), one far shorter
or longer than its English (length), and English left untranslated."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import CHINESE
from .model import Facts, Item, Problem, Severity


def check_mismatch(item: Item, facts: Facts) -> Iterator[Problem]:
    """A Chinese that does not translate its English (a paragraph misplaced, or the wrong text)."""
    why = item.mismatch_reason
    if why:
        yield Problem(Severity.WARNING, f"the Chinese does not seem to translate this English: {why}")


_EN_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")


def zh_size(item: Item) -> float:
    """Chinese characters plus Latin words of the Chinese prose (cached on the item)."""
    if item._sizes is None:
        item._sizes = (len(CHINESE.findall(item.zh.prose)) + len(_EN_WORD.findall(CHINESE.sub(" ", item.zh.prose))),
                       len(_EN_WORD.findall(item.en.prose)))
    return item._sizes[0]


def en_size(item: Item) -> int:
    """English words of the English prose (cached on the item)."""
    zh_size(item)
    assert item._sizes is not None
    return item._sizes[1]


def check_length(item: Item, facts: Facts) -> Iterator[Problem]:
    """A translation far shorter or longer than its English (for English of 20 words or more)."""
    words = en_size(item)
    if words < 20:
        return
    ratio = zh_size(item) / words
    if ratio < facts.ratio * 0.35:
        yield Problem(Severity.WARNING, f"translation looks short: {zh_size(item):.0f} Chinese characters for {words} "
                                 f"English words (the book's median is {facts.ratio:.1f} per word)")
    elif ratio > facts.ratio * 3.0:
        yield Problem(Severity.WARNING, f"translation looks long: {zh_size(item):.0f} Chinese characters for {words} "
                                 f"English words (the book's median is {facts.ratio:.1f} per word)")


# a sentence has one of these; a command (pip install pandas) or a list of names has none
_FUNCTION_WORDS = frozenset("the a an to of in on is are be for with and or this that we you it by as at from".split())
# quoted text (an example sentence, a title) is often kept in English on purpose
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|《[^》]*》|'[^'\n]*'")
_EN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ ,;]+[A-Za-z][A-Za-z'’\-]*){5,}")


def check_untranslated(item: Item, facts: Facts) -> Iterator[Problem]:
    """English left in the Chinese: the whole pair, or a run of six or more English words from the English."""
    if item.chinese.strip() == item.english.strip():
        # prose, not names, identifiers or quoted examples: three plain lower-case words
        plain = re.findall(r"(?<![\w'])[a-z]{2,}(?![\w'])", _QUOTED.sub(" ", item.en.prose))
        if len(plain) >= 3 and _FUNCTION_WORDS.intersection(plain):
            yield Problem(Severity.WARNING, "the Chinese is the English, untranslated")
        return
    en_prose = " ".join(item.en.prose.replace("\x00", " ").split()).lower()
    for m in _EN_RUN.finditer(_QUOTED.sub(lambda q: " " * len(q.group()), item.zh.prose)):
        run = " ".join(m.group(0).split()).lower()
        if run in en_prose:
            yield Problem(Severity.WARNING, f"untranslated English: '{m.group(0)[:60]}'", m.start())
            return

