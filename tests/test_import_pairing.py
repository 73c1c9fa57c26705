"""The import's doubt ("check the pairing") is its own state everywhere: status, diff, sync
--check, kept by sync, accepted by a review or an edit; never taken for "stale: the English changed"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import assert_msgfmt_ok, corpus_sources, need_corpus, run_in_book
from workbench.book import Book
from workbench.model import State
from workbench.session import Session

ADADELTA = "chapter_optimization/adadelta.md"


def _import_adadelta(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """d2l's Adadelta section imported into a fresh book under tmp_path."""
    en, zh = corpus_sources(tmp_path, ADADELTA)
    book = tmp_path / "book"
    code, out, _ = run_in_book(capsys, book, "import", "--en", str(en), "--zh", str(zh))
    assert code == 0, out
    return book


def _states(book: Path) -> dict[State, int]:
    out: dict[State, int] = {}
    for p in Book(book).catalog(ADADELTA).active:
        out[p.state] = out.get(p.state, 0) + 1
    return out


@pytest.mark.corpus
def test_a_doubted_pairing_is_its_own_state_until_a_reviewer_accepts_it(tmp_path, capsys):
    """d2l's Adadelta section: d2l-zh puts a line of its own before the first paragraph, so the
    aligner doubts that bead. The pairs are PO-fuzzy with `#. pairing:`; status counts them apart;
    after an English edit elsewhere, diff shows that edit first, then the pairing to check; sync
    keeps the mark and --check fails on it; a review accepts it."""
    need_corpus()
    book = _import_adadelta(tmp_path, capsys)
    doubted = [p for p in Book(book).catalog(ADADELTA).active if p.state is State.PAIRING]
    assert doubted and all(p.stale and not p.previous and p.pairing.startswith("aligned with confidence 0.")
                           for p in doubted)
    po = (book / "zh" / ADADELTA).with_suffix(".po").read_text(encoding="utf-8")
    assert po.count("#. pairing: aligned with confidence") == len(doubted)
    assert_msgfmt_ok(book / "zh")  # fuzzy: msgfmt leaves them out of the compiled catalog

    code, out, _ = run_in_book(capsys, book, "status", "--json")
    [row] = json.loads(out)["files"]
    assert (row["pairing"], row["stale"]) == (len(doubted), 0)

    # an English edit of a pair that was not doubted: a real stale pair beside the doubted ones
    catalog = Book(book).catalog(ADADELTA)
    target = next(p for p in catalog.active if p.state is State.TRANSLATED and p.kind == "paragraph"
                  and " the " in p.english)
    en_path = book / "en" / ADADELTA
    lines = en_path.read_text(encoding="utf-8").split("\n")
    k = next(i for i in range(target.line - 1, len(lines)) if " the " in lines[i])
    lines[k] = lines[k].replace(" the ", " THE ", 1)
    en_path.write_text("\n".join(lines), encoding="utf-8")

    code, out, _ = run_in_book(capsys, book, "sync", "--check")
    assert code == 1
    total = next(line for line in out.splitlines() if line.startswith("total")).split()
    assert (int(total[3]), int(total[4])) == (1, len(doubted))  # stale, pair?
    code, out, _ = run_in_book(capsys, book, "sync")
    assert code == 0
    assert _states(book).get(State.PAIRING) == len(doubted) and _states(book).get(State.STALE) == 1
    code, out, _ = run_in_book(capsys, book, "sync", "--check")
    assert code == 1  # the pairing is still to check after the sync

    code, out, _ = run_in_book(capsys, book, "diff")
    lines_out = out.splitlines()
    head = lines_out.index(next(line for line in lines_out if line.startswith("== check the pairing")))
    assert "THE" in "\n".join(lines_out[:head])  # the English edit first
    assert lines_out[:head].count("  (the previous English was not kept)") == 0
    assert sum(line.startswith("  check the pairing: aligned with confidence") for line in lines_out[head:]) == \
        len(doubted)
    assert lines_out[-1] == f"1 stale pair, {len(doubted)} pairing{'s' if len(doubted) != 1 else ''} to check"
    code, out, _ = run_in_book(capsys, book, "diff", "--json")
    units = json.loads(out)["units"]
    assert [u["state"] for u in units] == ["stale"] + ["check the pairing"] * len(doubted)

    # a batch review leaves the pairings for a reader; with --pairings it accepts them (the stale pair
    # stays: its English changed)
    code, out, err = run_in_book(capsys, book, "review", ADADELTA)
    assert code == 0, err
    assert State.PAIRING in _states(book)
    code, out, err = run_in_book(capsys, book, "review", ADADELTA, "--pairings")
    assert code == 0, err
    after = _states(book)
    assert State.PAIRING not in after and after[State.STALE] == 1
    po = (book / "zh" / ADADELTA).with_suffix(".po").read_text(encoding="utf-8")
    assert "#. pairing:" not in po
    accepted = {p.english: p for p in Book(book).catalog(ADADELTA).active}
    assert all(accepted[p.english].state is State.REVIEWED for p in doubted)


@pytest.mark.corpus
def test_a_hand_edit_or_another_tool_accepts_a_pairing(tmp_path, capsys):
    """Editing the Chinese of a doubted pair in zh/*.md answers the doubt (sync takes it back and
    clears the mark); clearing its fuzzy flag in a PO editor does too (the mark alone is no doubt);
    so does an edit in the TUI."""
    need_corpus()
    book = _import_adadelta(tmp_path, capsys)
    doubted = [p for p in Book(book).catalog(ADADELTA).active if p.state is State.PAIRING]
    first = doubted[0]
    zh_md = book / "zh" / ADADELTA
    text = zh_md.read_text(encoding="utf-8")
    tail = first.chinese.strip().split("\n")[-1]
    assert tail in text
    zh_md.write_text(text.replace(tail, tail + "（已核对）", 1), encoding="utf-8")
    code, out, _ = run_in_book(capsys, book, "sync")
    assert code == 0 and "hand edit taken back" in out
    now = {p.english: p for p in Book(book).catalog(ADADELTA).active}
    assert now[first.english].state is State.TRANSLATED and "（已核对）" in now[first.english].chinese

    # in another book, a PO editor clears the fuzzy flag and keeps the comment it does not know
    other = _import_adadelta(tmp_path / "other", capsys)
    po_path = (other / "zh" / ADADELTA).with_suffix(".po")
    po = po_path.read_text(encoding="utf-8")
    assert "#. pairing:" in po and State.PAIRING in _states(other)
    po_path.write_text(po.replace("#, fuzzy\n", ""), encoding="utf-8")
    assert State.PAIRING not in _states(other)
    code, out, _ = run_in_book(capsys, other, "status", "--json")
    assert json.loads(out)["total"]["pairing"] == 0

    # in a third, the translator edits the Chinese in the TUI and saves
    third = _import_adadelta(tmp_path / "third", capsys)
    session = Session(Book(third))
    pair = next(p for p in session.catalog(ADADELTA).active if p.state is State.PAIRING)
    session.set_chinese(ADADELTA, pair, pair.chinese + "（已核对）")
    session.save(ADADELTA)
    saved = {p.english: p for p in Book(third).catalog(ADADELTA).active}[pair.english]
    assert saved.state is State.TRANSLATED and not saved.stale and saved.chinese.endswith("（已核对）")
