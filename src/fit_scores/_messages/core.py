"""Messages of change categories and alliance signals."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
        "change.no_age": "Ingen alder: bedring til over grensen kan ikke vurderes",
        "change.category.improved.no_age": (
            "Tydelig bedring (ingen alder: bedring til over grensen kan ikke vurderes)"
        ),
        "change.category.unchanged.no_age": (
            "Ingen tydelig endring (ingen alder: bedring til over grensen kan ikke vurderes)"
        ),
        "change.category.deteriorated.no_age": (
            "Tydelig forverring (ingen alder: bedring til over grensen kan ikke vurderes)"
        ),
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
        "change.no_age": "Inga alder: betring til over grensa kan ikkje vurderast",
        "change.category.improved.no_age": (
            "Tydeleg betring (inga alder: betring til over grensa kan ikkje vurderast)"
        ),
        "change.category.unchanged.no_age": (
            "Inga tydeleg endring (inga alder: betring til over grensa kan ikkje vurderast)"
        ),
        "change.category.deteriorated.no_age": (
            "Tydeleg forverring (inga alder: betring til over grensa kan ikkje vurderast)"
        ),
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
        "change.no_age": "No age: recovery cannot be judged",
        "change.category.improved.no_age": "Clear improvement (no age: recovery cannot be judged)",
        "change.category.unchanged.no_age": "No clear change (no age: recovery cannot be judged)",
        "change.category.deteriorated.no_age": (
            "Clear deterioration (no age: recovery cannot be judged)"
        ),
    },
}
