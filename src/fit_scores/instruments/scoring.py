"""Scoring instruments: one response or a matrix of responses, through one kernel.

:func:`score` scores ``n`` responses (a matrix) and :func:`score_response`
one (a batch of one through the same code); both run
``fit_scores._core.scoring`` on a :class:`~fit_scores._core.scoring.ScoringPlan`
built by :func:`scoring_plan`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from fit_scores import errors as error_classes
from fit_scores._core.scoring import (
    Problem,
    ScoringPlan,
    band_codes,
    check_items,
    score_subscales,
)
from fit_scores.errors import (
    FitScoresError,
    ItemCountError,
    ItemValueTypeError,
    LicenceRequiredError,
    UnknownItemError,
)
from fit_scores.instruments.results import InstrumentScore, SubscaleScore
from fit_scores.scales.instrument import Instrument
from fit_scores.scales.model import Rater
from fit_scores.scales.registry import get_instrument

__all__ = [
    "ELECTRONIC_LICENCES",
    "InstrumentScores",
    "ScoreProblem",
    "check_licence",
    "score",
    "score_response",
    "scoring_plan",
]

#: Licence statuses under which electronic scoring needs the holder's licence or
#: authorisation: :func:`score` asks for ``licence_confirmed=True``.
ELECTRONIC_LICENCES = ("registration_licence", "proprietary_electronic")


def _resolve(instrument: Instrument | str) -> Instrument:
    if isinstance(instrument, Instrument):
        return instrument
    return get_instrument(instrument)


def scoring_plan(instrument: Instrument | str) -> ScoringPlan:
    """The arrays the scoring kernel needs, built from an instrument definition.

    Examples
    --------
    >>> plan = scoring_plan("SDQ_P4_11")
    >>> plan.subscale_keys[:2], int(plan.members.sum()), int(plan.reverse.sum())
    (('emotional', 'conduct'), 45, 5)
    """
    inst = _resolve(instrument)
    ranges = [inst.response_of(k) for k in inst.item_keys]
    index = {k: j for j, k in enumerate(inst.item_keys)}
    members = np.zeros((len(inst.subscales), len(inst.items)), dtype=bool)
    tables: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]] | None] = []
    for s, sub in enumerate(inst.subscales):
        members[s, [index[k] for k in sub.items]] = True
        if sub.table is None:
            tables.append(None)
        else:
            tables.append(
                (np.array(sub.table.raw, dtype=np.int64), np.array(sub.table.value, dtype=float))
            )
    return ScoringPlan(
        key=inst.key,
        item_keys=inst.item_keys,
        item_min=np.array([r.min for r in ranges], dtype=np.int64),
        item_max=np.array([r.max for r in ranges], dtype=np.int64),
        reverse=np.array([i.reverse for i in inst.items], dtype=bool),
        subscale_keys=inst.subscale_keys,
        members=members,
        methods=tuple(s.scoring for s in inst.subscales),
        min_answered=np.array([s.required_answers for s in inst.subscales], dtype=np.int64),
        prorate=np.array([s.prorate for s in inst.subscales], dtype=bool),
        tables=tuple(tables),
    )


def check_licence(
    instrument: Instrument | str,
    subscales: Sequence[str] | None = None,
    *,
    licence_confirmed: bool = False,
) -> tuple[str, ...]:
    """The subscales that can be scored, or a :class:`LicenceRequiredError` saying what is missing.

    Parameters
    ----------
    instrument : Instrument or str
        The instrument.
    subscales : sequence of str, optional
        The subscales wanted; default every subscale whose table (if it
        needs one) was supplied.
    licence_confirmed : bool
        Set to ``True`` once the service holds the licence or authorisation
        that electronic scoring of a ``registration_licence`` or
        ``proprietary_electronic`` instrument needs.

    Raises
    ------
    LicenceRequiredError
        Naming what must be licensed or supplied: the confirmation above, the
        manual's reverse key, or the table of a requested subscale.

    Examples
    --------
    >>> check_licence("KIDSCREEN10")
    Traceback (most recent call last):
    ...
    fit_scores.errors.LicenceRequiredError: KIDSCREEN10: scoring needs the negatively worded ...
    """
    inst = _resolve(instrument)
    lic = inst.licence
    if lic.status in ELECTRONIC_LICENCES and not licence_confirmed:
        raise LicenceRequiredError(
            f"{inst.key} is {lic.status} ({lic.holder}): {lic.must_license} Pass "
            "licence_confirmed=True once your service holds it."
        )
    if inst.reverse_key_required is not None:
        raise LicenceRequiredError(
            f"{inst.key}: scoring needs {inst.reverse_key_required}; supply them with "
            f"Instrument.with_reverse_items([...]). {lic.must_license}"
        )
    if subscales is None:
        return tuple(
            s.key for s in inst.subscales if s.scoring not in ("table", "profile") or s.table
        )
    for key in subscales:
        sub = inst.subscale(key)
        if sub.scoring in ("table", "profile") and sub.table is None:
            raise LicenceRequiredError(
                f"{inst.key}: subscale {key!r} needs {sub.table_required or 'a conversion table'}"
                f", which fit_scores does not ship; supply it with Instrument.with_table("
                f"{key!r}, ConversionTable(...)). {lic.must_license}"
            )
    return tuple(subscales)


# --- reading responses ------------------------------------------------------------------


def _cell(value: object, where: str) -> float | None:
    if value is None:
        return None
    kind = type(value)
    if kind is int or kind is float:  # the common case, checked without the isinstance chain
        number = float(value)  # type: ignore[arg-type]
        if math.isfinite(number):
            return number
    if isinstance(value, bool | np.bool_):
        raise ItemValueTypeError(f"{where}: a boolean ({value!r}) is not a response")
    if isinstance(value, str | bytes):
        raise ItemValueTypeError(f"{where}: a string ({value!r}) is not a response; give a number")
    if not isinstance(value, numbers.Real | Decimal):
        raise ItemValueTypeError(f"{where}: {type(value).__name__} is not a number")
    number = float(value)
    if not math.isfinite(number):
        raise ItemValueTypeError(f"{where}: {value!r} is not a finite number (None: unanswered)")
    return number


def _row(inst: Instrument, row: object, where: str) -> list[float | None]:
    k = len(inst.items)
    if isinstance(row, Mapping):
        unknown = [key for key in row if key not in inst.item_keys]
        if unknown:
            raise UnknownItemError(
                f"{where}: {inst.key} has no items {unknown}; items: {list(inst.item_keys)}"
            )
        absent = [key for key in inst.item_keys if key not in row]
        if absent:
            raise ItemCountError(
                f"{where}: {inst.key} has {k} items; {absent} are not given: give every item, "
                "None where unanswered"
            )
        cells = [row[key] for key in inst.item_keys]
    elif isinstance(row, Sequence | np.ndarray) and not isinstance(row, str | bytes):
        cells = list(row)
        if len(cells) != k:
            raise ItemCountError(
                f"{where}: {inst.key} has {k} items ({', '.join(inst.item_keys)}), got "
                f"{len(cells)}; give every item, None where unanswered"
            )
    else:
        raise ItemValueTypeError(
            f"{where}: a response is a mapping of item keys or a sequence of {k} values, got "
            f"{type(row).__name__}"
        )
    return [_cell(v, f"{where}, {key}") for v, key in zip(cells, inst.item_keys, strict=True)]


@dataclass(frozen=True)
class ScoreProblem:
    """One problem of a scored matrix: row, column (item or subscale), error class, reason."""

    row: int
    column: str
    error: str
    reason: str


@dataclass(frozen=True, eq=False)
class InstrumentScores:
    """Exact scores of ``n`` responses to one instrument.

    Attributes
    ----------
    instrument : Instrument
        The definition scored against.
    subscales : tuple of str
        The subscales scored, in the column order of the arrays.
    num, den : ndarray of int, shape (n, s)
        Exact raw scores ``num / den``; ``0 / 0`` where not scored.
    scored : ndarray of bool, shape (n, s)
        Which scores exist.
    answered : ndarray of int, shape (n, s)
        Answered items of every subscale.
    converted : ndarray of float, shape (n, s)
        Table values of ``table``/``profile`` subscales (read where scored).
    rejected : ndarray of bool, shape (n,)
        Rows with an invalid item (no score at all).
    problems : tuple of ScoreProblem
        Every problem, sorted by row.
    """

    instrument: Instrument
    subscales: tuple[str, ...]
    num: npt.NDArray[np.int64]
    den: npt.NDArray[np.int64]
    scored: npt.NDArray[np.bool_]
    answered: npt.NDArray[np.int64]
    converted: npt.NDArray[np.float64]
    rejected: npt.NDArray[np.bool_]
    problems: tuple[ScoreProblem, ...]

    def __len__(self) -> int:
        return int(self.num.shape[0])

    def _col(self, subscale: str) -> int:
        if subscale not in self.subscales:
            raise UnknownItemError(
                f"{self.instrument.key}: subscale {subscale!r} was not scored; scored: "
                f"{list(self.subscales)}"
            )
        return self.subscales.index(subscale)

    def exact(self, subscale: str) -> list[Fraction | None]:
        """The exact raw scores of ``subscale`` (``None`` where not scored)."""
        j = self._col(subscale)
        return [
            Fraction(int(a), int(b)) if ok else None
            for a, b, ok in zip(self.num[:, j], self.den[:, j], self.scored[:, j], strict=True)
        ]

    def values(self, subscale: str) -> list[float | None]:
        """Scores of ``subscale`` as floats (``None`` where not scored).

        The table value for ``table``/``profile`` subscales, else the raw score.

        Examples
        --------
        >>> s = score("GSE", [[1, 2, 3, 4, 1, 2, 3, 4, 1, 2], [3] * 6 + [None] * 4])
        >>> s.values("total")
        [23.0, None]
        """
        j = self._col(subscale)
        table = self.instrument.subscale(subscale).scoring in ("table", "profile")
        out: list[float | None] = []
        for i in range(len(self)):
            if not self.scored[i, j]:
                out.append(None)
            elif table:
                out.append(float(self.converted[i, j]))
            else:
                out.append(int(self.num[i, j]) / int(self.den[i, j]))
        return out

    def bands(
        self,
        subscale: str,
        scheme: str | None = None,
        *,
        age: int | None = None,
        rater: Rater = "self",
    ) -> list[str | None]:
        """The band key of every score of ``subscale`` (``None`` where not scored).

        Decided exactly on ``num / den`` against the bands' exact lower bounds.

        Examples
        --------
        >>> score("LIFESAT", [[5], [6], [9]]).bands("total")
        ['low', 'medium', 'high']
        """
        j = self._col(subscale)
        bs = self.instrument.band_scheme(subscale, scheme, age=age, rater=rater)
        lowers = bs.lowers
        codes = band_codes(
            self.num[:, j],
            np.where(self.scored[:, j], self.den[:, j], 1),
            [f.numerator for f in lowers],
            [f.denominator for f in lowers],
        )
        keys = [b.key for b in bs.bands]
        return [
            keys[c] if ok and c >= 0 else None
            for c, ok in zip(codes, self.scored[:, j], strict=True)
        ]

    def raise_first(self, row: int | None = None) -> None:
        """Raise the first problem (of ``row``, or of any row) as its typed error.

        Examples
        --------
        >>> score("CANTRIL", [[3], [11]]).raise_first()
        Traceback (most recent call last):
        ...
        fit_scores.errors.ItemRangeError: ladder = 11.0 is outside the response range 0-10 of ...
        """
        for p in self.problems:
            if row is None or p.row == row:
                error = getattr(error_classes, p.error, FitScoresError)
                raise error(p.reason)

    def response(self, row: int) -> InstrumentScore:
        """Row ``row`` as an :class:`InstrumentScore` result model."""
        reasons = {p.column: p.reason for p in self.problems if p.row == row}
        out = []
        for j, key in enumerate(self.subscales):
            sub = self.instrument.subscale(key)
            ok = bool(self.scored[row, j])
            out.append(
                SubscaleScore(
                    key=key,
                    scoring=sub.scoring,
                    numerator=int(self.num[row, j]) if ok else None,
                    denominator=int(self.den[row, j]) if ok else None,
                    answered=int(self.answered[row, j]),
                    items=len(sub.items),
                    converted=float(self.converted[row, j])
                    if ok and sub.scoring in ("table", "profile")
                    else None,
                    prorated=ok and sub.prorate and int(self.answered[row, j]) < len(sub.items),
                    missing_reason=None if ok else reasons.get(key),
                )
            )
        return InstrumentScore(instrument=self.instrument.key, scores=tuple(out))


def _matrix(inst: Instrument, responses: object) -> tuple[Any, Any, list[ScoreProblem]]:
    k = len(inst.items)
    if isinstance(responses, np.ndarray) and responses.dtype.kind in "fiu":
        arr = np.asarray(responses, dtype=np.float64)
        if arr.ndim != 2 or arr.shape[1] != k:
            raise ItemCountError(
                f"{inst.key} has {k} items; a matrix of responses must have shape (n, {k}), "
                f"got {arr.shape}"
            )
        present = ~np.isnan(arr)  # NaN marks an unanswered item in a float matrix
        infinite = np.isinf(arr)
        problems = [
            ScoreProblem(int(i), inst.item_keys[j], "ItemValueTypeError",
                         f"{inst.item_keys[j]} = {float(arr[i, j])!r} is not a finite number")
            for i, j in zip(*np.nonzero(infinite), strict=True)
        ]  # fmt: skip
        return np.where(present & ~infinite, arr, 0.0), present & ~infinite, problems
    if isinstance(responses, str | bytes | Mapping) or not isinstance(
        responses, Sequence | np.ndarray
    ):
        raise ItemValueTypeError(
            f"responses must be a sequence of responses or a 2-D numeric array, got "
            f"{type(responses).__name__}"
        )
    n = len(responses)
    values = np.zeros((n, k), dtype=np.float64)
    present = np.zeros((n, k), dtype=bool)
    problems = []
    for i, row in enumerate(responses):
        try:
            cells = _row(inst, row, f"row {i}")
        except FitScoresError as exc:
            problems.append(ScoreProblem(i, "items", type(exc).__name__, str(exc)))
            continue
        for j, v in enumerate(cells):
            if v is not None:
                values[i, j] = v
                present[i, j] = True
    return values, present, problems


def score(
    instrument: Instrument | str,
    responses: object,
    *,
    subscales: Sequence[str] | None = None,
    licence_confirmed: bool = False,
) -> InstrumentScores:
    """Score a matrix of responses exactly; bad rows are reported, never dropped.

    Parameters
    ----------
    instrument : Instrument or str
        The definition, or the key of a registered one.
    responses : sequence or ndarray
        ``n`` responses: each a mapping of every item key to a value (``None``
        unanswered) or a sequence of values in item order; or a 2-D numeric
        array of shape ``(n, k)`` in which NaN marks an unanswered item.
    subscales : sequence of str, optional
        Subscales to score; default all that need no missing table.
    licence_confirmed : bool
        Required ``True`` for ``registration_licence`` and
        ``proprietary_electronic`` instruments (see :func:`check_licence`).

    Returns
    -------
    InstrumentScores

    Raises
    ------
    LicenceRequiredError
        If the licence keeps something scoring needs (see :func:`check_licence`).

    Examples
    --------
    >>> s = score("GSE", [[4] * 10, [3] * 7 + [None] * 3, [3] * 6 + [None] * 4])
    >>> s.values("total")
    [40.0, 30.0, None]
    >>> s.problems[0].reason
    '6 of 10 items of subscale total answered; GSE needs at least 7'
    """
    inst = _resolve(instrument)
    wanted = check_licence(inst, subscales, licence_confirmed=licence_confirmed)
    full = scoring_plan(inst)
    keep = [full.subscale_keys.index(k) for k in wanted]
    plan = ScoringPlan(
        key=full.key,
        item_keys=full.item_keys,
        item_min=full.item_min,
        item_max=full.item_max,
        reverse=full.reverse,
        subscale_keys=tuple(full.subscale_keys[j] for j in keep),
        members=full.members[keep],
        methods=tuple(full.methods[j] for j in keep),
        min_answered=full.min_answered[keep],
        prorate=full.prorate[keep],
        tables=tuple(full.tables[j] for j in keep),
    )
    values, present, problems = _matrix(inst, responses)
    codes, answered, item_problems = check_items(plan, values, present)
    n = values.shape[0]
    rejected = np.zeros(n, dtype=bool)
    for p in problems:
        rejected[p.row] = True
    for q in item_problems:
        rejected[q.rows] = True
    out = score_subscales(plan, codes, answered)
    scored = out.scored & ~rejected[:, np.newaxis]
    sub_problems = [
        Problem(q.rows[~rejected[q.rows]], q.column, q.error, q.reasons[~rejected[q.rows]])
        for q in out.problems
    ]
    listed = list(problems)
    for q in (*item_problems, *sub_problems):
        listed += [
            ScoreProblem(int(r), q.column, q.error.__name__, str(why))
            for r, why in zip(q.rows, q.reasons, strict=True)
        ]
    listed.sort(key=lambda p: p.row)
    return InstrumentScores(
        instrument=inst,
        subscales=plan.subscale_keys,
        num=np.where(scored, out.num, 0),
        den=np.where(scored, out.den, 0),
        scored=scored,
        answered=out.answered,
        converted=np.where(scored, out.converted, 0.0),
        rejected=rejected,
        problems=tuple(listed),
    )


def score_response(
    instrument: Instrument | str,
    response: object,
    *,
    subscales: Sequence[str] | None = None,
    licence_confirmed: bool = False,
) -> InstrumentScore:
    """Score one response: :func:`score` on a batch of one.

    An invalid item raises its typed error (``ItemRangeError``,
    ``ItemResolutionError``, ``ItemValueTypeError``, ``ItemCountError``). A
    subscale with too few answered items has no score: its ``value`` is
    ``None`` and ``missing_reason`` says why.

    Examples
    --------
    >>> r = score_response("GSE", [3] * 7 + [None] * 3)
    >>> r.score("total").value, r.score("total").prorated
    (30.0, True)
    >>> score_response("LIFESAT", {"life_sat_0_10": 11})
    Traceback (most recent call last):
    ...
    fit_scores.errors.ItemRangeError: life_sat_0_10 = 11.0 is outside the response range ...
    """
    result = score(instrument, [response], subscales=subscales, licence_confirmed=licence_confirmed)
    if result.rejected[0]:
        result.raise_first(0)
    return result.response(0)
