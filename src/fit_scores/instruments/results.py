"""Result models of instrument scoring: one response, every subscale, exact."""

from __future__ import annotations

from fractions import Fraction

from pydantic import Field, model_validator

from fit_scores._model import FrozenModel
from fit_scores.errors import UnknownItemError
from fit_scores.scales.instrument import ScoringMethod

__all__ = ["InstrumentScore", "SubscaleScore"]


class SubscaleScore(FrozenModel):
    """The score of one subscale of one response.

    Parameters
    ----------
    key : str
        The subscale.
    scoring : {"sum", "mean", "table", "profile"}
        How it was scored.
    numerator, denominator : int or None
        The exact raw score ``numerator / denominator`` (lowest terms; the
        state code for a profile); ``None`` without a score.
    answered, items : int
        Answered items and items of the subscale.
    converted : float or None
        The table value of a ``table`` or ``profile`` subscale.
    prorated : bool
        Whether the sum was prorated over unanswered items.
    missing_reason : str or None
        Why there is no score.
    """

    key: str
    scoring: ScoringMethod
    numerator: int | None
    denominator: int | None = Field(default=None, ge=1)
    answered: int = Field(ge=0)
    items: int = Field(ge=1)
    converted: float | None = None
    prorated: bool = False
    missing_reason: str | None = None

    @model_validator(mode="after")
    def _paired(self) -> SubscaleScore:
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError("numerator and denominator are given together or not at all")
        return self

    @property
    def exact(self) -> Fraction | None:
        """The exact raw score."""
        if self.numerator is None or self.denominator is None:
            return None
        return Fraction(self.numerator, self.denominator)

    @property
    def raw(self) -> float | None:
        """The raw score as a float (sum, mean, or state code)."""
        exact = self.exact
        return None if exact is None else exact.numerator / exact.denominator

    @property
    def value(self) -> float | None:
        """The score: the table value for ``table``/``profile``, else the raw score."""
        if self.scoring in ("table", "profile"):
            return self.converted
        return self.raw


class InstrumentScore(FrozenModel):
    """The scores of one response to an instrument.

    Examples
    --------
    >>> from fit_scores.instruments import score_response
    >>> r = score_response("GSE", [1, 2, 3, 4, 1, 2, 3, 4, 1, 2])
    >>> r.score("total").value, r.score("total").exact
    (23.0, Fraction(23, 1))
    """

    instrument: str
    scores: tuple[SubscaleScore, ...]

    def score(self, subscale: str) -> SubscaleScore:
        """The score of ``subscale``."""
        for s in self.scores:
            if s.key == subscale:
                return s
        raise UnknownItemError(
            f"{self.instrument}: no score of subscale {subscale!r}; scored: "
            f"{[s.key for s in self.scores]}"
        )
