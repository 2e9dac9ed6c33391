r"""Fast, exact CSV tokenizing: the header and the field texts of every column.

:func:`tokenize_csv` reads what ``csv.reader(io.StringIO(text, newline=""),
delimiter=..., strict=True)`` reads (blank lines dropped), without a Python
object per field. Engines:

``"numpy"``
    Vectorised over the UTF-8 bytes: positions of delimiters, line ends and
    quotes; pairs of quotes (the structural characters between them are text);
    field spans; then every column gathered into a fixed-width byte matrix and
    widened to code points (non-ASCII fields decoded once per distinct value).
``"pyarrow"``
    ``pyarrow.csv.read_csv`` with every column as text (no type inference: the
    library's grammars decide what is a number), converted from the arrow
    buffers. Quote errors are found beforehand (pyarrow is lenient); what
    pyarrow reads differently (a ragged record, a byte-order mark before a
    quote or a line end) goes to the numpy engine. Columns the caller names
    (``kinds``) come typed (plainly written numbers and dates) or, for labels
    beyond ASCII, as codes into their distinct texts (:class:`EncodedText`).
``"python"``
    The ``csv`` module: the reference of the differential tests.
``"auto"``
    ``"pyarrow"`` when pyarrow is installed, else ``"numpy"``.

All engines give the same header, columns (values and dtypes) and field counts,
or the same :class:`CsvSyntaxError`, with one exception: a field longer than
:func:`csv.field_size_limit` (128 KiB by default) stops the csv module with a
:class:`CsvSyntaxError`, while the numpy and pyarrow engines read it (field
size is no limit of theirs; :func:`fit_scores.io.parse_csv` rejects the row of
an over-long field, not the file). The numpy and pyarrow engines hand the csv
module what they do not reproduce: a quote inside an unquoted field (text to
the csv module, even with ``strict=True``), a NUL, a delimiter that is not one
ASCII character, text that is not Unicode; :attr:`TokenizedCsv.engine` says
which engine read it.

A column is a ``U<w>`` array (``w``: its longest value in characters, at least
1): what the text grammars cast to anyway, built without a Python object per
field, compared and factorized in C. A column whose longest field is over 32
UTF-8 bytes *and* over 4 times the mean (free text with a few long values) is
an object array of ``str`` instead, so that one long comment cannot blow up a
fixed-width array. Empty fields are ``""``.
"""

from __future__ import annotations

import csv
import functools
import importlib
import importlib.util
import io
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from fit_scores._core.parallel import map_in_order, workers_for
from fit_scores._core.segments import factorize_keys
from fit_scores.errors import CsvSyntaxError

__all__ = [
    "ColumnKind",
    "ColumnKinds",
    "CsvSyntaxError",
    "EncodedText",
    "Engine",
    "TokenizedCsv",
    "as_array",
    "is_utf8",
    "tokenize_csv",
]

Engine = Literal["auto", "numpy", "pyarrow", "python"]
#: What a column holds, for the typed reading of the pyarrow engine (``"label"``: text
#: read as codes into its distinct values where that is cheaper, see :class:`EncodedText`).
ColumnKind = Literal["number", "whole", "date", "label"]
#: Given the header, the kind of every column (``None``: text).
ColumnKinds = Callable[[list[str]], Sequence[ColumnKind | None]]
IntArray = npt.NDArray[np.int64]
ByteArray = npt.NDArray[np.uint8]
PosArray = npt.NDArray[np.signedinteger[Any]]
TextColumn = npt.NDArray[Any]
AnyArray = npt.NDArray[Any]

_LF, _CR, _QUOTE = 10, 13, 34
_BOM = b"\xef\xbb\xbf"
#: A column is an object array when its widest field is over this many bytes ...
_DENSE_WIDTH = 32
#: ... and over this many times the mean field length.
_DENSE_RATIO = 4


@dataclass(frozen=True, eq=False)
class EncodedText:
    """A text column as codes into its distinct texts.

    What the pyarrow and numpy engines give for a column of kind
    ``"label"`` whose texts are not plain ASCII: the distinct texts are found
    on the bytes (hashed), and each is decoded once; no text is built per row.

    Attributes
    ----------
    codes : numpy.ndarray of int
        The index into ``texts`` of every row's field.
    texts : numpy.ndarray
        The distinct field texts (``U<w>``, in no particular order; an empty
        field is ``""``).

    Examples
    --------
    >>> import numpy as np
    >>> e = EncodedText(np.array([1, 0, 1]), np.array(["Kari", "Åse"]))
    >>> len(e), e.decode().tolist()
    (3, ['Åse', 'Kari', 'Åse'])
    """

    codes: npt.NDArray[np.signedinteger[Any]]
    texts: TextColumn

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def decode(self) -> TextColumn:
        """The column as one text per row."""
        return np.asarray(self.texts[self.codes])


