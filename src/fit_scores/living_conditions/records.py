"""Yearly living-conditions records of a person or a household.

Each record is a validated, frozen pydantic model and a batch of one for the
kernels in :mod:`fit_scores.living_conditions.kernels`: validation runs the
kernel's own checks (so a record and a cohort row get the same error class
and message) and every indicator is the kernel's answer for one row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from fit_scores._model import FrozenModel
from fit_scores.errors import IndicatorError
from fit_scores.living_conditions.kernels import (
    DEFAULT_WORK_ORIENTED,
    LEISURE_FREQUENCIES,
    LOW_INCOME_DEFINITIONS,
    ActivityKind,
    CrowdingDefinition,
    EquivalenceScale,
    LeisureFrequency,
    LowIncomeDefinition,
    Programme,
    activity_mask,
    consumption_units_tenths,
    crowded,
    employed_ilo,
    leisure_participation,
    low_income,
    persistent_low_income,
    upper_secondary_completion,
    work_or_activity,
)
from fit_scores.records.fields import Day, Identifier

__all__ = [
    "HouseholdIncome",
    "Housing",
    "LeisureActivity",
    "LeisureParticipation",
    "UpperSecondary",
    "WorkActivity",
    "persistent_low_income_of",
]

StrictInt = Annotated[int, Field(strict=True)]
Year = Annotated[int, Field(strict=True, ge=1900, le=2200)]
Hours = Annotated[float, Field(strict=True)]
Area = Annotated[float, Field(strict=True)]
StrictBool = Annotated[bool, Field(strict=True)]


def _flag(value: object) -> bool | None:
    """A kernel's answer for a batch of one (scalar input gives bool or None)."""
    if value is None or isinstance(value, bool):
        return value
    raise TypeError(f"expected a scalar answer, got {type(value).__name__}")  # pragma: no cover


class HouseholdIncome(FrozenModel):
    """A household's income after tax in one year, with its composition.

    Parameters
    ----------
    household_id : str
        Pseudonymous household id.
    year : int
        The income year.
    income_after_tax : int
        The household's income after tax, whole kroner (may be negative).
    adults : int
        Adults in the household (at least 1).
    children : int
        Children in the household (who counts as a child is the caller's
        choice; SSB's age limit was not verified).

    Examples
    --------
    >>> from fit_scores.living_conditions import HouseholdIncome
    >>> h = HouseholdIncome(household_id="h1", year=2024, income_after_tax=420_000,
    ...                     adults=2, children=2)
    >>> h.consumption_units(), h.equivalised_income()
    (Fraction(21, 10), Fraction(200000, 1))
    >>> h.low_income(median=350_000), h.low_income(median=300_000, definition="oecd50")
    (True, False)
    """

    household_id: Identifier
    year: Year
    income_after_tax: StrictInt
    adults: StrictInt
    children: StrictInt = 0

    @model_validator(mode="after")
    def _checked_by_the_kernel(self) -> HouseholdIncome:
        # the batch rules: the same checks and messages as a cohort row
        low_income(self.income_after_tax, self.adults, self.children, median=1)
        return self

    def consumption_units(self, scale: EquivalenceScale = "eu") -> Fraction:
        """Consumption units on the EU or old OECD scale, exact."""
        tenths = consumption_units_tenths(self.adults, self.children, scale)
        return Fraction(int(tenths), 10)

    def equivalised_income(self, scale: EquivalenceScale = "eu") -> Fraction:
        """Income per consumption unit, exact."""
        return Fraction(self.income_after_tax) / self.consumption_units(scale)

    def low_income(
        self, median: int, definition: LowIncomeDefinition = "eu60", *, share: object = None
    ) -> bool:
        """Below ``share`` of the supplied median (see ``low_income``)."""
        out = low_income(
            self.income_after_tax, self.adults, self.children, median, definition, share=share
        )
        return bool(out)


def persistent_low_income_of(
    incomes: Iterable[HouseholdIncome],
    medians: Mapping[int, int],
    definition: LowIncomeDefinition = "eu60",
    *,
    share: object = None,
    years: int = 3,
) -> bool:
    """Persistent low income of a person from the household records of consecutive years.

    Parameters
    ----------
    incomes : iterable of HouseholdIncome
        The person's household in each year of the window (the household may
        change from year to year); exactly ``years`` consecutive years.
    medians : mapping year -> int
        The annual medians per consumption unit, supplied by the caller.
    definition : {"eu60", "oecd50"}
        Scale and share; ``share`` overrides the share.
    years : int, default 3
        The window (4 for SSB's older definition).

    Returns
    -------
    bool
        The mean equivalised income below the share of the mean median.

    Raises
    ------
    IndicatorError
        If the years are not ``years`` consecutive years, or a median is missing.

    Examples
    --------
    >>> from fit_scores.living_conditions import HouseholdIncome, persistent_low_income_of
    >>> rows = [HouseholdIncome(household_id="h1", year=y, income_after_tax=i, adults=1)
    ...         for y, i in ((2021, 200_000), (2022, 210_000), (2023, 220_000))]
    >>> persistent_low_income_of(rows, {2021: 350_000, 2022: 360_000, 2023: 370_000})
    True
    """
    rows: Sequence[HouseholdIncome] = sorted(incomes, key=lambda r: r.year)
    got = [r.year for r in rows]
    if not rows or got != list(range(got[0], got[0] + years)):
        raise IndicatorError(
            f"incomes: persistent low income needs {years} consecutive years, got years {got}"
        )
    missing = [y for y in got if y not in medians]
    if missing:
        raise IndicatorError(f"medians: no median for year(s) {missing}")
    if definition not in LOW_INCOME_DEFINITIONS:
        raise IndicatorError(f"definition: {definition!r} is not 'eu60' or 'oecd50'")
    scale, default_share = LOW_INCOME_DEFINITIONS[definition]
    out = persistent_low_income(
        [r.income_after_tax for r in rows],
        [medians[y] for y in got],
        default_share if share is None else share,
        years=years,
        adults=[r.adults for r in rows],
        children=[r.children for r in rows],
        scale=scale,
    )
    return bool(out)


