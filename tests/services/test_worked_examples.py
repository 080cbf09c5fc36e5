"""The seven worked examples of seed 002, reproduced through the public API on small data.

Seed 002 (« Quels sont les 7 principaux KPI d'une entreprise de gestion des médias sociaux
d'IA ? ») gives one computed example per KPI: 25 %, 10 %, 16 %, 6.67 %, 30 %, 50 and 4.
"""

from __future__ import annotations

import math

import pytest

from cadran.services.workspace import Workspace


def one(ws: Workspace, kpi: str, period: str = "2026-10", **kw: object) -> float:
    frame = ws.kpi(kpi, period=period, **kw)  # type: ignore[arg-type]
    assert len(frame) == 1, frame
    return float(frame["value"].iloc[0])


def test_engagement_rate_improvement_25_percent(workspace: Workspace) -> None:
    # 400 interactions in the previous period, 500 now, on the same audience.
    workspace.add(
        "posts",
        [
            {
                "platform": "instagram",
                "account": "@atelier",
                "native_id": "sep",
                "published_at": "2026-09-10T12:00:00",
                "likes": 300,
                "comments": 60,
                "shares": 40,
                "impressions": 10_000,
            },
            {
                "platform": "instagram",
                "account": "@atelier",
                "native_id": "oct",
                "published_at": "2026-10-10T12:00:00",
                "likes": 380,
                "comments": 70,
                "shares": 50,
                "impressions": 10_000,
            },
        ],
    )
    assert one(workspace, "engagement_rate", "2026-09") == pytest.approx(4.0)
    assert one(workspace, "engagement_rate") == pytest.approx(5.0)
    assert one(workspace, "engagement_rate_improvement") == pytest.approx(25.0)


def test_audience_growth_velocity_10_percent(workspace: Workspace) -> None:
    # 500 followers at the start of the month, 100 gained, 50 lost.
    days = [
        {
            "platform": "facebook",
            "account": "@atelier",
            "day": "2026-10-01",
            "followers": 500,
            "followers_gained": 0,
            "followers_lost": 0,
        }
    ]
    days += [
        {
            "platform": "facebook",
            "account": "@atelier",
            "day": f"2026-10-{d:02d}",
            "followers": 500 + 10 * (d - 1) - 5 * (d - 1),
            "followers_gained": 10,
            "followers_lost": 5,
        }
        for d in range(2, 12)
    ]
    workspace.add("account_daily", days)
    assert one(workspace, "audience_growth_velocity") == pytest.approx(10.0)


def test_content_virality_rate_16_percent(workspace: Workspace) -> None:
    # One post: 500 shares, 800 likes, 300 comments, for 10,000 followers.
    workspace.add(
        "posts",
        [
            {
                "platform": "instagram",
                "account": "@atelier",
                "native_id": "p1",
                "published_at": "2026-10-05T09:00:00",
                "shares": 500,
                "likes": 800,
                "comments": 300,
            }
        ],
    )
    workspace.add(
        "account_daily",
        [
            {
                "platform": "instagram",
                "account": "@atelier",
                "day": "2026-10-31",
                "followers": 10_000,
            }
        ],
    )
    frame = workspace.kpi("content_virality_rate", period="2026-10")
    assert frame["value"].iloc[0] == pytest.approx(16.0)
    assert frame["numerator"].iloc[0] == 1600
    assert frame["denominator"].iloc[0] == 10_000


def _messages(label_counts: dict[str, int], month: str) -> list[dict[str, object]]:
    rows = []
    for label, n in label_counts.items():
        for i in range(n):
            rows.append(
                {
                    "platform": "x",
                    "account": "@atelier",
                    "channel": "public",
                    "native_id": f"{month}-{label}-{i}",
                    "created_at": f"{month}-15T10:00:00",
                    "sentiment_label": label,
                    "sentiment_score": {"positive": 0.6, "negative": -0.6}[label],
                }
            )
    return rows


