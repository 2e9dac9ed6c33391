"""Batch tables of yearly records and goal ratings: columns in, a validated typed table out.

:func:`yearly_table` reads the columns of one kind of record (a household's
income, housing, work and activity, GSE responses, life satisfaction, leisure,
goals, goal ratings) and returns a :class:`YearlyTable`: the valid rows as
typed numpy columns and a per-row error report (the
:class:`~fit_scores.table.TableErrors` of a score table), with valid +
rejected = input. Nothing is dropped, clipped or coerced silently.

A row is checked by the same code as a record. The fields are read with the
record's field rules (ids given as text or a whole number,
:func:`fit_scores._core.text.identifier_text`, and checked by
:func:`fit_scores._core.text.check_identifiers`, the rules of the records' id
fields); the indicator rules run the vectorised
kernels that the records call with a batch of one (``low_income`` for a
household's income and composition, ``crowded``, ``work_or_activity``,
``leisure_participation``, :func:`fit_scores.instruments.score`). When a kernel
rejects a chunk, the chunk is halved until the rows it rejects are found, and
each of those rows is checked again on its own with Python scalars, the call a
record makes: so a row and a record get the same error class and message.
Goal ratings are checked the same way, and a rejected rating's error is the
one :class:`~fit_scores.goals.GoalRating` raises for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError

from fit_scores._core.cells import parse_dates
from fit_scores._core.errorlog import ErrorLog
from fit_scores._core.text import check_identifiers, identifier_text, required
from fit_scores.errors import FieldError, FitScoresError, TableInputError
from fit_scores.goals import GAS_LEVELS, GOAL_DOMAINS, GoalRating, share_achieved
from fit_scores.goals.kernels import check_goal_baselines, check_goal_people
from fit_scores.instruments import score
from fit_scores.io.columns import column_array
from fit_scores.living_conditions import (
    LEISURE_FREQUENCIES,
    crowded,
    leisure_participation,
    low_income,
    work_or_activity,
)
from fit_scores.scales import get_instrument
from fit_scores.table import TableErrors

__all__ = ["KINDS", "YearlyKind", "YearlyTable", "cohort_tables", "columns_of", "yearly_table"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
AnyArray = npt.NDArray[Any]

YearlyKind = Literal[
    "household_income",
    "housing",
    "work_activity",
    "gse",
    "life_satisfaction",
    "leisure",
    "goals",
    "goal_ratings",
]

_YEAR: Final = (1900, 2200)
_ID, _OPT_ID, _DATE, _INT, _OPT_NUM, _NUM, _BOOL = "id", "id?", "date", "int", "num?", "num", "bool"


def _word(words: tuple[str, ...], optional: bool = False) -> tuple[str, tuple[str, ...], bool]:
    return ("word", words, optional)


_MAPPING: Final = {"programme_year": _INT, "date": _DATE}
_SPECS: Final[dict[str, dict[str, Any]]] = {
    "household_income": {
        "family": _ID,
        "year": _INT,
        **_MAPPING,
        "income_after_tax": _INT,
        "adults": _INT,
        "children": _INT,
    },
    "housing": {"family": _ID, **_MAPPING, "persons": _INT, "rooms": _OPT_NUM, "area_m2": _OPT_NUM},
    "work_activity": {
        "person": _ID,
        "family": _ID,
        **_MAPPING,
        "hours_reference_week": _OPT_NUM,
        "temporarily_absent": _BOOL,
        "activities": _INT,
    },
    "gse": {
        "person": _ID,
        "family": _ID,
        **_MAPPING,
        **dict.fromkeys(get_instrument("GSE").item_keys, _OPT_NUM),
    },
    "life_satisfaction": {
        "person": _ID,
        "family": _ID,
        **_MAPPING,
        **dict.fromkeys(get_instrument("LIFESAT").item_keys, _OPT_NUM),
    },
    "leisure": {
        "person": _ID,
        "family": _ID,
        **_MAPPING,
        "frequency": _word(LEISURE_FREQUENCIES, optional=True),
    },
    "goals": {
        "goal": _ID,
        "family": _ID,
        "goal_for": _word(("family", "person", "child")),
        "person": _OPT_ID,
        "domain": _word(GOAL_DOMAINS),
        "scale": _word(tuple(GAS_LEVELS)),
        "set_on": _DATE,
        "baseline_level": _NUM,
    },
    "goal_ratings": {
        "goal": _ID,
        "family": _ID,
        **_MAPPING,
        "level": _NUM,
        "rater": _word(("family", "coordinator", "child")),
    },
}

KINDS: Final[tuple[str, ...]] = tuple(_SPECS)
"""The kinds of table :func:`yearly_table` reads, with their columns in ``columns_of``."""

_CHUNK: Final = 65_536
_SMALL: Final = 4  # a rejected chunk this small is checked row by row


@dataclass(frozen=True, eq=False, repr=False)
class YearlyTable:
    """A validated batch of yearly records (or goals, or goal ratings) of one kind.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    columns : dict of str to ndarray
        The valid rows, typed: ids as ``str``, dates as ``datetime64[D]``,
        whole numbers as ``int64``, numbers as ``float64`` (NaN: not given),
        flags as ``bool``, words as ``object`` (``None``: not given).
    source_row : ndarray of int
        For each valid row, its index in the input.
    errors : TableErrors
        One entry per problem found; every rejected row has at least one.

    Examples
    --------
    >>> from fit_scores.cohort import yearly_table
    >>> t = yearly_table("life_satisfaction", {
    ...     "person": ["p1", "p2"], "family": ["f1", "f1"], "programme_year": [0, 0],
    ...     "date": ["2025-01-10"] * 2, "life_sat_0_10": [7, 11]})
    >>> t, t["life_sat_0_10"].tolist(), t.errors.to_records()[0]["error"]
    (YearlyTable('life_satisfaction', valid=1, rejected=1, input=2), [7.0], 'ItemRangeError')
    """

    kind: str
    columns: dict[str, AnyArray]
    source_row: IntArray
    errors: TableErrors

    def __len__(self) -> int:
        return int(self.source_row.size)

    def __repr__(self) -> str:
        return (
            f"YearlyTable({self.kind!r}, valid={self.n_valid}, rejected={self.n_rejected}, "
            f"input={self.n_input})"
        )

    def __getitem__(self, name: str) -> AnyArray:
        return self.columns[name]

    @property
    def n_input(self) -> int:
        """Number of input rows."""
        return self.errors.n_input

    @property
    def n_valid(self) -> int:
        """Number of valid rows."""
        return len(self)

    @property
    def n_rejected(self) -> int:
        """Number of rejected rows (``n_valid + n_rejected == n_input``)."""
        return self.errors.n_rejected


def columns_of(kind: str) -> tuple[str, ...]:
    """The columns :func:`yearly_table` reads for ``kind``.

    Examples
    --------
    >>> columns_of("housing")
    ('family', 'programme_year', 'date', 'persons', 'rooms', 'area_m2')
    """
    if kind not in _SPECS:
        raise TableInputError(f"kind: {kind!r} is not one of {list(KINDS)}")
    return tuple(_SPECS[kind])


class _Log:
    """Problems found, as parallel lists (row, column, error class, reason)."""

    def __init__(self) -> None:
        self.row: list[IntArray] = []
        self.column: list[str] = []
        self.error: list[str] = []
        self.reason: list[AnyArray] = []

    def add(self, rows: IntArray, column: str, error: str, reasons: npt.ArrayLike) -> None:
        if rows.size:
            self.row.append(rows.astype(np.int64))
            self.column.append(column)
            self.error.append(error)
            self.reason.append(np.asarray(reasons, dtype=object))

    def errors(self, n_input: int) -> TableErrors:
        if not self.row:
            empty = np.zeros(0, dtype=object)
            return TableErrors(n_input, np.zeros(0, dtype=np.int64), empty, empty, empty)
        rows = np.concatenate(self.row)
        sizes = [r.size for r in self.row]
        column = np.repeat(np.array(self.column, dtype=object), sizes)
        error = np.repeat(np.array(self.error, dtype=object), sizes)
        reason = np.concatenate(self.reason)
        order = np.argsort(rows, kind="stable")
        return TableErrors(n_input, rows[order], column[order], error[order], reason[order])


def _text(values: AnyArray) -> AnyArray:
    return np.array([repr(v) for v in values.tolist()], dtype=object)


def _read(name: str, spec: Any, raw: AnyArray, log: _Log) -> tuple[AnyArray, BoolArray]:
    """Read one column with its field rule; return the typed values and the bad rows."""
    n = raw.shape[0]
    bad = np.zeros(n, dtype=bool)
    if spec in (_ID, _OPT_ID):
        if raw.dtype.kind == "U":  # all text: check each distinct id once
            is_text = np.ones(n, dtype=bool)
            text: AnyArray = raw
        else:
            values = raw.astype(object).tolist()
            given = [identifier_text(v, name) for v in values]  # (text, or a whole number)
            missing = np.array([v is None for v in values], dtype=bool)
            is_text = np.array([t is not None for t, _ in given], dtype=bool)
            wrong = ~is_text & ~(missing & (spec == _OPT_ID))
            log.add(
                np.flatnonzero(wrong),
                name,
                "FieldError",
                [given[i][1] for i in np.flatnonzero(wrong).tolist()],
            )
            bad |= wrong
            # (as objects: fixed-width text would drop a trailing NUL, which is refused)
            text = np.array(["x" if t is None else t for t, _ in given], dtype=object)
        distinct, inverse = np.unique(text, return_inverse=True)
        normal_d, reasons_d = check_identifiers(distinct, name)
        normal, reasons = normal_d[inverse], reasons_d[inverse]
        invalid = is_text & (reasons != "")
        log.add(np.flatnonzero(invalid), name, "FieldError", reasons[invalid])
        bad |= invalid
        if spec == _OPT_ID:
            optional = normal.astype(object)
            optional[~is_text] = None
            return optional, bad
        return normal.astype(str), bad
    if spec == _DATE:  # the rule of a score table's date column, and of a record's Day
        cell_log = ErrorLog()
        days, missing, wrong = parse_dates(raw, name, cell_log)
        rows, _, errors, reasons = cell_log.entries([name])
        for error in np.unique(errors).tolist():
            log.add(rows[errors == error], name, str(error), reasons[errors == error])
        log.add(np.flatnonzero(missing), name, "FieldError", np.full(
            int(missing.sum()), required(name), dtype=object))  # fmt: skip
        dates = np.where(missing | wrong, np.iinfo(np.int64).min, days).astype("datetime64[D]")
        return dates, wrong | missing
    if spec == _BOOL:
        if raw.dtype.kind == "b":
            return raw.astype(bool), bad
        obj = raw.astype(object)
        ok = np.array([isinstance(v, bool | np.bool_) for v in obj.tolist()], dtype=bool)
        log.add(
            np.flatnonzero(~ok),
            name,
            "FieldError",
            [f"{name} = {v!r}: expected True or False" for v in obj[~ok].tolist()],
        )
        return np.where(ok, obj, False).astype(bool), ~ok
    if isinstance(spec, tuple):
        _, words, optional = spec
        obj = raw.astype(object)
        if raw.dtype.kind == "U":
            known = np.isin(raw, np.array(words))
            none = np.zeros(n, dtype=bool)
        else:
            known = np.isin(obj, np.array(words, dtype=object))
            none = np.array([v is None for v in obj.tolist()], dtype=bool)
        wrong = ~known & ~(none & optional)
        said = [f"{name} = {v!r}: not one of {list(words)}" for v in obj[wrong].tolist()]
        log.add(np.flatnonzero(wrong), name, "FieldError", said)
        words_out = obj.copy()
        words_out[wrong] = None
        return words_out, wrong
    # numbers
    if raw.dtype.kind in "iu" or raw.dtype.kind == "f":
        values = raw.astype(np.float64)
    else:
        obj = raw.astype(object)
        values = np.full(n, np.nan)
        for i, v in enumerate(obj.tolist()):
            if v is None:
                continue
            if isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.number):
                bad[i] = True
            else:
                values[i] = float(v)
        log.add(
            np.flatnonzero(bad),
            name,
            "FieldError",
            [f"{name} = {v!r}: expected a number" for v in obj[bad].tolist()],
        )
    missing = np.isnan(values) & ~bad
    if spec in (_INT, _NUM):
        log.add(
            np.flatnonzero(missing),
            name,
            "FieldError",
            np.full(int(missing.sum()), f"{name}: a value is required", dtype=object),
        )
        bad |= missing
    given = ~np.isnan(values)
    infinite = given & np.isinf(values)
    log.add(
        np.flatnonzero(infinite),
        name,
        "FieldError",
        [f"{name} = {v!r}: not a finite number" for v in values[infinite].tolist()],
    )
    bad |= infinite
    if spec == _INT:
        frac = given & ~infinite & (values != np.floor(values))
        log.add(
            np.flatnonzero(frac),
            name,
            "FieldError",
            [f"{name} = {v!r}: not a whole number" for v in values[frac].tolist()],
        )
        bad |= frac
        return np.where(bad, 0, values).astype(np.int64), bad
    return values, bad


def _failing(
    check: Callable[[IntArray, bool], None], rows: IntArray
) -> list[tuple[int, Exception]]:
    """Rows that ``check`` rejects: halve a rejected chunk until single rows remain.

    A single row is checked again with Python scalars (``check(rows, True)``), the
    call a record makes, so its error is the record's.
    """
    if rows.size == 0:
        return []
    try:
        check(rows, rows.size == 1)
    except FitScoresError as exc:
        if rows.size == 1:
            return [(int(rows[0]), exc)]
        if rows.size <= _SMALL:  # few rows left: check each as a record would
            return [hit for r in rows.tolist() for hit in _failing(check, np.array([r]))]
        mid = rows.size // 2
        return _failing(check, rows[:mid]) + _failing(check, rows[mid:])
    return []


def _scalar(values: AnyArray, rows: IntArray, one: bool) -> Any:
    """The values at ``rows``: a Python scalar (``None`` for NaN) for a batch of one."""
    picked = values[rows]
    if not one:
        return picked
    v = picked[0].item() if isinstance(picked[0], np.generic) else picked[0]
    if isinstance(v, float) and v != v:
        return None
    return v


def _row_rule(kind: str, typed: dict[str, AnyArray]) -> Callable[[IntArray, bool], None] | None:
    """The kernel check of a row, on a subset of rows (``one``: a batch of one, as scalars)."""

    def col(name: str, rows: IntArray, one: bool) -> Any:
        return _scalar(typed[name], rows, one)

    if kind == "household_income":

        def check(rows: IntArray, one: bool) -> None:
            year = typed["year"][rows]
            out = (year < _YEAR[0]) | (year > _YEAR[1])
            if out.any():
                raise FieldError(f"year: {int(year[out][0])} is outside {_YEAR[0]}-{_YEAR[1]}")
            # HouseholdIncome's own check: the batch rules with median 1
            low_income(
                col("income_after_tax", rows, one),
                col("adults", rows, one),
                col("children", rows, one),
                median=1,
            )

        return check
    if kind == "housing":

        def check(rows: IntArray, one: bool) -> None:
            crowded(col("persons", rows, one), col("rooms", rows, one), col("area_m2", rows, one))

        return check
    if kind == "work_activity":

        def check(rows: IntArray, one: bool) -> None:
            work_or_activity(
                col("hours_reference_week", rows, one),
                col("temporarily_absent", rows, one),
                col("activities", rows, one),
            )

        return check
    if kind == "leisure":

        def check(rows: IntArray, one: bool) -> None:
            leisure_participation(col("frequency", rows, one))

        return check
    if kind == "goal_ratings":

        def check(rows: IntArray, one: bool) -> None:
            if one:  # the record: GoalRating raises its own error for the row
                try:
                    GoalRating(
                        goal_id=col("goal", rows, one),
                        date=typed["date"][rows[0]].item(),
                        level=col("level", rows, one),
                        rater=col("rater", rows, one),
                    )
                except ValidationError as exc:
                    raise _cause(exc) from None
            else:
                share_achieved(typed["level"][rows])  # the GAS kernel's level rule

        return check
    if kind == "goals":

        def check(rows: IntArray, one: bool) -> None:  # Goal's own rules (goals.kernels)
            goals = typed["goal"][rows].tolist()
            check_goal_people(
                goals, typed["goal_for"][rows].tolist(), typed["person"][rows].tolist()
            )
            check_goal_baselines(
                goals, typed["scale"][rows].tolist(), typed["baseline_level"][rows]
            )

        return check
    return None


def _cause(exc: ValidationError) -> Exception:
    """The library's error inside a pydantic validation error (else a FieldError)."""
    for err in exc.errors():
        inner = (err.get("ctx") or {}).get("error")
        if isinstance(inner, FitScoresError):
            return inner
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return FieldError(f"{where}: {first['msg']}")


