"""Column parsers: raw containers in, typed columns out, unreadable cells logged.

A column can come as a numpy array of any dtype, a masked array, a pandas or
polars series, a list of Python values (records, JSON) or text (CSV). The
parsers here read any of them into typed numpy columns (days since 1970,
whole numbers, float scores, true/false flags, text as integer
:class:`Codes`) and log every cell they cannot read in an
:class:`~fit_scores._core.rules.ErrorLog`. Object arrays are read by type:
the type of every value is found once, in C, and each group of values of
one type is read at once (``_type_groups``).

:func:`parse_row_columns` turns a chunk of raw columns into the
:class:`~fit_scores._core.rules.RowColumns` that the rules check.

Examples
--------
>>> import numpy as np
>>> from fit_scores._core.errorlog import ErrorLog
>>> codes, bad = parse_labels(np.array(["b", "a", "", "b"]), "person", ErrorLog(),
...                           kind="identifier")
>>> codes.codes.tolist(), codes.values().tolist()
([1, 0, -1, 1], ['b', 'a', None, 'b'])
"""

from __future__ import annotations

import datetime as dt
import itertools
import numbers
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt

from fit_scores._core import segments as _seg
from fit_scores._core.calendar import FIRST_DAY, LAST_DAY
from fit_scores._core.errorlog import ErrorLog
from fit_scores._core.rules import RowColumns
from fit_scores._core.text import (
    ID_GIVEN_AS,
    as_text,
    cat,
    check_identifiers,
    plain_identifiers,
    reprs,
)
from fit_scores.errors import (
    AgeError,
    FieldError,
    FitScoresError,
    ItemValueTypeError,
    TableInputError,
)
from fit_scores.io.grammars import (
    FALSE_WORDS,
    TRUE_WORDS,
    parse_date_text,
    parse_int_text,
    parse_number_text,
    str_lengths,
)
from fit_scores.io.tokenizer import EncodedText

__all__ = [
    "Codes",
    "LabelKind",
    "RawColumn",
    "column_array",
    "pandas_column",
    "parse_labels",
    "parse_row_columns",
    "polars_column",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]
AnyArray = npt.NDArray[Any]
#: A raw input column: an array of any dtype, or text as codes into its distinct values
#: (label columns beyond ASCII of a CSV, see :class:`~fit_scores.io.tokenizer.EncodedText`).
RawColumn = AnyArray | EncodedText


@dataclass(frozen=True, eq=False)
class Codes:
    """A text column as integer codes into labels (-1: missing).

    The storage of every text column of a table (person, rater id, episode,
    grouping columns) and of the summaries: each distinct value is kept once.

    Attributes
    ----------
    codes : ndarray of int
        Index of every row's value in ``labels``; -1 where missing.
    labels : ndarray
        The distinct values (sorted when they come from :func:`parse_labels`).

    Examples
    --------
    >>> import numpy as np
    >>> c = Codes(np.array([1, -1, 0]), np.array(["a", "b"], dtype=object))
    >>> c.values().tolist(), c.take(np.array([0, 0])).values().tolist()
    (['b', None, 'a'], ['b', 'b'])
    >>> Codes.missing(2).values().tolist()
    [None, None]
    """

    codes: IntArray
    labels: AnyArray

    @classmethod
    def missing(cls, n: int) -> Codes:
        """A column of ``n`` missing values."""
        return cls(np.full(n, -1, dtype=np.int64), np.zeros(0, dtype=object))

    def take(self, index: IntArray) -> Codes:
        """The rows at ``index`` (the same labels)."""
        return Codes(self.codes[index], self.labels)

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


def _object_array(values: Iterable[Any], n: int | None = None) -> ObjArray:
    """The values as a one-dimensional object array (``n``: their number, if known)."""
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


def _is_bool_type(t: type) -> bool:
    return issubclass(t, bool | np.bool_)


def _is_int_type(t: type) -> bool:
    return issubclass(t, int | np.integer) and not _is_bool_type(t)


