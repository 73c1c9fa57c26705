"""Language builds: notebooks from real d2l sections, the d2l library, execution once, the cache.

The real test runs the built-in preface and two MXNet sections of d2l v0.17.0 that need no
network (the ones the tests below look into), imported with their Chinese (zh-2021-09-30) into a
temporary book. The build is done once per test session (shared by the xdist workers through a
lock file) and every step's summary is recorded for the tests to check.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import EN_V0170, ZH, build_preface, need_corpus, shared_build
from workbench import cli
from workbench.book import Book
from workbench.build import build
from workbench.build.cache import cache_key, environment
from workbench.build.kernels import kernel_specs
from workbench.build.library import book_order, library
from workbench.build.notebooks import section
from workbench.build.tabs import code_tabs, save_blocks, strip_prose
from workbench.markdown import segment

SECTIONS = [
    "chapter_preliminaries/ndarray",
    "chapter_preliminaries/linear-algebra",
    "chapter_preliminaries/calculus",
    "chapter_preliminaries/autograd",
    "chapter_deep-learning-computation/parameters",
    "chapter_deep-learning-computation/custom-layer",
    "chapter_convolutional-neural-networks/conv-layer",
    "chapter_convolutional-neural-networks/pooling",
]
#: The sections built and executed, each one a kernel that imports MXNet and the d2l library (3-4 s
#: of CPU): tensors, and a plot through the library. The others of SECTIONS are only read (the
#: book order, the library), their toc entries left dangling in the build.
BUILT = ["chapter_preliminaries/ndarray", "chapter_preliminaries/calculus"]
# the chapter indexes carry the ```toc blocks that give the book order
INDEXES = ["index", "chapter_preliminaries/index", "chapter_deep-learning-computation/index",
           "chapter_convolutional-neural-networks/index"]


def make_book(root: Path, preface: Path) -> Path:
    """A book of the preface and the sections BUILT, their Chinese imported from zh-2021-09-30."""
    from workbench.importer import import_tree

    for side, corpus in (("src_en", EN_V0170), ("src_zh", ZH)):
        for name in BUILT + INDEXES:
            target = root / side / f"{name}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(corpus / f"{name}.md", target)
    book = root / "book"
    (book / "en").mkdir(parents=True)
    import_tree(root / "src_en", root / "src_zh", Book(book))
    for part in ("en", "zh"):  # the built-in preface, with its own pairs
        shutil.copytree(preface / part / "chapter_preface", book / part / "chapter_preface")
    return book


def code_outputs(path: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    """(code, outputs) of every code cell of a notebook file."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [("".join(c["source"]), c["outputs"]) for c in nb["cells"] if c["cell_type"] == "code"]


def text_of(outputs: list[dict[str, Any]]) -> str:
    parts = []
    for o in outputs:
        parts.append("".join(o.get("text", "")))
        parts.append("".join(o.get("data", {}).get("text/plain", "")))
    return "".join(parts)


def run_steps(book: Path) -> dict[str, Any]:
    """build en, build zh, rebuild unchanged, edit prose, edit one code cell: each step's figures."""
    steps: dict[str, Any] = {}

    def step(name: str, lang: str) -> None:
        s = build(Book(book), lang, run=True, jobs=2, timeout=300)
        steps[name] = {
            **s.as_json(),
            "executed_notebooks": sorted(b.rel for b in s.notebooks if b.executed),
            "written": sorted(b.rel for b in s.notebooks if b.written),
            "untranslated": s.untranslated,
        }

    step("en", "en")
    steps["en_ndarray"] = code_outputs(book / "_build/en/chapter_preliminaries/ndarray.ipynb")
    step("zh", "zh")
    step("again", "en")
    ndarray = book / "en/chapter_preliminaries/ndarray.md"
    text = ndarray.read_text(encoding="utf-8")
    prose = "This book is not about software engineering."
    assert prose in text
    ndarray.write_text(text.replace(prose, "This book is not about software engineering at all."), encoding="utf-8")
    step("prose", "en")
    text = ndarray.read_text(encoding="utf-8")
    assert text.count("np.exp(x)\n```") == 1
    ndarray.write_text(text.replace("np.exp(x)\n```", "np.exp(x) + 1\n```"), encoding="utf-8")
    step("code", "en")
    return steps


def build_notebook() -> tuple[Path, dict[str, Any]]:
    """The real book built (once for all workers): (book folder, figures of each step)."""
    need_corpus()
    preface = build_preface()
    folder, steps = shared_build("notebook-build", (EN_V0170, ZH, preface / "en", preface / "zh"),
                                 lambda root: run_steps(make_book(root, preface)))
    return folder / "book", steps


