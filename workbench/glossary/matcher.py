"""Matching English terms in text: case, plurals and hyphenation folded, longest term first.

A term's English is matched with case, plurals and hyphenation folded (tensor/tensors,
mini-batch/minibatch), longest term first (stochastic gradient descent before gradient descent).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:'[A-Za-z]+)?|\x00")


@functools.lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """A plural folded to its singular, roughly (tensors -> tensor, minibatches -> minibatch).

    The same folding is applied to the glossary and to the text, so an imperfect rule (bias ->
    bia) still matches consistently.
    """
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _words(text: str) -> list[tuple[str, int, int]]:
    """Folded words with their offsets; hyphens and spaces both separate words."""
    return [(singular(m.group()) if m.group() != "\x00" else "\x00", m.start(), m.end()) for m in WORD.finditer(text)]


def term_key(english: str) -> str:
    """The folded form of an English term: its words folded and joined without separators,
    so "mini-batch", "mini batch" and "minibatches" share one key."""
    return "".join(w for w, _, _ in _words(english))


@dataclass(slots=True)
class Hit:
    """Where a glossary term occurs in a text."""

    key: str
    """The folded term."""
    start: int
    """Offset of its first character."""
    end: int
    """Offset after its last character."""


class TermMatcher:
    """Finds glossary terms in English text, longest match first."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = {k for k in keys if k}
        # every prefix of every key: lets the scan stop after one lookup for most words
        self.prefixes = {k[:i] for k in self.keys for i in range(1, len(k) + 1)}
        self.max_words = 8

    def find(self, text: str) -> list[Hit]:
        """The terms in `text` (whose masked spans are NULs: a term never crosses them)."""
        words = _words(text)
        out: list[Hit] = []
        i = 0
        while i < len(words):
            best = -1
            acc = ""
            for j in range(i, min(i + self.max_words, len(words))):
                if words[j][0] == "\x00":
                    break
                acc += words[j][0]
                if acc not in self.prefixes:
                    break
                if acc in self.keys:
                    best = j
            if best >= 0:
                out.append(Hit(term_key_of(words, i, best), words[i][1], words[best][2]))
                i = best + 1
            else:
                i += 1
        return out


def term_key_of(words: list[tuple[str, int, int]], i: int, j: int) -> str:
    return "".join(w for w, _, _ in words[i : j + 1])
