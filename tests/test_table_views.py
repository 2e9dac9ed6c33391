"""Views of the score table: trajectories and pre/post pairs, against the record API."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import fit_scores as fs
from fit_scores import AllianceRules, clinical_significance, reliable_change
from fit_scores import table as fs_table
from fit_scores import trajectories as tj
from fit_scores._core import rules as core_rules
from fit_scores._core import segments as seg
from fit_scores._core import tracks as core_tracks
from fit_scores.simulate import simulate_cohort
from fit_scores.table import TableInputError, from_columns, from_records
from fit_scores.trajectories import TrajectoryData, fit_expected_response
from tests.test_table_summary import KEY, grouped, random_rows, track_of

GROUPS = ["coordinator"]  # the grouping column random_rows adds


@pytest.fixture(scope="module")
def cohort() -> Any:
    return simulate_cohort(160, seed=11, years=1.5)


def _tracks_in_summary_order(rows: list[dict[str, Any]], scale: str) -> tuple[list[int], list[Any]]:
    """Summary row indexes of the tracks of ``scale`` and those tracks as Track objects."""
    table = from_records(rows, group_columns=GROUPS)
    by_key = grouped(rows)
    index, tracks = [], []
    for i, rec in enumerate(table.summarize().to_records()):
        if rec["scale"] == scale:
            index.append(i)
            tracks.append(track_of(by_key[tuple(rec[k] for k in KEY)]))
    return index, tracks


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("axis", ["session", "days"])
def test_trajectories_equal_those_built_from_tracks(seed: int, axis: Any) -> None:
    rows = random_rows(seed)
    table = from_records(rows, group_columns=GROUPS)
    for scale in ("ORS", "SRS"):
        if scale not in [s.key for s in table.scales]:
            continue
        index, tracks = _tracks_in_summary_order(rows, scale)
        view = table.trajectories(axis, scale=scale)
        expected = TrajectoryData.from_tracks(tracks, axis=axis)
        assert view.axis == expected.axis == axis
        assert view.track_ids.tolist() == index  # the summary's rows: results join back
        np.testing.assert_array_equal(view.starts, expected.starts)
        np.testing.assert_array_equal(view.time, expected.time)
        np.testing.assert_array_equal(view.score, expected.score)
        np.testing.assert_array_equal(view.intake, expected.intake)
        assert view.higher_is_better is True and expected.higher_is_better is None
        for k, tr in enumerate(tracks):  # the table's times are Track.times
            a, b = view.starts[k], view.starts[k] + view.counts[k]
            np.testing.assert_array_equal(view.time[a:b], tr.times(axis))


def test_times_follow_the_rule_of_track_times() -> None:
    columns: dict[str, Any] = {
        "person": ["a", "a", "a", "b", "b", "b"],
        "scale": ["ORS"] * 6,
        "date": [
            "2025-01-10",
            "2025-01-17",
            "2025-02-09",
            "2025-01-01",
            "2025-01-05",
            "2025-01-09",
        ],
        "session": [2, 3, 5, None, 2, 3],
        "total": [20.0, None, 22.0, None, 25.0, 26.0],
        "skip": [False, True, False, True, False, False],
    }
    table = from_columns(columns)
    session, days = table.times("session"), table.times("days")
    # a: every scored row numbered -> session numbers; b: the skipped first row is not numbered,
    # the scored ones are -> session numbers; days from the first *scored* date
    np.testing.assert_array_equal(session, [2.0, np.nan, 5.0, np.nan, 2.0, 3.0])
    np.testing.assert_array_equal(days, [0.0, np.nan, 30.0, np.nan, 0.0, 4.0])
    with pytest.raises(TableInputError, match="axis"):
        table.times("weeks")  # type: ignore[arg-type]


@pytest.mark.parametrize("axis", ["session", "days"])
@pytest.mark.parametrize("method", ["growth", "cohort", "neighbours"])
def test_fit_straight_from_a_table(cohort: Any, method: Any, axis: Any) -> None:
    table = from_columns(cohort.to_dict())
    assert table.n_rejected == 0
    by_person = {t.person: t for t in cohort.tracks()}
    tracks = [by_person[p] for p in table.summarize()["person"].tolist()]
    options: dict[str, dict[str, Any]] = {
        "cohort": {"min_n": 5, "k_max": 12.0},
        "neighbours": {"n_neighbours": 15},
    }
    kwargs = options.get(method, {})
    from_table = fit_expected_response(table, method, axis=axis, **kwargs)
    data = TrajectoryData.from_tracks(tracks, axis=axis)
    assert from_table.scale_key == "ORS"  # a table knows its scale; trajectory data do not
    same = from_table.model_copy(update={"scale_key": None})
    assert same == fit_expected_response(data, method, **kwargs)
    assert same == fit_expected_response(table.trajectories(axis), method, **kwargs)
    assert from_table.axis == axis


def test_fit_takes_the_direction_from_the_table(cohort: Any) -> None:
    table = from_columns(cohort.to_dict())
    data = table.trajectories()
    assert fit_expected_response(table).higher_is_better is True
    lower = fit_expected_response(table, higher_is_better=False)  # told: as told
    assert lower.higher_is_better is False
    flipped = TrajectoryData(
        data.track_ids, data.starts, data.time, data.score, data.axis, {}, higher_is_better=False
    )
    assert fit_expected_response(flipped).higher_is_better is False
    with pytest.raises(tj.TrajectoryInputError, match="axis"):
        fit_expected_response(data, axis="days")
    with pytest.raises(tj.TrajectoryInputError, match="scale="):
        fit_expected_response(data, scale="ORS")
    with pytest.raises(tj.TrajectoryInputError, match="TrajectoryData or a ScoreTable"):
        fit_expected_response([1, 2, 3])  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(10))
def test_pre_post_are_the_summarys_intake_and_latest(seed: int) -> None:
    table = from_records(random_rows(seed), group_columns=GROUPS)
    summary = table.summarize()
    scale = summary["scale"]
    for key in ("ORS", "SRS"):
        if key not in scale.tolist():
            continue
        of_scale = np.flatnonzero(scale == key)
        data = table.pre_post(scale=key, by="coordinator")
        two = summary["n_scored"][of_scale] >= 2
        assert data.n_original == of_scale.size
        assert data.ids.tolist() == of_scale[two].tolist()
        assert data.excluded.tolist() == of_scale[~two].tolist()
        np.testing.assert_array_equal(data.pre, summary["intake"][of_scale[two]])
        np.testing.assert_array_equal(data.post, summary["latest"][of_scale[two]])
        assert data.group is not None
        assert data.group.tolist() == summary["coordinator"][of_scale[two]].tolist()
        assert data.long is not None
        assert data.long.starts.size == of_scale.size
        by_person = table.pre_post(scale=key, ids="person")
        assert by_person.ids.tolist() == summary["person"][of_scale[two]].tolist()


def test_clinical_significance_from_a_table_equals_on_arrays() -> None:
    table = from_records(random_rows(3) + random_rows(4), group_columns=GROUPS)
    summary = table.summarize()
    rows = np.flatnonzero((summary["scale"] == "ORS") & (summary["n_scored"] >= 2))
    pre, post = summary["intake"][rows], summary["latest"][rows]
    options: dict[str, Any] = {
        "higher_is_better": True,
        "reliability": 0.93,
        "cutoff_type": "c",
        "m_functional": 28.0,
        "sd_functional": 6.8,
        "m_clinical": 19.6,
        "sd_clinical": 8.7,
    }
    from_table = clinical_significance(table.pre_post(scale="ORS"), **options)
    on_arrays = clinical_significance(pre.astype(float), post.astype(float), **options)
    assert from_table.category.tolist() == on_arrays.category.tolist()
    np.testing.assert_array_equal(from_table.rci, on_arrays.rci)
    assert from_table.to_records() != [] and len(from_table.to_records()) == rows.size


def test_hlm_runs_on_the_pre_post_view(cohort: Any) -> None:
    table = from_columns(cohort.to_dict())
    data = table.pre_post()
    assert data.long is not None
    np.testing.assert_array_equal(data.long.time, table.times("session")[~table.skip])
    result = reliable_change(data, method="HLM", higher_is_better=True)
    counts = seg.segment_counts(data.long.starts, data.long.time.size)
    assert len(result.to_records()) == int((counts >= 3).sum())
    assert result.rci is not None and np.isfinite(result.rci).all()


def test_views_of_a_table_of_several_scales_need_a_scale() -> None:
    table = from_records(
        random_rows(0) + [dict(r, person="x" + r["person"]) for r in random_rows(5)],
        group_columns=GROUPS,
    )
    keys = [s.key for s in table.scales]
    assert len(keys) > 1
    for view in (table.trajectories, table.pre_post):
        with pytest.raises(TableInputError, match="choose one with scale=") as info:
            view()
        assert all(k in str(info.value) for k in keys)
        with pytest.raises(TableInputError, match="'GSRS' is not in the table"):
            view(scale="GSRS")
    with pytest.raises(TableInputError, match="choose one with scale="):
        fit_expected_response(table)
    assert table.trajectories(scale="ors").n_tracks == table.trajectories(scale="ORS").n_tracks
    with pytest.raises(TableInputError, match="by='nope' is not a column"):
        table.pre_post(scale="ORS", by="nope")
    with pytest.raises(TableInputError, match="ids"):
        table.pre_post(scale="ORS", ids="row")  # type: ignore[arg-type]
    for by in ("rater", "rater_id", "episode", "ending_reason"):
        assert table.pre_post(scale="ORS", by=by).group is not None
    empty = from_records([{"person": "p", "scale": "NOPE", "date": "2025-01-01", "total": 1.0}])
    with pytest.raises(TableInputError, match="no valid rows"):
        empty.trajectories()


def test_two_scores_on_one_day_cannot_be_on_the_days_axis() -> None:
    table = from_records(
        [
            {"person": "p", "scale": "ORS", "date": "2025-01-01", "session": 1, "total": 20.0},
            {"person": "p", "scale": "ORS", "date": "2025-01-01", "session": 2, "total": 22.0},
        ]
    )
    assert table.trajectories("session").time.tolist() == [1.0, 2.0]
    with pytest.raises(tj.TrajectoryInputError, match="input row 1: two scores"):
        table.trajectories("days")
    tracks = [track_of([dict(r) for r in table.to_records()])]
    with pytest.raises(tj.TrajectoryInputError, match="same time"):
        TrajectoryData.from_tracks(tracks, axis="days")


def test_one_tuple_of_raters_bands_and_statuses() -> None:
    assert core_tracks.RATERS is core_rules.RATERS is fs_table.RATERS
    assert fs_table.BANDS is core_tracks.BANDS
    assert fs_table.STATUSES is tj.STATUSES
    assert fs.AllianceRules().thresholds() == AllianceRules().thresholds()


@pytest.mark.parametrize("seed", range(5))
def test_sort_segments_orders_by_key_then_time_stably(seed: int) -> None:
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 6, 200)
    times = rng.integers(0, 10, 200).astype(float)
    order, starts = seg.sort_segments(keys, times)
    expected = sorted(range(200), key=lambda i: (keys[i], times[i], i))
    assert order.tolist() == expected
    assert starts.tolist() == seg.starts_of(keys[order]).tolist()
    ties = seg.segment_ties(times[order], starts)
    sk, st = keys[order], times[order]
    want = [i for i in range(1, 200) if sk[i] == sk[i - 1] and st[i] == st[i - 1]]
    assert ties.tolist() == want
