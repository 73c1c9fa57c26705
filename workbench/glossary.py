"""The shared glossary: English term, Chinese term, review status, note (glossary/glossary.tsv).

One tab-separated line per term keeps the file diff-friendly and readable in any editor. A
term's English is matched in text with case, plurals and hyphenation folded (tensor/tensors,
mini-batch/minibatch), longest term first (stochastic gradient descent before gradient descent).
Also here: import of d2l-zh's TERMINOLOGY.md and of OmegaT/Weblate glossaries, export to TBX,
CSV and TSV, the term check over translated pairs, and term discovery (proposals).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from . import files
from .model import WorkbenchError, is_cjk

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
        for value in (t.english, t.chinese, t.note):
            if "\t" in value or "\n" in value:
                raise WorkbenchError(f"a tab or line break in the term {t.english!r} cannot be saved")
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
        files.write_atomic(path, text)
    return True


# ---------------------------------------------------------------------------------------------
# Import


_TERMINOLOGY_LINE = re.compile(r"^\s*(?P<zh>[^，,#\s][^，]*?)\s*，\s*(?P<en>[A-Za-z].*?)\s*$")
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")


def parse_terminology(text: str, path: str = "TERMINOLOGY.md", status: str = "approved") -> list[Term]:
    """d2l-zh's TERMINOLOGY.md: lines "中文，english"; "实例/示例" gives two terms, "(LSTM)" goes to the note."""
    out: list[Term] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _TERMINOLOGY_LINE.match(line)
        if not m:
            raise WorkbenchError("expected a line '中文，english' (full-width comma)", path, n)
        english = m.group("en")
        extra = [x.strip() for x in _PAREN.findall(english) if x.strip()]
        english = _PAREN.sub(" ", english).strip()
        note = f"{Path(path).name}:{n}" + (f"; also ({', '.join(extra)})" if extra else "")
        for zh in m.group("zh").split("/"):
            if zh.strip():
                out.append(Term(english, zh.strip(), status, note))
    if not out:
        raise WorkbenchError("no '中文，english' lines found; is this d2l-zh's TERMINOLOGY.md?", path)
    return out


def parse_tabbed(text: str, path: str = "glossary.txt", status: str = "approved") -> list[Term]:
    """An OmegaT or Weblate tab-separated glossary: source, target, comment; '#' lines are comments.

    Our own glossary.tsv (with its header line) is read with its statuses.
    """
    lines = text.splitlines()
    first = next((x for x in lines if x.strip() and not x.startswith("#")), "")
    if first.split("\t")[:2] == ["english", "chinese"]:
        return parse(text, path).terms
    out: list[Term] = []
    for n, line in enumerate(lines, 1):
        line = line.lstrip("\ufeff")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
            raise WorkbenchError("expected tab-separated columns: source term, target term[, comment]", path, n)
        if n == 1 and cols[0].strip().lower() == "source" and cols[1].strip().lower() == "target":
            continue  # a header line as Weblate writes one
        out.append(Term(cols[0].strip(), cols[1].strip(), status, " ".join(c.strip() for c in cols[2:] if c.strip())))
    return out


