"""The d2l Markdown dialect: split a file into units, and put it back together.

markdown-it-py finds the blocks (`token.map` gives their lines); this module cuts each block
into translatable text and shared markup by character offsets, so the units always join back
into the file byte for byte. Every feature (store, render, align, sync, build) reads files
through `segment`: it is the one place that knows the dialect.
"""

from __future__ import annotations

import bisect
import io
import re
import tokenize
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from markdown_it import MarkdownIt

from .model import Document, Kind, Unit, WorkbenchError, is_cjk, one_line

# Only blocks matter here: inline markup stays inside units verbatim, so inline parsing is skipped.
_MD = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])
_NEWLINE = re.compile(r"\r\n|\r|\n")

# A line that is nothing but d2l directives: shared, never translated.
DIRECTIVE_LINE = re.compile(
    r"[ \t]*(?::(?:label|width|height|eqlabel|begin_tab|bibliography|numbered|maxdepth):`[^`\n]*`[ \t]*)+"
    r"|[ \t]*:end_tab:[ \t]*"
)
_IMAGE_LINE = re.compile(r"[ \t]*!\[(?P<alt>[^\]\n]*)\]\([^)\n]*\)[ \t]*")
# Marks d2l puts in code comments for its tooling (#@tab, #@save, #@hide): not prose.
_CODE_MARK = re.compile(r"#\s*@")
_LETTER = re.compile(r"[A-Za-z]")


@dataclass(slots=True)
class _Span:
    start: int  # character offsets into the text, end exclusive
    end: int
    kind: str
    translatable: bool
    block: int


class _Cutter:
    """Collects spans over one text; whatever no span covers becomes markup."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.spans: list[_Span] = []
        self.blocks = 0
        self.info: dict[int, str] = {}
        # offsets of line starts, per markdown-it's own idea of a line (\r\n, \r or \n)
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def line_span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets of lines first..last-1 (0-based), the last line's newline included."""
        start = self.line_starts[first] if first < len(self.line_starts) else len(self.text)
        end = self.line_starts[last] if last < len(self.line_starts) else len(self.text)
        return start, end

    def line_text(self, n: int) -> tuple[int, str]:
        """(offset, text without its newline) of 0-based line n."""
        start, end = self.line_span(n, n + 1)
        return start, _NEWLINE.sub("", self.text[start:end])

    def new_block(self) -> int:
        self.blocks += 1
        return self.blocks - 1

    def add(self, start: int, end: int, kind: str, translatable: bool, block: int) -> None:
        if end > start:
            self.spans.append(_Span(start, end, kind, translatable, block))

    def add_text(self, start: int, end: int, kind: str, block: int) -> None:
        """A translatable span, trimmed of surrounding whitespace (which stays markup)."""
        chunk = self.text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if lead + trail < len(chunk):
            self.add(start + lead, end - trail, kind, True, block)

    def units(self) -> list[Unit]:
        spans = sorted(self.spans, key=lambda s: s.start)
        pieces: list[_Span] = []
        pos = 0
        for s in spans:
            if s.start < pos:  # overlapping spans would duplicate text: a bug, not bad input
                raise AssertionError(f"{self.path}: overlapping units at offset {s.start}")
            if s.start > pos:
                pieces.append(_Span(pos, s.start, "markup", False, -1))
            pieces.append(s)
            pos = s.end
        if pos < len(self.text):
            pieces.append(_Span(pos, len(self.text), "markup", False, -1))
        pieces = self._adopt_markup(pieces)
        merged: list[_Span] = []
        for p in pieces:
            last = merged[-1] if merged else None
            if (
                last
                and not p.translatable
                and not last.translatable
                and last.kind == p.kind
                and last.block == p.block
                and last.end == p.start
            ):
                last.end = p.end
            else:
                merged.append(p)
        return [self._unit(p) for p in merged]

    def _adopt_markup(self, pieces: list[_Span]) -> list[_Span]:
        """Markup on the line of a block (a list marker, `## `, a table pipe, the line's end)
        belongs to that block; blank lines between blocks belong to none."""
        line_block: dict[int, int] = {}
        for p in pieces:
            if p.block >= 0:
                for line in range(self._line_of(p.start), self._line_of(max(p.start, p.end - 1)) + 1):
                    line_block.setdefault(line, p.block)
        out: list[_Span] = []
        for p in pieces:
            if p.block >= 0:
                out.append(p)
                continue
            start = p.start
            for m in _NEWLINE.finditer(self.text, p.start, p.end):
                out.append(_Span(start, m.end(), p.kind, False, line_block.get(self._line_of(start), -1)))
                start = m.end()
            if start < p.end:
                out.append(_Span(start, p.end, p.kind, False, line_block.get(self._line_of(start), -1)))
        return out

    def _line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    def _unit(self, p: _Span) -> Unit:
        first = self._line_of(p.start)
        last = self._line_of(max(p.start, p.end - 1))
        return Unit(
            kind=p.kind,
            translatable=p.translatable,
            start=first + 1,
            end=last + 1,
            source=self.text[p.start : p.end],
            block=p.block,
            column=p.start - self.line_starts[first],
            offset=p.start,
        )


