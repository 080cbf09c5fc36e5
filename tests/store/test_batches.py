"""Undoing batches: inserted rows go, replaced rows come back, order is enforced."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cadran.core.errors import DataError
from cadran.services.workspace import Workspace
from cadran.store.batches import get_batch, list_batches, undo

POST = {
    "platform": "x",
    "account": "@a",
    "native_id": "1",
    "published_at": "2026-10-01T10:00:00",
    "likes": 10,
    "text": "Bonjour",
}
NOW = datetime(2026, 11, 21, tzinfo=UTC)


def snapshot(ws: Workspace) -> list[tuple[object, ...]]:
    return ws.warehouse.rows(
        "SELECT native_id, likes, text, batch_id, metrics_batch_id FROM post ORDER BY native_id"
    )


def test_undo_restores_replaced_rows_and_deletes_inserted_ones(workspace: Workspace) -> None:
    first = workspace.add("posts", [POST])
    before = snapshot(workspace)
    second = workspace.add("posts", [{**POST, "likes": 25}, {**POST, "native_id": "2"}])
    assert (second.inserted, second.updated) == (1, 1)
    result = undo(workspace.warehouse, second.batch_id, now=NOW)
    assert snapshot(workspace) == before
    assert result.deleted == {"post": 2} and result.restored == {"post": 1}
    assert workspace.warehouse.scalar("SELECT count(*) FROM post_history") == 0
    assert workspace.warehouse.scalar("SELECT count(*) FROM post_metrics_history") == 0
    assert get_batch(workspace.warehouse, second.batch_id).status == "undone"
    undo(workspace.warehouse, first.batch_id, now=NOW)
    assert snapshot(workspace) == []
    # The account the first batch created goes with it.
    assert workspace.warehouse.scalar("SELECT count(*) FROM account") == 0


def test_a_batch_whose_rows_were_replaced_later_cannot_be_undone_first(
    workspace: Workspace,
) -> None:
    first = workspace.add("posts", [POST])
    second = workspace.add("posts", [{**POST, "likes": 30}])
    with pytest.raises(DataError, match=f"undo {second.batch_id} first"):
        undo(workspace.warehouse, first.batch_id, now=NOW)
    undo(workspace.warehouse, second.batch_id, now=NOW)
    undo(workspace.warehouse, first.batch_id, now=NOW)
    assert snapshot(workspace) == []


def test_an_account_still_used_by_another_batch_is_kept_and_the_undo_refused(
    workspace: Workspace,
) -> None:
    first = workspace.add("posts", [POST])
    workspace.add("posts", [{**POST, "native_id": "2"}])
    with pytest.raises(DataError, match="created account '@a'"):
        undo(workspace.warehouse, first.batch_id, now=NOW)
    assert len(snapshot(workspace)) == 2  # nothing changed


def test_undo_twice_and_unknown_batches_are_refused(workspace: Workspace) -> None:
    first = workspace.add("posts", [POST])
    undo(workspace.warehouse, first.batch_id, now=NOW)
    with pytest.raises(DataError, match="is undone"):
        undo(workspace.warehouse, first.batch_id, now=NOW)
    with pytest.raises(DataError, match="there is no batch 99"):
        undo(workspace.warehouse, 99, now=NOW)
    assert [b.status for b in list_batches(workspace.warehouse)] == ["undone"]
