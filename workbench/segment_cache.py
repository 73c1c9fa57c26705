"""Each English file's segmentation remembered between runs (.workbench/segments/PATH.md.json), so
that `status`, `diff`, `check` and the TUI read a 180-file book without segmenting it again.

Only a cache, keyed by the English text's hash and the segmenter's code: a missing, damaged or
foreign entry is ignored and the file is segmented anew. JSON, never pickle: a book's files may
come from anyone. The units are stored without their text (each one's length; the text is the
English file itself), so an entry that does not add up to its file is refused.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from . import files, markdown, model
from .model import Document, Kind, Unit

#: .workbench/FOLDER/PATH.md.json
FOLDER = "segments"
_KINDS = frozenset(k.value for k in Kind)


@functools.cache
def _code() -> str:
    return files.code_version(markdown, model)


def name(rel: str) -> str:
    """The entry's name under .workbench/."""
    return f"{FOLDER}/{rel}.json"


def dump(doc: Document, digest: str) -> str:
    """The entry for `doc`, the segmentation of the English text whose hash is `digest`."""
    units = [[u.kind, u.translatable, u.start, u.end, len(u.source), u.block, u.column] for u in doc.units]
    return json.dumps({"code": _code(), "digest": digest, "units": units, "info": doc.info},
                      ensure_ascii=False, separators=(",", ":"))


def load(entry: str | None, text: str, digest: str, path: str) -> Document | None:
    """The Document an entry remembers for `text` (hash `digest`), named `path`; None when there is
    no entry, or it is of other text, other code, or damaged."""
    try:
        data: Any = json.loads(entry or "")
        if data.get("code") != _code() or data.get("digest") != digest:
            return None
        units, at = [], 0
        for kind, translatable, start, end, size, block, column in data["units"]:
            if kind not in _KINDS or not all(type(n) is int for n in (start, end, size, block, column)) \
                    or size < 0 or type(translatable) is not bool:
                return None
            units.append(Unit(kind, translatable, start, end, text[at:at + size], block, column, at))
            at += size
        info = {int(k): v for k, v in data["info"].items() if isinstance(v, str)}
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return Document(path, units, info) if at == len(text) else None
