"""fit_scores: Feedback-Informed Treatment scores, exact and documented.

Scale definitions with their sources, validated administrations scored
exactly in integer ticks, tracks, people and families. Importing the package
does not import matplotlib or pandas.

Examples
--------
>>> import fit_scores as fs
>>> a = fs.Administration(scale="ORS", person="p1", date="2025-01-10", age=40,
...                       items=(0.7, 8.1, 7.5, 8.7))
>>> a.total, a.clinical
(25.0, False)
"""

from fit_scores.alliance import AllianceRules, AllianceSignal
from fit_scores.change import (
    ChangeData,
    ChangeResult,
    ChangeTable,
    anchor_change,
    clinical_significance,
    cutoff_change,
    percentage_change,
    reliable_change,
)
from fit_scores.errors import (
    AgeError,
    DuplicateAdministrationError,
    DuplicateMemberError,
    FitScoresError,
    ItemCountError,
    ItemRangeError,
    ItemResolutionError,
    ItemValueTypeError,
    MissingItemsError,
    MissingThresholdError,
    MixedTrackError,
    RaterError,
    ScaleDefinitionError,
    ScaleRegistrationError,
    ScoreError,
    SessionOrderError,
    TotalMismatchError,
    TotalRangeError,
    TrackError,
    UnknownItemError,
    UnknownPersonError,
    UnknownScaleError,
)
from fit_scores.examples import example_family
from fit_scores.group import EffectSize, GroupAnchorResult, anchor_group, effect_size
from fit_scores.records import Administration, Family, Person, Track
from fit_scores.scales import (
    AGE_BANDS,
    BUILTIN_SCALES,
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
    ScaleRegistry,
    Source,
    age_band_of,
    default_registry,
    get_scale,
    list_scales,
    register_scale,
)

__version__ = "0.1.0"

__all__ = [
    "AGE_BANDS",
    "BUILTIN_SCALES",
    "Administration",
    "AgeBand",
    "AgeError",
    "AllianceRules",
    "AllianceSignal",
    "ChangeData",
    "ChangeResult",
    "ChangeTable",
    "Cutoff",
    "DuplicateAdministrationError",
    "DuplicateMemberError",
    "EffectSize",
    "Family",
    "FitScoresError",
    "GroupAnchorResult",
    "Item",
    "ItemCountError",
    "ItemRangeError",
    "ItemResolutionError",
    "ItemValueTypeError",
    "Labels",
    "MissingItemsError",
    "MissingThresholdError",
    "MixedTrackError",
    "Norm",
    "Norms",
    "Person",
    "Rater",
    "RaterError",
    "Reliability",
    "ReliableChange",
    "Scale",
    "ScaleDefinitionError",
    "ScaleKind",
    "ScaleRegistrationError",
    "ScaleRegistry",
    "ScoreError",
    "SessionOrderError",
    "Source",
    "TotalMismatchError",
    "TotalRangeError",
    "Track",
    "TrackError",
    "UnknownItemError",
    "UnknownPersonError",
    "UnknownScaleError",
    "__version__",
    "age_band_of",
    "anchor_change",
    "anchor_group",
    "clinical_significance",
    "cutoff_change",
    "default_registry",
    "effect_size",
    "example_family",
    "get_scale",
    "list_scales",
    "percentage_change",
    "register_scale",
    "reliable_change",
]
