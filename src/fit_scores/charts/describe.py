"""Text descriptions of the charts: the same story in words, per locale.

For alt text and screen readers: every chart has a matching description with
the first and latest score, the change and its category, the cutoff, the
on-track status and the alliance signals.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from fit_scores.errors import MissingThresholdError
from fit_scores.i18n import format_date, format_number, message, normalise_locale

if TYPE_CHECKING:
    from fit_scores.alliance import AllianceRules, AllianceSignal
    from fit_scores.change import ChangeResult
    from fit_scores.records import Family, Person, Track
    from fit_scores.scales.model import Cutoff
    from fit_scores.trajectories import TrackStatus

__all__ = [
    "AllianceState",
    "alliance_state",
    "describe",
    "describe_expected",
    "describe_family",
    "describe_shares",
    "describe_table",
    "primary_tracks",
    "verdict",
]

Verdict = Literal["better", "same", "worse", "too_early"]


@dataclass(frozen=True)
class Story:
    """What a track chart shows, computed once for the chart and its description."""

    track: Track
    change: ChangeResult | None
    latest_cutoff: Cutoff | None
    latest_clinical: bool | None
    status: TrackStatus | None
    alliance: Track | None
    signals: tuple[AllianceSignal, ...]


def story(
    track: Track,
    *,
    model: Any | None = None,
    alliance: Track | None = None,
    person: Person | None = None,
    rules: AllianceRules | None = None,
) -> Story:
    """Compute the facts a track chart and its description share."""
    change = None
    if len(track) >= 2:
        try:
            change = track.change(person=person)
        except MissingThresholdError:
            change = None
    latest = track.latest
    cut = track.cutoff_at(-1, person)
    clinical = None
    if cut is not None and cut.value is not None:
        clinical = track.scale.classify(latest.total_ticks, cut)
    status = None if model is None else model.status(track, person=person)
    signals: tuple[AllianceSignal, ...] = ()
    if alliance is not None:
        signals = alliance.alliance_signals(rules, person=person, meetings=track)
    return Story(track, change, cut, clinical, status, alliance, signals)


def verdict(change: ChangeResult | None) -> Verdict:
    """One word per person: better, same or worse by reliable change; too early without one.

    ``"better"`` or ``"worse"`` only when the change is reliable (beyond the
    scale's reliable-change criterion, Jacobson & Truax 1991, as
    :meth:`Track.change <fit_scores.Track.change>` decides); every smaller
    change is ``"same"``. ``None`` (one score, or no published criterion)
    is ``"too_early"``.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> family = example_family()
    >>> far = family.tracks_of("far")[0]
    >>> verdict(far.change(person=family.member("far")))
    'better'
    >>> verdict(None)
    'too_early'
    """
    if change is None:
        return "too_early"
    if change.reliable and change.direction == "better":
        return "better"
    if change.reliable and change.direction == "worse":
        return "worse"
    return "same"


def primary_tracks(family: Family, person: str) -> list[Track]:
    """A member's own outcome tracks in time order (self-rated; else all outcome tracks).

    Across an age-driven scale switch (CORS, then ORS from 13) these are
    several tracks; the person's verdict is that of the latest one, judged by
    its own cutoff and criterion.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> [t.scale.key for t in primary_tracks(example_family(), "gutt")]
    ['CORS', 'ORS']
    """
    outcome = [t for t in family.tracks_of(person) if t.scale.kind == "outcome"]
    own = [t for t in outcome if t.rater == "self"] or outcome
    return sorted(own, key=lambda t: (t.intake.date, t.latest.date))


def safe_change(track: Track, person: Person | None) -> ChangeResult | None:
    """The track's change, or None with one score or no published criterion."""
    if len(track) < 2:
        return None
    try:
        return track.change(person=person)
    except MissingThresholdError:
        return None


