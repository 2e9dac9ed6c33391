"""Exact scores as integer ticks of a scale's resolution.

A score on a 0-10 visual-analogue line measured to the millimetre is held as
an integer number of 0.1 steps ("ticks"). Totals of complete sum-scored forms
are then integers, and every comparison with a cutoff or a change criterion is
an integer comparison, so floating-point error can never decide a threshold.

Mean scoring and proration give totals that are ratios of integers; they are
held as a numerator and a denominator (both in ticks) and compared by exact
cross-multiplication.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "GRID_TOLERANCE",
    "compare_fractions",
    "exact_decimal",
    "is_clinical",
    "meets_threshold",
    "score_totals",
    "threshold_ticks",
    "to_ticks",
]

#: Largest distance from the nearest tick, relative to the value in ticks (and
#: absolute below one tick), that is still read as lying on the grid. It
#: absorbs binary representation error only (0.7 * 10 = 7.000000000000001 is
#: off by about 1e-16 relative); a value further off the grid, such as
#: 8.100000001, is rejected, never rounded.
GRID_TOLERANCE = 1e-12

Scoring = Literal["sum", "mean"]

# Operands below 2**31 keep every cross product below 2**62, inside int64.
_SAFE_FACTOR = 2**31

# Nearest ticks are held within +-2**52 so that they convert to int64 exactly; any score
# that large is outside every scale's range and is rejected as such.
_TICK_LIMIT = float(2**52)

#: Largest denominator of a computed (irrational) threshold in ticks; the
#: rational approximation is within about 1e-12 ticks of the computed value.
_MAX_THRESHOLD_DENOMINATOR = 10**6


def to_ticks(
    values: npt.ArrayLike, ticks_per_unit: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Convert finite scores to integer ticks.

    Parameters
    ----------
    values : array_like of float
        Finite scores in scale units.
    ticks_per_unit : int
        Number of ticks in one scale unit (10 for a 0.1 resolution).

    Returns
    -------
    ticks : ndarray of int64
        The nearest tick of every value.
    on_grid : ndarray of bool
        Whether the value lies on the tick grid (within :data:`GRID_TOLERANCE`).

    Examples
    --------
    >>> ticks, ok = to_ticks([0.7, 8.1, 7.5, 8.7], 10)
    >>> ticks.tolist(), int(ticks.sum()), bool(ok.all())
    ([7, 81, 75, 87], 250, True)
    >>> to_ticks([8.15], 10)[1].tolist()
    [False]
    """
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = np.asarray(values, dtype=np.float64) * ticks_per_unit
        nearest = np.rint(scaled)
        on_grid = np.abs(scaled - nearest) <= GRID_TOLERANCE * np.maximum(1.0, np.abs(scaled))
    # absurdly large values (1e300, inf) stay far outside any range instead of overflowing
    # int64; NaN (not a score: callers pass finite values) becomes 0, off the grid
    within = np.abs(nearest) < _TICK_LIMIT
    if within.all():  # (the usual case: no NaN, nothing absurdly large)
        return nearest.astype(np.int64), on_grid
    bounded = np.clip(nearest, -_TICK_LIMIT, _TICK_LIMIT)
    bounded[np.isnan(nearest)] = 0.0
    return bounded.astype(np.int64), on_grid & within