#: A column of a tokenized text: the field texts, typed values, or codes into distinct texts.
Column = TextColumn | EncodedText


def as_array(column: Column) -> AnyArray:
    """The column as one value per row (an :class:`EncodedText` decoded)."""
    return column.decode() if isinstance(column, EncodedText) else column


class _UseCsvModule(Exception):
    """The input is one the vectorised engines hand to the csv module."""


@dataclass(frozen=True, eq=False)
class TokenizedCsv:
    """The records of a CSV text as columns of field texts.

    Attributes
    ----------
    header : list of str
        The fields of the first record (a byte-order mark removed from the
        first); empty when the text has no record at all.
    columns : list of numpy.ndarray or EncodedText
        One array per header field (in header order; names may repeat): the
        texts of that field in every later record, ``U<w>`` or, for a column
        of sparse long texts, object arrays of ``str`` (typed arrays or
        :class:`EncodedText` only for the ``kinds`` asked for; see
        :attr:`arrays`). A record with fewer
        fields than the header reads ``""`` for the missing ones; extra fields
        are dropped.
    field_counts : numpy.ndarray of int64
        The number of fields of every record after the header.
    engine : str
        The engine that produced the result (``"numpy"``, ``"pyarrow"`` or
        ``"python"``).
    """

    header: list[str]
    columns: list[Column]
    field_counts: IntArray
    engine: str

    @property
    def arrays(self) -> list[AnyArray]:
        """The columns as arrays of one value per record (an :class:`EncodedText` decoded)."""
        return [as_array(column) for column in self.columns]

    @property
    def n_rows(self) -> int:
        """Number of records after the header."""
        return int(self.field_counts.shape[0])

    @property
    def ragged(self) -> IntArray:
        """Positions (0-based, after the header) of records with another field count."""
        return np.flatnonzero(self.field_counts != len(self.header)).astype(np.int64)


def tokenize_csv(
    data: bytes | str,
    *,
    delimiter: str = ",",
    engine: Engine = "auto",
    kinds: ColumnKinds | None = None,
) -> TokenizedCsv:
    r"""Header names and, per column, the field texts of CSV text.

    The records are those of ``csv.reader(io.StringIO(text, newline=""),
    delimiter=delimiter, strict=True)`` without the blank lines: quoted fields
    may hold the delimiter, line breaks and doubled quotes; ``\n``, ``\r\n``
    and ``\r`` end a record.

    Parameters
    ----------
    data : bytes or str
        The CSV text, or its UTF-8 encoding.
    delimiter : str, default ","
        The field separator (one character).
    engine : {"auto", "numpy", "pyarrow", "python"}, default "auto"
        How to read it (see the module documentation); all give the same result.
    kinds : callable, optional
        Given the header, the kind of every column: ``"number"``,
        ``"whole"``, ``"date"`` or ``None`` (text). With the pyarrow engine,
        a column of a kind is returned typed when every field is empty or
        plainly written (digits and points; at most 15 digits; ``YYYY-MM-DD``)
        and pyarrow reads every one: ``float64`` (NaN where empty),
        ``int64`` (``float64`` with NaN when a field is empty),
        ``datetime64[D]`` (NaT where empty). The values are those the text
        grammars of :mod:`fit_scores._core.grammars` read from the same fields
        (both round correctly), so a table built from either is the same.
        A ``"label"`` column with text beyond ASCII is an
        :class:`EncodedText` (codes into the distinct texts) with the pyarrow
        and numpy engines. Every other column, and every column of the python
        engine, is text.

    Returns
    -------
    TokenizedCsv
        The header, the columns and the field count of every record.

    Raises
    ------
    CsvSyntaxError
        If the text is not CSV (a character after a closing quote, an
        unterminated quoted field) or bytes are not UTF-8; the message names
        the line.
    TypeError
        If ``delimiter`` is not a one-character string.
    ValueError
        If ``engine`` is not one of the four.
    ImportError
        If ``engine="pyarrow"`` and pyarrow is not installed.

    Examples
    --------
    >>> from fit_scores.io.tokenizer import tokenize_csv
    >>> t = tokenize_csv('name,total\n"Åse, T.",7.5\n\nØrjan\n', engine="numpy")
    >>> t.header, [c.tolist() for c in t.columns], t.ragged.tolist()
    (['name', 'total'], [['Åse, T.', 'Ørjan'], ['7.5', '']], [1])
    """
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise TypeError('"delimiter" must be a 1-character string')
    if engine not in ("auto", "numpy", "pyarrow", "python"):
        raise ValueError(f"engine must be 'auto', 'numpy', 'pyarrow' or 'python', got {engine!r}")
    if engine == "auto":
        engine = "pyarrow" if _pyarrow_available() else "numpy"
    if engine == "python" or delimiter in '"\r\n' or not delimiter.isascii():
        return _tokenize_python(data, delimiter)
    try:
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if b"\0" in raw:
            raise _UseCsvModule
        if engine == "pyarrow":
            result = _tokenize_pyarrow(raw, delimiter, kinds)
            if result is not None:
                return result
        return _tokenize_numpy(raw, delimiter, kinds)
    except (_UseCsvModule, UnicodeEncodeError):
        return _tokenize_python(data, delimiter)


