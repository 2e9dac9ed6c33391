"""Compatibility mode: every figure the R package clinicalsignificance 3.0.0 documents.

The figures come from ``package_documented_results.json`` (the package's own test
snapshots and vignettes, all on claus_2020); each is reproduced exactly here.
"""

from __future__ import annotations

from typing import Any

import pytest

from fit_scores import change as ch
from fit_scores import group as gr
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
