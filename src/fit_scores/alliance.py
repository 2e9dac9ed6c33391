"""Alliance signals for session-rating (SRS-family) tracks.

Each signal names its rule and the source of its threshold; every threshold
is overridable through :class:`AllianceRules`. The rules follow what FIT
systems use in practice (domain reference, section 3.1):

- ``below_cutoff``: the total is below the alliance cutoff of the scale (SRS
  36; OpenFIT KA-01028, hiboop, cauceos);
- ``drop``: the total is at least 1 point below the previous session
  (OpenFIT support article 204000069702: ``SRSChangeFromLast <= -1``);
- ``item_below``: any item below 7.5 (a vendor heuristic, hunhu.us; hiboop
  suggests checking in below about 9);
- ``ceiling``: the maximum total several times in a row, a possible ceiling
  effect rather than success (hiboop; Greenspace);
- ``missing``: a meeting without an alliance rating (OpenFIT shows it grey).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from fit_scores._core.tracks import AllianceThresholds
from fit_scores._model import FrozenModel
from fit_scores.scales.model import Source

__all__ = ["AllianceRules", "AllianceSignal", "SignalRule"]

SignalRule = Literal["below_cutoff", "drop", "item_below", "ceiling", "missing"]

DROP_SOURCE = Source(
    citation="OpenFIT support article 204000069702 (SRSChangeFromLast <= -1)",
    verified=False,
    note="Duncan's teaching: any fall in the alliance is worth raising.",
)
ITEM_SOURCE = Source(
    citation="hunhu.us session feedback help (items below 7.5); hiboop.com SRS page (about 9)",
    verified=False,
    note="Vendor heuristics, not norms.",
)
CEILING_SOURCE = Source(
    citation="hiboop.com SRS page; Greenspace help centre",
    verified=False,
    note="Most sessions score 36-40; repeated 40/40 may mean reluctance to criticise.",
)
MISSING_SOURCE = Source(
    citation="OpenFIT support article 204000069702 (SRS grey if missing)",
    verified=False,
)
CUSTOM_SOURCE = Source(citation="Threshold supplied by the caller", verified=False)


class AllianceRules(FrozenModel):
    """Thresholds of the alliance signals; every one can be overridden.

    Parameters
    ----------
    cutoff : float, optional
        Alliance cutoff; default the scale's cutoff for the person's age band.
    drop : float
        Points below the previous session that raise a ``drop`` signal.
    item_below : float, optional
        Item score below which an item is flagged; ``None`` turns the rule off.
    ceiling_repeats : int
        Consecutive maximum totals that raise a ``ceiling`` signal.
    """

    cutoff: float | None = None
    drop: float = Field(default=1.0, gt=0)
    item_below: float | None = 7.5
    ceiling_repeats: int = Field(default=2, ge=2)
    cutoff_source: Source | None = None
    drop_source: Source = DROP_SOURCE
    item_source: Source = ITEM_SOURCE
    ceiling_source: Source = CEILING_SOURCE
    missing_source: Source = MISSING_SOURCE

    def thresholds(self) -> AllianceThresholds:
        """The numbers of these rules, as the per-track kernels take them."""
        return AllianceThresholds(
            cutoff=self.cutoff,
            drop=self.drop,
            item_below=self.item_below,
            ceiling_repeats=self.ceiling_repeats,
        )


class AllianceSignal(FrozenModel):
    """One alliance signal at one administration (or one meeting without a rating)."""

    rule: SignalRule
    date: dt.date
    session: int | None
    index: int | None = Field(description="position in the track; None for a missing rating")
    value: float | None = Field(description="the total (or lowest item) that raised it")
    threshold: float | None
    message_id: str
    source: Source
