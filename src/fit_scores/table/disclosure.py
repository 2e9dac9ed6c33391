r"""Disclosure control across linked tables: several groupings of one summary, published together.

Suppressing the small cells of one table (:meth:`TrackSummary.aggregate
<fit_scores.table.TrackSummary.aggregate>`) protects that table. Two reports
of the same data do not protect each other: a coordinator's 6 people with
83 % improved, and the same coordinator's 5 ORS people with 100 % improved,
show by subtraction that the one child rated on CORS (suppressed in the
second report) did not improve. :func:`aggregate_linked` publishes several
groupings as *linked tables* and applies *secondary suppression* across all
of them, so that no suppressed figure can be worked out from the published
ones.

How it protects
---------------
This follows how statistics offices protect linked tables (tau-argus's
modular and optimal methods, and the R package sdcTable's
``protect_linked_tables``, whose heuristic "solves attacker problems to make
sure each primary sensitive cell cannot be recomputed"; Hundepool et al.
2012, *Statistical Disclosure Control*, Wiley, ch. 4-5; de Wolf 2002,
"HiTaS: a heuristic approach to cell suppression in hierarchical tables").
Only the ideas are used; the code is written here:

1. **Atoms.** The summary is grouped by every column of every grouping at
   once; each such finest group (an *atom*) is unpublished. Every published
   cell is the sum of its atoms.
2. **Primary suppression** is each table's own rule (``min_cell`` people,
   see :meth:`TrackSummary.aggregate`).
3. **The attacker's problem.** For every suppressed cell and every count it
   hides, two linear programmes (:func:`scipy.optimize.linprog`) find the
   smallest and the largest value the count can take given every published
   cell of every table and non-negativity: the feasibility interval of
   tau-argus. Counts of tracks (and the numerators and complements of
   shares, and the sums behind means) are exact sums of their atoms; counts
   of distinct people are used as exact sums where they are, and otherwise
   as what the attacker knows for sure (a group's distinct count is at most
   the sum of its atoms' counts and at least each of them).
4. **Secondary suppression.** While the interval of a suppressed count of
   people or tracks is one person wide or narrower (``max - min <= 1``), or
   the part of a suppressed cell with an outcome (the numerator of a share,
   its complement, the sum behind a mean) is known exactly
   (``max - min < 1``), a published cell linked to the suppressed one (a
   total it is part of, or another part of such a total, as complementary
   suppression picks a sibling) is suppressed as well: of the 25 with the
   fewest tracks, the first whose suppression widens the interval, else the
   one with the fewest tracks; then the problem is solved again.
   Suppressing more only widens intervals, so this ends with every
   suppressed cell protected; in the worst case every cell overlapping it is
   suppressed and nothing bounds it from above.
   Like sdcTable's SIMPLEHEURISTIC this is a heuristic: it protects, but it
   may suppress more than an optimal solution would.

A cell is a group's figure, not its whole row: a figure group (the size of a
group, one age band, a mean with its *n*, a share with its *n*) is
suppressed together, and a group whose size is suppressed is suppressed in
every figure, as in a single table. One exception, as for a single table:
when a published group that contains a suppressed one shows a share of 0 %
or 100 % (or a count of 0), every group inside it has that value too; the
min_cell rule accepts that group disclosure for the published group, and it
is not a consequence of linking, so it does not force further suppression.

**Rounding** (``round_to``, off by default): after suppression the counts
may be rounded to the nearest multiple of ``round_to`` (conventional
rounding, halves up), and every share and its Wilson interval are then
computed from the rounded counts, so no share reveals an unrounded count.
Statistics offices also use random and controlled rounding (Hundepool et al.
2012, ch. 5), which keep totals additive or unbiased; this does neither, so
a rounded table need not add up.

Not covered: relations between different figures (the tracks of a share
against the group's tracks), and magnitudes beyond the sums of the means; a
suppressed cell's mean can still be bounded by the range of the scale.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from fit_scores._core import change as _change_kernels
from fit_scores.errors import TableInputError
from fit_scores.table.aggregate import AGGREGATE_COLUMNS, Aggregate, aggregate_summary

if TYPE_CHECKING:  # pragma: no cover
    from fit_scores.table.summary import TrackSummary

__all__ = ["GroupingLog", "LinkedAggregates", "aggregate_linked"]

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

#: The interval of a suppressed count of people or tracks must be wider than one
#: person (``max - min > 1``).
SIZE_WIDTH = 1.0
#: The interval of the part of a suppressed cell with an outcome (the numerator of a
#: share, its complement, the sum behind a mean) must hold two values at least
#: (``max - min >= 1``): which of them is true cannot be told.
PART_WIDTH = 0.5
_EPS = 1e-7


@dataclass(frozen=True)
class _Quantity:
    """One count of a figure group: per atom and per cell of every table."""

    name: str
    atoms: FloatArray
    cells: list[FloatArray]
    distinct: bool  # a count of distinct people: not always the sum of its atoms
    lower: float | None  # known lower bound of an atom (0 for counts)
    width: float  # the interval must be wider than this


@dataclass(frozen=True)
class _Figure:
    """A figure group: columns suppressed together, and the counts they reveal."""

    name: str
    columns: tuple[str, ...]
    quantities: list[_Quantity]
    primary: list[BoolArray]


class GroupingLog:
    """The groupings published from one summary: what :meth:`TrackSummary.aggregate` warns on.

    Each :class:`~fit_scores.table.TrackSummary` holds one (no global state);
    it is thread-safe. :meth:`TrackSummary.aggregate` asks :meth:`note_plain`
    and warns (:class:`~fit_scores.errors.UnlinkedTablesWarning`) with the
    message it returns; :func:`aggregate_linked` records its groupings with
    :meth:`note_linked`.

    Examples
    --------
    >>> log = GroupingLog()
    >>> log.note_plain(("coordinator",)) is None
    True
    >>> log.note_plain(("coordinator",)) is None  # the same table again
    True
    >>> print(log.note_plain(("coordinator", "scale")))  # doctest: +NORMALIZE_WHITESPACE
    aggregate(by=['coordinator', 'scale']) after by=['coordinator'] on the same summary: a
    reader of both can derive suppressed cells by subtraction; publish them together with
    aggregate_linked(summary, [['coordinator'], ['coordinator', 'scale']])
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plain: list[tuple[str, ...]] = []
        self._linked: list[tuple[str, ...]] = []

    def note_plain(self, by: Sequence[str]) -> str | None:
        """Record a plain (unlinked) grouping; a warning message if it is not the only one.

        Parameters
        ----------
        by : sequence of str
            The grouping (``()`` for everyone).

        Returns
        -------
        str or None
            ``None`` when nothing else was published from the summary (or only
            this grouping, plainly); else why publishing it too is unsafe.
        """
        key = tuple(by)
        with self._lock:
            others = [g for g in (*self._plain, *self._linked) if g != key]
            linked = key in self._linked
            if key not in self._plain:
                self._plain.append(key)
        if linked:
            return (
                f"aggregate(by={list(key)}) on a summary whose grouping {list(key)} was "
                "published linked (aggregate_linked): the plain table suppresses less and "
                "reveals the cells the linked one protects; publish the linked tables only"
            )
        if not others:
            return None
        every = [list(g) for g in dict.fromkeys([*others, key])]
        return (
            f"aggregate(by={list(key)}) after by={list(others[0])} on the same summary: a "
            "reader of both can derive suppressed cells by subtraction; publish them together "
            f"with aggregate_linked(summary, {every})"
        )

    def note_linked(self, groupings: Sequence[Sequence[str]]) -> None:
        """Record groupings published together by :func:`aggregate_linked`."""
        with self._lock:
            for g in groupings:
                if tuple(g) not in self._linked:
                    self._linked.append(tuple(g))


