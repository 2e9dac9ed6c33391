r"""Seeded synthetic cohorts and families of ORS-family scores.

Realistic, reproducible test data for the trajectory (expected-treatment-response)
models, the docs, notebooks and benchmarks: irregular meetings over up to five years,
dropout, people who score above the clinical cutoff at intake, alliance ratings that sit
near the ceiling, children who move from the CORS to the ORS at 13. Everything is drawn
from one :func:`numpy.random.default_rng` seed; the same seed gives the same data.

The data are **synthetic**. Every default of :class:`SimulationParams` is either a
figure from the project's domain reference (*fit-reference.md*, sections 3 and 5) [5]_
or an assumption, and says which.

Notes
-----
**Outcome (ORS, CORS).** Person :math:`i` in age band :math:`g` (child 6-12 on the
CORS, adolescent 13-17 or adult 18+ on the ORS) is measured at meetings
:math:`s = 1, 2, \dots` (the session number). Following the log-linear growth model of
Finch, Lambert & Schaalje (2001) [1]_, also used for the expected course by Lutz et al.
(2006) [2]_, with the change depending on the intake level:

.. math::

    \theta_i &\sim N(\mu_g, \tau_g^2)
        && \text{true score at intake} \\
    b_i &= \gamma_{0g} + \gamma_1 (\theta_i - c_g) + u_i, \quad u_i \sim N(0, \omega^2)
        && \text{true change per unit of } \log s \\
    y^*_{is} &= \theta_i + b_i \log s
        && \text{true score at session } s \\
    Y_{is} &= \operatorname{round}_{0.1}(y^*_{is} + e_{is}), \quad
        e_{is} \sim N(0, \sigma_e^2), \quad \sigma_e = SD \sqrt{1 - r_{xx}}
        && \text{observed total}

where :math:`c_g` is the self-rated cutoff of the band (25 adults, 28 adolescents, 32
CORS) and :math:`\gamma_{0g}` the mean change of a person at the cutoff (smaller on the
CORS, which has less room above its cutoff). :math:`\gamma_1 < 0`: people far below the
cutoff improve more, people above it little. The implied random-effects model is the one
fitted by ``fit_scores._core.mixed.fit_random_slope`` with fixed effects
:math:`(\mu_g, \gamma_{0g} + \gamma_1(\mu_g - c_g))` for :math:`[1, \log s]` and

.. math::

    \operatorname{var}\theta = \tau^2, \quad
    \operatorname{cov}(\theta, b) = \gamma_1 \tau^2, \quad
    \operatorname{var} b = \gamma_1^2 \tau^2 + \omega^2,

plus :math:`\sigma_e^2 + 0.01/12` for the residual (the last term is the rounding to the
0.1 grid). :math:`\sigma_e` is the standard error of measurement from the scale's norms:
the ORS functional SD 6.8 and Cronbach's :math:`\alpha = .93` (Miller et al. 2003 [3]_) give
:math:`\sigma_e = 6.8 \sqrt{.07} = 1.80`; the CORS has no norms in the registry, so the
ORS figures are used for it (assumption). Override with
:attr:`SimulationParams.reliability` (test-retest .58 gives :math:`\sigma_e = 4.4`) or
:attr:`SimulationParams.measurement_sd`.

A total outside 0-40 after rounding is set to the nearer bound and **counted** in
:attr:`SimulatedScores.n_bounded`; nothing is clipped silently. With the defaults that
happens for about 0.3 % of adults' outcome rows, 0.8 % of adolescents' and 1.1 % of
children's (the CORS cutoff 32 lies close to the maximum 40), almost all at 40.

**Alliance (SRS, CSRS).** Filled in at the same meetings as the outcome form; a form is
missing with probability :math:`p_{miss}`. The total is the maximum (a mark at the right
end of every line: the ceiling) with a person-specific probability :math:`\pi_i`, and
otherwise 40 minus a positive shortfall :math:`D_{is}`:

.. math::

    \pi_i &\sim \mathrm{Beta}(a, b), \qquad
    \eta_i = \log d + \tau_\eta \big(\rho z_i + \sqrt{1 - \rho^2}\, z'_i\big) \\
    D_{is} &= \exp(\eta_i - \lambda \log s + \varepsilon_{is}) + J_{is} X_{is}, \qquad
    \varepsilon_{is} \sim N(0, \sigma_a^2),\ J_{is} \sim \mathrm{Bernoulli}(p_{dip}),\
    X_{is} \sim \mathrm{Exp}(\text{mean } \delta) \\
    A_{is} &= 40 \text{ with probability } \pi_i, \text{ else }
    \operatorname{round}_{0.1}(40 - D_{is})

where :math:`z_i = u_i / \omega` is the standardised deviation of the person's outcome
slope: with :math:`\rho < 0` a better alliance (smaller shortfall) goes with more
improvement, as the SRS predicts outcome (Duncan et al. 2003 [4]_). With the defaults about
four in five forms are 36 or more, about a quarter are exactly 40, and occasional dips
fall below the alliance cutoff 36.

**Meetings.** The intake date is uniform between :attr:`SimulationParams.intake_start`
and :attr:`SimulationParams.intake_end`. The gap to the next meeting is, in days,
rounded to whole days,

.. math::

    \Delta = \begin{cases}
        m + \mathrm{Gamma}(k, \vartheta) & \text{with probability } 1 - p_{long}
            \quad\text{(every 2-8 weeks)} \\
        m_{long} + \mathrm{Exp}(\text{mean } \bar\Delta_{long}) & \text{with probability }
            p_{long} \quad\text{(a break of months)}
    \end{cases}

and meetings after ``years`` of follow-up are not observed. Dropout is a per-session
hazard: after the first meeting a person (family) stops with probability :math:`h_1`,
after each later one with probability :math:`h`, so the number of meetings is
:math:`1 + \mathrm{Geometric}(h)` with probability :math:`1 - h_1` and 1 otherwise.

**Families.** A family has 1-2 adults and 0-4 children aged 0-17 at intake, one meeting
schedule, and members who attend each meeting with a probability (the adults always
attend the intake). Members rate themselves from age 6: the CORS and CSRS at 6-12, the
ORS and SRS from 13 (so a child who turns 13 gets a second outcome track and a second
alliance track). One parent per child rates the child (caretaker CORS at 6-12, caretaker
ORS at 13-17) when that parent attends. The caretaker's rating is the child's true score
plus a shift :math:`\delta` and a child-specific offset :math:`v_i \sim N(0, \kappa^2)`,
plus its own measurement error. In families the time :math:`s` of the growth model is
the number of family meetings since the member first could be rated (intake, or the
sixth birthday); the ``session`` column always counts the administrations of a track
(1, 2, ... ; an alliance form carries the number of the outcome form of its meeting).
No level shift is modelled at the switch from the CORS to the ORS (assumption: no
linking study is known).

References
----------
.. [1] Finch, A. E., Lambert, M. J. & Schaalje, B. G. (2001). Psychotherapy quality
   control: the statistical generation of expected recovery curves for integration into
   an early warning system. *Clinical Psychology & Psychotherapy*, 8, 231-242.
.. [2] Lutz, W., Lambert, M. J., Harmon, S. C., Tschitsaz, A., Schürch, E. & Stulz, N.
   (2006). The probability of treatment success, failure and duration: what can be
   learned from empirical data to support decision making in clinical practice?
   *Clinical Psychology & Psychotherapy*, 13, 223-232. doi:10.1002/cpp.496
.. [3] Miller, S. D., Duncan, B. L., Brown, J., Sparks, J. A. & Claud, D. A. (2003). The
   Outcome Rating Scale. *Journal of Brief Therapy*, 2(2), 91-100.
.. [4] Duncan, B. L., Miller, S. D., Sparks, J. A., Claud, D. A., Reynolds, L. R.,
   Brown, J. & Johnson, L. D. (2003). The Session Rating Scale. *Journal of Brief
   Therapy*, 3(1), 3-12.
.. [5] The project's domain reference, *fit-reference.md*: §3.1 (cutoffs 25 / 28 / 32,
   SRS 36, typical adult intake 16-19, mandated clients above the cutoff), §3.2 (ORS
   clinical 19.6 (8.7), non-clinical 28.0 (6.8), alpha .93, test-retest .58; SRS alpha
   .88), §5.2-5.3 (log-linear growth, irregular five-year timelines).

Examples
--------
>>> from fit_scores.simulate import simulate_cohort
>>> sim = simulate_cohort(200, seed=7, with_alliance=True)
>>> sorted(set(sim.scale.tolist())), sim.date.dtype
(['ORS', 'SRS'], dtype('<M8[D]'))
>>> bool((sim.total >= 0).all() and (sim.total <= 40).all())
True
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from fit_scores.records import Administration, Family, Person, Track
from fit_scores.scales import Scale, get_scale

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "SimulatedScores",
    "SimulationParams",
    "simulate_cohort",
    "simulate_families",
    "simulate_family",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]
DateArray = npt.NDArray[np.datetime64]

BandName = Literal["child", "adolescent", "adult"]

_DAYS_PER_YEAR = 365.2425
_BANDS: tuple[BandName, ...] = ("child", "adolescent", "adult")
# scale keys in sort order (the rows are sorted by these codes)
_SCALES = ("CORS", "CSRS", "ORS", "SRS")
_CORS, _CSRS, _ORS, _SRS = range(4)
_RATERS = ("caretaker", "self")
_CARETAKER, _SELF = range(2)


# --- parameters -------------------------------------------------------------------


@dataclass(frozen=True)
class SimulationParams:
    r"""Parameters of the generating model (see the module notes for the equations).

    Every field has a default; change some with
    ``dataclasses.replace(SimulationParams(), gamma1=-0.2)`` or by keyword.

    Parameters
    ----------
    adult_mean, adult_sd : float
        :math:`\mu, \tau` of the true intake ORS of adults (18+): 22.5 and 6.0. With the
        measurement error about 34 % of adults score at or above the cutoff 25 at
        intake. Basis: typical adult outpatient intake 16-19 and clinical intake 19.6
        (8.7) (domain reference §3.1-3.2), shifted up because mandated and referred NAV
        parents often score above the cutoff (§3.1); the share is an assumption.
    adolescent_mean, adolescent_sd : float
        The same for adolescents (13-17, ORS, cutoff 28): 24.5 and 5.5, so that about
        27 % start at or above 28 (assumption; no adolescent intake figures are known).
    child_mean, child_sd : float
        The same for children (6-12, CORS, cutoff 32): 27.0 and 4.5, about 15 % at or
        above 32 at intake (assumption). The smaller SD keeps totals below 40.
    adult_age : tuple of int
        Range of ages at intake (inclusive) of cohort adults: 20-55 (parents).
    gamma0 : float
        :math:`\gamma_0`, the mean true change per unit of :math:`\log s` of a person at
        the cutoff, for the ORS (adults and adolescents): 1.5 (+3.5 points by session
        10). Assumption, chosen so that an adult at the mean intake gains about 4.3
        points (ES 0.6) by session 10 and 5.6 by session 20, less than the pre-post ES
        1.0 of therapy (Murphy 2020, §3.2), as the programme is not therapy.
    child_gamma0 : float
        :math:`\gamma_0` of children on the CORS: 1.0. Smaller because the CORS cutoff
        32 leaves only 8 points of room; with 1.5 about 3 % of children's totals would
        pass 40 (assumption).
    gamma1 : float
        :math:`\gamma_1`, the change of the slope per point of intake above the cutoff:
        -0.15 (10 points below the cutoff: +1.5 per log-session). Assumption.
    omega : float
        :math:`\omega`, SD of the person-specific slope deviation: 0.7. With
        :math:`\gamma_1` and :math:`\tau` this gives an SD of the slope of about 1.1
        and about 5 % of adults whose true score declines. Assumption.
    reliability : float, optional
        Reliability :math:`r_{xx}` for :math:`\sigma_e`; default ``None``: Cronbach's
        alpha of the scale's norms (ORS .93, Miller et al. 2003).
    measurement_sd : float, optional
        :math:`\sigma_e` directly (overrides ``reliability``); default ``None``: the
        functional SD of the norms (6.8) times :math:`\sqrt{1 - r_{xx}}`, 1.80 for the
        ORS.
    alliance_median_shortfall : float
        :math:`d`, median shortfall below 40 of an alliance form that is not at the
        ceiling: 2.0 points (a typical SRS of 38; SRS bands 35-38 fair, 39-40 good,
        §3.1). Assumption.
    alliance_person_sd : float
        :math:`\tau_\eta`, SD of the person's log shortfall: 0.6.
    alliance_noise_sd : float
        :math:`\sigma_a`, SD of the session's log shortfall: 0.5.
    alliance_trend : float
        :math:`\lambda`, how fast the shortfall shrinks with :math:`\log s`: 0.1.
    alliance_ceiling_a, alliance_ceiling_b : float
        Beta parameters of :math:`\pi_i`, the person's probability of a 40: 1 and 3
        (mean 0.25; some people give 40 almost every time, the "possible ceiling" of
        §5.3). Assumption.
    alliance_dip_prob, alliance_dip_mean : float
        :math:`p_{dip}` and :math:`\delta`: an occasional dip of on average 5 points in
        8 % of forms. Assumption.
    alliance_outcome_corr : float
        :math:`\rho`, correlation of the log shortfall with the outcome-slope deviation:
        -0.3 (alliance predicts outcome, Duncan et al. 2003). Assumption.
    alliance_missing : float
        :math:`p_{miss}`, probability that an alliance form is missing at a meeting with
        an outcome form: 0.05.
    intake_start, intake_end : datetime.date
        Window of intake dates: 2022-01-01 to 2024-12-31.
    gap_min_days, gap_shape, gap_scale_days : float
        :math:`m, k, \vartheta` of the usual gap: 7 + Gamma(2, 10.5) days, mean 28
        days, 5-95 % range about 11-57 days ("every 2-8 weeks").
    long_gap_prob, long_gap_min_days, long_gap_mean_days : float
        :math:`p_{long}, m_{long}, \bar\Delta_{long}`: 6 % of gaps are a break of 60 +
        Exp(mean 90) days (mean 5 months); the mean gap is then about 5 weeks.
    dropout_first, dropout_hazard : float
        :math:`h_1, h`: 0.12 and 0.07. The median track has 9 meetings (documented
        range 8-12), about 18 % of tracks have 1-2, and the mean is about 13.
        Assumption, in line with the 1-20 sessions of outpatient data (§5.3) but with a
        long tail over the five years.
    caretaker_shift, caretaker_sd : float
        :math:`\delta, \kappa`: a parent rates the child -1.0 points lower on average,
        with a child-specific offset of SD 3.0 (assumption; Duncan et al. 2006 report
        separate caretaker norms, not confirmed).
    caretaker_rates : float
        Probability that the rating parent, when present, rates the child: 0.8.
    two_adults_prob : float
        Probability of a second adult in a family: 0.55 (assumption; many families in
        the programme have a single parent).
    children_probs : tuple of float
        Probabilities of 0, 1, 2, 3 and 4 children: 0.05, 0.25, 0.35, 0.22, 0.13
        (assumption).
    attend_adult, attend_child : float
        Probability that an adult (a child from 6) attends a family meeting: 0.85 and
        0.6. The adults always attend the intake.

    Raises
    ------
    ValueError
        If a value is out of range.

    Examples
    --------
    >>> import dataclasses
    >>> p = SimulationParams()
    >>> p.adult_mean, p.gamma0, p.dropout_hazard
    (22.5, 1.5, 0.07)
    >>> dataclasses.replace(p, gamma1=-0.2).gamma1
    -0.2
    """

    adult_mean: float = 22.5
    adult_sd: float = 6.0
    adolescent_mean: float = 24.5
    adolescent_sd: float = 5.5
    child_mean: float = 27.0
    child_sd: float = 4.5
    adult_age: tuple[int, int] = (20, 55)
    gamma0: float = 1.5
    child_gamma0: float = 1.0
    gamma1: float = -0.15
    omega: float = 0.7
    reliability: float | None = None
    measurement_sd: float | None = None
    alliance_median_shortfall: float = 2.0
    alliance_person_sd: float = 0.6
    alliance_noise_sd: float = 0.5
    alliance_trend: float = 0.1
    alliance_ceiling_a: float = 1.0
    alliance_ceiling_b: float = 3.0
    alliance_dip_prob: float = 0.08
    alliance_dip_mean: float = 5.0
    alliance_outcome_corr: float = -0.3
    alliance_missing: float = 0.05
    intake_start: dt.date = dt.date(2022, 1, 1)
    intake_end: dt.date = dt.date(2024, 12, 31)
    gap_min_days: float = 7.0
    gap_shape: float = 2.0
    gap_scale_days: float = 10.5
    long_gap_prob: float = 0.06
    long_gap_min_days: float = 60.0
    long_gap_mean_days: float = 90.0
    dropout_first: float = 0.12
    dropout_hazard: float = 0.07
    caretaker_shift: float = -1.0
    caretaker_sd: float = 3.0
    caretaker_rates: float = 0.8
    two_adults_prob: float = 0.55
    children_probs: tuple[float, float, float, float, float] = (0.05, 0.25, 0.35, 0.22, 0.13)
    attend_adult: float = 0.85
    attend_child: float = 0.6

    def __post_init__(self) -> None:
        for name in ("adult_sd", "adolescent_sd", "child_sd", "gap_shape", "gap_scale_days"):
            _check(name, getattr(self, name), low=0.0, low_open=True)
        for name in (
            "omega",
            "alliance_person_sd",
            "alliance_noise_sd",
            "alliance_dip_mean",
            "caretaker_sd",
            "long_gap_mean_days",
            "long_gap_min_days",
        ):
            _check(name, getattr(self, name), low=0.0)
        for name in (
            "alliance_dip_prob",
            "alliance_missing",
            "long_gap_prob",
            "dropout_first",
            "caretaker_rates",
            "two_adults_prob",
            "attend_adult",
            "attend_child",
        ):
            _check(name, getattr(self, name), low=0.0, high=1.0)
        for name in (
            "adult_mean",
            "adolescent_mean",
            "child_mean",
            "gamma0",
            "child_gamma0",
            "gamma1",
            "alliance_trend",
            "caretaker_shift",
        ):
            _check(name, getattr(self, name))
        _check("dropout_hazard", self.dropout_hazard, low=0.0, high=1.0, low_open=True)
        _check("gap_min_days", self.gap_min_days, low=1.0)
        _check("alliance_median_shortfall", self.alliance_median_shortfall, 0.0, low_open=True)
        _check("alliance_ceiling_a", self.alliance_ceiling_a, low=0.0, low_open=True)
        _check("alliance_ceiling_b", self.alliance_ceiling_b, low=0.0, low_open=True)
        _check("alliance_outcome_corr", self.alliance_outcome_corr, low=-1.0, high=1.0)
        if self.reliability is not None:
            _check("reliability", self.reliability, low=0.0, high=1.0, high_open=True)
        if self.measurement_sd is not None:
            _check("measurement_sd", self.measurement_sd, low=0.0)
        lo, hi = self.adult_age
        if not 18 <= lo <= hi <= 130:
            raise ValueError(f"adult_age must satisfy 18 <= low <= high <= 130, got {lo, hi}")
        if not self.intake_start <= self.intake_end:
            raise ValueError(
                f"intake_start ({self.intake_start}) must not be after intake_end "
                f"({self.intake_end})"
            )
        probs = self.children_probs
        if len(probs) != 5 or any(not (math.isfinite(q) and q >= 0) for q in probs):
            raise ValueError(f"children_probs must be 5 probabilities, got {probs}")
        if not math.isclose(sum(probs), 1.0, abs_tol=1e-9):
            raise ValueError(f"children_probs must sum to 1, got {sum(probs)}")

    def band(self, band: BandName) -> tuple[float, float]:
        """``(mean, sd)`` of the true intake score of an age band.

        Examples
        --------
        >>> SimulationParams().band("adult")
        (22.5, 6.0)
        """
        if band == "adult":
            return self.adult_mean, self.adult_sd
        if band == "adolescent":
            return self.adolescent_mean, self.adolescent_sd
        if band == "child":
            return self.child_mean, self.child_sd
        raise ValueError(f"age band must be one of {list(_BANDS)}, got {band!r}")


def _check(
    name: str,
    value: float,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> None:
    """Raise ValueError unless ``value`` is a finite number in the given range."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low:g}, got {value:g}")
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high:g}, got {value:g}")


