"""Language builds: one Jupyter notebook per section and language, the code shared and run once.

A section's notebook is cut from the segmented English document (the one parser): Markdown
cells in the reader's language, code cells for one framework tab. What runs is always the
English code, so the outputs are cached under a key of that code with its comments and
docstrings stripped, the d2l library and the package versions: the Chinese build after the
English one executes nothing, and editing prose executes nothing either.

The d2l library (`from d2l import mxnet as d2l`) is collected from the `#@save` blocks in book
order, as d2lbook does, and written as _build/lib/d2l/mxnet.py on the kernel's path.
"""

from __future__ import annotations

import atexit
import configparser
import contextlib
import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import posixpath
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from . import files, store
from .book import Book
from .markdown import code_prose
from .markdown import render as render_units
from .model import Document, Unit, WorkbenchError

DEFAULT_TAB = "mxnet"
#: The module of the d2l package each framework tab imports (`from d2l import torch as d2l`).
TAB_MODULES = {"mxnet": "mxnet", "pytorch": "torch", "tensorflow": "tensorflow", "jax": "jax"}
#: Packages whose versions change what a cell prints: a new version re-executes.
ENV_PACKAGES = (
    "mxnet", "numpy", "pandas", "matplotlib", "ipython", "ipykernel", "scipy", "pillow",
    "torch", "torchvision", "tensorflow", "jax", "d2l",
)
#: Bumped when the layout of a cache entry or of the key changes.
CACHE_VERSION = 1
LANGUAGES = ("en", "zh")

_TAB_LINE = re.compile(r"#\s*@tab\b(.*)")
# d2lbook's mark, and the older comment the built-in preface still uses
_SAVE_MARK = re.compile(r"#\s*(?:@save\b|Saved in the d2l package for later use)")
_BEGIN_TAB = re.compile(r":begin_tab:`([^`]*)`")
_END_TAB = re.compile(r":end_tab:")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# Quiet MXNet on CPU: no operator-tuning pass at import, no subgraph chatter, no cuDNN probe;
# SciPy's warning about the pinned numpy is noise in every section's first cell.
KERNEL_ENV = {
    "MXNET_USE_OPERATOR_TUNING": "0",
    "MXNET_SUBGRAPH_VERBOSE": "0",
    "MXNET_CUDNN_AUTOTUNE_DEFAULT": "0",
    "MXNET_STORAGE_FALLBACK_LOG_VERBOSE": "0",
    "PYTHONWARNINGS": "ignore:A NumPy version:UserWarning",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


# ---------------------------------------------------------------------------------------------
# Code cells and tabs


def is_code_fence(info: str) -> bool:
    """True for a fence that becomes a notebook code cell: {.python .input ...} or plain python."""
    words = info.strip().strip("{}").split()
    return ".input" in words or info.strip() in ("python", "python3")


def code_tabs(code: str) -> tuple[list[str], str]:
    """The tabs a code cell belongs to and its code without the `#@tab` line.

    A cell with no `#@tab` line is the default tab's (mxnet); `#@tab all` is every tab's.
    """
    first, newline, rest = code.partition("\n")
    m = _TAB_LINE.fullmatch(first.strip())
    if not m:
        return [DEFAULT_TAB], code
    names = [t.strip() for t in m.group(1).split(",") if t.strip()]
    return names or ["all"], rest


def for_tab(tabs: list[str], tab: str) -> bool:
    """True when a cell (or a :begin_tab: section) of `tabs` is shown in a notebook for `tab`."""
    return "all" in tabs or tab in tabs


def fence_body(block_text: str) -> str:
    """The code inside a fenced block's text: without the opening and closing fence lines."""
    body = block_text.partition("\n")[2]
    body = body.rstrip("\r\n")
    body = body.rpartition("\n")[0] if "\n" in body else ""
    return body.replace("\r\n", "\n")


def strip_prose(code: str) -> str:
    """Code without comments, docstrings and blank lines: what the cache key sees.

    Comment and docstring spans are the ones the segmenter translates (markdown.code_prose),
    so a translated or reworded comment never changes the key.
    """
    spans = code_prose(code)
    for start, end, _kind in reversed(spans):
        code = code[:start] + code[end:]
    lines = []
    for line in code.splitlines():
        line = re.sub(r"[ \t]*#+[ \t]*$", "", line.rstrip())
        if line.strip():
            lines.append(line)
    return "\n".join(lines)


def save_blocks(code: str) -> list[str]:
    """The parts of one code cell that go into the d2l library (d2lbook's rule).

    A line marked `#@save` (or `# Saved in the d2l package for later use`) starts a block: the
    line itself without the mark, then the following top-level lines, then the indented (or
    blank) lines after them: a def or class with its body, or a run of imports.
    """
    lines = code.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        m = _SAVE_MARK.search(line)
        if not m:
            continue
        block: list[str] = []
        head = line[: m.start()].rstrip()
        if head:
            block.append(head)
        for j in range(i + 1, len(lines)):
            if lines[j] and not lines[j].startswith((" ", "\t")):
                block.append(lines[j])
                continue
            for k in range(j, len(lines)):
                if lines[k].startswith((" ", "\t")) or not lines[k].strip():
                    block.append(lines[k])
                else:
                    break
            break
        text = "\n".join(block).strip("\n")
        if text:
            out.append(text)
    return out


# ---------------------------------------------------------------------------------------------
# Book order and the d2l library


def toc_entries(block_text: str) -> list[str]:
    """The entries of a ```toc block (paths without .md), options like :maxdepth: skipped."""
    out = []
    for line in block_text.splitlines()[1:]:
        entry = line.strip()
        if not entry or entry.startswith(":") or entry.startswith("```"):
            continue
        m = re.search(r"<([^>]+)>$", entry)  # `Title <path>` form
        out.append(m.group(1) if m else entry)
    return out


def book_order(book: Book) -> list[str]:
    """English files in reading order: the ```toc blocks from index.md, depth first; files no
    toc reaches follow in path order."""
    files_ = book.english_files()
    known = set(files_)
    order: list[str] = []
    seen: set[str] = set()
    stack = ["index.md"] if "index.md" in known else []
    while stack:  # iterative depth-first walk: a toc cycle or a deep book cannot recurse forever
        rel = stack.pop()
        if rel in seen or rel not in known:
            continue
        seen.add(rel)
        order.append(rel)
        doc = book.document(rel)
        children = []
        for block in doc.blocks():
            if doc.info.get(block.index) == "toc":
                for entry in toc_entries(block.source):
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), entry))
                    children.append(target if target.endswith(".md") else target + ".md")
        stack.extend(reversed(children))
    return order + [f for f in files_ if f not in seen]


