"""Building a score table: classify the columns, read them, apply the rules, sort into tracks.

:func:`build_table` is what every reader of :mod:`fit_scores.io.readers`
ends in. Whole text columns (person, scale, rater, rater id, episode,
grouping columns) are read and factorised once; the row rules
(:func:`fit_scores._core.rules.check_rows`) run a chunk of rows at a time on
the typed columns that :func:`fit_scores.io.columns.parse_row_columns`
reads; then the valid rows are sorted into tracks with one sort and the
track rules (duplicates, session order) run on the sorted rows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from fit_scores._core import rules as _rules
from fit_scores._core import segments as _seg
from fit_scores._core.rules import RATERS, ErrorLog, RowScores
from fit_scores._core.text import cat, reprs
from fit_scores.errors import FieldError, TableInputError, UnknownScaleError
from fit_scores.io.columns import Codes, LabelKind, parse_labels, parse_row_columns
from fit_scores.scales.model import Scale
from fit_scores.scales.registry import ScaleRegistry, default_registry
from fit_scores.table.container import ScoreTable, TableErrors

__all__ = ["REQUIRED_COLUMNS", "build_table"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
AnyArray = npt.NDArray[Any]

_FIELDS = (
    "person",
    "scale",
    "rater",
    "rater_id",
    "date",
    "session",
    "episode",
    "age",
    "birth_date",
    "skip",
    "total",
    "ending_reason",
)
#: The columns every table needs.
REQUIRED_COLUMNS = ("person", "scale", "date")
_ITEM_COLUMN = re.compile(r"item_([0-9]+)\Z")
#: Rows checked at a time: the temporaries of a chunk stay small (cache, no page faults).
_CHUNK = 1 << 17


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
    columns: Mapping[str, AnyArray],
    n: int | None = None,
    *,
    text: bool,
    registry: ScaleRegistry | None,
    log: ErrorLog,
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

    Returns
    -------
    ScoreTable

    Raises
    ------
    TableInputError
        If the columns cannot form a table.
    """
    if n is None:
        lengths = {name: int(arr.shape[0]) for name, arr in columns.items()}
        if len(set(lengths.values())) > 1:
            raise TableInputError(f"columns differ in length: {lengths}")
        n = next(iter(lengths.values()), 0)
    reg = default_registry() if registry is None else registry
    if not isinstance(reg, ScaleRegistry):
        raise TableInputError(f"registry must be a ScaleRegistry, got {type(reg).__name__}")
    names = list(columns)
    item_names, group_names = _classify_columns(names)
    k = max(item_names, default=0)

    # whole columns: identifiers, keys and labels (factorised once)
    person, person_bad = parse_labels(columns["person"], "person", log, kind="identifier")
    log.add(
        np.flatnonzero((person.codes < 0) & ~person_bad), "person", FieldError, "person is required"
    )
    scale_codes, scale_bad = parse_labels(columns["scale"], "scale", log, kind="key")
    log.add(
        np.flatnonzero((scale_codes.codes < 0) & ~scale_bad),
        "scale",
        FieldError,
        "scale is required",
    )
    scales, scale_index = _resolve_scales(scale_codes, reg, log)
    rater_code, rater_ok = _rater_codes(columns.get("rater"), n, log)
    rater_id = _optional_labels(columns.get("rater_id"), "rater_id", log, n)
    episode = _optional_labels(columns.get("episode"), "episode", log, n)
    ending_raw = columns.get("ending_reason")
    ending = _optional_labels(ending_raw, "ending_reason", log, n, kind="group")
    groups = {name: parse_labels(columns[name], name, log, kind="group")[0] for name in group_names}

    # row by row checks and scores, a chunk of rows at a time
    wide = any(max(abs(s.item_min), abs(s.item_max)) * s.ticks_per_unit >= 2**31 for s in scales)
    values = RowScores.allocate(n, k, birth="birth_date" in columns, wide=wide)
    for lo in range(0, n, _CHUNK):
        part = slice(lo, min(n, lo + _CHUNK))
        chunk_log = log.shifted(lo)
        typed = parse_row_columns(
            {name: raw[part] for name, raw in columns.items() if name not in group_names},
            item_names,
            k,
            scale_index[part],
            rater_code[part],
            rater_ok[part],
            text=text,
            log=chunk_log,
        )
        _rules.check_rows(typed, scales, item_names, values.window(part), chunk_log)

    # the rater id of a self-rating is the person (stored as empty) or empty
    rater_id = Codes(_rules.check_self_rater(person, rater_id, rater_code, log), rater_id.labels)

    # sort the rows that passed every row check into tracks
    valid = np.flatnonzero(~log.rejected(n))
    rows, parts = _sort_rows(
        valid,
        person.codes,
        scale_index,
        rater_code,
        rater_id.codes,
        episode.codes,
        values.days,
        values.session,
    )
    keep = _rules.check_tracks(
        rows, parts["track"], parts["time"], parts["days"], parts["session"], log
    )
    if not keep.all():
        rows = rows[keep]
        parts = {name: part[keep] for name, part in parts.items()}
    track_starts = _seg.starts_of(parts["track"])
    errors = TableErrors(n, *log.entries(["", *names]))
    return ScoreTable(
        n_input=n,
        row=rows,
        person_codes=Codes(parts["person"], person.labels),
        scales=tuple(scales),
        scale_index=parts["scale"],
        rater_code=parts["rater"].astype(np.int8),
        rater_id_codes=Codes(parts["rater_id"], rater_id.labels),
        episode_codes=Codes(parts["episode"], episode.labels),
        days=parts["days"],
        session_number=parts["session"],
        age_years=values.age[rows],
        input_birth_days=values.birth,
        skip=values.skip[rows],
        has_items=values.has_items[rows],
        input_item_ticks=values.ticks,
        input_answered=values.answered,
        total_num=values.num[rows],
        total_den=values.den[rows],
        ending_codes=None if ending_raw is None else ending.take(rows),
        group_codes={name: codes.take(rows) for name, codes in groups.items()},
        track_starts=track_starts,
        errors=errors,
    )


