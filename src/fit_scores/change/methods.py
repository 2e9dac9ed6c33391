"""The five approaches to individual change, vectorised over people.

:func:`reliable_change` (distribution-based), :func:`cutoff_change`
(statistical), :func:`clinical_significance` (combined),
:func:`percentage_change` and :func:`anchor_change`; each returns a
:class:`~fit_scores.change.ChangeTable`.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import numpy.typing as npt

from fit_scores._core import change as _k
from fit_scores.change.checks import check_mode, direction_of, need_people
from fit_scores.change.criteria import Distribution, Method, cutoff, distribution
from fit_scores.change.data import BoolArray, ChangeData, ObjArray, as_change_data
from fit_scores.change.results import FIVE, FIVE_NRR, THREE, ChangeTable, Mode
from fit_scores.errors import ChangeInputError

__all__ = [
    "anchor_change",
    "clinical_significance",
    "cutoff_change",
    "percentage_change",
    "reliable_change",
]


def _categorise3(improved: BoolArray, deteriorated: BoolArray) -> npt.NDArray[np.int8]:
    return _k.categorise(improved, deteriorated)


def _inclusive(comparison: str, mode: Mode) -> bool:
    if comparison not in ("strict", "inclusive"):
        raise ChangeInputError(f"comparison must be 'strict' or 'inclusive', got {comparison!r}")
    if mode == "compat" and comparison != "strict":
        raise ChangeInputError("mode='compat' uses strict comparisons, as the R package")
    return comparison == "inclusive"


def _at_cutoff(at_cutoff: str, mode: Mode) -> _k.AtCutoff:
    if at_cutoff not in ("functional", "clinical"):
        raise ChangeInputError(f"at_cutoff must be 'functional' or 'clinical', got {at_cutoff!r}")
    if mode == "compat":
        return "neither"
    return "functional" if at_cutoff == "functional" else "clinical"


def reliable_change(
    pre: npt.ArrayLike | ChangeData,
    post: npt.ArrayLike | None = None,
    *,
    higher_is_better: bool,
    reliability: float | None = None,
    method: Method = "JT",
    reliability_post: float | None = None,
    alpha: float = 0.05,
    critical_value: float | None = None,
    comparison: Literal["strict", "inclusive"] = "strict",
    mode: Mode = "default",
) -> ChangeTable:
    """Distribution-based change: reliable change index per person.

    Parameters
    ----------
    pre, post : array_like or ChangeData
        Pre and post scores (NaN marks a missing score; such pairs are left
        out and counted), or a :class:`ChangeData` (needed for ``"HLM"``).
    higher_is_better : bool
        Direction of the scale (ORS/SRS: ``True``).
    reliability : float
        Reliability of the measure (not needed for ``"HLM"``).
    method : {"JT", "GLN", "HLL", "EN", "NK", "HA", "HLM"}
        The RCI method (see the methods page of the docs for every formula).
    reliability_post : float, optional
        Post reliability for ``"NK"`` (defaults to ``reliability``).
    alpha : float
        Significance level; the critical value is ``qnorm(1 - alpha/2)``,
        one-sided ``qnorm(1 - alpha)`` for ``"HA"``.
    critical_value : float, optional
        Overrides the critical value.
    comparison : {"strict", "inclusive"}
        Whether ``|RCI|`` must exceed the critical value or may equal it.
    mode : {"default", "compat"}
        ``"compat"`` reproduces the R package clinicalsignificance 3.0.0.

    Returns
    -------
    ChangeTable
        Categories improved / unchanged / deteriorated.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12-19.
    Hageman, W. J. J. M., & Arrindell, W. A. (1999). *Behav Res Ther*, 37, 1169-1193.

    Examples
    --------
    >>> t = reliable_change([20, 18, 25, 30], [28, 19, 24, 20], higher_is_better=True,
    ...                     reliability=0.93)
    >>> t.category.tolist()
    ['improved', 'unchanged', 'unchanged', 'deteriorated']
    """
    mode = check_mode(mode)
    data = as_change_data(pre, post)
    d = direction_of(higher_is_better)
    dist = distribution(
        data,
        method=method,
        direction=d,
        reliability=reliability,
        reliability_post=reliability_post,
        alpha=alpha,
        critical_value=critical_value,
        inclusive=_inclusive(comparison, mode),
    )
    ids, group = _ids_and_group(data, dist)
    return ChangeTable(
        approach="distribution",
        method=method,
        mode=mode,
        higher_is_better=higher_is_better,
        ids=ids,
        pre=dist.pre,
        post=dist.post,
        codes=_categorise3(dist.improved, dist.deteriorated),
        categories=THREE,
        group=group,
        n_original=data.n_original,
        rci=dist.rci,
        critical_value=dist.z,
        reliability=reliability,
        reliability_post=reliability_post,
        extra=dist.extra,
        s_diff=dist.s_diff,
        sem=dist.sem,
        sep=dist.sep,
        r_dd=dist.r_dd,
    )


def _ids_and_group(data: ChangeData, dist: Distribution) -> tuple[ObjArray, ObjArray | None]:
    if "hlm_ids" not in dist.extra:
        return data.ids, data.group
    ids: ObjArray = dist.extra["hlm_ids"]
    group: ObjArray | None = dist.extra.get("hlm_group")
    return ids, group


def cutoff_change(
    pre: npt.ArrayLike | ChangeData,
    post: npt.ArrayLike | None = None,
    *,
    higher_is_better: bool,
    cutoff_type: Literal["a", "b", "c"] | None = None,
    cutoff_method: Literal["JT", "HA"] = "JT",
    m_functional: float | None = None,
    sd_functional: float | None = None,
    m_clinical: float | None = None,
    sd_clinical: float | None = None,
    reliability: float | None = None,
    alpha: float = 0.05,
    at_cutoff: Literal["functional", "clinical"] = "functional",
    mode: Mode = "default",
) -> ChangeTable:
    """Statistical change: whether each person moved from the clinical to the functional range.

    Improved: clinical at pre and functional at post; deteriorated: not
    clinical at pre and not functional at post; otherwise unchanged. With
    ``cutoff_method="HA"`` the Hageman-Arrindell individual test decides
    (one-sided critical value).

    Parameters
    ----------
    cutoff_type : {"a", "b", "c"}, optional
        Default ``"c"`` when functional norms are given, else ``"a"``
        (``"a"`` always in compat mode, as the R package).
    m_functional, sd_functional : float, optional
        Functional (non-clinical) population norms.
    m_clinical, sd_clinical : float, optional
        Clinical norms; default: the sample's pre scores (compat: always).
    at_cutoff : {"functional", "clinical"}
        Where a score exactly at the cutoff belongs (default mode only).

    Examples
    --------
    >>> t = cutoff_change([20, 18, 26], [26, 19, 24], higher_is_better=True, cutoff_type="c",
    ...                   m_functional=28.0, sd_functional=6.8, m_clinical=19.6, sd_clinical=8.7)
    >>> round(t.cutoff.value, 2), t.category.tolist()
    (24.31, ['improved', 'unchanged', 'deteriorated'])
    """
    mode = check_mode(mode)
    data = as_change_data(pre, post)
    need_people(data)
    d = direction_of(higher_is_better)
    ctype = _default_cutoff_type(cutoff_type, m_functional, mode)
    cut = cutoff(
        data.pre,
        cutoff_type=ctype,
        cutoff_method=cutoff_method,
        direction=d,
        m_clinical=m_clinical,
        sd_clinical=sd_clinical,
        m_functional=m_functional,
        sd_functional=sd_functional,
        reliability=reliability,
        mode=mode,
    )
    where = _at_cutoff(at_cutoff, mode)
    if cutoff_method == "HA":
        assert reliability is not None  # checked in cutoff()
        z = _k.critical_value(alpha, one_sided=True)
        desc = _k.descriptives(data.pre, data.post)
        clin, func, clin_post = _k.ha_caseness(
            data.pre,
            data.post,
            cut.value,
            direction=d,
            z=z,
            desc=desc,
            reliability=reliability,
            at_cutoff=where,
        )
        improved, deteriorated = func, clin_post
    else:
        z = None
        clin, func = _k.caseness(data.pre, data.post, cut.value, direction=d, at_cutoff=where)
        improved, deteriorated = clin & func, ~clin & ~func
    return ChangeTable(
        approach="statistical",
        method=cutoff_method,
        mode=mode,
        higher_is_better=higher_is_better,
        ids=data.ids,
        pre=data.pre,
        post=data.post,
        codes=_categorise3(improved, deteriorated),
        categories=THREE,
        group=data.group,
        n_original=data.n_original,
        critical_value=z,
        reliability=reliability,
        clinical_pre=clin,
        functional_post=func,
        cutoff=cut,
    )


def _default_cutoff_type(
    cutoff_type: Literal["a", "b", "c"] | None, m_functional: float | None, mode: Mode
) -> Literal["a", "b", "c"]:
    if cutoff_type is not None:
        return cutoff_type
    if mode == "compat" or m_functional is None:
        return "a"
    return "c"


def clinical_significance(
    pre: npt.ArrayLike | ChangeData,
    post: npt.ArrayLike | None = None,
    *,
    higher_is_better: bool,
    reliability: float | None = None,
    method: Method = "JT",
    reliability_post: float | None = None,
    cutoff_type: Literal["a", "b", "c"] | None = None,
    cutoff_method: Literal["JT", "HA"] | None = None,
    m_functional: float | None = None,
    sd_functional: float | None = None,
    m_clinical: float | None = None,
    sd_clinical: float | None = None,
    mid_improvement: float | None = None,
    mid_deterioration: float | None = None,
    alpha: float = 0.05,
    critical_value: float | None = None,
    comparison: Literal["strict", "inclusive"] = "strict",
    at_cutoff: Literal["functional", "clinical"] = "functional",
    non_reliable_recovery: bool = False,
    mode: Mode = "default",
) -> ChangeTable:
    """Combined approach (Jacobson & Truax 1991): reliable change and a cutoff.

    Recovered: clinical at pre, functional at post, reliably improved.
    Improved / unchanged / deteriorated: the rest by the RCI. Harmed: not
    clinical at pre, not functional at post, reliably deteriorated. With
    ``non_reliable_recovery=True`` (default mode only) people who crossed the
    cutoff without reliable change are labelled ``"non_reliably_recovered"``
    (as JTRCI does) instead of unchanged. With ``mid_improvement`` an anchor
    (minimal important difference) replaces the RCI.

    Parameters are those of :func:`reliable_change` and :func:`cutoff_change`;
    ``cutoff_method`` defaults to ``"HA"`` for ``method="HA"``, else ``"JT"``.

    Examples
    --------
    >>> t = clinical_significance([15, 18, 26, 30], [27, 20, 32, 21], higher_is_better=True,
    ...                           reliability=0.93, cutoff_type="c", m_functional=28.0,
    ...                           sd_functional=6.8, m_clinical=19.6, sd_clinical=8.7)
    >>> t.category.tolist()
    ['recovered', 'unchanged', 'improved', 'harmed']
    """
    mode = check_mode(mode)
    data = as_change_data(pre, post)
    d = direction_of(higher_is_better)
    inclusive = _inclusive(comparison, mode)
    if mid_improvement is not None:
        if mid_improvement <= 0 or (mid_deterioration is not None and mid_deterioration <= 0):
            raise ChangeInputError("mid_improvement and mid_deterioration must be positive")
        need_people(data)
        improved, deteriorated = _k.anchor_flags(
            data.pre,
            data.post,
            direction=d,
            mid_improvement=mid_improvement,
            mid_deterioration=mid_improvement if mid_deterioration is None else mid_deterioration,
        )
        dist = Distribution(
            np.full(data.pre.shape, np.nan),
            improved,
            deteriorated,
            math.nan,
            None,
            None,
            data.pre,
            data.post,
            {},
        )
        label: str = "anchor"
    else:
        if mode == "compat" and method == "NK" and reliability_post is None:
            raise ChangeInputError(
                "method NK in the combined approach needs reliability_post= "
                "(the R package fails without it)"
            )
        dist = distribution(
            data,
            method=method,
            direction=d,
            reliability=reliability,
            reliability_post=reliability_post,
            alpha=alpha,
            critical_value=critical_value,
            inclusive=inclusive,
        )
        label = method
    c_method: Literal["JT", "HA"] = cutoff_method or (
        "HA" if method == "HA" and mid_improvement is None else "JT"
    )
    # the sample's clinical norms are the pre scores of the people analysed: with HLM
    # each modelled person's first score, as the R package (its cutoff data) does
    cut = cutoff(
        dist.pre if "hlm_ids" in dist.extra else data.pre,
        cutoff_type=_default_cutoff_type(cutoff_type, m_functional, mode),
        cutoff_method=c_method,
        direction=d,
        m_clinical=m_clinical,
        sd_clinical=sd_clinical,
        m_functional=m_functional,
        sd_functional=sd_functional,
        reliability=reliability,
        mode=mode,
    )
    where = _at_cutoff(at_cutoff, mode)
    x1, x2 = dist.pre, dist.post
    if c_method == "HA":
        assert reliability is not None
        desc = _k.descriptives(data.pre, data.post)
        z_ha = _k.critical_value(alpha, one_sided=True)
        clin, func, _ = _k.ha_caseness(
            x1,
            x2,
            cut.value,
            direction=d,
            z=z_ha,
            desc=desc,
            reliability=reliability,
            at_cutoff=where,
        )
    else:
        clin, func = _k.caseness(x1, x2, cut.value, direction=d, at_cutoff=where)
    if non_reliable_recovery and mode == "compat":
        raise ChangeInputError("the R package has no non-reliably-recovered category")
    codes = _k.categorise(
        dist.improved, dist.deteriorated, clin, func, non_reliable_recovery=non_reliable_recovery
    )
    categories = FIVE_NRR if non_reliable_recovery else FIVE
    ids, group = _ids_and_group(data, dist)
    ha_group, ha_by_group = None, None
    if (
        method == "HA"
        and mid_improvement is None
        and dist.r_dd is not None
        and dist.sem is not None
    ):
        ha_group, ha_by_group = _ha_group_levels(
            x1, x2, group, cut.value, direction=d, r_dd=dist.r_dd, sem=dist.sem
        )
    return ChangeTable(
        approach="combined",
        method=label,
        mode=mode,
        higher_is_better=higher_is_better,
        ids=ids,
        pre=x1,
        post=x2,
        codes=codes,
        categories=categories,
        group=group,
        n_original=data.n_original,
        rci=None if mid_improvement is not None else dist.rci,
        critical_value=None if mid_improvement is not None else dist.z,
        reliability=reliability,
        reliability_post=reliability_post,
        clinical_pre=clin,
        functional_post=func,
        cutoff=cut,
        ha_group_level=ha_group,
        ha_group_level_by_group=ha_by_group,
        extra=dist.extra,
        s_diff=dist.s_diff,
        sem=dist.sem,
        sep=dist.sep,
        r_dd=dist.r_dd,
    )


def _ha_group_levels(
    pre: npt.NDArray[np.float64],
    post: npt.NDArray[np.float64],
    group: ObjArray | None,
    cut: float,
    *,
    direction: int,
    r_dd: float,
    sem: float,
) -> tuple[dict[str, float], dict[str, dict[str, float]] | None]:
    """The HA group-level shares of everyone, and of each group (R's summary, grouped).

    Per group, as the R package's grouped summary: the group's mean and SD of
    the change and of the post scores, with the whole sample's R_dd, cutoff
    and post reliability (from the whole sample's post SD). A group of one
    has no SD: NaN.
    """
    sd_post_all = float(np.std(post, ddof=1))
    changed, functional = _k.ha_group_level(
        post - pre, post, cut, direction=direction, r_dd=r_dd, sem=sem
    )
    overall = {"changed": changed, "functional": functional}
    if group is None:
        return overall, None
    labels = np.array([str(g) for g in group], dtype=object)
    by_group: dict[str, dict[str, float]] = {}
    for key in dict.fromkeys(labels.tolist()):
        mask = labels == key
        if mask.sum() < 2:
            by_group[key] = {"changed": math.nan, "functional": math.nan}
            continue
        c, f = _k.ha_group_level(
            post[mask] - pre[mask],
            post[mask],
            cut,
            direction=direction,
            r_dd=r_dd,
            sem=sem,
            sd_post_reliability=sd_post_all,
        )
        by_group[key] = {"changed": c, "functional": f}
    return overall, by_group


def percentage_change(
    pre: npt.ArrayLike | ChangeData,
    post: npt.ArrayLike | None = None,
    *,
    higher_is_better: bool,
    improvement: float,
    deterioration: float | None = None,
    mode: Mode = "default",
) -> ChangeTable:
    """Percentage change ``(post - pre) / pre`` against thresholds (inclusive).

    Improved if the change in the better direction is at least
    ``improvement`` (e.g. 0.5 = 50 %), deteriorated if in the worse direction
    at least ``deterioration`` (default: ``improvement``). A pre score of 0 has
    no percentage: by default the direction of the move decides; compat mode
    copies the R package (any post > 0 improved, < 0 deteriorated).

    Examples
    --------
    >>> percentage_change([20, 20, 20], [9, 12, 25], higher_is_better=False,
    ...                   improvement=0.5).category.tolist()
    ['improved', 'unchanged', 'unchanged']
    """
    mode = check_mode(mode)
    data = as_change_data(pre, post)
    d = direction_of(higher_is_better)
    det = improvement if deterioration is None else deterioration
    for name, value in (("improvement", improvement), ("deterioration", det)):
        if not 0 <= value <= 1:
            raise ChangeInputError(f"{name} must be in [0, 1], got {value!r}")
    imp_f, det_f = _k.percentage_flags(
        data.pre,
        data.post,
        direction=d,
        improvement=improvement,
        deterioration=det,
        compat_zero_rule=mode == "compat",
    )
    return ChangeTable(
        approach="percentage",
        method=None,
        mode=mode,
        higher_is_better=higher_is_better,
        ids=data.ids,
        pre=data.pre,
        post=data.post,
        codes=_categorise3(imp_f, det_f),
        categories=THREE,
        group=data.group,
        n_original=data.n_original,
        extra={"improvement": improvement, "deterioration": det},
    )


def anchor_change(
    pre: npt.ArrayLike | ChangeData,
    post: npt.ArrayLike | None = None,
    *,
    higher_is_better: bool,
    mid_improvement: float,
    mid_deterioration: float | None = None,
) -> ChangeTable:
    """Anchor-based change: raw change against a minimal important difference (inclusive).

    Examples
    --------
    >>> anchor_change([20, 20, 20], [27, 25, 13], higher_is_better=True,
    ...               mid_improvement=7).category.tolist()
    ['improved', 'unchanged', 'deteriorated']
    """
    data = as_change_data(pre, post)
    d = direction_of(higher_is_better)
    mid_det = mid_improvement if mid_deterioration is None else mid_deterioration
    if not mid_improvement > 0 or not mid_det > 0:
        raise ChangeInputError("mid_improvement and mid_deterioration must be positive")
    imp_f, det_f = _k.anchor_flags(
        data.pre, data.post, direction=d, mid_improvement=mid_improvement, mid_deterioration=mid_det
    )
    return ChangeTable(
        approach="anchor",
        method=None,
        mode="default",
        higher_is_better=higher_is_better,
        ids=data.ids,
        pre=data.pre,
        post=data.post,
        codes=_categorise3(imp_f, det_f),
        categories=THREE,
        group=data.group,
        n_original=data.n_original,
        extra={"mid_improvement": mid_improvement, "mid_deterioration": mid_det},
    )