def _code_blocks(doc: Document) -> Iterator[tuple[int, str]]:
    """(block index, English block text) of the code cells of a document."""
    texts: dict[int, list[str]] = {}
    for unit in doc.units:
        if unit.block >= 0 and is_code_fence(doc.info.get(unit.block, "")):
            texts.setdefault(unit.block, []).append(unit.source)
    for index, parts in texts.items():
        yield index, "".join(parts)


#: d2lbook's `[library-TAB]` aliases of d2l-en's config.ini, for a book without its own: a
#: `#@tab all` cell calls d2l.tensor, d2l.reshape, d2l.size ... whatever the framework.
DEFAULT_ALIASES: dict[str, dict[str, str]] = {
    "mxnet": {
        "lib_name": "np",
        "simple_alias": "ones_like, ones, zeros_like, zeros, arange, meshgrid, sin, sinh, cos, cosh, tanh,"
        " linspace, exp, log, tensor -> array, normal -> random.normal, randn -> random.randn, expand_dims,"
        " rand -> random.rand, matmul -> dot, int32, int64, float32, concat -> concatenate, stack, abs, eye",
        "fluent_alias": "numpy -> asnumpy, reshape, to -> as_in_context, reduce_sum -> sum, argmax, astype,"
        " reduce_mean -> mean, swapaxes, repeat",
        "alias": "size = lambda a: a.size\ntranspose = lambda a: a.T\nnn_Module = nn.Block\n"
        "sigmoid = npx.sigmoid\nbatch_matmul = npx.batch_dot",
    },
    "pytorch": {
        "lib_name": "torch",
        "simple_alias": "ones_like, ones, zeros_like, zeros, tensor, arange, meshgrid, sin, sinh, cos, cosh,"
        " tanh, linspace, exp, log, normal, rand, randn, matmul, int32, int64, float32, concat -> cat, stack,"
        " abs, eye, sigmoid, batch_matmul -> bmm",
        "fluent_alias": "numpy -> detach().numpy, size -> numel, reshape, to, reduce_sum -> sum, argmax,"
        " astype -> type, transpose -> t, reduce_mean -> mean, expand_dims -> unsqueeze, swapaxes, repeat",
        "alias": "nn_Module = nn.Module",
    },
    "tensorflow": {
        "lib_name": "tf",
        "simple_alias": "reshape, ones_like, ones, zeros_like, zeros, meshgrid, sin, sinh, cos, cosh, tanh,"
        " linspace, exp, normal -> random.normal, rand -> random.uniform, matmul, reduce_sum, reduce_mean,"
        " argmax, tensor -> constant, arange -> range, astype -> cast, int32, int64, float32, transpose,"
        " concat, stack, abs, eye, log -> math.log, sigmoid, expand_dims, repeat, batch_matmul -> matmul",
        "fluent_alias": "numpy",
        "alias": "size = lambda a: tf.size(a).numpy()",
    },
}
_NAME = re.compile(r"[A-Za-z_][\w.()]*")


