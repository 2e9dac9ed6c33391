r"""Time axes of the trajectory models: session numbers or elapsed days.

A trajectory is indexed by session number (1 at intake) or by days since
intake (0 at intake). The growth and neighbours models use a time variable
:math:`f(t)` that is 0 at intake, in sessions or 30-day steps, log or linear.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "DAYS_PER_STEP",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "TimeAxis",
    "Transform",
    "axis_start",
    "from_intake",
    "time_variable",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
TimeAxis = Literal["session", "days"]
Transform = Literal["log", "linear"]

#: Days in one step of the ``"days"`` axis: slopes and the time variable count 30-day steps.
DAYS_PER_STEP = 30.0


def axis_start(axis: TimeAxis) -> float:
    """The time of the intake on ``axis``: session 1, or day 0.

    Parameters
    ----------
    axis : {"session", "days"}
        The time axis.

    Returns
    -------
    float
        ``1.0`` for sessions, ``0.0`` for days.

    Examples
    --------
    >>> axis_start("session"), axis_start("days")
    (1.0, 0.0)
    """
    return 1.0 if axis == "session" else 0.0


def from_intake(times: npt.ArrayLike, intake_time: npt.ArrayLike, axis: TimeAxis) -> FloatArray:
    """Times on a model's axis counted from the track's own intake.

    Every model reads time from a track's intake: session ``s`` of a track whose
    intake is session ``s0`` is ``s - s0 + 1`` (a first meeting without a form,
    or sessions numbered from another origin, never turns the intake into an
    outcome), and days are days since the intake. Fitting
    (:class:`TrajectoryData`) and predicting for a track (``model.status``, the
    summary's ``expected_at``, the charts' expected course) use this one rule.

    Parameters
    ----------
    times : array_like of float
        Times on ``axis`` (session numbers, or days).
    intake_time : array_like of float
        The time of the track's intake on the same axis (broadcast).
    axis : {"session", "days"}
        The time axis.

    Examples
    --------
    >>> from_intake([2, 3, 6], 2, "session").tolist()
    [1.0, 2.0, 5.0]
    >>> from_intake([10, 40], 10, "days").tolist()
    [0.0, 30.0]
    """
    t = np.asarray(times, dtype=np.float64)
    out: FloatArray = t - np.asarray(intake_time, dtype=np.float64) + axis_start(axis)
    return out


def time_variable(t: npt.ArrayLike, axis: TimeAxis, transform: Transform) -> FloatArray:
    r"""The models' time variable :math:`f(t)`: 0 at intake, log or linear.

    Parameters
    ----------
    t : array_like of float
        Session numbers (from 1) for ``axis="session"``, days since intake
        (from 0) for ``axis="days"``. Any shape; a scalar gives a 0-d array.
    axis : {"session", "days"}
        The time axis of ``t``.
    transform : {"log", "linear"}
        Log-linear change (the default of the models) or linear change.

    Returns
    -------
    ndarray of float
        :math:`f(t)`, with the shape of ``t``.

    Notes
    -----
    With :math:`s` the session number and :math:`d` the days since intake:

    .. math::

        f(s) = \log s \ \text{or}\ s - 1, \qquad
        f(d) = \log(1 + d/30) \ \text{or}\ d/30.

    Examples
    --------
    >>> time_variable([1, 2, 5], "session", "log").round(3).tolist()
    [0.0, 0.693, 1.609]
    >>> float(time_variable(60, "days", "linear"))
    2.0
    """
    arr = np.asarray(t, dtype=np.float64)
    step = arr - 1.0 if axis == "session" else arr / DAYS_PER_STEP
    out: FloatArray = np.log1p(step) if transform == "log" else step
    return out