@functools.cache
def _pyarrow_available() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


# --- the csv module (reference) -------------------------------------------------------------


def _tokenize_python(data: bytes | str, delimiter: str) -> TokenizedCsv:
    text = _decode(data) if isinstance(data, bytes | bytearray | memoryview) else data
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = [row for row in reader if row]
    except csv.Error as exc:
        raise CsvSyntaxError(reader.line_num, str(exc)) from exc
    if not rows:
        return TokenizedCsv([], [], np.zeros(0, dtype=np.int64), "python")
    header = [rows[0][0].removeprefix("\ufeff"), *rows[0][1:]]
    body = rows[1:]
    width = len(header)
    counts = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    for i in np.flatnonzero(counts != width).tolist():
        body[i] = (body[i] + [""] * width)[:width]
    columns: list[Column] = [
        _strings_column(list(map(operator.itemgetter(j), body))) for j in range(width)
    ]
    return TokenizedCsv(header, columns, counts, "python")


def is_utf8(data: bytes | bytearray | memoryview) -> bool:
    r"""Whether the bytes ``data`` are UTF-8 text (what ``bytes.decode("utf-8")`` accepts).

    With pyarrow installed, its UTF-8 validation is used over the same bytes
    (no copy, no text built; several times faster than decoding); else the
    bytes are decoded. Both refuse the same bytes: overlong forms,
    surrogates, code points over U+10FFFF, cut sequences.

    Examples
    --------
    >>> from fit_scores.io.tokenizer import is_utf8
    >>> is_utf8("Åse".encode()), is_utf8(b"\xc5se"), is_utf8(b"\xed\xa0\x80")
    (True, False, False)
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"is_utf8 takes bytes, got {type(data).__name__}")
    data = bytes(data) if isinstance(data, memoryview) else data
    if data.isascii():
        return True
    if _pyarrow_available():
        pa = importlib.import_module("pyarrow")
        bounds = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
        text = pa.Array.from_buffers(pa.large_string(), 1, [None, bounds, pa.py_buffer(data)])
        try:
            text.validate(full=True)
        except pa.ArrowInvalid:
            return False
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes | bytearray | memoryview) -> str:
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        buf = np.frombuffer(data, dtype=np.uint8)
        line = _lines_before(buf, exc.start) + 1
        raise CsvSyntaxError(line, f"the text is not UTF-8 ({exc.reason})") from None


def _strings_column(values: list[str]) -> TextColumn:
    """A column from Python strings, with the representation rule of the module docstring."""
    if not values:
        return np.zeros(0, dtype="U1")
    joined = "".join(values)
    if joined.isascii():
        nbytes = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    else:
        utf8 = (v.encode("utf-8", "surrogatepass") for v in values)
        nbytes = np.fromiter(map(len, utf8), dtype=np.int64, count=len(values))
    if not _is_dense(nbytes) or "\0" in joined:  # (U arrays drop trailing NULs)
        return np.array(values, dtype=object)
    return np.array(values, dtype=str)


def _is_dense(nbytes: PosArray) -> bool:
    widest = int(nbytes.max(initial=0))
    return widest <= _DENSE_WIDTH or widest * nbytes.shape[0] <= _DENSE_RATIO * int(nbytes.sum())


# --- line numbers and quote checks ----------------------------------------------------------


def _lines_before(buf: ByteArray, stop: int) -> int:
    r"""Number of line ends (``\n``, ``\r\n``, lone ``\r``) in ``buf[:stop]``."""
    head = buf[:stop]
    cr = np.flatnonzero(head == _CR)
    after = buf[np.minimum(cr + 1, buf.shape[0] - 1)]
    lone = (cr + 1 >= buf.shape[0]) | (after != _LF)
    return int(np.count_nonzero(head == _LF)) + int(np.count_nonzero(lone))


def _n_lines(buf: ByteArray) -> int:
    """``reader.line_num`` after the last line."""
    n = buf.shape[0]
    return _lines_before(buf, n) + int(n > 0 and buf[-1] not in (_LF, _CR))


def _check_quotes(buf: ByteArray, quotes: PosArray, delim: int) -> None:
    """Raise what the csv module raises for these quote positions, or hand the text to it.

    Every quote is taken for a structural one: opening at the start of a field,
    closing before a delimiter, a line end or the end of the text, or one half
    of a doubled quote (next to the other half). The first quote that does not
    fit tells: a closing quote followed by other text is the csv module's
    strict error; an opening quote inside a field is text to the csv module
    (:class:`_UseCsvModule`); an odd number of quotes is an unterminated field.
    """
    n = buf.shape[0]
    opening, closing = quotes[0::2], quotes[1::2]  # (clipped at the ends: the quote itself)
    bad_open = _first_bad(opening, np.take(buf, opening - 1, mode="clip"), delim, n)
    bad_close = _first_bad(closing, np.take(buf, closing + 1, mode="clip"), delim, n)
    if bad_close < bad_open:
        line = _lines_before(buf, bad_close + 1) + 1
        raise CsvSyntaxError(line, f"'{chr(delim)}' expected after '\"'")
    if bad_open < n:
        raise _UseCsvModule
    if quotes.shape[0] % 2:
        raise CsvSyntaxError(_n_lines(buf), "unexpected end of data")


def _first_bad(quotes: PosArray, beside: ByteArray, delim: int, n: int) -> int:
    """The first quote whose neighbour is not a delimiter, line end or quote (``n``: none)."""
    ok = beside == delim
    ok |= beside == _LF
    ok |= beside == _CR
    ok |= beside == _QUOTE
    return n if ok.all() else int(quotes[np.argmin(ok)])


# --- numpy ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Fields:
    """Every field of the text: its content span in ``src`` (quotes removed), per record."""

    src: ByteArray  # the text, then the unescaped texts of the fields with doubled quotes
    starts: PosArray
    lengths: PosArray
    counts: IntArray  # fields per record


def _tokenize_numpy(raw: bytes, delimiter: str, kinds: ColumnKinds | None = None) -> TokenizedCsv:
    ascii_text = raw.isascii()
    if not ascii_text:
        _decode(raw)  # the csv module path decodes first: a UTF-8 error comes first
    fields = _fields(raw, ord(delimiter))
    if not fields.counts.shape[0]:
        return TokenizedCsv([], [], np.zeros(0, dtype=np.int64), "numpy")
    width = int(fields.counts[0])
    spans = zip(fields.starts[:width].tolist(), fields.lengths[:width].tolist(), strict=True)
    header = [fields.src[s : s + k].tobytes().decode("utf-8") for s, k in spans]
    header[0] = header[0].removeprefix("\ufeff")
    counts = fields.counts[1:]
    n = counts.shape[0]
    if bool((counts == width).all()):  # rectangular: the fields after the header, row by row
        starts = fields.starts[width:].reshape(n, width)
        lengths = fields.lengths[width:].reshape(n, width)
    else:
        ids = _field_matrix(fields.counts, width)
        present = ids >= 0
        ids = np.maximum(ids, 0)
        starts = np.where(present, fields.starts[ids], 0)
        lengths = np.where(present, fields.lengths[ids], 0)
    starts, lengths = np.ascontiguousarray(starts.T), np.ascontiguousarray(lengths.T)
    labels = [False] * width
    if kinds is not None and not ascii_text:
        labels = [kind == "label" for kind in kinds(header)]
    columns: list[Column] = [
        _column(fields.src, starts[j], lengths[j], non_ascii=not ascii_text, as_codes=labels[j])
        for j in range(width)
    ]
    return TokenizedCsv(header, columns, counts, "numpy")


def _fields(raw: bytes, delim: int) -> _Fields:
    """Field spans and records of the text (blank lines dropped, quotes checked)."""
    buf = np.frombuffer(raw, dtype=np.uint8)
    n = buf.shape[0]
    has_quotes = b'"' in raw
    mask = buf == delim
    mask |= buf == _LF
    if b"\r" in raw:
        mask |= buf == _CR
    if has_quotes:
        mask |= buf == _QUOTE
    found = np.flatnonzero(mask)
    del mask
    kind = np.take(buf, found)
    events: PosArray = found.astype(np.int32 if n < 2**30 else np.int64)  # (less traffic)
    del found
    quoted = escaped = np.zeros(0, dtype=np.int64)
    if has_quotes:
        events, kind, quoted, escaped = _pair_quotes(buf, events, kind, delim)
    ends_line = kind != delim
    if n and not (events.shape[0] and events[-1] == n - 1 and ends_line[-1]):
        events = np.append(events, np.array(n, dtype=events.dtype))  # the end ends a record
        ends_line = np.append(ends_line, True)
    starts = np.empty_like(events)
    starts[:1] = 0
    starts[1:] = events[:-1]
    starts[1:] += 1
    lengths = events
    lengths -= starts
    is_quoted = np.zeros(starts.shape[0], dtype=bool)
    is_quoted[quoted] = True
    starts += is_quoted
    lengths -= is_quoted
    lengths -= is_quoted
    parts = [
        raw[s : s + length].replace(b'""', b'"')
        for s, length in zip(starts[escaped].tolist(), lengths[escaped].tolist(), strict=True)
    ]
    sizes = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    starts[escaped] = n + np.cumsum(sizes) - sizes  # the unescaped texts follow the text
    lengths[escaped] = sizes
    after_line = np.empty_like(ends_line)
    after_line[:1] = True
    after_line[1:] = ends_line[:-1]
    blank = ends_line & after_line & (lengths == 0)
    blank &= ~is_quoted  # ("" alone on a line is a record)
    if blank.any():
        keep = ~blank
        starts, lengths = np.compress(keep, starts), np.compress(keep, lengths)
        ends_line = np.compress(keep, ends_line)
    counts = np.diff(np.flatnonzero(ends_line), prepend=-1).astype(np.int64)
    src = np.frombuffer(raw + b"".join(parts), dtype=np.uint8)
    return _Fields(src, starts, lengths, counts)


def _pair_quotes(
    buf: ByteArray, events: PosArray, kind: ByteArray, delim: int
) -> tuple[PosArray, ByteArray, IntArray, IntArray]:
    """The structural events outside quotes, and the quoted and the escaped fields.

    The fields are numbered by the structural events that end them; a field is
    escaped when it holds a doubled quote (a second pair of quotes).
    """
    is_quote = kind == _QUOTE
    at = np.flatnonzero(is_quote)  # event index of every quote
    _check_quotes(buf, events[at], delim)
    opening, closing = at[0::2], at[1::2]
    inside = closing - opening - 1  # delimiters and line ends inside each pair of quotes
    before = np.cumsum(inside) - inside
    keep = ~is_quote
    spans = np.flatnonzero(inside)
    if spans.shape[0]:  # drop the events inside quotes: the ranges first + 0 .. count - 1
        count, first = inside[spans], opening[spans] + 1
        keep[np.repeat(first - np.cumsum(count) + count, count) + np.arange(count.sum())] = 0
    events, kind = np.compress(keep, events), np.compress(keep, kind)  # (faster than [keep])
    field = opening - 2 * np.arange(opening.shape[0]) - before  # the field of every pair
    again = np.zeros(field.shape[0], dtype=bool)
    again[1:] = field[1:] == field[:-1]
    return events, kind, np.compress(~again, field), np.unique(field[again])


def _field_matrix(counts: IntArray, width: int) -> IntArray:
    """Field ids of the records after the header, ``(records, width)``; -1 where missing."""
    body = counts[1:]
    n = body.shape[0]
    first = np.cumsum(counts) - counts  # id of the first field of every record
    out = np.full((n, width), -1, dtype=np.int64)
    take = np.minimum(body, width)
    rows = np.repeat(np.arange(n), take)
    within = np.arange(rows.shape[0]) - np.repeat(np.cumsum(take) - take, take)
    out[rows, within] = first[1:][rows] + within
    return out


# --- columns from byte spans ----------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _prefix_masks(width: int) -> ByteArray:
    """``masks[k]`` has ones in its first ``k`` of ``width`` places (read-only, shared)."""
    masks = (np.arange(width)[None, :] < np.arange(width + 1)[:, None]).astype(np.uint8)
    masks.flags.writeable = False
    return masks


def _column(
    src: ByteArray, starts: PosArray, lengths: PosArray, *, non_ascii: bool, as_codes: bool = False
) -> Column:
    """The texts ``src[starts[i] : starts[i] + lengths[i]]`` (valid UTF-8) as one column.

    ASCII fields become code points by widening their bytes; with
    ``non_ascii``, the fields with a byte over 127 are decoded once per
    distinct value (with ``as_codes``, such a column is an
    :class:`EncodedText`).
    """
    n = starts.shape[0]
    width = int(lengths.max(initial=0))
    if width == 0:
        return np.zeros(n, dtype="U1")
    if not _is_dense(lengths):
        spans = zip(starts.tolist(), lengths.tolist(), strict=True)
        return np.array([str(src.data[s : s + k], "utf-8") for s, k in spans], dtype=object)
    last = src.shape[0] - width  # the last start with `width` bytes after it
    window = np.ndarray((last + 1,), dtype=f"S{width}", buffer=src, strides=(1,))
    late = np.flatnonzero(starts > last)  # fields at the very end of the text
    gathered = window[np.minimum(starts, last) if late.shape[0] else starts]
    gathered = gathered.view(np.uint8).reshape(n, width)
    for i in late.tolist():
        gathered[i] = 0
        gathered[i, : lengths[i]] = src[starts[i] : starts[i] + lengths[i]]
    if not bool((lengths == width).all()):  # zero the bytes after every field
        if width <= 256:
            np.multiply(gathered, np.take(_prefix_masks(width), lengths, axis=0), out=gathered)
        else:
            gathered[np.arange(width) >= lengths[:, None]] = 0
    if non_ascii and int(gathered.max()) >= 0x80:
        padded = np.zeros((n, -(-width // 8) * 8), dtype=np.uint8)  # whole 8-byte words
        padded[:, :width] = gathered
        texts, codes = _decode_distinct(padded)
        return EncodedText(codes, texts) if as_codes else texts[codes]
    return gathered.astype(np.uint32).view(f"U{width}").reshape(n)


def _decode_distinct(rows: ByteArray) -> tuple[TextColumn, IntArray]:
    """The distinct texts of zero-padded UTF-8 rows (decoded once each) and each row's code."""
    n, span = rows.shape
    words = rows.view(np.uint64)
    key = words[:, 0].copy()
    for k in range(1, span // 8):  # a hash of the row; equal keys and all but the last
        key *= np.uint64(0x100000001B3)  # word equal mean equal rows
        key ^= words[:, k]
    codes, first = factorize_keys(key)
    as_bytes = rows.view(f"S{span}").reshape(n)
    if span > 8 and not bool((words[:, :-1] == words[first[codes], :-1]).all()):
        _, first, codes = np.unique(as_bytes, return_index=True, return_inverse=True)
        codes = codes.reshape(n)
    texts = np.array([b.decode("utf-8") for b in as_bytes[first].tolist()], dtype=str)
    return texts, codes


# --- pyarrow --------------------------------------------------------------------------------


def _tokenize_pyarrow(
    raw: bytes, delimiter: str, kinds: ColumnKinds | None = None
) -> TokenizedCsv | None:
    """The pyarrow reading, or ``None`` for a text the numpy engine should read."""
    pa = importlib.import_module("pyarrow")
    pacsv = importlib.import_module("pyarrow.csv")
    if raw.startswith(_BOM) and (
        len(raw) == 3 or raw[3:4] in (b'"', b"\r", b"\n") or raw[3:6] == _BOM
    ):
        return None  # pyarrow drops the mark first; the csv module keeps it in the first field
    newlines_in_values = False  # (reading them halves pyarrow's speed)
    if b'"' in raw:
        buf = np.frombuffer(raw, dtype=np.uint8)
        position = np.int32 if len(raw) < 2**31 else np.int64  # (faster searches)
        quotes: PosArray = np.flatnonzero(buf == _QUOTE).astype(position)
        try:
            _check_quotes(buf, quotes, ord(delimiter))
        except CsvSyntaxError:
            if not raw.isascii():
                _decode(raw)  # a UTF-8 error comes first
            raise
        newlines_in_values = _breaks_in_quotes(buf, quotes, position)
    width = _first_record_width(raw, delimiter)
    if width is None or not is_utf8(raw):  # (not UTF-8: the numpy engine names the line)
        return None
    names = [f"f{j}" for j in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(raw),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=newlines_in_values,
                ignore_empty_lines=True,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                # every field is UTF-8, the whole text being so: a field is cut at ASCII
                # bytes, which no multi-byte sequence holds (one check of the whole text
                # is several times faster than arrow's check of every field)
                check_utf8=False,
            ),
        )
    except pa.ArrowInvalid:  # a ragged record, invalid UTF-8: the numpy engine tells exactly
        return None
    if table.column_names != names:
        return None
    header = [str(table.column(j)[0].as_py()) for j in range(width)]
    header[0] = header[0].removeprefix("\ufeff")
    body = table.slice(1)
    wanted = list(kinds(header)) if kinds is not None else [None] * width

    def convert(j: int) -> Column:
        kind = wanted[j]
        if kind is not None and kind != "label":
            typed = _typed_arrow_column(pa, body.column(j), kind)
            if typed is not None:
                return typed
        return _arrow_column(pa, body.column(j), as_codes=kind == "label")

    # the columns on several threads for a long text (arrow and numpy let go of the
    # interpreter while they convert); each column is converted on its own
    columns = map_in_order(convert, range(width), workers=workers_for(body.num_rows, width))
    n = body.num_rows
    return TokenizedCsv(header, columns, np.full(n, width, dtype=np.int64), "pyarrow")


