"""Fixtures for the file-reading tests: where the real sample exports live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# <repo>/tests/sources/files/conftest.py → parents[4] is the folder holding the repo and shared/.
REAL_DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "real"


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The folder of real platform exports (see its PROVENANCE.md).

    They are not committed (no licence to redistribute most of them), so a checkout may lack
    them: the tests using them are skipped then, except on CI where that is a failure.
    """
    if not REAL_DATA.is_dir():
        message = f"real sample data not found at {REAL_DATA}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return REAL_DATA
