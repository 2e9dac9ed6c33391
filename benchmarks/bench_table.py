"""Benchmark: validate, score and summarise millions of administrations from arrays.

Simulates ``--n`` ORS administrations (4 items on the 0.1 grid, about four per
person, so about ``n / 4`` tracks, rows shuffled), builds a
``fit_scores.table.ScoreTable`` with ``from_columns`` (validation, exact
scoring, sorting into tracks), summarises it per track and aggregates per
coordinator. The baseline is a straightforward pandas implementation of the
same per-track summary (score the items, then ``groupby().apply()``: sort by
date, intake, latest, change, reliable change, caseness with the age band's
cutoff, category), measured in the same run on the first ``--baseline-n``
rows (without invalid rows). The baseline validates nothing, so the ratio
understates the gain.
"""

from __future__ import annotations

import argparse
import time
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
    return {name: values[order] for name, values in columns.items()}


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000_000, help="rows (default 10 million)")
    parser.add_argument("--baseline-n", type=int, default=100_000, help="rows for pandas")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--bad", type=float, default=0.001, help="share of invalid rows")
    args = parser.parse_args(argv)
    columns = simulate(args.n, args.seed, args.bad)
    warm = simulate(2000, args.seed + 1)
    from_columns(warm).summarize().aggregate()  # warm-up (imports, first calls)

    t0 = time.perf_counter()
    table = from_columns(columns)
    t1 = time.perf_counter()
    summary = table.summarize()
    t2 = time.perf_counter()
    agg = summary.aggregate("coordinator")
    t3 = time.perf_counter()
    build, summarise, aggregate = t1 - t0, t2 - t1, t3 - t2
    fast = build + summarise

    import pandas as pd

    sub_n = min(args.baseline_n, args.n)
    clean = simulate(sub_n, args.seed)
    sub = {name: values[:sub_n] for name, values in clean.items()}
    df = pd.DataFrame(sub)
    t0 = time.perf_counter()
    baseline = pandas_summary(df)
    slow = time.perf_counter() - t0
    sub_table = from_columns(sub)
    t0 = time.perf_counter()
    sub_summary = from_columns(sub).summarize()
    sub_fast = time.perf_counter() - t0
    agree = len(baseline) == len(sub_summary) == sub_table.n_tracks

    print(f"fit_scores {fs.__version__}: {args.n:,} rows, {table.n_tracks:,} tracks")
    print(
        f"  valid {table.n_valid:,}, rejected {table.n_rejected:,} "
        f"({len(table.errors):,} errors listed)"
    )
    print(f"  from_columns (validate, score, sort)   {build:8.2f} s")
    print(f"  summarize                              {summarise:8.2f} s")
    print(f"  validate + score + summarise           {fast:8.2f} s  {args.n / fast:14,.0f} rows/s")
    print(f"  aggregate by coordinator ({len(agg)} groups)  {aggregate:8.2f} s")
    print(f"pandas groupby().apply() baseline on {sub_n:,} rows")
    print(f"  pandas                                 {slow:8.2f} s  {sub_n / slow:14,.0f} rows/s")
    print(f"  fit_scores on the same rows            {sub_fast:8.2f} s")
    ratio = (args.n / fast) / (sub_n / slow)
    print(f"  ratio (throughput, all rows vs pandas)   {ratio:8.1f}x")
    print(f"  ratio (same {sub_n:,} rows)               {slow / sub_fast:8.1f}x")
    print(f"  track counts agree: {agree}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
