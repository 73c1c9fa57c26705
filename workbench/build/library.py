"""Book order and the d2l library: the `#@save` blocks of the book, in book order, as d2lbook collects them."""

from __future__ import annotations

import configparser
import posixpath
import re

from .. import files
from ..model import WorkbenchError
from .source import SourceBook
from .tabs import DEFAULT_TAB, code_cells, code_tabs, fence_body, for_tab, save_blocks

#: The module of the d2l package each framework tab imports (`from d2l import torch as d2l`).
TAB_MODULES = {"mxnet": "mxnet", "pytorch": "torch", "tensorflow": "tensorflow", "jax": "jax"}


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


def book_order(book: SourceBook) -> list[str]:
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


def aliases(book: SourceBook, tab: str = DEFAULT_TAB) -> str:
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
    body = "\n".join(lines)
    return f"# Aliases (d2lbook's [library-{tab}] of config.ini)\n{body}\n" if lines else ""


def library(book: SourceBook, tab: str = DEFAULT_TAB, order: list[str] | None = None) -> str:
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
        for _index, text in code_cells(doc):
            tabs, code = code_tabs(fence_body(text))
            if not for_tab(tabs, tab):
                continue
            for block in save_blocks(code):
                parts.append(f"# Defined in file: ./{rel}\n{block}\n\n\n")
    parts.append(aliases(book, tab))
    return "".join(parts)
