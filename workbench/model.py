"""The translator's nouns: units of a source file, pairs of English and Chinese, their status.

No I/O and no UI here: every other module speaks in these types.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import re
from dataclasses import dataclass, field

_SPACE = re.compile(r"\s+")
# the start of a code comment's continuation line: line break, indentation, `#`s and a space
_COMMENT_MARK = re.compile(r"(?:\r\n|\r|\n)[ \t]*#+[ \t]?")

class Kind(enum.StrEnum):
    """What a unit is. The value is the name PO comments (`#. kind:`) and JSON carry, and a
    Kind compares equal to it: `Kind.HEADING == "heading"`."""

    # a translator translates these
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    IMAGE_ALT = "image_alt"
    COMMENT = "comment"  # a comment in a code cell
    DOCSTRING = "docstring"
    # both languages share these, copied as they are
    MARKUP = "markup"  # blank lines, list markers, table pipes, the `# ` of a heading or comment
    CODE = "code"
    MATH = "math"
    DIRECTIVE = "directive"  # :label: :width: :eqlabel: :begin_tab: :end_tab: lines
    TOC = "toc"
    EVAL_RST = "eval_rst"
    HTML = "html"
    TOC_MARKER = "toc_marker"  # [TOC]
    RULE = "rule"

    @property
    def translatable(self) -> bool:
        """A translator translates it (else both languages share it)."""
        return self in _TRANSLATABLE

    @property
    def one_line(self) -> bool:
        """Its translation is rendered on one line: a heading, a table cell, an image's alt text."""
        return self in _ONE_LINE

    @property
    def in_code(self) -> bool:
        """Text inside a code cell (a comment or a docstring): its code around it stays as is."""
        return self in _IN_CODE

    @classmethod
    def of(cls, name: str) -> Kind | None:
        """The kind named `name` (as a PO comment spells it), or None for a name it does not know."""
        try:
            return cls(name)
        except ValueError:
            return None


_TRANSLATABLE = frozenset({Kind.HEADING, Kind.PARAGRAPH, Kind.LIST_ITEM, Kind.TABLE_CELL, Kind.IMAGE_ALT,
                           Kind.COMMENT, Kind.DOCSTRING})
_ONE_LINE = frozenset({Kind.HEADING, Kind.TABLE_CELL, Kind.IMAGE_ALT})
_IN_CODE = frozenset({Kind.COMMENT, Kind.DOCSTRING})


def one_line(kind: str) -> bool:
    """True for the kinds whose translation is rendered on one line (Kind.one_line; unknown names: False)."""
    known = Kind.of(kind)
    return known is not None and known.one_line


def in_code(kind: str) -> bool:
    """True for the kinds of text inside a code cell (Kind.in_code; unknown names: False)."""
    known = Kind.of(kind)
    return known is not None and known.in_code


#: Separator between the keys of the English units one pair covers (keys never contain a newline).
GROUP_SEPARATOR = "\n\n"


@functools.lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """The unit key: text with every run of whitespace folded to one space, ends trimmed
    (remembered: every save matches each unit of its file by key)."""
    return _SPACE.sub(" ", text).strip()


class WorkbenchError(Exception):
    """Bad input or a refused operation, told to the user as `file:line: message` (exit 2)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message


@dataclass(slots=True)
class Unit:
    """One piece of a source file; the units of a file, joined, give back the file byte for byte."""

    kind: str
    """What the piece is: a Kind's name."""
    translatable: bool
    """True when a translator translates it; False when both languages share it."""
    start: int
    """1-based line where the piece starts."""
    end: int
    """1-based line where the piece ends (inclusive)."""
    source: str
    """The verbatim text of the piece."""
    block: int = -1
    """Index of the block (heading, paragraph, code cell, ...) the piece belongs to; -1 between blocks."""
    column: int = 0
    """0-based column where the piece starts, so a multi-line translation can be indented to match."""
    offset: int = 0
    """0-based character offset of the piece in the file."""

    @property
    def text(self) -> str:
        """The unit's text: its source, for a comment over several lines without the `#` that
        starts each line after the first (the code cell's, not the comment's)."""
        if self.kind == Kind.COMMENT and "\n" in self.source:
            return _COMMENT_MARK.sub("\n", self.source)
        return self.source

    @property
    def key(self) -> str:
        """Identity of a translatable unit: re-wrapping its lines does not change it."""
        return normalize(self.text)


