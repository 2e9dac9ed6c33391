"""Looking up scales by key, and registering user-defined scales.

The default registry holds the built-ins. :func:`register_scale` adds a
user-defined scale to it; a key can never be re-bound to a different
definition, so registering never changes the result of code that already
looked a scale up. Services that want full isolation create their own
:class:`ScaleRegistry` and pass it to model validation as
``context={"registry": registry}``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

from fit_scores.errors import ScaleRegistrationError, UnknownScaleError
from fit_scores.scales.builtin import BUILTIN_SCALES
from fit_scores.scales.instrument import Instrument
from fit_scores.scales.model import Scale
from fit_scores.scales.yearly import YEARLY_INSTRUMENTS

__all__ = [
    "YEARLY_SCALES",
    "InstrumentRegistry",
    "ScaleRegistry",
    "default_instruments",
    "default_registry",
    "get_instrument",
    "get_scale",
    "list_instruments",
    "list_scales",
    "register_instrument",
    "register_scale",
]


class ScaleRegistry:
    """A thread-safe set of scales looked up by key (case-insensitively).

    Parameters
    ----------
    scales : iterable of Scale
        Initial scales.

    Examples
    --------
    >>> from fit_scores import ScaleRegistry, get_scale
    >>> reg = ScaleRegistry([get_scale("ORS")])
    >>> reg.get("ors").key
    'ORS'
    >>> reg.keys()
    ('ORS',)
    """

    def __init__(self, scales: Iterable[Scale] = ()) -> None:
        self._lock = threading.Lock()
        self._scales: dict[str, Scale] = {}
        for scale in scales:
            self.register(scale)

    def register(self, scale: Scale) -> Scale:
        """Add ``scale``; registering an identical definition again is allowed.

        Raises
        ------
        ScaleRegistrationError
            If the key (compared case-insensitively) belongs to a different
            definition.
        """
        if not isinstance(scale, Scale):
            raise ScaleRegistrationError(
                f"register expects a Scale, got {type(scale).__name__}; "
                "build one with Scale(...) or Scale.model_validate(...)"
            )
        folded = scale.key.casefold()
        with self._lock:
            existing = self._scales.get(folded)
            if existing is not None and existing != scale:
                raise ScaleRegistrationError(
                    f"key {scale.key!r} is already registered for a different definition "
                    f"({existing.key}: {existing.name}); choose another key"
                )
            self._scales[folded] = scale
        return scale

    def get(self, key: str) -> Scale:
        """The scale registered under ``key``.

        Raises
        ------
        UnknownScaleError
            If no scale has that key; the message lists the valid keys.
        """
        if not isinstance(key, str):
            raise UnknownScaleError(f"scale key must be a string, got {type(key).__name__}")
        with self._lock:
            scale = self._scales.get(key.casefold())
        if scale is None:
            raise UnknownScaleError(f"unknown scale {key!r}; valid keys: {', '.join(self.keys())}")
        return scale

    def keys(self) -> tuple[str, ...]:
        """Registered keys, in registration order."""
        with self._lock:
            return tuple(scale.key for scale in self._scales.values())

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        with self._lock:
            return key.casefold() in self._scales

    def __iter__(self) -> Iterator[Scale]:
        with self._lock:
            return iter(tuple(self._scales.values()))

    def __len__(self) -> int:
        with self._lock:
            return len(self._scales)


#: The :class:`~fit_scores.Scale` views of the yearly instruments whose main score is a
#: plain sum or mean (``GSE``, ``LIFESAT``, ``CANTRIL``): records and tables of them go
#: through the same rules as the ORS family. They follow the ORS family in the default
#: registry; :data:`~fit_scores.BUILTIN_SCALES` stays the ORS family.
YEARLY_SCALES: tuple[Scale, ...] = tuple(i.scale() for i in YEARLY_INSTRUMENTS if i.primary)

_DEFAULT = ScaleRegistry((*BUILTIN_SCALES, *YEARLY_SCALES))


def default_registry() -> ScaleRegistry:
    """The process-wide registry: the built-ins plus scales added by :func:`register_scale`."""
    return _DEFAULT


def get_scale(key: str) -> Scale:
    """The scale with ``key`` from the default registry.

    Raises
    ------
    UnknownScaleError
        If no scale has that key; the message lists the valid keys.

    Examples
    --------
    >>> from fit_scores import get_scale
    >>> get_scale("ORS").name
    'Outcome Rating Scale'
    """
    return _DEFAULT.get(key)


def list_scales() -> tuple[str, ...]:
    """Keys of the scales in the default registry, built-ins first.

    Examples
    --------
    >>> from fit_scores import list_scales
    >>> list_scales()[:11]
    ('ORS', 'SRS', 'CORS', 'CSRS', 'YCORS', 'YCSRS', 'GSRS', 'CGSRS', 'GSE', 'LIFESAT', 'CANTRIL')
    """
    return _DEFAULT.keys()


def register_scale(scale: Scale) -> Scale:
    """Add a user-defined scale to the default registry and return it.

    Registering the identical definition twice is harmless; a different
    definition under a key already in use raises
    :class:`~fit_scores.errors.ScaleRegistrationError`.

    Examples
    --------
    >>> from fit_scores import Item, Labels, Scale, Source, register_scale
    >>> qol = Scale(key="QOL1", name="Single-item quality of life", kind="outcome",
    ...             items=(Item(key="life", label=Labels(nb="Livet", nn="Livet",
    ...                                                  en="Life")),),
    ...             item_min=0, item_max=10, resolution=1, min_age=18,
    ...             source=Source(citation="Programme questionnaire", verified=True))
    >>> register_scale(qol).key
    'QOL1'
    """
    return _DEFAULT.register(scale)


# --- instruments ------------------------------------------------------------------------


class InstrumentRegistry:
    """A thread-safe set of instruments looked up by key (case-insensitively).

    Like :class:`ScaleRegistry`: a key can never be re-bound to a different
    definition.

    Examples
    --------
    >>> from fit_scores import InstrumentRegistry, get_instrument
    >>> reg = InstrumentRegistry([get_instrument("GSE")])
    >>> reg.get("gse").key, reg.keys()
    ('GSE', ('GSE',))
    """

    def __init__(self, instruments: Iterable[Instrument] = ()) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, Instrument] = {}
        for instrument in instruments:
            self.register(instrument)

    def register(self, instrument: Instrument) -> Instrument:
        """Add ``instrument``; registering an identical definition again is allowed.

        Raises
        ------
        ScaleRegistrationError
            If the key belongs to a different definition, or ``instrument``
            is not an :class:`~fit_scores.Instrument`.
        """
        if not isinstance(instrument, Instrument):
            raise ScaleRegistrationError(
                f"register expects an Instrument, got {type(instrument).__name__}"
            )
        folded = instrument.key.casefold()
        with self._lock:
            existing = self._items.get(folded)
            if existing is not None and existing != instrument:
                raise ScaleRegistrationError(
                    f"instrument key {instrument.key!r} is already registered for a different "
                    f"definition ({existing.key}: {existing.name}); choose another key"
                )
            self._items[folded] = instrument
        return instrument

    def get(self, key: str) -> Instrument:
        """The instrument registered under ``key``.

        Raises
        ------
        UnknownScaleError
            If no instrument has that key; the message lists the valid keys.
        """
        if not isinstance(key, str):
            raise UnknownScaleError(f"instrument key must be a string, got {type(key).__name__}")
        with self._lock:
            found = self._items.get(key.casefold())
        if found is None:
            raise UnknownScaleError(
                f"unknown instrument {key!r}; valid keys: {', '.join(self.keys())}"
            )
        return found

    def keys(self) -> tuple[str, ...]:
        """Registered keys, in registration order."""
        with self._lock:
            return tuple(i.key for i in self._items.values())

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        with self._lock:
            return key.casefold() in self._items

    def __iter__(self) -> Iterator[Instrument]:
        with self._lock:
            return iter(tuple(self._items.values()))

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


_INSTRUMENTS = InstrumentRegistry(YEARLY_INSTRUMENTS)


def default_instruments() -> InstrumentRegistry:
    """The process-wide instrument registry: the yearly built-ins plus registered ones."""
    return _INSTRUMENTS


def get_instrument(key: str) -> Instrument:
    """The instrument with ``key`` from the default instrument registry.

    Examples
    --------
    >>> from fit_scores import get_instrument
    >>> get_instrument("SDQ_P4_11").licence.status
    'proprietary_electronic'
    """
    return _INSTRUMENTS.get(key)


def list_instruments() -> tuple[str, ...]:
    """Keys of the registered instruments, built-ins first.

    Examples
    --------
    >>> from fit_scores import list_instruments
    >>> list_instruments()[:8]
    ('GSE', 'LIFESAT', 'CANTRIL', 'SDQ_P4_11', 'SDQ_S11_17', 'KIDSCREEN27', 'KIDSCREEN10', 'EQ5D')
    """
    return _INSTRUMENTS.keys()


def register_instrument(instrument: Instrument) -> Instrument:
    """Add a user-defined instrument to the default instrument registry and return it.

    Its :class:`~fit_scores.Scale` view (if it has one) is not registered:
    call :func:`register_scale` with ``instrument.scale()`` to record it with
    :class:`~fit_scores.Administration`.
    """
    return _INSTRUMENTS.register(instrument)
