"""Research charts: artist-level checks of the change scatter, the shares and the fan."""

from __future__ import annotations

import functools
import io
import math
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Literal

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.testing.decorators import check_figures_equal
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

import fit_scores as fs
from fit_scores import i18n
from fit_scores._messages import research as research_messages
from fit_scores.change import ChangeTable
from fit_scores.charts._style import CATEGORY_COLOURS, COLOURS, TEXT_SIZES
from fit_scores.charts.research import (
    CATEGORY_HATCHES,
    plot_category_shares,
    plot_change_scatter,
    plot_expected_fan,
)
from fit_scores.i18n import format_number
from fit_scores.trajectories import CohortModel, GrowthModel, NoReferenceDataError

LOCALES = ("nb", "nn", "en")
Z95 = statistics.NormalDist().inv_cdf(0.975)

# --- data -----------------------------------------------------------------------------


def _scores(n: int = 48, seed: int = 7) -> tuple[np.ndarray[Any, Any], ...]:
    rng = np.random.default_rng(seed)
    pre = np.round(np.clip(rng.normal(19.0, 6.0, n), 0, 40), 1)
    post = np.round(np.clip(pre + rng.normal(4.0, 6.0, n), 0, 40), 1)
    group = np.where(np.arange(n) % 3 == 0, "A", "B")
    return pre, post, group


@functools.cache
def _combined() -> ChangeTable:
    pre, post, group = _scores()
    # one incomplete pair: n_used < n_original
    data = fs.ChangeData.from_wide(
        np.append(pre, np.nan), np.append(post, 30.0), group=np.append(group, "A")
    )
    return fs.clinical_significance(
        data,
        higher_is_better=True,
        reliability=0.8,
        cutoff_type="c",
        m_functional=28.0,
        sd_functional=6.8,
        non_reliable_recovery=True,
    )


@functools.cache
def _growth() -> GrowthModel:
    rng = np.random.default_rng(1)
    n = 80
    ids = np.repeat(np.arange(n), 5)
    session = np.tile(np.arange(1, 6), n)
    score = np.repeat(rng.normal(18, 5, n), 5) + 3 * np.log(session)
    score = score + rng.normal(0, 1.5, ids.size)
    model = fs.fit_expected_response(fs.TrajectoryData.from_arrays(ids, session, score), "growth")
    assert isinstance(model, GrowthModel)
    return model


@functools.cache
def _cohort_with_gap() -> CohortModel:
    """No track has a score at session 4: the cohort model has a gap there."""
    rng = np.random.default_rng(2)
    n = 60
    sessions = np.array([1, 2, 3, 5, 6])
    ids = np.repeat(np.arange(n), sessions.size)
    session = np.tile(sessions, n)
    score = np.repeat(rng.normal(18, 4, n), sessions.size) + 3 * np.log(session)
    score = score + rng.normal(0, 1.0, ids.size)
    data = fs.TrajectoryData.from_arrays(ids, session, score)
    model = fs.fit_expected_response(data, "cohort", min_n=5)
    assert isinstance(model, CohortModel)
    return model


def _by_gid(ax: Axes, gid: str) -> Any:
    found = [a for a in ax.get_children() if a.get_gid() == gid]
    assert len(found) == 1, (gid, found)
    return found[0]


def _legend(ax: Axes) -> Legend:
    legend = ax.get_legend()
    assert legend is not None
    return legend


def _legend_texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in _legend(ax).get_texts()]


def _texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _render(ax: Axes) -> None:
    """Draw the figure (tick labels, layout) without pyplot."""
    fig = ax.get_figure()
    assert isinstance(fig, Figure)
    fig.savefig(io.BytesIO(), format="png")


@pytest.fixture
def fresh_ax() -> Axes:
    fig = Figure(figsize=(6, 6))
    return fig.add_subplot()


# --- messages ---------------------------------------------------------------------------


