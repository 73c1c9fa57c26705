"""The term check: pairs whose Chinese does not use the glossary's translation of a term."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..model import is_cjk
from ..progress import Severity
from .evidence import BookText, fold_chinese, has_cjk
from .file import Glossary
from .matcher import TermMatcher
from .misses import Variant, given_chinese, near_form, split_form, strip_all, substitute, weigh_misses
from .uses import IDIOMS, TermRule, TextPair, Use, in_compound, rules, verb_use

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

# (The severities, worst first, are progress.SEVERITIES, those of QA findings too.)


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
    severity: Severity = Severity.WARNING
    """How serious the finding is."""
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


def zh_pattern(chinese: str) -> re.Pattern[str]:
    """The folded Chinese as a pattern in which a 的 may stand between two Chinese characters
    (全连接的层 is 全连接层 inflected; Chinese has no other inflection to fold)."""
    folded = fold_chinese(chinese)
    out = re.escape(folded[:1])
    for a, b in itertools.pairwise(folded):
        out += ("的?" if is_cjk(a) and is_cjk(b) else "") + re.escape(b)
    return re.compile(out)


def check_terms(pairs: Sequence[TextPair], g: Glossary, report: Iterable[str] | None = None,
                min_variant: int = 3) -> list[TermFinding]:
    """The term check: findings for the pairs whose zh file is in `report` (all when None),
    weighed with the evidence of all `pairs` (the whole book)."""
    table = rules(g)
    zh_folded = [fold_chinese(p.chinese) for p in pairs]
    uses, pair_uses = _find_uses(pairs, table, zh_folded)
    evidence = BookText(pairs)
    variants: list[Variant] = []
    for key, key_uses in uses.items():
        variants += weigh_misses(key, table[key], key_uses, pairs, evidence, min_variant)
    wanted = set(report) if report is not None else None
    out: list[TermFinding] = []
    joined_by_key: dict[str, str] = {}

    def term_text(key: str) -> str:
        """The Chinese of the pairs whose English has the term, each distinct text once."""
        if key not in joined_by_key:
            joined_by_key[key] = "\n".join(dict.fromkeys(fold_chinese(pairs[u.pair].chinese_prose)
                                                          for u in uses[key]))
        return joined_by_key[key]

    def place(use: Use) -> TextPair | None:
        p = pairs[use.pair]
        return p if wanted is None or p.file in wanted else None

    for key, key_uses in uses.items():
        rule = table[key]
        expected = "/".join(rule.approved)
        for use in key_uses:
            p = place(use)
            if p is None or use.state == "ok":
                continue
            severity, reason, problem = _judge(use, rule, table, pair_uses[use.pair], zh_folded[use.pair],
                                               pairs[use.pair], evidence, term_text)
            out.append(TermFinding(p.file, p.line, p.en_file, p.en_line, rule.english, expected, use.found,
                                   problem, severity, reason))
    for var in variants:
        shown = [u for u in var.uses if place(u) is not None]
        if shown:
            out.append(_variant_finding(var, pairs[shown[0].pair], table[var.key], pairs))
    order = {f: i for i, f in enumerate(dict.fromkeys(p.file for p in pairs))}
    out.sort(key=lambda f: (order.get(f.file, 0), f.line, f.term))
    return out


def _find_uses(pairs: Sequence[TextPair], table: dict[str, TermRule],
               zh_folded: list[str]) -> tuple[dict[str, list[Use]], dict[int, dict[str, Use]]]:
    """Every glossary term in the pairs' English, with the state of its Chinese: by term, and by pair."""
    matcher = TermMatcher(table)
    approved = {k: [zh_pattern(a) for a in r.approved] for k, r in table.items()}
    uses: dict[str, list[Use]] = defaultdict(list)
    pair_uses: dict[int, dict[str, Use]] = {}
    for k, p in enumerate(pairs):
        if not has_cjk(p.chinese_prose):
            continue  # left in English as a whole: qa's untranslated check speaks of it
        text = IDIOMS.sub(lambda m: "\x00" * len(m.group()), p.english_prose)
        first: dict[str, Use] = {}
        for hit in matcher.find(text):
            if in_compound(text, hit.start, hit.end):
                continue  # root-mean-squared-error is not the glossary's mean squared error
            rule = table[hit.key]
            use = Use(k, hit.key, text[hit.start : hit.end],
                      rule.single and verb_use(text, hit.start, hit.end))
            seen = first.get(hit.key)
            if seen is None or (seen.verb and not use.verb):  # the noun counts when both stand in a pair
                first[hit.key] = use
            elif not use.verb:
                seen.times += 1
        zh = zh_folded[k]
        pair_uses[k] = first
        for key, use in first.items():
            rule = table[key]
            bad = [v for v in rule.forbidden if fold_chinese(v) in zh]
            if bad:
                use.state, use.found = "forbidden", bad[0]
            elif not any(pat.search(zh) for pat in approved[key]):
                given = [v for v in rule.proposed if fold_chinese(v) in zh]
                if given:
                    use.state, use.found = "proposed", given[0]
                else:
                    use.state = "missing"
                    use.found = given_chinese(p.chinese, p.chinese_prose, use.surface)
            uses[key].append(use)
    return uses, pair_uses


