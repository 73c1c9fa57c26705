"""d2l's roles (:numref:, :eqref:, :cite:, :ref:, :label:): damaged ones (full-width colon, a lost
colon or backtick, a misspelled target), lost ones, and references the English has and the
Chinese lacks (or points to no label of the book)."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator

from .inline import Inline
from .model import Facts, Item, Problem, Severity

#: d2l roles that point somewhere: the Chinese must keep every one the English has.
REFERENCE_ROLES = ("numref", "eqref", "cite", "ref")
ALL_ROLES = REFERENCE_ROLES + ("label", "eqlabel")


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
    if "ref" not in text and "cite" not in text and "label" not in text:
        return []  # no role's name (numref, eqref, ref, cite, label, eqlabel): most texts
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


def check_directive_syntax(item: Item, facts: Facts) -> Iterator[Problem]:
    """Roles damaged in the Chinese (full-width colon, lost colon or backtick, misspelled target),
    and roles lost or changed to another role."""
    zh = item.chinese
    for m, wrong in broken_roles(zh):
        want = f":{m.group('name')}:`{m.group('target')}`"
        yield Problem(Severity.ERROR, f"broken role {m.group(0).strip()!r} ({wrong}); write {want}", m.start())
    for m, wrong in broken_roles(item.english):
        yield Problem(Severity.WARNING, f"the English has a broken role {m.group(0).strip()!r} ({wrong})",
                      english_side=True)
    for _role, why, at in _lost_roles(item, facts):
        yield Problem(Severity.ERROR, why, at)


def _lost_roles(item: Item, facts: Facts) -> list[tuple[tuple[str, str], str, int | None]]:
    """English roles missing from the Chinese that the Chinese still shows in a damaged form."""
    en = _roles(item.en)
    zh = _roles(item.zh, ALL_ROLES)
    missing = en - zh
    out: list[tuple[tuple[str, str], str, int | None]] = []
    if not missing:
        return out
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
                            f":{other[0][0]}:`{target}` where the English has :{name}:`{target}`; "
                            f"write :{name}:`{target}`",
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
            yield Problem(Severity.INFO, f":{name}:`{target}` {en[(name, target)]}× in the English, "
                                  f"{zh[(name, target)]}× here")
            continue
        times = f" ({n}×)" if n > 1 else ""
        yield Problem(Severity.ERROR, f"missing :{name}:`{target}`{times}")
    en_targets = {t for _, t in en}
    for name, target in zh - _roles(item.en, ALL_ROLES):
        if name in ("label", "eqlabel") and target in en_targets:
            continue  # reported by directive-syntax as a changed role
        if any(t == target for (nm, t) in en):
            continue
        at = item.chinese.find(f":{name}:`")
        if target not in facts.known and name != "cite":
            close = difflib.get_close_matches(target, sorted(facts.known), n=1, cutoff=0.7)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield Problem(Severity.ERROR, f":{name}:`{target}` points to no label in the book{hint}", at)
        else:
            yield Problem(Severity.WARNING, f"extra :{name}:`{target}` that the English does not have", at)

