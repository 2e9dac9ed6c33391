"""Identity at the edges (issue 13, point 4): ids in normal form, invisible characters refused.

"Åse" typed as one character (NFC) or as "A" and a combining ring (NFD) is one
person on both paths; an id with a control or format character (NUL, a line
break, a zero-width space) is refused with the same class and message on both
paths; a person or a track combined with a track must be that track's person.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import fit_scores as fs
from tests._helpers import fit_error

NFC = "\u00c5se"
NFD = "A\u030ase"


def record(**change: Any) -> dict[str, Any]:
    return {"scale": "ORS", "person": "p1", "date": "2025-01-10", "total": 20.0, **change}


def test_nfc_and_nfd_are_one_person_on_both_paths() -> None:
    assert NFC != NFD
    a = fs.Administration.model_validate(record(person=NFC))
    b = fs.Administration.model_validate(record(person=NFD, date="2025-02-10"))
    assert a.person == b.person == NFC
    assert len(fs.Track.from_administrations([a, b])) == 2
    table = fs.from_records([record(person=NFC), record(person=NFD, date="2025-02-10")])
    assert table.n_valid == 2 and table.n_tracks == 1
    assert table.person.tolist() == [NFC, NFC]
    summary = table.summarize()
    assert summary["n"].tolist() == [2]


def test_rater_ids_and_episodes_are_normalised_too() -> None:
    rows = [
        record(rater="caretaker", rater_id=NFC, episode="e\u0301"),
        record(rater="caretaker", rater_id=NFD, episode="\u00e9", date="2025-02-10"),
    ]
    table = fs.from_records(rows)
    assert table.n_tracks == 1
    adm = fs.Administration.model_validate(rows[1])
    assert (adm.rater_id, adm.episode) == (NFC, "\u00e9")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("p\u200b1", "U+200B ZERO WIDTH SPACE"),
        ("p\x001", "U+0000,"),
        ("p\t1", "U+0009,"),
        ("\ufeffp1", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("p\u200e1", "U+200E LEFT-TO-RIGHT MARK"),
    ],
)
@pytest.mark.parametrize("field", ["person", "rater_id", "episode"])
def test_invisible_characters_are_refused_on_both_paths(field: str, value: str, code: str) -> None:
    change = {field: value} | ({"rater": "caretaker"} if field == "rater_id" else {})
    rec = record(**change)
    with pytest.raises(ValidationError) as info:
        fs.Administration.model_validate(rec)
    raised = fit_error(info.value)
    assert type(raised) is fs.FieldError
    assert str(raised) == (
        f"{field} = {value!r} contains {code.rstrip(',')}, a control or invisible character; "
        "remove it"
    )
    table = fs.from_records([rec])
    [entry] = table.errors.to_records()
    assert (entry["column"], entry["error"], entry["reason"]) == (field, "FieldError", str(raised))


def test_only_the_row_with_the_bad_id_is_rejected() -> None:
    table = fs.from_records([record(person="p\u200b1"), record(person="p1")])
    assert table.errors.rows.tolist() == [0]
    assert table.person.tolist() == ["p1"]


def test_family_and_member_ids_follow_the_same_rule() -> None:
    with pytest.raises(ValidationError) as info:
        fs.Person(id="c\u200b", role="child", age=10)
    assert type(fit_error(info.value)) is fs.FieldError
    member = fs.Person(id=NFD, role="adult", age=40)
    assert member.id == NFC
    track = fs.Track.from_administrations([fs.Administration.model_validate(record(person=NFC))])
    family = fs.Family(id=" f1 ", members=(member,), tracks=(track,))
    assert family.id == "f1"
    assert family.tracks_of(NFC) == (track,)


def test_surrounding_white_space_is_stripped_on_the_record_path() -> None:
    adm = fs.Administration.model_validate(record(person="  p1 "))
    assert adm.person == "p1"
    with pytest.raises(ValidationError) as info:
        fs.Administration.model_validate(record(person="   "))
    assert str(fit_error(info.value)) == "person = '   ' is blank; give an id or leave it empty"


def test_white_space_and_line_breaks_follow_the_rule_of_the_record_on_the_batch_path() -> None:
    table = fs.from_records([record(person="  p1 "), record(person="p1", date="2025-02-10")])
    assert table.n_valid == 2 and table.n_tracks == 1
    broken = fs.from_records([record(person="p\n1")])
    with pytest.raises(ValidationError) as info:
        fs.Administration.model_validate(record(person="p\n1"))
    assert broken.errors.reason.tolist() == [str(fit_error(info.value))]


# --- a person and tracks combined must belong together --------------------------------------


def two_people() -> tuple[fs.Family, fs.Track, fs.Track]:
    family = fs.example_family()
    return family, family.tracks_of("mor")[0], family.tracks_of("far")[0]


def test_change_with_another_person_is_refused() -> None:
    family, mor, _ = two_people()
    assert mor.change(person=family.member("mor")) == mor.change(person=family.member("mor"))
    with pytest.raises(fs.UnknownPersonError, match="'far' is not the person of this track"):
        mor.change(person=family.member("far"))
    with pytest.raises(fs.UnknownPersonError):
        mor.cutoff_at(0, family.member("far"))
    with pytest.raises(fs.UnknownPersonError):
        mor.age_at(0, family.member("far"))


def test_an_alliance_track_of_another_person_is_refused() -> None:
    family, mor, far = two_people()
    alliance = family.alliance_track(mor)
    assert alliance is not None
    mor.check_same_person(alliance, "alliance track")
    with pytest.raises(fs.MixedTrackError, match="alliance track is of person 'far', not 'mor'"):
        mor.check_same_person(far, "alliance track")
    with pytest.raises(fs.MixedTrackError, match="must be a Track"):
        mor.check_same_person("far", "alliance track")  # type: ignore[arg-type]


identifier_text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="ab \x00\t\u200b\u030aÅ", max_size=70),
    st.sampled_from(["p1", " p1", "p1 ", "", "x" * 64, "x" * 65, "x" * 200, "x" * 201]),
)


@given(st.lists(identifier_text, min_size=1, max_size=12))
@settings(max_examples=200, deadline=None)
def test_the_vectorised_identifier_check_is_the_check_of_one_identifier(
    labels: list[str],
) -> None:
    """check_identifiers (a whole column of labels) gives what identifier() gives for each."""
    from fit_scores._core.text import check_identifiers, identifier

    normal, reasons = check_identifiers(np.array(labels, dtype=object), "person")
    for label, got_normal, got_reason in zip(labels, normal, reasons, strict=True):
        want_normal, want_reason = identifier(label, "person")
        assert got_reason == want_reason
        if not want_reason:
            assert got_normal == want_normal


@pytest.mark.parametrize("person", ["a\x00", "\x00", "a\x00\x00"])
def test_a_trailing_nul_in_an_id_is_refused_on_every_path(person: str) -> None:
    """Fixed-width text drops trailing NULs: the batch path must not read 'a\\x00' as 'a'."""
    record = {"person": person, "scale": "ORS", "date": "2025-01-10", "total": 10.0}
    with pytest.raises(ValidationError, match="U\\+0000"):
        fs.Administration(**record)
    csv = f"person,scale,date,total\n{person},ORS,2025-01-10,10\n"
    tables = [
        fs.from_records([record]),
        fs.from_columns({k: np.array([v], dtype=object) for k, v in record.items()}),
        fs.parse_csv(csv, engine="python"),
        fs.parse_csv(csv, engine="numpy"),
    ]
    for table in tables:
        assert table.n_valid == 0
        assert "U+0000" in table.errors.to_records()[0]["reason"]


def test_a_trailing_nul_in_a_grouping_label_is_kept() -> None:
    table = fs.from_records(
        [{"person": "p", "scale": "ORS", "date": "2025-01-10", "total": 10.0, "team": "A\x00"}],
        group_columns=["team"],
    )
    assert table.groups["team"].tolist() == ["A\x00"]