def segment(text: str, path: str = "<text>") -> Document:
    """Split d2l Markdown into units; `Document.text` gives back `text` exactly.

    Raises WorkbenchError for a code fence that is never closed (the rest of the file would
    silently become code).
    """
    cut = _Cutter(text, path)
    if text.startswith("\ufeff"):  # a BOM is kept, as markup, so the round trip holds
        cut.add(0, 1, "markup", False, -1)
        tokens = _MD.parse(text[1:])
    else:
        tokens = _MD.parse(text)
    in_item = 0
    for i, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            in_item += 1
        elif tok.type == "list_item_close":
            in_item -= 1
        elif tok.type == "heading_open" and tok.map:
            _heading(cut, tok.map, tokens[i + 1].content)
        elif tok.type == "paragraph_open" and tok.map:
            _paragraph(cut, tok.map, tokens[i + 1].content, "list_item" if in_item else "paragraph")
        elif tok.type == "table_open" and tok.map:
            _table(cut, tok.map)
        elif tok.type == "fence" and tok.map:
            _fence(cut, tok.map, tok.info, tok.markup)
        elif tok.type in ("code_block", "html_block", "hr") and tok.map:
            kind = {"code_block": "code", "html_block": "html", "hr": "rule"}[tok.type]
            start, end = cut.line_span(*tok.map)
            cut.add(start, _strip_newline(text, start, end), kind, False, cut.new_block())
    return Document(path, cut.units(), cut.info)


def _strip_newline(text: str, start: int, end: int) -> int:
    """End offset of a block without its final line break (the break is markup between blocks)."""
    m = re.search(r"(\r\n|\r|\n)\Z", text[start:end])
    return end - len(m.group(0)) if m else end


def _heading(cut: _Cutter, span: list[int], content: str) -> None:
    block = cut.new_block()
    offset, line = cut.line_text(span[0])
    if content and content.split("\n")[0] in line:
        # ATX: the text sits after the #'s; a setext underline stays markup
        at = line.index(content.split("\n")[0], len(line) - len(line.lstrip(" #")))
        cut.add_text(offset + at, offset + at + len(content.split("\n")[0]), "heading", block)
    elif content:
        cut.add_text(offset, offset + len(line), "heading", block)
    if not content:
        cut.add(offset, offset + len(line), "markup", False, block)


