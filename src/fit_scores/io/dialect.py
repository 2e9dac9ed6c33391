r"""CSV dialects: the delimiter, the decimal comma, day-first dates and over-long fields.

Norwegian spreadsheets export CSV with a semicolon between fields, a decimal
comma (``7,5``) and dates written ``dd.mm.yyyy`` (``10.01.2025``), often with
a UTF-8 byte-order mark and ``\r\n`` line ends. :func:`detect_delimiter`
reads the delimiter from the header row; with a semicolon, the readers accept
the decimal comma and day-first dates (:func:`decimal_comma_to_point`,
:func:`day_first_to_iso`), or when asked with ``decimal=","`` and
``dayfirst=True``. Nothing is guessed from the values: a comma-separated file
never reads ``7,5`` as 7.5 or ``01.02.2025`` as a date unless asked.

The translation happens before the grammars of :mod:`fit_scores._core.grammars`
read the text: a cell is translated only when the result is valid (``7,5`` to
``7.5``; ``31.01.2025`` to ``2025-01-31``), so a cell that is wrong either way
keeps its own text in the error report.

:func:`limit_field_lengths` rejects the row of a field longer than
:data:`MAX_FIELD_LENGTH` characters (not the file).
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping

import numpy as np
import numpy.typing as npt

from fit_scores._core.cells import with_nul
from fit_scores._core.errorlog import ErrorLog
from fit_scores._core.grammars import parse_date_text, parse_number_text, str_lengths
from fit_scores.errors import FieldError, TableInputError
from fit_scores.io.tokenizer import EncodedText

__all__ = [
    "MAX_FIELD_LENGTH",
    "day_first_to_iso",
    "decimal_comma_to_point",
    "detect_delimiter",
    "limit_field_lengths",
    "resolve_dialect",
]

#: The longest field (in characters) a row may have; a longer one rejects its row.
MAX_FIELD_LENGTH = 10_000
#: Characters of an over-long field kept (then "…") in the table while its row is rejected.
_KEPT = 20
_QUOTED = re.compile(r'"[^"]*"')
_DAY_FIRST = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})\Z")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+\Z")

TextColumn = npt.NDArray[np.object_] | npt.NDArray[np.str_]


def detect_delimiter(data: str | bytes) -> str:
    r"""The delimiter of CSV text, read from its first line: ``;``, a tab, or ``,``.

    Outside quotes, a header with semicolons and no comma is semicolon-separated;
    one with tabs and neither comma nor semicolon is tab-separated; anything
    else (including a header with both commas and semicolons) is comma-separated.

    Examples
    --------
    >>> detect_delimiter("person;skala;dato;sum\r\np1;ORS;10.01.2025;19,5\r\n")
    ';'
    >>> detect_delimiter('person,scale,"date; first"\n'), detect_delimiter("person\tscale\n")
    (',', '\t')
    >>> detect_delimiter("ID;Skala;Dato;Sum\rp;ORS;10.01.2025;7,5\r")  # line ends of old Macs
    ';'
    """
    head = data[:65536]
    text = head.decode("utf-8", "replace") if isinstance(head, bytes | bytearray) else head
    line = re.split(r"[\r\n]", text.lstrip("\ufeff\r\n"), maxsplit=1)[0]  # (\r alone ends one)
    line = _QUOTED.sub("", line)
    if ";" in line and "," not in line:
        return ";"
    if "\t" in line and "," not in line and ";" not in line:
        return "\t"
    return ","


def resolve_dialect(delimiter: str, decimal: str | None, dayfirst: bool | None) -> tuple[str, bool]:
    """The decimal mark and whether dates are day-first, from the options and the delimiter.

    ``None`` means: follow the delimiter (a semicolon file has the decimal
    comma and day-first dates; any other, the decimal point and ISO dates).

    Examples
    --------
    >>> resolve_dialect(";", None, None), resolve_dialect(",", None, None)
    ((',', True), ('.', False))
    >>> resolve_dialect(",", ",", None)
    (',', False)
    """
    if decimal is None:
        decimal = "," if delimiter == ";" else "."
    if decimal not in (".", ","):
        raise TableInputError(f"decimal must be '.' or ',', got {decimal!r}")
    if dayfirst is None:
        dayfirst = delimiter == ";"
    if not isinstance(dayfirst, bool):
        raise TableInputError(f"dayfirst must be True or False, got {dayfirst!r}")
    return decimal, dayfirst


def _map_distinct(column: TextColumn, translate: Callable[[TextColumn], TextColumn]) -> TextColumn:
    """``translate`` applied to the distinct texts of the column once each."""
    if column.shape[0] == 0 or column.dtype.kind not in "UO":
        return column
    nul = with_nul(column)  # (fixed-width text would drop a trailing NUL)
    if nul is not None:  # such a text is not translated: the grammar refuses it as it is
        out = column.copy()
        out[~nul] = _map_distinct(column[~nul], translate)
        return out
    texts, codes = np.unique(column.astype(str), return_inverse=True)
    new = translate(texts)
    if np.array_equal(new, texts):
        return column
    out = new[codes.reshape(column.shape)]
    return out.astype(object) if column.dtype.kind == "O" else out


def decimal_comma_to_point(column: TextColumn) -> TextColumn:
    """Every text that is a number written with a decimal comma, written with a point.

    Only a text that is then a number (by
    :func:`~fit_scores._core.grammars.parse_number_text`) is changed; there are
    no thousands separators.

    Examples
    --------
    >>> import numpy as np
    >>> decimal_comma_to_point(np.array(["7,5", "10", "", "1,2,3", "7.5", "-0,25"])).tolist()
    ['7.5', '10', '', '1,2,3', '7.5', '-0.25']
    """

    def translate(texts: TextColumn) -> TextColumn:
        texts = np.asarray(texts, dtype=object)
        candidate = np.array([_DECIMAL_COMMA.match(t) is not None for t in texts], dtype=bool)
        if not candidate.any():
            return texts.astype(str)
        pointed = np.array([t.replace(",", ".") for t in texts[candidate]], dtype=str)
        _, ok = parse_number_text(pointed)
        out = texts.copy()
        out[np.flatnonzero(candidate)[ok]] = pointed[ok]
        return out.astype(str)

    return _map_distinct(column, translate)


def day_first_to_iso(column: TextColumn) -> TextColumn:
    """Every text that is a date written ``dd.mm.yyyy`` (or ``d.m.yyyy``), written ``yyyy-mm-dd``.

    Only a real calendar date is changed; ISO dates stay as they are.

    Examples
    --------
    >>> import numpy as np
    >>> day_first_to_iso(np.array(["10.01.2025", "1.2.2025", "31.02.2025", "2025-01-10"])
    ...                  ).tolist()
    ['2025-01-10', '2025-02-01', '31.02.2025', '2025-01-10']
    """

    def translate(texts: TextColumn) -> TextColumn:
        out = np.asarray(texts, dtype=object).copy()
        where, iso = [], []
        for i, text in enumerate(out.tolist()):
            match = _DAY_FIRST.match(text)
            if match is not None:
                d, m, y = match.groups()
                where.append(i)
                iso.append(f"{y}-{int(m):02d}-{int(d):02d}")
        if where:
            candidates = np.array(iso, dtype=str)
            _, ok = parse_date_text(candidates)
            out[np.array(where)[ok]] = candidates[ok]
        return out.astype(str)

    return _map_distinct(column, translate)


def limit_field_lengths(
    columns: MutableMapping[str, TextColumn | EncodedText],
    log: ErrorLog,
    limit: int = MAX_FIELD_LENGTH,
) -> None:
    """Reject the rows of fields longer than ``limit`` characters (the columns are changed).

    The field is logged as a :class:`~fit_scores.errors.FieldError` naming
    the column and its length, and replaced by its first characters and
    ``…`` (the row is rejected, so the value is never used).

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores._core.errorlog import ErrorLog
    >>> log = ErrorLog()
    >>> columns = {"coordinator": np.array(["Kari", "x" * 30], dtype=object)}
    >>> limit_field_lengths(columns, log, limit=25)
    >>> columns["coordinator"].tolist()
    ['Kari', 'xxxxxxxxxxxxxxxxxxxx…']
    >>> log.entries(["coordinator"])[3].tolist()
    ['coordinator: a field of 30 characters; the limit is 25']
    """
    for name, given in list(columns.items()):
        if isinstance(given, EncodedText):  # the distinct texts are looked at
            if not bool((str_lengths(given.texts) > limit).any()):
                continue
            given = given.decode()
        column = given
        if column.dtype.kind not in "UO":  # (a column the pyarrow engine read typed)
            continue
        if column.dtype.kind == "U" and column.dtype.itemsize // 4 <= limit:
            continue
        lengths = str_lengths(column)
        rows = np.flatnonzero(lengths > limit)
        if not rows.size:
            continue
        log.add(
            rows,
            name,
            FieldError,
            np.array(
                [
                    f"{name}: a field of {k} characters; the limit is {limit}"
                    for k in lengths[rows].tolist()
                ],
                dtype=object,
            ),
        )
        short = column.astype(object)
        short[rows] = [text[:_KEPT] + "…" for text in column[rows].tolist()]
        columns[name] = short