@pytest.fixture(scope="session")
def built(preface_source: Path) -> tuple[Path, dict[str, Any]]:
    """The real book, built once for all xdist workers: (book folder, figures of each step)."""
    return build_notebook()


# ---------------------------------------------------------------------------------------------
# Executed: the real sections


@pytest.mark.corpus
@pytest.mark.slow
def test_build_en_runs_every_section_and_prints_real_outputs(built: tuple[Path, dict[str, Any]]) -> None:
    book, steps = built
    en = steps["en"]
    assert en["notebooks"] == len(BUILT) + 1 + len(INDEXES)  # the sections, the preface, the indexes (no code)
    assert en["cells_failed"] == 0, en["failures"]
    assert en["cells_cached"] == 0
    assert len(en["executed_notebooks"]) == len(BUILT) + 1
    # every code cell of every executed notebook ran once
    assert en["cells_executed"] == sum(len(code_outputs(book / "_build/en" / rel.replace(".md", ".ipynb")))
                                       for rel in en["executed_notebooks"]) > 30
    # the tensor of np.arange(12) prints its values
    outputs = dict(steps["en_ndarray"])
    assert "array([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11.])" in text_of(
        outputs["x = np.arange(12)\nx"])
    # elementwise operators on two tensors
    operators = next(code for code in outputs if code.startswith("x = np.array([1, 2, 4, 8])\ny = np.array([2, 2, 2, 2])"))
    assert "array([ 3.,  4.,  6., 10.])" in text_of(outputs[operators])  # x + y
    # the d2l library works: calculus plots through d2l.plot with the saved helpers
    calculus = code_outputs(book / "_build/en/chapter_preliminaries/calculus.ipynb")
    assert any(o["output_type"] == "display_data" and "image/svg+xml" in o["data"] for _, outs in calculus for o in outs)
    lib = (book / "_build/lib/d2l/mxnet.py").read_text(encoding="utf-8")
    assert "def use_svg_display" in lib and "def corr2d" not in lib  # the book's own blocks only
    assert "import collections" in lib  # the preface's old `# Saved in the d2l package` block