def _mapping(config: str) -> list[tuple[str, str]]:
    """d2lbook's alias list: `a, b -> c, ...` on one or more lines, as (name, target) pairs."""
    out = []
    for term in re.split(r"[,\n]", config):
        a, arrow, b = term.partition("->")
        a, b = a.strip(), (b.strip() if arrow else a.strip())
        if a.isidentifier() and _NAME.fullmatch(b):
            out.append((a, b))
    return out


def aliases(book: Book, tab: str = DEFAULT_TAB) -> str:
    """The alias lines d2lbook appends to the library, from the book's config.ini
    (`[library-TAB]`: lib_name, simple_alias, fluent_alias, alias) or d2l-en's own."""
    config: dict[str, str] = dict(DEFAULT_ALIASES.get(tab, {}))
    path = book.root / "config.ini"
    if path.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(files.read_text(path, "config.ini"))
        except configparser.Error as e:
            raise WorkbenchError(f"cannot read: {str(e).splitlines()[0]}", "config.ini") from None
        if parser.has_section(f"library-{tab}"):
            config = dict(parser[f"library-{tab}"])
    lines = [line.strip() for line in config.get("alias", "").splitlines() if line.strip()]
    lib = config.get("lib_name", "")
    if lib:
        lines += [f"{a} = {lib}.{b}" for a, b in _mapping(config.get("simple_alias", ""))]
        lines += [f"{a} = lambda x, *args, **kwargs: x.{b}(*args, **kwargs)"
                  for a, b in _mapping(config.get("fluent_alias", ""))]
    return "# Aliases (d2lbook's [library-%s] of config.ini)\n%s\n" % (tab, "\n".join(lines)) if lines else ""


def library(book: Book, tab: str = DEFAULT_TAB, order: list[str] | None = None) -> str:
    """The d2l module for a tab: every saved block of the tab's code cells in book order, then
    the aliases, as d2lbook builds it."""
    parts = [
        "# The d2l library of this book, collected from its #@save blocks by `workbench build`.\n"
        "# Do not edit: edit the blocks in en/ instead.\n"
        "import sys\n"
        "d2l = sys.modules[__name__]\n\n"
    ]
    for rel in order if order is not None else book_order(book):
        doc = book.document(rel)
        for _index, text in _code_blocks(doc):
            tabs, code = code_tabs(fence_body(text))
            if not for_tab(tabs, tab):
                continue
            for block in save_blocks(code):
                parts.append(f"# Defined in file: ./{rel}\n{block}\n\n\n")
    parts.append(aliases(book, tab))
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# One section as a notebook


@dataclass(slots=True)
class CodeCell:
    """A code cell of a section's notebook."""

    cell: int
    """0-based position among all the notebook's cells."""
    line: int
    """1-based line of the code fence in en/PATH.md."""
    code: str
    """The English code, without its `#@tab` line: what runs, in every language."""
    shown: str
    """What the reader sees: the same code, its comments translated in a zh notebook."""


