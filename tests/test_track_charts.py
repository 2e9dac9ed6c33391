"""Coordinator charts: plot_track, plot_family and describe (artist-level and golden images)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

import fit_scores as fs
from fit_scores.charts import describe, describe_family, plot_family, plot_track


def teen() -> tuple[fs.Person, fs.Track]:
    """A young person who turns 18 during the track (cutoff 28, then 25)."""
    person = fs.Person(id="ung", role="child", birth_date="2007-03-01")
    days = ["2024-10-01", "2024-12-01", "2025-02-01", "2025-04-01", "2025-06-01"]
    values = [21.0, 23.5, 24.0, 26.0, 27.5]
    track = fs.Track.from_administrations(
        fs.Administration(scale="ORS", person="ung", date=d, session=i + 1, total=v)
        for i, (d, v) in enumerate(zip(days, values, strict=True))
    )
    return person, track


def texts(ax: Axes) -> list[str]:
    return [t.get_text().strip() for t in ax.texts if t.get_visible()]


def fig_texts(fig: Figure | SubFigure) -> list[str]:
    return [t.get_text() for t in fig.texts] + [t for ax in fig.axes for t in texts(ax)]


def cutoff_segments(ax: Axes) -> list[tuple[float, ...]]:
    return [
        tuple(np.asarray(line.get_ydata(), dtype=float).tolist())
        for line in ax.lines
        if line.get_label() == "_cutoff"
    ]


def test_track_chart_draws_scores_on_the_fixed_axis_with_age_band_cutoffs() -> None:
    person, track = teen()
    ax = plot_track(track, person=person)
    assert isinstance(ax, Axes)
    assert ax.get_ylim() == (0.0, 40.0)
    (score,) = [line for line in ax.lines if line.get_label() == "_score"]
    assert np.asarray(score.get_ydata()).tolist() == [21.0, 23.5, 24.0, 26.0, 27.5]
    # 17 years old until 2025-03-01 (cutoff 28), then 18 (cutoff 25)
    assert [seg[0] for seg in cutoff_segments(ax)] == [28.0, 28.0, 28.0, 25.0, 25.0]
    labels = texts(ax)
    assert "Streken 25:\nover = som folk flest" in labels  # the line says what it means
    heading = [t.get_text() for t in ax.figure.texts]
    assert heading[0] == "Hvordan det går: ung, egen vurdering"
    rc = [c for c in ax.collections if c.get_label() == "_rc_band"]
    assert len(rc) == 1  # the band of no reliable change around the intake
    top = float(np.asarray(rc[0].get_paths()[0].vertices)[:, 1].max())
    assert abs(top - 26.0) < 1e-9  # intake 21 + criterion 5
    # named on the chart and told apart by its hatch and outline, not by colour
    assert "Ingen tydelig endring\n(rundt første skår)" in labels
    assert rc[0].get_hatch() == "///"
    assert ax.get_ylabel() == "Høyere er bedre \u2191"


@pytest.mark.parametrize(
    ("locale", "audience", "cutoff", "title", "verdict"),
    [
        (
            "nb",
            "family",
            "Streken 25:\nover = som folk flest",
            "Hvordan det går: ung, egen vurdering",
            "\u25b2 Bedre",
        ),
        (
            "nn",
            "family",
            "Streken 25:\nover = som folk flest",
            "Korleis det går: ung, eiga vurdering",
            "\u25b2 Betre",
        ),
        (
            "en",
            "family",
            "Line 25:\nabove = like most people",
            "How things are going: ung, self-rated",
            "\u25b2 Better",
        ),
        ("nb", "coordinator", "Grense 25,0", "ORS: ung, egen vurdering", "\u25b2 Bedre"),
        ("nn", "coordinator", "Grense 25,0", "ORS: ung, eiga vurdering", "\u25b2 Betre"),
        ("en", "coordinator", "Cutoff 25.0", "ORS: ung, self-rated", "\u25b2 Better"),
    ],
)
def test_track_chart_language_and_audience(
    locale: str, audience: str, cutoff: str, title: str, verdict: str
) -> None:
    person, track = teen()
    ax = plot_track(track, person=person, locale=locale, audience=audience)  # type: ignore[arg-type]
    assert isinstance(ax, Axes)
    assert cutoff in texts(ax)
    heading = [t.get_text() for t in ax.figure.texts]
    assert heading[:2] == [title, verdict]  # one verdict, a word with an icon
    assert ax.get_xlabel() == fs.i18n.message("chart.x.date", locale)
    # the family view never shows a bare acronym; the coordinator view names the scale
    words = " ".join(fig_texts(ax.figure)) + ax.get_ylabel()
    assert ("ORS" in words) == (audience == "coordinator")


def test_family_and_coordinator_views_and_session_axis() -> None:
    person, track = teen()
    simple = plot_track(track, person=person)
    detail = plot_track(track, person=person, audience="coordinator", x="session")
    assert isinstance(simple, Axes) and isinstance(detail, Axes)
    assert len(texts(simple)) < len(texts(detail))  # every score labelled for the coordinator
    (score,) = [line for line in detail.lines if line.get_label() == "_score"]
    assert np.asarray(score.get_xdata()).tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert "Ingen tydelig endring\n(rundt første skår)" in texts(detail)
    # bigger type for the family
    size = {
        a: max(float(t.get_fontsize()) for t in ax.texts)
        for a, ax in (("f", simple), ("c", detail))
    }
    assert size["f"] > size["c"]


def test_alliance_panel_flags_signals_and_returns_a_figure() -> None:
    family = fs.example_family()
    ors, srs = family.tracks_of("mor")
    fig = plot_track(ors, alliance=srs, person=family.member("mor"))
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    lower = fig.axes[1]
    labels = [str(line.get_label()) for line in lower.lines]
    flagged = [label for label in labels if label.startswith("_signal")]
    signals = srs.alliance_signals(meetings=ors)
    # one mark per flagged session; every flag of mor is older than a later good session
    assert len(flagged) == len({s.date for s in signals}) == 2
    assert set(flagged) == {"_signal_resolved"}
    assert "Grense 36,0" in texts(lower)
    notes = [t for t in texts(lower) if "løst" in t]
    assert notes == ["løst", "løst"]
    # tick labels equal their values: 32.5 is never shown as "32"
    fig.draw_without_rendering()
    for tick in lower.yaxis.get_major_ticks():
        text = tick.label1.get_text()
        if text:
            assert float(text.replace(",", ".")) == tick.get_loc()
    with pytest.raises(ValueError, match="omit ax"):
        plot_track(ors, alliance=srs, ax=fig.axes[0])


def test_expected_band_and_status_from_a_model() -> None:
    from fit_scores.simulate import simulate_cohort

    sim = simulate_cohort(1500, seed=3)
    model = fs.fit_expected_response(
        fs.TrajectoryData.from_arrays(sim.person, sim.session, sim.total)
    )
    person, track = teen()
    ax = plot_track(track, person=person, model=model, locale="en")
    assert isinstance(ax, Axes)
    expected = [line for line in ax.lines if line.get_label() == "_expected"]
    assert len(expected) == 1
    # drawn on the model's own axis: every session from 1 to the last, whatever the dates
    assert model.axis == "session"
    assert np.asarray(expected[0].get_xdata()).tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert ax.get_xlabel() == "Meeting no."
    status = model.status(track, person=person).status
    words = [t.get_text() for t in ax.figure.texts]
    assert f"Against expected: {fs.i18n.message(f'status.{status}', 'en')}" in words
    # the status sits outside the data area
    (note,) = [t for t in ax.figure.texts if t.get_text().startswith("Against")]
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    assert not note.get_window_extent(renderer).overlaps(ax.get_window_extent(renderer))
    assert "Expected" in texts(ax) and "Expected range" in texts(ax)
    with pytest.raises(fs.errors.ChartInputError, match="model's time axis"):
        plot_track(track, person=person, model=model, x="date")


def test_given_axes_is_used_and_returned() -> None:
    person, track = teen()
    ax = Figure().add_subplot()
    assert plot_track(track, person=person, ax=ax) is ax


def test_bad_arguments() -> None:
    family = fs.example_family()
    ors, srs = family.tracks_of("mor")
    with pytest.raises(ValueError, match="alliance scale"):
        plot_track(srs)
    with pytest.raises(ValueError, match="unsupported locale"):
        plot_track(ors, locale="sv")
    with pytest.raises(ValueError, match="x must be"):
        plot_track(ors, x="week")  # type: ignore[arg-type]
    with pytest.raises(fs.errors.ChartInputError, match="audience must be"):
        plot_track(ors, audience="fancy")  # type: ignore[arg-type]
    with pytest.raises(fs.errors.MixedTrackError, match="alliance track is of"):
        plot_track(ors, alliance=family.tracks_of("far")[0])
    with pytest.raises(fs.errors.UnknownPersonError):
        plot_track(ors, person=family.member("far"))


def test_family_chart_adults_first_and_gaps_visible() -> None:
    family = fs.example_family()
    fig = plot_family(family, locale="en", today=dt.date(2026, 7, 1))
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["mor (adult)", "far (adult)", "jente (child)", "gutt (child)"]
    # one verdict per person in words with an icon, and the latest alliance state
    heads = [
        [t.get_text().replace("\n", " ") for t in ax.texts if getattr(t, "xy", None) == (1.0, 1.0)]
        for ax in fig.axes
    ]
    assert heads == [
        ["Alliance: good again", "\u25c6 No clear change"],
        ["\u25b2 Better"],
        ["\u25b2 Better"],
        ["\u25c6 No clear change"],
    ]
    # the boy's last score is from April 2026: within 6 months; move "today" on a year
    later = plot_family(family, locale="en", today=dt.date(2027, 6, 1))
    notes = [t.get_text() for ax in later.axes for t in ax.texts]
    assert notes.count("No score in the last 6 months") == 4
    girl = fig.axes[2]
    dashed = [line for line in girl.lines if line.get_label() == "_CORS_caretaker"]
    assert len(dashed) == 1 and dashed[0].get_linestyle() == "--"
    assert "mor on jente 31.2" in [t.get_text() for t in girl.texts]
    # the boy stays on one panel across CORS -> ORS at 13, the switch said in words,
    # each period with its own cutoff
    boy = fig.axes[3]
    assert "from age 13: ORS" in texts(boy)
    assert sorted({seg[0] for seg in cutoff_segments(boy)}) == [28.0, 32.0]
    # everyone shares one date axis
    assert len({ax.get_xlim() for ax in fig.axes}) == 1


def test_member_without_scores_is_shown() -> None:
    family = fs.example_family()
    baby = fs.Person(id="baby", role="child", birth_date="2025-01-01")
    bigger = fs.Family(id="f", members=(*family.members, baby), tracks=family.tracks)
    fig = plot_family(bigger)
    assert "Ingen skår ennå" in [t.get_text() for t in fig.axes[-1].texts]
    assert "baby (barn): ingen skår ennå." in describe_family(bigger)


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_description_tells_the_same_story_as_the_chart(locale: str) -> None:
    family = fs.example_family()
    ors, srs = family.tracks_of("mor")
    mor = family.member("mor")
    text = describe(ors, alliance=srs, person=mor, locale=locale)
    num = fs.i18n.format_number
    assert num(27.4, locale) in text and num(31.5, locale) in text
    assert ors.change(person=mor).label(locale) in text
    assert num(25.0, locale) in text
    for signal in srs.alliance_signals(meetings=ors):
        assert fs.i18n.message(signal.message_id, locale) in text
    assert describe_family(family, locale=locale).count("\n") > 10


def test_charts_use_no_pyplot_and_leave_rcparams_alone() -> None:
    code = (
        "import sys, matplotlib as mpl\n"
        "before = dict(dict.items(mpl.rcParams))  # raw: reading 'backend' would load pyplot\n"
        "import fit_scores as fs\n"
        "from fit_scores.charts import plot_family, plot_track\n"
        "fam = fs.example_family(); ors, srs = fam.tracks_of('mor')\n"
        "plot_track(ors, alliance=srs, person=fam.member('mor')).canvas.draw()\n"
        "plot_family(fam).canvas.draw()\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert dict(dict.items(mpl.rcParams)) == before\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.mpl_image_compare(tolerance=2, style="default")
def test_golden_track_chart() -> Figure:
    family = fs.example_family()
    ors, srs = family.tracks_of("mor")
    fig = plot_track(ors, alliance=srs, person=family.member("mor"), audience="coordinator")
    assert isinstance(fig, Figure)
    return fig


@pytest.mark.mpl_image_compare(tolerance=2, style="default")
def test_golden_family_chart() -> Figure:
    return plot_family(fs.example_family(), locale="nn")


def test_a_rater_has_one_encoding_on_every_chart() -> None:
    family = fs.example_family()
    girl = family.member("jente")
    own, by_mother = family.tracks_of("jente")
    alone = plot_track(by_mother, person=girl)
    assert isinstance(alone, Axes)
    (line,) = [x for x in alone.lines if x.get_label() == "_score_caretaker"]
    panel = plot_family(family).axes[2]
    (same,) = [x for x in panel.lines if x.get_label() == "_CORS_caretaker"]
    for a, b in ((line, same),):
        assert (a.get_color(), a.get_linestyle(), a.get_marker()) == (
            b.get_color(),
            b.get_linestyle(),
            b.get_marker(),
        )
    mine = plot_track(own, person=girl)
    assert isinstance(mine, Axes)
    (self_line,) = [x for x in mine.lines if x.get_label() == "_score"]
    assert (self_line.get_linestyle(), self_line.get_marker()) == ("-", "o")
    assert self_line.get_color() != line.get_color()


def test_current_alliance_flags_carry_a_worded_note() -> None:
    person = fs.Person(id="p", role="adult", birth_date="1980-01-01")
    days = ["2025-01-10", "2025-02-10", "2025-03-10"]
    ors = fs.Track.from_administrations(
        fs.Administration(scale="ORS", person="p", date=d, total=v)
        for d, v in zip(days, [20.0, 22.0, 23.0], strict=True)
    )
    srs = fs.Track.from_administrations(
        fs.Administration(scale="SRS", person="p", date=d, total=v)
        for d, v in zip(days, [38.0, 39.0, 33.0], strict=True)
    )
    fig = plot_track(ors, alliance=srs, person=person)
    assert isinstance(fig, Figure)
    lower = fig.axes[1]
    assert "Samarbeid under 36,\nlavere enn sist\n\u2013 snakk om det" in texts(lower)
    assert [x.get_label() for x in lower.lines if str(x.get_label()).startswith("_signal")] == [
        "_signal"
    ]
    family = fs.Family(id="f", members=(person,), tracks=(ors, srs))
    heads = [t.get_text().replace("\n", " ") for t in plot_family(family).axes[0].texts]
    assert "Samarbeid: snakk om det" in heads


def test_rcparams_untouched_in_process() -> None:
    before = dict(dict.items(mpl.rcParams))
    person, track = teen()
    plot_track(track, person=person).figure.canvas.draw()
    assert dict(dict.items(mpl.rcParams)) == before
    assert np.isfinite(track.totals).all()


def test_style_is_the_earlier_name_of_audience() -> None:
    person, track = teen()
    old = plot_track(track, person=person, style="detail")
    new = plot_track(track, person=person, audience="coordinator")
    assert isinstance(old, Axes) and isinstance(new, Axes)
    assert texts(old) == texts(new)
    with pytest.raises(fs.errors.ChartInputError, match="style must be"):
        plot_track(track, style="fancy")  # type: ignore[arg-type]
