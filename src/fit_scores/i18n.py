"""Message catalogs (Norwegian Bokmål, Norwegian Nynorsk, English) keyed by stable ids.

Results carry a message id (for example ``"change.category.improved"``);
:func:`message` turns it into plain language for families in the chosen
locale. Plain words for families, the statistical term for researchers.
No process-wide locale is changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fit_scores._messages import charts as _charts
from fit_scores._messages import core as _core
from fit_scores._messages import research as _research
from fit_scores._messages import timeline as _timeline
from fit_scores.errors import LocaleError, UnknownMessageError

__all__ = ["CATALOGS", "Locale", "format_date", "format_number", "message", "normalise_locale"]

Locale = Literal["nb", "nn", "en"]


def _merge() -> dict[Locale, dict[str, str]]:
    merged: dict[Locale, dict[str, str]] = {"nb": {}, "nn": {}, "en": {}}
    for module in _MODULES:
        for locale in ("nb", "nn", "en"):
            for key, text in module.MESSAGES[locale].items():
                if key in merged[locale]:
                    raise RuntimeError(f"message id {key!r} is defined twice")
                merged[locale][key] = text
    return merged


_MODULES = (_core, _charts, _research, _timeline)
CATALOGS: dict[Locale, dict[str, str]] = _merge()

_ALIASES: dict[str, Locale] = {
    "nb": "nb",
    "no": "nb",
    "nob": "nb",
    "nn": "nn",
    "nno": "nn",
    "en": "en",
    "eng": "en",
}


def normalise_locale(locale: str) -> Locale:
    """Normalise a locale name ("no", "nb-NO", "nb_NO.UTF-8", "en-GB") to nb, nn or en.

    Examples
    --------
    >>> [normalise_locale(x) for x in ("no", "nb-NO", "nn_NO", "en-GB")]
    ['nb', 'nb', 'nn', 'en']
    """
    if not isinstance(locale, str):
        raise LocaleError(f"locale must be a string, got {type(locale).__name__}")
    base = locale.strip().lower().replace("_", "-").split(".")[0].split("-")[0]
    try:
        return _ALIASES[base]
    except KeyError:
        raise LocaleError(f"unsupported locale {locale!r}; use nb, nn or en") from None


def message(message_id: str, locale: str = "nb", **fields: object) -> str:
    """The text of ``message_id`` in ``locale``, with ``fields`` filled in.

    Numbers should be formatted with :func:`format_number` first, so that
    Norwegian text gets a decimal comma.

    Examples
    --------
    >>> message("change.category.improved"), message("change.category.improved", "en")
    ('Tydelig bedring', 'Clear improvement')
    """
    catalog = CATALOGS[normalise_locale(locale)]
    try:
        template = catalog[message_id]
    except KeyError:
        raise UnknownMessageError(f"unknown message id {message_id!r}") from None
    if not fields:
        return template
    try:
        return template.format(**fields)
    except KeyError as exc:
        raise UnknownMessageError(
            f"message {message_id!r} needs the field {exc.args[0]!r}"
        ) from None


def format_number(value: float, locale: str = "nb", *, decimals: int = 1) -> str:
    """A number with a decimal comma (nb, nn) or point (en); minus as U+2212.

    Examples
    --------
    >>> format_number(25.0), format_number(3, "nn", decimals=0)
    ('25,0', '3')
    >>> format_number(-4.25, "en", decimals=2) == MINUS + "4.25"
    True
    """
    text = f"{abs(value):.{decimals}f}"
    if normalise_locale(locale) != "en":
        text = text.replace(".", ",")
    return (MINUS if value < 0 and float(text.replace(",", ".")) != 0 else "") + text


MINUS = "\u2212"
"""The minus sign used in text (U+2212), as typeset Norwegian and English prefer."""

_MONTHS: dict[Locale, tuple[str, ...]] = {
    "nb": (
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "mai",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "okt.",
        "nov.",
        "des.",
    ),
    "nn": (
        "jan.",
        "feb.",
        "mars",
        "apr.",
        "mai",
        "juni",
        "juli",
        "aug.",
        "sep.",
        "okt.",
        "nov.",
        "des.",
    ),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def format_date(value: dt.date, locale: str = "nb", *, year: bool = True) -> str:
    """A short date: "5. mar. 2024" (nb), "5. mars 2024" (nn), "5 Mar 2024" (en).

    Examples
    --------
    >>> import datetime as dt
    >>> format_date(dt.date(2024, 3, 5)), format_date(dt.date(2024, 3, 5), "en", year=False)
    ('5. mar. 2024', '5 Mar')
    """
    loc = normalise_locale(locale)
    month = _MONTHS[loc][value.month - 1]
    day = f"{value.day}" if loc == "en" else f"{value.day}."
    return f"{day} {month} {value.year}" if year else f"{day} {month}"


def month_label(value: dt.date, locale: str = "nb") -> str:
    """A month and year for axis ticks: "mar. 2024" (nb), "Mar 2024" (en)."""
    return f"{_MONTHS[normalise_locale(locale)][value.month - 1]} {value.year}"
