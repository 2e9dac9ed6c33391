"""A catalogue of malformed inputs, each with the specific error it must raise.

Every entry names the error class (a FitScoresError subclass, or the pydantic
error type for checks pydantic makes itself) and a fragment of the message
that names the field and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

import fit_scores as fs
from fit_scores import Administration, Family, Person, Scale, Track
from tests._helpers import fit_error

GOOD: dict[str, Any] = {
    "scale": "ORS",
    "person": "p1",
    "rater": "self",
    "date": "2025-01-10",
    "items": [5.0, 5.0, 5.0, 5.0],
}


def administration(**changes: Any) -> Callable[[], object]:
    data = {**GOOD, **changes}
    for key in [k for k, v in changes.items() if v is _DROP]:
        del data[key]
    return lambda: Administration.model_validate(data)


def administration_json(text: str) -> Callable[[], object]:
    return lambda: Administration.model_validate_json(text)


_DROP = object()

ITEM = {"key": "a", "label": {"nb": "A", "nn": "A", "en": "A"}}
SOURCE = {"citation": "x", "verified": False}
SCALE: dict[str, Any] = {
    "key": "X1",
    "name": "X",
    "kind": "outcome",
    "items": [ITEM, {**ITEM, "key": "b"}],
    "item_min": 0,
    "item_max": 10,
    "resolution": 1,
    "source": SOURCE,
}


def scale(**changes: Any) -> Callable[[], object]:
    return lambda: Scale.model_validate({**SCALE, **changes})


def track(*admins: dict[str, Any]) -> Callable[[], object]:
    return lambda: Track.from_administrations(
        [Administration.model_validate({**GOOD, **a}) for a in admins]
    )


def family(**changes: Any) -> Callable[[], object]:
    def build() -> object:
        member = Person(id="p1", role="adult", age=40)
        t = Track.from_administrations([Administration.model_validate(GOOD)])
        data: dict[str, Any] = {"id": "f", "members": [member], "tracks": [t], **changes}
        return Family.model_validate(data)

    return build


CATALOGUE: list[tuple[str, Callable[[], object], type[Exception] | str, str]] = [
    # --- scores ---------------------------------------------------------------
    (
        "item above range",
        administration(items=[5, 10.1, 5, 5]),
        fs.ItemRangeError,
        "item_2 (interpersonally) = 10.1 is outside the item range 0-10 of ORS",
    ),
    (
        "item below range",
        administration(items=[-0.1, 5, 5, 5]),
        fs.ItemRangeError,
        "item_1 (individually) = -0.1 is outside",
    ),
    (
        "item off resolution",
        administration(items=[5, 5, 8.15, 5]),
        fs.ItemResolutionError,
        "item_3 (socially) = 8.15 is not a multiple of the resolution 0.1",
    ),
    (
        "item far off grid by tiny amount",
        administration(items=[5, 5, 5, 8.100000001]),
        fs.ItemResolutionError,
        "item_4 (overall) = 8.100000001",
    ),
    ("too few items", administration(items=[5, 5, 5]), fs.ItemCountError, "ORS has 4 items"),
    ("age negative", administration(age=-1), fs.AgeError, "age = -1 is outside 0-130 years"),
    ("rater not a rater", administration(rater="teacher"), fs.FieldError, "rater = 'teacher'"),
    ("age too high", administration(age=131), fs.AgeError, "age = 131 is outside 0-130 years"),
    (
        "session zero",
        administration(session=0),
        fs.FieldError,
        "session = 0 is not a session number (1, 2, ...)",
    ),
    (
        "too many items",
        administration(items=[5, 5, 5, 5, 5]),
        fs.ItemCountError,
        "item_5 is one too many",
    ),
    (
        "missing item on ORS",
        administration(items=[5, None, 5, 5]),
        fs.MissingItemsError,
        "3 of 4 items answered; ORS needs at least 4",
    ),
    (
        "item as string",
        administration(items=["5", 5, 5, 5]),
        fs.ItemValueTypeError,
        "item_1 = '5': a string is not a score; give a number",
    ),
    (
        "item as boolean",
        administration(items=[True, 5, 5, 5]),
        fs.ItemValueTypeError,
        "item_1 = True: a boolean is not a score",
    ),
    (
        "item NaN",
        administration(items=[float("nan"), 5, 5, 5]),
        fs.ItemValueTypeError,
        "nan is not a finite number",
    ),
    (
        "item infinite",
        administration(items=[float("inf"), 5, 5, 5]),
        fs.ItemValueTypeError,
        "inf is not a finite number",
    ),
    (
        "item as list",
        administration(items=[[5], 5, 5, 5]),
        fs.ItemValueTypeError,
        "list is not a number",
    ),
    (
        "items as string",
        administration(items="5555"),
        fs.ItemValueTypeError,
        "items must be a sequence",
    ),
    (
        "unknown item key",
        administration(items={"individually": 5, "mood": 5}),
        fs.UnknownItemError,
        "unknown item key(s) ['mood'] for ORS",
    ),
    (
        "mapping missing an item",
        administration(items={"individually": 5, "socially": 5, "overall": 5}),
        fs.MissingItemsError,
        "3 of 4 items answered",
    ),
    (
        "total does not match items",
        administration(total=21),
        fs.TotalMismatchError,
        "total = 21.0 does not equal the total of the items (20.0)",
    ),
    (
        "total above range",
        administration(items=None, total=40.1),
        fs.TotalRangeError,
        "total = 40.1 is outside the total range 0-40",
    ),
    (
        "total below range",
        administration(items=None, total=-1),
        fs.TotalRangeError,
        "outside the total range",
    ),
    (
        "total off resolution",
        administration(items=None, total=25.05),
        fs.ItemResolutionError,
        "total = 25.05 is not a multiple of the total resolution 0.1",
    ),
    (
        "total as string",
        administration(items=None, total="25"),
        fs.ItemValueTypeError,
        "total = '25': a string is not a score; give a number",
    ),
    (
        "total as boolean (JSON)",
        administration_json('{"scale":"ORS","person":"p","date":"2025-01-01","total":true}'),
        fs.ItemValueTypeError,
        "total = True: a boolean is not a score",
    ),
    ("neither items nor total", administration(items=None), fs.ScoreError, "give items or total"),
    # --- record fields -----------------------------------------------------------
    (
        "unknown scale",
        administration(scale="OQ45"),
        fs.UnknownScaleError,
        "unknown scale 'OQ45'; valid keys: ORS, SRS",
    ),
    (
        "scale of wrong type",
        administration(scale=3),
        fs.FieldError,
        "scale = 3: give text",
    ),
    (
        "rater not allowed on SRS",
        administration(scale="SRS", rater="caretaker", rater_id="mum"),
        fs.RaterError,
        "rater 'caretaker' is not allowed for SRS",
    ),
    (
        "self-rating by someone else",
        administration(rater_id="mum"),
        fs.RaterError,
        "rater_id 'mum' differs from person 'p1'",
    ),
    (
        "age outside scale",
        administration(scale="CORS", age=13),
        fs.AgeError,
        "age 13: CORS is for ages 6-12",
    ),
    # a record reads a value as a table does (fit_scores._core.cells), with its message
    (
        "age as string",
        administration(age="15"),
        fs.AgeError,
        "age = '15': a string is not a whole number; give an integer",
    ),
    (
        "session as float",
        administration(session=2.0),
        fs.FieldError,
        "session = 2.0: a float is not a whole number; give an integer",
    ),
    (
        "date malformed",
        administration(date="10.01.2025"),
        fs.FieldError,
        "date = '10.01.2025' is not a date; write YYYY-MM-DD",
    ),
    (
        "date with time",
        administration(date="2025-01-10T13:45:00"),
        fs.FieldError,
        "date = '2025-01-10T13:45:00' is not a date; write YYYY-MM-DD",
    ),
    (
        "empty person id",
        administration(person=""),
        fs.FieldError,
        "person = '' is blank; give an id or leave it empty",
    ),
    (
        "person id with a zero-width space",
        administration(person="p\u200b1"),
        fs.FieldError,
        "person = 'p\\u200b1' contains U+200B ZERO WIDTH SPACE, a control or invisible character",
    ),
    ("missing person", administration(person=_DROP), "missing", "person"),
    ("extra field", administration(colour="red"), "extra_forbidden", "colour"),
    # --- tracks and families -----------------------------------------------------
    (
        "duplicate administration",
        track({}, {}),
        fs.DuplicateAdministrationError,
        "administrations[1]: the same person, scale, rater, rater id, episode, date "
        "(2025-01-10) and session (none) as row 0",
    ),
    (
        "mixed scales in a track",
        track({}, {"scale": "SRS", "date": "2025-02-01"}),
        fs.MixedTrackError,
        "administrations[1]: scale is 'SRS'",
    ),
    (
        "sessions going down",
        track({"session": 4}, {"session": 3, "date": "2025-02-01"}),
        fs.SessionOrderError,
        "session 3 on 2025-02-01 is out of order: it comes after session 4 on 2025-01-10",
    ),
    ("empty track", lambda: Track(administrations=()), "too_short", "administrations"),
    (
        "track of unknown person",
        family(members=[Person(id="q", role="adult", age=40)]),
        fs.UnknownPersonError,
        "tracks[0]: person 'p1' is not a member",
    ),
    (
        "duplicate members",
        family(members=[Person(id="p1", role="adult", age=40)] * 2),
        fs.DuplicateMemberError,
        "duplicate member ids ['p1']",
    ),
    (
        "person with two ages",
        lambda: Person(id="p", role="adult", age=30, birth_date="1990-01-01"),
        fs.AgeError,
        "give exactly one of birth_date and age",
    ),
    (
        "person with no age",
        lambda: Person(id="p", role="adult"),
        fs.AgeError,
        "give exactly one of birth_date and age",
    ),
    (
        "age_on without age",
        lambda: Person(id="p", role="adult", birth_date="1990-01-01", age_on="2020-01-01"),
        fs.AgeError,
        "age_on needs age",
    ),
    # --- scale definitions ---------------------------------------------------------
    (
        "duplicate item keys",
        scale(items=[ITEM, ITEM]),
        fs.ScaleDefinitionError,
        "items: duplicate item keys ['a']",
    ),
    (
        "bad resolution",
        scale(resolution=0.3),
        fs.ScaleDefinitionError,
        "resolution 0.3: 1/resolution must be a whole number",
    ),
    (
        "item range reversed",
        scale(item_min=5, item_max=1),
        fs.ScaleDefinitionError,
        "item_min (5.0) must be below item_max (1.0)",
    ),
    (
        "item range off grid",
        scale(item_min=0.5),
        fs.ScaleDefinitionError,
        "must be whole multiples of the resolution 1.0",
    ),
    (
        "min_answered too large",
        scale(min_answered=3),
        fs.ScaleDefinitionError,
        "min_answered (3) exceeds the number of items (2)",
    ),
    (
        "prorated mean",
        scale(scoring="mean", prorate=True),
        fs.ScaleDefinitionError,
        "prorate applies to sum scoring only",
    ),
    (
        "cutoff outside total range",
        scale(
            min_age=18,
            cutoffs=[{"age_band": "adult", "rater": "self", "value": 21, "source": SOURCE}],
        ),
        fs.ScaleDefinitionError,
        "value 21.0 is outside the total range 0.0-20.0",
    ),
    (
        "cutoff for disallowed rater",
        scale(cutoffs=[{"age_band": "adult", "rater": "caretaker", "value": 5, "source": SOURCE}]),
        fs.ScaleDefinitionError,
        "rater 'caretaker' is not among the scale's raters",
    ),
    (
        "cutoff for band outside ages",
        scale(
            min_age=18,
            cutoffs=[{"age_band": "child", "rater": "self", "value": 5, "source": SOURCE}],
        ),
        fs.ScaleDefinitionError,
        "the age band lies outside the scale's ages 18+",
    ),
    (
        "two cutoffs for one band",
        scale(cutoffs=[{"age_band": "adult", "rater": "self", "value": 5, "source": SOURCE}] * 2),
        fs.ScaleDefinitionError,
        "a second cutoff for the same band and rater",
    ),
    (
        "criterion both kinds",
        scale(reliable_change={"points": 5, "sd": 6.8, "reliability": 0.9, "source": SOURCE}),
        fs.ScaleDefinitionError,
        "give either points or sd and reliability",
    ),
    (
        "criterion half computed",
        scale(reliable_change={"sd": 6.8, "source": SOURCE}),
        fs.ScaleDefinitionError,
        "needs both sd and reliability",
    ),
    (
        "reliability above one",
        scale(reliable_change={"sd": 6.8, "reliability": 1.2, "source": SOURCE}),
        "less_than",
        "reliability",
    ),
    (
        "source without citation",
        scale(source={"citation": " ", "verified": False}),
        "string_pattern_mismatch",
        "citation",
    ),
    ("scale key with space", scale(key="MY SCALE"), "string_pattern_mismatch", "key"),
    (
        "max_age below min_age",
        scale(min_age=18, max_age=12),
        fs.ScaleDefinitionError,
        "max_age (12) is below min_age (18)",
    ),
]


def test_catalogue_is_large_enough() -> None:
    assert len(CATALOGUE) >= 30
    assert len({name for name, *_ in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize(
    ("name", "build", "expected", "fragment"), CATALOGUE, ids=[c[0] for c in CATALOGUE]
)
def test_malformed_input_raises_its_specific_error(
    name: str, build: Callable[[], object], expected: type[Exception] | str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as info:
        build()
    if isinstance(expected, str):
        errors = info.value.errors()
        assert len(errors) == 1, errors
        assert errors[0]["type"] == expected, errors
        assert fragment in ".".join(map(str, errors[0]["loc"])) + " " + errors[0]["msg"]
    else:
        err = fit_error(info.value)
        assert type(err) is expected, (type(err), expected)
        assert fragment in str(err), str(err)


def test_lookup_errors_outside_models() -> None:
    with pytest.raises(fs.UnknownScaleError, match="unknown scale 'nope'"):
        fs.get_scale("nope")
    with pytest.raises(fs.UnknownItemError, match="ORS has no item 'mood'"):
        fs.get_scale("ORS").label("mood")
    with pytest.raises(fs.ScaleRegistrationError, match="expects a Scale"):
        fs.ScaleRegistry().register("ORS")  # type: ignore[arg-type]
    with pytest.raises(fs.AgeError, match="whole number of years"):
        fs.age_band_of(-3)


def test_every_error_is_a_fit_scores_error() -> None:
    for name in fs.errors.__all__:
        assert issubclass(getattr(fs.errors, name), fs.FitScoresError)
