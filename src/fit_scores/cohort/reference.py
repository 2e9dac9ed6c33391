"""National reference series for the cohort indicators, as versioned data with sources.

Only verified figures (tag **[V]** in the project's domain reference
*yearly-mapping.md*) are entered; figures found only in third-party texts
(**[S]**) or not found (**[U]**) are left out, never filled in.

The life-satisfaction series lives with its instrument
(:data:`fit_scores.instruments.LIFESAT_REFERENCE`); this module holds the
series that belong to no instrument.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["CHILD_PERSISTENT_LOW_INCOME", "NationalPoint", "NationalSeries"]


@dataclass(frozen=True)
class NationalPoint:
    """One published figure: a share over a window of income years.

    Attributes
    ----------
    first_year, last_year : int
        The income years of the window (a three-year average for persistent
        low income); the figure is compared with a cohort's figure for the
        window ending in ``last_year``.
    share : float
        The share, as a fraction (0.099 for 9.9 %).
    persons : int, optional
        The number of persons, where published.
    source : str
        Where the figure was read.
    """

    first_year: int
    last_year: int
    share: float
    persons: int | None
    source: str


@dataclass(frozen=True)
class NationalSeries:
    """A versioned national reference series for one cohort indicator.

    Examples
    --------
    >>> from fit_scores.cohort import CHILD_PERSISTENT_LOW_INCOME as series
    >>> series.at(2023).share, series.at(2023).first_year
    (0.099, 2021)
    >>> series.at(2012) is None
    True
    """

    key: str
    indicator: str
    version: str
    population: str
    definition: str
    points: tuple[NationalPoint, ...]

    def at(self, last_year: int) -> NationalPoint | None:
        """The figure for the window ending in ``last_year``, or ``None`` if not published."""
        for point in self.points:
            if point.last_year == last_year:
                return point
        return None


_SSB_ARTICLE: Final = (
    'Statistics Norway (SSB), "Flere barn i husholdninger med vedvarende lavinntekt"'
)
_SSB_SERIES: Final = (
    "Statistics Norway (SSB), income statistics for households: children under 18 in "
    "households with persistent low income (as recorded, tag [V], in the project's domain "
    "reference yearly-mapping.md, section 5)"
)

CHILD_PERSISTENT_LOW_INCOME: Final = NationalSeries(
    key="ssb_children_persistent_low_income",
    indicator="children_persistent_low_income",
    version="2026-11-29",
    population="Norway, children under 18 (SSB)",
    definition=(
        "Children under 18 in households whose income after tax per consumption unit (EU "
        "scale), averaged over 3 consecutive years, is below 60 % of the mean of the annual "
        "medians (SSB keys 405494, 437947, 306829)"
    ),
    points=(
        NationalPoint(1999, 2001, 0.033, None, _SSB_ARTICLE),
        NationalPoint(2002, 2004, 0.072, None, _SSB_ARTICLE),
        NationalPoint(2014, 2016, 0.103, 101_000, _SSB_ARTICLE),
        NationalPoint(2018, 2020, 0.117, 115_000, _SSB_SERIES),
        NationalPoint(2019, 2021, 0.113, 110_700, _SSB_SERIES),
        NationalPoint(2020, 2022, 0.106, 102_600, _SSB_SERIES),
        NationalPoint(2021, 2023, 0.099, None, _SSB_SERIES),
    ),
)
"""Children under 18 in persistent low income (EU-60, three-year average), Norway.

Verified figures only: 2001 3.3 %, 2004 7.2 %, 2016 10.3 % (101,000), 2018-2020
11.7 % (115,000), 2019-2021 11.3 % (110,700), 2020-2022 10.6 % (102,600),
2021-2023 9.9 %. The windows of the single years 2001, 2004 and 2016 are taken
as the three years ending then (the definition's window). Left out: 2011 7.6 %,
2015 10.0 % and 2017 10.7 % (third-party **[S]**), and the programme's "4 % in
2000" (not found, **[U]**).
"""
