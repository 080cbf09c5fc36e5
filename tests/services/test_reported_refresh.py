"""The stored spread of reported figures (migration 0006) never differs from the reports: after
imports, overlapping imports, undo, Python API writes and demo builds, and in a workspace
migrated with reports already in it; the [conversions] settings take effect without it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from cadran.services import demo as demo_service
from cadran.services.workspace import Workspace
from cadran.sources.demo import Chunk, DemoSpec
from cadran.store.migrations import latest_version, migrate

_KEYS = "figure, ad_network, campaign_id, segment, platform, currency, batch_id, day"
# What the views of 0005 and 0006 show; both versions must give the same rows.
_VIEWS = (
    "SELECT * FROM cost_daily",
    "SELECT * FROM ad_daily",
    "SELECT * FROM ga4_qualified_daily",
    "SELECT * FROM qualified_interaction_daily",
)

META_HEADER = (
    '"Campaign name",Reach,Impressions,Frequency,Currency,"Amount spent (EUR)","Link clicks",'
    '"CPC (cost per link click)","Clicks (all)","CPC (all)","CTR (all)","Adds to cart",'
    '"Cost per add to cart","Checkouts initiated","Cost per checkout initiated",Purchases,'
    '"Reporting starts","Reporting ends"'
)


def _meta(folder: Path, name: str, start: str, end: str, spend: dict[str, float]) -> Path:
    """A Meta Ads campaign report: the account total, then one row per campaign."""
    rows = [
        f'"{campaign}",100,200,2,EUR,{amount},10,1,12,1,5,,,,,3,{start},{end}'
        for campaign, amount in spend.items()
    ]
    total = f",100,200,2,EUR,{sum(spend.values())},10,1,12,1,5,,,,,3,{start},{end}"
    path = folder / name
    path.write_text("\n".join([META_HEADER, total, *rows]) + "\n", encoding="utf-8")
    return path


def _ga4_events(folder: Path, name: str, start: str, end: str, counts: dict[str, int]) -> Path:
    """A GA4 Events report download."""
    head = ["# Events: Event name", f"# Start date: {start}", f"# End date: {end}"]
    lines = [*head, "Event name,Event count", *(f"{e},{n}" for e, n in counts.items())]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stored(con: duckdb.DuckDBPyConnection, source: str) -> list[tuple[object, ...]]:
    return con.execute(f"SELECT {_KEYS}, value FROM {source} ORDER BY ALL").fetchall()


def assert_fresh(ws: Workspace) -> list[tuple[object, ...]]:
    """Assert reported_daily_figure holds the spreading of the current reports; its rows."""
    con = ws.warehouse.con
    stored, spread = _stored(con, "reported_daily_figure"), _stored(con, "all_reported_daily()")
    assert [r[:-1] for r in stored] == [r[:-1] for r in spread]
    assert [r[-1] for r in stored] == pytest.approx([r[-1] for r in spread])
    return stored


def _spend(ws: Workspace) -> dict[date, float]:
    rows = ws.warehouse.rows(
        "SELECT day, sum(amount) FROM cost_daily WHERE origin = 'ad_report' GROUP BY day"
    )
    return {d: float(v) for d, v in rows}


def test_imports_and_undo_keep_the_stored_spread_fresh(
    workspace: Workspace, tmp_path: Path
) -> None:
    assert assert_fresh(workspace) == []
    year = _meta(tmp_path, "year.csv", "2025-01-01", "2025-12-31", {"Spring": 3650, "Fall": 365})
    (first,) = workspace.import_files(year)
    after_first = assert_fresh(workspace)
    assert {r[0] for r in after_first} == {"ad_spend", "ad_purchases"}
    assert sum(_spend(workspace).values()) == pytest.approx(4015)
    # A monthly report of the same campaign overlaps the yearly one: March takes its figure.
    march = _meta(tmp_path, "march.csv", "2025-03-01", "2025-03-31", {"Spring": 620})
    (second,) = workspace.import_files(march)
    assert_fresh(workspace)
    assert _spend(workspace)[date(2025, 3, 5)] == pytest.approx(20 + 1)
    assert sum(_spend(workspace).values()) == pytest.approx(4015)
    # A dry run reports and leaves nothing behind, the stored spread included.
    april = _meta(tmp_path, "april.csv", "2025-04-01", "2025-04-30", {"Spring": 0})
    (dry,) = workspace.import_files(april, dry_run=True)
    assert dry.status == "dry-run"
    assert _spend(workspace)[date(2025, 4, 5)] == pytest.approx((3650 - 620) / 334 + 1)
    workspace.undo(second.batch_id or 0)
    assert assert_fresh(workspace) == after_first
    workspace.undo(first.batch_id or 0)
    assert assert_fresh(workspace) == []
    assert _spend(workspace) == {}


def test_ga4_imports_store_every_event_whatever_the_settings(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = _ga4_events(
        tmp_path, "Events_Event_name.csv", "20250301", "20250331", {"sign_up": 62, "scroll": 31}
    )
    (report,) = workspace.import_files(path)
    assert report.status == "imported", report.message
    stored = assert_fresh(workspace)
    assert {(r[0], r[3]) for r in stored} == {("ga4_event", "sign_up"), ("ga4_event", "scroll")}
    # No event counts yet: the views leave them all out.
    assert workspace.warehouse.scalar("SELECT count(*) FROM qualified_interaction_daily") == 0


def test_python_api_writes_keep_the_stored_spread_fresh(workspace: Workspace) -> None:
    report = {"ad_network": "meta", "campaign": "Spring", "period_start": "2025-03-01",
              "period_end": "2025-03-31", "spend": 310}  # fmt: skip
    workspace.add("ad_insights", [report])
    assert len(assert_fresh(workspace)) == 2 * 31
    workspace.add("ad_insights", [{**report, "spend": 620}])  # the same report, updated
    assert_fresh(workspace)
    assert sum(_spend(workspace).values()) == pytest.approx(620)
    workspace.add(
        "segment_metrics",
        [{"report": "ga4", "period_start": "2025-03-01", "period_end": "2025-03-10",
          "dimension": "event name", "segment": "sign_up", "metric": "event_count",
          "value": 50}],
    )  # fmt: skip
    assert {r[0] for r in assert_fresh(workspace)} == {"ad_spend", "ad_purchases", "ga4_event"}
    # A later campaign import may name the platform: the views read it, no refresh is needed.
    workspace.add("campaigns", [{"name": "Spring", "platform": "instagram"}])
    assert workspace.warehouse.rows("SELECT DISTINCT CAST(platform AS VARCHAR) FROM ad_daily") == [
        ("instagram",)
    ]


def test_changed_key_events_count_without_any_import(workspace: Workspace) -> None:
    workspace.add(
        "segment_metrics",
        [{"report": "ga4", "period_start": "2025-03-01", "period_end": "2025-03-31",
          "dimension": "event name", "segment": event, "metric": "event_count", "value": n}
         for event, n in (("sign_up", 62), ("generate_lead", 31))],
    )  # fmt: skip
    stored = assert_fresh(workspace)
    batches = len(workspace.batches())

    def counted(events: str) -> float:
        path = workspace.folder.config_path
        text = path.read_text(encoding="utf-8").split("\n[conversions]\n")[0]
        path.write_text(f"{text}\n[conversions]\nga4_key_events = {events}\n", encoding="utf-8")
        with Workspace.open(workspace.folder.root) as ws:
            frame = ws.kpi("qualified_interactions", period="2025-03", compare="none")
            assert assert_fresh(ws) == stored  # nothing was recomputed
            return float(frame["value"].sum())

    workspace.close()
    assert counted('["sign_up"]') == pytest.approx(62)
    assert counted('["sign_up", "generate_lead"]') == pytest.approx(93)
    assert counted('["generate_lead"]') == pytest.approx(31)
    with Workspace.open(workspace.folder.root) as ws:
        assert len(ws.batches()) == batches


def test_a_demo_with_ad_reports_stores_their_spread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ads_only(spec: DemoSpec) -> Iterator[Chunk]:
        yield Chunk(
            "ad_insight",
            pa.table({"ad_network": ["meta"], "campaign_id": pa.array([1], pa.int32()),
                      "period_start": [date(2026, 3, 1)], "period_end": [date(2026, 3, 31)],
                      "breakdown": ["none"], "segment": ["all"], "spend": [310.0]}),
        )  # fmt: skip

    monkeypatch.setattr(demo_service, "generate", ads_only)
    with demo_service.create_demo(tmp_path / "ws", size="S", end="2026-10-31") as ws:
        assert len(assert_fresh(ws)) == 2 * 31


def _workspace_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Reports of every kind, overlapping, in a database at schema version 5."""
    con.execute(
        "INSERT INTO import_batch (batch_id, kind, source, started_at, status) "
        "VALUES (1, 'api', 'a', now(), 'done'), (2, 'api', 'b', now(), 'done')"
    )
    con.execute(
        "INSERT INTO campaign (campaign_id, name, platform, batch_id) "
        "VALUES (1, 'Spring', 'facebook', 1), (2, 'Summer', NULL, 1)"
    )
    con.execute(
        "INSERT INTO ad_insight (ad_network, campaign_id, platform, period_start, period_end, "
        "breakdown, segment, spend, currency, purchases, batch_id) VALUES "
        "('meta', 1, NULL, '2025-02-01', '2025-08-04', 'none', 'all', 1850, 'EUR', 40, 1), "
        "('meta', 1, NULL, '2025-03-01', '2025-03-31', 'none', 'all', 620, 'EUR', NULL, 2), "
        "('meta', 1, NULL, '2025-03-01', '2025-03-31', 'age', '18-24', 100, 'EUR', 1, 2), "
        "('meta', 2, 'instagram', '2025-03-16', '2025-04-14', 'none', 'all', 600, 'EUR', 6, 2)"
    )
    users, sessions = "first user default channel group", "session default channel group"
    ga4 = [
        ("2025-03-01", "2025-03-31", "event name", "sign_up", "event_count", 62),
        ("2025-03-01", "2025-03-10", "event name", "sign_up", "event_count", 50),
        ("2025-03-01", "2025-03-31", "event name", "page_view", "event_count", 900),
        ("2025-03-16", "2025-04-15", users, "Direct", "key_events", 31),
        ("2025-04-01", "2025-04-05", sessions, "Paid Social", "key_events", 5),
    ]
    con.executemany(
        "INSERT INTO segment_metric (report, period_start, period_end, dimension, segment, "
        "metric, value, batch_id) VALUES ('ga4', ?, ?, ?, ?, ?, ?, 2)",
        ga4,
    )
    con.execute(
        "INSERT INTO qualified_interaction (interaction_id, native_id, occurred_at, local_date, "
        "kind, source, batch_id) VALUES (1, 'Q1', '2025-03-20 10:00:00+00', '2025-03-20', "
        "'trial', 'email', 1)"
    )
    con.execute(
        "INSERT INTO cost (cost_id, native_id, period_start, period_end, category, campaign_id, "
        "amount, currency, batch_id) VALUES (1, 'INV', '2025-03-01', '2025-03-05', 'ads', 1, 50, "
        "'EUR', 1)"
    )


@pytest.mark.parametrize("events", [(), ("sign_up",), ("sign_up", "page_view")])
@pytest.mark.parametrize("by_channel", ["true", "false"])
def test_migrating_a_workspace_with_reports_fills_the_table(
    events: tuple[str, ...], by_channel: str
) -> None:
    con = duckdb.connect()
    migrate(con, target=5)
    _workspace_rows(con)
    for event in events:
        con.execute("INSERT INTO ga4_key_event VALUES (?)", [event])
    con.execute(f"INSERT INTO cadran_meta VALUES ('ga4_by_channel', '{by_channel}')")
    before = {sql: con.execute(f"{sql} ORDER BY ALL").fetchall() for sql in _VIEWS}
    assert all(before.values()) or not events
    assert migrate(con) == list(range(6, latest_version() + 1))
    stored, spread = _stored(con, "reported_daily_figure"), _stored(con, "all_reported_daily()")
    assert stored == spread and len(stored) > 0
    # The views give what the views of 0005 gave.
    for sql, rows in before.items():
        assert con.execute(f"{sql} ORDER BY ALL").fetchall() == rows, sql
