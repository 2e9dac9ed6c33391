from __future__ import annotations

import threading
from fractions import Fraction

import pytest
from pydantic import ValidationError

import fit_scores as fs
from fit_scores import (
    Item,
    Labels,
    MissingThresholdError,
    Scale,
    ScaleRegistrationError,
    ScaleRegistry,
    Source,
    UnknownScaleError,
    get_scale,
    list_scales,
)

BUILTINS = ("ORS", "SRS", "CORS", "CSRS", "YCORS", "YCSRS", "GSRS", "CGSRS")


def test_list_scales_starts_with_the_builtins_in_order() -> None:
    assert list_scales()[: len(BUILTINS)] == BUILTINS


def test_get_scale_unknown_key_lists_valid_keys() -> None:
    with pytest.raises(UnknownScaleError) as info:
        get_scale("OQ45")
    message = str(info.value)
    assert "unknown scale 'OQ45'" in message
    for key in BUILTINS:
        assert key in message


def test_get_scale_is_case_insensitive() -> None:
    assert get_scale("ors") is get_scale("ORS")


@pytest.mark.parametrize(
    ("key", "age", "rater", "value"),
    [
        ("ORS", 18, "self", 25.0),
        ("ORS", 45, "self", 25.0),
        ("ORS", 13, "self", 28.0),
        ("ORS", 17, "self", 28.0),
        ("CORS", 6, "self", 32.0),
        ("CORS", 12, "self", 32.0),
        ("SRS", 15, "self", 36.0),
        ("SRS", 40, "self", 36.0),
    ],
)
def test_literature_cutoffs(key: str, age: int, rater: fs.Rater, value: float) -> None:
    cut = get_scale(key).cutoff(age=age, rater=rater)
    assert cut.value == value
    assert cut.source.citation
    assert cut.at_cutoff == "functional"


@pytest.mark.parametrize(
    ("key", "age", "rater"),
    [
        ("ORS", 15, "caretaker"),
        ("ORS", 40, "collateral"),
        ("CORS", 8, "caretaker"),
        ("YCORS", 4, "self"),
        ("YCORS", 4, "caretaker"),
        ("YCSRS", 3, "self"),
        ("CSRS", 9, "self"),
        ("GSRS", 30, "self"),
        ("CGSRS", 9, "self"),
    ],
)
def test_unpublished_cutoffs_say_so_explicitly(key: str, age: int, rater: fs.Rater) -> None:
    scale = get_scale(key)
    cut = scale.cutoff(age=age, rater=rater)
    assert cut.value is None
    assert not cut.published
    assert cut.source.citation == "No published value"
    assert cut.source.note
    with pytest.raises(MissingThresholdError, match="no published cutoff"):
        scale.is_clinical(200, age=age, rater=rater)


def test_reliable_change_criteria() -> None:
    ors = get_scale("ORS")
    assert ors.reliable_change is not None
    assert ors.reliable_change.threshold() == 5.0
    assert ors.reliable_change.source.citation
    cors = get_scale("CORS")
    assert cors.reliable_change is not None and cors.reliable_change.threshold() == 5.0
    ycors = get_scale("YCORS")
    assert ycors.reliable_change is not None and not ycors.reliable_change.published
    with pytest.raises(MissingThresholdError):
        ycors.reliable_change.threshold()


def test_computed_criterion_reproduces_the_published_five_points() -> None:
    # domain reference 3.3: SD 6.8, alpha .93 -> 4.99; SD 8.7 -> 6.38
    src = Source(citation="test", verified=False)
    assert fs.ReliableChange(sd=6.8, reliability=0.93, source=src).threshold() == pytest.approx(
        4.987, abs=1e-3
    )
    assert fs.ReliableChange(sd=8.7, reliability=0.93, source=src).threshold() == pytest.approx(
        6.38, abs=5e-3
    )
    assert fs.ReliableChange(sd=6.8, reliability=0.66, source=src).threshold() == pytest.approx(
        10.99, abs=5e-3
    )


