"""Links and numbers a translation keeps, and brackets and emphasis it keeps balanced
(full-width brackets count as their ASCII kin)."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator

from markdown_it import MarkdownIt

from ..model import in_code
from .inline import HAN_CHAR, LIST_MARKER, NUMBER
from .model import Facts, Item, Problem, Severity


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
            yield Problem(Severity.INFO, f"link changed from {url} to {same}", _url_at(item, same))
    for url in missing:
        yield Problem(Severity.ERROR, f"missing link {url}")
    for url in extra:
        yield Problem(Severity.WARNING, f"link {url} is not in the English", _url_at(item, url))


def _host(url: str) -> str:
    return re.sub(r"^[a-z]+://", "", url).split("/")[0].lower()


def _url_at(item: Item, url: str) -> int | None:
    return next((s.start for s in item.zh.spans if s.kind == "url" and s.value == url), None)


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
    en_nums = Counter(x.replace(",", "") for x in NUMBER.findall(prose))
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
        yield Problem(Severity.WARNING, "number(s) of the English missing in the Chinese: " + ", ".join(missing))


_PAIRS = (("(（", ")）", "parentheses"), ("[【", "]】", "square brackets"))
_SPACED_EMPHASIS = re.compile(rf"(?<![*\w])(\*{{1,2}}) +[^*\n]*{HAN_CHAR}[^*\n]*? +\1(?![*\w])")




def _balance(prose: str) -> dict[str, int]:
    """Opening minus closing brackets per kind, and stars that are no emphasis."""
    prose = LIST_MARKER.sub("", prose)  # a pair over several list items keeps their markers
    out = {}
    for opens, closes, name in _PAIRS:
        out[name] = sum(prose.count(c) for c in opens) - sum(prose.count(c) for c in closes)
    out["emphasis"] = _literal_stars(prose)
    return out


_MD_INLINE = MarkdownIt("commonmark")


@functools.lru_cache(maxsize=1 << 14)  # as qa.inline: the same texts are checked after each save
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


def check_markup(item: Item, facts: Facts) -> Iterator[Problem]:
    """Unbalanced emphasis, parentheses or brackets (full-width ones count as their ASCII kin)."""
    if in_code(item.pair.kind):
        return  # code comments are no Markdown, and are cut line by line
    zh = _balance(item.zh.prose)
    en = _balance(item.en.prose)
    for name, n in zh.items():
        if n and n != en[name]:
            yield Problem(Severity.ERROR, f"unbalanced in the Chinese: {_describe(name, n)}", _first(item, name))
    for name, n in en.items():
        if n and not zh[name]:
            yield Problem(Severity.WARNING, f"unbalanced in the English: {_describe(name, n)}", english_side=True)
    m = _SPACED_EMPHASIS.search(item.zh.prose)
    if m:
        yield Problem(Severity.ERROR, f"emphasis with spaces inside the stars does not render: {m.group(0)[:30]}", m.start())


def _first(item: Item, name: str) -> int | None:
    chars = {"emphasis": "*", "parentheses": "(（)）", "square brackets": "[【]】"}[name]
    pos = [item.zh.prose.find(c) for c in chars if c in item.zh.prose]
    return min(pos) if pos else None

