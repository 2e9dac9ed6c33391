"""Deterministic, thread-safe rendering of figures to SVG, PNG and PDF bytes.

For services that embed charts server-side: the same figure content gives the
same bytes in every run, every process and every thread. Nothing here uses
pyplot or changes :data:`matplotlib.rcParams` (not even temporarily, which
would be process-wide and not thread-safe); every call builds its own
buffer, metadata and backend canvas, and nothing mutable is shared between
calls.

What makes the bytes stable:

- **No metadata.** Matplotlib writes a creator string and a date by default
  (SVG: ``dc:date``, ``dc:format``, ``dc:type`` and ``Matplotlib vX,
  https://matplotlib.org/`` in an RDF ``<metadata>`` block; PNG: a
  ``Software`` text chunk; PDF: ``Creator``, ``Producer`` and
  ``CreationDate`` in the Info dictionary, the date taken from
  ``SOURCE_DATE_EPOCH`` when that is set). :func:`render` removes all of them,
  so ``SOURCE_DATE_EPOCH`` plays no part either (except that matplotlib's PDF
  writer still parses it: a value that is not an integer is reported as a
  ValueError before drawing).
- **Stable SVG ids.** Matplotlib names clip paths, markers and hatches with a
  hash salted by ``rcParams['svg.hashsalt']``, a fresh random UUID when that is
  None (the default). :func:`render` renames every generated id in order of
  first definition to ``fs-<digest>-<n>``, where ``<digest>`` is a hash of the
  document with its ids normalised, and rewrites every reference to them
  (``url(#...)``, ``xlink:href="#..."``). Equal content gives equal ids;
  different charts embedded in one HTML page do not share ids. Ids chosen by
  the chart code (artist gids, :meth:`matplotlib.artist.Artist.set_gid`) are
  kept as they are.
- **Fixed fonts.** Text is drawn as paths from DejaVu Sans, which ships with
  matplotlib. Text whose font family is only a generic name (``sans-serif``,
  resolved through the process-wide rcParams) is set to DejaVu Sans before
  drawing; explicitly named families are left alone.

Text from data is escaped by matplotlib's SVG writer (``&``, ``<``, ``>``,
quotes). Matplotlib also copies every text string into an XML comment next to
its glyph paths; :func:`render` drops those comments, so data text does not
appear in the SVG at all (the chart's words belong in its alt text, see
:func:`fit_scores.charts.describe`).
"""

from __future__ import annotations

import hashlib
import html
import io
import math
import numbers
import os
import re
from collections.abc import Callable
from typing import Any, Literal

import matplotlib.figure
from matplotlib.artist import Artist
from matplotlib.axis import Axis
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.text import Text

from fit_scores.charts._style import BACKGROUND, FONT_FAMILY
from fit_scores.errors import ChartInputError

#: The lowest resolution :func:`render` draws at (dots per inch): below it text has no size.
MIN_DPI = 10
#: The highest resolution :func:`render` draws at (dots per inch): print quality is 300-600.
MAX_DPI = 2400
#: The largest PNG side in pixels (matplotlib's Agg renderer refuses 2**16 and more).
MAX_PIXELS = 32768

__all__ = ["new_figure", "render"]

Format = Literal["svg", "png", "pdf"]
FORMATS: tuple[Format, ...] = ("svg", "png", "pdf")

# Generic family names that matplotlib resolves through rcParams['font.<name>'].
_GENERIC_FAMILIES = frozenset(
    {"sans-serif", "sans serif", "sans", "serif", "monospace", "cursive", "fantasy"}
)

