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

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from fit_scores._core import change as _k
from fit_scores._model import FrozenModel
from fit_scores.errors import ChangeInputError
from fit_scores.i18n import message
from fit_scores.scales.model import Source

__all__ = [
    "CategoryCount",
    "CategorySummary",
    "ChangeData",
    "ChangeInputError",
    "ChangeResult",
    "ChangeTable",
    "CutoffInfo",
    "PersonChange",
    "anchor_change",
    "clinical_significance",
    "cutoff_change",
    "percentage_change",
    "reliable_change",
]

Method = Literal["JT", "GLN", "HLL", "EN", "NK", "HA", "HLM"]
Mode = Literal["default", "compat"]
Approach = Literal["distribution", "statistical", "combined", "percentage", "anchor"]
FloatArray = npt.NDArray[np.float64]
Scores = npt.ArrayLike | Sequence[float | None]
"""Scores as an array or a sequence; NaN or ``None`` marks a missing score."""
BoolArray = npt.NDArray[np.bool_]
ObjArray = npt.NDArray[np.object_]

METHODS: tuple[Method, ...] = ("JT", "GLN", "HLL", "EN", "NK", "HA", "HLM")
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
    message_id: str
    sources: tuple[Source, ...]

    def label(self, locale: str = "nb") -> str:
        """The plain-language label of the category (e.g. nb "Tydelig bedring")."""
        return message(self.message_id, locale)


# --- data -----------------------------------------------------------------------


def _float_array(name: str, values: npt.ArrayLike) -> FloatArray:
    arr = np.asarray(values)
    if arr.dtype == np.bool_ or arr.dtype.kind in "US":
        raise ChangeInputError(f"{name}: expected numbers, got {arr.dtype} values")
    if arr.dtype.kind == "O" and not _all_numbers(arr):
        raise ChangeInputError(f"{name}: expected numbers (or None for missing)")
    try:
        out = np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ChangeInputError(f"{name}: expected numbers ({exc})") from exc
    if out.ndim != 1:
        raise ChangeInputError(f"{name}: expected a one-dimensional array, got shape {out.shape}")
    bad = np.flatnonzero(np.isinf(out))
    if bad.size:
        raise ChangeInputError(f"{name}: row {int(bad[0])} is infinite")
    return out


def _all_numbers(arr: npt.NDArray[Any]) -> bool:
    return all(
        v is None or (isinstance(v, int | float | np.number) and not isinstance(v, bool))
        for v in arr.ravel()
    )


@dataclass(frozen=True)
class LongSeries:
    """Long-format series sorted by id then time, for the HLM method."""

    ids: ObjArray
    time: FloatArray
    outcome: FloatArray
    starts: npt.NDArray[np.int64]  # start offset of each id's rows


