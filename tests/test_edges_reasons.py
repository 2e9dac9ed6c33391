"""Reasons in a locale (issue 13, point 11): every reason of the rules layer has nb/nn/en text.

A battery of rows breaks every rule of the rules layer; every reason it logs
must have a message key, its English template must give back the reason
exactly, and the Norwegian texts must differ from the English. The record path
raises the same reasons, so the message of an exception is localised the same
way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

import fit_scores as fs
from fit_scores._core.errorlog import ErrorLog
from fit_scores._messages import errors as catalogue
from fit_scores.records.reasons import reason_key
from fit_scores.table.build import build_table
from tests._helpers import fit_error

BASE: dict[str, Any] = {"scale": "ORS", "person": "p1", "date": "2025-01-10", "total": 20.0}


def items(*values: float | None) -> dict[str, Any]:
    return {f"item_{j}": v for j, v in enumerate(values, start=1)}


ROWS: list[dict[str, Any]] = [
    {**BASE, "date": None},  # required
    {**BASE, "person": None},
    {**BASE, "date": "2052-01-10"},  # after the day of the check
    {**BASE, "session": 0},
    {**BASE, "age": 140},
    {**BASE, "birth_date": "2026-01-01"},  # before the birth date
    {**BASE, "birth_date": "1800-01-01"},  # too old
    {**BASE, "age": 30, "birth_date": "2000-01-01"},  # disagrees
    {**BASE, "total": None},  # no score
    {**BASE, "skip": True},  # a skipped form with a score
    {**BASE, "scale": "SRS", "rater": "caretaker"},  # rater not allowed
    {**BASE, "age": 8},  # outside the scale's ages
    {**{k: v for k, v in BASE.items() if k != "total"}, **items(5, 5, 5, 5, 5)},  # too many
    {**{k: v for k, v in BASE.items() if k != "total"}, **items(5, None, 5, 5)},  # missing
    {**{k: v for k, v in BASE.items() if k != "total"}, **items(5, 10.5, 5, 5)},  # range
    {**{k: v for k, v in BASE.items() if k != "total"}, **items(5, 5.05, 5, 5)},  # resolution
    {**BASE, **items(5, 5, 5, 5), "total": 21.0},  # mismatch
    {**BASE, "total": 41.0},  # total range
    {**BASE, "total": 20.05},  # total resolution
    {**BASE, "rater": "teacher"},  # unknown rater
    {**BASE, "rater_id": "p2"},  # a self-rating by another id
    {**BASE, "person": "p\u200b1"},  # invisible character
    # a track: a duplicate, and sessions out of order (between, after, before)
    {**BASE, "person": "t", "date": "2025-01-10", "session": 1},
    {**BASE, "person": "t", "date": "2025-01-10", "session": 1},
    {**BASE, "person": "t", "date": "2025-02-10", "session": 30},
    {**BASE, "person": "t", "date": "2025-03-10", "session": 3},
    {**BASE, "person": "t", "date": "2025-04-10", "session": 4},
    {**BASE, "person": "u", "date": "2025-01-10", "session": 1},
    {**BASE, "person": "u", "date": "2025-02-10", "session": 2},
    {**BASE, "person": "u", "date": "2025-03-10", "session": 1},
    {**BASE, "person": "v", "date": "2025-01-10", "session": 9},
    {**BASE, "person": "v", "date": "2025-02-10", "session": 2},
    {**BASE, "person": "v", "date": "2025-03-10", "session": 3},
]


def battery() -> fs.ScoreTable:
    names = list(dict.fromkeys(k for r in ROWS for k in r))
    columns = {name: np.array([r.get(name) for r in ROWS], dtype=object) for name in names}
    return build_table(columns, len(ROWS), text=False, registry=None, log=ErrorLog())


def test_every_reason_of_the_battery_has_a_key_and_the_battery_uses_every_key() -> None:
    table = battery()
    reasons = table.errors.reason.tolist()
    keys = {reason_key(r) for r in reasons}
    assert None not in keys, [r for r in reasons if reason_key(r) is None]
    # every template but the ones this table does not produce: ids that are blank or too
    # long are refused by the io layer's reader before the rule of the ids runs; the
    # absent item columns are the record's (this battery has all four)
    record_only = {
        "reason.id_blank",
        "reason.id_too_long",
        "reason.item_not_given",
        "reason.items_not_given",
    }
    assert set(catalogue.TEMPLATES) - keys == record_only


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_every_reason_reads_differently_in_norwegian_and_back_in_english(locale: str) -> None:
    errors = battery().errors
    english = errors.reason.tolist()
    local = errors.localised(locale).reason.tolist()
    assert errors.localised("en").reason.tolist() == english
    for en, text in zip(english, local, strict=True):
        assert text != en, en
    # the values are kept: every number of the English reason is in the translation
    for en, text in zip(english, local, strict=True):
        for token in en.replace("(", " ").replace(")", " ").replace(";", " ").split():
            if token.strip(",.:").replace(".", "").replace("-", "").isdigit():
                assert token.strip(",.:") in text, (en, text)


def test_an_exception_of_a_record_is_localised_the_same_way() -> None:
    with pytest.raises(ValidationError) as info:
        fs.Administration.model_validate({**BASE, "items": [5, 10.5, 5, 5], "total": None})
    message = str(fit_error(info.value))
    assert message.startswith("item_2 (") and message.endswith(
        ") = 10.5 is outside the item range 0-10 of ORS"
    )
    assert fs.localise_reason(message, "nb") == message.replace(
        "is outside the item range", "er utenfor skårområdet"
    ).replace(" of ORS", " for ORS")
    assert fs.localise_reason(message, "en") == message
    with pytest.raises(ValidationError) as info:
        fs.Administration.model_validate({**BASE, "person": "p" * 201})
    assert fs.localise_reason(str(fit_error(info.value)), "nb") == (
        "person er 201 tegn lang; en id har høyst 200"
    )


def test_record_only_templates_and_prefixes() -> None:
    with pytest.raises(ValidationError) as info:
        fs.Administration.model_validate({**BASE, "person": "   "})
    assert fs.localise_reason(str(fit_error(info.value)), "nn") == (
        "person = '   ' er blank; oppgi ein id eller la feltet stå tomt"
    )
    with pytest.raises(ValidationError) as info:
        fs.Administration.model_validate({**BASE, "items": [5, 5, 5], "total": None})
    assert reason_key(str(fit_error(info.value))) == "reason.item_not_given"
    days = [dt.date(2025, 1, 6) + dt.timedelta(days=7 * i) for i in range(2)]
    adms = [
        fs.Administration.model_validate({**BASE, "date": d.isoformat(), "session": s})
        for d, s in zip(days, (4, 3), strict=True)
    ]
    with pytest.raises(ValidationError) as info:
        fs.Track.from_administrations(adms)
    text = fs.localise_reason(str(fit_error(info.value)), "nb")
    assert text.startswith("administrations[1]: økt 3 den 2025-01-13 er i feil rekkefølge")


def test_reasons_from_elsewhere_stay_english_and_bad_locales_are_refused() -> None:
    assert fs.localise_reason("not a reason of the rules", "nb") == "not a reason of the rules"
    with pytest.raises(ValueError, match="unsupported locale"):
        fs.localise_reason("date is required", "de")


def test_templates_have_the_same_fields_in_every_locale() -> None:
    import string

    for key, texts in catalogue.TEMPLATES.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in texts]
        assert fields[0] == fields[1] == fields[2], key


def test_a_family_reason_is_localised_after_where_it_is_and_whom() -> None:
    """A family's reason starts with the track, the record and the member: kept as they are."""
    family = {
        "id": "f1",
        "members": [{"id": "p", "role": "adult", "birth_date": "2000-01-01"}],
        "tracks": [
            {
                "administrations": [
                    {"scale": "ORS", "person": "p", "date": "1999-01-10", "total": 20}
                ]
            }
        ],
    }
    with pytest.raises(ValidationError) as info:
        fs.Family.model_validate(family)
    message = str(fit_error(info.value))
    assert message.endswith("person 'p': the date 1999-01-10 is before the birth date 2000-01-01")
    assert fs.localise_reason(message, "nb") == message.replace(
        "the date 1999-01-10 is before the birth date", "datoen 1999-01-10 er før fødselsdatoen"
    )
    yearly = (
        "yearly.housing[0] (2027-01-01): date 2027-01-01 is after the day of the check "
        "(2026-11-30); check the year, or give as_of"
    )
    assert fs.localise_reason(yearly, "nn").startswith("yearly.housing[0] (2027-01-01): datoen ")