def test_the_research_catalog_is_registered_and_consistent() -> None:
    assert research_messages in i18n._MODULES
    cat = research_messages.MESSAGES
    assert set(cat) == set(LOCALES)
    assert set(cat["nb"]) == set(cat["nn"]) == set(cat["en"])
    for key in cat["nb"]:
        assert key.startswith("research."), key
        texts = [cat[loc][key] for loc in LOCALES]
        assert all(t.strip() for t in texts), key
        placeholders = {tuple(sorted(i18n_fields(t))) for t in texts}
        assert len(placeholders) == 1, key
    for category in fs.change.FIVE_NRR:
        assert i18n.message(f"research.category.{category}", "nn")


def i18n_fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


# --- change scatter -----------------------------------------------------------------------


def test_identity_line_and_equal_limits_cover_data_and_scale_range() -> None:
    table = _combined()
    ax = plot_change_scatter(table, scale_range=(0, 40))
    lo, hi = ax.get_xlim()
    assert ax.get_ylim() == (lo, hi)
    assert lo <= 0 and hi >= 40
    assert lo <= min(table.pre.min(), table.post.min())
    assert hi >= max(table.pre.max(), table.post.max())
    identity = _by_gid(ax, "identity")
    assert isinstance(identity, Line2D)
    np.testing.assert_allclose(np.asarray(identity.get_xdata(), dtype=float), [lo, hi])
    np.testing.assert_allclose(np.asarray(identity.get_ydata(), dtype=float), [lo, hi])


def test_jt_band_edges_are_z_s_diff_from_the_identity() -> None:
    table = _combined()
    ax = plot_change_scatter(table)
    s1 = statistics.stdev(table.pre.tolist())
    s_diff = math.sqrt(2.0) * s1 * math.sqrt(1.0 - 0.8)
    offset = Z95 * s_diff
    for name, sign in (("lower", -1.0), ("upper", 1.0)):
        line = _by_gid(ax, f"band.{name}")
        x = np.asarray(line.get_xdata(), dtype=float)
        np.testing.assert_allclose(np.asarray(line.get_ydata()), x + sign * offset, rtol=1e-9)
    assert any("z = 1,96" in text and "JT" in text for text in _legend_texts(ax))


@pytest.mark.parametrize("method", ["GLN", "HLL", "EN"])
def test_regression_based_bands_follow_the_published_edges(
    method: Literal["GLN", "HLL", "EN"],
) -> None:
    pre, post, _ = _scores()
    r = 0.85
    table = fs.reliable_change(pre, post, higher_is_better=True, reliability=r, method=method)
    ax = plot_change_scatter(table)
    m1, m2 = statistics.fmean(pre.tolist()), statistics.fmean(post.tolist())
    s1 = statistics.stdev(pre.tolist())
    half = Z95 * (s1 * math.sqrt(1 - r) if method == "EN" else s1 * math.sqrt(1 - r * r))
    centre_mean = m2 if method == "HLL" else m1
    for name, sign in (("lower", -1.0), ("upper", 1.0)):
        line = _by_gid(ax, f"band.{name}")
        x = np.asarray(line.get_xdata(), dtype=float)
        expected = r * x - r * m1 + centre_mean + sign * half
        np.testing.assert_allclose(np.asarray(line.get_ydata()), expected, rtol=1e-9)


def test_ha_band_uses_the_one_sided_critical_value_and_r_dd() -> None:
    pre, post, _ = _scores()
    r = 0.8
    table = fs.reliable_change(pre, post, higher_is_better=True, reliability=r, method="HA")
    ax = plot_change_scatter(table, locale="en")
    m1, m2 = statistics.fmean(pre.tolist()), statistics.fmean(post.tolist())
    s1, s2 = statistics.stdev(pre.tolist()), statistics.stdev(post.tolist())
    c = statistics.correlation(pre.tolist(), post.tolist())
    sem2 = s1**2 * (1 - r)
    rxx1, rxx2 = (s1**2 - sem2) / s1**2, (s2**2 - sem2) / s2**2
    r_dd = (s1**2 * rxx1 + s2**2 * rxx2 - 2 * s1 * s2 * c) / (s1**2 + s2**2 - 2 * s1 * s2 * c)
    z = statistics.NormalDist().inv_cdf(0.95)
    half = z * math.sqrt(2 * sem2) / math.sqrt(r_dd)
    shift = -(m2 - m1) * (1 - r_dd) / r_dd
    upper = _by_gid(ax, "band.upper")
    x = np.asarray(upper.get_xdata(), dtype=float)
    np.testing.assert_allclose(np.asarray(upper.get_ydata()), x + shift + half, rtol=1e-9)
    assert any("(HA, z = 1.64)" in text for text in _legend_texts(ax))


