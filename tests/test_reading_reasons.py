"""Reasons of the io layer in a locale: a cell that cannot be read is refused in nb and nn too.

The rules layer's reasons have had nb/nn/en templates since issue 13; the io
layer's (a cell that is not a number, a date, a flag; a record that is not a
mapping; a ragged CSV record; an unknown scale) stayed English under
``--locale``. A battery of inputs produces every one of them on the three ways
in (records, columns, CSV text); every reason must have a key of
:data:`~fit_scores._messages.errors.READING`, the battery must use every key,
and the Norwegian texts must keep the values the user gave.
"""

from __future__ import annotations

import datetime as dt
import string
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

import fit_scores as fs
from fit_scores._messages import errors as catalogue
from fit_scores.io import from_columns, from_records, parse_csv
from fit_scores.io.dialect import MAX_FIELD_LENGTH
from fit_scores.records.reasons import reason_key

BASE: dict[str, Any] = {"scale": "ORS", "person": "p1", "date": "2025-01-10", "total": 20.0}

RECORDS: list[Any] = [
    {**BASE, "item_1": float("inf"), "item_2": 5, "item_3": 5, "item_4": 5, "total": None},
    {**BASE, "total": "abc"},
    {**BASE, "total": True},
    {**BASE, "total": Fraction(10**400)},  # a real number too large for a float
    {**BASE, "total": [1]},
    {**BASE, "session": "3"},
    {**BASE, "session": True},
    {**BASE, "session": 1.5},
    {**BASE, "session": 2**63},
    {**BASE, "date": dt.datetime(2025, 1, 10, 12)},
    {**BASE, "date": 5},
    {**BASE, "date": np.datetime64("2025-01")},  # a month, not a day
    {**BASE, "skip": "yes"},
    {**BASE, "skip": 5},
    {**BASE, "person": 1.5},
    {**BASE, "scale": 5},
    {**BASE, "scale": "XYZ"},
    5,  # not a mapping
]

#: Whole columns of a type that is not the column's.
COLUMNS: list[dict[str, Any]] = [
    {
        "scale": np.array(["ORS", "ORS"]),
        "person": np.array([1.5, 2.5]),
        "date": np.array(["2025-01-10", "2025-01-11"]),
        "total": np.array([1 + 1j, 2j]),
        "session": np.array([1j, 2j]),
        "skip": np.array([1.0, np.nan]),
    },
    {
        "scale": np.array([1, 2]),
        "person": np.array(["a", "b"]),
        "date": np.array([1, 2]),
        "total": np.array([20.0, 20.0]),
        "skip": np.array([1, 0]),
        "session": np.array([1.5, 2.0]),
    },
    {
        "scale": np.array(["ORS", "ORS"]),
        "person": np.array(["a", "b"]),
        "date": np.array(["2025-01-10T12:00", "2025-01-11"], dtype="datetime64[m]"),
        "total": np.array([20.0, 20.0]),
    },
]

LONG = "y" * (MAX_FIELD_LENGTH + 1)
CSV = (
    "person,scale,date,session,total,skip,coordinator\n"
    "p,ORS,2025-13-01,1.5,7;5,maybe,x\n"
    "p,ORS,2025-01-10,1,20,,x,extra\n"
    f"p,ORS,2025-01-11,2,20,,{LONG}\n"
)


def tables() -> list[fs.ScoreTable]:
    return [
        from_records(RECORDS),
        *(from_columns(columns) for columns in COLUMNS),
        parse_csv(CSV, group_columns=["coordinator"]),
    ]


def reading_reasons() -> list[str]:
    """Every reason of the battery that is not a rule's (the rules have their own test)."""
    reasons = [r for t in tables() for r in t.errors.reason.tolist()]
    return [r for r in reasons if (found := reason_key(r)) is None or found.startswith("reading.")]


