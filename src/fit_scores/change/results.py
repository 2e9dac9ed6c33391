"""Result types of the change analyses.

:class:`ChangeResult` is one track's change for services (made by
:meth:`Track.change <fit_scores.Track.change>`); :class:`ChangeTable` holds the
per-person results of the research functions, with :class:`PersonChange`
rows, :class:`CategorySummary` counts and the :class:`CutoffInfo` used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from fit_scores._core import change as _k
from fit_scores._model import FrozenModel
from fit_scores.change.data import BoolArray, FloatArray, ObjArray
from fit_scores.errors import ChangeInputError
from fit_scores.i18n import message
from fit_scores.scales.model import Source

__all__ = [
    "FIVE",
    "FIVE_NRR",
    "THREE",
    "Approach",
    "Category",
    "CategoryCount",
    "CategorySummary",
    "ChangeResult",
    "ChangeTable",
    "CutoffInfo",
    "Mode",
    "PersonChange",
]

Mode = Literal["default", "compat"]
Approach = Literal["distribution", "statistical", "combined", "percentage", "anchor"]

# the categories of each approach, in order
THREE = ("improved", "unchanged", "deteriorated")
FIVE = ("recovered", "improved", "unchanged", "deteriorated", "harmed")
FIVE_NRR = (
    "recovered",
    "non_reliably_recovered",
    "improved",
    "unchanged",
    "deteriorated",
    "harmed",
)

Category = Literal[
    "recovered", "non_reliably_recovered", "improved", "unchanged", "deteriorated", "harmed"
]


class ChangeResult(FrozenModel):
    """Change between two administrations of one track, for services.

    Made by :meth:`Track.change <fit_scores.Track.change>`: the scale's
    reliable-change criterion and, at each of the two times, the cutoff for
    the person's age band and rater. All decisions are exact (in ticks).
    """

    scale: str
    person: str
    rater: str
    pre_date: dt.date
    post_date: dt.date
    pre: float
    post: float
    difference: float = Field(description="post - pre, in points")
    rci: float | None = Field(description="difference / S_diff; only for a computed criterion")
    threshold: float = Field(description="the reliable-change criterion, in points")
    criterion: Literal["points", "computed"]
    comparison: Literal["inclusive", "strict"]
    reliable: bool
    direction: Literal["better", "worse", "none"]
    cutoff_pre: float | None
    cutoff_post: float | None
    clinical_pre: bool | None
    clinical_post: bool | None
    crossed_cutoff: bool | None = Field(description="clinical at pre and functional at post")
    category: Category
    recovery_judged: bool = Field(
        default=True,
        description="False when the cutoff depends on the age and no age is known at the pre "
        "or post date: whether the person recovered cannot be judged (the category then rests "
        "on reliable change alone, and message_id ends in '.no_age')",
    )
    message_id: str
    sources: tuple[Source, ...]

    def label(self, locale: str = "nb") -> str:
        """The plain-language label of the category (e.g. nb "Tydelig bedring")."""
        return message(self.message_id, locale)


# --- data -----------------------------------------------------------------------


class CutoffInfo(FrozenModel):
    """The population cutoff used, with the norms it was computed from."""

    type: Literal["a", "b", "c"]
    method: Literal["JT", "HA"]
    value: float
    m_clinical: float
    sd_clinical: float
    m_functional: float | None
    sd_functional: float | None
    clinical_norms_from: Literal["sample", "supplied"]


class PersonChange(FrozenModel):
    """One person's row of a :class:`ChangeTable`, as a validated model for services."""

    id: str
    group: str | None
    pre: float
    post: float
    change: float
    rci: float | None
    clinical_pre: bool | None
    functional_post: bool | None
    category: str


class CategoryCount(FrozenModel):
    """Number and share of people in one category (and group)."""

    group: str | None
    category: str
    n: int = Field(ge=0)
    percent: float = Field(description="share of all people analysed (n / N_used)")
    percent_by_group: float | None = Field(description="share within the group")
    ci_low: float = Field(description="Wilson interval for the share within the group (or all)")
    ci_high: float


class CategorySummary(FrozenModel):
    """Category counts with Wilson confidence intervals, in total or by group."""

    approach: str
    method: str | None
    n_original: int
    n_used: int
    level: float
    rows: tuple[CategoryCount, ...]

    def to_pandas(self) -> Any:
        """The rows as a :class:`pandas.DataFrame` (needs pandas)."""
        import pandas as pd

        return pd.DataFrame([row.model_dump() for row in self.rows])


