"""Score tables on a Dask cluster: every partition runs the single-machine path on whole people.

Rows are shuffled on the person (a hash of its identifier normalised as the
readers normalise it: NFC, surrounding white space removed; see
:func:`split_partition`), so that every track, and every track of a person,
lies in one partition; there are as many output partitions as input ones.
Each partition is then read, checked and scored by the very code a single machine runs
(:func:`fit_scores.from_pandas`, or :func:`fit_scores.io.parse_csv` for CSV
text), and stays in the workers' memory. From there:

* the per-track summary and the per-row error report are Dask DataFrames (the
  error report keeps each row's identity: the input partition and the row in
  it, and optionally a key column);
* aggregates are combined from per-group sufficient statistics
  (:class:`fit_scores.table.aggregate.AggregateStatistics`), with intervals and
  small-cell suppression applied once, on the driver, to the combined figures;
* the growth model is fitted on the driver from per-track sufficient
  statistics (:class:`fit_scores.trajectories.growth.GrowthStatistics`).

Only small things travel to the driver: per-group counts and sums, and O(tracks)
numbers for the growth model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np

from fit_scores.errors import TableInputError, TrajectoryInputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from fit_scores.scales.registry import ScaleRegistry
    from fit_scores.table import ScoreTable, TrackSummary
    from fit_scores.table.aggregate import Aggregate
    from fit_scores.trajectories import GrowthModel

__all__ = [
    "ERROR_COLUMNS",
    "DaskSummary",
    "DaskTable",
    "PartitionTable",
    "fit_expected_response_dask",
    "score_table_dask",
    "split_partition",
]

#: Helper columns added before the shuffle (the row's identity and the shuffle key).
PARTITION_COLUMN = "__fit_scores_partition"
ROW_COLUMN = "__fit_scores_row"
FIELDS_COLUMN = "__fit_scores_fields"
_ROW_REFERENCE = re.compile(r"\brow ([0-9]+)\b")
#: The columns of the error report of a :class:`DaskTable` (plus the key column, if any).
ERROR_COLUMNS = ("partition", "row", "column", "error", "reason")


@dataclass(frozen=True)
class CsvText:
    """How a partition of CSV fields is read: the dialect resolved from the files."""

    decimal: str
    dayfirst: bool


@dataclass(frozen=True, eq=False)
class PartitionTable:
    """One partition: its score table and the identity of its input rows.

    Attributes
    ----------
    table : ScoreTable
        The single-machine table of the partition's rows (whole people).
    partition, row : ndarray of int
        Input partition and row (0-based, within the input partition) of every
        input row of the table, in the table's row order.
    key : ndarray or None
        The key column's value of every input row, when one was named.
    """

    table: ScoreTable
    partition: np.ndarray[Any, np.dtype[np.int64]]
    row: np.ndarray[Any, np.dtype[np.int64]]
    key: np.ndarray[Any, Any] | None

    def error_frame(self, key_name: str | None) -> pd.DataFrame:
        """The partition's error report with the input identity of every entry."""
        import pandas as pd

        errors = self.table.errors
        local = np.asarray(errors.row, dtype=np.int64)
        columns: dict[str, Any] = {
            "partition": self.partition[local],
            "row": self.row[local],
        }
        if key_name is not None and self.key is not None:
            columns[key_name] = self.key[local]
        columns.update(
            {
                "column": np.asarray(errors.column, dtype=object),
                "error": np.asarray(errors.error, dtype=object),
                "reason": self.global_reasons(np.asarray(errors.reason, dtype=object), key_name),
            }
        )
        return pd.DataFrame(columns)

    def global_reasons(self, reasons: np.ndarray[Any, Any], key_name: str | None) -> Any:
        """Reasons that name another row (``"as row 12"``) name it by its input identity.

        A rule of a track (a duplicate, the session order) names the other row
        involved by its index in the partition's table; here it becomes ``"row
        R of partition P"`` (and the key's value), the identity the report gives.
        """
        out = reasons.copy()
        for text in {r for r in reasons.tolist() if "row " in r}:
            new = _ROW_REFERENCE.sub(lambda m: self.describe_row(int(m.group(1)), key_name), text)
            if new != text:
                out[reasons == text] = new
        return out

    def describe_row(self, local: int, key_name: str | None) -> str:
        """``"row R of partition P"`` (with the key) for a row of the partition's table."""
        if not 0 <= local < self.row.size:
            return f"row {local}"
        text = f"row {int(self.row[local])} of partition {int(self.partition[local])}"
        if key_name is not None and self.key is not None:
            text += f" ({key_name} {self.key[local]!r})"
        return text

    def counts(self) -> tuple[int, int, int]:
        """``(n_input, n_valid, n_rejected)``."""
        t = self.table
        return t.n_input, t.n_valid, t.n_rejected