@dataclass(frozen=True, eq=False)
class LinkedAggregates:
    """Several groupings of one summary, protected together (:func:`aggregate_linked`).

    Iterate over it, or index it, for the :class:`Aggregate` of each grouping
    (in the order given).

    Attributes
    ----------
    tables : tuple of Aggregate
        One per grouping; suppressed figures are masked and ``suppressed``
        is True in every row with a suppressed figure.
    by : tuple of tuple of str
        The groupings.
    secondary : tuple of ndarray of bool
        Per table, the rows with a figure suppressed only to protect another
        cell (secondary suppression).
    min_cell : int
        The primary rule (people a figure may rest on).
    round_to : int or None
        The rounding base of the counts, if any.
    """

    tables: tuple[Aggregate, ...]
    by: tuple[tuple[str, ...], ...]
    secondary: tuple[BoolArray, ...]
    min_cell: int
    round_to: int | None

    def __len__(self) -> int:
        return len(self.tables)

    def __getitem__(self, i: int) -> Aggregate:
        return self.tables[i]

    def __iter__(self) -> Iterator[Aggregate]:
        return iter(self.tables)


def aggregate_linked(
    summary: TrackSummary,
    groupings: Sequence[str | Sequence[str]],
    *,
    min_cell: int = 5,
    level: float = 0.95,
    round_to: int | None = None,
) -> LinkedAggregates:
    """Publish several groupings of one summary as linked tables, protected together.

    Each grouping is what :meth:`TrackSummary.aggregate
    <fit_scores.table.TrackSummary.aggregate>` would give, with the same
    primary suppression; then secondary suppression across all of them makes
    sure that no suppressed figure can be derived from the published ones
    (see the module documentation for the method and its sources).

    Parameters
    ----------
    summary : TrackSummary
        From :meth:`ScoreTable.summarize <fit_scores.table.ScoreTable.summarize>`.
    groupings : sequence of (str or sequence of str)
        The groupings, e.g. ``[["coordinator"], ["coordinator", "scale"]]``;
        ``[]`` is everyone in one group.
    min_cell : int
        Smallest number of people a figure may rest on (default 5).
    level : float
        Confidence level of the intervals.
    round_to : int, optional
        Round the published counts to a multiple of this base (halves up),
        and compute shares and their intervals from the rounded counts.

    Returns
    -------
    LinkedAggregates

    Raises
    ------
    TableInputError
        On an empty list of groupings, a grouping given twice, or an invalid
        ``round_to`` (or what :meth:`TrackSummary.aggregate` rejects).

    Examples
    --------
    Two groupings of one office: alone, the second would let a reader
    subtract the first and learn about the one child on CORS.

    >>> from fit_scores.table import from_columns
    >>> from fit_scores.table.disclosure import aggregate_linked
    >>> rows = {"person": [], "scale": [], "date": [], "age": [], "total": [],
    ...         "coordinator": []}
    >>> people = [(f"a{i}", "ORS", 40, 13.0 + i, 28.0 + i) for i in range(5)]
    >>> people.append(("c1", "CORS", 9, 20.0, 20.0))
    >>> for person, scale, age, first, last in people:
    ...     for date, total in (("2025-01-10", first), ("2025-03-10", last)):
    ...         for key, value in zip(rows, (person, scale, date, age, total, "kari")):
    ...             rows[key].append(value)
    >>> summary = from_columns(rows, group_columns=["coordinator"]).summarize()
    >>> linked = aggregate_linked(summary, [["coordinator"], ["coordinator", "scale"]])
    >>> by_coordinator, by_scale = linked
    >>> by_coordinator["n_people"].tolist(), by_coordinator["improved_share"].round(2).tolist()
    ([6], [0.83])
    >>> by_scale["scale"].tolist(), by_scale["n_people"].tolist(), linked.secondary[1].tolist()
    (['CORS', 'ORS'], [None, None], [False, True])
    """
    names = _groupings(groupings)
    if round_to is not None and (
        isinstance(round_to, bool) or not isinstance(round_to, int) or round_to < 1
    ):
        raise TableInputError(f"round_to must be a whole number >= 1, got {round_to!r}")
    # aggregate_summary, not summary.aggregate: these tables are linked, not published apart
    public = [aggregate_summary(summary, by, min_cell=min_cell, level=level) for by in names]
    raw = [aggregate_summary(summary, by, min_cell=1, level=level) for by in names]
    every = tuple(dict.fromkeys(name for by in names for name in by))
    atoms = aggregate_summary(summary, every, min_cell=1, level=level)
    member = [_membership(atoms, every, table, by) for table, by in zip(raw, names, strict=True)]
    figures = _figures(public, raw, atoms)
    hidden: dict[str, list[BoolArray]] = {}
    solved: dict[tuple[Any, ...], tuple[float, float]] = {}  # this call's attacker problems
    size_hidden: list[BoolArray] | None = None
    for figure in figures:
        start = [p.copy() for p in figure.primary]
        if size_hidden is not None:
            start = [s | h for s, h in zip(start, size_hidden, strict=True)]
        cost = [np.asarray(np.ma.getdata(t["n_tracks"]), dtype=np.float64) for t in raw]
        hidden[figure.name] = _protect(figure, start, member, cost, solved)
        if figure.name == "size":
            size_hidden = hidden["size"]
    tables: list[Aggregate] = []
    secondary: list[BoolArray] = []
    for t, table in enumerate(public):
        columns = dict(table.columns)
        extra = np.zeros(len(table), dtype=bool)
        for figure in figures:
            hide = hidden[figure.name][t]
            extra |= hide & ~figure.primary[t]
            for name in figure.columns:
                columns[name] = _mask(columns[name], hide)
        columns["suppressed"] = np.asarray(table.columns["suppressed"], dtype=bool) | extra
        if round_to is not None:
            _round(columns, raw[t], round_to, level)
        tables.append(dataclasses.replace(table, columns=columns))
        secondary.append(extra)
    log = getattr(summary, "published", None)
    if isinstance(log, GroupingLog):
        log.note_linked(names)
    return LinkedAggregates(
        tables=tuple(tables),
        by=names,
        secondary=tuple(secondary),
        min_cell=min_cell,
        round_to=round_to,
    )


