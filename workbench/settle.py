"""Settling mechanical English edits: a translation carried across a typo fix, a changed number or
name, or d2l's highlight marks, without a translator, and recorded for a reviewer to glance at.

`classify(previous, english, chinese, words)` compares the English a translation was made for
with the English now, token by token, and names each edit:

- whitespace: the same tokens, spaced otherwise (`of **)` -> `of**)`);
- typo: a misspelt word fixed (verion -> version: plain words of four letters or more, the old
  one in neither the dictionary nor the book, the new one a letter or two away and a known word),
  a/an, a comma added or dropped;
- tokens: a number, inline code, math, a reference, a URL or a name (a word with a digit, or a
  capital past its first letter or not opening a sentence) replaced by another of its class;
- markup: d2l's highlight marks `[**…**]`, `(**…**)`, `[~~…~~]`, `(~~…~~)` added, dropped or changed;
- wording: anything else: it may change the meaning.

It settles the unit (gives the Chinese to carry over as current) only when every edit is
mechanical and its effect on the Chinese is certain: an old word or token that the Chinese holds
verbatim is replaced there too (only when the Chinese holds it as often as the old English did);
a misspelt word the Chinese does not spell needs nothing, a token it does not hold leaves the unit
stale; marks are placed around the whole Chinese, or around whole
sentences when both sides have as many sentences and the tokens they share fix the span. Anything
else leaves the unit stale, with the kinds of edit named. A wrong settle is worse than a stale flag.

`settle(result, words)` applies it to the units a sync has just made stale (1:1 edits only).
Pure functions; the dictionary is pyspellchecker's English word list, loaded on first use.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import files
from .carry_over import Carried, SyncResult
from .model import GROUP_SEPARATOR, Pair, WorkbenchError
from .store import keep_obsolete, settle_pair

#: The kinds of edit, in the order a settled kind names them.
KINDS = ("whitespace", "typo", "markup", "tokens")
WORDING = "wording"

_MARKS = r"\[\*\*|\*\*\]|\(\*\*|\*\*\)|\[~~|~~\]|\(~~|~~\)"
_TOKEN = re.compile(
    rf"(?P<mark>{_MARKS})"
    r"|(?P<ref>:\w+:`[^`]*`)"
    r"|(?P<code>`[^`]*`)"
    r"|(?P<math>\$\$.+?\$\$|\$[^$]+\$)"
    r"|(?P<url>https?://[^\s)>\]]+|\]\([^)\s]*\))"
    r"|(?P<number>\d+(?:[.,]\d+)*)"
    r"|(?P<word>[A-Za-z_][\w'’]*(?:-[\w'’]+)*)"
    r"|(?P<space>\s+)"
    r"|(?P<punct>.)"
)
# a mark's partner: the opening marks and the closing ones
_OPENS = {"[**": "**]", "(**": "**)", "[~~": "~~]", "(~~": "~~)"}
_MARK = re.compile(_MARKS)
# spans of the Chinese where a word or number is not prose: code, math, references, links
_SHIELD = re.compile(r":\w+:`[^`]*`|`[^`]*`|\$\$.+?\$\$|\$[^$]+\$|https?://[^\s)>\]]+|\]\([^)\s]*\)")
# an enumerator closed by a parenthesis only, as in "i) ... ii) ..." (d2l writes "(i)" now); the
# lookbehind keeps "f(i)", "(a, b)" where "b)" closes a pair, and words ending in a letter out
_ENUMERATOR = re.compile(r"(?<![(A-Za-z0-9_,])(?<![(A-Za-z0-9_], )(i{1,3}|iv|v|vi{1,3}|ix|x)\)")
_ZH_SENTENCE_END = re.compile(r"[。！？]")
_ZH_TRAILING = "。！？；：，"
_ARTICLES = {"a", "an"}


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    cls: str  # mark, ref, code, math, url, number, word, punct
    start: int  # offset in the English


def tokens(text: str) -> list[Token]:
    """The English as tokens (whitespace dropped): a code span, math, a reference, a mark is one token."""
    out = []
    for m in _TOKEN.finditer(text):
        cls = m.lastgroup or "punct"
        if cls != "space":
            out.append(Token(m.group(), cls, m.start()))
    return out


def _name_like(word: str, first: bool = False) -> bool:
    """A word the Chinese may spell verbatim: a name, an acronym, an identifier (a capital, a digit,
    `_`); the first word of a sentence only with a capital or digit past its first letter."""
    if any(c.isdigit() or c == "_" or c.isupper() for c in word[1:]):
        return True
    return word[:1].isupper() and not first


def _starts_sentence(tokens: list[Token], k: int) -> bool:
    """True when token k opens a sentence (or the unit, or a highlight mark's span)."""
    return k == 0 or tokens[k - 1].text in ".?!:" or tokens[k - 1].cls == "mark"


class Words:
    """Which words are English: pyspellchecker's word list and the words of the book's English."""

    def __init__(self, book_english: Callable[[], Iterable[str]] | None = None) -> None:
        self._book_english = book_english

    @cached_property
    def dictionary(self) -> set[str] | None:
        """pyspellchecker's English words (lower case); None when it is not installed."""
        try:
            import spellchecker
        except ImportError:  # no dictionary: no typo is settled (the units stay stale)
            return None
        return _english_words(getattr(spellchecker, "__version__", "unknown"))

    @cached_property
    def book(self) -> Counter[str]:
        found: Counter[str] = Counter()
        for text in self._book_english() if self._book_english else ():
            found.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’]*", text))
        return found

    def known(self, word: str, besides: int = 0) -> bool:
        """An English word (in the dictionary) or a word the book uses (more than `besides` times:
        the unit's own uses do not make a word known)."""
        w = word.lower()
        return (self.dictionary is not None and w in self.dictionary) or self.book[w] > besides

    def misspelt(self, old: str, new: str, english: str = "") -> bool:
        """True when `old` -> `new` (a word of the new `english`) fixes a misspelling: old is no
        word (of the dictionary or the book), the new one is one (used elsewhere in the book, if not
        in the dictionary), both are plain words (no acronym, no identifier), a letter or two apart."""
        if not (old.isalpha() and new.isalpha()) or min(len(old), len(new)) < 4 or self.dictionary is None:
            return False  # the cheap tests first: the dictionary is loaded only when a word needs it
        if old.lower() == new.lower():
            return old.lower() not in self.dictionary  # pytorch -> PyTorch, not apple -> Apple
        if any(c.isupper() for c in old[1:] + new[1:]):
            return False  # ReLU -> GeLU is a name for another thing, not a spelling
        here = sum(1 for w in re.findall(r"[A-Za-z][A-Za-z'’]*", english) if w.lower() == new.lower())
        if self.known(old) or not self.known(new, besides=here):
            return False
        limit = 1 if min(len(old), len(new)) <= 5 else 2
        return _distance(old.lower(), new.lower()) <= limit