def _paragraph(cut: _Cutter, span: list[int], content: str, kind: str) -> None:
    """A paragraph's lines are cut into runs: prose, display math, directive lines, images."""
    first_content = content.split("\n")[0].rstrip(" \t")
    runs: list[tuple[str, int, int]] = []  # (kind, first line, last line + 1)
    n = span[0]
    while n < span[1]:
        _, line = cut.line_text(n)
        stripped = line.strip()
        if DIRECTIVE_LINE.fullmatch(line):
            runs.append(("directive", n, n + 1))
            n += 1
        elif stripped.startswith("$$"):
            end = n + 1
            if stripped.count("$$") == 1:  # a multi-line display: runs to the closing $$
                while end < span[1] and "$$" not in cut.line_text(end)[1]:
                    end += 1
                end = min(end + 1, span[1])
            runs.append(("math", n, end))
            n = end
        elif _IMAGE_LINE.fullmatch(line):
            runs.append(("image", n, n + 1))
            n += 1
        elif stripped == "[TOC]":
            runs.append(("toc_marker", n, n + 1))
            n += 1
        else:
            if runs and runs[-1][0] == "text" and runs[-1][2] == n:
                runs[-1] = ("text", runs[-1][1], n + 1)
            else:
                runs.append(("text", n, n + 1))
            n += 1
    for run_kind, a, b in runs:
        block = cut.new_block()
        start, end = cut.line_span(a, b)
        if a == span[0]:
            # skip the container's prefix (list marker, `> `) on the paragraph's first line
            offset, line = cut.line_text(a)
            trimmed = line.rstrip(" \t")
            if first_content and trimmed.endswith(first_content):
                start = offset + len(trimmed) - len(first_content)
            else:
                start = offset + len(line) - len(line.lstrip(" \t>*+-0123456789.)"))
        if run_kind == "text":
            cut.add_text(start, end, kind, block)
        elif run_kind == "image":
            offset, line = cut.line_text(a)
            m = _IMAGE_LINE.fullmatch(line)
            assert m is not None
            alt_start = offset + m.start("alt")
            cut.add_text(alt_start, offset + m.end("alt"), "image_alt", block)
            cut.add(offset + len(line) - len(line.lstrip()), alt_start, "markup", False, block)
            cut.add(offset + m.end("alt"), offset + len(line.rstrip()), "markup", False, block)
        else:
            cut.add(start, _strip_newline(cut.text, start, end), run_kind, False, block)


def _split_row(line: str) -> list[tuple[int, int]]:
    """Character ranges of a table row's cells (pipes inside backticks or escaped do not count)."""
    cells, start, in_code, i = [], 0, False, 0
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            in_code = not in_code
        elif ch == "|" and not in_code:
            cells.append((start, i))
            start = i + 1
        i += 1
    cells.append((start, len(line)))
    return cells


def _table(cut: _Cutter, span: list[int]) -> None:
    block = cut.new_block()
    for n in range(span[0], span[1]):
        offset, line = cut.line_text(n)
        if n == span[0] + 1 or not line.strip():  # the |---|---| delimiter row
            cut.add(offset, offset + len(line), "markup", False, block)
            continue
        for a, b in _split_row(line):
            cell = line[a:b]
            if _LETTER.search(cell) or any(is_cjk(c) for c in cell):
                cut.add_text(offset + a, offset + b, "table_cell", block)
            # a cell of numbers or symbols is shared: nothing to translate


def _fence(cut: _Cutter, span: list[int], info: str, markup: str) -> None:
    first, last = span
    _, closing = cut.line_text(last - 1)
    if last - first < 2 or not closing.strip().startswith(markup[:3]) or closing.strip().strip(markup[0]):
        raise WorkbenchError("code fence opened here is never closed; add a closing " + markup, cut.path, first + 1)
    block = cut.new_block()
    name = info.strip()
    kind = "toc" if name == "toc" else "eval_rst" if name == "eval_rst" else "code"
    cut.info[block] = name
    start, end = cut.line_span(first, last)
    end = _strip_newline(cut.text, start, end)
    if kind == "code" and "python" in name:
        # comments and docstrings are prose of their own; the code around them stays shared
        body_start, body_end = cut.line_span(first + 1, last - 1)
        pos = start
        for a, b, unit_kind in code_prose(cut.text[body_start:body_end]):
            cut.add(pos, body_start + a, "code", False, block)
            cut.add(body_start + a, body_start + b, unit_kind, True, block)
            pos = body_start + b
        start = pos
    cut.add(start, end, kind, False, block)


