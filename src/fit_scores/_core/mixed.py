r"""Linear mixed model with a random intercept and a random slope per group.

The fitter works from per-group sufficient statistics, so one evaluation of the
(restricted) log-likelihood costs O(number of groups) and never O(rows²), and
it agrees with :class:`statsmodels.regression.mixed_linear_model.MixedLM`.

Notes
-----
For group :math:`i` with :math:`n_i` rows (Laird & Ware 1982)

.. math::

    y_i = X_i \beta + Z_i b_i + e_i, \qquad Z_i = [\mathbf{1}, z_i], \qquad
    b_i \sim N(0, \Psi), \qquad e_i \sim N(0, \sigma^2 I_{n_i}),

so that :math:`V_i = \operatorname{cov}(y_i) = \sigma^2 (I + Z_i \Delta Z_i')` with the
relative covariance :math:`\Delta = \Psi / \sigma^2 = L L'`, :math:`L` lower triangular
(the relative covariance factor of Bates et al. 2015). :math:`L` is unconstrained: a
singular :math:`\Delta` (for instance no slope variance) is an ordinary point of the
parameter space, not an edge.

With :math:`A_i = Z_i'Z_i` and :math:`M_i = I_2 + L' A_i L` (2 by 2, :math:`|M_i| \ge 1`),
the Woodbury identity and Sylvester's determinant identity give

.. math::

    (I + Z_i \Delta Z_i')^{-1} = I - Z_i W_i Z_i', \qquad
    W_i = L M_i^{-1} L' = (\Delta^{-1} + A_i)^{-1}, \qquad
    |I + Z_i \Delta Z_i'| = |M_i|,

all valid for singular :math:`\Delta`. Every quadratic form therefore needs only the
per-group statistics :math:`Z_i'Z_i`, :math:`Z_i'X_i`, :math:`Z_i'y_i` and the pooled
:math:`X'X`, :math:`X'y`, :math:`y'y`:

.. math::

    H = \textstyle\sum_i X_i'(I + Z_i\Delta Z_i')^{-1}X_i
      = X'X - \sum_i (Z_i'X_i)' W_i (Z_i'X_i),

and likewise for :math:`X'V^{-1}y` and :math:`y'V^{-1}y`. Profiling out
:math:`\hat\beta = H^{-1} g` (generalised least squares) and
:math:`\hat\sigma^2 = q / k` with :math:`q = \sum_i r_i'(I + Z_i \Delta Z_i')^{-1} r_i`,
:math:`k = N - p` (REML) or :math:`k = N` (ML) leaves (Pinheiro & Bates 2000, ch. 2)

.. math::

    \ell_{\mathrm{REML}} = -\tfrac12 \Big[ (N - p) \log(2\pi\hat\sigma^2) + (N - p)
        + \textstyle\sum_i \log|M_i| + \log|H| \Big], \qquad
    \ell_{\mathrm{ML}} = -\tfrac12 \Big[ N \log(2\pi\hat\sigma^2) + N
        + \textstyle\sum_i \log|M_i| \Big].

These are the constants of statsmodels' ``MixedLMResults.llf`` (checked against
statsmodels 0.14, ``MixedLM.loglike``, and against a dense computation): the REML value is
:math:`-\tfrac12[(N - p)\log 2\pi + \log|V| + \log|X'V^{-1}X| + r'V^{-1}r]`, which is the
profiled form above (:math:`\log|X'V^{-1}X| = \log|H| - p\log\sigma^2`). It *omits* the
:math:`-\log|X'X|` term of Harville's restricted likelihood and uses
:math:`(N - p)\log 2\pi`, not :math:`N \log 2\pi`, so REML values change when the columns
of ``X`` are rescaled (by :math:`-\log|\det T|` for ``X @ T``); ML values do not.

The 3 free entries of :math:`L` are optimised with L-BFGS-B using the analytic gradient

.. math::

    \partial f / \partial L = 2 \textstyle\sum_i \big[(I - A_i W_i) G_i + A_i\big] L M_i^{-1},
    \qquad G_i = -\frac{k}{q} u_i u_i' - [\mathrm{REML}]\, C_i H^{-1} C_i',

for :math:`f = -2\ell` up to constants, :math:`u_i = Z_i'(y_i - X_i\hat\beta)` and
:math:`C_i = Z_i'X_i`, followed by Newton steps on a finite-difference Hessian of that
gradient. Internally :math:`z` is centred and scaled, ``X`` is replaced by the orthonormal
factor of its QR decomposition and :math:`y` by its least squares residual; none of this
changes the fit, the REML value is corrected for the change of basis, and the estimates
are transformed back.

The conditional modes (BLUPs) are :math:`\hat b_i = W_i Z_i'(y_i - X_i\hat\beta)` and
their conditional covariance given :math:`y` (at :math:`\hat\beta`, like lme4's
``condVar`` and statsmodels' ``random_effects_cov``) is
:math:`\hat\sigma^2 (\Delta^{-1} + A_i)^{-1} = \hat\sigma^2 W_i`.

References
----------
.. [1] Laird, N. M. & Ware, J. H. (1982). Random-effects models for longitudinal data.
   *Biometrics*, 38(4), 963-974.
.. [2] Pinheiro, J. C. & Bates, D. M. (2000). *Mixed-Effects Models in S and S-PLUS*.
   Springer.
.. [3] Bates, D., Mächler, M., Bolker, B. & Walker, S. (2015). Fitting linear
   mixed-effects models using lme4. *Journal of Statistical Software*, 67(1), 1-48.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from scipy import linalg, optimize

__all__ = ["GroupStatistics", "MixedFit", "fit_random_slope", "fit_statistics"]

FloatArray = npt.NDArray[np.float64]

_LOG_2PI = math.log(2.0 * math.pi)


@dataclass(frozen=True)
class MixedFit:
    r"""Result of :func:`fit_random_slope`.

    Attributes
    ----------
    beta : ndarray, shape (p,)
        Fixed effects.
    beta_cov : ndarray, shape (p, p)
        Covariance of ``beta``,
        :math:`\hat\sigma^2 (\sum_i X_i'(I + Z_i\Delta Z_i')^{-1}X_i)^{-1}`.
    sigma2 : float
        Residual variance.
    psi : ndarray, shape (2, 2)
        Covariance of the random (intercept, slope), in outcome units.
    loglik : float
        REML or ML log-likelihood at the optimum, with the constants of statsmodels'
        ``MixedLMResults.llf``.
    method : {"REML", "ML"}
        Estimation method.
    converged : bool
        Whether the optimiser stopped at a point with a negligible gradient
        (largest absolute gradient of :math:`-2\ell/N` below ``1e-5``).
    message : str
        The optimiser's message (L-BFGS-B, then the Newton polish).
    n_obs : int
        Number of rows.
    n_groups : int
        Number of groups.
    ranef : ndarray, shape (n_groups, 2)
        Conditional modes (BLUPs) of the random (intercept, slope) of each group.
    ranef_cov : ndarray, shape (n_groups, 2, 2)
        Conditional covariance of each group's random effects given the data at the
        estimates (no allowance for the uncertainty of ``beta``).
    """

    beta: FloatArray
    beta_cov: FloatArray
    sigma2: float
    psi: FloatArray
    loglik: float
    method: Literal["REML", "ML"]
    converged: bool
    n_obs: int
    n_groups: int
    ranef: FloatArray
    ranef_cov: FloatArray
    message: str = ""

    @property
    def beta_se(self) -> FloatArray:
        """Standard errors of ``beta``: the square roots of the diagonal of ``beta_cov``."""
        se: FloatArray = np.sqrt(np.maximum(np.diag(self.beta_cov), 0.0))
        return se


@dataclass(frozen=True)
class _Stats:
    """Sufficient statistics (transformed ``z``, residualised ``y``).

    ``a00, a01, a11`` are the entries of Z_i'Z_i; ``c0, c1`` the rows of Z_i'X_i,
    stored transposed with shape (p, G) so that per-group scaling broadcasts along the
    long axis; ``d0, d1`` the entries of Z_i'y_i; ``xtx, xty, yty`` are pooled.
    """

    a00: FloatArray
    a01: FloatArray
    a11: FloatArray
    c0: FloatArray
    c1: FloatArray
    d0: FloatArray
    d1: FloatArray
    yty_group: FloatArray
    xtx: FloatArray
    xty: FloatArray
    yty: float
    n_obs: int
    p: int


class _Eval(NamedTuple):
    """One evaluation of the profiled objective at a relative covariance factor."""

    f: float  # -2 * loglik without constants: k log q + sum log|M_i| (+ log|H|)
    grad: FloatArray  # d f / d (l00, l10, l11)
    w00: FloatArray
    w01: FloatArray
    w11: FloatArray
    beta: FloatArray
    h_inv: FloatArray
    q: float
    u0: FloatArray
    u1: FloatArray
    logdet_h: float
    sum_logdet_m: float


def _evaluate(theta: FloatArray, st: _Stats, reml: bool) -> _Eval:
    """Profiled objective and its gradient with respect to the entries of L."""
    t0, t1, t2 = (float(v) for v in theta)
    a00, a01, a11 = st.a00, st.a01, st.a11
    # M = I + L' A L
    b00 = a00 * t0 + a01 * t1
    b10 = a01 * t0 + a11 * t1
    b11 = a11 * t2
    m00 = 1.0 + t0 * b00 + t1 * b10
    m01 = t2 * b10
    m11 = 1.0 + t2 * b11
    det = m00 * m11 - m01 * m01
    i00 = m11 / det
    i01 = -m01 / det
    i11 = m00 / det
    # Q = L M^{-1}; W = Q L' = (Delta^{-1} + A)^{-1}
    q00 = t0 * i00
    q01 = t0 * i01
    q10 = t1 * i00 + t2 * i01
    q11 = t1 * i01 + t2 * i11
    w00 = q00 * t0
    w01 = q00 * t1 + q01 * t2
    w11 = q10 * t1 + q11 * t2

    c0, c1, d0, d1 = st.c0, st.c1, st.d0, st.d1
    wc0 = w00 * c0 + w01 * c1
    wc1 = w01 * c0 + w11 * c1
    h = st.xtx - (c0 @ wc0.T + c1 @ wc1.T)
    h = 0.5 * (h + h.T)
    wd0 = w00 * d0 + w01 * d1
    wd1 = w01 * d0 + w11 * d1
    g = st.xty - (c0 @ wd0 + c1 @ wd1)
    yvy = st.yty - float(np.dot(d0, wd0) + np.dot(d1, wd1))

    chol = linalg.cho_factor(h, lower=True)
    beta: FloatArray = linalg.cho_solve(chol, g)
    h_inv: FloatArray = linalg.cho_solve(chol, np.eye(st.p))
    logdet_h = 2.0 * float(np.sum(np.log(np.diag(chol[0]))))
    q = yvy - float(np.dot(g, beta))
    k = st.n_obs - st.p if reml else st.n_obs
    sum_logdet_m = float(np.sum(np.log(det)))
    f = k * math.log(q) + sum_logdet_m + (logdet_h if reml else 0.0)

    u0 = d0 - beta @ c0
    u1 = d1 - beta @ c1
    # G = -(k/q) u u' - [REML] C H^{-1} C'
    s = k / q
    g00 = -s * u0 * u0
    g01 = -s * u0 * u1
    g11 = -s * u1 * u1
    if reml:
        ch0 = h_inv @ c0
        ch1 = h_inv @ c1
        g00 -= np.einsum("ij,ij->j", ch0, c0)
        g01 -= np.einsum("ij,ij->j", ch0, c1)
        g11 -= np.einsum("ij,ij->j", ch1, c1)
    # T' = I - A W
    s00 = 1.0 - (a00 * w00 + a01 * w01)
    s01 = -(a00 * w01 + a01 * w11)
    s10 = -(a01 * w00 + a11 * w01)
    s11 = 1.0 - (a01 * w01 + a11 * w11)
    # R = T' G + A
    r00 = s00 * g00 + s01 * g01 + a00
    r01 = s00 * g01 + s01 * g11 + a01
    r10 = s10 * g00 + s11 * g01 + a01
    r11 = s10 * g01 + s11 * g11 + a11
    grad = 2.0 * np.array(
        [
            np.sum(r00 * q00 + r01 * q10),
            np.sum(r10 * q00 + r11 * q10),
            np.sum(r10 * q01 + r11 * q11),
        ]
    )
    return _Eval(f, grad, w00, w01, w11, beta, h_inv, q, u0, u1, logdet_h, sum_logdet_m)


def _loglik(ev: _Eval, st: _Stats, reml: bool) -> float:
    """Log-likelihood with statsmodels' constants from an evaluation."""
    k = st.n_obs - st.p if reml else st.n_obs
    sigma2 = ev.q / k
    value = k * (_LOG_2PI + math.log(sigma2)) + k + ev.sum_logdet_m
    if reml:
        value += ev.logdet_h
    return -0.5 * value


