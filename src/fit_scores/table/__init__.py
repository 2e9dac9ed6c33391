"""Long-format score tables: validate, score and summarise whole cohorts at once.

One row per administration (a form filled in, or a meeting where it was not).
:func:`from_columns` (arrays), :func:`from_records`, :func:`from_pandas`,
:func:`from_polars`, :func:`parse_csv` and :func:`parse_json` read such a
table, validate every row with the rules of
:class:`~fit_scores.Administration` and :class:`~fit_scores.Track`, score it
exactly in integer ticks, and sort the valid rows into tracks (person x scale x
rater x rater id x episode, by date and session). Bad rows are never dropped
silently: they are listed in :attr:`ScoreTable.errors` (row, column, error,
reason), and ``n_input == n_valid + n_rejected`` always holds.
:meth:`ScoreTable.summarize` gives one row per track and
:meth:`TrackSummary.aggregate` the figures per group for reports, with small
cells suppressed.

Everything runs on whole columns with numpy (segment operations over the
sorted tracks); there is no Python loop per row or per track, only over the
handful of scales, raters, age bands and columns. Reading Python objects
(records, JSON, object arrays) inspects every value's type once, in C.

Modules: :mod:`~fit_scores.table.container` (the table and its error
report), :mod:`~fit_scores.table.build` (columns to table),
:mod:`~fit_scores.table.summary` (one row per track) and
:mod:`~fit_scores.table.aggregate` (figures per group); the readers live in
:mod:`fit_scores.io` and the rules in :mod:`fit_scores._core.rules`.

Columns
-------
``person`` (required), ``scale`` (required), ``date`` (required, ISO
``YYYY-MM-DD``), ``rater`` (``"self"`` when empty), ``rater_id``, ``session``
(whole number from 1), ``episode``, ``item_1`` ... ``item_k`` (item scores in
the scale's item order), ``total``, ``skip`` (a meeting where the form was not
filled in: a valid row without a score), ``age`` (completed years) and/or
``birth_date``, ``ending_reason`` (``"planned"``, ``"unplanned"`` or any
other text). Every other column is kept, as text, as a grouping column (for
example ``coordinator``, ``municipality``).

Missing values are ``None``, empty text, a masked entry of a masked array, and
NaN in a floating-point array (numpy's and pandas' marker for a gap). A NaN
or infinity given as a Python float (in records or JSON) is an error, as in
:class:`~fit_scores.Administration`. ``0`` is a score, never "missing".

Rules (exactly those of the single-record models)
-------------------------------------------------
Scores must be finite real numbers: booleans, text (in records, JSON and
arrays) and non-numbers are errors; in CSV every value is text and numbers are
read strictly (``"7,5"`` and ``" 7"`` are errors, ``""`` is missing). Items
must lie in the item range and on the resolution grid, enough items must be
answered (proration or mean scoring as the scale says), a total given with the
items must equal their total, a total given alone must lie in the total range
and on its grid. The rater must be allowed by the scale; the ``rater_id`` of a
self-rating must be empty or the person (it is then stored as empty, so that
the person's self-ratings form one track). An age, given or derived from
``birth_date`` at the date, must be a whole number 0-130 within the scale's
ages, and a given age must agree with the birth date. Within a track, rows with
the same date and session as an earlier input row are rejected (the later
rows), and session numbers must increase with the date (a row whose session
number is not above every earlier session of its track is rejected).

Container conventions: in a floating-point array, NaN is missing and whole
numbers are accepted for ``session`` and ``age`` (pandas stores integer columns
with gaps as floats); in records and JSON they must be integers, as in
:class:`~fit_scores.Administration`. Deliberately stricter than pydantic's lax
parsing: dates must be dates
(``YYYY-MM-DD`` text, :class:`datetime.date` or ``datetime64`` at midnight),
not date-time text or :class:`datetime.datetime` objects; identifiers must be
text (or integers, read as their decimal text), not bytes.

Examples
--------
>>> import numpy as np
>>> from fit_scores.table import from_columns
>>> table = from_columns({
...     "person": ["a", "a", "b", "b"],
...     "scale": "ORS ORS ORS ORS".split(),
...     "date": ["2025-01-10", "2025-02-10", "2025-01-12", "2025-01-12"],
...     "age": [40, 40, 15, 15],
...     "total": [19.5, 26.0, 22.0, 30.0],
... })
>>> table.n_input, table.n_valid, table.n_rejected, table.n_tracks
(4, 3, 1, 2)
>>> table.errors.to_records()[0]["error"]
'DuplicateAdministrationError'
>>> summary = table.summarize()
>>> summary["category"].tolist()
['recovered', None]
"""

from fit_scores.errors import FieldError, TableInputError
from fit_scores.io.readers import (
    from_columns,
    from_pandas,
    from_polars,
    from_records,
    parse_csv,
    parse_json,
)
from fit_scores.table.aggregate import Aggregate
from fit_scores.table.container import BANDS, RATERS, STATUSES, ScoreTable, TableErrors
from fit_scores.table.disclosure import GroupingLog, LinkedAggregates, aggregate_linked
from fit_scores.table.summary import TrackSummary

__all__ = [
    "BANDS",
    "RATERS",
    "STATUSES",
    "Aggregate",
    "FieldError",
    "GroupingLog",
    "LinkedAggregates",
    "ScoreTable",
    "TableErrors",
    "TableInputError",
    "TrackSummary",
    "aggregate_linked",
    "from_columns",
    "from_pandas",
    "from_polars",
    "from_records",
    "parse_csv",
    "parse_json",
]
