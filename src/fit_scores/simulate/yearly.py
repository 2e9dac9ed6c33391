r"""Yearly mappings and the family's plan for simulated families: :func:`simulate_programme`.

The programme measures in three ways (issue 11): session scores (ORS family),
a yearly mapping of living conditions, self-efficacy and life satisfaction,
and the goals of *Familiens plan* with dated ratings. :func:`simulate_programme`
makes all three for the same families: the session scores are exactly
:func:`~fit_scores.simulate.simulate_families` with the same seed (the yearly
part draws from a separate random stream, so those rows are bit-identical), and
every mapping, goal and rating is drawn with array operations over the cohort.

The data are **synthetic**. Every default of :class:`YearlyParams` is a figure
from the domain reference *yearly-mapping.md* or an assumption, and says which.

Notes
-----
**Mappings.** Mapping :math:`k = 0, 1, \dots, \lfloor years \rfloor` of a
family takes place :math:`365k` days after its intake (``programme_year``
:math:`k`; 0 is the intake mapping); a mapping after the last day of
follow-up is not made, and any later mapping of a family is missed with
probability :math:`p_{miss}`. The intake mapping is never missed.

**Income.** A household's income after tax per consumption unit (EU scale)
relative to the year's median follows a log-linear course,
:math:`\log r_{fk} = \log \bar r + \sigma_r z_f + \beta_f k + \varepsilon_{fk}`,
:math:`\beta_f \sim N(\bar\beta, \sigma_\beta^2)`, and the household's income
is :math:`\operatorname{round}(r_{fk} \cdot M_y \cdot u_{fk})` whole kroner
for the median :math:`M_y` of the income year :math:`y` (the calendar year
before the mapping) and the consumption units :math:`u_{fk}` of the
household's composition at the mapping (children: members under 18). The
medians are a synthetic series (:attr:`YearlyParams.median_first`, growing by
:attr:`YearlyParams.median_growth` a year), **not** SSB figures; the analysis
takes them as supplied, as SSB's definition requires.

**Housing.** Rooms and usable floor area at intake are drawn around the
household size; each later year the family moves to a dwelling one room and
:attr:`YearlyParams.move_area` m\ :sup:`2` larger with probability
:attr:`YearlyParams.move_prob`. A mapping misses the floor area with
probability :attr:`YearlyParams.area_missing` (the register rule then decides
by rooms alone).

**Work and activity** (adults). A latent propensity
:math:`\eta_{ik} = \eta_0 + \sigma_\eta z_i + \beta_\eta k` decides paid work
(:math:`\eta_{ik} + e > 0`, hours Gamma-distributed), otherwise a
work-oriented activity with probability :attr:`YearlyParams.activity_prob`.

**GSE** (adults, 10 items 1-4). The person's latent item level
:math:`g_{ik} = \bar g + \sigma_g z_i + \beta_g k`; each item is
:math:`g_{ik} + e_{ikj}` cut at 1.5, 2.5 and 3.5 into the responses 1-4
(a discretisation, not clipping), unanswered with probability
:attr:`YearlyParams.gse_item_missing`.

**Life satisfaction** (adults, 0-10): :math:`l_{ik} = \bar l + \sigma_l z_i +
\beta_l k + e_{ik}` cut at the half points into 0-10, correlated with the GSE
level through :math:`z_i`.

**Leisure** (children 6-17). The child's latent regularity cut into
*never*, *less than monthly*, *monthly* and *weekly*; unanswered with
probability :attr:`YearlyParams.leisure_missing`.

**Goals.** Each family sets :attr:`YearlyParams.goals_per_family` goals at
intake (domain drawn with :attr:`YearlyParams.domain_probs`, standard 5-point
GAS; baseline -1, or -2 with probability :attr:`YearlyParams.baseline_minus2`).
At each later mapping the family and the coordinator rate every goal: the
latent progress :math:`b + \pi_g k + e` (:math:`\pi_g` the goal's yearly
progress) is cut at the half points into -2..+2. The coordinator's error is
independent of the family's (their agreement is modest, Bovend'Eerdt et al.
2011).

Examples
--------
>>> from fit_scores.simulate import simulate_programme
>>> sim = simulate_programme(20, seed=3)
>>> sorted(set(sim.household["programme_year"].tolist()))
[0, 1, 2, 3, 4, 5]
>>> sorted(sim.tables())[:4]
['goal_ratings', 'goals', 'gse', 'household_income']
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from fit_scores.errors import SimulationError
from fit_scores.goals import GOAL_DOMAINS
from fit_scores.living_conditions import (
    ACTIVITY_KINDS,
    LEISURE_FREQUENCIES,
    consumption_units_tenths,
)
from fit_scores.scales import get_instrument
from fit_scores.simulate._draw import completed_years, make_ids, segment_starts
from fit_scores.simulate._types import DateArray, FloatArray, IntArray, StrArray
from fit_scores.simulate.families import simulate_families
from fit_scores.simulate.params import (
    SimulationParams,
    check_count,
    check_number,
    check_years,
)
from fit_scores.simulate.result import SimulatedScores

if TYPE_CHECKING:
    from fit_scores.records import Family

__all__ = ["SimulatedProgramme", "YearlyParams", "simulate_programme"]

Columns = dict[str, npt.NDArray[Any]]

#: Days between two yearly mappings.
MAPPING_INTERVAL_DAYS = 365


@dataclass(frozen=True)
class YearlyParams:
    r"""Parameters of the yearly mappings and the goals (see :func:`simulate_programme`).

    Parameters
    ----------
    mapping_missing : float
        :math:`p_{miss}`, probability that a family misses a yearly mapping
        after the intake: 0.06 (assumption).
    median_first : int
        Median income per consumption unit (EU scale) in the year before
        ``SimulationParams.intake_start``: NOK 400,000. Assumption: SSB's 2015
        EU-60 threshold NOK 212,000 [S] implies a median of about 353,000;
        grown to the 2020s.
    median_growth : float
        Yearly growth of the synthetic median: 0.03 (assumption).
    income_ratio : float
        :math:`\bar r`, median income per unit relative to the year's median at
        intake: 0.50. The programme's inclusion criterion is income below 60 %
        of the median for three years (Haraldstad et al. 2023 [V]); some
        families are above at intake (assumption).
    income_ratio_sd, income_noise_sd : float
        :math:`\sigma_r` 0.15 and the yearly log-noise 0.08 (assumption).
    income_trend, income_trend_sd : float
        :math:`\bar\beta` 0.04 and :math:`\sigma_\beta` 0.05 per year on the log
        scale (assumption: a slow rise).
    rooms_per_person, area_per_person, area_sd : float
        Rooms are ``round(persons x 0.8 + noise)`` (at least 1); floor area is
        persons x N(24, 6) m2 plus 10 m2 (assumption: about a third crowded at
        intake against 9.7 % of all persons in 2023 [V]).
    move_prob, move_area : float
        Yearly probability of moving to a larger dwelling (0.08) and the added
        floor area (15 m2) (assumption).
    area_missing : float
        Probability that a mapping lacks the floor area: 0.05 (assumption).
    work_level, work_sd, work_trend : float
        :math:`\eta_0 = -0.6`, :math:`\sigma_\eta = 1.0`, :math:`\beta_\eta =
        0.15` per year on the probit scale: about 30 % of adults in paid work
        at intake, rising (assumption).
    activity_prob : float
        Probability that an adult not in work is in a work-oriented activity:
        0.35 (assumption).
    hours_missing : float
        Probability that the hours of the reference week are not known: 0.03.
    gse_level, gse_sd, gse_trend, gse_item_sd : float
        :math:`\bar g` 2.7, :math:`\sigma_g` 0.4, :math:`\beta_g` 0.04 a year and
        the item noise 0.6. The international item mean is "around 2.9"
        (Schwarzer's FAQ [V]); the programme's parents are assumed a little
        lower.
    gse_item_missing : float
        Probability that a GSE item is unanswered: 0.04 (so about 1 in 1,300
        forms misses more than three items and has no score).
    lifesat_level, lifesat_sd, lifesat_trend, lifesat_noise_sd : float
        :math:`\bar l` 5.6, :math:`\sigma_l` 1.6, :math:`\beta_l` 0.12 a year,
        noise 1.0. SSB 2023: mean 6.8 nationally, 5.0 among the unemployed and
        5.3 on disability benefit [V]; the programme's parents are assumed in
        between.
    gse_lifesat_corr : float
        Correlation of the person effects of GSE and life satisfaction: 0.4
        (assumption).
    leisure_level, leisure_sd, leisure_trend : float
        Latent regularity of children's leisure, on the scale of the
        categories 0-3 (cut at 0.5, 1.5, 2.5): 2.0, 1.1 and 0.1 a year
        (assumption: about half weekly at intake).
    leisure_missing : float
        Probability that a child's leisure is not answered: 0.05.
    goals_per_family : tuple of int
        Fewest and most goals of a family: 2 and 5 (Turner-Stokes & Williams
        2010 report 1-6 goals per patient [V]).
    domain_probs : tuple of float
        Probabilities of the domains work, economy, housing, leisure, health,
        other: 0.25, 0.2, 0.15, 0.15, 0.15, 0.1 (assumption).
    baseline_minus2 : float
        Probability that a goal starts at -2 rather than -1: 0.2 (assumption).
    goal_progress, goal_progress_sd, goal_noise_sd : float
        A goal's mean progress per year 0.35 (SD 0.25) and the rating noise
        0.5 (assumption: most goals reach 0 within three to four years; 74 %
        of goals were achieved in the field data of Turner-Stokes et al. 2009
        [V], over far shorter spans).

    Examples
    --------
    >>> YearlyParams().goals_per_family
    (2, 5)
    >>> YearlyParams(mapping_missing=1.5)
    Traceback (most recent call last):
    ...
    fit_scores.errors.SimulationError: mapping_missing must be <= 1, got 1.5
    """

    mapping_missing: float = 0.06
    median_first: int = 400_000
    median_growth: float = 0.03
    income_ratio: float = 0.50
    income_ratio_sd: float = 0.15
    income_noise_sd: float = 0.08
    income_trend: float = 0.04
    income_trend_sd: float = 0.05
    rooms_per_person: float = 0.8
    area_per_person: float = 24.0
    area_sd: float = 6.0
    move_prob: float = 0.08
    move_area: float = 15.0
    area_missing: float = 0.05
    work_level: float = -0.6
    work_sd: float = 1.0
    work_trend: float = 0.15
    activity_prob: float = 0.35
    hours_missing: float = 0.03
    gse_level: float = 2.7
    gse_sd: float = 0.4
    gse_trend: float = 0.04
    gse_item_sd: float = 0.6
    gse_item_missing: float = 0.04
    lifesat_level: float = 5.6
    lifesat_sd: float = 1.6
    lifesat_trend: float = 0.12
    lifesat_noise_sd: float = 1.0
    gse_lifesat_corr: float = 0.4
    leisure_level: float = 2.0
    leisure_sd: float = 1.1
    leisure_trend: float = 0.1
    leisure_missing: float = 0.05
    goals_per_family: tuple[int, int] = (2, 5)
    domain_probs: tuple[float, float, float, float, float, float] = (
        0.25,
        0.2,
        0.15,
        0.15,
        0.15,
        0.1,
    )
    baseline_minus2: float = 0.2
    goal_progress: float = 0.35
    goal_progress_sd: float = 0.25
    goal_noise_sd: float = 0.5

    def __post_init__(self) -> None:
        for name in (
            "mapping_missing",
            "move_prob",
            "area_missing",
            "activity_prob",
            "hours_missing",
            "gse_item_missing",
            "leisure_missing",
            "baseline_minus2",
        ):
            check_number(name, getattr(self, name), low=0.0, high=1.0)
        for name in (
            "income_ratio_sd",
            "income_noise_sd",
            "income_trend_sd",
            "area_sd",
            "move_area",
            "work_sd",
            "gse_sd",
            "gse_item_sd",
            "lifesat_sd",
            "lifesat_noise_sd",
            "leisure_sd",
            "goal_progress_sd",
            "goal_noise_sd",
        ):
            check_number(name, getattr(self, name), low=0.0)
        for name in ("income_ratio", "rooms_per_person", "area_per_person"):
            check_number(name, getattr(self, name), low=0.0, low_open=True)
        for name in (
            "median_growth",
            "income_trend",
            "work_level",
            "work_trend",
            "gse_level",
            "gse_trend",
            "lifesat_level",
            "lifesat_trend",
            "leisure_level",
            "leisure_trend",
            "goal_progress",
        ):
            check_number(name, getattr(self, name))
        check_number("gse_lifesat_corr", self.gse_lifesat_corr, low=-1.0, high=1.0)
        check_count("median_first", self.median_first)
        lo, hi = self.goals_per_family
        if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi <= 20):
            raise SimulationError(
                f"goals_per_family must satisfy 1 <= low <= high <= 20, got {lo, hi}"
            )
        probs = self.domain_probs
        if len(probs) != len(GOAL_DOMAINS) or any(not (math.isfinite(q) and q >= 0) for q in probs):
            raise SimulationError(
                f"domain_probs must be {len(GOAL_DOMAINS)} probabilities, got {probs}"
            )
        if not math.isclose(sum(probs), 1.0, abs_tol=1e-9):
            raise SimulationError(f"domain_probs must sum to 1, got {sum(probs)}")


@dataclass(frozen=True, eq=False)
class SimulatedProgramme:
    """Session scores, yearly mappings and goals of the same simulated families.

    Every table is a dict of read-only numpy columns, one row per record, in
    the column names that :func:`fit_scores.cohort.yearly_table` reads.

    Attributes
    ----------
    scores : SimulatedScores
        The session scores: :func:`simulate_families` with the same seed.
    household : dict
        ``family, programme_year, date, year, income_after_tax, adults,
        children``: one row per family and mapping (``year`` is the income
        year, the calendar year before the mapping).
    medians : dict of int to int
        The synthetic median income per consumption unit of each income year.
    housing : dict
        ``family, programme_year, date, persons, rooms, area_m2`` (``area_m2``
        NaN where not known).
    work : dict
        ``person, family, programme_year, date, hours_reference_week,
        temporarily_absent, activities`` (adults; ``activities`` a bit mask of
        :data:`~fit_scores.living_conditions.ACTIVITY_KINDS`; hours NaN where
        not known).
    gse : dict
        ``person, family, programme_year, date`` and the ten item columns
        ``gse10_01`` ... ``gse10_10`` (NaN: unanswered).
    life_satisfaction : dict
        ``person, family, programme_year, date, life_sat_0_10``.
    leisure : dict
        ``person, family, programme_year, date, frequency`` (children 6-17;
        ``frequency`` is ``None`` where not answered).
    goals : dict
        ``goal, family, goal_for, person, domain, scale, set_on,
        baseline_level``.
    goal_ratings : dict
        ``goal, family, programme_year, date, level, rater``.
    params : YearlyParams
        The parameters used.
    """

    scores: SimulatedScores
    household: Columns
    medians: dict[int, int]
    housing: Columns
    work: Columns
    gse: Columns
    life_satisfaction: Columns
    leisure: Columns
    goals: Columns
    goal_ratings: Columns
    params: YearlyParams = field(default_factory=YearlyParams, repr=False)

    def __post_init__(self) -> None:
        for table in self.tables().values():
            for column in table.values():
                column.flags.writeable = False

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={_rows(v)}" for k, v in self.tables().items())
        return f"SimulatedProgramme(families={self.n_families}, {sizes})"

    @property
    def n_families(self) -> int:
        """Number of families."""
        return int(np.unique(self.scores.person_family).size)

    def tables(self) -> dict[str, Columns]:
        """The yearly and goal tables by the kind names of :func:`fit_scores.cohort.yearly_table`.

        Examples
        --------
        >>> from fit_scores.simulate import simulate_programme
        >>> list(simulate_programme(2, seed=1).tables())[:3]
        ['household_income', 'housing', 'work_activity']
        """
        return {
            "household_income": self.household,
            "housing": self.housing,
            "work_activity": self.work,
            "gse": self.gse,
            "life_satisfaction": self.life_satisfaction,
            "leisure": self.leisure,
            "goals": self.goals,
            "goal_ratings": self.goal_ratings,
        }

    def families(self) -> list[Family]:
        """The families as validated :class:`~fit_scores.Family` objects with mappings and plan.

        Each family holds its members and session tracks (as
        :meth:`SimulatedScores.families`), its yearly mapping
        (:class:`~fit_scores.records.YearlyMapping`: household income and
        housing under the family id as household id, adults' work, GSE and
        life satisfaction, children's leisure) and its plan. Dates are
        checked against the last simulated day. This builds one pydantic
        model per record: use it for some hundreds of families, and
        :func:`fit_scores.cohort.yearly_table` for a cohort.

        Two things of the tables have no record, and are left out here, as
        the cohort tables report them: a GSE form with more than three
        unanswered items has no score (the table rejects its row with the
        reason), and a child whose leisure was not answered has no leisure
        record that year (``frequency`` ``None``). A simulated goal has no
        coordinator's words; its level 0 is described by a synthetic line
        naming the goal and its domain.

        Returns
        -------
        list of Family
            In the order of the family ids.

        Examples
        --------
        >>> from fit_scores.simulate import simulate_programme
        >>> family = simulate_programme(2, seed=5).families()[0]
        >>> family.id, len(family.plan.goals) > 0, len(family.yearly.housing) > 0
        ('f000001', True, True)
        """
        from fit_scores.instruments import score_response
        from fit_scores.records import Family

        dated = [self.scores.date] + [t["date"] for t in self._dated()]
        last = max(int(d.max().astype(np.int64)) for d in dated if d.size)
        context = {"as_of": dt.date(1970, 1, 1) + dt.timedelta(days=last)}
        yearly: dict[str, dict[str, list[dict[str, Any]]]] = {}

        def add(family: object, kind: str, record: dict[str, Any]) -> None:
            yearly.setdefault(str(family), {}).setdefault(kind, []).append(record)

        h = self.household
        for k in range(_rows(h)):
            add(
                h["family"][k],
                "household_income",
                {
                    "household_id": str(h["family"][k]),
                    "year": int(h["year"][k]),
                    "income_after_tax": int(h["income_after_tax"][k]),
                    "adults": int(h["adults"][k]),
                    "children": int(h["children"][k]),
                },
            )
        g = self.housing
        for k in range(_rows(g)):
            area = float(g["area_m2"][k])
            add(
                g["family"][k],
                "housing",
                {
                    "household_id": str(g["family"][k]),
                    "date": g["date"][k].item(),
                    "persons": int(g["persons"][k]),
                    "rooms": int(g["rooms"][k]),
                    "area_m2": None if math.isnan(area) else area,
                },
            )
        w = self.work
        for k in range(_rows(w)):
            hours = float(w["hours_reference_week"][k])
            mask = int(w["activities"][k])
            add(
                w["family"][k],
                "work",
                {
                    "person_id": str(w["person"][k]),
                    "date": w["date"][k].item(),
                    "hours_reference_week": None if math.isnan(hours) else hours,
                    "temporarily_absent": bool(w["temporarily_absent"][k]),
                    "activities": tuple(
                        kind for i, kind in enumerate(ACTIVITY_KINDS) if mask >> i & 1
                    ),
                },
            )
        q = self.gse
        item_keys = [c for c in q if c.startswith("gse10_")]
        for k in range(_rows(q)):
            items = [None if math.isnan(v) else float(v) for v in (q[c][k] for c in item_keys)]
            if score_response("GSE", items).score("total").value is None:
                continue  # too many unanswered items: no score (the cohort table says why)
            add(
                q["family"][k],
                "instruments",
                {
                    "scale": "GSE",
                    "person": str(q["person"][k]),
                    "date": q["date"][k].item(),
                    "items": items,
                },
            )
        ls = self.life_satisfaction
        for k in range(_rows(ls)):
            add(
                ls["family"][k],
                "instruments",
                {
                    "scale": "LIFESAT",
                    "person": str(ls["person"][k]),
                    "date": ls["date"][k].item(),
                    "total": float(ls["life_sat_0_10"][k]),
                },
            )
        le = self.leisure
        for k in range(_rows(le)):
            frequency = le["frequency"][k]
            if frequency is None:
                continue  # not answered: no record
            add(
                le["family"][k],
                "leisure",
                {
                    "person_id": str(le["person"][k]),
                    "date": le["date"][k].item(),
                    "activities": ()
                    if frequency == "never"
                    else ({"kind": "activity", "frequency": str(frequency)},),
                },
            )
        plans: dict[str, dict[str, list[dict[str, Any]]]] = {}
        go = self.goals
        for k in range(_rows(go)):
            fid = str(go["family"][k])
            person = go["person"][k]
            plans.setdefault(fid, {"goals": [], "ratings": []})["goals"].append(
                {
                    "id": str(go["goal"][k]),
                    "family_id": fid,
                    "goal_for": str(go["goal_for"][k]),
                    "person_id": None if person is None else str(person),
                    "domain": str(go["domain"][k]),
                    "scale": str(go["scale"][k]),
                    "set_on": go["set_on"][k].item(),
                    "baseline_level": float(go["baseline_level"][k]),
                    "level_descriptions": {
                        0: f"Simulated goal {go['goal'][k]} ({go['domain'][k]}): expected outcome"
                    },
                }
            )
        gr = self.goal_ratings
        for k in range(_rows(gr)):
            plans[str(gr["family"][k])]["ratings"].append(
                {
                    "goal_id": str(gr["goal"][k]),
                    "date": gr["date"][k].item(),
                    "level": float(gr["level"][k]),
                    "rater": str(gr["rater"][k]),
                }
            )
        result: list[Family] = []
        for family in self.scores.families():
            plan = plans.get(family.id)
            result.append(
                Family.model_validate(
                    {
                        "id": family.id,
                        "members": family.members,
                        "tracks": family.tracks,
                        "yearly": yearly.get(family.id, {}),
                        "plan": None if plan is None else {"family_id": family.id, **plan},
                    },
                    context=context,
                )
            )
        return result

    def _dated(self) -> list[Columns]:
        return [
            self.household,
            self.housing,
            self.work,
            self.gse,
            self.life_satisfaction,
            self.leisure,
            self.goal_ratings,
        ]


def _rows(table: Columns) -> int:
    return int(next(iter(table.values())).shape[0])


def _ordinal(latent: FloatArray, n_levels: int) -> IntArray:
    """Cut a latent value at the half points into 0..n_levels-1 (no clipping of data)."""
    cuts = np.arange(n_levels - 1, dtype=np.float64) + 0.5
    out: IntArray = np.searchsorted(cuts, latent).astype(np.int64)
    return out


def _year_of(dates: DateArray) -> IntArray:
    out: IntArray = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    return out


def simulate_programme(
    n_families: int,
    *,
    seed: int,
    years: float = 5.0,
    params: SimulationParams | None = None,
    yearly: YearlyParams | None = None,
) -> SimulatedProgramme:
    """Simulate families through the programme: session scores, yearly mappings and goals.

    Parameters
    ----------
    n_families : int
        Number of families (at least 1).
    seed : int
        Seed; the session scores are :func:`simulate_families` with this seed,
        unchanged, and the yearly part draws from
        ``numpy.random.SeedSequence([seed, 11])``.
    years : float
        Longest follow-up in years (the programme lasts five): mappings at
        intake and at each whole year up to it.
    params : SimulationParams, optional
        Parameters of the session scores and family structure.
    yearly : YearlyParams, optional
        Parameters of the mappings and goals.

    Returns
    -------
    SimulatedProgramme

    Raises
    ------
    SimulationError
        For an invalid count, seed or ``years`` (a ``ValueError``).

    Examples
    --------
    >>> from fit_scores.simulate import simulate_programme
    >>> sim = simulate_programme(50, seed=4)
    >>> int(sim.gse["gse10_01"].size) == int(sim.life_satisfaction["life_sat_0_10"].size)
    True
    >>> sorted(set(sim.goal_ratings["rater"].tolist()))
    ['coordinator', 'family']
    """
    p = SimulationParams() if params is None else params
    q = YearlyParams() if yearly is None else yearly
    check_count("n_families", n_families)
    max_days = check_years(years)
    scores = simulate_families(n_families, seed=seed, years=years, params=p)
    nf = int(n_families)
    root = np.random.default_rng(np.random.SeedSequence([int(seed), 11]))
    rng_map, rng_inc, rng_house, rng_work, rng_gse, rng_ls, rng_leis, rng_goal = root.spawn(8)

    fam_ids = make_ids("f", nf)
    # the intake date of a family is its first meeting: adults always attend the intake
    fam_of_row = np.searchsorted(fam_ids, scores.family)
    intake = np.full(nf, np.datetime64("9999-12-31", "D"))
    np.minimum.at(intake, fam_of_row, scores.date)

    # mapping grid: family x programme year
    n_maps = max_days // MAPPING_INTERVAL_DAYS + 1
    m_fam = np.repeat(np.arange(nf, dtype=np.int64), n_maps)
    m_k = np.tile(np.arange(n_maps, dtype=np.int64), nf)
    held = (m_k == 0) | (rng_map.random(m_fam.size) >= q.mapping_missing)
    m_fam, m_k = m_fam[held], m_k[held]
    m_date = intake[m_fam] + MAPPING_INTERVAL_DAYS * m_k
    n_m = m_fam.size

    # members at each mapping: person x mapping of the person's family
    people_fam = np.searchsorted(fam_ids, scores.person_family)
    order = np.argsort(people_fam, kind="stable")
    size = np.bincount(people_fam, minlength=nf).astype(np.int64)
    pstart = segment_starts(size)
    per_map = size[m_fam]
    x_map = np.repeat(np.arange(n_m, dtype=np.int64), per_map)
    x_person = order[
        pstart[m_fam][x_map] + (np.arange(x_map.size) - segment_starts(per_map)[x_map])
    ]
    x_age = completed_years(scores.birth_date[x_person], m_date[x_map])
    x_adult = (scores.role[x_person] == "adult") | (x_age >= 18)
    adults = np.bincount(x_map, weights=x_adult, minlength=n_m).astype(np.int64)
    children = per_map - adults

    # income
    ratio0 = math.log(q.income_ratio) + q.income_ratio_sd * rng_inc.standard_normal(nf)
    slope = q.income_trend + q.income_trend_sd * rng_inc.standard_normal(nf)
    log_ratio = (
        ratio0[m_fam] + slope[m_fam] * m_k + q.income_noise_sd * rng_inc.standard_normal(n_m)
    )
    income_year = _year_of(m_date) - 1
    first_year = p.intake_start.year - 1
    span = np.arange(first_year, int(income_year.max()) + 1)
    median_values = np.rint(q.median_first * (1.0 + q.median_growth) ** (span - first_year))
    medians = {int(y): int(v) for y, v in zip(span, median_values, strict=True)}
    units = np.asarray(consumption_units_tenths(adults, children), dtype=np.int64)
    income = np.rint(np.exp(log_ratio) * median_values[income_year - first_year] * units / 10)
    household: Columns = {
        "family": fam_ids[m_fam],
        "programme_year": m_k,
        "date": m_date,
        "year": income_year,
        "income_after_tax": income.astype(np.int64),
        "adults": adults,
        "children": children,
    }

    # housing: the intake dwelling, then moves to a larger one
    persons = per_map
    fam_size0 = size.astype(np.float64)
    rooms0 = np.maximum(
        np.rint(fam_size0 * q.rooms_per_person + 0.7 * rng_house.standard_normal(nf)), 1.0
    )
    area0 = 10.0 + fam_size0 * (q.area_per_person + q.area_sd * rng_house.standard_normal(nf))
    moves = rng_house.random((nf, n_maps)) < q.move_prob
    moves[:, 0] = False
    n_moves = np.cumsum(moves, axis=1)[m_fam, m_k]
    rooms = rooms0[m_fam] + n_moves
    area = np.round(np.maximum(area0[m_fam] + q.move_area * n_moves, 12.0), 1)
    area = np.where(rng_house.random(n_m) < q.area_missing, np.nan, area)
    housing: Columns = {
        "family": fam_ids[m_fam],
        "programme_year": m_k,
        "date": m_date,
        "persons": persons,
        "rooms": rooms.astype(np.int64),
        "area_m2": area,
    }

    # adults' rows: work, GSE, life satisfaction (adults are members from intake)
    a_rows = np.flatnonzero(scores.role[x_person] == "adult")
    a_person, a_map = x_person[a_rows], x_map[a_rows]
    a_k = m_k[a_map]
    n_people = scores.people.size
    z_work = rng_work.standard_normal(n_people)
    eta = q.work_level + q.work_sd * z_work[a_person] + q.work_trend * a_k
    working = eta + rng_work.standard_normal(a_rows.size) > 0
    hours = np.where(working, 1.0 + np.round(rng_work.gamma(4.0, 7.0, size=a_rows.size)), 0.0)
    absent = working & (rng_work.random(a_rows.size) < 0.03)
    hours = np.where(absent, 0.0, hours)
    in_activity = ~working & (rng_work.random(a_rows.size) < q.activity_prob)
    kind_bit = rng_work.integers(1, 5, size=a_rows.size)  # a scheme, education or a programme
    activities = np.where(in_activity, 1 << kind_bit, 0).astype(np.int64)
    hours = np.where(rng_work.random(a_rows.size) < q.hours_missing, np.nan, hours)
    base = {
        "person": scores.people[a_person],
        "family": fam_ids[m_fam[a_map]],
        "programme_year": a_k,
        "date": m_date[a_map],
    }
    work: Columns = {
        **base,
        "hours_reference_week": hours,
        "temporarily_absent": absent,
        "activities": activities,
    }

    z = rng_gse.standard_normal((2, n_people))
    rho = q.gse_lifesat_corr
    z_ls = rho * z[0] + math.sqrt(1.0 - rho * rho) * z[1]
    gse_items = get_instrument("GSE").item_keys
    g = q.gse_level + q.gse_sd * z[0][a_person] + q.gse_trend * a_k
    latent = g[:, None] + q.gse_item_sd * rng_gse.standard_normal((a_rows.size, len(gse_items)))
    responses = (_ordinal(latent - 1.0, 4) + 1).astype(np.float64)
    responses[rng_gse.random(responses.shape) < q.gse_item_missing] = np.nan
    gse: Columns = {**base, **{key: responses[:, j] for j, key in enumerate(gse_items)}}

    ls = q.lifesat_level + q.lifesat_sd * z_ls[a_person] + q.lifesat_trend * a_k
    ls = ls + q.lifesat_noise_sd * rng_ls.standard_normal(a_rows.size)
    life_satisfaction: Columns = {**base, "life_sat_0_10": _ordinal(ls, 11)}

    # children 6-17 at the mapping: leisure
    c_rows = np.flatnonzero((scores.role[x_person] == "child") & (x_age >= 6) & (x_age <= 17))
    c_person, c_map = x_person[c_rows], x_map[c_rows]
    lz = q.leisure_sd * rng_leis.standard_normal(n_people)
    lat = q.leisure_level + lz[c_person] + q.leisure_trend * m_k[c_map]
    lat = lat + 0.6 * rng_leis.standard_normal(c_rows.size)
    words = np.array(LEISURE_FREQUENCIES, dtype=object)[_ordinal(lat, 4)]
    words[rng_leis.random(c_rows.size) < q.leisure_missing] = None
    leisure: Columns = {
        "person": scores.people[c_person],
        "family": fam_ids[m_fam[c_map]],
        "programme_year": m_k[c_map],
        "date": m_date[c_map],
        "frequency": words,
    }

    goals, goal_ratings = _goals(rng_goal, q, fam_ids, intake, m_fam, m_k, m_date)
    return SimulatedProgramme(
        scores=scores,
        household=household,
        medians=medians,
        housing=housing,
        work=work,
        gse=gse,
        life_satisfaction=life_satisfaction,
        leisure=leisure,
        goals=goals,
        goal_ratings=goal_ratings,
        params=q,
    )


def _goals(
    rng: np.random.Generator,
    q: YearlyParams,
    fam_ids: StrArray,
    intake: DateArray,
    m_fam: IntArray,
    m_k: IntArray,
    m_date: DateArray,
) -> tuple[Columns, Columns]:
    """Goals set at intake and rated by the family and the coordinator at later mappings."""
    nf = fam_ids.size
    lo, hi = q.goals_per_family
    n_goals = rng.integers(lo, hi + 1, size=nf).astype(np.int64)
    g_fam = np.repeat(np.arange(nf, dtype=np.int64), n_goals)
    ng = g_fam.size
    domain = np.array(GOAL_DOMAINS)[rng.choice(len(GOAL_DOMAINS), size=ng, p=q.domain_probs)]
    baseline = np.where(rng.random(ng) < q.baseline_minus2, -2.0, -1.0)
    progress = q.goal_progress + q.goal_progress_sd * rng.standard_normal(ng)
    goal_ids = np.char.add(
        np.char.add(fam_ids[g_fam], "-g"),
        (np.arange(ng) - segment_starts(n_goals)[g_fam] + 1).astype(str),
    )
    goals: Columns = {
        "goal": goal_ids.astype(np.str_),
        "family": fam_ids[g_fam],
        "goal_for": np.full(ng, "family"),
        "person": np.full(ng, None, dtype=object),
        "domain": domain,
        "scale": np.full(ng, "standard_5"),
        "set_on": intake[g_fam],
        "baseline_level": baseline,
    }
    # ratings: every goal of a family at each of its mappings after the intake, two raters
    later = np.flatnonzero(m_k > 0)
    per = n_goals[m_fam[later]]
    r_map = np.repeat(later, per)
    first_goal = segment_starts(n_goals)
    r_goal = first_goal[m_fam[r_map]] + (np.arange(r_map.size) - segment_starts(per).repeat(per))
    r_goal = np.repeat(r_goal, 2)
    r_map = np.repeat(r_map, 2)
    rater = np.tile(np.array(["family", "coordinator"]), r_goal.size // 2)
    latent = baseline[r_goal] + progress[r_goal] * m_k[r_map]
    latent = latent + q.goal_noise_sd * rng.standard_normal(r_goal.size)
    level = (_ordinal(latent + 2.0, 5) - 2).astype(np.float64)
    ratings: Columns = {
        "goal": goals["goal"][r_goal],
        "family": fam_ids[m_fam[r_map]],
        "programme_year": m_k[r_map],
        "date": m_date[r_map],
        "level": level,
        "rater": rater,
    }
    return goals, ratings
