"""Align an English file with a Chinese translation made without the workbench: pure functions.

Both files are segmented with the one parser (markdown.segment) and cut into passages: runs of
non-blank lines, a fenced code cell whole, as a reader sees paragraphs. The aligner then finds
beads, groups of consecutive English passages with the consecutive Chinese passages that
translate them (1:1, 1:2, 2:1, n:m, and 1:0 / 0:1 for a passage with no counterpart), by dynamic
programming over a cost that adds up

- structural anchors both languages share verbatim: code cells (equal once comments and
  docstrings are ignored), :label:/:eqlabel: names, display math, image paths, URLs, numbers,
  inline code and math, :numref:/:cite: targets, the framework tab, heading levels;
- Latin words the Chinese keeps, as in d2l's habit 中文（English） or names like AlexNet;
- glossary terms, as a bilingual dictionary (English term in one passage, its Chinese in the other);
- a Gale–Church model of the length of Chinese prose given the length of the English.

Passages that are certain (a code cell, label or image found once on each side) steer a band
around the path the dynamic programming may take, so it stays small and fast; a forward and a
backward pass give each bead its margin over the best alignment that decides otherwise around
it, which with the evidence makes the bead's confidence.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Protocol

from rapidfuzz.distance import Indel

from .markdown import segment
from .model import Block, Document, Unit, in_code, is_chinese, is_cjk

# --- the length model -------------------------------------------------------------------------
# Chinese prose characters per English prose character (Gale & Church's c): 0.316 over the
# whole 143 d2l pairs, 0.317 over the prose passages paired 1:1 (tests/bench/bench_align.py
# prints it). The variance per English character (their s²) and the terms below are set so that
# the paired prose deviates as the model says (median deviation 0.64 standard deviations, 2.2%
# beyond three): no hand alignment was used.
LENGTH_RATIO = 0.317
LENGTH_VARIANCE = 0.11
# ... and the spread of the ratio itself, which grows with length faster than Gale & Church's
# model: a long paragraph gains or loses whole sentences in translation.
LENGTH_SPREAD = 0.033
# ... and a floor under the variance, for a line of a few words. (A higher floor helps lines
# between formulas, "For all" / "对于所有…都有", but lets short Chinese-only remarks join their
# neighbours: on the d2l pairs it did more harm than good.)
LENGTH_FLOOR = 4.0
# A share of paragraphs is rewritten rather than translated; their lengths follow a normal
# law this many times broader.
LENGTH_REWRITTEN = 0.05
LENGTH_TAIL = 5.0

# Most a bead pays for anchors found on one side only.
ONE_SIDED_MOST = 3.0
# What a bead pays for prose or code of one framework paired with another framework's.
TAB_CONFLICT = 6.0
# What a merged bead pays for each figure or label on one side only.
_STRUCTURAL_MISSING = 4.0

# Bead shapes (English passages, Chinese passages) the dynamic programming tries, with the
# cost of the shape itself (minus log of how often translators do it, after Gale & Church).
SHAPES: dict[tuple[int, int], float] = {
    (1, 1): 0.0,
    (1, 0): 4.0,
    (0, 1): 4.0,
    (2, 1): 2.6,
    (1, 2): 2.6,
    (2, 2): 4.5,
    (3, 1): 4.2,
    (1, 3): 4.2,
}

# One English passage translated as a run of Chinese passages (an exercise list whose items the
# Chinese separates by blank lines), or the reverse: each passage beyond three costs as much
# more as the third did.
LONGEST_RUN = 16
for _k in range(4, LONGEST_RUN + 1):
    SHAPES[(1, _k)] = SHAPES[(_k, 1)] = SHAPES[(1, 3)] + (SHAPES[(1, 3)] - SHAPES[(1, 2)]) * (_k - 3)
# Passages a long run may hold: prose and what sits in prose, not code cells or headings.
_RUN_KINDS = frozenset({"text", "math", "directive", "image"})

#: A bead whose confidence is below this is worth a reviewer's look (about 1 bead in 100 of the
#: d2l pairs; a bead with nothing but agreeing lengths in its favour scores just under 0.5).
REVIEW_BELOW = 0.4

_FENCE = re.compile(r"[ \t]*(```+|~~~+)")
# How much a shared anchor of each kind proves (before its rarity in the file is counted).
_ANCHOR_WEIGHT = {
    "label": 4.0, "img": 4.0, "url": 3.0, "ref": 3.5, "tab": 1.5, "tab_end": 1.5, "code": 1.2, "math": 1.2, "num": 0.8,
}
# Anchors every d2l file has (framework tabs): they help place beads, they prove little.
_GENERIC = ("tab:", "tab_end:")
_LABEL = re.compile(r":(label|eqlabel):`([^`\n]*)`")
_REF = re.compile(r":(?:numref|eqref|ref|cite|citet|citep):`([^`\n]*)`")
_TAB = re.compile(r":begin_tab:`([^`\n]*)`|^#@tab\s+(.*)$", re.M)
_URL = re.compile(r"\]\(([^)\s]+)\)|(https?://[^\s)>\]]+)")
_DOCSTRING = re.compile(r"^[ \t]*[rbuRBU]*(\"\"\"|''').*?\1[ \t]*(#[^\n]*)?$", re.M | re.S)
_IMPORT = re.compile(r"(import|from\S+import|npx\.set_np\(\))")
_ROLE = re.compile(r":\w+:`[^`\n]*`")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_INLINE_MATH = re.compile(r"\$([^$\n]+)\$")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")
_HEADING_MARK = re.compile(r"[ \t]*(#{1,6})[ \t]")
# English words too common to show that a Chinese text keeps the English of a passage (a Chinese
# file may leave whole sentences in English).
_STOPWORDS = frozenset(
    "a an the and or but if then than so as at by for from in into of on onto to with without is are was were be "
    "been being it its this that these those we you they he she our your their there here which who what when "
    "where how why not no can could will would should may might must do does did done has have had all any each "
    "more most some such only also very just one two after before about over under up down out".split()
)
# Markup words that say nothing about content (inside :directives:, links and emphasis).
_MARKUP_WORDS = frozenset("begin_tab end_tab label eqlabel numref eqref cite width height http https www".split())


@dataclass(slots=True)
class Passage:
    """A run of non-blank lines (a fenced code cell whole): the unit of alignment."""

    index: int
    """Position among the passages of the file."""
    start: int
    """1-based first line."""
    end: int
    """1-based last line (inclusive)."""
    kind: str
    """heading, code, math, image, directive, or text (paragraphs, lists, tables, tabs)."""
    blocks: list[Block]
    """The segmenter's blocks inside the passage."""
    level: int = 0
    """For a heading: the number of #."""
    code: str = ""
    """For a code cell: its code without comments, docstrings and #@ marks, whitespace folded."""
    substance: int = 0
    """For a code cell: characters of its code that are not imports (boilerplate every file has)."""
    math: str = ""
    """Display math, whitespace removed."""
    prose: float = 0.0
    """Length of the translatable prose in characters (inline code, math and links left out)."""
    anchors: Counter[str] = field(default_factory=Counter)
    """Tokens both languages write the same way: label:x, ref:x, url:x, img:x, code:x, num:x, ..."""
    words: frozenset[str] = frozenset()
    """Lower-cased Latin words of the prose."""
    terms: frozenset[int] = frozenset()
    """Glossary entries (index into the dictionary) the passage uses."""

    @property
    def units(self) -> list[Unit]:
        """Translatable units of the passage, in order."""
        return [u for b in self.blocks for u in b.translatable]


