"""Checks of a pair's blocks and characters: a translation that would change the blocks of
zh/*.md, a conflict left between the PO and zh/*.md, and stray text (conflict markers, broken
characters, PO syntax, to-do marks)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..structure import problem as structure_problem
from .model import Facts, Item, Problem, Severity


def check_structure(item: Item, facts: Facts) -> Iterator[Problem]:
    """A translation that would change the blocks of zh/*.md (a fence, heading, list item, directive
    line...; the rule is structure.problem), and a conflict left between the PO and zh/*.md."""
    found = structure_problem(item.chinese, item.pair.kind)
    if found:
        at = sum(len(line) + 1 for line in item.chinese.split("\n")[: found[0]])
        yield Problem(Severity.ERROR, f"the translation {found[1]}; render, sync and save refuse it: fix the msgstr", at)
    if item.pair.conflict:
        yield Problem(Severity.ERROR, "conflict: two edits of this unit met (in the PO and by hand in zh/*.md, or on "
                               "two git branches; the CONFLICT note holds the other text); choose a text, "
                               "then delete the CONFLICT note and the fuzzy flag")


_JUNK = (
    (re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.M), "a merge conflict marker"),
    (re.compile("\ufffd"), "a replacement character (\ufffd): the text was decoded wrongly"),
    (re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]"), "a control character"),
    (re.compile(r"\u200b|\u200c|\u200d|\u2060"), "a zero-width character"),
    (re.compile(r"^\s*(?:msgid|msgstr|msgctxt) \"", re.M), "PO syntax"),
    (re.compile(r"(?i)\b(?:TODO|FIXME|XXX)\b"), "a to-do mark"),
)


def check_stray_text(item: Item, facts: Facts) -> Iterator[Problem]:
    """Text that should not be in a book: conflict markers, broken characters, PO syntax, to-do marks."""
    for pattern, what in _JUNK:
        m = pattern.search(item.chinese)
        if m and not pattern.search(item.english):
            yield Problem(Severity.ERROR, f"the Chinese contains {what}", m.start())

