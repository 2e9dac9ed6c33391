"""The summary computed in blocks of tracks equals the summary computed in one block."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from fit_scores import AllianceRules
from fit_scores._core import segments as seg
from fit_scores.table import ScoreTable, from_columns
from fit_scores.table import summary as summary_module
from fit_scores.trajectories import fit_expected_response


def mixed_table(n: int = 3000, seed: int = 7) -> ScoreTable:
    """ORS and SRS tracks with skipped meetings, missing sessions and ages, items."""
    rng = np.random.default_rng(seed)
    skip = rng.random(n) < 0.1
    columns: dict[str, Any] = {
        "person": np.sort(rng.integers(0, n // 6, n)),
        "scale": np.where(rng.random(n) < 0.5, "SRS", "ORS"),
        "date": np.datetime64("2010-01-01") + np.arange(n),
        "session": np.where(rng.random(n) < 0.05, np.nan, np.arange(n) + 1.0),
        "age": np.where(rng.random(n) < 0.05, np.nan, rng.integers(13, 60, n)),
        "coordinator": rng.integers(0, 9, n),
        "skip": skip,
    }
    level = rng.uniform(3.0, 10.0, n)
    for j in range(1, 5):
        item = np.clip(np.round(level + rng.normal(0, 1.0, n), 1), 0.0, 10.0)
        columns[f"item_{j}"] = np.where(skip, np.nan, item)
    table = from_columns(columns, group_columns=["coordinator"])
    assert table.n_rejected == 0, table.errors.to_records()[:3]
    return table


def summaries(table: ScoreTable) -> list[Any]:
    model = fit_expected_response(table, "growth", scale="ORS", axis="days")
    rules = AllianceRules(cutoff=36.0, drop=3.0, ceiling_repeats=2, item_below=5.0)
    out: list[Any] = []
    for summary in (
        table.summarize(),
        table.summarize(rules=rules, non_reliable_recovery=True),
        table.summarize(model=model),
    ):
        out.append(summary.to_records())
        out.append([str(dtype) for dtype in summary.to_pandas().dtypes])
        out.append(summary.aggregate(["scale", "age_band"]).to_records())
    return out


def test_blocks_of_tracks_give_the_summary_of_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    table = mixed_table()
    assert table.n_tracks > 50 and table.skip.any()
    whole = summaries(table)
    monkeypatch.setattr(summary_module, "_BLOCK_TRACKS", 7)
    monkeypatch.setattr(summary_module, "_BLOCK_ROWS", 20)
    monkeypatch.setattr(seg.segment_blocks, "__kwdefaults__", {"segments": 3, "rows": 5})
    assert summaries(table) == whole


@pytest.mark.parametrize(("segments", "rows"), [(1, 1), (2, 3), (5, 40), (1 << 18, 1 << 20)])
def test_segment_reductions_in_blocks(segments: int, rows: int) -> None:
    rng = np.random.default_rng(segments + rows)
    n = 500
    starts = np.flatnonzero(np.r_[True, rng.random(n - 1) < 0.2]).astype(np.int64)
    mask = rng.random(n) < 0.3
    blocks = list(seg.segment_blocks(starts, n, segments=segments, rows=rows))
    assert [a for a, _, _, _ in blocks] == [0, *(b for _, b, _, _ in blocks[:-1])]
    assert blocks[-1][1] == starts.size and blocks[-1][3] == n
    for a, b, r0, r1 in blocks:
        assert 1 <= b - a <= segments and r0 == starts[a]
        assert r1 - r0 <= rows or b - a == 1
    ends = np.r_[starts[1:], n]
    first = [int(np.flatnonzero(mask[s:e])[0]) + s if mask[s:e].any() else -1
             for s, e in zip(starts, ends, strict=True)]  # fmt: skip
    last = [int(np.flatnonzero(mask[s:e])[-1]) + s if mask[s:e].any() else -1
            for s, e in zip(starts, ends, strict=True)]  # fmt: skip
    defaults = seg.segment_blocks.__kwdefaults__
    try:
        seg.segment_blocks.__kwdefaults__ = {"segments": segments, "rows": rows}
        assert seg.segment_first_where(mask, starts).tolist() == first
        assert seg.segment_last_where(mask, starts).tolist() == last
    finally:
        seg.segment_blocks.__kwdefaults__ = defaults
    counts = seg.segment_sum(mask, starts)
    assert counts.dtype == np.int64
    assert counts.tolist() == [int(mask[s:e].sum()) for s, e in zip(starts, ends, strict=True)]