def _english_words(version: str) -> set[str]:
    """pyspellchecker's word list, kept as plain text in the user's cache folder
    ($XDG_CACHE_HOME/workbench): decoding its JSON takes half a second, a third of a small sync."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "workbench" / f"english-{version}.txt"
    try:
        words = set(cache.read_text(encoding="utf-8").split("\n"))
        if len(words) > 10_000:  # a cut or emptied file is made again
            return words
    except (OSError, UnicodeDecodeError):
        pass
    from spellchecker import SpellChecker

    words = set(SpellChecker().word_frequency.keys())
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        files.write_atomic(cache, "\n".join(sorted(words)))
    except (OSError, WorkbenchError):
        pass  # only a cache: read from pyspellchecker again next time
    return words


def _distance(a: str, b: str) -> int:
    """Edit distance with transpositions (optimal string alignment)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


@dataclass(slots=True)
class Settlement:
    """How one edit of a translated unit's English is settled, or why it is not."""

    kinds: set[str] = field(default_factory=set)
    """The kinds of edit found (KINDS, or WORDING)."""
    chinese: str | None = None
    """The Chinese to carry over as current; None: the unit stays stale."""
    done: list[str] = field(default_factory=list)
    """What was done, for the note a reviewer reads."""
    why: str = ""
    """Why the unit stays stale."""

    @property
    def kind(self) -> str:
        """The kinds found, joined by "+" in KINDS order ("wording" when any edit may change the meaning)."""
        if WORDING in self.kinds:
            return WORDING
        return "+".join(k for k in KINDS if k in self.kinds)

    @property
    def settled(self) -> bool:
        return self.chinese is not None

    def stale(self, why: str, kind: str = "") -> Settlement:
        if kind:
            self.kinds.add(kind)
        self.chinese, self.why = None, why
        return self


