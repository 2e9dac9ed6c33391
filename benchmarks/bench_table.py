"""Benchmark: validate, score and summarise millions of administrations from arrays.

Simulates ``--n`` ORS administrations (4 items on the 0.1 grid, about four per
person, so about ``n / 4`` tracks, rows shuffled, a share ``--bad`` of them
invalid), builds a ``fit_scores.table.ScoreTable`` with ``from_columns``
(validation, exact scoring, sorting into tracks) and summarises it per track.

The headline baseline is idiomatic vectorised pandas on the same rows in the
same run (:func:`pandas_vectorised`: score the items, sort, ``groupby().agg``
first/last/size, ``np.select`` for the category; it validates nothing), from a
DataFrame built beforehand (not timed). Both are run ``--repeat`` times,
alternately, and the best times are compared: the ratio ``pandas / fit_scores``
is 1 or more when fit_scores is at least as fast. The older baseline, a
``groupby().apply()`` of the same summary, is measured on the first
``--baseline-n`` rows (0: skip it).

Peak memory: a fresh child process loads ``--memory-n`` simulated rows (saved
as ``.npy`` files, so that no simulation temporaries count) and builds and
summarises the table; its peak resident set size (input columns and
interpreter included) is reported in total and per row (0: skip it). A second
child drops the input columns once the table is built (the table does not
refer to them), as a pipeline short of memory would.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

import fit_scores as fs
from fit_scores.table import from_columns

ITEMS = ("item_1", "item_2", "item_3", "item_4")


def simulate(n: int, seed: int, bad: float = 0.0) -> dict[str, np.ndarray[Any, Any]]:
    """``n`` ORS administrations of about ``n / 4`` people, in random order.

    A share ``bad`` of the rows gets an item outside the range or a missing date.
    """
    rng = np.random.default_rng(seed)
    n_people = max(n // 4, 1)
    person = np.sort(rng.integers(0, n_people, n))
    first = np.flatnonzero(np.r_[True, person[1:] != person[:-1]])
    counts = np.diff(np.r_[first, n])
    position = np.arange(n) - np.repeat(first, counts)
    start = np.datetime64("2020-01-01") + rng.integers(0, 5 * 365, n_people)
    date = start[person] + (position * 14 + rng.integers(0, 7, n)).astype("timedelta64[D]")
    level = rng.normal(4.8, 1.8, n_people)[person]
    gain = rng.normal(0.25, 0.35, n_people)[person] * np.log1p(position)
    columns: dict[str, np.ndarray[Any, Any]] = {
        "person": person,
        "scale": np.full(n, "ORS"),
        "date": date,
        "session": position + 1,
        "age": rng.integers(13, 80, n_people)[person],
        "coordinator": rng.integers(0, 400, n_people)[person],
    }
    for item in ITEMS:
        score = level + gain + rng.normal(0.0, 1.2, n)
        columns[item] = np.clip(np.round(score, 1), 0.0, 10.0)
    broken = np.flatnonzero(rng.random(n) < bad)
    columns["item_3"][broken[::2]] = 10.5
    columns["date"][broken[1::2]] = np.datetime64("NaT")
    order = rng.permutation(n)
    for name in list(columns):  # one column at a time: no second copy of the input
        columns[name] = columns[name][order]
    return columns


def pandas_summary(df: Any) -> Any:
    """The same per-track summary with pandas ``groupby().apply()`` (the baseline)."""
    import pandas as pd

    df = df.assign(total=(df[list(ITEMS)].sum(axis=1) * 10).round() / 10)

    def cutoff(age: int) -> float:
        return 28.0 if age < 18 else 25.0

    def one(g: Any) -> Any:
        g = g.sort_values(["date", "session"])
        first, last = g.iloc[0], g.iloc[-1]
        change = last["total"] - first["total"]
        reliable = len(g) > 1 and abs(change) >= 5.0
        clinical_pre = first["total"] < cutoff(first["age"])
        clinical_post = last["total"] < cutoff(last["age"])
        if reliable and change > 0 and clinical_pre and not clinical_post:
            category = "recovered"
        elif reliable and change < 0 and not clinical_pre and clinical_post:
            category = "harmed"
        elif reliable:
            category = "improved" if change > 0 else "deteriorated"
        else:
            category = "unchanged"
        return pd.Series(
            {
                "n": len(g),
                "first_date": first["date"],
                "latest_date": last["date"],
                "days": (last["date"] - first["date"]).days,
                "intake": first["total"],
                "latest": last["total"],
                "change": change if len(g) > 1 else None,
                "reliable": reliable,
                "clinical_intake": clinical_pre,
                "clinical_latest": clinical_post,
                "category": category,
            }
        )

    return df.groupby(["person", "scale"], sort=True).apply(one, include_groups=False)


def pandas_vectorised(df: Any) -> Any:
    """The same per-track summary as idiomatic vectorised pandas (the baseline).

    Score the items, sort once, ``groupby().agg`` first/last/size, then the
    reliable change, caseness with the age band's cutoff and the category with
    ``np.select``. It validates nothing.
    """
    total = (df[list(ITEMS)].sum(axis=1) * 10).round() / 10
    d = df.assign(total=total).sort_values(["person", "scale", "date", "session"])
    g = d.groupby(["person", "scale"], sort=False)
    out = g.agg(
        n=("total", "size"),
        first_date=("date", "first"),
        latest_date=("date", "last"),
        intake=("total", "first"),
        latest=("total", "last"),
        age_intake=("age", "first"),
        age_latest=("age", "last"),
    )
    change = out["latest"] - out["intake"]
    reliable = (out["n"] > 1) & (change.abs() >= 5.0)
    clinical_pre = out["intake"] < np.where(out["age_intake"] < 18, 28.0, 25.0)
    clinical_post = out["latest"] < np.where(out["age_latest"] < 18, 28.0, 25.0)
    category = np.select(
        [
            reliable & (change > 0) & clinical_pre & ~clinical_post,
            reliable & (change < 0) & ~clinical_pre & clinical_post,
            reliable & (change > 0),
            reliable & (change < 0),
        ],
        ["recovered", "harmed", "improved", "deteriorated"],
        default="unchanged",
    )
    return out.assign(
        days=(out["latest_date"] - out["first_date"]).dt.days,
        change=change.where(out["n"] > 1),
        reliable=reliable,
        clinical_intake=clinical_pre,
        clinical_latest=clinical_post,
        category=category,
    )


def _peak_rss() -> int:
    """Peak resident set size of this process so far, in bytes.

    On Linux ``VmHWM`` of ``/proc/self/status``: ``ru_maxrss`` of a child
    process also counts the parent's resident set at the fork.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        status = ""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) if sys.platform == "darwin" else int(peak) * 1024


