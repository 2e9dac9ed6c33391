"""Living-conditions indicators as vectorised kernels, with the official Norwegian definitions.

Every function takes scalars (one person or household) or 1-D arrays (a
cohort) and returns the same shape. Where a threshold decides (low income,
crowding, one hour of work), the comparison is exact: incomes are whole
kroner and consumption units whole tenths, so income thresholds are compared
as integers; a float only ever meets an integer. An indicator that cannot be
decided from the data given is ``None`` for a scalar and ``NaN`` in an array
(1.0 = yes, 0.0 = no), so ``numpy.nanmean`` gives the share among the known.

The records in :mod:`fit_scores.living_conditions.records` call these
kernels with a batch of one, so a record and a cohort row get the same rule
and the same message.

References
----------
.. [1] Statistics Norway (SSB), ordforklaringer: low income EU-60 (key
   330405), persistent low income (keys 405494, 437947, 306829; the older
   four-year text: 286046), equivalence scales (key 98178).
.. [2] SSB, "Slik lever vi" link page: OECD uses 50 % of the median, the EU
   60 % (ssb.no/a/magasinet/slik_lever_vi/lenker.html).
.. [3] SSB vardok 3462, "Trangbodd" (register-based, valid from 2015-01-01),
   and the SSB 2022 article on its missing-data rule; the older register
   variant with 20 m2 (key 265119); the survey (LKU) rooms-only definition
   (keys 211366, 261418).
.. [4] SSB, "sysselsatte" (ILO definition: paid work of at least one hour in
   the reference week, or temporarily absent).
.. [5] SSB, "Gjennomføring i videregående opplæring" (vgogjen): general
   studies followed 5 years, vocational 6; normed time 3 and 4 years.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from fit_scores.errors import IndicatorError

__all__ = [
    "ACTIVITY_KINDS",
    "CROWDING_DEFINITIONS",
    "DEFAULT_WORK_ORIENTED",
    "LEISURE_FREQUENCIES",
    "LOW_INCOME_DEFINITIONS",
    "NORMED_YEARS",
    "WINDOW_YEARS",
    "ActivityKind",
    "CrowdingDefinition",
    "EquivalenceScale",
    "LeisureFrequency",
    "LowIncomeDefinition",
    "Programme",
    "activity_mask",
    "consumption_units",
    "consumption_units_tenths",
    "crowded",
    "employed_ilo",
    "equivalised_income",
    "leisure_participation",
    "low_income",
    "persistent_low_income",
    "upper_secondary_completion",
    "work_or_activity",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Flag = bool | None | FloatArray

EquivalenceScale = Literal["eu", "oecd_old"]
LowIncomeDefinition = Literal["eu60", "oecd50"]
CrowdingDefinition = Literal["ssb_register_2015", "ssb_register_20m2", "lku_rooms"]
Programme = Literal["general", "vocational"]
ActivityKind = Literal[
    "job",
    "labour_market_scheme",
    "education",
    "qualification_programme",
    "introduction_programme",
]
LeisureFrequency = Literal["never", "less_than_monthly", "monthly", "weekly"]

LOW_INCOME_DEFINITIONS: Final[dict[str, tuple[EquivalenceScale, Fraction]]] = {
    "eu60": ("eu", Fraction(3, 5)),
    "oecd50": ("oecd_old", Fraction(1, 2)),
}
"""Low-income definitions: (equivalence scale, share of the median) ([1], [2])."""

# consumption units in tenths: first adult, each further adult, each child ([1], key 98178)
_UNIT_TENTHS: Final[dict[str, tuple[int, int, int]]] = {
    "eu": (10, 5, 3),
    "oecd_old": (10, 7, 5),
}

CROWDING_DEFINITIONS: Final[dict[str, int | None]] = {
    "ssb_register_2015": 25,
    "ssb_register_20m2": 20,
    "lku_rooms": None,
}
"""Crowding definitions: the m2-per-person limit, or ``None`` for rooms only ([3])."""

NORMED_YEARS: Final[dict[str, int]] = {"general": 3, "vocational": 4}
"""Normed time of upper secondary education, in years ([5])."""
WINDOW_YEARS: Final[dict[str, int]] = {"general": 5, "vocational": 6}
"""The years SSB follows a pupil ("within 5/6 years", [5])."""

ACTIVITY_KINDS: Final[tuple[ActivityKind, ...]] = (
    "job",
    "labour_market_scheme",
    "education",
    "qualification_programme",
    "introduction_programme",
)
"""Kinds of work or work-oriented activity; the bit of kind ``k`` is ``1 << index``."""
DEFAULT_WORK_ORIENTED: Final[frozenset[ActivityKind]] = frozenset(ACTIVITY_KINDS)
"""The programme-local default: every kind counts (SSB has no single definition)."""

LEISURE_FREQUENCIES: Final[tuple[LeisureFrequency, ...]] = (
    "never",
    "less_than_monthly",
    "monthly",
    "weekly",
)
"""How often a leisure activity takes place, from least to most often (programme-local)."""

_MAX_ABS_INCOME: Final = 10**12
_MAX_MEMBERS: Final = 99


# --- input ---------------------------------------------------------------------------------


def _at(name: str, row: int, scalar: bool) -> str:
    return name if scalar else f"{name}[{row}]"


def _column(values: object, name: str) -> tuple[npt.NDArray[np.float64], bool]:
    """Numbers as a 1-D float array (``None`` -> NaN); True if a scalar was given."""
    if hasattr(values, "__array__") and not isinstance(values, np.ndarray):
        values = np.asarray(values)  # a pandas or polars column
    if isinstance(values, np.ndarray):
        if values.dtype.kind == "b":
            raise IndicatorError(f"{name}: booleans are not numbers")
        if values.ndim > 1:
            raise IndicatorError(f"{name}: expected one dimension, got {values.ndim}")
        if values.dtype.kind in "fiu":
            return np.atleast_1d(values.astype(np.float64)), values.ndim == 0
        return _column(values.tolist(), name)
    scalar = not isinstance(values, list | tuple)
    cells = [values] if scalar else list(values)  # type: ignore[call-overload]
    out = np.empty(len(cells), dtype=np.float64)
    for i, v in enumerate(cells):
        if v is None:
            out[i] = math.nan
        elif isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real | Decimal):
            raise IndicatorError(f"{_at(name, i, scalar)}: expected a number, got {v!r}")
        else:
            out[i] = float(v)
    return out, scalar


def _whole(
    values: object,
    name: str,
    *,
    low: int | None = None,
    high: int | None = None,
    missing_ok: bool = False,
) -> tuple[FloatArray, bool]:
    """Whole numbers (as floats, NaN = missing) checked against [low, high]."""
    arr, scalar = _column(values, name)
    missing = np.isnan(arr)
    bad = missing if not missing_ok else np.zeros_like(missing)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise IndicatorError(f"{_at(name, i, scalar)}: a value is required")
    given = ~missing
    if np.isinf(arr[given]).any() or (arr[given] != np.floor(arr[given])).any():
        i = int(np.flatnonzero(given & ~(np.isfinite(arr) & (arr == np.floor(arr))))[0])
        raise IndicatorError(f"{_at(name, i, scalar)}: {float(arr[i])!r} is not a whole number")
    for limit, word in ((low, "below"), (high, "above")):
        if limit is not None:
            filled = np.where(given, arr, limit)
            out = given & ((filled < limit) if word == "below" else (filled > limit))
            if out.any():
                i = int(np.flatnonzero(out)[0])
                raise IndicatorError(
                    f"{_at(name, i, scalar)}: {int(arr[i])} is {word} the allowed {limit}"
                )
    return arr, scalar


def _same_length(*columns: tuple[str, npt.NDArray[Any]]) -> int:
    lengths = {len(a) for _, a in columns if len(a) != 1}
    if len(lengths) > 1:
        shown = ", ".join(f"{n} ({len(a)})" for n, a in columns)
        raise IndicatorError(f"the columns differ in length: {shown}")
    return lengths.pop() if lengths else 1


def _share(share: object, name: str = "share") -> Fraction:
    """A share in (0, 1] as an exact fraction; a float is read as the decimal it prints as."""
    if isinstance(share, bool | np.bool_):
        raise IndicatorError(f"{name}: expected a number in (0, 1], got {share!r}")
    try:
        if isinstance(share, Fraction | int | Decimal | str):
            value = Fraction(share)
        elif isinstance(share, numbers.Real):
            value = Fraction(repr(float(share)))
        else:
            raise TypeError
    except (TypeError, ValueError, ZeroDivisionError):
        raise IndicatorError(f"{name}: expected a number in (0, 1], got {share!r}") from None
    if not 0 < value <= 1:
        raise IndicatorError(f"{name}: {share!r} is outside (0, 1]")
    return value


def _scale(scale: object) -> tuple[int, int, int]:
    if scale not in _UNIT_TENTHS:
        raise IndicatorError(f"scale: {scale!r} is not 'eu' or 'oecd_old'")
    return _UNIT_TENTHS[str(scale)]


def _units10(adults: object, children: object, scale: object) -> tuple[IntArray, bool]:
    a, sa = _whole(adults, "adults", low=1, high=_MAX_MEMBERS)
    c, sc = _whole(children, "children", low=0, high=_MAX_MEMBERS)
    _same_length(("adults", a), ("children", c))
    first, adult, child = _scale(scale)
    units = first + adult * (a.astype(np.int64) - 1) + child * c.astype(np.int64)
    return units, sa and sc


def _out(values: FloatArray, scalar: bool) -> Flag:
    if scalar:
        return None if math.isnan(values[0]) else bool(values[0])
    return values


# --- income --------------------------------------------------------------------------------


def consumption_units(
    adults: object, children: object, scale: EquivalenceScale = "eu"
) -> float | FloatArray:
    """Consumption units of a household (SSB key 98178 [1]).

    Parameters
    ----------
    adults : int or array_like of int
        Adults in the household (at least 1).
    children : int or array_like of int
        Children in the household. Who counts as a child is the caller's
        choice (SSB's age limit was not verified).
    scale : {"eu", "oecd_old"}
        EU scale: 1 + 0.5 per further adult + 0.3 per child. Old OECD scale:
        1 + 0.7 per further adult + 0.5 per child.

    Returns
    -------
    float or numpy.ndarray
        The units (exact tenths).

    Examples
    --------
    >>> from fit_scores.living_conditions import consumption_units
    >>> consumption_units(2, 2), consumption_units(2, 2, "oecd_old"), consumption_units(1, 2)
    (2.1, 2.7, 1.6)
    """
    units, scalar = _units10(adults, children, scale)
    out = units / 10.0
    return float(out[0]) if scalar else out


def consumption_units_tenths(
    adults: object, children: object, scale: EquivalenceScale = "eu"
) -> int | IntArray:
    """Consumption units in whole tenths (exact): 21 for 2 adults and 2 children on the EU scale.

    Parameters
    ----------
    adults, children, scale
        As in :func:`consumption_units`.

    Returns
    -------
    int or numpy.ndarray of int

    Examples
    --------
    >>> from fit_scores.living_conditions import consumption_units_tenths
    >>> consumption_units_tenths(2, 2), consumption_units_tenths(2, 2, "oecd_old")
    (21, 27)
    """
    units, scalar = _units10(adults, children, scale)
    return int(units[0]) if scalar else units


def equivalised_income(
    income: object, adults: object, children: object, scale: EquivalenceScale = "eu"
) -> float | FloatArray:
    """Household income per consumption unit: ``income / consumption_units``.

    Parameters
    ----------
    income : int or array_like of int
        The household's income after tax in a year, in whole kroner.
    adults, children : int or array_like of int
        Household composition, as in :func:`consumption_units`.
    scale : {"eu", "oecd_old"}
        The equivalence scale.

    Returns
    -------
    float or numpy.ndarray
        Income per consumption unit, in kroner.

    Examples
    --------
    >>> from fit_scores.living_conditions import equivalised_income
    >>> equivalised_income(420_000, 2, 2)
    200000.0
    """
    inc, si = _whole(income, "income", low=-_MAX_ABS_INCOME, high=_MAX_ABS_INCOME)
    units, su = _units10(adults, children, scale)
    _same_length(("income", inc), ("adults/children", units.astype(np.float64)))
    out = inc * 10.0 / units
    return float(out[0]) if si and su else out


def low_income(
    income: object,
    adults: object,
    children: object,
    median: object,
    definition: LowIncomeDefinition = "eu60",
    *,
    share: object = None,
) -> bool | npt.NDArray[np.bool_]:
    """Low income in a year: income per consumption unit below a share of the median.

    SSB's EU-60: "Inntekt etter skatt per forbruksenhet (EU-skala) under 60
    prosent av årlig medianinntekt" (key 330405 [1]); OECD-50 uses the old
    OECD scale and 50 % ([2]). The median is supplied by the caller, never
    built in.

    Parameters
    ----------
    income : int or array_like of int
        Household income after tax, whole kroner.
    adults, children : int or array_like of int
        Household composition.
    median : int or array_like of int
        The year's median income per consumption unit of all private
        households, on the same scale, whole kroner.
    definition : {"eu60", "oecd50"}
        Scale and share together (:data:`LOW_INCOME_DEFINITIONS`).
    share : number, optional
        Override the share (for example ``0.5`` for EU-50); exact, a float
        is read as the decimal it prints as.

    Returns
    -------
    bool or numpy.ndarray of bool
        Strictly below the threshold (exactly at it is not low income).

    Examples
    --------
    >>> from fit_scores.living_conditions import low_income
    >>> low_income(420_000, 2, 2, median=350_000)   # 200,000 < 210,000
    True
    >>> low_income(441_000, 2, 2, median=350_000)   # 210,000 is not below 210,000
    False
    """
    if definition not in LOW_INCOME_DEFINITIONS:
        raise IndicatorError(f"definition: {definition!r} is not 'eu60' or 'oecd50'")
    scale, default_share = LOW_INCOME_DEFINITIONS[definition]
    p = default_share if share is None else _share(share)
    inc, si = _whole(income, "income", low=-_MAX_ABS_INCOME, high=_MAX_ABS_INCOME)
    med, sm = _whole(median, "median", low=1, high=_MAX_ABS_INCOME)
    units, su = _units10(adults, children, scale)
    n = _same_length(("income", inc), ("median", med), ("adults/children", units * 1.0))
    # income / (units/10) < p * median  <=>  income * 10 * den < num * median * units (ints)
    big = max(
        _MAX_ABS_INCOME * 10 * p.denominator,
        p.numerator * _MAX_ABS_INCOME * (10 + 7 * _MAX_MEMBERS + 5 * _MAX_MEMBERS),
    )
    kind: type = np.int64 if big < 2**62 else object  # Python ints where int64 could overflow
    lhs: npt.NDArray[Any] = np.broadcast_to(inc.astype(np.int64).astype(kind), n) * (
        10 * p.denominator
    )
    rhs: npt.NDArray[Any] = p.numerator * np.broadcast_to(med.astype(np.int64).astype(kind), n)
    rhs = rhs * np.broadcast_to(units.astype(kind), n)
    result = np.asarray(lhs < rhs, dtype=np.bool_)
    return bool(result[0]) if si and sm and su else result


def persistent_low_income(
    incomes: npt.ArrayLike,
    medians: npt.ArrayLike,
    share: object = Fraction(3, 5),
    *,
    years: int = 3,
    adults: npt.ArrayLike | None = None,
    children: npt.ArrayLike | None = None,
    scale: EquivalenceScale = "eu",
) -> bool | npt.NDArray[np.bool_]:
    """Persistent low income: the mean income over the years below a share of the mean median.

    SSB: "Under 60 prosent av median inntekt per forbruksenhet i gjennomsnitt
    i 3 etterfølgende år", the three-year mean compared with 60 % of the mean
    of the annual medians (keys 405494, 437947, 306829 [1]). An older SSB
    text used four years (key 286046): pass ``years=4``. SSB also requires
    three years' residence; give only people resident in every year.

    Parameters
    ----------
    incomes : array_like, shape (years,) or (n, years)
        Income per consumption unit in each of consecutive years (see
        :func:`equivalised_income`); a missing year is an error. With
        ``adults`` and ``children``: the household's income after tax in
        whole kroner, equivalised here exactly.
    medians : array_like, shape (years,) or (n, years)
        The annual medians per consumption unit, supplied by the caller.
    share : number, default 3/5
        The share of the mean median (0.5 for the OECD-50 variant).
    years : int, default 3
        Length of the window.
    adults, children : array_like of int, optional
        Household composition in each year, in the shape of ``incomes``;
        give both or neither.
    scale : {"eu", "oecd_old"}
        The equivalence scale used with ``adults`` and ``children``.

    Returns
    -------
    bool or numpy.ndarray of bool
        ``mean(incomes) < share * mean(medians)``, decided exactly.

    Notes
    -----
    Both means run over the same number of years, so the test is
    ``sum(incomes) < share * sum(medians)``. It is computed in floating
    point and every row whose two sides lie within 1e-9 (relative) of each
    other is decided again in exact rational arithmetic (a float read as the
    decimal it prints as), so floating point never decides the threshold.

    Examples
    --------
    >>> from fit_scores.living_conditions import persistent_low_income
    >>> persistent_low_income([200, 210, 220], [350, 360, 370])   # 210 < 216
    True
    >>> persistent_low_income([200, 210, 220], [350, 360, 370], share=0.5)   # 210 < 180
    False
    >>> persistent_low_income([216, 216, 216], [360, 360, 360])   # exactly 60 %: not below
    False
    >>> persistent_low_income([453_600] * 3, [360_000] * 3, adults=[2] * 3, children=[2] * 3)
    False
    """
    p = _share(share)
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise IndicatorError(f"years: expected a whole number >= 1, got {years!r}")
    x = _matrix(incomes, "incomes", years)
    m = _matrix(medians, "medians", years)
    one = x.shape[0] == 1 and np.ndim(incomes) == 1
    if m.shape[0] == 1:
        m = np.broadcast_to(m, x.shape)
    elif m.shape != x.shape:
        raise IndicatorError(f"medians: shape {m.shape} does not match the incomes' {x.shape}")
    units: IntArray | None = None
    if (adults is None) != (children is None):
        raise IndicatorError("adults and children: give both or neither")
    if adults is not None and children is not None:
        a = _matrix(adults, "adults", years)
        c = _matrix(children, "children", years)
        if a.shape != x.shape or c.shape != x.shape:
            raise IndicatorError(
                f"adults and children: shapes {a.shape} and {c.shape} do not match the incomes' "
                f"{x.shape}"
            )
        _whole(x.ravel(), "incomes", low=-_MAX_ABS_INCOME, high=_MAX_ABS_INCOME)
        flat, _ = _units10(a.ravel(), c.ravel(), scale)
        units = flat.reshape(x.shape)
        x = x * 10.0 / units
    lhs = x.sum(axis=1)
    rhs = float(p) * m.sum(axis=1)
    result = lhs < rhs
    close = np.abs(lhs - rhs) <= 1e-9 * (np.abs(lhs) + np.abs(rhs) + 1.0)
    raw = _matrix(incomes, "incomes", years)
    for i in np.flatnonzero(close):
        if units is None:
            exact_lhs = sum((_exact(v) for v in raw[i]), Fraction(0))
        else:
            exact_lhs = sum(
                (Fraction(int(v) * 10, int(u)) for v, u in zip(raw[i], units[i], strict=True)),
                Fraction(0),
            )
        exact_rhs = p * sum((_exact(v) for v in m[i]), Fraction(0))
        result[i] = exact_lhs < exact_rhs
    return bool(result[0]) if one else result


def _exact(value: float) -> Fraction:
    return Fraction(int(value)) if value.is_integer() else Fraction(repr(float(value)))


def _matrix(values: npt.ArrayLike, name: str, years: int) -> FloatArray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise IndicatorError(f"{name}: expected numbers, shape (years,) or (n, years)") from None
    if np.asarray(values).dtype.kind == "b":
        raise IndicatorError(f"{name}: booleans are not numbers")
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != years:
        raise IndicatorError(f"{name}: expected {years} years per row, got shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise IndicatorError(
            f"{name}[{i}][{j}]: year {j + 1} of {years} is missing or not finite; persistent "
            "low income needs every year of the window"
        )
    return arr


# --- housing -------------------------------------------------------------------------------


def crowded(
    persons: object,
    rooms: object,
    area_m2: object,
    definition: CrowdingDefinition = "ssb_register_2015",
) -> Flag:
    """Crowded housing ("trangbodd"), by one of SSB's definitions ([3]).

    Parameters
    ----------
    persons : int or array_like of int
        People in the household (at least 1).
    rooms : int or array_like, optional values
        Rooms in the dwelling (``None``/``NaN`` if unknown). For
        ``lku_rooms``, kitchen, bathroom, hall and rooms under 6 m2 are not
        rooms.
    area_m2 : float or array_like, optional values
        Usable floor area (p-areal) in m2 (``None``/``NaN`` if unknown).
    definition : {"ssb_register_2015", "ssb_register_20m2", "lku_rooms"}
        ``ssb_register_2015`` (vardok 3462, from 2015-01-01): crowded if
        (1) fewer rooms than persons, or one person in one room, **and**
        (2) under 25 m2 per person; if one of rooms and area is missing, the
        other condition alone decides. ``ssb_register_20m2``: the older
        variant with 20 m2. ``lku_rooms``: the survey definition, condition
        (1) alone.

    Returns
    -------
    bool, None or numpy.ndarray of float
        For a scalar: ``True``/``False``, or ``None`` when the data cannot
        decide. For arrays: 1.0 / 0.0 / ``NaN``.

    Examples
    --------
    >>> from fit_scores.living_conditions import crowded
    >>> crowded(4, 3, 80), crowded(4, 3, 110), crowded(4, 3, None)
    (True, False, True)
    >>> crowded(1, 1, 30), crowded(1, 1, 30, "lku_rooms")
    (False, True)
    """
    if definition not in CROWDING_DEFINITIONS:
        raise IndicatorError(
            f"definition: {definition!r} is not one of {sorted(CROWDING_DEFINITIONS)}"
        )
    limit = CROWDING_DEFINITIONS[definition]
    p, sp = _whole(persons, "persons", low=1, high=10_000)
    r, sr = _whole(rooms, "rooms", low=1, high=10_000, missing_ok=True)
    a, sa = _column(area_m2, "area_m2")
    bad_area = ~np.isnan(a) & ~(np.isfinite(a) & (a > 0))
    if bad_area.any():
        i = int(np.flatnonzero(bad_area)[0])
        raise IndicatorError(f"{_at('area_m2', i, sa)}: {float(a[i])!r} is not an area above 0")
    n = _same_length(("persons", p), ("rooms", r), ("area_m2", a))
    p, r, a = (np.broadcast_to(v, n) for v in (p, r, a))
    rooms_known = ~np.isnan(r)
    rooms_cond = (r < p) | ((p == 1) & (r == 1))  # NaN compares False
    out = np.full(n, np.nan)
    if limit is None:
        out[rooms_known] = rooms_cond[rooms_known]
        return _out(out, sp and sr and sa)
    area_known = ~np.isnan(a)
    area_cond = a < limit * p  # a float meets an integer: exact
    both = rooms_known & area_known
    out[both] = (rooms_cond & area_cond)[both]
    out[rooms_known & ~area_known] = rooms_cond[rooms_known & ~area_known]
    out[area_known & ~rooms_known] = area_cond[area_known & ~rooms_known]
    return _out(out, sp and sr and sa)


# --- work and activity ----------------------------------------------------------------------


def employed_ilo(hours_reference_week: object, temporarily_absent: object = False) -> Flag:
    """Employed by the ILO definition SSB uses ([4]).

    Paid work of at least one hour in the reference week, or temporarily
    absent from such work. People on employment schemes paid by an employer
    count as employed (give their hours).

    Parameters
    ----------
    hours_reference_week : float or array_like
        Hours of paid work in the reference week (``None``/``NaN`` if unknown).
    temporarily_absent : bool or array_like of bool
        Temporarily absent from work.

    Returns
    -------
    bool, None or numpy.ndarray of float
        ``None``/``NaN`` when hours are unknown and the person is not absent.

    Examples
    --------
    >>> from fit_scores.living_conditions import employed_ilo
    >>> employed_ilo(1), employed_ilo(0.5), employed_ilo(0, True), employed_ilo(None)
    (True, False, True, None)
    """
    h, sh = _column(hours_reference_week, "hours_reference_week")
    bad = ~np.isnan(h) & ~(np.isfinite(h) & (h >= 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise IndicatorError(
            f"{_at('hours_reference_week', i, sh)}: {float(h[i])!r} is not hours >= 0"
        )
    absent, sab = _flags(temporarily_absent, "temporarily_absent")
    n = _same_length(("hours_reference_week", h), ("temporarily_absent", absent * 1.0))
    h, absent = np.broadcast_to(h, n), np.broadcast_to(absent, n)
    out = np.where(np.isnan(h), np.nan, (h >= 1).astype(np.float64))  # a float meets 1: exact
    out[absent] = 1.0
    return _out(out, sh and sab)


def _words(
    values: object, name: str, words: tuple[str, ...], *, missing_ok: bool = False
) -> IntArray:
    """Each word's index in ``words`` (-1 for ``None`` where allowed), vectorised."""
    if hasattr(values, "__array__") and not isinstance(values, np.ndarray):
        values = np.asarray(values, dtype=object)
    scalar = values is None or isinstance(values, str)
    arr = np.asarray([values] if scalar else values, dtype=object)
    if arr.ndim != 1:
        raise IndicatorError(f"{name}: expected one dimension, got {arr.ndim}")
    codes = np.full(len(arr), -1, dtype=np.int64)
    for k, word in enumerate(words):
        codes[arr == word] = k
    unknown = codes < 0
    if missing_ok:
        unknown &= np.not_equal(arr, np.array(None, dtype=object))
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        raise IndicatorError(f"{_at(name, i, scalar)}: {arr[i]!r} is not one of {list(words)}")
    return codes


def _flags(values: object, name: str) -> tuple[npt.NDArray[np.bool_], bool]:
    if hasattr(values, "__array__") and not isinstance(values, np.ndarray):
        values = np.asarray(values)
    if isinstance(values, np.ndarray) and values.dtype.kind == "b" and values.ndim == 1:
        return values, False
    scalar = not isinstance(values, list | tuple | np.ndarray)
    cells = [values] if scalar else list(values)  # type: ignore[call-overload]
    for i, v in enumerate(cells):
        if not isinstance(v, bool | np.bool_):
            raise IndicatorError(f"{_at(name, i, scalar)}: expected True or False, got {v!r}")
    return np.array(cells, dtype=np.bool_), scalar


def activity_mask(kinds: Iterable[str]) -> int:
    """The bit mask of a set of activity kinds (bit ``i`` = ``ACTIVITY_KINDS[i]``).

    Examples
    --------
    >>> from fit_scores.living_conditions import activity_mask
    >>> activity_mask(["job", "education"])
    5
    """
    mask = 0
    for kind in kinds:
        if kind not in ACTIVITY_KINDS:
            raise IndicatorError(f"activities: {kind!r} is not one of {list(ACTIVITY_KINDS)}")
        mask |= 1 << ACTIVITY_KINDS.index(kind)
    return mask


def work_or_activity(
    hours_reference_week: object,
    temporarily_absent: object,
    activities: object,
    counted: Iterable[str] = DEFAULT_WORK_ORIENTED,
) -> Flag:
    """In work (ILO) or in a work-oriented activity.

    "Arbeidsrettet aktivitet" has no single SSB definition, so the set of
    activity kinds that count is the programme's choice (``counted``); the
    default counts a job, a labour-market scheme, education, the
    qualification programme and the introduction programme.

    Parameters
    ----------
    hours_reference_week, temporarily_absent
        As in :func:`employed_ilo`.
    activities : int or array_like of int
        The person's activities as a bit mask (:func:`activity_mask`).
    counted : iterable of str
        The kinds that count as work-oriented.

    Returns
    -------
    bool, None or numpy.ndarray of float
        Yes if employed or in a counted activity; unknown only if hours are
        unknown and no counted activity is given.

    Examples
    --------
    >>> from fit_scores.living_conditions import activity_mask, work_or_activity
    >>> work_or_activity(0, False, activity_mask(["introduction_programme"]))
    True
    >>> work_or_activity(None, False, 0), work_or_activity(0, False, 0)
    (None, False)
    """
    counted_mask = activity_mask(counted)
    acts, sa = _whole(activities, "activities", low=0, high=(1 << len(ACTIVITY_KINDS)) - 1)
    employed = employed_ilo(hours_reference_week, temporarily_absent)
    e, se = (
        (np.array([math.nan if employed is None else float(employed)]), True)
        if not isinstance(employed, np.ndarray)
        else (employed, False)
    )
    n = _same_length(("employment", e), ("activities", acts))
    e, acts = np.broadcast_to(e, n), np.broadcast_to(acts, n)
    active = (acts.astype(np.int64) & counted_mask) != 0
    out = np.where(active, 1.0, e)
    return _out(out, se and sa)


# --- education -------------------------------------------------------------------------------


def upper_secondary_completion(
    start_year: object,
    completed_year: object,
    programme: object,
    status_year: object,
) -> tuple[Flag, Flag]:
    """Upper secondary completion on normed time, and within 5 or 6 years ([5]).

    Normed time is 3 years for general studies and 4 for vocational (2 years
    in school, 2 as an apprentice); SSB follows general-studies pupils 5
    years and vocational pupils 6. The two are different indicators: "innen
    normert tid" is not "within 5 years". Completion means passed (Vg3 or
    trade certificate and/or a registered diploma).

    Parameters
    ----------
    start_year : int or array_like of int
        The year (autumn) the pupil started Vg1; the programme is the one
        started then.
    completed_year : int or array_like, optional values
        The year the pupil completed and passed (``None``/``NaN``: not yet).
    programme : {"general", "vocational"} or array_like of them
        Programme of Vg1.
    status_year : int or array_like of int
        The last year whose completions are known.

    Returns
    -------
    (on_normed_time, within_window)
        Each ``bool``/``None`` for scalars or an array of 1.0/0.0/``NaN``;
        unknown while the window is still open without a completion.

    Examples
    --------
    >>> from fit_scores.living_conditions import upper_secondary_completion
    >>> upper_secondary_completion(2019, 2022, "general", 2024)
    (True, True)
    >>> upper_secondary_completion(2019, 2024, "vocational", 2025)
    (False, True)
    >>> upper_secondary_completion(2020, None, "general", 2024)
    (False, None)
    """
    s, ss = _whole(start_year, "start_year", low=1900, high=2200)
    c, sc = _whole(completed_year, "completed_year", low=1900, high=2200, missing_ok=True)
    t, st = _whole(status_year, "status_year", low=1900, high=2200)
    scalar_p = isinstance(programme, str)
    progs = _words(programme, "programme", tuple(NORMED_YEARS))
    vocational = progs == 1
    n = _same_length(
        ("start_year", s),
        ("completed_year", c),
        ("programme", vocational * 1.0),
        ("status_year", t),
    )
    s, c, t, vocational = (np.broadcast_to(v, n) for v in (s, c, t, vocational))
    done = ~np.isnan(c)
    for i in np.flatnonzero(done & ((c <= s) | (c > t))):
        raise IndicatorError(
            f"{_at('completed_year', int(i), sc)}: {int(c[i])} must be after start_year "
            f"{int(s[i])} and not after status_year {int(t[i])}"
        )
    for i in np.flatnonzero(t < s):
        raise IndicatorError(
            f"{_at('status_year', int(i), st)}: {int(t[i])} is before start_year {int(s[i])}"
        )
    normed = np.where(vocational, NORMED_YEARS["vocational"], NORMED_YEARS["general"])
    window = np.where(vocational, WINDOW_YEARS["vocational"], WINDOW_YEARS["general"])
    scalar = ss and sc and scalar_p and st

    def flag(years: npt.NDArray[np.int64]) -> Flag:
        out = np.full(n, np.nan)
        out[done] = (c - s <= years)[done]
        closed = ~done & (t >= s + years)
        out[closed] = 0.0
        return _out(out, scalar)

    return flag(normed), flag(window)


# --- leisure ----------------------------------------------------------------------------------


def leisure_participation(frequency: object, minimum: LeisureFrequency = "weekly") -> Flag:
    """Taking part in a leisure activity at least as often as ``minimum``.

    The programme's own yearly questionnaire asks for the type and the
    regularity of leisure activities (Mølland et al. 2020); no official
    threshold was found, so the regularity that counts is the programme's
    choice (default: weekly).

    Parameters
    ----------
    frequency : str or array_like of str, optional values
        The most frequent of the person's activities, one of
        :data:`LEISURE_FREQUENCIES` (``None``: not answered).
    minimum : str, default "weekly"
        The least regularity that counts.

    Returns
    -------
    bool, None or numpy.ndarray of float

    Examples
    --------
    >>> from fit_scores.living_conditions import leisure_participation
    >>> leisure_participation("weekly"), leisure_participation("monthly")
    (True, False)
    >>> leisure_participation("monthly", minimum="monthly")
    True
    """
    if minimum not in LEISURE_FREQUENCIES:
        raise IndicatorError(f"minimum: {minimum!r} is not one of {list(LEISURE_FREQUENCIES)}")
    scalar = frequency is None or isinstance(frequency, str)
    codes = _words(frequency, "frequency", LEISURE_FREQUENCIES, missing_ok=True)
    out = np.where(codes < 0, np.nan, codes >= LEISURE_FREQUENCIES.index(minimum))
    return _out(out, scalar)
