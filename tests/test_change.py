from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fit_scores import change as ch
from fit_scores import group as gr
from fit_scores._core import change as k
from fit_scores.change.group import group_anchor_category
from tests._reference import number, read_csv


def test_jt_1991_cutoffs_from_the_package_tests() -> None:
    # domain reference 3.4: clinical 40 (7.5), functional 60 (7.5)
    for direction, expected in ((1, (55.0, 45.0, 50.0)), (-1, (25.0, 75.0, 50.0))):
        got = tuple(
            k.cutoff_value(
                t,
                "JT",
                direction=direction,
                m_clinical=40,
                sd_clinical=7.5,
                m_functional=60,
                sd_functional=7.5,
                reliability=None,
                b_uses="functional",
            )
            for t in ("a", "b", "c")
        )
        assert got == pytest.approx(expected)


def test_ha_cutoffs_bauer_example() -> None:
    kw = {
        "m_clinical": 68.35,
        "sd_clinical": 22.33,
        "m_functional": 50.0,
        "sd_functional": 22.0,
        "reliability": 0.93,
    }
    # The domain reference derives c = 59.107 taking the functional reliability as .93;
    # the package computes it from the clinical SEM (rf = (Sf^2 - SEM^2) / Sf^2), which the
    # documented HAMD group-level share (75.55 %, test_change_compat) pins down: 59.10.
    assert k.cutoff_value("c", "HA", direction=-1, b_uses="clinical", **kw) == pytest.approx(
        59.1015, abs=1e-4
    )
    assert k.cutoff_value("a", "HA", direction=-1, b_uses="clinical", **kw) == pytest.approx(
        25.281, abs=1e-3
    )
    assert k.cutoff_value("b", "HA", direction=-1, b_uses="clinical", **kw) == pytest.approx(
        93.069, abs=1e-3
    )
    assert k.cutoff_value("b", "HA", direction=-1, b_uses="functional", **kw) == pytest.approx(
        92.432, abs=1e-3
    )


def claus_bdi() -> ch.ChangeData:
    rows = read_csv("claus_2020.csv")
    return ch.ChangeData.from_long(
        [r["id"] for r in rows],
        [int(r["time"]) for r in rows],
        [number(r["bdi"]) for r in rows],
        pre=1,
        post=4,
    )


def test_cutoff_b_default_uses_functional_sd_compat_uses_clinical_sd() -> None:
    data = claus_bdi()
    kw = {
        "higher_is_better": False,
        "cutoff_type": "b",
        "m_functional": 7.69,
        "sd_functional": 7.52,
    }
    compat = ch.cutoff_change(data, mode="compat", **kw)  # type: ignore[arg-type]
    default = ch.cutoff_change(data, **kw)  # type: ignore[arg-type]
    assert compat.cutoff is not None and default.cutoff is not None
    assert round(compat.cutoff.value, 3) == 24.007  # 7.69 + 2 * 8.16
    assert round(default.cutoff.value, 2) == 22.73  # 7.69 + 2 * 7.52 (JT 1991)


def test_supplied_clinical_norms_default_only() -> None:
    t = ch.cutoff_change(
        [20, 30],
        [26, 31],
        higher_is_better=True,
        cutoff_type="c",
        m_functional=28.0,
        sd_functional=6.8,
        m_clinical=19.6,
        sd_clinical=8.7,
    )
    assert t.cutoff is not None and t.cutoff.clinical_norms_from == "supplied"
    assert t.cutoff.value == pytest.approx((8.7 * 28.0 + 6.8 * 19.6) / (8.7 + 6.8))
    with pytest.raises(ch.ChangeInputError, match="compat"):
        ch.cutoff_change(
            [20, 30],
            [26, 31],
            higher_is_better=True,
            cutoff_type="c",
            mode="compat",
            m_functional=28.0,
            sd_functional=6.8,
            m_clinical=19.6,
            sd_clinical=8.7,
        )


def test_boundary_at_the_cutoff_default_versus_compat() -> None:
    # With m_functional equal to the sample's pre mean, cutoff c is that mean (20) in
    # both modes. pre = post = cutoff: the package calls it deteriorated; fit_scores
    # puts the cutoff score in the functional range, so nothing happened.
    pre, post = [10.0, 20.0, 30.0], [15.0, 20.0, 35.0]
    kw = {"higher_is_better": True, "cutoff_type": "c", "m_functional": 20.0, "sd_functional": 5.0}
    compat = ch.cutoff_change(pre, post, mode="compat", **kw)  # type: ignore[arg-type]
    default = ch.cutoff_change(pre, post, **kw)  # type: ignore[arg-type]
    assert compat.cutoff is not None and compat.cutoff.value == 20.0
    assert compat.category[1] == "deteriorated"
    assert default.category[1] == "unchanged"
    clinical = ch.cutoff_change(pre, post, at_cutoff="clinical", **kw)  # type: ignore[arg-type]
    assert clinical.clinical_pre is not None and bool(clinical.clinical_pre[1])


