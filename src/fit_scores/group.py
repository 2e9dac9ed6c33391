"""Group-level change; moved to :mod:`fit_scores.change.group`.

This module re-exports its names so that ``fit_scores.group`` keeps working.
"""

from __future__ import annotations

from fit_scores.change.group import (
    EffectSize,
    GroupAnchorResult,
    anchor_group,
    effect_size,
)
from fit_scores.change.group import GroupAnchorCategory as GroupAnchorCategory

__all__ = ["EffectSize", "GroupAnchorResult", "anchor_group", "effect_size"]
