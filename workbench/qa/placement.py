"""Where each translated pair's Chinese starts in zh/PATH.md, read from the render's own record.

Rendering notes where each pair's text lands (merge.render_base -> Base.spans, keyed by pair):
the merge base under .workbench/ is that record for the zh/PATH.md last written. A finding's line
is read from such a record, never by searching the output text.
"""

from __future__ import annotations

import copy

from ..merge import Base, merge, pair_id, render_base
from ..model import Document, WorkbenchError, one_line
from ..store import Catalog
from .model import Item


def place(doc: Document, catalog: Catalog, rel: str, zh_text: str | None, base: Base | None,
          stale: bool = False) -> list[Item]:
    """The translated pairs of en/`rel`, each with the line where its Chinese starts in zh/`rel`.

    `zh_text` is zh/PATH.md as on disk (None when missing) and `base` the recorded merge base.
    When zh/PATH.md is that render and every pair still holds the text rendered, the base says
    where each pair stands. Otherwise the pairs are rendered here as `workbench render` writes
    them, hand edits not yet taken back taken back into a copy of the pairs first, so the lines
    are those of the file a person opens. Stale pairs only with `stale` (a conflict always).
    """
    if zh_text is None or base is None or zh_text != base.text or not _as_rendered(catalog, base):
        catalog = _with_hand_edits(doc, catalog, rel, zh_text, base)
        base = render_base(doc, catalog)
    return items_at(base, catalog, rel, stale)


def _as_rendered(catalog: Catalog, base: Base) -> bool:
    """Every translated pair stands in the base with the Chinese it has now."""
    for pair in catalog.active:
        if pair.chinese:
            pid = pair_id(pair)
            if pid not in base.spans or base.rendered.get(pid) != pair.chinese:
                return False
    return True


def _with_hand_edits(doc: Document, catalog: Catalog, rel: str, zh_text: str | None, base: Base | None) -> Catalog:
    """The pairs with the hand edits of zh/PATH.md taken back, in a copy (the catalog itself if none)."""
    if zh_text is None:
        return catalog
    trial = copy.deepcopy(catalog)
    try:
        if merge(zh_text, f"zh/{rel}", doc, trial, base).taken_back:
            return trial
    except WorkbenchError:
        pass  # the edit cannot be placed: check the pairs as stored
    return catalog


def items_at(rendered: Base, catalog: Catalog, rel: str, stale: bool = False) -> list[Item]:
    """The translated pairs of `catalog` that stand in `rendered`, placed, in the order of zh/PATH.md."""
    text = rendered.text
    spots = []
    for pair in catalog.active:
        where = rendered.spans.get(pair_id(pair))
        if not pair.chinese or where is None:
            continue
        if pair.stale and not stale and not pair.conflict:  # a conflict is always shown
            continue
        spots.append((where[0], pair))
    spots.sort(key=lambda s: s[0])
    return [Item(pair, pair.english, pair.chinese, f"zh/{rel}", text.count("\n", 0, start) + 1,
                 f"en/{rel}", pair.line, one_line(pair.kind)) for start, pair in spots]
