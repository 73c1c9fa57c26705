"""Translation checks: what a translation must keep from its English, and d2l-zh's style.

Each check is a plain function `check(item, facts) -> Iterable[Problem]` registered in order
in CHECKS (like markdown-it's rules). An item is one translated pair, with where its Chinese
lands in zh/PATH.md; facts are what the whole book knows (its labels and citation keys).
The checks know d2l's roles (:numref:, :cite:, :eqref:, :ref:) and Chinese punctuation, so
full-width brackets and punctuation are never taken for damage.
"""

from __future__ import annotations

import copy
import difflib
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from .book import Book
from .markdown import render as render_units
from .merge import has_conflict, merge
from .model import CHINESE, HAN, Pair, WorkbenchError, in_code, one_line
from .store import Catalog, match, translations
from .structure import problem as structure_problem

SEVERITIES = ("error", "warning", "info")
#: d2l roles that point somewhere: the Chinese must keep every one the English has.
REFERENCE_ROLES = ("numref", "eqref", "cite", "ref")
ALL_ROLES = REFERENCE_ROLES + ("label", "eqlabel")

# ---------------------------------------------------------------------------------------------
# Inline markup: roles, code spans, inline math, link targets, bare URLs

_HAN = f"[{HAN}]"
_URL_STOP = r"\s<>()\[\]（）【】，。；：！？、“”‘’\"'`"
_INLINE = re.compile(
    r"(?P<role>:(?P<name>[A-Za-z_]+):`(?P<target>[^`\n]*)`)"
    r"|(?P<code>(?P<ticks>`+)(?P<code_text>[^`]|[^`].*?[^`])(?P=ticks)(?!`))"
    r"|(?P<math>(?<![\\$])\$(?!\$)(?P<math_text>(?:\\.|[^$\\])+?)(?<!\\)\$)"
    r"|(?<=\])(?P<link>\((?P<url>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\))"
    rf"|(?P<bare><?(?P<bare_url>https?://[^{_URL_STOP}]*[^{_URL_STOP}.,;:!?])>?)",
    re.S,
)


_ORDINAL = re.compile(r"\^(?:\\mathrm\{?(?:th|st|nd|rd)\}?|\{\\mathrm\{(?:th|st|nd|rd)\}\}|\{(?:th|st|nd|rd)\})")
_ROLE_BEFORE = re.compile(r"[:：]?(numref|eqref|cite|ref|label|eqlabel)[ \t]?[:：][ \t]?$")


@dataclass(slots=True)
class Span:
    """A piece of inline markup that a translation carries over as it is."""

    kind: str
    """role, code, math or url."""
    value: str
    """role: "name:target"; code: the code; math: the TeX without spaces; url: the address."""
    start: int
    end: int


@dataclass(slots=True)
class Inline:
    """A text with its inline markup found and masked."""

    text: str
    spans: list[Span]
    prose: str
    """The text with every span replaced by NULs of the same length: offsets still hold."""

    def values(self, kind: str) -> list[str]:
        return [s.value for s in self.spans if s.kind == kind]


def inline(text: str) -> Inline:
    """Find roles, code spans, inline math and URLs in a unit's text."""
    spans: list[Span] = []
    for m in _INLINE.finditer(text):
        if m.group("role"):
            spans.append(Span("role", f"{m.group('name')}:{m.group('target').strip()}", m.start(), m.end()))
        elif m.group("code"):
            damaged = _ROLE_BEFORE.search(text, max(0, m.start() - 12), m.start())
            if damaged:  # a role that lost its leading colon or has a full-width one: still a role
                spans.append(Span("role", f"{damaged.group(1)}:{m.group('code_text').strip()}", damaged.start(), m.end()))
            else:  # spaces inside code do not count: f(a) = k * a and f(a)=k*a are the same code
                spans.append(Span("code", re.sub(r"\s+", "", m.group("code_text")), m.start(), m.end()))
        elif m.group("math"):
            # spaces and a sentence's closing punctuation inside the dollars do not count
            tex = re.sub(r"\s+|\\[,;!: ]", "", m.group("math_text")).rstrip(".,;:。，")
            tex = _ORDINAL.sub("", tex)  # $j^\mathrm{th}$ is 第$j$个 in Chinese
            spans.append(Span("math", tex, m.start(), m.end()))
        elif m.group("link"):
            spans.append(Span("url", _url(m.group("url")), m.start(), m.end()))
        elif m.group("bare"):
            spans.append(Span("url", _url(m.group("bare_url")), m.start(), m.end()))
    chars = list(text)
    for s in spans:
        chars[s.start : s.end] = "\x00" * (s.end - s.start)
    return Inline(text, spans, "".join(chars))


def _url(url: str) -> str:
    """A URL as compared: a trailing slash and the scheme's s do not count."""
    return re.sub(r"^https://", "http://", url.strip("<>")).rstrip("/")


# ---------------------------------------------------------------------------------------------
# What the checks look at


