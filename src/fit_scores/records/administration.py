"""One administration of a scale: a form filled in on one date, validated and scored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Annotated, Any

import numpy as np
import numpy.typing as npt
from pydantic import (
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from fit_scores._core import rules as _rules
from fit_scores._core.calendar import as_of_day
from fit_scores._core.text import key_text
from fit_scores._model import FrozenModel
from fit_scores.errors import (
    AgeError,
    FieldError,
    ItemValueTypeError,
    UnknownItemError,
)
from fit_scores.records.fields import (
    Day,
    Identifier,
    OptionalScore,
    ScaleRef,
    score_cell,
    whole_cell,
)
from fit_scores.scales.model import AgeBand, Cutoff, Rater, Scale

__all__ = ["Administration"]

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_BoolArray = npt.NDArray[np.bool_]


def _as_of(context: object) -> int:
    """The day of the check: ``context["as_of"]`` (a date), else today."""
    return as_of_day(context.get("as_of") if isinstance(context, Mapping) else None)


class _OneText:
    """One value as a text column of one row (what the self-rater rule reads)."""

    def __init__(self, value: str | None) -> None:
        self.codes = np.array([-1 if value is None else 0], dtype=np.int64)
        self.text = np.array([value], dtype=object)


def _raise_first(log: _rules.ErrorLog, order: list[str]) -> None:
    """Raise the first problem logged for a record (its class and message), if any."""
    first = log.first(order)
    if first is not None:
        raise first[1](first[2])


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
        is in ``errors()[i]["ctx"]["error"]``. A date after the day of the
        check is a :class:`~fit_scores.errors.DateError`: the day is today, or
        ``as_of`` in the validation context
        (``Administration.model_validate(data, context={"as_of": day})``).
        Ids are taken in Unicode normal form C without white space at either
        end; an id with a control or invisible character is a
        :class:`~fit_scores.errors.FieldError`.

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
    date: Day
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
        """A rater read as a table reads it (missing: a self-rating; else the table's error)."""
        if value is None or (isinstance(value, str) and not value):  # (an empty cell: default)
            return "self"
        if not isinstance(value, str):
            raise FieldError(key_text(value, "rater")[1])
        if _rules.rater_code(value) < 0:
            log = _rules.ErrorLog()
            _rules.log_unknown_raters(np.zeros(1, dtype=np.int64), np.array([value], object), log)
            _raise_first(log, ["rater"])
        return value

    @field_validator("session", mode="before")
    @classmethod
    def _session_cell(cls, value: object) -> int | None:
        """A session number by the rule of a table's session column."""
        return whole_cell(value, "session", FieldError)

    @field_validator("age", mode="before")
    @classmethod
    def _age_cell(cls, value: object) -> int | None:
        """An age by the rule of a table's age column."""
        return whole_cell(value, "age", AgeError)

    @field_validator("items", mode="before")
    @classmethod
    def _items_from_mapping(cls, value: object, info: ValidationInfo) -> object:
        """Turn ``{item_key: score}`` into a tuple in form order; every item by the score rule.

        Item ``j`` (from 1) is read as the column ``item_j`` of a table is.
        """
        if isinstance(value, list | tuple):
            return tuple(score_cell(v, f"item_{j}") for j, v in enumerate(value, start=1))
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
        return tuple(
            score_cell(value.get(key), f"item_{j}")
            for j, key in enumerate(scale.item_keys, start=1)
        )

    @model_validator(mode="after")
    def _validate_against_scale(self, info: ValidationInfo) -> Administration:
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
        no = np.zeros(1, dtype=bool)  # read only: shared by the columns

        def cells(value: float | None, dtype: type[Any]) -> Any:
            # a field not given is a column not given (no rule of that column runs); the
            # field validators have read the values by the cell rules (whole numbers within
            # WHOLE_LIMIT), so they fit the column
            if value is None:
                return None
            return (np.array([value], dtype=dtype), no, no)

        rater_code = np.array([_rules.RATERS.index(self.rater)], dtype=np.int8)
        columns = _rules.RowColumns(
            scale_index=np.zeros(1, dtype=np.int64),
            rater_code=rater_code,
            rater_ok=~no,
            date=cells(self.date.toordinal() - _EPOCH_ORDINAL, np.int64),
            item_values=values,
            item_present=present,
            item_bad=np.zeros((1, k), dtype=bool) if k else present,
            session=cells(self.session, np.int64),
            age=cells(self.age, np.int64),
            total=cells(self.total, np.float64),
        )
        wide = max(abs(scale.item_min), abs(scale.item_max)) * scale.ticks_per_unit >= 2**31
        out = _rules.RowScores.allocate(1, k, birth=False, wide=wide)
        log = _rules.ErrorLog()
        names = {j: f"item_{j}" for j in range(1, k + 1)}
        _rules.check_rows(columns, [scale], names, out, log, as_of=_as_of(info.context))
        by_person = False  # a self-rating whose rater id is the person
        if self.rater_id is not None:  # the self-rater rule reads a rater id
            codes = _rules.check_self_rater(
                _OneText(self.person), _OneText(self.rater_id), rater_code, log
            )
            by_person = bool(codes[0] < 0)
        _raise_first(log, ["scale", "rater", "rater_id", "date", "session", "age", *names.values(),
                           "items", "total"])  # fmt: skip
        if by_person:  # stored without a rater id, as in a table: one track
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
