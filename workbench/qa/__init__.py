"""Translation checks: what a translation must keep from its English, and d2l-zh's style.

Each check is a plain function `check(item, facts) -> Iterable[Problem]`, listed in order in
runner.CHECKS (like markdown-it's rule lists). An item is one translated pair, with where its
Chinese lands in zh/PATH.md (placement.py, from the render's record of where each pair
landed); facts are what the whole book knows (its labels and citation keys). The checks know
d2l's roles (:numref:, :cite:, :eqref:, :ref:) and Chinese punctuation, so full-width brackets
and punctuation are never taken for damage.

qa works on given documents and pairs only; checking.py runs it over a book.
"""

from .inline import Inline, Span, inline
from .model import SEVERITIES, Check, CheckFn, Facts, Finding, Item, Problem
from .placement import items_at, place
from .roles import ALL_ROLES, REFERENCE_ROLES, broken_roles
from .runner import CHECKS, english_facts, median_ratio, run

__all__ = [
    "ALL_ROLES", "CHECKS", "REFERENCE_ROLES", "SEVERITIES", "Check", "CheckFn", "Facts", "Finding", "Inline",
    "Item", "Problem", "Span", "broken_roles", "english_facts", "inline", "items_at", "median_ratio", "place",
    "run",
]
