"""Scale-out on Dask: registry-size cohorts scored, summarised, aggregated and modelled.

Rows are shuffled on the person so that every person's rows sit in one
partition; each partition runs the single-machine path on whole people (see
:mod:`fit_scores.scaleout.cluster`). Nothing is lost: the per-row error report
comes back with the input partition and row (or a key column) of every
rejected row, and valid + rejected = input over the cluster
(:meth:`DaskTable.counts`). Aggregates combine per-group sufficient statistics
exactly and the growth model is fitted on the driver from per-track sufficient
statistics, so both equal the single-machine results. Dask is an optional
dependency (``pip install "dask[dataframe,distributed]"``), imported only here.

Examples
--------
>>> import pandas as pd
>>> import dask.dataframe as dd
>>> from fit_scores.scaleout import summarize_dask
>>> rows = pd.DataFrame({"person": ["a", "a", "b"], "scale": "ORS",
...                      "date": ["2025-01-01", "2025-02-01", "2025-01-01"],
...                      "total": [18.0, 24.0, 30.0], "age": 40})
>>> summary = summarize_dask(dd.from_pandas(rows, npartitions=2), scheduler="sync")
>>> sorted(summary.compute()["person"].tolist())
['a', 'b']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fit_scores.scaleout.cluster import (
    ERROR_COLUMNS,
    DaskSummary,
    DaskTable,
    PartitionTable,
    fit_expected_response_dask,
    score_table_dask,
)
from fit_scores.scaleout.readers import read_csv_dask, read_parquet_dask

if TYPE_CHECKING:  # pragma: no cover
    from fit_scores.scales.registry import ScaleRegistry

__all__ = [
    "ERROR_COLUMNS",
    "DaskSummary",
    "DaskTable",
    "PartitionTable",
    "fit_expected_response_dask",
    "read_csv_dask",
    "read_parquet_dask",
    "score_table_dask",
    "summarize_dask",
]


def summarize_dask(
    frame: Any,
    *,
    person: str = "person",
    key: str | None = None,
    group_columns: Sequence[str] | None = None,
    registry: ScaleRegistry | None = None,
    scheduler: str | None = None,
    **options: Any,
) -> DaskSummary:
    """Per-track summary of a Dask DataFrame of administrations (long format).

    ``score_table_dask(frame, ...).summarize(**options)``: see
    :func:`score_table_dask` for the arguments and :meth:`ScoreTable.summarize
    <fit_scores.table.ScoreTable.summarize>` for ``options`` (``model=`` ...).
    For the error report as well, keep the table: ``table =
    score_table_dask(frame)``, then ``table.summarize()`` and
    ``table.errors()``.

    Returns
    -------
    DaskSummary
        ``.to_dask()`` (a Dask DataFrame, one row per track), ``.compute()``
        (pandas) and ``.aggregate(by=...)``.
    """
    table = score_table_dask(
        frame,
        person=person,
        key=key,
        group_columns=group_columns,
        registry=registry,
        scheduler=scheduler,
    )
    return table.summarize(**options)
