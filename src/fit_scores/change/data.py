"""Input data of the change analyses: complete pre/post pairs and long series.

:class:`ChangeData` holds the pairs analysed (and counts the people left out
for a missing score); :class:`LongSeries` the long-format rows the HLM method
fits. Array and score inputs are checked here, with :class:`ChangeInputError
<fit_scores.errors.ChangeInputError>` for anything that is not a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from fit_scores._core import segments as _seg
from fit_scores.errors import ChangeInputError

__all__ = [
    "BoolArray",
    "ChangeData",
    "FloatArray",
    "LongSeries",
    "ObjArray",
    "Scores",
    "as_change_data",
]

FloatArray = npt.NDArray[np.float64]
Scores = npt.ArrayLike | Sequence[float | None]
"""Scores as an array or a sequence; NaN or ``None`` marks a missing score."""
BoolArray = npt.NDArray[np.bool_]
ObjArray = npt.NDArray[np.object_]


def _float_array(name: str, values: npt.ArrayLike) -> FloatArray:
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError, OverflowError) as exc:  # ragged or nested input
        raise ChangeInputError(f"{name}: expected a sequence of numbers ({exc})") from None
    if arr.dtype == np.bool_ or arr.dtype.kind in "US":
        raise ChangeInputError(f"{name}: expected numbers, got {arr.dtype} values")
    if arr.dtype.kind == "O" and not _all_numbers(arr):
        raise ChangeInputError(f"{name}: expected numbers (or None for missing)")
    try:
        out = np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError, OverflowError) as exc:
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
    group: ObjArray | None = None  # each id's group (one per start), also without pre or post


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
        key = appearance[inverse.reshape(-1)]
        order, starts = _seg.sort_segments(key, t_a)
        key_s, t_s, y_s, id_s = key[order], t_a[order], y_a[order], id_a[order]
        dup = _seg.segment_ties(t_s, starts)
        if dup.size:
            row = int(order[dup[0]])
            raise ChangeInputError(
                f"row {row}: a second row for id {id_a[row]!r} at time {t_a[row]:g}"
            )
        if group_a is not None:
            g_s = group_a[order].astype(str)
            differs = np.r_[False, g_s[1:] != g_s[:-1]]
            differs[starts] = False  # a new id may have another group
            if differs.any():
                row = int(order[np.flatnonzero(differs)[0]])
                raise ChangeInputError(f"row {row}: id {id_a[row]!r} has more than one group")
        n_people = starts.size
        person_ids = id_s[starts]
        pre_v = np.full(n_people, np.nan)
        post_v = np.full(n_people, np.nan)
        person = _seg.segment_ids(starts, n)
        at_pre, at_post = t_s == pre, t_s == post
        pre_v[person[at_pre]] = y_s[at_pre]
        post_v[person[at_post]] = y_s[at_post]
        groups = None if group_a is None else group_a[order][starts]
        keep = ~np.isnan(y_s)
        long = _long_series(id_s[keep], t_s[keep], y_s[keep], key_s[keep], groups)
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
    ids: ObjArray,
    time: FloatArray,
    outcome: FloatArray,
    key: npt.NDArray[np.int64],
    groups: ObjArray | None,
) -> LongSeries:
    """The rows with a score; ``groups`` holds one group per key (the person's appearance)."""
    starts = _seg.starts_of(key)
    group = None if groups is None else groups[key[starts]]
    return LongSeries(ids=ids, time=time, outcome=outcome, starts=starts, group=group)


def _none_to_nan(values: Scores) -> npt.ArrayLike:
    if isinstance(values, list | tuple):
        return [np.nan if v is None else v for v in values]
    return values  # type: ignore[return-value]


def as_change_data(pre: npt.ArrayLike | ChangeData, post: npt.ArrayLike | None) -> ChangeData:
    """``pre`` if it is a :class:`ChangeData`, else the pairs of the ``pre`` and ``post`` arrays."""
    if isinstance(pre, ChangeData):
        if post is not None:
            raise ChangeInputError("give either a ChangeData or pre and post arrays, not both")
        return pre
    if post is None:
        raise ChangeInputError("post scores are missing: give pre and post, or a ChangeData")
    return ChangeData.from_wide(pre, post)


# --- results --------------------------------------------------------------------
