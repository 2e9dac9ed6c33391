"""Built-in definitions of the ORS family of scales.

Every value here is a *literature value* with its source, as collected in the
project's domain reference (``shared/domain/fit-reference.md``, sections 2-3).
``verified=True`` would mean checked against the primary paper; none of these
values has been, so every source says ``verified=False`` and names the
secondary source that states the value. Where no value is published the
definition says so explicitly (a cutoff with ``value=None``, a criterion with
neither points nor SD), and callers supply their own with
:meth:`~fit_scores.scales.Scale.with_cutoff` or ``model_copy``.

Item labels are short names of the areas rated, never the wording of the
licensed forms. ORS © Miller & Duncan 2000; SRS © Miller, Duncan & Johnson
2002: digital administration needs a licence from the authors.
"""

from __future__ import annotations

from fit_scores.scales.model import (
    AgeBand,
    Cutoff,
    Item,
    Labels,
    Norm,
    Norms,
    Rater,
    Reliability,
    ReliableChange,
    Scale,
    ScaleKind,
    Source,
)

__all__ = ["BUILTIN_SCALES"]

_LICENCE = (
    "Licensed instrument: the free individual licence covers paper and pencil only; "
    "digital administration or scoring needs a licence from the authors. fit_scores "
    "ships no item wording."
)

# --- sources -------------------------------------------------------------------

MILLER_2003 = Source(
    citation=(
        "Miller, S. D., Duncan, B. L., Brown, J., Sparks, J. A., & Claud, D. A. (2003). "
        "The Outcome Rating Scale. Journal of Brief Therapy, 2(2), 91-100."
    ),
    verified=False,
    note="Figures as quoted in secondary sources; the primary paper was not checked.",
)
DUNCAN_2003 = Source(
    citation=(
        "Duncan, B. L., Miller, S. D., Sparks, J. A., Claud, D. A., Reynolds, L. R., "
        "Brown, J., & Johnson, L. D. (2003). The Session Rating Scale. Journal of Brief "
        "Therapy, 3(1), 3-12."
    ),
    verified=False,
    note="Figures as quoted in secondary sources; the primary paper was not checked.",
)
DUNCAN_2006 = Source(
    citation=(
        "Duncan, B. L., Sparks, J. A., Miller, S. D., Bohanske, R. T., & Claud, D. A. "
        "(2006). Giving youth a voice: a preliminary study of the reliability and validity "
        "of a brief outcome measure for children, adolescents, and caretakers. Journal of "
        "Brief Therapy, 5(2)."
    ),
    verified=False,
    note="Abstract seen; the figures in the paper were not checked.",
)
QUIRK_2013 = Source(
    citation=(
        "Quirk, K., Miller, S. D., Duncan, B. L., & Owen, J. (2013). Group Session Rating "
        "Scale: preliminary psychometrics in substance abuse group interventions. "
        "Counselling and Psychotherapy Research, 13(3)."
    ),
    verified=False,
    note="N = 105 group clients, one factor; no cutoff reported in the sources seen.",
)
ORS_ADULT_CUTOFF = Source(
    citation="OpenFIT knowledge base KA-01031; hiboop.com ORS page; Deepen strategy document",
    verified=False,
    note=(
        "Widely used adult cutoff 25. The boundary is disputed (hiboop: <=25 clinical; "
        "OpenFIT: recovered only above 25); fit_scores counts exactly 25 as functional "
        "(at_cutoff='functional'), configurable per cutoff."
    ),
)
ORS_ADOLESCENT_CUTOFF = Source(
    citation="Deepen strategy document ('adult 25, adolescent 28'); Duncan et al. (2006)",
    verified=False,
    note="Attributed to Duncan et al. (2006); the primary paper was not checked.",
)
CORS_CUTOFF = Source(
    citation="OpenFIT knowledge base KA-01031; Duncan et al. (2006)",
    verified=False,
    note="Cutoff 32 for children 6-12 rating themselves.",
)
SRS_CUTOFF = Source(
    citation="OpenFIT knowledge base KA-01028; hiboop.com SRS page; cauceos.com SRS glossary",
    verified=False,
    note=(
        "Below 36, explore the alliance. hiboop puts 36 itself in the concern zone; "
        "OpenFIT and cauceos treat 36 and above as fine, which fit_scores follows "
        "(at_cutoff='functional'). A trainer's alternative bands 0-34 / 35-38 / 39-40 "
        "conflict with the single cutoff."
    ),
)
ORS_RELIABLE_CHANGE = Source(
    citation="hiboop.com ORS page; Deepen strategy document (orsRciThreshold 5)",
    verified=False,
    note=(
        "5 points, 'a change of 5 or more' (inclusive). It equals the Jacobson-Truax "
        "criterion 1.96 * 6.8 * sqrt(2 * (1 - .93)) = 4.99 only with Cronbach's alpha; "
        "test-retest reliabilities (.49-.80) give 8-11 points."
    ),
)
CHILD_RELIABLE_CHANGE = Source(
    citation="Commonly quoted value for the CORS and adolescents (no primary source checked)",
    verified=False,
    note="5 points is usual; '6 for the CORS' is also quoted (1.96 * 8.7 * sqrt(.14) = 6.38).",
)


