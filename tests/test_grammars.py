"""The text grammars of the readers: exact values, and exactly the texts of the grammar.

Numbers are read from their code points (digits into an integer mantissa, one
IEEE operation when that is exact, numpy's cast for the rest); these tests
hold them to Python's ``float(text)`` and ``int(text)`` bit for bit, and to a
regular expression of the grammar for what is accepted.
"""

from __future__ import annotations

import datetime as dt
import re
import struct

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fit_scores._core.errorlog import ErrorLog
from fit_scores._core.grammars import (
    parse_date_text,
    parse_int_text,
    parse_number_text,
)
from fit_scores.io.columns import _factorize_unicode, parse_labels

#: The number grammar: ``[+-]digits[.digits][e[+-]digits]``, also ``5.`` and ``.5``.
NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
#: The whole-number grammar.
WHOLE = re.compile(r"[+-]?[0-9]+")
#: The date grammar (the calendar is checked apart).
DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
MAX_NUMBER_TEXT = 40
MAX_WHOLE_TEXT = 18


def is_number(text: str) -> bool:
    return len(text) <= MAX_NUMBER_TEXT and NUMBER.fullmatch(text) is not None


def is_whole(text: str) -> bool:
    return len(text) <= MAX_WHOLE_TEXT and WHOLE.fullmatch(text) is not None


def bits(x: float) -> int:
    return int(struct.unpack("<q", struct.pack("<d", x))[0])


def check_numbers(texts: list[str]) -> None:
    """parse_number_text on U and object arrays: the regex's verdict, float(text)'s bits."""
    expected_ok = [is_number(t) for t in texts]
    expected = [bits(float(t)) if ok else 0 for t, ok in zip(texts, expected_ok, strict=True)]
    for strings in (np.array(texts, dtype=str), np.array(texts, dtype=object)):
        if not texts:
            strings = strings.astype(str)
        values, ok = parse_number_text(strings)
        assert values.dtype == np.float64 and ok.dtype == bool
        assert ok.tolist() == expected_ok, [t for t, a in zip(texts, ok, strict=True) if a]
        assert values.view(np.int64).tolist() == expected, texts


def check_wholes(texts: list[str]) -> None:
    expected_ok = [is_whole(t) for t in texts]
    expected = [int(t) if ok else 0 for t, ok in zip(texts, expected_ok, strict=True)]
    for strings in (np.array(texts, dtype=str), np.array(texts, dtype=object)):
        values, ok = parse_int_text(strings)
        assert values.dtype == np.int64
        assert ok.tolist() == expected_ok
        assert values.tolist() == expected


digits = st.text(alphabet="0123456789", max_size=25)
signs = st.sampled_from(["", "+", "-"])


@st.composite
def number_texts(draw: st.DrawFn) -> str:
    """Texts of the number grammar (sometimes longer than 40 characters)."""
    whole = draw(digits)
    point = draw(st.booleans())
    fraction = draw(digits) if point else ""
    if not whole and not fraction:
        whole = draw(st.text(alphabet="0123456789", min_size=1, max_size=3))
    if draw(st.booleans()):  # leading zeros
        whole = "0" * draw(st.integers(1, 20)) + whole
    body = whole + ("." if point else "") + fraction
    if draw(st.booleans()):
        mark = draw(st.sampled_from("eE"))
        exponent = draw(st.one_of(st.integers(0, 30), st.integers(0, 400), st.integers(0, 10**30)))
        body += mark + draw(signs) + "0" * draw(st.integers(0, 2)) + str(exponent)
    return draw(signs) + body


@st.composite
def fast_path_texts(draw: st.DrawFn) -> str:
    """A mantissa up to 2**53 (and a little beyond) with a point and an exponent near +-22."""
    mantissa = draw(st.one_of(st.integers(0, 2**53 + 4), st.integers(0, 999), st.just(2**53)))
    text = str(mantissa)
    cut = draw(st.integers(0, len(text)))
    text = text[:cut] + "." + text[cut:] if draw(st.booleans()) else text
    if draw(st.booleans()):
        text += "e" + str(draw(st.integers(-30, 30)))
    return draw(signs) + text


def float_texts() -> st.SearchStrategy[str]:
    """Floats written in Python's ways (shortest repr, 17 digits, e-notation, fixed)."""
    finite = st.floats(allow_nan=False, allow_infinity=False)
    formats = st.sampled_from(["{!r}", "{:.17g}", "{:.15g}", "{:e}", "{:.3e}", "{:.20e}", "{:f}"])
    return st.builds(lambda x, f: f.format(x), finite, formats)


