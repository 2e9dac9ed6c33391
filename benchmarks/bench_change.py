"""Benchmark: classify pre/post pairs with every reliable-change method.

Reports the throughput of the vectorised kernels (``fit_scores.reliable_change``
on ``--n`` pairs; HLM on ``--n`` long rows, 4 waves per person) and the ratio
against a plain per-row Python implementation of the same rule, measured in the
same run on a subsample (``--baseline-n`` pairs).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time

import numpy as np

import fit_scores as fs
from fit_scores.change import Method

METHODS: tuple[Method, ...] = ("JT", "GLN", "HLL", "EN", "NK", "HA")


def python_rci(method: str, pre: list[float], post: list[float], r: float) -> list[str]:
    """The same rules, one row at a time, in plain Python (the baseline)."""
    m1, s1 = statistics.fmean(pre), statistics.stdev(pre)
    m2, s2 = statistics.fmean(post), statistics.stdev(post)
    sem = s1 * math.sqrt(1 - r)
    s_diff = math.sqrt(2) * sem
    sep = s1 * math.sqrt(1 - r * r)
    cor = statistics.correlation(pre, post)
    rxx1, rxx2 = (s1**2 - sem**2) / s1**2, (s2**2 - sem**2) / s2**2
    rdd = (s1**2 * rxx1 + s2**2 * rxx2 - 2 * s1 * s2 * cor) / (s1**2 + s2**2 - 2 * s1 * s2 * cor)
    z = 1.6448536269514722 if method == "HA" else 1.959963984540054
    out = []
    for x1, x2 in zip(pre, post, strict=True):
        if method == "JT":
            rci = (x2 - x1) / s_diff
        elif method == "GLN":
            rci = ((x2 - m1) - r * (x1 - m1)) / sep
        elif method == "HLL":
            rci = ((x2 - m2) - r * (x1 - m1)) / sep
        elif method == "EN":
            rci = (x2 - (r * (x1 - m1) + m1)) / sem
        elif method == "NK":
            rci = (x2 - (r * (x1 - m1) + m1)) / math.sqrt(r * r * s1**2 * (1 - r) + s1**2 * (1 - r))
        else:
            rci = ((x2 - x1) * rdd + (m2 - m1) * (1 - rdd)) / (math.sqrt(rdd) * s_diff)
        out.append("improved" if rci > z else "deteriorated" if rci < -z else "unchanged")
    return out


def simulate(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pre = np.clip(np.round(rng.normal(19.6, 8.7, n), 1), 0, 40)
    post = np.clip(np.round(pre + rng.normal(4.0, 6.0, n), 1), 0, 40)
    return pre, post


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000_000, help="pairs (default 10 million)")
    parser.add_argument("--baseline-n", type=int, default=100_000, help="pairs for the baseline")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    pre, post = simulate(args.n, args.seed)
    sub_n = min(args.baseline_n, args.n)
    sub_pre, sub_post = pre[:sub_n].tolist(), post[:sub_n].tolist()
    fs.reliable_change(pre[:10], post[:10], higher_is_better=True, reliability=0.8)  # warm-up
    print(f"fit_scores {fs.__version__}: {args.n:,} pairs; baseline on {sub_n:,} pairs")
    print(f"{'method':<6} {'seconds':>9} {'pairs/s':>14} {'python pairs/s':>15} {'ratio':>8}")
    for method in METHODS:
        t0 = time.perf_counter()
        table = fs.reliable_change(pre, post, higher_is_better=True, reliability=0.8, method=method)
        fast = time.perf_counter() - t0
        t0 = time.perf_counter()
        slow_labels = python_rci(method, sub_pre, sub_post, 0.8)
        slow = time.perf_counter() - t0
        sub = fs.reliable_change(
            pre[:sub_n], post[:sub_n], higher_is_better=True, reliability=0.8, method=method
        )
        if sub.category.tolist() != slow_labels:
            print(f"{method}: the baseline disagrees with the kernels", file=sys.stderr)
            return 1
        rate, base_rate = args.n / fast, sub_n / slow
        print(
            f"{method:<6} {fast:>9.3f} {rate:>14,.0f} {base_rate:>15,.0f} {rate / base_rate:>8.1f}"
        )
        del table
    # HLM: long data, 4 waves per person, about --n rows
    people = max(args.n // 4, 10)
    rng = np.random.default_rng(args.seed)
    slope = rng.normal(1.0, 0.8, people)
    base = rng.normal(19.6, 6.0, people)
    t = np.tile(np.arange(1.0, 5.0), people)
    y = np.repeat(base, 4) + np.repeat(slope, 4) * t + rng.normal(0, 2.5, people * 4)
    ids = np.repeat(np.arange(people), 4)
    t0 = time.perf_counter()
    data = fs.ChangeData.from_long(ids, t, y, pre=1.0, post=4.0)
    prep = time.perf_counter() - t0
    t0 = time.perf_counter()
    hlm = fs.reliable_change(data, higher_is_better=True, method="HLM")
    fit = time.perf_counter() - t0
    print(
        f"HLM    {fit:>9.3f} {people * 4 / fit:>14,.0f} rows/s ({people:,} people x 4 waves; "
        f"reshaping took {prep:.2f} s; {hlm.counts()})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