def parse_csv(text: str, path: str = "glossary.csv", status: str = "approved") -> list[Term]:
    """A CSV glossary as Weblate exports it: a header naming source and target (else the first two columns)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        return []
    head = [c.strip().lower() for c in rows[0]]
    if "source" in head and "target" in head:
        si, ti = head.index("source"), head.index("target")
        ni = next((head.index(c) for c in ("explanation", "translator_comments", "developer_comments", "comment", "note")
                   if c in head), None)
        body = list(enumerate(rows[1:], 2))
    else:
        si, ti, ni = 0, 1, 2
        body = list(enumerate(rows, 1))
    out = []
    for n, row in body:
        if not any(c.strip() for c in row):
            continue
        if len(row) <= max(si, ti) or not row[si].strip() or not row[ti].strip():
            raise WorkbenchError("expected a source and a target column", path, n)
        note = row[ni].strip() if ni is not None and ni < len(row) else ""
        out.append(Term(row[si].strip(), row[ti].strip(), status, note))
    return out


def parse_tbx(text: str, path: str = "glossary.tbx", status: str = "approved") -> list[Term]:
    """A TBX file (ISO 30042, martif or tbx root): each entry's English and Chinese terms."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise WorkbenchError(f"not valid TBX XML: {e}", path, e.position[0]) from None
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    out = []
    for entry in root.iter():
        if _local(entry.tag) not in ("termEntry", "conceptEntry"):
            continue
        terms: dict[str, list[tuple[str, str]]] = defaultdict(list)
        note = ""
        for ls in entry.iter():
            if _local(ls.tag) != "langSet" and _local(ls.tag) != "langSec":
                continue
            lang = (ls.get(lang_attr) or ls.get("lang") or "").lower()
            for el in ls.iter():
                if _local(el.tag) == "term" and el.text:
                    admin = ""
                    for sib in ls.iter():
                        if _local(sib.tag) == "termNote" and sib.get("type") == "administrativeStatus":
                            admin = sib.text or ""
                    terms[lang[:2]].append((el.text.strip(), admin))
        for d in entry.iter():
            if _local(d.tag) in ("descrip", "note") and d.text:
                note = d.text.strip()
                break
        for en, _ in terms.get("en", []):
            for zh, admin in terms.get("zh", []):
                st = "forbidden" if "deprecated" in admin or "superseded" in admin else status
                out.append(Term(en, zh, st, note))
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_foreign(path: Path, status: str = "approved", fmt: str = "auto") -> list[Term]:
    """Terms from a glossary file in any supported format (by extension unless `fmt` names one)."""
    text = files.read_text(path, str(path))
    if fmt == "auto":
        suffix = path.suffix.lower()
        fmt = {".md": "terminology", ".csv": "csv", ".tbx": "tbx"}.get(suffix, "tsv")
    parsers = {"terminology": parse_terminology, "csv": parse_csv, "tbx": parse_tbx, "tsv": parse_tabbed,
               "omegat": parse_tabbed, "weblate": parse_tabbed}
    if fmt not in parsers:
        raise WorkbenchError(f"unknown glossary format {fmt!r}; use one of {', '.join(parsers)}", str(path))
    return parsers[fmt](text, str(path), status)


# ---------------------------------------------------------------------------------------------
# Export


def export_tsv(terms: Sequence[Term]) -> str:
    """OmegaT's glossary format (also read by Weblate): source, target, comment; tab-separated, no header."""
    return "".join(f"{t.english}\t{t.chinese}\t{t.note}".rstrip("\t") + "\n" for t in terms)


def export_csv(terms: Sequence[Term]) -> str:
    """CSV with the header Weblate (translate-toolkit) reads: source, target, translator_comments."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["source", "target", "translator_comments"])
    for t in terms:
        w.writerow([t.english, t.chinese, t.note])
    return buf.getvalue()


_TBX_STATUS = {"approved": "preferredTerm-admn-sts", "proposed": "admittedTerm-admn-sts",
               "forbidden": "deprecatedTerm-admn-sts", "rejected": "supersededTerm-admn-sts"}


def export_tbx(terms: Sequence[Term]) -> str:
    """TBX (ISO 30042, the martif dialect OmegaT, Weblate and translate-toolkit read).

    One entry per English term; its Chinese terms carry their status as the TBX
    administrativeStatus (approved = preferred, forbidden = deprecated).
    """
    by_english: dict[str, list[Term]] = {}
    for t in terms:
        by_english.setdefault(t.key, []).append(t)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN" "TBXcdv04.dtd">',
        '<martif type="TBX" xml:lang="en">',
        "<martifHeader><fileDesc><sourceDesc><p>workbench glossary</p></sourceDesc></fileDesc></martifHeader>",
        "<text>",
        "<body>",
    ]
    for n, group in enumerate(by_english.values(), 1):
        out.append(f'<termEntry id="t{n}">')
        notes = "; ".join(dict.fromkeys(t.note for t in group if t.note))
        if notes:
            out.append(f'<descrip type="definition">{escape(notes)}</descrip>')
        out.append(f'<langSet xml:lang="en"><tig><term>{escape(group[0].english)}</term></tig></langSet>')
        out.append('<langSet xml:lang="zh">')
        for t in group:
            out.append(f"<tig><term>{escape(t.chinese)}</term>"
                       f'<termNote type="administrativeStatus">{_TBX_STATUS[t.status]}</termNote></tig>')
        out.append("</langSet>")
        out.append("</termEntry>")
    out += ["</body>", "</text>", "</martif>"]
    return "\n".join(out) + "\n"


EXPORTERS = {"tbx": export_tbx, "csv": export_csv, "tsv": export_tsv}


# ---------------------------------------------------------------------------------------------
# Matching English terms in text

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:'[A-Za-z]+)?|\x00")


def singular(word: str) -> str:
    """A plural folded to its singular, roughly (tensors -> tensor, minibatches -> minibatch).

    The same folding is applied to the glossary and to the text, so an imperfect rule (bias ->
    bia) still matches consistently.
    """
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _words(text: str) -> list[tuple[str, int, int]]:
    """Folded words with their offsets; hyphens and spaces both separate words."""
    return [(singular(m.group()) if m.group() != "\x00" else "\x00", m.start(), m.end()) for m in _WORD.finditer(text)]


def term_key(english: str) -> str:
    """The folded form of an English term: its words folded and joined without separators,
    so "mini-batch", "mini batch" and "minibatches" share one key."""
    return "".join(w for w, _, _ in _words(english))


@dataclass(slots=True)
class Hit:
    """Where a glossary term occurs in a text."""

    key: str
    """The folded term."""
    start: int
    """Offset of its first character."""
    end: int
    """Offset after its last character."""


class TermMatcher:
    """Finds glossary terms in English text, longest match first."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = {k for k in keys if k}
        # every prefix of every key: lets the scan stop after one lookup for most words
        self.prefixes = {k[:i] for k in self.keys for i in range(1, len(k) + 1)}
        self.max_words = 8

    def find(self, text: str) -> list[Hit]:
        """The terms in `text` (whose masked spans are NULs: a term never crosses them)."""
        words = _words(text)
        out: list[Hit] = []
        i = 0
        while i < len(words):
            best = -1
            acc = ""
            for j in range(i, min(i + self.max_words, len(words))):
                if words[j][0] == "\x00":
                    break
                acc += words[j][0]
                if acc not in self.prefixes:
                    break
                if acc in self.keys:
                    best = j
            if best >= 0:
                out.append(Hit(term_key_of(words, i, best), words[i][1], words[best][2]))
                i = best + 1
            else:
                i += 1
        return out


