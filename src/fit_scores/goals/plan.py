"""Familiens plan: goals, dated goal ratings and goal attainment (GAS) per family.

A :class:`Goal` is written by the family and the coordinator together: a
domain, the coordinator's own descriptions of the levels (so no licensed
wording is involved), a baseline level and optional weights. A
:class:`GoalRating` is one dated rating of one goal by the family, the
coordinator or the child. A :class:`FamilyPlan` holds a family's goals and
ratings, checks that they fit together, and scores them with the same
kernel as a cohort (:func:`~fit_scores.goals.gas_t_score`, a batch of one).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Literal

import numpy as np
from pydantic import (
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from fit_scores._model import FrozenModel
from fit_scores.errors import GoalError
from fit_scores.goals.kernels import (
    DEFAULT_RHO,
    GAS_LEVELS,
    LOINC_GAS_CAREGIVER_FOLLOW_UP,
    LOINC_GAS_PATIENT_FOLLOW_UP,
    LOINC_GAS_PRACTITIONER_FOLLOW_UP,
    LOINC_GAS_REPORTED,
    PARTIAL_LEVEL,
    GasScale,
    analysis_levels,
    check_goal_baselines,
    check_goal_people,
    gas_t_score,
    goal_achieved,
)
from fit_scores.records.fields import Day, Identifier, OptionalDay

__all__ = [
    "GOAL_DOMAINS",
    "FamilyPlan",
    "Goal",
    "GoalAttainment",
    "GoalDomain",
    "GoalFor",
    "GoalRater",
    "GoalRating",
    "LevelDescription",
    "Weighting",
    "loinc_code",
]

GoalDomain = Literal["work", "economy", "housing", "leisure", "health", "other"]
GOAL_DOMAINS: tuple[GoalDomain, ...] = ("work", "economy", "housing", "leisure", "health", "other")
GoalFor = Literal["family", "person", "child"]
GoalRater = Literal["family", "coordinator", "child"]
Weighting = Literal["equal", "weight", "importance_x_difficulty"]

_ALL_LEVELS = frozenset(GAS_LEVELS["six_point_v1"] + GAS_LEVELS["six_point_v2"])


def _level(value: object) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real | Decimal):
        raise GoalError(f"a GAS level must be a number, got {value!r}")
    number = float(value)
    if number not in _ALL_LEVELS:
        raise GoalError(f"{value!r} is not a GAS level (-3, -2, -1, -0.5, 0, 1 or 2)")
    return number


def _level_out(value: float) -> int | float:
    return int(value) if value.is_integer() else value


GasLevel = Annotated[
    float,
    PlainValidator(_level),
    PlainSerializer(_level_out, return_type=int | float),
    WithJsonSchema({"type": "number", "enum": [-3, -2, -1, -0.5, 0, 1, 2]}),
]
"""A GAS level: -3..2, or Version 2's -0.5; serialised as an integer where whole."""


def _weight(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real | Decimal):
        raise GoalError(f"weight: expected a number >= 0, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise GoalError(f"weight: {value!r} is not a finite number >= 0")
    return number


OptionalWeight = Annotated[
    float | None,
    PlainValidator(_weight),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}]}),
]
ZeroToThree = Annotated[int, Field(strict=True, ge=0, le=3)]


class LevelDescription(FrozenModel):
    """The coordinator's own description of one level of a goal."""

    level: GasLevel
    text: Annotated[str, Field(min_length=1, max_length=2000)]


