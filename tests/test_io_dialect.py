"""Norwegian files as they come; size limits; the error report in groups."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fit_scores as fs
from fit_scores.errors import CsvSyntaxError, TableInputError, TextEncodingError
from fit_scores.io import group_errors, parse_csv, parse_json, read_csv, read_json
from fit_scores.io.dialect import (
    MAX_FIELD_LENGTH,
    day_first_to_iso,
    decimal_comma_to_point,
    detect_delimiter,
)

ENGINES = ["numpy", "pyarrow", "python"]

#: The same administrations, written as a Norwegian Excel writes them ...
NORWEGIAN = (
    "\ufeffID;Skala;Dato;Økt;Alder;Ledd 1;Ledd 2;Ledd 3;Ledd 4;Sum;koordinator\r\n"
    "Åse;ORS;10.01.2025;1;40;4,5;5;4;6;19,5;Berg, Ørjan\r\n"
    "Åse;ORS;1.3.2025;2;40;7;7,5;6,5;7;28;Berg, Ørjan\r\n"
    "Bo;ORS;12.01.2025;1;15;10,5;5;5;5;;Lie\r\n"
    "Bo;ORS;30.02.2025;2;15;5;5;5;5;;Lie\r\n"
    "Bo;ORS;2025-03-12;3;15;5;5;5;5,0;20;Lie\r\n"
)
#: ... and as the library's own format.
CANONICAL = (
    "person,scale,date,session,age,item_1,item_2,item_3,item_4,total,koordinator\n"
    'Åse,ORS,2025-01-10,1,40,4.5,5,4,6,19.5,"Berg, Ørjan"\n'
    'Åse,ORS,2025-03-01,2,40,7,7.5,6.5,7,28,"Berg, Ørjan"\n'
    "Bo,ORS,2025-01-12,1,15,10.5,5,5,5,,Lie\n"
    "Bo,ORS,30.02.2025,2,15,5,5,5,5,,Lie\n"
    "Bo,ORS,2025-03-12,3,15,5,5,5,5.0,20,Lie\n"
)
G = ["koordinator"]


def snapshot(table: fs.ScoreTable) -> tuple[object, object, object]:
    return table.to_records(), table.errors.to_records(), table.summarize().to_records()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_norwegian_export_reads_as_the_canonical_file(engine: str) -> None:
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    table = parse_csv(NORWEGIAN, engine=engine, group_columns=G)  # type: ignore[arg-type]
    reference = parse_csv(CANONICAL, engine="python", group_columns=G)
    assert snapshot(table) == snapshot(reference)
    assert table.n_valid == 3 and table.n_rejected == 2
    errors = {(e["row"], e["column"], e["reason"]) for e in table.errors.to_records()}
    # an invalid day-first date keeps its own text in the report
    assert (3, "date", "date = '30.02.2025' is not a date; write YYYY-MM-DD") in errors
    assert sorted(table.total.tolist()) == [19.5, 20.0, 28.0]


def test_read_csv_norwegian_file_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "eksport.csv"
    path.write_bytes(NORWEGIAN.removeprefix("\ufeff").encode("cp1252"))
    with pytest.raises(TextEncodingError, match=r"eksport\.csv: byte \d+ is not utf-8") as info:
        read_csv(path, group_columns=G)
    assert "encoding='cp1252'" in str(info.value) and "--encoding" in str(info.value)
    assert info.value.path == str(path) and info.value.encoding == "utf-8"
    table = read_csv(path, encoding="cp1252", group_columns=G)
    assert snapshot(table) == snapshot(parse_csv(CANONICAL, group_columns=G))
    latin = read_csv(path, encoding="latin-1", group_columns=G)
    assert latin.person.tolist() == table.person.tolist()


def test_nothing_is_guessed_in_a_comma_file() -> None:
    text = 'person,scale,date,total\np,ORS,10.01.2025,"19,5"\np,ORS,2025-02-01,"7,5"\n'
    table = parse_csv(text)
    assert table.n_valid == 0
    reasons = [e["reason"] for e in table.errors.to_records()]
    assert "date = '10.01.2025' is not a date; write YYYY-MM-DD" in reasons
    assert any("'19,5' is not a number" in r for r in reasons)
    asked = parse_csv(text, decimal=",", dayfirst=True)
    assert asked.n_valid == 2 and asked.total.tolist() == [19.5, 7.5]
    # and a semicolon file can be told otherwise
    strict = parse_csv(
        "person;scale;date;total\np;ORS;10.01.2025;19,5\n", decimal=".", dayfirst=False
    )
    assert strict.n_valid == 0 and len(strict.errors) == 2
    with pytest.raises(TableInputError, match="decimal must be"):
        parse_csv(text, decimal=";")
    with pytest.raises(TableInputError, match="dayfirst must be"):
        parse_csv(text, dayfirst="yes")  # type: ignore[arg-type]


def test_detect_delimiter() -> None:
    assert detect_delimiter("person;scale;date\n") == ";"
    assert detect_delimiter(b"\xef\xbb\xbfperson;scale;date\r\n") == ";"
    assert detect_delimiter("person\tscale\tdate\n") == "\t"
    assert detect_delimiter("person,scale,date\n") == ","
    assert detect_delimiter('"a;b",scale\n') == ","  # (a semicolon inside quotes)
    assert detect_delimiter("person;scale,date\n") == ","  # both: the comma
    assert detect_delimiter("\n\nperson;scale\n") == ";"  # blank lines first
    tabbed = parse_csv("person\tscale\tdate\ttotal\np\tORS\t2025-01-10\t19.5\n")
    assert tabbed.total.tolist() == [19.5]


@given(st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False))
@settings(max_examples=200, deadline=None)
def test_decimal_comma_is_the_point(value: object) -> None:
    text = str(value)
    comma = text.replace(".", ",")
    assert decimal_comma_to_point(np.array([comma])).tolist() == [text]


@given(st.dates(min_value=__import__("datetime").date(1, 1, 1)))
@settings(max_examples=200, deadline=None)
def test_day_first_dates(day: object) -> None:
    import datetime as dt

    assert isinstance(day, dt.date)
    written = f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
    short = f"{day.day}.{day.month}.{day.year:04d}"
    assert day_first_to_iso(np.array([written, short], dtype=object)).tolist() == [
        day.isoformat(),
        day.isoformat(),
    ]


def test_day_first_leaves_what_is_not_a_date() -> None:
    texts = ["29.02.2023", "29.02.2024", "1.13.2025", "10.01.25", "10/01/2025", "", "2025-01-10"]
    assert day_first_to_iso(np.array(texts)).tolist() == [
        "29.02.2023",
        "2024-02-29",
        "1.13.2025",
        "10.01.25",
        "10/01/2025",
        "",
        "2025-01-10",
    ]


# --- limits ---------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["numpy", "pyarrow", "auto"])
@pytest.mark.parametrize("size", [200 * 1024, 3 * 1024 * 1024])
def test_a_huge_field_rejects_its_row_not_the_file(engine: str, size: int) -> None:
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    big = "x" * size
    text = (
        "person,scale,date,total,coordinator\n"
        f"p,ORS,2025-01-10,20,{big}\n"
        "p,ORS,2025-02-10,21,k\n"
        f'{big},ORS,2025-02-10,21,"{big}"\n'
        "q,ORS,2025-02-10,22,k\n"
    )
    table = parse_csv(text, engine=engine, group_columns=["coordinator"])  # type: ignore[arg-type]
    assert table.n_input == 4 and table.n_valid == 2 and table.n_rejected == 2
    errors = table.errors.to_records()
    assert {(e["row"], e["column"], e["error"]) for e in errors} == {
        (0, "coordinator", "FieldError"),
        (2, "person", "FieldError"),
        (2, "coordinator", "FieldError"),
    }
    assert errors[0]["reason"] == (
        f"coordinator: a field of {size} characters; the limit is {MAX_FIELD_LENGTH}"
    )
    assert all(len(e["reason"]) < 200 for e in errors)
    assert table.person.tolist() == ["p", "q"]


def test_the_reference_engine_names_its_field_limit() -> None:
    big = "x" * (200 * 1024)
    with pytest.raises(CsvSyntaxError, match="line 2: field larger than field limit"):
        parse_csv(f"person,scale,date\np,ORS,{big}\n", engine="python")


def test_a_long_line_of_many_fields_rejects_its_row() -> None:
    wide = ",".join(["1"] * 100_000)
    table = parse_csv(f"person,scale,date,total\np,ORS,2025-01-10,20\nq,ORS,2025-01-10,{wide}\n")
    assert table.n_valid == 1
    assert table.errors.to_records()[0]["reason"] == (
        "the record has 100003 fields; the header has 4"
    )


@pytest.mark.parametrize("depth", [65, 5_000, 200_000])
def test_deep_json_is_a_library_error(tmp_path: Path, depth: int) -> None:
    text = "[" * depth + "]" * depth
    with pytest.raises(TableInputError, match=f"nested {depth} levels deep"):
        parse_json(text)
    path = tmp_path / "deep.json"
    path.write_text('{"person": ' + text + "}", encoding="utf-8")
    with pytest.raises(TableInputError, match="levels deep"):
        read_json(path)


def test_nested_values_within_the_limit_are_rejected_cells() -> None:
    nested = "[" * 60 + "1" + "]" * 60
    records = [
        {"person": "p", "scale": "ORS", "date": "2025-01-10", "total": 19.5},
        {"person": "p", "scale": "ORS", "date": "2025-02-10", "total": json.loads(nested)},
    ]
    table = parse_json(json.dumps(records))
    assert table.n_valid == 1 and table.n_rejected == 1
    assert table.errors.to_records()[0]["column"] == "total"
    # brackets inside strings are text, not nesting
    text = json.dumps([{**records[0], "person": "[" * 100 + '\\"' + "{" * 100}])
    assert parse_json(text).n_input == 1
    with pytest.raises(TableInputError, match="takes the JSON text"):
        parse_json(None)  # type: ignore[arg-type]


# --- the report in groups -------------------------------------------------------------------


def test_group_errors_counts_repeated_cell_errors() -> None:
    rows = ["person,scale,date,total,item_1,item_2,item_3,item_4"]
    rows += [f'p{i},ORS,2025-01-10,"{i % 30},5",,,,' for i in range(1204)]
    rows += ["x,ORS,2025-01-10,abc,,,,", "y,ORS,10.01.2025,20,,,,", "z,XYZ,2025-01-10,20,,,,"]
    rows += ["w,ORS,2025-01-10,41,,,,", "v,ORS,2025-01-10,45,,,,"]
    table = parse_csv("\n".join(rows) + "\n")
    groups = group_errors(table.errors)
    assert sum(g.n_rows for g in groups) == len(table.errors)
    first = groups[0]
    assert (first.column, first.error, first.kind, first.n_rows) == (
        "total",
        "ItemValueTypeError",
        "decimal comma",
        1204,
    )
    assert first.rows == (0, 1, 2) and first.values == ("'0,5'", "'1,5'", "'2,5'")
    assert first.message() == (
        "column `total`: 1,204 rows use a decimal comma (e.g. '0,5', '1,5', '2,5'); "
        "give decimal=','"
    )
    assert first.message(cli=True).endswith("give --decimal ,")
    by_kind = {(g.column, g.kind): g for g in groups}
    date = by_kind[("date", "day-first date")]
    assert date.n_rows == 1 and date.message(cli=True) == (
        "column `date`: 1 row has dates written dd.mm.yyyy (e.g. '10.01.2025'); give --dayfirst"
    )
    out_of_range = [g for g in groups if g.error == "TotalRangeError"]
    assert len(out_of_range) == 1 and out_of_range[0].n_rows == 2  # 41 and 45: one group
    assert out_of_range[0].values == ("41.0", "45.0")
    assert "2 rows (1207, 1208): TotalRangeError" in out_of_range[0].message()
    assert group_errors(parse_csv(rows[0] + "\n").errors) == []
    # what the decimal-comma hint says works
    fixed = parse_csv("\n".join(rows) + "\n", decimal=",", dayfirst=True)
    assert not [g for g in group_errors(fixed.errors) if g.kind is not None]
    with pytest.raises(TableInputError, match="max_examples"):
        group_errors(table.errors, max_examples=0)


def test_group_errors_on_every_path() -> None:
    table = fs.from_records(
        [{"person": "p", "scale": "ORS", "date": "2025-01-10", "total": t} for t in (41, 42, "x")]
    )
    groups = group_errors(table.errors)
    assert [(g.error, g.n_rows) for g in groups] == [
        ("TotalRangeError", 2),
        ("ItemValueTypeError", 1),
    ]


json_values = st.recursive(
    st.none() | st.integers() | st.text(alphabet='[]{}"\\ab', max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=30,
)


def true_depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(true_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(true_depth, value.values()), default=0)
    return 0


@given(json_values)
@settings(max_examples=300, deadline=None)
def test_json_depth_is_the_nesting_depth(value: object) -> None:
    from fit_scores.io.readers import _json_depth

    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=1)):
        assert _json_depth(text) == true_depth(value)
        assert _json_depth(text.encode("utf-8")) == true_depth(value)


def test_bad_options_are_library_errors(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("person,scale,date\n", encoding="utf-8")
    for options, message in (
        ({"encoding": 5}, "encoding must be the name"),
        ({"delimiter": 5}, "delimiter must be one character"),
        ({"decimal": 5}, "decimal must be"),
        ({"dayfirst": 1}, "dayfirst must be True or False"),
        ({"group_columns": 5}, "group_columns must be a list"),
        ({"engine": "x"}, "engine must be"),
    ):
        with pytest.raises(TableInputError, match=message):
            read_csv(path, **options)
    with pytest.raises(TableInputError, match="encoding must be"):
        read_json(path, encoding=None)  # type: ignore[arg-type]


fuzz_text = st.text(alphabet=st.sampled_from(list(';,\t"\r\n.-01259aøÅ\ufeff ')), max_size=60)


@given(
    st.one_of(fuzz_text, fuzz_text.map(lambda t: "person;skala;dato;sum;alder\n" + t)),
    st.sampled_from([None, ",", ";"]),
    st.sampled_from([None, ".", ","]),
    st.sampled_from([None, True, False]),
    st.sampled_from(["numpy", "pyarrow", "python"]),
)
@settings(max_examples=200, deadline=None)
def test_parse_csv_raises_only_library_errors(
    text: str, delimiter: str | None, decimal: str | None, dayfirst: bool | None, engine: str
) -> None:
    try:
        table = parse_csv(
            text,
            delimiter=delimiter,
            decimal=decimal,
            dayfirst=dayfirst,
            engine=engine,  # type: ignore[arg-type]
        )
    except fs.FitScoresError:
        return
    assert table.n_valid + table.n_rejected == table.n_input
    assert sum(g.n_rows for g in group_errors(table.errors)) == len(table.errors)


ENGINES = ["python", "numpy"] + (
    ["pyarrow"] if importlib.util.find_spec("pyarrow") is not None else []
)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_nul_in_a_cell_is_a_character_not_the_end_of_the_text(engine: str) -> None:
    """'1\\0' is not the session 1 (fixed-width text drops trailing NULs: it was read as 1)."""
    text = "person,scale,date,session,total,skip\np,ORS,2025-01-10,1\0,20\0,true\0\n"
    table = parse_csv(text, engine=engine)  # type: ignore[arg-type]
    assert table.n_valid == 0
    assert [e["reason"] for e in table.errors.to_records()] == [
        "session = '1\\x00' is not a whole number",
        "total = '20\\x00' is not a number (write e.g. 7.5: digits, a point, no spaces)",
        "skip = 'true\\x00' is not true/false (write true, false, 1 or 0)",
    ]
    # in a Norwegian export, whatever the other rows hold (a translated cell or not)
    head, nul_date = "person;scale;date;total\n", "p;ORS;2025-01-10\0;20\n"
    for other in ("", "q;ORS;11.01.2025;20\n", "q;ORS;2025-01-11;20\n"):
        table = parse_csv(head + nul_date + other, engine=engine)  # type: ignore[arg-type]
        assert table.errors.to_records()[0]["reason"] == (
            "date = '2025-01-10\\x00' is not a date; write YYYY-MM-DD"
        )
        assert table.n_valid == (1 if other else 0)


def test_a_file_with_carriage_returns_alone_is_read_with_its_delimiter() -> None:
    table = parse_csv("ID;Skala;Dato;Sum\rp;ORS;10.01.2025;7,5\r")
    assert table.n_valid == 1 and table.total.tolist() == [7.5]
