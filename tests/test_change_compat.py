"""Compatibility mode: every figure the R package clinicalsignificance 3.0.0 documents.

The figures come from ``package_documented_results.json`` (the package's own test
snapshots and vignettes, all on claus_2020); each is reproduced exactly here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from fit_scores import change as ch
from fit_scores import group as gr
from fit_scores.change.group import group_anchor_category
from tests._reference import documented_results, number, read_csv


def claus(outcome: str) -> ch.ChangeData:
    rows = read_csv("claus_2020.csv")
    return ch.ChangeData.from_long(
        [r["id"] for r in rows],
        [int(r["time"]) for r in rows],
        [number(r[outcome]) for r in rows],
        pre=1,
        post=4,
        group=[r["treatment"] for r in rows],
    )


def case(source: str, fn: str, outcome: str) -> dict[str, Any]:
    for c in documented_results()["cases"]:
        call = c.get("call", {})
        if c["from"] == source and call.get("fn") == fn and call.get("outcome") == outcome:
            return dict(c)
    raise LookupError((source, fn, outcome))


def titled(counts: dict[str, int]) -> dict[str, int]:
    return {k.replace("_", " ").title(): v for k, v in counts.items()}


HAMD_DIST: dict[str, dict[str, Any]] = {
    "JT": {"method": "JT"},
    "EN": {"method": "EN"},
    "HLL": {"method": "HLL"},
    "GLN": {"method": "GLN"},
    "NK (reliability_post=0.5)": {"method": "NK", "reliability_post": 0.5},
    "HA": {"method": "HA"},
}


@pytest.mark.parametrize("label", list(HAMD_DIST))
def test_distribution_hamd(label: str) -> None:
    expected = case("tests snapshot cs_distribution", "cs_distribution", "hamd")["results"][label]
    t = ch.reliable_change(
        claus("hamd"), higher_is_better=False, reliability=0.8, mode="compat", **HAMD_DIST[label]
    )
    assert titled(t.counts()) == expected
    assert (t.n_original, t.n_used) == (43, 40)


def test_distribution_hamd_hlm() -> None:
    expected = case("tests snapshot cs_distribution", "cs_distribution", "hamd")["results"]["HLM"]
    t = ch.reliable_change(claus("hamd"), higher_is_better=False, method="HLM", mode="compat")
    assert titled(t.counts()) == expected


@pytest.mark.parametrize("label", [*HAMD_DIST, "HLM (no pre/post; all 4 waves)"])
def test_combined_hamd_cutoff_c(label: str) -> None:
    c = case("tests snapshot cs_combined", "cs_combined", "hamd")
    kwargs = HAMD_DIST.get(label, {"method": "HLM"})
    t = ch.clinical_significance(
        claus("hamd"),
        higher_is_better=False,
        reliability=0.8,
        m_functional=8,
        sd_functional=8,
        cutoff_type="c",
        mode="compat",
        **kwargs,
    )
    assert titled(t.counts()) == c["results"][label]
    if label == "HA":
        assert t.ha_group_level is not None
        assert round(t.ha_group_level["changed"], 4) == c["HA_group_level"]["Changed"]
        assert round(t.ha_group_level["functional"], 4) == c["HA_group_level"]["Functional"]


@pytest.mark.parametrize(
    ("label", "deterioration"),
    [("pct_improvement=0.5", None), ("pct_improvement=0.5, pct_deterioration=0.3", 0.3)],
)
def test_percentage_hamd(label: str, deterioration: float | None) -> None:
    expected = case("tests snapshot cs_percentage", "cs_percentage", "hamd")["results"][label]
    t = ch.percentage_change(
        claus("hamd"),
        higher_is_better=False,
        improvement=0.5,
        deterioration=deterioration,
        mode="compat",
    )
    assert titled(t.counts()) == expected


def test_n_original_and_used() -> None:
    c = next(c for c in documented_results()["cases"] if c["from"] == "tests snapshot cs_get_n")
    t = ch.reliable_change(claus("hamd"), higher_is_better=False, reliability=0.8, mode="compat")
    assert (t.n_original, t.n_used) == (c["n_original"], c["n_used"])
    assert round(t.n_used / t.n_original, 2) == c["percent_used"]


def test_distribution_bdi() -> None:
    c = case("vignette distribution-based-approach", "cs_distribution", "bdi")
    for method in ("JT", "HA"):
        t = ch.reliable_change(
            claus("bdi"), higher_is_better=False, reliability=0.801, method=method, mode="compat"
        )
        assert titled(t.counts()) == c["results"][method]
    hlm = ch.reliable_change(claus("bdi"), higher_is_better=False, method="HLM", mode="compat")
    assert titled(hlm.counts()) == c["results"]["HLM (no pre/post, no reliability)"]


def by_group(t: ch.ChangeTable) -> dict[str, dict[str, list[float]]]:
    out: dict[str, dict[str, list[float]]] = {}
    for row in t.summary(by_group=True).rows:
        assert row.group is not None and row.percent_by_group is not None
        out.setdefault(row.group, {})[row.category.title()] = [
            row.n,
            round(row.percent, 4),
            round(row.percent_by_group, 4),
        ]
    return out


def test_statistical_bdi_cutoff_c_by_group() -> None:
    c = case("vignette statistical-approach", "cs_statistical", "bdi")
    t = ch.cutoff_change(
        claus("bdi"),
        higher_is_better=False,
        cutoff_type="c",
        m_functional=7.69,
        sd_functional=7.52,
        mode="compat",
    )
    assert t.cutoff is not None
    assert round(t.cutoff.value, 2) == c["cutoff"]
    assert round(t.cutoff.m_clinical, 2) == c["cutoff_descriptives"]["m_clinical"]
    assert round(t.cutoff.sd_clinical, 2) == c["cutoff_descriptives"]["sd_clinical"]
    assert titled(t.counts()) == c["results"]
    groups = {k: v for k, v in c["grouped_by_treatment"].items() if k != "columns"}
    assert by_group(t) == groups


def test_combined_bdi_cutoff_a_jt() -> None:
    c = case("vignette combined-approach", "cs_combined", "bdi")
    t = ch.clinical_significance(
        claus("bdi"),
        higher_is_better=False,
        reliability=0.801,
        m_functional=7.69,
        sd_functional=7.52,
        mode="compat",
    )
    assert t.cutoff is not None and t.cutoff.type == "a"
    assert round(t.cutoff.value, 2) == c["cutoff"]
    assert titled(t.counts()) == c["results"]


def test_combined_bdi_with_anchor() -> None:
    c = next(
        c
        for c in documented_results()["cases"]
        if c["from"] == "vignette combined-approach" and "mid_improvement" in c["call"]
    )
    t = ch.clinical_significance(
        claus("bdi"),
        higher_is_better=False,
        mid_improvement=7,
        m_functional=7.69,
        sd_functional=7.52,
        mode="compat",
    )
    assert t.cutoff is not None and round(t.cutoff.value, 2) == c["cutoff"]
    assert titled(t.counts()) == c["results"]


def test_percentage_bdi_and_by_group() -> None:
    c = case("vignette percentage-change-approach", "cs_percentage", "bdi")
    t = ch.percentage_change(claus("bdi"), higher_is_better=False, improvement=0.5, mode="compat")
    assert titled(t.counts()) == c["results"]["pct_improvement=0.5"]
    assert by_group(t) == c["grouped_by_treatment (0.5)"]
    t2 = ch.percentage_change(
        claus("bdi"), higher_is_better=False, improvement=0.5, deterioration=0.2, mode="compat"
    )
    assert titled(t2.counts()) == c["results"]["pct_improvement=0.5, pct_deterioration=0.2"]


def test_anchor_bdi_and_by_group() -> None:
    c = case("vignette anchor-based-approach / README", "cs_anchor", "bdi")
    t = ch.anchor_change(claus("bdi"), higher_is_better=False, mid_improvement=7)
    assert titled(t.counts()) == c["results"]
    assert by_group(t) == c["grouped_by_treatment"]


def test_anchor_group_within_bayesian() -> None:
    c = next(
        c
        for c in documented_results()["cases"]
        if c.get("call", {}).get("target") == "group" and c["call"].get("effect") is None
    )
    results = gr.anchor_group(
        claus("bdi"), higher_is_better=False, mid_improvement=7, mode="compat"
    )
    got = {r.group: r for r in results}
    for group, expected in c["results"].items():
        r = got[group]
        # the package reports MCMC draws; the posterior here is integrated exactly
        assert r.estimate == pytest.approx(expected["median_difference"], abs=0.2)
        assert r.ci_low == pytest.approx(expected["ci95"][0], abs=0.3)
        assert r.ci_high == pytest.approx(expected["ci95"][1], abs=0.3)
        assert r.n == expected["n"]
        assert r.category == expected["category"]


def test_anchor_group_between_bayesian() -> None:
    c = next(
        c for c in documented_results()["cases"] if c.get("call", {}).get("effect") == "between"
    )
    expected = c["results"]
    (r,) = gr.anchor_group(
        claus("bdi"),
        higher_is_better=False,
        mid_improvement=7,
        effect="between",
        reference_group=expected["reference"],
        mode="compat",
    )
    assert (r.reference, r.group) == (expected["reference"], expected["comparison"])
    assert r.estimate == pytest.approx(expected["median_difference"], abs=0.2)
    assert r.ci_low == pytest.approx(expected["ci95"][0], abs=0.3)
    assert r.ci_high == pytest.approx(expected["ci95"][1], abs=0.3)
    assert sorted(r.n) == sorted(expected["n"])  # type: ignore[arg-type]
    assert r.category == expected["category"]


COVERED = {
    ("tests snapshot cs_distribution", "cs_distribution", "hamd"),
    ("tests snapshot cs_combined", "cs_combined", "hamd"),
    ("tests snapshot cs_percentage", "cs_percentage", "hamd"),
    ("tests snapshot cs_get_n", None, None),
    ("vignette distribution-based-approach", "cs_distribution", "bdi"),
    ("vignette statistical-approach", "cs_statistical", "bdi"),
    ("vignette combined-approach", "cs_combined", "bdi"),  # cutoff a (JT) and with the MID
    ("vignette percentage-change-approach", "cs_percentage", "bdi"),
    ("vignette anchor-based-approach / README", "cs_anchor", "bdi"),
    (
        "vignette anchor-based-approach (Bayesian, MCMC: reproduce only approximately)",
        "cs_anchor",
        "bdi",
    ),
}


def test_every_documented_case_has_a_test_here() -> None:
    cases = documented_results()["cases"]
    keys = {
        (c["from"], c.get("call", {}).get("fn"), c.get("call", {}).get("outcome")) for c in cases
    }
    assert keys == COVERED
    assert len(cases) == 12


# --- R parity: HLM groups and norms, the group-anchor label, HA per group, RCI parameters ---
# No documented figure covers these; the expectations follow the R package's source
# (prep_data.R, cs_combined.R, calc_anchor.R, create_summary_table.R of version 3.0.0),
# computed here independently of the library.


def gappy_long(seed: int = 5) -> tuple[list[str], list[int], list[float], list[str]]:
    """Four waves; some people miss wave 1 or wave 4 but still have 3 scores."""
    rng = np.random.default_rng(seed)
    ids, times, scores, groups = [], [], [], []
    for p in range(40):
        group = "PA" if p % 2 else "TAU"
        start = rng.normal(25, 4)
        slope = rng.normal(-2.5 if group == "PA" else -1.0, 1.0)
        waves = [1, 2, 3, 4]
        if p % 7 == 3:
            waves = [2, 3, 4]  # no pre wave
        elif p % 7 == 5:
            waves = [1, 2, 3]  # no post wave
        for w in waves:
            ids.append(f"id{p}")
            times.append(w)
            scores.append(float(np.round(start + slope * (w - 1) + rng.normal(0, 1.5), 1)))
            groups.append(group)
    return ids, times, scores, groups


def test_hlm_people_without_the_pre_or_post_wave_keep_their_group() -> None:
    ids, times, scores, groups = gappy_long()
    data = ch.ChangeData.from_long(ids, times, scores, pre=1, post=4, group=groups)
    t = ch.reliable_change(data, higher_is_better=False, method="HLM", mode="compat")
    given = dict(zip(ids, groups, strict=True))
    without_pair = [i for i in t.ids.tolist() if i not in set(data.ids.tolist())]
    assert len(without_pair) == 11  # in the model, but not among the complete pairs
    assert t.group is not None
    assert t.group.tolist() == [given[i] for i in t.ids.tolist()]
    counts = dict.fromkeys(("TAU", "PA"), 0)
    for row in t.summary(by_group=True).rows:
        assert row.group in counts
        counts[row.group] += row.n
    assert counts == {"TAU": 20, "PA": 20}


def test_hlm_cutoff_norms_are_each_modelled_persons_first_score() -> None:
    ids, times, scores, groups = gappy_long()
    data = ch.ChangeData.from_long(ids, times, scores, pre=1, post=4, group=groups)
    first: dict[str, float] = {}
    n: dict[str, int] = {}
    for i, _, s in sorted(zip(ids, times, scores, strict=True), key=lambda r: (r[0], r[1])):
        first.setdefault(i, s)
        n[i] = n.get(i, 0) + 1
    modelled = [first[i] for i in first if n[i] >= 3]  # R: n >= 3, pre = first(outcome)
    modes: tuple[ch.Mode, ...] = ("compat", "default")
    for mode in modes:
        t = ch.clinical_significance(
            data,
            higher_is_better=False,
            method="HLM",
            m_functional=8,
            sd_functional=8,
            cutoff_type="c",
            mode=mode,
        )
        assert t.cutoff is not None
        assert t.cutoff.m_clinical == pytest.approx(float(np.mean(modelled)), rel=1e-12)
        assert t.cutoff.sd_clinical == pytest.approx(float(np.std(modelled, ddof=1)), rel=1e-12)
        assert t.cutoff.m_clinical != pytest.approx(float(np.mean(data.pre)))
        assert t.pre.tolist() == [first[i] for i in t.ids.tolist()]


def r_group_anchor_label(
    lower: float, upper: float, difference: float, direction: int, mid: float
) -> str | None:
    """calc_anchor.R's case_when, first match wins (sign() as in R)."""
    threshold = direction * mid
    same = np.sign(lower) == np.sign(upper)
    if direction == -1:
        rules = [
            (not same, "Statistically not significant"),
            (same and lower > threshold, "Statistically significant but not clinically relevant"),
            (
                upper > threshold and difference > threshold and lower < threshold,
                "Not significantly less than the threshold",
            ),
            (
                upper > threshold and difference < threshold and lower < threshold,
                "Probably clinically significant effect",
            ),
            (upper < threshold, "Large clinically significant effect"),
        ]
    else:
        rules = [
            (same and upper < threshold, "Statistically significant but not clinically relevant"),
            (
                lower < threshold and difference < threshold and upper > threshold,
                "Not significantly greater than the threshold",
            ),
            (
                lower < threshold and difference > threshold and upper > threshold,
                "Probably clinically significant effect",
            ),
            (lower > threshold, "Large clinically significant effect"),
        ]
    return next((label for hit, label in rules if hit), None)


