"""The translator's nouns: units of a source file, pairs of English and Chinese, their status.

No I/O and no UI here: every other module speaks in these types.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass, field

_SPACE = re.compile(r"\s+")

#: Kinds of unit a translator translates.
TRANSLATABLE_KINDS = (
    "heading",
    "paragraph",
    "list_item",
    "table_cell",
    "image_alt",
    "comment",
    "docstring",
)
#: Kinds of unit shared by both languages, copied as they are.
SHARED_KINDS = (
    "markup",  # blank lines, list markers, table pipes, the `# ` of a heading or comment
    "code",
    "math",
    "directive",  # :label: :width: :eqlabel: :begin_tab: :end_tab: lines
    "toc",
    "eval_rst",
    "html",
    "toc_marker",  # [TOC]
    "rule",
)

#: Separator between the keys of the English units one pair covers (keys never contain a newline).
GROUP_SEPARATOR = "\n\n"


def normalize(text: str) -> str:
    """The unit key: text with every run of whitespace folded to one space, ends trimmed."""
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
    """What the piece is: one of TRANSLATABLE_KINDS or SHARED_KINDS."""
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
    def key(self) -> str:
        """Identity of a translatable unit: re-wrapping its lines does not change it."""
        return normalize(self.source)


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
    kinds = [u.kind for u in units if u.kind != "markup"]
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
    """Where a pair stands for the translator."""

    CURRENT = "current"
    STALE = "stale"
    UNTRANSLATED = "untranslated"


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
    """For a stale pair, the English the translation was made for (PO `#| msgid`)."""
    context: str = ""
    """Tells apart the same English occurring twice in one file (PO msgctxt)."""
    obsolete: bool = False
    """The English is gone; the translation is kept for when it comes back (PO `#~`)."""
    notes: list[str] = field(default_factory=list)
    """Notes for the translator: Chinese the import could not place, suggestions (PO `# `)."""
    origin: str = ""
    """Where the translation came from, when it is a machine-found suggestion (PO `#.`)."""
    review: str = ""
    """The `review_mark` of the Chinese a reviewer passed (PO `#. reviewed: MARK`); see review.py."""

    @property
    def reviewed(self) -> bool:
        """Translated, not stale, and its Chinese is the one a reviewer passed: any later edit of
        the Chinese (in any tool) makes the pair merely translated again."""
        return bool(self.chinese) and not self.stale and self.review == review_mark(self.chinese)

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


def review_mark(chinese: str) -> str:
    """A short fingerprint of a translation as reviewed; re-wrapping its lines does not change it."""
    return hashlib.sha256(normalize(chinese).encode("utf-8")).hexdigest()[:12]


def is_cjk(ch: str) -> bool:
    """True for a Chinese character or full-width punctuation."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x3000 <= o <= 0x303F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x2A6DF
    )


def count_words(text: str, chinese: bool = False) -> int:
    """English words, or Chinese characters (the unit translators are paid by)."""
    if chinese:
        return sum(1 for ch in text if is_cjk(ch) and not 0x3000 <= ord(ch) <= 0x303F and not 0xFF00 <= ord(ch) <= 0xFFEF)
    return len(re.findall(r"[A-Za-z0-9][\w'’-]*", text))
