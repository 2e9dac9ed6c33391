"""Figures per group for reports, from a track summary, with small cells suppressed."""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt

from fit_scores._core import change as _change_kernels
from fit_scores._core import segments as _seg
from fit_scores.errors import TableInputError
from fit_scores.io.columns import Codes
from fit_scores.io.writers import ColumnOutputs, split_masked
from fit_scores.table.container import BANDS, RATERS, STATUSES, masked

if TYPE_CHECKING:  # pragma: no cover
    from fit_scores.table.summary import TrackSummary

__all__ = [
    "AGGREGATE_COLUMNS",
    "Aggregate",
    "AggregateStatistics",
    "ExactSums",
    "aggregate_statistics",
    "aggregate_summary",
    "check_aggregate_options",
    "finish_aggregate",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]
AnyArray = npt.NDArray[Any]


@dataclass(frozen=True, eq=False, repr=False)
class Aggregate(ColumnOutputs):
    r"""Figures per group, from :meth:`TrackSummary.aggregate`; small cells suppressed.

    Columns are numpy arrays (``agg["recovered_share"]``); suppressed or
    undefined figures are masked (``None`` in the records, CSV and JSON).

    Intervals (at ``level``), each within the values its quantity can take:

    * **shares** (``*_share``): the Wilson score interval (Wilson 1927), which
      lies within [0, 1] by construction (exactly 0 at no hit, 1 at all hits);
    * **means of non-negative quantities** (``sessions``, ``days_in_contact``):
      the t interval of the log of the mean, transformed back,
      :math:`\bar x \exp(\mp t_{n-1} s / (\sqrt n \, \bar x))` (the delta
      method, :math:`\operatorname{se}(\log \bar x) \approx \operatorname{se}(\bar x)/\bar x`;
      Casella & Berger 2002, sec. 5.5.4): positive, and wider above the mean
      than below, as skewed counts of days and sessions are; ``[0, 0]`` when
      every value is 0;
    * **mean scores** (``intake_outcome``, ``intake_alliance``): the t
      interval intersected with the possible scores (the lowest and highest
      total of the scales involved). A mean lies within them, and intersecting
      an interval with the parameter space never lowers its coverage
      (Mandelkern 2002);
    * **the effect size**: the normal interval of :func:`fit_scores.effect_size`
      (a standardised difference may be negative).

    The share ``recovered`` counts only outcome tracks whose recovery could
    be judged: with a change category *and* a known caseness at intake and at
    the latest score (``clinical_intake`` and ``clinical_latest`` not
    missing). A track whose cutoff depends on an unknown age is therefore
    neither recovered nor not recovered; it still counts in ``improved`` and
    ``deteriorated``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. *JASA*, 22(158), 209-212.
    Casella, G. & Berger, R. L. (2002). *Statistical Inference* (2nd ed.).
    Duxbury. Section 5.5.4, the delta method.
    Mandelkern, M. (2002). Setting confidence intervals for bounded parameters.
    *Statistical Science*, 17(2), 149-172.

    Examples
    --------
    >>> from fit_scores.table import from_columns
    >>> t = from_columns({"person": [f"p{i}" for i in range(8)], "scale": ["ORS"] * 8,
    ...                   "date": ["2025-01-10"] * 8, "total": [20.0] * 8,
    ...                   "team": ["north"] * 6 + ["south"] * 2}, group_columns=["team"])
    >>> agg = t.summarize().aggregate("team")
    >>> agg["team"].tolist(), agg["n_people"].tolist(), agg["suppressed"].tolist()
    (['north', 'south'], [6, None], [False, True])
    """

    columns: dict[str, Any]
    by: tuple[str, ...]
    min_cell: int
    level: float

    def __len__(self) -> int:
        return int(self.columns["suppressed"].shape[0])

    def __repr__(self) -> str:
        return f"Aggregate({len(self)} groups by {list(self.by)}, min_cell={self.min_cell})"

    def __getitem__(self, name: str) -> AnyArray:
        col = self.columns[name]
        if isinstance(col, Codes):
            return col.values()
        return cast("AnyArray", col)

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(self.columns)

    def _columns(self) -> list[tuple[str, Any]]:
        return list(self.columns.items())


_MEANS = ("intake_outcome", "intake_alliance", "sessions", "days_in_contact")
_SHARES = ("improved", "recovered", "deteriorated", "reached_expected", "planned_ending",
           "unplanned_ending")  # fmt: skip
