"""One home for what a kind of unit is (model.Kind) and for which characters are Chinese (model.HAN)."""

from __future__ import annotations

import json

from conftest import EN_V0170, need_corpus
from workbench import store
from workbench.markdown import segment
from workbench.model import (
    CHINESE,
    Kind,
    Pair,
    count_words,
    in_code,
    is_chinese,
    is_cjk,
    one_line,
)


def test_the_segmenter_marks_translatable_as_the_kind_says() -> None:
    need_corpus()
    seen: set[str] = set()
    for path in sorted(EN_V0170.rglob("*.md")):
        for u in segment(path.read_text(encoding="utf-8"), str(path)).units:
            assert u.translatable == Kind(u.kind).translatable, (path, u.start, u.kind)
            seen.add(u.kind)
    # the corpus uses every kind but the rare shared ones
    assert {k.value for k in Kind if k.translatable} <= seen


def test_kind_names_stay_what_po_and_json_carry() -> None:
    assert Kind.HEADING == "heading" and f"{Kind.TABLE_CELL}" == "table_cell"
    assert json.dumps({"kind": Kind.IMAGE_ALT}) == '{"kind": "image_alt"}'
    text = store.dump(store.Catalog("en/x.md", [Pair("Title", "标题", kind=Kind.HEADING, line=1)]))
    assert "#. kind: heading\n" in text and store.parse(text).pairs[0].kind == "heading"
    assert [k for k in Kind if k.one_line] == [Kind.HEADING, Kind.TABLE_CELL, Kind.IMAGE_ALT]
    assert one_line("heading") and not one_line("paragraph") and not one_line("no such kind")
    assert in_code("docstring") and in_code("comment") and not in_code("code")


def test_chinese_characters_have_one_definition() -> None:
    # Han ideographs, Extension A and B, compatibility ideographs; not punctuation, not kana
    for ch in "中文㐀𠀀﨑":
        assert is_chinese(ch) and is_cjk(ch) and CHINESE.fullmatch(ch)
    for ch in "，。：（":
        assert not is_chinese(ch) and is_cjk(ch) and not CHINESE.match(ch)
    for ch in "aあ1 ":
        assert not is_chinese(ch) and not CHINESE.match(ch)
    assert count_words("张量（tensor）是多维数组。", chinese=True) == 7
