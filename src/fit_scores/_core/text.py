"""Elementwise text for error reasons: whole columns of messages without a Python loop per row.

The validators build one reason per bad cell (``"item_3 = 10.5 is outside
..."``); these helpers join text parts over whole arrays with numpy's string
functions.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "ID_GIVEN_AS",
    "KEY_GIVEN_AS",
    "MAX_IDENTIFIER",
    "as_text",
    "cat",
    "check_identifiers",
    "identifier",
    "identifier_text",
    "iso_dates",
    "key_text",
    "plain_identifiers",
    "reprs",
    "required",
]

BoolArray = npt.NDArray[np.bool_]

#: The longest identifier, in characters (after normalisation).
MAX_IDENTIFIER = 200
#: What an identifier may be given as (a whole number is read as its decimal digits:
#: register ids are often numbers).
ID_GIVEN_AS = "text or a whole number"
#: What a key (a scale, a rater) may be given as.
KEY_GIVEN_AS = "text"


def required(column: str) -> str:
    """The reason of a missing value that the row cannot do without (on every path).

    Examples
    --------
    >>> required("date")
    'date is required'
    """
    return f"{column} is required"


ObjArray = npt.NDArray[np.object_]
IntArray = npt.NDArray[np.int64]


def as_text(values: npt.ArrayLike) -> npt.NDArray[np.str_]:
    """Values as text (floats as their shortest round-trip decimal).

    Examples
    --------
    >>> as_text([7.5, 10.0]).tolist()
    ['7.5', '10.0']
    """
    return np.asarray(values).astype(str)


def cat(*parts: str | npt.ArrayLike) -> ObjArray:
    """Elementwise concatenation of text parts (strings broadcast).

    Examples
    --------
    >>> cat("age ", np.array([3, 140]), " years").tolist()
    ['age 3 years', 'age 140 years']
    >>> cat("age ", np.array([], dtype=np.int64)).size
    0
    """
    if any(not isinstance(p, str) and np.size(p) == 0 for p in parts):
        return np.zeros(0, dtype=object)  # nothing to report: no text to build
    out: Any = parts[0] if isinstance(parts[0], str) else as_text(parts[0])
    for part in parts[1:]:
        out = np.strings.add(out, part if isinstance(part, str) else as_text(part))
    return np.asarray(out).astype(object)


def reprs(values: ObjArray) -> npt.NDArray[np.str_]:
    """``repr`` of every value (text in quotes, as in the messages of the records).

    A numpy scalar is shown as its Python value (``7.5``, not ``np.float64(7.5)``).

    Examples
    --------
    >>> reprs(np.array(["7,5", None, np.float64(7.5)], dtype=object)).tolist()
    ["'7,5'", 'None', '7.5']
    """
    return np.array(list(map(_shown, values)), dtype=str)


def key_text(value: object, column: str) -> tuple[str | None, str]:
    """The text of a key (a scale, a rater) and the reason if it is not text, on every path.

    Examples
    --------
    >>> key_text("ORS", "scale"), key_text(5, "scale"), key_text("", "scale")
    (('ORS', ''), (None, 'scale = 5: give text'), (None, 'scale is required'))
    """
    if isinstance(value, str):
        if value:
            return value, ""
        return None, required(column)  # (an empty field of a table is a missing value)
    if value is None:
        return None, required(column)
    return None, f"{column} = {_shown(value)}: give {KEY_GIVEN_AS}"


def _shown(value: object) -> str:
    """``repr`` of a value as the user wrote it (a numpy scalar as its Python value)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def iso_dates(days: IntArray) -> npt.NDArray[np.str_]:
    """Days since 1970-01-01 as ISO ``YYYY-MM-DD`` text.

    Examples
    --------
    >>> iso_dates(np.array([0, 20098])).tolist()
    ['1970-01-01', '2025-01-10']
    """
    return np.datetime_as_string(days.astype("datetime64[D]"))


def identifier_text(value: object, column: str) -> tuple[str | None, str]:
    """The text of an identifier given as text or a whole number, and the reason if not one.

    The rule of every path: a record's id field, the label columns of a
    table (vectorised in :func:`fit_scores.io.columns.parse_labels`) and
    the yearly tables. A whole number (``int`` or a numpy integer, not a
    ``bool``) is read as its decimal digits; ``None`` is a missing id;
    anything else is refused. The text is then checked by :func:`identifier`.

    Examples
    --------
    >>> identifier_text(17, "person"), identifier_text("p1", "person")
    (('17', ''), ('p1', ''))
    >>> identifier_text(1.5, "person")
    (None, 'person = 1.5: give text or a whole number')
    >>> identifier_text(None, "person")
    (None, 'person is required')
    """
    if isinstance(value, str):
        return value, ""
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return str(int(value)), ""
    if value is None:
        return None, required(column)
    return None, f"{column} = {_shown(value)}: give {ID_GIVEN_AS}"