#: The names of the figure columns of an :class:`Aggregate` (a group column may not have one).
AGGREGATE_COLUMNS = frozenset(
    (
        "n_people", "n_tracks", "n_episodes", "n_collateral_raters", "n_people_age_unknown",
        *(f"n_people_{band}" for band in BANDS), "suppressed", "effect_size",
        "effect_size_n", "effect_size_ci_low", "effect_size_ci_high",
        *(f"{m}_{part}" for m in _MEANS for part in ("n", "mean", "ci_low", "ci_high")),
        *(f"{m}_{part}" for m in _SHARES for part in ("n", "share", "ci_low", "ci_high")),
    )
)  # fmt: skip


def _factor_values(col: Any) -> tuple[IntArray, ObjArray]:
    """Codes and text labels of any summary column (missing: -1)."""
    arr, mask = split_masked(col)
    present = ~np.isnat(arr) if arr.dtype.kind == "M" else np.ones(arr.shape[0], dtype=bool)
    if arr.dtype.kind == "f":
        present &= ~np.isnan(arr)
    if mask is not None:
        present &= ~mask
    if arr.dtype.kind == "b":
        text = np.where(arr, "True", "False").astype(object)
    else:
        text = arr.astype(str).astype(object)
    codes = np.full(text.size, -1, dtype=np.int64)
    labels = np.zeros(0, dtype=object)
    if present.any():
        sub, labels = _seg.factorize(text[present].astype(np.dtypes.StringDType()))
        codes[present] = sub
    return codes, np.asarray(labels.astype(object), dtype=object)


