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
from fit_scores.scales.model import Scale

__all__ = ["ScaleRegistry", "default_registry", "get_scale", "list_scales", "register_scale"]


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


_DEFAULT = ScaleRegistry(BUILTIN_SCALES)


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
    >>> list_scales()[:8]
    ('ORS', 'SRS', 'CORS', 'CSRS', 'YCORS', 'YCSRS', 'GSRS', 'CGSRS')
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
