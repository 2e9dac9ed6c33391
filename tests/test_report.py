"""The family report as HTML (fit_scores.report), and the commands that write it."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import fit_scores as fs
from fit_scores.cli import main
from fit_scores.errors import ChartInputError
from fit_scores.report import chart_page, family_report

AS_OF = dt.date(2026, 7, 1)


class Outline(HTMLParser):
    """Tags, attributes and the text inside selected elements, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "path", "use", "rect", "circle"):
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        for tag in set(self.stack):
            self.text.setdefault(tag, []).append(data)


def outline(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    return parser


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_report_is_self_contained_and_accessible_html(locale: str) -> None:
    page = family_report(fs.example_family(), locale, as_of=AS_OF)
    o = outline(page)
    tags = [t for t, _ in o.tags]
    assert page.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": locale}) in o.tags
    # no script and no external resource of any kind
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert not re.search(r"(?:src|href)\s*=\s*[\"'](?!#)", page)
    assert "url(http" not in page and "@import" not in page
    # semantic headings: one h1, sections with h2, a h3 per member
    assert tags.count("h1") == 1 and tags.count("h2") == 2 and tags.count("h3") == 4
    # the chart: a figure with role img, an accessible name, the description as caption
    (figure,) = [a for t, a in o.tags if t == "figure"]
    assert figure["role"] == "img"
    name = figure["aria-label"] or ""
    for member in ("mor", "far", "jente", "gutt"):
        assert member in name
    words = {"nb": "Uendret", "nn": "Uendra", "en": "No clear change"}[locale]
    assert words in name
    caption = " ".join(o.text["figcaption"])
    assert fs.i18n.format_number(27.4, locale) in caption
    (svg,) = [a for t, a in o.tags if t == "svg"]
    assert svg["aria-hidden"] == "true" and "width" not in svg
    # a table of the scores per member, with column and row headers
    assert tags.count("table") == 4 and tags.count("caption") == 4
    assert all(a.get("scope") in ("col", "row") for t, a in o.tags if t == "th")
    cells = " ".join(o.text["td"])
    for value in (27.4, 31.5, 18.5, 26.8, 24.0, 34.6, 22.0, 31.2, 28.0, 30.4):
        assert fs.i18n.format_number(value, locale) in cells
    # print CSS for A4
    assert "@page { size: A4" in page and "@media print" in page


def test_report_verdicts_and_model_status() -> None:
    from fit_scores.simulate import simulate_cohort

    sim = simulate_cohort(800, seed=5)
    model = fs.fit_expected_response(
        fs.TrajectoryData.from_arrays(sim.person, sim.session, sim.total)
    )
    family = fs.example_family()
    page = family_report(family, "en", as_of=AS_OF, model=model)
    o = outline(page)
    heads = o.text["h3"]
    joined = " ".join(heads)
    assert "far (adult): " in joined and "\u25b2 Better" in joined
    status = model.status(family.tracks_of("mor")[0], person=family.member("mor")).status
    assert f"Against expected: {fs.i18n.message(f'status.{status}', 'en')}" in page
    # the verdict follows reliable change: the mother rose 4.1 < 5 points
    assert "mor (adult): " in joined and "No clear change" in joined


def test_report_rejects_a_day_before_the_data() -> None:
    with pytest.raises(ChartInputError, match="before the latest score"):
        family_report(fs.example_family(), "nb", as_of=dt.date(2020, 1, 1))


def test_chart_page_and_cli_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    family = fs.example_family()
    json_path = tmp_path / "family.json"
    json_path.write_text(family.model_dump_json(), encoding="utf-8")
    out = tmp_path / "r" / "report.html"
    argv = ["report-family", str(json_path), "-o", str(out), "--locale", "nn"]
    assert main([*argv, "--as-of", "2026-07-01"]) == 0
    page = out.read_text(encoding="utf-8")
    assert '<html lang="nn">' in page and "Slik går det" in page
    with pytest.raises(SystemExit) as info:
        main([*argv, "--as-of", "1.7.2026"])
    assert info.value.code == 2
    assert "as_of must be a date YYYY-MM-DD" in capsys.readouterr().err
    # a chart as one page: --format html or by the .html extension
    csv = tmp_path / "scores.csv"
    csv.write_text(
        "person,scale,date,session,total,age\n"
        "p1,ORS,2025-01-01,1,20,40\np1,ORS,2025-02-01,2,26.5,40\n",
        encoding="utf-8",
    )
    html_out = tmp_path / "p1.html"
    assert main(["chart", str(csv), "--person", "p1", "-o", str(html_out), "--locale", "en"]) == 0
    chart = html_out.read_text(encoding="utf-8")
    assert '<figure role="img" aria-label="ORS, self-rated: first score 20.0' in chart
    other = tmp_path / "p1.page"
    assert main(["chart", str(csv), "--person", "p1", "-o", str(other), "--format", "html"]) == 0
    assert other.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    ors = family.tracks_of("far")[0]
    from fit_scores.charts import describe, plot_track

    page2 = chart_page(plot_track(ors).figure, describe(ors), locale="en")  # type: ignore[arg-type]
    assert "<script" not in page2


def test_demo_writes_the_family_report(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--locale", "en"]) == 0
    page = (out / "family-report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Against expected:" in page


def test_the_report_shows_the_time_line_of_a_family_with_a_yearly_mapping_and_a_plan() -> None:
    from fit_scores.simulate.yearly import simulate_programme

    family = simulate_programme(3, seed=4).families()[0]
    assert len(family.yearly) and family.plan is not None
    latest = max(e.date for e in family.timeline())
    page = family_report(family, "en", as_of=latest)
    assert page.count('<figure role="img"') == 2
    assert 'aria-labelledby="h-timeline"' in page
    start = page.index('<section aria-labelledby="h-timeline">')
    assert page.index('<section class="members"') < start  # after the members
    assert page.count("<section") == page.count("</section>")
    plain = fs.example_family()
    assert "h-timeline" not in family_report(plain, "en", as_of=AS_OF)
