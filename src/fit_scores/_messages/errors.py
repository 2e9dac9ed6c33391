"""Reasons of a refused row or record (why it is refused), in nb, nn and en.

Every reason that :mod:`fit_scores._core.rules`, :mod:`fit_scores._core.track_rules`,
:func:`fit_scores._core.text.check_identifiers` and the table builder log has a
message key here (``"reason.item_range"``, :data:`TEMPLATES`), and so has every
reason of the io layer, which logs a cell it cannot read (``"reading.not_a_date"``,
:data:`READING`). Each key has a template per locale. The English template is
the text of the exception and of the error report (English stays the default);
:func:`localise` recognises a logged English reason by its template, takes the
values out of it (the values the user gave, the dates, the scale's numbers,
kept as they are) and writes them into the template of the locale asked for.
A reason without a template is returned as it is.
"""

from __future__ import annotations

import re
import string

__all__ = ["MESSAGES", "READING", "RECORDS", "TEMPLATES", "YEARLY", "localise", "reason_key"]

#: key: (en, nb, nn). Fields in braces; the English text is what the rules log.
TEMPLATES: dict[str, tuple[str, str, str]] = {
    "reason.required": (
        "{column} is required",
        "{column} mangler",
        "{column} manglar",
    ),
    "reason.date_after_as_of": (
        "date {date} is after the day of the check ({as_of}); check the year, or give as_of",
        "datoen {date} er etter kontrolldagen ({as_of}); sjekk årstallet, eller oppgi as_of",
        "datoen {date} er etter kontrolldagen ({as_of}); sjekk årstalet, eller oppgi as_of",
    ),
    "reason.session_number": (
        "session = {session} is not a session number (1, 2, ...)",
        "økt = {session} er ikke et øktnummer (1, 2, ...)",
        "økt = {session} er ikkje eit øktnummer (1, 2, ...)",
    ),
    "reason.age_range": (
        "age = {age} is outside 0-{max_age} years",
        "alder = {age} er utenfor 0-{max_age} år",
        "alder = {age} er utanfor 0-{max_age} år",
    ),
    "reason.before_birth": (
        "the date {date} is before the birth date {birth}",
        "datoen {date} er før fødselsdatoen {birth}",
        "datoen {date} er før fødselsdatoen {birth}",
    ),
    "reason.too_old": (
        "the age at the date would be {age} (over {max_age})",
        "alderen på datoen ville vært {age} (over {max_age})",
        "alderen på datoen ville vore {age} (over {max_age})",
    ),
    "reason.age_disagrees": (
        "age {age} disagrees with the birth date {birth} ({derived} years on {date})",
        "alder {age} stemmer ikke med fødselsdatoen {birth} ({derived} år den {date})",
        "alder {age} stemmer ikkje med fødselsdatoen {birth} ({derived} år den {date})",
    ),
    "reason.no_score": (
        "no score: give items or total (or both), or mark a form that was not filled in with skip",
        "ingen skår: oppgi spørsmål eller totalskår (eller begge), eller marker et skjema "
        "som ikke ble fylt ut med skip",
        "ingen skår: oppgi spørsmål eller totalskår (eller begge), eller merk eit skjema "
        "som ikkje vart fylt ut med skip",
    ),
    "reason.skip_with_scores": (
        "a skipped form has no scores; clear the items and total, or skip",
        "et skjema som er hoppet over har ingen skår; fjern spørsmål og totalskår, eller skip",
        "eit skjema som er hoppa over har ingen skår; fjern spørsmål og totalskår, eller skip",
    ),
    "reason.rater_not_allowed": (
        "rater {rater} is not allowed for {scale}; allowed: {allowed}",
        "vurderer {rater} er ikke tillatt for {scale}; tillatt: {allowed}",
        "vurderar {rater} er ikkje tillaten for {scale}; tillatne: {allowed}",
    ),
    "reason.age_outside_scale": (
        "age {age}: {scale} is for ages {ages}",
        "alder {age}: {scale} er for alder {ages}",
        "alder {age}: {scale} er for alder {ages}",
    ),
    "reason.item_too_many": (
        "{scale} has {m} items ({keys}); {item} is one too many",
        "{scale} har {m} spørsmål ({keys}); {item} er ett for mye",
        "{scale} har {m} spørsmål ({keys}); {item} er eitt for mykje",
    ),
    "reason.item_not_given": (
        "{scale} has {m} items ({keys}); {absent} is not given: give every item, empty "
        "(None) where unanswered",
        "{scale} har {m} spørsmål ({keys}); {absent} mangler: oppgi alle spørsmål, tomme "
        "(None) der de ikke er besvart",
        "{scale} har {m} spørsmål ({keys}); {absent} manglar: oppgi alle spørsmål, tomme "
        "(None) der dei ikkje er svara på",
    ),
    "reason.items_not_given": (
        "{scale} has {m} items ({keys}); {absent} are not given: give every item, empty "
        "(None) where unanswered",
        "{scale} har {m} spørsmål ({keys}); {absent} mangler: oppgi alle spørsmål, tomme "
        "(None) der de ikke er besvart",
        "{scale} har {m} spørsmål ({keys}); {absent} manglar: oppgi alle spørsmål, tomme "
        "(None) der dei ikkje er svara på",
    ),
    "reason.items_missing": (
        "{n} of {m} items answered; {scale} needs at least {required}",
        "{n} av {m} spørsmål besvart; {scale} trenger minst {required}",
        "{n} av {m} spørsmål svara på; {scale} treng minst {required}",
    ),
    "reason.item_range": (
        "{name} ({key}) = {value} is outside the item range {low}-{high} of {scale}",
        "{name} ({key}) = {value} er utenfor skårområdet {low}-{high} for {scale}",
        "{name} ({key}) = {value} er utanfor skårområdet {low}-{high} for {scale}",
    ),
    "reason.item_resolution": (
        "{name} ({key}) = {value} is not a multiple of the resolution {step} of {scale}",
        "{name} ({key}) = {value} er ikke et multiplum av oppløsningen {step} for {scale}",
        "{name} ({key}) = {value} er ikkje eit multiplum av oppløysinga {step} for {scale}",
    ),
    "reason.total_mismatch": (
        "total = {value} does not equal the total of the items ({exact}) for {scale}; give "
        "items only, or the exact total",
        "totalskår = {value} er ikke lik summen av spørsmålene ({exact}) for {scale}; oppgi "
        "bare spørsmålene, eller den eksakte totalskåren",
        "totalskår = {value} er ikkje lik summen av spørsmåla ({exact}) for {scale}; oppgi "
        "berre spørsmåla, eller den eksakte totalskåren",
    ),
    "reason.total_range": (
        "total = {value} is outside the total range {low}-{high} of {scale}",
        "totalskår = {value} er utenfor området {low}-{high} for {scale}",
        "totalskår = {value} er utanfor området {low}-{high} for {scale}",
    ),
    "reason.total_resolution": (
        "total = {value} is not a multiple of the total resolution {step} of {scale}",
        "totalskår = {value} er ikke et multiplum av oppløsningen {step} for {scale}",
        "totalskår = {value} er ikkje eit multiplum av oppløysinga {step} for {scale}",
    ),
    "reason.unknown_rater": (
        "rater = {value} is not a rater; use 'self', 'caretaker' or 'collateral'",
        "vurderer = {value} er ikke en vurderer; bruk 'self', 'caretaker' eller 'collateral'",
        "vurderar = {value} er ikkje ein vurderar; bruk 'self', 'caretaker' eller 'collateral'",
    ),
    "reason.self_rater_id": (
        "rater_id {rater_id} differs from person {person} for a self-rating; use rater "
        "'caretaker' or 'collateral'",
        "rater_id {rater_id} er ikke personen {person} ved egenvurdering; bruk vurderer "
        "'caretaker' eller 'collateral'",
        "rater_id {rater_id} er ikkje personen {person} ved eigenvurdering; bruk vurderar "
        "'caretaker' eller 'collateral'",
    ),
    "reason.duplicate": (
        "the same person, scale, rater, rater id, episode, date ({date}) and session "
        "({session}) as row {row}; give session numbers or drop one",
        "samme person, skala, vurderer, vurderer-id, episode, dato ({date}) og økt "
        "({session}) som rad {row}; oppgi øktnummer eller fjern én",
        "same person, skala, vurderar, vurderar-id, episode, dato ({date}) og økt "
        "({session}) som rad {row}; oppgi øktnummer eller fjern éi",
    ),
    "reason.session_order_between": (
        "session {session} on {date} is out of order: it comes after session {before} on "
        "{before_date} and before session {after} on {after_date} in the same track; session "
        "numbers must increase with the date",
        "økt {session} den {date} er i feil rekkefølge: den kommer etter økt {before} den "
        "{before_date} og før økt {after} den {after_date} i samme forløp; øktnummer må øke "
        "med datoen",
        "økt {session} den {date} er i feil rekkjefølgje: ho kjem etter økt {before} den "
        "{before_date} og før økt {after} den {after_date} i same forløp; øktnummer må auke "
        "med datoen",
    ),
    "reason.session_order_after": (
        "session {session} on {date} is out of order: it comes after session {before} on "
        "{before_date} in the same track; session numbers must increase with the date",
        "økt {session} den {date} er i feil rekkefølge: den kommer etter økt {before} den "
        "{before_date} i samme forløp; øktnummer må øke med datoen",
        "økt {session} den {date} er i feil rekkjefølgje: ho kjem etter økt {before} den "
        "{before_date} i same forløp; øktnummer må auke med datoen",
    ),
    "reason.session_order_before": (
        "session {session} on {date} is out of order: it comes before session {after} on "
        "{after_date} in the same track; session numbers must increase with the date",
        "økt {session} den {date} er i feil rekkefølge: den kommer før økt {after} den "
        "{after_date} i samme forløp; øktnummer må øke med datoen",
        "økt {session} den {date} er i feil rekkjefølgje: ho kjem før økt {after} den "
        "{after_date} i same forløp; øktnummer må auke med datoen",
    ),
    "reason.id_invisible": (
        "{column} = {value} contains {code}, a control or invisible character; remove it",
        "{column} = {value} inneholder {code}, et kontrolltegn eller usynlig tegn; fjern det",
        "{column} = {value} inneheld {code}, eit kontrollteikn eller usynleg teikn; fjern det",
    ),
    "reason.id_blank": (
        "{column} = {value} is blank; give an id or leave it empty",
        "{column} = {value} er blank; oppgi en id eller la feltet stå tomt",
        "{column} = {value} er blank; oppgi ein id eller la feltet stå tomt",
    ),
    "reason.id_too_long": (
        "{column} is {length} characters long; an id has at most {max_length}",
        "{column} er {length} tegn lang; en id har høyst {max_length}",
        "{column} er {length} teikn lang; ein id har høgst {max_length}",
    ),
}