def test_anchor_band_puts_each_mid_on_its_side() -> None:
    pre, post, _ = _scores()
    # lower is better: improvement is a decrease of at least 6, deterioration an increase of 3
    table = fs.anchor_change(
        pre, post, higher_is_better=False, mid_improvement=6.0, mid_deterioration=3.0
    )
    ax = plot_change_scatter(table, locale="en")
    lower, upper = _by_gid(ax, "band.lower"), _by_gid(ax, "band.upper")
    x = np.asarray(lower.get_xdata(), dtype=float)
    np.testing.assert_allclose(np.asarray(lower.get_ydata()), x - 6.0)
    np.testing.assert_allclose(np.asarray(upper.get_ydata()), x + 3.0)
    assert "Change below the MID (improvement 6, deterioration 3 points)" in _legend_texts(ax)
    assert _legend(ax).get_title().get_text() == "Lower scores are better"


def test_percentage_band_is_proportional_to_the_pre_score() -> None:
    pre, post, _ = _scores()
    table = fs.percentage_change(
        pre, post, higher_is_better=True, improvement=0.5, deterioration=0.25
    )
    ax = plot_change_scatter(table)
    lower, upper = _by_gid(ax, "band.lower"), _by_gid(ax, "band.upper")
    x = np.asarray(lower.get_xdata(), dtype=float)
    np.testing.assert_allclose(np.asarray(lower.get_ydata()), 0.75 * x)
    np.testing.assert_allclose(np.asarray(upper.get_ydata()), 1.5 * x)
    assert "Endring under terskel (bedring 50 %, forverring 25 %)" in _legend_texts(ax)


def test_cutoff_lines_are_at_the_cutoff_value() -> None:
    table = _combined()
    assert table.cutoff is not None
    value = table.cutoff.value
    ax = plot_change_scatter(table)
    vertical, horizontal = _by_gid(ax, "cutoff.pre"), _by_gid(ax, "cutoff.post")
    np.testing.assert_allclose(vertical.get_xdata(), [value, value])
    np.testing.assert_allclose(horizontal.get_ydata(), [value, value])
    np.testing.assert_allclose(vertical.get_ydata(), ax.get_ylim())
    label = f"Grenseverdi c (JT) = {format_number(value, 'nb')}"
    assert "," in label and label in _legend_texts(ax)


@pytest.mark.parametrize("approach", ["statistical", "combined_anchor"])
def test_cutoff_lines_but_no_band_where_none_is_defined(approach: str) -> None:
    pre, post, _ = _scores()
    if approach == "statistical":
        table = fs.cutoff_change(
            pre, post, higher_is_better=True, m_functional=28.0, sd_functional=6.8
        )
    else:  # the combined table does not keep the MID
        table = fs.clinical_significance(
            pre,
            post,
            higher_is_better=True,
            mid_improvement=5.0,
            m_functional=28.0,
            sd_functional=6.8,
        )
    ax = plot_change_scatter(table)
    gids = {a.get_gid() for a in ax.get_children()}
    assert {"cutoff.pre", "cutoff.post", "identity"} <= gids
    assert not {"band", "band.lower", "band.upper"} & gids


def test_options_switch_band_cutoff_and_identity_off() -> None:
    ax = plot_change_scatter(_combined(), show_band=False, show_cutoff=False, show_identity=False)
    gids = {a.get_gid() for a in ax.get_children()}
    assert not {"band", "band.lower", "identity", "cutoff.pre"} & gids


