"""Partitioned inputs for the cluster: CSV files and Parquet datasets.

Both readers keep the single machine's rules. A CSV file is one partition:
it is tokenised by the library's own tokenizer (:func:`fit_scores.io.tokenize_csv`)
into fields of text, with the delimiter detected as :func:`fit_scores.io.read_csv`
detects it (:func:`fit_scores.io.dialect.detect_delimiter`), and after the
shuffle on the person every partition's fields are read by
:func:`fit_scores.io.parse_csv`, so the grammars (strict numbers, the decimal
comma and day-first dates of a semicolon file, ISO dates), the column names and
aliases, and the rejection of ragged records are those of one machine. A
Parquet dataset is read by :func:`dask.dataframe.read_parquet`: its columns keep
their types, as in :func:`fit_scores.io.read_parquet`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from fit_scores.errors import TableInputError
from fit_scores.scaleout.cluster import (
    FIELDS_COLUMN,
    ROW_COLUMN,
    CsvText,
    DaskTable,
    score_table_dask,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from fit_scores.scales.registry import ScaleRegistry

__all__ = ["read_csv_dask", "read_parquet_dask"]

PathLike = str | os.PathLike[str]


def _paths(paths: PathLike | Sequence[PathLike]) -> list[str]:
    """The files: a list, one path, or a glob pattern (sorted)."""
    import glob

    if isinstance(paths, str | os.PathLike):
        text = os.fspath(paths)
        found = sorted(glob.glob(text)) if any(c in text for c in "*?[") else [text]
    else:
        found = [os.fspath(p) for p in paths]
    if not found:
        raise TableInputError(f"no files match {paths!r}")
    return found


def _read_text(path: str, encoding: str) -> str:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise TableInputError(f"{path}: no such file") from None
    except OSError as exc:
        raise TableInputError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise TableInputError(
            f"{path}: not {encoding} text ({exc}); give the file's encoding, e.g. encoding='cp1252'"
        ) from None


def _csv_fields(path: str, delimiter: str, encoding: str) -> pd.DataFrame:
    """One file's records as text fields, with the record's field count and position."""
    import pandas as pd

    from fit_scores.io import tokenize_csv

    tokens = tokenize_csv(_read_text(path, encoding), delimiter=delimiter)
    header = tokens.header
    if not header:
        raise TableInputError(f"{path}: CSV without a header row")
    if len(set(header)) != len(header):
        raise TableInputError(f"{path}: duplicate column names in the header {header}")
    columns: dict[str, Any] = {
        name: np.asarray(col, dtype=object)
        for name, col in zip(header, tokens.columns, strict=True)
    }
    columns[FIELDS_COLUMN] = tokens.field_counts.astype(np.int64)
    columns[ROW_COLUMN] = np.arange(tokens.n_rows, dtype=np.int64)
    return pd.DataFrame(columns)


def read_csv_dask(
    paths: PathLike | Sequence[PathLike],
    *,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    decimal: str | None = None,
    dayfirst: bool | None = None,
    person: str = "person",
    key: str | None = None,
    group_columns: Sequence[str] | None = None,
    registry: ScaleRegistry | None = None,
    scheduler: str | None = None,
) -> DaskTable:
    r"""Score partitioned CSV files on a Dask cluster: one partition per file.

    Parameters
    ----------
    paths : str, path-like or sequence of them
        The files, or a glob pattern (``"scores-*.csv"``). Every file has a
        header row; they must have the same columns.
    delimiter : str, optional
        The field separator; default: detected from each file's header as
        :func:`fit_scores.io.read_csv` does (``;``, a tab, else ``,``).
    encoding : str
        The text encoding of the files.
    decimal, dayfirst : optional
        As in :func:`fit_scores.io.read_csv` (default: follow the delimiter:
        a semicolon file has the decimal comma and day-first dates). Every
        file must resolve to the same dialect.
    person, key, group_columns, registry, scheduler
        As in :func:`~fit_scores.scaleout.score_table_dask`. In the error
        report ``partition`` is the file's position in ``paths`` (sorted when a
        pattern) and ``row`` the record after the header, as ``read_csv``
        numbers the rows of that file.

    Returns
    -------
    DaskTable

    Raises
    ------
    TableInputError
        If no file matches, a file cannot be read or decoded, the headers or
        dialects differ, or a header has no ``person`` column.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("person;scale;date;total\np1;ORS;10.01.2025;19,5\n")
    >>> _ = (folder / "b.csv").write_text("person;scale;date;total\np1;ORS;10.02.2025;25\n")
    >>> table = read_csv_dask(folder / "*.csv", scheduler="sync")
    >>> table.counts(), table.summarize().compute()["change"].tolist()
    ((2, 2, 0), [5.5])
    """
    import dask.dataframe as dd
    from dask.delayed import delayed

    from fit_scores.io.dialect import detect_delimiter, resolve_dialect

    files = _paths(paths)
    delimiters = []
    headers = []
    for path in files:
        head = _read_text(path, encoding) if delimiter is None else ""
        chosen = detect_delimiter(head) if delimiter is None else delimiter
        delimiters.append(chosen)
        headers.append(tuple(_csv_fields_header(path, chosen, encoding)))
    dialects = {resolve_dialect(d, decimal, dayfirst) for d in delimiters}
    if len(dialects) != 1:
        raise TableInputError(
            f"the files have different CSV dialects (delimiters {sorted(set(delimiters))}); "
            "give delimiter=, decimal= and dayfirst= or convert them to one"
        )
    if len(set(headers)) != 1:
        raise TableInputError(f"the files have different headers: {sorted(set(headers))}")
    if person not in headers[0]:
        raise TableInputError(f"the files have no person column {person!r}")
    (resolved_decimal, resolved_dayfirst) = dialects.pop()
    meta = _csv_fields(files[0], delimiters[0], encoding).iloc[:0]
    parts = [
        delayed(_csv_fields)(path, d, encoding) for path, d in zip(files, delimiters, strict=True)
    ]
    frame = dd.from_delayed(parts, meta=meta, verify_meta=False)
    return score_table_dask(
        frame,
        person=person,
        key=key,
        group_columns=group_columns,
        registry=registry,
        scheduler=scheduler,
        csv=CsvText(decimal=resolved_decimal, dayfirst=resolved_dayfirst),
    )


def _csv_fields_header(path: str, delimiter: str, encoding: str) -> list[str]:
    """The header of a file (its first record)."""
    import csv
    import io

    text = _read_text(path, encoding).lstrip("\ufeff")
    for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if record:
            return record
    raise TableInputError(f"{path}: CSV without a header row")


def read_parquet_dask(
    path: PathLike | Sequence[PathLike],
    *,
    person: str = "person",
    key: str | None = None,
    group_columns: Sequence[str] | None = None,
    registry: ScaleRegistry | None = None,
    scheduler: str | None = None,
) -> DaskTable:
    """Score a partitioned Parquet dataset on a Dask cluster.

    Read with :func:`dask.dataframe.read_parquet` (one partition per file or
    row group); the columns keep their Parquet types, as in
    :func:`fit_scores.io.read_parquet`. The arguments after ``path`` are those
    of :func:`~fit_scores.scaleout.score_table_dask`; in the error report
    ``partition`` is the partition of the dataset as Dask reads it and ``row``
    the row within it (name a ``key`` column for a stable record id).

    Raises
    ------
    TableInputError
        If the dataset cannot be read.
    """
    import dask.dataframe as dd

    try:
        frame = dd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise TableInputError(f"{path}: not a Parquet dataset ({exc})") from None
    return score_table_dask(
        frame,
        person=person,
        key=key,
        group_columns=group_columns,
        registry=registry,
        scheduler=scheduler,
    )
