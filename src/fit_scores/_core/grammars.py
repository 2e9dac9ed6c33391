"""Text grammars of the readers: numbers, whole numbers, dates and true/false words, strictly.

Every value in CSV is text. These grammars read whole columns of text at once
with character-class state machines over the code points (no Python loop per
value, no locale, no lenient parsing): a number is
``[+-]digits[.digits][e[+-]digits]`` (also ``.5`` and ``5.``), a whole number
``[+-]digits``, a date ``YYYY-MM-DD`` (a real calendar date, year 1-9999).
``"7,5"``, ``" 7"`` and ``"2025-1-10"`` are not read.

Values are computed from the code points while the machines run (digits into
integers, no text-to-number cast): whole numbers and dates exactly, numbers
exactly as Python's ``float(text)`` (one IEEE operation on exact values; the
rare number with more than 15 significant digits or an exponent beyond 22 is
read by numpy's exact cast).

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


#: The character class of every ASCII code point; code points from 127 on are
#: looked up as 127 (``take(..., mode="clip")``), of class other.
_CLASS_OF = np.full(128, _O, dtype=np.int8)
_CLASS_OF[48:58] = _D
_CLASS_OF[[43, 45]] = _S
_CLASS_OF[46] = _P
_CLASS_OF[[69, 101]] = _E
_CLASS_OF[0] = _Z
#: 10**k for k = 0..22: exact doubles (5**22 < 2**53), converted from exact integers.
_POWERS_OF_TEN = np.array([float(10**k) for k in range(23)], dtype=np.float64)
#: The largest ``|e|`` of ``m * 10**e`` computed with one IEEE operation on exact values.
_MAX_FAST_EXPONENT = 22
#: The largest mantissa that is an exact double.
_MAX_FAST_MANTISSA = 2**53
#: A mantissa of at most this many digits is below 10**18 (no int64 overflow).
_MAX_MANTISSA_DIGITS = 18
#: Exponents are accumulated up to this magnitude (a larger one is read by the cast).
_EXPONENT_CAP = 10**6
_MINUS = 45


def _codepoints(
    strings: AnyArray, width: int
) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.uint32]]:
    """Fixed-width text, and its code points as a matrix of ``width`` columns.

    No string may be longer than ``width``. A native ``U`` array is used as
    it is (its code points are a view, without the padding columns beyond
    ``width``); any other is converted to ``U<width>``.
    """
    width = max(width, 1)
    dtype = strings.dtype
    if dtype.kind == "U" and dtype.isnative and dtype.itemsize >= 4 * width:
        fixed = np.ascontiguousarray(strings)
        points = fixed.view(np.uint32).reshape(fixed.shape[0], dtype.itemsize // 4)
        return fixed, points[:, :width]
    fixed = np.asarray(strings).astype(f"U{width}")
    return fixed, fixed.view(np.uint32).reshape(fixed.shape[0], width)


def _step(
    flat: npt.NDArray[np.int8], state: npt.NDArray[np.int8], points: npt.NDArray[np.uint32]
) -> npt.NDArray[np.int8]:
    """One step of a state machine (flattened, 6 classes a state) on one character a row."""
    return flat.take(state * np.int8(6) + _CLASS_OF.take(points, mode="clip"))


def _accepted(machine: npt.NDArray[np.int8], state: npt.NDArray[np.int8]) -> BoolArray:
    """Whether the machine accepts at the end of the text (its padding leads to state 9)."""
    ok = np.zeros(state.shape[0], dtype=bool)
    for final in np.flatnonzero(machine[:, _Z] == 9).tolist():
        ok |= state == final
    return ok


def _digit(points: npt.NDArray[np.uint32]) -> npt.NDArray[np.int32]:
    """Every code point read as a digit (meaningless where it is not one)."""
    return (points - np.uint32(48)).view(np.int32)


def _short_rows(strings: AnyArray, limit: int) -> tuple[IntArray | None, int]:
    """Rows of at most ``limit`` characters (``None``: every row), and their longest length.

    Text of a ``U<w>`` array with ``w <= limit`` is short: ``w`` is taken for
    the longest length (the tokenizer gives the narrowest width).
    """
    if strings.dtype.kind == "U" and strings.dtype.itemsize // 4 <= limit:
        return None, strings.dtype.itemsize // 4
    lengths = str_lengths(strings)
    if lengths.size == 0 or int(lengths.max()) <= limit:
        return None, int(lengths.max(initial=0))
    rows = np.flatnonzero(lengths <= limit)
    return rows, int(lengths[rows].max(initial=0))


def _scale(mantissa: npt.NDArray[np.signedinteger[Any]], e: IntArray) -> FloatArray:
    """``mantissa * 10**e`` with one IEEE operation (``e`` clipped to +-22)."""
    e = np.clip(e, -_MAX_FAST_EXPONENT, _MAX_FAST_EXPONENT)
    x = mantissa.astype(np.float64)
    lo, hi = int(e.min()), int(e.max())
    if lo == hi:  # one exponent for the column (as in 7.5, 10.0, 3.2): a scalar operand
        return x * float(_POWERS_OF_TEN[hi]) if hi >= 0 else x / float(_POWERS_OF_TEN[-hi])
    if lo >= 0:
        return x * _POWERS_OF_TEN.take(e)
    if hi <= 0:
        return x / _POWERS_OF_TEN.take(-e)
    # one of the two is 10**0 = 1: multiplying or dividing by it is exact
    return x * _POWERS_OF_TEN.take(np.maximum(e, 0)) / _POWERS_OF_TEN.take(np.maximum(-e, 0))


def parse_number_text(strings: AnyArray) -> tuple[FloatArray, BoolArray]:
    """Numbers from non-empty text, strictly: ``[+-]digits[.digits][e[+-]digits]``.

    The value of every number is exactly Python's ``float(text)`` (correctly
    rounded), read without converting text to float: while the state machine
    checks the grammar a character at a time, the digits build the mantissa
    ``m`` (an integer), and the number of fraction digits and the exponent
    give ``e``. When ``m <= 2**53`` and ``|e| <= 22``, ``m`` and ``10**|e|``
    are exact doubles and one IEEE multiplication or division rounds
    ``m * 10**e`` correctly (Clinger's fast path); any other number (more
    than 15 significant digits, a large exponent) is read by numpy's exact
    text-to-float cast, that number only.
    """
    n = strings.shape[0]
    rows, width = _short_rows(strings, _MAX_NUMBER_TEXT)
    given = strings if rows is None else strings[rows]
    if given.shape[0] == 0:
        return np.zeros(n, dtype=np.float64), np.zeros(n, dtype=bool)
    fixed, cp = _codepoints(given, width)
    m, width = cp.shape
    flat = _NUMBER_MACHINE.reshape(-1)
    # at most 9 digits fit int32; at most 19 digits either fit int64 or wrap to a negative
    mantissa: npt.NDArray[np.signedinteger[Any]] = np.zeros(
        m, dtype=np.int32 if width <= 9 else np.int64
    )
    n_digits = np.zeros(m, dtype=np.int8) if width > 19 else None
    n_fraction = np.zeros(m, dtype=np.int8)
    exponent: IntArray | None = None
    exponent_negative = np.zeros(m, dtype=bool)
    state = np.zeros(m, dtype=np.int8)
    for j in range(width):
        points = cp[:, j]
        state = _step(flat, state, points)
        fraction = state == 4
        in_mantissa = (state == 2) | fraction
        digit = _digit(points)
        mantissa = np.where(in_mantissa, mantissa * 10 + digit, mantissa)
        n_fraction += fraction
        if n_digits is not None:
            n_digits += in_mantissa
        if exponent is None and bool(((points | 32) == 101).any()):  # an e or E
            exponent = np.zeros(m, dtype=np.int64)
        if exponent is not None:  # exponent digits can come from here on
            grown = np.minimum(exponent * 10 + digit, _EXPONENT_CAP)
            exponent = np.where(state == 8, grown, exponent)
            exponent_negative |= (state == 7) & (points == _MINUS)
    good = _accepted(_NUMBER_MACHINE, state)
    e: IntArray = np.negative(n_fraction, dtype=np.int64)
    if exponent is not None:
        e += np.where(exponent_negative, -exponent, exponent)
    fast = good & ((np.abs(e) <= _MAX_FAST_EXPONENT) | (mantissa == 0))
    if mantissa.dtype == np.int64:
        fast &= (mantissa >= 0) & (mantissa <= _MAX_FAST_MANTISSA)
    if n_digits is not None:
        fast &= n_digits <= _MAX_MANTISSA_DIGITS
    x = _scale(mantissa, e)
    negative = cp[:, 0] == _MINUS
    if bool(negative.any()):
        np.negative(x, out=x, where=negative)
    if not bool(fast.all()):
        x[~fast] = 0.0
        slow = np.flatnonzero(good & ~fast)
        with np.errstate(over="ignore"):  # beyond the largest double: inf, as float(text)
            x[slow] = fixed[slow].astype(np.float64)
    if rows is None:
        return x, good
    values = np.zeros(n, dtype=np.float64)
    ok = np.zeros(n, dtype=bool)
    values[rows] = x
    ok[rows] = good
    return values, ok


def parse_int_text(strings: AnyArray) -> tuple[IntArray, BoolArray]:
    """Whole numbers from non-empty text, strictly: ``[+-]digits`` (at most 18 characters).

    The digits are read while the state machine checks the grammar (at most
    18 digits: no overflow of int64); the value is Python's ``int(text)``.
    """
    n = strings.shape[0]
    rows, width = _short_rows(strings, _MAX_INT_DIGITS)
    given = strings if rows is None else strings[rows]
    if given.shape[0] == 0:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    _, cp = _codepoints(given, width)
    m, width = cp.shape
    flat = _INT_MACHINE.reshape(-1)
    number: npt.NDArray[np.signedinteger[Any]] = np.zeros(
        m, dtype=np.int32 if width <= 9 else np.int64
    )
    state = np.zeros(m, dtype=np.int8)
    for j in range(width):
        points = cp[:, j]
        state = _step(flat, state, points)
        number = np.where(state == 2, number * 10 + _digit(points), number)
    good = _accepted(_INT_MACHINE, state)
    number = np.where(good, number, 0).astype(np.int64)
    negative = cp[:, 0] == _MINUS
    if bool(negative.any()):
        np.negative(number, out=number, where=negative)
    if rows is None:
        return number, good
    values = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    values[rows] = number
    ok[rows] = good
    return values, ok


#: Days in every month of a common year (index 0: no month).
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
#: Days of a common year before the first of every month (index 0: no month).
_DAYS_BEFORE_MONTH = np.concatenate([[0], np.cumsum(_DAYS_IN_MONTH)[:-1]])
_YEARS = np.arange(10000, dtype=np.int64)
#: Whether every year 0-9999 is a leap year (proleptic Gregorian).
_LEAP_YEAR = ((_YEARS % 4 == 0) & (_YEARS % 100 != 0)) | (_YEARS % 400 == 0)
#: Days since 1970 of January 1 of every year 0-9999.
_NEW_YEAR = days_from_civil(_YEARS, np.ones_like(_YEARS), np.ones_like(_YEARS))


def parse_date_text(strings: AnyArray) -> tuple[IntArray, BoolArray]:
    """Days since 1970 from ISO ``YYYY-MM-DD`` text (a real calendar date, year 1-9999).

    The digits are read from the code points; the day number is the day of
    January 1 of the year, the days of the months before, and the day.
    """
    n = strings.shape[0]
    if strings.dtype.kind == "U" and strings.dtype.itemsize == 40:
        rows = None  # U10: every text is at most 10 characters; a shorter one has padding
    else:
        candidate = str_lengths(strings) == 10
        rows = None if bool(candidate.all()) else np.flatnonzero(candidate)
    given = strings if rows is None else strings[rows]
    if given.shape[0] == 0:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    _, cp = _codepoints(given, 10)
    shape_ok = (cp[:, 4] == _MINUS) & (cp[:, 7] == _MINUS)
    digit: dict[int, npt.NDArray[np.int32]] = {}
    for j in (0, 1, 2, 3, 5, 6, 8, 9):  # a padding NUL is not a digit: shorter text fails
        value = cp[:, j] - np.uint32(48)
        shape_ok &= value <= 9
        digit[j] = value.view(np.int32)  # meaningless where not a digit (shape_ok is false)
    y = ((digit[0] * 10 + digit[1]) * 10 + digit[2]) * 10 + digit[3]
    m = digit[5] * 10 + digit[6]
    d = digit[8] * 10 + digit[9]
    # the tables are looked up at clipped indices; a clipped index is an invalid date
    leap = _LEAP_YEAR.take(y, mode="clip")
    month_days = _DAYS_IN_MONTH.take(m, mode="clip") + ((m == 2) & leap)
    good = shape_ok & (y >= 1) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= month_days)
    days = _NEW_YEAR.take(y, mode="clip") + _DAYS_BEFORE_MONTH.take(m, mode="clip")
    days += (m > 2) & leap
    days += d
    days -= 1
    days = np.where(good, days, 0)
    if rows is None:
        return days, good
    out = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    out[rows] = days
    ok[rows] = good
    return out, ok