# --- result -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SimulatedScores:
    r"""Simulated scores in long format, one row per administration.

    Rows are sorted by track (person, scale, rater, rater id) and then by date. All
    arrays are read-only.

    Attributes
    ----------
    person : ndarray of str
        Person id of the person rated, e.g. ``"p000001"``.
    family : ndarray of str
        Family id (``""`` for cohort members without a family).
    scale : ndarray of str
        ``"ORS"``, ``"CORS"``, ``"SRS"`` or ``"CSRS"``.
    rater : ndarray of str
        ``"self"`` or ``"caretaker"``.
    rater_id : ndarray of str
        Person id of a caretaker rater; ``""`` for self-ratings.
    date : ndarray of datetime64[D]
        Date of the administration.
    session : ndarray of int64
        1-based number of the administration within its track (an alliance form carries
        the number of the outcome form of the same meeting).
    total : ndarray of float64
        Total on the 0.1 grid, within 0-40.
    age : ndarray of int64
        Age of the person rated, in completed years, at the date.
    n_bounded : int
        Number of totals that fell outside 0-40 and were set to the nearer bound.
    truth : dict of str to ndarray of float64
        Per-person true values, aligned with ``people``: ``theta`` (true intake
        score), ``slope`` (:math:`b_i`), ``slope_deviation`` (:math:`u_i`), ``cutoff``
        (:math:`c_g`), ``measurement_sd`` (:math:`\sigma_e`), ``alliance_log_shortfall``
        (:math:`\eta_i`), ``alliance_ceiling`` (:math:`\pi_i`) and
        ``caretaker_offset`` (:math:`\delta + v_i`; NaN without caretaker ratings).
    people : ndarray of str
        Person ids, in the order of ``truth``; includes people without any rows (young
        children in a family).
    birth_date : ndarray of datetime64[D]
        Birth date of each person (aligned with ``people``).
    role : ndarray of str
        ``"adult"`` or ``"child"`` for each person (aligned with ``people``).
    person_family : ndarray of str
        Family id of each person (aligned with ``people``; ``""`` in a cohort).
    params : SimulationParams
        The parameters used.

    Examples
    --------
    >>> from fit_scores.simulate import simulate_cohort
    >>> sim = simulate_cohort(3, seed=1)
    >>> len(sim) == sim.total.size, sim.people.tolist()
    (True, ['p000001', 'p000002', 'p000003'])
    >>> sorted(sim.to_dict())[:3]
    ['age', 'date', 'family']
    """

    person: StrArray
    family: StrArray
    scale: StrArray
    rater: StrArray
    rater_id: StrArray
    date: DateArray
    session: IntArray
    total: FloatArray
    age: IntArray
    n_bounded: int
    truth: dict[str, FloatArray]
    people: StrArray
    birth_date: DateArray = field(repr=False)
    role: StrArray = field(repr=False)
    person_family: StrArray = field(repr=False)
    params: SimulationParams = field(default_factory=SimulationParams, repr=False)

    def __post_init__(self) -> None:
        arrays = [getattr(self, name) for name in _COLUMNS]
        arrays += [self.people, self.birth_date, self.role, self.person_family]
        arrays += list(self.truth.values())
        for arr in arrays:
            arr.flags.writeable = False

    def __len__(self) -> int:
        return int(self.total.shape[0])

    def __repr__(self) -> str:
        return (
            f"SimulatedScores(rows={len(self)}, people={self.people.size}, "
            f"tracks={self._track_starts().size}, n_bounded={self.n_bounded})"
        )

    def to_dict(self) -> dict[str, npt.NDArray[Any]]:
        """The row columns as a dict of (read-only) arrays.

        Keys: ``person, family, scale, rater, rater_id, date, session, total, age``.

        Examples
        --------
        >>> from fit_scores.simulate import simulate_cohort
        >>> list(simulate_cohort(2, seed=0).to_dict())
        ['person', 'family', 'scale', 'rater', 'rater_id', 'date', 'session', 'total', 'age']
        """
        return {name: getattr(self, name) for name in _COLUMNS}

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a :class:`pandas.DataFrame` (pandas is imported here, not before).

        The columns are those of :meth:`to_dict`; ``date`` becomes a datetime column.

        Examples
        --------
        >>> from fit_scores.simulate import simulate_cohort
        >>> df = simulate_cohort(2, seed=0).to_pandas()
        >>> list(df.columns)
        ['person', 'family', 'scale', 'rater', 'rater_id', 'date', 'session', 'total', 'age']
        """
        import pandas as pd

        return pd.DataFrame({name: np.array(arr) for name, arr in self.to_dict().items()})

    def _track_starts(self) -> IntArray:
        """Row offsets at which a track (person, scale, rater, rater id) starts."""
        n = len(self)
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        new = np.zeros(n, dtype=np.bool_)
        new[0] = True
        for column in (self.person, self.scale, self.rater, self.rater_id):
            new[1:] |= column[1:] != column[:-1]
        return np.flatnonzero(new).astype(np.int64)

    def tracks(self) -> list[Track]:
        """The rows as validated :class:`~fit_scores.Track` objects (for small data).

        Each administration is validated (scale, rater, age, total on the grid) with its
        age and session set; the tracks have no episode. This builds one pydantic model
        per row: use it for up to some thousands of rows, not for a benchmark cohort.

        Examples
        --------
        >>> from fit_scores.simulate import simulate_cohort
        >>> tracks = simulate_cohort(2, seed=3).tracks()
        >>> [(t.person, t.scale.key) for t in tracks]
        [('p000001', 'ORS'), ('p000002', 'ORS')]
        """
        starts = self._track_starts()
        ends = np.append(starts[1:], len(self))
        dates = self.date.tolist()
        totals = self.total.tolist()
        sessions = self.session.tolist()
        ages = self.age.tolist()
        tracks: list[Track] = []
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            scale = get_scale(str(self.scale[start]))
            person = str(self.person[start])
            rater = "caretaker" if self.rater[start] == "caretaker" else "self"
            rater_id = str(self.rater_id[start]) or None
            tracks.append(
                Track(
                    administrations=tuple(
                        Administration(
                            scale=scale,
                            person=person,
                            rater=rater,
                            rater_id=rater_id,
                            date=dates[k],
                            session=sessions[k],
                            age=ages[k],
                            total=totals[k],
                        )
                        for k in range(start, end)
                    )
                )
            )
        return tracks

    def families(self) -> list[Family]:
        """The families as validated :class:`~fit_scores.Family` objects (for small data).

        Members come with their birth dates, so the family checks every age; people
        without a family (a cohort) are left out.

        Examples
        --------
        >>> from fit_scores.simulate import simulate_families
        >>> [f.id for f in simulate_families(2, seed=5).families()]
        ['f000001', 'f000002']
        """
        family_of = dict(zip(self.people.tolist(), self.person_family.tolist(), strict=True))
        by_family: dict[str, list[Track]] = {}
        for track in self.tracks():
            by_family.setdefault(family_of[track.person], []).append(track)
        result: list[Family] = []
        for fid in dict.fromkeys(self.person_family.tolist()):
            if not fid:
                continue
            members = tuple(
                Person(
                    id=str(self.people[k]),
                    role="adult" if self.role[k] == "adult" else "child",
                    birth_date=self.birth_date[k].item(),
                )
                for k in np.flatnonzero(self.person_family == fid).tolist()
            )
            result.append(Family(id=fid, members=members, tracks=tuple(by_family.get(fid, []))))
        return result


_COLUMNS = ("person", "family", "scale", "rater", "rater_id", "date", "session", "total", "age")


# --- helpers ----------------------------------------------------------------------


def _ids(prefix: str, n: int, width: int = 6) -> StrArray:
    """``prefix`` followed by 1..n zero-padded to ``width`` digits, without a Python loop."""
    width = max(width, len(str(n)))
    k = np.arange(1, n + 1, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    codes = np.empty((n, len(prefix) + width), dtype=np.uint8)
    codes[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    codes[:, len(prefix) :] = (k[:, None] // powers) % 10 + ord("0")
    out: StrArray = codes.view(f"S{len(prefix) + width}").ravel().astype(np.str_)
    return out


def _completed_years(birth: DateArray, when: DateArray) -> IntArray:
    """Age in completed years at ``when`` (the rule of :meth:`fit_scores.Person.age_at`)."""

    def parts(d: DateArray) -> tuple[IntArray, IntArray]:
        year = d.astype("datetime64[Y]").astype(np.int64)
        month_start = d.astype("datetime64[M]")
        month = month_start.astype(np.int64) - 12 * year
        day = (d - month_start).astype(np.int64)
        return year, month * 32 + day

    by, bmd = parts(birth)
    wy, wmd = parts(when)
    out: IntArray = wy - by - (wmd < bmd).astype(np.int64)
    return out


def _constant(value: str, n: int) -> StrArray:
    """A read-only length-``n`` view of one string (no memory per row)."""
    out: StrArray = np.broadcast_to(np.array(value, dtype=np.str_), (n,))
    return out


def _to_date64(day: dt.date) -> np.datetime64:
    return np.datetime64(day.isoformat(), "D")


def _segment_starts(lengths: IntArray) -> IntArray:
    out: IntArray = np.cumsum(lengths) - lengths
    return out


def _schedule(
    rng: np.random.Generator, n: int, p: SimulationParams, max_days: int
) -> tuple[IntArray, IntArray]:
    """Meeting offsets (days from intake) of ``n`` tracks: per-track counts and offsets.

    Offsets are contiguous per track, start at 0 and increase strictly.
    """
    cap = int(max_days // p.gap_min_days) + 1  # most meetings that can fit
    stop_first = rng.random(n) < p.dropout_first
    later = rng.geometric(p.dropout_hazard, size=n).astype(np.int64)
    lengths = np.where(stop_first, 1, 1 + np.minimum(later, cap)).astype(np.int64)
    lengths = np.minimum(lengths, cap)
    total = int(lengths.sum())
    starts = _segment_starts(lengths)
    regular = p.gap_min_days + rng.gamma(p.gap_shape, p.gap_scale_days, size=total)
    is_long = rng.random(total) < p.long_gap_prob
    long_gap = p.long_gap_min_days + rng.exponential(p.long_gap_mean_days, size=total)
    gaps = np.maximum(np.rint(np.where(is_long, long_gap, regular)), 1.0).astype(np.int64)
    gaps[starts] = 0
    cum = np.cumsum(gaps)
    offsets = cum - np.repeat(cum[starts], lengths)
    keep = offsets <= max_days  # a prefix of every track (offsets increase)
    counts = np.add.reduceat(keep.astype(np.int64), starts)
    out_offsets: IntArray = offsets[keep]
    return counts.astype(np.int64), out_offsets


def _norm_source(scale: Scale) -> Scale:
    """The scale whose norms give the measurement error (the ORS when ``scale`` has none)."""
    norms = scale.norms
    if norms.functional is not None and any(r.type == "alpha" for r in norms.reliability):
        return scale
    return get_scale("ORS")


def _measurement_sd(scale_key: str, p: SimulationParams) -> float:
    r""":math:`\sigma_e = SD_{functional} \sqrt{1 - r_{xx}}` (or the override)."""
    if p.measurement_sd is not None:
        return float(p.measurement_sd)
    source = _norm_source(get_scale(scale_key))
    functional = source.norms.functional
    if functional is None:  # pragma: no cover - the built-in ORS has norms
        raise ValueError(f"{source.key} has no functional norms; give measurement_sd")
    if p.reliability is not None:
        rel = p.reliability
    else:
        rel = next(r.value for r in source.norms.reliability if r.type == "alpha")
    return float(functional.sd * math.sqrt(1.0 - rel))


def _band_cutoff(band: BandName) -> float:
    """The self-rated cutoff of the outcome scale of an age band (CORS 6-12, ORS 13+)."""
    key, age = {"child": ("CORS", 6), "adolescent": ("ORS", 13), "adult": ("ORS", 18)}[band]
    value = get_scale(key).cutoff(age=age, rater="self").value
    if value is None:  # pragma: no cover - the built-ins publish these
        raise ValueError(f"{key} has no self-rated cutoff for the {band} band")
    return float(value)


def _to_grid(values: FloatArray, scale: Scale) -> tuple[FloatArray, int]:
    """Round to the scale's resolution; bound to its range and count the bounded values."""
    tpu = scale.ticks_per_unit
    ticks = np.rint(values * tpu)
    lo, hi = round(scale.total_min * tpu), round(scale.total_max * tpu)
    out_of_range = (ticks < lo) | (ticks > hi)
    ticks = np.clip(ticks, lo, hi)
    total: FloatArray = ticks / tpu
    return total, int(out_of_range.sum())


