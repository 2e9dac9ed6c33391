"""Field types of the records: identifiers, ages, scale references, scores."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any

import numpy as np
from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
)

from fit_scores._core.cells import WHOLE_LIMIT, parse_dates, parse_ints, parse_scores
from fit_scores._core.errorlog import ErrorLog
from fit_scores._core.text import (
    MAX_IDENTIFIER,
    identifier,
    identifier_text,
    key_text,
    required,
)
from fit_scores.errors import FieldError, FitScoresError
from fit_scores.scales.model import Scale
from fit_scores.scales.registry import ScaleRegistry, default_registry


def _identifier(value: object, info: ValidationInfo) -> str:
    """An id in Unicode normal form C without white space at either end (see check_identifiers)."""
    name = info.field_name or "id"
    text, reason = identifier_text(value, name)
    if text is None:
        raise FieldError(reason)
    normal, reason = identifier(text, name)
    if reason:
        raise FieldError(reason)
    return normal


_ID_TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_IDENTIFIER}

Identifier = Annotated[
    str,
    PlainValidator(_identifier),
    WithJsonSchema({"anyOf": [_ID_TEXT, {"type": "integer"}]}, mode="validation"),
    WithJsonSchema(_ID_TEXT, mode="serialization"),
]
"""An id (person, rater, episode, family, member): normalised to NFC and stripped.

Given as text or a whole number (read as its digits: ``17`` is ``"17"``), the
rule of :func:`fit_scores._core.text.identifier_text`; then the rule of
:func:`fit_scores._core.text.check_identifiers`, the same as in a table: an
id with a control or invisible character (Unicode Cc or Cf) is a
:class:`~fit_scores.errors.FieldError`.
"""
Age = Annotated[int, Field(strict=True, ge=0, le=130)]


# --- field types ---------------------------------------------------------------


def _resolve_scale(value: object, info: ValidationInfo) -> Scale:
    if isinstance(value, Scale):
        return value
    registry = default_registry()
    if isinstance(info.context, Mapping) and "registry" in info.context:
        registry = info.context["registry"]
        if not isinstance(registry, ScaleRegistry):
            raise TypeError("context['registry'] must be a ScaleRegistry")
    key, reason = key_text(value, "scale")  # (the rule of a table's scale column)
    if key is None:
        raise FieldError(reason)
    return registry.get(key)


ScaleRef = Annotated[
    Scale,
    PlainValidator(_resolve_scale),
    PlainSerializer(lambda scale: scale.key, return_type=str),
    WithJsonSchema({"type": "string", "description": "Key of a registered scale, e.g. 'ORS'."}),
]
"""A scale, given and serialised as its key and resolved through the registry."""


#: A date written plainly (the ISO form the date grammar reads; anything else is read by
#: the cell rule itself).
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

_Parse = Callable[..., tuple[Any, ...]]


def _read_cell(parse: _Parse, value: object, column: str, **options: Any) -> tuple[Any, ...]:
    """``value`` read by a cell rule of :mod:`fit_scores._core.cells` as a column of one.

    The first problem the rule logs is raised (its error class, its message):
    the value gets what the same value in a table gets.
    """
    raw = np.empty(1, dtype=object)
    raw[0] = value
    log = ErrorLog()
    result = parse(raw, column, log, **options)
    first = log.first([column])
    if first is not None:
        raise first[1](first[2])
    return result


def date_cell(value: object, column: str) -> dt.date | None:
    """A date by the rule of a table's date cells (``None``: missing).

    A ``datetime.date`` and plainly written ISO text (``YYYY-MM-DD``, a real
    calendar date) are taken at once; any other value is read by
    :func:`fit_scores._core.cells.parse_dates`, which takes a ``datetime64``
    of a whole day and refuses, with the table's message, a date-time, a
    number (not a timestamp), bytes and text in another form.

    Examples
    --------
    >>> date_cell("2025-01-10", "date")
    datetime.date(2025, 1, 10)
    >>> date_cell(1736467200, "date")
    Traceback (most recent call last):
    ...
    fit_scores.errors.FieldError: date = 1736467200: a int is not a date; write YYYY-MM-DD
    """
    if type(value) is dt.date:
        return value
    if type(value) is str and _PLAIN_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # (not a calendar date, or year 0: the rule says why)
            pass
    days, missing, _ = _read_cell(parse_dates, value, column)
    return None if missing[0] else dt.date.fromordinal(int(days[0]) + _EPOCH_ORDINAL)


def _day(value: object, info: ValidationInfo) -> dt.date:
    name = info.field_name or "date"
    day = date_cell(value, name)
    if day is None:
        raise FieldError(required(name))
    return day


def _optional_day(value: object, info: ValidationInfo) -> dt.date | None:
    return None if value is None else date_cell(value, info.field_name or "date")


Day = Annotated[dt.date, BeforeValidator(_day)]
"""A date of a model, by the rule of a table's date column (:func:`date_cell`).

