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
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from fit_scores.errors import TrajectoryInputError
from fit_scores.trajectories.axis import FloatArray, Transform, axis_start, time_variable
from fit_scores.trajectories.bands import ExpectedBands
from fit_scores.trajectories.base import ExpectedResponseBase
from fit_scores.trajectories.data import TrajectoryData

__all__ = ["GrowthModel", "fit_growth", "normal_quantiles"]


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
    """

    kind: Literal["growth"] = "growth"
    transform: Transform
    intake_centre: float
    beta: tuple[float, float, float, float]
    psi: tuple[float, float, float] = Field(description="Psi_00, Psi_01, Psi_11")
    sigma2: float
    method: Literal["REML", "ML"]
    loglik: float

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
    there.
    """
    from fit_scores._core.mixed import fit_random_slope

    after = data.time > axis_start(data.axis)
    track = data.track_of_row[after]
    if track.size < 3 or np.unique(track).size < 2:
        raise TrajectoryInputError("the growth model needs scores after intake from 2+ tracks")
    intake = data.intake
    centre = float(np.mean(intake))
    x = (intake - centre)[track]
    f = time_variable(data.time[after], data.axis, transform)
    y = data.score[after]
    design = np.column_stack([np.ones_like(f), x, f, x * f])
    starts = np.flatnonzero(np.r_[True, np.diff(track) != 0]).astype(np.int64)
    fit = fit_random_slope(y, design, f, starts, reml=reml)
    return GrowthModel(
        axis=data.axis,
        transform=transform,
        percentiles=percentiles,
        higher_is_better=higher_is_better,
        n_tracks=int(starts.size),
        n_obs=int(y.size),
        intake_centre=centre,
        beta=(float(fit.beta[0]), float(fit.beta[1]), float(fit.beta[2]), float(fit.beta[3])),
        psi=(float(fit.psi[0, 0]), float(fit.psi[0, 1]), float(fit.psi[1, 1])),
        sigma2=float(fit.sigma2),
        method="REML" if reml else "ML",
        loglik=float(fit.loglik),
    )
