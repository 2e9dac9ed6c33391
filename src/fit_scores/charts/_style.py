"""Colours, markers, line styles and text sizes shared by every chart.

No global state is changed: styling is passed to each artist. The palette is
derived from Okabe & Ito (2008), darkened where needed so that every colour
used for data marks has a contrast of at least 3:1 against the white
background (WCAG 2.1, non-text contrast); the accessibility tests check this
and the distinguishability of the colours under simulated colour-vision
deficiencies. Meaning is never carried by colour alone: every category also
has its own marker, and lines have their own style and a direct label.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = [
    "BACKGROUND",
    "CATEGORY_COLOURS",
    "CATEGORY_MARKERS",
    "COLOURS",
    "FAMILY_TEXT_SIZES",
    "FONT_FAMILY",
    "RATER_STYLES",
    "STATUS_COLOURS",
    "STATUS_MARKERS",
    "TEXT_SIZES",
    "VERDICT_COLOURS",
    "VERDICT_ICONS",
    "style_context",
]

BACKGROUND = "#FFFFFF"
FONT_FAMILY = "DejaVu Sans"  # ships with matplotlib: identical output on every machine

#: Named colours for data marks (all >= 3:1 against white).
COLOURS: dict[str, str] = {
    "score": "#0072B2",  # blue: the person's outcome scores
    "alliance": "#A8477F",  # reddish purple: alliance (session) scores
    "caretaker": "#B36200",  # dark orange: a caretaker's ratings
    "expected": "#3D3D3D",  # dark grey: the expected line
    "cutoff": "#000000",  # black: cutoff lines
    "text": "#1A1A1A",
    "muted": "#6E6E6E",  # grey: secondary text, unchanged category
    "band": "#0072B2",  # expected band (drawn with transparency)
    "rc_band": "#6E6E6E",  # no-clear-change zone around intake: hatched, dashed outline
    "collateral": "#007A5A",  # dark bluish green: ratings by another person
    "flag": "#C0392B",  # an alliance flag that is still current
}

#: One encoding per rater on every chart: (colour, line style, marker).
RATER_STYLES: dict[str, tuple[str, str, str]] = {
    "self": (COLOURS["score"], "-", "o"),
    "caretaker": (COLOURS["caretaker"], "--", "s"),
    "collateral": (COLOURS["collateral"], "-.", "^"),
}

#: The verdict per person: an icon (a glyph of DejaVu Sans) and a colour, always with a word.
VERDICT_ICONS: dict[str, str] = {
    "better": "\u25b2",  # black up-pointing triangle
    "same": "\u25c6",  # black diamond
    "worse": "\u25bc",  # black down-pointing triangle
    "too_early": "\u25cb",  # white circle
}
VERDICT_COLOURS: dict[str, str] = {
    "better": "#006A3B",
    "same": "#3D3D3D",
    "worse": "#B03A00",
    "too_early": "#5E5E5E",
}

#: Change categories: colour and marker (never colour alone).
CATEGORY_COLOURS: dict[str, str] = {
    "recovered": "#009E73",
    "non_reliably_recovered": "#006A3B",
    "improved": "#0072B2",
    "unchanged": "#555555",
    "deteriorated": "#D55E00",
    "harmed": "#A8477F",
}
CATEGORY_MARKERS: dict[str, str] = {
    "recovered": "*",
    "non_reliably_recovered": "P",
    "improved": "^",
    "unchanged": "o",
    "deteriorated": "v",
    "harmed": "X",
}

#: On-track status of a track against an expected-response model.
STATUS_COLOURS: dict[str, str] = {
    "on_track": "#009E73",
    "at_risk": "#8D4900",
    "off_track": "#D55E00",
    "not_enough_data": "#6E6E6E",
}
STATUS_MARKERS: dict[str, str] = {
    "on_track": "o",
    "at_risk": "D",
    "off_track": "s",
    "not_enough_data": "x",
}

#: Text sizes in points; large enough to read at phone width.
TEXT_SIZES: dict[str, float] = {"title": 15.0, "label": 13.0, "tick": 12.0, "note": 12.0}
#: Bigger type for the conversation view (audience="family").
FAMILY_TEXT_SIZES: dict[str, float] = {"title": 17.0, "label": 14.0, "tick": 13.0, "note": 13.0}


@contextlib.contextmanager
def style_context() -> Iterator[None]:
    """Opt-in matplotlib style for users' own pyplot figures.

    The library never changes rcParams itself; this context manager is for
    users who want their other figures to look like fit_scores charts. It
    changes matplotlib's process-wide settings while active, so do not use it
    in multi-threaded services.

    Examples
    --------
    >>> from fit_scores.charts import style_context
    >>> with style_context():
    ...     pass
    """
    import matplotlib as mpl

    settings: dict[str, Any] = {
        "font.family": FONT_FAMILY,
        "font.size": TEXT_SIZES["tick"],
        "axes.titlesize": TEXT_SIZES["title"],
        "axes.labelsize": TEXT_SIZES["label"],
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.facecolor": BACKGROUND,
        "axes.facecolor": BACKGROUND,
    }
    with mpl.rc_context(settings):  # type: ignore[arg-type]
        yield
