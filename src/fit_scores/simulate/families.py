"""Families rated over a shared meeting schedule: :func:`simulate_families`."""

from __future__ import annotations

import numpy as np

from fit_scores.records import Family
from fit_scores.scales import get_scale
from fit_scores.simulate._draw import (
    DAYS_PER_YEAR,
    alliance_totals,
    band_cutoff,
    completed_years,
    draw_people,
    make_ids,
    measurement_sd,
    readonly_truth,
    schedule,
    segment_starts,
    to_date64,
    to_grid,
)
from fit_scores.simulate._types import IntArray
from fit_scores.simulate.params import BANDS, SimulationParams, check_count, check_years
from fit_scores.simulate.result import SimulatedScores

# scale keys in sort order (the rows are sorted by these codes)
_SCALES = ("CORS", "CSRS", "ORS", "SRS")
_CORS, _CSRS, _ORS, _SRS = range(4)
_RATERS = ("caretaker", "self")
_CARETAKER, _SELF = range(2)


def simulate_families(
    n_families: int,
    *,
    seed: int,
    years: float = 5.0,
    params: SimulationParams | None = None,
) -> SimulatedScores:
    """Simulate families: adults and children rated over a shared meeting schedule.

    Each family has 1-2 adults and 0-4 children aged 0-17 at intake (ages from birth
    dates). Members rate themselves from 6: CORS and CSRS at 6-12, ORS and SRS from 13;
    a child who turns 13 gets new ORS and SRS tracks (and from 18 the adult cutoff
    applies). One parent per child gives caretaker ratings (CORS at 6-12, ORS at
    13-17). The generation is vectorised over families and members.

    Parameters
    ----------
    n_families : int
        Number of families (at least 1).
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    years : float
        Longest follow-up in years (the programme lasts five).
    params : SimulationParams, optional
        Model parameters; default :class:`SimulationParams()`.

    Returns
    -------
    SimulatedScores
        One row per administration. ``people`` lists every member, also children who
        are never rated (under 6 throughout); ``role`` and ``birth_date`` describe them.

    Raises
    ------
    ValueError
        For an invalid count, seed or ``years``.

    Examples
    --------
    >>> from fit_scores.simulate import simulate_families
    >>> sim = simulate_families(20, seed=3)
    >>> sorted(set(sim.scale.tolist())), sorted(set(sim.rater.tolist()))
    (['CORS', 'CSRS', 'ORS', 'SRS'], ['caretaker', 'self'])
    >>> bool((sim.person_family != "").all())
    True
    """
    p = SimulationParams() if params is None else params
    check_count("n_families", n_families)
    max_days = check_years(years)
    nf = int(n_families)

    root = np.random.default_rng(seed)
    rng_family, rng_dates, rng_attend, rng_outcome, rng_alliance, rng_care = root.spawn(6)

    # family structure
    n_adults = 1 + (rng_family.random(nf) < p.two_adults_prob).astype(np.int64)
    n_children = rng_family.choice(5, size=nf, p=np.asarray(p.children_probs)).astype(np.int64)
    size = n_adults + n_children
    fam_start = segment_starts(size)
    n_people = int(size.sum())
    fam = np.repeat(np.arange(nf, dtype=np.int64), size)
    pos = np.arange(n_people, dtype=np.int64) - fam_start[fam]
    is_adult = pos < n_adults[fam]
    child_age = rng_family.integers(0, 18, size=n_people)
    oldest = np.maximum.reduceat(np.where(is_adult, -1, child_age), fam_start)
    parent_age = np.where(
        oldest[fam] >= 0,
        oldest[fam] + rng_family.integers(20, 35, size=n_people),
        rng_family.integers(20, 51, size=n_people),
    )
    age0 = np.where(is_adult, parent_age, child_age)
    frac = rng_family.uniform(0.01, 0.99, size=n_people)
    window = (p.intake_end - p.intake_start).days
    intake = to_date64(p.intake_start) + rng_family.integers(0, window + 1, size=nf)
    birth = intake[fam] - np.rint((age0 + frac) * DAYS_PER_YEAR).astype(np.int64)
    # the parent who rates each child (an adult of the same family)
    rater_parent = fam_start[fam] + (rng_family.random(n_people) * n_adults[fam]).astype(np.int64)

    # family meetings
    meetings, offsets = schedule(rng_dates, nf, p, max_days)
    meet_start = segment_starts(meetings)

    # person x meeting grid
    counts = meetings[fam]
    grid_start = segment_starts(counts)
    g_person = np.repeat(np.arange(n_people, dtype=np.int64), counts)
    g_j = np.arange(g_person.size, dtype=np.int64) - grid_start[g_person]
    g_date = intake[fam[g_person]] + offsets[meet_start[fam[g_person]] + g_j]
    g_age = completed_years(birth[g_person], g_date)
    g_adult = is_adult[g_person]
    attend = np.where(
        g_adult,
        rng_attend.random(g_person.size) < p.attend_adult,
        rng_attend.random(g_person.size) < p.attend_child,
    )
    attend |= g_adult & (g_j == 0)
    eligible = g_age >= 6
    n_before = np.add.reduceat((~eligible).astype(np.int64), grid_start)
    has_entry = n_before < counts
    entry_row = grid_start + np.minimum(n_before, counts - 1)
    entry_age = np.where(has_entry, g_age[entry_row], 6)
    g_time = np.maximum(g_j - n_before[g_person] + 1, 1).astype(np.float64)
    g_log = np.log(g_time)

    # latent values per person, by the band at entry
    band_code = np.where(entry_age <= 12, 0, np.where(entry_age <= 17, 1, 2))
    band_mean = np.array([p.band(b)[0] for b in BANDS])
    band_sd = np.array([p.band(b)[1] for b in BANDS])
    band_cut = np.array([band_cutoff(b) for b in BANDS])
    band_gamma0 = np.array([p.child_gamma0, p.gamma0, p.gamma0])
    people = draw_people(
        rng_outcome,
        rng_alliance,
        band_mean[band_code],
        band_sd[band_code],
        band_cut[band_code],
        band_gamma0[band_code],
        p,
    )
    sigma = np.array([measurement_sd(key, p) for key in _SCALES])  # by scale code
    care_offset = np.where(
        is_adult, np.nan, p.caretaker_shift + p.caretaker_sd * rng_care.standard_normal(n_people)
    )

    # self-rated outcome rows
    self_rows = np.flatnonzero(eligible & attend)
    s_person = g_person[self_rows]
    s_scale = np.where(g_age[self_rows] <= 12, _CORS, _ORS)
    s_session = _sessions(s_person, s_scale)
    y = people.theta[s_person] + people.slope[s_person] * g_log[self_rows]
    y += sigma[s_scale] * rng_outcome.standard_normal(y.size)
    s_total, n_bounded = to_grid(y, get_scale("ORS"))

    # alliance rows at the same meetings
    present = rng_alliance.random(self_rows.size) >= p.alliance_missing
    a_rows = self_rows[present]
    a_person = g_person[a_rows]
    a_raw = alliance_totals(
        rng_alliance,
        people.log_shortfall[a_person],
        people.ceiling[a_person],
        g_log[a_rows],
        p,
    )
    a_total, a_bounded = to_grid(a_raw, get_scale("SRS"))
    a_scale = np.where(g_age[a_rows] <= 12, _CSRS, _SRS)
    a_session = s_session[present]

    # caretaker rows: a parent who attends rates a child of 6-17
    parent_row = grid_start[rater_parent[g_person]] + g_j
    care_mask = (
        ~g_adult
        & eligible
        & (g_age <= 17)
        & attend[parent_row]
        & (rng_care.random(g_person.size) < p.caretaker_rates)
    )
    c_rows = np.flatnonzero(care_mask)
    c_person = g_person[c_rows]
    c_scale = np.where(g_age[c_rows] <= 12, _CORS, _ORS)
    c_session = _sessions(c_person, c_scale)
    yc = (
        people.theta[c_person]
        + care_offset[c_person]
        + people.slope[c_person] * g_log[c_rows]
        + sigma[c_scale] * rng_care.standard_normal(c_rows.size)
    )
    c_total, c_bounded = to_grid(yc, get_scale("ORS"))
    n_bounded += a_bounded + c_bounded

    # assemble and sort by person, scale, rater, rater id, date
    rows = np.concatenate([self_rows, a_rows, c_rows])
    person = g_person[rows]
    scale_code = np.concatenate([s_scale, a_scale, c_scale])
    rater_code = np.concatenate(
        [np.full(self_rows.size + a_rows.size, _SELF), np.full(c_rows.size, _CARETAKER)]
    )
    rater_person = np.concatenate(
        [np.full(self_rows.size + a_rows.size, -1), rater_parent[c_person]]
    )
    date = g_date[rows]
    order = np.lexsort((date, rater_person, rater_code, scale_code, person))
    person, scale_code, rater_code, rater_person, date = (
        person[order],
        scale_code[order],
        rater_code[order],
        rater_person[order],
        date[order],
    )
    ids = make_ids("p", n_people)
    fam_ids = make_ids("f", nf)
    rater_ids = np.append(ids, "")
    truth = {
        "theta": people.theta,
        "slope": people.slope,
        "slope_deviation": people.deviation,
        "cutoff": people.cutoff,
        "measurement_sd": sigma[np.where(band_code == 0, _CORS, _ORS)],
        "alliance_log_shortfall": people.log_shortfall,
        "alliance_ceiling": people.ceiling,
        "caretaker_offset": care_offset,
    }
    return SimulatedScores(
        person=ids[person],
        family=fam_ids[fam[person]],
        scale=np.array(_SCALES)[scale_code],
        rater=np.array(_RATERS)[rater_code],
        rater_id=rater_ids[rater_person],
        date=date,
        session=np.concatenate([s_session, a_session, c_session])[order],
        total=np.concatenate([s_total, a_total, c_total])[order],
        age=g_age[rows][order],
        n_bounded=n_bounded,
        truth=readonly_truth(truth),
        people=ids,
        birth_date=birth,
        role=np.where(is_adult, "adult", "child"),
        person_family=fam_ids[fam],
        params=p,
    )


def _sessions(person: IntArray, scale: IntArray) -> IntArray:
    """1-based position of each row within its (person, scale) run; rows in time order."""
    n = person.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.ones(n, dtype=np.bool_)
    new[1:] = (person[1:] != person[:-1]) | (scale[1:] != scale[:-1])
    idx = np.arange(n, dtype=np.int64)
    first = np.maximum.accumulate(np.where(new, idx, 0))
    out: IntArray = idx - first + 1
    return out


def simulate_family(*, seed: int, years: float = 5.0) -> Family:
    """One simulated, validated :class:`~fit_scores.Family` with all its tracks.

    The members carry birth dates, and every administration its age and session, so
    the family passes all of :class:`~fit_scores.Family`'s checks. Same model and
    defaults as :func:`simulate_families`.

    Parameters
    ----------
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    years : float
        Longest follow-up in years.

    Returns
    -------
    Family
        The family ``"f000001"``.

    Examples
    --------
    >>> from fit_scores.simulate import simulate_family
    >>> family = simulate_family(seed=11)
    >>> family.id, family.members[0].role
    ('f000001', 'adult')
    """
    return simulate_families(1, seed=seed, years=years).families()[0]
