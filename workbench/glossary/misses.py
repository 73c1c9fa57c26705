"""A pair that lacks a term's approved translation: what it has instead, weighed with the book's evidence."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import HAN, is_cjk
from .evidence import TERM_STOP, ZH_PARTICLES, BookText, fold_chinese, has_cjk, term_ngrams
from .matcher import WORD, singular, term_key
from .uses import TermRule, TextPair, Use


@dataclass(slots=True)
class Variant:
    """A translation the book uses for a term instead of the approved one."""

    key: str
    chinese: str
    """The variant (or the English term itself, when the book leaves it untranslated)."""
    uses: list[Use]
    prevails: bool
    """The book uses the variant more often than the approved translation and than its other variants."""


def substitute(use: Use, pair_uses: dict[str, Use], zh: str,
                table: dict[str, TermRule]) -> tuple[str, str] | None:
    """A sibling term's translation standing where this term's should: the Chinese has it more
    often than the English has that term (深度学习 twice for one "deep learning" and one
    "machine learning"). Siblings share an English word and a Chinese character: a translator
    confuses those, not unrelated terms. (found, reason) or None."""
    words = {singular(w) for w in WORD.findall(table[use.key].english)}
    chars = set("".join(table[use.key].approved))
    for key2, other in pair_uses.items():
        if key2 == use.key or other.state != "ok" or other.verb:
            continue
        if not words & {singular(w) for w in WORD.findall(table[key2].english)}:
            continue
        for b in table[key2].approved:
            n = zh.count(fold_chinese(b))
            if n > other.times and chars & set(b):
                return b, (f"the Chinese has {b!r} {n} times, the English {table[key2].english!r} "
                           f"{other.times} {'time' if other.times == 1 else 'times'}: one may stand for this term")
    return None


_CLAUSE_END = "。，；：！？、,.;:!?（）()\x00"


def split_form(zh: str, approved: list[str]) -> str | None:
    """An approved form of four characters or more torn in two within one clause, as machine
    translation does (线性的基本概念应用各种数值运算 代数 for 线性代数): "线性…代数", or None."""
    for a in approved:
        a = fold_chinese(a)
        for cut in range(2, len(a) - 1):
            m = re.search(re.escape(a[:cut]) + f"[^{re.escape(_CLAUSE_END)}]{{1,20}}?" + re.escape(a[cut:]), zh)
            if m:
                return f"{a[:cut]}…{a[cut:]}"
    return None


def near_form(zh: str, approved: list[str]) -> str | None:
    """The stretch of `zh` most like an approved translation, when it shares more than half of its
    characters in order (two at least), and they make most of the stretch: 泛化错误 for 泛化误差,
    注意模型 for 注意力模型, 完全连接的图层 for 全连接层."""
    best: tuple[int, str] | None = None
    for a in approved:
        need = max(2, len(a) // 2 + 1)
        chars = set(a)
        for i, c in enumerate(zh):
            if c not in chars:
                continue
            window = zh[i : i + len(a) + 2]
            n, first, last, a_first, _ = _common(window, a)
            # mostly the approved characters: 调整超参数 is no near form of 调参
            if n >= need and (last - first + 1) - n < n and (best is None or n > best[0]):
                # widen the matched stretch by the unmatched ends of the approved form
                # widen the matched stretch to the approved form's length: by its unmatched head
                # first (对象 of 对象检测), then at the end
                lo, hi = i + first, i + last + 1
                for _ in range(a_first):
                    if lo > 0 and _widens(zh[lo - 1], zh[lo]):
                        lo -= 1
                while hi - lo < len(a) and hi < len(zh) and _widens(zh[hi], zh[hi - 1]):
                    hi += 1
                best = (n, zh[lo:hi].strip(ZH_PARTICLES))
    return best[1] if best and best[1] else None


_TERM_CHAR = re.compile(f"[{HAN}a-z0-9]")
_LATIN_WORDS = re.compile(r"[a-z]+")


def _widens(c: str, beside: str) -> bool:
    """True when `c` may join the stretch it stands beside: a Chinese character beside a Chinese
    one, or a Latin letter beside a Latin one, and no particle or measure word."""
    return bool(_TERM_CHAR.match(c)) and c not in TERM_STOP and c.isascii() == beside.isascii()


def _common(s: str, t: str) -> tuple[int, int, int, int, int]:
    """Longest common subsequence of s and t: its length, and where it starts and ends in s and in t."""
    m, n = len(s), len(t)
    dp = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            dp[i][j] = dp[i + 1][j + 1] + 1 if s[i] == t[j] else max(dp[i + 1][j], dp[i][j + 1])
    # walk the table for the first and last matched positions
    i = j = 0
    spots = []
    while i < m and j < n:
        if s[i] == t[j]:
            spots.append((i, j))
            i, j = i + 1, j + 1
        elif dp[i + 1][j] >= dp[i][j + 1]:
            i += 1
        else:
            j += 1
    if not spots:
        return 0, 0, 0, 0, 0
    return len(spots), spots[0][0], spots[-1][0], spots[0][1], spots[-1][1]


def strip_all(text: str, parts: list[str]) -> str:
    for p in parts:
        text = text.replace(p, "\x00")
    return text


def weigh_misses(key: str, rule: TermRule, key_uses: list[Use], pairs: Sequence[TextPair], book: BookText,
                 min_variant: int) -> list[Variant]:
    """Settle a term's missing uses with the book's evidence; the variants found, with their uses.

    A Chinese string that stands in many pairs where the term is missing, seldom in the pairs that
    have the approved translation, and seldom elsewhere in the book, is how the book translates
    the term. When it is part of an approved translation (真实 of 真实值, 动量 of 动量法) the pairs
    use a short form: accepted. Otherwise it is the book's variant (迭代周期 for epoch): its pairs
    become info, and the variant one finding. The English term left untranslated in many pairs
    is a variant too.
    """
    misses = [u for u in key_uses if u.state == "missing" and not u.verb]
    text_of = {u.pair: fold_chinese(pairs[u.pair].chinese_prose) for u in key_uses}
    texts = list(dict.fromkeys(text_of[u.pair] for u in misses))
    if len(texts) < 2:
        return []
    approved = [fold_chinese(a) for a in rule.approved]
    found = _instead(rule, key_uses, text_of, texts, approved, book)
    out = _settle(key, rule, key_uses, misses, found, text_of, approved, pairs, min_variant)
    # only the book's main translation prevails: a second variant of a word is rather a second
    # sense (例子 beside 样本 for "example")
    most = max((len(v.uses) for v in out), default=0)
    for var in out:
        var.prevails = var.prevails and len(var.uses) == most
    return out


def _candidates(rule: TermRule, texts: list[str]) -> Counter[str]:
    """The strings a term's translation can be, counted over the Chinese of its missing pairs."""
    counts: Counter[str] = Counter()
    own = {singular(w) for w in WORD.findall(rule.english)}
    for t in texts:
        grams = term_ngrams(t)
        if all(w[:4].lower() in t for w in own):
            # strings with the term's own English in them (用dropout) are the term left in English
            grams = {g for g in grams if not own <= {singular(w) for w in _LATIN_WORDS.findall(g)}}
        counts.update(grams)
    return counts