@dataclass(slots=True)
class Bead:
    """Consecutive English passages and the consecutive Chinese passages that translate them."""

    en: list[int]
    """Indices of the English passages (empty for a Chinese passage with no English)."""
    zh: list[int]
    """Indices of the Chinese passages (empty for English with no Chinese)."""
    score: float
    """Confidence from 0 (a guess) to 1 (certain)."""
    support: float = 0.0
    """Evidence beyond length that the two sides say the same thing (shared anchors, words, terms)."""


@dataclass(slots=True)
class Alignment:
    """The result of aligning two files."""

    en: list[Passage]
    zh: list[Passage]
    beads: list[Bead]
    warnings: list[str] = field(default_factory=list)
    """Whole-file doubts, e.g. the Chinese seems to translate another chapter."""

    def as_json(self) -> dict[str, list[dict[str, object]]]:
        """The shape external scorers read: 1-based inclusive line spans into both files."""
        return {
            "beads": [
                {
                    "en_lines": [[self.en[i].start, self.en[i].end] for i in b.en],
                    "zh_lines": [[self.zh[j].start, self.zh[j].end] for j in b.zh],
                    "score": round(b.score, 3),
                }
                for b in self.beads
            ]
        }

    @property
    def confidence(self) -> float:
        """Mean bead confidence, weighted by the passages each bead covers."""
        total = sum(len(b.en) + len(b.zh) for b in self.beads)
        if not total:
            return 1.0
        return sum(b.score * (len(b.en) + len(b.zh)) for b in self.beads) / total


# --- the dictionary -----------------------------------------------------------------------------


@dataclass(slots=True)
class Dictionary:
    """English/Chinese term pairs (the book's glossary, d2l's TERMINOLOGY.md) used as evidence."""

    entries: list[tuple[str, str]] = field(default_factory=list)

    def add(self, english: str, chinese: str) -> None:
        english, chinese = english.strip().lower(), chinese.strip()
        # one-letter or very short terms match everywhere: no evidence
        if len(english) >= 3 and len(chinese) >= 2 and any(is_cjk(c) for c in chinese):
            self.entries.append((english, chinese))

    def add_terms(self, terms: Iterable[_Term]) -> Dictionary:
        """Add glossary terms as workbench.glossary reads them; rejected and forbidden ones are no evidence."""
        for t in terms:
            if t.status not in ("rejected", "forbidden"):
                self.add(t.english, t.chinese)
        return self


class _Term(Protocol):
    english: str
    chinese: str
    status: str


# --- passages -----------------------------------------------------------------------------------


def passages(doc: Document, dictionary: Dictionary | None = None, chinese: bool = False) -> list[Passage]:
    """Cut a segmented file into passages and note what each one holds."""
    blocks = doc.blocks()
    lines = re.split(r"\r\n|\r|\n", doc.text)
    if lines and lines[-1] == "":
        lines.pop()
    fences: dict[int, int] = {}  # first line -> last line of fenced code cells
    for b in blocks:
        if b.kind in ("code", "toc", "eval_rst") and _FENCE.match(b.units[0].source):
            fences[b.start] = b.end
    spans: list[tuple[int, int]] = []
    n = len(lines)
    i = 1
    while i <= n:
        if not lines[i - 1].strip():
            i += 1
            continue
        start = i
        if i in fences:
            i = fences[i] + 1
            while i <= n and lines[i - 1].strip() and i not in fences:
                i += 1
        else:
            while i <= n and lines[i - 1].strip() and not (i > start and i in fences):
                i += 1
        spans.append((start, i - 1))
    starts = [b.start for b in blocks]
    out: list[Passage] = []
    for k, (s, e) in enumerate(spans):
        inside = blocks[bisect_left(starts, s) : bisect_left(starts, e + 1)]
        out.append(_describe(Passage(k, s, e, "text", inside), "\n".join(lines[s - 1 : e]), chinese))
    if dictionary and dictionary.entries:
        _find_terms(out, dictionary, chinese)
    return out