def normalised_person(values: Any) -> Any:
    """The person identifiers as the shuffle key: NFC text without surrounding white space.

    Two spellings of one identifier (``"Åse"`` composed or decomposed, ``" p1"``
    and ``"p1"``) go to the same partition, so that the readers' own
    normalisation sees them together. Missing values become ``""``. Each
    distinct identifier is normalised once.

    Examples
    --------
    >>> import pandas as pd
    >>> normalised_person(pd.Series(["\u00c5se", "A\u030ase ", None])).tolist()
    ['Åse', 'Åse', '']
    """
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(values).astype(object), use_na_sentinel=True)
    texts = np.array(
        [unicodedata.normalize("NFC", str(u)).strip() for u in np.asarray(uniques).tolist()] + [""],
        dtype=object,
    )
    return pd.Series(texts[codes], index=getattr(values, "index", None), dtype=object)


def split_partition(
    frame: pd.DataFrame, number: int, person: str, n_out: int
) -> list[pd.DataFrame]:
    """One input partition split into ``n_out`` pieces by a hash of the normalised person.

    Every row keeps its identity: the input partition ``number`` and its row in
    it. The hash (:func:`pandas.util.hash_array`, fixed key) is the same in
    every process, so a person's rows from every input partition meet in one
    output partition.
    """
    import pandas as pd

    out = frame.reset_index(drop=True)
    out[PARTITION_COLUMN] = np.full(len(out), number, dtype=np.int64)
    if ROW_COLUMN not in out.columns:
        out[ROW_COLUMN] = np.arange(len(out), dtype=np.int64)
    codes, uniques = pd.factorize(normalised_person(out[person]))
    target = (pd.util.hash_array(np.asarray(uniques, dtype=object)) % np.uint64(n_out))[codes]
    return [out[target == j] for j in range(n_out)]


def _build_partition(
    pieces: list[pd.DataFrame],
    *,
    key: str | None,
    options: dict[str, Any],
    csv: CsvText | None,
) -> PartitionTable:
    """The single-machine table of one output partition (its pieces in input order)."""
    import pandas as pd

    from fit_scores.io import from_pandas

    frame = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
    partition = frame[PARTITION_COLUMN].to_numpy(dtype=np.int64)
    row = frame[ROW_COLUMN].to_numpy(dtype=np.int64)
    key_values = None if key is None else frame[key].to_numpy()
    helpers = [PARTITION_COLUMN, ROW_COLUMN, FIELDS_COLUMN, key]
    data = frame.drop(columns=[c for c in helpers if c in frame.columns]).reset_index(drop=True)
    if csv is None:
        table = from_pandas(data, **options)
    else:
        fields = frame[FIELDS_COLUMN].to_numpy(dtype=np.int64)
        table = parse_fields(data, fields, csv, options)
    return PartitionTable(table=table, partition=partition, row=row, key=key_values)


def parse_fields(
    data: pd.DataFrame, fields: np.ndarray[Any, Any], csv: CsvText, options: dict[str, Any]
) -> ScoreTable:
    """Read CSV fields (text, as tokenised from the files) with :func:`fit_scores.io.parse_csv`.

    The fields are written back as CSV text (quoted where needed; a record
    keeps its original number of fields, so a ragged record is rejected as it
    would be on one machine) and parsed with the dialect of the files.
    """
    import csv as csv_module
    import io

    from fit_scores.io import parse_csv

    header = [str(c) for c in data.columns]
    width = len(header)
    buffer = io.StringIO()
    writer = csv_module.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    values = data.to_numpy(dtype=object)
    for record, count in zip(values.tolist(), fields.tolist(), strict=True):
        texts = ["" if v is None else str(v) for v in record]
        if count < width:
            texts = texts[:count]
        elif count > width:
            texts = texts + [""] * (count - width)
        if texts == [""]:
            buffer.write('""\n')  # one empty field, not a blank line
        else:
            writer.writerow(texts)
    return parse_csv(
        buffer.getvalue(), delimiter=",", decimal=csv.decimal, dayfirst=csv.dayfirst, **options
    )