def test_brand_sentiment_evolution_6_67_percent(workspace: Workspace) -> None:
    # A sentiment score of 75 the previous month and 80 this month.
    workspace.add(
        "messages",
        _messages({"positive": 75, "negative": 25}, "2026-09")
        + _messages({"positive": 80, "negative": 20}, "2026-10"),
    )
    assert one(workspace, "brand_sentiment_score", "2026-09") == pytest.approx(75.0)
    assert one(workspace, "brand_sentiment_score") == pytest.approx(80.0)
    assert one(workspace, "brand_sentiment_evolution") == pytest.approx(100 * 5 / 75)
    assert round(one(workspace, "brand_sentiment_evolution"), 2) == 6.67


def test_ai_recommendation_adoption_rate_30_percent(workspace: Workspace) -> None:
    # Recommendations shown to 1,000 users, 300 of whom acted on them.
    workspace.add(
        "recommendations",
        [
            {
                "native_id": "r1",
                "created_at": "2026-10-02T08:00:00",
                "kind": "best_time",
                "users_exposed": 600,
                "users_acted": 150,
            },
            {
                "native_id": "r2",
                "created_at": "2026-10-20T08:00:00",
                "kind": "format",
                "users_exposed": 400,
                "users_acted": 150,
            },
        ],
    )
    assert one(workspace, "ai_recommendation_adoption_rate") == pytest.approx(30.0)


def test_customer_acquisition_cost_50(workspace: Workspace) -> None:
    # 5,000 spent on social media (ads, content creation, tools, staff), 100 new customers.
    workspace.add(
        "costs",
        [
            {
                "native_id": "ads",
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "category": "ads",
                "platform": "facebook",
                "amount": 2500,
            },
            {
                "native_id": "content",
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "category": "content",
                "amount": 1200,
            },
            {
                "native_id": "tools",
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "category": "tools",
                "amount": 300,
            },
            {
                "native_id": "staff",
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "category": "staff",
                "amount": 1000,
            },
        ],
    )
    workspace.add(
        "customers",
        [
            {
                "native_id": f"c{i}",
                "acquired_at": f"2026-10-{1 + i % 28:02d}T10:00:00",
                "source": "paid_social" if i % 2 else "organic_social",
            }
            for i in range(100)
        ]
        + [
            {
                "native_id": "search",
                "acquired_at": "2026-10-03T10:00:00",
                "source": "organic_search",
            }
        ],
    )
    assert one(workspace, "customer_acquisition_cost") == pytest.approx(50.0)


def test_social_media_roi_4(workspace: Workspace) -> None:
    # 10,000 of revenue from a social campaign that cost 2,000.
    workspace.add(
        "costs",
        [
            {
                "native_id": "campaign",
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "category": "ads",
                "amount": 2000,
            }
        ],
    )
    workspace.add(
        "revenue",
        [
            {
                "native_id": f"o{i}",
                "occurred_at": "2026-10-12T15:00:00",
                "amount": 2500,
                "source": "paid_social",
            }
            for i in range(4)
        ]
        + [
            {
                "native_id": "direct",
                "occurred_at": "2026-10-12T15:00:00",
                "amount": 999,
                "source": "direct",
            }
        ],
    )
    assert one(workspace, "social_media_roi") == pytest.approx(4.0)
    assert one(workspace, "roi_percent") == pytest.approx(400.0)


def test_zero_denominator_gives_no_value(workspace: Workspace) -> None:
    workspace.add(
        "posts",
        [
            {
                "platform": "x",
                "account": "@atelier",
                "native_id": "t",
                "published_at": "2026-10-01T09:00:00",
                "likes": 3,
                "impressions": 0,
            }
        ],
    )
    frame = workspace.kpi("engagement_rate", period="2026-10")
    assert math.isnan(frame["value"].iloc[0])
    assert frame["denominator"].iloc[0] == 0
