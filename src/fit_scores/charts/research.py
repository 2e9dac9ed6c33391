"""Charts for researchers: change scatter, category shares and expected-trajectory fans.

Every function takes the data first and keyword-only options, draws on
``ax`` (a new :class:`matplotlib.figure.Figure` with one axes when ``ax`` is
``None``; pyplot is never used) and returns the :class:`~matplotlib.axes.Axes`.
No rcParams are changed: fonts (DejaVu Sans), sizes and colours come from
:mod:`fit_scores.charts._style` and are passed to each artist. Every string
shown comes from the message catalogs (``locale`` ``"nb"``, ``"nn"`` or
``"en"``), and numbers are written with
:func:`fit_scores.i18n.format_number` (decimal comma in Norwegian).
Categories are told apart by colour *and* marker (or hatch), never by colour
alone. Artists carry a ``gid`` (for example ``"band.lower"``) so that tests
and downstream code can find them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from fit_scores._core import change as _k
from fit_scores.charts._style import (
    BACKGROUND,
    CATEGORY_COLOURS,
    CATEGORY_MARKERS,
    COLOURS,
    FONT_FAMILY,
    TEXT_SIZES,
)
from fit_scores.charts.text import plain_text, svg_id_part
from fit_scores.i18n import format_number, message, normalise_locale
from fit_scores.trajectories import NoReferenceDataError, TrajectoryInputError

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis

    from fit_scores.change import CategorySummary, ChangeTable
    from fit_scores.trajectories import CohortModel, GrowthModel, NeighboursModel

__all__ = ["plot_category_shares", "plot_change_scatter", "plot_expected_fan"]

FloatArray = npt.NDArray[np.float64]

#: RCI methods whose band of no reliable change is a pair of lines in (pre, post).
_BAND_METHODS: tuple[str, ...] = ("JT", "GLN", "HLL", "EN", "NK", "HA")

#: Hatch patterns of the category bars (with the colour: never colour alone).
CATEGORY_HATCHES: dict[str, str] = {
    "recovered": "///",
    "non_reliably_recovered": "\\\\\\",
    "improved": "...",
    "unchanged": "",
    "deteriorated": "xxx",
    "harmed": "ooo",
}


#: Marker areas (points^2) that make the category markers look about equally large.
_MARKER_AREA: dict[str, float] = {"*": 130.0, "P": 70.0, "X": 70.0}


# --- shared helpers ---------------------------------------------------------------


def _text(msg_id: str, locale: str, **fields: object) -> str:
    """The catalog text of ``msg_id`` (all text shown goes through here)."""
    return message(msg_id, locale, **fields)


def _font(size: str = "tick") -> FontProperties:
    """DejaVu Sans at one of the standard sizes, for one artist."""
    return FontProperties(family=FONT_FAMILY, size=TEXT_SIZES[size])


def _short(value: float, locale: str) -> str:
    """A number with as few decimals as it needs (at most two), in the locale."""
    for decimals in (0, 1):
        if abs(value - round(value, decimals)) < 1e-9:
            return format_number(value, locale, decimals=decimals)
    return format_number(value, locale, decimals=2)


def _percent(share_percent: float, locale: str, decimals: int = 1) -> str:
    """``32,5 %`` (nb, nn) or ``32.5%`` (en) for a value in per cent."""
    return _text(
        "research.percent", locale, value=format_number(share_percent, locale, decimals=decimals)
    )


def _new_axes(width: float, height: float) -> Axes:
    """A new figure with one axes, without pyplot."""
    fig = Figure(figsize=(width, height), facecolor=BACKGROUND, layout="constrained")
    return fig.add_subplot()


def _tick_decimals(axis: Axis) -> int:
    """Decimals needed to write the major tick positions of ``axis`` exactly."""
    locs = np.asarray(axis.get_majorticklocs(), dtype=np.float64)
    for decimals in range(4):
        scaled = locs * 10.0**decimals
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return decimals
    return 3


def _number_ticks(axis: Axis, locale: str) -> None:
    """Tick labels in the locale (decimal comma in nb and nn), as many decimals as needed."""

    def label(value: float, _: object) -> str:
        return format_number(value, locale, decimals=_tick_decimals(axis))

    axis.set_major_formatter(FuncFormatter(label))


def _style_axes(ax: Axes) -> None:
    """Calm axes: no top or right spine, DejaVu Sans tick labels at the tick size."""
    ax.set_facecolor(BACKGROUND)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(COLOURS["muted"])
    ax.tick_params(
        labelsize=TEXT_SIZES["tick"], labelfontfamily=FONT_FAMILY, colors=COLOURS["text"]
    )


def _title(ax: Axes, text: str | None, default: str) -> None:
    """The given title, the default one when ``None``, none when empty."""
    shown = default if text is None else plain_text(text)
    if shown:
        ax.set_title(shown, loc="left", fontproperties=_font("title"), color=COLOURS["text"])


def _legend_below(ax: Axes, handles: list[Artist], title: str | None, ncols: int) -> None:
    """The legend under the axes, at a fixed distance (so constrained layout settles)."""
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        borderaxespad=3.8,  # in font sizes: clears the tick labels and the axis label
        ncols=ncols,
        prop=_font("note"),
        title=title,
        title_fontproperties=_font("note"),
        frameon=False,
    )


# --- change scatter -----------------------------------------------------------------


def _rci_band(table: ChangeTable, xs: FloatArray) -> tuple[FloatArray, FloatArray] | None:
    """Post scores at the edges of the band of no reliable change, at pre scores ``xs``.

    Every RCI of :func:`fit_scores._core.change.rci` is linear in the post
    score for a fixed pre score, ``RCI(x1, x2) = a(x1) + b x2``; the kernel
    gives ``a = RCI(x1, 0)`` and ``b = RCI(x1, 1) - RCI(x1, 0)``, and the edges
    are ``x2 = (+-z - a) / b``. The sample descriptives are recomputed from
    the table's pre and post scores, as the change functions do.
    """
    method = table.method
    z = table.critical_value
    r = table.reliability
    if (
        table.approach not in ("distribution", "combined")
        or method not in _BAND_METHODS
        or z is None
        or r is None
        or table.n_used < 2
    ):
        return None
    desc = _k.descriptives(table.pre, table.post)
    if not desc.sd_pre > 0:
        return None
    x1 = np.repeat(xs, 2)
    x2 = np.tile(np.array([0.0, 1.0]), xs.size)
    with np.errstate(all="ignore"):
        kernel = _k.rci(cast("_k.RciMethod", method), x1, x2, desc, r, table.reliability_post)
        values = kernel.rci
        at_zero, at_one = values[0::2], values[1::2]
        slope = at_one - at_zero
        lower = (-z - at_zero) / slope
        upper = (z - at_zero) / slope
    if not (np.all(np.isfinite(lower)) and np.all(np.isfinite(upper))):
        return None  # e.g. HA with an undefined reliability of the difference
    return np.minimum(lower, upper), np.maximum(lower, upper)


def _band(
    table: ChangeTable, xs: FloatArray, locale: str
) -> tuple[FloatArray, FloatArray, str] | None:
    """Edges of the band of no change for the table's approach, and its legend label."""
    up_is_better = table.higher_is_better
    extra = table.extra
    if "mid_improvement" in extra and "mid_deterioration" in extra:
        imp, det = float(extra["mid_improvement"]), float(extra["mid_deterioration"])
        up, down = (imp, det) if up_is_better else (det, imp)
        label = _text(
            "research.scatter.band_anchor",
            locale,
            improvement=_short(imp, locale),
            deterioration=_short(det, locale),
        )
        return xs - down, xs + up, label
    if table.approach == "percentage" and "improvement" in extra and "deterioration" in extra:
        imp, det = float(extra["improvement"]), float(extra["deterioration"])
        up, down = (imp, det) if up_is_better else (det, imp)
        label = _text(
            "research.scatter.band_percentage",
            locale,
            improvement=_percent(100.0 * imp, locale, decimals=0),
            deterioration=_percent(100.0 * det, locale, decimals=0),
        )
        return xs * (1.0 - down), xs * (1.0 + up), label
    edges = _rci_band(table, xs)
    if edges is None or table.critical_value is None:
        return None
    label = _text(
        "research.scatter.band_rci",
        locale,
        method=str(table.method),
        z=format_number(table.critical_value, locale, decimals=2),
    )
    return edges[0], edges[1], label


