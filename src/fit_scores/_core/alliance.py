"""Vectorised alliance-signal rules over one track's totals and items, in exact ticks."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from fit_scores._core.ticks import compare_fractions

__all__ = ["ceiling_runs", "drops", "items_below"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def drops(
    num: IntArray, den: IntArray, drop_num: int, drop_den: int, *, direction: int
) -> BoolArray:
    """Whether each total is at least ``drop`` worse than the previous one (first: False).

    Examples
    --------
    >>> drops(np.array([380, 370, 369, 372]), np.ones(4, dtype=np.int64), 10, 1,
    ...       direction=1).tolist()
    [False, True, False, False]
    """
    out = np.zeros(num.shape, dtype=bool)
    if num.size < 2:
        return out
    # difference of consecutive fractions, oriented so that negative is worse
    diff_num = direction * (num[1:] * den[:-1] - num[:-1] * den[1:])
    diff_den = den[1:] * den[:-1]
    out[1:] = compare_fractions(diff_num, diff_den, -drop_num, drop_den) <= 0
    return out


def items_below(
    item_ticks: IntArray, answered: BoolArray, threshold: int, *, direction: int
) -> BoolArray:
    """Whether any answered item is worse than ``threshold`` ticks (strictly).

    Examples
    --------
    >>> items_below(np.array([[90, 74], [90, 75]]), np.ones((2, 2), dtype=bool), 75,
    ...             direction=1).tolist()
    [True, False]
    """
    worse = direction * (item_ticks - threshold) < 0
    flagged: BoolArray = np.asarray((worse & answered).any(axis=1), dtype=bool)
    return flagged


def ceiling_runs(at_max: BoolArray, repeats: int) -> BoolArray:
    """Whether each position ends a run of at least ``repeats`` maximum scores.

    Examples
    --------
    >>> ceiling_runs(np.array([True, True, False, True, True, True]), 2).tolist()
    [False, True, False, False, True, True]
    """
    # length of the current run of True values, without a Python loop
    idx = np.arange(at_max.size)
    last_false = np.maximum.accumulate(np.where(~at_max, idx, -1)) if at_max.size else idx
    run = np.where(at_max, idx - last_false, 0)
    flagged: BoolArray = np.asarray(run >= repeats, dtype=bool)
    return flagged
