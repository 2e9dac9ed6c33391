from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Deterministic property tests in CI; no deadlines (timing is for benchmarks).
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture
def ors_items() -> tuple[float, ...]:
    return (0.7, 8.1, 7.5, 8.7)
