"""The segmenter: lossless on the whole corpus, the right kinds, keys that ignore re-wrapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, EN_V0170, need_corpus
from workbench.markdown import assemble, segment
from workbench.model import WorkbenchError, normalize

FIXTURES = Path(__file__).parent / "fixtures" / "segment"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.md")) if CORPUS.is_dir() else []


def distinct_files() -> list[Path]:
    """The corpus files, each content once: a file byte for byte like an earlier one (144 of the
    518, most of en-v0.17.6 being en-v0.17.0) would repeat the very same test."""
    seen: set[bytes] = set()
    out = []
    for path in corpus_files():
        data = path.read_bytes()
        if data not in seen:
            seen.add(data)
            out.append(path)
    return out


@pytest.mark.corpus
def test_corpus_is_there() -> None:
    need_corpus()
    assert len(corpus_files()) > 500


@pytest.mark.corpus
@pytest.mark.parametrize("path", distinct_files(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_round_trip_byte_for_byte(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    doc = segment(text, str(path))
    assert "".join(u.source for u in doc.units).encode("utf-8") == path.read_bytes()
    # units tile the file: each starts where the previous ended
    offset = 0
    for u in doc.units:
        assert u.offset == offset
        offset += len(u.source)


@pytest.mark.corpus
@pytest.mark.parametrize("path", [p for p in corpus_files() if EN_V0170 in p.parents],
                         ids=lambda p: str(p.relative_to(CORPUS)))
def test_pseudo_translation_keeps_structure(path: Path) -> None:
    """Every translatable unit replaced by a marked copy: re-segmenting the result gives the same
    units in the same places, each carrying its mark (the translate-toolkit test)."""
    doc = segment(path.read_text(encoding="utf-8"))
    marked = assemble(doc, lambda i, u: f"⟦{i}⟧{u.source}")
    again = segment(marked)
    assert [u.kind for u in again.units if u.translatable] == [u.kind for u in doc.translatable]
    got = [u.key for u in again.translatable]
    want = [normalize(f"⟦{i}⟧{u.source}") for i, u in enumerate(doc.units) if u.translatable]
    assert got == want
    shared = [u.source for u in doc.units if not u.translatable and u.kind != "markup"]
    assert [u.source for u in again.units if not u.translatable and u.kind != "markup"] == shared


def kinds(name: str) -> list[tuple[str, str]]:
    doc = segment((FIXTURES / name).read_text(encoding="utf-8"))
    return [(u.kind, u.source) for u in doc.units if u.kind != "markup"]


def test_every_kind_of_d2l_block() -> None:
    got = kinds("kinds.md")
    translatable = [(k, s) for k, s in got if k in ("heading", "paragraph", "list_item", "table_cell",
                                                     "image_alt", "comment", "docstring")]
    assert translatable == [
        ("heading", "Data Manipulation"),
        ("paragraph", "In order to get anything done, we need `np` and\n"
                      "a *tensor* :cite:`Goodfellow.Bengio.Courville.2016`, see :numref:`sec_linear`."),
        ("paragraph", "To start, we import `np` from MXNet."),
        ("comment", "Import the library"),
        ("comment", "a row vector"),
        ("docstring", "Square each element."),
        ("image_alt", "The AlexNet architecture."),
        ("list_item", "First item with [** slide text **] and (~~hidden~~)."),
        ("list_item", "Second item\n  over two lines."),
        ("list_item", "Numbered item."),
        ("table_cell", "Model"),
        ("table_cell", "Accuracy"),
        ("table_cell", "LeNet"),
    ]
    shared = {k for k, _ in got} - {k for k, _ in translatable}
    assert shared == {"directive", "code", "math", "toc", "eval_rst", "html", "toc_marker"}
    assert ("math", "$$\\mathbf{x} = \\mathbf{y} + 1.$$") in got
    assert ("directive", ":eqlabel:`eq_x`") in got
    assert ("toc_marker", "[TOC]") in got


def test_code_tool_marks_are_not_prose() -> None:
    doc = segment((FIXTURES / "kinds.md").read_text(encoding="utf-8"))
    prose = " ".join(u.source for u in doc.translatable)
    assert "@tab" not in prose and "@save" not in prose


def test_key_ignores_rewrapping() -> None:
    a = segment("Some text that\nwraps here.\n").translatable[0]
    b = segment("Some text\nthat wraps   here.\n").translatable[0]
    assert a.source != b.source and a.key == b.key == "Some text that wraps here."


def test_lines_are_one_based_and_inclusive() -> None:
    doc = segment((FIXTURES / "kinds.md").read_text(encoding="utf-8"))
    second_item = [u for u in doc.translatable if u.kind == "list_item"][1]
    assert (second_item.start, second_item.end) == (29, 30)


@pytest.mark.parametrize("name", ["crlf.md", "bom.md", "empty.md", "no-newline.md"])
def test_odd_files_round_trip(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    text = data.decode("utf-8")
    assert segment(text).text == text


def test_crlf_and_bom_find_the_same_units_as_plain_text() -> None:
    crlf = segment((FIXTURES / "crlf.md").read_bytes().decode("utf-8"))
    assert [u.key for u in crlf.translatable] == ["Title", "A paragraph over CRLF lines.", "item"]
    bom = segment((FIXTURES / "bom.md").read_text(encoding="utf-8"))
    assert [u.kind for u in bom.translatable] == ["heading", "paragraph"]


def test_unclosed_fence_is_an_error_with_its_line() -> None:
    with pytest.raises(WorkbenchError) as e:
        segment("# T\n\nText.\n\n```{.python .input}\nx = 1\n", "en/x.md")
    assert (e.value.path, e.value.line) == ("en/x.md", 5)
    assert "never closed" in str(e.value)


@pytest.mark.corpus
@pytest.mark.slow
def test_big_file() -> None:
    """A 2 MB file (the corpus's largest chapter repeated 25 times) segments and round-trips."""
    need_corpus()
    largest = max(corpus_files(), key=lambda p: p.stat().st_size).read_text(encoding="utf-8")
    text = largest * (2_000_000 // len(largest.encode("utf-8")) + 1)
    assert len(text.encode("utf-8")) >= 2_000_000
    doc = segment(text)
    assert doc.text == text
    assert len(doc.translatable) == len(segment(largest).translatable) * (text.count(largest[:200]))


def test_chinese_docstring_is_a_unit() -> None:
    """d2l-zh writes docstrings in Chinese only: they are prose too."""
    doc = segment('```{.python .input}\ndef f():  #@save\n    """下载数据集"""\n    return 1\n```\n')
    assert [(u.kind, u.source) for u in doc.translatable] == [("docstring", "下载数据集")]


def test_multi_line_comment_translation_keeps_one_hash_per_line() -> None:
    doc = segment("```{.python .input}\n    # Split the data\n    x = 1\n```\n")
    out = assemble(doc, lambda i, u: "第一行\n第二行" if u.kind == "comment" else None)
    assert out == "```{.python .input}\n    # 第一行\n    # 第二行\n    x = 1\n```\n"