@dataclass(slots=True)
class Section:
    """One section as a notebook in one language, outputs not yet attached."""

    rel: str
    """The English file, relative to en/."""
    lang: str
    """en or zh."""
    cells: list[Any]
    """The notebook's cells (nbformat nodes), Markdown and code."""
    code: list[CodeCell] = field(default_factory=list)
    """Its code cells in order."""
    untranslated: int = 0
    """Units shown in English because they have no Chinese yet (zh only)."""


def _tab_mask(doc: Document, tab: str) -> list[bool]:
    """Per unit: False inside a `:begin_tab:` section written for another framework."""
    keep = [True] * len(doc.units)
    skipping = False
    for i, unit in enumerate(doc.units):
        if unit.kind == "directive":
            m = _BEGIN_TAB.search(unit.source)
            if m:
                tabs = [t.strip() for t in m.group(1).split(",") if t.strip()]
                skipping = not for_tab(tabs, tab)
                keep[i] = not skipping
                continue
            if _END_TAB.search(unit.source) and skipping:
                skipping = False
                keep[i] = False
                continue
        keep[i] = not skipping
    return keep


def _ranges(indices: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of unit indices as [start, end) ranges."""
    out: list[tuple[int, int]] = []
    for i in indices:
        if out and out[-1][1] == i:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def _render(doc: Document, a: int, b: int, translate: Callable[[int, Unit], str | None] | None) -> str:
    """Units a..b-1 rendered in the reader's language (the English when `translate` is None)."""
    if translate is None:
        return "".join(u.source for u in doc.units[a:b])
    # a piece of the document as a document of its own: offsets shifted so that `fit` finds a
    # comment's line prefix (every piece starts at a line start)
    base = doc.units[a].offset
    units = [dataclasses.replace(u, offset=u.offset - base) for u in doc.units[a:b]]
    return render_units(Document(doc.path, units), lambda i, u: translate(a + i, u))


def _cell(kind: str, cell_id: str, source: str) -> Any:
    """An nbformat v4 cell with a stable id (the notebook validates once, when it is written)."""
    cell: dict[str, Any] = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": source}
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    return nbformat.from_dict(cell)


def section(book: Book, rel: str, lang: str = "en", tab: str = DEFAULT_TAB) -> Section:
    """The notebook of en/PATH.md in `lang` for one framework tab (no outputs yet)."""
    doc = book.document(rel)
    translate: Callable[[int, Unit], str | None] | None = None
    chinese: dict[int, str | None] = {}
    if lang == "zh":
        chinese = store.translations(doc, store.match(doc, book.catalog(rel)))
        translate = lambda i, _u: chinese.get(i)  # noqa: E731
    elif lang != "en":
        raise WorkbenchError(f"no such language {lang!r}; build en or zh")
    keep = _tab_mask(doc, tab)
    units_of: dict[int, list[int]] = {}
    for i, unit in enumerate(doc.units):
        if unit.block >= 0:
            units_of.setdefault(unit.block, []).append(i)
    code_blocks = {b for b, _ in _code_blocks(doc)}

    out = Section(rel, lang, [])
    markdown: list[int] = []
    used: list[int] = []  # units shown, for the untranslated count

    def flush() -> None:
        text = "".join(_render(doc, a, b, translate) for a, b in _ranges(markdown)).strip("\r\n")
        used.extend(markdown)
        markdown.clear()
        if text.strip():
            out.cells.append(_cell("markdown", f"md-{len(out.cells)}", text))

    done: set[int] = set()
    for i, unit in enumerate(doc.units):
        if unit.block in code_blocks:
            if unit.block in done:
                continue
            done.add(unit.block)
            members = units_of[unit.block]
            if not keep[members[0]]:
                continue
            english = "".join(doc.units[k].source for k in members)
            tabs, code = code_tabs(fence_body(english))
            if not for_tab(tabs, tab):
                continue
            flush()
            shown = code
            if translate is not None:
                shown = code_tabs(fence_body(_render(doc, members[0], members[-1] + 1, translate)))[1]
            used.extend(members)
            out.code.append(CodeCell(len(out.cells), unit.start, code, shown))
            out.cells.append(_cell("code", f"code-{len(out.cells)}", shown))
        elif keep[i]:
            markdown.append(i)
    flush()
    if lang == "zh":
        out.untranslated = sum(1 for k in used if doc.units[k].translatable and chinese.get(k) is None)
    return out


def notebook(sec: Section, outputs: list[CellOutputs] | None = None) -> Any:
    """The nbformat v4 notebook of a section, with the outputs of its code cells when known."""
    cells = [nbformat.from_dict(dict(c)) for c in sec.cells]
    if outputs is not None:
        for code, out in zip(sec.code, outputs, strict=True):
            cells[code.cell].outputs = [nbformat.from_dict(o) for o in out.outputs]
            cells[code.cell].execution_count = out.execution_count
    return nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )


