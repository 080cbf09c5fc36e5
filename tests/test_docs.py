"""Documentation that cannot drift: every measure, function and command is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadran.cli.main import _register, app
from cadran.core.binding import FUNCTIONS
from cadran.services.definitions import semantic_model

ROOT = Path(__file__).parent.parent
LANGUAGE = (ROOT / "docs" / "kpi-language.md").read_text(encoding="utf-8")
CLI = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("measure", sorted(semantic_model()[0].measures))
def test_every_measure_is_documented(measure: str) -> None:
    assert f"| `{measure}` |" in LANGUAGE


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_every_function_is_documented(function: str) -> None:
    assert f"`{function}(" in LANGUAGE


def _commands() -> list[str]:
    _register()
    names = [c.name for c in app.registered_commands]
    for group in app.registered_groups:
        names += [f"{group.name} {c.name}" for c in group.typer_instance.registered_commands]
    return sorted(n for n in names if n)


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented(command: str) -> None:
    assert f"cadran {command}" in CLI
