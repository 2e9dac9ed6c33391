"""Per-track kernels: caseness, change between two scores, alliance signals.

These are the summary rules of a track, written once on arrays. The batch
summary (:meth:`fit_scores.ScoreTable.summarize`) applies them to every track
of a table at once (segments given by start offsets); the single-track API
(:meth:`fit_scores.Track.change`, :meth:`fit_scores.Track.alliance_signals`)
applies them to one segment. All comparisons are exact, on totals held as
fractions ``num / den`` of ticks of the scale's resolution.

Scales are passed as a sequence with a per-row (or per-track) index into it,
raters as codes into :data:`RATERS`, ages as whole years with ``-1`` for
unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from fit_scores._core import alliance as _alliance
from fit_scores._core import change as _change
from fit_scores._core import segments as _seg
from fit_scores._core import ticks as _ticks
from fit_scores._core.rules import RATERS
from fit_scores.scales.model import AGE_BANDS, Scale

__all__ = [
    "BANDS",
    "RATERS",
    "SIGNALS",
    "AllianceThresholds",
    "ChangeColumns",
    "alliance_flags",
    "band_codes",
    "caseness",
    "change_columns",
    "recovery_judged",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Age bands, in code order (see :data:`fit_scores.AGE_BANDS`).
BANDS: tuple[str, ...] = tuple(band for band, _, _ in AGE_BANDS)
#: The alliance signals computed per administration, in reporting order.
SIGNALS: tuple[str, ...] = ("below_cutoff", "drop", "item_below", "ceiling")

_BAND_FIRST = np.array([first for _, first, _ in AGE_BANDS], dtype=np.int64)
_UNKNOWN_BAND = len(BANDS)


def band_codes(age: npt.ArrayLike) -> IntArray:
    """Age band codes (index into :data:`BANDS`); ``len(BANDS)`` where the age is unknown (-1).

    Examples
    --------
    >>> band_codes([-1, 5, 12, 13, 40]).tolist()
    [4, 0, 1, 2, 3]
    """
    a = np.asarray(age, dtype=np.int64)
    band = np.searchsorted(_BAND_FIRST, np.maximum(a, 0), side="right") - 1
    out: IntArray = np.where(a >= 0, band, _UNKNOWN_BAND).astype(np.int64)
    return out


def caseness(
    scales: Sequence[Scale],
    scale_index: IntArray,
    rater_code: npt.NDArray[Any],
    age: IntArray,
    num: IntArray,
    den: IntArray,
    *,
    cutoff: float | None = None,
) -> npt.NDArray[np.int8]:
    """Caseness of scored totals: 1 clinical, 0 not, -1 unknown.

    Each total is judged against the cutoff of its own scale, rater and age
    band (:meth:`Scale.cutoff_for <fit_scores.Scale.cutoff_for>`: with the age
    unknown, the cutoff all bands share, if they share one), or against
    ``cutoff`` when given (then a total exactly at it is not clinical). Unknown
    (-1) means no published cutoff applies: the age is unknown and the bands
    differ, or nothing is published for the band and rater.

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores import get_scale
    >>> ors = get_scale("ORS")
    >>> caseness([ors], np.zeros(3, np.int64), np.zeros(3, np.int8),
    ...          np.array([40, 15, -1]), np.array([250, 250, 250]), np.ones(3, np.int64)).tolist()
    [0, 1, -1]
    """
    n = scale_index.size
    out = np.full(n, -1, dtype=np.int8)
    if n == 0:
        return out
    n_bands = _UNKNOWN_BAND + 1
    group = (scale_index * len(RATERS) + rater_code.astype(np.int64)) * n_bands + band_codes(age)
    for g in np.unique(group).tolist():
        s, rest = divmod(int(g), len(RATERS) * n_bands)
        r, b = divmod(rest, n_bands)
        scale = scales[s]
        if cutoff is not None:
            threshold = _ticks.threshold_ticks(cutoff, scale.ticks_per_unit)
            at_clinical = False
        else:
            # an age in the band that the scale is meant for stands for the band
            band_age = None if b == _UNKNOWN_BAND else max(int(_BAND_FIRST[b]), scale.min_age)
            cut = scale.cutoff_for(age=band_age, rater=cast("Any", RATERS[r]))
            if cut is None or cut.value is None:
                continue
            threshold = scale.cutoff_ticks(cut)
            at_clinical = cut.at_cutoff == "clinical"
        where = np.flatnonzero(group == g)
        out[where] = _ticks.is_clinical(
            num[where],
            den[where],
            threshold.numerator,
            threshold.denominator,
            higher_is_better=scale.higher_is_better,
            at_cutoff_clinical=at_clinical,
        )
    return out


@dataclass(frozen=True, eq=False)
class ChangeColumns:
    """Change from a first to a second score, per track (see :func:`change_columns`)."""

    change_num: IntArray
    """The change ``post - pre`` in ticks, as ``change_num / change_den``."""
    change_den: IntArray
    rc_known: BoolArray
    """The scale has a published reliable-change criterion (else no category)."""
    reliable: BoolArray
    better: BoolArray
    """Reliable change in the better direction."""
    worse: BoolArray
    category: IntArray
    """Index into :data:`fit_scores._core.change.CATEGORIES`; -1 without a criterion."""


def recovery_judged(
    scales: Sequence[Scale],
    scale_index: IntArray,
    rater_code: npt.NDArray[Any],
    age_pre: IntArray,
    age_post: IntArray,
) -> BoolArray:
    """Whether recovery (crossing the cutoff) can be judged: false where it needs an unknown age.

    A change's category can say *recovered* or *harmed* only with a cutoff at
    both times. Where the scale publishes cutoffs for the rater that differ
    between age bands (the ORS: 28 for ages 13-17, 25 for adults) and the age
    is unknown (-1) at either time, no cutoff applies and the category rests on
    reliable change alone: recovery cannot be judged, and such a track must
    not be counted as "not recovered". A scale without any published cutoff
    for the rater, or with one shared by all bands, is judged as it is.

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores import get_scale
    >>> ors, srs = get_scale("ORS"), get_scale("SRS")
    >>> recovery_judged([ors, srs], np.array([0, 0, 1]), np.zeros(3, np.int8),
    ...                 np.array([40, -1, -1]), np.array([40, 40, -1])).tolist()
    [True, False, True]
    """
    n = scale_index.size
    needs_age = np.zeros((len(scales), len(RATERS)), dtype=bool)
    for s, scale in enumerate(scales):
        for r, rater in enumerate(RATERS):
            if rater not in scale.raters:
                continue
            published = any(c.rater == rater and c.value is not None for c in scale.cutoffs)
            needs_age[s, r] = published and scale.cutoff_for(age=None, rater=rater) is None
    if n == 0:
        return np.ones(0, dtype=bool)
    depends = needs_age[scale_index, rater_code.astype(np.int64)]
    judged: BoolArray = ~(depends & ((age_pre < 0) | (age_post < 0)))
    return judged


def change_columns(
    scales: Sequence[Scale],
    scale_index: IntArray,
    pre_num: IntArray,
    pre_den: IntArray,
    post_num: IntArray,
    post_den: IntArray,
    clinical_pre: npt.NDArray[np.int8],
    clinical_post: npt.NDArray[np.int8],
    *,
    compared: BoolArray,
    non_reliable_recovery: bool = False,
) -> ChangeColumns:
    """Reliable change and the change category of pairs of scores, exactly in ticks.

    The reliable-change criterion is the scale's (fixed points, or computed
    from SD and reliability); the category is the combined scheme of Jacobson
    & Truax (1991) where the caseness at both scores is known (``clinical_*``
    1 or 0, see :func:`caseness`), else improved / unchanged / deteriorated by
    reliable change alone. Pairs where ``compared`` is false (fewer than two
    scores) are never reliable.

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores import get_scale
    >>> one = np.ones(1, np.int64)
    >>> c = change_columns([get_scale("ORS")], np.zeros(1, np.int64), np.array([195]), one,
    ...                    np.array([250]), one, np.array([1], np.int8), np.array([0], np.int8),
    ...                    compared=np.array([True]))
    >>> bool(c.reliable[0]), int(c.category[0])
    (True, 0)
    """
    n = scale_index.size
    change_num = post_num * pre_den - pre_num * post_den
    change_den = pre_den * post_den
    reliable = np.zeros(n, dtype=bool)
    rc_known = np.zeros(n, dtype=bool)
    for s, scale in enumerate(scales):
        rc = scale.reliable_change
        if rc is None or not rc.published:
            continue
        of_scale = scale_index == s
        sel = np.flatnonzero(of_scale & compared)
        threshold = rc.threshold_ticks(scale.ticks_per_unit)
        reliable[sel] = _ticks.meets_threshold(
            change_num[sel],
            change_den[sel],
            threshold.numerator,
            threshold.denominator,
            inclusive=rc.comparison == "inclusive",
        )
        rc_known[of_scale & compared] = True
    direction = np.array([1 if s.higher_is_better else -1 for s in scales], dtype=np.int64)
    signed = (direction[scale_index] if n else np.zeros(0, np.int64)) * np.sign(change_num)
    better = reliable & (signed > 0)
    worse = reliable & (signed < 0)
    known = (clinical_pre >= 0) & (clinical_post >= 0)
    with_caseness = _change.categorise(
        better,
        worse,
        clinical_pre == 1,
        clinical_post == 0,
        non_reliable_recovery=non_reliable_recovery,
    )
    without = _change.categorise(better, worse)
    category = np.where(known, with_caseness, without).astype(np.int64)
    category = np.where(rc_known, category, -1)
    return ChangeColumns(
        change_num=change_num,
        change_den=change_den,
        rc_known=rc_known,
        reliable=reliable,
        better=better,
        worse=worse,
        category=category,
    )


def _ceiling(repeats: int) -> Callable[[npt.NDArray[Any]], npt.NDArray[Any]]:
    def runs(flags: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return _alliance.ceiling_runs(flags, repeats)

    return runs


@dataclass(frozen=True)
class AllianceThresholds:
    """The numbers of the alliance rules (see :class:`fit_scores.AllianceRules`)."""

    cutoff: float | None
    """A fixed cutoff for every row, or ``None`` for each row's age band and rater."""
    drop: float
    item_below: float | None
    ceiling_repeats: int


