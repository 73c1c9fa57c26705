"""`workbench align`: beads between an English file and its Chinese, scored against hand alignments."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import EN_V0170, GOLD, ZH, need_corpus
from workbench import cli
from workbench.align import align_texts
from workbench.align.beads import Bead
from workbench.align.confidence import REVIEW_BELOW
from workbench.align.units import pairs_of_units

sys.path.insert(0, str(GOLD.parent.parent))
from align_score import score  # noqa: E402  (the external scorer, read from ../shared)

DEV = ["alexnet", "contributing", "deep-rnn", "vgg"]


def _align_json(en: Path, zh: Path, capsys) -> tuple[int, dict]:
    code = cli.main(["align", str(en), str(zh), "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.corpus
@pytest.mark.parametrize("name", DEV)
def test_dev_pairs_score_against_gold(name, capsys):
    """The target: link F1 >= 0.98 on every hand-aligned dev pair, with the external scorer."""
    need_corpus()
    d = GOLD / name
    code, pred = _align_json(d / "en.md", d / "zh.md", capsys)
    assert code == 0
    _, _, f1 = score(d / "gold.json", d / "en.md", d / "zh.md", pred)
    assert f1 >= 0.98, f1


@pytest.mark.corpus
def test_json_shape_spans_cover_both_files_in_order(capsys):
    """Exactly {"beads": [{"en_lines", "zh_lines", "score"}]}; 1-based inclusive spans, monotonic."""
    need_corpus()
    d = GOLD / "vgg"
    _, pred = _align_json(d / "en.md", d / "zh.md", capsys)
    assert list(pred) == ["beads"]
    last = {"en_lines": 0, "zh_lines": 0}
    sizes = {"en_lines": len((d / "en.md").read_text().splitlines()),
             "zh_lines": len((d / "zh.md").read_text().splitlines())}
    for bead in pred["beads"]:
        assert list(bead) == ["en_lines", "zh_lines", "score"]
        assert bead["en_lines"] or bead["zh_lines"]
        assert 0.0 <= bead["score"] <= 1.0
        for side in ("en_lines", "zh_lines"):
            for start, end in bead[side]:
                assert isinstance(start, int) and last[side] < start <= end <= sizes[side]
                last[side] = end
    # the 1:2 bead the gold notes describe (EN[5] -> ZH[5], ZH[6])
    assert {"en_lines": [[30, 45]], "zh_lines": [[13, 16], [18, 18]]}.items() <= next(
        b for b in pred["beads"] if b["en_lines"] == [[30, 45]]).items()


@pytest.mark.corpus
def test_code_cells_pair_with_their_counterparts():
    """transformer.md: every English code cell whose code (comments and docstrings aside) the
    Chinese has once is in the same bead as it."""
    need_corpus()
    rel = "chapter_attention-mechanisms/transformer.md"
    r = align_texts((EN_V0170 / rel).read_text(encoding="utf-8"), (ZH / rel).read_text(encoding="utf-8"))
    zh_code: dict[str, list[int]] = {}
    for p in r.zh:
        if p.kind == "code":
            zh_code.setdefault(p.code, []).append(p.index)
    bead_of_zh = {j: k for k, b in enumerate(r.beads) for j in b.zh}
    checked = 0
    for k, b in enumerate(r.beads):
        for i in b.en:
            p = r.en[i]
            if p.kind == "code" and len(zh_code.get(p.code, [])) == 1:
                assert bead_of_zh[zh_code[p.code][0]] == k, p.start
                checked += 1
    assert checked >= 30


@pytest.mark.corpus
def test_units_inside_a_split_bead_form_one_group():
    """vgg: one English paragraph, a Chinese lead-in, a three-item list and a paragraph."""
    need_corpus()
    d = GOLD / "vgg"
    r = align_texts((d / "en.md").read_text(encoding="utf-8"), (d / "zh.md").read_text(encoding="utf-8"))
    bead = next(b for b in r.beads if b.en and r.en[b.en[0]].start == 30)
    groups = pairs_of_units(bead, r.en, r.zh)
    assert [(len(e), len(z)) for e, z in groups] == [(1, 5)]


@pytest.mark.corpus
def test_chinese_of_another_chapter_scores_low_and_warns(capsys):
    need_corpus()
    en = EN_V0170 / "chapter_convolutional-modern" / "vgg.md"
    zh = ZH / "chapter_recurrent-modern" / "lstm.md"
    code, pred = _align_json(en, zh, capsys)
    assert code == 1
    assert max(b["score"] for b in pred["beads"]) <= 0.2
    assert cli.main(["align", str(en), str(zh)]) == 1
    err = capsys.readouterr().err
    assert "does not seem to translate this English" in err and str(zh) in err


@pytest.mark.corpus
def test_readable_listing_shows_beads_side_by_side(capsys):
    need_corpus()
    d = GOLD / "vgg"
    assert cli.main(["align", str(d / "en.md"), str(d / "zh.md")]) == 0
    out = capsys.readouterr().out.splitlines()
    split = next(line for line in out if " 1:2 " in line and "30-45" in line)
    assert "The basic building block of classic CNNs" in split and "经典卷积神经网络" in split
    assert out[-1].startswith("39 beads")


# Edge cases on made-up files: each says which case it is.
@pytest.mark.parametrize(
    ("en", "zh", "want"),
    [
        ("", "", []),  # both empty
        ("", "# 标题\n", [([], [[1, 1]])]),  # empty English side
        ("# Title\n", "", [([[1, 1]], [])]),  # empty Chinese side
        ("# Title\n", "# 标题\n", [([[1, 1]], [[1, 1]])]),  # one-line files
        ("```python\nx = 1\n```\n", "```python\nx = 1\n```\n", [([[1, 3]], [[1, 3]])]),  # nothing to translate
        ("Text.\n", "```python\nx = 1\n```\n", [([[1, 1]], []), ([], [[1, 3]])]),  # prose vs code: never paired
    ],
)
def test_edge_cases(tmp_path, capsys, en, zh, want):
    (tmp_path / "en.md").write_text(en, encoding="utf-8")
    (tmp_path / "zh.md").write_text(zh, encoding="utf-8")
    code, pred = _align_json(tmp_path / "en.md", tmp_path / "zh.md", capsys)
    assert code == 0
    got = [(b["en_lines"], b["zh_lines"]) for b in pred["beads"]]
    assert sorted(got) == sorted(want)


def test_bad_input_names_the_file_and_line(tmp_path, capsys):
    """An unclosed code fence in the Chinese: exit 2, `file:line: message`, no traceback."""
    (tmp_path / "en.md").write_text("# Title\n", encoding="utf-8")
    (tmp_path / "zh.md").write_text("# 标题\n\n```python\nx = 1\n", encoding="utf-8")
    assert cli.main(["align", str(tmp_path / "en.md"), str(tmp_path / "zh.md"), "--json"]) == 2
    assert f"{tmp_path / 'zh.md'}:3:" in capsys.readouterr().err


@pytest.mark.corpus
def test_comments_pair_by_the_code_line_they_stand_on():
    """padding-and-strides: the English wraps two comment sentences over four lines where d2l-zh
    writes them on two (a unit each: comment lines of one sentence are one unit); each group of
    comments goes with the group before the same code line. A docstring in
    Chinese alone (not a unit for the segmenter) still pairs (encoder-decoder)."""
    need_corpus()
    rel = "chapter_convolutional-neural-networks/padding-and-strides.md"
    r = align_texts((EN_V0170 / rel).read_text(encoding="utf-8"), (ZH / rel).read_text(encoding="utf-8"))
    bead = next(b for b in r.beads if b.en and r.en[b.en[0]].kind == "code" and r.en[b.en[0]].units)
    groups = pairs_of_units(bead, r.en, r.zh)
    assert [(len(e), len(z)) for e, z in groups][:3] == [(2, 2), (1, 1), (1, 1)]
    assert groups[1][1][0].key == "这里的（1，1）表示批量大小和通道数都是1"
    rel = "chapter_recurrent-modern/encoder-decoder.md"
    r = align_texts((EN_V0170 / rel).read_text(encoding="utf-8"), (ZH / rel).read_text(encoding="utf-8"))
    pairs = [(e[0].key, z[0].key) for b in r.beads if b.en and b.zh for e, z in pairs_of_units(b, r.en, r.zh)
             if e and z and e[0].kind == "docstring"]
    assert ("The base encoder interface for the encoder-decoder architecture.", "编码器-解码器结构的基本编码器接口。") in pairs



def _bead(rel: str, en_start: str, zh_start: str) -> Bead:
    """In the alignment of a d2l file with its Chinese, the bead holding the English passage and
    the Chinese passage whose first lines start so."""
    en, zh = (EN_V0170 / rel).read_text(encoding="utf-8"), (ZH / rel).read_text(encoding="utf-8")
    r = align_texts(en, zh)
    en_lines, zh_lines = en.split("\n"), zh.split("\n")
    return next(b for b in r.beads if any(en_lines[r.en[i].start - 1].startswith(en_start) for i in b.en)
                and any(zh_lines[r.zh[j].start - 1].startswith(zh_start) for j in b.zh))


@pytest.mark.corpus
@pytest.mark.parametrize(("rel", "en_start", "zh_start", "marked"), [
    # the Chinese adds a question of its own ("so what makes a GPU better than a CPU?"), which
    # the aligner joins to the paragraph before (wrong by alexnet's gold); the headings are right
    ("chapter_convolutional-modern/alexnet.md", "Deep learning models are voracious", "那么GPU比CPU强在哪里呢？", True),
    ("chapter_convolutional-modern/alexnet.md", "## Summary", "## 小结", False),
    ("chapter_convolutional-modern/alexnet.md", "### Missing Ingredient: Hardware", "### 缺少的成分：硬件", False),
    # the paragraph the Chinese translates as "首先，我们深度理解一下中央处理器…": right, once marked
    ("chapter_convolutional-modern/alexnet.md", "To provide some intuition", "首先，我们深度理解", False),
    # d2l-zh's README is partly another document: its "Contributing" section is no translation of
    # the English licence summary, though both are level-2 headings
    ("README.md", "## License Summary", "## 贡献", True),
])
def test_review_marks_wrong_pairings_not_right_short_headings(rel, en_start, zh_start, marked):
    """Calibrated doubt on real d2l files: the import marks "check the pairing" (a bead below
    REVIEW_BELOW) on a wrong pairing, not on a right one such as a pair of short headings."""
    need_corpus()
    assert (_bead(rel, en_start, zh_start).score < REVIEW_BELOW) == marked