def code_prose(code: str) -> list[tuple[int, int, str]]:
    """Offsets of the prose in Python code: comment text and docstring text, in order.

    Comments that are d2l tool marks (#@tab, #@save) or hold no letter are code, not prose.
    """
    line_starts = [0] + [m.end() for m in re.finditer("\n", code)]
    out: list[tuple[int, int, str]] = []

    def at(row: int, col: int) -> int:
        return line_starts[row - 1] + col

    if "#" not in code and '"""' not in code and "'''" not in code:
        return out
    if '"' not in code and "'" not in code:  # no string can hide a '#': no need to tokenize
        for m in re.finditer(r"(?m)#.*$", code):
            _comment(m.group(0), m.start(), out)
        return _sentences(code, out)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        for line in re.finditer(r"(?m)^[ \t]*(#.*)$", code):  # whole-line comments are still prose
            _comment(line.group(1), line.start(1), out)
        return _sentences(code, out)
    previous = tokenize.NEWLINE
    for k, tok in enumerate(tokens):
        if tok.type == tokenize.COMMENT:
            _comment(tok.string, at(*tok.start), out)
        elif tok.type == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            nxt = next((t.type for t in tokens[k + 1 :] if t.type not in (tokenize.COMMENT, tokenize.NL)), None)
            quote = re.match(r"(?i)[rub]*('''|\"\"\")", tok.string)
            if quote and nxt in (tokenize.NEWLINE, tokenize.ENDMARKER):
                q = len(quote.group(0))
                start = at(*tok.start) + q
                end = at(*tok.end) - 3
                inner = code[start:end]
                lead = len(inner) - len(inner.lstrip())
                trail = len(inner) - len(inner.rstrip())
                if _has_words(inner) and lead + trail < len(inner):
                    out.append((start + lead, end - trail, "docstring"))
        if tok.type not in (tokenize.COMMENT, tokenize.NL):
            previous = tok.type
    return _sentences(code, out)


# A comment line ending like this ends its sentence; any other runs on into the next comment line.
_SENTENCE_END = re.compile(r"[.!?。！？…]\s*$")
_WHOLE_LINE_COMMENT = re.compile(r"[ \t]*#+[ \t]*")


