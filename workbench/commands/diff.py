"""`workbench diff [FILE...]`: what changed in the English of each stale pair, and its Chinese.

For every stale pair (the English changed), a word-level diff of the English the translation was
made for (`#| msgid`) against the English now, then the Chinese to revise. After them, the pairs
an import doubted ("check the pairing"): the English, the Chinese paired with it and why. Both are
PO fuzzy; the `#. pairing:` mark tells them apart (model.State). With --settled, instead, every
pair `sync` settled across a mechanical edit (its previous English kept in a translator comment),
with what was done, for a reviewer to glance at.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..book import Book
from ..files import terminal_safe
from ..model import GROUP_SEPARATOR, Pair, State
from ..progress import count_pairs, total
from ..store import SETTLED_NOTE, Catalog, match
from ..worddiff import word_diff
from .common import add_book, named_files, open_book, print_json

_RED, _GREEN, _DIM, _OFF = "\033[31m", "\033[32m", "\033[2m", "\033[0m"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="word diff of the previous and current English of each stale pair, with its Chinese")
    add_book(p)
    p.add_argument("files", nargs="*", metavar="FILE", help="only these English files")
    p.add_argument("--settled", action="store_true",
                   help="the pairs sync settled across a mechanical English edit (not yet reviewed), not the stale ones")
    p.add_argument("--json", action="store_true",
                   help="one record per stale pair, the diff as (op, text) runs, then one per pairing to check")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour removed and added words (default: when writing to a terminal)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    book = open_book(args)
    rels = named_files(book, args.files) or book.english_files()
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    records: list[dict[str, Any]] = []
    rows = []
    for rel in rels:
        if not book.has_catalog(rel):
            continue
        catalog = book.catalog(rel)
        rows.append(count_pairs(f"en/{rel}", catalog.active))
        records += _records(book, rel, catalog, args.settled)
    # the English edits first, then the pairings an import doubted
    records.sort(key=lambda r: r["state"] == State.PAIRING.value)
    if args.json:
        print_json({"units": records})
        return 0
    pairings = False
    for r in records:
        if r["state"] == State.PAIRING.value and not pairings:
            pairings = True
            print("== check the pairing: an import doubted that the Chinese translates this English "
                  "(accept it by editing or reviewing the pair)\n")
        _print(r, color)
    counted = total(rows)  # the counts `status` and the TUI show
    if args.settled:
        print(f"{counted.settled} settled pair{'s' if counted.settled != 1 else ''}")
        return 0
    n, k = counted.stale, counted.pairing
    print(f"{n} stale pair{'s' if n != 1 else ''}" + (f", {k} pairing{'s' if k != 1 else ''} to check" if k else ""))
    return 0


def _records(book: Book, rel: str, catalog: Catalog, settled: bool) -> list[dict[str, Any]]:
    """The records of a file's pairs to show (stale and doubted, or settled), each where its English is now."""
    shown = [p for p in catalog.active if p.state in _SHOWN[settled]]
    if not shown:
        return []  # nothing to show: no need to segment the English
    doc = book.document(rel)
    matches = match(doc, catalog)
    if any(m.pair is None for m in matches):
        print(f"workbench: en/{rel} has English the store does not know yet; run `workbench sync` first",
              file=sys.stderr)
    # where each pair's English is now: its first and last unit (a pair may cover several)
    lines: dict[int, list[int]] = {}
    for m in matches:
        if m.pair is not None:
            unit = doc.units[m.unit]
            lines.setdefault(id(m.pair), [unit.start, unit.end])[1] = unit.end
    return [_record(rel, pair, lines.get(id(pair), [pair.line, pair.line]), settled) for pair in shown]


#: The states each listing shows: the English edits and the pairings to check, or the settled pairs.
_SHOWN = {False: (State.STALE, State.PAIRING), True: (State.SETTLED,)}


def _print(r: dict[str, Any], color: bool) -> None:
    """One record as the terminal shows it."""
    head = f"{r['file']}:{r['lines'][0]}-{r['lines'][1]}"
    print(f"{_DIM}{head}{_OFF}" if color else head)
    if r.get("pairing"):
        print(terminal_safe(f"  check the pairing: {r['pairing']}"))
    if not r["previous"] and not r.get("pairing"):
        print("  (the previous English was not kept)")
    print("  en: " + _show(r["diff"], color).replace(GROUP_SEPARATOR, "\n\n  "))
    print("  zh: " + terminal_safe(r["chinese"]).replace("\n", "\n  "))
    if "done" in r:
        print(terminal_safe(f"  {r['settled']}: {r['done']}"))
    print()


def _record(rel: str, pair: Pair, lines: list[int], settled: bool) -> dict[str, Any]:
    """One stale, doubted or settled pair: where, its English then and now, the word diff, its Chinese."""
    out: dict[str, Any] = {
        "file": f"en/{rel}",
        "lines": lines,
        "state": pair.state.value,
        "previous": pair.previous,
        "english": pair.english,
        "chinese": pair.chinese,
        "diff": [{"op": op, "text": text} for op, text in word_diff(pair.previous or pair.english, pair.english)],
    }
    if pair.pairing:
        out["pairing"] = pair.pairing
    if settled:
        out["settled"] = pair.settled
        prefix = f"{SETTLED_NOTE} ({pair.settled}): "
        out["done"] = next((n.removeprefix(prefix) for n in pair.notes if n.startswith(SETTLED_NOTE)), "")
    return out


def _show(diff: list[dict[str, str]], color: bool) -> str:
    """Removed words as [-...-], added as {+...+} (git's --word-diff=plain), or in colour."""
    out = []
    for d in diff:
        op, text = d["op"], terminal_safe(d["text"])
        if op == "=":
            out.append(text)
        elif color:
            out.append(f"{_RED if op == '-' else _GREEN}{text}{_OFF}")
        else:
            out.append(f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
    return "".join(out)
