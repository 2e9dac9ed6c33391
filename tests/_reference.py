"""Access to the published reference datasets in ``shared/reference-data``.

The folder sits beside the repository (``../shared/reference-data``) in CI; set
FIT_SCORES_REFERENCE_DATA to point elsewhere. Without it the tests that need it
fail under CI and are skipped elsewhere (a fresh clone on a laptop has no
shared/ folder).
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def reference_dir() -> Path:
    env = os.environ.get("FIT_SCORES_REFERENCE_DATA")
    folder = Path(env) if env else ROOT.parent / "shared" / "reference-data"
    if not folder.is_dir():
        message = f"reference data not found at {folder} (set FIT_SCORES_REFERENCE_DATA)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


def read_csv(name: str) -> list[dict[str, str]]:
    path = reference_dir() / "clinicalsignificance" / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def documented_results() -> dict[str, Any]:
    path = reference_dir() / "clinicalsignificance" / "package_documented_results.json"
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def number(text: str) -> float:
    return float("nan") if text in ("", "NA") else float(text)