def dask_compute(*values: Any, scheduler: str | None) -> tuple[Any, ...]:
    """:func:`dask.compute` (typed here: dask has no type hints)."""
    import importlib

    dask: Any = importlib.import_module("dask")
    return tuple(dask.compute(*values, scheduler=scheduler))


def dask_persist(*values: Any) -> tuple[Any, ...]:
    """:func:`dask.persist` on the current client (typed here: dask has no type hints)."""
    import importlib

    dask: Any = importlib.import_module("dask")
    return tuple(dask.persist(*values))


class DaskTable:
    """A score table held on a Dask cluster, one :class:`PartitionTable` per partition.

    Build one with :func:`score_table_dask` (or the readers
    :func:`~fit_scores.scaleout.read_csv_dask` and
    :func:`~fit_scores.scaleout.read_parquet_dask`). The partitions are
    computed once and kept in the workers' memory (``persist``).

    Examples
    --------
    >>> import pandas as pd
    >>> import dask.dataframe as dd
    >>> rows = pd.DataFrame({"person": ["a", "a", "b", "c"], "scale": "ORS",
    ...                      "date": ["2025-01-01", "2025-02-01", "2025-01-01", "2025-01-01"],
    ...                      "total": [18.0, 24.0, 30.0, 41.0], "age": 40})
    >>> table = score_table_dask(dd.from_pandas(rows, npartitions=2), scheduler="sync")
    >>> table.counts()
    (4, 3, 1)
    >>> table.errors().compute()[["partition", "row", "column", "error"]].values.tolist()
    [[1, 1, 'total', 'TotalRangeError']]
    """

    def __init__(
        self,
        parts: list[Any],
        *,
        key: str | None,
        scheduler: str | None,
    ) -> None:
        self.parts = parts
        self.key = key
        self.scheduler = scheduler

    def __repr__(self) -> str:
        return f"DaskTable({len(self.parts)} partitions)"

    @property
    def npartitions(self) -> int:
        """Number of partitions."""
        return len(self.parts)

    def compute(self, *delayed_values: Any) -> tuple[Any, ...]:
        """Compute delayed values with this table's scheduler."""
        out: tuple[Any, ...] = dask_compute(*delayed_values, scheduler=self.scheduler)
        return out

    def map(self, function: Callable[..., Any], *args: Any) -> list[Any]:
        """``function(part, *args)`` on every partition, as delayed values."""
        from dask.delayed import delayed

        return [delayed(function)(part, *args) for part in self.parts]

    def counts(self) -> tuple[int, int, int]:
        """``(n_input, n_valid, n_rejected)`` over all partitions (valid + rejected = input)."""
        parts = self.compute(*self.map(PartitionTable.counts))
        n_input = sum(p[0] for p in parts)
        n_valid = sum(p[1] for p in parts)
        n_rejected = sum(p[2] for p in parts)
        return n_input, n_valid, n_rejected

    def errors(self) -> Any:
        """The per-row error report as a Dask DataFrame.

        Columns ``partition`` and ``row`` (the input partition, and the row in
        it, 0-based), the key column when :func:`score_table_dask` was given
        one, then ``column``, ``error`` and ``reason`` as in
        :class:`~fit_scores.table.TableErrors`. Entries of one row are in the
        order of one machine; sort by ``partition, row`` for the input order.
        """
        import dask.dataframe as dd

        frames = self.map(PartitionTable.error_frame, self.key)
        meta = self.compute(frames[0])[0].iloc[:0]
        return dd.from_delayed(frames, meta=meta, verify_meta=False)

    def summarize(self, **options: Any) -> DaskSummary:
        """The per-track summary of every partition (see :meth:`ScoreTable.summarize`).

        ``options`` are those of :meth:`ScoreTable.summarize
        <fit_scores.table.ScoreTable.summarize>` (``model=``, ``rules=`` ...).
        """
        summaries = self.map(_summarize, options)
        (persisted,) = _persist(summaries, self.scheduler)
        return DaskSummary(persisted, self.scheduler)

    def scale_keys(self) -> list[str]:
        """The keys of the scales with valid rows, over all partitions (sorted)."""
        keys = self.compute(*self.map(_scale_keys))
        return sorted({k for part in keys for k in part})


