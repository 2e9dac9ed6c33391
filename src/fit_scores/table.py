"""Long-format score tables: validate, score and summarise whole cohorts at once.

One row per administration (a form filled in, or a meeting where it was not).
:func:`from_columns` (arrays), :func:`from_records`, :func:`from_pandas`,
:func:`from_polars`, :func:`parse_csv` and :func:`parse_json` read such a
table, validate every row with the rules of
:class:`~fit_scores.Administration` and :class:`~fit_scores.Track`, score it
exactly in integer ticks, and sort the valid rows into tracks (person x scale x
rater x rater id x episode, by date and session). Bad rows are never dropped
silently: they are listed in :attr:`ScoreTable.errors` (row, column, error,
reason), and ``n_input == n_valid + n_rejected`` always holds.
:meth:`ScoreTable.summarize` gives one row per track and
:meth:`TrackSummary.aggregate` the figures per group for reports, with small
cells suppressed.

Everything runs on whole columns with numpy (segment operations over the
sorted tracks); there is no Python loop per row or per track, only over the
handful of scales, raters, age bands and columns. Reading Python objects
(records, JSON, object arrays) inspects every value's type once, in C.

Columns
-------
``person`` (required), ``scale`` (required), ``date`` (required, ISO
``YYYY-MM-DD``), ``rater`` (``"self"`` when empty), ``rater_id``, ``session``
(whole number from 1), ``episode``, ``item_1`` ... ``item_k`` (item scores in
the scale's item order), ``total``, ``skip`` (a meeting where the form was not
filled in: a valid row without a score), ``age`` (completed years) and/or
``birth_date``, ``ending_reason`` (``"planned"``, ``"unplanned"`` or any
other text). Every other column is kept, as text, as a grouping column (for
example ``coordinator``, ``municipality``).

Missing values are ``None``, empty text, a masked entry of a masked array, and
NaN in a floating-point array (numpy's and pandas' marker for a gap). A NaN
or infinity given as a Python float (in records or JSON) is an error, as in
:class:`~fit_scores.Administration`. ``0`` is a score, never "missing".

Rules (exactly those of the single-record models)
-------------------------------------------------
Scores must be finite real numbers: booleans, text (in records, JSON and
arrays) and non-numbers are errors; in CSV every value is text and numbers are
read strictly (``"7,5"`` and ``" 7"`` are errors, ``""`` is missing). Items
must lie in the item range and on the resolution grid, enough items must be
answered (proration or mean scoring as the scale says), a total given with the
items must equal their total, a total given alone must lie in the total range
and on its grid. The rater must be allowed by the scale; the ``rater_id`` of a
self-rating must be empty or the person (it is then stored as empty, so that
the person's self-ratings form one track). An age, given or derived from
``birth_date`` at the date, must be a whole number 0-130 within the scale's
ages, and a given age must agree with the birth date. Within a track, rows with
the same date and session as an earlier input row are rejected (the later
rows), and session numbers must increase with the date (a row whose session
number is not above every earlier session of its track is rejected).

Container conventions: in a floating-point array, NaN is missing and whole
numbers are accepted for ``session`` and ``age`` (pandas stores integer columns
with gaps as floats); in records and JSON they must be integers, as in
:class:`~fit_scores.Administration`. Deliberately stricter than pydantic's lax
parsing: dates must be dates
(``YYYY-MM-DD`` text, :class:`datetime.date` or ``datetime64`` at midnight),
not date-time text or :class:`datetime.datetime` objects; identifiers must be
text (or integers, read as their decimal text), not bytes.

Examples
--------
>>> import numpy as np
>>> from fit_scores.table import from_columns
>>> table = from_columns({
...     "person": ["a", "a", "b", "b"],
...     "scale": "ORS ORS ORS ORS".split(),
...     "date": ["2025-01-10", "2025-02-10", "2025-01-12", "2025-01-12"],
...     "age": [40, 40, 15, 15],
...     "total": [19.5, 26.0, 22.0, 30.0],
... })
>>> table.n_input, table.n_valid, table.n_rejected, table.n_tracks
(4, 3, 1, 2)
>>> table.errors.to_records()[0]["error"]
'DuplicateAdministrationError'
>>> summary = table.summarize()
>>> summary["category"].tolist()
['recovered', None]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import math
import numbers
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import numpy.typing as npt

from fit_scores import trajectories as _traj
from fit_scores._core import alliance as _alliance_kernels
from fit_scores._core import change as _change_kernels
from fit_scores._core import segments as _seg
from fit_scores._core import ticks as _ticks
from fit_scores.alliance import AllianceRules
from fit_scores.errors import (
    AgeError,
    DuplicateAdministrationError,
    FieldError,
    FitScoresError,
    ItemCountError,
    ItemRangeError,
    ItemResolutionError,
    ItemValueTypeError,
    MissingItemsError,
    RaterError,
    ScoreError,
    SessionOrderError,
    TableInputError,
    TotalMismatchError,
    TotalRangeError,
    UnknownScaleError,
)
from fit_scores.scales.model import AGE_BANDS, Scale
from fit_scores.scales.registry import ScaleRegistry, default_registry

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "BANDS",
    "RATERS",
    "STATUSES",
    "Aggregate",
    "FieldError",
    "ScoreTable",
    "TableErrors",
    "TableInputError",
    "TrackSummary",
    "from_columns",
    "from_pandas",
    "from_polars",
    "from_records",
    "parse_csv",
    "parse_json",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]
AnyArray = npt.NDArray[Any]
Masked = np.ma.MaskedArray

#: Raters, in code order.
RATERS: tuple[str, ...] = ("self", "caretaker", "collateral")
#: Age bands, in code order (see :data:`fit_scores.AGE_BANDS`).
BANDS: tuple[str, ...] = tuple(band for band, _, _ in AGE_BANDS)
#: Expected-response statuses, in code order.
STATUSES: tuple[str, ...] = ("not_enough_data", "on_track", "at_risk", "off_track")

_FIELDS = (
    "person",
    "scale",
    "rater",
    "rater_id",
    "date",
    "session",
    "episode",
    "age",
    "birth_date",
    "skip",
    "total",
    "ending_reason",
)
_REQUIRED = ("person", "scale", "date")
_ITEM_COLUMN = re.compile(r"item_([0-9]+)\Z")
_MAX_IDENTIFIER = 200
_MAX_AGE = 130
_MAX_NUMBER_TEXT = 40
_MAX_INT_DIGITS = 18
#: What the identifier pattern ``^\S(.*\S)?$`` of the records treats as white
#: space (the Unicode White_Space property of pydantic's regex engine).
_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_TRUE_WORDS = ("true", "1", "yes")
_FALSE_WORDS = ("false", "0", "no")


# --- errors -------------------------------------------------------------------------------


class _ErrorLog:
    """Collects row errors in chunks (one chunk per check and column)."""

    def __init__(
        self, chunks: list[tuple[IntArray, str, str, ObjArray]] | None = None, offset: int = 0
    ) -> None:
        self._chunks = [] if chunks is None else chunks
        self._offset = offset

    def shifted(self, offset: int) -> _ErrorLog:
        """The same log, for a chunk of rows that starts at input row ``offset``."""
        return _ErrorLog(self._chunks, offset)

    def add(
        self,
        rows: npt.ArrayLike,
        column: str,
        error: type[FitScoresError],
        reason: str | npt.ArrayLike,
    ) -> None:
        index = np.asarray(rows, dtype=np.int64).reshape(-1)
        if index.size == 0:
            return
        if self._offset:
            index = index + self._offset
        if isinstance(reason, str):
            reasons = np.full(index.size, reason, dtype=object)
        else:
            reasons = np.asarray(reason).astype(object).reshape(-1)
        self._chunks.append((index, column, error.__name__, reasons))

    def rejected(self, n: int) -> BoolArray:
        mask = np.zeros(n, dtype=bool)
        for rows, *_ in self._chunks:
            mask[rows] = True
        return mask

    def build(self, n_input: int, order: Sequence[str]) -> TableErrors:
        rank = {name: i for i, name in enumerate(order)}
        if not self._chunks:
            empty = np.zeros(0, dtype=object)
            return TableErrors(n_input, np.zeros(0, dtype=np.int64), empty, empty, empty)
        rows = np.concatenate([c[0] for c in self._chunks])
        columns = np.concatenate([np.full(c[0].size, c[1], dtype=object) for c in self._chunks])
        errors = np.concatenate([np.full(c[0].size, c[2], dtype=object) for c in self._chunks])
        reasons = np.concatenate([c[3] for c in self._chunks])
        col_rank = np.concatenate(
            [np.full(c[0].size, rank.get(c[1], len(rank)), dtype=np.int64) for c in self._chunks]
        )
        sequence = np.arange(rows.size)
        keep = np.lexsort((sequence, col_rank, rows))
        return TableErrors(n_input, rows[keep], columns[keep], errors[keep], reasons[keep])


# --- small helpers --------------------------------------------------------------------------


def _text(values: npt.ArrayLike) -> npt.NDArray[np.str_]:
    """Values as text (floats as their shortest round-trip decimal)."""
    return np.asarray(values).astype(str)


def _cat(*parts: str | npt.ArrayLike) -> ObjArray:
    """Elementwise concatenation of text parts (strings broadcast)."""
    out: Any = parts[0] if isinstance(parts[0], str) else _text(parts[0])
    for part in parts[1:]:
        out = np.strings.add(out, part if isinstance(part, str) else _text(part))
    return np.asarray(out).astype(object)


def _reprs(values: ObjArray) -> npt.NDArray[np.str_]:
    return np.array(list(map(repr, values)), dtype=str)


def _object_array(values: Iterable[Any], n: int | None = None) -> ObjArray:
    items = values if n is not None else list(values)
    count = n if n is not None else len(cast("list[Any]", items))
    return np.fromiter(items, dtype=object, count=count)


def _type_groups(arr: ObjArray) -> list[tuple[type, IntArray]]:
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


def _lengths(strings: AnyArray) -> IntArray:
    """Length of every string (object or fixed-width text array)."""
    if strings.dtype.kind == "U":
        return np.asarray(np.strings.str_len(strings), dtype=np.int64)
    return np.fromiter(map(len, strings), dtype=np.int64, count=strings.shape[0])


def _is_bool_type(t: type) -> bool:
    return issubclass(t, bool | np.bool_)


def _is_int_type(t: type) -> bool:
    return issubclass(t, int | np.integer) and not _is_bool_type(t)


def _float_as_printed(values: AnyArray) -> FloatArray:
    """float64 values; float16/float32 are read as the decimal they print as (as the records do)."""
    if values.dtype.kind == "f" and values.dtype.itemsize < 8:
        return np.asarray(values.astype(str).astype(np.float64), dtype=np.float64)
    return np.asarray(values, dtype=np.float64)


# --- text grammars (CSV) --------------------------------------------------------------------

# character classes: digit, sign, point, exponent, end (padding), other
_D, _S, _P, _E, _Z, _O = range(6)
_ERR = 10
# states: 0 start, 1 sign, 2 integer digits, 3 point after digits, 4 fraction digits,
# 5 point without digits, 6 exponent mark, 7 exponent sign, 8 exponent digits, 9 end
_NUMBER_MACHINE = np.full((11, 6), _ERR, dtype=np.int8)
for _state, _cls, _next in (
    (0, _S, 1), (0, _D, 2), (0, _P, 5),
    (1, _D, 2), (1, _P, 5),
    (2, _D, 2), (2, _P, 3), (2, _E, 6), (2, _Z, 9),
    (3, _D, 4), (3, _E, 6), (3, _Z, 9),
    (4, _D, 4), (4, _E, 6), (4, _Z, 9),
    (5, _D, 4),
    (6, _S, 7), (6, _D, 8),
    (7, _D, 8),
    (8, _D, 8), (8, _Z, 9),
    (9, _Z, 9),
):  # fmt: skip
    _NUMBER_MACHINE[_state, _cls] = _next
_INT_MACHINE = np.full((11, 6), _ERR, dtype=np.int8)
for _state, _cls, _next in ((0, _S, 1), (0, _D, 2), (1, _D, 2), (2, _D, 2), (2, _Z, 9), (9, _Z, 9)):
    _INT_MACHINE[_state, _cls] = _next


def _codepoints(
    strings: AnyArray, width: int
) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.uint32]]:
    fixed = np.asarray(strings).astype(f"U{max(width, 1)}")
    return fixed, fixed.view(np.uint32).reshape(fixed.shape[0], max(width, 1))


def _run_machine(
    strings: AnyArray, machine: npt.NDArray[np.int8], width: int
) -> tuple[npt.NDArray[np.str_], BoolArray]:
    """Run a character-class state machine over fixed-width text, all strings at once."""
    fixed, cp = _codepoints(strings, width)
    cls = np.full(cp.shape, _O, dtype=np.int8)
    cls[(cp >= 48) & (cp <= 57)] = _D
    cls[(cp == 43) | (cp == 45)] = _S
    cls[cp == 46] = _P
    cls[(cp == 69) | (cp == 101)] = _E
    cls[cp == 0] = _Z
    state = np.zeros(cp.shape[0], dtype=np.int8)
    for j in range(cp.shape[1]):
        state = machine[state, cls[:, j]]
    state = machine[state, _Z]
    return fixed, state == 9


def _parse_number_text(strings: AnyArray) -> tuple[FloatArray, BoolArray]:
    """Numbers from non-empty text, strictly: ``[+-]digits[.digits][e[+-]digits]``."""
    n = strings.shape[0]
    values = np.zeros(n, dtype=np.float64)
    lengths = _lengths(strings)
    short = np.flatnonzero(lengths <= _MAX_NUMBER_TEXT)
    ok = np.zeros(n, dtype=bool)
    if short.size:
        fixed, good = _run_machine(strings[short], _NUMBER_MACHINE, int(lengths[short].max()))
        ok[short] = good
        values[short[good]] = fixed[good].astype(np.float64)
    return values, ok


def _parse_int_text(strings: AnyArray) -> tuple[IntArray, BoolArray]:
    """Whole numbers from non-empty text, strictly: ``[+-]digits`` (at most 18 digits)."""
    n = strings.shape[0]
    values = np.zeros(n, dtype=np.int64)
    lengths = _lengths(strings)
    short = np.flatnonzero(lengths <= _MAX_INT_DIGITS)
    ok = np.zeros(n, dtype=bool)
    if short.size:
        fixed, good = _run_machine(strings[short], _INT_MACHINE, int(lengths[short].max()))
        ok[short] = good
        values[short[good]] = fixed[good].astype(np.int64)
    return values, ok


#: Days since 1970 of 0001-01-01 and 9999-12-31, the range of :class:`datetime.date`.
_FIRST_DAY, _LAST_DAY = -719162, 2932896
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _days_from_civil(y: IntArray, m: IntArray, d: IntArray) -> IntArray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (m + 9) % 12
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    out: IntArray = era * 146097 + doe - 719468
    return out


def _civil(days: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Year, month, day of days since 1970-01-01."""
    d64 = days.astype("datetime64[D]")
    months = d64.astype("datetime64[M]")
    year = d64.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (d64 - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def _parse_date_text(strings: AnyArray) -> tuple[IntArray, BoolArray]:
    """Days since 1970 from ISO ``YYYY-MM-DD`` text (a real calendar date, year 1-9999)."""
    n = strings.shape[0]
    days = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    lengths = _lengths(strings)
    cand = np.flatnonzero(lengths == 10)
    if cand.size == 0:
        return days, ok
    _, cp = _codepoints(strings[cand], 10)
    digit = (cp >= 48) & (cp <= 57)
    shape_ok = digit[:, [0, 1, 2, 3, 5, 6, 8, 9]].all(axis=1) & (cp[:, 4] == 45) & (cp[:, 7] == 45)
    v = cp.astype(np.int64) - 48
    y = v[:, 0] * 1000 + v[:, 1] * 100 + v[:, 2] * 10 + v[:, 3]
    m = v[:, 5] * 10 + v[:, 6]
    d = v[:, 8] * 10 + v[:, 9]
    month_ok = (m >= 1) & (m <= 12)
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    dim = _DAYS_IN_MONTH[np.clip(m, 1, 12) - 1] + ((m == 2) & leap)
    good = shape_ok & (y >= 1) & month_ok & (d >= 1) & (d <= dim)
    ok[cand] = good
    days[cand[good]] = _days_from_civil(y[good], m[good], d[good])
    return days, ok


# --- column parsers -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Codes:
    """A text column as integer codes into labels (-1: missing)."""

    codes: IntArray
    labels: AnyArray

    def take(self, index: IntArray) -> _Codes:
        return _Codes(self.codes[index], self.labels)

    @cached_property
    def text(self) -> ObjArray:
        """The labels as Python strings."""
        if self.labels.dtype == object:
            return self.labels
        return np.asarray(self.labels.astype(str), dtype=object)

    def values(self) -> ObjArray:
        """The column as Python strings, ``None`` where missing."""
        out = np.empty(self.codes.shape[0], dtype=object)
        present = self.codes >= 0
        out[present] = self.text[self.codes[present]]
        return out


def _no_codes(n: int) -> _Codes:
    return _Codes(np.full(n, -1, dtype=np.int64), np.zeros(0, dtype=object))


def _parse_scores(
    raw: AnyArray, column: str, log: _ErrorLog, *, text: bool
) -> tuple[FloatArray, BoolArray, BoolArray]:
    """Scores: values, missing, bad (bad cells are logged)."""
    n = raw.shape[0]
    values = np.zeros(n, dtype=np.float64)
    missing = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)

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
                _cat(f"{column} = ", x[inf], " is not a finite number"),
            )
        fine = ~nan & ~inf
        if idx.size == n:  # the whole column: masks instead of indices
            values[:] = x if fine.all() else np.where(fine, x, 0.0)
        else:
            values[idx[fine]] = x[fine]

    def strings_at(idx: IntArray, strings: AnyArray) -> None:
        empty = _lengths(strings) == 0
        missing[idx[empty]] = True
        rest = idx[~empty]
        if rest.size == 0:
            return
        given = strings[~empty]
        if text:
            x, ok = _parse_number_text(given)
            values[rest[ok]] = x[ok]
            wrong = ~ok
            reason = _cat(
                f"{column} = ",
                _reprs(given[wrong].astype(object)),
                " is not a number (write e.g. 7.5: digits, a point, no spaces)",
            )
        else:
            wrong = np.ones(rest.size, dtype=bool)
            reason = _cat(
                f"{column} = ",
                _reprs(given.astype(object)),
                ": a string is not a score; give a number",
            )
        bad[rest[wrong]] = True
        log.add(rest[wrong], column, ItemValueTypeError, reason)

    def reject(idx: IntArray, reason: str | npt.ArrayLike) -> None:
        bad[idx] = True
        log.add(idx, column, ItemValueTypeError, reason)

    everything = np.arange(n, dtype=np.int64)
    kind = raw.dtype.kind
    if kind == "f":
        numbers_at(everything, _float_as_printed(raw), nan_missing=True)
    elif kind in "iu":
        values[:] = raw.astype(np.float64)
    elif kind in "US":
        strings_at(everything, raw)
    elif kind == "b":
        reject(everything, _cat(f"{column} = ", raw, ": a boolean is not a score"))
    elif kind == "O":
        for t, idx in _type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                missing[idx] = True
            elif _is_bool_type(t):
                reject(idx, _cat(f"{column} = ", _reprs(sub), ": a boolean is not a score"))
            elif issubclass(t, str):
                strings_at(idx, sub)
            elif issubclass(t, np.floating) and np.dtype(t).itemsize < 8:
                numbers_at(idx, sub.astype(str).astype(np.float64), nan_missing=False)
            elif issubclass(t, numbers.Real | Decimal):
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


