"""Validated records: administrations of a scale, tracks, people and families.

An :class:`Administration` is one filled-in form, validated against its
:class:`~fit_scores.scales.Scale` and scored exactly (integer ticks). A
:class:`Track` is the ordered series of one person's administrations of one
scale by one rater in one episode. A :class:`Family` holds its members
(:class:`Person`) and their tracks, and knows each member's age at each
administration, which decides the age band and so the cutoff. It also holds
the family's :class:`YearlyMapping` and plan, and lists all three kinds of
measurement in date order (:meth:`Family.timeline`, :class:`TimelineEvent`).
"""

from fit_scores.records.administration import Administration
from fit_scores.records.family import (
    TIMELINE_KINDS,
    Family,
    Person,
    TimelineEvent,
    TimelineKind,
    TimelineRecord,
    YearlyMapping,
    year_date,
)
from fit_scores.records.reasons import localise_reason
from fit_scores.records.track import Track

__all__ = [
    "TIMELINE_KINDS",
    "Administration",
    "Family",
    "Person",
    "TimelineEvent",
    "TimelineKind",
    "TimelineRecord",
    "Track",
    "YearlyMapping",
    "localise_reason",
    "year_date",
]
