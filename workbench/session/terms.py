"""The glossary (workbench/glossary/) while translating: the terms that apply to a pair's English,
where they occur, example pairs of a term, and review edits written at once.

No matching of its own: everything comes from the glossary package, which may be absent from
an install (the glossary pane then says so and stays empty).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..book import Book
from ..model import Pair, WorkbenchError

try:
    from .. import glossary as _glossary
except ImportError:  # an install without the glossary module
    _glossary = None  # type: ignore[assignment]

Term = Any  # glossary.Term: english, chinese, status, note, line

#: Review statuses a term can be given, in glossary.py's order.
STATUSES: tuple[str, ...] = tuple(getattr(_glossary, "STATUSES", ("approved", "proposed", "rejected", "forbidden")))


@dataclass(slots=True)
class Example:
    """A pair of the book whose English uses a term."""

    rel: str
    index: int
    pair: Pair


class Terms:
    """The book's glossary: the terms, which apply to an English text, and edits saved at once.

    Every edit re-reads glossary.tsv under the book's lock and applies the change to what is on
    disk, so a `workbench glossary` run in another terminal is never overwritten.
    """

    def __init__(self, book: Book) -> None:
        self.book = book
        self.terms: list[Term] = []
        self.note = ""
        self._matcher: Any = None
        self._lock = threading.Lock()
        self.load()

    @property
    def available(self) -> bool:
        """True when the glossary module is installed and the file could be read."""
        return _glossary is not None and not self.note

    def load(self) -> None:
        """Read glossary/glossary.tsv again."""
        if _glossary is None:
            self.note = "no glossary module (workbench/glossary.py) in this install"
            return
        try:
            g = _glossary.load(self.book.root)
        except WorkbenchError as e:
            self.note = f"cannot read the glossary: {e}"
            return
        self.note = ""
        self._set(g)

    def _set(self, g: Any) -> None:
        with self._lock:
            self.terms = list(g.terms)
            self._matcher = _glossary.TermMatcher(t.key for t in self.terms if t.status != "rejected")

    def applying(self, english: str) -> list[Term]:
        """Glossary entries whose English term occurs in the text (rejected ones left out)."""
        if self._matcher is None:
            return []
        keys: list[str] = []
        for hit in self._matcher.find(english):
            if hit.key not in keys:
                keys.append(hit.key)
        by_key: dict[str, list[Term]] = defaultdict(list)
        for t in self.terms:
            if t.status != "rejected":
                by_key[t.key].append(t)
        order = {s: i for i, s in enumerate(STATUSES)}
        return [t for k in keys for t in sorted(by_key[k], key=lambda t: order.get(t.status, 9))]

    def spans(self, english: str) -> list[tuple[int, int]]:
        """Where glossary terms occur in the English (offsets), for highlighting."""
        if self._matcher is None:
            return []
        return [(h.start, h.end) for h in self._matcher.find(english)]

    # -- edits -----------------------------------------------------------------------------

    def _edit(self, change: Callable[[Any], str]) -> str:
        if _glossary is None:
            raise WorkbenchError("no glossary module (workbench/glossary.py) in this install")
        with self.book.lock("workbench tui glossary"):
            g = _glossary.load(self.book.root)
            said = change(g)
            _glossary.save(self.book.root, g)
        self._set(g)
        return said

    @staticmethod
    def _same(g: Any, term: Term) -> Term:
        for t in g.terms:
            if t.key == term.key and t.chinese == term.chinese:
                return t
        raise WorkbenchError(f"the term {term.english!r} = {term.chinese!r} is no longer in the glossary (edited elsewhere?)",
                             "glossary/glossary.tsv")

    def set_status(self, term: Term, status: str) -> None:
        """Approve, reject or forbid a term (and write the file)."""
        if status not in STATUSES:
            raise WorkbenchError(f"unknown status {status!r}")

        def change(g: Any) -> str:
            self._same(g, term).status = status
            return status
        self._edit(change)

    def update(self, term: Term, english: str, chinese: str, note: str) -> None:
        """Change a term's English, Chinese or note (and write the file)."""
        english, chinese, note = english.strip(), chinese.strip(), note.strip()
        if not english or not chinese:
            raise WorkbenchError("a term needs both its English and its Chinese")

        def change(g: Any) -> str:
            t = self._same(g, term)
            clash = [o for o in g.find(english, chinese) if o is not t]
            if clash:
                raise WorkbenchError(f"{english!r} = {chinese!r} is already in the glossary", "glossary/glossary.tsv",
                                     clash[0].line)
            t.english, t.chinese, t.note = english, chinese, note
            return "edited"
        self._edit(change)

    def add(self, english: str, chinese: str, note: str = "", status: str = "proposed") -> str:
        """Add a term (proposed unless said otherwise); returns added, kept or conflict."""
        english, chinese, note = english.strip(), chinese.strip(), note.strip()
        if not english or not chinese:
            raise WorkbenchError("a term needs both its English and its Chinese")
        return self._edit(lambda g: g.add(_glossary.Term(english, chinese, status, note)))

    def find(self, english: str, chinese: str) -> Term | None:
        """The term with this English (folded) and Chinese, if the glossary has it."""
        key = _glossary.term_key(english) if _glossary else english
        return next((t for t in self.terms if t.key == key and t.chinese == chinese), None)

    def examples(self, term: Term, pairs: Callable[[], list[tuple[str, list[Pair]]]], limit: int = 3) -> list[Example]:
        """Pairs of the book whose English uses the term, translated ones first."""
        if _glossary is None:
            return []
        matcher = _glossary.TermMatcher([term.key])
        found: list[Example] = []
        untranslated: list[Example] = []
        for rel, file_pairs in pairs():
            for i, p in enumerate(file_pairs):
                if term.english.split()[0].lower()[:4] not in p.english.lower():
                    continue  # cheap filter before the matcher
                if matcher.find(p.english):
                    (found if p.chinese else untranslated).append(Example(rel, i, p))
                    if len(found) >= limit:
                        return found
        return (found + untranslated)[:limit]