def _parse_ints(
    raw: AnyArray, column: str, log: _ErrorLog, *, text: bool, error: type[FitScoresError]
) -> tuple[IntArray, BoolArray, BoolArray]:
    """Whole numbers: values, missing, bad (bad cells are logged)."""
    n = raw.shape[0]
    values = np.zeros(n, dtype=np.int64)
    missing = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)
    limit = 2**62

    def reject(idx: IntArray, reason: str | npt.ArrayLike) -> None:
        bad[idx] = True
        log.add(idx, column, error, reason)

    def strings_at(idx: IntArray, strings: AnyArray) -> None:
        empty = _lengths(strings) == 0
        missing[idx[empty]] = True
        rest, given = idx[~empty], strings[~empty]
        if rest.size == 0:
            return
        if text:
            x, ok = _parse_int_text(given)
            values[rest[ok]] = x[ok]
            reject(
                rest[~ok],
                _cat(f"{column} = ", _reprs(given[~ok].astype(object)), " is not a whole number"),
            )
        else:
            reject(
                rest,
                _cat(
                    f"{column} = ",
                    _reprs(given.astype(object)),
                    ": a string is not a whole number; give an integer",
                ),
            )

    def ints_at(idx: IntArray, x: AnyArray) -> None:
        big = (x > limit) | (x < -limit)
        if not big.any() and idx.size == n:
            values[:] = x
            return
        reject(idx[big], f"{column}: the number is too large")
        values[idx[~big]] = x[~big].astype(np.int64)

    everything = np.arange(n, dtype=np.int64)
    kind = raw.dtype.kind
    if kind == "f":
        x = _float_as_printed(raw)
        nan = np.isnan(x)
        missing[nan] = True
        finite = np.isfinite(x)
        whole = finite & (x == np.floor(np.where(finite, x, 0.0))) & (np.abs(x) <= 2**53)
        wrong = ~nan & ~whole
        reject(everything[wrong], _cat(f"{column} = ", x[wrong], " is not a whole number"))
        values[whole] = x[whole].astype(np.int64)
    elif kind in "iu":
        ints_at(everything, raw)
    elif kind in "US":
        strings_at(everything, raw)
    elif kind == "O":
        for t, idx in _type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                missing[idx] = True
            elif _is_int_type(t):
                ints_at(idx, sub)
            elif issubclass(t, str):
                strings_at(idx, sub)
            else:
                kind_name = "a boolean" if _is_bool_type(t) else f"a {t.__name__}"
                reject(
                    idx,
                    _cat(
                        f"{column} = ",
                        _reprs(sub),
                        f": {kind_name} is not a whole number; give an integer",
                    ),
                )
    else:
        reject(everything, f"{column}: {raw.dtype} values are not whole numbers")
    return values, missing, bad


def _parse_dates(
    raw: AnyArray, column: str, log: _ErrorLog
) -> tuple[IntArray, BoolArray, BoolArray]:
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
        if x.dtype == np.dtype("datetime64[D]"):
            day, exact = x, True
        else:
            day = x.astype("datetime64[D]")
            exact = day.astype(x.dtype) == x
        number = day.view(np.int64)
        good = ~nat & exact & (number >= _FIRST_DAY) & (number <= _LAST_DAY)
        if idx.size == n and not wrong_any(nat, good):
            days[:] = number if good.all() else np.where(good, number, 0)
            return
        wrong = ~nat & ~good
        reject(
            idx[wrong],
            _cat(
                f"{column} = ",
                _text(x[wrong]),
                " is not a date (a time of day, or a year outside 1-9999)",
            ),
        )
        days[idx[good]] = number[good]

    def strings_at(idx: IntArray, strings: AnyArray) -> None:
        empty = _lengths(strings) == 0
        missing[idx[empty]] = True
        rest, given = idx[~empty], strings[~empty]
        x, ok = _parse_date_text(given)
        days[rest[ok]] = x[ok]
        reject(
            rest[~ok],
            _cat(
                f"{column} = ",
                _reprs(given[~ok].astype(object)),
                " is not a date; write YYYY-MM-DD",
            ),
        )

    everything = np.arange(n, dtype=np.int64)
    kind = raw.dtype.kind
    if kind == "M":
        datetimes_at(everything, raw)
    elif kind in "US":
        strings_at(everything, raw)
    elif kind == "O":
        for t, idx in _type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                missing[idx] = True
            elif issubclass(t, str):
                strings_at(idx, sub)
            elif issubclass(t, dt.datetime):
                reject(
                    idx,
                    _cat(f"{column} = ", _reprs(sub), ": a date-time is not a date; give the date"),
                )
            elif issubclass(t, dt.date):
                days[idx] = sub.astype("datetime64[D]").astype(np.int64)
            elif issubclass(t, np.datetime64):
                datetimes_at(idx, np.array(list(sub)))
            else:
                reject(
                    idx,
                    _cat(
                        f"{column} = ",
                        _reprs(sub),
                        f": a {t.__name__} is not a date; write YYYY-MM-DD",
                    ),
                )
    else:
        reject(everything, f"{column}: {raw.dtype} values are not dates; write YYYY-MM-DD")
    return days, missing, bad