#: The reasons of the io layer (:mod:`fit_scores.io.columns`, the readers, the scale
#: lookup): a cell, record or field that cannot be read. key: (en, nb, nn). A template
#: whose text another one's pattern also matches comes first (``"a boolean"`` before
#: ``"a {type}"``): the first template that matches a reason is its key.
READING: dict[str, tuple[str, str, str]] = {
    "reading.number_not_finite": (
        "{column} = {value} is not a finite number",
        "{column} = {value} er ikke et endelig tall",
        "{column} = {value} er ikkje eit endeleg tal",
    ),
    "reading.not_a_number": (
        "{column} = {value} is not a number (write e.g. 7.5: digits, a point, no spaces)",
        "{column} = {value} er ikke et tall (skriv f.eks. 7.5: sifre, punktum, ingen mellomrom)",
        "{column} = {value} er ikkje eit tal (skriv t.d. 7.5: siffer, punktum, ingen mellomrom)",
    ),
    "reading.score_string": (
        "{column} = {value}: a string is not a score; give a number",
        "{column} = {value}: tekst er ikke en skår; oppgi et tall",
        "{column} = {value}: tekst er ikkje ein skår; oppgi eit tal",
    ),
    "reading.score_boolean": (
        "{column} = {value}: a boolean is not a score",
        "{column} = {value}: en sannhetsverdi er ikke en skår",
        "{column} = {value}: ein sanningsverdi er ikkje ein skår",
    ),
    "reading.score_type_not_finite": (
        "{column}: {type} value is not a finite number",
        "{column}: en verdi av typen {type} er ikke et endelig tall",
        "{column}: ein verdi av typen {type} er ikkje eit endeleg tal",
    ),
    "reading.score_type": (
        "{column}: {type} is not a number",
        "{column}: en verdi av typen {type} er ikke et tall",
        "{column}: ein verdi av typen {type} er ikkje eit tal",
    ),
    "reading.score_dtype": (
        "{column}: {dtype} values are not scores",
        "{column}: verdier av typen {dtype} er ikke skårer",
        "{column}: verdiar av typen {dtype} er ikkje skårar",
    ),
    "reading.not_whole": (
        "{column} = {value} is not a whole number",
        "{column} = {value} er ikke et heltall",
        "{column} = {value} er ikkje eit heiltal",
    ),
    "reading.whole_string": (
        "{column} = {value}: a string is not a whole number; give an integer",
        "{column} = {value}: tekst er ikke et heltall; oppgi et heltall",
        "{column} = {value}: tekst er ikkje eit heiltal; oppgi eit heiltal",
    ),
    "reading.whole_boolean": (
        "{column} = {value}: a boolean is not a whole number; give an integer",
        "{column} = {value}: en sannhetsverdi er ikke et heltall; oppgi et heltall",
        "{column} = {value}: ein sanningsverdi er ikkje eit heiltal; oppgi eit heiltal",
    ),
    "reading.whole_type": (
        "{column} = {value}: a {type} is not a whole number; give an integer",
        "{column} = {value}: en verdi av typen {type} er ikke et heltall; oppgi et heltall",
        "{column} = {value}: ein verdi av typen {type} er ikkje eit heiltal; oppgi eit heiltal",
    ),
    "reading.too_large": (
        "{column}: the number is too large",
        "{column}: tallet er for stort",
        "{column}: talet er for stort",
    ),
    "reading.whole_dtype": (
        "{column}: {dtype} values are not whole numbers",
        "{column}: verdier av typen {dtype} er ikke heltall",
        "{column}: verdiar av typen {dtype} er ikkje heiltal",
    ),
    "reading.date_time_of_day": (
        "{column} = {value} is not a date (a time of day, or a year outside 1-9999)",
        "{column} = {value} er ikke en dato (et klokkeslett, eller et år utenfor 1-9999)",
        "{column} = {value} er ikkje ein dato (eit klokkeslett, eller eit år utanfor 1-9999)",
    ),
    "reading.date_coarse": (
        "{column} = {value} is not a date (a week, a month or a year): give the day",
        "{column} = {value} er ikke en dato (en uke, en måned eller et år): oppgi dagen",
        "{column} = {value} er ikkje ein dato (ei veke, ein månad eller eit år): oppgi dagen",
    ),
    "reading.date_time": (
        "{column} = {value}: a date-time is not a date; give the date",
        "{column} = {value}: et tidspunkt er ikke en dato; oppgi datoen",
        "{column} = {value}: eit tidspunkt er ikkje ein dato; oppgi datoen",
    ),
    "reading.date_type": (
        "{column} = {value}: a {type} is not a date; write YYYY-MM-DD",
        "{column} = {value}: en verdi av typen {type} er ikke en dato; skriv ÅÅÅÅ-MM-DD",
        "{column} = {value}: ein verdi av typen {type} er ikkje ein dato; skriv ÅÅÅÅ-MM-DD",
    ),
    "reading.not_a_date": (
        "{column} = {value} is not a date; write YYYY-MM-DD",
        "{column} = {value} er ikke en dato; skriv ÅÅÅÅ-MM-DD",
        "{column} = {value} er ikkje ein dato; skriv ÅÅÅÅ-MM-DD",
    ),
    "reading.date_dtype": (
        "{column}: {dtype} values are not dates; write YYYY-MM-DD",
        "{column}: verdier av typen {dtype} er ikke datoer; skriv ÅÅÅÅ-MM-DD",
        "{column}: verdiar av typen {dtype} er ikkje datoar; skriv ÅÅÅÅ-MM-DD",
    ),
    "reading.flag_text": (
        "{column} = {value}: give true or false, not text",
        "{column} = {value}: oppgi true eller false, ikke tekst",
        "{column} = {value}: oppgi true eller false, ikkje tekst",
    ),
    "reading.flag": (
        "{column} = {value}: give true or false",
        "{column} = {value}: oppgi true eller false",
        "{column} = {value}: oppgi true eller false",
    ),
    "reading.not_a_flag": (
        "{column} = {value} is not true/false (write true, false, 1 or 0)",
        "{column} = {value} er ikke true/false (skriv true, false, 1 eller 0)",
        "{column} = {value} er ikkje true/false (skriv true, false, 1 eller 0)",
    ),
    "reading.flag_numbers": (
        "{column}: give true or false, not numbers",
        "{column}: oppgi true eller false, ikke tall",
        "{column}: oppgi true eller false, ikkje tal",
    ),
    "reading.flag_dtype": (
        "{column}: give true or false, not {dtype} values",
        "{column}: oppgi true eller false, ikke verdier av typen {dtype}",
        "{column}: oppgi true eller false, ikkje verdiar av typen {dtype}",
    ),
    "reading.id_type": (
        "{column} = {value}: give text or a whole number",
        "{column} = {value}: oppgi tekst eller et heltall",
        "{column} = {value}: oppgi tekst eller eit heiltal",
    ),
    "reading.key_type": (
        "{column} = {value}: give text",
        "{column} = {value}: oppgi tekst",
        "{column} = {value}: oppgi tekst",
    ),
    "reading.id_dtype": (
        "{column}: {dtype} values are not text or a whole number",
        "{column}: verdier av typen {dtype} er ikke tekst eller et heltall",
        "{column}: verdiar av typen {dtype} er ikkje tekst eller eit heiltal",
    ),
    "reading.key_dtype": (
        "{column}: {dtype} values are not text",
        "{column}: verdier av typen {dtype} er ikke tekst",
        "{column}: verdiar av typen {dtype} er ikkje tekst",
    ),
    "reading.unknown_scale": (
        "unknown scale {key}; valid keys: {keys}",
        "ukjent skala {key}; gyldige skalaer: {keys}",
        "ukjend skala {key}; gyldige skalaer: {keys}",
    ),
    "reading.record_not_mapping": (
        "a record must be a mapping of column names to values",
        "en rad må være en oppslagstabell fra kolonnenavn til verdier (som en dict)",
        "ei rad må vere ein oppslagstabell frå kolonnenamn til verdiar (som ein dict)",
    ),
    "reading.ragged": (
        "the record has {n} fields; the header has {width}",
        "raden har {n} felt; overskriftsraden har {width}",
        "rada har {n} felt; overskriftsrada har {width}",
    ),
    "reading.field_too_long": (
        "{column}: a field of {length} characters; the limit is {limit}",
        "{column}: et felt på {length} tegn; grensen er {limit}",
        "{column}: eit felt på {length} teikn; grensa er {limit}",
    ),
}

