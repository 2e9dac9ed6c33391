"""Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from fit_scores.errors import DateError

__all__ = ["FIRST_DAY", "LAST_DAY", "as_of_day", "civil", "days_from_civil"]

IntArray = npt.NDArray[np.int64]

#: Days since 1970 of 0001-01-01, the first day of :class:`datetime.date`.
FIRST_DAY = -719162
#: Days since 1970 of 9999-12-31, the last day of :class:`datetime.date`.
LAST_DAY = 2932896


def days_from_civil(y: IntArray, m: IntArray, d: IntArray) -> IntArray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm).

    Examples
    --------
    >>> days_from_civil(np.array([1970, 2025]), np.array([1, 1]), np.array([1, 10])).tolist()
    [0, 20098]
    """
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (m + 9) % 12
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    out: IntArray = era * 146097 + doe - 719468
    return out


def civil(days: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Year, month, day of days since 1970-01-01.

    Examples
    --------
    >>> [part.tolist() for part in civil(np.array([20098]))]
    [[2025], [1], [10]]
    """
    d64 = days.astype("datetime64[D]")
    months = d64.astype("datetime64[M]")
    year = d64.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (d64 - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def as_of_day(as_of: object = None) -> int:
    """The day of a check in days since 1970-01-01: ``as_of``, or today if it is ``None``.

    No date of an administration may lie after it (:func:`fit_scores._core.rules.check_dates`).

    Raises
    ------
    DateError
        If ``as_of`` is neither ``None`` nor a :class:`datetime.date` (a
        ``datetime`` is not a day).

    Examples
    --------
    >>> as_of_day(dt.date(2025, 1, 10))
    20098
    >>> as_of_day() >= 20098
    True
    """
    if as_of is None:
        return dt.date.today().toordinal() - _EPOCH_ORDINAL
    if isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        raise DateError(f"as_of must be a datetime.date, got {type(as_of).__name__}")
    return as_of.toordinal() - _EPOCH_ORDINAL
