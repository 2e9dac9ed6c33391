"""The growth model (Finch, Lambert & Schaalje 2001): a linear mixed model fitted locally.

References
----------
Finch, A. E., Lambert, M. J., & Schaalje, B. G. (2001). Psychotherapy quality
control: the statistical generation of expected recovery curves for
integration into an early warning system. *Clinical Psychology &
Psychotherapy*, 8, 231-242.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from fit_scores.errors import TrajectoryInputError
from fit_scores.trajectories.axis import (
    FloatArray,
    TimeAxis,
    Transform,
    axis_start,
    time_variable,
)
from fit_scores.trajectories.bands import ExpectedBands
from fit_scores.trajectories.base import ExpectedResponseBase
from fit_scores.trajectories.data import TrajectoryData

if TYPE_CHECKING:  # pragma: no cover
    from fit_scores._core.mixed import GroupStatistics

__all__ = [
    "GrowthModel",
    "GrowthStatistics",
    "fit_growth",
    "fit_growth_statistics",
    "growth_statistics",
    "normal_quantiles",
]


def normal_quantiles(percentiles: Sequence[float] | npt.ArrayLike) -> FloatArray:
    r"""Standard normal quantiles :math:`z_p = \Phi^{-1}(p/100)` of percentiles.

    Parameters
    ----------
    percentiles : array_like of float
        Percentiles in (0, 100).

    Returns
    -------
    ndarray of float
        The quantiles, with the shape of ``percentiles``.

    Examples
    --------
    >>> normal_quantiles([10, 50, 90]).round(4).tolist()
    [-1.2816, 0.0, 1.2816]
    """
    from scipy.special import ndtri

    return np.asarray(ndtri(np.asarray(percentiles, dtype=np.float64) / 100.0), dtype=np.float64)


class GrowthModel(ExpectedResponseBase):
    r"""Linear mixed growth model (Finch, Lambert & Schaalje 2001), fitted locally.

    Notes
    -----
    For the scores after intake, with :math:`x_i` the intake score (centred at
    :math:`\bar x`) and :math:`f(t)` the time variable (0 at intake):

    .. math::

        y_{ti} = \beta_0 + \beta_1 x_i + (\beta_2 + \beta_3 x_i) f(t)
                 + b_{0i} + b_{1i} f(t) + e_{ti},\quad
        (b_{0i}, b_{1i}) \sim N(0, \Psi),\ e_{ti} \sim N(0, \sigma^2)

    with :math:`f(t) = \log(s)` for session :math:`s` (log-linear, the
    default), :math:`s - 1`, :math:`\log(1 + d/30)` or :math:`d/30` for
    :math:`d` days. A new person's score at :math:`t` is predicted as normal
    with the fixed-effects mean and variance
    :math:`\Psi_{00} + 2 f \Psi_{01} + f^2 \Psi_{11} + \sigma^2`; its
    percentiles are the band.

    Time is counted from each track's own intake: a track whose first scored
    session is numbered :math:`s_0 \ne 1` (a first meeting without a form, or
    sessions numbered from another origin) is re-based, its session :math:`s`
    read as :math:`s - s_0 + 1`, so that its intake is never taken for an
    outcome; renumbering every session of a track by a constant leaves the fit
    unchanged. (On the ``"days"`` axis time is already counted from each
    track's first score.)

    ``converged``, ``optimiser_message`` and ``beta_se`` (the standard errors
    of the fixed effects, from their REML/ML covariance) describe the fit; a
    model saved before they existed loads with ``None`` in them.
    """

    kind: Literal["growth"] = "growth"
    transform: Transform
    intake_centre: float
    beta: tuple[float, float, float, float]
    psi: tuple[float, float, float] = Field(description="Psi_00, Psi_01, Psi_11")
    sigma2: float
    method: Literal["REML", "ML"]
    loglik: float
    converged: bool | None = Field(
        default=None, description="the optimiser stopped at a negligible gradient"
    )
    optimiser_message: str | None = Field(default=None, max_length=1000)
    beta_se: tuple[float, float, float, float] | None = Field(
        default=None, description="standard errors of beta"
    )

    def expected_bands(
        self,
        intakes: npt.ArrayLike,
        times: npt.ArrayLike,
        *,
        covariates: Mapping[str, npt.ArrayLike] | None = None,
    ) -> ExpectedBands:
        r"""Median and percentile bands for many (intake, time) pairs.

        Parameters
        ----------
        intakes, times : array_like of float
            Intake scores and times on the model's axis (session numbers from
            1, or days since intake from 0); one-dimensional or scalars,
            broadcast against each other.
        covariates : None
            The growth model uses none.

        Returns
        -------
        ExpectedBands
            The fixed-effects mean and its normal prediction band; at the
            intake time, the intake itself. Always available.

        Examples
        --------
        >>> import numpy as np
        >>> from fit_scores.trajectories import TrajectoryData, fit_expected_response
        >>> rng = np.random.default_rng(1)
        >>> ids, session = np.repeat(np.arange(300), 5), np.tile(np.arange(1, 6), 300)
        >>> score = np.repeat(rng.normal(18, 5, 300), 5) + 3 * np.log(session)
        >>> score += rng.normal(0, 1.5, score.size)
        >>> model = fit_expected_response(TrajectoryData.from_arrays(ids, session, score))
        >>> model.expected_bands(18.0, [1, 3, 5]).median.round(1).tolist()
        [18.0, 21.3, 22.9]
        """
        self._no_covariates(covariates)
        x, t = self._pairs(intakes, times)
        median, values, n_ref, rest = self._start(x, t)
        if rest.size:
            f = time_variable(t[rest], self.axis, self.transform)
            p00, p01, p11 = self.psi
            sd = np.sqrt(np.maximum(p00 + 2 * f * p01 + f * f * p11, 0.0) + self.sigma2)
            b0, b1, b2, b3 = self.beta
            xc = x[rest] - self.intake_centre
            mean = b0 + b1 * xc + (b2 + b3 * xc) * f
            z = normal_quantiles(self.percentiles)
            median[rest] = mean
            values[rest] = mean[:, None] + z[None, :] * sd[:, None]
        return self._bands(x, t, median, values, n_ref)


@dataclass(frozen=True)
class GrowthStatistics:
    """What the growth model needs from the data, in numbers that add up across partitions.

    Computed by :func:`growth_statistics` on each part of the data (whole
    tracks each; for instance a partition of a Dask DataFrame shuffled on the
    person) and combined by :meth:`concatenate`; :func:`fit_growth_statistics`
    fits the model from the result. The design uses the raw intake; it is
    centred at the mean intake of all tracks only when fitting, by an exact
    linear map of the sums.

    Attributes
    ----------
    axis : {"session", "days"}
    transform : {"log", "linear"}
    groups : GroupStatistics
        Per-track sums of the scores after intake (one group per track with
        any), with the design ``[1, intake, f, intake * f]``.
    n_tracks : int
        Tracks with at least one score (the intake centre is their mean intake).
    intake_sum : float
        Sum of their intakes.
    score_min, score_max : float
        The smallest and largest score (NaN without scores).
    """

    axis: TimeAxis
    transform: Transform
    groups: GroupStatistics
    n_tracks: int
    intake_sum: float
    score_min: float
    score_max: float

    @classmethod
    def concatenate(cls, parts: Sequence[GrowthStatistics]) -> GrowthStatistics:
        """Combine the statistics of parts holding different tracks.

        Raises
        ------
        TrajectoryInputError
            If there are no parts, or their axes or transforms differ.
        """
        from fit_scores._core.mixed import GroupStatistics

        if not parts:
            raise TrajectoryInputError("no growth statistics to combine")
        if len({(part.axis, part.transform) for part in parts}) != 1:
            raise TrajectoryInputError("the parts were computed on different axes or transforms")
        lows = [part.score_min for part in parts if part.n_tracks]
        highs = [part.score_max for part in parts if part.n_tracks]
        return cls(
            axis=parts[0].axis,
            transform=parts[0].transform,
            groups=GroupStatistics.concatenate([part.groups for part in parts]),
            n_tracks=sum(part.n_tracks for part in parts),
            intake_sum=float(np.sum([part.intake_sum for part in parts])),
            score_min=min(lows) if lows else float("nan"),
            score_max=max(highs) if highs else float("nan"),
        )


def growth_statistics(data: TrajectoryData, *, transform: Transform) -> GrowthStatistics:
    """The sufficient statistics of the growth model on ``data`` (see :class:`GrowthStatistics`).

    Parameters
    ----------
    data : TrajectoryData
        Whole tracks.
    transform : {"log", "linear"}
        The time variable.

    Returns
    -------
    GrowthStatistics

    Examples
    --------
    >>> data = TrajectoryData.from_arrays([0, 0, 0, 1, 1], [1, 2, 3, 2, 3],
    ...                                   [10.0, 12.0, 13.0, 20.0, 21.0])
    >>> st = growth_statistics(data, transform="log")
    >>> st.n_tracks, st.intake_sum, st.groups.n.tolist()
    (2, 30.0, [2.0, 1.0])
    """
    from fit_scores._core.mixed import GroupStatistics

    if transform not in ("log", "linear"):
        raise TrajectoryInputError(f"transform must be 'log' or 'linear', got {transform!r}")
    track_of_row = data.track_of_row
    time = data.time  # counted from each track's intake (TrajectoryData.from_arrays)
    after = time > axis_start(data.axis)
    track = track_of_row[after]
    intake = data.intake
    x = intake[track]
    f = time_variable(time[after], data.axis, transform)
    y = data.score[after]
    design = np.column_stack([np.ones_like(f), x, f, x * f])
    starts = np.flatnonzero(np.r_[True, np.diff(track) != 0]).astype(np.int64)
    if track.size:
        groups = GroupStatistics.from_rows(y, design, f, starts)
    else:
        none, vectors = np.zeros(0), np.zeros((0, 4))
        groups = GroupStatistics(none, none, none, vectors, vectors, none, none, none, vectors,
                                 np.zeros((0, 4, 4)))  # fmt: skip
    scores = data.score
    return GrowthStatistics(
        axis=data.axis,
        transform=transform,
        groups=groups,
        n_tracks=data.n_tracks,
        intake_sum=float(np.sum(intake)),
        score_min=float(scores.min()) if scores.size else float("nan"),
        score_max=float(scores.max()) if scores.size else float("nan"),
    )


def fit_growth_statistics(
    stats: GrowthStatistics,
    *,
    reml: bool,
    percentiles: tuple[float, ...],
    higher_is_better: bool,
) -> GrowthModel:
    """Fit a :class:`GrowthModel` from its sufficient statistics (REML or ML, here).

    Raises
    ------
    TrajectoryInputError
        Without scores after intake from two or more tracks, or when the
        mixed model cannot be fitted (collinear design, exact fit).
    """
    from fit_scores._core.mixed import fit_statistics

    groups = stats.groups
    if groups.n_obs < 3 or groups.n_groups < 2:
        raise TrajectoryInputError("the growth model needs scores after intake from 2+ tracks")
    centre = stats.intake_sum / stats.n_tracks
    # columns [1, x, f, x f] -> [1, x - c, f, (x - c) f]
    centring = np.eye(4)
    centring[0, 1] = -centre
    centring[2, 3] = -centre
    try:
        fit = fit_statistics(groups.with_design(centring), reml=reml)
    except ValueError as exc:
        raise TrajectoryInputError(f"the growth model cannot be fitted: {exc}") from None
    se = fit.beta_se
    return GrowthModel(
        axis=stats.axis,
        transform=stats.transform,
        percentiles=percentiles,
        higher_is_better=higher_is_better,
        n_tracks=groups.n_groups,
        n_obs=groups.n_obs,
        intake_centre=centre,
        beta=(float(fit.beta[0]), float(fit.beta[1]), float(fit.beta[2]), float(fit.beta[3])),
        psi=(float(fit.psi[0, 0]), float(fit.psi[0, 1]), float(fit.psi[1, 1])),
        sigma2=float(fit.sigma2),
        method="REML" if reml else "ML",
        loglik=float(fit.loglik),
        converged=fit.converged,
        optimiser_message=fit.message,
        beta_se=(float(se[0]), float(se[1]), float(se[2]), float(se[3])),
    )


def fit_growth(
    data: TrajectoryData,
    *,
    transform: Transform,
    reml: bool,
    percentiles: tuple[float, ...],
    higher_is_better: bool,
) -> GrowthModel:
    """Fit a :class:`GrowthModel` (``fit_expected_response(data, "growth")``).

    The arguments are those of
    :func:`~fit_scores.trajectories.fit_expected_response`, already checked
    there. The same fit as :func:`fit_growth_statistics` of
    :func:`growth_statistics`, which is how a Dask cluster fits it
    (:func:`fit_scores.scaleout.fit_growth_dask`).
    """
    return fit_growth_statistics(
        growth_statistics(data, transform=transform),
        reml=reml,
        percentiles=percentiles,
        higher_is_better=higher_is_better,
    )
