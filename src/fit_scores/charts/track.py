"""The track chart a coordinator shows a family: one person, one rater, with its verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from fit_scores.charts._common import ExactFormatter, date_axis, scale_axis, style_axes
from fit_scores.charts._style import BACKGROUND, COLOURS, VERDICT_COLOURS, VERDICT_ICONS
from fit_scores.charts.describe import story, verdict
from fit_scores.charts.layout import LabelPlacer, fit_width, renderer_of, stacked
from fit_scores.charts.marks import (
    Audience,
    draw_alliance,
    draw_cutoffs,
    draw_expected,
    draw_rc_zone,
    draw_scores,
    look,
    rater_words,
    status_words,
    x_of,
)
from fit_scores.charts.text import plain_text
from fit_scores.errors import ChartInputError
from fit_scores.i18n import format_number, message, normalise_locale

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from fit_scores.alliance import AllianceRules
    from fit_scores.records import Person, Track

__all__ = ["audience_of", "check_options", "plot_track"]

XAxis = Literal["date", "session"]
AUDIENCES = ("family", "coordinator")


def check_options(locale: str, x: str | None, audience: str) -> str:
    """The normalised locale; a ChartInputError for an unknown axis or audience."""
    loc = normalise_locale(locale)
    if x is not None and x not in ("date", "session"):
        raise ChartInputError(f"x must be 'date' or 'session', got {x!r}")
    if audience not in AUDIENCES:
        raise ChartInputError(f"audience must be 'family' or 'coordinator', got {audience!r}")
    return loc


def audience_of(audience: Audience, style: str | None) -> Audience:
    """The audience, from ``style`` (its earlier name) when that is given."""
    if style is None:
        return audience
    styles: dict[str, Audience] = {"conversation": "family", "detail": "coordinator"}
    if style not in styles:
        raise ChartInputError(f"style must be 'conversation' or 'detail', got {style!r}")
    return styles[style]


def _resolve_x(x: XAxis | None, model: Any | None) -> XAxis:
    if model is None:
        return x or "date"
    wanted: XAxis = "session" if model.axis == "session" else "date"
    if x is not None and x != wanted:
        raise ChartInputError(
            f"the model's time axis is {model.axis!r}; the expected course is drawn on it, "
            f"so use x={wanted!r} (the default with this model)"
        )
    return wanted


def _check_people(track: Track, alliance: Track | None, person: Person | None) -> None:
    """The person and the alliance track must be the track's own (the records' rules)."""
    if person is not None:
        track.check_person(person)
    if alliance is not None:
        track.check_same_person(alliance, "alliance track")
        if alliance.scale.kind != "alliance":
            raise ChartInputError(f"alliance must be an alliance track, got {alliance.scale.key}")


def plot_track(
    track: Track,
    *,
    model: Any | None = None,
    alliance: Track | None = None,
    person: Person | None = None,
    rules: AllianceRules | None = None,
    ax: Axes | None = None,
    locale: str = "nb",
    x: XAxis | None = None,
    audience: Audience = "family",
    title: str | None = None,
    style: Literal["conversation", "detail"] | None = None,
) -> Axes | Figure:
    """The outcome chart of one track, for the conversation or for the coordinator.

    Above the chart: what is measured and who rated, and one verdict in a word
    with an icon ("▲ Bedre", "◆ Uendret", "▼ Verre", "○ For tidlig å si",
    from reliable change, see :func:`~fit_scores.charts.describe.verdict`), and
    the on-track status in words when a ``model`` is given. In the chart:
    the scores on the scale's fixed axis in the rater's encoding (one colour,
    line style and marker per rater on every chart); the hatched zone of no
    clear change around the intake; the cutoff as a dashed step line that
    changes with the age band; the expected course and its outlined zone on
    the model's own time axis. Every band and line is named at the right;
    every label is placed without overlap (:mod:`fit_scores.charts.layout`).
    With ``alliance``, a panel below shows the session ratings, their cutoff,
    and each flagged session with a worded note ("Samarbeid under 36 - snakk
    om det"); flags older than the last session without one are grey and
    marked resolved.

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
    x : {"date", "session"}, optional
        The time axis; by default the model's own axis (sessions for a
        session model), else the date.
    audience : {"family", "coordinator"}
        ``"family"``: plain words, big type, first and latest score labelled;
        ``"coordinator"``: scale names and every score labelled.
    title : str, optional
        Defaults to what is measured and who rated ("Hvordan det går: mor,
        egen vurdering"); drawn literally.
    style : {"conversation", "detail"}, optional
        The earlier name of ``audience``: ``"conversation"`` is ``"family"``,
        ``"detail"`` is ``"coordinator"``; when given it wins.

    Returns
    -------
    Axes or Figure
        The Axes; a Figure when the chart makes its own figure (no ``ax``).

    Raises
    ------
    ChartInputError
        For an alliance track as ``track``, an unknown axis or audience, or an
        axis other than the model's.
    UnknownPersonError
        If ``person`` is another person (:meth:`Track.check_person`).
    MixedTrackError
        If ``alliance`` is another person's track (:meth:`Track.check_same_person`).

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
    audience = audience_of(audience, style)
    loc = check_options(locale, x, audience)
    if track.scale.kind != "outcome":
        raise ChartInputError(
            f"plot_track draws an outcome track; {track.scale.key} is an alliance scale"
        )
    _check_people(track, alliance, person)
    axis = _resolve_x(x, model)
    lk = look(audience, loc)
    s = story(track, model=model, alliance=alliance, person=person, rules=rules)
    own = ax is None
    bottom: Axes | None = None
    if own:
        height = 7.6 if alliance is not None else 5.4
        fig = Figure(figsize=(7.4, height), facecolor=BACKGROUND)
        if alliance is not None:
            main, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1.5]})
        else:
            main = fig.add_subplot()
        top_in, foot_in = 1.05, 0.7
        fig.subplots_adjust(
            left=0.13,
            right=0.66,
            top=1 - top_in / height,
            bottom=foot_in / height,
            hspace=0.12,
        )
    else:
        assert ax is not None  # own is False only when ax was given
        main = ax
        if alliance is not None:
            raise ChartInputError(
                "with an alliance panel the chart is a Figure of its own; omit ax"
            )
        root = main.get_figure(root=True)
        if not isinstance(root, Figure):  # pragma: no cover - matplotlib always has one
            raise ChartInputError("the given axes belong to no figure")
        fig = root
    placer = LabelPlacer(fig)
    xs = x_of(track, axis)
    span = (
        (float(xs.min()) - 0.5, float(xs.max()) + 0.5)
        if xs.size == 1
        else (
            float(xs.min()),
            float(xs.max()),
        )
    )
    scale = track.scale
    draw_rc_zone(main, placer, track, span, lk)
    draw_cutoffs(
        main,
        placer,
        track,
        xs,
        lk,
        person=person,
        end=span[1],
        words="long" if audience == "family" else "number",
    )
    if model is not None:
        draw_expected(main, placer, track, model, lk, x=axis)
    draw_scores(main, placer, track, xs, lk, label_all=audience == "coordinator")
    main.set_ylim(scale.total_min, scale.total_max)
    scale_axis(main.yaxis, scale.total_min, scale.total_max, scale.resolution, loc)
    low = format_number(scale.total_min, loc, decimals=0)
    high = format_number(scale.total_max, loc, decimals=0)
    ylabel = message("chart.higher_better", loc)
    if audience == "coordinator":
        scale_name = message("chart.y.outcome", loc, scale=scale.key, low=low, high=high)
        ylabel = f"{scale_name}\n{ylabel}"
    main.set_ylabel(ylabel, fontproperties=lk.font("label"), color=COLOURS["text"])
    who = rater_words(track, loc)
    if title is not None:
        heading = plain_text(title)
    elif audience == "family":
        heading = message(
            "chart.title.family", loc, measure=message("measure.outcome", loc), who=who
        )
    else:
        heading = message("chart.title.coordinator", loc, scale=scale.key, who=who)
    key = verdict(s.change)
    verdict_text = f"{VERDICT_ICONS[key]} {message(f'verdict.{key}', loc)}"
    status = None if s.status is None else status_words(s.status.status, loc)
    axes = [main] if bottom is None else [main, bottom]
    if alliance is not None and bottom is not None:
        sessions = dict(zip(track.dates, x_of(track, "session"), strict=True))
        draw_alliance(
            bottom, placer, alliance, s.signals, lk, x=axis, person=person, sessions=sessions
        )
    for a in axes:
        style_axes(a, loc, lk.sizes)
        if axis == "date":
            date_axis(a, loc, inches_per_label=0.85)
        else:
            a.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
            a.xaxis.set_major_formatter(ExactFormatter(loc))
    main.set_xlim(span[0] - _pad(span), span[1] + _pad(span))
    if bottom is not None:
        scale_axis(
            bottom.yaxis,
            bottom.get_ylim()[0],
            alliance.scale.total_max if alliance is not None else 40.0,
            alliance.scale.resolution if alliance is not None else 1.0,
            loc,
        )
    axes[-1].set_xlabel(
        message(f"chart.x.{axis}", loc), fontproperties=lk.font("label"), color=COLOURS["text"]
    )
    renderer = renderer_of(fig)
    if own:
        width_px = fig.bbox.width * 0.96
        head = fig.text(
            0.02,
            1 - 0.12 / fig.get_figheight(),
            heading,
            va="top",
            ha="left",
            fontproperties=lk.font("title", weight="bold"),
            color=COLOURS["text"],
        )
        fit_width(head, renderer, width_px)
        inch = fig.dpi
        head_in = head.get_window_extent(renderer).height / inch
        line_y = 1 - (0.12 + head_in + 0.1) / fig.get_figheight()
        verdict_artist = fig.text(
            0.02,
            line_y,
            verdict_text,
            va="top",
            ha="left",
            fontproperties=lk.font("title", weight="bold"),
            color=VERDICT_COLOURS[key],
        )
        line_in = verdict_artist.get_window_extent(renderer).height / inch
        if status is not None:
            note = fig.text(
                0.5,
                line_y,
                status[0],
                va="top",
                ha="left",
                fontproperties=lk.font("label", weight="bold"),
                color=status[1],
            )
            fit_width(note, renderer, fig.bbox.width * 0.48)
            line_in = max(line_in, note.get_window_extent(renderer).height / inch)
        header_in = 0.12 + head_in + 0.1 + line_in + 0.3
        fig.subplots_adjust(top=1 - header_in / fig.get_figheight())
    else:
        t = main.set_title(
            f"{heading}\n{verdict_text}",
            fontproperties=lk.font("label", weight="bold"),
            color=COLOURS["text"],
            loc="left",
        )
        fit_width(t, renderer, main.get_window_extent().width * 1.2)
        if status is not None:
            placer.add(
                main,
                status[0],
                (1.0, scale.total_max),
                xycoords=main.get_yaxis_transform(),
                candidates=stacked(),
                region="right",
                fontproperties=lk.font("note", weight="bold"),
                color=status[1],
            )
    placer.place()
    if bottom is not None:
        return fig
    result: Axes = main
    return result


def _pad(span: tuple[float, float]) -> float:
    return max((span[1] - span[0]) * 0.04, 0.3)
