from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
import pytest
from pydantic import ValidationError

import fit_scores as fs
from fit_scores import Administration, Family, Person, Track
from tests._helpers import fit_error


def adm(**kw: object) -> Administration:
    data: dict[str, object] = {
        "scale": "ORS",
        "person": "p1",
        "date": "2025-01-10",
        "items": (5, 5, 5, 5),
    }
    if "total" in kw and "items" not in kw:
        data["items"] = None
    data.update(kw)
    return Administration.model_validate(data)


def test_items_total_exactly_25_and_sit_at_the_cutoff(ors_items: tuple[float, ...]) -> None:
    assert sum(ors_items) < 25.0  # naive float arithmetic would call this clinical
    a = adm(items=ors_items, age=40)
    assert a.total == 25.0
    assert a.total_ticks == 250
    assert a.item_ticks == (7, 81, 75, 87)
    assert a.clinical is False
    assert a.cutoff is not None and a.cutoff.value == 25.0


def test_total_only_administration() -> None:
    a = adm(total=24.9, age=40)
    assert a.items is None and a.item_ticks is None
    assert a.total_ticks == 249 and a.clinical is True


def test_total_consistent_with_items_is_accepted(ors_items: tuple[float, ...]) -> None:
    assert adm(items=ors_items, total=25).total == 25.0
    assert adm(items=ors_items, total=25.0).total_ticks == 250


def test_items_as_mapping_in_any_order() -> None:
    a = adm(items={"overall": 8.7, "socially": 7.5, "individually": 0.7, "interpersonally": 8.1})
    assert a.items == (0.7, 8.1, 7.5, 8.7)


def test_numpy_scalars_are_numbers_and_float32_reads_as_printed() -> None:
    a = adm(items=(np.float32(0.7), np.float64(8.1), np.int64(7), 8))
    assert a.total_ticks == 7 + 81 + 70 + 80


def test_age_decides_band_and_cutoff_per_administration() -> None:
    assert adm(scale="CORS", age=12).cutoff.value == 32.0  # type: ignore[union-attr]
    assert adm(scale="ORS", age=13).cutoff.value == 28.0  # type: ignore[union-attr]
    assert adm(scale="ORS", age=17).age_band == "adolescent"
    assert adm(scale="ORS", age=18).cutoff.value == 25.0  # type: ignore[union-attr]
    assert adm(scale="ORS").cutoff is None and adm(scale="ORS").clinical is None


def test_adolescent_and_adult_decisions_at_and_around_their_cutoffs() -> None:
    for age, cut in ((15, 280), (30, 250)):
        for ticks, clinical in ((cut - 1, True), (cut, False), (cut + 1, False)):
            a = adm(total=ticks / 10, age=age)
            assert a.clinical is clinical, (age, ticks)


def test_srs_alliance_cutoff_at_36() -> None:
    assert adm(scale="SRS", items=(9, 9, 9, 8.9), age=30).clinical is True
    assert adm(scale="SRS", items=(9, 9, 9, 9), age=30).clinical is False


def test_caretaker_rating_with_rater_id_and_no_published_cutoff() -> None:
    a = adm(scale="CORS", rater="caretaker", rater_id="mum", age=8)
    assert a.cutoff is not None and a.cutoff.value is None
    assert a.clinical is None


def test_with_age_returns_a_validated_copy() -> None:
    a = adm()
    b = a.with_age(15)
    assert b.age == 15 and a.age is None and b.cutoff.value == 28.0  # type: ignore[union-attr]


def test_repr_shows_scale_key_only() -> None:
    assert repr(adm()).startswith("Administration(scale='ORS', person='p1'")


def test_registry_from_validation_context() -> None:
    reg = fs.ScaleRegistry([fs.get_scale("SRS")])
    with pytest.raises(ValidationError, match="unknown scale 'ORS'"):
        Administration.model_validate(
            {"scale": "ORS", "person": "p", "date": "2025-01-01", "total": 20},
            context={"registry": reg},
        )


# --- Track ------------------------------------------------------------------


def test_track_orders_by_date_then_session() -> None:
    a = adm(date="2025-02-01", session=3)
    b = adm(date="2025-01-10", session=1)
    c = adm(date="2025-01-10", session=2)
    track = Track.from_administrations([a, b, c])
    assert [x.session for x in track.administrations] == [1, 2, 3]
    assert track.intake == b and track.latest == a
    assert len(track) == 3
    assert track.key == ("p1", "ORS", "self", None, None)
    assert track.dates == (dt.date(2025, 1, 10), dt.date(2025, 1, 10), dt.date(2025, 2, 1))


