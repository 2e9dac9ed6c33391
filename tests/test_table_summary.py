"""Per-track summaries and aggregates of score tables, against the single-track API."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import fit_scores as fs
from fit_scores import Administration, AllianceRules, Track
from fit_scores.simulate import simulate_cohort
from fit_scores.table import TableInputError, from_columns, from_records
from fit_scores.table.aggregate import AGGREGATE_COLUMNS
from fit_scores.trajectories import StatusRule, TrajectoryData, fit_expected_response

KEY = ("person", "scale", "rater", "rater_id", "episode")


def random_rows(seed: int) -> list[dict[str, Any]]:
    """A small table of many kinds of track: band changes, caretakers, alliance, skips."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    kinds = ["ors_teen", "ors_adult", "cors", "caretaker", "srs", "srs_unknown_age", "ycors"]
    for p in range(int(rng.integers(6, 14))):
        kind = kinds[int(rng.integers(len(kinds)))]
        person = f"p{p}"
        n = int(rng.integers(1, 7))
        day = dt.date(2024, 1, 1) + dt.timedelta(days=int(rng.integers(0, 300)))
        numbered = rng.random() < 0.5
        start_age = {
            "ors_teen": 17,
            "ors_adult": 30,
            "cors": 8,
            "caretaker": 15,
            "srs": 17,
            "srs_unknown_age": 40,
            "ycors": 3,
        }[kind]
        scale = {
            "ors_teen": "ORS",
            "ors_adult": "ORS",
            "cors": "CORS",
            "caretaker": "ORS",
            "srs": "SRS",
            "srs_unknown_age": "SRS",
            "ycors": "YCORS",
        }[kind]
        birth = day - dt.timedelta(days=366 * start_age + int(rng.integers(0, 300)))
        for s in range(n):
            record: dict[str, Any] = {
                "person": person,
                "scale": scale,
                "date": day.isoformat(),
                "coordinator": f"c{p % 3}",
            }
            if numbered:
                record["session"] = s + 1
            if kind == "caretaker":
                record.update(rater="caretaker", rater_id="mor")
            if kind != "srs_unknown_age":
                if rng.random() < 0.5:
                    record["birth_date"] = birth.isoformat()
                else:
                    years = (
                        day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
                    )
                    record["age"] = years
            if kind == "ycors":
                record["item_1"] = int(rng.integers(1, 6))
            elif rng.random() < 0.12 and 0 < s < n - 1:
                record["skip"] = True
            elif scale == "SRS":
                level = rng.choice([40.0, 40.0, 39.0, 36.0, 35.9, 34.5])
                if rng.random() < 0.5:
                    record["total"] = float(level)
                else:
                    ticks = rng.multinomial(round(level * 10), [0.25] * 4)
                    if ticks.max() > 100:
                        ticks = np.array([100, 100, 100, round(level * 10) - 300])
                    for j, t in enumerate(ticks):
                        record[f"item_{j + 1}"] = int(t) / 10
            else:
                total = rng.choice([19.5, 20.0, 24.9, 25.0, 27.9, 28.0, 30.0, 32.0, 15.0])
                total = float(np.clip(total + rng.choice([0, 5.0, -5.0, 2.5, 4.9]), 0, 40))
                if rng.random() < 0.5:
                    record["total"] = total
                else:
                    whole = round(total * 10)
                    parts = [whole // 4] * 3 + [whole - 3 * (whole // 4)]
                    for j, t in enumerate(parts):
                        record[f"item_{j + 1}"] = t / 10
            rows.append(record)
            day += dt.timedelta(days=int(rng.integers(1, 120)))
        if rng.random() < 0.3:
            rows[-1]["ending_reason"] = str(rng.choice(["planned", "unplanned", "moved"]))
    return rows


def track_of(records: list[dict[str, Any]]) -> Track:
    admins = []
    for r in records:
        if r.get("skip"):
            continue
        age = r.get("age")
        if age is None and "birth_date" in r:
            born, when = dt.date.fromisoformat(r["birth_date"]), dt.date.fromisoformat(r["date"])
            age = when.year - born.year - ((when.month, when.day) < (born.month, born.day))
        items = [r.get(f"item_{j}") for j in range(1, 5)]
        n_items = fs.get_scale(r["scale"]).n_items
        admins.append(
            Administration(
                scale=r["scale"],
                person=r["person"],
                rater=r.get("rater", "self"),
                rater_id=r.get("rater_id"),
                date=r["date"],
                session=r.get("session"),
                age=age,
                items=tuple(items[:n_items]) if any(v is not None for v in items) else None,
                total=r.get("total"),
            )
        )
    return Track.from_administrations(admins)


def grouped(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    out: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[(r["person"], r["scale"], r.get("rater", "self"), r.get("rater_id"), None)].append(r)
    return out


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("nrr", [False, True])
def test_summary_equals_the_single_track_api(seed: int, nrr: bool) -> None:
    rows = random_rows(seed)
    table = from_records(rows, group_columns=["coordinator"])
    assert table.n_rejected == 0, table.errors.to_records()
    rules = AllianceRules() if seed % 2 else AllianceRules(cutoff=38.0, drop=2.0, ceiling_repeats=3)
    summary = table.summarize(rules=rules, non_reliable_recovery=nrr)
    tracks = grouped(rows)
    assert len(summary) == len(tracks)
    for rec in summary.to_records():
        source = tracks[tuple(rec[k] for k in KEY)]
        track = track_of(source)
        assert rec["n"] == len(source) and rec["n_scored"] == len(track)
        assert rec["n_skipped"] == sum(bool(r.get("skip")) for r in source)
        assert rec["first_date"] == dt.date.fromisoformat(source[0]["date"])
        assert rec["latest_date"] == dt.date.fromisoformat(source[-1]["date"])
        assert rec["intake"] == track.totals[0] and rec["latest"] == track.totals[-1]
        assert rec["clinical_intake"] == track.intake.clinical
        assert rec["clinical_latest"] == track.latest.clinical
        assert rec["age"] == track.intake.age
        scale = track.scale
        rc = scale.reliable_change
        if scale.kind == "outcome" and rc is not None and rc.published and len(track) > 1:
            change = track.change(non_reliable_recovery=nrr)
            assert rec["change"] == change.difference
            assert rec["reliable"] == change.reliable
            assert rec["category"] == change.category
            assert rec["clinical_intake"] == change.clinical_pre
            assert rec["clinical_latest"] == change.clinical_post
            assert rec["reliably_improved"] == (change.direction == "better")
            assert rec["reliably_deteriorated"] == (change.direction == "worse")
        else:
            assert rec["category"] is None and rec["reliable"] is None
        if scale.kind == "alliance":
            signals = track.alliance_signals(rules)
            last = len(track) - 1
            for rule in ("below_cutoff", "drop", "item_below", "ceiling"):
                assert rec[rule] == any(s.rule == rule and s.index == last for s in signals)
                assert rec[f"n_{rule}"] == sum(s.rule == rule for s in signals), rule
        else:
            assert rec["drop"] is None and rec["n_drop"] is None
        endings = [r["ending_reason"] for r in source if r.get("ending_reason")]
        assert rec["ending_reason"] == (endings[-1] if endings else None)


def test_band_change_uses_each_administrations_own_cutoff() -> None:
    table = from_records(
        [
            {
                "person": "k",
                "scale": "ORS",
                "date": "2025-01-10",
                "birth_date": "2007-06-01",
                "total": 26.0,
            },
            {
                "person": "k",
                "scale": "ORS",
                "date": "2025-06-10",
                "birth_date": "2007-06-01",
                "total": 26.0,
            },
            {"person": "u", "scale": "ORS", "date": "2025-01-10", "total": 20.0},
            {"person": "u", "scale": "ORS", "date": "2025-06-10", "total": 30.0},
        ]
    )
    rec = table.summarize().to_records()
    assert (rec[0]["clinical_intake"], rec[0]["clinical_latest"]) == (True, False)  # 28, then 25
    assert rec[0]["age_band"] == "adolescent" and rec[0]["category"] == "unchanged"
    assert rec[1]["clinical_intake"] is None and rec[1]["category"] == "improved"  # age unknown


# --- expected-response models ------------------------------------------------------------


@pytest.fixture(scope="module")
def cohort() -> Any:
    return simulate_cohort(160, seed=11, years=1.5)


@pytest.mark.parametrize("axis", ["session", "days"])
@pytest.mark.parametrize("method", ["growth", "cohort", "neighbours"])
def test_expected_status_equals_model_status(cohort: Any, method: Any, axis: Any) -> None:
    tracks = cohort.tracks()
    options: dict[str, dict[str, Any]] = {
        "cohort": {"min_n": 5, "k_max": 12.0},
        "neighbours": {"n_neighbours": 15},
    }
    kwargs = options.get(method, {})
    model = fit_expected_response(TrajectoryData.from_tracks(tracks, axis=axis), method, **kwargs)
    columns = cohort.to_dict()
    table = from_columns(columns)
    assert table.n_rejected == 0
    rule = StatusRule(on_track_at=25.0) if method == "growth" else None
    summary = table.summarize(model=model, status_rule=rule)
    by_person = {t.person: t for t in tracks}
    records = summary.to_records()
    statuses = set()
    for rec in records[:: 3 if method == "neighbours" else 1]:
        status = model.status(by_person[rec["person"]], rule=rule)
        statuses.add(status.status)
        assert rec["expected_status"] == status.status, (rec["person"], status)
        assert rec["expected_at"] == status.at
        if status.expected is not None:
            assert rec["expected"] == status.expected.median
        else:
            assert rec["expected"] is None
    assert {"on_track", "off_track"} <= statuses


def test_expected_status_counts_sessions_and_rejects_bad_rules(cohort: Any) -> None:
    model = fit_expected_response(TrajectoryData.from_tracks(cohort.tracks()), "growth")
    table = from_columns(cohort.to_dict())
    with pytest.raises(fs.trajectories.TrajectoryInputError, match="percentile"):
        table.summarize(model=model, status_rule=StatusRule(on_track_at=30.0))
    one = from_records([{"person": "x", "scale": "ORS", "date": "2025-01-01", "total": 10.0}])
    assert one.summarize(model=model)["expected_status"].tolist() == ["not_enough_data"]


# --- aggregates ----------------------------------------------------------------------------


def wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    return float(lo), float(hi)


def big_rows(seed: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(60):
        coordinator = "small" if p < 3 else ("a" if p % 2 else "b")
        age = int(rng.choice([15, 16, 30, 45]))
        intake = float(np.round(rng.uniform(8, 30), 1))
        for s in range(int(rng.integers(2, 6))):
            total = float(np.clip(np.round(intake + s * rng.normal(2.0, 2.5), 1), 0, 40))
            rows.append(
                {
                    "person": f"p{p}",
                    "scale": "ORS",
                    "age": age,
                    "session": s + 1,
                    "date": (dt.date(2025, 1, 1) + dt.timedelta(days=14 * s)).isoformat(),
                    "total": total,
                    "coordinator": coordinator,
                }
            )
        rows[-1]["ending_reason"] = ["planned", "unplanned", "", "moved"][p % 4]
        srs = float(np.round(rng.uniform(30, 40), 1))
        rows.append(
            {
                "person": f"p{p}",
                "scale": "SRS",
                "age": age,
                "date": "2025-01-01",
                "total": srs,
                "coordinator": coordinator,
            }
        )
        if p % 5 == 0:
            rows.append(
                {
                    "person": f"p{p}",
                    "scale": "ORS",
                    "rater": "collateral",
                    "rater_id": f"teacher{p % 2}",
                    "date": "2025-01-01",
                    "total": 20.0,
                    "coordinator": coordinator,
                    "age": age,
                }
            )
    return rows


def test_aggregate_matches_independent_computations() -> None:
    rows = big_rows(5)
    table = from_records(rows, group_columns=["coordinator"])
    summary = table.summarize()
    agg = summary.aggregate("coordinator", min_cell=5, level=0.9)
    records = {r["coordinator"]: r for r in agg.to_records()}
    assert set(records) == {"a", "b", "small"}
    small = records["small"]
    assert small["suppressed"] is True
    assert all(v is None for k, v in small.items() if k not in ("coordinator", "suppressed"))
    tracks = summary.to_records()
    for name in ("a", "b"):
        rec = records[name]
        mine = [t for t in tracks if t["coordinator"] == name]
        outcome = [t for t in mine if t["scale"] == "ORS"]
        people = {t["person"] for t in mine}
        assert rec["n_people"] == len(people) and rec["n_tracks"] == len(mine)
        assert rec["n_collateral_raters"] == len(
            {(t["person"], t["rater_id"]) for t in mine if t["rater"] == "collateral"}
        ) or (rec["n_collateral_raters"] is None)
        with_category = [t for t in outcome if t["category"] is not None]
        hits: dict[str, Callable[[dict[str, Any]], bool]] = {
            "improved": lambda t: bool(t["reliably_improved"]),
            "recovered": lambda t: t["category"] == "recovered",
            "deteriorated": lambda t: bool(t["reliably_deteriorated"]),
        }
        for share, hit in hits.items():
            k = sum(hit(t) for t in with_category)
            n = len(with_category)
            assert rec[f"{share}_n"] == n
            assert rec[f"{share}_share"] == pytest.approx(k / n, abs=1e-15)
            lo, hi = wilson(k, n, 0.9)
            assert rec[f"{share}_ci_low"] == pytest.approx(lo, abs=1e-12)
            assert rec[f"{share}_ci_high"] == pytest.approx(hi, abs=1e-12)
        pairs = [t for t in outcome if t["change"] is not None]
        es = fs.effect_size([t["intake"] for t in pairs], [t["latest"] for t in pairs], level=0.9)
        assert rec["effect_size"] == pytest.approx(es.estimate, rel=1e-9)
        assert rec["effect_size_ci_low"] == pytest.approx(es.ci_low, rel=1e-9)
        assert rec["effect_size_ci_high"] == pytest.approx(es.ci_high, rel=1e-9)
        from scipy import stats

        intakes = np.array([t["intake"] for t in outcome])
        lo, hi = stats.t.interval(
            0.9, intakes.size - 1, loc=intakes.mean(), scale=stats.sem(intakes)
        )
        assert rec["intake_outcome_mean"] == pytest.approx(intakes.mean(), rel=1e-12)
        assert rec["intake_outcome_ci_low"] == pytest.approx(lo, rel=1e-9)
        assert rec["intake_outcome_ci_high"] == pytest.approx(hi, rel=1e-9)
        alliance = np.array([t["intake"] for t in mine if t["scale"] == "SRS"])
        assert rec["intake_alliance_mean"] == pytest.approx(alliance.mean(), rel=1e-12)
        sessions = np.array([t["n"] for t in outcome])
        assert rec["sessions_mean"] == pytest.approx(sessions.mean(), rel=1e-12)
        ended = [t for t in outcome if t["ending_reason"] is not None]
        planned = sum(t["ending_reason"] == "planned" for t in ended)
        assert rec["planned_ending_n"] == len(ended)
        assert rec["planned_ending_share"] == pytest.approx(planned / len(ended))
        assert rec["reached_expected_share"] is None and rec["reached_expected_n"] == 0
        assert rec["suppressed"] is False


@pytest.mark.filterwarnings(
    "ignore::fit_scores.errors.UnlinkedTablesWarning"
)  # analysis, not publication
def test_small_cells_are_suppressed_with_a_flag() -> None:
    rows = big_rows(6)
    summary = from_records(rows, group_columns=["coordinator"]).summarize()
    agg = summary.aggregate(["coordinator", "age_band"], min_cell=5)
    for rec in agg.to_records():
        counts = [
            rec[f"n_people_{b}"] for b in ("under6", "child", "adolescent", "adult", "age_unknown")
        ]
        shown = [c for c in counts if c is not None]
        assert all(c >= 5 or c == 0 for c in shown)
        assert sum(c is None for c in counts) != 1  # never a single hidden cell
        if rec["n_people"] is None:
            assert rec["suppressed"] and rec["n_tracks"] is None and rec["effect_size"] is None
        for key, value in rec.items():
            if key.endswith("_n") and value is not None:
                assert value >= 5 or value == 0, (key, rec)
    whole = summary.aggregate(min_cell=1).to_records()[0]
    assert whole["n_people"] == 60 and whole["suppressed"] is False
    strict = summary.aggregate(min_cell=61).to_records()[0]
    assert strict["n_people"] is None and strict["suppressed"] is True


@pytest.mark.filterwarnings(
    "ignore::fit_scores.errors.UnlinkedTablesWarning"
)  # analysis, not publication
def test_aggregate_errors_and_by_any_column() -> None:
    summary = from_records(big_rows(7), group_columns=["coordinator"]).summarize()
    with pytest.raises(TableInputError, match="no column"):
        summary.aggregate("nope")
    with pytest.raises(TableInputError, match="min_cell"):
        summary.aggregate(min_cell=0)
    by_rater = {r["rater"]: r for r in summary.aggregate("rater", min_cell=1).to_records()}
    assert set(by_rater) == {"self", "collateral"}
    by_reliable = summary.aggregate("reliable", min_cell=1).to_records()
    assert {r["reliable"] for r in by_reliable} == {"True", "False", None}


def test_outputs_of_summary_and_aggregate() -> None:
    pytest.importorskip("pandas")
    import json

    summary = from_records(big_rows(8), group_columns=["coordinator"]).summarize()
    df = summary.to_pandas()
    assert len(df) == len(summary) and df["n"].dtype.kind == "i"
    assert str(df["reliable"].dtype) == "boolean"
    records = json.loads(summary.to_json())
    assert records[0]["first_date"] == "2025-01-01"
    assert summary.to_csv().splitlines()[0].startswith("person,scale,rater,rater_id,episode,")
    agg = summary.aggregate("coordinator")
    assert set(agg.names) == {"coordinator"} | AGGREGATE_COLUMNS
    assert len(agg.to_pandas()) == len(agg) == 3
    assert json.loads(agg.to_json())[0].keys() == agg.to_records()[0].keys()
    assert math.isfinite(agg.to_records()[0]["sessions_mean"])


# --- the benchmark script ------------------------------------------------------------------


def test_bench_table_runs(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_table.py"
    spec = importlib.util.spec_from_file_location("bench_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--n", "5000", "--baseline-n", "1000"]) == 0
    out = capsys.readouterr().out
    assert "rows/s" in out and "ratio" in out and "track counts agree: True" in out
