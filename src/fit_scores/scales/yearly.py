"""Built-in instruments of the yearly mapping, keys and metadata only.

The programme's own evaluation measures adults yearly with EQ-5D and the
General Self-Efficacy scale, and children with SDQ and KIDSCREEN (Mølland et
al. 2020, Scand J Public Health 49(5):571-579, Table I; Haraldstad et al.
2023, BMC Public Health 23:2439). Life satisfaction 0-10 is Statistics
Norway's national benchmark, and the children's Cantril ladder is the HBSC
item. Every fact here is from the project's domain reference
(``shared/domain/yearly-mapping.md``, sections 0, 2, 3 and 4), with the tag it
has there: ``verified=True`` for facts read in the cited source, ``False``
for secondary or derived ones (the note says which).

No item wording ships, for any instrument: keys (``gse10_01``) and short
labels ("Ledd 1") only. Where a licence keeps a table (KIDSCREEN T-values,
EQ-5D value sets) or the scoring key (KIDSCREEN's negatively worded items),
the definition says what a service must license and supply, and scoring
raises :class:`~fit_scores.errors.LicenceRequiredError` until it is given.
"""

from __future__ import annotations

from fit_scores.scales.instrument import (
    Band,
    BandScheme,
    Instrument,
    InstrumentItem,
    Licence,
    ReferenceRow,
    ReferenceSeries,
    ResponseRange,
    Subscale,
)
from fit_scores.scales.model import Labels, Norm, Norms, Reliability, ReliableChange, Source

__all__ = [
    "CANTRIL",
    "EQ5D",
    "GSE",
    "KIDSCREEN10",
    "KIDSCREEN27",
    "LIFESAT",
    "LIFESAT_REFERENCE",
    "SDQ_P4_11",
    "SDQ_S11_17",
    "YEARLY_INSTRUMENTS",
]

REFERENCE_FILE = "fit_scores domain reference yearly-mapping.md"


def _items(
    prefix: str, n: int, response: str, reverse: tuple[int, ...] = ()
) -> tuple[InstrumentItem, ...]:
    return tuple(
        InstrumentItem(
            key=f"{prefix}_{i:02d}",
            label=Labels(nb=f"Ledd {i}", nn=f"Ledd {i}", en=f"Item {i}"),
            response=response,
            reverse=i in reverse,
        )
        for i in range(1, n + 1)
    )


def _keys(prefix: str, numbers: tuple[int, ...] | range) -> tuple[str, ...]:
    return tuple(f"{prefix}_{i:02d}" for i in numbers)


def _label(nb: str, nn: str, en: str) -> Labels:
    return Labels(nb=nb, nn=nn, en=en)


# --- General Self-Efficacy scale (GSE) -------------------------------------------