def _limits(table: ChangeTable, scale_range: tuple[float, float] | None) -> tuple[float, float]:
    """Equal limits for both axes: the data, the scale range and the cutoff, padded."""
    values = [table.pre, table.post]
    if scale_range is not None:
        values.append(np.asarray(scale_range, dtype=np.float64))
    if table.cutoff is not None:
        values.append(np.array([table.cutoff.value]))
    joined = np.concatenate(values)
    joined = joined[np.isfinite(joined)]
    if joined.size == 0:
        return 0.0, 1.0
    lo, hi = float(joined.min()), float(joined.max())
    pad = 0.04 * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def plot_change_scatter(
    table: ChangeTable,
    *,
    ax: Axes | None = None,
    locale: str = "nb",
    show_band: bool = True,
    show_cutoff: bool = True,
    show_identity: bool = True,
    scale_range: tuple[float, float] | None = None,
    title: str | None = None,
) -> Axes:
    r"""The Jacobson-Truax plot: post against pre score, by change category.

    Draws the identity line (no change), the band of no change of the table's
    approach, the cutoff as a vertical (pre) and horizontal (post) line, and
    one point per person, coloured *and* marked by category. The legend gives
    every category with its count ("Bedret (n = 12)") and, as its title, the
    direction of the scale. Both axes have the same limits, covering the data,
    ``scale_range`` and the cutoff.

    Parameters
    ----------
    table : ChangeTable
        A result of :func:`fit_scores.reliable_change`,
        :func:`fit_scores.cutoff_change`, :func:`fit_scores.clinical_significance`,
        :func:`fit_scores.percentage_change` or :func:`fit_scores.anchor_change`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure (built without pyplot).
    locale : {"nb", "nn", "en"}
        Language of every text (default Norwegian Bokmål).
    show_band, show_cutoff, show_identity : bool
        Whether to draw the band of no change, the cutoff lines and the identity line.
    scale_range : tuple of float, optional
        The lowest and highest possible score (e.g. ``(0, 40)`` for ORS); the
        axes cover it.
    title : str, optional
        The title; by default "Skår før og etter (n = ...)" in the locale; ``""`` for none.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Notes
    -----
    The band is the set of (pre, post) pairs without a reliable (or
    important) change. With :math:`z` the table's critical value, the sample
    descriptives recomputed from the table's pre and post scores
    (:func:`fit_scores._core.change.descriptives`) and
    :math:`SEM = S_1\sqrt{1-r}`, :math:`S_{diff} = \sqrt2\,SEM`,
    :math:`SEP = S_1\sqrt{1-r^2}`, the edges :math:`RCI = \pm z` are:

    - JT: :math:`x_2 = x_1 \pm z S_{diff}`
    - GLN: :math:`x_2 = r x_1 - r M_1 + M_1 \pm z\,SEP`
    - HLL: :math:`x_2 = r x_1 - r M_1 + M_2 \pm z\,SEP`
    - EN: :math:`x_2 = r(x_1 - M_1) + M_1 \pm z\,SEM`
    - NK: :math:`x_2 = r(x_1 - M_1) + M_1 \pm z\sqrt{r^2 S_1^2(1-r) + S_1^2(1-r_2)}`
    - HA: :math:`x_2 = x_1 - (M_2 - M_1)(1 - R_{dd})/R_{dd} \pm z\,S_{diff}/\sqrt{R_{dd}}`
      (one-sided :math:`z`), as the R package *clinicalsignificance* draws it.

    They are obtained from the RCI kernel itself (:func:`fit_scores._core.change.rci`,
    linear in :math:`x_2`), not from a second copy of the formulas. Anchor
    approach: :math:`x_2 = x_1 + MID` in the better and :math:`x_1 - MID` in
    the worse direction (each with its own MID); percentage approach:
    :math:`x_2 = x_1(1 \pm p)`, with the improvement and deterioration
    thresholds on their sides.

    No band is drawn for the statistical (cutoff-only) approach, for HLM
    (its index comes from each person's slope, not from pre and post), for
    HA when :math:`R_{dd}` is undefined, nor for the combined approach with an
    anchor (the table does not keep the MID). With ``cutoff_method="HA"``
    the lines are at the population cutoff; the Hageman-Arrindell individual
    test decides caseness with a margin around it that is not drawn.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical
    approach to defining meaningful change in psychotherapy research.
    *J Consult Clin Psychol*, 59(1), 12-19.
    Hageman, W. J. J. M., & Arrindell, W. A. (1999). Establishing clinically
    significant change. *Behav Res Ther*, 37, 1169-1193.
    Claus, B. B., Wager, J., & Bonnet, U. (2024). clinicalsignificance.
    *J Stat Softw*, 111(1).

    Examples
    --------
    >>> from fit_scores import clinical_significance
    >>> from fit_scores.charts.research import plot_change_scatter
    >>> t = clinical_significance([15, 18, 26, 30], [27, 20, 32, 21], higher_is_better=True,
    ...                           reliability=0.93, cutoff_type="c", m_functional=28.0,
    ...                           sd_functional=6.8, m_clinical=19.6, sd_clinical=8.7)
    >>> ax = plot_change_scatter(t, locale="en", scale_range=(0, 40))
    >>> [text.get_text() for text in ax.get_legend().get_texts()][:3]
    ['Recovered (n = 1)', 'Improved (n = 1)', 'Unchanged (n = 1)']
    >>> ax.get_xlim() == ax.get_ylim()
    True
    """
    loc = normalise_locale(locale)
    if ax is None:
        ax = _new_axes(8.5, 10.5)
        ax.set_anchor("S")  # the square axes keeps its bottom: the layout settles at once
    _style_axes(ax)
    lo, hi = _limits(table, scale_range)
    xs = np.array([lo, hi])
    handles: list[Artist] = []
    for category in table.categories:
        mask = table.category == category
        count = int(mask.sum())
        label = _text(
            "research.count",
            loc,
            label=_text(f"research.category.{category}", loc),
            n=format_number(count, loc, decimals=0),
        )
        points = ax.scatter(
            table.pre[mask],
            table.post[mask],
            s=_MARKER_AREA.get(CATEGORY_MARKERS[category], 55.0),
            marker=CATEGORY_MARKERS[category],
            color=CATEGORY_COLOURS[category],
            edgecolors=BACKGROUND,
            linewidths=0.6,
            alpha=0.9,
            zorder=4,
            label=label,
        )
        points.set_gid(f"points.{category}")
        handles.append(points)
    if show_band:
        band = _band(table, xs, loc)
        if band is not None:
            lower, upper, band_label = band
            fill = ax.fill_between(
                xs,
                lower,
                upper,
                color=COLOURS["rc_band"],
                alpha=0.25,
                linewidth=0,
                zorder=1,
                label=band_label,
            )
            fill.set_gid("band")
            handles.append(fill)
            for name, edge in (("lower", lower), ("upper", upper)):
                (line,) = ax.plot(
                    xs, edge, color=COLOURS["muted"], linestyle="--", linewidth=1.0, zorder=2
                )
                line.set_gid(f"band.{name}")
    if show_identity:
        (identity,) = ax.plot(
            xs,
            xs,
            color=COLOURS["expected"],
            linestyle="-",
            linewidth=1.2,
            zorder=3,
            label=_text("research.scatter.identity", loc),
        )
        identity.set_gid("identity")
        handles.append(identity)
    if show_cutoff and table.cutoff is not None:
        cut = table.cutoff
        cut_label = _text(
            "research.scatter.cutoff",
            loc,
            type=cut.type,
            method=cut.method,
            value=format_number(cut.value, loc, decimals=1),
        )
        style: dict[str, Any] = {
            "color": COLOURS["cutoff"],
            "linestyle": "-.",
            "linewidth": 1.2,
            "zorder": 3,
        }
        (vertical,) = ax.plot([cut.value, cut.value], xs, label=cut_label, **style)
        (horizontal,) = ax.plot(xs, [cut.value, cut.value], **style)
        vertical.set_gid("cutoff.pre")
        horizontal.set_gid("cutoff.post")
        handles.append(vertical)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal", adjustable="box")
    for axis in (ax.xaxis, ax.yaxis):
        _number_ticks(axis, loc)
    ax.set_xlabel(_text("research.scatter.x", loc), fontproperties=_font("label"))
    ax.set_ylabel(_text("research.scatter.y", loc), fontproperties=_font("label"))
    direction = "higher" if table.higher_is_better else "lower"
    _legend_below(ax, handles, _text(f"research.direction.{direction}", loc), ncols=1)
    n = format_number(table.n_used, loc, decimals=0)
    if table.n_original > table.n_used:
        default = _text(
            "research.scatter.title_excluded",
            loc,
            n=n,
            total=format_number(table.n_original, loc, decimals=0),
        )
    else:
        default = _text("research.scatter.title", loc, n=n)
    _title(ax, title, default)
    return ax