@dataclass(frozen=True)
class ChangeData:
    """Complete pre/post pairs, one per person, with the count of people given.

    Build with :meth:`from_wide` or :meth:`from_long`. Pairs with a missing
    (NaN or ``None``) pre or post score are left out *and counted*:
    ``n_original`` people were given and ``n_used`` analysed.

    Examples
    --------
    >>> data = ChangeData.from_wide([20, 18, float("nan")], [26, 17, 30])
    >>> data.n_original, data.n_used
    (3, 2)
    """

    ids: npt.NDArray[Any]
    pre: FloatArray
    post: FloatArray
    group: ObjArray | None
    n_original: int
    long: LongSeries | None = None
    excluded: npt.NDArray[Any] = field(default_factory=lambda: np.array([], dtype=object))

    @property
    def n_used(self) -> int:
        """Number of people analysed (complete pairs)."""
        return int(self.pre.size)

    @classmethod
    def from_wide(
        cls,
        pre: Scores,
        post: Scores,
        *,
        ids: Sequence[Any] | npt.ArrayLike | None = None,
        group: Sequence[Any] | npt.ArrayLike | None = None,
    ) -> ChangeData:
        """Pairs of pre and post scores (NaN or None marks a missing score)."""
        pre_a = _float_array("pre", _none_to_nan(pre))
        post_a = _float_array("post", _none_to_nan(post))
        n = pre_a.size
        if post_a.size != n:
            raise ChangeInputError(f"pre has {n} values but post has {post_a.size}")
        id_a = np.arange(n) if ids is None else np.asarray(ids, dtype=object)
        if id_a.shape != (n,):
            raise ChangeInputError(f"ids: expected {n} values, got shape {id_a.shape}")
        group_a = None if group is None else np.asarray(group, dtype=object)
        if group_a is not None and group_a.shape != (n,):
            raise ChangeInputError(f"group: expected {n} values, got shape {group_a.shape}")
        ok = ~np.isnan(pre_a) & ~np.isnan(post_a)
        return cls(
            ids=id_a[ok],
            pre=pre_a[ok],
            post=post_a[ok],
            group=None if group_a is None else group_a[ok],
            n_original=n,
            excluded=id_a[~ok],
        )

    @classmethod
    def from_long(
        cls,
        ids: Sequence[Any] | npt.ArrayLike,
        times: npt.ArrayLike,
        outcomes: Scores,
        *,
        pre: float | None = None,
        post: float | None = None,
        group: Sequence[Any] | npt.ArrayLike | None = None,
    ) -> ChangeData:
        """Long data: one row per person and time.

        ``pre`` and ``post`` are values of ``times``; without them the data
        must have exactly two distinct times. Times must be numeric (the HLM
        method uses them as the time axis).
        """
        id_a = np.asarray(ids, dtype=object)
        t_a = _float_array("times", times)
        y_a = _float_array("outcomes", _none_to_nan(outcomes))
        n = id_a.size
        if id_a.ndim != 1 or t_a.size != n or y_a.size != n:
            raise ChangeInputError(
                f"ids, times and outcomes must have the same length ({n}, {t_a.size}, {y_a.size})"
            )
        if np.isnan(t_a).any():
            raise ChangeInputError(f"times: row {int(np.flatnonzero(np.isnan(t_a))[0])} is missing")
        group_a = None if group is None else np.asarray(group, dtype=object)
        if group_a is not None and group_a.shape != (n,):
            raise ChangeInputError(f"group: expected {n} values, got shape {group_a.shape}")
        unique_times = np.unique(t_a)
        if pre is None and post is None:
            if unique_times.size != 2:
                raise ChangeInputError(
                    f"the data have {unique_times.size} time points; give pre= and post="
                )
            pre, post = float(unique_times[0]), float(unique_times[1])
        if pre is None or post is None:
            raise ChangeInputError("give both pre= and post=, or neither")
        for name, value in (("pre", pre), ("post", post)):
            if value not in unique_times:
                raise ChangeInputError(
                    f"{name}={value!r} is not one of the times {unique_times.tolist()}"
                )
        # order by id (first appearance) then time
        _, first, inverse = np.unique(id_a.astype(str), return_index=True, return_inverse=True)
        appearance = np.argsort(np.argsort(first))
        key = appearance[inverse]
        order = np.lexsort((t_a, key))
        key_s, t_s, y_s, id_s = key[order], t_a[order], y_a[order], id_a[order]
        dup = (np.diff(key_s) == 0) & (np.diff(t_s) == 0)
        if dup.any():
            row = int(order[np.flatnonzero(dup)[0] + 1])
            raise ChangeInputError(
                f"row {row}: a second row for id {id_a[row]!r} at time {t_a[row]:g}"
            )
        if group_a is not None:
            g_s = group_a[order].astype(str)
            changes = (np.diff(key_s) == 0) & (g_s[1:] != g_s[:-1])
            if changes.any():
                row = int(order[np.flatnonzero(changes)[0] + 1])
                raise ChangeInputError(f"row {row}: id {id_a[row]!r} has more than one group")
        starts = np.flatnonzero(np.r_[True, np.diff(key_s) != 0]).astype(np.int64)
        n_people = starts.size
        person_ids = id_s[starts]
        pre_v = np.full(n_people, np.nan)
        post_v = np.full(n_people, np.nan)
        person = np.cumsum(np.r_[True, np.diff(key_s) != 0]) - 1
        at_pre, at_post = t_s == pre, t_s == post
        pre_v[person[at_pre]] = y_s[at_pre]
        post_v[person[at_post]] = y_s[at_post]
        groups = None if group_a is None else group_a[order][starts]
        keep = ~np.isnan(y_s)
        long = _long_series(id_s[keep], t_s[keep], y_s[keep], key_s[keep])
        ok = ~np.isnan(pre_v) & ~np.isnan(post_v)
        return cls(
            ids=person_ids[ok],
            pre=pre_v[ok],
            post=post_v[ok],
            group=None if groups is None else groups[ok],
            n_original=n_people,
            long=long,
            excluded=person_ids[~ok],
        )


