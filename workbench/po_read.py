"""The one PO reader: a PO file's text -> its header and entries, as GNU gettext's tools read them.

Every part of the workbench that reads a PO goes through here (store.parse builds pairs from
the entries; an entry's line number names it in messages). It reads line by line with the
grammar of polib's state machine (which entry a line belongs to, which sequences are errors,
how comments and strings are taken apart), so the files it accepts and what it makes of them
are polib's; it is written for speed, as it reads a whole book when the TUI opens.

Each line is held to what a PO line may be (a comment, a keyword with one quoted string, a
continued string, blank) and to where it may stand; anything else is a syntax error naming its
line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import WorkbenchError

_STRING = r'"([^"\\]*(?:\\.[^"\\]*)*)"[ \t]*'
# A line with a string: an optional `#~`/`#|` mark, an optional keyword, the string.
_STRING_LINE = re.compile(rf"(#~\|?|#\|)?( ?)(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)[ \t]+)?{_STRING}\Z")
_CONTINUED = re.compile(_STRING + r"\Z")
_ESCAPE = re.compile(r'\\(\\|n|t|r|v|b|f|")')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "\\": "\\", '"': '"'}
_PREVIOUS = {"msgid": "pm", "msgctxt": "pc", "msgid_plural": "pp"}
_KEYWORD = {"msgid": "mi", "msgctxt": "ct", "msgid_plural": "mp", "msgstr": "ms"}
_FIELD = {"ct": "msgctxt", "mi": "msgid", "ms": "msgstr", "pm": "previous"}

# The state machine (polib's): for each symbol, the states it may follow. Symbols and states:
# st start, he header comment, tc translator comment, gc extracted comment, oc reference,
# fl flags, ct msgctxt, pc/pm/pp previous msgctxt/msgid/msgid_plural, mi msgid, mp msgid_plural,
# ms msgstr, mx msgstr[n]; mc is a continued string (the state stays).
_ALL = frozenset({"st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp", "mx", "mi"})
_FOLLOWS = {
    "tc": _ALL - {"ct"},
    "gc": _ALL, "oc": _ALL, "fl": _ALL, "pc": _ALL, "pm": _ALL, "pp": _ALL,
    "ct": _ALL - {"ct", "mi", "mp"},
    "mi": _ALL - {"mi", "mp"},
    "mp": frozenset({"tc", "gc", "pc", "pm", "pp", "mi"}),
    "ms": frozenset({"mi", "mp", "tc"}),
    "mx": frozenset({"mi", "mx", "mp", "tc"}),
    "mc": frozenset({"ct", "mi", "mp", "ms", "mx", "pm", "pp", "pc"}),
}
_CONTINUES = _FOLLOWS["mc"]
# After these states a comment or a msgctxt/msgid starts the next entry.
_ENDED = frozenset({"ms", "mx"})


@dataclass(slots=True)
class Entry:
    """One PO entry as written: strings unescaped, comments without their marks."""

    line: int = 0
    """1-based line of the entry's first line (0 for a first entry with no line before its header)."""
    msgctxt: str = ""
    msgid: str = ""
    msgstr: str = ""
    previous: str = ""
    """The `#| msgid` (gettext keeps it for fuzzy entries)."""
    flags: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    """`#.` lines."""
    notes: list[str] = field(default_factory=list)
    """Translator comments (`# `)."""
    references: list[tuple[str, str]] = field(default_factory=list)
    """`#:` as (file, line), line "" when there is none."""
    obsolete: bool = False
    """A `#~` entry."""


@dataclass(slots=True)
class PoText:
    """A PO file read: the comment above its header, the header's fields, the entries in file order."""

    header_comment: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)


def unescape(text: str) -> str:
    """A PO string's content as text (\\n, \\t, \\", \\\\ ...; other backslashes stay as they are)."""
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], text) if "\\" in text else text


def _error(path: str, n: int, line: str) -> WorkbenchError:
    """A syntax error at line n."""
    return WorkbenchError(f"PO syntax error: unexpected {line[:40]!r}; fix or restore the file", path, n)


def read(text: str, path: str = "<po>") -> PoText:
    """Read a PO file's text, wrapped any way; a syntax error (WorkbenchError) names the file and line."""
    reader = _Reader(path)
    continued = _CONTINUED.match
    for n, raw in enumerate(text.splitlines(), 1):
        first = raw[:1]
        if first == '"':  # the commonest line: a string continued (kept here, where it is quickest)
            m = continued(raw)
            if m is None or reader.state not in _CONTINUES:
                raise _error(path, n, raw)
            reader.parts.append(m.group(1))
            reader.last_is_comment = False
        elif first == "#" and raw[1:2] not in ("~", "|"):
            reader.comment(n, raw)
        elif first in ("", " ", "\t") and not raw.strip(" \t"):
            continue  # blank
        else:
            reader.keyword(n, raw)
    return reader.finish()


