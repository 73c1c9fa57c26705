"""The shared glossary: English term, Chinese term, review status, note (glossary/glossary.tsv).

One tab-separated line per term keeps the file diff-friendly and readable in any editor. A
term's English is matched in text with case, plurals and hyphenation folded (tensor/tensors,
mini-batch/minibatch), longest term first (stochastic gradient descent before gradient descent).
Also here: import of d2l-zh's TERMINOLOGY.md and of OmegaT/Weblate glossaries, export to TBX,
CSV and TSV, the term check over translated pairs, and term discovery (proposals).
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from . import files
from .model import CHINESE, HAN, WorkbenchError, is_cjk

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
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        rows = list(reader)
    except csv.Error as e:  # a field over csv's limit (128 KiB), a stray NUL...
        raise WorkbenchError(f"not a CSV glossary: {e}", path, reader.line_num or None) from None
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


@functools.lru_cache(maxsize=65536)
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


# Characters that do not begin or end a term (particles, prepositions)
_ZH_PARTICLES_TEXT = "的了是在从以和与及或对把被将为其这那"

# ---------------------------------------------------------------------------------------------
# The term check
#
# A glossary term in the English does not always mean the glossary's sense: "this means that" is
# no 均值, "transform the data" no 变换 (a verb), root-mean-squared-error no mean squared error; a
# translator may render a term by a short form (真实边界框 for "ground-truth bounding box",
# 全连接的层) or by the book's own established word (迭代周期 for "epoch"); and a paraphrase or an
# omission cannot be told from a wrong term without the Chinese showing something like the term.
# The check therefore weighs each missing term:
#   error    a forbidden variant is used;
#   warning  a phrase rendered by a near form of its approved translation (泛化错误 for 泛化误差),
#            torn apart (线性…代数) or replaced by a sibling term's translation (深度学习 for
#            "machine learning"); a term left in English in Chinese prose, or glossed with other
#            Chinese; and, once per term, a variant the book uses instead of the approved
#            translation (approve it as an alternative, or change those pairs);
#   info     a single word missing (a common word has several senses), a word used as a verb, a
#            phrase with nothing like it in the Chinese, a pair that uses the book's variant
#            (counted in the variant's finding), a translation only proposed for the term.
# The book's evidence comes from all its pairs, whichever files are reported.

#: Severities of a term finding, most serious first.
SEVERITIES = ("error", "warning", "info")


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
    """"forbidden" (a forbidden variant is used), "missing" (the approved Chinese is absent) or
    "variant" (the book translates the term another way in many pairs; one finding for all)."""
    severity: str = "warning"
    """error, warning or info (see SEVERITIES)."""
    reason: str = ""
    """Why the finding has its severity, for a person (empty for a plain warning)."""
    count: int = 1
    """Pairs the finding stands for (more than one for a variant)."""

    def as_dict(self) -> dict[str, object]:
        """JSON shape of a finding."""
        return {"file": self.file, "line": self.line, "en_file": self.en_file, "en_line": self.en_line,
                "term": self.term, "expected": self.expected, "found": self.found, "problem": self.problem,
                "severity": self.severity, "count": self.count, "message": self.message}

    @property
    def message(self) -> str:
        """One line for a person."""
        if self.problem == "forbidden":
            return f"{self.term!r}: uses the forbidden variant {self.found!r}; write {self.expected!r}"
        if self.problem == "variant":
            how = "leaves it in English" if self.found == self.term else f"writes {self.found!r}"
            return (f"{self.term!r}: the book {how} in {self.count} pairs where the glossary "
                    f"approves {self.expected!r}; {self.reason}")
        got = f", found {self.found!r}" if self.found else ""
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.term!r}: expected {self.expected!r}{got}{why}"


@dataclass(slots=True)
class TermRule:
    """What the glossary says of one English term."""

    english: str
    approved: list[str]
    forbidden: list[str]
    proposed: list[str] = field(default_factory=list)

    @property
    def single(self) -> bool:
        """One English word (tensor, mean), not a phrase (learning rate, self-attention)."""
        return len(_WORD.findall(self.english)) == 1


def rules(g: Glossary) -> dict[str, TermRule]:
    """Folded English -> its approved, forbidden and proposed Chinese; only terms with an approved Chinese."""
    out: dict[str, TermRule] = {}
    for t in g.terms:
        if t.status == "rejected":
            continue
        r = out.setdefault(t.key, TermRule(t.english, [], []))
        {"approved": r.approved, "forbidden": r.forbidden, "proposed": r.proposed}[t.status].append(t.chinese)
    return {k: r for k, r in out.items() if r.approved}


# spaces, emphasis, and d2l's (**…**) / [**…**] / (~~…~~) highlight marks (线性(**回归 is 线性回归)
_FOLDED_AWAY = re.compile(r"[(\[](?=\*\*|~~)|(?<=\*\*|~~)[)\]]|[\s*_~]+")


def _fold_chinese(text: str) -> str:
    return _FOLDED_AWAY.sub("", text).lower()


def _zh_pattern(chinese: str) -> re.Pattern[str]:
    """The folded Chinese as a pattern in which a 的 may stand between two Chinese characters
    (全连接的层 is 全连接层 inflected; Chinese has no other inflection to fold)."""
    folded = _fold_chinese(chinese)
    out = re.escape(folded[:1])
    for a, b in itertools.pairwise(folded):
        out += ("的?" if is_cjk(a) and is_cjk(b) else "") + re.escape(b)
    return re.compile(out)


# English phrases in which a glossary word is not the term (a reader's "for example" is no 样例).
IDIOMS = re.compile(r"(?i)\b(for (?:example|instance)s?|in (?:general|practice|particular)|as a whole"
                    r"|(?:an?|the|this|that|another|one|our|following|simple|concrete|toy|running) example"
                    r"(?! data)|examples? (?:below|above))\b")

# Part-of-speech evidence for a single-word term: words after which the bare form is a verb
# ("we transform", "to mean", "can filter"), words after which an -s form is a verb ("this means",
# "it transforms"), and words that follow a verb but never a noun ("transform the", "filter out").
_BEFORE_VERB = frozenset("we you they i to can could will would shall should may might must do does did not "
                         "also often usually typically simply just then let".split())
_BEFORE_VERB_S = frozenset("it this that which what he she one also often usually simply just then only finally "
                           "indeed thus therefore actually typically generally still".split())
_AFTER_VERB = frozenset("the a an this these those it them our their its us each every his her my your "
                        "out into".split())
_ADJACENT_WORD = re.compile(r"[A-Za-z]+")


def _verb_use(text: str, start: int, end: int) -> bool:
    """True when the single word at text[start:end] reads as a verb from its neighbours."""
    word = text[start:end].lower()
    before = re.search(r"([A-Za-z]+)[ \t\n]+$", text[max(0, start - 30) : start])
    after = re.match(r"[ \t\n]+([A-Za-z]+)", text[end : end + 30])
    prev = before.group(1).lower() if before else ""
    nxt = after.group(1).lower() if after else ""
    if prev in ("a", "an", "the") or nxt == "of":
        return False  # a determiner before or "of" after: a noun
    if nxt in _AFTER_VERB:
        return True
    s_form = word.endswith("s") and not word.endswith("ss")
    if s_form:
        # "which means that", "this transforms the": a singular subject before a verb's -s form;
        # "which examples are" is a determiner before a plural noun, told apart by what follows
        return prev in ("it", "he", "she") or (prev in _BEFORE_VERB_S and nxt in _AFTER_VERB | {"that"})
    return prev in _BEFORE_VERB


def _in_compound(text: str, start: int, end: int) -> bool:
    """True when a hyphen joins the words at text[start:end] to a word before or after: part of a
    longer compound (root-mean-squared-error, bias-variance tradeoff), another term."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (len(before) == 2 and before[1] == "-" and before[0].isalpha()) or (
        len(after) == 2 and after[0] == "-" and after[1].isalpha())


