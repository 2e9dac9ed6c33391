"""Familiens plan: goals, goal ratings and Goal Attainment Scaling (GAS).

The kernels (:func:`gas_t_score`, :func:`gas_change`, :func:`share_achieved`)
take arrays for one family or many; the records (:class:`Goal`,
:class:`GoalRating`, :class:`FamilyPlan`) validate a family's plan and score
it through the same kernels.

Examples
--------
>>> from fit_scores.goals import gas_t_score
>>> round(gas_t_score([-1, 0, 1, 2]), 4)
57.2548
"""

from fit_scores.goals.kernels import (
    BASELINE_LEVELS,
    DEFAULT_RHO,
    GAS_LEVELS,
    LOINC_GAS_ANSWER_LIST,
    LOINC_GAS_BASELINE,
    LOINC_GAS_CAREGIVER_FOLLOW_UP,
    LOINC_GAS_PATIENT_FOLLOW_UP,
    LOINC_GAS_PRACTITIONER_FOLLOW_UP,
    LOINC_GAS_REPORTED,
    PARTIAL_LEVEL,
    GasScale,
    analysis_levels,
    gas_change,
    gas_t_score,
    goal_achieved,
    share_achieved,
)
from fit_scores.goals.plan import (
    GOAL_DOMAINS,
    FamilyPlan,
    Goal,
    GoalAttainment,
    GoalDomain,
    GoalFor,
    GoalRater,
    GoalRating,
    LevelDescription,
    Weighting,
    loinc_code,
)

__all__ = [
    "BASELINE_LEVELS",
    "DEFAULT_RHO",
    "GAS_LEVELS",
    "GOAL_DOMAINS",
    "LOINC_GAS_ANSWER_LIST",
    "LOINC_GAS_BASELINE",
    "LOINC_GAS_CAREGIVER_FOLLOW_UP",
    "LOINC_GAS_PATIENT_FOLLOW_UP",
    "LOINC_GAS_PRACTITIONER_FOLLOW_UP",
    "LOINC_GAS_REPORTED",
    "PARTIAL_LEVEL",
    "FamilyPlan",
    "GasScale",
    "Goal",
    "GoalAttainment",
    "GoalDomain",
    "GoalFor",
    "GoalRater",
    "GoalRating",
    "LevelDescription",
    "Weighting",
    "analysis_levels",
    "gas_change",
    "gas_t_score",
    "goal_achieved",
    "loinc_code",
    "share_achieved",
]
