"""The rules of an administration and of a track, on typed columns: the one validator.

Every rule that a score table applies to its rows lives here, once, and runs on
plain numpy columns: a date must be given; a session number is 1 or more; an
age is 0-130 years, agrees with the birth date and lies within the scale's
ages (an age derived from the birth date is checked the same way); items lie
in the item range and on the resolution grid, enough of them are answered, a
total given with the items equals their total and a total given alone lies in
the total range and on its grid (all exact in integer ticks); the rater is
allowed by the scale; the rater id of a self-rating is the person or empty;
a date lies on or before the day of the check (``as_of``) and not before the
birth date. The rules of a track (duplicates, session order) are in
:mod:`fit_scores._core.track_rules`, the rules of an identifier in
:func:`fit_scores._core.text.check_identifiers`.

This is the validator of both paths: the batch readers
(:mod:`fit_scores.io`) parse any container (arrays, records, CSV text) into
:class:`RowColumns` a chunk of rows at a time, and a single record is a
:class:`RowColumns` of one row. :func:`check_rows` turns typed columns into
exact scores (:class:`RowScores`) and logs every broken rule in an
:class:`ErrorLog` (row, column, error class, reason), which the table turns
into its per-row error report. Nothing here reads raw containers or text
(that is :mod:`fit_scores.io`), and nothing raises for bad values: every
problem is a logged entry and the row is rejected.

Examples
--------
Two rows of the ORS with a date, an age and four items (typed already); the
second has an item out of range:

>>> import numpy as np
>>> from fit_scores.scales.registry import default_registry
>>> ors = default_registry().get("ORS")
>>> no = np.zeros(2, dtype=bool)
>>> cols = RowColumns(
...     scale_index=np.array([0, 0]),
...     rater_code=np.array([0, 0], dtype=np.int8),
...     rater_ok=~no,
...     date=(np.array([20098, 20129]), no, no),
...     age=(np.array([15, 15]), no, no),
...     item_values=np.array([[0.7, 8.1, 7.5, 8.7], [0.7, 8.1, 7.5, 10.5]]),
...     item_present=np.ones((2, 4), dtype=bool),
...     item_bad=np.zeros((2, 4), dtype=bool),
... )
>>> out = RowScores.allocate(2, 4, birth=False, wide=False)
>>> log = ErrorLog()
>>> check_rows(cols, [ors], {j: f"item_{j}" for j in range(1, 5)}, out, log)
>>> out.num[0], out.den[0]  # 25.0 in ticks of 0.1
(np.int64(250), np.int64(1))
>>> rows, columns, errors, reasons = log.entries(["item_4"])
>>> rows.tolist(), columns.tolist(), errors.tolist()
([1], ['item_4'], ['ItemRangeError'])
>>> reasons[0]
'item_4 (overall) = 10.5 is outside the item range 0-10 of ORS'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from fit_scores._core import ticks as _ticks
from fit_scores._core.calendar import civil
from fit_scores._core.errorlog import ErrorLog
from fit_scores._core.text import cat, iso_dates, reprs, required
from fit_scores.errors import (
    AgeError,
    DateError,
    FieldError,
    ItemCountError,
    ItemRangeError,
    ItemResolutionError,
    MissingItemsError,
    RaterError,
    ScoreError,
    TotalMismatchError,
    TotalRangeError,
)
from fit_scores.scales.model import Scale

__all__ = [
    "MAX_AGE",
    "NO_DAY",
    "RATERS",
    "CodedText",
    "ErrorLog",
    "RowColumns",
    "RowScores",
    "before_birth",
    "check_dates",
    "check_rows",
    "check_self_rater",
    "log_unknown_raters",
    "rater_code",
    "rater_codes",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]
AnyArray = npt.NDArray[Any]

#: Raters, in code order (a rater code is an index into this tuple).
RATERS: tuple[str, ...] = ("self", "caretaker", "collateral")
#: The oldest age accepted, in completed years.
MAX_AGE = 130
#: The day number that stands for "no date" (a missing or invalid birth date).
NO_DAY = int(np.iinfo(np.int64).min)

#: Whole numbers: values, missing, bad (the cells a parser could not read, already logged).
IntCells = tuple[IntArray, BoolArray, BoolArray]
#: Numbers: values, missing, bad (the cells a parser could not read, already logged).
FloatCells = tuple[FloatArray, BoolArray, BoolArray]


# --- typed columns in, scores out -----------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RowColumns:
    """The typed columns of a chunk of ``m`` rows: what :func:`check_rows` validates.

    A parser (:func:`fit_scores.io.columns.parse_row_columns` for the batch
    readers) fills it from any container and logs the cells it cannot read;
    such a cell is *bad* here, and no rule looks at it again. A column that
    was not given at all is ``None``.

    Attributes
    ----------
    scale_index : ndarray of int, shape (m,)
        Index of every row's scale in the ``scales`` given to
        :func:`check_rows`; -1 where the scale is unknown or missing (no
        scale rules then).
    rater_code : ndarray of int8, shape (m,)
        The rater as an index into :data:`RATERS`.
    rater_ok : ndarray of bool, shape (m,)
        Rows whose rater was read (the scale's raters are checked only there).
    date : (days, missing, bad)
        Dates in days since 1970-01-01, and which are missing or bad.
    item_values : ndarray of float, shape (m, k)
        Item scores by item number (column ``j`` is item ``j + 1``); 0 where
        missing or bad.
    item_present : ndarray of bool, shape (m, k)
        Items given (bad ones included).
    item_bad : ndarray of bool, shape (m, k)
        Items given but unreadable.
    session, age : (values, missing, bad), optional
        Session numbers and ages in completed years, as whole numbers.
    birth_date : (days, missing, bad), optional
        Birth dates in days since 1970-01-01.
    total : (values, missing, bad), optional
        Totals.
    skip : ndarray of bool, optional
        Meetings where the form was not filled in.
    """

    scale_index: IntArray
    rater_code: npt.NDArray[np.int8]
    rater_ok: BoolArray
    date: IntCells
    item_values: FloatArray
    item_present: BoolArray
    item_bad: BoolArray
    session: IntCells | None = None
    age: IntCells | None = None
    birth_date: IntCells | None = None
    total: FloatCells | None = None
    skip: BoolArray | None = None


@dataclass
class RowScores:
    """What :func:`check_rows` gives for every row (items column-major).

    Values of rejected rows are not meaningful. :meth:`window` gives views
    of a range of rows, so that one allocation serves every chunk.

    Attributes
    ----------
    days : ndarray of int
        Date in days since 1970-01-01.
    session : ndarray of int
        Session number; 0 where none was given.
    age : ndarray of int
        Age in completed years (given or derived from the birth date); -1 if
        unknown.
    birth : ndarray of int or None
        Birth date in days since 1970 (:data:`NO_DAY` where missing or
        invalid); ``None`` without a birth-date column.
    skip : ndarray of bool
        Meetings where the form was not filled in (must start false: without
        a skip column :func:`check_rows` leaves it as it is).
    has_items : ndarray of bool
        Rows scored from items.
    num, den : ndarray of int
        The exact total in ticks is ``num / den``; ``0 / 0`` without a score.
    ticks : ndarray of int, shape (n, k)
        Item scores in ticks of the row's scale; 0 where unanswered.
    answered : ndarray of bool, shape (n, k)
        Which items are answered.
    """

    days: IntArray
    session: IntArray
    age: IntArray
    birth: IntArray | None
    skip: BoolArray
    has_items: BoolArray
    num: IntArray
    den: IntArray
    ticks: AnyArray
    answered: BoolArray

    @classmethod
    def allocate(cls, n: int, k: int, *, birth: bool, wide: bool) -> RowScores:
        """Room for ``n`` rows of ``k`` items (int64 item ticks if ``wide``, else int32)."""
        return cls(
            days=np.zeros(n, dtype=np.int64),
            session=np.zeros(n, dtype=np.int64),
            age=np.full(n, -1, dtype=np.int64),
            birth=np.full(n, NO_DAY, dtype=np.int64) if birth else None,
            skip=np.zeros(n, dtype=bool),
            has_items=np.zeros(n, dtype=bool),
            num=np.zeros(n, dtype=np.int64),
            den=np.zeros(n, dtype=np.int64),
            ticks=np.zeros((n, k), dtype=np.int64 if wide else np.int32, order="F"),
            answered=np.zeros((n, k), dtype=bool, order="F"),
        )

    def window(self, part: slice) -> RowScores:
        """Views of the rows in ``part`` (writing to them writes here)."""
        return RowScores(
            days=self.days[part],
            session=self.session[part],
            age=self.age[part],
            birth=None if self.birth is None else self.birth[part],
            skip=self.skip[part],
            has_items=self.has_items[part],
            num=self.num[part],
            den=self.den[part],
            ticks=self.ticks[part],
            answered=self.answered[part],
        )


#: Up to this many scales, the rows of every scale are found by a pass each.
_FEW_SCALES = 8


def _rows_per_scale(scale_index: IntArray, n_scales: int) -> list[tuple[int, IntArray]]:
    """The rows of every scale present (a single scale: all rows, without sorting)."""
    if scale_index.size == 0:
        return []
    first = int(scale_index[0])
    if scale_index.size == 1:  # a record
        return [] if first < 0 else [(first, np.zeros(1, dtype=np.int64))]
    if first >= 0 and bool((scale_index == first).all()):
        return [(first, np.arange(scale_index.size, dtype=np.int64))]
    if n_scales <= _FEW_SCALES:  # a pass per scale beats a sort
        found = [(s, np.flatnonzero(scale_index == s)) for s in range(n_scales)]
        return [(s, rows.astype(np.int64, copy=False)) for s, rows in found if rows.size]
    order = np.argsort(scale_index, kind="stable")
    bounds = np.searchsorted(scale_index[order], np.arange(-1, n_scales + 1))
    return [
        (s, order[bounds[s + 1] : bounds[s + 2]].astype(np.int64))
        for s in range(n_scales)
        if bounds[s + 2] > bounds[s + 1]
    ]


def _fmt(value: float) -> str:
    return repr(float(value)) if value != int(value) else str(int(value))


def _any_columns(matrix: BoolArray) -> BoolArray:
    """``matrix.any(axis=1)`` by columns (faster for a handful of columns and many rows)."""
    if matrix.shape[0] <= 64:  # a record or a few rows: one call
        return np.asarray(matrix.any(axis=1), dtype=bool)
    out = np.zeros(matrix.shape[0], dtype=bool)
    for j in range(matrix.shape[1]):
        out |= matrix[:, j]
    return out


def check_rows(
    cols: RowColumns,
    scales: Sequence[Scale],
    item_names: Mapping[int, str],
    out: RowScores,
    log: ErrorLog,
    *,
    as_of: int | None = None,
) -> None:
    """Every rule of a single row, on a chunk of rows: scores into ``out``, problems into ``log``.

    Parameters
    ----------
    cols : RowColumns
        The typed columns of ``m`` rows.
    scales : sequence of Scale
        The scales that ``cols.scale_index`` points into.
    item_names : mapping of int to str
        The column name of item number ``j`` (from 1), for the error report;
        an item without a name is reported as ``item_j``.
    out : RowScores
        ``m`` rows to write the results into (a :meth:`RowScores.window`).
    log : ErrorLog
        Where the problems go, with rows numbered from 0 in the chunk.
    as_of : int, optional
        The day of the check in days since 1970-01-01: a later date is a
        :class:`~fit_scores.errors.DateError` (see :func:`check_dates`).
        ``None`` checks no date against a day (the callers pass today by
        default).
    """
    m = cols.scale_index.size
    k = cols.item_values.shape[1]
    # dates, sessions, ages
    days, day_missing, day_bad = cols.date
    if np.count_nonzero(day_missing):
        log.add(np.flatnonzero(day_missing), "date", FieldError, required("date"))
    out.days[:] = days
    day_ok = ~(day_missing | day_bad)
    if as_of is not None:
        check_dates(days, day_ok, as_of, log)
    if cols.session is not None:
        session, missing, bad = cols.session
        given = ~(missing | bad)
        low = given & (session < 1)
        if np.count_nonzero(low):
            log.add(
                np.flatnonzero(low),
                "session",
                FieldError,
                cat("session = ", session[low], " is not a session number (1, 2, ...)"),
            )
        out.session[:] = np.where(given & ~low, session, 0)
    if cols.age is None:
        age = np.full(m, -1, dtype=np.int64)
    else:
        given_age, missing, bad = cols.age
        given = ~(missing | bad)
        wrong = given & ((given_age < 0) | (given_age > MAX_AGE))
        if np.count_nonzero(wrong):
            log.add(
                np.flatnonzero(wrong),
                "age",
                AgeError,
                cat("age = ", given_age[wrong], f" is outside 0-{MAX_AGE} years"),
            )
        age = np.where(given & ~wrong, given_age, -1)
    from_birth = np.zeros(m, dtype=bool)
    if cols.birth_date is not None and out.birth is not None:
        born, b_missing, b_bad = cols.birth_date
        out.birth[:] = np.where(b_missing | b_bad, NO_DAY, born)
        usable = ~b_missing & ~b_bad & day_ok
        y1, m1, d1 = civil(np.where(usable, born, 0))
        y2, m2, d2 = civil(np.where(usable, days, 0))
        derived = y2 - y1 - ((m2 < m1) | ((m2 == m1) & (d2 < d1)))
        before = usable & (days < born)
        log.add(
            np.flatnonzero(before), "birth_date", AgeError, before_birth(days[before], born[before])
        )
        old = usable & ~before & (derived > MAX_AGE)
        log.add(
            np.flatnonzero(old),
            "birth_date",
            AgeError,
            cat("the age at the date would be ", derived[old], f" (over {MAX_AGE})"),
        )
        usable &= ~before & ~old
        disagree = usable & (age >= 0) & (age != derived)
        log.add(
            np.flatnonzero(disagree),
            "age",
            AgeError,
            cat(
                "age ",
                age[disagree],
                " disagrees with the birth date ",
                iso_dates(born[disagree]),
                " (",
                derived[disagree],
                " years on ",
                iso_dates(days[disagree]),
                ")",
            ),
        )
        from_birth = usable & (age < 0)
        age = np.where(from_birth, derived, age)
    out.age[:] = age

    # scores
    item_values, item_present, item_bad = cols.item_values, cols.item_present, cols.item_bad
    if cols.total is not None:
        total_values, t_missing, total_bad = cols.total
        total_given = ~t_missing
    else:
        total_values = np.zeros(m, dtype=np.float64)
        total_given = np.zeros(m, dtype=bool)
        total_bad = np.zeros(m, dtype=bool)
    skip = cols.skip
    has_items = _any_columns(item_present)
    no_score = ~(has_items | total_given) if skip is None else ~(has_items | total_given | skip)
    if np.count_nonzero(no_score):
        log.add(
            np.flatnonzero(no_score),
            "total",
            ScoreError,
            "no score: give items or total (or both), or mark a form that was not filled in "
            "with skip",
        )
    if skip is None:  # out.skip stays False (RowScores are allocated as zeros)
        scored_items = has_items
    else:
        log.add(
            np.flatnonzero(skip & (has_items | total_given)),
            "skip",
            ScoreError,
            "a skipped form has no scores; clear the items and total, or skip",
        )
        out.skip[:] = skip
        scored_items = has_items & ~skip
    out.has_items[:] = scored_items

    scale_index, rater_code, rater_ok = cols.scale_index, cols.rater_code, cols.rater_ok
    for s, rows in _rows_per_scale(scale_index, len(scales)):
        scale = scales[s]
        _score_scale(
            scale,
            rows,
            k,
            item_names,
            item_values,
            item_present,
            item_bad,
            total_values,
            total_given & ~total_bad,
            scored_items,
            out.num,
            out.den,
            out.ticks,
            out.answered,
            log,
        )
        sel: Any = slice(None) if rows.size == m else rows  # every row: views, no copies
        # the rater must be allowed by the scale
        allowed_codes = [c for c, r in enumerate(RATERS) if r in scale.raters]
        if len(allowed_codes) < len(RATERS):
            allowed = np.isin(rater_code[sel], allowed_codes)
            wrong_rater = rows[rater_ok[sel] & ~allowed]
        else:
            wrong_rater = rows[:0]
        if wrong_rater.size:
            log.add(
                wrong_rater,
                "rater",
                RaterError,
                cat(
                    "rater ",
                    reprs(np.array(RATERS, dtype=object)[rater_code[wrong_rater]]),
                    f" is not allowed for {scale.key}; allowed: {list(scale.raters)}",
                ),
            )
        # the age must be within the scale's ages
        a = age[sel]
        outside = (a >= 0) & (a < scale.min_age)
        if scale.max_age is not None:
            outside |= a > scale.max_age
        if not np.count_nonzero(outside):
            continue
        ages = f"{scale.min_age}+" if scale.max_age is None else f"{scale.min_age}-{scale.max_age}"
        for col_name, derived_age in (("age", False), ("birth_date", True)):
            where = rows[outside & (from_birth[sel] == derived_age)]
            log.add(
                where,
                col_name,
                AgeError,
                cat("age ", age[where], f": {scale.key} is for ages {ages}"),
            )


def _score_scale(
    scale: Scale,
    rows: IntArray,
    k: int,
    item_names: Mapping[int, str],
    item_values: FloatArray,
    item_present: BoolArray,
    item_bad: BoolArray,
    total_values: FloatArray,
    total_ok: BoolArray,
    has_items: BoolArray,
    num: IntArray,
    den: IntArray,
    ticks_all: IntArray,
    answered_all: BoolArray,
    log: ErrorLog,
) -> None:
    """Score the rows of one scale with the rules of Administration (results written in place)."""
    m = scale.n_items
    tpu = scale.ticks_per_unit
    key = scale.key
    whole = rows.size == num.size
    sel: Any = slice(None) if whole else rows
    pres = _take_rows(item_present, sel, k)
    ibad = _take_rows(item_bad, sel, k)
    with_items = has_items[sel]
    given_total = total_ok[sel]
    tv = total_values[sel]
    if np.count_nonzero(with_items):  # rows scored from items (a total-only row skips all of this)
        count_bad = np.zeros(rows.size, dtype=bool)
        for j in range(m, k):
            extra = pres[:, j] & with_items  # (a skipped form is refused as one: see check_rows)
            count_bad |= extra
            log.add(
                rows[extra],
                item_names.get(j + 1, f"item_{j + 1}"),
                ItemCountError,
                f"{key} has {m} items ({', '.join(scale.item_keys)}); item_{j + 1} is one too many",
            )
        mm = min(m, k)
        type_bad = _any_columns(ibad[:, :mm])
        answered = np.zeros((rows.size, m), dtype=bool, order="F")
        # only the items of rows scored from items are checked: a skipped form with items is
        # refused for that alone, whichever other rows share its chunk
        answered[:, :mm] = pres[:, :mm] & ~ibad[:, :mm] & with_items[:, np.newaxis]
        n_answered = np.zeros(rows.size, dtype=np.int64)
        for j in range(mm):
            n_answered += answered[:, j]
        check = with_items & ~type_bad & ~count_bad
        # every item of the scale must be given (unanswered as missing): a form with fewer
        # items is not read as "the last ones unanswered"
        absent = [f"item_{j}" for j in range(1, m + 1) if j not in item_names]
        if absent:
            log.add(
                rows[check],
                "items",
                ItemCountError,
                f"{key} has {m} items ({', '.join(scale.item_keys)}); {', '.join(absent)} "
                f"{'is' if len(absent) == 1 else 'are'} not given: give every item, empty "
                "(None) where unanswered",
            )
            check = np.zeros(rows.size, dtype=bool)
        need = scale.required_answers
        short = check & (n_answered < need)
        # one reason for every count of answers short of the need (0 to need - 1)
        few = np.array(
            [f"{c} of {m} items answered; {key} needs at least {need}" for c in range(need)],
            dtype=object,
        )
        log.add(rows[short], "items", MissingItemsError, few[n_answered[short]])
        # unanswered and invalid items hold 0 (see RowColumns)
        if k >= m:
            values = _take_rows(item_values, sel, m)
        else:
            values = np.zeros((rows.size, m), dtype=np.float64, order="F")
            values[:, :mm] = item_values[sel, :mm]
        # values too large for int64 ticks are out of range whatever the scale
        huge = np.abs(values) >= 2.0**62 / tpu
        any_huge = bool(np.count_nonzero(huge))
        ticks, on_grid = _ticks.to_ticks(np.where(huge, 0.0, values) if any_huge else values, tpu)
        lo, hi = scale.item_tick_range
        out_of_range = answered & ((ticks < lo) | (ticks > hi))
        if any_huge:
            out_of_range |= answered & huge
        off_grid = answered & ~out_of_range & ~on_grid
        for j in range(mm) if np.count_nonzero(out_of_range) or np.count_nonzero(off_grid) else ():
            name = item_names.get(j + 1, f"item_{j + 1}")
            bad_rows = np.flatnonzero(out_of_range[:, j])
            log.add(
                rows[bad_rows],
                name,
                ItemRangeError,
                cat(
                    f"{name} ({scale.item_keys[j]}) = ",
                    values[bad_rows, j],
                    f" is outside the item range {_fmt(scale.item_min)}-"
                    f"{_fmt(scale.item_max)} of {key}",
                ),
            )
            bad_rows = np.flatnonzero(off_grid[:, j])
            log.add(
                rows[bad_rows],
                name,
                ItemResolutionError,
                cat(
                    f"{name} ({scale.item_keys[j]}) = ",
                    values[bad_rows, j],
                    f" is not a multiple of the resolution {_fmt(scale.resolution)} of {key}",
                ),
            )
        items_ok = check & ~short & ~_any_columns(out_of_range) & ~_any_columns(off_grid)
        reverse = np.array(scale.reverse_items, dtype=bool)

        def totals(t: IntArray, a: BoolArray) -> tuple[IntArray, IntArray]:
            return _ticks.score_totals(
                t, a, item_min=lo, item_max=hi, reverse=reverse, scoring=scale.scoring,
                prorate=scale.prorate,
            )  # fmt: skip

        if whole:
            # every row of the chunk: the kernel on all rows (rows without a valid set of items
            # get a meaningless total, which is never stored), then masks
            t_num, t_den = totals(ticks, answered)
            good: Any = slice(None)
        else:
            # the kernel on every row of the scale, as above (no gather of the good rows);
            # 0 / 1 where the items are not a valid set
            good = np.flatnonzero(items_ok)
            t_num, t_den = totals(ticks, answered)
            t_num = np.where(items_ok, t_num, 0)
            t_den = np.where(items_ok, t_den, 1)
        # a total given with the items must equal their total
        both = items_ok & given_total
        if np.count_nonzero(both):
            mismatch = np.flatnonzero(both & ~_same_total(tv, t_num, t_den * tpu))
            with np.errstate(invalid="ignore", divide="ignore"):  # rows without items: 0 / 0
                exact = t_num[mismatch] / (t_den[mismatch] * tpu)
            log.add(
                rows[mismatch],
                "total",
                TotalMismatchError,
                cat(
                    "total = ",
                    tv[mismatch],
                    " does not equal the total of the items (",
                    exact,
                    f") for {key}; give items only, or the exact total",
                ),
            )
        if whole:
            num[:] = np.where(items_ok, t_num, 0)
            den[:] = np.where(items_ok, t_den, 0)
            if mm:
                ticks_all[:, :mm] = np.where(
                    items_ok[:, np.newaxis] & answered[:, :mm], ticks[:, :mm], 0
                )
                answered_all[:, :mm] = items_ok[:, np.newaxis] & answered[:, :mm]
        else:
            target = rows[good]
            num[target] = t_num[good]
            den[target] = t_den[good]
            # item by item over every row of the scale (a row without a valid set of items
            # gets 0 and False, what it holds already): no gather of the good rows
            for j in range(mm):
                kept = items_ok & answered[:, j]
                answered_all[rows, j] = kept
                ticks_all[rows, j] = np.where(kept, ticks[:, j], 0)
    # a total alone: range and grid of the totals
    alone = np.flatnonzero(given_total & ~with_items)
    if alone.size == 0:
        return
    tv_alone = tv[alone]
    outside = (tv_alone < scale.total_min) | (tv_alone > scale.total_max)
    if np.count_nonzero(outside):
        log.add(
            rows[alone[outside]],
            "total",
            TotalRangeError,
            cat(
                "total = ",
                tv_alone[outside],
                f" is outside the total range {_fmt(scale.total_min)}-"
                f"{_fmt(scale.total_max)} of {key}",
            ),
        )
        tv_alone = np.where(outside, 0.0, tv_alone)  # the grid is checked within the range
        inside: Any = ~outside
    else:
        inside = True
    grid = scale.total_ticks_per_unit
    g_ticks, g_ok = _ticks.to_ticks(tv_alone, grid)
    if inside is not True:
        g_ok &= inside
    off = inside & ~g_ok
    if np.count_nonzero(off):
        log.add(
            rows[alone[off]],
            "total",
            ItemResolutionError,
            cat(
                "total = ",
                tv_alone[off],
                f" is not a multiple of the total resolution {_fmt(1 / grid)} of {key}",
            ),
        )
    per = grid // tpu
    if alone.size == rows.size and inside is True and not np.count_nonzero(off):
        # every row of the scale is a valid total alone (a record, a file of totals)
        target, a_num = rows, g_ticks
    else:
        target, a_num = rows[alone[g_ok]], g_ticks[g_ok]
    if per == 1:  # a sum score: the total is a whole number of ticks
        num[target] = a_num
        den[target] = 1
        return
    divisor = np.gcd(a_num, per)
    divisor = np.where(divisor == 0, 1, divisor)
    num[target] = a_num // divisor
    den[target] = per // divisor


def _take_rows(matrix: AnyArray, sel: Any, width: int) -> AnyArray:
    """``matrix[sel, :width]``, column by column (a column-major copy) where ``sel`` picks rows.

    The item matrices are column-major: gathering each column is several
    times faster than gathering rows across them.
    """
    if isinstance(sel, slice):
        return matrix[sel, :width]
    out = np.empty((sel.size, width), dtype=matrix.dtype, order="F")
    for j in range(width):
        np.take(matrix[:, j], sel, out=out[:, j])
    return out


def _same_total(given: FloatArray, num: IntArray, den: IntArray) -> BoolArray:
    """Whether a total given as a number is the exact total ``num / den``, on its tick grid.

    The given total is multiplied by ``den`` and must lie on the integer grid
    (within :data:`~fit_scores._core.ticks.GRID_TOLERANCE`, relative) at
    ``num``: a float sum such as ``0.7 + 8.1 + 7.5 + 8.7`` (24.999999999999996)
    is the total 25, while 24.9 is not. Integers decide, never a float
    comparison with the exact total.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = given * den
        nearest = np.rint(scaled)
        on_grid = np.abs(scaled - nearest) <= _ticks.GRID_TOLERANCE * np.maximum(
            1.0, np.abs(scaled)
        )
    # nearest is a whole number below 2**62 wherever it can equal num (num is int64)
    fits = np.abs(nearest) < 2.0**62
    same = on_grid & fits
    same[same] = nearest[same].astype(np.int64) == num[same]
    return same


def check_dates(days: IntArray, day_ok: BoolArray, as_of: int, log: ErrorLog) -> None:
    """Log a date after the day of the check (``as_of``) as a ``DateError``.

    Parameters
    ----------
    days : ndarray of int
        Dates in days since 1970-01-01.
    day_ok : ndarray of bool
        Rows whose date was read (the others are not checked).
    as_of : int
        The day of the check in days since 1970-01-01 (a caller's default: today).
    log : ErrorLog
        Where a later date is logged (column ``date``).

    Examples
    --------
    >>> import numpy as np
    >>> log = ErrorLog()
    >>> days = np.array([20098, 30000])
    >>> check_dates(days, np.ones(2, dtype=bool), 20454, log)
    >>> log.entries(["date"])[3].tolist()
    ['date 2052-02-20 is after the day of the check (2026-01-01); check the year, or give as_of']
    """
    future = day_ok & (days > as_of)
    if np.count_nonzero(future):
        log.add(
            np.flatnonzero(future),
            "date",
            DateError,
            cat(
                "date ",
                iso_dates(days[future]),
                f" is after the day of the check ({iso_dates(np.array([as_of]))[0]}); "
                "check the year, or give as_of",
            ),
        )


def before_birth(days: IntArray, born: IntArray) -> ObjArray:
    """The reason of an administration dated before the person's birth (one per row).

    Examples
    --------
    >>> import numpy as np
    >>> before_birth(np.array([20098]), np.array([20200])).tolist()
    ['the date 2025-01-10 is before the birth date 2025-04-22']
    """
    return cat("the date ", iso_dates(days), " is before the birth date ", iso_dates(born))


def rater_codes(words: Sequence[str]) -> npt.NDArray[np.int8]:
    """Rater codes (index into :data:`RATERS`) of rater words; -1 for a word that is not one.

    Examples
    --------
    >>> rater_codes(["self", "collateral", "teacher"]).tolist()
    [0, 2, -1]
    """
    return np.array([rater_code(w) for w in words], dtype=np.int8)


def rater_code(word: str) -> int:
    """The rater code (index into :data:`RATERS`) of one rater word; -1 if it is not one.

    Examples
    --------
    >>> rater_code("caretaker"), rater_code("teacher")
    (1, -1)
    """
    return RATERS.index(word) if word in RATERS else -1


def log_unknown_raters(rows: IntArray, words: ObjArray, log: ErrorLog) -> None:
    """Log rows whose rater is not a rater word (``words``: the values given, per row)."""
    log.add(
        rows,
        "rater",
        FieldError,
        cat("rater = ", reprs(words), " is not a rater; use 'self', 'caretaker' or 'collateral'"),
    )


class CodedText(Protocol):
    """A text column as integer codes into labels (what the self-rater rule reads)."""

    @property
    def codes(self) -> IntArray:
        """Index of every row's value in the labels; -1 where missing."""

    @property
    def text(self) -> ObjArray:
        """The labels as Python strings."""


def check_self_rater(
    person: CodedText,
    rater_id: CodedText,
    rater_code: npt.NDArray[np.int8],
    log: ErrorLog,
) -> IntArray:
    """A self-rating's rater id must be the person (then stored as empty) or empty.

    Parameters
    ----------
    person, rater_id : CodedText
        The person and the rater id of every row (for example
        :class:`fit_scores.io.columns.Codes`); the labels are read only if
        a self-rating has a rater id.
    rater_code : ndarray of int8
        The rater of every row (index into :data:`RATERS`).
    log : ErrorLog
        Where a self-rating with another rater id is logged.

    Returns
    -------
    ndarray of int
        The rater id codes, with -1 for the self-ratings by the person.
    """
    self_rated = np.flatnonzero((rater_code == 0) & (rater_id.codes >= 0) & (person.codes >= 0))
    if self_rated.size == 0:
        return rater_id.codes
    person_text = person.text[person.codes[self_rated]]
    rater_id_text = rater_id.text[rater_id.codes[self_rated]]
    same = person_text == rater_id_text
    log.add(
        self_rated[~same],
        "rater_id",
        RaterError,
        cat(
            "rater_id ",
            reprs(rater_id_text[~same]),
            " differs from person ",
            reprs(person_text[~same]),
            " for a self-rating; use rater 'caretaker' or 'collateral'",
        ),
    )
    codes = rater_id.codes.copy()
    codes[self_rated[same]] = -1
    return codes
