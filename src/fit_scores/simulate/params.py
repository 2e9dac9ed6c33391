"""The parameters of the simulation model, their checks, and the argument checks."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from fit_scores.errors import SimulationError

BandName = Literal["child", "adolescent", "adult"]

#: The age bands, youngest first.
BANDS: tuple[BandName, ...] = ("child", "adolescent", "adult")


@dataclass(frozen=True)
class SimulationParams:
    r"""Parameters of the generating model.

    The equations are in the notes of :mod:`fit_scores.simulate`. Every field has a
    default; change some with ``dataclasses.replace(SimulationParams(), gamma1=-0.2)``
    or by keyword.

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
            raise SimulationError(f"adult_age must satisfy 18 <= low <= high <= 130, got {lo, hi}")
        if not self.intake_start <= self.intake_end:
            raise SimulationError(
                f"intake_start ({self.intake_start}) must not be after intake_end "
                f"({self.intake_end})"
            )
        probs = self.children_probs
        if len(probs) != 5 or any(not (math.isfinite(q) and q >= 0) for q in probs):
            raise SimulationError(f"children_probs must be 5 probabilities, got {probs}")
        if not math.isclose(sum(probs), 1.0, abs_tol=1e-9):
            raise SimulationError(f"children_probs must sum to 1, got {sum(probs)}")

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
        raise SimulationError(f"age band must be one of {list(BANDS)}, got {band!r}")


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
        raise SimulationError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise SimulationError(f"{name} must be finite, got {value!r}")
    if low is not None and (value < low or (low_open and value == low)):
        bound = ">" if low_open else ">="
        raise SimulationError(f"{name} must be {bound} {low:g}, got {value:g}")
    if high is not None and (value > high or (high_open and value == high)):
        raise SimulationError(
            f"{name} must be {'<' if high_open else '<='} {high:g}, got {value:g}"
        )


def check_number(
    name: str,
    value: float,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
) -> None:
    """Raise ValueError unless ``value`` is a finite number in the given range."""
    _check(name, value, low, high, low_open=low_open)


def check_years(years: float) -> int:
    """Check a follow-up length in years; return it in whole days."""
    _check("years", years, low=0.0)
    return math.floor(years * 365.25)


def check_count(name: str, value: int) -> None:
    """Raise ValueError unless ``value`` is a whole number >= 1."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise SimulationError(f"{name} must be a whole number >= 1, got {value!r}")
