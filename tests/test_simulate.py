"""Synthetic cohorts and families: reproducibility, realism and parameter recovery."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import numpy.typing as npt
import pytest

import fit_scores as fs
from fit_scores._core.mixed import fit_random_slope
from fit_scores.simulate import (
    SimulatedScores,
    SimulationParams,
    simulate_cohort,
    simulate_families,
    simulate_family,
)

COLUMNS = ["person", "family", "scale", "rater", "rater_id", "date", "session", "total", "age"]
CUTOFFS = {"adult": 25.0, "adolescent": 28.0, "child": 32.0}


@pytest.fixture(scope="module")
def adults() -> SimulatedScores:
    return simulate_cohort(20_000, seed=2024, with_alliance=True)


@pytest.fixture(scope="module")
def families() -> SimulatedScores:
    return simulate_families(400, seed=7)


def track_starts(sim: SimulatedScores) -> npt.NDArray[np.int64]:
    new = np.zeros(len(sim), dtype=bool)
    new[0] = True
    for col in (sim.person, sim.scale, sim.rater, sim.rater_id):
        new[1:] |= col[1:] != col[:-1]
    return np.flatnonzero(new)


def outcome_only(sim: SimulatedScores) -> npt.NDArray[np.bool_]:
    return np.isin(sim.scale, ["ORS", "CORS"])


# --- reproducibility -----------------------------------------------------------------


def assert_same(a: SimulatedScores, b: SimulatedScores) -> None:
    for name in COLUMNS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert a.n_bounded == b.n_bounded
    assert a.truth.keys() == b.truth.keys()
    for key in a.truth:
        np.testing.assert_array_equal(a.truth[key], b.truth[key], err_msg=key)
    np.testing.assert_array_equal(a.people, b.people)
    np.testing.assert_array_equal(a.birth_date, b.birth_date)


def test_same_seed_same_data() -> None:
    assert_same(
        simulate_cohort(300, seed=5, with_alliance=True),
        simulate_cohort(300, seed=5, with_alliance=True),
    )
    assert_same(simulate_families(30, seed=5), simulate_families(30, seed=5))
    assert simulate_family(seed=3) == simulate_family(seed=3)


def test_different_seed_different_data() -> None:
    a, b = simulate_cohort(300, seed=5), simulate_cohort(300, seed=6)
    assert not np.array_equal(a.truth["theta"], b.truth["theta"])
    assert len(a) != len(b) or not np.array_equal(a.total, b.total)
    fa, fb = simulate_families(30, seed=5), simulate_families(30, seed=6)
    assert len(fa) != len(fb) or not np.array_equal(fa.total, fb.total)


def test_alliance_does_not_change_the_outcome_rows() -> None:
    plain = simulate_cohort(500, seed=11)
    both = simulate_cohort(500, seed=11, with_alliance=True)
    keep = both.scale == "ORS"
    for name in COLUMNS:
        np.testing.assert_array_equal(getattr(plain, name), getattr(both, name)[keep])
    assert set(both.scale[~keep].tolist()) == {"SRS"}


# --- format ----------------------------------------------------------------------------


def build(kind: str) -> SimulatedScores:
    if kind == "adults":
        return simulate_cohort(2_000, seed=1, with_alliance=True)
    if kind == "adolescents":
        return simulate_cohort(1_000, seed=1, age_band="adolescent")
    if kind == "children":
        return simulate_cohort(1_000, seed=1, scale="CORS", age_band="child", with_alliance=True)
    return simulate_families(200, seed=1)


@pytest.mark.parametrize("kind", ["adults", "adolescents", "children", "families"])
def test_columns_types_grid_and_order(kind: str) -> None:
    sim = build(kind)
    n = len(sim)
    assert n > 0
    for name in COLUMNS:
        assert getattr(sim, name).shape == (n,), name
    assert sim.date.dtype == np.dtype("datetime64[D]")
    assert sim.session.dtype == np.int64 and sim.age.dtype == np.int64
    assert sim.total.dtype == np.float64
    # exactly on the 0.1 grid and within 0-40
    assert np.all(np.abs(np.round(sim.total * 10) - sim.total * 10) < 1e-9)
    assert sim.total.min() >= 0.0 and sim.total.max() <= 40.0
    # sorted by track, then date; sessions increase with the date
    starts = track_starts(sim)
    inner = np.ones(n, dtype=bool)
    inner[starts] = False
    assert np.all(np.diff(sim.date.astype(np.int64))[inner[1:]] > 0)
    assert np.all(np.diff(sim.session)[inner[1:]] > 0)
    keys = list(
        zip(
            sim.person[starts],
            sim.scale[starts],
            sim.rater[starts],
            sim.rater_id[starts],
            strict=True,
        )
    )
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    # each outcome track counts its administrations 1, 2, ...
    out = outcome_only(sim)[starts]
    ends = np.append(starts[1:], n)
    for s, e in zip(starts[out][:300], ends[out][:300], strict=True):
        assert sim.session[s:e].tolist() == list(range(1, e - s + 1))
    # per-person arrays are aligned
    assert set(np.unique(sim.person)) <= set(sim.people.tolist())
    for arr in (sim.birth_date, sim.role, sim.person_family, *sim.truth.values()):
        assert arr.shape == sim.people.shape
    # ages agree with the birth dates (the rule of fit_scores.Person)
    index = {p: k for k, p in enumerate(sim.people.tolist())}
    for r in range(0, n, max(1, n // 200)):
        born = sim.birth_date[index[str(sim.person[r])]].item()
        person = fs.Person(id="x", role="adult", birth_date=born)
        assert person.age_at(sim.date[r].item()) == sim.age[r]


def test_arrays_are_read_only(adults: SimulatedScores) -> None:
    with pytest.raises(ValueError, match="read-only"):
        adults.total[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        adults.truth["theta"][0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        adults.n_bounded = 0  # type: ignore[misc]


def test_to_dict_and_to_pandas(adults: SimulatedScores) -> None:
    d = adults.to_dict()
    assert list(d) == COLUMNS
    small = simulate_cohort(50, seed=3, with_alliance=True)
    df = small.to_pandas()
    assert list(df.columns) == COLUMNS
    assert len(df) == len(small)
    assert df["date"].dtype.kind == "M"
    assert df["total"].tolist() == small.total.tolist()
    assert df["person"].tolist() == small.person.tolist()


def test_repr_is_short(adults: SimulatedScores) -> None:
    text = repr(adults)
    assert text.startswith("SimulatedScores(rows=") and len(text) < 200


# --- realism of the defaults ---------------------------------------------------------------


def test_bounding_is_rare_and_counted(adults: SimulatedScores) -> None:
    assert 0 <= adults.n_bounded < 0.005 * len(adults)
    # every bounded total ends up at 0 or 40
    assert adults.n_bounded <= int(np.sum((adults.total == 0) | (adults.total == 40)))
    for band, scale in (("adolescent", "ORS"), ("child", "CORS")):
        sim = simulate_cohort(5_000, seed=3, scale=scale, age_band=band)
        assert sim.n_bounded < 0.02 * len(sim), band


def test_about_a_third_of_adults_at_or_above_the_cutoff_at_intake(
    adults: SimulatedScores,
) -> None:
    # defaults: intake ~ N(22.5, 6^2 + 1.8^2), P(>= 25) = 0.345; 20,000 people, SE 0.34 %
    starts = track_starts(adults)
    intake = adults.total[starts][adults.scale[starts] == "ORS"]
    assert intake.size == 20_000
    share = float(np.mean(intake >= 25.0))
    assert 0.32 <= share <= 0.37
    assert 21.5 <= float(intake.mean()) <= 23.5
    assert 5.5 <= float(intake.std()) <= 7.0


@pytest.mark.parametrize(
    ("band", "scale", "low", "high"),
    [("adolescent", "ORS", 0.25, 0.35), ("child", "CORS", 0.12, 0.20)],
)
def test_other_bands_above_their_cutoff(band: str, scale: str, low: float, high: float) -> None:
    sim = simulate_cohort(6_000, seed=8, scale=scale, age_band=band)
    starts = track_starts(sim)
    share = float(np.mean(sim.total[starts] >= CUTOFFS[band]))
    assert low <= share <= high
    lo, hi = (6, 12) if band == "child" else (13, 17)
    assert lo <= sim.age[starts].min() and sim.age[starts].max() <= hi


def test_track_lengths_show_dropout(adults: SimulatedScores) -> None:
    starts = track_starts(adults)
    ors = adults.scale[starts] == "ORS"
    lengths = np.diff(np.append(starts, len(adults)))[ors]
    assert 8 <= float(np.median(lengths)) <= 12  # documented: median 9
    short = float(np.mean(lengths <= 2))  # documented: about 18 %
    assert 0.12 <= short <= 0.25
    assert np.any(lengths == 1)
    assert lengths.max() > 40  # a long tail over five years


def test_gaps_are_irregular_and_follow_up_is_limited(adults: SimulatedScores) -> None:
    starts = track_starts(adults)
    ors = adults.scale == "ORS"
    days = adults.date.astype(np.int64)
    first = np.repeat(days[starts], np.diff(np.append(starts, len(adults))))
    follow = days - first
    assert follow.min() == 0 and follow.max() <= math.floor(5 * 365.25)
    inner = np.ones(len(adults), dtype=bool)
    inner[starts] = False
    gaps = np.diff(days)[(inner & ors)[1:]]
    assert gaps.min() >= 7
    assert 25 <= float(gaps.mean()) <= 45  # documented: about 5 weeks
    assert 14 <= float(np.median(gaps)) <= 35
    long = float(np.mean(gaps > 90))  # documented: 6 % long gaps, most over 90 days
    assert 0.02 <= long <= 0.08
    # shorter follow-up
    short = simulate_cohort(2_000, seed=4, years=1.5)
    starts = track_starts(short)
    d = short.date.astype(np.int64)
    span = d - np.repeat(d[starts], np.diff(np.append(starts, len(short))))
    assert span.max() <= math.floor(1.5 * 365.25)
    lo, hi = np.datetime64("2022-01-01"), np.datetime64("2024-12-31")
    assert lo <= short.date[starts].min() and short.date[starts].max() <= hi


def test_alliance_is_mostly_high_with_a_ceiling(adults: SimulatedScores) -> None:
    srs = adults.total[adults.scale == "SRS"]
    n_ors = int(np.sum(adults.scale == "ORS"))
    assert 0.92 * n_ors <= srs.size <= 0.98 * n_ors  # 5 % missing forms
    assert 0.80 <= float(np.mean(srs >= 36)) <= 0.93
    assert 0.18 <= float(np.mean(srs == 40)) <= 0.32
    assert 0.05 <= float(np.mean(srs < 36)) <= 0.20
    # alliance rows share the date and session of an outcome row of the same person
    ors_keys = set(
        zip(
            adults.person[adults.scale == "ORS"].tolist(),
            adults.date[adults.scale == "ORS"].tolist(),
            adults.session[adults.scale == "ORS"].tolist(),
            strict=True,
        )
    )
    srs_rows = adults.scale == "SRS"
    for key in zip(
        adults.person[srs_rows][:500].tolist(),
        adults.date[srs_rows][:500].tolist(),
        adults.session[srs_rows][:500].tolist(),
        strict=True,
    ):
        assert key in ors_keys


def test_truth_matches_the_model(adults: SimulatedScores) -> None:
    p = SimulationParams()
    t = adults.truth
    assert set(t) >= {"theta", "slope", "slope_deviation", "cutoff", "measurement_sd"}
    np.testing.assert_allclose(
        t["slope"], p.gamma0 + p.gamma1 * (t["theta"] - 25.0) + t["slope_deviation"]
    )
    np.testing.assert_allclose(t["measurement_sd"], 6.8 * math.sqrt(1 - 0.93))
    assert abs(float(np.mean(t["theta"])) - p.adult_mean) < 0.2
    assert abs(float(np.std(t["theta"])) - p.adult_sd) < 0.2
    assert np.all(np.isnan(t["caretaker_offset"]))
    assert 0.02 <= float(np.mean(t["slope"] < 0)) <= 0.10  # some deteriorate


def test_measurement_error_override() -> None:
    low = simulate_cohort(10, seed=1, params=SimulationParams(reliability=0.58))
    assert low.truth["measurement_sd"][0] == pytest.approx(6.8 * math.sqrt(0.42))
    fixed = simulate_cohort(10, seed=1, params=SimulationParams(measurement_sd=0.0))
    t = fixed.truth
    s = fixed.session.astype(float)
    k = np.searchsorted(fixed.people, fixed.person)
    expected = np.round((t["theta"][k] + t["slope"][k] * np.log(s)) * 10) / 10
    np.testing.assert_allclose(fixed.total, np.clip(expected, 0, 40), atol=1e-9)


# --- parameter recovery ------------------------------------------------------------------


def test_random_slope_model_recovers_the_parameters() -> None:
    # adults with intake N(20, 4^2): bounding at 0/40 is negligible
    p = SimulationParams(adult_mean=20.0, adult_sd=4.0)
    sim = simulate_cohort(3_000, seed=101, params=p)
    assert sim.n_bounded <= 20  # of about 40,000 rows
    log_s = np.log(sim.session.astype(np.float64))
    X = np.column_stack([np.ones_like(log_s), log_s])
    fit = fit_random_slope(sim.total, X, log_s, track_starts(sim))
    assert fit.converged

    tau2 = p.adult_sd**2
    beta = np.array([p.adult_mean, p.gamma0 + p.gamma1 * (p.adult_mean - 25.0)])
    se = np.sqrt(np.diag(fit.beta_cov))
    assert np.all(np.abs(fit.beta - beta) < 4 * se), (fit.beta, beta, se)
    assert fit.psi[0, 0] == pytest.approx(tau2, rel=0.15)  # 16
    assert fit.psi[0, 1] == pytest.approx(p.gamma1 * tau2, abs=0.5)  # -2.4
    assert fit.psi[1, 1] == pytest.approx(p.gamma1**2 * tau2 + p.omega**2, abs=0.15)  # 0.85
    sigma2 = (6.8**2) * (1 - 0.93) + 0.01 / 12  # measurement error + rounding
    assert fit.sigma2 == pytest.approx(sigma2, rel=0.05)


# --- validated objects --------------------------------------------------------------------


def test_cohort_tracks_validate() -> None:
    sim = simulate_cohort(8, seed=2, with_alliance=True)
    tracks = sim.tracks()
    assert sum(len(t) for t in tracks) == len(sim)
    assert {t.scale.key for t in tracks} == {"ORS", "SRS"}
    for t in tracks:
        assert all(a.age is not None and a.age >= 18 for a in t.administrations)
        assert [a.session for a in t.administrations] == sorted(
            a.session for a in t.administrations if a.session is not None
        )
    ors = [t for t in tracks if t.scale.key == "ORS" and len(t) > 1]
    assert ors and ors[0].change().pre == ors[0].totals[0]
    kids = simulate_cohort(8, seed=2, scale="CORS", age_band="child", with_alliance=True)
    keys = {t.scale.key for t in kids.tracks()}
    assert keys == {"CORS", "CSRS"}
    assert simulate_cohort(3, seed=2).families() == []


def test_family_structure(families: SimulatedScores) -> None:
    fam_of_person = dict(
        zip(families.people.tolist(), families.person_family.tolist(), strict=True)
    )
    role = dict(zip(families.people.tolist(), families.role.tolist(), strict=True))
    fams, counts = np.unique(families.person_family, return_counts=True)
    assert fams.size == 400
    adults = dict.fromkeys(fams.tolist(), 0)
    for p, f in fam_of_person.items():
        adults[f] += role[p] == "adult"
    assert set(adults.values()) == {1, 2}
    children = counts - np.array([adults[f] for f in fams.tolist()])
    assert set(children.tolist()) == {0, 1, 2, 3, 4}
    # scale by age, rater rules
    for scale, lo, hi in (("CORS", 6, 12), ("CSRS", 6, 12), ("ORS", 13, 200), ("SRS", 13, 200)):
        rows = families.scale == scale
        assert rows.any()
        ages = families.age[rows & (families.rater == "self")]
        assert lo <= ages.min() and ages.max() <= hi, scale
    care = families.rater == "caretaker"
    assert care.any()
    assert set(families.scale[care].tolist()) == {"CORS", "ORS"}
    assert families.age[care].min() >= 6 and families.age[care].max() <= 17
    for child, rater in zip(
        families.person[care].tolist(), families.rater_id[care].tolist(), strict=True
    ):
        assert role[child] == "child" and role[rater] == "adult"
        assert fam_of_person[child] == fam_of_person[rater]
    assert np.all(families.rater_id[~care] == "")
    assert np.all(families.family == np.array([fam_of_person[p] for p in families.person.tolist()]))
    # children at intake are 0-17 (the adults always attend the intake meeting)
    intake = {f: families.date[families.family == f].min().item() for f in fams.tolist()[:100]}
    for p, f in list(fam_of_person.items()):
        if role[p] == "child" and f in intake:
            born = families.birth_date[families.people == p][0].item()
            age = fs.Person(id=p, role="child", birth_date=born).age_at(intake[f])
            assert 0 <= age <= 17
    rated = set(families.person.tolist())
    assert set(families.people.tolist()) - rated  # someone never rated
    assert families.n_bounded < 0.02 * len(families)


def test_families_validate_and_one_switches_from_cors_to_ors() -> None:
    sim = simulate_families(6, seed=21)
    built = sim.families()
    assert [f.id for f in built] == sorted(set(sim.person_family.tolist()))
    assert sum(len(t) for f in built for t in f.tracks) == len(sim)

    family = simulate_family(seed=11)
    assert isinstance(family, fs.Family)
    switched = [
        m
        for m in family.members
        if {("CORS", "self"), ("ORS", "self")}
        <= {(t.scale.key, t.rater) for t in family.tracks_of(m.id)}
    ]
    assert switched, "seed 11 has a child who moves from the CORS to the ORS"
    child = switched[0]
    tracks = {(t.scale.key, t.rater): t for t in family.tracks_of(child.id)}
    cors, ors = tracks[("CORS", "self")], tracks[("ORS", "self")]
    assert cors.latest.date < ors.intake.date
    assert child.age_at(cors.latest.date) <= 12 and child.age_at(ors.intake.date) == 13
    assert [family.cutoff(a).value for a in cors.administrations][-1] == 32.0
    assert family.cutoff(ors.intake).value == 28.0
    assert ors.intake.session == 1
    # the alliance scale switches too
    assert {("CSRS", "self"), ("SRS", "self")} <= set(tracks)


@pytest.mark.parametrize("seed", range(5))
def test_simulate_family_always_validates(seed: int) -> None:
    family = simulate_family(seed=seed, years=2.0)
    assert 1 <= sum(m.role == "adult" for m in family.members) <= 2
    assert all(m.birth_date is not None for m in family.members)


# --- input checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_people": 0}, "n_people"),
        ({"n_people": 2.5}, "n_people"),
        ({"years": -1.0}, "years"),
        ({"years": math.nan}, "years"),
        ({"scale": "SRS"}, "outcome scale"),
        ({"scale": "CORS"}, "CORS is not the outcome scale of the adult band"),
        ({"age_band": "child"}, "ORS is not the outcome scale of the child band"),
        ({"age_band": "toddler"}, "age_band"),
    ],
)
def test_cohort_rejects_bad_input(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"n_people": 5, "seed": 1, **kwargs}
    with pytest.raises(ValueError, match=match):
        simulate_cohort(**args)  # type: ignore[arg-type]


def test_families_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="n_families"):
        simulate_families(0, seed=1)
    with pytest.raises(ValueError, match="years"):
        simulate_family(seed=1, years=math.inf)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"adult_sd": 0.0}, "adult_sd"),
        ({"omega": -1.0}, "omega"),
        ({"dropout_hazard": 0.0}, "dropout_hazard"),
        ({"dropout_first": 1.5}, "dropout_first"),
        ({"gap_min_days": 0.0}, "gap_min_days"),
        ({"reliability": 1.0}, "reliability"),
        ({"gamma1": math.nan}, "gamma1"),
        ({"alliance_outcome_corr": -2.0}, "alliance_outcome_corr"),
        ({"adult_age": (17, 40)}, "adult_age"),
        ({"children_probs": (0.5, 0.5, 0.5, 0.0, 0.0)}, "sum to 1"),
        ({"intake_start": dt.date(2025, 1, 1)}, "intake_start"),
    ],
)
def test_params_are_checked(change: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        SimulationParams(**change)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="age band"):
        SimulationParams().band("toddler")  # type: ignore[arg-type]
