"""The simulator's yearly mappings and goals: reproducible, consistent, valid by the records."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from fit_scores.cohort import cohort_tables
from fit_scores.goals import GOAL_DOMAINS, GoalRating
from fit_scores.instruments import score_response
from fit_scores.living_conditions import (
    ACTIVITY_KINDS,
    HouseholdIncome,
    Housing,
    WorkActivity,
    consumption_units_tenths,
)
from fit_scores.simulate import (
    SimulatedProgramme,
    YearlyParams,
    simulate_families,
    simulate_programme,
)


@pytest.fixture(scope="module")
def sim() -> SimulatedProgramme:
    return simulate_programme(600, seed=21)


def test_same_seed_same_data_and_different_seed_differs() -> None:
    a, b = simulate_programme(40, seed=9), simulate_programme(40, seed=9)
    for kind, table in a.tables().items():
        other = b.tables()[kind]
        assert table.keys() == other.keys()
        for name, column in table.items():
            np.testing.assert_array_equal(column, other[name], err_msg=f"{kind}.{name}")
    assert a.medians == b.medians
    c = simulate_programme(40, seed=10)
    assert not np.array_equal(
        a.household["income_after_tax"][:20], c.household["income_after_tax"][:20]
    )


def test_session_scores_are_simulate_families_unchanged(sim: SimulatedProgramme) -> None:
    plain = simulate_families(600, seed=21)
    for name, column in plain.to_dict().items():
        np.testing.assert_array_equal(getattr(sim.scores, name), column, err_msg=name)
    for key, values in plain.truth.items():
        np.testing.assert_array_equal(sim.scores.truth[key], values)


def test_mapping_grid(sim: SimulatedProgramme) -> None:
    h = sim.household
    assert sorted(set(h["programme_year"].tolist())) == [0, 1, 2, 3, 4, 5]
    # every family has its intake mapping, at its first meeting
    intake = h["programme_year"] == 0
    assert np.array_equal(np.unique(h["family"][intake]), np.unique(sim.scores.family))
    first: dict[str, dt.date] = {}
    for f, d in zip(sim.scores.family.tolist(), sim.scores.date.tolist(), strict=True):
        first[f] = min(first.get(f, d), d)
    for f, d in zip(h["family"][intake].tolist(), h["date"][intake].tolist(), strict=True):
        assert d == first[f]
    # a later mapping is 365 days per programme year after the intake
    start = dict(zip(h["family"][intake].tolist(), h["date"][intake], strict=True))
    offsets = h["date"] - np.array([start[f] for f in h["family"].tolist()])
    np.testing.assert_array_equal(offsets.astype(np.int64), 365 * h["programme_year"])
    assert np.array_equal(h["year"], h["date"].astype("datetime64[Y]").astype(np.int64) + 1969)
    # some later mappings are missed, at about the set rate
    later = (h["programme_year"] > 0).sum()
    missed = 1 - later / (5 * 600)
    assert 0.03 < missed < 0.09


def test_household_composition_and_income(sim: SimulatedProgramme) -> None:
    h, housing = sim.household, sim.housing
    np.testing.assert_array_equal(h["adults"] + h["children"], housing["persons"])
    assert (h["adults"] >= 1).all()
    assert set(h["year"].tolist()) <= set(sim.medians)
    units = consumption_units_tenths(h["adults"], h["children"])
    med = np.array([sim.medians[y] for y in h["year"].tolist()])
    ratio = h["income_after_tax"] * 10 / units / med
    intake = h["programme_year"] == 0
    # the programme's families are mostly below 60 % of the median at intake
    assert 0.7 < (ratio[intake] < 0.6).mean() < 0.95
    # and the median ratio rises over the years (income_trend > 0)
    assert np.median(ratio[h["programme_year"] == 5]) > np.median(ratio[intake])


def test_value_ranges(sim: SimulatedProgramme) -> None:
    items = [sim.gse[f"gse10_{i:02d}"] for i in range(1, 11)]
    answered = np.concatenate([x[~np.isnan(x)] for x in items])
    assert set(np.unique(answered).tolist()) == {1.0, 2.0, 3.0, 4.0}
    ls = sim.life_satisfaction["life_sat_0_10"]
    assert ls.min() >= 0 and ls.max() <= 10
    assert ls.dtype == np.int64
    words = set(sim.leisure["frequency"].tolist())
    assert words == {None, "never", "less_than_monthly", "monthly", "weekly"}
    assert set(sim.goals["domain"].tolist()) == set(GOAL_DOMAINS)
    assert set(sim.goal_ratings["level"].tolist()) <= {-2.0, -1.0, 0.0, 1.0, 2.0}
    acts = sim.work["activities"]
    assert ((acts >= 0) & (acts < 1 << len(ACTIVITY_KINDS))).all()
    per_family = np.unique(sim.goals["family"], return_counts=True)[1]
    assert per_family.min() >= 2 and per_family.max() <= 5


def test_people_are_members_of_their_family(sim: SimulatedProgramme) -> None:
    family_of = dict(
        zip(sim.scores.people.tolist(), sim.scores.person_family.tolist(), strict=True)
    )
    role = dict(zip(sim.scores.people.tolist(), sim.scores.role.tolist(), strict=True))
    for table, want in ((sim.work, "adult"), (sim.gse, "adult"), (sim.leisure, "child")):
        for p, f in zip(table["person"].tolist(), table["family"].tolist(), strict=True):
            assert family_of[p] == f and role[p] == want


def test_goal_ratings_after_the_goal_is_set(sim: SimulatedProgramme) -> None:
    set_on = dict(zip(sim.goals["goal"].tolist(), sim.goals["set_on"].tolist(), strict=True))
    r = sim.goal_ratings
    assert all(d > set_on[g] for g, d in zip(r["goal"].tolist(), r["date"].tolist(), strict=True))
    assert (r["programme_year"] >= 1).all()
    # coordinator and family rate every goal at each later mapping
    assert (r["rater"] == "family").sum() == (r["rater"] == "coordinator").sum()
    # progress: more goals achieved in year 5 than year 1
    achieved = r["level"] >= 0
    assert achieved[r["programme_year"] == 5].mean() > achieved[r["programme_year"] == 1].mean()


def test_every_row_is_valid_for_the_tables_and_the_records(sim: SimulatedProgramme) -> None:
    tables = cohort_tables(sim)
    for kind, table in tables.items():
        assert table.n_rejected == 0, (kind, table.errors.to_records()[:3])
        assert table.n_valid == len(next(iter(sim.tables()[kind].values())))
    h = sim.household
    for i in range(0, h["family"].size, 97):
        HouseholdIncome(
            household_id=str(h["family"][i]),
            year=int(h["year"][i]),
            income_after_tax=int(h["income_after_tax"][i]),
            adults=int(h["adults"][i]),
            children=int(h["children"][i]),
        )
        area = sim.housing["area_m2"][i]
        Housing(
            household_id=str(h["family"][i]),
            date=h["date"][i].item(),
            persons=int(sim.housing["persons"][i]),
            rooms=int(sim.housing["rooms"][i]),
            area_m2=None if np.isnan(area) else float(area),
        )
    w = sim.work
    for i in range(0, w["person"].size, 131):
        hours = w["hours_reference_week"][i]
        bits = int(w["activities"][i])
        WorkActivity(
            person_id=str(w["person"][i]),
            date=w["date"][i].item(),
            hours_reference_week=None if np.isnan(hours) else float(hours),
            temporarily_absent=bool(w["temporarily_absent"][i]),
            activities=tuple(k for j, k in enumerate(ACTIVITY_KINDS) if bits >> j & 1),
        )
        items = [sim.gse[f"gse10_{j:02d}"][i] for j in range(1, 11)]
        score_response("GSE", [None if np.isnan(v) else int(v) for v in items])
    r = sim.goal_ratings
    for i in range(0, r["goal"].size, 257):
        GoalRating(
            goal_id=str(r["goal"][i]),
            date=r["date"][i].item(),
            level=float(r["level"][i]),
            rater=str(r["rater"][i]),
        )


def test_tables_are_read_only(sim: SimulatedProgramme) -> None:
    with pytest.raises(ValueError, match="read-only"):
        sim.household["income_after_tax"][0] = 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mapping_missing", 1.5, "mapping_missing must be <= 1"),
        ("income_ratio", 0.0, "income_ratio must be > 0"),
        ("goals_per_family", (3, 2), "goals_per_family"),
        ("domain_probs", (0.5, 0.5, 0.5, 0.0, 0.0, 0.0), "sum to 1"),
        ("gse_sd", float("nan"), "gse_sd must be finite"),
    ],
)
def test_invalid_params(field: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(YearlyParams(), **{field: value})  # type: ignore[arg-type]


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="n_families"):
        simulate_programme(0, seed=1)
    with pytest.raises(ValueError, match="years"):
        simulate_programme(3, seed=1, years=-1.0)


def test_shorter_follow_up_has_fewer_mappings() -> None:
    short = simulate_programme(30, seed=2, years=2.0)
    assert sorted(set(short.household["programme_year"].tolist())) == [0, 1, 2]
