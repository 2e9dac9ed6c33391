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


def test_bench_table_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load("bench_table")
    argv = ["--n", "4000", "--repeat", "1", "--baseline-n", "400", "--memory-n", "4000"]
    assert bench.main(argv) == 0  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    for line in (
        "validate + score + summarise",
        "vectorised pandas baseline",
        "ratio pandas / fit_scores",
        "groupby().apply() baseline",
        "track counts agree: True",
        "peak memory: 4,000 rows",
        "after summarize (the peak)",
        "B/row",
    ):
        assert line in out


def test_bench_records_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load("bench_records")
    assert bench.main(["--number", "20", "--repeats", "1"]) == 0  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    for line in ("plain pydantic model", "Administration with 4 items", "total only"):
        assert line in out
