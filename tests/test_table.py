"""Score tables: validation with the rules of Administration, the error report, readers, writers."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import fit_scores as fs
from fit_scores import Administration
from fit_scores.table import (
    FieldError,
    ScoreTable,
    TableInputError,
    from_columns,
    from_pandas,
    from_polars,
    from_records,
    parse_csv,
    parse_json,
)

BASE: dict[str, Any] = {
    "person": "p1",
    "scale": "ORS",
    "date": "2025-01-10",
    "item_1": 5.0,
    "item_2": 5.0,
    "item_3": 5.0,
    "item_4": 5.0,
}


def row(**changes: Any) -> dict[str, Any]:
    out = {**BASE, **changes}
    return {k: v for k, v in out.items() if v is not DROP}


DROP = object()


def errors_of(table: ScoreTable, index: int) -> set[tuple[str, str]]:
    return {
        (c, e)
        for r, c, e in zip(table.errors.row, table.errors.column, table.errors.error, strict=True)
        if r == index
    }


def check_invariant(table: ScoreTable) -> None:
    assert table.n_input == table.n_valid + table.n_rejected
    valid = set(table.row.tolist())
    rejected = set(table.errors.row.tolist())
    assert valid.isdisjoint(rejected)
    assert valid | rejected == set(range(table.n_input))


# --- a catalogue of bad rows: (row, column, error) ------------------------------------------

CATALOGUE: list[tuple[str, dict[str, Any], str, str]] = [
    ("person missing", row(person=DROP), "person", "FieldError"),
    ("person empty", row(person=""), "person", "FieldError"),
    ("person with a zero-width space", row(person="p\u200b1"), "person", "FieldError"),
    ("person over 200 characters", row(person="x" * 201), "person", "FieldError"),
    ("person with a line break", row(person="a\nb"), "person", "FieldError"),
    ("person a float", row(person=1.5), "person", "FieldError"),
    ("scale missing", row(scale=None), "scale", "FieldError"),
    ("scale unknown", row(scale="XYZ"), "scale", "UnknownScaleError"),
    ("scale not text", row(scale=3), "scale", "FieldError"),
    ("rater not a rater", row(rater="teacher"), "rater", "FieldError"),
    ("rater in capitals", row(rater="SELF"), "rater", "FieldError"),
    ("rater not allowed", row(scale="SRS", rater="caretaker"), "rater", "RaterError"),
    ("self-rating by someone else", row(rater_id="p2"), "rater_id", "RaterError"),
    ("date missing", row(date=DROP), "date", "FieldError"),
    ("date impossible", row(date="2025-02-30"), "date", "FieldError"),
    ("date not ISO", row(date="10.01.2025"), "date", "FieldError"),
    ("date without zero padding", row(date="2025-1-10"), "date", "FieldError"),
    ("date a date-time", row(date=dt.datetime(2025, 1, 10)), "date", "FieldError"),
    ("date a number", row(date=20250110), "date", "FieldError"),
    ("session zero", row(session=0), "session", "FieldError"),
    ("session a float", row(session=2.0), "session", "FieldError"),
    ("session text", row(session="2"), "session", "FieldError"),
    ("session a boolean", row(session=True), "session", "FieldError"),
    ("episode with a NUL", row(episode="e\x001"), "episode", "FieldError"),
    ("age negative", row(age=-1), "age", "AgeError"),
    ("age over 130", row(age=131), "age", "AgeError"),
    ("age a float", row(age=40.0), "age", "AgeError"),
    ("age under the scale's ages", row(age=12), "age", "AgeError"),
    ("age over the scale's ages", row(scale="CORS", age=13), "age", "AgeError"),
    ("birth date after the date", row(birth_date="2026-01-01"), "birth_date", "AgeError"),
    ("birth date too young", row(birth_date="2015-01-11"), "birth_date", "AgeError"),
    ("age and birth date disagree", row(age=30, birth_date="1990-01-11"), "age", "AgeError"),
    ("item text", row(item_2="5"), "item_2", "ItemValueTypeError"),
    ("item a boolean", row(item_2=True), "item_2", "ItemValueTypeError"),
    ("item NaN", row(item_2=math.nan), "item_2", "ItemValueTypeError"),
    ("item infinite", row(item_2=math.inf), "item_2", "ItemValueTypeError"),
    ("item a list", row(item_2=[5]), "item_2", "ItemValueTypeError"),
    ("item above the range", row(item_3=10.1), "item_3", "ItemRangeError"),
    ("item below the range", row(item_3=-0.1), "item_3", "ItemRangeError"),
    ("item off the grid", row(item_4=8.15), "item_4", "ItemResolutionError"),
    ("item barely off the grid", row(item_4=8.100000001), "item_4", "ItemResolutionError"),
    ("item missing", row(item_4=None), "items", "MissingItemsError"),
    ("one item too many", row(item_5=5.0), "item_5", "ItemCountError"),
    ("total disagrees", row(total=21.0), "total", "TotalMismatchError"),
    ("total text", row(total="20"), "total", "ItemValueTypeError"),
    (
        "total alone above the range",
        row(item_1=None, item_2=None, item_3=None, item_4=None, total=40.1),
        "total",
        "TotalRangeError",
    ),
    (
        "total alone off the grid",
        row(item_1=None, item_2=None, item_3=None, item_4=None, total=20.05),
        "total",
        "ItemResolutionError",
    ),
    ("no score", row(item_1=None, item_2=None, item_3=None, item_4=None), "total", "ScoreError"),
    ("skip with scores", row(skip=True), "skip", "ScoreError"),
    ("skip not a flag", row(skip="yes"), "skip", "FieldError"),
    (
        "pictorial face off the grid",
        {
            **row(scale="YCORS", age=4),
            **{"item_1": 3.5, "item_2": None, "item_3": None, "item_4": None},
        },
        "item_1",
        "ItemResolutionError",
    ),
]


@pytest.mark.parametrize(
    ("bad", "column", "error"), [c[1:] for c in CATALOGUE], ids=[c[0] for c in CATALOGUE]
)
def test_catalogue_of_bad_rows(bad: dict[str, Any], column: str, error: str) -> None:
    good = row(person="other")
    table = from_records([good, bad, good | {"date": "2025-03-01"}])
    check_invariant(table)
    assert table.n_rejected == 1 and table.errors.rows.tolist() == [1]
    assert (column, error) in errors_of(table, 1), table.errors.to_records()
    reasons = [
        r for r, c in zip(table.errors.reason, table.errors.column, strict=True) if c == column
    ]
    assert all(isinstance(r, str) and r for r in reasons)


def test_error_classes_exist_and_match_the_single_record_path() -> None:
    for *_, error in CATALOGUE:
        cls = FieldError if error == "FieldError" else getattr(fs.errors, error)
        assert issubclass(cls, fs.FitScoresError)
    with pytest.raises(ValidationError) as exc:
        Administration(scale="ORS", person="p", date="2025-01-10", items=(5, 5, 10.1, 5))
    assert type(exc.value.errors()[0]["ctx"]["error"]).__name__ == "ItemRangeError"


def test_reasons_name_the_value_and_the_rule() -> None:
    table = from_records([row(item_3=10.1), row(date="2025-02-10", item_4=8.15)])
    reasons = table.errors.reason.tolist()
    assert reasons[0] == "item_3 (socially) = 10.1 is outside the item range 0-10 of ORS"
    assert reasons[1] == "item_4 (overall) = 8.15 is not a multiple of the resolution 0.1 of ORS"


def test_several_errors_in_one_row() -> None:
    table = from_records([row(item_1="x", item_3=11.0, rater="nobody", age=-3)])
    assert errors_of(table, 0) == {
        ("item_1", "ItemValueTypeError"),
        ("item_3", "ItemRangeError"),
        ("rater", "FieldError"),
        ("age", "AgeError"),
    }
    assert table.n_rejected == 1 and len(table.errors) == 4


def test_duplicates_reject_the_later_rows_and_sessions_must_increase() -> None:
    rows = [
        row(date="2025-01-10", session=1),
        row(date="2025-01-10", session=1),  # duplicate of row 0
        row(date="2025-02-10", session=3),
        row(date="2025-03-10", session=2),  # session goes down
        row(date="2025-04-10", session=4),
        row(date="2025-04-10"),  # no session: a different key from session 4
    ]
    table = from_records(rows)
    check_invariant(table)
    assert errors_of(table, 1) == {("date", "DuplicateAdministrationError")}
    assert "as row 0" in table.errors.reason[0]
    assert errors_of(table, 3) == {("session", "SessionOrderError")}
    assert sorted(table.row.tolist()) == [0, 2, 4, 5]
    assert table.n_tracks == 1


def test_a_bad_row_does_not_make_a_later_row_a_duplicate() -> None:
    table = from_records([row(item_1=11.0), row()])
    assert table.errors.rows.tolist() == [0] and table.row.tolist() == [1]


def test_zero_is_a_score_never_missing() -> None:
    zeros = {"item_1": 0, "item_2": 0.0, "item_3": np.float64(0), "item_4": Decimal("0")}
    table = from_records(
        [
            row(**zeros),
            row(date="2025-02-01", item_1=None, item_2=None, item_3=None, item_4=None, total=0),
        ]
    )
    assert table.n_valid == 2 and table.total.tolist() == [0.0, 0.0]
    assert table.total_num.tolist() == [0, 0] and table.total_den.tolist() == [1, 1]
    csv_table = parse_csv(
        "person,scale,date,item_1,item_2,item_3,item_4\np,ORS,2025-01-10,0,0,0,0\n"
    )
    assert csv_table.total.tolist() == [0.0]
    arrays = from_columns(
        {"person": ["p"], "scale": ["ORS"], "date": ["2025-01-10"], "total": np.array([0.0])}
    )
    assert arrays.total.tolist() == [0.0]


def test_skip_rows_are_valid_meetings_without_a_score() -> None:
    table = from_records(
        [
            row(date="2025-01-10"),
            {"person": "p1", "scale": "ORS", "date": "2025-01-17", "skip": True},
            row(date="2025-01-24", item_1=7.0),
        ]
    )
    check_invariant(table)
    assert table.n_valid == 3 and table.skip.tolist() == [False, True, False]
    assert np.isnan(table.total[1]) and table.total_den[1] == 0
    summary = table.summarize()
    assert summary["n"].tolist() == [3] and summary["n_skipped"].tolist() == [1]
    assert summary["change"].tolist() == [2.0]


def test_total_only_rows_and_total_with_items() -> None:
    table = from_records(
        [
            {"person": "p", "scale": "ORS", "date": "2025-01-10", "total": 24.9, "age": 40},
            row(
                person="p",
                date="2025-02-10",
                item_1=0.7,
                item_2=8.1,
                item_3=7.5,
                item_4=8.7,
                total=25,
                age=40,
            ),
        ]
    )
    assert table.n_valid == 2
    assert table.total_num.tolist() == [249, 250]
    assert table.has_items.tolist() == [False, True]
    assert np.isnan(table.items[0]).all() and table.items[1].tolist() == [0.7, 8.1, 7.5, 8.7]
    assert table.summarize()["clinical_intake"].tolist() == [True]


def test_mean_scored_scale_keeps_exact_fractions() -> None:
    source = fs.Source(citation="test", verified=False)
    item = fs.Item(key="a", label=fs.Labels(nb="A", nn="A", en="A"))
    scale = fs.Scale(
        key="MEAN3",
        name="Mean of three",
        kind="outcome",
        items=(item, item.model_copy(update={"key": "b"}), item.model_copy(update={"key": "c"})),
        item_min=0,
        item_max=10,
        resolution=1,
        scoring="mean",
        min_answered=2,
        source=source,
    )
    registry = fs.ScaleRegistry([scale])
    records = [
        {
            "person": "p",
            "scale": "MEAN3",
            "date": "2025-01-10",
            "item_1": 1,
            "item_2": 2,
            "item_3": 2,
        },
        {"person": "p", "scale": "MEAN3", "date": "2025-01-11", "item_1": 1, "item_2": 2},
        {"person": "p", "scale": "MEAN3", "date": "2025-01-12", "total": 5 / 3},
        {
            "person": "p",
            "scale": "MEAN3",
            "date": "2025-01-13",
            "item_1": 1,
            "item_2": 2,
            "item_3": 2,
            "total": 1.6666666666666667,
        },
    ]
    table = from_records(records, registry=registry)
    assert table.n_valid == 4
    fractions = [
        Fraction(int(a), int(b)) for a, b in zip(table.total_num, table.total_den, strict=True)
    ]
    assert fractions == [Fraction(5, 3), Fraction(3, 2), Fraction(5, 3), Fraction(5, 3)]
    for record, exact in zip(records, fractions, strict=True):
        items = tuple(record.get(f"item_{j}") for j in (1, 2, 3))
        adm = Administration.model_validate(
            {
                "scale": scale,
                "person": "p",
                "date": record["date"],
                "total": record.get("total"),
                "items": items if any(v is not None for v in items) else None,
            }
        )
        assert adm.total_ticks == exact


# --- the key test: one set of rules ------------------------------------------------------------

TEXT = st.sampled_from(["p1", "p2", "a b", " lead", "trail ", "x" * 201, "", "multi\nline", "ø"])
ITEM_VALUES = st.one_of(
    st.sampled_from([None, 0, 0.0, 0.7, 8.1, 10, 10.0, 10.1, -0.1, 8.15, 7.55, 3, 5.5, 1e300]),
    st.sampled_from([True, "5", math.nan, math.inf, Decimal("2.5"), np.float32(0.7), 1e-13]),
    st.integers(-2, 101).map(lambda t: t / 10),
)
#: Values that may or may not be valid, per field: a row gets up to two of them.
MUTATIONS: dict[str, st.SearchStrategy[Any]] = {
    "scale": st.sampled_from(["ORS", "SRS", "CORS", "YCORS", "ors", "XYZ", None, "", 3]),
    "person": st.one_of(st.none(), TEXT),
    "rater": st.sampled_from([None, "", "self", "caretaker", "collateral", "teacher"]),
    "rater_id": st.one_of(st.none(), TEXT),
    "date": st.sampled_from(
        ["2025-01-10", "2025-02-30", "2025-1-10", "", None, dt.date(2025, 1, 9), 20250110]
    ),
    "session": st.sampled_from([None, 1, 2, 3, 0, -1, 2.0, "3", True]),
    "episode": st.sampled_from([None, "e1", "", " e"]),
    "age": st.sampled_from([None, 3, 5, 8, 12, 13, 17, 18, 40, 131, -1, 30.0, "40", True]),
    "items": st.tuples(st.integers(0, 4), ITEM_VALUES),
    "total": st.one_of(
        st.sampled_from([None, 0, 25.0, 25.05, 40.5, -1.0, "25", math.nan, 1e300]),
        st.integers(0, 400).map(lambda t: t / 10),
    ),
}
AGES = {"ORS": (13, 90), "SRS": (13, 90), "CORS": (6, 12), "YCORS": (0, 5)}


@st.composite
def ROWS(draw: st.DrawFn) -> dict[str, Any]:
    """A valid row of a random form, then up to two fields replaced by any value."""
    key = draw(st.sampled_from(sorted(AGES)))
    scale = fs.get_scale(key)
    tpu = scale.ticks_per_unit
    lo, hi = AGES[key]
    ticks = [
        draw(st.integers(int(scale.item_min * tpu), int(scale.item_max * tpu)))
        for _ in range(scale.n_items)
    ]
    form = draw(st.sampled_from(["items", "total", "both"]))
    r: dict[str, Any] = {
        "scale": key,
        "person": draw(st.sampled_from(["p1", "p2", "p3"])),
        "rater": draw(st.sampled_from([None, "self"])),
        "rater_id": None,
        "date": draw(st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31))).isoformat(),
        "session": draw(st.one_of(st.none(), st.none(), st.integers(1, 40))),
        "episode": None,
        "age": draw(st.one_of(st.none(), st.integers(lo, hi))),
        "items": [t / tpu for t in ticks] if form != "total" else [],
        "total": sum(ticks) / tpu if form != "items" else None,
    }
    for name in draw(st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=2, unique=True)):
        value = draw(MUTATIONS[name])
        if name == "items":
            position, item = value
            items = list(r["items"]) + [None] * 5
            items[position] = item
            while items and items[-1] is None:
                items.pop()
            r["items"] = items
        else:
            r[name] = value
    return r


def as_record(r: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in r.items() if k != "items"}
    for j, value in enumerate(r["items"]):
        out[f"item_{j + 1}"] = value
    return out


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def as_administration(r: dict[str, Any]) -> dict[str, Any]:
    """The same row for Administration: blank text and None are left out."""
    data = {k: v for k, v in r.items() if k != "items" and not blank(v)}
    items = list(r["items"])
    if any(v is not None for v in items):
        try:
            n_items = fs.get_scale(r["scale"]).n_items
        except (fs.UnknownScaleError, TypeError):
            n_items = len(items)
        while len(items) < n_items:
            items.append(None)
        data["items"] = tuple(items)
    return data


TRACK_ERRORS = {"DuplicateAdministrationError", "SessionOrderError"}


@settings(max_examples=60)
@given(st.lists(ROWS(), min_size=1, max_size=30))
def test_table_validity_equals_administration_validity(rows: list[dict[str, Any]]) -> None:
    table = from_records([as_record(r) for r in rows])
    check_invariant(table)
    valid = {int(i): k for k, i in enumerate(table.row.tolist())}
    for i, r in enumerate(rows):
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # 1e300 overflows the ticks
                adm = Administration.model_validate(as_administration(r))
        except ValidationError:
            adm = None
        problems = {e for (_, e) in errors_of(table, i)}
        if adm is None:
            assert problems - TRACK_ERRORS, (r, table.errors.to_records())
            continue
        assert not problems - TRACK_ERRORS, (r, table.errors.to_records())
        if i in valid:
            k = valid[i]
            exact = Fraction(int(table.total_num[k]), int(table.total_den[k]))
            assert exact == adm.total_ticks
            assert table.total[k] == adm.total
            if adm.age is not None:
                assert table.age_years[k] == adm.age


@settings(max_examples=40)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "person": st.one_of(st.none(), st.text(max_size=4), st.integers(-3, 3)),
                "scale": st.sampled_from(["ORS", "SRS", "nope", None, 7]),
                "date": st.one_of(
                    st.none(),
                    st.sampled_from(["2025-01-0" + str(d) for d in range(1, 4)]),
                    st.text(max_size=10),
                    st.floats(),
                ),
                "session": st.one_of(
                    st.none(), st.integers(-1, 4), st.floats(), st.text(max_size=2)
                ),
                "item_1": st.one_of(
                    st.none(), st.floats(), st.integers(-5, 15), st.text(max_size=3), st.booleans()
                ),
                "item_2": st.one_of(st.none(), st.floats(0, 10)),
                "total": st.one_of(st.none(), st.floats(), st.decimals(allow_nan=True)),
                "skip": st.one_of(st.none(), st.booleans(), st.text(max_size=2)),
                "coordinator": st.one_of(st.none(), st.text(max_size=3), st.integers()),
            }
        ),
        max_size=25,
    )
)
def test_valid_plus_rejected_equals_input_always(rows: list[dict[str, Any]]) -> None:
    table = from_records(rows, group_columns=["coordinator"] if rows else None)
    check_invariant(table)
    # the same as CSV text and as JSON
    csv_rows = ["person,scale,date,session,item_1,total,skip"] + [
        ",".join(
            json.dumps(str(r[c]))[1:-1].replace(",", ";") if r[c] is not None else ""
            for c in ("person", "scale", "date", "session", "item_1", "total", "skip")
        )
        for r in rows
    ]
    check_invariant(parse_csv("\n".join(csv_rows) + "\n"))


@settings(max_examples=30)
@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=20),
    st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=20),
)
def test_invariant_for_numeric_arrays(values: list[float], days: list[int]) -> None:
    n = min(len(values), len(days))
    table = from_columns(
        {
            "person": np.arange(n) % 3,
            "scale": np.array(["ORS"] * n),
            "date": np.array(days[:n], dtype="datetime64[D]"),
            "total": np.array(values[:n]),
            "session": np.array(days[:n]) % 5,
        }
    )
    check_invariant(table)


# --- numbers in CSV are read strictly ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("0", 0.0),
        ("25", 25.0),
        ("25.0", 25.0),
        ("+25", 25.0),
        ("2.5e1", 25.0),
        ("25.", 25.0),
        (".5", 0.5),
        ("0.0", 0.0),
        ("", None),
    ],
)
def test_csv_numbers_that_are_numbers(text: str, total: float | None) -> None:
    table = parse_csv(f"person,scale,date,total,item_1\np,ORS,2025-01-10,{text},\n")
    if total is None:
        assert errors_of(table, 0) == {("total", "ScoreError")}
    else:
        assert table.total.tolist() == [total]


@pytest.mark.parametrize(
    "text",
    [
        '"7,5"',
        " 7",
        "7 ",
        "7.5.1",
        "nan",
        "inf",
        "0x10",
        "1_0",
        "\u0663",
        "--1",
        "e5",
        "1e",
        "12abc",
        "1" * 41,
    ],
)
def test_csv_numbers_that_are_not(text: str) -> None:
    table = parse_csv(f"person,scale,date,total\np,ORS,2025-01-10,{text}\n")
    assert errors_of(table, 0) == {("total", "ItemValueTypeError")}, table.errors.to_records()


def test_csv_whole_numbers_dates_and_flags() -> None:
    text = (
        "person,scale,date,session,age,skip,total\n"
        "p,ORS,2025-01-10,1,40,false,20\n"
        "p,ORS,2025-01-17,2,40,TRUE,\n"
        "p,ORS,2025-01-24,3.0,40,,21\n"
        "p,ORS,2025-01-31,4,forty,,21\n"
        "p,ORS,2025/02/07,5,40,,21\n"
        "p,ORS,2025-02-14,6,40,maybe,21\n"
        "p,ORS,2025-02-21,7,40\n"
    )
    table = parse_csv(text)
    check_invariant(table)
    assert table.row.tolist() == [0, 1]
    assert errors_of(table, 2) == {("session", "FieldError")}
    assert errors_of(table, 3) == {("age", "AgeError")}
    assert errors_of(table, 4) == {("date", "FieldError")}
    assert errors_of(table, 5) == {("skip", "FieldError")}
    assert ("", "FieldError") in errors_of(table, 6)


def test_csv_input_errors() -> None:
    with pytest.raises(TableInputError, match="no header"):
        parse_csv("")
    with pytest.raises(TableInputError, match="duplicate"):
        parse_csv("person,person,scale,date\n")
    with pytest.raises(TableInputError, match="required"):
        parse_csv("person,date\np,2025-01-10\n")
    with pytest.raises(TableInputError, match="use read_csv for a file"):
        parse_csv(["person,scale,date"])  # type: ignore[arg-type]
    with pytest.raises(TableInputError, match="delimiter must be one character"):
        parse_csv("person;scale;date\n", delimiter=";;")
    with pytest.raises(TableInputError, match="CSV, line 2"):
        parse_csv('person,scale,date\np,"ORS"x,2025-01-10\n')
    # bytes are UTF-8 text: the same table as the str
    text = "person,scale,date,total\nÅse,ORS,2025-01-10,7.5\n"
    assert parse_csv(text.encode()).to_records() == parse_csv(text).to_records()
    assert parse_csv("\ufeffperson,scale,date,total\n\np,ORS,2025-01-10,1\n\n").n_valid == 1


def test_input_errors_of_the_other_readers() -> None:
    with pytest.raises(TableInputError, match="differ in length"):
        from_columns({"person": ["a"], "scale": ["ORS", "ORS"], "date": ["2025-01-01"]})
    with pytest.raises(TableInputError, match="one-dimensional"):
        from_columns({"person": np.zeros((2, 2)), "scale": ["ORS"] * 2, "date": ["x"] * 2})
    with pytest.raises(TableInputError, match="item_1"):
        from_columns({"person": ["a"], "scale": ["ORS"], "date": ["2025-01-01"], "item_01": [1]})
    with pytest.raises(TableInputError, match="items"):
        from_records([{**BASE, "items": [1, 2, 3, 4]}])
    with pytest.raises(TableInputError, match="JSON"):
        parse_json("{not json")
    with pytest.raises(TableInputError, match="array"):
        parse_json('{"person": "p"}')
    with pytest.raises(TableInputError):
        from_records("person,scale")  # type: ignore[arg-type]
    table = from_records([BASE, ["not", "a", "mapping"]])  # type: ignore[list-item]
    assert errors_of(table, 1) >= {("", "FieldError")}
    check_invariant(table)


# --- arrays ----------------------------------------------------------------------------------


def test_numpy_arrays_nan_is_missing_and_strings_are_not_scores() -> None:
    table = from_columns(
        {
            "person": np.array([1, 1, 2, 3]),
            "scale": np.array(["ORS"] * 4),
            "date": np.array(
                ["2025-01-10", "2025-02-10", "2025-01-10", "2025-01-10"], dtype="datetime64[D]"
            ),
            "item_1": np.array([5.0, np.nan, 5.0, 5.0]),
            "item_2": np.array([5.0, np.nan, 5.0, 5.0], dtype=np.float32),
            "item_3": np.array([5, 0, 5, 5]),
            "item_4": np.ma.masked_array([5.0, 0.0, 5.0, 5.0], mask=[False, True, False, False]),
            "total": np.array([np.nan, 20.0, np.nan, np.inf]),
            "age": np.array([40.0, 40.0, 40.5, np.nan]),
        }
    )
    check_invariant(table)
    assert errors_of(table, 1) == {("items", "MissingItemsError")}  # item_3 = 0 is a score
    assert errors_of(table, 2) == {("age", "AgeError")}
    assert errors_of(table, 3) == {("total", "ItemValueTypeError")}
    assert table.row.tolist() == [0] and table.person.tolist() == ["1"]
    text = from_columns(
        {"person": ["p"], "scale": ["ORS"], "date": ["2025-01-10"], "total": np.array(["20"])}
    )
    assert errors_of(text, 0) == {("total", "ItemValueTypeError")}


def test_float32_reads_as_printed_and_datetimes_must_be_dates() -> None:
    table = from_columns(
        {
            "person": ["p", "p"],
            "scale": ["ORS", "ORS"],
            "date": np.array(["2025-01-10T00:00", "2025-01-11T12:30"], dtype="datetime64[m]"),
            "item_1": np.array([0.7, 0.7], dtype=np.float32),
            "item_2": [8.1, 8.1],
            "item_3": [7.5, 7.5],
            "item_4": [8.7, 8.7],
        }
    )
    assert table.total_num.tolist() == [250]
    assert errors_of(table, 1) == {("date", "FieldError")}


def test_grouping_columns_are_kept_as_text() -> None:
    table = from_records(
        [
            row(coordinator="Kari", municipality=301),
            row(date="2025-02-10", coordinator="", municipality=301),
            row(person="p2", coordinator=None, municipality=None),
        ],
        group_columns=["coordinator", "municipality"],
    )
    assert table.group_names == ("coordinator", "municipality")
    assert table.groups["municipality"].tolist() == ["301", "301", None]
    summary = table.summarize()
    assert summary["coordinator"].tolist() == ["Kari", None]
    assert summary["municipality"].tolist() == ["301", None]


def test_self_rater_id_equal_to_the_person_is_the_same_track() -> None:
    table = from_records([row(rater_id="p1"), row(date="2025-02-10")])
    assert table.n_valid == 2 and table.n_tracks == 1
    assert table.rater_id.tolist() == [None, None]
    other = from_records([row(rater="collateral", rater_id="teacher"), row(date="2025-02-10")])
    assert other.n_tracks == 2


def test_birth_date_gives_the_age_at_each_date() -> None:
    table = from_records(
        [
            row(scale="ORS", date="2025-05-31", birth_date="2007-06-01"),
            row(scale="ORS", date="2025-06-01", birth_date="2007-06-01"),
        ]
    )
    assert table.age_years.tolist() == [17, 18]
    assert table.birth_days is not None and table.date.tolist() == [
        dt.date(2025, 5, 31),
        dt.date(2025, 6, 1),
    ]


# --- round trips --------------------------------------------------------------------------------


#: The grouping column of :func:`sample_table` (declared when it is read back).
GROUPS = ["coordinator"]


def sample_table() -> ScoreTable:
    return from_records(
        [
            row(person="a", age=40, session=1, coordinator="Kari", ending_reason="planned"),
            row(
                person="a",
                date="2025-02-10",
                age=40,
                session=2,
                item_1=0.7,
                total=15.7,
                coordinator="Kari",
            ),
            {"person": "a", "scale": "ORS", "date": "2025-03-10", "skip": True, "session": 3},
            {
                "person": "b",
                "scale": "CORS",
                "date": "2025-01-03",
                "rater": "caretaker",
                "rater_id": "mor",
                "birth_date": "2015-05-05",
                "total": 12.3,
                "episode": "e2",
            },
            {
                "person": "b",
                "scale": "YCORS",
                "date": "2019-01-03",
                "rater": "self",
                "age": 3,
                "item_1": 4,
            },
        ],
        group_columns=["coordinator"],
    )


def same(a: ScoreTable, b: ScoreTable) -> None:
    assert a.to_records() == b.to_records()
    assert a.total_num.tolist() == b.total_num.tolist()
    assert a.track_starts.tolist() == b.track_starts.tolist()


def test_round_trips_records_csv_json() -> None:
    table = sample_table()
    check_invariant(table)
    assert table.n_valid == 5 and table.n_tracks == 3
    same(table, from_records(table.to_records(), group_columns=GROUPS))
    same(table, parse_csv(table.to_csv(), group_columns=GROUPS))
    same(table, parse_json(table.to_json(), group_columns=GROUPS))
    columns = {k: [r[k] for r in table.to_records()] for k in table.to_records()[0]}
    same(
        table,
        parse_json(
            json.dumps(
                {
                    k: [
                        None if v is None else (v.isoformat() if isinstance(v, dt.date) else v)
                        for v in vs
                    ]
                    for k, vs in columns.items()
                }
            ),
            group_columns=GROUPS,
        ),
    )


def test_round_trip_pandas() -> None:
    pytest.importorskip("pandas")
    table = sample_table()
    df = table.to_pandas()
    assert list(df.columns)[:5] == ["person", "scale", "rater", "rater_id", "date"]
    same(table, from_pandas(df, group_columns=GROUPS))
    assert table.errors.to_pandas().shape == (0, 4)


def test_polars() -> None:
    pl = pytest.importorskip("polars")
    table = sample_table()
    records = table.to_records()
    df = pl.DataFrame({k: [r[k] for r in records] for k in records[0]})
    same(table, from_polars(df, group_columns=GROUPS))


def test_error_report_outputs() -> None:
    table = from_records([row(item_1=11.0), row(person="", date="x")])
    records = table.errors.to_records()
    assert [r["row"] for r in records] == [0, 1, 1]
    assert [r["column"] for r in records] == ["item_1", "person", "date"]
    assert json.loads(table.errors.to_json()) == records
    assert table.errors.to_csv().splitlines()[0] == "row,column,error,reason"
    assert table.errors.counts()[("item_1", "ItemRangeError")] == 1


def test_len_and_importing_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, fit_scores, fit_scores.table; "
        "print('pandas' in sys.modules, 'polars' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    assert len(sample_table()) == 5


def test_every_sort_path_gives_the_same_table(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    n = 400
    columns = {
        "person": rng.integers(0, 40, n),
        "scale": np.array(["ORS"] * n),
        "rater": rng.choice(["self", "caretaker"], n),
        "date": np.datetime64("2025-01-01") + rng.integers(0, 30, n).astype("timedelta64[D]"),
        "total": rng.integers(0, 400, n) / 10,
        "session": np.where(rng.random(n) < 0.5, rng.integers(1, 6, n), 0).astype(float),
    }
    columns["session"][columns["session"] == 0] = np.nan
    reference = from_columns(columns)
    assert reference.n_rejected > 0  # duplicates and sessions out of order
    # a session number so large that the position no longer fits beside the key
    big = {**columns, "session": columns["session"] * 2**40}
    argsorted = from_columns(big)
    assert argsorted.row.tolist() == reference.row.tolist()
    assert argsorted.errors.row.tolist() == reference.errors.row.tolist()
    from fit_scores._core import segments

    monkeypatch.setattr(segments, "combine_codes", lambda codes, sizes: None)
    lexsorted = from_columns(columns)
    assert lexsorted.to_records() == reference.to_records()
    assert lexsorted.errors.to_records() == reference.errors.to_records()
    assert lexsorted.track_starts.tolist() == reference.track_starts.tolist()


def test_huge_session_numbers_are_ordered_too() -> None:
    table = from_records(
        [
            row(date="2025-01-10", session=2**61),
            row(date="2025-02-10", session=2**60),
            row(date="2025-03-10", session=2**61 + 1),
            row(person="q", date="2025-01-10", session=1),
        ]
    )
    assert errors_of(table, 1) == {("session", "SessionOrderError")}
    assert sorted(table.row.tolist()) == [0, 2, 3]


def test_wild_values_in_rejected_rows_do_not_change_the_sort(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows are packed by every row's range, or the valid rows' where that is too wide.

    Rejected rows with huge session numbers widen every row's range past 63
    bits; the valid rows' ranges still pack into one word, so the packed sort
    runs (not the general one), and the table is the one without those rows.
    """
    from fit_scores.table import build

    no_items = {f"item_{j}": DROP for j in range(1, 5)}
    good = [
        row(person=p, date=f"2025-0{m}-10", session=m, **no_items, total=20.0 + m)
        for p in ("a", "b", "c")
        for m in (3, 1, 2)
    ]
    bad = [
        row(person="a", date="2025-04-10", session=2**62, **no_items, total=99.0),  # too high
        row(person="z", date="2025-04-10", session=2**61, item_4=DROP),  # too few items
    ]
    general: list[int] = []
    original = build._sort_general

    def counted(*args: Any) -> Any:
        general.append(1)
        return original(*args)

    monkeypatch.setattr(build, "_sort_general", counted)
    mixed = from_records([bad[0], *good[:4], bad[1], *good[4:]])
    clean = from_records(good)
    assert general == []
    assert mixed.n_valid == clean.n_valid == 9 and mixed.n_rejected == 2
    assert sorted(mixed.errors.row.tolist()) == [0, 5]
    assert mixed.summarize().to_records() == clean.summarize().to_records()
    assert mixed.session_number.tolist() == clean.session_number.tolist()
    assert mixed.total.tolist() == clean.total.tolist()
    assert mixed.person.tolist() == clean.person.tolist()


