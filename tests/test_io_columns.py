"""Column names: known columns, aliases, declared grouping columns; on every reader."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import fit_scores as fs
from fit_scores.errors import ColumnConflictError, TableInputError, UnknownColumnError
from fit_scores.io import (
    COLUMN_ALIASES,
    FIELD_COLUMNS,
    from_columns,
    from_pandas,
    from_records,
    parse_csv,
    parse_json,
    read_csv,
    read_json,
    read_parquet,
)
from fit_scores.io.names import GROUP_COLUMNS, column_key, resolve_columns

ROWS = [
    {"person": "p1", "scale": "ORS", "date": "2025-01-10", "age": 15, "total": 19.5},
    {"person": "p1", "scale": "ORS", "date": "2025-03-01", "age": 15, "total": 29.0},
]


def csv_text(rows: list[dict[str, Any]]) -> str:
    names = list(rows[0])
    lines = [",".join(names)] + [",".join(str(r[n]) for n in names) for r in rows]
    return "\n".join(lines) + "\n"


def renamed(rows: list[dict[str, Any]], **names: str) -> list[dict[str, Any]]:
    return [{names.get(k, k): v for k, v in r.items()} for r in rows]


def readers(tmp_path: Path) -> dict[str, Callable[..., fs.ScoreTable]]:
    """Every reader, each taking the rows as records (written in its own format)."""
    import pandas as pd

    def via_csv_file(rows: list[dict[str, Any]], **kw: Any) -> fs.ScoreTable:
        path = tmp_path / "t.csv"
        path.write_text(csv_text(rows), encoding="utf-8")
        return read_csv(path, **kw)

    def via_json_file(rows: list[dict[str, Any]], **kw: Any) -> fs.ScoreTable:
        path = tmp_path / "t.json"
        path.write_text(json.dumps(rows), encoding="utf-8")
        return read_json(path, **kw)

    def via_columns(rows: list[dict[str, Any]], **kw: Any) -> fs.ScoreTable:
        return from_columns({k: [r[k] for r in rows] for k in rows[0]}, **kw)

    def via_parquet(rows: list[dict[str, Any]], **kw: Any) -> fs.ScoreTable:
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        path = tmp_path / "t.parquet"
        pq.write_table(pa.Table.from_pylist(rows), path)
        return read_parquet(path, **kw)

    def via_polars(rows: list[dict[str, Any]], **kw: Any) -> fs.ScoreTable:
        pl = pytest.importorskip("polars")
        return fs.from_polars(pl.DataFrame(rows), **kw)

    return {
        "parse_csv": lambda rows, **kw: parse_csv(csv_text(rows), **kw),
        "read_csv": via_csv_file,
        "parse_json": lambda rows, **kw: parse_json(json.dumps(rows), **kw),
        "read_json": via_json_file,
        "from_records": lambda rows, **kw: from_records(rows, **kw),
        "from_columns": via_columns,
        "from_pandas": lambda rows, **kw: from_pandas(pd.DataFrame(rows), **kw),
        "from_polars": via_polars,
        "read_parquet": via_parquet,
    }


READERS = [
    "parse_csv",
    "read_csv",
    "parse_json",
    "read_json",
    "from_records",
    "from_columns",
    "from_pandas",
    "from_polars",
    "read_parquet",
]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("header", ["Alder", "Age", " AGE ", "alder"])
def test_an_age_column_by_another_name_is_the_age(tmp_path: Path, reader: str, header: str) -> None:
    """The case of the issue: `Alder`/`Age` was a grouping column and the age silently missing."""
    read = readers(tmp_path)[reader]
    reference = read(ROWS)
    table = read(renamed(ROWS, age=header))
    assert table.group_names == ()
    assert table.age.tolist() == [15, 15]
    assert table.summarize().to_records() == reference.summarize().to_records()
    # the age decides the cutoff (15: the adolescent cutoff), so the category is not "improved"
    assert table.summarize()["category"].tolist() == reference.summarize()["category"].tolist()


@pytest.mark.parametrize("reader", READERS)
def test_unknown_columns_are_an_error_unless_declared(tmp_path: Path, reader: str) -> None:
    read = readers(tmp_path)[reader]
    rows = [{**r, "coordinator": "Kari", "Aldr": 15} for r in ROWS]
    with pytest.raises(UnknownColumnError) as info:
        read(rows)
    message = str(info.value)
    assert "'coordinator'" in message and "'Aldr' (did you mean alder (age)?)" in message
    assert "group_columns" in message
    assert info.value.columns == ["coordinator", "Aldr"]
    table = read(rows, group_columns=["coordinator", "Aldr"])
    assert table.group_names == ("coordinator", "Aldr")
    assert table.summarize()["coordinator"].tolist() == ["Kari"]


@pytest.mark.parametrize("reader", READERS)
def test_an_alias_that_collides_is_an_error(tmp_path: Path, reader: str) -> None:
    read = readers(tmp_path)[reader]
    rows = [{**r, "Alder": 16} for r in ROWS]
    with pytest.raises(ColumnConflictError, match="'age' and 'Alder' are both read as 'age'"):
        read(rows)
    # declared as a grouping column, the other column is no longer read as the age
    table = read(rows, group_columns=["Alder"])
    assert table.age.tolist() == [15, 15] and table.group_names == ("Alder",)


def test_norwegian_headers() -> None:
    text = (
        "ID;Skala;Dato;Økt;Alder;Vurderer;Vurderer ID;Forløp;Ledd 1;Ledd 2;Ledd 3;Ledd 4;Sum\n"
        "p1;ORS;10.01.2025;1;15;self;;1;5;5;5;4,5;19,5\n"
    )
    table = parse_csv(text)
    assert table.n_valid == 1, table.errors.to_records()
    rec = table.to_records()[0]
    assert rec["person"] == "p1" and rec["session"] == 1 and rec["age"] == 15
    assert rec["total"] == 19.5 and str(rec["date"]) == "2025-01-10"
    birth = parse_csv("id,skala,dato,fødselsdato,sum\np,ORS,2025-01-10,2010-01-01,19.5\n")
    assert str(birth.to_records()[0]["birth_date"]) == "2010-01-01"
    nfd = parse_csv("id,skala,dato,Totalska\u030ar\np,ORS,2025-01-10,19.5\n")
    assert nfd.total.tolist() == [19.5]  # the header in NFD (a + ring) is totalskår


def test_the_alias_table_is_unambiguous_and_documented() -> None:
    keys = [column_key(a) for aliases in COLUMN_ALIASES.values() for a in aliases]
    assert len(keys) == len(set(keys)), "an alias is listed twice"
    assert not set(keys) & set(FIELD_COLUMNS), "an alias is itself a column name"
    assert set(COLUMN_ALIASES) <= set(FIELD_COLUMNS) | set(GROUP_COLUMNS)
    docs = (Path(__file__).resolve().parents[1] / "docs" / "columns.rst").read_text("utf-8")
    for name, aliases in COLUMN_ALIASES.items():
        assert f"``{name}``" in docs
        for alias in aliases:
            assert f"``{alias}``" in docs, alias


def test_item_columns_and_suggestions() -> None:
    names = resolve_columns(["person", "scale", "date", "Item 1", "item2", "ITEM_3", "ledd 4"])
    assert list(names.values())[3:] == ["item_1", "item_2", "item_3", "item_4"]
    with pytest.raises(UnknownColumnError, match=r"'itm_1' \(did you mean item_1"):
        resolve_columns(["person", "scale", "date", "itm_1"])
    with pytest.raises(UnknownColumnError, match=r"'Personn' \(did you mean person\?\)"):
        resolve_columns(["Personn", "scale", "date"])
    with pytest.raises(UnknownColumnError) as info:
        resolve_columns(["person", "scale", "date", "xyzzy"])
    assert info.value.suggestions == {"xyzzy": None} and "did you mean" not in str(info.value)
    # item_01 and items keep the table's own explanation
    with pytest.raises(TableInputError, match="no leading zeros"):
        from_records([{**ROWS[0], "item_01": 5}])


def test_the_family_column_is_a_known_grouping_column() -> None:
    from fit_scores.simulate import simulate_cohort

    columns = simulate_cohort(30, seed=1).to_dict()
    assert "family" in columns
    table = from_columns(columns)
    assert table.group_names == ("family",)
    same = from_columns({("Familie" if k == "family" else k): v for k, v in columns.items()})
    assert same.group_names == ("family",)
    assert same.summarize().to_records() == table.summarize().to_records()


def test_declared_group_columns_are_checked() -> None:
    with pytest.raises(TableInputError, match=r"\['municipality'\] declared but not in the data"):
        from_records(ROWS, group_columns=["municipality"])
    with pytest.raises(ColumnConflictError, match="known column 'age', not a grouping column"):
        from_records(ROWS, group_columns=["age"])
    with pytest.raises(TableInputError, match="a list of column names"):
        from_records(ROWS, group_columns="coordinator")
    with pytest.raises(TableInputError, match="must be text"):
        from_records(ROWS, group_columns=[3])  # type: ignore[list-item]
    empty = from_records([], group_columns=None)
    assert empty.n_input == 0


def test_same_table_for_a_declared_group_on_every_reader(tmp_path: Path) -> None:
    rows = [{**r, "coordinator": "Kari"} for r in ROWS]
    tables = {}
    for name, read in readers(tmp_path).items():
        try:
            tables[name] = read(rows, group_columns=["coordinator"])
        except pytest.skip.Exception:
            continue
    first = next(iter(tables.values()))
    for name, table in tables.items():
        assert table.summarize().to_records() == first.summarize().to_records(), name
    assert np.array_equal(first.person, np.array(["p1", "p1"], dtype=object))
