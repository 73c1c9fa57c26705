"""What the file screen's panes say about the selected pair, as rich Text: the English (a word
diff when stale, glossary terms marked, an import's doubt, a conflict's other text), the heads,
the translation-memory suggestions, the glossary entries and the QA findings."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from ..model import Pair, State
from ..session import Findings
from ..session.terms import Term
from ..tm import Suggestion
from ..worddiff import word_diff
from .widgets import BADGES, snippet

#: How the English pane styles the runs of workbench.worddiff: kept, removed, added.
DIFF_STYLES = {"=": "", "-": "red strike", "+": "green bold underline"}
WIDE = 100
"""From this many columns the pair list and the pair sit side by side; below, one above the other."""

TERM_STYLE = {"approved": "green", "forbidden": "red strike", "proposed": "yellow", "rejected": "dim strike"}
"""How a glossary term's status shows beside the pair."""

#: What the Chinese head says of each pair state, in the colour of the state's badge.
STATE_SAID = {state: (said, BADGES[state][1]) for state, said in {
    State.UNTRANSLATED: "untranslated",
    State.CONFLICT: "conflict: edited here and in zh/*.md; both texts kept, choose one",
    State.PAIRING: "check the pairing: an import doubted this Chinese translates the English",
    State.STALE: "stale: check against the English",
    State.SETTLED: "settled by sync (a mechanical English edit): glance at it",
    State.TRANSLATED: "done",
    State.REVIEWED: "reviewed",
}.items()}

KIND_NAMES = {"list_item": "list item", "table_cell": "table cell", "image_alt": "image text", "comment": "code comment"}


def english_head(p: Pair) -> Text:
    """Where the pair's English is: its line, its kind, its occurrence."""
    where = f"line {p.line}, {KIND_NAMES.get(p.kind, p.kind)}"
    if p.context:
        where += f"  (occurrence {p.context})"
    return Text.assemble(("English ", "bold"), (where, "dim"), no_wrap=True)


def english(p: Pair, spans: Sequence[tuple[int, int]]) -> Text:
    """The English as the translator needs it: the word diff when stale (the current English, what
    went out struck through), else the English with its glossary terms (`spans`) marked; then what
    the pair's state asks (an import's doubt, sync's settled edit, a conflict's other text)."""
    if p.stale and p.previous:
        out = Text.assemble(("Changed since translated ", "bold yellow"), ("(struck: before, underlined: now)\n", "dim"))
        last = "="
        for op, text in word_diff(p.previous, p.english):
            if op == "+" and last == "-":
                out.append(" ")  # what went out and what came in, not run together
            out.append(text, style=DIFF_STYLES[op])
            last = op
    else:
        out = Text(p.english)
        for start, end in spans:
            out.stylize("bold underline cyan", start, end)
        if p.stale:
            out.append("\n\nMarked stale (no earlier English recorded).", style="yellow")
    if p.pairing:
        out.append(f"\n\nCheck the pairing: {p.pairing}", style="magenta")
    elif p.settled and not p.reviewed:
        out.append(f"\n\nSettled by sync: {p.settled}", style="cyan")
    if p.conflict:  # both texts in view: the PO's in the editor, the hand text here
        out.append("\n\n" + "\n".join(p.notes), style="bold red")
    return out


def chinese_head(p: Pair) -> Text:
    """The head of the editor: what the pair's state asks of the translator."""
    return Text.assemble(("Chinese ", "bold"), STATE_SAID[p.state], no_wrap=True)


def memory(found: list[Suggestion] | None) -> Text:
    """The translation-memory part of the lower pane (None: still searching)."""
    out = Text.assemble(("Translation memory", "bold"), "\n")
    if found is None:
        out.append("searching...", style="dim")
        return out
    if not found:
        out.append("no similar English translated in this book", style="dim")
    for n, s in enumerate(found, 1):
        out.append(f" {n} ", style="bold reverse")
        out.append(f" {s.score:.0f}% ", style="cyan")
        out.append(s.chinese)
        out.append(f"\n     {s.source}: {snippet(s.english, 200).plain}\n", style="dim")
    return out


def glossary(terms: list[Term], note: str) -> Text:
    """The glossary part: the entries whose English occurs in the pair (or why there are none)."""
    out = Text.assemble(("Glossary", "bold"), "\n")
    if note:
        out.append(note, style="dim")
    elif not terms:
        out.append("no glossary term in this English", style="dim")
    for t in terms:
        out.append(f"  {t.english} = ")
        out.append(t.chinese, style=TERM_STYLE.get(t.status, ""))
        out.append(f"  {t.status}" + (f": {t.note}" if t.note else "") + "\n", style="dim")
    return out


def findings(checks: Findings, rel: str, p: Pair) -> Text:
    """The QA part: the pair's findings, worst first as the checks give them."""
    out = Text.assemble(("QA", "bold"), "\n")
    found = checks.for_pair(rel, p)
    if checks.note:
        out.append(checks.note, style="dim")
    elif not checks.ran:
        out.append("checking the book...", style="dim")
    elif not found:
        out.append("no findings", style="dim")
    for f in found:
        colour = {"error": "red", "warning": "yellow"}.get(f.severity, "")
        out.append(f"  {f.severity} ", style=colour)
        out.append(f"{f.check}: {f.message}\n")
    return out
