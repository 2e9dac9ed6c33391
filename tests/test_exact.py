"""Property tests: no threshold decision depends on floating-point error."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

import fit_scores as fs

ORS = fs.get_scale("ORS")
SRS = fs.get_scale("SRS")
ticks_items = st.lists(st.integers(min_value=0, max_value=100), min_size=4, max_size=4)


def as_typed_decimal(t: int) -> float:
    """What a person types: the decimal literal, e.g. 0.7."""
    return float(f"{t // 10}.{t % 10}")


def as_computed(t: int) -> float:
    """What a program computes: t * 0.1, carrying binary noise (7 * 0.1 = 0.7000000000000001)."""
    return t * 0.1


@given(
    ticks_items,
    st.sampled_from([as_typed_decimal, as_computed, lambda t: t / 10]),
    st.sampled_from([(30, 250), (15, 280)]),
)
def test_ors_total_and_caseness_are_exact(
    item_ticks: list[int], encode: object, age_cut: tuple[int, int]
) -> None:
    age, cut = age_cut
    items = [encode(t) for t in item_ticks]  # type: ignore[operator]
    a = fs.Administration(scale="ORS", person="p", date="2025-01-01", age=age, items=items)
    exact = sum(Fraction(t) for t in item_ticks)
    assert a.total_ticks == exact
    assert a.total_exact == exact / 10
    # the reference decision in exact rational arithmetic
    assert a.clinical is (exact < cut)


@given(st.integers(min_value=0, max_value=400), st.sampled_from([30, 15]))
def test_total_only_caseness_is_exact(total_ticks: int, age: int) -> None:
    a = fs.Administration(
        scale="ORS", person="p", date="2025-01-01", age=age, total=as_typed_decimal(total_ticks)
    )
    cut = 250 if age >= 18 else 280
    assert a.total_ticks == total_ticks
    assert a.clinical is (total_ticks < cut)


@given(ticks_items)
def test_srs_alliance_caseness_is_exact(item_ticks: list[int]) -> None:
    a = fs.Administration(
        scale="SRS",
        person="p",
        date="2025-01-01",
        age=40,
        items=[as_computed(t) for t in item_ticks],
    )
    assert a.clinical is (sum(item_ticks) < 360)


@given(ticks_items, ticks_items)
def test_reliable_change_decision_is_exact(pre: list[int], post: list[int]) -> None:
    a = fs.Administration(
        scale="ORS", person="p", date="2025-01-01", items=[as_computed(t) for t in pre]
    )
    b = fs.Administration(
        scale="ORS", person="p", date="2025-02-01", items=[as_typed_decimal(t) for t in post]
    )
    change = b.total_ticks - a.total_ticks
    assert change == sum(post) - sum(pre)
    assert ORS.is_reliable_change(change) is (abs(sum(post) - sum(pre)) >= 50)


def test_the_classic_counterexample() -> None:
    items = (0.7, 8.1, 7.5, 8.7)
    assert sum(items) != 25.0  # the trap
    a = fs.Administration(scale="ORS", person="p", date="2025-01-01", age=30, items=items)
    assert a.total == 25.0 and a.clinical is False


@given(
    st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=4)), min_size=10, max_size=10)
)
def test_mean_scoring_with_missing_items_is_exact(answers: list[int | None]) -> None:
    answered = [a for a in answers if a is not None]
    scale = fs.Scale(
        key="LIK10",
        name="Likert",
        kind="outcome",
        items=tuple(
            fs.Item(key=f"q{i}", label=fs.Labels(nb="q", nn="q", en="q")) for i in range(10)
        ),
        item_min=1,
        item_max=4,
        resolution=1,
        scoring="mean",
        min_answered=1,
        min_age=18,
        cutoffs=(
            fs.Cutoff(
                age_band="adult",
                rater="self",
                value=2.5,
                source=fs.Source(citation="t", verified=False),
            ),
        ),
        source=fs.Source(citation="t", verified=False),
    )
    if not answered:
        return
    a = fs.Administration(scale=scale, person="p", date="2025-01-01", age=30, items=answers)
    mean = Fraction(sum(answered), len(answered))
    assert a.total_exact == mean
    assert a.clinical is (mean < Fraction(5, 2))
