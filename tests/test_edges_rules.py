"""Rules at the edges (issue 13): dates, session order, float-summed totals, missing ages.

Every rule is checked on the record path (``Administration``, ``Track``,
``Family``) and on the batch path (a one-row or n-row table), with the same
error class and message where both paths have the rule.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

import fit_scores as fs
from fit_scores._core import tracks as core_tracks
from fit_scores._core.errorlog import ErrorLog
from fit_scores._core.track_rules import longest_increasing
from fit_scores.i18n import message
from fit_scores.table.build import build_table
from tests._helpers import fit_error

GOOD: dict[str, Any] = {
    "scale": "ORS",
    "person": "p1",
    "date": "2025-01-10",
    "items": [5.0, 5.0, 5.0, 5.0],
}


def as_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in record.items() if k != "items"}
    for j, value in enumerate(record.get("items") or (), start=1):
        row[f"item_{j}"] = value
    return row


def record_error(record: dict[str, Any], **context: Any) -> fs.FitScoresError:
    with pytest.raises(ValidationError) as info:
        fs.Administration.model_validate(record, context=context or None)
    return fit_error(info.value)


def table_of(rows: list[dict[str, Any]], as_of: dt.date | None = None) -> fs.ScoreTable:
    """A table from records through the builder (``as_of`` passed to the rules)."""
    names = list(dict.fromkeys(k for r in rows for k in r))
    columns = {name: np.array([r.get(name) for r in rows], dtype=object) for name in names}
    return build_table(columns, len(rows), text=False, registry=None, log=ErrorLog(), as_of=as_of)


# --- 1. dates after the day of the check, or before the birth date -------------------------


def test_a_date_in_the_future_is_rejected_on_both_paths() -> None:
    record = {**GOOD, "date": "2052-01-10"}
    raised = record_error(record)
    assert type(raised) is fs.DateError
    assert "date 2052-01-10 is after the day of the check" in str(raised)
    [entry] = fs.from_records([as_row(record)]).errors.to_records()
    assert (entry["error"], entry["reason"]) == ("DateError", str(raised))


def test_as_of_is_the_day_of_the_check_on_both_paths() -> None:
    record = {**GOOD, "date": "2025-03-01"}
    day = dt.date(2025, 2, 1)
    raised = record_error(record, as_of=day)
    assert str(raised) == (
        "date 2025-03-01 is after the day of the check (2025-02-01); check the year, or give as_of"
    )
    table = table_of([as_row(record)], as_of=day)
    [entry] = table.errors.to_records()
    assert (entry["error"], entry["reason"]) == ("DateError", str(raised))
    # the day itself is allowed, on both paths
    same_day = {**GOOD, "date": "2025-02-01"}
    assert fs.Administration.model_validate(same_day, context={"as_of": day}).date == day
    assert table_of([as_row(same_day)], as_of=day).n_valid == 1
    # and a later as_of accepts the row
    later = dt.date(2025, 3, 1)
    assert fs.Administration.model_validate(record, context={"as_of": later}).total == 20.0
    assert table_of([as_row(record)], as_of=later).n_valid == 1


def test_only_the_row_dated_in_the_future_is_rejected() -> None:
    rows = [
        as_row({**GOOD, "date": "2025-01-10", "items": [1.0, 1.0, 1.0, 1.0]}),
        as_row({**GOOD, "date": "2052-02-10", "items": [7.0, 7.0, 7.0, 8.0]}),  # typo for 2025
        as_row({**GOOD, "date": "2025-03-10", "items": [4.0, 4.0, 4.0, 3.0]}),
    ]
    table = fs.from_records(rows)
    assert table.errors.rows.tolist() == [1]
    assert table.errors.error.tolist() == ["DateError"]
    assert table.n_valid == 2
    summary = table.summarize()
    assert summary["latest"].tolist() == [15.0]  # not the 2052 row's 29
    assert summary["days_in_contact"].tolist() == [59]


def test_a_track_checks_its_administrations_against_as_of() -> None:
    adms = [
        fs.Administration.model_validate({**GOOD, "date": d}) for d in ("2025-01-10", "2025-02-01")
    ]
    assert len(fs.Track.from_administrations(adms)) == 2
    with pytest.raises(ValidationError) as info:
        fs.Track.from_administrations(adms, as_of=dt.date(2025, 1, 20))
    assert "date 2025-02-01 is after the day of the check (2025-01-20)" in str(info.value)
    with pytest.raises(fs.DateError, match=r"as_of must be a datetime\.date"):
        table_of([as_row(GOOD)], as_of="2025-01-01")  # type: ignore[arg-type]


def test_a_date_before_the_birth_date_is_rejected_on_both_paths() -> None:
    # batch: the birth date column; record: the family member's birth date
    row = as_row({**GOOD, "date": "2025-01-10"}) | {"birth_date": "2025-04-22"}
    [entry] = fs.from_records([row]).errors.to_records()
    assert entry["error"] == "AgeError"
    assert entry["reason"] == "the date 2025-01-10 is before the birth date 2025-04-22"
    member = fs.Person(id="p1", role="child", birth_date="2025-04-22")
    track = fs.Track.from_administrations([fs.Administration.model_validate(GOOD)])
    with pytest.raises(ValidationError) as info:
        fs.Family(id="f", members=(member,), tracks=(track,))
    raised = fit_error(info.value)
    assert type(raised) is fs.AgeError
    assert "2025-01-10 is before the birth date 2025-04-22" in str(raised)


def test_only_the_row_before_the_birth_date_is_rejected() -> None:
    born = {"birth_date": "2010-06-01"}
    rows = [
        as_row({**GOOD, "date": "2009-01-10"}) | born,
        as_row({**GOOD, "date": "2025-01-10"}) | born,
    ]
    table = fs.from_records(rows)
    assert table.errors.rows.tolist() == [0] and table.n_valid == 1


# --- 3. session order: the row that breaks it is rejected ----------------------------------


def sessions_table(sessions: list[int]) -> fs.ScoreTable:
    days = [dt.date(2025, 1, 6) + dt.timedelta(days=7 * i) for i in range(len(sessions))]
    return fs.from_records(
        [
            as_row({**GOOD, "date": d.isoformat(), "session": s})
            for d, s in zip(days, sessions, strict=True)
        ]
    )


def sessions_track(sessions: list[int]) -> fs.Track:
    days = [dt.date(2025, 1, 6) + dt.timedelta(days=7 * i) for i in range(len(sessions))]
    return fs.Track.from_administrations(
        [
            fs.Administration.model_validate({**GOOD, "date": d.isoformat(), "session": s})
            for d, s in zip(days, sessions, strict=True)
        ]
    )


@pytest.mark.parametrize(
    ("sessions", "rejected"),
    [
        ([10, 2, 3, 4], [0]),  # a typo at the start: only the 10
        ([1, 2, 30, 4, 5], [2]),  # a typo in the middle
        ([1, 2, 3, 9, 5], [4]),  # two longest runs: the earlier rows are kept
        ([4, 3], [1]),
        ([1, 2, 2, 3], [2]),  # a repeated number on another date
        ([5, 6, 1, 2, 3], [0, 1]),  # the longer run wins
    ],
)
def test_only_the_rows_outside_the_longest_run_are_rejected(
    sessions: list[int], rejected: list[int]
) -> None:
    table = sessions_table(sessions)
    assert sorted(set(table.errors.rows.tolist())) == rejected
    assert set(table.errors.error.tolist()) == {"SessionOrderError"}
    assert table.n_valid == len(sessions) - len(rejected)
    # the record path raises the first of them, with the same reason
    with pytest.raises(ValidationError) as info:
        sessions_track(sessions)
    raised = fit_error(info.value)
    assert type(raised) is fs.SessionOrderError
    assert str(raised) == f"administrations[{rejected[0]}]: {table.errors.reason[0]}"


def test_the_reason_names_both_neighbours() -> None:
    table = sessions_table([1, 2, 30, 4, 5])
    assert table.errors.reason.tolist() == [
        "session 30 on 2025-01-20 is out of order: it comes after session 2 on 2025-01-13 "
        "and before session 4 on 2025-01-27 in the same track; session numbers must increase "
        "with the date"
    ]


def test_rows_without_a_session_number_take_no_part_in_the_order() -> None:
    rows = [
        as_row({**GOOD, "date": "2025-01-06", "session": 10}),
        as_row({**GOOD, "date": "2025-01-13"}),
        as_row({**GOOD, "date": "2025-01-20", "session": 2}),
        as_row({**GOOD, "date": "2025-01-27", "session": 3}),
    ]
    table = fs.from_records(rows)
    assert table.errors.rows.tolist() == [0]
    assert table.n_valid == 3


def test_tracks_in_order_lose_nothing_and_other_tracks_are_untouched() -> None:
    rows = [as_row({**GOOD, "person": "a", "date": f"2025-01-{d:02d}", "session": s})
            for d, s in ((6, 10), (13, 2), (20, 3))]  # fmt: skip
    rows += [as_row({**GOOD, "person": "b", "date": f"2025-01-{d:02d}", "session": s})
             for d, s in ((6, 1), (13, 2), (20, 3))]  # fmt: skip
    table = fs.from_records(rows)
    assert table.errors.rows.tolist() == [0]
    assert table.n_valid == 5


@pytest.mark.parametrize("seed", range(20))
def test_longest_increasing_is_a_longest_run(seed: int) -> None:
    """Against a brute force over all subsets (small sequences)."""
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 8, size=int(rng.integers(1, 10))).tolist()
    chosen = longest_increasing(values)
    picked = [values[i] for i in chosen]
    assert all(a < b for a, b in itertools.pairwise(picked))
    best = 0
    first_best: list[int] | None = None
    k = len(values)
    for mask in range(1 << k):
        idx = [i for i in range(k) if mask >> i & 1]
        seq = [values[i] for i in idx]
        increasing = all(a < b for a, b in itertools.pairwise(seq))
        better = len(idx) > best or (
            len(idx) == best and first_best is not None and idx < first_best
        )
        if increasing and better:
            best, first_best = len(idx), idx
    assert len(chosen) == best
    assert chosen == first_best  # the lexicographically smallest positions


# --- 9. a total given with the items is compared on the tick grid ---------------------------


def test_a_float_summed_total_equals_the_items_on_both_paths() -> None:
    items = [0.7, 8.1, 7.5, 8.7]
    float_sum = 0.7 + 8.1 + 7.5 + 8.7
    assert float_sum != 25.0  # the float sum is not 25 ...
    record = {**GOOD, "items": items, "total": float_sum}
    assert fs.Administration.model_validate(record).total == 25.0  # ... but the same total
    table = fs.from_records([as_row(record)])
    assert table.n_valid == 1 and table.total.tolist() == [25.0]
    csv = "person,scale,date,item_1,item_2,item_3,item_4,total\np,ORS,2025-01-10,0.7,8.1,7.5,8.7,"
    assert fs.parse_csv(csv + repr(float_sum) + "\n").total.tolist() == [25.0]


@pytest.mark.parametrize("total", [24.9, 25.05, 25.000001])
def test_a_total_off_by_more_than_float_noise_is_still_a_mismatch(total: float) -> None:
    record = {**GOOD, "items": [0.7, 8.1, 7.5, 8.7], "total": total}
    raised = record_error(record)
    assert type(raised) is fs.TotalMismatchError
    assert str(raised) == (
        f"total = {total} does not equal the total of the items (25.0) for ORS; "
        "give items only, or the exact total"
    )
    [entry] = fs.from_records([as_row(record)]).errors.to_records()
    assert entry["reason"] == str(raised)


# --- 5. no age where the cutoff needs one --------------------------------------------------


def test_a_track_without_an_age_says_recovery_cannot_be_judged() -> None:
    rows = [
        {**GOOD, "date": "2025-01-10", "items": [3.0, 3.0, 3.0, 3.0]},
        {**GOOD, "date": "2025-03-10", "items": [8.0, 8.0, 8.0, 8.0]},
    ]
    track = fs.Track.from_administrations([fs.Administration.model_validate(r) for r in rows])
    result = track.change()
    assert result.category == "improved"
    assert result.clinical_pre is None and result.clinical_post is None
    assert result.message_id == "change.category.improved.no_age"
    assert result.recovery_judged is False  # the field a service reads
    assert result.label("en") == "Clear improvement (no age: recovery cannot be judged)"
    assert "kan ikke vurderes" in result.label("nb")
    assert "kan ikkje vurderast" in result.label("nn")
    assert message("change.no_age", "en") == "No age: recovery cannot be judged"
    # the batch path: the summary's own column
    summary = fs.from_records([as_row(r) for r in rows]).summarize()
    assert summary["category"].tolist() == ["improved"]
    assert summary["recovery_judged"].tolist() == [False]


def test_with_an_age_recovery_is_judged_on_both_paths() -> None:
    rows = [
        {**GOOD, "age": 40, "date": "2025-01-10", "items": [3.0, 3.0, 3.0, 3.0]},
        {**GOOD, "age": 40, "date": "2025-03-10", "items": [8.0, 8.0, 8.0, 8.0]},
    ]
    track = fs.Track.from_administrations([fs.Administration.model_validate(r) for r in rows])
    result = track.change()
    assert (result.category, result.message_id) == ("recovered", "change.category.recovered")
    assert result.recovery_judged is True
    summary = fs.from_records([as_row(r) for r in rows]).summarize()
    assert summary["category"].tolist() == ["recovered"]
    assert summary["recovery_judged"].tolist() == [True]


def test_an_age_known_at_one_end_only_is_not_enough() -> None:
    rows = [
        {**GOOD, "age": 40, "date": "2025-01-10", "items": [3.0, 3.0, 3.0, 3.0]},
        {**GOOD, "date": "2025-03-10", "items": [8.0, 8.0, 8.0, 8.0]},
    ]
    summary = fs.from_records([as_row(r) for r in rows]).summarize()
    assert summary["recovery_judged"].tolist() == [False]
    track = fs.Track.from_administrations([fs.Administration.model_validate(r) for r in rows])
    assert track.change().message_id.endswith(".no_age")


def test_recovery_judged_is_masked_without_two_scores_and_true_for_a_shared_cutoff() -> None:
    summary = fs.from_records([as_row(GOOD)]).summarize()
    assert summary["recovery_judged"].tolist() == [None]
    srs = [
        {"scale": "SRS", "person": "p", "date": d, "total": t}
        for d, t in (("2025-01-10", 30.0), ("2025-02-10", 38.0))
    ]
    # an alliance scale has one cutoff for every band: no age is needed
    assert fs.from_records(srs).summarize()["recovery_judged"].tolist() == [True]
    judged = core_tracks.recovery_judged(
        [fs.get_scale("SRS")], np.zeros(1, np.int64), np.zeros(1, np.int8),
        np.array([-1]), np.array([-1]),
    )  # fmt: skip
    assert judged.tolist() == [True]


def test_a_family_validated_with_as_of_checks_every_administration() -> None:
    family = fs.example_family()
    data = family.model_dump()
    last = max(a.date for t in family.tracks for a in t.administrations)
    again = fs.Family.model_validate(data, context={"as_of": last})
    assert again == family
    with pytest.raises(ValidationError) as info:
        fs.Family.model_validate(data, context={"as_of": last - dt.timedelta(days=1)})
    found = [e["ctx"]["error"] for e in info.value.errors()]
    assert found and all(type(e) is fs.DateError for e in found)
    assert all(f"date {last.isoformat()} is after the day of the check" in str(e) for e in found)


def test_a_skipped_form_gets_the_same_reasons_whatever_the_other_rows_of_its_chunk() -> None:
    """A row's report does not depend on its neighbours (nor on where a long file is cut)."""
    head = "person,scale,date,item_1,item_2,item_3,item_4,skip\n"
    skipped = "p,ORS,2024-01-01,5,5,5,-5,true\n"
    scored = "q,ORS,2024-01-02,5,5,5,5,\n"
    alone = fs.parse_csv(head + skipped).errors.to_records()
    beside = fs.parse_csv(head + skipped + scored).errors.to_records()
    assert (
        alone
        == beside
        == [
            {
                "row": 0,
                "column": "skip",
                "error": "ScoreError",
                "reason": "a skipped form has no scores; clear the items and total, or skip",
            }
        ]
    )
