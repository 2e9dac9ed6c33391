r"""The rules of a track, on the rows of a table sorted into tracks: duplicates and session order.

A track (person x scale x rater x rater id x episode) is in order by date and
session number. Two rules hold within it:

* **Duplicates.** A later row with the same date and session number (or the
  same date and no session numbers) as an earlier one is rejected
  (:class:`~fit_scores.errors.DuplicateAdministrationError`); the reason names
  the row it repeats.
* **Session order.** Session numbers increase strictly with the date. When
  they do not, the rows kept are the *longest* run of numbered rows whose
  sessions increase in date order (a longest strictly increasing subsequence
  of the session numbers in date order), and only the rows outside it are
  rejected (:class:`~fit_scores.errors.SessionOrderError`), each with a reason
  naming its kept neighbours on either side. So one mistyped number rejects
  one row: sessions 10, 2, 3, 4 by date keep 2, 3 and 4 and reject the 10
  (a first-come rule would keep the 10 and reject three correct rows). Where
  several longest runs exist, the one that keeps the earliest rows is kept
  (lexicographically smallest positions): 1, 2, 3, 9, 5 keeps 1, 2, 3, 9 and
  rejects the later 5, as a reader of the form in date order would. Rows
  without a session number take no part in the rule.

The longest run is found in O(k log k) for a track of k rows (patience
sorting), and only for the tracks where a cheap vectorised pass (a running
maximum per track, a block of rows at a time) finds a session out of order;
a table in order costs that one pass. The tracks found run through patience
sorting together, in lockstep over their positions
(:func:`longest_increasing_many`); :func:`longest_increasing` is the same
rule for one track in plain Python, and the reference it is tested against.

Examples
--------
One track of four numbered rows in date order, sessions 10, 2, 3, 4:

>>> import numpy as np
>>> from fit_scores._core.errorlog import ErrorLog
>>> log = ErrorLog()
>>> rows = np.arange(4)
>>> days = np.array([20098, 20105, 20112, 20119])
>>> keep = check_tracks(rows, np.zeros(4, dtype=np.int64), rows, days,
...                     np.array([10, 2, 3, 4]), log)
>>> keep.tolist()
[False, True, True, True]
>>> print(log.entries(["session"])[3][0].replace("; ", ";\n"))
session 10 on 2025-01-10 is out of order: it comes before session 2 on 2025-01-17 in the same track;
session numbers must increase with the date
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from fit_scores._core.errorlog import DeferredReasons, ErrorLog
from fit_scores._core.text import as_text, cat, iso_dates
from fit_scores.errors import DuplicateAdministrationError, SessionOrderError

__all__ = ["check_tracks", "longest_increasing", "longest_increasing_many"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Rows of the session-order pass handled at a time (its temporaries stay small).
_TRACK_BLOCK = 1 << 20
#: Values of the tails matrix of :func:`longest_increasing_many` held at a time.
_LIS_BLOCK = 1 << 22
#: Fewer sequences than this in a block run through :func:`longest_increasing` one at a time
#: (a lockstep step costs about as much as a few dozen values in Python).
_LIS_FEW = 16


def check_tracks(
    rows: IntArray,
    track_key: IntArray,
    time_key: IntArray,
    days: IntArray,
    session: IntArray,
    log: ErrorLog,
) -> BoolArray:
    """Reject later duplicates (same track, date, session) and rows that break the session order.

    Parameters
    ----------
    rows : ndarray of int
        The input row of every sorted row (what the log names).
    track_key, time_key : ndarray of int
        Equal neighbouring keys: the same track; the same track, date and session.
    days, session : ndarray of int
        Date (days since 1970-01-01) and session number (0: none) of the sorted rows.
    log : ErrorLog
        Where the rejected rows are logged.

    Returns
    -------
    ndarray of bool
        The rows kept.
    """
    n = rows.size
    keep = np.ones(n, dtype=bool)
    if n < 2:
        return keep
    # a row is in the same track as the row before it; a duplicate has its time, too
    same_track = np.empty(n, dtype=bool)
    same_track[0] = False
    np.equal(track_key[1:], track_key[:-1], out=same_track[1:])
    dup = np.empty(n, dtype=bool)
    dup[0] = False
    np.equal(time_key[1:], time_key[:-1], out=dup[1:])
    dup &= same_track
    if dup.any():
        where = np.flatnonzero(dup)
        # the first row of every run of duplicates: the last row before it that is not one
        originals = np.flatnonzero(~dup)
        first = originals[np.searchsorted(originals, where) - 1]
        sess = session[where]
        log.add(
            rows[where],
            "date",
            DuplicateAdministrationError,
            cat(
                "the same person, scale, rater, rater id, episode, date (",
                iso_dates(days[where]),
                ") and session (",
                np.where(sess > 0, as_text(sess), "none"),
                ") as row ",
                rows[first],
                "; give session numbers or drop one",
            ),
        )
        keep &= ~dup
    del dup
    suspect = _tracks_out_of_order(same_track, keep, session)
    if suspect.size:
        _keep_longest_runs(rows, same_track, keep, days, session, suspect, log)
    return keep


def _tracks_out_of_order(same_track: BoolArray, keep: BoolArray, session: IntArray) -> IntArray:
    """Start positions of the tracks where a kept numbered row is not above every earlier one.

    A running maximum of ``track index x width + session`` (or the session's
    rank, where that would not fit into int64), a block of rows at a time.
    """
    n = same_track.size
    width = 1
    numbered_any = False
    for start in range(0, n, _TRACK_BLOCK):
        s = np.where(keep[start : start + _TRACK_BLOCK], session[start : start + _TRACK_BLOCK], 0)
        if bool((s > 0).any()):
            numbered_any = True
        width = max(width, int(s.max()) + 1)
    if not numbered_any:
        return np.zeros(0, dtype=np.int64)
    n_tracks = int(np.count_nonzero(~same_track))
    ranks: IntArray | None = None
    numbers: IntArray | None = None
    if width * n_tracks >= 2**62:
        # dense ranks keep the order where track x number would not fit into int64
        numbers, ranks = np.unique(np.where(keep, session, 0), return_inverse=True)
        ranks = ranks.reshape(-1)
        width = numbers.size
    wrong_at: list[IntArray] = []
    track_before = -1  # track index of the row before the block
    running_before = -1  # running maximum before the block (-1: none)
    for start in range(0, n, _TRACK_BLOCK):
        part = slice(start, start + _TRACK_BLOCK)
        s = np.where(keep[part], session[part], 0)
        track_index = np.cumsum(~same_track[part], dtype=np.int64)
        track_index += track_before
        rank = s if ranks is None else ranks[part]
        base = track_index * width
        running = np.maximum.accumulate(base + rank)
        if running_before >= 0:
            np.maximum(running, running_before, out=running)
        before = np.empty(s.size, dtype=np.int64)
        before[0] = running_before
        before[1:] = running[:-1]
        before -= base
        known = before >= 0
        if numbers is not None:
            before = np.where(known, numbers[np.maximum(before, 0)], 0)
        wrong = (s > 0) & known & (before >= s) & (before >= 1)
        if wrong.any():
            wrong_at.append(np.flatnonzero(wrong) + start)
        track_before = int(track_index[-1])
        running_before = int(running[-1])
    if not wrong_at:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(~same_track)
    wrong_rows = np.concatenate(wrong_at)
    found = starts[np.searchsorted(starts, wrong_rows, side="right") - 1]  # (sorted)
    return found[np.r_[True, found[1:] != found[:-1]]]


def longest_increasing(values: list[int]) -> list[int]:
    """Positions of the longest strictly increasing subsequence that keeps the earliest values.

    Among all longest strictly increasing subsequences, the one whose
    positions are lexicographically smallest. O(k log k).

    Examples
    --------
    >>> longest_increasing([10, 2, 3, 4])
    [1, 2, 3]
    >>> longest_increasing([1, 2, 3, 9, 5])
    [0, 1, 2, 3]
    >>> longest_increasing([1, 2, 2, 3])
    [0, 1, 3]
    """
    k = len(values)
    # from the right: the length of the longest strictly increasing run starting at i
    # (a longest strictly decreasing run ending at i of the reversed values)
    from_here = [0] * k
    tails: list[int] = []  # tails[j]: the largest -value that ends a run of length j + 1
    for i in range(k - 1, -1, -1):
        x = -values[i]
        j = bisect.bisect_left(tails, x)
        if j == len(tails):
            tails.append(x)
        else:
            tails[j] = x
        from_here[i] = j + 1
    need = len(tails)
    chosen: list[int] = []
    last: int | None = None
    for i in range(k):
        if need and from_here[i] == need and (last is None or values[i] > last):
            chosen.append(i)
            last = values[i]
            need -= 1
    return chosen


def longest_increasing_many(values: IntArray, lengths: IntArray) -> BoolArray:
    """:func:`longest_increasing` of many sequences at once: which positions it keeps.

    The sequences lie one after another in ``values`` (``lengths[t]`` values
    for sequence ``t``); the result marks, in the same layout, the positions
    that :func:`longest_increasing` keeps in each sequence (the same run, ties
    broken the same way). Patience sorting runs in lockstep over the
    positions of all sequences (the longest first, so the sequences still
    running are a prefix), with a branchless binary search in each row of a
    sequences x length matrix of tails; sequences are taken in blocks whose
    matrix holds at most about four million values, and a block of only a few
    long sequences runs through :func:`longest_increasing` itself.

    Parameters
    ----------
    values : ndarray of int
        The sequences, concatenated; every value above ``-2**63``.
    lengths : ndarray of int
        The length of every sequence (``lengths.sum() == values.size``).

    Returns
    -------
    ndarray of bool
        True where a value is in its sequence's longest run.

    Examples
    --------
    >>> keep = longest_increasing_many(np.array([10, 2, 3, 4, 1, 2, 3, 9, 5]), np.array([4, 5]))
    >>> np.flatnonzero(keep).tolist()
    [1, 2, 3, 4, 5, 6, 7]
    """
    values = np.asarray(values, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    offsets = np.zeros(lengths.size, dtype=np.int64)
    np.cumsum(lengths[:-1], out=offsets[1:])
    keep = np.zeros(values.size, dtype=bool)
    order = np.argsort(-lengths, kind="stable")  # the longest first
    start = 0
    while start < order.size:
        top = int(lengths[order[start]])
        if top == 0:
            break
        width = 1 << top.bit_length()  # a power of two above the longest run
        stop = min(order.size, start + max(1, _LIS_BLOCK // width))
        block = order[start:stop]
        if block.size < _LIS_FEW:
            for t in block.tolist():
                lo = int(offsets[t])
                part = values[lo : lo + int(lengths[t])].tolist()
                keep[[lo + i for i in longest_increasing(part)]] = True
        else:
            _lis_block(values, offsets[block], lengths[block], width, keep)
        start = stop
    return keep


def _lis_block(
    values: IntArray, offsets: IntArray, lengths: IntArray, width: int, keep: BoolArray
) -> None:
    """:func:`longest_increasing_many` of the sequences at ``offsets`` (longest first)."""
    m = offsets.size
    top = int(lengths[0])
    # active[s]: how many sequences are longer than s (a prefix: longest first)
    active = np.searchsorted(-lengths, -np.arange(top, dtype=np.int64), side="left")
    # from the right: the length of the longest strictly increasing run starting at each value
    from_here = np.zeros(m * width, dtype=np.int64)  # row x position, like the tails
    tails = np.full(m * width, np.iinfo(np.int64).max, dtype=np.int64)
    base = np.arange(m, dtype=np.int64) * width
    run = np.zeros(m, dtype=np.int64)  # the longest run of every sequence so far
    longest = 0
    for s in range(top):
        a = int(active[s])
        row = base[:a]
        place = lengths[:a] - 1 - s
        x = -values[offsets[:a] + place]
        # bisect_left in every row: how many tails lie below x (tails rise, then padding);
        # the steps add up to 2**b - 1 >= every run so far
        pos = np.zeros(a, dtype=np.int64)
        step = 1 << (longest.bit_length() - 1) if longest else 0
        while step:
            cand = pos + step
            np.copyto(pos, cand, where=tails[row + cand - 1] < x)
            step >>= 1
        tails[row + pos] = x
        pos += 1
        from_here[row + place] = pos
        np.maximum(run[:a], pos, out=run[:a])
        longest = max(longest, int(pos.max()))
    # from the left: the earliest value that still starts a run of the length needed
    need = run.copy()  # nothing kept yet where need == run
    last = np.zeros(m, dtype=np.int64)
    for s in range(top):
        a = int(active[s])
        at = offsets[:a] + s
        v = values[at]
        n_a = need[:a]
        pick = (n_a > 0) & (from_here[base[:a] + s] == n_a) & ((n_a == run[:a]) | (v > last[:a]))
        keep[at[pick]] = True
        n_a -= pick
        np.copyto(last[:a], v, where=pick)


def _keep_longest_runs(
    rows: IntArray,
    same_track: BoolArray,
    keep: BoolArray,
    days: IntArray,
    session: IntArray,
    suspect: IntArray,
    log: ErrorLog,
) -> None:
    """In the tracks starting at ``suspect``, reject the numbered rows outside the longest run."""
    starts = np.flatnonzero(~same_track)
    ends = np.append(starts[1:], same_track.size)
    stops = ends[np.searchsorted(starts, suspect)]
    del starts, ends
    # the rows of the suspect tracks (one byte a row: +1 where one starts, -1 where it stops)
    edge = np.zeros(same_track.size + 1, dtype=np.int8)
    edge[suspect] = 1
    edge[stops] -= 1
    inside = np.cumsum(edge[:-1], dtype=np.int8).astype(bool)
    del edge
    # the kept numbered rows of the suspect tracks, track by track in sorted order
    where = np.flatnonzero(inside & keep & (session > 0))
    del inside
    track_of = np.searchsorted(suspect, where, side="right")
    first_of = np.flatnonzero(np.r_[True, track_of[1:] != track_of[:-1]])
    lengths = np.diff(np.append(first_of, where.size))
    in_run = longest_increasing_many(session[where], lengths)
    # the kept neighbours of every row outside the run, within its track
    index = np.arange(where.size, dtype=np.int64)
    start_of = np.repeat(first_of, lengths)
    stop_of = start_of + np.repeat(lengths, lengths)
    prev_kept = np.maximum.accumulate(np.where(in_run, index, -1))
    next_kept = np.minimum.accumulate(np.where(in_run, index, where.size)[::-1])[::-1]
    out = np.flatnonzero(~in_run)
    at = where[out]
    before = np.where(prev_kept[out] >= start_of[out], where[prev_kept[out]], -1)
    safe_next = np.minimum(next_kept[out], where.size - 1)
    after = np.where(next_kept[out] < stop_of[out], where[safe_next], -1)

    # the reasons name the kept neighbours (session 0: none); they are written when the
    # report is read (each costs about a microsecond, and a file can have many)
    has_before, has_after = before >= 0, after >= 0
    safe_before, safe_after = np.maximum(before, 0), np.maximum(after, 0)
    reasons = DeferredReasons(
        _out_of_order_reasons,
        (
            session[at],
            days[at],
            np.where(has_before, session[safe_before], 0),
            days[safe_before],
            np.where(has_after, session[safe_after], 0),
            days[safe_after],
        ),
    )
    log.add(rows[at], "session", SessionOrderError, reasons)
    keep[at] = False


def _out_of_order_reasons(
    session: IntArray,
    day: IntArray,
    session_before: IntArray,
    day_before: IntArray,
    session_after: IntArray,
    day_after: IntArray,
) -> npt.NDArray[np.object_]:
    """The reasons of rows out of session order, naming their kept neighbours (session 0: none).

    One f-string a row for each case (a kept neighbour before, after, or
    both), each distinct date written once: several times faster than
    adding object arrays elementwise.
    """
    n = session.size
    has_before, has_after = session_before > 0, session_after > 0
    on = _distinct_texts(np.concatenate([day, day_before, day_after]), iso_dates)
    on_at, on_before, on_after = on[:n], on[n : 2 * n], on[2 * n :]

    def fields(case: BoolArray, *which: tuple[IntArray, npt.NDArray[np.object_]]) -> list[Any]:
        return [part[case].tolist() for pair in which for part in pair]

    tail = " in the same track; session numbers must increase with the date"
    at, before, after = (session, on_at), (session_before, on_before), (session_after, on_after)
    out = np.empty(n, dtype=object)
    case = has_before & has_after
    k, d, kb, db, ka, da = fields(case, at, before, after)
    out[case] = _objects(
        [
            f"session {k[j]} on {d[j]} is out of order: it comes after session {kb[j]} on "
            f"{db[j]} and before session {ka[j]} on {da[j]}{tail}"
            for j in range(len(k))
        ]
    )
    case = has_before & ~has_after
    k, d, kb, db = fields(case, at, before)
    out[case] = _objects(
        [
            f"session {k[j]} on {d[j]} is out of order: it comes after session {kb[j]} on "
            f"{db[j]}{tail}"
            for j in range(len(k))
        ]
    )
    case = ~has_before & has_after
    k, d, ka, da = fields(case, at, after)
    out[case] = _objects(
        [
            f"session {k[j]} on {d[j]} is out of order: it comes before session {ka[j]} on "
            f"{da[j]}{tail}"
            for j in range(len(k))
        ]
    )
    case = ~has_before & ~has_after  # (not met: the run keeps a row of every track)
    k, d = fields(case, at)
    out[case] = _objects(
        [f"session {k[j]} on {d[j]} is out of order: it comes {tail}" for j in range(len(k))]
    )
    return out


def _objects(strings: list[str]) -> npt.NDArray[np.object_]:
    """Python strings as an object array (not through a fixed-width text array)."""
    out = np.empty(len(strings), dtype=object)
    out[:] = strings
    return out


def _distinct_texts(
    values: IntArray, write: Callable[[IntArray], npt.ArrayLike]
) -> npt.NDArray[np.object_]:
    """``write(values)`` as Python strings, each distinct value written once."""
    if values.size == 0:
        return np.zeros(0, dtype=object)
    low = int(values.min())
    span = int(values.max()) - low + 1
    if span > 4 * values.size:
        distinct, index = np.unique(values, return_inverse=True)
        texts: npt.NDArray[np.object_] = np.asarray(write(distinct)).astype(object)
        return texts[index.reshape(-1)]
    # the values lie close together (as the dates and session numbers of a table do): a
    # table of the span, no sort
    present = np.zeros(span, dtype=bool)
    present[values - low] = True
    rank = np.cumsum(present, dtype=np.int64) - 1
    texts = np.asarray(write(np.flatnonzero(present) + low)).astype(object)
    return texts[rank[values - low]]