#: The reasons of the record models that a table has no counterpart of (a record's items
#: as one field, a track of one person, a family's members). key: (en, nb, nn).
RECORDS: dict[str, tuple[str, str, str]] = {
    "record.items_type": (
        "items must be a sequence or mapping of numbers",
        "items må være en liste eller en oppslagstabell av tall",
        "items må vere ei liste eller ein oppslagstabell av tal",
    ),
    "record.unknown_items": (
        "items: unknown item key(s) {keys} for {scale}; items are {items}",
        "items: ukjente spørsmål {keys} for {scale}; spørsmålene er {items}",
        "items: ukjende spørsmål {keys} for {scale}; spørsmåla er {items}",
    ),
    "record.mixed_track": (
        "{field} is {value} but administrations[0] has {first}; a track holds one person x "
        "scale x rater x episode",
        "{field} er {value}, men administrations[0] har {first}; et forløp gjelder én "
        "person, skala, vurderer og episode",
        "{field} er {value}, men administrations[0] har {first}; eit forløp gjeld éin "
        "person, skala, vurderar og episode",
    ),
    "record.member_age": (
        "age {age} disagrees with member {member}, who is {years} on that date",
        "alder {age} stemmer ikke med medlemmet {member}, som er {years} år på den datoen",
        "alder {age} stemmer ikkje med medlemmen {member}, som er {years} år på den datoen",
    ),
}

