"""GNU gettext's canonical PO layout: how msgcat quotes and wraps a string, written in Python.

A PO file laid out the way msgcat (and translate-toolkit, which Weblate uses) lays it out
comes back byte for byte from those tools, so a round trip through a translator's tool is no
whole-file diff. The rules, as gettext's write-po.c applies them:

- a string is cut after each "\\n" it holds; each piece starts a new quoted line;
- a piece longer than the page (79 columns, the closing quote included) breaks at the line
  break opportunities of Unicode's line breaking algorithm (UAX #14, as libunistring applies
  it): after a space, between two Chinese characters, around most CJK punctuation; a Chinese
  character is two columns wide;
- when the string does not fit after its keyword, the keyword gets "" and the string starts
  on the next line.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import unicodedata

#: msgcat's page width.
PAGE_WIDTH = 79

# Line break classes (UAX #14) of the pair table below, in its order.
_CLASSES = [
    "WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP", "EX", "IN", "NS", "OP", "QU", "IS", "NU",
    "PO", "PR", "SY", "AL", "H2", "H3", "ID", "JL", "JV", "JT", "HL", "RI", "ZWJ", "EB", "EM",
]
_INDEX = {c: i for i, c in enumerate(_CLASSES)}
# Whether a line may break between a character of class ROW and one of class COLUMN (UAX #14,
# table 7.3, with libunistring's tailoring, LB22: no break before …, and LB24: none between a
# letter and $ or %; measured against msgcat: a closing parenthesis may break before a
# small kana after a space, a slash never before a Hebrew letter):
# D direct, I only with spaces between, P never.
_PAIRS = [row.split() for row in (
    "P I I I I I P P P I I I I P I I I P I I I I I I I I I I I I",  # WJ
    "P I I I I I P P P I I I I P I I I P I I I I I I I I I I I I",  # GL
    "P I P I D I P P P I I D I P D D D P D D D D D D D D D I D D",  # B2
    "P D D I D I P P P I I D I P D D D P D D D D D D D D D I D D",  # BA
    "P I I I I I P P P I I I I P I I I P I I I I I I I I I I I I",  # BB
    "P D D I D I P P P I I D I P I D D P D D D D D D D D D I D D",  # HY
    "P I D I D I P P P I P D I P D I I P D D D D D D D D D I D D",  # CL
    "P I D I D I P P P I I D I P I I I P I D D D D D D I D I D D",  # CP
    "P I D I D I P P P I I D I P D D D P D D D D D D D D D I D D",  # EX
    "P I D I D I P P P I I D I P D D D P D D D D D D D D D I D D",  # IN
    "P I D I D I P P P I I D I P D D D P D D D D D D D D D I D D",  # NS
    "P P P P P P P P P P P P P P P P P P P P P P P P P P P P P P",  # OP
    "P I I I I I P P P I I P I P I I I P I I I I I I I I I I I I",  # QU
    "P I D I D I P P P I I D I P I D D P D D D D D D D D D I D D",  # IS
    "P I D I D I P P P I I I I P I I I P I D D D D D D I D I D D",  # NU
    "P I D I D I P P P I I I I P I D D P I D D D D D D I D I D D",  # PO
    "P I D I D I P P P I I I I P I D D P I I I I I I I I D I I I",  # PR
    "P I D I D I P P P I I D I P I D D P D D D D D D D I D I D D",  # SY
    "P I D I D I P P P I I I I P I I I P I D D D D D D I D I D D",  # AL
    "P I D I D I P P P I I D I P D I D P D D D D D I I D D I D D",  # H2
    "P I D I D I P P P I I D I P D I D P D D D D D D I D D I D D",  # H3
    "P I D I D I P P P I I D I P D I D P D D D D D D D D D I D D",  # ID
    "P I D I D I P P P I I D I P D I D P D I I D I I D D D I D D",  # JL
    "P I D I D I P P P I I D I P D I D P D D D D D I I D D I D D",  # JV
    "P I D I D I P P P I I D I P D I D P D D D D D D I D D I D D",  # JT
    "P I D I D I P P P I I I I P I I I P I D D D D D D I D I D D",  # HL
    "P I D I D I P P P I I D I P D D D P D D D D D D I D I I D D",  # RI
    "P I D I D I P P P I I D I P D D D P D D D I D D I D I I I I",  # ZWJ
    "P I D I D I P P P I I D I P D I D P D D D D D D I D I I D I",  # EB
    "P I D I D I P P P I I D I P D I D P D D D D D D I D I I D D",  # EM
)]

# The classes of ASCII (Unicode's LineBreak.txt); SP, and CM for control characters.
# CJ (small kana, the prolonged sound mark), resolved as libunistring resolves it: NS
_SMALL_KANA = frozenset("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯｰ")
_ASCII = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}~",
    [
        "SP", "EX", "QU", "AL", "PR", "PO", "AL", "QU", "OP", "CP", "AL", "PR", "IS", "HY", "IS",
        "SY", "NU", "NU", "NU", "NU", "NU", "NU", "NU", "NU", "NU", "NU", "IS", "IS", "AL", "AL",
        "AL", "EX", "AL", "OP", "PR", "CP", "AL", "AL", "AL", "OP", "BA", "CL", "AL",
    ],
    strict=True,
))
# Characters outside ASCII whose class is not what their Unicode category suggests (the ones a
# book in English and Chinese meets: Latin-1, general punctuation, CJK and full-width punctuation).
_SPECIAL: dict[str, str] = {
    "\u00a0": "GL", "\u00a1": "OP", "\u00a2": "PO", "\u00a3": "PR", "\u00a4": "PR", "\u00a5": "PR",
    "\u00ab": "QU", "\u00ad": "BA", "\u00b0": "PO", "\u00b1": "PR", "\u00b4": "BB", "\u00bb": "QU",
    "\u00bf": "OP", "\u2010": "BA", "\u2011": "GL", "\u2012": "BA", "\u2013": "BA", "\u2014": "B2",
    "\u2018": "QU", "\u2019": "QU", "\u201a": "OP", "\u201b": "QU", "\u201c": "QU", "\u201d": "QU",
    "\u201e": "OP", "\u201f": "QU", "\u2024": "IN", "\u2025": "IN", "\u2026": "IN", "\u2027": "BA",
    "\u2030": "PO", "\u2031": "PO", "\u2032": "PO", "\u2033": "PO", "\u2034": "PO", "\u2035": "PO",
    "\u2036": "PO", "\u2037": "PO", "\u2039": "QU", "\u203a": "QU", "\u203c": "NS", "\u203d": "NS",
    "\u2044": "IS", "\u2047": "NS", "\u2048": "NS", "\u2049": "NS", "\u2060": "WJ", "\ufeff": "WJ",
    "\u200b": "ZW", "\u200d": "ZWJ", "\u2212": "PR", "\u2213": "PR", "\u20ac": "PR", "\u2116": "PR",
    "\u2103": "PO", "\u2109": "PO", "\u3000": "BA", "\u3001": "CL", "\u3002": "CL", "\u3005": "NS",
    "\u3008": "OP", "\u3009": "CL", "\u300a": "OP", "\u300b": "CL", "\u300c": "OP", "\u300d": "CL",
    "\u300e": "OP", "\u300f": "CL", "\u3010": "OP", "\u3011": "CL", "\u3014": "OP", "\u3015": "CL",
    "\u3016": "OP", "\u3017": "CL", "\u3018": "OP", "\u3019": "CL", "\u301a": "OP", "\u301b": "CL",
    "\u301c": "NS", "\u301d": "OP", "\u301e": "CL", "\u301f": "CL", "\u303b": "NS", "\u303c": "NS",
    "\u30a0": "NS", "\u30fc": "NS", "\u30fb": "NS", "\u30fd": "NS", "\u30fe": "NS",
    "\ufe50": "CL", "\ufe52": "CL", "\ufe59": "OP", "\ufe5a": "CL", "\ufe5b": "OP", "\ufe5c": "CL",
    "\ufe5d": "OP", "\ufe5e": "CL", "\uff01": "EX", "\uff04": "PR", "\uff05": "PO", "\uff08": "OP",
    "\uff09": "CL", "\uff0c": "CL", "\uff0e": "CL", "\uff1a": "NS", "\uff1b": "NS", "\uff1f": "EX",
    "\uff3b": "OP", "\uff3d": "CL", "\uff5b": "OP", "\uff5d": "CL", "\uff5f": "OP", "\uff60": "CL",
    "\uff61": "CL", "\uff62": "OP", "\uff63": "CL", "\uff64": "CL", "\uff65": "NS", "\uffe0": "PO",
    "\uffe1": "PR", "\uffe5": "PR", "\uffe6": "PR",
}


@functools.cache  # a few thousand distinct characters; asked for every character laid out
def _class(ch: str) -> str:
    """The line break class of a character, resolved as libunistring resolves AI, CJ, SA and XX
    (letter, ideograph, letter, letter)."""
    if ch in _ASCII:
        return _ASCII[ch]
    o = ord(ch)
    if o < 0x20 or o == 0x7F:
        return "CM"
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch in _SMALL_KANA:
        return "NS"
    category = unicodedata.category(ch)
    if 0x05D0 <= o <= 0x05F2 or 0xFB1D <= o <= 0xFB4F:
        return "HL" if category == "Lo" else "AL"
    if 0x1F3FB <= o <= 0x1F3FF:
        return "EM"
    if category in ("Mn", "Mc", "Me"):
        return "CM"
    if 0x1100 <= o <= 0x115F:
        return "JL"
    if 0x1160 <= o <= 0x11A7:
        return "JV"
    if 0x11A8 <= o <= 0x11FF:
        return "JT"
    if 0xAC00 <= o <= 0xD7A3:
        return "H2" if (o - 0xAC00) % 28 == 0 else "H3"
    if 0x1F1E6 <= o <= 0x1F1FF:
        return "RI"
    if unicodedata.east_asian_width(ch) in ("W", "F") and category not in ("Ps", "Pe"):
        return "ID"
    if category == "Ps":
        return "OP"
    if category == "Pe":
        return "CL"
    if category == "Nd":
        return "NU"
    if category == "Zs":
        return "BA"
    return "AL"


@functools.cache  # a PO holds a few thousand distinct characters, laid out again and again
def width(ch: str) -> int:
    """Columns a character takes in a terminal: 2 for Chinese, 0 for a combining mark."""
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or 0x1160 <= ord(ch) <= 0x11FF:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


# The classes as numbers for the loop below: the pair table's by their index, and three it has no
# row for (a space, a zero-width space, a combining mark); "BK" is the start of the text.
_SP, _ZW, _CM, _BK = -1, -2, -3, -4
_ZWJ, _AL = _INDEX["ZWJ"], _INDEX["AL"]
_LETTERS = frozenset(_INDEX[c] for c in ("AL", "HL", "NU"))
_OPEN = _INDEX["OP"]
#: Per class pair: 2 a direct break, 1 a break only with spaces between, 0 none.
_RULES = [[{"D": 2, "I": 1, "P": 0}[rule] for rule in row] for row in _PAIRS]


@functools.cache
def _number(ch: str) -> int:
    """The class of a character as the loop of `_opportunities` reads it."""
    cls = _class(ch)
    return {"SP": _SP, "ZW": _ZW, "CM": _CM}.get(cls, _INDEX.get(cls, _INDEX["AL"]))


@functools.lru_cache(maxsize=4)  # a first piece that does not fit after its keyword is cut twice
def _opportunities(text: str) -> list[bool]:
    """For each character: may a line break before it (UAX #14 pair table, spaces and marks)."""
    out = [False] * len(text)
    last = _BK  # class of the last character that is not a space
    spaces = False  # spaces since that character
    row = _RULES[0]  # the pair table's row of `last`, when it has one
    joiners = "\u200d" in text
    for i, cls in enumerate(map(_number, text)):
        if cls >= 0 and cls != _ZWJ:  # most characters: a class of the pair table
            if joiners and i and text[i - 1] == "\u200d":
                pass  # LB8a: nothing breaks away from a zero-width joiner
            elif last >= 0:
                rule = row[cls]
                # LB30: a letter or digit may break before a full-width opening bracket
                out[i] = rule == 2 or (rule == 1 and spaces) or (
                    cls == _OPEN and last in _LETTERS and unicodedata.east_asian_width(text[i]) in ("W", "F"))
            elif last == _ZW:
                out[i] = True
            last, row, spaces = cls, _RULES[cls], False
        elif cls == _SP:
            spaces = True
        elif cls == _ZW:
            last, spaces = _ZW, False
        elif last >= 0 and not spaces:
            pass  # a mark (or joiner) belongs to the character before it
        else:
            # LB10: a mark with nothing to belong to is a letter; after spaces it may start a line
            out[i] = last == _ZW or (last != _BK and spaces)
            last, row, spaces = _AL, _RULES[_AL], False
    return out


def _escape(piece: str) -> tuple[str, list[bool]]:
    """A piece quoted for PO, and for each character of the result whether a break may precede it."""
    quoted = piece.translate(_QUOTE)
    free = [True] * len(quoted)
    # each character escaped is two: no break between them
    for shift, m in enumerate(_NEEDS_ESCAPE.finditer(piece)):
        free[m.start() + shift + 1] = False
    return quoted, free


_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}
_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v"\\]')
_QUOTE = str.maketrans({**{c: "\\" + e for c, e in _ESCAPES.items()}, '"': '\\"', "\\": "\\\\"})


