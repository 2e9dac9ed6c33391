"""The two per-person criteria the change approaches combine.

:func:`distribution` computes the reliable change index by one of the RCI
methods (including the HLM method on long data) and flags reliable
improvement and deterioration; :func:`cutoff` computes the population cutoff
(a, b or c, Jacobson-Truax or Hageman-Arrindell) from the norms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from fit_scores._core import change as _k
from fit_scores.change.checks import check_probability, need_people
from fit_scores.change.data import BoolArray, ChangeData, FloatArray
from fit_scores.change.results import CutoffInfo, Mode
from fit_scores.errors import ChangeInputError

__all__ = ["METHODS", "Distribution", "Method", "cutoff", "distribution"]

Method = Literal["JT", "GLN", "HLL", "EN", "NK", "HA", "HLM"]
METHODS: tuple[Method, ...] = ("JT", "GLN", "HLL", "EN", "NK", "HA", "HLM")


@dataclass(frozen=True)
class Distribution:
    """Per-person RCI with reliable improvement/deterioration flags and the scores used."""

    rci: FloatArray
    improved: BoolArray
    deteriorated: BoolArray
    z: float
    r_dd: float | None
    sem: float | None
    pre: FloatArray
    post: FloatArray
    extra: dict[str, Any]
    s_diff: float | None = None
    sep: float | None = None


def distribution(
    data: ChangeData,
    *,
    method: Method,
    direction: int,
    reliability: float | None,
    reliability_post: float | None,
    alpha: float,
    critical_value: float | None,
    inclusive: bool,
) -> Distribution:
    """The reliable change of each person by ``method`` (validating the arguments)."""
    if method not in METHODS:
        raise ChangeInputError(f"method must be one of {list(METHODS)}, got {method!r}")
    check_probability("alpha", alpha)
    z = critical_value
    if z is None:
        z = _k.critical_value(alpha, one_sided=method == "HA")
    if method == "HLM":
        return _hlm(data, direction=direction, z=z, inclusive=inclusive)
    if reliability is None:
        raise ChangeInputError(f"method {method} needs reliability=")
    check_probability("reliability", reliability)
    check_probability("reliability_post", reliability_post)
    need_people(data)
    desc = _k.descriptives(data.pre, data.post)
    if not desc.sd_pre > 0:
        raise ChangeInputError("the pre scores have no variance; the RCI is undefined")
    res = _k.rci(method, data.pre, data.post, desc, reliability, reliability_post)
    imp, det = _k.rci_flags(res.rci, direction=direction, z=z, inclusive=inclusive)
    return Distribution(
        res.rci,
        imp,
        det,
        z,
        res.r_dd,
        res.sem,
        data.pre,
        data.post,
        {},
        s_diff=res.s_diff,
        sep=res.sep,
    )


def _hlm(data: ChangeData, *, direction: int, z: float, inclusive: bool) -> Distribution:
    from fit_scores._core.mixed import fit_random_slope

    long = data.long
    if long is None:
        raise ChangeInputError("method HLM needs long data: use ChangeData.from_long(...)")
    counts = np.diff(np.r_[long.starts, long.time.size])
    enough = counts >= 3
    if enough.sum() < 2:
        raise ChangeInputError("method HLM needs at least two people with 3 or more scores")
    person_of_row = np.repeat(np.arange(long.starts.size), counts)
    rows = enough[person_of_row]
    time, y = long.time[rows], long.outcome[rows]
    kept_counts = counts[enough]
    starts = np.r_[0, np.cumsum(kept_counts)[:-1]].astype(np.int64)
    x = np.column_stack([np.ones_like(time), time])
    fit = fit_random_slope(y, x, time, starts, reml=True)
    rci = fit.ranef[:, 1] / np.sqrt(fit.ranef_cov[:, 1, 1])
    imp, det = _k.rci_flags(rci, direction=direction, z=z, inclusive=inclusive)
    first = y[starts]
    last = y[starts + kept_counts - 1]
    ids = long.ids[long.starts[enough]]
    # every person in the model keeps their group, also without a score at the pre or
    # post wave (as the R package joins the groups of all ids)
    group = None if long.group is None else long.group[enough]
    return Distribution(
        rci,
        imp,
        det,
        z,
        None,
        None,
        first,
        last,
        {"hlm_fit": fit, "hlm_ids": ids, "hlm_group": group},
    )


def cutoff(
    data_pre: FloatArray,
    *,
    cutoff_type: Literal["a", "b", "c"],
    cutoff_method: Literal["JT", "HA"],
    direction: int,
    m_clinical: float | None,
    sd_clinical: float | None,
    m_functional: float | None,
    sd_functional: float | None,
    reliability: float | None,
    mode: Mode,
) -> CutoffInfo:
    """The population cutoff from the norms (clinical norms default to ``data_pre``)."""
    if cutoff_type not in ("a", "b", "c"):
        raise ChangeInputError(f"cutoff_type must be 'a', 'b' or 'c', got {cutoff_type!r}")
    if cutoff_method not in ("JT", "HA"):
        raise ChangeInputError(f"cutoff_method must be 'JT' or 'HA', got {cutoff_method!r}")
    supplied = m_clinical is not None or sd_clinical is not None
    if mode == "compat" and supplied:
        raise ChangeInputError(
            "mode='compat' takes the clinical norms from the sample's pre scores, as the R "
            "package does; m_clinical/sd_clinical cannot be supplied"
        )
    if supplied and (m_clinical is None or sd_clinical is None):
        raise ChangeInputError("give both m_clinical and sd_clinical, or neither")
    if cutoff_type != "a" and (m_functional is None or sd_functional is None):
        raise ChangeInputError(f"cutoff {cutoff_type!r} needs m_functional= and sd_functional=")
    for name, value in (("sd_clinical", sd_clinical), ("sd_functional", sd_functional)):
        if value is not None and not value > 0:
            raise ChangeInputError(f"{name} must be positive, got {value!r}")
    if cutoff_method == "HA":
        if reliability is None:
            raise ChangeInputError("Hageman-Arrindell cutoffs need reliability=")
        check_probability("reliability", reliability)
    if m_clinical is None or sd_clinical is None:
        m_c = float(np.mean(data_pre))
        s_c = float(np.std(data_pre, ddof=1))
        source: Literal["sample", "supplied"] = "sample"
    else:
        m_c, s_c, source = float(m_clinical), float(sd_clinical), "supplied"
    value = _k.cutoff_value(
        cutoff_type,
        cutoff_method,
        direction=direction,
        m_clinical=m_c,
        sd_clinical=s_c,
        m_functional=m_functional,
        sd_functional=sd_functional,
        reliability=reliability,
        b_uses="clinical" if mode == "compat" else "functional",
    )
    return CutoffInfo(
        type=cutoff_type,
        method=cutoff_method,
        value=value,
        m_clinical=m_c,
        sd_clinical=s_c,
        m_functional=m_functional,
        sd_functional=sd_functional,
        clinical_norms_from=source,
    )
