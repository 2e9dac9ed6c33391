"""Differential tests of the fast paths of reading: each against the plain reference it replaces.

* :func:`fit_scores._core.track_rules.longest_increasing_many` (patience
  sorting of many tracks in lockstep) against
  :func:`~fit_scores._core.track_rules.longest_increasing` (one track in
  Python), the same positions kept, ties included;
* :func:`~fit_scores._core.track_rules.check_tracks` against the
  track-by-track session-order rule written out plainly here (the rows it
  rejects, in order, and the reasons naming their kept neighbours).
"""

from __future__ import annotations

import bisect
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fit_scores._core import track_rules
from fit_scores._core.errorlog import ErrorLog
from fit_scores._core.text import iso_dates
from fit_scores._core.track_rules import check_tracks, longest_increasing, longest_increasing_many
from fit_scores.io import tokenizer

sequences = st.lists(st.lists(st.integers(-6, 12), max_size=40), max_size=40)


def reference_keep(seqs: list[list[int]]) -> list[bool]:
    keep: list[bool] = []
    for seq in seqs:
        chosen = set(longest_increasing(seq))
        keep += [i in chosen for i in range(len(seq))]
    return keep


def many(seqs: list[list[int]]) -> list[bool]:
    values = np.array([v for seq in seqs for v in seq], dtype=np.int64)
    lengths = np.array([len(seq) for seq in seqs], dtype=np.int64)
    result: list[bool] = longest_increasing_many(values, lengths).tolist()
    return result


@given(sequences)
def test_many_keeps_what_longest_increasing_keeps(seqs: list[list[int]]) -> None:
    assert many(seqs) == reference_keep(seqs)


@given(sequences)
def test_many_in_small_blocks_and_all_vectorised(seqs: list[list[int]]) -> None:
    """Every block through the lockstep path, with tails matrices of a few rows."""
    with (
        mock.patch.object(track_rules, "_LIS_FEW", 1),
        mock.patch.object(track_rules, "_LIS_BLOCK", 64),
    ):
        assert many(seqs) == reference_keep(seqs)


@given(st.lists(st.integers(1, 2**62), max_size=60), st.integers(1, 30))
def test_many_with_large_values_and_many_copies(seq: list[int], copies: int) -> None:
    """Large session numbers; many tracks of the same length run in one block."""
    assert many([seq] * copies) == reference_keep([seq] * copies)


def test_many_on_long_and_short_tracks() -> None:
    """A few long tracks (run one at a time) next to many short ones (run in lockstep)."""
    rng = np.random.default_rng(7)
    seqs = [rng.integers(1, 50, 3000).tolist() for _ in range(3)]
    seqs += [rng.integers(1, 30, int(rng.integers(0, 25))).tolist() for _ in range(2000)]
    assert many(seqs) == reference_keep(seqs)


def reference_session_order(
    rows: np.ndarray, track: np.ndarray, days: np.ndarray, session: np.ndarray
) -> tuple[list[int], list[str]]:
    """The session-order rule track by track (no duplicates in the input): rows and reasons."""
    out_rows: list[int] = []
    reasons: list[str] = []
    starts = np.flatnonzero(np.r_[True, track[1:] != track[:-1]])
    ends = np.append(starts[1:], track.size)
    for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
        where = [lo + i for i in range(hi - lo) if session[lo + i] > 0]
        kept = set(longest_increasing([int(session[w]) for w in where]))
        kept_at = [where[i] for i in sorted(kept)]
        for i, at in enumerate(where):
            if i in kept:
                continue
            j = bisect.bisect_left(kept_at, at)

            def text(k: int, word: str) -> str:
                return f"{word} session {session[k]} on {iso_dates(days[k : k + 1])[0]}"

            parts = []
            if j > 0:
                parts.append(text(kept_at[j - 1], "after"))
            if j < len(kept_at):
                parts.append(text(kept_at[j], "before"))
            out_rows.append(int(rows[at]))
            reasons.append(
                f"session {session[at]} on {iso_dates(days[at : at + 1])[0]} is out of order: "
                f"it comes {' and '.join(parts)} in the same track; "
                "session numbers must increase with the date"
            )
    return out_rows, reasons


@pytest.mark.parametrize(
    ("gap", "factor"),  # dates and session numbers close together (a table) or far apart
    [(2, 1), (400, 1), (2, 10**12)],
)
def test_check_tracks_against_the_rule_track_by_track(gap: int, factor: int) -> None:
    rng = np.random.default_rng(11)
    n_tracks = 3000
    size = rng.integers(1, 12, n_tracks)
    size[:5] = 400  # a few long tracks
    track = np.repeat(np.arange(n_tracks), size)
    n = track.size
    # distinct days within a track (so no duplicates), in date order
    days = 20000 + np.cumsum(rng.integers(1, gap, n))
    session = rng.integers(0, 15, n)  # 0: no session number
    ordered = rng.random(n_tracks) < 0.5
    rank = np.arange(n) - np.repeat(np.cumsum(size) - size, size)
    session = np.where(ordered[track], rank + 1, session) * factor
    rows = rng.permutation(n).astype(np.int64)
    log = ErrorLog()
    keep = check_tracks(rows, track.astype(np.int64), np.arange(n), days, session, log)
    got_rows, columns, errors, got_reasons = log.entries(["session"])
    want = sorted(zip(*reference_session_order(rows, track, days, session), strict=True))
    assert len(want) > 1000
    assert got_rows.tolist() == [row for row, _ in want]  # the log sorts by row
    assert got_reasons.tolist() == [reason for _, reason in want]
    assert set(errors.tolist()) == {"SessionOrderError"}
    assert set(columns.tolist()) == {"session"}
    assert sorted(rows[~keep].tolist()) == [row for row, _ in want]


def breaks_inside_reference(raw: bytes) -> bool:
    """A line break between an opening quote and its closing one, read byte by byte."""
    inside = False
    for byte in raw:
        if byte == ord('"'):
            inside = not inside
        elif byte in b"\r\n" and inside:
            return True
    return False


@given(st.lists(st.sampled_from([b"a", b",", b'"', b"\n", b"\r", b"\xc3\xa5"]), max_size=200))
def test_breaks_in_quotes_against_a_byte_by_byte_reading(parts: list[bytes]) -> None:
    raw = b"".join(parts)
    if raw.count(b'"') % 2:
        raw += b'"'
    buf = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(buf == ord('"')).astype(np.int32)
    expected = breaks_inside_reference(raw)
    # both ways of looking: the quoted bytes only, and every line break placed among the quotes
    for share in (0, 10**9):
        with mock.patch.object(tokenizer, "_QUOTED_SHARE", share):
            assert tokenizer._breaks_in_quotes(buf, quotes, np.int32) == expected
