"""Goal Attainment Scaling (GAS): the T-score kernel, change and goals achieved.

These functions take plain arrays. One family is a 1-D sequence of goal
levels; many families are a 2-D array (one row per family, ``NaN`` where a
family has no goal in that column) or a ragged list of lists. The plan's
records (:class:`~fit_scores.goals.FamilyPlan`) call the same kernel with a
batch of one.

References
----------
.. [1] Kiresuk TJ, Sherman RE. Goal attainment scaling: a general method for
   evaluating comprehensive community mental health programs. Community Ment
   Health J. 1968;4(6):443-453. doi:10.1007/BF01530764
.. [2] Turner-Stokes L. Goal attainment scaling (GAS) in rehabilitation: a
   practical guide. Clin Rehabil. 2009;23:362-370, with its erratum correcting
   the formulas on pp. 364 and 367.
.. [3] Turner-Stokes L, Williams H. Goal attainment scaling: a direct
   comparison of alternative rating methods. Clin Rehabil. 2010;24(1):66-73.
   PMID 20026573.
.. [4] Dunn T. gasr: goal attainment scaling in R (MIT licence),
   ``R/calculate.R``, ``calc_tscore``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from decimal import Decimal
from typing import Final, Literal, overload

import numpy as np
import numpy.typing as npt

from fit_scores.errors import GoalError

__all__ = [
    "BASELINE_LEVELS",
    "DEFAULT_RHO",
    "GAS_LEVELS",
    "LOINC_GAS_ANSWER_LIST",
    "LOINC_GAS_BASELINE",
    "LOINC_GAS_CAREGIVER_FOLLOW_UP",
    "LOINC_GAS_PATIENT_FOLLOW_UP",
    "LOINC_GAS_PRACTITIONER_FOLLOW_UP",
    "LOINC_GAS_REPORTED",
    "PARTIAL_LEVEL",
    "GasScale",
    "analysis_levels",
    "check_goal_baselines",
    "check_goal_people",
    "gas_change",
    "gas_t_score",
    "goal_achieved",
    "share_achieved",
]

FloatArray = npt.NDArray[np.float64]
LevelsLike = Sequence[object] | Sequence[Sequence[object]] | npt.ArrayLike

GasScale = Literal["standard_5", "six_point_v1", "six_point_v2"]
"""The rating methods compared by Turner-Stokes & Williams 2010 [3].

``standard_5`` is the 5-point scale -2..+2; ``six_point_v1`` sets every
baseline at -2 and adds -3 for worsening; ``six_point_v2`` adds -0.5 for
partial achievement of a goal that started at -1.
"""

GAS_LEVELS: Final[dict[str, tuple[float, ...]]] = {
    "standard_5": (-2.0, -1.0, 0.0, 1.0, 2.0),
    "six_point_v1": (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0),
    "six_point_v2": (-2.0, -1.0, -0.5, 0.0, 1.0, 2.0),
}
"""The levels of each rating method (Turner-Stokes & Williams 2010 [3])."""

BASELINE_LEVELS: Final[dict[str, tuple[float, ...]]] = {
    "standard_5": (-2.0, -1.0),
    "six_point_v1": (-2.0,),
    "six_point_v2": (-2.0, -1.0),
}
"""Allowed baseline levels per method.

Version 1 sets every baseline at -2 ([3]). For the standard method (and
Version 2, which differs only by the partial level) the baseline is
conventionally -1, or -2 when worsening is impossible; the abstract of [3]
only implies -1, so the -2 option is a convention not verified there.
"""

PARTIAL_LEVEL: Final = -0.5
"""Version 2's "partial achievement"; converted to -1 for analysis and reporting ([3])."""

DEFAULT_RHO: Final = 0.3
"""The expected correlation of the goal scales used by Kiresuk & Sherman [1] and [2]."""

