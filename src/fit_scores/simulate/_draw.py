"""Drawing helpers shared by the cohort and family simulations.

Meeting schedules, latent person values, alliance totals, rounding to the scale's grid,
ids and date arithmetic, all vectorised with numpy.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from fit_scores.scales import Scale, get_scale
from fit_scores.simulate._types import DateArray, FloatArray, IntArray, StrArray
from fit_scores.simulate.params import BandName, SimulationParams

#: Mean length of a year in days (Gregorian calendar).
DAYS_PER_YEAR = 365.2425


def make_ids(prefix: str, n: int, width: int = 6) -> StrArray:
    """``prefix`` followed by 1..n zero-padded to ``width`` digits, without a Python loop."""
    width = max(width, len(str(n)))
    k = np.arange(1, n + 1, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    codes = np.empty((n, len(prefix) + width), dtype=np.uint8)
    codes[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    codes[:, len(prefix) :] = (k[:, None] // powers) % 10 + ord("0")
    out: StrArray = codes.view(f"S{len(prefix) + width}").ravel().astype(np.str_)
    return out


def completed_years(birth: DateArray, when: DateArray) -> IntArray:
    """Age in completed years at ``when`` (the rule of :meth:`fit_scores.Person.age_at`)."""

    def parts(d: DateArray) -> tuple[IntArray, IntArray]:
        year = d.astype("datetime64[Y]").astype(np.int64)
        month_start = d.astype("datetime64[M]")
        month = month_start.astype(np.int64) - 12 * year
        day = (d - month_start).astype(np.int64)
        return year, month * 32 + day

    by, bmd = parts(birth)
    wy, wmd = parts(when)
    out: IntArray = wy - by - (wmd < bmd).astype(np.int64)
    return out


def constant(value: str, n: int) -> StrArray:
    """A read-only length-``n`` view of one string (no memory per row)."""
    out: StrArray = np.broadcast_to(np.array(value, dtype=np.str_), (n,))
    return out


def to_date64(day: dt.date) -> np.datetime64:
    """A date as ``datetime64[D]``."""
    return np.datetime64(day.isoformat(), "D")


def segment_starts(lengths: IntArray) -> IntArray:
    """Offsets at which consecutive segments of the given lengths start."""
    out: IntArray = np.cumsum(lengths) - lengths
    return out


def schedule(
    rng: np.random.Generator, n: int, p: SimulationParams, max_days: int
) -> tuple[IntArray, IntArray]:
    """Meeting offsets (days from intake) of ``n`` tracks: per-track counts and offsets.

    Offsets are contiguous per track, start at 0 and increase strictly.
    """
    cap = int(max_days // p.gap_min_days) + 1  # most meetings that can fit
    stop_first = rng.random(n) < p.dropout_first
    later = rng.geometric(p.dropout_hazard, size=n).astype(np.int64)
    lengths = np.where(stop_first, 1, 1 + np.minimum(later, cap)).astype(np.int64)
    lengths = np.minimum(lengths, cap)
    total = int(lengths.sum())
    starts = segment_starts(lengths)
    regular = p.gap_min_days + rng.gamma(p.gap_shape, p.gap_scale_days, size=total)
    is_long = rng.random(total) < p.long_gap_prob
    long_gap = p.long_gap_min_days + rng.exponential(p.long_gap_mean_days, size=total)
    gaps = np.maximum(np.rint(np.where(is_long, long_gap, regular)), 1.0).astype(np.int64)
    gaps[starts] = 0
    cum = np.cumsum(gaps)
    offsets = cum - np.repeat(cum[starts], lengths)
    keep = offsets <= max_days  # a prefix of every track (offsets increase)
    counts = np.add.reduceat(keep.astype(np.int64), starts)
    out_offsets: IntArray = offsets[keep]
    return counts.astype(np.int64), out_offsets


def _norm_source(scale: Scale) -> Scale:
    """The scale whose norms give the measurement error (the ORS when ``scale`` has none)."""
    norms = scale.norms
    if norms.functional is not None and any(r.type == "alpha" for r in norms.reliability):
        return scale
    return get_scale("ORS")


def measurement_sd(scale_key: str, p: SimulationParams) -> float:
    r""":math:`\sigma_e = SD_{functional} \sqrt{1 - r_{xx}}` (or the override)."""
    if p.measurement_sd is not None:
        return float(p.measurement_sd)
    source = _norm_source(get_scale(scale_key))
    functional = source.norms.functional
    if functional is None:  # pragma: no cover - the built-in ORS has norms
        raise ValueError(f"{source.key} has no functional norms; give measurement_sd")
    if p.reliability is not None:
        rel = p.reliability
    else:
        rel = next(r.value for r in source.norms.reliability if r.type == "alpha")
    return float(functional.sd * math.sqrt(1.0 - rel))


def band_cutoff(band: BandName) -> float:
    """The self-rated cutoff of the outcome scale of an age band (CORS 6-12, ORS 13+)."""
    key, age = {"child": ("CORS", 6), "adolescent": ("ORS", 13), "adult": ("ORS", 18)}[band]
    value = get_scale(key).cutoff(age=age, rater="self").value
    if value is None:  # pragma: no cover - the built-ins publish these
        raise ValueError(f"{key} has no self-rated cutoff for the {band} band")
    return float(value)


def to_grid(values: FloatArray, scale: Scale) -> tuple[FloatArray, int]:
    """Round to the scale's resolution; bound to its range and count the bounded values."""
    tpu = scale.ticks_per_unit
    ticks = np.rint(values * tpu)
    lo, hi = round(scale.total_min * tpu), round(scale.total_max * tpu)
    out_of_range = (ticks < lo) | (ticks > hi)
    ticks = np.clip(ticks, lo, hi)
    total: FloatArray = ticks / tpu
    return total, int(out_of_range.sum())


