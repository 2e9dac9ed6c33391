from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import fit_scores as fs

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _defaults_page() -> str:
    spec = importlib.util.spec_from_file_location(
        "defaults_page", DOCS / "_ext" / "defaults_page.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.render())


def test_defaults_page_lists_every_builtin_default_with_its_source() -> None:
    page = _defaults_page()
    for scale in fs.BUILTIN_SCALES:
        assert f"{scale.key}: {scale.name}" in page
        for cut in scale.cutoffs:
            assert f"cutoff, {cut.age_band}, rated by {cut.rater}" in page
        assert scale.source.citation.split(".")[0] in page
    for text in (
        "25 (exactly 25 counts as functional)",
        "28 (exactly 28",
        "32 (exactly 32",
        "36 (exactly 36",
        "5 points (inclusive)",
        "mean 19.6, SD 8.7, N = 435",
        "not published",
        "not verified against the primary paper",
    ):
        assert text in page, text


@pytest.mark.skipif(
    shutil.which("sphinx-build") is None and importlib.util.find_spec("sphinx") is None,
    reason="sphinx is in the docs extra",
)
def test_docs_build_without_warnings(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            str(DOCS),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert (tmp_path / "html" / "generated" / "defaults.html").exists()


def test_trajectories_worked_example_runs() -> None:
    import re

    text = (DOCS / "trajectories.rst").read_text(encoding="utf-8")
    example = text.split("Worked example")[1].split("References")[0]
    code = "\n".join(
        line[3:] for line in example.splitlines() if line.startswith("   ") and "::" not in line
    )
    code = re.sub(r"#.*", "", code)
    namespace: dict[str, object] = {}
    exec(compile(code, "trajectories.rst", "exec"), namespace)
    assert namespace["model"].status(namespace["track"]).status in {  # type: ignore[attr-defined]
        "on_track",
        "at_risk",
        "off_track",
        "not_enough_data",
    }