def test_points_per_category_marker_match_the_counts() -> None:
    table = _combined()
    ax = plot_change_scatter(table)
    paths = {}
    for category, count in table.counts().items():
        points = _by_gid(ax, f"points.{category}")
        assert isinstance(points, PathCollection)
        offsets = np.asarray(points.get_offsets())
        assert len(offsets) == count
        mask = table.category == category
        np.testing.assert_allclose(offsets.reshape(-1, 2), np.c_[table.pre[mask], table.post[mask]])
        paths[category] = np.asarray(points.get_paths()[0].vertices).tobytes()
    assert len(set(paths.values())) == len(paths), "every category needs its own marker"
    assert sum(table.counts().values()) == table.n_used


def test_legend_labels_have_counts_in_the_requested_language() -> None:
    table = _combined()
    counts = table.counts()
    seen = {}
    for loc in LOCALES:
        texts = _legend_texts(plot_change_scatter(table, locale=loc))
        expected = [
            f"{research_messages.MESSAGES[loc][f'research.category.{c}']} (n = {k})"
            for c, k in counts.items()
        ]
        assert texts[: len(expected)] == expected
        seen[loc] = tuple(texts)
    assert len(set(seen.values())) == 3
    assert seen["nb"][0] == f"Klinisk signifikant bedring (n = {counts['recovered']})"
    assert seen["nn"][2] == f"Betra (n = {counts['improved']})"
    assert seen["en"][3] == f"Unchanged (n = {counts['unchanged']})"