def test_every_reading_reason_has_a_key_and_the_battery_uses_every_key() -> None:
    reasons = reading_reasons()
    keys = {reason_key(r) for r in reasons}
    assert None not in keys, [r for r in reasons if reason_key(r) is None]
    assert keys == set(catalogue.READING)


@pytest.mark.parametrize(
    ("reason", "key"),
    [
        # the specific template wins over the general one that also matches its text
        ("session = True: a boolean is not a whole number; give an integer", "whole_boolean"),
        ("session = '3': a string is not a whole number; give an integer", "whole_string"),
        ("session = 1.5: a float is not a whole number; give an integer", "whole_type"),
        ("date = 5: a int is not a date; write YYYY-MM-DD", "date_type"),
        ("date = '5' is not a date; write YYYY-MM-DD", "not_a_date"),
        ("skip = 5: give true or false", "flag"),
        ("skip = 'yes': give true or false, not text", "flag_text"),
        ("person = 1.5: give text or a whole number", "id_type"),
        ("scale = 5: give text", "key_type"),
    ],
)
def test_the_most_specific_template_is_the_key(reason: str, key: str) -> None:
    assert reason_key(reason) == f"reading.{key}"


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_every_reading_reason_reads_differently_in_norwegian_and_back_in_english(
    locale: str,
) -> None:
    for table in tables():
        english = table.errors.reason.tolist()
        local = table.errors.localised(locale).reason.tolist()
        assert table.errors.localised("en").reason.tolist() == english
        for en, text in zip(english, local, strict=True):
            assert text != en, en
            found = catalogue.reason_key(en)
            assert found is not None, en
            for value in found[1].values():  # the values are kept as the user gave them
                assert value in text, (en, text)


def test_a_norwegian_reason_in_full() -> None:
    table = parse_csv("person;scale;date;total\np;ORS;2025-13-01;7.5\np;ORS;2025-01-10;x\n")
    assert table.errors.localised("nb").reason.tolist() == [
        "date = '2025-13-01' er ikke en dato; skriv ÅÅÅÅ-MM-DD",
        "total = 'x' er ikke et tall (skriv f.eks. 7.5: sifre, punktum, ingen mellomrom)",
    ]
    assert table.errors.localised("nn").reason.tolist() == [
        "date = '2025-13-01' er ikkje ein dato; skriv ÅÅÅÅ-MM-DD",
        "total = 'x' er ikkje eit tal (skriv t.d. 7.5: siffer, punktum, ingen mellomrom)",
    ]


def test_reading_templates_have_the_same_fields_in_every_locale_and_no_key_twice() -> None:
    assert not set(catalogue.READING) & set(catalogue.TEMPLATES)
    assert not set(catalogue.RECORDS) & (set(catalogue.TEMPLATES) | set(catalogue.READING))
    for key, texts in (catalogue.READING | catalogue.RECORDS).items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in texts]
        assert fields[0] == fields[1] == fields[2], key
        assert texts[1] != texts[0] and texts[2] != texts[0], key


@pytest.mark.parametrize(
    ("reason", "key"),
    [
        # a reason that only looks like another template: its own key, or none
        ("persons: a value is required", "yearly.value_required"),  # not "{column} is required"
        ("levels[0]: a string ('x') is not a number", None),  # not "{column}: {type} is not ..."
    ],
)
def test_a_reason_that_only_looks_like_a_template_is_not_read_as_it(
    reason: str, key: str | None
) -> None:
    assert reason_key(reason) == key
    if key is None:
        assert fs.localise_reason(reason, "nb") == reason


def test_a_value_that_looks_like_a_template_is_not_translated() -> None:
    """The user's text "10.01: a Monday" is not the ": a {type}" of another template."""
    reason = "date = '10.01: a Monday' is not a date; write YYYY-MM-DD"
    assert reason_key(reason) == "reading.not_a_date"
    assert fs.localise_reason(reason, "nb") == (
        "date = '10.01: a Monday' er ikke en dato; skriv ÅÅÅÅ-MM-DD"
    )
