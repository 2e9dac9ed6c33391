"""Regenerate the pictures of the coordinators' guides (docs/_static/guide/).

Run from the repository root: ``python docs/_ext/guide_pictures.py``. The
charts come from :mod:`fit_scores.charts`; the picture of the family report is
a screenshot of the report in Debian's Chromium (driven by playwright, as in
the browser tests).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import fit_scores as fs
from fit_scores.charts import plot_family, plot_track, render
from fit_scores.report import family_report

OUT = Path(__file__).resolve().parents[1] / "_static" / "guide"
AS_OF = dt.date(2026, 7, 1)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    family = fs.example_family()
    ors, srs = family.tracks_of("mor")
    for loc in ("nb", "nn", "en"):
        (OUT / f"family-chart-{loc}.png").write_bytes(
            render(plot_family(family, locale=loc, today=AS_OF), "png", dpi=80)
        )
        chart = plot_track(ors, alliance=srs, person=family.member("mor"), locale=loc)
        (OUT / f"track-chart-{loc}.png").write_bytes(render(chart, "png", dpi=80))  # type: ignore[arg-type]
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("install Debian's chromium to take the report's screenshot")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for loc in ("nb", "nn", "en"):
            page = browser.new_page(viewport={"width": 800, "height": 1000})
            page.set_content(family_report(family, loc, as_of=AS_OF))
            page.screenshot(path=str(OUT / f"report-{loc}.png"), full_page=False)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
