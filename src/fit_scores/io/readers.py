"""Readers: a score table from arrays, records, DataFrames, CSV text or JSON text.

Every reader turns its input into one-dimensional columns and hands them to
the table builder (:func:`fit_scores.table.build.build_table`), which
validates and scores every row with the rules of
:mod:`fit_scores._core.rules` and sorts the valid rows into tracks. What
differs between readers is only how values are read: in CSV every value is
text (numbers read strictly), in records and JSON values keep their Python
type (a string is not a score), and arrays keep their dtype.
"""

from __future__ import annotations

import itertools
import json
import operator
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from fit_scores._core.rules import ErrorLog
from fit_scores._core.text import cat
from fit_scores.errors import FieldError, TableInputError
from fit_scores.io.columns import column_array, pandas_column, polars_column
from fit_scores.io.tokenizer import Engine, tokenize_csv
from fit_scores.scales.registry import ScaleRegistry

if TYPE_CHECKING:  # pragma: no cover
    from fit_scores.table.container import ScoreTable

__all__ = [
    "from_columns",
    "from_pandas",
    "from_polars",
    "from_records",
    "parse_csv",
    "parse_json",
]

AnyArray = npt.NDArray[Any]


def _from_arrays(
    arrays: Mapping[str, AnyArray],
    *,
    text: bool,
    registry: ScaleRegistry | None,
    log: ErrorLog,
    n: int | None = None,
) -> ScoreTable:
    # deferred: fit_scores.table imports this module (it re-exports the readers), and the
    # table modules import fit_scores.io.columns, which runs fit_scores.io first
    from fit_scores.table.build import build_table

    return build_table(arrays, n, text=text, registry=registry, log=log)


def from_columns(
    columns: Mapping[str, npt.ArrayLike], *, registry: ScaleRegistry | None = None
) -> ScoreTable:
    """A score table from columns: arrays (numpy, pandas, polars) or sequences of values.

    Parameters
    ----------
    columns : mapping of str to array_like
        One entry per column (see the module documentation), all of the same
        length. Numpy arrays keep their type (a float array marks missing
        values with NaN; an integer array of identifiers is read as their
        decimal text); lists are read value by value like records.
    registry : ScaleRegistry, optional
        Where scale keys are looked up (default: the default registry).

    Returns
    -------
    ScoreTable

    Raises
    ------
    TableInputError
        If the columns cannot form a table (a required column is missing,
        lengths differ, a column is not one-dimensional).

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores.table import from_columns
    >>> t = from_columns({"person": np.array([7, 7]), "scale": np.array(["ORS", "ORS"]),
    ...                   "date": np.array(["2025-01-10", "2025-02-10"], dtype="datetime64[D]"),
    ...                   "item_1": np.array([0.0, 5.0]), "item_2": np.array([0.0, 5.0]),
    ...                   "item_3": np.array([0.0, 5.0]), "item_4": np.array([0.0, 5.5])})
    >>> t.total.tolist(), t.person.tolist()
    ([0.0, 20.5], ['7', '7'])
    """
    if not isinstance(columns, Mapping):
        raise TableInputError(
            "from_columns expects a mapping of column names to arrays, got "
            f"{type(columns).__name__}"
        )
    arrays = {name: column_array(str(name), values) for name, values in columns.items()}
    return _from_arrays(arrays, text=False, registry=registry, log=ErrorLog())


def from_records(
    records: Iterable[Mapping[str, Any]], *, registry: ScaleRegistry | None = None
) -> ScoreTable:
    """A score table from records (mappings of column name to value), one per administration.

    Values are validated as in :class:`~fit_scores.Administration`: a string
    is not a score, NaN is not a number, ``None`` is missing. A record that is
    not a mapping is a rejected row.

    Examples
    --------
    >>> from fit_scores.table import from_records
    >>> t = from_records([{"person": "p", "scale": "ORS", "date": "2025-01-10", "total": "20"}])
    >>> t.n_valid, t.errors.to_records()[0]["reason"]
    (0, "total = '20': a string is not a score; give a number")
    """
    if isinstance(records, str | bytes | Mapping):
        raise TableInputError("from_records expects an iterable of records (mappings)")
    recs = list(records)
    n = len(recs)
    log = ErrorLog()
    is_mapping = np.fromiter(map(isinstance, recs, itertools.repeat(Mapping)), bool, n)
    if not is_mapping.all():
        bad = np.flatnonzero(~is_mapping)
        log.add(bad, "", FieldError, "a record must be a mapping of column names to values")
        for i in bad.tolist():
            recs[i] = {}
    names = list(dict.fromkeys(itertools.chain.from_iterable(recs)))
    for name in names:
        if not isinstance(name, str):
            raise TableInputError(f"column names must be text, got {name!r}")
    arrays = {
        name: np.fromiter(map(operator.methodcaller("get", name), recs), dtype=object, count=n)
        for name in names
    }
    if not n:
        from fit_scores.table.build import REQUIRED_COLUMNS  # deferred, see _from_arrays

        arrays = {name: np.zeros(0, dtype=object) for name in (*REQUIRED_COLUMNS, *names)}
    return _from_arrays(arrays, text=False, registry=registry, log=log, n=n)


