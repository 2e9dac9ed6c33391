"""Every research chart has a matching description in nb, nn and en."""

from __future__ import annotations

import numpy as np
import pytest

import fit_scores as fs
from fit_scores.charts import (
    describe_expected,
    describe_shares,
    describe_table,
    plot_category_shares,
    plot_change_scatter,
    plot_expected_fan,
)
from fit_scores.i18n import format_number, message


def table() -> fs.ChangeTable:
    rng = np.random.default_rng(3)
    pre = np.round(rng.normal(19, 6, 60), 1)
    post = np.round(pre + rng.normal(4, 5, 60), 1)
    group = np.where(np.arange(60) < 30, "A", "B")
    return fs.clinical_significance(
        fs.ChangeData.from_wide(pre, post, group=group),
        higher_is_better=True,
        reliability=0.93,
        m_functional=28.0,
        sd_functional=6.8,
    )


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_scatter_description_matches_the_legend(locale: str) -> None:
    t = table()
    ax = plot_change_scatter(t, locale=locale)
    legend_box = ax.get_legend()
    assert legend_box is not None
    legend = [text.get_text() for text in legend_box.get_texts()]
    text = describe_table(t, locale=locale)
    for category, n in t.counts().items():
        label = message(f"research.category.{category}", locale)
        assert f"{label}: {n}" in text
        if n:
            assert message("research.count", locale, label=label, n=n) in legend
    assert t.cutoff is not None
    assert format_number(t.cutoff.value, locale, decimals=2) in text


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_shares_description_matches_the_summary(locale: str) -> None:
    summary = table().summary(by_group=True)
    plot_category_shares(summary, locale=locale)
    text = describe_shares(summary, locale=locale)
    assert text.count("\n") == len(summary.rows) + 2  # title, two group headings
    for row in summary.rows:
        assert row.percent_by_group is not None
        value = format_number(100 * row.percent_by_group, locale, decimals=1)
        assert message("research.percent", locale, value=value) in text


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_fan_description_gives_the_plotted_values(locale: str) -> None:
    from fit_scores.simulate import simulate_cohort

    sim = simulate_cohort(800, seed=5)
    model = fs.fit_expected_response(
        fs.TrajectoryData.from_arrays(sim.person, sim.session, sim.total)
    )
    plot_expected_fan(model, 18.0, locale=locale)
    text = describe_expected(model, 18.0, at=[4], locale=locale)
    band = model.expected(18.0, 4)
    for value in (band.median, band.values[0], band.values[-1]):
        assert format_number(value, locale, decimals=1) in text