@dataclass(slots=True)
class TextPair:
    """A translated pair as the term check and term discovery see it."""

    file: str
    """zh/PATH.md."""
    line: int
    """Line in zh/PATH.md."""
    english: str
    chinese: str
    english_prose: str
    """The English with code, math, roles and URLs masked by NULs (offsets hold)."""
    chinese_prose: str
    """The Chinese, masked the same way."""
    en_file: str = ""
    """en/PATH.md."""
    en_line: int = 0
    """Line in en/PATH.md."""


#: The name term discovery has always used.
ExtractItem = TextPair


@dataclass(slots=True)
class _Use:
    """One glossary term in one pair's English, and how its Chinese fares."""

    pair: int
    key: str
    surface: str
    verb: bool
    state: str = "ok"
    """ok, forbidden, missing, variant (the book's variant), proposed (a proposed Chinese)."""
    found: str | None = None
    times: int = 1
    """How many times the English has the term (as a noun)."""


def check_terms(pairs: Sequence[TextPair], g: Glossary, report: Iterable[str] | None = None,
                min_variant: int = 3) -> list[TermFinding]:
    """The term check: findings for the pairs whose zh file is in `report` (all when None),
    weighed with the evidence of all `pairs` (the whole book)."""
    table = rules(g)
    matcher = TermMatcher(table)
    approved = {k: [_zh_pattern(a) for a in r.approved] for k, r in table.items()}
    zh_folded = [_fold_chinese(p.chinese) for p in pairs]
    uses: dict[str, list[_Use]] = defaultdict(list)
    pair_uses: dict[int, dict[str, _Use]] = {}
    for k, p in enumerate(pairs):
        if not has_cjk(p.chinese_prose):
            continue  # left in English as a whole: qa's untranslated check speaks of it
        text = IDIOMS.sub(lambda m: "\x00" * len(m.group()), p.english_prose)
        first: dict[str, _Use] = {}
        for hit in matcher.find(text):
            if _in_compound(text, hit.start, hit.end):
                continue  # root-mean-squared-error is not the glossary's mean squared error
            rule = table[hit.key]
            use = _Use(k, hit.key, text[hit.start : hit.end],
                       rule.single and _verb_use(text, hit.start, hit.end))
            seen = first.get(hit.key)
            if seen is None or (seen.verb and not use.verb):  # the noun counts when both stand in a pair
                first[hit.key] = use
            elif not use.verb:
                seen.times += 1
        zh = zh_folded[k]
        pair_uses[k] = first
        for key, use in first.items():
            rule = table[key]
            bad = [v for v in rule.forbidden if _fold_chinese(v) in zh]
            if bad:
                use.state, use.found = "forbidden", bad[0]
            elif not any(pat.search(zh) for pat in approved[key]):
                given = [v for v in rule.proposed if _fold_chinese(v) in zh]
                if given:
                    use.state, use.found = "proposed", given[0]
                else:
                    use.state = "missing"
                    use.found = _given(p.chinese, p.chinese_prose, use.surface)
            uses[key].append(use)
    evidence = _BookText(pairs)
    variants: list[_Variant] = []
    for key, key_uses in uses.items():
        variants += _weigh_misses(key, table[key], key_uses, pairs, evidence, min_variant)
    wanted = set(report) if report is not None else None
    out: list[TermFinding] = []
    joined_by_key: dict[str, str] = {}

    def term_text(key: str) -> str:
        """The Chinese of the pairs whose English has the term, each distinct text once."""
        if key not in joined_by_key:
            joined_by_key[key] = "\n".join(dict.fromkeys(_fold_chinese(pairs[u.pair].chinese_prose)
                                                          for u in uses[key]))
        return joined_by_key[key]

    def place(use: _Use) -> TextPair | None:
        p = pairs[use.pair]
        return p if wanted is None or p.file in wanted else None

    for key, key_uses in uses.items():
        rule = table[key]
        expected = "/".join(rule.approved)
        for use in key_uses:
            p = place(use)
            if p is None or use.state == "ok":
                continue
            severity, reason, problem = "warning", "", "missing"
            if use.state == "forbidden":
                severity, problem = "error", "forbidden"
            elif use.state == "proposed":
                severity, reason = "info", "a translation proposed for this term, not yet approved"
            elif use.state == "variant":
                severity, reason = "info", "the book's usual translation here; see its variant finding"
            elif use.verb:
                severity, reason = "info", "the word is used as a verb here"
            elif use.found and not has_cjk(use.found):
                reason = "left in English"
            elif use.found:
                pass  # the pair glosses the term with another Chinese: 数据样本（data instance）
            elif rule.single:
                severity, reason = "info", "a single word, which may stand in another sense"
            else:
                # a phrase: a near form of the approved translation (对象检测 for 目标检测, 注意模型 for
                # 注意力模型) is a wrong term; nothing like it is a paraphrase or an omission, which
                # the term check cannot tell from a right translation
                others = [a for key2 in pair_uses[use.pair] if key2 != key for a in table[key2].approved]
                near = _near_form(_strip_all(zh_folded[use.pair], [_fold_chinese(a) for a in others]),
                                  [_fold_chinese(a) for a in rule.approved])
                instead = _substitute(use, pair_uses[use.pair], zh_folded[use.pair], table)
                split = _split_form(_fold_chinese(pairs[use.pair].chinese_prose), rule.approved)
                if near and evidence.specific(near, term_text(key)):
                    use.found = evidence.whole(near)
                elif instead:
                    use.found, reason = instead
                elif split:
                    use.found, reason = split, "the term is torn apart"
                else:
                    severity, reason = "info", "nothing like it in the Chinese: a paraphrase or an omission?"
            out.append(TermFinding(p.file, p.line, p.en_file, p.en_line, rule.english, expected, use.found,
                                   problem, severity, reason))
    for var in variants:
        shown = [u for u in var.uses if place(u) is not None]
        if not shown:
            continue
        p = pairs[shown[0].pair]
        rule = table[var.key]
        nfiles = len({pairs[u.pair].file for u in var.uses})
        # a single word rendered another way in a minority of its pairs is likely another sense of
        # the word (性质 for a mathematical property, 偏差 for a statistical bias), unless the
        # variant is a near form of the approved word (词汇表 for 词表, 过度拟合 for 过拟合)
        near = _near_form(_fold_chinese(var.chinese), [_fold_chinese(a) for a in rule.approved])
        severity = "warning" if var.prevails or not rule.single or near else "info"
        where_ = f"{nfiles} {'file' if nfiles == 1 else 'files'}"
        reason = (f"{where_}; approve it as an alternative or change those pairs (--severity info lists them)"
                  if severity == "warning" else
                  f"{where_}; fewer than the approved translation's, so perhaps another sense of the word")
        out.append(TermFinding(p.file, p.line, p.en_file, p.en_line, rule.english, "/".join(rule.approved),
                               var.chinese, "variant", severity, reason, len(var.uses)))
    order = {f: i for i, f in enumerate(dict.fromkeys(p.file for p in pairs))}
    out.sort(key=lambda f: (order.get(f.file, 0), f.line, f.term))
    return out