@dataclass(frozen=True)
class _People:
    """Per-person latent values of the outcome and alliance models."""

    theta: FloatArray
    slope: FloatArray
    deviation: FloatArray
    cutoff: FloatArray
    log_shortfall: FloatArray
    ceiling: FloatArray


def _draw_people(
    rng_outcome: np.random.Generator,
    rng_alliance: np.random.Generator,
    means: FloatArray,
    sds: FloatArray,
    cutoffs: FloatArray,
    gamma0: FloatArray,
    p: SimulationParams,
) -> _People:
    """True intake, slope and alliance parameters of each person (vectorised)."""
    n = means.shape[0]
    z = rng_outcome.standard_normal((2, n))
    theta = means + sds * z[0]
    deviation = p.omega * z[1]
    slope = gamma0 + p.gamma1 * (theta - cutoffs) + deviation
    za = rng_alliance.standard_normal(n)
    rho = p.alliance_outcome_corr
    log_shortfall = math.log(p.alliance_median_shortfall) + p.alliance_person_sd * (
        rho * z[1] + math.sqrt(1.0 - rho * rho) * za
    )
    ceiling: FloatArray = np.asarray(
        rng_alliance.beta(p.alliance_ceiling_a, p.alliance_ceiling_b, size=n), dtype=np.float64
    )
    return _People(theta, slope, deviation, cutoffs, log_shortfall, ceiling)


