"""Only the library's errors escape: fuzz tests over the public entry points.

Issue 13, point 8. Every public function, on any input, either returns or
raises a :class:`fit_scores.errors.FitScoresError` subclass (or pydantic's
``ValidationError`` where pydantic parses a model). Never ``OverflowError``,
``RecursionError``, ``TypeError``, ``KeyError``, ``MemoryError`` or a bare
``ValueError``. The strategies mix well-formed values with the hostile ones a
tester tried by hand: huge integers, ``Decimal('sNaN')``, NaN and infinities,
``None`` where a sequence is due, nested containers, control and format
characters, deep JSON.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fit_scores as fs
from fit_scores.errors import FitScoresError
from fit_scores.simulate import simulate_cohort

ALLOWED: tuple[type[BaseException], ...] = (FitScoresError, pydantic.ValidationError)

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)


def only_library_errors(call: Callable[[], Any]) -> Any:
    """Run ``call``; a foreign exception fails the test with its type and message."""
    try:
        return call()
    except ALLOWED:
        return None
    except BaseException as exc:  # any other exception is the bug under test
        pytest.fail(f"foreign exception {type(exc).__name__}: {str(exc)[:300]}")


# -- building blocks ---------------------------------------------------------

hostile_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "Åse",
            "A\u030ase",  # NFD Åse
            "a\u200bb",  # zero-width space
            "a\x00b",
            "\u202eevil",
            "$x^2$",
            "ORS",
            "CORS",
            "SRS",
            "self",
            "caretaker",
            "2025-01-10",
            "10.01.2025",
            "1e400",
            "-0",
            "nan",
            "NaN",
            "inf",
            "9" * 400,
        ]
    ),
)
huge_ints = st.sampled_from([10**30, -(10**30), 2**63, -(2**63) - 1, 10**400])
hostile_number = st.one_of(
    st.integers(min_value=-100, max_value=200),
    st.floats(allow_nan=True, allow_infinity=True),
    huge_ints,
    st.sampled_from([Decimal("sNaN"), Decimal("NaN"), Decimal("1e999999"), Decimal("8.1"), True]),
)
scalar = st.one_of(st.none(), hostile_text, hostile_number, st.booleans())
leaf = st.one_of(scalar, st.dates(), st.datetimes())
hostile_value = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=5), inner, max_size=3),
    ),
    max_leaves=8,
)

good_admin: dict[str, Any] = {
    "scale": "ORS",
    "person": "p1",
    "date": "2025-01-10",
    "age": 40,
    "items": (0.7, 8.1, 7.5, 8.7),
}
ADMIN_FIELDS = [
    "scale",
    "person",
    "rater",
    "rater_id",
    "date",
    "session",
    "episode",
    "age",
    "items",
    "total",
]


@FUZZ
@given(
    changes=st.dictionaries(
        st.sampled_from([*ADMIN_FIELDS, "unknown_field"]), hostile_value, max_size=4
    )
)
def test_administration_only_library_errors(changes: dict[str, Any]) -> None:
    fields = {**good_admin, **changes}
    only_library_errors(lambda: fs.Administration(**fields))


@FUZZ
@given(items=st.one_of(st.none(), hostile_value, st.lists(hostile_number, max_size=6)))
def test_administration_items_only_library_errors(items: Any) -> None:
    only_library_errors(lambda: fs.Administration(**{**good_admin, "items": items}))


@FUZZ
@given(
    rows=st.lists(
        st.dictionaries(
            st.sampled_from([*ADMIN_FIELDS, "birth_date", "coordinator"]),
            hostile_value,
            max_size=6,
        ),
        max_size=6,
    )
)
def test_from_records_only_library_errors(rows: list[dict[str, Any]]) -> None:
    only_library_errors(lambda: fs.from_records(rows))


@FUZZ
@given(
    columns=st.dictionaries(
        st.sampled_from([*ADMIN_FIELDS, "birth_date"]),
        st.one_of(hostile_value, st.lists(scalar, min_size=2, max_size=2)),
        max_size=6,
    )
)
def test_from_columns_only_library_errors(columns: dict[str, Any]) -> None:
    only_library_errors(lambda: fs.from_columns(columns))


@FUZZ
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_parse_csv_random_text(text: str | bytes) -> None:
    only_library_errors(lambda: fs.parse_csv(text))


HEADER = "person,scale,date,age,item_1,item_2,item_3,item_4,total"


@FUZZ
@given(
    cells=st.lists(
        st.lists(
            st.one_of(
                hostile_text.map(lambda s: s.replace(",", "").replace("\n", "")),
                st.sampled_from(['"a,b"', '"', '""', "1,5", "ORS", "2025-02-30", "4"]),
            ),
            min_size=9,
            max_size=10,
        ),
        max_size=5,
    )
)
def test_parse_csv_hostile_cells(cells: list[list[str]]) -> None:
    text = "\n".join([HEADER, *(",".join(row) for row in cells)])
    only_library_errors(lambda: fs.parse_csv(text))


@FUZZ
@given(value=hostile_value)
def test_parse_json_any_document(value: Any) -> None:
    try:
        text = json.dumps(value, default=str)
    except (ValueError, TypeError, OverflowError):  # not expressible as JSON text
        return
    only_library_errors(lambda: fs.parse_json(text))


def test_parse_json_deep_nesting() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    only_library_errors(lambda: fs.parse_json(deep))
    only_library_errors(lambda: fs.Family.model_validate_json(deep))


@FUZZ
@given(value=hostile_value, field=st.sampled_from(["id", "members", "tracks"]))
def test_family_json_only_library_errors(value: Any, field: str) -> None:
    family = json.loads(fs.example_family().model_dump_json())
    family[field] = value
    try:
        text = json.dumps(family, default=str)
    except (ValueError, TypeError, OverflowError):
        return
    only_library_errors(lambda: fs.Family.model_validate_json(text))


# -- model JSON ----------------------------------------------------------------


def _model_json(method: str) -> dict[str, Any]:
    rows = simulate_cohort(300, seed=3).to_dict()
    model = fs.fit_expected_response(fs.from_columns(rows), method)  # type: ignore[arg-type]
    loaded: dict[str, Any] = json.loads(model.model_dump_json())
    return loaded


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(doc, list):
        for i, value in enumerate(doc[:3]):
            out.extend(_paths(value, (*prefix, i)))
    return out


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    doc[head] = _set(doc[head], tuple(rest), value)
    return doc


@pytest.fixture(scope="module", params=["growth", "cohort", "neighbours"])
def model_doc(request: pytest.FixtureRequest) -> dict[str, Any]:
    return _model_json(request.param)


@FUZZ
@given(data=st.data())
def test_load_model_tampered(model_doc: dict[str, Any], data: st.DataObject) -> None:
    doc = json.loads(json.dumps(model_doc))
    paths = _paths(doc)
    path = data.draw(st.sampled_from(paths[1:]))
    value = data.draw(hostile_value)
    _set(doc, path, value)
    try:
        text = json.dumps(doc, default=str)
    except (ValueError, TypeError, OverflowError):
        return
    only_library_errors(lambda: fs.load_model(text))


@FUZZ
@given(text=st.one_of(st.text(max_size=100), st.binary(max_size=100)))
def test_load_model_random_text(text: str | bytes) -> None:
    only_library_errors(lambda: fs.load_model(text))


# -- change --------------------------------------------------------------------


@FUZZ
@given(
    pre=st.one_of(st.none(), hostile_value, st.lists(hostile_number, max_size=6)),
    post=st.one_of(st.none(), hostile_value, st.lists(hostile_number, max_size=6)),
    method=st.sampled_from(["JT", "GLN", "HLL", "EN", "NK", "HA", "HLM", "jt", "nonsense"]),
    reliability=st.one_of(st.none(), hostile_number),
)
def test_clinical_significance_only_library_errors(
    pre: Any, post: Any, method: str, reliability: Any
) -> None:
    def call() -> Any:
        data = fs.ChangeData.from_wide(pre, post)
        return fs.clinical_significance(
            data,
            higher_is_better=True,
            reliability=reliability,
            method=method,  # type: ignore[arg-type]
        )

    only_library_errors(call)


def test_track_and_summary_from_good_data_still_work() -> None:
    """The fuzz harness itself: a good administration passes through untouched."""
    a = only_library_errors(lambda: fs.Administration(**good_admin))
    assert a is not None
    assert a.total == 25.0
    assert not math.isnan(a.total)
    assert fs.Administration(**{**good_admin, "date": dt.date(2025, 1, 10)}).total == 25.0


# -- aggregates, goals, instruments -----------------------------------------------------


@functools.cache
def cohort_summary() -> Any:  # not a fixture: hypothesis would print its repr
    return fs.from_columns(simulate_cohort(60, seed=5).to_dict()).summarize()


@FUZZ
@given(by=hostile_value, min_cell=hostile_value, level=hostile_value)
def test_aggregate_options_only_library_errors(by: Any, min_cell: Any, level: Any) -> None:
    import warnings

    summary = cohort_summary()

    with warnings.catch_warnings():  # several groupings of one summary: analysis, not publication
        warnings.simplefilter("ignore", fs.errors.UnlinkedTablesWarning)
        only_library_errors(lambda: summary.aggregate(by, min_cell=min_cell, level=level))


@FUZZ
@given(levels=hostile_value, weights=st.one_of(st.none(), hostile_value), rho=hostile_value)
def test_gas_t_score_only_library_errors(levels: Any, weights: Any, rho: Any) -> None:
    from fit_scores.goals import gas_t_score

    only_library_errors(lambda: gas_t_score(levels, weights, rho))


@FUZZ
@given(
    key=st.sampled_from(["GSE", "LIFESAT", "CANTRIL", "KIDSCREEN10", "EQ5D", "nope", 3]),
    responses=hostile_value,
)
def test_instrument_scoring_only_library_errors(key: Any, responses: Any) -> None:
    from fit_scores.instruments import score

    only_library_errors(lambda: score(key, responses))


# -- charts: options and user text --------------------------------------------------------


CHART_FUZZ = settings(FUZZ, max_examples=25)


@CHART_FUZZ
@given(
    locale=st.one_of(st.sampled_from(["nb", "nn", "en", "no", "sv", ""]), hostile_value),
    x=st.one_of(st.sampled_from(["date", "session", "week"]), hostile_value),
    audience=st.one_of(st.sampled_from(["family", "coordinator", "fancy"]), hostile_value),
    title=st.one_of(st.none(), hostile_text),
)
def test_chart_options_only_library_errors(locale: Any, x: Any, audience: Any, title: Any) -> None:
    from fit_scores.charts import plot_track

    track = fs.example_family().tracks_of("mor")[0]
    only_library_errors(
        lambda: plot_track(track, locale=locale, x=x, audience=audience, title=title)
    )


@CHART_FUZZ
@given(
    fmt=st.one_of(st.sampled_from(["svg", "png", "pdf", "gif", "SVG"]), hostile_value),
    dpi=st.one_of(st.none(), hostile_number, st.sampled_from([1e9, 0, -5, 10**12])),
)
def test_render_options_only_library_errors(fmt: Any, dpi: Any) -> None:
    from matplotlib.figure import Figure

    from fit_scores.charts import render

    fig = Figure(figsize=(2, 2))
    fig.add_subplot().plot([1, 2], [3, 4])
    only_library_errors(lambda: render(fig, fmt, dpi=dpi))


# -- the command line -------------------------------------------------------------------------


@settings(FUZZ, max_examples=60)
@given(
    argv=st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "validate",
                    "summarize",
                    "report",
                    "chart",
                    "schema",
                    "report-family",
                    "--locale",
                    "sv",
                    "nb",
                    "--by",
                    "coordinator",
                    "--min-cell",
                    "0",
                    "-o",
                    "{dir}/out.xlsx",
                    "{dir}/out.json",
                    "{file}",
                    "{dir}",
                    "{dir}/missing.csv",
                    "--group-column",
                    "--encoding",
                    "klingon",
                    "--decimal",
                    ",",
                    "--as-of",
                    "2025-13-40",
                    "--person",
                    "p1",
                    "--format",
                    "html",
                    "--workers",
                    "-3",
                ]
            ),
            hostile_text,
        ),
        max_size=7,
    )
)
def test_cli_only_exits_with_a_code(
    argv: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from fit_scores.cli import main

    folder = tmp_path_factory.mktemp("cli")
    data = folder / "scores.csv"
    data.write_text(
        "person,scale,date,total,age\np1,ORS,2025-01-10,18.5,40\np1,ORS,2025-02-10,24,40\n",
        encoding="utf-8",
    )
    args = [a.replace("{dir}", str(folder)).replace("{file}", str(data)) for a in argv]
    if any(a in ("--workers", "demo") for a in args):  # clusters and the demo are tested elsewhere
        return
    try:
        code = main(args)
    except SystemExit as stop:
        code = stop.code  # type: ignore[assignment]
    except BaseException as exc:
        pytest.fail(f"fit-scores {args}: {type(exc).__name__}: {str(exc)[:300]}")
    assert code in (0, 1, 2), (args, code)