def _not_published(what: str) -> Source:
    return Source(citation="No published value", verified=False, note=what)


CARETAKER_NOT_PUBLISHED = _not_published(
    "Duncan et al. (2006) report separate caretaker norms, but no caretaker cutoff has "
    "been confirmed. Supply a local value with Scale.with_cutoff(...)."
)
COLLATERAL_NOT_PUBLISHED = _not_published(
    "No cutoff is published for collateral raters (another family member, a teacher or "
    "a professional). Supply a local value with Scale.with_cutoff(...)."
)


# --- helpers -------------------------------------------------------------------


def _items(*rows: tuple[str, str, str, str]) -> tuple[Item, ...]:
    return tuple(Item(key=k, label=Labels(nb=nb, nn=nn, en=en)) for k, nb, nn, en in rows)


def _vas_scale(
    *,
    key: str,
    name: str,
    kind: ScaleKind,
    items: tuple[Item, ...],
    min_age: int,
    max_age: int | None,
    raters: tuple[Rater, ...],
    cutoffs: tuple[Cutoff, ...],
    reliable_change: ReliableChange,
    source: Source,
    norms: Norms | None = None,
    notes: str | None = None,
    snomed_ct: str | None = None,
) -> Scale:
    """A four-line visual-analogue scale: items 0-10 cm to the millimetre, summed to 0-40."""
    return Scale(
        key=key,
        name=name,
        kind=kind,
        items=items,
        item_min=0.0,
        item_max=10.0,
        resolution=0.1,
        scoring="sum",
        higher_is_better=True,
        min_age=min_age,
        max_age=max_age,
        raters=raters,
        cutoffs=cutoffs,
        reliable_change=reliable_change,
        norms=norms or Norms(),
        source=source,
        notes=" ".join(filter(None, [notes, _LICENCE])),
        snomed_ct=snomed_ct,
    )


def _cut(band: AgeBand, rater: Rater, value: float | None, source: Source) -> Cutoff:
    return Cutoff(age_band=band, rater=rater, value=value, source=source)


def _unpublished_cutoffs(
    bands: tuple[AgeBand, ...], raters: tuple[Rater, ...], scale_note: str
) -> tuple[Cutoff, ...]:
    source = _not_published(scale_note)
    return tuple(_cut(band, rater, None, source) for band in bands for rater in raters)


_NO_ALLIANCE_RC = ReliableChange(
    source=_not_published(
        "Alliance scales use a cutoff and a drop rule (1 point below the previous "
        "session), not a reliable-change criterion."
    )
)
_NO_RC = ReliableChange(
    source=_not_published("No psychometrics are published, so no change criterion exists.")
)

# --- the built-ins -------------------------------------------------------------

