"""Term discovery: terms the translated book suggests (glosses 中文（English）, co-occurrence)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import HAN
from .evidence import ZH_PARTICLES, BookText
from .file import Glossary
from .matcher import term_key
from .uses import ExtractItem

GLOSSED = "glossed"
"""How a proposal was found: the Chinese glosses it as 中文（English）."""
COOCCURRENCE = "co-occurrence"
"""How a proposal was found: the pairs of an English phrase nearly always hold one Chinese string."""


@dataclass(slots=True)
class Example:
    """A pair that shows a proposed term."""

    file: str
    line: int
    english: str
    chinese: str


@dataclass(slots=True)
class Proposal:
    """A term found in the translated book, not yet in the glossary."""

    english: str
    chinese: str
    count: int
    """Pairs that show it."""
    how: str
    """GLOSSED (中文（English） in the Chinese) or COOCCURRENCE (aligned pairs agree)."""
    examples: list[Example] = field(default_factory=list)
    """Two pairs that show it."""

    def as_dict(self) -> dict[str, object]:
        return {"english": self.english, "chinese": self.chinese, "count": self.count, "how": self.how,
                "examples": [{"file": e.file, "line": e.line, "english": e.english, "chinese": e.chinese}
                             for e in self.examples]}


# Words after which a Chinese run starts a new phrase: what precedes them is not part of the term.
_ZH_CUT = re.compile(r".*[的是为了和与在将把被即叫称个种一从对用由及或这那其该们]")
_STOPWORDS = frozenset("""a an the of to in on for and or but is are was were be been being by with as at from
that this these those it its we our you your they their he she his her which who whom what when where why how
has have had along across among around against toward towards upon whether yet
can could may might must shall should will would do does did done not no nor than then there here so such
also only just very more most less least many much some any each every all both either neither other another
into onto over under about above below after before between through during without within out up down off
if else while because since until unless although though however thus hence e g i ie eg etc via per one two
three first second new use used using make made given give let us see note way well like e.g i.e""".split())


def _english_phrases(prose: str, max_words: int = 3) -> set[str]:
    """Candidate English terms in masked prose: runs of 1..4 content words, lower-cased."""
    out: set[str] = set()
    for chunk in re.split(r"[^A-Za-z\- ]+", prose):
        words = [w for w in re.split(r"[\s]+", chunk.strip()) if w]
        for i in range(len(words)):
            for j in range(i, min(i + max_words, len(words))):
                first, last = words[i].lower(), words[j].lower()
                if first in _STOPWORDS or last in _STOPWORDS or first.startswith("-") or last.endswith("-"):
                    continue
                if any(w.lower() in _STOPWORDS and w.lower() != "of" for w in words[i : j + 1]):
                    continue
                if i == j or re.search(r"(?:ed|ly)$", first):
                    continue  # a lone word, "created ...", "strictly ...": seldom a term
                inner = [w.lower() for w in words[i:j] if w.lower() != "of"]
                if any(w.endswith("s") and not w.endswith(("ss", "us", "is")) for w in inner):
                    continue  # "module provides tools", "examples provide": a verb, not a compound
                out.add(" ".join(w.lower() for w in words[i : j + 1]))
    return out


def _chinese_ngrams(text: str, lo: int = 2, hi: int = 6) -> set[str]:
    out: set[str] = set()
    for run in re.findall(f"[{HAN}]+", text):
        for n in range(lo, min(hi, len(run)) + 1):
            for i in range(len(run) - n + 1):
                out.add(run[i : i + n])
    return out


def extract(items: Sequence[ExtractItem], g: Glossary, min_count: int = 2, min_cooccur: int = 3,
            min_dice: float = 0.7) -> list[Proposal]:
    """Terms the translated book suggests: 中文（English） glosses, and English phrases whose pairs
    share one Chinese string. Terms the glossary has (any status, any Chinese) are left out."""
    known = {t.key for t in g.terms}
    proposals = _glossed(items, known, min_count)
    covered = known | {term_key(p.english) for p in proposals}
    known_pairs = {(t.key, t.chinese) for t in g.terms}
    proposals += _cooccurring(items, covered, known_pairs, min_cooccur, min_dice)
    # a phrase inside a longer proposal with the same Chinese says nothing new
    proposals = _drop_nested(proposals)
    proposals.sort(key=lambda p: (p.how != GLOSSED, -p.count, p.english))
    return proposals


def _glossed(items: Sequence[ExtractItem], known: set[str], min_count: int) -> list[Proposal]:
    """Terms the Chinese glosses as 中文（English）: for each English, its most frequent Chinese."""
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    english_form: dict[str, str] = {}
    for k, it in enumerate(items):
        for m in _GLOSSED_ANY.finditer(it.chinese):
            en = m.group("en").strip()
            zh = m.group("zh")
            if not m.group("star"):
                cut = _ZH_CUT.match(zh)
                if cut:
                    zh = zh[cut.end():]
            if len(zh) < 2 or len(en) < 3 or en.isupper() and len(en) <= 2:
                continue
            key = term_key(en)
            if not key or key in known:
                continue
            english_form.setdefault(key, en.lower() if not en.isupper() else en)
            if k not in found[(key, zh)]:
                found[(key, zh)].append(k)
    best_by_key: dict[str, tuple[str, list[int]]] = {}
    for (key, zh), where in found.items():
        cur = best_by_key.get(key)
        if cur is None or len(where) > len(cur[1]):
            best_by_key[key] = (zh, where)
    proposals: list[Proposal] = []
    for key, (zh, where) in best_by_key.items():
        if len(where) >= min_count or any(f"*{zh}*" in items[k].chinese for k in where):
            examples = [_example(items[k]) for k in where[:2]]
            proposals.append(Proposal(english_form[key], zh, len(where), GLOSSED, examples))
    return proposals


@dataclass(slots=True)
class _Phrases:
    """Where each English phrase and each Chinese n-gram occurs, one piece of evidence per text."""

    english: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    """English phrase -> the items that hold it."""
    chinese: dict[int, set[str]] = field(default_factory=dict)
    """Item -> the Chinese n-grams of its prose."""
    chinese_count: Counter[str] = field(default_factory=Counter)
    """Chinese n-gram -> how many items hold it."""


def _phrases(items: Sequence[ExtractItem]) -> _Phrases:
    """The English phrases and Chinese n-grams of the items; a text repeated in each framework's
    tab is one piece of evidence, not three."""
    out = _Phrases()
    distinct = dict.fromkeys(((it.english_prose, it.chinese_prose), k) for k, it in enumerate(items))
    seen_texts: set[tuple[str, str]] = set()
    for (text, k) in distinct:
        if text in seen_texts:
            continue
        seen_texts.add(text)
        it = items[k]
        for ph in _english_phrases(it.english_prose.replace("\x00", "|")):
            out.english[ph].append(k)
        grams = _chinese_ngrams(it.chinese_prose)
        out.chinese[k] = grams
        out.chinese_count.update(grams)
    return out


def _cooccurring(items: Sequence[ExtractItem], covered: set[str], known_pairs: set[tuple[str, str]],
                 min_cooccur: int, min_dice: float) -> list[Proposal]:
    """English phrases whose pairs nearly always hold one Chinese string (`covered` terms left out)."""
    book = BookText(items)
    index = _phrases(items)
    proposals: list[Proposal] = []
    for ph, where in index.english.items():
        if len(where) < min_cooccur:
            continue
        key = term_key(ph)
        if key in covered:
            continue
        local: Counter[str] = Counter()
        for k in where:
            local.update(index.chinese[k])
        zh = _most_faithful(local, len(where), index.chinese_count, min_cooccur, min_dice)
        if zh is None:
            continue
        zh = _whole_term(zh, book)
        if len(zh) < 2 or (key, zh) in known_pairs or not _term_like(zh, ph):
            continue
        where_both = [k for k in where if zh in items[k].chinese_prose]
        if len(where_both) < min_cooccur:
            continue
        proposals.append(Proposal(ph, zh, len(where_both), COOCCURRENCE, [_example(items[k]) for k in where_both[:2]]))
        covered.add(key)
    return proposals


def _most_faithful(local: Counter[str], pairs: int, chinese_count: Counter[str], min_cooccur: int,
                   min_dice: float) -> str | None:
    """The Chinese n-gram that comes with a phrase most faithfully (Dice over `pairs`), grown to
    the longest string that nearly always comes with it (图像增 -> 图像增广); None below `min_dice`."""
    best: tuple[float, int, str] | None = None
    for zh, both in local.items():
        if both < min_cooccur:
            continue
        cand = (2 * both / (pairs + chinese_count[zh]), len(zh), zh)
        if best is None or cand > best:
            best = cand
    if not best or best[0] < min_dice:
        return None
    zh = best[2]
    longer = [c for c, n in local.items() if zh in c and c != zh and n >= 0.8 * local[zh]]
    return max(longer, key=len) if longer else zh


#: Characters that make a clause, not a term (了 提供了, 都 都有, 每 每一个).
_CLAUSE_CHARS = frozenset("了着是都也就把被将很还又所们么吗呢吧啊每这那该其")


def _term_like(zh: str, english: str) -> bool:
    """A Chinese string that can be a term's translation: no clause characters, and not much
    longer than a term of that many English words is written (3 characters a word)."""
    return not (_CLAUSE_CHARS & set(zh)) and len(zh) <= 3 * len(english.split()) + 1


def _whole_term(zh: str, book: BookText) -> str:
    """A co-occurring Chinese string made a term: a short lead that ends in 的 cut off (同的图像增广 ->
    图像增广, the tail of 不同的), then grown to the string it is nearly always part of in the book
    (注意力评分函 -> 注意力评分函数, 化能力 -> 泛化能力)."""
    lead = re.match(f"[{HAN}]{{1,2}}的", zh)
    if lead and len(zh) - lead.end() >= 2:
        zh = zh[lead.end() :]
    return book.whole(zh.strip(ZH_PARTICLES)).strip(ZH_PARTICLES)


_GLOSSED_ANY = re.compile(
    rf"(?P<star>\*{{1,2}})?(?P<zh>[{HAN}]{{1,16}})(?(star)\*{{1,2}})（(?P<en>[A-Za-z][A-Za-z \-']{{1,60}})）")


def _drop_nested(props: list[Proposal]) -> list[Proposal]:
    """Co-occurrence proposals that say nothing new: a phrase inside a longer one with the same
    Chinese, or a longer phrase whose extra words the Chinese does not show (different image
    augmentation -> 图像增广, already image augmentation's)."""
    keep = []
    for p in props:
        if p.how == COOCCURRENCE and any(
            q is not p and q.chinese == p.chinese and q.count >= p.count
            and (p.english in q.english or q.english in p.english) and len(q.english) != len(p.english)
            for q in props
        ):
            continue
        keep.append(p)
    return keep


def _example(it: ExtractItem) -> Example:
    return Example(it.file, it.line, it.english, it.chinese)
