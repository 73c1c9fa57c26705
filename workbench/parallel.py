"""Work on many files at once: one function over a list, in forked worker processes, results in order.

An import aligns and plans its files independently of each other; on a machine with two cores
or more they are shared out among processes forked from the caller, so each worker starts with
everything the caller has read (the trees' documents, the book) and only the results travel
back. Results come back in the order of the items, and so does the first error: the same
WorkbenchError (file:line) a one-process run raises, nothing written by anyone (workers only
read). Off Linux (where fork is not the platform's way), with one core, or for a few items, the
work is done in process. WORKBENCH_JOBS=N sets the number of processes (1: in process).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from .model import WorkbenchError

T = TypeVar("T")
C = TypeVar("C")
R = TypeVar("R")

#: Fewer items than this are done in process: forking costs more than it saves.
FEWEST = 8

# what a forked worker runs: (function, context), set just before the fork
_job: tuple[Callable[[Any, Any], Any], Any] | None = None


def jobs() -> int:
    """How many processes to use: WORKBENCH_JOBS, else the cores this process may run on."""
    given = os.environ.get("WORKBENCH_JOBS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run(item: Any) -> tuple[bool, Any]:
    assert _job is not None
    fn, context = _job
    try:
        return True, fn(context, item)
    except WorkbenchError as e:  # its path and line do not survive pickling as an exception
        return False, (e.message, e.path, e.line)


def map_in_order(fn: Callable[[C, T], R], context: C, items: Sequence[T]) -> Iterator[R]:
    """fn(context, item) for each item, yielded in order. `fn` must be a module-level function;
    `context` reaches the workers by fork (it is never pickled), the results by pickle."""
    global _job
    n = min(jobs(), len(items))
    # fork only where it is the platform's own way (macOS's system libraries may not survive it)
    if n < 2 or len(items) < FEWEST or not sys.platform.startswith("linux"):
        for item in items:
            yield fn(context, item)
        return
    _job = (fn, context)
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            # one item at a time: files differ a hundredfold in cost, and a chunk of big ones
            # handed out last would keep one core busy while the others wait
            for ok, result in pool.imap(_run, items):
                if not ok:
                    raise WorkbenchError(*result)
                yield result
    finally:
        _job = None
