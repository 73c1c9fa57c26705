"""Shared fixtures: where the real data lives (../shared, read at test time, never copied), and
the books the tests work on — each built in a temporary folder from the seed or the corpus,
never from content a user can change (the repository's own en/, zh/, glossary/ included)."""

from __future__ import annotations

import atexit
import contextlib
import gc
import hashlib
import inspect
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "d2l"
EN_V0170 = CORPUS / "en-v0.17.0"
EN_V0176 = CORPUS / "en-v0.17.6"
ZH = CORPUS / "zh-2021-09-30"
SEED = SHARED / "seed" / "000_7bac6b964f109af6.txt"
GOLD = SHARED / "bench" / "align-gold" / "dev"
#: The built-in book's glossary as the tests know it (the seed has no glossary).
PREFACE_GLOSSARY = Path(__file__).resolve().parent / "data" / "preface" / "glossary.tsv"
PREFACE = "chapter_preface/index.md"

# The tests build books and TUIs of hundreds of thousands of small objects that live long: the
# collector's default threshold walks them thousands of times (a fifth of a TUI test's time), as
# `workbench` itself avoids (cli.main)
gc.set_threshold(100_000, 50, 100)

# The TUI makes the user's copy of the preface in the data folder: never the tester's own.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="workbench-test-data-")
atexit.register(shutil.rmtree, os.environ["XDG_DATA_HOME"], True)


#: WORKBENCH_FULL=1: the property tests that could sweep the whole corpus do (minutes more); by
#: default each checks a fixed sample of it that it names (see `corpus_sample`).
FULL = os.environ.get("WORKBENCH_FULL", "") not in ("", "0")


def corpus_sample(paths: list[Path], every: int) -> list[Path]:
    """`paths` (sorted) under WORKBENCH_FULL=1; by default every `every`-th of them, from the first:
    a fixed sample, the same on every run, spread over every chapter."""
    return paths if FULL else paths[::every]


def need_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.fail(f"the d2l corpus is missing: expected it at {CORPUS} (../shared beside the repo)")


# ---------------------------------------------------------------------------------------------
# Books built once and shared by every xdist worker (and by later runs with the same inputs)


