"""Fitting an expected-response model, and loading a fitted one from its portable JSON.

Every fitted model is a versioned pydantic model: it serialises to JSON and
loads back (:func:`load_model`) without the data, giving identical
predictions.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Annotated, Any, Literal, Protocol, runtime_checkable

import numpy as np
from pydantic import Field, TypeAdapter, ValidationError

from fit_scores.errors import TrajectoryInputError
from fit_scores.trajectories.axis import TimeAxis, Transform
from fit_scores.trajectories.cohort import CohortModel, fit_cohort
from fit_scores.trajectories.data import TrajectoryData
from fit_scores.trajectories.growth import GrowthModel, fit_growth
from fit_scores.trajectories.neighbours import NeighboursModel, fit_neighbours
from fit_scores.trajectories.validate import check_model

__all__ = ["ExpectedResponseModel", "TrajectorySource", "fit_expected_response", "load_model"]

ExpectedResponseModel = Annotated[
    GrowthModel | CohortModel | NeighboursModel, Field(discriminator="kind")
]
_ADAPTER: TypeAdapter[GrowthModel | CohortModel | NeighboursModel] = TypeAdapter(
    ExpectedResponseModel
)


@runtime_checkable
class PartitionedSource(Protocol):
    """A Dask DataFrame of administrations or a :class:`fit_scores.scaleout.DaskTable`."""

    @property
    def npartitions(self) -> int:  # pragma: no cover - a protocol
        """The number of partitions."""
        ...


class TrajectorySource(Protocol):
    """Anything with a :class:`TrajectoryData` view, such as a :class:`fit_scores.ScoreTable`."""

    def trajectories(
        self, axis: TimeAxis = "session", *, scale: Any = None
    ) -> TrajectoryData:  # pragma: no cover - a protocol
        """The scored rows of one scale as trajectory data."""
        ...


def fit_expected_response(
    data: TrajectoryData | TrajectorySource | PartitionedSource,
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
    >>> model.axis, model.scale_key, model.score_range
    ('days', 'ORS', (5.8, 40.0))
    >>> model.beta == fit_expected_response(table.trajectories("days"), "growth").beta
    True
    """
    if isinstance(data, PartitionedSource):  # a Dask DataFrame or a scaleout.DaskTable
        from fit_scores.scaleout import fit_expected_response_dask  # deferred: dask is optional

        return fit_expected_response_dask(
            data,
            method,
            axis=axis,
            scale=scale,
            transform=transform,
            percentiles=percentiles,
            higher_is_better=higher_is_better,
            reml=reml,
        )
    data, scale_key = _trajectory_data(data, axis, scale)
    if higher_is_better is None:
        higher_is_better = True if data.higher_is_better is None else data.higher_is_better
    pct = check_fit_options(percentiles, transform)
    model = _fit(
        data,
        method,
        transform=transform,
        percentiles=pct,
        higher_is_better=higher_is_better,
        reml=reml,
        k=k,
        k_max=k_max,
        k_step=k_step,
        min_n=min_n,
        grid_step=grid_step,
        n_neighbours=n_neighbours,
        covariates=covariates,
    )
    # what load_model checks the model's centres against (validate.check_model)
    low, high = float(np.min(data.score)), float(np.max(data.score))
    return model.model_copy(update={"scale_key": scale_key, "score_range": (low, high)})


def _fit(
    data: TrajectoryData,
    method: str,
    *,
    transform: Transform,
    percentiles: tuple[float, ...],
    higher_is_better: bool,
    reml: bool,
    k: float,
    k_max: float,
    k_step: float,
    min_n: int,
    grid_step: float,
    n_neighbours: int,
    covariates: Sequence[str],
) -> GrowthModel | CohortModel | NeighboursModel:
    pct = percentiles
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


def check_fit_options(percentiles: Sequence[float], transform: str) -> tuple[float, ...]:
    """The percentiles of a fit as floats, after checking them and the transform.

    Shared by :func:`fit_expected_response` and the scale-out fit
    (:func:`fit_scores.scaleout.fit_expected_response_dask`).

    Raises
    ------
    TrajectoryInputError
        If the percentiles are not increasing, distinct, in (0, 100) and not
        50, or the transform is neither ``"log"`` nor ``"linear"``.

    Examples
    --------
    >>> check_fit_options([10, 90], "log")
    (10.0, 90.0)
    """
    try:
        pct = tuple(float(p) for p in percentiles)
    except (TypeError, ValueError, OverflowError):
        pct = ()
    if not pct or any(not 0 < p < 100 or p == 50 for p in pct) or list(pct) != sorted(set(pct)):
        raise TrajectoryInputError(
            "percentiles must be increasing, distinct, in (0, 100) and not 50 (the median)"
        )
    if transform not in ("log", "linear"):
        raise TrajectoryInputError(f"transform must be 'log' or 'linear', got {transform!r}")
    return pct


