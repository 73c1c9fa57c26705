"""Text the TUI shows, prepared without any UI: word diffs, one-line snippets, safe widths.

Pure functions over strings, so they are tested without a terminal.
"""

from __future__ import annotations

import difflib
import re

_WORD = re.compile(r"\s+|[\w'’-]+|[^\w\s]")

# Characters whose width East Asian terminals disagree about (1 cell in most, 2 in CJK locales):
# in a table column they push every later cell out of line, so list cells show an ASCII stand-in.
_AMBIGUOUS = str.maketrans({
    "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "·": ".", "—": "--", "–": "-",
    "•": "*", "×": "x", "°": "o", "§": "S", "±": "+-", "→": "->", "←": "<-",
    "─": "-", "│": "|", "■": "#", "□": "#", "※": "*",
})


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The English before and after an edit, word by word: ("=", text), ("-", removed), ("+", added)."""
    a = _WORD.findall(old)
    b = _WORD.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("-", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("+", "".join(b[j1:j2])))
    return out


def cell(text: str) -> str:
    """One line for a table cell: whitespace folded, ambiguous-width punctuation in ASCII."""
    return " ".join(text.split()).translate(_AMBIGUOUS)


def path_cell(path: str, width: int) -> str:
    """A file path cut to `width` from the left, so the file name (the part that tells files
    apart in one chapter) stays: "...learning/information-theory.md"."""
    if len(path) <= width:
        return path
    return "..." + path[len(path) - max(width - 3, 1):]
