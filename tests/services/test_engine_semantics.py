"""How the engine aggregates: stocks, unique counts, zeros, time zones, periods, comparisons."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cadran.core.errors import DefinitionError, PeriodError, UsageError
from cadran.services.workspace import Workspace


def values(frame, key: str = "platform") -> dict[object, float]:
    return {row[key]: row["value"] for row in frame.to_dict(orient="records")}


def post(
    native_id: str, when: str, platform: str = "instagram", account: str = "@a", **metrics: object
) -> dict[object, object]:
    return {
        "platform": platform,
        "account": account,
        "native_id": native_id,
        "published_at": when,
        **metrics,
    }


def test_followers_are_a_stock_last_value_per_account_then_summed(workspace: Workspace) -> None:
    workspace.add(
        "account_daily",
        [
            {"platform": "instagram", "account": "@a", "day": "2026-10-01", "followers": 100},
            {"platform": "instagram", "account": "@a", "day": "2026-10-20", "followers": 130},
            {"platform": "instagram", "account": "@b", "day": "2026-10-05", "followers": 50},
            {"platform": "instagram", "account": "@b", "day": "2026-10-31", "followers": None},
            {"platform": "x", "account": "@a", "day": "2026-10-31", "followers": 7},
        ],
    )
    by_platform = values(workspace.kpi("followers", period="2026-10", by="platform"))
    # @b's last day has no follower count: its last known value (50) is used.
    assert by_platform == {"instagram": 180, "x": 7}
    assert workspace.kpi("followers", period="2026-10")["value"].iloc[0] == 187
    # Over a quarter the stock is still the last value, never a sum of days.
    assert workspace.kpi("followers", period="2026-Q4")["value"].iloc[0] == 187


def test_reach_is_never_summed(workspace: Workspace) -> None:
    workspace.add(
        "posts",
        [post("p1", "2026-10-02T10:00", reach=100), post("p2", "2026-10-03T10:00", reach=80)],
    )
    assert math.isnan(workspace.kpi("reach", period="2026-10")["value"].iloc[0])
    by_post = workspace.kpi("reach", period="2026-10", by="post")
    assert values(by_post, "post") == {"instagram:p1": 100, "instagram:p2": 80}


def test_absent_key_counts_zero_only_when_the_fact_has_data(workspace: Workspace) -> None:
    workspace.add(
        "posts",
        [
            post("p1", "2026-09-15T10:00", likes=5),
            post("t1", "2026-10-15T10:00", platform="x", likes=3),
        ],
    )
    frame = workspace.kpi("likes", period="2026-10", by="platform")
    assert values(frame) == {"instagram": 0, "x": 3}
    # No comment rows at all: the count of public comments is unknown, not zero.
    assert math.isnan(workspace.kpi("public_comments", period="2026-10")["value"].iloc[0])
    # A platform that does not report saves keeps no value rather than 0.
    assert math.isnan(workspace.kpi("saves", period="2026-10", platform="x")["value"].iloc[0])


def test_local_dates_follow_the_workspace_time_zone(workspace: Workspace) -> None:
    # 23:30 UTC on 31 October is 00:30 on 1 November in Paris.
    workspace.add(
        "posts",
        [
            post("late", "2026-10-31T23:30:00+00:00", likes=1),
            post("naive", "2026-10-31T23:30:00", likes=10),
        ],
    )
    october = workspace.kpi("likes", period="2026-10", compare="none")["value"].iloc[0]
    november = workspace.kpi("likes", period="2026-11", compare="none")["value"].iloc[0]
    assert (october, november) == (10, 1)


def test_custom_range_compares_with_the_range_just_before(workspace: Workspace) -> None:
    workspace.add(
        "posts",
        [
            post("a", "2026-10-01T10:00", likes=1),
            post("b", "2026-10-10T10:00", likes=2),
            post("c", "2026-10-11T10:00", likes=4),
            post("d", "2026-10-20T10:00", likes=8),
        ],
    )
    frame = workspace.kpi("likes", start="2026-10-11", end="2026-10-20")
    row = frame.iloc[0]
    assert (row["value"], row["previous_value"]) == (12, 3)
    assert str(row["period_start"]) == "2026-10-11" and str(row["period_end"]) == "2026-10-20"
    assert row["change"] == pytest.approx(300.0)


def test_grain_splits_a_period_and_year_comparison(workspace: Workspace) -> None:
    workspace.add(
        "posts",
        [post("old", "2025-11-05T10:00", likes=2), post("new", "2026-11-05T10:00", likes=6)],
    )
    frame = workspace.kpi("likes", period="2026", grain="quarter", compare="year")
    assert list(frame["period_start"].astype(str)) == [
        "2026-01-01",
        "2026-04-01",
        "2026-07-01",
        "2026-10-01",
    ]
    q4 = frame.iloc[3]
    assert (q4["value"], q4["previous_value"], q4["change"]) == (6, 2, 200)


def test_misaligned_range_with_a_grain_is_refused(workspace: Workspace) -> None:
    workspace.add("posts", [post("a", "2026-10-01T10:00", likes=1)])
    with pytest.raises(PeriodError, match="not the first day of a month; use 2026-01-01"):
        workspace.kpi("likes", start="2026-01-15", end="2026-03-31", grain="month")


def test_breakdown_unsupported_by_a_kpi_is_refused(workspace: Workspace) -> None:
    workspace.add("posts", [post("a", "2026-10-01T10:00", likes=1)])
    with pytest.raises(UsageError, match="cannot be broken down or filtered by 'format'"):
        workspace.kpi("followers", period="2026-10", by="format")


def test_message_breakdown_by_post_format_goes_through_the_post(workspace: Workspace) -> None:
    workspace.add(
        "posts",
        [
            post("v", "2026-10-01T10:00", format="video"),
            post("i", "2026-10-01T11:00", format="image"),
        ],
    )
    workspace.add(
        "messages",
        [
            {
                "platform": "instagram",
                "account": "@a",
                "native_id": f"m{i}",
                "channel": "public",
                "post": "v" if i < 3 else "i",
                "created_at": "2026-10-02T10:00",
            }
            for i in range(4)
        ],
    )
    assert values(workspace.kpi("public_comments", period="2026-10", by="format"), "format") == {
        "image": 1,
        "video": 3,
    }


def test_mean_per_post_against_pooled(workspace: Workspace) -> None:
    workspace.add(
        "posts",
        [
            post("a", "2026-10-01T10:00", likes=10, reach=100, impressions=100),
            post("b", "2026-10-02T10:00", likes=90, reach=300, impressions=300),
        ],
    )
    mean_per_post = workspace.kpi("engagement_rate_reach", period="2026-10").iloc[0]
    assert mean_per_post["value"] == pytest.approx((10 + 30) / 2)
    assert (mean_per_post["numerator"], mean_per_post["denominator"]) == (40, 2)
    pooled = workspace.kpi("engagement_rate", period="2026-10").iloc[0]
    assert pooled["value"] == pytest.approx(100 * 100 / 400)


def test_average_per_post_counts_posts_without_messages(
    workspace: Workspace, tmp_path: Path
) -> None:
    (workspace.folder.kpi_dir / "mine.yaml").write_text(
        """
