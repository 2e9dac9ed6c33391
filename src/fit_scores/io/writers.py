"""Writers: the columns of a table, summary or report as records, CSV, JSON or pandas.

Every output object (:class:`~fit_scores.table.ScoreTable`,
:class:`~fit_scores.table.TableErrors`, :class:`~fit_scores.table.TrackSummary`,
:class:`~fit_scores.table.Aggregate`) is a list of named columns: numpy
arrays, masked arrays (masked: missing) or :class:`~fit_scores.io.columns.Codes`.
The functions here write such a list; :class:`ColumnOutputs` gives a class
with a ``_columns()`` method the four ``to_*`` methods.

Examples
--------
>>> import numpy as np
>>> cols = [("n", np.ma.masked_array([3, 0], mask=[False, True])),
...         ("date", np.array(["2025-01-10", "NaT"], dtype="datetime64[D]"))]
>>> to_records(cols, iso_dates=True)
[{'n': 3, 'date': '2025-01-10'}, {'n': None, 'date': None}]
>>> print(to_csv(cols), end="")
n,date
3,2025-01-10
,
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt

from fit_scores.io.columns import Codes

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["ColumnOutputs", "split_masked", "to_csv", "to_json", "to_pandas", "to_records"]

BoolArray = npt.NDArray[np.bool_]
AnyArray = npt.NDArray[Any]


class ColumnOutputs:
    """``to_records``, ``to_pandas``, ``to_csv`` and ``to_json`` for a class with ``_columns()``."""

    def _columns(self) -> list[tuple[str, Any]]:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per row (``None`` for missing, suppressed or undefined values)."""
        return to_records(self._columns())

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame (needs pandas)."""
        return to_pandas(self._columns())

    def to_csv(self) -> str:
        """The rows as CSV text."""
        return to_csv(self._columns())

    def to_json(self) -> str:
        """The rows as a JSON array of objects (dates as ISO text)."""
        return to_json(self._columns())


def split_masked(col: Any) -> tuple[AnyArray, BoolArray | None]:
    """The data of a column and its mask (``None`` if it is not a masked array)."""
    if isinstance(col, np.ma.MaskedArray):
        return np.asarray(np.ma.getdata(col)), np.asarray(np.ma.getmaskarray(col), dtype=bool)
    return np.asarray(col), None


def _py_values(col: Any, *, iso_dates: bool = False) -> list[Any]:
    """A column as Python values, ``None`` where missing."""
    if isinstance(col, Codes):
        return cast("list[Any]", col.values().tolist())
    arr, mask = split_masked(col)
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


def to_records(cols: Sequence[tuple[str, Any]], *, iso_dates: bool = False) -> list[dict[str, Any]]:
    """One dict per row; ``None`` where missing (dates as ISO text if ``iso_dates``)."""
    names = [name for name, _ in cols]
    values = [_py_values(col, iso_dates=iso_dates) for _, col in cols]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def to_json(cols: Sequence[tuple[str, Any]]) -> str:
    """The rows as a JSON array of objects (dates as ISO text, missing as ``null``)."""
    return json.dumps(to_records(cols, iso_dates=True), ensure_ascii=False, allow_nan=False)


def _csv_texts(col: Any) -> list[str]:
    if isinstance(col, Codes):
        text = np.concatenate([col.text, np.array([""], dtype=object)])
        return cast("list[str]", text[np.where(col.codes >= 0, col.codes, -1)].tolist())
    arr, mask = split_masked(col)
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


def to_csv(cols: Sequence[tuple[str, Any]]) -> str:
    """The rows as CSV text with a header (missing: empty; flags: true/false)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for name, _ in cols])
    writer.writerows(zip(*(_csv_texts(col) for _, col in cols), strict=True))
    return buffer.getvalue()


def to_pandas(cols: Sequence[tuple[str, Any]]) -> pd.DataFrame:
    """The rows as a pandas DataFrame (masked integers and flags as nullable arrays)."""
    import pandas as pd

    data: dict[str, Any] = {}
    for name, col in cols:
        if isinstance(col, Codes):
            data[name] = pd.Series(col.values(), dtype=object)
            continue
        arr, mask = split_masked(col)
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
