"""Goal Attainment Scaling and Familiens plan (issue 11, point 4).

Every test case of ../shared/domain/yearly-mapping.md section 1 is reproduced
below (``REFERENCE_CASES``), on the one-family path, the cohort path and the
plan's records.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from fit_scores.errors import FitScoresError, GoalError
from fit_scores.goals import (
    GAS_LEVELS,
    FamilyPlan,
    Goal,
    GoalAttainment,
    GoalRating,
    analysis_levels,
    gas_change,
    gas_t_score,
    goal_achieved,
    loinc_code,
    share_achieved,
)
from tests._helpers import fit_error

ROOT = Path(__file__).resolve().parents[1]

# (levels, weights, rho, expected T) from the reference file, section 1, "Test cases [D]"
REFERENCE_CASES: list[tuple[list[float], list[float] | None, float, float]] = [
    ([0, 0, 0], None, 0.3, 50.0),
    ([0], [7], 0.3, 50.0),
    ([0, 0, 0, 0, 0], [1, 2, 3, 0, 5], 0.3, 50.0),
    ([-2, 0, -1, 2, 0, 1], [3, 5, 1, 4, 2, 6], 0.3, 55.0),
    ([-1], None, 0.3, 40.0),
    ([2], None, 0.3, 70.0),
    ([-1, -1], None, 0.3, 37.5965),
    ([-1, -1, -1], None, 0.3, 36.3069),
    ([-1, -1, -1, -1], None, 0.3, 35.4905),
    ([-1] * 5, None, 0.3, 34.9244),
    ([-1] * 6, None, 0.3, 34.5081),
    ([-2] * 3, None, 0.3, 22.6139),
    ([-2] * 4, None, 0.3, 20.9809),
    ([2, 2, 2], None, 0.3, 77.3861),
    ([-1, 0, 1, 2], None, 0.3, 57.2548),
    ([1, 1, 1, 1], None, 0.0, 70.0),
    ([1, 1], None, 0.5, 61.5470),
    ([1, -1], [2, 1], 0.3, 54.0161),
]


def formula(levels: list[float], weights: list[float] | None, rho: float) -> float:
    """The erratum's formula written out with math.fsum (an independent check)."""
    w = [1.0] * len(levels) if weights is None else [float(v) for v in weights]
    if not any(w):
        w = [1.0] * len(levels)
    x = [-1.0 if v == -0.5 else float(v) for v in levels]
    num = math.fsum(wi * xi for wi, xi in zip(w, x, strict=True))
    den = math.sqrt((1 - rho) * math.fsum(wi * wi for wi in w) + rho * math.fsum(w) ** 2)
    return 50 + 10 * num / den


# --- the kernel: every reference case ---------------------------------------------------------


@pytest.mark.parametrize(("levels", "weights", "rho", "expected"), REFERENCE_CASES)
def test_reference_cases_one_family(
    levels: list[float], weights: list[float] | None, rho: float, expected: float
) -> None:
    t = gas_t_score(levels, weights, rho)
    assert isinstance(t, float)
    assert t == pytest.approx(expected, abs=1e-4)


def test_reference_exact_cases_are_exact() -> None:
    # sum(wx) = 7, 0.7*91 + 0.3*441 = 196, sqrt = 14: 55 exactly
    assert gas_t_score([-2, 0, -1, 2, 0, 1], [3, 5, 1, 4, 2, 6]) == 55.0
    assert gas_t_score([0, 0, 0]) == 50.0
    assert gas_t_score([-1]) == 40.0
    assert gas_t_score([2]) == 70.0
    assert gas_t_score([1, 1, 1, 1], rho=0.0) == 70.0


def test_reference_cases_as_one_cohort() -> None:
    """All reference cases in one ragged call and one NaN-padded 2-D call."""
    equal = [c for c in REFERENCE_CASES if c[1] is None and c[2] == 0.3]
    ragged = [c[0] for c in equal]
    got = gas_t_score(ragged)
    assert isinstance(got, np.ndarray)
    np.testing.assert_allclose(got, [c[3] for c in equal], atol=1e-4)
    width = max(len(r) for r in ragged)
    padded = np.full((len(ragged), width), np.nan)
    for i, r in enumerate(ragged):
        padded[i, : len(r)] = r
    np.testing.assert_array_equal(gas_t_score(padded), got)
    weighted = [c for c in REFERENCE_CASES if c[1] is not None and len(c[0]) == 6]
    (levels, weights, rho, expected) = weighted[0]
    both = gas_t_score([levels, levels], [weights, weights], rho)
    np.testing.assert_array_equal(both, [expected, expected])