def _alliance_totals(
    rng: np.random.Generator,
    log_shortfall: FloatArray,
    ceiling: FloatArray,
    log_time: FloatArray,
    p: SimulationParams,
) -> FloatArray:
    """Unrounded alliance totals (40 at the ceiling, else 40 minus a positive shortfall)."""
    n = log_time.shape[0]
    at_ceiling = rng.random(n) < ceiling
    noise = rng.standard_normal(n)
    dip = rng.random(n) < p.alliance_dip_prob
    dip_size = rng.exponential(p.alliance_dip_mean, size=n)
    shortfall = np.exp(log_shortfall - p.alliance_trend * log_time + p.alliance_noise_sd * noise)
    shortfall = shortfall + np.where(dip, dip_size, 0.0)
    out: FloatArray = np.where(at_ceiling, 40.0, 40.0 - shortfall)
    return out


def _check_years(years: float) -> int:
    _check("years", years, low=0.0)
    return math.floor(years * 365.25)


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")


def _readonly_truth(truth: dict[str, FloatArray]) -> dict[str, FloatArray]:
    return {k: np.ascontiguousarray(v, dtype=np.float64) for k, v in truth.items()}


# --- cohort -----------------------------------------------------------------------

_BAND_AGES: dict[BandName, tuple[int, int]] = {"child": (6, 12), "adolescent": (13, 17)}
_BAND_SCALES: dict[BandName, str] = {"child": "CORS", "adolescent": "ORS", "adult": "ORS"}