class Housing(FrozenModel):
    """A household's dwelling at a yearly mapping: persons, rooms and floor area.

    Examples
    --------
    >>> from fit_scores.living_conditions import Housing
    >>> h = Housing(household_id="h1", date="2025-01-10", persons=4, rooms=3, area_m2=80)
    >>> h.crowded(), Housing(household_id="h1", date="2025-01-10", persons=4).crowded()
    (True, None)
    """

    household_id: Identifier
    date: Day
    persons: StrictInt
    rooms: StrictInt | None = None
    area_m2: Area | None = None

    @model_validator(mode="after")
    def _checked_by_the_kernel(self) -> Housing:
        crowded(self.persons, self.rooms, self.area_m2)
        return self

    def crowded(self, definition: CrowdingDefinition = "ssb_register_2015") -> bool | None:
        """Crowded by an SSB definition; ``None`` if the data cannot decide.

        See :func:`~fit_scores.living_conditions.crowded`.
        """
        return _flag(crowded(self.persons, self.rooms, self.area_m2, definition))


class WorkActivity(FrozenModel):
    """A person's work and work-oriented activities at a yearly mapping.

    Examples
    --------
    >>> from fit_scores.living_conditions import WorkActivity
    >>> w = WorkActivity(person_id="mor", date="2025-01-10", hours_reference_week=0,
    ...                  activities=["qualification_programme"])
    >>> w.employed, w.work_or_activity(), w.work_or_activity(counted=["job"])
    (False, True, False)
    """

    person_id: Identifier
    date: Day
    hours_reference_week: Hours | None = None
    temporarily_absent: StrictBool = False
    activities: tuple[ActivityKind, ...] = ()

    @model_validator(mode="after")
    def _checked_by_the_kernel(self) -> WorkActivity:
        if len(set(self.activities)) != len(self.activities):
            raise IndicatorError(f"activities: {list(self.activities)} names a kind twice")
        employed_ilo(self.hours_reference_week, self.temporarily_absent)
        return self

    @property
    def employed(self) -> bool | None:
        """Employed by the ILO definition; ``None`` if hours are unknown."""
        return _flag(employed_ilo(self.hours_reference_week, self.temporarily_absent))

    def work_or_activity(self, counted: Iterable[str] = DEFAULT_WORK_ORIENTED) -> bool | None:
        """In work or in an activity of the ``counted`` kinds (a programme-local set)."""
        return _flag(
            work_or_activity(
                self.hours_reference_week,
                self.temporarily_absent,
                activity_mask(self.activities),
                counted,
            )
        )


class UpperSecondary(FrozenModel):
    """A young person's upper secondary education: start, programme, completion.

    Examples
    --------
    >>> from fit_scores.living_conditions import UpperSecondary
    >>> u = UpperSecondary(person_id="jente", programme="vocational", start_year=2019,
    ...                    completed_year=2024, status_year=2025)
    >>> u.on_normed_time, u.within_window
    (False, True)
    """

    person_id: Identifier
    programme: Programme
    start_year: Year
    completed_year: Year | None = None
    status_year: Year

    @model_validator(mode="after")
    def _checked_by_the_kernel(self) -> UpperSecondary:
        self._flags()
        return self

    def _flags(self) -> tuple[bool | None, bool | None]:
        normed, window = upper_secondary_completion(
            self.start_year, self.completed_year, self.programme, self.status_year
        )
        return _flag(normed), _flag(window)

    @property
    def on_normed_time(self) -> bool | None:
        """Completed within normed time (3 or 4 years); ``None`` while still open."""
        return self._flags()[0]

    @property
    def within_window(self) -> bool | None:
        """Completed within 5 (general) or 6 (vocational) years; ``None`` while still open."""
        return self._flags()[1]


class LeisureActivity(FrozenModel):
    """One leisure activity: a programme-local kind key and how often it takes place."""

    kind: Identifier
    frequency: LeisureFrequency


class LeisureParticipation(FrozenModel):
    """A person's leisure activities at a yearly mapping (an empty list: none).

    Examples
    --------
    >>> from fit_scores.living_conditions import LeisureParticipation
    >>> p = LeisureParticipation(person_id="gutt", date="2025-01-10",
    ...                          activities=[{"kind": "fotball", "frequency": "weekly"}])
    >>> p.participates(), LeisureParticipation(person_id="gutt", date="2025-01-10").participates()
    (True, False)
    """

    person_id: Identifier
    date: Day
    activities: tuple[LeisureActivity, ...] = ()

    def participates(
        self, minimum: LeisureFrequency = "weekly", kinds: Iterable[str] | None = None
    ) -> bool:
        """Takes part in an activity (of ``kinds``, if given) at least as often as ``minimum``."""
        wanted = None if kinds is None else set(kinds)
        codes = [
            LEISURE_FREQUENCIES.index(a.frequency)
            for a in self.activities
            if wanted is None or a.kind in wanted
        ]
        most = LEISURE_FREQUENCIES[int(np.max(codes))] if codes else "never"
        return bool(leisure_participation(most, minimum))