@pytest.mark.parametrize("direction", [-1, 1])
def test_group_anchor_labels_follow_r_on_every_interval(direction: int) -> None:
    rng = np.random.default_rng(direction + 7)
    seen = set()
    for _ in range(4000):
        lo, hi = np.sort(rng.uniform(-20, 20, 2))
        est = float(rng.uniform(lo, hi))
        expected = r_group_anchor_label(lo, hi, est, direction, 7.0)
        got = group_anchor_category(est, lo, hi, direction=direction, mid=7.0, compat=True)
        assert got == expected, (lo, hi, est)
        seen.add(expected)
    worse = "Statistically significant but not clinically relevant"
    assert worse in seen
    # a significant change in the worse direction, in both modes
    lo, hi = (2.0, 6.0) if direction == -1 else (-6.0, -2.0)
    for compat in (True, False):
        got = group_anchor_category(
            4.0 * -direction, lo, hi, direction=direction, mid=7.0, compat=compat
        )
        assert got == worse


def r_ha_group_level(
    change: np.ndarray,
    post: np.ndarray,
    cutoff: float,
    r_dd: float,
    sem: float,
    sd_post_all: float,
    direction: int,
) -> tuple[float, float]:
    """create_summary_table.R: reliability_post from the whole sample's post SD."""
    from scipy.stats import norm

    reliability_post = (sd_post_all**2 - sem**2) / sd_post_all**2
    z_changed = (0 - change.mean()) / (change.std(ddof=1) * np.sqrt(r_dd))
    z_functional = (cutoff - post.mean()) / (post.std(ddof=1) * np.sqrt(reliability_post))
    if direction == 1:
        return 1 - norm.cdf(z_changed), 1 - norm.cdf(z_functional)
    return norm.cdf(z_changed), norm.cdf(z_functional)


