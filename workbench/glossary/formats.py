"""Other glossaries: d2l-zh's TERMINOLOGY.md, OmegaT/Weblate TSV and CSV, TBX; one table of formats."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .. import files
from ..model import WorkbenchError
from .file import Term, parse

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
        notes = ("explanation", "translator_comments", "developer_comments", "comment", "note")
        ni = next((head.index(c) for c in notes if c in head), None)
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


#: Name of the default format, for a file whose extension names none: tab-separated.
_DEFAULT = "tsv"


def read_foreign(path: Path, status: str = "approved", fmt: str = "auto") -> list[Term]:
    """Terms from a glossary file in any supported format (by extension unless `fmt` names one)."""
    text = files.read_text(path, str(path))
    if fmt == "auto":
        suffix = path.suffix.lower()
        fmt = next((f.name for f in FORMATS if suffix in f.suffixes), _DEFAULT)
    readers = {f.name: f.read for f in FORMATS if f.read}
    if fmt not in readers:
        raise WorkbenchError(f"unknown glossary format {fmt!r}; use one of {', '.join(readers)}", str(path))
    return readers[fmt](text, str(path), status)

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


@dataclass(frozen=True, slots=True)
class Format:
    """One glossary format: its name, the extensions that name it, how to read and how to write it."""

    name: str
    """What --format calls it."""
    suffixes: tuple[str, ...]
    """File extensions read in this format when --format is auto."""
    read: Callable[[str, str, str], list[Term]] | None
    """(text, path, status) -> terms; None when the workbench only writes the format."""
    write: Callable[[Sequence[Term]], str] | None
    """terms -> text; None when the workbench only reads the format."""


#: Every format the workbench reads or writes: adding a format touches this table only.
FORMATS = (
    Format("terminology", (".md",), parse_terminology, None),
    Format("tbx", (".tbx",), parse_tbx, export_tbx),
    Format("csv", (".csv",), parse_csv, export_csv),
    Format("tsv", (), parse_tabbed, export_tsv),
    Format("omegat", (), parse_tabbed, None),
    Format("weblate", (), parse_tabbed, None),
)
#: Name -> writer, for `workbench glossary export`.
EXPORTERS = {f.name: f.write for f in FORMATS if f.write}
