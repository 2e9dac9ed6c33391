"""The score table and its error report: validated, exactly scored rows sorted into tracks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from fit_scores import trajectories as _traj
from fit_scores._core import segments as _seg
from fit_scores._core.errorlog import ReasonColumn
from fit_scores._core.rules import NO_DAY, RATERS
from fit_scores._core.tracks import BANDS
from fit_scores._messages import errors as _reasons
from fit_scores.alliance import AllianceRules
from fit_scores.change.data import ChangeData, LongSeries
from fit_scores.errors import TableInputError, TrajectoryInputError
from fit_scores.i18n import normalise_locale
from fit_scores.io.columns import Codes
from fit_scores.io.writers import ColumnOutputs, to_csv, to_json, to_pandas, to_records
from fit_scores.scales.model import Scale
from fit_scores.trajectories import STATUSES, TimeAxis, TrajectoryData, from_intake

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from fit_scores.table.summary import TrackSummary

__all__ = ["BANDS", "RATERS", "STATUSES", "ScoreTable", "TableErrors", "masked"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]
AnyArray = npt.NDArray[Any]
Masked = np.ma.MaskedArray

# BANDS (age bands, in code order), RATERS and STATUSES are re-exported from where they are
# defined (fit_scores._core.tracks, fit_scores._core.rules, fit_scores.trajectories): one
# tuple each, shared by the table, the summary and the single-track API.


def masked(values: npt.ArrayLike, mask: npt.ArrayLike) -> Masked:
    """A masked array of ``values`` (masked where ``mask``: missing, suppressed or undefined)."""
    return np.ma.masked_array(np.asarray(values), mask=np.asarray(mask, dtype=bool))


class _WrittenOnRead:
    """The ``reason`` field of :class:`TableErrors`: texts, or reasons written when first read.

    Set (by the dataclass's ``__init__``) to an object array of texts or a
    :class:`~fit_scores._core.errorlog.ReasonColumn`; read, it gives the
    texts, written once (threads reading at once all get the first written
    array). A field of the dataclass like any other: ``fields``, ``asdict``,
    ``replace``, pattern matching and pickling see ``reason``.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._given = f"_{name}_given"
        self._texts = f"_{name}_texts"

    def __get__(self, obj: object | None, objtype: type | None = None) -> ObjArray:
        if obj is None:  # (the class has no default value for the field)
            raise AttributeError("reason")
        state = obj.__dict__
        texts: ObjArray | None = state.get(self._texts)
        if texts is None:
            given = state[self._given]
            written = given.texts() if isinstance(given, ReasonColumn) else given
            texts = state.setdefault(self._texts, written)
        return texts

    def __set__(self, obj: object, value: ObjArray | ReasonColumn) -> None:
        obj.__dict__[self._given] = value
        obj.__dict__.pop(self._texts, None)

    def count(self, obj: object) -> int:
        """The number of reasons given (none written)."""
        return len(obj.__dict__[self._given])


@dataclass(frozen=True, eq=False, repr=False)
class TableErrors(ColumnOutputs):
    """The per-row error report of a :class:`ScoreTable`: one entry per problem found.

    A row can have several entries. Every rejected row has at least one, and
    every row with an entry is rejected.

    Attributes
    ----------
    n_input : int
        Number of input rows.
    row : ndarray of int
        Index of the row in the input (0-based; for CSV the data record after
        the header, blank lines not counted).
    column : ndarray of str
        The column the problem is in (``""`` for the row as a whole).
    error : ndarray of str
        Name of the :class:`~fit_scores.errors.FitScoresError` subclass that
        the single-record models raise for it (e.g. ``"ItemRangeError"``).
    reason : ndarray of str
        What is wrong, with the value and the rule. Reasons that quote
        several values (such as the neighbours of a session out of order)
        are written when this attribute is first read, not while the table
        is built; the texts are the same.

    Examples
    --------
    >>> from fit_scores.table import from_records
    >>> t = from_records([{"person": "p", "scale": "ORS", "date": "2025-01-10",
    ...                    "item_1": 5, "item_2": 5, "item_3": 10.5, "item_4": True}])
    >>> for e in t.errors.to_records():
    ...     print(e["row"], e["column"], e["error"])
    0 item_3 ItemRangeError
    0 item_4 ItemValueTypeError
    >>> t.n_input, t.n_valid, t.n_rejected
    (1, 0, 1)
    """

    n_input: int
    row: IntArray
    column: ObjArray
    error: ObjArray
    reason: _WrittenOnRead = _WrittenOnRead()

    def __post_init__(self) -> None:
        given = vars(TableErrors)["reason"].count(self)
        if given != self.row.shape[0]:
            raise TableInputError(f"{self.row.shape[0]} error rows but {given} reasons")

    def __len__(self) -> int:
        return int(self.row.size)

    def __repr__(self) -> str:
        return f"TableErrors({len(self)} errors in {self.n_rejected} of {self.n_input} rows)"

    @property
    def rows(self) -> IntArray:
        """The rejected rows (sorted, each once)."""
        return np.unique(self.row)

    @property
    def n_rejected(self) -> int:
        """Number of rejected rows."""
        return int(self.rows.size)

    def localised(self, locale: str = "nb") -> TableErrors:
        """The same report with every reason in ``locale`` (nb, nn or en).

        The reasons of the rules layer and of the readers have templates in
        every locale (see :func:`fit_scores.localise_reason`); a reason without
        one stays as it is. Each distinct reason is translated once.

        Examples
        --------
        >>> from fit_scores.table import from_records
        >>> t = from_records([{"person": "p", "scale": "ORS", "date": "2025-01-10",
        ...                    "total": 25.0, "age": 140}])
        >>> t.errors.localised("nb").reason.tolist()
        ['alder = 140 er utenfor 0-130 år']
        """
        loc = normalise_locale(locale)
        distinct, inverse = np.unique(self.reason.astype(str), return_inverse=True)
        texts = np.array([_reasons.localise(r, loc) for r in distinct.tolist()], dtype=object)
        reasons = texts[inverse.reshape(-1)] if self.reason.size else self.reason
        return TableErrors(self.n_input, self.row, self.column, self.error, reasons)

    def counts(self) -> dict[tuple[str, str], int]:
        """Number of entries per ``(column, error)``."""
        out: dict[tuple[str, str], int] = {}
        for key in zip(self.column.tolist(), self.error.tolist(), strict=True):
            out[key] = out.get(key, 0) + 1
        return out

    def _columns(self) -> list[tuple[str, Any]]:
        return [
            ("row", self.row),
            ("column", self.column),
            ("error", self.error),
            ("reason", self.reason),
        ]


@dataclass(frozen=True, eq=False, repr=False)
class ScoreTable:
    """Validated, exactly scored administrations, sorted into tracks.

    Build one with :func:`from_columns`, :func:`from_records`,
    :func:`from_pandas`, :func:`from_polars`, :func:`parse_csv` or
    :func:`parse_json`. The valid rows are sorted by person, scale, rater,
    rater id, episode, date and session; a track is a contiguous run of rows
    starting at :attr:`track_starts`. :meth:`summarize` gives one row per
    track; :meth:`trajectories` and :meth:`pre_post` are views of the same
    rows for the expected-response models and the change analyses (track
    ``k`` of a view is row ``k`` of the summary).

    Attributes
    ----------
    n_input : int
        Number of input rows (``n_valid + n_rejected``).
    row : ndarray of int
        Index in the input of every valid row.
    scales : tuple of Scale
        The scales used; :attr:`scale_index` points into it.
    scale_index : ndarray of int
        The scale of every row.
    rater_code : ndarray of int8
        The rater of every row as an index into :data:`RATERS`.
    days : ndarray of int
        Date of every row, in days since 1970-01-01 (see :attr:`date`).
    session_number : ndarray of int
        Session numbers; 0 where none was given (see :attr:`session`).
    age_years : ndarray of int
        Age in completed years (given or derived from the birth date); -1 if
        unknown (see :attr:`age`).
    skip : ndarray of bool
        Meetings where the form was not filled in (no score).
    has_items : ndarray of bool
        Rows scored from items (else from the total alone, or skipped).
    item_ticks, answered : ndarray, shape (n, k)
        Item scores in ticks of the row's scale, and which items are answered
        (gathered on first use from ``input_item_ticks`` and
        ``input_answered``, which hold every input row).
    total_num, total_den : ndarray of int
        The exact total in ticks is ``total_num / total_den``; ``0 / 0`` for a
        skipped row.
    track_starts : ndarray of int
        Offsets of the tracks.
    errors : TableErrors
        The rejected rows and why.

    Examples
    --------
    >>> from fit_scores.table import from_records
    >>> t = from_records([
    ...     {"person": "p", "scale": "ORS", "date": "2025-01-10",
    ...      "item_1": 0.7, "item_2": 8.1, "item_3": 7.5, "item_4": 8.7},
    ...     {"person": "p", "scale": "ORS", "date": "2025-02-10", "skip": True},
    ... ])
    >>> t.total.tolist(), t.total_num.tolist(), t.total_den.tolist()
    ([25.0, nan], [250, 0], [1, 0])
    """

    n_input: int
    row: IntArray
    person_codes: Codes
    scales: tuple[Scale, ...]
    scale_index: IntArray
    rater_code: npt.NDArray[np.int8]
    rater_id_codes: Codes
    episode_codes: Codes
    days: IntArray
    session_number: IntArray
    age_years: IntArray
    input_birth_days: IntArray | None
    skip: BoolArray
    has_items: BoolArray
    input_item_ticks: AnyArray
    input_answered: BoolArray
    total_num: IntArray
    total_den: IntArray
    ending_codes: Codes | None
    group_codes: dict[str, Codes]
    track_starts: IntArray
    errors: TableErrors

    # --- sizes -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.row.size)

    def __repr__(self) -> str:
        return (
            f"ScoreTable(n_input={self.n_input}, n_valid={self.n_valid}, "
            f"n_rejected={self.n_rejected}, n_tracks={self.n_tracks}, "
            f"scales={[s.key for s in self.scales]})"
        )

    @cached_property
    def item_ticks(self) -> AnyArray:
        """Item scores in ticks, shape (n, k); 0 where unanswered."""
        return _gather_columns(self.input_item_ticks, self.row)

    @cached_property
    def answered(self) -> BoolArray:
        """Which items are answered, shape (n, k)."""
        return _gather_columns(self.input_answered, self.row)

    @cached_property
    def birth_days(self) -> IntArray | None:
        """Birth dates in days since 1970 (``None`` without a birth_date column)."""
        if self.input_birth_days is None:
            return None
        out: IntArray = self.input_birth_days[self.row]
        return out

    @property
    def n_valid(self) -> int:
        """Number of valid rows."""
        return len(self)

    @property
    def n_rejected(self) -> int:
        """Number of rejected input rows."""
        return self.errors.n_rejected

    @property
    def n_tracks(self) -> int:
        """Number of tracks."""
        return int(self.track_starts.size)

    @property
    def n_items(self) -> int:
        """Number of item columns (``item_1`` ... ``item_k``)."""
        return int(self.input_item_ticks.shape[1])

    @property
    def track_of_row(self) -> IntArray:
        """The track index of every row."""
        return _seg.segment_ids(self.track_starts, len(self))

    @property
    def group_names(self) -> tuple[str, ...]:
        """Names of the grouping columns."""
        return tuple(self.group_codes)

    # --- columns ---------------------------------------------------------------------------

    @property
    def person(self) -> ObjArray:
        """Person of every row (text)."""
        return self.person_codes.values()

    @property
    def scale(self) -> ObjArray:
        """Scale key of every row."""
        keys = np.array([s.key for s in self.scales], dtype=object)
        return np.asarray(keys[self.scale_index], dtype=object)

    @property
    def rater(self) -> ObjArray:
        """Rater of every row."""
        return np.asarray(np.array(RATERS, dtype=object)[self.rater_code], dtype=object)

    @property
    def rater_id(self) -> ObjArray:
        """Rater id of every row (``None`` if none)."""
        return self.rater_id_codes.values()

    @property
    def episode(self) -> ObjArray:
        """Episode of every row (``None`` if none)."""
        return self.episode_codes.values()

    @property
    def date(self) -> npt.NDArray[np.datetime64]:
        """Date of every row."""
        return self.days.astype("datetime64[D]")

    @property
    def session(self) -> Masked:
        """Session numbers (masked where none was given)."""
        return np.ma.masked_array(self.session_number, mask=self.session_number == 0)

    @property
    def age(self) -> Masked:
        """Age in completed years (masked where unknown)."""
        return np.ma.masked_array(self.age_years, mask=self.age_years < 0)

    @property
    def ticks_per_unit(self) -> IntArray:
        """Ticks per score unit of every row's scale."""
        tpu = np.array([s.ticks_per_unit for s in self.scales], dtype=np.int64)
        out: IntArray = tpu[self.scale_index]
        return out

    @property
    def total(self) -> FloatArray:
        """The total of every row as a float, NaN for a skipped row (for display)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            out: FloatArray = self.total_num / (self.total_den * self.ticks_per_unit)
        return np.where(self.total_den > 0, out, np.nan)

    @property
    def items(self) -> FloatArray:
        """Item scores as floats, NaN where unanswered or not given (total-only rows)."""
        tpu = self.ticks_per_unit[:, np.newaxis]
        out: FloatArray = np.where(self.answered, self.item_ticks / tpu, np.nan)
        return out

    @property
    def groups(self) -> dict[str, ObjArray]:
        """The grouping columns (text, ``None`` where empty)."""
        return {name: codes.values() for name, codes in self.group_codes.items()}

    @property
    def ending_reason(self) -> ObjArray:
        """The ending reason of every row (``None`` where empty)."""
        if self.ending_codes is None:
            return np.full(len(self), None, dtype=object)
        return self.ending_codes.values()

    # --- outputs ---------------------------------------------------------------------------

    def _columns(self) -> list[tuple[str, Any]]:
        cols: list[tuple[str, Any]] = [
            ("person", self.person_codes),
            ("scale", self.scale),
            ("rater", self.rater),
            ("rater_id", self.rater_id_codes),
            ("date", self.date),
            ("session", self.session),
            ("episode", self.episode_codes),
            ("age", self.age),
        ]
        if self.birth_days is not None:
            nat = self.birth_days == NO_DAY
            birth = np.where(nat, np.datetime64("NaT"), self.birth_days.astype("datetime64[D]"))
            cols.append(("birth_date", birth.astype("datetime64[D]")))
        cols.append(("skip", self.skip))
        items = self.items
        for j in range(self.n_items):
            cols.append((f"item_{j + 1}", items[:, j]))
        cols.append(("total", self.total))
        if self.ending_codes is not None:
            cols.append(("ending_reason", self.ending_codes))
        cols.extend(self.group_codes.items())
        return cols

    def to_records(self) -> list[dict[str, Any]]:
        """The valid rows as input-style records (``None`` for missing values).

        Reading them back with :func:`from_records` gives the same table.
        """
        return to_records(self._columns())

    def to_pandas(self) -> pd.DataFrame:
        """The valid rows as a pandas DataFrame with the input columns (needs pandas)."""
        return to_pandas(self._columns())

    def to_csv(self) -> str:
        """The valid rows as CSV text with the input columns (reads back with :func:`parse_csv`)."""
        return to_csv(self._columns())

    def to_json(self) -> str:
        """The valid rows as a JSON array of records (reads back with :func:`parse_json`)."""
        return to_json(self._columns())

    # --- views -----------------------------------------------------------------------------

    def times(self, axis: TimeAxis = "session") -> FloatArray:
        """The time of every row on a trajectory axis; NaN for a skipped meeting.

        The rule of :meth:`Track.times <fit_scores.Track.times>`, on every
        track at once: ``"session"`` gives the session numbers when every
        scored row of the track has one, else the positions 1, 2, ... of its
        scored rows; ``"days"`` the days since the track's first scored date.
        The summary's ``expected_at`` is this at the latest score.

        Parameters
        ----------
        axis : {"session", "days"}
            The time axis.

        Returns
        -------
        ndarray of float, shape (n,)

        Raises
        ------
        TableInputError
            If ``axis`` is not ``"session"`` or ``"days"``.

        Examples
        --------
        >>> from fit_scores.table import from_columns
        >>> t = from_columns({"person": ["a", "a", "a", "b", "b"], "scale": ["ORS"] * 5,
        ...                   "date": ["2025-01-10", "2025-01-17", "2025-02-09",
        ...                            "2025-01-10", "2025-01-11"],
        ...                   "session": [1, 2, 4, None, 2],
        ...                   "total": [20.0, None, 22.0, 25.0, 26.0],
        ...                   "skip": [False, True, False, False, False]})
        >>> t.times("session").tolist(), t.times("days").tolist()
        ([1.0, nan, 4.0, 1.0, 2.0], [0.0, nan, 30.0, 0.0, 1.0])
        """
        if axis not in ("session", "days"):
            raise TableInputError(f"axis must be 'session' or 'days', got {axis!r}")
        return track_times(self.skip, self.session_number, self.days, self.track_starts, axis)

    def trajectories(
        self, axis: TimeAxis = "session", *, scale: str | Scale | None = None
    ) -> TrajectoryData:
        """The scored rows of one scale as :class:`~fit_scores.TrajectoryData`.

        The input of :func:`~fit_scores.fit_expected_response`, which also
        takes the table itself. A view: the rows are already in track order
        and are not sorted again.

        Parameters
        ----------
        axis : {"session", "days"}
            Session numbers (when every scored row of a track has one, else
            the positions 1, 2, ...) or days since the track's first scored
            date, as :meth:`times` (and :meth:`Track.times
            <fit_scores.Track.times>`), counted from each track's intake as the
            models read them (:func:`~fit_scores.trajectories.axis.from_intake`:
            sessions 2, 3, 6 are 1, 2, 5).
        scale : str or Scale, optional
            The scale; required when the table holds more than one.

        Returns
        -------
        TrajectoryData
            One track per track of the table with at least one score;
            ``track_ids`` are the tracks' row indexes in :meth:`summarize`,
            so that results join back. ``higher_is_better`` is the scale's.

        Raises
        ------
        TableInputError
            If ``scale`` is missing on a table of several scales, or not in
            the table.
        TrajectoryInputError
            On the days axis, if a track has two scores on one date (as
            :meth:`TrajectoryData.from_tracks
            <fit_scores.TrajectoryData.from_tracks>` would).

        Examples
        --------
        >>> from fit_scores.table import from_columns
        >>> t = from_columns({"person": ["a", "a", "b"], "scale": ["ORS"] * 3,
        ...                   "date": ["2025-01-10", "2025-02-09", "2025-01-10"],
        ...                   "total": [20.0, 24.5, 30.0]})
        >>> data = t.trajectories("days")
        >>> data.track_ids.tolist(), data.time.tolist(), data.score.tolist()
        ([0, 1], [0.0, 30.0, 0.0], [20.0, 24.5, 30.0])
        """
        s = self._scale_position(scale)
        rows = np.flatnonzero(~self.skip & (self.scale_index == s))
        time = self.times(axis)[rows]
        track = self.track_of_row[rows]
        starts = _seg.starts_of(track)
        ties = _seg.segment_ties(time, starts)
        if ties.size:
            r = int(rows[ties[0]])
            raise TrajectoryInputError(
                f"input row {int(self.row[r])}: two scores of track {int(track[ties[0]])} "
                f"(person {self.person_codes.take(np.array([r])).values()[0]!r}) at the same "
                f"{'day' if axis == 'days' else 'session'}; use axis='session'"
            )
        counts = _seg.segment_counts(starts, time.size)
        time = from_intake(time, np.repeat(time[starts], counts), axis)  # as every model reads it
        return TrajectoryData(
            track_ids=track[starts],
            starts=starts,
            time=time,
            score=self.total[rows],
            axis=axis,
            covariates={},
            higher_is_better=self.scales[s].higher_is_better,
        )

    def pre_post(
        self,
        *,
        scale: str | Scale | None = None,
        by: str | None = None,
        ids: Literal["track", "person"] = "track",
    ) -> ChangeData:
        """Intake and latest score of every track of one scale, for the change analyses.

        The same two scores as the summary's ``intake`` and ``latest`` (the
        first and the last scored row), as a :class:`~fit_scores.ChangeData`
        for :func:`~fit_scores.clinical_significance`,
        :func:`~fit_scores.reliable_change` and friends; with every scored row
        on the session axis as its long series, so that ``method="HLM"`` works.

        Parameters
        ----------
        scale : str or Scale, optional
            The scale; required when the table holds more than one.
        by : str, optional
            A column that groups the tracks (the pairs' ``group``): a grouping
            column (its last non-empty value in the track, as in the summary),
            ``"rater"``, ``"rater_id"``, ``"episode"`` or ``"ending_reason"``.
        ids : {"track", "person"}
            Identify a pair by the track's row index in :meth:`summarize`
            (default; results join back to the summary) or by the person.

        Returns
        -------
        ChangeData
            ``n_original`` is the number of tracks of the scale; tracks with
            fewer than two scores are left out and listed in ``excluded``.

        Raises
        ------
        TableInputError
            If ``scale`` is missing on a table of several scales, or not in
            the table, or ``by`` is not a column of the table.

        Examples
        --------
        >>> from fit_scores import clinical_significance
        >>> from fit_scores.table import from_columns
        >>> t = from_columns({"person": ["a", "a", "b", "b", "c"], "scale": ["ORS"] * 5,
        ...                   "date": ["2025-01-10", "2025-03-01"] * 2 + ["2025-01-10"],
        ...                   "total": [15.0, 27.0, 18.0, 20.0, 30.0]})
        >>> data = t.pre_post()
        >>> data.ids.tolist(), data.pre.tolist(), data.post.tolist(), data.excluded.tolist()
        ([0, 1], [15.0, 18.0], [27.0, 20.0], [2])
        >>> clinical_significance(data, higher_is_better=True, reliability=0.9,
        ...                       cutoff_type="a").category.tolist()
        ['recovered', 'improved']
        """
        s = self._scale_position(scale)
        if ids not in ("track", "person"):
            raise TableInputError(f"ids must be 'track' or 'person', got {ids!r}")
        starts = self.track_starts
        scored = ~self.skip
        tracks = np.flatnonzero(self.scale_index[starts] == s)
        n_scored = _seg.segment_sum(scored, starts)[tracks]
        first = _seg.segment_first_where(scored, starts)[tracks]
        last = _seg.segment_last_where(scored, starts)[tracks]
        two = n_scored >= 2
        if ids == "track":
            track_id = np.arange(self.n_tracks, dtype=np.int64).astype(object)
        else:
            track_id = self.person_codes.take(starts).values()
        group = None if by is None else self._track_labels(by)[tracks]
        total = self.total
        rows = np.flatnonzero(scored & (self.scale_index == s))
        row_track = self.track_of_row[rows]
        long = LongSeries(
            ids=np.asarray(track_id[row_track], dtype=object),
            time=self.times("session")[rows],
            outcome=total[rows],
            starts=_seg.starts_of(row_track),
        )
        return ChangeData(
            ids=track_id[tracks[two]],
            pre=total[first[two]],
            post=total[last[two]],
            group=None if group is None else group[two],
            n_original=int(tracks.size),
            long=long,
            excluded=track_id[tracks[~two]],
        )

    def _scale_position(self, scale: str | Scale | None) -> int:
        """The index into :attr:`scales` of the one scale a view is of."""
        keys = [s.key for s in self.scales]
        if scale is None:
            if len(keys) == 1:
                return 0
            if not keys:
                raise TableInputError("the table has no valid rows, so no scale to view")
            raise TableInputError(f"the table holds the scales {keys}; choose one with scale=")
        key = scale.key if isinstance(scale, Scale) else str(scale)
        matches = [i for i, k in enumerate(keys) if k == key]
        if not matches:
            matches = [i for i, k in enumerate(keys) if k.casefold() == key.casefold()]
        if len(matches) != 1:
            raise TableInputError(f"scale {key!r} is not in the table (its scales: {keys})")
        return matches[0]

    def _track_labels(self, name: str) -> ObjArray:
        """A text column per track (the summary's value of it), by name."""
        starts = self.track_starts
        if name in self.group_codes or name == "ending_reason":
            codes = self.group_codes.get(name, self.ending_codes)
            if codes is None:
                return np.full(starts.size, None, dtype=object)
            return Codes(_seg.segment_last_code(codes.codes, starts), codes.labels).values()
        if name == "rater":
            return np.asarray(np.array(RATERS, dtype=object)[self.rater_code[starts]], dtype=object)
        if name in ("rater_id", "episode"):
            column = self.rater_id_codes if name == "rater_id" else self.episode_codes
            return column.take(starts).values()
        names = ["rater", "rater_id", "episode", "ending_reason", *self.group_codes]
        raise TableInputError(f"by={name!r} is not a column of the table; use one of {names}")

    # --- summary ---------------------------------------------------------------------------

    def summarize(
        self,
        *,
        model: _traj.GrowthModel | _traj.CohortModel | _traj.NeighboursModel | None = None,
        rules: AllianceRules | None = None,
        status_rule: _traj.StatusRule | None = None,
        non_reliable_recovery: bool = False,
    ) -> TrackSummary:
        """One row per track: counts, dates, intake, latest, change and signals.

        Computed with the same kernels as the single-track API
        (:meth:`Track.change() <fit_scores.Track.change>`,
        :meth:`Track.alliance_signals() <fit_scores.Track.alliance_signals>`,
        ``model.status(track)``), on whole columns. Intake and latest are the
        first and the last *scored* administration; skipped meetings count
        in ``n`` and ``n_skipped`` and in the dates, not in the scores or the
        signals.

        Parameters
        ----------
        model : GrowthModel, CohortModel or NeighboursModel, optional
            A fitted expected-response model: adds ``expected_at``,
            ``expected`` (the expected line at the latest score) and
            ``expected_status``, as ``model.status(track)`` would: the same
            kernels (``model.expected_bands`` at the time of the latest score,
            :meth:`times`, and :func:`~fit_scores.trajectories.status_codes`),
            on every track at once. A neighbours model must be fitted without
            covariates.
        rules : AllianceRules, optional
            Thresholds of the alliance signals.
        status_rule : StatusRule, optional
            How the latest score is compared with the expected band.
        non_reliable_recovery : bool
            As in :meth:`Track.change() <fit_scores.Track.change>`.

        Returns
        -------
        TrackSummary

        Notes
        -----
        Columns: ``person, scale, rater, rater_id, episode``, the grouping
        columns (each the last non-empty value in the track), ``n,
        n_scored, n_skipped, first_date, latest_date, days_in_contact``
        (latest minus first meeting), ``age`` and ``age_band`` (at intake),
        ``intake_date, intake, latest_score_date, latest, change`` (latest -
        intake, with two or more scores), ``reliable, reliably_improved,
        reliably_deteriorated`` (the scale's criterion, exact in ticks),
        ``clinical_intake, clinical_latest`` (each against the cutoff of its
        own age band and rater; missing where the age is unknown and the bands
        differ, or no cutoff is published), ``category`` (as
        ``Track.change().category``), ``recovery_judged`` (false where a
        cutoff depends on the age and the age is unknown at intake or at the
        latest score: the category then rests on reliable change alone, and
        the track must be left out of any share recovered rather than counted
        as not recovered; masked with fewer than two scores); for alliance
        tracks the signals of the
        latest score ``below_cutoff, drop, item_below, ceiling`` and how many
        scores of the track raised each (``n_below_cutoff`` ...);
        ``ending_reason`` (the last non-empty one); ``expected_at, expected,
        expected_status``.

        Examples
        --------
        >>> from fit_scores.table import from_columns
        >>> t = from_columns({"person": ["a", "a"], "scale": ["SRS", "SRS"],
        ...                   "date": ["2025-01-10", "2025-01-17"],
        ...                   "total": [38.0, 36.5]})
        >>> s = t.summarize()
        >>> s["below_cutoff"].tolist(), s["drop"].tolist(), s["n_drop"].tolist()
        ([False], [True], [1])
        """
        # deferred: the summary module builds on this one (it reads a ScoreTable)
        from fit_scores.table.summary import summarize_table

        return summarize_table(
            self,
            model=model,
            rules=AllianceRules() if rules is None else rules,
            status_rule=_traj.StatusRule() if status_rule is None else status_rule,
            non_reliable_recovery=non_reliable_recovery,
        )


def track_times(
    skip: BoolArray,
    session_number: IntArray,
    days: IntArray,
    starts: IntArray,
    axis: TimeAxis,
) -> FloatArray:
    """The rule of :meth:`ScoreTable.times` on rows of whole tracks (tracks at ``starts``).

    The time of a row depends only on the rows of its own track, so any run
    of whole tracks (the summary works in blocks of them) gets the times it
    has in the whole table.
    """
    n = skip.size
    if n == 0:
        return np.zeros(0, dtype=np.float64)
    counts = _seg.segment_counts(starts, n)
    scored = ~skip
    if axis == "session":
        numbered_rows = scored & (session_number > 0)
        if np.array_equal(numbered_rows, scored):  # every scored row has a session number
            t = session_number
        else:
            n_scored = _seg.segment_sum(scored, starts)
            numbered = _seg.segment_sum(numbered_rows, starts)
            seen = np.cumsum(scored, dtype=np.int64)  # scored rows up to each row
            before = seen[starts] - scored[starts]
            position = seen - np.repeat(before, counts)
            all_numbered = np.repeat(numbered == n_scored, counts)
            t = np.where(all_numbered, session_number, position)
    else:
        first = _seg.segment_first_where(scored, starts)
        t = days - np.repeat(days[np.maximum(first, 0)], counts)
    out: FloatArray = np.where(scored, t, np.nan)
    return out


def _gather_columns(matrix: AnyArray, rows: IntArray) -> AnyArray:
    """``matrix[rows]`` one column at a time (fast for a few columns; column-major result)."""
    out = np.empty((rows.size, matrix.shape[1]), dtype=matrix.dtype, order="F")
    for j in range(matrix.shape[1]):
        out[:, j] = matrix[:, j][rows]
    return out
