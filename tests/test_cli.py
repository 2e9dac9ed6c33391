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