def alliance_flags(
    scales: Sequence[Scale],
    scale_index: IntArray,
    rater_code: npt.NDArray[Any],
    age: IntArray,
    num: IntArray,
    den: IntArray,
    starts: IntArray,
    item_ticks: npt.NDArray[Any] | None,
    answered: BoolArray | None,
    rules: AllianceThresholds,
) -> dict[str, BoolArray]:
    """The alliance signals of every scored administration of alliance-scale tracks.

    The rows are the scored administrations of one or more tracks in time
    order, segments starting at ``starts``, all of one alliance scale per
    track. Flags (Duncan & Miller's SRS guidance as configured in
    :class:`fit_scores.AllianceRules`): ``below_cutoff`` (the total is on the
    clinical side of the cutoff), ``drop`` (at least ``drop`` points below the
    previous score of the same track), ``item_below`` (an answered item below
    ``item_below``; needs ``item_ticks`` and ``answered``, rows without items
    hold no answered item), ``ceiling`` (the maximum total ``ceiling_repeats``
    or more times in a row).

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores import get_scale
    >>> srs = get_scale("SRS")
    >>> two = np.zeros(2, np.int64)
    >>> flags = alliance_flags([srs], two, np.zeros(2, np.int8), np.array([40, 40]),
    ...                        np.array([380, 359]), np.ones(2, np.int64), np.array([0]),
    ...                        None, None, AllianceThresholds(None, 1.0, None, 2))
    >>> flags["below_cutoff"].tolist(), flags["drop"].tolist()
    ([False, True], [False, True])
    """
    n = scale_index.size
    flags = {name: np.zeros(n, dtype=bool) for name in SIGNALS}
    if n == 0:
        return flags
    flags["below_cutoff"] = (
        caseness(scales, scale_index, rater_code, age, num, den, cutoff=rules.cutoff) == 1
    )
    track_of = _seg.segment_ids(starts, n)
    for s, scale in enumerate(scales):
        rows = np.flatnonzero(scale_index == s)
        if rows.size == 0:
            continue
        tpu = scale.ticks_per_unit
        d = 1 if scale.higher_is_better else -1
        sub_starts = _seg.starts_of(track_of[rows])
        n_s, d_s = num[rows], den[rows]
        drop = _ticks.threshold_ticks(rules.drop, tpu)
        dropped = _alliance.drops(n_s, d_s, drop.numerator, drop.denominator, direction=d)
        dropped[sub_starts] = False
        flags["drop"][rows] = dropped
        if rules.item_below is not None and item_ticks is not None and answered is not None:
            limit = _ticks.threshold_ticks(rules.item_below, tpu)
            if limit.denominator == 1:
                m = scale.n_items
                k = min(m, item_ticks.shape[1])
                t = np.zeros((rows.size, m), dtype=np.int64)
                a = np.zeros((rows.size, m), dtype=bool)
                t[:, :k] = item_ticks[rows, :k]
                a[:, :k] = answered[rows, :k]
                flags["item_below"][rows] = _alliance.items_below(t, a, int(limit), direction=d)
        top = _ticks.threshold_ticks(scale.total_max if d == 1 else scale.total_min, tpu)
        at_max = _ticks.compare_fractions(n_s, d_s, top.numerator, top.denominator) == 0
        flags["ceiling"][rows] = _seg.insert_breaks(
            _ceiling(rules.ceiling_repeats), at_max, sub_starts, False
        )
    return flags