def test_a_column_constant_in_the_valid_rows_is_kept_as_one_value() -> None:
    """Rejected rows hold defaults (den 0); the valid rows' den 1 is stored once (memory)."""
    rows = [row(person=f"p{i}", date="2025-01-10") for i in range(6)]
    rows[2] = row(person="p2", date="2025-01-10", item_4=11.0)  # out of range: rejected
    table = from_records(rows)
    assert table.n_valid == 5
    assert table.total_den.strides == (0,) and table.total_den.tolist() == [1] * 5
    assert table.skip.strides == (0,) and not table.skip.any()
    no_items = {f"item_{j}": DROP for j in range(1, 5)}
    mixed = from_records([*rows[:2], row(person="s", date="2025-01-10", skip=True, **no_items)])
    assert mixed.n_valid == 3
    assert mixed.total_den.strides != (0,)
    assert sorted(mixed.total_den.tolist()) == [0, 1, 1]


def test_row_chunks_cover_every_row_once_in_equal_parts() -> None:
    from fit_scores._core import parallel
    from fit_scores.table import build

    for n in (0, 1, 1000, parallel.PARALLEL_ROWS - 1, parallel.PARALLEL_ROWS, 300_001, 2_000_000):
        chunks, workers = build._row_parts(n)
        covered = np.concatenate([np.arange(n)[c] for c in chunks]) if chunks else np.zeros(0)
        assert covered.tolist() == list(range(n))
        assert all((c.stop - c.start) * workers <= build._CHUNK for c in chunks)
        if n < parallel.PARALLEL_ROWS:
            assert workers == 1
        else:
            assert len(chunks) % workers == 0 or len(chunks) < workers