def _breaks(quoted: str, free: list[bool], start: int, limit: int) -> list[int]:
    """Where to cut a quoted piece so no line passes `limit` columns (greedy, as libunistring does)."""
    if start + 2 * len(quoted) <= limit:
        return []  # it all fits even if every character were wide
    columns = [0, *itertools.accumulate(map(width, quoted))]  # columns[i]: the width of quoted[:i]
    if start + columns[-1] <= limit:
        return []  # it all fits: no cut (the loop below would find none), and no need to classify
    cuts: list[int] = []
    line, column, last = 0, start, -1  # the current line starts at `line`, in `column`
    for i in itertools.compress(range(len(quoted)), map(operator.and_, free, _opportunities(quoted))):
        if last >= 0 and column + columns[i] - columns[line] > limit:
            cuts.append(last)
            line, column = last, 0
        last = i
    if last >= 0 and column + columns[-1] - columns[line] > limit:
        cuts.append(last)
    return cuts


def string_lines(keyword: str, value: str, prefix: str = "", wrap: bool = True) -> list[str]:
    """The lines of `keyword "value"` as msgcat writes them, each with `prefix` ("#~ ", "#| ").

    wrap=False (an entry flagged no-wrap) cuts only after "\\n".
    """
    key = (keyword, value, prefix, wrap)
    lines = _laid_out.get(key)
    if lines is None:
        # cached: a save dumps a catalog several times (to validate, to compare with the file on
        # disk), and wrapping Chinese by the line-break rules is most of what a dump costs
        lines = _string_lines(keyword, value, prefix, wrap)
        if len(_laid_out) >= _MOST_KEPT:
            _laid_out.clear()
        _laid_out[key] = lines
        if _journal is not None:
            _journal[key] = lines
    return list(lines)


