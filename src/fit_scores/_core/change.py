"""Vectorised kernels for reliable and clinically significant change.

Pure functions on float arrays of pre and post scores (one entry per person);
no Python loop per person. The public API in :mod:`fit_scores.change`
validates input and chooses the conventions (default or compatibility mode).

Notation: ``x1``/``x2`` pre and post scores; ``M1, S1`` and ``M2, S2`` mean and
SD (n - 1) of the analysed pre and post scores; ``r`` the reliability; ``d``
the direction (+1 higher is better, -1 lower is better).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "CATEGORIES",
    "Descriptives",
    "RciResult",
    "anchor_flags",
    "caseness",
    "categorise",
    "critical_value",
    "cutoff_value",
    "descriptives",
    "ha_caseness",
    "ha_group_level",
    "percentage_flags",
    "rci",
    "rci_flags",
    "wilson_interval",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
RciMethod = Literal["JT", "GLN", "HLL", "EN", "NK", "HA"]
CutoffType = Literal["a", "b", "c"]
CutoffMethod = Literal["JT", "HA"]
AtCutoff = Literal["functional", "clinical", "neither"]


@dataclass(frozen=True)
class Descriptives:
    """Means, SDs (n - 1) and correlation of the analysed pre and post scores."""

    m_pre: float
    sd_pre: float
    m_post: float
    sd_post: float
    correlation: float
    n: int


def descriptives(pre: FloatArray, post: FloatArray) -> Descriptives:
    """Descriptive statistics of complete pre/post pairs.

    Examples
    --------
    >>> d = descriptives(np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 5.0]))
    >>> d.m_pre, d.sd_pre, round(d.correlation, 4)
    (2.0, 1.0, 0.866)
    """
    n = int(pre.size)
    if n < 2:
        nan = float("nan")
        return Descriptives(float(np.mean(pre)) if n else nan, nan, nan, nan, nan, n)
    sd1 = float(np.std(pre, ddof=1))
    sd2 = float(np.std(post, ddof=1))
    cor = float(np.corrcoef(pre, post)[0, 1]) if sd1 > 0 and sd2 > 0 else float("nan")
    return Descriptives(float(np.mean(pre)), sd1, float(np.mean(post)), sd2, cor, n)


def critical_value(alpha: float, *, one_sided: bool) -> float:
    """The standard normal quantile ``1 - alpha`` (one-sided) or ``1 - alpha/2``.

    Examples
    --------
    >>> two, one = critical_value(0.05, one_sided=False), critical_value(0.05, one_sided=True)
    >>> round(two, 6), round(one, 6)
    (1.959964, 1.644854)
    """
    from scipy.special import ndtri  # light: scipy.special, not scipy.stats

    return float(ndtri(1.0 - (alpha if one_sided else alpha / 2.0)))


@dataclass(frozen=True)
class RciResult:
    """Per-person reliable change indices and the quantities behind them."""

    rci: FloatArray
    sem: float  # standard error of measurement, S1 * sqrt(1 - r)
    s_diff: float  # standard error of the difference, sqrt(2) * SEM
    sep: float  # standard error of prediction, S1 * sqrt(1 - r^2)
    r_dd: float | None  # HA reliability of the difference


def rci(
    method: RciMethod,
    pre: FloatArray,
    post: FloatArray,
    desc: Descriptives,
    reliability: float,
    reliability_post: float | None = None,
) -> RciResult:
    """Reliable change indices by the method ``method``.

    Notes
    -----
    With ``SEM = S1 sqrt(1 - r)``, ``S_diff = sqrt(2) SEM`` and
    ``SEP = S1 sqrt(1 - r^2)``:

    - JT: ``(x2 - x1) / S_diff`` (Jacobson & Truax 1991; Christensen & Mendoza 1986)
    - GLN: ``((x2 - M1) - r (x1 - M1)) / SEP`` (Gulliksen; Lord & Novick)
    - HLL: ``((x2 - M2) - r (x1 - M1)) / SEP`` (Hsu; Linn & Lord)
    - EN: ``(x2 - [r (x1 - M1) + M1]) / SEM`` (Edwards-Nunnally; Speer 1992)
    - NK: ``(x2 - [r (x1 - M1) + M1]) / sqrt(r^2 S1^2 (1 - r) + S1^2 (1 - r2))``
      with the post reliability ``r2`` (Nunnally & Kotsch 1983)
    - HA: ``[(x2 - x1) R_dd + (M2 - M1)(1 - R_dd)] / (sqrt(R_dd) S_diff)``
      (Hageman & Arrindell 1999), with ``r_xx1 = (S1^2 - SEM^2)/S1^2``,
      ``r_xx2 = (S2^2 - SEM^2)/S2^2`` and
      ``R_dd = (S1^2 r_xx1 + S2^2 r_xx2 - 2 S1 S2 c) / (S1^2 + S2^2 - 2 S1 S2 c)``.

    Examples
    --------
    >>> pre, post = np.array([30.0, 20.0]), np.array([20.0, 21.0])
    >>> desc = Descriptives(25.0, 5.0, 20.5, 1.0, 0.0, 2)
    >>> rci("JT", pre, post, desc, 0.8).rci.round(3).tolist()
    [-3.162, 0.316]
    """
    r = reliability
    s1 = desc.sd_pre
    sem = s1 * math.sqrt(1.0 - r)
    s_diff = math.sqrt(2.0 * sem**2)
    sep = s1 * math.sqrt(1.0 - r**2)
    r_dd: float | None = None
    if method == "JT":
        values = (post - pre) / s_diff
    elif method == "GLN":
        values = ((post - desc.m_pre) - r * (pre - desc.m_pre)) / sep
    elif method == "HLL":
        values = ((post - desc.m_post) - r * (pre - desc.m_pre)) / sep
    elif method == "EN":
        values = (post - (r * (pre - desc.m_pre) + desc.m_pre)) / sem
    elif method == "NK":
        r2 = r if reliability_post is None else reliability_post
        denominator = math.sqrt(r**2 * s1**2 * (1.0 - r) + s1**2 * (1.0 - r2))
        values = (post - (r * (pre - desc.m_pre) + desc.m_pre)) / denominator
    elif method == "HA":
        s2 = desc.sd_post
        rxx1 = (s1**2 - sem**2) / s1**2
        rxx2 = (s2**2 - sem**2) / s2**2
        c = desc.correlation
        r_dd = (s1**2 * rxx1 + s2**2 * rxx2 - 2 * s1 * s2 * c) / (s1**2 + s2**2 - 2 * s1 * s2 * c)
        values = ((post - pre) * r_dd + (desc.m_post - desc.m_pre) * (1.0 - r_dd)) / (
            math.sqrt(r_dd) * s_diff
        )
    else:  # pragma: no cover - guarded by the public API
        raise ValueError(f"unknown method {method!r}")
    return RciResult(np.asarray(values, dtype=np.float64), sem, s_diff, sep, r_dd)


def rci_flags(
    values: FloatArray, *, direction: int, z: float, inclusive: bool
) -> tuple[BoolArray, BoolArray]:
    """Reliably improved and reliably deteriorated flags.

    Improved if ``d * RCI > z`` (``>=`` when inclusive), deteriorated if
    ``d * RCI < -z`` (``<=``).

    Examples
    --------
    >>> imp, det = rci_flags(np.array([-2.5, 1.96, 0.0]), direction=-1, z=1.96, inclusive=False)
    >>> imp.tolist(), det.tolist()
    ([True, False, False], [False, False, False])
    """
    signed = direction * values
    if inclusive:
        return signed >= z, signed <= -z
    return signed > z, signed < -z


def cutoff_value(
    cutoff_type: CutoffType,
    cutoff_method: CutoffMethod,
    *,
    direction: int,
    m_clinical: float,
    sd_clinical: float,
    m_functional: float | None,
    sd_functional: float | None,
    reliability: float | None,
    b_uses: Literal["functional", "clinical"],
) -> float:
    """The population cutoff a, b or c.

    Notes
    -----
    Plain (Jacobson & Truax 1991), written with the direction ``d``:
    ``a = Mc + d 2 Sc``; ``b = Mf - d 2 Sf`` (``b_uses="functional"``, as in
    JT 1991) or ``Mf - d 2 Sc`` (``"clinical"``, as the R package
    clinicalsignificance 3.0.0); ``c = (Sc Mf + Sf Mc) / (Sc + Sf)``.

    Hageman & Arrindell (1999) "true score" cutoffs use ``SEM = Sc sqrt(1 - r)``,
    ``rc = (Sc^2 - SEM^2)/Sc^2`` and ``rf = (Sf^2 - SEM^2)/Sf^2``:
    ``a = Mc + d 2 Sc sqrt(rc)``; ``b = Mf - d 2 Sf sqrt(r)`` (functional SD) or
    ``Mf - d 2 Sc sqrt(rc)`` (clinical SD, the package);
    ``c = (Sc sqrt(rc) Mf + Sf sqrt(rf) Mc) / (Sc sqrt(rc) + Sf sqrt(rf))``.

    Examples
    --------
    >>> kw = dict(direction=1, m_clinical=40.0, sd_clinical=7.5, m_functional=60.0,
    ...           sd_functional=7.5, reliability=None, b_uses="functional")
    >>> [cutoff_value(t, "JT", **kw) for t in "abc"]
    [55.0, 45.0, 50.0]
    """
    d = direction
    mc, sc = m_clinical, sd_clinical
    if cutoff_method == "HA" and reliability is None:
        raise ValueError("Hageman-Arrindell cutoffs need a reliability")
    sem2 = sc**2 * (1.0 - (reliability or 0.0))
    rc = (sc**2 - sem2) / sc**2 if cutoff_method == "HA" else 1.0  # weight sqrt(rc) of Sc
    if cutoff_type == "a":
        return mc + d * 2.0 * sc * math.sqrt(rc)
    if m_functional is None or sd_functional is None:
        raise ValueError(f"cutoff {cutoff_type!r} needs m_functional and sd_functional")
    mf, sf = m_functional, sd_functional
    if cutoff_type == "b":
        if b_uses == "clinical":
            return mf - d * 2.0 * sc * math.sqrt(rc)
        rf_b = reliability if cutoff_method == "HA" and reliability is not None else 1.0
        return mf - d * 2.0 * sf * math.sqrt(rf_b)
    rf = (sf**2 - sem2) / sf**2 if cutoff_method == "HA" else 1.0
    wc, wf = sc * math.sqrt(rc), sf * math.sqrt(rf)
    return (wc * mf + wf * mc) / (wc + wf)


def caseness(
    pre: FloatArray, post: FloatArray, cut: float, *, direction: int, at_cutoff: AtCutoff
) -> tuple[BoolArray, BoolArray]:
    """Clinical at pre and functional at post, against cutoff ``cut``.

    ``at_cutoff`` says where a score exactly at the cutoff belongs:
    ``"functional"`` (clinical below, functional at or above; the fit_scores
    default), ``"clinical"``, or ``"neither"`` (strict on both sides, as the R
    package: a score at the cutoff is neither clinical at pre nor functional
    at post).

    Examples
    --------
    >>> c, f = caseness(np.array([20.0, 25.0]), np.array([25.0, 25.0]), 25.0,
    ...                 direction=1, at_cutoff="functional")
    >>> c.tolist(), f.tolist()
    ([True, False], [True, True])
    """
    s1 = direction * (pre - cut)
    s2 = direction * (post - cut)
    if at_cutoff == "functional":
        return s1 < 0, s2 >= 0
    if at_cutoff == "clinical":
        return s1 <= 0, s2 > 0
    return s1 < 0, s2 > 0


def ha_caseness(
    pre: FloatArray,
    post: FloatArray,
    cut: float,
    *,
    direction: int,
    z: float,
    desc: Descriptives,
    reliability: float,
    at_cutoff: AtCutoff,
) -> tuple[BoolArray, BoolArray, BoolArray]:
    """Hageman & Arrindell (1999) individual cutoff test.

    ``cs = (M2 + (x2 - M2) r_post - cut) / (sqrt(r_post) SEM)`` with
    ``SEM = S1 sqrt(1 - r)`` and ``r_post = (S2^2 - SEM^2) / S2^2``. Functional
    at post: clinical at pre and ``d cs > z``; clinical at post: not clinical
    at pre and ``d cs < -z``.

    Returns
    -------
    clinical_pre, functional_post, clinical_post : ndarray of bool
    """
    sem = desc.sd_pre * math.sqrt(1.0 - reliability)
    r_post = (desc.sd_post**2 - sem**2) / desc.sd_post**2
    cs = (desc.m_post + (post - desc.m_post) * r_post - cut) / (math.sqrt(r_post) * sem)
    clinical_pre, _ = caseness(pre, post, cut, direction=direction, at_cutoff=at_cutoff)
    functional_post = clinical_pre & (direction * cs > z)
    clinical_post = ~clinical_pre & (direction * cs < -z)
    return clinical_pre, functional_post, clinical_post


def ha_group_level(
    change: FloatArray,
    post: FloatArray,
    cut: float,
    *,
    direction: int,
    r_dd: float,
    sem: float,
    sd_post_reliability: float | None = None,
) -> tuple[float, float]:
    """Hageman & Arrindell (1999) group-level shares: changed and functional.

    ``changed = Phi(-D / (SD_D sqrt(R_dd)))`` when lower is better (one minus
    it when higher is better); ``functional = Phi((cut - M2) / (S2 sqrt(r_post)))``,
    mirrored likewise, with ``r_post = (S^2 - SEM^2) / S^2`` where ``S`` is
    ``sd_post_reliability`` (the whole sample's post SD, for a subgroup) or
    else the post SD ``S2`` of these scores.
    """
    from scipy.special import ndtr

    mean_change = float(np.mean(change))
    sd_change = float(np.std(change, ddof=1))
    m_post = float(np.mean(post))
    sd_post = float(np.std(post, ddof=1))
    s_rel = sd_post if sd_post_reliability is None else sd_post_reliability
    r_post = (s_rel**2 - sem**2) / s_rel**2
    z_changed = (0.0 - mean_change) / (sd_change * math.sqrt(r_dd))
    z_functional = (cut - m_post) / (sd_post * math.sqrt(r_post))
    changed = float(ndtr(z_changed))
    functional = float(ndtr(z_functional))
    if direction == 1:
        return 1.0 - changed, 1.0 - functional
    return changed, functional


def percentage_flags(
    pre: FloatArray,
    post: FloatArray,
    *,
    direction: int,
    improvement: float,
    deterioration: float,
    compat_zero_rule: bool,
) -> tuple[BoolArray, BoolArray]:
    """Improved and deteriorated by percentage change ``(x2 - x1) / x1`` (inclusive).

    With ``x1 == 0`` the percentage is undefined: the R package calls any
    post > 0 improved and post < 0 deteriorated whatever the direction
    (``compat_zero_rule``); otherwise the direction decides (a move from 0 in
    the better direction is an improvement). ``x1 == x2`` is always unchanged.

    Examples
    --------
    >>> imp, det = percentage_flags(np.array([20.0, 20.0, 0.0]), np.array([9.0, 25.0, 3.0]),
    ...                             direction=-1, improvement=0.5, deterioration=0.2,
    ...                             compat_zero_rule=False)
    >>> imp.tolist(), det.tolist()
    ([True, False, False], [False, True, True])
    """
    zero = pre == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(zero, 0.0, (post - pre) / np.where(zero, 1.0, pre))
    signed = direction * pct
    improved = ~zero & (signed >= improvement)
    deteriorated = ~zero & (signed <= -deterioration)
    if compat_zero_rule:
        improved |= zero & (post > 0)
        deteriorated |= zero & (post < 0)
    else:
        improved |= zero & (direction * post > 0)
        deteriorated |= zero & (direction * post < 0)
    same = pre == post
    return improved & ~same, deteriorated & ~same


def anchor_flags(
    pre: FloatArray,
    post: FloatArray,
    *,
    direction: int,
    mid_improvement: float,
    mid_deterioration: float,
) -> tuple[BoolArray, BoolArray]:
    """Improved if ``d (x2 - x1) >= MID_imp``, deteriorated if ``<= -MID_det`` (inclusive)."""
    signed = direction * (post - pre)
    return signed >= mid_improvement, signed <= -mid_deterioration


def wilson_interval(
    k: npt.ArrayLike, n: npt.ArrayLike, level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for proportions ``k / n``.

    Notes
    -----
    ``(p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)`` (Wilson 1927).

    Examples
    --------
    >>> lo, hi = wilson_interval(8, 20)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.2188, 0.6134)
    """
    z = critical_value(1.0 - level, one_sided=False)
    k_arr = np.asarray(k, dtype=np.float64)
    n_arr = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k_arr / n_arr
        denom = 1.0 + z**2 / n_arr
        centre = (p + z**2 / (2 * n_arr)) / denom
        half = z * np.sqrt(p * (1 - p) / n_arr + z**2 / (4 * n_arr**2)) / denom
    lo = np.where(n_arr > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    hi = np.where(n_arr > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    # exactly [0, .] at k = 0 and [., 1] at k = n (rounding leaves them 1e-17 off)
    lo = np.where((k_arr == 0) & (n_arr > 0), 0.0, lo)
    hi = np.where((k_arr == n_arr) & (n_arr > 0), 1.0, hi)
    return lo.astype(np.float64), hi.astype(np.float64)


def t_quantile(df: npt.ArrayLike, level: float) -> FloatArray:
    """The two-sided Student *t* quantile ``t(df, (1 + level) / 2)``; ``df`` below 1 counts as 1.

    Examples
    --------
    >>> round(float(t_quantile(24, 0.95)), 4)
    2.0639
    """
    from scipy.special import stdtrit

    with np.errstate(invalid="ignore"):
        out: FloatArray = np.asarray(
            stdtrit(np.maximum(np.asarray(df, dtype=np.float64), 1.0), 0.5 + level / 2),
            dtype=np.float64,
        )
    return out


def mean_interval(
    mean: npt.ArrayLike,
    se: npt.ArrayLike,
    n: npt.ArrayLike,
    level: float,
    bounds: tuple[float, float] = (-math.inf, math.inf),
) -> tuple[FloatArray, FloatArray]:
    """The Student *t* interval of means, intersected with the possible values ``bounds``.

    ``mean -+ t(n - 1) se``, cut to ``bounds`` (intersecting an interval with
    the parameter space never lowers its coverage; Mandelkern 2002); NaN where
    ``n < 2``.

    Examples
    --------
    >>> lo, hi = mean_interval([30.0, 39.0], [1.0, 1.0], [25, 25], 0.95, (0.0, 40.0))
    >>> [round(float(v), 3) for v in lo], [round(float(v), 3) for v in hi]
    ([27.936, 36.936], [32.064, 40.0])
    """
    m = np.asarray(mean, dtype=np.float64)
    n_arr = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        half = t_quantile(n_arr - 1.0, level) * np.asarray(se, dtype=np.float64)
        low = np.where(n_arr >= 2, np.maximum(m - half, bounds[0]), np.nan)
        high = np.where(n_arr >= 2, np.minimum(m + half, bounds[1]), np.nan)
    return low.astype(np.float64), high.astype(np.float64)


#: Every category, in report order; :func:`categorise` returns indices into it.
CATEGORIES: tuple[str, ...] = (
    "recovered",
    "non_reliably_recovered",
    "improved",
    "unchanged",
    "deteriorated",
    "harmed",
)
_RECOVERED, _NRR, _IMPROVED, _UNCHANGED, _DETERIORATED, _HARMED = range(6)


def categorise(
    improved: BoolArray,
    deteriorated: BoolArray,
    clinical_pre: BoolArray | None = None,
    functional_post: BoolArray | None = None,
    *,
    non_reliable_recovery: bool = False,
) -> npt.NDArray[np.int8]:
    """Category codes (indices into :data:`CATEGORIES`) from change and caseness flags.

    Without caseness: improved / unchanged / deteriorated. With caseness (the
    combined scheme of Jacobson & Truax 1991): recovered = clinical at pre,
    functional at post and improved; harmed = not clinical at pre, not
    functional at post and deteriorated; optionally non_reliably_recovered =
    crossed the cutoff (clinical at pre, functional at post) without reliable
    change.

    Examples
    --------
    >>> imp = np.array([True, True, False, False]); det = np.array([False, False, False, True])
    >>> cp = np.array([True, False, True, False]); fp = np.array([True, True, True, False])
    >>> [CATEGORIES[c] for c in categorise(imp, det, cp, fp, non_reliable_recovery=True)]
    ['recovered', 'improved', 'non_reliably_recovered', 'harmed']
    """
    out = np.full(improved.shape, _UNCHANGED, dtype=np.int8)
    out[improved] = _IMPROVED
    out[deteriorated] = _DETERIORATED
    if clinical_pre is None or functional_post is None:
        return out
    crossed = clinical_pre & functional_post
    out[crossed & improved] = _RECOVERED
    out[~clinical_pre & ~functional_post & deteriorated] = _HARMED
    if non_reliable_recovery:
        out[crossed & ~improved & ~deteriorated] = _NRR
    return out