def _parse_flags(
    raw: AnyArray, column: str, log: _ErrorLog, *, text: bool
) -> tuple[BoolArray, BoolArray]:
    """True/false flags (missing is false): values, bad (bad cells are logged)."""
    n = raw.shape[0]
    values = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)

    def reject(idx: IntArray, reason: str | npt.ArrayLike) -> None:
        bad[idx] = True
        log.add(idx, column, FieldError, reason)

    def strings_at(idx: IntArray, strings: AnyArray) -> None:
        empty = _lengths(strings) == 0
        rest, given = idx[~empty], strings[~empty]
        if rest.size == 0:
            return
        if not text:
            reject(
                rest,
                _cat(
                    f"{column} = ", _reprs(given.astype(object)), ": give true or false, not text"
                ),
            )
            return
        lower = np.strings.lower(given.astype(str))
        yes = np.isin(lower, _TRUE_WORDS)
        no = np.isin(lower, _FALSE_WORDS)
        values[rest[yes]] = True
        wrong = ~yes & ~no
        reject(
            rest[wrong],
            _cat(
                f"{column} = ",
                _reprs(given[wrong].astype(object)),
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
        for t, idx in _type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                continue
            if _is_bool_type(t):
                values[idx] = sub.astype(bool)
            elif issubclass(t, str):
                strings_at(idx, sub)
            else:
                reject(idx, _cat(f"{column} = ", _reprs(sub), ": give true or false"))
    elif kind == "f":
        given = ~np.isnan(raw)
        reject(everything[given], f"{column}: give true or false, not numbers")
    else:
        reject(everything, f"{column}: give true or false, not {raw.dtype} values")
    return values, bad


LabelKind = Literal["identifier", "key", "group"]


def _parse_labels(
    raw: AnyArray, column: str, log: _ErrorLog, *, kind: LabelKind
) -> tuple[_Codes, BoolArray]:
    """A text column as codes: identifiers (validated), keys (text only) or group labels.

    Returns the codes (-1 where missing or invalid) and the invalid cells
    (logged). Identifiers are validated once per distinct value.
    """
    n = raw.shape[0]
    bad = np.zeros(n, dtype=bool)

    def reject(idx: IntArray, reason: str | npt.ArrayLike) -> None:
        bad[idx] = True
        log.add(idx, column, FieldError, reason)

    what = "text" if kind == "key" else "text or a whole number"
    dkind = raw.dtype.kind
    if dkind in "iu" and kind != "key":
        codes, labels = _seg.factorize(raw)
        return _Codes(codes, labels), bad
    if dkind == "U":
        codes, labels = _factorize_text(raw)
    elif dkind == "O":
        strings = np.empty(n, dtype=object)  # None: missing
        for t, idx in _type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                continue
            if issubclass(t, str):
                strings[idx] = sub
            elif _is_int_type(t) and kind != "key":
                strings[idx] = sub.astype(str)
            elif kind == "group":
                if issubclass(t, float | np.floating):
                    nan = np.isnan(sub.astype(np.float64))
                    idx, sub = idx[~nan], sub[~nan]
                strings[idx] = np.array(list(map(str, sub)), dtype=object)
            else:
                reject(idx, _cat(f"{column} = ", _reprs(sub), f": give {what}"))
        codes, labels = _factorize_text(strings)
    elif kind == "group":
        strings = np.empty(n, dtype=object)
        keep = ~np.isnan(raw) if dkind == "f" else np.ones(n, dtype=bool)
        strings[keep] = raw[keep].astype(str)
        codes, labels = _factorize_text(strings)
    else:
        reject(np.arange(n, dtype=np.int64), f"{column}: {raw.dtype} values are not {what}")
        return _no_codes(n), bad
    if kind == "identifier" and labels.size:
        packed = labels.astype(np.dtypes.StringDType())
        wrong = (
            (np.strings.str_len(packed) > _MAX_IDENTIFIER)
            | (np.strings.lstrip(packed, _WHITESPACE) != packed)
            | (np.strings.rstrip(packed, _WHITESPACE) != packed)
            | (np.strings.find(packed, "\n") >= 0)
        )
        if wrong.any():
            rows = np.flatnonzero((codes >= 0) & wrong[np.maximum(codes, 0)])
            reject(
                rows,
                _cat(
                    f"{column} = ",
                    _reprs(labels[codes[rows]]),
                    " is not a valid identifier (1-200 characters, no white space at "
                    "either end, no line breaks)",
                ),
            )
            codes[rows] = -1
    return _Codes(codes, labels), bad


def _factorize_text(values: AnyArray) -> tuple[IntArray, ObjArray]:
    """Codes of text values (``None`` and empty text: -1) and the sorted labels as str."""
    n = values.shape[0]
    codes = np.full(n, -1, dtype=np.int64)
    if values.dtype.kind == "U":
        present = np.flatnonzero(values != "")
        given: AnyArray = values if present.size == n else values[present]
    else:
        not_none = np.fromiter(
            map(operator.is_not, values, itertools.repeat(None)), dtype=bool, count=n
        )
        present = np.flatnonzero(not_none)
        lengths = _lengths(values[present])
        present = present[lengths > 0]
        widest = int(lengths.max(initial=0))
        given = values[present]
        given = given.astype(f"U{widest}" if widest <= 32 else np.dtypes.StringDType())
    if present.size == 0:
        return codes, np.zeros(0, dtype=object)
    sub_codes, labels = _seg.factorize(given)
    codes[present] = sub_codes
    return codes, np.asarray(labels.astype(object), dtype=object)


# --- the table ------------------------------------------------------------------------------


def _column_list(name: str, values: object) -> AnyArray:
    """One input column as a one-dimensional numpy array."""
    if isinstance(values, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(values)
        data = np.asarray(values.data)
        if not mask.any():
            return _column_list(name, data)
        out = data.astype(object)
        out[mask] = None
        return np.asarray(out).reshape(-1) if out.ndim == 1 else _bad_shape(name)
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            _bad_shape(name)
        if values.dtype.kind == "S":
            raise TableInputError(f"column {name!r}: give text as str, not bytes")
        return values
    if type(values).__module__.split(".")[0] in ("pandas", "polars"):
        converted = _frame_column(values)
        return _column_list(name, converted)
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise TableInputError(
            f"column {name!r}: give a sequence or one-dimensional array of values, "
            f"got {type(values).__name__}"
        )
    return _object_array(values)


def _bad_shape(name: str) -> AnyArray:
    raise TableInputError(f"column {name!r}: give a one-dimensional array")


def _frame_column(values: Any) -> AnyArray:
    """A pandas or polars series as a numpy array (missing as None or NaN)."""
    module = type(values).__module__.split(".")[0]
    if module == "pandas":
        return _pandas_series(values)
    return _polars_series(values)


def _pandas_series(s: Any) -> AnyArray:
    import pandas as pd

    dtype = s.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biufM":
        return np.asarray(s.to_numpy())
    if isinstance(dtype, pd.DatetimeTZDtype):
        raise TableInputError("time-zone aware date-times are not dates; give dates")
    out = np.asarray(s.to_numpy(dtype=object), dtype=object).copy()
    out[np.asarray(s.isna().to_numpy(), dtype=bool)] = None
    return out


def _polars_series(s: Any) -> AnyArray:
    dtype = s.dtype
    nulls = int(s.null_count())
    if dtype.is_numeric() and (nulls == 0 or dtype.is_float()):
        return np.asarray(s.to_numpy())
    name = str(dtype)
    if name.startswith("Date"):
        if getattr(dtype, "time_zone", None):
            raise TableInputError("time-zone aware date-times are not dates; give dates")
        return np.asarray(s.to_numpy())
    if name == "Boolean" and nulls == 0:
        return np.asarray(s.to_numpy(), dtype=bool)
    return _object_array(s.to_list())


class _ColumnOutputs:
    """``to_records``, ``to_pandas``, ``to_csv`` and ``to_json`` for a class with ``_columns()``."""

    def _columns(self) -> list[tuple[str, Any]]:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per row (``None`` for missing, suppressed or undefined values)."""
        return _to_records(self._columns())

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame (needs pandas)."""
        return _to_pandas(self._columns())

    def to_csv(self) -> str:
        """The rows as CSV text."""
        return _to_csv(self._columns())

    def to_json(self) -> str:
        """The rows as a JSON array of objects (dates as ISO text)."""
        return _to_json(self._columns())


@dataclass(frozen=True, eq=False, repr=False)
class TableErrors(_ColumnOutputs):
    """The per-row error report of a :class:`ScoreTable`: one entry per problem found.

    A row can have several entries. Every rejected row has at least one, and
    every row with an entry is rejected.

    Attributes
    ----------
    n_input : int
        Number of input rows.
    row : ndarray of int
        Index of the row in the input (0-based; for CSV the data record after
        the header, blank lines not counted).
    column : ndarray of str
        The column the problem is in (``""`` for the row as a whole).
    error : ndarray of str
        Name of the :class:`~fit_scores.errors.FitScoresError` subclass that
        the single-record models raise for it (e.g. ``"ItemRangeError"``).
    reason : ndarray of str
        What is wrong, with the value and the rule.

    Examples
    --------
    >>> from fit_scores.table import from_records
    >>> t = from_records([{"person": "p", "scale": "ORS", "date": "2025-01-10",
    ...                    "item_1": 5, "item_2": 5, "item_3": 10.5, "item_4": True}])
    >>> for e in t.errors.to_records():
    ...     print(e["row"], e["column"], e["error"])
    0 item_3 ItemRangeError
    0 item_4 ItemValueTypeError
    >>> t.n_input, t.n_valid, t.n_rejected
    (1, 0, 1)
    """

    n_input: int
    row: IntArray
    column: ObjArray
    error: ObjArray
    reason: ObjArray

    def __len__(self) -> int:
        return int(self.row.size)

    def __repr__(self) -> str:
        return f"TableErrors({len(self)} errors in {self.n_rejected} of {self.n_input} rows)"

    @property
    def rows(self) -> IntArray:
        """The rejected rows (sorted, each once)."""
        return np.unique(self.row)

    @property
    def n_rejected(self) -> int:
        """Number of rejected rows."""
        return int(self.rows.size)

    def counts(self) -> dict[tuple[str, str], int]:
        """Number of entries per ``(column, error)``."""
        out: dict[tuple[str, str], int] = {}
        for key in zip(self.column.tolist(), self.error.tolist(), strict=True):
            out[key] = out.get(key, 0) + 1
        return out

    def _columns(self) -> list[tuple[str, Any]]:
        return [
            ("row", self.row),
            ("column", self.column),
            ("error", self.error),
            ("reason", self.reason),
        ]


@dataclass(frozen=True, eq=False, repr=False)
class ScoreTable:
    """Validated, exactly scored administrations, sorted into tracks.

    Build one with :func:`from_columns`, :func:`from_records`,
    :func:`from_pandas`, :func:`from_polars`, :func:`parse_csv` or
    :func:`parse_json`. The valid rows are sorted by person, scale, rater,
    rater id, episode, date and session; a track is a contiguous run of rows
    starting at :attr:`track_starts`.

    Attributes
    ----------
    n_input : int
        Number of input rows (``n_valid + n_rejected``).
    row : ndarray of int
        Index in the input of every valid row.
    scales : tuple of Scale
        The scales used; :attr:`scale_index` points into it.
    scale_index : ndarray of int
        The scale of every row.
    rater_code : ndarray of int8
        The rater of every row as an index into :data:`RATERS`.
    days : ndarray of int
        Date of every row, in days since 1970-01-01 (see :attr:`date`).
    session_number : ndarray of int
        Session numbers; 0 where none was given (see :attr:`session`).
    age_years : ndarray of int
        Age in completed years (given or derived from the birth date); -1 if
        unknown (see :attr:`age`).
    skip : ndarray of bool
        Meetings where the form was not filled in (no score).
    has_items : ndarray of bool
        Rows scored from items (else from the total alone, or skipped).
    item_ticks, answered : ndarray, shape (n, k)
        Item scores in ticks of the row's scale, and which items are answered
        (gathered on first use from ``input_item_ticks`` and
        ``input_answered``, which hold every input row).
    total_num, total_den : ndarray of int
        The exact total in ticks is ``total_num / total_den``; ``0 / 0`` for a
        skipped row.
    track_starts : ndarray of int
        Offsets of the tracks.
    errors : TableErrors
        The rejected rows and why.

    Examples
    --------
    >>> from fit_scores.table import from_records
    >>> t = from_records([
    ...     {"person": "p", "scale": "ORS", "date": "2025-01-10",
    ...      "item_1": 0.7, "item_2": 8.1, "item_3": 7.5, "item_4": 8.7},
    ...     {"person": "p", "scale": "ORS", "date": "2025-02-10", "skip": True},
    ... ])
    >>> t.total.tolist(), t.total_num.tolist(), t.total_den.tolist()
    ([25.0, nan], [250, 0], [1, 0])
    """

    n_input: int
    row: IntArray
    person_codes: _Codes
    scales: tuple[Scale, ...]
    scale_index: IntArray
    rater_code: npt.NDArray[np.int8]
    rater_id_codes: _Codes
    episode_codes: _Codes
    days: IntArray
    session_number: IntArray
    age_years: IntArray
    input_birth_days: IntArray | None
    skip: BoolArray
    has_items: BoolArray
    input_item_ticks: AnyArray
    input_answered: BoolArray
    total_num: IntArray
    total_den: IntArray
    ending_codes: _Codes | None
    group_codes: dict[str, _Codes]
    track_starts: IntArray
    errors: TableErrors

    # --- sizes -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.row.size)

    def __repr__(self) -> str:
        return (
            f"ScoreTable(n_input={self.n_input}, n_valid={self.n_valid}, "
            f"n_rejected={self.n_rejected}, n_tracks={self.n_tracks}, "
            f"scales={[s.key for s in self.scales]})"
        )

    @cached_property
    def item_ticks(self) -> AnyArray:
        """Item scores in ticks, shape (n, k); 0 where unanswered."""
        return _gather_columns(self.input_item_ticks, self.row)

    @cached_property
    def answered(self) -> BoolArray:
        """Which items are answered, shape (n, k)."""
        return _gather_columns(self.input_answered, self.row)

    @cached_property
    def birth_days(self) -> IntArray | None:
        """Birth dates in days since 1970 (``None`` without a birth_date column)."""
        if self.input_birth_days is None:
            return None
        out: IntArray = self.input_birth_days[self.row]
        return out

    @property
    def n_valid(self) -> int:
        """Number of valid rows."""
        return len(self)

    @property
    def n_rejected(self) -> int:
        """Number of rejected input rows."""
        return self.errors.n_rejected

    @property
    def n_tracks(self) -> int:
        """Number of tracks."""
        return int(self.track_starts.size)

    @property
    def n_items(self) -> int:
        """Number of item columns (``item_1`` ... ``item_k``)."""
        return int(self.input_item_ticks.shape[1])

    @property
    def track_of_row(self) -> IntArray:
        """The track index of every row."""
        return _seg.segment_ids(self.track_starts, len(self))

    @property
    def group_names(self) -> tuple[str, ...]:
        """Names of the grouping columns."""
        return tuple(self.group_codes)

    # --- columns ---------------------------------------------------------------------------

    @property
    def person(self) -> ObjArray:
        """Person of every row (text)."""
        return self.person_codes.values()

    @property
    def scale(self) -> ObjArray:
        """Scale key of every row."""
        keys = np.array([s.key for s in self.scales], dtype=object)
        return np.asarray(keys[self.scale_index], dtype=object)

    @property
    def rater(self) -> ObjArray:
        """Rater of every row."""
        return np.asarray(np.array(RATERS, dtype=object)[self.rater_code], dtype=object)

    @property
    def rater_id(self) -> ObjArray:
        """Rater id of every row (``None`` if none)."""
        return self.rater_id_codes.values()

    @property
    def episode(self) -> ObjArray:
        """Episode of every row (``None`` if none)."""
        return self.episode_codes.values()

    @property
    def date(self) -> npt.NDArray[np.datetime64]:
        """Date of every row."""
        return self.days.astype("datetime64[D]")

    @property
    def session(self) -> Masked:
        """Session numbers (masked where none was given)."""
        return np.ma.masked_array(self.session_number, mask=self.session_number == 0)

    @property
    def age(self) -> Masked:
        """Age in completed years (masked where unknown)."""
        return np.ma.masked_array(self.age_years, mask=self.age_years < 0)

    @property
    def ticks_per_unit(self) -> IntArray:
        """Ticks per score unit of every row's scale."""
        tpu = np.array([s.ticks_per_unit for s in self.scales], dtype=np.int64)
        out: IntArray = tpu[self.scale_index]
        return out

    @property
    def total(self) -> FloatArray:
        """The total of every row as a float, NaN for a skipped row (for display)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            out: FloatArray = self.total_num / (self.total_den * self.ticks_per_unit)
        return np.where(self.total_den > 0, out, np.nan)

    @property
    def items(self) -> FloatArray:
        """Item scores as floats, NaN where unanswered or not given (total-only rows)."""
        tpu = self.ticks_per_unit[:, np.newaxis]
        out: FloatArray = np.where(self.answered, self.item_ticks / tpu, np.nan)
        return out

    @property
    def groups(self) -> dict[str, ObjArray]:
        """The grouping columns (text, ``None`` where empty)."""
        return {name: codes.values() for name, codes in self.group_codes.items()}

    @property
    def ending_reason(self) -> ObjArray:
        """The ending reason of every row (``None`` where empty)."""
        if self.ending_codes is None:
            return np.full(len(self), None, dtype=object)
        return self.ending_codes.values()

    # --- outputs ---------------------------------------------------------------------------

    def _columns(self) -> list[tuple[str, Any]]:
        cols: list[tuple[str, Any]] = [
            ("person", self.person_codes),
            ("scale", self.scale),
            ("rater", self.rater),
            ("rater_id", self.rater_id_codes),
            ("date", self.date),
            ("session", self.session),
            ("episode", self.episode_codes),
            ("age", self.age),
        ]
        if self.birth_days is not None:
            nat = self.birth_days == _NO_DAY
            birth = np.where(nat, np.datetime64("NaT"), self.birth_days.astype("datetime64[D]"))
            cols.append(("birth_date", birth.astype("datetime64[D]")))
        cols.append(("skip", self.skip))
        items = self.items
        for j in range(self.n_items):
            cols.append((f"item_{j + 1}", items[:, j]))
        cols.append(("total", self.total))
        if self.ending_codes is not None:
            cols.append(("ending_reason", self.ending_codes))
        cols.extend(self.group_codes.items())
        return cols

    def to_records(self) -> list[dict[str, Any]]:
        """The valid rows as input-style records (``None`` for missing values).

        Reading them back with :func:`from_records` gives the same table.
        """
        return _to_records(self._columns())

    def to_pandas(self) -> pd.DataFrame:
        """The valid rows as a pandas DataFrame with the input columns (needs pandas)."""
        return _to_pandas(self._columns())

    def to_csv(self) -> str:
        """The valid rows as CSV text with the input columns (reads back with :func:`parse_csv`)."""
        return _to_csv(self._columns())

    def to_json(self) -> str:
        """The valid rows as a JSON array of records (reads back with :func:`parse_json`)."""
        return _to_json(self._columns())

    # --- summary ---------------------------------------------------------------------------

    def summarize(
        self,
        *,
        model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel | None = None,
        rules: AllianceRules | None = None,
        status_rule: _traj.StatusRule | None = None,
        non_reliable_recovery: bool = False,
    ) -> TrackSummary:
        """One row per track: counts, dates, intake, latest, change and signals.

        Computed with the same kernels as the single-track API
        (:meth:`Track.change() <fit_scores.Track.change>`,
        :meth:`Track.alliance_signals() <fit_scores.Track.alliance_signals>`,
        ``model.status(track)``), on whole columns. Intake and latest are the
        first and the last *scored* administration; skipped meetings count
        in ``n`` and ``n_skipped`` and in the dates, not in the scores or the
        signals.

        Parameters
        ----------
        model : GrowthModel, CohortModel or NeighboursModel, optional
            A fitted expected-response model: adds ``expected_at``,
            ``expected`` (the expected line at the latest score) and
            ``expected_status``, as ``model.status(track)`` would. Growth and
            cohort models are evaluated vectorised; a neighbours model (no
            covariates) is called once per distinct (intake, time) pair.
        rules : AllianceRules, optional
            Thresholds of the alliance signals.
        status_rule : StatusRule, optional
            How the latest score is compared with the expected band.
        non_reliable_recovery : bool
            As in :meth:`Track.change() <fit_scores.Track.change>`.

        Returns
        -------
        TrackSummary

        Notes
        -----
        Columns: ``person, scale, rater, rater_id, episode``, the grouping
        columns (each the last non-empty value in the track), ``n,
        n_scored, n_skipped, first_date, latest_date, days_in_contact``
        (latest minus first meeting), ``age`` and ``age_band`` (at intake),
        ``intake_date, intake, latest_score_date, latest, change`` (latest -
        intake, with two or more scores), ``reliable, reliably_improved,
        reliably_deteriorated`` (the scale's criterion, exact in ticks),
        ``clinical_intake, clinical_latest`` (each against the cutoff of its
        own age band and rater; missing where the age is unknown and the bands
        differ, or no cutoff is published), ``category`` (as
        ``Track.change().category``); for alliance tracks the signals of the
        latest score ``below_cutoff, drop, item_below, ceiling`` and how many
        scores of the track raised each (``n_below_cutoff`` ...);
        ``ending_reason`` (the last non-empty one); ``expected_at, expected,
        expected_status``.

        Examples
        --------
        >>> from fit_scores.table import from_columns
        >>> t = from_columns({"person": ["a", "a"], "scale": ["SRS", "SRS"],
        ...                   "date": ["2025-01-10", "2025-01-17"],
        ...                   "total": [38.0, 36.5]})
        >>> s = t.summarize()
        >>> s["below_cutoff"].tolist(), s["drop"].tolist(), s["n_drop"].tolist()
        ([False], [True], [1])
        """
        return _summarize(
            self,
            model=model,
            rules=AllianceRules() if rules is None else rules,
            status_rule=_traj.StatusRule() if status_rule is None else status_rule,
            non_reliable_recovery=non_reliable_recovery,
        )


_NO_DAY = np.iinfo(np.int64).min


# --- building the table ---------------------------------------------------------------------


def _classify_columns(names: Sequence[Any]) -> tuple[dict[int, str], list[str]]:
    items: dict[int, str] = {}
    groups: list[str] = []
    for name in names:
        if not isinstance(name, str) or not name:
            raise TableInputError(f"column names must be non-empty text, got {name!r}")
        if name in _FIELDS:
            continue
        match = _ITEM_COLUMN.match(name)
        if match is not None:
            digits = match.group(1)
            if digits.startswith("0"):
                raise TableInputError(
                    f"column {name!r}: item columns are item_1, item_2, ... (from 1, "
                    "no leading zeros)"
                )
            items[int(digits)] = name
        elif name == "items":
            raise TableInputError(
                "column 'items': give the item scores in columns item_1 ... item_k, "
                "in the scale's item order"
            )
        else:
            groups.append(name)
    missing = [c for c in _REQUIRED if c not in names]
    if missing:
        raise TableInputError(
            f"required column(s) {missing} missing; a table needs person, scale and date "
            f"(columns given: {list(names)})"
        )
    return items, groups


def _rows_per_scale(scale_index: IntArray, n_scales: int) -> list[tuple[int, IntArray]]:
    """The rows of every scale present (a single scale: all rows, without sorting)."""
    if scale_index.size == 0:
        return []
    first = int(scale_index[0])
    if first >= 0 and bool((scale_index == first).all()):
        return [(first, np.arange(scale_index.size, dtype=np.int64))]
    order = np.argsort(scale_index, kind="stable")
    bounds = np.searchsorted(scale_index[order], np.arange(-1, n_scales + 1))
    return [
        (s, order[bounds[s + 1] : bounds[s + 2]].astype(np.int64))
        for s in range(n_scales)
        if bounds[s + 2] > bounds[s + 1]
    ]


def _fmt(value: float) -> str:
    return repr(float(value)) if value != int(value) else str(int(value))


#: Rows checked at a time: the temporaries of a chunk stay small (cache, no page faults).
_CHUNK = 1 << 17


@dataclass
class _RowValues:
    """Per-row results of the row checks, for all input rows (items column-major)."""

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
    def allocate(cls, n: int, k: int, *, birth: bool, wide: bool) -> _RowValues:
        return cls(
            days=np.zeros(n, dtype=np.int64),
            session=np.zeros(n, dtype=np.int64),
            age=np.full(n, -1, dtype=np.int64),
            birth=np.full(n, _NO_DAY, dtype=np.int64) if birth else None,
            skip=np.zeros(n, dtype=bool),
            has_items=np.zeros(n, dtype=bool),
            num=np.zeros(n, dtype=np.int64),
            den=np.zeros(n, dtype=np.int64),
            ticks=np.zeros((n, k), dtype=np.int64 if wide else np.int32, order="F"),
            answered=np.zeros((n, k), dtype=bool, order="F"),
        )


def _gather_columns(matrix: AnyArray, rows: IntArray) -> AnyArray:
    """``matrix[rows]`` one column at a time (fast for a few columns; column-major result)."""
    out = np.empty((rows.size, matrix.shape[1]), dtype=matrix.dtype, order="F")
    for j in range(matrix.shape[1]):
        out[:, j] = matrix[:, j][rows]
    return out


def _build(
    columns: Mapping[str, AnyArray],
    n: int,
    *,
    text: bool,
    registry: ScaleRegistry | None,
    log: _ErrorLog,
) -> ScoreTable:
    reg = default_registry() if registry is None else registry
    if not isinstance(reg, ScaleRegistry):
        raise TableInputError(f"registry must be a ScaleRegistry, got {type(reg).__name__}")
    names = list(columns)
    item_names, group_names = _classify_columns(names)
    k = max(item_names, default=0)

    # whole columns: identifiers, keys and labels (factorised once)
    person, person_bad = _parse_labels(columns["person"], "person", log, kind="identifier")
    log.add(
        np.flatnonzero((person.codes < 0) & ~person_bad), "person", FieldError, "person is required"
    )
    scale_codes, scale_bad = _parse_labels(columns["scale"], "scale", log, kind="key")
    log.add(
        np.flatnonzero((scale_codes.codes < 0) & ~scale_bad),
        "scale",
        FieldError,
        "scale is required",
    )
    scales, scale_index = _resolve_scales(scale_codes, reg, log)
    rater_code, rater_ok = _rater_codes(columns.get("rater"), n, log)
    rater_id = _optional_labels(columns.get("rater_id"), "rater_id", log, n)
    episode = _optional_labels(columns.get("episode"), "episode", log, n)
    ending_raw = columns.get("ending_reason")
    ending = _optional_labels(ending_raw, "ending_reason", log, n, kind="group")
    groups = {
        name: _parse_labels(columns[name], name, log, kind="group")[0] for name in group_names
    }

    # row by row checks and scores, a chunk of rows at a time
    wide = any(max(abs(s.item_min), abs(s.item_max)) * s.ticks_per_unit >= 2**31 for s in scales)
    values = _RowValues.allocate(n, k, birth="birth_date" in columns, wide=wide)
    for lo in range(0, n, _CHUNK):
        part = slice(lo, min(n, lo + _CHUNK))
        _check_rows(
            {name: raw[part] for name, raw in columns.items() if name not in group_names},
            item_names,
            k,
            scales,
            scale_index[part],
            rater_code[part],
            rater_ok[part],
            values,
            part,
            text=text,
            log=log.shifted(lo),
        )

    # the rater id of a self-rating is the person (stored as empty) or empty
    rater_id = _check_self_rater(person, rater_id, rater_code, log)

    # sort the rows that passed every row check into tracks
    valid = np.flatnonzero(~log.rejected(n))
    rows, parts = _sort_rows(
        valid,
        person.codes,
        scale_index,
        rater_code,
        rater_id.codes,
        episode.codes,
        values.days,
        values.session,
    )
    keep = _track_checks(rows, parts["track"], parts["time"], parts["days"], parts["session"], log)
    if not keep.all():
        rows = rows[keep]
        parts = {name: part[keep] for name, part in parts.items()}
    track_starts = _seg.starts_of(parts["track"])
    errors = log.build(n, ["", *names])
    return ScoreTable(
        n_input=n,
        row=rows,
        person_codes=_Codes(parts["person"], person.labels),
        scales=tuple(scales),
        scale_index=parts["scale"],
        rater_code=parts["rater"].astype(np.int8),
        rater_id_codes=_Codes(parts["rater_id"], rater_id.labels),
        episode_codes=_Codes(parts["episode"], episode.labels),
        days=parts["days"],
        session_number=parts["session"],
        age_years=values.age[rows],
        input_birth_days=values.birth,
        skip=values.skip[rows],
        has_items=values.has_items[rows],
        input_item_ticks=values.ticks,
        input_answered=values.answered,
        total_num=values.num[rows],
        total_den=values.den[rows],
        ending_codes=None if ending_raw is None else ending.take(rows),
        group_codes={name: codes.take(rows) for name, codes in groups.items()},
        track_starts=track_starts,
        errors=errors,
    )


def _resolve_scales(
    scale_codes: _Codes, registry: ScaleRegistry, log: _ErrorLog
) -> tuple[list[Scale], IntArray]:
    """The distinct scales and every row's index into them (-1: unknown or missing)."""
    scales: list[Scale] = []
    index_of_label = np.full(scale_codes.labels.size, -1, dtype=np.int64)
    for c, label in enumerate(scale_codes.text.tolist()):
        try:
            scale = registry.get(label)
        except UnknownScaleError as exc:
            log.add(np.flatnonzero(scale_codes.codes == c), "scale", UnknownScaleError, str(exc))
            continue
        keys = [s.key for s in scales]
        if scale.key not in keys:
            scales.append(scale)
            keys.append(scale.key)
        index_of_label[c] = keys.index(scale.key)
    codes = scale_codes.codes
    scale_index = np.full(codes.size, -1, dtype=np.int64)
    if index_of_label.size:
        scale_index = np.where(codes >= 0, index_of_label[np.maximum(codes, 0)], -1)
    return scales, scale_index


def _rater_codes(
    raw: AnyArray | None, n: int, log: _ErrorLog
) -> tuple[npt.NDArray[np.int8], BoolArray]:
    """Rater codes (index into RATERS; empty: self) and which rows have a usable rater."""
    rater_code = np.zeros(n, dtype=np.int8)
    rater_ok = np.ones(n, dtype=bool)
    if raw is None:
        return rater_code, rater_ok
    codes, bad = _parse_labels(raw, "rater", log, kind="key")
    rater_ok &= ~bad
    if codes.labels.size:
        lookup = np.array([RATERS.index(r) if r in RATERS else -1 for r in codes.text.tolist()])
        mapped = np.where(codes.codes >= 0, lookup[np.maximum(codes.codes, 0)], 0)
        wrong = (codes.codes >= 0) & (mapped < 0)
        log.add(
            np.flatnonzero(wrong),
            "rater",
            FieldError,
            _cat(
                "rater = ",
                _reprs(codes.values()[wrong]),
                " is not a rater; use 'self', 'caretaker' or 'collateral'",
            ),
        )
        rater_ok &= ~wrong
        rater_code = np.maximum(mapped, 0).astype(np.int8)
    return rater_code, rater_ok


def _check_self_rater(
    person: _Codes, rater_id: _Codes, rater_code: npt.NDArray[np.int8], log: _ErrorLog
) -> _Codes:
    """A self-rating's rater id must be the person (then stored as empty) or empty."""
    self_rated = np.flatnonzero((rater_code == 0) & (rater_id.codes >= 0) & (person.codes >= 0))
    if self_rated.size == 0:
        return rater_id
    same = person.text[person.codes[self_rated]] == rater_id.text[rater_id.codes[self_rated]]
    differ = self_rated[~same]
    log.add(
        differ,
        "rater_id",
        RaterError,
        _cat(
            "rater_id ",
            _reprs(rater_id.values()[differ]),
            " differs from person ",
            _reprs(person.values()[differ]),
            " for a self-rating; use rater 'caretaker' or 'collateral'",
        ),
    )
    codes = rater_id.codes.copy()
    codes[self_rated[same]] = -1
    return _Codes(codes, rater_id.labels)


def _any_columns(matrix: BoolArray) -> BoolArray:
    """``matrix.any(axis=1)`` by columns (faster for a handful of columns)."""
    out = np.zeros(matrix.shape[0], dtype=bool)
    for j in range(matrix.shape[1]):
        out |= matrix[:, j]
    return out


def _check_rows(
    columns: Mapping[str, AnyArray],
    item_names: Mapping[int, str],
    k: int,
    scales: Sequence[Scale],
    scale_index: IntArray,
    rater_code: npt.NDArray[np.int8],
    rater_ok: BoolArray,
    out: _RowValues,
    part: slice,
    *,
    text: bool,
    log: _ErrorLog,
) -> None:
    """Every check of a single row, on a chunk of rows; results go into ``out[part]``."""
    m = scale_index.size
    # dates, sessions, ages
    days, day_missing, day_bad = _parse_dates(columns["date"], "date", log)
    log.add(np.flatnonzero(day_missing), "date", FieldError, "date is required")
    out.days[part] = days
    day_ok = ~day_missing & ~day_bad
    if (raw := columns.get("session")) is not None:
        session, missing, bad = _parse_ints(raw, "session", log, text=text, error=FieldError)
        low = ~missing & ~bad & (session < 1)
        log.add(
            np.flatnonzero(low),
            "session",
            FieldError,
            _cat("session = ", session[low], " is not a session number (1, 2, ...)"),
        )
        out.session[part] = np.where(~missing & ~bad & ~low, session, 0)
    age = np.full(m, -1, dtype=np.int64)
    if (raw := columns.get("age")) is not None:
        given_age, missing, bad = _parse_ints(raw, "age", log, text=text, error=AgeError)
        given = ~missing & ~bad
        wrong = given & ((given_age < 0) | (given_age > _MAX_AGE))
        log.add(
            np.flatnonzero(wrong),
            "age",
            AgeError,
            _cat("age = ", given_age[wrong], f" is outside 0-{_MAX_AGE} years"),
        )
        age = np.where(given & ~wrong, given_age, -1)
    from_birth = np.zeros(m, dtype=bool)
    if (raw := columns.get("birth_date")) is not None and out.birth is not None:
        born, b_missing, b_bad = _parse_dates(raw, "birth_date", log)
        out.birth[part] = np.where(b_missing | b_bad, _NO_DAY, born)
        usable = ~b_missing & ~b_bad & day_ok
        y1, m1, d1 = _civil(np.where(usable, born, 0))
        y2, m2, d2 = _civil(np.where(usable, days, 0))
        derived = y2 - y1 - ((m2 < m1) | ((m2 == m1) & (d2 < d1)))
        before = usable & (days < born)
        log.add(
            np.flatnonzero(before),
            "birth_date",
            AgeError,
            _cat("the date ", _iso(days[before]), " is before the birth date ", _iso(born[before])),
        )
        old = usable & ~before & (derived > _MAX_AGE)
        log.add(
            np.flatnonzero(old),
            "birth_date",
            AgeError,
            _cat("the age at the date would be ", derived[old], f" (over {_MAX_AGE})"),
        )
        usable &= ~before & ~old
        disagree = usable & (age >= 0) & (age != derived)
        log.add(
            np.flatnonzero(disagree),
            "age",
            AgeError,
            _cat(
                "age ",
                age[disagree],
                " disagrees with the birth date ",
                _iso(born[disagree]),
                " (",
                derived[disagree],
                " years on ",
                _iso(days[disagree]),
                ")",
            ),
        )
        from_birth = usable & (age < 0)
        age = np.where(from_birth, derived, age)
    out.age[part] = age

    # scores
    item_values = np.zeros((m, k), dtype=np.float64)
    item_present = np.zeros((m, k), dtype=bool)
    item_bad = np.zeros((m, k), dtype=bool)
    for j in range(k):
        name = item_names.get(j + 1)
        if name is None:
            continue
        i_values, i_missing, i_bad = _parse_scores(columns[name], name, log, text=text)
        item_values[:, j] = i_values
        item_present[:, j] = ~i_missing
        item_bad[:, j] = i_bad
    total_values = np.zeros(m, dtype=np.float64)
    total_given = np.zeros(m, dtype=bool)
    total_bad = np.zeros(m, dtype=bool)
    if (raw := columns.get("total")) is not None:
        total_values, t_missing, total_bad = _parse_scores(raw, "total", log, text=text)
        total_given = ~t_missing
    skip: BoolArray = np.zeros(m, dtype=bool)
    if (raw := columns.get("skip")) is not None:
        skip, _ = _parse_flags(raw, "skip", log, text=text)
    has_items = _any_columns(item_present)
    log.add(
        np.flatnonzero(~has_items & ~total_given & ~skip),
        "total",
        ScoreError,
        "no score: give items or total (or both), or mark a form that was not filled in with skip",
    )
    log.add(
        np.flatnonzero(skip & (has_items | total_given)),
        "skip",
        ScoreError,
        "a skipped form has no scores; clear the items and total, or skip",
    )
    out.skip[part] = skip
    out.has_items[part] = has_items & ~skip

    num, den = out.num[part], out.den[part]
    ticks, answered = out.ticks[part], out.answered[part]
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
            has_items & ~skip,
            num,
            den,
            ticks,
            answered,
            log,
        )
        # the rater must be allowed by the scale
        allowed = np.isin(rater_code[rows], [RATERS.index(r) for r in scale.raters])
        wrong_rater = rows[rater_ok[rows] & ~allowed]
        log.add(
            wrong_rater,
            "rater",
            RaterError,
            _cat(
                "rater ",
                _reprs(np.array(RATERS, dtype=object)[rater_code[wrong_rater]]),
                f" is not allowed for {scale.key}; allowed: {list(scale.raters)}",
            ),
        )
        # the age must be within the scale's ages
        a = age[rows]
        outside = (a >= 0) & (a < scale.min_age)
        if scale.max_age is not None:
            outside |= a > scale.max_age
        ages = f"{scale.min_age}+" if scale.max_age is None else f"{scale.min_age}-{scale.max_age}"
        for col_name, derived_age in (("age", False), ("birth_date", True)):
            where = rows[outside & (from_birth[rows] == derived_age)]
            log.add(
                where,
                col_name,
                AgeError,
                _cat("age ", age[where], f": {scale.key} is for ages {ages}"),
            )


def _iso(days: IntArray) -> npt.NDArray[np.str_]:
    return np.datetime_as_string(days.astype("datetime64[D]"))


def _optional_labels(
    raw: AnyArray | None, name: str, log: _ErrorLog, n: int, *, kind: LabelKind = "identifier"
) -> _Codes:
    if raw is None:
        return _no_codes(n)
    return _parse_labels(raw, name, log, kind=kind)[0]


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
    log: _ErrorLog,
) -> None:
    """Score the rows of one scale with the rules of Administration (results written in place)."""
    m = scale.n_items
    tpu = scale.ticks_per_unit
    key = scale.key
    whole = rows.size == num.size
    sel: Any = slice(None) if whole else rows
    pres = item_present[sel]
    ibad = item_bad[sel]
    with_items = has_items[sel]
    count_bad = np.zeros(rows.size, dtype=bool)
    for j in range(m, k):
        extra = pres[:, j]
        count_bad |= extra
        log.add(
            rows[extra],
            item_names.get(j + 1, f"item_{j + 1}"),
            ItemCountError,
            f"{key} has {m} items ({', '.join(scale.item_keys)}); item_{j + 1} is one too many",
        )
    mm = min(m, k)
    type_bad = _any_columns(ibad[:, :mm])
    answered = np.zeros((rows.size, m), dtype=bool)
    answered[:, :mm] = pres[:, :mm] & ~ibad[:, :mm]
    n_answered = np.zeros(rows.size, dtype=np.int64)
    for j in range(mm):
        n_answered += answered[:, j]
    check = with_items & ~type_bad & ~count_bad
    short = check & (n_answered < scale.required_answers)
    log.add(
        rows[short],
        "items",
        MissingItemsError,
        _cat(
            n_answered[short],
            f" of {m} items answered; {key} needs at least {scale.required_answers}",
        ),
    )
    # unanswered and invalid items hold 0 (see _parse_scores)
    if k >= m:
        values = item_values[sel, :m]
    else:
        values = np.zeros((rows.size, m), dtype=np.float64)
        values[:, :mm] = item_values[sel, :mm]
    # values too large for int64 ticks are out of range whatever the scale
    huge = np.abs(values) >= 2.0**62 / tpu
    any_huge = bool(huge.any())
    ticks, on_grid = _ticks.to_ticks(np.where(huge, 0.0, values) if any_huge else values, tpu)
    lo, hi = (int(t) for t in _ticks.to_ticks([scale.item_min, scale.item_max], tpu)[0])
    out_of_range = answered & ((ticks < lo) | (ticks > hi))
    if any_huge:
        out_of_range |= answered & huge
    off_grid = answered & ~out_of_range & ~on_grid
    for j in range(mm):
        name = item_names.get(j + 1, f"item_{j + 1}")
        bad_rows = np.flatnonzero(out_of_range[:, j])
        log.add(
            rows[bad_rows],
            name,
            ItemRangeError,
            _cat(
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
            _cat(
                f"{name} ({scale.item_keys[j]}) = ",
                values[bad_rows, j],
                f" is not a multiple of the resolution {_fmt(scale.resolution)} of {key}",
            ),
        )
    items_ok = check & ~short & ~_any_columns(out_of_range) & ~_any_columns(off_grid)
    reverse = np.array([item.reverse for item in scale.items])

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
        good = np.flatnonzero(items_ok)
        full_num = np.zeros(rows.size, dtype=np.int64)
        full_den = np.ones(rows.size, dtype=np.int64)
        full_num[good], full_den[good] = totals(ticks[good], answered[good])
        t_num, t_den = full_num, full_den
    # a total given with the items must equal their total
    given_total = total_ok[sel]
    tv = total_values[sel]
    both = items_ok & given_total
    if both.any():
        with np.errstate(invalid="ignore", divide="ignore"):  # rows without items: 0 / 0
            exact = t_num / (t_den * tpu)
        mismatch = np.flatnonzero(both & (tv != exact))
        log.add(
            rows[mismatch],
            "total",
            TotalMismatchError,
            _cat(
                "total = ",
                tv[mismatch],
                " does not equal the total of the items (",
                exact[mismatch],
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
        if mm:
            ticks_all[target, :mm] = np.where(answered[good, :mm], ticks[good, :mm], 0)
            answered_all[target, :mm] = answered[good, :mm]
    # a total alone: range and grid of the totals
    alone = np.flatnonzero(given_total & ~with_items)
    tv_alone = tv[alone]
    outside = (tv_alone < scale.total_min) | (tv_alone > scale.total_max)
    log.add(
        rows[alone[outside]],
        "total",
        TotalRangeError,
        _cat(
            "total = ",
            tv_alone[outside],
            f" is outside the total range {_fmt(scale.total_min)}-{_fmt(scale.total_max)} of {key}",
        ),
    )
    grid = scale.total_ticks_per_unit
    g_ticks = np.zeros(alone.size, dtype=np.int64)
    g_ok = np.zeros(alone.size, dtype=bool)
    g_ticks[~outside], g_ok[~outside] = _ticks.to_ticks(tv_alone[~outside], grid)
    off = ~outside & ~g_ok
    log.add(
        rows[alone[off]],
        "total",
        ItemResolutionError,
        _cat(
            "total = ",
            tv_alone[off],
            f" is not a multiple of the total resolution {_fmt(1 / grid)} of {key}",
        ),
    )
    fine = ~outside & g_ok
    per = grid // tpu
    a_num = g_ticks[fine]
    a_den = np.full(a_num.size, per, dtype=np.int64)
    divisor = np.gcd(a_num, a_den)
    divisor = np.where(divisor == 0, 1, divisor)
    num[rows[alone[fine]]] = a_num // divisor
    den[rows[alone[fine]]] = a_den // divisor


def _sort_rows(
    valid: IntArray,
    person: IntArray,
    scale: IntArray,
    rater: npt.NDArray[np.int8],
    rater_id: IntArray,
    episode: IntArray,
    days: IntArray,
    session: IntArray,
) -> tuple[IntArray, dict[str, IntArray]]:
    """Sort the valid rows into tracks (by date and session within a track).

    Returns the sorted input rows and, in that order, the key columns
    (``person, scale, rater, rater_id, episode, days, session``), a track key
    and a time key (equal keys: same track, or same track, date and session).
    Where the key columns fit into one int64 (mixed radix) a single sort
    orders them (with the row's position in the low bits where it fits) and
    the columns are decoded from the sorted key; rows with equal keys are put
    in input order. Otherwise ``np.lexsort``.
    """
    whole = valid.size == person.size
    sel: Any = slice(None) if whole else valid
    names = ("person", "scale", "rater", "rater_id", "episode", "days", "session")
    if valid.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, {**dict.fromkeys(names, empty), "track": empty, "time": empty}
    d = days[sel]
    d0 = int(d.min())
    shift = (0, 0, 0, 1, 1, -d0, 0)  # added to make every key column start at 0
    sources: tuple[AnyArray, ...] = (person, scale, rater, rater_id, episode, days, session)
    sizes: list[int] = []
    cols: list[Any] = []
    for source, offset in zip(sources, shift, strict=True):
        c = source[sel]
        lo, hi = int(c.min()), int(c.max())
        sizes.append(hi + offset + 1)
        if lo == hi:  # constant: not part of the key
            cols.append(lo + offset)
        else:
            cols.append(c.astype(np.int64) + offset if offset else c.astype(np.int64, copy=False))
    used = [i for i, c in enumerate(cols) if not isinstance(c, int)]
    key = _seg.combine_codes([cols[i] for i in used], [sizes[i] for i in used])
    if key is not None and not used:
        key = np.zeros(valid.size, dtype=np.int64)
    if key is not None:
        row_bits = max(valid.size - 1, 1).bit_length()
        if int(key.max(initial=0)).bit_length() + row_bits <= 63:
            # one (SIMD) sort of the key with the position in its low bits: equal keys
            # keep input order, and no separate argsort is needed
            packed = np.sort((key << row_bits) | np.arange(valid.size, dtype=np.int64))
            order = packed & ((1 << row_bits) - 1)
            key = packed >> row_bits
        else:
            order = np.argsort(key)
            key = key[order]
        tie = key[1:] == key[:-1]
        if tie.any():  # equal keys: input order (valid is increasing)
            in_tie = np.zeros(order.size, dtype=bool)
            in_tie[1:] |= tie
            in_tie[:-1] |= tie
            run = np.cumsum(np.r_[True, ~tie])
            where = np.flatnonzero(in_tie)
            sub = order[where]
            order[where] = sub[np.lexsort((sub, run[where]))]
        decoded: list[IntArray] = [
            np.full(valid.size, c - offset, dtype=np.int64) if isinstance(c, int) else c
            for c, offset in zip(cols, shift, strict=True)
        ]
        lower = 1
        for i in reversed(used):
            part = key // lower if lower > 1 else key
            if i != used[0]:
                part = part % sizes[i]
            decoded[i] = part - shift[i] if shift[i] else part
            lower *= sizes[i]
        time_size = math.prod(sizes[i] for i in used if i >= 5)
        track = key // time_size if time_size > 1 else key
        time = key
    else:
        order = np.lexsort(tuple(cols[i] for i in reversed(used))).astype(np.int64)
        decoded = [
            np.full(valid.size, c - offset, dtype=np.int64)
            if isinstance(c, int)
            else c[order] - offset
            for c, offset in zip(cols, shift, strict=True)
        ]
        change = np.zeros(order.size, dtype=bool)
        for c in decoded[:5]:
            change[1:] |= c[1:] != c[:-1]
        track = np.cumsum(change).astype(np.int64)
        for c in decoded[5:]:
            change[1:] |= c[1:] != c[:-1]
        time = np.cumsum(change).astype(np.int64)
    rows = valid[order] if not whole else order.astype(np.int64)
    return rows, {**dict(zip(names, decoded, strict=True)), "track": track, "time": time}


def _track_checks(
    rows: IntArray,
    track_key: IntArray,
    time_key: IntArray,
    days: IntArray,
    session: IntArray,
    log: _ErrorLog,
) -> BoolArray:
    """Reject later duplicates (same track, date, session) and sessions out of order.

    The arrays are in track order (``days`` and ``session`` of the sorted rows).
    """
    n = rows.size
    keep = np.ones(n, dtype=bool)
    if n < 2:
        return keep
    same_track = np.r_[False, track_key[1:] == track_key[:-1]]
    dup = same_track & np.r_[False, time_key[1:] == time_key[:-1]]
    if dup.any():
        first = np.maximum.accumulate(np.where(dup, -1, np.arange(n)))
        where = np.flatnonzero(dup)
        sess = session[where]
        log.add(
            rows[where],
            "date",
            DuplicateAdministrationError,
            _cat(
                "the same person, scale, rater, rater id, episode, date (",
                _iso(days[where]),
                ") and session (",
                np.where(sess > 0, _text(sess), "none"),
                ") as row ",
                rows[first[where]],
                "; give session numbers or drop one",
            ),
        )
        keep &= ~dup
    s = np.where(keep, session, 0)
    numbered = s > 0
    if numbered.any():
        track_index = np.cumsum(~same_track) - 1
        # running maximum per track of the earlier session numbers (as dense ranks,
        # which keep the order, where track x number would not fit in int64)
        width = int(s.max()) + 1
        numbers: IntArray | None = None
        rank = s
        if width * (int(track_index[-1]) + 1) >= 2**62:
            numbers, rank = np.unique(s, return_inverse=True)
            rank = rank.reshape(-1)
            width = numbers.size
        combined = track_index * width + rank
        running = np.maximum.accumulate(combined)
        before = np.r_[-1, running[:-1]] - track_index * width
        known = before >= 0
        if numbers is not None:
            before = np.where(known, numbers[np.maximum(before, 0)], 0)
        wrong = numbered & known & (before >= s) & (before >= 1)
        where = np.flatnonzero(wrong)
        log.add(
            rows[where],
            "session",
            SessionOrderError,
            _cat(
                "session ",
                s[where],
                " on ",
                _iso(days[where]),
                " follows session ",
                before[where],
                " of the same track; session numbers must increase with the date",
            ),
        )
        keep &= ~wrong
    return keep


# --- the per-track summary ------------------------------------------------------------------

_BAND_FIRST = np.array([first for _, first, _ in AGE_BANDS], dtype=np.int64)
_UNKNOWN_BAND = len(BANDS)


def _bands(age: IntArray) -> IntArray:
    """Age band codes (index into :data:`BANDS`), ``len(BANDS)`` where the age is unknown."""
    band = np.searchsorted(_BAND_FIRST, np.maximum(age, 0), side="right") - 1
    out: IntArray = np.where(age >= 0, band, _UNKNOWN_BAND).astype(np.int64)
    return out


def _band_age(scale: Scale, band: int) -> int:
    """An age in ``band`` that the scale is meant for (rows were checked against its ages)."""
    return max(int(_BAND_FIRST[band]), scale.min_age)


def _clinical_at(
    table: ScoreTable, rows: IntArray, *, cutoff: float | None = None
) -> npt.NDArray[np.int8]:
    """Caseness of scored rows: 1 clinical, 0 not, -1 unknown (no cutoff for the age and rater).

    Each row is judged against the cutoff of its own scale, rater and age band
    (:meth:`Scale.cutoff_for <fit_scores.Scale.cutoff_for>`, which gives the
    cutoff all bands share when the age is unknown), or against ``cutoff``.
    """
    out = np.full(rows.size, -1, dtype=np.int8)
    if rows.size == 0:
        return out
    n_bands = _UNKNOWN_BAND + 1
    group = (table.scale_index[rows] * len(RATERS) + table.rater_code[rows]) * n_bands + _bands(
        table.age_years[rows]
    )
    for g in np.unique(group).tolist():
        s, rest = divmod(int(g), len(RATERS) * n_bands)
        r, b = divmod(rest, n_bands)
        scale = table.scales[s]
        if cutoff is not None:
            threshold = _ticks.threshold_ticks(cutoff, scale.ticks_per_unit)
            at_clinical = False
        else:
            age = None if b == _UNKNOWN_BAND else _band_age(scale, b)
            cut = scale.cutoff_for(age=age, rater=cast("Any", RATERS[r]))
            if cut is None or cut.value is None:
                continue
            threshold = scale.cutoff_ticks(cut)
            at_clinical = cut.at_cutoff == "clinical"
        where = np.flatnonzero(group == g)
        picked = rows[where]
        out[where] = _ticks.is_clinical(
            table.total_num[picked],
            table.total_den[picked],
            threshold.numerator,
            threshold.denominator,
            higher_is_better=scale.higher_is_better,
            at_cutoff_clinical=at_clinical,
        )
    return out


def _last_label(codes: _Codes, starts: IntArray) -> _Codes:
    """The last non-empty value of every segment."""
    given = codes.codes >= 0
    if given.all():
        return _Codes(_seg.segment_last(codes.codes, starts), codes.labels)
    last = _seg.segment_last_where(given, starts)
    return _Codes(np.where(last >= 0, codes.codes[np.maximum(last, 0)], -1), codes.labels)


def _masked(values: npt.ArrayLike, mask: npt.ArrayLike) -> Masked:
    return np.ma.masked_array(np.asarray(values), mask=np.asarray(mask, dtype=bool))


def _summarize(
    table: ScoreTable,
    *,
    model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel | None,
    rules: AllianceRules,
    status_rule: _traj.StatusRule,
    non_reliable_recovery: bool,
) -> TrackSummary:
    clash = [name for name in table.group_codes if name in _SUMMARY_COLUMNS]
    if clash:
        raise TableInputError(
            f"grouping column(s) {clash} have the names of summary columns; rename them"
        )
    n = len(table)
    starts = table.track_starts
    n_tracks = starts.size
    counts = _seg.segment_counts(starts, n)
    last = starts + counts - 1
    scored = ~table.skip
    if scored.all():  # no skipped meetings: intake and latest are the first and last rows
        n_scored, intake_i, latest_i = counts, starts, last
    else:
        n_scored = _seg.segment_sum(scored, starts).astype(np.int64)
        intake_i = _seg.segment_first_where(scored, starts)
        latest_i = _seg.segment_last_where(scored, starts)
    has = intake_i >= 0
    two = n_scored >= 2
    ii = np.where(has, intake_i, starts)
    li = np.where(has, latest_i, starts)
    scales = table.scales
    scale_t = table.scale_index[starts]
    tpu_t = np.array([s.ticks_per_unit for s in scales], dtype=np.int64)[scale_t]
    direction_t = np.array([1 if s.higher_is_better else -1 for s in scales], dtype=np.int64)[
        scale_t
    ]
    num, den = table.total_num, table.total_den
    n1, d1 = np.where(has, num[ii], 0), np.where(has, den[ii], 1)
    n2, d2 = np.where(has, num[li], 0), np.where(has, den[li], 1)
    intake = n1 / (d1 * tpu_t)
    latest = n2 / (d2 * tpu_t)
    change_num = n2 * d1 - n1 * d2
    change_den = d1 * d2
    change = change_num / (change_den * tpu_t)

    # reliable change with the scale's criterion, exact in ticks
    reliable = np.zeros(n_tracks, dtype=bool)
    rc_known = np.zeros(n_tracks, dtype=bool)
    for s, scale in enumerate(scales):
        rc = scale.reliable_change
        if rc is None or not rc.published:
            continue
        sel = np.flatnonzero((scale_t == s) & two)
        threshold = rc.threshold_ticks(scale.ticks_per_unit)
        reliable[sel] = _ticks.meets_threshold(
            change_num[sel],
            change_den[sel],
            threshold.numerator,
            threshold.denominator,
            inclusive=rc.comparison == "inclusive",
        )
        rc_known[sel] = True
    signed = direction_t * np.sign(change_num)
    better = reliable & (signed > 0)
    worse = reliable & (signed < 0)

    # caseness at intake and at the latest score, each with its own age band and rater
    clinical_intake = np.full(n_tracks, -1, dtype=np.int8)
    clinical_latest = np.full(n_tracks, -1, dtype=np.int8)
    clinical_intake[has] = _clinical_at(table, ii[has])
    clinical_latest[has] = _clinical_at(table, li[has])
    known = (clinical_intake >= 0) & (clinical_latest >= 0)
    with_caseness = _change_kernels.categorise(
        better,
        worse,
        clinical_intake == 1,
        clinical_latest == 0,
        non_reliable_recovery=non_reliable_recovery,
    )
    without = _change_kernels.categorise(better, worse)
    category = np.where(known, with_caseness, without).astype(np.int64)
    category = np.where(rc_known, category, -1)

    # alliance signals, on the scored rows of alliance tracks
    signals = {name: np.zeros(n, dtype=bool) for name in _SIGNALS}
    alliance_t = np.zeros(n_tracks, dtype=bool)
    for s, scale in enumerate(scales):
        if scale.kind != "alliance":
            continue
        alliance_t |= scale_t == s
        rows = np.flatnonzero((table.scale_index == s) & scored)
        if rows.size == 0:
            continue
        _alliance_rows(table, scale, rows, rules, signals)
    latest_flags = {
        name: _masked(np.where(has, flags[li], False), ~(alliance_t & has))
        for name, flags in signals.items()
    }
    signal_counts = {
        f"n_{name}": _masked(
            _seg.segment_sum(flags, starts) if alliance_t.any() else np.zeros(n_tracks, np.int64),
            ~alliance_t,
        )
        for name, flags in signals.items()
    }

    age_t = table.age_years[ii]
    columns: dict[str, Any] = {
        "person": table.person_codes.take(starts),
        "scale": _Codes(scale_t, np.array([s.key for s in scales], dtype=object)),
        "rater": _Codes(table.rater_code[starts].astype(np.int64), np.array(RATERS, dtype=object)),
        "rater_id": table.rater_id_codes.take(starts),
        "episode": table.episode_codes.take(starts),
    }
    for name, codes in table.group_codes.items():
        columns[name] = _last_label(codes, starts)
    first_day, last_day = table.days[starts], table.days[last]
    columns.update(
        {
            "n": counts,
            "n_scored": n_scored,
            "n_skipped": counts - n_scored,
            "first_date": first_day.astype("datetime64[D]"),
            "latest_date": last_day.astype("datetime64[D]"),
            "days_in_contact": last_day - first_day,
            "age": _masked(age_t, age_t < 0),
            "age_band": _Codes(
                np.where(age_t >= 0, _bands(age_t), -1), np.array(BANDS, dtype=object)
            ),
            "intake_date": _masked(table.days[ii].astype("datetime64[D]"), ~has),
            "intake": _masked(intake, ~has),
            "latest_score_date": _masked(table.days[li].astype("datetime64[D]"), ~has),
            "latest": _masked(latest, ~has),
            "change": _masked(change, ~two),
            "reliable": _masked(reliable, ~rc_known),
            "reliably_improved": _masked(better, ~rc_known),
            "reliably_deteriorated": _masked(worse, ~rc_known),
            "clinical_intake": _masked(clinical_intake == 1, clinical_intake < 0),
            "clinical_latest": _masked(clinical_latest == 1, clinical_latest < 0),
            "category": _Codes(category, np.array(_change_kernels.CATEGORIES, dtype=object)),
        }
    )
    columns.update(latest_flags)
    columns.update(signal_counts)
    columns["ending_reason"] = (
        _no_codes(n_tracks)
        if table.ending_codes is None
        else _last_label(table.ending_codes, starts)
    )
    at, expected, status = _expected_columns(
        table, model, status_rule, starts, ii, li, has, n_scored, intake, latest
    )
    columns["expected_at"] = at
    columns["expected"] = expected
    columns["expected_status"] = status
    return TrackSummary(
        columns=columns,
        group_names=tuple(table.group_codes),
        scales=scales,
        model_given=model is not None,
    )


_SIGNALS = ("below_cutoff", "drop", "item_below", "ceiling")
_SUMMARY_COLUMNS = frozenset(
    (
        "person",
        "scale",
        "rater",
        "rater_id",
        "episode",
        "n",
        "n_scored",
        "n_skipped",
        "first_date",
        "latest_date",
        "days_in_contact",
        "age",
        "age_band",
        "intake_date",
        "intake",
        "latest_score_date",
        "latest",
        "change",
        "reliable",
        "reliably_improved",
        "reliably_deteriorated",
        "clinical_intake",
        "clinical_latest",
        "category",
        *_SIGNALS,
        *(f"n_{s}" for s in _SIGNALS),
        "ending_reason",
        "expected_at",
        "expected",
        "expected_status",
    )
)


def _alliance_rows(
    table: ScoreTable,
    scale: Scale,
    rows: IntArray,
    rules: AllianceRules,
    signals: dict[str, BoolArray],
) -> None:
    """The alliance-signal kernels of Track.alliance_signals, over every track of one scale."""
    tpu = scale.ticks_per_unit
    d = 1 if scale.higher_is_better else -1
    num, den = table.total_num[rows], table.total_den[rows]
    sub_starts = _seg.starts_of(_seg.segment_ids(table.track_starts, len(table))[rows])
    signals["below_cutoff"][rows] = _clinical_at(table, rows, cutoff=rules.cutoff) == 1
    drop = _ticks.threshold_ticks(rules.drop, tpu)
    dropped = _alliance_kernels.drops(num, den, drop.numerator, drop.denominator, direction=d)
    dropped[sub_starts] = False
    signals["drop"][rows] = dropped
    if rules.item_below is not None:
        limit = _ticks.threshold_ticks(rules.item_below, tpu)
        with_items = rows[table.has_items[rows]]
        if with_items.size and limit.denominator == 1:
            m = scale.n_items
            k = min(m, table.n_items)
            ticks = np.zeros((with_items.size, m), dtype=np.int64)
            answered = np.zeros((with_items.size, m), dtype=bool)
            source = table.row[with_items]
            ticks[:, :k] = table.input_item_ticks[source, :k]
            answered[:, :k] = table.input_answered[source, :k]
            signals["item_below"][with_items] = _alliance_kernels.items_below(
                ticks, answered, int(limit), direction=d
            )
    top = _ticks.threshold_ticks(scale.total_max if d == 1 else scale.total_min, tpu)
    at_max = _ticks.compare_fractions(num, den, top.numerator, top.denominator) == 0
    repeats = rules.ceiling_repeats

    def runs(flags: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return _alliance_kernels.ceiling_runs(flags, repeats)

    signals["ceiling"][rows] = _seg.insert_breaks(runs, at_max, sub_starts, False)


def _expected_columns(
    table: ScoreTable,
    model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel | None,
    rule: _traj.StatusRule,
    starts: IntArray,
    ii: IntArray,
    li: IntArray,
    has: BoolArray,
    n_scored: IntArray,
    intake: FloatArray,
    latest: FloatArray,
) -> tuple[Masked, Masked, _Codes]:
    n_tracks = starts.size
    status_labels = np.array(STATUSES, dtype=object)
    if model is None:
        nothing = np.ones(n_tracks, dtype=bool)
        return (
            _masked(np.zeros(n_tracks), nothing),
            _masked(np.zeros(n_tracks), nothing),
            _Codes(np.full(n_tracks, -1, dtype=np.int64), status_labels),
        )
    for p in {rule.on_track_at, rule.off_track_below} - {50.0}:
        if p not in model.percentiles:
            raise _traj.TrajectoryInputError(
                f"the rule uses percentile {p:g}, the model has {list(model.percentiles)}"
            )
    if isinstance(model, _traj.NeighboursModel) and model.covariate_names:
        raise TableInputError(
            "summarize() cannot give covariates to a neighbours model; fit one without "
            "covariates, or call model.status(track, covariates=...) per track"
        )
    # time of the latest score, as model.status(track) takes it
    scored = ~table.skip
    if model.axis == "session":
        numbered = _seg.segment_sum(scored & (table.session_number > 0), starts)
        all_numbered = numbered == n_scored
        at = np.where(all_numbered, table.session_number[li], n_scored).astype(np.float64)
    else:
        at = (table.days[li] - table.days[ii]).astype(np.float64)
    eligible = has & (n_scored >= rule.min_scores)
    median = np.full(n_tracks, np.nan)
    on_line = np.full(n_tracks, np.nan)
    low = np.full(n_tracks, np.nan)
    p_on = rule.on_track_at
    p_low = rule.off_track_below if model.higher_is_better else 100 - rule.off_track_below
    where = np.flatnonzero(eligible)
    band_values = _expected_bands(model, intake[where], at[where], (p_on, p_low))
    median[where], on_line[where], low[where] = band_values
    reference = eligible & ~np.isnan(median)
    d = 1.0 if model.higher_is_better else -1.0
    with np.errstate(invalid="ignore"):
        on = d * (latest - on_line) >= 0
        off = d * (latest - low) < 0
    status = np.where(on, 1, np.where(off, 3, 2))
    status = np.where(reference, status, 0)
    status = np.where(has, status, -1)
    return (
        _masked(at, ~has),
        _masked(np.where(reference, median, 0.0), ~reference),
        _Codes(status.astype(np.int64), status_labels),
    )


def _expected_bands(
    model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel,
    intake: FloatArray,
    at: FloatArray,
    percentiles: tuple[float, float],
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Median and two band values of ``model.expected(intake, at)``; NaN without reference data."""
    size = intake.size
    out = [np.full(size, np.nan) for _ in range(3)]
    if size == 0:
        return out[0], out[1], out[2]
    start = 1.0 if model.axis == "session" else 0.0
    at_intake = at == start
    for arr in out:  # at the intake the expected score is the intake
        arr[at_intake] = intake[at_intake]
    rest = np.flatnonzero(~at_intake)
    if rest.size == 0:
        return out[0], out[1], out[2]
    x_in, x_at = intake[rest], at[rest]
    pct = list(model.percentiles)

    def pick(p: float) -> int | None:
        return None if p == 50 else pct.index(p)

    picks = [pick(p) for p in percentiles]
    if isinstance(model, _traj.GrowthModel):
        uat, inv = np.unique(x_at, return_inverse=True)
        f_u = np.array([float(_traj._f(a, model.axis, model.transform)) for a in uat.tolist()])
        p00, p01, p11 = model.psi
        sd_u = np.array(
            [math.sqrt(max(p00 + 2 * f * p01 + f * f * p11, 0.0) + model.sigma2) for f in f_u]
        )
        f, sd = f_u[inv.reshape(-1)], sd_u[inv.reshape(-1)]
        b0, b1, b2, b3 = model.beta
        x = x_in - model.intake_centre
        mean = b0 + b1 * x + (b2 + b3 * x) * f
        z = _traj._normal_quantiles(model.percentiles)
        out[0][rest] = mean
        for target, idx in zip(out[1:], picks, strict=True):
            target[rest] = mean if idx is None else mean + z[idx] * sd
        return out[0], out[1], out[2]
    if isinstance(model, _traj.CohortModel):
        grid = np.asarray(model.intakes)
        uin, inv_in = np.unique(x_in, return_inverse=True)
        nearest = np.array([int(np.argmin(np.abs(grid - v))) for v in uin.tolist()], dtype=np.int64)
        far = np.abs(grid[nearest] - uin) > model.k_max
        uat, inv_at = np.unique(x_at, return_inverse=True)
        keys = [model._bin(a) for a in uat.tolist()]
        col = np.array([model.ats.index(k) if k in model.ats else -1 for k in keys], dtype=np.int64)
        i = nearest[inv_in.reshape(-1)]
        j = col[inv_at.reshape(-1)]
        ok = ~far[inv_in.reshape(-1)] & (j >= 0)
        med_table = np.array(
            [[np.nan if v is None else v for v in row] for row in model.median], dtype=np.float64
        ).reshape(len(model.intakes), len(model.ats))
        val_table = np.array(
            [[[np.nan] * len(pct) if v is None else list(v) for v in row] for row in model.values],
            dtype=np.float64,
        ).reshape(len(model.intakes), len(model.ats), len(pct))
        ii, jj = np.where(ok, i, 0), np.where(ok, j, 0)
        med = np.where(ok, med_table[ii, jj], np.nan)
        out[0][rest] = med
        for target, idx in zip(out[1:], picks, strict=True):
            target[rest] = med if idx is None else np.where(ok, val_table[ii, jj, idx], np.nan)
        return out[0], out[1], out[2]
    # any other model: once per distinct (intake, time)
    pairs, inv = np.unique(np.column_stack([x_in, x_at]), axis=0, return_inverse=True)
    found = np.full((pairs.shape[0], 3), np.nan)
    for r, (a_in, a_at) in enumerate(pairs.tolist()):
        try:
            band = model.expected(a_in, a_at)
        except _traj.NoReferenceDataError:
            continue
        found[r] = (band.median, band.band(percentiles[0]), band.band(percentiles[1]))
    inv = inv.reshape(-1)
    for c in range(3):
        out[c][rest] = found[inv, c]
    return out[0], out[1], out[2]


@dataclass(frozen=True, eq=False, repr=False)
class TrackSummary(_ColumnOutputs):
    """One row per track, from :meth:`ScoreTable.summarize`.

    Columns are numpy arrays: ``summary["intake"]``. Text columns are object
    arrays with ``None`` where missing; numbers and flags that can be missing
    are masked arrays (:class:`numpy.ma.MaskedArray`). See
    :meth:`ScoreTable.summarize` for the columns.

    Examples
    --------
    >>> from fit_scores.table import from_columns
    >>> s = from_columns({"person": ["a", "a", "b"], "scale": ["ORS"] * 3, "age": [30] * 3,
    ...                   "date": ["2025-01-10", "2025-03-01", "2025-01-10"],
    ...                   "total": [19.5, 25.0, 30.0]}).summarize()
    >>> len(s), s["person"].tolist(), s["change"].tolist()
    (2, ['a', 'b'], [5.5, None])
    >>> s.to_records()[0]["category"]
    'recovered'
    """

    columns: dict[str, Any]
    group_names: tuple[str, ...]
    scales: tuple[Scale, ...]
    model_given: bool

    def __len__(self) -> int:
        first = next(iter(self.columns.values()))
        return int(first.codes.size if isinstance(first, _Codes) else first.shape[0])

    def __getitem__(self, name: str) -> AnyArray:
        col = self.columns[name]
        if isinstance(col, _Codes):
            return col.values()
        return cast("AnyArray", col)

    def __repr__(self) -> str:
        return f"TrackSummary({len(self)} tracks, {len(self.columns)} columns)"

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(self.columns)

    def _columns(self) -> list[tuple[str, Any]]:
        return list(self.columns.items())

    def aggregate(
        self,
        by: str | Sequence[str] | None = None,
        *,
        min_cell: int = 5,
        level: float = 0.95,
    ) -> Aggregate:
        """Figures per group (coordinator, municipality, age band, rater, ...) for reports.

        Parameters
        ----------
        by : str or sequence of str, optional
            Summary columns to group by (e.g. ``"coordinator"``,
            ``["municipality", "age_band"]``); ``None``: everyone in one group.
            A missing value is a group of its own (label ``None``).
        min_cell : int
            Smallest number of people a figure may rest on (default 5).
        level : float
            Confidence level of the intervals.

        Returns
        -------
        Aggregate

        Notes
        -----
        The unit is the track. Outcome figures use the tracks of outcome
        scales, alliance figures those of alliance scales; group by ``rater``
        (and ``scale``) to keep self-, caretaker- and collateral ratings, or
        scales with different ranges, apart.

        Per group: ``n_people``, ``n_tracks``, ``n_episodes`` (person x
        episode), people by age band at intake (``n_people_<band>``,
        ``n_people_age_unknown``), ``n_collateral_raters`` (distinct person
        x rater id of collateral tracks); the means, with t intervals, of the
        intake score of outcome tracks (``intake_outcome``) and of alliance
        tracks (``intake_alliance``), and of the number of meetings
        (``sessions``) and the days in contact (``days_in_contact``) of outcome
        tracks; the pre-post ``effect_size`` (intake to latest, outcome tracks
        with two or more scores; the formula of :func:`fit_scores.effect_size`:
        standardised by the SD of the intake scores, Hedges-corrected, normal
        interval); the shares, with Wilson intervals, of outcome tracks with a
        change category that ``improved`` reliably, ``recovered`` and
        ``deteriorated`` reliably; the share that ``reached_expected`` (latest
        score at or above the expected line, of tracks with an expected-response
        status, when a model was given); the shares of ``planned_ending`` and
        ``unplanned_ending`` among outcome tracks with an ending reason. Every
        figure ``x`` has ``x_n``, the number of tracks it uses.

        Small cells: every count and every statistic that rests on at least one
        and fewer than ``min_cell`` distinct people is suppressed (``None``);
        so is the smallest other age-band count of a group where only one band
        count is suppressed, so that it cannot be recovered from the total.
        ``suppressed`` says whether anything in the row was. A group of fewer
        than ``min_cell`` people shows nothing but its labels. Counts of zero
        are shown (they identify no one); a statistic of no one is undefined
        (``None``) without being suppressed.

        Examples
        --------
        >>> from fit_scores.table import from_columns
        >>> t = from_columns({"person": [f"p{i // 2}" for i in range(12)],
        ...                   "scale": ["ORS"] * 12, "age": [30] * 12,
        ...                   "date": ["2025-01-10", "2025-03-10"] * 6,
        ...                   "total": [18.0, 26.0, 20.0, 21.0] * 3})
        >>> agg = t.summarize().aggregate(min_cell=5)
        >>> rec = agg.to_records()[0]
        >>> rec["n_people"], rec["recovered_share"], rec["recovered_n"]
        (6, 0.5, 6)
        >>> t.summarize().aggregate(min_cell=10).to_records()[0]["n_people"] is None
        True
        """
        return _aggregate(self, by, min_cell=min_cell, level=level)


# --- aggregates -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class Aggregate(_ColumnOutputs):
    """Figures per group, from :meth:`TrackSummary.aggregate`; small cells suppressed.

    Columns are numpy arrays (``agg["recovered_share"]``); suppressed or
    undefined figures are masked (``None`` in the records, CSV and JSON).

    Examples
    --------
    >>> from fit_scores.table import from_columns
    >>> t = from_columns({"person": [f"p{i}" for i in range(8)], "scale": ["ORS"] * 8,
    ...                   "date": ["2025-01-10"] * 8, "total": [20.0] * 8,
    ...                   "team": ["north"] * 6 + ["south"] * 2})
    >>> agg = t.summarize().aggregate("team")
    >>> agg["team"].tolist(), agg["n_people"].tolist(), agg["suppressed"].tolist()
    (['north', 'south'], [6, None], [False, True])
    """

    columns: dict[str, Any]
    by: tuple[str, ...]
    min_cell: int
    level: float

    def __len__(self) -> int:
        return int(self.columns["suppressed"].shape[0])

    def __repr__(self) -> str:
        return f"Aggregate({len(self)} groups by {list(self.by)}, min_cell={self.min_cell})"

    def __getitem__(self, name: str) -> AnyArray:
        col = self.columns[name]
        if isinstance(col, _Codes):
            return col.values()
        return cast("AnyArray", col)

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(self.columns)

    def _columns(self) -> list[tuple[str, Any]]:
        return list(self.columns.items())


def _group_of(summary: TrackSummary, by: Sequence[str]) -> tuple[IntArray, list[tuple[str, Any]]]:
    """Dense group ids of the tracks and the label columns of the groups."""
    n = len(summary)
    if not by:
        return np.zeros(n, dtype=np.int64), []
    codes: list[IntArray] = []
    labels: list[ObjArray] = []
    for name in by:
        if name not in summary.columns:
            raise TableInputError(
                f"aggregate(by=...): no column {name!r}; columns: {list(summary.columns)}"
            )
        col = summary.columns[name]
        if isinstance(col, _Codes):
            c, text = col.codes, col.text
        else:
            c, text = _factor_values(col)
        codes.append(c + 1)
        labels.append(
            np.concatenate([np.array([None], dtype=object), np.asarray(text, dtype=object)])
        )
    key = _seg.combine_codes(codes, [lab.size for lab in labels])
    if key is None:  # pragma: no cover - astronomically many combinations
        raise TableInputError("aggregate(by=...): too many combinations of group values")
    group, uniq = _seg.factorize(key)
    label_columns: list[tuple[str, Any]] = []
    rest = uniq.copy()
    parts: list[IntArray] = []
    for lab in reversed(labels):
        parts.append(rest % lab.size)
        rest = rest // lab.size
    for name, lab, part in zip(by, labels, reversed(parts), strict=True):
        label_columns.append((name, _Codes(part - 1, lab[1:])))
    return group, label_columns


_MEANS = ("intake_outcome", "intake_alliance", "sessions", "days_in_contact")
_SHARES = ("improved", "recovered", "deteriorated", "reached_expected", "planned_ending",
           "unplanned_ending")  # fmt: skip
_AGGREGATE_COLUMNS = frozenset(
    (
        "n_people", "n_tracks", "n_episodes", "n_collateral_raters", "n_people_age_unknown",
        *(f"n_people_{band}" for band in BANDS), "suppressed", "effect_size",
        "effect_size_n", "effect_size_ci_low", "effect_size_ci_high",
        *(f"{m}_{part}" for m in _MEANS for part in ("n", "mean", "ci_low", "ci_high")),
        *(f"{m}_{part}" for m in _SHARES for part in ("n", "share", "ci_low", "ci_high")),
    )
)  # fmt: skip


def _factor_values(col: Any) -> tuple[IntArray, ObjArray]:
    """Codes and text labels of any summary column (missing: -1)."""
    arr, mask = _split_masked(col)
    present = ~np.isnat(arr) if arr.dtype.kind == "M" else np.ones(arr.shape[0], dtype=bool)
    if arr.dtype.kind == "f":
        present &= ~np.isnan(arr)
    if mask is not None:
        present &= ~mask
    if arr.dtype.kind == "b":
        text = np.where(arr, "True", "False").astype(object)
    else:
        text = arr.astype(str).astype(object)
    codes = np.full(text.size, -1, dtype=np.int64)
    labels = np.zeros(0, dtype=object)
    if present.any():
        sub, labels = _seg.factorize(text[present].astype(np.dtypes.StringDType()))
        codes[present] = sub
    return codes, np.asarray(labels.astype(object), dtype=object)


def _t_quantile(df: FloatArray, level: float) -> FloatArray:
    from scipy.special import stdtrit

    with np.errstate(invalid="ignore"):
        out: FloatArray = np.asarray(
            stdtrit(np.maximum(df, 1.0), 0.5 + level / 2), dtype=np.float64
        )
    return out


def _aggregate(
    summary: TrackSummary, by: str | Sequence[str] | None, *, min_cell: int, level: float
) -> Aggregate:
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
        raise TableInputError(f"min_cell must be a whole number >= 1, got {min_cell!r}")
    if not 0 < level < 1:
        raise TableInputError(f"level must be in (0, 1), got {level!r}")
    names: tuple[str, ...] = () if by is None else (by,) if isinstance(by, str) else tuple(by)
    clash = [name for name in names if name in _AGGREGATE_COLUMNS]
    if clash or len(set(names)) != len(names):
        raise TableInputError(
            f"aggregate(by={list(names)}): group by distinct columns whose names are not "
            f"those of the figures ({clash})"
        )
    group, label_columns = _group_of(summary, names)
    n_groups = int(group.max()) + 1 if group.size else (1 if not names else 0)
    cols = summary.columns
    person = cols["person"].codes
    scale_t = cols["scale"].codes
    kinds = np.array([s.kind == "outcome" for s in summary.scales], dtype=bool)
    outcome = kinds[scale_t] if scale_t.size else np.zeros(0, dtype=bool)
    alliance = ~outcome

    def people(mask: BoolArray) -> IntArray:
        return _seg.count_distinct(group[mask], person[mask], n_groups)

    out: dict[str, Any] = dict(label_columns)
    suppressed = np.zeros(n_groups, dtype=bool)
    everyone = np.ones(group.size, dtype=bool)
    n_people = people(everyone)
    small_group = n_people < min_cell

    def count_column(name: str, values: IntArray, resting_on: IntArray) -> None:
        hide = small_group | ((resting_on < min_cell) & (values > 0))
        nonlocal suppressed
        suppressed |= hide
        out[name] = _masked(values.astype(np.int64), hide)

    count_column("n_people", n_people, n_people)
    count_column("n_tracks", np.bincount(group, minlength=n_groups), n_people)
    episode = cols["episode"].codes + 1
    episode_key = _seg.combine_codes(
        [person, episode], [int(person.max(initial=0)) + 1, int(episode.max(initial=0)) + 1]
    )
    assert episode_key is not None
    count_column("n_episodes", _seg.count_distinct(group, episode_key, n_groups), n_people)
    band_codes = cols["age_band"].codes
    band_counts = []
    for b in range(len(BANDS) + 1):
        mask = band_codes == (b if b < len(BANDS) else -1)
        band_counts.append(people(mask))
    band_matrix = np.column_stack(band_counts) if n_groups else np.zeros((0, len(BANDS) + 1))
    hide_bands = small_group[:, None] | ((band_matrix < min_cell) & (band_matrix > 0))
    # complementary suppression: one hidden band could be recovered from the total
    lonely = hide_bands.sum(axis=1) == 1
    if lonely.any():  # hide the smallest other non-zero count too (else a zero)
        big = np.iinfo(np.int64).max
        shown = np.where(hide_bands, big, np.where(band_matrix > 0, band_matrix, big - 1))
        smallest = np.argmin(shown, axis=1)
        rows = np.flatnonzero(lonely)
        hide_bands[rows, smallest[rows]] = True
    suppressed |= hide_bands.any(axis=1)
    for b, band in enumerate((*BANDS, "age_unknown")):
        out[f"n_people_{band}"] = _masked(band_matrix[:, b].astype(np.int64), hide_bands[:, b])
    collateral = cols["rater"].codes == RATERS.index("collateral")
    rid = cols["rater_id"].codes + 1
    rater_key = _seg.combine_codes(
        [person, rid], [int(person.max(initial=0)) + 1, int(rid.max(initial=0)) + 1]
    )
    assert rater_key is not None
    count_column(
        "n_collateral_raters",
        _seg.count_distinct(group[collateral], rater_key[collateral], n_groups),
        people(collateral),
    )

    def mean_column(name: str, mask: BoolArray, values: FloatArray) -> None:
        nonlocal suppressed
        g, x = group[mask], values[mask]
        n = np.bincount(g, minlength=n_groups).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.bincount(g, weights=x, minlength=n_groups) / n
            dev = x - mean[g]
            sd = np.sqrt(np.bincount(g, weights=dev * dev, minlength=n_groups) / (n - 1))
            half = _t_quantile(n - 1, level) * sd / np.sqrt(n)
        hide = small_group | ((people(mask) < min_cell) & (n > 0))
        suppressed |= hide
        out[f"{name}_n"] = _masked(n.astype(np.int64), hide)
        out[f"{name}_mean"] = _masked(np.where(n > 0, mean, 0.0), hide | (n == 0))
        interval = hide | (n < 2)
        out[f"{name}_ci_low"] = _masked(np.where(interval, 0.0, mean - half), interval)
        out[f"{name}_ci_high"] = _masked(np.where(interval, 0.0, mean + half), interval)

    intake_col = cols["intake"]
    has_intake = ~np.ma.getmaskarray(intake_col)
    intake_values = np.asarray(np.ma.getdata(intake_col), dtype=np.float64)
    mean_column("intake_outcome", outcome & has_intake, intake_values)
    mean_column("intake_alliance", alliance & has_intake, intake_values)
    mean_column("sessions", outcome, np.asarray(cols["n"], dtype=np.float64))
    mean_column("days_in_contact", outcome, np.asarray(cols["days_in_contact"], dtype=np.float64))

    # pre-post effect size (the formula of fit_scores.group.effect_size, per group)
    pairs = outcome & ~np.ma.getmaskarray(cols["change"])
    latest_values = np.asarray(np.ma.getdata(cols["latest"]), dtype=np.float64)
    g = group[pairs]
    x1, x2 = intake_values[pairs], latest_values[pairs]
    n = np.bincount(g, minlength=n_groups).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        m1 = np.bincount(g, weights=x1, minlength=n_groups) / n
        m2 = np.bincount(g, weights=x2, minlength=n_groups) / n
        c1, c2 = x1 - m1[g], x2 - m2[g]
        s11 = np.bincount(g, weights=c1 * c1, minlength=n_groups)
        s22 = np.bincount(g, weights=c2 * c2, minlength=n_groups)
        s12 = np.bincount(g, weights=c1 * c2, minlength=n_groups)
        mean_change = np.bincount(g, weights=x2 - x1, minlength=n_groups) / n
        sd1 = np.sqrt(s11 / (n - 1))
        sd2 = np.sqrt(s22 / (n - 1))
        r = np.where((sd1 > 0) & (sd2 > 0), s12 / np.sqrt(s11 * s22), 0.0)
        d = mean_change / sd1
        var = 2.0 * (1.0 - r) / n + d**2 / (2.0 * (n - 1))
        j = 1.0 - 3.0 / (4.0 * (n - 1) - 1.0)
        z = _change_kernels.critical_value(1.0 - level, one_sided=False)
        estimate = j * d
        half = z * j * np.sqrt(var)
    hide = small_group | ((people(pairs) < min_cell) & (n > 0))
    suppressed |= hide
    undefined = hide | (n < 3) | ~(sd1 > 0)
    out["effect_size_n"] = _masked(n.astype(np.int64), hide)
    out["effect_size"] = _masked(np.where(undefined, 0.0, estimate), undefined)
    out["effect_size_ci_low"] = _masked(np.where(undefined, 0.0, estimate - half), undefined)
    out["effect_size_ci_high"] = _masked(np.where(undefined, 0.0, estimate + half), undefined)

    def share_column(name: str, mask: BoolArray, hit: BoolArray) -> None:
        nonlocal suppressed
        total = np.bincount(group[mask], minlength=n_groups)
        k = np.bincount(group[mask & hit], minlength=n_groups)
        lo, hi = _change_kernels.wilson_interval(k, total, level)
        hide = small_group | ((people(mask) < min_cell) & (total > 0))
        suppressed |= hide
        empty = hide | (total == 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, k / np.maximum(total, 1), 0.0)
        out[f"{name}_n"] = _masked(total.astype(np.int64), hide)
        out[f"{name}_share"] = _masked(share, empty)
        out[f"{name}_ci_low"] = _masked(np.where(empty, 0.0, lo), empty)
        out[f"{name}_ci_high"] = _masked(np.where(empty, 0.0, hi), empty)

    category = cols["category"].codes
    with_category = outcome & (category >= 0)
    names_of = _change_kernels.CATEGORIES
    share_column(
        "improved", with_category, np.asarray(np.ma.getdata(cols["reliably_improved"]), dtype=bool)
    )
    share_column("recovered", with_category, category == names_of.index("recovered"))
    share_column(
        "deteriorated",
        with_category,
        np.asarray(np.ma.getdata(cols["reliably_deteriorated"]), dtype=bool),
    )
    status = cols["expected_status"].codes
    share_column("reached_expected", status >= 1, status == STATUSES.index("on_track"))
    ending = cols["ending_reason"]
    ending_text = ending.text
    planned_code = np.flatnonzero(ending_text == "planned")
    unplanned_code = np.flatnonzero(ending_text == "unplanned")
    ended = outcome & (ending.codes >= 0)
    planned = np.isin(ending.codes, planned_code) if planned_code.size else np.zeros_like(ended)
    unplanned = (
        np.isin(ending.codes, unplanned_code) if unplanned_code.size else np.zeros_like(ended)
    )
    share_column("planned_ending", ended, planned)
    share_column("unplanned_ending", ended, unplanned)
    out["suppressed"] = suppressed
    return Aggregate(columns=out, by=names, min_cell=min_cell, level=level)


# --- outputs --------------------------------------------------------------------------------


def _split_masked(col: Any) -> tuple[AnyArray, BoolArray | None]:
    if isinstance(col, np.ma.MaskedArray):
        return np.asarray(np.ma.getdata(col)), np.asarray(np.ma.getmaskarray(col), dtype=bool)
    return np.asarray(col), None


def _py_values(col: Any, *, iso_dates: bool = False) -> list[Any]:
    """A column as Python values, ``None`` where missing."""
    if isinstance(col, _Codes):
        return cast("list[Any]", col.values().tolist())
    arr, mask = _split_masked(col)
    kind = arr.dtype.kind
    if kind == "M":
        day = arr.astype("datetime64[D]")
        if iso_dates:
            obj = np.datetime_as_string(day).astype(object)
            obj[np.isnat(day)] = None
        else:
            obj = day.astype(object)
    elif kind == "f":
        obj = arr.astype(object)
        obj[np.isnan(arr)] = None
    else:
        obj = arr.astype(object)
    if mask is not None:
        obj[mask] = None
    return cast("list[Any]", obj.tolist())


def _to_records(
    cols: Sequence[tuple[str, Any]], *, iso_dates: bool = False
) -> list[dict[str, Any]]:
    names = [name for name, _ in cols]
    values = [_py_values(col, iso_dates=iso_dates) for _, col in cols]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def _to_json(cols: Sequence[tuple[str, Any]]) -> str:
    return json.dumps(_to_records(cols, iso_dates=True), ensure_ascii=False, allow_nan=False)


def _csv_texts(col: Any) -> list[str]:
    if isinstance(col, _Codes):
        text = np.concatenate([col.text, np.array([""], dtype=object)])
        return cast("list[str]", text[np.where(col.codes >= 0, col.codes, -1)].tolist())
    arr, mask = _split_masked(col)
    kind = arr.dtype.kind
    out: AnyArray
    if kind == "M":
        day = arr.astype("datetime64[D]")
        out = np.where(np.isnat(day), "", np.datetime_as_string(day))
    elif kind == "f":
        out = np.where(np.isnan(arr), "", arr.astype(str))
    elif kind == "b":
        out = np.where(arr, "true", "false")
    elif kind in "iu":
        out = arr.astype(str)
    else:
        out = np.array(["" if v is None else str(v) for v in arr.tolist()], dtype=object)
    if mask is not None:
        out = np.where(mask, "", out)
    return cast("list[str]", out.astype(object).tolist())


def _to_csv(cols: Sequence[tuple[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for name, _ in cols])
    writer.writerows(zip(*(_csv_texts(col) for _, col in cols), strict=True))
    return buffer.getvalue()


def _to_pandas(cols: Sequence[tuple[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    data: dict[str, Any] = {}
    for name, col in cols:
        if isinstance(col, _Codes):
            data[name] = pd.Series(col.values(), dtype=object)
            continue
        arr, mask = _split_masked(col)
        kind = arr.dtype.kind
        if kind == "M":
            arr = arr.astype("datetime64[s]")
            if mask is not None:
                arr = np.where(mask, np.datetime64("NaT", "s"), arr)
            data[name] = arr
        elif mask is None:
            data[name] = arr
        elif kind == "f":
            data[name] = np.where(mask, np.nan, arr)
        elif kind in "iu":
            data[name] = pd.arrays.IntegerArray(arr.astype(np.int64), mask)
        elif kind == "b":
            data[name] = pd.arrays.BooleanArray(arr.astype(bool), mask)
        else:
            obj = arr.astype(object)
            obj[mask] = None
            data[name] = pd.Series(obj, dtype=object)
    return pd.DataFrame(data)


# --- readers --------------------------------------------------------------------------------


def from_columns(
    columns: Mapping[str, npt.ArrayLike], *, registry: ScaleRegistry | None = None
) -> ScoreTable:
    """A score table from columns: arrays (numpy, pandas, polars) or sequences of values.

    Parameters
    ----------
    columns : mapping of str to array_like
        One entry per column (see the module documentation), all of the same
        length. Numpy arrays keep their type (a float array marks missing
        values with NaN; an integer array of identifiers is read as their
        decimal text); lists are read value by value like records.
    registry : ScaleRegistry, optional
        Where scale keys are looked up (default: the default registry).

    Returns
    -------
    ScoreTable

    Raises
    ------
    TableInputError
        If the columns cannot form a table (a required column is missing,
        lengths differ, a column is not one-dimensional).

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores.table import from_columns
    >>> t = from_columns({"person": np.array([7, 7]), "scale": np.array(["ORS", "ORS"]),
    ...                   "date": np.array(["2025-01-10", "2025-02-10"], dtype="datetime64[D]"),
    ...                   "item_1": np.array([0.0, 5.0]), "item_2": np.array([0.0, 5.0]),
    ...                   "item_3": np.array([0.0, 5.0]), "item_4": np.array([0.0, 5.5])})
    >>> t.total.tolist(), t.person.tolist()
    ([0.0, 20.5], ['7', '7'])
    """
    if not isinstance(columns, Mapping):
        raise TableInputError(
            "from_columns expects a mapping of column names to arrays, got "
            f"{type(columns).__name__}"
        )
    arrays = {name: _column_list(str(name), values) for name, values in columns.items()}
    return _from_arrays(arrays, text=False, registry=registry, log=_ErrorLog())


def _from_arrays(
    arrays: Mapping[str, AnyArray],
    *,
    text: bool,
    registry: ScaleRegistry | None,
    log: _ErrorLog,
    n: int | None = None,
) -> ScoreTable:
    lengths = {name: int(arr.shape[0]) for name, arr in arrays.items()}
    if n is None:
        if len(set(lengths.values())) > 1:
            raise TableInputError(f"columns differ in length: {lengths}")
        n = next(iter(lengths.values()), 0)
    return _build(arrays, n, text=text, registry=registry, log=log)


def from_records(
    records: Iterable[Mapping[str, Any]], *, registry: ScaleRegistry | None = None
) -> ScoreTable:
    """A score table from records (mappings of column name to value), one per administration.

    Values are validated as in :class:`~fit_scores.Administration`: a string
    is not a score, NaN is not a number, ``None`` is missing. A record that is
    not a mapping is a rejected row.

    Examples
    --------
    >>> from fit_scores.table import from_records
    >>> t = from_records([{"person": "p", "scale": "ORS", "date": "2025-01-10", "total": "20"}])
    >>> t.n_valid, t.errors.to_records()[0]["reason"]
    (0, "total = '20': a string is not a score; give a number")
    """
    if isinstance(records, str | bytes | Mapping):
        raise TableInputError("from_records expects an iterable of records (mappings)")
    recs = list(records)
    n = len(recs)
    log = _ErrorLog()
    is_mapping = np.fromiter(map(isinstance, recs, itertools.repeat(Mapping)), bool, n)
    if not is_mapping.all():
        bad = np.flatnonzero(~is_mapping)
        log.add(bad, "", FieldError, "a record must be a mapping of column names to values")
        for i in bad.tolist():
            recs[i] = {}
    names = list(dict.fromkeys(itertools.chain.from_iterable(recs)))
    for name in names:
        if not isinstance(name, str):
            raise TableInputError(f"column names must be text, got {name!r}")
    arrays = {
        name: np.fromiter(map(operator.methodcaller("get", name), recs), dtype=object, count=n)
        for name in names
    }
    if not n:
        arrays = {name: np.zeros(0, dtype=object) for name in (*_REQUIRED, *names)}
    return _from_arrays(arrays, text=False, registry=registry, log=log, n=n)


def from_pandas(df: Any, *, registry: ScaleRegistry | None = None) -> ScoreTable:
    """A score table from a pandas DataFrame (long format, one row per administration).

    Rows are numbered by position (the index is ignored). Missing values in
    the pandas sense (``None``, ``NaN``, ``NaT``, ``pd.NA``) are missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from fit_scores.table import from_pandas
    >>> df = pd.DataFrame({"person": ["p", "p"], "scale": ["ORS", "ORS"],
    ...                    "date": pd.to_datetime(["2025-01-10", "2025-02-10"]),
    ...                    "total": [20.0, None]})
    >>> t = from_pandas(df)
    >>> t.n_valid, t.errors.to_records()[0]["error"]
    (1, 'ScoreError')
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TableInputError(f"from_pandas expects a pandas DataFrame, got {type(df).__name__}")
    if not df.columns.is_unique:
        raise TableInputError("the DataFrame has duplicate column names")
    arrays = {str(name): _pandas_series(df[name]) for name in df.columns}
    return _from_arrays(arrays, text=False, registry=registry, log=_ErrorLog(), n=len(df))


def from_polars(df: Any, *, registry: ScaleRegistry | None = None) -> ScoreTable:
    """A score table from a polars DataFrame (long format, one row per administration).

    Nulls are missing. Needs polars.

    Examples
    --------
    >>> import polars as pl  # doctest: +SKIP
    >>> from fit_scores.table import from_polars
    >>> df = pl.DataFrame({"person": ["p"], "scale": ["ORS"], "date": ["2025-01-10"],
    ...                    "total": [20.0]})  # doctest: +SKIP
    >>> from_polars(df).total.tolist()  # doctest: +SKIP
    [20.0]
    """
    import importlib

    pl = importlib.import_module("polars")
    if not isinstance(df, pl.DataFrame):
        raise TableInputError(f"from_polars expects a polars DataFrame, got {type(df).__name__}")
    arrays = {name: _polars_series(df.get_column(name)) for name in df.columns}
    return _from_arrays(arrays, text=False, registry=registry, log=_ErrorLog(), n=df.height)


def parse_csv(
    text: str, *, registry: ScaleRegistry | None = None, delimiter: str = ","
) -> ScoreTable:
    r"""A score table from CSV text with a header row (the library reads no files).

    Every value is text: numbers are read strictly (``7.5``, ``-1``,
    ``1e2``; not ``7,5`` or `` 7``), an empty field is missing, dates are
    ``YYYY-MM-DD``, ``skip`` is ``true``/``false``/``1``/``0``/``yes``/``no``.
    Blank lines are not records; a record with more or fewer fields than the
    header is a rejected row.

    Raises
    ------
    TableInputError
        If the text is not CSV, has no header, or has duplicate column names.

    Examples
    --------
    >>> from fit_scores.table import parse_csv
    >>> text = "person,scale,date,total\np,ORS,2025-01-10,0\np,ORS,2025-02-10,\"7,5\"\n"
    >>> t = parse_csv(text)
    >>> t.total.tolist(), t.errors.to_records()[0]["reason"]
    ([0.0], "total = '7,5' is not a number (write e.g. 7.5: digits, a point, no spaces)")
    """
    if not isinstance(text, str):
        raise TableInputError(
            f"parse_csv takes the CSV text (str), got {type(text).__name__}; read the file first"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = [row for row in reader if row]
    except csv.Error as exc:
        raise TableInputError(f"CSV, line {reader.line_num}: {exc}") from exc
    if not rows:
        raise TableInputError("CSV: no header row")
    header = [h.removeprefix("\ufeff") if i == 0 else h for i, h in enumerate(rows[0])]
    if len(set(header)) != len(header):
        raise TableInputError(f"CSV: duplicate column names in the header {header}")
    body = rows[1:]
    n, width = len(body), len(header)
    log = _ErrorLog()
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=n)
    ragged = np.flatnonzero(lengths != width)
    if ragged.size:
        log.add(
            ragged,
            "",
            FieldError,
            _cat("the record has ", lengths[ragged], f" fields; the header has {width}"),
        )
        for i in ragged.tolist():
            body[i] = (body[i] + [""] * width)[:width]
    arrays: dict[str, AnyArray] = {}
    for name, values in zip(header, zip(*body, strict=True), strict=True) if n else []:
        arrays[name] = np.fromiter(values, dtype=object, count=n)
    if not n:
        arrays = {name: np.zeros(0, dtype=object) for name in header}
    return _from_arrays(arrays, text=True, registry=registry, log=log, n=n)


def parse_json(text: str | bytes, *, registry: ScaleRegistry | None = None) -> ScoreTable:
    """A score table from JSON text: an array of records, or an object of column arrays.

    Values are validated as in :func:`from_records` (a JSON string is not a
    score; ``NaN`` is not a number; ``null`` is missing).

    Examples
    --------
    >>> from fit_scores.table import parse_json
    >>> t = parse_json('{"person": ["p"], "scale": ["ORS"], "date": ["2025-01-10"],'
    ...                ' "total": [0]}')
    >>> t.total.tolist()
    [0.0]
    """
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TableInputError(f"JSON: {exc}") from exc
    if isinstance(data, list):
        return from_records(data, registry=registry)
    if isinstance(data, dict):
        for name, values in data.items():
            if not isinstance(values, list):
                raise TableInputError(f"JSON column {name!r}: expected an array of values")
        return from_columns(data, registry=registry)
    raise TableInputError("JSON: expected an array of records or an object of column arrays")
