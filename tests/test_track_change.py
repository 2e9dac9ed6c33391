"""The scale-aware FIT API: Track.change() and Track.alliance_signals()."""

from __future__ import annotations

import datetime as dt

import pytest

import fit_scores as fs
from fit_scores import Administration, Track


def track(scale: str, *rows: tuple[float, int | None], rater: fs.Rater = "self") -> Track:
    start = dt.date(2025, 1, 6)
    return Track.from_administrations(
        Administration(
            scale=scale,
            person="p",
            rater=rater,
            rater_id=None if rater == "self" else "mum",
            date=start + dt.timedelta(weeks=4 * i),
            age=age,
            total=total,
        )
        for i, (total, age) in enumerate(rows)
    )


@pytest.mark.parametrize(
    ("scale", "age", "pre", "post", "category", "reliable", "crossed"),
    [
        # adults: cutoff 25, criterion 5 points (inclusive)
        ("ORS", 40, 19.5, 24.4, "unchanged", False, False),
        ("ORS", 40, 19.5, 24.5, "improved", True, False),
        ("ORS", 40, 19.9, 24.9, "improved", True, False),
        ("ORS", 40, 20.0, 25.0, "recovered", True, True),
        ("ORS", 40, 20.1, 25.0, "unchanged", False, True),
        ("ORS", 40, 20.0, 15.0, "deteriorated", True, False),
        ("ORS", 40, 25.0, 20.0, "harmed", True, False),
        ("ORS", 40, 25.0, 20.1, "unchanged", False, False),
        ("ORS", 40, 30.0, 25.0, "deteriorated", True, False),
        # adolescents: cutoff 28
        ("ORS", 15, 22.9, 27.9, "improved", True, False),
        ("ORS", 15, 23.0, 28.0, "recovered", True, True),
        ("ORS", 15, 27.9, 28.0, "unchanged", False, True),
        # children: CORS cutoff 32
        ("CORS", 9, 27.0, 32.0, "recovered", True, True),
        ("CORS", 9, 27.0, 31.9, "unchanged", False, False),
        ("CORS", 9, 32.0, 27.0, "harmed", True, False),
    ],
)
def test_categories_at_and_around_every_threshold(
    scale: str, age: int, pre: float, post: float, category: str, reliable: bool, crossed: bool
) -> None:
    r = track(scale, (pre, age), (post, age)).change()
    assert (r.category, r.reliable, r.crossed_cutoff) == (category, reliable, crossed)
    assert r.message_id == f"change.category.{category}"
    assert r.difference == pytest.approx(post - pre)
    assert r.threshold == 5.0 and r.criterion == "points" and r.rci is None


def test_each_time_uses_its_own_age_band() -> None:
    # 17 at intake (cutoff 28), 18 at the latest (cutoff 25)
    r = track("ORS", (21.0, 17), (26.0, 18)).change()
    assert (r.cutoff_pre, r.cutoff_post) == (28.0, 25.0)
    assert (r.clinical_pre, r.clinical_post, r.category) == (True, False, "recovered")
    small = track("ORS", (24.0, 17), (26.0, 18)).change(non_reliable_recovery=True)
    assert small.category == "non_reliably_recovered"
    assert small.label("nb") == "Over grensen, men endringen er liten"


def test_ages_from_the_person() -> None:
    person = fs.Person(id="p", role="child", birth_date="2007-03-01")
    t = track("ORS", (21.0, None), (26.0, None), (26.5, None))  # 2025-01-06, 02-03, 03-03
    r = t.change(0, 2, person=person)
    assert (r.cutoff_pre, r.cutoff_post, r.category) == (28.0, 25.0, "recovered")
    without = t.change()
    assert without.cutoff_pre is None and without.clinical_pre is None
    assert without.category == "improved"  # reliable change alone


def test_between_any_two_and_by_date() -> None:
    t = track("ORS", (18.0, 40), (21.0, 40), (26.0, 40))
    assert t.change(0, 1).category == "unchanged"
    assert t.change(1, 2).category == "recovered"
    assert t.change(dt.date(2025, 1, 6), dt.date(2025, 2, 3)).difference == pytest.approx(3.0)
    with pytest.raises(fs.TrackError, match="before end"):
        t.change(2, 1)
    with pytest.raises(fs.TrackError, match="no administrations on 2030-01-01"):
        t.change(dt.date(2030, 1, 1))


def test_caretaker_rating_without_published_cutoff_uses_change_only() -> None:
    r = track("CORS", (20.0, 8), (26.0, 8), rater="caretaker").change()
    assert r.cutoff_pre is None and r.crossed_cutoff is None
    assert r.category == "improved"
    assert any(s.citation == "No published value" for s in r.sources)


