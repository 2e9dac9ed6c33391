"""A deterministic label placer: no two texts overlap and none leaves the figure.

Chart code adds each label as an annotation anchored at a point (a score, the
end of a line, a cutoff) with an ordered list of candidate offsets. After the
axes, limits and ticks are final, :meth:`LabelPlacer.place` measures every
fixed text (titles, axis labels, tick labels, notes that are not placed) and
the data marks (markers, lines), then gives each label, in the order added,
the first candidate whose box is inside the figure (and inside its region, if
it has one) and clear of every text and mark placed so far. A label for which
no candidate fits is hidden and reported, never drawn on top of another. The
same figure always gets the same placement: there is no randomness and no
iteration to convergence (unlike force-directed placers such as ggrepel).

:func:`text_boxes` lists the window extent of every visible text of a figure;
the tests walk it to check that no two overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from fit_scores.errors import ChartInputError

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

__all__ = [
    "AROUND",
    "AROUND_WIDE",
    "Candidate",
    "LabelPlacer",
    "fit_width",
    "renderer_of",
    "stacked",
    "text_boxes",
]

#: An offset in points from the anchor and the text alignment there.
Candidate = tuple[float, float, str, str]

#: Around a point: above, below, right, left, then the diagonals, then further out.
AROUND: tuple[Candidate, ...] = (
    (0, 8, "center", "bottom"),
    (0, -8, "center", "top"),
    (8, 0, "left", "center"),
    (-8, 0, "right", "center"),
    (7, 7, "left", "bottom"),
    (-7, 7, "right", "bottom"),
    (7, -7, "left", "top"),
    (-7, -7, "right", "top"),
    (0, 20, "center", "bottom"),
    (0, -20, "center", "top"),
    (16, 14, "left", "bottom"),
    (-16, 14, "right", "bottom"),
    (16, -14, "left", "top"),
    (-16, -14, "right", "top"),
    (0, 34, "center", "bottom"),
    (0, -34, "center", "top"),
)

#: For longer notes: AROUND, then left, right, above and below at growing distances.
AROUND_WIDE: tuple[Candidate, ...] = AROUND + tuple(
    c
    for dy in (6, -6, 12, -12, 18, -18, 24, -24, 30, -30, 36, -36, 42, -42, 48, -48, 54, -54)
    for c in (
        (-8.0, float(dy), "right", "center"),
        (8.0, float(dy), "left", "center"),
        (0.0, float(dy), "center", "bottom" if dy > 0 else "top"),
    )
)

PAD_PX = 1.5  # clearance kept around every box, in pixels at the figure's dpi


def stacked(step: float = 3.0, count: int = 60, *, dx: float = 4.0) -> tuple[Candidate, ...]:
    """Candidates for a label beside a line end: level, then up and down in ``step`` points."""
    out: list[Candidate] = [(dx, 0.0, "left", "center")]
    for k in range(1, count + 1):
        out.append((dx, k * step, "left", "center"))
        out.append((dx, -k * step, "left", "center"))
    return tuple(out)


def renderer_of(fig: Figure) -> RendererBase:
    """An Agg renderer for measuring text (the figure gets an Agg canvas of its own)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer: RendererBase = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return renderer


def _box(text: Text, renderer: RendererBase) -> Bbox:
    return text.get_window_extent(renderer)


def _tick_labels(fig: Figure) -> list[Text]:
    found: list[Text] = []
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.get_visible():
                continue
            low, high = sorted(axis.get_view_interval())
            span = high - low
            for tick in axis.get_major_ticks():
                loc = tick.get_loc()
                if loc is None or not (low - 1e-9 * span <= loc <= high + 1e-9 * span):
                    continue
                for label in (tick.label1, tick.label2):
                    if label.get_visible() and label.get_text():
                        found.append(label)
    return found


def _texts(fig: Figure) -> list[Text]:
    found: list[Text] = []
    stack: list[object] = [fig]
    seen: set[int] = set()
    while stack:
        artist = stack.pop()
        if id(artist) in seen:
            continue
        seen.add(id(artist))
        if isinstance(artist, Text):
            if artist.get_visible() and artist.get_text().strip():
                found.append(artist)
            continue
        # axis objects: only their label and offset text (tick labels come separately)
        from matplotlib.axis import Axis

        if isinstance(artist, Axis):
            stack.extend([artist.label, artist.offsetText])
            continue
        get = getattr(artist, "get_children", None)
        if get is not None and getattr(artist, "get_visible", lambda: True)():
            stack.extend(get())
    return found