RECORD_REASONS: list[tuple[str, Any]] = [
    ("record.items_type", lambda: fs.Administration(**{**BASE, "items": "1234"})),
    ("record.unknown_items", lambda: fs.Administration(**{**BASE, "items": {"foo": 1}})),
    (
        "record.mixed_track",
        lambda: fs.Track.from_administrations(
            [
                fs.Administration(**BASE),
                fs.Administration(**{**BASE, "person": "p2", "date": "2025-02-10"}),
            ]
        ),
    ),
    (
        "record.member_age",
        lambda: fs.Family.model_validate(
            {
                "id": "f1",
                "members": [{"id": "p1", "role": "adult", "birth_date": "2000-01-01"}],
                "tracks": [{"administrations": [{**BASE, "age": 30}]}],
            }
        ),
    ),
]


@pytest.mark.parametrize(("key", "make"), RECORD_REASONS, ids=[k for k, _ in RECORD_REASONS])
def test_the_reasons_of_the_record_models_are_localised(key: str, make: Any) -> None:
    with pytest.raises(ValidationError) as info:
        make()
    message = str(fit_error(info.value))
    rest = (
        message.split(": ", 1)[1]
        if message.startswith(("administrations[", "tracks["))
        else message
    )
    assert reason_key(rest) == key
    for locale in ("nb", "nn"):
        text = fs.localise_reason(message, locale)
        assert text != message
        assert fs.localise_reason(message, "en") == message
    assert set(catalogue.RECORDS) == {k for k, _ in RECORD_REASONS}
