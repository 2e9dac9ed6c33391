"""One time line per family: session scores, yearly mappings and goals, per member.

:func:`plot_family_timeline` draws one section per member (and one for the
household and the goals of the whole family): the session scores over time as
lines with distinct markers and line styles, the yearly mapping days as
dotted lines, and below them the same story in short lines of text: each
session track (its marker glyph, scale, rater, latest score), each yearly
mapping (self-efficacy and life satisfaction as numbers; low income, crowded
housing, work or activity, leisure and upper secondary as words with an icon)
and each goal with its latest level in words. No indicator is told by colour
or icon alone. :func:`describe_family_timeline` returns those lines as text
(the chart's alt text).

Every text comes from the catalogue :mod:`fit_scores._messages.timeline` (nb,
nn, en). Nothing here uses pyplot or changes rcParams: each call builds its
own :class:`~matplotlib.figure.Figure`, so charts may be drawn from several
threads at once. Text from data (names, the coordinator's goal descriptions)
is drawn literally: math parsing and TeX are off for every text artist, so a
``$`` in a name stays a ``$``. Lines are wrapped by their measured width and
stacked at a fixed line height, so no two texts overlap.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from matplotlib.ticker import FixedLocator, FuncFormatter

from fit_scores._messages.timeline import MESSAGES
from fit_scores.errors import ChartInputError
from fit_scores.goals import FamilyPlan, Goal
from fit_scores.i18n import Locale, format_date, format_number, month_label, normalise_locale
from fit_scores.living_conditions import (
    HouseholdIncome,
    Housing,
    LeisureParticipation,
    UpperSecondary,
    WorkActivity,
)
from fit_scores.records import Administration, Family, Person, TimelineEvent, Track

__all__ = [
    "TimelineSection",
    "describe_family_timeline",
    "plot_family_timeline",
    "timeline_lines",
    "track_mark",
]

FONT = "DejaVu Sans"  # ships with matplotlib: the same glyphs (and icons) everywhere
WIDTH = 9.0  # inches
LEFT, RIGHT, TEXT_LEFT = 0.85, 0.3, 0.35  # inches
TITLE_SIZE, TEXT_SIZE, TICK_SIZE = 10.0, 8.5, 8.0  # points
TITLE_STEP, LINE_STEP = 0.26, 0.19  # inches per line
AXES_HEIGHT, AXES_BELOW, GAP = 1.5, 0.42, 0.22  # inches
# a track's marker and the glyph that names it in the text: filled, then hollow, then numbered
MARKERS = (("o", "\u25cf"), ("s", "\u25a0"), ("^", "\u25b2"), ("D", "\u25c6"), ("v", "\u25bc"))
HOLLOW = ("\u25cb", "\u25a1", "\u25b3", "\u25c7", "\u25bd")
LINESTYLES = ("-", "--", "-.", ":")


def track_mark(k: int) -> tuple[str, str, str, str]:
    """Marker, fill style, line style and text glyph of the ``k``-th track of a member.

    Filled markers first, then hollow ones, then numbered glyphs, so that no
    two tracks of one member share a mark.

    Examples
    --------
    >>> track_mark(0), track_mark(5)[1:], track_mark(11)[3]
    (('o', 'full', '-', '●'), ('none', '--', '○'), '■3')
    """
    n = len(MARKERS)
    marker, glyph = MARKERS[k % n]
    cycle = k // n
    fill = "full" if cycle % 2 == 0 else "none"
    if cycle == 1:
        glyph = HOLLOW[k % n]
    elif cycle > 1:
        glyph = f"{glyph if fill == 'full' else HOLLOW[k % n]}{cycle + 1}"
    return marker, fill, LINESTYLES[k % len(LINESTYLES)], glyph


INK = "#222222"
GUIDE = "#888888"
# Goal ratings: the coordinator's rating is the analysis rating; the family's, then the
# child's, stand in where the coordinator has not rated a goal yet.
RATER_ORDER = ("coordinator", "family", "child")


@dataclass(frozen=True)
class TimelineSection:
    """One section of a family time line: a member (or the household) and its lines.

    Attributes
    ----------
    title : str
        The member and role, or the household heading.
    person : Person or None
        The member; ``None`` for the household and the whole family's goals.
    lines : tuple of str
        Session tracks, yearly mappings and goals, in words.
    tracks : tuple of Track
        The member's session tracks (up to ``as_of``), in marker order.
    mapping_days : tuple of datetime.date
        Days of the member's yearly mapping records.
    """

    title: str
    person: Person | None
    lines: tuple[str, ...]
    tracks: tuple[Track, ...] = ()
    mapping_days: tuple[dt.date, ...] = field(default=())


def _t(key: str, loc: Locale, **fields: object) -> str:
    text = MESSAGES[loc][key]
    return text.format(**fields) if fields else text


def _number(value: float, loc: Locale) -> str:
    return format_number(value, loc, decimals=0 if float(value).is_integer() else 1)


def _amount(value: int, loc: Locale) -> str:
    sep = "," if loc == "en" else "\u00a0"
    text = f"{abs(value):,}".replace(",", sep)
    return ("\u2212" if value < 0 else "") + text


def _level(level: float) -> str:
    return str(int(level)) if float(level).is_integer() else str(level)


def _instrument(adm: Administration, loc: Locale) -> str:
    value = "\u2013" if adm.total is None else _number(adm.total, loc)
    key = {"GSE": "timeline.gse", "LIFESAT": "timeline.lifesat", "CANTRIL": "timeline.cantril"}
    if adm.scale.key in key:
        return _t(key[adm.scale.key], loc, value=value)
    return _t("timeline.instrument", loc, scale=adm.scale.key, value=value)


def _point(event: TimelineEvent, loc: Locale, medians: Mapping[int, int] | None) -> list[str]:
    """The words of one yearly record."""
    r = event.record
    if isinstance(r, Administration):
        return [_instrument(r, loc)]
    if isinstance(r, HouseholdIncome):
        words = [_t("timeline.income", loc, amount=_amount(r.income_after_tax, loc))]
        if medians is not None and r.year in medians:
            low = r.low_income(medians[r.year])
            words.append(_t("timeline.low_income" if low else "timeline.not_low_income", loc))
        return words
    if isinstance(r, Housing):
        flag = r.crowded()
        key = {True: "crowded", False: "not_crowded", None: "crowded_unknown"}[flag]
        return [_t(f"timeline.{key}", loc)]
    if isinstance(r, WorkActivity):
        flag = r.work_or_activity()
        key = {True: "work", False: "no_work", None: "work_unknown"}[flag]
        return [_t(f"timeline.{key}", loc)]
    if isinstance(r, LeisureParticipation):
        return [_t("timeline.leisure" if r.participates() else "timeline.no_leisure", loc)]
    if isinstance(r, UpperSecondary):
        done = r.completed_year is not None
        return [
            _t("timeline.upper_secondary_done" if done else "timeline.upper_secondary_open", loc)
        ]
    raise ChartInputError(f"not a yearly record: {type(r).__name__}")  # pragma: no cover


def _goal_line(plan: FamilyPlan, goal: Goal, at: dt.date | None, loc: Locale) -> str:
    text = goal.description(0.0) or goal.id
    head = _t("timeline.goal", loc, domain=_t(f"timeline.domain.{goal.domain}", loc), text=text)
    best = None
    for rater in RATER_ORDER:
        dated = [
            r
            for r in plan.ratings
            if r.goal_id == goal.id and r.rater == rater and (at is None or r.date <= at)
        ]
        if dated:
            best = max(dated, key=lambda r: r.date)
            break
    if best is None:
        return f"{head} \u2013 {_t('timeline.goal_unrated', loc)}"
    words = _t(f"timeline.level.{_level(best.level)}", loc)
    own = goal.description(best.level)
    if own is not None and best.level != 0.0:
        words = f"{words} ({own})"
    level = _t(
        "timeline.goal_level",
        loc,
        level=_level(best.level).replace("-", "\u2212"),
        words=words,
        date=format_date(best.date, loc),
    )
    return f"{head} \u2013 {level}"


def _rater(track: Track, loc: Locale) -> str:
    if track.rater == "self":
        return _t("timeline.rater.self", loc)
    return _t("timeline.rater.other", loc, who=track.rater_id or track.rater)


def _session_lines(tracks: list[Track], loc: Locale) -> list[str]:
    lines = []
    for k, track in enumerate(tracks):
        last = track.administrations[-1]
        lines.append(
            _t(
                "timeline.sessions",
                loc,
                marker=track_mark(k)[3],
                scale=track.scale.key,
                rater=_rater(track, loc),
                n=len(track.administrations),
                latest=_number(float(last.total or 0.0), loc),
                date=format_date(last.date, loc),
            )
        )
    return lines


def _yearly_lines(
    events: list[TimelineEvent], loc: Locale, medians: Mapping[int, int] | None
) -> list[str]:
    by_day: dict[tuple[dt.date, int | None], list[str]] = {}
    for e in events:
        year = e.record.year if isinstance(e.record, HouseholdIncome) else None
        by_day.setdefault((e.date, year), []).extend(_point(e, loc, medians))
    lines = []
    for (day, year), points in by_day.items():
        joined = " \u00b7 ".join(points)
        if year is not None:
            lines.append(_t("timeline.income_year", loc, year=year, points=joined))
        else:
            lines.append(_t("timeline.mapping", loc, date=format_date(day, loc), points=joined))
    return lines


def _upto(track: Track, at: dt.date | None) -> Track | None:
    if at is None:
        return track
    kept = [a for a in track.administrations if a.date <= at]
    if not kept:
        return None
    if len(kept) == len(track.administrations):
        return track
    return Track.from_administrations(kept)


YEARLY = ("instrument", "household_income", "housing", "work", "upper_secondary", "leisure")


def timeline_lines(
    family: Family,
    *,
    locale: str = "nb",
    as_of: dt.date | None = None,
    medians: Mapping[int, int] | None = None,
) -> tuple[TimelineSection, ...]:
    """The sections of a family's time line in words: one per member, then the household.

    Parameters
    ----------
    family : Family
        The family, with tracks, yearly mapping and plan.
    locale : {"nb", "nn", "en"}
        Language of every text.
    as_of : datetime.date, optional
        Show what was known on this day: later records are left out and a
        goal's latest level is its latest rating on or before it.
    medians : mapping year -> int, optional
        Median income per consumption unit (EU scale) of each income year; with
        it, each household income says whether it is low income (EU-60). The
        medians are supplied by the caller, as SSB's definition requires.

    Returns
    -------
    tuple of TimelineSection

    Raises
    ------
    ChartInputError
        If ``family`` is not a Family or ``as_of`` is not a date.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> sections = timeline_lines(example_family(), locale="en")
    >>> sections[0].title, sections[0].lines[0][:14]
    ('mor (adult)', '● ORS, own rat')
    """
    if not isinstance(family, Family):
        raise ChartInputError(f"family: expected a Family, got {type(family).__name__}")
    if as_of is not None and (isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date)):
        raise ChartInputError(f"as_of: expected a datetime.date, got {type(as_of).__name__}")
    loc = normalise_locale(locale)
    events = [e for e in family.timeline() if as_of is None or e.date <= as_of]
    plan = family.plan
    sections: list[TimelineSection] = []
    for member in family.members:
        tracks = [t for t in (_upto(t, as_of) for t in family.tracks_of(member.id)) if t]
        mine = [e for e in events if e.person == member.id and e.kind in YEARLY]
        lines = _session_lines(tracks, loc) or [_t("timeline.no_sessions", loc)]
        lines += _yearly_lines(mine, loc, medians)
        if plan is not None:
            goals = [g for g in plan.goals if g.person_id == member.id]
            lines += [
                _goal_line(plan, g, as_of, loc) for g in goals if as_of is None or g.set_on <= as_of
            ]
        role = _t(f"timeline.role.{member.role}", loc)
        sections.append(
            TimelineSection(
                title=_t("timeline.member", loc, id=member.id, role=role),
                person=member,
                lines=tuple(lines),
                tracks=tuple(tracks),
                mapping_days=tuple(sorted({e.date for e in mine})),
            )
        )
    household = [e for e in events if e.person is None and e.kind in YEARLY]
    lines = _yearly_lines(household, loc, medians)
    if plan is not None:
        goals = [g for g in plan.goals if g.person_id is None]
        lines += [
            _goal_line(plan, g, as_of, loc) for g in goals if as_of is None or g.set_on <= as_of
        ]
    if plan is None or not plan.goals:
        lines.append(_t("timeline.no_goals", loc))
    sections.append(
        TimelineSection(title=_t("timeline.household", loc), person=None, lines=tuple(lines))
    )
    return tuple(sections)


def describe_family_timeline(
    family: Family,
    *,
    locale: str = "nb",
    as_of: dt.date | None = None,
    medians: Mapping[int, int] | None = None,
) -> str:
    """The family time line in words: the text alternative of :func:`plot_family_timeline`.

    Parameters are those of :func:`timeline_lines`.

    Returns
    -------
    str
        The heading, then for each member (and the household) its title and
        lines: session tracks with their latest score, yearly mappings with
        their numbers and indicators in words, goals with their latest level.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> print(describe_family_timeline(example_family(), locale="en").splitlines()[0])
    Family familie-eksempel: time line
    """
    loc = normalise_locale(locale)
    out = [_t("timeline.title", loc, id=family.id)]
    for section in timeline_lines(family, locale=loc, as_of=as_of, medians=medians):
        out.append("")
        out.append(section.title)
        out.extend(section.lines or (_t("timeline.describe.nothing", loc),))
    return "\n".join(out)


def _wrap(text: str, width_pt: float, prop: FontProperties, measure: TextToPath) -> list[str]:
    """Greedy word wrap by measured width; a word wider than a line is cut by characters."""

    def width(s: str) -> float:
        return float(measure.get_text_width_height_descent(s, prop, ismath=False)[0])

    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        trial = word if not current else f"{current} {word}"
        if width(trial) <= width_pt:
            current = trial
            continue
        if current:
            lines.append(current)
        current = ""
        while width(word) > width_pt:
            cut = len(word) - 1
            while cut > 1 and width(word[:cut]) > width_pt:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    lines.append(current)
    return lines


def _span(sections: tuple[TimelineSection, ...], family: Family) -> tuple[dt.date, dt.date]:
    days = [a.date for s in sections for t in s.tracks for a in t.administrations]
    days += [d for s in sections for d in s.mapping_days]
    if not days:
        days = [e.date for e in family.timeline()] or [dt.date(2000, 1, 1)]
    lo, hi = min(days), max(days)
    pad = max(30, (hi - lo).days // 25)
    if (hi - lo).days < 120:
        pad = 90
    return lo - dt.timedelta(days=pad), hi + dt.timedelta(days=pad)


def _x(day: dt.date) -> float:
    """A day on the x axis: its proleptic Gregorian ordinal (no matplotlib date state)."""
    return float(day.toordinal())


def _day(x: float) -> dt.date:
    return dt.date.fromordinal(round(x))


def _date_axis(ax: Axes, lo: dt.date, hi: dt.date, loc: Locale) -> None:
    """Ticks on the first of a month (or of a year, over more than three years)."""
    ax.set_xlim(_x(lo), _x(hi))
    yearly = (hi - lo).days > 3 * 365
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = 12 if yearly else max(1, math.ceil(months / 5))
    ticks = []
    year, month = (lo.year + 1, 1) if yearly else (lo.year, lo.month)
    while (year, month) <= (hi.year, hi.month):
        first = dt.date(year, month, 1)
        if first >= lo and (year * 12 + month - 1) % step == 0:
            ticks.append(_x(first))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    if yearly:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: str(_day(x).year)))
    else:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: month_label(_day(x), loc)))


def plot_family_timeline(
    family: Family,
    *,
    locale: str = "nb",
    as_of: dt.date | None = None,
    medians: Mapping[int, int] | None = None,
    fig: Figure | None = None,
) -> Figure:
    """Draw a family's time line: per member the session scores, yearly points and goals.

    Parameters
    ----------
    family : Family
        The family, with tracks, yearly mapping and plan.
    locale : {"nb", "nn", "en"}
        Language of every text.
    as_of : datetime.date, optional
        Draw what was known on this day (see :func:`timeline_lines`).
    medians : mapping year -> int, optional
        Median income per consumption unit of each income year, for the low
        income indicator (EU-60).
    fig : matplotlib.figure.Figure, optional
        An empty figure to draw into (it is resized); default a new one.

    Returns
    -------
    matplotlib.figure.Figure
        One section per member, with an Axes of session scores when the
        member has any, and one section for the household and the whole
        family's goals. Render it with :func:`fit_scores.charts.render`.

    Raises
    ------
    ChartInputError
        For a wrong argument, or a ``fig`` that already holds artists.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> fig = plot_family_timeline(example_family(), locale="en")
    >>> len(fig.axes)
    4
    """
    sections = timeline_lines(family, locale=locale, as_of=as_of, medians=medians)
    loc = normalise_locale(locale)
    if fig is None:
        fig = Figure(facecolor="#FFFFFF")
        FigureCanvasBase(fig)
    elif not isinstance(fig, Figure):
        raise ChartInputError(f"fig: expected a matplotlib Figure, got {type(fig).__name__}")
    elif fig.axes or fig.texts or fig.lines or fig.patches:
        raise ChartInputError("fig: the figure already holds artists; give an empty figure")
    measure = TextToPath()
    title_prop = FontProperties(family=FONT, size=TITLE_SIZE, weight="bold")
    text_prop = FontProperties(family=FONT, size=TEXT_SIZE)
    text_width = (WIDTH - TEXT_LEFT - RIGHT) * 72.0
    # lay out top-down in inches, then convert to figure fractions once the height is known
    layout: list[tuple[str, float, str]] = []  # (kind, y from top, text)
    axes_at: list[tuple[float, TimelineSection]] = []
    y = 0.15
    head = _wrap(_t("timeline.title", loc, id=family.id), text_width, title_prop, measure)
    for line in head:
        layout.append(("title", y, line))
        y += TITLE_STEP
    y += GAP
    for section in sections:
        for line in _wrap(section.title, text_width, title_prop, measure):
            layout.append(("title", y, line))
            y += TITLE_STEP
        if section.tracks:
            y += 0.05
            axes_at.append((y, section))
            y += AXES_HEIGHT + AXES_BELOW
        for text in section.lines:
            for line in _wrap(text, text_width, text_prop, measure):
                layout.append(("text", y, line))
                y += LINE_STEP
        y += GAP
    height = y + 0.1
    fig.set_size_inches(WIDTH, height)
    for kind, top, line in layout:
        fig.text(
            TEXT_LEFT / WIDTH,
            1.0 - top / height,
            line,
            ha="left",
            va="top",
            fontproperties=title_prop if kind == "title" else text_prop,
            color=INK,
            parse_math=False,
            usetex=False,
        )
    lo, hi = _span(sections, family)
    for top, section in axes_at:
        ax = fig.add_axes(
            (
                LEFT / WIDTH,
                1.0 - (top + AXES_HEIGHT) / height,
                (WIDTH - LEFT - RIGHT) / WIDTH,
                AXES_HEIGHT / height,
            )
        )
        low = min(t.scale.total_min for t in section.tracks)
        high = max(t.scale.total_max for t in section.tracks)
        ax.set_ylim(low - 0.02 * (high - low), high + 0.02 * (high - low))
        for day in section.mapping_days:
            ax.axvline(_x(day), color=GUIDE, linestyle=":", linewidth=0.8)
        for k, track in enumerate(section.tracks):
            marker, fill, style, _glyph = track_mark(k)
            xs = np.array([_x(a.date) for a in track.administrations])
            ys = np.array([float(a.total or 0.0) for a in track.administrations])
            ax.plot(
                xs,
                ys,
                marker=marker,
                fillstyle=fill,
                linestyle=style,
                color=INK,
                markersize=4,
                linewidth=1,
            )
        _date_axis(ax, lo, hi, loc)
        ax.set_ylabel(_t("timeline.score", loc), fontproperties=text_prop, color=INK, usetex=False)
        ax.tick_params(labelsize=TICK_SIZE, labelfontfamily=FONT, colors=INK)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return fig
