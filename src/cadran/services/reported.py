"""Figures the ad platforms and GA4 report for a whole period, in the conversion KPIs and ROI.

Migration 0005 defines the rules (docs/roi.md): Meta Ads spend becomes ads costs, Meta Ads
purchases stay the platform's own claim, and GA4 key events become qualified interactions once
the workspace names the events that count. This module mirrors the settings the views read,
and gives :mod:`cadran.services.roi` the reported figures of each action.
"""

from __future__ import annotations

from datetime import date

from cadran.services.conversion_settings import ReportedConversions, reported_conversions
from cadran.services.definitions import ga4_channel_sources
from cadran.services.workspace import Workspace
from cadran.store.reported import mirror_conversion_settings

# The column of ad_daily and of ga4_qualified_daily that places a figure in each breakdown of
# `cadran roi` (None: no figure of that kind is tied to one key).
_AD_COLUMNS = {"campaign": "campaign_id", "platform": "platform",
               "channel": "'paid_social'", "pillar": None}  # fmt: skip
_GA4_COLUMNS = {"channel": "source", "campaign": None, "platform": None, "pillar": None}


def use_reported_conversions(ws: Workspace) -> ReportedConversions:
    """Check the workspace's ``[conversions]`` settings and store them where the views read
    them (the GA4 events that count, the channel map)."""
    settings = reported_conversions(ws)
    mirror_conversion_settings(
        ws.warehouse, settings.ga4_key_events, settings.ga4_by_channel, ga4_channel_sources()
    )
    return settings


def _key(value: object) -> str | None:
    return None if value is None else str(value)


def platform_purchases(
    ws: Workspace, dimension: str, first_day: date, last_day: date
) -> dict[str | None, tuple[float, float]]:
    """The ad platforms' own (spend, purchases) per key of ``dimension`` over the span."""
    column = _AD_COLUMNS[dimension] or "NULL"
    rows = ws.warehouse.rows(
        f"SELECT CAST({column} AS VARCHAR), sum(spend), sum(purchases) FROM ad_daily "
        "WHERE day BETWEEN ? AND ? GROUP BY 1",
        [first_day, last_day],
    )
    return {_key(k): (float(s or 0), float(p or 0)) for k, s, p in rows}


def ga4_qualified_interactions(
    ws: Workspace, dimension: str, first_day: date, last_day: date
) -> dict[str | None, float]:
    """GA4's qualified interactions per key of ``dimension`` over the span: they have no
    journey to attribute, so they keep their channel group's source (and no platform,
    campaign or pillar), as conversions without touchpoints keep what is recorded on them."""
    use_reported_conversions(ws)
    column = _GA4_COLUMNS[dimension] or "NULL"
    rows = ws.warehouse.rows(
        f"SELECT CAST({column} AS VARCHAR), sum(value) FROM ga4_qualified_daily "
        "WHERE day BETWEEN ? AND ? GROUP BY 1",
        [first_day, last_day],
    )
    return {_key(k): float(n or 0) for k, n in rows}
