"""The array interface of the expected-response models: bands and the status kernel.

``model.expected_bands`` must give exactly the numbers of a loop of
``model.expected`` (it is what the table summary uses), and ``model.statuses``
exactly the statuses of ``model.status(track)``.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
import pytest

import fit_scores as fs
from fit_scores import trajectories as tj
from fit_scores.simulate import simulate_cohort
from tests.test_trajectories import growth_data, make_track

METHODS = ("growth", "cohort", "neighbours")
AXES = ("session", "days")


@cache
def _cohort() -> Any:
    return simulate_cohort(400, seed=23)


@cache
def _data(axis: str) -> tj.TrajectoryData:
    if axis == "session":
        data, _ = growth_data(1500, seed=41)
        return data
    sim = _cohort()
    return tj.TrajectoryData.from_arrays(sim.person, sim.date, sim.total, axis="days")


@cache
def _model(method: str, axis: str, higher_is_better: bool = True) -> Any:
    return tj.fit_expected_response(
        _data(axis),
        method,  # type: ignore[arg-type]
        min_n=10,
        higher_is_better=higher_is_better,
    )


def _grid(axis: str) -> tuple[np.ndarray, np.ndarray]:
    """Intakes x times: the intake time, ordinary times, far intakes, times without data."""
    intakes = np.array([0.4, 6.0, 12.3, 12.35, 18.0, 20.0, 20.25, 26.5, 33.3, 39.9, 60.0])
    if axis == "session":
        times = np.array([1, 2, 3, 4, 5, 7, 10, 40, 200], dtype=float)
    else:
        times = np.array([0, 1, 14, 15, 29, 45, 75, 120, 365, 900, 5000], dtype=float)
    x, t = np.meshgrid(intakes, times, indexing="ij")
    return x.ravel(), t.ravel()


def _assert_same_as_scalar(model: Any, bands: tj.ExpectedBands, covariates: Any = None) -> int:
    """Every pair of ``bands`` equals ``model.expected``; returns how many had no reference."""
    missing = 0
    for r, (x, t) in enumerate(zip(bands.intake.tolist(), bands.at.tolist(), strict=True)):
        try:
            one = model.expected(x, t, covariates=covariates)
        except tj.NoReferenceDataError:
            missing += 1
            assert not bands.available[r]
            assert math.isnan(bands.median[r]) and np.isnan(bands.values[r]).all()
            assert bands.n_reference[r] == -1
            with pytest.raises(tj.NoReferenceDataError):
                bands.item(r)
            continue
        assert bands.available[r]
        assert bands.item(r) == one  # exactly: median, every percentile, n_reference
    return missing


# --- expected_bands ---------------------------------------------------------------------


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("method", METHODS)
def test_expected_bands_equal_a_loop_of_expected(method: str, axis: str) -> None:
    model = _model(method, axis)
    x, t = _grid(axis)
    bands = model.expected_bands(x, t)
    assert len(bands) == x.size and bands.percentiles == model.percentiles
    np.testing.assert_array_equal(bands.intake, x)
    np.testing.assert_array_equal(bands.at, t)
    missing = _assert_same_as_scalar(model, bands)
    # at the intake time the expected score is the intake itself, for every model
    start = 1.0 if axis == "session" else 0.0
    at_intake = t == start
    np.testing.assert_array_equal(bands.median[at_intake], x[at_intake])
    np.testing.assert_array_equal(bands.values[at_intake], np.repeat(x[at_intake, None], 4, 1))
    assert bands.available[at_intake].all()
    if method == "cohort":  # far intakes and times beyond the data have no reference
        assert missing > 0
        assert not bands.available[(x == 60.0) & ~at_intake].any()
        assert not bands.available[t == t.max()].any()
    else:
        assert missing == 0 and bands.available.all()


@pytest.mark.parametrize("method", METHODS)
def test_expected_bands_broadcast_and_repeat(method: str) -> None:
    model = _model(method, "session")
    times = np.array([4.0, 1.0, 4.0, 6.0, 4.0])
    bands = model.expected_bands(20.0, times)
    assert bands.intake.tolist() == [20.0] * 5
    np.testing.assert_array_equal(bands.median[[0, 2, 4]], np.full(3, bands.median[0]))
    assert bands.item(3) == model.expected(20.0, 6.0)
    single = model.expected_bands(20.0, 4)
    assert len(single) == 1 and single.item(0) == model.expected(20.0, 4)
    empty = model.expected_bands(np.array([]), np.array([]))
    assert len(empty) == 0 and empty.values.shape == (0, 4)


def test_neighbours_with_covariates_per_pair() -> None:
    data, _ = growth_data(1000, seed=31)
    rng = np.random.default_rng(0)
    ids = np.repeat(np.arange(data.n_tracks), data.counts)
    group = np.repeat(rng.integers(0, 2, data.n_tracks), data.counts).astype(float)
    with_cov = tj.TrajectoryData.from_arrays(
        ids, data.time, data.score + 3 * group, covariates={"group": group}
    )
    model = tj.fit_expected_response(with_cov, "neighbours", covariates=["group"], n_neighbours=60)
    x = np.array([14.0, 14.0, 20.0, 20.0, 26.0, 26.0])
    t = np.array([3.0, 3.0, 5.0, 1.0, 8.0, 8.0])
    g = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    bands = model.expected_bands(x, t, covariates={"group": g})
    for r in range(x.size):
        assert bands.item(r) == model.expected(x[r], t[r], covariates={"group": g[r]})
    assert bands.median[1] > bands.median[0]  # group 1 scores 3 points higher
    same = model.expected_bands(x, t, covariates={"group": 0.0})
    assert same.item(2) == bands.item(2)
    with pytest.raises(tj.TrajectoryInputError, match="covariates"):
        model.expected_bands(x, t)
    with pytest.raises(tj.TrajectoryInputError, match="covariate 'group'"):
        model.expected_bands(x, t, covariates={"group": [0.0, 1.0]})


def test_expected_bands_object() -> None:
    model = _model("cohort", "session")
    bands = model.expected_bands([20.0, 20.0, 60.0], [4, 200, 4])
    assert bands.available.tolist() == [True, False, False]
    assert bands.band(50) is bands.median
    np.testing.assert_array_equal(bands.band(10), bands.values[:, 0])
    np.testing.assert_array_equal(bands.band(90), bands.values[:, 3])
    with pytest.raises(KeyError, match="33"):
        bands.band(33)
    with pytest.raises(ValueError, match="read-only"):
        bands.median[0] = 1.0
    columns = bands.to_dict()
    names = ["intake", "at", "median", "p10", "p25", "p75", "p90", "n_reference", "available"]
    assert list(columns) == names
    assert bands.n_reference[0] == model.expected(20.0, 4).n_reference


@pytest.mark.parametrize("method", METHODS)
def test_expected_bands_reject_bad_input(method: str) -> None:
    model = _model(method, "session")
    with pytest.raises(tj.TrajectoryInputError, match=r"times\[1\] must be a session number"):
        model.expected_bands([20.0, 20.0], [2.0, 0.0])
    with pytest.raises(tj.TrajectoryInputError, match=r"times\[0\]"):
        model.expected_bands(20.0, [np.nan])
    with pytest.raises(tj.TrajectoryInputError, match=r"intakes\[1\] is not finite"):
        model.expected_bands([20.0, np.inf], 3)
    with pytest.raises(tj.TrajectoryInputError, match="one-dimensional"):
        model.expected_bands(np.full((2, 2), 20.0), 3)
    if method != "neighbours":
        with pytest.raises(tj.TrajectoryInputError, match="no covariates"):
            model.expected_bands(20.0, 3, covariates={"age": 4.0})
    days = _model(method, "days")
    with pytest.raises(tj.TrajectoryInputError, match="days since intake"):
        days.expected_bands(20.0, [-1.0])


def test_cohort_time_bins() -> None:
    model = _model("cohort", "days")
    assert model.time_bin(44) == 30.0 and model.time_bin(45) == 60.0 and model.time_bin(75) == 60.0
    np.testing.assert_array_equal(model.time_bins([0, 14, 16, 75]), [0.0, 0.0, 30.0, 60.0])
    sessions = _model("cohort", "session")
    assert sessions.time_bin(4) == 4.0
    with pytest.raises(tj.TrajectoryInputError, match=r"whole session number, got 2\.5"):
        sessions.time_bin(2.5)
    with pytest.raises(tj.TrajectoryInputError, match="whole session number"):
        sessions.expected_bands(20.0, [2.0, 2.5])


def test_the_table_uses_the_public_names() -> None:
    # the compatibility aliases for fit_scores.table are gone: the summary runs the public kernels
    assert not hasattr(tj, "_f") and not hasattr(tj, "_normal_quantiles")
    assert not hasattr(_model("cohort", "days"), "_bin")


def test_time_variable_and_normal_quantiles() -> None:
    np.testing.assert_allclose(tj.time_variable([1, 3], "session", "log"), [0.0, math.log(3)])
    np.testing.assert_array_equal(tj.time_variable([1, 3], "session", "linear"), [0.0, 2.0])
    np.testing.assert_allclose(tj.time_variable([0, 30], "days", "log"), [0.0, math.log(2)])
    np.testing.assert_array_equal(tj.time_variable([0, 45], "days", "linear"), [0.0, 1.5])
    np.testing.assert_allclose(tj.normal_quantiles([2.5, 50, 97.5]), [-1.959964, 0, 1.959964])


# --- the status kernel ---------------------------------------------------------------------


def test_status_codes_on_both_sides_of_each_line() -> None:
    on_line, low = 22.0, 18.0
    latest = np.array([22.1, 22.0, 21.9, 18.0, 17.9, np.nan])
    codes = tj.status_codes(latest, on_line, low)
    assert [tj.STATUSES[c] for c in codes] == [
        "on_track",
        "on_track",  # the expected line itself is on track
        "at_risk",
        "at_risk",  # the lower band itself is not off track
        "off_track",
        "not_enough_data",  # never classify a missing value
    ]
    # lower scores better: the line is the median, the lower band the 90th percentile
    down = tj.status_codes([9.0, 10.0, 12.0, 14.0, 14.1], 10.0, 14.0, higher_is_better=False)
    assert [tj.STATUSES[c] for c in down] == [
        "on_track",
        "on_track",
        "at_risk",
        "at_risk",
        "off_track",
    ]
    masked = tj.status_codes([30.0, 30.0], [22.0, np.nan], 18.0, available=[False, True])
    assert masked.tolist() == [0, 0]
    assert tj.STATUSES == ("not_enough_data", "on_track", "at_risk", "off_track")


def _kernel_of_tracks(model: Any, tracks: list[Any], rule: tj.StatusRule | None = None) -> Any:
    intakes = [float(tr.scores()[0]) for tr in tracks]
    times = [float(tr.times(model.axis)[-1]) for tr in tracks]
    latest = [float(tr.scores()[-1]) for tr in tracks]
    n = [len(tr.administrations) for tr in tracks]
    return model.statuses(intakes, times, latest, n, rule=rule)


def _boundary_tracks(model: Any) -> list[Any]:
    """Tracks just on, above and below the median and lower band at the fourth meeting."""
    tracks = [make_track([20.0])]
    for intake in (14.0, 20.0, 27.0):
        track = make_track([intake, intake, intake, intake])
        band = model.expected(intake, float(track.times(model.axis)[-1]))
        for line in (band.median, band.band(10), band.band(90)):
            for latest in (math.floor(line * 10) / 10, math.ceil(line * 10) / 10):
                for shift in (-0.1, 0.0, 0.1):
                    value = round(latest + shift, 1)
                    tracks.append(make_track([intake, intake, intake, value]))
    return tracks


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("method", METHODS)
def test_statuses_equal_status_of_each_track(method: str, axis: str) -> None:
    model = _model(method, axis)
    tracks = _boundary_tracks(model) + list(_cohort().tracks()[:150])
    codes = _kernel_of_tracks(model, tracks)
    expected = [model.status(tr).status for tr in tracks]
    assert [tj.STATUSES[c] for c in codes] == expected
    assert {"on_track", "at_risk", "off_track", "not_enough_data"} <= set(expected)


@pytest.mark.parametrize("method", METHODS)
def test_statuses_follow_the_rule_and_direction(method: str) -> None:
    down = _model(method, "session", higher_is_better=False)
    assert down.status_percentiles() == (50.0, 90.0)
    assert down.status_percentiles(tj.StatusRule(off_track_below=25)) == (50.0, 75.0)
    tracks = _boundary_tracks(down)
    rule = tj.StatusRule(min_scores=3, off_track_below=25)
    for r in (None, rule):
        codes = _kernel_of_tracks(down, tracks, r)
        assert [tj.STATUSES[c] for c in codes] == [down.status(tr, rule=r).status for tr in tracks]
    short = make_track([20.0, 30.0])
    assert down.status(short, rule=rule).status == "not_enough_data"
    assert down.statuses(20.0, 2, 30.0, 2, rule=rule).tolist() == [0]
    with pytest.raises(tj.TrajectoryInputError, match="percentile 5"):
        down.statuses(20.0, 4, 20.0, 4, rule=tj.StatusRule(off_track_below=95))


def test_status_of_a_track_keeps_its_band_and_reason() -> None:
    model = _model("cohort", "session")
    track = make_track([20.0, 21.0, 22.0, 24.0])
    status = model.status(track)
    assert status.expected == model.expected(20.0, 4.0)
    assert status.latest == 24.0 and status.at == 4.0 and status.reason is None
    far = model.status(make_track([20.0] + [21.0] * 300, days=1))  # dated before today
    assert far.status == "not_enough_data" and far.expected is None
    with pytest.raises(tj.NoReferenceDataError) as exc:
        model.expected(20.0, 301)
    assert far.reason == str(exc.value)


def test_public_names_are_exported() -> None:
    for name in ("ExpectedBands", "STATUSES", "status_codes", "time_variable", "normal_quantiles"):
        assert name in tj.__all__ and hasattr(tj, name)
    assert tj.TrajectoryInputError is fs.errors.TrajectoryInputError
    assert tj.NoReferenceDataError is fs.errors.NoReferenceDataError
