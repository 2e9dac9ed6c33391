"""Fitting an expected-response model, and loading a fitted one from its portable JSON.

Every fitted model is a versioned pydantic model: it serialises to JSON and
loads back (:func:`load_model`) without the data, giving identical
predictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from fit_scores.errors import TrajectoryInputError
from fit_scores.trajectories.axis import Transform
from fit_scores.trajectories.cohort import CohortModel, fit_cohort
from fit_scores.trajectories.data import TrajectoryData
from fit_scores.trajectories.growth import GrowthModel, fit_growth
from fit_scores.trajectories.neighbours import NeighboursModel, fit_neighbours

__all__ = ["ExpectedResponseModel", "fit_expected_response", "load_model"]

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
    >>> import numpy as np
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
        return fit_growth(
            data, transform=transform, reml=reml, percentiles=pct, higher_is_better=higher_is_better
        )
    if method == "cohort":
        return fit_cohort(
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
        return fit_neighbours(
            data,
            transform=transform,
            n_neighbours=n_neighbours,
            covariates=covariates,
            percentiles=pct,
            higher_is_better=higher_is_better,
        )
    raise TrajectoryInputError(f"method must be 'growth', 'cohort' or 'neighbours', got {method!r}")


def load_model(text: str | bytes) -> GrowthModel | CohortModel | NeighboursModel:
    """Load a fitted model from its JSON (``model.model_dump_json()``).

    The loaded model equals the fitted one and gives identical predictions,
    without the data it was fitted on.

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores.trajectories import TrajectoryData, fit_expected_response, load_model
    >>> rng = np.random.default_rng(1)
    >>> ids, session = np.repeat(np.arange(100), 4), np.tile(np.arange(1, 5), 100)
    >>> score = np.repeat(rng.normal(18, 5, 100), 4) + 3 * np.log(session)
    >>> score += rng.normal(0, 1.5, score.size)
    >>> model = fit_expected_response(TrajectoryData.from_arrays(ids, session, score))
    >>> again = load_model(model.model_dump_json())
    >>> again == model, again.expected(18.0, 4) == model.expected(18.0, 4)
    (True, True)
    """
    return _ADAPTER.validate_json(text)