_LATIN_AFTER = re.compile(r"[a-z][a-z0-9]*")
_LATIN_BEFORE = re.compile(r"[a-z][a-z0-9]*$")


class _BookText:
    """The book's Chinese prose, each distinct text once, for counting how a string is used."""

    def __init__(self, pairs: Sequence[TextPair]) -> None:
        self.texts = list(dict.fromkeys(_fold_chinese(p.chinese_prose) for p in pairs if has_cjk(p.chinese_prose)))
        self.joined = "\n".join(self.texts)
        self._counts: dict[str, int] = {}
        self._whole: dict[tuple[str, float], str] = {}

    def count(self, s: str) -> int:
        """Occurrences of `s` in the book's Chinese."""
        n = self._counts.get(s)
        if n is None:
            n = self._counts[s] = self.joined.count(s)
        return n

    def specific(self, s: str, term_text: str) -> bool:
        """Most of the book's uses of `s` stand in `term_text` (the Chinese of a term's pairs):
        对象检测 is how a pair renders "object detection", 函数 or 多框检测 is another word's."""
        return 2 * term_text.count(s) >= self.count(s)

    def whole(self, s: str, share: float = 0.8) -> str:
        """`s` grown to the string it is nearly always part of (数据样 -> 数据样本, 计算复杂 -> 计算复杂度):
        a cut-off string is followed (or preceded) by one character in most of its occurrences."""
        key = (s, share)
        if key not in self._whole:
            self._whole[key] = self._grow(s, share)
        return self._whole[key]

    def _grow(self, s: str, share: float) -> str:
        for _ in range(8):
            grown = False
            for side in (1, -1):
                nexts: Counter[str] = Counter()
                for m in re.finditer(re.escape(s), self.joined):
                    # the next Chinese character, or a whole Latin word (分层 -> 分层softmax)
                    if side == 1:
                        w = _LATIN_AFTER.match(self.joined, m.end())
                        c = w.group() if w else self.joined[m.end() : m.end() + 1]
                    else:
                        w = _LATIN_BEFORE.search(self.joined, max(0, m.start() - 30), m.start())
                        c = w.group() if w else self.joined[max(0, m.start() - 1) : m.start()]
                    nexts[c if c and (CHINESE.match(c) or w) else ""] += 1
                total = sum(nexts.values())
                if total < 2:
                    return s
                c, n = nexts.most_common(1)[0]
                if c and n >= share * total and c not in _TERM_STOP:
                    s = s + c if side == 1 else c + s
                    grown = True
            if not grown:
                break
        return s


