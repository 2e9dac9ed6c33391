"""load_model trusts no model file: tampered JSON gives a TrajectoryInputError naming the field."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from fit_scores import trajectories as tj
from fit_scores.errors import FitScoresError
from fit_scores.table import from_columns

Tamper = Callable[[dict[str, Any]], None]


def data(n: int = 200, seed: int = 3) -> tj.TrajectoryData:
    rng = np.random.default_rng(seed)
    length = rng.integers(2, 8, n)
    ids = np.repeat(np.arange(n), length)
    session = np.concatenate([np.arange(1, k + 1) for k in length]).astype(float)
    intake = rng.normal(18, 5, n)
    score = intake[ids] + 3 * np.log(session) + rng.normal(0, 1.5, ids.size)
    score[session == 1] = intake
    return tj.TrajectoryData.from_arrays(ids, session, np.clip(score, 0, 40))


_CACHE: dict[str, str] = {}


def model_json(kind: str) -> dict[str, Any]:
    """The JSON of a fitted model, as a dict to tamper with (fitted once per kind)."""
    if kind not in _CACHE:
        _CACHE[kind] = tj.fit_expected_response(data(), kind).model_dump_json()  # type: ignore[arg-type]
    loaded: dict[str, Any] = json.loads(_CACHE[kind])
    return loaded


def rejected(payload: dict[str, Any] | str, match: str) -> None:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    with pytest.raises(tj.TrajectoryInputError, match=match):
        tj.load_model(text)


@pytest.mark.parametrize("kind", ["growth", "cohort", "neighbours"])
def test_fitted_models_record_their_score_range_and_load_back(kind: str) -> None:
    d = data()
    model = tj.fit_expected_response(d, kind)  # type: ignore[arg-type]
    assert model.score_range == (float(d.score.min()), float(d.score.max()))
    assert model.scale_key is None
    assert tj.load_model(model.model_dump_json()) == model


def test_a_model_fitted_on_a_table_records_its_scale() -> None:
    d = data(150, seed=4)
    table = from_columns(
        {
            "person": [f"p{int(t)}" for t in d.track_ids[d.track_of_row]],
            "scale": ["ORS"] * d.time.size,
            "session": d.time.astype(int).tolist(),
            "date": [f"2025-{1 + int(t) // 28:02d}-{1 + int(t) % 28:02d}" for t in d.time],
            "total": np.round(d.score, 1).tolist(),
        }
    )
    model = tj.fit_expected_response(table, "cohort")
    assert model.scale_key == "ORS"
    assert model.score_range is not None
    assert 0 <= model.score_range[0] <= model.score_range[1] <= 40
    again = tj.load_model(model.model_dump_json())
    assert again == model
    payload = json.loads(model.model_dump_json())
    payload["scale_key"] = "NOPE"
    rejected(payload, "'scale_key' names no registered scale")
    payload["scale_key"] = "ORS"
    payload["score_range"] = [0.0, 55.0]
    rejected(payload, "outside the range of ORS")


def _set(path: tuple[Any, ...], value: Any) -> Tamper:
    def apply(m: dict[str, Any]) -> None:
        target = m
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return apply


def _first_filled(m: dict[str, Any]) -> tuple[int, int]:
    for i, row in enumerate(m["median"]):
        for j, v in enumerate(row):
            if v is not None:
                return i, j
    raise AssertionError("no filled cell")


def _truncate(field: str) -> Tamper:
    def apply(m: dict[str, Any]) -> None:
        m[field] = m[field][:-1]

    return apply


def _cell(field: str, value: Any) -> Tamper:
    def apply(m: dict[str, Any]) -> None:
        i, j = _first_filled(m)
        m[field][i][j] = value

    return apply


CASES: list[tuple[str, Tamper, str]] = [
    # every kind
    ("growth", _set(("percentiles",), [10, 25, 75, 120]), r"'percentiles\[3\]'.*\(0, 100\)"),
    ("growth", _set(("percentiles",), [0, 25, 75, 90]), r"'percentiles\[0\]'"),
    ("cohort", _set(("percentiles",), [25, 10, 75, 90]), "increasing and distinct"),
    ("neighbours", _set(("percentiles",), [10, 50, 90]), r"not 50"),
    ("growth", _set(("percentiles",), []), "'percentiles' is empty"),
    ("growth", _set(("n_obs",), 1), "'n_obs' must be at least n_tracks"),
    ("cohort", _set(("n_tracks",), 0), "'n_tracks' must be at least 1"),
    ("growth", _set(("score_range",), [30.0, 10.0]), "low <= high"),
    ("growth", lambda m: m.pop("score_range"), "'score_range' is missing"),
    # growth
    ("growth", _set(("sigma2",), -2.0), "'sigma2' must be positive"),
    ("growth", _set(("sigma2",), 0.0), "'sigma2' must be positive"),
    ("growth", _set(("psi", 0), -4.0), "Psi_00 is a variance"),
    ("growth", _set(("psi", 2), -1.0), "Psi_11 is a variance"),
    ("growth", _set(("psi", 1), 1e6), "Psi_01 = .* is not a covariance"),
    ("growth", _set(("intake_centre",), 1e6), "'intake_centre' = 1000000.0 lies outside"),
    ("growth", _set(("beta",), [1.0, 2.0, 3.0]), "'growth.beta.3' Field required"),
    ("growth", _set(("method",), "OLS"), "'growth.method' Input should be 'REML' or 'ML'"),
    ("growth", _set(("beta_se",), [0.1, -0.2, 0.3, 0.4]), "'beta_se' standard errors"),
    # cohort
    ("cohort", _truncate("median"), "'median' has .* rows, expected one per intake"),
    ("cohort", _truncate("ats"), r"'median\[0\]' has .* cells, expected"),
    ("cohort", _truncate("intakes"), "'median' has .* rows"),
    ("cohort", _set(("k",), -1.0), "'k' must satisfy"),
    ("cohort", _set(("k_step",), 0.0), "'k_step' must be positive"),
    ("cohort", _set(("min_n",), 0), "'min_n' must be at least 1"),
    ("cohort", lambda m: m["intakes"].__setitem__(-1, 1e9), "'intakes' must be an evenly spaced"),
    (
        "cohort",
        lambda m: m.__setitem__("intakes", [v + 500.0 for v in m["intakes"]]),
        "'intakes' the grid .* lies outside",
    ),
    ("cohort", lambda m: m["ats"].__setitem__(0, 1.5), "'ats' must be whole session numbers"),
    ("cohort", _cell("median", 999.0), r"'median\[\d+\]\[\d+\]' = 999.0 lies outside"),
    ("cohort", _cell("values", [1.0, 2.0]), r"'values\[\d+\]\[\d+\]' must hold one value"),
    ("cohort", _cell("values", [-50.0, 2.0, 3.0, 4.0]), r"'values\[\d+\]\[\d+\]' lies outside"),
    ("cohort", _cell("values", [19.0, 18.0, 17.0, 16.0]), "must not decrease"),
    ("cohort", _cell("n", 0), r"'n\[\d+\]\[\d+\]' must be at least min_n"),
    ("cohort", _cell("k_used", 1000.0), r"'k_used\[\d+\]\[\d+\]' must lie in"),
    ("cohort", _cell("median", None), r"'values\[\d+\]\[\d+\]' is set in a cell without"),
    # neighbours
    ("neighbours", _truncate("slope"), "'slope' has .* entries, expected one per reference"),
    ("neighbours", _truncate("features"), "'features' has .* entries"),
    ("neighbours", _set(("features", 0), [0.1, 0.2]), r"'features\[0\]' has 2 values"),
    ("neighbours", _set(("centre",), [18.0, 3.0]), "'centre' has 2 values, expected 1"),
    ("neighbours", _set(("scale",), [-5.0]), "'scale' must be positive"),
    ("neighbours", _set(("sigma2",), -1.0), "'sigma2' must be >= 0"),
    ("neighbours", _set(("n_neighbours",), 0), "'n_neighbours' must be at least 1"),
    ("neighbours", _set(("centre",), [1e6]), r"'centre\[0\]' = 1000000.0 lies outside"),
    ("neighbours", _set(("features", 3, 0), 1e5), r"'features\[3\]' gives the reference intake"),
    ("neighbours", _set(("covariate_names",), ["age", "age"]), "must be distinct"),
    # types and values pydantic rejects, named by field
    ("growth", _set(("sigma2",), "big"), "'growth.sigma2'"),
    ("growth", _set(("n_tracks",), 2.5), "'growth.n_tracks'"),
    ("cohort", _set(("ats",), None), "'cohort.ats'"),
    ("growth", _set(("axis",), "weeks"), "'growth.axis'"),
    ("growth", _set(("version",), 2), "'growth.version'"),
    ("growth", _set(("kind",), "vendor"), "kind"),
    ("growth", _set(("extra",), 1), "'growth.extra'"),
]


@pytest.mark.parametrize(
    ("kind", "tamper", "match"), CASES, ids=[f"{k}-{m[:30]}" for k, _, m in CASES]
)
def test_tampered_models_are_rejected_naming_the_field(
    kind: str, tamper: Tamper, match: str
) -> None:
    payload = model_json(kind)
    tamper(payload)
    rejected(payload, match)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("kind", ["growth", "cohort", "neighbours"])
def test_nan_and_infinity_tokens_are_rejected(kind: str, token: str) -> None:
    field = {"growth": "sigma2", "cohort": "k", "neighbours": "sigma2"}[kind]
    payload = model_json(kind)
    payload[field] = 12345.678
    text = json.dumps(payload).replace("12345.678", token)
    rejected(text, f"'{kind}.{field}'")


def test_huge_integers_are_rejected() -> None:
    huge = "9" * 5000
    payload = model_json("growth")
    payload["sigma2"] = 12345.678
    text = json.dumps(payload)
    rejected(text.replace("12345.678", huge), "'growth.sigma2' Input should be a finite number")
    payload = model_json("cohort")
    payload["n_tracks"] = 424242
    text = json.dumps(payload)
    rejected(text.replace("424242", huge), "'cohort.n_tracks'")
    rejected(text.replace("424242", "-" + huge), "'cohort.n_tracks'")


def test_deep_nesting_is_rejected() -> None:
    payload = model_json("growth")
    payload["beta"] = 12345.678
    text = json.dumps(payload).replace("12345.678", "[" * 100_000 + "]" * 100_000)
    rejected(text, "nested too deeply")
    rejected("[" * 1_000_000, "model")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "null",
        "[]",
        '{"kind": "growth"}',
        b"\xff\xfe\x00",
        '{"kind": "growth", "percentiles": [10]' + "," * 10 + "}",
    ],
)
def test_not_json_or_not_a_model(text: str | bytes) -> None:
    with pytest.raises(tj.TrajectoryInputError, match="model"):
        tj.load_model(text)


@pytest.mark.parametrize("value", [None, 42, 4.5, ["{}"], {"kind": "growth"}])
def test_not_text(value: Any) -> None:
    with pytest.raises(tj.TrajectoryInputError, match="expected JSON text"):
        tj.load_model(value)


def test_errors_are_library_errors_and_not_bare_python_ones() -> None:
    payload = model_json("neighbours")
    payload["scale"] = [1e308]
    payload["features"] = [[1e308] for _ in payload["features"]]
    with pytest.raises(FitScoresError) as info:
        tj.load_model(json.dumps(payload))
    assert type(info.value) is tj.TrajectoryInputError
