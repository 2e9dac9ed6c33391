"""The data model of a rating scale: items, ranges, cutoffs, change criteria and norms.

A :class:`Scale` is plain, frozen, JSON-serialisable data. Every number in it
that carries clinical meaning (a cutoff, a reliable-change criterion, a norm)
carries a :class:`Source` as well, saying where it comes from and whether it was
checked against the primary paper.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from fit_scores._core import ticks as _ticks
from fit_scores._model import FrozenModel
from fit_scores.errors import (
    AgeError,
    MissingThresholdError,
    RaterError,
    ScaleDefinitionError,
    UnknownItemError,
)

__all__ = [
    "AGE_BANDS",
    "AgeBand",
    "Cutoff",
    "Item",
    "Labels",
    "Norm",
    "Norms",
    "Rater",
    "Reliability",
    "ReliableChange",
    "Scale",
    "ScaleKind",
    "Source",
    "age_band_of",
    "allowed_rater",
]

Rater = Literal["self", "caretaker", "collateral"]
"""Who filled in the form: the person, a parent or guardian, or someone else."""

ScaleKind = Literal["outcome", "alliance"]
"""An outcome scale (how am I doing) or an alliance scale (how was the meeting)."""

AgeBand = Literal["under6", "child", "adolescent", "adult"]
"""Age bands of the ORS family: under 6, 6-12, 13-17 and 18 or older."""

#: The age bands as ``(band, first age, last age)`` in completed years; the last
#: band is open. Source: the registry of the domain reference, section 2.1
#: (ORS 13+, CORS 6-12, YCORS under 6; adult cutoff from 18).
AGE_BANDS: tuple[tuple[AgeBand, int, int | None], ...] = (
    ("under6", 0, 5),
    ("child", 6, 12),
    ("adolescent", 13, 17),
    ("adult", 18, None),
)

ReliabilityType = Literal["alpha", "test-retest", "omega", "other"]

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
ScaleKey = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1, pattern=r"\S")]
Age = Annotated[int, Field(strict=True, ge=0, le=130)]


def age_band_of(age: int) -> AgeBand:
    """The age band of an age in completed years.

    Examples
    --------
    >>> [age_band_of(a) for a in (5, 6, 12, 13, 17, 18)]
    ['under6', 'child', 'child', 'adolescent', 'adolescent', 'adult']
    """
    if isinstance(age, bool) or not isinstance(age, int) or age < 0:
        raise AgeError(f"age must be a whole number of years >= 0, got {age!r}")
    for band, first, last in AGE_BANDS:
        if age >= first and (last is None or age <= last):
            return band
    raise AssertionError("unreachable: the last age band is open")  # pragma: no cover


def allowed_rater(key: str, raters: tuple[Rater, ...], rater: str) -> Rater:
    """``rater`` if it is one of ``raters`` (of the scale or instrument ``key``).

    Raises
    ------
    RaterError
        If it is not.

    Examples
    --------
    >>> allowed_rater("ORS", ("self", "caretaker"), "self")
    'self'
    """
    for allowed in raters:
        if rater == allowed:
            return allowed
    raise RaterError(f"rater {rater!r} is not allowed for {key}; allowed: {list(raters)}")


def _band_range(band: AgeBand) -> tuple[int, int | None]:
    for key, first, last in AGE_BANDS:
        if key == band:
            return first, last
    raise AssertionError(f"unknown age band {band!r}")  # pragma: no cover


class Source(FrozenModel):
    """Where a number or definition comes from.

    Parameters
    ----------
    citation : str
        Reference, e.g. ``"Miller et al. 2003, J Brief Ther 2(2):91-100"``.
    verified : bool
        Whether the value was checked against the primary paper. Values
        taken from vendor pages, trainer material or secondary sources are
        ``False``.
    note : str, optional
        Anything a reader should know (disagreements, derivations).
    """

    citation: Text
    verified: bool
    note: str | None = None


class Labels(FrozenModel):
    """Short labels in Norwegian Bokmål, Norwegian Nynorsk and English.

    Labels name an item; they are never the wording of a licensed form.
    """

    nb: Text
    nn: Text
    en: Text


class Item(FrozenModel):
    """One item of a scale: a key, short labels and whether it is reverse-scored."""

    key: Key
    label: Labels
    reverse: bool = False


class Cutoff(FrozenModel):
    """The clinical cutoff of a scale for one age band and rater.

    Parameters
    ----------
    age_band : AgeBand
        The age band (of the person rated) the cutoff applies to.
    rater : Rater
        Who rates.
    value : float or None
        The cutoff in total-score units; ``None`` when no value is published.
    source : Source
        Where the value comes from, or why there is none.
    at_cutoff : {"functional", "clinical"}
        The boundary convention: is a total exactly at the cutoff in the
        functional range (default) or in the clinical range?
    """

    age_band: AgeBand
    rater: Rater
    value: float | None
    source: Source
    at_cutoff: Literal["functional", "clinical"] = "functional"

    @property
    def published(self) -> bool:
        """Whether a value is given."""
        return self.value is not None


class ReliableChange(FrozenModel):
    r"""A reliable-change criterion: fixed points, or computed from SD, reliability and z.

    With ``points`` the criterion is that number of points. With ``sd`` and
    ``reliability`` it is the Jacobson & Truax (1991) criterion
    ``z * sd * sqrt(2 * (1 - reliability))``. With neither, no criterion is
    published and :meth:`threshold` raises :class:`~fit_scores.errors.MissingThresholdError`.

    Parameters
    ----------
    points : float, optional
        A fixed criterion in points.
    sd, reliability : float, optional
        Standard deviation and reliability for the computed criterion.
    reliability_type : {"alpha", "test-retest", "omega", "other"}, optional
        Which reliability was used (the criterion roughly doubles with
        test-retest instead of alpha).
    z : float
        Critical value, default 1.96 (two-sided 5 %).
    comparison : {"inclusive", "strict"}
        Whether a change exactly equal to the criterion is reliable
        (``"inclusive"``, the default: "5 points or more") or not.
    source : Source
        Where the criterion comes from.

    Notes
    -----
    .. math:: RC = z \cdot SD \sqrt{2 (1 - r_{xx})}

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical
    approach to defining meaningful change in psychotherapy research.
    *Journal of Consulting and Clinical Psychology*, 59(1), 12-19.

    Examples
    --------
    >>> src = Source(citation="example", verified=False)
    >>> round(ReliableChange(sd=6.8, reliability=0.93, source=src).threshold(), 2)
    4.99
    >>> ReliableChange(points=5, source=src).threshold()
    5.0
    """

    points: float | None = Field(default=None, gt=0)
    sd: float | None = Field(default=None, gt=0)
    reliability: float | None = Field(default=None, gt=0, lt=1)
    reliability_type: ReliabilityType | None = None
    z: float = Field(default=1.96, gt=0)
    comparison: Literal["inclusive", "strict"] = "inclusive"
    source: Source

    @model_validator(mode="after")
    def _one_kind(self) -> ReliableChange:
        if self.points is not None and (self.sd is not None or self.reliability is not None):
            raise ScaleDefinitionError(
                "reliable_change: give either points or sd and reliability, not both"
            )
        if (self.sd is None) != (self.reliability is None):
            raise ScaleDefinitionError(
                "reliable_change: a computed criterion needs both sd and reliability"
            )
        return self

    @property
    def published(self) -> bool:
        """Whether a criterion is defined."""
        return self.points is not None or self.sd is not None

    def threshold(self) -> float:
        """The criterion in points."""
        if self.points is not None:
            return float(self.points)
        if self.sd is not None and self.reliability is not None:
            return self.z * self.sd * math.sqrt(2.0 * (1.0 - self.reliability))
        raise MissingThresholdError(
            f"no reliable-change criterion is published ({self.source.citation}); "
            "supply one with Scale.model_copy(update={'reliable_change': ...})"
        )

    def threshold_ticks(self, ticks_per_unit: int) -> Fraction:
        """The criterion in ticks, as an exact fraction (see :func:`threshold_ticks`)."""
        return _ticks.threshold_ticks(self.threshold(), ticks_per_unit)


class Norm(FrozenModel):
    """Mean and standard deviation of a reference sample."""

    mean: float
    sd: float = Field(gt=0)
    n: int | None = Field(default=None, ge=1)
    source: Source


class Reliability(FrozenModel):
    """A reliability coefficient with its type and source."""

    value: float = Field(gt=0, le=1)
    type: ReliabilityType
    n: int | None = Field(default=None, ge=1)
    source: Source


class Norms(FrozenModel):
    """Clinical and functional (non-clinical) norms and reliabilities of a scale."""

    clinical: Norm | None = None
    functional: Norm | None = None
    reliability: tuple[Reliability, ...] = ()


class Scale(FrozenModel):
    """A rating scale (instrument) as data.

    Parameters
    ----------
    key : str
        Short unique key, e.g. ``"ORS"``.
    name : str
        Full name.
    kind : {"outcome", "alliance"}
        Outcome scale or session (alliance) scale.
    items : tuple of Item
        The items, in form order.
    item_min, item_max : float
        Item range.
    resolution : float
        Smallest step of an item score (0.1 for a 10 cm line measured to the
        millimetre). Its inverse must be a whole number.
    scoring : {"sum", "mean"}
        Total as the sum or the mean of the (reverse-scored) items.
    min_answered : int, optional
        Fewest answered items for a valid total; default all items.
    prorate : bool
        With sum scoring and unanswered items: scale the sum up to all items.
    higher_is_better : bool
        Direction of the scale.
    min_age, max_age : int
        Ages (completed years, inclusive) the scale is meant for; ``max_age``
        ``None`` means no upper limit.
    raters : tuple of Rater
        Allowed raters.
    cutoffs : tuple of Cutoff
        Clinical cutoffs by age band and rater.
    reliable_change : ReliableChange, optional
        The reliable-change criterion, if the scale has one.
    norms : Norms
        Reference norms and reliabilities.
    source : Source
        Reference for the instrument itself.
    notes : str, optional
        Anything a user must know (licensing, validity limits).
    snomed_ct : str, optional
        SNOMED CT concept id of the total score, if known.

    Examples
    --------
    >>> from fit_scores import get_scale
    >>> ors = get_scale("ORS")
    >>> ors.cutoff(age=15, rater="self").value
    28.0
    >>> ors.total_min, ors.total_max, ors.resolution
    (0.0, 40.0, 0.1)
    """

    key: ScaleKey
    name: Text
    kind: ScaleKind
    items: tuple[Item, ...] = Field(min_length=1)
    item_min: float
    item_max: float
    resolution: float = Field(gt=0)
    scoring: Literal["sum", "mean"] = "sum"
    min_answered: int | None = Field(default=None, ge=1)
    prorate: bool = False
    higher_is_better: bool = True
    min_age: Age = 0
    max_age: Age | None = None
    raters: tuple[Rater, ...] = Field(default=("self",), min_length=1)
    cutoffs: tuple[Cutoff, ...] = ()
    reliable_change: ReliableChange | None = None
    norms: Norms = Norms()
    source: Source
    notes: str | None = None
    snomed_ct: str | None = Field(default=None, pattern=r"^[0-9]{6,18}$")

    # --- validation ---------------------------------------------------------

    @field_validator("items")
    @classmethod
    def _unique_items(cls, items: tuple[Item, ...]) -> tuple[Item, ...]:
        keys = [item.key for item in items]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ScaleDefinitionError(f"items: duplicate item keys {duplicates}")
        return items

    @field_validator("raters")
    @classmethod
    def _unique_raters(cls, raters: tuple[Rater, ...]) -> tuple[Rater, ...]:
        if len(set(raters)) != len(raters):
            raise ScaleDefinitionError(f"raters: duplicate raters in {list(raters)}")
        return raters

    @model_validator(mode="after")
    def _consistent(self) -> Scale:
        tpu = self.ticks_per_unit  # validates the resolution
        if not self.item_min < self.item_max:
            raise ScaleDefinitionError(
                f"item_min ({self.item_min}) must be below item_max ({self.item_max})"
            )
        _, on_grid = _ticks.to_ticks([self.item_min, self.item_max], tpu)
        if not on_grid.all():
            raise ScaleDefinitionError(
                f"item_min and item_max ({self.item_min}, {self.item_max}) must be whole "
                f"multiples of the resolution {self.resolution}"
            )
        if self.min_answered is not None and self.min_answered > self.n_items:
            raise ScaleDefinitionError(
                f"min_answered ({self.min_answered}) exceeds the number of items ({self.n_items})"
            )
        if self.prorate and self.scoring != "sum":
            raise ScaleDefinitionError("prorate applies to sum scoring only (a mean needs none)")
        if self.max_age is not None and self.max_age < self.min_age:
            raise ScaleDefinitionError(
                f"max_age ({self.max_age}) is below min_age ({self.min_age})"
            )
        seen: set[tuple[str, str]] = set()
        for i, cut in enumerate(self.cutoffs):
            where = f"cutoffs[{i}] ({cut.age_band}, {cut.rater})"
            if (cut.age_band, cut.rater) in seen:
                raise ScaleDefinitionError(f"{where}: a second cutoff for the same band and rater")
            seen.add((cut.age_band, cut.rater))
            if cut.rater not in self.raters:
                raise ScaleDefinitionError(
                    f"{where}: rater {cut.rater!r} is not among the scale's raters "
                    f"{list(self.raters)}"
                )
            first, last = _band_range(cut.age_band)
            if (last is not None and last < self.min_age) or (
                self.max_age is not None and first > self.max_age
            ):
                raise ScaleDefinitionError(
                    f"{where}: the age band lies outside the scale's ages {self._ages_text()}"
                )
            if cut.value is not None and not self.total_min <= cut.value <= self.total_max:
                raise ScaleDefinitionError(
                    f"{where}: value {cut.value} is outside the total range "
                    f"{self.total_min}-{self.total_max}"
                )
        return self

    # --- derived properties -------------------------------------------------

    @cached_property
    def n_items(self) -> int:
        """Number of items."""
        return len(self.items)

    @cached_property
    def item_keys(self) -> tuple[str, ...]:
        """Item keys in form order."""
        return tuple(item.key for item in self.items)

    @cached_property
    def ticks_per_unit(self) -> int:
        """Number of resolution steps in one score unit (10 for a 0.1 resolution)."""
        step = _ticks.exact_decimal(self.resolution)
        inverse = 1 / step
        if inverse.denominator != 1:
            raise ScaleDefinitionError(
                f"resolution {self.resolution}: 1/resolution must be a whole number "
                "(e.g. 1, 0.5, 0.1, 0.01)"
            )
        return int(inverse)

    @cached_property
    def item_tick_range(self) -> tuple[int, int]:
        """The lowest and highest item score in ticks (``(0, 100)`` for a 0-10 item at 0.1)."""
        lo, hi = _ticks.to_ticks([self.item_min, self.item_max], self.ticks_per_unit)[0]
        return int(lo), int(hi)

    @cached_property
    def reverse_items(self) -> tuple[bool, ...]:
        """Whether each item is reverse-scored, in form order."""
        return tuple(item.reverse for item in self.items)

    @cached_property
    def required_answers(self) -> int:
        """Fewest answered items for a valid total."""
        return self.n_items if self.min_answered is None else self.min_answered

    @cached_property
    def total_min(self) -> float:
        """Lowest possible total."""
        return self.item_min * (self.n_items if self.scoring == "sum" else 1)

    @cached_property
    def total_max(self) -> float:
        """Highest possible total."""
        return self.item_max * (self.n_items if self.scoring == "sum" else 1)

    @cached_property
    def total_ticks_per_unit(self) -> int:
        """Ticks per unit of a total given without items.

        A sum of items lies on the item grid; a mean of ``k`` items lies on a
        grid ``k`` times finer.
        """
        return self.ticks_per_unit * (self.n_items if self.scoring == "mean" else 1)

    def _ages_text(self) -> str:
        return f"{self.min_age}+" if self.max_age is None else f"{self.min_age}-{self.max_age}"

    # --- lookups --------------------------------------------------------------

    def age_band(self, age: int) -> AgeBand:
        """The age band of ``age``, checked against the scale's age range.

        Raises
        ------
        AgeError
            If the scale is not meant for that age.

        Examples
        --------
        >>> from fit_scores import get_scale
        >>> get_scale("ORS").age_band(13)
        'adolescent'
        """
        band = age_band_of(age)
        if age < self.min_age or (self.max_age is not None and age > self.max_age):
            raise AgeError(f"age {age}: {self.key} is for ages {self._ages_text()}")
        return band

    def check_rater(self, rater: str) -> Rater:
        """Return ``rater`` if the scale allows it, else raise :class:`RaterError`."""
        return allowed_rater(self.key, self.raters, rater)

    def cutoff(self, *, age: int, rater: Rater = "self") -> Cutoff:
        """The cutoff for a person of ``age`` rated by ``rater``.

        The returned :class:`Cutoff` has ``value`` ``None`` where no value is
        published; its ``source`` says so.

        Raises
        ------
        AgeError
            If the scale is not meant for that age.
        RaterError
            If the scale does not allow that rater.
        MissingThresholdError
            If the definition has no cutoff entry for that band and rater.

        Examples
        --------
        >>> from fit_scores import get_scale
        >>> [get_scale("ORS").cutoff(age=a).value for a in (13, 17, 18)]
        [28.0, 28.0, 25.0]
        """
        band = self.age_band(age)
        self.check_rater(rater)
        for cut in self.cutoffs:
            if cut.age_band == band and cut.rater == rater:
                return cut
        raise MissingThresholdError(
            f"{self.key} has no cutoff for age band {band!r} and rater {rater!r}; "
            "add one with Scale.with_cutoff(...)"
        )

    def cutoff_ticks(self, cut: Cutoff) -> Fraction:
        """The value of ``cut`` in ticks, as an exact fraction."""
        if cut.value is None:
            raise MissingThresholdError(
                f"no published cutoff for {self.key}, age band {cut.age_band!r}, rater "
                f"{cut.rater!r} ({cut.source.citation}); supply one with Scale.with_cutoff(...)"
            )
        return _ticks.threshold_ticks(cut.value, self.ticks_per_unit)

    def cutoff_for(self, *, age: int | None, rater: Rater = "self") -> Cutoff | None:
        """The cutoff for ``age``, or, with the age unknown, the one all age bands share.

        Returns ``None`` when the age is unknown and the bands' cutoffs differ
        (the ORS: 28 for 13-17, 25 for adults), or when the definition has no
        entry for the rater.

        Examples
        --------
        >>> from fit_scores import get_scale
        >>> get_scale("SRS").cutoff_for(age=None).value, get_scale("ORS").cutoff_for(age=None)
        (36.0, None)
        """
        if age is not None:
            try:
                return self.cutoff(age=age, rater=rater)
            except MissingThresholdError:
                return None
        self.check_rater(rater)
        bands = {
            band
            for band, first, last in AGE_BANDS
            if (last is None or last >= self.min_age)
            and (self.max_age is None or first <= self.max_age)
        }
        mine = [c for c in self.cutoffs if c.rater == rater]
        if {c.age_band for c in mine} != bands or len({c.value for c in mine}) != 1:
            return None
        return mine[0]

    def classify(self, total_ticks: Fraction | int, cut: Cutoff) -> bool:
        """Whether a total (in ticks) is in the clinical range of ``cut``, decided exactly.

        Raises
        ------
        MissingThresholdError
            If ``cut`` has no published value.
        """
        cut_ticks = self.cutoff_ticks(cut)
        total = Fraction(total_ticks)
        result = _ticks.is_clinical(
            total.numerator,
            total.denominator,
            cut_ticks.numerator,
            cut_ticks.denominator,
            higher_is_better=self.higher_is_better,
            at_cutoff_clinical=cut.at_cutoff == "clinical",
        )
        return bool(np.asarray(result))

    def is_clinical(self, total_ticks: Fraction | int, *, age: int, rater: Rater = "self") -> bool:
        """Whether a total (in ticks) is in the clinical range, decided exactly.

        Parameters
        ----------
        total_ticks : Fraction or int
            The total in ticks, e.g. ``Administration.total_ticks``.
        age : int
            Age of the person rated, in completed years.
        rater : Rater
            Who rated.

        Examples
        --------
        >>> from fit_scores import get_scale
        >>> ors = get_scale("ORS")
        >>> ors.is_clinical(249, age=30), ors.is_clinical(250, age=30)
        (True, False)
        """
        return self.classify(total_ticks, self.cutoff(age=age, rater=rater))

    def is_reliable_change(self, change_ticks: Fraction | int) -> bool:
        """Whether a change (in ticks, either direction) meets the reliable-change criterion.

        Examples
        --------
        >>> from fit_scores import get_scale
        >>> ors = get_scale("ORS")
        >>> ors.is_reliable_change(49), ors.is_reliable_change(-50)
        (False, True)
        """
        if self.reliable_change is None:
            raise MissingThresholdError(f"{self.key} defines no reliable-change criterion")
        threshold = self.reliable_change.threshold_ticks(self.ticks_per_unit)
        change = Fraction(change_ticks)
        result = _ticks.meets_threshold(
            change.numerator,
            change.denominator,
            threshold.numerator,
            threshold.denominator,
            inclusive=self.reliable_change.comparison == "inclusive",
        )
        return bool(np.asarray(result))

    def with_cutoff(
        self,
        *,
        age_band: AgeBand,
        rater: Rater,
        value: float,
        source: Source,
        at_cutoff: Literal["functional", "clinical"] = "functional",
    ) -> Scale:
        """A copy of this scale with the cutoff for ``(age_band, rater)`` set or replaced.

        This is how a caller supplies a cutoff that is not published (for
        example for caretaker ratings) or uses a local one.

        Examples
        --------
        >>> from fit_scores import Source, get_scale
        >>> local = Source(citation="Local norm study 2026", verified=True)
        >>> cors = get_scale("CORS").with_cutoff(
        ...     age_band="child", rater="caretaker", value=30, source=local)
        >>> cors.cutoff(age=8, rater="caretaker").value
        30.0
        """
        new = Cutoff(
            age_band=age_band, rater=rater, value=value, source=source, at_cutoff=at_cutoff
        )
        kept = tuple(c for c in self.cutoffs if (c.age_band, c.rater) != (age_band, rater))
        data = self.model_dump()
        data["cutoffs"] = [c.model_dump() for c in (*kept, new)]
        return Scale.model_validate(data)

    def label(self, item: str, locale: Literal["nb", "nn", "en"] = "nb") -> str:
        """The short label of ``item`` in ``locale``.

        Examples
        --------
        >>> from fit_scores import get_scale
        >>> get_scale("ORS").label("socially", "en")
        'Socially'
        """
        for it in self.items:
            if it.key == item:
                return str(getattr(it.label, locale))
        raise UnknownItemError(f"{self.key} has no item {item!r}; items: {list(self.item_keys)}")
