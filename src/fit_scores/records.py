"""Validated records: administrations of a scale, tracks, people and families.

An :class:`Administration` is one filled-in form, validated against its
:class:`~fit_scores.scales.Scale` and scored exactly (integer ticks). A
:class:`Track` is the ordered series of one person's administrations of one
scale by one rater in one episode. A :class:`Family` holds its members
(:class:`Person`) and their tracks, and knows each member's age at each
administration, which decides the age band and so the cutoff.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import numbers
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import (
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from fit_scores import alliance as _alliance
from fit_scores import errors as _errors
from fit_scores import trajectories as _trajectories
from fit_scores._core import change as _change_kernels
from fit_scores._core import rules as _rules
from fit_scores._core import tracks as _tracks
from fit_scores._model import FrozenModel
from fit_scores.alliance import AllianceRules, AllianceSignal, SignalRule
from fit_scores.change import ChangeResult
from fit_scores.errors import (
    AgeError,
    DuplicateAdministrationError,
    DuplicateMemberError,
    FitScoresError,
    ItemValueTypeError,
    MissingThresholdError,
    MixedTrackError,
    SessionOrderError,
    TrackError,
    UnknownItemError,
    UnknownPersonError,
)
from fit_scores.scales.model import AgeBand, Cutoff, Rater, Scale, Source
from fit_scores.scales.registry import ScaleRegistry, default_registry
from fit_scores.trajectories import TrendResult

__all__ = ["Administration", "Family", "Person", "Track"]

Identifier = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^\S(.*\S)?$")]
Age = Annotated[int, Field(strict=True, ge=0, le=130)]


# --- field types ---------------------------------------------------------------


def _resolve_scale(value: object, info: ValidationInfo) -> Scale:
    if isinstance(value, Scale):
        return value
    registry = default_registry()
    if isinstance(info.context, Mapping) and "registry" in info.context:
        registry = info.context["registry"]
        if not isinstance(registry, ScaleRegistry):
            raise TypeError("context['registry'] must be a ScaleRegistry")
    if not isinstance(value, str):
        raise ValueError(f"scale must be a scale key or a Scale, got {type(value).__name__}")
    return registry.get(value)


ScaleRef = Annotated[
    Scale,
    PlainValidator(_resolve_scale),
    PlainSerializer(lambda scale: scale.key, return_type=str),
    WithJsonSchema({"type": "string", "description": "Key of a registered scale, e.g. 'ORS'."}),
]
"""A scale, given and serialised as its key and resolved through the registry."""


def _finite_number(value: object) -> float:
    """A finite real number; no booleans and no strings posing as numbers."""
    if isinstance(value, bool | np.bool_):
        raise ItemValueTypeError(f"a boolean ({value!r}) is not a score")
    if isinstance(value, str | bytes):
        raise ItemValueTypeError(f"a string ({value!r}) is not a score; give a number")
    if not isinstance(value, numbers.Real | Decimal):
        raise ItemValueTypeError(f"{type(value).__name__} is not a number")
    if isinstance(value, np.floating) and value.dtype.itemsize < 8:
        # float16/float32 hold 0.7 as 0.699999988...; read the decimal they print as
        value = str(value)
    number = float(value)
    if not math.isfinite(number):
        raise ItemValueTypeError(f"{value!r} is not a finite number")
    return number


def _optional_number(value: object) -> float | None:
    return None if value is None else _finite_number(value)


Score = Annotated[
    float,
    PlainValidator(_finite_number),
    WithJsonSchema({"type": "number"}),
]
OptionalScore = Annotated[
    float | None,
    PlainValidator(_optional_number),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "null"}]}),
]


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_BoolArray = npt.NDArray[np.bool_]


class _OneText:
    """One value as a text column of one row (what the self-rater rule reads)."""

    def __init__(self, value: str | None) -> None:
        self.codes = np.array([-1 if value is None else 0], dtype=np.int64)
        self.text = np.array([value], dtype=object)


def _raise_first(log: _rules.ErrorLog, order: list[str]) -> None:
    """Raise the first problem logged for a record (its class and message), if any."""
    _, _, errors, reasons = log.entries(order)
    if len(errors):
        error: type[FitScoresError] = getattr(_errors, str(errors[0]))
        raise error(str(reasons[0]))


# --- Administration --------------------------------------------------------------


class Administration(FrozenModel):
    """One administration of a scale: a form filled in on one date, validated and scored.

    Parameters
    ----------
    scale : str or Scale
        Key of a registered scale (or the scale itself); serialised as the key.
    person : str
        Pseudonymous id of the person the form is about.
    rater : {"self", "caretaker", "collateral"}
        Who filled in the form.
    rater_id : str, optional
        Pseudonymous id of the rater when it is not the person.
    date : datetime.date
        Date of the administration (ISO string accepted).
    session : int, optional
        Session (meeting) number, from 1.
    episode : str, optional
        Episode id; a new episode starts a new track.
    age : int, optional
        Age of the person, in completed years, at ``date``. It decides the age
        band and so the cutoff (:attr:`cutoff`).
    items : sequence or mapping of float, optional
        Item scores in form order, or a mapping from item key to score.
        Unanswered items are ``None`` (only where the scale's minimum-answered
        rule allows).
    total : float, optional
        The total. Required without items; with items it must equal their
        total. After validation it always holds the total.

    Raises
    ------
    pydantic.ValidationError
        For any invalid field; the underlying :class:`~fit_scores.errors.FitScoresError`
        is in ``errors()[i]["ctx"]["error"]``.

    Examples
    --------
    >>> from fit_scores import Administration
    >>> a = Administration(scale="ORS", person="p1", date="2025-01-10", age=34,
    ...                    items=(0.7, 8.1, 7.5, 8.7))
    >>> a.total
    25.0
    >>> a.total_ticks
    Fraction(250, 1)
    >>> a.cutoff.value, a.clinical
    (25.0, False)
    """

    scale: ScaleRef
    person: Identifier
    rater: Rater = "self"
    rater_id: Identifier | None = None
    date: dt.date
    # ranges are checked by the rules layer (one message on both paths); the schema says them
    session: Annotated[int, Field(strict=True, json_schema_extra={"minimum": 1})] | None = None
    episode: Identifier | None = None
    age: (
        Annotated[int, Field(strict=True, json_schema_extra={"minimum": 0, "maximum": 130})] | None
    ) = None
    items: tuple[OptionalScore, ...] | None = None
    total: OptionalScore = None

    _num: int = PrivateAttr(default=0)
    _den: int = PrivateAttr(default=1)

    @field_validator("rater", mode="before")
    @classmethod
    def _rater_word(cls, value: object) -> object:
        """An unknown rater word gets the rules layer's error (as in a table)."""
        if isinstance(value, str) and _rules.rater_codes([value])[0] < 0:
            log = _rules.ErrorLog()
            _rules.log_unknown_raters(np.zeros(1, dtype=np.int64), np.array([value], object), log)
            _raise_first(log, ["rater"])
        return value

    @field_validator("items", mode="before")
    @classmethod
    def _items_from_mapping(cls, value: object, info: ValidationInfo) -> object:
        """Turn ``{item_key: score}`` into a tuple in form order."""
        if not isinstance(value, Mapping):
            if isinstance(value, str | bytes):
                raise ItemValueTypeError("items must be a sequence or mapping of numbers")
            return value
        scale = info.data.get("scale")
        if not isinstance(scale, Scale):
            return value  # the scale error is reported already
        unknown = [k for k in value if k not in scale.item_keys]
        if unknown:
            raise UnknownItemError(
                f"items: unknown item key(s) {unknown} for {scale.key}; "
                f"items are {list(scale.item_keys)}"
            )
        return tuple(value.get(key) for key in scale.item_keys)

    @model_validator(mode="after")
    def _validate_against_scale(self) -> Administration:
        """Apply the rules of :mod:`fit_scores._core.rules` to this one row.

        A record is a batch of one: the same function that validates a
        million-row table checks and scores it, and the first problem it
        logs is raised (its error class, its message).
        """
        scale = self.scale
        items = self.items
        k = 0 if items is None else len(items)
        values = np.zeros((1, k), dtype=np.float64)
        present = np.zeros((1, k), dtype=bool)
        for j, v in enumerate(items or ()):
            if v is not None:
                values[0, j], present[0, j] = v, True
        no = np.zeros(1, dtype=bool)

        def cells(value: int | None) -> tuple[npt.NDArray[np.int64], _BoolArray, _BoolArray]:
            return np.array([value or 0], dtype=np.int64), np.array([value is None]), no

        total = self.total
        rater_code = np.array([_rules.RATERS.index(self.rater)], dtype=np.int8)
        columns = _rules.RowColumns(
            scale_index=np.zeros(1, dtype=np.int64),
            rater_code=rater_code,
            rater_ok=np.ones(1, dtype=bool),
            date=cells(self.date.toordinal() - _EPOCH_ORDINAL),
            item_values=values,
            item_present=present,
            item_bad=np.zeros((1, k), dtype=bool),
            session=cells(self.session),
            age=cells(self.age),
            total=(np.array([total or 0.0]), np.array([total is None]), no),
        )
        wide = max(abs(scale.item_min), abs(scale.item_max)) * scale.ticks_per_unit >= 2**31
        out = _rules.RowScores.allocate(1, k, birth=False, wide=wide)
        log = _rules.ErrorLog()
        names = {j: f"item_{j}" for j in range(1, k + 1)}
        _rules.check_rows(columns, [scale], names, out, log)
        rater_id = _rules.check_self_rater(
            _OneText(self.person), _OneText(self.rater_id), rater_code, log
        )
        _raise_first(log, ["scale", "rater", "rater_id", "date", "session", "age", *names.values(),
                           "items", "total"])  # fmt: skip
        if self.rater_id is not None and rater_id[0] < 0:  # a self-rating by the person
            object.__setattr__(self, "rater_id", None)
        self._num, self._den = int(out.num[0]), int(out.den[0])
        object.__setattr__(self, "total", self._num / (self._den * scale.ticks_per_unit))
        return self

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            yield name, (value.key if name == "scale" else value)

    # --- derived ---------------------------------------------------------------

    @property
    def total_ticks(self) -> Fraction:
        """The exact total in ticks of the scale's resolution (an integer for complete sums)."""
        return Fraction(self._num, self._den)

    @property
    def total_exact(self) -> Fraction:
        """The exact total in score units."""
        return self.total_ticks / self.scale.ticks_per_unit

    @property
    def item_ticks(self) -> tuple[int | None, ...] | None:
        """Item scores in ticks (``None`` for unanswered items), or ``None`` for total-only."""
        if self.items is None:
            return None
        tpu = self.scale.ticks_per_unit
        return tuple(None if v is None else round(v * tpu) for v in self.items)

    @property
    def age_band(self) -> AgeBand | None:
        """The age band at this administration, or ``None`` if the age is not given."""
        return None if self.age is None else self.scale.age_band(self.age)

    @property
    def cutoff(self) -> Cutoff | None:
        """The cutoff for this person's age band and rater.

        ``None`` if the age is unknown and the age bands' cutoffs differ (see
        :meth:`Scale.cutoff_for <fit_scores.Scale.cutoff_for>`). A
        :class:`~fit_scores.Cutoff` with ``value=None`` means no value is
        published for this band and rater.
        """
        return self.scale.cutoff_for(age=self.age, rater=self.rater)

    @property
    def clinical(self) -> bool | None:
        """Whether the total is in the clinical range, decided exactly in ticks.

        ``None`` when the cutoff is unknown (see :attr:`cutoff`) or not published.
        """
        cut = self.cutoff
        if cut is None or cut.value is None:
            return None
        return self.scale.classify(self.total_ticks, cut)

    @property
    def track_key(self) -> tuple[str, str, str, str | None, str | None]:
        """``(person, scale, rater, rater_id, episode)``: the key of this administration's track."""
        return (self.person, self.scale.key, self.rater, self.rater_id, self.episode)

    def with_age(self, age: int) -> Administration:
        """A copy with ``age`` set (validated again)."""
        data = self.model_dump()
        data["age"] = age
        data["scale"] = self.scale
        return Administration.model_validate(data)


