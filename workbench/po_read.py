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
    out = PoText()
    entries = out.entries
    entry = Entry()
    state = "st"
    header: list[str] = []
    last_is_comment = True  # the last line that is not blank: an entry open before a trailing comment is dropped
    target = ""  # the field the strings in `parts` go to ("" for one not kept: a plural, a previous msgctxt)
    parts: list[str] = []
    continued = _CONTINUED.match
    for n, raw in enumerate(text.splitlines(), 1):
        first = raw[:1]
        if first == '"':  # the commonest line: a string continued
            m = continued(raw)
            if m is None or state not in _CONTINUES:
                raise _error(path, n, raw)
            parts.append(m.group(1))
            last_is_comment = False
            continue
        if first == "#" and raw[1:2] not in ("~", "|"):
            s = raw.rstrip()
            last_is_comment = True
            symbol = _comment(s)
            if symbol is None:
                raise _error(path, n, raw)
            if symbol != "tc" and len(s) == 2:
                continue  # a bare `#:`, `#,` or `#.` says nothing
            if state not in _FOLLOWS[symbol]:
                raise _error(path, n, raw)
            if symbol == "tc" and state in ("st", "he"):
                if header or s[2:]:
                    header.append(s[2:])
                state = "he"
                continue
            if target:
                setattr(entry, target, unescape("".join(parts)))
                target = ""
            if state in _ENDED:
                entries.append(entry)
                entry = Entry(n)
            _add_comment(entry, symbol, s)
            state = symbol
            continue
        if first in ("", " ", "\t") and not raw.strip(" \t"):
            continue  # blank
        m = _STRING_LINE.match(raw)
        if m is None:
            raise _error(path, n, raw)
        mark, space, keyword, string = m.groups()
        if bool(mark) != bool(space):
            raise _error(path, n, raw)  # a mark and one blank, or neither
        last_is_comment = mark is not None and mark != "#~"
        if mark == "#~|":
            continue  # gettext's previous msgid of an obsolete entry: not read (as polib)
        if mark == "#|":
            symbol = "mc" if keyword is None else _PREVIOUS.get(keyword, "")
            if not symbol:
                raise _error(path, n, raw)  # `#| msgstr` is no previous string
        else:
            symbol = "mc" if keyword is None else "mx" if keyword[-1] == "]" else _KEYWORD[keyword]
        if state not in _FOLLOWS[symbol]:
            raise _error(path, n, raw)
        if symbol == "mc":
            parts.append(string)
            continue
        if target:
            setattr(entry, target, unescape("".join(parts)))
        if state in _ENDED and symbol in ("ct", "mi", "pc", "pm", "pp"):
            entries.append(entry)
            entry = Entry(n)
        if symbol == "mi":
            entry.obsolete = mark == "#~"
        target = _FIELD.get(symbol, "")
        parts = [string]
        state = symbol
    if target:
        setattr(entry, target, unescape("".join(parts)))
    if not last_is_comment:
        entries.append(entry)
    out.header_comment = "\n".join(header)
    _take_header(out)
    return out


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