# --- category shares ---------------------------------------------------------------


def plot_category_shares(
    summary: CategorySummary,
    *,
    ax: Axes | None = None,
    locale: str = "nb",
    title: str | None = None,
) -> Axes:
    """Horizontal bars of the share of people per change category, with Wilson intervals.

    Without groups there is one bar per category, labelled on the axis. With
    groups (``table.summary(by_group=True)``) there is one block of bars per
    group, labelled "group (n = ...)", one bar per category, and a legend of
    the categories. Categories differ in colour *and* hatch. Each bar ends
    in its share and count ("32,5 % (13)"); the error bars are the Wilson
    interval (``ci_low``, ``ci_high``) at the summary's level.

    Parameters
    ----------
    summary : CategorySummary
        From :meth:`fit_scores.ChangeTable.summary`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure (built without pyplot).
    locale : {"nb", "nn", "en"}
        Language of every text (default Norwegian Bokmål).
    title : str, optional
        The title; by default "Andel per kategori (n = ...)" in the locale; ``""`` for none.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Notes
    -----
    The share is the share within the group (``percent_by_group``), or of
    all people analysed without groups (``percent``); the interval is the
    Wilson (1927) score interval of that share.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. *JASA*, 22, 209-212.

    Examples
    --------
    >>> from fit_scores import reliable_change
    >>> from fit_scores.charts.research import plot_category_shares
    >>> t = reliable_change([20, 18, 25, 30], [28, 19, 24, 20], higher_is_better=True,
    ...                     reliability=0.93)
    >>> ax = plot_category_shares(t.summary(), locale="nb")
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['Bedret', 'Uendret', 'Forverret']
    >>> sorted(text.get_text() for text in ax.texts)
    ['25,0 % (1)', '25,0 % (1)', '50,0 % (2)']
    """
    loc = normalise_locale(locale)
    rows = summary.rows
    categories = list(dict.fromkeys(row.category for row in rows))
    groups = list(dict.fromkeys(row.group for row in rows))
    grouped = any(g is not None for g in groups)
    lookup = {(row.group, row.category): row for row in rows}
    n_bars = len(categories) * len(groups)
    if ax is None:
        ax = _new_axes(8.5, 2.0 + 0.5 * n_bars + (0.9 if grouped else 0.0))
    _style_axes(ax)
    height = 0.8 / len(categories) if grouped else 0.7
    top = 0.0
    for j, category in enumerate(categories):
        ys: list[float] = []
        shares: list[float] = []
        lows: list[float] = []
        highs: list[float] = []
        counts: list[int] = []
        for i, group in enumerate(groups):
            row = lookup[(group, category)]
            share = row.percent_by_group if row.percent_by_group is not None else row.percent
            ys.append(i - 0.4 + height * (j + 0.5) if grouped else float(j))
            shares.append(100.0 * share)
            lows.append(100.0 * row.ci_low)
            highs.append(100.0 * row.ci_high)
            counts.append(row.n)
        bars = ax.barh(
            ys,
            shares,
            height=height * (0.9 if grouped else 1.0),
            color=CATEGORY_COLOURS[category],
            edgecolor=BACKGROUND,
            linewidth=0.8,
            hatch=CATEGORY_HATCHES[category],
            label=_text(f"research.category.{category}", loc),
            zorder=2,
        )
        for patch, group in zip(bars.patches, groups, strict=True):
            patch.set_gid(
                f"share.{category}"
                if group is None
                else f"share.{category}.{svg_id_part(str(group))}"
            )
        share_arr = np.asarray(shares)
        errors = np.vstack(
            [
                np.maximum(share_arr - np.asarray(lows), 0.0),
                np.maximum(np.asarray(highs) - share_arr, 0.0),
            ]
        )
        container = ax.errorbar(
            share_arr,
            ys,
            xerr=errors,
            fmt="none",
            ecolor=COLOURS["text"],
            elinewidth=1.2,
            capsize=3,
            zorder=3,
        )
        for bar_lines in container.lines[2]:
            bar_lines.set_gid(f"ci.{category}")
        for y, share, high, k in zip(ys, shares, highs, counts, strict=True):
            ax.text(
                high + 1.5,
                y,
                _text(
                    "research.shares.value",
                    loc,
                    percent=_percent(share, loc),
                    n=format_number(k, loc, decimals=0),
                ),
                va="center",
                ha="left",
                fontproperties=_font("note"),
                color=COLOURS["text"],
                zorder=4,
            )
        top = max(top, *highs)
    if grouped:
        totals = {g: sum(lookup[(g, c)].n for c in categories) for g in groups}
        ax.set_yticks(
            list(range(len(groups))),
            [
                _text(
                    "research.group",
                    loc,
                    group=plain_text(str(g)),
                    n=format_number(totals[g], loc, decimals=0),
                )
                for g in groups
            ],
        )
        handles = [
            Patch(
                facecolor=CATEGORY_COLOURS[c],
                edgecolor=BACKGROUND,
                hatch=CATEGORY_HATCHES[c],
                label=_text(f"research.category.{c}", loc),
            )
            for c in categories
        ]
        _legend_below(ax, list(handles), None, ncols=2)
    else:
        ax.set_yticks(
            list(range(len(categories))),
            [_text(f"research.category.{c}", loc) for c in categories],
        )
    ax.invert_yaxis()
    ax.set_xlim(0.0, max(top, 10.0) + 25.0)
    ax.xaxis.set_major_locator(FixedLocator([0.0, 20.0, 40.0, 60.0, 80.0, 100.0]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _percent(v, loc, decimals=0)))
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color=COLOURS["muted"], alpha=0.25, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.set_xlabel(
        _text("research.shares.x", loc, level=_percent(100.0 * summary.level, loc, decimals=0)),
        fontproperties=_font("label"),
    )
    n = format_number(summary.n_used, loc, decimals=0)
    if summary.n_original > summary.n_used:
        default = _text(
            "research.shares.title_excluded",
            loc,
            n=n,
            total=format_number(summary.n_original, loc, decimals=0),
        )
    else:
        default = _text("research.shares.title", loc, n=n)
    _title(ax, title, default)
    return ax