@pytest.mark.corpus
@pytest.mark.slow
def test_build_zh_after_en_executes_nothing_and_shows_the_same_outputs(built: tuple[Path, dict[str, Any]]) -> None:
    book, steps = built
    zh = steps["zh"]
    assert zh["cells_executed"] == 0
    assert zh["cells_cached"] == steps["en"]["cells_executed"]
    assert zh["untranslated"] > 0  # some units have no Chinese after the import: shown in English
    # the same outputs: ndarray's as its first build wrote them (a later step edits its code)
    en_outputs = {"chapter_preliminaries/ndarray": [outs for _, outs in steps["en_ndarray"]],
                  "chapter_preliminaries/calculus": [outs for _, outs in code_outputs(
                      book / "_build/en/chapter_preliminaries/calculus.ipynb")]}
    for name in BUILT:
        assert en_outputs[name] == [outs for _, outs in code_outputs(book / f"_build/zh/{name}.ipynb")]
    nb = json.loads((book / "_build/zh/chapter_preliminaries/ndarray.ipynb").read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    assert "".join(nb["cells"][0]["source"]).startswith("# 数据操作")
    # a code comment shows in Chinese; the code around it is the English code
    code = [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]
    assert "x + y, x - y, x * y, x / y, x ** y  # **运算符是求幂运算" in "\n".join(code)


@pytest.mark.corpus
@pytest.mark.slow
def test_unchanged_rebuild_and_prose_edit_execute_nothing(built: tuple[Path, dict[str, Any]]) -> None:
    _, steps = built
    again = steps["again"]
    assert again["cells_executed"] == 0 and again["written"] == []
    prose = steps["prose"]
    assert prose["cells_executed"] == 0
    assert prose["written"] == ["chapter_preliminaries/ndarray.md"]


@pytest.mark.corpus
@pytest.mark.slow
def test_one_changed_code_cell_reexecutes_exactly_its_notebook(built: tuple[Path, dict[str, Any]]) -> None:
    book, steps = built
    code = steps["code"]
    assert code["executed_notebooks"] == ["chapter_preliminaries/ndarray.md"]
    assert code["cells_executed"] == len(steps["en_ndarray"])
    outputs = dict(code_outputs(book / "_build/en/chapter_preliminaries/ndarray.ipynb"))
    # e + 1, e^2 + 1, ... : the edited cell's new output
    assert "array([   3.7182817,    8.389056 ,   55.59815  , 2981.958    ])" in text_of(outputs["np.exp(x) + 1"])


# ---------------------------------------------------------------------------------------------
# Failures (made-up sections: a raising cell, a timeout, a dying kernel are edge cases)


#: Far beyond what a quick cell takes on a busy machine, far below the sleeping cell's hour.
TIMEOUT = 5


@pytest.mark.slow
def test_failures_are_recorded_and_the_build_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A book of three made-up sections and one quick one: nothing here imports mxnet, so no cell
    # but the sleeping one comes near the timeout, however busy the machine is.
    book_root = tmp_path
    chapter = book_root / "en" / "chapter_edge"
    chapter.mkdir(parents=True)
    (book_root / "en" / "quick.md").write_text("# Quick\n\n```{.python .input}\nprint('fine')\n```\n", encoding="utf-8")
    (chapter / "raises.md").write_text(
        "# Raises\n\n```{.python .input}\nx = 1\n```\n\n```{.python .input}\n"
        "raise ConnectionError('no network to download the dataset')\n```\n\n```{.python .input}\nx + 1\n```\n",
        encoding="utf-8")
    (chapter / "slow.md").write_text("# Slow\n\n```{.python .input}\nimport time\ntime.sleep(3600)\n```\n", encoding="utf-8")
    (chapter / "dies.md").write_text("# Dies\n\n```{.python .input}\nimport os\nos._exit(3)\n```\n", encoding="utf-8")
    code = cli.main(["build", "en", "--book", str(book_root), "--execute", "--json", "--strict",
                     "--timeout", str(TIMEOUT), "-j", "2"])
    assert code == 1  # --strict: failures make the exit code 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"notebooks", "cells_executed", "cells_cached", "cells_failed", "failures"}
    assert report["notebooks"] == 4
    errors = {(f["file"], f["cell"]): f["error"] for f in report["failures"]}
    assert errors == {
        ("_build/en/chapter_edge/dies.ipynb", 2): "DeadKernelError: the kernel died (exit code 3)",
        ("_build/en/chapter_edge/raises.ipynb", 3): "ConnectionError: no network to download the dataset",
        ("_build/en/chapter_edge/slow.ipynb", 2): f"CellTimeoutError: cell did not finish within {TIMEOUT} s",
    }
    assert report["cells_failed"] == 3
    # the build went on: the cell after the raising one ran, and so did the quick section
    raises = code_outputs(book_root / "_build/en/chapter_edge/raises.ipynb")
    assert text_of(raises[2][1]) == "2"
    assert raises[1][1][0]["output_type"] == "error"
    assert text_of(code_outputs(book_root / "_build/en/quick.ipynb")[0][1]) == "fine\n"
    # a raising cell is cached with its error (a second build runs nothing for it); a timeout
    # or a dead kernel is not: those notebooks run again
    second = build(Book(book_root), "en", run=True, jobs=2, timeout=TIMEOUT)
    assert sorted(b.rel for b in second.notebooks if b.executed) == ["chapter_edge/dies.md", "chapter_edge/slow.md"]
    assert [f.cached for f in second.failures if "raises" in f.file] == [True]
    # without --strict the same failures exit 0
    assert cli.main(["build", "en", "--book", str(book_root), "--json"]) == 0


# ---------------------------------------------------------------------------------------------
# Without a kernel: notebooks, tabs, the library, the key


@pytest.mark.corpus
def test_mxnet_notebook_of_a_real_section_keeps_its_tab_only(tmp_path: Path) -> None:
    need_corpus()
    (tmp_path / "en" / "ch").mkdir(parents=True)
    shutil.copy(EN_V0170 / "chapter_preliminaries/ndarray.md", tmp_path / "en/ch/ndarray.md")
    book = Book(tmp_path)
    sec = section(book, "ch/ndarray.md", "en")
    code = [c.code for c in sec.code]
    assert "x = np.arange(12)\nx" in code
    assert not any("torch" in c or "tf." in c or "#@tab" in c for c in code)
    assert "x.shape" in code  # `#@tab all` is every framework's
    text = "\n".join("".join(c["source"]) for c in sec.cells if c["cell_type"] == "markdown")
    assert ":begin_tab:`mxnet`" in text and ":label:`sec_ndarray`" in text  # directives kept as text
    assert "we import `torch`" not in text  # the pytorch tab's prose is not in the mxnet notebook
    torch = section(book, "ch/ndarray.md", "en", tab="pytorch")
    assert "x = torch.arange(12)\nx" in [c.code for c in torch.code]


@pytest.mark.corpus
def test_tab_lines_and_save_blocks_follow_d2lbook(preface_source: Path) -> None:
    need_corpus()
    assert code_tabs("#@tab mxnet, pytorch\nX = x.reshape(3, 4)") == (["mxnet", "pytorch"], "X = x.reshape(3, 4)")
    assert code_tabs("x.size") == (["mxnet"], "x.size")
    doc = segment((EN_V0170 / "chapter_convolutional-neural-networks/conv-layer.md").read_text(encoding="utf-8"))
    blocks = [b for blk in doc.blocks() if blk.kind == "code"
              for b in save_blocks(code_tabs(blk.source.split("\n", 1)[1].rsplit("```", 1)[0])[1])]
    assert len(blocks) == 2  # corr2d for mxnet/pytorch and for tensorflow
    assert blocks[0].startswith("def corr2d(X, K):\n") and "#@save" not in blocks[0]
    assert blocks[0].rstrip().endswith("return Y")
    preface = (preface_source / "en/chapter_preface/index.md").read_text(encoding="utf-8")
    cell = preface.split("```python\n", 1)[1].split("```", 1)[0]
    assert cell.startswith("# Saved in the d2l package for later use\n")
    saved = save_blocks(cell)
    assert saved and saved[0].splitlines()[0] == "import collections" and saved[0].splitlines()[-1] == "import zipfile"


@pytest.mark.corpus
def test_book_order_follows_the_toc_blocks(tmp_path: Path, preface_source: Path) -> None:
    need_corpus()
    for name in SECTIONS + INDEXES:
        (tmp_path / "en" / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EN_V0170 / f"{name}.md", tmp_path / "en" / f"{name}.md")
    shutil.copytree(preface_source / "en/chapter_preface", tmp_path / "en/chapter_preface")
    order = book_order(Book(tmp_path))
    assert order[:4] == ["index.md", "chapter_preface/index.md", "chapter_preliminaries/index.md",
                         "chapter_preliminaries/ndarray.md"]
    assert order.index("chapter_preliminaries/autograd.md") < order.index("chapter_deep-learning-computation/index.md")
    assert order[-1] == "chapter_convolutional-neural-networks/pooling.md"
    assert sorted(order) == Book(tmp_path).english_files()  # every file once
    lib = library(Book(tmp_path))  # the saved blocks in book order: calculus before conv-layer
    assert lib.index("import collections") < lib.index("def use_svg_display") < lib.index("def corr2d")
    (tmp_path / "en/index.md").unlink()  # no index.md: path order
    assert book_order(Book(tmp_path)) == Book(tmp_path).english_files()


@pytest.mark.corpus
def test_cache_key_ignores_comments_and_docstrings_not_code() -> None:
    need_corpus()
    doc = segment((EN_V0170 / "chapter_preliminaries/autograd.md").read_text(encoding="utf-8"))
    cell = next(b.source for b in doc.blocks() if b.kind == "code" and "attach_grad()" in b.source)
    code = cell.split("\n", 1)[1].rsplit("```", 1)[0]
    assert "# We allocate memory" in code
    env = environment()
    key = cache_key([code], "", env)
    assert cache_key([code.replace("We allocate memory", "我们分配内存")], "", env) == key
    assert cache_key(["\n".join(line for line in code.splitlines() if not line.startswith("#"))], "", env) == key
    assert cache_key([code.replace("x.grad", "x.grad * 2")], "", env) != key
    assert "We allocate" not in strip_prose(code) and "attach_grad()" in strip_prose(code)
    # the library counts only for code that uses d2l
    assert cache_key([code], "def plot(): pass", env) == key
    assert cache_key(["from d2l import mxnet as d2l"], "def plot(): pass", env) != cache_key(
        ["from d2l import mxnet as d2l"], "def plot(): return 1", env)
    assert cache_key([code], "", {**env, "mxnet": "2.0.0"}) != key


def test_builtin_book_library_and_kernel_spec(builtin_book: Path) -> None:
    lib = library(Book(builtin_book))
    assert "from mxnet import autograd, context, gluon, image, init, np, npx" in lib
    assert "tensor = np.array" in lib  # d2lbook's aliases for the mxnet tab
    spec = kernel_specs().get_kernel_spec("python3")
    assert spec.argv[0] == sys.executable  # the kernel is this Python, whatever is installed


def test_build_zh_without_execute_and_dry_run(builtin_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["build", "zh", "--book", str(builtin_book), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 would be written" in out
    assert not (builtin_book / "_build" / "zh").exists()
    assert cli.main(["build", "zh", "--book", str(builtin_book)]) == 0
    nb = json.loads((builtin_book / "_build/zh/chapter_preface/index.ipynb").read_text(encoding="utf-8"))
    markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "# 前言" in markdown
    assert [c["outputs"] for c in nb["cells"] if c["cell_type"] == "code"] == [[]]  # not executed, nothing cached
    with pytest.raises(SystemExit) as bad:
        cli.main(["build", "fr", "--book", str(builtin_book)])
    assert bad.value.code == 2