@dataclass(slots=True)
class Block:
    """A run of units that a reader sees as one thing: a heading, a paragraph, a code cell, a table."""

    index: int
    """Position among the blocks of the document."""
    kind: str
    """heading, paragraph, list_item, table, code, math, directive, image, toc, ..."""
    units: list[Unit]
    """The units of the block, markup included."""

    @property
    def start(self) -> int:
        """1-based first line."""
        return self.units[0].start

    @property
    def end(self) -> int:
        """1-based last line."""
        return max(u.end for u in self.units)

    @property
    def source(self) -> str:
        """The block's verbatim text."""
        return "".join(u.source for u in self.units)

    @property
    def translatable(self) -> list[Unit]:
        """The units of the block a translator translates."""
        return [u for u in self.units if u.translatable]


@dataclass(slots=True)
class Document:
    """A segmented Markdown file."""

    path: str
    """Path as the user named it (for messages)."""
    units: list[Unit]
    """All units in order; their sources joined are the file."""
    info: dict[int, str] = field(default_factory=dict)
    """For code blocks: block index -> the fence's info string ("{.python .input}", "toc", ...)."""

    @property
    def text(self) -> str:
        """The file, reassembled."""
        return "".join(u.source for u in self.units)

    @property
    def translatable(self) -> list[Unit]:
        """The units a translator translates, in order."""
        return [u for u in self.units if u.translatable]

    def blocks(self) -> list[Block]:
        """The units grouped by block, in order; markup between blocks belongs to none."""
        out: dict[int, list[Unit]] = {}
        for unit in self.units:
            if unit.block >= 0:
                out.setdefault(unit.block, []).append(unit)
        return [Block(i, _block_kind(units), units) for i, units in sorted(out.items())]


def _block_kind(units: list[Unit]) -> str:
    kinds = [u.kind for u in units if u.kind != Kind.MARKUP]
    if not kinds:
        return "markup"
    if "table_cell" in kinds:
        return "table"
    if "image_alt" in kinds:
        return "image"
    if kinds[0] == "code" or "comment" in kinds or "docstring" in kinds:
        return "code"
    return kinds[0]


class Status(enum.Enum):
    """Where a pair stands in the PO: translated and current, fuzzy, or empty (what other tools see)."""

    CURRENT = "current"
    STALE = "stale"
    UNTRANSLATED = "untranslated"


class State(enum.Enum):
    """What a pair needs from the translator, finer than Status: one state per filter of the TUI,
    one count of `status`. The order is the order of work (a pair is in the first state that fits)."""

    UNTRANSLATED = "untranslated"
    CONFLICT = "conflict"
    """Edited differently in the PO and in zh/*.md (or on two branches): both texts kept."""
    PAIRING = "check the pairing"
    """An import paired this Chinese with its English with doubt: is it the translation of it?"""
    STALE = "stale"
    """The English changed since the translation was made."""
    SETTLED = "settled"
    """Carried over by `sync` across a mechanical English edit: current, for a reviewer to glance at."""
    TRANSLATED = "translated"
    REVIEWED = "reviewed"

    @property
    def needs_work(self) -> bool:
        """A translator must act before the pair counts as done."""
        return self in (State.UNTRANSLATED, State.CONFLICT, State.PAIRING, State.STALE)


#: The first line of the translator note a conflict leaves on a PO entry (see merge.py).
CONFLICT = "CONFLICT"


