"""Random intercept and slope mixed model: agreement with statsmodels, recovery, edge cases."""

from __future__ import annotations

import dataclasses
import itertools
import warnings
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pytest
from statsmodels.regression.mixed_linear_model import MixedLM

from fit_scores._core import mixed
from fit_scores._core.mixed import MixedFit, fit_random_slope
from fit_scores.trajectories import GrowthModel

FloatArray = npt.NDArray[np.float64]

BETA = np.array([25.0, -0.8, 1.5, 0.3])  # intercept, time, group covariate, covariate x time
SD_INTERCEPT, SD_SLOPE, RHO, SIGMA = 3.0, 0.4, -0.3, 1.5


class Data(NamedTuple):
    y: FloatArray
    X: FloatArray
    z: FloatArray
    starts: npt.NDArray[np.int64]
    groups: npt.NDArray[np.int64]
    psi: FloatArray


def simulate(
    seed: int,
    n_groups: int = 200,
    sizes: tuple[int, int] = (3, 12),
    sd_slope: float = SD_SLOPE,
    rho: float = RHO,
) -> Data:
    """Irregularly timed sessions with a group covariate and correlated random effects."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(sizes[0], sizes[1] + 1, size=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    groups = np.repeat(np.arange(n_groups), counts)
    n = int(counts.sum())
    # time since the first session: sums of exponential gaps, starting at 0
    gaps = rng.exponential(1.5, size=n)
    gaps[starts] = 0.0
    z = np.cumsum(gaps)
    z -= np.repeat(z[starts], counts)
    x = rng.normal(size=n_groups)[groups]
    X = np.column_stack([np.ones(n), z, x, x * z])
    psi = np.array(
        [
            [SD_INTERCEPT**2, rho * SD_INTERCEPT * sd_slope],
            [rho * SD_INTERCEPT * sd_slope, sd_slope**2],
        ]
    )
    chol = np.array([[SD_INTERCEPT, 0.0], [rho * sd_slope, sd_slope * np.sqrt(1.0 - rho**2)]])
    b = rng.standard_normal((n_groups, 2)) @ chol.T
    y = X @ BETA + b[groups, 0] + b[groups, 1] * z + rng.normal(0.0, SIGMA, size=n)
    return Data(y, X, z, starts, groups, psi)


def fit_statsmodels(
    data: Data, reml: bool, random_slope: bool = True, fallback: bool = True
) -> Any:
    """Best statsmodels MixedLM fit over a few optimisers (by log-likelihood)."""
    exog_re = np.column_stack([np.ones_like(data.z), data.z]) if random_slope else None
    best: Any = None
    methods = (["lbfgs"], ["bfgs", "lbfgs"]) if fallback else (["lbfgs"],)
    for method in methods:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = MixedLM(data.y, data.X, groups=data.groups, exog_re=exog_re)
            result = model.fit(reml=reml, method=method)
        if best is None or result.llf > best.llf:
            best = result
        if result.converged:
            break
    return best


def dense_loglik(data: Data, fit: MixedFit) -> float:
    """Log-likelihood at a fit's estimates from the full n_i x n_i covariance matrices.

    REML uses statsmodels' constants: ``(N - p) log 2 pi`` and ``log|X'V^{-1}X|`` (with
    the full V), but no ``log|X'X|`` term.
    """
    n, p = data.X.shape
    bounds = [*data.starts.tolist(), n]
    value = 0.0
    xvx = np.zeros((p, p))
    for lo, hi in itertools.pairwise(bounds):
        Z = np.column_stack([np.ones(hi - lo), data.z[lo:hi]])
        V = fit.sigma2 * np.eye(hi - lo) + Z @ fit.psi @ Z.T
        r = data.y[lo:hi] - data.X[lo:hi] @ fit.beta
        value -= 0.5 * (np.linalg.slogdet(V)[1] + r @ np.linalg.solve(V, r))
        xvx += data.X[lo:hi].T @ np.linalg.solve(V, data.X[lo:hi])
    if fit.method == "REML":
        value -= 0.5 * ((n - p) * np.log(2 * np.pi) + np.linalg.slogdet(xvx)[1])
    else:
        value -= 0.5 * n * np.log(2 * np.pi)
    return float(value)


def dense_conditional(data: Data, fit: MixedFit) -> tuple[FloatArray, FloatArray, FloatArray]:
    """GLS covariance of beta, conditional modes and covariances from full V_i.

    ``sigma^2 (X'(I + Z Delta Z')^{-1} X)^{-1} = (X'V^{-1}X)^{-1}``,
    ``b_i = Psi Z_i'V_i^{-1} r_i`` and ``Psi - Psi Z_i'V_i^{-1} Z_i Psi`` (valid for a
    singular Psi).
    """
    n, p = data.X.shape
    bounds = [*data.starts.tolist(), n]
    xvx = np.zeros((p, p))
    modes, covs = [], []
    for lo, hi in itertools.pairwise(bounds):
        Z = np.column_stack([np.ones(hi - lo), data.z[lo:hi]])
        V = fit.sigma2 * np.eye(hi - lo) + Z @ fit.psi @ Z.T
        r = data.y[lo:hi] - data.X[lo:hi] @ fit.beta
        xvx += data.X[lo:hi].T @ np.linalg.solve(V, data.X[lo:hi])
        modes.append(fit.psi @ Z.T @ np.linalg.solve(V, r))
        covs.append(fit.psi - fit.psi @ Z.T @ np.linalg.solve(V, Z @ fit.psi))
    beta_cov = np.asarray(np.linalg.inv(xvx), dtype=np.float64)
    return beta_cov, np.array(modes, dtype=np.float64), np.array(covs, dtype=np.float64)


def from_statsmodels(result: Any, data: Data, reml: bool) -> MixedFit:
    """Statsmodels' estimates in a MixedFit (for the dense log-likelihood)."""
    n_groups = data.starts.size
    ranef = np.array([np.asarray(result.random_effects[g]) for g in range(n_groups)])
    ranef_cov = np.array([np.asarray(result.random_effects_cov[g]) for g in range(n_groups)])
    return MixedFit(
        beta=np.asarray(result.fe_params, dtype=np.float64),
        beta_cov=np.asarray(result.cov_params(), dtype=np.float64)[:4, :4],
        sigma2=float(result.scale),
        psi=np.asarray(result.cov_re, dtype=np.float64),
        loglik=float(result.llf),
        method="REML" if reml else "ML",
        converged=bool(result.converged),
        n_obs=data.y.size,
        n_groups=n_groups,
        ranef=ranef,
        ranef_cov=ranef_cov,
    )


def assert_close_matrices(ours: FloatArray, ref: FloatArray, rtol: float = 1e-3) -> None:
    """Symmetric 2 x 2 (stacks): relative tolerance, absolute floor from the diagonal."""
    diag = np.sqrt(np.abs(ref[..., [0, 1], [0, 1]]))
    floor = 1e-4 * diag[..., :, None] * diag[..., None, :]
    assert np.all(np.abs(ours - ref) <= rtol * np.abs(ref) + floor), np.max(
        np.abs(ours - ref) / (np.abs(ref) + floor)
    )


@pytest.fixture(scope="module")
def data() -> Data:
    return simulate(20240611)


@pytest.fixture(scope="module", params=[True, False], ids=["REML", "ML"])
def pair(request: pytest.FixtureRequest, data: Data) -> tuple[MixedFit, MixedFit]:
    reml = bool(request.param)
    ours = fit_random_slope(data.y, data.X, data.z, data.starts, reml=reml)
    ref = from_statsmodels(fit_statsmodels(data, reml), data, reml)
    return ours, ref


def test_loglik_at_least_statsmodels(pair: tuple[MixedFit, MixedFit]) -> None:
    ours, ref = pair
    assert ours.converged
    assert ours.method == ref.method
    assert ours.loglik >= ref.loglik - 1e-6 * abs(ref.loglik)


def test_loglik_constants_match_dense_and_statsmodels(
    data: Data, pair: tuple[MixedFit, MixedFit]
) -> None:
    ours, ref = pair
    # statsmodels' llf is the dense formula at its own estimates ...
    assert dense_loglik(data, ref) == pytest.approx(ref.loglik, rel=1e-10)
    # ... and ours is the same formula at our estimates.
    assert dense_loglik(data, ours) == pytest.approx(ours.loglik, rel=1e-10)


def test_conditional_quantities_match_dense(data: Data, pair: tuple[MixedFit, MixedFit]) -> None:
    ours, _ = pair
    beta_cov, modes, covs = dense_conditional(data, ours)
    np.testing.assert_allclose(ours.beta_cov, beta_cov, rtol=1e-8)
    np.testing.assert_allclose(ours.ranef, modes, rtol=1e-7, atol=1e-9 * np.abs(modes).max())
    np.testing.assert_allclose(ours.ranef_cov, covs, rtol=1e-7, atol=1e-9 * np.abs(covs).max())


def test_estimates_agree_with_statsmodels(pair: tuple[MixedFit, MixedFit]) -> None:
    ours, ref = pair
    np.testing.assert_allclose(ours.beta, ref.beta, rtol=1e-3, atol=1e-6)
    assert ours.sigma2 == pytest.approx(ref.sigma2, rel=1e-3)
    assert_close_matrices(ours.psi, ref.psi)
    scale = np.abs(ref.ranef).max(axis=0)
    assert np.all(np.abs(ours.ranef - ref.ranef) <= 1e-3 * np.abs(ref.ranef) + 1e-4 * scale)
    assert_close_matrices(ours.ranef_cov, ref.ranef_cov)
    # statsmodels inverts the full Hessian (fixed x covariance cross terms included), we
    # use sigma^2 (X'V^{-1}X)^{-1} at the estimates: close, not equal.
    np.testing.assert_allclose(ours.beta_cov, ref.beta_cov, rtol=0.05)


def test_result_shapes_and_types(data: Data, pair: tuple[MixedFit, MixedFit]) -> None:
    ours, _ = pair
    assert ours.n_obs == data.y.size and ours.n_groups == data.starts.size
    assert ours.beta.shape == (4,) and ours.beta_cov.shape == (4, 4)
    assert ours.psi.shape == (2, 2) and np.array_equal(ours.psi, ours.psi.T)
    assert ours.ranef.shape == (200, 2) and ours.ranef_cov.shape == (200, 2, 2)
    assert isinstance(ours.sigma2, float) and isinstance(ours.loglik, float)
    assert np.all(np.linalg.eigvalsh(ours.ranef_cov) > 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ours.sigma2 = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("reml", [True, False])
def test_gradient_matches_finite_differences(data: Data, reml: bool) -> None:
    stats = _stats_for(data)
    theta = np.array([0.8, -0.2, 0.3])
    ev = mixed._evaluate(theta, stats, reml)
    numeric = np.empty(3)
    for j in range(3):
        step = np.zeros(3)
        step[j] = 1e-6
        up = mixed._evaluate(theta + step, stats, reml).f
        down = mixed._evaluate(theta - step, stats, reml).f
        numeric[j] = (up - down) / 2e-6
    np.testing.assert_allclose(ev.grad, numeric, rtol=1e-5, atol=1e-4)


def _stats_for(data: Data) -> mixed._Stats:
    """Sufficient statistics of the raw data (no transformation) for the gradient check."""
    red = np.add.reduceat
    s, X, z, y = data.starts, data.X, data.z, data.y
    return mixed._Stats(
        a00=np.diff(np.append(s, y.size)).astype(np.float64),
        a01=red(z, s),
        a11=red(z * z, s),
        c0=np.ascontiguousarray(red(X, s, axis=0).T),
        c1=np.ascontiguousarray(red(z[:, None] * X, s, axis=0).T),
        d0=red(y, s),
        d1=red(z * y, s),
        yty_group=red(y * y, s),
        xtx=X.T @ X,
        xty=X.T @ y,
        yty=float(y @ y),
        n_obs=y.size,
        p=X.shape[1],
    )


def test_parameter_recovery() -> None:
    data = simulate(7, n_groups=2000)
    fit = fit_random_slope(data.y, data.X, data.z, data.starts)
    assert fit.converged
    se = np.sqrt(np.diag(fit.beta_cov))
    assert np.all(np.abs(fit.beta - BETA) < 4 * se), (fit.beta, se)
    assert fit.sigma2 == pytest.approx(SIGMA**2, rel=0.05)
    sd = np.sqrt(np.diag(fit.psi))
    assert sd[0] == pytest.approx(SD_INTERCEPT, rel=0.08)
    assert sd[1] == pytest.approx(SD_SLOPE, rel=0.08)
    assert fit.psi[0, 1] / (sd[0] * sd[1]) == pytest.approx(RHO, abs=0.1)
    # the conditional modes track the simulated random effects' spread
    assert np.std(fit.ranef[:, 0]) == pytest.approx(SD_INTERCEPT, rel=0.15)


def test_single_observation_groups_agree_with_statsmodels() -> None:
    data = simulate(11, n_groups=150, sizes=(1, 5))
    counts = np.diff(np.append(data.starts, data.y.size))
    assert np.sum(counts == 1) >= 20
    ours = fit_random_slope(data.y, data.X, data.z, data.starts)
    ref = from_statsmodels(fit_statsmodels(data, True), data, True)
    assert ours.converged
    assert ours.loglik >= ref.loglik - 1e-6 * abs(ref.loglik)
    np.testing.assert_allclose(ours.beta, ref.beta, rtol=1e-3)
    assert_close_matrices(ours.psi, ref.psi)
    single = counts == 1
    assert np.all(np.abs(ours.ranef[single] - ref.ranef[single]) <= 1e-3 * np.abs(ref.ranef).max())
    assert_close_matrices(ours.ranef_cov[single], ref.ranef_cov[single])


def test_single_observation_groups_contribute() -> None:
    data = simulate(11, n_groups=150, sizes=(1, 5))
    counts = np.diff(np.append(data.starts, data.y.size))
    keep = np.repeat(counts > 1, counts)
    kept_counts = counts[counts > 1]
    starts = np.concatenate([[0], np.cumsum(kept_counts)[:-1]])
    full = fit_random_slope(data.y, data.X, data.z, data.starts)
    dropped = fit_random_slope(data.y[keep], data.X[keep], data.z[keep], starts)
    assert full.n_groups == 150 and dropped.n_groups == int(np.sum(counts > 1))
    assert abs(full.beta[0] - dropped.beta[0]) > 1e-6


def flatten_slopes(data: Data) -> Data:
    """Give every group the same least squares slope: no slope variance at all."""
    counts = np.diff(np.append(data.starts, data.y.size))
    g = data.groups
    zc = data.z - (np.add.reduceat(data.z, data.starts) / counts)[g]
    yc = data.y - (np.add.reduceat(data.y, data.starts) / counts)[g]
    szz = np.add.reduceat(zc * zc, data.starts)
    szy = np.add.reduceat(zc * yc, data.starts)
    slope = np.divide(szy, szz, out=np.zeros_like(szy), where=szz > 0)
    common = szy.sum() / szz.sum()
    return data._replace(y=data.y - np.where(szz > 0, slope - common, 0.0)[g] * zc)


@pytest.mark.parametrize("reml", [True, False])
def test_boundary_without_slope_variance(reml: bool) -> None:
    data = flatten_slopes(simulate(3, sd_slope=0.0, rho=0.0))
    fit = fit_random_slope(data.y, data.X, data.z, data.starts, reml=reml)
    assert fit.converged
    assert np.all(np.isfinite(fit.psi)) and np.all(np.isfinite(fit.ranef_cov))
    # the optimum is on the boundary: a singular Psi (|correlation| 1), negligible slope
    # variance; the parametrisation Psi = sigma^2 L L' reaches it without special cases
    assert fit.psi[1, 1] < 1e-6 * fit.psi[0, 0]
    assert fit.psi[0, 1] ** 2 == pytest.approx(fit.psi[0, 0] * fit.psi[1, 1], rel=1e-6)
    scale = fit.ranef_cov[:, 0, 0][:, None]
    assert np.all(np.linalg.eigvalsh(fit.ranef_cov) >= -1e-12 * scale)
    assert dense_loglik(data, fit) == pytest.approx(fit.loglik, rel=1e-10)
    beta_cov, modes, covs = dense_conditional(data, fit)
    np.testing.assert_allclose(fit.beta_cov, beta_cov, rtol=1e-8)
    np.testing.assert_allclose(fit.ranef, modes, rtol=1e-6, atol=1e-9 * np.abs(modes).max())
    np.testing.assert_allclose(fit.ranef_cov, covs, rtol=1e-6, atol=1e-9 * np.abs(covs).max())
    # so it is (to within a hair) the random-intercept model, which statsmodels fits well.
    # (statsmodels' own random-slope fit stops short of this boundary, about 29 log-likelihood
    # units lower, and takes seconds to do so: not run here.)
    intercept_only = fit_statsmodels(data, reml, random_slope=False, fallback=False)
    assert fit.loglik >= intercept_only.llf - 1e-6 * abs(fit.loglik)
    assert fit.loglik - intercept_only.llf < 0.01
    assert fit.psi[0, 0] == pytest.approx(float(np.asarray(intercept_only.cov_re)[0, 0]), rel=0.01)
    se = np.sqrt(np.diag(fit.beta_cov))
    assert np.all(np.abs(fit.beta - intercept_only.fe_params) < 0.05 * se)


def test_no_random_effects_at_all() -> None:
    rng = np.random.default_rng(5)
    starts = np.arange(0, 400, 4)
    z = np.tile(np.arange(4.0), 100)
    X = np.column_stack([np.ones(400), z])
    y = 3.0 + 0.5 * z + rng.normal(size=400)
    fit = fit_random_slope(y, X, z, starts, reml=False)
    assert np.all(np.isfinite(fit.psi)) and np.all(np.isfinite(fit.ranef))
    assert fit.psi[0, 0] < 0.1 and fit.psi[1, 1] < 0.02
    assert fit.sigma2 == pytest.approx(1.0, rel=0.15)


def test_reparametrisation_invariance(data: Data) -> None:
    """Shifting time and rescaling the fixed-effects columns changes nothing essential."""
    base = fit_random_slope(data.y, data.X, data.z, data.starts, reml=False)
    shifted = data.z + 100.0
    # same column space: [1, z + 100, x, x (z + 100)] spans [1, z, x, x z]
    X2 = np.column_stack([data.X[:, 0], shifted, data.X[:, 2], data.X[:, 2] * shifted])
    moved = fit_random_slope(data.y, X2 * 10.0, shifted, data.starts, reml=False)
    assert moved.loglik == pytest.approx(base.loglik, rel=1e-9)
    assert moved.sigma2 == pytest.approx(base.sigma2, rel=1e-6)
    # b0' + b1' (z + 100) = (b0' + 100 b1') + b1' z: old effects are T b' with T below
    t = np.array([[1.0, 100.0], [0.0, 1.0]])
    assert_close_matrices(t @ moved.psi @ t.T, base.psi, rtol=1e-5)
    np.testing.assert_allclose(moved.ranef @ t.T, base.ranef, rtol=1e-5, atol=1e-6)
    # REML (statsmodels' constants) moves by -log|det T| for X @ T; here det T = 10**4
    base_reml = fit_random_slope(data.y, data.X, data.z, data.starts)
    moved_reml = fit_random_slope(data.y, X2 * 10.0, shifted, data.starts)
    assert moved_reml.loglik == pytest.approx(base_reml.loglik - 4 * np.log(10.0), rel=1e-9)
    assert moved_reml.sigma2 == pytest.approx(base_reml.sigma2, rel=1e-6)


_Y = np.arange(6.0)
_X = np.column_stack([np.ones(6), [0.0, 1.0, 0.0, 2.0, 1.0, 3.0]])
_Z = _X[:, 1].copy()
_S = np.array([0, 3])


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((_Y[:, None], _X, _Z, _S), "y must be one-dimensional"),
        ((np.array([]), np.ones((0, 1)), np.array([]), _S), "y is empty"),
        ((_Y, _X[:, 0], _Z, _S), "X must be two-dimensional"),
        ((_Y, _X[:5], _Z, _S), "X has 5 rows but y has 6"),
        ((_Y, np.ones((6, 0)), _Z, _S), "X has no columns"),
        ((_Y, _X, _Z[:5], _S), r"z must have shape \(6,\)"),
        ((np.where(_Y == 2, np.nan, _Y), _X, _Z, _S), "y contains non-finite"),
        ((_Y, np.where(_X == 3, np.inf, _X), _Z, _S), "X contains non-finite"),
        ((_Y, _X, np.where(_Z == 3, np.nan, _Z), _S), "z contains non-finite"),
        ((_Y, _X, _Z, np.array([], dtype=np.int64)), "starts must be a non-empty"),
        ((_Y, _X, _Z, np.array([[0, 3]])), "starts must be a non-empty one-dimensional"),
        ((_Y, _X, _Z, np.array([0.0, 3.0])), "starts must hold integer"),
        ((_Y, _X, _Z, np.array([True, False])), "starts must hold integer"),
        ((_Y, _X, _Z, np.array([1, 3])), r"starts\[0\] must be 0"),
        ((_Y, _X, _Z, np.array([0, 3, 3])), "strictly increasing"),
        ((_Y, _X, _Z, np.array([0, 4, 2])), "strictly increasing"),
        ((_Y, _X, _Z, np.array([0, 6])), r"starts\[-1\] = 6 must be below"),
        ((_Y[:2], _X[:2], _Z[:2], np.array([0, 1])), "need more rows than fixed effects"),
        ((_Y, np.column_stack([_X, 2 * _X[:, 1]]), _Z, _S), "rank deficient"),
        ((_Y, np.column_stack([_X, np.zeros(6)]), _Z, _S), "a column is all zeros"),
        ((2.0 + _Z, _X, _Z, _S), "fitted exactly"),
        ((["a"] * 6, _X, _Z, _S), "numeric arrays"),
    ],
)
def test_input_validation(args: tuple[Any, Any, Any, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        fit_random_slope(*args)


def test_accepts_lists() -> None:
    fit = fit_random_slope(
        [1.0, 2.5, 2.9, 0.5, 1.1, 2.0, 3.2, 4.1],
        _X[[0, 1, 2, 3, 4, 5, 0, 1]].tolist(),
        [0.0, 1.0, 0.0, 2.0, 1.0, 3.0, 0.0, 1.0],
        [0, 2, 5],
        reml=False,
    )
    assert fit.method == "ML" and fit.n_obs == 8 and fit.n_groups == 3
    assert np.isfinite(fit.loglik)


# --- sufficient statistics, the growth model's re-basing and its fit report ----------------


def growth_rows(n_tracks: int, seed: int) -> tuple[np.ndarray[Any, Any], ...]:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 9, n_tracks)
    ids = np.repeat(np.arange(n_tracks), sizes)
    session = np.concatenate([np.arange(1, s + 1) for s in sizes]).astype(np.float64)
    intake = np.repeat(rng.normal(18, 5, n_tracks), sizes)
    slope = np.repeat(rng.normal(3, 0.8, n_tracks), sizes)
    score = intake + slope * np.log(session) + rng.normal(0, 1.5, ids.size)
    return ids, session, np.round(score, 1)


def test_statistics_of_parts_give_the_fit_of_the_whole() -> None:
    from fit_scores._core.mixed import GroupStatistics, fit_statistics

    ids, session, score = growth_rows(400, seed=5)
    t = np.log(session)
    X = np.column_stack([np.ones_like(t), t, t * t])
    starts = np.flatnonzero(np.r_[True, np.diff(ids) != 0])
    whole = fit_random_slope(score, X, t, starts)
    bounds = [0, 100, 250, 400]
    parts = []
    for lo, hi in itertools.pairwise(bounds):
        rows = (ids >= lo) & (ids < hi)
        part_starts = np.flatnonzero(np.r_[True, np.diff(ids[rows]) != 0])
        parts.append(GroupStatistics.from_rows(score[rows], X[rows], t[rows], part_starts))
    fit = fit_statistics(GroupStatistics.concatenate(parts[::-1]))
    for name in ("beta", "psi", "beta_cov"):
        np.testing.assert_allclose(getattr(fit, name), getattr(whole, name), rtol=1e-8)
    assert fit.sigma2 == pytest.approx(whole.sigma2, rel=1e-8)
    assert fit.loglik == pytest.approx(whole.loglik, rel=1e-10)
    np.testing.assert_allclose(fit.beta_se, np.sqrt(np.diag(whole.beta_cov)), rtol=1e-8)
    assert fit.converged and "L-BFGS-B" in fit.message and "gradient" in fit.message


def test_growth_model_rebases_tracks_that_do_not_start_at_session_one() -> None:
    from fit_scores.trajectories import TrajectoryData, fit_expected_response

    ids, session, score = growth_rows(300, seed=6)
    model = fit_expected_response(TrajectoryData.from_arrays(ids, session, score), "growth")
    shift = np.where(ids % 3 == 0, 4.0, np.where(ids % 3 == 1, 1.0, 0.0))  # 5, 2 or 1 first
    renumbered = fit_expected_response(
        TrajectoryData.from_arrays(ids, session + shift, score), "growth"
    )
    assert isinstance(model, GrowthModel) and isinstance(renumbered, GrowthModel)
    for name in ("beta", "psi", "beta_se"):
        np.testing.assert_allclose(getattr(renumbered, name), getattr(model, name), rtol=1e-8)
    assert renumbered.n_obs == model.n_obs and renumbered.n_tracks == model.n_tracks
    assert renumbered.sigma2 == pytest.approx(model.sigma2, rel=1e-8)


def test_growth_model_reports_its_fit_and_keeps_it_in_its_json() -> None:
    import json

    from fit_scores.trajectories import TrajectoryData, fit_expected_response, load_model

    ids, session, score = growth_rows(200, seed=7)
    model = fit_expected_response(TrajectoryData.from_arrays(ids, session, score), "growth")
    assert isinstance(model, GrowthModel)
    assert model.converged is True
    assert model.optimiser_message is not None and "L-BFGS-B" in model.optimiser_message
    assert model.beta_se is not None and all(se > 0 for se in model.beta_se)
    again = load_model(model.model_dump_json())
    assert again == model and again.beta_se == model.beta_se
    # a model saved before these fields existed still loads; they are then unknown (None)
    old = json.loads(model.model_dump_json())
    for name in ("converged", "optimiser_message", "beta_se"):
        del old[name]
    loaded = load_model(json.dumps(old))
    assert isinstance(loaded, GrowthModel)
    assert loaded.converged is None and loaded.beta_se is None
    assert loaded.expected(18.0, 4) == model.expected(18.0, 4)