def test_strict_and_inclusive_comparison_at_the_critical_value() -> None:
    pre, post = [10.0, 20.0, 15.0, 5.0], [16.0, 20.0, 15.0, 5.0]
    first = ch.reliable_change(pre, post, higher_is_better=True, reliability=0.8)
    assert first.rci is not None
    z = float(first.rci[0])  # a critical value exactly at person 0's RCI
    strict = ch.reliable_change(pre, post, higher_is_better=True, reliability=0.8, critical_value=z)
    inclusive = ch.reliable_change(
        pre, post, higher_is_better=True, reliability=0.8, critical_value=z, comparison="inclusive"
    )
    assert strict.category[0] == "unchanged"
    assert inclusive.category[0] == "improved"
    with pytest.raises(ch.ChangeInputError, match="strict"):
        ch.reliable_change(
            pre, post, higher_is_better=True, reliability=0.8, comparison="inclusive", mode="compat"
        )


def test_non_reliable_recovery_label() -> None:
    t = ch.clinical_significance(
        [15, 24, 26],
        [27, 27, 32],
        higher_is_better=True,
        reliability=0.93,
        m_functional=28.0,
        sd_functional=6.8,
        m_clinical=19.6,
        sd_clinical=8.7,
        non_reliable_recovery=True,
    )
    assert t.category.tolist() == ["recovered", "non_reliably_recovered", "improved"]
    assert "non_reliably_recovered" in t.categories
    with pytest.raises(ch.ChangeInputError, match="no non-reliably-recovered"):
        ch.clinical_significance(
            [15, 24, 26],
            [27, 27, 32],
            higher_is_better=True,
            reliability=0.93,
            non_reliable_recovery=True,
            mode="compat",
        )


def test_complete_case_counts_and_excluded_ids() -> None:
    t = ch.reliable_change(
        ch.ChangeData.from_wide(
            [20, None, 18, 25], [26, 30, float("nan"), 20], ids=["a", "b", "c", "d"]
        ),
        higher_is_better=True,
        reliability=0.9,
    )
    assert (t.n_original, t.n_used) == (4, 2)
    assert t.ids.tolist() == ["a", "d"]


def test_percentage_pre_zero_rule() -> None:
    pre, post = [0.0, 0.0, 10.0], [3.0, 0.0, 4.0]
    default = ch.percentage_change(pre, post, higher_is_better=False, improvement=0.5)
    compat = ch.percentage_change(pre, post, higher_is_better=False, improvement=0.5, mode="compat")
    assert default.category.tolist() == ["deteriorated", "unchanged", "improved"]
    assert compat.category.tolist() == ["improved", "unchanged", "improved"]


def test_nk_combined_compat_needs_post_reliability() -> None:
    with pytest.raises(ch.ChangeInputError, match="reliability_post"):
        ch.clinical_significance(
            [10, 20, 30],
            [12, 18, 20],
            higher_is_better=False,
            reliability=0.8,
            method="NK",
            mode="compat",
        )
    t = ch.reliable_change(
        [10, 20, 30],
        [12, 18, 20],
        higher_is_better=False,
        reliability=0.8,
        method="NK",
        mode="compat",
    )
    assert t.n_used == 3


def test_wilson_interval_matches_statsmodels() -> None:
    from statsmodels.stats.proportion import proportion_confint

    for count, n in ((0, 10), (3, 10), (10, 10), (26, 40), (1, 1000)):
        lo, hi = k.wilson_interval(count, n)
        ref = proportion_confint(count, n, alpha=0.05, method="wilson")
        assert (float(lo), float(hi)) == pytest.approx(ref, abs=1e-12)