# --- exact sums ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExactSums:
    """Exact per-group sums of floats: group ``g`` sums to ``values[g] * 2**exponent``.

    Every finite float is an integer times a power of two, so sums (and sums of
    products) of floats are held exactly as Python integers with one common
    exponent. Sums of different parts of the data add up exactly
    (:meth:`add`), so a figure computed from combined parts is the figure of
    the whole, bit for bit, whatever the partitioning.

    Examples
    --------
    >>> a = ExactSums.of(np.array([0, 0, 1]), [np.array([0.1, 0.2, 3.0])], 2)
    >>> b = ExactSums.of(np.array([1]), [np.array([0.7])], 2)
    >>> [float(v) for v in a.add(b).fractions()]
    [0.30000000000000004, 3.7]
    """

    values: ObjArray
    exponent: int

    @classmethod
    def zeros(cls, n_groups: int) -> ExactSums:
        """Sums of nothing."""
        return cls(np.array([0] * n_groups, dtype=object).reshape(n_groups), 0)

    @classmethod
    def of(cls, group: IntArray, factors: Sequence[FloatArray], n_groups: int) -> ExactSums:
        """Per-group sums of the product of ``factors`` (one or two float columns), exactly.

        Every value is ``m * 2**(e + s)``: ``m`` its integer mantissa, ``e``
        the least exponent of its column and ``s >= 0`` its own shift. The rows
        fall into segments of one group and one total shift. Within a segment,
        the products of the mantissas are summed 16 bits of each mantissa at a
        time (:data:`_LIMB`): a product of two limbs has at most 32 bits, so the
        sums of up to :data:`_MAX_ROWS` rows are whole numbers below 2**53,
        which ``np.bincount`` adds exactly in float64. Only the segments' sums
        become Python integers, shifted into place and added per group.
        """
        out = np.array([0] * n_groups, dtype=object).reshape(n_groups)
        if group.size == 0:
            return cls(out, 0)
        if len(factors) not in (1, 2):
            raise ValueError(f"ExactSums.of: one or two factors, got {len(factors)}")
        if group.size > _MAX_ROWS:  # (the float64 sums would not be exact): in parts
            half = group.size // 2
            first = cls.of(group[:half], [f[:half] for f in factors], n_groups)
            return first.add(cls.of(group[half:], [f[half:] for f in factors], n_groups))
        sign = np.ones(group.size, dtype=np.int64)
        shift = np.zeros(group.size, dtype=np.int64)
        mantissas: list[IntArray] = []
        exponent = 0
        for f in factors:
            m, s, e = _mantissas(np.asarray(f, dtype=np.float64))
            exponent += e
            shift += s
            sign *= np.sign(m)
            mantissas.append(np.abs(m))
        # the segment of every row: a bin per (group, shift), or the distinct pairs
        width = int(shift.max()) + 1
        key = group.astype(np.int64) * width + shift
        if n_groups * width <= 2 * group.size + (1 << 16):
            segment, n_segments = key, n_groups * width
            segment_key = np.arange(n_segments, dtype=np.int64)
        else:
            segment, first_row = _seg.factorize_keys(key.view(np.uint64))
            segment_key = key[first_row]
            n_segments = segment_key.size
        # the sums of every diagonal (limb position j + k) of the products, per segment
        mask = np.int64((1 << _LIMB) - 1)
        n_limbs = [max(1, -(-int(m.max()).bit_length() // _LIMB)) for m in mantissas]
        limbs = [
            [(m >> np.int64(_LIMB * j)) & mask for j in range(n)]
            for m, n in zip(mantissas, n_limbs, strict=True)
        ]
        diagonals: dict[int, IntArray] = {}
        for combo in itertools.product(*(range(n) for n in n_limbs)):
            product = sign * limbs[0][combo[0]]
            if len(combo) == 2:
                product *= limbs[1][combo[1]]
            sums = np.bincount(segment, product.astype(np.float64), minlength=n_segments)
            d = sum(combo)
            whole = sums.astype(np.int64)  # (exact: whole numbers below 2**53)
            diagonals[d] = diagonals[d] + whole if d in diagonals else whole
        values = np.zeros(n_segments, dtype=np.int64).astype(object)
        for d, sums in diagonals.items():
            values += sums.astype(object) * (1 << (_LIMB * d))
        segment_shift = segment_key % width
        for s in np.unique(segment_shift).tolist():
            if s:
                where = segment_shift == s
                values[where] = values[where] * (1 << int(s))
        g = segment_key // width  # (increasing)
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        out[g[starts]] = np.add.reduceat(values, starts)
        return cls(out, exponent)

    def add(self, other: ExactSums) -> ExactSums:
        """The sums of two parts (same groups), exactly."""
        e = min(self.exponent, other.exponent)
        a = self.values * (1 << (self.exponent - e))
        b = other.values * (1 << (other.exponent - e))
        return ExactSums(np.asarray(a + b, dtype=object), e)

    def take(self, index: IntArray, n_groups: int) -> ExactSums:
        """Group ``index[g]`` of the result is group ``g`` here (others: 0)."""
        out = np.array([0] * n_groups, dtype=object).reshape(n_groups)
        out[index] = self.values
        return ExactSums(out, self.exponent)

    def fractions(self) -> list[Fraction]:
        """The sums as exact fractions."""
        scale = Fraction(2) ** self.exponent
        return [Fraction(int(v)) * scale for v in self.values.tolist()]


#: Bits of a mantissa summed at a time (a 53-bit mantissa has 4 such limbs).
_LIMB = 16
#: The most rows summed at once: a sum of this many products of two limbs (below
#: 2**32 each) stays below 2**53, where float64 holds every whole number.
_MAX_ROWS = (1 << 21) - 1


def _mantissas(values: FloatArray) -> tuple[IntArray, IntArray, int]:
    """``m``, ``s`` and one exponent ``e`` with ``values == m * 2**(e + s)`` exactly.

    ``m`` is the signed integer mantissa (0 for 0.0) read from the bits of the
    float, less the trailing zero bits that every mantissa of the column has
    (whole numbers such as days then need a few bits, not 53); ``e`` is the
    least exponent of the nonzero values and ``s >= 0`` each value's shift
    above it.

    Examples
    --------
    >>> m, s, e = _mantissas(np.array([3.0, 0.5, -0.0, 40.0]))
    >>> m.tolist(), s.tolist(), e
    ([6, 4, 0, 5], [2, 0, 0, 6], -3)
    >>> [int(v) * 2.0 ** (e + int(t)) for v, t in zip(m, s)]
    [3.0, 0.5, 0.0, 40.0]
    """
    if not np.isfinite(values).all():
        raise TableInputError("aggregate: a figure rests on a value that is not finite")
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.uint64)
    biased = ((bits >> np.uint64(52)) & np.uint64(0x7FF)).astype(np.int64)
    normal = biased > 0
    m = (bits & np.uint64((1 << 52) - 1)).astype(np.int64)
    m |= normal.astype(np.int64) << np.int64(52)  # the leading bit of a normal float
    k = np.maximum(biased, 1)  # (a subnormal float counts in units of 2**-1074)
    k -= 1075
    common = int(np.bitwise_or.reduce(m))
    if common == 0:  # every value is 0
        return m, np.zeros(values.size, dtype=np.int64), 0
    zeros = (common & -common).bit_length() - 1  # trailing zero bits of every mantissa
    if zeros:
        m >>= np.int64(zeros)
        k += zeros
    zero = m == 0
    k[zero] = np.iinfo(np.int64).max  # (a zero has no exponent)
    e = int(k.min())
    k -= e
    k[zero] = 0
    m *= 1 - 2 * (bits >> np.uint64(63)).astype(np.int64)  # the sign
    return m, k, e


# --- the sufficient statistics -------------------------------------------------------------

_COUNTS = ("n_people", "n_tracks", "n_episodes", "n_collateral_raters", "collateral_people")
_PAIR_SUMS = ("x1", "x2", "x11", "x22", "x12")
#: Column whose labels are a fixed vocabulary: groups are in its order, not alphabetical.
_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "rater": tuple(RATERS),
    "age_band": tuple(BANDS),
    "expected_status": tuple(STATUSES),
    "category": tuple(_change_kernels.CATEGORIES),
}


@dataclass(frozen=True)
class AggregateStatistics:
    """Per-group sufficient statistics of :meth:`TrackSummary.aggregate`.

    Counts (of people, tracks, episodes, raters, people per age band, tracks
    and hits per share) and exact sums (:class:`ExactSums`: the sums, sums of
    squares and cross-products behind every mean, standard deviation and
    effect size). Statistics of parts of the tracks that share no person (the
    partitions of a cluster, shuffled on the person) :meth:`combine` exactly
    into the statistics of the whole; :func:`finish_aggregate` then applies the
    intervals and the small-cell suppression, once, to the combined figures.
    So an aggregate computed across partitions equals the single-machine one,
    bit for bit.

    Attributes
    ----------
    by : tuple of str
        The grouping columns.
    labels : list of tuple
        The label of every group (one value per grouping column; ``None`` where
        missing), in the canonical order (see :func:`finish_aggregate`).
    order : list of tuple
        The sort key of every group.
    counts : dict of str to ndarray of int
        Per-group counts (a band matrix has one column per age band).
    sums : dict of str to ExactSums
        Per-group exact sums.
    score_range : tuple of float or None
        The lowest and highest possible score of the scales of the tracks (the
        parameter space of the mean scores); ``None`` without tracks.
    """

    by: tuple[str, ...]
    labels: list[tuple[Any, ...]]
    order: list[tuple[Any, ...]]
    counts: dict[str, IntArray]
    sums: dict[str, ExactSums]
    score_range: tuple[float, float] | None

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return len(self.labels)

    @classmethod
    def combine(cls, parts: Sequence[AggregateStatistics]) -> AggregateStatistics:
        """The statistics of the union of parts that share no person, exactly.

        Raises
        ------
        TableInputError
            If there are no parts or they are grouped by different columns.
        """
        if not parts:
            raise TableInputError("aggregate: no statistics to combine")
        by = parts[0].by
        if any(part.by != by for part in parts):
            raise TableInputError("aggregate: the parts are grouped by different columns")
        keyed: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        for part in parts:
            keyed.update(zip(part.order, part.labels, strict=True))
        order = sorted(keyed, key=_order_key)
        position = {key: i for i, key in enumerate(order)}
        n = len(order)
        counts: dict[str, IntArray] = {}
        sums: dict[str, ExactSums] = {}
        for part in parts:
            index = np.array([position[key] for key in part.order], dtype=np.int64)
            for name, values in part.counts.items():
                if name not in counts:
                    counts[name] = np.zeros((n, *values.shape[1:]), dtype=np.int64)
                np.add.at(counts[name], index, values)
            for name, exact in part.sums.items():
                moved = exact.take(index, n)
                sums[name] = moved if name not in sums else sums[name].add(moved)
        ranges = [part.score_range for part in parts if part.score_range is not None]
        score_range = (min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else None
        return cls(
            by=by,
            labels=[keyed[key] for key in order],
            order=order,
            counts=counts,
            sums=sums,
            score_range=score_range,
        )


def _order_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """Sort key of a group: per column, missing first, then the label's rank or text."""
    return tuple((0, 0) if k is None else (1, k) for k in key)


def _group_of(
    summary: TrackSummary, by: Sequence[str]
) -> tuple[IntArray, list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Dense group ids of the tracks, and the labels and sort keys of the groups."""
    n = len(summary)
    if not by:
        return np.zeros(n, dtype=np.int64), [()], [()]
    codes: list[IntArray] = []
    labels: list[ObjArray] = []
    ranks: list[list[Any]] = []
    for name in by:
        if name not in summary.columns:
            raise TableInputError(
                f"aggregate(by=...): no column {name!r}; columns: {list(summary.columns)}"
            )
        col = summary.columns[name]
        if isinstance(col, Codes):
            c, text = np.asarray(col.codes, dtype=np.int64), col.text
        else:
            c, text = _factor_values(col)
        text_list = [None if t is None else str(t) for t in np.asarray(text).tolist()]
        vocabulary = _VOCABULARIES.get(name)
        if vocabulary is not None and set(text_list) <= set(vocabulary):
            ranks.append([None, *(vocabulary.index(t) for t in text_list)])
        else:
            ranks.append([None, *text_list])
        codes.append(c + 1)
        labels.append(np.array([None, *text_list], dtype=object))
    key = _seg.combine_codes(codes, [lab.size for lab in labels])
    if key is None:  # pragma: no cover - astronomically many combinations
        raise TableInputError("aggregate(by=...): too many combinations of group values")
    group, uniq = _seg.factorize(key)
    rest = uniq.copy()
    parts: list[IntArray] = []
    for lab in reversed(labels):
        parts.append(rest % lab.size)
        rest = rest // lab.size
    parts.reverse()
    group_labels = [
        tuple(labels[j][int(parts[j][g])] for j in range(len(by))) for g in range(uniq.size)
    ]
    group_order = [
        tuple(ranks[j][int(parts[j][g])] for j in range(len(by))) for g in range(uniq.size)
    ]
    return group, group_labels, group_order


def aggregate_statistics(
    summary: TrackSummary, by: str | Sequence[str] | None
) -> AggregateStatistics:
    """The per-group sufficient statistics of ``summary.aggregate(by)``.

    Parameters
    ----------
    summary : TrackSummary
        Whole people: every track of a person in this summary (as in a
        partition shuffled on the person).
    by : str or sequence of str, optional
        The grouping columns, as in :meth:`TrackSummary.aggregate
        <fit_scores.table.TrackSummary.aggregate>`.

    Returns
    -------
    AggregateStatistics

    Raises
    ------
    TableInputError
        If a grouping column is missing, repeated or named like a figure.

    Examples
    --------
    >>> from fit_scores.table import from_columns
    >>> t = from_columns({"person": [f"p{i}" for i in range(8)], "scale": ["ORS"] * 8,
    ...                   "date": ["2025-01-10"] * 8, "total": [20.0] * 8,
    ...                   "team": ["north"] * 6 + ["south"] * 2}, group_columns=["team"])
    >>> stats = aggregate_statistics(t.summarize(), "team")
    >>> stats.labels, stats.counts["n_people"].tolist()
    ([('north',), ('south',)], [6, 2])
    >>> finish_aggregate(stats, min_cell=5, level=0.95)["n_people"].tolist()
    [6, None]
    """
    names = _check_by(by)
    group, labels, order = _group_of(summary, names)
    n_groups = len(labels) if (group.size or not names) else 0
    if not names:
        labels, order = [()], [()]
    elif not group.size:
        labels, order = [], []
    cols = summary.columns
    person = np.asarray(cols["person"].codes, dtype=np.int64)
    scale_t = np.asarray(cols["scale"].codes, dtype=np.int64)
    kinds = np.array([s.kind == "outcome" for s in summary.scales], dtype=bool)
    outcome = kinds[scale_t] if scale_t.size else np.zeros(0, dtype=bool)
    alliance = ~outcome
    counts: dict[str, IntArray] = {}
    sums: dict[str, ExactSums] = {}

    def people(mask: BoolArray) -> IntArray:
        return _seg.count_distinct(group[mask], person[mask], n_groups)

    everyone = np.ones(group.size, dtype=bool)
    counts["n_people"] = people(everyone)
    counts["n_tracks"] = np.bincount(group, minlength=n_groups).astype(np.int64)
    episode = np.asarray(cols["episode"].codes, dtype=np.int64) + 1
    episode_key = _seg.combine_codes(
        [person, episode], [int(person.max(initial=0)) + 1, int(episode.max(initial=0)) + 1]
    )
    assert episode_key is not None
    counts["n_episodes"] = _seg.count_distinct(group, episode_key, n_groups)
    band_codes = np.asarray(cols["age_band"].codes, dtype=np.int64)
    bands = [people(band_codes == (b if b < len(BANDS) else -1)) for b in range(len(BANDS) + 1)]
    counts["bands"] = (
        np.column_stack(bands).astype(np.int64)
        if n_groups
        else np.zeros((0, len(BANDS) + 1), dtype=np.int64)
    )
    collateral = np.asarray(cols["rater"].codes, dtype=np.int64) == RATERS.index("collateral")
    rid = np.asarray(cols["rater_id"].codes, dtype=np.int64) + 1
    rater_key = _seg.combine_codes(
        [person, rid], [int(person.max(initial=0)) + 1, int(rid.max(initial=0)) + 1]
    )
    assert rater_key is not None
    counts["n_collateral_raters"] = _seg.count_distinct(
        group[collateral], rater_key[collateral], n_groups
    )
    counts["collateral_people"] = people(collateral)

    def moments(name: str, mask: BoolArray, values: FloatArray) -> None:
        g, x = group[mask], values[mask]
        counts[f"{name}_n"] = np.bincount(g, minlength=n_groups).astype(np.int64)
        counts[f"{name}_people"] = people(mask)
        sums[f"{name}_s1"] = ExactSums.of(g, [x], n_groups)
        sums[f"{name}_s2"] = ExactSums.of(g, [x, x], n_groups)

    intake_col = cols["intake"]
    has_intake = ~np.ma.getmaskarray(intake_col)
    intake_values = np.asarray(np.ma.getdata(intake_col), dtype=np.float64)
    moments("intake_outcome", outcome & has_intake, intake_values)
    moments("intake_alliance", alliance & has_intake, intake_values)
    moments("sessions", outcome, np.asarray(cols["n"], dtype=np.float64))
    moments("days_in_contact", outcome, np.asarray(cols["days_in_contact"], dtype=np.float64))

    pairs = outcome & ~np.ma.getmaskarray(cols["change"])
    latest_values = np.asarray(np.ma.getdata(cols["latest"]), dtype=np.float64)
    g = group[pairs]
    x1, x2 = intake_values[pairs], latest_values[pairs]
    counts["effect_size_n"] = np.bincount(g, minlength=n_groups).astype(np.int64)
    counts["effect_size_people"] = people(pairs)
    for name, factors in zip(_PAIR_SUMS, ([x1], [x2], [x1, x1], [x2, x2], [x1, x2]), strict=True):
        sums[f"effect_size_{name}"] = ExactSums.of(g, factors, n_groups)

    def shares(name: str, mask: BoolArray, hit: BoolArray) -> None:
        counts[f"{name}_n"] = np.bincount(group[mask], minlength=n_groups).astype(np.int64)
        counts[f"{name}_k"] = np.bincount(group[mask & hit], minlength=n_groups).astype(np.int64)
        counts[f"{name}_people"] = people(mask)

    category = np.asarray(cols["category"].codes, dtype=np.int64)
    with_category = outcome & (category >= 0)
    names_of = _change_kernels.CATEGORIES
    shares(
        "improved", with_category, np.asarray(np.ma.getdata(cols["reliably_improved"]), dtype=bool)
    )
    # recovery is judged only where caseness is known at intake and at the latest score
    judged = (
        with_category
        & ~np.ma.getmaskarray(cols["clinical_intake"])
        & ~np.ma.getmaskarray(cols["clinical_latest"])
    )
    shares("recovered", judged, category == names_of.index("recovered"))
    shares(
        "deteriorated",
        with_category,
        np.asarray(np.ma.getdata(cols["reliably_deteriorated"]), dtype=bool),
    )
    status = np.asarray(cols["expected_status"].codes, dtype=np.int64)
    shares("reached_expected", status >= 1, status == STATUSES.index("on_track"))
    ending = cols["ending_reason"]
    ending_codes = np.asarray(ending.codes, dtype=np.int64)
    ending_text = np.asarray(ending.text, dtype=object)
    planned_code = np.flatnonzero(ending_text == "planned")
    unplanned_code = np.flatnonzero(ending_text == "unplanned")
    ended = outcome & (ending_codes >= 0)
    no_hit = np.zeros(ended.shape, dtype=bool)
    planned = np.isin(ending_codes, planned_code) if planned_code.size else no_hit
    unplanned = np.isin(ending_codes, unplanned_code) if unplanned_code.size else no_hit
    shares("planned_ending", ended, planned)
    shares("unplanned_ending", ended, unplanned)
    used = np.unique(scale_t) if scale_t.size else np.zeros(0, dtype=np.int64)
    score_range = (
        (
            min(float(summary.scales[i].total_min) for i in used.tolist()),
            max(float(summary.scales[i].total_max) for i in used.tolist()),
        )
        if used.size
        else None
    )
    return AggregateStatistics(
        by=names, labels=labels, order=order, counts=counts, sums=sums, score_range=score_range
    )


def _check_by(by: str | Sequence[str] | None) -> tuple[str, ...]:
    names: tuple[str, ...] = () if by is None else (by,) if isinstance(by, str) else tuple(by)
    clash = [name for name in names if name in AGGREGATE_COLUMNS]
    if clash or len(set(names)) != len(names):
        raise TableInputError(
            f"aggregate(by={list(names)}): group by distinct columns whose names are not "
            f"those of the figures ({clash})"
        )
    return names


def _floats(values: list[Fraction | None]) -> FloatArray:
    """Fractions as correctly rounded floats (NaN for ``None``)."""
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)


def check_aggregate_options(min_cell: int, level: float) -> None:
    """Check the ``min_cell`` and ``level`` of an aggregate.

    Raises
    ------
    TableInputError
        If ``min_cell`` is not a whole number >= 1 or ``level`` not in (0, 1).

    Examples
    --------
    >>> check_aggregate_options(5, 0.95)
    >>> check_aggregate_options(0, 0.95)
    Traceback (most recent call last):
    ...
    fit_scores.errors.TableInputError: min_cell must be a whole number >= 1, got 0
    """
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
        raise TableInputError(f"min_cell must be a whole number >= 1, got {min_cell!r}")
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise TableInputError(f"level must be a number in (0, 1), got {level!r}")


def finish_aggregate(stats: AggregateStatistics, *, min_cell: int, level: float) -> Aggregate:
    """The figures, intervals and small-cell suppression of combined statistics.

    The one place where figures are formed from :class:`AggregateStatistics`:
    on one machine for the statistics of the whole summary, on a cluster for
    the statistics combined across partitions, so that both give the same
    :class:`Aggregate`. See :meth:`TrackSummary.aggregate
    <fit_scores.table.TrackSummary.aggregate>` for the figures; the intervals
    are described in :class:`Aggregate`.

    Groups are sorted by their labels: missing first, then the natural order
    of a fixed vocabulary (``rater``, ``age_band``, ``category``,
    ``expected_status``), else by the text of the label.

    Raises
    ------
    TableInputError
        If ``min_cell`` or ``level`` is invalid.
    """
    check_aggregate_options(min_cell, level)
    n_groups = stats.n_groups
    counts, sums = stats.counts, stats.sums
    out: dict[str, Any] = {}
    for j, name in enumerate(stats.by):
        values = [label[j] for label in stats.labels]
        text = sorted({v for v in values if v is not None}, key=lambda v: values.index(v))
        index = {v: i for i, v in enumerate(text)}
        codes = np.array([-1 if v is None else index[v] for v in values], dtype=np.int64)
        out[name] = Codes(codes, np.array(text, dtype=object))
    suppressed = np.zeros(n_groups, dtype=bool)
    n_people = counts["n_people"]
    small_group = n_people < min_cell

    def count_column(name: str, values: IntArray, resting_on: IntArray) -> None:
        nonlocal suppressed
        hide = small_group | ((resting_on < min_cell) & (values > 0))
        suppressed |= hide
        out[name] = masked(values.astype(np.int64), hide)

    count_column("n_people", n_people, n_people)
    count_column("n_tracks", counts["n_tracks"], n_people)
    count_column("n_episodes", counts["n_episodes"], n_people)
    band_matrix = counts["bands"]
    hide_bands = small_group[:, None] | ((band_matrix < min_cell) & (band_matrix > 0))
    # complementary suppression: one hidden band could be recovered from the total
    lonely = hide_bands.sum(axis=1) == 1
    if lonely.any():  # hide the smallest other non-zero count too (else a zero)
        big = np.iinfo(np.int64).max
        shown = np.where(hide_bands, big, np.where(band_matrix > 0, band_matrix, big - 1))
        smallest = np.argmin(shown, axis=1)
        rows = np.flatnonzero(lonely)
        hide_bands[rows, smallest[rows]] = True
    suppressed |= hide_bands.any(axis=1)
    for b, band in enumerate((*BANDS, "age_unknown")):
        out[f"n_people_{band}"] = masked(band_matrix[:, b].astype(np.int64), hide_bands[:, b])
    count_column("n_collateral_raters", counts["n_collateral_raters"], counts["collateral_people"])

    low_bound, high_bound = stats.score_range if stats.score_range else (-math.inf, math.inf)
    for name in _MEANS:
        n = counts[f"{name}_n"]
        nf = n.astype(np.float64)
        s1 = sums[f"{name}_s1"].fractions()
        s2 = sums[f"{name}_s2"].fractions()
        mean = _floats([a / k if k else None for a, k in zip(s1, n.tolist(), strict=True)])
        var = _floats(
            [
                (k * b - a * a) / (k * (k - 1)) if k > 1 else None
                for a, b, k in zip(s1, s2, n.tolist(), strict=True)
            ]
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.sqrt(var) / np.sqrt(nf)
            t = _change_kernels.t_quantile(nf - 1, level)
            if name in ("sessions", "days_in_contact"):
                # a non-negative quantity: the interval of log(mean) by the delta method
                # (se of log mean = se / mean), transformed back; never below 0
                factor = np.exp(np.where(mean > 0, t * se / mean, 0.0))
                low, high = mean / factor, mean * factor
            else:  # a mean score: the t interval, within the scale's possible scores
                low, high = _change_kernels.mean_interval(
                    mean, se, nf, level, (low_bound, high_bound)
                )
        hide = small_group | ((counts[f"{name}_people"] < min_cell) & (n > 0))
        suppressed |= hide
        out[f"{name}_n"] = masked(n.astype(np.int64), hide)
        out[f"{name}_mean"] = masked(np.where(n > 0, mean, 0.0), hide | (n == 0))
        interval = hide | (n < 2)
        out[f"{name}_ci_low"] = masked(np.where(interval, 0.0, low), interval)
        out[f"{name}_ci_high"] = masked(np.where(interval, 0.0, high), interval)

    # pre-post effect size (the formula of fit_scores.group.effect_size, per group)
    n_pairs = counts["effect_size_n"]
    n = n_pairs.astype(np.float64)
    pair = {name: sums[f"effect_size_{name}"].fractions() for name in _PAIR_SUMS}
    centred = {"s11": ("x1", "x1", "x11"), "s22": ("x2", "x2", "x22"), "s12": ("x1", "x2", "x12")}
    second = {
        key: _floats(
            [
                (pair[c][g] - pair[a][g] * pair[b][g] / k) if k else None
                for g, k in enumerate(n_pairs.tolist())
            ]
        )
        for key, (a, b, c) in centred.items()
    }
    s11, s22, s12 = second["s11"], second["s22"], second["s12"]
    mean_change = _floats(
        [(pair["x2"][g] - pair["x1"][g]) / k if k else None for g, k in enumerate(n_pairs.tolist())]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        sd1 = np.sqrt(s11 / (n - 1))
        sd2 = np.sqrt(s22 / (n - 1))
        r = np.where((sd1 > 0) & (sd2 > 0), s12 / np.sqrt(s11 * s22), 0.0)
        d = mean_change / sd1
        var = 2.0 * (1.0 - r) / n + d**2 / (2.0 * (n - 1))
        hedges = 1.0 - 3.0 / (4.0 * (n - 1) - 1.0)
        z = _change_kernels.critical_value(1.0 - level, one_sided=False)
        estimate = hedges * d
        half = z * hedges * np.sqrt(var)
        es_low, es_high = estimate - half, estimate + half
    hide = small_group | ((counts["effect_size_people"] < min_cell) & (n_pairs > 0))
    suppressed |= hide
    undefined = hide | (n_pairs < 3) | ~(sd1 > 0)
    out["effect_size_n"] = masked(n_pairs.astype(np.int64), hide)
    out["effect_size"] = masked(np.where(undefined, 0.0, estimate), undefined)
    out["effect_size_ci_low"] = masked(np.where(undefined, 0.0, es_low), undefined)
    out["effect_size_ci_high"] = masked(np.where(undefined, 0.0, es_high), undefined)

    for name in _SHARES:
        total, k = counts[f"{name}_n"], counts[f"{name}_k"]
        lo, hi = _change_kernels.wilson_interval(k, total, level)  # exactly 0 / 1 at the ends
        hide = small_group | ((counts[f"{name}_people"] < min_cell) & (total > 0))
        suppressed |= hide
        empty = hide | (total == 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, k / np.maximum(total, 1), 0.0)
        out[f"{name}_n"] = masked(total.astype(np.int64), hide)
        out[f"{name}_share"] = masked(share, empty)
        out[f"{name}_ci_low"] = masked(np.where(empty, 0.0, lo), empty)
        out[f"{name}_ci_high"] = masked(np.where(empty, 0.0, hi), empty)
    out["suppressed"] = suppressed
    return Aggregate(columns=out, by=stats.by, min_cell=min_cell, level=level)


def aggregate_summary(
    summary: TrackSummary, by: str | Sequence[str] | None, *, min_cell: int, level: float
) -> Aggregate:
    """The figures of :meth:`TrackSummary.aggregate <fit_scores.table.TrackSummary.aggregate>`.

    ``finish_aggregate(aggregate_statistics(summary, by), ...)``: the path of
    every partition of a cluster, on one part.
    """
    check_aggregate_options(min_cell, level)
    return finish_aggregate(aggregate_statistics(summary, by), min_cell=min_cell, level=level)