def _summarize(part: PartitionTable, options: dict[str, Any]) -> TrackSummary:
    return part.table.summarize(**options)


def _scale_keys(part: PartitionTable) -> list[str]:
    return [s.key for s in part.table.scales]


def _persist(values: list[Any], scheduler: str | None) -> tuple[list[Any]]:
    """Keep computed values in the cluster's memory (or compute them here without one)."""
    if scheduler is None and _has_client():
        return (list(dask_persist(*values)),)
    done = dask_compute(*values, scheduler=scheduler)
    from dask.delayed import delayed

    return ([delayed(v) for v in done],)


def _has_client() -> bool:
    try:
        from distributed import get_client
    except ImportError:  # pragma: no cover - distributed not installed
        return False
    try:
        get_client()
    except ValueError:
        return False
    return True


class DaskSummary:
    """The per-track summary of a :class:`DaskTable`, one part per partition, on the cluster."""

    def __init__(self, parts: list[Any], scheduler: str | None) -> None:
        self.parts = parts
        self.scheduler = scheduler

    def __repr__(self) -> str:
        return f"DaskSummary({len(self.parts)} partitions)"

    def to_dask(self) -> Any:
        """The summary as a Dask DataFrame (the columns of ``summary.to_pandas()``)."""
        import dask.dataframe as dd
        from dask.delayed import delayed

        frames = [delayed(_to_pandas)(part) for part in self.parts]
        sizes = dask_compute(*[delayed(len)(part) for part in self.parts], scheduler=self.scheduler)
        first = next((i for i, n in enumerate(sizes) if n), 0)
        meta = dask_compute(frames[first], scheduler=self.scheduler)[0].iloc[:0]
        return dd.from_delayed(
            [delayed(_like)(f, meta) for f in frames], meta=meta, verify_meta=False
        )

    def to_csv(self) -> str:
        """The summary as CSV text (one header; the rows of each partition in turn).

        Each partition writes its rows with :meth:`TrackSummary.to_csv
        <fit_scores.table.TrackSummary.to_csv>`, so the text is that of one
        machine up to the order of the tracks.
        """
        from dask.delayed import delayed

        texts = dask_compute(
            *[delayed(_csv_text)(part) for part in self.parts], scheduler=self.scheduler
        )
        header = next((t.split("\n", 1)[0] for t in texts if t), "")
        bodies = [t.split("\n", 1)[1] if "\n" in t else "" for t in texts]
        return header + "\n" + "".join(bodies)

    def to_json(self) -> str:
        """The summary as one JSON array of objects (the rows of each partition in turn)."""
        from dask.delayed import delayed

        texts = dask_compute(
            *[delayed(_json_text)(part) for part in self.parts], scheduler=self.scheduler
        )
        inner = [t.strip()[1:-1] for t in texts if t.strip() not in ("", "[]")]
        return "[" + ",".join(inner) + "]"

    def compute(self) -> pd.DataFrame:
        """The whole summary as one pandas DataFrame on the driver (when it fits in memory).

        The frames of the partitions (``summary.to_pandas()`` each) in turn.
        """
        import pandas as pd
        from dask.delayed import delayed

        frames = dask_compute(
            *[delayed(_to_pandas)(part) for part in self.parts], scheduler=self.scheduler
        )
        non_empty = [f for f in frames if len(f)] or list(frames[:1])
        return pd.concat(non_empty, ignore_index=True)

    def aggregate(
        self, by: str | Sequence[str] | None = None, *, min_cell: int = 5, level: float = 0.95
    ) -> Aggregate:
        """Figures per group, as :meth:`TrackSummary.aggregate`, combined across partitions.

        Each partition computes per-group sufficient statistics
        (:func:`~fit_scores.table.aggregate.aggregate_statistics`); the driver
        combines them exactly and applies the intervals and the small-cell
        suppression (including the complementary suppression of age bands)
        once, to the combined figures
        (:func:`~fit_scores.table.aggregate.finish_aggregate`). The result
        equals ``summary.aggregate(...)`` of the single-machine summary.
        """
        from dask.delayed import delayed

        from fit_scores.table.aggregate import (
            AggregateStatistics,
            aggregate_statistics,
            check_aggregate_options,
            finish_aggregate,
        )

        check_aggregate_options(min_cell, level)  # before any work on the cluster
        parts = dask_compute(
            *[delayed(aggregate_statistics)(part, by) for part in self.parts],
            scheduler=self.scheduler,
        )
        non_empty = [p for p in parts if p.n_groups or not p.by]
        combined = AggregateStatistics.combine(non_empty or list(parts))
        return finish_aggregate(combined, min_cell=min_cell, level=level)