GSE_SOURCE = Source(
    citation=(
        "Schwarzer, R., & Jerusalem, M. (1995). Generalized Self-Efficacy scale. In J. "
        "Weinman, S. Wright, & M. Johnston, Measures in health psychology: A user's "
        "portfolio. Causal and control beliefs (pp. 35-37). Windsor: NFER-NELSON."
    ),
    verified=True,
    note=(
        "Citation as given in the authors' FAQ. Structure (10 items; 1 Not at all true, "
        "2 Hardly true, 3 Moderately true, 4 Exactly true; no reverse items; sum 10-40 or "
        "item mean) from PMC6647554 Table 3, the qscorer documentation and the FAQ."
    ),
)
GSE_FAQ = Source(
    citation=(
        "Schwarzer, R. (2014, 30 May). Everything you wanted to know about the General "
        "Self-Efficacy Scale but were afraid to ask (FAQ)."
    ),
    verified=True,
    note=(
        "'calculate a score as long as no more than three items on the ten-item scale are "
        "missing' (SPSS Mean.7); 'There is no cut-off score'; item mean around 2.9 in many "
        "samples."
    ),
)
GSE_DATASET = Source(
    citation=(
        "International GSE dataset world_24nations_25nov2006.sav (CSV in github "
        "HPSNZ/hpad_gse_reference_data)"
    ),
    verified=False,
    note=(
        "Derived in the domain reference: labels mapped to 1-4, rows with 10 valid items and "
        "a nation kept (n = 14,388; about 5,500 misaligned rows dropped): mean 30.14, SD "
        "5.04, alpha .843. No Norwegian sample: indicative only."
    ),
)
GSE_NORWAY = Source(
    citation=(
        "Leganger, A., Kraft, P., & Røysamb, E. (2000). Perceived self-efficacy in health "
        "behaviour research. Psychology & Health, 15(1), 51-69. doi:10.1080/08870440008400288"
    ),
    verified=False,
    note=(
        "421 smokers aged 16-79 and 1,576 18-year-olds; alpha 0.82 as quoted by a secondary "
        "source (authors also secondary)."
    ),
)
GSE_RC = Source(
    citation=(
        "Derived: Jacobson & Truax (1991) criterion with the international dataset's SD 5.04 "
        "and alpha .843"
    ),
    verified=False,
    note=(
        "No published GSE reliable-change value was found. 1.96 x 5.04 x sqrt(2 x (1 - "
        ".843)) = 5.54 sum-score points (SEM 1.997, SE of the difference 2.824). Indicative: "
        "recompute with a Norwegian SD and alpha when one is verified."
    ),
)

GSE = Instrument(
    key="GSE",
    name="General Self-Efficacy Scale (generell mestringstro)",
    items=_items("gse10", 10, "gse4"),
    responses=(ResponseRange(key="gse4", min=1, max=4),),
    subscales=(
        Subscale(
            key="total",
            label=_label("Mestringstro", "Meistringstru", "Self-efficacy"),
            items=_keys("gse10", range(1, 11)),
            scoring="sum",
            min_answered=7,
            prorate=True,
        ),
        Subscale(
            key="mean",
            label=_label("Gjennomsnitt", "Gjennomsnitt", "Item mean"),
            items=_keys("gse10", range(1, 11)),
            scoring="mean",
            min_answered=7,
        ),
    ),
    primary="total",
    min_age=18,
    raters=("self",),
    norms=Norms(
        functional=Norm(mean=30.14, sd=5.04, n=14388, source=GSE_DATASET),
        reliability=(
            Reliability(value=0.843, type="alpha", n=14388, source=GSE_DATASET),
            Reliability(value=0.82, type="alpha", source=GSE_NORWAY),
        ),
    ),
    reliable_change=ReliableChange(
        sd=5.04, reliability=0.843, reliability_type="alpha", source=GSE_RC
    ),
    licence=Licence(
        status="open_with_attribution",
        holder="Ralf Schwarzer and Matthias Jerusalem",
        may_ship_wording=False,
        attribution=(
            "General Self-Efficacy Scale: Schwarzer, R., & Jerusalem, M. (1995). Measures in "
            "health psychology, pp. 35-37. NFER-NELSON."
        ),
        must_license=(
            "No permission is needed to use the scale in a study with recognition of the "
            "source. Redistributing the wording in software is not addressed, so fit_scores "
            "ships keys only: take the wording (Norwegian: Røysamb, Schwarzer & Jerusalem "
            "1998) from the authors."
        ),
        source=GSE_FAQ,
    ),
    source=GSE_SOURCE,
    notes=(
        "Adults 18+ yearly in the programme's evaluation (Mølland et al. 2020, Table I). "
        "At most three items missing: the sum is prorated as the item mean x 10. There is "
        "no cutoff, as the authors say: fit_scores ships none."
    ),
)

# --- Life satisfaction 0-10 (SSB) ---------------------------------------------------

SSB_LIVSKVALITET = Source(
    citation=(
        "Statistics Norway (SSB), Quality of life (livskvalitet) statistics, updated 29 Oct 2024"
    ),
    verified=True,
    note=(
        "'Overall, how satisfied are you with your life these days?' answered from 0 (not "
        "satisfied at all) to 10 (very satisfied); groups low 0-5, medium 6-8, high 9-10; "
        "low spans more points because the scores are skewed. SSB's label: 'Tilfredshet "
        "med livet alt i alt'."
    ),
)

