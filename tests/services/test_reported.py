"""Meta Ads and GA4 figures through the public API: cost and conversion KPIs, the workspace's
[conversions] settings, mixed currencies, and the platform's purchases beside Cadran's ROI."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from cadran.core.errors import DataError, DefinitionError
from cadran.services.conversion_settings import ReportedConversions, reported_conversions
from cadran.services.reported import use_reported_conversions
from cadran.services.roi import roi, roi_report
from cadran.services.workspace import Workspace

USERS = "first user primary channel group (default channel group)"


def _settings(ws: Workspace, conversions: str) -> Workspace:
    """``ws`` reopened with ``conversions`` as the [conversions] section of its cadran.toml."""
    path = ws.folder.config_path
    text = path.read_text(encoding="utf-8").split("\n[conversions]\n")[0]
    path.write_text(f"{text}\n[conversions]\n{conversions}\n", encoding="utf-8")
    ws.close()
    return Workspace.open(ws.folder.root)


def _ga4(dimension: str, metric: str, values: dict[str, float]) -> list[dict[str, object]]:
    return [{"report": "ga4", "period_start": "2026-03-01", "period_end": "2026-03-31",
             "dimension": dimension, "segment": s, "metric": metric, "value": v}
            for s, v in values.items()]  # fmt: skip


@pytest.fixture
def shop(workspace: Workspace) -> Iterator[Workspace]:
    """March 2026: two Meta campaigns (310 EUR with 31 purchases, 620 EUR with none), GA4 key
    events by first-user channel (Direct 31, Paid Social 62, Organic Search 0) and an Events
    report (62 sign-ups); sign-ups are what the workspace counts."""
    workspace.add(
        "ad_insights",
        [{"ad_network": "meta", "campaign": "Spring", "period_start": "2026-03-01",
          "period_end": "2026-03-31", "spend": 310, "purchases": 31, "currency": "EUR"},
         {"ad_network": "meta", "campaign": "Summer", "period_start": "2026-03-01",
          "period_end": "2026-03-31", "spend": 620, "currency": "EUR"}],
    )  # fmt: skip
    workspace.add(
        "segment_metrics",
        _ga4(USERS, "key_events", {"Direct": 31, "Paid Social": 62, "Organic Search": 0})
        + _ga4("event name", "event_count", {"sign_up": 62, "page_view": 4000}),
    )
    ws = _settings(workspace, 'ga4_key_events = ["sign_up"]')
    yield ws
    ws.close()


def _by(frame: pd.DataFrame, key: str) -> dict[str, object]:
    """KPI values per breakdown key (None: no value)."""
    return {
        k: (None if pd.isna(v) else pytest.approx(v))
        for k, v in zip(frame[key], frame["value"], strict=True)
    }


def test_qualified_interactions_and_their_cost_by_source(shop: Workspace) -> None:
    total = shop.kpi("qualified_interactions", period="2026-03", compare="none")
    assert total["value"].tolist() == [pytest.approx(93)]  # the channels, not the Events report
    by_source = shop.kpi(
        ["qualified_interactions", "cost_per_qualified_interaction"],
        period="2026-03",
        by="source",
        compare="none",
    )
    counts = by_source[by_source["kpi"] == "qualified_interactions"]
    assert _by(counts, "source") == {"direct": 31, "paid_social": 62, "organic_search": 0}
    cost_per = by_source[by_source["kpi"] == "cost_per_qualified_interaction"]
    # Paid social: 930 of Meta spend for 62 key events; no cost on the others.
    assert _by(cost_per, "source") == {"direct": 0, "paid_social": 15, "organic_search": None}
    budget = shop.kpi("social_media_budget", period="2026-03", compare="none")
    assert budget["value"].tolist() == [pytest.approx(930)]


def test_the_events_report_counts_when_channels_are_left_out(shop: Workspace) -> None:
    ws = _settings(shop, 'ga4_key_events = ["sign_up"]\nga4_by_channel = false')
    try:
        frame = ws.kpi("qualified_interactions", period="2026-03", by="source", compare="none")
        assert frame["value"].sum() == pytest.approx(62)
        assert frame["source"].isna().all()  # the Events report has no source
    finally:
        ws.close()


def test_platform_purchases_stay_the_platforms_own(shop: Workspace) -> None:
    frame = shop.kpi(
        ["platform_purchases", "cost_per_platform_purchase"],
        period="2026-03",
        by="campaign",
        compare="none",
    )
    purchases = frame[frame["kpi"] == "platform_purchases"]
    assert _by(purchases, "campaign") == {"Spring": 31, "Summer": 0}
    cost_per = frame[frame["kpi"] == "cost_per_platform_purchase"]
    assert _by(cost_per, "campaign") == {"Spring": 10, "Summer": None}
    total = shop.kpi("cost_per_platform_purchase", period="2026-03", compare="none")
    assert total["value"].tolist() == [pytest.approx(930 / 31)]
    # Cadran's own conversions know nothing of them.
    report = roi_report(shop, period="2026-03", by="campaign")
    spring = report.frame.set_index("campaign").loc["Spring"]
    assert spring["platform_purchases"] == pytest.approx(31)
    assert spring["cost_per_platform_purchase"] == pytest.approx(10)
    assert spring["orders"] == 0 and spring["customers"] == 0
    assert spring["verdict"] == "too small to say"
    total_row = report.frame.set_index("campaign").loc["(total)"]
    assert total_row["cost"] == pytest.approx(930)
    assert total_row["platform_purchases"] == pytest.approx(31)


def test_roi_by_channel_counts_ga4_key_events_for_their_source(shop: Workspace) -> None:
    report = roi_report(shop, period="2026-03", by="channel")
    rows = report.frame.set_index("channel")
    assert rows.loc["paid_social", "qualified_interactions"] == pytest.approx(62)
    assert rows.loc["paid_social", "cost_per_qualified_interaction"] == pytest.approx(15)
    assert rows.loc["direct", "qualified_interactions"] == pytest.approx(31)
    assert rows.loc["(total)", "qualified_interactions"] == pytest.approx(93)
    assert any("93 qualified interactions come from GA4 reports" in w for w in report.warnings)
    by_campaign = roi(shop, period="2026-03", by="campaign").set_index("campaign")
    assert by_campaign.loc["(not tied to one)", "qualified_interactions"] == pytest.approx(93)


def test_a_workspace_without_ad_reports_has_no_platform_purchases(workspace: Workspace) -> None:
    workspace.add(
        "costs",
        [{"native_id": "T", "period_start": "2026-03-01", "period_end": "2026-03-31",
          "category": "tools", "amount": 31}],
    )  # fmt: skip
    frame = roi(workspace, period="2026-03")
    assert frame["platform_purchases"].isna().all()
    assert frame["cost_per_platform_purchase"].isna().all()


def test_meta_spend_in_another_currency_is_refused_not_summed(workspace: Workspace) -> None:
    workspace.add(
        "ad_insights",
        [{"ad_network": "meta", "campaign": "Diwali", "period_start": "2026-03-01",
          "period_end": "2026-03-31", "spend": 31000, "purchases": 12, "currency": "INR"}],
    )  # fmt: skip
    expected = (
        r"mixed currencies: the workspace counts in EUR, but cost_daily has rows from "
        r"2026-0\d-\d\d to 2026-03-31 in another currency \(31 in INR\)"
    )
    for kpi in ("social_media_budget", "customer_acquisition_cost", "roas"):
        with pytest.raises(DataError, match=expected):
            workspace.kpi(kpi, period="2026-03")
    with pytest.raises(DataError, match=r"ad_daily has rows .* in another currency"):
        workspace.kpi("cost_per_platform_purchase", period="2026-03", compare="none")
    with pytest.raises(DataError, match=expected):
        roi(workspace, period="2026-03")
    # Figures without money stay available.
    impressions = workspace.kpi("platform_purchases", period="2026-03", compare="none")
    assert impressions["value"].tolist() == [pytest.approx(12)]


def test_revenue_in_another_currency_is_refused_by_kpis_too(workspace: Workspace) -> None:
    workspace.add(
        "revenue",
        [{"native_id": "O1", "occurred_at": "2026-03-05T10:00:00", "amount": 50,
          "currency": "USD", "source": "organic_social"}],
    )  # fmt: skip
    with pytest.raises(DataError, match=r"revenue has rows .* \(1 in USD\)"):
        workspace.kpi("revenue_generated", period="2026-03")


def test_conversions_settings_problems_are_reported_together(workspace: Workspace) -> None:
    ws = _settings(workspace, 'ga4_key_events = "sign_up"\nga4_by_channel = "yes"\ncolour = 1')
    try:
        with pytest.raises(DefinitionError) as caught:
            reported_conversions(ws)
        messages = [str(i) for i in caught.value.issues.errors]
        where = f"{ws.folder.config_path} [conversions]"
        assert messages == [
            f"{where} (colour): unknown key: expected one of ga4_key_events, ga4_by_channel",
            f"{where} (ga4_key_events): expected a list of GA4 event names such as "
            '["generate_lead", "sign_up"], not \'sign_up\'',
            f"{where} (ga4_by_channel): expected true or false, not 'yes'",
        ]
        # A KPI that reads qualified interactions says so; other KPIs are not held up.
        ws.add(
            "qualified_interactions",
            [{"native_id": "Q", "occurred_at": "2026-03-05T10:00:00", "kind": "trial",
              "source": "email"}],
        )  # fmt: skip
        with pytest.raises(DefinitionError, match=r"\[conversions\] \(colour\)"):
            ws.kpi("qualified_interactions", period="2026-03")
        assert ws.kpi("leads_generated", period="2026-03")["value"].isna().all()
    finally:
        ws.close()


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ('["sign_up", "sign_up"]', r"\(ga4_key_events\): sign_up given twice"),
        ('[" sign_up"]', r"\(ga4_key_events\): expected a list of GA4 event names"),
        ('[""]', r"\(ga4_key_events\): expected a list of GA4 event names"),
        ("[1]", r"\(ga4_key_events\): expected a list of GA4 event names .*not \[1\]"),
    ],
)
def test_bad_event_names_are_refused(workspace: Workspace, events: str, message: str) -> None:
    ws = _settings(workspace, f"ga4_key_events = {events}")
    try:
        with pytest.raises(DefinitionError, match=message):
            reported_conversions(ws)
    finally:
        ws.close()


def test_the_database_follows_the_settings(shop: Workspace) -> None:
    assert use_reported_conversions(shop) == ReportedConversions(("sign_up",), True)
    assert shop.warehouse.rows("SELECT event FROM ga4_key_event") == [("sign_up",)]
    ws = _settings(shop, 'ga4_key_events = ["page_view", "sign_up"]\nga4_by_channel = false')
    try:
        frame = ws.kpi("qualified_interactions", period="2026-03", compare="none")
        assert frame["value"].tolist() == [pytest.approx(4062)]
        assert sorted(ws.warehouse.rows("SELECT event FROM ga4_key_event")) == [
            ("page_view",),
            ("sign_up",),
        ]
    finally:
        ws.close()