@dataclass(slots=True)
class Pair:
    """English and its Chinese: one PO entry. One pair may cover several consecutive English units."""

    english: str
    """The keys of the English units it covers, joined by GROUP_SEPARATOR (the PO msgid)."""
    chinese: str = ""
    """The translation (the PO msgstr); empty when untranslated."""
    kind: str = "paragraph"
    """Kind of the (first) English unit: a translation is never carried across kinds."""
    line: int = 0
    """1-based line of the English in en/PATH.md (the PO `#:` reference)."""
    stale: bool = False
    """The English changed since the translation was made (PO `fuzzy`)."""
    previous: str = ""
    """For a stale pair, the English the translation was made for (PO `#| msgid`); for a settled
    pair, the English before the edit sync settled (a translator comment: see store.SETTLED_FROM)."""
    context: str = ""
    """Tells apart the same English occurring twice in one file (PO msgctxt)."""
    obsolete: bool = False
    """The English is gone; the translation is kept for when it comes back (PO `#~`)."""
    notes: list[str] = field(default_factory=list)
    """Notes for the translator: Chinese the import could not place, suggestions (PO `# `)."""
    origin: str = ""
    """Where the translation came from, when it is a machine-found suggestion (PO `#.`)."""
    flags_extra: list[str] = field(default_factory=list)
    """Other tools' flags on the entry (no-wrap, c-format, ...; PO `#,`), kept as they are."""
    extracted_extra: list[str] = field(default_factory=list)
    """Other tools' extracted comments (PO `#.`), kept as they are."""
    references_extra: list[str] = field(default_factory=list)
    """Other tools' references (PO `#:` file:line besides the English line), kept as they are."""
    review: str = ""
    """The `review_mark` of the Chinese a reviewer passed (PO `#. reviewed: MARK`); see review.py."""
    pairing: str = ""
    """Why an import doubts that the Chinese translates this English (PO `#. pairing: WHY`);
    empty once a translator accepted or fixed the pair."""
    settled: str = ""
    """The kind of mechanical English edit `sync` settled without a translator (PO `#. settled: KIND`);
    empty once reviewed."""
    layout: str = ""
    """How the Chinese edition lays out this pair where it differs from the English: blank lines,
    list markers and line indentation around its text (PO `#. layout: JSON`); see layout.py."""

    @property
    def reviewed(self) -> bool:
        """Translated, not stale, and its Chinese is the one a reviewer passed: any later edit of
        the Chinese (in any tool) makes the pair merely translated again."""
        return bool(self.chinese) and not self.stale and self.review == review_mark(self.chinese)

    def accept_pairing(self) -> bool:
        """A translator accepted the import's pairing (edited the Chinese, reviewed the pair,
        cleared its fuzzy flag in another tool): the mark goes, and with it the fuzzy flag the
        doubt set, not one an English edit set (that one has the previous English). True when
        there was a mark."""
        if not self.pairing:
            return False
        self.pairing = ""
        if not self.previous:
            self.stale = False
        return True

    @property
    def keys(self) -> list[str]:
        """The keys of the English units the pair covers."""
        return self.english.split(GROUP_SEPARATOR)

    @property
    def status(self) -> Status:
        """Current, stale or untranslated."""
        if not self.chinese:
            return Status.UNTRANSLATED
        return Status.STALE if self.stale else Status.CURRENT

    @property
    def conflict(self) -> bool:
        """True while the pair carries a conflict note (until the translator resolves it)."""
        return any(n.startswith(CONFLICT + " ") for n in self.notes)

    @property
    def state(self) -> State:
        """What the pair needs (see State)."""
        if not self.chinese:
            return State.UNTRANSLATED
        if self.conflict:
            return State.CONFLICT
        if self.pairing:
            return State.PAIRING
        if self.stale:
            return State.STALE
        if self.reviewed:
            return State.REVIEWED
        return State.SETTLED if self.settled else State.TRANSLATED


#: The Chinese characters (Han ideographs): CJK Unified Ideographs, Extension A, Compatibility
#: Ideographs, Extension B.
HAN_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF))
# Chinese punctuation: CJK Symbols and Punctuation, Halfwidth and Fullwidth Forms
_PUNCTUATION_RANGES = ((0x3000, 0x303F), (0xFF00, 0xFFEF))
#: The Chinese characters as the body of a regex character class: f"[{HAN}]".
HAN = "".join(f"{chr(a)}-{chr(b)}" for a, b in HAN_RANGES)
#: One Chinese character.
CHINESE = re.compile(f"[{HAN}]")


def is_chinese(ch: str) -> bool:
    """True for a Chinese character (a Han ideograph), not punctuation."""
    o = ord(ch)
    return any(a <= o <= b for a, b in HAN_RANGES)


@functools.lru_cache(maxsize=1 << 16)
def review_mark(chinese: str) -> str:
    """A short fingerprint of a translation as reviewed; re-wrapping its lines does not change it.

    Cached: every count asks each pair whether it is reviewed (its state), so the same Chinese is
    fingerprinted again and again (a TUI save recounts its file)."""
    return hashlib.sha256(normalize(chinese).encode("utf-8")).hexdigest()[:12]


def is_cjk(ch: str) -> bool:
    """True for a Chinese character or full-width punctuation."""
    o = ord(ch)
    return any(a <= o <= b for a, b in HAN_RANGES) or any(a <= o <= b for a, b in _PUNCTUATION_RANGES)


@functools.lru_cache(maxsize=1 << 16)
def count_words(text: str, chinese: bool = False) -> int:
    """English words, or Chinese characters (the unit translators are paid by); remembered, as
    each edit counts its file again."""
    if chinese:
        return len(CHINESE.findall(text))
    return len(re.findall(r"[A-Za-z0-9][\w'’-]*", text))