# Comments (matplotlib writes each text string in one), tags, attributes.
_COMMENT = re.compile(r"[ \t]*<!--.*?-->[ \t]*\n?", re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")
_ATTRIBUTE = re.compile(r"""(?<=\s)([^\s=<>"'/]+)=("[^"]*"|'[^']*')""")
_URL_REFERENCE = re.compile(r"url\(#([^()\s\"']+)\)")


def new_figure(
    width: float = 6.4, height: float = 4.8, *, dpi: float = 100
) -> matplotlib.figure.Figure:
    """A new, empty figure built without pyplot, ready for :func:`render`.

    Parameters
    ----------
    width, height : float, default 6.4 and 4.8
        Size in inches.
    dpi : float, default 100
        Dots per inch for raster output (PNG) and rasterised artists.

    Returns
    -------
    matplotlib.figure.Figure
        A figure with a white background and its own
        :class:`~matplotlib.backend_bases.FigureCanvasBase`; no pyplot figure
        manager keeps a reference to it, so it is freed like any other object.
        Fonts are fixed per artist when rendering (see :func:`render`), never
        through rcParams.

    Raises
    ------
    ValueError
        If a size or the dpi is not a finite positive number.

    Examples
    --------
    >>> fig = new_figure(4, 3)
    >>> ax = fig.add_subplot()
    >>> _ = ax.plot([1, 2, 3], [20.0, 24.5, 27.0])
    >>> render(fig, "svg").startswith(b"<?xml")
    True
    """
    width = _positive("width", width)
    height = _positive("height", height)
    dpi = _positive("dpi", dpi)
    fig = matplotlib.figure.Figure(
        figsize=(width, height), dpi=dpi, facecolor=BACKGROUND, edgecolor=BACKGROUND
    )
    FigureCanvasBase(fig)
    return fig


def render(
    fig: matplotlib.figure.Figure,
    format: Format = "svg",
    *,
    dpi: float | None = None,
) -> bytes:
    r"""Render a figure to SVG, PNG or PDF bytes, deterministically.

    Safe to call from many threads at once, each with its own figure. Uses no
    pyplot and leaves :data:`matplotlib.rcParams` untouched.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to draw (for example from :func:`new_figure` or a chart
        function). Do not draw the same figure from two threads at once.
    format : {"svg", "png", "pdf"}, default "svg"
        Output format.
    dpi : float, optional
        Dots per inch for PNG and for rasterised artists in SVG/PDF; the
        figure's own dpi by default. SVG and PDF are otherwise vector output
        in points.

    Returns
    -------
    bytes
        The file contents. Byte-identical for the same figure content, with
        the same matplotlib version, in every run, process and thread: no
        dates, no software or creator strings, stable SVG ids.

    Raises
    ------
    ChartInputError
        If *fig* is not a :class:`matplotlib.figure.Figure`, *format* is not
        one of the three formats, *dpi* is not a finite positive number
        from :data:`MIN_DPI` to :data:`MAX_DPI`, or a PNG would be more than :data:`MAX_PIXELS` on a
        side.
    ValueError
        For PDF if the environment variable
        ``SOURCE_DATE_EPOCH`` is set but not an integer (matplotlib's PDF
        writer parses it although no date is written).

    Notes
    -----
    Before drawing, text artists whose font family is only a generic name
    (which matplotlib would resolve through the process-wide rcParams) are set
    to DejaVu Sans, and so are tick labels; this is the only change made to
    the figure. Matplotlib's SVG writer escapes ``&``, ``<``, ``>`` and quotes
    in text and attributes; the XML comments in which it repeats each text
    string are removed. Text is drawn as glyph paths, so the SVG needs no
    fonts to display.

    Examples
    --------
    >>> fig = new_figure(4, 3)
    >>> ax = fig.add_subplot()
    >>> _ = ax.set_title("Tom & Jerry <3")
    >>> render(fig) == render(fig)
    True
    >>> render(fig, "png")[:8]
    b'\x89PNG\r\n\x1a\n'
    >>> render(fig, "gif")
    Traceback (most recent call last):
    ...
    fit_scores.errors.ChartInputError: format must be one of 'svg', 'png', 'pdf', got 'gif'
    """
    if not isinstance(fig, matplotlib.figure.Figure):
        raise ChartInputError(f"fig must be a matplotlib.figure.Figure, got {type(fig).__name__}")
    if not isinstance(format, str) or format not in FORMATS:
        raise ChartInputError(
            f"format must be one of {', '.join(repr(f) for f in FORMATS)}, got {format!r}"
        )
    resolved_dpi = float(fig.dpi) if dpi is None else _positive("dpi", dpi)
    if not MIN_DPI <= resolved_dpi <= MAX_DPI:
        raise ChartInputError(f"dpi must be from {MIN_DPI} to {MAX_DPI}, got {dpi!r}")
    width, height = (float(v) * resolved_dpi for v in fig.get_size_inches())
    if min(width, height) < 1:
        raise ChartInputError(
            f"the figure is {width:.2f} x {height:.2f} pixels at dpi {resolved_dpi:g}: "
            "nothing can be drawn"
        )
    if format == "png" and max(width, height) > MAX_PIXELS:
        raise ChartInputError(
            f"a PNG of {width:.0f} x {height:.0f} pixels is too large (at most {MAX_PIXELS} "
            "on a side); lower dpi or the figure size"
        )
    if format == "pdf":
        _check_source_date_epoch()
    _pin_fonts(fig)
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format=format,
        dpi=resolved_dpi,
        metadata=_METADATA[format](),
        facecolor=fig.get_facecolor(),
        edgecolor=fig.get_edgecolor(),
        transparent=False,
    )
    data = buffer.getvalue()
    if format == "svg":
        data = _stable_svg(data.decode("utf-8"), _user_ids(fig)).encode("utf-8")
    return data


def _svg_metadata() -> dict[str, Any]:
    # Date None also stops matplotlib from reading SOURCE_DATE_EPOCH; with every
    # key None no <metadata> element is written at all.
    return {"Creator": None, "Date": None, "Format": None, "Type": None}


def _png_metadata() -> dict[str, Any]:
    return {"Software": None}


