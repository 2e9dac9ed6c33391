"""Bands of single-item scores and the reliable change index, as plain functions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt

from fit_scores.errors import ChangeInputError
from fit_scores.instruments.scoring import score

__all__ = ["band_of", "cantril_band", "life_satisfaction_band", "rci"]

CantrilScheme = Literal["hbsc_6plus", "high_9plus"]
#: Several scores: a sequence or an array of whole numbers.
Values = Sequence[int | float] | npt.NDArray[Any]


def band_of(
    instrument: str,
    value: int | float | Values,
    scheme: str | None = None,
    *,
    subscale: str = "total",
    age: int | None = None,
) -> str | list[str]:
    """The band of a single-item score (or of each of several), through the scoring kernel.

    The value is validated like an answer (a whole number in the response
    range; anything else raises its typed error) and banded exactly.

    Examples
    --------
    >>> band_of("LIFESAT", [0, 5, 6, 8, 9, 10])
    ['low', 'low', 'medium', 'medium', 'high', 'high']
    """
    many = isinstance(value, Sequence | np.ndarray) and not isinstance(value, str | bytes)
    rows = [[v] for v in value] if many else [[value]]  # type: ignore[union-attr]
    result = score(instrument, rows, subscales=[subscale])
    result.raise_first()  # an invalid value raises its typed error
    found = [b for b in result.bands(subscale, scheme, age=age) if b is not None]
    return found if many else found[0]


@overload
def cantril_band(x: int | float, scheme: CantrilScheme = "hbsc_6plus") -> str: ...
@overload
def cantril_band(x: Values, scheme: CantrilScheme = "hbsc_6plus") -> list[str]: ...
def cantril_band(
    x: int | float | Values,
    scheme: CantrilScheme = "hbsc_6plus",
) -> str | list[str]:
    """The band of a Cantril ladder score 0-10 under one of the two published dichotomies.

    Parameters
    ----------
    x : int or sequence of int
        Ladder score(s), whole numbers 0-10.
    scheme : {"hbsc_6plus", "high_9plus"}
        ``"hbsc_6plus"``: 0-5 ``"low"``, 6-10 ``"high"`` (Cavallo et al.
        2015, Eur J Public Health 25 Suppl 2:80-2). ``"high_9plus"``: 9-10
        ``"high"``, 0-8 ``"not_high"`` (Due et al. 2019, Nordisk
        välfärdsforskning 4(2):54-66).

    Raises
    ------
    ItemRangeError, ItemResolutionError, ItemValueTypeError
        For a score outside 0-10, not whole, or not a number.

    Examples
    --------
    >>> cantril_band(6, "hbsc_6plus"), cantril_band(6, "high_9plus")
    ('high', 'not_high')
    >>> cantril_band([5, 9], "high_9plus")
    ['not_high', 'high']
    """
    return band_of("CANTRIL", x, scheme)


@overload
def life_satisfaction_band(x: int | float) -> str: ...
@overload
def life_satisfaction_band(x: Values) -> list[str]: ...
def life_satisfaction_band(
    x: int | float | Values,
) -> str | list[str]:
    """Statistics Norway's band of a life-satisfaction score 0-10: low, medium or high.

    Low 0-5, medium 6-8, high 9-10 (SSB quality-of-life statistics; low spans
    more points because the answers are skewed).

    Examples
    --------
    >>> [life_satisfaction_band(x) for x in (5, 6, 8, 9)]
    ['low', 'medium', 'medium', 'high']
    """
    return band_of("LIFESAT", x, "ssb")


def rci(
    x1: float | npt.ArrayLike, x2: float | npt.ArrayLike, sd: float, alpha: float
) -> float | npt.NDArray[np.float64]:
    r"""The Jacobson-Truax reliable change index of a change from ``x1`` to ``x2``.

    Notes
    -----
    .. math:: RCI = \frac{x_2 - x_1}{\sqrt{2}\, SD \sqrt{1 - \alpha}}

    :math:`|RCI| > 1.96` is reliable change at the 5 % level. For the GSE no
    published SD and reliability for Norway exist; the international dataset
    gives SD 5.04 and alpha .843 (indicative, see ``get_instrument("GSE").norms``).

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). Journal of Consulting and Clinical
    Psychology, 59(1), 12-19.

    Examples
    --------
    >>> round(rci(25, 31, 5.04, 0.843), 4)
    2.1245
    """
    for name, v in (("sd", sd), ("alpha", alpha)):
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ChangeInputError(f"{name} must be a finite number, got {v!r}")
    if sd <= 0:
        raise ChangeInputError(f"sd must be above 0, got {sd}")
    if not 0 <= alpha < 1:
        raise ChangeInputError(f"alpha must be in [0, 1), got {alpha}")
    a = np.asarray(x1, dtype=np.float64)
    b = np.asarray(x2, dtype=np.float64)
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ChangeInputError("x1 and x2 must be finite numbers")
    out = (b - a) / (math.sqrt(2.0) * sd * math.sqrt(1.0 - alpha))
    return float(out) if out.ndim == 0 else out
