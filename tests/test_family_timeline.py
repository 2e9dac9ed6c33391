"""One time line per family (issue 11, point 5): Family with mappings and plan, chart, words."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import subprocess
import sys
import threading
from typing import Any

import pytest
from matplotlib.figure import Figure
from pydantic import ValidationError

import fit_scores as fs
from fit_scores import Administration, Family, Person, Track, errors
from fit_scores._messages.timeline import MESSAGES
from fit_scores.charts import render
from fit_scores.charts.layout import text_boxes
from fit_scores.charts.timeline import (
    describe_family_timeline,
    plot_family_timeline,
    timeline_lines,
    track_mark,
)
from fit_scores.records import TIMELINE_KINDS, YearlyMapping
from fit_scores.simulate import simulate_programme
from tests._helpers import fit_error

AS_OF = dt.date(2026, 6, 30)
CTX = {"as_of": AS_OF}
HOSTILE = '$\\alpha$ Ø\'<b>&"mor"</b> $$'


def ors(person: str, rows: list[tuple[str, float]], **kw: Any) -> Track:
    return Track.from_administrations(
        Administration(scale="ORS", person=person, date=d, total=v, **kw) for d, v in rows
    )


def goal(gid: str, goal_for: str, person: str | None, level0: str, **kw: Any) -> dict[str, Any]:
    return {
        "id": gid,
        "family_id": kw.pop("family_id", "hansen"),
        "goal_for": goal_for,
        "person_id": person,
        "domain": kw.pop("domain", "work"),
        "set_on": kw.pop("set_on", "2024-01-15"),
        "baseline_level": -1,
        "level_descriptions": {0: level0, 1: "Mer enn forventet"},
        **kw,
    }


def family_data(mother: str = "mor") -> dict[str, Any]:
    """A family of three with sessions, two yearly mappings and a plan, as JSON-like data."""
    return {
        "id": "hansen",
        "members": [
            {"id": mother, "role": "adult", "birth_date": "1985-03-01"},
            {"id": "far", "role": "adult", "birth_date": "1983-07-12"},
            {"id": "gutt", "role": "child", "birth_date": "2014-05-20"},
        ],
        "tracks": [
            ors(mother, [("2024-01-15", 18.5), ("2024-03-01", 21.0), ("2025-01-20", 26.4)]),
            ors("far", [("2024-01-15", 24.0), ("2025-01-20", 27.5)]),
        ],
        "yearly": {
            "household_income": [
                {
                    "household_id": "hansen",
                    "year": 2023,
                    "income_after_tax": 390_000,
                    "adults": 2,
                    "children": 1,
                },
                {
                    "household_id": "hansen",
                    "year": 2024,
                    "income_after_tax": 520_000,
                    "adults": 2,
                    "children": 1,
                },
            ],
            "housing": [
                {"household_id": "hansen", "date": "2024-01-15", "persons": 3, "rooms": 2},
                {
                    "household_id": "hansen",
                    "date": "2025-01-20",
                    "persons": 3,
                    "rooms": 4,
                    "area_m2": 90.0,
                },
            ],
            "work": [
                {"person_id": mother, "date": "2024-01-15", "hours_reference_week": 0},
                {"person_id": mother, "date": "2025-01-20", "hours_reference_week": 20},
            ],
            "leisure": [
                {
                    "person_id": "gutt",
                    "date": "2025-01-20",
                    "activities": [{"kind": "fotball", "frequency": "weekly"}],
                },
            ],
            "instruments": [
                {"scale": "GSE", "person": mother, "date": "2024-01-15", "items": [2] * 10},
                {"scale": "GSE", "person": mother, "date": "2025-01-20", "items": [3] * 10},
                {"scale": "LIFESAT", "person": mother, "date": "2025-01-20", "total": 7},
                {"scale": "CANTRIL", "person": "gutt", "date": "2025-01-20", "total": 8},
            ],
        },
        "plan": {
            "family_id": "hansen",
            "goals": [
                goal("jobb", "person", mother, "Mor har deltidsjobb"),
                goal("fotball", "child", "gutt", "Gutten trener hver uke", domain="leisure"),
                goal("bolig", "family", None, "Større leilighet", domain="housing"),
            ],
            "ratings": [
                {"goal_id": "jobb", "date": "2025-01-20", "level": 0, "rater": "coordinator"},
                {"goal_id": "fotball", "date": "2025-01-20", "level": 1, "rater": "family"},
                {"goal_id": "bolig", "date": "2024-06-01", "level": -2, "rater": "coordinator"},
                {"goal_id": "bolig", "date": "2025-01-20", "level": 1, "rater": "coordinator"},
            ],
        },
    }


def make(data: dict[str, Any] | None = None, context: dict[str, Any] | None = None) -> Family:
    return Family.model_validate(family_data() if data is None else data, context=context or CTX)


def error_of(data: dict[str, Any], context: dict[str, Any] | None = None) -> fs.FitScoresError:
    with pytest.raises(ValidationError) as info:
        make(data, context)
    return fit_error(info.value)


# --- the Family model -------------------------------------------------------------


def test_family_holds_yearly_mappings_and_plan() -> None:
    family = make()
    assert family.household == "hansen"
    assert len(family.yearly) == 2 + 2 + 2 + 1 + 4
    assert family.plan is not None and family.plan.attainment().n_achieved == 2
    gse = family.yearly.instruments[1]
    assert (gse.scale.key, gse.total) == ("GSE", 30.0)
    assert family.yearly.housing[0].crowded() is True  # 3 persons, 2 rooms
    assert family.yearly.household_income[0].low_income(median=380_000) is True  # 216,667 < 228,000


def test_old_family_json_loads_unchanged() -> None:
    old = fs.example_family()
    data = json.loads(old.model_dump_json(exclude={"household_id", "yearly", "plan"}))
    assert set(data) == {"id", "members", "tracks"}
    again = Family.model_validate(data)
    assert again == old
    assert again.plan is None and len(again.yearly) == 0 and again.household_id is None


def test_json_round_trip_keeps_everything() -> None:
    family = make()
    text = family.model_dump_json()
    again = Family.model_validate_json(text, context=CTX)
    assert again == family
    assert again.model_dump_json() == text
    assert again.timeline() == family.timeline()


def test_plan_of_another_family_is_refused() -> None:
    data = family_data()
    data["plan"]["family_id"] = "olsen"
    for g in data["plan"]["goals"]:
        g["family_id"] = "olsen"
    err = error_of(data)
    assert isinstance(err, errors.GoalError)
    assert "plan of family 'olsen', not of 'hansen'" in str(err)


@pytest.mark.parametrize(
    ("where", "change", "message"),
    [
        ("work", {"person_id": "mormor"}, "yearly.work[0]"),
        ("leisure", {"person_id": "jente"}, "yearly.leisure[0]"),
        ("instruments", {"person": "mormor"}, "yearly.instruments[0]"),
    ],
)
def test_yearly_record_of_a_stranger_is_refused(
    where: str, change: dict[str, str], message: str
) -> None:
    data = family_data()
    data["yearly"][where][0].update(change)
    err = error_of(data)
    assert isinstance(err, fs.UnknownPersonError)
    assert message in str(err) and "is not a member of family 'hansen'" in str(err)


def test_household_record_of_another_household_is_refused() -> None:
    data = family_data()
    data["yearly"]["housing"][1]["household_id"] = "h-olsen"
    err = error_of(data)
    assert isinstance(err, fs.UnknownPersonError)
    assert "yearly.housing[1]" in str(err) and "'h-olsen'" in str(err)
    data["household_id"] = "h-olsen"  # a household id of its own: now the other record is wrong
    err = error_of(data)
    assert "yearly.household_income[0]" in str(err)


def test_goals_name_members_with_the_right_role() -> None:
    data = family_data()
    data["plan"]["goals"][1]["person_id"] = "far"  # a child's goal on an adult
    err = error_of(data)
    assert isinstance(err, errors.GoalError)
    assert "a goal for a child names 'far'" in str(err) and "role 'adult'" in str(err)
    data = family_data()
    data["plan"]["goals"][0]["person_id"] = "gutt"  # an adult's goal on a child
    err = error_of(data)
    assert isinstance(err, errors.GoalError) and "goal_for='child'" in str(err)
    data = family_data()
    data["plan"]["goals"][0]["person_id"] = "mormor"
    assert isinstance(error_of(data), fs.UnknownPersonError)


@pytest.mark.parametrize(
    "path",
    [
        ("yearly", "work", 1, "date"),
        ("yearly", "housing", 1, "date"),
        ("yearly", "instruments", 2, "date"),
        ("plan", "ratings", 0, "date"),
    ],
)
def test_a_date_after_the_day_of_the_check_is_refused(path: tuple[str, str, int, str]) -> None:
    data = family_data()
    top, kind, i, name = path
    data[top][kind][i][name] = "2026-07-01"
    err = error_of(data)
    assert isinstance(err, fs.DateError)
    assert "2026-07-01 is after the day of the check (2026-06-30)" in str(err)
    make(data, {"as_of": dt.date(2026, 7, 1)})  # the same family, checked a day later


def test_a_goal_set_after_the_day_of_the_check_is_refused() -> None:
    data = family_data()
    data["plan"]["goals"].append(goal("ny", "family", None, "Nytt mål", set_on="2026-07-01"))
    err = error_of(data)
    assert isinstance(err, fs.DateError) and "plan.goals[3] ('ny')" in str(err)


def test_a_year_after_the_day_of_the_check_is_refused() -> None:
    data = family_data()
    data["yearly"]["household_income"][1]["year"] = 2027
    err = error_of(data)
    assert isinstance(err, fs.DateError) and "yearly.household_income[1] (year 2027)" in str(err)


def test_a_record_before_birth_is_refused() -> None:
    data = family_data()
    data["yearly"]["leisure"][0]["date"] = "2013-01-01"
    err = error_of(data)
    assert isinstance(err, fs.AgeError)
    assert "the date 2013-01-01 is before the birth date 2014-05-20" in str(err)


def test_instruments_hold_yearly_instruments_only() -> None:
    with pytest.raises(ValidationError) as info:
        YearlyMapping(
            instruments=[{"scale": "ORS", "person": "mor", "date": "2025-01-10", "total": 20}]
        )
    err = fit_error(info.value)
    assert isinstance(err, fs.UnknownScaleError) and "session scores belong" in str(err)
    twice = {"scale": "LIFESAT", "person": "mor", "date": "2025-01-10", "total": 5}
    with pytest.raises(ValidationError) as info:
        YearlyMapping(instruments=[twice, twice])
    assert isinstance(fit_error(info.value), fs.TrackError)


def test_timeline_is_chronological_and_typed() -> None:
    family = make()
    events = family.timeline()
    kinds = {k: i for i, k in enumerate(TIMELINE_KINDS)}
    keys = [(e.date, kinds[e.kind]) for e in events]
    assert keys == sorted(keys)
    assert len(events) == 5 + len(family.yearly) + 3 + 4
    mine = family.timeline("mor")
    assert {e.person for e in mine} == {"mor", None}
    assert [e for e in family.timeline("mor", include_family=False) if e.person is None] == []
    income = [e for e in events if e.kind == "household_income"]
    assert [e.date for e in income] == [dt.date(2023, 7, 1), dt.date(2024, 7, 1)]
    sessions = [e for e in events if e.kind == "session"]
    assert all(e.track is not None and e.record in e.track.administrations for e in sessions)
    with pytest.raises(fs.UnknownPersonError):
        family.timeline("mormor")


def test_simulated_programme_becomes_families() -> None:
    sim = simulate_programme(4, seed=7)
    families = sim.families()
    assert [f.id for f in families] == [f.id for f in sim.scores.families()]
    goals = sum(len(f.plan.goals) for f in families if f.plan is not None)
    assert goals == sim.goals["goal"].size
    assert sum(len(f.plan.ratings) for f in families if f.plan) == sim.goal_ratings["goal"].size
    assert sum(len(f.yearly.housing) for f in families) == sim.housing["family"].size
    assert sum(len(f.yearly.work) for f in families) == sim.work["person"].size
    answered = sum(v is not None for v in sim.leisure["frequency"].tolist())
    assert sum(len(f.yearly.leisure) for f in families) == answered
    lifesat = [a for f in families for a in f.yearly.instruments if a.scale.key == "LIFESAT"]
    assert sorted(a.total_exact for a in lifesat) == sorted(
        float(v) for v in sim.life_satisfaction["life_sat_0_10"].tolist()
    )
    # the timeline of a simulated family carries all three kinds of measurement
    kinds = {e.kind for e in families[0].timeline()}
    assert {"session", "instrument", "housing", "goal_rating"} <= kinds


# --- the chart and its words ----------------------------------------------------------


def assert_clean_layout(fig: Figure) -> int:
    boxes = text_boxes(fig)
    limit = fig.bbox
    for text, box in boxes:
        assert box.x0 >= limit.x0 - 0.5 and box.x1 <= limit.x1 + 0.5, (text.get_text(), box)
        assert box.y0 >= limit.y0 - 0.5 and box.y1 <= limit.y1 + 0.5, (text.get_text(), box)
    for (a, ba), (b, bb) in itertools.combinations(boxes, 2):
        overlap = (
            ba.x0 + 0.5 < bb.x1 - 0.5
            and bb.x0 + 0.5 < ba.x1 - 0.5
            and ba.y0 + 0.5 < bb.y1 - 0.5
            and bb.y0 + 0.5 < ba.y1 - 0.5
        )
        assert not overlap, f"{a.get_text()!r} overlaps {b.get_text()!r}"
    return len(boxes)


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_chart_renders_deterministically_without_overlap(locale: str) -> None:
    family = make()
    medians = {2023: 380_000, 2024: 390_000}
    fig = plot_family_timeline(family, locale=locale, medians=medians)
    assert len(fig.axes) == 2  # the two adults have session scores; the boy and household not
    assert assert_clean_layout(fig) > 20
    svg = render(fig, "svg")
    again = render(plot_family_timeline(family, locale=locale, medians=medians), "svg")
    assert svg == again and svg.startswith(b"<?xml")
    texts = [t.get_text() for t in fig.texts]
    catalogue = MESSAGES[locale]
    assert catalogue["timeline.low_income"] in texts[-8] or any(
        catalogue["timeline.low_income"] in t for t in texts
    )
    assert any(catalogue["timeline.crowded"] in t for t in texts)
    assert any(catalogue["timeline.work"] in t for t in texts)


def test_simulated_family_over_five_years_has_no_overlap() -> None:
    sim = simulate_programme(3, seed=2)
    for family, locale in zip(sim.families(), ("nb", "nn", "en"), strict=True):
        assert_clean_layout(plot_family_timeline(family, locale=locale, medians=sim.medians))


def test_every_text_comes_from_the_catalogue() -> None:
    assert set(MESSAGES["nb"]) == set(MESSAGES["nn"]) == set(MESSAGES["en"])
    for key in MESSAGES["nb"]:
        fields = [
            {
                name
                for _, name, _, _ in __import__("string").Formatter().parse(MESSAGES[loc][key])
                if name
            }
            for loc in ("nb", "nn", "en")
        ]
        assert fields[0] == fields[1] == fields[2], key
    words = {loc: describe_family_timeline(make(), locale=loc) for loc in ("nb", "nn", "en")}
    assert len(set(words.values())) == 3
    assert MESSAGES["nn"]["timeline.household"] in words["nn"]


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_description_names_every_member_and_latest_goal_level(locale: str) -> None:
    text = describe_family_timeline(make(), locale=locale, medians={2023: 380_000})
    m = MESSAGES[locale]
    for member in ("mor", "far", "gutt"):
        assert (
            m["timeline.member"].format(
                id=member, role=m[f"timeline.role.{'child' if member == 'gutt' else 'adult'}"]
            )
            in text
        )
    assert m["timeline.level.0"] in text  # jobb: latest coordinator level 0
    assert m["timeline.level.1"] in text  # fotball (family's rating) and bolig (latest of two)
    assert m["timeline.level.-2"] not in text  # bolig's earlier rating is not the latest
    assert m["timeline.gse"].format(value="30") in text
    assert m["timeline.lifesat"].format(value="7") in text
    assert m["timeline.low_income"] in text  # 2023: 390,000 / 1.8 units < 60 % of 380,000
    assert "Mor har deltidsjobb" in text and "Større leilighet" in text


def test_as_of_shows_what_was_known_then() -> None:
    family = make()
    text = describe_family_timeline(family, locale="en", as_of=dt.date(2024, 12, 31))
    assert MESSAGES["en"]["timeline.level.-2"] in text  # bolig, rated -2 in June 2024
    assert "2025" not in text.replace("2024", "")
    fig = plot_family_timeline(family, locale="en", as_of=dt.date(2024, 12, 31))
    assert_clean_layout(fig)
    with pytest.raises(errors.ChartInputError, match="as_of"):
        timeline_lines(family, as_of="2024-12-31")  # type: ignore[arg-type]
    with pytest.raises(errors.ChartInputError, match="family"):
        timeline_lines("hansen")  # type: ignore[arg-type]


def test_hostile_names_are_drawn_literally() -> None:
    data = family_data(mother=HOSTILE)
    data["plan"]["goals"][0]["level_descriptions"] = {0: "50 $ i uka & <mer> " + "x" * 300}
    family = make(data)
    fig = plot_family_timeline(family, locale="nb")
    assert_clean_layout(fig)  # the 300-character word is cut to the width
    drawn = [t for t in fig.texts if HOSTILE in t.get_text()]
    assert drawn and all(not t.get_parse_math() and not t.get_usetex() for t in fig.texts)
    svg = render(fig, "svg")
    assert b"<b>" not in svg and b"alpha" not in svg
    assert HOSTILE in describe_family_timeline(family, locale="nb")


def test_many_tracks_get_distinct_marks() -> None:
    marks = [track_mark(k) for k in range(15)]
    assert len({m[3] for m in marks}) == 15
    assert len({m[:3] for m in marks[:10]}) == 10


def test_fig_argument() -> None:
    family = make()
    fig = Figure()
    assert plot_family_timeline(family, fig=fig) is fig
    with pytest.raises(errors.ChartInputError, match="already holds"):
        plot_family_timeline(family, fig=fig)


def test_rendering_from_several_threads_gives_the_same_bytes() -> None:
    family = make()
    expected = {
        loc: render(plot_family_timeline(family, locale=loc), "svg") for loc in ("nb", "en")
    }
    results: list[tuple[str, bytes]] = []
    failures: list[BaseException] = []

    def work(loc: str) -> None:
        try:
            for _ in range(2):
                results.append((loc, render(plot_family_timeline(family, locale=loc), "svg")))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(loc,)) for loc in ("nb", "en") * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert len(results) == 8
    assert all(svg == expected[loc] for loc, svg in results)


def test_no_pyplot_and_no_rcparams_change() -> None:
    code = (
        "import sys, matplotlib as mpl\n"
        "before = dict(dict.items(mpl.rcParams))\n"
        "import fit_scores as fs\n"
        "from fit_scores.charts import render\n"
        "from fit_scores.charts.timeline import plot_family_timeline\n"
        "render(plot_family_timeline(fs.example_family(), locale='nn'), 'svg')\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert dict(dict.items(mpl.rcParams)) == before\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_members_without_anything_are_still_named() -> None:
    family = Family(id="tom", members=[Person(id="alene", role="adult", age=40)])
    text = describe_family_timeline(family, locale="en")
    assert "alene (adult)" in text and MESSAGES["en"]["timeline.no_sessions"] in text
    assert MESSAGES["en"]["timeline.no_goals"] in text
    assert_clean_layout(plot_family_timeline(family, locale="en"))