def _describe(p: Passage, text: str, chinese: bool) -> Passage:
    """Fill in what the aligner compares: kind, stripped code, math, anchors, words, prose length."""
    kinds = [b.kind for b in p.blocks]
    first = kinds[0] if kinds else "markup"
    if first in ("code", "toc", "eval_rst") and _FENCE.match(text):
        p.kind = "code"
        body = p.blocks[0]
        shared = "".join(u.source for u in body.units if not u.translatable)
        # what the segmenter took out of a docstring leaves its quotes: they go too
        shared = _DOCSTRING.sub("", "\n".join(shared.splitlines()[1:-1]))
        kept = []
        for line in shared.splitlines():
            line = line.strip()
            if line.startswith("#"):
                line = line.lstrip("#").strip() if not line.startswith("#@") else ""
                # what is left of a comment line whose prose was taken out
                if not line or not re.search(r"\w", line):
                    continue
            line = re.sub(r"\s+#\s*$", "", line)
            if line:
                kept.append(re.sub(r"\s+", "", line))
        p.code = "\n".join(kept)
        p.substance = sum(len(line) for line in kept if not _IMPORT.match(line))
    elif first == "heading":
        p.kind = "heading"
        m = _HEADING_MARK.match(text)
        p.level = len(m.group(1)) if m else 1
    elif kinds and all(k in ("math", "directive") for k in kinds) and "math" in kinds:
        p.kind = "math"
    elif first == "image":
        p.kind = "image"
    elif ":begin_tab:" in text:
        p.kind = "tab"  # prose for some frameworks only: pairs with the same tab, never merges
    elif kinds and all(k == "directive" for k in kinds):
        p.kind = "directive"
    for b in p.blocks:
        if b.kind == "math":
            p.math += re.sub(r"\s+", "", b.source.replace("$$", ""))
    a = p.anchors
    for kind, name in _LABEL.findall(text):
        a[f"label:{name.strip()}"] += 1
    for tab, mark in _TAB.findall(text):
        a[f"tab:{re.sub(r'[ ]', '', tab or mark)}"] += 1
    if ":end_tab:" in text:
        a["tab_end:"] += text.count(":end_tab:")  # a lone :end_tab: line belongs with its tab
    if p.kind != "code":
        for target in _REF.findall(text):
            for t in target.split(","):
                a[f"ref:{t.strip()}"] += 1
        for m in _URL.finditer(text):
            url = m.group(1) or m.group(2)
            a[("img:" if "![" in text[max(0, m.start() - 200) : m.start()] and url.endswith(_IMAGES) else "url:") + url] += 1
        prose_text = _ROLE.sub(" ", " ".join(u.source for u in p.units))
        for code in _INLINE_CODE.findall(prose_text):
            a[f"code:{code.strip()}"] += 1
        for m in _INLINE_MATH.findall(prose_text):
            a["math:" + re.sub(r"\s+", "", m)] += 1
        bare = _INLINE_CODE.sub(" ", _INLINE_MATH.sub(" ", prose_text))
        bare = re.sub(r"\]\([^)]*\)|https?://\S+|:\w+:`[^`]*`", " ", bare)
        for num in _NUMBER.findall(bare):
            a[f"num:{num}"] += 1
        p.words = frozenset(w.lower() for w in _LATIN_WORD.findall(bare) if len(w) > 1) - _MARKUP_WORDS - _STOPWORDS
        if chinese:
            # Latin words a Chinese text keeps (AlexNet, 中文（English）) stand for as much
            # Chinese as the same English would
            p.prose = sum(1 for c in bare if is_chinese(c)) + LENGTH_RATIO * sum(
                len(w) for w in _LATIN_WORD.findall(bare)
            )
        else:
            p.prose = sum(len(w) for w in _LATIN_WORD.findall(bare))
    return p


_IMAGES = (".svg", ".png", ".jpg", ".jpeg", ".gif")


def _find_terms(ps: list[Passage], d: Dictionary, chinese: bool) -> None:
    for p in ps:
        if p.kind == "code":
            continue
        text = " ".join(u.source for u in p.units)
        if chinese:
            p.terms = frozenset(i for i, (_, zh) in enumerate(d.entries) if zh in text)
        else:
            low = " " + " ".join(_LATIN_WORD.findall(text)).lower() + " "
            p.terms = frozenset(i for i, (en, _) in enumerate(d.entries) if f" {en}" in low)


# --- costs -------------------------------------------------------------------------------------


