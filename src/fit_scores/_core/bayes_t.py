"""Posterior summaries of the JZS (Cauchy-prior) Bayesian t test without MCMC.

The R package BayesFactor (``ttestBF``) samples the posterior of the default
Bayesian t test by Gibbs sampling; the R package clinicalsignificance reports
the median and the central credible interval of those draws. The same
posterior is computed here deterministically: conditional on the variance
multiplier ``g`` of the scale-mixture representation of the Cauchy prior, the
posterior of the mean (or of the difference in means) is a scaled Student t,
so its distribution function is a one-dimensional integral over ``g``. The
integral is evaluated with the trapezoidal rule on ``u = log g``, which
converges geometrically for this smooth, rapidly decaying integrand; quantiles
are found by bracketed root finding on the mixture distribution function.

Unlike the other kernels in this package, the two public functions validate
their input and raise :class:`ValueError` for unusable data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy import optimize, special

__all__ = ["TPosterior", "jzs_one_sample", "jzs_two_sample"]

#: Step of the trapezoidal rule on ``u = log g``. The integrand is analytic in a
#: strip of half-width about pi/2 around the real axis, so the discretisation
#: error is of order exp(-2 pi (pi/2) / step), far below double precision.
_LOG_G_STEP: Final = 0.1

#: Grid points whose log weight is this far below the largest one are dropped
#: (exp(-45) is about 3e-20 relative weight).
_LOG_WEIGHT_CUTOFF: Final = 45.0

#: Below the prior's scale r**2, the prior density of g carries the factor
#: exp(-r**2 / (2 g)); starting the grid at log(r**2) - 7 leaves out a relative
#: mass of about exp(-548).
_LOWER_MARGIN: Final = 7.0

#: Above the posterior bulk, the integrand decays like 1/g; the grid ends this
#: far (in log g) above it.
_UPPER_MARGIN: Final = 50.0


@dataclass(frozen=True)
class TPosterior:
    """Posterior summary of a JZS Bayesian t test.

    Attributes
    ----------
    median : float
        Posterior median of the mean (one-sample) or of the difference in
        means, comparison minus reference (two-sample).
    ci_low : float
        Lower end of the central (equal-tailed) credible interval.
    ci_high : float
        Upper end of the central credible interval.
    bf10 : float
        Bayes factor of the alternative (Cauchy prior on the standardised
        effect) against the null hypothesis of no effect; ``inf`` if it
        exceeds the floating-point range.
    n : int or tuple of (int, int)
        Number of observations; for the two-sample case
        ``(len(comparison), len(reference))``, in argument order.
    """

    median: float
    ci_low: float
    ci_high: float
    bf10: float
    n: int | tuple[int, int]


def jzs_one_sample(
    d: npt.ArrayLike, *, r_scale: float = 2**0.5 / 2, level: float = 0.95
) -> TPosterior:
    r"""Posterior of the mean in the one-sample (or paired) JZS t test.

    Reproduces, without sampling, ``BayesFactor::ttestBF(x = d)`` (or
    ``ttestBF(x = post, y = pre, paired = TRUE)`` with ``d = post - pre``):
    the posterior median and central credible interval of the column ``mu``
    of ``ttestBF(..., posterior = TRUE)``, and the Bayes factor ``BF10``.

    Parameters
    ----------
    d : array_like of float, shape (n,)
        Observations, for a paired design the differences (post - pre).
        At least 2 finite values, not all equal.
    r_scale : float, optional
        Scale ``r`` of the Cauchy prior on the standardised effect
        ``delta = mu / sigma``. The default ``sqrt(2)/2`` is BayesFactor's
        ``rscale = "medium"``.
    level : float, optional
        Probability of the central credible interval, in (0, 1).

    Returns
    -------
    TPosterior
        Posterior median and central credible interval of ``mu``, ``BF10``
        and ``n``.

    Raises
    ------
    ValueError
        If `d` is not a one-dimensional array of at least 2 finite real
        numbers, if all values are equal (the posterior is then improper), or
        if `r_scale` or `level` is out of range.

    See Also
    --------
    jzs_two_sample : The two independent samples version.

    Notes
    -----
    Model (Rouder et al., 2009): :math:`d_i \sim N(\mu, \sigma^2)`
    independently, :math:`p(\sigma^2) \propto 1/\sigma^2`, and
    :math:`\delta = \mu/\sigma \sim \mathrm{Cauchy}(0, r)`, written as the
    scale mixture :math:`\delta \mid g \sim N(0, g)`,
    :math:`g \sim \mathrm{InvGamma}(1/2, r^2/2)`. This is the model that
    BayesFactor's Gibbs sampler for ``ttestBF`` draws from.

    With :math:`\bar d`, :math:`S = \sum_i (d_i - \bar d)^2`,
    :math:`\nu = n - 1`, integrating out :math:`\sigma^2` gives

    .. math::

        \mu \mid g, d \sim t_{\nu + 1}\left(
            \frac{n g}{1 + n g}\,\bar d,\;
            \frac{Q_g\, g}{(1 + n g)(\nu + 1)}\right),
        \qquad Q_g = S + \frac{n \bar d^2}{1 + n g},

    (location, squared scale), and the posterior weight of :math:`g` is
    :math:`p(g)\, L(g) / \mathrm{BF}_{10}` with

    .. math::

        L(g) = (1 + n g)^{-1/2}
               \left(\frac{Q_g}{Q_0}\right)^{-(\nu + 1)/2}
             = (1 + n g)^{-1/2}
               \left(\frac{1 + t^2 / ((1 + n g)\nu)}{1 + t^2/\nu}
               \right)^{-(\nu + 1)/2},
        \qquad
        \mathrm{BF}_{10} = \int_0^\infty p(g)\, L(g)\, dg,

    where :math:`t` is the one-sample t statistic; this is eq. 1 of
    Rouder et al. (2009) with prior scale :math:`r`. The posterior
    distribution function of :math:`\mu` is the :math:`g`-mixture of the
    conditional t distribution functions; its quantiles are found by root
    finding. The integral over :math:`u = \log g` uses the trapezoidal rule.

    References
    ----------
    .. [1] Rouder, J. N., Speckman, P. L., Sun, D., Morey, R. D., & Iverson,
       G. (2009). Bayesian t tests for accepting and rejecting the null
       hypothesis. *Psychonomic Bulletin & Review*, 16(2), 225-237.
       https://doi.org/10.3758/PBR.16.2.225
    .. [2] Morey, R. D., & Rouder, J. N. BayesFactor: Computation of Bayes
       factors for common designs. R package,
       https://CRAN.R-project.org/package=BayesFactor

    Examples
    --------
    Paired differences of the ``sleep`` data (R), drug 1 minus drug 2:

    >>> d = [-1.2, -2.4, -1.3, -1.3, 0.0, -1.0, -1.8, -0.8, -4.6, -1.4]
    >>> post = jzs_one_sample(d)
    >>> round(post.median, 2), round(post.ci_low, 2), round(post.ci_high, 2)
    (-1.42, -2.29, -0.49)
    >>> round(post.bf10, 2), post.n
    (17.26, 10)
    """
    x = _as_sample(d, "d")
    r, lev = _check_prior_and_level(r_scale, level)
    if np.ptp(x) == 0.0:
        msg = "d has zero variance (all values are equal): the posterior is improper"
        raise ValueError(msg)
    n = int(x.size)
    # Work in units of max|d| (the null value 0 stays fixed), so that neither
    # very small nor very large data under- or overflow.
    unit = float(np.max(np.abs(x)))
    z = x / unit
    mean = float(np.mean(z))
    ss = float(np.sum((z - mean) ** 2))
    return _jzs_posterior(mean, float(n), ss, float(n - 1), r, lev, n, unit=unit)


def jzs_two_sample(
    comparison: npt.ArrayLike,
    reference: npt.ArrayLike,
    *,
    r_scale: float = 2**0.5 / 2,
    level: float = 0.95,
) -> TPosterior:
    r"""Posterior of the difference in means in the two-sample JZS t test.

    Reproduces, without sampling,
    ``BayesFactor::ttestBF(x = comparison, y = reference)`` (independent
    samples, equal variances): the posterior median and central credible
    interval of the column ``beta (x - y)`` of ``ttestBF(..., posterior =
    TRUE)``, i.e. of mean(comparison) - mean(reference), and ``BF10``.

    Parameters
    ----------
    comparison : array_like of float, shape (n_c,)
        Observations of the comparison group (BayesFactor's ``x``); at least
        2 finite values.
    reference : array_like of float, shape (n_r,)
        Observations of the reference group (BayesFactor's ``y``); at least
        2 finite values.
    r_scale : float, optional
        Scale ``r`` of the Cauchy prior on the standardised effect
        ``delta = beta / sigma``. The default ``sqrt(2)/2`` is BayesFactor's
        ``rscale = "medium"``.
    level : float, optional
        Probability of the central credible interval, in (0, 1).

    Returns
    -------
    TPosterior
        Posterior median and central credible interval of ``beta``, ``BF10``
        and ``n = (n_c, n_r)``.

    Raises
    ------
    ValueError
        If a sample is not a one-dimensional array of at least 2 finite real
        numbers, if both samples are constant (zero pooled variance; the
        posterior is then improper), or if `r_scale` or `level` is out of
        range.

    See Also
    --------
    jzs_one_sample : The one-sample and paired version.

    Notes
    -----
    Model, as BayesFactor's Gibbs sampler parametrises it (Rouder et al.,
    2009; Morey & Rouder, BayesFactor): comparison observations
    :math:`\sim N(\mu + \beta/2, \sigma^2)`, reference observations
    :math:`\sim N(\mu - \beta/2, \sigma^2)`, a flat prior on the grand mean
    :math:`\mu`, :math:`p(\sigma^2) \propto 1/\sigma^2`, and
    :math:`\delta = \beta/\sigma \sim \mathrm{Cauchy}(0, r)` written as
    :math:`\delta \mid g \sim N(0, g)`,
    :math:`g \sim \mathrm{InvGamma}(1/2, r^2/2)`. So :math:`\beta` is the
    comparison mean minus the reference mean (BayesFactor's
    ``beta (x - y)``).

    Integrating out :math:`\mu` leaves the one-sample structure of
    :func:`jzs_one_sample` with the observed difference
    :math:`D = \bar x_c - \bar x_r`, the effective sample size
    :math:`N = n_c n_r / (n_c + n_r)`, the pooled sum of squares :math:`S`
    and :math:`\nu = n_c + n_r - 2`:

    .. math::

        \beta \mid g, \text{data} \sim t_{\nu + 1}\left(
            \frac{N g}{1 + N g}\, D,\;
            \frac{Q_g\, g}{(1 + N g)(\nu + 1)}\right),
        \qquad Q_g = S + \frac{N D^2}{1 + N g},

    with posterior weight of :math:`g` proportional to
    :math:`p(g)\,(1 + N g)^{-1/2} (Q_g / Q_0)^{-(\nu + 1)/2}`, whose
    integral is :math:`\mathrm{BF}_{10}` (Rouder et al., 2009, two-sample
    form of eq. 1 with the two-sample t statistic). The result does not
    depend on adding a constant to both samples.

    References
    ----------
    .. [1] Rouder, J. N., Speckman, P. L., Sun, D., Morey, R. D., & Iverson,
       G. (2009). Bayesian t tests for accepting and rejecting the null
       hypothesis. *Psychonomic Bulletin & Review*, 16(2), 225-237.
       https://doi.org/10.3758/PBR.16.2.225
    .. [2] Morey, R. D., & Rouder, J. N. BayesFactor: Computation of Bayes
       factors for common designs. R package,
       https://CRAN.R-project.org/package=BayesFactor

    Examples
    --------
    The ``sleep`` data (R) as two independent groups, drug 1 against drug 2:

    >>> drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> post = jzs_two_sample(drug1, drug2)
    >>> round(post.median, 2), round(post.ci_low, 2), round(post.ci_high, 2)
    (-1.14, -2.86, 0.37)
    >>> round(post.bf10, 2), post.n
    (1.27, (10, 10))
    """
    xc = _as_sample(comparison, "comparison")
    xr = _as_sample(reference, "reference")
    r, lev = _check_prior_and_level(r_scale, level)
    if np.ptp(xc) == 0.0 and np.ptp(xr) == 0.0:
        msg = (
            "comparison and reference both have zero variance (each sample is constant): "
            "the posterior is improper"
        )
        raise ValueError(msg)
    n_c, n_r = int(xc.size), int(xr.size)
    # The model is invariant under a common shift and equivariant under a
    # common scaling: centre on the reference mean and scale to unit range.
    centre = float(np.mean(xr))
    unit = float(max(np.max(np.abs(xc - centre)), np.max(np.abs(xr - centre))))
    zc, zr = (xc - centre) / unit, (xr - centre) / unit
    mean_c, mean_r = float(np.mean(zc)), float(np.mean(zr))
    ss = float(np.sum((zc - mean_c) ** 2) + np.sum((zr - mean_r) ** 2))
    n_eff = n_c * n_r / (n_c + n_r)
    nu = float(n_c + n_r - 2)
    return _jzs_posterior(mean_c - mean_r, n_eff, ss, nu, r, lev, (n_c, n_r), unit=unit)


# --------------------------------------------------------------------------- #
# Validation
# --------------------------------------------------------------------------- #


def _as_sample(values: npt.ArrayLike, name: str) -> npt.NDArray[np.float64]:
    """One-dimensional float array of at least 2 finite values, or ValueError."""
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError) as exc:  # ragged nested sequences
        msg = f"{name} must be a one-dimensional sequence of real numbers"
        raise ValueError(msg) from exc
    if np.iscomplexobj(raw):
        msg = f"{name} must contain real numbers, got complex values"
        raise ValueError(msg)
    try:
        arr = raw.astype(np.float64)
    except (TypeError, ValueError) as exc:
        msg = f"{name} must contain real numbers, got dtype {raw.dtype}"
        raise ValueError(msg) from exc
    if arr.ndim != 1:
        msg = f"{name} must be one-dimensional, got shape {arr.shape}"
        raise ValueError(msg)
    if arr.size < 2:
        msg = f"{name} needs at least 2 observations, got {arr.size}"
        raise ValueError(msg)
    if not np.all(np.isfinite(arr)):
        msg = f"{name} contains non-finite values (NaN or infinity); drop missing values first"
        raise ValueError(msg)
    return arr


def _check_prior_and_level(r_scale: float, level: float) -> tuple[float, float]:
    """Validated (r_scale, level) as floats, or ValueError."""
    try:
        r = float(r_scale)
        lev = float(level)
    except (TypeError, ValueError) as exc:
        msg = "r_scale and level must be real numbers"
        raise ValueError(msg) from exc
    if not (math.isfinite(r) and r > 0.0):
        msg = f"r_scale must be a finite number > 0, got {r_scale!r}"
        raise ValueError(msg)
    if not 0.0 < lev < 1.0:
        msg = f"level must be strictly between 0 and 1, got {level!r}"
        raise ValueError(msg)
    return r, lev


# --------------------------------------------------------------------------- #
# Kernel
# --------------------------------------------------------------------------- #


def _jzs_posterior(
    diff: float,
    n_eff: float,
    ss: float,
    nu: float,
    r: float,
    level: float,
    n: int | tuple[int, int],
    *,
    unit: float,
) -> TPosterior:
    """Posterior summary from the sufficient statistics (see the public docstrings).

    Parameters are the observed mean (difference) ``D``, the effective sample
    size ``N``, the residual sum of squares ``S > 0``, the residual degrees of
    freedom ``nu``, the prior scale ``r`` and the interval level, with ``D``
    and ``S`` computed from data divided by ``unit``; the returned location
    summaries are multiplied back by ``unit``.
    """
    if not (ss > 0.0 and math.isfinite(ss)):
        msg = "the data have no usable variance: the posterior is improper"
        raise ValueError(msg)
    q0 = ss + n_eff * diff * diff  # Q_g at g = 0 (the null model)
    frac = n_eff * diff * diff / q0  # N D^2 / Q_0, in [0, 1)
    one_minus_frac = ss / q0  # 1 - frac without cancellation
    t2_over_n = diff * diff * nu / ss  # t^2 / N: the squared effect estimate

    log_n = math.log(n_eff)
    log_r2 = 2.0 * math.log(r)
    u_lo = log_r2 - _LOWER_MARGIN
    u_hi = math.log(r * r + t2_over_n) + _UPPER_MARGIN
    u = np.arange(u_lo, u_hi + _LOG_G_STEP, _LOG_G_STEP)

    a = log_n + u  # log(N g)
    q = special.expit(a)  # N g / (1 + N g)
    one_minus_fq = one_minus_frac + frac * special.expit(-a)  # Q_g / Q_0
    # log of p(g) * g (the Jacobian of u = log g), p = InvGamma(1/2, r^2/2).
    log_prior = math.log(r) - 0.5 * math.log(2.0 * math.pi) - 0.5 * u - 0.5 * r * r * np.exp(-u)
    log_like = -0.5 * np.logaddexp(0.0, a) - 0.5 * (nu + 1.0) * np.log(one_minus_fq)
    log_f = log_prior + log_like

    log_max = float(np.max(log_f))
    log_bf = log_max + math.log(_LOG_G_STEP * float(np.sum(np.exp(log_f - log_max))))
    try:
        bf10 = math.exp(log_bf)
    except OverflowError:
        bf10 = math.inf

    keep = log_f > log_max - _LOG_WEIGHT_CUTOFF
    weights = np.exp(log_f[keep] - log_max)
    weights /= np.sum(weights)
    q_k = q[keep]
    loc = diff * q_k
    scale = np.sqrt(q0 * one_minus_fq[keep] * q_k / (n_eff * (nu + 1.0)))
    df = nu + 1.0

    lo_tail = 0.5 * (1.0 - level)
    return TPosterior(
        median=unit * _mixture_quantile(0.5, weights, loc, scale, df),
        ci_low=unit * _mixture_quantile(lo_tail, weights, loc, scale, df),
        ci_high=unit * _mixture_quantile(1.0 - lo_tail, weights, loc, scale, df),
        bf10=bf10,
        n=n,
    )


def _mixture_quantile(
    prob: float,
    weights: npt.NDArray[np.float64],
    loc: npt.NDArray[np.float64],
    scale: npt.NDArray[np.float64],
    df: float,
) -> float:
    """Quantile of a weighted mixture of location-scale Student t distributions."""
    # The mixture quantile lies between the smallest and largest component quantile.
    component_q = loc + scale * float(special.stdtrit(df, prob))
    lo, hi = float(np.min(component_q)), float(np.max(component_q))

    def excess(x: float) -> float:
        return float(np.dot(weights, special.stdtr(df, (x - loc) / scale))) - prob

    if hi - lo <= 0.0 or excess(lo) >= 0.0:
        return lo
    if excess(hi) <= 0.0:
        return hi
    xtol = 1e-12 * max(float(np.min(scale)), abs(lo), abs(hi))
    root = optimize.brentq(excess, lo, hi, xtol=xtol, rtol=4.0 * np.finfo(float).eps)
    return float(root)
