r"""Per-year indicator tables of a cohort, with intervals, small-cell suppression and references.

:func:`yearly_indicators` turns validated :class:`~fit_scores.cohort.YearlyTable`
batches into one long table: per year and indicator the number of
households, people or goals it rests on, the share or mean, its interval,
and the national reference value where one exists.

Indicators (each with its definition in the kernel named):

``persistent_low_income``
    Share of households whose mean equivalised income over the three income
    years ending in this one is below 60 % of the mean of the annual medians
    (SSB, :func:`~fit_scores.living_conditions.persistent_low_income`); only
    households with all three years count.
``children_persistent_low_income``
    Share of children (members under 18 in the last year of the window) in
    such households, compared with
    :data:`~fit_scores.cohort.CHILD_PERSISTENT_LOW_INCOME` (SSB) by the last
    income year of the window.
``low_income``
    Share of households below EU-60 in the income year
    (:func:`~fit_scores.living_conditions.low_income`).
``crowded``
    Share of households in crowded housing, SSB register definition from
    2015 (:func:`~fit_scores.living_conditions.crowded`); undecidable rows are
    left out.
``work_or_activity``
    Share of adults in work (ILO) or a work-oriented activity
    (:func:`~fit_scores.living_conditions.work_or_activity`, programme-local set).
``leisure``
    Share of children 6-17 with a leisure activity at least weekly
    (:func:`~fit_scores.living_conditions.leisure_participation`).
``gse_mean``
    Mean GSE sum score (10-40, prorated from 7 answered items), adults.
``life_satisfaction_mean``, ``life_satisfaction_low``
    Mean life satisfaction (0-10) and the share in SSB's low band (0-5),
    compared with :data:`~fit_scores.instruments.LIFESAT_REFERENCE` (group
    ``all``) by calendar year.
``goals_achieved``, ``goals_achieved_<domain>``
    Share of goals at the expected level (0) or better at the year's rating
    (:func:`~fit_scores.goals.goal_achieved`), all goals and per domain.

Intervals: a share has the Wilson score interval (Wilson 1927), a mean the
Student *t* interval bounded by the instrument's range. The rows of one year
are taken as independent; goals of one family and adults of one household are
clustered, so those intervals are too narrow (a design effect is not
applied; the children of one household are clustered too). On the calendar
axis the income indicators are dated by their income year (the year before
the mapping), as SSB dates them; the other indicators by the mapping's date.
A cell resting on fewer than ``min_cell`` units is suppressed (its
count, estimate and interval are masked), the rule of the score tables'
aggregates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from fit_scores._core.change import mean_interval as mean_interval_kernel
from fit_scores._core.change import wilson_interval
from fit_scores.cohort.reference import CHILD_PERSISTENT_LOW_INCOME
from fit_scores.cohort.tables import YearlyTable
from fit_scores.errors import IndicatorError, TableInputError
from fit_scores.goals import GOAL_DOMAINS, goal_achieved
from fit_scores.instruments import LIFESAT_REFERENCE, score
from fit_scores.io.writers import ColumnOutputs
from fit_scores.living_conditions import (
    crowded,
    leisure_participation,
    low_income,
    persistent_low_income,
    work_or_activity,
)
from fit_scores.scales import get_instrument
from fit_scores.table.aggregate import check_aggregate_options
from fit_scores.table.container import masked

__all__ = ["IndicatorTable", "mean_interval", "share_interval", "small_cells", "yearly_indicators"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

YearAxis = Literal["programme_year", "calendar_year"]

_COLUMNS: Final = (
    "year",
    "indicator",
    "unit",
    "n",
    "estimate",
    "ci_low",
    "ci_high",
    "reference",
    "reference_source",
    "suppressed",
)


@dataclass(frozen=True, eq=False, repr=False)
class IndicatorTable(ColumnOutputs):
    """Per-year indicators in long format, one row per year and indicator.

    Columns: ``year`` (programme year or calendar year, see ``axis``),
    ``indicator``, ``unit`` (``"share"`` or ``"mean"``), ``n`` (the units
    the figure rests on), ``estimate``, ``ci_low``, ``ci_high``,
    ``reference`` (national figure on the same unit, or masked),
    ``reference_source`` and ``suppressed``. Suppressed or undefined figures
    are masked (``None`` in records, CSV and JSON).
    """

    columns: dict[str, Any]
    axis: str
    min_cell: int
    level: float

    def __len__(self) -> int:
        return int(np.asarray(self.columns["year"]).shape[0])

    def __repr__(self) -> str:
        return f"IndicatorTable({len(self)} rows by {self.axis}, min_cell={self.min_cell})"

    def __getitem__(self, name: str) -> Any:
        return self.columns[name]

    def _columns(self) -> list[tuple[str, Any]]:
        return [(name, self.columns[name]) for name in _COLUMNS]

    def where(self, indicator: str) -> dict[str, Any]:
        """The rows of one indicator as a dict of columns.

        Examples
        --------
        >>> from fit_scores.simulate import simulate_programme
        >>> from fit_scores.cohort import cohort_tables, yearly_indicators
        >>> sim = simulate_programme(300, seed=2)
        >>> tab = yearly_indicators(cohort_tables(sim), sim.medians)
        >>> tab.where("crowded")["year"].tolist()
        [0, 1, 2, 3, 4, 5]
        """
        rows = np.flatnonzero(np.asarray(self.columns["indicator"]) == indicator)
        return {name: self.columns[name][rows] for name in _COLUMNS}


def share_interval(
    k: npt.ArrayLike, n: npt.ArrayLike, level: float
) -> tuple[FloatArray, FloatArray]:
    """The interval of shares ``k / n``: the Wilson score interval (Wilson 1927).

    The one place this module forms a share's interval (the kernel the score
    tables' aggregates use).

    Examples
    --------
    >>> lo, hi = share_interval([8], [20], 0.95)
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.2188, 0.6134)
    """
    return wilson_interval(k, n, level)


def mean_interval(
    mean: FloatArray,
    var: FloatArray,
    n: IntArray,
    level: float,
    bounds: tuple[float, float] = (-math.inf, math.inf),
) -> tuple[FloatArray, FloatArray]:
    """The Student *t* interval of means, within the possible scores ``bounds``.

    ``mean -+ t(n-1) sqrt(var / n)``, undefined (NaN) for ``n < 2``.

    Examples
    --------
    >>> lo, hi = mean_interval(np.array([30.0]), np.array([25.0]), np.array([25]), 0.95)
    >>> round(float(lo[0]), 3), round(float(hi[0]), 3)
    (27.936, 32.064)
    """
    nf = n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(var / nf)
    return mean_interval_kernel(mean, se, n, level, bounds)


def small_cells(n: IntArray, min_cell: int) -> BoolArray:
    """The cells to suppress: those resting on fewer than ``min_cell`` units (but not none).

    Examples
    --------
    >>> small_cells(np.array([0, 3, 5]), 5).tolist()
    [False, True, False]
    """
    out: BoolArray = (n > 0) & (n < min_cell)
    return out


class _Rows:
    """Indicator rows collected before they become columns."""

    def __init__(self, level: float, min_cell: int) -> None:
        self.level, self.min_cell = level, min_cell
        self.parts: list[dict[str, Any]] = []

    def shares(
        self,
        name: str,
        year: IntArray,
        hit: FloatArray,
        years: IntArray,
        units: IntArray | None = None,
    ) -> None:
        """``hit`` is 1.0 / 0.0 / NaN (unknown, left out) per row of ``units`` units (1)."""
        known = ~np.isnan(hit)
        idx = np.searchsorted(years, year[known])
        w = None if units is None else units[known].astype(np.float64)
        n = np.rint(np.bincount(idx, weights=w, minlength=years.size)).astype(np.int64)
        hits = hit[known] if w is None else hit[known] * w
        k = np.rint(np.bincount(idx, weights=hits, minlength=years.size)).astype(np.int64)
        lo, hi = share_interval(k, n, self.level)
        with np.errstate(invalid="ignore", divide="ignore"):
            est = np.where(n > 0, k / np.maximum(n, 1), np.nan)
        self._add(name, "share", years, n, est, lo, hi)

    def means(
        self, name: str, year: IntArray, x: FloatArray, years: IntArray, bounds: tuple[float, float]
    ) -> None:
        known = ~np.isnan(x)
        idx = np.searchsorted(years, year[known])
        n = np.bincount(idx, minlength=years.size).astype(np.int64)
        s1 = np.bincount(idx, weights=x[known], minlength=years.size)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = s1 / n
            dev = x[known] - mean[idx]
            var = np.bincount(idx, weights=dev * dev, minlength=years.size) / (n - 1)
        lo, hi = mean_interval(mean, var, n, self.level, bounds)
        self._add(name, "mean", years, n, mean, lo, hi)

    def _add(
        self,
        name: str,
        unit: str,
        years: IntArray,
        n: IntArray,
        est: FloatArray,
        lo: FloatArray,
        hi: FloatArray,
    ) -> None:
        self.parts.append(
            {
                "year": years,
                "indicator": name,
                "unit": unit,
                "n": n,
                "estimate": est,
                "ci_low": lo,
                "ci_high": hi,
            }
        )


def _year_axis(table: YearlyTable, axis: YearAxis) -> IntArray:
    if axis == "programme_year":
        return np.asarray(table["programme_year"], dtype=np.int64)
    if table.kind == "household_income":  # income is dated by its income year, as SSB does
        return np.asarray(table["year"], dtype=np.int64)
    out: IntArray = table["date"].astype("datetime64[Y]").astype(np.int64) + 1970
    return out


def _persistent(table: YearlyTable, medians: Mapping[int, int]) -> tuple[BoolArray, FloatArray]:
    """Rows with three consecutive income years ending there, and their flag (SSB)."""
    fam, year = table["family"], table["year"]
    order = np.lexsort((year, fam))
    f, y = fam[order], year[order]
    ok = np.zeros(f.size, dtype=bool)
    ok[2:] = (f[2:] == f[:-2]) & (f[2:] == f[1:-1]) & (y[2:] - y[:-2] == 2) & (y[2:] - y[1:-1] == 1)
    ends = np.flatnonzero(ok)
    window = order[ends[:, None] + np.arange(-2, 1)]  # (m, 3) rows of the input table
    years = table["year"][window]
    missing = sorted({int(v) for v in np.unique(years)} - set(medians))
    if missing:
        raise IndicatorError(f"medians: no median for income year(s) {missing}")
    span = np.array(sorted(medians), dtype=np.int64)
    values = np.array([medians[int(v)] for v in span.tolist()], dtype=np.float64)
    med = values[np.searchsorted(span, years)]
    flag = np.full(fam.size, np.nan)
    if ends.size:
        hit = persistent_low_income(
            table["income_after_tax"][window],
            med,
            adults=table["adults"][window],
            children=table["children"][window],
        )
        flag[order[ends]] = np.asarray(hit, dtype=np.float64)
    return ok, flag


def yearly_indicators(
    tables: Mapping[str, YearlyTable],
    medians: Mapping[int, int] | None = None,
    *,
    axis: YearAxis = "programme_year",
    min_cell: int = 5,
    level: float = 0.95,
    goal_rater: str = "coordinator",
) -> IndicatorTable:
    """Per-year indicators of a cohort, compared with the national reference where one exists.

    Parameters
    ----------
    tables : mapping of kind to YearlyTable
        Validated tables (:func:`yearly_table`); kinds that are absent give no rows.
    medians : mapping of int to int, optional
        Median income per consumption unit (EU scale) of each income year, as
        SSB publishes it; needed for the income indicators.
    axis : {"programme_year", "calendar_year"}
        Year of the programme (0 = intake mapping) or the calendar year of the
        mapping; the reference series are matched by calendar year only.
    min_cell : int
        Smallest number of units a published cell may rest on (default 5).
    level : float
        Confidence level of the intervals.
    goal_rater : {"coordinator", "family", "child"}
        Whose ratings the goal indicators use.

    Returns
    -------
    IndicatorTable

    Raises
    ------
    TableInputError
        For an invalid ``min_cell``, ``level`` or ``axis``.
    IndicatorError
        If an income year has no median.

    Examples
    --------
    >>> from fit_scores.simulate import simulate_programme
    >>> from fit_scores.cohort import cohort_tables, yearly_indicators
    >>> sim = simulate_programme(200, seed=5)
    >>> tab = yearly_indicators(cohort_tables(sim), sim.medians)
    >>> sorted(set(tab["indicator"].tolist()))[:4]
    ['children_persistent_low_income', 'crowded', 'goals_achieved', 'goals_achieved_economy']
    """
    check_aggregate_options(min_cell, level)
    if axis not in ("programme_year", "calendar_year"):
        raise TableInputError(f"axis must be 'programme_year' or 'calendar_year', got {axis!r}")
    present = [t for t in tables.values() if len(t) and t.kind != "goals"]
    all_years = np.unique(
        np.concatenate([_year_axis(t, axis) for t in present] or [np.zeros(0, np.int64)])
    )
    rows = _Rows(level, min_cell)
    if "household_income" in tables and len(tables["household_income"]):
        t = tables["household_income"]
        if medians is None:
            raise IndicatorError("medians: the income indicators need the annual medians")
        year = _year_axis(t, axis)
        _, flag = _persistent(t, medians)
        rows.shares("persistent_low_income", year, flag, all_years)
        rows.shares("children_persistent_low_income", year, flag, all_years, units=t["children"])
        med = np.array([medians.get(int(v), 0) for v in t["year"].tolist()], dtype=np.int64)
        if (med == 0).any():
            raise IndicatorError(
                f"medians: no median for income year {int(t['year'][med == 0][0])}"
            )
        below = low_income(t["income_after_tax"], t["adults"], t["children"], med)
        rows.shares("low_income", year, np.asarray(below, dtype=np.float64), all_years)
    if "housing" in tables and len(tables["housing"]):
        t = tables["housing"]
        crowd = crowded(t["persons"], t["rooms"], t["area_m2"])
        rows.shares("crowded", _year_axis(t, axis), np.asarray(crowd, np.float64), all_years)
    if "work_activity" in tables and len(tables["work_activity"]):
        t = tables["work_activity"]
        work = work_or_activity(t["hours_reference_week"], t["temporarily_absent"], t["activities"])
        rows.shares(
            "work_or_activity", _year_axis(t, axis), np.asarray(work, np.float64), all_years
        )
    if "leisure" in tables and len(tables["leisure"]):
        t = tables["leisure"]
        weekly = leisure_participation(t["frequency"])
        rows.shares("leisure", _year_axis(t, axis), np.asarray(weekly, np.float64), all_years)
    for kind, key, name, bounds in (
        ("gse", "GSE", "gse_mean", (10.0, 40.0)),
        ("life_satisfaction", "LIFESAT", "life_satisfaction_mean", (0.0, 10.0)),
    ):
        if kind in tables and len(tables[kind]):
            t = tables[kind]
            items = get_instrument(key).item_keys
            scored = score(key, np.column_stack([t[k] for k in items]))
            j = scored.subscales.index("total")  # a raw (sum) score: num / den, exact
            with np.errstate(invalid="ignore", divide="ignore"):
                values = np.where(scored.scored[:, j], scored.num[:, j] / scored.den[:, j], np.nan)
            rows.means(name, _year_axis(t, axis), values, all_years, bounds)
            if kind == "life_satisfaction":
                low = np.where(np.isnan(values), np.nan, (values <= 5).astype(np.float64))
                rows.shares("life_satisfaction_low", _year_axis(t, axis), low, all_years)
    if "goal_ratings" in tables and "goals" in tables and len(tables["goal_ratings"]):
        _goal_rows(rows, tables["goals"], tables["goal_ratings"], axis, goal_rater, all_years)
    return _finish(rows, axis, min_cell, level)


def _goal_rows(
    rows: _Rows,
    goals: YearlyTable,
    ratings: YearlyTable,
    axis: YearAxis,
    rater: str,
    years: IntArray,
) -> None:
    """Goals achieved at each year's latest rating by ``rater``, all and per domain."""
    mine = np.flatnonzero(ratings["rater"] == rater)
    # a goal is (family, goal id): ids are unique within a family's plan; ids hold no
    # control character, so the unit separator cannot occur inside one
    g_key = np.char.add(np.char.add(goals["family"], "\x1f"), goals["goal"])
    r_key = np.char.add(np.char.add(ratings["family"][mine], "\x1f"), ratings["goal"][mine])
    keys, inverse = np.unique(np.concatenate([g_key, r_key]), return_inverse=True)
    g_code, r_code = inverse[: g_key.size], inverse[g_key.size :]
    year = _year_axis(ratings, axis)[mine]
    order = np.lexsort((ratings["date"][mine], year, r_code))
    c, y = r_code[order], year[order]
    last = np.ones(c.size, dtype=bool)
    last[:-1] = (c[1:] != c[:-1]) | (y[1:] != y[:-1])
    pick = order[last]
    hit = goal_achieved(ratings["level"][mine][pick]).astype(np.float64)
    domain_code = np.full(keys.size, -1, dtype=np.int64)  # -1: a rating of an unknown goal
    domains = np.array(GOAL_DOMAINS)
    sorter = np.argsort(domains)
    domain_code[g_code] = sorter[
        np.searchsorted(domains, goals["domain"].astype(str), sorter=sorter)
    ]
    picked_domain = domain_code[r_code[pick]]
    picked_year = year[pick]
    rows.shares("goals_achieved", picked_year, hit, years)
    for j, d in enumerate(GOAL_DOMAINS):
        in_domain = np.where(picked_domain == j, hit, np.nan)
        rows.shares(f"goals_achieved_{d}", picked_year, in_domain, years)


