"""The label placer on hard cases: every Text artist's window extent is walked.

No two visible texts may overlap and none may leave the figure: four members
with close scores near the cutoff, twelve and more sessions over five years,
scale switches at 13 and 18, long names; in nb, nn and en, for both audiences.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from matplotlib.figure import Figure

import fit_scores as fs
from fit_scores.charts import plot_family, plot_track
from fit_scores.charts.layout import text_boxes

LONG = "Maria-Magdalena Kristoffersen-Johannessen"


def track(person: str, scale: str, rows: list[tuple[str, float]], **kw: object) -> fs.Track:
    return fs.Track.from_administrations(
        fs.Administration(scale=scale, person=person, date=d, total=v, **kw)  # type: ignore[arg-type,unused-ignore]
        for d, v in rows
    )


def five_years() -> list[str]:
    start = dt.date(2021, 1, 15)
    return [(start + dt.timedelta(days=140 * i)).isoformat() for i in range(14)]


def crowded_family() -> fs.Family:
    """Four members whose scores sit close together around the cutoff, long names, 5 years."""
    days = five_years()
    people = [
        fs.Person(id=LONG, role="adult", birth_date="1980-05-01"),
        fs.Person(id="far", role="adult", birth_date="1978-02-01"),
        fs.Person(id="Ola-Kristian Nordmann-Haugen", role="child", birth_date="2009-06-01"),
        fs.Person(id="lillesøster", role="child", birth_date="2007-09-01"),
    ]
    wiggle = [24.6, 25.2, 24.9, 25.4, 24.8, 25.1, 25.0, 24.7, 25.3, 25.0, 24.9, 25.2, 25.1, 25.0]
    tracks = [
        track(LONG, "ORS", list(zip(days, wiggle, strict=True))),
        track("far", "ORS", list(zip(days, [v + 0.4 for v in wiggle], strict=True))),
        track(
            LONG,
            "SRS",
            list(zip(days, [38.0, 35.5, 36.5, 35.0, 37.0, 39.0, 35.9] * 2, strict=True)),
        ),
    ]
    # the boy: CORS until 13 (June 2022), then ORS (cutoff 28, then 25 from 18)
    boy = people[2]
    cors = [(d, 31.5 + (i % 3) * 0.3) for i, d in enumerate(days) if d < "2022-06-01"]
    ors = [(d, 27.5 + (i % 3) * 0.4) for i, d in enumerate(days) if d >= "2022-06-01"]
    tracks.append(track(boy.id, "CORS", cors))
    tracks.append(track(boy.id, "ORS", ors))
    # the girl is 13 in 2021 and 18 from September 2025: ORS with cutoff 28, then 25
    girl = people[3]
    tracks.append(
        track(
            girl.id,
            "ORS",
            [(d, 27.0 + (i % 4) * 0.5) for i, d in enumerate(days) if d >= "2021-04-01"],
        )
    )
    tracks.append(
        track(
            girl.id,
            "ORS",
            [(d, 26.0 + (i % 2)) for i, d in enumerate(days) if d >= "2021-04-01"],
            rater="caretaker",
            rater_id=LONG,
        )
    )
    return fs.Family(id="familien med et langt navn", members=tuple(people), tracks=tuple(tracks))


def assert_clean_layout(fig: Figure) -> int:
    boxes = text_boxes(fig)
    limit = fig.bbox
    for text, box in boxes:
        assert box.x0 >= limit.x0 - 0.5 and box.x1 <= limit.x1 + 0.5, (text.get_text(), box)
        assert box.y0 >= limit.y0 - 0.5 and box.y1 <= limit.y1 + 0.5, (text.get_text(), box)
    for (a, ba), (b, bb) in itertools.combinations(boxes, 2):
        shrunk = [ba.x0 + 0.5, ba.y0 + 0.5, ba.x1 - 0.5, ba.y1 - 0.5]
        other = [bb.x0 + 0.5, bb.y0 + 0.5, bb.x1 - 0.5, bb.y1 - 0.5]
        overlap = (
            shrunk[0] < other[2]
            and other[0] < shrunk[2]
            and shrunk[1] < other[3]
            and other[1] < shrunk[3]
        )
        assert not overlap, f"{a.get_text()!r} overlaps {b.get_text()!r}"
    return len(boxes)


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
@pytest.mark.parametrize("audience", ["family", "coordinator"])
def test_family_chart_with_crowded_members_has_no_overlap(locale: str, audience: str) -> None:
    family = crowded_family()
    fig = plot_family(family, locale=locale, audience=audience)  # type: ignore[arg-type]
    assert assert_clean_layout(fig) > 30
    # what must be said is said: every verdict and every switch
    words = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_visible()]
    verdicts = [w for w in words if w[:1] in "\u25b2\u25c6\u25bc\u25cb"]
    assert len(verdicts) == 4
    switch = fs.i18n.message("chart.switch", locale, age=13, scale="ORS")
    assert switch in words


@pytest.mark.parametrize("audience", ["family", "coordinator"])
@pytest.mark.parametrize("locale", ["nb", "en"])
def test_track_chart_over_five_years_with_alliance_has_no_overlap(
    audience: str, locale: str
) -> None:
    family = crowded_family()
    person = family.members[0]
    ors, srs = family.tracks_of(person.id)
    fig = plot_track(ors, alliance=srs, person=person, locale=locale, audience=audience)  # type: ignore[arg-type]
    assert isinstance(fig, Figure)
    assert assert_clean_layout(fig) > 15
    notes = [t.get_text() for t in fig.axes[1].texts if t.get_visible()]
    # the current flag (the last session is below the cutoff) carries its note
    talk = fs.i18n.message("alliance.note", locale, what="").split("\n")[-1]
    assert any(talk in n for n in notes), notes


def test_track_chart_across_the_adult_cutoff_at_18_has_no_overlap() -> None:
    family = crowded_family()
    girl = family.member("lillesøster")
    own, other = family.tracks_of(girl.id)
    for t in (own, other):
        ax = plot_track(t, person=girl, audience="coordinator")
        assert not isinstance(ax, Figure)
        cuts = sorted(
            {
                float(np.asarray(line.get_ydata(), dtype=float)[0])
                for line in ax.lines
                if line.get_label() == "_cutoff"
            }
        )
        if t.rater == "self":
            assert cuts == [25.0, 28.0]
        assert_clean_layout(ax.figure)  # type: ignore[arg-type,unused-ignore]


def test_the_example_charts_have_no_overlap() -> None:
    family = fs.example_family()
    for loc in ("nb", "nn", "en"):
        assert_clean_layout(plot_family(family, locale=loc))
        for member in family.members:
            for t in family.tracks_of(member.id):
                if t.scale.kind != "outcome":
                    continue
                chart = plot_track(t, alliance=family.alliance_track(t), person=member, locale=loc)
                assert_clean_layout(chart if isinstance(chart, Figure) else chart.figure)  # type: ignore[arg-type]


def test_placement_is_deterministic() -> None:
    from fit_scores.charts import render

    family = crowded_family()
    assert render(plot_family(family)) == render(plot_family(family))


@pytest.mark.parametrize("scale", ["ORS", "CORS", "YCORS"])
def test_tick_labels_equal_their_values(scale: str) -> None:
    sc = fs.get_scale(scale)
    step = (sc.total_max - sc.total_min) / 4
    rows = [(f"2025-0{i + 1}-10", sc.total_min + step * i) for i in range(4)]
    t = track("p", scale, rows, age=max(sc.min_age, 5) if scale != "ORS" else 30)
    ax = plot_track(t, audience="coordinator")
    assert not isinstance(ax, Figure)
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    fig.draw_without_rendering()
    ticks = [(k.get_loc(), k.label1.get_text()) for k in ax.yaxis.get_major_ticks()]
    shown = [(loc, text) for loc, text in ticks if text and sc.total_min <= loc <= sc.total_max]
    assert len(shown) >= 3
    for loc, text in shown:
        assert float(text.replace(",", ".")) == loc  # "32" never stands for 32.5
        assert abs(loc / sc.resolution - round(loc / sc.resolution)) < 1e-9  # on the scale's grid
