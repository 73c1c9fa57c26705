"""A book opened for translating (what the TUI works on, without any UI): files, pairs, edits and
saves (translating.py), the glossary (terms.py), QA findings (findings.py), and what a translator
works through, one filter each (filters.py)."""

from .filters import BY_ID, FILTERS, NEEDS_WORK, Filter
from .findings import Findings
from .terms import Example, Terms
from .translating import FileProgress, Session

__all__ = ["BY_ID", "FILTERS", "NEEDS_WORK", "Example", "FileProgress", "Filter", "Findings", "Session", "Terms"]
