"""The family report in a real browser: headless Chromium (Debian's), driven by playwright.

No browser is downloaded: playwright starts the system's ``chromium``
(``/usr/bin/chromium``, which ``.ci/run`` installs when missing). The tests
take screenshots in nb and en and compare them with golden images (with a
tolerance), print the page to PDF on A4 and count the pages, and run
axe-core (``axe-playwright-python``) for WCAG 2.1 A and AA.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import fit_scores as fs
from fit_scores.report import family_report

GOLDEN = Path(__file__).parent / "baseline" / "browser"
AS_OF = dt.date(2026, 7, 1)
# Chromium flags for a closed network and a root user (see .ci/run)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--font-render-hinting=none",
]


def chromium_path() -> str:
    found = os.environ.get("FIT_SCORES_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail(
            "Debian's chromium is needed for the browser tests and was not found on PATH; "
            "install it with `apt-get install chromium` (.ci/run does this)"
        )
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    family = fs.example_family()
    return {loc: family_report(family, loc, as_of=AS_OF) for loc in ("nb", "en")}


def open_page(browser: Any, html: str, width: int = 900) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 1200}, device_scale_factor=1)
    blocked: list[str] = []

    def refuse(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort()

    page.route("**/*", refuse)
    page.set_content(html, wait_until="load")
    assert blocked == [], f"the report asked for external resources: {blocked}"
    return page


def png_pixels(data: bytes) -> np.ndarray:
    import io

    from matplotlib.image import imread

    return np.asarray(imread(io.BytesIO(data), format="png"))[..., :3]


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_screenshot_matches_golden(browser: Any, pages: dict[str, str], locale: str) -> None:
    page = open_page(browser, pages[locale])
    assert page.evaluate("document.documentElement.lang") == locale
    shot = page.screenshot(full_page=True)
    page.close()
    golden = GOLDEN / f"report-{locale}.png"
    if os.environ.get("FIT_SCORES_UPDATE_GOLDEN") or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(shot)
        if not os.environ.get("FIT_SCORES_UPDATE_GOLDEN"):
            pytest.fail(f"no golden screenshot yet: wrote {golden}; check it and commit it")
    got, want = png_pixels(shot), png_pixels(golden.read_bytes())
    assert got.shape == want.shape, f"page size changed: {got.shape} != {want.shape}"
    rms = float(np.sqrt(np.mean((got.astype(float) - want.astype(float)) ** 2))) * 255
    assert rms < 6.0, f"screenshot differs from {golden.name}: RMS {rms:.2f} of 255"


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_axe_finds_no_wcag_aa_violation(browser: Any, pages: dict[str, str], locale: str) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    page = open_page(browser, pages[locale])
    options = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"],
    }
    results = Axe().run(page, options=options)
    page.close()
    violations = results.response["violations"]
    assert violations == [], results.generate_report()
    # axe did run its rules on this page
    assert results.response["testEngine"]["name"] == "axe-core"


def test_print_to_pdf_fits_two_a4_pages(browser: Any, pages: dict[str, str]) -> None:
    page = open_page(browser, pages["nb"])
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    page.close()
    assert pdf.startswith(b"%PDF")
    count = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert 1 <= count <= 2, f"the report of a family of four prints on {count} A4 pages"
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
    assert boxes and all(
        abs(float(w) - 595.92) < 2 and abs(float(h) - 842.88) < 2 for w, h in boxes
    ), boxes


def test_the_report_structure_as_the_browser_sees_it(browser: Any, pages: dict[str, str]) -> None:
    page = open_page(browser, pages["en"])
    figure = page.get_by_role("img", name=re.compile(r"^Family chart\. mor \(adult\): "))
    assert figure.count() == 1
    assert page.locator("script").count() == 0
    headings = page.locator("h1, h2, h3").all_inner_texts()
    assert headings[0].startswith("How we are doing")
    assert any(h.startswith("far (adult): ▲ Better") for h in headings)
    tables = page.get_by_role("table")
    assert tables.count() == 4
    # the table of the boy holds both his scales, each with its own cutoff
    boy = page.get_by_role("table", name="Scores of gutt (child)")
    text = boy.inner_text()
    assert "(CORS)" in text and "(ORS)" in text and "32.0" in text and "28.0" in text
    page.close()
