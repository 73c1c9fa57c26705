"""`workbench import`: a parallel English/Chinese tree into a book, no Chinese text lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EN_V0170, ZH, need_corpus
from workbench import cli
from workbench.book import Book
from workbench.markdown import segment
from workbench.model import Status, normalize


def _pairs_with_chinese(root: Path) -> list[tuple[Path, Path]]:
    return [
        (p, ZH / p.relative_to(EN_V0170))
        for p in sorted(EN_V0170.rglob("*.md"))
        if (ZH / p.relative_to(EN_V0170)).is_file()
    ]


@pytest.mark.corpus
def test_every_chinese_block_survives_in_the_store(imported_corpus):
    """Each translatable Chinese unit of all 143 files is in zh/*.po: a translation or a note."""
    root, _ = imported_corpus
    book = Book(root)
    pairs = _pairs_with_chinese(root)
    assert len(pairs) == 143
    lost = []
    for en, zh in pairs:
        rel = en.relative_to(EN_V0170).as_posix()
        catalog = book.catalog(rel)
        kept = normalize(" ".join([p.chinese for p in catalog.pairs] + [n for p in catalog.pairs for n in p.notes]))
        doc = segment(zh.read_text(encoding="utf-8"), str(zh))
        lost += [f"{rel}:{u.start}" for u in doc.translatable if u.key not in kept]
    assert lost == []


@pytest.mark.corpus
def test_import_writes_every_english_file_and_renders_chinese(imported_corpus):
    root, report = imported_corpus
    english = sorted(p.relative_to(EN_V0170).as_posix() for p in EN_V0170.rglob("*.md"))
    assert [f.rel for f in report.files] == english
    assert report.written
    book = Book(root)
    assert book.english_files() == english
    for rel in english:
        assert book.po_path(rel).is_file() and book.zh_path(rel).is_file(), rel
    # a file d2l-zh never translated comes in untranslated
    recsys = book.catalog("chapter_recommender-systems/mf.md")
    assert recsys.pairs and all(p.status is Status.UNTRANSLATED for p in recsys.pairs)
    # a translated file: most of its units carry Chinese, and the render shows it
    vgg = book.catalog("chapter_convolutional-modern/vgg.md")
    done = [p for p in vgg.pairs if p.chinese]
    assert len(done) >= 0.9 * len(vgg.pairs)
    assert "使用块的网络（VGG）" in book.zh_path("chapter_convolutional-modern/vgg.md").read_text(encoding="utf-8")


@pytest.mark.corpus
def test_merged_paragraphs_become_one_pair(imported_corpus):
    """alexnet: d2l-zh merges two English paragraphs into one (gold note EN[12]+EN[13] -> ZH[12])."""
    root, _ = imported_corpus
    catalog = Book(root).catalog("chapter_convolutional-modern/alexnet.md")
    merged = [p for p in catalog.pairs if p.keys[0].startswith("Higher layers in the network might build")]
    assert len(merged) == 1
    assert len(merged[0].keys) == 2 and merged[0].keys[1].startswith("While the ultimate breakthrough for many-layered CNNs")
    assert merged[0].chinese.startswith("AlexNet的更高层建立在这些底层表示的基础上")
    # the vgg split: one English paragraph, a Chinese lead-in, a list and a paragraph (1:2)
    vgg = Book(root).catalog("chapter_convolutional-modern/vgg.md")
    split = next(p for p in vgg.pairs if p.english.startswith("The basic building block of classic CNNs"))
    assert split.chinese.startswith("经典卷积神经网络的基本组成部分是下面的这个序列")
    assert "1. 带填充以保持分辨率的卷积层" in split.chinese and "而一个VGG块与之类似" in split.chinese


@pytest.mark.corpus
def test_dry_run_writes_nothing_and_reports_json(tmp_path, capsys):
    need_corpus()
    en = tmp_path / "en-in"
    zh = tmp_path / "zh-in"
    for tree, src in ((en, EN_V0170), (zh, ZH)):
        (tree / "chapter_convolutional-modern").mkdir(parents=True)
        for name in ("vgg.md", "alexnet.md"):
            (tree / "chapter_convolutional-modern" / name).write_bytes(
                (src / "chapter_convolutional-modern" / name).read_bytes())
    book = tmp_path / "book"
    code = cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(book), "--dry-run", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert not book.exists()
    assert out["written"] is False
    assert [f["file"] for f in out["files"]] == ["chapter_convolutional-modern/alexnet.md",
                                                 "chapter_convolutional-modern/vgg.md"]
    assert all(f["translated"] > 0.8 * f["units"] for f in out["files"])