# FHIR-friendly codes, from the HL7 PCO implementation guide (github HL7/pco-ig,
# input/fsh/GASTerminology.fsh, and the STU1 ValueSet page).
LOINC_GAS_REPORTED: Final = "107332-9"
"""LOINC "Goal attainment scale - Reported" (the T-score)."""
LOINC_GAS_PRACTITIONER_FOLLOW_UP: Final = "107333-7"
"""LOINC practitioner follow-up score (a coordinator's rating)."""
LOINC_GAS_PATIENT_FOLLOW_UP: Final = "107334-5"
"""LOINC patient follow-up score (the person's own rating)."""
LOINC_GAS_CAREGIVER_FOLLOW_UP: Final = "107331-1"
"""LOINC caregiver follow-up score (a parent rating a child's goal)."""
LOINC_GAS_BASELINE: Final = "112296-9"
"""LOINC "Goal attainment scale GAS baseline" (listed on the PCO STU1 ValueSet page)."""
LOINC_GAS_ANSWER_LIST: Final = "LL6900-6"
"""LOINC answer list of the GAS levels."""

_ALL_LEVELS_X2 = np.array([-6.0, -4.0, -2.0, -1.0, 0.0, 2.0, 4.0])  # 2 x {-3..2, -0.5}


# --- input ---------------------------------------------------------------------------------


def _cell(value: object, name: str, where: str) -> float:
    """One level or weight as a float; ``None`` and NaN mean absent."""
    if value is None:
        return math.nan
    if isinstance(value, bool | np.bool_):
        raise GoalError(f"{name}{where}: a boolean ({value!r}) is not a number")
    if isinstance(value, str | bytes):
        raise GoalError(f"{name}{where}: a string ({value!r}) is not a number")
    if not isinstance(value, numbers.Real | Decimal):
        raise GoalError(f"{name}{where}: {type(value).__name__} is not a number")
    try:
        number = float(value)
    except (OverflowError, ValueError):  # 10**400, Decimal('sNaN')
        raise GoalError(f"{name}{where}: {value!r} is not a finite number") from None
    if math.isinf(number):
        raise GoalError(f"{name}{where}: {value!r} is not a finite number")
    return number


def _is_row(value: object) -> bool:
    return isinstance(value, Sequence | np.ndarray) and not isinstance(value, str | bytes)


def _matrix(values: object, name: str) -> tuple[FloatArray, bool]:
    """(2-D float array, True if the input was one family)."""
    if hasattr(values, "__array__") and not isinstance(values, np.ndarray):
        values = np.asarray(values)  # a pandas or polars frame or column
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        if values.ndim not in (1, 2):
            raise GoalError(f"{name}: expected 1 or 2 dimensions, got {values.ndim}")
        out = values.astype(np.float64)
        if np.isinf(out).any():
            raise GoalError(f"{name}: infinity is not a number of a goal")
        return (out[None, :], True) if out.ndim == 1 else (out, False)
    if isinstance(values, np.ndarray) and values.dtype.kind == "b":
        raise GoalError(f"{name}: booleans are not numbers")
    if not _is_row(values):
        raise GoalError(f"{name}: expected a sequence of numbers, got {type(values).__name__}")
    seq = list(values)  # type: ignore[call-overload]
    if not any(_is_row(v) for v in seq):
        return np.array([[_cell(v, name, f"[{j}]") for j, v in enumerate(seq)]]), True
    rows = []
    for i, row in enumerate(seq):
        if not _is_row(row):
            raise GoalError(f"{name}[{i}]: expected a sequence of goals for family row {i}")
        rows.append([_cell(v, name, f"[{i}][{j}]") for j, v in enumerate(row)])
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), np.nan)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out, False


def _where(row: int, goal: int | None, one: bool) -> str:
    if goal is None:
        return "" if one else f" (family row {row})"
    return f"[{goal}]" if one else f"[{row}][{goal}]"


def _check_levels(levels: FloatArray, one: bool, name: str = "levels") -> None:
    present = ~np.isnan(levels)
    bad = present & ~np.isin(levels * 2.0, _ALL_LEVELS_X2)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise GoalError(
            f"{name}{_where(i, j, one)}: {float(levels[i, j])!r} is not a GAS level "
            "(-3, -2, -1, -0.5, 0, 1 or 2)"
        )


