"""Reasons of refused rows and records in a locale: the error report in nb, nn or en.

The rules layer and the io layer log their reasons in English (the text of the
exceptions and of :class:`~fit_scores.table.TableErrors`); every reason they
log has a message key with Norwegian Bokmål, Nynorsk and English templates
(``fit_scores._messages.errors``). :func:`localise_reason` turns a logged reason,
or the message of a raised :class:`~fit_scores.errors.FitScoresError`, into the
locale asked for; ``TableErrors.localised(locale)`` does it for a whole report.
"""

from __future__ import annotations

from fit_scores._messages import errors as _reasons
from fit_scores.i18n import normalise_locale

__all__ = ["localise_reason", "reason_key"]


def localise_reason(reason: str, locale: str = "nb") -> str:
    r"""A reason of a refused row or record (English, as logged or raised) in ``locale``.

    Values in the reason (what the user gave, dates, the scale's numbers) are
    kept as they are. A reason without a template (not a reason of the rules
    or of the readers) is returned unchanged (English).

    Parameters
    ----------
    reason : str
        A reason of the error report (``table.errors.reason[i]``) or the
        message of a :class:`~fit_scores.errors.FitScoresError`.
    locale : str
        ``"nb"``, ``"nn"`` or ``"en"`` (or an alias such as ``"no"``, ``"nb-NO"``).

    Examples
    --------
    >>> localise_reason("age = 140 is outside 0-130 years", "nn")
    'alder = 140 er utanfor 0-130 år'
    >>> text = localise_reason("session 3 on 2025-02-01 is out of order: it comes after "
    ...     "session 4 on 2025-01-10 in the same track; session numbers must increase with "
    ...     "the date")
    >>> print(text.replace("; ", ";\n"))
    økt 3 den 2025-02-01 er i feil rekkefølge: den kommer etter økt 4 den 2025-01-10 i samme forløp;
    øktnummer må øke med datoen
    """
    return _reasons.localise(reason, normalise_locale(locale))


def reason_key(reason: str) -> str | None:
    """The message key of a reason (``"reason.item_range"``, ``"reading.not_a_date"``), or ``None``.

    Keys of the rules layer start with ``reason.``, those of the readers with
    ``reading.``.

    Examples
    --------
    >>> reason_key("date is required"), reason_key("no idea")
    ('reason.required', None)
    >>> reason_key("date = '2025-13-01' is not a date; write YYYY-MM-DD")
    'reading.not_a_date'
    """
    found = _reasons.reason_key(reason)
    return None if found is None else found[0]