def _digest(*paths: Path) -> str:
    """A key of everything a cached book is made from: the inputs, the workbench's code, this file
    (and the test module that makes the book, among the paths)."""
    h = hashlib.sha256(sys.version.encode())
    for top in (*paths, REPO / "workbench", Path(__file__)):
        found = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for p in found:
            h.update(str(p.relative_to(top.parent)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def shared_build(name: str, inputs: tuple[Path, ...], make: Callable[[Path], Any]) -> tuple[Path, Any]:
    """Build a folder once for all workers: `make(folder)` fills it and returns a picklable value.

    Cached under the temporary folder, keyed by the content of `inputs` and of the code; a file
    lock makes the other workers wait for the first. Returns (folder, value). Read only.
    """
    # one cache per checkout: two clones tested at once never remove each other's builds
    checkout = hashlib.sha256(str(REPO).encode()).hexdigest()[:8]
    cache = Path(tempfile.gettempdir()) / f"workbench-test-cache-{checkout}"
    cache.mkdir(exist_ok=True)
    maker = Path(inspect.getfile(getattr(make, "func", make)))  # a lambda's or a partial's module
    key = f"{name}-{_digest(*inputs, maker)}"
    folder, done = cache / key, cache / f"{key}.pickle"
    with FileLock(str(cache / f"{name}.lock")):
        if not done.is_file():
            _prune(cache, name)
            work = cache / f"{key}.partial"
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)  # a build stopped between its last two steps
            work.mkdir()
            value = make(work)
            work.rename(folder)
            done.write_bytes(pickle.dumps(value))
        os.utime(done)  # in use: not pruned
        return folder, pickle.loads(done.read_bytes())


def _prune(cache: Path, name: str) -> None:
    """Remove builds of `name` unused for two days (other checkouts' builds may be in use now)."""
    stale = time.time() - 2 * 86400
    for done in cache.glob(f"{name}-*.pickle"):
        if done.stat().st_mtime < stale:
            shutil.rmtree(done.with_suffix(""), ignore_errors=True)
            done.unlink(missing_ok=True)


def _make_preface(root: Path) -> None:
    from workbench.cli import main

    (root / "en").mkdir()
    code = main(["import-bilingual", str(SEED), "--as", PREFACE, "--book", str(root)])
    assert code == 0, "importing the seed failed"
    (root / "glossary").mkdir()
    shutil.copy(PREFACE_GLOSSARY, root / "glossary" / "glossary.tsv")


def build_preface() -> Path:
    """The built-in book made anew (once for all workers): the folder."""
    return shared_build("preface", (SEED, PREFACE_GLOSSARY), _make_preface)[0]


@pytest.fixture(scope="session")
def preface_source() -> Path:
    """The built-in book made anew from the seed (import-bilingual) and the tests' glossary. Read only."""
    return build_preface()


@pytest.fixture
def builtin_book(preface_source: Path, tmp_path: Path) -> Path:
    """A copy of the built-in book as a translator's working copy has it (en/, zh/, glossary/,
    and .workbench/ with what was rendered last), made from the seed, to write into."""
    shutil.copytree(preface_source, tmp_path, dirs_exist_ok=True)
    return tmp_path


def _make_imported(root: Path) -> Any:
    from workbench.book import Book
    from workbench.importer import import_tree

    return import_tree(EN_V0170, ZH, Book(root))


def build_imported() -> tuple[Path, Any]:
    """The d2l corpus imported (once for all workers): (book root, ImportReport)."""
    need_corpus()
    return shared_build("imported-d2l", (EN_V0170, ZH), _make_imported)


@pytest.fixture(scope="session")
def imported_corpus():
    """The d2l corpus (en-v0.17.0 with zh-2021-09-30) imported into a fresh book, once for all workers.

    Returns (book root, ImportReport). Tests only read it.
    """
    return build_imported()


# ---------------------------------------------------------------------------------------------
# The long builds start in the background as the run starts, and the tests that need them run
# last: no worker waits for a build while other tests are left to run.

#: Fixtures whose shared builds take long (a whole-corpus import, a sync, executed notebooks), in
#: chains: each chain is made by one background process, in order (a later build reads an earlier
#: one); a fixture here -> the module and function that make (or find) its build.
BUILD_CHAINS = [
    [("imported_corpus", "conftest", "build_imported"), ("synced", "test_sync_corpus", "build_synced")],
    [("built", "test_notebook", "build_notebook")],
]
_LONG_BUILDS = {name for chain in BUILD_CHAINS for name, _, _ in chain}
_builders: list[subprocess.Popen[bytes]] = []


def _needs_build(item: pytest.Item) -> bool:
    return bool(_LONG_BUILDS.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the tests for the workers (pytest-xdist): each worker's first share of the run is one
    block of the collection, so the tests are dealt into the blocks one by one, each block getting
    its part of each kind, in this order: the slow tests, those that drive the TUI, the quick ones,
    then those that need a long build (slow ones first) — by then it is made."""
    kinds: list[list[pytest.Item]] = [[], [], [], [], []]
    for item in items:
        if _needs_build(item):
            kinds[3 + (item.get_closest_marker("slow") is None)].append(item)
        elif item.get_closest_marker("slow"):
            kinds[0].append(item)
        else:
            # the TUI's tests wait for the screen more than they work: early in the run the long
            # builds in the background still keep the cores busy in those waits
            kinds[1 if item.get_closest_marker("screen") else 2].append(item)
    # the longest test of all is on the synced book (every view of it): first of its kind, so that
    # it does not end one worker's run alone
    kinds[3].sort(key=lambda item: "synced" not in getattr(item, "fixturenames", ()))
    # each module's quick tests spread evenly over their part of the run: a module's tests are
    # often alike (test_markdown's 568 cheap ones), and a worker gets a mix all along
    modules: dict[str, list[pytest.Item]] = {}
    for item in kinds[2]:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    spread = [((i + 0.5) / len(tests), item) for tests in modules.values() for i, item in enumerate(tests)]
    kinds[2] = [item for _, item in sorted(spread, key=lambda place: place[0])]
    ordered = [item for kind in kinds for item in kind]
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    # xdist's first blocks grow by one from the first worker to the last (len // workers, ...);
    # dealt hands shrink by one: dealt in reverse, each hand is exactly its block
    items[:] = [item for hand in reversed(range(workers)) for item in ordered[hand::workers]]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the long builds the collected tests need, in the background (one process a chain):
    in the first worker only (or the only process), unless nothing is run."""
    if os.environ.get("PYTEST_XDIST_WORKER", "gw0") != "gw0" or session.config.option.collectonly:
        return
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    import workbench

    path = [str(Path(__file__).parent), str(Path(workbench.__file__).resolve().parent.parent)]
    for chain in BUILD_CHAINS:
        # a build needs the ones before it in its chain: make those too
        last = max((i for i, (name, _, _) in enumerate(chain) if name in needed), default=-1)
        if last < 0:
            continue
        steps = [(module, function) for _, module, function in chain[: last + 1]]
        code = (f"import importlib, sys; sys.path[:0] = {path!r}\n"
                f"for module, function in {steps!r}: getattr(importlib.import_module(module), function)()")
        # a build that fails here fails again in its fixture, where the test says why
        _builders.append(subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Wait for the background builds (the other worker may still need one); in a run stopped
    early (-x, Ctrl-C) stop them instead, their kernels with them."""
    stopped = bool(session.shouldstop) or exitstatus == pytest.ExitCode.INTERRUPTED
    for proc in _builders:
        if stopped and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def copy_book(source: Path, dest: Path) -> Path:
    """A writable copy of a whole shared book (its .workbench/ state included)."""
    shutil.copytree(source, dest, symlinks=True)
    return dest


def corpus_sources(folder: Path, *rels: str) -> tuple[Path, Path]:
    """An edition to import made of real chapters: the files `rels` of en-v0.17.0 and of
    zh-2021-09-30 copied into folder/en-src and folder/zh-src. Returns the two trees."""
    need_corpus()
    trees = folder / "en-src", folder / "zh-src"
    for corpus, tree in zip((EN_V0170, ZH), trees, strict=True):
        for rel in rels:
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(corpus / rel, tree / rel)
    return trees


def copy_files(imported: Path, dest: Path, rels: list[str]) -> Path:
    """A small book of real imported pairs: en/, zh/*.md and zh/*.po of `rels` copied from a
    book (the session's import is read only)."""
    for rel in rels:
        for part, name in (("en", rel), ("zh", rel), ("zh", rel[:-3] + ".po")):
            target = dest / part / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(imported / part / name, target)
    return dest


def assert_msgfmt_ok(path: Path) -> None:
    """gettext accepts every PO under `path` (a file or a folder, e.g. a book): `msgfmt --check`
    passes without a warning, and `msgcat` gives the file back byte for byte (the workbench writes
    gettext's canonical layout)."""
    for tool in ("msgfmt", "msgcat"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: install gettext (apt-get install -y gettext)")
    pos = [path] if path.is_file() else sorted(path.rglob("*.po"))
    assert pos, f"no PO file under {path}"
    for po in pos:
        r = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(po)], capture_output=True, text=True)
        assert r.returncode == 0 and not r.stderr, f"msgfmt refuses {po}: {r.stderr}"
        r = subprocess.run(["msgcat", "--force-po", str(po)], capture_output=True)  # an empty PO too
        assert r.returncode == 0, f"msgcat refuses {po}: {r.stderr.decode()}"
        assert r.stdout == po.read_bytes(), f"msgcat lays out {po} differently: not gettext's canonical layout"


def run_in_book(capsys: pytest.CaptureFixture[str], book: Path, *args: str) -> tuple[int, str, str]:
    """`workbench ARGS --book BOOK` in process: exit code, stdout, stderr."""
    from workbench.cli import main

    capsys.readouterr()
    code = main([*args, "--book", str(book)])
    out, err = capsys.readouterr()
    return code, out, err
