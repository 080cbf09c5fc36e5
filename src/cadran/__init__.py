"""Cadran: social-media KPIs tied to goals, scored on a balanced scorecard, tracked over time.

The public Python API::

    import cadran
    ws = cadran.open("demo-workspace")
    df = ws.kpi(["engagement_rate_impressions"], period="2026-10", by="platform")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cadran.core.errors import CadranError

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from cadran.services.workspace import Workspace

__version__ = "0.1.0"

__all__ = ["CadranError", "Workspace", "__version__", "demo", "init", "open"]


def open(path: str | Path) -> Workspace:
    """Open the workspace folder at ``path``."""
    from cadran.services.workspace import Workspace

    return Workspace.open(path)


def init(path: str | Path, *, timezone: str = "UTC", currency: str = "EUR") -> Workspace:
    """Create an empty workspace folder at ``path`` and open it."""
    from cadran.services.workspace import Workspace

    return Workspace.init(path, timezone=timezone, currency=currency)


def demo(
    path: str | Path, *, size: str = "S", seed: int = 42, end: date | str | None = None
) -> Workspace:
    """Create a demo workspace at ``path`` filled with realistic generated data."""
    from cadran.services.demo import create_demo

    return create_demo(path, size=size, seed=seed, end=end)


def __getattr__(name: str) -> object:
    if name == "Workspace":
        from cadran.services.workspace import Workspace

        return Workspace
    raise AttributeError(name)