@dataclass(slots=True)
class _Variant:
    """A translation the book uses for a term instead of the approved one."""

    key: str
    chinese: str
    """The variant (or the English term itself, when the book leaves it untranslated)."""
    uses: list[_Use]
    prevails: bool
    """The book uses the variant more often than the approved translation and than its other variants."""


def _substitute(use: _Use, pair_uses: dict[str, _Use], zh: str,
                table: dict[str, TermRule]) -> tuple[str, str] | None:
    """A sibling term's translation standing where this term's should: the Chinese has it more
    often than the English has that term (深度学习 twice for one "deep learning" and one
    "machine learning"). Siblings share an English word and a Chinese character: a translator
    confuses those, not unrelated terms. (found, reason) or None."""
    words = {singular(w) for w in _WORD.findall(table[use.key].english)}
    chars = set("".join(table[use.key].approved))
    for key2, other in pair_uses.items():
        if key2 == use.key or other.state != "ok" or other.verb:
            continue
        if not words & {singular(w) for w in _WORD.findall(table[key2].english)}:
            continue
        for b in table[key2].approved:
            n = zh.count(_fold_chinese(b))
            if n > other.times and chars & set(b):
                return b, (f"the Chinese has {b!r} {n} times, the English {table[key2].english!r} "
                           f"{other.times} {'time' if other.times == 1 else 'times'}: one may stand for this term")
    return None