ORS = _vas_scale(
    key="ORS",
    name="Outcome Rating Scale",
    kind="outcome",
    items=_items(
        ("individually", "Individuelt", "Individuelt", "Individually"),
        ("interpersonally", "Mellommenneskelig", "Mellommenneskeleg", "Interpersonally"),
        ("socially", "Sosialt", "Sosialt", "Socially"),
        ("overall", "Generelt", "Generelt", "Overall"),
    ),
    min_age=13,
    max_age=None,
    raters=("self", "caretaker", "collateral"),
    cutoffs=(
        _cut("adult", "self", 25.0, ORS_ADULT_CUTOFF),
        _cut("adolescent", "self", 28.0, ORS_ADOLESCENT_CUTOFF),
        _cut("adolescent", "caretaker", None, CARETAKER_NOT_PUBLISHED),
        _cut("adult", "caretaker", None, CARETAKER_NOT_PUBLISHED),
        _cut("adolescent", "collateral", None, COLLATERAL_NOT_PUBLISHED),
        _cut("adult", "collateral", None, COLLATERAL_NOT_PUBLISHED),
    ),
    reliable_change=ReliableChange(points=5.0, source=ORS_RELIABLE_CHANGE),
    norms=Norms(
        clinical=Norm(mean=19.6, sd=8.7, n=435, source=MILLER_2003),
        functional=Norm(mean=28.0, sd=6.8, n=86, source=MILLER_2003),
        reliability=(
            Reliability(value=0.93, type="alpha", source=MILLER_2003),
            Reliability(
                value=0.58,
                type="test-retest",
                source=Source(
                    citation="carlbring.se ORS page, citing Miller et al. (2003)",
                    verified=False,
                ),
            ),
        ),
    ),
    source=MILLER_2003,
    notes="Well-being over the last week, including today; filled in at the start of a meeting.",
)

SRS = _vas_scale(
    key="SRS",
    name="Session Rating Scale (v3.0)",
    kind="alliance",
    items=_items(
        ("relationship", "Relasjon", "Relasjon", "Relationship"),
        ("goals_topics", "Mål og tema", "Mål og tema", "Goals and topics"),
        ("approach_method", "Tilnærming/metode", "Tilnærming/metode", "Approach or method"),
        ("overall", "Generelt", "Generelt", "Overall"),
    ),
    min_age=13,
    max_age=None,
    raters=("self",),
    cutoffs=(
        _cut("adolescent", "self", 36.0, SRS_CUTOFF),
        _cut("adult", "self", 36.0, SRS_CUTOFF),
    ),
    reliable_change=_NO_ALLIANCE_RC,
    norms=Norms(
        reliability=(
            Reliability(value=0.88, type="alpha", source=DUNCAN_2003),
            Reliability(value=0.64, type="test-retest", source=DUNCAN_2003),
        ),
    ),
    source=DUNCAN_2003,
    notes="The alliance in today's meeting; filled in at the end of a meeting.",
)

CORS = _vas_scale(
    key="CORS",
    name="Child Outcome Rating Scale",
    kind="outcome",
    items=_items(
        ("me", "Meg", "Meg", "Me"),
        ("family", "Familie", "Familie", "Family"),
        ("school", "Skole", "Skule", "School"),
        ("everything", "Alt", "Alt", "Everything"),
    ),
    min_age=6,
    max_age=12,
    raters=("self", "caretaker"),
    cutoffs=(
        _cut("child", "self", 32.0, CORS_CUTOFF),
        _cut("child", "caretaker", None, CARETAKER_NOT_PUBLISHED),
    ),
    reliable_change=ReliableChange(points=5.0, source=CHILD_RELIABLE_CHANGE),
    source=DUNCAN_2006,
    notes=(
        "For children 6-12 (Casey et al. 2020, Eur Child Adolesc Psychiatry 29:1089, "
        "support use up to 15; register a copy with max_age=15 to follow them). "
        "A caretaker version rates the child."
    ),
    snomed_ct="718458005",
)

CSRS = _vas_scale(
    key="CSRS",
    name="Child Session Rating Scale",
    kind="alliance",
    items=_items(
        ("listening", "Lytting", "Lytting", "Listening"),
        ("how_important", "Viktighet", "Viktigheit", "How important"),
        ("what_we_did", "Det vi gjorde", "Det vi gjorde", "What we did"),
        ("overall", "Alt i alt", "Alt i alt", "Overall"),
    ),
    min_age=6,
    max_age=12,
    raters=("self",),
    cutoffs=_unpublished_cutoffs(
        ("child",),
        ("self",),
        "No CSRS cutoff is published in the sources seen; the SRS value 36 is sometimes "
        "used by analogy. Supply one with Scale.with_cutoff(...).",
    ),
    reliable_change=_NO_ALLIANCE_RC,
    source=Source(
        citation="CORC (corc.uk.net) CSRS page; NHS Digital mental-health-monthly-statistics",
        verified=False,
        note="Item labels are unverified paraphrases.",
    ),
    snomed_ct="718762000",
)