def _instead(rule: TermRule, key_uses: list[Use], text_of: dict[int, str], texts: list[str], approved: list[str],
             book: BookText) -> list[str]:
    """The strings the missing pairs (their distinct Chinese `texts`) use instead of the approved
    translation, chosen greedily: the one that explains most of the unexplained pairs first."""
    # the pairs that use the approved translation, without it (so that its parts do not count there)
    ok_texts = list(dict.fromkeys(strip_all(text_of[u.pair], approved) for u in key_uses if u.state == "ok")) or [""]
    joined = "\n".join(dict.fromkeys(text_of.values()))
    counts = _candidates(rule, texts)
    floor = max(2, math.ceil(0.15 * len(texts)))

    def telling(v: str) -> bool:
        # most of the book's uses of v stand in pairs whose English has the term, and v is far
        # more common where the approved translation is missing than where it is used
        if 2 * joined.count(v) < book.count(v):
            return False
        return sum(v in t for t in texts) / len(texts) >= 2 * sum(v in t for t in ok_texts) / len(ok_texts)

    found: list[str] = []
    uncovered = texts
    ranked = sorted((x for x in counts.items() if x[1] >= floor), key=lambda x: (-x[1], -len(x[0]), x[0]))
    for v, n in ranked:
        if any(v in f or f in v for f in found) or sum(v in t for t in uncovered) < floor or not telling(v):
            continue
        whole = book.whole(v)
        if not any(whole in a for a in approved):  # else a short form of an approved translation (真实 of 真实值)
            # the longest telling string that comes with v nearly every time: 词汇 -> 词汇表
            longer = [w for w, m in ranked if v in w and w != v and m >= 0.8 * n and telling(w)]
            if longer:
                v = max(longer, key=len)
            whole = book.whole(v).strip(ZH_PARTICLES)
        if len(whole) < 2 or any(whole in f or f in whole for f in found):
            continue
        found.append(whole)
        uncovered = [t for t in uncovered if whole not in t]
        if len(uncovered) < floor:
            break
    return found