def test_norwegian_numbers_have_a_decimal_comma() -> None:
    table = _combined()
    nb = plot_change_scatter(table, locale="nb", scale_range=(0, 40))
    en = plot_change_scatter(table, locale="en", scale_range=(0, 40))
    assert any("1,96" in t for t in _legend_texts(nb))
    assert any("1.96" in t for t in _legend_texts(en))
    # tick labels with halves need a decimal: a comma in Norwegian
    ax = plot_change_scatter(table, locale="nb", scale_range=(0, 40))
    ax.set_xticks([2.5, 5.0])
    _render(ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2,5", "5,0"]


def test_titles_default_custom_and_none() -> None:
    table = _combined()
    ax = plot_change_scatter(table, locale="nn")
    assert ax.get_title(loc="left") == f"Skår før og etter (n = {table.n_used} av 49)"
    assert plot_change_scatter(table, title="Mitt utval").get_title(loc="left") == "Mitt utval"
    assert plot_change_scatter(table, title="").get_title(loc="left") == ""


def test_unknown_locale_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported locale"):
        plot_change_scatter(_combined(), locale="sv")


# --- category shares -------------------------------------------------------------------------


def test_share_bars_and_wilson_error_bars() -> None:
    table = _combined()
    summary = table.summary()
    ax = plot_category_shares(summary, locale="en")
    for row in summary.rows:
        bar = _by_gid(ax, f"share.{row.category}")
        assert isinstance(bar, Rectangle)
        assert bar.get_width() == pytest.approx(100 * row.percent)
        ci = _by_gid(ax, f"ci.{row.category}")
        segment = np.asarray(ci.get_segments()[0])
        np.testing.assert_allclose(
            sorted(segment[:, 0]), [100 * row.ci_low, 100 * row.ci_high], atol=1e-9
        )
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [
        research_messages.MESSAGES["en"][f"research.category.{c}"] for c in table.categories
    ]
    assert ax.get_title(loc="left") == f"Share per category (n = {table.n_used} of 49)"
    assert ax.get_xlabel() == "Share with 95% confidence interval (Wilson)"


def test_shares_by_group_have_counts_hatches_and_local_percentages() -> None:
    table = _combined()
    summary = table.summary(by_group=True)
    ax = plot_category_shares(summary)
    _render(ax)
    groups = list(dict.fromkeys(str(g) for g in table.group))  # type: ignore[union-attr]
    sizes = {g: int(np.sum(table.group == g)) for g in groups}
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{g} (n = {sizes[g]})" for g in groups]
    hatches = set()
    for row in summary.rows:
        bar = _by_gid(ax, f"share.{row.category}.{row.group}")
        assert row.percent_by_group is not None
        assert bar.get_width() == pytest.approx(100 * row.percent_by_group)
        assert bar.get_facecolor() == pytest.approx(
            mpl.colors.to_rgba(CATEGORY_COLOURS[row.category])
        )
        hatches.add(bar.get_hatch() or "")
    assert len(hatches) == len(table.categories)
    expected = {
        f"{format_number(100 * r.percent_by_group, 'nb')} % ({r.n})"  # type: ignore[operator]
        for r in summary.rows
    }
    assert set(_texts(ax)) == expected
    assert any("," in t for t in _texts(ax))
    legend = ax.get_legend()
    assert legend is not None
    handles = legend.legend_handles
    assert [h.get_hatch() or "" for h in handles if isinstance(h, Patch)] == [
        CATEGORY_HATCHES[c] for c in table.categories
    ]
    assert _legend_texts(ax)[0] == "Klinisk signifikant bedring"
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["0 %", "20 %"]


# --- expected fan -------------------------------------------------------------------------------


def test_fan_median_bands_and_direct_labels() -> None:
    model = _growth()
    ax = plot_expected_fan(model, 18.0, until=8)
    times = np.arange(1.0, 9.0)
    bands = [model.expected(18.0, t) for t in times]
    median = _by_gid(ax, "fan.median")
    np.testing.assert_allclose(median.get_xdata(), times)
    np.testing.assert_allclose(median.get_ydata(), [b.median for b in bands])
    for p in model.percentiles:
        edge = _by_gid(ax, f"fan.edge.{p:g}")
        np.testing.assert_allclose(edge.get_ydata(), [b.band(p) for b in bands])
        label = _by_gid(ax, f"fan.label.{p:g}")
        assert isinstance(label, Text)
        assert label.get_position() == pytest.approx((8.0 + 0.015 * 7, bands[-1].band(p)))
    assert sorted(_texts(ax)) == ["10 %", "25 %", "75 %", "90 %"]
    assert sorted(_texts(plot_expected_fan(model, 18.0, locale="en"))) == [
        "10%",
        "25%",
        "75%",
        "90%",
    ]
    assert {"fan.band.10-90", "fan.band.25-75"} <= {a.get_gid() for a in ax.get_children()}
    assert ax.get_xlabel() == "Møte nr."
    assert ax.get_title(loc="left") == "Forventet forløp (vekstmodell), startskår 18,0"
    assert _legend_texts(ax) == ["Forventet (median)", "Persentil 10 til 90", "Persentil 25 til 75"]
    assert _legend(ax).get_title().get_text() == f"Referanse: {model.n_tracks} forløp"


def test_fan_shows_observed_points_and_extends_to_them() -> None:
    model = _growth()
    observed = [(1.0, 18.0), (3.0, 21.0), (12.0, 24.5)]
    ax = plot_expected_fan(model, 18.0, observed=observed, locale="nn")
    person = _by_gid(ax, "fan.observed")
    np.testing.assert_allclose(person.get_xdata(), [1.0, 3.0, 12.0])
    np.testing.assert_allclose(person.get_ydata(), [18.0, 21.0, 24.5])
    assert _by_gid(ax, "fan.median").get_xdata()[-1] == 12.0
    assert "Observert" in _legend_texts(ax)
    assert ax.get_title(loc="left") == "Forventa forløp (vekstmodell), startskår 18,0"


def test_fan_skips_times_without_reference_data() -> None:
    model = _cohort_with_gap()
    with pytest.raises(NoReferenceDataError):
        model.expected(18.0, 4)
    ax = plot_expected_fan(model, 18.0, locale="en")
    median = _by_gid(ax, "fan.median")
    x, y = np.asarray(median.get_xdata()), np.asarray(median.get_ydata())
    np.testing.assert_allclose(x, [1, 2, 3, 4, 5, 6])
    assert np.isnan(y[3]) and np.isfinite(np.delete(y, 3)).all()
    assert y[4] == pytest.approx(model.expected(18.0, 5).median)
    assert ax.get_title(loc="left") == "Expected course (cohort model), intake score 18.0"


def test_fan_on_a_days_axis() -> None:
    rng = np.random.default_rng(4)
    n = 50
    days = np.array([0, 14, 35, 70, 120, 180])
    ids = np.repeat(np.arange(n), days.size)
    t = np.tile(days, n)
    score = np.repeat(rng.normal(18, 4, n), days.size) + 2 * np.log1p(t / 30)
    score = score + rng.normal(0, 1.0, ids.size)
    data = fs.TrajectoryData.from_arrays(ids, t, score, axis="days")
    model = fs.fit_expected_response(data, "growth")
    ax = plot_expected_fan(model, 20.0, locale="nb", until=120)
    median = _by_gid(ax, "fan.median")
    x = np.asarray(median.get_xdata(), dtype=float)
    assert x[0] == 0.0 and x[-1] == 120.0
    np.testing.assert_allclose(median.get_ydata(), [model.expected(20.0, v).median for v in x])
    assert ax.get_xlabel() == "Dager siden første måling"


def test_fan_rejects_an_until_before_intake() -> None:
    with pytest.raises(ValueError, match="until"):
        plot_expected_fan(_growth(), 18.0, until=0)


def _fan_reference(ax: Axes, model: GrowthModel, intake: float) -> None:
    """The fan drawn by hand with plain matplotlib calls."""

    def font(size: str) -> FontProperties:
        return FontProperties(family="DejaVu Sans", size=TEXT_SIZES[size])

    times = np.arange(1.0, 7.0)
    bands = [model.expected(intake, t) for t in times]
    ax.set_facecolor("#FFFFFF")
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.spines["left"].set_color(COLOURS["muted"])
    ax.spines["bottom"].set_color(COLOURS["muted"])
    ax.tick_params(labelsize=12.0, labelfontfamily="DejaVu Sans", colors=COLOURS["text"])
    (median,) = ax.plot(
        times,
        [b.median for b in bands],
        color=COLOURS["expected"],
        linewidth=2.2,
        zorder=3,
        label="Forventet (median)",
    )
    handles: list[Any] = [median]
    for low, high in ((10.0, 90.0), (25.0, 75.0)):
        handles.append(
            ax.fill_between(
                times,
                [b.band(low) for b in bands],
                [b.band(high) for b in bands],
                color=COLOURS["band"],
                alpha=0.15,
                linewidth=0,
                zorder=1,
                label=f"Persentil {low:g} til {high:g}",
            )
        )
    for p in (10.0, 25.0, 75.0, 90.0):
        ax.plot(
            times,
            [b.band(p) for b in bands],
            color=COLOURS["band"],
            linewidth=1.0,
            linestyle="--" if p in (25.0, 75.0) else ":",
            zorder=2,
        )
        ax.text(
            6.0 + 0.015 * 5,
            bands[-1].band(p),
            f"{p:g} %",
            va="center",
            ha="left",
            fontproperties=font("note"),
            color=COLOURS["text"],
        )
    (person,) = ax.plot(
        [1.0, 2.0, 4.0],
        [18.0, 19.5, 21.0],
        color=COLOURS["score"],
        marker="o",
        markersize=7,
        linewidth=1.5,
        zorder=4,
        label="Observert",
    )
    handles.append(person)
    ax.set_xlim(1.0 - 0.02 * 5, 6.0 + 0.12 * 5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, "nb", decimals=0)))
    ax.set_xlabel("Møte nr.", fontproperties=font("label"))
    ax.set_ylabel("Skår", fontproperties=font("label"))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        borderaxespad=3.8,
        ncols=2,
        prop=font("note"),
        title=f"Referanse: {model.n_tracks} forløp",
        title_fontproperties=font("note"),
        frameon=False,
    )
    ax.set_title(
        "Forventet forløp (vekstmodell), startskår 18,0",
        loc="left",
        fontproperties=font("title"),
        color=COLOURS["text"],
    )