def _reference(names: Sequence[str], years: IntArray, axis: str) -> tuple[FloatArray, list[str]]:
    """The national figure on the indicator's unit, by calendar year (income year for income)."""
    ref = np.full(len(names), np.nan)
    source = [""] * len(names)
    if axis != "calendar_year":
        return ref, source
    rows = {r.year: r for r in LIFESAT_REFERENCE.rows if r.group == "all"}
    children = CHILD_PERSISTENT_LOW_INCOME
    for i, (name, year) in enumerate(zip(names, years.tolist(), strict=True)):
        if name == children.indicator:
            point = children.at(int(year))
            if point is not None:
                ref[i] = point.share
                source[i] = f"{children.key} {children.version}: {point.source}"
            continue
        row = rows.get(int(year))
        if row is None:
            continue
        value = None
        if name == "life_satisfaction_mean":
            value = row.mean
        elif name == "life_satisfaction_low" and row.share_low is not None:
            value = row.share_low / 100.0
        if value is not None:
            ref[i] = value
            source[i] = (
                f"{LIFESAT_REFERENCE.key} {LIFESAT_REFERENCE.version}: {row.source.citation}"
            )
    return ref, source


def _finish(rows: _Rows, axis: str, min_cell: int, level: float) -> IndicatorTable:
    if not rows.parts:
        empty: dict[str, Any] = {c: np.zeros(0) for c in _COLUMNS}
        return IndicatorTable(columns=empty, axis=axis, min_cell=min_cell, level=level)
    year = np.concatenate([p["year"] for p in rows.parts])
    names = [p["indicator"] for p in rows.parts for _ in range(p["year"].size)]
    units = [p["unit"] for p in rows.parts for _ in range(p["year"].size)]
    n = np.concatenate([p["n"] for p in rows.parts])
    est, lo, hi = (
        np.concatenate([p[c] for p in rows.parts]) for c in ("estimate", "ci_low", "ci_high")
    )
    hide = small_cells(n, min_cell)
    ref, source = _reference(names, year, axis)
    undefined = hide | np.isnan(est)
    no_ci = undefined | np.isnan(lo)
    columns = {
        "year": year,
        "indicator": np.array(names, dtype=object),
        "unit": np.array(units, dtype=object),
        "n": masked(n, hide),
        "estimate": masked(np.where(undefined, 0.0, est), undefined),
        "ci_low": masked(np.where(no_ci, 0.0, lo), no_ci),
        "ci_high": masked(np.where(no_ci, 0.0, hi), no_ci),
        "reference": masked(np.where(np.isnan(ref), 0.0, ref), np.isnan(ref)),
        "reference_source": np.array(source, dtype=object),
        "suppressed": hide,
    }
    return IndicatorTable(columns=columns, axis=axis, min_cell=min_cell, level=level)
