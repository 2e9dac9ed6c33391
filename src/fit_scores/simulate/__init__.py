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

The yearly mappings and the goals of *Familiens plan* for the same families come from
:func:`simulate_programme` (model in :mod:`fit_scores.simulate.yearly`).

Examples
--------
>>> from fit_scores.simulate import simulate_cohort
>>> sim = simulate_cohort(200, seed=7, with_alliance=True)
>>> sorted(set(sim.scale.tolist())), sim.date.dtype
(['ORS', 'SRS'], dtype('<M8[D]'))
>>> bool((sim.total >= 0).all() and (sim.total <= 40).all())
True
"""

from fit_scores.simulate.cohort import simulate_cohort
from fit_scores.simulate.families import simulate_families, simulate_family
from fit_scores.simulate.params import SimulationParams
from fit_scores.simulate.result import SimulatedScores
from fit_scores.simulate.yearly import SimulatedProgramme, YearlyParams, simulate_programme

__all__ = [
    "SimulatedProgramme",
    "SimulatedScores",
    "SimulationParams",
    "YearlyParams",
    "simulate_cohort",
    "simulate_families",
    "simulate_family",
    "simulate_programme",
]
