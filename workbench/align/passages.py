"""Passages: runs of non-blank lines (a fenced code cell whole), and what each holds for the aligner."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from ..model import CHINESE, Block, Document, Unit
from .dictionary import Dictionary
from .length import LENGTH_RATIO

_FENCE = re.compile(r"[ \t]*(```+|~~~+)")
_LABEL = re.compile(r":(label|eqlabel):`([^`\n]*)`")
_REF = re.compile(r":(?:numref|eqref|ref|cite|citet|citep):`([^`\n]*)`")
_TAB = re.compile(r":begin_tab:`([^`\n]*)`|^#@tab\s+(.*)$", re.M)
_URL = re.compile(r"\]\(([^)\s]+)\)|(https?://[^\s)>\]]+)")
_DOCSTRING = re.compile(r"^[ \t]*[rbuRBU]*(\"\"\"|''').*?\1[ \t]*(#[^\n]*)?$", re.M | re.S)
_IMPORT = re.compile(r"(import|from\S+import|npx\.set_np\(\))")
_ROLE = re.compile(r":\w+:`[^`\n]*`")
INLINE_CODE = re.compile(r"`([^`\n]+)`")
INLINE_MATH = re.compile(r"\$([^$\n]+)\$")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")
_SPACES = re.compile(r"\s+")
_LINKS = re.compile(r"\]\([^)]*\)|https?://\S+|:\w+:`[^`]*`")
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
    _note_kind(p, text)
    for b in p.blocks:
        if b.kind == "math":
            p.math += _SPACES.sub("", b.source.replace("$$", ""))
    _note_structure(p, text)
    if p.kind != "code":
        _note_prose(p, text, chinese)
    return p


def _note_kind(p: Passage, text: str) -> None:
    """The passage's kind; for a code cell, its code as both languages write it."""
    kinds = [b.kind for b in p.blocks]
    first = kinds[0] if kinds else "markup"
    if first in ("code", "toc", "eval_rst") and _FENCE.match(text):
        p.kind = "code"
        p.code = _shared_code(p.blocks[0])
        p.substance = sum(len(line) for line in p.code.split("\n") if not _IMPORT.match(line))
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


def _shared_code(body: Block) -> str:
    """A code cell without comments, docstrings and #@ marks, whitespace removed, a line a line."""
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
            kept.append(_SPACES.sub("", line))
    return "\n".join(kept)


def _note_structure(p: Passage, text: str) -> None:
    """Anchors every passage may hold, code cells too: labels and framework tabs."""
    a = p.anchors
    for _, name in _LABEL.findall(text):
        a[f"label:{name.strip()}"] += 1
    for tab, mark in _TAB.findall(text):
        a[f"tab:{re.sub(r'[ ]', '', tab or mark)}"] += 1
    if ":end_tab:" in text:
        a["tab_end:"] += text.count(":end_tab:")  # a lone :end_tab: line belongs with its tab


def _note_prose(p: Passage, text: str, chinese: bool) -> None:
    """Anchors of prose (references, links, images, inline code and math, numbers), its Latin
    words and its length."""
    a = p.anchors
    for target in _REF.findall(text):
        for t in target.split(","):
            a[f"ref:{t.strip()}"] += 1
    for m in _URL.finditer(text):
        url = m.group(1) or m.group(2)
        image = "![" in text[max(0, m.start() - 200) : m.start()] and url.endswith(_IMAGES)
        a[("img:" if image else "url:") + url] += 1
    prose_text = _ROLE.sub(" ", " ".join(u.source for u in p.units))
    for code in INLINE_CODE.findall(prose_text):
        a[f"code:{code.strip()}"] += 1
    for m in INLINE_MATH.findall(prose_text):
        a["math:" + _SPACES.sub("", m)] += 1
    bare = INLINE_CODE.sub(" ", INLINE_MATH.sub(" ", prose_text))
    bare = _LINKS.sub(" ", bare)
    for num in _NUMBER.findall(bare):
        a[f"num:{num}"] += 1
    latin = LATIN_WORD.findall(bare)
    p.words = frozenset(w.lower() for w in latin if len(w) > 1) - _MARKUP_WORDS - _STOPWORDS
    if chinese:
        # Latin words a Chinese text keeps (AlexNet, 中文（English）) stand for as much
        # Chinese as the same English would
        p.prose = len(CHINESE.findall(bare)) + LENGTH_RATIO * sum(len(w) for w in latin)
    else:
        p.prose = sum(len(w) for w in latin)


_IMAGES = (".svg", ".png", ".jpg", ".jpeg", ".gif")


def _find_terms(ps: list[Passage], d: Dictionary, chinese: bool) -> None:
    """The dictionary entries each passage uses: its Chinese found in the text, or its English
    at the start of a word. Only the entries that begin as some word (or character) of the
    passage begins are looked at: a glossary has hundreds of terms, a passage uses a few."""
    by_start: dict[str, list[int]] = {}
    for i, (en, zh) in enumerate(d.entries):
        by_start.setdefault(zh[0] if chinese else en[:3], []).append(i)
    for p in ps:
        if p.kind == "code":
            continue
        text = " ".join(u.source for u in p.units)
        if chinese:
            found = [i for c in set(text) & by_start.keys() for i in by_start[c] if d.entries[i][1] in text]
        else:
            words = [w.lower() for w in LATIN_WORD.findall(text)]
            low = " " + " ".join(words) + " "
            found = [i for w in {w[:3] for w in words} & by_start.keys() for i in by_start[w]
                     if f" {d.entries[i][0]}" in low]
        p.terms = frozenset(found)