def _theta_from_delta(delta: FloatArray) -> FloatArray:
    """Lower Cholesky entries (l00, l10, l11) of a symmetric matrix made positive definite."""
    sym = 0.5 * (delta + delta.T)
    vals, vecs = np.linalg.eigh(sym)
    floor = 1e-3 * max(float(vals.max()), 1.0)
    vals = np.maximum(vals, floor)
    chol = np.linalg.cholesky((vecs * vals) @ vecs.T)
    return np.array([chol[0, 0], chol[1, 0], chol[1, 1]])


def _moment_start(st: _Stats, counts: npt.NDArray[np.int64]) -> FloatArray:
    """Method-of-moments relative covariance from per-group least squares fits."""
    det = st.a00 * st.a11 - st.a01 * st.a01
    scale = (st.a00 + st.a11) ** 2
    ok = (counts >= 3) & (det > 1e-8 * scale)
    if int(ok.sum()) < 3:
        return np.eye(2)
    a00, a01, a11, dt = st.a00[ok], st.a01[ok], st.a11[ok], det[ok]
    d0, d1 = st.d0[ok], st.d1[ok]
    b0 = (a11 * d0 - a01 * d1) / dt
    b1 = (a00 * d1 - a01 * d0) / dt
    within = st.yty_group[ok] - (b0 * d0 + b1 * d1)
    dof = float(np.sum(counts[ok] - 2))
    sigma2 = max(float(np.sum(within)) / dof, 1e-12 * float(st.yty) / st.n_obs, 1e-300)
    inv_mean = np.array(
        [
            [float(np.median(a11 / dt)), float(np.median(-a01 / dt))],
            [float(np.median(-a01 / dt)), float(np.median(a00 / dt))],
        ]
    )
    cov_b = np.cov(np.vstack([b0, b1]))
    delta: FloatArray = (cov_b - sigma2 * inv_mean) / sigma2
    return delta


