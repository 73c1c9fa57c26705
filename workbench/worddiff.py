"""Word diff of a stale pair's previous English against its current English.

The one diff that `workbench diff` prints and the TUI styles: grouped runs, so that a changed
phrase reads as one removed run then one added run ("corresponds (in math) to" then "is called"),
not as words interleaved one by one.
"""

from __future__ import annotations

import difflib
import re

# a word with the white space before it; trailing white space at the end
_WORD = re.compile(r"\s*\S+|\s+$")


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """(op, text) runs: "=" kept, "-" only in `before`, "+" only in `after` (words as git --word-diff sees them).

    Runs of one op never follow each other; joined without the "+" runs they give `before`
    (white space inside a replaced run excepted), without the "-" runs `after`.
    """
    a = _WORD.findall(before)
    b = _WORD.findall(after)
    out: list[tuple[str, str]] = []

    def emit(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    # words compare without the spaces before them: re-wrapping is no change
    matcher = difflib.SequenceMatcher(None, [w.strip() for w in a], [w.strip() for w in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            emit("=", new)
        elif op == "delete":
            emit("-", old)
        elif op == "insert":
            emit("+", new)
        else:
            emit("=", new[: len(new) - len(new.lstrip())])
            emit("-", old.lstrip())
            emit("+", new.lstrip())
    return out