def _float_as_printed(values: AnyArray) -> FloatArray:
    """float64 values; float16/float32 are read as the decimal they print as (as the records do)."""
    if values.dtype.kind == "f" and values.dtype.itemsize < 8:
        return np.asarray(values.astype(str).astype(np.float64), dtype=np.float64)
    return np.asarray(values, dtype=np.float64)


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
    if idx.size == n:  # the whole column
        missing[:] = empty
        values[:] = x  # 0 where unreadable
    else:
        missing[idx[empty]] = True
        values[idx[ok]] = x[ok]
    wrong = np.flatnonzero(~ok & ~empty)
    if wrong.size:
        reject(idx[wrong], cat(f"{column} = ", reprs(strings[wrong].astype(object)), what))


def _parse_scores(
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
        numbers_at(everything, _float_as_printed(raw), nan_missing=True)
    elif kind in "iu":
        values[:] = raw.astype(np.float64)
    elif kind in "US":
        strings_at(everything, raw)
    elif kind == "b":
        reject(everything, cat(f"{column} = ", raw, ": a boolean is not a score"))
    elif kind == "O":
        for t, idx in _type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                missing[idx] = True
            elif _is_bool_type(t):
                reject(idx, cat(f"{column} = ", reprs(sub), ": a boolean is not a score"))
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
    raw: AnyArray, column: str, log: ErrorLog, *, text: bool, error: type[FitScoresError]
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
        reject(everything[wrong], cat(f"{column} = ", x[wrong], " is not a whole number"))
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
                    cat(
                        f"{column} = ",
                        reprs(sub),
                        f": {kind_name} is not a whole number; give an integer",
                    ),
                )
    else:
        reject(everything, f"{column}: {raw.dtype} values are not whole numbers")
    return values, missing, bad


