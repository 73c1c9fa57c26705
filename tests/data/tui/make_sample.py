"""Build tests/data/tui/book, the small book the TUI tests and snapshots run on.

Run once by hand (`python tests/data/tui/make_sample.py`); the output is checked in so that the
snapshots do not depend on ../shared. Everything in it is real text:

- chapter_preface/index.md: the built-in book's preface (seed English and Chinese), with the
  first paragraph replaced by its d2l v0.17.0 wording: that pair is stale, its previous English
  the seed's (a real upstream edit). The image text "Book structure" is untranslated, as in the seed.
- chapter_preliminaries/lookup-api.md: d2l v0.17.0 English with d2l-zh's Chinese (zh-2021-09-30),
  which translates it paragraph for paragraph; five pairs are left untranslated, among them the
  PyTorch and TensorFlow variants of the MXNet paragraph (translation memory suggests it).
- chapter_multilayer-perceptrons/index.md: English only, no PO (a file never translated).
- glossary/glossary.tsv: the built-in glossary plus three proposed terms d2l-zh uses in lookup-api.md.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent.parent
sys.path.insert(0, str(REPO))

from workbench import store  # noqa: E402
from workbench.book import Book  # noqa: E402
from workbench.markdown import segment  # noqa: E402
from workbench.model import normalize  # noqa: E402
from workbench.store import Catalog  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "d2l"
OUT = HERE / "book"
LOOKUP = "chapter_preliminaries/lookup-api.md"
UNTRANSLATED = {2, 3, 9, 17, 18}
PROPOSED = [
    ("tensor", "张量", "d2l-zh chapter_preliminaries/lookup-api.md"),
    ("documentation", "文档", "d2l-zh chapter_preliminaries/lookup-api.md"),
    ("function", "函数", "d2l-zh chapter_preliminaries/lookup-api.md"),
]


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    for part in ("en", "zh", "glossary"):
        shutil.copytree(REPO / part, OUT / part)
    book = Book(OUT)

    # the preface: the first paragraph's English moves on to v0.17.0, its pair goes stale
    rel = "chapter_preface/index.md"
    catalog = book.catalog(rel)
    first = next(p for p in catalog.active if p.kind == "paragraph")
    new_doc = segment((CORPUS / "en-v0.17.0" / rel).read_text(encoding="utf-8"), rel)
    new_unit = next(u for u in new_doc.translatable if u.kind == "paragraph")
    english = book.english(rel)
    old_line = next(line for line in english.split("\n") if normalize(line) == first.english)
    book.write_english(rel, english.replace(old_line, new_unit.source, 1))
    first.previous, first.english, first.stale = first.english, new_unit.key, True
    book.save(rel, catalog)

    # lookup-api: d2l-zh's Chinese, unit for unit
    en_text = (CORPUS / "en-v0.17.0" / LOOKUP).read_text(encoding="utf-8")
    zh_doc = segment((CORPUS / "zh-2021-09-30" / LOOKUP).read_text(encoding="utf-8"), LOOKUP)
    book.write_english(LOOKUP, en_text)
    pairs = store.pairs_for(book.document(LOOKUP), f"en/{LOOKUP}")
    zh_units = zh_doc.translatable
    assert len(zh_units) == len(pairs), "d2l-zh lookup-api.md no longer matches unit for unit"
    for i, (pair, unit) in enumerate(zip(pairs, zh_units, strict=True)):
        if i not in UNTRANSLATED:
            pair.chinese = unit.key
    book.save(LOOKUP, Catalog(f"en/{LOOKUP}", pairs))

    # a file never translated: English only
    mlp = "chapter_multilayer-perceptrons/index.md"
    book.write_english(mlp, (CORPUS / "en-v0.17.0" / mlp).read_text(encoding="utf-8"))

    glossary = OUT / "glossary" / "glossary.tsv"
    text = glossary.read_text(encoding="utf-8")
    text += "".join(f"{en}\t{zh}\tproposed\t{note}\n" for en, zh, note in PROPOSED)
    glossary.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
