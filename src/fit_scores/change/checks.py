"""Argument checks shared by the change analyses (individual and group level)."""

from __future__ import annotations

from fit_scores.change.data import ChangeData
from fit_scores.change.results import Mode
from fit_scores.errors import ChangeInputError

__all__ = ["check_mode", "check_probability", "direction_of", "need_people"]


def direction_of(higher_is_better: bool) -> int:
    """``1`` if higher scores are better, else ``-1`` (the direction of improvement)."""
    if not isinstance(higher_is_better, bool):
        raise ChangeInputError("higher_is_better must be True or False")
    return 1 if higher_is_better else -1


def check_probability(name: str, value: float | None, *, inclusive_one: bool = False) -> None:
    """Raise unless ``value`` is None or a number in (0, 1) (or (0, 1] with ``inclusive_one``)."""
    if value is None:
        return
    ok = 0 < value <= 1 if inclusive_one else 0 < value < 1
    if isinstance(value, bool) or not isinstance(value, int | float) or not ok:
        bound = "(0, 1]" if inclusive_one else "(0, 1)"
        raise ChangeInputError(f"{name} must be a number in {bound}, got {value!r}")


def need_people(data: ChangeData, minimum: int = 2) -> None:
    """Raise unless ``data`` has at least ``minimum`` complete pre/post pairs."""
    if data.n_used < minimum:
        raise ChangeInputError(
            f"only {data.n_used} complete pre/post pairs (of {data.n_original}); "
            f"at least {minimum} are needed"
        )


def check_mode(mode: str) -> Mode:
    """``mode`` as a :data:`Mode`; raise unless it is ``"default"`` or ``"compat"``."""
    if mode not in ("default", "compat"):
        raise ChangeInputError(f"mode must be 'default' or 'compat', got {mode!r}")
    return "default" if mode == "default" else "compat"