@dataclass(slots=True)
class Item:
    """One translated pair, placed in the book."""

    pair: Pair
    english: str
    """The English (unit keys joined by a blank line)."""
    chinese: str
    """The Chinese as stored."""
    file: str
    """zh/PATH.md"""
    line: int
    """Line in zh/PATH.md where the Chinese starts."""
    en_file: str
    """en/PATH.md"""
    en_line: int
    """Line in en/PATH.md where the English starts."""
    one_line: bool = False
    """The Chinese is rendered on one line (heading, table cell): every problem is on `line`."""
    _en: Inline | None = None
    _zh: Inline | None = None
    _sizes: tuple[int, int] | None = None
    _mismatch: bool | None = None

    @property
    def en(self) -> Inline:
        """The English, parsed for inline markup (cached)."""
        if self._en is None:
            self._en = inline(self.english)
        return self._en

    @property
    def zh(self) -> Inline:
        """The Chinese, parsed for inline markup (cached)."""
        if self._zh is None:
            self._zh = inline(self.chinese)
        return self._zh

    @property
    def mismatched(self) -> bool:
        """The Chinese shares almost none of the English's code, math, numbers and names: it does
        not translate this English (a misplaced paragraph). Detailed checks stay quiet then."""
        if self._mismatch is None:
            self._mismatch = _mismatch(self) is not None
        return self._mismatch

    def zh_line(self, at: int | None) -> int:
        """The zh/PATH.md line of offset `at` in the Chinese."""
        if at is None or self.one_line:
            return self.line
        return self.line + self.chinese.count("\n", 0, max(0, at))


@dataclass(slots=True)
class Facts:
    """What the whole book knows, for checks that look beyond one pair."""

    labels: set[str] = field(default_factory=set)
    """Every :label: and :eqlabel: in the English."""
    targets: set[str] = field(default_factory=set)
    """Every role target the English uses (labels of chapters outside this book, citation keys)."""
    ratio: float = 1.6
    """Median Chinese characters per English word over the book's translated pairs."""

    @property
    def known(self) -> set[str]:
        return self.labels | self.targets


@dataclass(slots=True)
class Problem:
    """What a check found in one item."""

    severity: str
    message: str
    at: int | None = None
    """Offset in the Chinese where it is (for the line), or None: the start of the pair."""
    english_side: bool = False
    """The problem is in the English source, not in the translation."""


@dataclass(slots=True)
class Finding:
    """A problem, placed: the shape `workbench check --json` prints."""

    check: str
    severity: str
    file: str
    line: int
    en_file: str
    en_line: int
    message: str
    msgid: str = ""  # with msgctxt, the pair the finding is about (the cells of a table row share a line)
    msgctxt: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"check": self.check, "severity": self.severity, "file": self.file, "line": self.line,
                "en_file": self.en_file, "en_line": self.en_line, "message": self.message,
                "msgid": self.msgid, "msgctxt": self.msgctxt}

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: [{self.check}] {self.message} ({self.en_file}:{self.en_line})"


CheckFn = Callable[[Item, Facts], Iterable[Problem]]


@dataclass(slots=True)
class Check:
    """A registered check."""

    name: str
    fn: CheckFn
    doc: str


