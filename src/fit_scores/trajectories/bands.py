"""Expected scores and percentile bands: one pair (:class:`ExpectedBand`) or many."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydantic import Field

from fit_scores._model import FrozenModel
from fit_scores.errors import NoReferenceDataError, TrajectoryInputError
from fit_scores.trajectories.axis import BoolArray, FloatArray, IntArray

__all__ = ["ExpectedBand", "ExpectedBands"]


class ExpectedBand(FrozenModel):
    """Expected score and percentile band for a given intake at a given time."""

    intake: float
    at: float
    median: float
    percentiles: tuple[float, ...]
    values: tuple[float, ...]
    n_reference: int | None = Field(default=None, description="reference tracks used, if any")

    def band(self, percentile: float) -> float:
        """The value of ``percentile`` (one of :attr:`percentiles`, or 50)."""
        if percentile == 50:
            return self.median
        for p, v in zip(self.percentiles, self.values, strict=True):
            if p == percentile:
                return v
        raise KeyError(f"percentile {percentile} is not in {list(self.percentiles)}")


@dataclass(frozen=True, eq=False)
class ExpectedBands:
    """Expected scores and percentile bands for many (intake, time) pairs.

    The array form of :class:`ExpectedBand`, returned by the models'
    ``expected_bands(intakes, times)``. Every array has one entry per pair
    (``values`` one row per pair); the arrays are read-only.

    Attributes
    ----------
    intake, at : ndarray of float, shape (n,)
        The intake scores and times the bands are for.
    median : ndarray of float, shape (n,)
        The expected score; NaN exactly where :attr:`available` is False.
    percentiles : tuple of float
        The model's band percentiles (50, the median, is not among them).
    values : ndarray of float, shape (n, len(percentiles))
        The band values, column ``k`` for ``percentiles[k]``; NaN where not
        available.
    n_reference : ndarray of int, shape (n,)
        Reference scores (cohort) or tracks (neighbours) behind each band;
        ``-1`` where no count applies (growth model, the intake time, no
        reference data).
    available : ndarray of bool, shape (n,)
        False where the model has no reference data for the pair (a cohort
        model away from its intake grid or time steps). Never silently
        clipped: such pairs are NaN, not the nearest available band.

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores.trajectories import TrajectoryData, fit_expected_response
    >>> rng = np.random.default_rng(1)
    >>> ids, session = np.repeat(np.arange(300), 5), np.tile(np.arange(1, 6), 300)
    >>> score = np.repeat(rng.normal(18, 5, 300), 5) + 3 * np.log(session)
    >>> model = fit_expected_response(TrajectoryData.from_arrays(ids, session, score), "cohort")
    >>> bands = model.expected_bands([18.0, 18.0, 18.0], [1, 5, 9])
    >>> bands.median.round(1).tolist(), bands.available.tolist()
    ([18.0, 22.9, nan], [True, True, False])
    >>> bands.band(10).round(1).tolist()
    [18.0, 21.3, nan]
    >>> bands.item(1).median == model.expected(18.0, 5).median
    True
    """

    intake: FloatArray
    at: FloatArray
    median: FloatArray
    percentiles: tuple[float, ...]
    values: FloatArray
    n_reference: IntArray
    available: BoolArray

    def __post_init__(self) -> None:
        n = self.intake.shape[0]
        shapes = (self.at.shape, self.median.shape, self.n_reference.shape, self.available.shape)
        if self.intake.ndim != 1 or any(s != (n,) for s in shapes):
            raise TrajectoryInputError("ExpectedBands: every array must have one entry per pair")
        if self.values.shape != (n, len(self.percentiles)):
            raise TrajectoryInputError(
                f"ExpectedBands: values must have shape {(n, len(self.percentiles))}"
            )
        for arr in (
            self.intake,
            self.at,
            self.median,
            self.values,
            self.n_reference,
            self.available,
        ):
            arr.setflags(write=False)

    def __len__(self) -> int:
        return int(self.intake.shape[0])

    def band(self, percentile: float) -> FloatArray:
        """The values of ``percentile`` (one of :attr:`percentiles`, or 50 for the median).

        Parameters
        ----------
        percentile : float
            A stored percentile, or 50.

        Returns
        -------
        ndarray of float, shape (n,)
            NaN where :attr:`available` is False.

        Raises
        ------
        KeyError
            If ``percentile`` is not stored.
        """
        if percentile == 50:
            return self.median
        for k, p in enumerate(self.percentiles):
            if p == percentile:
                column: FloatArray = self.values[:, k]
                return column
        raise KeyError(f"percentile {percentile} is not in {list(self.percentiles)}")

    def item(self, i: int) -> ExpectedBand:
        """The band of pair ``i`` as an :class:`ExpectedBand`.

        Raises
        ------
        NoReferenceDataError
            If the model has no reference data for pair ``i``.
        """
        if not self.available[i]:
            raise NoReferenceDataError(
                f"no reference data for intake {self.intake[i]:g} at time {self.at[i]:g}"
            )
        n_ref = int(self.n_reference[i])
        return ExpectedBand(
            intake=float(self.intake[i]),
            at=float(self.at[i]),
            median=float(self.median[i]),
            percentiles=self.percentiles,
            values=tuple(float(v) for v in self.values[i]),
            n_reference=None if n_ref < 0 else n_ref,
        )

    def to_dict(self) -> dict[str, npt.NDArray[np.generic]]:
        """The columns as arrays: intake, at, median, p10, ..., n_reference, available.

        Percentile columns are named ``p`` and the percentile (``p2.5`` for 2.5).
        """
        out: dict[str, npt.NDArray[np.generic]] = {
            "intake": self.intake,
            "at": self.at,
            "median": self.median,
        }
        for k, p in enumerate(self.percentiles):
            out[f"p{p:g}"] = self.values[:, k]
        out["n_reference"] = self.n_reference
        out["available"] = self.available
        return out
