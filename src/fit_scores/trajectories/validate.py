"""Internal consistency of a fitted expected-response model, checked when one is loaded.

A model file is data from outside: a truncated array, a negative variance or
a centre far outside the scale would load and predict nonsense. Pydantic
checks the types (and rejects NaN and infinity); :func:`check_model` checks
what the types cannot say, and :func:`~fit_scores.trajectories.load_model`
runs both and turns every problem into a
:class:`~fit_scores.errors.TrajectoryInputError` that names the field.

The rules, for every model: the percentiles are increasing, distinct, in
(0, 100) and not 50 (as :func:`~fit_scores.trajectories.fit_expected_response`
requires); ``n_obs >= n_tracks >= 1``; ``score_range`` is present, with
``low <= high``; ``scale_key``, when given, is a registered scale and holds the
range. Per model: see :func:`check_model`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from fit_scores.errors import FitScoresError, TrajectoryInputError
from fit_scores.trajectories.axis import DAYS_PER_STEP

if TYPE_CHECKING:  # pragma: no cover - typing only
    from fit_scores.trajectories.base import ExpectedResponseBase

__all__ = ["check_model"]


def _fail(field: str, reason: str) -> TrajectoryInputError:
    return TrajectoryInputError(f"model: field {field!r} {reason}")


def _tolerance(low: float, high: float) -> float:
    """Rounding slack for values computed from the fitted scores (a mean, a quantile)."""
    return 1e-9 * max(1.0, abs(low), abs(high))


def check_model(model: ExpectedResponseBase) -> None:
    """Check that a fitted model is internally consistent.

    Growth model: ``sigma2 > 0``; ``psi`` a covariance matrix (both variances
    >= 0, the correlation within [-1, 1]); ``intake_centre`` within
    ``score_range``; the standard errors ``beta_se``, when stored, >= 0.
    Cohort model: ``0 < k <= k_max``, ``k_step > 0``, ``min_n >= 1``; the
    intake grid increasing and evenly spaced, within one step of
    ``score_range``; the time steps increasing and on the axis (whole
    sessions after the intake, or positive multiples of 30 days); ``median``,
    ``values``, ``n`` and ``k_used`` all of shape (intakes x time steps), a
    band of one value per percentile wherever there is a median and nowhere
    else, the bands within ``score_range``, at least ``min_n`` scores and
    ``k <= k_used <= k_max`` in every cell with a band. Neighbours model:
    ``n_neighbours >= 1``; distinct covariate names; ``centre`` and ``scale``
    of one value per feature (intake and covariates), scales positive;
    ``features``, ``intercept_shift`` and ``slope`` of one entry per
    reference track (``n_tracks``), each feature row of the right length;
    every reference intake within ``score_range``; ``sigma2 >= 0``.

    Parameters
    ----------
    model : GrowthModel, CohortModel or NeighboursModel
        A model as parsed from JSON.

    Raises
    ------
    TrajectoryInputError
        On the first inconsistency, naming the field and the reason.

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores.trajectories import TrajectoryData, fit_expected_response
    >>> from fit_scores.trajectories.validate import check_model
    >>> rng = np.random.default_rng(1)
    >>> ids, session = np.repeat(np.arange(100), 4), np.tile(np.arange(1, 5), 100)
    >>> score = np.repeat(rng.normal(18, 5, 100), 4) + 3 * np.log(session)
    >>> score += rng.normal(0, 1.5, score.size)
    >>> model = fit_expected_response(TrajectoryData.from_arrays(ids, session, score))
    >>> check_model(model)  # consistent: no error
    >>> check_model(model.model_copy(update={"sigma2": -1.0}))
    Traceback (most recent call last):
    ...
    fit_scores.errors.TrajectoryInputError: model: field 'sigma2' must be positive, got -1.0
    """
    low, high = _common(model)
    kind = getattr(model, "kind", None)
    if kind == "growth":
        _growth(model, low, high)
    elif kind == "cohort":
        _cohort(model, low, high)
    elif kind == "neighbours":
        _neighbours(model, low, high)
    else:
        raise _fail("kind", f"must be 'growth', 'cohort' or 'neighbours', got {kind!r}")


def _common(model: Any) -> tuple[float, float]:
    pct = tuple(model.percentiles)
    if not pct:
        raise _fail("percentiles", "is empty")
    for i, p in enumerate(pct):
        if not 0 < p < 100 or p == 50:
            raise _fail(f"percentiles[{i}]", f"must be in (0, 100) and not 50, got {p!r}")
    if list(pct) != sorted(set(pct)):
        raise _fail("percentiles", f"must be increasing and distinct, got {list(pct)}")
    if model.n_tracks < 1:
        raise _fail("n_tracks", f"must be at least 1, got {model.n_tracks}")
    if model.n_obs < model.n_tracks:
        raise _fail("n_obs", f"must be at least n_tracks ({model.n_tracks}), got {model.n_obs}")
    if model.score_range is None:
        raise _fail(
            "score_range",
            "is missing: without it the centres cannot be checked; refit the model "
            "with fit_expected_response",
        )
    low, high = model.score_range
    if not low <= high:
        raise _fail("score_range", f"must be (low, high) with low <= high, got {(low, high)}")
    if model.scale_key is not None:
        from fit_scores.scales.registry import get_scale

        try:
            scale = get_scale(model.scale_key)
        except FitScoresError as exc:
            raise _fail("scale_key", f"names no registered scale: {exc}") from None
        if low < scale.total_min or high > scale.total_max:
            raise _fail(
                "score_range",
                f"{(low, high)} lies outside the range of {scale.key} "
                f"({scale.total_min:g}-{scale.total_max:g})",
            )
    return float(low), float(high)


def _within(field: str, value: float, low: float, high: float) -> None:
    tol = _tolerance(low, high)
    if not low - tol <= value <= high + tol:
        raise _fail(field, f"= {value!r} lies outside the score range {low:g}-{high:g}")


def _growth(model: Any, low: float, high: float) -> None:
    if not model.sigma2 > 0:
        raise _fail("sigma2", f"must be positive, got {model.sigma2!r}")
    p00, p01, p11 = model.psi
    if p00 < 0:
        raise _fail("psi", f"Psi_00 is a variance and must be >= 0, got {p00!r}")
    if p11 < 0:
        raise _fail("psi", f"Psi_11 is a variance and must be >= 0, got {p11!r}")
    if p01 * p01 > p00 * p11 * (1 + 1e-9) + 1e-300:
        raise _fail("psi", f"Psi_01 = {p01!r} is not a covariance of variances {p00!r}, {p11!r}")
    if model.n_tracks < 2:
        raise _fail("n_tracks", f"a growth model needs 2+ tracks, got {model.n_tracks}")
    _within("intake_centre", model.intake_centre, low, high)
    se = getattr(model, "beta_se", None)  # standard errors of the fixed effects, when stored
    if se is not None and any(not (math.isfinite(v) and v >= 0) for v in se):
        raise _fail("beta_se", f"standard errors must be finite and >= 0, got {list(se)}")


def _cohort(model: Any, low: float, high: float) -> None:
    if not 0 < model.k <= model.k_max:
        raise _fail("k", f"must satisfy 0 < k <= k_max ({model.k_max!r}), got {model.k!r}")
    if not model.k_step > 0:
        raise _fail("k_step", f"must be positive, got {model.k_step!r}")
    if model.min_n < 1:
        raise _fail("min_n", f"must be at least 1, got {model.min_n}")
    grid = np.asarray(model.intakes, dtype=np.float64)
    if grid.size == 0:
        raise _fail("intakes", "is empty")
    step = 0.0
    if grid.size > 1:
        with np.errstate(over="ignore", invalid="ignore"):
            gaps = np.diff(grid)
        step = float(gaps[0])
        if not (gaps > 0).all():
            raise _fail("intakes", "must be increasing")
        if not (np.isfinite(gaps).all() and np.allclose(gaps, step, rtol=1e-6, atol=1e-9)):
            raise _fail("intakes", f"must be an evenly spaced grid (step {step:g})")
    tol = _tolerance(low, high)
    if grid[0] < low - step - tol or grid[-1] > high + step + tol:
        raise _fail(
            "intakes",
            f"the grid {grid[0]:g}-{grid[-1]:g} lies outside the score range {low:g}-{high:g}",
        )
    ats = np.asarray(model.ats, dtype=np.float64)
    if ats.size and not (np.diff(ats) > 0).all():
        raise _fail("ats", "must be increasing")
    unit = 1.0 if model.axis == "session" else DAYS_PER_STEP
    start = 1.0 if model.axis == "session" else 0.0
    bad = (ats <= start) | (ats / unit != np.round(ats / unit))
    if bad.any():
        what = "whole session numbers after 1" if unit == 1.0 else "positive multiples of 30 days"
        raise _fail("ats", f"must be {what}, got {float(ats[np.argmax(bad)])!r}")
    n_in, n_at, n_p = grid.size, ats.size, len(model.percentiles)
    for field in ("median", "values", "n", "k_used"):
        rows = getattr(model, field)
        if len(rows) != n_in:
            raise _fail(field, f"has {len(rows)} rows, expected one per intake ({n_in})")
        for i, row in enumerate(rows):
            if len(row) != n_at:
                raise _fail(f"{field}[{i}]", f"has {len(row)} cells, expected {n_at} (ats)")
    for i in range(n_in):
        for j in range(n_at):
            _cohort_cell(model, i, j, n_p, low, high, tol)


def _cohort_cell(model: Any, i: int, j: int, n_p: int, low: float, high: float, tol: float) -> None:
    median, band = model.median[i][j], model.values[i][j]
    n, k_used = model.n[i][j], model.k_used[i][j]
    where = f"[{i}][{j}]"
    if median is None:
        if band is not None or k_used is not None:
            raise _fail(f"values{where}", "is set in a cell without a median")
        if n != 0:
            raise _fail(f"n{where}", f"must be 0 in a cell without a median, got {n}")
        return
    if band is None or len(band) != n_p:
        got = "none" if band is None else len(band)
        raise _fail(f"values{where}", f"must hold one value per percentile ({n_p}), got {got}")
    if not low - tol <= median <= high + tol:
        raise _fail(f"median{where}", f"= {median!r} lies outside the score range")
    if any(not low - tol <= v <= high + tol for v in band):
        raise _fail(f"values{where}", "lies outside the score range")
    if list(band) != sorted(band):
        raise _fail(f"values{where}", "must not decrease with the percentile")
    if n < model.min_n:
        raise _fail(f"n{where}", f"must be at least min_n ({model.min_n}), got {n}")
    if k_used is None or not model.k <= k_used <= model.k_max:
        raise _fail(f"k_used{where}", f"must lie in [k, k_max], got {k_used!r}")


def _neighbours(model: Any, low: float, high: float) -> None:
    if model.n_neighbours < 1:
        raise _fail("n_neighbours", f"must be at least 1, got {model.n_neighbours}")
    names = list(model.covariate_names)
    if len(set(names)) != len(names):
        raise _fail("covariate_names", f"must be distinct, got {names}")
    n_feat = 1 + len(names)
    for field in ("centre", "scale"):
        if len(getattr(model, field)) != n_feat:
            raise _fail(
                field, f"has {len(getattr(model, field))} values, expected {n_feat} (features)"
            )
    if any(not s > 0 for s in model.scale):
        raise _fail("scale", f"must be positive, got {list(model.scale)}")
    n = model.n_tracks
    for field in ("features", "intercept_shift", "slope"):
        got = len(getattr(model, field))
        if got != n:
            raise _fail(field, f"has {got} entries, expected one per reference track ({n})")
    for j, row in enumerate(model.features):
        if len(row) != n_feat:
            raise _fail(f"features[{j}]", f"has {len(row)} values, expected {n_feat}")
    if not model.sigma2 >= 0:
        raise _fail("sigma2", f"must be >= 0, got {model.sigma2!r}")
    _within("centre[0]", model.centre[0], low, high)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is out of range below
        intakes = model.centre[0] + model.scale[0] * np.array(
            [row[0] for row in model.features], dtype=np.float64
        )
    tol = 1e-6 * max(1.0, abs(low), abs(high))
    bad = np.flatnonzero(~((intakes >= low - tol) & (intakes <= high + tol)))
    if bad.size:
        j = int(bad[0])
        raise _fail(
            f"features[{j}]",
            f"gives the reference intake {float(intakes[j]):g}, outside the score range "
            f"{low:g}-{high:g}",
        )