SPECIAL_NUMBERS = [
    "0", "-0", "+0", "-0.0", "0.", ".0", "-.0", "00000", "0e0", "-0e-999999", "0e999999",
    "1e22", "1e23", "-1e22", "1e-22", "1e-23", "9007199254740992", "9007199254740993",
    "9007199254740992e22", "9007199254740993e-22", "4503599627370497.5", "0.1", "0.3",
    "123456789012345678", "1234567890123456789", "12345678901234567890",
    "1" * 40, "1" * 41, "0." + "0" * 37 + "1", "0." + "0" * 38 + "1",
    "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "5e-324",
    "2.2250738585072011e-308", "2.2250738585072014e-308", "1.7976931348623157e308",
    "1.7976931348623159e308", "1e309", "-1e400", "+22.940399450701E+324", "1e-400",
    "7.5", "10.0", "5.", ".5", "5.e3", "+.5e-3", "1E5", "1e+05", "007.50",
]  # fmt: skip
NOT_NUMBERS = [
    "", " ", "7,5", " 7", "7 ", "+", "-", ".", "+.", "e5", ".e5", "5e", "5e+", "5..0", "5.0.0",
    "--5", "+-5", "5e5e5", "5e5.0", "nan", "inf", "NaN", "Infinity", "0x10", "1_000", "١٢",
    "\uff15", "7\n", "\t7", "5E+-3", "1e 5", "½",
]  # fmt: skip


def test_special_numbers() -> None:
    check_numbers(SPECIAL_NUMBERS + NOT_NUMBERS)
    values, ok = parse_number_text(np.array(["1e23", "1e22", "-0", "0.1"]))
    assert values.tolist() == [1e23, 1e22, -0.0, 0.1] and ok.all()
    assert bits(values[2]) == bits(-0.0)


@given(st.lists(number_texts(), max_size=30))
def test_number_texts_read_as_float(texts: list[str]) -> None:
    check_numbers(texts)


@given(st.lists(fast_path_texts(), max_size=30))
@example(["9007199254740993", "9007199254740992", "9007199254740993e-5", "1e22", "1e23"])
def test_fast_path_is_correctly_rounded(texts: list[str]) -> None:
    check_numbers(texts)


@given(st.lists(float_texts(), max_size=30))
def test_written_floats_read_back(texts: list[str]) -> None:
    check_numbers(texts)


grammar_soup = st.text(alphabet="0123456789+-.eE x,\t٣é", max_size=45)


@given(st.lists(st.one_of(grammar_soup, number_texts()), max_size=30))
def test_numbers_accepted_exactly_as_the_regex(texts: list[str]) -> None:
    check_numbers(texts)


@given(st.lists(st.text(st.characters(exclude_characters="\x00"), max_size=12), max_size=20))
def test_any_text_numbers(texts: list[str]) -> None:
    check_numbers(texts)


def test_numbers_in_wide_and_mixed_columns() -> None:
    texts = ["1.5", "2", "-0.25", "", "x", "1" * 41, "3e2"]
    check_numbers(texts)
    values, ok = parse_number_text(np.array(texts, dtype="U60"))  # padding beyond 40
    assert ok.tolist() == [True, True, True, False, False, False, True]
    assert values[ok].tolist() == [1.5, 2.0, -0.25, 300.0]
    big = np.array(["7.5"] * 5 + ["12.25"] * 5, dtype=">U5")  # not the native byte order
    assert parse_number_text(big)[0].tolist() == [7.5] * 5 + [12.25] * 5
    empty = parse_number_text(np.zeros(0, dtype="U3"))
    assert empty[0].shape == (0,) and empty[1].shape == (0,)


def test_overflow_is_inf_without_a_warning() -> None:
    values, ok = parse_number_text(np.array(["+22.940399450701E+324", "-1e400", "1e-400"]))
    assert ok.all() and values.tolist() == [np.inf, -np.inf, 0.0]


@st.composite
def whole_texts(draw: st.DrawFn) -> str:
    return draw(signs) + draw(st.text(alphabet="0123456789", min_size=1, max_size=20))


@given(st.lists(st.one_of(whole_texts(), st.text("0123456789+-. x", max_size=20)), max_size=30))
@example(["0", "-0", "+7", "007", "1" * 18, "1" * 19, "-" + "9" * 17, "-" + "9" * 18, "+"])
def test_whole_numbers_read_as_int(texts: list[str]) -> None:
    check_wholes(texts)


@given(st.lists(st.integers(-(10**17) + 1, 10**17 - 1), max_size=30))
def test_whole_numbers_round_trip(numbers: list[int]) -> None:
    values, ok = parse_int_text(np.array([str(v) for v in numbers], dtype=str))
    assert ok.all() and values.tolist() == numbers


def expected_date(text: str) -> int | None:
    match = DATE.fullmatch(text)
    if match is None:
        return None
    try:
        day = dt.date(*map(int, match.groups()))
    except ValueError:
        return None
    return (day - dt.date(1970, 1, 1)).days


