"""The views of migration 0005 on hand-computed cases: Meta Ads spend in cost_daily (spread
over days, overlapping reports not added up, recorded costs winning), Meta purchases kept
apart, and GA4 key events as qualified interactions (one GA4 source per day)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cadran.services.definitions import ga4_channel_sources
from cadran.services.workspace import Workspace
from cadran.store.reported import mirror_conversion_settings


def _report(campaign: str, start: str, end: str, spend: float, **more: object) -> dict[str, object]:
    return {"ad_network": "meta", "campaign": campaign, "period_start": start,
            "period_end": end, "spend": spend, **more}  # fmt: skip


def _daily(ws: Workspace, sql: str) -> dict[date, float]:
    return {d: float(v) for d, v in ws.warehouse.rows(sql)}


def _costs(ws: Workspace, where: str = "TRUE") -> dict[date, float]:
    return _daily(ws, f"SELECT day, sum(amount) FROM cost_daily WHERE {where} GROUP BY day")


def _spread(ws: Workspace, *reports: dict[str, object]) -> dict[date, float]:
    """Import ``reports`` and return the costs per day."""
    ws.add("ad_insights", list(reports))
    return _costs(ws)


def _total(values: dict[date, float], first: str, last: str) -> float:
    lo, hi = date.fromisoformat(first), date.fromisoformat(last)
    return sum(v for d, v in values.items() if lo <= d <= hi)


def test_meta_spend_becomes_paid_social_ads_costs_spread_over_the_report(
    workspace: Workspace,
) -> None:
    # The age breakdown shares out the same money: it must not count again.
    costs = _spread(
        workspace,
        _report("Spring", "2025-03-01", "2025-03-31", 310),
        _report("Spring", "2025-03-01", "2025-03-31", 110, breakdown="age", segment="18-24"),
        _report("Spring", "2025-03-01", "2025-03-31", 200, breakdown="age", segment="25-34"),
    )
    rows = workspace.warehouse.rows(
        "SELECT DISTINCT origin, CAST(category AS VARCHAR), source, campaign_id, currency, "
        "cost_id FROM cost_daily"
    )
    campaign = workspace.warehouse.scalar("SELECT campaign_id FROM campaign WHERE name = 'Spring'")
    assert rows == [("ad_report", "ads", "paid_social", campaign, "EUR", None)]
    assert list(costs.values()) == [pytest.approx(10.0)] * 31
    assert sum(costs.values()) == pytest.approx(310)


def test_overlapping_reports_of_a_campaign_are_not_added_up(workspace: Workspace) -> None:
    # Feb 1 - Aug 4 2025 (185 days, 1,850), March (31 days, 620) and Mar 10-19 (10 days, 100).
    # Shortest first: Mar 10-19 gives 10 a day; March's other 21 days get (620 - 100) / 21;
    # the long report's 154 days outside March get (1,850 - 620) / 154.
    costs = _spread(
        workspace,
        _report("Spring", "2025-02-01", "2025-08-04", 1850),
        _report("Spring", "2025-03-01", "2025-03-31", 620),
        _report("Spring", "2025-03-10", "2025-03-19", 100),
    )
    assert len(costs) == 185
    assert costs[date(2025, 3, 12)] == pytest.approx(10.0)
    assert costs[date(2025, 3, 2)] == pytest.approx(520 / 21)
    assert costs[date(2025, 2, 1)] == costs[date(2025, 8, 4)] == pytest.approx(1230 / 154)
    assert _total(costs, "2025-03-01", "2025-03-31") == pytest.approx(620)
    assert _total(costs, "2025-03-10", "2025-03-19") == pytest.approx(100)
    assert _total(costs, "2025-02-01", "2025-02-28") == pytest.approx(28 * 1230 / 154)
    assert sum(costs.values()) == pytest.approx(1850)
    # Each day's amount comes from one report (its batch), never from two.
    assert (
        workspace.warehouse.scalar(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM cost_daily GROUP BY day)"
        )
        == 1
    )


def test_partly_overlapping_reports_of_equal_length_favour_the_later_one(
    workspace: Workspace,
) -> None:
    # Mar 1-30 (450) and Mar 16 - Apr 14 (600), 30 days each: the later window goes first, 20
    # a day; the earlier one keeps 450 - 15 x 20 = 150 for its 15 other days, 10 a day.
    costs = _spread(
        workspace,
        _report("Spring", "2025-03-01", "2025-03-30", 450),
        _report("Spring", "2025-03-16", "2025-04-14", 600),
    )
    assert costs[date(2025, 3, 1)] == costs[date(2025, 3, 15)] == pytest.approx(10.0)
    assert costs[date(2025, 3, 16)] == costs[date(2025, 4, 14)] == pytest.approx(20.0)
    assert _total(costs, "2025-03-01", "2025-03-30") == pytest.approx(450)
    assert _total(costs, "2025-03-16", "2025-04-14") == pytest.approx(600)


def test_a_longer_report_never_gives_a_negative_spend(workspace: Workspace) -> None:
    # March says 100, but Mar 1-10 alone says 150: March's other days get 0, not -50 / 21.
    costs = _spread(
        workspace,
        _report("Spring", "2025-03-01", "2025-03-31", 100),
        _report("Spring", "2025-03-01", "2025-03-10", 150),
    )
    assert costs[date(2025, 3, 1)] == pytest.approx(15.0)
    assert costs[date(2025, 3, 11)] == 0
    assert sum(costs.values()) == pytest.approx(150)


def test_reports_of_different_campaigns_all_count(workspace: Workspace) -> None:
    costs = _spread(
        workspace,
        _report("Spring", "2025-03-01", "2025-03-31", 310),
        _report("Summer", "2025-03-01", "2025-03-31", 620),
    )
    assert sum(costs.values()) == pytest.approx(930)


def test_a_recorded_ads_cost_of_the_campaign_wins_on_the_days_it_covers(
    workspace: Workspace,
) -> None:
    # The Meta invoice for Mar 1-15 was also imported as a cost: on those days the cost row
    # counts (20 a day), the report's spend (10 a day) only on Mar 16-31.
    workspace.add("ad_insights", [_report("Spring", "2025-03-01", "2025-03-31", 310)])
    workspace.add(
        "costs",
        [{"native_id": "INV-1", "period_start": "2025-03-01", "period_end": "2025-03-15",
          "category": "ads", "platform": "facebook", "campaign": "Spring", "amount": 300},
         # Neither a content cost of the campaign nor the ads of another campaign replace it.
         {"native_id": "SHOOT", "period_start": "2025-03-20", "period_end": "2025-03-20",
          "category": "content", "campaign": "Spring", "amount": 50},
         {"native_id": "INV-2", "period_start": "2025-03-20", "period_end": "2025-03-20",
          "category": "ads", "campaign": "Summer", "amount": 70}],
    )  # fmt: skip
    reported = _costs(workspace, "origin = 'ad_report'")
    assert sorted(reported) == [date(2025, 3, d) for d in range(16, 32)]
    assert sum(reported.values()) == pytest.approx(160)
    costs = _costs(workspace)
    assert costs[date(2025, 3, 1)] == pytest.approx(20.0)
    assert costs[date(2025, 3, 20)] == pytest.approx(10 + 50 + 70)
    assert sum(costs.values()) == pytest.approx(300 + 160 + 50 + 70)


def test_meta_purchases_follow_the_same_rule_and_an_empty_cell_is_none(
    workspace: Workspace,
) -> None:
    workspace.add(
        "ad_insights",
        [_report("Spring", "2025-03-01", "2025-04-30", 600, purchases=61),
         _report("Spring", "2025-04-01", "2025-04-30", 300)],  # no purchases in April
    )  # fmt: skip
    purchases = _daily(workspace, "SELECT day, sum(purchases) FROM ad_daily GROUP BY day")
    assert _total(purchases, "2025-04-01", "2025-04-30") == 0
    assert purchases[date(2025, 3, 5)] == pytest.approx(61 / 31)
    spend = _daily(workspace, "SELECT day, sum(spend) FROM ad_daily GROUP BY day")
    assert spend[date(2025, 3, 5)] == pytest.approx(300 / 31)
    # Purchases never reach Cadran's own conversions.
    assert workspace.warehouse.scalar("SELECT count(*) FROM qualified_interaction_daily") == 0


# -- GA4 ------------------------------------------------------------------------------------
MARCH = ("2025-03-01", "2025-03-31")


def _ga4(dimension: str, metric: str, values: dict[str, float], span: tuple[str, str] = MARCH):
    return [{"report": "ga4", "period_start": span[0], "period_end": span[1],
             "dimension": dimension, "segment": s, "metric": metric, "value": v}
            for s, v in values.items()]  # fmt: skip


EVENTS = _ga4("event name", "event_count", {"sign_up": 62, "generate_lead": 31, "page_view": 900})
USERS = "first user primary channel group (default channel group)"
SESSIONS = "session primary channel group (default channel group)"


@pytest.fixture
def ga4(workspace: Workspace) -> Workspace:
    workspace.add("segment_metrics", EVENTS)
    mirror_conversion_settings(
        workspace.warehouse, ["sign_up", "generate_lead"], True, ga4_channel_sources()
    )
    return workspace


def _qualified(ws: Workspace) -> dict[tuple[str, str | None], float]:
    rows = ws.warehouse.rows(
        "SELECT kind, CAST(source AS VARCHAR), sum(weight) FROM qualified_interaction_daily "
        "GROUP BY ALL"
    )
    return {(k, s): pytest.approx(n) for k, s, n in rows}


def test_ga4_events_count_only_once_named(workspace: Workspace) -> None:
    workspace.add("segment_metrics", EVENTS)
    assert _qualified(workspace) == {}
    mirror_conversion_settings(workspace.warehouse, ["sign_up"], True, ga4_channel_sources())
    assert _qualified(workspace) == {("sign_up", None): 62}
    per_day = _daily(
        workspace, "SELECT local_date, sum(weight) FROM qualified_interaction_daily GROUP BY 1"
    )
    assert list(per_day.values()) == [pytest.approx(2.0)] * 31


def test_key_events_by_channel_replace_the_events_report_on_the_days_they_cover(
    ga4: Workspace,
) -> None:
    ga4.add(
        "segment_metrics",
        _ga4(USERS, "key_events", {"Direct": 31, "Paid Social": 62, "Cross-network": 0,
                                   "My own group": 3}, ("2025-03-16", "2025-03-31")),
    )  # fmt: skip
    # Mar 1-15: the Events report (2 sign-ups and 1 lead a day); Mar 16-31: the channels.
    assert _qualified(ga4) == {
        ("sign_up", None): 30,
        ("generate_lead", None): 15,
        ("key_events", "direct"): 31,
        ("key_events", "paid_social"): 62,
        ("key_events", "other"): 3,
    }


def test_session_channels_win_over_first_user_channels(ga4: Workspace) -> None:
    ga4.add("segment_metrics", _ga4(USERS, "key_events", {"Direct": 31, "Organic Search": 62}))
    ga4.add(
        "segment_metrics",
        _ga4(SESSIONS, "key_events", {"Organic Social": 30}, ("2025-03-01", "2025-03-15")),
    )
    assert _qualified(ga4) == {
        ("key_events", "organic_social"): 30,
        ("key_events", "direct"): 16,
        ("key_events", "organic_search"): 32,
    }


def test_channels_can_be_left_out(ga4: Workspace) -> None:
    ga4.add("segment_metrics", _ga4(USERS, "key_events", {"Direct": 31}))
    mirror_conversion_settings(
        ga4.warehouse, ["sign_up", "generate_lead"], False, ga4_channel_sources()
    )
    assert _qualified(ga4) == {("sign_up", None): 62, ("generate_lead", None): 31}


def test_recorded_interactions_win_on_their_days(ga4: Workspace) -> None:
    ga4.add(
        "qualified_interactions",
        [{"native_id": "Q1", "occurred_at": "2025-03-10T10:00:00", "kind": "demo_request",
          "source": "email"}],
    )  # fmt: skip
    # Mar 10 is left to the recorded row: GA4 counts 30 of its 31 days.
    assert _qualified(ga4) == {
        ("demo_request", "email"): 1,
        ("sign_up", None): 60,
        ("generate_lead", None): 30,
    }
    ga4_days = {
        d for (d,) in ga4.warehouse.rows(
            "SELECT DISTINCT local_date FROM qualified_interaction_daily WHERE origin = 'ga4'"
        )
    }  # fmt: skip
    assert date(2025, 3, 10) not in ga4_days and len(ga4_days) == 30


def test_overlapping_ga4_reports_are_not_added_up(ga4: Workspace) -> None:
    # A second Events report for Mar 1-10 (sign_up 50): those days take it, 5 a day; March's
    # other 21 days share 62 - 50 = 12.
    ga4.add("segment_metrics", _ga4("event name", "event_count", {"sign_up": 50},
                                    ("2025-03-01", "2025-03-10")))  # fmt: skip
    per_day = _daily(
        ga4, "SELECT local_date, sum(weight) FROM qualified_interaction_daily "
        "WHERE kind = 'sign_up' GROUP BY 1",
    )  # fmt: skip
    assert per_day[date(2025, 3, 1)] == pytest.approx(5.0)
    assert per_day[date(2025, 3, 11)] == pytest.approx(12 / 21)
    assert sum(per_day.values()) == pytest.approx(62)
    first, last = min(per_day), max(per_day)
    assert (first, last - first) == (date(2025, 3, 1), timedelta(days=30))
