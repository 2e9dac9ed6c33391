"""Instrument definitions as data: subscales, response ranges, tables, bands and licences.

An :class:`Instrument` describes a questionnaire of the yearly mapping (the
General Self-Efficacy scale, life satisfaction, the children's Cantril
ladder, SDQ, KIDSCREEN, EQ-5D) the way :class:`~fit_scores.Scale` describes a
session scale of the ORS family, and more: items may have different response
ranges (``1-4``, ``0-2``, ``1-5``, ``0-10``), items are grouped into
subscales, each subscale is scored by sum, mean, a user-supplied conversion
table (a norm table that the instrument's licence keeps) or a health-state
profile looked up in a value set, bands are given by age and rater, and a
:class:`Licence` says what a service may ship and must license.

Like a :class:`~fit_scores.Scale`, an instrument is frozen, JSON-serialisable
data; every number with a meaning carries a :class:`~fit_scores.Source`. It
carries keys and short labels only, never the wording of a form. Scoring runs
in :mod:`fit_scores.instruments` on the kernel in ``fit_scores._core.scoring``;
an instrument whose main score is a plain sum or mean of all its items also
gives a :class:`~fit_scores.Scale` (:meth:`Instrument.scale`), so its records
and tables go through the same rules as the ORS family.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Literal

from pydantic import Field, StrictInt, model_validator

from fit_scores._core import ticks as _ticks
from fit_scores._model import FrozenModel
from fit_scores.errors import (
    AgeError,
    MissingThresholdError,
    ScaleDefinitionError,
    UnknownItemError,
)
from fit_scores.scales.model import (
    Item,
    Labels,
    Norms,
    Rater,
    ReliableChange,
    Scale,
    Source,
    allowed_rater,
)

__all__ = [
    "LICENCE_STATUSES",
    "Band",
    "BandScheme",
    "ConversionTable",
    "Instrument",
    "InstrumentItem",
    "Licence",
    "LicenceStatus",
    "ReferenceRow",
    "ReferenceSeries",
    "ResponseRange",
    "ScoringMethod",
    "Subscale",
]

LicenceStatus = Literal[
    "open_with_attribution",
    "free_contact_required",
    "registration_licence",
    "proprietary_electronic",
]
"""What the terms of an instrument allow.

``open_with_attribution``: use without asking, citing the source (GSE).
``free_contact_required``: free of charge, but the holder must be contacted
first (KIDSCREEN). ``registration_licence``: registration and a licence
agreement, possibly with fees (EQ-5D). ``proprietary_electronic``: paper use
may be free, but no electronic version without the holder's authorisation
(SDQ).
"""

#: The licence statuses, in the order of :data:`LicenceStatus`.
LICENCE_STATUSES: tuple[LicenceStatus, ...] = (
    "open_with_attribution",
    "free_contact_required",
    "registration_licence",
    "proprietary_electronic",
)

ScoringMethod = Literal["sum", "mean", "table", "profile"]
"""How a subscale is scored.