# --- Track ---------------------------------------------------------------------

_TRACK_FIELDS = ("person", "scale", "rater", "rater_id", "episode")


def _order_key(adm: Administration) -> tuple[dt.date, int]:
    return (adm.date, 0 if adm.session is None else adm.session)


class Track(FrozenModel):
    """The administrations of one person x scale x rater (x rater id) x episode, in time order.

    Administrations are ordered by date, then session number. Administrations
    of different people, scales, raters, rater ids or episodes, two
    administrations with the same date and session, and session numbers that
    go down over time are rejected.

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
        ordered = tuple(sorted(administrations, key=_order_key))
        for prev, cur in itertools.pairwise(ordered):
            if prev.date == cur.date and prev.session == cur.session:
                session = "" if cur.session is None else f", session {cur.session}"
                raise DuplicateAdministrationError(
                    f"two administrations of {cur.scale.key} for {cur.person!r} on "
                    f"{cur.date.isoformat()}{session}; give session numbers or drop one"
                )
        numbered = [(a.session, a.date) for a in ordered if a.session is not None]
        for (before, before_date), (after, after_date) in itertools.pairwise(numbered):
            if after <= before:
                raise SessionOrderError(
                    f"session {after} on {after_date.isoformat()} follows session "
                    f"{before} on {before_date.isoformat()}; session numbers must "
                    "increase with the date"
                )
        return ordered

    @classmethod
    def from_administrations(cls, administrations: Iterable[Administration]) -> Track:
        """Build a track from administrations in any order."""
        return cls(administrations=tuple(administrations))

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
        if adm.age is not None:
            return adm.age
        if person is None:
            return None
        if person.id != adm.person:
            raise UnknownPersonError(f"person {person.id!r} is not the person of this track")
        return person.age_at(adm.date)

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
            message_id=f"change.category.{category}",
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


# --- Person and Family -------------------------------------------------------------


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
        if when < born:
            raise AgeError(
                f"person {self.id!r}: date {when.isoformat()} is before the birth date "
                f"{born.isoformat()}"
            )
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