def _newton_polish(
    theta: FloatArray, ev: _Eval, st: _Stats, reml: bool, tol: float
) -> tuple[FloatArray, _Eval]:
    """Newton steps on a forward-difference Hessian of the analytic gradient.

    Taken while the largest gradient entry exceeds ``tol``. A step is kept only if it
    shrinks the gradient without raising the objective beyond its rounding (a relative
    ``1e-13``), so the polish never makes the fit worse; it drives the gradient to the
    level of rounding, so that fits of the same data summed in another order (on one
    machine, or across the partitions of a cluster) agree far below the statistical
    precision.
    """
    for _ in range(8):
        size = float(np.max(np.abs(ev.grad)))
        if not size > tol:
            break
        hess = np.empty((3, 3))
        for j in range(3):
            step = 1e-6 * max(abs(float(theta[j])), 1e-2)
            shifted = theta.copy()
            shifted[j] += step
            hess[:, j] = (_evaluate(shifted, st, reml).grad - ev.grad) / step
        hess = 0.5 * (hess + hess.T)
        try:
            direction = -np.linalg.solve(hess, ev.grad)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(direction)) or float(np.dot(direction, ev.grad)) >= 0.0:
            break
        improved = False
        slack = 1e-13 * max(abs(ev.f), 1.0)
        for frac in (1.0, 0.5, 0.25):
            cand = theta + frac * direction
            try:
                ev_new = _evaluate(cand, st, reml)
            except (np.linalg.LinAlgError, ValueError):
                continue
            if (
                math.isfinite(ev_new.f)
                and ev_new.f <= ev.f + slack
                and float(np.max(np.abs(ev_new.grad))) < size
            ):
                theta, ev, improved = cand, ev_new, True
                break
        if not improved:
            break
    return theta, ev


