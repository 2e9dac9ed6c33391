"""The family report: one self-contained HTML page a family can take home.

:func:`family_report` writes the family chart as inline SVG and everything
else as plain HTML and CSS: no script, no external resource (fonts, images
or style sheets), so the page opens the same from a file, an e-mail or a
print-out. It is built for people who cannot tell colours apart or cannot
read well: the page language is set (``lang``), headings are semantic, the
chart is a ``figure`` with ``role="img"``, an accessible name that gives each
member's verdict, and the chart's text description as its caption; a table
of the scores per member is the accessible alternative to the chart. Print
CSS lays the page out on A4 (a family of four fits on two pages).
"""

from fit_scores.report.family import (
    chart_page,
    family_report,
    html_text,
    inline_svg,
    write_family_report,
)

__all__ = ["chart_page", "family_report", "html_text", "inline_svg", "write_family_report"]
