"""The ``--dask`` and ``--workers`` options of ``fit-scores summarize`` and ``report``.

``fit-scores summarize FILE --dask tcp://scheduler:8786`` (or ``--workers 4``
for a local cluster of 4 worker processes) reads FILE on the cluster: a CSV or
Parquet file, a folder of Parquet files, or a glob pattern of CSV files
(``"scores-*.csv"``, quoted). The output is the single machine's (the summary's
tracks in the order of the partitions); rejected rows are counted on standard
error and make the exit code 1.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from fit_scores.errors import TableInputError
from fit_scores.scaleout.cluster import DaskTable
from fit_scores.scaleout.readers import read_csv_dask, read_parquet_dask

__all__ = ["open_table", "run_command"]


def open_table(source: str, *, group_columns: list[str] | None = None) -> DaskTable:
    """Score ``source`` on the current cluster: CSV files, or Parquet (a file or a folder).

    Raises
    ------
    TableInputError
        If ``source`` names no CSV or Parquet input.
    """
    lowered = source.lower()
    path = Path(source)
    if path.is_dir() or lowered.endswith((".parquet", ".pq")):
        return read_parquet_dask(source, group_columns=group_columns)
    if lowered.endswith(".csv"):
        return read_csv_dask(source, group_columns=group_columns)
    raise TableInputError(
        f"{source}: give .csv files (a file or a pattern such as 'scores-*.csv') or Parquet "
        "(a .parquet file or a folder of them) for --dask/--workers"
    )


def run_command(args: Any) -> tuple[Any, int, int]:
    """Run ``summarize`` or ``report`` (the parsed command line ``args``) on a Dask cluster.

    Connects to ``args.dask`` (a scheduler address) or starts a local cluster of
    ``args.workers`` worker processes (one thread each), reads ``args.file`` and
    computes what the single-machine command computes; the command line writes
    it and reports the rejected rows as it does on one machine.

    Returns
    -------
    result : TrackSummary or Aggregate
        The summary (``summarize``) or the aggregate (``report``).
    n_input, n_rejected : int
        The rows read and the rows rejected.
    """
    import importlib

    distributed: Any = importlib.import_module("distributed")
    address = getattr(args, "dask", None)
    workers = getattr(args, "workers", None)
    if workers is not None and workers < 1:
        raise TableInputError(f"--workers must be at least 1, got {workers}")
    group_columns = list(getattr(args, "group_column", None) or []) or None
    with ExitStack() as stack:
        if address:
            client = stack.enter_context(distributed.Client(address))
        else:
            cluster = stack.enter_context(
                distributed.LocalCluster(
                    n_workers=workers or 2,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                )
            )
            client = stack.enter_context(distributed.Client(cluster))
        del client
        table = open_table(str(args.file), group_columns=group_columns)
        n_input, n_valid, n_rejected = table.counts()
        print(
            f"fit-scores: {n_input:,} rows on {table.npartitions} partitions: "
            f"{n_valid:,} valid, {n_rejected:,} rejected",
            file=sys.stderr,
        )
        summary = table.summarize()
        if args.command == "summarize":
            return summary, n_input, n_rejected
        return summary.aggregate(args.by or None, min_cell=args.min_cell), n_input, n_rejected
