"""The least-squares trend of one track (:meth:`fit_scores.Track.trend`)."""

from __future__ import annotations

import math
import numbers
from typing import Literal

import numpy as np

from fit_scores._core import trend as _trend
from fit_scores._model import FrozenModel
from fit_scores.errors import TrajectoryInputError
from fit_scores.trajectories.axis import FloatArray

__all__ = ["TrendResult", "trend_of"]


class TrendResult(FrozenModel):
    """A least-squares trend of one track.

    ``slope`` is in points per ``unit``: per session (``time="session"``),
    per 30 days (``"days"``) or per unit of log(session) (``"log_session"``).
    With fewer than three scores the status is ``"not_enough_data"`` and the
    numbers are ``None``.
    """

    status: Literal["ok", "not_enough_data"]
    n: int
    time: Literal["session", "days", "log_session"]
    unit: Literal["per session", "per 30 days", "per log session"]
    slope: float | None
    intercept: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    level: float


def trend_of(
    times: FloatArray, scores: FloatArray, *, time: str, level: float = 0.95
) -> TrendResult:
    """The trend of one series (``times`` already on the chosen axis, per 30 days for days)."""
    unit = {"session": "per session", "days": "per 30 days", "log_session": "per log session"}
    if time not in unit:
        raise TrajectoryInputError(f"time must be 'session', 'days' or 'log_session', got {time!r}")
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise TrajectoryInputError(f"level must be a number in (0, 1), got {level!r}")
    fit = _trend.segment_trends(times, scores, np.array([0], dtype=np.int64))
    n = int(fit.n[0])
    common = {"n": n, "time": time, "unit": unit[time], "level": level}
    if not math.isfinite(float(fit.slope[0])):
        return TrendResult(
            status="not_enough_data",
            slope=None,
            intercept=None,
            se=None,
            ci_low=None,
            ci_high=None,
            **common,
        )
    from scipy.special import stdtrit

    slope, se = float(fit.slope[0]), float(fit.se[0])
    half = float(stdtrit(n - 2, 0.5 + level / 2)) * se
    return TrendResult(
        status="ok",
        slope=slope,
        intercept=float(fit.intercept[0]),
        se=se,
        ci_low=slope - half,
        ci_high=slope + half,
        **common,
    )
