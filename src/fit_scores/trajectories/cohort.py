"""Cohort bands: percentiles of the scores of tracks with a similar intake.

MyOutcomes uses +-1 point on a very large database; the Deepen prototype +-5
with a minimum of 5 (domain reference section 5.1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

import numpy as np
import numpy.typing as npt

from fit_scores.errors import TrajectoryInputError
from fit_scores.trajectories.axis import (
    DAYS_PER_STEP,
    FloatArray,
    IntArray,
    axis_start,
)
from fit_scores.trajectories.bands import ExpectedBands
from fit_scores.trajectories.base import ExpectedResponseBase
from fit_scores.trajectories.data import TrajectoryData

__all__ = ["CohortModel", "fit_cohort"]


def _grouped_quantiles(
    bins: npt.NDArray[np.int64], values: FloatArray, percentiles: FloatArray
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], FloatArray]:
    """Quantiles (numpy's linear method) of ``values`` within each bin.

    Returns the distinct bins, their counts and an array (bins x percentiles).
    """
    order = np.lexsort((values, bins))
    b, v = bins[order], values[order]
    first = np.flatnonzero(np.r_[True, np.diff(b) != 0])
    counts = np.diff(np.r_[first, b.size])
    h = (counts[:, None] - 1) * (percentiles[None, :] / 100.0)
    lo = np.floor(h).astype(np.int64)
    hi = np.minimum(lo + 1, counts[:, None] - 1)
    frac = h - lo
    base = first[:, None]
    q = v[base + lo] + frac * (v[base + hi] - v[base + lo])
    return b[first], counts.astype(np.int64), q


class CohortModel(ExpectedResponseBase):
    """Cohort bands: percentiles of the scores of tracks with a similar intake.

    For each intake on a grid and each session (or 30-day step), the tracks
    whose intake lies within +-k points; k grows by ``k_step`` up to
    ``k_max`` until at least ``min_n`` scores are found. The table is stored,
    not the data. MyOutcomes uses +-1 point on a very large database; the
    Deepen prototype +-5 with a minimum of 5 (domain reference section 5.1).
    """

    kind: Literal["cohort"] = "cohort"
    k: float
    k_max: float
    k_step: float
    min_n: int
    intakes: tuple[float, ...]
    ats: tuple[float, ...]
    median: tuple[tuple[float | None, ...], ...]
    values: tuple[tuple[tuple[float, ...] | None, ...], ...]
    n: tuple[tuple[int, ...], ...]
    k_used: tuple[tuple[float | None, ...], ...]

    def time_bins(self, at: npt.ArrayLike) -> FloatArray:
        """The time steps of the stored table that times fall in (see :meth:`time_bin`).

        Parameters
        ----------
        at : array_like of float
            Times on the model's axis.

        Returns
        -------
        ndarray of float
            Session numbers unchanged; days rounded to the nearest multiple
            of 30 (halves to even).

        Raises
        ------
        TrajectoryInputError
            If a session number is not a whole number.
        """
        t = np.asarray(at, dtype=np.float64)
        if self.axis == "session":
            bad = np.flatnonzero((t != np.round(t)).reshape(-1))
            if bad.size:
                raise TrajectoryInputError(
                    f"at must be a whole session number, got {float(t.reshape(-1)[bad[0]])!r}"
                )
            return t.copy()
        bins: FloatArray = np.round(t / DAYS_PER_STEP) * DAYS_PER_STEP
        return bins

    def time_bin(self, at: float) -> float:
        """The time step of the stored table (one of :attr:`ats` if there are data) for ``at``.

        Parameters
        ----------
        at : float
            A session number, or days since intake.

        Returns
        -------
        float
            The session number itself, or the days rounded to the nearest
            multiple of 30 (halves to even: day 45 is step 60, day 75 is 60).

        Raises
        ------
        TrajectoryInputError
            If a session number is not a whole number.

        Examples
        --------
        >>> import numpy as np
        >>> from fit_scores.trajectories import TrajectoryData, fit_expected_response
        >>> rng = np.random.default_rng(1)
        >>> ids, days = np.repeat(np.arange(300), 4), np.tile([0, 28, 61, 95], 300)
        >>> score = np.repeat(rng.normal(18, 5, 300), 4) + days / 30
        >>> data = TrajectoryData.from_arrays(ids, days, score, axis="days")
        >>> model = fit_expected_response(data, "cohort")
        >>> model.time_bin(44), model.time_bin(75), model.ats
        (30.0, 60.0, (30.0, 60.0, 90.0))
        """
        return float(self.time_bins(np.array([at], dtype=np.float64))[0])

    def expected_bands(
        self,
        intakes: npt.ArrayLike,
        times: npt.ArrayLike,
        *,
        covariates: Mapping[str, npt.ArrayLike] | None = None,
    ) -> ExpectedBands:
        """Median and percentile bands for many (intake, time) pairs, from the stored table.

        Each pair takes the cell of the nearest intake on the grid (the lower
        one on a tie) and the time step :meth:`time_bin` of its time.

        Parameters
        ----------
        intakes, times : array_like of float
            Intake scores and times on the model's axis (whole session numbers
            from 1, or days since intake from 0); one-dimensional or scalars,
            broadcast against each other.
        covariates : None
            The cohort model uses none.

        Returns
        -------
        ExpectedBands
            Not available (NaN) where the intake is more than ``k_max`` from
            the grid, the time step has no scores, or the cell has fewer than
            ``min_n`` scores; at the intake time, the intake itself.

        Examples
        --------
        >>> import numpy as np
        >>> from fit_scores.trajectories import TrajectoryData, fit_expected_response
        >>> rng = np.random.default_rng(1)
        >>> ids, session = np.repeat(np.arange(300), 5), np.tile(np.arange(1, 6), 300)
        >>> score = np.repeat(rng.normal(18, 5, 300), 5) + 3 * np.log(session)
        >>> model = fit_expected_response(TrajectoryData.from_arrays(ids, session, score), "cohort")
        >>> bands = model.expected_bands([18.0, 18.0, 60.0], 5)
        >>> bands.available.tolist(), bands.n_reference.tolist()
        ([True, True, False], [108, 108, -1])
        """
        self._no_covariates(covariates)
        x, t = self._pairs(intakes, times)
        median, values, n_ref, rest = self._start(x, t)
        if rest.size == 0:
            return self._bands(x, t, median, values, n_ref)
        grid = np.asarray(self.intakes, dtype=np.float64)
        u_in, inv_in = np.unique(x[rest], return_inverse=True)
        nearest = _nearest(grid, u_in)
        far = np.abs(grid[nearest] - u_in) > self.k_max
        u_key, inv_key = np.unique(self.time_bins(t[rest]), return_inverse=True)
        column: dict[float, int] = {}
        for j, a in enumerate(self.ats):
            column.setdefault(a, j)
        col = np.array([column.get(k, -1) for k in u_key.tolist()], dtype=np.int64)
        i = nearest[inv_in.reshape(-1)]
        j_ = col[inv_key.reshape(-1)]
        ok = ~far[inv_in.reshape(-1)] & (j_ >= 0)
        if ok.any():
            n_ats = max(len(self.ats), 1)  # one integer key per (intake, time) cell
            cells, inv = np.unique(i[ok] * n_ats + j_[ok], return_inverse=True)
            cell_median = np.full(cells.shape[0], np.nan)
            cell_values = np.full((cells.shape[0], len(self.percentiles)), np.nan)
            cell_n = np.full(cells.shape[0], -1, dtype=np.int64)
            for r, cell in enumerate(cells.tolist()):
                a, b = divmod(cell, n_ats)
                m, v = self.median[a][b], self.values[a][b]
                if m is not None and v is not None:
                    cell_median[r], cell_values[r], cell_n[r] = m, v, self.n[a][b]
            where = rest[ok]
            inv = inv.reshape(-1)
            median[where], values[where], n_ref[where] = (
                cell_median[inv],
                cell_values[inv],
                cell_n[inv],
            )
        return self._bands(x, t, median, values, n_ref)

    def _no_reference_reason(self, intake: float, at: float) -> str:
        grid = np.asarray(self.intakes, dtype=np.float64)
        i = int(np.argmin(np.abs(grid - intake)))
        if abs(grid[i] - intake) > self.k_max:
            return (
                f"no reference tracks with an intake near {intake:g} "
                f"(grid {grid[0]:g}-{grid[-1]:g})"
            )
        if self.time_bin(at) not in self.ats:
            return f"no reference scores at {self.axis} {at:g}"
        return (
            f"fewer than {self.min_n} reference scores at {self.axis} {at:g} for intakes "
            f"within {self.k_max:g} points of {grid[i]:g}"
        )


def _nearest(grid: FloatArray, values: FloatArray) -> IntArray:
    """Index of the nearest grid point of each value (the first on a tie), in chunks."""
    out = np.empty(values.size, dtype=np.int64)
    step = max(1, (1 << 20) // max(grid.size, 1))
    for s in range(0, values.size, step):
        v = values[s : s + step]
        out[s : s + step] = np.argmin(np.abs(grid[None, :] - v[:, None]), axis=1)
    return out


def fit_cohort(
    data: TrajectoryData,
    *,
    k: float,
    k_max: float,
    k_step: float,
    min_n: int,
    grid_step: float,
    percentiles: tuple[float, ...],
    higher_is_better: bool,
) -> CohortModel:
    """Fit a :class:`CohortModel` (``fit_expected_response(data, "cohort")``).

    The arguments are those of
    :func:`~fit_scores.trajectories.fit_expected_response`, already checked
    there.
    """
    if not 0 < k <= k_max or not k_step > 0 or min_n < 1 or not grid_step > 0:
        raise TrajectoryInputError("need 0 < k <= k_max, k_step > 0, min_n >= 1, grid_step > 0")
    after = data.time > axis_start(data.axis)
    if not after.any():
        raise TrajectoryInputError("the cohort model needs scores after intake")
    intake_row = data.intake[data.track_of_row][after]
    if data.axis == "session":
        bins = data.time[after].astype(np.int64)
    else:
        bins = np.maximum(np.rint(data.time[after] / DAYS_PER_STEP), 1).astype(np.int64)
    y = data.score[after]
    order = np.argsort(intake_row, kind="stable")
    intake_row, bins, y = intake_row[order], bins[order], y[order]
    all_bins = np.unique(bins)
    levels = np.arange(k, k_max + k_step / 2, k_step)
    lo_grid = math.floor(float(data.intake.min()) / grid_step) * grid_step
    hi_grid = math.ceil(float(data.intake.max()) / grid_step) * grid_step
    grid = np.round(np.arange(lo_grid, hi_grid + grid_step / 2, grid_step), 10)
    pct = np.asarray((*percentiles, 50.0), dtype=np.float64)
    n_b = all_bins.size
    med = np.full((grid.size, n_b), np.nan)
    vals = np.full((grid.size, n_b, len(percentiles)), np.nan)
    counts_out = np.zeros((grid.size, n_b), dtype=np.int64)
    k_used = np.full((grid.size, n_b), np.nan)
    bin_index = np.searchsorted(all_bins, bins)
    for gi, g in enumerate(grid):
        chosen = np.full(n_b, np.nan)
        for level in levels:
            a = int(np.searchsorted(intake_row, g - level, side="left"))
            b = int(np.searchsorted(intake_row, g + level, side="right"))
            per_bin = np.bincount(bin_index[a:b], minlength=n_b)
            newly = np.isnan(chosen) & (per_bin >= min_n)
            chosen[newly] = level
            if not np.isnan(chosen).any():
                break
        for level in np.unique(chosen[~np.isnan(chosen)]):
            a = int(np.searchsorted(intake_row, g - level, side="left"))
            b = int(np.searchsorted(intake_row, g + level, side="right"))
            use = chosen[bin_index[a:b]] == level
            ub, uc, q = _grouped_quantiles(bin_index[a:b][use], y[a:b][use], pct)
            med[gi, ub] = q[:, -1]
            vals[gi, ub, :] = q[:, :-1]
            counts_out[gi, ub] = uc
            k_used[gi, ub] = level
    unit = 1.0 if data.axis == "session" else DAYS_PER_STEP

    def cell(x: float) -> float | None:
        return None if math.isnan(x) else float(x)

    return CohortModel(
        axis=data.axis,
        percentiles=percentiles,
        higher_is_better=higher_is_better,
        n_tracks=data.n_tracks,
        n_obs=int(data.time.size),
        k=k,
        k_max=k_max,
        k_step=k_step,
        min_n=min_n,
        intakes=tuple(float(g) for g in grid),
        ats=tuple(float(b) * unit for b in all_bins),
        median=tuple(tuple(cell(x) for x in row) for row in med),
        values=tuple(
            tuple(None if np.isnan(v[0]) else tuple(float(x) for x in v) for v in row)
            for row in vals
        ),
        n=tuple(tuple(int(c) for c in row) for row in counts_out),
        k_used=tuple(tuple(cell(x) for x in row) for row in k_used),
    )