def _long_series(
    ids: ObjArray, time: FloatArray, outcome: FloatArray, key: npt.NDArray[np.int64]
) -> LongSeries:
    starts = np.flatnonzero(np.r_[True, np.diff(key) != 0]).astype(np.int64) if key.size else key
    return LongSeries(ids=ids, time=time, outcome=outcome, starts=starts)


def _none_to_nan(values: Scores) -> npt.ArrayLike:
    if isinstance(values, list | tuple):
        return [np.nan if v is None else v for v in values]
    return values  # type: ignore[return-value]


def _data(pre: npt.ArrayLike | ChangeData, post: npt.ArrayLike | None) -> ChangeData:
    if isinstance(pre, ChangeData):
        if post is not None:
            raise ChangeInputError("give either a ChangeData or pre and post arrays, not both")
        return pre
    if post is None:
        raise ChangeInputError("post scores are missing: give pre and post, or a ChangeData")
    return ChangeData.from_wide(pre, post)


# --- results --------------------------------------------------------------------


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


# --- shared pieces ----------------------------------------------------------------


def _direction(higher_is_better: bool) -> int:
    if not isinstance(higher_is_better, bool):
        raise ChangeInputError("higher_is_better must be True or False")
    return 1 if higher_is_better else -1


def _check_probability(name: str, value: float | None, *, inclusive_one: bool = False) -> None:
    if value is None:
        return
    ok = 0 < value <= 1 if inclusive_one else 0 < value < 1
    if isinstance(value, bool) or not isinstance(value, int | float) or not ok:
        bound = "(0, 1]" if inclusive_one else "(0, 1)"
        raise ChangeInputError(f"{name} must be a number in {bound}, got {value!r}")


def _need_people(data: ChangeData, minimum: int = 2) -> None:
    if data.n_used < minimum:
        raise ChangeInputError(
            f"only {data.n_used} complete pre/post pairs (of {data.n_original}); "
            f"at least {minimum} are needed"
        )


@dataclass(frozen=True)
class _Distribution:
    rci: FloatArray
    improved: BoolArray
    deteriorated: BoolArray
    z: float
    r_dd: float | None
    sem: float | None
    pre: FloatArray
    post: FloatArray
    extra: dict[str, Any]


def _distribution(
    data: ChangeData,
    *,
    method: Method,
    direction: int,
    reliability: float | None,
    reliability_post: float | None,
    alpha: float,
    critical_value: float | None,
    inclusive: bool,
) -> _Distribution:
    if method not in METHODS:
        raise ChangeInputError(f"method must be one of {list(METHODS)}, got {method!r}")
    _check_probability("alpha", alpha)
    z = critical_value
    if z is None:
        z = _k.critical_value(alpha, one_sided=method == "HA")
    if method == "HLM":
        return _hlm(data, direction=direction, z=z, inclusive=inclusive)
    if reliability is None:
        raise ChangeInputError(f"method {method} needs reliability=")
    _check_probability("reliability", reliability)
    _check_probability("reliability_post", reliability_post)
    _need_people(data)
    desc = _k.descriptives(data.pre, data.post)
    if not desc.sd_pre > 0:
        raise ChangeInputError("the pre scores have no variance; the RCI is undefined")
    res = _k.rci(method, data.pre, data.post, desc, reliability, reliability_post)
    imp, det = _k.rci_flags(res.rci, direction=direction, z=z, inclusive=inclusive)
    return _Distribution(res.rci, imp, det, z, res.r_dd, res.sem, data.pre, data.post, {})


