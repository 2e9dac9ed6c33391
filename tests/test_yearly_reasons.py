"""Reasons of the yearly mapping in a locale: a refused yearly row reads in nb and nn too.

A battery of yearly tables (every kind, a bad value in every column, and the
rules of goals and instruments) produces every reason of the yearly layer;
every one must have a message key, the battery must use every key of
:data:`~fit_scores._messages.errors.YEARLY`, and the Norwegian texts must keep
the values.
"""

from __future__ import annotations

from typing import Any

import pytest

from fit_scores._messages import errors as catalogue
from fit_scores.cohort import yearly_table
from fit_scores.errors import FitScoresError
from fit_scores.goals import GOAL_DOMAINS
from fit_scores.records.reasons import localise_reason, reason_key

DAY = "2025-01-10"
BAD_NUMBERS: list[Any] = [None, "1", True, float("inf"), 1.5, -1, 10**6]


def _rows(base: dict[str, Any], variants: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {k: [v.get(k, base[k]) for v in variants] for k in base}


def _battery() -> list[str]:
    reasons: list[str] = []

    def run(kind: str, base: dict[str, Any], variants: list[dict[str, Any]]) -> None:
        try:
            table = yearly_table(kind, _rows(base, variants))
        except FitScoresError as exc:  # (a rule of the whole table)
            reasons.append(str(exc))
        else:
            reasons.extend(table.errors.reason.tolist())

    def every_number(kind: str, base: dict[str, Any], columns: list[str]) -> None:
        for column in columns:
            for value in BAD_NUMBERS:
                run(kind, base, [{column: value}])

    income = {"family": "f1", "year": 2024, "programme_year": 0, "date": DAY}
    income |= {"income_after_tax": 300000, "adults": 2, "children": 1}
    every_number("household_income", income, ["year", "income_after_tax", "adults", "children"])
    housing = {"family": "f1", "programme_year": 0, "date": DAY}
    housing |= {"persons": 4, "rooms": 3.0, "area_m2": 80.0}
    every_number("housing", housing, ["persons", "rooms", "area_m2"])
    work = {"person": "p", "family": "f1", "programme_year": 0, "date": DAY}
    work |= {"hours_reference_week": 10.0, "temporarily_absent": False, "activities": 0}
    every_number("work_activity", work, ["hours_reference_week", "activities"])
    run("work_activity", work, [{"temporarily_absent": "x"}])
    gse = {"person": "p", "family": "f1", "programme_year": 0, "date": DAY}
    gse |= {f"gse10_{i:02d}": 2.0 for i in range(1, 11)}
    run("gse", gse, [{"gse10_01": 2.5}, {"gse10_01": 5}])
    leisure = {"person": "p", "family": "f1", "programme_year": 0, "date": DAY}
    run("leisure", leisure | {"frequency": "weekly"}, [{"frequency": "x"}])
    goal: dict[str, Any] = {"goal": "g1", "family": "f1", "goal_for": "family", "person": None}
    goal |= {"domain": GOAL_DOMAINS[0], "scale": "standard_5", "set_on": DAY}
    goal |= {"baseline_level": -1.0}
    run("goals", goal, [{}, {}])  # the same goal id twice
    run("goals", goal, [{"goal_for": "child"}, {"goal": "g2", "person": "p"}])
    run("goals", goal, [{"goal": "g3", "baseline_level": 2.0}])
    rating = {"goal": "g1", "family": "f1", "programme_year": 0, "date": DAY}
    run("goal_ratings", rating | {"level": 0.0, "rater": "family"}, [{"level": 0.5}])
    return reasons


@pytest.fixture(scope="module")
def battery() -> list[str]:
    return _battery()


def test_every_yearly_reason_has_a_key_and_the_battery_uses_every_key(battery: list[str]) -> None:
    keys = {reason_key(r) for r in battery}
    assert None not in keys, sorted({r for r in battery if reason_key(r) is None})
    assert {k for k in keys if k and k.startswith("yearly.")} == set(catalogue.YEARLY)


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_every_yearly_reason_reads_differently_in_norwegian_keeping_the_values(
    battery: list[str], locale: str
) -> None:
    for reason in sorted(set(battery)):
        text = localise_reason(reason, locale)
        assert text != reason
        found = catalogue.reason_key(reason)
        assert found is not None
        for value in found[1].values():
            assert value in text, (reason, text)


def test_yearly_templates_have_the_same_fields_in_every_locale() -> None:
    import string

    assert not set(catalogue.YEARLY) & (
        set(catalogue.TEMPLATES) | set(catalogue.READING) | set(catalogue.RECORDS)
    )
    for key, texts in catalogue.YEARLY.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in texts]
        assert fields[0] == fields[1] == fields[2], key
