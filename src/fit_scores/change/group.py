"""Group-level change: pre-post effect sizes and the group anchor approach.

Companions of the individual-level analyses in :mod:`fit_scores.change`; they
take the same :class:`~fit_scores.change.ChangeData`. (Formerly the module
``fit_scores.group``, which still re-exports these names.)
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from fit_scores._core import change as _k
from fit_scores._model import FrozenModel
from fit_scores.change.checks import check_mode, check_probability, direction_of, need_people
from fit_scores.change.data import BoolArray, ChangeData, FloatArray, as_change_data
from fit_scores.change.results import Mode
from fit_scores.errors import ChangeInputError

__all__ = [
    "EffectSize",
    "GroupAnchorCategory",
    "GroupAnchorResult",
    "anchor_group",
    "effect_size",
    "group_anchor_category",
]


class EffectSize(FrozenModel):
    """A pre-post standardised mean change with its confidence interval."""

    estimate: float = Field(description="(mean post - mean pre) / sd, Hedges-corrected if asked")
    hedges_corrected: bool
    standardiser: Literal["pre_sd", "reference_sd"]
    sd: float
    mean_change: float
    correlation: float | None
    n: int
    level: float
    ci_low: float
    ci_high: float

    def confidence_interval(self) -> tuple[float, float]:
        """``(ci_low, ci_high)``."""
        return self.ci_low, self.ci_high


def effect_size(
    pre: npt.ArrayLike | ChangeData,
    post: npt.ArrayLike | None = None,
    *,
    reference_sd: float | None = None,
    hedges: bool = True,
    level: float = 0.95,
) -> EffectSize:
    r"""Pre-post standardised mean change with a confidence interval.

    Parameters
    ----------
    pre, post : array_like or ChangeData
        Paired scores (incomplete pairs are left out and counted).
    reference_sd : float, optional
        Standardise by a published SD (e.g. a norm sample) instead of the
        SD of the pre scores.
    hedges : bool
        Apply Hedges' small-sample correction ``J = 1 - 3 / (4 (n - 1) - 1)``.
    level : float
        Confidence level.

    Notes
    -----
    With the pre SD (Becker 1988): :math:`d = (\bar x_2 - \bar x_1) / S_1`,
    :math:`\mathrm{Var}(d) \approx 2(1 - r)/n + d^2 / (2(n - 1))`, where
    :math:`r` is the pre-post correlation. With a reference SD :math:`\sigma`
    taken as known: :math:`\mathrm{Var}(d) = S_D^2 / (n \sigma^2)`. The
    corrected estimate is :math:`g = J d` with variance :math:`J^2 \mathrm{Var}(d)`;
    the interval is :math:`g \pm z \sqrt{\mathrm{Var}(g)}`. The sign is that of
    post minus pre.

    References
    ----------
    Becker, B. J. (1988). Synthesizing standardized mean-change measures.
    *British Journal of Mathematical and Statistical Psychology*, 41, 257-278.
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect
    size. *Journal of Educational Statistics*, 6, 107-128.

    Examples
    --------
    >>> from fit_scores import effect_size
    >>> es = effect_size([18, 20, 15, 22, 19, 17], [24, 25, 18, 27, 23, 20])
    >>> round(es.estimate, 3), es.n
    (1.502, 6)
    """
    data = as_change_data(pre, post)
    need_people(data, 3)
    check_probability("level", level)
    n = data.n_used
    change = data.post - data.pre
    mean_change = float(np.mean(change))
    desc = _k.descriptives(data.pre, data.post)
    if reference_sd is None:
        sd = desc.sd_pre
        if not sd > 0:
            raise ChangeInputError("the pre scores have no variance; give reference_sd=")
        d = mean_change / sd
        r = desc.correlation if math.isfinite(desc.correlation) else 0.0
        var = 2.0 * (1.0 - r) / n + d**2 / (2.0 * (n - 1))
    else:
        if not reference_sd > 0:
            raise ChangeInputError(f"reference_sd must be positive, got {reference_sd!r}")
        sd = float(reference_sd)
        d = mean_change / sd
        var = float(np.var(change, ddof=1)) / (n * sd**2)
    j = 1.0 - 3.0 / (4.0 * (n - 1) - 1.0) if hedges else 1.0
    estimate = j * d
    half = _k.critical_value(1.0 - level, one_sided=False) * j * math.sqrt(var)
    return EffectSize(
        estimate=estimate,
        hedges_corrected=hedges,
        standardiser="pre_sd" if reference_sd is None else "reference_sd",
        sd=sd,
        mean_change=mean_change,
        correlation=None if not math.isfinite(desc.correlation) else desc.correlation,
        n=n,
        level=level,
        ci_low=estimate - half,
        ci_high=estimate + half,
    )


GroupAnchorCategory = Literal[
    "Statistically not significant",
    "Statistically significant but not clinically relevant",
    "Not significantly less than the threshold",
    "Not significantly greater than the threshold",
    "Probably clinically significant effect",
    "Large clinically significant effect",
]


class GroupAnchorResult(FrozenModel):
    """A group-level anchor result: an effect with its interval, against the MID."""

    effect: Literal["within", "between"]
    group: str | None = Field(description="the group (within), or the compared group (between)")
    reference: str | None = Field(description="the reference group (between)")
    estimate: float = Field(description="posterior median (Bayesian) or mean difference")
    ci_low: float
    ci_high: float
    level: float
    n: int | tuple[int, int]
    bayesian: bool
    bf10: float | None
    threshold: float = Field(description="the MID in the direction of improvement")
    category: GroupAnchorCategory | None


def group_anchor_category(
    estimate: float, lo: float, hi: float, *, direction: int, mid: float, compat: bool
) -> GroupAnchorCategory | None:
    """The label of an effect and its interval against the MID (see :func:`anchor_group`)."""
    # oriented so that improvement is positive; the MID threshold is then +mid
    est, a, b = direction * estimate, direction * lo, direction * hi
    low, high = min(a, b), max(a, b)
    if low <= 0 <= high and not (compat and direction == 1):
        return "Statistically not significant"
    if (low > 0 or high < 0) and high < mid:
        # the interval excludes 0 on either side and stays short of the MID: also a
        # significant change in the worse direction, as the R package decides
        return "Statistically significant but not clinically relevant"
    if est < mid <= high:
        return (
            "Not significantly less than the threshold"
            if direction == -1
            else "Not significantly greater than the threshold"
        )
    if est >= mid and low < mid:
        return "Probably clinically significant effect"
    if low >= mid:
        return "Large clinically significant effect"
    return None


def anchor_group(
    data: ChangeData,
    *,
    higher_is_better: bool,
    mid_improvement: float,
    effect: Literal["within", "between"] = "within",
    bayesian: bool = True,
    prior_scale: float = math.sqrt(2) / 2,
    reference_group: str | None = None,
    level: float = 0.95,
    mode: Mode = "default",
) -> tuple[GroupAnchorResult, ...]:
    """Group-level anchor approach: whether a group's change (or difference) is clinically relevant.

    ``effect="within"``: the pre-post change of each group (or of everyone
    without groups). ``effect="between"``: the post scores of each group
    against a reference group. The estimate and interval are the posterior
    median and central credible interval of the default (JZS, Cauchy prior
    with scale ``prior_scale``) Bayesian t test, computed by numerical
    integration rather than MCMC, or with ``bayesian=False`` the mean
    difference with a t (paired, or Welch) confidence interval. The interval
    is compared with the MID in the direction of improvement and labelled
    as in the R package clinicalsignificance: "Statistically not significant"
    (the interval contains 0), "Statistically significant but not clinically
    relevant" (the interval excludes 0 on either side, so also a significant
    change in the worse direction, and stays short of the MID), "Not
    significantly less/greater than the threshold", "Probably
    clinically significant effect" (the estimate is past the MID, the
    interval reaches back over it) or "Large clinically significant effect"
    (the whole interval is past the MID). In compat mode the package's gap is
    kept: with higher is better an interval containing 0 is not labelled
    "not significant" and may get no label (``None``).

    References
    ----------
    Rouder, J. N., Speckman, P. L., Sun, D., Morey, R. D., & Iverson, G. (2009).
    Bayesian t tests for accepting and rejecting the null hypothesis.
    *Psychonomic Bulletin & Review*, 16, 225-237.

    Examples
    --------
    >>> from fit_scores import ChangeData, anchor_group
    >>> data = ChangeData.from_wide([30, 28, 35, 31, 29, 33], [20, 22, 24, 19, 25, 21])
    >>> r = anchor_group(data, higher_is_better=False, mid_improvement=5, bayesian=False)[0]
    >>> round(r.estimate, 2), r.category
    (-9.17, 'Large clinically significant effect')
    """
    mode = check_mode(mode)
    d = direction_of(higher_is_better)
    check_probability("level", level)
    if not mid_improvement > 0:
        raise ChangeInputError("mid_improvement must be positive")
    labels = None if data.group is None else np.array([str(g) for g in data.group], dtype=object)
    results: list[GroupAnchorResult] = []
    common = {"level": level, "bayesian": bayesian, "threshold": d * mid_improvement}
    if effect == "within":
        keys: list[str | None] = [None] if labels is None else list(dict.fromkeys(labels.tolist()))
        for key in keys:
            mask: BoolArray = (
                np.ones(data.n_used, dtype=bool) if key is None or labels is None else labels == key
            )
            diff = data.post[mask] - data.pre[mask]
            est, lo, hi, bf = _within(diff, bayesian=bayesian, r=prior_scale, level=level)
            results.append(
                GroupAnchorResult(
                    effect="within",
                    group=key,
                    reference=None,
                    estimate=est,
                    ci_low=lo,
                    ci_high=hi,
                    n=int(mask.sum()),
                    bf10=bf,
                    category=group_anchor_category(
                        est, lo, hi, direction=d, mid=mid_improvement, compat=mode == "compat"
                    ),
                    **common,
                )
            )
        return tuple(results)
    if effect != "between":
        raise ChangeInputError(f"effect must be 'within' or 'between', got {effect!r}")
    if labels is None:
        raise ChangeInputError("effect='between' needs group labels in the data")
    keys_b = list(dict.fromkeys(labels.tolist()))
    reference = keys_b[0] if reference_group is None else str(reference_group)
    if reference not in keys_b:
        raise ChangeInputError(f"reference_group {reference!r} is not one of the groups {keys_b}")
    ref_post = data.post[labels == reference]
    for key in keys_b:
        if key == reference:
            continue
        post = data.post[labels == key]
        est, lo, hi, bf = _between(post, ref_post, bayesian=bayesian, r=prior_scale, level=level)
        results.append(
            GroupAnchorResult(
                effect="between",
                group=key,
                reference=reference,
                estimate=est,
                ci_low=lo,
                ci_high=hi,
                n=(int(post.size), int(ref_post.size)),
                bf10=bf,
                category=group_anchor_category(
                    est, lo, hi, direction=d, mid=mid_improvement, compat=mode == "compat"
                ),
                **common,
            )
        )
    return tuple(results)


def _within(
    diff: FloatArray, *, bayesian: bool, r: float, level: float
) -> tuple[float, float, float, float | None]:
    if diff.size < 2:
        raise ChangeInputError("a group needs at least 2 complete pairs")
    if bayesian:
        from fit_scores._core.bayes_t import jzs_one_sample

        post = jzs_one_sample(diff, r_scale=r, level=level)
        return post.median, post.ci_low, post.ci_high, post.bf10
    from scipy.special import stdtrit

    n = diff.size
    mean = float(np.mean(diff))
    half = float(stdtrit(n - 1, 0.5 + level / 2)) * float(np.std(diff, ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half, None


def _between(
    post: FloatArray, ref: FloatArray, *, bayesian: bool, r: float, level: float
) -> tuple[float, float, float, float | None]:
    if post.size < 2 or ref.size < 2:
        raise ChangeInputError("each group needs at least 2 people")
    if bayesian:
        from fit_scores._core.bayes_t import jzs_two_sample

        res = jzs_two_sample(post, ref, r_scale=r, level=level)
        return res.median, res.ci_low, res.ci_high, res.bf10
    from scipy.special import stdtrit

    v1 = float(np.var(post, ddof=1)) / post.size
    v2 = float(np.var(ref, ddof=1)) / ref.size
    df = (v1 + v2) ** 2 / (v1**2 / (post.size - 1) + v2**2 / (ref.size - 1))  # Welch
    mean = float(np.mean(post) - np.mean(ref))
    half = float(stdtrit(df, 0.5 + level / 2)) * math.sqrt(v1 + v2)
    return mean, mean - half, mean + half, None