def _hlm(data: ChangeData, *, direction: int, z: float, inclusive: bool) -> _Distribution:
    from fit_scores._core.mixed import fit_random_slope

    long = data.long
    if long is None:
        raise ChangeInputError("method HLM needs long data: use ChangeData.from_long(...)")
    counts = np.diff(np.r_[long.starts, long.time.size])
    enough = counts >= 3
    if enough.sum() < 2:
        raise ChangeInputError("method HLM needs at least two people with 3 or more scores")
    person_of_row = np.repeat(np.arange(long.starts.size), counts)
    rows = enough[person_of_row]
    time, y = long.time[rows], long.outcome[rows]
    kept_counts = counts[enough]
    starts = np.r_[0, np.cumsum(kept_counts)[:-1]].astype(np.int64)
    x = np.column_stack([np.ones_like(time), time])
    fit = fit_random_slope(y, x, time, starts, reml=True)
    rci = fit.ranef[:, 1] / np.sqrt(fit.ranef_cov[:, 1, 1])
    imp, det = _k.rci_flags(rci, direction=direction, z=z, inclusive=inclusive)
    first = y[starts]
    last = y[starts + kept_counts - 1]
    ids = long.ids[long.starts[enough]]
    return _Distribution(
        rci,
        imp,
        det,
        z,
        None,
        None,
        first,
        last,
        {"hlm_fit": fit, "hlm_ids": ids},
    )


def _cutoff(
    data_pre: FloatArray,
    *,
    cutoff_type: Literal["a", "b", "c"],
    cutoff_method: Literal["JT", "HA"],
    direction: int,
    m_clinical: float | None,
    sd_clinical: float | None,
    m_functional: float | None,
    sd_functional: float | None,
    reliability: float | None,
    mode: Mode,
) -> CutoffInfo:
    if cutoff_type not in ("a", "b", "c"):
        raise ChangeInputError(f"cutoff_type must be 'a', 'b' or 'c', got {cutoff_type!r}")
    if cutoff_method not in ("JT", "HA"):
        raise ChangeInputError(f"cutoff_method must be 'JT' or 'HA', got {cutoff_method!r}")
    supplied = m_clinical is not None or sd_clinical is not None
    if mode == "compat" and supplied:
        raise ChangeInputError(
            "mode='compat' takes the clinical norms from the sample's pre scores, as the R "
            "package does; m_clinical/sd_clinical cannot be supplied"
        )
    if supplied and (m_clinical is None or sd_clinical is None):
        raise ChangeInputError("give both m_clinical and sd_clinical, or neither")
    if cutoff_type != "a" and (m_functional is None or sd_functional is None):
        raise ChangeInputError(f"cutoff {cutoff_type!r} needs m_functional= and sd_functional=")
    for name, value in (("sd_clinical", sd_clinical), ("sd_functional", sd_functional)):
        if value is not None and not value > 0:
            raise ChangeInputError(f"{name} must be positive, got {value!r}")
    if cutoff_method == "HA":
        if reliability is None:
            raise ChangeInputError("Hageman-Arrindell cutoffs need reliability=")
        _check_probability("reliability", reliability)
    if m_clinical is None or sd_clinical is None:
        m_c = float(np.mean(data_pre))
        s_c = float(np.std(data_pre, ddof=1))
        source: Literal["sample", "supplied"] = "sample"
    else:
        m_c, s_c, source = float(m_clinical), float(sd_clinical), "supplied"
    value = _k.cutoff_value(
        cutoff_type,
        cutoff_method,
        direction=direction,
        m_clinical=m_c,
        sd_clinical=s_c,
        m_functional=m_functional,
        sd_functional=sd_functional,
        reliability=reliability,
        b_uses="clinical" if mode == "compat" else "functional",
    )
    return CutoffInfo(
        type=cutoff_type,
        method=cutoff_method,
        value=value,
        m_clinical=m_c,
        sd_clinical=s_c,
        m_functional=m_functional,
        sd_functional=sd_functional,
        clinical_norms_from=source,
    )


def _categorise3(improved: BoolArray, deteriorated: BoolArray) -> npt.NDArray[np.int8]:
    return _k.categorise(improved, deteriorated)


def _check_mode(mode: str) -> Mode:
    if mode not in ("default", "compat"):
        raise ChangeInputError(f"mode must be 'default' or 'compat', got {mode!r}")
    return "default" if mode == "default" else "compat"