def term_key_of(words: list[tuple[str, int, int]], i: int, j: int) -> str:
    return "".join(w for w, _, _ in words[i : j + 1])


# ---------------------------------------------------------------------------------------------
# The term check


@dataclass(slots=True)
class TermFinding:
    """A translated pair whose Chinese does not use the glossary's translation of a term."""

    file: str
    """zh/PATH.md."""
    line: int
    """Line in zh/PATH.md."""
    en_file: str
    """en/PATH.md."""
    en_line: int
    """Line in en/PATH.md."""
    term: str
    """The English term (as the glossary writes it)."""
    expected: str
    """The approved Chinese (alternatives joined by '/')."""
    found: str | None
    """The forbidden variant used, or the Chinese the pair gives the term, or None when unknown."""
    problem: str
    """"forbidden" (a forbidden variant is used) or "missing" (the approved Chinese is absent)."""

    def as_dict(self) -> dict[str, object]:
        """JSON shape of a finding."""
        return {"file": self.file, "line": self.line, "en_file": self.en_file, "en_line": self.en_line,
                "term": self.term, "expected": self.expected, "found": self.found, "problem": self.problem}

    @property
    def message(self) -> str:
        """One line for a person."""
        if self.problem == "forbidden":
            return f"{self.term!r}: uses the forbidden variant {self.found!r}; write {self.expected!r}"
        got = f", found {self.found!r}" if self.found else ""
        return f"{self.term!r}: expected {self.expected!r}{got}"


@dataclass(slots=True)
class TermRule:
    """What the glossary says of one English term."""

    english: str
    approved: list[str]
    forbidden: list[str]


def rules(g: Glossary) -> dict[str, TermRule]:
    """Folded English -> its approved and forbidden Chinese; only terms with an approved Chinese."""
    out: dict[str, TermRule] = {}
    for t in g.terms:
        if t.status not in ("approved", "forbidden"):
            continue
        r = out.setdefault(t.key, TermRule(t.english, [], []))
        (r.approved if t.status == "approved" else r.forbidden).append(t.chinese)
    return {k: r for k, r in out.items() if r.approved}


def _fold_chinese(text: str) -> str:
    return re.sub(r"[\s*_]+", "", text).lower()


# English phrases in which a glossary word is not the term (a reader's "for example" is no 样例).
IDIOMS = re.compile(r"(?i)\b(for (?:example|instance)s?|in (?:general|practice|particular)|as a whole"
                    r"|(?:an?|the|this|that|another|one|our|following|simple|concrete|toy|running) example"
                    r"(?! data)|examples? (?:below|above))\b")


