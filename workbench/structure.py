"""The one rule for what a translation may hold: text, never structure.

A msgstr is rendered in place of its English unit. If it opened a code fence or a math block,
started a heading, a list item, a quote, a table or an HTML block, or carried a d2l directive
line (`:label:`), zh/PATH.md would no longer have the English file's blocks: the following
paragraphs could become code, a label could appear twice. Every entry point that puts text
into a pair or a pair into zh/PATH.md (render, sync, import, the TUI's save, `check`, the
take-back of a hand edit) asks `problem` here, so the rule lives in one place.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from markdown_it import MarkdownIt

from .markdown import DIRECTIVE_LINE
from .model import Kind, Pair, WorkbenchError, one_line
from .store import entry_lines

# The same block parser as the segmenter (markdown.py): what it calls a block, this refuses.
_MD = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_BLOCK_NAMES = {
    "fence": "opens or closes a code fence",
    "code_block": "has a line indented as code (4 spaces after a blank line)",
    "heading_open": "starts a heading",
    "bullet_list_open": "starts a list item",
    "ordered_list_open": "starts a list item",
    "blockquote_open": "starts a quote (>)",
    "html_block": "starts an HTML block",
    "table_open": "makes a table",
    "hr": "makes a horizontal rule",
}
# Only a line starting like this (or a pipe, for a table) can open a block: cheap to rule out.
_MAYBE_BLOCK = re.compile(r"(?m)^(?:[ \t]{4,}|[ \t]{0,3}[#>*+\-0-9<=_`~|])|\|")
# A pipe outside code spans splits a table cell in two.
_PIPE = re.compile(r"(?<!\\)\|")


@functools.lru_cache(maxsize=1 << 16)
def problem(text: str, kind: str) -> tuple[int, str] | None:
    """(0-based line in `text`, what is wrong) for the first structure a translation would add
    to zh/PATH.md where a unit of `kind` stands, or None when it is plain text. Remembered: a
    save checks every pair of its file, most of them as the save before checked them."""
    if not text.strip():
        return None
    lines = text.split("\n")
    if one_line(kind):  # `fit` joins the text into one line: only what breaks that line matters
        if kind == Kind.TABLE_CELL and _PIPE.search(re.sub(r"`[^`]*`", "", text)):
            return 0, "has a | that would split the table cell; write \\| or drop it"
        return None
    if kind == Kind.COMMENT:
        return None  # every line is rendered behind a `# `: it stays a comment
    for n, line in enumerate(lines):
        if _FENCE.match(line):
            return n, "opens or closes a code fence (```)"
        if kind == Kind.DOCSTRING:
            continue
        if line.strip().startswith("$$"):
            return n, "opens or closes a display math block ($$)"
        if DIRECTIVE_LINE.fullmatch(line):
            return n, f"adds a directive line ({line.strip()[:30]}); directives come from the English"
    if kind == Kind.DOCSTRING or not _MAYBE_BLOCK.search(text):
        return None
    for tok in _MD.parse(text):
        why = _BLOCK_NAMES.get(tok.type)
        if why and tok.map is not None:
            return tok.map[0], why
    return None


def entry_line(po_text: str, pair: Pair) -> int | None:
    """1-based line of a pair's entry in a PO file's text (for messages), or None."""
    return entry_lines(po_text).get((pair.context, pair.english, False))


def refuse_broken(pairs: list[Pair], po_shown: str, po_text: str | None,
                  planned: Callable[[], str] | None = None) -> None:
    """Raise WorkbenchError (PO file and entry line) for the first translation that would break
    the structure of zh/PATH.md. The line is the entry's in `po_text` (the PO on disk, as the
    user sees it) or else in `planned()` (the PO about to be written: made only when a
    translation is refused)."""
    for p in pairs:
        if p.obsolete or not p.chinese:
            continue
        found = problem(p.chinese, p.kind)
        if found is None:
            continue
        line = (entry_line(po_text, p) if po_text else None) or (entry_line(planned(), p) if planned else None)
        raise WorkbenchError(
            f"the translation of en line {p.line} {found[1]} (its line {found[0] + 1}); a translation may "
            "hold text only: fix the msgstr, nothing was written", po_shown, line)


def set_aside(pair: Pair, source: str) -> bool:
    """For an import: a translation that would break the structure is kept as a note on its
    pair (nothing lost, the pair left untranslated) instead of refusing the whole import.
    `source` says where it came from. True when it was set aside."""
    found = problem(pair.chinese, pair.kind) if pair.chinese else None
    if found is None:
        return False
    pair.notes.append(f"{source}: not used as the translation because it {found[1]}; "
                      f"rewrite it as text:\n{pair.chinese}")
    pair.chinese, pair.stale, pair.previous = "", False, ""
    return True
