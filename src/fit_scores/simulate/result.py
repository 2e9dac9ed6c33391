"""The result of a simulation: :class:`SimulatedScores`, scores in long format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from fit_scores.records import Administration, Family, Person, Track
from fit_scores.scales import get_scale
from fit_scores.simulate._types import DateArray, FloatArray, IntArray, StrArray
from fit_scores.simulate.params import SimulationParams

if TYPE_CHECKING:  # pragma: no cover
    import pandas


@dataclass(frozen=True, eq=False)
class SimulatedScores:
    r"""Simulated scores in long format, one row per administration.

    Rows are sorted by track (person, scale, rater, rater id) and then by date. All
    arrays are read-only.

    Attributes
    ----------
    person : ndarray of str
        Person id of the person rated, e.g. ``"p000001"``.
    family : ndarray of str
        Family id (``""`` for cohort members without a family).
    scale : ndarray of str
        ``"ORS"``, ``"CORS"``, ``"SRS"`` or ``"CSRS"``.
    rater : ndarray of str
        ``"self"`` or ``"caretaker"``.
    rater_id : ndarray of str
        Person id of a caretaker rater; ``""`` for self-ratings.
    date : ndarray of datetime64[D]
        Date of the administration.
    session : ndarray of int64
        1-based number of the administration within its track (an alliance form carries
        the number of the outcome form of the same meeting).
    total : ndarray of float64
        Total on the 0.1 grid, within 0-40.
    age : ndarray of int64
        Age of the person rated, in completed years, at the date.
    n_bounded : int
        Number of totals that fell outside 0-40 and were set to the nearer bound.
    truth : dict of str to ndarray of float64
        Per-person true values, aligned with ``people``: ``theta`` (true intake
        score), ``slope`` (:math:`b_i`), ``slope_deviation`` (:math:`u_i`), ``cutoff``
        (:math:`c_g`), ``measurement_sd`` (:math:`\sigma_e`), ``alliance_log_shortfall``
        (:math:`\eta_i`), ``alliance_ceiling`` (:math:`\pi_i`) and
        ``caretaker_offset`` (:math:`\delta + v_i`; NaN without caretaker ratings).
    people : ndarray of str
        Person ids, in the order of ``truth``; includes people without any rows (young
        children in a family).
    birth_date : ndarray of datetime64[D]
        Birth date of each person (aligned with ``people``).
    role : ndarray of str
        ``"adult"`` or ``"child"`` for each person (aligned with ``people``).
    person_family : ndarray of str
        Family id of each person (aligned with ``people``; ``""`` in a cohort).
    params : SimulationParams
        The parameters used.

    Examples
    --------
    >>> from fit_scores.simulate import simulate_cohort
    >>> sim = simulate_cohort(3, seed=1)
    >>> len(sim) == sim.total.size, sim.people.tolist()
    (True, ['p000001', 'p000002', 'p000003'])
    >>> sorted(sim.to_dict())[:3]
    ['age', 'date', 'family']
    """

    person: StrArray
    family: StrArray
    scale: StrArray
    rater: StrArray
    rater_id: StrArray
    date: DateArray
    session: IntArray
    total: FloatArray
    age: IntArray
    n_bounded: int
    truth: dict[str, FloatArray]
    people: StrArray
    birth_date: DateArray = field(repr=False)
    role: StrArray = field(repr=False)
    person_family: StrArray = field(repr=False)
    params: SimulationParams = field(default_factory=SimulationParams, repr=False)

    def __post_init__(self) -> None:
        arrays = [getattr(self, name) for name in _COLUMNS]
        arrays += [self.people, self.birth_date, self.role, self.person_family]
        arrays += list(self.truth.values())
        for arr in arrays:
            arr.flags.writeable = False

    def __len__(self) -> int:
        return int(self.total.shape[0])

    def __repr__(self) -> str:
        return (
            f"SimulatedScores(rows={len(self)}, people={self.people.size}, "
            f"tracks={self._track_starts().size}, n_bounded={self.n_bounded})"
        )

    def to_dict(self) -> dict[str, npt.NDArray[Any]]:
        """The row columns as a dict of (read-only) arrays.

        Keys: ``person, family, scale, rater, rater_id, date, session, total, age``.

        Examples
        --------
        >>> from fit_scores.simulate import simulate_cohort
        >>> list(simulate_cohort(2, seed=0).to_dict())
        ['person', 'family', 'scale', 'rater', 'rater_id', 'date', 'session', 'total', 'age']
        """
        return {name: getattr(self, name) for name in _COLUMNS}

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a :class:`pandas.DataFrame` (pandas is imported here, not before).

        The columns are those of :meth:`to_dict`; ``date`` becomes a datetime column.

        Examples
        --------
        >>> from fit_scores.simulate import simulate_cohort
        >>> df = simulate_cohort(2, seed=0).to_pandas()
        >>> list(df.columns)
        ['person', 'family', 'scale', 'rater', 'rater_id', 'date', 'session', 'total', 'age']
        """
        import pandas as pd

        return pd.DataFrame({name: np.array(arr) for name, arr in self.to_dict().items()})

    def _track_starts(self) -> IntArray:
        """Row offsets at which a track (person, scale, rater, rater id) starts."""
        n = len(self)
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        new = np.zeros(n, dtype=np.bool_)
        new[0] = True
        for column in (self.person, self.scale, self.rater, self.rater_id):
            new[1:] |= column[1:] != column[:-1]
        return np.flatnonzero(new).astype(np.int64)

    def tracks(self) -> list[Track]:
        """The rows as validated :class:`~fit_scores.Track` objects (for small data).

        Each administration is validated (scale, rater, age, total on the grid) with its
        age and session set; the tracks have no episode. Dates are checked against the
        last simulated day (``as_of``), as a synthetic follow-up may run past today. This
        builds one pydantic model per row: use it for up to some thousands of rows, not for
        a benchmark cohort.

        Examples
        --------
        >>> from fit_scores.simulate import simulate_cohort
        >>> tracks = simulate_cohort(2, seed=3).tracks()
        >>> [(t.person, t.scale.key) for t in tracks]
        [('p000001', 'ORS'), ('p000002', 'ORS')]
        """
        starts = self._track_starts()
        ends = np.append(starts[1:], len(self))
        # synthetic follow-up may run past today: the day of the date check is its last day
        context = {"as_of": self.date.max().item()} if len(self) else None
        dates = self.date.tolist()
        totals = self.total.tolist()
        sessions = self.session.tolist()
        ages = self.age.tolist()
        tracks: list[Track] = []
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            scale = get_scale(str(self.scale[start]))
            person = str(self.person[start])
            rater = "caretaker" if self.rater[start] == "caretaker" else "self"
            rater_id = str(self.rater_id[start]) or None
            tracks.append(
                Track.model_validate(
                    {
                        "administrations": tuple(
                            Administration.model_validate(
                                {
                                    "scale": scale,
                                    "person": person,
                                    "rater": rater,
                                    "rater_id": rater_id,
                                    "date": dates[k],
                                    "session": sessions[k],
                                    "age": ages[k],
                                    "total": totals[k],
                                },
                                context=context,
                            )
                            for k in range(start, end)
                        )
                    },
                    context=context,
                )
            )
        return tracks

    def families(self) -> list[Family]:
        """The families as validated :class:`~fit_scores.Family` objects (for small data).

        Members come with their birth dates, so the family checks every age; people
        without a family (a cohort) are left out.

        Examples
        --------
        >>> from fit_scores.simulate import simulate_families
        >>> [f.id for f in simulate_families(2, seed=5).families()]
        ['f000001', 'f000002']
        """
        family_of = dict(zip(self.people.tolist(), self.person_family.tolist(), strict=True))
        context = {"as_of": self.date.max().item()} if len(self) else None
        by_family: dict[str, list[Track]] = {}
        for track in self.tracks():
            by_family.setdefault(family_of[track.person], []).append(track)
        result: list[Family] = []
        for fid in dict.fromkeys(self.person_family.tolist()):
            if not fid:
                continue
            members = tuple(
                Person(
                    id=str(self.people[k]),
                    role="adult" if self.role[k] == "adult" else "child",
                    birth_date=self.birth_date[k].item(),
                )
                for k in np.flatnonzero(self.person_family == fid).tolist()
            )
            result.append(
                Family.model_validate(
                    {"id": fid, "members": members, "tracks": tuple(by_family.get(fid, []))},
                    context=context,
                )
            )
        return result


_COLUMNS = ("person", "family", "scale", "rater", "rater_id", "date", "session", "total", "age")
