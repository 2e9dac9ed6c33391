"""Validated records: administrations of a scale, tracks, people and families.

An :class:`Administration` is one filled-in form, validated against its
:class:`~fit_scores.scales.Scale` and scored exactly (integer ticks). A
:class:`Track` is the ordered series of one person's administrations of one
scale by one rater in one episode. A :class:`Family` holds its members
(:class:`Person`) and their tracks, and knows each member's age at each
administration, which decides the age band and so the cutoff.
"""

from fit_scores.records.administration import Administration
from fit_scores.records.family import Family, Person
from fit_scores.records.reasons import localise_reason
from fit_scores.records.track import Track

__all__ = ["Administration", "Family", "Person", "Track", "localise_reason"]
