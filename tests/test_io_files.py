"""The io layer: files in, the same table as the text in memory, with or without pyarrow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import fit_scores as fs
from fit_scores.errors import CsvSyntaxError, TableInputError
from fit_scores.io import parse_csv, parse_json, read_csv, read_json, read_parquet

CSV = (
    "person,scale,date,age,item_1,item_2,item_3,item_4,total,coordinator\n"
    'Åse,ORS,2025-01-10,40,4.5,5.0,4.0,6.0,,"Berg, Ørjan"\n'
    'Åse,ORS,2025-03-01,40,7.0,7.5,6.5,7.0,28.0,"Berg, Ørjan"\n'
    "bo,ORS,2025-01-12,15,10.5,5,5,5,,Lie\n"
    "bo,ORS,2025-02-12,15,5,5,5,5,20.0,Lie\n"
    "bo,ORS,2025-02-30,15,5,5,5,5,,Lie\n"
    'kim,ORS,2025-01-12,15,"7,5",5,5,5,,Lie\n'
    "kim,ORS,2025-01-19\n"
)


G = ["coordinator"]  # the grouping column of CSV, declared


def snapshot(table: fs.ScoreTable) -> tuple[object, object, object]:
    return table.to_records(), table.errors.to_records(), table.summarize().to_records()


@pytest.mark.parametrize("engine", ["numpy", "python", "pyarrow"])
def test_every_engine_gives_the_same_table(engine: str) -> None:
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    reference = snapshot(parse_csv(CSV, engine="python", group_columns=G))
    assert snapshot(parse_csv(CSV, engine=engine, group_columns=G)) == reference  # type: ignore[arg-type]
    table = parse_csv(CSV, engine=engine, group_columns=G)  # type: ignore[arg-type]
    assert table.n_input == 7 and table.n_valid + table.n_rejected == 7
    errors = {(e["row"], e["error"]) for e in table.errors.to_records()}
    assert (2, "ItemRangeError") in errors  # 10.5
    assert (4, "FieldError") in errors  # 30 February
    assert (5, "ItemValueTypeError") in errors  # "7,5"
    assert (6, "FieldError") in errors  # a record with 3 fields


def test_read_csv_equals_parse_csv(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_bytes(CSV.encode("utf-8"))
    expected = snapshot(parse_csv(CSV, group_columns=G))
    assert snapshot(read_csv(path, group_columns=G)) == expected
    assert snapshot(read_csv(str(path), engine="numpy", group_columns=G)) == expected
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + CSV.replace("\n", "\r\n").encode("utf-8"))
    assert snapshot(read_csv(bom, group_columns=G)) == expected


def test_read_csv_other_encodings_and_delimiters(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes(CSV.replace(",", ";").replace("Berg; Ørjan", "Berg").encode("cp1252"))
    with pytest.raises(TableInputError, match=r"latin\.csv: byte \d+ is not utf-8.*cp1252"):
        read_csv(latin, delimiter=";", group_columns=G)
    table = read_csv(latin, delimiter=";", encoding="cp1252", decimal=".", group_columns=G)
    assert table.person.tolist().count("Åse") == 2
    with pytest.raises(TableInputError, match="not a known text encoding"):
        read_csv(latin, encoding="no-such-encoding", group_columns=G)


def test_read_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(TableInputError, match=r"missing\.csv: no such file"):
        read_csv(tmp_path / "missing.csv")
    with pytest.raises(TableInputError, match="a folder, not a file"):
        read_csv(tmp_path)
    broken = tmp_path / "broken.csv"
    broken.write_text('person,scale,date\np,"ORS"x,2025-01-10\n')
    with pytest.raises(CsvSyntaxError, match="CSV, line 2") as info:
        read_csv(broken)
    assert info.value.line == 2
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("[{")
    with pytest.raises(TableInputError, match="JSON"):
        read_json(bad_json)


def test_read_json_equals_parse_json(tmp_path: Path) -> None:
    text = (
        '[{"person": "p", "scale": "ORS", "date": "2025-01-10", "age": 40, "total": 19.5},'
        ' {"person": "p", "scale": "ORS", "date": "2025-03-01", "age": 40, "total": "25"}]'
    )
    path = tmp_path / "scores.json"
    path.write_text(text, encoding="utf-8")
    assert snapshot(read_json(path)) == snapshot(parse_json(text))
    assert read_json(path).n_rejected == 1  # a JSON string is not a score


def test_read_parquet_keeps_types_and_nulls(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import datetime as dt

    data = pa.table(
        {
            "person": pa.array(["a", "a", "b", None]).dictionary_encode(),
            "scale": ["ORS", "ORS", "ORS", "ORS"],
            "date": pa.array(
                [dt.date(2025, 1, 10), dt.date(2025, 3, 1), dt.date(2025, 1, 12), None]
            ),
            "age": pa.array([40, 40, None, 30], type=pa.int64()),
            "session": pa.array([1, 2, 1, 1], type=pa.int32()),
            "total": pa.array([19.5, 25.0, None, 20.0]),
            "item_1": pa.array([None, None, 5.0, None]),
        }
    )
    path = tmp_path / "scores.parquet"
    pq.write_table(data, path)
    table = read_parquet(path)
    same = fs.from_columns(
        {
            "person": np.array(["a", "a", "b", None], dtype=object),
            "scale": ["ORS"] * 4,
            "date": np.array(["2025-01-10", "2025-03-01", "2025-01-12", "NaT"], "datetime64[D]"),
            "age": np.array([40, 40, np.nan, 30]),
            "session": np.array([1, 2, 1, 1], dtype=np.int32),
            "total": np.array([19.5, 25.0, np.nan, 20.0]),
            "item_1": np.array([np.nan, np.nan, 5.0, np.nan]),
        }
    )
    assert snapshot(table) == snapshot(same)
    assert table.n_valid == 2 and table.n_rejected == 2
    (tmp_path / "x.parquet").write_text("nope")
    with pytest.raises(TableInputError, match="not a Parquet file"):
        read_parquet(tmp_path / "x.parquet")


def test_importable_and_correct_without_pyarrow(tmp_path: Path) -> None:
    """pyarrow blocked: the numpy engine reads the same table, read_parquet says what it needs."""
    path = tmp_path / "scores.csv"
    path.write_text(CSV, encoding="utf-8")
    code = (
        "import sys; sys.modules['pyarrow'] = None\n"
        "import json, fit_scores as fs\n"
        "from fit_scores.io import read_csv, read_parquet\n"
        f"t = read_csv({str(path)!r}, group_columns=['coordinator'])\n"
        "print(json.dumps([t.n_valid, t.n_rejected, t.summarize()['category'].tolist()]))\n"
        "try:\n"
        f"    read_parquet({str(path)!r})\n"
        "except fs.TableInputError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    with_arrow = parse_csv(CSV, group_columns=G)
    assert out[0] == (
        f"[{with_arrow.n_valid}, {with_arrow.n_rejected}, "
        + str(with_arrow.summarize()["category"].tolist()).replace("'", '"').replace("None", "null")
        + "]"
    )
    assert "read_parquet needs pyarrow" in out[1]


def test_a_utf8_byte_order_mark_before_cp1252_text_is_allowed(tmp_path: Path) -> None:
    """As the documentation of ``encoding`` says (it was read as the column 'ï»¿ID')."""
    path = tmp_path / "eksport.csv"
    path.write_bytes(b"\xef\xbb\xbfID;Skala;Dato;Sum;coordinator\np;ORS;10.01.2025;20;Bj\xf8rn\n")
    table = read_csv(path, encoding="cp1252", group_columns=["coordinator"])
    assert table.n_valid == 1 and table.person.tolist() == ["p"]
    assert table.groups["coordinator"].tolist() == ["Bjørn"]


@pytest.mark.parametrize("text", ["\ufeff", "\ufeff\r\n", "\n\n"])
def test_a_byte_order_mark_alone_is_no_header(text: str) -> None:
    with pytest.raises(TableInputError, match="CSV: no header row"):
        parse_csv(text)