- id: comments_received_per_post
  name: {en: Comments received per post, fr: Commentaires reçus par publication}
  description: {en: Public comments per post., fr: Commentaires publics par publication.}
  category: average_per
  formula: "avg_per(messages[channel = 'public'], post)"
  unit: ratio
  direction: higher_is_better
  aggregation: mean_per_post
""",
        encoding="utf-8",
    )
    workspace.add("posts", [post("a", "2026-10-01T10:00"), post("b", "2026-10-01T11:00")])
    workspace.add(
        "messages",
        [
            {
                "platform": "instagram",
                "account": "@a",
                "native_id": f"m{i}",
                "channel": "public",
                "post": "a",
                "created_at": "2026-10-02T10:00",
            }
            for i in range(4)
        ],
    )
    row = workspace.kpi("comments_received_per_post", period="2026-10").iloc[0]
    assert (row["value"], row["numerator"], row["denominator"]) == (2, 4, 2)


def test_workspace_kpi_with_a_malformed_formula_names_file_and_line(workspace: Workspace) -> None:
    path = workspace.folder.kpi_dir / "broken.yaml"
    path.write_text(
        """- id: bad_one
  name: {en: Bad, fr: Mauvais}
  description: {en: x, fr: x}
  category: engagement
  formula: likes / (impressions
  unit: ratio
  direction: higher_is_better
  aggregation: pooled
""",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as info:
        workspace.kpi("likes", period="2026-10")
    message = str(info.value)
    assert str(path) in message and "line 5" in message
    assert "expected ')' but found end of formula at column 21" in message


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('id')",
        "likes; DROP TABLE post",
        "likes[platform = 'x'' OR 1=1 --']",
        "eval(likes)",
    ],
)
def test_hostile_formulas_are_refused_cleanly(workspace: Workspace, formula: str) -> None:
    (workspace.folder.kpi_dir / "hostile.yaml").write_text(
        f"""- id: hostile
  name: {{en: H, fr: H}}
  description: {{en: x, fr: x}}
  category: engagement
  formula: "{formula.replace('"', "")}"
  unit: ratio
  direction: higher_is_better
  aggregation: pooled
""",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match="hostile"):
        _ = workspace.catalogue
    assert workspace.warehouse.scalar("SELECT count(*) FROM post") == 0


def test_empty_workspace_is_a_clear_error(workspace: Workspace) -> None:
    from cadran.core.errors import WorkspaceError

    with pytest.raises(WorkspaceError, match="holds no data yet"):
        workspace.kpi("likes", period="2026-10")


def test_pooled_ratio_counts_the_same_rows_on_both_sides(workspace: Workspace) -> None:
    # TikTok gives no impressions: its engagements must not inflate the pooled rate.
    workspace.add(
        "posts",
        [
            post("ig", "2026-10-02T10:00", likes=30, impressions=1000),
            post("tt", "2026-10-02T10:00", platform="tiktok", likes=500, video_views=4000),
        ],
    )
    overall = workspace.kpi("engagement_rate", period="2026-10").iloc[0]
    assert (overall["value"], overall["numerator"], overall["denominator"]) == (3.0, 30, 1000)
    by_platform = workspace.kpi("engagement_rate", period="2026-10", by="platform")
    assert math.isnan(values(by_platform)["tiktok"])
    assert workspace.kpi("engagement_rate_views", period="2026-10")["value"].iloc[0] == 12.5


def test_change_is_empty_from_a_zero_or_negative_base(workspace: Workspace) -> None:
    workspace.add(
        "account_daily",
        [
            {"platform": "x", "account": "@a", "day": d, "followers_gained": g, "followers_lost": 5}
            for d, g in (("2026-08-15", 5), ("2026-09-15", 2), ("2026-10-15", 9))
        ],
    )
    frame = workspace.kpi("net_follower_growth", period="2026-10")
    assert (frame["value"].iloc[0], frame["previous_value"].iloc[0]) == (4, -3)
    assert math.isnan(frame["change"].iloc[0])
    september = workspace.kpi("net_follower_growth", period="2026-09").iloc[0]
    assert september["previous_value"] == 0 and math.isnan(september["change"])
