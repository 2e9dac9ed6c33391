"""What every fitted expected-response model shares: scalar and array predictions, status."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from fit_scores._model import FrozenModel
from fit_scores.errors import NoReferenceDataError, TrajectoryInputError
from fit_scores.trajectories.axis import FloatArray, IntArray, TimeAxis, axis_start, from_intake
from fit_scores.trajectories.bands import ExpectedBand, ExpectedBands
from fit_scores.trajectories.status import STATUSES, StatusRule, TrackStatus, status_codes

__all__ = ["ExpectedResponseBase"]


class ExpectedResponseBase(FrozenModel):
    """Shared behaviour of the fitted expected-response models.

    A model implements :meth:`expected_bands` (arrays in, arrays out);
    :meth:`expected`, :meth:`statuses` and :meth:`status` are built on it, so
    one person and a million tracks get the same numbers.
    """

    version: Literal[1] = 1
    axis: TimeAxis
    percentiles: tuple[float, ...]
    higher_is_better: bool = True
    n_tracks: int
    n_obs: int
    scale_key: str | None = Field(
        default=None, description="the key of the scale, when fitted on a score table"
    )
    score_range: tuple[float, float] | None = Field(
        default=None,
        description="lowest and highest score the model was fitted on; load_model "
        "checks the model's centres against it",
    )

    # --- predictions ---------------------------------------------------------------

    def expected_bands(
        self,
        intakes: npt.ArrayLike,
        times: npt.ArrayLike,
        *,
        covariates: Mapping[str, npt.ArrayLike] | None = None,
    ) -> ExpectedBands:  # pragma: no cover - implemented by every model
        """Median and percentile bands for many (intake, time) pairs."""
        raise NotImplementedError

    def expected(
        self, intake: float, at: float, *, covariates: Mapping[str, float] | None = None
    ) -> ExpectedBand:
        """Median and percentile band for a person with ``intake`` at ``at``.

        A batch of one of :meth:`expected_bands`.

        Parameters
        ----------
        intake : float
            The intake score.
        at : float
            Session number (from 1) or days since intake (from 0), on the
            model's :attr:`axis`. At the intake the expected score is the
            intake itself.
        covariates : mapping of str to float, optional
            Only for a neighbours model fitted with covariates.

        Returns
        -------
        ExpectedBand

        Raises
        ------
        NoReferenceDataError
            If the model has no reference data for this intake and time.
        TrajectoryInputError
            If ``at`` is not a time on the model's axis.
        """
        at = self._check_at(at)
        bands = self.expected_bands(
            np.array([intake], dtype=np.float64), np.array([at]), covariates=covariates
        )
        if not bands.available[0]:
            raise NoReferenceDataError(self._no_reference_reason(float(intake), at))
        return bands.item(0)

    # --- status ------------------------------------------------------------------------

    def status_percentiles(self, rule: StatusRule | None = None) -> tuple[float, float]:
        """The band percentiles ``rule`` compares with: (expected line, lower band).

        The lower band is ``rule.off_track_below``, or ``100 - off_track_below``
        for a scale where lower scores are better.

        Parameters
        ----------
        rule : StatusRule, optional
            Default :class:`StatusRule()`.

        Returns
        -------
        tuple of float
            Both 50 (the median) or among :attr:`percentiles`.

        Raises
        ------
        TrajectoryInputError
            If the model does not store a percentile the rule uses.
        """
        rule = StatusRule() if rule is None else rule
        p_on = rule.on_track_at
        p_low = rule.off_track_below if self.higher_is_better else 100 - rule.off_track_below
        for p in (p_on, p_low):
            if p != 50 and p not in self.percentiles:
                raise TrajectoryInputError(
                    f"the rule uses percentile {p:g}, the model has {list(self.percentiles)}"
                )
        return p_on, p_low

    def statuses(
        self,
        intakes: npt.ArrayLike,
        times: npt.ArrayLike,
        latest: npt.ArrayLike,
        n_scores: npt.ArrayLike,
        *,
        rule: StatusRule | None = None,
        covariates: Mapping[str, npt.ArrayLike] | None = None,
    ) -> IntArray:
        """Status codes of many tracks, from their intake, latest score and its time.

        Parameters
        ----------
        intakes : array_like of float
            The intake (first) score of each track.
        times : array_like of float
            The time of the latest score on the model's axis.
        latest : array_like of float
            The latest score.
        n_scores : array_like of int
            The number of scores of each track (for ``rule.min_scores``).
        rule : StatusRule, optional
            Default :class:`StatusRule()`.
        covariates : mapping of str to array_like, optional
            Per-track covariates of a neighbours model.

        Returns
        -------
        ndarray of int64, shape (n,)
            Indexes into :data:`~fit_scores.trajectories.STATUSES`; 0 (not
            enough data) with fewer than ``rule.min_scores`` scores or no
            reference data. ``model.status(track)`` is this for one track.

        Examples
        --------
        >>> import numpy as np
        >>> from fit_scores.trajectories import STATUSES, TrajectoryData, fit_expected_response
        >>> rng = np.random.default_rng(1)
        >>> ids, session = np.repeat(np.arange(300), 5), np.tile(np.arange(1, 6), 300)
        >>> score = np.repeat(rng.normal(18, 5, 300), 5) + 3 * np.log(session)
        >>> score += rng.normal(0, 1.5, score.size)
        >>> model = fit_expected_response(TrajectoryData.from_arrays(ids, session, score))
        >>> codes = model.statuses([18, 18, 18, 18], [5, 5, 5, 1], [23, 21, 15, 18], [5, 5, 5, 1])
        >>> [STATUSES[c] for c in codes]
        ['on_track', 'at_risk', 'off_track', 'not_enough_data']
        """
        rule = StatusRule() if rule is None else rule
        codes, _ = self._statuses(intakes, times, latest, n_scores, rule, covariates)
        return codes

    def status(
        self,
        track: Any,
        *,
        rule: StatusRule | None = None,
        person: Any | None = None,
        covariates: Mapping[str, float] | None = None,
    ) -> TrackStatus:
        """Status of a :class:`fit_scores.Track` against this model.

        ``not_enough_data`` with fewer than ``rule.min_scores`` scores or no
        reference data; ``on_track`` at or above the expected line;
        ``off_track`` below the lower band; ``at_risk`` in between (see
        :func:`~fit_scores.trajectories.status_codes`, applied here to one
        track). ``in_functional_range`` is whether the latest score is at or
        above the cutoff for the person's age band and rater (exact, in
        ticks).
        """
        rule = StatusRule() if rule is None else rule
        t, y = track.times(self.axis), track.scores()
        functional = None
        cut = track.cutoff_at(-1, person)
        if cut is not None and cut.value is not None:
            functional = not track.scale.classify(track.administrations[-1].total_ticks, cut)
        # the model's time of the latest score, counted from the track's intake
        at = float(from_intake(t[-1], t[0], self.axis))
        intake, latest = float(y[0]), float(y[-1])
        one = (np.array([intake]), np.array([at]), np.array([latest]), np.array([y.size]))
        codes, bands = self._statuses(*one, rule, covariates)
        band, reason = None, None
        if y.size < rule.min_scores:
            reason = f"{y.size} score(s); at least {rule.min_scores} are needed"
        elif bands is None or not bands.available[0]:
            reason = self._no_reference_reason(intake, at)
        else:
            band = bands.item(0)
        return TrackStatus(
            status=STATUSES[int(codes[0])],
            latest=latest,
            at=at,
            expected=band,
            reason=reason,
            rule=rule,
            in_functional_range=functional,
        )

    # --- shared helpers of the models ----------------------------------------------------

    def _statuses(
        self,
        intakes: npt.ArrayLike,
        times: npt.ArrayLike,
        latest: npt.ArrayLike,
        n_scores: npt.ArrayLike,
        rule: StatusRule,
        covariates: Mapping[str, npt.ArrayLike] | None,
    ) -> tuple[IntArray, ExpectedBands | None]:
        """Codes, and the bands of the tracks with enough scores (None if there are none)."""
        p_on, p_low = self.status_percentiles(rule)
        x, t, y, n = (
            np.atleast_1d(a)
            for a in np.broadcast_arrays(
                np.asarray(intakes, dtype=np.float64),
                np.asarray(times, dtype=np.float64),
                np.asarray(latest, dtype=np.float64),
                np.asarray(n_scores),
            )
        )
        if x.ndim != 1:
            raise TrajectoryInputError(f"statuses: expected one-dimensional arrays, got {x.shape}")
        where = np.flatnonzero(n >= rule.min_scores)
        on_line = np.full(x.size, np.nan)
        low = np.full(x.size, np.nan)
        available = np.zeros(x.size, dtype=bool)
        bands = None
        if where.size:  # covariates are only needed (and checked) when a band is computed
            sub = None
            if covariates:
                sub = {
                    name: np.broadcast_to(np.asarray(v, dtype=np.float64), x.shape)[where]
                    for name, v in covariates.items()
                }
            bands = self.expected_bands(x[where], t[where], covariates=sub)
            on_line[where] = bands.band(p_on)
            low[where] = bands.band(p_low)
            available[where] = bands.available
        codes = status_codes(
            y, on_line, low, higher_is_better=self.higher_is_better, available=available
        )
        return codes, bands

    def _no_reference_reason(self, intake: float, at: float) -> str:
        """Why there is no band for ``intake`` at ``at`` (models that can lack data override)."""
        return f"no reference data for intake {intake:g} at {self.axis} {at:g}"

    def _check_at(self, at: float) -> float:
        start = axis_start(self.axis)
        if not math.isfinite(at) or at < start:
            unit = (
                "session number (from 1)" if self.axis == "session" else "days since intake (>= 0)"
            )
            raise TrajectoryInputError(f"at must be a {unit}, got {at!r}")
        return float(at)

    def _pairs(self, intakes: npt.ArrayLike, times: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Validated, broadcast one-dimensional float arrays of intakes and times."""
        x, t = np.broadcast_arrays(
            np.asarray(intakes, dtype=np.float64), np.asarray(times, dtype=np.float64)
        )
        x, t = np.atleast_1d(x).copy(), np.atleast_1d(t).copy()
        if x.ndim != 1:
            raise TrajectoryInputError(
                f"intakes and times must be one-dimensional (or scalars), got shape {x.shape}"
            )
        bad = np.flatnonzero(~np.isfinite(x))
        if bad.size:
            raise TrajectoryInputError(f"intakes[{int(bad[0])}] is not finite")
        start = axis_start(self.axis)
        bad = np.flatnonzero(~(np.isfinite(t) & (t >= start)))
        if bad.size:
            unit = (
                "session number (from 1)" if self.axis == "session" else "days since intake (>= 0)"
            )
            raise TrajectoryInputError(
                f"times[{int(bad[0])}] must be a {unit}, got {float(t[bad[0]])!r}"
            )
        return x, t

    def _start(
        self, x: FloatArray, t: FloatArray
    ) -> tuple[FloatArray, FloatArray, IntArray, npt.NDArray[np.int64]]:
        """Median, values and counts filled at the intake time; the indexes of the other pairs.

        At the intake the expected score is the intake itself.
        """
        median = np.full(x.size, np.nan)
        values = np.full((x.size, len(self.percentiles)), np.nan)
        n_ref = np.full(x.size, -1, dtype=np.int64)
        at_intake = t == axis_start(self.axis)
        median[at_intake] = x[at_intake]
        values[at_intake] = x[at_intake, None]
        return median, values, n_ref, np.flatnonzero(~at_intake)

    def _bands(
        self, x: FloatArray, t: FloatArray, median: FloatArray, values: FloatArray, n_ref: IntArray
    ) -> ExpectedBands:
        available = ~np.isnan(median)
        values[~available] = np.nan
        n_ref[~available] = -1
        return ExpectedBands(
            intake=x,
            at=t,
            median=median,
            percentiles=self.percentiles,
            values=values,
            n_reference=n_ref,
            available=available,
        )

    @staticmethod
    def _no_covariates(covariates: Mapping[str, Any] | None) -> None:
        if covariates:
            raise TrajectoryInputError("this model uses no covariates; only 'neighbours' does")