``sum`` and ``mean`` of the (reverse-keyed) items; ``table``: the complete raw
sum looked up in a :class:`ConversionTable` (a licensed norm table supplied by
the user); ``profile``: the items' levels read as a digit code (EQ-5D state
``11111``-``55555``) looked up in a value set supplied by the user.
"""

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
InstrumentKey = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1, pattern=r"\S")]
Age = Annotated[int, Field(strict=True, ge=0, le=130)]
Year = Annotated[int, Field(strict=True, ge=1900, le=2200)]
Percent = Annotated[float, Field(ge=0, le=100)]


class Licence(FrozenModel):
    """The terms of an instrument: what a service may ship and what it must license.

    Parameters
    ----------
    status : LicenceStatus
        One of :data:`LICENCE_STATUSES`.
    holder : str
        Who holds the rights.
    may_ship_wording : bool
        Whether item wording may be distributed with software. ``False`` for
        every built-in: ``fit_scores`` ships keys and short labels only.
    attribution : str, optional
        The line to show wherever the instrument is used.
    must_license : str, optional
        What a service must obtain before use (a licence, a registration, the
        manual's norm tables), in plain words.
    source : Source
        Where the terms are stated.
    """

    status: LicenceStatus
    holder: Text
    may_ship_wording: bool = False
    attribution: Text | None = None
    must_license: Text | None = None
    source: Source


class ResponseRange(FrozenModel):
    """A named range of whole-number response codes, e.g. ``1-4``.

    Examples
    --------
    >>> ResponseRange(key="likert4", min=1, max=4).codes
    (1, 2, 3, 4)
    """

    key: Key
    min: StrictInt
    max: StrictInt

    @model_validator(mode="after")
    def _ordered(self) -> ResponseRange:
        if not self.min < self.max:
            raise ScaleDefinitionError(
                f"response range {self.key!r}: min ({self.min}) must be below max ({self.max})"
            )
        return self

    @property
    def codes(self) -> tuple[int, ...]:
        """Every response code, lowest first."""
        return tuple(range(self.min, self.max + 1))


class InstrumentItem(FrozenModel):
    """One item: a key, short labels, its response range and whether it is reverse-keyed.

    A reverse-keyed item is recoded ``min + max - x`` within its range before
    scoring (on a 1-5 item: 1 and 5 swap, 2 and 4 swap).
    """

    key: Key
    label: Labels
    response: Key
    reverse: bool = False


class ConversionTable(FrozenModel):
    """A user-supplied table from raw scores to converted values (T-values, a value set).

    The table of a ``table`` subscale maps every possible raw sum; the table
    of a ``profile`` subscale maps every possible digit code of the item
    levels. :class:`Instrument` checks that the table covers every possible
    raw score and nothing else.

    Parameters
    ----------
    raw : tuple of int
        Raw scores (sums, or profile codes), strictly increasing.
    value : tuple of float
        The converted value of each raw score.
    monotone : {"increasing", "decreasing"}, optional
        If declared, the values must never decrease (or never increase) with
        the raw score.
    source : Source
        Where the table comes from (for a licensed manual: which edition).

    Examples
    --------
    >>> src = Source(citation="Local table", verified=True)
    >>> t = ConversionTable(raw=(0, 1, 2), value=(30.0, 45.5, 60.0), monotone="increasing",
    ...                     source=src)
    >>> t.lookup(1)
    45.5
    """

    raw: tuple[StrictInt, ...] = Field(min_length=1)
    value: tuple[float, ...] = Field(min_length=1)
    monotone: Literal["increasing", "decreasing"] | None = None
    source: Source

    @model_validator(mode="after")
    def _consistent(self) -> ConversionTable:
        if len(self.raw) != len(self.value):
            raise ScaleDefinitionError(
                f"conversion table: {len(self.raw)} raw scores but {len(self.value)} values"
            )
        for i in range(1, len(self.raw)):
            if self.raw[i] <= self.raw[i - 1]:
                raise ScaleDefinitionError(
                    f"conversion table: raw scores must increase strictly; raw[{i}] = "
                    f"{self.raw[i]} follows {self.raw[i - 1]}"
                )
        if self.monotone is not None:
            sign = 1 if self.monotone == "increasing" else -1
            for i in range(1, len(self.value)):
                if sign * (self.value[i] - self.value[i - 1]) < 0:
                    raise ScaleDefinitionError(
                        f"conversion table declared {self.monotone} but the value of raw "
                        f"{self.raw[i]} ({self.value[i]}) is "
                        f"{'below' if sign > 0 else 'above'} that of raw {self.raw[i - 1]} "
                        f"({self.value[i - 1]})"
                    )
        return self

    def lookup(self, raw: int) -> float:
        """The value of raw score ``raw``.

        Raises
        ------
        ScaleDefinitionError
            If ``raw`` is not in the table.
        """
        mapping = dict(zip(self.raw, self.value, strict=True))
        if raw not in mapping:
            raise ScaleDefinitionError(f"conversion table has no raw score {raw}")
        return mapping[raw]


class Subscale(FrozenModel):
    """A score of an instrument: its items and how they are scored.

    Parameters
    ----------
    key : str
        Short key, e.g. ``"emotional"``.
    label : Labels
        Short labels in nb, nn and en.
    items : tuple of str
        The item keys scored, in form order.
    scoring : {"sum", "mean", "table", "profile"}
        See :data:`ScoringMethod`.
    min_answered : int, optional
        Fewest answered items for a score; default all. ``table`` and
        ``profile`` need all items (a table maps complete raw scores).
    prorate : bool
        With ``sum`` and unanswered items: the sum of the answered items
        times ``len(items) / answered`` (the mean times the number of items).
    table : ConversionTable, optional
        The conversion table of a ``table`` or ``profile`` subscale; ``None``
        until the user supplies it (see ``table_required``).
    table_required : str, optional
        What table a ``table`` or ``profile`` subscale needs and who holds it,
        named in the error raised when it is missing.
    higher_is_better : bool
        Direction of the score.
    """

    key: Key
    label: Labels
    items: tuple[Key, ...] = Field(min_length=1)
    scoring: ScoringMethod = "sum"
    min_answered: int | None = Field(default=None, ge=1)
    prorate: bool = False
    table: ConversionTable | None = None
    table_required: Text | None = None
    higher_is_better: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Subscale:
        where = f"subscale {self.key!r}"
        if len(set(self.items)) != len(self.items):
            raise ScaleDefinitionError(f"{where}: an item is listed twice")
        if self.min_answered is not None and self.min_answered > len(self.items):
            raise ScaleDefinitionError(
                f"{where}: min_answered ({self.min_answered}) exceeds its {len(self.items)} items"
            )
        if self.prorate and self.scoring != "sum":
            raise ScaleDefinitionError(f"{where}: prorate applies to sum scoring only")
        if self.scoring in ("table", "profile"):
            if self.required_answers != len(self.items):
                raise ScaleDefinitionError(
                    f"{where}: {self.scoring} scoring needs every item answered (a table "
                    "maps complete raw scores); drop min_answered"
                )
        elif self.table is not None:
            raise ScaleDefinitionError(
                f"{where}: a conversion table needs scoring 'table' or 'profile'"
            )
        return self

    @property
    def required_answers(self) -> int:
        """Fewest answered items for a score."""
        return len(self.items) if self.min_answered is None else self.min_answered


class Band(FrozenModel):
    """One band of a :class:`BandScheme`: scores from ``lower`` (inclusive) to the next band.

    ``lower`` is read as the exact decimal written (``6`` means 6, ``2.5``
    means 5/2), so a band boundary is never decided by floating point.
    """

    key: Key
    label: Labels
    lower: float


class BandScheme(FrozenModel):
    """Named bands of a subscale's score, for given ages and raters.

    Parameters
    ----------
    key : str
        Key of the scheme, e.g. ``"ssb"`` or ``"hbsc_6plus"``.
    subscale : str
        The subscale whose score is banded.
    bands : tuple of Band
        At least two, with strictly increasing lower bounds; the first starts
        at the lowest possible score.
    min_age, max_age : int
        Ages (completed years, inclusive) the scheme is for; ``max_age``
        ``None`` means no upper limit.
    raters : tuple of Rater
        Raters the scheme is for.
    source : Source
        Where the bands are defined.
    """

    key: Key
    subscale: Key
    bands: tuple[Band, ...] = Field(min_length=2)
    min_age: Age = 0
    max_age: Age | None = None
    raters: tuple[Rater, ...] = Field(default=("self",), min_length=1)
    source: Source

    @model_validator(mode="after")
    def _ordered(self) -> BandScheme:
        keys = [b.key for b in self.bands]
        if len(set(keys)) != len(keys):
            raise ScaleDefinitionError(f"band scheme {self.key!r}: duplicate band keys {keys}")
        lowers = [_ticks.exact_decimal(b.lower) for b in self.bands]
        if any(b <= a for a, b in itertools.pairwise(lowers)):
            raise ScaleDefinitionError(
                f"band scheme {self.key!r}: lower bounds must increase strictly, got "
                f"{[b.lower for b in self.bands]}"
            )
        if self.max_age is not None and self.max_age < self.min_age:
            raise ScaleDefinitionError(f"band scheme {self.key!r}: max_age is below min_age")
        return self

    @property
    def lowers(self) -> tuple[Fraction, ...]:
        """The exact lower bounds of the bands."""
        return tuple(_ticks.exact_decimal(b.lower) for b in self.bands)

    def covers(self, *, age: int | None, rater: Rater) -> bool:
        """Whether the scheme applies to ``age`` (``None``: any) and ``rater``."""
        if rater not in self.raters:
            return False
        if age is None:
            return True
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)


class Instrument(FrozenModel):
    """A questionnaire as data: items, response ranges, subscales, bands, licence, sources.

    Parameters
    ----------
    key : str
        Short unique key, e.g. ``"GSE"``.
    name : str
        Full name.
    items : tuple of InstrumentItem
        The items in form order (keys and short labels only).
    responses : tuple of ResponseRange
        The response ranges the items refer to.
    subscales : tuple of Subscale
        The scores of the instrument.
    primary : str, optional
        The subscale that is the instrument's main score; when it covers every
        item with ``sum`` or ``mean`` in one response range,
        :meth:`scale` gives the :class:`~fit_scores.Scale` of the rules layer.
    bands : tuple of BandScheme
        Named bands by subscale, age and rater.
    min_age, max_age : int
        Ages the instrument is for.
    raters : tuple of Rater
        Allowed raters.
    norms : Norms
        Reference norms and reliabilities of the primary score.
    reliable_change : ReliableChange, optional
        A reliable-change criterion of the primary score.
    reverse_key_required : str, optional
        Set when the reverse-keyed items are not known here (they are in a
        licensed manual): names what the user must supply with
        :meth:`with_reverse_items`; scoring refuses until then.
    licence : Licence
        The terms.
    source : Source
        Reference for the instrument itself.
    notes : str, optional
        Anything a user must know.

    Examples
    --------
    >>> from fit_scores import get_instrument
    >>> gse = get_instrument("GSE")
    >>> gse.subscale("total").scoring, gse.subscale("total").required_answers
    ('sum', 7)
    >>> gse.licence.status, gse.licence.may_ship_wording
    ('open_with_attribution', False)
    """

    key: InstrumentKey
    name: Text
    items: tuple[InstrumentItem, ...] = Field(min_length=1)
    responses: tuple[ResponseRange, ...] = Field(min_length=1)
    subscales: tuple[Subscale, ...] = Field(min_length=1)
    primary: Key | None = None
    bands: tuple[BandScheme, ...] = ()
    min_age: Age = 0
    max_age: Age | None = None
    raters: tuple[Rater, ...] = Field(default=("self",), min_length=1)
    norms: Norms = Norms()
    reliable_change: ReliableChange | None = None
    reverse_key_required: Text | None = None
    licence: Licence
    source: Source
    notes: str | None = None

    # --- validation ---------------------------------------------------------

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        groups: tuple[tuple[str, list[str]], ...] = (
            ("item", [i.key for i in self.items]),
            ("response range", [r.key for r in self.responses]),
            ("subscale", [s.key for s in self.subscales]),
            ("band scheme", [f"{b.subscale}/{b.key}" for b in self.bands]),
        )
        for what, keys in groups:
            duplicates = sorted({str(k) for k in keys if keys.count(k) > 1})
            if duplicates:
                raise ScaleDefinitionError(f"{self.key}: duplicate {what} keys {duplicates}")
        if len(set(self.raters)) != len(self.raters):
            raise ScaleDefinitionError(f"{self.key}: duplicate raters in {list(self.raters)}")
        if self.max_age is not None and self.max_age < self.min_age:
            raise ScaleDefinitionError(f"{self.key}: max_age is below min_age")
        ranges = {r.key: r for r in self.responses}
        for item in self.items:
            if item.response not in ranges:
                raise ScaleDefinitionError(
                    f"{self.key}: item {item.key!r} refers to an unknown response range "
                    f"{item.response!r}; ranges: {list(ranges)}"
                )
        for sub in self.subscales:
            unknown = [k for k in sub.items if k not in self.item_keys]
            if unknown:
                raise ScaleDefinitionError(
                    f"{self.key}: subscale {sub.key!r} lists unknown items {unknown}"
                )
            order = [self.item_keys.index(k) for k in sub.items]
            if sub.scoring == "profile" and order != sorted(order):
                raise ScaleDefinitionError(
                    f"{self.key}: the items of profile {sub.key!r} must be in form order"
                )
            self._check_table(sub)
        if self.primary is not None and self.primary not in self.subscale_keys:
            raise ScaleDefinitionError(
                f"{self.key}: primary {self.primary!r} is not a subscale; subscales: "
                f"{list(self.subscale_keys)}"
            )
        for scheme in self.bands:
            where = f"{self.key}: band scheme {scheme.key!r}"
            if scheme.subscale not in self.subscale_keys:
                raise ScaleDefinitionError(f"{where}: unknown subscale {scheme.subscale!r}")
            stray = [r for r in scheme.raters if r not in self.raters]
            if stray:
                raise ScaleDefinitionError(f"{where}: raters {stray} are not the instrument's")
            sub = self.subscale(scheme.subscale)
            if sub.scoring in ("table", "profile"):
                raise ScaleDefinitionError(
                    f"{where}: bands of a table score are not supported (the table is "
                    "the user's); band the raw score or the converted value yourself"
                )
            low, high = self.score_range(sub.key)
            lowers = scheme.lowers
            if lowers[0] != low or lowers[-1] > high:
                raise ScaleDefinitionError(
                    f"{where}: the first band must start at the lowest score {low} and "
                    f"every band must start at or below the highest score {high}"
                )
        return self

    def _check_table(self, sub: Subscale) -> None:
        if sub.table is None:
            return
        where = f"{self.key}: the table of subscale {sub.key!r}"
        given = set(sub.table.raw)
        if sub.scoring == "table":
            low, high = self.score_range(sub.key)
            possible = set(range(int(low), int(high) + 1))
        else:
            ranges = [self.response_of(k) for k in sub.items]
            if any(r.min < 0 or r.max > 9 for r in ranges):
                raise ScaleDefinitionError(
                    f"{where}: a profile reads each item as one digit (codes 0-9)"
                )
            possible = {
                int("".join(str(c) for c in codes))
                for codes in itertools.product(*(r.codes for r in ranges))
            }
        missing = sorted(possible - given)
        if missing:
            shown = ", ".join(str(m) for m in missing[:10])
            raise ScaleDefinitionError(
                f"{where} must cover every possible raw score; missing {len(missing)}: "
                f"{shown}{' ...' if len(missing) > 10 else ''}"
            )
        extra = sorted(given - possible)
        if extra:
            raise ScaleDefinitionError(f"{where} has raw scores that cannot occur: {extra[:10]}")

    # --- derived properties -------------------------------------------------

    @cached_property
    def item_keys(self) -> tuple[str, ...]:
        """Item keys in form order."""
        return tuple(i.key for i in self.items)

    @cached_property
    def subscale_keys(self) -> tuple[str, ...]:
        """Subscale keys in definition order."""
        return tuple(s.key for s in self.subscales)

    def item(self, key: str) -> InstrumentItem:
        """The item ``key``; :class:`~fit_scores.errors.UnknownItemError` if there is none."""
        for it in self.items:
            if it.key == key:
                return it
        raise UnknownItemError(f"{self.key} has no item {key!r}; items: {list(self.item_keys)}")

    def response_of(self, item: str) -> ResponseRange:
        """The response range of ``item``."""
        name = self.item(item).response
        return next(r for r in self.responses if r.key == name)

    def subscale(self, key: str) -> Subscale:
        """The subscale ``key``; :class:`~fit_scores.errors.UnknownItemError` if none."""
        for sub in self.subscales:
            if sub.key == key:
                return sub
        raise UnknownItemError(
            f"{self.key} has no subscale {key!r}; subscales: {list(self.subscale_keys)}"
        )

    def score_range(self, subscale: str) -> tuple[Fraction, Fraction]:
        """Lowest and highest possible score of a ``sum``/``mean``/``table`` subscale (raw).

        Examples
        --------
        >>> from fit_scores import get_instrument
        >>> [int(x) for x in get_instrument("GSE").score_range("total")]
        [10, 40]
        """
        sub = self.subscale(subscale)
        if sub.scoring == "profile":
            raise ScaleDefinitionError(f"{self.key}: a profile ({subscale}) has no score range")
        ranges = [self.response_of(k) for k in sub.items]
        low = Fraction(sum(r.min for r in ranges))
        high = Fraction(sum(r.max for r in ranges))
        if sub.scoring == "mean":
            return low / len(ranges), high / len(ranges)
        return low, high

    def check_age(self, age: int) -> int:
        """Return ``age`` if the instrument is meant for it, else raise :class:`AgeError`."""
        if age < self.min_age or (self.max_age is not None and age > self.max_age):
            ages = f"{self.min_age}+" if self.max_age is None else f"{self.min_age}-{self.max_age}"
            raise AgeError(f"age {age}: {self.key} is for ages {ages}")
        return age

    def check_rater(self, rater: str) -> Rater:
        """Return ``rater`` if the instrument allows it, else raise :class:`RaterError`."""
        return allowed_rater(self.key, self.raters, rater)

    def band_scheme(
        self,
        subscale: str,
        scheme: str | None = None,
        *,
        age: int | None = None,
        rater: Rater = "self",
    ) -> BandScheme:
        """The band scheme of ``subscale`` for ``age`` and ``rater`` (named by ``scheme``).

        Raises
        ------
        MissingThresholdError
            If no scheme (or not the one named) covers that subscale, age and rater.

        Examples
        --------
        >>> from fit_scores import get_instrument
        >>> get_instrument("CANTRIL").band_scheme("total", "high_9plus").bands[-1].key
        'high'
        """
        self.subscale(subscale)
        self.check_rater(rater)
        if age is not None:
            self.check_age(age)
        found = [
            b
            for b in self.bands
            if b.subscale == subscale
            and (scheme is None or b.key == scheme)
            and b.covers(age=age, rater=rater)
        ]
        if not found:
            names = sorted({b.key for b in self.bands if b.subscale == subscale})
            raise MissingThresholdError(
                f"{self.key} has no band scheme {scheme or ''!s} for subscale {subscale!r}, "
                f"age {age}, rater {rater!r}; schemes of the subscale: {names}"
            )
        if scheme is None and len(found) > 1:
            raise MissingThresholdError(
                f"{self.key}: subscale {subscale!r} has several band schemes "
                f"{[b.key for b in found]}; name one"
            )
        return found[0]

    # --- copies -------------------------------------------------------------

    def with_table(self, subscale: str, table: ConversionTable) -> Instrument:
        """A copy with the user's (licensed) conversion table for ``subscale``.

        The table is checked: it must cover every possible raw score and be
        monotone if it says so.
        """
        self.subscale(subscale)
        data = self.model_dump()
        for sub in data["subscales"]:
            if sub["key"] == subscale:
                sub["table"] = table.model_dump()
        return Instrument.model_validate(data)

    def with_reverse_items(self, items: tuple[str, ...] | list[str]) -> Instrument:
        """A copy in which exactly ``items`` are reverse-keyed (the scoring key of a manual)."""
        for key in items:
            self.item(key)
        data = self.model_dump()
        for item in data["items"]:
            item["reverse"] = item["key"] in set(items)
        data["reverse_key_required"] = None
        return Instrument.model_validate(data)

    def scale(self) -> Scale:
        """The :class:`~fit_scores.Scale` of the primary score, for the rules layer.

        Defined when the primary subscale scores every item, in form order,
        by ``sum`` or ``mean``, and all items share one response range.

        Examples
        --------
        >>> from fit_scores import get_instrument
        >>> s = get_instrument("GSE").scale()
        >>> s.key, s.total_min, s.total_max, s.prorate, s.required_answers
        ('GSE', 10.0, 40.0, True, 7)
        """
        if self.primary is None:
            raise ScaleDefinitionError(f"{self.key} has no primary score; it has no Scale view")
        sub = self.subscale(self.primary)
        ranges = {i.response for i in self.items}
        if sub.items != self.item_keys or sub.scoring not in ("sum", "mean") or len(ranges) != 1:
            raise ScaleDefinitionError(
                f"{self.key}: the primary score {sub.key!r} is not a plain sum or mean of all "
                "items in one response range; score it with fit_scores.instruments.score"
            )
        rng = self.responses[[r.key for r in self.responses].index(ranges.pop())]
        scoring: Literal["sum", "mean"] = "sum" if sub.scoring == "sum" else "mean"
        return Scale(
            key=self.key,
            name=self.name,
            kind="outcome",
            items=tuple(Item(key=i.key, label=i.label, reverse=i.reverse) for i in self.items),
            item_min=float(rng.min),
            item_max=float(rng.max),
            resolution=1.0,
            scoring=scoring,
            min_answered=sub.min_answered,
            prorate=sub.prorate,
            higher_is_better=sub.higher_is_better,
            min_age=self.min_age,
            max_age=self.max_age,
            raters=self.raters,
            reliable_change=self.reliable_change,
            norms=self.norms,
            source=self.source,
            notes=" ".join(
                filter(
                    None, [self.notes, f"Licence: {self.licence.status}.", self.licence.attribution]
                )
            ),
        )


class ReferenceRow(FrozenModel):
    """One row of a reference series: shares in the bands and the mean, for a year and group.

    Cells that are not published (or not verified) are ``None``, never guessed.
    """

    year: Year
    group: Text
    share_low: Percent | None = None
    share_medium: Percent | None = None
    share_high: Percent | None = None
    mean: float | None = None
    n: int | None = Field(default=None, ge=1)
    source: Source
    url: str | None = None


class ReferenceSeries(FrozenModel):
    """A versioned table of national reference values for an instrument's bands.

    Parameters
    ----------
    key : str
        Key of the series.
    instrument : str
        The instrument key.
    band_scheme : str
        The band scheme whose shares the rows give.
    version : str
        Version of the table (the date it was compiled); a new figure gives a
        new version.
    population : str
        Who the series describes.
    rows : tuple of ReferenceRow
        The rows, by year and group.
    notes : str, optional
        What not to compare (other surveys, breaks in the series).
    """

    key: Key
    instrument: InstrumentKey
    band_scheme: Key
    version: Text
    population: Text
    rows: tuple[ReferenceRow, ...] = Field(min_length=1)
    notes: str | None = None

    @model_validator(mode="after")
    def _unique(self) -> ReferenceSeries:
        seen = [(r.year, r.group) for r in self.rows]
        duplicates = sorted({k for k in seen if seen.count(k) > 1})
        if duplicates:
            raise ScaleDefinitionError(f"reference series {self.key}: duplicate rows {duplicates}")
        return self

    def row(self, year: int, group: str = "all") -> ReferenceRow:
        """The row of ``year`` and ``group``.

        Raises
        ------
        MissingThresholdError
            If the series has no such row.

        Examples
        --------
        >>> from fit_scores.instruments import LIFESAT_REFERENCE
        >>> LIFESAT_REFERENCE.row(2023).share_low
        25.6
        """
        for r in self.rows:
            if r.year == year and r.group == group:
                return r
        raise MissingThresholdError(
            f"reference series {self.key} has no row for {year}, group {group!r}; years: "
            f"{sorted({r.year for r in self.rows if r.group == group})}"
        )

    def groups(self) -> tuple[str, ...]:
        """The groups, in order of first appearance."""
        return tuple(dict.fromkeys(r.group for r in self.rows))