def classify(previous: str, english: str, chinese: str, words: Words) -> Settlement:
    """Classify the edit previous -> english of a unit translated as `chinese`, and settle it when
    every part is mechanical and certain (see the module's docstring)."""
    enumerated = _enumerators(previous, english, chinese, words)
    if enumerated is not None:
        return enumerated
    return _classify(previous, english, chinese, words)


def _enumerators(previous: str, english: str, chinese: str, words: Words) -> Settlement | None:
    """`i) ... ii)` written `(i) ... (ii)` in the English: settled when the Chinese writes each
    enumerator as the old English did (then it is written the new way there too) and the rest of
    the edit settles; None when the edit is not of that kind."""
    fixed, n = _ENUMERATOR.subn(r"(\1)", previous)
    if not n or n != english.count("(") - previous.count("("):
        return None
    shielded = [(m.start(), m.end()) for m in _SHIELD.finditer(chinese)]
    spots = [m for m in _ENUMERATOR.finditer(chinese) if not any(s <= m.start() < e for s, e in shielded)]
    if [m.group(1) for m in spots] != [m.group(1) for m in _ENUMERATOR.finditer(previous)]:
        return None  # the Chinese writes them otherwise, or not all: not certain
    for m in reversed(spots):
        chinese = chinese[:m.start()] + f"({m.group(1)})" + chinese[m.end():]
    told = f"enumerators written ({spots[0].group(1)}) in the Chinese as the English writes them now"
    if [t.text for t in tokens(fixed)] == [t.text for t in tokens(english)]:
        out = Settlement()  # the enumerators were the whole edit
    else:
        out = _classify(fixed, english, chinese, words)
        if not out.settled:
            return None
    out.kinds.add("markup")
    out.done.insert(0, told)
    out.chinese = out.chinese or chinese
    return out


def _classify(previous: str, english: str, chinese: str, words: Words) -> Settlement:
    """classify() once enumerators are taken care of."""
    out = Settlement()
    if GROUP_SEPARATOR in previous or GROUP_SEPARATOR in english or not chinese.strip():
        return out.stale("a split or merge is not a mechanical edit", WORDING)
    old, new = tokens(previous), tokens(english)
    a, b = [t.text for t in old], [t.text for t in new]
    if a == b:
        out.kinds.add("whitespace")
        out.chinese = chinese
        out.done.append("only the spacing of the English changed")
        return out
    firsts = {id(t) for seq in (old, new) for k, t in enumerate(seq) if _starts_sentence(seq, k)}
    subs: list[tuple[str, str, str]] = []  # (old, new, class) to replace in the Chinese
    marks: list[tuple[str, int, int, int, int]] = []  # (tag, i1, i2, j1, j2) edits of marks
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        xs, ys = old[i1:i2], new[j1:j2]
        if all(t.cls == "mark" for t in xs + ys):
            out.kinds.add("markup")
            marks.append((tag, i1, i2, j1, j2))
            continue
        why = _pieces(xs, ys, words, out, subs, firsts, english)
        if why:
            return out.stale(why, WORDING)
    text = _substitute(chinese, old, subs, out)
    if text is None:
        return out
    if marks:
        placed = _place_marks(text, old, new, marks, out)
        if placed is None:
            return out
        text = placed
    out.chinese = text
    return out


