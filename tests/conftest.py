"""Shared test fixtures: temporary workspaces, the golden-file flag."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import cadran
from cadran.services.workspace import Workspace


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden files from the current results (review the diff).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def demo_s(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded S demo workspace (seed 42, data up to 2026-10-31), built once per session."""
    path = tmp_path_factory.mktemp("demo") / "demo-s"
    cadran.demo(path, size="S", seed=42, end="2026-10-31").close()
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """An empty workspace in Europe/Paris."""
    ws = cadran.init(tmp_path / "ws", timezone="Europe/Paris")
    yield ws
    ws.close()


# <repo>/tests/conftest.py -> parents[2] is the folder holding the repo and shared/.
REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


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