LIFESAT = Instrument(
    key="LIFESAT",
    name="Life satisfaction 0-10 (tilfredshet med livet)",
    items=(
        InstrumentItem(
            key="life_sat_0_10",
            label=_label("Tilfredshet med livet", "Nøgd med livet", "Life satisfaction"),
            response="scale_0_10",
        ),
    ),
    responses=(ResponseRange(key="scale_0_10", min=0, max=10),),
    subscales=(
        Subscale(
            key="total",
            label=_label("Tilfredshet med livet", "Nøgd med livet", "Life satisfaction"),
            items=("life_sat_0_10",),
        ),
    ),
    primary="total",
    bands=(
        BandScheme(
            key="ssb",
            subscale="total",
            bands=(
                Band(key="low", label=_label("Lav", "Låg", "Low"), lower=0),
                Band(key="medium", label=_label("Middels", "Middels", "Medium"), lower=6),
                Band(key="high", label=_label("Høy", "Høg", "High"), lower=9),
            ),
            min_age=18,
            source=SSB_LIVSKVALITET,
        ),
    ),
    min_age=18,
    raters=("self",),
    licence=Licence(
        status="open_with_attribution",
        holder="Generic single question (Statistics Norway; OECD guidelines 2013)",
        may_ship_wording=False,
        attribution="Life satisfaction 0-10 as measured by Statistics Norway (SSB).",
        must_license=(
            "Nothing known; the licence of the wording is not verified, so fit_scores ships "
            "a key and a label only."
        ),
        source=Source(
            citation="fit_scores domain reference, yearly-mapping.md section 6",
            verified=False,
            note="Wording status unverified; the exact Norwegian question is not verified.",
        ),
    ),
    source=SSB_LIVSKVALITET,
    notes=(
        "Not in the programme's own evaluation (Mølland et al. 2020, Table I): it is the "
        "national benchmark of Statistics Norway's quality-of-life survey (population 18+)."
    ),
)


def _ssb(year: int, group: str, low: float | None, medium: float | None,
         high: float | None, mean: float | None, citation: str, n: int | None = None,
         note: str | None = None) -> ReferenceRow:  # fmt: skip
    return ReferenceRow(
        year=year,
        group=group,
        share_low=low,
        share_medium=medium,
        share_high=high,
        mean=mean,
        n=n,
        source=Source(citation=citation, verified=note is None, note=note),
    )


_SSB_2023 = "Statistics Norway (SSB), livskvalitet, published 16 Nov 2023"