@dataclass(frozen=True)
class People:
    """Per-person latent values of the outcome and alliance models."""

    theta: FloatArray
    slope: FloatArray
    deviation: FloatArray
    cutoff: FloatArray
    log_shortfall: FloatArray
    ceiling: FloatArray


def draw_people(
    rng_outcome: np.random.Generator,
    rng_alliance: np.random.Generator,
    means: FloatArray,
    sds: FloatArray,
    cutoffs: FloatArray,
    gamma0: FloatArray,
    p: SimulationParams,
) -> People:
    """True intake, slope and alliance parameters of each person (vectorised)."""
    n = means.shape[0]
    z = rng_outcome.standard_normal((2, n))
    theta = means + sds * z[0]
    deviation = p.omega * z[1]
    slope = gamma0 + p.gamma1 * (theta - cutoffs) + deviation
    za = rng_alliance.standard_normal(n)
    rho = p.alliance_outcome_corr
    log_shortfall = math.log(p.alliance_median_shortfall) + p.alliance_person_sd * (
        rho * z[1] + math.sqrt(1.0 - rho * rho) * za
    )
    ceiling: FloatArray = np.asarray(
        rng_alliance.beta(p.alliance_ceiling_a, p.alliance_ceiling_b, size=n), dtype=np.float64
    )
    return People(theta, slope, deviation, cutoffs, log_shortfall, ceiling)


def alliance_totals(
    rng: np.random.Generator,
    log_shortfall: FloatArray,
    ceiling: FloatArray,
    log_time: FloatArray,
    p: SimulationParams,
) -> FloatArray:
    """Unrounded alliance totals (40 at the ceiling, else 40 minus a positive shortfall)."""
    n = log_time.shape[0]
    at_ceiling = rng.random(n) < ceiling
    noise = rng.standard_normal(n)
    dip = rng.random(n) < p.alliance_dip_prob
    dip_size = rng.exponential(p.alliance_dip_mean, size=n)
    shortfall = np.exp(log_shortfall - p.alliance_trend * log_time + p.alliance_noise_sd * noise)
    shortfall = shortfall + np.where(dip, dip_size, 0.0)
    out: FloatArray = np.where(at_ceiling, 40.0, 40.0 - shortfall)
    return out


def readonly_truth(truth: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """The true values as contiguous float64 arrays (made read-only by the result)."""
    return {k: np.ascontiguousarray(v, dtype=np.float64) for k, v in truth.items()}