def test_ha_group_level_per_group() -> None:
    data = claus("hamd")
    c = case("tests snapshot cs_combined", "cs_combined", "hamd")
    t = ch.clinical_significance(
        data,
        higher_is_better=False,
        reliability=0.8,
        m_functional=8,
        sd_functional=8,
        cutoff_type="c",
        method="HA",
        mode="compat",
    )
    assert t.ha_group_level is not None and t.ha_group_level_by_group is not None
    assert round(t.ha_group_level["changed"], 4) == c["HA_group_level"]["Changed"]
    assert t.cutoff is not None and t.r_dd is not None and t.sem is not None
    assert t.group is not None
    sd_post_all = float(np.std(t.post, ddof=1))
    assert set(t.ha_group_level_by_group) == {"TAU", "PA"}
    for key, got in t.ha_group_level_by_group.items():
        mask = t.group == key
        changed, functional = r_ha_group_level(
            t.post[mask] - t.pre[mask],
            t.post[mask],
            t.cutoff.value,
            t.r_dd,
            t.sem,
            sd_post_all,
            -1,
        )
        assert got["changed"] == pytest.approx(changed, rel=1e-12)
        assert got["functional"] == pytest.approx(functional, rel=1e-12)
    ungrouped = ch.ChangeData.from_wide(data.pre, data.post)
    t1 = ch.clinical_significance(
        ungrouped,
        higher_is_better=False,
        reliability=0.8,
        m_functional=8,
        sd_functional=8,
        cutoff_type="c",
        method="HA",
        mode="compat",
    )
    assert t1.ha_group_level == t.ha_group_level and t1.ha_group_level_by_group is None