def _reject_repeated_goals(typed: dict[str, AnyArray], bad: BoolArray, log: _Log) -> None:
    """Reject every later row of a (family, goal id) already given (in input order)."""
    rows = np.flatnonzero(~bad)
    key = np.char.add(np.char.add(typed["family"][rows], "\x1f"), typed["goal"][rows])
    _, first = np.unique(key, return_index=True)
    repeated = np.ones(rows.size, dtype=bool)
    repeated[first] = False
    again = rows[repeated]
    reasons = [
        f"goal id {g!r} is used twice in the plan of family {f!r}"
        for g, f in zip(typed["goal"][again].tolist(), typed["family"][again].tolist(), strict=True)
    ]
    log.add(again, "goal", "GoalError", reasons)
    bad[again] = True


def _column(kind: str, name: str, values: object) -> AnyArray:
    """One column by :func:`fit_scores.io.columns.column_array`, the kind in its error."""
    try:
        return column_array(name, values)
    except TableInputError as exc:
        raise TableInputError(f"{kind}: {exc}") from None


def yearly_table(kind: YearlyKind | str, columns: Mapping[str, Any]) -> YearlyTable:
    """Validate a batch of yearly records, goals or goal ratings; report every bad row.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`; :func:`columns_of` lists its columns.
    columns : mapping of str to array_like
        One equal-length column per name (numpy arrays, lists, pandas
        columns). Unknown columns are an error; so is a missing one.

    Returns
    -------
    YearlyTable
        The valid rows, typed, and the per-row error report.

    Raises
    ------
    TableInputError
        For an unknown kind, a missing or unknown column, or columns of
        different lengths (the input cannot be read as a table at all).

    Examples
    --------
    >>> from fit_scores.cohort import yearly_table
    >>> t = yearly_table("housing", {
    ...     "family": ["f1", "f2", "f3"], "programme_year": [0, 0, 0],
    ...     "date": ["2025-01-10"] * 3, "persons": [4, 0, 3],
    ...     "rooms": [3, 2, None], "area_m2": [80.0, 50.0, 70.0]})
    >>> t.n_valid, t.n_rejected, t.errors.to_records()[0]["reason"]
    (2, 1, 'persons: 0 is below the allowed 1')
    """
    names = columns_of(kind)
    unknown = sorted(set(columns) - set(names))
    if unknown:
        raise TableInputError(f"{kind}: unknown column(s) {unknown}; expected {list(names)}")
    absent = [c for c in names if c not in columns]
    if absent:
        raise TableInputError(f"{kind}: missing column(s) {absent}")
    # every column read as a score table reads it (a list as Python values: a NUL, bytes
    # and numbers among text stay what they are, for the column's rule to judge)
    raw = {name: _column(kind, name, columns[name]) for name in names}
    lengths = {arr.shape[0] for arr in raw.values()}
    if len(lengths) > 1:
        shown = ", ".join(f"{k} ({v.shape[0]})" for k, v in raw.items())
        raise TableInputError(f"{kind}: the columns differ in length: {shown}")
    n = lengths.pop()
    log = _Log()
    typed: dict[str, AnyArray] = {}
    bad = np.zeros(n, dtype=bool)
    for name, spec in _SPECS[kind].items():
        typed[name], wrong = _read(name, spec, raw[name], log)
        bad |= wrong
    rows = np.flatnonzero(~bad).astype(np.int64)
    if kind in ("gse", "life_satisfaction"):
        key = "GSE" if kind == "gse" else "LIFESAT"
        items = get_instrument(key).item_keys
        matrix = np.column_stack([typed[k][rows] for k in items])
        scored = score(key, matrix)
        for p in scored.problems:
            if scored.rejected[p.row]:
                log.add(rows[[p.row]], p.column, p.error, np.array([p.reason], dtype=object))
        bad[rows[scored.rejected]] = True
    rule = _row_rule(kind, typed)
    if rule is not None:
        for start in range(0, rows.size, _CHUNK):
            for row, exc in _failing(rule, rows[start : start + _CHUNK]):
                log.add(np.array([row]), "", type(exc).__name__, np.array([str(exc)], dtype=object))
                bad[row] = True
    if kind == "goals":  # FamilyPlan's rule: a goal id is used once in a family's plan
        _reject_repeated_goals(typed, bad, log)
    keep = np.flatnonzero(~bad).astype(np.int64)
    out = {name: values[keep] for name, values in typed.items()}
    for arr in out.values():
        arr.flags.writeable = False
    return YearlyTable(kind=kind, columns=out, source_row=keep, errors=log.errors(n))


def cohort_tables(source: object) -> dict[str, YearlyTable]:
    """Validate every table of a cohort (a mapping of kind to columns, or ``obj.tables()``).

    Parameters
    ----------
    source : mapping or object
        ``{kind: {column: values}}`` for kinds in :data:`KINDS`, or an object
        whose ``tables()`` returns that (such as
        :class:`~fit_scores.simulate.SimulatedProgramme`).

    Returns
    -------
    dict of str to YearlyTable

    Examples
    --------
    >>> from fit_scores.simulate import simulate_programme
    >>> from fit_scores.cohort import cohort_tables
    >>> tables = cohort_tables(simulate_programme(30, seed=1))
    >>> sum(t.n_rejected for t in tables.values())
    0
    """
    tables = source.tables() if hasattr(source, "tables") else source
    if not isinstance(tables, Mapping):
        raise TableInputError(f"expected a mapping of kind to columns, got {type(tables).__name__}")
    return {str(kind): yearly_table(str(kind), cols) for kind, cols in tables.items()}
