"""Fitting an expected-response model, and loading a fitted one from its portable JSON.

Every fitted model is a versioned pydantic model: it serialises to JSON and
loads back (:func:`load_model`) without the data, giving identical
predictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal, Protocol

from pydantic import Field, TypeAdapter

from fit_scores.errors import TrajectoryInputError
from fit_scores.trajectories.axis import TimeAxis, Transform
from fit_scores.trajectories.cohort import CohortModel, fit_cohort
from fit_scores.trajectories.data import TrajectoryData
from fit_scores.trajectories.growth import GrowthModel, fit_growth
from fit_scores.trajectories.neighbours import NeighboursModel, fit_neighbours

__all__ = ["ExpectedResponseModel", "TrajectorySource", "fit_expected_response", "load_model"]

ExpectedResponseModel = Annotated[
    GrowthModel | CohortModel | NeighboursModel, Field(discriminator="kind")
]
_ADAPTER: TypeAdapter[GrowthModel | CohortModel | NeighboursModel] = TypeAdapter(
    ExpectedResponseModel
)


class TrajectorySource(Protocol):
    """Anything with a :class:`TrajectoryData` view, such as a :class:`fit_scores.ScoreTable`."""

    def trajectories(
        self, axis: TimeAxis = "session", *, scale: Any = None
    ) -> TrajectoryData:  # pragma: no cover - a protocol
        """The scored rows of one scale as trajectory data."""
        ...


def fit_expected_response(
    data: TrajectoryData | TrajectorySource,
    method: Literal["growth", "cohort", "neighbours"] = "growth",
    *,
    axis: TimeAxis | None = None,
    scale: Any = None,
    transform: Transform = "log",
    percentiles: Sequence[float] = (10, 25, 75, 90),
    higher_is_better: bool | None = None,
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
    data : TrajectoryData or ScoreTable
        The reference tracks (time by session number or elapsed days), or a
        score table: then the model is fitted on
        ``data.trajectories(axis, scale=scale)`` (its scored rows of one scale;
        see :meth:`ScoreTable.trajectories
        <fit_scores.table.ScoreTable.trajectories>`).
    method : {"growth", "cohort", "neighbours"}
        See the module documentation.
    axis : {"session", "days"}, optional
        The time axis of a table's view (default ``"session"``). Trajectory
        data carry their own axis; giving another one is an error.
    scale : str or Scale, optional
        The scale of a table's view; required when the table holds more than
        one. Not used with trajectory data.
    transform : {"log", "linear"}
        Time variable of the growth and neighbours models: log(session) or
        log(1 + days/30) (default, log-linear change), or linear.
    percentiles : sequence of float
        The band (default 10/25/75/90).
    higher_is_better : bool, optional
        Direction of the scale, for :meth:`status`. Default: the scale's
        direction for a table (``data.higher_is_better`` when the data know
        it), else True.
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

    Straight from a score table (here a simulated cohort):

    >>> from fit_scores.simulate import simulate_cohort
    >>> from fit_scores.table import from_columns
    >>> table = from_columns(simulate_cohort(200, seed=3).to_dict())
    >>> model = fit_expected_response(table, "growth", axis="days")
    >>> model.axis, model == fit_expected_response(table.trajectories("days"), "growth")
    ('days', True)
    """
    data = _trajectory_data(data, axis, scale)
    if higher_is_better is None:
        higher_is_better = True if data.higher_is_better is None else data.higher_is_better
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


def _trajectory_data(
    data: TrajectoryData | TrajectorySource, axis: TimeAxis | None, scale: Any
) -> TrajectoryData:
    """``data`` itself, or the trajectory view of a table (duck-typed: no import of the table)."""
    if isinstance(data, TrajectoryData):
        if axis is not None and axis != data.axis:
            raise TrajectoryInputError(
                f"axis={axis!r}, but the data are on the {data.axis!r} axis; build them on it"
            )
        if scale is not None:
            raise TrajectoryInputError("scale= selects the scale of a table; these are data")
        return data
    view = getattr(data, "trajectories", None)
    if not callable(view):
        raise TrajectoryInputError(
            f"data must be TrajectoryData or a ScoreTable, got {type(data).__name__}"
        )
    out = view("session" if axis is None else axis, scale=scale)
    if not isinstance(out, TrajectoryData):
        raise TrajectoryInputError(f"{type(data).__name__}.trajectories() gave no TrajectoryData")
    return out


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