def identifier(value: str, column: str) -> tuple[str, str]:
    r"""One identifier: its normal form and the reason it is not one (``""`` if it is).

    The rule of :func:`check_identifiers` for one value (what a record's id
    field runs).

    Examples
    --------
    >>> identifier(" p1 ", "person")
    ('p1', '')
    >>> print(identifier("p\x001", "person")[1])
    person = 'p\x001' contains U+0000, a control or invisible character; remove it
    """
    simple = value.isascii() and value.isprintable() and value.strip() == value
    if simple and 0 < len(value) <= MAX_IDENTIFIER:
        return value, ""
    text = unicodedata.normalize("NFC", value).strip()
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf"):
            name = unicodedata.name(ch, "")
            return text, (
                f"{column} = {value!r} contains U+{ord(ch):04X}{' ' + name if name else ''}, "
                "a control or invisible character; remove it"
            )
    if not text:
        return text, f"{column} = {value!r} is blank; give an id or leave it empty"
    if len(text) > MAX_IDENTIFIER:
        return text, f"{column} is {len(text)} characters long; an id has at most {MAX_IDENTIFIER}"
    return text, ""


#: Labels up to this many characters wide are checked a place at a time.
_PLACE_BY_PLACE = 64


def check_identifiers(labels: npt.ArrayLike, column: str) -> tuple[ObjArray, ObjArray]:
    r"""Identifiers in normal form, and the reason for each that is not one.

    An identifier (a person, rater, episode, family or member id) is taken in
    Unicode normal form C with the white space at either end removed, so that
    "Åse" typed as one character or as "A" and a combining ring, or with a
    trailing space, is one person. An identifier that contains a control or
    format character (Unicode categories Cc and Cf: line breaks, tabs, NUL,
    zero-width spaces and joiners, direction marks, the byte order mark) is
    not one: such characters are invisible in a report, so two ids that look
    the same would be two people. Empty after stripping, or longer than
    :data:`MAX_IDENTIFIER` characters, is not one either.

    Only labels with a character outside printable ASCII (or a space at
    either end) are looked at one by one; the others are identifiers as they
    are, decided on the code points of the whole array.

    Parameters
    ----------
    labels : array_like of str
        Distinct values of an identifier column.
    column : str
        The column or field name, for the reasons.

    Returns
    -------
    normal : ndarray of object
        Every label in normal form (the labels themselves, as an object
        array, where every one is an identifier as it is).
    reasons : ndarray of object
        ``""`` where the label is an identifier, else why it is not.

    Examples
    --------
    >>> normal, reasons = check_identifiers(["A\u030ase ", "p\u200b1", "p1"], "person")
    >>> normal.tolist() == ["\u00c5se", "p\u200b1", "p1"]
    True
    >>> print(reasons[1].split(",")[0])
    person = 'p\u200b1' contains U+200B ZERO WIDTH SPACE
    >>> reasons[0], reasons[2]
    ('', '')
    """
    given = np.asarray(labels)
    n = given.shape[0]
    reasons = np.full(n, "", dtype=object)
    if n == 0:
        return np.asarray(given, dtype=object), reasons
    simple = plain_identifiers(given)
    normal = np.asarray(given, dtype=object)
    odd = np.flatnonzero(~simple)
    if odd.size:
        normal = normal.copy()
        for i in odd.tolist():
            normal[i], reasons[i] = identifier(str(normal[i]), column)
    return normal, reasons


def plain_identifiers(labels: npt.ArrayLike) -> BoolArray:
    """Which labels are identifiers as they are: the vectorised part of :func:`check_identifiers`.

    A label is plain when it is 1 to :data:`MAX_IDENTIFIER` characters of
    printable ASCII without a space at either end; only the other labels need
    a look one by one. Decided on the code points of the whole array.

    Examples
    --------
    >>> plain_identifiers(np.array(["p1", " p1", "Åse", ""])).tolist()
    [True, False, False, False]
    """
    given = np.asarray(labels)
    n = given.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    text = given if given.dtype.kind == "U" else given.astype(str)
    # (fixed-width text drops trailing NULs: such a label is looked at as it was given)
    kept = None
    if given.dtype.kind != "U" and "\x00" in "".join(map(str, given.tolist())):
        kept = np.fromiter(map(len, map(str, given.tolist())), dtype=np.intp, count=n)
    width = max(text.dtype.itemsize // 4, 1)
    points = np.ascontiguousarray(text).view(np.uint32).reshape(n, width)
    lengths = np.asarray(np.strings.str_len(text), dtype=np.intp)
    # printable ASCII (0x20-0x7E) or the padding of shorter labels (0); a NUL inside a
    # label is told from padding by the count of non-zero code points (place by place:
    # reductions along the short rows of the matrix are slow)
    if width <= _PLACE_BY_PLACE:
        allowed = np.ones(n, dtype=bool)
        nonzero = np.zeros(n, dtype=np.intp)
        for j in range(width):
            place = points[:, j]
            allowed &= ((place - np.uint32(0x20)) < np.uint32(0x5F)) | (place == 0)
            nonzero += place != 0
    else:
        allowed = (((points - np.uint32(0x20)) < np.uint32(0x5F)) | (points == 0)).all(axis=1)
        nonzero = np.count_nonzero(points, axis=1)
    last = np.take_along_axis(points, np.maximum(lengths - 1, 0)[:, np.newaxis], axis=1)[:, 0]
    simple = (
        allowed
        & (nonzero == lengths)
        & (points[:, 0] != 0x20)
        & (last != 0x20)
        & (lengths > 0)
        & (lengths <= MAX_IDENTIFIER)
    )
    if kept is not None:
        simple &= lengths == kept
    return np.asarray(simple, dtype=bool)
