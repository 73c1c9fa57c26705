"""The length model: how long the Chinese of English prose of a given length is (after Gale & Church)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

# Chinese prose characters per English prose character (Gale & Church's c): 0.316 over the
# whole 143 d2l pairs, 0.317 over the prose passages paired 1:1 (tests/bench/bench_align.py
# prints it). The variance per English character (their s²) and the terms below are set so that
# the paired prose deviates as the model says (median deviation 0.64 standard deviations, 2.2%
# beyond three): no hand alignment was used.
LENGTH_RATIO = 0.317
LENGTH_VARIANCE = 0.11
# ... and the spread of the ratio itself, which grows with length faster than Gale & Church's
# model: a long paragraph gains or loses whole sentences in translation.
LENGTH_SPREAD = 0.033
# ... and a floor under the variance, for a line of a few words. (A higher floor helps lines
# between formulas, "For all" / "对于所有…都有", but lets short Chinese-only remarks join their
# neighbours: on the d2l pairs it did more harm than good.)
LENGTH_FLOOR = 4.0
# A share of paragraphs is rewritten rather than translated; their lengths follow a normal
# law this many times broader.
LENGTH_REWRITTEN = 0.05
LENGTH_TAIL = 5.0


def length_cost(le: float, lz: float) -> float:
    """Minus log probability of Chinese prose of length lz for English prose of length le:
    Gale & Church's normal model, with a broad tail for the paragraphs translators rewrite
    (condense to one line, or expand with remarks of their own)."""
    return _minus_log_p(abs(lz - le * LENGTH_RATIO) / length_sd(le), math.erfc, math.log, max)


def length_costs(le: npt.NDArray[np.float64], lz: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """length_cost for many pairs of lengths at once (the same floats)."""
    sd = _each(length_sd)(le).astype(float)
    return _minus_log_p(np.abs(lz - le * LENGTH_RATIO) / sd, lambda x: _each(math.erfc)(x).astype(float),
                        np.log, np.maximum)


def _minus_log_p(delta: Any, erfc: Callable[[Any], Any], log: Callable[[Any], Any],
                 maximum: Callable[[Any, float], Any]) -> Any:
    """The model's minus log probability of a deviation of delta standard deviations (a float or
    an array: given the functions for it)."""
    p = (1 - LENGTH_REWRITTEN) * erfc(delta / math.sqrt(2)) + LENGTH_REWRITTEN * erfc(
        delta / (LENGTH_TAIL * math.sqrt(2)))
    return -log(maximum(p, 1e-12))


def _each(fn: Callable[[float], float]) -> Any:
    """fn over an array, element by element (numpy has no erfc; length_sd is remembered per length)."""
    return np.frompyfunc(fn, 1, 1)


@functools.lru_cache(maxsize=1 << 14)  # the same English lengths come back for every bead they are in
def length_sd(le: float) -> float:
    """Standard deviation of the Chinese length of English prose of length le."""
    return math.sqrt(max(le, 1.0) * LENGTH_VARIANCE + (LENGTH_SPREAD * le) ** 2 + LENGTH_FLOOR)

