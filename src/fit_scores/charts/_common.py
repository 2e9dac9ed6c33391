"""Small helpers shared by the coordinator charts: figures, fonts, date axes, labels."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import matplotlib.dates as mdates
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FuncFormatter

from fit_scores.charts._style import BACKGROUND, COLOURS, FONT_FAMILY, TEXT_SIZES
from fit_scores.i18n import format_number, month_label, normalise_locale

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["date_axis", "font", "new_axes", "number_axis", "style_axes"]


def font(size: str = "tick", *, weight: str = "normal") -> FontProperties:
    """DejaVu Sans (shipped with matplotlib) at one of the standard sizes."""
    return FontProperties(family=FONT_FAMILY, size=TEXT_SIZES[size], weight=weight)


def new_axes(width: float = 6.4, height: float = 4.8) -> Axes:
    """A new figure with one axes, built without pyplot."""
    fig = Figure(figsize=(width, height), facecolor=BACKGROUND)
    return fig.add_subplot()


def style_axes(ax: Axes, locale: str) -> None:
    """Calm axes: no top/right spines, large tick labels in DejaVu Sans, locale numbers."""
    ax.set_facecolor(BACKGROUND)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(COLOURS["muted"])
    ax.tick_params(
        labelsize=TEXT_SIZES["tick"], labelfontfamily=FONT_FAMILY, colors=COLOURS["text"]
    )
    number_axis(ax.yaxis, locale)


def number_axis(axis: Any, locale: str, decimals: int = 0) -> None:
    """Tick labels with the locale's decimal separator."""
    loc = normalise_locale(locale)
    axis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, loc, decimals=decimals)))


def date_axis(ax: Axes, locale: str) -> None:
    """A date x axis with month names in the locale."""
    loc = normalise_locale(locale)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)

    def label(value: float, _: object) -> str:
        day = mdates.num2date(value).date()  # type: ignore[no-untyped-call]
        return month_label(day, loc)

    ax.xaxis.set_major_formatter(FuncFormatter(label))


def to_num(day: dt.date) -> float:
    """A date as a matplotlib date number."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]