def _pieces(xs: list[Token], ys: list[Token], words: Words, out: Settlement, subs: list[tuple[str, str, str]],
            firsts: set[int], english: str) -> str:
    """Classify one changed run of tokens (marks aside) of the edit to `english`; returns why it may
    change the meaning, or "". `firsts`: the ids of the tokens that open a sentence."""
    if any(t.cls == "mark" for t in xs + ys):
        return "highlight marks moved together with words"
    xs2 = [t for t in xs if t.text != ","]
    ys2 = [t for t in ys if t.text != ","]
    if len(xs2) != len(xs) or len(ys2) != len(ys):
        out.kinds.add("typo")
        out.done.append("a comma added or dropped in the English")
    if len(xs2) != len(ys2):
        return "words added or dropped"
    for x, y in zip(xs2, ys2, strict=True):
        if x.cls != y.cls and _same_number(x, y):
            subs.append((x.text, y.text, "tokens"))  # a number written another way
            continue
        if x.cls != y.cls:
            return f"{x.text!r} became {y.text!r}"
        if x.cls == "word":
            if {x.text.lower(), y.text.lower()} == _ARTICLES:
                out.kinds.add("typo")
                out.done.append(f"the article {x.text!r} became {y.text!r}")
            elif words.misspelt(x.text, y.text, english):
                out.kinds.add("typo")
                subs.append((x.text, y.text, "typo"))
            elif _name_like(x.text, id(x) in firsts) and _name_like(y.text, id(y) in firsts):
                subs.append((x.text, y.text, "tokens"))
            else:
                return f"the word {x.text!r} became {y.text!r}"
        elif x.cls == "punct":
            return f"{x.text!r} became {y.text!r}"
        else:
            subs.append((x.text, y.text, "tokens"))
    return ""


def _same_number(x: Token, y: Token) -> bool:
    """One number written two ways: `$500,000$` and 500000, 1,000 and 1000 (math that is only a
    number, thousands separators dropped); the same digits, so the same value."""
    def digits(t: Token) -> str | None:
        if t.cls not in ("math", "number"):
            return None
        text = t.text.strip("$").replace("{,}", "").replace("\\,", "").replace(",", "").strip()
        return text if re.fullmatch(r"\d+(?:\.\d+)?", text) else None

    a = digits(x)
    return a is not None and a == digits(y)


def _occurrences(chinese: str, token: str, cls: str) -> list[int]:
    """Where the Chinese holds `token` verbatim (a word or number: as a whole, outside code and math)."""
    if cls in ("word", "number"):
        shielded = [(m.start(), m.end()) for m in _SHIELD.finditer(chinese)]
        # Latin letters and digits bound a word (a Chinese character next to it does not)
        edge = r"[A-Za-z0-9_.,]" if cls == "number" else r"[A-Za-z0-9_]"
        after = r"(?![0-9]|[.,][0-9])" if cls == "number" else r"(?![A-Za-z0-9_])"
        found = [m.start() for m in re.finditer(rf"(?<!{edge}){re.escape(token)}{after}", chinese)]
        return [p for p in found if not any(s <= p < e for s, e in shielded)]
    return [m.start() for m in re.finditer(re.escape(token), chinese)]


def _substitute(chinese: str, old: list[Token], subs: list[tuple[str, str, str]], out: Settlement) -> str | None:
    """The Chinese with each old token it holds replaced as in the English; None (and `out` stale)
    when a replacement is not certain."""
    by_old: dict[str, set[str]] = {}
    kind_of: dict[str, str] = {}
    for x, y, kind in subs:
        by_old.setdefault(x, set()).add(y)
        kind_of[x] = kind
    edits: list[tuple[int, int, str]] = []
    for x, ys in by_old.items():
        kind = kind_of[x]
        cls = next(t.cls for t in old if t.text == x)
        y = next(iter(ys))
        at = _occurrences(chinese, x, cls)
        in_english = sum(1 for t in old if t.text == x)
        if not at:
            if kind == "typo":
                out.done.append(f"{x!r} -> {y!r}: the Chinese does not spell it, kept as it was")
                continue
            out.stale(f"{x!r} -> {y!r}: the Chinese does not hold {x!r} verbatim", "tokens")
            return None
        if len(ys) > 1 or len(at) != in_english or sum(1 for s in subs if s[0] == x) != in_english:
            out.stale(f"{x!r} -> {y!r}: not every {x!r} changed, or the Chinese holds it {len(at)} times", kind)
            return None
        out.kinds.add(kind)
        out.done.append(f"{x!r} -> {y!r} in the Chinese too")
        edits += [(p, p + len(x), y) for p in at]
    edits.sort()
    if any(e1[1] > e2[0] for e1, e2 in itertools.pairwise(edits)):
        out.stale("replacements overlap in the Chinese", "tokens")
        return None
    text = chinese
    for s, e, y in reversed(edits):
        text = text[:s] + y + text[e:]
    return text


