"""Fixtures of the torture tests: a random generator whose seed is printed on failure."""

from __future__ import annotations

import os
import random

import pytest


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> random.Random:
    """A random generator seeded from RMTUI_TORTURE_SEED, or by the test's name."""
    seed = os.environ.get("RMTUI_TORTURE_SEED", request.node.name)
    return random.Random(seed)
