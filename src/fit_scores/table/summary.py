"""The per-track summary: one row per track, computed with segment operations.

:func:`summarize_table` runs the kernels of the single-track API
(``Track.change()``, ``Track.alliance_signals()``, ``model.status(track)``)
over every track of a :class:`~fit_scores.table.ScoreTable` at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from fit_scores import trajectories as _traj
from fit_scores._core import alliance as _alliance_kernels
from fit_scores._core import change as _change_kernels
from fit_scores._core import segments as _seg
from fit_scores._core import ticks as _ticks
from fit_scores.alliance import AllianceRules
from fit_scores.errors import TableInputError
from fit_scores.io.columns import Codes
from fit_scores.io.writers import ColumnOutputs
from fit_scores.scales.model import AGE_BANDS, Scale
from fit_scores.table.aggregate import Aggregate, aggregate_summary
from fit_scores.table.container import BANDS, RATERS, STATUSES, ScoreTable, masked

__all__ = ["TrackSummary", "summarize_table"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
AnyArray = npt.NDArray[Any]
Masked = np.ma.MaskedArray

_BAND_FIRST = np.array([first for _, first, _ in AGE_BANDS], dtype=np.int64)
_UNKNOWN_BAND = len(BANDS)


def _bands(age: IntArray) -> IntArray:
    """Age band codes (index into :data:`BANDS`), ``len(BANDS)`` where the age is unknown."""
    band = np.searchsorted(_BAND_FIRST, np.maximum(age, 0), side="right") - 1
    out: IntArray = np.where(age >= 0, band, _UNKNOWN_BAND).astype(np.int64)
    return out


def _band_age(scale: Scale, band: int) -> int:
    """An age in ``band`` that the scale is meant for (rows were checked against its ages)."""
    return max(int(_BAND_FIRST[band]), scale.min_age)


def _clinical_at(
    table: ScoreTable, rows: IntArray, *, cutoff: float | None = None
) -> npt.NDArray[np.int8]:
    """Caseness of scored rows: 1 clinical, 0 not, -1 unknown (no cutoff for the age and rater).

    Each row is judged against the cutoff of its own scale, rater and age band
    (:meth:`Scale.cutoff_for <fit_scores.Scale.cutoff_for>`, which gives the
    cutoff all bands share when the age is unknown), or against ``cutoff``.
    """
    out = np.full(rows.size, -1, dtype=np.int8)
    if rows.size == 0:
        return out
    n_bands = _UNKNOWN_BAND + 1
    group = (table.scale_index[rows] * len(RATERS) + table.rater_code[rows]) * n_bands + _bands(
        table.age_years[rows]
    )
    for g in np.unique(group).tolist():
        s, rest = divmod(int(g), len(RATERS) * n_bands)
        r, b = divmod(rest, n_bands)
        scale = table.scales[s]
        if cutoff is not None:
            threshold = _ticks.threshold_ticks(cutoff, scale.ticks_per_unit)
            at_clinical = False
        else:
            age = None if b == _UNKNOWN_BAND else _band_age(scale, b)
            cut = scale.cutoff_for(age=age, rater=cast("Any", RATERS[r]))
            if cut is None or cut.value is None:
                continue
            threshold = scale.cutoff_ticks(cut)
            at_clinical = cut.at_cutoff == "clinical"
        where = np.flatnonzero(group == g)
        picked = rows[where]
        out[where] = _ticks.is_clinical(
            table.total_num[picked],
            table.total_den[picked],
            threshold.numerator,
            threshold.denominator,
            higher_is_better=scale.higher_is_better,
            at_cutoff_clinical=at_clinical,
        )
    return out


def _last_label(codes: Codes, starts: IntArray) -> Codes:
    """The last non-empty value of every segment."""
    given = codes.codes >= 0
    if given.all():
        return Codes(_seg.segment_last(codes.codes, starts), codes.labels)
    last = _seg.segment_last_where(given, starts)
    return Codes(np.where(last >= 0, codes.codes[np.maximum(last, 0)], -1), codes.labels)


def summarize_table(
    table: ScoreTable,
    *,
    model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel | None,
    rules: AllianceRules,
    status_rule: _traj.StatusRule,
    non_reliable_recovery: bool,
) -> TrackSummary:
    """The summary of :meth:`ScoreTable.summarize <fit_scores.table.ScoreTable.summarize>`."""
    clash = [name for name in table.group_codes if name in _SUMMARY_COLUMNS]
    if clash:
        raise TableInputError(
            f"grouping column(s) {clash} have the names of summary columns; rename them"
        )
    n = len(table)
    starts = table.track_starts
    n_tracks = starts.size
    counts = _seg.segment_counts(starts, n)
    last = starts + counts - 1
    scored = ~table.skip
    if scored.all():  # no skipped meetings: intake and latest are the first and last rows
        n_scored, intake_i, latest_i = counts, starts, last
    else:
        n_scored = _seg.segment_sum(scored, starts).astype(np.int64)
        intake_i = _seg.segment_first_where(scored, starts)
        latest_i = _seg.segment_last_where(scored, starts)
    has = intake_i >= 0
    two = n_scored >= 2
    ii = np.where(has, intake_i, starts)
    li = np.where(has, latest_i, starts)
    scales = table.scales
    scale_t = table.scale_index[starts]
    tpu_t = np.array([s.ticks_per_unit for s in scales], dtype=np.int64)[scale_t]
    direction_t = np.array([1 if s.higher_is_better else -1 for s in scales], dtype=np.int64)[
        scale_t
    ]
    num, den = table.total_num, table.total_den
    n1, d1 = np.where(has, num[ii], 0), np.where(has, den[ii], 1)
    n2, d2 = np.where(has, num[li], 0), np.where(has, den[li], 1)
    intake = n1 / (d1 * tpu_t)
    latest = n2 / (d2 * tpu_t)
    change_num = n2 * d1 - n1 * d2
    change_den = d1 * d2
    change = change_num / (change_den * tpu_t)

    # reliable change with the scale's criterion, exact in ticks
    reliable = np.zeros(n_tracks, dtype=bool)
    rc_known = np.zeros(n_tracks, dtype=bool)
    for s, scale in enumerate(scales):
        rc = scale.reliable_change
        if rc is None or not rc.published:
            continue
        sel = np.flatnonzero((scale_t == s) & two)
        threshold = rc.threshold_ticks(scale.ticks_per_unit)
        reliable[sel] = _ticks.meets_threshold(
            change_num[sel],
            change_den[sel],
            threshold.numerator,
            threshold.denominator,
            inclusive=rc.comparison == "inclusive",
        )
        rc_known[sel] = True
    signed = direction_t * np.sign(change_num)
    better = reliable & (signed > 0)
    worse = reliable & (signed < 0)

    # caseness at intake and at the latest score, each with its own age band and rater
    clinical_intake = np.full(n_tracks, -1, dtype=np.int8)
    clinical_latest = np.full(n_tracks, -1, dtype=np.int8)
    clinical_intake[has] = _clinical_at(table, ii[has])
    clinical_latest[has] = _clinical_at(table, li[has])
    known = (clinical_intake >= 0) & (clinical_latest >= 0)
    with_caseness = _change_kernels.categorise(
        better,
        worse,
        clinical_intake == 1,
        clinical_latest == 0,
        non_reliable_recovery=non_reliable_recovery,
    )
    without = _change_kernels.categorise(better, worse)
    category = np.where(known, with_caseness, without).astype(np.int64)
    category = np.where(rc_known, category, -1)

    # alliance signals, on the scored rows of alliance tracks
    signals = {name: np.zeros(n, dtype=bool) for name in _SIGNALS}
    alliance_t = np.zeros(n_tracks, dtype=bool)
    for s, scale in enumerate(scales):
        if scale.kind != "alliance":
            continue
        alliance_t |= scale_t == s
        rows = np.flatnonzero((table.scale_index == s) & scored)
        if rows.size == 0:
            continue
        _alliance_rows(table, scale, rows, rules, signals)
    latest_flags = {
        name: masked(np.where(has, flags[li], False), ~(alliance_t & has))
        for name, flags in signals.items()
    }
    signal_counts = {
        f"n_{name}": masked(
            _seg.segment_sum(flags, starts) if alliance_t.any() else np.zeros(n_tracks, np.int64),
            ~alliance_t,
        )
        for name, flags in signals.items()
    }

    age_t = table.age_years[ii]
    columns: dict[str, Any] = {
        "person": table.person_codes.take(starts),
        "scale": Codes(scale_t, np.array([s.key for s in scales], dtype=object)),
        "rater": Codes(table.rater_code[starts].astype(np.int64), np.array(RATERS, dtype=object)),
        "rater_id": table.rater_id_codes.take(starts),
        "episode": table.episode_codes.take(starts),
    }
    for name, codes in table.group_codes.items():
        columns[name] = _last_label(codes, starts)
    first_day, last_day = table.days[starts], table.days[last]
    columns.update(
        {
            "n": counts,
            "n_scored": n_scored,
            "n_skipped": counts - n_scored,
            "first_date": first_day.astype("datetime64[D]"),
            "latest_date": last_day.astype("datetime64[D]"),
            "days_in_contact": last_day - first_day,
            "age": masked(age_t, age_t < 0),
            "age_band": Codes(
                np.where(age_t >= 0, _bands(age_t), -1), np.array(BANDS, dtype=object)
            ),
            "intake_date": masked(table.days[ii].astype("datetime64[D]"), ~has),
            "intake": masked(intake, ~has),
            "latest_score_date": masked(table.days[li].astype("datetime64[D]"), ~has),
            "latest": masked(latest, ~has),
            "change": masked(change, ~two),
            "reliable": masked(reliable, ~rc_known),
            "reliably_improved": masked(better, ~rc_known),
            "reliably_deteriorated": masked(worse, ~rc_known),
            "clinical_intake": masked(clinical_intake == 1, clinical_intake < 0),
            "clinical_latest": masked(clinical_latest == 1, clinical_latest < 0),
            "category": Codes(category, np.array(_change_kernels.CATEGORIES, dtype=object)),
        }
    )
    columns.update(latest_flags)
    columns.update(signal_counts)
    columns["ending_reason"] = (
        Codes.missing(n_tracks)
        if table.ending_codes is None
        else _last_label(table.ending_codes, starts)
    )
    at, expected, status = _expected_columns(
        table, model, status_rule, starts, ii, li, has, n_scored, intake, latest
    )
    columns["expected_at"] = at
    columns["expected"] = expected
    columns["expected_status"] = status
    return TrackSummary(
        columns=columns,
        group_names=tuple(table.group_codes),
        scales=scales,
        model_given=model is not None,
    )


_SIGNALS = ("below_cutoff", "drop", "item_below", "ceiling")
_SUMMARY_COLUMNS = frozenset(
    (
        "person",
        "scale",
        "rater",
        "rater_id",
        "episode",
        "n",
        "n_scored",
        "n_skipped",
        "first_date",
        "latest_date",
        "days_in_contact",
        "age",
        "age_band",
        "intake_date",
        "intake",
        "latest_score_date",
        "latest",
        "change",
        "reliable",
        "reliably_improved",
        "reliably_deteriorated",
        "clinical_intake",
        "clinical_latest",
        "category",
        *_SIGNALS,
        *(f"n_{s}" for s in _SIGNALS),
        "ending_reason",
        "expected_at",
        "expected",
        "expected_status",
    )
)


def _alliance_rows(
    table: ScoreTable,
    scale: Scale,
    rows: IntArray,
    rules: AllianceRules,
    signals: dict[str, BoolArray],
) -> None:
    """The alliance-signal kernels of Track.alliance_signals, over every track of one scale."""
    tpu = scale.ticks_per_unit
    d = 1 if scale.higher_is_better else -1
    num, den = table.total_num[rows], table.total_den[rows]
    sub_starts = _seg.starts_of(_seg.segment_ids(table.track_starts, len(table))[rows])
    signals["below_cutoff"][rows] = _clinical_at(table, rows, cutoff=rules.cutoff) == 1
    drop = _ticks.threshold_ticks(rules.drop, tpu)
    dropped = _alliance_kernels.drops(num, den, drop.numerator, drop.denominator, direction=d)
    dropped[sub_starts] = False
    signals["drop"][rows] = dropped
    if rules.item_below is not None:
        limit = _ticks.threshold_ticks(rules.item_below, tpu)
        with_items = rows[table.has_items[rows]]
        if with_items.size and limit.denominator == 1:
            m = scale.n_items
            k = min(m, table.n_items)
            ticks = np.zeros((with_items.size, m), dtype=np.int64)
            answered = np.zeros((with_items.size, m), dtype=bool)
            source = table.row[with_items]
            ticks[:, :k] = table.input_item_ticks[source, :k]
            answered[:, :k] = table.input_answered[source, :k]
            signals["item_below"][with_items] = _alliance_kernels.items_below(
                ticks, answered, int(limit), direction=d
            )
    top = _ticks.threshold_ticks(scale.total_max if d == 1 else scale.total_min, tpu)
    at_max = _ticks.compare_fractions(num, den, top.numerator, top.denominator) == 0
    repeats = rules.ceiling_repeats

    def runs(flags: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return _alliance_kernels.ceiling_runs(flags, repeats)

    signals["ceiling"][rows] = _seg.insert_breaks(runs, at_max, sub_starts, False)


def _expected_columns(
    table: ScoreTable,
    model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel | None,
    rule: _traj.StatusRule,
    starts: IntArray,
    ii: IntArray,
    li: IntArray,
    has: BoolArray,
    n_scored: IntArray,
    intake: FloatArray,
    latest: FloatArray,
) -> tuple[Masked, Masked, Codes]:
    n_tracks = starts.size
    status_labels = np.array(STATUSES, dtype=object)
    if model is None:
        nothing = np.ones(n_tracks, dtype=bool)
        return (
            masked(np.zeros(n_tracks), nothing),
            masked(np.zeros(n_tracks), nothing),
            Codes(np.full(n_tracks, -1, dtype=np.int64), status_labels),
        )
    for p in {rule.on_track_at, rule.off_track_below} - {50.0}:
        if p not in model.percentiles:
            raise _traj.TrajectoryInputError(
                f"the rule uses percentile {p:g}, the model has {list(model.percentiles)}"
            )
    if isinstance(model, _traj.NeighboursModel) and model.covariate_names:
        raise TableInputError(
            "summarize() cannot give covariates to a neighbours model; fit one without "
            "covariates, or call model.status(track, covariates=...) per track"
        )
    # time of the latest score, as model.status(track) takes it
    scored = ~table.skip
    if model.axis == "session":
        numbered = _seg.segment_sum(scored & (table.session_number > 0), starts)
        all_numbered = numbered == n_scored
        at = np.where(all_numbered, table.session_number[li], n_scored).astype(np.float64)
    else:
        at = (table.days[li] - table.days[ii]).astype(np.float64)
    eligible = has & (n_scored >= rule.min_scores)
    median = np.full(n_tracks, np.nan)
    on_line = np.full(n_tracks, np.nan)
    low = np.full(n_tracks, np.nan)
    p_on = rule.on_track_at
    p_low = rule.off_track_below if model.higher_is_better else 100 - rule.off_track_below
    where = np.flatnonzero(eligible)
    band_values = _expected_bands(model, intake[where], at[where], (p_on, p_low))
    median[where], on_line[where], low[where] = band_values
    reference = eligible & ~np.isnan(median)
    d = 1.0 if model.higher_is_better else -1.0
    with np.errstate(invalid="ignore"):
        on = d * (latest - on_line) >= 0
        off = d * (latest - low) < 0
    status = np.where(on, 1, np.where(off, 3, 2))
    status = np.where(reference, status, 0)
    status = np.where(has, status, -1)
    return (
        masked(at, ~has),
        masked(np.where(reference, median, 0.0), ~reference),
        Codes(status.astype(np.int64), status_labels),
    )


def _expected_bands(
    model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel,
    intake: FloatArray,
    at: FloatArray,
    percentiles: tuple[float, float],
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Median and two band values of ``model.expected(intake, at)``; NaN without reference data."""
    size = intake.size
    out = [np.full(size, np.nan) for _ in range(3)]
    if size == 0:
        return out[0], out[1], out[2]
    start = 1.0 if model.axis == "session" else 0.0
    at_intake = at == start
    for arr in out:  # at the intake the expected score is the intake
        arr[at_intake] = intake[at_intake]
    rest = np.flatnonzero(~at_intake)
    if rest.size == 0:
        return out[0], out[1], out[2]
    x_in, x_at = intake[rest], at[rest]
    pct = list(model.percentiles)

    def pick(p: float) -> int | None:
        return None if p == 50 else pct.index(p)

    picks = [pick(p) for p in percentiles]
    if isinstance(model, _traj.GrowthModel):
        uat, inv = np.unique(x_at, return_inverse=True)
        f_u = np.array([float(_traj._f(a, model.axis, model.transform)) for a in uat.tolist()])
        p00, p01, p11 = model.psi
        sd_u = np.array(
            [math.sqrt(max(p00 + 2 * f * p01 + f * f * p11, 0.0) + model.sigma2) for f in f_u]
        )
        f, sd = f_u[inv.reshape(-1)], sd_u[inv.reshape(-1)]
        b0, b1, b2, b3 = model.beta
        x = x_in - model.intake_centre
        mean = b0 + b1 * x + (b2 + b3 * x) * f
        z = _traj._normal_quantiles(model.percentiles)
        out[0][rest] = mean
        for target, idx in zip(out[1:], picks, strict=True):
            target[rest] = mean if idx is None else mean + z[idx] * sd
        return out[0], out[1], out[2]
    if isinstance(model, _traj.CohortModel):
        grid = np.asarray(model.intakes)
        uin, inv_in = np.unique(x_in, return_inverse=True)
        nearest = np.array([int(np.argmin(np.abs(grid - v))) for v in uin.tolist()], dtype=np.int64)
        far = np.abs(grid[nearest] - uin) > model.k_max
        uat, inv_at = np.unique(x_at, return_inverse=True)
        keys = [model._bin(a) for a in uat.tolist()]
        col = np.array([model.ats.index(k) if k in model.ats else -1 for k in keys], dtype=np.int64)
        i = nearest[inv_in.reshape(-1)]
        j = col[inv_at.reshape(-1)]
        ok = ~far[inv_in.reshape(-1)] & (j >= 0)
        med_table = np.array(
            [[np.nan if v is None else v for v in row] for row in model.median], dtype=np.float64
        ).reshape(len(model.intakes), len(model.ats))
        val_table = np.array(
            [[[np.nan] * len(pct) if v is None else list(v) for v in row] for row in model.values],
            dtype=np.float64,
        ).reshape(len(model.intakes), len(model.ats), len(pct))
        ii, jj = np.where(ok, i, 0), np.where(ok, j, 0)
        med = np.where(ok, med_table[ii, jj], np.nan)
        out[0][rest] = med
        for target, idx in zip(out[1:], picks, strict=True):
            target[rest] = med if idx is None else np.where(ok, val_table[ii, jj, idx], np.nan)
        return out[0], out[1], out[2]
    # any other model: once per distinct (intake, time)
    pairs, inv = np.unique(np.column_stack([x_in, x_at]), axis=0, return_inverse=True)
    found = np.full((pairs.shape[0], 3), np.nan)
    for r, (a_in, a_at) in enumerate(pairs.tolist()):
        try:
            band = model.expected(a_in, a_at)
        except _traj.NoReferenceDataError:
            continue
        found[r] = (band.median, band.band(percentiles[0]), band.band(percentiles[1]))
    inv = inv.reshape(-1)
    for c in range(3):
        out[c][rest] = found[inv, c]
    return out[0], out[1], out[2]