@pytest.mark.parametrize(
    ("other", "field"),
    [
        ({"scale": "SRS"}, "scale"),
        ({"person": "p2"}, "person"),
        ({"rater": "collateral", "rater_id": "teacher"}, "rater"),
        ({"episode": "e2"}, "episode"),
    ],
)
def test_track_rejects_mixed_administrations(other: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        Track.from_administrations([adm(), adm(date="2025-02-01", **other)])
    err = fit_error(info.value)
    assert isinstance(err, fs.MixedTrackError)
    assert f"administrations[1]: {field} is" in str(err)


def test_track_rejects_duplicates_and_decreasing_sessions() -> None:
    with pytest.raises(ValidationError) as info:
        Track.from_administrations([adm(), adm()])
    assert isinstance(fit_error(info.value), fs.DuplicateAdministrationError)
    assert "2025-01-10" in str(info.value)
    with pytest.raises(ValidationError) as info:
        Track.from_administrations([adm(session=2), adm(date="2025-03-01", session=1)])
    assert isinstance(fit_error(info.value), fs.SessionOrderError)


def test_track_json_round_trip_keeps_order() -> None:
    track = Track.from_administrations([adm(date="2025-02-01"), adm(date="2025-01-10")])
    again = Track.model_validate_json(track.model_dump_json())
    assert again == track


# --- Person and Family -----------------------------------------------------------


def test_person_ages() -> None:
    kid = Person(id="c", role="child", birth_date="2012-02-29")
    assert kid.age_at(dt.date(2025, 2, 28)) == 12
    assert kid.age_at(dt.date(2025, 3, 1)) == 13
    adult = Person(id="a", role="adult", age=40)
    assert adult.age_at(dt.date(2030, 1, 1)) == 40
    dated = Person(id="b", role="adult", age=40, age_on="2024-03-01")
    assert dated.age_at(dt.date(2026, 3, 1)) == 42
    assert dated.age_at(dt.date(2024, 2, 29)) == 39
    with pytest.raises(fs.AgeError, match="before the birth date"):
        kid.age_at(dt.date(2011, 1, 1))


def test_child_moves_from_cors_to_ors_at_13_and_to_adult_cutoff_at_18() -> None:
    child = Person(id="c", role="child", birth_date="2005-06-01")
    cors = Track.from_administrations(
        [
            adm(scale="CORS", person="c", date="2016-05-01", total=30.0),
            adm(scale="CORS", person="c", date="2018-05-31", total=31.9),
        ]
    )
    ors = Track.from_administrations(
        [
            adm(scale="ORS", person="c", date="2018-06-01", total=27.9),
            adm(scale="ORS", person="c", date="2023-05-31", total=27.0),
            adm(scale="ORS", person="c", date="2023-06-01", total=27.0),
        ]
    )
    family = Family(id="f", members=(child,), tracks=(cors, ors))
    cuts = [family.cutoff(a).value for t in family.tracks for a in t.administrations]
    assert cuts == [32.0, 32.0, 28.0, 28.0, 25.0]
    clinical = [family.clinical(a) for t in family.tracks for a in t.administrations]
    assert clinical == [True, True, True, True, False]
    # the same administrations carrying their own ages give the same cutoffs
    own = [a.with_age(family.age_at(a)).cutoff for t in family.tracks for a in t.administrations]
    assert [c.value for c in own if c is not None] == cuts


def test_family_rejects_a_scale_used_outside_its_ages() -> None:
    child = Person(id="c", role="child", birth_date="2010-06-01")
    track = Track.from_administrations([adm(scale="CORS", person="c", date="2023-06-01")])
    with pytest.raises(ValidationError) as info:
        Family(id="f", members=(child,), tracks=(track,))
    err = fit_error(info.value)
    assert isinstance(err, fs.AgeError)
    assert "tracks[0].administrations[0] (CORS, 2023-06-01)" in str(err)
    assert "CORS is for ages 6-12" in str(err)


def test_family_rejects_age_that_disagrees_with_member() -> None:
    child = Person(id="c", role="child", birth_date="2010-06-01")
    track = Track.from_administrations([adm(scale="CORS", person="c", date="2021-06-01", age=12)])
    with pytest.raises(ValidationError) as info:
        Family(id="f", members=(child,), tracks=(track,))
    assert "age 12 disagrees with member 'c', who is 11" in str(info.value)


def test_family_rejects_unknown_person_duplicate_members_and_tracks() -> None:
    p = Person(id="p1", role="adult", age=40)
    track = Track.from_administrations([adm()])
    with pytest.raises(ValidationError) as info:
        Family(id="f", members=(Person(id="x", role="adult", age=30),), tracks=(track,))
    assert isinstance(fit_error(info.value), fs.UnknownPersonError)
    with pytest.raises(ValidationError) as info:
        Family(id="f", members=(p, p))
    assert isinstance(fit_error(info.value), fs.DuplicateMemberError)
    with pytest.raises(ValidationError) as info:
        Family(id="f", members=(p,), tracks=(track, track))
    assert isinstance(fit_error(info.value), fs.TrackError)


def test_example_family() -> None:
    family = fs.example_family()
    assert [m.role for m in family.members] == ["adult", "adult", "child", "child"]
    assert Family.model_validate_json(family.model_dump_json()) == family
    mor = family.tracks_of("mor")
    assert {t.scale.key for t in mor} == {"ORS", "SRS"}
    assert mor[0].intake.total_exact == Fraction(274, 10)
    assert family.clinical(mor[0].intake) is False  # a parent above the cutoff at intake
    with pytest.raises(fs.UnknownPersonError):
        family.tracks_of("nobody")