def test_every_published_number_has_a_source() -> None:
    for scale in fs.BUILTIN_SCALES:
        assert scale.source.citation
        for cut in scale.cutoffs:
            assert cut.source.citation
        assert scale.reliable_change is not None, scale.key
        assert scale.reliable_change.source.citation
        for norm in (scale.norms.clinical, scale.norms.functional):
            assert norm is None or norm.source.citation
        for rel in scale.norms.reliability:
            assert rel.source.citation
        # nothing here was checked against a primary paper; the flag must say so
        assert not scale.source.verified


def test_ors_norms_and_ranges() -> None:
    ors = get_scale("ORS")
    assert ors.norms.clinical is not None and (ors.norms.clinical.mean, ors.norms.clinical.sd) == (
        19.6,
        8.7,
    )
    assert ors.norms.functional is not None and (
        ors.norms.functional.mean,
        ors.norms.functional.sd,
    ) == (28.0, 6.8)
    assert [(r.value, r.type) for r in ors.norms.reliability] == [
        (0.93, "alpha"),
        (0.58, "test-retest"),
    ]
    assert (ors.item_min, ors.item_max, ors.resolution, ors.ticks_per_unit) == (0.0, 10.0, 0.1, 10)
    assert (ors.total_min, ors.total_max) == (0.0, 40.0)
    assert ors.kind == "outcome" and ors.higher_is_better
    assert get_scale("SRS").kind == "alliance"
    assert set(ors.raters) == {"self", "caretaker", "collateral"}


def test_item_labels_in_three_languages_and_no_form_wording() -> None:
    for scale in fs.BUILTIN_SCALES:
        for item in scale.items:
            for text in (item.label.nb, item.label.nn, item.label.en):
                assert 0 < len(text) <= 20, (scale.key, item.key, text)
    assert get_scale("ORS").label("interpersonally", "nn") == "Mellommenneskeleg"


def test_age_ranges() -> None:
    assert (get_scale("CORS").min_age, get_scale("CORS").max_age) == (6, 12)
    assert (get_scale("ORS").min_age, get_scale("ORS").max_age) == (13, None)
    assert (get_scale("YCORS").min_age, get_scale("YCORS").max_age) == (0, 5)
    with pytest.raises(fs.AgeError, match="CORS is for ages 6-12"):
        get_scale("CORS").cutoff(age=13)
    with pytest.raises(fs.AgeError, match="ORS is for ages 13"):
        get_scale("ORS").cutoff(age=12)


def test_with_cutoff_supplies_a_caretaker_value_without_touching_the_builtin() -> None:
    local = Source(citation="Local norm study", verified=True)
    ors = get_scale("ORS")
    mine = ors.with_cutoff(age_band="adolescent", rater="caretaker", value=27, source=local)
    assert mine.cutoff(age=15, rater="caretaker").value == 27.0
    assert mine.is_clinical(269, age=15, rater="caretaker")
    assert not mine.is_clinical(270, age=15, rater="caretaker")
    assert ors.cutoff(age=15, rater="caretaker").value is None
    assert mine.cutoff(age=15, rater="self").value == 28.0


def test_boundary_convention_is_configurable() -> None:
    src = Source(citation="strict reading", verified=False)
    ors = get_scale("ORS")
    inclusive = ors.with_cutoff(
        age_band="adult", rater="self", value=25, source=src, at_cutoff="clinical"
    )
    assert not ors.is_clinical(250, age=30)
    assert inclusive.is_clinical(250, age=30)
    assert not inclusive.is_clinical(251, age=30)


# --- user-defined scales -----------------------------------------------------


def self_efficacy(scoring: str = "mean") -> Scale:
    labels = [f"Item {i}" for i in range(1, 11)]
    return Scale(
        key=f"GSE10-{scoring}",
        name="Ten-item self-efficacy (example)",
        kind="outcome",
        items=tuple(
            Item(key=f"q{i + 1}", label=Labels(nb=t, nn=t, en=t), reverse=i in (2, 7))
            for i, t in enumerate(labels)
        ),
        item_min=1,
        item_max=4,
        resolution=1,
        scoring=scoring,
        min_answered=8,
        prorate=scoring == "sum",
        min_age=18,
        cutoffs=(
            fs.Cutoff(
                age_band="adult",
                rater="self",
                value=2.5 if scoring == "mean" else 25,
                source=Source(citation="Local programme rule", verified=False),
            ),
        ),
        source=Source(citation="Programme questionnaire (example)", verified=True),
    )


