"""Scale-out: the per-track summary on Dask, for cohorts that outgrow one machine.

Rows are shuffled so that every person's rows sit in one partition; each
partition then runs the very same single-machine path
(:func:`fit_scores.from_pandas` and :meth:`ScoreTable.summarize
<fit_scores.ScoreTable.summarize>`), so the result equals a single-machine run
row for row. Dask is an optional dependency (``pip install
"dask[dataframe,distributed]"``) imported only here.

Examples
--------
>>> import pandas as pd
>>> import dask.dataframe as dd
>>> from fit_scores.scaleout import summarize_dask
>>> rows = pd.DataFrame({"person": ["a", "a", "b"], "scale": "ORS",
...                      "date": ["2025-01-01", "2025-02-01", "2025-01-01"],
...                      "total": [18.0, 24.0, 30.0], "age": 40})
>>> summary = summarize_dask(dd.from_pandas(rows, npartitions=2)).compute()
>>> sorted(summary["person"].tolist())
['a', 'b']
"""

from __future__ import annotations

from typing import Any

__all__ = ["summarize_dask"]


def _summarize_partition(frame: Any, options: dict[str, Any]) -> Any:
    from fit_scores.io import from_pandas

    if len(frame) == 0:
        return None
    table = from_pandas(frame.reset_index(drop=True))
    return table.summarize(**options).to_pandas()


def summarize_dask(frame: Any, *, person: str = "person", **options: Any) -> Any:
    """Per-track summary of a Dask DataFrame of administrations (long format).

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        One row per administration, with the columns :func:`fit_scores.from_columns`
        reads.
    person : str
        The person column; rows are shuffled on it so that every track is in
        one partition.
    **options
        Passed to :meth:`ScoreTable.summarize <fit_scores.ScoreTable.summarize>`
        (e.g. ``model=``).

    Returns
    -------
    dask.dataframe.DataFrame
        One row per track, the same rows as the single-machine summary (in
        partition order; sort by the track key to compare).

    Notes
    -----
    Rejected rows are left out of the summary as on one machine; run
    :func:`fit_scores.from_pandas` on a partition (or ``fit-scores validate``)
    for the error report.
    """
    import pandas as pd
    from dask.delayed import delayed

    if person not in frame.columns:
        raise ValueError(f"the frame has no {person!r} column")
    shuffled = frame.shuffle(on=person)
    parts = shuffled.to_delayed()
    summaries = [delayed(_summarize_partition)(part, options) for part in parts]
    sample = _summarize_partition(frame.head(50, npartitions=-1), options)
    meta = sample.iloc[:0] if sample is not None else pd.DataFrame()
    import dask.dataframe as dd

    def non_empty(result: Any) -> Any:
        return meta if result is None else result

    return dd.from_delayed([delayed(non_empty)(s) for s in summaries], meta=meta)