# --- expected-trajectory fan ---------------------------------------------------------


def _fan_times(
    model: GrowthModel | CohortModel | NeighboursModel, start: float, end: float
) -> FloatArray:
    """The times at which the fan is evaluated."""
    if model.axis == "session":
        return np.arange(start, math.floor(end) + 1.0, dtype=np.float64)
    if model.kind == "cohort":
        steps = [a for a in model.ats if start < a <= end]
        return np.asarray([start, *steps], dtype=np.float64)
    return np.linspace(start, end, max(2, min(200, int((end - start) // 7) + 2)))


def _fan_end(
    model: GrowthModel | CohortModel | NeighboursModel,
    until: float | None,
    observed: FloatArray,
    start: float,
) -> float:
    if until is not None:
        if not math.isfinite(until) or until < start:
            raise TrajectoryInputError(f"until must be a time from {start:g}, got {until!r}")
        return float(until)
    if model.kind == "cohort" and model.ats:
        end = max(model.ats)
    else:
        end = 10.0 if model.axis == "session" else 180.0
    if observed.size:
        end = max(end, float(observed[:, 0].max()))
    return end


def plot_expected_fan(
    model: GrowthModel | CohortModel | NeighboursModel,
    intake: float,
    *,
    ax: Axes | None = None,
    locale: str = "nb",
    until: float | None = None,
    observed: Sequence[tuple[float, float]] | None = None,
    covariates: Mapping[str, float] | None = None,
    title: str | None = None,
) -> Axes:
    """The expected course of a fitted expected-response model for one intake score, as a fan.

    The median (the expected line) and nested percentile bands (the model's
    percentiles paired from the outside in, e.g. 10-90 and 25-75) as
    transparent fills, with each band edge drawn as a line and labelled at
    its right end ("10 %"). Optionally a person's observed scores on top.

    Parameters
    ----------
    model : GrowthModel, CohortModel or NeighboursModel
        From :func:`fit_scores.fit_expected_response` (or :func:`fit_scores.load_model`).
    intake : float
        The intake score the course is expected for.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure (built without pyplot).
    locale : {"nb", "nn", "en"}
        Language of every text (default Norwegian Bokmål).
    until : float, optional
        The last session number (or day since intake, for ``axis="days"``
        models). By default the last time of a cohort model's table, else 10
        sessions or 180 days, extended to the last observed time.
    observed : sequence of (time, score), optional
        A person's scores, on the model's time axis.
    covariates : mapping, optional
        Covariate values, for a neighbours model fitted with covariates.
    title : str, optional
        The title; by default "Forventet forløp (modell), startskår ..." in
        the locale; ``""`` for none.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Notes
    -----
    The fan is evaluated at every session from 1 to ``until``; for a days
    model, at the steps of a cohort model's table, else about weekly. Times
    where the model has too little reference data
    (:class:`fit_scores.trajectories.NoReferenceDataError`, for example a
    cohort model without enough tracks at some session) are skipped: the
    lines and fills have a gap there. At intake the band is the intake score
    itself.

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores import TrajectoryData, fit_expected_response
    >>> from fit_scores.charts.research import plot_expected_fan
    >>> rng = np.random.default_rng(1)
    >>> ids = np.repeat(np.arange(60), 5)
    >>> session = np.tile(np.arange(1, 6), 60)
    >>> score = np.repeat(rng.normal(18, 5, 60), 5) + 3 * np.log(session)
    >>> score = score + rng.normal(0, 1.5, ids.size)
    >>> model = fit_expected_response(TrajectoryData.from_arrays(ids, session, score), "cohort",
    ...                               min_n=5)
    >>> ax = plot_expected_fan(model, 18.0, locale="en", observed=[(1, 18.0), (3, 21.5)])
    >>> sorted(text.get_text() for text in ax.texts)
    ['10%', '25%', '75%', '90%']
    """
    loc = normalise_locale(locale)
    start = 1.0 if model.axis == "session" else 0.0
    points = (
        np.asarray(observed, dtype=np.float64).reshape(-1, 2)
        if observed is not None and len(observed)
        else np.empty((0, 2))
    )
    end = _fan_end(model, until, points, start)
    times = _fan_times(model, start, end)
    percentiles = tuple(model.percentiles)
    median = np.full(times.size, np.nan)
    values = np.full((times.size, len(percentiles)), np.nan)
    for i, at in enumerate(times):
        try:
            band = model.expected(intake, float(at), covariates=covariates)
        except NoReferenceDataError:
            continue
        median[i] = band.median
        values[i] = [band.band(p) for p in percentiles]
    if ax is None:
        ax = _new_axes(8.0, 6.5)
    _style_axes(ax)
    column = {p: values[:, k] for k, p in enumerate(percentiles)}
    lower = [p for p in percentiles if p < 50]
    upper = [p for p in percentiles if p > 50][::-1]
    handles: list[Artist] = []
    (median_line,) = ax.plot(
        times,
        median,
        color=COLOURS["expected"],
        linewidth=2.2,
        zorder=3,
        label=_text("research.fan.median", loc),
    )
    median_line.set_gid("fan.median")
    handles.append(median_line)
    for low, high in zip(lower, upper, strict=False):
        fill = ax.fill_between(
            times,
            column[low],
            column[high],
            color=COLOURS["band"],
            alpha=0.15,
            linewidth=0,
            zorder=1,
            label=_text("research.fan.band", loc, low=_short(low, loc), high=_short(high, loc)),
        )
        fill.set_gid(f"fan.band.{low:g}-{high:g}")
        handles.append(fill)
    span = times[-1] - times[0] if times.size > 1 else 1.0
    for p in percentiles:
        style = "--" if min(p, 100 - p) >= 20 else ":"
        (edge,) = ax.plot(
            times, column[p], color=COLOURS["band"], linewidth=1.0, linestyle=style, zorder=2
        )
        edge.set_gid(f"fan.edge.{p:g}")
        finite = np.flatnonzero(np.isfinite(column[p]))
        if finite.size:
            last = int(finite[-1])
            label = ax.text(
                times[last] + 0.015 * span,
                column[p][last],
                _text("research.percent", loc, value=_short(p, loc)),
                va="center",
                ha="left",
                fontproperties=_font("note"),
                color=COLOURS["text"],
            )
            label.set_gid(f"fan.label.{p:g}")
    if points.size:
        (person,) = ax.plot(
            points[:, 0],
            points[:, 1],
            color=COLOURS["score"],
            marker="o",
            markersize=7,
            linewidth=1.5,
            zorder=4,
            label=_text("research.fan.observed", loc),
        )
        person.set_gid("fan.observed")
        handles.append(person)
    ax.set_xlim(times[0] - 0.02 * span, times[-1] + 0.12 * span)
    if model.axis == "session":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for axis in (ax.xaxis, ax.yaxis):
        _number_ticks(axis, loc)
    ax.set_xlabel(_text(f"research.fan.x.{model.axis}", loc), fontproperties=_font("label"))
    ax.set_ylabel(_text("research.fan.y", loc), fontproperties=_font("label"))
    reference = _text(
        "research.fan.reference", loc, n=format_number(model.n_tracks, loc, decimals=0)
    )
    _legend_below(ax, handles, reference, ncols=2)
    default = _text(
        "research.fan.title",
        loc,
        model=_text(f"research.fan.model.{model.kind}", loc),
        intake=format_number(intake, loc, decimals=1),
    )
    _title(ax, title, default)
    return ax