def test_user_defined_self_efficacy_mean_with_reverse_items() -> None:
    scale = self_efficacy("mean")
    reg = ScaleRegistry([scale])
    answers = [4, 4, 1, 4, 4, 4, 4, 1, 4, 4]  # items 3 and 8 reverse-scored: 1 -> 4
    a = fs.Administration.model_validate(
        {"scale": scale.key, "person": "p", "date": "2026-01-01", "items": answers},
        context={"registry": reg},
    )
    assert a.total == 4.0
    # two unanswered items: mean of the 8 answered, exact
    answers2 = [4, 3, None, 3, 3, 3, 3, None, 3, 3]
    b = fs.Administration(scale=scale, person="p", date="2026-01-01", items=answers2)
    assert b.total_exact == Fraction(25, 8)
    assert b.age is None


def test_user_defined_self_efficacy_sum_with_proration() -> None:
    scale = self_efficacy("sum")
    assert (scale.total_min, scale.total_max) == (10.0, 40.0)
    b = fs.Administration(
        scale=scale, person="p", date="2026-01-01", age=30, items=[3, 3, None, 3, 3, 3, 3, 2, 3, 2]
    )
    # answered: six 3s, q8 reversed (2 -> 3), q9 3, q10 2 = 26 over 9 items -> 26 * 10 / 9
    assert b.total_exact == Fraction(260, 9)
    assert b.clinical is False  # 28.9 >= 25
    low = fs.Administration(
        scale=scale, person="p", date="2026-01-01", age=30, items=[2, 2, None, 2, 2, 2, 3, 4, 3, 2]
    )
    # 2*5 + 3 + (4 -> 1) + 3 + 2 = 19 over 9 -> 190/9 = 21.1 < 25
    assert low.total_exact == Fraction(190, 9)
    assert low.clinical is True
    with pytest.raises(ValidationError) as info:
        fs.Administration(
            scale=scale,
            person="p",
            date="2026-01-01",
            items=[3, None, None, None, 3, 3, 3, 2, 3, 2],
        )
    assert "7 of 10 items answered; GSE10-sum needs at least 8" in str(info.value)


def test_quality_of_life_single_item_yearly_is_expressible() -> None:
    qol = Scale(
        key="QOL-CANTRIL",
        name="Life satisfaction ladder 0-10",
        kind="outcome",
        items=(
            Item(
                key="ladder", label=Labels(nb="Livskvalitet", nn="Livskvalitet", en="Life ladder")
            ),
        ),
        item_min=0,
        item_max=10,
        resolution=1,
        min_age=13,
        raters=("self",),
        source=Source(citation="Programme questionnaire (example)", verified=True),
    )
    a = fs.Administration(scale=qol, person="p", date="2026-01-01", items=[7])
    assert a.total == 7.0
    with pytest.raises(MissingThresholdError, match="no cutoff"):
        qol.cutoff(age=30)


def test_register_scale_refuses_to_rebind_a_key() -> None:
    reg = ScaleRegistry(fs.BUILTIN_SCALES)
    altered = get_scale("ORS").model_copy(update={"name": "Something else"})
    with pytest.raises(ScaleRegistrationError, match="already registered"):
        reg.register(altered)
    reg.register(get_scale("ORS"))  # identical: fine
    assert reg.get("ORS") is get_scale("ORS")


def test_register_scale_adds_to_the_default_registry() -> None:
    scale = self_efficacy("mean").model_copy(update={"key": "GSE10-registered"})
    fs.register_scale(scale)
    assert "GSE10-registered" in fs.list_scales()
    a = fs.Administration(scale="GSE10-registered", person="p", date="2026-01-01", items=[2] * 10)
    assert a.scale == scale


def test_registry_is_thread_safe() -> None:
    reg = ScaleRegistry()
    base = self_efficacy("mean")
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(20):
                reg.register(base.model_copy(update={"key": f"S{i}-{j}"}))
                reg.get(f"S{i}-{j}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(reg) == 160


def test_scales_are_frozen_and_hashable() -> None:
    ors = get_scale("ORS")
    with pytest.raises(ValidationError, match="frozen"):
        ors.key = "X"  # type: ignore[misc]
    assert hash(ors) == hash(Scale.model_validate_json(ors.model_dump_json()))
