"""The shared glossary: file format, import/export, term matching, term check, discovery, review."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conftest import CORPUS, copy_files, need_corpus
from workbench import glossary as G
from workbench.cli import main
from workbench.glossary import discovery
from workbench.glossary.evidence import BookText, fold_chinese
from workbench.glossary.uses import in_compound, verb_use
from workbench.model import WorkbenchError

TERMINOLOGY = CORPUS / "TERMINOLOGY.md"


def test_builtin_glossary_round_trips_byte_for_byte(builtin_book):
    text = (builtin_book / "glossary" / "glossary.tsv").read_text(encoding="utf-8")
    g = G.parse(text)
    assert G.dump(g) == text
    assert {t.status for t in g.terms} <= set(G.STATUSES)
    assert any(t.status == "forbidden" and t.chinese == "递归神经网络" for t in g.terms)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("# c\nenglish\tchinese\tstatus\tnote\ntensor\t张量\tapprovd\t\n", 3, "unknown status"),
        ("tensor\t张量\tapproved\t\n", 1, "header line"),
        ("english\tchinese\tstatus\tnote\ntensor\n", 2, "columns"),
        ("english\tchinese\tstatus\tnote\ntensor\t张量\n tensors\t张量\tapproved\t\n", 3, "same term as line 2"),
    ],
)
def test_malformed_glossary_names_the_line(text, line, words):
    # made-up lines: each is one way a hand edit breaks the file
    with pytest.raises(WorkbenchError) as e:
        G.parse(text, "glossary/glossary.tsv")
    assert e.value.line == line and words in e.value.message


@pytest.mark.corpus
def test_terminology_md_is_read_whole():
    need_corpus()
    terms = G.parse_terminology(TERMINOLOGY.read_text(encoding="utf-8"), "TERMINOLOGY.md")
    by = {}
    for t in terms:
        by.setdefault(t.english, []).append(t.chinese)
    assert len(terms) == 140  # 138 lines, two of which give two Chinese alternatives
    assert by["instance"] == ["实例", "示例"] and by["accuracy"] == ["准确率", "精度"]
    assert by["long short-term memory"] == ["长短期记忆网络"]
    lstm = next(t for t in terms if t.english == "long short-term memory")
    assert "LSTM" in lstm.note and lstm.note.startswith("TERMINOLOGY.md:")


def test_term_keys_fold_case_plural_and_hyphen():
    assert G.term_key("mini-batch") == G.term_key("minibatches") == G.term_key("Minibatch")
    assert G.term_key("Tensors") == G.term_key("tensor")
    assert G.term_key("fully-connected layers") == G.term_key("fully connected layer")


@pytest.mark.corpus
def test_longest_term_wins_on_real_english():
    need_corpus()
    text = (CORPUS / "en-v0.17.0" / "chapter_optimization" / "minibatch-sgd.md").read_text(encoding="utf-8")
    m = G.TermMatcher(G.term_key(t) for t in ("gradient descent", "stochastic gradient descent", "minibatch"))
    hits = m.find(text)
    found = {text[h.start:h.end].lower() for h in hits}
    assert "stochastic gradient descent" in found
    # "stochastic gradient descent" is never also counted as "gradient descent"
    for h in hits:
        if h.key == G.term_key("gradient descent"):
            assert not text[: h.start].lower().endswith("stochastic ")


def test_glossary_check_finds_the_seed_forbidden_variants(builtin_book, capsys):
    code = main(["glossary", "check", "--json", "--book", str(builtin_book)])
    out = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    forbidden = {(f["term"], f["found"], f["line"]) for f in out if f["problem"] == "forbidden"}
    assert ("recurrent neural network", "递归神经网络", 48) in forbidden
    assert ("multilayer perceptron", "多层感知器", 47) in forbidden
    assert ("automatic differentiation", "自动区分", 36) in forbidden
    for f in out:
        assert set(f) == {"file", "line", "en_file", "en_line", "term", "expected", "found", "problem",
                          "severity", "count", "message"}
        zh_line = (builtin_book / f["file"]).read_text(encoding="utf-8").split("\n")[f["line"] - 1]
        if f["found"]:  # the line is where the Chinese stands in zh/PATH.md ('线性…代数': a torn term)
            assert all(part in zh_line for part in f["found"].split("…"))
    # the seed's other defects: "modern machine learning" rendered 现代深度学习 (a sibling term's
    # translation), and 线性代数 torn apart by the machine translation (线性的基本概念… 代数)
    by = {(f["term"], f["severity"]): f for f in out}
    assert by[("machine learning", "warning")]["found"] == "深度学习"
    assert by[("linear algebra", "warning")]["found"] == "线性…代数"
    assert {f["severity"] for f in out if f["problem"] == "forbidden"} == {"error"}


@pytest.mark.corpus
def test_part_of_speech_tells_a_verb_from_the_term_in_real_english():
    need_corpus()
    en = CORPUS / "en-v0.17.0"

    def verb(rel: str, phrase: str, word: str) -> bool:
        text = (en / rel).read_text(encoding="utf-8")
        at = text.index(phrase) + phrase.index(word)
        return verb_use(text, at, at + len(word))

    assert verb("chapter_convolutional-neural-networks/padding-and-strides.md", "This means that the height", "means")
    assert verb("chapter_linear-networks/linear-regression-scratch.md", "to transform the", "transform")
    assert verb("chapter_recurrent-modern/seq2seq.md", "encoder transforms an", "transforms")
    assert not verb("chapter_convolutional-modern/batch-norm.md", "the mean and variance", "mean")
    assert not verb("chapter_convolutional-modern/batch-norm.md", "that mean and variance", "mean")


@pytest.mark.corpus
def test_a_term_inside_a_longer_hyphenated_compound_is_not_the_term():
    need_corpus()
    text = (CORPUS / "en-v0.17.0" / "chapter_multilayer-perceptrons" / "kaggle-house-price.md").read_text(encoding="utf-8")
    m = G.TermMatcher([G.term_key("mean squared error")])
    inside = [h for h in m.find(text) if text[h.start - 5 : h.start] == "root-"]
    assert inside and in_compound(text, inside[0].start, inside[0].end)  # root-mean-squared-error: 均方根误差


@pytest.mark.corpus
def test_d2l_highlight_marks_do_not_split_a_chinese_term():
    need_corpus()
    zh = (CORPUS / "zh-2021-09-30" / "chapter_linear-networks" / "softmax-regression-concise.md").read_text(encoding="utf-8")
    line = next(x for x in zh.splitlines() if "线性(**回归" in x)
    assert "线性回归" not in line and "线性回归" in fold_chinese(line)


def test_import_dry_run_writes_nothing_then_import_merges(builtin_book, capsys):
    need_corpus()
    path = builtin_book / "glossary" / "glossary.tsv"
    before = path.read_bytes()
    assert main(["glossary", "import", str(TERMINOLOGY), "--dry-run", "--book", str(builtin_book)]) == 0
    assert path.read_bytes() == before
    capsys.readouterr()
    assert main(["glossary", "import", str(TERMINOLOGY), "--json", "--book", str(builtin_book)]) == 0
    report = json.loads(capsys.readouterr().out)
    g = G.load(builtin_book)
    # terms the built-in glossary already had are kept, not doubled
    assert report["kept"] >= 5 and report["added"] + report["kept"] + report["conflict"] == 140
    assert len(g.find("recurrent neural network", "循环神经网络")) == 1
    assert {t.chinese for t in g.find("instance") if t.status == "approved"} == {"实例", "示例"}
    assert main(["glossary", "import", str(TERMINOLOGY), "--json", "--book", str(builtin_book)]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 0  # a second import changes nothing


def test_import_reads_omegat_and_weblate_files(tmp_path):
    # an OmegaT glossary: source<TAB>target<TAB>comment, '#' comments
    omegat = tmp_path / "omegat.txt"
    omegat.write_text("# OmegaT glossary\ntensor\t张量\tcore term\nlearning rate\t学习率\n", encoding="utf-8")
    terms = G.read_foreign(omegat)
    assert [(t.english, t.chinese, t.note) for t in terms] == [("tensor", "张量", "core term"), ("learning rate", "学习率", "")]
    weblate = tmp_path / "weblate.csv"
    weblate.write_text('source,target,explanation\n"tensor","张量","n-d array"\n', encoding="utf-8")
    assert [(t.english, t.chinese, t.note) for t in G.read_foreign(weblate)] == [("tensor", "张量", "n-d array")]


def test_export_is_read_by_translate_toolkit(builtin_book, tmp_path, capsys):
    from translate.storage import csvl10n, tbx

    out = tmp_path / "g.tbx"
    assert main(["glossary", "export", "--format", "tbx", "-o", str(out), "--book", str(builtin_book)]) == 0
    store = tbx.tbxfile(out.read_bytes())
    pairs = {(u.source, u.target) for u in store.units}
    assert ("attention mechanism", "注意力机制") in pairs
    # the TBX carries the forbidden variant as deprecated, and reads back as forbidden
    back = G.parse_tbx(out.read_text(encoding="utf-8"))
    assert ("recurrent neural network", "递归神经网络", "forbidden") in {(t.english, t.chinese, t.status) for t in back}
    csv_out = tmp_path / "g.csv"
    assert main(["glossary", "export", "--format", "csv", "-o", str(csv_out), "--book", str(builtin_book)]) == 0
    units = csvl10n.csvfile(io.BytesIO(csv_out.read_bytes())).units
    assert ("deep learning", "深度学习") in {(u.source, u.target) for u in units}
    capsys.readouterr()
    assert main(["glossary", "export", "--format", "tsv", "--book", str(builtin_book)]) == 0
    tsv = capsys.readouterr().out
    assert "递归神经网络" not in tsv  # OmegaT would suggest a forbidden variant: TSV holds approved terms
    assert ("machine learning", "机器学习") in {(t.english, t.chinese) for t in G.parse_tabbed(tsv)}


REAL = ["chapter_linear-networks/linear-regression.md", "chapter_multilayer-perceptrons/mlp.md",
        "chapter_convolutional-neural-networks/why-conv.md"]


@pytest.mark.corpus
def test_extract_proposes_glossed_terms_with_examples(imported_corpus, tmp_path, capsys):
    root = copy_files(imported_corpus[0], tmp_path, REAL)
    assert main(["glossary", "extract", "--json", "--book", str(root)]) == 0
    props = json.loads(capsys.readouterr().out)["proposals"]
    by = {(p["english"], p["chinese"]): p for p in props}
    # d2l-zh writes *线性回归*（linear regression）: a glossed term; examples are real pairs
    hit = by[("linear regression", "线性回归")] if ("linear regression", "线性回归") in by else None
    assert hit is not None and hit["how"] == "glossed"
    assert 1 <= len(hit["examples"]) <= 2 and "linear regression" in hit["examples"][0]["english"].lower()
    assert any(p["how"] == "co-occurrence" for p in props)
    g = G.load(root)
    stored = g.find("linear regression", "线性回归")
    assert stored and stored[0].status == "proposed"


@pytest.mark.corpus
def test_review_reads_answers_from_a_pipe(imported_corpus, tmp_path, monkeypatch, capsys):
    root = copy_files(imported_corpus[0], tmp_path, REAL)
    assert main(["glossary", "extract", "--limit", "4", "--book", str(root)]) == 0
    todo = G.load(root).with_status("proposed")
    assert len(todo) == 4
    # approve, reject, edit (then the new Chinese), skip
    monkeypatch.setattr("sys.stdin", io.StringIO("a\nr\ne\n新译名\ns\n"))
    capsys.readouterr()
    assert main(["glossary", "review", "--json", "--book", str(root)]) == 0
    decisions = json.loads(capsys.readouterr().out)["decisions"]
    assert [d["status"] for d in decisions] == ["approved", "rejected", "approved"]
    assert decisions[2]["chinese"] == "新译名"
    g = G.load(root)
    assert g.find(todo[0].english, todo[0].chinese)[0].status == "approved"
    assert g.find(todo[1].english, todo[1].chinese)[0].status == "rejected"
    assert g.find(todo[2].english, "新译名")[0].status == "approved"
    assert g.find(todo[3].english, todo[3].chinese)[0].status == "proposed"


def test_review_dry_run_saves_nothing(builtin_book, monkeypatch, capsys):
    path = builtin_book / "glossary" / "glossary.tsv"
    before = path.read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO("a\n"))
    assert main(["glossary", "review", "--dry-run", "--book", str(builtin_book)]) == 0
    assert path.read_bytes() == before
    assert "1 decisions" in capsys.readouterr().out


@pytest.mark.corpus
def test_term_check_on_real_pairs_with_terminology(imported_corpus, tmp_path, capsys):
    root = copy_files(imported_corpus[0], tmp_path, REAL)
    assert main(["glossary", "import", str(TERMINOLOGY), "--book", str(root)]) == 0
    capsys.readouterr()
    main(["glossary", "check", "--json", "--book", str(root)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    # d2l-zh follows its own TERMINOLOGY for these: no finding may name them
    terms = {f["term"] for f in findings}
    assert "linear regression" not in terms and "multilayer perceptron" not in terms
    for f in findings:
        assert f["problem"] in ("missing", "forbidden", "variant") and f["line"] >= 1


WEIGHED = ["chapter_linear-networks/linear-regression.md", "chapter_linear-networks/linear-regression-scratch.md",
           "chapter_linear-networks/softmax-regression-scratch.md", "chapter_multilayer-perceptrons/mlp.md",
           "chapter_multilayer-perceptrons/mlp-scratch.md", "chapter_multilayer-perceptrons/dropout.md",
           "chapter_optimization/optimization-intro.md", "chapter_computer-vision/anchor.md",
           "chapter_convolutional-neural-networks/padding-and-strides.md", "chapter_convolutional-modern/batch-norm.md"]


@pytest.fixture
def weighed_book(imported_corpus, tmp_path, capsys):
    """Ten real imported files with d2l-zh's TERMINOLOGY.md as the approved glossary."""
    root = copy_files(imported_corpus[0], tmp_path, WEIGHED)
    assert main(["glossary", "import", str(TERMINOLOGY), "--book", str(root)]) == 0
    capsys.readouterr()
    return root