#: The checks, in the order they run and report.
CHECKS: list[Check] = []


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under `name` (its docstring says what it finds)."""

    def deco(fn: CheckFn) -> CheckFn:
        CHECKS.append(Check(name, fn, (fn.__doc__ or "").strip().split("\n")[0]))
        return fn

    return deco


# ---------------------------------------------------------------------------------------------
# Roles and directive syntax

# A role in any state of damage: full-width colons, a lost leading colon, lost backticks.
_BROKEN_ROLE = re.compile(
    r"(?P<c1>[:：]?)[ \t]?(?P<name>numref|eqref|cite|ref|label|eqlabel)[ \t]?(?P<c2>[:：])[ \t]?"
    r"(?P<t1>`?)(?P<target>[A-Za-z0-9][A-Za-z0-9_.\-:/]*[A-Za-z0-9_])(?P<t2>`?)"
)
_WELL_FORMED = re.compile(r":[A-Za-z_]+:`[^`\n]*`")
_LABELISH = re.compile(r"(?<![A-Za-z0-9_./-])[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9-]+)+(?![A-Za-z0-9_])")


def _roles(il: Inline, names: tuple[str, ...] = REFERENCE_ROLES) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for v in il.values("role"):
        name, _, target = v.partition(":")
        if name in names:
            out[(name, target.replace(" ", ""))] += 1
    return out


def broken_roles(text: str) -> list[tuple[re.Match[str], str]]:
    """Damaged roles in a text, each with what is wrong with it."""
    out = []
    whole = [(m.start(), m.end()) for m in _WELL_FORMED.finditer(text)]
    for m in _BROKEN_ROLE.finditer(text):
        if any(a <= m.start("name") < b for a, b in whole):
            continue  # a well-formed role (its target is the references check's business)
        wrong = []
        if m.group("c1") == "：" or m.group("c2") == "：":
            wrong.append("full-width colon")
        if not m.group("c1"):
            # "numref:" inside a word is no role (e.g. a URL path); the role name must start a word
            k = m.start("name")
            if k > 0 and re.match(r"[A-Za-z0-9_]", text[k - 1]):
                continue
            wrong.append("lost leading colon")
        if m.group("t1") != "`" or m.group("t2") != "`":
            wrong.append("missing backtick")
        if " " in m.group(0).replace(m.group("c1") + " ", m.group("c1"), 1)[:-1] and not wrong:
            wrong.append("space inside the role")
        if wrong:
            out.append((m, ", ".join(wrong)))
    return out


@check("structure")
def check_structure(item: Item, facts: Facts) -> Iterator[Problem]:
    """A translation that would change the blocks of zh/*.md (a fence, heading, list item, directive
    line...; the rule is structure.problem), and a conflict left between the PO and zh/*.md or by a
    git merge (merge-driver)."""
    found = structure_problem(item.chinese, item.pair.kind)
    if found:
        at = sum(len(line) + 1 for line in item.chinese.split("\n")[: found[0]])
        yield Problem("error", f"the translation {found[1]}; render, sync and save refuse it: fix the msgstr", at)
    if has_conflict(item.pair):
        yield Problem("error", "conflict: two edits of this unit met (in the PO and by hand in zh/*.md, or on "
                               "two git branches; the CONFLICT note holds the other text); choose a text, "
                               "then delete the CONFLICT note and the fuzzy flag")


@check("directive-syntax")
def check_directive_syntax(item: Item, facts: Facts) -> Iterator[Problem]:
    """Roles damaged in the Chinese (full-width colon, lost colon or backtick, misspelled target),
    and roles lost or changed to another role."""
    zh = item.chinese
    for m, wrong in broken_roles(zh):
        want = f":{m.group('name')}:`{m.group('target')}`"
        yield Problem("error", f"broken role {m.group(0).strip()!r} ({wrong}); write {want}", m.start())
    for m, wrong in broken_roles(item.english):
        yield Problem("warning", f"the English has a broken role {m.group(0).strip()!r} ({wrong})",
                      english_side=True)
    for (name, target), why, at in _lost_roles(item, facts):
        yield Problem("error", why, at)


def _lost_roles(item: Item, facts: Facts) -> list[tuple[tuple[str, str], str, int | None]]:
    """English roles missing from the Chinese that the Chinese still shows in a damaged form."""
    en = _roles(item.en)
    zh = _roles(item.zh, ALL_ROLES)
    missing = en - zh
    out = []
    # well-formed roles are masked: a target inside one is not a target that lost its role
    chars = list(item.chinese)
    for sp in item.zh.spans:
        if sp.kind == "role" and item.chinese.startswith(":", sp.start):
            chars[sp.start : sp.end] = "\x00" * (sp.end - sp.start)
    zh_text = "".join(chars)
    broken_targets = {m.group("target") for m, _ in broken_roles(item.chinese)}
    used: set[int] = set()
    for (name, target), n in missing.items():
        for _ in range(n):
            if target in broken_targets:
                continue  # reported as a broken role already
            other = [(nm, t) for (nm, t) in zh if t == target and nm != name]
            if other and (other[0] not in en):
                out.append(((name, target),
                            f":{other[0][0]}:`{target}` where the English has :{name}:`{target}`; write :{name}:`{target}`",
                            zh_text.find(f":{other[0][0]}:`{target}`")))
                continue
            found = _find_bare(zh_text, target, used)
            if found is not None:
                at, how = found
                out.append(((name, target), f"lost role: {how} has no :{name}:; write :{name}:`{target}`", at))
                continue
            near = _misspelled(item, target, facts, used)
            if near is not None:
                at, token = near
                out.append(((name, target),
                            f"misspelled target {token!r}: the English has :{name}:`{target}` and the book has no "
                            f"label {token!r}", at))
    return out


def _find_bare(zh: str, target: str, used: set[int]) -> tuple[int, str] | None:
    """Where the target stands in the Chinese without its role: `target`, ：target, target."""
    for pattern, how in ((rf"`{re.escape(target)}`", "`{t}` in backticks"),
                         (rf"[：:]\s?{re.escape(target)}(?![A-Za-z0-9_])", "'{m}' (colon, no backticks)"),
                         (rf"(?<![A-Za-z0-9_`]){re.escape(target)}(?![A-Za-z0-9_`])", "'{t}'")):
        for m in re.finditer(pattern, zh):
            if m.start() in used:
                continue
            used.add(m.start())
            return m.start(), how.format(t=target, m=m.group(0))
    return None


def _misspelled(item: Item, target: str, facts: Facts, used: set[int]) -> tuple[int, str] | None:
    """A label-like word in the Chinese, close to the lost target, that names nothing in the book."""
    en_words = set(_LABELISH.findall(item.english))
    best = None
    for m in _LABELISH.finditer(item.chinese):
        word = m.group(0)
        if m.start() in used or word in en_words or word in facts.known:
            continue
        score = difflib.SequenceMatcher(None, word, target).ratio()
        if score >= 0.7 and (best is None or score > best[0]):
            best = (score, m.start(), word)
    if best is None:
        return None
    used.add(best[1])
    return best[1], best[2]


@check("references")
def check_references(item: Item, facts: Facts) -> Iterator[Problem]:
    """Every :numref:, :eqref:, :cite:, :ref: of the English is in the Chinese, and no other."""
    en = _roles(item.en)
    zh = _roles(item.zh, ALL_ROLES)
    explained = {k for k, _, _ in _lost_roles(item, facts)}
    broken = {m.group("target") for m, _ in broken_roles(item.chinese)}
    for (name, target), n in (en - zh).items():
        if (name, target) in explained or target in broken:
            continue
        if zh[(name, target)]:
            # said fewer times: a translation may merge repeated references, the link is there
            yield Problem("info", f":{name}:`{target}` {en[(name, target)]}× in the English, {zh[(name, target)]}× here")
            continue
        times = f" ({n}×)" if n > 1 else ""
        yield Problem("error", f"missing :{name}:`{target}`{times}")
    en_targets = {t for _, t in en}
    for (name, target), n in (zh - _roles(item.en, ALL_ROLES)).items():
        if name in ("label", "eqlabel") and target in en_targets:
            continue  # reported by directive-syntax as a changed role
        if any(t == target for (nm, t) in en):
            continue
        at = item.chinese.find(f":{name}:`")
        if target not in facts.known and name != "cite":
            close = difflib.get_close_matches(target, sorted(facts.known), n=1, cutoff=0.7)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield Problem("error", f":{name}:`{target}` points to no label in the book{hint}", at)
        else:
            yield Problem("warning", f"extra :{name}:`{target}` that the English does not have", at)


# ---------------------------------------------------------------------------------------------
# What a translation carries over: code, math, URLs, numbers


@check("inline-code")
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
        yield Problem("error", f"Chinese text in a code span: {item.chinese[s.start:s.end]}{hint}", s.start)
    kept = {s.value for s in zh_spans}
    for code, n in missing.items():
        if code in kept:
            continue  # kept at least once: a translation may say it fewer times
        bare = re.search(r"(?<![A-Za-z0-9_])" + r"\s*".join(map(re.escape, code)) + r"(?![A-Za-z0-9_])", item.zh.prose)
        if bare:
            yield Problem("warning", f"inline code `{code}` lost its backticks", bare.start())
        elif not cjk and not in_code(item.pair.kind):
            # code comments are cut line by line, and their lines do not always pair up
            yield Problem("warning", f"missing inline code `{code}`")


def _has_cjk(text: str) -> bool:
    return bool(CHINESE.search(text))


@check("math")
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
        yield Problem("warning", f"missing inline math ${tex}$")


@check("links")
def check_links(item: Item, facts: Facts) -> Iterator[Problem]:
    """Link targets and URLs of the English in the Chinese, and no other."""
    en = Counter(item.en.values("url"))
    zh = Counter(item.zh.values("url"))
    missing = list((en - zh).elements())
    extra = list((zh - en).elements())
    for url in list(missing):
        # the same site, another page: a localized link (d2l-zh points to its own forum threads)
        same = next((x for x in extra if _host(x) == _host(url)), None)
        if same is not None:
            missing.remove(url)
            extra.remove(same)
            yield Problem("info", f"link changed from {url} to {same}", _url_at(item, same))
    for url in missing:
        yield Problem("error", f"missing link {url}")
    for url in extra:
        yield Problem("warning", f"link {url} is not in the English", _url_at(item, url))


def _host(url: str) -> str:
    return re.sub(r"^[a-z]+://", "", url).split("/")[0].lower()


def _url_at(item: Item, url: str) -> int | None:
    return next((s.start for s in item.zh.spans if s.kind == "url" and s.value == url), None)


_NUMBER = re.compile(r"(?<![A-Za-z0-9_.\\^])\d+(?:[.,]\d+)*(?:[.,]\d+)?")
_CN_DIGITS = "零一二三四五六七八九"


def _cn_forms(n: int) -> set[str]:
    """Ways Chinese writes a small whole number in words."""
    out: set[str] = set()
    if n < 10:
        out.add(_CN_DIGITS[n])
        if n == 2:
            out.add("两")
    elif n < 100:
        tens, ones = divmod(n, 10)
        out.add(("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else ""))
        out.add(_CN_DIGITS[tens] + "十" + (_CN_DIGITS[ones] if ones else ""))
    elif n in (100, 1000, 10000):
        out |= {"一百", "百", "一千", "千", "一万", "万"}
    if n >= 10000 and n % 10000 == 0:
        out |= {f"{n // 10000}万", f"{n // 10000}万".replace("1万", "一万")}
    if n >= 1000 and n % 1000 == 0:
        out.add(f"{n // 1000}千")
    if n >= 100000000 and n % 100000000 == 0:
        out.add(f"{n // 100000000}亿")
    return out


_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALED = re.compile(r"(\d+(?:[.,]\d+)?)\s*(thousand|million|billion|trillion)", re.I)


def _big_forms(value: float) -> list[str]:
    """A large number as Chinese writes it: 1.1亿, 11000万, 110000000."""
    def fmt(x: float) -> str:
        return f"{x:.4f}".rstrip("0").rstrip(".")
    return [fmt(value / 1e8) + "亿", fmt(value / 1e4) + "万", fmt(value / 1e12) + "万亿", fmt(value)]


@check("numbers")
def check_numbers(item: Item, facts: Facts) -> Iterator[Problem]:
    """Numbers of the English (outside code and math) in the Chinese, as digits or in words."""
    if item.mismatched:
        return
    zh_digits = Counter(x.replace(",", "") for x in re.findall(r"\d+(?:[.,]\d+)*", item.chinese))
    prose = item.en.prose
    for m in _SCALED.finditer(prose):  # 110 million -> 1.1亿 or 11000万
        value = float(m.group(1).replace(",", "")) * _SCALE[m.group(2).lower()]
        if any(f in item.chinese for f in _big_forms(value)):
            prose = prose.replace(m.group(0), " ")
    prose = re.sub(r"\b(1[0-9])([0-9]0)s\b", lambda d: "" if f"{d.group(2)}年代" in item.chinese else d.group(0), prose)
    en_nums = Counter(x.replace(",", "") for x in _NUMBER.findall(prose))
    missing = []
    for num, n in en_nums.items():
        have = zh_digits.get(num, 0)
        if have >= n:
            continue
        if num.isdigit() and int(num) < 10**9 and any(f in item.chinese for f in _cn_forms(int(num))):
            continue
        if any(num in d for d in zh_digits):  # 1990 in 1990s, 3 in 3.5 written otherwise
            continue
        missing.append(num)
    if missing:
        yield Problem("warning", "number(s) of the English missing in the Chinese: " + ", ".join(missing))


# ---------------------------------------------------------------------------------------------
# Structure


_PAIRS = (("(（", ")）", "parentheses"), ("[【", "]】", "square brackets"))
_SPACED_EMPHASIS = re.compile(rf"(?<![*\w])(\*{{1,2}}) +[^*\n]*{_HAN}[^*\n]*? +\1(?![*\w])")


_LIST_MARKER = re.compile(r"^[ \t]*(?:[*+-]|\d+[.)])[ \t]+", re.M)


def _balance(prose: str) -> dict[str, int]:
    """Opening minus closing brackets per kind, and stars that are no emphasis."""
    prose = _LIST_MARKER.sub("", prose)  # a pair over several list items keeps their markers
    out = {}
    for opens, closes, name in _PAIRS:
        out[name] = sum(prose.count(c) for c in opens) - sum(prose.count(c) for c in closes)
    out["emphasis"] = _literal_stars(prose)
    return out


_MD_INLINE = MarkdownIt("commonmark")


def _literal_stars(prose: str) -> int:
    """Stars that Markdown does not take as emphasis (shown as they are)."""
    if "*" not in prose:
        return 0
    # masked spans become punctuation, as the $ or ` that ends them is, so that flanking works
    tokens = _MD_INLINE.parseInline(prose.replace("\x00", "%"))
    return sum(t.content.count("*") for t in (tokens[0].children or []) if t.type == "text")


def _describe(name: str, n: int) -> str:
    if name == "emphasis":
        return f"{n} star(s) that Markdown does not take as emphasis"
    return f"{n} more opening than closing {name}" if n > 0 else f"{-n} more closing than opening {name}"


@check("markup")
def check_markup(item: Item, facts: Facts) -> Iterator[Problem]:
    """Unbalanced emphasis, parentheses or brackets (full-width ones count as their ASCII kin)."""
    if in_code(item.pair.kind):
        return  # code comments are no Markdown, and are cut line by line
    zh = _balance(item.zh.prose)
    en = _balance(item.en.prose)
    for name, n in zh.items():
        if n and n != en[name]:
            yield Problem("error", f"unbalanced in the Chinese: {_describe(name, n)}", _first(item, name))
    for name, n in en.items():
        if n and not zh[name]:
            yield Problem("warning", f"unbalanced in the English: {_describe(name, n)}", english_side=True)
    m = _SPACED_EMPHASIS.search(item.zh.prose)
    if m:
        yield Problem("error", f"emphasis with spaces inside the stars does not render: {m.group(0)[:30]}", m.start())


def _first(item: Item, name: str) -> int | None:
    chars = {"emphasis": "*", "parentheses": "(（)）", "square brackets": "[【]】"}[name]
    pos = [item.zh.prose.find(c) for c in chars if c in item.zh.prose]
    return min(pos) if pos else None


_JUNK = (
    (re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.M), "a merge conflict marker"),
    (re.compile("\ufffd"), "a replacement character (\ufffd): the text was decoded wrongly"),
    (re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]"), "a control character"),
    (re.compile(r"\u200b|\u200c|\u200d|\u2060"), "a zero-width character"),
    (re.compile(r"^\s*(?:msgid|msgstr|msgctxt) \"", re.M), "PO syntax"),
    (re.compile(r"(?i)\b(?:TODO|FIXME|XXX)\b"), "a to-do mark"),
)


@check("stray-text")
def check_stray_text(item: Item, facts: Facts) -> Iterator[Problem]:
    """Text that should not be in a book: conflict markers, broken characters, PO syntax, to-do marks."""
    for pattern, what in _JUNK:
        m = pattern.search(item.chinese)
        if m and not pattern.search(item.english):
            yield Problem("error", f"the Chinese contains {what}", m.start())


# ---------------------------------------------------------------------------------------------
# d2l-zh style (STYLE_GUIDE.md)

_LATIN_START = r"[A-Za-z0-9$`*]"
_SPACE_AROUND = re.compile(rf"(?P<a>{_HAN})[ \t]+(?P<b>{_LATIN_START})|(?P<c>[A-Za-z0-9$`*%])[ \t]+(?P<d>{_HAN})")
_ZH_PUNCT = "，。；：！？、）》」』"
_SPACE_AFTER_PUNCT = re.compile(rf"[{_ZH_PUNCT}][ \t]+(?=\S)")
_ROLE_START = re.compile(r":(?:numref|cite|eqref|ref):`")


def _show(text: str, at: int, width: int = 8) -> str:
    return text[max(0, at - width) : at + width].replace("\n", " ").replace("\x00", "")


def _mask_roles(item: Item) -> str:
    """The Chinese with roles and list markers masked: the spaces around a role are its own
    business (role-space), and a list marker's space is Markdown."""
    chars = list(item.chinese)
    for sp in item.zh.spans:
        if sp.kind == "role":
            chars[sp.start : sp.end] = "\x00" * (sp.end - sp.start)
    for m in _LIST_MARKER.finditer(item.chinese):
        chars[m.start() : m.end()] = "\x00" * (m.end() - m.start())
    return "".join(chars)


@check("spacing")
def check_spacing(item: Item, facts: Facts) -> Iterator[Problem]:
    """No space between Chinese and Latin letters, digits, inline math or code (STYLE_GUIDE.md)."""
    text = _mask_roles(item)
    hits = []
    for m in _SPACE_AROUND.finditer(text):
        rest = text[m.end() - 1 :]
        if m.group("a") and m.group("b") == "*" and not re.match(r"\*+\S", rest):
            continue
        hits.append(m.start() + 1)
    if hits:
        times = f" ({len(hits)} places)" if len(hits) > 1 else ""
        yield Problem("warning", f"space between Chinese and Latin text{times}: '{_show(text, hits[0])}'", hits[0])


@check("role-space")
def check_role_space(item: Item, facts: Facts) -> Iterator[Problem]:
    """One ASCII space before a :numref:/:cite: that does not start a line (else the web page does not render it)."""
    text = item.chinese
    for m in _ROLE_START.finditer(text):
        at = m.start()
        if at == 0 or text[at - 1] == "\n":
            continue
        if text[at - 1] not in " \t":
            yield Problem("warning", f"no space before {text[at:text.find('`', at + 8) + 1]}: write ' {text[at:at+8]}...'", at)
        elif at >= 2 and text[at - 2] in " \t":
            yield Problem("warning", "more than one space before " + text[at : text.find("`", at + 8) + 1], at)


@check("punctuation-space")
def check_punctuation_space(item: Item, facts: Facts) -> Iterator[Problem]:
    """No space after Chinese punctuation (a role's required space excepted)."""
    text = item.chinese
    hits = [m.start() for m in _SPACE_AFTER_PUNCT.finditer(text) if not _ROLE_START.match(text, m.end())]
    if hits:
        times = f" ({len(hits)} places)" if len(hits) > 1 else ""
        yield Problem("warning", f"space after Chinese punctuation{times}: '{_show(text, hits[0])}'", hits[0])


_ASCII_QUOTED = re.compile(rf"\"([^\"\n]*{_HAN}[^\"\n]*)\"|(?<![A-Za-z])'([^'\n]*{_HAN}[^'\n]*)'(?![A-Za-z])|「([^」]*)」")


@check("quotes")
def check_quotes(item: Item, facts: Facts) -> Iterator[Problem]:
    """Chinese text quoted with Chinese quotation marks “…”, not "…" or 「…」."""
    m = _ASCII_QUOTED.search(item.zh.prose)
    if m:
        yield Problem("warning", f"use Chinese quotation marks “…” instead of {m.group(0)[:20]}", m.start())


# ---------------------------------------------------------------------------------------------
# Completeness

_NAME = re.compile(r"(?<![\w.])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")


def _anchors(item: Item) -> tuple[set[str], set[str]]:
    """What a translation normally keeps: code, math, numbers, names (capitalized or mixed words)."""
    en: set[str] = set(item.en.values("code")) | set(item.en.values("math"))
    en |= set(_NUMBER.findall(item.en.prose))
    # names: not plain words, not a sentence's capital, not abbreviations (RNNs: 循环神经网络)
    en |= {w for w in _NAME.findall(item.en.prose)
           if not w.islower() and not re.fullmatch(r"[A-Z][a-z]+|[A-Z]+s?", w)}
    return en, set()


def _mismatch(item: Item) -> str | None:
    """Why the Chinese does not look like a translation of the English, or None."""
    if one_line(item.pair.kind):
        return None
    en, _ = _anchors(item)
    if len(en) < 4:
        return None
    zh = item.chinese.lower().replace(" ", "")
    kept = [a for a in en if a.lower().replace(" ", "") in zh]
    if len(kept) * 4 < len(en):
        return f"only {len(kept)} of the {len(en)} names, numbers, code and math of the English are in the Chinese"
    return None


@check("mismatch")
def check_mismatch(item: Item, facts: Facts) -> Iterator[Problem]:
    """A Chinese that does not translate its English (a paragraph misplaced, or the wrong text)."""
    why = _mismatch(item)
    if why:
        yield Problem("warning", f"the Chinese does not seem to translate this English: {why}")


_EN_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")


def _zh_size(item: Item) -> float:
    """Chinese characters plus Latin words of the Chinese prose (cached on the item)."""
    if item._sizes is None:
        item._sizes = (len(CHINESE.findall(item.zh.prose)) + len(_EN_WORD.findall(CHINESE.sub(" ", item.zh.prose))),
                       len(_EN_WORD.findall(item.en.prose)))
    return item._sizes[0]


def _en_size(item: Item) -> int:
    """English words of the English prose (cached on the item)."""
    _zh_size(item)
    assert item._sizes is not None
    return item._sizes[1]


@check("length")
def check_length(item: Item, facts: Facts) -> Iterator[Problem]:
    """A translation far shorter or longer than its English (for English of 20 words or more)."""
    words = _en_size(item)
    if words < 20:
        return
    ratio = _zh_size(item) / words
    if ratio < facts.ratio * 0.35:
        yield Problem("warning", f"translation looks short: {_zh_size(item):.0f} Chinese characters for {words} "
                                 f"English words (the book's median is {facts.ratio:.1f} per word)")
    elif ratio > facts.ratio * 3.0:
        yield Problem("warning", f"translation looks long: {_zh_size(item):.0f} Chinese characters for {words} "
                                 f"English words (the book's median is {facts.ratio:.1f} per word)")


# a sentence has one of these; a command (pip install pandas) or a list of names has none
_FUNCTION_WORDS = frozenset("the a an to of in on is are be for with and or this that we you it by as at from".split())
# quoted text (an example sentence, a title) is often kept in English on purpose
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|《[^》]*》|'[^'\n]*'")
_EN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ ,;]+[A-Za-z][A-Za-z'’\-]*){5,}")


@check("untranslated")
def check_untranslated(item: Item, facts: Facts) -> Iterator[Problem]:
    """English left in the Chinese: the whole pair, or a run of six or more English words from the English."""
    if item.chinese.strip() == item.english.strip():
        # prose, not names, identifiers or quoted examples: three plain lower-case words
        plain = re.findall(r"(?<![\w'])[a-z]{2,}(?![\w'])", _QUOTED.sub(" ", item.en.prose))
        if len(plain) >= 3 and _FUNCTION_WORDS.intersection(plain):
            yield Problem("warning", "the Chinese is the English, untranslated")
        return
    en_prose = " ".join(item.en.prose.replace("\x00", " ").split()).lower()
    for m in _EN_RUN.finditer(_QUOTED.sub(lambda q: " " * len(q.group()), item.zh.prose)):
        run = " ".join(m.group(0).split()).lower()
        if run in en_prose:
            yield Problem("warning", f"untranslated English: '{m.group(0)[:60]}'", m.start())
            return


# ---------------------------------------------------------------------------------------------
# Running the checks


def book_facts(book: Book, rels: list[str]) -> Facts:
    """Labels and role targets of every English file of the book."""
    facts = Facts()
    for rel in book.english_files():
        text = book.english(rel)
        for m in re.finditer(r":(label|eqlabel):`([^`]+)`", text):
            facts.labels.add(m.group(2).strip())
        for m in re.finditer(r":(numref|eqref|ref|cite):`([^`]+)`", text):
            facts.targets.add(m.group(2).replace(" ", ""))
            if m.group(1) == "cite":
                facts.targets.update(k.strip() for k in m.group(2).split(","))
    return facts


def file_items(book: Book, rel: str, stale: bool = False) -> list[Item]:
    """The translated pairs of one file, each with where its Chinese lands in zh/PATH.md.

    When zh/PATH.md is the workbench's last render of the pairs (the recorded merge base), each
    pair's Chinese is found in it in order: no Markdown parsing needed. Otherwise zh/PATH.md is
    rendered here the way `workbench render` writes it; hand edits not yet taken back are taken
    back into a copy of the pairs first, so the lines are those of the file a person opens.
    """
    if not book.has_catalog(rel):
        return []
    catalog = book.catalog(rel)
    zh_text = book.chinese(rel)
    base = book.base(rel)
    if zh_text is not None and base is not None and zh_text == base.text:
        items = _find_in_render(zh_text, catalog, rel, stale)
        if items is not None:
            return items
    doc = book.document(rel)
    if zh_text is not None:
        trial = copy.deepcopy(catalog)
        try:
            if merge(zh_text, f"zh/{rel}", doc, trial, base).taken_back:
                catalog = trial
        except WorkbenchError:
            pass  # the edit cannot be placed: check the pairs as stored
    return _place(doc, catalog, rel, stale)


def _find_in_render(zh_text: str, catalog: Catalog, rel: str, stale: bool) -> list[Item] | None:
    """Items placed by finding each pair's Chinese, in order, in the rendered zh/PATH.md.

    Chinese with a Chinese character is found in order; a pair whose Chinese has none (kept in
    English, code-like) must occur exactly once between its placed neighbours, since the same
    text may stand there untranslated. None when a pair cannot be placed for sure: the caller
    renders instead.
    """
    spots: list[tuple[Pair, str, str, int, int]] = []  # pair, first line, last line, start, end
    pos = 0
    for pair in catalog.active:
        if not pair.chinese:
            continue
        lines = [x.strip() for x in pair.chinese.strip().split("\n") if x.strip()]
        if one_line(pair.kind):
            lines = [" ".join(" ".join(lines).split())]
        elif pair.kind == "comment":
            lines = [x.lstrip("#").strip() for x in lines]
        first, last = lines[0], lines[-1]
        if not _has_cjk(first):
            spots.append((pair, first, last, -1, pos))
            continue
        at = zh_text.find(first, pos)
        if at < 0:
            return None
        end = at + len(first)
        if last is not first:
            found = zh_text.find(last, end)
            end = found + len(last) if found >= 0 else end
        spots.append((pair, first, last, at, end))
        pos = end
    # place the pairs without Chinese characters between their neighbours
    for k, (pair, first, last, at, lo) in enumerate(spots):
        if at >= 0:
            continue
        hi = next((s_[3] for s_ in spots[k + 1 :] if s_[3] >= 0), len(zh_text))
        lo = spots[k - 1][4] if k else 0
        at = zh_text.find(first, lo, hi)
        if at < 0 or zh_text.find(first, at + 1, hi) >= 0:
            return None
        end = at + len(first)
        spots[k] = (pair, first, last, at, end)
    items = []
    for pair, _, _, at, _ in spots:
        if pair.stale and not stale and not has_conflict(pair):  # a conflict is always shown
            continue
        items.append(Item(pair, pair.english, pair.chinese, f"zh/{rel}", zh_text.count("\n", 0, at) + 1,
                          f"en/{rel}", pair.line, one_line(pair.kind)))
    return items


def _place(doc, catalog: Catalog, rel: str, stale: bool) -> list[Item]:  # type: ignore[no-untyped-def]
    matches = match(doc, catalog)
    text = translations(doc, matches)
    heads = {m.unit: m for m in matches if m.pair is not None and m.head and m.pair.chinese}

    def marked(i: int, _unit: object) -> str | None:
        t = text.get(i)
        if i in heads and t:
            return f"\x01{i}\x02{t}"
        return t

    rendered = render_units(doc, marked)
    lines: dict[int, int] = {}
    newlines = 0
    pos = 0
    for m in re.finditer(r"\x01(\d+)\x02", rendered):
        newlines += rendered.count("\n", pos, m.start())
        pos = m.start()
        lines[int(m.group(1))] = newlines + 1
    items = []
    for i, m in heads.items():
        pair = m.pair
        assert pair is not None
        if pair.stale and not stale and not has_conflict(pair):  # a conflict is always shown
            continue
        unit = doc.units[i]
        items.append(Item(pair, pair.english, pair.chinese, f"zh/{rel}", lines.get(i, unit.start),
                          f"en/{rel}", unit.start, one_line(unit.kind)))
    items.sort(key=lambda it: it.line)
    return items


def book_items(book: Book, rels: list[str] | None = None, stale: bool = False) -> list[Item]:
    """The translated pairs of the book (or of some files), placed."""
    out: list[Item] = []
    for rel in rels or book.english_files():
        out.extend(file_items(book, rel, stale))
    return out


def median_ratio(items: list[Item]) -> float:
    """Chinese characters per English word, the median over pairs of 20 words or more."""
    ratios = [_zh_size(it) / w for it in items if (w := _en_size(it)) >= 20]
    return statistics.median(ratios) if len(ratios) >= 20 else 1.6


def run(items: list[Item], facts: Facts, only: Iterable[str] | None = None) -> list[Finding]:
    """Run the registered checks (or the ones named) over the items, in book order."""
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


def check_book(book: Book, rels: list[str] | None = None, only: Iterable[str] | None = None) -> list[Finding]:
    """Every check over the translated pairs of a book."""
    files_ = rels or book.english_files()
    items = book_items(book, files_)
    facts = book_facts(book, files_)
    facts.ratio = median_ratio(items)
    return run(items, facts, only)
