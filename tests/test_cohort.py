"""The cohort view: batch tables of yearly records and goal ratings, per-year indicators."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError
from scipy import stats

from fit_scores.cohort import (
    CHILD_PERSISTENT_LOW_INCOME,
    KINDS,
    cohort_tables,
    columns_of,
    mean_interval,
    share_interval,
    yearly_indicators,
    yearly_table,
)
from fit_scores.errors import FitScoresError, IndicatorError, TableInputError
from fit_scores.goals import GoalRating
from fit_scores.instruments import score_response
from fit_scores.living_conditions import HouseholdIncome, Housing, WorkActivity
from fit_scores.simulate import simulate_programme

D = "2025-01-10"


def record_error(build: Any) -> tuple[str, str]:
    """(class name, message) of the library error a record raises."""
    try:
        build()
    except ValidationError as exc:
        inner = exc.errors()[0]["ctx"]["error"]
        assert isinstance(inner, FitScoresError)
        return type(inner).__name__, str(inner)
    except FitScoresError as exc:
        return type(exc).__name__, str(exc)
    raise AssertionError("the record accepted the row")


def row_errors(table: Any, row: int) -> list[tuple[str, str]]:
    return [(e["error"], e["reason"]) for e in table.errors.to_records() if e["row"] == row]


# --- tables ------------------------------------------------------------------------------


def test_household_income_rows_and_records_get_the_same_error() -> None:
    cols: dict[str, Any] = {
        "family": ["f1", "f2", "f3", "f4"],
        "year": [2023, 2023, 2023, 2023],
        "programme_year": [0, 0, 0, 0],
        "date": [D] * 4,
        "income_after_tax": [300_000, 250_000, 10**13, 280_000],
        "adults": [2, 0, 1, 1],
        "children": [1, 1, 0, 100],
    }
    t = yearly_table("household_income", cols)
    assert (t.n_input, t.n_valid, t.n_rejected) == (4, 1, 3)
    assert t.source_row.tolist() == [0]
    assert t["family"].tolist() == ["f1"]
    for row in (1, 2, 3):
        want = record_error(
            lambda row=row: HouseholdIncome(
                household_id=cols["family"][row],
                year=2023,
                income_after_tax=cols["income_after_tax"][row],
                adults=cols["adults"][row],
                children=cols["children"][row],
            )
        )
        assert row_errors(t, row) == [want]
    assert row_errors(t, 1) == [("IndicatorError", "adults: 0 is below the allowed 1")]


def test_housing_and_work_rows_get_the_records_errors() -> None:
    housing = yearly_table(
        "housing",
        {
            "family": ["f1", "f2"],
            "programme_year": [0, 1],
            "date": [D, D],
            "persons": [3, 2],
            "rooms": [2, 1],
            "area_m2": [60.0, -5.0],
        },
    )
    assert housing.n_valid == 1
    want = record_error(
        lambda: Housing(household_id="f2", date=D, persons=2, rooms=1, area_m2=-5.0)
    )
    assert row_errors(housing, 1) == [want]
    work = yearly_table(
        "work_activity",
        {
            "person": ["p1", "p2", "p3"],
            "family": ["f1", "f1", "f2"],
            "programme_year": [0, 0, 0],
            "date": [D] * 3,
            "hours_reference_week": [-2.0, np.nan, 10.0],
            "temporarily_absent": [False, False, False],
            "activities": [0, 0, 64],
        },
    )
    assert work.n_valid == 1 and work.source_row.tolist() == [1]
    want = record_error(lambda: WorkActivity(person_id="p1", date=D, hours_reference_week=-2.0))
    assert row_errors(work, 0) == [want]
    assert row_errors(work, 2)[0][0] == "IndicatorError"
    assert "activities" in row_errors(work, 2)[0][1]


def test_goal_rating_rows_get_the_records_error() -> None:
    cols: dict[str, Any] = {
        "goal": ["g1", "g2", "g3"],
        "family": ["f1"] * 3,
        "programme_year": [1, 1, 1],
        "date": [D] * 3,
        "level": [0.0, 1.5, -0.5],
        "rater": ["coordinator", "family", "family"],
    }
    t = yearly_table("goal_ratings", cols)
    assert t.source_row.tolist() == [0, 2]
    want = record_error(lambda: GoalRating(goal_id="g2", date=D, level=1.5, rater="family"))
    assert row_errors(t, 1) == [want]
    assert want[0] == "GoalError"


def test_gse_items_are_checked_by_the_instrument() -> None:
    cols: dict[str, Any] = {"person": ["p1", "p2"], "family": ["f1", "f1"]}
    cols |= {"programme_year": [0, 0], "date": [D, D]}
    for j in range(1, 11):
        cols[f"gse10_{j:02d}"] = [3.0, 5.0 if j == 4 else 3.0]
    t = yearly_table("gse", cols)
    assert t.n_valid == 1
    [(error, reason)] = row_errors(t, 1)
    with pytest.raises(FitScoresError) as exc:
        score_response("GSE", [3, 3, 3, 5, 3, 3, 3, 3, 3, 3])
    assert error == type(exc.value).__name__ == "ItemRangeError"
    assert reason.split(" is ")[0] == str(exc.value).split(" is ")[0] == "gse10_04 = 5.0"


def test_field_rules() -> None:
    t = yearly_table(
        "goals",
        {
            "goal": ["g1", "g2", " ", "g4", "g5"],
            "family": ["f1"] * 5,
            "goal_for": ["family", "family", "family", "person", "family"],
            "person": [None, None, None, None, None],
            "domain": ["work", "money", "housing", "work", "work"],
            "scale": ["standard_5"] * 5,
            "set_on": [D, D, D, D, "2025-13-01"],
            "baseline_level": [-1.0, -1.0, -1.0, -1.0, 0.0],
        },
    )
    assert t.source_row.tolist() == [0]
    by_row = {e["row"]: (e["column"], e["error"]) for e in t.errors.to_records()}
    assert by_row[1] == ("domain", "FieldError")
    assert by_row[2] == ("goal", "FieldError")
    assert by_row[3] == ("", "GoalError")
    assert by_row[4] == ("set_on", "FieldError")  # the bad date is found first, per field
    assert t.n_valid + t.n_rejected == t.n_input == 5


def test_a_goal_id_is_used_once_per_family() -> None:
    t = yearly_table(
        "goals",
        {
            "goal": ["g1", "g1", "g1"],
            "family": ["f1", "f2", "f1"],
            "goal_for": ["family"] * 3,
            "person": [None] * 3,
            "domain": ["work", "leisure", "health"],
            "scale": ["standard_5"] * 3,
            "set_on": [D] * 3,
            "baseline_level": [-1.0] * 3,
        },
    )
    assert t.source_row.tolist() == [0, 1]
    assert row_errors(t, 2) == [
        ("GoalError", "goal id 'g1' is used twice in the plan of family 'f1'")
    ]


def test_bad_rows_among_many_are_all_found() -> None:
    n = 5000
    rng = np.random.default_rng(0)
    adults = np.ones(n, dtype=np.int64)
    bad = rng.choice(n, size=37, replace=False)
    adults[bad] = 0
    t = yearly_table(
        "household_income",
        {
            "family": [f"f{i}" for i in range(n)],
            "year": np.full(n, 2024),
            "programme_year": np.zeros(n, dtype=np.int64),
            "date": np.full(n, np.datetime64(D)),
            "income_after_tax": np.full(n, 200_000),
            "adults": adults,
            "children": np.zeros(n, dtype=np.int64),
        },
    )
    assert sorted(t.errors.rows.tolist()) == sorted(bad.tolist())
    assert t.n_valid == n - 37


def test_whole_table_problems_are_typed() -> None:
    with pytest.raises(TableInputError, match="not one of"):
        yearly_table("eq5d", {})
    with pytest.raises(TableInputError, match="missing column"):
        yearly_table("housing", {"family": ["f1"]})
    cols = {c: [1] for c in columns_of("housing")} | {"colour": ["red"]}
    with pytest.raises(TableInputError, match="unknown column"):
        yearly_table("housing", cols)
    cols = {c: [1, 2] for c in columns_of("housing")} | {"family": ["f1"]}
    with pytest.raises(TableInputError, match="differ in length"):
        yearly_table("housing", cols)
    assert set(KINDS) == set(simulate_programme(2, seed=1).tables())


# --- indicators --------------------------------------------------------------------------


def _households() -> dict[str, Any]:
    # one household over three years: incomes 200, 210, 220 (thousands, one adult) against
    # medians 350, 360, 370: 210 < 0.6 x 360 = 216 -> persistent low income (SSB test case)
    return {
        "family": ["f1", "f1", "f1", "f2", "f2", "f2"],
        "year": [2021, 2022, 2023, 2021, 2022, 2023],
        "programme_year": [0, 1, 2, 0, 1, 2],
        "date": ["2022-03-01", "2023-03-01", "2024-03-01"] * 2,
        "income_after_tax": [200_000, 210_000, 220_000, 300_000, 300_000, 300_000],
        "adults": [1] * 6,
        "children": [0] * 6,
    }


MEDIANS = {2021: 350_000, 2022: 360_000, 2023: 370_000}


def test_persistent_low_income_needs_three_years() -> None:
    tables = {"household_income": yearly_table("household_income", _households())}
    tab = yearly_indicators(tables, MEDIANS, min_cell=1)
    pli = tab.where("persistent_low_income")
    assert pli["year"].tolist() == [0, 1, 2]
    assert pli["n"].tolist() == [0, 0, 2]
    assert pli["estimate"].tolist() == [None, None, 0.5]
    low = tab.where("low_income")
    # 200 < 210, 210 < 216, 220 < 222 for f1; 300 is never below
    assert low["estimate"].tolist() == [0.5, 0.5, 0.5]
    with pytest.raises(IndicatorError, match="2021"):
        yearly_indicators(tables, {2022: 1, 2023: 1})


def test_children_in_persistent_low_income_against_ssb() -> None:
    cols = _households()
    cols["children"] = [2, 2, 3, 1, 1, 1]  # f1 (persistent low income) has 3 children in 2023
    tables = {"household_income": yearly_table("household_income", cols)}
    tab = yearly_indicators(tables, MEDIANS, axis="calendar_year", min_cell=1)
    kids = tab.where("children_persistent_low_income")
    # on the calendar axis income is dated by its income year
    assert kids["year"].tolist() == [2021, 2022, 2023]
    assert kids["n"].tolist() == [0, 0, 4]
    assert kids["estimate"].tolist() == [None, None, 0.75]
    # the SSB figure for 2021-2023 is 9.9 %; none is published for windows ending 2021, 2022
    # other than 2019-2021 (11.3 %) and 2020-2022 (10.6 %)
    assert kids["reference"].tolist() == [0.113, 0.106, 0.099]
    assert "ssb_children_persistent_low_income" in kids["reference_source"][2]
    assert CHILD_PERSISTENT_LOW_INCOME.at(2017) is None  # 10.7 % is a third-party figure
    # households: the income is recomputed with the children, so f1 still falls below
    assert tab.where("persistent_low_income")["estimate"].tolist() == [None, None, 0.5]


def test_shares_means_intervals_and_suppression() -> None:
    sim = simulate_programme(150, seed=8)
    tables = cohort_tables(sim)
    tab = yearly_indicators(tables, sim.medians, min_cell=5, level=0.9)
    # the mean GSE of year 0, recomputed independently with its t interval
    gse = tables["gse"]
    year0 = gse["programme_year"] == 0
    items = np.column_stack([gse[f"gse10_{j:02d}"][year0] for j in range(1, 11)])
    answered = (~np.isnan(items)).sum(axis=1)
    total = np.nanmean(items, axis=1) * 10
    total = total[answered >= 7]
    row = tab.where("gse_mean")
    assert row["n"][0] == total.size
    assert math.isclose(row["estimate"][0], total.mean(), rel_tol=1e-12)
    lo, hi = stats.t.interval(0.9, total.size - 1, loc=total.mean(), scale=stats.sem(total))
    assert math.isclose(row["ci_low"][0], lo, rel_tol=1e-9)
    assert math.isclose(row["ci_high"][0], hi, rel_tol=1e-9)
    # crowded share of year 1 with its Wilson interval
    housing = tables["housing"]
    from fit_scores.living_conditions import crowded

    y1 = housing["programme_year"] == 1
    flags = np.asarray(
        crowded(housing["persons"][y1], housing["rooms"][y1], housing["area_m2"][y1]), float
    )
    k, n = int(np.nansum(flags)), int((~np.isnan(flags)).sum())
    row = tab.where("crowded")
    assert (row["n"][1], row["estimate"][1]) == (n, k / n)
    wl, wh = share_interval([k], [n], 0.9)
    assert (row["ci_low"][1], row["ci_high"][1]) == (wl[0], wh[0])
    assert wl[0] <= k / n <= wh[0]
    # small cells: goals per domain in a tiny cohort are suppressed, counts included
    tiny = simulate_programme(6, seed=8)
    small = yearly_indicators(cohort_tables(tiny), tiny.medians, min_cell=5)
    cells = [r for r in small.to_records() if r["n"] is None]
    assert cells and all(r["suppressed"] and r["estimate"] is None for r in cells)


def test_reference_by_calendar_year() -> None:
    cols: dict[str, Any] = {"person": [f"p{i}" for i in range(6)], "family": ["f1"] * 6}
    cols |= {"programme_year": [0] * 6, "date": ["2023-05-01"] * 6}
    cols["life_sat_0_10"] = [3, 5, 6, 7, 8, 9]
    tables = {"life_satisfaction": yearly_table("life_satisfaction", cols)}
    tab = yearly_indicators(tables, axis="calendar_year", min_cell=5)
    mean = tab.where("life_satisfaction_mean")
    assert mean["year"].tolist() == [2023]
    assert mean["estimate"].tolist() == [38 / 6]
    assert mean["reference"].tolist() == [6.8]  # SSB 2023
    low = tab.where("life_satisfaction_low")
    assert low["estimate"].tolist() == [2 / 6]
    assert low["reference"].tolist() == [0.256]
    assert "ssb_life_satisfaction" in low["reference_source"][0]
    by_programme_year = yearly_indicators(tables, min_cell=5)
    assert by_programme_year.where("life_satisfaction_mean")["reference"].tolist() == [None]


def test_goals_achieved_by_domain_uses_the_latest_rating_of_the_year() -> None:
    goals = yearly_table(
        "goals",
        {
            "goal": ["g1", "g2", "g1"],
            "family": ["f1", "f1", "f2"],
            "goal_for": ["family"] * 3,
            "person": [None] * 3,
            "domain": ["work", "housing", "leisure"],
            "scale": ["standard_5"] * 3,
            "set_on": ["2024-01-01"] * 3,
            "baseline_level": [-1.0, -1.0, -2.0],
        },
    )
    ratings = yearly_table(
        "goal_ratings",
        {
            "goal": ["g1", "g1", "g2", "g1", "g1"],
            "family": ["f1", "f1", "f1", "f2", "f2"],
            "programme_year": [1, 1, 1, 1, 1],
            "date": ["2025-01-01", "2025-02-01", "2025-01-01", "2025-01-01", "2025-01-01"],
            "level": [0.0, -1.0, 1.0, 0.0, 2.0],
            "rater": ["coordinator", "coordinator", "coordinator", "coordinator", "family"],
        },
    )
    tab = yearly_indicators({"goals": goals, "goal_ratings": ratings}, min_cell=1)
    assert tab.where("goals_achieved")["n"].tolist() == [3]
    assert tab.where("goals_achieved")["estimate"].tolist() == [2 / 3]
    # g1 of f1 (work) was last rated -1; g1 of f2 (leisure) is its own goal, rated 0
    assert tab.where("goals_achieved_work")["estimate"].tolist() == [0.0]
    assert tab.where("goals_achieved_leisure")["estimate"].tolist() == [1.0]
    assert tab.where("goals_achieved_housing")["estimate"].tolist() == [1.0]
    fam = yearly_indicators(
        {"goals": goals, "goal_ratings": ratings}, min_cell=1, goal_rater="family"
    )
    assert fam.where("goals_achieved")["n"].tolist() == [1]


def test_mean_interval_is_bounded_and_undefined_for_one() -> None:
    lo, hi = mean_interval(np.array([39.5, 20.0]), np.array([9.0, 4.0]), np.array([4, 1]), 0.95)
    assert hi[0] > 40.0  # no bounds given: the plain t interval
    _, hi_b = mean_interval(
        np.array([39.5]), np.array([9.0]), np.array([4]), 0.95, bounds=(10.0, 40.0)
    )
    assert hi_b[0] == 40.0
    assert math.isnan(lo[1]) and math.isnan(hi[1])


def test_options_are_checked() -> None:
    with pytest.raises(TableInputError, match="min_cell"):
        yearly_indicators({}, min_cell=0)
    with pytest.raises(TableInputError, match="axis"):
        yearly_indicators({}, axis="week")  # type: ignore[arg-type]
    assert len(yearly_indicators({})) == 0


def test_a_list_among_numbers_is_a_refused_cell_not_a_crash() -> None:
    """``[[3], 4]``: numpy's own ValueError escaped; now the cell is refused with its row."""
    table = yearly_table(
        "housing",
        {
            "family": ["f1", "f2"],
            "programme_year": [0, 0],
            "date": ["2025-01-10"] * 2,
            "persons": [[3], 4],
            "rooms": [3, 3],
            "area_m2": [80.0, 80.0],
        },
    )
    assert table.n_valid == 1
    assert table.errors.to_records() == [
        {
            "row": 0,
            "column": "persons",
            "error": "FieldError",
            "reason": "persons = [3]: expected a number",
        }
    ]
