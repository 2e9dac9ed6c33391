"""People and families: members with their ages, their tracks, yearly mappings and plan.

A :class:`Family` brings the programme's three kinds of measurement onto one
time line (issue 11): the session scores (:class:`Track`), the yearly mapping
(:class:`YearlyMapping`: living-conditions records and yearly instrument
scores such as GSE and life satisfaction) and *Familiens plan*
(:class:`~fit_scores.goals.FamilyPlan`). :meth:`Family.timeline` lists them in
date order as :class:`TimelineEvent` objects for charts and reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from pydantic import (
    Field,
    ValidationInfo,
    model_validator,
)

from fit_scores._core.calendar import as_of_day
from fit_scores._core.rules import before_birth
from fit_scores._model import FrozenModel
from fit_scores.errors import (
    AgeError,
    DateError,
    DuplicateMemberError,
    GoalError,
    TrackError,
    UnknownPersonError,
    UnknownScaleError,
)
from fit_scores.goals.plan import FamilyPlan, Goal, GoalRating
from fit_scores.living_conditions.records import (
    HouseholdIncome,
    Housing,
    LeisureParticipation,
    UpperSecondary,
    WorkActivity,
)
from fit_scores.records.administration import Administration
from fit_scores.records.fields import Age, Identifier, OptionalDay
from fit_scores.records.track import Track
from fit_scores.scales.model import Cutoff
from fit_scores.scales.registry import get_instrument

__all__ = [
    "TIMELINE_KINDS",
    "Family",
    "Person",
    "TimelineEvent",
    "TimelineKind",
    "TimelineRecord",
    "YearlyMapping",
    "year_date",
]

# --- Person and Family -------------------------------------------------------------


def _before_birth_reason(when: dt.date, born: dt.date) -> str:
    epoch = dt.date(1970, 1, 1).toordinal()
    days = np.array([when.toordinal() - epoch], dtype=np.int64)
    birth = np.array([born.toordinal() - epoch], dtype=np.int64)
    return str(before_birth(days, birth)[0])


def _completed_years(born: dt.date, when: dt.date) -> int:
    years = when.year - born.year
    if (when.month, when.day) < (born.month, born.day):
        years -= 1
    return years


class Person(FrozenModel):
    """A family member: pseudonymous id, role, and a birth date or an age.

    Give ``birth_date`` (exact ages) or ``age`` (completed years). With
    ``age`` alone the age is taken as constant (fine for adults); with
    ``age`` and ``age_on`` (the date the age was recorded) the person is
    taken to have turned ``age`` on ``age_on``, which can be up to a year off
    near an unknown birthday, so prefer ``birth_date`` for children near 6,
    13 and 18.

    Examples
    --------
    >>> import datetime as dt
    >>> from fit_scores import Person
    >>> kid = Person(id="c1", role="child", birth_date="2010-06-01")
    >>> kid.age_at(dt.date(2023, 5, 31)), kid.age_at(dt.date(2023, 6, 1))
    (12, 13)
    """

    id: Identifier
    role: Literal["adult", "child"]
    birth_date: OptionalDay = None
    age: Age | None = None
    age_on: OptionalDay = None

    @model_validator(mode="after")
    def _one_age_source(self) -> Person:
        if (self.birth_date is None) == (self.age is None):
            raise AgeError(f"person {self.id!r}: give exactly one of birth_date and age")
        if self.age_on is not None and self.age is None:
            raise AgeError(f"person {self.id!r}: age_on needs age")
        return self

    @property
    def effective_birth_date(self) -> dt.date | None:
        """The birth date, or the one implied by ``age`` on ``age_on``; ``None`` if constant."""
        if self.birth_date is not None:
            return self.birth_date
        if self.age is None or self.age_on is None:
            return None
        try:
            return self.age_on.replace(year=self.age_on.year - self.age)
        except ValueError:  # 29 February in a year without one
            return self.age_on.replace(year=self.age_on.year - self.age, day=28)

    def age_at(self, when: dt.date) -> int:
        """Age in completed years at ``when``.

        Raises
        ------
        AgeError
            If ``when`` is before the (implied) birth date.
        """
        born = self.effective_birth_date
        if born is None:
            return int(self.age or 0)
        if when < born:  # the reason of the rules layer (as for a row of a table)
            raise AgeError(f"person {self.id!r}: {_before_birth_reason(when, born)}")
        return _completed_years(born, when)


#: The kinds of event on a family's time line, in the order of events on one day.
TimelineKind = Literal[
    "goal_set",
    "session",
    "instrument",
    "household_income",
    "housing",
    "work",
    "upper_secondary",
    "leisure",
    "goal_rating",
]
TIMELINE_KINDS: tuple[TimelineKind, ...] = get_args(TimelineKind)

#: A record on a family's time line.
TimelineRecord = (
    Administration
    | HouseholdIncome
    | Housing
    | WorkActivity
    | UpperSecondary
    | LeisureParticipation
    | Goal
    | GoalRating
)


def year_date(year: int) -> dt.date:
    """The day that stands for a record of a whole year on a time line: 1 July (mid-year).

    Household income is kept per income year and upper secondary status per
    status year; a time line places them in the middle of their year.

    Examples
    --------
    >>> year_date(2024)
    datetime.date(2024, 7, 1)
    """
    return dt.date(year, 7, 1)


class YearlyMapping(FrozenModel):
    """A family's yearly mappings: living-conditions records and yearly instrument scores.

    Parameters
    ----------
    household_income : sequence of HouseholdIncome
        Income after tax of the family's household, one record per income year.
    housing : sequence of Housing
        The household's dwelling at each mapping.
    work : sequence of WorkActivity
        Work and work-oriented activity of members (adults) at each mapping.
    upper_secondary : sequence of UpperSecondary
        Upper secondary education of young members.
    leisure : sequence of LeisureParticipation
        Leisure activities of members (children) at each mapping.
    instruments : sequence of Administration
        Yearly instrument scores (``GSE``, ``LIFESAT``, ``CANTRIL`` or another
        instrument of :func:`~fit_scores.get_instrument`), validated and scored
        through the same rules layer as a session score. Session scales (the
        ORS family) belong in :attr:`Family.tracks`.

    Examples
    --------
    >>> from fit_scores.records import YearlyMapping
    >>> m = YearlyMapping(
    ...     housing=[{"household_id": "f1", "date": "2025-01-10", "persons": 4, "rooms": 3,
    ...               "area_m2": 80}],
    ...     instruments=[{"scale": "LIFESAT", "person": "mor", "date": "2025-01-10",
    ...                   "total": 7}],
    ... )
    >>> m.housing[0].crowded(), m.instruments[0].total, len(m)
    (True, 7.0, 2)
    """

    household_income: tuple[HouseholdIncome, ...] = ()
    housing: tuple[Housing, ...] = ()
    work: tuple[WorkActivity, ...] = ()
    upper_secondary: tuple[UpperSecondary, ...] = ()
    leisure: tuple[LeisureParticipation, ...] = ()
    instruments: tuple[Administration, ...] = ()

    @model_validator(mode="after")
    def _instruments_only(self) -> YearlyMapping:
        seen: set[tuple[str, str, str, dt.date]] = set()
        for i, adm in enumerate(self.instruments):
            try:
                get_instrument(adm.scale.key)
            except UnknownScaleError as exc:
                raise UnknownScaleError(
                    f"instruments[{i}]: {adm.scale.key} is not a yearly instrument; session "
                    f"scores belong in the family's tracks ({exc})"
                ) from exc
            key = (adm.person, adm.scale.key, adm.rater, adm.date)
            if key in seen:
                raise TrackError(
                    f"instruments[{i}]: a second {adm.scale.key} score of {adm.person!r} by "
                    f"the same rater on {adm.date.isoformat()}"
                )
            seen.add(key)
        return self

    def __len__(self) -> int:
        return (
            len(self.household_income)
            + len(self.housing)
            + len(self.work)
            + len(self.upper_secondary)
            + len(self.leisure)
            + len(self.instruments)
        )


@dataclass(frozen=True)
class TimelineEvent:
    """One event on a family's time line (see :meth:`Family.timeline`).

    Attributes
    ----------
    date : datetime.date
        The day of the event; a record of a whole year (household income,
        upper secondary status) stands on 1 July of its year (:func:`year_date`).
    kind : str
        One of :data:`TIMELINE_KINDS`.
    person : str or None
        The member the event is about; ``None`` for the household or a goal of
        the whole family.
    record : TimelineRecord
        The record: an :class:`Administration` (``session``, ``instrument``),
        a living-conditions record, a :class:`~fit_scores.goals.Goal`
        (``goal_set``) or a :class:`~fit_scores.goals.GoalRating`.
    goal : Goal or None
        The goal of a ``goal_set`` or ``goal_rating`` event.
    track : Track or None
        The track of a ``session`` event.
    """

    date: dt.date
    kind: TimelineKind
    person: str | None
    record: TimelineRecord
    goal: Goal | None = None
    track: Track | None = None


def _as_of_date(info: ValidationInfo) -> dt.date:
    context = info.context
    day = as_of_day(context.get("as_of") if isinstance(context, Mapping) else None)
    return dt.date(1970, 1, 1) + dt.timedelta(days=day)


def _future(where: str, when: dt.date, as_of: dt.date) -> DateError:
    return DateError(
        f"{where}: date {when.isoformat()} is after the day of the check ({as_of.isoformat()}); "
        "check the year, or give as_of"
    )


class Family(FrozenModel):
    """A family: its members, their tracks, the yearly mappings and the plan.

    Validation checks that every track belongs to a member, that no two tracks
    share a key, and that every administration fits the member's age at its
    date: the scale is meant for that age, and an age given on the
    administration agrees with the member's. The age at each administration
    decides its age band and so its cutoff (:meth:`cutoff`): a child moves
    from the CORS (32) to the ORS (28) at 13 and to the adult cutoff (25) at 18.

    The yearly mapping and the plan are checked against the members too: a
    person's record names a member, a household record names the family's
    household (:attr:`household`), the plan is the family's, a person's goal
    names an adult member and a child's goal a child. No date lies after the
    day of the check (``as_of`` in the validation context, default today; a
    :class:`~fit_scores.errors.DateError`) or before the member's birth (an
    :class:`~fit_scores.errors.AgeError`); for a record of a whole year the
    year may not start after that day.

    Parameters
    ----------
    id : str
        Pseudonymous family id.
    members : sequence of Person
        At least one member.
    tracks : sequence of Track
        The session tracks.
    household_id : str, optional
        The id the household records (income, housing) use; default the family id.
    yearly : YearlyMapping
        The yearly mappings (default: none).
    plan : FamilyPlan, optional
        Familiens plan: goals and their ratings.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> family = example_family()
    >>> [m.id for m in family.members]
    ['mor', 'far', 'jente', 'gutt']
    >>> family.household, len(family.yearly), family.plan is None
    ('familie-eksempel', 0, True)
    """

    id: Identifier
    members: tuple[Person, ...] = Field(min_length=1)
    tracks: tuple[Track, ...] = ()
    household_id: Identifier | None = None
    yearly: YearlyMapping = YearlyMapping()
    plan: FamilyPlan | None = None

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Family:
        ids = [m.id for m in self.members]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise DuplicateMemberError(f"members: duplicate member ids {duplicates}")
        as_of = _as_of_date(info)
        seen: set[tuple[str, str, str, str | None, str | None]] = set()
        for t, track in enumerate(self.tracks):
            if track.key in seen:
                raise TrackError(
                    f"tracks[{t}]: a second track for {track.key}; put all administrations "
                    "of one person x scale x rater x episode in one track"
                )
            seen.add(track.key)
            if track.person not in ids:
                raise UnknownPersonError(
                    f"tracks[{t}]: person {track.person!r} is not a member of family "
                    f"{self.id!r}; members: {ids}"
                )
            member = self.member(track.person)
            for i, adm in enumerate(track.administrations):
                where = f"tracks[{t}].administrations[{i}] ({adm.scale.key}, {adm.date})"
                if adm.date > as_of:
                    raise _future(where, adm.date, as_of)
                try:
                    age = member.age_at(adm.date)
                    adm.scale.age_band(age)
                except AgeError as exc:
                    raise AgeError(f"{where}: {exc}") from exc
                if adm.age is not None and adm.age != age:
                    raise AgeError(
                        f"{where}: age {adm.age} disagrees with member {member.id!r}, "
                        f"who is {age} on that date"
                    )
        self._check_yearly(as_of)
        if self.plan is not None:
            self._check_plan(self.plan, as_of)
        return self

    @property
    def household(self) -> str:
        """The household id of the household records: :attr:`household_id`, else :attr:`id`."""
        return self.id if self.household_id is None else self.household_id

    def _check_person(self, where: str, person: str, when: dt.date, as_of: dt.date) -> None:
        """A person's dated record: a member, not after ``as_of``, not before birth."""
        if when > as_of:
            raise _future(where, when, as_of)
        if person not in {m.id for m in self.members}:
            raise UnknownPersonError(
                f"{where}: person {person!r} is not a member of family {self.id!r}; "
                f"members: {[m.id for m in self.members]}"
            )
        try:
            self.member(person).age_at(when)
        except AgeError as exc:
            raise AgeError(f"{where}: {exc}") from exc

    def _check_household(self, where: str, household: str) -> None:
        if household != self.household:
            raise UnknownPersonError(
                f"{where}: household {household!r} is not the household of family "
                f"{self.id!r} ({self.household!r})"
            )

    def _check_yearly(self, as_of: dt.date) -> None:
        y = self.yearly
        for i, inc in enumerate(y.household_income):
            where = f"yearly.household_income[{i}] (year {inc.year})"
            self._check_household(where, inc.household_id)
            if inc.year > as_of.year:
                raise _future(where, dt.date(inc.year, 1, 1), as_of)
        for i, h in enumerate(y.housing):
            where = f"yearly.housing[{i}] ({h.date.isoformat()})"
            self._check_household(where, h.household_id)
            if h.date > as_of:
                raise _future(where, h.date, as_of)
        for i, w in enumerate(y.work):
            self._check_person(
                f"yearly.work[{i}] ({w.date.isoformat()})", w.person_id, w.date, as_of
            )
        for i, p in enumerate(y.leisure):
            self._check_person(
                f"yearly.leisure[{i}] ({p.date.isoformat()})", p.person_id, p.date, as_of
            )
        for i, u in enumerate(y.upper_secondary):
            where = f"yearly.upper_secondary[{i}] (status year {u.status_year})"
            if u.status_year > as_of.year:
                raise _future(where, dt.date(u.status_year, 1, 1), as_of)
            self._check_person(where, u.person_id, dt.date(u.start_year, 12, 31), as_of)
        for i, adm in enumerate(y.instruments):
            where = f"yearly.instruments[{i}] ({adm.scale.key}, {adm.date.isoformat()})"
            self._check_person(where, adm.person, adm.date, as_of)
            age = self.member(adm.person).age_at(adm.date)
            if adm.age is not None and adm.age != age:
                raise AgeError(
                    f"{where}: age {adm.age} disagrees with member {adm.person!r}, "
                    f"who is {age} on that date"
                )

    def _check_plan(self, plan: FamilyPlan, as_of: dt.date) -> None:
        if plan.family_id != self.id:
            raise GoalError(f"plan: the plan of family {plan.family_id!r}, not of {self.id!r}")
        roles = {m.id: m.role for m in self.members}
        for i, goal in enumerate(plan.goals):
            where = f"plan.goals[{i}] ({goal.id!r})"
            if goal.set_on > as_of:
                raise _future(where, goal.set_on, as_of)
            if goal.person_id is None:
                continue
            self._check_person(where, goal.person_id, goal.set_on, as_of)
            wanted = "child" if goal.goal_for == "child" else "adult"
            if roles[goal.person_id] != wanted:
                raise GoalError(
                    f"{where}: a goal for a {goal.goal_for} names {goal.person_id!r}, who is "
                    f"a member with role {roles[goal.person_id]!r}"
                    + ("; use goal_for='person'" if wanted == "child" else "; use goal_for='child'")
                )
        for i, r in enumerate(plan.ratings):
            if r.date > as_of:
                raise _future(f"plan.ratings[{i}] ({r.goal_id!r})", r.date, as_of)

    def timeline(
        self, person: str | None = None, *, include_family: bool = True
    ) -> tuple[TimelineEvent, ...]:
        """The family's session scores, yearly mappings and goals in date order.

        Parameters
        ----------
        person : str, optional
            Only the events of this member (and, with ``include_family``, the
            household's and the whole family's).
        include_family : bool, default True
            With ``person``: keep the events of the household and of family goals.

        Returns
        -------
        tuple of TimelineEvent
            Sorted by date, then kind (:data:`TIMELINE_KINDS` order), then
            member order; events of one kind on one day keep their input order.

        Raises
        ------
        UnknownPersonError
            If ``person`` is not a member.

        Examples
        --------
        >>> from fit_scores import Family, Person
        >>> family = Family(
        ...     id="f1",
        ...     members=[Person(id="mor", role="adult", age=38)],
        ...     yearly={"instruments": [{"scale": "LIFESAT", "person": "mor",
        ...                              "date": "2025-01-10", "total": 6}]},
        ...     plan={"family_id": "f1", "goals": [
        ...         {"id": "jobb", "family_id": "f1", "goal_for": "person", "person_id": "mor",
        ...          "domain": "work", "set_on": "2025-01-10", "baseline_level": -1,
        ...          "level_descriptions": {0: "Deltidsjobb"}}]},
        ... )
        >>> [(e.date.isoformat(), e.kind, e.person) for e in family.timeline("mor")]
        [('2025-01-10', 'goal_set', 'mor'), ('2025-01-10', 'instrument', 'mor')]
        """
        if person is not None:
            self.member(person)
        events: list[TimelineEvent] = []
        for track in self.tracks:
            for adm in track.administrations:
                events.append(TimelineEvent(adm.date, "session", adm.person, adm, track=track))
        y = self.yearly
        for adm in y.instruments:
            events.append(TimelineEvent(adm.date, "instrument", adm.person, adm))
        for inc in y.household_income:
            events.append(TimelineEvent(year_date(inc.year), "household_income", None, inc))
        for h in y.housing:
            events.append(TimelineEvent(h.date, "housing", None, h))
        for w in y.work:
            events.append(TimelineEvent(w.date, "work", w.person_id, w))
        for u in y.upper_secondary:
            events.append(
                TimelineEvent(year_date(u.status_year), "upper_secondary", u.person_id, u)
            )
        for p in y.leisure:
            events.append(TimelineEvent(p.date, "leisure", p.person_id, p))
        if self.plan is not None:
            goals = {g.id: g for g in self.plan.goals}
            for g in self.plan.goals:
                events.append(TimelineEvent(g.set_on, "goal_set", g.person_id, g, goal=g))
            for r in self.plan.ratings:
                g = goals[r.goal_id]
                events.append(TimelineEvent(r.date, "goal_rating", g.person_id, r, goal=g))
        if person is not None:
            events = [
                e for e in events if e.person == person or (include_family and e.person is None)
            ]
        order = {m.id: k for k, m in enumerate(self.members)}
        kinds = {k: i for i, k in enumerate(TIMELINE_KINDS)}
        events.sort(
            key=lambda e: (e.date, kinds[e.kind], -1 if e.person is None else order[e.person])
        )
        return tuple(events)

    def member(self, person: str) -> Person:
        """The member with id ``person``."""
        for m in self.members:
            if m.id == person:
                return m
        raise UnknownPersonError(
            f"{person!r} is not a member of family {self.id!r}; members: "
            f"{[m.id for m in self.members]}"
        )

    def tracks_of(self, person: str) -> tuple[Track, ...]:
        """The tracks of member ``person``."""
        self.member(person)
        return tuple(t for t in self.tracks if t.person == person)

    def alliance_track(self, track: Track) -> Track | None:
        """The alliance (SRS-family) track that goes with an outcome track.

        The self-rated alliance track of the same person and episode that shares
        the most meeting dates with ``track``; ``None`` for a track that is not
        self-rated or has no such partner.

        Raises
        ------
        UnknownPersonError
            If the track's person is not a member.

        Examples
        --------
        >>> from fit_scores import example_family
        >>> family = example_family()
        >>> ors = family.tracks_of("mor")[0]
        >>> family.alliance_track(ors).scale.key
        'SRS'
        """
        if track.rater != "self":
            return None
        dates = set(track.dates)
        best, shared = None, 0
        for t in self.tracks_of(track.person):
            if t.scale.kind == "alliance" and t.episode == track.episode and t.rater == "self":
                overlap = len(dates & set(t.dates))
                if overlap > shared:
                    best, shared = t, overlap
        return best

    def age_at(self, administration: Administration) -> int:
        """The age of the person rated at ``administration``."""
        return self.member(administration.person).age_at(administration.date)

    def cutoff(self, administration: Administration) -> Cutoff:
        """The cutoff that applies to ``administration`` (by the member's age and the rater)."""
        return administration.scale.cutoff(
            age=self.age_at(administration), rater=administration.rater
        )

    def clinical(self, administration: Administration) -> bool | None:
        """Whether ``administration`` is in the clinical range (``None``: no published cutoff)."""
        cut = self.cutoff(administration)
        if cut.value is None:
            return None
        return administration.scale.is_clinical(
            administration.total_ticks, age=self.age_at(administration), rater=administration.rater
        )