_PICTORIAL_NOTE = (
    "Pictorial form: the child picks a face. No psychometrics are published, so it is "
    "an engagement tool only, with no cutoff or change criterion. fit_scores records "
    "the chosen face as an ordinal code 1-5 (1 = the saddest face); this coding is a "
    "recording convention of fit_scores, not part of the form. Register your own "
    "definition if your form differs."
)

YCORS = Scale(
    key="YCORS",
    name="Young Child Outcome Rating Scale",
    kind="outcome",
    items=_items(("face", "Ansikt", "Andlet", "Face")),
    item_min=1.0,
    item_max=5.0,
    resolution=1.0,
    min_age=0,
    max_age=5,
    raters=("self", "caretaker"),
    cutoffs=_unpublished_cutoffs(("under6",), ("self", "caretaker"), _PICTORIAL_NOTE),
    reliable_change=_NO_RC,
    source=Source(
        citation="CORC (corc.uk.net) YCORS page; Deepen strategy document",
        verified=False,
        note="Listed as an engagement tool without published psychometrics.",
    ),
    notes=f"{_PICTORIAL_NOTE} {_LICENCE}",
)

YCSRS = Scale(
    key="YCSRS",
    name="Young Child Session Rating Scale",
    kind="alliance",
    items=_items(("face", "Ansikt", "Andlet", "Face")),
    item_min=1.0,
    item_max=5.0,
    resolution=1.0,
    min_age=0,
    max_age=5,
    raters=("self",),
    cutoffs=_unpublished_cutoffs(("under6",), ("self",), _PICTORIAL_NOTE),
    reliable_change=_NO_ALLIANCE_RC,
    source=Source(
        citation="Better Outcomes Now licence list ('YCORS/SRS'), quoted in the Deepen document",
        verified=False,
    ),
    notes=f"{_PICTORIAL_NOTE} {_LICENCE}",
)

GSRS = _vas_scale(
    key="GSRS",
    name="Group Session Rating Scale",
    kind="alliance",
    items=_items(
        ("relationship", "Relasjon", "Relasjon", "Relationship"),
        ("goals_topics", "Mål og tema", "Mål og tema", "Goals and topics"),
        ("approach_method", "Tilnærming/metode", "Tilnærming/metode", "Approach or method"),
        ("overall", "Generelt", "Generelt", "Overall"),
    ),
    min_age=13,
    max_age=None,
    raters=("self",),
    cutoffs=_unpublished_cutoffs(
        ("adolescent", "adult"),
        ("self",),
        "No GSRS cutoff is published in the sources seen (Quirk et al. 2013 report "
        "reliability and validity only). Supply one with Scale.with_cutoff(...).",
    ),
    reliable_change=_NO_ALLIANCE_RC,
    source=QUIRK_2013,
    notes="The SRS areas, each about the leader and the group; filled in at the end of a group.",
)

CGSRS = _vas_scale(
    key="CGSRS",
    name="Child Group Session Rating Scale",
    kind="alliance",
    items=_items(
        ("listening", "Lytting", "Lytting", "Listening"),
        ("how_important", "Viktighet", "Viktigheit", "How important"),
        ("what_we_did", "Det vi gjorde", "Det vi gjorde", "What we did"),
        ("overall", "Alt i alt", "Alt i alt", "Overall"),
    ),
    min_age=6,
    max_age=12,
    raters=("self",),
    cutoffs=_unpublished_cutoffs(
        ("child",),
        ("self",),
        "No CGSRS cutoff is published in the sources seen. Supply one with Scale.with_cutoff(...).",
    ),
    reliable_change=_NO_ALLIANCE_RC,
    source=Source(
        citation="NHS Digital mental-health-monthly-statistics (SNOMED CT 718431003, 0-40)",
        verified=False,
        note="Item keys follow the CSRS; the labels are unverified paraphrases.",
    ),
    snomed_ct="718431003",
)

#: The built-in scales, in a stable order.
BUILTIN_SCALES: tuple[Scale, ...] = (ORS, SRS, CORS, CSRS, YCORS, YCSRS, GSRS, CGSRS)
