"""One data path: a record is a batch of one, so one bad value gets one error on both paths.

Each case gives the same bad value to ``Administration`` and, as a one-row
table, to ``from_records``; the record raises the error class and message
that the table reports for its row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import fit_scores as fs
from fit_scores._core import rules
from tests._helpers import fit_error

GOOD: dict[str, Any] = {
    "scale": "ORS",
    "person": "p1",
    "date": "2025-01-10",
    "items": [5.0, 5.0, 5.0, 5.0],
}


def as_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in record.items() if k != "items"}
    for j, value in enumerate(record.get("items") or (), start=1):
        row[f"item_{j}"] = value
    return row


CASES = [
    ("too few items", {"items": [5.0, 5.0, 5.0]}, fs.ItemCountError, "item_4 is not given"),
    ("too many items", {"items": [5.0] * 5}, fs.ItemCountError, "item_5 is one too many"),
    ("unanswered item", {"items": [5.0, None, 5.0, 5.0]}, fs.MissingItemsError, "3 of 4"),
    ("item out of range", {"items": [5.0, 10.5, 5.0, 5.0]}, fs.ItemRangeError, "item_2"),
    ("item off the grid", {"items": [5.0, 5.05, 5.0, 5.0]}, fs.ItemResolutionError, "item_2"),
    ("total mismatch", {"total": 21.0}, fs.TotalMismatchError, "does not equal"),
    ("unknown rater", {"rater": "teacher"}, fs.FieldError, "rater = 'teacher' is not a rater"),
    ("rater not allowed", {"scale": "SRS", "rater": "caretaker"}, fs.RaterError, "not allowed"),
    ("age out of range", {"age": 131}, fs.AgeError, "age = 131 is outside 0-130 years"),
    ("negative age", {"age": -1}, fs.AgeError, "age = -1 is outside"),
    ("age outside the scale", {"age": 8}, fs.AgeError, "ORS is for ages 13+"),
    ("session zero", {"session": 0}, fs.FieldError, "session = 0 is not a session number"),
    ("huge session", {"session": 10**30}, fs.FieldError, "session: the number is too large"),
    ("huge age", {"age": 10**30}, fs.AgeError, "age: the number is too large"),
    ("other rater id", {"rater_id": "p2"}, fs.RaterError, "differs from person"),
]


@pytest.mark.parametrize(("label", "change", "error", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_same_error_on_both_paths(
    label: str, change: dict[str, Any], error: type[Exception], fragment: str
) -> None:
    record = {**GOOD, **change}
    with pytest.raises(ValidationError) as info:
        fs.Administration.model_validate(record)
    raised = fit_error(info.value)
    assert type(raised) is error, (label, raised)
    assert fragment in str(raised)

    table = fs.from_records([as_row(record)])
    reported = table.errors.to_records()
    assert table.n_rejected == 1
    assert reported[0]["error"] == error.__name__
    assert reported[0]["reason"] == str(raised)


def test_a_table_without_an_item_column_rejects_rows_with_items() -> None:
    """A CSV without item_4 is not read as "item_4 unanswered" (no silent proration)."""
    text = (
        "person,scale,date,item_1,item_2,item_3,total\n"
        "p,ORS,2025-01-10,5,5,5,\n"
        "q,ORS,2025-01-10,,,,20\n"
    )
    table = fs.parse_csv(text)
    assert table.n_valid == 1  # the total-only row
    [entry] = table.errors.to_records()
    assert (entry["row"], entry["error"]) == (0, "ItemCountError")


def test_a_self_rating_by_the_person_is_one_track_on_both_paths() -> None:
    a = fs.Administration(**GOOD, rater_id="p1")
    assert a.rater_id is None and a.track_key == fs.Administration(**GOOD).track_key
    table = fs.from_records(
        [as_row({**GOOD, "rater_id": "p1"}), as_row(GOOD | {"date": "2025-02-01"})]
    )
    assert table.n_tracks == 1


def test_the_record_runs_the_rules_function() -> None:
    """Changing a rule in the rules layer changes both paths (checked by patching it)."""
    original = rules.check_rows
    calls: list[int] = []

    def spy(cols: rules.RowColumns, *args: Any, **kwargs: Any) -> None:
        calls.append(int(cols.scale_index.size))
        original(cols, *args, **kwargs)

    try:
        rules.check_rows = spy
        fs.Administration(**GOOD)
    finally:
        rules.check_rows = original
    assert calls == [1]


def test_scores_agree_on_random_rows() -> None:
    rng = np.random.default_rng(9)
    rows = []
    for i in range(300):
        items = [float(v) for v in np.round(rng.uniform(-0.5, 10.5, 4), int(rng.integers(1, 3)))]
        rows.append({**GOOD, "person": f"p{i}", "items": items, "age": int(rng.integers(0, 140))})
    table = fs.from_records([as_row(r) for r in rows])
    rejected = set(table.errors.rows.tolist())
    totals = dict(zip(table.person.tolist(), table.total.tolist(), strict=True))
    reasons = {e["row"]: e["reason"] for e in reversed(table.errors.to_records())}
    for i, row in enumerate(rows):
        if i in rejected:
            with pytest.raises(ValidationError) as info:
                fs.Administration.model_validate(row)
            assert str(fit_error(info.value)) == reasons[i]  # the first reason of the row
        else:
            assert totals[f"p{i}"] == fs.Administration.model_validate(row).total


ID_VALUES = [
    "p1", " p1 ", 17, -3, np.int64(7), np.uint8(200), 2**70,  # ids (numbers as their digits)
    1.5, 2.0, np.float64(3.0), True, np.bool_(False), b"p1", ["p"], None,  # not ids
]  # fmt: skip


def record_outcome(make: Any) -> tuple[str, str]:
    """("id", the id read) from a record, or ("error", the FieldError's message)."""
    try:
        return "id", make()
    except ValidationError as exc:
        raised = fit_error(exc)
        assert type(raised) is fs.FieldError
        return "error", str(raised)


@pytest.mark.parametrize("value", ID_VALUES, ids=repr)
def test_an_id_is_text_or_a_whole_number_on_every_path(value: Any) -> None:
    """A record, a score table and a yearly table read an id by the one rule."""
    from fit_scores.cohort import yearly_table
    from fit_scores.living_conditions import Housing

    expected = record_outcome(lambda: fs.Administration(**{**GOOD, "person": value}).person)
    table = fs.from_records([as_row({**GOOD, "person": value})])
    if table.n_valid:
        assert ("id", table.person[0]) == expected
    else:
        [entry] = table.errors.to_records()
        assert entry["error"] == "FieldError"
        assert ("error", entry["reason"]) == expected
    if isinstance(value, str | int | np.integer) and not isinstance(value, bool | np.bool_):
        assert expected == ("id", str(int(value)) if not isinstance(value, str) else "p1")

    family_column = np.empty(1, dtype=object)
    family_column[0] = value
    housing = {"family": family_column, "programme_year": [0], "date": ["2025-01-10"]}
    housing |= {"persons": [3], "rooms": [2], "area_m2": [60.0]}
    yearly = yearly_table("housing", housing)
    kind, said = record_outcome(
        lambda: (
            Housing(
                household_id=value, date="2025-01-10", persons=3, rooms=2, area_m2=60.0
            ).household_id
        )
    )
    if kind == "id":
        assert yearly.n_valid == 1 and yearly["family"].tolist() == [said]
    else:
        [entry] = yearly.errors.to_records()
        assert entry["reason"] == said.replace("household_id", "family")


CELL_VALUES: dict[str, list[Any]] = {
    "date": [
        "2025-01-10", dt.date(2025, 1, 10), np.datetime64("2025-01-10"), "2025-02-30",
        "0000-01-01", "2025-1-10", "10.01.2025", "20250110", "2025-01-10T00:00:00",
        " 2025-01-10", "\uff12\uff10\uff12\uff15-01-10", "", None,
        1736467200, "1736467200", 1736467200.0, 45667, dt.datetime(2025, 1, 10),
        np.datetime64("2025-01-10T12:00"), b"2025-01-10", True, ["2025-01-10"],
        np.datetime64("2025-01"), np.datetime64("2025"), np.datetime64("2025-01-06", "W"),
        "2025-01-10\0", "\0",
    ],
    "session": [
        3, np.int64(3), np.uint8(3), 0, -1, 2**62, 2**62 + 1, 2**70, 3.0, np.float64(3.0),
        "3", True, np.bool_(True), None, [3], np.timedelta64(3, "ns"), np.timedelta64(3, "D"),
    ],
    "age": [34, np.int16(34), 140, -1, 34.0, "34", False, 2**63, None],
    "scale": ["ORS", "SRS", "XYZ", "", 5, None, True, b"ORS", ["ORS"], np.array(["ORS", "ORS"])],
    "rater": [
        "self", "caretaker", None, "", 5, "SELF", " self", "teacher", float("nan"), b"self",
        np.array(["self", "self"]),
    ],
    "total": [
        20.0, 20, np.float32(20.5), np.int8(20), Decimal("20.5"), Fraction(41, 2), 20.05, 41.0,
        float("nan"), float("inf"), -0.0, "20", b"20", True, [20], 10**400, Decimal("sNaN"),
        np.timedelta64(20, "D"),
    ],
    "item_2": [
        5.0, 5, np.float16(5.5), Decimal("5.5"), 10.5, -0.0, "5", True, float("nan"), None,
        float("-inf"), [5], 10**400,
    ],
}  # fmt: skip


def _cases() -> list[tuple[str, Any]]:
    return [(column, value) for column, values in CELL_VALUES.items() for value in values]


@pytest.mark.parametrize(("column", "value"), _cases(), ids=repr)
def test_a_cell_value_gets_the_same_outcome_on_a_record_and_in_a_table(
    column: str, value: Any
) -> None:
    """One rule per kind of cell: a record takes what a table takes, and refuses the rest
    with the table's error class and message (the timestamp that pydantic read as a date,
    the date-time, the bytes, the string "3" as a session are refused on both paths)."""
    record: dict[str, Any] = {**GOOD, "session": 2, "age": 30}
    if column.startswith("item_"):
        record["items"] = [5.0, value, 5.0, 5.0]
    else:
        record[column] = value
    if column == "total":
        del record["items"]
    table = fs.from_records([as_row(record)], as_of=dt.date(2026, 1, 1))
    try:
        made = fs.Administration.model_validate(record, context={"as_of": dt.date(2026, 1, 1)})
    except ValidationError as exc:
        raised = fit_error(exc)
        assert table.n_valid == 0, (raised, table.to_records())
        first = table.errors.to_records()[0]
        assert (type(raised).__name__, str(raised)) == (first["error"], first["reason"])
        return
    assert table.n_valid == 1, table.errors.to_records()
    [row] = table.to_records()
    got = {"date": made.date, "session": made.session, "age": made.age, "total": made.total}
    assert str(row["date"]) == made.date.isoformat()
    assert (row["session"], row["age"], row["total"]) == (
        got["session"],
        got["age"],
        got["total"],
    )


def _by_the_rule(parse: Any, value: Any, column: str, **options: Any) -> tuple[str, Any]:
    """What the cell rule itself says of one value (no quick path): its value or its error."""
    from fit_scores._core.errorlog import ErrorLog

    raw = np.empty(1, dtype=object)
    raw[0] = value
    log = ErrorLog()
    values, missing, _ = parse(raw, column, log, **options)
    entries = log.entries([column])
    if len(entries[2]):
        return "error", (str(entries[2][0]), str(entries[3][0]))
    return "value", None if missing[0] else values[0].item()


def _by_the_record(read: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "value", read(*args)
    except fs.FitScoresError as exc:
        return "error", (type(exc).__name__, str(exc))


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
        st.from_regex(r"[0-9]{4}-[01][0-9]-[0-3][0-9]", fullmatch=True),
        st.text(max_size=12),
    )
)
def test_the_quick_paths_of_a_record_agree_with_the_cell_rules(text: str) -> None:
    """A record takes a plain date, an int and a float at once; the rule agrees on every one."""
    from fit_scores._core import cells
    from fit_scores.records.fields import date_cell, score_cell, whole_cell

    kind, said = _by_the_record(date_cell, text, "date")
    expected = _by_the_rule(cells.parse_dates, text, "date")
    if kind == "value" and said is not None:
        said = (said - dt.date(1970, 1, 1)).days
    assert (kind, said) == expected
    for number in (len(text) - 6, 2**62 - len(text), -(2**62) - len(text)):
        assert _by_the_record(whole_cell, number, "session", fs.FieldError) == _by_the_rule(
            cells.parse_ints, number, "session", text=False, error=fs.FieldError
        )
        value = float(number) / 7
        assert _by_the_record(score_cell, value, "total") == _by_the_rule(
            cells.parse_scores, value, "total", text=False
        )