def _inclusive(comparison: str, mode: Mode) -> bool:
    if comparison not in ("strict", "inclusive"):
        raise ChangeInputError(f"comparison must be 'strict' or 'inclusive', got {comparison!r}")
    if mode == "compat" and comparison != "strict":
        raise ChangeInputError("mode='compat' uses strict comparisons, as the R package")
    return comparison == "inclusive"


def _at_cutoff(at_cutoff: str, mode: Mode) -> _k.AtCutoff:
    if at_cutoff not in ("functional", "clinical"):
        raise ChangeInputError(f"at_cutoff must be 'functional' or 'clinical', got {at_cutoff!r}")
    if mode == "compat":
        return "neither"
    return "functional" if at_cutoff == "functional" else "clinical"


# --- public API -------------------------------------------------------------------


def reliable_change(
    pre: npt.ArrayLike | ChangeData,
    post: npt.ArrayLike | None = None,
    *,
    higher_is_better: bool,
    reliability: float | None = None,
    method: Method = "JT",
    reliability_post: float | None = None,
    alpha: float = 0.05,
    critical_value: float | None = None,
    comparison: Literal["strict", "inclusive"] = "strict",
    mode: Mode = "default",
) -> ChangeTable:
    """Distribution-based change: reliable change index per person.

    Parameters
    ----------
    pre, post : array_like or ChangeData
        Pre and post scores (NaN marks a missing score; such pairs are left
        out and counted), or a :class:`ChangeData` (needed for ``"HLM"``).
    higher_is_better : bool
        Direction of the scale (ORS/SRS: ``True``).
    reliability : float
        Reliability of the measure (not needed for ``"HLM"``).
    method : {"JT", "GLN", "HLL", "EN", "NK", "HA", "HLM"}
        The RCI method (see the methods page of the docs for every formula).
    reliability_post : float, optional
        Post reliability for ``"NK"`` (defaults to ``reliability``).
    alpha : float
        Significance level; the critical value is ``qnorm(1 - alpha/2)``,
        one-sided ``qnorm(1 - alpha)`` for ``"HA"``.
    critical_value : float, optional
        Overrides the critical value.
    comparison : {"strict", "inclusive"}
        Whether ``|RCI|`` must exceed the critical value or may equal it.
    mode : {"default", "compat"}
        ``"compat"`` reproduces the R package clinicalsignificance 3.0.0.

    Returns
    -------
    ChangeTable
        Categories improved / unchanged / deteriorated.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12-19.
    Hageman, W. J. J. M., & Arrindell, W. A. (1999). *Behav Res Ther*, 37, 1169-1193.

    Examples
    --------
    >>> t = reliable_change([20, 18, 25, 30], [28, 19, 24, 20], higher_is_better=True,
    ...                     reliability=0.93)
    >>> t.category.tolist()
    ['improved', 'unchanged', 'unchanged', 'deteriorated']
    """
    mode = _check_mode(mode)
    data = _data(pre, post)
    d = _direction(higher_is_better)
    dist = _distribution(
        data,
        method=method,
        direction=d,
        reliability=reliability,
        reliability_post=reliability_post,
        alpha=alpha,
        critical_value=critical_value,
        inclusive=_inclusive(comparison, mode),
    )
    ids, group = _ids_and_group(data, dist)
    return ChangeTable(
        approach="distribution",
        method=method,
        mode=mode,
        higher_is_better=higher_is_better,
        ids=ids,
        pre=dist.pre,
        post=dist.post,
        codes=_categorise3(dist.improved, dist.deteriorated),
        categories=THREE,
        group=group,
        n_original=data.n_original,
        rci=dist.rci,
        critical_value=dist.z,
        reliability=reliability,
        reliability_post=reliability_post,
        extra=dist.extra,
    )


def _ids_and_group(data: ChangeData, dist: _Distribution) -> tuple[ObjArray, ObjArray | None]:
    if "hlm_ids" not in dist.extra:
        return data.ids, data.group
    ids: ObjArray = dist.extra["hlm_ids"]
    if data.group is None:
        return ids, None
    lookup = dict(zip(data.ids.tolist(), data.group.tolist(), strict=True))
    return ids, np.array([lookup.get(i) for i in ids.tolist()], dtype=object)