_CLAUSE_END = "。，；：！？、,.;:!?（）()\x00"


def _split_form(zh: str, approved: list[str]) -> str | None:
    """An approved form of four characters or more torn in two within one clause, as machine
    translation does (线性的基本概念应用各种数值运算 代数 for 线性代数): "线性…代数", or None."""
    for a in approved:
        a = _fold_chinese(a)
        for cut in range(2, len(a) - 1):
            m = re.search(re.escape(a[:cut]) + f"[^{re.escape(_CLAUSE_END)}]{{1,20}}?" + re.escape(a[cut:]), zh)
            if m:
                return f"{a[:cut]}…{a[cut:]}"
    return None


def _near_form(zh: str, approved: list[str]) -> str | None:
    """The stretch of `zh` most like an approved translation, when it shares more than half of its
    characters in order (two at least), and they make most of the stretch: 泛化错误 for 泛化误差,
    注意模型 for 注意力模型, 完全连接的图层 for 全连接层."""
    best: tuple[int, str] | None = None
    for a in approved:
        need = max(2, len(a) // 2 + 1)
        chars = set(a)
        for i, c in enumerate(zh):
            if c not in chars:
                continue
            window = zh[i : i + len(a) + 2]
            n, first, last, a_first, _ = _common(window, a)
            # mostly the approved characters: 调整超参数 is no near form of 调参
            if n >= need and (last - first + 1) - n < n and (best is None or n > best[0]):
                # widen the matched stretch by the unmatched ends of the approved form
                # widen the matched stretch to the approved form's length: by its unmatched head
                # first (对象 of 对象检测), then at the end
                lo, hi = i + first, i + last + 1
                for _ in range(a_first):
                    if lo > 0 and _widens(zh[lo - 1], zh[lo]):
                        lo -= 1
                while hi - lo < len(a) and hi < len(zh) and _widens(zh[hi], zh[hi - 1]):
                    hi += 1
                best = (n, zh[lo:hi].strip(_ZH_PARTICLES))
    return best[1] if best and best[1] else None


_TERM_CHAR = re.compile(f"[{HAN}a-z0-9]")
#: Characters a term does not run into: particles, measure words, pronouns.
_TERM_STOP = frozenset(_ZH_PARTICLES_TEXT + "个种们")


def _widens(c: str, beside: str) -> bool:
    """True when `c` may join the stretch it stands beside: a Chinese character beside a Chinese
    one, or a Latin letter beside a Latin one, and no particle or measure word."""
    return bool(_TERM_CHAR.match(c)) and c not in _TERM_STOP and c.isascii() == beside.isascii()


def _common(s: str, t: str) -> tuple[int, int, int, int, int]:
    """Longest common subsequence of s and t: its length, and where it starts and ends in s and in t."""
    m, n = len(s), len(t)
    dp = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            dp[i][j] = dp[i + 1][j + 1] + 1 if s[i] == t[j] else max(dp[i + 1][j], dp[i][j + 1])
    # walk the table for the first and last matched positions
    i = j = 0
    spots = []
    while i < m and j < n:
        if s[i] == t[j]:
            spots.append((i, j))
            i, j = i + 1, j + 1
        elif dp[i + 1][j] >= dp[i][j + 1]:
            i += 1
        else:
            j += 1
    if not spots:
        return 0, 0, 0, 0, 0
    return len(spots), spots[0][0], spots[-1][0], spots[0][1], spots[-1][1]


_TOKEN = re.compile(f"[{HAN}]|[a-z][a-z0-9]*")
_TOKEN_RUN = re.compile(f"(?:[{HAN}]|[a-z][a-z0-9]*)+")
_LATIN_WORD = re.compile(r"[a-z]")
_LATIN_WORDS = re.compile(r"[a-z]+")


def _term_ngrams(text: str, lo: int = 2, hi: int = 6) -> set[str]:
    """Runs of 2..6 tokens (a Chinese character or a Latin word) with a Chinese character in them:
    the strings a term's translation can be (特征图, 分层softmax)."""
    out: set[str] = set()
    for run in _TOKEN_RUN.findall(text):
        if run.isascii():
            continue
        latin = _LATIN_WORD.search(run) is not None
        toks = _TOKEN.findall(run) if latin else run
        for n in range(lo, min(hi, len(toks)) + 1):
            for i in range(len(toks) - n + 1):
                gram = toks[i : i + n]
                if not latin:
                    out.add(gram)  # type: ignore[arg-type]
                elif not all(t.isascii() for t in gram):
                    out.add("".join(gram))
    return out


def _strip_all(text: str, parts: list[str]) -> str:
    for p in parts:
        text = text.replace(p, "\x00")
    return text


def _weigh_misses(key: str, rule: TermRule, key_uses: list[_Use], pairs: Sequence[TextPair], book: _BookText,
                  min_variant: int) -> list[_Variant]:
    """Settle a term's missing uses with the book's evidence; the variants found, with their uses.

    A Chinese string that stands in many pairs where the term is missing, seldom in the pairs that
    have the approved translation, and seldom elsewhere in the book, is how the book translates
    the term. When it is part of an approved translation (真实 of 真实值, 动量 of 动量法) the pairs
    use a short form: accepted. Otherwise it is the book's variant (迭代周期 for epoch): its pairs
    become info, and the variant one finding. The English term left untranslated in many pairs
    is a variant too.
    """
    misses = [u for u in key_uses if u.state == "missing" and not u.verb]
    text_of = {u.pair: _fold_chinese(pairs[u.pair].chinese_prose) for u in key_uses}
    texts = list(dict.fromkeys(text_of[u.pair] for u in misses))
    if len(texts) < 2:
        return []
    approved = [_fold_chinese(a) for a in rule.approved]
    # the pairs that use the approved translation, without it (so that its parts do not count there)
    ok_texts = list(dict.fromkeys(_strip_all(text_of[u.pair], approved) for u in key_uses if u.state == "ok")) or [""]
    all_texts = list(dict.fromkeys(text_of.values()))
    counts: Counter[str] = Counter()
    own = {singular(w) for w in _WORD.findall(rule.english)}
    for t in texts:
        grams = _term_ngrams(t)
        if all(w[:4].lower() in t for w in own):
            # strings with the term's own English in them (用dropout) are the term left in English
            grams = {g for g in grams if not own <= {singular(w) for w in _LATIN_WORDS.findall(g)}}
        counts.update(grams)
    floor = max(2, math.ceil(0.15 * len(texts)))

    joined = "\n".join(all_texts)

    def telling(v: str) -> bool:
        # most of the book's uses of v stand in pairs whose English has the term, and v is far
        # more common where the approved translation is missing than where it is used
        if 2 * joined.count(v) < book.count(v):
            return False
        return sum(v in t for t in texts) / len(texts) >= 2 * sum(v in t for t in ok_texts) / len(ok_texts)

    # greedy: the string that explains most of the unexplained missing pairs first
    found: list[str] = []
    uncovered = texts
    ranked = sorted((x for x in counts.items() if x[1] >= floor), key=lambda x: (-x[1], -len(x[0]), x[0]))
    for v, n in ranked:
        if any(v in f or f in v for f in found) or sum(v in t for t in uncovered) < floor or not telling(v):
            continue
        whole = book.whole(v)
        if not any(whole in a for a in approved):  # else a short form of an approved translation (真实 of 真实值)
            # the longest telling string that comes with v nearly every time: 词汇 -> 词汇表
            longer = [w for w, m in ranked if v in w and w != v and m >= 0.8 * n and telling(w)]
            if longer:
                v = max(longer, key=len)
            whole = book.whole(v).strip(_ZH_PARTICLES)
        if len(whole) < 2 or any(whole in f or f in whole for f in found):
            continue
        found.append(whole)
        uncovered = [t for t in uncovered if whole not in t]
        if len(uncovered) < floor:
            break
    out: list[_Variant] = []
    n_ok = sum(u.state == "ok" for u in key_uses)
    for v in found:
        where = [u for u in misses if u.state == "missing" and v in text_of[u.pair]]
        if any(v in a for a in approved):  # a short form of an approved translation: the pair is right
            for u in where:
                u.state = "ok"
            continue
        # a variant with nothing of the approved form (迭代周期 for 轮) needs more evidence than one
        # that shares some of it (特征映射 for 特征图): a topic's words are not its rendering
        alike = any(set(v) & set(a) for a in approved)
        texts_ = {text_of[u.pair] for u in where}
        files_ = {pairs[u.pair].file for u in where}
        if len(texts_) >= min_variant if alike else (len(texts_) >= 2 * min_variant and len(files_) >= 2):
            for u in where:
                u.state, u.found = "variant", v
            out.append(_Variant(key, v, where, len(where) > n_ok))
    left = [u for u in misses if u.state == "missing" and u.found and not has_cjk(u.found)]
    if len({text_of[u.pair] for u in left}) >= min_variant:
        for u in left:
            u.state = "variant"
        out.append(_Variant(key, rule.english, left, len(left) > n_ok))
    # only the book's main translation prevails: a second variant of a word is rather a second
    # sense (例子 beside 样本 for "example")
    most = max((len(v.uses) for v in out), default=0)
    for var in out:
        var.prevails = var.prevails and len(var.uses) == most
    return out


_GLOSSED = re.compile(rf"\*?(?P<zh>[{HAN}]{{1,12}})\*?（(?P<en>[A-Za-z][A-Za-z \-']*)）")


def _given(chinese: str, chinese_prose: str, english: str) -> str | None:
    """The Chinese a pair gives an English term it glosses as 中文（English）, or the English when
    the prose leaves it untranslated (not in code, and not as a gloss after Chinese words)."""
    key = term_key(english)
    for m in _GLOSSED.finditer(chinese):
        if term_key(m.group("en")) == key:
            return m.group("zh")
    for m in re.finditer(r"(?<![A-Za-z])" + re.escape(english) + r"(?![A-Za-z])", chinese_prose, re.I):
        if not _in_gloss(chinese_prose, m.start()):
            return m.group()  # left in English
    return None


def _in_gloss(text: str, at: int) -> bool:
    """True when `at` stands inside a parenthesis that follows Chinese (区域卷积神经网络（regions with
    CNN features）) or inside a link's text (a title or a product name: [spot instances](URL))."""
    bracket = text.rfind("[", 0, at)
    if bracket >= 0 and "]" not in text[bracket:at]:
        closed = text.find("]", at)
        if closed >= 0 and text[closed + 1 : closed + 2] == "\x00":  # the link's URL, masked
            return True
    opened = max(text.rfind("（", 0, at), text.rfind("(", 0, at))
    if opened < 0 or max(text.rfind("）", opened, at), text.rfind(")", opened, at)) >= 0:
        return False
    before = text[:opened].rstrip(" *_")
    return bool(before) and is_cjk(before[-1])


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


_ZH_PARTICLES = _ZH_PARTICLES_TEXT
# Words after which a Chinese run starts a new phrase: what precedes them is not part of the term.
_ZH_CUT = re.compile(r".*[的是为了和与在将把被即叫称个种一从对用由及或这那其该们]")
_STOPWORDS = frozenset("""a an the of to in on for and or but is are was were be been being by with as at from
that this these those it its we our you your they their he she his her which who whom what when where why how
has have had along across among around against toward towards upon whether yet
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
                inner = [w.lower() for w in words[i:j] if w.lower() != "of"]
                if any(w.endswith("s") and not w.endswith(("ss", "us", "is")) for w in inner):
                    continue  # "module provides tools", "examples provide": a verb, not a compound
                out.add(" ".join(w.lower() for w in words[i : j + 1]))
    return out


def _chinese_ngrams(text: str, lo: int = 2, hi: int = 6) -> set[str]:
    out: set[str] = set()
    for run in re.findall(f"[{HAN}]+", text):
        for n in range(lo, min(hi, len(run)) + 1):
            for i in range(len(run) - n + 1):
                out.add(run[i : i + n])
    return out


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
    # co-occurrence: English phrases whose pairs nearly always hold one Chinese string. A text
    # repeated in each framework's tab is one piece of evidence, not three.
    covered = known | {term_key(p.english) for p in proposals}
    book = _BookText(items)
    eng_sets: dict[str, list[int]] = defaultdict(list)
    zh_df: Counter[str] = Counter()
    zh_sets: dict[int, set[str]] = {}
    distinct = dict.fromkeys(((it.english_prose, it.chinese_prose), k) for k, it in enumerate(items))
    seen_texts: set[tuple[str, str]] = set()
    for (text, k) in distinct:
        if text in seen_texts:
            continue
        seen_texts.add(text)
        it = items[k]
        for ph in _english_phrases(it.english_prose.replace("\x00", "|")):
            eng_sets[ph].append(k)
        grams = _chinese_ngrams(it.chinese_prose)
        zh_sets[k] = grams
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
            zh = _whole_term(zh, book)
            if len(zh) < 2 or (key, zh) in known_pairs or not _term_like(zh, ph):
                continue
            where_both = [k for k in where if zh in items[k].chinese_prose]
            if len(where_both) < min_cooccur:
                continue
            proposals.append(Proposal(ph, zh, len(where_both), "co-occurrence",
                                      [_example(items[k]) for k in where_both[:2]]))
            covered.add(key)
    # a phrase inside a longer proposal with the same Chinese says nothing new
    proposals = _drop_nested(proposals)
    proposals.sort(key=lambda p: (p.how != "glossed", -p.count, p.english))
    return proposals


#: Characters that make a clause, not a term (了 提供了, 都 都有, 每 每一个).
_CLAUSE_CHARS = frozenset("了着是都也就把被将很还又所们么吗呢吧啊每这那该其")


def _term_like(zh: str, english: str) -> bool:
    """A Chinese string that can be a term's translation: no clause characters, and not much
    longer than a term of that many English words is written (3 characters a word)."""
    return not (_CLAUSE_CHARS & set(zh)) and len(zh) <= 3 * len(english.split()) + 1


def _whole_term(zh: str, book: _BookText) -> str:
    """A co-occurring Chinese string made a term: a short lead that ends in 的 cut off (同的图像增广 ->
    图像增广, the tail of 不同的), then grown to the string it is nearly always part of in the book
    (注意力评分函 -> 注意力评分函数, 化能力 -> 泛化能力)."""
    lead = re.match(f"[{HAN}]{{1,2}}的", zh)
    if lead and len(zh) - lead.end() >= 2:
        zh = zh[lead.end() :]
    return book.whole(zh.strip(_ZH_PARTICLES)).strip(_ZH_PARTICLES)


_GLOSSED_ANY = re.compile(
    rf"(?P<star>\*{{1,2}})?(?P<zh>[{HAN}]{{1,16}})(?(star)\*{{1,2}})（(?P<en>[A-Za-z][A-Za-z \-']{{1,60}})）")


def _drop_nested(props: list[Proposal]) -> list[Proposal]:
    """Co-occurrence proposals that say nothing new: a phrase inside a longer one with the same
    Chinese, or a longer phrase whose extra words the Chinese does not show (different image
    augmentation -> 图像增广, already image augmentation's)."""
    keep = []
    for p in props:
        if p.how == "co-occurrence" and any(
            q is not p and q.chinese == p.chinese and q.count >= p.count
            and (p.english in q.english or q.english in p.english) and len(q.english) != len(p.english)
            for q in props
        ):
            continue
        keep.append(p)
    return keep


def _example(it: ExtractItem) -> Example:
    return Example(it.file, it.line, it.english, it.chinese)


def has_cjk(text: str) -> bool:
    """True when the text holds a Chinese character."""
    return any(is_cjk(c) for c in text)
