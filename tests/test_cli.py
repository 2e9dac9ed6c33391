from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

import fit_scores as fs
from fit_scores.cli import main, summarize_family


def test_demo_writes_summary_and_family(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert printed.strip() == summary.strip()
    assert "Family familie-eksempel: 4 members, 7 tracks" in summary
    assert "cutoff 28.0 at age 13" in summary  # the boy on the ORS after turning 13
    assert "cutoff 32.0 at age 12" in summary
    assert "no published cutoff" in summary  # caretaker CORS
    family = fs.Family.model_validate(json.loads((out / "family.json").read_text(encoding="utf-8")))
    assert family == fs.example_family()
    # every chart as SVG and PNG, and the descriptions in every language
    for name in (
        "family",
        "mor-ors-self",
        "far-ors-self",
        "jente-cors-self",
        "jente-cors-caretaker",
        "gutt-cors-self",
        "gutt-ors-self",
        "expected-course",
    ):
        svg = (out / f"{name}.svg").read_bytes()
        ElementTree.fromstring(svg)  # well-formed XML
        assert (out / f"{name}.png").read_bytes().startswith(b"\x89PNG")
    for locale, word in (("nb", "Familie"), ("nn", "Familie"), ("en", "Family")):
        text = (out / f"descriptions-{locale}.txt").read_text(encoding="utf-8")
        assert text.startswith(word) and "ORS" in text


def test_demo_rejects_an_unknown_locale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["demo", "--out", str(tmp_path), "--locale", "sv"])
    assert info.value.code == 2
    assert "unsupported locale 'sv'" in capsys.readouterr().err


def test_summary_describes_alliance_as_alliance() -> None:
    text = summarize_family(fs.example_family())
    srs = [line for line in text.splitlines() if line.strip().startswith("SRS")]
    assert srs and "alliance cutoff 36.0" in srs[0]


def test_console_script_help_and_errors() -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "fit_scores.cli", "demo", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and "--out" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "fit_scores.cli", "demo"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "--out" in bad.stderr


CSV = """person,scale,date,session,item_1,item_2,item_3,item_4,age,coordinator
p1,ORS,2025-01-01,1,5,5,5,5,40,k1
p1,ORS,2025-02-01,2,6,6,6,6.5,40,k1
p1,SRS,2025-01-01,1,9.5,9.5,9.5,9.5,40,k1
p1,SRS,2025-02-01,2,9,9,9,9,40,k1
p2,ORS,2025-01-01,1,11,5,5,5,40,k2
"""


GROUP = ["--group-column", "coordinator"]


@pytest.fixture
def scores(tmp_path: Path) -> Path:
    path = tmp_path / "scores.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_validate_prints_the_report_and_fails_on_rejected_rows(
    scores: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(scores), *GROUP, "--locale", "en"]) == 1
    captured = capsys.readouterr()
    assert "4,item_1,ItemRangeError," in captured.out
    assert "5 rows: 4 valid, 1 rejected" in captured.err
    assert "1 of 5 rows were rejected" in captured.err
    clean = scores.with_name("clean.csv")
    clean.write_text("\n".join(CSV.splitlines()[:-1]) + "\n", encoding="utf-8")
    assert main(["validate", str(clean), *GROUP]) == 0


def test_validate_writes_the_reasons_of_the_reader_in_norwegian(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cell the reader refuses is reported in the locale asked for, like a rule's reason."""
    path = tmp_path / "eksport.csv"
    path.write_text(
        "ID;Skala;Dato;Økt;Sum\r\np1;ORS;31.02.2025;1;20,5\r\np1;ORS;10.03.2025;2,5;21\r\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path), "--locale", "nn"]) == 1
    out = capsys.readouterr().out
    assert "date = '31.02.2025' er ikkje ein dato; skriv ÅÅÅÅ-MM-DD" in out
    assert "session = '2,5' er ikkje eit heiltal" in out


def test_summarize_and_report(
    scores: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "summary.json"
    # exit 1: a row was rejected (said on standard error), the output is still written
    assert main(["summarize", str(scores), "-o", str(out), *GROUP]) == 1
    assert "1 of 5 rows were rejected" in capsys.readouterr().err
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == 2 and {r["scale"] for r in rows} == {"ORS", "SRS"}
    assert main(["report", str(scores), "--by", "coordinator", "--min-cell", "1", *GROUP]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("coordinator,n_people") and lines[1].startswith("k1,1,")


def test_chart_writes_the_file_and_the_description(
    scores: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p1.svg"
    args = ["chart", str(scores), "--person", "p1", "-o", str(out), "--locale", "en", *GROUP]
    assert main(args) == 1  # p2's row was rejected
    ElementTree.fromstring(out.read_bytes())
    assert "Change 4.5 points" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main(["chart", str(scores), "--person", "zz", "-o", str(out), *GROUP])
    assert info.value.code == 2
    assert "no valid scores for person 'zz'" in capsys.readouterr().err


def test_schema_prints_every_public_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schemas = json.loads(capsys.readouterr().out)
    assert {"Administration", "Scale", "Track", "Family", "ChangeResult"} <= set(schemas)


def test_every_command_has_help() -> None:
    for command in ("demo", "validate", "summarize", "report", "chart", "schema", "report-family"):
        result = subprocess.run(
            [sys.executable, "-m", "fit_scores.cli", command, "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0 and "--locale" in result.stdout, command