def check_pair(english_prose: str, chinese: str, chinese_prose: str, matcher: TermMatcher,
               table: dict[str, TermRule]) -> list[tuple[str, TermRule, str | None]]:
    """Problems of one pair: (problem, rule, found) for each glossary term its English uses.

    `english_prose` is the English with code, math, roles and URLs masked by NULs; `chinese` is
    the Chinese as written, `chinese_prose` with the same masking.
    """
    text = IDIOMS.sub(lambda m: "\x00" * len(m.group()), english_prose)
    # the term counts wherever the Chinese has it, even inside backticks (qa reports those)
    zh = _fold_chinese(chinese)
    out: list[tuple[str, TermRule, str | None]] = []
    seen: set[str] = set()
    for hit in matcher.find(text):
        if hit.key in seen:
            continue
        seen.add(hit.key)
        rule = table[hit.key]
        bad = [v for v in rule.forbidden if _fold_chinese(v) in zh]
        if bad:
            out.append(("forbidden", rule, bad[0]))
            continue
        if any(_fold_chinese(a) in zh for a in rule.approved):
            continue
        out.append(("missing", rule, _given(chinese, english_prose[hit.start:hit.end])))
    return out


_GLOSSED = re.compile(r"\*?(?P<zh>[\u4e00-\u9fff]{1,12})\*?（(?P<en>[A-Za-z][A-Za-z \-']*)）")


def _given(chinese: str, english: str) -> str | None:
    """The Chinese a pair gives an English term it glosses as 中文（English）, if it does."""
    key = term_key(english)
    for m in _GLOSSED.finditer(chinese):
        if term_key(m.group("en")) == key:
            return m.group("zh")
    if re.search(r"(?<![A-Za-z])" + re.escape(english) + r"(?![A-Za-z])", chinese, re.I):
        return english  # left in English
    return None


# ---------------------------------------------------------------------------------------------
# Term discovery


@dataclass(slots=True)
class Example:
    """A pair that shows a proposed term."""

    file: str
    line: int
    english: str
    chinese: str


@dataclass(slots=True)
class Proposal:
    """A term found in the translated book, not yet in the glossary."""

    english: str
    chinese: str
    count: int
    """Pairs that show it."""
    how: str
    """"glossed" (中文（English） in the Chinese) or "co-occurrence" (aligned pairs agree)."""
    examples: list[Example] = field(default_factory=list)
    """Two pairs that show it."""

    def as_dict(self) -> dict[str, object]:
        return {"english": self.english, "chinese": self.chinese, "count": self.count, "how": self.how,
                "examples": [{"file": e.file, "line": e.line, "english": e.english, "chinese": e.chinese}
                             for e in self.examples]}


# Characters that do not begin or end a term (particles, prepositions)
_ZH_PARTICLES = "的了是在从以和与及或对把被将为其这那"
# Words after which a Chinese run starts a new phrase: what precedes them is not part of the term.
_ZH_CUT = re.compile(r".*[的是为了和与在将把被即叫称个种一从对用由及或这那其该们]")
_STOPWORDS = frozenset("""a an the of to in on for and or but is are was were be been being by with as at from
that this these those it its we our you your they their he she his her which who whom what when where why how
can could may might must shall should will would do does did done not no nor than then there here so such
also only just very more most less least many much some any each every all both either neither other another
into onto over under about above below after before between through during without within out up down off
if else while because since until unless although though however thus hence e g i ie eg etc via per one two
three first second new use used using make made given give let us see note way well like e.g i.e""".split())


def _english_phrases(prose: str, max_words: int = 3) -> set[str]:
    """Candidate English terms in masked prose: runs of 1..4 content words, lower-cased."""
    out: set[str] = set()
    for chunk in re.split(r"[^A-Za-z\- ]+", prose):
        words = [w for w in re.split(r"[\s]+", chunk.strip()) if w]
        for i in range(len(words)):
            for j in range(i, min(i + max_words, len(words))):
                first, last = words[i].lower(), words[j].lower()
                if first in _STOPWORDS or last in _STOPWORDS or first.startswith("-") or last.endswith("-"):
                    continue
                if any(w.lower() in _STOPWORDS and w.lower() != "of" for w in words[i : j + 1]):
                    continue
                if i == j or re.search(r"(?:ed|ly)$", first):
                    continue  # a lone word, "created ...", "strictly ...": seldom a term
                out.add(" ".join(w.lower() for w in words[i : j + 1]))
    return out


def _chinese_ngrams(text: str, lo: int = 2, hi: int = 6) -> set[str]:
    out: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        for n in range(lo, min(hi, len(run)) + 1):
            for i in range(len(run) - n + 1):
                out.add(run[i : i + n])
    return out


@dataclass(slots=True)
class ExtractItem:
    """A translated pair as term discovery sees it."""

    file: str
    line: int
    english: str
    chinese: str
    english_prose: str
    chinese_prose: str


