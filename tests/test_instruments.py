"""Instruments of the yearly mapping: every test case of the domain reference, sections 2-4.

The reference is ``shared/domain/yearly-mapping.md``; each test names the
case it reproduces.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from pydantic import ValidationError

import fit_scores as fs
from fit_scores.instruments import (
    LIFESAT_REFERENCE,
    cantril_band,
    check_licence,
    life_satisfaction_band,
    rci,
    score,
    score_response,
)
from tests._helpers import fit_error

# --- section 2: GSE ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total"),
    [([1] * 10, 10), ([4] * 10, 40), ([3] * 10, 30)],
)
def test_gse_complete_sums(answers: list[int], total: int) -> None:
    result = score_response("GSE", answers).score("total")
    assert result.exact == Fraction(total)
    assert result.value == float(total)
    assert not result.prorated


def test_gse_seven_answered_is_prorated_as_mean_times_ten() -> None:
    # "Seven items at 3 and three missing -> mean 3.0, prorated sum 30"
    r = score_response("GSE", [3] * 7 + [None] * 3)
    assert r.score("mean").exact == Fraction(3)
    assert r.score("total").exact == Fraction(30)
    assert r.score("total").prorated
    assert r.score("total").answered == 7


def test_gse_six_answered_has_no_score() -> None:
    r = score_response("GSE", [3] * 6 + [None] * 4)
    assert r.score("total").value is None
    assert r.score("mean").value is None
    assert r.score("total").missing_reason == (
        "6 of 10 items of subscale total answered; GSE needs at least 7"
    )


def test_gse_mixed_responses_sum_23_mean_2_3() -> None:
    r = score_response("GSE", [1, 2, 3, 4, 1, 2, 3, 4, 1, 2])
    assert r.score("total").exact == 23
    assert r.score("mean").exact == Fraction(23, 10)
    assert r.score("mean").value == 2.3


def test_gse_prorated_sum_is_an_exact_fraction() -> None:
    r = score_response("GSE", [3, 3, None, 3, 3, 3, 3, 2, 3, 2])
    assert r.score("total").exact == Fraction(250, 9)  # 25 over 9 items, x 10


def test_gse_has_no_cutoff_and_no_bands() -> None:
    gse = fs.get_instrument("GSE")
    assert gse.bands == ()
    scale = fs.get_scale("GSE")
    assert scale.cutoffs == ()
    with pytest.raises(fs.MissingThresholdError):
        scale.cutoff(age=40)
    with pytest.raises(fs.MissingThresholdError):
        gse.band_scheme("total")
    assert "no cutoff" in (gse.notes or "")


def test_gse_rci_and_the_derived_reliable_change_of_5_54() -> None:
    assert rci(25, 31, 5.04, 0.843) == pytest.approx(2.1245, abs=1e-4)
    np.testing.assert_allclose(rci([25, 31], [31, 25], 5.04, 0.843), [2.1245, -2.1245], atol=1e-4)
    rc = fs.get_instrument("GSE").reliable_change
    assert rc is not None
    assert rc.threshold() == pytest.approx(5.54, abs=5e-3)
    assert not rc.source.verified  # derived, not published
    sem = 5.04 * math.sqrt(1 - 0.843)
    assert sem == pytest.approx(1.997, abs=1e-3)
    assert math.sqrt(2) * sem == pytest.approx(2.824, abs=1e-3)


@pytest.mark.parametrize(
    ("sd", "alpha"), [(0, 0.8), (-1, 0.8), (5, 1.0), (5, -0.1), (math.nan, 0.8), (True, 0.8)]
)
def test_rci_rejects_bad_parameters(sd: float, alpha: float) -> None:
    with pytest.raises(fs.ChangeInputError):
        rci(25, 31, sd, alpha)


def test_gse_indicative_norms_carry_their_sources() -> None:
    gse = fs.get_instrument("GSE")
    assert gse.norms.functional is not None
    assert (gse.norms.functional.mean, gse.norms.functional.sd) == (30.14, 5.04)
    assert "No Norwegian sample" in (gse.norms.functional.source.note or "")
    assert [r.value for r in gse.norms.reliability] == [0.843, 0.82]
    assert gse.licence.status == "open_with_attribution"
    assert gse.licence.attribution and "Schwarzer" in gse.licence.attribution


# --- the same rules as the ORS family ----------------------------------------------------


def test_gse_records_go_through_the_rules_layer_with_the_same_totals() -> None:
    rng = np.random.default_rng(11)
    rows = []
    for _ in range(200):
        answers: list[int | None] = [int(x) for x in rng.integers(1, 5, size=10)]
        for j in rng.choice(10, size=int(rng.integers(0, 4)), replace=False):
            answers[int(j)] = None
        rows.append(answers)
    batch = score("GSE", rows)
    exact = batch.exact("total")
    for answers, expected in zip(rows, exact, strict=True):
        a = fs.Administration(scale="GSE", person="p", date="2025-01-10", age=40, items=answers)
        assert a.total_exact == expected


def test_gse_and_lifesat_rows_of_a_table_are_scored_by_the_same_rules() -> None:
    three: list[int | None] = [3]
    rows = [three * 9 + [1], three * 9 + [4], [None, *three * 8, 2], three * 5 + [None] * 5]
    records: list[dict[str, object]] = []
    for i, answers in enumerate(rows):
        record: dict[str, object] = {
            "person": "p", "scale": "GSE", "date": f"202{i}-01-10", "age": 40,
        }  # fmt: skip
        record.update({f"item_{j + 1}": v for j, v in enumerate(answers)})
        records.append(record)
    records.append({"person": "q", "scale": "LIFESAT", "date": "2024-05-01", "item_1": 11})
    table = fs.from_records(records)
    errors = table.errors.to_records()
    assert [(e["row"], e["error"]) for e in errors] == [
        (3, "MissingItemsError"),
        (4, "ItemRangeError"),
    ]
    summary = table.summarize().to_records()
    assert (summary[0]["intake"], summary[0]["latest"]) == (28.0, 260 / 9)
    assert score("GSE", rows).values("total")[:3] == [28.0, 31.0, 260 / 9]


def test_gse_record_with_six_answers_is_rejected_like_an_ors_form() -> None:
    with pytest.raises(ValidationError) as info:
        fs.Administration(scale="GSE", person="p", date="2025-01-10", items=[3] * 6 + [None] * 4)
    err = fit_error(info.value)
    assert isinstance(err, fs.MissingItemsError)
    assert "6 of 10 items answered; GSE needs at least 7" in str(err)


def test_yearly_scales_follow_the_ors_family_in_the_registry() -> None:
    assert fs.list_scales()[:11] == (
        "ORS", "SRS", "CORS", "CSRS", "YCORS", "YCSRS", "GSRS", "CGSRS",
        "GSE", "LIFESAT", "CANTRIL",
    )  # fmt: skip
    assert [s.key for s in fs.BUILTIN_SCALES] == [
        "ORS", "SRS", "CORS", "CSRS", "YCORS", "YCSRS", "GSRS", "CGSRS",
    ]  # fmt: skip
    for key in ("GSE", "LIFESAT", "CANTRIL"):
        assert fs.get_scale(key) == fs.get_instrument(key).scale()


def test_structure_only_instruments_have_no_scale_view() -> None:
    for key in ("SDQ_P4_11", "KIDSCREEN27", "EQ5D"):
        assert key not in fs.list_scales()
        with pytest.raises(fs.ScaleDefinitionError):
            fs.get_instrument(key).scale()


# --- section 3: life satisfaction ----------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "band"),
    [(0, "low"), (5, "low"), (6, "medium"), (8, "medium"), (9, "high"), (10, "high")],
)
def test_life_satisfaction_ssb_bands(x: int, band: str) -> None:
    assert life_satisfaction_band(x) == band


@pytest.mark.parametrize(
    ("x", "error"),
    [
        (11, fs.ItemRangeError),
        (-1, fs.ItemRangeError),
        (5.5, fs.ItemResolutionError),
        ("5", fs.ItemValueTypeError),
        (True, fs.ItemValueTypeError),
        (math.inf, fs.ItemValueTypeError),
        (None, fs.MissingItemsError),
    ],
)
def test_life_satisfaction_rejects_values_off_the_scale(x: object, error: type) -> None:
    with pytest.raises(error):
        life_satisfaction_band(x)  # type: ignore[call-overload]


def test_life_satisfaction_bands_vectorised() -> None:
    s = score("LIFESAT", np.array([[0.0], [5.0], [6.0], [np.nan], [9.0]]))
    assert s.bands("total") == ["low", "low", "medium", None, "high"]
    assert life_satisfaction_band(np.arange(11)) == ["low"] * 6 + ["medium"] * 3 + ["high"] * 2


def test_life_satisfaction_reference_series_only_verified_cells() -> None:
    ref = LIFESAT_REFERENCE
    assert ref.instrument == "LIFESAT" and ref.band_scheme == "ssb"
    r2022 = ref.row(2022)
    assert (r2022.share_low, r2022.share_medium, r2022.share_high, r2022.mean) == (
        28.4, 49.4, 22.2, 6.7,
    )  # fmt: skip
    r2023 = ref.row(2023)
    assert (r2023.share_low, r2023.share_medium, r2023.share_high, r2023.mean) == (
        25.6, 51.8, 22.6, 6.8,
    )  # fmt: skip
    r2020 = ref.row(2020)
    assert (r2020.share_low, r2020.share_medium, r2020.share_high, r2020.mean) == (
        22, None, 26, None,
    )  # fmt: skip
    r2024 = ref.row(2024)
    assert (r2024.share_low, r2024.share_medium, r2024.mean) == (24.8, None, 6.9)
    for year in (2021, 2025):  # unverified: every cell empty
        row = ref.row(year)
        assert (row.share_low, row.share_medium, row.share_high, row.mean) == (None,) * 4
        assert not row.source.verified
    assert ref.row(2023, "unemployed").share_low == 55.9
    assert ref.row(2023, "employed").n == 11426
    assert ref.row(2023, "age 18-24").mean == 6.4
    assert 2013 not in {r.year for r in ref.rows}  # a different survey, not spliced on
    with pytest.raises(fs.MissingThresholdError, match="no row for 2019"):
        ref.row(2019)
    for row in ref.rows:
        shares = [s for s in (row.share_low, row.share_medium, row.share_high) if s is not None]
        if len(shares) == 3:
            assert sum(shares) == pytest.approx(100.0, abs=0.05)
    assert fs.ReferenceSeries.model_validate_json(ref.model_dump_json()) == ref


# --- section 4: children ---------------------------------------------------------------------


def test_cantril_both_published_dichotomies() -> None:
    assert cantril_band(6, "hbsc_6plus") == "high"
    assert cantril_band(6, "high_9plus") == "not_high"
    assert cantril_band(5, "hbsc_6plus") == "low"
    assert cantril_band(9, "high_9plus") == "high"
    assert cantril_band(8, "high_9plus") == "not_high"
    assert cantril_band(list(range(11)), "hbsc_6plus") == ["low"] * 6 + ["high"] * 5
    with pytest.raises(fs.ItemRangeError):
        cantril_band(11)
    with pytest.raises(fs.MissingThresholdError, match="no band scheme"):
        cantril_band(5, "median_split")  # type: ignore[call-overload]


def test_cantril_schemes_name_their_sources_and_ages() -> None:
    cantril = fs.get_instrument("CANTRIL")
    hbsc = cantril.band_scheme("total", "hbsc_6plus", age=13)
    assert "Cavallo" in hbsc.source.citation
    assert "Due" in cantril.band_scheme("total", "high_9plus").source.citation
    with pytest.raises(fs.AgeError, match="CANTRIL is for ages 11-15"):
        cantril.band_scheme("total", "hbsc_6plus", age=16)
    with pytest.raises(fs.MissingThresholdError, match="several band schemes"):
        cantril.band_scheme("total")


def test_a_negatively_worded_five_point_item_maps_2_to_4() -> None:
    ks = fs.get_instrument("KIDSCREEN10").with_reverse_items(["ks10_03"])
    answers = [2] * 10
    r = score_response(ks, answers, subscales=["index_raw"])
    assert r.score("index_raw").exact == 2 * 9 + 4
    recoded = []
    for x in (1, 2, 3, 4, 5):
        exact = score_response(ks, [1, 1, x] + [1] * 7, subscales=["index_raw"]).score("index_raw")
        assert exact.exact is not None
        recoded.append(exact.exact - 9)  # the nine other items count 1 each
    assert recoded == [5, 4, 3, 2, 1]


def test_kidscreen_scoring_needs_the_manual_reverse_key_and_tables() -> None:
    ks27 = fs.get_instrument("KIDSCREEN27")
    assert ks27.licence.status == "free_contact_required"
    with pytest.raises(fs.LicenceRequiredError, match="negatively worded items"):
        score_response(ks27, [3] * 27)
    keyed = ks27.with_reverse_items(["ks27_01"])  # a service's key from the manual
    r = score_response(keyed, [3] * 27)
    assert [s.key for s in r.scores] == [
        "physical_raw",
        "psychological_raw",
        "parents_autonomy_raw",
        "social_support_peers_raw",
        "school_raw",
    ]
    assert [s.exact for s in r.scores] == [15, 21, 21, 12, 12]
    with pytest.raises(fs.LicenceRequiredError, match="Rasch T-value table") as info:
        score_response(keyed, [3] * 27, subscales=["physical"])
    assert "with_table" in str(info.value)


def test_kidscreen_user_table_converts_complete_raw_sums() -> None:
    src = fs.Source(citation="Licensed manual (test table)", verified=True)
    table = fs.ConversionTable(
        raw=tuple(range(5, 26)),
        value=tuple(20.0 + 2.5 * i for i in range(21)),
        monotone="increasing",
        source=src,
    )
    ks = (
        fs.get_instrument("KIDSCREEN27")
        .with_reverse_items(["ks27_01"])
        .with_table("physical", table)
    )
    s = score(ks, [[5] * 27, [1] * 27, [3] * 4 + [None] + [3] * 22], subscales=["physical"])
    # row 0: item 1 reversed 5 -> 1: raw 1 + 20 = 21 -> 20 + 2.5 * 16 = 60
    assert s.values("physical") == [60.0, 30.0, None]
    assert s.problems[0].error == "MissingItemsError"
    with pytest.raises(ValidationError, match="must cover every possible raw score"):
        fs.get_instrument("KIDSCREEN27").with_table(
            "physical", table.model_copy(update={"raw": tuple(range(6, 27))})
        )
    with pytest.raises(ValidationError, match="declared increasing"):
        fs.ConversionTable(raw=(0, 1, 2), value=(1.0, 3.0, 2.0), monotone="increasing", source=src)
    with pytest.raises(ValidationError, match="raw scores must increase"):
        fs.ConversionTable(raw=(0, 2, 1), value=(1.0, 2.0, 3.0), source=src)


def test_sdq_needs_the_confirmed_licence_and_scores_five_scales() -> None:
    sdq = fs.get_instrument("SDQ_P4_11")
    assert sdq.licence.status == "proprietary_electronic"
    assert (sdq.min_age, sdq.max_age, sdq.raters) == (4, 11, ("caretaker",))
    with pytest.raises(fs.LicenceRequiredError, match="Youthinmind"):
        score_response(sdq, [1] * 25)
    r = score_response(sdq, [2] * 25, licence_confirmed=True)
    # reverse-keyed items 7, 11, 14, 21, 25 count 0 when answered 2
    assert {s.key: s.exact for s in r.scores} == {
        "emotional": 10,
        "conduct": 8,
        "hyperactivity": 6,
        "peer": 6,
        "prosocial": 10,
        "total_difficulties": 30,
    }
    s11 = fs.get_instrument("SDQ_S11_17")
    assert (s11.min_age, s11.max_age, s11.raters) == (11, 17, ("self",))
    assert all(r.min == 0 and r.max == 2 for r in s11.responses)


def test_sdq_one_short_scale_keeps_the_others() -> None:
    answers: list[int | None] = [1] * 25
    answers[2] = None  # item 3: emotional
    s = score("SDQ_S11_17", [answers], licence_confirmed=True)
    assert s.values("emotional") == [None]
    assert s.values("conduct") == [5.0]
    assert s.values("total_difficulties") == [None]
    assert not s.rejected[0]
    assert [p.column for p in s.problems] == ["emotional", "total_difficulties"]


def test_eq5d_profile_needs_a_value_set() -> None:
    eq = fs.get_instrument("EQ5D")
    assert eq.licence.status == "registration_licence"
    assert "EuroQol" in (eq.licence.attribution or "")
    with pytest.raises(fs.LicenceRequiredError, match="EuroQol"):
        score_response(eq, [1, 1, 1, 1, 1, 80])
    r = score_response(eq, [1, 2, 3, 4, 5, 80], licence_confirmed=True)
    assert [s.key for s in r.scores] == ["vas"]  # the index needs the user's value set
    assert r.score("vas").value == 80.0
    with pytest.raises(fs.LicenceRequiredError, match="value set"):
        score_response(eq, [1, 1, 1, 1, 1, 80], subscales=["index"], licence_confirmed=True)
    states = [int("".join(map(str, c))) for c in itertools.product(range(1, 6), repeat=5)]
    values = [1.0 - 0.05 * (sum(int(d) for d in str(st)) - 5) for st in states]
    src = fs.Source(citation="Synthetic value set (test)", verified=False)
    valued = eq.with_table(
        "index", fs.ConversionTable(raw=tuple(states), value=tuple(values), source=src)
    )
    r = score_response(valued, [1, 2, 3, 4, 5, 80], licence_confirmed=True)
    assert r.score("index").numerator == 12345
    assert r.score("index").value == pytest.approx(1.0 - 0.05 * 10)
    with pytest.raises(ValidationError, match="missing 1: 11111"):
        eq.with_table(
            "index", fs.ConversionTable(raw=tuple(states[1:]), value=tuple(values[1:]), source=src)
        )
    with pytest.raises(
        fs.ItemRangeError, match=r"vas = 101\.0 is outside the response range 0-100"
    ):
        score_response(eq, [1, 1, 1, 1, 1, 101], licence_confirmed=True)


def test_check_licence_lists_the_scoreable_subscales() -> None:
    assert check_licence("GSE") == ("total", "mean")
    assert check_licence("EQ5D", licence_confirmed=True) == ("vas",)


# --- definitions as data ------------------------------------------------------------------


def test_every_builtin_ships_keys_and_short_labels_only() -> None:
    assert [i.key for i in fs.YEARLY_INSTRUMENTS] == list(fs.list_instruments()[:8])
    for inst in fs.YEARLY_INSTRUMENTS:
        assert inst.licence.may_ship_wording is False
        assert inst.licence.status in fs.scales.LICENCE_STATUSES
        assert inst.licence.must_license
        assert inst.source.citation
        for item in inst.items:
            for text in (item.label.nb, item.label.nn, item.label.en):
                assert 0 < len(text) <= 22, (inst.key, item.key, text)
        for sub in inst.subscales:
            for text in (sub.label.nb, sub.label.nn, sub.label.en):
                assert 0 < len(text) <= 22, (inst.key, sub.key, text)
        for scheme in inst.bands:
            assert scheme.source.citation
        assert fs.Instrument.model_validate_json(inst.model_dump_json()) == inst


def test_response_ranges_of_the_builtins() -> None:
    ranges = {
        inst.key: sorted({(r.min, r.max) for r in inst.responses}) for inst in fs.YEARLY_INSTRUMENTS
    }
    assert ranges == {
        "GSE": [(1, 4)],
        "LIFESAT": [(0, 10)],
        "CANTRIL": [(0, 10)],
        "SDQ_P4_11": [(0, 2)],
        "SDQ_S11_17": [(0, 2)],
        "KIDSCREEN27": [(1, 5)],
        "KIDSCREEN10": [(1, 5)],
        "EQ5D": [(0, 100), (1, 5)],
    }


LABEL = {"nb": "A", "nn": "A", "en": "A"}
SOURCE = {"citation": "test", "verified": False}
LICENCE = {"status": "open_with_attribution", "holder": "Test", "source": SOURCE}


def two_items(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "key": "T2",
        "name": "Two items",
        "items": [
            {"key": "a", "label": LABEL, "response": "r14"},
            {"key": "b", "label": LABEL, "response": "r14"},
        ],
        "responses": [{"key": "r14", "min": 1, "max": 4}],
        "subscales": [{"key": "m", "label": LABEL, "items": ["a", "b"], "scoring": "mean"}],
        "licence": LICENCE,
        "source": SOURCE,
    }
    data.update(changes)
    return data


def test_bands_are_decided_exactly_on_fractions() -> None:
    inst = fs.Instrument.model_validate(
        two_items(
            bands=[
                {
                    "key": "split",
                    "subscale": "m",
                    "bands": [
                        {"key": "low", "label": LABEL, "lower": 1},
                        {"key": "high", "label": LABEL, "lower": 2.5},
                    ],
                    "source": SOURCE,
                }
            ]
        )
    )
    s = score(inst, [[2, 3], [2, 2], [3, 3], [1, None]])
    assert s.exact("m") == [Fraction(5, 2), Fraction(2), Fraction(3), None]
    assert s.bands("m") == ["high", "low", "high", None]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"responses": [{"key": "r14", "min": 4, "max": 1}]}, "min (4) must be below max"),
        (
            {"items": [{"key": "a", "label": LABEL, "response": "zz"}]},
            "unknown response range 'zz'",
        ),
        (
            {"subscales": [{"key": "m", "label": LABEL, "items": ["a", "c"]}]},
            "lists unknown items ['c']",
        ),
        ({"primary": "x"}, "primary 'x' is not a subscale"),
        (
            {"subscales": [{"key": "m", "label": LABEL, "items": ["a"], "scoring": "mean",
                            "prorate": True}]},
            "prorate applies to sum scoring only",
        ),
        (
            {"subscales": [{"key": "m", "label": LABEL, "items": ["a", "b"], "scoring": "table",
                            "min_answered": 1}]},
            "needs every item answered",
        ),
        (
            {"bands": [{"key": "x", "subscale": "m", "source": SOURCE, "bands": [
                {"key": "lo", "label": LABEL, "lower": 0},
                {"key": "hi", "label": LABEL, "lower": 2}]}]},
            "must start at the lowest score 1",
        ),
        (
            {"bands": [{"key": "x", "subscale": "m", "source": SOURCE, "bands": [
                {"key": "lo", "label": LABEL, "lower": 1},
                {"key": "hi", "label": LABEL, "lower": 1}]}]},
            "lower bounds must increase strictly",
        ),
        ({"raters": ["self", "self"]}, "duplicate raters"),
        ({"licence": {**LICENCE, "status": "free"}}, "licence.status"),
    ],
)  # fmt: skip
def test_inconsistent_definitions_are_rejected(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        fs.Instrument.model_validate(two_items(**changes))
    assert message in str(info.value)


def test_table_definition_without_scoring_table_is_rejected() -> None:
    table = {"raw": [2, 3], "value": [1.0, 2.0], "source": SOURCE}
    with pytest.raises(ValidationError, match="needs scoring 'table' or 'profile'"):
        fs.Instrument.model_validate(
            two_items(subscales=[{"key": "m", "label": LABEL, "items": ["a"], "table": table}])
        )


def test_responses_given_as_mappings_must_name_every_item() -> None:
    with pytest.raises(fs.ItemCountError, match="not given"):
        score_response("LIFESAT", {})
    with pytest.raises(fs.UnknownItemError, match="no items"):
        score_response("LIFESAT", {"life_sat_0_10": 7, "other": 1})
    with pytest.raises(fs.ItemCountError, match="has 10 items"):
        score_response("GSE", [3] * 9)
    assert score_response("LIFESAT", {"life_sat_0_10": 7}).score("total").value == 7.0


def test_matrix_rows_with_bad_values_are_reported_not_dropped() -> None:
    s = score("GSE", [[3] * 10, [3] * 9 + [4.5], [3] * 9 + ["x"], np.full(10, 2.0)])
    assert len(s) == 4
    assert s.values("total") == [30.0, None, None, 20.0]
    assert s.rejected.tolist() == [False, True, True, False]
    assert [(p.row, p.error) for p in s.problems] == [
        (1, "ItemResolutionError"),
        (2, "ItemValueTypeError"),
    ]
    arr = np.full((2, 10), 3.0)
    arr[1, 0] = np.inf
    t = score("GSE", arr)
    assert t.values("total") == [30.0, None]
    assert t.problems[0].reason == "gse10_01 = inf is not a finite number"


def test_instrument_registry_refuses_to_rebind_a_key() -> None:
    reg = fs.InstrumentRegistry(fs.YEARLY_INSTRUMENTS)
    altered = fs.get_instrument("GSE").model_copy(update={"name": "Something else"})
    with pytest.raises(fs.ScaleRegistrationError, match="already registered"):
        reg.register(altered)
    with pytest.raises(fs.UnknownScaleError, match="valid keys: GSE, LIFESAT"):
        fs.get_instrument("OQ45")
    mine = fs.Instrument.model_validate(two_items(key="T2-registered"))
    assert fs.register_instrument(mine) is mine
    assert "T2-registered" in fs.list_instruments()
    assert fs.get_instrument("t2-REGISTERED") is mine


def test_docs_page_lists_every_reference_figure() -> None:
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "docs" / "instruments.rst").read_text("utf-8")
    for row in LIFESAT_REFERENCE.rows:
        for value in (row.share_low, row.share_medium, row.share_high, row.mean):
            if value is not None:
                assert f"{value:g}" in page, (row.year, row.group, value)
    for inst in fs.YEARLY_INSTRUMENTS:
        assert f"``{inst.key}``" in page
        assert inst.licence.status in page


def test_kernel_on_typed_columns_as_the_rules_layer_would_call_it() -> None:
    from fit_scores._core.scoring import band_codes, check_items, score_subscales

    plan = fs.instruments.scoring_plan("GSE")
    values = np.array([[3.0] * 10, [3.0] * 9 + [7.0], [3.0] * 9 + [2.5], [3.0] * 10])
    present = np.ones((4, 10), dtype=bool)
    bad = np.zeros((4, 10), dtype=bool)
    bad[3, 0] = True  # a cell the parser could not read: unanswered here, not reported again
    names = {j: f"q{j}" for j in range(1, 11)}
    codes, answered, problems = check_items(plan, values, present, bad, names)
    assert [(p.rows.tolist(), p.column, p.error.__name__) for p in problems] == [
        ([1], "q10", "ItemRangeError"),
        ([2], "q10", "ItemResolutionError"),
    ]
    assert problems[0].reasons.tolist() == ["q10 = 7.0 is outside the response range 1-4 of GSE"]
    assert answered.sum(axis=1).tolist() == [10, 9, 9, 9]
    out = score_subscales(plan, codes, answered)
    assert out.num[:, 0].tolist() == [30, 30, 30, 30]  # 27 over 9 answered, prorated
    assert out.den[:, 0].tolist() == [1, 1, 1, 1]
    assert out.num[:, 1].tolist() == [3, 3, 3, 3] and out.den[:, 1].tolist() == [1, 1, 1, 1]
    # bands against exact lower bounds: 5/2 sits exactly on the bound 2.5
    assert band_codes([5, 4, 7], [2, 2, 3], [1, 5], [1, 2]).tolist() == [1, 0, 0]
