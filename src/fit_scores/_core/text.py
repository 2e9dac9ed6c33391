"""Elementwise text for error reasons: whole columns of messages without a Python loop per row.

The validators build one reason per bad cell (``"item_3 = 10.5 is outside
..."``); these helpers join text parts over whole arrays with numpy's string
functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["as_text", "cat", "iso_dates", "reprs"]

ObjArray = npt.NDArray[np.object_]
IntArray = npt.NDArray[np.int64]


def as_text(values: npt.ArrayLike) -> npt.NDArray[np.str_]:
    """Values as text (floats as their shortest round-trip decimal).

    Examples
    --------
    >>> as_text([7.5, 10.0]).tolist()
    ['7.5', '10.0']
    """
    return np.asarray(values).astype(str)


def cat(*parts: str | npt.ArrayLike) -> ObjArray:
    """Elementwise concatenation of text parts (strings broadcast).

    Examples
    --------
    >>> cat("age ", np.array([3, 140]), " years").tolist()
    ['age 3 years', 'age 140 years']
    >>> cat("age ", np.array([], dtype=np.int64)).size
    0
    """
    if any(not isinstance(p, str) and np.size(p) == 0 for p in parts):
        return np.zeros(0, dtype=object)  # nothing to report: no text to build
    out: Any = parts[0] if isinstance(parts[0], str) else as_text(parts[0])
    for part in parts[1:]:
        out = np.strings.add(out, part if isinstance(part, str) else as_text(part))
    return np.asarray(out).astype(object)


def reprs(values: ObjArray) -> npt.NDArray[np.str_]:
    """``repr`` of every value (text in quotes, as in the messages of the records).

    Examples
    --------
    >>> reprs(np.array(["7,5", None], dtype=object)).tolist()
    ["'7,5'", 'None']
    """
    return np.array(list(map(repr, values)), dtype=str)


def iso_dates(days: IntArray) -> npt.NDArray[np.str_]:
    """Days since 1970-01-01 as ISO ``YYYY-MM-DD`` text.

    Examples
    --------
    >>> iso_dates(np.array([0, 20098])).tolist()
    ['1970-01-01', '2025-01-10']
    """
    return np.datetime_as_string(days.astype("datetime64[D]"))
