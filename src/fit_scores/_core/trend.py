"""Least-squares trends per track, over many tracks at once (segment sums, no loop per track)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["SegmentTrends", "segment_trends"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SegmentTrends:
    """Per-segment ordinary least-squares line ``y = intercept + slope * t``.

    ``slope``, ``intercept`` and ``se`` are NaN where a segment has fewer than
    three points or no spread in ``t`` (``se`` needs ``n - 2 >= 1`` residual
    degrees of freedom).
    """

    n: npt.NDArray[np.int64]
    slope: FloatArray
    intercept: FloatArray
    se: FloatArray


def segment_trends(
    t: FloatArray, y: FloatArray, starts: npt.NDArray[np.int64], *, min_points: int = 3
) -> SegmentTrends:
    r"""OLS slope, intercept and slope standard error of every segment.

    Parameters
    ----------
    t, y : ndarray of float, shape (n,)
        Time and score, sorted so that each segment is contiguous.
    starts : ndarray of int
        Start offset of each segment (the first is 0).
    min_points : int
        Segments with fewer points get NaN (default 3).

    Notes
    -----
    With centred sums per segment, :math:`S_{tt} = \sum (t - \bar t)^2`,
    :math:`S_{ty} = \sum (t - \bar t)(y - \bar y)`, the slope is
    :math:`S_{ty}/S_{tt}` and its standard error
    :math:`\sqrt{RSS/((n - 2) S_{tt})}`. Centring is done per segment with the
    segment means, so large times (days) lose no precision.

    Examples
    --------
    >>> t = np.array([1.0, 2, 3, 1, 2])
    >>> y = np.array([10.0, 12, 14, 5, 6])
    >>> r = segment_trends(t, y, np.array([0, 3]))
    >>> r.n.tolist(), r.slope.round(3).tolist(), r.se.round(3).tolist()
    ([3, 2], [2.0, nan], [0.0, nan])
    """
    counts = np.diff(np.r_[starts, t.size]).astype(np.int64)
    segment = np.repeat(np.arange(starts.size), counts)
    safe = np.maximum(counts, 1)
    t_mean = np.add.reduceat(t, starts) / safe
    y_mean = np.add.reduceat(y, starts) / safe
    tc = t - t_mean[segment]
    yc = y - y_mean[segment]
    s_tt = np.add.reduceat(tc * tc, starts)
    s_ty = np.add.reduceat(tc * yc, starts)
    s_yy = np.add.reduceat(yc * yc, starts)
    ok = (counts >= min_points) & (s_tt > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(ok, s_ty / s_tt, np.nan)
        rss = np.maximum(s_yy - slope * s_ty, 0.0)
        se = np.where(ok & (counts > 2), np.sqrt(rss / ((counts - 2) * s_tt)), np.nan)
    intercept = np.where(ok, y_mean - slope * t_mean, np.nan)
    return SegmentTrends(counts, slope, intercept, se)
