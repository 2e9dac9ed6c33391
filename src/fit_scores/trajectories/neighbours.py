r"""Nearest-neighbour expected course (Lutz et al. 2006).

References
----------
Lutz, W., Saunders, S. M., Leon, S. C., Martinovich, Z., Kosfelder, J.,
Schulte, D., Grawe, K., & Tholen, S. (2006). Empirically and clinically useful
decision making in psychotherapy: differential predictions with treatment
response models. *Psychological Assessment*, 18(2), 133-141; Lutz et al.
(2006), *Clinical Psychology & Psychotherapy*, doi:10.1002/cpp.496.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from fit_scores._core import trend as _trend
from fit_scores.errors import TrajectoryInputError
from fit_scores.trajectories.axis import FloatArray, Transform, time_variable
from fit_scores.trajectories.bands import ExpectedBands
from fit_scores.trajectories.base import ExpectedResponseBase
from fit_scores.trajectories.data import TrajectoryData

__all__ = ["NeighboursModel", "fit_neighbours"]


class NeighboursModel(ExpectedResponseBase):
    r"""Nearest-neighbour expected course (Lutz et al. 2006).

    Notes
    -----
    Each reference track :math:`j` with two or more scores gets a log-linear
    (or linear) curve :math:`a_j + b_j f(t)` by least squares. For a new
    person with intake :math:`x` the ``n_neighbours`` reference tracks nearest
    in standardised intake (and covariates) give the curves
    :math:`\hat y_j(t) = x + (a_j - x_j) + b_j f(t)`; the expected score and
    band are the median and percentiles of the mixture
    :math:`\frac1k\sum_j N(\hat y_j(t), \hat\sigma^2)`, with
    :math:`\hat\sigma^2` the pooled residual variance of the curves. The
    stored model holds each reference track's intake, covariates and curve
    (not its scores).
    """

    kind: Literal["neighbours"] = "neighbours"
    transform: Transform
    n_neighbours: int
    covariate_names: tuple[str, ...]
    centre: tuple[float, ...]
    scale: tuple[float, ...]
    features: tuple[tuple[float, ...], ...] = Field(description="per reference track")
    intercept_shift: tuple[float, ...] = Field(description="a_j - x_j per reference track")
    slope: tuple[float, ...]
    sigma2: float

    def expected_bands(
        self,
        intakes: npt.ArrayLike,
        times: npt.ArrayLike,
        *,
        covariates: Mapping[str, npt.ArrayLike] | None = None,
    ) -> ExpectedBands:
        """Median and bands from the nearest reference tracks, for many (intake, time) pairs.

        The neighbours are found once per distinct intake (and covariates),
        the mixture quantiles once per distinct (intake, covariates, time).

        Parameters
        ----------
        intakes, times : array_like of float
            Intake scores and times on the model's axis (session numbers from
            1, or days since intake from 0); one-dimensional or scalars,
            broadcast against each other.
        covariates : mapping of str to array_like, optional
            One value (or one per pair) for every covariate the model was
            fitted with (:attr:`covariate_names`), none otherwise.

        Returns
        -------
        ExpectedBands
            Always available; ``n_reference`` is the number of neighbours.

        Examples
        --------
        >>> import numpy as np
        >>> from fit_scores.trajectories import TrajectoryData, fit_expected_response
        >>> rng = np.random.default_rng(1)
        >>> ids, session = np.repeat(np.arange(300), 5), np.tile(np.arange(1, 6), 300)
        >>> score = np.repeat(rng.normal(18, 5, 300), 5) + 3 * np.log(session)
        >>> score += rng.normal(0, 1.5, score.size)
        >>> data = TrajectoryData.from_arrays(ids, session, score)
        >>> model = fit_expected_response(data, "neighbours")
        >>> bands = model.expected_bands([12.0, 18.0, 24.0], 5)
        >>> bands.median.round(1).tolist(), bands.n_reference.tolist()
        ([17.7, 23.0, 27.9], [50, 50, 50])
        """
        given = dict(covariates or {})
        if set(given) != set(self.covariate_names):
            raise TrajectoryInputError(
                f"covariates: expected {list(self.covariate_names)}, got {sorted(given)}"
            )
        x, t = self._pairs(intakes, times)
        columns = [x]
        for name in self.covariate_names:
            try:
                v = np.broadcast_to(np.asarray(given[name], dtype=np.float64), x.shape)
            except ValueError:
                raise TrajectoryInputError(
                    f"covariate {name!r}: expected one value or {x.size}"
                ) from None
            if not np.isfinite(v).all():
                raise TrajectoryInputError(f"covariate {name!r}: values must be finite")
            columns.append(v)
        median, values, n_ref, rest = self._start(x, t)
        if rest.size == 0:
            return self._bands(x, t, median, values, n_ref)
        keys = np.column_stack([*(c[rest] for c in columns), t[rest]])
        pairs, inv = np.unique(keys, axis=0, return_inverse=True)
        feats = np.asarray(self.features, dtype=np.float64)
        centre = np.asarray(self.centre, dtype=np.float64)
        scale = np.asarray(self.scale, dtype=np.float64)
        shift_all = np.asarray(self.intercept_shift, dtype=np.float64)
        slope_all = np.asarray(self.slope, dtype=np.float64)
        k = min(self.n_neighbours, feats.shape[0])
        f = time_variable(pairs[:, -1], self.axis, self.transform)
        sd = math.sqrt(self.sigma2)
        pct = [p / 100.0 for p in (*self.percentiles, 50.0)]
        found = np.empty((pairs.shape[0], len(pct)))
        point: FloatArray | None = None
        shift, slope = shift_all, slope_all
        for r in range(pairs.shape[0]):
            if point is None or not np.array_equal(pairs[r, :-1], point):
                point = pairs[r, :-1]  # pairs are sorted: one neighbour search per point
                z = (point - centre) / scale
                dist = np.sum((feats - z) ** 2, axis=1)
                nearest = np.argpartition(dist, k - 1)[:k]
                shift, slope = shift_all[nearest], slope_all[nearest]
            centres = point[0] + shift + slope * f[r]
            found[r] = [_mixture_quantile(centres, sd, p) for p in pct]
        inv = inv.reshape(-1)
        median[rest] = found[inv, -1]
        values[rest] = found[inv, :-1]
        n_ref[rest] = k
        return self._bands(x, t, median, values, n_ref)


def _mixture_quantile(centres: FloatArray, sd: float, p: float) -> float:
    """Quantile ``p`` of an equal-weight mixture of normals N(centre, sd^2)."""
    from scipy.optimize import brentq
    from scipy.special import ndtr

    if sd == 0:
        return float(np.quantile(centres, p))
    lo = float(centres.min()) - 10 * sd
    hi = float(centres.max()) + 10 * sd
    return float(brentq(lambda q: float(np.mean(ndtr((q - centres) / sd))) - p, lo, hi, xtol=1e-10))


def fit_neighbours(
    data: TrajectoryData,
    *,
    transform: Transform,
    n_neighbours: int,
    covariates: Sequence[str],
    percentiles: tuple[float, ...],
    higher_is_better: bool,
) -> NeighboursModel:
    """Fit a :class:`NeighboursModel` (``fit_expected_response(data, "neighbours")``).

    The arguments are those of
    :func:`~fit_scores.trajectories.fit_expected_response`, already checked
    there.
    """
    if n_neighbours < 1:
        raise TrajectoryInputError("n_neighbours must be at least 1")
    missing = [c for c in covariates if c not in data.covariates]
    if missing:
        raise TrajectoryInputError(f"covariates {missing} are not in the data")
    f = time_variable(data.time, data.axis, transform)
    fit = _trend.segment_trends(f, data.score, data.starts, min_points=2)
    ok = np.isfinite(fit.slope)
    if ok.sum() < 2:
        raise TrajectoryInputError("the neighbours model needs 2+ tracks with 2+ scores")
    counts = fit.n[ok]
    # pooled residual variance of the per-track lines (tracks with 3+ scores)
    track = data.track_of_row
    pred = fit.intercept[track] + fit.slope[track] * f
    resid = data.score - pred
    use = ok[track] & (fit.n[track] > 2)
    dof = int(np.sum(counts[counts > 2] - 2))
    sigma2 = float(np.sum(resid[use] ** 2) / dof) if dof > 0 else 0.0
    raw = np.column_stack([data.intake[ok], *(data.covariates[c][ok] for c in covariates)])
    centre = raw.mean(axis=0)
    scale = raw.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    feats = (raw - centre) / scale
    return NeighboursModel(
        axis=data.axis,
        percentiles=percentiles,
        higher_is_better=higher_is_better,
        n_tracks=int(ok.sum()),
        n_obs=int(counts.sum()),
        transform=transform,
        n_neighbours=n_neighbours,
        covariate_names=tuple(covariates),
        centre=tuple(float(c) for c in centre),
        scale=tuple(float(c) for c in scale),
        features=tuple(tuple(float(v) for v in row) for row in feats),
        intercept_shift=tuple(float(v) for v in (fit.intercept[ok] - data.intake[ok])),
        slope=tuple(float(v) for v in fit.slope[ok]),
        sigma2=sigma2,
    )