#: The reasons of the yearly mapping (:func:`fit_scores.cohort.yearly_table`, the yearly
#: records, the living-conditions indicators, goal attainment, instrument scoring).
#: key: (en, nb, nn).
YEARLY: dict[str, tuple[str, str, str]] = {
    "yearly.expected_number": (
        "{column} = {value}: expected a number",
        "{column} = {value}: skal være et tall",
        "{column} = {value}: skal vere eit tal",
    ),
    "yearly.not_whole": (
        "{column} = {value}: not a whole number",
        "{column} = {value}: ikke et heltall",
        "{column} = {value}: ikkje eit heiltal",
    ),
    "yearly.not_finite": (
        "{column} = {value}: not a finite number",
        "{column} = {value}: ikke et endelig tall",
        "{column} = {value}: ikkje eit endeleg tal",
    ),
    "yearly.value_required": (
        "{column}: a value is required",
        "{column}: en verdi mangler",
        "{column}: ein verdi manglar",
    ),
    "yearly.above": (
        "{column}: {value} is above the allowed {high}",
        "{column}: {value} er over høyeste tillatte verdi {high}",
        "{column}: {value} er over høgaste tillatne verdi {high}",
    ),
    "yearly.below": (
        "{column}: {value} is below the allowed {low}",
        "{column}: {value} er under laveste tillatte verdi {low}",
        "{column}: {value} er under lågaste tillatne verdi {low}",
    ),
    "yearly.area": (
        "{column}: {value} is not an area above 0",
        "{column}: {value} er ikke et areal over 0",
        "{column}: {value} er ikkje eit areal over 0",
    ),
    "yearly.hours": (
        "{column}: {value} is not hours >= 0",
        "{column}: {value} er ikke et antall timer >= 0",
        "{column}: {value} er ikkje eit tal timar >= 0",
    ),
    "yearly.whole": (
        "{column}: {value} is not a whole number",
        "{column}: {value} er ikke et heltall",
        "{column}: {value} er ikkje eit heiltal",
    ),
    "yearly.outside": (
        "{column}: {value} is outside {low}-{high}",
        "{column}: {value} er utenfor {low}-{high}",
        "{column}: {value} er utanfor {low}-{high}",
    ),
    "yearly.not_one_of": (
        "{column} = {value}: not one of {words}",
        "{column} = {value}: ikke en av {words}",
        "{column} = {value}: ikkje ein av {words}",
    ),
    "yearly.expected_flag": (
        "{column} = {value}: expected True or False",
        "{column} = {value}: skal være True eller False",
        "{column} = {value}: skal vere True eller False",
    ),
    "yearly.response_range": (
        "{item} = {value} is outside the response range {low}-{high} of {instrument}",
        "{item} = {value} er utenfor svarområdet {low}-{high} for {instrument}",
        "{item} = {value} er utanfor svarområdet {low}-{high} for {instrument}",
    ),
    "yearly.response_code": (
        "{item} = {value} is not a whole response code of {instrument}",
        "{item} = {value} er ikke en hel svarkode for {instrument}",
        "{item} = {value} er ikkje ein heil svarkode for {instrument}",
    ),
    "yearly.goal_twice": (
        "goal id {goal} is used twice in the plan of family {family}",
        "mål-id {goal} er brukt to ganger i planen til familien {family}",
        "mål-id {goal} er brukt to gonger i planen til familien {family}",
    ),
    "yearly.child_goal_person": (
        "goal {goal}: person_id is required for a goal of a child",
        "mål {goal}: person_id må oppgis for et mål for et barn",
        "mål {goal}: person_id må oppgjevast for eit mål for eit barn",
    ),
    "yearly.family_goal_person": (
        "goal {goal}: a family goal has no person_id (got {value})",
        "mål {goal}: et familiemål har ingen person_id (fikk {value})",
        "mål {goal}: eit familiemål har ingen person_id (fekk {value})",
    ),
    "yearly.baseline": (
        "goal {goal}: baseline_level {level} is not a baseline of the {method} method ({allowed})",
        "mål {goal}: baseline_level {level} er ikke et utgangsnivå i metoden {method} ({allowed})",
        "mål {goal}: baseline_level {level} er ikkje eit utgangsnivå i metoden {method} "
        "({allowed})",
    ),
    "yearly.gas_level": (
        "{value} is not a GAS level ({levels})",
        "{value} er ikke et GAS-nivå ({levels})",
        "{value} er ikkje eit GAS-nivå ({levels})",
    ),
}