#: Only the quoted bytes are looked at for line breaks where they are at most this share
#: (one in ...) of the text.
_QUOTED_SHARE = 4


def _breaks_in_quotes(buf: ByteArray, quotes: PosArray, position: type[np.integer[Any]]) -> bool:
    """Whether a line break lies between an opening quote and its closing one.

    ``quotes`` are the positions of the (even number of) quotes, taken in
    pairs. Where the quoted text is short next to the whole, only its bytes
    are looked at; else every line break is placed among the quotes.
    """
    opening, closing = quotes[0::2].astype(np.int64), quotes[1::2].astype(np.int64)
    inner = closing - opening - 1
    total = int(inner.sum())
    if total * _QUOTED_SHARE <= buf.shape[0]:
        # the bytes between every pair of quotes, one after another
        start = opening + 1 - (np.cumsum(inner) - inner)
        quoted = buf[np.repeat(start, inner) + np.arange(total, dtype=np.int64)]
        return bool(((quoted == _LF) | (quoted == _CR)).any())
    breaks = buf == _LF
    if bool((buf == _CR).any()):
        breaks |= buf == _CR
    inside = np.searchsorted(quotes, np.flatnonzero(breaks).astype(position)) % 2
    return bool(inside.any())  # (odd: a break after an opening quote)


