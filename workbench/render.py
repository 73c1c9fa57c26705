"""The Chinese edition: zh/PATH.md rendered from the English skeleton and the pairs, and hand
edits of zh/PATH.md taken back into the pairs instead of being overwritten."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass

from .markdown import render as render_units
from .markdown import segment
from .model import GROUP_SEPARATOR, Document, Pair, WorkbenchError, normalize
from .store import Catalog, match, translations


def render(doc: Document, catalog: Catalog) -> str:
    """zh/PATH.md: every translatable unit replaced by its Chinese; untranslated ones keep the English."""
    text = translations(doc, match(doc, catalog))
    return render_units(doc, lambda i, _u: text.get(i))


def fingerprint(text: str) -> str:
    """What the PO header remembers of the last render, to notice a hand edit."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def edited_by_hand(zh_text: str | None, catalog: Catalog) -> bool:
    """True when zh/PATH.md is not the file the workbench rendered last."""
    return zh_text is not None and bool(catalog.rendered) and fingerprint(zh_text) != catalog.rendered


@dataclass(slots=True)
class TakenBack:
    """A hand edit of zh/PATH.md that went into a pair."""

    pair: Pair
    """The pair that received the edit."""
    before: str
    """Its Chinese before."""
    after: str
    """The Chinese found in zh/PATH.md."""
    line: int
    """1-based line of the edit in zh/PATH.md."""


def take_back(zh_text: str, catalog: Catalog, zh_path: str) -> list[TakenBack]:
    """Find hand edits in zh/PATH.md and write them into the catalog's pairs.

    The file is compared with what the pairs rendered last, without the English: the units of
    zh/PATH.md are aligned with the pairs in order, unchanged ones anchor the alignment, and
    each changed unit between two anchors goes into the one pair between them. An edit that
    adds or removes paragraphs has no pair to go into: it is refused with its line, and
    nothing is written.
    """
    zh = segment(zh_text, zh_path)
    found = [u for u in zh.translatable]
    # what the last render put in zh/PATH.md, one item per rendered unit
    expected: list[tuple[Pair, str]] = []
    for p in catalog.active:
        if p.chinese:
            expected.append((p, normalize(p.chinese)))
        else:
            expected.extend((p, key) for key in p.keys)
    a = [text for _, text in expected]
    b = [u.key for u in found]
    changes: list[TakenBack] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        line = found[j1].start if j1 < len(found) else (found[-1].end if found else 1)
        if op == "replace" and (i2 - i1 == 1 or i2 - i1 == j2 - j1):
            if i2 - i1 == 1:  # one pair, its Chinese now in one or more paragraphs
                groups = [(expected[i1][0], found[j1:j2])]
            else:
                groups = [(expected[i1 + k][0], [found[j1 + k]]) for k in range(i2 - i1)]
            for pair, units in groups:
                new = GROUP_SEPARATOR.join(u.source.strip() for u in units)
                if normalize(new) == normalize(pair.chinese) or (not pair.chinese and normalize(new) == normalize(pair.english)):
                    continue
                if not pair.chinese and len(pair.keys) > 1:
                    raise WorkbenchError(
                        "hand edit inside an untranslated group of paragraphs; translate it in the PO file instead",
                        zh_path, units[0].start)
                changes.append(TakenBack(pair, pair.chinese, new, units[0].start))
            continue
        what = "adds text" if op == "insert" else "removes text" if op == "delete" else "adds or removes paragraphs"
        raise WorkbenchError(
            f"hand edit {what} that no English paragraph matches, so it cannot be taken back into "
            f"{catalog.source.replace('en/', 'zh/', 1).removesuffix('.md')}.po; "
            "edit the translation there (or undo the edit) and render again",
            zh_path,
            line,
        )
    for c in changes:
        c.pair.chinese = c.after
    return changes
