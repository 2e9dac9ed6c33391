"""Message catalogs (Norwegian Bokmål, Norwegian Nynorsk, English) keyed by stable ids.

Results carry a message id (for example ``"change.category.improved"``);
:func:`message` turns it into plain language for families in the chosen
locale. Plain words for families, the statistical term for researchers.
No process-wide locale is changed.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["CATALOGS", "Locale", "message", "normalise_locale"]

Locale = Literal["nb", "nn", "en"]

CATALOGS: dict[Locale, dict[str, str]] = {
    "nb": {
        "change.category.recovered": "Tydelig bedring, nå over grensen",
        "change.category.non_reliably_recovered": "Over grensen, men endringen er liten",
        "change.category.improved": "Tydelig bedring",
        "change.category.unchanged": "Ingen tydelig endring",
        "change.category.deteriorated": "Tydelig forverring",
        "change.category.harmed": "Tydelig forverring, nå under grensen",
        "alliance.below_cutoff": "Samarbeidet skåres under grensen",
        "alliance.drop": "Lavere enn forrige møte",
        "alliance.item_below": "Ett eller flere spørsmål skåres lavt",
        "alliance.ceiling": "Makspoeng flere ganger på rad",
        "alliance.missing": "Mangler skår for samarbeidet",
    },
    "nn": {
        "change.category.recovered": "Tydeleg betring, no over grensa",
        "change.category.non_reliably_recovered": "Over grensa, men endringa er lita",
        "change.category.improved": "Tydeleg betring",
        "change.category.unchanged": "Inga tydeleg endring",
        "change.category.deteriorated": "Tydeleg forverring",
        "change.category.harmed": "Tydeleg forverring, no under grensa",
        "alliance.below_cutoff": "Samarbeidet er skåra under grensa",
        "alliance.drop": "Lågare enn førre møte",
        "alliance.item_below": "Eitt eller fleire spørsmål er skåra lågt",
        "alliance.ceiling": "Maksimal skår fleire gonger på rad",
        "alliance.missing": "Manglar skår for samarbeidet",
    },
    "en": {
        "change.category.recovered": "Clear improvement, now above the cutoff",
        "change.category.non_reliably_recovered": "Above the cutoff, but the change is small",
        "change.category.improved": "Clear improvement",
        "change.category.unchanged": "No clear change",
        "change.category.deteriorated": "Clear deterioration",
        "change.category.harmed": "Clear deterioration, now below the cutoff",
        "alliance.below_cutoff": "Alliance rated below the cutoff",
        "alliance.drop": "Lower than the previous meeting",
        "alliance.item_below": "One or more items rated low",
        "alliance.ceiling": "Maximum score several times in a row",
        "alliance.missing": "No alliance rating",
    },
}

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
        raise ValueError(f"locale must be a string, got {type(locale).__name__}")
    base = locale.strip().lower().replace("_", "-").split(".")[0].split("-")[0]
    try:
        return _ALIASES[base]
    except KeyError:
        raise ValueError(f"unsupported locale {locale!r}; use nb, nn or en") from None


def message(message_id: str, locale: str = "nb") -> str:
    """The text of ``message_id`` in ``locale``.

    Examples
    --------
    >>> message("change.category.improved"), message("change.category.improved", "en")
    ('Tydelig bedring', 'Clear improvement')
    """
    catalog = CATALOGS[normalise_locale(locale)]
    try:
        return catalog[message_id]
    except KeyError:
        raise KeyError(f"unknown message id {message_id!r}") from None