def _pdf_metadata() -> dict[str, Any]:
    return {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None}


# Factories, so that every call gets fresh dictionaries.
_METADATA: dict[str, Callable[[], dict[str, Any]]] = {
    "svg": _svg_metadata,
    "png": _png_metadata,
    "pdf": _pdf_metadata,
}


def _positive(name: str, value: object) -> float:
    """A finite positive real number, or a ChartInputError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ChartInputError(f"{name} must be a finite positive number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        raise ChartInputError(f"{name} must be a finite positive number, got {value!r}") from None
    if not math.isfinite(number) or number <= 0:
        raise ChartInputError(f"{name} must be a finite positive number, got {value!r}")
    return number


def _check_source_date_epoch() -> None:
    # Matplotlib's PDF writer parses SOURCE_DATE_EPOCH even when no date is
    # written; a malformed value would fail deep inside it.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            int(epoch)
        except ValueError:
            raise ChartInputError(
                "the environment variable SOURCE_DATE_EPOCH must be an integer if set, "
                f"got {epoch!r}; matplotlib's PDF writer parses it even though render() "
                "writes no date"
            ) from None


def _is_generic(family: str | list[str]) -> bool:
    names = [family] if isinstance(family, str) else family
    return all(name.lower() in _GENERIC_FAMILIES for name in names)


def _artists(fig: matplotlib.figure.Figure) -> list[Artist]:
    """Every artist of the figure, without asking axes for their ticks.

    ``Figure.findobj`` walks ``Axis.get_children``, which makes matplotlib
    locate and build all ticks (slow with date axes); tick labels are handled
    through ``tick_params`` instead, so only an axis's label and offset text
    are visited here.
    """
    found: list[Artist] = []
    stack: list[Artist] = [fig]
    while stack:
        artist = stack.pop()
        found.append(artist)
        if isinstance(artist, Axis):
            stack.extend([artist.label, artist.offsetText])
        else:
            stack.extend(artist.get_children())
    return found


def _pin_fonts(fig: matplotlib.figure.Figure) -> None:
    """Set DejaVu Sans on text that would otherwise follow the global rcParams."""
    for text in _artists(fig):
        if isinstance(text, Text) and _is_generic(text.get_fontfamily()):
            text.set_fontfamily(FONT_FAMILY)
    for ax in fig.get_axes():
        axes: tuple[tuple[Literal["x", "y"], Axis], ...] = (("x", ax.xaxis), ("y", ax.yaxis))
        for name, axis in axes:
            labels = axis.get_ticklabels(which="both")
            if all(_is_generic(label.get_fontfamily()) for label in labels):
                # Also applies to the ticks matplotlib creates while drawing.
                ax.tick_params(axis=name, which="both", labelfontfamily=FONT_FAMILY)


def _user_ids(fig: matplotlib.figure.Figure) -> frozenset[str]:
    """The ids chosen by chart code (artist gids): kept as they are."""
    return frozenset(gid for artist in _artists(fig) if (gid := artist.get_gid()))


def _rename_ids(svg: str, keep: frozenset[str], prefix: str) -> str:
    """Rename generated ids to ``prefix + n`` and rewrite the references to them."""
    mapping: dict[str, str] = {}
    for tag_match in _TAG.finditer(svg):
        if tag_match.group().startswith(("<?", "<!")):
            continue
        for attribute_match in _ATTRIBUTE.finditer(tag_match.group()):
            if attribute_match.group(1) == "id":
                old = attribute_match.group(2)[1:-1]
                if old not in mapping and html.unescape(old) not in keep:
                    mapping[old] = f"{prefix}{len(mapping)}"

    def rewrite_reference(match: re.Match[str]) -> str:
        return f"url(#{mapping.get(match.group(1), match.group(1))})"

    def rewrite_attribute(match: re.Match[str]) -> str:
        name, quoted = match.group(1), match.group(2)
        quote, value = quoted[0], quoted[1:-1]
        if name == "id":
            value = mapping.get(value, value)
        elif (name == "href" or name.endswith(":href")) and value.startswith("#"):
            value = "#" + mapping.get(value[1:], value[1:])
        else:
            value = _URL_REFERENCE.sub(rewrite_reference, value)
        return f"{name}={quote}{value}{quote}"

    def rewrite_tag(match: re.Match[str]) -> str:
        text = match.group()
        if text.startswith(("<?", "<!")):
            return text
        return _ATTRIBUTE.sub(rewrite_attribute, text)

    return _TAG.sub(rewrite_tag, svg)


def _stable_svg(svg: str, keep: frozenset[str] = frozenset()) -> str:
    """Drop comments and replace matplotlib's random ids by content-derived ones."""
    svg = _COMMENT.sub("", svg)
    normalised = _rename_ids(svg, keep, "id")
    digest = hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:10]
    return _rename_ids(svg, keep, f"fs-{digest}-")