def simulate_cohort(
    n_people: int,
    *,
    seed: int,
    scale: str = "ORS",
    age_band: str = "adult",
    years: float = 5.0,
    params: SimulationParams | None = None,
    with_alliance: bool = False,
) -> SimulatedScores:
    """Simulate a cohort of independent people on one outcome scale (vectorised).

    Every person has one self-rated outcome track (and, with ``with_alliance``, an
    alliance track at the same meetings); see the module notes for the model. The whole
    cohort is generated with array operations, without a Python loop per person or row:
    100,000 people (about 1.3 million rows) take well under a second.

    Parameters
    ----------
    n_people : int
        Number of people (at least 1).
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same data.
    scale : {"ORS", "CORS"}
        The outcome scale: the ORS for adults and adolescents, the CORS for children.
    age_band : {"adult", "adolescent", "child"}
        Age band at intake: 20-55 (``params.adult_age``), 13-17 or 6-12.
    years : float
        Longest follow-up in years; later meetings are not observed.
    params : SimulationParams, optional
        Model parameters; default :class:`SimulationParams()`.
    with_alliance : bool
        Add SRS (CSRS for the CORS) rows at the outcome meetings. The outcome rows are
        the same with and without (separate random streams).

    Returns
    -------
    SimulatedScores
        One row per administration; ``family`` is ``""``.

    Raises
    ------
    ValueError
        For an unknown scale or age band, a scale not meant for the band, or an invalid
        count, seed or ``years``.

    Notes
    -----
    A CORS track ends at the child's 13th birthday (the cohort follows one scale; use
    :func:`simulate_families` for the switch to the ORS). Adolescents keep the ORS and
    the adult cutoff applies from 18 (the growth model uses the intake band's cutoff).

    Examples
    --------
    >>> from fit_scores.simulate import simulate_cohort
    >>> sim = simulate_cohort(500, seed=42)
    >>> sim.people.size, int(sim.session.min()), sim.n_bounded < 0.01 * len(sim)
    (500, 1, True)
    >>> kids = simulate_cohort(50, seed=1, scale="CORS", age_band="child")
    >>> bool(kids.age.min() >= 6 and kids.age.max() <= 12)
    True
    """
    p = SimulationParams() if params is None else params
    _check_count("n_people", n_people)
    max_days = _check_years(years)
    if age_band not in _BANDS:
        raise ValueError(f"age_band must be one of {list(_BANDS)}, got {age_band!r}")
    band: BandName = (
        "adult" if age_band == "adult" else ("adolescent" if age_band == "adolescent" else "child")
    )
    if scale not in ("ORS", "CORS"):
        raise ValueError(f"scale must be 'ORS' or 'CORS' (an outcome scale), got {scale!r}")
    if scale != _BAND_SCALES[band]:
        raise ValueError(
            f"{scale} is not the outcome scale of the {band} band; use "
            f"scale={_BAND_SCALES[band]!r} (CORS for 6-12, ORS from 13)"
        )
    outcome_scale = get_scale(scale)
    alliance_key = "CSRS" if scale == "CORS" else "SRS"
    n = int(n_people)

    root = np.random.default_rng(seed)
    rng_people, rng_dates, rng_outcome, rng_alliance = root.spawn(4)

    # people: intake dates and birth dates
    window = (p.intake_end - p.intake_start).days
    intake = _to_date64(p.intake_start) + rng_people.integers(0, window + 1, size=n)
    lo_age, hi_age = p.adult_age if band == "adult" else _BAND_AGES[band]
    age0 = rng_people.integers(lo_age, hi_age + 1, size=n)
    frac = rng_people.uniform(0.01, 0.99, size=n)
    birth = intake - np.rint((age0 + frac) * _DAYS_PER_YEAR).astype(np.int64)

    # meetings
    counts, offsets = _schedule(rng_dates, n, p, max_days)
    starts = _segment_starts(counts)
    pidx = np.repeat(np.arange(n, dtype=np.int64), counts)
    date = intake[pidx] + offsets
    age = _completed_years(birth[pidx], date)
    session = np.arange(offsets.size, dtype=np.int64) - starts[pidx] + 1
    if outcome_scale.max_age is not None:
        keep = age <= outcome_scale.max_age  # a prefix of each track: ages only grow
        counts = np.add.reduceat(keep.astype(np.int64), starts).astype(np.int64)
        starts = _segment_starts(counts)
        pidx, date, age, session = pidx[keep], date[keep], age[keep], session[keep]

    # outcome
    mean, sd = p.band(band)
    cutoff = _band_cutoff(band)
    people = _draw_people(
        rng_outcome,
        rng_alliance,
        np.full(n, mean),
        np.full(n, sd),
        np.full(n, cutoff),
        np.full(n, p.child_gamma0 if band == "child" else p.gamma0),
        p,
    )
    sigma_e = _measurement_sd(scale, p)
    log_s = np.log(session.astype(np.float64))
    y = people.theta[pidx] + people.slope[pidx] * log_s
    y += sigma_e * rng_outcome.standard_normal(y.size)
    total, n_bounded = _to_grid(y, outcome_scale)

    truth = {
        "theta": people.theta,
        "slope": people.slope,
        "slope_deviation": people.deviation,
        "cutoff": people.cutoff,
        "measurement_sd": np.full(n, sigma_e),
        "alliance_log_shortfall": people.log_shortfall,
        "alliance_ceiling": people.ceiling,
        "caretaker_offset": np.full(n, np.nan),
    }
    ids = _ids("p", n)
    scale_column: StrArray = _constant(scale, total.size)

    if with_alliance:
        present = rng_alliance.random(total.size) >= p.alliance_missing
        a_pidx, a_log_s = pidx[present], log_s[present]
        a_raw = _alliance_totals(
            rng_alliance, people.log_shortfall[a_pidx], people.ceiling[a_pidx], a_log_s, p
        )
        a_total, a_bounded = _to_grid(a_raw, get_scale(alliance_key))
        n_bounded += a_bounded
        # interleave: per person the outcome rows, then the alliance rows (scale order)
        a_counts = np.add.reduceat(present.astype(np.int64), starts)
        block_start = _segment_starts(counts + a_counts)
        pos_o = block_start[pidx] + (np.arange(pidx.size) - starts[pidx])
        a_cum = np.cumsum(present) - 1
        a_before = a_cum[starts] - present[starts] + 1
        pos_a = (block_start + counts)[a_pidx] + (a_cum[present] - a_before[a_pidx])
        size = pidx.size + a_pidx.size

        def merge(outcome: npt.NDArray[Any], alliance: npt.NDArray[Any]) -> npt.NDArray[Any]:
            out = np.empty(size, dtype=np.result_type(outcome, alliance))
            out[pos_o] = outcome
            out[pos_a] = alliance
            return out

        scale_column = merge(scale_column, _constant(alliance_key, a_pidx.size))
        date = merge(date, date[present])
        age = merge(age, age[present])
        session = merge(session, session[present])
        total = merge(total, a_total)
        pidx = merge(pidx, a_pidx)

    rows = pidx.size
    return SimulatedScores(
        person=ids[pidx],
        family=_constant("", rows),
        scale=scale_column,
        rater=_constant("self", rows),
        rater_id=_constant("", rows),
        date=date,
        session=session,
        total=total,
        age=age,
        n_bounded=n_bounded,
        truth=_readonly_truth(truth),
        people=ids,
        birth_date=birth,
        role=_constant("adult" if band == "adult" else "child", n),
        person_family=_constant("", n),
        params=p,
    )