def _check(root: Path, capsys, *more: str) -> tuple[int, list[dict]]:
    code = main(["glossary", "check", "--json", "--book", str(root), *more])
    return code, json.loads(capsys.readouterr().out)["findings"]


@pytest.mark.corpus
def test_term_check_weighs_each_finding_with_the_book_evidence(weighed_book, capsys):
    code, shown = _check(weighed_book, capsys)
    _, everything = _check(weighed_book, capsys, "--severity", "info")
    assert code == 1 and {f["severity"] for f in shown} <= {"error", "warning"}
    assert len(everything) > 5 * len(shown)  # the doubtful ones wait behind --severity info
    by = {(f["term"], f["problem"], f["found"]): f for f in shown}
    # the book writes 迭代周期 for "epoch" throughout (TERMINOLOGY says 轮): one finding for all its pairs
    epoch = by[("epoch", "variant", "迭代周期")]
    assert epoch["count"] >= 6 and "迭代周期" in epoch["message"]
    assert not [f for f in shown if f["term"] == "epoch" and f["problem"] == "missing"]
    pairs = [f for f in everything if f["term"] == "epoch" and f["problem"] == "missing"]
    assert pairs and all(f["severity"] == "info" and f["found"] == "迭代周期" for f in pairs)
    assert ("dropout", "variant", "dropout") in by  # left in English, book-wide
    # a near form of the approved translation is a wrong term: 训练错误 for 训练误差
    assert ("training error", "missing", "训练错误") in by
    # "this means that" is no 均值; a single common word is never a warning by itself
    assert not [f for f in shown if f["term"] in ("mean", "size", "transform")]
    assert any(f["term"] == "mean" and "verb" in f["message"] for f in everything)
    # 真实边界框 for "ground-truth bounding box" is a short form of 真实值: right, never reported
    assert not [f for f in everything if f["term"] == "ground truth"]


