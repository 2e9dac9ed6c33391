"""People and families: members with their ages, and their tracks."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
from pydantic import (
    Field,
    model_validator,
)

from fit_scores._core.rules import before_birth
from fit_scores._model import FrozenModel
from fit_scores.errors import (
    AgeError,
    DuplicateMemberError,
    TrackError,
    UnknownPersonError,
)
from fit_scores.records.administration import Administration
from fit_scores.records.fields import Age, Identifier
from fit_scores.scales.model import Cutoff

__all__ = ["Family", "Person"]
from fit_scores.records.track import Track

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
    birth_date: dt.date | None = None
    age: Age | None = None
    age_on: dt.date | None = None

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


class Family(FrozenModel):
    """A family: its members and their tracks.

    Validation checks that every track belongs to a member, that no two tracks
    share a key, and that every administration fits the member's age at its
    date: the scale is meant for that age, and an age given on the
    administration agrees with the member's. The age at each administration
    decides its age band and so its cutoff (:meth:`cutoff`): a child moves
    from the CORS (32) to the ORS (28) at 13 and to the adult cutoff (25) at 18.

    Examples
    --------
    >>> from fit_scores import example_family
    >>> family = example_family()
    >>> [m.id for m in family.members]
    ['mor', 'far', 'jente', 'gutt']
    """

    id: Identifier
    members: tuple[Person, ...] = Field(min_length=1)
    tracks: tuple[Track, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Family:
        ids = [m.id for m in self.members]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise DuplicateMemberError(f"members: duplicate member ids {duplicates}")
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
        return self

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
