"""`workbench glossary`: import, export, check, extract (discover terms) and review the shared glossary."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .. import files, glossary, qa
from ..book import Book
from ..model import WorkbenchError
from .common import add_book, open_book, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("glossary", help="the shared glossary: import, export, check, extract, review")
    gsub = p.add_subparsers(dest="glossary_command", metavar="SUBCOMMAND")

    q = gsub.add_parser("import", help="add terms from d2l-zh's TERMINOLOGY.md or an OmegaT/Weblate/TBX glossary")
    add_book(q)
    q.add_argument("file", metavar="FILE")
    q.add_argument("--format", choices=("auto", "terminology", "tsv", "omegat", "weblate", "csv", "tbx"), default="auto",
                   help="format of FILE (default: by extension; .md is TERMINOLOGY.md, .txt/.tab/.tsv tab-separated)")
    q.add_argument("--status", choices=glossary.STATUSES, default="approved", help="status of the new terms")
    q.add_argument("--dry-run", action="store_true", help="say what would be added, write nothing")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=run_import)

    q = gsub.add_parser("export", help="write the glossary as TBX, CSV (Weblate) or TSV (OmegaT)")
    add_book(q)
    q.add_argument("--format", choices=tuple(glossary.EXPORTERS), required=True)
    q.add_argument("--status", default=None, metavar="S[,S]",
                   help="statuses to export (default: approved, and forbidden for TBX)")
    q.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    q.add_argument("--dry-run", action="store_true", help="say what would be written, write nothing")
    q.set_defaults(run=run_export)

    q = gsub.add_parser("check", help="pairs whose Chinese lacks a term's approved translation or uses a forbidden one")
    add_book(q)
    q.add_argument("files", nargs="*", metavar="FILE", help="only these English files")
    q.add_argument("--severity", choices=glossary.SEVERITIES, default="warning",
                   help="the least serious findings to show (default warning; info adds single words that may "
                        "stand in another sense, verbs, and each pair of a variant)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=run_check)

    q = gsub.add_parser("extract", help="propose terms found in the translated book (stored as proposed)")
    add_book(q)
    q.add_argument("--min-count", type=int, default=3, help="pairs a co-occurring phrase needs (default 3)")
    q.add_argument("--limit", type=int, default=0, help="keep only the N proposals seen most often")
    q.add_argument("--dry-run", action="store_true", help="show the proposals, store nothing")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=run_extract)

    q = gsub.add_parser("review", help="approve, reject or edit proposed terms, one by one (reads answers on stdin)")
    add_book(q)
    q.add_argument("--dry-run", action="store_true", help="go through the proposals, save nothing")
    q.add_argument("--json", action="store_true", help="print the decisions as JSON at the end")
    q.set_defaults(run=run_review)
    p.set_defaults(run=lambda args: _help(p))


def _help(p: argparse.ArgumentParser) -> int:
    p.print_help()
    return 0


# -- import / export ---------------------------------------------------------------------------


def run_import(args: argparse.Namespace) -> int:
    book = open_book(args, write=True)
    path = Path(args.file)
    terms = glossary.read_foreign(path, args.status, args.format)
    with book.lock("glossary import"):
        g = glossary.load(book.root)
        outcome: dict[str, list[glossary.Term]] = {"added": [], "kept": [], "conflict": []}
        for t in terms:
            outcome[g.add(t)].append(t)
        glossary.save(book.root, g, dry_run=args.dry_run)
    if args.json:
        print_json({"file": str(path), "terms": len(terms), "dry_run": args.dry_run,
                    **{k: len(v) for k, v in outcome.items()},
                    "conflicts": [{"english": t.english, "chinese": t.chinese, "note": t.note} for t in outcome["conflict"]]})
        return 0
    for t in outcome["conflict"]:
        print(f"conflict: {t.english} -> {t.chinese} ({t.note}); added as proposed")
    verb = "would add" if args.dry_run else "added"
    print(f"{len(terms)} terms read: {verb} {len(outcome['added'])}, {len(outcome['kept'])} already there, "
          f"{len(outcome['conflict'])} conflicts (proposed)")
    return 0


def run_export(args: argparse.Namespace) -> int:
    book = open_book(args)
    g = glossary.load(book.root)
    if args.status:
        statuses = tuple(s.strip() for s in args.status.split(","))
        bad = [s for s in statuses if s not in glossary.STATUSES]
        if bad:
            raise WorkbenchError(f"unknown status {bad[0]!r}; use {', '.join(glossary.STATUSES)}")
    else:
        statuses = ("approved", "forbidden") if args.format == "tbx" else ("approved",)
    text = glossary.EXPORTERS[args.format](g.with_status(*statuses))
    if not args.output:
        sys.stdout.write(text)
        return 0
    n = len(g.with_status(*statuses))
    if args.dry_run:
        print(f"would write {n} terms to {args.output}")
        return 0
    files.write_atomic(Path(args.output), text)
    print(f"wrote {n} terms to {args.output}")
    return 0


# -- check -------------------------------------------------------------------------------------


def book_pairs(book: Book, rels: list[str] | None = None) -> list[glossary.TextPair]:
    """The book's translated pairs (or some files'), as the term check and discovery read them."""
    return [glossary.TextPair(it.file, it.line, it.english, it.chinese, it.en.prose, it.zh.prose,
                              it.en_file, it.en_line) for it in qa.book_items(book, rels)]


def term_findings(book: Book, rels: list[str] | None = None, severity: str = "info") -> list[glossary.TermFinding]:
    """The term check over the book's translated pairs (all of them weigh the evidence; `rels`
    limits what is reported), down to `severity`."""
    pairs = book_pairs(book)
    report = {"zh/" + rel for rel in rels} if rels else None
    limit = glossary.SEVERITIES.index(severity)
    return [f for f in glossary.check_terms(pairs, glossary.load(book.root), report)
            if glossary.SEVERITIES.index(f.severity) <= limit]


def run_check(args: argparse.Namespace) -> int:
    book = open_book(args)
    rels = [book.rel(f) for f in args.files] or None
    findings = term_findings(book, rels, args.severity)
    if args.json:
        print_json({"findings": [f.as_dict() for f in findings]})
    else:
        for f in findings:
            print(f"{f.file}:{f.line}: {f.severity}: {f.message} ({f.en_file}:{f.en_line})")
        counts = Counter(f.severity for f in findings)
        by = ", ".join(f"{counts[s]} {s}" for s in glossary.SEVERITIES if counts[s])
        print(f"{len(findings)} term problems" + (f" ({by})" if by else "")
              + ("" if args.severity == "info" else "; --severity info shows the doubtful ones too"))
    return 1 if any(f.severity in ("error", "warning") for f in findings) else 0


# -- extract / review --------------------------------------------------------------------------


def run_extract(args: argparse.Namespace) -> int:
    book = open_book(args, write=True)
    items = book_pairs(book)
    with book.lock("glossary extract"):
        g = glossary.load(book.root)
        props = glossary.extract(items, g, min_cooccur=args.min_count)
        if args.limit:
            props = props[: args.limit]
        for p in props:
            where = ", ".join(f"{e.file}:{e.line}" for e in p.examples)
            g.add(glossary.Term(p.english, p.chinese, "proposed", f"{p.how}, {p.count} pairs, e.g. {where}"))
        glossary.save(book.root, g, dry_run=args.dry_run)
    if args.json:
        print_json({"proposals": [p.as_dict() for p in props], "dry_run": args.dry_run})
        return 0
    for p in props:
        print(f"{p.english} -> {p.chinese}  ({p.how}, {p.count} pairs)")
        for e in p.examples:
            print(f"    {e.file}:{e.line}: {_short(e.english)} | {_short(e.chinese)}")
    verb = "would store" if args.dry_run else "stored"
    print(f"{verb} {len(props)} proposals as proposed in {glossary.GLOSSARY_FILE.as_posix()}")
    return 0


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


_ANSWERS = {"a": "approve", "approve": "approve", "y": "approve", "r": "reject", "reject": "reject",
            "n": "reject", "e": "edit", "edit": "edit", "s": "skip", "skip": "skip", "": "skip",
            "q": "quit", "quit": "quit"}


def run_review(args: argparse.Namespace) -> int:
    book = open_book(args, write=True)
    with book.lock("glossary review"):
        g = glossary.load(book.root)
        todo = g.with_status("proposed")
        decisions = []
        interactive = sys.stdin.isatty()
        # the walk-through goes to stderr when stdout carries JSON
        say = sys.stderr if args.json else sys.stdout
        for n, t in enumerate(todo, 1):
            print(f"[{n}/{len(todo)}] {t.english} -> {t.chinese}" + (f"   ({t.note})" if t.note else ""), file=say)
            others = [o for o in g.find(t.english) if o is not t and o.status in ("approved", "forbidden")]
            for o in others:
                print(f"    glossary already has: {o.chinese} ({o.status})", file=say)
            answer = _ask("approve, reject, edit, skip or quit [a/r/e/s/q]? ", interactive)
            if answer is None or _ANSWERS.get(answer.lower()) == "quit":
                break
            action = _ANSWERS.get(answer.lower())
            if action is None:
                print(f"    not an answer: {answer!r}; skipped", file=say)
                continue
            if action == "edit":
                new = _ask("Chinese: ", interactive)
                if new is None:
                    break
                new = new.strip()
                if not new:
                    print("    empty; skipped", file=say)
                    continue
                if g.find(t.english, new) and new != t.chinese:
                    raise WorkbenchError(f"the glossary already has {t.english} -> {new}; reject this proposal instead")
                t.chinese, action = new, "approve"
            if action == "skip":
                continue
            t.status = "approved" if action == "approve" else "rejected"
            decisions.append({"english": t.english, "chinese": t.chinese, "status": t.status})
        changed = glossary.save(book.root, g, dry_run=args.dry_run)
    if args.json:
        print_json({"decisions": decisions, "dry_run": args.dry_run})
    else:
        verb = "would save" if args.dry_run else "saved"
        print(f"{len(decisions)} decisions{' ' + verb if changed else ''}; "
              f"{len(g.with_status('proposed'))} proposals left")
    return 0


def _ask(prompt: str, interactive: bool) -> str | None:
    """One answer from standard input; None at its end. Prompts go to stderr when piped."""
    out = sys.stdout if interactive else sys.stderr
    out.write(prompt)
    out.flush()
    line = sys.stdin.readline()
    if not line:
        return None
    if not interactive:
        out.write(line)
    return line.strip()
