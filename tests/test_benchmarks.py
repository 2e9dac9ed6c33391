"""Every benchmark script runs (on a tiny input); the figures themselves are not tested."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_change_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load("bench_change")
    assert bench.main(["--n", "4000", "--baseline-n", "1000"]) == 0  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    for method in ("JT", "GLN", "HLL", "EN", "NK", "HA", "HLM"):
        assert f"\n{method} " in out


def test_bench_growth_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load("bench_growth")
    assert bench.main(["--people", "600", "--subsample", "100"]) == 0  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    assert "growth model, all rows" in out and "ratio" in out


def test_bench_render_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load("bench_render")
    assert bench.main(["--repeats", "1"]) == 0  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    assert "svg" in out and "png" in out
