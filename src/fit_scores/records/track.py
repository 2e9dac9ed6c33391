"""A track: the ordered administrations of one person x scale x rater x episode."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
from pydantic import (
    Field,
    field_validator,
)

from fit_scores import alliance as _alliance
from fit_scores import trajectories as _trajectories
from fit_scores._core import change as _change_kernels
from fit_scores._core import track_rules as _track_rules
from fit_scores._core import tracks as _tracks
from fit_scores._core.errorlog import ErrorLog
from fit_scores._model import FrozenModel
from fit_scores.alliance import AllianceRules, AllianceSignal, SignalRule
from fit_scores.change import ChangeResult
from fit_scores.errors import (
    MissingThresholdError,
    MixedTrackError,
    TrackError,
    UnknownPersonError,
)
from fit_scores.records.administration import Administration
from fit_scores.scales.model import Cutoff, Rater, Scale, Source
from fit_scores.trajectories import TrendResult

if TYPE_CHECKING:  # pragma: no cover
    from fit_scores.records.family import Person

__all__ = ["Track"]

# --- Track ---------------------------------------------------------------------

_TRACK_FIELDS = ("person", "scale", "rater", "rater_id", "episode")
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _order_key(adm: Administration) -> tuple[dt.date, int]:
    return (adm.date, 0 if adm.session is None else adm.session)


def _check_track_rules(order: list[int], ordered: tuple[Administration, ...]) -> None:
    """The rules of a track (:mod:`fit_scores._core.track_rules`) on one track; raise the first.

    ``order`` holds the position in the given administrations of every
    administration in date order (the "row" a reason names).
    """
    if len(ordered) < 2:
        return
    days = np.array([a.date.toordinal() - _EPOCH_ORDINAL for a in ordered], dtype=np.int64)
    session = np.array([a.session or 0 for a in ordered], dtype=np.int64)
    time = np.zeros(days.size, dtype=np.int64)
    time[1:] = np.cumsum((days[1:] != days[:-1]) | (session[1:] != session[:-1]))
    log = ErrorLog()
    _track_rules.check_tracks(
        np.array(order, dtype=np.int64), np.zeros(days.size, dtype=np.int64), time, days, session,
        log,
    )  # fmt: skip
    first = log.first(["date", "session"])
    if first is not None:
        row, error, reason = first
        raise error(f"administrations[{row}]: {reason}")


class Track(FrozenModel):
    """The administrations of one person x scale x rater (x rater id) x episode, in time order.

    Administrations are ordered by date, then session number. Administrations
    of different people, scales, raters, rater ids or episodes, two
    administrations with the same date and session, and session numbers that
    go down over time are rejected, with the rules of a table's tracks
    (:mod:`fit_scores._core.track_rules`): the error names the administration
    outside the longest run of increasing session numbers, and its neighbours.

    Examples
    --------
    >>> from fit_scores import Administration, Track
    >>> a1 = Administration(scale="ORS", person="p1", date="2025-02-01", total=21.5)
    >>> a0 = Administration(scale="ORS", person="p1", date="2025-01-10", total=18.0)
    >>> track = Track.from_administrations([a1, a0])
    >>> [str(a.date) for a in track.administrations], track.totals
    (['2025-01-10', '2025-02-01'], (18.0, 21.5))
    """

    administrations: tuple[Administration, ...] = Field(min_length=1)

    @field_validator("administrations")
    @classmethod
    def _one_track_in_order(
        cls, administrations: tuple[Administration, ...]
    ) -> tuple[Administration, ...]:
        first = administrations[0]
        for i, adm in enumerate(administrations):
            for name, mine, theirs in zip(
                _TRACK_FIELDS, adm.track_key, first.track_key, strict=True
            ):
                if mine != theirs:
                    raise MixedTrackError(
                        f"administrations[{i}]: {name} is {mine!r} but administrations[0] has "
                        f"{theirs!r}; a track holds one person x scale x rater x episode"
                    )
        order = sorted(range(len(administrations)), key=lambda i: _order_key(administrations[i]))
        ordered = tuple(administrations[i] for i in order)
        _check_track_rules(order, ordered)
        return ordered

    @classmethod
    def from_administrations(
        cls, administrations: Iterable[Administration], *, as_of: dt.date | None = None
    ) -> Track:
        """Build a track from administrations in any order.

        Parameters
        ----------
        administrations : iterable of Administration
            The administrations, in any order.
        as_of : datetime.date, optional
            The day of the check: an administration dated after it is a
            :class:`~fit_scores.errors.DateError`. Every administration was
            checked against its own day (default today) when it was validated.
        """
        context = None if as_of is None else {"as_of": as_of}
        return cls.model_validate({"administrations": tuple(administrations)}, context=context)

    def __len__(self) -> int:
        return len(self.administrations)

    @property
    def person(self) -> str:
        """The person rated."""
        return self.administrations[0].person

    @property
    def scale(self) -> Scale:
        """The scale."""
        return self.administrations[0].scale

    @property
    def rater(self) -> Rater:
        """Who rated."""
        return self.administrations[0].rater

    @property
    def rater_id(self) -> str | None:
        """The rater's id, if not the person."""
        return self.administrations[0].rater_id

    @property
    def episode(self) -> str | None:
        """The episode."""
        return self.administrations[0].episode

    @property
    def key(self) -> tuple[str, str, str, str | None, str | None]:
        """``(person, scale, rater, rater_id, episode)``."""
        return self.administrations[0].track_key

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """Dates in order."""
        return tuple(a.date for a in self.administrations)

    @property
    def totals(self) -> tuple[float, ...]:
        """Totals in order."""
        return tuple(float(a.total_exact) for a in self.administrations)

    @property
    def intake(self) -> Administration:
        """The first administration."""
        return self.administrations[0]

    @property
    def latest(self) -> Administration:
        """The latest administration."""
        return self.administrations[-1]

    def _pick(self, which: int | dt.date, name: str) -> int:
        if isinstance(which, dt.date):
            found = [i for i, a in enumerate(self.administrations) if a.date == which]
            if len(found) != 1:
                count = "no" if not found else f"{len(found)}"
                raise TrackError(
                    f"{name}: {count} administrations on {which.isoformat()}; give an index"
                )
            return found[0]
        if isinstance(which, bool) or not isinstance(which, int):
            raise TrackError(f"{name} must be an index or a date, got {which!r}")
        n = len(self.administrations)
        if not -n <= which < n:
            raise TrackError(f"{name}: index {which} is outside a track of {n} administrations")
        return which % n

    def age_at(self, which: int | dt.date, person: Person | None = None) -> int | None:
        """The person's age at an administration of this track.

        Parameters
        ----------
        which : int or datetime.date
            Position in the track (negative counts from the end) or date.
        person : Person, optional
            The person, to derive the age from the birth date when the
            administration does not give one.

        Returns
        -------
        int or None
            The age given on the administration, else the person's age at its
            date, else ``None``.

        Raises
        ------
        UnknownPersonError
            If ``person`` is not the person of this track.

        Examples
        --------
        >>> from fit_scores import example_family
        >>> family = example_family()
        >>> boy = family.member("gutt")
        >>> track = family.tracks_of("gutt")[-1]
        >>> track.age_at(0, boy)
        13
        """
        adm = self.administrations[self._pick(which, "which")]
        if person is not None:
            self.check_person(person)
        if adm.age is not None:
            return adm.age
        if person is None:
            return None
        return person.age_at(adm.date)

    def check_person(self, person: Person | str) -> None:
        """Check that ``person`` (a :class:`~fit_scores.Person` or an id) is this track's person.

        Every call that combines a person with a track (``change``,
        ``age_at``, ``cutoff_at``, charts) runs it, so that another person's
        birth date never decides this track's cutoff.

        Raises
        ------
        UnknownPersonError
            If it is another person.

        Examples
        --------
        >>> from fit_scores import example_family
        >>> family = example_family()
        >>> track = family.tracks_of("mor")[0]
        >>> track.check_person(family.member("mor"))
        >>> track.check_person("far")
        Traceback (most recent call last):
        ...
        fit_scores.errors.UnknownPersonError: person 'far' is not the person of this track ('mor')
        """
        pid = person if isinstance(person, str) else person.id
        if pid != self.person:
            raise UnknownPersonError(
                f"person {pid!r} is not the person of this track ({self.person!r})"
            )

    def check_same_person(self, other: Track, what: str = "track") -> None:
        """Check that ``other`` (say, the alliance track drawn with this one) is this person's.

        For charts and reports that combine two tracks: an alliance track of
        another person must never be drawn or read as this person's.

        Parameters
        ----------
        other : Track
            The other track.
        what : str
            What the other track is, for the message (``"alliance track"``).

        Raises
        ------
        MixedTrackError
            If the two tracks are of different people.

        Examples
        --------
        >>> from fit_scores import example_family
        >>> family = example_family()
        >>> ors = family.tracks_of("mor")[0]
        >>> ors.check_same_person(family.alliance_track(ors), "alliance track")
        >>> ors.check_same_person(family.tracks_of("far")[0], "alliance track")
        Traceback (most recent call last):
        ...
        fit_scores.errors.MixedTrackError: the alliance track is of person 'far', not 'mor'; ...
        """
        if not isinstance(other, Track):
            raise MixedTrackError(f"the {what} must be a Track, got {type(other).__name__}")
        if other.person != self.person:
            raise MixedTrackError(
                f"the {what} is of person {other.person!r}, not {self.person!r}; give the tracks "
                "of one person"
            )

    def cutoff_at(self, which: int | dt.date, person: Person | None = None) -> Cutoff | None:
        """The cutoff that applies at an administration: by its age band and rater.

        ``None`` when the age is unknown and the age bands' cutoffs differ (see
        :meth:`Scale.cutoff_for <fit_scores.Scale.cutoff_for>`).

        Examples
        --------
        >>> from fit_scores import example_family
        >>> family = example_family()
        >>> track = family.tracks_of("far")[0]
        >>> track.cutoff_at(-1, family.member("far")).value
        25.0
        """
        age = self.age_at(which, person)
        adm = self.administrations[self._pick(which, "which")]
        return self.scale.cutoff_for(age=age, rater=adm.rater)

    def times(self, axis: Literal["session", "days"] = "session") -> npt.NDArray[np.float64]:
        """The time of every administration on a trajectory axis.

        ``"session"``: the session numbers when every administration has one,
        else the positions 1, 2, ...; ``"days"``: days since the first date.

        Examples
        --------
        >>> from fit_scores import Administration, Track
        >>> t = Track.from_administrations(
        ...     Administration(scale="ORS", person="p", date=d, total=20.0)
        ...     for d in ("2025-01-01", "2025-01-31"))
        >>> t.times("session").tolist(), t.times("days").tolist()
        ([1.0, 2.0], [0.0, 30.0])
        """
        admins = self.administrations
        if axis == "days":
            first = admins[0].date
            return np.array([(a.date - first).days for a in admins], dtype=np.float64)
        if axis != "session":
            raise TrackError(f"axis must be 'session' or 'days', got {axis!r}")
        numbered = all(a.session is not None for a in admins)
        return np.array(
            [
                a.session if numbered and a.session is not None else i + 1
                for i, a in enumerate(admins)
            ],
            dtype=np.float64,
        )

    def scores(self) -> npt.NDArray[np.float64]:
        """The totals in order, as a float array (see :attr:`totals` for a tuple)."""
        return np.array(self.totals, dtype=np.float64)

    def change(
        self,
        start: int | dt.date = 0,
        end: int | dt.date = -1,
        *,
        person: Person | None = None,
        non_reliable_recovery: bool = False,
    ) -> ChangeResult:
        """Change from ``start`` (default: intake) to ``end`` (default: the latest).

        Uses the scale's reliable-change criterion (fixed points, or computed
        from SD and reliability) and, at each of the two times, the cutoff for
        the person's age band and rater: the age comes from the administration
        or from ``person``. Without a known, published cutoff at both times the
        category is improved / unchanged / deteriorated by reliable change
        alone. All comparisons are exact, in ticks.

        Parameters
        ----------
        start, end : int or datetime.date
            Positions in the track (negative counts from the end) or dates.
        person : Person, optional
            The person, to derive ages from the birth date.
        non_reliable_recovery : bool
            Label a crossing of the cutoff without reliable change
            ``"non_reliably_recovered"`` instead of ``"unchanged"``.

        Raises
        ------
        MissingThresholdError
            If the scale has no reliable-change criterion (alliance scales).

        Notes
        -----
        Where the cutoff depends on the age (the ORS) and the age is unknown
        at either time, recovery cannot be judged: ``clinical_pre`` or
        ``clinical_post`` is ``None``, the category rests on reliable change
        alone, and ``message_id`` ends in ``.no_age``, so that the label says
        so ("no age: recovery cannot be judged"). ``Track.recovery_judged``
        gives the same answer as a flag.

        Examples
        --------
        >>> from fit_scores import Administration, Track
        >>> t = Track.from_administrations([
        ...     Administration(scale="ORS", person="p", date="2025-01-10", age=40, total=19.5),
        ...     Administration(scale="ORS", person="p", date="2025-03-01", age=40, total=25.0)])
        >>> r = t.change()
        >>> r.difference, r.reliable, r.category, r.label("nb")
        (5.5, True, 'recovered', 'Tydelig bedring, nå over grensen')
        """
        i, j = self._pick(start, "start"), self._pick(end, "end")
        if person is not None:
            self.check_person(person)
        if i >= j:
            raise TrackError(f"start ({i}) must come before end ({j}) in the track")
        pre, post = self.administrations[i], self.administrations[j]
        scale = self.scale
        rc = scale.reliable_change
        if rc is None or not rc.published:
            why = "" if rc is None else f" ({rc.source.note or rc.source.citation})"
            raise MissingThresholdError(
                f"{scale.key} has no reliable-change criterion{why}; for alliance scales "
                "use Track.alliance_signals()"
            )
        cuts = (self.cutoff_at(i, person), self.cutoff_at(j, person))
        ages = [self.age_at(k, person) for k in (i, j)]
        num = np.array([a.total_ticks.numerator for a in (pre, post)], dtype=np.int64)
        den = np.array([a.total_ticks.denominator for a in (pre, post)], dtype=np.int64)
        one = np.zeros(1, dtype=np.int64)
        case = _tracks.caseness(
            [scale],
            np.zeros(2, dtype=np.int64),
            np.full(2, _tracks.RATERS.index(self.rater), dtype=np.int8),
            np.array([-1 if a is None else a for a in ages], dtype=np.int64),
            num,
            den,
        )
        cols = _tracks.change_columns(
            [scale],
            one,
            num[:1],
            den[:1],
            num[1:],
            den[1:],
            case[:1],
            case[1:],
            compared=np.ones(1, dtype=bool),
            non_reliable_recovery=non_reliable_recovery,
        )
        diff = Fraction(int(cols.change_num[0]), int(cols.change_den[0]))
        reliable, better, worse = bool(cols.reliable[0]), bool(cols.better[0]), bool(cols.worse[0])
        clinical_pre, clinical_post = (None if c < 0 else bool(c) for c in case.tolist())
        known = clinical_pre is not None and clinical_post is not None
        category = _change_kernels.CATEGORIES[int(cols.category[0])]
        judged = bool(
            _tracks.recovery_judged(
                [scale],
                one,
                np.full(1, _tracks.RATERS.index(self.rater), dtype=np.int8),
                np.array([-1 if ages[0] is None else ages[0]], dtype=np.int64),
                np.array([-1 if ages[1] is None else ages[1]], dtype=np.int64),
            )[0]
        )
        # without an age where the cutoff needs one, the message says that recovery
        # cannot be judged ("no age: recovery cannot be judged")
        message_id = f"change.category.{category}" + ("" if judged else ".no_age")
        tpu = scale.ticks_per_unit
        rci = None
        if rc.sd is not None and rc.reliability is not None:
            rci = float(diff / tpu) / (rc.sd * math.sqrt(2.0 * (1.0 - rc.reliability)))
        sources = [rc.source] + [c.source for c in cuts if c is not None]
        return ChangeResult(
            scale=scale.key,
            person=self.person,
            rater=self.rater,
            pre_date=pre.date,
            post_date=post.date,
            pre=float(pre.total_exact),
            post=float(post.total_exact),
            difference=float(diff / tpu),
            rci=rci,
            threshold=rc.threshold(),
            criterion="points" if rc.points is not None else "computed",
            comparison=rc.comparison,
            reliable=reliable,
            direction="better" if better else "worse" if worse else "none",
            cutoff_pre=None if cuts[0] is None else cuts[0].value,
            cutoff_post=None if cuts[1] is None else cuts[1].value,
            clinical_pre=clinical_pre,
            clinical_post=clinical_post,
            crossed_cutoff=(clinical_pre and not clinical_post) if known else None,
            category=category,
            recovery_judged=judged,
            message_id=message_id,
            sources=tuple(dict.fromkeys(sources)),
        )

    def trend(
        self,
        time: Literal["session", "days", "log_session"] = "session",
        *,
        level: float = 0.95,
    ) -> TrendResult:
        """Least-squares trend: slope per session, per 30 days or per log(session).

        Sessions are the administrations' session numbers (else their
        positions, from 1); days are counted from the first date. With fewer
        than three scores the result says ``"not_enough_data"``.

        Examples
        --------
        >>> from fit_scores import Administration, Track
        >>> t = Track.from_administrations(
        ...     Administration(scale="ORS", person="p", date=d, total=v)
        ...     for d, v in (("2025-01-01", 18.0), ("2025-01-31", 20.0), ("2025-03-02", 22.5)))
        >>> r = t.trend("days")
        >>> r.unit, round(r.slope, 2)
        ('per 30 days', 2.25)
        """
        axis: Literal["session", "days"] = "days" if time == "days" else "session"
        times, scores = self.times(axis), self.scores()
        if time == "days":
            times = times / _trajectories.DAYS_PER_STEP
        elif time == "log_session":
            times = np.log(times)
        return _trajectories.trend_of(times, scores, time=time, level=level)

    def alliance_signals(
        self,
        rules: AllianceRules | None = None,
        *,
        person: Person | None = None,
        meetings: Iterable[dt.date] | Track | None = None,
    ) -> tuple[AllianceSignal, ...]:
        """Alliance signals of an SRS-family track, in date order.

        Rules (each overridable in ``rules``): below the alliance cutoff, a
        drop of at least 1 point since the previous session, any item below
        7.5, the maximum total twice or more in a row (possible ceiling), and
        meetings without an alliance rating (``meetings``: dates, or the
        outcome track of the same person).

        Examples
        --------
        >>> from fit_scores import Administration, Track
        >>> def srs(day, items):
        ...     return Administration(scale="SRS", person="p", date=day, items=items)
        >>> srs = Track.from_administrations([srs("2025-01-10", (9.5, 9.5, 9.5, 9.5)),
        ...                                   srs("2025-02-10", (9.0, 9.0, 9.0, 8.9))])
        >>> [(s.rule, str(s.date)) for s in srs.alliance_signals()]
        [('below_cutoff', '2025-02-10'), ('drop', '2025-02-10')]
        """
        rules = AllianceRules() if rules is None else rules
        scale = self.scale
        if scale.kind != "alliance":
            raise TrackError(
                f"{scale.key} is an outcome scale; alliance signals apply to session-rating "
                "(SRS-family) tracks"
            )
        admins = self.administrations
        n = len(admins)
        num = np.array([a.total_ticks.numerator for a in admins], dtype=np.int64)
        den = np.array([a.total_ticks.denominator for a in admins], dtype=np.int64)
        ages = [self.age_at(k, person) for k in range(n)]
        item_ticks = np.zeros((n, scale.n_items), dtype=np.int64)
        answered = np.zeros((n, scale.n_items), dtype=bool)
        for k, a in enumerate(admins):
            for q, t in enumerate(a.item_ticks or ()):
                if t is not None:
                    item_ticks[k, q], answered[k, q] = t, True
        flags = _tracks.alliance_flags(
            [scale],
            np.zeros(n, dtype=np.int64),
            np.full(n, _tracks.RATERS.index(self.rater), dtype=np.int8),
            np.array([-1 if a is None else a for a in ages], dtype=np.int64),
            num,
            den,
            np.zeros(1, dtype=np.int64),
            item_ticks,
            answered,
            rules.thresholds(),
        )
        signals: list[AllianceSignal] = []

        def add(
            rule: SignalRule, k: int, value: float | None, threshold: float | None, source: Source
        ) -> None:
            a = admins[k]
            signals.append(
                AllianceSignal(
                    rule=rule,
                    date=a.date,
                    session=a.session,
                    index=k,
                    value=value,
                    threshold=threshold,
                    message_id=f"alliance.{rule}",
                    source=source,
                )
            )

        for k in np.flatnonzero(flags["below_cutoff"]).tolist():
            if rules.cutoff is not None:
                add("below_cutoff", k, float(admins[k].total_exact), rules.cutoff,
                    rules.cutoff_source or _alliance.CUSTOM_SOURCE)  # fmt: skip
            else:
                cut = self.cutoff_at(k, person)
                if cut is not None:  # always: a flag needs a published cutoff
                    add("below_cutoff", k, float(admins[k].total_exact), cut.value, cut.source)
        for k in np.flatnonzero(flags["drop"]).tolist():
            add("drop", k, float(admins[k].total_exact), rules.drop, rules.drop_source)
        for k in np.flatnonzero(flags["item_below"]).tolist():
            lowest = min(v for v in admins[k].items or () if v is not None)
            add("item_below", k, lowest, rules.item_below, rules.item_source)
        for k in np.flatnonzero(flags["ceiling"]).tolist():
            add("ceiling", k, float(admins[k].total_exact), None, rules.ceiling_source)
        if meetings is not None:
            dates = meetings.dates if isinstance(meetings, Track) else tuple(meetings)
            rated = set(self.dates)
            for day in sorted(set(dates) - rated):
                signals.append(
                    AllianceSignal(
                        rule="missing",
                        date=day,
                        session=None,
                        index=None,
                        value=None,
                        threshold=None,
                        message_id="alliance.missing",
                        source=rules.missing_source,
                    )
                )
        order = {"missing": 0, "below_cutoff": 1, "drop": 2, "item_below": 3, "ceiling": 4}
        return tuple(sorted(signals, key=lambda s: (s.date, order[s.rule])))