def _arrow_column(pa: Any, chunked: Any, *, as_codes: bool = False) -> Column:
    """A column from an arrow string array (the module's representation rule).

    With ``as_codes``, text beyond ASCII is an :class:`EncodedText`.
    """
    array = chunked.combine_chunks() if chunked.num_chunks != 1 else chunked.chunk(0)
    n = len(array)
    offsets_buffer, data_buffer = array.buffers()[1:3]
    index = np.dtype(np.int64 if pa.types.is_large_string(array.type) else np.int32)
    offsets: PosArray = np.frombuffer(offsets_buffer, dtype=index)
    offsets = offsets[array.offset : array.offset + n + 1]
    data = np.zeros(0, dtype=np.uint8)
    if data_buffer is not None:
        data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]
    offsets = offsets - offsets[0]
    lengths = np.diff(offsets)
    widest = int(lengths.max(initial=0))
    ascii_text = int(data.max(initial=0)) < 0x80
    if widest == 0 or not _is_dense(lengths):
        return _column(data, offsets[:-1], lengths, non_ascii=not ascii_text)
    if not ascii_text:  # arrow hashes the texts; decode each distinct one once
        encoded = array.dictionary_encode()
        texts = np.array(encoded.dictionary.to_pylist(), dtype=str)
        codes: IntArray = encoded.indices.to_numpy(zero_copy_only=False)
        return EncodedText(codes, texts) if as_codes else texts[codes]
    if int(lengths.min()) == widest:  # fixed width: the data are the rows
        return data.reshape(n, widest).astype(np.uint32).view(f"U{widest}").reshape(n)
    return _column(data, offsets[:-1], lengths, non_ascii=False)


