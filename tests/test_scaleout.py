"""Scale-out on a real local Dask cluster (worker processes) equals the single-machine run.

One module-scoped cluster of two worker processes; one simulated cohort of over a
million rows with hidden bad rows of several kinds. Summary, error report (with row
identity), aggregates and the growth model are compared with one machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

import fit_scores as fs
from fit_scores.errors import TableInputError, TrajectoryInputError
from fit_scores.scaleout import (
    DaskSummary,
    DaskTable,
    fit_expected_response_dask,
    read_parquet_dask,
    score_table_dask,
    summarize_dask,
)
from fit_scores.simulate import simulate_cohort
from fit_scores.trajectories import GrowthModel, fit_expected_response

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")

KEY = ["person", "scale", "rater", "rater_id", "episode"]
GROUPS = ["coordinator"]
N_PARTITIONS = 6


def cohort() -> pd.DataFrame:
    """About 1.06 million rows (ORS and SRS) with 600 hidden bad rows of four kinds."""
    sim = simulate_cohort(40_000, seed=8, with_alliance=True)
    n = len(sim)
    rng = np.random.default_rng(12)
    person = sim.person.astype(str)
    coordinator = np.array(["north", "south", "east", "west"], dtype=object)[
        np.asarray(pd.factorize(person)[0]) % 4
    ]
    coordinator[np.isin(person, np.unique(person)[:3])] = "tiny"  # 3 people: suppressed
    frame = pd.DataFrame(
        {
            "record_id": np.arange(n, dtype=np.int64) * 7 + 3,
            "person": person,
            "scale": sim.scale.astype(str),
            # six years back: the simulated follow-up must end before today (the as_of rule)
            "date": (sim.date.astype("datetime64[D]") - np.timedelta64(6 * 365, "D")).astype(
                "datetime64[s]"
            ),
            "session": sim.session,
            "total": sim.total.astype(np.float64),
            "age": sim.age,
            "coordinator": coordinator,
        }
    )
    bad = rng.choice(n, size=600, replace=False)
    kinds = np.arange(bad.size) % 4
    frame.loc[bad[kinds == 0], "total"] = 41.0  # out of range
    frame.loc[bad[kinds == 1], "total"] = np.nan  # no score
    frame.loc[bad[kinds == 2], "age"] = -3  # impossible age
    frame.loc[bad[kinds == 3], "scale"] = "NOPE"  # unknown scale
    # a duplicate administration (a track-level rule: needs the whole track in one partition)
    dup = frame.iloc[[10]].copy()
    dup["record_id"] = -1
    frame = pd.concat([frame, dup], ignore_index=True)
    return frame.sample(frac=1.0, random_state=1).reset_index(drop=True)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return cohort()


@pytest.fixture(scope="module")
def single(data: pd.DataFrame) -> fs.ScoreTable:
    return fs.from_pandas(data.drop(columns=["record_id"]), group_columns=GROUPS)


@pytest.fixture(scope="module")
def offsets(data: pd.DataFrame) -> np.ndarray[Any, Any]:
    return np.linspace(0, len(data), N_PARTITIONS + 1).astype(np.int64)


@pytest.fixture(scope="module")
def scaled(
    client: Any,
    data: pd.DataFrame,
    offsets: np.ndarray[Any, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> DaskTable:
    """The cohort as a partitioned Parquet dataset (one file per partition), scored on Dask."""
    folder = tmp_path_factory.mktemp("registry")
    for i in range(N_PARTITIONS):
        part = data.iloc[offsets[i] : offsets[i + 1]]
        part.to_parquet(folder / f"part-{i:02d}.parquet", index=False)
    return read_parquet_dask(str(folder), key="record_id", group_columns=GROUPS)


@pytest.fixture(scope="module")
def dask_summary(scaled: DaskTable) -> DaskSummary:
    return scaled.summarize()


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(KEY, na_position="first").reset_index(drop=True)


def test_the_cluster_runs_worker_processes(client: Any, scaled: DaskTable) -> None:
    workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    pids = set(client.run(lambda: __import__("os").getpid()).values())
    assert len(pids) == 2 and __import__("os").getpid() not in pids
    assert scaled.npartitions == N_PARTITIONS


def test_nothing_is_lost(data: pd.DataFrame, single: fs.ScoreTable, scaled: DaskTable) -> None:
    n_input, n_valid, n_rejected = scaled.counts()
    assert len(data) > 1_000_000
    assert n_input == len(data) == n_valid + n_rejected
    assert (n_valid, n_rejected) == (single.n_valid, single.n_rejected)
    assert n_rejected >= 600


def test_error_report_keeps_row_identity(
    data: pd.DataFrame,
    single: fs.ScoreTable,
    scaled: DaskTable,
    offsets: np.ndarray[Any, Any],
) -> None:
    errors = scaled.errors().compute()
    assert list(errors.columns) == ["partition", "row", "record_id", "column", "error", "reason"]
    # the key column names the input row ...
    position = pd.Series(np.arange(len(data)), index=data["record_id"].to_numpy())
    rows = position.loc[errors["record_id"].to_numpy()].to_numpy()
    # ... and so do the input partition (file) and the row within it
    assert np.array_equal(offsets[errors["partition"].to_numpy()] + errors["row"], rows)
    mine = pd.DataFrame(
        {"row": rows, "column": errors["column"], "error": errors["error"],
         "reason": errors["reason"]}
    )  # fmt: skip
    theirs = single.errors.to_pandas()
    # a reason that names another row names it by its input identity on the cluster
    part_of = np.searchsorted(offsets, np.arange(len(data)), side="right") - 1
    record = data["record_id"].to_numpy()

    def identity(match: re.Match[str]) -> str:
        k = int(match.group(1))
        return f"row {k - offsets[part_of[k]]} of partition {part_of[k]} (record_id {record[k]!r})"

    theirs["reason"] = [re.sub(r"\brow ([0-9]+)\b", identity, r) for r in theirs["reason"]]
    assert theirs["reason"].str.contains(" of partition ").any()
    order = ["row", "column", "error", "reason"]
    pd.testing.assert_frame_equal(
        mine.sort_values(order).reset_index(drop=True).astype(object),
        theirs.sort_values(order).reset_index(drop=True).astype(object),
    )
    assert set(theirs["error"]) >= {"TotalRangeError", "UnknownScaleError"}


def test_summary_equals_the_single_machine_run(
    single: fs.ScoreTable, dask_summary: DaskSummary
) -> None:
    frame = dask_summary.compute()
    assert len(frame) == single.n_tracks
    pd.testing.assert_frame_equal(canonical(frame), canonical(single.summarize().to_pandas()))


@pytest.mark.parametrize(
    "by", [None, "coordinator", ["coordinator", "scale"], ["age_band", "rater"], "category"]
)
def test_aggregates_equal_the_single_machine_run(
    single: fs.ScoreTable, dask_summary: DaskSummary, by: Any
) -> None:
    local = single.summarize()
    for min_cell, level in ((5, 0.95), (2_000, 0.9)):
        mine = dask_summary.aggregate(by, min_cell=min_cell, level=level).to_records()
        theirs = local.aggregate(by, min_cell=min_cell, level=level).to_records()
        assert mine == theirs  # exact: the same floats, bit for bit
    if by == "coordinator":
        tiny = next(r for r in mine if r["coordinator"] == "tiny")
        assert tiny["suppressed"] and tiny["n_people"] is None


def test_growth_fit_equals_the_single_machine_fit(single: fs.ScoreTable, scaled: DaskTable) -> None:
    for axis in ("session",):  # the days axis: tests/test_scaleout_parts.py
        one = fit_expected_response(single, "growth", scale="ORS", axis=axis)
        many = fit_expected_response_dask(scaled, "growth", scale="ORS", axis=axis)
        assert isinstance(one, GrowthModel)
        assert many.n_tracks == one.n_tracks and many.n_obs == one.n_obs
        assert many.converged and one.converged
        for name in ("beta", "psi", "beta_se"):
            np.testing.assert_allclose(getattr(many, name), getattr(one, name), rtol=1e-8)
        for name in ("sigma2", "loglik", "intake_centre"):
            assert getattr(many, name) == pytest.approx(getattr(one, name), rel=1e-8)
        assert many.model_dump(exclude={"beta", "psi", "beta_se", "sigma2", "loglik",
                                        "intake_centre", "optimiser_message"}) == one.model_dump(
            exclude={"beta", "psi", "beta_se", "sigma2", "loglik", "intake_centre",
                     "optimiser_message"})  # fmt: skip


def test_cohort_and_neighbours_models_ask_for_one_machine(scaled: DaskTable) -> None:
    for method in ("cohort", "neighbours"):
        with pytest.raises(TrajectoryInputError, match="one machine"):
            fit_expected_response_dask(scaled, method, scale="ORS")
    with pytest.raises(TableInputError, match="choose one with scale="):
        fit_expected_response_dask(scaled, "growth")


def test_invalid_input_is_a_library_error() -> None:
    with pytest.raises(TableInputError, match="dask DataFrame"):
        score_table_dask(pd.DataFrame({"person": ["a"]}))
    frame = dd.from_pandas(pd.DataFrame({"who": ["a"]}), npartitions=1)
    with pytest.raises(TableInputError, match="no person column"):
        summarize_dask(frame)