def test_plausibility_against_published_medians() -> None:
    # 4-6 goals at -1 give 35.5-34.5 (published standard baseline median 34.9);
    # 4 goals at -2 give 21.0 (published Version 1 baseline median 21.0)
    t = gas_t_score([[-1] * 4, [-1] * 5, [-1] * 6])
    assert isinstance(t, np.ndarray)
    assert t.min() >= 34.5 and t.max() <= 35.5
    assert round(gas_t_score([-2] * 4), 1) == 21.0


def test_none_and_nan_are_left_out() -> None:
    assert gas_t_score([-1, None, -1]) == gas_t_score([-1, -1])
    assert gas_t_score([-1, math.nan, -1]) == gas_t_score([-1, -1])
    # the weight of a goal without a level is ignored
    assert gas_t_score([1, None], [2, None]) == gas_t_score([1], [2])


def test_partial_level_counts_as_minus_one() -> None:
    assert gas_t_score([-0.5, 0]) == gas_t_score([-1, 0])
    assert analysis_levels([-0.5, -1, 2]).tolist() == [-1.0, -1.0, 2.0]
    assert goal_achieved([-0.5, 0]).tolist() == [False, True]


def test_all_zero_weights_are_equal_weights_per_family() -> None:
    got = gas_t_score([[1, -1], [1, -1]], [[0, 0], [2, 1]])
    assert isinstance(got, np.ndarray)
    assert got[0] == gas_t_score([1, -1])
    assert got[1] == pytest.approx(54.0161, abs=1e-4)


def test_one_row_of_weights_is_shared_by_every_family() -> None:
    got = gas_t_score([[1, -1], [0, np.nan]], [2, 1])
    assert isinstance(got, np.ndarray)
    assert got[0] == pytest.approx(54.0161, abs=1e-4)
    assert got[1] == 50.0


@given(
    st.lists(
        st.lists(st.sampled_from([-3, -2, -1, -0.5, 0, 1, 2]), min_size=1, max_size=8),
        min_size=1,
        max_size=12,
    ),
    st.floats(0, 0.99),
)
def test_cohort_equals_one_family_at_a_time(rows: list[list[float]], rho: float) -> None:
    cohort = gas_t_score(rows, rho=rho)
    assert isinstance(cohort, np.ndarray)
    for i, row in enumerate(rows):
        assert cohort[i] == gas_t_score(row, rho=rho)
        assert cohort[i] == pytest.approx(formula(row, None, rho), abs=1e-9)


@given(
    st.lists(
        st.tuples(st.sampled_from([-2, -1, 0, 1, 2]), st.integers(0, 9)), min_size=1, max_size=8
    ),
    st.floats(0, 0.99),
)
def test_weighted_matches_the_formula(pairs: list[tuple[int, int]], rho: float) -> None:
    levels = [float(p[0]) for p in pairs]
    weights = [float(p[1]) for p in pairs]
    assert gas_t_score(levels, weights, rho) == pytest.approx(
        formula(levels, weights, rho), abs=1e-9
    )
    # mirror image: T(-x) = 100 - T(x)
    assert gas_t_score([-v for v in levels], weights, rho) == pytest.approx(
        100 - gas_t_score(levels, weights, rho), abs=1e-9
    )


