"""Rating-scale definitions: the data model, the built-ins and the registry."""

from fit_scores.scales.builtin import BUILTIN_SCALES
from fit_scores.scales.model import (
    AGE_BANDS,
    AgeBand,
    Cutoff,
    Item,
    Labels,
    Norm,
    Norms,
    Rater,
    Reliability,
    ReliableChange,
    Scale,
    ScaleKind,
    Source,
    age_band_of,
)
from fit_scores.scales.registry import (
    ScaleRegistry,
    default_registry,
    get_scale,
    list_scales,
    register_scale,
)

__all__ = [
    "AGE_BANDS",
    "BUILTIN_SCALES",
    "AgeBand",
    "Cutoff",
    "Item",
    "Labels",
    "Norm",
    "Norms",
    "Rater",
    "Reliability",
    "ReliableChange",
    "Scale",
    "ScaleKind",
    "ScaleRegistry",
    "Source",
    "age_band_of",
    "default_registry",
    "get_scale",
    "list_scales",
    "register_scale",
]