class _Reader:
    """One read's state: the entry being read, the state machine's state, and the field whose
    strings are being gathered."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.out = PoText()
        self.entry = Entry()
        self.state = "st"
        self.header: list[str] = []
        self.last_is_comment = True  # the last line that is not blank: an entry open before a trailing comment is dropped
        self.target = ""  # the field the strings in `parts` go to ("" for one not kept: a plural, a previous msgctxt)
        self.parts: list[str] = []

    def comment(self, n: int, raw: str) -> None:
        """A comment line (not `#~` or `#|`): the header's comment, or a comment of an entry."""
        s = raw.rstrip()
        self.last_is_comment = True
        symbol = _comment(s)
        if symbol is None:
            raise _error(self.path, n, raw)
        if symbol != "tc" and len(s) == 2:
            return  # a bare `#:`, `#,` or `#.` says nothing
        if self.state not in _FOLLOWS[symbol]:
            raise _error(self.path, n, raw)
        if symbol == "tc" and self.state in ("st", "he"):
            if self.header or s[2:]:
                self.header.append(s[2:])
            self.state = "he"
            return
        self._close_field()
        if self.state in _ENDED:
            self._next_entry(n)
        _add_comment(self.entry, symbol, s)
        self.state = symbol

    def keyword(self, n: int, raw: str) -> None:
        """A line with a string: a keyword's first string, or one more, marked `#~`, `#|` or not."""
        m = _STRING_LINE.match(raw)
        if m is None:
            raise _error(self.path, n, raw)
        mark, space, keyword, string = m.groups()
        if bool(mark) != bool(space):
            raise _error(self.path, n, raw)  # a mark and one blank, or neither
        self.last_is_comment = mark is not None and mark != "#~"
        if mark == "#~|":
            return  # gettext's previous msgid of an obsolete entry: not read (as polib)
        if mark == "#|":
            symbol = "mc" if keyword is None else _PREVIOUS.get(keyword, "")
            if not symbol:
                raise _error(self.path, n, raw)  # `#| msgstr` is no previous string
        else:
            symbol = "mc" if keyword is None else "mx" if keyword[-1] == "]" else _KEYWORD[keyword]
        if self.state not in _FOLLOWS[symbol]:
            raise _error(self.path, n, raw)
        if symbol == "mc":
            self.parts.append(string)
            return
        self._close_field()
        if self.state in _ENDED and symbol in ("ct", "mi", "pc", "pm", "pp"):
            self._next_entry(n)
        if symbol == "mi":
            self.entry.obsolete = mark == "#~"
        self.target = _FIELD.get(symbol, "")
        self.parts = [string]
        self.state = symbol

    def finish(self) -> PoText:
        """The file read: the last entry closed, the header taken apart."""
        self._close_field()
        if not self.last_is_comment:
            self.out.entries.append(self.entry)
        self.out.header_comment = "\n".join(self.header)
        _take_header(self.out)
        return self.out

    def _close_field(self) -> None:
        if self.target:
            setattr(self.entry, self.target, unescape("".join(self.parts)))
            self.target = ""

    def _next_entry(self, n: int) -> None:
        self.out.entries.append(self.entry)
        self.entry = Entry(n)


def _comment(s: str) -> str | None:
    """The kind of a comment line (its trailing blanks gone): oc (`#:`), fl (`#,`), gc (`#.`) or
    tc (`#` and a blank, `##`); None for one polib refuses (`#x`, `#:x`)."""
    mark = s[:2]
    spaced = len(s) <= 2 or s[2].isspace()
    if spaced and mark in _COMMENTS:
        return _COMMENTS[mark]
    if mark == "#" or mark[1].isspace() or mark == "##":
        return "tc"
    return None


_COMMENTS = {"#:": "oc", "#,": "fl", "#.": "gc"}


def _add_comment(entry: Entry, symbol: str, s: str) -> None:
    """Put a comment line (its kind `symbol`) into its entry."""
    if symbol == "tc":
        note = s.lstrip("#")
        note = note[1:] if note[:1] == " " else note
        if entry.notes or note:  # polib drops a comment's leading empty lines
            entry.notes.append(note)
    elif symbol == "gc":
        entry.extracted.append(s[3:])
    elif symbol == "fl":
        entry.flags += [f.strip() for f in s[3:].split(",")]
    else:
        entry.references += [_reference(ref) for ref in s[3:].split()]


def _reference(ref: str) -> tuple[str, str]:
    """A `#:` reference as (file, line); line "" when it has none (as polib splits it)."""
    file, colon, where = ref.rpartition(":")
    return (file, where) if colon and where.isdigit() else (ref, "")


def _take_header(out: PoText) -> None:
    """Take the header entry out, its fields read: the current entry with an empty msgid (of
    several, as polib chooses: the last without a msgctxt, else the first)."""
    empty = [k for k, e in enumerate(out.entries) if not e.obsolete and e.msgid == ""]
    if not empty:
        return
    plain = [k for k in empty if not out.entries[k].msgctxt]
    e = out.entries.pop(plain[-1] if len(empty) > 1 and plain else empty[0])
    key = None
    for line in e.msgstr.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            key = name
            out.metadata[key] = value.strip()
        elif key is not None:
            out.metadata[key] += "\n" + line.strip()
