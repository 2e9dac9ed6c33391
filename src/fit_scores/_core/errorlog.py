"""The error log of the rules: which rows broke which rule, in which column, and why.

Every check of :mod:`fit_scores._core.rules`, :mod:`fit_scores._core.track_rules`
and the column parsers of :mod:`fit_scores.io` logs what it finds here, a whole
array of rows at a time; a table turns the log into its error report
(:class:`~fit_scores.table.TableErrors`) and a single record raises its first
entry.

A reason that quotes several values (dates, neighbouring sessions) costs about
a microsecond to write; a long file with a hundred thousand such entries would
spend a tenth of a second writing texts that may never be read. A check can
log :class:`DeferredReasons` instead (the values, and a function that writes
them), and :meth:`ErrorLog.report` gives the reasons as a :class:`ReasonColumn`
that writes them when first asked for. The texts are the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

import fit_scores.errors as _errors
from fit_scores._core.segments import stable_order
from fit_scores.errors import FitScoresError

__all__ = ["DeferredReasons", "ErrorLog", "ReasonColumn"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjArray = npt.NDArray[np.object_]
AnyArray = npt.NDArray[Any]


@dataclass(frozen=True, eq=False)
class DeferredReasons:
    """The reasons of a chunk of entries, kept as values and written when read.

    Attributes
    ----------
    write : callable
        ``write(*fields)`` gives the reasons, one ``str`` per entry, as an
        object array. A module-level function, so that a table holding
        deferred reasons can be pickled (e.g. sent to Dask workers).
    fields : tuple of ndarray
        The values the reasons are written from, one per entry each (compact
        copies: they are kept as long as the reasons are not written).

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores._core.text import cat
    >>> def too_big(values):
    ...     return cat("value ", values, " is too big")
    >>> DeferredReasons(too_big, (np.array([11, 12]),)).texts().tolist()
    ['value 11 is too big', 'value 12 is too big']
    """

    write: Callable[..., ObjArray]
    fields: tuple[AnyArray, ...]

    def __len__(self) -> int:
        return int(self.fields[0].shape[0])

    def texts(self) -> ObjArray:
        """The reasons, written."""
        out = np.asarray(self.write(*self.fields), dtype=object).reshape(-1)
        if out.shape[0] != len(self):
            raise ValueError(f"{len(self)} reasons expected, {out.shape[0]} written")
        return out


@dataclass(frozen=True, eq=False)
class ReasonColumn:
    """The reasons of sorted log entries; deferred ones written when :meth:`texts` is called.

    Attributes
    ----------
    sources : tuple
        The reasons of every chunk of the log, in the order logged: object
        arrays of ``str`` or :class:`DeferredReasons`.
    order : ndarray of int
        The sorted entries, as positions in the concatenated sources.
    """

    sources: tuple[ObjArray | DeferredReasons, ...]
    order: IntArray

    def __len__(self) -> int:
        return int(self.order.shape[0])

    @property
    def deferred(self) -> bool:
        """Whether some reasons are not written yet (:meth:`texts` writes them)."""
        return any(isinstance(source, DeferredReasons) for source in self.sources)

    def texts(self) -> ObjArray:
        """The reasons of the sorted entries, as an object array of ``str``."""
        if not self.sources:
            return np.zeros(0, dtype=object)
        written = [
            source.texts() if isinstance(source, DeferredReasons) else source
            for source in self.sources
        ]
        return np.concatenate(written)[self.order]


class ErrorLog:
    """The problems found in a batch of rows: row, column, error class and reason.

    Entries are collected in chunks, one per check and column (whole arrays
    of rows and reasons, never one Python object per row), in the order the
    checks run. :meth:`entries` sorts them by row, then by column in the
    order of the input, then in the order they were found. :meth:`shifted`
    gives the same log for a chunk of rows that starts further down the
    input, so that a check can number its rows from 0.

    Parameters
    ----------
    chunks : list, optional
        The chunks to append to (shared with the log this one is shifted from).
    offset : int
        Added to every row index logged through this log.

    Examples
    --------
    >>> import numpy as np
    >>> from fit_scores.errors import FieldError
    >>> log = ErrorLog()
    >>> log.add(np.array([2]), "date", FieldError, "date is required")
    >>> log.shifted(10).add([0], "person", FieldError, "person is required")
    >>> log.rejected(12).nonzero()[0].tolist()
    [2, 10]
    >>> rows, columns, errors, reasons = log.entries(["person", "date"])
    >>> rows.tolist(), columns.tolist(), errors.tolist()
    ([2, 10], ['date', 'person'], ['FieldError', 'FieldError'])
    """

    def __init__(
        self,
        chunks: list[tuple[IntArray, str, str, ObjArray | DeferredReasons]] | None = None,
        offset: int = 0,
    ) -> None:
        self._chunks = [] if chunks is None else chunks
        self._offset = offset

    def shifted(self, offset: int) -> ErrorLog:
        """The same log, for a chunk of rows that starts at input row ``offset``."""
        return ErrorLog(self._chunks, offset)

    def add(
        self,
        rows: npt.ArrayLike,
        column: str,
        error: type[FitScoresError],
        reason: str | npt.ArrayLike | DeferredReasons,
    ) -> None:
        """Log ``error`` in ``column`` for ``rows``, with one reason for all or one per row.

        Per-row reasons are texts, or :class:`DeferredReasons` to be written
        when the report is read.
        """
        index = np.asarray(rows, dtype=np.int64).reshape(-1)
        if index.size == 0:
            return
        if self._offset:
            index = index + self._offset
        reasons: ObjArray | DeferredReasons
        if isinstance(reason, DeferredReasons):
            if len(reason) != index.size:
                raise ValueError(f"{index.size} rows but {len(reason)} deferred reasons")
            reasons = reason
        elif isinstance(reason, str):
            reasons = np.full(index.size, reason, dtype=object)
        else:
            reasons = np.asarray(reason).astype(object).reshape(-1)
        self._chunks.append((index, column, error.__name__, reasons))

    def extend(self, other: ErrorLog) -> None:
        """Append the entries of ``other`` (rows as ``other`` numbered them) after these."""
        self._chunks.extend(other._chunks)

    def rejected(self, n: int) -> BoolArray:
        """Which of ``n`` rows have at least one entry."""
        mask = np.zeros(n, dtype=bool)
        for rows, *_ in self._chunks:
            mask[rows] = True
        return mask

    def first(self, order: Sequence[str]) -> tuple[int, type[FitScoresError], str] | None:
        """The first entry (as :meth:`report` sorts): its row, error class and reason.

        What a record raises: the single-record paths log with the rules of a
        table and raise the first problem. ``None`` when nothing was logged.
        """
        rows, _, errors, reasons = self.entries(order)
        if not len(errors):
            return None
        error: type[FitScoresError] = getattr(_errors, str(errors[0]))
        return int(rows[0]), error, str(reasons[0])

    def entries(self, order: Sequence[str]) -> tuple[IntArray, ObjArray, ObjArray, ObjArray]:
        """Rows, columns, error names and reasons (written), sorted as :meth:`report` sorts."""
        rows, columns, errors, reasons = self.report(order)
        return rows, columns, errors, reasons.texts()

    def report(self, order: Sequence[str]) -> tuple[IntArray, ObjArray, ObjArray, ReasonColumn]:
        """Rows, columns, error names and reasons, sorted; deferred reasons not yet written.

        Sorted by row, then by column in ``order`` (columns not in it last),
        then in the order they were logged.
        """
        if not self._chunks:
            empty = np.zeros(0, dtype=object)
            return (
                np.zeros(0, dtype=np.int64),
                empty,
                empty,
                ReasonColumn((), np.zeros(0, np.int64)),
            )
        rank = {name: i for i, name in enumerate(order)}
        sizes = [c[0].size for c in self._chunks]
        rows = np.concatenate([c[0] for c in self._chunks])
        # the column and the error of every entry as the number of its chunk (one small
        # integer a row, turned into text after the sort)
        chunk = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        col_rank = np.array([rank.get(c[1], len(rank)) for c in self._chunks], dtype=np.int64)
        # by row, then column rank, then the order logged (a stable sort of one key where
        # it fits in an int64, else lexsort)
        lo, hi = int(rows.min()), int(rows.max())  # (no chunk is empty: see add)
        width = len(rank) + 1
        if (hi - lo + 1) * width < 2**62:
            keep = stable_order((rows - lo) * width + col_rank[chunk])
        else:
            keep = np.lexsort((np.arange(rows.size), col_rank[chunk], rows))
        which = chunk[keep]
        columns = np.array([c[1] for c in self._chunks], dtype=object)[which]
        errors = np.array([c[2] for c in self._chunks], dtype=object)[which]
        reasons = ReasonColumn(tuple(c[3] for c in self._chunks), keep)
        return rows[keep], columns, errors, reasons