def _validate(
    y: npt.ArrayLike,
    X: npt.ArrayLike,
    z: npt.ArrayLike,
    starts: npt.ArrayLike,
    *,
    need_rows: bool,
) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.int64]]:
    """Convert and check the inputs of :func:`fit_random_slope`."""
    try:
        y_arr = np.asarray(y, dtype=np.float64)
        x_arr = np.asarray(X, dtype=np.float64)
        z_arr = np.asarray(z, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"y, X and z must be numeric arrays: {exc}") from exc
    if y_arr.ndim != 1:
        raise ValueError(f"y must be one-dimensional, got shape {y_arr.shape}")
    n = y_arr.shape[0]
    if n == 0:
        raise ValueError("y is empty")
    if x_arr.ndim != 2:
        raise ValueError(f"X must be two-dimensional (n, p), got shape {x_arr.shape}")
    if x_arr.shape[0] != n:
        raise ValueError(f"X has {x_arr.shape[0]} rows but y has {n}")
    p = x_arr.shape[1]
    if p == 0:
        raise ValueError("X has no columns")
    if z_arr.shape != (n,):
        raise ValueError(f"z must have shape ({n},) like y, got {z_arr.shape}")
    for name, arr in (("y", y_arr), ("X", x_arr), ("z", z_arr)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} contains non-finite values (nan or inf)")

    s_raw = np.asarray(starts)
    if s_raw.ndim != 1 or s_raw.shape[0] == 0:
        raise ValueError(
            f"starts must be a non-empty one-dimensional array, got shape {s_raw.shape}"
        )
    if s_raw.dtype == np.bool_ or not np.issubdtype(s_raw.dtype, np.integer):
        raise ValueError(f"starts must hold integer row offsets, got dtype {s_raw.dtype}")
    s_arr = s_raw.astype(np.int64)
    if s_arr[0] != 0:
        raise ValueError(f"starts[0] must be 0, got {int(s_arr[0])}")
    if s_arr.shape[0] > 1 and not np.all(np.diff(s_arr) > 0):
        raise ValueError("starts must be strictly increasing (every group needs at least one row)")
    if s_arr[-1] >= n:
        raise ValueError(f"starts[-1] = {int(s_arr[-1])} must be below the number of rows {n}")
    if need_rows and n <= p:
        raise ValueError(f"need more rows than fixed effects, got n = {n} and p = {p}")
    return y_arr, x_arr, z_arr, s_arr