LIFESAT_REFERENCE = ReferenceSeries(
    key="ssb_life_satisfaction",
    instrument="LIFESAT",
    band_scheme="ssb",
    version="2026-11-29",
    population="Norway, population 18+ (SSB Livskvalitetsundersøkelsen); shares in percent",
    rows=(
        _ssb(2020, "all", 22, None, 26, None, "SSB Rapport 2020/35"),
        _ssb(
            2021,
            "all",
            None,
            None,
            None,
            None,
            "No figures found",
            note="Not found in the sources read: every cell left empty.",
        ),
        _ssb(
            2022,
            "all",
            28.4,
            49.4,
            22.2,
            6.7,
            "Statistics Norway (SSB), livskvalitet, published 1 Dec 2022",
        ),
        _ssb(2023, "all", 25.6, 51.8, 22.6, 6.8, _SSB_2023),
        _ssb(
            2024,
            "all",
            24.8,
            None,
            None,
            6.9,
            "Statistics Norway (SSB), quality of life, updated 29 Oct 2024",
        ),
        _ssb(
            2025,
            "all",
            None,
            None,
            None,
            None,
            "Statistics Norway (SSB), article 2025",
            note="The mean is given only as 'slightly less than 7': no number is stored.",
        ),
        _ssb(2023, "age 18-24", 30.7, None, None, 6.4, _SSB_2023),
        _ssb(2023, "age 25-44", 29.3, None, None, 6.5, _SSB_2023),
        _ssb(2023, "age 45-66", 24.7, None, None, 6.9, _SSB_2023),
        _ssb(2023, "age 67-79", 17.6, None, None, 7.5, _SSB_2023),
        _ssb(2023, "age 80+", 20.0, None, None, 7.4, _SSB_2023),
        _ssb(2023, "employed", 21.9, None, None, 7.0, _SSB_2023, n=11426),
        _ssb(2023, "unemployed", 55.9, None, None, 5.0, _SSB_2023, n=351),
        _ssb(2023, "disability benefit", 55.2, None, None, 5.3, _SSB_2023, n=1237),
        _ssb(2023, "student", 27.4, None, None, 6.5, _SSB_2023),
        _ssb(2023, "pensioner", 18.1, None, None, 7.5, _SSB_2023),
        _ssb(2023, "other", 41.4, None, None, 6.1, _SSB_2023),
    ),
    notes=(
        "Filled only from verified figures; cells not published or not verified are empty. "
        "FHI gives a mean of 6.9 and 24-28 % reporting poor life quality in 2020-2025. The "
        "2013 figures (EU-SILC interview, 16+: 36 % high, 54 % medium, 10 % low) come from a "
        "different survey and must not be spliced onto the series from 2020."
    ),
)

# --- Children's Cantril ladder (HBSC) ------------------------------------------------

CAVALLO_2015 = Source(
    citation="Cavallo, F., et al. (2015). Eur J Public Health, 25(Suppl 2), 80-82.",
    verified=True,
    note="Dichotomy 0-5 low versus 6-10 high.",
)
DUE_2019 = Source(
    citation=(
        "Due, P., et al. (2019). Nordisk välfärdsforskning, 4(2), 54-66: life satisfaction "
        "9-10 'high' versus below 9."
    ),
    verified=True,
    note="28.6-44.8 % 'high' across five Nordic countries, 2002-2014.",
)

CANTRIL = Instrument(
    key="CANTRIL",
    name="Cantril ladder, children (HBSC life satisfaction 0-10)",
    items=(
        InstrumentItem(
            key="ladder",
            label=_label("Livsstigen", "Livsstigen", "Life ladder"),
            response="ladder_0_10",
        ),
    ),
    responses=(ResponseRange(key="ladder_0_10", min=0, max=10),),
    subscales=(
        Subscale(
            key="total",
            label=_label("Livstilfredshet", "Livstilfredsheit", "Life satisfaction"),
            items=("ladder",),
        ),
    ),
    primary="total",
    bands=(
        BandScheme(
            key="hbsc_6plus",
            subscale="total",
            bands=(
                Band(key="low", label=_label("Lav", "Låg", "Low"), lower=0),
                Band(key="high", label=_label("Høy", "Høg", "High"), lower=6),
            ),
            min_age=11,
            max_age=15,
            source=CAVALLO_2015,
        ),
        BandScheme(
            key="high_9plus",
            subscale="total",
            bands=(
                Band(key="not_high", label=_label("Ikke høy", "Ikkje høg", "Not high"), lower=0),
                Band(key="high", label=_label("Høy", "Høg", "High"), lower=9),
            ),
            min_age=11,
            max_age=15,
            source=DUE_2019,
        ),
    ),
    min_age=11,
    max_age=15,
    raters=("self",),
    licence=Licence(
        status="open_with_attribution",
        holder="Generic item (HBSC; Gallup World Poll)",
        may_ship_wording=False,
        attribution="Cantril ladder as used in the HBSC study.",
        must_license="Nothing known; fit_scores ships a key and a label only.",
        source=Source(
            citation="fit_scores domain reference, yearly-mapping.md section 6",
            verified=False,
        ),
    ),
    source=Source(
        citation="HBSC (ages 11, 13, 15; 0-10); Gallup World Poll; AIHW METEOR 392664",
        verified=True,
        note=(
            "An eleven-rung ladder from 0 (worst possible life) to 10 (best possible life). "
            "Ages 11-15 follow the HBSC samples; register a copy for other ages."
        ),
    ),
)

