"""Figures per group for reports, from a track summary, with small cells suppressed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt

from fit_scores._core import change as _change_kernels
from fit_scores._core import segments as _seg
from fit_scores.errors import TableInputError
from fit_scores.io.columns import Codes
from fit_scores.io.writers import ColumnOutputs, split_masked
from fit_scores.table.container import BANDS, RATERS, STATUSES, masked

if TYPE_CHECKING:  # pragma: no cover
    from fit_scores.table.summary import TrackSummary

__all__ = ["AGGREGATE_COLUMNS", "Aggregate", "aggregate_summary"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]
AnyArray = npt.NDArray[Any]


@dataclass(frozen=True, eq=False, repr=False)
class Aggregate(ColumnOutputs):
    """Figures per group, from :meth:`TrackSummary.aggregate`; small cells suppressed.

    Columns are numpy arrays (``agg["recovered_share"]``); suppressed or
    undefined figures are masked (``None`` in the records, CSV and JSON).

    Examples
    --------
    >>> from fit_scores.table import from_columns
    >>> t = from_columns({"person": [f"p{i}" for i in range(8)], "scale": ["ORS"] * 8,
    ...                   "date": ["2025-01-10"] * 8, "total": [20.0] * 8,
    ...                   "team": ["north"] * 6 + ["south"] * 2})
    >>> agg = t.summarize().aggregate("team")
    >>> agg["team"].tolist(), agg["n_people"].tolist(), agg["suppressed"].tolist()
    (['north', 'south'], [6, None], [False, True])
    """

    columns: dict[str, Any]
    by: tuple[str, ...]
    min_cell: int
    level: float

    def __len__(self) -> int:
        return int(self.columns["suppressed"].shape[0])

    def __repr__(self) -> str:
        return f"Aggregate({len(self)} groups by {list(self.by)}, min_cell={self.min_cell})"

    def __getitem__(self, name: str) -> AnyArray:
        col = self.columns[name]
        if isinstance(col, Codes):
            return col.values()
        return cast("AnyArray", col)

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(self.columns)

    def _columns(self) -> list[tuple[str, Any]]:
        return list(self.columns.items())


def _group_of(summary: TrackSummary, by: Sequence[str]) -> tuple[IntArray, list[tuple[str, Any]]]:
    """Dense group ids of the tracks and the label columns of the groups."""
    n = len(summary)
    if not by:
        return np.zeros(n, dtype=np.int64), []
    codes: list[IntArray] = []
    labels: list[ObjArray] = []
    for name in by:
        if name not in summary.columns:
            raise TableInputError(
                f"aggregate(by=...): no column {name!r}; columns: {list(summary.columns)}"
            )
        col = summary.columns[name]
        if isinstance(col, Codes):
            c, text = col.codes, col.text
        else:
            c, text = _factor_values(col)
        codes.append(c + 1)
        labels.append(
            np.concatenate([np.array([None], dtype=object), np.asarray(text, dtype=object)])
        )
    key = _seg.combine_codes(codes, [lab.size for lab in labels])
    if key is None:  # pragma: no cover - astronomically many combinations
        raise TableInputError("aggregate(by=...): too many combinations of group values")
    group, uniq = _seg.factorize(key)
    label_columns: list[tuple[str, Any]] = []
    rest = uniq.copy()
    parts: list[IntArray] = []
    for lab in reversed(labels):
        parts.append(rest % lab.size)
        rest = rest // lab.size
    for name, lab, part in zip(by, labels, reversed(parts), strict=True):
        label_columns.append((name, Codes(part - 1, lab[1:])))
    return group, label_columns


_MEANS = ("intake_outcome", "intake_alliance", "sessions", "days_in_contact")
_SHARES = ("improved", "recovered", "deteriorated", "reached_expected", "planned_ending",
           "unplanned_ending")  # fmt: skip
#: The names of the figure columns of an :class:`Aggregate` (a group column may not have one).
AGGREGATE_COLUMNS = frozenset(
    (
        "n_people", "n_tracks", "n_episodes", "n_collateral_raters", "n_people_age_unknown",
        *(f"n_people_{band}" for band in BANDS), "suppressed", "effect_size",
        "effect_size_n", "effect_size_ci_low", "effect_size_ci_high",
        *(f"{m}_{part}" for m in _MEANS for part in ("n", "mean", "ci_low", "ci_high")),
        *(f"{m}_{part}" for m in _SHARES for part in ("n", "share", "ci_low", "ci_high")),
    )
)  # fmt: skip


def _factor_values(col: Any) -> tuple[IntArray, ObjArray]:
    """Codes and text labels of any summary column (missing: -1)."""
    arr, mask = split_masked(col)
    present = ~np.isnat(arr) if arr.dtype.kind == "M" else np.ones(arr.shape[0], dtype=bool)
    if arr.dtype.kind == "f":
        present &= ~np.isnan(arr)
    if mask is not None:
        present &= ~mask
    if arr.dtype.kind == "b":
        text = np.where(arr, "True", "False").astype(object)
    else:
        text = arr.astype(str).astype(object)
    codes = np.full(text.size, -1, dtype=np.int64)
    labels = np.zeros(0, dtype=object)
    if present.any():
        sub, labels = _seg.factorize(text[present].astype(np.dtypes.StringDType()))
        codes[present] = sub
    return codes, np.asarray(labels.astype(object), dtype=object)


def _t_quantile(df: FloatArray, level: float) -> FloatArray:
    from scipy.special import stdtrit

    with np.errstate(invalid="ignore"):
        out: FloatArray = np.asarray(
            stdtrit(np.maximum(df, 1.0), 0.5 + level / 2), dtype=np.float64
        )
    return out


def aggregate_summary(
    summary: TrackSummary, by: str | Sequence[str] | None, *, min_cell: int, level: float
) -> Aggregate:
    """The figures of :meth:`TrackSummary.aggregate <fit_scores.table.TrackSummary.aggregate>`."""
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
        raise TableInputError(f"min_cell must be a whole number >= 1, got {min_cell!r}")
    if not 0 < level < 1:
        raise TableInputError(f"level must be in (0, 1), got {level!r}")
    names: tuple[str, ...] = () if by is None else (by,) if isinstance(by, str) else tuple(by)
    clash = [name for name in names if name in AGGREGATE_COLUMNS]
    if clash or len(set(names)) != len(names):
        raise TableInputError(
            f"aggregate(by={list(names)}): group by distinct columns whose names are not "
            f"those of the figures ({clash})"
        )
    group, label_columns = _group_of(summary, names)
    n_groups = int(group.max()) + 1 if group.size else (1 if not names else 0)
    cols = summary.columns
    person = cols["person"].codes
    scale_t = cols["scale"].codes
    kinds = np.array([s.kind == "outcome" for s in summary.scales], dtype=bool)
    outcome = kinds[scale_t] if scale_t.size else np.zeros(0, dtype=bool)
    alliance = ~outcome

    def people(mask: BoolArray) -> IntArray:
        return _seg.count_distinct(group[mask], person[mask], n_groups)

    out: dict[str, Any] = dict(label_columns)
    suppressed = np.zeros(n_groups, dtype=bool)
    everyone = np.ones(group.size, dtype=bool)
    n_people = people(everyone)
    small_group = n_people < min_cell

    def count_column(name: str, values: IntArray, resting_on: IntArray) -> None:
        hide = small_group | ((resting_on < min_cell) & (values > 0))
        nonlocal suppressed
        suppressed |= hide
        out[name] = masked(values.astype(np.int64), hide)

    count_column("n_people", n_people, n_people)
    count_column("n_tracks", np.bincount(group, minlength=n_groups), n_people)
    episode = cols["episode"].codes + 1
    episode_key = _seg.combine_codes(
        [person, episode], [int(person.max(initial=0)) + 1, int(episode.max(initial=0)) + 1]
    )
    assert episode_key is not None
    count_column("n_episodes", _seg.count_distinct(group, episode_key, n_groups), n_people)
    band_codes = cols["age_band"].codes
    band_counts = []
    for b in range(len(BANDS) + 1):
        mask = band_codes == (b if b < len(BANDS) else -1)
        band_counts.append(people(mask))
    band_matrix = np.column_stack(band_counts) if n_groups else np.zeros((0, len(BANDS) + 1))
    hide_bands = small_group[:, None] | ((band_matrix < min_cell) & (band_matrix > 0))
    # complementary suppression: one hidden band could be recovered from the total
    lonely = hide_bands.sum(axis=1) == 1
    if lonely.any():  # hide the smallest other non-zero count too (else a zero)
        big = np.iinfo(np.int64).max
        shown = np.where(hide_bands, big, np.where(band_matrix > 0, band_matrix, big - 1))
        smallest = np.argmin(shown, axis=1)
        rows = np.flatnonzero(lonely)
        hide_bands[rows, smallest[rows]] = True
    suppressed |= hide_bands.any(axis=1)
    for b, band in enumerate((*BANDS, "age_unknown")):
        out[f"n_people_{band}"] = masked(band_matrix[:, b].astype(np.int64), hide_bands[:, b])
    collateral = cols["rater"].codes == RATERS.index("collateral")
    rid = cols["rater_id"].codes + 1
    rater_key = _seg.combine_codes(
        [person, rid], [int(person.max(initial=0)) + 1, int(rid.max(initial=0)) + 1]
    )
    assert rater_key is not None
    count_column(
        "n_collateral_raters",
        _seg.count_distinct(group[collateral], rater_key[collateral], n_groups),
        people(collateral),
    )

    def mean_column(name: str, mask: BoolArray, values: FloatArray) -> None:
        nonlocal suppressed
        g, x = group[mask], values[mask]
        n = np.bincount(g, minlength=n_groups).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.bincount(g, weights=x, minlength=n_groups) / n
            dev = x - mean[g]
            sd = np.sqrt(np.bincount(g, weights=dev * dev, minlength=n_groups) / (n - 1))
            half = _t_quantile(n - 1, level) * sd / np.sqrt(n)
        hide = small_group | ((people(mask) < min_cell) & (n > 0))
        suppressed |= hide
        out[f"{name}_n"] = masked(n.astype(np.int64), hide)
        out[f"{name}_mean"] = masked(np.where(n > 0, mean, 0.0), hide | (n == 0))
        interval = hide | (n < 2)
        out[f"{name}_ci_low"] = masked(np.where(interval, 0.0, mean - half), interval)
        out[f"{name}_ci_high"] = masked(np.where(interval, 0.0, mean + half), interval)

    intake_col = cols["intake"]
    has_intake = ~np.ma.getmaskarray(intake_col)
    intake_values = np.asarray(np.ma.getdata(intake_col), dtype=np.float64)
    mean_column("intake_outcome", outcome & has_intake, intake_values)
    mean_column("intake_alliance", alliance & has_intake, intake_values)
    mean_column("sessions", outcome, np.asarray(cols["n"], dtype=np.float64))
    mean_column("days_in_contact", outcome, np.asarray(cols["days_in_contact"], dtype=np.float64))

    # pre-post effect size (the formula of fit_scores.group.effect_size, per group)
    pairs = outcome & ~np.ma.getmaskarray(cols["change"])
    latest_values = np.asarray(np.ma.getdata(cols["latest"]), dtype=np.float64)
    g = group[pairs]
    x1, x2 = intake_values[pairs], latest_values[pairs]
    n = np.bincount(g, minlength=n_groups).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        m1 = np.bincount(g, weights=x1, minlength=n_groups) / n
        m2 = np.bincount(g, weights=x2, minlength=n_groups) / n
        c1, c2 = x1 - m1[g], x2 - m2[g]
        s11 = np.bincount(g, weights=c1 * c1, minlength=n_groups)
        s22 = np.bincount(g, weights=c2 * c2, minlength=n_groups)
        s12 = np.bincount(g, weights=c1 * c2, minlength=n_groups)
        mean_change = np.bincount(g, weights=x2 - x1, minlength=n_groups) / n
        sd1 = np.sqrt(s11 / (n - 1))
        sd2 = np.sqrt(s22 / (n - 1))
        r = np.where((sd1 > 0) & (sd2 > 0), s12 / np.sqrt(s11 * s22), 0.0)
        d = mean_change / sd1
        var = 2.0 * (1.0 - r) / n + d**2 / (2.0 * (n - 1))
        j = 1.0 - 3.0 / (4.0 * (n - 1) - 1.0)
        z = _change_kernels.critical_value(1.0 - level, one_sided=False)
        estimate = j * d
        half = z * j * np.sqrt(var)
    hide = small_group | ((people(pairs) < min_cell) & (n > 0))
    suppressed |= hide
    undefined = hide | (n < 3) | ~(sd1 > 0)
    out["effect_size_n"] = masked(n.astype(np.int64), hide)
    out["effect_size"] = masked(np.where(undefined, 0.0, estimate), undefined)
    out["effect_size_ci_low"] = masked(np.where(undefined, 0.0, estimate - half), undefined)
    out["effect_size_ci_high"] = masked(np.where(undefined, 0.0, estimate + half), undefined)

    def share_column(name: str, mask: BoolArray, hit: BoolArray) -> None:
        nonlocal suppressed
        total = np.bincount(group[mask], minlength=n_groups)
        k = np.bincount(group[mask & hit], minlength=n_groups)
        lo, hi = _change_kernels.wilson_interval(k, total, level)
        hide = small_group | ((people(mask) < min_cell) & (total > 0))
        suppressed |= hide
        empty = hide | (total == 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, k / np.maximum(total, 1), 0.0)
        out[f"{name}_n"] = masked(total.astype(np.int64), hide)
        out[f"{name}_share"] = masked(share, empty)
        out[f"{name}_ci_low"] = masked(np.where(empty, 0.0, lo), empty)
        out[f"{name}_ci_high"] = masked(np.where(empty, 0.0, hi), empty)

    category = cols["category"].codes
    with_category = outcome & (category >= 0)
    names_of = _change_kernels.CATEGORIES
    share_column(
        "improved", with_category, np.asarray(np.ma.getdata(cols["reliably_improved"]), dtype=bool)
    )
    share_column("recovered", with_category, category == names_of.index("recovered"))
    share_column(
        "deteriorated",
        with_category,
        np.asarray(np.ma.getdata(cols["reliably_deteriorated"]), dtype=bool),
    )
    status = cols["expected_status"].codes
    share_column("reached_expected", status >= 1, status == STATUSES.index("on_track"))
    ending = cols["ending_reason"]
    ending_text = ending.text
    planned_code = np.flatnonzero(ending_text == "planned")
    unplanned_code = np.flatnonzero(ending_text == "unplanned")
    ended = outcome & (ending.codes >= 0)
    planned = np.isin(ending.codes, planned_code) if planned_code.size else np.zeros_like(ended)
    unplanned = (
        np.isin(ending.codes, unplanned_code) if unplanned_code.size else np.zeros_like(ended)
    )
    share_column("planned_ending", ended, planned)
    share_column("unplanned_ending", ended, unplanned)
    out["suppressed"] = suppressed
    return Aggregate(columns=out, by=names, min_cell=min_cell, level=level)