def _judge(use: Use, rule: TermRule, table: dict[str, TermRule], pair_uses: dict[str, Use], zh: str, pair: TextPair,
           evidence: BookText, term_text: Callable[[str], str]) -> tuple[Severity, str, str]:
    """Severity, reason and problem of a use whose Chinese lacks the approved translation (`zh`:
    its pair's folded Chinese); a phrase's `use.found` is filled in with what stands instead."""
    severity, reason, problem = Severity.WARNING, "", "missing"
    if use.state == "forbidden":
        severity, problem = Severity.ERROR, "forbidden"
    elif use.state == "proposed":
        severity, reason = Severity.INFO, "a translation proposed for this term, not yet approved"
    elif use.state == "variant":
        severity, reason = Severity.INFO, "the book's usual translation here; see its variant finding"
    elif use.verb:
        severity, reason = Severity.INFO, "the word is used as a verb here"
    elif use.found and not has_cjk(use.found):
        reason = "left in English"
    elif use.found:
        pass  # the pair glosses the term with another Chinese: 数据样本（data instance）
    elif rule.single:
        severity, reason = Severity.INFO, "a single word, which may stand in another sense"
    else:
        # a phrase: a near form of the approved translation (对象检测 for 目标检测, 注意模型 for
        # 注意力模型) is a wrong term; nothing like it is a paraphrase or an omission, which
        # the term check cannot tell from a right translation
        others = [a for key2 in pair_uses if key2 != use.key for a in table[key2].approved]
        near = near_form(strip_all(zh, [fold_chinese(a) for a in others]),
                         [fold_chinese(a) for a in rule.approved])
        instead = substitute(use, pair_uses, zh, table)
        split = split_form(fold_chinese(pair.chinese_prose), rule.approved)
        if near and evidence.specific(near, term_text(use.key)):
            use.found = evidence.whole(near)
        elif instead:
            use.found, reason = instead
        elif split:
            use.found, reason = split, "the term is torn apart"
        else:
            severity, reason = Severity.INFO, "nothing like it in the Chinese: a paraphrase or an omission?"
    return severity, reason, problem


def _variant_finding(var: Variant, p: TextPair, rule: TermRule, pairs: Sequence[TextPair]) -> TermFinding:
    """One finding for a variant the book uses instead of a term's approved translation, at its
    first pair `p` in the files reported."""
    nfiles = len({pairs[u.pair].file for u in var.uses})
    # a single word rendered another way in a minority of its pairs is likely another sense of
    # the word (性质 for a mathematical property, 偏差 for a statistical bias), unless the
    # variant is a near form of the approved word (词汇表 for 词表, 过度拟合 for 过拟合)
    near = near_form(fold_chinese(var.chinese), [fold_chinese(a) for a in rule.approved])
    severity = Severity.WARNING if var.prevails or not rule.single or near else Severity.INFO
    where_ = f"{nfiles} {'file' if nfiles == 1 else 'files'}"
    reason = (f"{where_}; approve it as an alternative or change those pairs (--severity info lists them)"
              if severity == Severity.WARNING else
              f"{where_}; fewer than the approved translation's, so perhaps another sense of the word")
    return TermFinding(p.file, p.line, p.en_file, p.en_line, rule.english, "/".join(rule.approved),
                       var.chinese, "variant", severity, reason, len(var.uses))