@dataclass(frozen=True, eq=False, repr=False)
class TrackSummary(ColumnOutputs):
    """One row per track, from :meth:`ScoreTable.summarize`.

    Columns are numpy arrays: ``summary["intake"]``. Text columns are object
    arrays with ``None`` where missing; numbers and flags that can be missing
    are masked arrays (:class:`numpy.ma.MaskedArray`). See
    :meth:`ScoreTable.summarize` for the columns.

    Examples
    --------
    >>> from fit_scores.table import from_columns
    >>> s = from_columns({"person": ["a", "a", "b"], "scale": ["ORS"] * 3, "age": [30] * 3,
    ...                   "date": ["2025-01-10", "2025-03-01", "2025-01-10"],
    ...                   "total": [19.5, 25.0, 30.0]}).summarize()
    >>> len(s), s["person"].tolist(), s["change"].tolist()
    (2, ['a', 'b'], [5.5, None])
    >>> s.to_records()[0]["category"]
    'recovered'
    """

    columns: dict[str, Any]
    group_names: tuple[str, ...]
    scales: tuple[Scale, ...]
    model_given: bool

    def __len__(self) -> int:
        first = next(iter(self.columns.values()))
        return int(first.codes.size if isinstance(first, Codes) else first.shape[0])

    def __getitem__(self, name: str) -> AnyArray:
        col = self.columns[name]
        if isinstance(col, Codes):
            return col.values()
        return cast("AnyArray", col)

    def __repr__(self) -> str:
        return f"TrackSummary({len(self)} tracks, {len(self.columns)} columns)"

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(self.columns)

    def _columns(self) -> list[tuple[str, Any]]:
        return list(self.columns.items())

    def aggregate(
        self,
        by: str | Sequence[str] | None = None,
        *,
        min_cell: int = 5,
        level: float = 0.95,
    ) -> Aggregate:
        """Figures per group (coordinator, municipality, age band, rater, ...) for reports.

        Parameters
        ----------
        by : str or sequence of str, optional
            Summary columns to group by (e.g. ``"coordinator"``,
            ``["municipality", "age_band"]``); ``None``: everyone in one group.
            A missing value is a group of its own (label ``None``).
        min_cell : int
            Smallest number of people a figure may rest on (default 5).
        level : float
            Confidence level of the intervals.

        Returns
        -------
        Aggregate

        Notes
        -----
        The unit is the track. Outcome figures use the tracks of outcome
        scales, alliance figures those of alliance scales; group by ``rater``
        (and ``scale``) to keep self-, caretaker- and collateral ratings, or
        scales with different ranges, apart.

        Per group: ``n_people``, ``n_tracks``, ``n_episodes`` (person x
        episode), people by age band at intake (``n_people_<band>``,
        ``n_people_age_unknown``), ``n_collateral_raters`` (distinct person
        x rater id of collateral tracks); the means, with t intervals, of the
        intake score of outcome tracks (``intake_outcome``) and of alliance
        tracks (``intake_alliance``), and of the number of meetings
        (``sessions``) and the days in contact (``days_in_contact``) of outcome
        tracks; the pre-post ``effect_size`` (intake to latest, outcome tracks
        with two or more scores; the formula of :func:`fit_scores.effect_size`:
        standardised by the SD of the intake scores, Hedges-corrected, normal
        interval); the shares, with Wilson intervals, of outcome tracks with a
        change category that ``improved`` reliably, ``recovered`` and
        ``deteriorated`` reliably; the share that ``reached_expected`` (latest
        score at or above the expected line, of tracks with an expected-response
        status, when a model was given); the shares of ``planned_ending`` and
        ``unplanned_ending`` among outcome tracks with an ending reason. Every
        figure ``x`` has ``x_n``, the number of tracks it uses.

        Small cells: every count and every statistic that rests on at least one
        and fewer than ``min_cell`` distinct people is suppressed (``None``);
        so is the smallest other age-band count of a group where only one band
        count is suppressed, so that it cannot be recovered from the total.
        ``suppressed`` says whether anything in the row was. A group of fewer
        than ``min_cell`` people shows nothing but its labels. Counts of zero
        are shown (they identify no one); a statistic of no one is undefined
        (``None``) without being suppressed.

        Examples
        --------
        >>> from fit_scores.table import from_columns
        >>> t = from_columns({"person": [f"p{i // 2}" for i in range(12)],
        ...                   "scale": ["ORS"] * 12, "age": [30] * 12,
        ...                   "date": ["2025-01-10", "2025-03-10"] * 6,
        ...                   "total": [18.0, 26.0, 20.0, 21.0] * 3})
        >>> agg = t.summarize().aggregate(min_cell=5)
        >>> rec = agg.to_records()[0]
        >>> rec["n_people"], rec["recovered_share"], rec["recovered_n"]
        (6, 0.5, 6)
        >>> t.summarize().aggregate(min_cell=10).to_records()[0]["n_people"] is None
        True
        """
        return aggregate_summary(self, by, min_cell=min_cell, level=level)