@dataclass(frozen=True)
class AllianceState:
    """The alliance of a person now: flags still current, flags resolved by a later good session.

    ``state`` is ``"talk"`` when a flag is newer than the last session
    without a flag, ``"resolved"`` when every flag is older than it, and
    ``"good"`` without flags.
    """

    state: Literal["good", "talk", "resolved"]
    current: tuple[AllianceSignal, ...]
    resolved: tuple[AllianceSignal, ...]


def alliance_state(alliance: Track, signals: tuple[AllianceSignal, ...]) -> AllianceState:
    """Split the signals of an alliance track into current and resolved ones.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> family = example_family()
    >>> ors, srs = family.tracks_of("mor")
    >>> s = alliance_state(srs, srs.alliance_signals(meetings=ors))
    >>> s.state, len(s.current), len(s.resolved)
    ('resolved', 0, 3)
    """
    flagged = {sig.date for sig in signals}
    good = [a.date for a in alliance.administrations if a.date not in flagged]
    last_good = max(good) if good else None
    current = tuple(s for s in signals if last_good is None or s.date > last_good)
    resolved = tuple(s for s in signals if last_good is not None and s.date < last_good)
    if current:
        return AllianceState("talk", current, resolved)
    return AllianceState("resolved" if resolved else "good", current, resolved)


def rater_text(track: Track, locale: str) -> str:
    """The rater in words: "egen vurdering" or "vurdert av mor"."""
    if track.rater == "self":
        return message("chart.rater.self", locale)
    who = track.rater_id or message("chart.rater.someone", locale)
    return message(f"chart.rater.{track.rater}", locale, who=who)


def _num(value: float, locale: str) -> str:
    return format_number(value, locale, decimals=1)


def describe(
    track: Track,
    *,
    model: Any | None = None,
    alliance: Track | None = None,
    person: Person | None = None,
    rules: AllianceRules | None = None,
    locale: str = "nb",
) -> str:
    """The story of :func:`fit_scores.charts.plot_track` in words.

    Parameters are those of ``plot_track``.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> from fit_scores.charts import describe
    >>> family = example_family()
    >>> ors, srs = family.tracks_of("mor")
    >>> print(describe(ors, alliance=srs, person=family.member("mor"), locale="en"))
    ORS, self-rated: first score 27.4 (5 Mar 2024), latest score 31.5 (16 Jun 2026).
    Change 4.1 points: No clear change.
    The latest score is at or above the cutoff (25.0).
    Alliance (SRS): latest score 40.0 (16 Jun 2026).
    2 Apr 2024: Lower than the previous meeting.
    14 May 2024: Alliance rated below the cutoff.
    14 May 2024: Lower than the previous meeting.
    """
    loc = normalise_locale(locale)
    s = story(track, model=model, alliance=alliance, person=person, rules=rules)
    return "\n".join(_lines(s, loc))


def _lines(s: Story, loc: str) -> list[str]:
    track = s.track
    first, latest = track.intake, track.latest
    common = {"scale": track.scale.key, "rater": rater_text(track, loc)}
    lines: list[str] = []
    if len(track) == 1:
        lines.append(
            message(
                "describe.one_score",
                loc,
                first=_num(float(first.total_exact), loc),
                first_date=format_date(first.date, loc),
                **common,
            )
        )
    else:
        lines.append(
            message(
                "describe.first_latest",
                loc,
                first=_num(float(first.total_exact), loc),
                first_date=format_date(first.date, loc),
                latest=_num(float(latest.total_exact), loc),
                latest_date=format_date(latest.date, loc),
                **common,
            )
        )
    if s.change is not None:
        lines.append(
            message(
                "describe.change",
                loc,
                change=_num(s.change.difference, loc),
                category=s.change.label(loc),
            )
        )
    if s.latest_cutoff is None or s.latest_cutoff.value is None or s.latest_clinical is None:
        lines.append(message("describe.no_cutoff", loc))
    else:
        key = "describe.cutoff_below" if s.latest_clinical else "describe.cutoff_above"
        lines.append(message(key, loc, cutoff=_num(s.latest_cutoff.value, loc)))
    if s.status is not None:
        lines.append(
            message("describe.status", loc, status=message(f"status.{s.status.status}", loc))
        )
    if s.alliance is not None:
        last = s.alliance.latest
        lines.append(
            message(
                "describe.alliance",
                loc,
                scale=s.alliance.scale.key,
                latest=_num(float(last.total_exact), loc),
                date=format_date(last.date, loc),
            )
        )
        if not s.signals:
            lines.append(message("describe.alliance_none", loc))
        for sig in s.signals:
            lines.append(
                message(
                    "describe.alliance_signal",
                    loc,
                    date=format_date(sig.date, loc),
                    signal=message(sig.message_id, loc),
                )
            )
    return lines


