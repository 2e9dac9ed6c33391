"""Readers: a score table from arrays, records, DataFrames, CSV text or JSON text.

Every reader turns its input into one-dimensional columns and hands them to
the table builder (:func:`fit_scores.table.build.build_table`), which
validates and scores every row with the rules of
:mod:`fit_scores._core.rules` and sorts the valid rows into tracks. What
differs between readers is only how values are read: in CSV every value is
text (numbers read strictly), in records and JSON values keep their Python
type (a string is not a score), and arrays keep their dtype.

Every reader first reads the column names with
:func:`fit_scores.io.names.resolve_columns`: known columns, their aliases
(``Alder``, ``Age``, ``dato``, ``økt``, ...) and the grouping columns the
caller declares with ``group_columns=[...]``; any other column is an
:class:`~fit_scores.errors.UnknownColumnError` naming it and the closest
known name.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import operator
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from fit_scores._core.errorlog import ErrorLog
from fit_scores._core.text import cat
from fit_scores.errors import FieldError, TableInputError
from fit_scores.io.columns import RawColumn, column_array, pandas_column, polars_column
from fit_scores.io.dialect import (
    day_first_to_iso,
    decimal_comma_to_point,
    detect_delimiter,
    limit_field_lengths,
    resolve_dialect,
)
from fit_scores.io.names import FIELD_COLUMNS, rename, resolve_columns
from fit_scores.io.tokenizer import ColumnKind, Engine, as_array, tokenize_csv
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
#: The deepest nesting of arrays and objects :func:`parse_json` reads (a table needs 2; a
#: value that is itself an array or object is a rejected cell, not a parser crash).
MAX_JSON_DEPTH = 64
GroupColumns = Iterable[str] | None


#: The known columns read as labels (see :func:`_column_kind`).
_LABEL_COLUMNS = ("person", "scale", "rater", "rater_id", "episode", "ending_reason")


def _from_arrays(
    arrays: Mapping[str, RawColumn],
    *,
    text: bool,
    registry: ScaleRegistry | None,
    log: ErrorLog,
    n: int | None = None,
    group_columns: GroupColumns = None,
    as_of: dt.date | None = None,
    resolved: bool = False,
) -> ScoreTable:
    # deferred: fit_scores.table imports this module (it re-exports the readers), and the
    # table modules import fit_scores.io.columns, which runs fit_scores.io first
    from fit_scores.table.build import build_table

    if not resolved:
        arrays = rename(arrays, resolve_columns(list(arrays), group_columns))
    return build_table(arrays, n, text=text, registry=registry, log=log, as_of=as_of)


def from_columns(
    columns: Mapping[str, npt.ArrayLike],
    *,
    registry: ScaleRegistry | None = None,
    group_columns: GroupColumns = None,
    as_of: dt.date | None = None,
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
    group_columns : list of str, optional
        Columns to keep as grouping columns (e.g. ``["coordinator"]``); any
        other column must be a known column or an alias of one
        (:mod:`fit_scores.io.names`).
    as_of : datetime.date, optional
        The day of the check (default today): a row dated after it is rejected.

    Returns
    -------
    ScoreTable

    Raises
    ------
    TableInputError
        If the columns cannot form a table (a required column is missing,
        lengths differ, a column is not one-dimensional).
    UnknownColumnError
        If a column is neither known, an alias nor declared in ``group_columns``.

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
    return _from_arrays(
        arrays,
        text=False,
        registry=registry,
        log=ErrorLog(),
        group_columns=group_columns,
        as_of=as_of,
    )


def from_records(
    records: Iterable[Mapping[str, Any]],
    *,
    registry: ScaleRegistry | None = None,
    group_columns: GroupColumns = None,
    as_of: dt.date | None = None,
) -> ScoreTable:
    """A score table from records (mappings of column name to value), one per administration.

    Values are validated as in :class:`~fit_scores.Administration`: a string
    is not a score, NaN is not a number, ``None`` is missing. A record that is
    not a mapping is a rejected row. Keys are column names as in
    :func:`from_columns` (``group_columns`` declares the grouping columns).

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

        names = list(resolve_columns(names, group_columns).values())
        arrays = {name: np.zeros(0, dtype=object) for name in (*REQUIRED_COLUMNS, *names)}
        return _from_arrays(
            arrays, text=False, registry=registry, log=log, n=n, resolved=True, as_of=as_of
        )
    return _from_arrays(
        arrays,
        text=False,
        registry=registry,
        log=log,
        n=n,
        group_columns=group_columns,
        as_of=as_of,
    )


