"""Text grammars of the readers: numbers, whole numbers, dates and true/false words, strictly.

Every value in CSV is text. These grammars read whole columns of text at once
with character-class state machines over the code points (no Python loop per
value, no locale, no lenient parsing): a number is
``[+-]digits[.digits][e[+-]digits]`` (also ``.5`` and ``5.``), a whole number
``[+-]digits``, a date ``YYYY-MM-DD`` (a real calendar date, year 1-9999).
``"7,5"``, ``" 7"`` and ``"2025-1-10"`` are not read.

Examples
--------
>>> import numpy as np
>>> values, ok = parse_number_text(np.array(["7.5", "7,5", "1e2", " 7"]))
>>> values[ok].tolist(), ok.tolist()
([7.5, 100.0], [True, False, True, False])
>>> parse_date_text(np.array(["2025-01-10", "2025-02-30"]))[1].tolist()
[True, False]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from fit_scores._core.calendar import days_from_civil

__all__ = [
    "FALSE_WORDS",
    "TRUE_WORDS",
    "WHITESPACE",
    "parse_date_text",
    "parse_int_text",
    "parse_number_text",
    "str_lengths",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
AnyArray = npt.NDArray[Any]

_MAX_NUMBER_TEXT = 40
_MAX_INT_DIGITS = 18
#: What the identifier pattern ``^\S(.*\S)?$`` of the records treats as white
#: space (the Unicode White_Space property of pydantic's regex engine).
WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: Text read as true (compared in lower case).
TRUE_WORDS = ("true", "1", "yes")
#: Text read as false (compared in lower case).
FALSE_WORDS = ("false", "0", "no")


def str_lengths(strings: AnyArray) -> IntArray:
    """Length of every string (object or fixed-width text array)."""
    if strings.dtype.kind == "U":
        return np.asarray(np.strings.str_len(strings), dtype=np.int64)
    return np.fromiter(map(len, strings), dtype=np.int64, count=strings.shape[0])


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


def parse_number_text(strings: AnyArray) -> tuple[FloatArray, BoolArray]:
    """Numbers from non-empty text, strictly: ``[+-]digits[.digits][e[+-]digits]``."""
    n = strings.shape[0]
    values = np.zeros(n, dtype=np.float64)
    lengths = str_lengths(strings)
    short = np.flatnonzero(lengths <= _MAX_NUMBER_TEXT)
    ok = np.zeros(n, dtype=bool)
    if short.size:
        fixed, good = _run_machine(strings[short], _NUMBER_MACHINE, int(lengths[short].max()))
        ok[short] = good
        values[short[good]] = fixed[good].astype(np.float64)
    return values, ok


def parse_int_text(strings: AnyArray) -> tuple[IntArray, BoolArray]:
    """Whole numbers from non-empty text, strictly: ``[+-]digits`` (at most 18 digits)."""
    n = strings.shape[0]
    values = np.zeros(n, dtype=np.int64)
    lengths = str_lengths(strings)
    short = np.flatnonzero(lengths <= _MAX_INT_DIGITS)
    ok = np.zeros(n, dtype=bool)
    if short.size:
        fixed, good = _run_machine(strings[short], _INT_MACHINE, int(lengths[short].max()))
        ok[short] = good
        values[short[good]] = fixed[good].astype(np.int64)
    return values, ok


_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def parse_date_text(strings: AnyArray) -> tuple[IntArray, BoolArray]:
    """Days since 1970 from ISO ``YYYY-MM-DD`` text (a real calendar date, year 1-9999)."""
    n = strings.shape[0]
    days = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    lengths = str_lengths(strings)
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
    days[cand[good]] = days_from_civil(y[good], m[good], d[good])
    return days, ok
