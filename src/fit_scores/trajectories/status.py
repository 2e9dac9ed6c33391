"""On track, at risk or off track: the status rule and its vectorised kernel.

:func:`status_codes` is the one place the decision is made; a model's
``status(track)`` applies it to one track and ``statuses(...)`` (and the
table summary) to many.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from fit_scores._model import FrozenModel
from fit_scores.trajectories.axis import IntArray
from fit_scores.trajectories.bands import ExpectedBand

__all__ = ["STATUSES", "Status", "StatusRule", "TrackStatus", "status_codes"]

Status = Literal["not_enough_data", "on_track", "at_risk", "off_track"]

#: The statuses, in the order of the integer codes of :func:`status_codes`.
STATUSES: tuple[Status, ...] = ("not_enough_data", "on_track", "at_risk", "off_track")


class StatusRule(FrozenModel):
    """How a track's latest score is compared with the expected band.

    Defaults: on track at or above the expected line (median), off track below
    the 10th percentile, at risk in between; at least two scores (intake and
    one more) are needed. Mirrors OpenFIT-style logic (green / amber / red,
    grey with one score; domain reference section 5.3).
    """

    on_track_at: float = Field(default=50.0, gt=0, lt=100)
    off_track_below: float = Field(default=10.0, gt=0, lt=100)
    min_scores: int = Field(default=2, ge=2)


class TrackStatus(FrozenModel):
    """Status of one track against an expected-response model."""

    status: Status
    latest: float | None
    at: float | None
    expected: ExpectedBand | None
    in_functional_range: bool | None = Field(
        description="latest score at or above the cutoff for the person's age band"
    )
    reason: str | None
    rule: StatusRule


def status_codes(
    latest: npt.ArrayLike,
    on_line: npt.ArrayLike,
    low: npt.ArrayLike,
    *,
    higher_is_better: bool = True,
    available: npt.ArrayLike | None = None,
) -> IntArray:
    r"""Status codes of many latest scores against their expected bands.

    Parameters
    ----------
    latest : array_like of float
        The latest score of each track.
    on_line : array_like of float
        The expected line (the band value at ``StatusRule.on_track_at``).
    low : array_like of float
        The lower band: the value at ``StatusRule.off_track_below`` (at
        ``100 - off_track_below`` when lower scores are better).
    higher_is_better : bool
        Direction of the scale.
    available : array_like of bool, optional
        Where a status can be given (enough scores and reference data).
        Default: where ``latest``, ``on_line`` and ``low`` are all finite.
        Pairs with a NaN are never classified.

    Returns
    -------
    ndarray of int64
        Indexes into :data:`STATUSES`: 0 not enough data, 1 on track, 2 at
        risk, 3 off track; the broadcast shape of the inputs.

    Notes
    -----
    With :math:`d = 1` when higher scores are better, else :math:`-1`:
    on track if :math:`d(y - m) \ge 0`, off track if :math:`d(y - l) < 0`,
    at risk otherwise (:math:`y` the latest score, :math:`m` the expected
    line, :math:`l` the lower band). The line itself counts as on track.

    Examples
    --------
    >>> codes = status_codes([23.0, 21.0, 17.0, 17.0], 22.0, 18.0,
    ...                      available=[True, True, True, False])
    >>> [STATUSES[c] for c in codes]
    ['on_track', 'at_risk', 'off_track', 'not_enough_data']
    >>> [STATUSES[c] for c in status_codes([8.0, 12.0], 10.0, 14.0, higher_is_better=False)]
    ['on_track', 'at_risk']
    """
    y, m, lo = np.broadcast_arrays(
        np.asarray(latest, dtype=np.float64),
        np.asarray(on_line, dtype=np.float64),
        np.asarray(low, dtype=np.float64),
    )
    d = 1.0 if higher_is_better else -1.0
    finite = np.isfinite(y) & np.isfinite(m) & np.isfinite(lo)
    ok = finite if available is None else finite & np.asarray(available, dtype=bool)
    with np.errstate(invalid="ignore"):
        on = d * (y - m) >= 0
        off = d * (y - lo) < 0
    codes: IntArray = np.where(ok, np.where(on, 1, np.where(off, 3, 2)), 0).astype(np.int64)
    return codes