def from_pandas(
    df: Any,
    *,
    registry: ScaleRegistry | None = None,
    group_columns: GroupColumns = None,
    as_of: dt.date | None = None,
) -> ScoreTable:
    """A score table from a pandas DataFrame (long format, one row per administration).

    Rows are numbered by position (the index is ignored). Missing values in
    the pandas sense (``None``, ``NaN``, ``NaT``, ``pd.NA``) are missing.
    Column names are read as in :func:`from_columns` (``group_columns``
    declares the grouping columns).

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
    return _from_arrays(
        arrays,
        text=False,
        registry=registry,
        log=ErrorLog(),
        n=len(df),
        group_columns=group_columns,
        as_of=as_of,
    )


def from_polars(
    df: Any,
    *,
    registry: ScaleRegistry | None = None,
    group_columns: GroupColumns = None,
    as_of: dt.date | None = None,
) -> ScoreTable:
    """A score table from a polars DataFrame (long format, one row per administration).

    Nulls are missing. Needs polars. Column names are read as in
    :func:`from_columns` (``group_columns`` declares the grouping columns).

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
    return _from_arrays(
        arrays,
        text=False,
        registry=registry,
        log=ErrorLog(),
        n=df.height,
        group_columns=group_columns,
        as_of=as_of,
    )


