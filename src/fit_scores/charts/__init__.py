"""Charts for coordinators and researchers (matplotlib, imported only here).

Importing :mod:`fit_scores` does not import matplotlib; importing
``fit_scores.charts`` does. Every function builds a
:class:`matplotlib.figure.Figure` directly (never pyplot), changes no
rcParams, takes ``ax=`` where it draws one panel and returns the Axes (a
Figure for multi-panel charts). Every text comes from the message catalogs
(nb by default, nn, en). :func:`describe` tells the same story in words, and
:func:`render` turns a figure into deterministic SVG, PNG or PDF bytes.
"""

from fit_scores.charts._render import render
from fit_scores.charts._style import style_context
from fit_scores.charts.describe import (
    describe,
    describe_expected,
    describe_family,
    describe_shares,
    describe_table,
)
from fit_scores.charts.family import plot_family
from fit_scores.charts.research import (
    plot_category_shares,
    plot_change_scatter,
    plot_expected_fan,
)
from fit_scores.charts.timeline import describe_family_timeline, plot_family_timeline
from fit_scores.charts.track import plot_track

__all__ = [
    "describe",
    "describe_expected",
    "describe_family",
    "describe_family_timeline",
    "describe_shares",
    "describe_table",
    "plot_category_shares",
    "plot_change_scatter",
    "plot_expected_fan",
    "plot_family",
    "plot_family_timeline",
    "plot_track",
    "render",
    "style_context",
]