def _memory_child(folder: str, release: bool) -> int:
    """In a fresh process: load the columns, build and summarise; print the peaks as JSON.

    With ``release`` the input columns are dropped once the table is built
    (the table holds no reference to them), as a pipeline short of memory would.
    """
    names = json.loads((Path(folder) / "names.json").read_text())
    columns = {name: np.load(Path(folder) / f"{i}.npy") for i, name in enumerate(names)}
    n = int(next(iter(columns.values())).shape[0])
    input_bytes = int(sum(v.nbytes for v in columns.values()))
    loaded = _peak_rss()
    t0 = time.perf_counter()
    table = from_columns(columns, group_columns=["coordinator"])
    built = _peak_rss()
    if release:
        del columns
    summary = table.summarize()
    seconds = time.perf_counter() - t0
    report = {
        "n": n,
        "input_bytes": input_bytes,
        "loaded": loaded,
        "built": built,
        "peak": _peak_rss(),
        "tracks": len(summary),
        "seconds": seconds,
    }
    print(json.dumps(report))
    return 0


def measure_memory(n: int, seed: int, bad: float) -> list[dict[str, Any]]:
    """Peak RSS of building and summarising ``n`` simulated rows, in fresh processes.

    Two runs: the input columns kept to the end, and released once the table is built.
    """
    columns = simulate(n, seed, bad)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench_table_") as folder:
        names = list(columns)
        for i, name in enumerate(names):
            np.save(Path(folder) / f"{i}.npy", columns.pop(name))
        (Path(folder) / "names.json").write_text(json.dumps(names))
        del columns
        env = dict(os.environ)
        src = str(Path(fs.__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
        for mode in ("keep", "release"):
            done = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), f"--memory-{mode}", folder],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2_000_000, help="rows (default 2 million)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (best counts)")
    parser.add_argument(
        "--baseline-n", type=int, default=50_000, help="rows for groupby().apply() (0: skip)"
    )
    parser.add_argument(
        "--memory-n",
        type=int,
        default=None,
        help="rows of the peak-memory run (default --n; 0: skip)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--bad", type=float, default=0.001, help="share of invalid rows")
    parser.add_argument("--memory-keep", help=argparse.SUPPRESS)
    parser.add_argument("--memory-release", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_keep or args.memory_release:
        return _memory_child(args.memory_keep or args.memory_release, not args.memory_keep)
    import pandas as pd

    columns = simulate(args.n, args.seed, args.bad)
    warm = simulate(2000, args.seed + 1)
    from_columns(
        warm, group_columns=["coordinator"]
    ).summarize().aggregate()  # warm-up (imports, first calls)
    pandas_vectorised(pd.DataFrame(warm))
    df = pd.DataFrame(columns)

    builds: list[float] = []
    summaries: list[float] = []
    pandas_times: list[float] = []
    for _ in range(max(args.repeat, 1)):
        t0 = time.perf_counter()
        table = from_columns(columns, group_columns=["coordinator"])
        t1 = time.perf_counter()
        summary = table.summarize()
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        summaries.append(t2 - t1)
        del table, summary
        t0 = time.perf_counter()
        vectorised = pandas_vectorised(df)
        pandas_times.append(time.perf_counter() - t0)
        del vectorised
    table = from_columns(columns, group_columns=["coordinator"])
    summary = table.summarize()
    t0 = time.perf_counter()
    agg = summary.aggregate("coordinator")
    aggregate = time.perf_counter() - t0
    totals = [b + s for b, s in zip(builds, summaries, strict=True)]
    fast, slow = min(totals), min(pandas_times)

    print(f"fit_scores {fs.__version__}: {args.n:,} rows, {table.n_tracks:,} tracks")
    print(
        f"  valid {table.n_valid:,}, rejected {table.n_rejected:,} "
        f"({len(table.errors):,} errors listed)"
    )
    print(f"  from_columns (validate, score, sort)   {min(builds):8.2f} s")
    print(f"  summarize                              {min(summaries):8.2f} s")
    print(f"  validate + score + summarise           {fast:8.2f} s  {args.n / fast:14,.0f} rows/s")
    print(f"  aggregate by coordinator ({len(agg)} groups)  {aggregate:8.2f} s")
    print(
        f"vectorised pandas baseline (sort, groupby().agg, np.select) on the same {args.n:,} rows"
    )
    print(f"  pandas                                 {slow:8.2f} s  {args.n / slow:14,.0f} rows/s")
    print(f"  runs (fit_scores)  {' '.join(f'{t:.2f}' for t in totals)} s")
    print(f"  runs (pandas)      {' '.join(f'{t:.2f}' for t in pandas_times)} s")
    best = f"best of {len(totals)}"
    print(f"  ratio pandas / fit_scores ({best})    {slow / fast:8.2f}x  (>= 1: target met)")
    med = float(np.median(pandas_times)) / float(np.median(totals))
    print(f"  ratio of the medians                   {med:8.2f}x")

    if args.baseline_n > 0:
        sub_n = min(args.baseline_n, args.n)
        sub = simulate(sub_n, args.seed)  # without invalid rows: apply() validates nothing
        sub_df = pd.DataFrame(sub)
        t0 = time.perf_counter()
        baseline = pandas_summary(sub_df)
        apply_time = time.perf_counter() - t0
        t0 = time.perf_counter()
        sub_summary = from_columns(sub, group_columns=["coordinator"]).summarize()
        sub_fast = time.perf_counter() - t0
        print(f"pandas groupby().apply() baseline on {sub_n:,} valid rows")
        print(f"  pandas apply                           {apply_time:8.2f} s")
        print(f"  fit_scores on the same rows            {sub_fast:8.2f} s")
        print(f"  ratio (same rows)                      {apply_time / sub_fast:8.1f}x")
        print(f"  track counts agree: {len(baseline) == len(sub_summary)}")

    memory_n = args.n if args.memory_n is None else args.memory_n
    if memory_n > 0:
        del table, summary, df, columns
        kept, released = measure_memory(memory_n, args.seed, args.bad)
        n_mem = kept["n"]
        print(f"peak memory: {n_mem:,} rows from arrays in a fresh process (peak RSS)")

        def line(label: str, size: float) -> None:
            print(f"  {label:<37}  {size / 1e6:8.0f} MB  {size / n_mem:6.0f} B/row")

        line("input columns", kept["input_bytes"])
        line("after loading the input", kept["loaded"])
        line("after from_columns", kept["built"])
        line("after summarize (the peak)", kept["peak"])
        line("peak above the loaded input", kept["peak"] - kept["loaded"])
        line("peak, input released after the build", released["peak"])
        print(f"  build + summarise in the child         {kept['seconds']:8.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
