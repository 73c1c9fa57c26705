"""The glossary file (glossary/glossary.tsv): terms, their statuses, reading and writing it.

One tab-separated line per term keeps the file diff-friendly and readable in any editor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import files
from ..model import WorkbenchError
from .matcher import term_key

#: Review statuses, in the order a term passes through them.
STATUSES = ("approved", "proposed", "rejected", "forbidden")
HEADER = "english\tchinese\tstatus\tnote"
#: Where a book keeps its glossary, relative to the book.
GLOSSARY_FILE = Path("glossary") / "glossary.tsv"
DEFAULT_COMMENTS = [
    "# workbench glossary: one term per line, tab-separated; status is approved, proposed, rejected or forbidden",
    "# (a forbidden line names a Chinese variant that must not be used for the English term).",
]


@dataclass(slots=True)
class Term:
    """One glossary line."""

    english: str
    """The English term as written (singular, lower case unless a name)."""
    chinese: str
    """Its Chinese: the approved translation, a proposal, or (forbidden) a variant not to use."""
    status: str = "approved"
    """approved, proposed, rejected or forbidden."""
    note: str = ""
    """Free text: where the term came from, why a variant is forbidden."""
    line: int = 0
    """1-based line in the glossary file (0 for a term not yet saved)."""
    comments: list[str] = field(default_factory=list)
    """'#' lines that stood right before this term in the file, kept on save."""

    @property
    def key(self) -> str:
        """The English folded for matching: case, plurals and hyphens do not count."""
        return term_key(self.english)


@dataclass(slots=True)
class Glossary:
    """All terms of a book's glossary, in file order."""

    terms: list[Term] = field(default_factory=list)
    """The lines of the file."""
    comments: list[str] = field(default_factory=lambda: list(DEFAULT_COMMENTS))
    """'#' lines before the header line."""
    trailing: list[str] = field(default_factory=list)
    """'#' lines after the last term."""

    def with_status(self, *statuses: str) -> list[Term]:
        """The terms whose status is one of `statuses`."""
        return [t for t in self.terms if t.status in statuses]

    def find(self, english: str, chinese: str | None = None) -> list[Term]:
        """Terms for this English (folded), optionally with this Chinese."""
        key = term_key(english)
        return [t for t in self.terms if t.key == key and (chinese is None or t.chinese == chinese)]

    def add(self, term: Term) -> str:
        """Add a term unless present; says what happened: added, kept, or conflict (added as proposed).

        An incoming approved term whose English already has another approved Chinese, or whose
        Chinese is a forbidden variant here, does not overrule the glossary: it becomes a proposal
        for a reviewer to settle.
        """
        same = self.find(term.english, term.chinese)
        if same:
            return "kept"
        others = self.find(term.english)
        # alternatives given on one source line ("实例/示例") are both approved
        if term.status == "approved" and any(
            t.status == "approved" and not (t.note and t.note == term.note) for t in others
        ):
            term.status = "proposed"
            term.note = _join_note(term.note, "conflicts with the approved " + "/".join(
                t.chinese for t in others if t.status == "approved"))
            self.terms.append(term)
            return "conflict"
        self.terms.append(term)
        return "added"


def term_problem(t: Term) -> str | None:
    """Why a term cannot go into glossary.tsv (one line per term, tab-separated), or None."""
    if not t.english.strip() or not t.chinese.strip():
        return "a term needs both its English and its Chinese"
    for value in (t.english, t.chinese, t.note):
        if files.has_control(value):
            return "a tab, line break or control character cannot be saved in a term"
    return None


def _join_note(a: str, b: str) -> str:
    return f"{a}; {b}" if a and b else a or b


# ---------------------------------------------------------------------------------------------
# The glossary file


def parse(text: str, path: str = "glossary/glossary.tsv") -> Glossary:
    """Read glossary.tsv; a malformed line is an error naming the file and line."""
    g = Glossary(comments=[])
    pending: list[str] = []
    seen_header = False
    seen: dict[tuple[str, str], int] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if line.startswith("#"):
            (pending if seen_header else g.comments).append(line)
            continue
        if not seen_header:
            if line.split("\t")[:2] != ["english", "chinese"]:
                raise WorkbenchError(f"expected the header line {HEADER!r} before the first term", path, n)
            seen_header = True
            continue
        cols = line.split("\t")
        if len(cols) < 2 or len(cols) > 4:
            raise WorkbenchError(
                f"expected 2 to 4 tab-separated columns (english, chinese, status, note), found {len(cols)}", path, n)
        english, chinese = cols[0].strip(), cols[1].strip()
        status = cols[2].strip() if len(cols) > 2 and cols[2].strip() else "approved"
        note = cols[3].strip() if len(cols) > 3 else ""
        if not english or not chinese:
            raise WorkbenchError("a term needs both its English and its Chinese", path, n)
        if status not in STATUSES:
            raise WorkbenchError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}", path, n)
        k = (term_key(english), chinese)
        if k in seen:
            raise WorkbenchError(f"the same term as line {seen[k]}; remove one of the two lines", path, n)
        seen[k] = n
        g.terms.append(Term(english, chinese, status, note, n, pending))
        pending = []
    g.trailing = pending
    return g


def dump(g: Glossary) -> str:
    """The text of glossary.tsv; dump(parse(t)) == t for a file written here."""
    out = list(g.comments) + [HEADER]
    for t in g.terms:
        out.extend(t.comments)
        problem = term_problem(t)
        if problem:
            raise WorkbenchError(f"{problem}: {t.english!r} -> {t.chinese!r}", GLOSSARY_FILE.as_posix())
        out.append("\t".join([t.english, t.chinese, t.status, t.note]))
    out.extend(g.trailing)
    return "\n".join(out) + "\n"


def glossary_path(root: Path | str) -> Path:
    """glossary/glossary.tsv of the book at `root`."""
    return Path(root) / GLOSSARY_FILE


def load(root: Path | str) -> Glossary:
    """The book's glossary; an empty one when the book has none yet."""
    path = glossary_path(root)
    if not path.is_file():
        return Glossary()
    return parse(files.read_text(path, GLOSSARY_FILE.as_posix()), GLOSSARY_FILE.as_posix())


def save(root: Path | str, g: Glossary, dry_run: bool = False) -> bool:
    """Write glossary.tsv atomically (call under the book's lock); True when it changed."""
    path = glossary_path(root)
    text = dump(g)
    old = files.read_text(path) if path.is_file() else None
    if text == old:
        return False
    if not dry_run:
        files.write_atomic(path, text, GLOSSARY_FILE.as_posix())
    return True
