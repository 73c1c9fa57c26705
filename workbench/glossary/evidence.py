"""The book's Chinese as evidence: folded text, counts, strings grown to the term they are part of."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..model import CHINESE, HAN, is_cjk
from .uses import TextPair

# Characters that do not begin or end a term (particles, prepositions)
ZH_PARTICLES = "的了是在从以和与及或对把被将为其这那"

# spaces, emphasis, and d2l's (**…**) / [**…**] / (~~…~~) highlight marks (线性(**回归 is 线性回归)
_FOLDED_AWAY = re.compile(r"[(\[](?=\*\*|~~)|(?<=\*\*|~~)[)\]]|[\s*_~]+")


def fold_chinese(text: str) -> str:
    return _FOLDED_AWAY.sub("", text).lower()


#: Characters a term does not run into: particles, measure words, pronouns.
TERM_STOP = frozenset(ZH_PARTICLES + "个种们")


_LATIN_AFTER = re.compile(r"[a-z][a-z0-9]*")
_LATIN_BEFORE = re.compile(r"[a-z][a-z0-9]*$")


class BookText:
    """The book's Chinese prose, each distinct text once, for counting how a string is used."""

    def __init__(self, pairs: Sequence[TextPair]) -> None:
        self.texts = list(dict.fromkeys(fold_chinese(p.chinese_prose) for p in pairs if has_cjk(p.chinese_prose)))
        self.joined = "\n".join(self.texts)
        self._counts: dict[str, int] = {}
        self._whole: dict[tuple[str, float], str] = {}

    def count(self, s: str) -> int:
        """Occurrences of `s` in the book's Chinese."""
        n = self._counts.get(s)
        if n is None:
            n = self._counts[s] = self.joined.count(s)
        return n

    def specific(self, s: str, term_text: str) -> bool:
        """Most of the book's uses of `s` stand in `term_text` (the Chinese of a term's pairs):
        对象检测 is how a pair renders "object detection", 函数 or 多框检测 is another word's."""
        return 2 * term_text.count(s) >= self.count(s)

    def whole(self, s: str, share: float = 0.8) -> str:
        """`s` grown to the string it is nearly always part of (数据样 -> 数据样本, 计算复杂 -> 计算复杂度):
        a cut-off string is followed (or preceded) by one character in most of its occurrences."""
        key = (s, share)
        if key not in self._whole:
            self._whole[key] = self._grow(s, share)
        return self._whole[key]

    def _grow(self, s: str, share: float) -> str:
        for _ in range(8):
            grown = False
            for side in (1, -1):
                nexts: Counter[str] = Counter()
                for m in re.finditer(re.escape(s), self.joined):
                    # the next Chinese character, or a whole Latin word (分层 -> 分层softmax)
                    if side == 1:
                        w = _LATIN_AFTER.match(self.joined, m.end())
                        c = w.group() if w else self.joined[m.end() : m.end() + 1]
                    else:
                        w = _LATIN_BEFORE.search(self.joined, max(0, m.start() - 30), m.start())
                        c = w.group() if w else self.joined[max(0, m.start() - 1) : m.start()]
                    nexts[c if c and (CHINESE.match(c) or w) else ""] += 1
                total = sum(nexts.values())
                if total < 2:
                    return s
                c, n = nexts.most_common(1)[0]
                if c and n >= share * total and c not in TERM_STOP:
                    s = s + c if side == 1 else c + s
                    grown = True
            if not grown:
                break
        return s


_TOKEN = re.compile(f"[{HAN}]|[a-z][a-z0-9]*")
_TOKEN_RUN = re.compile(f"(?:[{HAN}]|[a-z][a-z0-9]*)+")
_LATIN_WORD = re.compile(r"[a-z]")


def term_ngrams(text: str, lo: int = 2, hi: int = 6) -> set[str]:
    """Runs of 2..6 tokens (a Chinese character or a Latin word) with a Chinese character in them:
    the strings a term's translation can be (特征图, 分层softmax)."""
    out: set[str] = set()
    for run in _TOKEN_RUN.findall(text):
        if run.isascii():
            continue
        latin = _LATIN_WORD.search(run) is not None
        toks = _TOKEN.findall(run) if latin else run
        for n in range(lo, min(hi, len(toks)) + 1):
            for i in range(len(toks) - n + 1):
                gram = toks[i : i + n]
                if not latin:
                    out.add(gram)  # type: ignore[arg-type]
                elif not all(t.isascii() for t in gram):
                    out.add("".join(gram))
    return out


def has_cjk(text: str) -> bool:
    """True when the text holds a Chinese character."""
    return any(is_cjk(c) for c in text)