def parse_csv(
    text: str | bytes,
    *,
    registry: ScaleRegistry | None = None,
    delimiter: str | None = None,
    engine: Engine = "auto",
    decimal: str | None = None,
    dayfirst: bool | None = None,
    group_columns: GroupColumns = None,
    as_of: dt.date | None = None,
) -> ScoreTable:
    r"""A score table from CSV text with a header row (:func:`read_csv` reads a file).

    Every value is text: numbers are read strictly (``7.5``, ``-1``,
    ``1e2``; not ``7,5`` or `` 7``), an empty field is missing, dates are
    ``YYYY-MM-DD``, ``skip`` is ``true``/``false``/``1``/``0``/``yes``/``no``.
    Blank lines are not records; a record with more or fewer fields than the
    header is a rejected row, and so is a record with a field longer than
    :data:`~fit_scores.io.dialect.MAX_FIELD_LENGTH` characters. The text is
    tokenised by :func:`fit_scores.io.tokenize_csv` (pyarrow when installed,
    else numpy; every engine gives the same table). A UTF-8 byte-order mark
    and ``\r\n`` line ends are read.

    Norwegian spreadsheet exports are read as they come: a header separated
    by semicolons makes a semicolon-separated file, and in such a file the
    decimal comma (``7,5``) and day-first dates (``10.01.2025``) are read
    too (:mod:`fit_scores.io.dialect`). Other files read them only when asked
    (``decimal=","``, ``dayfirst=True``); nothing is guessed from the values.

    Parameters
    ----------
    text : str or bytes
        The CSV text, or its UTF-8 encoding.
    registry : ScaleRegistry, optional
        Where scale keys are looked up (default: the built-in registry).
    delimiter : str, optional
        The field separator (one character); by default read from the header
        (:func:`~fit_scores.io.dialect.detect_delimiter`: ``;``, a tab or ``,``).
    engine : {"auto", "numpy", "pyarrow", "python"}, default "auto"
        The tokenizer.
    decimal : {".", ","}, optional
        The decimal mark of the item and total columns; by default ``","``
        in a semicolon-separated file, else ``"."``. With ``","``, a number
        written with a point is still read (there are no thousands separators).
    dayfirst : bool, optional
        Whether dates may also be written ``dd.mm.yyyy``; by default only in a
        semicolon-separated file. ISO dates are always read.
    group_columns : list of str, optional
        Columns to keep as grouping columns (see :func:`from_columns`).
    as_of : datetime.date, optional
        The day of the check (default today): a row dated after it is rejected.

    Raises
    ------
    TableInputError
        If the text is not CSV (:class:`~fit_scores.errors.CsvSyntaxError`,
        naming the line), has no header, or has duplicate column names.
    UnknownColumnError
        If a column is neither known, an alias nor declared in ``group_columns``.

    Examples
    --------
    >>> from fit_scores.io import parse_csv
    >>> text = "person,scale,date,total\np,ORS,2025-01-10,0\np,ORS,2025-02-10,\"7,5\"\n"
    >>> t = parse_csv(text)
    >>> t.total.tolist(), t.errors.to_records()[0]["reason"]
    ([0.0], "total = '7,5' is not a number (write e.g. 7.5: digits, a point, no spaces)")

    A Norwegian export:

    >>> t = parse_csv("ID;Skala;Dato;Alder;Sum\r\np;ORS;10.01.2025;15;7,5\r\n")
    >>> t.person.tolist(), str(t.date[0]), t.total.tolist(), t.age.tolist()
    (['p'], '2025-01-10', [7.5], [15])
    """
    if not isinstance(text, str | bytes | bytearray | memoryview):
        raise TableInputError(
            f"parse_csv takes the CSV text (str or bytes), got {type(text).__name__}; "
            "use read_csv for a file"
        )
    data = bytes(text) if not isinstance(text, str) else text
    if delimiter is None:
        delimiter = detect_delimiter(data)
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise TableInputError(f"delimiter must be one character, got {delimiter!r}")
    decimal, dayfirst = resolve_dialect(delimiter, decimal, dayfirst)
    if engine not in ("auto", "numpy", "pyarrow", "python"):
        raise TableInputError(
            f"engine must be 'auto', 'numpy', 'pyarrow' or 'python', got {engine!r}"
        )

    def kinds(header: list[str]) -> list[ColumnKind | None]:
        try:
            names = resolve_columns(header, group_columns)
        except TableInputError:
            return [None] * len(header)  # (raised again below, once the header is checked)
        return [_column_kind(names[h], decimal=decimal, dayfirst=dayfirst) for h in header]

    try:
        tokens = tokenize_csv(data, delimiter=delimiter, engine=engine, kinds=kinds)
    except ImportError as exc:
        raise TableInputError(f"engine={engine!r} needs pyarrow ({exc})") from None
    header = tokens.header
    if not header or header == [""]:  # (nothing, or a byte-order mark alone, before a line end)
        raise TableInputError("CSV: no header row")
    if len(set(header)) != len(header):
        raise TableInputError(f"CSV: duplicate column names in the header {header}")
    names = resolve_columns(header, group_columns)
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
    arrays: dict[str, RawColumn] = rename(dict(zip(header, tokens.columns, strict=True)), names)
    limit_field_lengths(arrays, log)
    for name in list(arrays):
        if decimal == "," and (name == "total" or name.startswith("item_")):
            arrays[name] = decimal_comma_to_point(as_array(arrays[name]))
        if dayfirst and name in ("date", "birth_date"):
            arrays[name] = day_first_to_iso(as_array(arrays[name]))
    return _from_arrays(
        arrays, text=True, registry=registry, log=log, n=n, resolved=True, as_of=as_of
    )


def _column_kind(name: str, *, decimal: str, dayfirst: bool) -> ColumnKind | None:
    """How the tokenizer may read a column (a column the dialect translates stays text).

    Numbers, whole numbers and dates may come typed (pyarrow engine).
    Identifiers, keys and grouping columns are labels: factorised anyway, so
    text beyond ASCII may come as codes into its distinct values.
    """
    if name in _LABEL_COLUMNS or (name not in FIELD_COLUMNS and not name.startswith("item")):
        return "label"
    if name in ("total",) or name.startswith("item_"):
        return "number" if decimal == "." else None
    if name in ("session", "age"):
        return "whole"
    if name in ("date", "birth_date"):
        return None if dayfirst else "date"
    return None