def test_rho_is_settable_and_changes_the_score() -> None:
    assert gas_t_score([1, 1], rho=0.5) != gas_t_score([1, 1])
    assert gas_t_score([1]) == gas_t_score([1], rho=0.9)  # one goal: rho has no effect


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: gas_t_score([]), "no goal has a level"),
        (lambda: gas_t_score([None, None]), "no goal has a level"),
        (lambda: gas_t_score([[1], [np.nan]]), "in family row 1"),
        (lambda: gas_t_score([1], rho=1.0), "rho: 1.0 is outside [0, 1)"),
        (lambda: gas_t_score([1], rho=-0.1), "outside [0, 1)"),
        (lambda: gas_t_score([1], rho=math.nan), "outside [0, 1)"),
        (lambda: gas_t_score([1], rho=True), "rho: expected a number"),
        (lambda: gas_t_score([0, 3]), "levels[1]: 3.0 is not a GAS level"),
        (lambda: gas_t_score([[0], [0.5]]), "levels[1][0]: 0.5 is not a GAS level"),
        (lambda: gas_t_score([True]), "a boolean"),
        (lambda: gas_t_score(["1"]), "a string"),
        (lambda: gas_t_score([math.inf]), "not a finite number"),
        (lambda: gas_t_score(1), "expected a sequence"),
        (lambda: gas_t_score([1, 0], [1, -1]), "weights[1]: -1.0 is below zero"),
        (lambda: gas_t_score([1, 0], [1, None]), "weights[1]: the goal has a level but no weight"),
        (lambda: gas_t_score([1, 0], [1, 2, 3]), "does not match"),
        (lambda: gas_t_score([[1, 0], [1, 1]], [[1, 1], [1, 1], [1, 1]]), "does not match"),
        (lambda: gas_change([1, 0], [1]), "differs"),
        (lambda: gas_change([-1, None], [0, 1]), "at one time point only"),
        (lambda: share_achieved([None]), "no goal has a level"),
    ],
)
def test_bad_input_names_the_place(call: Any, fragment: str) -> None:
    with pytest.raises(GoalError) as info:
        call()
    assert fragment in str(info.value)
    assert isinstance(info.value, FitScoresError)
    assert isinstance(info.value, ValueError)


def test_change_and_share_achieved() -> None:
    assert gas_change([-1, -1, -1], [0, 0, 0]) == pytest.approx(50 - 36.3069, abs=1e-4)
    change = gas_change([[-1, -1], [-2, np.nan]], [[0, 1], [-1, np.nan]])
    assert isinstance(change, np.ndarray)
    assert change[0] == pytest.approx(gas_t_score([0, 1]) - gas_t_score([-1, -1]))
    assert change[1] == pytest.approx(10.0)
    assert share_achieved([-1, 0, 1, None]) == pytest.approx(2 / 3)
    shares = share_achieved([[-1, 0], [2, np.nan]])
    assert isinstance(shares, np.ndarray)
    assert shares.tolist() == [0.5, 1.0]


# --- the plan's records -----------------------------------------------------------------------


def goal(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "jobb",
        "family_id": "f1",
        "goal_for": "person",
        "person_id": "mor",
        "domain": "work",
        "set_on": "2025-01-10",
        "level_descriptions": {-2: "Ingen kontakt med arbeidslivet", 0: "Deltidsjobb"},
        "baseline_level": -1,
    }
    base.update(changes)
    return base


def rating(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "goal_id": "jobb",
        "date": "2025-06-01",
        "level": 0,
        "rater": "coordinator",
    }
    base.update(changes)
    return base