@dataclass(frozen=True)
class GroupStatistics:
    r"""Per-group sufficient statistics of the mixed model, in the raw design.

    Everything :func:`fit_statistics` needs, and nothing that grows with the rows:
    for group :math:`i`, :math:`n_i`, :math:`\sum z`, :math:`\sum z^2`,
    :math:`\sum x`, :math:`\sum z x`, :math:`\sum y`, :math:`\sum z y`,
    :math:`\sum y^2`, :math:`\sum x y` and :math:`\sum x x'` over its rows (``x``
    a row of ``X``). Groups computed on different parts of the data (for
    instance the partitions of a Dask DataFrame, each holding whole groups) are
    combined by :meth:`concatenate`; the fit does not depend on the order of the
    groups except through the rounding of the pooled sums.

    Attributes
    ----------
    n : ndarray of float, shape (G,)
    sz, szz, sy, szy, syy : ndarray of float, shape (G,)
    sx, szx, sxy : ndarray of float, shape (G, p)
    sxx : ndarray of float, shape (G, p, p)

    Examples
    --------
    >>> y = np.array([1.0, 2.0, 4.0, 3.0, 5.0])
    >>> X = np.ones((5, 1))
    >>> z = np.array([0.0, 1.0, 2.0, 0.0, 1.0])
    >>> st = GroupStatistics.from_rows(y, X, z, np.array([0, 3]))
    >>> st.n.tolist(), st.sy.tolist(), st.n_groups, st.n_obs
    ([3.0, 2.0], [7.0, 8.0], 2, 5)
    >>> both = GroupStatistics.concatenate([st, st])
    >>> both.n_groups, both.sxx.shape
    (4, (4, 1, 1))
    """

    n: FloatArray
    sz: FloatArray
    szz: FloatArray
    sx: FloatArray
    szx: FloatArray
    sy: FloatArray
    szy: FloatArray
    syy: FloatArray
    sxy: FloatArray
    sxx: FloatArray

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return int(self.n.shape[0])

    @property
    def n_obs(self) -> int:
        """Number of rows."""
        return round(float(np.sum(self.n)))

    @property
    def p(self) -> int:
        """Number of fixed effects (columns of ``X``)."""
        return int(self.sx.shape[1])

    @classmethod
    def from_rows(
        cls, y: npt.ArrayLike, X: npt.ArrayLike, z: npt.ArrayLike, starts: npt.ArrayLike
    ) -> GroupStatistics:
        """The statistics of rows sorted into contiguous groups (as :func:`fit_random_slope`).

        Raises
        ------
        ValueError
            As :func:`fit_random_slope` for invalid shapes, values or offsets.
        """
        y_arr, x_arr, z_arr, s_arr = _validate(y, X, z, starts, need_rows=False)
        red = np.add.reduceat
        zx = z_arr[:, None] * x_arr
        counts = np.diff(np.append(s_arr, y_arr.shape[0]))
        return cls(
            n=counts.astype(np.float64),
            sz=red(z_arr, s_arr),
            szz=red(z_arr * z_arr, s_arr),
            sx=red(x_arr, s_arr, axis=0),
            szx=red(zx, s_arr, axis=0),
            sy=red(y_arr, s_arr),
            szy=red(z_arr * y_arr, s_arr),
            syy=red(y_arr * y_arr, s_arr),
            sxy=red(x_arr * y_arr[:, None], s_arr, axis=0),
            sxx=red(x_arr[:, :, None] * x_arr[:, None, :], s_arr, axis=0),
        )

    @classmethod
    def concatenate(cls, parts: Sequence[GroupStatistics]) -> GroupStatistics:
        """The groups of several parts, in order (every group in exactly one part).

        Raises
        ------
        ValueError
            If there are no parts, or their numbers of fixed effects differ.
        """
        if not parts:
            raise ValueError("no statistics to combine")
        if len({part.p for part in parts}) != 1:
            raise ValueError("the parts have different numbers of fixed effects")
        fields = ("n", "sz", "szz", "sx", "szx", "sy", "szy", "syy", "sxy", "sxx")
        return cls(**{f: np.concatenate([getattr(part, f) for part in parts]) for f in fields})

    def with_design(self, transform: npt.ArrayLike) -> GroupStatistics:
        """The statistics of the design ``X @ transform`` (a square, invertible matrix).

        Exact linear algebra on the sums: every row ``x`` becomes ``transform' x``.
        """
        t = np.asarray(transform, dtype=np.float64)
        if t.shape != (self.p, self.p):
            raise ValueError(f"transform must have shape ({self.p}, {self.p}), got {t.shape}")
        return replace(
            self,
            sx=self.sx @ t,
            szx=self.szx @ t,
            sxy=self.sxy @ t,
            sxx=np.einsum("ji,gjk,kl->gil", t, self.sxx, t),
        )


