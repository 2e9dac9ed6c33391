"""Trends and expected-response models: recovery, agreement with statsmodels, status, JSON."""

from __future__ import annotations

import datetime as dt
import math
import warnings

import numpy as np
import pytest

import fit_scores as fs
from fit_scores import trajectories as tj

BETA = (21.0, 0.8, 3.0, -0.1)  # intercept, intake (centred at 20), log(session), interaction
PSI = np.array([[4.0, -0.5], [-0.5, 1.0]])
SIGMA = 1.5


def growth_data(n: int, seed: int) -> tuple[tj.TrajectoryData, np.ndarray]:
    """Scores from exactly the growth model (intake, then 1-9 further sessions)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(20, 6, n)
    length = rng.integers(2, 11, n)
    ids = np.repeat(np.arange(n), length)
    session = np.concatenate([np.arange(1, k + 1) for k in length]).astype(float)
    b = rng.multivariate_normal([0, 0], PSI, n)
    f = np.log(session)
    xc = (x - 20)[ids]
    y = (
        BETA[0]
        + BETA[1] * xc
        + (BETA[2] + BETA[3] * xc) * f
        + b[ids, 0]
        + b[ids, 1] * f
        + rng.normal(0, SIGMA, ids.size)
    )
    y[session == 1] = x  # the intake score itself
    return tj.TrajectoryData.from_arrays(ids, session, y), x


def true_mean(intake: float, session: float) -> float:
    xc = intake - 20
    return BETA[0] + BETA[1] * xc + (BETA[2] + BETA[3] * xc) * math.log(session)


# --- trend ----------------------------------------------------------------------------


def make_track(values: list[float], *, days: int = 14, age: int | None = 40) -> fs.Track:
    start = dt.date(2024, 1, 8)
    return fs.Track.from_administrations(
        fs.Administration(
            scale="ORS",
            person="p",
            date=start + dt.timedelta(days=days * i),
            session=i + 1,
            age=age,
            total=v,
        )
        for i, v in enumerate(values)
    )


def test_trend_matches_linregress_and_needs_three_scores() -> None:
    from scipy import stats

    track = make_track([18.0, 19.5, 19.0, 22.4, 23.0], days=21)
    r = track.trend("session")
    ref = stats.linregress([1, 2, 3, 4, 5], [18.0, 19.5, 19.0, 22.4, 23.0])
    assert r.status == "ok" and r.unit == "per session"
    assert r.slope == pytest.approx(ref.slope) and r.se == pytest.approx(ref.stderr)
    half = stats.t.ppf(0.975, 3) * ref.stderr
    assert (r.ci_low, r.ci_high) == pytest.approx((ref.slope - half, ref.slope + half))
    per_month = track.trend("days")
    assert per_month.slope == pytest.approx(ref.slope * 30 / 21)
    assert track.trend("log_session").unit == "per log session"
    short = make_track([18.0, 25.0]).trend()
    assert short.status == "not_enough_data" and short.slope is None and short.n == 2


# --- growth ---------------------------------------------------------------------------


def test_growth_recovers_the_generating_parameters() -> None:
    data, _ = growth_data(3000, seed=11)
    model = tj.fit_expected_response(data, "growth")
    assert isinstance(model, tj.GrowthModel)
    for intake in (10.0, 20.0, 30.0):
        for session in (2, 5, 10):
            assert model.expected(intake, session).median == pytest.approx(
                true_mean(intake, session), abs=0.25
            )
    p00, p01, p11 = model.psi
    assert p00 == pytest.approx(PSI[0, 0], rel=0.15)
    assert p01 == pytest.approx(PSI[0, 1], abs=0.2)
    assert p11 == pytest.approx(PSI[1, 1], rel=0.2)
    assert model.sigma2 == pytest.approx(SIGMA**2, rel=0.05)


def test_growth_bands_cover_new_people() -> None:
    data, _ = growth_data(2000, seed=3)
    model = tj.fit_expected_response(data, "growth")
    fresh, x = growth_data(4000, seed=4)
    at5 = fresh.time == 5
    track = fresh.track_of_row[at5]
    bands = [model.expected(float(x[k]), 5.0) for k in track]
    y = fresh.score[at5]
    below10 = np.mean([v < b.band(10) for v, b in zip(y, bands, strict=True)])
    below50 = np.mean([v < b.median for v, b in zip(y, bands, strict=True)])
    above90 = np.mean([v > b.band(90) for v, b in zip(y, bands, strict=True)])
    assert 0.07 < below10 < 0.13 and 0.45 < below50 < 0.55 and 0.07 < above90 < 0.13


def test_growth_agrees_with_statsmodels() -> None:
    import statsmodels.api as sm

    data, _ = growth_data(300, seed=5)
    for reml in (True, False):
        model = tj.fit_expected_response(data, "growth", reml=reml)
        assert isinstance(model, tj.GrowthModel)
        after = data.time > 1
        g = data.track_of_row[after]
        xc = (data.intake - model.intake_centre)[g]
        f = np.log(data.time[after])
        exog = np.column_stack([np.ones_like(f), xc, f, xc * f])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sm.MixedLM(
                data.score[after], exog, groups=g, exog_re=np.column_stack([np.ones_like(f), f])
            ).fit(reml=reml, method=["lbfgs"])
        assert model.loglik >= res.llf - 1e-6 * abs(res.llf)
        np.testing.assert_allclose(model.beta, res.fe_params, rtol=1e-3, atol=1e-6)
        cov_re = np.asarray(res.cov_re)
        np.testing.assert_allclose(
            model.psi, [cov_re[0, 0], cov_re[0, 1], cov_re[1, 1]], rtol=1e-3, atol=1e-5
        )
        assert model.sigma2 == pytest.approx(float(res.scale), rel=1e-3)


def test_growth_by_days_and_linear_time() -> None:
    data, _ = growth_data(400, seed=8)
    days = tj.TrajectoryData.from_arrays(
        np.repeat(np.arange(data.n_tracks), data.counts),
        np.datetime64("2024-01-01") + (data.time * 30).astype("timedelta64[D]"),
        data.score,
        axis="days",
    )
    model = tj.fit_expected_response(days, "growth", transform="linear")
    assert model.axis == "days" and model.expected(20.0, 0).median == 20.0
    assert model.expected(20.0, 90).median > 20.0


# --- cohort and neighbours ----------------------------------------------------------------


def test_cohort_median_tracks_the_truth_and_widens_when_sparse() -> None:
    data, _ = growth_data(6000, seed=21)
    model = tj.fit_expected_response(data, "cohort", k=1.0, k_max=6.0, min_n=30)
    assert isinstance(model, tj.CohortModel)
    for intake, session in ((15.0, 3), (20.0, 5), (25.0, 8)):
        band = model.expected(intake, session)
        assert band.median == pytest.approx(true_mean(intake, session), abs=0.8)
        assert band.band(10) < band.band(25) < band.median < band.band(75) < band.band(90)
        assert band.n_reference is not None and band.n_reference >= 30
    # far tails of the intake distribution need a wider window
    i_mid = model.intakes.index(20.0)
    i_tail = model.intakes.index(4.0)
    j = model.ats.index(5.0)
    assert model.k_used[i_mid][j] == 1.0
    assert model.k_used[i_tail][j] is None or model.k_used[i_tail][j] > 1.0  # type: ignore[operator]
    with pytest.raises(tj.NoReferenceDataError):
        model.expected(20.0, 40)


def test_neighbours_median_tracks_the_truth_and_uses_covariates() -> None:
    data, _ = growth_data(3000, seed=31)
    model = tj.fit_expected_response(data, "neighbours", n_neighbours=200)
    assert isinstance(model, tj.NeighboursModel)
    for intake, session in ((14.0, 4), (20.0, 6), (27.0, 9)):
        band = model.expected(intake, session)
        assert band.median == pytest.approx(true_mean(intake, session), abs=1.0)
    rng = np.random.default_rng(0)
    ids = np.repeat(np.arange(data.n_tracks), data.counts)
    group = np.repeat(rng.integers(0, 2, data.n_tracks), data.counts).astype(float)
    with_cov = tj.TrajectoryData.from_arrays(
        ids, data.time, data.score + 3 * group, covariates={"group": group}
    )
    cov_model = tj.fit_expected_response(
        with_cov, "neighbours", covariates=["group"], n_neighbours=100
    )
    assert isinstance(cov_model, tj.NeighboursModel)
    assert cov_model.covariate_names == ("group",)
    a = cov_model.expected(20.0, 5, covariates={"group": 0.0})
    with pytest.raises(tj.TrajectoryInputError, match="covariates"):
        cov_model.expected(20.0, 5)
    assert a.median == pytest.approx(true_mean(20.0, 5), abs=1.5)


# --- status ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["growth", "cohort", "neighbours"])
def test_status_on_both_sides_of_each_band(method: str) -> None:
    data, _ = growth_data(3000, seed=41)
    model = tj.fit_expected_response(data, method)  # type: ignore[arg-type]
    band = model.expected(20.0, 4)
    med, p10 = band.median, band.band(10)
    eps = 0.05

    def status_of(latest: float) -> str:
        values = [20.0, 20.0, 20.0, round(latest, 1)]
        return model.status(make_track(values)).status

    # scores are on the 0.1 grid: test just inside and outside each boundary
    assert status_of(math.ceil(med * 10) / 10) == "on_track"
    assert status_of(math.floor((med - eps) * 10) / 10) == "at_risk"
    assert status_of(math.ceil((p10 + eps) * 10) / 10) == "at_risk"
    assert status_of(math.floor((p10 - eps) * 10) / 10) == "off_track"
    assert model.status(make_track([20.0])).status == "not_enough_data"


def test_status_reports_the_functional_range_and_missing_reference() -> None:
    data, _ = growth_data(500, seed=2)
    model = tj.fit_expected_response(data, "cohort", min_n=10)
    above = model.status(make_track([20.0, 25.0]))
    below = model.status(make_track([20.0, 24.9]))
    assert above.in_functional_range is True and below.in_functional_range is False
    no_age = model.status(make_track([20.0, 25.0], age=None))
    assert no_age.in_functional_range is None  # the ORS cutoff depends on the age band
    far = model.status(make_track([20.0] + [21.0] * 40))
    assert far.status == "not_enough_data" and far.reason is not None


def test_status_rule_is_configurable() -> None:
    data, _ = growth_data(1000, seed=9)
    model = tj.fit_expected_response(data, "growth")
    band = model.expected(20.0, 4)
    latest = math.floor((band.band(25) - 0.05) * 10) / 10
    track = make_track([20.0, 20.0, 20.0, latest])
    assert model.status(track).status == "at_risk"
    strict = tj.StatusRule(off_track_below=25)
    assert model.status(track, rule=strict).status == "off_track"
    with pytest.raises(tj.TrajectoryInputError, match="percentile 5"):
        model.status(track, rule=tj.StatusRule(off_track_below=5))


# --- portable models -------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["growth", "cohort", "neighbours"])
def test_models_round_trip_through_json_with_identical_predictions(method: str) -> None:
    data, _ = growth_data(400, seed=13)
    model = tj.fit_expected_response(data, method)  # type: ignore[arg-type]
    text = model.model_dump_json()
    again = tj.load_model(text)
    assert again == model and type(again) is type(model)
    for intake, at in ((12.3, 2), (20.0, 4), (26.5, 6)):
        try:
            expected = model.expected(intake, at)
        except tj.NoReferenceDataError:
            continue
        assert again.expected(intake, at) == expected
    assert '"version":1' in text and f'"kind":"{method}"' in text


def test_load_model_rejects_unknown_versions_and_kinds() -> None:
    data, _ = growth_data(200, seed=1)
    text = tj.fit_expected_response(data, "growth").model_dump_json()
    with pytest.raises(Exception, match="version"):
        tj.load_model(text.replace('"version":1', '"version":2'))
    with pytest.raises(Exception, match="kind"):
        tj.load_model(text.replace('"kind":"growth"', '"kind":"vendor"'))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: tj.fit_expected_response(d, "magic"), "method must be"),  # type: ignore[arg-type]
        (lambda d: tj.fit_expected_response(d, percentiles=(10, 50)), "percentiles must be"),
        (lambda d: tj.fit_expected_response(d, transform="sqrt"), "transform must be"),  # type: ignore[arg-type]
        (lambda d: tj.fit_expected_response(d, "cohort", k=0), "need 0 < k"),
        (
            lambda d: tj.fit_expected_response(d, "neighbours", covariates=["age"]),
            "not in the data",
        ),
        (lambda d: tj.fit_expected_response(d).expected(20.0, 0), "at must be a session number"),
    ],
)
def test_input_errors(call: object, message: str) -> None:
    data, _ = growth_data(100, seed=1)
    with pytest.raises(tj.TrajectoryInputError, match=message):
        call(data)  # type: ignore[operator]


def test_from_arrays_errors() -> None:
    with pytest.raises(tj.TrajectoryInputError, match="two scores of one track at the same time"):
        tj.TrajectoryData.from_arrays([1, 1], [1, 1], [20.0, 21.0])
    with pytest.raises(tj.TrajectoryInputError, match="whole numbers from 1"):
        tj.TrajectoryData.from_arrays([1, 1], [0, 1], [20.0, 21.0])
    with pytest.raises(tj.TrajectoryInputError, match="score: row 1 is not finite"):
        tj.TrajectoryData.from_arrays([1, 1], [1, 2], [20.0, float("nan")])


def test_growth_on_simulated_cohort_matches_statsmodels_and_classifies_people() -> None:
    import statsmodels.api as sm

    from fit_scores.simulate import simulate_cohort

    sim = simulate_cohort(400, seed=17)
    data = tj.TrajectoryData.from_arrays(sim.person, sim.session, sim.total)
    model = tj.fit_expected_response(data, "growth")
    assert isinstance(model, tj.GrowthModel)
    after = data.time > 1
    g = data.track_of_row[after]
    xc = (data.intake - model.intake_centre)[g]
    f = np.log(data.time[after])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.MixedLM(
            data.score[after],
            np.column_stack([np.ones_like(f), xc, f, xc * f]),
            groups=g,
            exog_re=np.column_stack([np.ones_like(f), f]),
        ).fit(reml=True, method=["lbfgs"])
    assert model.loglik >= res.llf - 1e-6 * abs(res.llf)
    np.testing.assert_allclose(model.beta, res.fe_params, rtol=1e-3, atol=1e-6)
    statuses = {model.status(t).status for t in sim.tracks()[:60]}
    assert {"on_track", "off_track"} <= statuses