def cutoff_change(
    pre: npt.ArrayLike | ChangeData,
    post: npt.ArrayLike | None = None,
    *,
    higher_is_better: bool,
    cutoff_type: Literal["a", "b", "c"] | None = None,
    cutoff_method: Literal["JT", "HA"] = "JT",
    m_functional: float | None = None,
    sd_functional: float | None = None,
    m_clinical: float | None = None,
    sd_clinical: float | None = None,
    reliability: float | None = None,
    alpha: float = 0.05,
    at_cutoff: Literal["functional", "clinical"] = "functional",
    mode: Mode = "default",
) -> ChangeTable:
    """Statistical change: whether each person moved from the clinical to the functional range.

    Improved: clinical at pre and functional at post; deteriorated: not
    clinical at pre and not functional at post; otherwise unchanged. With
    ``cutoff_method="HA"`` the Hageman-Arrindell individual test decides
    (one-sided critical value).

    Parameters
    ----------
    cutoff_type : {"a", "b", "c"}, optional
        Default ``"c"`` when functional norms are given, else ``"a"``
        (``"a"`` always in compat mode, as the R package).
    m_functional, sd_functional : float, optional
        Functional (non-clinical) population norms.
    m_clinical, sd_clinical : float, optional
        Clinical norms; default: the sample's pre scores (compat: always).
    at_cutoff : {"functional", "clinical"}
        Where a score exactly at the cutoff belongs (default mode only).

    Examples
    --------
    >>> t = cutoff_change([20, 18, 26], [26, 19, 24], higher_is_better=True, cutoff_type="c",
    ...                   m_functional=28.0, sd_functional=6.8, m_clinical=19.6, sd_clinical=8.7)
    >>> round(t.cutoff.value, 2), t.category.tolist()
    (24.31, ['improved', 'unchanged', 'deteriorated'])
    """
    mode = _check_mode(mode)
    data = _data(pre, post)
    _need_people(data)
    d = _direction(higher_is_better)
    ctype = _default_cutoff_type(cutoff_type, m_functional, mode)
    cut = _cutoff(
        data.pre,
        cutoff_type=ctype,
        cutoff_method=cutoff_method,
        direction=d,
        m_clinical=m_clinical,
        sd_clinical=sd_clinical,
        m_functional=m_functional,
        sd_functional=sd_functional,
        reliability=reliability,
        mode=mode,
    )
    where = _at_cutoff(at_cutoff, mode)
    if cutoff_method == "HA":
        assert reliability is not None  # checked in _cutoff
        z = _k.critical_value(alpha, one_sided=True)
        desc = _k.descriptives(data.pre, data.post)
        clin, func, clin_post = _k.ha_caseness(
            data.pre,
            data.post,
            cut.value,
            direction=d,
            z=z,
            desc=desc,
            reliability=reliability,
            at_cutoff=where,
        )
        improved, deteriorated = func, clin_post
    else:
        z = None
        clin, func = _k.caseness(data.pre, data.post, cut.value, direction=d, at_cutoff=where)
        improved, deteriorated = clin & func, ~clin & ~func
    return ChangeTable(
        approach="statistical",
        method=cutoff_method,
        mode=mode,
        higher_is_better=higher_is_better,
        ids=data.ids,
        pre=data.pre,
        post=data.post,
        codes=_categorise3(improved, deteriorated),
        categories=THREE,
        group=data.group,
        n_original=data.n_original,
        critical_value=z,
        reliability=reliability,
        clinical_pre=clin,
        functional_post=func,
        cutoff=cut,
    )


def _default_cutoff_type(
    cutoff_type: Literal["a", "b", "c"] | None, m_functional: float | None, mode: Mode
) -> Literal["a", "b", "c"]:
    if cutoff_type is not None:
        return cutoff_type
    if mode == "compat" or m_functional is None:
        return "a"
    return "c"


