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

import os
import posixpath
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import files
from ..model import WorkbenchError
from .cache import OutputCache, Run, cache_key, environment
from .kernels import execute, kernel_env, need_kernels, stop_kernels
from .library import TAB_MODULES, book_order, library
from .notebooks import LANGUAGES, Section, notebook, section
from .report import Built, Failure, Progress, Summary
from .source import SourceBook
from .tabs import DEFAULT_TAB


def _needs_run(cached: Run | None, retry_failed: bool) -> bool:
    """A section runs when its outputs are not cached, or (with --retry-failed) a cached cell failed."""
    return cached is None or (retry_failed and any(c.error for c in cached.cells))


def build(
    book: SourceBook,
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
    mark_stale: bool = False,
) -> Summary:
    """Write _build/LANG/*.ipynb; with `run`, execute the notebooks whose outputs are not cached.

    Outputs come from the cache whenever the code, the library and the environment match, in
    any language. `progress(done, total, built)` is called as each executed notebook finishes.
    `mark_stale` (zh): stale pairs carry the reader's note (see notebooks.section).
    """
    started = time.monotonic()
    if lang not in LANGUAGES:
        raise WorkbenchError(f"no such language {lang!r}; build en or zh")
    if run and not dry_run:
        need_kernels()
    root = book.root / "_build"
    order = book_order(book)
    rels = rels or order
    lib_text = library(book, tab, order)
    plan = _plan(book, lang, rels, tab, lib_text, OutputCache(root / "cache"), run, retry_failed, mark_stale)
    summary = Summary(lang, dry_run=dry_run)
    if dry_run:
        _tell(book, plan, summary)
    else:
        _write(book, plan, summary, root, tab, lib_text, jobs, timeout, progress)
    summary.notebooks.sort(key=lambda b: rels.index(b.rel))
    summary.seconds = time.monotonic() - started
    return summary


def _tell(book: SourceBook, plan: _Plan, summary: Summary) -> None:
    """A dry run: what each notebook would be, and how many cells would run; nothing written."""
    for i, sec in enumerate(plan.sections):
        b = _finish(book, plan, summary, i, plan.cached[i] if i not in plan.todo else None, False, True)
        if i in plan.todo:
            b.executed = len(sec.code)  # what would run


def _write(book: SourceBook, plan: _Plan, summary: Summary, root: Path, tab: str, lib_text: str, jobs: int,
           timeout: float, progress: Progress | None) -> None:
    """Under the build's lock: the library, the cached notebooks, then the executed ones."""
    book.writable()
    _refuse_links_into_the_book(book, root, plan)
    root.mkdir(parents=True, exist_ok=True)
    with files.book_lock(root, wait=0.0, what=f"build {plan.lang}"):
        # the library is written on every build: a reader running a notebook by hand needs it
        _write_library(root / "lib", tab, lib_text)
        if plan.todo:
            _link_resources(book, root / "exec")
        for i in range(len(plan.sections)):
            if i not in plan.todo:
                _finish(book, plan, summary, i, plan.cached[i], False, False)
        _execute(book, plan, summary, root, jobs, timeout, progress)


def _refuse_links_into_the_book(book: SourceBook, root: Path, plan: _Plan) -> None:
    """Refuse, before anything is written, a _build/ (or a folder in it) that is a symlink into the
    book's en/, zh/, glossary/ or .workbench/: the notebooks would be written among its files."""
    folders = {"", "lib", "exec", "cache", plan.lang} | {
        posixpath.join(plan.lang, posixpath.dirname(sec.rel)) for sec in plan.sections}
    for folder in sorted(folders):
        files.refuse_inside_book(book.root, root / folder, posixpath.join("_build", folder))


@dataclass(slots=True)
class _Plan:
    """What a build does: every section, its cache key and cached outputs, and which sections run."""

    lang: str
    sections: list[Section]
    keys: list[str]
    """Cache key per section ("" for a section without code)."""
    cached: list[Run | None]
    todo: list[int]
    """The sections to execute, in book order."""
    cache: OutputCache


def _plan(book: SourceBook, lang: str, rels: list[str], tab: str, lib_text: str, cache: OutputCache, run: bool,
          retry_failed: bool, mark_stale: bool = False) -> _Plan:
    """Cut the sections and look their outputs up in the cache."""
    env = environment(tab)
    sections = [section(book, rel, lang, tab, mark_stale) for rel in rels]
    keys = [cache_key([c.code for c in s.code], lib_text, env) if s.code else "" for s in sections]
    cached = [cache.get(k) if k else None for k in keys]
    todo = [i for i, s in enumerate(sections) if run and s.code and _needs_run(cached[i], retry_failed)]
    return _Plan(lang, sections, keys, cached, todo, cache)


def _finish(book: SourceBook, plan: _Plan, summary: Summary, i: int, result: Run | None, fresh: bool,
            dry_run: bool) -> Built:
    """Write section i's notebook with its outputs (`fresh`: just executed, else from the cache)."""
    sec = plan.sections[i]
    shown = f"_build/{plan.lang}/{sec.rel.removesuffix('.md')}.ipynb"
    built = Built(sec.rel, shown, len(sec.code), untranslated=sec.untranslated, stale=sec.stale)
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


def _write_library(lib_dir: Path, tab: str, lib_text: str) -> None:
    """_build/lib/d2l/TAB.py, where the kernels import it from, when it changed."""
    lib_file = lib_dir / "d2l" / f"{TAB_MODULES.get(tab, tab)}.py"
    for path, text in ((lib_dir / "d2l" / "__init__.py", ""), (lib_file, lib_text)):
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            files.write_atomic(path, text)


def _execute(book: SourceBook, plan: _Plan, summary: Summary, root: Path, jobs: int, timeout: float,
             progress: Progress | None) -> None:
    """Run the planned sections, `jobs` kernels at a time; each notebook is written as it finishes."""
    todo = plan.todo
    jobs = max(1, min(jobs, len(todo) or 1))
    kenv = kernel_env(root / "lib", max(1, (os.cpu_count() or 1) // jobs) if jobs > 1 else None)
    done = 0
    if progress and todo:
        progress(0, len(todo), None)
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="workbench-kernel") as pool:
        running: dict[Future[Run], int] = {}
        for i in todo:
            rel = plan.sections[i].rel
            cwd = root / "exec" / posixpath.dirname(rel)
            log = root / "exec" / "logs" / (rel.removesuffix(".md") + ".log")
            code = [c.code for c in plan.sections[i].code]
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
                    plan.cache.put(plan.keys[i], result)
                built = _finish(book, plan, summary, i, result, True, False)
                done += 1
                if progress:
                    progress(done, len(todo), built)


def _link_resources(book: SourceBook, exec_root: Path) -> None:
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