def _sentences(code: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Comment lines that form one sentence as one span: a comment on a line of its own that does
    not end its sentence runs on into the comment on the next line, at the same indentation,
    so a comment wrapped over lines is one unit (its translation keeps its own line breaks)."""
    out: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if out and kind == "comment" and out[-1][2] == "comment":
            a, b, _ = out[-1]
            prev_line = code.rfind("\n", 0, a) + 1
            this_line = code.rfind("\n", 0, start) + 1
            prefix, prev_prefix = code[this_line:start], code[prev_line:a]
            if (code.count("\n", b, start) == 1 and not _SENTENCE_END.search(code[a:b])
                    and _WHOLE_LINE_COMMENT.fullmatch(prefix) and _WHOLE_LINE_COMMENT.fullmatch(prev_prefix)
                    and _indent(prefix) == _indent(prev_prefix) and not code[b:this_line].strip()):
                out[-1] = (a, end, kind)
                continue
        out.append((start, end, kind))
    return out


def _indent(prefix: str) -> str:
    return prefix[: len(prefix) - len(prefix.lstrip(" \t"))]


def _comment(comment: str, offset: int, out: list[tuple[int, int, str]]) -> None:
    if _CODE_MARK.match(comment) or comment.startswith("#!"):
        return
    body = comment.lstrip("#")
    text = body.strip()
    if not _has_words(text):
        return
    start = offset + len(comment) - len(body) + (len(body) - len(body.lstrip()))
    out.append((start, start + len(text), "comment"))


def _has_words(text: str) -> bool:
    """Prose has letters, Latin or Chinese; a comment of numbers or rules (`# ----`) has none."""
    return bool(_LETTER.search(text)) or any(is_cjk(c) for c in text)


def reassemble(units: list[Unit]) -> str:
    """The file the units came from."""
    return "".join(u.source for u in units)


#: The Chinese edition's own layout, told to `assemble` per translatable unit (by index into
#: doc.units; len(doc.units) stands for the file's end): the markup runs of the gap before the
#: unit (see `gap_runs`), and the indentation of its text's continuation lines. None: the English's.
Layout = Mapping[int, tuple[list[str] | None, str | None]]


def assemble(doc: Document, translate: Callable[[int, Unit], str | None],
             spans: dict[int, tuple[int, int]] | None = None, layout: Layout | None = None) -> str:
    """The document with translatable units replaced (`reassemble` gives back the English).

    `translate(index, unit)` returns the text for unit number `index` (an index into doc.units),
    None to keep the English, or "" to drop the unit together with the markup that leads
    up to it from the previous translatable unit (the tail of a pair covering several units).
    When `spans` is given, it receives for every translatable unit the (start, end) offsets of
    its text in the result (empty for a dropped tail), so a caller can find each unit again.
    `layout` puts the Chinese edition's blank lines, markers and indentation in place of the
    English's where it has them and they fit (`fill_gap`).
    """
    out: list[str] = []
    length = 0  # of "".join(out)
    source = doc.text  # joined once: fit() reads a comment's prefix from it
    shape = layout or {}
    for i, gap, unit, text in walk(doc, translate):
        runs, pad = shape.get(i, (None, None))
        piece = fill_gap(gap, runs)
        out.append(piece)
        length += len(piece)
        if unit is None:
            break
        if text == "":
            if spans is not None:
                spans[i] = (length, length)
            continue
        if text is None and unit.kind == Kind.LIST_ITEM and "\n" in unit.source:
            # an untranslated item shows its English as a translation of it would stand, so a
            # lazy continuation line is indented here already and a hand edit comes back exactly
            piece = fit(unfit(unit.source, unit, source), unit, source)
        else:
            piece = unit.source if text is None else fit(text, unit, source, pad)
        out.append(piece)
        if spans is not None:
            spans[i] = (length, length + len(piece))
        length += len(piece)
    return "".join(out)


def walk(doc: Document, translate: Callable[[int, Unit], str | None]
         ) -> Iterator[tuple[int, list[Unit], Unit | None, str | None]]:
    """The steps of `assemble`: (unit index, the shared units of the gap before it, the unit, its text)
    for every translatable unit, then (len(doc.units), the file's tail, None, None).

    A dropped tail ("" from `translate`) comes with an empty gap: its gap's markup is dropped,
    and its shared blocks (math, code between merged units) go into the next unit's gap.
    """
    pending: list[Unit] = []  # shared units since the last translatable unit
    for i, unit in enumerate(doc.units):
        if not unit.translatable:
            pending.append(unit)
            continue
        text = translate(i, unit)
        if text == "":
            # keep shared blocks between merged units, drop the markup that joined them
            pending = [p for p in pending if p.source.strip() and not _is_markup_only(p.source)]
            yield i, [], unit, text
            continue
        yield i, pending, unit, text
        pending = []
    yield len(doc.units), pending, None, None


def gap_runs(gap: list[Unit]) -> tuple[list[str], list[str]]:
    """A gap between two units of text cut into its markup runs and the shared blocks between
    them (code, math, directives...): k blocks stand between k + 1 runs, some maybe empty."""
    runs, shared = [""], []
    for u in gap:
        if u.kind == Kind.MARKUP:
            runs[-1] += u.source
        else:
            shared.append(u.source)
            runs.append("")
    return runs, shared


def layout_shape(run: str) -> str:
    """What a markup run means, whatever its layout: no whitespace, any bullet `*`, any number `1.`,
    no closing `#`s of a heading (they end the line the run starts on). Two runs of one shape
    differ only in what the Chinese edition may lay out its own way."""
    end_of_line, newline, rest = run.partition("\n")
    if newline:
        run = end_of_line.replace("#", "") + newline + rest
    return _NUMBER_MARK.sub("1.", _BULLET_MARK.sub("*", "".join(run.split())))


_BULLET_MARK = re.compile(r"[*+-]")
_NUMBER_MARK = re.compile(r"\d+([.)])")


def fill_gap(gap: list[Unit], runs: list[str] | None) -> str:
    """A gap as assembled: its markup runs replaced by `runs` (the Chinese edition's) when they have
    the same number and shape (`layout_shape`), else as the English has it."""
    english, shared = gap_runs(gap)
    if runs is None or len(runs) != len(english) or any(
            layout_shape(a) != layout_shape(b) for a, b in zip(runs, english, strict=True)):
        return "".join(u.source for u in gap)
    return runs[0] + "".join(s + r for s, r in zip(shared, runs[1:], strict=True))


def _is_markup_only(text: str) -> bool:
    return not text.strip(" \t\r\n*+->|#0123456789.)")


def fit(text: str, unit: Unit, source: str, pad: str | None = None) -> str:
    """Make a translation sit where the unit sat: one line for headings and cells, indented lines
    inside list items, a `# ` before every line of a code comment. `pad`: the indentation of
    continuation lines, when the Chinese edition has its own (default: the English's)."""
    text = text.strip()
    if one_line(unit.kind):
        return " ".join(text.split())
    if "\n" not in text:
        return text
    if unit.kind == Kind.COMMENT:
        prefix = source[unit.offset - unit.column : unit.offset]
        if prefix.strip() != "#":  # a comment after code: continue on lines of their own
            prefix = " " * (len(prefix) - len(prefix.lstrip())) + "# "
        lines = [line.strip() for line in text.split("\n")]
        # the first line follows the English comment's own `# `, which stays in the file
        return "\n".join([lines[0]] + [(prefix + line) if line else prefix.rstrip() for line in lines[1:]])
    if pad is None:
        pad = continuation_pad(unit, source)
    if pad:
        return "\n".join((pad + line) if (k and line) else line for k, line in enumerate(text.split("\n")))
    return text


def continuation_pad(unit: Unit, source: str) -> str:
    """What `fit` puts before the second and later lines of a unit's text: the column of a list
    item's text; for a docstring, the indentation of the line it starts on (Python's own)."""
    if unit.kind == Kind.DOCSTRING:
        line = source[unit.offset - unit.column : unit.offset]
        return line[: len(line) - len(line.lstrip(" \t"))]
    return " " * unit.column


def unfit(text: str, unit: Unit, source: str, pad: str | None = None) -> str:
    """The inverse of `fit`: the text to store for what a rendered file (`source`) holds where
    `unit` starts, so that `fit` puts back exactly `text`. Lines of a multi-line text lose the
    indentation `fit` adds (`pad`, when the pair keeps its own); a line indented less keeps what it has."""
    if "\n" not in text or one_line(unit.kind):
        return text
    if unit.kind == Kind.COMMENT:  # the `# ` that `fit` puts before each line after the first
        return re.sub(r"\n[ \t]*#+[ \t]?", "\n", text)
    if pad is None:
        pad = continuation_pad(unit, source)
    if not pad:
        return text
    lines = text.split("\n")
    return "\n".join([lines[0]] + [line.removeprefix(pad) for line in lines[1:]])
