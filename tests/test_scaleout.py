"""The per-track summary on a small local Dask cluster equals the single-machine run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import fit_scores as fs
from fit_scores.scaleout import summarize_dask
from fit_scores.simulate import simulate_cohort

KEY = ["person", "scale", "rater", "rater_id", "episode"]


def rows() -> pd.DataFrame:
    sim = simulate_cohort(400, seed=8, with_alliance=True)
    frame = pd.DataFrame(
        {
            "person": sim.person.astype(str),
            "scale": sim.scale.astype(str),
            "date": sim.date.astype("datetime64[D]").astype(str),
            "session": sim.session,
            "total": sim.total,
            "age": sim.age,
            "coordinator": np.where(np.arange(len(sim)) % 3 == 0, "k1", "k2"),
        }
    )
    frame.loc[5, "total"] = 41.0  # one bad row: rejected in both runs
    return frame.sample(frac=1.0, random_state=1).reset_index(drop=True)


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.sort_values(["person", "scale"]).reset_index(drop=True)
    return out.astype(object).where(out.notna(), None)


def test_dask_summary_on_a_local_cluster_equals_the_single_machine_run() -> None:
    distributed = pytest.importorskip("distributed")
    import dask.dataframe as dd

    data = rows()
    single = fs.from_pandas(data).summarize().to_pandas()
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        scaled = summarize_dask(dd.from_pandas(data, npartitions=4)).compute()  # type: ignore[no-untyped-call]
    assert len(scaled) == len(single) == fs.from_pandas(data).n_tracks
    pd.testing.assert_frame_equal(canonical(scaled), canonical(single))