def clinical_significance(
    pre: npt.ArrayLike | ChangeData,
    post: npt.ArrayLike | None = None,
    *,
    higher_is_better: bool,
    reliability: float | None = None,
    method: Method = "JT",
    reliability_post: float | None = None,
    cutoff_type: Literal["a", "b", "c"] | None = None,
    cutoff_method: Literal["JT", "HA"] | None = None,
    m_functional: float | None = None,
    sd_functional: float | None = None,
    m_clinical: float | None = None,
    sd_clinical: float | None = None,
    mid_improvement: float | None = None,
    mid_deterioration: float | None = None,
    alpha: float = 0.05,
    critical_value: float | None = None,
    comparison: Literal["strict", "inclusive"] = "strict",
    at_cutoff: Literal["functional", "clinical"] = "functional",
    non_reliable_recovery: bool = False,
    mode: Mode = "default",
) -> ChangeTable:
    """Combined approach (Jacobson & Truax 1991): reliable change and a cutoff.

    Recovered: clinical at pre, functional at post, reliably improved.
    Improved / unchanged / deteriorated: the rest by the RCI. Harmed: not
    clinical at pre, not functional at post, reliably deteriorated. With
    ``non_reliable_recovery=True`` (default mode only) people who crossed the
    cutoff without reliable change are labelled ``"non_reliably_recovered"``
    (as JTRCI does) instead of unchanged. With ``mid_improvement`` an anchor
    (minimal important difference) replaces the RCI.

    Parameters are those of :func:`reliable_change` and :func:`cutoff_change`;
    ``cutoff_method`` defaults to ``"HA"`` for ``method="HA"``, else ``"JT"``.

    Examples
    --------
    >>> t = clinical_significance([15, 18, 26, 30], [27, 20, 32, 21], higher_is_better=True,
    ...                           reliability=0.93, cutoff_type="c", m_functional=28.0,
    ...                           sd_functional=6.8, m_clinical=19.6, sd_clinical=8.7)
    >>> t.category.tolist()
    ['recovered', 'unchanged', 'improved', 'harmed']
    """
    mode = _check_mode(mode)
    data = _data(pre, post)
    d = _direction(higher_is_better)
    inclusive = _inclusive(comparison, mode)
    if mid_improvement is not None:
        if mid_improvement <= 0 or (mid_deterioration is not None and mid_deterioration <= 0):
            raise ChangeInputError("mid_improvement and mid_deterioration must be positive")
        _need_people(data)
        improved, deteriorated = _k.anchor_flags(
            data.pre,
            data.post,
            direction=d,
            mid_improvement=mid_improvement,
            mid_deterioration=mid_improvement if mid_deterioration is None else mid_deterioration,
        )
        dist = _Distribution(
            np.full(data.pre.shape, np.nan),
            improved,
            deteriorated,
            math.nan,
            None,
            None,
            data.pre,
            data.post,
            {},
        )
        label: str = "anchor"
    else:
        if mode == "compat" and method == "NK" and reliability_post is None:
            raise ChangeInputError(
                "method NK in the combined approach needs reliability_post= "
                "(the R package fails without it)"
            )
        dist = _distribution(
            data,
            method=method,
            direction=d,
            reliability=reliability,
            reliability_post=reliability_post,
            alpha=alpha,
            critical_value=critical_value,
            inclusive=inclusive,
        )
        label = method
    c_method: Literal["JT", "HA"] = cutoff_method or (
        "HA" if method == "HA" and mid_improvement is None else "JT"
    )
    cut = _cutoff(
        data.pre,
        cutoff_type=_default_cutoff_type(cutoff_type, m_functional, mode),
        cutoff_method=c_method,
        direction=d,
        m_clinical=m_clinical,
        sd_clinical=sd_clinical,
        m_functional=m_functional,
        sd_functional=sd_functional,
        reliability=reliability,
        mode=mode,
    )
    where = _at_cutoff(at_cutoff, mode)
    x1, x2 = dist.pre, dist.post
    if c_method == "HA":
        assert reliability is not None
        desc = _k.descriptives(data.pre, data.post)
        z_ha = _k.critical_value(alpha, one_sided=True)
        clin, func, _ = _k.ha_caseness(
            x1,
            x2,
            cut.value,
            direction=d,
            z=z_ha,
            desc=desc,
            reliability=reliability,
            at_cutoff=where,
        )
    else:
        clin, func = _k.caseness(x1, x2, cut.value, direction=d, at_cutoff=where)
    if non_reliable_recovery and mode == "compat":
        raise ChangeInputError("the R package has no non-reliably-recovered category")
    codes = _k.categorise(
        dist.improved, dist.deteriorated, clin, func, non_reliable_recovery=non_reliable_recovery
    )
    categories = FIVE_NRR if non_reliable_recovery else FIVE
    ha_group = None
    if (
        method == "HA"
        and mid_improvement is None
        and dist.r_dd is not None
        and dist.sem is not None
    ):
        changed, functional = _k.ha_group_level(
            x2 - x1, x2, cut.value, direction=d, r_dd=dist.r_dd, sem=dist.sem
        )
        ha_group = {"changed": changed, "functional": functional}
    ids, group = _ids_and_group(data, dist)
    return ChangeTable(
        approach="combined",
        method=label,
        mode=mode,
        higher_is_better=higher_is_better,
        ids=ids,
        pre=x1,
        post=x2,
        codes=codes,
        categories=categories,
        group=group,
        n_original=data.n_original,
        rci=None if mid_improvement is not None else dist.rci,
        critical_value=None if mid_improvement is not None else dist.z,
        reliability=reliability,
        reliability_post=reliability_post,
        clinical_pre=clin,
        functional_post=func,
        cutoff=cut,
        ha_group_level=ha_group,
        extra=dist.extra,
    )