def from_pandas(df: Any, *, registry: ScaleRegistry | None = None) -> ScoreTable:
    """A score table from a pandas DataFrame (long format, one row per administration).

    Rows are numbered by position (the index is ignored). Missing values in
    the pandas sense (``None``, ``NaN``, ``NaT``, ``pd.NA``) are missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from fit_scores.table import from_pandas
    >>> df = pd.DataFrame({"person": ["p", "p"], "scale": ["ORS", "ORS"],
    ...                    "date": pd.to_datetime(["2025-01-10", "2025-02-10"]),
    ...                    "total": [20.0, None]})
    >>> t = from_pandas(df)
    >>> t.n_valid, t.errors.to_records()[0]["error"]
    (1, 'ScoreError')
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TableInputError(f"from_pandas expects a pandas DataFrame, got {type(df).__name__}")
    if not df.columns.is_unique:
        raise TableInputError("the DataFrame has duplicate column names")
    arrays = {str(name): pandas_column(df[name]) for name in df.columns}
    return _from_arrays(arrays, text=False, registry=registry, log=ErrorLog(), n=len(df))


def from_polars(df: Any, *, registry: ScaleRegistry | None = None) -> ScoreTable:
    """A score table from a polars DataFrame (long format, one row per administration).

    Nulls are missing. Needs polars.

    Examples
    --------
    >>> import polars as pl  # doctest: +SKIP
    >>> from fit_scores.table import from_polars
    >>> df = pl.DataFrame({"person": ["p"], "scale": ["ORS"], "date": ["2025-01-10"],
    ...                    "total": [20.0]})  # doctest: +SKIP
    >>> from_polars(df).total.tolist()  # doctest: +SKIP
    [20.0]
    """
    import importlib

    pl = importlib.import_module("polars")
    if not isinstance(df, pl.DataFrame):
        raise TableInputError(f"from_polars expects a polars DataFrame, got {type(df).__name__}")
    arrays = {name: polars_column(df.get_column(name)) for name in df.columns}
    return _from_arrays(arrays, text=False, registry=registry, log=ErrorLog(), n=df.height)


def parse_csv(
    text: str | bytes,
    *,
    registry: ScaleRegistry | None = None,
    delimiter: str = ",",
    engine: Engine = "auto",
) -> ScoreTable:
    r"""A score table from CSV text with a header row (:func:`read_csv` reads a file).

    Every value is text: numbers are read strictly (``7.5``, ``-1``,
    ``1e2``; not ``7,5`` or `` 7``), an empty field is missing, dates are
    ``YYYY-MM-DD``, ``skip`` is ``true``/``false``/``1``/``0``/``yes``/``no``.
    Blank lines are not records; a record with more or fewer fields than the
    header is a rejected row. The text is tokenised by
    :func:`fit_scores.io.tokenize_csv` (pyarrow when installed, else numpy;
    every engine gives the same table).

    Parameters
    ----------
    text : str or bytes
        The CSV text, or its UTF-8 encoding.
    registry : ScaleRegistry, optional
        Where scale keys are looked up (default: the built-in registry).
    delimiter : str, default ","
        The field separator (one character).
    engine : {"auto", "numpy", "pyarrow", "python"}, default "auto"
        The tokenizer.

    Raises
    ------
    TableInputError
        If the text is not CSV (:class:`~fit_scores.errors.CsvSyntaxError`,
        naming the line), has no header, or has duplicate column names.

    Examples
    --------
    >>> from fit_scores.io import parse_csv
    >>> text = "person,scale,date,total\np,ORS,2025-01-10,0\np,ORS,2025-02-10,\"7,5\"\n"
    >>> t = parse_csv(text)
    >>> t.total.tolist(), t.errors.to_records()[0]["reason"]
    ([0.0], "total = '7,5' is not a number (write e.g. 7.5: digits, a point, no spaces)")
    """
    if not isinstance(text, str | bytes | bytearray | memoryview):
        raise TableInputError(
            f"parse_csv takes the CSV text (str or bytes), got {type(text).__name__}; "
            "use read_csv for a file"
        )
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise TableInputError(f"delimiter must be one character, got {delimiter!r}")
    if engine not in ("auto", "numpy", "pyarrow", "python"):
        raise TableInputError(
            f"engine must be 'auto', 'numpy', 'pyarrow' or 'python', got {engine!r}"
        )
    try:
        tokens = tokenize_csv(bytes(text) if not isinstance(text, str) else text,
                              delimiter=delimiter, engine=engine)  # fmt: skip
    except ImportError as exc:
        raise TableInputError(f"engine={engine!r} needs pyarrow ({exc})") from None
    header = tokens.header
    if not header:
        raise TableInputError("CSV: no header row")
    if len(set(header)) != len(header):
        raise TableInputError(f"CSV: duplicate column names in the header {header}")
    n, width = tokens.n_rows, len(header)
    log = ErrorLog()
    ragged = tokens.ragged
    if ragged.size:
        log.add(
            ragged,
            "",
            FieldError,
            cat("the record has ", tokens.field_counts[ragged], f" fields; the header has {width}"),
        )
    arrays: dict[str, AnyArray] = dict(zip(header, tokens.columns, strict=True))
    return _from_arrays(arrays, text=True, registry=registry, log=log, n=n)


def parse_json(text: str | bytes, *, registry: ScaleRegistry | None = None) -> ScoreTable:
    """A score table from JSON text: an array of records, or an object of column arrays.

    Values are validated as in :func:`from_records` (a JSON string is not a
    score; ``NaN`` is not a number; ``null`` is missing).

    Examples
    --------
    >>> from fit_scores.table import parse_json
    >>> t = parse_json('{"person": ["p"], "scale": ["ORS"], "date": ["2025-01-10"],'
    ...                ' "total": [0]}')
    >>> t.total.tolist()
    [0.0]
    """
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TableInputError(f"JSON: {exc}") from exc
    if isinstance(data, list):
        return from_records(data, registry=registry)
    if isinstance(data, dict):
        for name, values in data.items():
            if not isinstance(values, list):
                raise TableInputError(f"JSON column {name!r}: expected an array of values")
        return from_columns(data, registry=registry)
    raise TableInputError("JSON: expected an array of records or an object of column arrays")