_Key = tuple[str, str, str, bool]
_MOST_KEPT = 1 << 16
_laid_out: dict[_Key, tuple[str, ...]] = {}
_journal: dict[_Key, tuple[str, ...]] | None = None


def begin_journal() -> None:
    """Start noting the strings laid out from now on (a worker process, to hand them back)."""
    global _journal
    _journal = {}


def end_journal() -> dict[_Key, tuple[str, ...]]:
    """The strings laid out since `begin_journal`, and stop noting them."""
    global _journal
    noted, _journal = _journal or {}, None
    return noted


def learn(laid_out: dict[_Key, tuple[str, ...]]) -> None:
    """Take strings another process laid out (end_journal), so they are not laid out again here."""
    _laid_out.update(laid_out)


def _string_lines(keyword: str, value: str, prefix: str, wrap: bool) -> tuple[str, ...]:
    pieces: list[str] = []
    rest = value
    while True:
        cut = rest.find("\n")
        if cut < 0 or cut == len(rest) - 1:
            pieces.append(rest)
            break
        pieces.append(rest[: cut + 1])
        rest = rest[cut + 1 :]
    after_break = len(prefix) + 1  # the opening quote of a continued line
    limit = (PAGE_WIDTH if wrap else 1 << 30) - 1 - after_break  # room for the closing quote
    lines: list[str] = []
    first = True
    for n, piece in enumerate(pieces):
        quoted, free = _escape(piece)
        if piece.endswith("\n"):
            free[-2] = False  # never break just before the final "\n"
        if first:
            start = len(prefix) + len(keyword) + 2 - after_break
            cuts = _breaks(quoted, free, start, limit)
            if quoted and (n < len(pieces) - 1 or start > limit or cuts):
                lines.append(f'{prefix}{keyword} ""')
                first = False
        if not first:
            cuts = _breaks(quoted, free, 0, limit)
        bounds = [0, *cuts, len(quoted)]
        parts = [quoted[a:b] for a, b in itertools.pairwise(bounds)]
        if first:
            lines.append(f'{prefix}{keyword} "{parts[0]}"')
            lines += [f'{prefix}"{p}"' for p in parts[1:]]
            first = False
        else:
            lines += [f'{prefix}"{p}"' for p in parts]
    return tuple(lines)


def reference_lines(references: list[str]) -> list[str]:
    """`#:` lines holding these file:line references, filled to the page width as msgcat fills them."""
    lines: list[str] = []
    line, column = "#:", 2
    for ref in references:
        if column > 2 and column + len(ref) + 1 > PAGE_WIDTH:
            lines.append(line)
            line, column = "#:", 2
        line += " " + ref
        column += len(ref) + 1
    if references:
        lines.append(line)
    return lines