# --- SDQ ------------------------------------------------------------------------------

SDQ_SOURCE = Source(
    citation=(
        "Goodman, R. (1997). The Strengths and Difficulties Questionnaire: a research note. "
        "J Child Psychol Psychiatry, 38, 581-586. doi:10.1111/j.1469-7610.1997.tb01545.x"
    ),
    verified=False,
    note=(
        "25 items, 5 scales (cebc4cw.org, verified). The item-to-scale assignment and the "
        "five reverse-keyed items follow sdqinfo.org's scoring as implemented in public "
        "scoring code; not checked against sdqinfo.org here."
    ),
)
SDQ_LICENCE = Licence(
    status="proprietary_electronic",
    holder="Youthinmind (Robert Goodman)",
    may_ship_wording=False,
    attribution="SDQ © Robert Goodman; sdqinfo.org",
    must_license=(
        "Prior authorisation from Youthinmind for any electronic administration or "
        "scoring ('Users are not permitted to create or distribute electronic versions for "
        "any purpose without prior authorization'); online scoring is a paid service. Paper "
        "forms are free for non-profit use. Band cut-offs are not shipped."
    ),
    source=Source(citation="cebc4cw.org SDQ page; socialsuitehq", verified=True),
)
_SDQ_SCALES: tuple[tuple[str, Labels, tuple[int, ...]], ...] = (
    ("emotional", _label("Emosjonelle", "Emosjonelle", "Emotional"), (3, 8, 13, 16, 24)),
    ("conduct", _label("Atferd", "Åtferd", "Conduct"), (5, 7, 12, 18, 22)),
    ("hyperactivity", _label("Hyperaktivitet", "Hyperaktivitet", "Hyperactivity"),
     (2, 10, 15, 21, 25)),
    ("peer", _label("Jevnaldrende", "Jamaldrande", "Peer problems"), (6, 11, 14, 19, 23)),
    ("prosocial", _label("Prososial", "Prososial", "Prosocial"), (1, 4, 9, 17, 20)),
)  # fmt: skip
_SDQ_REVERSE = (7, 11, 14, 21, 25)


def _sdq(key: str, name: str, min_age: int, max_age: int, rater: str) -> Instrument:
    difficulties = tuple(sorted(i for k, _, items in _SDQ_SCALES[:4] for i in items))
    # higher is worse on the four difficulty scales and their total
    subscales = (
        *(
            Subscale(
                key=k,
                label=label,
                items=_keys("sdq", items),
                higher_is_better=k == "prosocial",
            )
            for k, label, items in _SDQ_SCALES
        ),
        Subscale(
            key="total_difficulties",
            label=_label("Totale vansker", "Totale vanskar", "Total difficulties"),
            items=_keys("sdq", difficulties),
            higher_is_better=False,
        ),
    )
    return Instrument.model_validate(
        {
            "key": key,
            "name": name,
            "items": [i.model_dump() for i in _items("sdq", 25, "sdq3", _SDQ_REVERSE)],
            "responses": [{"key": "sdq3", "min": 0, "max": 2}],
            "subscales": [s.model_dump() for s in subscales],
            "min_age": min_age,
            "max_age": max_age,
            "raters": [rater],
            "licence": SDQ_LICENCE.model_dump(),
            "source": SDQ_SOURCE.model_dump(),
            "notes": (
                "Structure only: raw sums of every scale (all five items answered; the "
                "official rule for missing items is not verified here) and total "
                "difficulties (the four difficulty scales). Yearly in the programme "
                "(Mølland et al. 2020, Table I)."
            ),
        }
    )


SDQ_P4_11 = _sdq("SDQ_P4_11", "Strengths and Difficulties Questionnaire, parent form 4-11",
                 4, 11, "caretaker")  # fmt: skip
