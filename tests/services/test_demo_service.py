"""Building a demo workspace through the service: all of it or nothing, never over data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import cadran
from cadran.core.errors import WorkspaceError
from cadran.services import demo as demo_service
from cadran.sources.demo import Chunk, DemoSpec, generate


def test_a_demo_that_fails_halfway_leaves_an_empty_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(spec: DemoSpec) -> Iterator[Chunk]:
        for i, chunk in enumerate(generate(spec)):
            if i == 6:
                raise RuntimeError("disk full")
            yield chunk

    monkeypatch.setattr(demo_service, "generate", failing)
    monkeypatch.setattr(demo_service, "COMMIT_ROWS", 1)  # commit after every chunk
    with pytest.raises(RuntimeError, match="disk full"):
        demo_service.create_demo(tmp_path / "ws", size="S", seed=1, end="2026-10-31")
    with cadran.open(tmp_path / "ws") as ws:
        assert not ws.warehouse.has_data()
        assert ws.warehouse.scalar("SELECT count(*) FROM account") == 0
        assert ws.warehouse.scalar("SELECT count(*) FROM import_batch") == 0


def test_a_demo_never_goes_over_existing_data(tmp_path: Path) -> None:
    with cadran.init(tmp_path / "ws", timezone="Europe/Paris") as ws:
        ws.add(
            "posts",
            [
                {
                    "platform": "x",
                    "account": "@a",
                    "native_id": "1",
                    "published_at": "2026-10-01T10:00",
                }
            ],
        )
    with pytest.raises(WorkspaceError, match="already holds data"):
        demo_service.create_demo(tmp_path / "ws", size="S")
    with cadran.open(tmp_path / "ws") as ws:
        assert ws.warehouse.scalar("SELECT count(*) FROM post") == 1


def test_the_demo_is_deterministic(tmp_path: Path) -> None:
    sums = []
    for name in ("a", "b"):
        with demo_service.create_demo(tmp_path / name, size="S", seed=7, end="2026-06-30") as ws:
            sums.append(
                ws.warehouse.rows(
                    "SELECT count(*), sum(likes), sum(impressions), "
                    "CAST(min(published_at) AS VARCHAR) FROM post"
                )
            )
    assert sums[0] == sums[1]
