"""Column parsers: raw containers in, typed columns out, unreadable cells logged.

A column can come as a numpy array of any dtype, a masked array, a pandas or
polars series, a list of Python values (records, JSON) or text (CSV). The
parsers here read any of them into typed numpy columns (days since 1970,
whole numbers, float scores, true/false flags with the cell rules of
:mod:`fit_scores._core.cells`; text as integer :class:`Codes`) and log every
cell they cannot read in an :class:`~fit_scores._core.rules.ErrorLog`.

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

import itertools
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt

from fit_scores._core import segments as _seg
from fit_scores._core.cells import (
    is_int_type,
    parse_dates,
    parse_flags,
    parse_ints,
    parse_scores,
    type_groups,
)
from fit_scores._core.errorlog import ErrorLog
from fit_scores._core.grammars import (
    str_lengths,
)
from fit_scores._core.rules import RowColumns
from fit_scores._core.text import (
    ID_GIVEN_AS,
    KEY_GIVEN_AS,
    cat,
    check_identifiers,
    plain_identifiers,
    reprs,
)
from fit_scores.errors import (
    AgeError,
    FieldError,
    TableInputError,
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

    what = KEY_GIVEN_AS if kind == "key" else ID_GIVEN_AS
    dkind = raw.dtype.kind
    if dkind in "iu" and kind != "key":
        codes, labels = _factorize_ints(raw)
        return Codes(codes, labels), bad
    if dkind == "U":
        codes, labels = _factorize_text(raw)
    elif dkind == "O":
        strings = np.empty(n, dtype=object)  # None: missing
        for t, idx in type_groups(raw):
            sub = raw[idx]
            if t is type(None):
                continue
            if issubclass(t, str):
                strings[idx] = sub
            elif is_int_type(t) and kind != "key":
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
    date = parse_dates(columns["date"], "date", log)
    session = age = birth = None
    if (raw := columns.get("session")) is not None:
        session = parse_ints(raw, "session", log, text=text, error=FieldError)
    if (raw := columns.get("age")) is not None:
        age = parse_ints(raw, "age", log, text=text, error=AgeError)
    if (raw := columns.get("birth_date")) is not None:
        birth = parse_dates(raw, "birth_date", log)
    # column-major: every item column is contiguous (written and read a column at a time)
    item_values = np.zeros((m, k), dtype=np.float64, order="F")
    item_present = np.zeros((m, k), dtype=bool, order="F")
    item_bad = np.zeros((m, k), dtype=bool, order="F")
    for j in range(k):
        name = item_names.get(j + 1)
        if name is None:
            continue
        i_values, i_missing, i_bad = parse_scores(columns[name], name, log, text=text)
        item_values[:, j] = i_values
        item_present[:, j] = ~i_missing
        item_bad[:, j] = i_bad
    total = None
    if (raw := columns.get("total")) is not None:
        total = parse_scores(raw, "total", log, text=text)
    skip = None
    if (raw := columns.get("skip")) is not None:
        skip, _ = parse_flags(raw, "skip", log, text=text)
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
