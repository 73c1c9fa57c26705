"""d2l Markdown as HTML for the HTML edition: markdown-it-py (the parser the workbench segments
with), math kept as TeX, code highlighted by Pygments, images embedded or named.

Nothing a page shows is fetched when it is viewed: raw HTML in the source is shown as text,
a local image is embedded as a data: URL, any other image is replaced by its description.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from ..qa import REFERENCE_ROLES

# d2l's reference roles (:numref:`x`, :cite:`x`) as markdown-it renders them: shown as a reference
_ROLE = re.compile(rf":({'|'.join(REFERENCE_ROLES)}):<code>([^<]*)</code>")
#: Images larger than this are named, not embedded (a page stays a reasonable size).
EMBED_LIMIT = 2_000_000


def _lexer_name(info: str) -> str:
    """`{.python .input}` -> python; `python` -> python."""
    words = re.findall(r"[A-Za-z0-9_+-]+", info)
    if "python" in words:
        return "python"
    return words[0] if words else ""


def _highlight(code: str, lang: str, _attrs: str) -> str:
    name = _lexer_name(lang)
    if not name:
        return ""
    try:
        lexer = get_lexer_by_name(name)
    except ClassNotFound:
        return ""  # markdown-it escapes the code itself
    return highlight(code, lexer, HtmlFormatter(nowrap=True))


def code_style() -> str:
    """The CSS of highlighted code (Pygments' default colours), for the page's own <style>."""
    return str(HtmlFormatter().get_style_defs("pre code"))


class Markup:
    """Renders the Markdown of one English file's pages; images resolve against its folder."""

    def __init__(self, book_root: Path, english_file: Path) -> None:
        self.root = book_root.resolve()
        self.folder = english_file.parent
        self.md = MarkdownIt("commonmark", {"html": False, "highlight": _highlight}).enable("table")
        self.md.use(dollarmath_plugin, double_inline=True)
        self.md.add_render_rule("image", lambda _renderer, tokens, idx, options, env: self._image(tokens, idx, options, env))
        self._embedded: dict[str, str | None] = {}

    def html(self, markdown: str) -> str:
        """The HTML of a piece of Markdown."""
        return _ROLE.sub(_role, self.md.render(markdown))

    def _image(self, tokens: Sequence[Token], idx: int, _options: Any, _env: Any) -> str:
        token = tokens[idx]
        src = str(token.attrGet("src") or "")
        alt = token.content  # the alt text as written
        data = self._data_url(src)
        if data is None:
            return f'<span class="image-missing" title="{escape(src)}">[图 image: {escape(alt)}]</span>'
        return f'<img src="{data}" alt="{escape(alt)}">'

    def _data_url(self, src: str) -> str | None:
        """A local image of the book as a data: URL; None for a remote or missing one, and for
        anything not an image or in a hidden folder (.git/config, the book's PO files...: a
        Markdown image must not carry them into a page that is shared)."""
        if src in self._embedded:
            return self._embedded[src]
        url = None
        if src and ":" not in src.split("/")[0]:
            path = (self.folder / src).resolve()
            inside = self.root in path.parents
            hidden = inside and any(part.startswith(".") for part in path.relative_to(self.root).parts)
            kind = mimetypes.guess_type(path.name)[0] or ""
            if inside and not hidden and kind.startswith("image/") and path.is_file() \
                    and path.stat().st_size <= EMBED_LIMIT:
                url = f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
        self._embedded[src] = url
        return url


def _role(m: re.Match[str]) -> str:
    return f'<span class="role {m.group(1)}">{m.group(2)}</span>'