@pytest.mark.parametrize("value", CELL_VALUES["date"], ids=repr)
def test_a_date_is_read_by_one_rule_in_every_model_and_table(value: Any) -> None:
    """A score record, a yearly record, a goal rating and a yearly table read a date alike."""
    from fit_scores.cohort import yearly_table
    from fit_scores.goals import GoalRating
    from fit_scores.living_conditions import Housing

    def outcome(make: Any) -> tuple[str, Any]:
        try:
            return "date", make()
        except ValidationError as exc:
            raised = fit_error(exc)
            return "error", (type(raised).__name__, str(raised))

    as_of = {"as_of": dt.date(2026, 1, 1)}
    expected = outcome(
        lambda: fs.Administration.model_validate({**GOOD, "date": value}, context=as_of).date
    )
    assert outcome(lambda: Housing(household_id="h", date=value, persons=3).date) == expected
    rating = {"goal_id": "g", "date": value, "level": 0, "rater": "coordinator"}
    assert outcome(lambda: GoalRating.model_validate(rating).date) == expected
    column = np.empty(1, dtype=object)
    column[0] = value
    housing = {"family": ["f1"], "programme_year": [0], "date": column, "persons": [3]}
    table = yearly_table("housing", housing | {"rooms": [2], "area_m2": [60.0]})
    if table.n_valid:
        assert ("date", table["date"].tolist()[0]) == expected
    else:
        first = table.errors.to_records()[0]
        assert ("error", (first["error"], first["reason"])) == expected
