"""Long-format scores grouped into tracks: the input of the expected-response models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from fit_scores._core import segments as _seg
from fit_scores.errors import TrajectoryInputError
from fit_scores.trajectories.axis import FloatArray, TimeAxis, from_intake

__all__ = ["TrajectoryData"]


@dataclass(frozen=True)
class TrajectoryData:
    """Long-format scores grouped into tracks, for fitting expected-response models.

    Rows are sorted by track, then time. ``time`` is counted from each
    track's intake (:func:`~fit_scores.trajectories.axis.from_intake`): the
    session number read from the intake (1 at intake, whatever number the
    intake's session had) or the days since intake (0 at intake). ``intake`` is each
    track's first score.

    Build with :meth:`from_tracks`, :meth:`from_arrays`, or from a score
    table with :meth:`ScoreTable.trajectories
    <fit_scores.table.ScoreTable.trajectories>`.

    Attributes
    ----------
    track_ids : ndarray
        The id of every track.
    starts : ndarray of int
        Start offsets of the tracks in the rows.
    time, score : ndarray of float
        Time and score of every row.
    axis : {"session", "days"}
        The time axis.
    covariates : dict of str to ndarray
        Per-track covariates (one value per track).
    higher_is_better : bool or None
        The direction of the scale when the data know it (a score table's
        view); ``None`` otherwise. :func:`fit_expected_response
        <fit_scores.fit_expected_response>` uses it when it is not told.
    """

    track_ids: npt.NDArray[Any]
    starts: npt.NDArray[np.int64]
    time: FloatArray
    score: FloatArray
    axis: TimeAxis
    covariates: dict[str, FloatArray]
    higher_is_better: bool | None = None

    @property
    def n_tracks(self) -> int:
        """Number of tracks."""
        return int(self.starts.size)

    @property
    def counts(self) -> npt.NDArray[np.int64]:
        """Number of scores per track."""
        counts: npt.NDArray[np.int64] = np.diff(np.r_[self.starts, self.time.size]).astype(np.int64)
        return counts

    @property
    def intake(self) -> FloatArray:
        """First score of every track."""
        intake: FloatArray = self.score[self.starts]
        return intake

    @property
    def track_of_row(self) -> npt.NDArray[np.int64]:
        """Index of the track of every row."""
        return np.repeat(np.arange(self.n_tracks), self.counts)

    @classmethod
    def from_arrays(
        cls,
        track: Sequence[Any] | npt.ArrayLike,
        time: npt.ArrayLike,
        score: npt.ArrayLike,
        *,
        axis: TimeAxis = "session",
        covariates: Mapping[str, npt.ArrayLike] | None = None,
    ) -> TrajectoryData:
        """Rows of (track id, time, score); rows are sorted here.

        ``time`` is the session number (from 1) for ``axis="session"``, or
        the date as ``datetime64`` (or days as numbers) for ``axis="days"``;
        both are then counted from each track's intake (sessions 2, 3, 6 are
        read as 1, 2, 5; days from the first date). ``covariates`` holds
        per-row values that must be constant within a track.
        """
        ids = np.asarray(track)
        y = np.asarray(score, dtype=np.float64)
        t_raw = np.asarray(time)
        n = ids.size
        if ids.ndim != 1 or y.shape != (n,) or t_raw.shape != (n,):
            raise TrajectoryInputError(
                f"track, time and score must be one-dimensional of equal length "
                f"({ids.shape}, {t_raw.shape}, {y.shape})"
            )
        if axis not in ("session", "days"):
            raise TrajectoryInputError(f"axis must be 'session' or 'days', got {axis!r}")
        if not np.isfinite(y).all():
            raise TrajectoryInputError(
                f"score: row {int(np.flatnonzero(~np.isfinite(y))[0])} is not finite"
            )
        if np.issubdtype(t_raw.dtype, np.datetime64):
            t = t_raw.astype("datetime64[D]").astype(np.int64).astype(np.float64)
        else:
            t = t_raw.astype(np.float64)
        if not np.isfinite(t).all():
            raise TrajectoryInputError(
                f"time: row {int(np.flatnonzero(~np.isfinite(t))[0])} is not finite"
            )
        _, inverse = np.unique(ids, return_inverse=True)
        order, starts = _seg.sort_segments(inverse.reshape(-1), t)
        t, y, ids = t[order], y[order], ids[order]
        ties = _seg.segment_ties(t, starts)
        if ties.size:
            row = int(order[ties[0]])
            raise TrajectoryInputError(f"row {row}: two scores of one track at the same time")
        counts = _seg.segment_counts(starts, n)
        first = np.repeat(t[starts], counts)
        if axis == "session" and ((t < 1).any() or (t != np.round(t)).any()):
            raise TrajectoryInputError("session numbers must be whole numbers from 1")
        t = from_intake(t, first, axis)  # time from each track's own intake
        covs: dict[str, FloatArray] = {}
        for name, values in (covariates or {}).items():
            v = np.asarray(values, dtype=np.float64)[order]
            if v.shape != (n,) or not np.isfinite(v).all():
                raise TrajectoryInputError(f"covariate {name!r}: expected {n} finite values")
            if (np.maximum.reduceat(v, starts) != np.minimum.reduceat(v, starts)).any():
                raise TrajectoryInputError(f"covariate {name!r} varies within a track")
            covs[name] = v[starts]
        return cls(ids[starts], starts, t, y, axis, covs)

    @classmethod
    def from_tracks(cls, tracks: Sequence[Any], *, axis: TimeAxis = "session") -> TrajectoryData:
        """From :class:`fit_scores.Track` objects (session numbers, else positions, from 1)."""
        ids: list[int] = []
        times: list[float] = []
        scores: list[float] = []
        for k, tr in enumerate(tracks):
            admins = tr.administrations
            have_sessions = all(a.session is not None for a in admins)
            for pos, a in enumerate(admins):
                ids.append(k)
                if axis == "days":
                    times.append(float((a.date - admins[0].date).days))
                else:
                    times.append(float(a.session if have_sessions else pos + 1))
                scores.append(float(a.total_exact))
        return cls.from_arrays(np.array(ids), np.array(times), np.array(scores), axis=axis)
