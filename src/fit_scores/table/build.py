"""Building a score table: classify the columns, read them, apply the rules, sort into tracks.

:func:`build_table` is what every reader of :mod:`fit_scores.io.readers`
ends in. Whole text columns (person, scale, rater, rater id, episode,
grouping columns) are read and factorised once; the row rules
(:func:`fit_scores._core.rules.check_rows`) run a chunk of rows at a time on
the typed columns that :func:`fit_scores.io.columns.parse_row_columns`
reads; then the valid rows are sorted into tracks with one sort and the
track rules (duplicates, session order) run on the sorted rows.

Lean on memory: codes are int32, item ticks the narrowest integer that holds
the scales' ranges, a key column that is absent or constant is a read-only
broadcast view, and every pass over whole columns runs a block of rows at a
time. The sort packs the key columns and the row into one int64 (bit fields)
and sorts it in place; the key columns of the sorted rows are decoded from it,
and the other per-row values are packed into one narrow word per row before
they are gathered in track order (one random access per row instead of one
per column).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from fit_scores._core import parallel as _parallel
from fit_scores._core import rules as _rules
from fit_scores._core import segments as _seg
from fit_scores._core import track_rules as _track_rules
from fit_scores._core.calendar import as_of_day
from fit_scores._core.parallel import map_beside, workers_for
from fit_scores._core.rules import (
    NO_DAY,
    ErrorLog,
    RowScores,
    log_unknown_raters,
    rater_codes,
)
from fit_scores._core.text import required
from fit_scores.errors import FieldError, TableInputError, UnknownScaleError
from fit_scores.io.columns import Codes, LabelKind, RawColumn, parse_labels, parse_row_columns
from fit_scores.io.names import FIELD_COLUMNS
from fit_scores.io.tokenizer import as_array
from fit_scores.scales.model import Scale
from fit_scores.scales.registry import ScaleRegistry, default_registry
from fit_scores.table.container import ScoreTable, TableErrors

__all__ = ["REQUIRED_COLUMNS", "build_table"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
AnyArray = npt.NDArray[Any]

_FIELDS = FIELD_COLUMNS  # the one list of the columns the rules read
#: The columns every table needs.
REQUIRED_COLUMNS = ("person", "scale", "date")
_ITEM_COLUMN = re.compile(r"item_([0-9]+)\Z")
#: Rows checked at a time: the temporaries of a chunk stay small (cache, no page faults).
_CHUNK = 1 << 17
#: Rows of a whole-column pass (packing, decoding, gathering) handled at a time.
_BLOCK = 1 << 20
#: The columns read row by row (besides the items; the labels are read as whole columns).
_ROW_FIELDS = ("date", "session", "age", "birth_date", "total", "skip")
#: The key columns of the sort, most significant first.
_KEY_NAMES = ("person", "scale", "rater", "rater_id", "episode", "days", "session")


def _classify_columns(names: Sequence[Any]) -> tuple[dict[int, str], list[str]]:
    items: dict[int, str] = {}
    groups: list[str] = []
    for name in names:
        if not isinstance(name, str) or not name:
            raise TableInputError(f"column names must be non-empty text, got {name!r}")
        if name in _FIELDS:
            continue
        match = _ITEM_COLUMN.match(name)
        if match is not None:
            digits = match.group(1)
            if digits.startswith("0"):
                raise TableInputError(
                    f"column {name!r}: item columns are item_1, item_2, ... (from 1, "
                    "no leading zeros)"
                )
            items[int(digits)] = name
        elif name == "items":
            raise TableInputError(
                "column 'items': give the item scores in columns item_1 ... item_k, "
                "in the scale's item order"
            )
        else:
            groups.append(name)
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise TableInputError(
            f"required column(s) {missing} missing; a table needs person, scale and date "
            f"(columns given: {list(names)})"
        )
    return items, groups


def build_table(
    columns: Mapping[str, RawColumn],
    n: int | None = None,
    *,
    text: bool,
    registry: ScaleRegistry | None,
    log: ErrorLog,
    as_of: dt.date | None = None,
) -> ScoreTable:
    """Validate, score and sort ``n`` rows of raw columns into a :class:`ScoreTable`.

    Parameters
    ----------
    columns : mapping of str to ndarray
        One-dimensional arrays of ``n`` values each (``n`` may be omitted:
        the common length of the columns).
    n : int, optional
        The number of input rows.
    text : bool
        Whether every value is text (CSV).
    registry : ScaleRegistry or None
        Where scale keys are looked up (``None``: the default registry).
    log : ErrorLog
        The error log, possibly with entries of the reader already.
    as_of : datetime.date, optional
        The day of the check (default: today): a row dated after it is
        rejected (:class:`~fit_scores.errors.DateError`).

    Returns
    -------
    ScoreTable

    Raises
    ------
    TableInputError
        If the columns cannot form a table.
    """
    if n is None:
        lengths = {name: len(arr) for name, arr in columns.items()}
        if len(set(lengths.values())) > 1:
            raise TableInputError(f"columns differ in length: {lengths}")
        n = next(iter(lengths.values()), 0)
    as_of_days = as_of_day(as_of)
    reg = default_registry() if registry is None else registry
    if not isinstance(reg, ScaleRegistry):
        raise TableInputError(f"registry must be a ScaleRegistry, got {type(reg).__name__}")
    names = list(columns)
    item_names, group_names = _classify_columns(names)
    k = max(item_names, default=0)

    # whole columns: keys first (the row checks need the scales and raters), then the
    # identifiers and labels, factorised once, beside the row checks
    scale_codes = _required_labels(columns["scale"], "scale", log, kind="key")
    scales, scale_index = _resolve_scales(scale_codes, reg, log)
    del scale_codes
    rater_code, rater_ok = _rater_codes(columns.get("rater"), n, log)
    ending_raw = columns.get("ending_reason")

    def labels() -> _Labels:
        """The identifier and label columns (logged into ``log`` by this one thread)."""
        return _Labels(
            person=_required_labels(columns["person"], "person", log, kind="identifier"),
            rater_id=_optional_labels(columns.get("rater_id"), "rater_id", log, n),
            episode=_optional_labels(columns.get("episode"), "episode", log, n),
            ending=_optional_labels(ending_raw, "ending_reason", log, n, kind="group"),
            groups={
                name: parse_labels(columns[name], name, log, kind="group")[0]
                for name in group_names
            },
        )

    # row by row checks and scores, a chunk of rows at a time (chunks on several threads:
    # numpy lets go of the interpreter in its loops; every chunk writes its own rows and
    # logs into its own log, merged in row order)
    row_names = [name for name in (*_ROW_FIELDS, *item_names.values()) if name in columns]
    values = _allocate_scores(n, k, scales, birth="birth_date" in columns)

    check_part = functools.partial(
        _check_part,
        columns={name: as_array(columns[name]) for name in row_names},
        item_names=item_names,
        k=k,
        scale_index=scale_index,
        rater=(rater_code, rater_ok),
        text=text,
        scales=scales,
        values=values,
        as_of=as_of_days,
    )
    chunks, workers = _row_parts(n)
    found, chunk_logs = map_beside(labels, check_part, chunks, workers=workers)
    person, rater_id, episode, ending, groups = (
        found.person,
        found.rater_id,
        found.episode,
        found.ending,
        found.groups,
    )
    del found, labels
    for chunk_log in chunk_logs:
        log.extend(chunk_log)
    del chunk_logs, check_part

    # the rater id of a self-rating is the person (stored as empty) or empty
    rater_id = Codes(_rules.check_self_rater(person, rater_id, rater_code, log), rater_id.labels)

    # sort the rows that passed every row check into tracks (the sources are released
    # as soon as the sort key is built)
    valid = ~log.rejected(n)
    person_labels, rater_id_labels, episode_labels = person.labels, rater_id.labels, episode.labels
    sources: list[AnyArray] = [
        person.codes,
        scale_index,
        rater_code,
        rater_id.codes,
        episode.codes,
        values.days,
        values.session,
    ]
    del person, scale_index, rater_code, rater_ok, rater_id, episode
    rest = (values.age, values.skip, values.has_items, values.num, values.den)
    item_ticks, answered, birth = values.ticks, values.answered, values.birth
    del values
    rows, parts = _sort_tracks(valid, sources)
    keep = _track_rules.check_tracks(
        rows, parts["track"], parts["time"], parts["days"], parts["session"], log
    )
    del parts["time"]
    if not keep.all():
        rows = rows[keep]
        parts = {name: _compress(part, keep) for name, part in parts.items()}
    track_starts = _seg.starts_of(parts.pop("track"))

    # the other values of the sorted rows: packed into words, gathered once (the list of
    # sources is emptied as they are packed)
    group_labels = {name: codes.labels for name, codes in groups.items()}
    per_row = [*rest, *(codes.codes for codes in groups.values())]
    types: list[npt.DTypeLike] = [np.int64, np.bool_, np.bool_, np.int64, np.int64]
    types += [codes.codes.dtype for codes in groups.values()]
    ending_labels = ending.labels
    if ending_raw is not None:
        per_row.append(ending.codes)
        types.append(ending.codes.dtype)
    del rest, groups, ending
    gathered = _gather_rows(per_row, types, rows, valid)
    del valid
    age, skip, has_items, num, den = gathered[:5]
    group_codes = {
        name: Codes(gathered[5 + i], labels)
        for i, (name, labels) in enumerate(group_labels.items())
    }
    errors = TableErrors(n, *log.report(["", *names]))
    return ScoreTable(
        n_input=n,
        row=rows,
        person_codes=Codes(parts["person"], person_labels),
        scales=tuple(scales),
        scale_index=parts["scale"],
        rater_code=parts["rater"],
        rater_id_codes=Codes(parts["rater_id"], rater_id_labels),
        episode_codes=Codes(parts["episode"], episode_labels),
        days=parts["days"],
        session_number=parts["session"],
        age_years=age,
        input_birth_days=birth,
        skip=skip,
        has_items=has_items,
        input_item_ticks=item_ticks,
        input_answered=answered,
        total_num=num,
        total_den=den,
        ending_codes=None if ending_raw is None else Codes(gathered[-1], ending_labels),
        group_codes=group_codes,
        track_starts=track_starts,
        errors=errors,
    )


@dataclass(frozen=True, eq=False)
class _Labels:
    """The identifier and label columns of a table, parsed beside the row checks."""

    person: Codes
    rater_id: Codes
    episode: Codes
    ending: Codes
    groups: dict[str, Codes]


def _check_part(
    part: slice,
    *,
    columns: Mapping[str, AnyArray],
    item_names: Mapping[int, str],
    k: int,
    scale_index: AnyArray,
    rater: tuple[npt.NDArray[np.int8], BoolArray],
    text: bool,
    scales: Sequence[Scale],
    values: RowScores,
    as_of: int | None,
) -> ErrorLog:
    """Read, check and score the rows ``part``: the scores into ``values``, a log of its own."""
    chunk_log = ErrorLog(offset=part.start)
    typed = parse_row_columns(
        {name: column[part] for name, column in columns.items()},
        item_names,
        k,
        np.asarray(scale_index[part], dtype=np.int64),
        rater[0][part],
        rater[1][part],
        text=text,
        log=chunk_log,
    )
    _rules.check_rows(typed, scales, item_names, values.window(part), chunk_log, as_of=as_of)
    return chunk_log


def _row_parts(n: int) -> tuple[list[slice], int]:
    """The chunks of ``n`` rows checked one at a time, and the threads to check them on.

    A table of at least :data:`~fit_scores._core.parallel.PARALLEL_ROWS`
    rows is checked on several threads
    (:func:`~fit_scores._core.parallel.workers_for`), in equal chunks, a
    multiple of the threads. The chunks checked at once hold at
    most :data:`_CHUNK` rows together, so that the temporaries (and the peak
    memory) are those of one thread.
    """
    workers = workers_for(n, _parallel.MAX_WORKERS)
    count = max(1, -(-n // (_CHUNK // workers)))  # (the chunks in flight: one chunk's rows)
    count = -(-count // workers) * workers
    size = max(1, -(-n // count))
    return [slice(lo, min(n, lo + size)) for lo in range(0, n, size)], workers


def _allocate_scores(n: int, k: int, scales: Sequence[Scale], *, birth: bool) -> RowScores:
    """Room for the scores of ``n`` rows, in the narrowest types that hold them.

    Dates as int32 (days of years 1-9999), ages as int16 (-1 to
    :data:`~fit_scores._core.rules.MAX_AGE`), item ticks as the narrowest
    integer that holds every scale's item range (only items in range are
    stored); sessions and exact totals as int64.
    """
    widest = max(
        (max(abs(s.item_min), abs(s.item_max)) * s.ticks_per_unit for s in scales), default=0
    )
    ticks_type: type[np.signedinteger[Any]] = np.int64
    for candidate in (np.int8, np.int16, np.int32):
        if widest + 1 < np.iinfo(candidate).max:
            ticks_type = candidate
            break
    return RowScores(
        days=cast("IntArray", np.zeros(n, dtype=np.int32)),
        session=np.zeros(n, dtype=np.int64),
        age=cast("IntArray", np.full(n, -1, dtype=np.int16)),
        birth=np.full(n, NO_DAY, dtype=np.int64) if birth else None,
        skip=np.zeros(n, dtype=bool),
        has_items=np.zeros(n, dtype=bool),
        num=np.zeros(n, dtype=np.int64),
        den=np.zeros(n, dtype=np.int64),
        ticks=np.zeros((n, k), dtype=ticks_type, order="F"),
        answered=np.zeros((n, k), dtype=bool, order="F"),
    )


def _constant(n: int, value: int, dtype: npt.DTypeLike) -> AnyArray:
    """``n`` copies of ``value`` as a read-only broadcast view (no memory per row)."""
    return np.broadcast_to(np.array(value, dtype=dtype), (n,))


def _is_constant(arr: AnyArray) -> bool:
    """Whether ``arr`` is a broadcast view of one value (see :func:`_constant`)."""
    return arr.ndim == 1 and arr.shape[0] > 0 and arr.strides[0] == 0


def _compress(arr: AnyArray, keep: BoolArray) -> AnyArray:
    """``arr[keep]``, keeping a broadcast view a broadcast view."""
    if _is_constant(arr):
        return _constant(int(np.count_nonzero(keep)), arr[0], arr.dtype)
    return np.asarray(arr[keep])


def _value_range(values: AnyArray) -> tuple[int, int]:
    """Smallest and largest of ``values`` in every row (0, 0 when there are none).

    A range for packing the valid rows' values: it holds them (the rejected
    rows hold defaults, no wild values), and costs a pass with no copy.
    Where it is too wide to pack, :func:`_valid_range` is exact.
    """
    if values.shape[0] == 0:
        return 0, 0
    if _is_constant(values):
        return int(values[0]), int(values[0])
    return int(values.min()), int(values.max())


def _valid_range(values: AnyArray, valid: BoolArray, whole: bool) -> tuple[int, int]:
    """Smallest and largest of ``values`` in the valid rows (a block of rows at a time)."""
    if _is_constant(values):
        return int(values[0]), int(values[0])
    lo: int | None = None
    hi: int | None = None
    for start in range(0, values.shape[0], _BLOCK):
        block = values[start : start + _BLOCK]
        if not whole:
            block = block[valid[start : start + _BLOCK]]
        if block.size:
            b_lo, b_hi = int(block.min()), int(block.max())
            lo = b_lo if lo is None else min(lo, b_lo)
            hi = b_hi if hi is None else max(hi, b_hi)
    if lo is None or hi is None:
        return 0, 0
    return lo, hi


def _sort_tracks(valid: BoolArray, sources: list[AnyArray]) -> tuple[AnyArray, dict[str, AnyArray]]:
    """Sort the valid rows into tracks: the input rows in track order and their key columns.

    ``sources`` are the key columns of every input row (``person, scale,
    rater, rater_id, episode, days, session``); the list is emptied once the
    sort key is built, so that the columns can be released. Returns the
    sorted input rows and the key columns of the sorted rows (constant ones
    as broadcast views), a track key and a time key (equal keys: same track,
    or same track, date and session). Rows with equal keys keep their input
    order.

    The key columns, shifted to start at 0, and the input row are packed into
    bit fields of one int64 (most significant first) and sorted in place; the
    columns are decoded from the sorted key with shifts and masks. Where the
    fields need more than 63 bits: :func:`_sort_rows`.
    """
    n = valid.size
    m = int(np.count_nonzero(valid))
    whole = m == n
    ranges = [_value_range(src) for src in sources]  # (every row's: no copies)
    widths = [(hi - lo).bit_length() for lo, hi in ranges]
    row_bits = max(n - 1, 0).bit_length()
    if sum(widths) + row_bits > 63 and not whole:  # the valid rows' (narrower)
        ranges = [_valid_range(src, valid, whole) for src in sources]
        widths = [(hi - lo).bit_length() for lo, hi in ranges]
    if m == 0 or sum(widths) + row_bits > 63:
        return _sort_general(valid, sources)
    dtypes = [
        sources[0].dtype,
        np.dtype(np.int64),
        np.dtype(np.int8),
        sources[3].dtype,
        sources[4].dtype,
        np.dtype(np.int64),
        np.dtype(np.int64),
    ]
    # bit positions, from the least significant field (the row) up
    shifts = [0] * len(sources)
    position = row_bits
    for i in reversed(range(len(sources))):
        shifts[i] = position
        position += widths[i]
    used = [i for i in range(len(sources)) if widths[i]]

    key = np.empty(m, dtype=np.int64)
    filled = 0
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        block = np.arange(start, stop, dtype=np.int64)
        for i in used:  # (every row packed, the valid ones kept once: one copy, not one a field)
            field = sources[i][start:stop].astype(np.int64)
            if ranges[i][0]:
                field -= ranges[i][0]
            field <<= shifts[i]
            block |= field
        if not whole:
            block = np.compress(valid[start:stop], block)
        key[filled : filled + block.size] = block
        filled += block.size
    sources.clear()
    key.sort()

    rows = np.empty(m, dtype=np.int32 if n <= 2**31 else np.int64)
    parts: dict[str, AnyArray] = {}
    for i, name in enumerate(_KEY_NAMES):
        if widths[i]:
            parts[name] = np.empty(m, dtype=dtypes[i])
        else:
            parts[name] = _constant(m, ranges[i][0], dtypes[i])
    id_type = np.int32 if m < 2**31 else np.int64
    track = np.empty(m, dtype=id_type)
    time = np.empty(m, dtype=id_type)
    track_shift = shifts[4]  # the fields above the episode's shift: the track
    previous = [-1, -1]
    for start in range(0, m, _BLOCK):
        block = key[start : start + _BLOCK]
        rows[start : start + block.size] = block & ((1 << row_bits) - 1)
        for i in used:
            field = block >> shifts[i]
            field &= (1 << widths[i]) - 1
            if ranges[i][0]:
                field += ranges[i][0]
            parts[_KEY_NAMES[i]][start : start + block.size] = field
        for j, (shift, out) in enumerate(((track_shift, track), (row_bits, time))):
            group = block >> shift
            change = np.empty(block.size, dtype=bool)
            change[0] = start == 0 or group[0] != previous[j]
            np.not_equal(group[1:], group[:-1], out=change[1:])
            ids: AnyArray = np.cumsum(change, dtype=id_type)
            if start:
                ids += out[start - 1]
            else:
                ids -= 1
            out[start : start + block.size] = ids
            previous[j] = int(group[-1])
    del key
    parts["track"] = track
    parts["time"] = time
    return rows, parts


def _sort_general(
    valid: BoolArray, sources: list[AnyArray]
) -> tuple[AnyArray, dict[str, AnyArray]]:
    """:func:`_sort_rows` on the columns of :func:`_sort_tracks` (any number of key bits)."""
    person, scale, rater, rater_id, episode, days, session = sources
    sources.clear()
    rows, parts = _sort_rows(
        np.flatnonzero(valid),
        person,
        scale,
        rater,
        rater_id,
        episode,
        days,
        session,
    )
    parts["rater"] = parts["rater"].astype(np.int8)
    return rows, parts


def _gather_rows(
    sources: list[AnyArray],
    dtypes: Sequence[npt.DTypeLike],
    rows: AnyArray,
    valid: BoolArray,
) -> list[AnyArray]:
    """``source[rows]`` for every source (integer or boolean), as ``dtypes``.

    ``rows`` are valid rows. The values of the sources are shifted to start
    at 0 and packed (mixed radix) into as few words per row as hold them
    (int16 or int32), so that one random read per row gathers several
    columns; a constant column is not read at all (it is a broadcast view,
    as is a gathered column that is constant in the valid rows), and one
    whose range does not fit into 31 bits (in the valid rows, where every
    row's range is wider) is gathered as it is. The
    list of sources is emptied as they are packed (so that they can be
    released).
    """
    n = valid.size
    m = rows.size
    whole = bool(valid.all())
    outs: list[AnyArray] = [np.zeros(0, dtype=dtype) for dtype in dtypes]
    words: list[list[tuple[int, int, int, int]]] = []  # (source, low, span, multiplier)
    product = 1 << 31
    for i, src in enumerate(sources):
        lo, hi = _value_range(src)  # (every row's: no copies)
        if hi - lo >= 1 << 31 and not whole:  # the valid rows' (narrower)
            lo, hi = _valid_range(src, valid, whole)
        span = hi - lo + 1
        if span == 1:
            outs[i] = _constant(m, lo, dtypes[i])
        elif span >= 1 << 31:
            outs[i] = np.empty(m, dtype=dtypes[i])
            for start in range(0, m, _BLOCK):
                outs[i][start : start + _BLOCK] = src[rows[start : start + _BLOCK]]
        else:
            if product * span >= 1 << 31:
                words.append([])
                product = 1
            words[-1].append((i, lo, span, product))
            product *= span
        if span == 1 or span >= 1 << 31:
            sources[i] = outs[i][:0]
    for fields in words:
        top = fields[-1][2] * fields[-1][3]
        word = np.empty(n, dtype=np.int16 if top <= 1 << 15 else np.int32)
        for start in range(0, n, _BLOCK):
            acc = np.zeros(min(n, start + _BLOCK) - start, dtype=np.int64)
            for i, lo, _, mul in fields:
                value = sources[i][start : start + _BLOCK].astype(np.int64)
                if lo:
                    value -= lo
                if mul > 1:
                    value *= mul
                acc += value
            word[start : start + _BLOCK] = acc
        for i, *_ in fields:
            sources[i] = outs[i][:0]
            outs[i] = np.empty(m, dtype=dtypes[i])
        for start in range(0, m, _BLOCK):
            picked = word[rows[start : start + _BLOCK]].astype(np.int64)
            for i, lo, span, mul in fields:
                value = picked // mul if mul > 1 else picked.copy()
                if mul * span < top:
                    value %= span
                if lo:
                    value += lo
                outs[i][start : start + value.size] = value
        del word
        for i, *_ in fields:  # constant in the valid rows (not in every row): a broadcast view
            out = outs[i]
            if m and int(out.min()) == int(out.max()):
                outs[i] = _constant(m, int(out[0]), dtypes[i])
    sources.clear()
    return outs


def _resolve_scales(
    scale_codes: Codes, registry: ScaleRegistry, log: ErrorLog
) -> tuple[list[Scale], AnyArray]:
    """The distinct scales and every row's index into them (-1: unknown or missing)."""
    scales: list[Scale] = []
    index_of_label = np.full(scale_codes.labels.size, -1, dtype=np.int64)
    for c, label in enumerate(scale_codes.text.tolist()):
        try:
            scale = registry.get(label)
        except UnknownScaleError as exc:
            log.add(np.flatnonzero(scale_codes.codes == c), "scale", UnknownScaleError, str(exc))
            continue
        keys = [s.key for s in scales]
        if scale.key not in keys:
            scales.append(scale)
            keys.append(scale.key)
        index_of_label[c] = keys.index(scale.key)
    codes = scale_codes.codes
    if codes.size and index_of_label.size == 1 and int(codes.min()) >= 0:  # one scale key
        return scales, _constant(codes.size, int(index_of_label[0]), np.int32)
    # code -1 (missing) picks the -1 appended at the end
    lookup = np.append(index_of_label, -1).astype(np.int32)
    return scales, lookup[codes]


def _rater_codes(
    raw: RawColumn | None, n: int, log: ErrorLog
) -> tuple[npt.NDArray[np.int8], BoolArray]:
    """Rater codes (index into RATERS; empty: self) and which rows have a usable rater."""
    if raw is None:  # every row self-rated
        return _constant(n, 0, np.int8), _constant(n, 1, bool)
    rater_code = np.zeros(n, dtype=np.int8)
    rater_ok = np.ones(n, dtype=bool)
    codes, bad = parse_labels(raw, "rater", log, kind="key")
    rater_ok &= ~bad
    if codes.labels.size:
        lookup = rater_codes(codes.text.tolist()).astype(np.int64)
        mapped = np.where(codes.codes >= 0, lookup[np.maximum(codes.codes, 0)], 0)
        wrong = (codes.codes >= 0) & (mapped < 0)
        log_unknown_raters(np.flatnonzero(wrong), codes.values()[wrong], log)
        rater_ok &= ~wrong
        rater_code = np.maximum(mapped, 0).astype(np.int8)
    return rater_code, rater_ok


def _required_labels(raw: RawColumn, name: str, log: ErrorLog, *, kind: LabelKind) -> Codes:
    """A label column every row must have: a missing value (not an invalid one) is logged."""
    codes, bad = parse_labels(raw, name, log, kind=kind)
    log.add(np.flatnonzero((codes.codes < 0) & ~bad), name, FieldError, required(name))
    return codes


def _optional_labels(
    raw: RawColumn | None, name: str, log: ErrorLog, n: int, *, kind: LabelKind = "identifier"
) -> Codes:
    if raw is None:  # missing in every row
        return Codes(_constant(n, -1, np.int32), np.zeros(0, dtype=object))
    return parse_labels(raw, name, log, kind=kind)[0]


def _sort_rows(
    valid: IntArray,
    person: IntArray,
    scale: IntArray,
    rater: npt.NDArray[np.int8],
    rater_id: IntArray,
    episode: IntArray,
    days: IntArray,
    session: IntArray,
) -> tuple[IntArray, dict[str, IntArray]]:
    """Sort the valid rows into tracks (by date and session within a track).

    Returns the sorted input rows and, in that order, the key columns
    (``person, scale, rater, rater_id, episode, days, session``), a track key
    and a time key (equal keys: same track, or same track, date and session).
    Where the key columns fit into one int64 (mixed radix) a single sort
    orders them (with the row's position in the low bits where it fits) and
    the columns are decoded from the sorted key; rows with equal keys are put
    in input order. Otherwise ``np.lexsort``.
    """
    whole = valid.size == person.size
    sel: Any = slice(None) if whole else valid
    names = ("person", "scale", "rater", "rater_id", "episode", "days", "session")
    if valid.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, {**dict.fromkeys(names, empty), "track": empty, "time": empty}
    d = days[sel]
    d0 = int(d.min())
    shift = (0, 0, 0, 1, 1, -d0, 0)  # added to make every key column start at 0
    sources: tuple[AnyArray, ...] = (person, scale, rater, rater_id, episode, days, session)
    sizes: list[int] = []
    cols: list[Any] = []
    for source, offset in zip(sources, shift, strict=True):
        c = source[sel]
        lo, hi = int(c.min()), int(c.max())
        sizes.append(hi + offset + 1)
        if lo == hi:  # constant: not part of the key
            cols.append(lo + offset)
        else:
            cols.append(c.astype(np.int64) + offset if offset else c.astype(np.int64, copy=False))
    used = [i for i, c in enumerate(cols) if not isinstance(c, int)]
    key = _seg.combine_codes([cols[i] for i in used], [sizes[i] for i in used])
    if key is not None and not used:
        key = np.zeros(valid.size, dtype=np.int64)
    if key is not None:
        row_bits = max(valid.size - 1, 1).bit_length()
        if int(key.max(initial=0)).bit_length() + row_bits <= 63:
            # one (SIMD) sort of the key with the position in its low bits: equal keys
            # keep input order, and no separate argsort is needed
            packed = np.sort((key << row_bits) | np.arange(valid.size, dtype=np.int64))
            order = packed & ((1 << row_bits) - 1)
            key = packed >> row_bits
        else:
            order = np.argsort(key)
            key = key[order]
        tie = key[1:] == key[:-1]
        if tie.any():  # equal keys: input order (valid is increasing)
            in_tie = np.zeros(order.size, dtype=bool)
            in_tie[1:] |= tie
            in_tie[:-1] |= tie
            run = np.cumsum(np.r_[True, ~tie])
            where = np.flatnonzero(in_tie)
            sub = order[where]
            order[where] = sub[np.lexsort((sub, run[where]))]
        decoded: list[IntArray] = [
            np.full(valid.size, c - offset, dtype=np.int64) if isinstance(c, int) else c
            for c, offset in zip(cols, shift, strict=True)
        ]
        lower = 1
        for i in reversed(used):
            part = key // lower if lower > 1 else key
            if i != used[0]:
                part = part % sizes[i]
            decoded[i] = part - shift[i] if shift[i] else part
            lower *= sizes[i]
        time_size = math.prod(sizes[i] for i in used if i >= 5)
        track = key // time_size if time_size > 1 else key
        time = key
    else:
        order = np.lexsort(tuple(cols[i] for i in reversed(used))).astype(np.int64)
        decoded = [
            np.full(valid.size, c - offset, dtype=np.int64)
            if isinstance(c, int)
            else c[order] - offset
            for c, offset in zip(cols, shift, strict=True)
        ]
        change = np.zeros(order.size, dtype=bool)
        for c in decoded[:5]:
            change[1:] |= c[1:] != c[:-1]
        track = np.cumsum(change).astype(np.int64)
        for c in decoded[5:]:
            change[1:] |= c[1:] != c[:-1]
        time = np.cumsum(change).astype(np.int64)
    rows = valid[order] if not whole else order.astype(np.int64)
    return rows, {**dict(zip(names, decoded, strict=True)), "track": track, "time": time}