@st.composite
def date_texts(draw: st.DrawFn) -> str:
    year = draw(st.integers(0, 9999))
    month = draw(st.integers(0, 13))
    day = draw(st.integers(0, 32))
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if draw(st.booleans()):
        at = draw(st.integers(0, 9))
        text = text[:at] + draw(st.sampled_from("0-x/ ٣")) + text[at + 1 :]
    return text


@given(st.lists(st.one_of(date_texts(), st.dates().map(str)), max_size=30))
@example(["2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "0000-01-01", "0001-01-01"])
@example(["9999-12-31", "1970-01-01", "2025-1-10", "2025-01-10 ", "20250110", ""])
def test_dates(texts: list[str]) -> None:
    expected = [expected_date(t) for t in texts]
    for strings in (np.array(texts, dtype=str), np.array(texts, dtype=object)):
        days, ok = parse_date_text(strings)
        assert ok.tolist() == [e is not None for e in expected]
        assert days.tolist() == [0 if e is None else e for e in expected]


label_texts = st.text(st.characters(exclude_characters="\x00"), max_size=5)


@given(st.lists(st.one_of(label_texts, st.sampled_from(["p000001", "p000002", "Ørjan Berg"]))))
@example([f"p{i:06d}" for i in (5, 3, 5, 9)])
@example(["a" * 16, "b" * 16, "a" * 16])
def test_factorize_unicode_is_np_unique(texts: list[str]) -> None:
    values = np.array([t for t in texts if t] or ["x"], dtype=str)
    codes, labels = _factorize_unicode(values)
    unique, inverse = np.unique(values, return_inverse=True)
    assert labels.tolist() == unique.tolist()
    assert codes.tolist() == inverse.reshape(-1).tolist()


@settings(max_examples=40, deadline=None)
@given(
    common=st.lists(st.sampled_from(["ORS", "SRS", "CORS", "GSRS"]), min_size=1, max_size=4),
    rare=st.lists(st.sampled_from(["ORS", "YCORS", "SRS ", "zz", "ORSX"]), max_size=3),
    at=st.lists(st.integers(1024, 4999), max_size=3),
)
def test_factorize_unicode_of_few_keys_with_rare_ones_late(
    common: list[str], rare: list[str], at: list[int]
) -> None:
    """A few keys in the first rows, maybe others only later: the sample is checked."""
    values = np.array([common[i % len(common)] for i in range(5000)], dtype="U5")
    for text, where in zip(rare, at, strict=False):
        values[where] = text
    codes, labels = _factorize_unicode(values)
    unique, inverse = np.unique(values, return_inverse=True)
    assert labels.tolist() == unique.tolist()
    assert codes.tolist() == inverse.reshape(-1).tolist()


@pytest.mark.parametrize("kind", ["identifier", "key", "group"])
def test_labels_of_text_columns(kind: str) -> None:
    raw = np.array(["p2", "", "p10", " p3", "p2", "Åse"])
    codes, bad = parse_labels(raw, "person", ErrorLog(), kind=kind)  # type: ignore[arg-type]
    assert codes.labels.dtype == object
    assert not bad.any()
    if kind == "identifier":  # identifiers are stripped (normal form) where they are parsed
        assert codes.values().tolist() == ["p2", None, "p10", "p3", "p2", "Åse"]
        assert codes.labels.tolist() == ["p10", "p2", "p3", "Åse"]
        return
    assert codes.values().tolist() == ["p2", None, "p10", " p3", "p2", "Åse"]
    assert codes.labels.tolist() == [" p3", "p10", "p2", "Åse"]


def test_factorize_unicode_after_a_hash_collision(monkeypatch: pytest.MonkeyPatch) -> None:
    import fit_scores.io.columns as columns

    monkeypatch.setattr(columns, "_HASH_FACTOR", np.uint64(1))  # the hash: a sum of words
    values = np.array(["xxxxxxxxabcd", "xxxxxxxxcdab", "xxxxxxxxabcd", "é" * 11] * 300)
    codes, labels = _factorize_unicode(values)
    unique, inverse = np.unique(values, return_inverse=True)
    assert labels.tolist() == unique.tolist()
    assert codes.tolist() == inverse.reshape(-1).tolist()


def test_labels_of_text_in_the_other_byte_order() -> None:
    raw = np.array(["pb1", "pa2", " p3", "pb1", ""], dtype=">U3")
    codes, bad = parse_labels(raw, "person", ErrorLog(), kind="identifier")
    assert codes.values().tolist() == ["pb1", "pa2", "p3", "pb1", None]
    assert codes.labels.tolist() == ["p3", "pa2", "pb1"] and not bad.any()
    dates = np.array(["2025-01-10", "2025-02-30"], dtype=">U10")
    assert parse_date_text(dates)[1].tolist() == [True, False]
    assert parse_int_text(np.array(["-12", "x"], dtype=">U3"))[0].tolist() == [-12, 0]
