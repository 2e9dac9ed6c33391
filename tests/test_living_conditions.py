"""Living-conditions indicators (issue 11, point 3).

Every test case of ../shared/domain/yearly-mapping.md section 5 is reproduced
below, on the kernel (scalar and cohort) and the record path.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from fit_scores.errors import FitScoresError, IndicatorError
from fit_scores.living_conditions import (
    EquivalenceScale,
    HouseholdIncome,
    Housing,
    LeisureParticipation,
    UpperSecondary,
    WorkActivity,
    activity_mask,
    consumption_units,
    consumption_units_tenths,
    crowded,
    employed_ilo,
    equivalised_income,
    leisure_participation,
    low_income,
    persistent_low_income,
    persistent_low_income_of,
    upper_secondary_completion,
    work_or_activity,
)
from tests._helpers import fit_error

ROOT = Path(__file__).resolve().parents[1]


# --- income: the reference cases ------------------------------------------------------------


@pytest.mark.parametrize(
    ("adults", "children", "scale", "expected"),
    [(2, 2, "eu", 2.1), (2, 2, "oecd_old", 2.7), (1, 0, "eu", 1.0), (1, 2, "eu", 1.6)],
)
def test_reference_consumption_units(
    adults: int, children: int, scale: Any, expected: float
) -> None:
    assert consumption_units(adults, children, scale) == expected
    assert consumption_units_tenths(adults, children, scale) == round(expected * 10)
    h = HouseholdIncome(
        household_id="h", year=2024, income_after_tax=100_000, adults=adults, children=children
    )
    assert h.consumption_units(scale) == Fraction(round(expected * 10), 10)


def test_consumption_units_cohort() -> None:
    got = consumption_units([1, 2, 3], [0, 2, 1])
    assert isinstance(got, np.ndarray)
    assert got.tolist() == [1.0, 2.1, 2.3]
    got_oecd = consumption_units([1, 2, 3], [0, 2, 1], "oecd_old")
    assert isinstance(got_oecd, np.ndarray)
    assert got_oecd.tolist() == [1.0, 2.7, 2.9]
    assert equivalised_income(420_000, 2, 2) == 200_000.0
    assert equivalised_income(270_000, 2, 2, "oecd_old") == 100_000.0


def test_reference_persistent_low_income() -> None:
    # incomes (200, 210, 220) with medians (350, 360, 370): 210 < 216
    assert persistent_low_income([200, 210, 220], [350, 360, 370]) is True
    # with 50 %: 210 < 180 is false
    assert persistent_low_income([200, 210, 220], [350, 360, 370], share=0.5) is False
    assert persistent_low_income([200, 210, 220], [350, 360, 370], Fraction(1, 2)) is False


def test_low_income_thresholds_are_exact() -> None:
    # 162,000 / 2.7 is exactly 60,000 = 60 % of 100,000: not below. Naive floats say below:
    assert 162_000 / 2.7 < 0.6 * 100_000
    assert low_income(162_000, 2, 2, 100_000, "oecd50", share=0.6) is False
    assert low_income(161_999, 2, 2, 100_000, "oecd50", share=0.6) is True
    # EU-60 and OECD-50 at exactly the threshold
    assert low_income(441_000, 2, 2, 350_000) is False  # 210,000 = 0.6 * 350,000
    assert low_income(440_999, 2, 2, 350_000) is True
    assert low_income(472_500, 2, 2, 350_000, "oecd50") is False  # 175,000 = 0.5 * 350,000
    assert low_income(472_499, 2, 2, 350_000, "oecd50") is True


def test_persistent_low_income_is_exact_at_the_threshold() -> None:
    incomes, units = [207_712, 120_819, 126_392], 2.1  # EU scale, 2 adults + 2 children
    medians = [120_350] * 3
    # exactly 60 % of the mean median, so not below; the float sum says below
    assert sum(i / units for i in incomes) < 0.6 * sum(medians)
    assert persistent_low_income(incomes, medians, adults=[2] * 3, children=[2] * 3) is False
    lower = [207_712, 120_819, 126_391]
    assert persistent_low_income(lower, medians, adults=[2] * 3, children=[2] * 3) is True
    assert persistent_low_income([216, 216, 216], [360, 360, 360]) is False
    assert persistent_low_income([0.6, 0.6, 0.6], [1, 1, 1]) is False
    rows = [
        HouseholdIncome(household_id="h", year=y, income_after_tax=i, adults=2, children=2)
        for y, i in zip((2021, 2022, 2023), incomes, strict=True)
    ]
    assert persistent_low_income_of(rows, dict.fromkeys((2021, 2022, 2023), 120_350)) is False


def test_persistent_low_income_cohort_and_window() -> None:
    got = persistent_low_income([[200, 210, 220], [300, 300, 300]], [350, 360, 370])
    assert isinstance(got, np.ndarray)
    assert got.tolist() == [True, False]
    assert persistent_low_income([1, 1, 1, 1], [10, 10, 10, 10], years=4) is True
    with pytest.raises(IndicatorError, match="expected 3 years per row"):
        persistent_low_income([1, 1, 1, 1], [10, 10, 10, 10])
    with pytest.raises(IndicatorError, match=r"incomes\[1\]\[2\]: year 3 of 3 is missing"):
        persistent_low_income([[1.0, 1.0, 1.0], [1.0, 1.0, float("nan")]], [1, 1, 1])
    with pytest.raises(IndicatorError, match="give both or neither"):
        persistent_low_income([1, 1, 1], [1, 1, 1], adults=[1, 1, 1])


def test_persistent_low_income_of_records() -> None:
    rows = [
        HouseholdIncome(household_id=h, year=y, income_after_tax=i, adults=1)
        for h, y, i in (("a", 2021, 200_000), ("b", 2022, 210_000), ("b", 2023, 220_000))
    ]
    medians = {2021: 350_000, 2022: 360_000, 2023: 370_000}
    assert persistent_low_income_of(rows, medians) is True
    assert persistent_low_income_of(rows, medians, share=0.5) is False
    with pytest.raises(IndicatorError, match="3 consecutive years, got years \\[2021, 2023\\]"):
        persistent_low_income_of([rows[0], rows[2]], medians)
    with pytest.raises(IndicatorError, match="no median for year"):
        persistent_low_income_of(rows, {2021: 1, 2022: 1})
    with pytest.raises(IndicatorError, match="consecutive"):
        persistent_low_income_of([rows[0], rows[0], rows[1]], medians)


@given(
    st.lists(
        st.tuples(
            st.integers(-100_000, 2_000_000),
            st.integers(1, 5),
            st.integers(0, 8),
            st.integers(100_000, 600_000),
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(["eu60", "oecd50"]),
)
def test_low_income_cohort_equals_records_and_fractions(
    rows: list[tuple[int, int, int, int]], definition: Any
) -> None:
    inc, ad, ch, med = (list(c) for c in zip(*rows, strict=True))
    cohort = low_income(inc, ad, ch, med, definition)
    assert isinstance(cohort, np.ndarray)
    share = Fraction(3, 5) if definition == "eu60" else Fraction(1, 2)
    for k, (i, a, c, m) in enumerate(rows):
        h = HouseholdIncome(household_id="h", year=2024, income_after_tax=i, adults=a, children=c)
        scale: EquivalenceScale = "eu" if definition == "eu60" else "oecd_old"
        exact = h.equivalised_income(scale) < share * m
        assert cohort[k] == exact == h.low_income(m, definition)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: consumption_units(0, 1), "adults: 0 is below the allowed 1"),
        (lambda: consumption_units([1, 0], [1, 1]), "adults[1]: 0 is below the allowed 1"),
        (lambda: consumption_units(1, -1), "children: -1 is below the allowed 0"),
        (lambda: consumption_units(1.5, 0), "adults: 1.5 is not a whole number"),
        (lambda: consumption_units(True, 0), "adults: expected a number, got True"),
        (lambda: consumption_units(None, 0), "adults: a value is required"),
        (lambda: consumption_units([1, 1], [0, 0, 0]), "the columns differ in length"),
        (
            lambda: consumption_units(1, 0, "oecd"),  # type: ignore[arg-type]
            "scale: 'oecd' is not 'eu' or 'oecd_old'",
        ),
        (lambda: low_income(100.5, 1, 0, 1000), "income: 100.5 is not a whole number"),
        (lambda: low_income(100, 1, 0, 0), "median: 0 is below the allowed 1"),
        (
            lambda: low_income(100, 1, 0, 1000, "eu50"),  # type: ignore[arg-type]
            "definition: 'eu50'",
        ),
        (lambda: low_income(100, 1, 0, 1000, share=1.5), "share: 1.5 is outside (0, 1]"),
        (lambda: low_income(100, 1, 0, 1000, share=0), "outside (0, 1]"),
        (lambda: low_income(100, 1, 0, 1000, share="x"), "share: expected a number"),
        (lambda: persistent_low_income([1, 1, 1], [1, 1], 0.6), "medians: expected 3 years"),
        (lambda: persistent_low_income([1, 1, 1], [1, 1, 1], years=0), "years: expected"),
    ],
)
def test_income_errors_name_the_field_and_row(call: Any, fragment: str) -> None:
    with pytest.raises(IndicatorError) as info:
        call()
    assert fragment in str(info.value), str(info.value)
    assert isinstance(info.value, FitScoresError) and isinstance(info.value, ValueError)


def test_a_record_and_a_row_get_the_same_error() -> None:
    with pytest.raises(IndicatorError) as row:
        low_income(100, 0, 0, 1)
    with pytest.raises(ValidationError) as record:
        HouseholdIncome(household_id="h", year=2024, income_after_tax=100, adults=0)
    err = fit_error(record.value)
    assert type(err) is type(row.value) and str(err) == str(row.value)
    with pytest.raises(ValidationError):  # a string is not an income
        HouseholdIncome.model_validate(
            {"household_id": "h", "year": 2024, "income_after_tax": "100", "adults": 1}
        )


# --- housing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persons", "rooms", "area", "definition", "expected"),
    [
        (4, 3, 80, "ssb_register_2015", True),  # 20 < 25 m2 per person
        (4, 3, 110, "ssb_register_2015", False),  # 27.5 >= 25
        (4, 3, None, "ssb_register_2015", True),  # area missing: rooms alone
        (1, 1, 30, "ssb_register_2015", False),  # 30 >= 25
        (1, 1, 30, "lku_rooms", True),  # one person in one room
        (4, None, 80, "ssb_register_2015", True),  # rooms missing: area alone
        (4, None, None, "ssb_register_2015", None),
        (4, 4, 80, "ssb_register_2015", False),  # enough rooms
        (4, 3, 100, "ssb_register_2015", False),  # exactly 25 m2: not under
        (4, 3, 99.9, "ssb_register_2015", True),
        (4, 3, 80, "ssb_register_20m2", False),  # exactly 20 m2: not under 20
        (4, 3, 79, "ssb_register_20m2", True),
        (4, None, 10, "lku_rooms", None),
    ],
)
def test_crowded_reference_and_boundaries(
    persons: int, rooms: int | None, area: float | None, definition: Any, expected: bool | None
) -> None:
    assert crowded(persons, rooms, area, definition) is expected
    h = Housing(
        household_id="h", date=dt.date(2025, 1, 10), persons=persons, rooms=rooms, area_m2=area
    )
    assert h.crowded(definition) is expected


def test_crowded_cohort() -> None:
    got = crowded([4, 4, 4, 1], [3, 3, None, 1], [80, 110, None, 30])
    assert isinstance(got, np.ndarray)
    np.testing.assert_array_equal(got, [1.0, 0.0, np.nan, 0.0])
    assert np.nanmean(got) == pytest.approx(1 / 3)
    with pytest.raises(IndicatorError, match=r"persons\[1\]: 0 is below the allowed 1"):
        crowded([4, 0], [3, 3], [80, 80])
    with pytest.raises(IndicatorError, match=r"area_m2\[0\]: -1.0 is not an area above 0"):
        crowded([4], [3], [-1])
    with pytest.raises(IndicatorError, match=r"rooms: 2\.5 is not a whole number"):
        crowded(4, 2.5, 80)
    with pytest.raises(IndicatorError, match="definition"):
        crowded(4, 3, 80, "eurostat")  # type: ignore[arg-type]


# --- work and activity ----------------------------------------------------------------------


def test_employed_ilo() -> None:
    assert employed_ilo(1) is True
    assert employed_ilo(0.99) is False
    assert employed_ilo(0, True) is True
    assert employed_ilo(None) is None
    assert employed_ilo(None, True) is True
    got = employed_ilo([0, 1, None, 37.5], [False, False, False, False])
    assert isinstance(got, np.ndarray)
    np.testing.assert_array_equal(got, [0.0, 1.0, np.nan, 1.0])
    with pytest.raises(IndicatorError, match=r"hours_reference_week: -1\.0 is not hours >= 0"):
        employed_ilo(-1)
    with pytest.raises(IndicatorError, match=r"temporarily_absent\[0\]: expected True or False"):
        employed_ilo([1], [1])


def test_work_or_activity_is_a_configurable_set() -> None:
    intro = activity_mask(["introduction_programme"])
    assert work_or_activity(0, False, intro) is True
    assert work_or_activity(0, False, intro, counted=["job", "education"]) is False
    assert work_or_activity(None, False, 0) is None
    assert work_or_activity(None, False, intro) is True
    assert work_or_activity(5, False, 0, counted=[]) is True  # employment always counts
    got = work_or_activity([0, 0, None], [False, False, False], [0, intro, 0])
    assert isinstance(got, np.ndarray)
    np.testing.assert_array_equal(got, [0.0, 1.0, np.nan])
    with pytest.raises(IndicatorError, match="'course' is not one of"):
        activity_mask(["course"])
    with pytest.raises(IndicatorError, match="activities: 32 is above the allowed 31"):
        work_or_activity(0, False, 32)
    w = WorkActivity(
        person_id="mor",
        date=dt.date(2025, 1, 10),
        hours_reference_week=0,
        activities=("labour_market_scheme",),
    )
    assert (w.employed, w.work_or_activity(), w.work_or_activity(["job"])) == (False, True, False)
    with pytest.raises(ValidationError) as info:
        WorkActivity(person_id="mor", date="2025-01-10", activities=("job", "job"))
    assert "names a kind twice" in str(fit_error(info.value))
    with pytest.raises(ValidationError):
        WorkActivity(person_id="mor", date="2025-01-10", activities=("volunteering",))


# --- upper secondary -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "completed", "programme", "status", "normed", "window"),
    [
        (2019, 2022, "general", 2024, True, True),
        (2019, 2023, "general", 2024, False, True),
        (2019, 2024, "general", 2024, False, True),  # 5 years: within the window
        (2019, 2025, "general", 2025, False, False),
        (2019, 2023, "vocational", 2025, True, True),
        (2019, 2024, "vocational", 2025, False, True),
        (2019, 2025, "vocational", 2025, False, True),  # 6 years
        (2020, None, "general", 2022, None, None),  # still open
        (2020, None, "general", 2023, False, None),  # normed time passed
        (2020, None, "general", 2025, False, False),
        (2020, None, "vocational", 2025, False, None),
    ],
)
def test_upper_secondary_completion(
    start: int,
    completed: int | None,
    programme: Any,
    status: int,
    normed: bool | None,
    window: bool | None,
) -> None:
    assert upper_secondary_completion(start, completed, programme, status) == (normed, window)
    u = UpperSecondary(
        person_id="p",
        programme=programme,
        start_year=start,
        completed_year=completed,
        status_year=status,
    )
    assert (u.on_normed_time, u.within_window) == (normed, window)


def test_upper_secondary_cohort_and_errors() -> None:
    normed, window = upper_secondary_completion(
        [2019, 2019, 2020], [2022, None, None], ["general", "vocational", "general"], 2025
    )
    assert isinstance(normed, np.ndarray) and isinstance(window, np.ndarray)
    np.testing.assert_array_equal(normed, [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(window, [1.0, 0.0, 0.0])
    with pytest.raises(IndicatorError, match="completed_year: 2019 must be after start_year"):
        upper_secondary_completion(2019, 2019, "general", 2024)
    with pytest.raises(IndicatorError, match="not after status_year 2024"):
        upper_secondary_completion(2019, 2025, "general", 2024)
    with pytest.raises(IndicatorError, match=r"programme\[1\]: 'studie' is not one of"):
        upper_secondary_completion([2019, 2019], [None, None], ["general", "studie"], 2024)
    with pytest.raises(IndicatorError, match="status_year: 2018 is before start_year 2019"):
        upper_secondary_completion(2019, None, "general", 2018)
    with pytest.raises(ValidationError) as info:
        UpperSecondary(
            person_id="p",
            programme="general",
            start_year=2019,
            completed_year=2019,
            status_year=2024,
        )
    assert "must be after start_year" in str(fit_error(info.value))


# --- leisure ---------------------------------------------------------------------------------


def test_leisure_participation() -> None:
    assert leisure_participation("weekly") is True
    assert leisure_participation("monthly") is False
    assert leisure_participation("monthly", "monthly") is True
    assert leisure_participation(None) is None
    got = leisure_participation(["weekly", None, "never"])
    assert isinstance(got, np.ndarray)
    np.testing.assert_array_equal(got, [1.0, np.nan, 0.0])
    with pytest.raises(IndicatorError, match=r"frequency\[0\]: 'daily' is not one of"):
        leisure_participation(["daily"])
    with pytest.raises(IndicatorError, match="minimum"):
        leisure_participation("weekly", "often")  # type: ignore[arg-type]
    p = LeisureParticipation(
        person_id="gutt",
        date=dt.date(2025, 1, 10),
        activities=[
            {"kind": "fotball", "frequency": "weekly"},
            {"kind": "korps", "frequency": "monthly"},
        ],
    )
    assert p.participates() is True
    assert p.participates(kinds=["korps"]) is False
    assert p.participates("monthly", kinds=["korps"]) is True
    assert LeisureParticipation(person_id="gutt", date="2025-01-10").participates() is False


# --- contracts -------------------------------------------------------------------------------


def test_records_round_trip_through_json_and_are_frozen() -> None:
    records = [
        HouseholdIncome(household_id="h", year=2024, income_after_tax=-5, adults=1, children=3),
        Housing(household_id="h", date=dt.date(2025, 1, 10), persons=3, rooms=None, area_m2=55.5),
        WorkActivity(
            person_id="p",
            date=dt.date(2025, 1, 10),
            hours_reference_week=7.5,
            temporarily_absent=True,
            activities=("job", "education"),
        ),
        UpperSecondary(person_id="p", programme="general", start_year=2020, status_year=2024),
        LeisureParticipation.model_validate(
            {
                "person_id": "p",
                "date": "2025-01-10",
                "activities": [{"kind": "sjakk", "frequency": "weekly"}],
            }
        ),
    ]
    for r in records:
        assert type(r).model_validate_json(r.model_dump_json()) == r
        field = next(iter(type(r).model_fields))
        with pytest.raises(ValidationError, match="frozen"):
            setattr(r, field, "x")


@pytest.mark.parametrize(
    "name", ["HouseholdIncome", "Housing", "WorkActivity", "UpperSecondary", "LeisureParticipation"]
)
def test_schema_is_committed(name: str) -> None:
    from fit_scores._schemas import PUBLIC_MODELS

    assert name in PUBLIC_MODELS
    assert (ROOT / "schemas" / f"{name}.json").exists()


def test_docs_page_examples_run() -> None:
    """The examples on docs/yearly-mapping.rst are doctests and pass."""
    import doctest

    text = (ROOT / "docs" / "yearly-mapping.rst").read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {}, "yearly-mapping.rst", "yearly-mapping.rst", 0)
    assert len(test.examples) >= 8
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    result = runner.run(test, out=lambda s: None)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"


@given(
    st.lists(
        st.tuples(
            st.integers(1, 9),
            st.none() | st.integers(1, 9),
            st.none() | st.integers(5, 300),
            st.sampled_from(["ssb_register_2015", "ssb_register_20m2", "lku_rooms"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_crowded_cohort_equals_one_row_at_a_time(
    rows: list[tuple[int, int | None, int | None, Any]],
) -> None:
    for definition in ("ssb_register_2015", "ssb_register_20m2", "lku_rooms"):
        cohort = crowded(
            [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], definition
        )
        assert isinstance(cohort, np.ndarray)
        for k, (p, r, a, _) in enumerate(rows):
            one = crowded(p, r, a, definition)
            assert (one is None and np.isnan(cohort[k])) or cohort[k] == one


class Column:
    """A minimal column with ``__array__`` (as pandas and polars columns have)."""

    def __init__(self, values: list[Any]) -> None:
        self.values = values

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray[Any, Any]:
        return np.asarray(self.values, dtype=dtype)


def test_columns_with_array_interface_are_read() -> None:
    got = low_income(Column([420_000, 480_000]), Column([2, 2]), Column([2, 2]), 350_000)
    assert isinstance(got, np.ndarray) and got.tolist() == [True, False]
    flags = employed_ilo(Column([0.0, 2.0]), Column([True, False]))
    assert isinstance(flags, np.ndarray) and flags.tolist() == [1.0, 1.0]
    freq = leisure_participation(Column(["weekly", "never"]))
    assert isinstance(freq, np.ndarray) and freq.tolist() == [1.0, 0.0]


@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(0, 900_000), min_size=3, max_size=3),
            st.lists(st.integers(1, 4), min_size=3, max_size=3),
            st.lists(st.integers(0, 5), min_size=3, max_size=3),
        ),
        min_size=1,
        max_size=20,
    ),
    st.lists(st.integers(150_000, 450_000), min_size=3, max_size=3),
)
def test_persistent_low_income_equals_rational_arithmetic(
    rows: list[tuple[list[int], list[int], list[int]]], medians: list[int]
) -> None:
    incomes = [r[0] for r in rows]
    adults = [r[1] for r in rows]
    children = [r[2] for r in rows]
    got = persistent_low_income(incomes, medians, adults=adults, children=children)
    assert isinstance(got, np.ndarray)
    for k, (inc, ad, ch) in enumerate(rows):
        mean_income = (
            sum(
                Fraction(i * 10, 10 + 5 * (a - 1) + 3 * c)
                for i, a, c in zip(inc, ad, ch, strict=True)
            )
            / 3
        )
        assert got[k] == (mean_income < Fraction(3, 5) * Fraction(sum(medians), 3))
