"""Segment operations: per-group reductions over sorted arrays, without a Python loop per group.

A sorted array is cut into contiguous *segments* (tracks, groups) by start
offsets: ``starts[0] == 0``, strictly increasing, every segment non-empty.
Reductions per segment use ``np.add.reduceat`` and friends on those offsets;
lookups of the first or last element that satisfies a condition use
``np.minimum.reduceat`` / ``np.maximum.reduceat`` on masked positions.

Also here: factorising values into dense integer codes (sorted labels),
combining several code columns into one group id, and :func:`sort_segments`,
which sorts loose rows into segments by a key and a time: the building blocks
of sorting rows into tracks and of grouped statistics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "code_dtype",
    "combine_codes",
    "count_distinct",
    "factorize",
    "factorize_keys",
    "insert_breaks",
    "segment_any",
    "segment_blocks",
    "segment_counts",
    "segment_first",
    "segment_first_where",
    "segment_ids",
    "segment_last",
    "segment_last_code",
    "segment_last_where",
    "segment_previous",
    "segment_sum",
    "segment_ties",
    "sort_segments",
    "stable_order",
    "starts_of",
    "unique_sorted",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Integer values are factorised with a bitmap (linear time) when their range
#: is at most this many times the number of values (plus a constant).
_BITMAP_FACTOR = 4
_BITMAP_EXTRA = 1 << 16
#: At most this many distinct values are found by repeated comparison before
#: falling back to a sort (fast for low-cardinality columns such as a scale).
_FEW_VALUES = 8
#: Keys sampled, evenly over the column, to see how many distinct keys it may have.
_KEY_SAMPLE = 4096
#: At most this many distinct keys in the sample: each key is placed among them by a
#: binary search (checked: keys the sample missed are added, or, when they are more
#: than one in :data:`_MISSED_SHARE`, the keys are sorted after all).
_SOME_KEYS = 512
_MISSED_SHARE = 16


def starts_of(codes: npt.ArrayLike) -> IntArray:
    """Start offsets of the runs of equal values in a sorted array.

    Examples
    --------
    >>> starts_of([3, 3, 5, 7, 7, 7]).tolist()
    [0, 2, 3]
    >>> starts_of([]).tolist()
    []
    """
    arr = np.asarray(codes)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.empty(arr.size, dtype=bool)
    change[0] = True
    np.not_equal(arr[1:], arr[:-1], out=change[1:])
    return np.flatnonzero(change).astype(np.int64)


def segment_counts(starts: IntArray, n: int) -> IntArray:
    """Number of elements of every segment of an array of length ``n``.

    Examples
    --------
    >>> segment_counts(np.array([0, 2, 3]), 6).tolist()
    [2, 1, 3]
    """
    ends = np.empty(starts.size, dtype=np.int64)
    ends[:-1] = starts[1:]
    if starts.size:
        ends[-1] = n
    counts: IntArray = ends - starts
    return counts


def segment_ids(starts: IntArray, n: int) -> IntArray:
    """The segment index of every element.

    Examples
    --------
    >>> segment_ids(np.array([0, 2, 3]), 6).tolist()
    [0, 0, 1, 2, 2, 2]
    """
    return np.repeat(np.arange(starts.size, dtype=np.int64), segment_counts(starts, n))


def segment_sum(values: npt.ArrayLike, starts: IntArray) -> npt.NDArray[Any]:
    """Sum of every segment (``np.add.reduceat``); booleans are counted.

    Examples
    --------
    >>> segment_sum([1, 2, 3, 4, 5, 6], np.array([0, 2, 3])).tolist()
    [3, 3, 15]
    >>> segment_sum([True, False, True], np.array([0, 1])).tolist()
    [1, 1]
    """
    arr = np.asarray(values)
    if arr.dtype == np.bool_:  # counted in int64 without an int64 copy of the flags
        if starts.size == 0:
            return np.zeros(0, dtype=np.int64)
        return np.add.reduceat(arr, starts, dtype=np.int64)
    if starts.size == 0:
        return np.zeros(0, dtype=arr.dtype)
    return np.add.reduceat(arr, starts)


def segment_any(mask: BoolArray, starts: IntArray) -> BoolArray:
    """Whether any element of every segment is true.

    Examples
    --------
    >>> segment_any(np.array([False, False, True]), np.array([0, 2])).tolist()
    [False, True]
    """
    if starts.size == 0:
        return np.zeros(0, dtype=bool)
    out: BoolArray = np.logical_or.reduceat(mask, starts)
    return out


def segment_blocks(
    starts: IntArray, n: int, *, segments: int = 1 << 18, rows: int = 1 << 20
) -> Iterator[tuple[int, int, int, int]]:
    """Blocks of whole segments, for work whose temporaries should stay small.

    Yields ``(a, b, r0, r1)``: segments ``a .. b - 1``, which are the elements
    ``r0 .. r1 - 1`` of an array of length ``n``. A block holds at most
    ``segments`` segments and at most ``rows`` elements, or one segment that
    is longer.

    Examples
    --------
    >>> list(segment_blocks(np.array([0, 2, 3, 7]), 8, segments=2))
    [(0, 2, 0, 3), (2, 4, 3, 8)]
    >>> list(segment_blocks(np.array([0, 2, 3, 7]), 8, rows=3))
    [(0, 2, 0, 3), (2, 3, 3, 7), (3, 4, 7, 8)]
    """
    n_segments = starts.size
    a = 0
    while a < n_segments:
        r0 = int(starts[a])
        # the segments before the first one that starts beyond r0 + rows end within rows
        fits = int(np.searchsorted(starts, r0 + rows, side="right")) - 1
        if fits == n_segments - 1 and n - r0 <= rows:
            fits = n_segments  # the last segment, too
        b = min(max(fits, a + 1), a + segments, n_segments)
        r1 = int(starts[b]) if b < n_segments else n
        yield a, b, r0, r1
        a = b


def segment_first(values: npt.NDArray[Any], starts: IntArray) -> npt.NDArray[Any]:
    """The first element of every segment.

    Examples
    --------
    >>> segment_first(np.array([1, 2, 3, 4]), np.array([0, 3])).tolist()
    [1, 4]
    """
    return values[starts]


def segment_last(values: npt.NDArray[Any], starts: IntArray) -> npt.NDArray[Any]:
    """The last element of every segment.

    Examples
    --------
    >>> segment_last(np.array([1, 2, 3, 4]), np.array([0, 3])).tolist()
    [3, 4]
    """
    ends = starts + segment_counts(starts, values.shape[0]) - 1
    out: npt.NDArray[Any] = values[ends]
    return out


def segment_last_code(codes: IntArray, starts: IntArray) -> IntArray:
    """The last given code of every segment: the last one that is not negative, else -1.

    Codes are dense integer codes with -1 for a missing value (as in the
    grouping columns of a score table); the result has their integer type.

    Examples
    --------
    >>> segment_last_code(np.array([2, -1, 0, 1, -1, -1]), np.array([0, 3, 4])).tolist()
    [0, 1, -1]
    """
    if starts.size == 0:
        return np.zeros(0, dtype=codes.dtype)
    given = codes >= 0
    if given.all():
        out: IntArray = segment_last(codes, starts)
        return out
    last = segment_last_where(given, starts)
    del given
    out = np.where(last >= 0, codes[np.maximum(last, 0)], -1).astype(codes.dtype, copy=False)
    return out


def segment_first_where(mask: BoolArray, starts: IntArray) -> IntArray:
    """Position of the first true element of every segment, or -1 if there is none.

    Examples
    --------
    >>> segment_first_where(np.array([False, True, True, False, False]),
    ...                     np.array([0, 3])).tolist()
    [1, -1]
    """
    out: IntArray = np.empty(starts.size, dtype=np.int64)
    for a, b, r0, r1 in segment_blocks(starts, mask.size):
        size = r1 - r0
        pos = np.where(mask[r0:r1], np.arange(size, dtype=np.int64), size)
        first = np.minimum.reduceat(pos, starts[a:b] - r0)
        out[a:b] = np.where(first < size, first + r0, -1)
    return out


def segment_last_where(mask: BoolArray, starts: IntArray) -> IntArray:
    """Position of the last true element of every segment, or -1 if there is none.

    Examples
    --------
    >>> segment_last_where(np.array([False, True, True, False, False]),
    ...                    np.array([0, 3])).tolist()
    [2, -1]
    """
    out: IntArray = np.empty(starts.size, dtype=np.int64)
    for a, b, r0, r1 in segment_blocks(starts, mask.size):
        local = starts[a:b] - r0
        pos = np.where(mask[r0:r1], np.arange(r1 - r0, dtype=np.int64), -1)
        last = np.maximum.reduceat(pos, local)
        out[a:b] = np.where(last >= local, last + r0, -1)
    return out


def segment_previous(starts: IntArray, n: int) -> IntArray:
    """Position of the previous element in the same segment, or -1 at a segment start.

    Examples
    --------
    >>> segment_previous(np.array([0, 2]), 4).tolist()
    [-1, 0, -1, 2]
    """
    prev = np.arange(-1, n - 1, dtype=np.int64)
    prev[starts] = -1
    return prev


def insert_breaks(
    kernel: Callable[[npt.NDArray[Any]], npt.NDArray[Any]],
    values: npt.NDArray[Any],
    starts: IntArray,
    fill: Any,
) -> npt.NDArray[Any]:
    """Apply a one-sequence ``kernel`` to every segment at once.

    A ``fill`` element is inserted before every segment, so that a kernel
    that looks back along the sequence (a run length, a difference from the
    previous element) starts afresh in every segment; the results at the
    inserted positions are dropped again. The kernel must be elementwise in
    the sense that its output has one entry per input entry and depends only
    on the entries up to it.

    Examples
    --------
    >>> def run_length(x):
    ...     out, run = [], 0
    ...     for v in x:
    ...         run = run + 1 if v else 0
    ...         out.append(run)
    ...     return np.array(out)
    >>> insert_breaks(run_length, np.array([True, True, True, True]), np.array([0, 2]),
    ...               False).tolist()
    [1, 2, 1, 2]
    """
    if starts.size == 0:
        return np.asarray(kernel(values))
    padded = np.insert(values, starts, fill)
    out = np.asarray(kernel(padded))
    return np.asarray(np.delete(out, starts + np.arange(starts.size)))


def sort_segments(keys: npt.ArrayLike, times: npt.ArrayLike) -> tuple[IntArray, IntArray]:
    """Sort rows into segments: by key, then by time; the order and the segment starts.

    The one sort of loose rows into tracks (or people) used by the array
    constructors (:meth:`TrajectoryData.from_arrays
    <fit_scores.TrajectoryData.from_arrays>`, :meth:`ChangeData.from_long
    <fit_scores.ChangeData.from_long>`). Each caller turns its ids into
    ``keys`` (dense codes in the order it wants the segments in) and checks
    ties with :func:`segment_ties`.

    Parameters
    ----------
    keys : array_like, shape (n,)
        The segment of every row (any sortable values, typically integer codes).
    times : array_like, shape (n,)
        The time of every row (any sortable values without NaN).

    Returns
    -------
    order : ndarray of int64, shape (n,)
        The rows in sorted order (``keys[order]`` is non-decreasing and, within
        a key, ``times[order]`` too). Stable: rows with equal key and time keep
        their input order.
    starts : ndarray of int64
        Start offsets of the segments in the sorted rows (see :func:`starts_of`).

    Notes
    -----
    A :class:`~fit_scores.table.ScoreTable` is sorted once, when it is built,
    by a specialised sort of its own (``fit_scores.table.build``: all key
    columns packed into one mixed-radix int64 with the row position in the
    low bits, one ``np.sort``; ``np.lexsort`` when they do not fit). It gives
    the same order as this kernel would with the combined track key as
    ``keys`` and the (date, session) key as ``times``; its views
    (:meth:`ScoreTable.trajectories <fit_scores.table.ScoreTable.trajectories>`,
    :meth:`ScoreTable.pre_post <fit_scores.table.ScoreTable.pre_post>`) take
    the rows in that order and sort nothing.

    Examples
    --------
    >>> order, starts = sort_segments([2, 1, 2, 1], [5.0, 3.0, 1.0, 2.0])
    >>> order.tolist(), starts.tolist()
    ([3, 1, 2, 0], [0, 2])
    """
    k = np.asarray(keys)
    t = np.asarray(times)
    if k.shape != t.shape or k.ndim != 1:
        raise ValueError(
            f"keys and times must be one-dimensional of equal length: {k.shape}, {t.shape}"
        )
    order = np.lexsort((t, k)).astype(np.int64, copy=False)
    return order, starts_of(k[order])


def stable_order(keys: npt.NDArray[np.integer[Any]]) -> IntArray:
    """``np.argsort(keys, kind="stable")`` of integer keys, by one sort of packed words.

    Where the keys' range and the positions fit in 64 bits together, every key
    (less the smallest) is shifted above its position and the words are
    sorted with ``np.sort``, several times faster than a stable argsort (the
    position breaks ties, so equal keys keep their order); the positions are
    the low bits of the sorted words. Otherwise ``np.argsort``.

    Examples
    --------
    >>> stable_order(np.array([3, 1, 3, 0, 1])).tolist()
    [3, 1, 4, 0, 2]
    """
    n = keys.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    lo, hi = int(keys.min()), int(keys.max())
    position_bits = (n - 1).bit_length()
    if (hi - lo).bit_length() + position_bits > 64:
        return np.argsort(keys, kind="stable").astype(np.int64, copy=False)
    if keys.dtype == np.uint64:
        words = keys - np.uint64(lo)
    else:  # (in int64 arithmetic, which wraps where the range needs all 64 bits)
        words = np.subtract(keys, np.int64(lo), dtype=np.int64).view(np.uint64)
    words <<= np.uint64(position_bits)
    words |= np.arange(n, dtype=np.uint64)
    words.sort()
    words &= np.uint64((1 << position_bits) - 1)
    return words.astype(np.int64)


def factorize_keys(keys: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[Any], IntArray]:
    """Dense codes of integer keys in the order of the distinct keys, and a position of each.

    ``keys[first]`` are the distinct keys in increasing order and
    ``keys[first][codes]`` equals ``keys``. The codes are int32 where they fit.
    How the keys are placed depends on how many distinct keys an even sample
    of :data:`_KEY_SAMPLE` of them holds: at most :data:`_FEW_VALUES`, a key's
    code is the number of sampled keys it is at least (one comparison of the
    column per key; a key the sample missed means a sort); at most
    :data:`_SOME_KEYS`, a binary search among them (the keys the sample missed
    are added, if few); else one stable sort (:func:`stable_order`).

    Examples
    --------
    >>> codes, first = factorize_keys(np.array([30, 10, 30, 20], dtype=np.uint64))
    >>> codes.tolist(), first.tolist()
    ([2, 0, 2, 1], [1, 3, 0])
    """
    n = keys.shape[0]
    step = max(1, n // _KEY_SAMPLE)
    sample, at = np.unique(keys[::step], return_index=True)
    first = at.astype(np.int64) * step
    if 0 < sample.size <= _SOME_KEYS:  # the sample's keys may be all: place, then check
        if sample.size <= _FEW_VALUES:
            codes = np.zeros(n, dtype=code_dtype(n))
            for value in sample[1:].tolist():
                codes += keys >= np.uint64(value)
            if bool((sample[codes] == keys).all()):
                return codes, first
        else:
            codes = np.searchsorted(sample, keys).astype(code_dtype(n))
            np.minimum(codes, sample.size - 1, out=codes)
            missed = np.flatnonzero(sample[codes] != keys)
            if missed.size == 0:
                return codes, first
            if missed.size * _MISSED_SHARE <= n:  # a few rare keys: add them, search again
                more, more_at = np.unique(keys[missed], return_index=True)
                known = np.concatenate([sample, more])
                order = np.argsort(known)
                known = known[order]
                first = np.concatenate([first, missed[more_at]])[order]
                codes = np.searchsorted(known, keys).astype(code_dtype(known.size))
                return codes, first
    order = stable_order(keys)  # (a sort of packed words where they fit: faster)
    ordered = keys[order]
    new = np.empty(n, dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    del ordered
    dtype = code_dtype(starts.size)
    rank = np.cumsum(new, dtype=dtype)
    rank -= 1
    codes = np.empty(n, dtype=dtype)
    codes[order] = rank
    return codes, order[starts].astype(np.int64)


def code_dtype(n_labels: int) -> type[np.signedinteger[Any]]:
    """The integer type of codes into ``n_labels`` labels (and -1): int32 unless too many.

    Examples
    --------
    >>> code_dtype(300_000).__name__, code_dtype(2**31).__name__
    ('int32', 'int64')
    """
    return np.int32 if n_labels < 2**31 - 1 else np.int64


def segment_ties(values: npt.ArrayLike, starts: IntArray) -> IntArray:
    """Positions of the elements equal to the previous element of their segment.

    For rows sorted with :func:`sort_segments`, ``values`` the sorted times:
    the second (third, ...) row of a segment at the same time.

    Examples
    --------
    >>> segment_ties(np.array([1.0, 1.0, 2.0, 2.0, 2.0]), np.array([0, 3])).tolist()
    [1, 4]
    """
    v = np.asarray(values)
    if v.size < 2:
        return np.zeros(0, dtype=np.int64)
    same = v[1:] == v[:-1]
    same[starts[starts > 0] - 1] = False
    return (np.flatnonzero(same) + 1).astype(np.int64)


def factorize(values: npt.NDArray[Any]) -> tuple[IntArray, npt.NDArray[Any]]:
    """Dense integer codes of ``values`` and the sorted distinct values (labels).

    ``labels[codes]`` equals ``values``; codes follow the sort order of the
    labels. Integers with a compact range are factorised in linear time with
    a bitmap; columns with few distinct values by repeated comparison; any
    other column with ``np.unique``.

    Examples
    --------
    >>> codes, labels = factorize(np.array([30, 10, 30, 20]))
    >>> codes.tolist(), labels.tolist()
    ([2, 0, 2, 1], [10, 20, 30])
    >>> codes, labels = factorize(np.array(["b", "a", "b"]))
    >>> codes.tolist(), labels.tolist()
    ([1, 0, 1], ['a', 'b'])
    """
    n = values.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), values[:0]
    if values.dtype.kind in "iu":
        lo, hi = int(values.min()), int(values.max())
        if hi - lo <= _BITMAP_FACTOR * n + _BITMAP_EXTRA:
            # offsets from the minimum, exact in int64 (they lie in 0 .. hi - lo): not in
            # the values' own type, where a narrow range overflows; uint64 values above
            # the int64 range are offset in uint64
            unsigned64 = values.dtype == np.uint64
            if unsigned64:
                offset = (values - np.uint64(lo)).astype(np.int64)
            else:
                offset = values.astype(np.int64)
                offset -= lo
            present = np.zeros(hi - lo + 1, dtype=bool)
            present[offset] = True
            rank = np.cumsum(present, dtype=np.int64) - 1
            found = np.flatnonzero(present)
            del present
            if unsigned64:
                labels = found.astype(np.uint64) + np.uint64(lo)
            else:
                labels = (found + lo).astype(values.dtype)
            return rank[offset], labels
    elif values.dtype.kind in "UST":
        few = _factorize_few(values)
        if few is not None:
            return few
    labels, inverse = np.unique(values, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), labels


def _factorize_few(values: npt.NDArray[Any]) -> tuple[IntArray, npt.NDArray[Any]] | None:
    """Factorise by repeated comparison if there are at most :data:`_FEW_VALUES` values."""
    codes = np.full(values.shape[0], -1, dtype=np.int64)
    found: list[Any] = []
    pos = 0
    while True:
        if len(found) == _FEW_VALUES:
            return None
        value = values[pos]
        codes[values == value] = len(found)
        found.append(value)
        rest = codes < 0
        if not rest.any():
            break
        pos = int(np.argmax(rest))
    labels = np.array(found, dtype=values.dtype)
    order = np.argsort(labels, kind="stable")
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size)
    return rank[codes], labels[order]


def combine_codes(codes: Sequence[IntArray], sizes: Sequence[int]) -> IntArray | None:
    """One int64 key from several code columns (mixed radix), or ``None`` if it would overflow.

    Codes must lie in ``0 .. size - 1``. Sorting by the combined key sorts by
    the columns in order (the first column is the most significant).

    Examples
    --------
    >>> combine_codes([np.array([1, 0]), np.array([2, 5])], [2, 6]).tolist()
    [8, 5]
    """
    total = 1
    for size in sizes:
        total *= max(int(size), 1)
    if total >= 2**63:
        return None
    key = np.zeros(codes[0].shape[0] if codes else 0, dtype=np.int64)
    for c, size in zip(codes, sizes, strict=True):
        key *= max(int(size), 1)
        key += c
    return key


def count_distinct(groups: IntArray, items: IntArray, n_groups: int) -> IntArray:
    """Number of distinct ``items`` in every group ``0 .. n_groups - 1``.

    Examples
    --------
    >>> count_distinct(np.array([0, 0, 0, 2]), np.array([5, 5, 6, 5]), 3).tolist()
    [2, 0, 1]
    """
    if groups.size == 0:
        return np.zeros(n_groups, dtype=np.int64)
    span = int(items.max()) + 1 if items.size else 1
    key = combine_codes([groups, items], [n_groups, span])
    if key is None:  # pragma: no cover - needs more than 2**63 combinations
        pairs = np.unique(np.column_stack([groups, items]), axis=0)
        return np.bincount(pairs[:, 0], minlength=n_groups).astype(np.int64)
    distinct = unique_sorted(key)
    return np.bincount(distinct // span, minlength=n_groups).astype(np.int64)


def unique_sorted(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """The distinct values, sorted (one sort; faster than a hash for integer keys).

    Examples
    --------
    >>> unique_sorted(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
