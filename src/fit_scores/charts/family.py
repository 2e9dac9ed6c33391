"""The family chart: every member on one shared date axis, each with a verdict in words."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from fit_scores.charts._common import date_axis, scale_axis, style_axes, to_num
from fit_scores.charts._style import BACKGROUND, COLOURS, VERDICT_COLOURS, VERDICT_ICONS
from fit_scores.charts.describe import (
    adults_first,
    alliance_state,
    primary_tracks,
    safe_change,
    verdict,
)
from fit_scores.charts.layout import LabelPlacer, fit_width, renderer_of
from fit_scores.charts.marks import (
    LABEL_BOX,
    Audience,
    draw_cutoffs,
    draw_scores,
    look,
    x_of,
)
from fit_scores.charts.text import plain_text
from fit_scores.errors import ChartInputError
from fit_scores.i18n import format_number, message, normalise_locale

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from fit_scores.alliance import AllianceRules
    from fit_scores.charts.marks import Look
    from fit_scores.records import Family, Person, Track

__all__ = ["fig_right", "member_label_safe", "member_summary", "plot_family"]


def member_summary(
    family: Family, member: Person, locale: str, rules: AllianceRules | None = None
) -> tuple[str, str, str | None]:
    """The verdict key, its words with icon, and the latest alliance state in words.

    The verdict is that of the member's latest own outcome track (after a
    scale switch: the new scale, judged by its own criterion and cutoff).

    Examples
    --------
    >>> from fit_scores import example_family
    >>> fam = example_family()
    >>> member_summary(fam, fam.member("far"), "en")
    ('better', '▲ Better', None)
    """
    loc = normalise_locale(locale)
    tracks = primary_tracks(family, member.id)
    if not tracks:
        return "too_early", "", None
    latest = tracks[-1]
    key = verdict(safe_change(latest, member))
    words = f"{VERDICT_ICONS[key]} {message(f'verdict.{key}', loc)}"
    alliance = family.alliance_track(latest)
    state = None
    if alliance is not None:
        signals = alliance.alliance_signals(rules, person=member, meetings=latest)
        state = message(f"alliance.state.{alliance_state(alliance, signals).state}", loc)
    return key, words, state


def _switches(tracks: list[Track], member: Person) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    for before, after in itertools.pairwise(tracks):
        if after.scale.key != before.scale.key:
            age = after.age_at(0, member)
            out.append((to_num(after.intake.date), after.scale.key if age is None else str(age)))
    return out


def plot_family(
    family: Family,
    *,
    locale: str = "nb",
    today: dt.date | None = None,
    recent_days: int = 183,
    audience: Audience = "family",
    rules: AllianceRules | None = None,
) -> Figure:
    """Every member of a family on one shared date axis, adults first, each with a verdict.

    Each member gets a panel headed by their name and, at the right, one
    verdict as an icon and a word ("▲ Bedre", "◆ Uendret", "▼ Verre") and
    their latest alliance state ("Samarbeid: bra" / "snakk om det"). In the
    panel: every outcome track in its rater's encoding (self: solid, circles;
    caretaker: dashed, squares; collateral: dash-dot, triangles), each line
    named at its end with its latest score, and the cutoff as a step line per
    period. A child whose scale changes with age (CORS, then ORS from 13)
    stays on one panel; the switch is marked with words ("fra 13 år: ORS")
    and each period keeps its own cutoff. A member with no score in the last
    ``recent_days`` (before ``today``, default the family's latest date) or
    none at all is marked so in words. One line above the panels says that
    higher is better and what the line means. Labels never overlap.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> from fit_scores.charts import plot_family
    >>> fig = plot_family(example_family(), locale="en")
    >>> len(fig.axes)
    4
    """
    loc = normalise_locale(locale)
    if audience not in ("family", "coordinator"):
        raise ChartInputError(f"audience must be 'family' or 'coordinator', got {audience!r}")
    lk = look(audience, loc)
    members = adults_first(family)
    all_dates = [d for t in family.tracks for d in t.dates]
    end = today or (max(all_dates) if all_dates else dt.date.today())
    panel, head, foot = 2.05, 0.55, 0.75
    height = panel * len(members) + head + foot
    fig = Figure(figsize=(7.4, height), facecolor=BACKGROUND)
    axes = fig.subplots(len(members), 1, sharex=True, squeeze=False)[:, 0]
    fig.subplots_adjust(
        left=0.1, right=0.7, top=1 - (head + 0.45) / height, bottom=foot / height, hspace=0.62
    )
    placer = LabelPlacer(fig)
    renderer = renderer_of(fig)
    months = round(recent_days / 30.44)
    x_end = to_num(end) + 20
    key_text = fig.text(
        0.02,
        1 - 0.12 / height,
        message("chart.family_key", loc),
        va="top",
        ha="left",
        fontproperties=lk.font("label", weight="bold"),
        color=COLOURS["text"],
    )
    fit_width(key_text, renderer, fig.bbox.width * 0.96)
    for ax, member in zip(axes, members, strict=True):
        _panel(ax, placer, family, member, lk, end=end, x_end=x_end, rules=rules)
        tracks = [t for t in family.tracks_of(member.id) if t.scale.kind == "outcome"]
        latest = max((d for t in tracks for d in t.dates), default=None)
        note = None
        if latest is None:
            note = message("family.no_scores", loc)
            ax.set_ylim(0, 40)
        elif (end - latest).days > recent_days:
            note = message("family.no_recent", loc, months=months)
        if note is not None:
            placer.add(
                ax,
                note,
                (0.98, 0.5),
                xycoords="axes fraction",
                candidates=((0, 0, "right", "center"), (0, 12, "right", "bottom")),
                region="axes",
                fontproperties=lk.font("note"),
                color=COLOURS["muted"],
                bbox={
                    "facecolor": BACKGROUND,
                    "edgecolor": COLOURS["muted"],
                    "boxstyle": "round,pad=0.3",
                },
            )
        style_axes(ax, loc, lk.sizes)
        date_axis(ax, loc, inches_per_label=0.85)
    if all_dates:
        axes[-1].set_xlim(to_num(min(all_dates)) - 20, x_end)
    axes[-1].set_xlabel(
        message("chart.x.date", loc), fontproperties=lk.font("label"), color=COLOURS["text"]
    )
    heads = [
        _heading(ax, family, member, lk, renderer, rules)
        for ax, member in zip(axes, members, strict=True)
    ]
    # room above every panel for its heading, whatever its height (long names wrap)
    key_in = key_text.get_window_extent(renderer).height / fig.dpi
    axes_in, gap_extra = panel - 0.6, 0.22
    first = 0.12 + key_in + 0.15 + heads[0] + 0.05
    gap = max(heads[1:], default=0.0) + gap_extra
    total = first + len(members) * axes_in + (len(members) - 1) * gap + foot
    fig.set_size_inches(fig.get_figwidth(), total)
    fig.subplots_adjust(
        top=1 - first / total, bottom=foot / total, hspace=gap / axes_in if len(members) > 1 else 0
    )
    key_text.set_y(1 - 0.12 / total)
    placer.place()
    return fig


def _panel(
    ax: Axes,
    placer: LabelPlacer,
    family: Family,
    member: Person,
    lk: Look,
    *,
    end: dt.date,
    x_end: float,
    rules: AllianceRules | None,
) -> None:
    loc = lk.locale
    tracks = [t for t in family.tracks_of(member.id) if t.scale.kind == "outcome"]
    own = primary_tracks(family, member.id)
    low, high, resolution = 0.0, 40.0, 1.0
    for track in tracks:
        xs = x_of(track, "date")
        later = [to_num(t.intake.date) for t in own if t.intake.date > track.latest.date]
        stop = min(later) if (track in own and later) else min(x_end - 20, to_num(end))
        draw_cutoffs(
            ax,
            placer,
            track,
            xs,
            lk,
            person=member,
            end=max(stop, float(xs[-1])),
            words="short" if lk.audience == "family" else "number",
            at_end=track in own and track is not own[-1],
        )
        value = format_number(float(track.latest.total_exact), loc)
        if track.rater == "self":
            line_end = message("chart.end.self", loc, id=plain_text(member.id), value=value)
        else:
            rater = plain_text(track.rater_id or message("chart.rater.someone", loc))
            line_end = message(
                "chart.end.other", loc, rater=rater, id=plain_text(member.id), value=value
            )
        current = track not in own or track is own[-1]
        draw_scores(
            ax,
            placer,
            track,
            xs,
            lk,
            label_all=lk.audience == "coordinator",
            label_first_only=current,
            line_end=line_end if current else None,
        )
        ax.lines[-1].set_label(f"_{track.scale.key}_{track.rater}")
        low, high = track.scale.total_min, track.scale.total_max
        resolution = track.scale.resolution
    for x, age in _switches(own, member):
        ax.axvline(
            x, color=COLOURS["muted"], linestyle=":", linewidth=1.5, zorder=2, label="_switch"
        )
        scale = next(t.scale.key for t in own if to_num(t.intake.date) == x)
        words = message("chart.switch", loc, age=age, scale=scale)
        placer.add(
            ax,
            words,
            (x, high),
            candidates=tuple(
                (dx, -2.0 - 4.0 * k, ha, "top")
                for k in range(24)
                for dx, ha in ((4.0, "left"), (-4.0, "right"))
            ),
            region="axes",
            fontproperties=lk.font("note", weight="bold"),
            color=COLOURS["text"],
            bbox=LABEL_BOX,
            zorder=6,
        )
    ax.set_ylim(low, high)
    scale_axis(ax.yaxis, low, high, resolution, loc)


def _heading(
    ax: Axes,
    family: Family,
    member: Person,
    lk: Look,
    renderer: object,
    rules: AllianceRules | None,
) -> float:
    """Draw the member's heading; returns its height above the axes in inches."""
    loc = lk.locale
    key, words, state = member_summary(family, member, loc, rules)
    room = fig_right(ax) - 10
    dy = 4.0
    for text, colour, weight in (
        (state, COLOURS["text"], "normal"),
        (words, VERDICT_COLOURS[key], "bold"),
    ):
        if not text:
            continue
        block = ax.annotate(
            text,
            (1.0, 1.0),
            xycoords="axes fraction",
            xytext=(8, dy),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontproperties=lk.font("label" if weight == "bold" else "note", weight=weight),
            color=colour,
            annotation_clip=False,
        )
        fit_width(block, renderer, room)  # type: ignore[arg-type]
        height = block.get_window_extent(renderer).height  # type: ignore[arg-type]
        dy += height * 72.0 / ax.figure.dpi + 2.0
    title = ax.set_title(
        member_label_safe(member, loc),
        fontproperties=lk.font("label", weight="bold"),
        color=COLOURS["text"],
        loc="left",
        pad=5,
    )
    fit_width(title, renderer, ax.get_window_extent().width)  # type: ignore[arg-type]
    title_in = title.get_window_extent(renderer).height / ax.figure.dpi  # type: ignore[arg-type]
    return max(dy / 72.0, title_in + 5 / 72.0)


def fig_right(ax: Axes) -> float:
    """Pixels between the right edge of ``ax`` and the right edge of its figure."""
    return float(ax.figure.bbox.x1 - ax.get_window_extent().x1)


def member_label_safe(member: Person, locale: str) -> str:
    """A member in words with the id drawn literally: "mor (voksen)"."""
    role = message(f"family.role.{member.role}", locale)
    return message("family.member", locale, id=plain_text(member.id), role=role)