def _settle(key: str, rule: TermRule, key_uses: list[Use], misses: list[Use], found: list[str],
            text_of: dict[int, str], approved: list[str], pairs: Sequence[TextPair],
            min_variant: int) -> list[Variant]:
    """Mark the missing uses the strings `found` explain: a short form of an approved translation
    is right, a string with enough evidence is a variant; so is the term left in English."""
    out: list[Variant] = []
    n_ok = sum(u.state == "ok" for u in key_uses)
    for v in found:
        where = [u for u in misses if u.state == "missing" and v in text_of[u.pair]]
        if any(v in a for a in approved):  # a short form of an approved translation: the pair is right
            for u in where:
                u.state = "ok"
            continue
        # a variant with nothing of the approved form (迭代周期 for 轮) needs more evidence than one
        # that shares some of it (特征映射 for 特征图): a topic's words are not its rendering
        alike = any(set(v) & set(a) for a in approved)
        texts_ = {text_of[u.pair] for u in where}
        files_ = {pairs[u.pair].file for u in where}
        if len(texts_) >= min_variant if alike else (len(texts_) >= 2 * min_variant and len(files_) >= 2):
            for u in where:
                u.state, u.found = "variant", v
            out.append(Variant(key, v, where, len(where) > n_ok))
    left = [u for u in misses if u.state == "missing" and u.found and not has_cjk(u.found)]
    if len({text_of[u.pair] for u in left}) >= min_variant:
        for u in left:
            u.state = "variant"
        out.append(Variant(key, rule.english, left, len(left) > n_ok))
    return out


_GLOSSED = re.compile(rf"\*?(?P<zh>[{HAN}]{{1,12}})\*?（(?P<en>[A-Za-z][A-Za-z \-']*)）")


def given_chinese(chinese: str, chinese_prose: str, english: str) -> str | None:
    """The Chinese a pair gives an English term it glosses as 中文（English）, or the English when
    the prose leaves it untranslated (not in code, and not as a gloss after Chinese words)."""
    key = term_key(english)
    for m in _GLOSSED.finditer(chinese):
        if term_key(m.group("en")) == key:
            return m.group("zh")
    for m in re.finditer(r"(?<![A-Za-z])" + re.escape(english) + r"(?![A-Za-z])", chinese_prose, re.I):
        if not _in_gloss(chinese_prose, m.start()):
            return m.group()  # left in English
    return None


def _in_gloss(text: str, at: int) -> bool:
    """True when `at` stands inside a parenthesis that follows Chinese (区域卷积神经网络（regions with
    CNN features）) or inside a link's text (a title or a product name: [spot instances](URL))."""
    bracket = text.rfind("[", 0, at)
    if bracket >= 0 and "]" not in text[bracket:at]:
        closed = text.find("]", at)
        if closed >= 0 and text[closed + 1 : closed + 2] == "\x00":  # the link's URL, masked
            return True
    opened = max(text.rfind("（", 0, at), text.rfind("(", 0, at))
    if opened < 0 or max(text.rfind("）", opened, at), text.rfind(")", opened, at)) >= 0:
        return False
    before = text[:opened].rstrip(" *_")
    return bool(before) and is_cjk(before[-1])