def _trajectory_data(
    data: TrajectoryData | TrajectorySource, axis: TimeAxis | None, scale: Any
) -> tuple[TrajectoryData, str | None]:
    """``data`` itself, or the trajectory view of a table (duck-typed: no import of the table).

    With the key of the table's scale (None for trajectory data).
    """
    if isinstance(data, TrajectoryData):
        if axis is not None and axis != data.axis:
            raise TrajectoryInputError(
                f"axis={axis!r}, but the data are on the {data.axis!r} axis; build them on it"
            )
        if scale is not None:
            raise TrajectoryInputError("scale= selects the scale of a table; these are data")
        return data, None
    view = getattr(data, "trajectories", None)
    if not callable(view):
        raise TrajectoryInputError(
            f"data must be TrajectoryData or a ScoreTable, got {type(data).__name__}"
        )
    out = view("session" if axis is None else axis, scale=scale)
    if not isinstance(out, TrajectoryData):
        raise TrajectoryInputError(f"{type(data).__name__}.trajectories() gave no TrajectoryData")
    return out, _scale_key(getattr(data, "scales", ()), scale)


def _scale_key(scales: Any, scale: Any) -> str | None:
    """The key of the table's scale that the view was of (the view has checked ``scale``)."""
    keys = [str(getattr(s, "key", "")) for s in tuple(scales)]
    if scale is None:
        return keys[0] if len(keys) == 1 else None
    key = str(getattr(scale, "key", scale))
    matches = [k for k in keys if k == key] or [k for k in keys if k.casefold() == key.casefold()]
    return matches[0] if len(matches) == 1 else None


def load_model(text: str | bytes) -> GrowthModel | CohortModel | NeighboursModel:
    """Load a fitted model from its JSON (``model.model_dump_json()``).

    The loaded model equals the fitted one and gives identical predictions,
    without the data it was fitted on. A model file is checked before it is
    trusted: the JSON must parse into a known model kind and version, with
    finite numbers of the right types, and the model must be internally
    consistent (array lengths, positive variances, percentiles in (0, 100),
    centres within the score range it was fitted on, a registered scale; see
    :func:`~fit_scores.trajectories.validate.check_model`).

    Parameters
    ----------
    text : str or bytes
        The JSON text.

    Returns
    -------
    GrowthModel, CohortModel or NeighboursModel

    Raises
    ------
    TrajectoryInputError
        If the text is not a valid, consistent model; the message names the
        field and the reason (never a bare ``ValueError``, ``TypeError``,
        ``RecursionError`` or ``OverflowError``).

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
    if not isinstance(text, str | bytes | bytearray):
        raise TrajectoryInputError(f"model: expected JSON text, got {type(text).__name__}")
    try:
        try:
            model = _ADAPTER.validate_json(text)
        except ValidationError as exc:
            if exc.errors()[0].get("type") != "json_invalid":
                raise
            # read it again with the json module, to name the field of a number out of
            # range (parsed as infinity, which the models reject) or say what is wrong
            model = _ADAPTER.validate_python(
                json.loads(text, parse_int=_int_in_range, parse_constant=float)
            )
    except ValidationError as exc:
        raise TrajectoryInputError(f"model: {_first_error(exc)}") from None
    except RecursionError:
        raise TrajectoryInputError("model: the JSON is nested too deeply") from None
    except (ValueError, TypeError, OverflowError, MemoryError) as exc:
        raise TrajectoryInputError(f"model: the JSON cannot be read ({exc})") from None
    check_model(model)
    return model


def _int_in_range(digits: str) -> int | float:
    """An integer of a model file; one too long to be a count becomes infinity (rejected)."""
    if len(digits.lstrip("-")) <= 18:
        return int(digits)
    return -math.inf if digits.startswith("-") else math.inf


def _first_error(exc: ValidationError) -> str:
    """The first problem pydantic found, as 'field 'a.b' reason' (and how many more)."""
    errors = exc.errors(include_url=False, include_input=False)
    if not errors:  # pragma: no cover - pydantic always reports one
        return "not a valid model"
    first = errors[0]
    loc = ".".join(str(part) for part in first.get("loc", ()))
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    where = f"field {loc!r} " if loc else ""
    return f"{where}{first.get('msg', 'is not valid')}{more}"
