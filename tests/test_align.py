"""`workbench align`: beads between an English file and its Chinese, scored against hand alignments."""

from __future__ import annotations

import json
import sys

import pytest

from conftest import GOLD, need_corpus
from workbench import cli

sys.path.insert(0, str(GOLD.parent.parent))
from align_score import score  # noqa: E402  (the external scorer, read from ../shared)


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["alexnet", "contributing", "deep-rnn", "vgg"])
def test_dev_pairs_score_against_gold(name, capsys, tmp_path):
    need_corpus()
    d = GOLD / name
    assert cli.main(["align", str(d / "en.md"), str(d / "zh.md"), "--json"]) == 0
    pred = json.loads(capsys.readouterr().out)
    assert set(pred) == {"beads"}
    assert all(set(b) == {"en_lines", "zh_lines", "score"} for b in pred["beads"])
    _, _, f1 = score(d / "gold.json", d / "en.md", d / "zh.md", pred)
    assert f1 >= 0.93, f1
