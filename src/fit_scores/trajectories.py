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

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, TypeAdapter

from fit_scores._core import trend as _trend
from fit_scores._model import FrozenModel
from fit_scores.errors import NoReferenceDataError, TrajectoryInputError

__all__ = [
    "CohortModel",
    "ExpectedBand",
    "ExpectedResponseModel",
    "GrowthModel",
    "NeighboursModel",
    "NoReferenceDataError",
    "StatusRule",
    "TrackStatus",
    "TrajectoryData",
    "TrajectoryInputError",
    "TrendResult",
    "fit_expected_response",
    "load_model",
]

FloatArray = npt.NDArray[np.float64]
TimeAxis = Literal["session", "days"]
Transform = Literal["log", "linear"]
Status = Literal["not_enough_data", "on_track", "at_risk", "off_track"]
DAYS_PER_STEP = 30.0


# --- per-track trend ----------------------------------------------------------------


class TrendResult(FrozenModel):
    """A least-squares trend of one track.

    ``slope`` is in points per ``unit``: per session (``time="session"``),
    per 30 days (``"days"``) or per unit of log(session) (``"log_session"``).
    With fewer than three scores the status is ``"not_enough_data"`` and the
    numbers are ``None``.
    """

    status: Literal["ok", "not_enough_data"]
    n: int
    time: Literal["session", "days", "log_session"]
    unit: Literal["per session", "per 30 days", "per log session"]
    slope: float | None
    intercept: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    level: float


def trend_of(
    times: FloatArray, scores: FloatArray, *, time: str, level: float = 0.95
) -> TrendResult:
    """The trend of one series (``times`` already on the chosen axis, per 30 days for days)."""
    unit = {"session": "per session", "days": "per 30 days", "log_session": "per log session"}
    if time not in unit:
        raise TrajectoryInputError(f"time must be 'session', 'days' or 'log_session', got {time!r}")
    if not 0 < level < 1:
        raise TrajectoryInputError(f"level must be in (0, 1), got {level!r}")
    fit = _trend.segment_trends(times, scores, np.array([0], dtype=np.int64))
    n = int(fit.n[0])
    common = {"n": n, "time": time, "unit": unit[time], "level": level}
    if not math.isfinite(float(fit.slope[0])):
        return TrendResult(
            status="not_enough_data",
            slope=None,
            intercept=None,
            se=None,
            ci_low=None,
            ci_high=None,
            **common,
        )
    from scipy.special import stdtrit

    slope, se = float(fit.slope[0]), float(fit.se[0])
    half = float(stdtrit(n - 2, 0.5 + level / 2)) * se
    return TrendResult(
        status="ok",
        slope=slope,
        intercept=float(fit.intercept[0]),
        se=se,
        ci_low=slope - half,
        ci_high=slope + half,
        **common,
    )


# --- data -------------------------------------------------------------------------


@dataclass(frozen=True)
class TrajectoryData:
    """Long-format scores grouped into tracks, for fitting expected-response models.

    Rows are sorted by track, then time. ``time`` is the session number (1 at
    intake) or the days since intake (0 at intake). ``intake`` is each
    track's first score.

    Build with :meth:`from_tracks` or :meth:`from_arrays`.
    """

    track_ids: npt.NDArray[Any]
    starts: npt.NDArray[np.int64]
    time: FloatArray
    score: FloatArray
    axis: TimeAxis
    covariates: dict[str, FloatArray]

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
        days are counted from each track's first date. ``covariates`` holds
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
        order = np.lexsort((t, inverse))
        key, t, y, ids = inverse[order], t[order], y[order], ids[order]
        if n and ((np.diff(key) == 0) & (np.diff(t) == 0)).any():
            row = int(order[np.flatnonzero((np.diff(key) == 0) & (np.diff(t) == 0))[0] + 1])
            raise TrajectoryInputError(f"row {row}: two scores of one track at the same time")
        starts = np.flatnonzero(np.r_[True, np.diff(key) != 0]).astype(np.int64) if n else key
        counts = np.diff(np.r_[starts, n])
        first = np.repeat(t[starts], counts)
        if axis == "days":
            t = t - first
        elif (t < 1).any() or (t != np.round(t)).any():
            raise TrajectoryInputError("session numbers must be whole numbers from 1")
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


def _f(t: FloatArray | float, axis: TimeAxis, transform: Transform) -> FloatArray:
    """The model's time variable: 0 at intake; log or linear in sessions or 30-day steps."""
    arr = np.asarray(t, dtype=np.float64)
    step = arr - 1.0 if axis == "session" else arr / DAYS_PER_STEP
    out: FloatArray = np.log1p(step) if transform == "log" else step
    return out