#: Every template by its key: the rules layer's, the io layer's, the records', the yearly's.
_ALL: dict[str, tuple[str, str, str]] = {**TEMPLATES, **READING, **RECORDS, **YEARLY}

#: The templates as message catalogues (the layout of :mod:`fit_scores.i18n`).
MESSAGES: dict[str, dict[str, str]] = {
    locale: {key: texts[i] for key, texts in _ALL.items()}
    for i, locale in enumerate(("en", "nb", "nn"))
}

#: A reason of a record in a track or family starts with where it is (a list of the track
#: or family, and the record's date or year), and may name the family member.
_PREFIX = re.compile(
    r"(?P<prefix>(?:administrations|tracks|yearly\.\w+|plan\.\w+)\[\d+\][^:]*: "
    r"(?:person (?:'[^']*'|\"[^\"]*\"): )?)(?P<rest>.*)\Z",
    re.S,
)


#: What a field of a template may match, where not any text: a column name has no colon
#: (so ``"persons: a value is required"`` is not the column ``"persons: a value"``), a
#: type is a Python type name and a dtype one word (so that a user's value such as
#: ``'10.01: a Monday'`` is not taken for ``": a {type}"``). A reason they do not fit
#: stays as it is.
_FIELD_PATTERNS = {"column": r"[^:]*?", "type": r"[A-Za-z_][A-Za-z0-9_.]*", "dtype": r"\S+?"}


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(f"(?P<{field}>{_FIELD_PATTERNS.get(field, '.*?')})")
    return re.compile("".join(parts) + r"\Z", re.S)


_PATTERNS = [(key, _pattern(texts[0])) for key, texts in _ALL.items()]


def reason_key(reason: str) -> tuple[str, dict[str, str]] | None:
    """The message key and the values of an English reason; ``None`` if it has no template.

    Examples
    --------
    >>> reason_key("age = 140 is outside 0-130 years")
    ('reason.age_range', {'age': '140', 'max_age': '130'})
    """
    for key, pattern in _PATTERNS:
        found = pattern.match(reason)
        if found is not None:
            return key, found.groupdict()
    return None


def localise(reason: str, locale: str) -> str:
    """An English reason in ``locale`` (``"nb"``, ``"nn"`` or ``"en"``, already normalised).

    Examples
    --------
    >>> localise("age = 140 is outside 0-130 years", "nb")
    'alder = 140 er utenfor 0-130 år'
    >>> localise("something else", "nn")
    'something else'
    """
    index = {"en": 0, "nb": 1, "nn": 2}[locale]
    prefix = ""
    found = reason_key(reason)
    if found is None:
        located = _PREFIX.match(reason)
        if located is None:
            return reason
        prefix = located["prefix"]
        found = reason_key(located["rest"])
        if found is None:
            return reason
    key, values = found
    return prefix + _ALL[key][index].format(**values)
