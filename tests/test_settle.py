"""Settling mechanical English edits (workbench/settle.py), on real units of the d2l update
v0.17.0 -> v0.17.6 with their Chinese from d2l-zh, and on the built-in book through `sync`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EN_V0170, EN_V0176, PREFACE, ZH, assert_msgfmt_ok, need_corpus
from conftest import run_in_book as run
from workbench import store
from workbench.markdown import segment
from workbench.model import Pair, State
from workbench.settle import _MARK, Settlement, Words, classify

pytestmark = pytest.mark.corpus


def key(path: Path, contains: str) -> str:
    """The key of the one translatable unit of a real file that contains `contains`."""
    doc = segment(path.read_text(encoding="utf-8"), str(path))
    found = [u.key for u in doc.translatable if contains in u.key]
    assert len(found) == 1, f"{path}: {len(found)} units hold {contains!r}"
    return found[0]


def edit(rel: str, en: str, zh: str) -> tuple[str, str, str]:
    """A unit of the update: its v0.17.0 English, its v0.17.6 English, its d2l-zh Chinese."""
    return key(EN_V0170 / rel, en), key(EN_V0176 / rel, en), key(ZH / rel, zh)


@pytest.fixture(scope="session")
def words() -> Iterator[Words]:
    need_corpus()
    yield Words(lambda: (p.read_text(encoding="utf-8") for p in sorted(EN_V0176.rglob("*.md"))))


def settled(previous: str, english: str, chinese: str, words: Words, kind: str) -> str:
    s = classify(previous, english, chinese, words)
    assert s.settled and s.kind == kind, (s.kind, s.why)
    assert s.chinese is not None
    return s.chinese


def stays_stale(previous: str, english: str, chinese: str, words: Words, kind: str) -> Settlement:
    s = classify(previous, english, chinese, words)
    assert not s.settled and s.chinese is None and s.kind == kind, (s.kind, s.done)
    assert s.why
    return s


# -- typo: the old word is no word, the Chinese does not spell it ---------------------------------


@pytest.mark.parametrize(("rel", "en", "zh", "typo"), [
    ("chapter_preface/index.md", "based on PyTorch", "基于PyTorch的", "verion"),
    ("chapter_preface/index.md", "based on TensorFlow", "基于TensorFlow的", "reserchers"),
    ("chapter_natural-language-processing-pretraining/bert-dataset.md", "Comparing with the PTB dataset, the",
     "与PTB数据集相比，WikiText-2数据集保留", "dateset"),
])
def test_a_typo_fix_carries_the_translation_over(words: Words, rel: str, en: str, zh: str, typo: str) -> None:
    previous, english, chinese = edit(rel, en, zh)
    assert typo in previous and typo not in english
    assert settled(previous, english, chinese, words, "typo") == chinese


def test_a_for_an_is_a_typo(words: Words) -> None:
    previous, english, chinese = edit("chapter_introduction/index.md", "Reinforcement learning gives", "agent 在一系列")
    assert "behavior of an reinforcement" in previous
    assert settled(previous, english, chinese, words, "typo") == chinese


# -- tokens: what the Chinese holds verbatim is replaced there too ---------------------------------


def test_a_number_the_chinese_holds_is_replaced(words: Words) -> None:
    previous, english, chinese = edit("chapter_installation/index.md", "Assume that you have installed CUDA",
                                      "假设你已安装 CUDA")
    out = settled(previous, english, chinese, words, "tokens")
    assert "CUDA 10.1" in chinese and out == chinese.replace("CUDA 10.1", "CUDA 10.2")


def test_a_number_written_another_way_is_written_so_in_the_chinese(words: Words) -> None:
    """d2l-en v0.17.0 wrote `$500,000$` as 500000 (the issue's example); here the same edit on a real
    unit: minibatch-sgd.md's `$1,500$`, which d2l-zh holds verbatim."""
    rel = "chapter_optimization/minibatch-sgd.md"
    previous = key(EN_V0170 / rel, "we only use the first $1,500$ examples")
    chinese = key(ZH / rel, "我们只使用前$1,500$样本")
    out = settled(previous, previous.replace("$1,500$", "1500"), chinese, words, "tokens")
    assert out == chinese.replace("$1,500$", "1500")
    # another number is another value: stale
    stays_stale(previous, previous.replace("$1,500$", "1600"), chinese, words, "wording")


def test_enumerators_closed_by_a_parenthesis_are_opened_in_the_chinese_too(words: Words) -> None:
    """`i) ... ii)` became `(i) ... (ii)` in d2l-en; d2l-zh's translators did the same by hand. A real
    unit of ssd.md as it reads now, and as it read with the old enumerators (English and Chinese):
    settling the old one gives d2l-zh's Chinese of today."""
    rel = "chapter_computer-vision/ssd.md"
    english = key(EN_V0170 / rel, "(i) CNN feature maps")
    chinese = key(ZH / rel, "(i) CNN 特征图")

    def old(text: str) -> str:
        return re.sub(r"\((i{1,3})\)", r"\1)", text)

    assert old(english) != english and old(chinese) != chinese
    assert settled(old(english), english, old(chinese), words, "markup") == chinese
    # the Chinese wrote them otherwise (already opened): not certain, stale
    stays_stale(old(english), english, chinese, words, "wording")
    # a pair "(a, b)" or a call "f(i)" is no enumerator: nothing there is touched
    s = classify("the pair (a, b) and i) one", "the pair (a, b) and (i) one", "数对(a, b)以及i) 一", words)
    assert s.chinese == "数对(a, b)以及(i) 一"


def test_code_and_numbers_are_replaced_each_where_it_stands(words: Words) -> None:
    previous, english, chinese = edit("chapter_installation/index.md", "You may change the last digits", "更改最后一位")
    out = settled(previous, english, chinese, words, "tokens")
    # `cu100` -> `cu101` and 10.0 -> 10.1 at once: 10.1 is not then replaced again, `cu90` and 9.0 stay
    assert out == chinese.replace("10.0", "10.1").replace("`cu100`", "`cu101`")
    assert "`cu90`" in out and "9.0" in out


def test_names_swapped_in_the_chinese_too(words: Words) -> None:
    previous, english, chinese = edit("chapter_preface/index.md", "We thank Amazon Web Services", "我们感谢Amazon")
    out = settled(previous, english, chinese, words, "typo+tokens")  # the Oxford comma went too
    assert "Raju Gulabani、Charlie Bell和" in chinese
    assert out == chinese.replace("Raju Gulabani、Charlie Bell和", "Peter DeSantis、Adam Selipsky和")


def test_a_token_the_chinese_does_not_hold_stays_stale(words: Words) -> None:
    # the macOS step: its Chinese ("对于 macOS 用户：") says nothing of the Python version
    _, english, chinese = edit("chapter_installation/index.md", "Visit the Miniconda website", "对于 macOS 用户")
    s = stays_stale(english, english.replace("Python 3.x", "Python 4.x"), chinese, words, "tokens")
    assert "'3'" in s.why


@pytest.mark.parametrize(("en", "zh", "old", "new"), [
    ("Set up the corresponding MXNet GPU version.", "安装用于运行本书代码的深度学习框架", "MXNet", "PyTorch"),
    ("run the following command to view the GPUs.", "运行以下命令查看 GPU", "GPUs", "TPUs"),  # 查看 GPU: no "GPUs"
])
def test_a_name_the_chinese_writes_otherwise_stays_stale(words: Words, en: str, zh: str, old: str, new: str) -> None:
    rel = "chapter_appendix-tools-for-deep-learning/aws.md"
    english, chinese = key(EN_V0176 / rel, en), key(ZH / rel, zh)
    assert english.count(old) == 1
    stays_stale(english, english.replace(old, new), chinese, words, "tokens")


# -- whitespace and markup -----------------------------------------------------------------------


def test_spacing_inside_highlight_marks_is_whitespace(words: Words) -> None:
    previous, english, chinese = edit("chapter_linear-networks/softmax-regression-scratch.md",
                                      "Just as we implemented", "就像我们从零开始")
    assert "of **)" in previous and "of**)" in english
    # the real edit also added " and" (a word: stale); the spacing alone is settled
    stays_stale(previous, english, chinese, words, "wording")
    assert settled(previous, previous.replace("of **)", "of**)"), chinese, words, "whitespace") == chinese


def strip_marks(text: str) -> str:
    return re.sub(r"\s+", " ", _MARK.sub(" ", text)).strip()


@pytest.mark.parametrize(("rel", "en", "zh"), [
    # the whole unit
    ("chapter_recurrent-neural-networks/rnn-scratch.md", "Finally, let us check the results", "最后，让我们检查"),
    ("chapter_preliminaries/ndarray.md", "If the value of `X` is not reused", "如果在后续计算中没有重复使用"),
    ("chapter_preliminaries/ndarray.md", "we import `torch`. Note that", "首先，我们导入`torch`"),  # two sentences
])
def test_highlight_marks_go_where_d2l_zh_put_them(words: Words, rel: str, en: str, zh: str) -> None:
    """d2l added the marks in v0.17.0 and d2l-zh placed them by hand: taken off both, settling
    places them as d2l-zh did."""
    english, chinese = key(EN_V0170 / rel, en), key(ZH / rel, zh)
    assert _MARK.search(english) and _MARK.search(chinese)
    assert settled(strip_marks(english), english, _MARK.sub("", chinese), words, "markup") == chinese


def test_highlight_marks_around_a_sentence_fixed_by_shared_tokens(words: Words) -> None:
    """As many sentences on both sides, each holding the same code and math: the marked English
    sentence is the second Chinese one (d2l-zh marked part of it, leaving 我们 out)."""
    rel = "chapter_computer-vision/multiscale-object-detection.md"
    english = key(EN_V0170 / rel, "The `display_anchors` function is defined below.")
    chinese = _MARK.sub("", key(ZH / rel, "函数定义如下"))
    out = settled(strip_marks(english), english, chinese, words, "markup")
    sentence = "我们在特征图 (`fmap`) 上生成锚框 (`anchors`)，每个单位（像素）作为锚框的中心。"
    assert sentence in chinese and out == chinese.replace(sentence, f"[**{sentence}**]")


def test_highlight_marks_whose_place_is_not_certain_stay_stale(words: Words) -> None:
    # d2l-zh put the marks around part of a sentence whose word order differs from the English
    english = key(EN_V0170 / "chapter_preliminaries/ndarray.md", "A tensor represents a (possibly")
    chinese = key(ZH / "chapter_preliminaries/ndarray.md", "张量表示由一个数值组成的数组")
    marked = english.replace("[**", "").replace("**]", "").replace("With one axis", "[**With one axis", 1)
    marked = marked.replace("a *vector*.", "a *vector*.**]", 1)
    s = stays_stale(strip_marks(english), marked, _MARK.sub("", chinese), words, "markup")
    assert "certain" in s.why


# -- edits that must stay stale: the meaning may change though most words stay --------------------


@pytest.mark.parametrize(("rel", "en", "zh"), [
    ("chapter_linear-networks/linear-regression-concise.md", "The `MSELoss` class", "计算均方误差使用的是`MSELoss`类"),
    ("chapter_linear-networks/linear-regression-concise.md", "The `MeanSquaredError` class",
     "计算均方误差使用的是`MeanSquaredError`类"),
    ("chapter_preliminaries/ndarray.md", "With one axis, a tensor", "具有一个轴的张量"),
    ("chapter_installation/index.md", "Visit the Miniconda website", "对于 macOS 用户"),
])
def test_changed_wording_stays_stale(words: Words, rel: str, en: str, zh: str) -> None:
    previous, english, chinese = edit(rel, en, zh)
    stays_stale(previous, english, chinese, words, "wording")


@pytest.mark.parametrize(("old", "new"), [
    ("may not work properly", "may now work properly"),  # one letter, the opposite meaning
    ("latest stable version", "latest stable versions"),
    ("All of the code", "Some of the code"),
])
def test_a_real_word_for_another_stays_stale(words: Words, old: str, new: str) -> None:
    _, english, chinese = edit("chapter_preface/index.md", "based on PyTorch", "基于PyTorch的")
    assert old in english
    stays_stale(english, english.replace(old, new), chinese, words, "wording")


# -- through `workbench sync` on the built-in book ------------------------------------------------


def _names_swapped(book: Path) -> None:
    path = book / "en" / PREFACE
    text = path.read_text(encoding="utf-8")
    assert "Raju Gulabani, Charlie Bell, and" in text
    path.write_text(text.replace("Raju Gulabani, Charlie Bell, and", "Peter DeSantis, Adam Selipsky and"), encoding="utf-8")


def _pair(book: Path, start: str) -> Pair:
    po = store.parse((book / "zh" / PREFACE.replace(".md", ".po")).read_text(encoding="utf-8"))
    return next(p for p in po.active if p.english.startswith(start))


def test_sync_settles_and_records_it(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _names_swapped(builtin_book)
    before = _pair(builtin_book, "We thank Amazon")
    code, out, _ = run(capsys, builtin_book, "sync", "--json")
    assert code == 0
    records = [u for u in json.loads(out)["units"] if "settled" in u]
    pair = _pair(builtin_book, "We thank Amazon")
    assert len(records) == 1 and records[0]["status"] == "current" and records[0]["settled"] == "typo+tokens"
    assert records[0]["chinese"] == pair.chinese == before.chinese.replace("Raju Gulabani，Charlie Bell",
                                                                           "Peter DeSantis，Adam Selipsky")
    # recorded: the kind, what was done, the previous English; current, counted as settled
    assert pair.state is State.SETTLED and not pair.stale and pair.settled == "typo+tokens"
    assert pair.previous == before.english
    assert any(n.startswith(store.SETTLED_NOTE + " (typo+tokens): ") and "'Raju' -> 'Peter'" in n for n in pair.notes)
    po_text = (builtin_book / "zh" / PREFACE.replace(".md", ".po")).read_text(encoding="utf-8")
    assert f"# {store.SETTLED_FROM} {json.dumps(before.english, ensure_ascii=False)}\n" in po_text
    assert "#| msgid" not in po_text
    # the Chinese as it was is kept, obsolete, with the English it translated
    old = store.parse(po_text).obsolete
    assert [(p.english, p.chinese) for p in old] == [(before.english, before.chinese)]
    assert "Peter DeSantis，Adam Selipsky" in (builtin_book / "zh" / PREFACE).read_text(encoding="utf-8")
    assert_msgfmt_ok(builtin_book / "zh")
    status = json.loads(run(capsys, builtin_book, "status", "--json")[1])
    total = status["total"] if "total" in status else status
    assert total["settled"] == 1 and total["stale"] == 0
    # the same answer from the cache
    assert [u for u in json.loads(run(capsys, builtin_book, "sync", "--json")[1])["units"] if "settled" in u] == records


def test_diff_settled_lists_them(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _names_swapped(builtin_book)
    code, out, _ = run(capsys, builtin_book, "sync")
    assert code == 0 and "settled (current, to glance at): typo+tokens 1;" in out
    code, out, _ = run(capsys, builtin_book, "diff", "--settled", "--json")
    assert code == 0
    [record] = json.loads(out)["units"]
    assert record["settled"] == "typo+tokens" and "'Charlie' -> 'Adam'" in record["done"]
    assert {"op": "-", "text": "Raju Gulabani, Charlie Bell,"} in record["diff"]
    code, out, _ = run(capsys, builtin_book, "diff", "--settled", "--color", "never")
    assert "[-Raju Gulabani, Charlie Bell,-]{+Peter DeSantis, Adam Selipsky+}" in out
    assert out.splitlines()[-1] == "1 settled pair"
    assert run(capsys, builtin_book, "diff")[1].splitlines()[-1] == "0 stale pairs"


def test_no_settle_flags_it_stale_as_before(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _names_swapped(builtin_book)
    before = _pair(builtin_book, "We thank Amazon")
    code, out, _ = run(capsys, builtin_book, "sync", "--no-settle", "--json")
    assert code == 0 and not [u for u in json.loads(out)["units"] if "settled" in u]
    pair = _pair(builtin_book, "We thank Amazon")
    assert pair.stale and pair.chinese == before.chinese and pair.previous == before.english and not pair.settled


def test_a_review_clears_the_settled_mark(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _names_swapped(builtin_book)
    assert run(capsys, builtin_book, "sync")[0] == 0
    assert run(capsys, builtin_book, "review", PREFACE)[0] == 0
    pair = _pair(builtin_book, "We thank Amazon")
    assert pair.reviewed and pair.state is State.REVIEWED
    assert not pair.settled and not pair.previous and not any(n.startswith(store.SETTLED_NOTE) for n in pair.notes)
    po_text = (builtin_book / "zh" / PREFACE.replace(".md", ".po")).read_text(encoding="utf-8")
    assert "#. settled:" not in po_text and store.SETTLED_FROM not in po_text and store.SETTLED_NOTE not in po_text


def test_store_keeps_a_settled_pair_as_it_is() -> None:
    """The previous English of a settled pair (over two units here) survives the PO both ways."""
    pair = Pair("One.\n\nTwo.", "一。二。", settled="tokens", previous="Uno.\n\nTwo.", notes=["a note"])
    catalog = store.Catalog("en/x.md", [pair])
    text = store.dump(catalog)
    assert text.count("\n# ") == 2 and "#|" not in text
    assert store.parse(text).pairs == [pair]
    # a stale pair keeps its previous English in #| as before
    stale = Pair("One.", "一。", stale=True, previous="Uno.")
    assert "#| msgid \"Uno.\"" in store.dump(store.Catalog("en/x.md", [stale]))


def test_a_pair_stale_before_the_edit_stays_stale(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A pair already stale (here as an import leaves a doubtful pair: fuzzy, no previous English)
    is not settled by a mechanical edit: the doubt is a human's to lift."""
    po = builtin_book / "zh" / PREFACE.replace(".md", ".po")
    catalog = store.parse(po.read_text(encoding="utf-8"))
    pair = next(p for p in catalog.active if p.english.startswith("We thank Amazon"))
    pair.stale = True
    po.write_text(store.dump(catalog), encoding="utf-8")
    _names_swapped(builtin_book)
    code, out, _ = run(capsys, builtin_book, "sync", "--json")
    assert code == 0 and not [u for u in json.loads(out)["units"] if "settled" in u]
    after = _pair(builtin_book, "We thank Amazon")
    assert after.stale and after.chinese == pair.chinese and not after.settled


def test_a_hand_edit_of_the_chinese_is_taken_back_then_settled(builtin_book: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The translator fixed the paragraph in zh/*.md while the English swapped its names: the sync
    takes the hand edit back first, then settles the names in the edited Chinese."""
    md = builtin_book / "zh" / PREFACE
    text = md.read_text(encoding="utf-8")
    assert text.count("尤其是Swami") == 1
    md.write_text(text.replace("尤其是Swami", "特别是Swami"), encoding="utf-8")
    _names_swapped(builtin_book)
    code, out, _ = run(capsys, builtin_book, "sync")
    assert code == 0 and "hand edit taken back" in out
    pair = _pair(builtin_book, "We thank Amazon")
    assert pair.settled == "typo+tokens" and "特别是Swami Sivasubramanian，Peter DeSantis，Adam Selipsky和" in pair.chinese
    assert "特别是Swami Sivasubramanian，Peter DeSantis" in md.read_text(encoding="utf-8")


def test_the_word_list_is_cached_and_a_damaged_cache_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pyspellchecker's words kept as text in the user's cache (a sync reads them in a tenth of the
    time); a cut cache file is not trusted but made again."""
    from workbench.settle import _english_words

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    words = _english_words("test")
    cache = tmp_path / "workbench" / "english-test.txt"
    assert cache.is_file() and {"version", "researchers", "parallelism"} <= words and "verion" not in words
    assert _english_words("test") == words  # read back from the cache
    cache.write_text("version\n", encoding="utf-8")
    assert _english_words("test") == words and len(cache.read_text(encoding="utf-8")) > 100_000