def _resolve_scales(
    scale_codes: Codes, registry: ScaleRegistry, log: ErrorLog
) -> tuple[list[Scale], IntArray]:
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
    scale_index = np.full(codes.size, -1, dtype=np.int64)
    if index_of_label.size:
        scale_index = np.where(codes >= 0, index_of_label[np.maximum(codes, 0)], -1)
    return scales, scale_index


def _rater_codes(
    raw: AnyArray | None, n: int, log: ErrorLog
) -> tuple[npt.NDArray[np.int8], BoolArray]:
    """Rater codes (index into RATERS; empty: self) and which rows have a usable rater."""
    rater_code = np.zeros(n, dtype=np.int8)
    rater_ok = np.ones(n, dtype=bool)
    if raw is None:
        return rater_code, rater_ok
    codes, bad = parse_labels(raw, "rater", log, kind="key")
    rater_ok &= ~bad
    if codes.labels.size:
        lookup = np.array([RATERS.index(r) if r in RATERS else -1 for r in codes.text.tolist()])
        mapped = np.where(codes.codes >= 0, lookup[np.maximum(codes.codes, 0)], 0)
        wrong = (codes.codes >= 0) & (mapped < 0)
        log.add(
            np.flatnonzero(wrong),
            "rater",
            FieldError,
            cat(
                "rater = ",
                reprs(codes.values()[wrong]),
                " is not a rater; use 'self', 'caretaker' or 'collateral'",
            ),
        )
        rater_ok &= ~wrong
        rater_code = np.maximum(mapped, 0).astype(np.int8)
    return rater_code, rater_ok


def _optional_labels(
    raw: AnyArray | None, name: str, log: ErrorLog, n: int, *, kind: LabelKind = "identifier"
) -> Codes:
    if raw is None:
        return Codes.missing(n)
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
