"""The cohort view for research: batch tables of yearly records and per-year indicators.

:func:`yearly_table` validates a batch of one kind of yearly record (income,
housing, work, GSE, life satisfaction, leisure), goals or goal ratings and
reports every bad row; :func:`yearly_indicators` turns the tables of a cohort
into per-year shares and means with intervals, small-cell suppression and the
national reference series where one exists.

Examples
--------
>>> from fit_scores.simulate import simulate_programme
>>> from fit_scores.cohort import cohort_tables, yearly_indicators
>>> sim = simulate_programme(100, seed=1)
>>> tab = yearly_indicators(cohort_tables(sim), sim.medians)
>>> tab.where("gse_mean")["n"].tolist()[0] > 100
True
"""

from fit_scores.cohort.indicators import (
    IndicatorTable,
    mean_interval,
    share_interval,
    small_cells,
    yearly_indicators,
)
from fit_scores.cohort.reference import CHILD_PERSISTENT_LOW_INCOME, NationalPoint, NationalSeries
from fit_scores.cohort.tables import (
    KINDS,
    YearlyKind,
    YearlyTable,
    cohort_tables,
    columns_of,
    yearly_table,
)

__all__ = [
    "CHILD_PERSISTENT_LOW_INCOME",
    "KINDS",
    "IndicatorTable",
    "NationalPoint",
    "NationalSeries",
    "YearlyKind",
    "YearlyTable",
    "cohort_tables",
    "columns_of",
    "mean_interval",
    "share_interval",
    "small_cells",
    "yearly_indicators",
    "yearly_table",
]
