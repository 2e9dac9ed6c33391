"""Benchmark: render a track chart to SVG and PNG.

Reports the median time to build and render ``plot_track`` (with the alliance
panel) for the example family's mother, and the ratio against a bare
matplotlib line plot of the same size built and rendered the same way in the
same run. Target (issue 5): ratio at most 3.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from matplotlib.figure import Figure

import fit_scores as fs
from fit_scores.charts import plot_track, render


def bare(fmt: str) -> bytes:
    fig = Figure(figsize=(6.4, 6.4))
    ax = fig.add_subplot()
    ax.plot([1, 2, 3, 4, 5, 6, 7], [27.4, 24.1, 22.8, 26.0, 28.3, 30.2, 31.5], marker="o")
    return render(fig, format=fmt)  # type: ignore[arg-type]


FAMILY = fs.example_family()  # the data are built once; the chart is built on every call


def ours(fmt: str) -> bytes:
    ors, srs = FAMILY.tracks_of("mor")
    fig = plot_track(ors, alliance=srs, person=FAMILY.member("mor"))
    return render(fig, format=fmt)  # type: ignore[arg-type]


def median_seconds(fn: Callable[[str], bytes], fmt: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(fmt)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    ours("svg"), bare("svg")  # warm-up: fonts, caches
    print(f"{'format':<6} {'track chart s':>14} {'bare plot s':>12} {'ratio':>6}")
    for fmt in ("svg", "png"):
        a = median_seconds(ours, fmt, args.repeats)
        b = median_seconds(bare, fmt, args.repeats)
        print(f"{fmt:<6} {a:>14.4f} {b:>12.4f} {a / b:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