def fit_random_slope(
    y: npt.ArrayLike,
    X: npt.ArrayLike,
    z: npt.ArrayLike,
    starts: npt.ArrayLike,
    *,
    reml: bool = True,
) -> MixedFit:
    """Fit a linear mixed model with a correlated random intercept and slope per group.

    Parameters
    ----------
    y : array_like, shape (n,)
        Outcome.
    X : array_like, shape (n, p)
        Fixed-effects design; include the intercept column yourself. Must have full
        column rank.
    z : array_like, shape (n,)
        Time variable of the random slope; the random-effects design of a row is
        ``[1, z]``.
    starts : array_like of int, shape (n_groups,)
        Row offset at which each group starts. Rows are sorted so that every group is
        contiguous; ``starts[0] == 0`` and the offsets increase strictly.
    reml : bool, default True
        Restricted maximum likelihood if true, maximum likelihood otherwise.

    Returns
    -------
    MixedFit
        Estimates, log-likelihood, conditional modes and their covariances.

    Raises
    ------
    ValueError
        If the shapes disagree, a value is not finite, ``starts`` is not a valid set of
        group offsets, there are no more rows than columns of ``X``, ``X`` is rank
        deficient or ``y`` is fitted exactly by ``X``.

    See Also
    --------
    statsmodels.regression.mixed_linear_model.MixedLM : the reference implementation.
    fit_statistics : the same fit from :class:`GroupStatistics` (this function is
        ``fit_statistics(GroupStatistics.from_rows(y, X, z, starts))``).

    Notes
    -----
    One likelihood evaluation costs O(n_groups); the statistics are computed once in
    O(n p). Groups with a single row are allowed and contribute to every estimate. A
    singular random-effects covariance (for instance no slope variance) is an ordinary
    point of the parametrisation and is reached without special handling. See the module
    documentation for the equations.

    Examples
    --------
    Sixty people with 4 to 8 sessions each at irregular times, a random intercept
    (sd 2) and slope (sd 0.3) correlated 0.33, and noise sd 1:

    >>> rng = np.random.default_rng(1)
    >>> sizes = rng.integers(4, 9, size=60)
    >>> starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    >>> person = np.repeat(np.arange(60), sizes)
    >>> t = rng.uniform(0, 10, size=sizes.sum())
    >>> b = rng.standard_normal((60, 2)) @ np.array([[2.0, 0.0], [0.1, 0.28]]).T
    >>> y = 20 + 0.5 * t + b[person, 0] + b[person, 1] * t + rng.normal(0, 1, t.size)
    >>> X = np.column_stack([np.ones_like(t), t])
    >>> fit = fit_random_slope(y, X, t, starts)
    >>> fit.method, fit.converged, fit.n_obs, fit.n_groups
    ('REML', True, 359, 60)
    >>> print(np.round(fit.beta, 2), round(fit.sigma2, 2))
    [20.13  0.55] 1.09
    >>> print(np.round(np.sqrt(np.diag(fit.psi)), 2))
    [1.78 0.28]
    >>> fit.ranef.shape, fit.ranef_cov.shape
    ((60, 2), (60, 2, 2))
    """
    _validate(y, X, z, starts, need_rows=True)
    return fit_statistics(GroupStatistics.from_rows(y, X, z, starts), reml=reml)


