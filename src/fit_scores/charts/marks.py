"""The marks of the coordinator charts, each with its name on the chart.

Shared by :func:`~fit_scores.charts.plot_track` and
:func:`~fit_scores.charts.plot_family`: the score line of one rater (one
colour, line style and marker per rater on every chart), the cutoff step
line, the hatched no-clear-change zone around the intake, the outlined
expected zone, the alliance panel with worded flags, and the verdict. Every
label goes through the :class:`~fit_scores.charts.layout.LabelPlacer`, so no
two texts overlap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from fit_scores.charts._common import font, scale_axis, to_num
from fit_scores.charts._style import (
    COLOURS,
    FAMILY_TEXT_SIZES,
    RATER_STYLES,
    STATUS_COLOURS,
    TEXT_SIZES,
)
from fit_scores.charts.describe import alliance_state
from fit_scores.charts.layout import AROUND, AROUND_WIDE, LabelPlacer, stacked
from fit_scores.charts.text import plain_text
from fit_scores.errors import NoReferenceDataError
from fit_scores.i18n import format_number, message
from fit_scores.trajectories.axis import from_intake

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from fit_scores.alliance import AllianceSignal
    from fit_scores.records import Person, Track

__all__ = [
    "Audience",
    "Look",
    "draw_alliance",
    "draw_cutoffs",
    "draw_expected",
    "draw_rc_zone",
    "draw_scores",
    "look",
    "rater_words",
]

Audience = Literal["family", "coordinator"]

LABEL_BOX = {"facecolor": "#FFFFFF", "edgecolor": "none", "pad": 0.6, "alpha": 0.9}


@dataclass(frozen=True)
class Look:
    """Text sizes and wording choices of one audience."""

    audience: Audience
    locale: str
    sizes: dict[str, float]

    def font(self, size: str = "note", *, weight: str = "normal") -> Any:
        """The chart font at one of this audience's sizes."""
        return font(size, weight=weight, sizes=self.sizes)


def right_note(
    ax: Axes,
    placer: LabelPlacer,
    text: str,
    y: float,
    lk: Look,
    colour: str,
    weight: str = "normal",
) -> None:
    """A direct label at height ``y`` in the column right of the data area (names a mark)."""
    placer.add(
        ax,
        text,
        (1.0, y),
        xycoords=ax.get_yaxis_transform(),
        candidates=stacked(),
        region="right",
        fontproperties=lk.font("note", weight=weight),
        color=colour,
    )


def look(audience: str, locale: str) -> Look:
    """The look of ``audience`` ("family": big type, plain words; "coordinator": detail)."""
    sizes = FAMILY_TEXT_SIZES if audience == "family" else TEXT_SIZES
    return Look(audience, locale, sizes)  # type: ignore[arg-type]


def rater_words(track: Track, locale: str) -> str:
    """Who rated, in words: "mor, egen vurdering" or "mor om jente"."""
    who = plain_text(track.person)
    if track.rater == "self":
        return message("chart.who.self", locale, id=who)
    rater = plain_text(track.rater_id or message("chart.rater.someone", locale))
    return message("chart.who.other", locale, rater=rater, id=who)


def x_of(track: Track, x: str) -> np.ndarray:
    """The x position of every administration: date numbers or session numbers."""
    if x == "date":
        return np.array([to_num(a.date) for a in track.administrations])
    return track.times("session")


def cutoffs_of(track: Track, person: Person | None) -> list[float | None]:
    """The cutoff value at every administration (by its age band and rater)."""
    out: list[float | None] = []
    for i in range(len(track)):
        c = track.cutoff_at(i, person)
        out.append(None if c is None else c.value)
    return out


def draw_scores(
    ax: Axes,
    placer: LabelPlacer,
    track: Track,
    xs: np.ndarray,
    lk: Look,
    *,
    label_all: bool,
    label_first_only: bool = False,
    line_end: str | None = None,
) -> None:
    """The score line in the rater's encoding, score labels, and an optional line-end label."""
    colour, linestyle, marker = RATER_STYLES[track.rater]
    ys = np.array([float(a.total_exact) for a in track.administrations])
    ax.plot(
        xs,
        ys,
        color=colour,
        marker=marker,
        linestyle=linestyle,
        linewidth=2.4,
        markersize=8,
        zorder=4,
        label="_score" if track.rater == "self" else f"_score_{track.rater}",
    )
    which: Any = range(ys.size) if label_all else sorted({0, ys.size - 1})
    if label_first_only and not label_all:
        which = [0]
    for i in which:
        placer.add(
            ax,
            format_number(ys[i], lk.locale),
            (float(xs[i]), float(ys[i])),
            candidates=AROUND,
            region="axes",
            fontproperties=lk.font("note"),
            color=colour,
            bbox=LABEL_BOX,
            zorder=6,
        )
    if line_end is not None:
        right_note(ax, placer, line_end, float(ys[-1]), lk, colour)