def _check_rho(rho: object) -> float:
    if isinstance(rho, bool | np.bool_) or not isinstance(rho, numbers.Real | Decimal):
        raise GoalError(f"rho: expected a number in [0, 1), got {rho!r}")
    try:
        value = float(rho)
    except (OverflowError, ValueError):
        raise GoalError(f"rho: expected a number in [0, 1), got {rho!r}") from None
    if not 0.0 <= value < 1.0:  # NaN fails too
        raise GoalError(f"rho: {rho!r} is outside [0, 1)")
    return value


def _weights(weights: object, levels: FloatArray, one: bool) -> FloatArray:
    present = ~np.isnan(levels)
    if weights is None:
        return present.astype(np.float64)
    w, _ = _matrix(weights, "weights")
    if w.shape != levels.shape:
        if w.shape[0] == 1 and w.shape[1] == levels.shape[1]:
            w = np.broadcast_to(w, levels.shape)
        else:
            raise GoalError(
                f"weights: shape {w.shape if not one else (w.shape[1],)} does not match the "
                f"levels' shape {levels.shape if not one else (levels.shape[1],)}"
            )
    missing = present & np.isnan(w)
    if missing.any():
        i, j = (int(k) for k in np.argwhere(missing)[0])
        raise GoalError(
            f"weights{_where(i, j, one)}: the goal has a level but no weight; give every rated "
            "goal a weight, or no weights at all"
        )
    negative = present & (w < 0)
    if negative.any():
        i, j = (int(k) for k in np.argwhere(negative)[0])
        raise GoalError(f"weights{_where(i, j, one)}: {float(w[i, j])!r} is below zero")
    w = np.where(present, w, 0.0)
    # all weights zero: equal weights, as gasr's calc_tscore does [4]
    zero_rows: npt.NDArray[np.bool_] = ~np.any(w > 0, axis=1)
    return np.where(zero_rows[:, None] & present, 1.0, w)


# --- kernels --------------------------------------------------------------------------------


def analysis_levels(levels: npt.ArrayLike) -> FloatArray:
    """Levels for analysis: Version 2's partial level -0.5 becomes -1.

    Turner-Stokes & Williams 2010 [3]: "For analysis and reporting, '-0.5'
    scores should be converted to '-1'." Other levels (and ``NaN``) pass
    unchanged.

    Parameters
    ----------
    levels : array_like of float
        Goal levels.

    Returns
    -------
    numpy.ndarray of float
        The levels with -0.5 replaced by -1.

    Examples
    --------
    >>> from fit_scores.goals import analysis_levels
    >>> analysis_levels([-0.5, 0, 1]).tolist()
    [-1.0, 0.0, 1.0]
    """
    arr = np.asarray(levels, dtype=np.float64)
    return np.where(arr == PARTIAL_LEVEL, -1.0, arr)


