"""Living-conditions indicators of the yearly mapping, with the official Norwegian definitions.

Kernels (scalars or cohort arrays): :func:`consumption_units`,
:func:`equivalised_income`, :func:`low_income`, :func:`persistent_low_income`,
:func:`crowded`, :func:`employed_ilo`, :func:`work_or_activity`,
:func:`upper_secondary_completion`, :func:`leisure_participation`. Records (a
batch of one): :class:`HouseholdIncome`, :class:`Housing`,
:class:`WorkActivity`, :class:`UpperSecondary`, :class:`LeisureParticipation`.

Examples
--------
>>> from fit_scores.living_conditions import low_income
>>> low_income([420_000, 480_000], [2, 2], [2, 2], median=350_000).tolist()
[True, False]
"""

from fit_scores.living_conditions.kernels import (
    ACTIVITY_KINDS,
    CROWDING_DEFINITIONS,
    DEFAULT_WORK_ORIENTED,
    LEISURE_FREQUENCIES,
    LOW_INCOME_DEFINITIONS,
    NORMED_YEARS,
    WINDOW_YEARS,
    ActivityKind,
    CrowdingDefinition,
    EquivalenceScale,
    LeisureFrequency,
    LowIncomeDefinition,
    Programme,
    activity_mask,
    consumption_units,
    consumption_units_tenths,
    crowded,
    employed_ilo,
    equivalised_income,
    leisure_participation,
    low_income,
    persistent_low_income,
    upper_secondary_completion,
    work_or_activity,
)
from fit_scores.living_conditions.records import (
    HouseholdIncome,
    Housing,
    LeisureActivity,
    LeisureParticipation,
    UpperSecondary,
    WorkActivity,
    persistent_low_income_of,
)

__all__ = [
    "ACTIVITY_KINDS",
    "CROWDING_DEFINITIONS",
    "DEFAULT_WORK_ORIENTED",
    "LEISURE_FREQUENCIES",
    "LOW_INCOME_DEFINITIONS",
    "NORMED_YEARS",
    "WINDOW_YEARS",
    "ActivityKind",
    "CrowdingDefinition",
    "EquivalenceScale",
    "HouseholdIncome",
    "Housing",
    "LeisureActivity",
    "LeisureFrequency",
    "LeisureParticipation",
    "LowIncomeDefinition",
    "Programme",
    "UpperSecondary",
    "WorkActivity",
    "activity_mask",
    "consumption_units",
    "consumption_units_tenths",
    "crowded",
    "employed_ilo",
    "equivalised_income",
    "leisure_participation",
    "low_income",
    "persistent_low_income",
    "persistent_low_income_of",
    "upper_secondary_completion",
    "work_or_activity",
]