def test_summary_with_groups_and_to_pandas() -> None:
    t = ch.anchor_change(
        [20, 20, 20, 20, 20], [28, 21, 12, 30, 19], higher_is_better=True, mid_improvement=7
    )
    t = ch.anchor_change(
        ch.ChangeData.from_wide(t.pre, t.post, group=["A", "A", "B", "B", "B"]),
        higher_is_better=True,
        mid_improvement=7,
    )
    s = t.summary(by_group=True)
    rows = {(r.group, r.category): r for r in s.rows}
    assert rows[("B", "improved")].n == 1 and rows[("B", "improved")].percent == pytest.approx(0.2)
    assert rows[("B", "improved")].percent_by_group == pytest.approx(1 / 3)
    total = t.summary()
    assert [r.n for r in total.rows] == [2, 2, 1]
    df = t.to_pandas()
    assert list(df.columns) == ["id", "pre", "post", "change", "group", "category"]
    assert t.to_records()[2]["category"] == "deteriorated"
    assert s.to_pandas().shape == (6, 7)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: ch.reliable_change(["1", "2"], [3, 4], higher_is_better=True, reliability=0.8),
            "pre: expected numbers",
        ),
        (
            lambda: ch.reliable_change([1, 2, 3], [3, 4], higher_is_better=True, reliability=0.8),
            "pre has 3 values but post has 2",
        ),
        (
            lambda: ch.reliable_change(
                [1, float("inf")], [3, 4], higher_is_better=True, reliability=0.8
            ),
            "pre: row 1 is infinite",
        ),
        (lambda: ch.reliable_change([1, 2], [3, 4], higher_is_better=True), "needs reliability="),
        (
            lambda: ch.reliable_change([1, 2], [3, 4], higher_is_better=True, reliability=1.2),
            "reliability must be a number in (0, 1)",
        ),
        (
            lambda: ch.reliable_change(
                [1, 2],
                [3, 4],
                higher_is_better=True,
                reliability=0.8,
                method="XX",  # type: ignore[arg-type]
            ),
            "method must be one of",
        ),
        (
            lambda: ch.reliable_change([1, 2], [3, 4], higher_is_better=True, method="HLM"),
            "needs long data",
        ),
        (
            lambda: ch.reliable_change(
                [1, 2],
                [3, 4],
                higher_is_better="yes",  # type: ignore[arg-type]
                reliability=0.8,
            ),
            "higher_is_better must be True or False",
        ),
        (
            lambda: ch.reliable_change([1], [3], higher_is_better=True, reliability=0.8),
            "at least 2 are needed",
        ),
        (
            lambda: ch.reliable_change(
                [1, 2],
                [3, 4],
                higher_is_better=True,
                reliability=0.8,
                mode="r",  # type: ignore[arg-type]
            ),
            "mode must be",
        ),
        (
            lambda: ch.cutoff_change([1, 2], [3, 4], higher_is_better=True, cutoff_type="c"),
            "needs m_functional= and sd_functional=",
        ),
        (
            lambda: ch.cutoff_change([1, 2], [3, 4], higher_is_better=True, cutoff_method="HA"),
            "cutoffs need reliability=",
        ),
        (
            lambda: ch.percentage_change([1, 2], [3, 4], higher_is_better=True, improvement=1.5),
            "improvement must be in [0, 1]",
        ),
        (
            lambda: ch.anchor_change([1, 2], [3, 4], higher_is_better=True, mid_improvement=0),
            "must be positive",
        ),
        (lambda: ch.ChangeData.from_long([1, 1, 2], [1, 2, 3], [5, 6, 7]), "give pre= and post="),
        (
            lambda: ch.ChangeData.from_long([1, 1, 1], [1, 1, 2], [5, 6, 7]),
            "a second row for id 1 at time 1",
        ),
        (
            lambda: ch.ChangeData.from_long([1, 1], [1, 2], [5, 6], pre=1, post=5),
            "post=5 is not one of the times",
        ),
    ],
)
def test_change_input_errors(call: object, message: str) -> None:
    with pytest.raises(ch.ChangeInputError) as info:
        call()  # type: ignore[operator]
    assert message in str(info.value)


def test_effect_size_formulas() -> None:
    pre = np.array([18, 20, 15, 22, 19, 17.0])
    post = np.array([24, 25, 18, 27, 23, 20.0])
    es = gr.effect_size(pre, post, hedges=False)
    d = (post - pre).mean() / pre.std(ddof=1)
    r = np.corrcoef(pre, post)[0, 1]
    var = 2 * (1 - r) / 6 + d**2 / (2 * 5)
    assert es.estimate == pytest.approx(d)
    assert es.confidence_interval() == pytest.approx(
        (d - 1.959964 * math.sqrt(var), d + 1.959964 * math.sqrt(var)), rel=1e-6
    )
    g = gr.effect_size(pre, post)
    assert g.estimate == pytest.approx(d * (1 - 3 / (4 * 5 - 1)))
    ref = gr.effect_size(pre, post, reference_sd=6.8, hedges=False)
    assert ref.estimate == pytest.approx((post - pre).mean() / 6.8)
    assert ref.standardiser == "reference_sd"


