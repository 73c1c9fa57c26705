"""Text fitted to a terminal's cells: one line for a table cell, a path cut to a width.

Pure functions over strings (the TUI draws them; they are tested without a terminal).
"""

from __future__ import annotations

# Characters whose width East Asian terminals disagree about (1 cell in most, 2 in CJK locales):
# in a table column they push every later cell out of line, so list cells show an ASCII stand-in.
_AMBIGUOUS = str.maketrans({
    "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "·": ".", "—": "--", "–": "-",
    "•": "*", "×": "x", "°": "o", "§": "S", "±": "+-", "→": "->", "←": "<-",
    "─": "-", "│": "|", "■": "#", "□": "#", "※": "*",
})


def cell(text: str) -> str:
    """One line for a table cell: whitespace folded, ambiguous-width punctuation in ASCII."""
    return " ".join(text.split()).translate(_AMBIGUOUS)


def path_cell(path: str, width: int) -> str:
    """A file path cut to `width` from the left, so the file name (the part that tells files
    apart in one chapter) stays: "...learning/information-theory.md"."""
    if len(path) <= width:
        return path
    return "..." + path[len(path) - max(width - 3, 1):]