@overload
def gas_t_score(
    levels: Sequence[float | int | None], weights: object = ..., rho: float = ...
) -> float: ...
@overload
def gas_t_score(levels: object, weights: object = ..., rho: float = ...) -> float | FloatArray: ...
def gas_t_score(
    levels: object, weights: object = None, rho: float = DEFAULT_RHO
) -> float | FloatArray:
    r"""The GAS T-score of one family's goals, or of many families at once.

    Parameters
    ----------
    levels : sequence of float, 2-D array_like, or list of sequences
        One family: a 1-D sequence of goal levels (-3..2; ``None`` or ``NaN``
        marks a goal without a level and is left out). Many families: a 2-D
        array with one row per family and ``NaN`` where a family has no goal,
        or a ragged list of per-family sequences. Version 2's partial level
        -0.5 is converted to -1 before scoring ([3]).
    weights : array_like of float, optional
        One non-negative weight per goal, in the shape of ``levels`` (or one
        row of weights shared by every family). Default: equal weights. A
        family whose weights are all zero gets equal weights (as gasr [4]).
        A goal with a level must have a weight.
    rho : float, default 0.3
        The expected correlation of the goal scales, 0 <= rho < 1 ([1], [2]).

    Returns
    -------
    float or numpy.ndarray
        A float for one family; an array with one T-score per row for many.

    Raises
    ------
    GoalError
        If a family has no goal with a level, a level is not a GAS level, a
        weight is missing, negative or not a number, or rho is outside [0, 1).

    Notes
    -----
    From the erratum to Turner-Stokes 2009 [2] (Kiresuk & Sherman [1]):

    .. math:: T = 50 + \frac{10 \sum_i w_i x_i}
                        {\sqrt{(1-\rho)\sum_i w_i^2 + \rho\,(\sum_i w_i)^2}}

    with :math:`x_i` the level achieved on goal :math:`i` and :math:`w_i` its
    weight (1 for equal weights). T is 50 when every goal is met exactly and
    has a standard deviation of about 10 under the model's assumptions.

    Examples
    --------
    >>> from fit_scores.goals import gas_t_score
    >>> gas_t_score([-2, 0, -1, 2, 0, 1], weights=[3, 5, 1, 4, 2, 6])
    55.0
    >>> round(gas_t_score([-1, -1]), 4)
    37.5965
    >>> gas_t_score([[1, -1], [0, float("nan")]], weights=[2, 1]).round(4).tolist()
    [54.0161, 50.0]
    """
    x, one = _matrix(levels, "levels")
    r = _check_rho(rho)
    _check_levels(x, one)
    x = analysis_levels(x)
    present = ~np.isnan(x)
    empty = ~present.any(axis=1)
    if empty.any():
        row = int(np.flatnonzero(empty)[0])
        raise GoalError(
            "levels: no goal has a level"
            + ("" if one else f" in family row {row}")
            + "; a T-score needs at least one rated goal"
        )
    w = _weights(weights, x, one)
    sw = w.sum(axis=1)
    swx = np.where(present, w * np.where(present, x, 0.0), 0.0).sum(axis=1)
    denominator = np.sqrt((1.0 - r) * (w * w).sum(axis=1) + r * sw * sw)
    t = 50.0 + 10.0 * swx / denominator
    return float(t[0]) if one else t


def gas_change(
    baseline: object,
    follow_up: object,
    weights: object = None,
    rho: float = DEFAULT_RHO,
) -> float | FloatArray:
    """T-score change from baseline: ``T(follow_up) - T(baseline)`` on the same goals.

    Parameters
    ----------
    baseline, follow_up : array_like
        Levels in the same layout as :func:`gas_t_score`; a goal must have a
        level in both or in neither.
    weights : array_like of float, optional
        As in :func:`gas_t_score`, shared by both time points.
    rho : float, default 0.3
        As in :func:`gas_t_score`.

    Returns
    -------
    float or numpy.ndarray
        The change in T-score points, per family.

    Raises
    ------
    GoalError
        If the two inputs differ in shape or in which goals have a level, or
        for any reason :func:`gas_t_score` raises.

    Examples
    --------
    >>> from fit_scores.goals import gas_change
    >>> round(gas_change([-1, -1, -1], [0, 0, 0]), 4)
    13.6931
    """
    b, one_b = _matrix(baseline, "baseline")
    f, one_f = _matrix(follow_up, "follow_up")
    if b.shape != f.shape or one_b != one_f:
        raise GoalError(f"follow_up: shape {f.shape} differs from the baseline's {b.shape}")
    differs = np.isnan(b) != np.isnan(f)
    if differs.any():
        i, j = (int(k) for k in np.argwhere(differs)[0])
        raise GoalError(
            f"follow_up{_where(i, j, one_b)}: the goal has a level at one time point only; "
            "change compares the same goals"
        )
    arg_b: object = b[0] if one_b else b
    arg_f: object = f[0] if one_f else f
    return gas_t_score(arg_f, weights, rho) - gas_t_score(arg_b, weights, rho)


