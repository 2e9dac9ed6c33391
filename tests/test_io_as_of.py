"""Every reader passes ``as_of`` (the day of the check) to the rules layer (issue 13, point 1)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

import fit_scores as fs

ROWS = [
    {"person": "a", "scale": "ORS", "date": "2025-01-10", "total": 20.0, "age": 40},
    {"person": "a", "scale": "ORS", "date": "2052-01-10", "total": 29.0, "age": 40},
]
CSV = "person,scale,date,total,age\na,ORS,2025-01-10,20,40\na,ORS,2052-01-10,29,40\n"


def readers(tmp_path: Path) -> dict[str, Callable[..., fs.ScoreTable]]:
    csv = tmp_path / "rows.csv"
    csv.write_text(CSV, encoding="utf-8")
    js = tmp_path / "rows.json"
    js.write_text(json.dumps(ROWS), encoding="utf-8")
    parquet = tmp_path / "rows.parquet"
    pd.DataFrame(ROWS).to_parquet(parquet)
    columns: dict[str, Any] = {k: [r[k] for r in ROWS] for k in ROWS[0]}
    return {
        "from_records": lambda **kw: fs.from_records(ROWS, **kw),
        "from_columns": lambda **kw: fs.from_columns(columns, **kw),
        "from_pandas": lambda **kw: fs.from_pandas(pd.DataFrame(ROWS), **kw),
        "from_polars": lambda **kw: fs.from_polars(pl.DataFrame(ROWS), **kw),
        "parse_csv": lambda **kw: fs.parse_csv(CSV, **kw),
        "parse_json": lambda **kw: fs.parse_json(json.dumps(ROWS), **kw),
        "read_csv": lambda **kw: fs.read_csv(csv, **kw),
        "read_json": lambda **kw: fs.read_json(js, **kw),
        "read_parquet": lambda **kw: fs.read_parquet(parquet, **kw),
    }


@pytest.mark.parametrize(
    "name",
    [
        "from_records",
        "from_columns",
        "from_pandas",
        "from_polars",
        "parse_csv",
        "parse_json",
        "read_csv",
        "read_json",
        "read_parquet",
    ],
)
def test_every_reader_checks_dates_against_as_of(tmp_path: Path, name: str) -> None:
    read = readers(tmp_path)[name]
    today: Any = read()  # default: today (2052 is in the future)
    assert today.n_valid == 1 and today.n_rejected == 1
    assert today.errors.row.tolist() == [1]
    assert "2052-01-10 is after the day of the check" in today.errors.reason[0]
    later = read(as_of=dt.date(2060, 1, 1))
    assert later.n_valid == 2 and later.n_rejected == 0
    earlier = read(as_of=dt.date(2024, 12, 31))
    assert earlier.n_valid == 0 and earlier.n_rejected == 2
    assert "(2024-12-31)" in earlier.errors.reason[0]
