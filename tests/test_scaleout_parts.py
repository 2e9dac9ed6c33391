"""Scale-out pieces without a cluster of processes: the CSV reader, the days axis, the CLI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import fit_scores as fs
from fit_scores.io import parse_csv
from fit_scores.scaleout import fit_expected_response_dask, read_csv_dask, score_table_dask
from fit_scores.simulate import simulate_cohort
from fit_scores.trajectories import GrowthModel, fit_expected_response

dd = pytest.importorskip("dask.dataframe")
KEY = ["person", "scale", "rater", "rater_id", "episode"]

FILES = [
    "person;scale;date;total;age\n"
    "p1;ORS;10.01.2024;19,5;40\n"
    "p2;ORS;11.01.2024;7,5;30\n"
    "p3;ORS;12.01.2024;41;30\n"  # out of range
    '"p;4";ORS;12.01.2024;22;30\n',  # a quoted delimiter
    "person;scale;date;total;age\r\n"
    "p1;ORS;10.02.2024;25;40\r\n"
    "p2;ORS;11.02.2024;12,3\r\n"  # ragged: four fields
    "p2;ORS;11.03.2024;14;30\r\n"
    "p1;ORS;10.02.2024;25;40\r\n",  # a duplicate of p1's second row, in another file
]


def test_csv_files_are_read_with_the_single_machine_rules(tmp_path: Path) -> None:
    for i, text in enumerate(FILES):
        (tmp_path / f"part-{i}.csv").write_text(text, encoding="utf-8")
    table = read_csv_dask(tmp_path / "part-*.csv", scheduler="sync")
    whole = FILES[0] + FILES[1].split("\n", 1)[1].replace("\r\n", "\n")
    single = parse_csv(whole)
    assert table.counts() == (single.n_input, single.n_valid, single.n_rejected) == (8, 5, 3)
    errors = table.errors().compute()
    offsets = np.array([0, 4])
    rows = offsets[errors["partition"].to_numpy()] + errors["row"].to_numpy()
    theirs = single.errors.to_pandas()

    def identity(match: re.Match[str]) -> str:
        k = int(match.group(1))
        return f"row {k - offsets[int(k >= 4)]} of partition {int(k >= 4)}"

    theirs["reason"] = [re.sub(r"\brow ([0-9]+)\b", identity, r) for r in theirs["reason"]]
    mine = pd.DataFrame({"row": rows, "column": errors["column"], "error": errors["error"],
                         "reason": errors["reason"]})  # fmt: skip
    order = ["row", "column", "error"]
    pd.testing.assert_frame_equal(
        mine.sort_values(order).reset_index(drop=True).astype(object),
        theirs.sort_values(order).reset_index(drop=True).astype(object),
    )
    assert {"FieldError", "TotalRangeError"} <= set(theirs["error"])
    summary = table.summarize().compute().sort_values(KEY).reset_index(drop=True)
    expected = single.summarize().to_pandas().sort_values(KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(summary, expected)
    assert "p;4" in set(summary["person"])


def test_csv_reader_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("person,scale,date,total\np,ORS,2024-01-01,20\n")
    (tmp_path / "b.csv").write_text("person;scale;date;total\np;ORS;01.02.2024;20\n")
    with pytest.raises(fs.errors.TableInputError, match="different CSV dialects"):
        read_csv_dask([tmp_path / "a.csv", tmp_path / "b.csv"], scheduler="sync")
    with pytest.raises(fs.errors.TableInputError, match="no files match"):
        read_csv_dask(tmp_path / "none-*.csv", scheduler="sync")
    (tmp_path / "c.csv").write_bytes(
        "person,scale,date,total\nÅse,ORS,2024-01-01,20\n".encode("cp1252")
    )
    with pytest.raises(fs.errors.TableInputError, match="encoding"):
        read_csv_dask(tmp_path / "c.csv", scheduler="sync")


def cohort_frame(n_people: int, seed: int) -> pd.DataFrame:
    sim = simulate_cohort(n_people, seed=seed)
    return pd.DataFrame(
        {
            "person": sim.person.astype(str),
            "scale": sim.scale.astype(str),
            "date": sim.date.astype("datetime64[D]") - np.timedelta64(6 * 365, "D"),
            "session": sim.session,
            "total": sim.total,
            "age": sim.age,
        }
    )


@pytest.mark.parametrize("axis", ["session", "days"])
def test_growth_fit_across_partitions_equals_one_machine(axis: Any) -> None:
    frame = cohort_frame(1500, seed=2)
    one = fit_expected_response(fs.from_pandas(frame), "growth", axis=axis)
    table = score_table_dask(dd.from_pandas(frame, npartitions=5), scheduler="sync")
    many = fit_expected_response_dask(table, "growth", axis=axis, transform="log")
    assert isinstance(one, GrowthModel)
    # the public entry point hands a Dask input to the same path
    assert fit_expected_response(table, "growth", axis=axis) == many
    for name in ("beta", "psi", "beta_se"):
        np.testing.assert_allclose(getattr(many, name), getattr(one, name), rtol=1e-8)
    assert many.sigma2 == pytest.approx(one.sigma2, rel=1e-8)
    assert many.loglik == pytest.approx(one.loglik, rel=1e-10)
    assert (many.n_tracks, many.n_obs, many.axis) == (one.n_tracks, one.n_obs, axis)


def test_the_person_is_normalised_before_the_shuffle() -> None:
    # "Åse" composed and decomposed, with surrounding space: one person on one machine
    names = ["\u00c5se", "A\u030ase", " \u00c5se "] * 3 + [f"p{i}" for i in range(40)]
    frame = pd.DataFrame(
        {
            "person": names,
            "scale": "ORS",
            "date": pd.date_range("2024-01-01", periods=len(names), freq="D").astype(str),
            "total": 20.0,
            "age": 30,
        }
    )
    table = score_table_dask(dd.from_pandas(frame, npartitions=7), scheduler="sync")
    single = fs.from_pandas(frame)
    summary = table.summarize().compute()
    assert len(summary) == single.n_tracks
    assert table.counts() == (single.n_input, single.n_valid, single.n_rejected)


def test_cli_report_on_a_local_cluster_equals_the_single_machine_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fit_scores.cli import main

    frame = cohort_frame(300, seed=9)
    frame["date"] = frame["date"].astype(str)
    frame.loc[3, "total"] = 41.0
    path = tmp_path / "scores.csv"
    frame.to_csv(path, index=False)
    assert main(["report", str(path), "--by", "age_band", "--min-cell", "3"]) in (0, 1)
    single = capsys.readouterr().out
    code = main(["report", str(path), "--by", "age_band", "--min-cell", "3", "--workers", "1"])
    captured = capsys.readouterr()
    assert code == 1 and "1 rejected" in captured.err
    assert captured.out == single