# ---------------------------------------------------------------------------------------------
# Highlight marks


def _place_marks(chinese: str, old: list[Token], new: list[Token], marks: list[tuple[str, int, int, int, int]],
                 out: Settlement) -> str | None:
    """The Chinese with the marks edited as in the English; None (and `out` stale) unless certain."""
    old_marks = [t.text for t in old if t.cls == "mark"]
    zh_marks = [m.group() for m in _MARK.finditer(chinese)]
    if zh_marks != old_marks:
        out.stale("the Chinese does not hold the same highlight marks as the old English", "markup")
        return None
    inserted: list[tuple[int, str]] = []  # (old token index the mark goes before, mark)
    drop: dict[int, str] = {}  # mark number among the old marks -> its replacement ("" to drop)
    mark_number = {k: n for n, k in enumerate(k for k, t in enumerate(old) if t.cls == "mark")}
    for tag, i1, i2, j1, j2 in marks:
        if tag == "replace" and i2 - i1 == j2 - j1:
            for d in range(i2 - i1):
                drop[mark_number[i1 + d]] = new[j1 + d].text
        elif tag == "delete":
            for k in range(i1, i2):
                drop[mark_number[k]] = ""
        elif tag == "insert":
            inserted += [(i1, t.text) for t in new[j1:j2]]
        else:
            out.stale("highlight marks replaced by a different number of marks", "markup")
            return None
    spans = _spans(inserted)
    if spans is None:
        out.stale("added highlight marks do not pair up", "markup")
        return None
    # marks dropped or changed: the same marks of the Chinese, by number
    pieces, last = [], 0
    for n, m in enumerate(_MARK.finditer(chinese)):
        if n in drop:
            pieces += [chinese[last:m.start()], drop[n]]
            last = m.end()
    text = "".join(pieces) + chinese[last:]
    if drop:
        out.done.append("highlight marks dropped or changed in the Chinese as in the English")
    for i, j, opening, closing in spans:
        placed = _around(text, old, i, j, opening, closing)
        if placed is None:
            out.stale(f"where {opening}…{closing} goes in the Chinese is not certain", "markup")
            return None
        text, where = placed
        out.done.append(f"{opening}…{closing} placed around {where}")
    return text


def _spans(inserted: list[tuple[int, str]]) -> list[tuple[int, int, str, str]] | None:
    """Added marks as (first old token, end old token, opening, closing); None when they do not pair."""
    out, stack = [], []
    for at, mark in inserted:
        if mark in _OPENS:
            stack.append((at, mark))
        elif stack and _OPENS[stack[-1][1]] == mark:
            i, opening = stack.pop()
            out.append((i, at, opening, mark))
        else:
            return None
    return None if stack else out


def _around(chinese: str, old: list[Token], i: int, j: int, opening: str, closing: str) -> tuple[str, str] | None:
    """Marks around the Chinese of old tokens [i, j): the whole unit, or whole sentences fixed by shared tokens."""
    # the Chinese full stop goes inside the marks when the English one does (as d2l-zh writes it)
    stop_inside = j > i and old[j - 1].text in ".:;!?"
    rest = old[j:]
    if i == 0 and (not rest or (len(rest) == 1 and rest[0].text in ".:;!?")):
        if _MARK.search(chinese):
            return None  # other marks inside: which Chinese they span is not ours to decide
        core = _core(chinese, stop_inside)
        return opening + core + closing + chinese[len(core):], "the whole Chinese"
    en = _english_sentences(old)
    zh = _chinese_sentences(chinese)
    if len(en) != len(zh) or len(en) < 2:
        return None
    starts = [s for s, _ in en]
    ends = [e for _, e in en]
    if i not in starts or j not in ends:
        return None
    first, last = starts.index(i), ends.index(j)
    if not _shared_tokens_agree(old, en, chinese, zh, first, last):
        return None
    s, e = zh[first][0], zh[last][1]
    s += len(chinese[s:e]) - len(chinese[s:e].lstrip())  # the line break before a sentence stays outside
    core = _core(chinese[s:e], stop_inside)
    text = chinese[:s] + opening + core + closing + chinese[s + len(core):]
    where = f"sentence {first + 1}" if first == last else f"sentences {first + 1}-{last + 1}"
    return text, f"{where} of the Chinese (as many sentences as the English, shared tokens in place)"


