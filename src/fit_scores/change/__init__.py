"""Reliable and clinically significant change for arrays of pre and post scores.

The research-side API: vectorised over any number of people, the same kernels
(:mod:`fit_scores._core.change`) that the scale-aware :meth:`Track.change
<fit_scores.Track.change>` uses. Five approaches, as in the literature and the
R package ``clinicalsignificance``:

- :func:`reliable_change` (distribution-based: RCI methods JT, GLN, HLL, EN,
  NK, HA, HLM),
- :func:`cutoff_change` (statistical: population cutoffs a, b, c),
- :func:`clinical_significance` (combined: recovered, improved, unchanged,
  deteriorated, harmed),
- :func:`percentage_change` and :func:`anchor_change`.

``mode="default"`` follows Jacobson & Truax (1991): cutoff b uses the
functional SD, clinical norms may be supplied, a score exactly at the cutoff
is functional. ``mode="compat"`` reproduces the R package
``clinicalsignificance`` 3.0.0 exactly (see the methods page of the docs).
"""

from __future__ import annotations

# Names imported "X as X" are the type aliases and category orders of the former
# single module: still importable from here, not in __all__.
from fit_scores.change.criteria import METHODS as METHODS
from fit_scores.change.criteria import Method as Method
from fit_scores.change.data import BoolArray as BoolArray
from fit_scores.change.data import ChangeData
from fit_scores.change.data import FloatArray as FloatArray
from fit_scores.change.data import LongSeries as LongSeries
from fit_scores.change.data import ObjArray as ObjArray
from fit_scores.change.data import Scores as Scores
from fit_scores.change.group import (
    EffectSize,
    GroupAnchorResult,
    anchor_group,
    effect_size,
)
from fit_scores.change.group import GroupAnchorCategory as GroupAnchorCategory
from fit_scores.change.methods import (
    anchor_change,
    clinical_significance,
    cutoff_change,
    percentage_change,
    reliable_change,
)
from fit_scores.change.results import FIVE as FIVE
from fit_scores.change.results import FIVE_NRR as FIVE_NRR
from fit_scores.change.results import THREE as THREE
from fit_scores.change.results import Approach as Approach
from fit_scores.change.results import Category as Category
from fit_scores.change.results import (
    CategoryCount,
    CategorySummary,
    ChangeResult,
    ChangeTable,
    CutoffInfo,
    PersonChange,
)
from fit_scores.change.results import Mode as Mode
from fit_scores.errors import ChangeInputError

__all__ = [
    "CategoryCount",
    "CategorySummary",
    "ChangeData",
    "ChangeInputError",
    "ChangeResult",
    "ChangeTable",
    "CutoffInfo",
    "EffectSize",
    "GroupAnchorResult",
    "PersonChange",
    "anchor_change",
    "anchor_group",
    "clinical_significance",
    "cutoff_change",
    "effect_size",
    "percentage_change",
    "reliable_change",
]