@pytest.mark.parametrize("method", ["JT", "GLN", "HLL", "EN", "NK", "HA"])
def test_rci_parameters_are_on_the_result(method: str) -> None:
    data = claus("hamd")
    r = 0.8
    t = ch.reliable_change(
        data,
        higher_is_better=False,
        reliability=r,
        method=method,  # type: ignore[arg-type]
        mode="compat",
    )
    s1 = float(np.std(data.pre, ddof=1))
    assert t.sem == pytest.approx(s1 * np.sqrt(1 - r), rel=1e-12)
    assert t.s_diff == pytest.approx(np.sqrt(2) * s1 * np.sqrt(1 - r), rel=1e-12)
    assert t.sep == pytest.approx(s1 * np.sqrt(1 - r**2), rel=1e-12)
    if method == "JT":  # the package's JT RCI is change / S_diff
        assert t.s_diff is not None
        assert t.rci == pytest.approx((data.post - data.pre) / t.s_diff, rel=1e-12)
    if method == "HA":  # calc_rci.cs_ha's r_dd
        s2 = float(np.std(data.post, ddof=1))
        cor = float(np.corrcoef(data.pre, data.post)[0, 1])
        sem = s1 * np.sqrt(1 - r)
        r1, r2 = (s1**2 - sem**2) / s1**2, (s2**2 - sem**2) / s2**2
        r_dd = (s1**2 * r1 + s2**2 * r2 - 2 * s1 * s2 * cor) / (s1**2 + s2**2 - 2 * s1 * s2 * cor)
        assert t.r_dd == pytest.approx(r_dd, rel=1e-12)
    else:
        assert t.r_dd is None
    combined = ch.clinical_significance(
        data,
        higher_is_better=False,
        reliability=r,
        method=method,  # type: ignore[arg-type]
        reliability_post=0.8,
        mode="compat",
    )
    assert (combined.s_diff, combined.sem, combined.sep, combined.r_dd) == (
        t.s_diff,
        t.sem,
        t.sep,
        t.r_dd,
    )


def test_rci_parameters_are_none_without_a_distribution_criterion() -> None:
    data = claus("hamd")
    hlm = ch.reliable_change(data, higher_is_better=False, method="HLM", mode="compat")
    anchor = ch.clinical_significance(
        data, higher_is_better=False, mid_improvement=7, mode="compat"
    )
    for t in (hlm, anchor):
        assert (t.s_diff, t.sem, t.sep, t.r_dd) == (None, None, None, None)
