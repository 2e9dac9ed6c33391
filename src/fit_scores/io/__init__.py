"""Input and output: text grammars, column parsers, readers and writers of score tables.

- :mod:`fit_scores.io.columns`: raw containers (numpy, masked, pandas, polars,
  Python values, text) to typed columns, unreadable cells logged (with the
  cell rules and strict text grammars of ``fit_scores._core``, which a
  record uses too); text columns as :class:`~fit_scores.io.columns.Codes`.
- :mod:`fit_scores.io.readers`: :func:`from_columns`, :func:`from_records`,
  :func:`from_pandas`, :func:`from_polars`, :func:`parse_csv` and
  :func:`parse_json`, which build a :class:`~fit_scores.table.ScoreTable`
  (also exported by :mod:`fit_scores.table` and :mod:`fit_scores`).
- :mod:`fit_scores.io.tokenizer`: :func:`tokenize_csv`, fast exact CSV
  tokenizing (pyarrow when installed, else numpy; Python's ``csv`` module as
  the reference), and :func:`is_utf8`.
- :mod:`fit_scores.io.files`: :func:`read_csv`, :func:`read_json` and
  :func:`read_parquet` (the optional ``arrow`` extra), from a path.
- :mod:`fit_scores.io.writers`: tables, summaries and reports as records,
  CSV, JSON or pandas.
- :mod:`fit_scores.io.names`: the known columns, their Norwegian and English
  aliases, and declared grouping columns (``group_columns=[...]``).
- :mod:`fit_scores.io.dialect`: the CSV delimiter, the decimal comma and
  ``dd.mm.yyyy`` dates of spreadsheet exports, over-long fields.
- :mod:`fit_scores.io.report`: :func:`group_errors`, the error report in
  groups (one line per kind of problem, with the option that fixes it).

The rules themselves are not here: they live once in
:mod:`fit_scores._core.rules` and run on the typed columns.
"""

from fit_scores.io.files import read_csv, read_json, read_parquet
from fit_scores.io.names import COLUMN_ALIASES, FIELD_COLUMNS
from fit_scores.io.readers import (
    from_columns,
    from_pandas,
    from_polars,
    from_records,
    parse_csv,
    parse_json,
)
from fit_scores.io.report import ErrorGroup, group_errors
from fit_scores.io.tokenizer import EncodedText, TokenizedCsv, is_utf8, tokenize_csv

__all__ = [
    "COLUMN_ALIASES",
    "FIELD_COLUMNS",
    "EncodedText",
    "ErrorGroup",
    "TokenizedCsv",
    "from_columns",
    "from_pandas",
    "from_polars",
    "from_records",
    "group_errors",
    "is_utf8",
    "parse_csv",
    "parse_json",
    "read_csv",
    "read_json",
    "read_parquet",
    "tokenize_csv",
]