SDQ_S11_17 = _sdq("SDQ_S11_17", "Strengths and Difficulties Questionnaire, self-report 11-17",
                  11, 17, "self")  # fmt: skip

# --- KIDSCREEN ---------------------------------------------------------------------------

KIDSCREEN_SOURCE = Source(
    citation=(
        "Haraldstad, K., & Richter, J. (2014). KIDSCREEN, psyktestbarn.r-bup.no, "
        "doi:10.21337/0032; kidscreen.org scoring ('evaluation by hand')"
    ),
    verified=True,
    note=(
        "52/27/10 items, ages 8-18, self and parent versions; Norwegian translation "
        "Haraldstad, Eide & Helseth 2006; no Norwegian norms. KIDSCREEN-27: five dimensions, "
        "five response options. Scoring: recode negative items (1<->5, 2<->4), sum per "
        "dimension, Rasch person parameter to T-values from the manual's tables; no total "
        "for KIDSCREEN-27, only the KIDSCREEN-10 index is one score. Items per dimension "
        "(5, 7, 7, 4, 4 in form order) as commonly reported, not checked against the manual."
    ),
)
KIDSCREEN_LICENCE = Licence(
    status="free_contact_required",
    holder="The KIDSCREEN Group",
    may_ship_wording=False,
    attribution="KIDSCREEN © The KIDSCREEN Group (kidscreen.org)",
    must_license=(
        "Free of charge, but contact the KIDSCREEN group first; the handbook is copyrighted. "
        "Keep the exact wording, item order and layout, or the manual's reference data do "
        "not apply. The negatively worded items and the T-value tables are in the manual: "
        "supply them with Instrument.with_reverse_items(...) and Instrument.with_table(...)."
    ),
    source=Source(citation="psyktestbarn.r-bup.no KIDSCREEN; kidscreen.org", verified=True),
)
_KS_REVERSE = "the negatively worded items of the KIDSCREEN manual (not reproduced in fit_scores)"
_KS_TABLE = "the Rasch T-value table of the KIDSCREEN manual for this dimension"
_KS27_DIMENSIONS: tuple[tuple[str, Labels, range], ...] = (
    ("physical", _label("Fysisk velvære", "Fysisk velvære", "Physical well-being"), range(1, 6)),
    ("psychological", _label("Psykisk velvære", "Psykisk velvære", "Psychological"),
     range(6, 13)),
    ("parents_autonomy", _label("Foreldre/autonomi", "Foreldre/autonomi", "Parents, autonomy"),
     range(13, 20)),
    ("social_support_peers", _label("Venner", "Vener", "Peers, support"), range(20, 24)),
    ("school", _label("Skolemiljø", "Skulemiljø", "School"), range(24, 28)),
)  # fmt: skip


def _kidscreen(
    key: str,
    name: str,
    prefix: str,
    n: int,
    dims: tuple[tuple[str, Labels, range], ...],
    norms: Norms | None = None,
) -> Instrument:
    subscales = []
    for dim, label, numbers in dims:
        subscales.append(Subscale(key=f"{dim}_raw", label=label, items=_keys(prefix, numbers)))
        subscales.append(
            Subscale(
                key=dim,
                label=label,
                items=_keys(prefix, numbers),
                scoring="table",
                table_required=_KS_TABLE,
            )
        )
    return Instrument(
        key=key,
        name=name,
        items=_items(prefix, n, "ks5"),
        responses=(ResponseRange(key="ks5", min=1, max=5),),
        subscales=tuple(subscales),
        min_age=8,
        max_age=18,
        raters=("self", "caretaker"),
        norms=norms or Norms(),
        reverse_key_required=_KS_REVERSE,
        licence=KIDSCREEN_LICENCE,
        source=KIDSCREEN_SOURCE,
        notes=(
            "Structure only; the raw sums need the manual's reverse key, the T-values its tables."
        ),
    )


