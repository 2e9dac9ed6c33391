"""The error report in groups: one line per kind of problem, not one per row.

A file exported with the wrong settings repeats one problem in every row
(1,204 totals written ``19,5``); a reader needs to see that once, with what to
do about it. :func:`group_errors` groups the entries of
:attr:`ScoreTable.errors <fit_scores.ScoreTable.errors>` that differ only in
the cell's value (and the row), counts their rows, keeps the first rows and a
few values as examples, and recognises the two settings problems of
spreadsheet exports: numbers with a decimal comma (``decimal=","``) and dates
written ``dd.mm.yyyy`` (``dayfirst=True``). The command line prints
:meth:`ErrorGroup.message` with ``cli=True``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from fit_scores.errors import TableInputError

if TYPE_CHECKING:  # pragma: no cover
    from fit_scores.table.container import TableErrors

__all__ = ["ErrorGroup", "group_errors"]

Kind = Literal["decimal comma", "day-first date"]

#: A value inside a reason: text in quotes (as ``repr`` writes it), or a number,
#: a range or a date written with digits.
_VALUE = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|(?<![\w.])[+-]?\d(?:[\d.,:-]*\d)?""")
_ASSIGNED = re.compile(r"""^[\w ()-]*? = ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S+)""")
_DECIMAL_COMMA = re.compile(r"""['"][+-]?[0-9]*,[0-9]+['"]\Z""")
_DAY_FIRST = re.compile(r"""['"][0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}['"]\Z""")
_HINTS: dict[Kind, tuple[str, str, str]] = {
    # kind: (what the rows do, the Python option, the command-line option)
    "decimal comma": ("use a decimal comma", "decimal=','", "--decimal ,"),
    "day-first date": ("have dates written dd.mm.yyyy", "dayfirst=True", "--dayfirst"),
}


@dataclass(frozen=True)
class ErrorGroup:
    """Entries of an error report that differ only in the cell's value and the row.

    Attributes
    ----------
    column : str
        The column (``""``: the row as a whole).
    error : str
        The error class name (e.g. ``"ItemValueTypeError"``).
    reason : str
        The shared reason, every value written ``…``.
    n_rows : int
        Number of rows with this problem.
    rows : tuple of int
        The first rows (0-based, as in the report), at most ``max_examples``.
    values : tuple of str
        The first distinct values, as the reasons quote them.
    kind : {"decimal comma", "day-first date"} or None
        A settings problem of a spreadsheet export, recognised from the values.
    """

    column: str
    error: str
    reason: str
    n_rows: int
    rows: tuple[int, ...]
    values: tuple[str, ...]
    kind: Kind | None

    def message(self, *, cli: bool = False) -> str:
        """One line for people: the column, how many rows, what is wrong, what to do.

        Parameters
        ----------
        cli : bool, default False
            Name the command-line option (``--decimal ,``) instead of the
            Python argument (``decimal=','``).
        """
        where = f"column `{self.column}`" if self.column else "the record"
        rows = "1 row" if self.n_rows == 1 else f"{self.n_rows:,} rows"
        first = ", ".join(map(str, self.rows)) + (", ..." if self.n_rows > len(self.rows) else "")
        if self.kind is not None:
            what, option, flag = _HINTS[self.kind]
            verb = what
            if self.n_rows == 1:
                verb = what.replace("use ", "uses ").replace("have ", "has ")
            values = ", ".join(self.values)
            return f"{where}: {rows} {verb} (e.g. {values}); give {flag if cli else option}"
        examples = f"; e.g. {', '.join(self.values)}" if self.values else ""
        return f"{where}: {rows} ({first}): {self.error}: {self.reason}{examples}"


def group_errors(errors: TableErrors, *, max_examples: int = 3) -> list[ErrorGroup]:
    r"""The entries of an error report in groups, the largest group first.

    Entries are grouped by column, error class and reason with every value
    written ``…`` (so ``total = '19,5' is not a number`` and ``total = '7,5'
    is not a number`` are one group), and within that by a recognised
    settings problem: values written with a decimal comma, or dates written
    ``dd.mm.yyyy``, form their own group whose message says which option
    reads them.

    Parameters
    ----------
    errors : TableErrors
        The report (:attr:`ScoreTable.errors <fit_scores.ScoreTable.errors>`).
    max_examples : int, default 3
        How many rows and distinct values every group keeps as examples.

    Returns
    -------
    list of ErrorGroup
        Largest first; groups of equal size in the order of their first row.

    Examples
    --------
    >>> from fit_scores.io import group_errors, parse_csv
    >>> text = ("person,scale,date,total\n" + 'p,ORS,2025-01-10,"19,5"\n' * 3
    ...         + "p,ORS,2025-01-10,x\n")
    >>> groups = group_errors(parse_csv(text).errors)
    >>> print(groups[0].message())
    column `total`: 3 rows use a decimal comma (e.g. '19,5'); give decimal=','
    >>> print(groups[0].message(cli=True))
    column `total`: 3 rows use a decimal comma (e.g. '19,5'); give --decimal ,
    >>> groups[1].reason, groups[1].rows, groups[1].values
    ('total = … is not a number (write e.g. …: digits, a point, no spaces)', (3,), ("'x'",))
    """
    n = len(errors)
    if isinstance(max_examples, bool) or not isinstance(max_examples, int) or max_examples < 1:
        raise TableInputError(f"max_examples must be a whole number >= 1, got {max_examples!r}")
    if n == 0:
        return []
    reasons = np.asarray(errors.reason, dtype=object)
    distinct, which = np.unique(reasons.astype(str), return_inverse=True)
    templates, values, kinds = [], [], []
    for reason in distinct.tolist():
        assigned = _ASSIGNED.match(reason)
        value = assigned.group(1) if assigned else None
        if value is None:
            first = _VALUE.search(reason)
            value = first.group(0) if first else None
        templates.append(_VALUE.sub("…", reason))
        values.append(value)
        kind: Kind | None = None
        if value is not None and _DECIMAL_COMMA.match(value):
            kind = "decimal comma"
        elif value is not None and _DAY_FIRST.match(value):
            kind = "day-first date"
        kinds.append(kind)
    which = which.reshape(-1)
    columns = np.asarray(errors.column, dtype=object).astype(str)
    names = np.asarray(errors.error, dtype=object).astype(str)
    rows = np.asarray(errors.row, dtype=np.int64)
    groups: dict[tuple[str, str, str, Kind | None], list[int]] = {}
    triples = zip(columns.tolist(), names.tolist(), which.tolist(), strict=True)
    for i, (column, error, r) in enumerate(triples):
        key = (column, error, templates[r], kinds[r])
        groups.setdefault(key, []).append(i)
    out = []
    for (column, error, template, kind), entries in groups.items():
        at = np.array(entries, dtype=np.int64)
        group_rows = np.unique(rows[at])
        seen: list[str] = []
        for r in which[at].tolist():
            value = values[r]
            if value is not None and value not in seen:
                seen.append(value)
                if len(seen) == max_examples:
                    break
        out.append(
            ErrorGroup(
                column=column,
                error=error,
                reason=template,
                n_rows=int(group_rows.size),
                rows=tuple(group_rows[:max_examples].tolist()),
                values=tuple(seen),
                kind=kind,
            )
        )
    out.sort(key=lambda g: (-g.n_rows, g.rows[0] if g.rows else 0))
    return out
