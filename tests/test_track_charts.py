"""Coordinator charts: plot_track, plot_family and describe (artist-level and golden images)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

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
    return [t.get_text().strip() for t in ax.texts]


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
    assert "Grense 25,0" in labels
    assert ax.get_title(loc="left") == "ORS, egen vurdering"
    rc = [c for c in ax.collections if c.get_label() == "_rc_band"]
    assert len(rc) == 1  # the band of no reliable change around the intake
    top = float(np.asarray(rc[0].get_paths()[0].vertices)[:, 1].max())
    assert abs(top - 26.0) < 1e-9  # intake 21 + criterion 5


@pytest.mark.parametrize(
    ("locale", "cutoff", "title"),
    [
        ("nb", "Grense 25,0", "ORS, egen vurdering"),
        ("nn", "Grense 25,0", "ORS, eiga vurdering"),
        ("en", "Cutoff 25.0", "ORS, self-rated"),
    ],
)
def test_track_chart_language(locale: str, cutoff: str, title: str) -> None:
    person, track = teen()
    ax = plot_track(track, person=person, locale=locale)
    assert isinstance(ax, Axes)
    assert cutoff in texts(ax)
    assert ax.get_title(loc="left") == title
    assert ax.get_xlabel() == fs.i18n.message("chart.x.date", locale)


def test_conversation_and_detail_styles_and_session_axis() -> None:
    person, track = teen()
    simple = plot_track(track, person=person)
    detail = plot_track(track, person=person, style="detail", x="session")
    assert isinstance(simple, Axes) and isinstance(detail, Axes)
    assert len(simple.texts) < len(detail.texts)
    (score,) = [line for line in detail.lines if line.get_label() == "_score"]
    assert np.asarray(score.get_xdata()).tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert "Ingen tydelig endring" in texts(detail)


def test_alliance_panel_flags_signals_and_returns_a_figure() -> None:
    family = fs.example_family()
    ors, srs = family.tracks_of("mor")
    fig = plot_track(ors, alliance=srs, person=family.member("mor"))
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    lower = fig.axes[1]
    labels = [str(line.get_label()) for line in lower.lines]
    flagged = [label for label in labels if label.startswith("_signal")]
    signals = srs.alliance_signals(meetings=ors)
    assert sorted(flagged) == sorted(f"_signal_{s.rule}" for s in signals)
    assert "Grense 36,0" in texts(lower)
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
    status = model.status(track, person=person).status
    assert fs.i18n.message(f"status.{status}", "en") in texts(ax)
    assert "Expected" in texts(ax)


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
    with pytest.raises(ValueError, match="style must be"):
        plot_track(ors, style="fancy")  # type: ignore[arg-type]


def test_family_chart_adults_first_and_gaps_visible() -> None:
    family = fs.example_family()
    fig = plot_family(family, locale="en", today=dt.date(2026, 7, 1))
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["mor (adult)", "far (adult)", "jente (child)", "gutt (child)"]
    # the boy's last score is from April 2026: within 6 months; move "today" on a year
    later = plot_family(family, locale="en", today=dt.date(2027, 6, 1))
    notes = [t.get_text() for ax in later.axes for t in ax.texts]
    assert notes.count("No score in the last 6 months") == 4
    girl = fig.axes[2]
    dashed = [line for line in girl.lines if line.get_label() == "_CORS_caretaker"]
    assert len(dashed) == 1 and dashed[0].get_linestyle() == "--"
    assert "rated by mor" in [t.get_text() for t in girl.texts]
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
    fig = plot_track(ors, alliance=srs, person=family.member("mor"), style="detail")
    assert isinstance(fig, Figure)
    return fig


@pytest.mark.mpl_image_compare(tolerance=2, style="default")
def test_golden_family_chart() -> Figure:
    return plot_family(fs.example_family(), locale="nn")


def test_rcparams_untouched_in_process() -> None:
    before = dict(dict.items(mpl.rcParams))
    person, track = teen()
    plot_track(track, person=person).figure.canvas.draw()
    assert dict(dict.items(mpl.rcParams)) == before
    assert np.isfinite(track.totals).all()
