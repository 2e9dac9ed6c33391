"""Benchmark: the registry path on Dask (1 and 2 worker processes) against one machine.

Simulates a cohort (``--people`` people with alliance scores, about 26 rows each
with the defaults: a million rows), writes it as a partitioned Parquet dataset
(``--partitions`` files), and times the same work on one machine and on a local
Dask cluster of 1 and of 2 worker processes (one thread each): read and score
every row, the per-track summary, an aggregate by coordinator and the growth
model. It prints the seconds of each step and the overhead of the cluster
(cluster time / single-machine time); the cluster's start-up is timed apart.
No target is set: on one machine of 2 cores the cluster can only add overhead
(a shuffle of every row between processes); the point of the cluster is memory
and machines, and the figures say what it costs.
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import fit_scores as fs
from fit_scores.simulate import simulate_cohort
from fit_scores.trajectories import fit_expected_response


def cohort(n_people: int, seed: int) -> pd.DataFrame:
    sim = simulate_cohort(n_people, seed=seed, with_alliance=True)
    person = sim.person.astype(str)
    codes = np.unique(person, return_inverse=True)[1]
    return pd.DataFrame(
        {
            "person": person,
            "scale": sim.scale.astype(str),
            # the simulated follow-up must end before today (the as_of rule)
            "date": sim.date.astype("datetime64[D]") - np.timedelta64(6 * 365, "D"),
            "session": sim.session,
            "total": sim.total,
            "age": sim.age,
            "coordinator": np.array(["a", "b", "c", "d"], dtype=object)[codes % 4],
        }
    )


def single_machine(data: pd.DataFrame) -> dict[str, float]:
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    table = fs.from_pandas(data, group_columns=["coordinator"])
    times["score"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary = table.summarize()
    summary.aggregate("coordinator")
    times["summary+aggregate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    fit_expected_response(table, "growth", scale="ORS")
    times["growth"] = time.perf_counter() - t0
    return times


def on_cluster(folder: Path, workers: int) -> dict[str, float]:
    from fit_scores.scaleout import fit_expected_response_dask, read_parquet_dask

    distributed: Any = importlib.import_module("distributed")
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    with (
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster),
    ):
        times["start-up"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        table = read_parquet_dask(str(folder), group_columns=["coordinator"])
        n_input, n_valid, n_rejected = table.counts()
        assert n_input == n_valid + n_rejected
        times["score"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        summary = table.summarize()
        summary.aggregate("coordinator")
        times["summary+aggregate"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        fit_expected_response_dask(table, "growth", scale="ORS")
        times["growth"] = time.perf_counter() - t0
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=40_000)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    data = cohort(args.people, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bounds = np.linspace(0, len(data), args.partitions + 1).astype(np.int64)
        for i in range(args.partitions):
            part = data.iloc[bounds[i] : bounds[i + 1]]
            part.to_parquet(folder / f"part-{i:03d}.parquet", index=False)
        print(f"{len(data):,} rows in {args.partitions} Parquet files")
        single = single_machine(data)
        steps = list(single)
        total = sum(single.values())
        print(f"{'':>16}" + "".join(f"{s:>20}" for s in [*steps, "total"]))
        print(f"{'one machine':>16}" + "".join(f"{single[s]:>19.2f}s" for s in steps)
              + f"{total:>19.2f}s")  # fmt: skip
        for workers in args.workers:
            times = on_cluster(folder, workers)
            work = sum(times[s] for s in steps)
            print(f"{f'{workers} worker(s)':>16}" + "".join(f"{times[s]:>19.2f}s" for s in steps)
                  + f"{work:>19.2f}s   (start-up {times['start-up']:.1f} s, "
                  f"overhead x{work / total:.2f})")  # fmt: skip
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
