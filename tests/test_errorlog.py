"""The error log: entries sorted by row and column, reasons written when they are read."""

from __future__ import annotations

import dataclasses
import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import fit_scores as fs
import fit_scores._core.track_rules as track_rules
from fit_scores._core.errorlog import DeferredReasons, ErrorLog, ReasonColumn
from fit_scores._core.text import cat
from fit_scores.errors import FieldError, SessionOrderError, TableInputError
from fit_scores.table import TableErrors

#: One track with sessions 10, 2, 3, 4 by date (the 10 is out of order), one in order,
#: and a row with an unreadable date.
CSV = (
    "person,scale,date,session,total\n"
    "a,ORS,2025-01-10,10,20\n"
    "a,ORS,2025-01-17,2,21\n"
    "b,ORS,2025-01-10,1,20\n"
    "a,ORS,2025-01-24,3,22\n"
    "a,ORS,2025-01-31,4,23\n"
    "b,ORS,2025-13-01,2,21\n"
)
SESSION_REASON = (
    "session 10 on 2025-01-10 is out of order: it comes before session 2 on 2025-01-17 "
    "in the same track; session numbers must increase with the date"
)


def too_big(values: np.ndarray) -> np.ndarray:
    return cat("value ", values, " is too big")


def test_deferred_reasons_sort_with_the_written_ones() -> None:
    log = ErrorLog()
    log.add([3, 1], "total", FieldError, DeferredReasons(too_big, (np.array([30, 10]),)))
    log.add([1, 2], "date", FieldError, np.array(["bad date", "no date"], dtype=object))
    log.shifted(5).add([0], "total", FieldError, "total is required")
    rows, columns, errors, reasons = log.report(["date", "total"])
    assert isinstance(reasons, ReasonColumn) and reasons.deferred and len(reasons) == 5
    assert rows.tolist() == [1, 1, 2, 3, 5]
    assert columns.tolist() == ["date", "total", "date", "total", "total"]
    assert set(errors.tolist()) == {"FieldError"}
    texts = ["bad date", "value 10 is too big", "no date", "value 30 is too big"]
    assert reasons.texts().tolist() == [*texts, "total is required"]
    assert log.entries(["date", "total"])[3].tolist() == reasons.texts().tolist()
    assert not ErrorLog().report(["date"])[3].deferred
    assert ErrorLog().report(["date"])[3].texts().tolist() == []


def test_deferred_reasons_of_the_wrong_length_are_refused() -> None:
    log = ErrorLog()
    with pytest.raises(ValueError, match="2 rows but 1 deferred reasons"):
        log.add([0, 1], "total", FieldError, DeferredReasons(too_big, (np.array([5]),)))
    wrong = DeferredReasons(lambda values: np.array(["one"], dtype=object), (np.arange(2),))
    with pytest.raises(ValueError, match="2 reasons expected, 1 written"):
        wrong.texts()


def test_a_table_writes_session_order_reasons_when_they_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    writer = track_rules._out_of_order_reasons

    def counted(*fields: np.ndarray) -> np.ndarray:
        calls.append(fields[0].size)
        return writer(*fields)

    monkeypatch.setattr(track_rules, "_out_of_order_reasons", counted)
    table = fs.parse_csv(CSV)
    assert calls == []  # built, checked and sorted: no reason written yet
    assert table.n_valid == 4 and table.errors.row.tolist() == [0, 5]
    assert table.errors.error.tolist() == [SessionOrderError.__name__, FieldError.__name__]
    assert table.errors.reason[0] == SESSION_REASON
    assert calls == [1]
    assert table.errors.reason[1].startswith("date = '2025-13-01' is not a date")
    assert calls == [1]  # written once
    assert table.errors.localised("en").reason[0] == SESSION_REASON


def test_deferred_reasons_survive_pickling() -> None:
    """A table goes to Dask workers pickled: its deferred reasons travel as values."""
    table = fs.parse_csv(CSV)
    copy = pickle.loads(pickle.dumps(table))
    assert copy.errors.reason.tolist() == table.errors.reason.tolist()
    assert copy.errors.reason[0] == SESSION_REASON
    assert copy.errors.to_records() == table.errors.to_records()


def test_reason_is_a_field_of_the_dataclass_that_gives_the_texts() -> None:
    """fields, asdict, replace, pattern matching and threads all see the written reasons."""
    errors = fs.parse_csv(CSV).errors
    assert [f.name for f in dataclasses.fields(errors)][-1] == "reason"
    assert TableErrors.__match_args__[-1] == "reason"
    assert dataclasses.asdict(errors)["reason"].tolist() == errors.reason.tolist()
    assert dataclasses.replace(errors, n_input=9).reason.tolist() == errors.reason.tolist()
    match errors:
        case TableErrors(_, _, _, _, reason):
            assert reason[0] == SESSION_REASON
    with pytest.raises(dataclasses.FrozenInstanceError):
        errors.reason = np.array(["x", "y"], dtype=object)  # type: ignore[misc]
    fresh = fs.parse_csv(CSV).errors
    with ThreadPoolExecutor(8) as pool:
        read = list(pool.map(lambda _: fresh.reason, range(8)))
    assert len({id(texts) for texts in read}) == 1  # written once, the same array for all
    assert read[0][0] == SESSION_REASON


def test_table_errors_refuse_reasons_of_another_length() -> None:
    rows = np.array([0, 1])
    names = np.array(["date", "date"], dtype=object)
    with pytest.raises(TableInputError, match="2 error rows but 1 reasons"):
        TableErrors(2, rows, names, names, np.array(["x"], dtype=object))
    errors = TableErrors(2, rows, names, names, np.array(["x", "y"], dtype=object))
    assert errors.reason.tolist() == ["x", "y"] and errors.n_rejected == 2
