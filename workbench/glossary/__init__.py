"""The shared glossary: English term, Chinese term, review status, note (glossary/glossary.tsv).

One concern a module: file.py (the glossary file), formats.py (other glossaries, one table of
importers and exporters), matcher.py (English terms in text), uses.py (a term's uses in the
pairs), evidence.py (the book's Chinese as evidence), check.py (the term check), misses.py
(what a pair has instead of a term's translation), discovery.py (terms the book suggests).

The names below are the glossary's public face, as the CLI, the TUI and the import use them.
"""

from __future__ import annotations

from ..progress import SEVERITIES
from .check import TermFinding, check_terms
from .discovery import Proposal, extract
from .evidence import has_cjk
from .file import GLOSSARY_FILE, STATUSES, Glossary, Term, dump, glossary_path, load, parse, save, term_problem
from .formats import EXPORTERS, FORMATS, parse_csv, parse_tabbed, parse_tbx, parse_terminology, read_foreign
from .matcher import TermMatcher, term_key
from .uses import ExtractItem, TextPair

__all__ = [
    "EXPORTERS", "FORMATS", "GLOSSARY_FILE", "SEVERITIES", "STATUSES", "ExtractItem", "Glossary", "Proposal",
    "Term", "TermFinding", "TermMatcher", "TextPair", "check_terms", "dump", "extract", "glossary_path",
    "has_cjk", "load", "parse", "parse_csv", "parse_tabbed", "parse_tbx", "parse_terminology", "read_foreign",
    "save", "term_key", "term_problem",
]
