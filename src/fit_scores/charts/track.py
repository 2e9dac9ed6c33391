"""The track chart a coordinator shows a family, and the family chart."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from matplotlib.figure import Figure

from fit_scores.charts._common import date_axis, font, style_axes, to_num
from fit_scores.charts._style import (
    BACKGROUND,
    COLOURS,
    STATUS_COLOURS,
    STATUS_MARKERS,
)
from fit_scores.charts.describe import (
    adults_first,
    member_label,
    rater_text,
    story,
)
from fit_scores.errors import NoReferenceDataError
from fit_scores.i18n import format_number, message, normalise_locale

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from fit_scores.alliance import AllianceRules
    from fit_scores.records import Family, Person, Track

__all__ = ["plot_family", "plot_track"]

XAxis = Literal["date", "session"]
Style = Literal["conversation", "detail"]

SIGNAL_MARKERS = {
    "below_cutoff": "o",
    "drop": "v",
    "item_below": "d",
    "ceiling": "^",
    "missing": "x",
}


def _x_values(track: Track, x: XAxis) -> np.ndarray:
    if x == "date":
        return np.array([to_num(a.date) for a in track.administrations])
    return track.times("session")


def _check(locale: str, x: str, style: str) -> str:
    loc = normalise_locale(locale)
    if x not in ("date", "session"):
        raise ValueError(f"x must be 'date' or 'session', got {x!r}")
    if style not in ("conversation", "detail"):
        raise ValueError(f"style must be 'conversation' or 'detail', got {style!r}")
    return loc


def _cutoff_steps(track: Track, person: Person | None) -> list[float | None]:
    return [
        None if (c := track.cutoff_at(i, person)) is None else c.value for i in range(len(track))
    ]


def _draw_outcome(
    ax: Axes,
    track: Track,
    *,
    xs: np.ndarray,
    loc: str,
    style: Style,
    person: Person | None,
    model: Any | None,
    colour: str,
    marker: str = "o",
    linestyle: str = "-",
    label: str | None = None,
    show_rc: bool = True,
) -> None:
    scale = track.scale
    ys = np.array([float(a.total_exact) for a in track.administrations])
    span = (xs.min() - 0.5, xs.max() + 0.5) if xs.size == 1 else (xs.min(), xs.max())
    # reliable-change band around the intake score (no clear change inside it)
    rc = scale.reliable_change
    if show_rc and rc is not None and rc.published and ys.size:
        half = rc.threshold()
        ax.fill_between(
            span,
            ys[0] - half,
            ys[0] + half,
            color=COLOURS["rc_band"],
            alpha=0.18,
            linewidth=0,
            zorder=1,
            label="_rc_band",
        )
        if style == "detail":
            ax.text(
                span[0],
                ys[0] + half,
                " " + message("chart.rc_band", loc),
                fontproperties=font("note"),
                color=COLOURS["muted"],
                va="bottom",
                ha="left",
            )
    # cutoff for each administration's age band and rater: a step line that can change
    cuts = _cutoff_steps(track, person)
    for i, value in enumerate(cuts):
        if value is None:
            continue
        x0 = xs[i]
        x1 = xs[i + 1] if i + 1 < xs.size else span[1]
        if x1 == x0:
            x1 = x0 + (0.5 if xs.size == 1 else 0)
        ax.plot(
            [x0, x1],
            [value, value],
            color=COLOURS["cutoff"],
            linestyle="--",
            linewidth=1.4,
            zorder=2,
            label="_cutoff",
        )
    last_cut = next((c for c in reversed(cuts) if c is not None), None)
    if last_cut is not None:
        ax.text(
            span[1],
            last_cut,
            " " + message("chart.cutoff", loc, value=format_number(last_cut, loc)),
            fontproperties=font("note"),
            color=COLOURS["cutoff"],
            va="center",
            ha="left",
        )
    # expected course and band from a fitted model
    if model is not None and ys.size:
        _draw_expected(ax, track, xs=xs, ys=ys, loc=loc, style=style, model=model)
    ax.plot(
        xs,
        ys,
        color=colour,
        marker=marker,
        linestyle=linestyle,
        linewidth=2.4,
        markersize=8,
        zorder=4,
        label=label or "_score",
    )
    ends = range(ys.size) if style == "detail" else sorted({0, ys.size - 1})
    for i in ends:
        ax.annotate(
            format_number(ys[i], loc),
            (xs[i], ys[i]),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontproperties=font("note"),
            color=colour,
        )
    ax.set_ylim(scale.total_min, scale.total_max)


def _draw_expected(
    ax: Axes, track: Track, *, xs: np.ndarray, ys: np.ndarray, loc: str, style: Style, model: Any
) -> None:
    times = track.times(model.axis)
    med, lo, hi, px = [], [], [], []
    for x, t in zip(xs, times, strict=True):
        try:
            band = model.expected(float(ys[0]), float(t))
        except NoReferenceDataError:
            continue
        px.append(x)
        med.append(band.median)
        lo.append(band.values[0])
        hi.append(band.values[-1])
    if not px:
        return
    ax.fill_between(
        px, lo, hi, color=COLOURS["band"], alpha=0.12, linewidth=0, zorder=1, label="_expected_band"
    )
    ax.plot(
        px,
        med,
        color=COLOURS["expected"],
        linestyle=":",
        linewidth=2.0,
        zorder=3,
        label="_expected",
    )
    ax.text(
        px[-1],
        med[-1],
        " " + message("chart.expected", loc),
        fontproperties=font("note"),
        color=COLOURS["expected"],
        va="center",
        ha="left",
    )
    if style == "detail":
        ax.text(
            px[-1],
            hi[-1],
            " " + message("chart.expected_band", loc),
            fontproperties=font("note"),
            color=COLOURS["muted"],
            va="bottom",
            ha="left",
        )


def _draw_status(ax: Axes, status: str, loc: str) -> None:
    text = message(f"status.{status}", loc)
    ax.plot(
        [0.02],
        [0.06],
        transform=ax.transAxes,
        marker=STATUS_MARKERS[status],
        color=STATUS_COLOURS[status],
        markersize=11,
        linestyle="none",
        label="_status",
    )
    ax.text(
        0.05,
        0.06,
        text,
        transform=ax.transAxes,
        fontproperties=font("label", weight="bold"),
        color=STATUS_COLOURS[status],
        va="center",
        ha="left",
    )


def _draw_alliance(
    ax: Axes,
    alliance: Track,
    signals: Any,
    *,
    x: XAxis,
    loc: str,
    person: Person | None,
    outcome_sessions: dict[dt.date, float],
) -> None:
    if x == "date":
        xs = np.array([to_num(a.date) for a in alliance.administrations])
    else:
        xs = np.array([outcome_sessions.get(a.date, np.nan) for a in alliance.administrations])
    ys = np.array([float(a.total_exact) for a in alliance.administrations])
    cuts = _cutoff_steps(alliance, person)
    value = next((c for c in reversed(cuts) if c is not None), None)
    if value is not None:
        ax.axhline(
            value, color=COLOURS["cutoff"], linestyle="--", linewidth=1.2, zorder=2, label="_cutoff"
        )
        ax.text(
            1.0,
            value,
            " " + message("chart.cutoff", loc, value=format_number(value, loc)),
            transform=ax.get_yaxis_transform(),
            fontproperties=font("note"),
            color=COLOURS["cutoff"],
            va="center",
            ha="left",
        )
    ax.plot(
        xs,
        ys,
        color=COLOURS["alliance"],
        marker="D",
        linewidth=2.0,
        markersize=6,
        zorder=4,
        label="_alliance",
    )
    for sig in signals:
        if sig.index is None:
            sx = to_num(sig.date) if x == "date" else outcome_sessions.get(sig.date, np.nan)
            ax.plot(
                [sx],
                [alliance.scale.total_min + 1],
                marker=SIGNAL_MARKERS[sig.rule],
                color=COLOURS["muted"],
                markersize=9,
                linestyle="none",
                label=f"_signal_{sig.rule}",
            )
            continue
        ax.plot(
            [xs[sig.index]],
            [ys[sig.index]],
            marker=SIGNAL_MARKERS[sig.rule],
            markersize=13,
            markerfacecolor="none",
            markeredgecolor=STATUS_COLOURS["off_track"],
            markeredgewidth=2.0,
            linestyle="none",
            zorder=5,
            label=f"_signal_{sig.rule}",
        )
    low = min(float(ys.min()), value if value is not None else 40.0) - 4
    ax.set_ylim(max(alliance.scale.total_min, low), alliance.scale.total_max + 1)
    ax.set_ylabel(
        message("chart.y.alliance", loc, scale=alliance.scale.key),
        fontproperties=font("label"),
        color=COLOURS["text"],
    )


def plot_track(
    track: Track,
    *,
    model: Any | None = None,
    alliance: Track | None = None,
    person: Person | None = None,
    rules: AllianceRules | None = None,
    ax: Axes | None = None,
    locale: str = "nb",
    x: XAxis = "date",
    style: Style = "conversation",
    title: str | None = None,
) -> Axes | Figure:
    """The outcome chart of one track, as a coordinator shows it to a family.

    The score on the scale's fixed axis (0-40 for the ORS family) against date
    (default) or session; the cutoff line for the person's age band and rater,
    changing where the band changes; the band of no reliable change around
    the intake score; the expected course and its band and the on-track status
    when a fitted ``model`` is given; and, with ``alliance``, the session
    rating in a panel below with its cutoff and flagged signals. Lines carry
    direct labels instead of a legend. ``style="conversation"`` labels only the
    first and latest score; ``"detail"`` labels every score and the bands.

    Parameters
    ----------
    track : Track
        An outcome track.
    model : GrowthModel, CohortModel or NeighboursModel, optional
        A fitted expected-response model.
    alliance : Track, optional
        The alliance (SRS-family) track of the same person.
    person : Person, optional
        The person, for ages when the administrations carry none.
    rules : AllianceRules, optional
        Thresholds of the alliance signals.
    ax : Axes, optional
        Where to draw (single panel only).
    locale : {"nb", "nn", "en"}
        Language of every text (nb by default).
    x : {"date", "session"}
        The time axis.
    style : {"conversation", "detail"}
        How much to show.
    title : str, optional
        Defaults to the scale and the rater ("ORS, egen vurdering").

    Returns
    -------
    Axes or Figure
        The Axes; a Figure when the alliance panel is drawn.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> from fit_scores.charts import plot_track
    >>> family = example_family()
    >>> ors, srs = family.tracks_of("mor")
    >>> fig = plot_track(ors, alliance=srs, person=family.member("mor"))
    >>> len(fig.axes)
    2
    """
    loc = _check(locale, x, style)
    if track.scale.kind != "outcome":
        raise ValueError(
            f"plot_track draws an outcome track; {track.scale.key} is an alliance scale"
        )
    s = story(track, model=model, alliance=alliance, person=person, rules=rules)
    if alliance is not None:
        if ax is not None:
            raise ValueError("with an alliance panel the chart is a Figure of its own; omit ax")
        fig = Figure(figsize=(6.4, 6.4), facecolor=BACKGROUND)
        top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1.4]})
        main = top
    else:
        main = (
            ax if ax is not None else Figure(figsize=(6.4, 4.8), facecolor=BACKGROUND).add_subplot()
        )
    xs = _x_values(track, x)
    _draw_outcome(
        main,
        track,
        xs=xs,
        loc=loc,
        style=style,
        person=person,
        model=model,
        colour=COLOURS["score"],
    )
    if s.status is not None:
        _draw_status(main, s.status.status, loc)
    scale = track.scale
    main.set_ylabel(
        message(
            "chart.y.outcome",
            loc,
            scale=scale.key,
            low=format_number(scale.total_min, loc, decimals=0),
            high=format_number(scale.total_max, loc, decimals=0),
        ),
        fontproperties=font("label"),
        color=COLOURS["text"],
    )
    main.set_title(
        title
        if title is not None
        else message("chart.title", loc, scale=scale.key, rater=rater_text(track, loc)),
        fontproperties=font("title", weight="bold"),
        color=COLOURS["text"],
        loc="left",
    )
    axes = [main]
    if alliance is not None:
        sessions = dict(zip(track.dates, _x_values(track, "session"), strict=True))
        _draw_alliance(
            bottom, alliance, s.signals, x=x, loc=loc, person=person, outcome_sessions=sessions
        )
        axes.append(bottom)
    for a in axes:
        style_axes(a, loc)
        if x == "date":
            date_axis(a, loc)
    last = axes[-1]
    last.set_xlabel(
        message(f"chart.x.{x}", loc), fontproperties=font("label"), color=COLOURS["text"]
    )
    if alliance is not None:
        fig.subplots_adjust(left=0.13, right=0.8, top=0.92, bottom=0.1, hspace=0.12)
        return fig
    main.figure.subplots_adjust(left=0.13, right=0.8, top=0.9, bottom=0.14)
    result: Axes = main
    return result


def plot_family(
    family: Family,
    *,
    locale: str = "nb",
    today: dt.date | None = None,
    recent_days: int = 183,
    style: Style = "conversation",
) -> Figure:
    """Every member of a family as small multiples on one shared date axis, adults first.

    Each member gets a row with their outcome tracks: self-ratings as solid
    lines with circles, ratings by a caretaker or another person as dashed
    lines with squares and a direct label; the cutoff for each score's age
    band is drawn as a dashed step line. A member with no score in the last
    ``recent_days`` (before ``today``, default the family's latest date) or no
    score at all is marked as such in words, so a gap is visible.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> from fit_scores.charts import plot_family
    >>> fig = plot_family(example_family(), locale="en")
    >>> len(fig.axes)
    4
    """
    loc = _check(locale, "date", style)
    members = adults_first(family)
    all_dates = [d for t in family.tracks for d in t.dates]
    end = today or (max(all_dates) if all_dates else dt.date.today())
    fig = Figure(figsize=(6.4, 1.9 * len(members) + 0.8), facecolor=BACKGROUND)
    axes = fig.subplots(len(members), 1, sharex=True, squeeze=False)[:, 0]
    months = round(recent_days / 30.44)
    for ax, member in zip(axes, members, strict=True):
        tracks = [t for t in family.tracks_of(member.id) if t.scale.kind == "outcome"]
        for track in tracks:
            self_rated = track.rater == "self"
            _draw_outcome(
                ax,
                track,
                xs=_x_values(track, "date"),
                loc=loc,
                style=style,
                person=member,
                model=None,
                colour=COLOURS["score"] if self_rated else COLOURS["caretaker"],
                marker="o" if self_rated else "s",
                linestyle="-" if self_rated else "--",
                label=f"_{track.scale.key}_{track.rater}",
                show_rc=False,
            )
            if not self_rated:
                last = track.latest
                ax.annotate(
                    rater_text(track, loc),
                    (to_num(last.date), float(last.total_exact)),
                    xytext=(4, -14),
                    textcoords="offset points",
                    ha="left",
                    va="top",
                    fontproperties=font("note"),
                    color=COLOURS["caretaker"],
                )
        ax.set_title(
            member_label(member, loc),
            fontproperties=font("label", weight="bold"),
            color=COLOURS["text"],
            loc="left",
        )
        latest = max((d for t in tracks for d in t.dates), default=None)
        note = None
        if latest is None:
            note = message("family.no_scores", loc)
            ax.set_ylim(0, 40)
        elif (end - latest).days > recent_days:
            note = message("family.no_recent", loc, months=months)
        if note is not None:
            ax.text(
                0.98,
                0.5,
                note,
                transform=ax.transAxes,
                ha="right",
                va="center",
                fontproperties=font("note"),
                color=COLOURS["muted"],
                bbox={
                    "facecolor": BACKGROUND,
                    "edgecolor": COLOURS["muted"],
                    "boxstyle": "round,pad=0.3",
                },
            )
        style_axes(ax, loc)
        date_axis(ax, loc)
    if all_dates:
        axes[-1].set_xlim(to_num(min(all_dates)) - 20, to_num(end) + 20)
    axes[-1].set_xlabel(
        message("chart.x.date", loc), fontproperties=font("label"), color=COLOURS["text"]
    )
    fig.subplots_adjust(left=0.12, right=0.8, top=0.95, bottom=0.08, hspace=0.55)
    return fig