# --- results ------------------------------------------------------------------------


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


class _BaseModel(FrozenModel):
    """Shared behaviour of the fitted expected-response models."""

    version: Literal[1] = 1
    axis: TimeAxis
    percentiles: tuple[float, ...]
    higher_is_better: bool = True
    n_tracks: int
    n_obs: int

    def expected(
        self, intake: float, at: float, *, covariates: Mapping[str, float] | None = None
    ) -> ExpectedBand:  # pragma: no cover - abstract
        raise NotImplementedError

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
        ``off_track`` below the lower band; ``at_risk`` in between.
        ``in_functional_range`` is whether the latest score is at or above the
        cutoff for the person's age band and rater (exact, in ticks).
        """
        rule = StatusRule() if rule is None else rule
        for p in {rule.on_track_at, rule.off_track_below} - {50.0}:
            if p not in self.percentiles:
                raise TrajectoryInputError(
                    f"the rule uses percentile {p:g}, the model has {list(self.percentiles)}"
                )
        t, y = track.times(self.axis), track.scores()
        latest_adm = track.administrations[-1]
        functional = None
        cut = track.cutoff_at(-1, person)
        if cut is not None and cut.value is not None:
            functional = not track.scale.classify(latest_adm.total_ticks, cut)
        common = {"rule": rule, "in_functional_range": functional}
        if y.size < rule.min_scores:
            return TrackStatus(
                status="not_enough_data",
                latest=float(y[-1]),
                at=float(t[-1]),
                expected=None,
                reason=f"{y.size} score(s); at least {rule.min_scores} are needed",
                **common,
            )
        try:
            band = self.expected(float(y[0]), float(t[-1]), covariates=covariates)
        except NoReferenceDataError as exc:
            return TrackStatus(
                status="not_enough_data",
                latest=float(y[-1]),
                at=float(t[-1]),
                expected=None,
                reason=str(exc),
                **common,
            )
        d = 1.0 if self.higher_is_better else -1.0
        latest = float(y[-1])
        on_line = band.band(rule.on_track_at)
        low = band.band(
            rule.off_track_below if self.higher_is_better else 100 - rule.off_track_below
        )
        if d * (latest - on_line) >= 0:
            status: Status = "on_track"
        elif d * (latest - low) < 0:
            status = "off_track"
        else:
            status = "at_risk"
        return TrackStatus(
            status=status, latest=latest, at=float(t[-1]), expected=band, reason=None, **common
        )


def _normal_quantiles(percentiles: Sequence[float]) -> FloatArray:
    from scipy.special import ndtri

    return np.asarray(ndtri(np.asarray(percentiles, dtype=np.float64) / 100.0), dtype=np.float64)


def _check_at(model: _BaseModel, at: float) -> float:
    start = 1.0 if model.axis == "session" else 0.0
    if not math.isfinite(at) or at < start:
        unit = "session number (from 1)" if model.axis == "session" else "days since intake (>= 0)"
        raise TrajectoryInputError(f"at must be a {unit}, got {at!r}")
    return float(at)


def _intake_band(model: _BaseModel, intake: float, at: float) -> ExpectedBand:
    """At the intake itself the expected score is the intake."""
    return ExpectedBand(
        intake=intake,
        at=at,
        median=intake,
        percentiles=model.percentiles,
        values=tuple(intake for _ in model.percentiles),
    )


def _no_covariates(covariates: Mapping[str, float] | None) -> None:
    if covariates:
        raise TrajectoryInputError("this model uses no covariates; only 'neighbours' does")


# --- growth -------------------------------------------------------------------------


class GrowthModel(_BaseModel):
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

    def expected(
        self, intake: float, at: float, *, covariates: Mapping[str, float] | None = None
    ) -> ExpectedBand:
        """Median and percentile band for a person with ``intake`` at ``at``."""
        _no_covariates(covariates)
        at = _check_at(self, at)
        if at == (1.0 if self.axis == "session" else 0.0):
            return _intake_band(self, intake, at)
        f = float(_f(at, self.axis, self.transform))
        x = intake - self.intake_centre
        b0, b1, b2, b3 = self.beta
        mean = b0 + b1 * x + (b2 + b3 * x) * f
        p00, p01, p11 = self.psi
        sd = math.sqrt(max(p00 + 2 * f * p01 + f * f * p11, 0.0) + self.sigma2)
        z = _normal_quantiles(self.percentiles)
        return ExpectedBand(
            intake=intake,
            at=at,
            median=mean,
            percentiles=self.percentiles,
            values=tuple(float(mean + q * sd) for q in z),
        )


def _fit_growth(
    data: TrajectoryData,
    *,
    transform: Transform,
    reml: bool,
    percentiles: tuple[float, ...],
    higher_is_better: bool,
) -> GrowthModel:
    from fit_scores._core.mixed import fit_random_slope

    after = data.time > (1.0 if data.axis == "session" else 0.0)
    track = data.track_of_row[after]
    if track.size < 3 or np.unique(track).size < 2:
        raise TrajectoryInputError("the growth model needs scores after intake from 2+ tracks")
    intake = data.intake
    centre = float(np.mean(intake))
    x = (intake - centre)[track]
    f = _f(data.time[after], data.axis, transform)
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


# --- cohort -------------------------------------------------------------------------


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


class CohortModel(_BaseModel):
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

    def _bin(self, at: float) -> float:
        if self.axis == "session":
            if at != round(at):
                raise TrajectoryInputError(f"at must be a whole session number, got {at!r}")
            return float(at)
        return float(round(at / DAYS_PER_STEP)) * DAYS_PER_STEP

    def expected(
        self, intake: float, at: float, *, covariates: Mapping[str, float] | None = None
    ) -> ExpectedBand:
        """Median and percentile band for ``intake`` at ``at`` from the stored table."""
        _no_covariates(covariates)
        at = _check_at(self, at)
        if at == (1.0 if self.axis == "session" else 0.0):
            return _intake_band(self, intake, at)
        grid = np.asarray(self.intakes)
        i = int(np.argmin(np.abs(grid - intake)))
        if abs(grid[i] - intake) > self.k_max:
            raise NoReferenceDataError(
                f"no reference tracks with an intake near {intake:g} "
                f"(grid {grid[0]:g}-{grid[-1]:g})"
            )
        key = self._bin(at)
        if key not in self.ats:
            raise NoReferenceDataError(f"no reference scores at {self.axis} {at:g}")
        j = self.ats.index(key)
        median, values = self.median[i][j], self.values[i][j]
        if median is None or values is None:
            raise NoReferenceDataError(
                f"fewer than {self.min_n} reference scores at {self.axis} {at:g} for intakes "
                f"within {self.k_max:g} points of {grid[i]:g}"
            )
        return ExpectedBand(
            intake=intake,
            at=at,
            median=median,
            percentiles=self.percentiles,
            values=values,
            n_reference=self.n[i][j],
        )


def _fit_cohort(
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
    if not 0 < k <= k_max or not k_step > 0 or min_n < 1 or not grid_step > 0:
        raise TrajectoryInputError("need 0 < k <= k_max, k_step > 0, min_n >= 1, grid_step > 0")
    after = data.time > (1.0 if data.axis == "session" else 0.0)
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


# --- neighbours ---------------------------------------------------------------------


class NeighboursModel(_BaseModel):
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

    def expected(
        self, intake: float, at: float, *, covariates: Mapping[str, float] | None = None
    ) -> ExpectedBand:
        """Median and band from the nearest reference tracks."""
        at = _check_at(self, at)
        given = dict(covariates or {})
        if set(given) != set(self.covariate_names):
            raise TrajectoryInputError(
                f"covariates: expected {list(self.covariate_names)}, got {sorted(given)}"
            )
        if at == (1.0 if self.axis == "session" else 0.0):
            return _intake_band(self, intake, at)
        point = np.array([intake, *(float(given[c]) for c in self.covariate_names)])
        z = (point - np.asarray(self.centre)) / np.asarray(self.scale)
        feats = np.asarray(self.features)
        dist = np.sum((feats - z) ** 2, axis=1)
        k = min(self.n_neighbours, dist.size)
        nearest = np.argpartition(dist, k - 1)[:k]
        f = float(_f(at, self.axis, self.transform))
        centres = (
            intake + np.asarray(self.intercept_shift)[nearest] + np.asarray(self.slope)[nearest] * f
        )
        sd = math.sqrt(self.sigma2)
        qs = [_mixture_quantile(centres, sd, p / 100.0) for p in (*self.percentiles, 50.0)]
        return ExpectedBand(
            intake=intake,
            at=at,
            median=qs[-1],
            percentiles=self.percentiles,
            values=tuple(qs[:-1]),
            n_reference=k,
        )


def _mixture_quantile(centres: FloatArray, sd: float, p: float) -> float:
    """Quantile ``p`` of an equal-weight mixture of normals N(centre, sd^2)."""
    from scipy.optimize import brentq
    from scipy.special import ndtr

    if sd == 0:
        return float(np.quantile(centres, p))
    lo = float(centres.min()) - 10 * sd
    hi = float(centres.max()) + 10 * sd
    return float(brentq(lambda q: float(np.mean(ndtr((q - centres) / sd))) - p, lo, hi, xtol=1e-10))


def _fit_neighbours(
    data: TrajectoryData,
    *,
    transform: Transform,
    n_neighbours: int,
    covariates: Sequence[str],
    percentiles: tuple[float, ...],
    higher_is_better: bool,
) -> NeighboursModel:
    if n_neighbours < 1:
        raise TrajectoryInputError("n_neighbours must be at least 1")
    missing = [c for c in covariates if c not in data.covariates]
    if missing:
        raise TrajectoryInputError(f"covariates {missing} are not in the data")
    f = _f(data.time, data.axis, transform)
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


# --- the one interface ----------------------------------------------------------------

ExpectedResponseModel = Annotated[
    GrowthModel | CohortModel | NeighboursModel, Field(discriminator="kind")
]
_ADAPTER: TypeAdapter[GrowthModel | CohortModel | NeighboursModel] = TypeAdapter(
    ExpectedResponseModel
)


def fit_expected_response(
    data: TrajectoryData,
    method: Literal["growth", "cohort", "neighbours"] = "growth",
    *,
    transform: Transform = "log",
    percentiles: Sequence[float] = (10, 25, 75, 90),
    higher_is_better: bool = True,
    reml: bool = True,
    k: float = 2.0,
    k_max: float = 8.0,
    k_step: float = 1.0,
    min_n: int = 10,
    grid_step: float = 0.5,
    n_neighbours: int = 50,
    covariates: Sequence[str] = (),
) -> GrowthModel | CohortModel | NeighboursModel:
    """Fit an expected-response model on local data.

    Parameters
    ----------
    data : TrajectoryData
        The reference tracks (time by session number or elapsed days).
    method : {"growth", "cohort", "neighbours"}
        See the module documentation.
    transform : {"log", "linear"}
        Time variable of the growth and neighbours models: log(session) or
        log(1 + days/30) (default, log-linear change), or linear.
    percentiles : sequence of float
        The band (default 10/25/75/90).
    higher_is_better : bool
        Direction of the scale, for :meth:`status`.
    reml : bool
        Growth model fitted by REML (default) or ML.
    k, k_max, k_step, min_n, grid_step
        Cohort model: intake half-width, its widening, the minimum number of
        scores per cell, and the intake grid.
    n_neighbours, covariates
        Neighbours model: how many tracks, and which covariates of the data
        (besides intake) define "near".

    Examples
    --------
    >>> from fit_scores.trajectories import TrajectoryData, fit_expected_response
    >>> rng = np.random.default_rng(1)
    >>> ids = np.repeat(np.arange(300), 5)
    >>> session = np.tile(np.arange(1, 6), 300)
    >>> intake = np.repeat(rng.normal(18, 5, 300), 5)
    >>> score = intake + 3 * np.log(session) + rng.normal(0, 1.5, ids.size)
    >>> data = TrajectoryData.from_arrays(ids, session, score)
    >>> model = fit_expected_response(data, "growth")
    >>> band = model.expected(18.0, 5)
    >>> round(band.median, 1), band.percentiles
    (22.9, (10.0, 25.0, 75.0, 90.0))
    """
    pct = tuple(float(p) for p in percentiles)
    if not pct or any(not 0 < p < 100 or p == 50 for p in pct) or list(pct) != sorted(set(pct)):
        raise TrajectoryInputError(
            "percentiles must be increasing, distinct, in (0, 100) and not 50 (the median)"
        )
    if transform not in ("log", "linear"):
        raise TrajectoryInputError(f"transform must be 'log' or 'linear', got {transform!r}")
    if method == "growth":
        return _fit_growth(
            data, transform=transform, reml=reml, percentiles=pct, higher_is_better=higher_is_better
        )
    if method == "cohort":
        return _fit_cohort(
            data,
            k=k,
            k_max=k_max,
            k_step=k_step,
            min_n=min_n,
            grid_step=grid_step,
            percentiles=pct,
            higher_is_better=higher_is_better,
        )
    if method == "neighbours":
        return _fit_neighbours(
            data,
            transform=transform,
            n_neighbours=n_neighbours,
            covariates=covariates,
            percentiles=pct,
            higher_is_better=higher_is_better,
        )
    raise TrajectoryInputError(f"method must be 'growth', 'cohort' or 'neighbours', got {method!r}")


def load_model(text: str | bytes) -> GrowthModel | CohortModel | NeighboursModel:
    """Load a fitted model from its JSON (``model.model_dump_json()``)."""
    return _ADAPTER.validate_json(text)