def draw_cutoffs(
    ax: Axes,
    placer: LabelPlacer,
    track: Track,
    xs: np.ndarray,
    lk: Look,
    *,
    person: Person | None,
    end: float,
    words: Literal["long", "short", "number"],
    at_end: bool = False,
) -> float | None:
    """The cutoff as a step line (it changes with the age band) and its label at the right.

    ``words="long"`` says what the line means ("over = som folk flest"),
    ``"short"`` names it ("Streken 25"), ``"number"`` gives the coordinator's
    "Grense 25,0". Returns the latest cutoff.
    """
    cuts = cutoffs_of(track, person)
    for i, value in enumerate(cuts):
        if value is None:
            continue
        x0 = float(xs[i])
        x1 = float(xs[i + 1]) if i + 1 < xs.size else end
        ax.plot(
            [x0, max(x1, x0)],
            [value, value],
            color=COLOURS["cutoff"],
            linestyle="--",
            linewidth=1.4,
            zorder=2,
            label="_cutoff",
        )
    last = next((c for c in reversed(cuts) if c is not None), None)
    if last is not None:
        shown = format_number(last, lk.locale, decimals=0 if float(last).is_integer() else 1)
        if words == "long":
            text = message("chart.cutoff_line", lk.locale, value=shown)
        elif words == "short":
            text = message("chart.cutoff_short", lk.locale, value=shown)
        else:
            text = message("chart.cutoff", lk.locale, value=format_number(last, lk.locale))
        if at_end:  # a period that ends before the chart does: label it where it ends
            placer.add(
                ax,
                text,
                (end, last),
                # ending before its right end: left of the end, above or below the line
                candidates=tuple(
                    (-3.0, sign * (3.0 + 4.0 * k), "right", "bottom" if sign > 0 else "top")
                    for k in range(12)
                    for sign in (1, -1)
                ),
                region="axes",
                fontproperties=lk.font("note"),
                color=COLOURS["cutoff"],
                bbox=LABEL_BOX,
                zorder=6,
            )
        else:
            right_note(ax, placer, text, last, lk, COLOURS["cutoff"])
    return last


def draw_rc_zone(
    ax: Axes, placer: LabelPlacer, track: Track, span: tuple[float, float], lk: Look
) -> bool:
    """The no-clear-change zone around the intake: hatched, dashed outline, named at the right."""
    rc = track.scale.reliable_change
    if rc is None or not rc.published:
        return False
    half = rc.threshold()
    first = float(track.intake.total_exact)
    low = max(first - half, track.scale.total_min)
    high = min(first + half, track.scale.total_max)
    ax.fill_between(
        span,
        low,
        high,
        facecolor="none",
        edgecolor=COLOURS["rc_band"],
        hatch="///",
        linewidth=1.0,
        linestyle="--",
        zorder=1,
        label="_rc_band",
    )
    right_note(
        ax, placer, message("chart.rc_zone", lk.locale), (low + high) / 2, lk, COLOURS["text"]
    )
    return True


def draw_expected(
    ax: Axes,
    placer: LabelPlacer,
    track: Track,
    model: Any,
    lk: Look,
    *,
    x: str,
) -> bool:
    """The expected course and zone on the model's own time axis, densely sampled.

    A session model is drawn at every session from 1 to the last; a days
    model at every 7th day from the intake to the latest date (mapped onto
    dates). Either way the shape does not depend on the gaps between meetings.
    """
    intake = float(track.intake.total_exact)
    times = track.times(model.axis)
    if model.axis == "session":  # the model counts sessions from the track's intake
        grid = np.arange(1.0, float(from_intake(times.max(), times[0], "session")) + 1.0)
        pos = grid + float(times[0]) - 1.0
    else:
        grid = np.arange(0.0, float(times.max()) + 1.0, 7.0)
        if grid[-1] != times.max():
            grid = np.append(grid, times.max())
        start = to_num(track.intake.date)
        pos = start + grid
    if x == "session" and model.axis != "session":
        return False
    px, med, lo, hi = [], [], [], []
    for p, t in zip(pos, grid, strict=True):
        try:
            band = model.expected(intake, float(t))
        except NoReferenceDataError:
            continue
        px.append(float(p))
        med.append(band.median)
        lo.append(band.values[0])
        hi.append(band.values[-1])
    if not px:
        return False
    ax.fill_between(
        px,
        lo,
        hi,
        facecolor=COLOURS["band"],
        alpha=0.16,
        edgecolor="none",
        zorder=1,
        label="_expected_band",
    )
    for edge in (lo, hi):
        ax.plot(px, edge, color=COLOURS["band"], linewidth=1.0, zorder=1, label="_expected_edge")
    ax.plot(
        px,
        med,
        color=COLOURS["expected"],
        linestyle=":",
        linewidth=2.0,
        zorder=3,
        label="_expected",
    )
    right_note(
        ax, placer, message("chart.expected_line", lk.locale), med[-1], lk, COLOURS["expected"]
    )
    right_note(ax, placer, message("chart.expected_zone", lk.locale), hi[-1], lk, COLOURS["score"])
    return True


