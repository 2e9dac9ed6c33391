"""Messages of the research charts."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {"nb": {}, "nn": {}, "en": {}}
