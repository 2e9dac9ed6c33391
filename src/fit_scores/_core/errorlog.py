"""The error log of the rules: which rows broke which rule, in which column, and why.

Every check of :mod:`fit_scores._core.rules`, :mod:`fit_scores._core.track_rules`
and the column parsers of :mod:`fit_scores.io` logs what it finds here, a whole
array of rows at a time; a table turns the log into its error report
(:class:`~fit_scores.table.TableErrors`) and a single record raises its first
entry.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from fit_scores.errors import FitScoresError

__all__ = ["ErrorLog"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjArray = npt.NDArray[np.object_]


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
        self, chunks: list[tuple[IntArray, str, str, ObjArray]] | None = None, offset: int = 0
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
        reason: str | npt.ArrayLike,
    ) -> None:
        """Log ``error`` in ``column`` for ``rows``, with one reason for all or one per row."""
        index = np.asarray(rows, dtype=np.int64).reshape(-1)
        if index.size == 0:
            return
        if self._offset:
            index = index + self._offset
        if isinstance(reason, str):
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

    def entries(self, order: Sequence[str]) -> tuple[IntArray, ObjArray, ObjArray, ObjArray]:
        """Rows, columns, error names and reasons, sorted.

        Sorted by row, then by column in ``order`` (columns not in it last),
        then in the order they were logged.
        """
        if not self._chunks:
            empty = np.zeros(0, dtype=object)
            return np.zeros(0, dtype=np.int64), empty, empty, empty
        rank = {name: i for i, name in enumerate(order)}
        sizes = [c[0].size for c in self._chunks]
        rows = np.concatenate([c[0] for c in self._chunks])
        reasons = np.concatenate([c[3] for c in self._chunks])
        # the column and the error of every entry as the number of its chunk (one small
        # integer a row, turned into text after the sort)
        chunk = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        col_rank = np.array([rank.get(c[1], len(rank)) for c in self._chunks], dtype=np.int64)
        # by row, then column rank, then the order logged (a stable sort of one key where
        # it fits in an int64, else lexsort)
        lo, hi = int(rows.min()), int(rows.max())  # (no chunk is empty: see add)
        width = len(rank) + 1
        if (hi - lo + 1) * width < 2**62:
            keep = np.argsort((rows - lo) * width + col_rank[chunk], kind="stable")
        else:
            keep = np.lexsort((np.arange(rows.size), col_rank[chunk], rows))
        which = chunk[keep]
        columns = np.array([c[1] for c in self._chunks], dtype=object)[which]
        errors = np.array([c[2] for c in self._chunks], dtype=object)[which]
        return rows[keep], columns, errors, reasons[keep]