def _what(sig: AllianceSignal, loc: str) -> str:
    if sig.rule == "below_cutoff" and sig.threshold is not None:
        value = format_number(sig.threshold, loc, decimals=0 if sig.threshold.is_integer() else 1)
        return message("alliance.note.below_cutoff", loc, value=value)
    return message(f"alliance.note.{sig.rule}", loc)


def draw_alliance(
    ax: Axes,
    placer: LabelPlacer,
    alliance: Track,
    signals: tuple[AllianceSignal, ...],
    lk: Look,
    *,
    x: str,
    person: Person | None,
    sessions: dict[dt.date, float],
) -> None:
    """The alliance panel: scores, cutoff, and each flagged session with a worded note.

    Flags newer than the last session without a flag carry "... - snakk om
    det"; older flags are drawn grey and hollow and marked as resolved.
    """
    loc = lk.locale
    if x == "date":
        xs = np.array([to_num(a.date) for a in alliance.administrations])
    else:
        xs = np.array([sessions.get(a.date, np.nan) for a in alliance.administrations])
    ys = np.array([float(a.total_exact) for a in alliance.administrations])
    cuts = cutoffs_of(alliance, person)
    value = next((c for c in reversed(cuts) if c is not None), None)
    if value is not None:
        ax.axhline(
            value, color=COLOURS["cutoff"], linestyle="--", linewidth=1.2, zorder=2, label="_cutoff"
        )
        right_note(
            ax,
            placer,
            message("chart.cutoff", loc, value=format_number(value, loc)),
            value,
            lk,
            COLOURS["cutoff"],
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
    state = alliance_state(alliance, signals)
    scale = alliance.scale
    bottom = min(float(ys.min()), value if value is not None else float(ys.min())) - 3
    low = max(scale.total_min, bottom)
    ax.set_ylim(low, scale.total_max + 1)
    scale_axis(ax.yaxis, low, scale.total_max, scale.resolution, loc)
    by_date: dict[dt.date, list[AllianceSignal]] = {}
    for sig in signals:
        by_date.setdefault(sig.date, []).append(sig)
    resolved_dates = {s.date for s in state.resolved}
    # current flags first: their notes get the room; resolved ones only say "løst"
    order = sorted(by_date.items(), key=lambda kv: (kv[0] in resolved_dates, kv[0]))
    for day, sigs in order:
        sig = sigs[0]
        if sig.index is None:
            sx = to_num(day) if x == "date" else sessions.get(day, np.nan)
            sy = low + 1
        else:
            sx, sy = float(xs[sig.index]), float(ys[sig.index])
        resolved = day in resolved_dates
        colour = COLOURS["muted"] if resolved else COLOURS["flag"]
        ax.plot(
            [sx],
            [sy],
            marker="o",
            markersize=13,
            markerfacecolor="none",
            markeredgecolor=colour,
            markeredgewidth=2.0,
            linestyle="none",
            zorder=5,
            label="_signal_resolved" if resolved else "_signal",
        )
        what = ",\n".join(dict.fromkeys(_what(s, loc) for s in sigs))
        if resolved:
            text = message("chart.resolved", loc)
        else:
            text = message("alliance.note", loc, what=what)
        if resolved:
            placer.add(
                ax,
                text,
                (sx, sy),
                candidates=AROUND_WIDE,
                region="axes",
                fontproperties=lk.font("note"),
                color=colour,
                bbox=LABEL_BOX,
                zorder=6,
            )
        else:  # flags after the last good session are the latest ones: noted at the right end
            right_note(ax, placer, text, sy, lk, colour, weight="bold")
    ylabel = (
        message("measure.alliance", loc)
        if lk.audience == "family"
        else message("chart.y.alliance", loc, scale=scale.key)
    )
    ax.set_ylabel(ylabel, fontproperties=lk.font("label"), color=COLOURS["text"])


def status_words(status: str, loc: str) -> tuple[str, str]:
    """The on-track status in words ("Mot forventet: På sporet") and its colour."""
    return (
        message("chart.status", loc, status=message(f"status.{status}", loc)),
        STATUS_COLOURS[status],
    )
