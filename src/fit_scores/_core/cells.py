"""Cell rules: what a value of a date, whole-number, score or flag column may be.

One rule for every kind of cell, on whole columns at once: a column of any
dtype (numpy, an object array of Python values, text) becomes typed values,
missing and bad masks, and every cell that is not a value of its kind is
logged in an :class:`~fit_scores._core.errorlog.ErrorLog` with one reason
(``"date = 5: a int is not a date; write YYYY-MM-DD"``). The readers of
:mod:`fit_scores.io.columns` read every column of a table with them, and a
record (:class:`~fit_scores.Administration`) reads a value it cannot take as
plainly valid with them too, as a column of one: the same value gets the same
error and the same message on both paths. Text is read with the strict
grammars of :mod:`fit_scores._core.grammars` where a column is text
(``text=True``: CSV); elsewhere a string is not a number. Object arrays are
read by type: the type of every value is found once, in C, and each group
of values of one type is read at once (:func:`type_groups`).

Examples
--------
>>> import numpy as np
>>> log = ErrorLog()
>>> days, missing, bad = parse_dates(np.array(["2025-01-10", 5, None], dtype=object),
...                                  "date", log)
>>> days.tolist(), missing.tolist(), bad.tolist()
([20098, 0, 0], [False, False, True], [False, True, False])
>>> log.entries(["date"])[3].tolist()
['date = 5: a int is not a date; write YYYY-MM-DD']
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from fit_scores._core.calendar import FIRST_DAY, LAST_DAY
from fit_scores._core.errorlog import ErrorLog
from fit_scores._core.grammars import (
    FALSE_WORDS,
    TRUE_WORDS,
    parse_date_text,
    parse_int_text,
    parse_number_text,
    str_lengths,
)
from fit_scores._core.text import as_text, cat, reprs
from fit_scores.errors import FieldError, FitScoresError, ItemValueTypeError

__all__ = [
    "WHOLE_LIMIT",
    "float_as_printed",
    "is_bool_type",
    "is_int_type",
    "parse_dates",
    "parse_flags",
    "parse_ints",
    "parse_scores",
    "type_groups",
    "with_nul",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]
AnyArray = npt.NDArray[Any]

#: The largest whole number a whole-number cell holds (either sign): beyond it, "the number
#: is too large" (int64 with room for sums).
WHOLE_LIMIT = 2**62


def type_groups(arr: ObjArray) -> list[tuple[type, IntArray]]:
    """Positions of the values of every Python type in an object array (types found in C)."""
    n = arr.shape[0]
    if n == 0:
        return []
    ids = np.fromiter(map(id, map(type, arr)), dtype=np.uint64, count=n)
    uniq, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    if uniq.size == 1:
        return [(type(arr[0]), np.arange(n, dtype=np.int64))]
    inverse = inverse.reshape(-1)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(uniq.size + 1))
    return [
        (type(arr[int(first[k])]), order[bounds[k] : bounds[k + 1]].astype(np.int64))
        for k in range(uniq.size)
    ]


def is_bool_type(t: type) -> bool:
    return issubclass(t, bool | np.bool_)


def is_int_type(t: type) -> bool:
    """Whether values of type ``t`` are whole numbers (not booleans, not numpy time spans)."""
    return issubclass(t, int | np.integer) and not is_bool_type(t) and not _is_span(t)


def _is_span(t: type) -> bool:
    """``np.timedelta64`` (numpy makes it a signed integer, and so a ``numbers.Real``)."""
    return issubclass(t, np.timedelta64)


def float_as_printed(values: AnyArray) -> FloatArray:
    """float64 values; float16/float32 are read as the decimal they print as (as the records do)."""
    if values.dtype.kind == "f" and values.dtype.itemsize < 8:
        return np.asarray(values.astype(str).astype(np.float64), dtype=np.float64)
    return np.asarray(values, dtype=np.float64)


def with_nul(strings: AnyArray) -> BoolArray | None:
    r"""The texts with a NUL character (``None``: none has one).

    A NUL is a character of the text, not its end: the grammars read
    fixed-width text, which drops trailing NULs, so ``"1\0"`` would read as
    1. Only an object array can hold a trailing NUL.
    """
    if strings.dtype != object or "\0" not in "".join(strings.tolist()):
        return None
    return np.fromiter(("\0" in t for t in strings.tolist()), dtype=bool, count=strings.shape[0])


def _text_cells(
    idx: IntArray,
    strings: AnyArray,
    n: int,
    grammar: Callable[[AnyArray], tuple[AnyArray, BoolArray]],
    values: AnyArray,
    missing: BoolArray,
    column: str,
    reject: Callable[[IntArray, npt.ArrayLike], None],
    what: str,
) -> None:
    """Read text cells with a grammar: values and missing stored, unreadable cells rejected.

    The grammar runs on every cell (empty text fails it too), so no subset is
    copied; empty text is missing, other text the grammar refuses is rejected
    with the reason ``"<column> = '<text>'" + what``.
    """
    empty = str_lengths(strings) == 0
    x, ok = grammar(strings)
    nul = with_nul(strings)
    if nul is not None:
        ok = ok & ~nul
    if idx.size == n:  # the whole column
        missing[:] = empty
        values[:] = x  # 0 where unreadable
    else:
        missing[idx[empty]] = True
        values[idx[ok]] = x[ok]
    wrong = np.flatnonzero(~ok & ~empty)
    if wrong.size:
        reject(idx[wrong], cat(f"{column} = ", reprs(strings[wrong].astype(object)), what))


def parse_scores(
    raw: AnyArray, column: str, log: ErrorLog, *, text: bool
) -> tuple[FloatArray, BoolArray, BoolArray]:
    """Scores: values, missing, bad (bad cells are logged)."""
    n = raw.shape[0]
    missing = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)
    if raw.dtype == np.float64 and bool(np.isfinite(raw).all()):
        return raw, missing, bad  # every value a finite number: nothing missing, nothing bad
    values = np.zeros(n, dtype=np.float64)

    def numbers_at(idx: IntArray, x: FloatArray, *, nan_missing: bool) -> None:
        nan = np.isnan(x)
        inf = np.isinf(x) if nan_missing else ~np.isfinite(x)
        if nan_missing:
            missing[idx[nan]] = True
        if inf.any():
            bad[idx[inf]] = True
            log.add(
                idx[inf],
                column,
                ItemValueTypeError,
                cat(f"{column} = ", x[inf], " is not a finite number"),
            )
        fine = ~nan & ~inf
        if idx.size == n:  # the whole column: masks instead of indices
            values[:] = x if fine.all() else np.where(fine, x, 0.0)
        else:
            values[idx[fine]] = x[fine]

    def strings_at(idx: IntArray, strings: AnyArray) -> None:
        if text:
            _text_cells(
                idx, strings, n, parse_number_text, values, missing, column, reject,
                " is not a number (write e.g. 7.5: digits, a point, no spaces)",
            )  # fmt: skip
            return
        empty = str_lengths(strings) == 0
        missing[idx[empty]] = True
        rest = idx[~empty]
        if rest.size == 0:
            return
        reject(
            rest,
            cat(
                f"{column} = ",
                reprs(strings[~empty].astype(object)),
                ": a string is not a score; give a number",
            ),
        )

    def reject(idx: IntArray, reason: str | npt.ArrayLike) -> None:
        bad[idx] = True
        log.add(idx, column, ItemValueTypeError, reason)

    kind = raw.dtype.kind
    everything = np.arange(n, dtype=np.int64)
    if kind == "f":
        numbers_at(everything, float_as_printed(raw), nan_missing=True)
    elif kind in "iu":
        values[:] = raw.astype(np.float64)
    elif kind in "US":
        strings_at(everything, raw)
    elif kind == "b":
        reject(everything, cat(f"{column} = ", raw, ": a boolean is not a score"))
    elif kind == "O":
        for t, idx in type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                missing[idx] = True
            elif is_bool_type(t):
                reject(idx, cat(f"{column} = ", reprs(sub), ": a boolean is not a score"))
            elif issubclass(t, str):
                strings_at(idx, sub)
            elif issubclass(t, np.floating) and np.dtype(t).itemsize < 8:
                numbers_at(idx, sub.astype(str).astype(np.float64), nan_missing=False)
            elif issubclass(t, numbers.Real | Decimal) and not _is_span(t):
                try:
                    x = sub.astype(np.float64)
                except (OverflowError, ValueError, TypeError):
                    reject(idx, f"{column}: {t.__name__} value is not a finite number")
                else:
                    numbers_at(idx, x, nan_missing=False)
            else:
                reject(idx, f"{column}: {t.__name__} is not a number")
    else:
        reject(everything, f"{column}: {raw.dtype} values are not scores")
    return values, missing, bad


def parse_ints(
    raw: AnyArray, column: str, log: ErrorLog, *, text: bool, error: type[FitScoresError]
) -> tuple[IntArray, BoolArray, BoolArray]:
    """Whole numbers: values, missing, bad (bad cells are logged)."""
    n = raw.shape[0]
    values = np.zeros(n, dtype=np.int64)
    missing = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)

    def reject(idx: IntArray, reason: str | npt.ArrayLike) -> None:
        bad[idx] = True
        log.add(idx, column, error, reason)

    def strings_at(idx: IntArray, strings: AnyArray) -> None:
        if text:
            _text_cells(
                idx, strings, n, parse_int_text, values, missing, column, reject,
                " is not a whole number",
            )  # fmt: skip
            return
        empty = str_lengths(strings) == 0
        missing[idx[empty]] = True
        rest, given = idx[~empty], strings[~empty]
        if rest.size:
            reject(
                rest,
                cat(
                    f"{column} = ",
                    reprs(given.astype(object)),
                    ": a string is not a whole number; give an integer",
                ),
            )

    def ints_at(idx: IntArray, x: AnyArray) -> None:
        big = (x > WHOLE_LIMIT) | (x < -WHOLE_LIMIT)
        if not big.any() and idx.size == n:
            values[:] = x
            return
        reject(idx[big], f"{column}: the number is too large")
        values[idx[~big]] = x[~big].astype(np.int64)

    everything = np.arange(n, dtype=np.int64)
    kind = raw.dtype.kind
    if kind == "f":
        x = float_as_printed(raw)
        nan = np.isnan(x)
        missing[nan] = True
        finite = np.isfinite(x)
        whole = finite & (x == np.floor(np.where(finite, x, 0.0))) & (np.abs(x) <= 2**53)
        wrong = ~nan & ~whole
        reject(everything[wrong], cat(f"{column} = ", x[wrong], " is not a whole number"))
        values[whole] = x[whole].astype(np.int64)
    elif kind in "iu":
        ints_at(everything, raw)
    elif kind in "US":
        strings_at(everything, raw)
    elif kind == "O":
        for t, idx in type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                missing[idx] = True
            elif is_int_type(t):
                ints_at(idx, sub)
            elif issubclass(t, str):
                strings_at(idx, sub)
            else:
                kind_name = "a boolean" if is_bool_type(t) else f"a {t.__name__}"
                reject(
                    idx,
                    cat(
                        f"{column} = ",
                        reprs(sub),
                        f": {kind_name} is not a whole number; give an integer",
                    ),
                )
    else:
        reject(everything, f"{column}: {raw.dtype} values are not whole numbers")
    return values, missing, bad


#: Units of a ``datetime64`` coarser than a day (a week, a month, a year), and the reason.
_COARSE_UNITS = ("W", "M", "Y")
_COARSE = " is not a date (a week, a month or a year): give the day"


def parse_dates(raw: AnyArray, column: str, log: ErrorLog) -> tuple[IntArray, BoolArray, BoolArray]:
    """Dates as days since 1970-01-01: values, missing, bad (bad cells are logged)."""
    n = raw.shape[0]
    days = np.zeros(n, dtype=np.int64)
    missing = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)

    def reject(idx: IntArray, reason: str | npt.ArrayLike) -> None:
        bad[idx] = True
        log.add(idx, column, FieldError, reason)

    def wrong_any(nat: BoolArray, good: BoolArray) -> bool:
        return bool((~nat & ~good).any())

    def datetimes_at(idx: IntArray, x: AnyArray) -> None:
        nat = np.isnat(x)
        missing[idx[nat]] = True
        if np.datetime_data(x.dtype)[0] in _COARSE_UNITS:  # not a day: no day is made up
            reject(idx[~nat], cat(f"{column} = ", as_text(x[~nat]), _COARSE))
            return
        if x.dtype == np.dtype("datetime64[D]"):
            day, exact = x, True
        else:
            day = x.astype("datetime64[D]")
            exact = day.astype(x.dtype) == x
        number = day.view(np.int64)
        good = ~nat & exact & (number >= FIRST_DAY) & (number <= LAST_DAY)
        if idx.size == n and not wrong_any(nat, good):
            days[:] = number if good.all() else np.where(good, number, 0)
            return
        wrong = ~nat & ~good
        reject(
            idx[wrong],
            cat(
                f"{column} = ",
                as_text(x[wrong]),
                " is not a date (a time of day, or a year outside 1-9999)",
            ),
        )
        days[idx[good]] = number[good]

    def strings_at(idx: IntArray, strings: AnyArray) -> None:
        _text_cells(
            idx, strings, n, parse_date_text, days, missing, column, reject,
            " is not a date; write YYYY-MM-DD",
        )  # fmt: skip

    everything = np.arange(n, dtype=np.int64)
    kind = raw.dtype.kind
    if kind == "M":
        datetimes_at(everything, raw)
    elif kind in "US":
        strings_at(everything, raw)
    elif kind == "O":
        for t, idx in type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                missing[idx] = True
            elif issubclass(t, str):
                strings_at(idx, sub)
            elif issubclass(t, dt.datetime):
                reject(
                    idx,
                    cat(f"{column} = ", reprs(sub), ": a date-time is not a date; give the date"),
                )
            elif issubclass(t, dt.date):
                days[idx] = sub.astype("datetime64[D]").astype(np.int64)
            elif issubclass(t, np.datetime64):  # (each in its own unit: a month is no day)
                coarse = np.array([np.datetime_data(v.dtype)[0] in _COARSE_UNITS for v in sub])
                if coarse.any():
                    reject(
                        idx[coarse],
                        cat(f"{column} = ", as_text(np.array(list(sub[coarse]))), _COARSE),
                    )
                if not coarse.all():
                    datetimes_at(idx[~coarse], np.array(list(sub[~coarse])))
            else:
                reject(
                    idx,
                    cat(
                        f"{column} = ",
                        reprs(sub),
                        f": a {t.__name__} is not a date; write YYYY-MM-DD",
                    ),
                )
    else:
        reject(everything, f"{column}: {raw.dtype} values are not dates; write YYYY-MM-DD")
    return days, missing, bad


def parse_flags(
    raw: AnyArray, column: str, log: ErrorLog, *, text: bool
) -> tuple[BoolArray, BoolArray]:
    """True/false flags (missing is false): values, bad (bad cells are logged)."""
    n = raw.shape[0]
    values = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)

    def reject(idx: IntArray, reason: str | npt.ArrayLike) -> None:
        bad[idx] = True
        log.add(idx, column, FieldError, reason)

    def strings_at(idx: IntArray, strings: AnyArray) -> None:
        empty = str_lengths(strings) == 0
        rest, given = idx[~empty], strings[~empty]
        if rest.size == 0:
            return
        if not text:
            reject(
                rest,
                cat(f"{column} = ", reprs(given.astype(object)), ": give true or false, not text"),
            )
            return
        lower = np.strings.lower(given.astype(str))
        yes = np.isin(lower, TRUE_WORDS)
        no = np.isin(lower, FALSE_WORDS)
        nul = with_nul(given)
        if nul is not None:  # ("true\0" is not true)
            yes &= ~nul
            no &= ~nul
        values[rest[yes]] = True
        wrong = ~yes & ~no
        reject(
            rest[wrong],
            cat(
                f"{column} = ",
                reprs(given[wrong].astype(object)),
                " is not true/false (write true, false, 1 or 0)",
            ),
        )

    everything = np.arange(n, dtype=np.int64)
    kind = raw.dtype.kind
    if kind == "b":
        values[:] = raw
    elif kind in "US":
        strings_at(everything, raw)
    elif kind == "O":
        for t, idx in type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                continue
            if is_bool_type(t):
                values[idx] = sub.astype(bool)
            elif issubclass(t, str):
                strings_at(idx, sub)
            else:
                reject(idx, cat(f"{column} = ", reprs(sub), ": give true or false"))
    elif kind == "f":
        given = ~np.isnan(raw)
        reject(everything[given], f"{column}: give true or false, not numbers")
    else:
        reject(everything, f"{column}: give true or false, not {raw.dtype} values")
    return values, bad
