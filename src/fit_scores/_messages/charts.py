"""Messages of the coordinator charts (track and family) and their descriptions."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {"nb": {}, "nn": {}, "en": {}}
