"""Instruments of the yearly mapping: scoring, bands, reliable change, reference series.

The definitions live in :mod:`fit_scores.scales` (:class:`~fit_scores.Instrument`,
the built-ins ``GSE``, ``LIFESAT``, ``CANTRIL``, ``SDQ_P4_11``, ``SDQ_S11_17``,
``KIDSCREEN27``, ``KIDSCREEN10``, ``EQ5D``); this package scores them, one
response or a matrix through one kernel.

Examples
--------
>>> from fit_scores.instruments import cantril_band, rci, score_response
>>> score_response("GSE", [3] * 10).score("total").value
30.0
>>> cantril_band(6, "high_9plus")
'not_high'
"""

from fit_scores.instruments.bands import band_of, cantril_band, life_satisfaction_band, rci
from fit_scores.instruments.results import InstrumentScore, SubscaleScore
from fit_scores.instruments.scoring import (
    ELECTRONIC_LICENCES,
    InstrumentScores,
    ScoreProblem,
    check_licence,
    score,
    score_response,
    scoring_plan,
)
from fit_scores.scales.yearly import LIFESAT_REFERENCE

__all__ = [
    "ELECTRONIC_LICENCES",
    "LIFESAT_REFERENCE",
    "InstrumentScore",
    "InstrumentScores",
    "ScoreProblem",
    "SubscaleScore",
    "band_of",
    "cantril_band",
    "check_licence",
    "life_satisfaction_band",
    "rci",
    "score",
    "score_response",
    "scoring_plan",
]
