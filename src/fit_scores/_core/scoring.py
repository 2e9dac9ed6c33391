r"""Scoring of instruments with subscales on typed columns, exact, vectorised over rows.

The kernel of :mod:`fit_scores.instruments`, and the part of the rules layer
for instruments that a :class:`~fit_scores.Scale` cannot describe (items in
different response ranges, several subscales, conversion tables, profiles).
It works on a :class:`ScoringPlan` (plain arrays built from an
:class:`~fit_scores.scales.instrument.Instrument` by
:func:`fit_scores.instruments.scoring_plan`) and on typed item columns:

1. :func:`check_items`: every given item must be a whole response code in its
   range (``ItemRangeError``, ``ItemResolutionError``); gives the item codes
   and which are answered.
2. :func:`score_subscales`: for every subscale, reverse-keyed items recoded
   ``min + max - x`` within their range, then

   * ``sum``: :math:`S = \sum_{i \in A} x_i`; with proration and
     :math:`|A| < m` answered of the :math:`m` items,
     :math:`S = \frac{m}{|A|} \sum_{i \in A} x_i` (the item mean times
     :math:`m`; Schwarzer's GSE rule "no more than three items missing" is
     ``min_answered=7`` of 10);
   * ``mean``: :math:`\bar x = \frac{1}{|A|} \sum_{i \in A} x_i`;
   * ``table``: the complete raw sum looked up in the user's table;
   * ``profile``: the item levels read as digits (EQ-5D state ``11111``),
     looked up in the user's value set.

   Sums and means are exact fractions ``num / den`` of whole response codes
   (``den`` 1 for a complete sum), never floats. A subscale with fewer than
   its minimum answered items has no score (``MissingItemsError``).
3. :func:`band_codes`: the band of every exact score against exact lower
   bounds, by integer cross-multiplication.

Every problem is returned as a :class:`Problem` (rows, column, error class,
reasons) in the shape of ``ErrorLog.add`` of :mod:`fit_scores._core.rules`,
so a caller logs them with ``log.add(*problem)``; nothing here raises for bad
values.

References
----------
Schwarzer, R. (2014). Everything you wanted to know about the General
Self-Efficacy Scale but were afraid to ask (FAQ): a score "as long as no more
than three items on the ten-item scale are missing".

KIDSCREEN Group, "evaluation by hand": recode negative items (1<->5, 2<->4),
sum per scale, then convert with the manual's tables.

Examples
--------
Two GSE answers (10 items, 1-4, at least 7 answered, prorated sum):

>>> import numpy as np
>>> plan = ScoringPlan(
...     key="GSE", item_keys=tuple(f"gse10_{i:02d}" for i in range(1, 11)),
...     item_min=np.ones(10, dtype=np.int64), item_max=np.full(10, 4, dtype=np.int64),
...     reverse=np.zeros(10, dtype=bool), subscale_keys=("total",),
...     members=np.ones((1, 10), dtype=bool), methods=("sum",),
...     min_answered=np.array([7]), prorate=np.array([True]), tables=(None,))
>>> values = np.array([[3.0] * 7 + [0.0] * 3, [1, 2, 3, 4, 1, 2, 3, 4, 1, 2]])
>>> present = np.array([[True] * 7 + [False] * 3, [True] * 10])
>>> codes, answered, problems = check_items(plan, values, present)
>>> out = score_subscales(plan, codes, answered)
>>> out.num[:, 0].tolist(), out.den[:, 0].tolist()
([30, 23], [1, 1])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from fit_scores._core import ticks as _ticks
from fit_scores._core.text import cat
from fit_scores.errors import (
    FitScoresError,
    ItemRangeError,
    ItemResolutionError,
    MissingItemsError,
)

__all__ = [
    "Problem",
    "ScoringPlan",
    "SubscaleScores",
    "band_codes",
    "check_items",
    "recode_reverse",
    "score_subscales",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
Method = Literal["sum", "mean", "table", "profile"]

# response codes are small; anything at or beyond this is out of every range
_CODE_LIMIT = 2.0**40


class Problem(NamedTuple):
    """A broken rule on some rows: the arguments of ``ErrorLog.add``."""

    rows: IntArray
    column: str
    error: type[FitScoresError]
    reasons: npt.NDArray[np.object_]


@dataclass(frozen=True, eq=False)
class ScoringPlan:
    """An instrument's scoring as arrays (``k`` items, ``s`` subscales).

    Attributes
    ----------
    key : str
        The instrument key (for messages).
    item_keys : tuple of str
        Item keys in column order.
    item_min, item_max : ndarray of int, shape (k,)
        The response range of every item.
    reverse : ndarray of bool, shape (k,)
        Reverse-keyed items.
    subscale_keys : tuple of str
        Subscale keys.
    members : ndarray of bool, shape (s, k)
        Which items each subscale scores.
    methods : tuple of {"sum", "mean", "table", "profile"}
        The scoring of each subscale.
    min_answered : ndarray of int, shape (s,)
        Fewest answered items for a score.
    prorate : ndarray of bool, shape (s,)
        Prorated sums.
    tables : tuple of (raw, value) or None
        The conversion table of ``table``/``profile`` subscales (raw scores
        increasing); ``None`` elsewhere.
    """

    key: str
    item_keys: tuple[str, ...]
    item_min: IntArray
    item_max: IntArray
    reverse: BoolArray
    subscale_keys: tuple[str, ...]
    members: BoolArray
    methods: tuple[Method, ...]
    min_answered: IntArray
    prorate: BoolArray
    tables: tuple[tuple[IntArray, FloatArray] | None, ...]


@dataclass(frozen=True, eq=False)
class SubscaleScores:
    """What :func:`score_subscales` gives for ``n`` rows and ``s`` subscales.

    Attributes
    ----------
    num, den : ndarray of int, shape (n, s)
        The exact raw score is ``num / den`` (lowest terms); ``0 / 0`` where
        not scored. For ``profile`` subscales ``num`` is the state code.
    scored : ndarray of bool, shape (n, s)
        Which scores exist.
    answered : ndarray of int, shape (n, s)
        Answered items of every subscale.
    converted : ndarray of float, shape (n, s)
        The table value of ``table``/``profile`` subscales where scored; 0
        elsewhere (read it only where ``scored`` and the method has a table).
    problems : list of Problem
        Subscales without a score for too few answered items.
    """

    num: IntArray
    den: IntArray
    scored: BoolArray
    answered: IntArray
    converted: FloatArray
    problems: list[Problem]


def _reasons(text: str, n: int) -> npt.NDArray[np.object_]:
    return np.full(n, text, dtype=object)


def recode_reverse(codes: IntArray, item_min: IntArray, item_max: IntArray) -> IntArray:
    """Reverse-keyed codes: ``min + max - x`` within each item's range.

    Examples
    --------
    >>> recode_reverse(np.array([1, 2, 3, 4, 5]), np.array(1), np.array(5)).tolist()
    [5, 4, 3, 2, 1]
    """
    out: IntArray = (item_min + item_max - codes).astype(np.int64)
    return out


def check_items(
    plan: ScoringPlan,
    values: npt.ArrayLike,
    present: npt.ArrayLike,
    bad: npt.ArrayLike | None = None,
    item_names: Mapping[int, str] | None = None,
) -> tuple[IntArray, BoolArray, list[Problem]]:
    """Check item columns against the response ranges; whole codes out.

    Parameters
    ----------
    plan : ScoringPlan
        The instrument.
    values : array_like of float, shape (n, k)
        Item values in column order; ignored where not present or bad.
    present : array_like of bool, shape (n, k)
        Items given (answered).
    bad : array_like of bool, shape (n, k), optional
        Items a parser could not read (already reported by it); treated as
        unanswered here and not reported again.
    item_names : mapping of int to str, optional
        Column name of item number ``j`` (from 1, as in ``rules.check_rows``),
        for the report; default the item key.

    Returns
    -------
    codes : ndarray of int, shape (n, k)
        The response codes (0 where not answered or invalid).
    answered : ndarray of bool, shape (n, k)
        Items answered with a valid code.
    problems : list of Problem
        Codes outside the item's range, or not whole numbers.
    """
    vals = np.asarray(values, dtype=np.float64)
    pres = np.asarray(present, dtype=bool)
    k = vals.shape[1]
    if k != len(plan.item_keys) or pres.shape != vals.shape:
        raise ValueError(
            f"{plan.key}: expected {len(plan.item_keys)} item columns, got shape {vals.shape}"
        )
    given = pres if bad is None else pres & ~np.asarray(bad, dtype=bool)
    finite = np.isfinite(vals) & (np.abs(vals) < _CODE_LIMIT)
    safe = np.where(given & finite, vals, 0.0)
    # response codes are whole numbers, exactly representable: no grid tolerance needed
    rounded = np.rint(safe)
    whole = rounded == safe
    codes = rounded.astype(np.int64)
    lo = plan.item_min[np.newaxis, :]
    hi = plan.item_max[np.newaxis, :]
    outside = given & (~finite | (codes < lo) | (codes > hi))
    fraction = given & ~outside & ~whole
    problems: list[Problem] = []
    for j in np.flatnonzero(outside.any(axis=0) | fraction.any(axis=0)):
        key = plan.item_keys[j]
        name = key if item_names is None else item_names.get(int(j) + 1, key)
        rng = f"{int(plan.item_min[j])}-{int(plan.item_max[j])}"
        rows = np.flatnonzero(outside[:, j])
        if rows.size:
            problems.append(
                Problem(
                    rows,
                    name,
                    ItemRangeError,
                    cat(f"{name} = ", vals[rows, j], f" is outside the response range {rng} of "
                        f"{plan.key}"),
                )
            )  # fmt: skip
        rows = np.flatnonzero(fraction[:, j])
        if rows.size:
            problems.append(
                Problem(
                    rows,
                    name,
                    ItemResolutionError,
                    cat(
                        f"{name} = ", vals[rows, j], f" is not a whole response code of {plan.key}"
                    ),
                )
            )
    answered = given & ~outside & ~fraction
    out: IntArray = np.where(answered, codes, 0)
    return out, answered, problems


def score_subscales(
    plan: ScoringPlan, codes: npt.ArrayLike, answered: npt.ArrayLike
) -> SubscaleScores:
    """Exact subscale scores of rows of response codes (see the module notes for formulas).

    Parameters
    ----------
    plan : ScoringPlan
        The instrument. ``table``/``profile`` subscales must have a table
        (the caller raises for a missing one before scoring).
    codes : array_like of int, shape (n, k)
        Response codes as given (before reverse keying); ignored where not answered.
    answered : array_like of bool, shape (n, k)
        Items answered with a valid code.

    Returns
    -------
    SubscaleScores

    Notes
    -----
    Rows with an invalid item (a problem of :func:`check_items`) are scored
    from their valid items like any other; the caller rejects them, as the
    rules layer does with a row that has any logged problem.
    """
    raw = np.asarray(codes, dtype=np.int64)
    ans = np.asarray(answered, dtype=bool)
    n = raw.shape[0]
    s = len(plan.subscale_keys)
    keyed = raw
    if plan.reverse.any():
        keyed = np.where(plan.reverse, recode_reverse(raw, plan.item_min, plan.item_max), raw)
    keyed = np.where(ans, keyed, 0)
    num = np.zeros((n, s), dtype=np.int64)
    den = np.zeros((n, s), dtype=np.int64)
    scored = np.zeros((n, s), dtype=bool)
    n_answered = np.zeros((n, s), dtype=np.int64)
    converted = np.zeros((n, s), dtype=np.float64)
    problems: list[Problem] = []
    for j, key in enumerate(plan.subscale_keys):
        cols = np.flatnonzero(plan.members[j])
        m = cols.size
        count = ans[:, cols].sum(axis=1, dtype=np.int64)
        n_answered[:, j] = count
        enough = count >= plan.min_answered[j]
        short = np.flatnonzero(~enough)
        if short.size:
            need = int(plan.min_answered[j])
            problems.append(
                Problem(
                    short,
                    key,
                    MissingItemsError,
                    cat(
                        count[short],
                        f" of {m} items of subscale {key} answered; {plan.key} needs at "
                        f"least {need}",
                    ),
                )
            )
        total = keyed[:, cols].sum(axis=1, dtype=np.int64)
        method = plan.methods[j]
        if method == "mean":
            a, b = total, np.maximum(count, 1)
        elif method == "sum" and plan.prorate[j]:
            a, b = total * m, np.maximum(count, 1)
        elif method == "profile":
            weights = 10 ** np.arange(m - 1, -1, -1, dtype=np.int64)
            a, b = (raw[:, cols] * weights).sum(axis=1, dtype=np.int64), np.ones(n, np.int64)
        else:
            a, b = total, np.ones(n, dtype=np.int64)
        divisor = np.gcd(a, b)
        divisor = np.where(divisor == 0, 1, divisor)
        num[:, j] = np.where(enough, a // divisor, 0)
        den[:, j] = np.where(enough, b // divisor, 0)
        scored[:, j] = enough
        table = plan.tables[j]
        if method in ("table", "profile") and table is not None:
            keys, values = table
            where = np.clip(np.searchsorted(keys, num[:, j]), 0, keys.size - 1)
            found = enough & (keys[where] == num[:, j])
            # a validated table covers every possible raw score; a hole is a plan bug
            if bool((enough & ~found).any()):
                raise ValueError(f"{plan.key}: the table of {key} misses a raw score")
            converted[:, j] = np.where(found, values[where], 0.0)
    return SubscaleScores(num, den, scored, n_answered, converted, problems)


def band_codes(
    num: npt.ArrayLike,
    den: npt.ArrayLike,
    lower_num: Sequence[int],
    lower_den: Sequence[int],
) -> IntArray:
    """The band of exact scores ``num / den``: the last band whose lower bound is <= the score.

    Lower bounds are exact fractions, increasing; a score below the first
    bound gets -1 (callers check ranges first).

    Examples
    --------
    >>> band_codes([0, 5, 6, 8, 9, 10], 1, [0, 6, 9], [1, 1, 1]).tolist()
    [0, 0, 1, 1, 2, 2]
    >>> band_codes([11, 17], [2, 3], [0, 6], [1, 1]).tolist()   # 5.5 and 5.67
    [0, 0]
    """
    a = np.asarray(num, dtype=np.int64)
    b = np.broadcast_to(np.asarray(den, dtype=np.int64), a.shape)
    code = np.full(a.shape, -1, dtype=np.int64)
    for i, (ln, ld) in enumerate(zip(lower_num, lower_den, strict=True)):
        at_or_above = _ticks.compare_fractions(a, b, ln, ld) >= 0
        code = np.where(at_or_above, i, code)
    return code
