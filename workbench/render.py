"""The Chinese edition: zh/PATH.md rendered from the English skeleton and the pairs.

Hand edits of zh/PATH.md are merged back into the pairs by merge.py, against what was rendered
last (the merge base under .workbench/); this module only renders.
"""

from __future__ import annotations

import hashlib

from . import layout
from .markdown import assemble
from .model import Document
from .store import Catalog, match, translations


def render(doc: Document, catalog: Catalog) -> str:
    """zh/PATH.md: every translatable unit replaced by its Chinese; untranslated ones keep the English.
    The Chinese edition's own layout, where the pairs keep one, stands in place of the English's."""
    matches = match(doc, catalog)
    text = translations(doc, matches)
    return assemble(doc, lambda i, _u: text.get(i), layout=layout.of(doc, matches))


def fingerprint(text: str) -> str:
    """The hash older PO files keep of their last render (`X-Workbench-Rendered`), still read:
    a zh/PATH.md that matches it holds no hand edit."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
