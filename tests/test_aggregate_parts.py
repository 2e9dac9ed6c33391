"""Aggregates from per-group sufficient statistics: exact combination, intervals, recovery."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fit_scores as fs
from fit_scores.errors import TableInputError
from fit_scores.simulate import simulate_cohort
from fit_scores.table import from_columns
from fit_scores.table.aggregate import (
    AggregateStatistics,
    ExactSums,
    aggregate_statistics,
    finish_aggregate,
)


def cohort_columns(n_people: int, seed: int) -> dict[str, Any]:
    sim = simulate_cohort(n_people, seed=seed, with_alliance=True)
    columns: dict[str, Any] = dict(sim.to_dict())
    columns.pop("family", None)
    person = np.asarray(columns["person"]).astype(str)
    columns["date"] = np.asarray(columns["date"]).astype("datetime64[D]") - np.timedelta64(
        6 * 365, "D"
    )
    codes = np.unique(person, return_inverse=True)[1]
    columns["team"] = np.array(["a", "b", "c", "tiny"], dtype=object)[
        np.where(codes < 3, 3, codes % 3)
    ]
    return columns


def subset(columns: dict[str, Any], keep: np.ndarray[Any, Any]) -> dict[str, Any]:
    return {name: np.asarray(values)[keep] for name, values in columns.items()}


@pytest.mark.parametrize("by", [None, "team", ["team", "scale"], ["age_band", "rater"]])
def test_statistics_of_disjoint_people_combine_to_the_whole_bit_for_bit(by: Any) -> None:
    columns = cohort_columns(600, seed=4)
    whole = from_columns(columns, group_columns=["team"]).summarize()
    person = np.asarray(columns["person"]).astype(str)
    people = np.unique(person)
    rng = np.random.default_rng(1)
    part_of = dict(zip(people.tolist(), rng.integers(0, 3, people.size).tolist(), strict=True))
    where = np.array([part_of[p] for p in person.tolist()])
    parts = [
        aggregate_statistics(
            from_columns(subset(columns, where == k), group_columns=["team"]).summarize(), by
        )
        for k in (2, 0, 1)
    ]
    combined = AggregateStatistics.combine(parts)
    for min_cell, level in ((5, 0.95), (40, 0.8)):
        mine = finish_aggregate(combined, min_cell=min_cell, level=level).to_records()
        assert mine == whole.aggregate(by, min_cell=min_cell, level=level).to_records()


def test_exact_sums_do_not_depend_on_the_order_or_the_split() -> None:
    rng = np.random.default_rng(3)
    x = np.round(rng.uniform(0, 40, 10_001), 1)
    g = rng.integers(0, 4, x.size)
    whole = ExactSums.of(g, [x, x], 4).fractions()
    order = rng.permutation(x.size)
    a = ExactSums.of(g[order[:3000]], [x[order[:3000]]] * 2, 4)
    b = ExactSums.of(g[order[3000:]], [x[order[3000:]]] * 2, 4)
    assert a.add(b).fractions() == whole
    from fractions import Fraction

    assert whole[0] == sum((Fraction(v) ** 2 for v in x[g == 0].tolist()), Fraction(0))


def small_table(days: list[int], *, ages: list[int | None] | None = None) -> fs.ScoreTable:
    """One ORS track per person: intake 10, then 30 after ``days`` days."""
    rows: dict[str, list[Any]] = {"person": [], "scale": [], "date": [], "total": [], "age": []}
    for i, d in enumerate(days):
        for day, total in ((0, 10.0), (d, 30.0)):
            rows["person"].append(f"p{i}")
            rows["scale"].append("ORS")
            rows["date"].append(np.datetime64("2024-01-01") + np.timedelta64(day, "D"))
            rows["total"].append(total)
            rows["age"].append(40 if ages is None else ages[i])
    return from_columns({k: np.array(v, dtype=object) for k, v in rows.items()})


def test_intervals_of_days_and_sessions_never_go_below_zero() -> None:
    # skewed days in contact: a t interval would reach below 0 (mean 41, sd 88, n 5)
    table = small_table([1, 1, 2, 2, 200])
    rec = table.summarize().aggregate(min_cell=1).to_records()[0]
    mean, low, high = (rec[f"days_in_contact_{k}"] for k in ("mean", "ci_low", "ci_high"))
    assert mean == pytest.approx(41.2)
    from scipy import stats

    sd = np.std([1, 1, 2, 2, 200], ddof=1)
    t = stats.t.ppf(0.975, 4)
    assert mean - t * sd / np.sqrt(5) < 0  # what the t interval would say
    half = t * sd / np.sqrt(5) / mean  # log scale: se(log mean) = se / mean (delta method)
    assert 0 < low < mean < high
    assert low == pytest.approx(mean * np.exp(-half), rel=1e-12)
    assert high == pytest.approx(mean * np.exp(half), rel=1e-12)
    for figure in ("sessions", "intake_outcome"):
        assert rec[f"{figure}_ci_low"] is None or rec[f"{figure}_ci_low"] >= 0


def test_mean_scores_stay_within_the_scale_and_shares_within_zero_and_one() -> None:
    # two intakes of 0 and one of 10: the t interval reaches below 0, the scale's floor
    rows: dict[str, Any] = {"person": ["a", "b", "c"], "scale": ["ORS"] * 3, "age": [30] * 3,
            "date": ["2024-01-01"] * 3, "total": [0.0, 0.0, 10.0]}  # fmt: skip
    rec = from_columns(rows).summarize().aggregate(min_cell=1).to_records()[0]
    assert rec["intake_outcome_ci_low"] == 0.0 and rec["intake_outcome_ci_high"] <= 40.0
    table = small_table([30] * 6)
    rec = table.summarize().aggregate(min_cell=1).to_records()[0]
    for share in ("improved", "recovered", "deteriorated"):
        assert 0.0 <= rec[f"{share}_ci_low"] <= rec[f"{share}_share"] <= rec[f"{share}_ci_high"]
        assert rec[f"{share}_ci_high"] <= 1.0
    assert rec["improved_share"] == 1.0 and rec["improved_ci_high"] == 1.0


def test_recovered_share_counts_only_tracks_whose_recovery_could_be_judged() -> None:
    # no age: the ORS cutoff depends on the age band, so caseness is unknown
    table = small_table([30] * 8, ages=[40, 40, 40, 40, 40, None, None, None])
    summary = table.summarize()
    judged = ~np.ma.getmaskarray(summary["clinical_intake"]) & ~np.ma.getmaskarray(
        summary["clinical_latest"]
    )
    assert judged.sum() == 5
    rec = summary.aggregate(min_cell=1).to_records()[0]
    assert rec["improved_n"] == 8
    assert rec["recovered_n"] == 5
    assert rec["recovered_share"] == 1.0  # the people without an age are not "not recovered"


def test_options_are_checked_before_anything_else() -> None:
    with pytest.raises(TableInputError, match="min_cell"):
        finish_aggregate(
            aggregate_statistics(small_table([3]).summarize(), None), min_cell=0, level=0.9
        )
    with pytest.raises(TableInputError, match="different columns"):
        AggregateStatistics.combine(
            [
                aggregate_statistics(small_table([3]).summarize(), None),
                aggregate_statistics(small_table([3]).summarize(), "rater"),
            ]
        )


def _fraction_sums(g: Any, factors: list[Any], n_groups: int) -> list[Fraction]:
    sums = [Fraction(0)] * n_groups
    for i, group in enumerate(g.tolist()):
        term = Fraction(1)
        for f in factors:
            term *= Fraction(float(f[i]))
        sums[group] += term
    return sums


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(
        st.floats(allow_nan=False, allow_infinity=False, width=64)
        | st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 1.7976931348623157e308, 0.1, 40.0]),
        min_size=1,
        max_size=60,
    ),
    n_groups=st.integers(1, 5),
    two=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_exact_sums_are_the_sums_of_the_fractions(
    values: list[float], n_groups: int, two: bool, seed: int
) -> None:
    """Any floats (subnormal, huge, signed zeros), one factor or two: the exact sums."""
    rng = np.random.default_rng(seed)
    x = np.array(values)
    y = rng.permutation(x)
    g = rng.integers(0, n_groups, x.size)
    factors = [x, y] if two else [x]
    assert ExactSums.of(g, factors, n_groups).fractions() == _fraction_sums(g, factors, n_groups)


def test_exact_sums_of_many_groups_and_of_rows_summed_in_parts(monkeypatch: Any) -> None:
    """Many groups (the segments found by factorising) and long inputs (summed in parts)."""
    from fit_scores.table import aggregate

    rng = np.random.default_rng(8)
    x = np.round(rng.uniform(-40, 40, 3000), 1)
    y = rng.integers(0, 2000, x.size).astype(np.float64)
    g = rng.integers(0, 200_000, x.size)  # (200,000 groups x shifts: more than 2n + 2**16)
    want = _fraction_sums(g, [x, y], 200_000)
    assert ExactSums.of(g, [x, y], 200_000).fractions() == want
    monkeypatch.setattr(aggregate, "_MAX_ROWS", 700)
    assert ExactSums.of(g, [x, y], 200_000).fractions() == want