# --- families ---------------------------------------------------------------------


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
    _check_count("n_families", n_families)
    max_days = _check_years(years)
    nf = int(n_families)

    root = np.random.default_rng(seed)
    rng_family, rng_dates, rng_attend, rng_outcome, rng_alliance, rng_care = root.spawn(6)

    # family structure
    n_adults = 1 + (rng_family.random(nf) < p.two_adults_prob).astype(np.int64)
    n_children = rng_family.choice(5, size=nf, p=np.asarray(p.children_probs)).astype(np.int64)
    size = n_adults + n_children
    fam_start = _segment_starts(size)
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
    intake = _to_date64(p.intake_start) + rng_family.integers(0, window + 1, size=nf)
    birth = intake[fam] - np.rint((age0 + frac) * _DAYS_PER_YEAR).astype(np.int64)
    # the parent who rates each child (an adult of the same family)
    rater_parent = fam_start[fam] + (rng_family.random(n_people) * n_adults[fam]).astype(np.int64)

    # family meetings
    meetings, offsets = _schedule(rng_dates, nf, p, max_days)
    meet_start = _segment_starts(meetings)

    # person x meeting grid
    counts = meetings[fam]
    grid_start = _segment_starts(counts)
    g_person = np.repeat(np.arange(n_people, dtype=np.int64), counts)
    g_j = np.arange(g_person.size, dtype=np.int64) - grid_start[g_person]
    g_date = intake[fam[g_person]] + offsets[meet_start[fam[g_person]] + g_j]
    g_age = _completed_years(birth[g_person], g_date)
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
    band_mean = np.array([p.band(b)[0] for b in _BANDS])
    band_sd = np.array([p.band(b)[1] for b in _BANDS])
    band_cut = np.array([_band_cutoff(b) for b in _BANDS])
    band_gamma0 = np.array([p.child_gamma0, p.gamma0, p.gamma0])
    people = _draw_people(
        rng_outcome,
        rng_alliance,
        band_mean[band_code],
        band_sd[band_code],
        band_cut[band_code],
        band_gamma0[band_code],
        p,
    )
    sigma = np.array([_measurement_sd(key, p) for key in _SCALES])  # by scale code
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
    s_total, n_bounded = _to_grid(y, get_scale("ORS"))

    # alliance rows at the same meetings
    present = rng_alliance.random(self_rows.size) >= p.alliance_missing
    a_rows = self_rows[present]
    a_person = g_person[a_rows]
    a_raw = _alliance_totals(
        rng_alliance,
        people.log_shortfall[a_person],
        people.ceiling[a_person],
        g_log[a_rows],
        p,
    )
    a_total, a_bounded = _to_grid(a_raw, get_scale("SRS"))
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
    c_total, c_bounded = _to_grid(yc, get_scale("ORS"))
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
    ids = _ids("p", n_people)
    fam_ids = _ids("f", nf)
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
        truth=_readonly_truth(truth),
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