class Goal(FrozenModel):
    """One goal of a family's plan, scaled for Goal Attainment Scaling.

    Parameters
    ----------
    id : str
        Goal id, unique within the family's plan.
    family_id : str
        The family's id (as :attr:`fit_scores.Family.id`).
    goal_for : {"family", "person", "child"}
        A goal of the whole family, of one adult (``"person"``) or of one
        child; ``person_id`` names the member unless it is ``"family"``.
    person_id : str, optional
        The member's id (as :attr:`fit_scores.Person.id`).
    domain : {"work", "economy", "housing", "leisure", "health", "other"}
        The area of life the goal belongs to.
    scale : {"standard_5", "six_point_v1", "six_point_v2"}
        The rating method (Turner-Stokes & Williams 2010), see
        :data:`~fit_scores.goals.GAS_LEVELS`.
    set_on : datetime.date
        The date the goal was set; its ratings are on or after it.
    review_due : datetime.date, optional
        When the goal is due for review.
    level_descriptions : sequence of LevelDescription, or mapping level -> text
        The coordinator's own words for the levels. Every level must be on
        the goal's scale, and the expected outcome (level 0) must be
        described.
    baseline_level : float
        The level when the goal was set: -1 or -2 on the standard scale and
        Version 2, -2 on Version 1 (:data:`~fit_scores.goals.BASELINE_LEVELS`).
    importance, difficulty : int, optional
        0-3: the family's view of the goal's importance and the team's view of
        its difficulty (Turner-Stokes 2009). Their use as a weight
        (``weighting="importance_x_difficulty"``, weight = importance x
        difficulty) follows the GAS toolkit as commonly cited; the 0-3 scales
        and the product were not verified in the primary text.
    weight : float, optional
        An explicit weight >= 0, used with ``weighting="weight"``.

    Examples
    --------
    >>> from fit_scores.goals import Goal
    >>> g = Goal(id="g1", family_id="f1", domain="work", set_on="2025-01-10",
    ...          level_descriptions={0: "Mor har deltidsjobb", -1: "Mor søker jobb"},
    ...          baseline_level=-1)
    >>> g.levels
    (-2.0, -1.0, 0.0, 1.0, 2.0)
    >>> g.description(0)
    'Mor har deltidsjobb'
    """

    id: Identifier
    family_id: Identifier
    goal_for: GoalFor = "family"
    person_id: Identifier | None = None
    domain: GoalDomain
    scale: GasScale = "standard_5"
    set_on: Day
    review_due: OptionalDay = None
    level_descriptions: tuple[LevelDescription, ...]
    baseline_level: GasLevel
    importance: ZeroToThree | None = None
    difficulty: ZeroToThree | None = None
    weight: OptionalWeight = None

    @field_validator("level_descriptions", mode="before")
    @classmethod
    def _descriptions_from_mapping(cls, value: object) -> object:
        if isinstance(value, Mapping):
            return tuple({"level": k, "text": v} for k, v in value.items())
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Goal:
        where = f"goal {self.id!r}"
        check_goal_people([self.id], [self.goal_for], [self.person_id])  # a batch of one
        if self.review_due is not None and self.review_due < self.set_on:
            raise GoalError(
                f"{where}: review_due {self.review_due.isoformat()} is before set_on "
                f"{self.set_on.isoformat()}"
            )
        check_goal_baselines([self.id], [self.scale], [self.baseline_level])
        seen: set[float] = set()
        for d in self.level_descriptions:
            if d.level not in self.levels:
                raise GoalError(
                    f"{where}: level_descriptions has level {_level_out(d.level)}, which is not "
                    f"on the {self.scale} scale"
                )
            if d.level in seen:
                raise GoalError(
                    f"{where}: level_descriptions describes level {_level_out(d.level)} twice"
                )
            seen.add(d.level)
        if 0.0 not in seen:
            raise GoalError(
                f"{where}: level_descriptions must describe level 0, the expected outcome"
            )
        return self

    @property
    def levels(self) -> tuple[float, ...]:
        """The levels of the goal's rating method."""
        return GAS_LEVELS[self.scale]

    def description(self, level: float) -> str | None:
        """The coordinator's description of ``level``, or ``None`` if not written."""
        for d in self.level_descriptions:
            if d.level == level:
                return d.text
        return None

    def weight_for(self, weighting: Weighting) -> float:
        """The goal's weight under a weighting scheme.

        Raises
        ------
        GoalError
            If the scheme needs a field the goal lacks.
        """
        if weighting == "equal":
            return 1.0
        if weighting == "weight":
            if self.weight is None:
                raise GoalError(f"goal {self.id!r}: weighting='weight' needs the goal's weight")
            return self.weight
        if self.importance is None or self.difficulty is None:
            raise GoalError(
                f"goal {self.id!r}: weighting='importance_x_difficulty' needs importance and "
                "difficulty"
            )
        return float(self.importance * self.difficulty)


class GoalRating(FrozenModel):
    """One dated rating of a goal's level by the family, the coordinator or the child.

    Examples
    --------
    >>> from fit_scores.goals import GoalRating
    >>> GoalRating(goal_id="g1", date="2025-06-01", level=0, rater="coordinator").level
    0.0
    """

    goal_id: Identifier
    date: Day
    level: GasLevel
    rater: GoalRater