def extract(items: Sequence[ExtractItem], g: Glossary, min_count: int = 2, min_cooccur: int = 3,
            min_dice: float = 0.7) -> list[Proposal]:
    """Terms the translated book suggests: 中文（English） glosses, and English phrases whose pairs
    share one Chinese string. Terms the glossary has (any status, any Chinese) are left out."""
    known = {t.key for t in g.terms}
    known_pairs = {(t.key, t.chinese) for t in g.terms}
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    english_form: dict[str, str] = {}
    for k, it in enumerate(items):
        for m in _GLOSSED_ANY.finditer(it.chinese):
            en = m.group("en").strip()
            zh = m.group("zh")
            if not m.group("star"):
                cut = _ZH_CUT.match(zh)
                if cut:
                    zh = zh[cut.end():]
            if len(zh) < 2 or len(en) < 3 or en.isupper() and len(en) <= 2:
                continue
            key = term_key(en)
            if not key or key in known:
                continue
            english_form.setdefault(key, en.lower() if not en.isupper() else en)
            if k not in found[(key, zh)]:
                found[(key, zh)].append(k)
    proposals: list[Proposal] = []
    best_by_key: dict[str, tuple[str, list[int]]] = {}
    for (key, zh), where in found.items():
        cur = best_by_key.get(key)
        if cur is None or len(where) > len(cur[1]):
            best_by_key[key] = (zh, where)
    for key, (zh, where) in best_by_key.items():
        if len(where) >= min_count or any(
            f"*{zh}*" in items[k].chinese for k in where
        ):
            proposals.append(Proposal(english_form[key], zh, len(where), "glossed", [_example(items[k]) for k in where[:2]]))
    # co-occurrence: English phrases whose pairs nearly always hold one Chinese string
    covered = known | {term_key(p.english) for p in proposals}
    eng_sets: dict[str, list[int]] = defaultdict(list)
    zh_df: Counter[str] = Counter()
    zh_sets: list[set[str]] = []
    for k, it in enumerate(items):
        for ph in _english_phrases(it.english_prose.replace("\x00", "|")):
            eng_sets[ph].append(k)
        grams = _chinese_ngrams(it.chinese_prose)
        zh_sets.append(grams)
        zh_df.update(grams)
    for ph, where in eng_sets.items():
        if len(where) < min_cooccur:
            continue
        key = term_key(ph)
        if key in covered:
            continue
        local: Counter[str] = Counter()
        for k in where:
            local.update(zh_sets[k])
        best: tuple[float, int, str] | None = None
        for zh, both in local.items():
            if both < min_cooccur:
                continue
            dice = 2 * both / (len(where) + zh_df[zh])
            cand = (dice, len(zh), zh)
            if best is None or cand > best:
                best = cand
        if best and best[0] >= min_dice:
            zh = best[2]
            # the longest string that nearly always comes with it: 图像增 -> 图像增广
            longer = [c for c, n in local.items() if zh in c and c != zh and n >= 0.8 * local[zh]]
            if longer:
                zh = max(longer, key=len)
            zh = zh.strip(_ZH_PARTICLES)
            if len(zh) < 2 or (key, zh) in known_pairs:
                continue
            where_both = [k for k in where if zh in zh_sets[k]]
            if len(where_both) < min_cooccur:
                continue
            proposals.append(Proposal(ph, zh, len(where_both), "co-occurrence",
                                      [_example(items[k]) for k in where_both[:2]]))
            covered.add(key)
    # a phrase inside a longer proposal with the same Chinese says nothing new
    proposals = _drop_nested(proposals)
    proposals.sort(key=lambda p: (p.how != "glossed", -p.count, p.english))
    return proposals


_GLOSSED_ANY = re.compile(
    r"(?P<star>\*{1,2})?(?P<zh>[\u4e00-\u9fff]{1,16})(?(star)\*{1,2})（(?P<en>[A-Za-z][A-Za-z \-']{1,60})）")


def _drop_nested(props: list[Proposal]) -> list[Proposal]:
    keep = []
    for p in props:
        if p.how == "co-occurrence" and any(
            q is not p and q.chinese == p.chinese and p.english in q.english and len(q.english) > len(p.english)
            and q.count >= p.count for q in props
        ):
            continue
        keep.append(p)
    return keep


def _example(it: ExtractItem) -> Example:
    return Example(it.file, it.line, it.english, it.chinese)


def has_cjk(text: str) -> bool:
    """True when the text holds a Chinese character."""
    return any(is_cjk(c) for c in text)