def _csv_text(summary: TrackSummary) -> str:
    return summary.to_csv()


def _json_text(summary: TrackSummary) -> str:
    return summary.to_json()


def _to_pandas(summary: TrackSummary) -> pd.DataFrame:
    return summary.to_pandas()


def _like(frame: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """An empty partition's frame with the columns and types of the others."""
    return meta if len(frame) == 0 else frame


def score_table_dask(
    frame: Any,
    *,
    person: str = "person",
    key: str | None = None,
    group_columns: Sequence[str] | None = None,
    registry: ScaleRegistry | None = None,
    scheduler: str | None = None,
    csv: CsvText | None = None,
) -> DaskTable:
    """Score a Dask DataFrame of administrations on the cluster, nothing lost.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        One row per administration (long format), with the columns
        :func:`fit_scores.from_pandas` reads.
    person : str
        The person column: rows are shuffled on it (normalised to NFC, white
        space stripped) so that every person's rows lie in one partition.
    key : str, optional
        A column that identifies the rows (e.g. a registry's record id), kept in
        the error report next to the input partition and row. It is not read
        as data (it must not be a column the table reads).
    group_columns : list of str, optional
        Extra grouping columns, as in :func:`fit_scores.from_pandas`.
    registry : ScaleRegistry, optional
        Where scale keys are looked up.
    scheduler : str, optional
        A Dask scheduler (``"sync"``, ``"threads"``, ``"processes"``); default:
        the current :class:`distributed.Client` if there is one, else Dask's
        default.
    csv : CsvText, optional
        Internal to :func:`~fit_scores.scaleout.read_csv_dask`: the partitions
        hold CSV fields as text.

    Returns
    -------
    DaskTable

    Raises
    ------
    TableInputError
        If ``frame`` is not a Dask DataFrame, or has no ``person`` (or ``key``)
        column.
    """
    import dask.dataframe as dd

    if not isinstance(frame, dd.DataFrame):
        raise TableInputError(
            f"score_table_dask expects a dask DataFrame, got {type(frame).__name__}"
        )
    for name, what in ((person, "person"), (key, "key")):
        if name is not None and name not in frame.columns:
            raise TableInputError(f"the frame has no {what} column {name!r}")
    options: dict[str, Any] = {"registry": registry}
    if group_columns is not None:
        options["group_columns"] = list(group_columns)
    from dask.delayed import delayed

    inputs = cast(Any, frame).to_delayed()
    n_out = len(inputs)
    pieces = [
        delayed(split_partition, nout=n_out)(part, number, person, n_out)
        for number, part in enumerate(inputs)
    ]
    parts = [
        delayed(_build_partition)([split[j] for split in pieces], key=key, options=options, csv=csv)
        for j in range(n_out)
    ]
    (persisted,) = _persist(parts, scheduler)
    return DaskTable(persisted, key=key, scheduler=scheduler)


def fit_expected_response_dask(
    data: Any,
    method: Literal["growth", "cohort", "neighbours"] = "growth",
    *,
    axis: Literal["session", "days"] | None = None,
    scale: str | None = None,
    transform: Literal["log", "linear"] = "log",
    percentiles: Sequence[float] = (10, 25, 75, 90),
    higher_is_better: bool | None = None,
    reml: bool = True,
) -> GrowthModel:
    """Fit the growth model on a :class:`DaskTable` (or a Dask DataFrame of administrations).

    Every partition computes the growth model's per-track sufficient
    statistics (:func:`~fit_scores.trajectories.growth.growth_statistics` of
    its ``table.trajectories(axis, scale=scale)``); the driver combines them
    and runs the REML (or ML) optimisation
    (:func:`~fit_scores.trajectories.growth.fit_growth_statistics`). The
    estimates equal ``fit_expected_response(table, "growth", ...)`` on one
    machine to rounding (the pooled sums are added in another order).

    Parameters
    ----------
    data : DaskTable or dask.dataframe.DataFrame
        The reference tracks; a Dask DataFrame is scored first with
        :func:`score_table_dask` (its defaults).
    method : {"growth"}
        Only the growth model runs across partitions. The cohort and
        neighbours models need every reference track at once (the cohort
        model's cells are quantiles of the scores; the neighbours model keeps
        the tracks themselves): they raise, asking for one machine.
    axis, scale, transform, percentiles, higher_is_better, reml
        As in :func:`fit_scores.fit_expected_response`.

    Returns
    -------
    GrowthModel

    Raises
    ------
    TrajectoryInputError
        For ``method="cohort"`` or ``"neighbours"``, invalid options, or data
        the growth model cannot be fitted on.
    TableInputError
        If ``scale`` is missing while the data hold several scales, or names
        none of them.
    """
    from fit_scores.trajectories.growth import GrowthStatistics, fit_growth_statistics
    from fit_scores.trajectories.portable import check_fit_options

    if method in ("cohort", "neighbours"):
        raise TrajectoryInputError(
            f"the {method} model needs every reference track on one machine (its bands are "
            "quantiles of the scores, not sums that add up across partitions); compute the "
            "table's trajectories on one machine, or fit method='growth' on the cluster"
        )
    if method != "growth":
        raise TrajectoryInputError(
            f"method must be 'growth', 'cohort' or 'neighbours', got {method!r}"
        )
    pct = check_fit_options(percentiles, transform)
    table = data if isinstance(data, DaskTable) else score_table_dask(data)
    keys = table.scale_keys()
    if scale is None:
        if len(keys) > 1:
            raise TableInputError(f"the table holds the scales {keys}; choose one with scale=")
        if not keys:
            raise TableInputError("the table has no valid rows, so no scale to view")
        scale_key = keys[0]
    else:
        matches = [k for k in keys if k == scale] or [
            k for k in keys if k.casefold() == str(scale).casefold()
        ]
        if len(matches) != 1:
            raise TableInputError(f"scale {scale!r} is not in the table (its scales: {keys})")
        scale_key = matches[0]
    view_axis: Literal["session", "days"] = "session" if axis is None else axis
    parts = table.compute(*table.map(_growth_part, view_axis, scale_key, transform))
    stats = GrowthStatistics.concatenate([p[0] for p in parts])
    directions = {p[1] for p in parts if p[1] is not None}
    if higher_is_better is None:
        higher_is_better = directions.pop() if len(directions) == 1 else True
    model = fit_growth_statistics(
        stats, reml=reml, percentiles=pct, higher_is_better=higher_is_better
    )
    fields = type(model).model_fields
    update: dict[str, Any] = {}
    if "scale_key" in fields:
        update["scale_key"] = scale_key
    if "score_range" in fields:
        update["score_range"] = (stats.score_min, stats.score_max)
    return model.model_copy(update=update) if update else model


def _growth_part(
    part: PartitionTable, axis: Literal["session", "days"], scale: str, transform: Any
) -> tuple[Any, bool | None]:
    from fit_scores.trajectories.growth import growth_statistics

    table = part.table
    if scale not in [s.key for s in table.scales]:
        from fit_scores.trajectories import TrajectoryData

        empty = TrajectoryData(
            track_ids=np.zeros(0, dtype=np.int64),
            starts=np.zeros(0, dtype=np.int64),
            time=np.zeros(0),
            score=np.zeros(0),
            axis=axis,
            covariates={},
        )
        return growth_statistics(empty, transform=transform), None
    data = table.trajectories(axis, scale=scale)
    return growth_statistics(data, transform=transform), data.higher_is_better
