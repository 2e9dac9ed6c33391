"""Trends and expected-treatment-response (ETR) models fitted on local data.

A coordinator asks whether a family member is on track: that needs an
expected course for someone who started where they started. Three published,
checkable methods, all fitted on the programme's own data (no vendor curves):

``"growth"``
    A linear mixed growth model (Finch, Lambert & Schaalje 2001): fixed
    effects for intake, time and their interaction, a random intercept and
    slope per track; prediction bands from its variance components.
``"cohort"``
    Cohort banding: tracks whose intake lies within +-k points; the median
    and percentiles of their scores at each session (or 30-day step), with a
    minimum n and k widened where data are sparse.
``"neighbours"``
    Nearest neighbours (Lutz et al. 2006): the k archived tracks most similar
    by intake (and optional covariates); their log-linear curves, shifted to
    the new intake, give the expected course and band.

Every fitted model is a versioned pydantic model: it serialises to JSON and
loads back (:func:`load_model`) without the data, giving identical
predictions. Time is indexed by session number or by elapsed days, so a family
followed for five years with long gaps is handled.

Every model predicts for arrays (``model.expected_bands(intakes, times)``,
an :class:`ExpectedBands`) and decides on-track status with one kernel
(:func:`status_codes`): ``model.expected(intake, at)`` and
``model.status(track)`` are those applied to one person, and the table
summary applies them to every track at once.

Modules: :mod:`~fit_scores.trajectories.axis` (time axes),
:mod:`~fit_scores.trajectories.data` (:class:`TrajectoryData`),
:mod:`~fit_scores.trajectories.trend` (per-track trends),
:mod:`~fit_scores.trajectories.bands`, :mod:`~fit_scores.trajectories.status`,
:mod:`~fit_scores.trajectories.base` (what the models share),
:mod:`~fit_scores.trajectories.growth`, :mod:`~fit_scores.trajectories.cohort`,
:mod:`~fit_scores.trajectories.neighbours` and
:mod:`~fit_scores.trajectories.portable` (fitting, and loading from JSON).

References
----------
Finch, A. E., Lambert, M. J., & Schaalje, B. G. (2001). Psychotherapy quality
control: the statistical generation of expected recovery curves for
integration into an early warning system. *Clinical Psychology &
Psychotherapy*, 8, 231-242.
Lutz, W., Saunders, S. M., Leon, S. C., Martinovich, Z., Kosfelder, J.,
Schulte, D., Grawe, K., & Tholen, S. (2006). Empirically and clinically useful
decision making in psychotherapy: differential predictions with treatment
response models. *Psychological Assessment*, 18(2), 133-141; Lutz et al.
(2006), *Clinical Psychology & Psychotherapy*, doi:10.1002/cpp.496.
"""

from __future__ import annotations

from fit_scores.errors import NoReferenceDataError, TrajectoryInputError
from fit_scores.trajectories.axis import (
    DAYS_PER_STEP,
    FloatArray,
    TimeAxis,
    Transform,
    axis_start,
    from_intake,
    time_variable,
)
from fit_scores.trajectories.bands import ExpectedBand, ExpectedBands
from fit_scores.trajectories.base import ExpectedResponseBase
from fit_scores.trajectories.cohort import CohortModel
from fit_scores.trajectories.data import TrajectoryData
from fit_scores.trajectories.growth import GrowthModel, normal_quantiles
from fit_scores.trajectories.neighbours import NeighboursModel
from fit_scores.trajectories.portable import (
    ExpectedResponseModel,
    fit_expected_response,
    load_model,
)
from fit_scores.trajectories.status import (
    STATUSES,
    Status,
    StatusRule,
    TrackStatus,
    status_codes,
)
from fit_scores.trajectories.trend import TrendResult, trend_of

__all__ = [
    "DAYS_PER_STEP",
    "STATUSES",
    "CohortModel",
    "ExpectedBand",
    "ExpectedBands",
    "ExpectedResponseBase",
    "ExpectedResponseModel",
    "FloatArray",
    "GrowthModel",
    "NeighboursModel",
    "NoReferenceDataError",
    "Status",
    "StatusRule",
    "TimeAxis",
    "TrackStatus",
    "TrajectoryData",
    "TrajectoryInputError",
    "Transform",
    "TrendResult",
    "axis_start",
    "fit_expected_response",
    "from_intake",
    "load_model",
    "normal_quantiles",
    "status_codes",
    "time_variable",
    "trend_of",
]