def score_totals(
    item_ticks: npt.NDArray[np.int64],
    answered: npt.NDArray[np.bool_],
    *,
    item_min: int,
    item_max: int,
    reverse: npt.NDArray[np.bool_],
    scoring: Scoring,
    prorate: bool,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Exact totals of rows of item ticks as numerator / denominator.

    Parameters
    ----------
    item_ticks : ndarray of int64, shape (n, k)
        Item scores in ticks; entries of unanswered items are ignored.
    answered : ndarray of bool, shape (n, k)
        Which items are answered. Every row must have at least one answer.
    item_min, item_max : int
        Item range in ticks, used for reverse scoring.
    reverse : ndarray of bool, shape (k,)
        Items scored in reverse (``item_min + item_max - x``).
    scoring : {"sum", "mean"}
        Sum or mean of the (reverse-scored) items.
    prorate : bool
        For sum scoring with unanswered items: scale the sum of the answered
        items up to the full number of items (``sum * k / answered``).

    Returns
    -------
    numerator, denominator : ndarray of int64, shape (n,)
        The exact total in ticks is ``numerator / denominator``; the fraction
        is in lowest terms and the denominator is positive.

    Examples
    --------
    >>> t = np.array([[7, 81, 75, 87]])
    >>> a = np.ones((1, 4), dtype=bool)
    >>> r = np.zeros(4, dtype=bool)
    >>> num, den = score_totals(t, a, item_min=0, item_max=100, reverse=r,
    ...                         scoring="sum", prorate=False)
    >>> num.tolist(), den.tolist()
    ([250], [1])
    """
    ticks = np.where(reverse, item_min + item_max - item_ticks, item_ticks)
    ticks = np.where(answered, ticks, 0)
    sums = ticks.sum(axis=1, dtype=np.int64)
    n_answered = answered.sum(axis=1, dtype=np.int64)
    n_items = item_ticks.shape[1]
    if scoring == "mean":
        num, den = sums, n_answered
    elif prorate:
        num, den = sums * n_items, n_answered
    else:
        num, den = sums, np.ones_like(sums)
    divisor = np.gcd(num, den)
    divisor = np.where(divisor == 0, 1, divisor)
    return num // divisor, den // divisor


def compare_fractions(
    num: npt.ArrayLike, den: npt.ArrayLike, other_num: npt.ArrayLike, other_den: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """Exact sign of ``num/den - other_num/other_den`` for positive denominators.

    Examples
    --------
    >>> compare_fractions([250, 249, 251], 1, 250, 1).tolist()
    [0, -1, 1]
    >>> compare_fractions(7, 3, 233, 100).tolist()   # 7/3 > 2.33
    1
    """
    parts = [np.asarray(x, dtype=np.int64) for x in (num, den, other_num, other_den)]
    if max(int(np.abs(p).max(initial=0)) for p in parts) >= _SAFE_FACTOR:
        # products could overflow int64: fall back to exact Python integers
        parts = [p.astype(object) for p in parts]
    a, b, c, d = parts
    sign: npt.NDArray[np.int64] = np.sign(a * d - c * b).astype(np.int64)
    return sign


def exact_decimal(value: float | int) -> Fraction:
    """The exact decimal a person meant by a float, as a :class:`~fractions.Fraction`.

    ``repr`` of a float is the shortest decimal that reads back as the same
    float, so ``0.7`` gives ``7/10`` rather than the binary approximation.
    Used for thresholds written in scale definitions (cutoffs, criteria).

    Examples
    --------
    >>> exact_decimal(0.7)
    Fraction(7, 10)
    >>> exact_decimal(25)
    Fraction(25, 1)
    """
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(float(value)))


def is_clinical(
    num: npt.ArrayLike,
    den: npt.ArrayLike,
    cutoff_num: int,
    cutoff_den: int,
    *,
    higher_is_better: bool,
    at_cutoff_clinical: bool,
) -> npt.NDArray[np.bool_]:
    """Exact caseness of totals ``num/den`` against a cutoff ``cutoff_num/cutoff_den``.

    A total on the worse side of the cutoff is clinical, one on the better side
    is not, and a total exactly at the cutoff is clinical only if
    ``at_cutoff_clinical``.

    Examples
    --------
    >>> is_clinical([249, 250, 251], 1, 250, 1, higher_is_better=True,
    ...             at_cutoff_clinical=False).tolist()
    [True, False, False]
    """
    side = compare_fractions(num, den, cutoff_num, cutoff_den)
    if not higher_is_better:
        side = -side
    clinical: npt.NDArray[np.bool_] = (side < 0) | ((side == 0) & at_cutoff_clinical)
    return clinical


def meets_threshold(
    num: npt.ArrayLike,
    den: npt.ArrayLike,
    threshold_num: int,
    threshold_den: int,
    *,
    inclusive: bool,
) -> npt.NDArray[np.bool_]:
    """Exact test of ``|num/den| >= threshold`` (inclusive) or ``> threshold`` (strict).

    Examples
    --------
    >>> meets_threshold([-50, 49, 50, 51], 1, 50, 1, inclusive=True).tolist()
    [True, False, True, True]
    >>> meets_threshold([50], 1, 50, 1, inclusive=False).tolist()
    [False]
    """
    side = compare_fractions(
        np.abs(np.asarray(num, dtype=np.int64)), den, threshold_num, threshold_den
    )
    return side >= 0 if inclusive else side > 0


def threshold_ticks(value: float, ticks_per_unit: int) -> Fraction:
    """A threshold in ticks as an exact fraction.

    Thresholds written as decimals (cutoff ``25``, criterion ``5``) are taken
    as the decimal that was meant. A computed threshold (for example
    ``1.96 * sd * sqrt(2 * (1 - r))``) that lies within :data:`GRID_TOLERANCE`
    of a whole tick is taken as that tick, so binary rounding of the
    computation cannot move a decision across it. Any other computed threshold
    is kept as the nearest fraction with a denominator of at most a million,
    within about 1e-12 ticks of the computed value.

    Examples
    --------
    >>> threshold_ticks(25, 10)
    Fraction(250, 1)
    >>> threshold_ticks(4.999999999999999, 10)
    Fraction(50, 1)
    """
    exact = exact_decimal(value) * ticks_per_unit
    nearest = round(exact)
    if abs(exact - nearest) <= GRID_TOLERANCE * max(1, abs(nearest)):
        return Fraction(nearest)
    if exact.denominator > _MAX_THRESHOLD_DENOMINATOR:
        # a computed threshold (e.g. 49.87...): keep it a small exact fraction
        return exact.limit_denominator(_MAX_THRESHOLD_DENOMINATOR)
    return exact
