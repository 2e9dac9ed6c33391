"""Messages of the research charts (:mod:`fit_scores.charts.research`).

For researchers: the statistical terms (reliable change, cutoff, percentile,
confidence interval), in Norwegian Bokmål, Norwegian Nynorsk and English.
Numbers are formatted with :func:`fit_scores.i18n.format_number` before they
are filled in; percentages go through ``research.percent`` (a space before
the per cent sign in Norwegian, none in English).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nb": {
        "research.describe.counts": "{label}: {n}",
        "research.describe.share": "{label}: {percent} (konfidensintervall {low} til {high})",
        "research.describe.group": "{group}:",
        "research.describe.fan_session": (
            "Møte {at}: forventet {median}; persentil {low_p} til {high_p}: {low} til {high}."
        ),
        "research.describe.fan_days": (
            "Dag {at}: forventet {median}; persentil {low_p} til {high_p}: {low} til {high}."
        ),
        "research.category.recovered": "Klinisk signifikant bedring",
        "research.category.non_reliably_recovered": "Over grensen uten reliabel bedring",
        "research.category.improved": "Bedret",
        "research.category.unchanged": "Uendret",
        "research.category.deteriorated": "Forverret",
        "research.category.harmed": "Klinisk signifikant forverring",
        "research.count": "{label} (n = {n})",
        "research.group": "{group} (n = {n})",
        "research.percent": "{value} %",
        "research.direction.higher": "Høyere skår er bedre",
        "research.direction.lower": "Lavere skår er bedre",
        "research.scatter.title": "Skår før og etter (n = {n})",
        "research.scatter.title_excluded": "Skår før og etter (n = {n} av {total})",
        "research.scatter.x": "Skår før",
        "research.scatter.y": "Skår etter",
        "research.scatter.identity": "Ingen endring (før = etter)",
        "research.scatter.band_rci": "Ingen reliabel endring ({method}, z = {z})",
        "research.scatter.band_anchor": (
            "Endring under MID (bedring {improvement}, forverring {deterioration} poeng)"
        ),
        "research.scatter.band_percentage": (
            "Endring under terskel (bedring {improvement}, forverring {deterioration})"
        ),
        "research.scatter.cutoff": "Grenseverdi {type} ({method}) = {value}",
        "research.shares.title": "Andel per kategori (n = {n})",
        "research.shares.title_excluded": "Andel per kategori (n = {n} av {total})",
        "research.shares.x": "Andel med {level} konfidensintervall (Wilson)",
        "research.shares.value": "{percent} ({n})",
        "research.fan.title": "Forventet forløp ({model}), startskår {intake}",
        "research.fan.model.growth": "vekstmodell",
        "research.fan.model.cohort": "kohortmodell",
        "research.fan.model.neighbours": "nærmeste naboer",
        "research.fan.x.session": "Møte nr.",
        "research.fan.x.days": "Dager siden første måling",
        "research.fan.y": "Skår",
        "research.fan.median": "Forventet (median)",
        "research.fan.band": "Persentil {low} til {high}",
        "research.fan.observed": "Observert",
        "research.fan.reference": "Referanse: {n} forløp",
    },
    "nn": {
        "research.describe.counts": "{label}: {n}",
        "research.describe.share": "{label}: {percent} (konfidensintervall {low} til {high})",
        "research.describe.group": "{group}:",
        "research.describe.fan_session": (
            "Møte {at}: forventa {median}; persentil {low_p} til {high_p}: {low} til {high}."
        ),
        "research.describe.fan_days": (
            "Dag {at}: forventa {median}; persentil {low_p} til {high_p}: {low} til {high}."
        ),
        "research.category.recovered": "Klinisk signifikant betring",
        "research.category.non_reliably_recovered": "Over grensa utan reliabel betring",
        "research.category.improved": "Betra",
        "research.category.unchanged": "Uendra",
        "research.category.deteriorated": "Forverra",
        "research.category.harmed": "Klinisk signifikant forverring",
        "research.count": "{label} (n = {n})",
        "research.group": "{group} (n = {n})",
        "research.percent": "{value} %",
        "research.direction.higher": "Høgare skår er betre",
        "research.direction.lower": "Lågare skår er betre",
        "research.scatter.title": "Skår før og etter (n = {n})",
        "research.scatter.title_excluded": "Skår før og etter (n = {n} av {total})",
        "research.scatter.x": "Skår før",
        "research.scatter.y": "Skår etter",
        "research.scatter.identity": "Inga endring (før = etter)",
        "research.scatter.band_rci": "Inga reliabel endring ({method}, z = {z})",
        "research.scatter.band_anchor": (
            "Endring under MID (betring {improvement}, forverring {deterioration} poeng)"
        ),
        "research.scatter.band_percentage": (
            "Endring under terskel (betring {improvement}, forverring {deterioration})"
        ),
        "research.scatter.cutoff": "Grenseverdi {type} ({method}) = {value}",
        "research.shares.title": "Prosentdel per kategori (n = {n})",
        "research.shares.title_excluded": "Prosentdel per kategori (n = {n} av {total})",
        "research.shares.x": "Prosentdel med {level} konfidensintervall (Wilson)",
        "research.shares.value": "{percent} ({n})",
        "research.fan.title": "Forventa forløp ({model}), startskår {intake}",
        "research.fan.model.growth": "vekstmodell",
        "research.fan.model.cohort": "kohortmodell",
        "research.fan.model.neighbours": "nærmaste naboar",
        "research.fan.x.session": "Møte nr.",
        "research.fan.x.days": "Dagar sidan første måling",
        "research.fan.y": "Skår",
        "research.fan.median": "Forventa (median)",
        "research.fan.band": "Persentil {low} til {high}",
        "research.fan.observed": "Observert",
        "research.fan.reference": "Referanse: {n} forløp",
    },
    "en": {
        "research.describe.counts": "{label}: {n}",
        "research.describe.share": "{label}: {percent} (confidence interval {low} to {high})",
        "research.describe.group": "{group}:",
        "research.describe.fan_session": (
            "Meeting {at}: expected {median}; percentile {low_p} to {high_p}: {low} to {high}."
        ),
        "research.describe.fan_days": (
            "Day {at}: expected {median}; percentile {low_p} to {high_p}: {low} to {high}."
        ),
        "research.category.recovered": "Recovered",
        "research.category.non_reliably_recovered": "Non-reliably recovered",
        "research.category.improved": "Improved",
        "research.category.unchanged": "Unchanged",
        "research.category.deteriorated": "Deteriorated",
        "research.category.harmed": "Harmed",
        "research.count": "{label} (n = {n})",
        "research.group": "{group} (n = {n})",
        "research.percent": "{value}%",
        "research.direction.higher": "Higher scores are better",
        "research.direction.lower": "Lower scores are better",
        "research.scatter.title": "Pre and post scores (n = {n})",
        "research.scatter.title_excluded": "Pre and post scores (n = {n} of {total})",
        "research.scatter.x": "Pre score",
        "research.scatter.y": "Post score",
        "research.scatter.identity": "No change (pre = post)",
        "research.scatter.band_rci": "No reliable change ({method}, z = {z})",
        "research.scatter.band_anchor": (
            "Change below the MID (improvement {improvement}, deterioration {deterioration} points)"
        ),
        "research.scatter.band_percentage": (
            "Change below the threshold (improvement {improvement}, deterioration {deterioration})"
        ),
        "research.scatter.cutoff": "Cutoff {type} ({method}) = {value}",
        "research.shares.title": "Share per category (n = {n})",
        "research.shares.title_excluded": "Share per category (n = {n} of {total})",
        "research.shares.x": "Share with {level} confidence interval (Wilson)",
        "research.shares.value": "{percent} ({n})",
        "research.fan.title": "Expected course ({model}), intake score {intake}",
        "research.fan.model.growth": "growth model",
        "research.fan.model.cohort": "cohort model",
        "research.fan.model.neighbours": "nearest neighbours",
        "research.fan.x.session": "Session number",
        "research.fan.x.days": "Days since intake",
        "research.fan.y": "Score",
        "research.fan.median": "Expected (median)",
        "research.fan.band": "Percentiles {low} to {high}",
        "research.fan.observed": "Observed",
        "research.fan.reference": "Reference: {n} tracks",
    },
}