def test_fan_matches_a_hand_drawn_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.chdir(tmp_path)  # check_figures_equal writes its images under the cwd
    model = _growth()

    @check_figures_equal(extensions=["png"])
    def compare(fig_test: Figure, fig_ref: Figure) -> None:
        for fig in (fig_test, fig_ref):
            fig.set_size_inches(8.0, 6.5)
            fig.subplots_adjust(bottom=0.38, right=0.88)
        observed = [(1.0, 18.0), (2.0, 19.5), (4.0, 21.0)]
        plot_expected_fan(model, 18.0, ax=fig_test.add_subplot(), until=6, observed=observed)
        _fan_reference(fig_ref.add_subplot(), model, 18.0)

    compare(ext="png", request=request)  # type: ignore[call-arg]


# --- the chart contract -----------------------------------------------------------------------


def test_the_given_axes_is_used_and_returned(fresh_ax: Axes) -> None:
    table = _combined()
    assert plot_change_scatter(table, ax=fresh_ax) is fresh_ax
    fig = fresh_ax.get_figure()
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    ax2 = fig.add_subplot(2, 2, 4)
    assert plot_category_shares(table.summary(), ax=ax2) is ax2
    ax3 = fig.add_subplot(2, 2, 3)
    assert plot_expected_fan(_growth(), 18.0, ax=ax3) is ax3
    assert len(fig.axes) == 3


