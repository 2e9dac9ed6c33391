"""Build the HTML of the family report (see :mod:`fit_scores.report`)."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from fit_scores.errors import ChartInputError

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.figure import Figure

    from fit_scores.records import Family, Person, Track

__all__ = ["chart_page", "family_report", "html_text", "inline_svg", "write_family_report"]

_CSS = """
:root { color: #1a1a1a; background: #ffffff; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 1.05rem;
  line-height: 1.45; margin: 0 auto; max-width: 52rem; padding: 1rem; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.35rem; margin: 1.2rem 0 .4rem; }
h3 { font-size: 1.1rem; margin: .9rem 0 .2rem; }
.as-of { margin: 0 0 .4rem; color: #3d3d3d; }
.verdict { font-weight: bold; }
.v-better { color: #006a3b; } .v-same { color: #3d3d3d; }
.v-worse { color: #b03a00; } .v-too_early { color: #5e5e5e; }
figure { margin: .5rem 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: .95rem; }
figcaption p { margin: .1rem 0; }
figcaption p.sub { margin-left: 1.2rem; }
table { border-collapse: collapse; margin: .3rem 0 .6rem; font-size: .95rem; }
caption { text-align: left; font-weight: bold; padding: .2rem 0; }
th, td { border: 1px solid #6e6e6e; padding: .15rem .45rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
footer { margin-top: 1rem; font-size: .9rem; color: #3d3d3d; }
@page { size: A4; margin: 11mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 8.5pt; line-height: 1.25; }
  h1 { font-size: 15pt; } h2 { font-size: 11.5pt; margin: 4pt 0 2pt; }
  h3 { font-size: 9.5pt; margin: 3pt 0 1pt; }
  figure { break-inside: avoid; margin: 0; }
  figure svg { width: auto; max-width: 100%; max-height: 205mm; margin: 0 auto; }
  figcaption { display: none; }
  .members { break-before: page; column-count: 2; column-gap: 6mm; }
  .member { break-inside: avoid; }
  table { font-size: 7.5pt; margin: 1pt 0 3pt; }
  th, td { padding: .5pt 3pt; }
  footer { font-size: 7.5pt; }
}
"""

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)


def html_text(text: object) -> str:
    r"""Text escaped for HTML, with control and bidi-format characters shown as U+FFFD.

    Examples
    --------
    >>> html_text("Tom & <Jerry>" + chr(0)) == "Tom &amp; &lt;Jerry&gt;" + chr(0xFFFD)
    True
    """
    clean = _CONTROL.sub("\ufffd", unicodedata.normalize("NFC", str(text)))
    return html.escape(clean, quote=True)


_PROLOG = re.compile(r"\A\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)
_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def inline_svg(svg: bytes | str) -> str:
    r"""An SVG document as an element to inline in HTML: no XML prolog, no fixed size, hidden.

    The ``svg`` element gets ``aria-hidden="true"`` and ``focusable="false"``:
    the figure around it carries the accessible name and description.

    Examples
    --------
    >>> doc = '<?xml version="1.0"?>\\n<svg width="10pt" height="5pt" viewBox="0 0 10 5"></svg>'
    >>> inline_svg(doc)
    '<svg viewBox="0 0 10 5" aria-hidden="true" focusable="false"></svg>'
    """
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    text = _PROLOG.sub("", text)
    start = text.index("<svg")
    end = text.index(">", start)
    head = _SIZE.sub("", text[start:end])
    return f'{head} aria-hidden="true" focusable="false"{text[end:]}'.strip()


def _rows(
    family: Family, member: Person, loc: str
) -> list[tuple[dt.date, str, str, str, str, str]]:
    from fit_scores.i18n import format_date, format_number, message

    none = message("report.none", loc)
    rows: list[tuple[dt.date, str, str, str, str, str]] = []
    for track in family.tracks_of(member.id):
        if track.scale.kind != "outcome":
            continue
        alliance = family.alliance_track(track)
        by_date = {} if alliance is None else {a.date: a for a in alliance.administrations}
        measure = f"{message('measure.outcome', loc)} ({track.scale.key})"
        if track.rater == "self":
            who = message("chart.who.self", loc, id=member.id)
        else:
            rater = track.rater_id or message("chart.rater.someone", loc)
            who = message("chart.who.other", loc, rater=rater, id=member.id)
        for i, adm in enumerate(track.administrations):
            cut = track.cutoff_at(i, member)
            cut_text = none if cut is None or cut.value is None else format_number(cut.value, loc)
            al = by_date.get(adm.date)
            al_text = none if al is None else format_number(float(al.total_exact), loc)
            rows.append(
                (
                    adm.date,
                    format_date(adm.date, loc),
                    f"{measure}, {who}",
                    format_number(float(adm.total_exact), loc),
                    cut_text,
                    al_text,
                )
            )
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows


def _status(model: Any, track: Track, member: Person, loc: str) -> str | None:
    from fit_scores.charts.marks import status_words

    if model is None or member.role != "adult" or track.rater != "self":
        return None
    return status_words(model.status(track, person=member).status, loc)[0]


def family_report(
    family: Family,
    locale: str = "nb",
    as_of: dt.date | None = None,
    model: Any | None = None,
) -> str:
    """One self-contained HTML page for a family: chart, verdicts, scores, in their language.

    Parameters
    ----------
    family : Family
        The family with its members and tracks.
    locale : {"nb", "nn", "en"}
        Language of every word on the page; sets ``<html lang>``.
    as_of : datetime.date, optional
        The day of the report (default today); members without a score in
        the 6 months before it are marked so on the chart.
    model : GrowthModel, CohortModel or NeighboursModel, optional
        A fitted expected-response model; each adult's own latest outcome
        track is then compared with it in words ("Mot forventet: På sporet").

    Returns
    -------
    str
        The HTML document (UTF-8 text; write it with ``encoding="utf-8"``).

    Raises
    ------
    ChartInputError
        If ``as_of`` is before the family's latest score.

    Examples
    --------
    >>> import datetime as dt
    >>> from fit_scores import example_family
    >>> from fit_scores.report import family_report
    >>> page = family_report(example_family(), "en", as_of=dt.date(2026, 7, 1))
    >>> page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    True
    >>> "<script" in page or "http://" in page.split("<svg", 1)[0]
    False
    """
    from fit_scores.charts import describe_family, plot_family, render
    from fit_scores.charts.describe import adults_first, member_label, primary_tracks
    from fit_scores.charts.family import member_summary
    from fit_scores.i18n import format_date, message, normalise_locale

    loc = normalise_locale(locale)
    dates = [d for t in family.tracks for d in t.dates]
    day = as_of if as_of is not None else dt.date.today()
    if not isinstance(day, dt.date):
        raise ChartInputError(f"as_of must be a date, got {as_of!r}")
    if dates and day < max(dates):
        raise ChartInputError(
            f"as_of {day.isoformat()} is before the latest score ({max(dates).isoformat()})"
        )
    fig = plot_family(family, locale=loc, today=day)
    svg = inline_svg(render(fig, "svg"))
    members = adults_first(family)
    summaries = {m.id: member_summary(family, m, loc) for m in members}
    name_parts = []
    for m in members:
        key, words, _ = summaries[m.id]
        verdict_word = message(f"verdict.{key}", loc)
        name_parts.append(
            message("describe.verdict", loc, member=member_label(m, loc), verdict=verdict_word)
        )
    chart_name = message("report.chart_name", loc, summary=" ".join(name_parts))
    as_of_text = message("report.as_of", loc, date=format_date(day, loc))
    caption = "\n".join(
        f'<p class="sub">{html_text(line.strip())}</p>'
        if line.startswith("  ")
        else f"<p>{html_text(line)}</p>"
        for line in describe_family(family, locale=loc).splitlines()
    )
    out: list[str] = [
        *_head(loc, message("report.title", loc, id=family.id)),
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{html_text(message('report.title', loc, id=family.id))}</h1>",
        f'<p class="as-of">{html_text(as_of_text)}</p>',
        f"<p>{html_text(message('report.intro', loc))}</p>",
        "</header>",
        '<section aria-labelledby="h-chart">',
        f'<h2 id="h-chart">{html_text(message("report.chart_heading", loc))}</h2>',
        f'<figure role="img" aria-label="{html_text(chart_name.replace(chr(10), " "))}">',
        svg,
        f"<figcaption>{caption}</figcaption>",
        "</figure>",
        "</section>",
        '<section class="members" aria-labelledby="h-members">',
        f'<h2 id="h-members">{html_text(message("report.members_heading", loc))}</h2>',
    ]
    for m in members:
        key, words, state = summaries[m.id]
        label = member_label(m, loc)
        out.append('<div class="member">')
        verdict_html = f'<span class="verdict v-{key}">{html_text(words)}</span>' if words else ""
        out.append(f"<h3>{html_text(label)}: {verdict_html}</h3>")
        notes = [state] if state else []
        own = primary_tracks(family, m.id)
        if own:
            status = _status(model, own[-1], m, loc)
            if status:
                notes.append(status)
        if notes:
            out.append(f"<p>{html_text(' · '.join(notes))}</p>")
        rows = _rows(family, m, loc)
        if not rows:
            out.append(f"<p>{html_text(message('family.no_scores', loc))}</p>")
            out.append("</div>")
            continue
        out.append("<table>")
        out.append(
            f"<caption>{html_text(message('report.table_caption', loc, member=label))}</caption>"
        )
        heads = ("date", "measure", "score", "cutoff", "alliance")
        out.append(
            "<thead><tr>"
            + "".join(
                f'<th scope="col">{html_text(message(f"report.col.{h}", loc))}</th>' for h in heads
            )
            + "</tr></thead>"
        )
        out.append("<tbody>")
        for _, date_text, what, score, cut, al in rows:
            out.append(
                f'<tr><th scope="row">{html_text(date_text)}</th><td>{html_text(what)}</td>'
                f'<td class="num">{html_text(score)}</td><td class="num">{html_text(cut)}</td>'
                f'<td class="num">{html_text(al)}</td></tr>'
            )
        out.append("</tbody></table>")
        out.append("</div>")
    if len(family.yearly) or family.plan is not None:  # the yearly mapping and the plan
        out += ["</section>", *_timeline_section(family, loc, day)]
    out += [
        "</section>",
        "</main>",
        f"<footer><p>{html_text(message('report.footer', loc))}</p></footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def _timeline_section(family: Family, loc: str, day: dt.date) -> list[str]:
    """The family's time line (yearly mapping, plan goals) as a figure with its words.

    The caller closes the section.
    """
    from fit_scores.charts import render
    from fit_scores.charts.timeline import describe_family_timeline, plot_family_timeline
    from fit_scores.i18n import message

    words = describe_family_timeline(family, locale=loc, as_of=day)
    lines = [line for line in words.splitlines() if line.strip()]
    name = lines[0] if lines else message("timeline.heading", loc)
    figure = plot_family_timeline(family, locale=loc, as_of=day)
    return [
        '<section aria-labelledby="h-timeline">',
        f'<h2 id="h-timeline">{html_text(message("timeline.heading", loc))}</h2>',
        f'<figure role="img" aria-label="{html_text(name)}">',
        inline_svg(render(figure, "svg")),
        "<figcaption>" + "".join(f"<p>{html_text(x)}</p>" for x in lines) + "</figcaption>",
        "</figure>",
    ]


def _head(loc: str, title: str) -> list[str]:
    return [
        "<!DOCTYPE html>",
        f'<html lang="{loc}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_text(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
    ]


def chart_page(figure: Figure, description: str, *, locale: str = "nb", title: str = "") -> str:
    """One chart as a self-contained HTML page: inline SVG, its description as the caption.

    The figure is a ``figure`` with ``role="img"``, the first line of the
    description as its accessible name and the whole description as its
    caption (``fit-scores chart --format html``).

    Examples
    --------
    >>> from fit_scores import example_family
    >>> from fit_scores.charts import describe, plot_track
    >>> ors = example_family().tracks_of("far")[0]
    >>> page = chart_page(plot_track(ors).figure, describe(ors), locale="nb")
    >>> '<figure role="img" aria-label="ORS, egen vurdering: første skår 18,5' in page
    True
    """
    from fit_scores.charts import render
    from fit_scores.i18n import normalise_locale

    loc = normalise_locale(locale)
    lines = description.splitlines() or [""]
    heading = title or lines[0]
    caption = "\n".join(f"<p>{html_text(line)}</p>" for line in lines)
    out = [
        *_head(loc, heading),
        "<body>",
        "<main>",
        f"<h1>{html_text(heading)}</h1>",
        f'<figure role="img" aria-label="{html_text(lines[0])}">',
        inline_svg(render(figure, "svg")),
        f"<figcaption>{caption}</figcaption>",
        "</figure>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def write_family_report(
    path: str | Path, out: str | Path, *, locale: str = "nb", as_of: str | dt.date | None = None
) -> None:
    """Read a family from JSON (as ``fit-scores demo`` writes it) and write its report to ``out``.

    Raises
    ------
    ChartInputError
        If the file does not exist or ``as_of`` is not a date (YYYY-MM-DD).
    pydantic.ValidationError
        If the JSON is not a valid family.
    """
    from pathlib import Path as _Path

    from fit_scores.records import Family

    source = _Path(path)
    if not source.is_file():
        raise ChartInputError(f"{source}: no such file")
    day: dt.date | None
    if isinstance(as_of, str):
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise ChartInputError(f"as_of must be a date YYYY-MM-DD, got {as_of!r}") from None
    else:
        day = as_of
    family = Family.model_validate_json(source.read_text(encoding="utf-8"))
    target = _Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(family_report(family, locale, as_of=day), encoding="utf-8")