def parse_json(
    text: str | bytes,
    *,
    registry: ScaleRegistry | None = None,
    group_columns: GroupColumns = None,
    as_of: dt.date | None = None,
) -> ScoreTable:
    """A score table from JSON text: an array of records, or an object of column arrays.

    Values are validated as in :func:`from_records` (a JSON string is not a
    score; ``NaN`` is not a number; ``null`` is missing). Column names are
    read as in :func:`from_columns` (``group_columns`` declares the grouping
    columns). JSON nested deeper than :data:`MAX_JSON_DEPTH` levels is
    refused (a table is two levels deep).

    Examples
    --------
    >>> from fit_scores.table import parse_json
    >>> t = parse_json('{"person": ["p"], "scale": ["ORS"], "date": ["2025-01-10"],'
    ...                ' "total": [0]}')
    >>> t.total.tolist()
    [0.0]
    """
    if not isinstance(text, str | bytes | bytearray):
        raise TableInputError(
            f"parse_json takes the JSON text (str or bytes), got {type(text).__name__}; "
            "use read_json for a file"
        )
    opening = (
        text.count("[") + text.count("{")
        if isinstance(text, str)
        else (text.count(b"[") + text.count(b"{"))
    )
    depth = _json_depth(text) if opening > MAX_JSON_DEPTH else 0  # (fewer: not too deep)
    if depth > MAX_JSON_DEPTH:
        raise TableInputError(
            f"JSON: nested {depth} levels deep; a table is an array of records or an object "
            f"of column arrays (at most {MAX_JSON_DEPTH} levels are read)"
        )
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TableInputError(f"JSON: {exc}") from exc
    except RecursionError:  # (the depth check above should have caught it)
        raise TableInputError("JSON: nested too deeply to be read") from None
    if isinstance(data, list):
        return from_records(data, registry=registry, group_columns=group_columns, as_of=as_of)
    if isinstance(data, dict):
        for name, values in data.items():
            if not isinstance(values, list):
                raise TableInputError(f"JSON column {name!r}: expected an array of values")
        return from_columns(data, registry=registry, group_columns=group_columns, as_of=as_of)
    raise TableInputError("JSON: expected an array of records or an object of column arrays")


def _json_depth(text: str | bytes | bytearray) -> int:
    """The deepest nesting of ``[`` and ``{`` in JSON text (brackets inside strings ignored).

    Only the structural bytes (quotes, backslashes, brackets) are looked at,
    as positions; a quote after an odd run of backslashes is escaped.

    Examples
    --------
    >>> _json_depth('[{"a": [1, "]]"]}, [], []]'), _json_depth("1")
    (3, 0)
    """
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    buf = np.frombuffer(raw, dtype=np.uint8)
    mask = buf == ord('"')
    for char in b"\\[]{}":
        mask |= buf == char
    position: npt.NDArray[np.int64] = np.flatnonzero(mask).astype(np.int64)
    del mask
    kind = buf[position]
    backslash = kind == ord("\\")
    if backslash.any():  # the length of the run of adjacent backslashes ending at each entry
        index = np.arange(position.shape[0])
        joined = np.zeros(position.shape[0], dtype=bool)
        joined[1:] = backslash[1:] & backslash[:-1] & (np.diff(position) == 1)
        start = np.maximum.accumulate(np.where(backslash & ~joined, index, 0))
        run = np.where(backslash, index - start + 1, 0)
        before = np.zeros(position.shape[0], dtype=bool)  # an odd run ends just before
        before[1:] = (run[:-1] % 2 == 1) & (np.diff(position) == 1)
        quote = (kind == ord('"')) & ~before
    else:
        quote = kind == ord('"')
    inside = (np.cumsum(quote) - quote) % 2 == 1  # after an opening quote
    step = ((kind == ord("[")) | (kind == ord("{"))).astype(np.int64)
    step -= (kind == ord("]")) | (kind == ord("}"))
    step[inside] = 0
    return int(np.cumsum(step).max(initial=0))
