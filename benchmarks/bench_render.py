"""Benchmark: the conversation track chart to SVG/PNG, and the family report.

Reports the median CPU time (``time.process_time``) to build and render ``plot_track`` (audience
"family", the default) for the example family's mother, with and without the
alliance panel, and the ratio against a bare matplotlib line plot of the same
figure size built and rendered the same way in the same run. Targets (issue
10): the conversation track chart renders to SVG within 3x the bare plot;
the family report of a family of four (:func:`fit_scores.report.family_report`,
chart, verdicts and tables in one HTML page) in under 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

from matplotlib.figure import Figure

import fit_scores as fs
from fit_scores.charts import plot_track, render
from fit_scores.report import family_report

FAMILY = fs.example_family()  # the data are built once; the chart is built on every call
SCORES = [27.4, 24.1, 22.8, 26.0, 28.3, 30.2, 31.5]


def bare(fmt: str, size: tuple[float, float]) -> bytes:
    fig = Figure(figsize=size)
    ax = fig.add_subplot()
    ax.plot(range(1, len(SCORES) + 1), SCORES, marker="o")
    return render(fig, format=fmt)  # type: ignore[arg-type]


def ours(fmt: str, alliance: bool) -> tuple[bytes, tuple[float, float]]:
    ors, srs = FAMILY.tracks_of("mor")
    chart = plot_track(ors, alliance=srs if alliance else None, person=FAMILY.member("mor"))
    fig = chart if isinstance(chart, Figure) else chart.get_figure(root=True)
    assert isinstance(fig, Figure)
    size = (float(fig.get_figwidth()), float(fig.get_figheight()))
    return render(fig, format=fmt), size  # type: ignore[arg-type]


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    """Median CPU time of this process (less disturbed by other processes than wall time)."""
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    ours("svg", True), bare("svg", (6.4, 4.8))  # warm-up: fonts, caches
    print(f"{'chart':<22} {'format':<6} {'ours s':>8} {'bare plot s':>12} {'ratio':>6}")
    for alliance in (False, True):
        name = "track + alliance" if alliance else "track (conversation)"
        for fmt in ("svg", "png"):
            size = ours(fmt, alliance)[1]
            a = median_seconds(lambda: ours(fmt, alliance), args.repeats)  # noqa: B023
            b = median_seconds(lambda: bare(fmt, size), args.repeats)  # noqa: B023
            print(f"{name:<22} {fmt:<6} {a:>8.4f} {b:>12.4f} {a / b:>6.2f}")
    as_of = dt.date(2026, 7, 1)
    family_report(FAMILY, "nb", as_of=as_of)
    seconds = median_seconds(
        lambda: family_report(FAMILY, "nb", as_of=as_of), max(3, args.repeats // 3)
    )
    t0 = time.perf_counter()
    family_report(FAMILY, "nb", as_of=as_of)
    wall = time.perf_counter() - t0
    print(
        f"family report, 4 members (html, inline svg): {seconds:.3f} s CPU, "
        f"{wall:.3f} s wall (target < 2 s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