def percentage_change(
    pre: npt.ArrayLike | ChangeData,
    post: npt.ArrayLike | None = None,
    *,
    higher_is_better: bool,
    improvement: float,
    deterioration: float | None = None,
    mode: Mode = "default",
) -> ChangeTable:
    """Percentage change ``(post - pre) / pre`` against thresholds (inclusive).

    Improved if the change in the better direction is at least
    ``improvement`` (e.g. 0.5 = 50 %), deteriorated if in the worse direction
    at least ``deterioration`` (default: ``improvement``). A pre score of 0 has
    no percentage: by default the direction of the move decides; compat mode
    copies the R package (any post > 0 improved, < 0 deteriorated).

    Examples
    --------
    >>> percentage_change([20, 20, 20], [9, 12, 25], higher_is_better=False,
    ...                   improvement=0.5).category.tolist()
    ['improved', 'unchanged', 'unchanged']
    """
    mode = _check_mode(mode)
    data = _data(pre, post)
    d = _direction(higher_is_better)
    det = improvement if deterioration is None else deterioration
    for name, value in (("improvement", improvement), ("deterioration", det)):
        if not 0 <= value <= 1:
            raise ChangeInputError(f"{name} must be in [0, 1], got {value!r}")
    imp_f, det_f = _k.percentage_flags(
        data.pre,
        data.post,
        direction=d,
        improvement=improvement,
        deterioration=det,
        compat_zero_rule=mode == "compat",
    )
    return ChangeTable(
        approach="percentage",
        method=None,
        mode=mode,
        higher_is_better=higher_is_better,
        ids=data.ids,
        pre=data.pre,
        post=data.post,
        codes=_categorise3(imp_f, det_f),
        categories=THREE,
        group=data.group,
        n_original=data.n_original,
        extra={"improvement": improvement, "deterioration": det},
    )


def anchor_change(
    pre: npt.ArrayLike | ChangeData,
    post: npt.ArrayLike | None = None,
    *,
    higher_is_better: bool,
    mid_improvement: float,
    mid_deterioration: float | None = None,
) -> ChangeTable:
    """Anchor-based change: raw change against a minimal important difference (inclusive).

    Examples
    --------
    >>> anchor_change([20, 20, 20], [27, 25, 13], higher_is_better=True,
    ...               mid_improvement=7).category.tolist()
    ['improved', 'unchanged', 'deteriorated']
    """
    data = _data(pre, post)
    d = _direction(higher_is_better)
    mid_det = mid_improvement if mid_deterioration is None else mid_deterioration
    if not mid_improvement > 0 or not mid_det > 0:
        raise ChangeInputError("mid_improvement and mid_deterioration must be positive")
    imp_f, det_f = _k.anchor_flags(
        data.pre, data.post, direction=d, mid_improvement=mid_improvement, mid_deterioration=mid_det
    )
    return ChangeTable(
        approach="anchor",
        method=None,
        mode="default",
        higher_is_better=higher_is_better,
        ids=data.ids,
        pre=data.pre,
        post=data.post,
        codes=_categorise3(imp_f, det_f),
        categories=THREE,
        group=data.group,
        n_original=data.n_original,
        extra={"mid_improvement": mid_improvement, "mid_deterioration": mid_det},
    )