@pytest.mark.corpus
def test_term_check_of_one_file_keeps_the_whole_book_evidence(weighed_book, capsys):
    rel = "chapter_linear-networks/softmax-regression-scratch.md"
    _, one = _check(weighed_book, capsys, rel, "--severity", "info")
    assert one and {f["file"] for f in one} == {"zh/" + rel}
    # its epoch pairs are known as the book's variant, though most of the evidence is elsewhere
    epoch = [f for f in one if f["term"] == "epoch"]
    assert {f["problem"] for f in epoch} == {"missing", "variant"}
    assert all(f["found"] == "迭代周期" for f in epoch)


@pytest.mark.corpus
def test_discovery_proposes_whole_chinese_terms(imported_corpus, tmp_path):
    from workbench.book import Book
    from workbench.commands.glossary import book_pairs

    rels = ["chapter_attention-mechanisms/attention-scoring-functions.md",
            "chapter_computer-vision/image-augmentation.md", "chapter_multilayer-perceptrons/underfit-overfit.md"]
    pairs = book_pairs(Book(copy_files(imported_corpus[0], tmp_path, rels)))
    book = BookText(pairs)
    # a six-character window cuts 注意力评分函数; 同的 is the tail of 不同的
    assert book.whole("注意力评分函") == "注意力评分函数"
    assert discovery._whole_term("同的图像增广", book) == "图像增广"
    props = {(p.english, p.chinese): p for p in G.extract(pairs, G.Glossary()) if p.how == "co-occurrence"}
    assert ("attention scoring", "注意力评分函数") in props
    assert ("image augmentation", "图像增广") in props
    assert ("different image augmentation", "图像增广") not in props  # nothing new
    for english, chinese in props:
        assert not discovery._CLAUSE_CHARS & set(chinese), (english, chinese)