def plan(goals: list[dict[str, Any]], ratings: list[dict[str, Any]]) -> FamilyPlan:
    return FamilyPlan.model_validate({"family_id": "f1", "goals": goals, "ratings": ratings})


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"person_id": None}, "person_id is required for a goal of a person"),
        ({"goal_for": "family"}, "a family goal has no person_id"),
        ({"baseline_level": 0}, "baseline_level 0 is not a baseline of the standard_5"),
        ({"scale": "six_point_v1"}, "baseline_level -1 is not a baseline of the six_point_v1"),
        ({"level_descriptions": {-3: "Verre", 0: "Jobb"}}, "level -3, which is not on"),
        ({"level_descriptions": {-1: "Søker"}}, "must describe level 0"),
        (
            {"level_descriptions": [{"level": 0, "text": "a"}, {"level": 0, "text": "b"}]},
            "describes level 0 twice",
        ),
        ({"review_due": "2024-12-31"}, "review_due 2024-12-31 is before set_on"),
        ({"weight": -1}, "weight: -1 is not a finite number >= 0"),
        ({"baseline_level": 0.5}, "0.5 is not a GAS level"),
        ({"baseline_level": True}, "must be a number"),
    ],
)
def test_goal_errors(changes: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        Goal.model_validate(goal(**changes))
    err = fit_error(info.value)
    assert isinstance(err, GoalError)
    assert fragment in str(err), str(err)


def test_goal_field_errors_from_pydantic() -> None:
    for changes in ({"domain": "school"}, {"importance": 4}, {"scale": "seven"}, {"extra": 1}):
        with pytest.raises(ValidationError):
            Goal.model_validate(goal(**changes))


@pytest.mark.parametrize(
    ("goals", "ratings", "fragment"),
    [
        ([goal(family_id="f2")], [], "goals[0]: goal 'jobb' belongs to family 'f2', not 'f1'"),
        ([goal(), goal()], [], "goals[1]: goal id 'jobb' is used twice"),
        ([goal()], [rating(goal_id="bolig")], "ratings[0]: 'bolig' is not a goal of the plan"),
        ([goal()], [rating(date="2025-01-09")], "is before goal 'jobb' was set"),
        ([goal()], [rating(level=-3)], "level -3 is not on the standard_5 scale"),
        ([goal()], [rating(level=-0.5)], "level -0.5 is not on the standard_5 scale"),
        (
            [goal(scale="six_point_v2", baseline_level=-2)],
            [rating(level=-0.5)],
            "level -0.5 (partial achievement) is for goals that start at -1",
        ),
        ([goal()], [rating(), rating(level=1)], "rated twice by the coordinator on 2025-06-01"),
    ],
)
def test_plan_errors(
    goals: list[dict[str, Any]], ratings: list[dict[str, Any]], fragment: str
) -> None:
    with pytest.raises(ValidationError) as info:
        plan(goals, ratings)
    err = fit_error(info.value)
    assert isinstance(err, GoalError)
    assert fragment in str(err), str(err)


def example_plan() -> FamilyPlan:
    return plan(
        [
            goal(importance=3, difficulty=2, weight=2.5),
            goal(
                id="bolig",
                goal_for="family",
                person_id=None,
                domain="housing",
                set_on="2025-01-10",
                baseline_level=-2,
                importance=1,
                difficulty=1,
                weight=1,
                level_descriptions={0: "Større leilighet"},
            ),
            goal(
                id="fotball",
                goal_for="child",
                person_id="gutt",
                domain="leisure",
                scale="six_point_v2",
                set_on="2025-03-01",
                level_descriptions={0: "Trener hver uke"},
            ),
        ],
        [
            rating(date="2025-06-01", level=-1),
            rating(date="2025-12-01", level=1),
            rating(goal_id="bolig", date="2025-12-01", level=0),
            rating(goal_id="fotball", date="2025-12-01", level=-0.5),
            rating(date="2025-12-01", level=0, rater="family"),
        ],
    )


def test_attainment_uses_the_kernel_on_the_latest_ratings() -> None:
    p = example_plan()
    result = p.attainment()
    assert result.goal_ids == ("jobb", "bolig", "fotball")
    assert result.levels == (1.0, 0.0, -0.5)
    assert result.baseline_levels == (-1.0, -2.0, -1.0)
    assert result.t_score == gas_t_score([1, 0, -1])
    assert result.baseline_t_score == gas_t_score([-1, -2, -1])
    assert result.change == pytest.approx(gas_change([-1, -2, -1], [1, 0, -1]))
    assert result.n_achieved == 2
    assert result.share_achieved == pytest.approx(2 / 3)
    assert result.loinc == "107332-9"


def test_attainment_at_a_date_and_by_rater() -> None:
    p = example_plan()
    # before fotball was set and before the December reviews
    mid = p.attainment(dt.date(2025, 2, 1))
    assert (mid.goal_ids, mid.unrated, mid.t_score) == ((), ("jobb", "bolig"), None)
    assert mid.share_achieved is None and mid.change is None
    june = p.attainment(dt.date(2025, 6, 30))
    assert june.goal_ids == ("jobb",) and june.unrated == ("bolig", "fotball")
    assert june.t_score == 40.0 and june.change == 0.0
    family = p.attainment(rater="family")
    assert family.goal_ids == ("jobb",) and family.t_score == 50.0
    assert family.unrated == ("bolig", "fotball")
    assert p.level_at("jobb", dt.date(2025, 11, 30)) == -1.0
    assert p.level_at("jobb", dt.date(2025, 1, 10)) is None
    child = p.attainment(person="gutt")
    assert child.goal_ids == ("fotball",) and child.t_score == 40.0
    housing = p.attainment(domain="housing")
    assert housing.goal_ids == ("bolig",) and housing.change == 20.0


def test_weightings() -> None:
    p = example_plan()
    with pytest.raises(GoalError, match="goal 'fotball': weighting='weight' needs the goal's"):
        p.attainment(weighting="weight")
    two = plan(example_plan().model_dump()["goals"][:2], [rating(level=1), rating(goal_id="bolig")])
    w = two.attainment(weighting="weight")
    assert w.weights == (2.5, 1.0)
    assert w.t_score == gas_t_score([1, 0], [2.5, 1.0])
    iw = two.attainment(weighting="importance_x_difficulty")
    assert iw.weights == (6.0, 1.0)
    assert iw.t_score == gas_t_score([1, 0], [6, 1])
    assert two.attainment(rho=0.5).t_score == gas_t_score([1, 0], rho=0.5)
    with pytest.raises(GoalError, match="rho"):
        two.attainment(rho=1.5)
    with pytest.raises(GoalError, match="rho"):
        plan([goal()], []).attainment(rho=1.5)
    with pytest.raises(GoalError, match="weighting: 'product' is not"):
        two.attainment(weighting="product")  # type: ignore[arg-type]
    with pytest.raises(GoalError, match="rater: 'teacher' is not"):
        two.attainment(rater="teacher")  # type: ignore[arg-type]


def test_loinc_codes() -> None:
    assert loinc_code("coordinator", "child") == "107333-7"
    assert loinc_code("family", "child") == "107331-1"
    assert loinc_code("family", "person") == "107334-5"
    assert loinc_code("child", "child") == "107334-5"
    p = example_plan()
    assert [p.loinc_code(r) for r in p.ratings] == [
        "107333-7",
        "107333-7",
        "107333-7",
        "107333-7",
        "107334-5",
    ]


def test_levels_and_descriptions() -> None:
    g = Goal.model_validate(goal(scale="six_point_v1", baseline_level=-2))
    assert g.levels == GAS_LEVELS["six_point_v1"] == (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0)
    assert g.description(-2) == "Ingen kontakt med arbeidslivet"
    assert g.description(2) is None
    v1 = plan([goal(scale="six_point_v1", baseline_level=-2)], [rating(level=-3)])
    assert v1.attainment().t_score == 20.0


def test_json_round_trips_and_integer_levels() -> None:
    p = example_plan()
    text = p.model_dump_json()
    assert FamilyPlan.model_validate_json(text) == p
    data = json.loads(text)
    assert data["ratings"][0]["level"] == -1 and isinstance(data["ratings"][0]["level"], int)
    assert data["ratings"][3]["level"] == -0.5
    assert data["goals"][0]["level_descriptions"][0] == {
        "level": -2,
        "text": "Ingen kontakt med arbeidslivet",
    }
    result = p.attainment()
    assert GoalAttainment.model_validate_json(result.model_dump_json()) == result
    r = GoalRating.model_validate(rating())
    assert GoalRating.model_validate_json(r.model_dump_json()) == r
    with pytest.raises(ValidationError):
        r.level = 1  # type: ignore[misc]


@pytest.mark.parametrize("name", ["Goal", "GoalRating", "FamilyPlan", "GoalAttainment"])
def test_schema_is_committed(name: str) -> None:
    from fit_scores._schemas import PUBLIC_MODELS

    assert name in PUBLIC_MODELS
    assert (ROOT / "schemas" / f"{name}.json").exists()


class Frame:
    """A minimal frame with ``__array__`` (as pandas and polars frames have)."""

    def __init__(self, rows: list[list[float]]) -> None:
        self.rows = rows

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray[Any, Any]:
        return np.asarray(self.rows, dtype=dtype)


def test_frames_with_array_interface_are_read() -> None:
    got = gas_t_score(Frame([[-1.0, -1.0], [0.0, math.nan]]))
    assert isinstance(got, np.ndarray)
    np.testing.assert_allclose(got, [37.5965, 50.0], atol=1e-4)
