"""The per-track summary: one row per track, computed with segment operations.

:func:`summarize_table` runs the kernels of the single-track API
(``Track.change()``, ``Track.alliance_signals()``, ``model.status(track)``)
over every track of a :class:`~fit_scores.table.ScoreTable` at once: caseness,
change and alliance flags from :mod:`fit_scores._core.tracks`, expected bands
from ``model.expected_bands`` and the status from
:func:`~fit_scores.trajectories.status_codes`. No rule is written here.

Memory: the kernels run on blocks of whole tracks and write straight into the
summary's columns, so that the temporaries stay a few megabytes whatever the
size of the table; the alliance signals are computed on the scored rows of
alliance tracks only; code columns hold the narrowest integer type their labels
need (the values, and so every output, are those of int64 codes); a column
that is constant (no skipped meetings, no alliance track, no model) is left as
fresh zeros, which take no memory until written to.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from fit_scores import trajectories as _traj
from fit_scores._core import change as _change_kernels
from fit_scores._core import segments as _seg
from fit_scores._core import tracks as _tracks
from fit_scores.alliance import AllianceRules
from fit_scores.errors import TableInputError, UnlinkedTablesWarning
from fit_scores.io.columns import Codes
from fit_scores.io.writers import ColumnOutputs
from fit_scores.scales.model import Scale
from fit_scores.table.aggregate import Aggregate, aggregate_summary
from fit_scores.table.container import BANDS, RATERS, STATUSES, ScoreTable, masked, track_times
from fit_scores.table.disclosure import GroupingLog, LinkedAggregates, aggregate_linked

__all__ = ["TrackSummary", "summarize_table"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
AnyArray = npt.NDArray[Any]
Masked = np.ma.MaskedArray

#: The per-track kernels run on blocks of at most this many tracks (and about
#: :data:`_BLOCK_ROWS` rows), so that their temporaries stay small however
#: large the table: the summary holds little more than its own columns.
_BLOCK_TRACKS = 1 << 18
_BLOCK_ROWS = 1 << 20


def _last_label(codes: Codes, starts: IntArray) -> Codes:
    """The last non-empty value of every segment."""
    return Codes(_seg.segment_last_code(codes.codes, starts), codes.labels)


def _code_dtype(n_labels: int) -> type[np.signedinteger[Any]]:
    """The narrowest code type for ``n_labels`` labels (and ``-1``, and ``code + 1``)."""
    return np.int8 if n_labels < np.iinfo(np.int8).max else np.int64


def _mask(where: BoolArray) -> BoolArray:
    """A fresh mask with the values of ``where``.

    A mask that is nowhere true is left as fresh zeros, which take no memory
    until written to.
    """
    if where.any():
        return where.copy()
    return np.zeros(where.shape, dtype=bool)


def summarize_table(
    table: ScoreTable,
    *,
    model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel | None,
    rules: AllianceRules,
    status_rule: _traj.StatusRule,
    non_reliable_recovery: bool,
) -> TrackSummary:
    """The summary of :meth:`ScoreTable.summarize <fit_scores.table.ScoreTable.summarize>`.

    The per-track values are computed in blocks of whole tracks (see
    :data:`_BLOCK_TRACKS`) straight into the summary's columns; the kernels
    are elementwise per track (or per segment), so the blocks give the same
    values as one pass over all tracks would.
    """
    clash = [name for name in table.group_codes if name in _SUMMARY_COLUMNS]
    if clash:
        raise TableInputError(
            f"grouping column(s) {clash} have the names of summary columns; rename them"
        )
    if model is not None:  # the model's own checks, before any work
        model.status_percentiles(status_rule)
        if isinstance(model, _traj.NeighboursModel) and model.covariate_names:
            raise TableInputError(
                "summarize() cannot give covariates to a neighbours model; fit one without "
                "covariates, or call model.status(track, covariates=...) per track"
            )
    n = len(table)
    starts = table.track_starts
    n_tracks = starts.size
    counts = _seg.segment_counts(starts, n)
    scales = table.scales
    all_scored = not table.skip.any()
    t = _per_track(table, counts, all_scored, model, non_reliable_recovery)
    has = t["has"]
    no_score = ~has
    n_scored = t["n_scored"]
    alliance_s = np.array([s.kind == "alliance" for s in scales], dtype=bool)
    alliance_t = alliance_s[t["scale"]]
    latest_flags, signal_counts = _alliance_columns(
        table, rules, counts, np.flatnonzero(alliance_t & has)
    )

    clinical_intake, clinical_latest = t["clinical_intake"], t["clinical_latest"]
    columns: dict[str, Any] = {
        "person": table.person_codes.take(starts),
        "scale": Codes(t["scale"], np.array([s.key for s in scales], dtype=object)),
        "rater": Codes(cast("IntArray", table.rater_code[starts]), np.array(RATERS, dtype=object)),
        "rater_id": table.rater_id_codes.take(starts),
        "episode": table.episode_codes.take(starts),
    }
    for name, codes in table.group_codes.items():
        columns[name] = _last_label(codes, starts)
    columns.update(
        {
            "n": counts,
            "n_scored": n_scored,
            "n_skipped": np.zeros(n_tracks, dtype=np.int64) if all_scored else counts - n_scored,
            "first_date": t["first_date"],
            "latest_date": t["latest_date"],
            "days_in_contact": t["days_in_contact"],
            "age": masked(t["age"], _mask(t["age"] < 0)),
            "age_band": Codes(t["age_band"], np.array(BANDS, dtype=object)),
            "intake_date": masked(t["intake_date"], _mask(no_score)),
            "intake": masked(t["intake"], _mask(no_score)),
            "latest_score_date": masked(t["latest_score_date"], _mask(no_score)),
            "latest": masked(t["latest"], _mask(no_score)),
            "change": masked(t["change"], _mask(n_scored < 2)),
            "reliable": masked(t["reliable"], _mask(~t["rc_known"])),
            "reliably_improved": masked(t["better"], _mask(~t["rc_known"])),
            "reliably_deteriorated": masked(t["worse"], _mask(~t["rc_known"])),
            "clinical_intake": masked(clinical_intake == 1, _mask(clinical_intake < 0)),
            "clinical_latest": masked(clinical_latest == 1, _mask(clinical_latest < 0)),
            "category": Codes(t["category"], np.array(_change_kernels.CATEGORIES, dtype=object)),
            # false: a cutoff needs the age and it is unknown (no track counts as not recovered
            # for want of an age); masked without two scores to compare
            "recovery_judged": masked(t["judged"], _mask(n_scored < 2)),
        }
    )
    del clinical_intake, clinical_latest
    no_signal = ~(alliance_t & has)
    for name, flags in latest_flags.items():
        columns[name] = masked(flags, _mask(no_signal))
    for name, numbers in signal_counts.items():
        columns[name] = masked(numbers, _mask(~alliance_t))
    del no_signal, alliance_t
    columns["ending_reason"] = (
        Codes(np.full(n_tracks, -1, dtype=np.int8), np.zeros(0, dtype=object))
        if table.ending_codes is None
        else _last_label(table.ending_codes, starts)
    )
    at, expected, status = _expected_columns(
        model, status_rule, has, n_scored, t["intake"], t["latest"], t.get("at")
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


def _per_track(
    table: ScoreTable,
    counts: IntArray,
    all_scored: bool,
    model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel | None,
    non_reliable_recovery: bool,
) -> dict[str, AnyArray]:
    """Counts, dates, scores, caseness and change of every track, block by block.

    Intake and latest are the first and the last scored row of a track (the
    first row stands in where there is none: ``has`` false). Caseness is
    ``-1`` / ``0`` / ``1`` per :func:`fit_scores._core.tracks.caseness`, at
    intake and at the latest score, each with its own age; change, reliable
    change and the category per :func:`fit_scores._core.tracks.change_columns`.
    With a model, ``at`` is the time of the latest score on the model's axis
    (:func:`~fit_scores.table.container.track_times`, the rule of
    :meth:`ScoreTable.times`), 0 where there is no score.
    """
    starts = table.track_starts
    n = len(table)
    n_tracks = starts.size
    scales = table.scales
    tpu_s = np.array([s.ticks_per_unit for s in scales], dtype=np.int64)
    num, den, days, age_years = table.total_num, table.total_den, table.days, table.age_years
    day = "datetime64[D]"
    out: dict[str, AnyArray] = {
        "n_scored": counts if all_scored else np.empty(n_tracks, dtype=np.int64),
        "has": np.ones(n_tracks, dtype=bool) if all_scored else np.empty(n_tracks, dtype=bool),
        "scale": np.empty(n_tracks, dtype=_code_dtype(len(scales))),
        "first_date": np.empty(n_tracks, dtype=day),
        "latest_date": np.empty(n_tracks, dtype=day),
        "days_in_contact": np.empty(n_tracks, dtype=days.dtype),
        "age": np.empty(n_tracks, dtype=age_years.dtype),
        "age_band": np.empty(n_tracks, dtype=_code_dtype(len(BANDS))),
        "intake_date": np.empty(n_tracks, dtype=day),
        "intake": np.empty(n_tracks, dtype=np.float64),
        "latest_score_date": np.empty(n_tracks, dtype=day),
        "latest": np.empty(n_tracks, dtype=np.float64),
        "clinical_intake": np.empty(n_tracks, dtype=np.int8),
        "clinical_latest": np.empty(n_tracks, dtype=np.int8),
        "change": np.empty(n_tracks, dtype=np.float64),
        "rc_known": np.empty(n_tracks, dtype=bool),
        "reliable": np.empty(n_tracks, dtype=bool),
        "better": np.empty(n_tracks, dtype=bool),
        "worse": np.empty(n_tracks, dtype=bool),
        "category": np.empty(n_tracks, dtype=_code_dtype(len(_change_kernels.CATEGORIES))),
        "judged": np.empty(n_tracks, dtype=bool),
    }
    if model is not None:
        out["at"] = np.empty(n_tracks, dtype=np.float64)
    blocks = _seg.segment_blocks(starts, n, segments=_BLOCK_TRACKS, rows=_BLOCK_ROWS)
    for a, b, r0, r1 in blocks:
        st = starts[a:b]
        last = st + counts[a:b] - 1
        ns: IntArray
        has: BoolArray | None
        if all_scored:
            ns, ii, li, has = counts[a:b], st, last, None
        else:
            scored = ~table.skip[r0:r1]
            local = st - r0
            ns = _seg.segment_sum(scored, local).astype(np.int64, copy=False)
            first_i = _seg.segment_first_where(scored, local)
            latest_i = _seg.segment_last_where(scored, local)
            del scored
            has = first_i >= 0
            ii = np.where(has, first_i + r0, st)
            li = np.where(has, latest_i + r0, st)
            del first_i, latest_i
            out["n_scored"][a:b] = ns
            out["has"][a:b] = has
        s_t = table.scale_index[st]
        out["scale"][a:b] = s_t
        tpu = tpu_s[s_t]
        n1, d1, n2, d2 = num[ii], den[ii], num[li], den[li]
        if has is not None:
            n1, d1 = np.where(has, n1, 0), np.where(has, d1, 1)
            n2, d2 = np.where(has, n2, 0), np.where(has, d2, 1)
        np.divide(n1, d1 * tpu, out=out["intake"][a:b])
        np.divide(n2, d2 * tpu, out=out["latest"][a:b])

        # caseness at intake and at the latest score, each with its own age band and rater
        rater = table.rater_code[st]
        age_i = age_years[ii]
        for name, age, n_, d_ in (
            ("clinical_intake", age_i, n1, d1),
            ("clinical_latest", age_years[li], n2, d2),
        ):
            if has is None:
                out[name][a:b] = _tracks.caseness(scales, s_t, rater, age, n_, d_)
            else:
                case = np.full(b - a, -1, dtype=np.int8)
                w = np.flatnonzero(has)
                case[w] = _tracks.caseness(scales, s_t[w], rater[w], age[w], n_[w], d_[w])
                out[name][a:b] = case
        # reliable change with the scale's criterion, exact in ticks, and the category
        cols = _tracks.change_columns(
            scales,
            s_t,
            n1,
            d1,
            n2,
            d2,
            out["clinical_intake"][a:b],
            out["clinical_latest"][a:b],
            compared=ns >= 2,
            non_reliable_recovery=non_reliable_recovery,
        )
        np.divide(cols.change_num, cols.change_den * tpu, out=out["change"][a:b])
        out["rc_known"][a:b] = cols.rc_known
        out["reliable"][a:b] = cols.reliable
        out["better"][a:b] = cols.better
        out["worse"][a:b] = cols.worse
        out["category"][a:b] = cols.category
        out["judged"][a:b] = _tracks.recovery_judged(scales, s_t, rater, age_i, age_years[li])
        del cols, n1, d1, n2, d2, tpu

        first_day, last_day = days[st], days[last]
        out["first_date"][a:b] = first_day.astype(day)
        out["latest_date"][a:b] = last_day.astype(day)
        np.subtract(last_day, first_day, out=out["days_in_contact"][a:b])
        out["intake_date"][a:b] = days[ii].astype(day)
        out["latest_score_date"][a:b] = days[li].astype(day)
        out["age"][a:b] = age_i
        out["age_band"][a:b] = np.where(age_i >= 0, _tracks.band_codes(age_i), -1)
        if model is not None:  # the time of the latest score on the model's axis
            sl = slice(r0, r1)
            times = track_times(
                table.skip[sl], table.session_number[sl], days[sl], st - r0, model.axis
            )
            # counted from the track's intake, as every model reads time
            at = _traj.from_intake(times[li - r0], times[ii - r0], model.axis)
            out["at"][a:b] = at if has is None else np.where(has, at, 0.0)
    return out


def _alliance_columns(
    table: ScoreTable, rules: AllianceRules, counts: IntArray, tracks: IntArray
) -> tuple[dict[str, BoolArray], dict[str, IntArray]]:
    """The alliance signals of the latest score and their counts, per track.

    ``tracks`` are the alliance tracks with at least one score; the signals
    (:func:`fit_scores._core.tracks.alliance_flags`) are computed on their
    scored rows, in blocks of whole tracks. Other tracks get ``False`` and 0.
    """
    n_tracks = counts.size
    latest = {name: np.zeros(n_tracks, dtype=bool) for name in _tracks.SIGNALS}
    numbers = {f"n_{name}": np.zeros(n_tracks, dtype=np.int64) for name in _tracks.SIGNALS}
    if tracks.size == 0:
        return latest, numbers
    thresholds = rules.thresholds()
    lengths = counts[tracks]
    ends = np.cumsum(lengths)
    a = 0
    while a < tracks.size:
        b = int(np.searchsorted(ends, ends[a] - lengths[a] + _BLOCK_ROWS, side="right"))
        b = min(max(b, a + 1), tracks.size)
        block, size = tracks[a:b], lengths[a:b]
        offsets = np.cumsum(size) - size
        rows = np.arange(int(size.sum()), dtype=np.int64)
        rows += np.repeat(table.track_starts[block] - offsets, size)
        track = np.repeat(np.arange(block.size, dtype=np.int64), size)
        scored = ~table.skip[rows]
        rows, track = rows[scored], track[scored]
        sub_starts = _seg.starts_of(track)  # every track has a scored row
        del scored, track, offsets
        item_ticks = answered = None
        if thresholds.item_below is not None:
            source = table.row[rows]
            item_ticks = table.input_item_ticks[source]
            answered = table.input_answered[source] & table.has_items[rows, np.newaxis]
            del source
        flags = _tracks.alliance_flags(
            table.scales,
            table.scale_index[rows],
            table.rater_code[rows],
            table.age_years[rows],
            table.total_num[rows],
            table.total_den[rows],
            sub_starts,
            item_ticks,
            answered,
            thresholds,
        )
        last = np.append(sub_starts[1:], rows.size) - 1
        for name, flag in flags.items():
            latest[name][block] = flag[last]
            numbers[f"n_{name}"][block] = _seg.segment_sum(flag, sub_starts)
        a = b
    return latest, numbers


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
        "recovery_judged",
        *_tracks.SIGNALS,
        *(f"n_{s}" for s in _tracks.SIGNALS),
        "ending_reason",
        "expected_at",
        "expected",
        "expected_status",
    )
)


def _expected_columns(
    model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel | None,
    rule: _traj.StatusRule,
    has: BoolArray,
    n_scored: IntArray,
    intake: FloatArray,
    latest: FloatArray,
    at: FloatArray | None,
) -> tuple[Masked, Masked, Codes]:
    """``expected_at``, ``expected`` and ``expected_status``: ``model.status(track)`` per track.

    The same kernels as ``model.status(track)``: the time of the latest score
    on the model's axis (``at``, the rule of :meth:`ScoreTable.times`), the
    bands of ``model.expected_bands`` and the decision of
    :func:`~fit_scores.trajectories.status_codes`.
    """
    n_tracks = has.size
    status_labels = np.array(STATUSES, dtype=object)
    code = _code_dtype(len(STATUSES))
    if model is None or at is None:
        return (
            masked(np.zeros(n_tracks), np.ones(n_tracks, dtype=bool)),
            masked(np.zeros(n_tracks), np.ones(n_tracks, dtype=bool)),
            Codes(np.full(n_tracks, -1, dtype=code), status_labels),
        )
    p_on, p_low = model.status_percentiles(rule)
    where = np.flatnonzero(has & (n_scored >= rule.min_scores))
    bands = model.expected_bands(intake[where], at[where])
    status = np.where(has, 0, -1).astype(code)
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
        masked(at, _mask(~has)),
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
    #: The groupings published from this summary (for the warning of :meth:`aggregate`).
    published: GroupingLog = field(default_factory=GroupingLog, compare=False, repr=False)

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
        result = aggregate_summary(self, by, min_cell=min_cell, level=level)
        names = () if by is None else (by,) if isinstance(by, str) else tuple(by)
        message = self.published.note_plain(names)  # only a table that was published
        if message is not None:
            warnings.warn(message, UnlinkedTablesWarning, stacklevel=2)
        return result

    def aggregate_linked(
        self,
        groupings: Sequence[str | Sequence[str]],
        *,
        min_cell: int = 5,
        level: float = 0.95,
        round_to: int | None = None,
    ) -> LinkedAggregates:
        """Several groupings of this summary as linked tables, protected together.

        The same as :func:`fit_scores.table.disclosure.aggregate_linked`
        (see there): publish every grouping of one summary this way, so that
        no suppressed figure of one table can be derived from the others.
        Publishing two groupings with :meth:`aggregate` instead warns
        (:class:`~fit_scores.errors.UnlinkedTablesWarning`).
        """
        return aggregate_linked(self, groupings, min_cell=min_cell, level=level, round_to=round_to)
