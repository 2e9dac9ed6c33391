"""User text on charts: drawn literally, never as mathtext, with every character visible.

Names, titles and group names come from data. Matplotlib treats a pair of
``$`` as mathematical text (a stray one can crash the layout), cannot draw
control characters, and warns about characters its font lacks (which
``filterwarnings=error`` turns into a failure). :func:`plain_text` makes any
string safe to draw: ``$`` is escaped so that matplotlib draws it as a
dollar sign, control and format characters (C0, C1, zero-width, bidi
controls) become the visible replacement character U+FFFD, and characters
that DejaVu Sans (the chart font, shipped with matplotlib) has no glyph for
become U+FFFD as well. Right-to-left letters that the font has (Hebrew,
Arabic) are kept; matplotlib draws them in stored order, without shaping.
"""

from __future__ import annotations

import functools
import unicodedata

from matplotlib import ft2font
from matplotlib.font_manager import FontProperties, findfont

from fit_scores.charts._style import FONT_FAMILY

__all__ = ["REPLACEMENT", "plain_text", "svg_id_part"]

REPLACEMENT = "\ufffd"
"""The visible stand-in for a character that cannot be drawn."""


@functools.lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    # the font file never changes within a process: caching it changes no result
    path = findfont(FontProperties(family=FONT_FAMILY), fallback_to_default=False)
    return frozenset(ft2font.FT2Font(path).get_charmap())


def _drawable(char: str) -> bool:
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return False
    return char == " " or ord(char) in _glyphs()


def plain_text(text: str) -> str:
    r"""``text`` made safe to draw literally with matplotlib in DejaVu Sans.

    Parameters
    ----------
    text : str
        Any text, for example a person id or a group name from a file.

    Returns
    -------
    str
        ``$`` escaped as ``\$`` (matplotlib draws it as ``$`` and never
        switches to mathtext), and every character that cannot be drawn
        (control, format, unassigned, or missing from the font) replaced by
        U+FFFD, so that nothing disappears silently.

    Examples
    --------
    >>> plain_text("Kari $5 $x$")
    'Kari \\$5 \\$x\\$'
    >>> plain_text("a\x00b\u200bc") == "a\ufffdb\ufffdc"
    True
    """
    if not isinstance(text, str):
        text = str(text)
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char == "$":
            out.append("\\$")
        elif _drawable(char):
            out.append(char)
        else:
            out.append(REPLACEMENT)
    return "".join(out)


def svg_id_part(text: str) -> str:
    r"""``text`` as part of an SVG id: letters, digits, ``.`` and ``-`` kept, the rest coded.

    Every other character (spaces, quotes, ``&``, control characters) becomes
    ``_<hex>_``, so that distinct texts give distinct ids and no control
    character reaches the SVG.

    Examples
    --------
    >>> svg_id_part("Oslo øst"), svg_id_part("a\x00b")
    ('Oslo_20_øst', 'a_0_b')
    """
    out = []
    for char in unicodedata.normalize("NFC", str(text)):
        if (char.isalnum() and unicodedata.category(char)[0] in "LN") or char in "-.":
            out.append(char)
        else:
            out.append(f"_{ord(char):x}_")
    return "".join(out)
