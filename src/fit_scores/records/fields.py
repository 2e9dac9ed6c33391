"""Field types of the records: identifiers, ages, scale references, scores."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated

import numpy as np
from pydantic import (
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
)

from fit_scores._core.text import MAX_IDENTIFIER, identifier, identifier_text
from fit_scores.errors import (
    FieldError,
    ItemValueTypeError,
)
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
    if not isinstance(value, str):
        raise ValueError(f"scale must be a scale key or a Scale, got {type(value).__name__}")
    return registry.get(value)


ScaleRef = Annotated[
    Scale,
    PlainValidator(_resolve_scale),
    PlainSerializer(lambda scale: scale.key, return_type=str),
    WithJsonSchema({"type": "string", "description": "Key of a registered scale, e.g. 'ORS'."}),
]
"""A scale, given and serialised as its key and resolved through the registry."""


def _finite_number(value: object) -> float:
    """A finite real number; no booleans and no strings posing as numbers."""
    if isinstance(value, bool | np.bool_):
        raise ItemValueTypeError(f"a boolean ({value!r}) is not a score")
    if isinstance(value, str | bytes):
        raise ItemValueTypeError(f"a string ({value!r}) is not a score; give a number")
    if not isinstance(value, numbers.Real | Decimal):
        raise ItemValueTypeError(f"{type(value).__name__} is not a number")
    if isinstance(value, np.floating) and value.dtype.itemsize < 8:
        # float16/float32 hold 0.7 as 0.699999988...; read the decimal they print as
        value = str(value)
    try:
        number = float(value)
    except (OverflowError, ValueError):  # 10**400, Decimal('sNaN')
        raise ItemValueTypeError(f"{value!r} is not a finite number") from None
    if not math.isfinite(number):
        raise ItemValueTypeError(f"{value!r} is not a finite number")
    return number


def _optional_number(value: object) -> float | None:
    return None if value is None else _finite_number(value)


Score = Annotated[
    float,
    PlainValidator(_finite_number),
    WithJsonSchema({"type": "number"}),
]
OptionalScore = Annotated[
    float | None,
    PlainValidator(_optional_number),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "null"}]}),
]


__all__ = ["Age", "Identifier", "OptionalScore", "ScaleRef", "Score"]
