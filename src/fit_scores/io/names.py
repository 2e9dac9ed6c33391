"""Column names: the known columns, their aliases, and declared grouping columns.

Every reader passes the names of its columns through
:func:`resolve_columns` before the table is built. A name is

- a known column (:data:`FIELD_COLUMNS`, or ``item_1``, ``item_2``, ...),
  or a grouping column the library knows (:data:`GROUP_COLUMNS`: ``family``),
- an alias of one (:data:`COLUMN_ALIASES`: Norwegian and English headers as
  spreadsheets write them, e.g. ``Alder``, ``Age``, ``dato``, ``økt``), read
  case-insensitively, with white space at either end ignored and white space,
  hyphens and underscores inside read alike,
- or a grouping column the caller declared (``group_columns=[...]``), kept
  under its name as given.

Anything else is an :class:`~fit_scores.errors.UnknownColumnError` that names
the column and suggests the closest known name. Before this rule, a column
headed ``Alder`` was silently kept as a grouping column while the age was
missing, so no age-dependent cutoff applied.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from fit_scores.errors import ColumnConflictError, TableInputError, UnknownColumnError

__all__ = [
    "COLUMN_ALIASES",
    "FIELD_COLUMNS",
    "GROUP_COLUMNS",
    "column_key",
    "rename",
    "resolve_columns",
]

#: The columns the rules read (besides the item columns ``item_1`` ... ``item_k``).
FIELD_COLUMNS = (
    "person",
    "scale",
    "rater",
    "rater_id",
    "date",
    "session",
    "episode",
    "age",
    "birth_date",
    "skip",
    "total",
    "ending_reason",
)

#: Grouping columns the library knows (kept without being declared): the family of a
#: person, as :func:`fit_scores.simulate.simulate_cohort` writes it.
GROUP_COLUMNS = ("family",)

#: Other headers read as a known column (compared after :func:`column_key`).
#: Only names that mean one column are here: ``id`` is the person (the rater's
#: identifier is ``rater_id``/``vurderer_id``), ``sum`` the total.
COLUMN_ALIASES: Mapping[str, tuple[str, ...]] = {
    "person": ("id", "person_id", "personid", "klient", "klient_id", "client", "client_id"),
    "scale": ("skala", "skjema", "form"),
    "rater": ("vurderer", "respondent", "informant"),
    "rater_id": ("vurderer_id", "respondent_id", "informant_id"),
    "date": ("dato",),
    "session": ("økt", "okt", "øktnummer", "sesjon", "session_number"),
    "episode": ("forløp", "forlop"),
    "age": ("alder",),
    "birth_date": ("fødselsdato", "fodselsdato", "birthdate", "date_of_birth", "dob"),
    "skip": ("hoppet_over",),
    "total": ("totalskår", "totalskar", "totalsum", "sum", "total_score"),
    "ending_reason": ("avslutningsårsak", "avslutningsarsak", "sluttårsak"),
    "family": ("familie", "family_id", "familie_id"),
}

_ITEM = re.compile(r"(?:item|ledd)_?([1-9][0-9]*)\Z")
#: Item-like names the table builder explains (``item_01``: no leading zeros; ``items``).
_EXPLAINED = re.compile(r"(?:item_0[0-9]*|items)\Z")
_SEPARATORS = re.compile(r"[\s_\-]+")

T = TypeVar("T")


def column_key(name: str) -> str:
    """The form in which a header is compared with the known names and aliases.

    NFC, case-folded, white space at either end removed, runs of white space,
    hyphens and underscores inside read as one ``_``.

    Examples
    --------
    >>> column_key("  Birth-Date "), column_key("Fødselsdato"), column_key("Item 3")
    ('birth_date', 'fødselsdato', 'item_3')
    """
    text = unicodedata.normalize("NFC", name).strip().casefold()
    return _SEPARATORS.sub("_", text)


def _lookup() -> dict[str, str]:
    table = {name: name for name in (*FIELD_COLUMNS, *GROUP_COLUMNS)}
    for name, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            table[column_key(alias)] = name
    return table


_LOOKUP = _lookup()  # (a constant: built once from the constants above)


def _known(name: str) -> str | None:
    key = column_key(name)
    found = _LOOKUP.get(key)
    if found is not None:
        return found
    match = _ITEM.match(key)
    if match is not None:
        return f"item_{match.group(1)}"
    return None


def _suggestion(name: str) -> str | None:
    key = column_key(name)
    if not key:
        return None
    candidates = dict(_LOOKUP)
    digits = re.search(r"([1-9][0-9]*)\Z", key)
    if digits is not None:
        candidates[f"item_{digits.group(1)}"] = f"item_{digits.group(1)}"
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.6)
    if close:
        target = candidates[close[0]]
        return target if close[0] == target else f"{close[0]} ({target})"
    if re.match(r"(?:item|ledd)", key):
        return "item_1, item_2, ..."
    return None


def resolve_columns(
    names: Sequence[str], group_columns: Iterable[str] | None = None
) -> dict[str, str]:
    """The name every given column is read under: known, alias or declared grouping column.

    Parameters
    ----------
    names : sequence of str
        The column names as given (a header row, the keys of records).
    group_columns : iterable of str, optional
        Names of the given columns to keep as grouping columns (for example
        ``["coordinator", "municipality"]``), under their name as given.

    Returns
    -------
    dict of str to str
        Every given name (in order) and the name it is read under.

    Raises
    ------
    UnknownColumnError
        If a column is neither known, an alias nor declared; the message names
        every such column and the closest known name.
    ColumnConflictError
        If two given columns are read as the same column (``person`` and
        ``id``; ``Age`` and ``alder``), or a declared grouping column is a
        known column's name.
    TableInputError
        If ``group_columns`` is not a list of names, or names a column that is
        not given.

    Examples
    --------
    >>> resolve_columns(["ID", "Skala", "Dato", "Alder", "Item 1", "koordinator"],
    ...                 group_columns=["koordinator"])  # doctest: +NORMALIZE_WHITESPACE
    {'ID': 'person', 'Skala': 'scale', 'Dato': 'date', 'Alder': 'age', 'Item 1': 'item_1',
     'koordinator': 'koordinator'}
    >>> resolve_columns(["person", "scale", "date", "Alderr"])
    Traceback (most recent call last):
    ...
    fit_scores.errors.UnknownColumnError: unknown column 'Alderr' (did you mean alder (age)?); \