def test_computed_criterion_gives_an_rci() -> None:
    src = fs.Source(citation="Miller et al. 2003 (alpha)", verified=False)
    ors = fs.get_scale("ORS").model_copy(
        update={
            "key": "ORS-computed",
            "reliable_change": fs.ReliableChange(sd=6.8, reliability=0.93, source=src),
        }
    )
    reg = fs.ScaleRegistry([ors])
    admins = [
        Administration.model_validate(
            {"scale": "ORS-computed", "person": "p", "date": d, "age": 40, "total": v},
            context={"registry": reg},
        )
        for d, v in (("2025-01-01", 20.0), ("2025-02-01", 25.0))
    ]
    r = Track.from_administrations(admins).change()
    assert r.criterion == "computed"
    assert r.threshold == pytest.approx(4.987, abs=1e-3)
    assert r.rci == pytest.approx(5.0 / (6.8 * (2 * 0.07) ** 0.5))
    assert r.reliable and r.category == "recovered"


def test_alliance_scale_has_no_change_criterion() -> None:
    with pytest.raises(fs.MissingThresholdError, match="alliance_signals"):
        track("SRS", (30.0, 40), (38.0, 40)).change()


def test_change_result_is_json_serialisable() -> None:
    r = track("ORS", (19.5, 40), (25.0, 40)).change()
    assert type(r).model_validate_json(r.model_dump_json()) == r


# --- alliance signals ---------------------------------------------------------------


def srs(*rows: tuple[float, ...], meetings: int | None = None) -> Track:
    start = dt.date(2025, 1, 6)
    return Track.from_administrations(
        Administration(
            scale="SRS",
            person="p",
            date=start + dt.timedelta(weeks=2 * i),
            session=i + 1,
            items=items,
        )
        for i, items in enumerate(rows)
    )


def rules_fired(t: Track, **kw: object) -> list[tuple[str, int | None]]:
    return [(s.rule, s.index) for s in t.alliance_signals(**kw)]  # type: ignore[arg-type]


def test_below_cutoff_at_and_around_36() -> None:
    t = srs((9, 9, 9, 9), (9, 9, 9, 8.9), (9, 9, 9.1, 9))
    fired = rules_fired(t)
    assert ("below_cutoff", 0) not in fired  # exactly 36 is fine
    assert ("below_cutoff", 1) in fired  # 35.9
    assert ("below_cutoff", 2) not in fired


def test_drop_of_one_point_or_more() -> None:
    t = srs((10, 10, 9.5, 9.5), (10, 10, 9.5, 8.5), (10, 10, 9.5, 7.6), (10, 10, 9.5, 7.5))
    drops = [i for rule, i in rules_fired(t) if rule == "drop"]
    assert drops == [1]  # 39 -> 38 is a drop of exactly 1; 38 -> 37.1 is 0.9; 37.1 -> 37.0
    assert [
        i for rule, i in rules_fired(t, rules=fs.AllianceRules(drop=0.1)) if rule == "drop"
    ] == [1, 2, 3]


def test_item_below_and_ceiling_and_missing() -> None:
    t = srs((10, 10, 10, 10), (10, 10, 10, 10), (7.4, 10, 10, 10), (7.5, 10, 10, 10))
    fired = rules_fired(t)
    assert ("ceiling", 1) in fired and ("ceiling", 0) not in fired
    assert ("item_below", 2) in fired and ("item_below", 3) not in fired
    signals = t.alliance_signals()
    item = next(s for s in signals if s.rule == "item_below")
    assert item.value == 7.4 and item.threshold == 7.5 and "hunhu" in item.source.citation
    outcome_dates = [*t.dates, dt.date(2025, 3, 31)]
    missing = [s for s in t.alliance_signals(meetings=outcome_dates) if s.rule == "missing"]
    assert [s.date for s in missing] == [dt.date(2025, 3, 31)]
    assert missing[0].message_id == "alliance.missing"


def test_rules_are_overridable_and_name_their_source() -> None:
    t = srs((9.5, 9.5, 9.5, 9.5), (9.4, 9.4, 9.4, 9.4))
    assert rules_fired(t) == []  # 37.6 is above 36, and a drop of 0.4 is less than 1
    custom = fs.AllianceRules(
        cutoff=38.0, item_below=None, cutoff_source=fs.Source(citation="Local rule", verified=False)
    )
    fired = t.alliance_signals(rules=custom)
    assert [(s.rule, s.index) for s in fired] == [("below_cutoff", 1)]
    assert fired[0].source.citation == "Local rule" and fired[0].threshold == 38.0


def test_alliance_signals_only_for_alliance_scales() -> None:
    with pytest.raises(fs.TrackError, match="outcome scale"):
        track("ORS", (20.0, 40), (22.0, 40)).alliance_signals()


def test_example_family_alliance() -> None:
    family = fs.example_family()
    srs_track = next(t for t in family.tracks_of("mor") if t.scale.key == "SRS")
    fired = [(s.rule, str(s.date)) for s in srs_track.alliance_signals()]
    assert ("drop", "2024-04-02") in fired and ("below_cutoff", "2024-05-14") in fired
