"""Public contracts: JSON round trips, committed JSON Schemas, light import, ``__all__``."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fit_scores as fs
from fit_scores._schemas import PUBLIC_MODELS, schema_files

ROOT = Path(__file__).resolve().parents[1]

# up to the year before this library's tests were written: a later date is rejected (DateError)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2025, 12, 31))
ids = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)


@st.composite
def administrations(draw: st.DrawFn) -> fs.Administration:
    key = draw(st.sampled_from(["ORS", "SRS", "CORS", "CSRS", "GSRS", "CGSRS"]))
    scale = fs.get_scale(key)
    rater = draw(st.sampled_from(scale.raters))
    items = draw(st.none() | st.lists(st.integers(0, 100), min_size=4, max_size=4))
    kwargs: dict[str, object] = {
        "scale": key,
        "person": draw(ids),
        "rater": rater,
        "rater_id": None if rater == "self" else draw(ids),
        "date": draw(dates),
        "session": draw(st.none() | st.integers(1, 500)),
        "episode": draw(st.none() | ids),
        "age": draw(st.none() | st.integers(scale.min_age, scale.max_age or 99)),
    }
    if items is None:
        kwargs["total"] = draw(st.integers(0, 400)) / 10
    else:
        kwargs["items"] = [t * 0.1 for t in items]
    return fs.Administration.model_validate(kwargs)


@given(administrations())
def test_administration_json_round_trip(a: fs.Administration) -> None:
    again = fs.Administration.model_validate_json(a.model_dump_json())
    assert again == a
    assert again.total_ticks == a.total_ticks


@given(
    administrations(),
    st.lists(
        st.tuples(dates, st.integers(0, 400)), min_size=1, max_size=6, unique_by=lambda d: d[0]
    ),
)
def test_track_json_round_trip(first: fs.Administration, rows: list[tuple[dt.date, int]]) -> None:
    base = first.model_dump(exclude={"date", "items", "total", "session"})
    admins = [
        fs.Administration.model_validate({**base, "date": day, "total": ticks / 10})
        for day, ticks in rows
    ]
    track = fs.Track.from_administrations(admins)
    assert [a.date for a in track.administrations] == sorted(day for day, _ in rows)
    assert fs.Track.model_validate_json(track.model_dump_json()) == track


@pytest.mark.parametrize("scale", fs.BUILTIN_SCALES, ids=lambda s: s.key)
def test_scale_json_round_trip(scale: fs.Scale) -> None:
    assert fs.Scale.model_validate_json(scale.model_dump_json()) == scale


def test_family_json_round_trip() -> None:
    family = fs.example_family()
    assert fs.Family.model_validate_json(family.model_dump_json()) == family


@pytest.mark.parametrize("name", sorted(PUBLIC_MODELS))
def test_committed_json_schema_is_current(name: str) -> None:
    files = schema_files()
    path = ROOT / "schemas" / f"{name}.json"
    assert path.exists(), f"missing {path}; run: python -m fit_scores._schemas schemas"
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert committed == json.loads(files[f"{name}.json"]), (
        f"the JSON Schema of {name} changed; if intended, run python -m fit_scores._schemas schemas"
    )


def test_no_stray_schema_files() -> None:
    assert sorted(p.name for p in (ROOT / "schemas").glob("*.json")) == sorted(schema_files())


def test_import_is_light() -> None:
    code = (
        "import sys, fit_scores; "
        "names = ('matplotlib', 'pandas', 'scipy.stats', 'polars'); "
        "heavy = [m for m in names if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_all_is_explicit_and_complete() -> None:
    assert len(fs.__all__) == len(set(fs.__all__))
    for name in fs.__all__:
        assert hasattr(fs, name), name
    # every public name that is not a submodule is exported
    public = {n for n in dir(fs) if not n.startswith("_")}
    not_modules = {n for n in public if not isinstance(getattr(fs, n), types.ModuleType)}
    assert not_modules <= set(fs.__all__), not_modules - set(fs.__all__)
    for name in (
        "Administration",
        "Track",
        "Person",
        "Family",
        "Scale",
        "get_scale",
        "list_scales",
        "register_scale",
        "FitScoresError",
    ):
        assert name in fs.__all__
