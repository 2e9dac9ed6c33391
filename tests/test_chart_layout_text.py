"""User text on charts (issue 13, point 10): drawn literally, never lost, never in the SVG raw.

``$`` in names, titles and group names is drawn as a dollar sign (no
mathtext and no mathtext crash); control characters never reach SVG ids or
text; emoji and right-to-left names render, or are replaced visibly (U+FFFD),
without warnings (pytest runs with ``filterwarnings=error``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from matplotlib import cbook
from matplotlib.figure import Figure

import fit_scores as fs
from fit_scores.charts import (
    plot_category_shares,
    plot_change_scatter,
    plot_family,
    plot_track,
    render,
)
from fit_scores.charts.layout import text_boxes
from fit_scores.charts.text import REPLACEMENT, plain_text, svg_id_part
from fit_scores.report import family_report

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
NAMES = ["Kari $5 $x$", "$\\frac{", "Ali \U0001f984", "שרה", "مريم", "Åse \u00e5 $"]


def family_of(name: str) -> fs.Family:
    person = fs.Person(id=name, role="adult", age=40, age_on="2025-01-01")
    other = fs.Person(id="barn $", role="child", age=10, age_on="2025-01-01")
    tracks = [
        fs.Track.from_administrations(
            fs.Administration(scale="ORS", person=name, date=d, total=v)
            for d, v in (("2025-01-10", 18.0), ("2025-03-10", 26.5))
        ),
        fs.Track.from_administrations(
            fs.Administration(
                scale="CORS", person="barn $", date=d, total=v, rater="caretaker", rater_id=name
            )
            for d, v in (("2025-01-10", 20.0), ("2025-03-10", 21.0))
        ),
    ]
    return fs.Family(id=f"fam {name}", members=(person, other), tracks=tuple(tracks))


def drawn_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t, _ in text_boxes(fig)]


def check_svg(svg: bytes) -> None:
    text = svg.decode("utf-8")
    assert not CONTROL.search(text)
    root = ET.fromstring(svg)  # well-formed XML
    for element in root.iter():
        ident = element.get("id")
        if ident is not None:
            assert not CONTROL.search(ident)
            assert re.fullmatch(r"[\w.\-]+", ident), ident


@pytest.mark.parametrize("name", NAMES)
def test_names_are_drawn_literally_on_every_chart(name: str) -> None:
    family = family_of(name)
    fig = plot_family(family, locale="en")
    track = family.tracks_of(name)[0]
    ax = plot_track(track, person=family.member(name), title=f"Title {name} \x07")
    for figure in (fig, ax.figure):
        assert isinstance(figure, Figure)
        texts = drawn_texts(figure)
        # no text is mathtext: every $ is escaped, so matplotlib draws it as a dollar
        assert not any(cbook.is_math_text(t) for t in texts)
        check_svg(render(figure, "svg"))
        render(figure, "png")
    shown = plain_text(name)
    assert any(shown in t for t in drawn_texts(fig))
    # the title's control character is replaced visibly, not dropped
    heading = next(t.get_text() for t in ax.figure.texts)
    assert heading == plain_text(f"Title {name} ") + REPLACEMENT


def test_plain_text_rules() -> None:
    assert plain_text("a$b") == "a\\$b"
    assert plain_text("Ali \U0001f984") == "Ali " + REPLACEMENT  # no glyph in DejaVu Sans
    assert plain_text("שרה") == "שרה"  # right-to-left letters the font has are kept
    assert plain_text("x\u202ey") == "x" + REPLACEMENT + "y"  # bidi override
    assert plain_text("A\u030a") == "\u00c5"  # NFC
    assert svg_id_part("a b") != svg_id_part("a_b")


def test_group_names_reach_tick_labels_and_svg_ids_safely() -> None:
    groups = ["Oslo $1 $2$", "tab\there", "bell\x07", "\U0001f984 team"]
    pre = [20.0, 21.0, 22.0, 23.0] * 2
    post = [28.0, 21.0, 12.0, 30.0] * 2
    by = [g for g in groups for _ in range(2)]
    data = fs.ChangeData.from_wide(pre, post, group=by)
    table = fs.anchor_change(data, higher_is_better=True, mid_improvement=7)
    ax = plot_category_shares(table.summary(by_group=True), locale="en", title="Shares $x$")
    fig = ax.figure
    assert isinstance(fig, Figure)
    texts = drawn_texts(fig)
    assert not any(cbook.is_math_text(t) for t in texts)
    assert any("Oslo \\$1 \\$2\\$" in t for t in texts)
    assert any(REPLACEMENT + " team" in t for t in texts)
    svg = render(fig, "svg")
    check_svg(svg)
    assert b"share.improved.bell_7_" in svg


def test_scatter_title_with_dollars() -> None:
    table = fs.anchor_change([20, 20, 20], [28, 21, 12], higher_is_better=True, mid_improvement=7)
    ax = plot_change_scatter(table, title="$$ \\frac{")
    check_svg(render(ax.figure, "svg"))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["Kari $5", "Ali \U0001f984", "\u05e9\u05e8\u05d4"])
def test_report_keeps_names_as_written(name: str) -> None:
    import datetime as dt

    page = family_report(family_of(name), "en", as_of=dt.date(2025, 6, 1))
    assert not CONTROL.search(page)
    assert f"<h3>{name} (adult):" in page  # the browser renders emoji and RTL itself
    assert "\\$" not in page.split("<svg", 1)[0]