# ---------------------------------------------------------------------------------------------
# The output cache


def environment(tab: str = DEFAULT_TAB) -> dict[str, str]:
    """Python and the versions of the packages a cell's output depends on."""
    env = {"python": platform.python_version(), "machine": platform.machine(), "tab": tab}
    for name in ENV_PACKAGES:
        try:
            env[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            env[name] = "-"
    return env


def cache_key(code: list[str], library_text: str, env: dict[str, str]) -> str:
    """The key of a notebook's outputs: its code without prose, the d2l library when the code
    uses it, and the environment."""
    stripped = [strip_prose(c) for c in code]
    uses_d2l = any("d2l" in c for c in stripped)
    payload = {
        "version": CACHE_VERSION,
        "code": stripped,
        # a section that never imports d2l does not re-run when a #@save block elsewhere changes
        "library": _library_digest(library_text) if uses_d2l else "",
        "env": env,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=4)
def _library_digest(library_text: str) -> str:
    """The library as the key sees it (stripping a whole book's library costs: once per build)."""
    return hashlib.sha256(strip_prose(library_text).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class CellOutputs:
    """What one code cell printed."""

    outputs: list[dict[str, Any]]
    """nbformat v4 output dicts (stream, execute_result, display_data, error)."""
    execution_count: int | None = None
    """The kernel's execution count (None when the cell did not run)."""

    @property
    def error(self) -> str | None:
        """The last line of the cell's error, None when it ran cleanly."""
        for out in self.outputs:
            if out.get("output_type") == "error":
                lines = [_ANSI.sub("", line) for line in out.get("traceback", [])]
                lines = [x for x in "\n".join(lines).splitlines() if x.strip()]
                if lines:
                    return lines[-1].strip()
                return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
        return None


@dataclass(slots=True)
class Run:
    """The outputs of one notebook's code, executed once."""

    cells: list[CellOutputs]
    """Per code cell, in order."""
    complete: bool = True
    """False when a timeout or a dead kernel stopped the run: such a run is not cached."""
    seconds: float = 0.0
    """Wall time of the run, kernel start included."""
    executed: int = 0
    """Cells that ran (the rest were cut off by a timeout or a dead kernel)."""

    def as_dict(self) -> dict[str, Any]:
        """The cache entry's JSON."""
        return {"cells": [{"outputs": c.outputs, "execution_count": c.execution_count} for c in self.cells],
                "seconds": round(self.seconds, 3)}


class OutputCache:
    """Outputs of executed notebooks under _build/cache/KEY.json, shared by every language."""

    def __init__(self, root: Path) -> None:
        self.root = root
        """The cache folder, _build/cache/."""

    def path(self, key: str) -> Path:
        """Where the run of `key` is kept (a folder per two hex digits keeps folders small)."""
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> Run | None:
        """The cached run, or None (a damaged entry counts as missing and is executed again)."""
        path = self.path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            cells = [CellOutputs(c["outputs"], c.get("execution_count")) for c in data["cells"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return Run(cells, True, float(data.get("seconds", 0.0)), 0)

    def put(self, key: str, run: Run) -> None:
        """Keep a complete run's outputs (atomic: a killed build leaves no half entry)."""
        files.write_atomic(self.path(key), json.dumps(run.as_dict(), ensure_ascii=False, sort_keys=True))


# ---------------------------------------------------------------------------------------------
# Execution


_specs_lock = threading.Lock()
_specs: Any = None


def kernel_specs() -> Any:
    """A kernel spec manager whose `python3` is this very Python (sys.executable).

    The installed python3 spec may point at another interpreter (a bare `python` on PATH, a
    system Python without mxnet); on a fresh CI machine there may be none. A spec written into
    a temporary folder for this process avoids both.
    """
    global _specs
    with _specs_lock:
        if _specs is None:
            from jupyter_client.kernelspec import KernelSpecManager

            folder = Path(tempfile.mkdtemp(prefix="workbench-kernels-"))
            atexit.register(shutil.rmtree, folder, True)
            (folder / "python3").mkdir()
            spec = {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (workbench)",
                "language": "python",
            }
            (folder / "python3" / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
            _specs = KernelSpecManager(kernel_dirs=[str(folder)], ensure_native_kernel=False)
        return _specs


def kernel_env(lib: Path, threads: int | None = None) -> dict[str, str]:
    """The kernel's environment: the d2l library first on the path, MXNet quiet on CPU."""
    env = dict(os.environ)
    env.update({k: v for k, v in KERNEL_ENV.items() if k not in os.environ})
    env["PYTHONPATH"] = os.pathsep.join([str(lib)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    if threads and "OMP_NUM_THREADS" not in os.environ:
        # parallel kernels share the cores: one OpenMP pool per kernel would oversubscribe them
        env["OMP_NUM_THREADS"] = str(threads)
    return env


def _error_output(ename: str, evalue: str) -> dict[str, Any]:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def execute(code: list[str], cwd: Path, env: dict[str, str], timeout: float = 600, log: Path | None = None) -> Run:
    """Run a notebook's code cells in a fresh kernel, once; a raising cell is recorded, not fatal.

    A cell that times out, or a kernel that dies, ends the run there (the kernel is shut down;
    the next notebook gets a new one) and the run is marked incomplete. The kernel process's
    own stdout and stderr (start-up chatter, a crash message) go to `log`, not to the terminal.
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in code])
    started = time.monotonic()
    # the async manager: with a blocking client nbclient's output poll would block its
    # timeout and dead-kernel checks (a cell over its time limit would run on unnoticed)
    km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=kernel_specs())
    client = NotebookClient(
        nb, km=km, timeout=timeout, allow_errors=True, interrupt_on_timeout=False,
        record_timing=False, shutdown_kernel="immediate", startup_timeout=120,
    )
    complete = True
    executed = 0
    cwd.mkdir(parents=True, exist_ok=True)
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
    sink = log.open("wb") if log is not None else open(os.devnull, "wb")  # noqa: SIM115
    try:
        # cleanup_kc: shut the kernel down afterwards although the manager is ours, not nbclient's
        with sink, client.setup_kernel(env=env, cwd=str(cwd), stdout=sink, stderr=sink, cleanup_kc=True), \
                _running(km):
            for i, cell in enumerate(nb.cells):
                try:
                    client.execute_cell(cell, i)
                    executed += 1
                except CellTimeoutError:
                    cell.outputs.append(_error_output("CellTimeoutError", f"cell did not finish within {timeout:g} s"))
                    executed += 1
                    complete = False
                    break
                except DeadKernelError:
                    why = _last_line(log)
                    if not why:
                        try:
                            why = f"exit code {run_sync(km.provisioner.poll)()}" if km.provisioner else ""
                        except Exception:  # noqa: BLE001 - only a detail of the message
                            why = ""
                    why = why or "no message"
                    cell.outputs.append(_error_output("DeadKernelError", f"the kernel died ({why})"))
                    executed += 1
                    complete = False
                    break
    except Exception as e:  # the kernel did not start, or did not shut down cleanly
        if executed < len(nb.cells) and complete:
            nb.cells[executed].outputs.append(_error_output(type(e).__name__, f"kernel failed: {str(e).strip()[:300]}"))
            executed += 1
            complete = False
        try:  # a kernel that started but never became ready is not left behind
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - already failing; the error is recorded above
            pass
    cells = [CellOutputs([dict(o) for o in json.loads(json.dumps(c.outputs))], c.execution_count) for c in nb.cells]
    return Run(cells, complete, time.monotonic() - started, executed)


_kernels_lock = threading.Lock()
_kernels: set[Any] = set()


@contextlib.contextmanager
def _running(km: Any) -> Iterator[None]:
    """Track a started kernel, so that an interrupted build can stop it."""
    with _kernels_lock:
        _kernels.add(km)
    try:
        yield
    finally:
        with _kernels_lock:
            _kernels.discard(km)


def stop_kernels() -> None:
    """Kill the kernels still running (ctrl-c): their threads then end at once, on a dead kernel."""
    with _kernels_lock:
        kms = list(_kernels)
    for km in kms:
        pid = getattr(km.provisioner, "pid", None)
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _last_line(log: Path | None) -> str:
    """The last line a dead kernel wrote (a crash message), if any."""
    try:
        lines = [x for x in log.read_text(encoding="utf-8", errors="replace").splitlines() if x.strip()] if log else []
    except OSError:
        return ""
    lines = [x for x in lines if "IPKernelApp" not in x]  # start-up chatter, not the cause
    return lines[-1].strip()[:200] if lines else ""


# ---------------------------------------------------------------------------------------------
# The build


@dataclass(slots=True)
class Failure:
    """A code cell that raised."""

    file: str
    """The notebook, relative to the book (_build/LANG/PATH.ipynb)."""
    cell: int
    """1-based cell number in the notebook."""
    line: int
    """1-based line of the code in en/PATH.md."""
    error: str
    """The last line of the error."""
    cached: bool
    """True when the failure was recorded by an earlier run and read from the cache."""

    def as_dict(self) -> dict[str, Any]:
        """One entry of `failures` in `build --json`."""
        return dataclasses.asdict(self)


@dataclass(slots=True)
class Built:
    """What building one notebook did."""

    rel: str
    notebook: str
    """_build/LANG/PATH.ipynb, relative to the book."""
    code_cells: int
    executed: int = 0
    cached: int = 0
    written: bool = False
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    untranslated: int = 0


@dataclass(slots=True)
class Summary:
    """What a build did, over all its notebooks."""

    lang: str
    notebooks: list[Built] = field(default_factory=list)
    seconds: float = 0.0
    dry_run: bool = False

    @property
    def cells_executed(self) -> int:
        """Code cells run by this build."""
        return sum(b.executed for b in self.notebooks)

    @property
    def cells_cached(self) -> int:
        """Code cells whose outputs came from the cache."""
        return sum(b.cached for b in self.notebooks)

    @property
    def failures(self) -> list[Failure]:
        """Cells whose output is an error, run now or cached."""
        return [f for b in self.notebooks for f in b.failures]

    @property
    def untranslated(self) -> int:
        """Units shown in English for want of Chinese (zh)."""
        return sum(b.untranslated for b in self.notebooks)

    def as_json(self) -> dict[str, Any]:
        """The summary `build --json` prints."""
        return {
            "notebooks": len(self.notebooks),
            "cells_executed": self.cells_executed,
            "cells_cached": self.cells_cached,
            "cells_failed": len(self.failures),
            "failures": [f.as_dict() for f in self.failures],
        }


#: Told `(0, total, None)` before the first notebook runs, then `(done, total, built)` after each.
Progress = Callable[[int, int, Built | None], None]


def _needs_run(cached: Run | None, retry_failed: bool) -> bool:
    """A section runs when its outputs are not cached, or (with --retry-failed) a cached cell failed."""
    return cached is None or (retry_failed and any(c.error for c in cached.cells))


#: What executing notebooks needs beyond the base install: the `notebook` extra.
EXECUTION_MODULES = ("nbclient", "jupyter_client", "ipykernel")


def _need_kernels() -> None:
    """Refuse to execute, before anything is written, when the notebook extra is not installed."""
    import importlib.util

    missing = [m for m in EXECUTION_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise WorkbenchError(f"executing notebooks needs the notebook extra (missing: {', '.join(missing)}): "
                             "pip install 'workbench[notebook]'; nothing was written")


def build(
    book: Book,
    lang: str,
    rels: list[str] | None = None,
    *,
    tab: str = DEFAULT_TAB,
    run: bool = False,
    jobs: int = 1,
    timeout: float = 600,
    retry_failed: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Write _build/LANG/*.ipynb; with `run`, execute the notebooks whose outputs are not cached.

    Outputs come from the cache whenever the code, the library and the environment match, in
    any language. `progress(done, total, built)` is called as each executed notebook finishes.
    """
    started = time.monotonic()
    if lang not in LANGUAGES:
        raise WorkbenchError(f"no such language {lang!r}; build en or zh")
    if run and not dry_run:
        _need_kernels()
    root = book.root / "_build"
    order = book_order(book)
    rels = rels or order
    lib_text = library(book, tab, order)
    env = environment(tab)
    cache = OutputCache(root / "cache")
    lib_dir = root / "lib"
    summary = Summary(lang, dry_run=dry_run)

    sections = [section(book, rel, lang, tab) for rel in rels]
    keys = [cache_key([c.code for c in s.code], lib_text, env) if s.code else "" for s in sections]
    cached = [cache.get(k) if k else None for k in keys]
    todo = [
        i for i, s in enumerate(sections)
        if run and s.code and _needs_run(cached[i], retry_failed)
    ]
    pending = set(todo)

    def finish(i: int, result: Run | None, fresh: bool) -> Built:
        sec = sections[i]
        shown = f"_build/{lang}/{sec.rel.removesuffix('.md')}.ipynb"
        built = Built(sec.rel, shown, len(sec.code), untranslated=sec.untranslated)
        if result is not None:
            if fresh:
                built.executed = result.executed
                built.seconds = result.seconds
            else:
                built.cached = len(sec.code)
            for code, out in zip(sec.code, result.cells, strict=True):
                err = out.error
                if err:
                    built.failures.append(Failure(shown, code.cell + 1, code.line, err, not fresh))
        text = nbformat.writes(notebook(sec, result.cells if result else None)) + "\n"
        path = book.root / shown
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        built.written = text != old
        if built.written and not dry_run:
            files.write_atomic(path, text)
        summary.notebooks.append(built)
        return built

    if dry_run:
        for i in range(len(sections)):
            b = finish(i, cached[i] if i not in pending else None, False)
            if i in pending:
                b.executed = len(sections[i].code)  # what would run
        summary.notebooks.sort(key=lambda b: rels.index(b.rel))
        summary.seconds = time.monotonic() - started
        return summary

    book.writable()
    root.mkdir(parents=True, exist_ok=True)
    with files.book_lock(root, wait=0.0, what=f"build {lang}"):
        # the library is written on every build: a reader running a notebook by hand needs it
        lib_file = lib_dir / "d2l" / f"{TAB_MODULES.get(tab, tab)}.py"
        for path, text in ((lib_dir / "d2l" / "__init__.py", ""), (lib_file, lib_text)):
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                files.write_atomic(path, text)
        if todo:
            _link_resources(book, root / "exec")
        for i in range(len(sections)):
            if i not in pending:
                finish(i, cached[i], False)
        jobs = max(1, min(jobs, len(todo) or 1))
        kenv = kernel_env(lib_dir, max(1, (os.cpu_count() or 1) // jobs) if jobs > 1 else None)
        done = 0
        if progress and todo:
            progress(0, len(todo), None)
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="workbench-kernel") as pool:
            running: dict[Future[Run], int] = {}
            for i in todo:
                rel = sections[i].rel
                cwd = root / "exec" / posixpath.dirname(rel)
                log = root / "exec" / "logs" / (rel.removesuffix(".md") + ".log")
                code = [c.code for c in sections[i].code]
                running[pool.submit(execute, code, cwd, kenv, timeout, log)] = i
            while running:
                try:
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                except KeyboardInterrupt:
                    # nothing more is written; the notebooks done so far are complete files
                    for fut in running:
                        fut.cancel()
                    stop_kernels()
                    raise
                for fut in finished:
                    i = running.pop(fut)
                    result = fut.result()
                    if result.complete:
                        cache.put(keys[i], result)
                    built = finish(i, result, True)
                    done += 1
                    if progress:
                        progress(done, len(todo), built)
    summary.notebooks.sort(key=lambda b: rels.index(b.rel))
    summary.seconds = time.monotonic() - started
    return summary


def _link_resources(book: Book, exec_root: Path) -> None:
    """Sections open files relative to their chapter (../img/cat.jpg): make them resolve."""
    for name in ("img",):
        source = book.root / name
        target = exec_root / name
        if source.is_dir() and not target.exists():
            exec_root.mkdir(parents=True, exist_ok=True)
            try:
                target.symlink_to(source, target_is_directory=True)
            except OSError:
                pass  # no symlinks here (some Windows setups): such sections fail and say so
