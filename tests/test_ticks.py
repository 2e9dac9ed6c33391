from __future__ import annotations

from fractions import Fraction

import numpy as np

from fit_scores._core import ticks


def test_to_ticks_reads_binary_noise_as_the_meant_decimal() -> None:
    values = [0.7, 7 * 0.1, 0.1 + 0.2, 8.1, 10.0, 0.0]
    out, ok = ticks.to_ticks(values, 10)
    assert out.tolist() == [7, 7, 3, 81, 100, 0]
    assert ok.all()


def test_to_ticks_rejects_values_off_the_grid() -> None:
    _, ok = ticks.to_ticks([8.15, 8.1000001, 8.100000001, 0.05], 10)
    assert ok.tolist() == [False, False, False, False]


def test_score_totals_sum_mean_prorate_and_reverse() -> None:
    item_ticks = np.array([[1, 2, 3, 4], [4, 4, 4, 1]], dtype=np.int64)
    answered = np.array([[True, True, True, True], [True, True, True, False]])
    none = np.zeros(4, dtype=bool)
    num, den = ticks.score_totals(
        item_ticks, answered, item_min=1, item_max=4, reverse=none, scoring="sum", prorate=False
    )
    assert (num.tolist(), den.tolist()) == ([10, 12], [1, 1])
    num, den = ticks.score_totals(
        item_ticks, answered, item_min=1, item_max=4, reverse=none, scoring="sum", prorate=True
    )
    assert (num.tolist(), den.tolist()) == ([10, 16], [1, 1])  # 12 * 4 / 3 = 16
    num, den = ticks.score_totals(
        item_ticks, answered, item_min=1, item_max=4, reverse=none, scoring="mean", prorate=False
    )
    assert [Fraction(n, d) for n, d in zip(num, den, strict=True)] == [Fraction(5, 2), Fraction(4)]
    reverse = np.array([False, False, False, True])
    num, den = ticks.score_totals(
        item_ticks, answered, item_min=1, item_max=4, reverse=reverse, scoring="sum", prorate=False
    )
    assert num.tolist() == [1 + 2 + 3 + 1, 12]  # 4 reversed on 1-4 is 1; unanswered ignored


def test_is_clinical_boundary_conventions_and_direction() -> None:
    totals = [249, 250, 251]
    assert ticks.is_clinical(
        totals, 1, 250, 1, higher_is_better=True, at_cutoff_clinical=False
    ).tolist() == [True, False, False]
    assert ticks.is_clinical(
        totals, 1, 250, 1, higher_is_better=True, at_cutoff_clinical=True
    ).tolist() == [True, True, False]
    assert ticks.is_clinical(
        totals, 1, 250, 1, higher_is_better=False, at_cutoff_clinical=False
    ).tolist() == [False, False, True]


def test_compare_fractions_is_exact_where_floats_are_not() -> None:
    # 1/3 of 75 ticks vs 25 ticks: exactly equal, no float involved
    assert ticks.compare_fractions(75, 3, 25, 1).tolist() == 0
    assert ticks.compare_fractions(76, 3, 25, 1).tolist() == 1


def test_threshold_ticks_snaps_only_within_tolerance() -> None:
    assert ticks.threshold_ticks(25, 10) == 250
    assert ticks.threshold_ticks(4.999999999999999, 10) == 50
    computed = 1.96 * 6.8 * (2 * (1 - 0.93)) ** 0.5
    approx = ticks.threshold_ticks(computed, 10)
    assert approx.denominator <= 10**6
    assert abs(approx - Fraction(repr(computed)) * 10) < Fraction(1, 10**11)
    assert 49 < ticks.threshold_ticks(computed, 10) < 50


def test_meets_threshold_inclusive_and_strict() -> None:
    assert ticks.meets_threshold([49, 50, -50, 51], 1, 50, 1, inclusive=True).tolist() == [
        False,
        True,
        True,
        True,
    ]
    assert ticks.meets_threshold([49, 50, -50, 51], 1, 50, 1, inclusive=False).tolist() == [
        False,
        False,
        False,
        True,
    ]


def test_compare_fractions_does_not_overflow_on_large_operands() -> None:
    big = 2**40
    # (big + 1) / big versus 1: a naive int64 product would overflow
    assert ticks.compare_fractions(big + 1, big, big * 3, big * 3).tolist() == 1
    assert ticks.compare_fractions([big, big - 1], big, 1, 1).tolist() == [0, -1]