class GoalAttainment(FrozenModel):
    """The GAS result of a family's plan at one date, by one rater.

    ``goal_ids``, ``levels`` (as rated), ``baseline_levels`` and ``weights``
    are aligned: the rated goals that enter the T-score. Levels enter the
    score as :func:`~fit_scores.goals.analysis_levels` (-0.5 as -1).
    ``unrated`` lists goals that were set but have no rating by this rater
    yet. With no rated goal the scores are ``None``.
    """

    family_id: Identifier
    at: OptionalDay
    rater: GoalRater
    rho: float
    weighting: Weighting
    goal_ids: tuple[str, ...]
    levels: tuple[GasLevel, ...]
    baseline_levels: tuple[GasLevel, ...]
    weights: tuple[float, ...]
    unrated: tuple[str, ...]
    t_score: float | None
    baseline_t_score: float | None
    change: float | None
    n_achieved: int
    share_achieved: float | None
    loinc: str = LOINC_GAS_REPORTED


def loinc_code(rater: GoalRater, goal_for: GoalFor) -> str:
    """The LOINC code of a follow-up rating (HL7 PCO implementation guide).

    The coordinator is the practitioner; a child rating its own goal, or an
    adult (the family) rating a family's or an adult's goal, is the patient;
    the family rating a child's goal is the caregiver.

    Examples
    --------
    >>> from fit_scores.goals import loinc_code
    >>> loinc_code("coordinator", "family"), loinc_code("family", "child")
    ('107333-7', '107331-1')
    """
    if rater == "coordinator":
        return LOINC_GAS_PRACTITIONER_FOLLOW_UP
    if rater == "family" and goal_for == "child":
        return LOINC_GAS_CAREGIVER_FOLLOW_UP
    return LOINC_GAS_PATIENT_FOLLOW_UP