KIDSCREEN27 = _kidscreen("KIDSCREEN27", "KIDSCREEN-27", "ks27", 27, _KS27_DIMENSIONS)
_KIDSCREEN_ORG = Source(citation="kidscreen.org, KIDSCREEN-10 index", verified=True)
KIDSCREEN10 = _kidscreen(
    "KIDSCREEN10",
    "KIDSCREEN-10 index",
    "ks10",
    10,
    (("index", _label("KIDSCREEN-10", "KIDSCREEN-10", "KIDSCREEN-10"), range(1, 11)),),
    Norms(
        reliability=(
            Reliability(value=0.82, type="alpha", source=_KIDSCREEN_ORG),
            Reliability(
                value=0.73,
                type="test-retest",
                source=_KIDSCREEN_ORG.model_copy(update={"note": "ICC .72"}),
            ),
        )
    ),
)

# --- EQ-5D -----------------------------------------------------------------------------

EQ5D_LICENCE = Licence(
    status="registration_licence",
    holder="EuroQol Research Foundation",
    may_ship_wording=False,
    attribution="© 1990 EuroQol Group. EQ-5D™ is a trade mark of the EuroQol Group",
    must_license=(
        "Register the use with the EuroQol Research Foundation and sign its licence "
        "agreement (licensing fees may apply); modifications need a permission agreement. "
        "The index needs a country value set, supplied with Instrument.with_table('index', ...)."
    ),
    source=Source(citation="euroqol.org IP page and FAQ", verified=True),
)
_EQ_DIMENSIONS = (
    ("mobility", _label("Gange", "Gange", "Mobility")),
    ("self_care", _label("Personlig stell", "Personleg stell", "Self-care")),
    ("usual_activities", _label("Vanlige gjøremål", "Vanlege gjeremål", "Usual activities")),
    ("pain_discomfort", _label("Smerter/ubehag", "Smerter/ubehag", "Pain, discomfort")),
    ("anxiety_depression", _label("Angst/depresjon", "Angst/depresjon", "Anxiety, depression")),
)
EQ5D = Instrument(
    key="EQ5D",
    name="EQ-5D-5L (five dimensions and the visual analogue scale)",
    items=(
        *(InstrumentItem(key=k, label=label, response="level5") for k, label in _EQ_DIMENSIONS),
        InstrumentItem(key="vas", label=_label("EQ VAS", "EQ VAS", "EQ VAS"), response="vas"),
    ),
    responses=(
        ResponseRange(key="level5", min=1, max=5),
        ResponseRange(key="vas", min=0, max=100),
    ),
    subscales=(
        Subscale(
            key="index",
            label=_label("Indeks", "Indeks", "Index value"),
            items=tuple(k for k, _ in _EQ_DIMENSIONS),
            scoring="profile",
            table_required="the EQ-5D-5L value set of your country (licensed with EQ-5D)",
        ),
        Subscale(
            key="vas",
            label=_label("EQ VAS", "EQ VAS", "EQ VAS"),
            items=("vas",),
        ),
    ),
    min_age=18,
    raters=("self",),
    licence=EQ5D_LICENCE,
    source=Source(
        citation="EuroQol Research Foundation, EQ-5D-5L (euroqol.org)",
        verified=False,
        note=(
            "Five dimensions at five levels (1 = no problems) and a 0-100 visual analogue "
            "scale, as widely described; the domain reference verifies the licence terms, "
            "not the structure. The health state is the five levels read as digits (11111-"
            "55555), valued by a country value set."
        ),
    ),
    notes="Adults 18+ yearly in the programme's evaluation (Mølland et al. 2020, Table I).",
)

#: The built-in instruments of the yearly mapping, in a stable order.
YEARLY_INSTRUMENTS: tuple[Instrument, ...] = (
    GSE,
    LIFESAT,
    CANTRIL,
    SDQ_P4_11,
    SDQ_S11_17,
    KIDSCREEN27,
    KIDSCREEN10,
    EQ5D,
)
