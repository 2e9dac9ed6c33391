"""Small helpers shared by the coordinator charts: figures, fonts, date axes, labels."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import matplotlib.dates as mdates
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter, Locator

from fit_scores.charts._style import BACKGROUND, COLOURS, FONT_FAMILY, TEXT_SIZES
from fit_scores.i18n import format_number, month_label, normalise_locale

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "ExactFormatter",
    "MonthTicks",
    "date_axis",
    "font",
    "new_axes",
    "number_axis",
    "scale_axis",
    "scale_ticks",
    "style_axes",
]


def font(
    size: str = "tick", *, weight: str = "normal", sizes: dict[str, float] | None = None
) -> FontProperties:
    """DejaVu Sans (shipped with matplotlib) at one of the standard sizes."""
    table = TEXT_SIZES if sizes is None else sizes
    return FontProperties(family=FONT_FAMILY, size=table[size], weight=weight)


class ExactFormatter(Formatter):
    """Tick labels that equal their tick values: as many decimals as the ticks need (up to 4).

    Examples
    --------
    >>> f = ExactFormatter("nb"); f.set_locs([30.0, 32.5, 35.0])
    >>> [f(v) for v in (30.0, 32.5, 35.0)]
    ['30,0', '32,5', '35,0']
    >>> f.set_locs([0.0, 10.0]); f(10.0)
    '10'
    """

    def __init__(self, locale: str) -> None:
        self.locale = normalise_locale(locale)
        self.decimals = 0

    def set_locs(self, locs: Any) -> None:
        """Choose the decimals from all tick values at once."""
        super().set_locs(locs)
        values = [float(v) for v in locs]
        for decimals in range(5):
            if all(abs(round(v, decimals) - v) < 1e-9 for v in values):
                break
        self.decimals = decimals

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of tick value ``x``."""
        return format_number(x, self.locale, decimals=self.decimals)


def scale_ticks(low: float, high: float, resolution: float, most: int = 6) -> list[float]:
    """Ticks between ``low`` and ``high`` that are multiples of ``resolution``: at most ``most``.

    Examples
    --------
    >>> scale_ticks(0, 40, 0.1)
    [0.0, 10.0, 20.0, 30.0, 40.0]
    >>> scale_ticks(30, 40, 0.1)
    [30.0, 32.0, 34.0, 36.0, 38.0, 40.0]
    """
    from fractions import Fraction

    res = Fraction(str(resolution))
    lo, hi = Fraction(str(low)), Fraction(str(high))
    for k in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        step = res * k
        first = -((-lo) // step) * step
        count = int((hi - first) // step) + 1
        if count <= most:
            return [float(first + i * step) for i in range(max(count, 0))]
    return [float(lo), float(hi)]


def scale_axis(axis: Any, low: float, high: float, resolution: float, locale: str) -> None:
    """Fixed ticks at multiples of the scale's resolution, labelled exactly."""
    axis.set_major_locator(FixedLocator(scale_ticks(low, high, resolution)))
    axis.set_major_formatter(ExactFormatter(locale))


def new_axes(width: float = 6.4, height: float = 4.8) -> Axes:
    """A new figure with one axes, built without pyplot."""
    fig = Figure(figsize=(width, height), facecolor=BACKGROUND)
    return fig.add_subplot()


def style_axes(ax: Axes, locale: str, sizes: dict[str, float] | None = None) -> None:
    """Calm axes: no top/right spines, large tick labels in DejaVu Sans, locale numbers."""
    ax.set_facecolor(BACKGROUND)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(COLOURS["muted"])
    ax.tick_params(
        labelsize=(TEXT_SIZES if sizes is None else sizes)["tick"],
        labelfontfamily=FONT_FAMILY,
        colors=COLOURS["text"],
    )
    number_axis(ax.yaxis, locale)


def number_axis(axis: Any, locale: str, decimals: int = 0) -> None:
    """Tick labels with the locale's decimal separator."""
    loc = normalise_locale(locale)
    axis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, loc, decimals=decimals)))


def date_axis(ax: Axes, locale: str, *, inches_per_label: float | None = None) -> None:
    """A date x axis with month names in the locale.

    With ``inches_per_label``, at most as many ticks as fit the axes' width at
    that spacing (so that month labels of big type never touch).
    """
    loc = normalise_locale(locale)
    if inches_per_label is None:
        locator: Any = mdates.AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    else:
        locator = MonthTicks(ax, inches_per_label)
    ax.xaxis.set_major_locator(locator)

    def label(value: float, _: object) -> str:
        day = mdates.num2date(value).date()  # type: ignore[no-untyped-call]
        return month_label(day, loc)

    ax.xaxis.set_major_formatter(FuncFormatter(label))


class MonthTicks(Locator):
    """Ticks on the first of a month, every 1, 2, 3, 6, 12 or 24 months: as many as fit.

    The step is the smallest one that leaves at least ``inches_per_label``
    between ticks at the axes' width, so that labels never touch.
    """

    STEPS = (1, 2, 3, 6, 12, 24, 60)

    def __init__(self, ax: Axes, inches_per_label: float) -> None:
        self.ax = ax
        self.inches = inches_per_label
        self._last: tuple[tuple[float, float, float], list[float]] | None = None

    def __call__(self) -> list[float]:
        """The tick positions for the current view."""
        low, high = sorted(self.ax.get_xlim())
        return self.tick_values(low, high)

    def tick_values(self, vmin: float, vmax: float) -> list[float]:
        """Tick positions between two date numbers."""
        width = self.ax.get_position().width * self.ax.get_figure(root=True).get_figwidth()  # type: ignore[union-attr]
        key = (vmin, vmax, width)
        if self._last is not None and self._last[0] == key:  # this locator's own last answer
            return list(self._last[1])
        most = max(1, int(width / self.inches))
        start = mdates.num2date(vmin).date()  # type: ignore[no-untyped-call]
        stop = mdates.num2date(vmax).date()  # type: ignore[no-untyped-call]
        first = start.year * 12 + start.month - 1 + (0 if start.day == 1 else 1)
        last = stop.year * 12 + stop.month - 1
        for step in self.STEPS:
            months = [m for m in range(first, last + 1) if m % step == 0]
            if len(months) <= most:
                break
        ticks = [to_num(dt.date(m // 12, m % 12 + 1, 1)) for m in months]
        # half a label from either end at least: a label never runs into the y axis's labels
        margin = (vmax - vmin) * (self.inches / 2) / width if width > 0 else 0.0
        kept = [t for t in ticks if vmin + margin <= t <= vmax - margin]
        self._last = (key, kept)
        return list(kept)


def to_num(day: dt.date) -> float:
    """A date as a matplotlib date number."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]
