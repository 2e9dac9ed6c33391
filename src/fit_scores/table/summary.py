"""The per-track summary: one row per track, computed with segment operations.

:func:`summarize_table` runs the kernels of the single-track API
(``Track.change()``, ``Track.alliance_signals()``, ``model.status(track)``)
over every track of a :class:`~fit_scores.table.ScoreTable` at once: caseness,
change and alliance flags from :mod:`fit_scores._core.tracks`, expected bands
from ``model.expected_bands`` and the status from
:func:`~fit_scores.trajectories.status_codes`. No rule is written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from fit_scores import trajectories as _traj
from fit_scores._core import change as _change_kernels
from fit_scores._core import segments as _seg
from fit_scores._core import tracks as _tracks
from fit_scores.alliance import AllianceRules
from fit_scores.errors import TableInputError
from fit_scores.io.columns import Codes
from fit_scores.io.writers import ColumnOutputs
from fit_scores.scales.model import Scale
from fit_scores.table.aggregate import Aggregate, aggregate_summary
from fit_scores.table.container import BANDS, RATERS, STATUSES, ScoreTable, masked

__all__ = ["TrackSummary", "summarize_table"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
AnyArray = npt.NDArray[Any]
Masked = np.ma.MaskedArray


def _last_label(codes: Codes, starts: IntArray) -> Codes:
    """The last non-empty value of every segment."""
    return Codes(_seg.segment_last_code(codes.codes, starts), codes.labels)


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
    num, den = table.total_num, table.total_den
    n1, d1 = np.where(has, num[ii], 0), np.where(has, den[ii], 1)
    n2, d2 = np.where(has, num[li], 0), np.where(has, den[li], 1)
    intake = n1 / (d1 * tpu_t)
    latest = n2 / (d2 * tpu_t)

    # caseness at intake and at the latest score, each with its own age band and rater
    both = np.concatenate([ii[has], li[has]])
    case = _tracks.caseness(
        scales,
        table.scale_index[both],
        table.rater_code[both],
        table.age_years[both],
        num[both],
        den[both],
    )
    clinical_intake = np.full(n_tracks, -1, dtype=np.int8)
    clinical_latest = np.full(n_tracks, -1, dtype=np.int8)
    n_has = int(np.count_nonzero(has))
    clinical_intake[has] = case[:n_has]
    clinical_latest[has] = case[n_has:]
    # reliable change with the scale's criterion, exact in ticks, and the category
    cols = _tracks.change_columns(
        scales,
        scale_t,
        n1,
        d1,
        n2,
        d2,
        clinical_intake,
        clinical_latest,
        compared=two,
        non_reliable_recovery=non_reliable_recovery,
    )
    change = cols.change_num / (cols.change_den * tpu_t)

    # alliance signals, on the scored rows of alliance tracks
    signals = {name: np.zeros(n, dtype=bool) for name in _tracks.SIGNALS}
    alliance_s = np.array([s.kind == "alliance" for s in scales], dtype=bool)
    alliance_t = alliance_s[scale_t]
    rows = np.flatnonzero(alliance_s[table.scale_index] & scored)
    if rows.size:
        thresholds = rules.thresholds()
        item_ticks = answered = None
        if thresholds.item_below is not None:
            source = table.row[rows]
            item_ticks = table.input_item_ticks[source]
            answered = table.input_answered[source] & table.has_items[rows, np.newaxis]
        flags = _tracks.alliance_flags(
            scales,
            table.scale_index[rows],
            table.rater_code[rows],
            table.age_years[rows],
            num[rows],
            den[rows],
            _seg.starts_of(table.track_of_row[rows]),
            item_ticks,
            answered,
            thresholds,
        )
        for name, flag in flags.items():
            signals[name][rows] = flag
    latest_flags = {
        name: masked(np.where(has, flags_[li], False), ~(alliance_t & has))
        for name, flags_ in signals.items()
    }
    signal_counts = {
        f"n_{name}": masked(
            _seg.segment_sum(flags_, starts) if alliance_t.any() else np.zeros(n_tracks, np.int64),
            ~alliance_t,
        )
        for name, flags_ in signals.items()
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
                np.where(age_t >= 0, _tracks.band_codes(age_t), -1), np.array(BANDS, dtype=object)
            ),
            "intake_date": masked(table.days[ii].astype("datetime64[D]"), ~has),
            "intake": masked(intake, ~has),
            "latest_score_date": masked(table.days[li].astype("datetime64[D]"), ~has),
            "latest": masked(latest, ~has),
            "change": masked(change, ~two),
            "reliable": masked(cols.reliable, ~cols.rc_known),
            "reliably_improved": masked(cols.better, ~cols.rc_known),
            "reliably_deteriorated": masked(cols.worse, ~cols.rc_known),
            "clinical_intake": masked(clinical_intake == 1, clinical_intake < 0),
            "clinical_latest": masked(clinical_latest == 1, clinical_latest < 0),
            "category": Codes(cols.category, np.array(_change_kernels.CATEGORIES, dtype=object)),
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
        table, model, status_rule, li, has, n_scored, intake, latest
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
        *_tracks.SIGNALS,
        *(f"n_{s}" for s in _tracks.SIGNALS),
        "ending_reason",
        "expected_at",
        "expected",
        "expected_status",
    )
)


def _expected_columns(
    table: ScoreTable,
    model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel | None,
    rule: _traj.StatusRule,
    li: IntArray,
    has: BoolArray,
    n_scored: IntArray,
    intake: FloatArray,
    latest: FloatArray,
) -> tuple[Masked, Masked, Codes]:
    """``expected_at``, ``expected`` and ``expected_status``: ``model.status(track)`` per track.

    The same kernels as ``model.status(track)``: the time of the latest score
    on the model's axis (:meth:`ScoreTable.times`), the bands of
    ``model.expected_bands`` and the decision of
    :func:`~fit_scores.trajectories.status_codes`.
    """
    n_tracks = li.size
    status_labels = np.array(STATUSES, dtype=object)
    if model is None:
        nothing = np.ones(n_tracks, dtype=bool)
        return (
            masked(np.zeros(n_tracks), nothing),
            masked(np.zeros(n_tracks), nothing),
            Codes(np.full(n_tracks, -1, dtype=np.int64), status_labels),
        )
    p_on, p_low = model.status_percentiles(rule)
    if isinstance(model, _traj.NeighboursModel) and model.covariate_names:
        raise TableInputError(
            "summarize() cannot give covariates to a neighbours model; fit one without "
            "covariates, or call model.status(track, covariates=...) per track"
        )
    at = np.where(has, table.times(model.axis)[li], 0.0)  # the latest score's time
    where = np.flatnonzero(has & (n_scored >= rule.min_scores))
    bands = model.expected_bands(intake[where], at[where])
    status = np.where(has, 0, -1).astype(np.int64)
    status[where] = _traj.status_codes(
        latest[where],
        bands.band(p_on),
        bands.band(p_low),
        higher_is_better=model.higher_is_better,
        available=bands.available,
    )
    reference = np.zeros(n_tracks, dtype=bool)
    reference[where] = bands.available
    median = np.zeros(n_tracks)
    median[where] = np.where(bands.available, bands.median, 0.0)
    return (
        masked(at, ~has),
        masked(median, ~reference),
        Codes(status, status_labels),
    )


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
