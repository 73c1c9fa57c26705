"""The checks in the order they run and report (one list, like markdown-it's rule lists), and
running them over placed items."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable

from ..model import WorkbenchError
from . import code_math, completeness, links_numbers, roles, structure, style
from .completeness import en_size, zh_size
from .model import Check, Facts, Finding, Item

#: The checks, in the order they run and report: (name, function), every function
#: `check(item, facts) -> Iterable[Problem]`, its docstring's first line saying what it finds.
CHECKS: list[Check] = [
    Check("structure", structure.check_structure),
    Check("directive-syntax", roles.check_directive_syntax),
    Check("references", roles.check_references),
    Check("inline-code", code_math.check_inline_code),
    Check("math", code_math.check_math),
    Check("links", links_numbers.check_links),
    Check("numbers", links_numbers.check_numbers),
    Check("markup", links_numbers.check_markup),
    Check("stray-text", structure.check_stray_text),
    Check("spacing", style.check_spacing),
    Check("role-space", style.check_role_space),
    Check("punctuation-space", style.check_punctuation_space),
    Check("quotes", style.check_quotes),
    Check("mismatch", completeness.check_mismatch),
    Check("length", completeness.check_length),
    Check("untranslated", completeness.check_untranslated),
]


def english_facts(english: Iterable[str]) -> Facts:
    """Labels and role targets of the given English texts (every en/*.md of a book)."""
    facts = Facts()
    for text in english:
        for m in re.finditer(r":(label|eqlabel):`([^`]+)`", text):
            facts.labels.add(m.group(2).strip())
        for m in re.finditer(r":(numref|eqref|ref|cite):`([^`]+)`", text):
            facts.targets.add(m.group(2).replace(" ", ""))
            if m.group(1) == "cite":
                facts.targets.update(k.strip() for k in m.group(2).split(","))
    return facts


def median_ratio(items: list[Item]) -> float:
    """Chinese characters per English word, the median over pairs of 20 words or more."""
    ratios = [zh_size(it) / w for it in items if (w := en_size(it)) >= 20]
    return statistics.median(ratios) if len(ratios) >= 20 else 1.6


def run(items: list[Item], facts: Facts, only: Iterable[str] | None = None) -> list[Finding]:
    """Run the checks of CHECKS (or the ones named) over the items, in book order."""
    names = set(only) if only else None
    if names:
        unknown = names - {c.name for c in CHECKS}
        if unknown:
            raise WorkbenchError(f"no such check: {', '.join(sorted(unknown))}; "
                                 f"the checks are {', '.join(c.name for c in CHECKS)}")
    checks = [c for c in CHECKS if names is None or c.name in names]
    out: list[Finding] = []
    for item in items:
        for c in checks:
            for p in c.fn(item, facts):
                line = item.line if p.english_side else item.zh_line(p.at)
                out.append(Finding(c.name, p.severity, item.file, line, item.en_file, item.en_line, p.message,
                                   item.pair.english, item.pair.context))
    return out