def fit_statistics(stats: GroupStatistics, *, reml: bool = True) -> MixedFit:
    """Fit the model of :func:`fit_random_slope` from per-group sufficient statistics.

    The statistics add up over rows and concatenate over groups, so they can be
    computed where the data are (a partition of a cluster each) and fitted on one
    machine: only O(groups) numbers travel, and the REML optimisation runs here.

    Parameters
    ----------
    stats : GroupStatistics
        The groups (in any order; the conditional modes follow it).
    reml : bool, default True
        Restricted maximum likelihood if true, maximum likelihood otherwise.

    Returns
    -------
    MixedFit

    Raises
    ------
    ValueError
        If there are no more rows than fixed effects, ``X`` is rank deficient or ``y``
        is fitted exactly by ``X``.

    Notes
    -----
    The design is made orthonormal with the Cholesky factor of the column-scaled
    :math:`X'X` (the :math:`R` of its QR decomposition), ``z`` is centred and scaled
    by its mean and standard deviation, and ``y`` is replaced by its least squares
    residual: each is a linear map of the sums, so the statistics of the transformed
    problem follow exactly from the raw ones.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> person = np.repeat(np.arange(40), 5)
    >>> t = np.tile(np.arange(5.0), 40)
    >>> y = 10 + t + rng.normal(0, 1, 40)[person] + rng.normal(0, 0.5, t.size)
    >>> X = np.column_stack([np.ones_like(t), t])
    >>> starts = np.arange(0, 200, 5)
    >>> whole = fit_random_slope(y, X, t, starts)
    >>> halves = GroupStatistics.concatenate([
    ...     GroupStatistics.from_rows(y[:100], X[:100], t[:100], starts[:20]),
    ...     GroupStatistics.from_rows(y[100:], X[100:], t[100:], starts[:20])])
    >>> bool(np.allclose(fit_statistics(halves).beta, whole.beta, rtol=1e-10))
    True
    """
    n = stats.n_obs
    p = stats.p
    n_groups = stats.n_groups
    if n <= p:
        raise ValueError(f"need more rows than fixed effects, got n = {n} and p = {p}")
    counts = np.rint(stats.n).astype(np.int64)
    xtx_raw = np.sum(stats.sxx, axis=0)
    xtx_raw = 0.5 * (xtx_raw + xtx_raw.T)
    xty_raw = np.sum(stats.sxy, axis=0)
    yty_raw = float(np.sum(stats.syy))

    # Orthonormal fixed-effects design Q = X T with T = (R D)^{-1}, R the upper Cholesky
    # factor of the column-scaled X'X (the R of the QR decomposition of X D^{-1}): the model
    # is unchanged (beta = T beta_q) and log|H| = log|H_q| + 2 log|R D|.
    col_norm = np.sqrt(np.maximum(np.diag(xtx_raw), 0.0))
    if np.any(col_norm == 0.0):
        raise ValueError("X is rank deficient: a column is all zeros")
    scaled = xtx_raw / np.outer(col_norm, col_norm)
    try:
        r_fac = linalg.cholesky(scaled, lower=False)
    except linalg.LinAlgError:
        raise ValueError(
            "X is rank deficient (or numerically so): its columns are collinear"
        ) from None
    r_diag = np.abs(np.diag(r_fac))
    if r_diag.min() <= 1e-7 * r_diag.max():
        raise ValueError("X is rank deficient (or numerically so): its columns are collinear")
    t_mat = linalg.solve_triangular(r_fac, np.eye(p)) / col_norm[:, None]
    logdet_rd = float(np.sum(np.log(r_diag)) + np.sum(np.log(col_norm)))
    xty_q = t_mat.T @ xty_raw
    b_ols = t_mat @ xty_q  # least squares coefficients in the raw basis
    rss = yty_raw - float(xty_q @ xty_q)
    if not rss > 1e-11 * max(yty_raw, 1e-300):
        raise ValueError("y is fitted exactly by X: the residual variance is zero")

    # Centre and scale z: Z = Z_t R^{-1}, b = R b_t with R = [[1, -m/s], [0, 1/s]].
    z_mean = float(np.sum(stats.sz)) / n
    z_var = float(np.sum(stats.szz)) / n - z_mean * z_mean
    z_sd = math.sqrt(z_var) if z_var > 1e-24 * max(z_mean * z_mean, 1e-300) else 0.0
    if not z_sd > 0.0:
        z_sd = 1.0
    r_mat = np.array([[1.0, -z_mean / z_sd], [0.0, 1.0 / z_sd]])

    sx, szx_t = stats.sx, (stats.szx - z_mean * stats.sx) / z_sd
    szy_t = (stats.szy - z_mean * stats.sy) / z_sd
    yty_group = (
        stats.syy - 2.0 * (stats.sxy @ b_ols) + np.einsum("i,gij,j->g", b_ols, stats.sxx, b_ols)
    )
    st = _Stats(
        a00=stats.n.astype(np.float64),
        a01=(stats.sz - z_mean * stats.n) / z_sd,
        a11=(stats.szz - 2.0 * z_mean * stats.sz + z_mean * z_mean * stats.n) / (z_sd * z_sd),
        c0=np.ascontiguousarray((sx @ t_mat).T),
        c1=np.ascontiguousarray((szx_t @ t_mat).T),
        d0=stats.sy - sx @ b_ols,
        d1=szy_t - szx_t @ b_ols,
        yty_group=np.maximum(yty_group, 0.0),
        xtx=t_mat.T @ xtx_raw @ t_mat,
        xty=t_mat.T @ (xty_raw - xtx_raw @ b_ols),
        yty=rss,
        n_obs=n,
        p=p,
    )

    scale = 1.0 / n

    def fun(theta: FloatArray) -> tuple[float, FloatArray]:
        try:
            ev = _evaluate(theta, st, reml)
        except (np.linalg.LinAlgError, ValueError):
            return math.inf, np.zeros(3)
        if not math.isfinite(ev.f):
            return math.inf, np.zeros(3)
        return ev.f * scale, ev.grad * scale

    # Starting points: moments, and multiples of the identity (z is standardised).
    delta_m = _moment_start(st, counts)
    candidates = [_theta_from_delta(delta_m)] + [
        _theta_from_delta(c * np.eye(2)) for c in (0.05, 0.5, 5.0)
    ]
    with np.errstate(all="ignore"):
        values = [fun(c)[0] for c in candidates]
        order = np.argsort(values)
        best_theta: FloatArray | None = None
        best_f = math.inf
        message = ""
        for idx in order[:2]:
            if not math.isfinite(values[idx]):
                continue
            res = optimize.minimize(
                fun,
                candidates[idx],
                jac=True,
                method="L-BFGS-B",
                options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10, "maxcor": 10},
            )
            if math.isfinite(float(res.fun)) and float(res.fun) < best_f:
                best_f = float(res.fun)
                best_theta = np.asarray(res.x, dtype=np.float64)
                message = f"L-BFGS-B: {res.message}"
        if best_theta is None:
            raise ValueError("the likelihood could not be evaluated at any starting point")
        ev = _evaluate(best_theta, st, reml)
        theta, ev = _newton_polish(best_theta, ev, st, reml, 1e-12 * n)

    grad_scaled = ev.grad * scale
    largest = float(np.max(np.abs(grad_scaled)))
    converged = bool(np.all(np.isfinite(grad_scaled)) and largest < 1e-5)
    message += f"; largest gradient of -2 loglik / n after the Newton polish: {largest:.3g}"

    k = n - p if reml else n
    sigma2 = ev.q / k
    l_mat = np.array([[theta[0], 0.0], [theta[1], theta[2]]])
    psi_t = sigma2 * (l_mat @ l_mat.T)
    psi = r_mat @ psi_t @ r_mat.T
    psi = 0.5 * (psi + psi.T)
    beta = t_mat @ (xty_q + ev.beta)
    beta_cov = sigma2 * (t_mat @ ev.h_inv @ t_mat.T)
    beta_cov = 0.5 * (beta_cov + beta_cov.T)

    b0 = ev.w00 * ev.u0 + ev.w01 * ev.u1
    b1 = ev.w01 * ev.u0 + ev.w11 * ev.u1
    ranef = np.column_stack([b0, b1]) @ r_mat.T
    w = np.empty((n_groups, 2, 2))
    w[:, 0, 0] = ev.w00
    w[:, 0, 1] = ev.w01
    w[:, 1, 0] = ev.w01
    w[:, 1, 1] = ev.w11
    ranef_cov = sigma2 * (r_mat @ w @ r_mat.T)

    return MixedFit(
        beta=beta,
        beta_cov=beta_cov,
        sigma2=float(sigma2),
        psi=psi,
        loglik=_loglik(ev, st, reml) - (logdet_rd if reml else 0.0),
        method="REML" if reml else "ML",
        converged=converged,
        message=message,
        n_obs=int(n),
        n_groups=int(n_groups),
        ranef=ranef,
        ranef_cov=ranef_cov,
    )
