"""`workbench import`: a parallel English/Chinese tree into a book, no Chinese text lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EN_V0170, ZH, assert_msgfmt_ok, need_corpus
from workbench import cli
from workbench.book import Book
from workbench.importer import import_tree
from workbench.markdown import segment
from workbench.model import State, Status, normalize


def _pairs_with_chinese(root: Path) -> list[tuple[Path, Path]]:
    return [
        (p, ZH / p.relative_to(EN_V0170))
        for p in sorted(EN_V0170.rglob("*.md"))
        if (ZH / p.relative_to(EN_V0170)).is_file()
    ]


@pytest.mark.corpus
def test_every_chinese_block_survives_in_the_store(imported_corpus):
    """Each translatable Chinese unit of all 143 files is in zh/*.po: a translation or a note.

    (A Chinese code cell or math block with no English counterpart is kept as a note too; one
    that pairs with an English cell is the English cell's shared code.) The one file refused as
    another document, d2l-zh's INFO.md, is not imported: the summary names it."""
    root, report = imported_corpus
    book = Book(root)
    pairs = _pairs_with_chinese(root)
    assert len(pairs) == 143
    assert [(r.en, r.zh) for r in report.refused] == [("INFO.md", "INFO.md")]
    lost = []
    checked = 0
    for en, zh in pairs:
        rel = en.relative_to(EN_V0170).as_posix()
        if rel == "INFO.md":
            continue
        catalog = book.catalog(rel)
        kept = normalize(" ".join([p.chinese for p in catalog.pairs] + [n for p in catalog.pairs for n in p.notes]))
        doc = segment(zh.read_text(encoding="utf-8"), str(zh))
        units = doc.translatable  # Chinese-only docstrings included
        lost += [f"{rel}:{u.start}" for u in units if u.key not in kept]
        checked += len(units)
    assert lost == []
    assert checked > 7000


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
    # a file d2l-zh never translated comes in untranslated; one it keeps under contrib/ is paired by content
    gan = book.catalog("chapter_generative-adversarial-networks/gan.md")
    assert gan.pairs and all(p.status is Status.UNTRANSLATED for p in gan.pairs)
    recsys = book.catalog("chapter_recommender-systems/mf.md")
    assert sum(p.status is Status.CURRENT for p in recsys.pairs) >= 0.9 * len(recsys.pairs)
    by = {f.rel: f for f in report.files}
    assert (by["chapter_recommender-systems/mf.md"].zh, by["chapter_recommender-systems/mf.md"].how) == (
        "contrib/chapter_recommender-systems/mf.md", "paired by content")
    # a translated file: most of its units carry Chinese, and the render shows it
    vgg = book.catalog("chapter_convolutional-modern/vgg.md")
    done = [p for p in vgg.pairs if p.chinese]
    assert len(done) >= 0.9 * len(vgg.pairs)
    assert "使用块的网络（VGG）" in book.zh_path("chapter_convolutional-modern/vgg.md").read_text(encoding="utf-8")


@pytest.mark.corpus
def test_code_math_and_labels_pair_with_their_counterparts(imported_corpus):
    """Over the 143 pairs, code cells, display math and :label: lines that have a counterpart
    are paired with it (measured: all but two code cells, whose look-alike is another cell)."""
    _, report = imported_corpus
    for kind in ("code", "math", "label"):
        paired = sum(f.anchors[kind][0] for f in report.files if f.chinese)
        have = sum(f.anchors[kind][1] for f in report.files if f.chinese)
        assert have > 300 and paired >= 0.995 * have, (kind, paired, have)


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
    # its Chinese holds a list: as a msgstr it would add list items to zh/*.md (structure.py), so
    # the import keeps it, whole, as a note on the pair and leaves the pair untranslated
    assert split.chinese == ""
    note = "\n".join(split.notes)
    assert "starts a list item" in note and "经典卷积神经网络的基本组成部分是下面的这个序列" in note
    assert "1. 带填充以保持分辨率的卷积层" in note and "而一个VGG块与之类似" in note


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


@pytest.mark.corpus
def test_chinese_without_english_is_kept_as_a_note(imported_corpus):
    """kaggle-cifar10: d2l-zh adds a sentence of its own before the imports; it has no English."""
    root, report = imported_corpus
    catalog = Book(root).catalog("chapter_computer-vision/kaggle-cifar10.md")
    notes = [n for p in catalog.pairs for n in p.notes]
    assert any(n.startswith("unplaced Chinese (zh line 18): 首先，导入竞赛所需的包和模块。") for n in notes)
    assert sum(f.notes for f in report.files) > 0


def _tree(tmp_path: Path, names: dict[str, tuple[Path, Path | None]]) -> tuple[Path, Path]:
    """A small en/zh tree: name -> (English source, Chinese source or None)."""
    en, zh = tmp_path / "en-in", tmp_path / "zh-in"
    for name, (e, z) in names.items():
        (en / name).parent.mkdir(parents=True, exist_ok=True)
        (en / name).write_bytes(e.read_bytes())
        if z is not None:
            (zh / name).parent.mkdir(parents=True, exist_ok=True)
            (zh / name).write_bytes(z.read_bytes())
    zh.mkdir(exist_ok=True)
    return en, zh


CNN = "chapter_convolutional-modern"


@pytest.mark.corpus
def test_another_chapter_is_refused_unless_paired_by_hand(tmp_path, capsys):
    """d2l-zh's lstm.md under the name of nin.md: refused (nin.md imported untranslated, the
    summary says why and what to do); forced with --pair, its pairs are all "check the pairing"."""
    need_corpus()
    en, zh = _tree(tmp_path, {
        "ch/alexnet.md": (EN_V0170 / CNN / "alexnet.md", ZH / CNN / "alexnet.md"),
        "ch/nin.md": (EN_V0170 / CNN / "nin.md", ZH / "chapter_recurrent-modern" / "lstm.md"),
    })
    book = tmp_path / "book"
    log = tmp_path / "import.log"
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(book), "--log", str(log)]) == 1
    # the terminal gets the summary: the refused file by name, the per-file report is in the log
    out = capsys.readouterr().out
    assert ("1 Chinese file does not translate the English file of the same path and was refused (the English "
            "imported untranslated):\n  zh/ch/nin.md: the Chinese does not seem to translate this English") in out
    assert "import again with --pair ZH=EN" in out
    assert "  check " not in out and f"report (beads to check, Chinese kept as notes) is in {log}" in out
    full = log.read_text(encoding="utf-8")
    assert "zh/ch/nin.md: does not translate en/ch/nin.md; not imported" in full
    assert "en/ch/nin.md: " in full and "no Chinese file: untranslated" in full
    # the beads to review first are listed per file, least confident first
    alex = full.split("en/ch/alexnet.md:")[1].split("en/ch/nin.md:")[0]
    scores = [float(line.split()[1]) for line in alex.splitlines() if line.strip().startswith("check")]
    assert scores and scores == sorted(scores)
    nin = Book(book).catalog("ch/nin.md")
    assert nin.pairs and not any(p.chinese for p in nin.pairs)
    # the real translation next to it is not affected
    alexnet = Book(book).catalog("ch/alexnet.md")
    assert sum(p.status is Status.CURRENT for p in alexnet.pairs) >= 0.9 * len(alexnet.pairs)

    forced = tmp_path / "forced"
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(forced),
                     "--pair", "ch/nin.md=ch/nin.md"]) == 1
    out = capsys.readouterr().out
    assert "zh/ch/nin.md -> en/ch/nin.md (paired by --pair)" not in out  # same path: no rename to show
    assert "1 file with warnings:\n  en/ch/nin.md: the Chinese does not seem to translate" in out
    with_chinese = [p for p in Book(forced).catalog("ch/nin.md").pairs if p.chinese]
    assert with_chinese and all(p.state is State.PAIRING for p in with_chinese)
    assert all(p.pairing.endswith("the whole file pairs badly (paired by --pair)") for p in with_chinese)
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(forced), "--pair", "nin.md"]) == 2
    assert "give it as ZH=EN" in capsys.readouterr().err
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(forced), "--pair", "x.md=ch/nin.md"]) == 2
    assert "no such Chinese file" in capsys.readouterr().err


@pytest.mark.corpus
def test_translations_under_another_name_or_folder_are_paired_by_content(tmp_path, capsys):
    """d2l-zh's nadaraya-waston.md translates d2l-en's nadaraya-watson.md; d2l-zh keeps the
    recommender chapter under contrib/. Each is paired by content, reported so; a Chinese
    file that translates nothing in the English tree stays unpaired."""
    need_corpus()
    att, rec = "chapter_attention-mechanisms", "chapter_recommender-systems"
    en, zh = _tree(tmp_path, {
        f"{att}/nadaraya-watson.md": (EN_V0170 / att / "nadaraya-watson.md", None),
        f"{att}/attention-cues.md": (EN_V0170 / att / "attention-cues.md", ZH / att / "attention-cues.md"),
        f"{rec}/mf.md": (EN_V0170 / rec / "mf.md", None),
        f"{rec}/autorec.md": (EN_V0170 / rec / "autorec.md", None),
    })
    for rel in (f"{att}/nadaraya-waston.md", f"contrib/{rec}/mf.md", f"contrib/{rec}/autorec.md", "INFO.md"):
        (zh / rel).parent.mkdir(parents=True, exist_ok=True)
        (zh / rel).write_bytes((ZH / rel).read_bytes())
    book = tmp_path / "book"
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(book)]) == 0
    out = capsys.readouterr().out.splitlines()
    k = out.index("3 Chinese files under another name, imported with the English they translate:")
    assert out[k + 1 : k + 4] == [
        f"  zh/{att}/nadaraya-waston.md -> en/{att}/nadaraya-watson.md (paired by content)",
        f"  zh/contrib/{rec}/autorec.md -> en/{rec}/autorec.md (paired by content)",
        f"  zh/contrib/{rec}/mf.md -> en/{rec}/mf.md (paired by content)",
    ]
    assert "  zh/INFO.md (English without Chinese beside it" not in out and "  zh/INFO.md" in out
    nw = Book(book).catalog(f"{att}/nadaraya-watson.md")
    done = sum(p.state is State.TRANSLATED for p in nw.pairs)
    assert done >= 0.9 * len(nw.pairs), (done, len(nw.pairs))
    assert nw.pairs[0].chinese == "注意力汇聚：Nadaraya-Watson 核回归"
    # forced: the same pairing named by hand, reported as such
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(tmp_path / "b2"), "--json", "--dry-run",
                     "--pair", f"{att}/nadaraya-waston.md={att}/nadaraya-watson.md"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert {"zh": f"{att}/nadaraya-waston.md", "en": f"{att}/nadaraya-watson.md", "how": "paired by --pair"} in \
        summary["paired_by_content"]


@pytest.mark.corpus
def test_import_twice_changes_nothing_and_in_place_works(tmp_path):
    """Importing the same trees again writes the same bytes; a book whose zh/ holds the d2l-zh
    Markdown can be imported in place (--zh is the book's own zh/)."""
    need_corpus()
    en, zh = _tree(tmp_path, {"vgg.md": (EN_V0170 / CNN / "vgg.md", ZH / CNN / "vgg.md")})
    book = tmp_path / "book"
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(book)]) == 0
    first = {p: p.read_bytes() for p in sorted(book.rglob("*")) if p.is_file()}
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(book)]) == 0
    assert {p: p.read_bytes() for p in sorted(book.rglob("*")) if p.is_file()} == first

    inplace = tmp_path / "inplace"
    (inplace / "en").mkdir(parents=True)
    (inplace / "zh").mkdir()
    (inplace / "en" / "vgg.md").write_bytes((EN_V0170 / CNN / "vgg.md").read_bytes())
    (inplace / "zh" / "vgg.md").write_bytes((ZH / CNN / "vgg.md").read_bytes())
    assert cli.main(["import", "--en", str(inplace / "en"), "--zh", str(inplace / "zh"),
                     "--book", str(inplace)]) == 0
    # the same PO but for its PO-Revision-Date: two imports, each dated when it ran (a minute may turn between)
    assert _undated(inplace / "zh" / "vgg.po") == _undated(book / "zh" / "vgg.po")
    assert (inplace / "zh" / "vgg.md").read_bytes() == (book / "zh" / "vgg.md").read_bytes()
    assert_msgfmt_ok(book / "zh")


def _undated(po: Path) -> list[str]:
    """A PO file's lines without its PO-Revision-Date."""
    return [line for line in po.read_text(encoding="utf-8").splitlines() if not line.startswith('"PO-Revision-Date:')]


def test_bad_input_writes_nothing(tmp_path, capsys):
    """A Chinese file with an unclosed code fence (made up for this case): exit 2 with its line,
    and not even the files before it are written."""
    en, zh = tmp_path / "en-in", tmp_path / "zh-in"
    for d in (en, zh):
        d.mkdir()
    (en / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    (en / "b.md").write_text("# B\n", encoding="utf-8")
    (zh / "a.md").write_text("# 甲\n\n文字。\n", encoding="utf-8")
    (zh / "b.md").write_text("# 乙\n\n```python\nx = 1\n", encoding="utf-8")
    book = tmp_path / "book"
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(book)]) == 2
    assert f"{zh / 'b.md'}:3:" in capsys.readouterr().err
    assert not book.exists()
    assert cli.main(["import", "--en", str(tmp_path / "nowhere"), "--zh", str(zh), "--book", str(book)]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_small_and_empty_files_import(tmp_path):
    """Made-up edge cases: an empty Chinese file, a one-line pair, an English file with nothing to
    translate whose Chinese has text (no unit to hold it: reported, not lost silently)."""
    en, zh = tmp_path / "en-in", tmp_path / "zh-in"
    for d in (en, zh):
        d.mkdir()
    files = {
        "empty.md": ("# Title\n\nSome text.\n", ""),
        "one.md": ("# Title\n", "# 标题\n"),
        "code.md": ("```python\nx = 1\n```\n", "说明。\n\n```python\nx = 1\n```\n"),
    }
    for name, (e, z) in files.items():
        (en / name).write_text(e, encoding="utf-8")
        (zh / name).write_text(z, encoding="utf-8")
    root = tmp_path / "book"
    report = import_tree(en, zh, Book(root))
    by = {f.rel: f for f in report.files}
    book = Book(root)
    assert [p.status for p in book.catalog("empty.md").pairs] == [Status.UNTRANSLATED] * 2
    assert [(p.english, p.chinese) for p in book.catalog("one.md").pairs] == [("Title", "标题")]
    assert book.zh_path("one.md").read_text(encoding="utf-8") == "# 标题\n"
    assert book.catalog("code.md").pairs == []
    assert any("说明。" in w for w in by["code.md"].warnings)
    assert_msgfmt_ok(root / "zh")


@pytest.mark.corpus
def test_import_into_an_existing_book_keeps_its_glossary_and_files(builtin_book, capsys):
    """The built-in book (preface, glossary): importing a chapter adds it and leaves the rest as it was."""
    need_corpus()
    before = {p: p.read_bytes() for p in sorted(builtin_book.rglob("*")) if p.is_file()}
    en, zh = _tree(builtin_book.parent / "trees", {"vgg.md": (EN_V0170 / CNN / "vgg.md", ZH / CNN / "vgg.md")})
    log = builtin_book.parent / "import.log"
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(builtin_book), "--log", str(log)]) == 0
    after = {p: p.read_bytes() for p in sorted(builtin_book.rglob("*")) if p.is_file()}
    assert {p: b for p, b in after.items() if p in before} == before
    assert builtin_book / "zh" / "vgg.po" in after and builtin_book / "en" / "vgg.md" in after
    # 38 units: two comments of vgg.md are wrapped over two lines each (one unit a sentence)
    assert "en/vgg.md: 38 of 38 units translated" in log.read_text(encoding="utf-8")
    assert_msgfmt_ok(builtin_book / "zh")


@pytest.mark.corpus
def test_summary_names_unpaired_chinese_and_progress_counts_every_file(tmp_path, capsys):
    """d2l-zh's nadaraya-waston.md beside an English tree without nadaraya-watson.md: the
    summary names the Chinese file that found no English (by path or content) and the
    untranslated English file beside it; the progress callback sees every file aligned, the
    candidates tried by content, then every file planned (a dry run) or written."""
    need_corpus()
    att = "chapter_attention-mechanisms"
    en, zh = _tree(tmp_path, {
        f"{att}/attention-scoring-functions.md": (EN_V0170 / att / "attention-scoring-functions.md", None),
        f"{att}/attention-cues.md": (EN_V0170 / att / "attention-cues.md", ZH / att / "attention-cues.md"),
    })
    (zh / att / "nadaraya-waston.md").write_bytes((ZH / att / "nadaraya-waston.md").read_bytes())
    seen: list[tuple[str, int, int]] = []
    report = import_tree(en, zh, Book(tmp_path / "book"), dry_run=True, on_progress=lambda *a: seen.append(a))
    assert seen[:2] == [("aligning", 1, 2), ("aligning", 2, 2)]
    # a dry run plans every write too (what it would write is checked), and writes none
    assert [stage for stage, _, _ in seen if stage != "pairing"][2:] == ["planning", "planning"]
    assert all(d <= t for _, d, t in seen) and not (tmp_path / "book").exists()
    assert report.chinese_only == [f"{att}/nadaraya-waston.md"]
    book = tmp_path / "book"
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(book)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"imported into {book}: 2 English files, 1 with Chinese"
    k = out.index("1 Chinese file has no English file of the same path and was not imported:")
    assert out[k + 1] == (f"  zh/{att}/nadaraya-waston.md (English without Chinese beside it: "
                          "attention-scoring-functions.md)")
    assert not any("with warnings" in line for line in out)
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(book), "--json", "--dry-run"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["chinese_only"] == [{"file": f"{att}/nadaraya-waston.md",
                                        "english_without_chinese_beside": [f"{att}/attention-scoring-functions.md"]}]
    assert summary["files"] == 2 and summary["with_chinese"] == 1 and summary["with_warnings"] == []
    writes: list[tuple[str, int, int]] = []
    import_tree(en, zh, Book(tmp_path / "book2"), on_progress=lambda *a: writes.append(a))
    assert writes[-2:] == [("writing", 1, 2), ("writing", 2, 2)]


@pytest.mark.corpus
def test_another_document_imports_no_pair_as_done(tmp_path, capsys):
    """d2l-zh's INFO.md is not a translation of d2l-en's INFO.md: refused, none of its pairs
    done, the summary names the file and says so (and --json)."""
    need_corpus()
    en, zh = _tree(tmp_path, {"INFO.md": (EN_V0170 / "INFO.md", ZH / "INFO.md")})
    book = tmp_path / "book"
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(book)]) == 1
    out = capsys.readouterr().out.splitlines()
    k = out.index("1 Chinese file does not translate the English file of the same path and was refused "
                  "(the English imported untranslated):")
    assert out[k + 1].startswith("  zh/INFO.md: the Chinese does not seem to translate this English: only 2%")
    pairs = Book(book).catalog("INFO.md").pairs
    assert pairs and all(p.state is State.UNTRANSLATED for p in pairs)
    assert out[1].startswith(f"{len(pairs)} pairs: 0 translated, 0 to check the pairing")
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(book), "--json", "--dry-run"]) == 1
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert [(r["en"], r["zh"]) for r in summary["refused"]] == [("INFO.md", "INFO.md")]
    assert summary["pairs"]["translated"] == 0 and summary["chinese_only"] == []


@pytest.mark.corpus
def test_an_import_in_worker_processes_writes_what_one_process_writes(tmp_path, capsys, monkeypatch):
    """d2l's modern CNN chapter (8 files) imported in two processes and in one: the same bytes;
    a bad Chinese file is reported with its line as in one process, and nothing is written."""
    need_corpus()
    en, zh = _tree(tmp_path, {f"{CNN}/{p.name}": (p, ZH / CNN / p.name) for p in sorted((EN_V0170 / CNN).glob("*.md"))})
    books = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("WORKBENCH_JOBS", jobs)
        books[jobs] = tmp_path / f"book{jobs}"
        assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(books[jobs])]) == 0
    # the same bytes but for each PO's revision date: the two imports ran at two times
    one, two = ({p.relative_to(b): _undated(p) if p.suffix == ".po" else p.read_bytes()
                 for p in sorted(b.rglob("*")) if p.is_file()} for b in books.values())
    assert len(one) > 8 * 3 and one == two
    capsys.readouterr()
    bad = zh / CNN / "nin.md"
    bad.write_text(bad.read_text(encoding="utf-8") + "\n```python\nx = 1\n", encoding="utf-8")
    line = bad.read_text(encoding="utf-8").count("\n") - 1
    assert cli.main(["import", "--en", str(en), "--zh", str(zh), "--book", str(tmp_path / "book3")]) == 2
    assert f"{bad}:{line}:" in capsys.readouterr().err
    assert not (tmp_path / "book3").exists()
