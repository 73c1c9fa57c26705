"""Importing the seed: an interleaved English/Chinese file becomes en/, zh/*.po and zh/*.md."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED
from workbench import bilingual
from workbench.files import read_text


def seed_pairs() -> dict[str, str]:
    english, found = bilingual.split(read_text(SEED))
    return {p.english: p.chinese for p in bilingual.pairs(english, found, "en/chapter_preface/index.md")}


def test_paragraphs_pair_exactly() -> None:
    pairs = seed_pairs()
    starts = {
        "Just a few years ago, there were no legions": "仅仅几年前，还没有大量的深度学习科学家",
        "In just the past five years, deep learning": "在过去的五年中，深度学习震惊了世界",
        "This book represents our attempt": "这本书代表了我们试图使深度学习变得容易的尝试",
        "For any computing technology to reach": "为了使任何计算技术都能发挥其全部作用",
        "Testing the potential of deep learning": "测试深度学习的潜力提出了独特的挑战",
        "We started this book project in July 2017": "我们在2017年7月启动了该图书项目",
        "We set out to create a resource": "我们着手创建一种可以（1）",
        "These goals were often in conflict.": "这些目标往往互有冲突。",
        "Many textbooks teach a series of topics": "许多教科书教授一系列主题",
        "In this book, we will teach most concepts": "在本书中，我们将“快速”教授大多数概念",
        "Throughout, we will be working with the MXNet library": "在整个过程中，我们将使用MXNet库",
        "Associated with this book, we have launched": "与此书相关的是，我们已经启动了一个讨论论坛",
    }
    for en, zh in starts.items():
        match = [c for e, c in pairs.items() if e.startswith(en)]
        assert len(match) == 1 and match[0].startswith(zh), en


def test_mixed_language_headings_split() -> None:
    pairs = seed_pairs()
    assert pairs["Preface"] == "前言"
    assert pairs["About This Book"] == "关于本书"
    assert pairs["One Medium Combining Code, Math, and HTML"] == "一种结合了代码，数学和HTML的媒介"
    assert pairs["[Discussions](https://discuss.mxnet.io/t/2311)"] == "[讨论](https://discuss.mxnet.io/t/2311)"


def test_alternating_lists_bulleted_and_numbered(preface_source: Path) -> None:
    pairs = seed_pairs()
    assert pairs["All notebooks are available for download on GitHub."] == "所有笔记本均可在GitHub上下载。"
    assert pairs["Install Python on your computer."] == "在计算机上安装Python。"
    english = (preface_source / "en" / "chapter_preface" / "index.md").read_text(encoding="utf-8")
    assert "* 深度" not in english and "1. 在" not in english  # Chinese items left the English file
    assert english.count("\n* ") == 12 and english.count("\n1. ") == 4


def test_bilingual_code_comment(preface_source: Path) -> None:
    pairs = seed_pairs()
    assert pairs["Saved in the d2l package for later use"] == "存于d2l包中，便于后面使用"
    english = (preface_source / "en" / "chapter_preface" / "index.md").read_text(encoding="utf-8")
    chinese = (preface_source / "zh" / "chapter_preface" / "index.md").read_text(encoding="utf-8")
    assert "存于d2l包中" not in english
    assert "```python\n# 存于d2l包中，便于后面使用\nimport collections\n" in chinese


def test_partial_translation_in_the_acknowledgments_is_kept() -> None:
    pairs = seed_pairs()
    thanks = next(c for e, c in pairs.items() if e.startswith("We are indebted to the hundreds"))
    assert thanks.endswith("它们的GitHub ID或名称为（无特定顺序）：")
    assert "alxnorden" not in thanks  # the Chinese stops before the list of names


def test_the_seed_import_is_the_english_of_the_seed(preface_source: Path) -> None:
    english, found = bilingual.split(read_text(SEED))
    assert (preface_source / "en" / "chapter_preface" / "index.md").read_text(encoding="utf-8") == english
    assert all(f.english for f in found)  # every Chinese paragraph found its English
