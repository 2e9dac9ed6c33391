"""Exceptions raised by :mod:`fit_scores`.

Every error derives from :class:`FitScoresError`. Errors about bad values also
derive from :class:`ValueError`, so that pydantic turns them into a
``ValidationError`` at the edge of a model; the original exception stays
available as ``exc.errors()[0]["ctx"]["error"]``. Lookup errors derive from
:class:`LookupError`.

Every message names the field (or key, or row) and the reason.
"""

from __future__ import annotations

__all__ = [
    "AgeError",
    "ChangeInputError",
    "ChartInputError",
    "CliError",
    "ColumnConflictError",
    "CsvSyntaxError",
    "DateError",
    "DuplicateAdministrationError",
    "DuplicateMemberError",
    "FieldError",
    "FitScoresError",
    "GoalError",
    "IndicatorError",
    "ItemCountError",
    "ItemRangeError",
    "ItemResolutionError",
    "ItemValueTypeError",
    "LicenceRequiredError",
    "LocaleError",
    "MissingItemsError",
    "MissingThresholdError",
    "MixedTrackError",
    "NoReferenceDataError",
    "RaterError",
    "ScaleDefinitionError",
    "ScaleRegistrationError",
    "ScoreError",
    "SessionOrderError",
    "SimulationError",
    "TableInputError",
    "TextEncodingError",
    "TotalMismatchError",
    "TotalRangeError",
    "TrackError",
    "TrajectoryInputError",
    "UnknownColumnError",
    "UnknownItemError",
    "UnknownMessageError",
    "UnknownPersonError",
    "UnknownScaleError",
    "UnlinkedTablesWarning",
]


class FitScoresError(Exception):
    """Base class of every error raised by :mod:`fit_scores`."""


# --- scales ---------------------------------------------------------------


class UnknownScaleError(FitScoresError, LookupError, ValueError):
    """A scale key is not registered; the message lists the valid keys.

    It is a :class:`LookupError`, and a :class:`ValueError` so that a bad key
    in a record becomes a pydantic ``ValidationError`` like any other field.
    """

    def __str__(self) -> str:  # LookupError would quote the message
        return str(self.args[0]) if self.args else ""


class ScaleDefinitionError(FitScoresError, ValueError):
    """A scale definition is inconsistent (for example a cutoff outside the total range)."""


class ScaleRegistrationError(FitScoresError, ValueError):
    """A scale cannot be registered (for example its key is taken by another definition)."""


class MissingThresholdError(FitScoresError, LookupError):
    """A threshold (cutoff, reliable-change criterion, norm) is not published for this case.

    The message says which scale, age band and rater, and how to supply a value.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# --- scores -----------------------------------------------------------------


class ScoreError(FitScoresError, ValueError):
    """Base class of errors in item or total scores."""


class ItemValueTypeError(ScoreError):
    """A score is not a finite real number (a string, a boolean, NaN or infinity)."""


class ItemCountError(ScoreError):
    """The number of item scores does not match the scale."""


class UnknownItemError(ScoreError):
    """An item key given in a mapping is not an item of the scale."""


class ItemRangeError(ScoreError):
    """An item score lies outside the item range of the scale."""


class ItemResolutionError(ScoreError):
    """A score is not a whole number of resolution steps (for example 8.15 on a 0.1 scale)."""


class MissingItemsError(ScoreError):
    """Fewer items are answered than the scale's minimum-answered rule allows."""


class TotalRangeError(ScoreError):
    """A total score lies outside the total range of the scale."""


class TotalMismatchError(ScoreError):
    """A total score given together with item scores does not equal their total."""


# --- records -----------------------------------------------------------------


class RaterError(FitScoresError, ValueError):
    """The rater is not allowed for the scale, or the rater id is inconsistent."""


class AgeError(FitScoresError, ValueError):
    """An age is missing, negative, or outside the age range of the scale."""


class TrackError(FitScoresError, ValueError):
    """Base class of errors in a track (one person x scale x rater x episode)."""


class MixedTrackError(TrackError):
    """Administrations of different people, scales, raters or episodes were put in one track."""


class DuplicateAdministrationError(TrackError):
    """Two administrations of a track have the same date and session number."""


class SessionOrderError(TrackError):
    """Session numbers do not increase with the date."""


class DuplicateMemberError(FitScoresError, ValueError):
    """Two members of a family have the same id."""


class UnknownPersonError(FitScoresError, ValueError):
    """A track belongs to a person who is not a member of the family."""


# --- tables -----------------------------------------------------------------


class TableInputError(FitScoresError, ValueError):
    """The input cannot be read as a table at all.

    For example a required column is missing, the columns differ in length, or
    the CSV or JSON text cannot be parsed. Problems of single rows never raise:
    they go into :attr:`ScoreTable.errors <fit_scores.ScoreTable.errors>`.
    """