declare grouping columns with group_columns=[...] (--group-column on the command line)
    """
    declared = _declared(group_columns)
    given = set(names)
    absent = [g for g in declared if g not in given]
    if absent:
        raise TableInputError(
            f"grouping column(s) {absent} declared but not in the data "
            f"(columns given: {list(names)})"
        )
    out: dict[str, str] = {}
    unknown: list[str] = []
    for name in names:
        known = _known(name)
        if name in declared:
            if known is not None and column_key(name) in FIELD_COLUMNS:
                raise ColumnConflictError(
                    f"column {name!r} is the known column {known!r}, not a grouping column; "
                    "remove it from group_columns"
                )
            out[name] = name
        elif known is None and _EXPLAINED.match(column_key(name)):
            out[name] = column_key(name)  # the table builder says what is wrong with it
        elif known is None:
            unknown.append(name)
        else:
            out[name] = known
    if unknown:
        raise UnknownColumnError(unknown, {u: _suggestion(u) for u in unknown})
    seen: dict[str, str] = {}
    for name, target in out.items():
        if target in seen:
            raise ColumnConflictError(
                f"columns {seen[target]!r} and {name!r} are both read as {target!r}; "
                "keep one of them (or declare the other a grouping column)"
            )
        seen[target] = name
    return out


def _declared(group_columns: Iterable[str] | None) -> list[str]:
    if group_columns is None:
        return []
    if isinstance(group_columns, str | bytes) or not isinstance(group_columns, Iterable):
        raise TableInputError(
            f"group_columns must be a list of column names, got {group_columns!r}"
        )
    names = list(group_columns)
    for name in names:
        if not isinstance(name, str) or not name:
            raise TableInputError(f"group_columns: a column name must be text, got {name!r}")
    return list(dict.fromkeys(names))


def rename(columns: Mapping[str, T], names: Mapping[str, str]) -> dict[str, T]:
    """``columns`` under the names of :func:`resolve_columns` (same order).

    Examples
    --------
    >>> rename({"Alder": 1, "ID": 2}, {"Alder": "age", "ID": "person"})
    {'age': 1, 'person': 2}
    """
    return {names[name]: values for name, values in columns.items()}