#: The bytes a plainly written field of every kind is made of (pyarrow reads the sign of
#: zero as the grammar does: "-0.0" is -0.0).
_PLAIN_BYTES = {"number": b"0123456789.-", "whole": b"0123456789", "date": b"0123456789-"}
#: The longest plainly written field of every kind (the number grammar reads at most 40
#: characters; 15 digits are exact in a float64, so a whole number with gaps stays exact).
_PLAIN_WIDTH = {"number": 40, "whole": 15, "date": 10}
#: 0001-01-01 in days since 1970-01-01 (the grammar's first date).
_FIRST_DAY = int(np.datetime64("0001-01-01", "D").astype(np.int64))


def _typed_arrow_column(pa: Any, chunked: Any, kind: ColumnKind) -> AnyArray | None:
    """A column of plainly written numbers or dates, typed by pyarrow (``None``: as text).

    Only a column whose every field is made of the bytes of its kind
    (:data:`_PLAIN_BYTES`, at most :data:`_PLAIN_WIDTH` long; a date exactly
    10) is cast: pyarrow's casts are laxer than the grammars (they read
    ``" 7"``, ``"nan"`` and ``"0x7"``), not on these bytes. Empty fields are
    missing (NaN, or NaT for dates); the arrow values are read from their
    buffers (no conversion of the nulls by arrow).
    """
    pc = importlib.import_module("pyarrow.compute")
    array = chunked.combine_chunks() if chunked.num_chunks != 1 else chunked.chunk(0)
    n = len(array)
    if n == 0 or pa.types.is_large_string(array.type) or array.null_count:
        return None
    offsets_buffer, data_buffer = array.buffers()[1:3]
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[array.offset : array.offset + n + 1]
    lengths = np.diff(offsets)
    if data_buffer is None or int(lengths.max()) > _PLAIN_WIDTH[kind]:
        return None
    data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]
    if not _only_bytes(data, _PLAIN_BYTES[kind]):
        return None
    empty = lengths == 0
    any_empty = bool(empty.any())
    if kind == "date" and not bool(((lengths == 10) | empty).all()):
        return None
    if any_empty:  # the empty fields as nulls (a validity bitmap over the same buffers)
        valid = pa.py_buffer(np.packbits(~empty, bitorder="little"))
        array = pa.Array.from_buffers(pa.string(), n, [valid, pa.py_buffer(offsets), data_buffer])
    target = {"number": pa.float64(), "whole": pa.int64(), "date": pa.date32()}[kind]
    try:
        typed = pc.cast(array, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # e.g. "1.2.3", 2025-02-30
        return None
    dtype = {"number": np.float64, "whole": np.int64, "date": np.int32}[kind]
    raw = np.frombuffer(typed.buffers()[1], dtype=dtype)[typed.offset : typed.offset + n]
    if kind == "number":
        return np.where(empty, np.nan, raw) if any_empty else raw.copy()
    if kind == "whole":
        if any_empty:  # (exact as floats: at most 15 digits)
            return np.where(empty, np.nan, raw.astype(np.float64))
        return raw.copy()
    days = raw.astype(np.int64)
    present = days[~empty] if any_empty else days
    if present.size and int(present.min()) < _FIRST_DAY:
        return None  # year 0: not a date to the grammar
    if any_empty:
        days[empty] = np.iinfo(np.int64).min  # NaT
    return days.view("datetime64[D]")


def _only_bytes(data: ByteArray, allowed: bytes) -> bool:
    """Whether every byte of ``data`` is one of ``allowed`` (a range check, then the gaps)."""
    lo, hi = min(allowed), max(allowed)
    outside = (data - np.uint8(lo)) > np.uint8(hi - lo)  # (wraps below lo)
    for gap in set(range(lo, hi + 1)) - set(allowed):
        outside |= data == gap
    return not bool(outside.any())


def _first_record_width(raw: bytes, delimiter: str) -> int | None:
    """Number of fields of the first record (``None``: no record)."""
    size = 1 << 16
    while True:
        prefix = raw[:size]
        text = prefix.decode("utf-8", "replace")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        complete = size >= len(raw)
        n_lines = _n_lines(np.frombuffer(prefix, dtype=np.uint8))
        for row in reader:
            if row and (complete or reader.line_num < n_lines):
                return len(row)
            if row:
                break
        if complete:
            return None
        size *= 4