class CsvSyntaxError(TableInputError):
    r"""The text is not CSV as Python's ``csv`` module reads it (``strict=True``).

    Parameters
    ----------
    line : int
        The physical line (1-based; ``\n``, ``\r\n`` and ``\r`` end a line)
        where the reader stopped, as ``csv.reader(...).line_num``.
    reason : str
        What is wrong, in the ``csv`` module's words.
    """

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"CSV, line {line}: {reason}")
        self.line = line
        self.reason = reason


class FieldError(FitScoresError, ValueError):
    """A field of a row is missing or not of the required kind; the row is rejected.

    The batch counterpart of the field errors pydantic reports at the edge of
    :class:`~fit_scores.Administration`: a required field missing, a value of
    the wrong type, an invalid identifier, date, rater or session number.
    """


class DateError(FieldError):
    """A date lies after the day of the check (``as_of``, default today).

    A row dated 2052 for 2025 would otherwise become the latest score of its
    track; the row (or the record) is rejected with a reason naming the date.
    """


# --- analyses ---------------------------------------------------------------


class ChangeInputError(FitScoresError, ValueError):
    """Invalid input to a change analysis; the message names the argument or row."""


class TrajectoryInputError(FitScoresError, ValueError):
    """Invalid input to a trend or trajectory model; the message names the argument or row."""


class NoReferenceDataError(FitScoresError, LookupError):
    """A model has too little reference data for this intake and time."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# --- command line -------------------------------------------------------------


class CliError(FitScoresError, ValueError):
    """A command-line usage problem (a missing file, an unknown person)."""


# --- the yearly mapping and the family's plan ----------------------------------


class GoalError(FitScoresError, ValueError):
    """A goal, a goal rating or an input to goal attainment scaling is invalid.

    For example a level that is not on the goal's rating scale, a rating of an
    unknown goal, two ratings of one goal by one rater on one date, a weight
    below zero, or rho outside [0, 1). The message names the goal, the row or
    the argument.
    """


class IndicatorError(FitScoresError, ValueError):
    """An input to a living-conditions indicator is invalid.

    For example a household without adults, an income that is not a whole
    number of kroner, a low-income share outside (0, 1], or a year missing
    from a three-year window. The message names the field, the row or the
    argument.
    """


class LicenceRequiredError(FitScoresError, LookupError):
    """A score needs something an instrument's licence keeps, and it was not supplied.

    For example the T-value table of a KIDSCREEN dimension, the country value
    set of EQ-5D, the reverse key of a manual, or the confirmation that a
    service holds the licence for electronic scoring (SDQ, EQ-5D). The
    message names the instrument, what must be licensed or supplied, and how.
    """


# --- reading files: column names and text encodings ------------------------------


class UnknownColumnError(TableInputError):
    """A column is neither a known column, an alias of one, nor a declared grouping column.

    Parameters
    ----------
    columns : list of str
        The unknown column names.
    suggestions : dict of str to str or None
        The closest known name of every unknown column (``None``: none close).
    """

    def __init__(self, columns: list[str], suggestions: dict[str, str | None]) -> None:
        parts = []
        for name in columns:
            close = suggestions.get(name)
            parts.append(f"{name!r} (did you mean {close}?)" if close else repr(name))
        noun = "column" if len(columns) == 1 else "columns"
        super().__init__(
            f"unknown {noun} {', '.join(parts)}; declare grouping columns with "
            "group_columns=[...] (--group-column on the command line)"
        )
        self.columns = columns
        self.suggestions = suggestions


class ColumnConflictError(TableInputError):
    """Two given columns are read as one column (a name and its alias: ``age`` and ``Alder``)."""


class TextEncodingError(TableInputError):
    """The bytes of a file are not text in the expected encoding; the message names the file.

    Parameters
    ----------
    path : str
        The file.
    encoding : str
        The encoding the bytes were read with.
    position : int
        The offset of the first byte that does not decode.
    """

    def __init__(self, path: str, encoding: str, position: int) -> None:
        super().__init__(
            f"{path}: byte {position} is not {encoding} text; a spreadsheet export may be "
            "cp1252 or latin-1: give encoding='cp1252' (--encoding cp1252 on the command line)"
        )
        self.path = path
        self.encoding = encoding
        self.position = position


class ChartInputError(FitScoresError, ValueError):
    """A chart or report option is not one the function knows (axis, audience, locale use)."""


class UnlinkedTablesWarning(FitScoresError, UserWarning):
    """Two groupings of one summary were published apart: a suppressed cell may be derivable.

    Publish them together with :func:`fit_scores.table.disclosure.aggregate_linked`.
    """


# --- options of the library -----------------------------------------------------


class LocaleError(FitScoresError, ValueError):
    """A locale the library has no messages in (it speaks nb, nn and en)."""


class UnknownMessageError(FitScoresError, KeyError):
    """A message id that is not in the catalogues, or a message missing one of its fields."""


class SimulationError(FitScoresError, ValueError):
    """A parameter of the simulator is outside what it can simulate; the message names it."""