class FamilyPlan(FrozenModel):
    """Familiens plan: a family's goals and their dated ratings.

    Validation checks that every goal belongs to the family and has a unique
    id, and that every rating names a goal of the plan, is on or after the
    day the goal was set, uses a level of the goal's scale (Version 2's -0.5
    only for a goal that started at -1), and is the only rating of that goal
    by that rater on that date.

    Examples
    --------
    >>> from fit_scores.goals import FamilyPlan
    >>> plan = FamilyPlan(
    ...     family_id="f1",
    ...     goals=[
    ...         {"id": "jobb", "family_id": "f1", "goal_for": "person", "person_id": "mor",
    ...          "domain": "work", "set_on": "2025-01-10", "baseline_level": -1,
    ...          "level_descriptions": {0: "Deltidsjobb"}},
    ...         {"id": "fritid", "family_id": "f1", "goal_for": "child", "person_id": "gutt",
    ...          "domain": "leisure", "set_on": "2025-01-10", "baseline_level": -1,
    ...          "level_descriptions": {0: "Fotball hver uke"}},
    ...     ],
    ...     ratings=[
    ...         {"goal_id": "jobb", "date": "2025-12-01", "level": 0, "rater": "coordinator"},
    ...         {"goal_id": "fritid", "date": "2025-12-01", "level": 1, "rater": "coordinator"},
    ...     ],
    ... )
    >>> result = plan.attainment()
    >>> round(result.t_score, 4), round(result.baseline_t_score, 4), result.share_achieved
    (56.2017, 37.5965, 1.0)
    """

    family_id: Identifier
    goals: tuple[Goal, ...] = ()
    ratings: tuple[GoalRating, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> FamilyPlan:
        by_id: dict[str, Goal] = {}
        for i, goal in enumerate(self.goals):
            if goal.family_id != self.family_id:
                raise GoalError(
                    f"goals[{i}]: goal {goal.id!r} belongs to family {goal.family_id!r}, "
                    f"not {self.family_id!r}"
                )
            if goal.id in by_id:
                raise GoalError(f"goals[{i}]: goal id {goal.id!r} is used twice")
            by_id[goal.id] = goal
        seen: set[tuple[str, dt.date, str]] = set()
        for i, r in enumerate(self.ratings):
            if r.goal_id not in by_id:
                raise GoalError(f"ratings[{i}]: {r.goal_id!r} is not a goal of the plan")
            goal = by_id[r.goal_id]
            if r.date < goal.set_on:
                raise GoalError(
                    f"ratings[{i}]: date {r.date.isoformat()} is before goal {goal.id!r} was "
                    f"set ({goal.set_on.isoformat()})"
                )
            if r.level not in goal.levels:
                raise GoalError(
                    f"ratings[{i}]: level {_level_out(r.level)} is not on the {goal.scale} "
                    f"scale of goal {goal.id!r}"
                )
            if r.level == PARTIAL_LEVEL and goal.baseline_level != -1.0:
                raise GoalError(
                    f"ratings[{i}]: level -0.5 (partial achievement) is for goals that start at "
                    f"-1; goal {goal.id!r} starts at {_level_out(goal.baseline_level)}"
                )
            key = (r.goal_id, r.date, r.rater)
            if key in seen:
                raise GoalError(
                    f"ratings[{i}]: goal {r.goal_id!r} is rated twice by the {r.rater} on "
                    f"{r.date.isoformat()}"
                )
            seen.add(key)
        return self

    def goal(self, goal_id: str) -> Goal:
        """The goal with id ``goal_id``.

        Raises
        ------
        GoalError
            If the plan has no such goal.
        """
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        raise GoalError(f"{goal_id!r} is not a goal of the plan of family {self.family_id!r}")

    def level_at(
        self, goal_id: str, at: dt.date | None = None, *, rater: GoalRater = "coordinator"
    ) -> float | None:
        """The latest level of a goal rated by ``rater`` on or before ``at`` (``None``: none)."""
        self.goal(goal_id)
        best: GoalRating | None = None
        for r in self.ratings:
            if (
                r.goal_id == goal_id
                and r.rater == rater
                and (at is None or r.date <= at)
                and (best is None or r.date > best.date)
            ):
                best = r
        return None if best is None else best.level

    def attainment(
        self,
        at: dt.date | None = None,
        *,
        rater: GoalRater = "coordinator",
        rho: float = DEFAULT_RHO,
        weighting: Weighting = "equal",
        person: str | None = None,
        domain: GoalDomain | None = None,
    ) -> GoalAttainment:
        """GAS T-score, change from baseline and share achieved at a date.

        Parameters
        ----------
        at : datetime.date, optional
            Use the goals set on or before ``at`` and each goal's latest
            rating on or before it; default: everything.
        rater : {"coordinator", "family", "child"}
            Whose ratings to score.
        rho : float, default 0.3
            Expected correlation of the goal scales (Kiresuk & Sherman).
        weighting : {"equal", "weight", "importance_x_difficulty"}
            Equal weights, each goal's ``weight``, or importance x difficulty.
        person : str, optional
            Only the goals of this member.
        domain : str, optional
            Only the goals of this domain.

        Returns
        -------
        GoalAttainment
            The T-score of the rated goals, their baseline T-score (the same
            goals at their baseline levels), the change, and the share
            achieved (level 0 or better).

        Raises
        ------
        GoalError
            If the weighting needs a field a goal lacks, or rho is outside [0, 1).
        """
        if weighting not in ("equal", "weight", "importance_x_difficulty"):
            raise GoalError(
                f"weighting: {weighting!r} is not 'equal', 'weight' or 'importance_x_difficulty'"
            )
        if rater not in ("family", "coordinator", "child"):
            raise GoalError(f"rater: {rater!r} is not 'family', 'coordinator' or 'child'")
        goals = [
            g
            for g in self.goals
            if (at is None or g.set_on <= at)
            and (person is None or g.person_id == person)
            and (domain is None or g.domain == domain)
        ]
        rated: list[tuple[Goal, float]] = []
        unrated: list[str] = []
        for g in goals:
            level = self.level_at(g.id, at, rater=rater)
            if level is None:
                unrated.append(g.id)
            else:
                rated.append((g, level))
        weights = [g.weight_for(weighting) for g, _ in rated]
        levels = [lv for _, lv in rated]
        baseline = [g.baseline_level for g, _ in rated]
        t = t0 = share = None
        achieved = 0
        if rated:
            w = None if weighting == "equal" else np.array([weights])
            t = float(np.atleast_1d(gas_t_score(np.array([levels]), w, rho))[0])
            t0 = float(np.atleast_1d(gas_t_score(np.array([baseline]), w, rho))[0])
            achieved = int(goal_achieved(analysis_levels(levels)).sum())
            share = achieved / len(rated)
        else:
            gas_t_score([0], None, rho)  # validates rho like a scored call
        return GoalAttainment(
            family_id=self.family_id,
            at=at,
            rater=rater,
            rho=rho,
            weighting=weighting,
            goal_ids=tuple(g.id for g, _ in rated),
            levels=tuple(levels),
            baseline_levels=tuple(baseline),
            weights=tuple(weights),
            unrated=tuple(unrated),
            t_score=t,
            baseline_t_score=t0,
            change=None if t is None or t0 is None else t - t0,
            n_achieved=achieved,
            share_achieved=share,
        )

    def loinc_code(self, rating: GoalRating) -> str:
        """The LOINC code of a rating of this plan (see :func:`loinc_code`)."""
        return loinc_code(rating.rater, self.goal(rating.goal_id).goal_for)