def text_boxes(fig: Figure) -> list[tuple[Text, Bbox]]:
    """Every visible, non-empty text of ``fig`` (tick labels included) with its window extent.

    The figure is laid out first (drawn without rendering), so tick labels
    are those that will be drawn.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(3, 2)); ax = fig.add_subplot(); _ = ax.set_title("T")
    >>> [t.get_text() for t, _ in text_boxes(fig)][:1]
    ['T']
    """
    renderer = renderer_of(fig)
    fig.draw_without_rendering()
    texts = _texts(fig) + _tick_labels(fig)
    return [(t, _box(t, renderer)) for t in texts]


def fit_width(text: Text, renderer: RendererBase, width_px: float) -> None:
    """Wrap ``text`` at spaces (and shorten a word with "…" if need be) to ``width_px``."""
    original = text.get_text()
    if _box(text, renderer).width <= width_px:
        return
    lines: list[str] = []
    for paragraph in original.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            trial = word if not current else f"{current} {word}"
            text.set_text(trial)
            if _box(text, renderer).width <= width_px or not current:
                current = trial
            else:
                lines.append(current)
                current = word
        lines.append(current)
    fixed: list[str] = []
    for line in lines:
        text.set_text(line)
        while _box(text, renderer).width > width_px and len(line) > 1:
            line = line[:-2] + "\u2026"
            text.set_text(line)
        fixed.append(line)
    text.set_text("\n".join(fixed))


@dataclass
class _Request:
    text: Annotation
    candidates: Sequence[Candidate]
    ax: object
    region: str | None


@dataclass
class LabelPlacer:
    """Collects labels of one figure and places them without overlap (see the module docs).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(3, 2)); ax = fig.add_subplot(); _ = ax.set_xlim(0, 1)
    >>> placer = LabelPlacer(fig)
    >>> a = placer.add(ax, "first", (0.5, 0.5)); b = placer.add(ax, "second", (0.5, 0.5))
    >>> placer.place()
    []
    >>> bool(a.get_window_extent().overlaps(b.get_window_extent()))
    False
    """

    figure: Figure
    requests: list[_Request] = field(default_factory=list)

    def add(
        self,
        ax: object,
        text: str,
        xy: tuple[float, float],
        *,
        candidates: Sequence[Candidate] = AROUND,
        xycoords: object = "data",
        region: str | None = None,
        **kwargs: object,
    ) -> Annotation:
        """Add a label anchored at ``xy`` (in ``xycoords``) on axes ``ax``; returns the artist.

        ``region="axes"`` keeps the label inside the axes, ``"right"`` in the
        margin to the right of the axes; by default it may go anywhere in the
        figure.
        """
        dx, dy, ha, va = candidates[0]
        ann: Annotation = ax.annotate(  # type: ignore[attr-defined]
            text,
            xy,
            xycoords=xycoords,
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            annotation_clip=False,
            **kwargs,
        )
        if region not in (None, "axes", "right"):
            raise ChartInputError(f"region must be 'axes' or 'right', got {region!r}")
        self.requests.append(_Request(ann, tuple(candidates), ax, region))
        return ann

    def place(self) -> list[Annotation]:
        """Place every label; returns the labels that had to be hidden (none, usually)."""
        fig = self.figure
        renderer = renderer_of(fig)
        mine = {id(r.text) for r in self.requests}
        for r in self.requests:
            r.text.set_visible(False)
        for ax in fig.get_axes():  # ticks and their labels as they will be drawn
            ax.xaxis.get_tightbbox(renderer)
            ax.yaxis.get_tightbbox(renderer)
        fixed = [t for t in _texts(fig) + _tick_labels(fig) if id(t) not in mine]
        boxes = [_padded(_box(t, renderer)) for t in fixed]
        markers, lines = _mark_points(fig)
        limit = Bbox(fig.bbox.get_points().copy())
        hidden: list[Annotation] = []
        for r in self.requests:
            r.text.set_visible(True)
            region = limit if r.region is None else _region(r.ax, r.region)
            if r.region == "right":  # a long label wraps to the margin's width
                dx = max(abs(c[0]) for c in r.candidates) * fig.dpi / 72.0
                fit_width(r.text, renderer, region.width - dx - 4 * PAD_PX)
            # first clear of every line and marker; else (on its white box) clear of markers
            for strict in (True, False):
                if self._try(r, renderer, boxes, limit, region, markers, lines if strict else None):
                    break
            else:
                r.text.set_visible(False)
                hidden.append(r.text)
        return hidden

    @staticmethod
    def _try(
        r: _Request,
        renderer: RendererBase,
        boxes: list[Bbox],
        limit: Bbox,
        region: Bbox,
        markers: np.ndarray,
        lines: np.ndarray | None,
    ) -> bool:
        # measure once; every candidate box follows from the anchor, the offset and the
        # alignment (unrotated text: matplotlib aligns the whole layout box, descent included)
        first = r.candidates[0]
        r.text.xyann = (first[0], first[1])
        r.text.set_horizontalalignment(first[2])  # type: ignore[arg-type]
        r.text.set_verticalalignment(first[3])  # type: ignore[arg-type]
        b0 = _box(r.text, renderer)
        width, height = b0.width, b0.height
        scale = r.text.figure.dpi / 72.0  # type: ignore[union-attr,unused-ignore]
        px0 = {"left": b0.x0, "center": (b0.x0 + b0.x1) / 2, "right": b0.x1}[first[2]]
        py0 = {"bottom": b0.y0, "center": (b0.y0 + b0.y1) / 2, "top": b0.y1}[first[3]]
        ax_, ay_ = px0 - first[0] * scale, py0 - first[1] * scale
        for dx, dy, ha, va in r.candidates:
            px, py = ax_ + dx * scale, ay_ + dy * scale
            x0 = {"left": px, "center": px - width / 2, "right": px - width}[ha]
            y0 = {"bottom": py, "center": py - height / 2, "top": py - height}[va]
            box = _padded(Bbox([[x0, y0], [x0 + width, y0 + height]]))
            if not _inside(box, limit) or not _inside(box, _padded(region, 2 * PAD_PX)):
                continue
            if any(box.overlaps(b) for b in boxes):
                continue
            if markers.size and _covers(box, markers):
                continue
            if lines is not None and lines.size and _covers(box, lines):
                continue
            r.text.xyann = (dx, dy)
            r.text.set_horizontalalignment(ha)  # type: ignore[arg-type]
            r.text.set_verticalalignment(va)  # type: ignore[arg-type]
            boxes.append(box)
            return True
        return False


