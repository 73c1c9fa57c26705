"""A glossary term's uses in the translated pairs: the pairs, the rules, and what an English use is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .file import Glossary
from .matcher import WORD


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
        return len(WORD.findall(self.english)) == 1


def rules(g: Glossary) -> dict[str, TermRule]:
    """Folded English -> its approved, forbidden and proposed Chinese; only terms with an approved Chinese."""
    out: dict[str, TermRule] = {}
    for t in g.terms:
        if t.status == "rejected":
            continue
        r = out.setdefault(t.key, TermRule(t.english, [], []))
        {"approved": r.approved, "forbidden": r.forbidden, "proposed": r.proposed}[t.status].append(t.chinese)
    return {k: r for k, r in out.items() if r.approved}


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


def verb_use(text: str, start: int, end: int) -> bool:
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


def in_compound(text: str, start: int, end: int) -> bool:
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
class Use:
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