def test_effect_size_interval_covers_the_truth_about_95_percent() -> None:
    rng = np.random.default_rng(20261123)
    n, reps, delta = 60, 400, 0.5
    pre = rng.normal(20, 5, size=(reps, n))
    post = pre * 0.5 + rng.normal(20 * 0.5 + delta * 5, 5 * math.sqrt(1 - 0.25), size=(reps, n))
    hits = 0
    for i in range(reps):
        es = gr.effect_size(pre[i], post[i])
        hits += es.ci_low <= delta <= es.ci_high
    assert 0.91 <= hits / reps <= 0.985


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), min_size=3, max_size=40))
def test_categories_partition_the_people(pairs: list[tuple[int, int]]) -> None:
    pre = np.array([p for p, _ in pairs], dtype=float) / 10
    post = np.array([q for _, q in pairs], dtype=float) / 10
    if np.std(pre) == 0:
        return
    t = ch.clinical_significance(
        pre,
        post,
        higher_is_better=True,
        reliability=0.85,
        m_functional=28.0,
        sd_functional=6.8,
        cutoff_type="c",
    )
    counts = t.counts()
    assert sum(counts.values()) == t.n_used == len(pairs)
    assert set(t.category.tolist()) <= set(t.categories)


def test_anchor_group_frequentist_matches_scipy() -> None:
    from scipy import stats

    rng = np.random.default_rng(7)
    pre = rng.normal(30, 6, 30)
    post = pre - rng.normal(6, 5, 30)
    group = np.array(["A"] * 14 + ["B"] * 16, dtype=object)
    data = ch.ChangeData.from_wide(pre, post, group=group)
    within = gr.anchor_group(data, higher_is_better=False, mid_improvement=5, bayesian=False)
    for r in within:
        diff = (post - pre)[group == r.group]
        ci = stats.ttest_1samp(diff, 0).confidence_interval(0.95)
        assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high))
    (between,) = gr.anchor_group(
        data, higher_is_better=False, mid_improvement=5, effect="between", bayesian=False
    )
    welch = stats.ttest_ind(post[group == "B"], post[group == "A"], equal_var=False)
    ci = welch.confidence_interval(0.95)
    assert (between.ci_low, between.ci_high) == pytest.approx((ci.low, ci.high))


@pytest.mark.parametrize(
    ("estimate", "lo", "hi", "direction", "compat", "expected"),
    [
        (-4.0, -9.0, 0.5, -1, False, "Statistically not significant"),
        (-3.0, -5.0, -1.0, -1, False, "Statistically significant but not clinically relevant"),
        (-5.0, -9.0, -1.0, -1, False, "Not significantly less than the threshold"),
        (-8.0, -12.0, -3.0, -1, False, "Probably clinically significant effect"),
        (-12.0, -15.0, -8.0, -1, False, "Large clinically significant effect"),
        (4.0, -1.0, 6.0, 1, False, "Statistically not significant"),
        (5.0, 1.0, 9.0, 1, False, "Not significantly greater than the threshold"),
        (4.0, -1.0, 6.0, 1, True, None),  # the package's gap with higher is better
    ],
)
def test_group_anchor_labels(
    estimate: float, lo: float, hi: float, direction: int, compat: bool, expected: str | None
) -> None:
    got = group_anchor_category(estimate, lo, hi, direction=direction, mid=7, compat=compat)
    assert got == expected


def test_to_models_for_services() -> None:
    t = ch.clinical_significance(
        ch.ChangeData.from_wide(
            [15, 24, 26], [27, 27, 32], ids=["x", "y", "z"], group=["A", "B", "A"]
        ),
        higher_is_better=True,
        reliability=0.93,
        m_functional=28.0,
        sd_functional=6.8,
        m_clinical=19.6,
        sd_clinical=8.7,
    )
    models = t.to_models()
    assert [(m.id, m.group, m.category) for m in models] == [
        ("x", "A", "recovered"),
        ("y", "B", "unchanged"),
        ("z", "A", "improved"),
    ]
    assert models[0].clinical_pre is True and models[0].rci is not None
    assert type(models[0]).model_validate_json(models[0].model_dump_json()) == models[0]