def test_a_table_checked_on_several_threads_is_the_table_checked_on_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Chunks checked at once write their own rows and log in row order: the same table."""
    from fit_scores._core import parallel
    from fit_scores.table import build

    rng = np.random.default_rng(11)
    n = 3 * parallel.PARALLEL_ROWS + 17
    items = [np.round(rng.uniform(0, 10, n), 1) for _ in range(4)]
    items[0][rng.integers(0, n, 500)] = 11.0  # out of range
    items[1][rng.integers(0, n, 500)] = 5.05  # off the grid
    items[2][rng.integers(0, n, 300)] = np.nan  # unanswered
    age = rng.integers(8, 40, n)
    person = np.char.add("p", (np.arange(n) // 7).astype(str)).astype(object)
    person[rng.integers(0, n, 200)] = "p\u200b1"  # invisible character: refused
    person[rng.integers(0, n, 200)] = None  # missing
    person[rng.integers(0, n, 200)] = " Åse"  # stripped and normalised: one person
    columns = {
        "person": person,
        "scale": np.where(rng.random(n) < 0.5, "ORS", "SRS"),
        "date": np.datetime64("2020-01-01") + np.arange(n) % 2000,
        "age": age,
        "episode": np.where(rng.random(n) < 0.01, "e\x01", "e1"),
        "team": np.where(rng.random(n) < 0.5, "Løvås", "Berg"),
        **{f"item_{j + 1}": items[j] for j in range(4)},
    }
    monkeypatch.setattr(parallel, "MAX_WORKERS", 1)
    one = from_columns(columns, as_of=dt.date(2026, 1, 1), group_columns=["team"])
    monkeypatch.setattr(parallel, "MAX_WORKERS", 4)
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    assert build._row_parts(n)[1] == 4
    several = from_columns(columns, as_of=dt.date(2026, 1, 1), group_columns=["team"])
    assert one.errors.n_rejected > 1000
    columns_with_errors = set(one.errors.column.tolist())
    assert {"person", "episode", "item_1", "item_2"} <= columns_with_errors
    assert several.groups["team"].tolist() == one.groups["team"].tolist()
    assert several.episode.tolist() == one.episode.tolist()
    assert several.errors.to_records() == one.errors.to_records()
    assert several.row.tolist() == one.row.tolist()
    assert several.total.tolist() == one.total.tolist()
    assert several.person.tolist() == one.person.tolist()