def _parse_dates(
    raw: AnyArray, column: str, log: ErrorLog
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
        for t, idx in _type_groups(raw):
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
            elif issubclass(t, np.datetime64):
                datetimes_at(idx, np.array(list(sub)))
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


def _parse_flags(
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
        for t, idx in _type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                continue
            if _is_bool_type(t):
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


LabelKind = Literal["identifier", "key", "group"]


def parse_labels(
    raw: RawColumn, column: str, log: ErrorLog, *, kind: LabelKind
) -> tuple[Codes, BoolArray]:
    """A text column as codes: identifiers (validated), keys (text only) or group labels.

    Returns the codes (-1 where missing or invalid) and the invalid cells
    (logged). Identifiers are validated and put in normal form once per
    distinct value (see :func:`_finish_labels`). Text given
    as :class:`~fit_scores.io.tokenizer.EncodedText` is factorised on its
    distinct texts only.
    """
    n = len(raw)
    bad = np.zeros(n, dtype=bool)
    if isinstance(raw, EncodedText):
        distinct, labels = _factorize_text(raw.texts)
        codes = distinct.take(raw.codes).astype(_seg.code_dtype(labels.size), copy=False)
        return _finish_labels(codes, labels, column, log, bad, kind), bad

    def reject(idx: IntArray, reason: str | npt.ArrayLike) -> None:
        bad[idx] = True
        log.add(idx, column, FieldError, reason)

    what = "text" if kind == "key" else ID_GIVEN_AS
    dkind = raw.dtype.kind
    if dkind in "iu" and kind != "key":
        codes, labels = _factorize_ints(raw)
        return Codes(codes, labels), bad
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
                reject(idx, cat(f"{column} = ", reprs(sub), f": give {what}"))
        codes, labels = _factorize_text(strings)
    elif kind == "group":
        strings = np.empty(n, dtype=object)
        keep = ~np.isnan(raw) if dkind == "f" else np.ones(n, dtype=bool)
        strings[keep] = raw[keep].astype(str)
        codes, labels = _factorize_text(strings)
    else:
        reject(np.arange(n, dtype=np.int64), f"{column}: {raw.dtype} values are not {what}")
        return Codes.missing(n), bad
    return _finish_labels(codes, labels, column, log, bad, kind), bad


def _finish_labels(
    codes: AnyArray, labels: AnyArray, column: str, log: ErrorLog, bad: BoolArray, kind: LabelKind
) -> Codes:
    """The codes with their labels as Python strings; identifiers in normal form.

    Identifiers are taken in normal form (NFC, stripped;
    :func:`~fit_scores._core.text.check_identifiers`), each distinct label
    once: labels that become equal are merged (one person, however "Åse" was
    typed); a row whose id is not one (a control or invisible character, too
    long, blank) is logged and its id cleared (marked in ``bad``, so that it
    is not also reported as missing). Labels that are plain ASCII ids are
    decided on the whole array (:func:`~fit_scores._core.text.plain_identifiers`).
    """
    as_object = np.asarray(labels.astype(object), dtype=object)
    if kind != "identifier" or labels.size == 0:
        return Codes(codes, as_object)
    if bool(plain_identifiers(labels if labels.dtype.kind == "U" else as_object).all()):
        return Codes(codes, as_object)
    normal, reasons = check_identifiers(as_object, column)
    wrong = reasons != ""
    new_codes = np.asarray(codes).copy()
    if wrong.any():
        rows = np.flatnonzero((new_codes >= 0) & wrong[np.maximum(new_codes, 0)])
        log.add(rows, column, FieldError, reasons[new_codes[rows]])
        bad[rows] = True
        new_codes[rows] = -1
    merged, inverse = np.unique(normal[~wrong].astype(str), return_inverse=True)
    lookup = np.full(labels.size + 1, -1, dtype=np.int64)  # the last entry: code -1
    lookup[np.flatnonzero(~wrong)] = inverse.reshape(-1)
    remapped = lookup[new_codes].astype(new_codes.dtype)
    return Codes(remapped, np.asarray(merged.astype(object), dtype=object))


#: Rows of a whole column handled at a time where a temporary per row would be needed.
_BLOCK = 1 << 20
#: An integer range up to this many times the number of values is factorised with a bitmap.
_BITMAP_FACTOR = 4
_BITMAP_EXTRA = 1 << 16


def _factorize_ints(values: AnyArray) -> tuple[AnyArray, AnyArray]:
    """Dense codes (int32 where they fit) and the sorted distinct values of an integer array.

    The same codes and labels as :func:`fit_scores._core.segments.factorize`.
    A compact range is factorised with a bitmap, a block of rows at a time
    (no temporary of the column's length); any other with ``np.unique``.
    """
    n = values.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int32), values[:0]
    lo, hi = int(values.min()), int(values.max())
    if hi - lo > _BITMAP_FACTOR * n + _BITMAP_EXTRA:
        labels, inverse = np.unique(values, return_inverse=True)
        return inverse.reshape(-1).astype(_seg.code_dtype(labels.size)), labels
    base = values.dtype.type(lo)

    def offsets(start: int) -> npt.NDArray[np.intp]:
        block = values[start : start + _BLOCK]
        if values.dtype.itemsize < 8:  # no overflow of a narrow type
            return np.subtract(block, lo, dtype=np.intp)
        return np.asarray(block - base, dtype=np.intp)  # lo <= block <= hi: no overflow

    present = np.zeros(hi - lo + 1, dtype=bool)
    for start in range(0, n, _BLOCK):
        present[offsets(start)] = True
    found = np.flatnonzero(present)
    if values.dtype.itemsize < 8:
        labels = (found + lo).astype(values.dtype)
    else:
        labels = found.astype(values.dtype) + base
    dtype = _seg.code_dtype(labels.size)
    rank = np.cumsum(present, dtype=dtype)
    rank -= 1
    del present
    codes = np.empty(n, dtype=dtype)
    for start in range(0, n, _BLOCK):
        np.take(rank, offsets(start), out=codes[start : start + _BLOCK])
    return codes, labels


def _factorize_text(values: AnyArray) -> tuple[AnyArray, AnyArray]:
    """Codes of text values (``None`` and empty text: -1) and the sorted labels.

    The labels are a ``U`` or ``StringDType`` array (object when there are none).
    """
    n = values.shape[0]
    codes = np.full(n, -1, dtype=_seg.code_dtype(n))
    if values.dtype.kind == "U":
        lengths = np.strings.str_len(values)
        present = np.flatnonzero(lengths > 0)
        widest = int(lengths.max(initial=0))
        del lengths
        given: AnyArray = values if present.size == n else values[present]
        if widest * 4 < given.dtype.itemsize or not given.dtype.isnative:
            given = given.astype(f"U{widest}")  # narrower text: faster to compare and sort
    else:
        not_none = np.fromiter(
            map(operator.is_not, values, itertools.repeat(None)), dtype=bool, count=n
        )
        present = np.flatnonzero(not_none)
        lengths = str_lengths(values[present])
        present = present[lengths > 0]
        widest = int(lengths.max(initial=0))
        given = values[present]
        given = given.astype(f"U{widest}" if widest <= 32 else np.dtypes.StringDType())
        if given.dtype.kind == "U" and bool(
            (np.strings.str_len(given) != lengths[lengths > 0]).any()
        ):  # a trailing NUL, which fixed-width text drops
            given = values[present].astype(np.dtypes.StringDType())
    if present.size == 0:
        return codes, np.zeros(0, dtype=object)
    if given.dtype.kind == "U":
        sub_codes, labels = _factorize_unicode(given)
    else:
        sub_codes, labels = _seg.factorize(given)
    if present.size == n:
        codes[:] = sub_codes
    else:
        codes[present] = sub_codes
    return codes, labels


#: Rows keyed at a time.
_KEY_BLOCK = 1 << 14
#: Multiplier of the polynomial hash of text (odd, so that it is invertible modulo 2**64).
_HASH_FACTOR = np.uint64(0x100000001B3)


def _text_keys(values: npt.NDArray[np.str_]) -> tuple[npt.NDArray[np.uint64], bool]:
    """One integer key per text value, and whether the keys are exact.

    The code points (padding included) are packed into 64 bits when they fit
    (``width * bits <= 64``, ``bits`` the bit length of the largest code
    point: person ids such as ``p063888``); the keys then compare as the
    text does. Wider text is hashed (polynomial hash of the code points, two
    at a time where the width allows).
    """
    n = values.shape[0]
    width = values.dtype.itemsize // 4
    contiguous = np.ascontiguousarray(values)
    points = contiguous.view(np.uint32).reshape(n, width)
    bits = 64  # not packed unless every code point fits 64 // width bits
    if width <= 10:  # 6 bits a code point (digits, "-", "_", ...) or more: worth a look
        bits = max(int(points.max(initial=0)).bit_length(), 1)
    exact = width * bits <= 64
    columns: npt.NDArray[Any] = points
    if not exact and width % 2 == 0:  # hashed two code points a word
        columns = contiguous.view(np.uint64).reshape(n, width // 2)
    key = np.empty(n, dtype=np.uint64)
    shift = np.uint64(bits)
    for start in range(0, n, _KEY_BLOCK):  # a block of rows at a time: stays in the cache
        block = columns[start : start + _KEY_BLOCK]
        part = np.zeros(block.shape[0], dtype=np.uint64)
        for j in range(block.shape[1]):
            if exact:
                part <<= shift
                part |= block[:, j]
            else:
                part *= _HASH_FACTOR
                part += block[:, j]
        key[start : start + _KEY_BLOCK] = part
    return key, exact


def _factorize_unicode(values: npt.NDArray[np.str_]) -> tuple[AnyArray, npt.NDArray[np.str_]]:
    """Dense codes and sorted distinct values of fixed-width text (as ``np.unique`` gives).

    Text is turned into one integer key per value (:func:`_text_keys`). The
    keys are factorised as integers
    (:func:`~fit_scores._core.segments.factorize_keys`); hashed keys are
    checked against the text (a collision falls back to ``np.unique`` on the
    text) and their distinct values sorted, exact keys are already in the
    order of the text.
    """
    key, exact = _text_keys(values)
    codes, first = _seg.factorize_keys(key)
    del key
    labels = values[first]
    if not exact:
        if not _same_text(values, labels, codes):  # a hash collision: sort the text
            unique, inverse = np.unique(values, return_inverse=True)
            return inverse.reshape(-1).astype(_seg.code_dtype(unique.size)), unique
        order = np.argsort(labels, kind="stable")
        rank = np.empty(order.size, dtype=codes.dtype)
        rank[order] = np.arange(order.size, dtype=codes.dtype)
        codes = rank[codes]
        labels = labels[order]
    return codes, labels


def _same_text(values: npt.NDArray[np.str_], labels: npt.NDArray[np.str_], codes: AnyArray) -> bool:
    """Whether every value is its label (a block of rows at a time)."""
    for start in range(0, values.shape[0], _KEY_BLOCK):
        block = slice(start, start + _KEY_BLOCK)
        if not bool((values[block] == labels.take(codes[block])).all()):
            return False
    return True


def column_array(name: str, values: object) -> AnyArray:
    """One input column as a one-dimensional numpy array."""
    if isinstance(values, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(values)
        data = np.asarray(values.data)
        if not mask.any():
            return column_array(name, data)
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
        return column_array(name, converted)
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
        return pandas_column(values)
    return polars_column(values)


def pandas_column(s: Any) -> AnyArray:
    """A pandas series as a numpy array (missing as ``None``, or NaN/NaT in a numeric array)."""
    import pandas as pd

    dtype = s.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biufM":
        return np.asarray(s.to_numpy())
    if isinstance(dtype, pd.DatetimeTZDtype):
        raise TableInputError("time-zone aware date-times are not dates; give dates")
    out = np.asarray(s.to_numpy(dtype=object), dtype=object).copy()
    out[np.asarray(s.isna().to_numpy(), dtype=bool)] = None
    return out


def polars_column(s: Any) -> AnyArray:
    """A polars series as a numpy array (nulls as ``None``, or NaN in a float array)."""
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


def parse_row_columns(
    columns: Mapping[str, AnyArray],
    item_names: Mapping[int, str],
    k: int,
    scale_index: IntArray,
    rater_code: npt.NDArray[np.int8],
    rater_ok: BoolArray,
    *,
    text: bool,
    log: ErrorLog,
) -> RowColumns:
    """The typed columns of a chunk of rows, for :func:`fit_scores._core.rules.check_rows`.

    Parameters
    ----------
    columns : mapping of str to ndarray
        The raw columns of the chunk (``date`` required; ``session``,
        ``age``, ``birth_date``, ``total``, ``skip`` and the item columns
        when given).
    item_names : mapping of int to str
        The column of item number ``j`` (from 1).
    k : int
        The number of item columns of the typed matrix (the largest item number).
    scale_index, rater_code, rater_ok : ndarray
        Scales and raters of the rows, read from whole columns beforehand.
    text : bool
        Whether every value is text (CSV): numbers are then read from text.
    log : ErrorLog
        Where unreadable cells are logged (rows numbered from 0 in the chunk).

    Returns
    -------
    RowColumns
    """
    m = scale_index.size
    date = _parse_dates(columns["date"], "date", log)
    session = age = birth = None
    if (raw := columns.get("session")) is not None:
        session = _parse_ints(raw, "session", log, text=text, error=FieldError)
    if (raw := columns.get("age")) is not None:
        age = _parse_ints(raw, "age", log, text=text, error=AgeError)
    if (raw := columns.get("birth_date")) is not None:
        birth = _parse_dates(raw, "birth_date", log)
    # column-major: every item column is contiguous (written and read a column at a time)
    item_values = np.zeros((m, k), dtype=np.float64, order="F")
    item_present = np.zeros((m, k), dtype=bool, order="F")
    item_bad = np.zeros((m, k), dtype=bool, order="F")
    for j in range(k):
        name = item_names.get(j + 1)
        if name is None:
            continue
        i_values, i_missing, i_bad = _parse_scores(columns[name], name, log, text=text)
        item_values[:, j] = i_values
        item_present[:, j] = ~i_missing
        item_bad[:, j] = i_bad
    total = None
    if (raw := columns.get("total")) is not None:
        total = _parse_scores(raw, "total", log, text=text)
    skip = None
    if (raw := columns.get("skip")) is not None:
        skip, _ = _parse_flags(raw, "skip", log, text=text)
    return RowColumns(
        scale_index=scale_index,
        rater_code=rater_code,
        rater_ok=rater_ok,
        date=date,
        item_values=item_values,
        item_present=item_present,
        item_bad=item_bad,
        session=session,
        age=age,
        birth_date=birth,
        total=total,
        skip=skip,
    )