``YYYY-MM-DD`` text, a ``datetime.date`` or a ``datetime64`` of a whole day;
a number (pydantic's own parsing would read it as a Unix timestamp), a
date-time, bytes or other text is a :class:`~fit_scores.errors.FieldError`
with the table's message; a missing date is "date is required".
"""
OptionalDay = Annotated[dt.date | None, BeforeValidator(_optional_day)]
"""An optional :data:`Day` (``None``, or a missing value such as ``""``: no date)."""


def whole_cell(value: object, column: str, error: type[FitScoresError]) -> int | None:
    """A whole number by the rule of a table's whole-number cells (``None``: missing).

    An ``int`` within :data:`~fit_scores._core.cells.WHOLE_LIMIT` is taken at
    once; any other value is read by :func:`fit_scores._core.cells.parse_ints`
    (a numpy integer is taken; a float, a string or a boolean is refused with
    the table's message, raised as ``error``).

    Examples
    --------
    >>> from fit_scores.errors import FieldError
    >>> whole_cell(3, "session", FieldError)
    3
    >>> whole_cell(3.0, "session", FieldError)
    Traceback (most recent call last):
    ...
    fit_scores.errors.FieldError: session = 3.0: a float is not a whole number; give an integer
    """
    if type(value) is int and -WHOLE_LIMIT <= value <= WHOLE_LIMIT:
        return value
    values, missing, _ = _read_cell(parse_ints, value, column, text=False, error=error)
    return None if missing[0] else int(values[0])


def score_cell(value: object, column: str) -> float | None:
    """A score by the rule of a table's score cells (``None``: missing).

    A finite ``float`` and an ``int`` are taken at once; any other value is
    read by :func:`fit_scores._core.cells.parse_scores` (numpy numbers and
    ``Decimal`` are taken; a string, a boolean, NaN or infinity is refused
    with the table's message, an :class:`~fit_scores.errors.ItemValueTypeError`).

    Examples
    --------
    >>> score_cell(7, "total"), score_cell(None, "total")
    (7.0, None)
    >>> score_cell("7.5", "total")
    Traceback (most recent call last):
    ...
    fit_scores.errors.ItemValueTypeError: total = '7.5': a string is not a score; give a number
    """
    if type(value) is float and math.isfinite(value):
        return value
    if type(value) is int:
        try:
            return float(value)
        except OverflowError:  # (the rule says why)
            pass
    values, missing, _ = _read_cell(parse_scores, value, column, text=False)
    return None if missing[0] else float(values[0])


def _optional_number(value: object, info: ValidationInfo) -> float | None:
    return score_cell(value, info.field_name or "score")


OptionalScore = Annotated[
    float | None,
    PlainValidator(_optional_number),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "null"}]}),
]


__all__ = [
    "Age",
    "Day",
    "Identifier",
    "OptionalDay",
    "OptionalScore",
    "ScaleRef",
    "date_cell",
    "score_cell",
    "whole_cell",
]
