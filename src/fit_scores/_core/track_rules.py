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
a table in order costs that one pass.

Examples
--------
One track of four numbered rows in date order, sessions 10, 2, 3, 4:

>>> import numpy as np
>>> from fit_scores._core.rules import ErrorLog
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

import numpy as np
import numpy.typing as npt

from fit_scores._core.rules import ErrorLog
from fit_scores._core.text import as_text, cat, iso_dates
from fit_scores.errors import DuplicateAdministrationError, SessionOrderError

__all__ = ["check_tracks", "longest_increasing"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Rows of the session-order pass handled at a time (its temporaries stay small).
_TRACK_BLOCK = 1 << 20


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
    return np.unique(starts[np.searchsorted(starts, wrong_rows, side="right") - 1])


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
    wrong: list[int] = []
    prev_at: list[int] = []
    next_at: list[int] = []
    for lo, hi in zip(suspect.tolist(), stops.tolist(), strict=True):
        where = lo + np.flatnonzero(keep[lo:hi] & (session[lo:hi] > 0))
        numbers = session[where].tolist()
        kept = set(longest_increasing(numbers))
        kept_positions = [int(where[i]) for i in sorted(kept)]
        for i, at in enumerate(where.tolist()):
            if i in kept:
                continue
            j = bisect.bisect_left(kept_positions, at)
            wrong.append(at)
            prev_at.append(kept_positions[j - 1] if j > 0 else -1)
            next_at.append(kept_positions[j] if j < len(kept_positions) else -1)
    at = np.array(wrong, dtype=np.int64)
    before = np.array(prev_at, dtype=np.int64)
    after = np.array(next_at, dtype=np.int64)

    def neighbour(which: IntArray, word: str) -> npt.NDArray[np.object_]:
        has = which >= 0
        safe = np.maximum(which, 0)
        text = cat(f"{word} session ", session[safe], " on ", iso_dates(days[safe]))
        return np.where(has, text, "")

    first = neighbour(before, "after")
    second = neighbour(after, "before")
    joined = np.where((before >= 0) & (after >= 0), cat(first, " and ", second), cat(first, second))
    log.add(
        rows[at],
        "session",
        SessionOrderError,
        cat(
            "session ",
            session[at],
            " on ",
            iso_dates(days[at]),
            " is out of order: it comes ",
            joined,
            " in the same track; session numbers must increase with the date",
        ),
    )
    keep[at] = False