def _groupings(groupings: Sequence[str | Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    if isinstance(groupings, str) or not isinstance(groupings, Sequence) or not groupings:
        raise TableInputError(
            "aggregate_linked: groupings must be a non-empty list of groupings, "
            'e.g. [["coordinator"], ["coordinator", "scale"]]'
        )
    out: list[tuple[str, ...]] = []
    for g in groupings:
        by = (g,) if isinstance(g, str) else tuple(g)
        if not all(isinstance(name, str) for name in by):
            raise TableInputError(f"aggregate_linked: a grouping is a list of column names: {g!r}")
        if by in out:
            raise TableInputError(f"aggregate_linked: the grouping {list(by)} is given twice")
        out.append(by)
    return tuple(out)


def _labels(table: Aggregate, by: Sequence[str]) -> list[tuple[Any, ...]]:
    cols = [table[name].tolist() for name in by]
    return [tuple(row) for row in zip(*cols, strict=True)] if cols else [()] * len(table)


def _membership(
    atoms: Aggregate, every: Sequence[str], table: Aggregate, by: Sequence[str]
) -> BoolArray:
    """(cells x atoms): whether an atom lies in a cell of ``table``."""
    position = [list(every).index(name) for name in by]
    atom_keys = [tuple(key[p] for p in position) for key in _labels(atoms, every)]
    row_of = {key: r for r, key in enumerate(_labels(table, by))}
    out = np.zeros((len(table), len(atoms)), dtype=bool)
    for a, key in enumerate(atom_keys):
        out[row_of[key], a] = True
    return out


def _values(table: Aggregate, name: str) -> FloatArray:
    return np.asarray(np.ma.getdata(table.columns[name]), dtype=np.float64)


def _hidden(table: Aggregate, name: str) -> BoolArray:
    return np.asarray(np.ma.getmaskarray(table.columns[name]), dtype=bool)


def _figures(public: list[Aggregate], raw: list[Aggregate], atoms: Aggregate) -> list[_Figure]:
    """The figure groups of an aggregate and the counts each reveals (size first)."""
    names = [n for n in atoms.names if n in AGGREGATE_COLUMNS]

    def quantity(name: str, distinct: bool = False) -> _Quantity:
        values = [_values(t, name) for t in raw]
        return _Quantity(name, _values(atoms, name), values, distinct, 0.0, SIZE_WIDTH)

    def product(name: str, of: str, times: str, minus: bool = False) -> _Quantity:
        def value(t: Aggregate) -> FloatArray:
            n = _values(t, times)
            v: FloatArray = np.where(n > 0, _values(t, of) * n, 0.0)
            if of.endswith("_share"):  # the numerator: a whole number of tracks
                v = np.round(v)
            return n - v if minus else v

        lower = 0.0 if (value(atoms) >= 0).all() else None
        return _Quantity(name, value(atoms), [value(t) for t in raw], False, lower, PART_WIDTH)

    figures = [
        _Figure(
            "size",
            ("n_people", "n_tracks", "n_episodes"),
            [quantity("n_tracks"), quantity("n_people", distinct=True)],
            [_hidden(t, "n_people") for t in public],
        )
    ]
    for name in names:
        if name.startswith("n_people_") or name == "n_collateral_raters":
            figures.append(
                _Figure(
                    name,
                    (name,),
                    [quantity(name, distinct=True)],
                    [_hidden(t, name) for t in public],
                )
            )
    for name in names:
        if name.endswith("_share"):
            base = name[: -len("_share")]
            cols = tuple(f"{base}_{part}" for part in ("n", "share", "ci_low", "ci_high"))
            figures.append(
                _Figure(
                    base,
                    cols,
                    [
                        product(f"{base}_k", name, f"{base}_n"),
                        product(f"{base}_n_minus_k", name, f"{base}_n", minus=True),
                    ],
                    [_hidden(t, f"{base}_n") for t in public],
                )
            )
        elif name.endswith("_mean"):
            base = name[: -len("_mean")]
            cols = tuple(f"{base}_{part}" for part in ("n", "mean", "ci_low", "ci_high"))
            figures.append(
                _Figure(
                    base,
                    cols,
                    [quantity(f"{base}_n"), product(f"{base}_sum", name, f"{base}_n")],
                    [_hidden(t, f"{base}_n") for t in public],
                )
            )
    if "effect_size_n" in names:
        cols = tuple(n for n in names if n.startswith("effect_size"))
        figures.append(
            _Figure(
                "effect_size",
                cols,
                [quantity("effect_size_n")],
                [_hidden(t, "effect_size_n") for t in public],
            )
        )
    return figures


def _protect(
    figure: _Figure,
    hidden: list[BoolArray],
    member: list[BoolArray],
    cost: list[FloatArray],
    solved: dict[tuple[Any, ...], tuple[float, float]],
) -> list[BoolArray]:
    """Secondary suppression for one figure group until every hidden cell is protected."""
    hidden = [h.copy() for h in hidden]
    queue = [(t, int(r)) for t, h in enumerate(hidden) for r in np.flatnonzero(h)]
    while queue:
        t, r = queue.pop(0)
        while (q := _unprotected(figure, hidden, member, t, r, solved)) is not None:
            pick = _candidate(q, hidden, member, cost, t, r, solved)
            if pick is None:  # pragma: no cover - nothing overlapping is published: unbounded
                break
            hidden[pick[0]][pick[1]] = True
            queue.append(pick)
    return hidden


#: How many of the cheapest linked cells are tried before the one that widens most is taken.
_TRIALS = 25


def _candidate(
    q: _Quantity,
    hidden: list[BoolArray],
    member: list[BoolArray],
    cost: list[FloatArray],
    t: int,
    r: int,
    solved: dict[tuple[Any, ...], tuple[float, float]],
) -> tuple[int, int] | None:
    """The published cell to suppress next to protect count ``q`` of cell (t, r).

    The cells linked to (t, r) -- overlapping it (a total it is part of) or
    overlapping a published cell that does (a sibling in that total) -- are
    tried from the fewest tracks up, and the first whose suppression widens
    the count's interval is taken (else, among the first few, the cheapest).
    """
    target = member[t][r]
    reach = target.copy()
    for u, m in enumerate(member):
        parents = (m & target).any(axis=1) & ~hidden[u]
        if parents.any():
            reach |= m[parents].any(axis=0)
    linked = sorted(
        (float(cost[u][s]), u, int(s))
        for u, m in enumerate(member)
        for s in np.flatnonzero((m & reach).any(axis=1) & ~hidden[u])
    )
    if not linked:
        return None
    low, high = _interval(q, hidden, member, t, r, solved)
    for _, u, s in linked[:_TRIALS]:
        trial = [h.copy() for h in hidden]
        trial[u][s] = True
        lo, hi = _interval(q, trial, member, t, r, solved)
        if hi - lo > high - low + _EPS:  # the cheapest cell that widens the interval
            return u, s
    return linked[0][1], linked[0][2]


def _interval(
    q: _Quantity,
    hidden: list[BoolArray],
    member: list[BoolArray],
    t: int,
    r: int,
    solved: dict[tuple[Any, ...], tuple[float, float]],
) -> tuple[float, float]:
    """The feasibility interval of count ``q`` of cell (t, r), solved once per state."""
    key = (
        q.atoms.tobytes(),
        b"".join(c.tobytes() for c in q.cells),
        q.distinct,
        q.lower,
        b"".join(h.tobytes() for h in hidden),
        t,
        r,
    )
    if key not in solved:  # counts shared by several figures are solved once
        solved[key] = _feasibility_interval(q, hidden, member, t, r)
    return solved[key]


def _unprotected(
    figure: _Figure,
    hidden: list[BoolArray],
    member: list[BoolArray],
    t: int,
    r: int,
    solved: dict[tuple[Any, ...], tuple[float, float]],
) -> _Quantity | None:
    """The first count of hidden cell (t, r) whose interval is too narrow (None: protected)."""
    for q in figure.quantities:
        low, high = _interval(q, hidden, member, t, r, solved)
        if high - low > q.width + _EPS:
            continue
        if _pinned_by_one_published_cell(q, hidden, member, t, r):
            continue  # group disclosure of a published cell (0 % or 100 %), not of linking
        return q
    return None


def _pinned_by_one_published_cell(
    q: _Quantity, hidden: list[BoolArray], member: list[BoolArray], t: int, r: int
) -> bool:
    target = member[t][r]
    for u, m in enumerate(member):
        contains = ~hidden[u] & ~(target & ~m).any(axis=1)
        if (contains & (np.abs(q.cells[u]) <= _EPS)).any():
            return True
    return False


def _feasibility_interval(
    q: _Quantity, hidden: list[BoolArray], member: list[BoolArray], t: int, r: int
) -> tuple[float, float]:
    """The smallest and largest value of count ``q`` of cell (t, r) given the published cells."""
    from scipy.optimize import linprog

    n_atoms = q.atoms.size
    a_eq: list[BoolArray] = []
    b_eq: list[float] = []
    a_ub: list[FloatArray] = []
    b_ub: list[float] = []
    upper = np.full(n_atoms, np.inf)
    for u, m in enumerate(member):
        for s in np.flatnonzero(~hidden[u]):
            row, value = m[s], float(q.cells[u][s])
            exact = abs(float(q.atoms[row].sum()) - value) <= _EPS * max(1.0, abs(value))
            if not q.distinct or exact:
                a_eq.append(row)
                b_eq.append(value)
            else:  # distinct people: at most the sum of the atoms, at least each atom
                a_ub.append(-row.astype(np.float64))
                b_ub.append(-value)
                upper[row] = np.minimum(upper[row], value)
    bounds = [(q.lower, None if np.isinf(u) else float(u)) for u in upper]
    c = member[t][r].astype(np.float64)
    ends: list[float] = []
    for sign in (1.0, -1.0):
        res = linprog(
            sign * c,
            A_ub=np.array(a_ub) if a_ub else None,
            b_ub=np.array(b_ub) if b_ub else None,
            A_eq=np.array(a_eq, dtype=np.float64) if a_eq else None,
            b_eq=np.array(b_eq) if b_eq else None,
            bounds=bounds,
            method="highs",
        )
        if res.status == 3:  # unbounded
            ends.append(-np.inf * sign)
        elif res.status != 0:  # pragma: no cover - the true values are always feasible
            raise TableInputError(f"aggregate_linked: the audit failed ({res.message})")
        else:
            ends.append(sign * float(res.fun))
    return ends[0], ends[1]


def _mask(col: Any, hide: BoolArray) -> Any:
    if not hide.any():
        return col
    return np.ma.masked_array(np.ma.getdata(col), mask=np.ma.getmaskarray(col) | hide)


def _round(columns: dict[str, Any], raw: Aggregate, base: int, level: float) -> None:
    """Round the counts to multiples of ``base``; shares and intervals from the rounded counts."""

    def rounded(values: FloatArray) -> npt.NDArray[np.int64]:
        return (np.floor(values / base + 0.5) * base).astype(np.int64)

    names = list(columns)
    for name in names:
        if name.endswith("_share"):
            stem = name[: -len("_share")]
            n = _values(raw, f"{stem}_n")
            k = np.round(_values(raw, name) * n)
            n_r, k_r = rounded(n), rounded(k)
            lo, hi = _change_kernels.wilson_interval(k_r, n_r, level)
            shown = ~np.ma.getmaskarray(columns[f"{stem}_n"])
            defined = shown & (n_r > 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                share = np.where(n_r > 0, k_r / np.maximum(n_r, 1), 0.0)
            columns[name] = np.ma.masked_array(share, mask=~defined)
            columns[f"{stem}_ci_low"] = np.ma.masked_array(np.where(defined, lo, 0.0), ~defined)
            columns[f"{stem}_ci_high"] = np.ma.masked_array(np.where(defined, hi, 0.0), ~defined)
    for name in names:
        if name.startswith("n_") or name.endswith("_n"):
            col = columns[name]
            mask = np.ma.getmaskarray(col)
            columns[name] = np.ma.masked_array(rounded(_values(raw, name)), mask=mask)