def goal_achieved(levels: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Per goal: whether the expected level (0) or better is reached.

    Version 2's -0.5 counts as -1 (not achieved); ``NaN`` (no level) gives
    ``False``. Use :func:`share_achieved` for shares that leave such goals
    out.

    Parameters
    ----------
    levels : array_like of float
        Goal levels.

    Returns
    -------
    numpy.ndarray of bool
        ``level >= 0`` per goal.

    Examples
    --------
    >>> from fit_scores.goals import goal_achieved
    >>> goal_achieved([-1, 0, 2, -0.5]).tolist()
    [False, True, True, False]
    """
    arr = np.asarray(levels, dtype=np.float64)
    return np.asarray(arr >= 0.0, dtype=np.bool_)  # NaN >= 0 is False


def share_achieved(levels: object) -> float | FloatArray:
    """Share of a family's rated goals at the expected level (0) or better.

    Parameters
    ----------
    levels : array_like
        Levels in the layout of :func:`gas_t_score`; goals without a level
        are left out of numerator and denominator.

    Returns
    -------
    float or numpy.ndarray
        The share per family.

    Raises
    ------
    GoalError
        If a family has no rated goal or a level is not a GAS level.

    Examples
    --------
    >>> from fit_scores.goals import share_achieved
    >>> share_achieved([-1, 0, 1, None])
    0.6666666666666666
    """
    x, one = _matrix(levels, "levels")
    _check_levels(x, one)
    present = ~np.isnan(x)
    n = present.sum(axis=1)
    if (n == 0).any():
        row = int(np.flatnonzero(n == 0)[0])
        raise GoalError("levels: no goal has a level" + ("" if one else f" in family row {row}"))
    share = goal_achieved(x).sum(axis=1) / n
    return float(share[0]) if one else share


def check_goal_people(
    goal_ids: Sequence[object], goal_for: Sequence[object], person_ids: Sequence[object]
) -> None:
    """A family goal has no person; a person's or a child's goal names one.

    The rule of :class:`~fit_scores.goals.Goal` for one goal or a batch of
    goal rows (the cohort tables): raises for the first row that breaks it.

    Raises
    ------
    GoalError
        Naming the goal and what is wrong.

    Examples
    --------
    >>> check_goal_people(["g1", "g2"], ["family", "child"], [None, "barn"])
    >>> check_goal_people(["g1"], ["person"], [None])
    Traceback (most recent call last):
    ...
    fit_scores.errors.GoalError: goal 'g1': person_id is required for a goal of a person
    """
    no_person = np.array([p is None for p in person_ids], dtype=bool)
    wrong = (np.asarray(goal_for, dtype=object) == "family") != no_person
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        where = f"goal {goal_ids[i]!r}"
        raise GoalError(
            f"{where}: person_id is required for a goal of a {goal_for[i]}"
            if no_person[i]
            else f"{where}: a family goal has no person_id (got {person_ids[i]!r})"
        )


def check_goal_baselines(
    goal_ids: Sequence[object], methods: Sequence[object], baselines: npt.ArrayLike
) -> None:
    """Each goal's baseline level is a baseline of its rating method (:data:`BASELINE_LEVELS`).

    Raises
    ------
    GoalError
        For the first goal whose baseline is not one of its method's.

    Examples
    --------
    >>> check_goal_baselines(["g1"], ["standard_5"], [-1.0])
    >>> check_goal_baselines(["g1"], ["six_point_v1"], [-1.0])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fit_scores.errors.GoalError: goal 'g1': baseline_level -1 is not a baseline of the ...
    """
    method = np.asarray(methods, dtype=object)
    base = np.asarray(baselines, dtype=np.float64)
    for name, allowed in BASELINE_LEVELS.items():
        off = (method == name) & ~np.isin(base, allowed)
        if off.any():
            i = int(np.flatnonzero(off)[0])
            shown = ", ".join(f"{v:g}" for v in allowed)
            raise GoalError(
                f"goal {goal_ids[i]!r}: baseline_level {base[i]:g} is not a baseline of the "
                f"{name} method ({shown})"
            )
