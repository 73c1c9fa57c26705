"""Code cells and framework tabs: which code a tab runs, without its prose, and the #@save blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..markdown import code_prose
from ..model import Document

DEFAULT_TAB = "mxnet"

_TAB_LINE = re.compile(r"#\s*@tab\b(.*)")
# d2lbook's mark, and the older comment the built-in preface still uses
_SAVE_MARK = re.compile(r"#\s*(?:@save\b|Saved in the d2l package for later use)")


def is_code_fence(info: str) -> bool:
    """True for a fence that becomes a notebook code cell: {.python .input ...} or plain python."""
    words = info.strip().strip("{}").split()
    return ".input" in words or info.strip() in ("python", "python3")


def code_tabs(code: str) -> tuple[list[str], str]:
    """The tabs a code cell belongs to and its code without the `#@tab` line.

    A cell with no `#@tab` line is the default tab's (mxnet); `#@tab all` is every tab's.
    """
    first, newline, rest = code.partition("\n")
    m = _TAB_LINE.fullmatch(first.strip())
    if not m:
        return [DEFAULT_TAB], code
    names = [t.strip() for t in m.group(1).split(",") if t.strip()]
    return names or ["all"], rest


def for_tab(tabs: list[str], tab: str) -> bool:
    """True when a cell (or a :begin_tab: section) of `tabs` is shown in a notebook for `tab`."""
    return "all" in tabs or tab in tabs


def fence_body(block_text: str) -> str:
    """The code inside a fenced block's text: without the opening and closing fence lines."""
    body = block_text.partition("\n")[2]
    body = body.rstrip("\r\n")
    body = body.rpartition("\n")[0] if "\n" in body else ""
    return body.replace("\r\n", "\n")


def strip_prose(code: str) -> str:
    """Code without comments, docstrings and blank lines: what the cache key sees.

    Comment and docstring spans are the ones the segmenter translates (markdown.code_prose),
    so a translated or reworded comment never changes the key.
    """
    spans = code_prose(code)
    for start, end, _kind in reversed(spans):
        code = code[:start] + code[end:]
    lines = []
    for line in code.splitlines():
        line = re.sub(r"[ \t]*#+[ \t]*$", "", line.rstrip())
        if line.strip():
            lines.append(line)
    return "\n".join(lines)


def save_blocks(code: str) -> list[str]:
    """The parts of one code cell that go into the d2l library (d2lbook's rule).

    A line marked `#@save` (or `# Saved in the d2l package for later use`) starts a block: the
    line itself without the mark, then the following top-level lines, then the indented (or
    blank) lines after them: a def or class with its body, or a run of imports.
    """
    lines = code.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        m = _SAVE_MARK.search(line)
        if not m:
            continue
        block: list[str] = []
        head = line[: m.start()].rstrip()
        if head:
            block.append(head)
        for j in range(i + 1, len(lines)):
            if lines[j] and not lines[j].startswith((" ", "\t")):
                block.append(lines[j])
                continue
            for k in range(j, len(lines)):
                if lines[k].startswith((" ", "\t")) or not lines[k].strip():
                    block.append(lines[k])
                else:
                    break
            break
        text = "\n".join(block).strip("\n")
        if text:
            out.append(text)
    return out


def code_cells(doc: Document) -> Iterator[tuple[int, str]]:
    """(block index, English block text) of the code cells of a document."""
    texts: dict[int, list[str]] = {}
    for unit in doc.units:
        if unit.block >= 0 and is_code_fence(doc.info.get(unit.block, "")):
            texts.setdefault(unit.block, []).append(unit.source)
    for index, parts in texts.items():
        yield index, "".join(parts)
