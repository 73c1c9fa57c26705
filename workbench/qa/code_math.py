"""What a translation carries over as it is: the English's inline code and inline math."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ..model import CHINESE, in_code
from .model import Facts, Item, Problem, Severity


def check_inline_code(item: Item, facts: Facts) -> Iterator[Problem]:
    """Inline code of the English kept in the Chinese; no Chinese prose put in backticks."""
    if item.mismatched:
        return
    en = Counter(item.en.values("code"))
    zh_spans = [s for s in item.zh.spans if s.kind == "code"]
    missing = en - Counter(s.value for s in zh_spans)
    extra = Counter(s.value for s in zh_spans) - en
    # a code span holding Chinese stands for a missing English one (a translated comment in
    # backticks); one with no English span to stand for is prose put in backticks
    cjk = [s for s in zh_spans if extra[s.value] > 0 and _has_cjk(s.value)]
    for s in cjk[sum(missing.values()):]:
        hint = " (the English marks it with emphasis *...*, not code)" if "*" in item.english else ""
        yield Problem(Severity.ERROR, f"Chinese text in a code span: {item.chinese[s.start:s.end]}{hint}", s.start)
    kept = {s.value for s in zh_spans}
    for code in missing:
        if code in kept:
            continue  # kept at least once: a translation may say it fewer times
        bare = re.search(r"(?<![A-Za-z0-9_])" + r"\s*".join(map(re.escape, code)) + r"(?![A-Za-z0-9_])", item.zh.prose)
        if bare:
            yield Problem(Severity.WARNING, f"inline code `{code}` lost its backticks", bare.start())
        elif not cjk and not in_code(item.pair.kind):
            # code comments are cut line by line, and their lines do not always pair up
            yield Problem(Severity.WARNING, f"missing inline code `{code}`")


def _has_cjk(text: str) -> bool:
    return bool(CHINESE.search(text))


def check_math(item: Item, facts: Facts) -> Iterator[Problem]:
    """Inline math of the English kept in the Chinese."""
    if item.mismatched:
        return
    en = Counter(item.en.values("math"))
    zh = Counter(item.zh.values("math"))
    zh_all = "".join(zh)
    for tex in en:
        if tex in zh or tex in zh_all:
            continue  # kept, maybe fewer times, maybe inside a longer formula
        pieces = [x for x in re.split(r"\\text\{[^}]*\}|,|\\quad|\\text\{and\}", tex) if x]
        if len(pieces) > 1 and all(x in zh_all for x in pieces):
            continue  # one English formula written as several in the Chinese
        if re.fullmatch(r"-?[\d.]+", tex) and re.search(rf"(?<![\d.]){re.escape(tex)}(?![\d.])", item.chinese):
            continue  # $4$ written as 4
        yield Problem(Severity.WARNING, f"missing inline math ${tex}$")