def _core(chinese: str, stop_inside: bool) -> str:
    """The Chinese a mark spans: without the trailing blanks, and without the closing punctuation
    unless the English marks hold theirs."""
    body = chinese.rstrip()
    return body if stop_inside else body.rstrip(_ZH_TRAILING) or body


def _english_sentences(old: list[Token]) -> list[tuple[int, int]]:
    """Sentences as token ranges: a sentence ends at . ? ! before a capitalized word, a mark or the end."""
    out, start = [], 0
    for k, t in enumerate(old):
        if t.text in ".?!" and k + 1 < len(old):
            nxt = old[k + 1]
            if (nxt.cls == "word" and nxt.text[0].isupper()) or nxt.cls == "mark" and nxt.text in _OPENS:
                out.append((start, k + 1))
                start = k + 1
    if start < len(old):
        out.append((start, len(old)))
    return out


def _chinese_sentences(chinese: str) -> list[tuple[int, int]]:
    """Sentences as character ranges, each with its closing punctuation."""
    out, start = [], 0
    for m in _ZH_SENTENCE_END.finditer(chinese):
        out.append((start, m.end()))
        start = m.end()
    if chinese[start:].strip():
        out.append((start, len(chinese)))
    return out


def _shared_tokens_agree(old: list[Token], en: list[tuple[int, int]], chinese: str, zh: list[tuple[int, int]],
                         first: int, last: int) -> bool:
    """Every code span, math, reference, number and name of each English sentence is in the
    Chinese sentence of the same place, as often, and the sentences on both edges of the span hold one."""
    def shared(k: int) -> list[str]:
        s, e = en[k]
        return [t.text for t in old[s:e] if t.cls in ("code", "math", "ref", "url", "number")
                or (t.cls == "word" and _name_like(t.text, _starts_sentence(old, old.index(t))))]

    for k in range(len(en)):
        s, e = zh[k]
        for tok, n in Counter(shared(k)).items():
            if chinese[s:e].count(tok) != n:
                return False
    edges = {first, last} | ({first - 1} if first > 0 else set()) | ({last + 1} if last + 1 < len(en) else set())
    return all(shared(k) for k in edges)



# ---------------------------------------------------------------------------------------------
# Applying it to a sync's result


def settle(result: SyncResult, words: Words) -> Counter[str]:
    """Settle the units a sync has just made stale by a 1:1 edit, where the edit is mechanical;
    each unit's record names the kind of its edit (`UnitResult.edit`). Returns the settled kinds.

    A translation edited in settling is also kept as it was, with the English it was made for,
    as an obsolete entry: no translator's text is lost, and English that comes back finds it."""
    settled: Counter[str] = Counter()
    kept: list[Pair] = []
    for r in result.units:
        pair = r.pair
        if not r.head or r.how not in (Carried.EDITED, Carried.MOVED_EDITED) or not pair.stale or not pair.previous:
            continue
        if r.was_stale or pair.conflict:
            continue  # stale before this edit (an import's doubt, an earlier edit) or in conflict: a human's
        found = classify(pair.previous, pair.english, pair.chinese, words)
        r.edit = found.kind
        if found.chinese is not None:
            if found.chinese != pair.chinese:
                kept.append(Pair(english=pair.previous, chinese=pair.chinese, kind=pair.kind, origin=pair.origin))
            settle_pair(pair, found.kind, found.chinese, "; ".join(found.done))
            settled[found.kind] += 1
    keep_obsolete(result.catalog, kept)
    return settled