def describe_family(family: Family, *, locale: str = "nb") -> str:
    """The story of :func:`fit_scores.charts.plot_family` in words, member by member.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> from fit_scores.charts import describe_family
    >>> print(describe_family(example_family(), locale="en").splitlines()[0])
    Family familie-eksempel: 4 members.
    """
    loc = normalise_locale(locale)
    lines = [message("describe.family", loc, id=family.id, n=len(family.members))]
    for member in adults_first(family):
        label = member_label(member, loc)
        tracks = [t for t in family.tracks_of(member.id) if t.scale.kind == "outcome"]
        if not tracks:
            lines.append(message("describe.member_no_scores", loc, member=label))
            continue
        lines.append(message("describe.member", loc, member=label))
        own = primary_tracks(family, member.id)
        key = verdict(safe_change(own[-1], member))
        overall = message("describe.member_verdict", loc, verdict=message(f"verdict.{key}", loc))
        alliance_now = family.alliance_track(own[-1])
        if alliance_now is not None:
            sigs = alliance_now.alliance_signals(person=member, meetings=own[-1])
            state = alliance_state(alliance_now, sigs).state
            overall += " " + message(f"alliance.state.{state}", loc) + "."
        lines.append(f"  {overall}")
        for before, after in itertools.pairwise(own):
            cut = after.cutoff_at(0, member)
            age = after.age_at(0, member)
            if after.scale.key != before.scale.key and age is not None and cut is not None:
                value = "" if cut.value is None else _num(cut.value, loc)
                lines.append(
                    "  "
                    + message("describe.switch", loc, age=age, scale=after.scale.key, cutoff=value)
                )
        for track in tracks:
            alliance = family.alliance_track(track)
            s = story(track, alliance=alliance, person=member)
            lines.extend(f"  {line}" for line in _lines(s, loc))
    return "\n".join(lines)


def adults_first(family: Family) -> list[Person]:
    """The members in chart order: adults first, then children, each in family order."""
    return sorted(family.members, key=lambda m: 0 if m.role == "adult" else 1)


def member_label(member: Person, locale: str) -> str:
    """A member in words: "mor (voksen)"."""
    role = message(f"family.role.{member.role}", locale)
    return message("family.member", locale, id=member.id, role=role)


# --- research charts ---------------------------------------------------------------


def _pct(value: float, loc: str) -> str:
    return message("research.percent", loc, value=format_number(100 * value, loc, decimals=1))


def describe_table(table: Any, *, locale: str = "nb") -> str:
    """The story of :func:`fit_scores.charts.plot_change_scatter` in words.

    The number of people, the cutoff when there is one, and the count per
    category.

    Examples
    --------
    >>> import fit_scores as fs
    >>> from fit_scores.charts import describe_table
    >>> t = fs.anchor_change([20, 20, 20], [28, 21, 12], higher_is_better=True,
    ...                      mid_improvement=7)
    >>> print(describe_table(t, locale="en"))
    Pre and post scores (n = 3)
    Improved: 1
    Unchanged: 1
    Deteriorated: 1
    """
    loc = normalise_locale(locale)
    if table.n_used == table.n_original:
        title = message("research.scatter.title", loc, n=table.n_used)
    else:
        title = message(
            "research.scatter.title_excluded", loc, n=table.n_used, total=table.n_original
        )
    lines = [title]
    if table.cutoff is not None:
        lines.append(
            message(
                "research.scatter.cutoff",
                loc,
                type=table.cutoff.type,
                method=table.cutoff.method,
                value=format_number(table.cutoff.value, loc, decimals=2),
            )
        )
    for category, n in table.counts().items():
        label = message(f"research.category.{category}", loc)
        lines.append(message("research.describe.counts", loc, label=label, n=n))
    return "\n".join(lines)


