"""The public Python API: what `import cadran` offers, and that it works end to end."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import cadran


def test_public_names() -> None:
    assert sorted(cadran.__all__) == [
        "CadranError",
        "Workspace",
        "__version__",
        "demo",
        "init",
        "open",
    ]
    for name in cadran.__all__:
        assert getattr(cadran, name) is not None


def test_init_add_kpi_roundtrip(tmp_path: Path) -> None:
    with cadran.init(tmp_path / "ws", timezone="America/Montreal", currency="CAD") as ws:
        ws.add(
            "posts",
            pd.DataFrame(
                [
                    {
                        "platform": "linkedin",
                        "account": "acme",
                        "native_id": "1",
                        "published_at": "2026-03-01T02:00:00Z",
                        "impressions": 200,
                        "clicks": 10,
                        "likes": 4,
                        "comments": 1,
                        "shares": 1,
                        "follows": 2,
                        "engagements_native": 18,
                    },
                ]
            ),
        )
    with cadran.open(tmp_path / "ws") as ws:
        assert isinstance(ws, cadran.Workspace)
        frame = ws.kpi("engagement_rate", period="2026-02", compare="none")
        # 02:00 UTC on 1 March is still 28 February in Montreal.
        assert frame["value"].iloc[0] == 9.0
        assert ws.config.currency == "CAD"


def test_errors_are_cadran_errors(tmp_path: Path) -> None:
    with pytest.raises(cadran.CadranError, match="does not exist"):
        cadran.open(tmp_path / "nowhere")