@dataclass(frozen=True)
class ChangeTable:
    """Per-person change results as columns of arrays, with the settings used.

    Attributes
    ----------
    ids, pre, post, change : ndarray
        Person ids, scores and ``post - pre`` for the people analysed.
    rci : ndarray or None
        Reliable change index (distribution and combined approaches).
    clinical_pre, functional_post : ndarray of bool or None
        Caseness against the cutoff (statistical and combined approaches).
    codes : ndarray of int8
        One category per person, as an index into ``fit_scores._core.change.CATEGORIES``;
        :attr:`category` gives the names.
    categories : tuple of str
        The possible categories, in order.
    ha_group_level : dict or None
        Hageman & Arrindell's group-level shares ``{"changed", "functional"}``
        of everyone (method HA in the combined approach).
    ha_group_level_by_group : dict of str to dict, or None
        The same per group, when the data have groups (the R package's
        grouped summary: each group's change and post scores, with the whole
        sample's R_dd, cutoff and post reliability; NaN for a group of one).
    s_diff, sem, sep, r_dd : float or None
        The parameters of the reliable change criterion: the standard error
        of the difference ``S_diff = sqrt(2) SEM``, of measurement
        ``SEM = S1 sqrt(1 - r)``, of prediction ``SEP = S1 sqrt(1 - r^2)``
        (with ``S1`` the SD of the pre scores and ``r`` the reliability), and
        for method HA the reliability of the difference ``R_dd``. ``None``
        where the criterion has none (HLM, an anchor, the statistical and
        percentage approaches; ``r_dd`` for methods other than HA).
    """

    approach: Approach
    method: str | None
    mode: Mode
    higher_is_better: bool
    ids: npt.NDArray[Any]
    pre: FloatArray
    post: FloatArray
    codes: npt.NDArray[np.int8]
    categories: tuple[str, ...]
    group: ObjArray | None
    n_original: int
    rci: FloatArray | None = None
    critical_value: float | None = None
    reliability: float | None = None
    reliability_post: float | None = None
    clinical_pre: BoolArray | None = None
    functional_post: BoolArray | None = None
    cutoff: CutoffInfo | None = None
    ha_group_level: dict[str, float] | None = None
    ha_group_level_by_group: dict[str, dict[str, float]] | None = None
    s_diff: float | None = None
    sem: float | None = None
    sep: float | None = None
    r_dd: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n_used(self) -> int:
        """Number of people analysed."""
        return int(self.ids.size)

    @property
    def change(self) -> FloatArray:
        """``post - pre`` per person."""
        diff: FloatArray = self.post - self.pre
        return diff

    @property
    def category(self) -> npt.NDArray[np.str_]:
        """The category of each person, by name."""
        names: npt.NDArray[np.str_] = np.asarray(_k.CATEGORIES)[self.codes]
        return names

    def _count(self, mask: BoolArray | None = None) -> npt.NDArray[np.int64]:
        codes = self.codes if mask is None else self.codes[mask]
        per_code = np.bincount(codes, minlength=len(_k.CATEGORIES))
        return np.array([per_code[_k.CATEGORIES.index(c)] for c in self.categories])

    def counts(self) -> dict[str, int]:
        """Number of people per category, in category order."""
        return {c: int(k) for c, k in zip(self.categories, self._count(), strict=True)}

    def summary(self, *, by_group: bool = False, level: float = 0.95) -> CategorySummary:
        """Counts and shares per category (and group) with Wilson intervals.

        ``percent`` is over all people analysed (as the R package's
        ``percent``); ``percent_by_group`` within the group. The interval is
        for the share within the group (or of all, without groups).
        """
        rows: list[CategoryCount] = []
        total = self.n_used
        if by_group:
            if self.group is None:
                raise ChangeInputError("summary(by_group=True) needs group labels")
            labels = [str(g) for g in self.group]
            keys = list(dict.fromkeys(labels))
            group_arr = np.asarray(labels, dtype=object)
            parts: list[tuple[str | None, BoolArray]] = [(k, group_arr == k) for k in keys]
        else:
            parts = [(None, np.ones(total, dtype=bool))]
        for key, mask in parts:
            n_group = int(mask.sum())
            counts = self._count(mask)
            lo, hi = _k.wilson_interval(counts, np.full(counts.shape, n_group), level)
            for c, k, a, b in zip(self.categories, counts, lo, hi, strict=True):
                rows.append(
                    CategoryCount(
                        group=key,
                        category=c,
                        n=int(k),
                        percent=float(k / total) if total else 0.0,
                        percent_by_group=(float(k / n_group) if n_group else 0.0)
                        if by_group
                        else None,
                        ci_low=float(a),
                        ci_high=float(b),
                    )
                )
        return CategorySummary(
            approach=self.approach,
            method=self.method,
            n_original=self.n_original,
            n_used=total,
            level=level,
            rows=tuple(rows),
        )

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        """The per-person columns as a dict of arrays."""
        out: dict[str, npt.NDArray[Any]] = {
            "id": self.ids,
            "pre": self.pre,
            "post": self.post,
            "change": self.change,
        }
        if self.group is not None:
            out["group"] = self.group
        if self.rci is not None:
            out["rci"] = self.rci
        if self.clinical_pre is not None and self.functional_post is not None:
            out["clinical_pre"] = self.clinical_pre
            out["functional_post"] = self.functional_post
        out["category"] = self.category
        return out

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per person (plain Python values)."""
        cols = self.columns()
        return [
            {k: (v[i].item() if isinstance(v[i], np.generic) else v[i]) for k, v in cols.items()}
            for i in range(self.n_used)
        ]

    def to_models(self) -> tuple[PersonChange, ...]:
        """One frozen, JSON-serialisable :class:`PersonChange` per person."""
        rci = self.rci if self.rci is not None else None
        names = self.category
        return tuple(
            PersonChange(
                id=str(self.ids[i]),
                group=None if self.group is None else str(self.group[i]),
                pre=float(self.pre[i]),
                post=float(self.post[i]),
                change=float(self.change[i]),
                rci=None if rci is None or not np.isfinite(rci[i]) else float(rci[i]),
                clinical_pre=None if self.clinical_pre is None else bool(self.clinical_pre[i]),
                functional_post=(
                    None if self.functional_post is None else bool(self.functional_post[i])
                ),
                category=str(names[i]),
            )
            for i in range(self.n_used)
        )

    def to_pandas(self) -> Any:
        """The per-person columns as a :class:`pandas.DataFrame` (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(self.columns())