def _region(ax: object, name: str) -> Bbox:
    pos = ax.get_window_extent()  # type: ignore[attr-defined]
    fig_box = ax.figure.bbox  # type: ignore[attr-defined]
    if name == "axes":
        return Bbox(pos.get_points().copy())
    if name == "right":
        return Bbox([[pos.x1, pos.y0 - 30], [fig_box.x1, pos.y1 + 30]])
    raise ChartInputError(f"region must be 'axes' or 'right', got {name!r}")


def _padded(box: Bbox, pad: float = PAD_PX) -> Bbox:
    return Bbox([[box.x0 - pad, box.y0 - pad], [box.x1 + pad, box.y1 + pad]])


def _inside(box: Bbox, limit: Bbox) -> bool:
    return bool(
        box.x0 >= limit.x0 and box.y0 >= limit.y0 and box.x1 <= limit.x1 and box.y1 <= limit.y1
    )


def _covers(box: Bbox, points: np.ndarray) -> bool:
    inside = (
        (points[:, 0] > box.x0)
        & (points[:, 0] < box.x1)
        & (points[:, 1] > box.y0)
        & (points[:, 1] < box.y1)
    )
    return bool(inside.any())


def _mark_points(fig: Figure, spacing: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """Points (in pixels) around every marker, and along every visible line, of the figure."""
    found: list[np.ndarray] = []
    found_markers: list[np.ndarray] = []
    for ax in fig.get_axes():
        clip = ax.get_window_extent()
        chunks: list[np.ndarray] = []
        marks: list[np.ndarray] = []
        for line in ax.get_lines():
            if not isinstance(line, Line2D) or not line.get_visible():
                continue
            xy = np.asarray(line.get_xydata(), dtype=float)
            if xy.size == 0:
                continue
            px = line.get_transform().transform(xy)
            px = px[np.isfinite(px).all(axis=1)]
            if px.shape[0] == 0:
                continue
            if line.get_linestyle() not in ("None", "none", "", " ") and px.shape[0] > 1:
                seg = np.diff(px, axis=0)
                lengths = np.hypot(seg[:, 0], seg[:, 1])
                for start, step, length in zip(px[:-1], seg, lengths, strict=True):
                    n = max(2, int(length / spacing) + 1)
                    t = np.linspace(0.0, 1.0, n)[:, None]
                    chunks.append(start + t * step)
            if line.get_marker() not in ("None", "none", "", " ", None):
                r = float(line.get_markersize()) * fig.dpi / 72.0 / 2.0
                ring = np.array(
                    [[0, 0], [r, 0], [-r, 0], [0, r], [0, -r], [r, r], [-r, r], [r, -r], [-r, -r]]
                )
                marks.append((px[:, None, :] + ring[None, :, :]).reshape(-1, 2))
        for parts, out in ((chunks, found), (marks, found_markers)):
            if parts:
                allp = np.concatenate(parts)
                keep = (
                    (allp[:, 0] >= clip.x0 - 1)
                    & (allp[:, 0] <= clip.x1 + 1)
                    & (allp[:, 1] >= clip.y0 - 1)
                    & (allp[:, 1] <= clip.y1 + 1)
                )
                out.append(allp[keep])
    empty = np.zeros((0, 2))
    return (
        np.concatenate(found_markers) if found_markers else empty,
        np.concatenate(found) if found else empty,
    )