def describe_shares(summary: Any, *, locale: str = "nb") -> str:
    """The story of :func:`fit_scores.charts.plot_category_shares` in words.

    Examples
    --------
    >>> import fit_scores as fs
    >>> from fit_scores.charts import describe_shares
    >>> t = fs.anchor_change([20, 20, 20, 20], [28, 21, 12, 30], higher_is_better=True,
    ...                      mid_improvement=7)
    >>> print(describe_shares(t.summary(), locale="en").splitlines()[1])
    Improved: 50.0% (confidence interval 15.0% to 85.0%)
    """
    loc = normalise_locale(locale)
    lines = [message("research.shares.title", loc, n=summary.n_used)]
    group = object()
    for row in summary.rows:
        if row.group is not None and row.group != group:
            group = row.group
            lines.append(message("research.describe.group", loc, group=row.group))
        share = row.percent if row.percent_by_group is None else row.percent_by_group
        text = message(
            "research.describe.share",
            loc,
            label=message(f"research.category.{row.category}", loc),
            percent=_pct(share, loc),
            low=_pct(row.ci_low, loc),
            high=_pct(row.ci_high, loc),
        )
        lines.append(text if row.group is None else f"  {text}")
    return "\n".join(lines)


def describe_expected(model: Any, intake: float, *, at: Any = None, locale: str = "nb") -> str:
    """The story of :func:`fit_scores.charts.plot_expected_fan` in words.

    ``at`` lists the times to describe (default: sessions 2, 4, 6, 8 and 10,
    or 30, 90, 180 and 365 days); times without reference data are left out.

    Examples
    --------
    >>> import numpy as np
    >>> import fit_scores as fs
    >>> from fit_scores.charts import describe_expected
    >>> rng = np.random.default_rng(1)
    >>> ids = np.repeat(np.arange(300), 5); session = np.tile(np.arange(1, 6), 300)
    >>> score = np.repeat(rng.normal(18, 5, 300), 5) + 3 * np.log(session)
    >>> score = score + rng.normal(0, 1.5, ids.size)
    >>> model = fs.fit_expected_response(fs.TrajectoryData.from_arrays(ids, session, score))
    >>> print(describe_expected(model, 18.0, at=[5], locale="en").splitlines()[1])
    Meeting 5: expected 22.9; percentile 10 to 90: 20.1 to 25.7.
    """
    from fit_scores.trajectories import NoReferenceDataError

    loc = normalise_locale(locale)
    days = model.axis == "days"
    times = list(at) if at is not None else ([30, 90, 180, 365] if days else [2, 4, 6, 8, 10])
    kind = message(f"research.fan.model.{model.kind}", loc)
    lines = [message("research.fan.title", loc, model=kind, intake=_num(intake, loc))]
    key = "research.describe.fan_days" if days else "research.describe.fan_session"
    for t in times:
        try:
            band = model.expected(intake, float(t))
        except NoReferenceDataError:
            continue
        lines.append(
            message(
                key,
                loc,
                at=format_number(float(t), loc, decimals=0),
                median=_num(band.median, loc),
                low_p=format_number(band.percentiles[0], loc, decimals=0),
                high_p=format_number(band.percentiles[-1], loc, decimals=0),
                low=_num(band.values[0], loc),
                high=_num(band.values[-1], loc),
            )
        )
    return "\n".join(lines)
