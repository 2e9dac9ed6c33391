"""The command line at its edges (issue 13, points 11 and 12).

Exit codes: 0 when every row is valid, 1 when rows were rejected (said on
standard error by every command), 2 for usage, file and input errors with one
clear line and no traceback. Output formats are checked by extension;
``--locale`` translates the error reasons; Norwegian spreadsheet exports are
read as they come.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fit_scores.cli import main

GOOD = """person,scale,date,session,total,age
p1,ORS,2025-01-10,1,18.5,40
p1,ORS,2025-02-10,2,24.0,40
p2,ORS,2025-01-12,1,30.0,35
"""

#: The same rows as a Norwegian Excel export: BOM, semicolons, decimal commas,
#: dd.mm.yyyy dates, Norwegian headers and CRLF line endings.
NORWEGIAN = (
    "\ufeffperson;skala;dato;økt;sum;alder\r\n"
    "p1;ORS;10.01.2025;1;18,5;40\r\n"
    "p1;ORS;10.02.2025;2;24,0;40\r\n"
    "p2;ORS;12.01.2025;1;30,0;35\r\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fit_scores.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def exit_code(args: list[str]) -> int:
    try:
        return main(args)
    except SystemExit as stop:  # parser.exit: usage or input error
        return int(stop.code or 0)


# --- exit codes -------------------------------------------------------------------------------


def test_all_valid_is_0_and_rejected_rows_are_1_on_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "good.csv", GOOD)
    bad = write(tmp_path, "bad.csv", GOOD + "p3,ORS,2025-01-12,1,41.0,35\n")
    chart = str(tmp_path / "p1.svg")
    for command, extra in (
        ("validate", []),
        ("summarize", []),
        ("report", ["--min-cell", "1"]),
        ("chart", ["--person", "p1", "-o", chart]),
    ):
        assert exit_code([command, str(good), *extra]) == 0, command
        capsys.readouterr()
        assert exit_code([command, str(bad), *extra]) == 1, command
        err = capsys.readouterr().err
        assert "1 of 4 rows were rejected" in err, command
        assert "TotalRangeError" in err or "total" in err, command


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["validate", "{dir}/missing.csv"], "no such file"),
        (["validate", "{dir}"], "not a file"),
        (["validate", "{dir}/scores.txt"], "give a .csv, .json or .parquet file"),
        (["summarize", "{good}", "-o", "{dir}/out.xlsx"], "must end in .csv or .json"),
        (["report", "{good}", "-o", "{dir}/out"], "must end in .csv or .json"),
        (["validate", "{good}", "--as-of", "29.11.2026"], "--as-of: give a date as YYYY-MM-DD"),
        (["validate", "{good}", "--locale", "sv"], "unsupported locale 'sv'"),
        (["report", "{good}", "--min-cell", "0"], "min_cell"),
        (["validate", "{extra}"], "unknown column 'Koordinator'"),
        (["validate", "{latin}"], "encoding"),
        (["validate", "{good}", "--encoding", "klingon"], "klingon"),
        (["chart", "{good}", "--person", "p1", "-o", "{dir}/p1.gif"], ".svg, .png, .pdf or .html"),
        (["report-family", "{family}", "-o", "{dir}/r.pdf"], "is an .html file"),
        (["report-family", "{tampered}", "-o", "{dir}/r.html"], "Family"),
        (["validate", "{good}", "--decimal", ";"], "invalid choice"),
        (["validate", "{json}", "--decimal", ","], "are for CSV files"),
    ],
)
def test_usage_file_and_input_errors_are_2_with_one_line_and_no_traceback(
    tmp_path: Path, args: list[str], says: str
) -> None:
    (tmp_path / "scores.txt").write_text(GOOD, encoding="utf-8")
    family = tmp_path / "family.json"
    from fit_scores import example_family

    family.write_text(example_family().model_dump_json(), encoding="utf-8")
    doc = json.loads(family.read_text(encoding="utf-8"))
    doc["members"] = "nobody"
    paths = {
        "dir": str(tmp_path),
        "good": str(write(tmp_path, "good.csv", GOOD)),
        "json": str(write(tmp_path, "good.json", "[]")),
        "extra": str(write(tmp_path, "extra.csv", GOOD.replace("age\n", "age,Koordinator\n", 1))),
        "latin": str(write(tmp_path, "latin.csv", GOOD.replace("p2", "Åse"), "cp1252")),
        "family": str(family),
        "tampered": str(write(tmp_path, "tampered.json", json.dumps(doc))),
    }
    result = run(*(a.format(**paths) for a in args))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(("fit-scores: error:", "usage:", "fit-scores ")), lines
    assert says in result.stderr
    assert len([x for x in lines if x.startswith("fit-scores: error:")]) <= 1


def test_an_unknown_column_is_read_when_declared(tmp_path: Path) -> None:
    header, *rows = GOOD.splitlines()
    text = "\n".join([header + ",Koordinator", *(row + ",k1" for row in rows)]) + "\n"
    extra = write(tmp_path, "extra.csv", text)
    assert exit_code(["validate", str(extra), "--group-column", "Koordinator"]) == 0


# --- dates and ages ---------------------------------------------------------------------------


def test_a_date_after_the_day_of_the_check_is_rejected_unless_as_of_is_later(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    future = write(tmp_path, "future.csv", GOOD.replace("2025-02-10", "2052-02-10"))
    assert exit_code(["summarize", str(future)]) == 1
    assert "1 of 3 rows were rejected" in capsys.readouterr().err
    assert exit_code(["summarize", str(future), "--as-of", "2060-01-01"]) == 0


def test_tracks_without_an_age_are_counted_on_standard_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_age = write(tmp_path, "no-age.csv", GOOD.replace(",40\n", ",\n"))
    assert exit_code(["summarize", str(no_age)]) == 0
    err = capsys.readouterr().err
    assert "1 tracks have no age" in err and "recovery cannot be judged" in err


# --- locale -------------------------------------------------------------------------------------


def test_locale_translates_the_error_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "bad.csv", GOOD + "p3,ORS,2025-01-12,1,18.5,140\n")
    reasons = {}
    for locale in ("en", "nb", "nn"):
        assert exit_code(["validate", str(bad), "--locale", locale]) == 1
        reasons[locale] = capsys.readouterr().out
    assert len(set(reasons.values())) == 3  # three languages, three reports
    assert "AgeError" in reasons["nb"] and "140" in reasons["nb"]


# --- Norwegian files as they come ------------------------------------------------------------


def test_a_norwegian_excel_export_reads_as_the_canonical_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canonical = write(tmp_path, "canonical.csv", GOOD)
    norwegian = write(tmp_path, "norsk.csv", NORWEGIAN)
    assert exit_code(["summarize", str(canonical)]) == 0
    expected = capsys.readouterr().out
    assert exit_code(["summarize", str(norwegian)]) == 0
    assert capsys.readouterr().out == expected
    latin_text = NORWEGIAN.lstrip("\ufeff").replace("p2", "Åse")  # no BOM in cp1252
    latin = write(tmp_path, "latin.csv", latin_text, "cp1252")
    assert exit_code(["summarize", str(latin), "--encoding", "cp1252"]) == 0
    assert "Åse" in capsys.readouterr().out


def test_repeated_cell_errors_are_grouped_with_the_option_that_reads_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "".join(f'p{i},ORS,2025-01-10,1,"1{i % 10},5",40\n' for i in range(40))
    commas = write(tmp_path, "commas.csv", "person,scale,date,session,total,age\n" + rows)
    assert exit_code(["validate", str(commas)]) == 1
    err = capsys.readouterr().err
    assert "40 of 40 rows were rejected" in err
    assert "--decimal ," in err
    assert len([x for x in err.splitlines() if "decimal comma" in x]) == 1  # one group
    assert exit_code(["validate", str(commas), "--decimal", ","]) == 0
