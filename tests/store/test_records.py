"""Writing rows: validation messages, references, idempotency and metric history."""

from __future__ import annotations

import pytest

from cadran.core.errors import DataError
from cadran.services.workspace import Workspace

POST = {
    "platform": "instagram",
    "account": "@a",
    "native_id": "p1",
    "published_at": "2026-10-01T10:00:00",
    "likes": 10,
    "text": "Bonjour",
}


def count(ws: Workspace, table: str) -> int:
    return int(ws.warehouse.scalar(f"SELECT count(*) FROM {table}"))


def test_adding_the_same_rows_twice_changes_nothing(workspace: Workspace) -> None:
    first = workspace.add("posts", [POST])
    second = workspace.add("posts", [POST])
    assert (first.inserted, first.updated) == (1, 0)
    assert (second.inserted, second.updated) == (0, 0)
    assert count(workspace, "post") == 1
    assert count(workspace, "post_metrics_history") == 0
    assert workspace.warehouse.scalar("SELECT batch_id FROM post") == first.batch_id


def test_updated_lifetime_metrics_replace_and_keep_history(workspace: Workspace) -> None:
    workspace.add("posts", [POST])
    result = workspace.add("posts", [{**POST, "likes": 25, "text": None}])
    assert (result.inserted, result.updated) == (0, 1)
    row = workspace.warehouse.rows("SELECT likes, text, metrics_batch_id FROM post")[0]
    assert row == (25, "Bonjour", result.batch_id)  # a value left out is kept
    history = workspace.warehouse.rows("SELECT likes, superseded_by FROM post_metrics_history")
    assert history == [(10, result.batch_id)]


def test_origin_is_recorded_per_value(workspace: Workspace) -> None:
    workspace.add("posts", [{**POST, "reach": 90}], origin={"reach": "estimated"})
    row = workspace.warehouse.rows("SELECT likes_origin, reach_origin, saves_origin FROM post")[0]
    assert row == ("native", "estimated", None)


def test_references_create_accounts_and_campaigns(workspace: Workspace) -> None:
    workspace.add("posts", [{**POST, "campaign": "Noël 2026"}])
    assert workspace.warehouse.rows("SELECT platform, handle FROM account") == [("instagram", "@a")]
    assert workspace.warehouse.rows("SELECT name FROM campaign") == [("Noël 2026",)]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{**POST, "likes": -3}], "row 1, field 'likes': -3 is not a whole number of 0 or more"),
        ([{**POST, "likes": "many"}], "row 1, field 'likes': 'many' is not a whole number"),
        ([{**POST, "platform": "myspace"}], "field 'platform': 'myspace' is not one of facebook"),
        (
            [{**POST, "published_at": "yesterday"}],
            "field 'published_at': 'yesterday' is not a date",
        ),
        ([{**POST, "published_at": None}], "field 'published_at': None is not given"),
        ([{**POST, "likez": 3}], "field 'likez': 'likez' is not a field of posts (did you mean"),
        ([POST, {**POST, "likes": 2}], "row 2, field 'platform+account+native_id'"),
        ([{**POST, "text": "a\x00b"}], "is not text without NUL characters"),
    ],
)
def test_bad_rows_are_refused_with_row_field_and_value(
    workspace: Workspace, rows: list, message: str
) -> None:
    with pytest.raises(DataError, match="nothing was written") as info:
        workspace.add("posts", rows)
    assert message in str(info.value)
    assert count(workspace, "post") == 0
    assert count(workspace, "import_batch") == 0


def test_every_bad_value_is_reported_at_once(workspace: Workspace) -> None:
    rows = [{**POST, "native_id": f"p{i}", "likes": -i - 1} for i in range(8)]
    with pytest.raises(DataError, match=r"and 3 more problem\(s\)"):
        workspace.add("posts", rows)


def test_unknown_entity_and_unknown_reference(workspace: Workspace) -> None:
    with pytest.raises(DataError, match=r"unknown entity 'post'.*did you mean 'posts'"):
        workspace.add("post", [POST])
    with pytest.raises(DataError, match="field 'post': 'nope' is not a known post"):
        workspace.add(
            "messages",
            [
                {
                    "platform": "x",
                    "account": "@a",
                    "native_id": "m",
                    "channel": "public",
                    "post": "nope",
                    "created_at": "2026-10-01T10:00",
                }
            ],
        )
    assert count(workspace, "account") == 0  # the failed write left nothing, not even accounts


def test_memory_limit_is_read_from_the_settings(tmp_path) -> None:
    import cadran
    from cadran.core.errors import DataError

    with cadran.init(tmp_path / "ws") as ws:
        assert ws.warehouse.scalar("SELECT current_setting('memory_limit')") == "4.0 GiB"
    config = tmp_path / "ws" / "cadran.toml"
    config.write_text(config.read_text() + '\n[store]\nmemory_limit = "1GiB"\n')
    with cadran.open(tmp_path / "ws") as ws:
        assert ws.warehouse.scalar("SELECT current_setting('memory_limit')") == "1.0 GiB"
    config.write_text(config.read_text().replace('"1GiB"', '"lots"'))
    with pytest.raises(DataError, match="memory_limit must be a size"):
        cadran.open(tmp_path / "ws")