class _Scorer:
    """Bead costs for one file pair; rarity of each anchor is counted per file."""

    def __init__(self, en: list[Passage], zh: list[Passage]) -> None:
        self.en, self.zh = en, zh
        # rarity per side: an anchor found once in each file is as telling as an anchor can be
        df_en: Counter[str] = Counter()
        for p in en:
            df_en.update(set(p.anchors))
        df_zh: Counter[str] = Counter()
        for p in zh:
            df_zh.update(set(p.anchors))
        self.df = df_en | df_zh
        wdf: Counter[str] = Counter()
        for p in en:
            wdf.update(p.words)
        self.wdf = wdf
        tdf: Counter[int] = Counter()
        for p in en:
            tdf.update(p.terms)
        self.tdf = tdf
        self.weights: dict[str, float] = {}
        self.totals: dict[int, float] = {}  # id(passage) -> total weight of its anchors
        self.cache: dict[tuple[int, int, int, int], tuple[float, float]] = {}

    def skip(self, p: Passage) -> float:
        """Cost of leaving a passage without counterpart."""
        return SHAPES[(1, 0)]

    def cost(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Cost of the bead en[i0:i1] with zh[j0:j1] (both non-empty)."""
        return self.parts(i0, i1, j0, j1)[0]

    def support(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Positive evidence that en[i0:i1] and zh[j0:j1] say the same thing (0: length only)."""
        return self.parts(i0, i1, j0, j1)[1]

    def parts(self, i0: int, i1: int, j0: int, j1: int) -> tuple[float, float]:
        key = (i0, i1, j0, j1)
        c = self.cache.get(key)
        if c is None:
            cost, support = self._cost(self.en[i0:i1], self.zh[j0:j1])
            c = (cost + SHAPES[(i1 - i0, j1 - j0)], support)
            self.cache[key] = c
        return c

    def _cost(self, es: list[Passage], zs: list[Passage]) -> tuple[float, float]:
        ekinds = [p.kind for p in es]
        zkinds = [p.kind for p in zs]
        if "code" in ekinds or "code" in zkinds:
            # a code cell pairs with one code cell; a lone directive line (an :end_tab: the
            # other side writes right after the fence) may come along
            if ekinds.count("code") != 1 or zkinds.count("code") != 1:
                return math.inf, 0.0
            if any(k not in ("code", "directive") for k in ekinds + zkinds):
                return math.inf, 0.0
            ec = next(p for p in es if p.kind == "code")
            zc = next(p for p in zs if p.kind == "code")
            cost, support = self._code(ec, zc)
            if len(es) > 1 or len(zs) > 1:
                c, s = self._anchors(es, zs, only=("tab_end:", "label:"))
                cost, support = cost + c, support + s
            return cost, support
        # prose for some frameworks only (a tab) does not merge with prose for all
        for kinds in (ekinds, zkinds):
            if len(kinds) > 1 and "tab" in kinds and any(k in ("text", "math", "image") for k in kinds):
                return math.inf, 0.0
        cost = support = 0.0
        # a heading pairs with a heading of the same level
        eh = [p.level for p in es if p.kind == "heading"]
        zh = [p.level for p in zs if p.kind == "heading"]
        if len(eh) != len(zh):
            # a heading against prose happens (a translator's bold line); a heading taken into a
            # merge with nothing to match it on the other side is another section
            cost += (3.0 if len(es) == len(zs) == 1 else 8.0) * abs(len(eh) - len(zh))
        elif eh != zh:
            cost += 1.0
        if ("image" in ekinds) != ("image" in zkinds) and len(es) == len(zs) == 1:
            cost += 3.0  # a figure pairs with a figure
        cost += TAB_CONFLICT * _tab_conflict(es, zs)
        if ("math" in ekinds) != ("math" in zkinds):
            cost += 2.0
        em = "".join(p.math for p in es)
        zm = "".join(p.math for p in zs)
        if em and zm:
            sim = Indel.normalized_similarity(em, zm)
            cost -= 4.0 * (sim - 0.5)
            support += max(0.0, 6.0 * (sim - 0.5))
        for c, s in (self._anchors(es, zs), self._words(es, zs)):
            cost += c
            support += s
        if len(es) > 1 or len(zs) > 1:
            # a figure or labelled block taken into a merge must be on both sides: one the
            # other side lacks is a passage of its own
            cost += _STRUCTURAL_MISSING * _one_sided(es, zs, ("img:", "label:"))
        cost += self._length(sum(p.prose for p in es), sum(p.prose for p in zs))
        return cost, support

    def _code(self, e: Passage, z: Passage) -> tuple[float, float]:
        if not e.code and not z.code:
            return 0.0, 0.0
        if e.code == z.code:
            sim = 1.0
        else:
            sim = Indel.normalized_similarity(e.code, z.code)
        tab, _ = self._anchors([e], [z], only="tab:")
        tab += TAB_CONFLICT * _tab_conflict([e], [z])
        # a one-line cell like `net` proves less than a whole function, and imports prove nothing
        size = min(e.substance, z.substance, 60)
        support = size / 60 * max(0.0, 10.0 * (sim - 0.6))
        return 10.0 * (0.7 - sim) + tab, support

    def _weight(self, token: str) -> float:
        w = self.weights.get(token)
        if w is None:
            kind = token.split(":", 1)[0]
            w = _ANCHOR_WEIGHT.get(kind, 1.0) / math.sqrt(self.df[token] or 1)
            self.weights[token] = w
        return w

    def _bag(self, ps: list[Passage]) -> tuple[Mapping[str, int], float]:
        """The anchors of consecutive passages, and their total weight."""
        total = 0.0
        for p in ps:
            w = self.totals.get(id(p))
            if w is None:
                w = self.totals[id(p)] = sum(self._weight(t) * k for t, k in p.anchors.items())
            total += w
        if len(ps) == 1:
            return ps[0].anchors, total
        merged: dict[str, int] = {}
        for p in ps:
            for t, k in p.anchors.items():
                merged[t] = merged.get(t, 0) + k
        return merged, total

    def _anchors(self, es: list[Passage], zs: list[Passage], only: str | tuple[str, ...] = "") -> tuple[float, float]:
        """Shared anchors are support; an anchor on one side only costs a third of its weight."""
        a: Mapping[str, int]
        b: Mapping[str, int]
        if only:
            a = {t: k for p in es for t, k in p.anchors.items() if t.startswith(only)}
            b = {t: k for p in zs for t, k in p.anchors.items() if t.startswith(only)}
            wa = sum(self._weight(t) * k for t, k in a.items())
            wb = sum(self._weight(t) * k for t, k in b.items())
        else:
            a, wa = self._bag(es)
            b, wb = self._bag(zs)
        if not a and not b:
            return 0.0, 0.0
        if len(b) < len(a):
            a, b = b, a
        support = generic = 0.0
        for t, k in a.items():
            other = b.get(t)
            if other:
                w = self._weight(t) * min(k, other)
                support += w
                if t.startswith(_GENERIC):
                    generic += w
        # anchors on one side only: a loose translation drops a few references, so the cost
        # of missing ones is bounded
        cost = min(0.35 * (wa + wb - 2 * support), ONE_SIDED_MOST)
        # a framework tab is structure every file has: it places a bead, it does not prove it
        return cost - support, support - generic

    def _words(self, es: list[Passage], zs: list[Passage]) -> tuple[float, float]:
        ew: set[str] = set()
        for p in es:
            ew |= p.words
        cost = support = 0.0
        for p in zs:
            for w in p.words:
                if w in ew:
                    support += 1.0 / math.sqrt(self.wdf[w] or 1)
                else:
                    cost += 0.3
        et: set[int] = set()
        for p in es:
            et |= p.terms
        for p in zs:
            for t in p.terms:
                if t in et:
                    support += 0.8 / math.sqrt(self.tdf[t] or 1)
        return cost - support, support

    @staticmethod
    def _length(le: float, lz: float) -> float:
        """Gale–Church: minus log probability of a Chinese length this far from the expected one."""
        if le == 0 and lz == 0:
            return 0.0
        return _length_cost(le, lz) - 1.0


# --- the dynamic programming ----------------------------------------------------------------


def _tab_conflict(es: list[Passage], zs: list[Passage]) -> bool:
    """True when both sides name framework tabs and no framework is on both (`all` fits any)."""
    def frameworks(ps: list[Passage]) -> set[str]:
        return {f.strip() for p in ps for t in p.anchors if t.startswith("tab:") for f in t[4:].split(",")}
    a, b = frameworks(es), frameworks(zs)
    return bool(a and b and "all" not in a and "all" not in b and not a & b)


def _one_sided(es: list[Passage], zs: list[Passage], kinds: tuple[str, ...]) -> int:
    """How many anchors of these kinds one side has and the other lacks."""
    a = Counter(t for p in es for t in p.anchors if t.startswith(kinds))
    b = Counter(t for p in zs for t in p.anchors if t.startswith(kinds))
    return sum(((a - b) + (b - a)).values())


def _length_cost(le: float, lz: float) -> float:
    """Minus log probability of Chinese prose of length lz for English prose of length le:
    Gale & Church's normal model, with a broad tail for the paragraphs translators rewrite
    (condense to one line, or expand with remarks of their own)."""
    delta = abs(lz - le * LENGTH_RATIO) / _length_sd(le)
    p = (1 - LENGTH_REWRITTEN) * math.erfc(delta / math.sqrt(2)) + LENGTH_REWRITTEN * math.erfc(
        delta / (LENGTH_TAIL * math.sqrt(2)))
    return -math.log(max(p, 1e-12))


def _length_sd(le: float) -> float:
    """Standard deviation of the Chinese length of English prose of length le."""
    return math.sqrt(max(le, 1.0) * LENGTH_VARIANCE + (LENGTH_SPREAD * le) ** 2 + LENGTH_FLOOR)


def _certain(en: list[Passage], zh: list[Passage]) -> list[tuple[int, int]]:
    """Passage pairs that cannot be wrong: a code cell, label or image path found once on each
    side (and only there), kept in an order both files agree on."""
    keys_en: dict[str, list[int]] = {}
    keys_zh: dict[str, list[int]] = {}
    for side, keys in ((en, keys_en), (zh, keys_zh)):
        for p in side:
            if p.kind == "directive":
                continue  # a label line alone may still join the heading before it
            found = []
            if p.kind == "code" and len(p.code) >= 20:
                found.append("code:" + p.code)
            found += [t for t in p.anchors if t.startswith(("label:", "img:"))]
            for t in found:
                keys.setdefault(t, []).append(p.index)
    pairs = sorted(
        {(keys_en[t][0], keys_zh[t][0]) for t in keys_en if len(keys_en[t]) == 1 and len(keys_zh.get(t, ())) == 1}
    )
    # a passage in two certain pairs with different partners: trust neither
    ce = Counter(i for i, _ in pairs)
    cz = Counter(j for _, j in pairs)
    pairs = [(i, j) for i, j in pairs if ce[i] == 1 and cz[j] == 1]
    return _increasing(pairs)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of pairs increasing on both sides (pairs sorted by the first)."""
    if not pairs:
        return []
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[pos] = j
            tail_at[pos] = k
        back[k] = tail_at[pos - 1] if pos else -1
    out = []
    k = tail_at[-1]
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def _dp(sc: _Scorer, bounds: list[tuple[int, int]]) -> list[tuple[int, int, int, int, float]]:
    """Cheapest beads covering both files, each with its margin: (a, b, c, d, margin) for the
    bead en[a:b] / zh[c:d]. Only cells (i, j) with bounds[i][0] <= j <= bounds[i][1] are tried.

    The margin is how much more the best alignment that decides differently around the bead
    costs (computed from the cheapest paths into and out of every cell: forward and backward
    passes of the same dynamic programming).
    """
    i0 = j0 = 0
    n, m = i1, j1 = len(sc.en), len(sc.zh)
    INF = math.inf
    small = [shape for shape in SHAPES if max(shape) <= 3]
    # how many passages a long run ending before / starting at each position may take
    en_back = _runs([p.kind for p in sc.en[i0:i1]], backward=True)
    zh_back = _runs([p.kind for p in sc.zh[j0:j1]], backward=True)
    en_fwd = _runs([p.kind for p in sc.en[i0:i1]], backward=False)
    zh_fwd = _runs([p.kind for p in sc.zh[j0:j1]], backward=False)

    en_prose = [p.prose for p in sc.en[i0:i1]]
    zh_prose = [p.prose for p in sc.zh[j0:j1]]

    def run(one: float, many: list[float], start: int, step: int, most: int, chinese_many: bool) -> int:
        """How long a run of `many` (from `start`, going by `step`) one passage of prose
        length `one` may take before the lengths cannot match any more (two broad
        deviations: see _length_cost)."""
        total = 0.0
        k = 0
        while k < most:
            total += many[start + step * k]
            if k >= 3:
                le, lz = (one, total) if chinese_many else (total, one)
                if lz - le * LENGTH_RATIO > 2 * LENGTH_TAIL * _length_sd(le):
                    break
            k += 1
        return k

    def shapes_into(i: int, j: int) -> list[tuple[int, int]]:
        """Bead shapes that may end at cell (i, j)."""
        out = small
        if zh_back[j] > 3 and i:
            k = run(en_prose[i - 1], zh_prose, j - 1, -1, min(zh_back[j], LONGEST_RUN), True)
            out = out + [(1, x) for x in range(4, k + 1)]
        if en_back[i] > 3 and j:
            k = run(zh_prose[j - 1], en_prose, i - 1, -1, min(en_back[i], LONGEST_RUN), False)
            out = out + [(x, 1) for x in range(4, k + 1)]
        return out

    def shapes_from(i: int, j: int) -> list[tuple[int, int]]:
        """Bead shapes that may start at cell (i, j)."""
        out = small
        if zh_fwd[j] > 3 and i < n:
            k = run(en_prose[i], zh_prose, j, 1, min(zh_fwd[j], LONGEST_RUN), True)
            out = out + [(1, x) for x in range(4, k + 1)]
        if en_fwd[i] > 3 and j < m:
            k = run(zh_prose[j], en_prose, i, 1, min(en_fwd[i], LONGEST_RUN), False)
            out = out + [(x, 1) for x in range(4, k + 1)]
        return out

    def step(i: int, j: int, a: int, b: int) -> float:
        """Cost of the bead that ends at cell (i, j) with shape (a, b)."""
        if a == 0:
            return sc.skip(sc.zh[j0 + j - 1])
        if b == 0:
            return sc.skip(sc.en[i0 + i - 1])
        return sc.cost(i0 + i - a, i0 + i, j0 + j - b, j0 + j)

    fwd = [[INF] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    fwd[0][0] = 0.0
    for i in range(n + 1):
        lo, hi = bounds[i]
        row = fwd[i]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, arg = INF, (1, 0) if i else (0, 1)
            for a, b in shapes_into(i, j):
                if a > i or b > j:
                    continue
                prev = fwd[i - a][j - b]
                if prev == INF:
                    continue
                c = prev + step(i, j, a, b)
                if c < best:
                    best, arg = c, (a, b)
            row[j] = best
            back[i][j] = arg
    bwd = [[INF] * (m + 1) for _ in range(n + 1)]
    bwd[n][m] = 0.0
    for i in range(n, -1, -1):
        lo, hi = bounds[i]
        row = bwd[i]
        for j in range(hi, lo - 1, -1):
            if i == n and j == m:
                continue
            best = INF
            for a, b in shapes_from(i, j):
                if i + a > n or j + b > m:
                    continue
                nxt = bwd[i + a][j + b]
                if nxt == INF:
                    continue
                c = nxt + step(i + a, j + b, a, b)
                if c < best:
                    best = c
            row[j] = best
    path = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]
        path.append((i - a, j - b, i, j))
        i, j = i - a, j - b
    path.reverse()
    total = fwd[n][m]
    on_path = {(p, q) for p, q, _, _ in path} | {(n, m)}
    # the cheapest alignment through a cell off the path, per row and per column
    row_best = [INF] * (n + 1)
    col_best = [INF] * (m + 1)
    for i in range(n + 1):
        lo, hi = bounds[i]
        for j in range(lo, hi + 1):
            if (i, j) in on_path:
                continue
            t = fwd[i][j] + bwd[i][j]
            if t < row_best[i]:
                row_best[i] = t
            if t < col_best[j]:
                col_best[j] = t
    out = []
    for p, q, p2, q2 in path:
        rival = min(min(row_best[p : p2 + 1]), min(col_best[q : q2 + 1]))
        out.append((i0 + p, i0 + p2, j0 + q, j0 + q2, rival - total))
    return out


def _runs(kinds: list[str], backward: bool) -> list[int]:
    """For each boundary 0..len(kinds): how many passages of _RUN_KINDS run up to it (backward)
    or start at it (forward)."""
    n = len(kinds)
    out = [0] * (n + 1)
    if backward:
        for k in range(1, n + 1):
            out[k] = out[k - 1] + 1 if kinds[k - 1] in _RUN_KINDS else 0
    else:
        for k in range(n - 1, -1, -1):
            out[k] = out[k + 1] + 1 if kinds[k] in _RUN_KINDS else 0
    return out


def _band(n: int, m: int, anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each English boundary 0..n, the Chinese boundaries the alignment may pass through:
    a band around the line through the certain pairs, wide enough for large omissions between
    them and for a certain pair to take a neighbouring label or :end_tab: line into its bead."""
    points = [(0, 0)]
    for i, j in anchors:
        points += [(i, j), (i + 1, j + 1)]
    points.append((n, m))
    lo = [m] * (n + 1)
    hi = [0] * (n + 1)
    for (p0, q0), (p1, q1) in zip(points, points[1:]):
        dn, dm = p1 - p0, q1 - q0
        w = max(3, abs(dn - dm) + 3, (max(dn, dm) * 3) // 10)
        for i in range(p0, p1 + 1):
            centre = q0 + (i - p0) * dm / dn if dn else q0
            a = max(0, math.floor(centre) - w if dn else q0 - w)
            b = min(m, math.ceil(centre) + w if dn else q1 + w)
            lo[i] = min(lo[i], a)
            hi[i] = max(hi[i], b)
    return list(zip(lo, hi))


def align_passages(en: list[Passage], zh: list[Passage]) -> list[Bead]:
    """Beads over two lists of passages: dynamic programming in a band set by the certain pairs."""
    sc = _Scorer(en, zh)
    raw = _dp(sc, _band(len(en), len(zh), _certain(en, zh)))
    beads = []
    for a, b, c, d, margin in raw:
        support = sc.support(a, b, c, d) if a < b and c < d else 0.0
        # headings of the same level where the outline agrees: a sign for the reviewer, though
        # too common to tell a translation from another chapter
        outline = 1.0 if a < b and c < d and _same_outline(en[a:b], zh[c:d]) else 0.0
        beads.append(Bead(list(range(a, b)), list(range(c, d)),
                          _confidence(margin, a < b and c < d, support + outline), support))
    return beads


def _same_outline(es: list[Passage], zs: list[Passage]) -> bool:
    eh = [p.level for p in es if p.kind == "heading"]
    return bool(eh) and eh == [p.level for p in zs if p.kind == "heading"]


def _confidence(margin: float, paired: bool, support: float) -> float:
    """How sure a bead is, from 0 to 1.

    The margin says how much worse the best alignment deciding otherwise around the bead is;
    for a paired bead, lengths that agree are a weak sign and shared anchors, words and terms
    a strong one, so a bead with nothing but length in its favour stays below one half.
    """
    sure = 1.0 - math.exp(-max(margin, 0.0) / 2.0)
    if not paired:
        return sure
    return sure * (0.5 + 0.5 * (1.0 - math.exp(-support / 1.5)))


def align_documents(en_doc: Document, zh_doc: Document, dictionary: Dictionary | None = None) -> Alignment:
    """Align two segmented files."""
    en = passages(en_doc, dictionary, chinese=False)
    zh = passages(zh_doc, dictionary, chinese=True)
    beads = align_passages(en, zh)
    result = Alignment(en, zh, beads)
    result.warnings = _doubts(result)
    return result


def align_texts(en_text: str, zh_text: str, dictionary: Dictionary | None = None, en_name: str = "en.md",
                zh_name: str = "zh.md") -> Alignment:
    """Align two files given as text."""
    return align_documents(segment(en_text, en_name), segment(zh_text, zh_name), dictionary)


#: Below this share of passages paired with real evidence, the Chinese is not a translation of
#: the English. Measured on d2l: 150 randomly mismatched file pairs score 0.00-0.13 (one 0.22);
#: the 143 real pairs score 0.30-0.90, except files whose two editions are partly different
#: documents (README, STYLE_GUIDE, d2l.md: 0.15-0.18; INFO.md 0.02).
SUPPORTED_SHARE = 0.14
#: The confidence a bead may have, at most, in a file that fails that test.
DOUBTFUL_FILE_SCORE = 0.2


def supported_share(r: Alignment) -> float:
    """Share of the passages that are paired with evidence beyond length (capped per bead)."""
    total = len(r.en) + len(r.zh)
    if not total:
        return 1.0
    got = sum(min(b.support, 2.0) / 2.0 * (len(b.en) + len(b.zh)) for b in r.beads if b.en and b.zh)
    return got / total


def _doubts(r: Alignment) -> list[str]:
    """Warnings about the whole alignment: a Chinese file of another chapter pairs badly.

    Such a file gets every bead's confidence lowered too, so nothing in it looks certain.
    """
    share = supported_share(r)
    if len(r.en) + len(r.zh) < 6 or share >= SUPPORTED_SHARE:
        return []
    for b in r.beads:
        b.score = min(b.score, DOUBTFUL_FILE_SCORE)
    return [
        f"the Chinese does not seem to translate this English: only {share:.0%} of the passages pair "
        "with shared code, math, labels, names or terms; check that the files belong together"
    ]


def anchor_pairing(r: Alignment) -> dict[str, tuple[int, int]]:
    """For code cells, display math and :label: lines: (paired, with a counterpart).

    One has a counterpart when the other file has a passage with the same code (comments and
    docstrings aside), the same math or the same label; with k such passages on one side and l
    on the other, min(k, l) have one. It is paired when a bead holds it and one of them.
    """
    bead_of_en = {i: k for k, b in enumerate(r.beads) for i in b.en}
    bead_of_zh = {j: k for k, b in enumerate(r.beads) for j in b.zh}
    keyed: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
    for side, ps in ((0, r.en), (1, r.zh)):
        for p in ps:
            keys = [("code", p.code)] if p.kind == "code" and p.code else []
            keys += [("math", p.math)] if p.math else []
            keys += [("label", t) for t in p.anchors if t.startswith("label:")]
            for key in keys:
                keyed.setdefault(key, ([], []))[side].append(p.index)
    out = {"code": (0, 0), "math": (0, 0), "label": (0, 0)}
    for (kind, _), (es, zs) in keyed.items():
        if es and zs:
            linked = sum(1 for i in es if any(bead_of_zh[j] == bead_of_en[i] for j in zs))
            paired, have = out[kind]
            out[kind] = (paired + min(linked, len(zs), len(es)), have + min(len(es), len(zs)))
    return out


def low_confidence(r: Alignment, limit: int = 5) -> list[Bead]:
    """The beads a reviewer should look at first, least confident first."""
    return sorted(r.beads, key=lambda b: b.score)[:limit]


def gale_church(en: list[Passage], zh: list[Passage], en_text: str, zh_text: str) -> list[Bead]:
    """A plain Gale–Church aligner over the same passages, lengths only (the benchmark's baseline)."""
    el = _plain_lengths(en, en_text)
    zl = _plain_lengths(zh, zh_text)
    ratio = (sum(zl) / sum(el)) if sum(el) else 1.0
    priors = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
              (2, 2): 0.011}
    n, m = len(en), len(zh)
    INF = math.inf
    cost = [[INF] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for (a, b), pr in priors.items():
                if a > i or b > j or cost[i - a][j - b] == INF:
                    continue
                le = sum(el[i - a : i])
                lz = sum(zl[j - b : j])
                if a and b:
                    delta = (lz - le * ratio) / math.sqrt(max(le, 1) * 6.8 * ratio)
                    pd = max(math.erfc(abs(delta) / math.sqrt(2)), 1e-12)
                    c = -math.log(pr) - math.log(pd)
                else:
                    c = -math.log(pr)
                c += cost[i - a][j - b]
                if c < cost[i][j]:
                    cost[i][j] = c
                    back[i][j] = (a, b)
    out = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]
        out.append(Bead(list(range(i - a, i)), list(range(j - b, j)), 1.0))
        i, j = i - a, j - b
    return out[::-1]


def _plain_lengths(ps: list[Passage], text: str) -> list[int]:
    """Characters per passage, as Gale & Church count them."""
    lines = text.splitlines()
    return [len("\n".join(lines[p.start - 1 : p.end])) for p in ps]


def pairs_of_units(bead: Bead, en: list[Passage], zh: list[Passage]) -> list[tuple[list[Unit], list[Unit]]]:
    """Inside a bead, which English units the Chinese units translate: groups of consecutive units.

    Equal numbers of units of the same kinds pair one by one; otherwise code comments pair by
    their order and prose pairs as one group over all the bead's prose (an n:m bead).
    """
    eu = [u for i in bead.en for u in en[i].units]
    zu = [u for j in bead.zh for u in zh[j].units]
    if not eu or not zu:
        return [(eu, zu)] if eu or zu else []
    ecode = [en[i] for i in bead.en if en[i].kind == "code"]
    zcode = [zh[j] for j in bead.zh if zh[j].kind == "code"]
    if len(ecode) == 1 and len(zcode) == 1 and all(in_code(u.kind) for u in eu + zu):
        return _comments(ecode[0], zcode[0])
    if len(eu) == len(zu) and all(_kind_class(a) == _kind_class(b) for a, b in zip(eu, zu)):
        return [([a], [b]) for a, b in zip(eu, zu)]
    return _unit_dp(eu, zu)


def _comments(e: Passage, z: Passage) -> list[tuple[list[Unit], list[Unit]]]:
    """Comments and docstrings of two versions of one code cell, paired by the code they stand
    on: the comment lines before one code line translate the comment lines before the same code
    line, however the translator wrapped them."""
    eg, zg = _comment_groups(e), _comment_groups(z)
    out: list[tuple[list[Unit], list[Unit]]] = []
    matcher = SequenceMatcher(None, [k for k, _ in eg], [k for k, _ in zg], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [(eg[i1 + k][1], zg[j1 + k][1]) for k in range(i2 - i1)]
        elif op == "replace" and i2 - i1 == j2 - j1:
            # the code changed a little between the editions: still the same places
            out += [(eg[i1 + k][1], zg[j1 + k][1]) for k in range(i2 - i1)]
        else:
            out += [(units, []) for _, units in eg[i1:i2]]
            out += [([], units) for _, units in zg[j1:j2]]
    return out


def _comment_groups(p: Passage) -> list[tuple[str, list[Unit]]]:
    """The prose units of a code cell, grouped by the code line each stands on (a comment after
    code on its line stands on that line; one on lines of its own, on the next code line)."""
    block = p.blocks[0]
    text = block.source
    lines = text.split("\n")
    units = p.units
    prose_lines: set[int] = set()
    for u in units:
        prose_lines.update(range(u.start, u.end + 1))

    def code_at(n: int) -> str:
        """Line n (1-based, file numbering) of the cell without its comment, spaces removed."""
        line = lines[n - block.start] if 0 <= n - block.start < len(lines) else ""
        return re.sub(r"\s+", "", line.split("#", 1)[0])

    out: list[tuple[str, list[Unit]]] = []
    for u in units:
        key = code_at(u.start) if u.kind == "comment" else ""
        if not key or key.strip("\"'rbuRBU") == "":
            n = u.end + 1
            key = ""
            while n < block.start + len(lines):
                key = code_at(n)
                if key and n not in prose_lines and key.strip("\"'rbuRBU"):
                    break
                key = ""
                n += 1
        if out and out[-1][0] == key and out[-1][1][-1].kind == u.kind:
            out[-1][1].append(u)
        else:
            out.append((key, [u]))
    return out


def _kind_class(u: Unit) -> str:
    return {"list_item": "paragraph", "docstring": "comment"}.get(u.kind, u.kind)


def _unit_dp(eu: list[Unit], zu: list[Unit]) -> list[tuple[list[Unit], list[Unit]]]:
    """Groups of units by length and kind, for a bead whose units do not pair one by one.

    Prose (paragraphs, list items) and code comments may group n:m (a paragraph translated as
    a lead-in and a list); headings, table cells and alt texts pair 1:1 or stay alone.
    """
    n, m = len(eu), len(zu)
    most = 8
    INF = math.inf
    cost = [[INF] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    el = [_unit_length(u, False) for u in eu]
    zl = [_unit_length(u, True) for u in zu]
    ek = [_kind_class(u) for u in eu]
    zk = [_kind_class(u) for u in zu]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            best, arg = INF, (1, 0) if i else (0, 1)
            if i and cost[i - 1][j] + 4.0 < best:
                best, arg = cost[i - 1][j] + 4.0, (1, 0)
            if j and cost[i][j - 1] + 4.0 < best:
                best, arg = cost[i][j - 1] + 4.0, (0, 1)
            le = 0.0
            for a in range(1, min(i, most) + 1):
                le += el[i - a]
                if ek[i - a] != ek[i - 1]:
                    break
                lz = 0.0
                for b in range(1, min(j, most) + 1):
                    lz += zl[j - b]
                    if zk[j - b] != ek[i - 1]:
                        break
                    if (a > 1 or b > 1) and ek[i - 1] not in ("paragraph", "comment"):
                        break
                    prev = cost[i - a][j - b]
                    if prev == INF:
                        continue
                    c = prev + _length_cost(le, lz) + (a + b - 2) * 1.0
                    if c < best:
                        best, arg = c, (a, b)
            cost[i][j] = best
            back[i][j] = arg
    out = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]
        out.append((eu[i - a : i], zu[j - b : j]))
        i, j = i - a, j - b
    return out[::-1]


def _unit_length(u: Unit, chinese: bool) -> float:
    text = _INLINE_CODE.sub(" ", _INLINE_MATH.sub(" ", u.source))
    latin = sum(len(w) for w in _LATIN_WORD.findall(text))
    if not chinese:
        return float(latin)
    return sum(1 for c in text if is_chinese(c)) + LENGTH_RATIO * latin
