"""Reading score tables from files: CSV, JSON and Parquet.

The rest of the library does no I/O (a service hands it text, arrays or
records); these functions are for researchers and the command line. Each
reads the file's bytes and hands them to the matching reader of
:mod:`fit_scores.io.readers`, so a file and the same text in memory give the
same table and the same error report.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fit_scores.errors import CsvSyntaxError, TableInputError, TextEncodingError
from fit_scores.io.readers import GroupColumns, from_columns, parse_csv, parse_json
from fit_scores.io.tokenizer import Engine, is_utf8
from fit_scores.scales.registry import ScaleRegistry

if TYPE_CHECKING:  # pragma: no cover
    from fit_scores.table.container import ScoreTable

__all__ = ["read_csv", "read_json", "read_parquet"]

PathLike = str | os.PathLike[str]


def _read_bytes(path: PathLike) -> bytes:
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise TableInputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise TableInputError(f"{p}: a folder, not a file") from None
    except OSError as exc:
        raise TableInputError(f"{p}: cannot be read ({exc.strerror or exc})") from None


#: The byte-order mark of UTF-8, which a spreadsheet may write before text in another encoding.
_UTF8_BOM = b"\xef\xbb\xbf"


def _check_encoding(encoding: object) -> str:
    if not isinstance(encoding, str):
        raise TableInputError(f"encoding must be the name of a text encoding, got {encoding!r}")
    return encoding


def _decode(raw: bytes, path: PathLike, encoding: str) -> str:
    _check_encoding(encoding)
    if raw.startswith(_UTF8_BOM) and not encoding.lower().replace("_", "-").startswith("utf"):
        raw = raw[len(_UTF8_BOM) :]  # a UTF-8 byte-order mark before, e.g., cp1252 text
    try:
        return raw.decode(encoding)
    except LookupError:
        raise TableInputError(f"encoding {encoding!r} is not a known text encoding") from None
    except UnicodeDecodeError as exc:
        raise TextEncodingError(str(path), encoding, exc.start) from None


def read_csv(
    path: PathLike,
    *,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    engine: Engine = "auto",
    registry: ScaleRegistry | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
    group_columns: GroupColumns = None,
    as_of: dt.date | None = None,
) -> ScoreTable:
    r"""A score table from a CSV file with a header row (long format, one row per form).

    The columns and rules are those of :func:`fit_scores.io.parse_csv`,
    Norwegian spreadsheet exports included (semicolons, decimal commas,
    ``dd.mm.yyyy`` dates, a byte-order mark, ``\r\n``). The file is
    tokenised by pyarrow's CSV reader when the ``arrow`` extra is installed,
    else by a vectorised numpy reader; both read every field as
    text and give the same table (the library's own grammars decide what is
    a number or a date), so results never depend on which is installed.

    Parameters
    ----------
    path : str or path-like
        The file.
    delimiter : str, optional
        The field separator; by default read from the header (``;``, a tab
        or ``,``).
    encoding : str, default "utf-8"
        The text encoding (a UTF-8 byte-order mark is allowed); spreadsheet
        exports are often ``"cp1252"`` or ``"latin-1"``.
    engine : {"auto", "numpy", "pyarrow", "python"}
        The tokenizer (see :func:`fit_scores.io.tokenize_csv`).
    registry : ScaleRegistry, optional
        Where scale keys are looked up (default: the built-in registry).
    decimal : {".", ","}, optional
        The decimal mark (default: ``","`` in a semicolon-separated file).
    dayfirst : bool, optional
        Whether ``dd.mm.yyyy`` dates are read (default: in a
        semicolon-separated file).
    group_columns : list of str, optional
        Columns to keep as grouping columns (e.g. ``["coordinator"]``).
    as_of : datetime.date, optional
        The day of the check (default today): a row dated after it is rejected.

    Raises
    ------
    TableInputError
        If the file cannot be read, or is not CSV.
    TextEncodingError
        If the bytes are not text in ``encoding``; the message names the file
        and suggests ``encoding="cp1252"``.
    UnknownColumnError
        If a column is neither known, an alias nor declared in ``group_columns``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from fit_scores.io import read_csv
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "scores.csv").write_text(
    ...     "person,scale,date,age,total\np1,ORS,2025-01-10,40,19.5\n"
    ...     "p1,ORS,2025-03-01,40,25.0\n", encoding="utf-8")
    >>> table = read_csv(folder / "scores.csv")
    >>> table.n_valid, table.summarize()["category"].tolist()
    (2, ['recovered'])
    """
    _check_encoding(encoding)
    raw = _read_bytes(path)
    options: dict[str, Any] = {
        "delimiter": delimiter,
        "engine": engine,
        "registry": registry,
        "decimal": decimal,
        "dayfirst": dayfirst,
        "group_columns": group_columns,
        "as_of": as_of,
    }
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        try:  # (the tokenizer checks the UTF-8; no second pass over the bytes)
            return parse_csv(raw, **options)
        except CsvSyntaxError:
            if not is_utf8(raw):
                _decode(raw, path, "utf-8")  # (raises, naming the file and the first bad byte)
            raise
    return parse_csv(_decode(raw, path, encoding), **options)


def read_json(
    path: PathLike,
    *,
    encoding: str = "utf-8",
    registry: ScaleRegistry | None = None,
    group_columns: GroupColumns = None,
    as_of: dt.date | None = None,
) -> ScoreTable:
    """A score table from a JSON file: an array of records, or an object of column arrays.

    Values and column names are read as in :func:`fit_scores.io.parse_json`
    (``group_columns`` declares the grouping columns).

    Raises
    ------
    TableInputError
        If the file cannot be read or decoded, or is not such JSON.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from fit_scores.io import read_json
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "scores.json").write_text(
    ...     '[{"person": "p1", "scale": "ORS", "date": "2025-01-10", "total": 19.5}]')
    >>> read_json(folder / "scores.json").total.tolist()
    [19.5]
    """
    return parse_json(
        _decode(_read_bytes(path), path, encoding),
        registry=registry,
        group_columns=group_columns,
        as_of=as_of,
    )


def read_parquet(
    path: PathLike,
    *,
    registry: ScaleRegistry | None = None,
    group_columns: GroupColumns = None,
    as_of: dt.date | None = None,
) -> ScoreTable:
    """A score table from a Parquet file (needs the optional ``arrow`` extra: pyarrow).

    Columns keep their Parquet types, as arrays do in
    :func:`fit_scores.io.from_columns`: numbers are numbers, dates are dates
    (``date32``, or timestamps at midnight), text is text; a null is a
    missing value. Column names are read as in
    :func:`fit_scores.io.from_columns` (``group_columns`` declares the
    grouping columns).

    Raises
    ------
    TableInputError
        If pyarrow is not installed, or the file cannot be read as Parquet.
    """
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise TableInputError(
            "read_parquet needs pyarrow: pip install 'fit_scores[arrow]'"
        ) from None
    try:
        data = pq.read_table(os.fspath(path))
    except FileNotFoundError:
        raise TableInputError(f"{path}: no such file") from None
    except (OSError, ValueError) as exc:
        raise TableInputError(f"{path}: not a Parquet file ({exc})") from None
    columns: dict[str, Any] = {}
    for name in data.column_names:
        columns[name] = _arrow_to_numpy(data.column(name))
    return from_columns(columns, registry=registry, group_columns=group_columns, as_of=as_of)


def _arrow_to_numpy(column: Any) -> Any:
    """One arrow column as a numpy array with the container conventions of ``from_columns``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    nulls = column.null_count
    if pa.types.is_floating(kind):
        return column.to_numpy().astype(np.float64)  # null -> NaN: missing
    if pa.types.is_integer(kind):
        if nulls:  # as pandas stores integers with gaps: floats with NaN
            return pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
        return column.to_numpy()
    if pa.types.is_boolean(kind) and not nulls:
        return column.to_numpy()
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        values = column.to_numpy(zero_copy_only=False)
        if nulls:  # NaT where null
            values = np.where(
                column.is_null().to_numpy(zero_copy_only=False), np.datetime64("NaT"), values
            )
        return values
    # text and anything else: Python objects, None where null
    return np.asarray(column.to_pylist(), dtype=object)