@pytest.mark.parametrize("locale", LOCALES)
def test_new_figures_fit_and_render_without_warnings(locale: str) -> None:
    table = _combined()
    for ax in (
        plot_change_scatter(table, locale=locale),
        plot_category_shares(table.summary(by_group=True), locale=locale),
        plot_category_shares(table.summary(), locale=locale),
        plot_expected_fan(_growth(), 18.0, observed=[(1, 18.0), (3, 20.0)], locale=locale),
    ):
        fig = ax.get_figure()
        assert type(fig) is Figure
        _render(ax)
        # the first draw already keeps title, axes and legend inside the figure
        box = ax.get_tightbbox()
        assert box is not None
        assert box.x0 >= -0.5 and box.y0 >= -0.5
        assert box.x1 <= fig.bbox.x1 + 0.5 and box.y1 <= fig.bbox.y1 + 0.5
        titles = [c for c in ax.get_children() if isinstance(c, Text)]  # titles and texts
        shown = [*titles, ax.xaxis.label, ax.yaxis.label]
        for text in [t for t in shown if t.get_text()]:
            assert text.get_fontfamily() == ["DejaVu Sans"]


def test_rcparams_are_unchanged() -> None:
    before = dict(mpl.rcParams)
    table = _combined()
    for ax in (
        plot_change_scatter(table, locale="en"),
        plot_category_shares(table.summary(by_group=True), locale="nn"),
        plot_expected_fan(_growth(), 18.0),
    ):
        _render(ax)
    assert dict(mpl.rcParams) == before


def test_pyplot_is_never_imported() -> None:
    code = textwrap.dedent(
        """
        import io
        import sys
        import numpy as np
        import fit_scores as fs
        from fit_scores.charts.research import (
            plot_category_shares, plot_change_scatter, plot_expected_fan,
        )
        pre = [15, 18, 26, 30, 22, 12, 20, 17]
        post = [27, 20, 32, 21, 30, 11, 26, 16]
        data = fs.ChangeData.from_wide(pre, post, group=list("ABABABAB"))
        t = fs.clinical_significance(data, higher_is_better=True, reliability=0.9)
        rng = np.random.default_rng(0)
        ids = np.repeat(np.arange(20), 4)
        s = np.tile(np.arange(1, 5), 20)
        y = np.repeat(rng.normal(18, 4, 20), 4) + np.log(s) + rng.normal(0, 1, 80)
        m = fs.fit_expected_response(fs.TrajectoryData.from_arrays(ids, s, y), "cohort", min_n=3)
        for ax in (plot_change_scatter(t), plot_category_shares(t.summary(by_group=True)),
                   plot_expected_fan(m, 18.0, observed=[(1, 18.0)])):
            ax.get_figure().savefig(io.BytesIO(), format="png")
        assert "matplotlib.pyplot" not in sys.modules, "pyplot was imported"
        print("ok")
        """
    )
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
