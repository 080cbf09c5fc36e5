"""The S demo workspace behaves like a real brand's data: sizes, seasons, platforms, care, money."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from .conftest import SPEC


def rows(db: duckdb.DuckDBPyConnection, query: str) -> list[tuple[Any, ...]]:
    """All rows of ``query``."""
    return db.execute(query).fetchall()


def row(db: duckdb.DuckDBPyConnection, query: str) -> tuple[Any, ...]:
    """The single row of ``query``."""
    found = db.execute(query).fetchone()
    assert found is not None
    return tuple(found)


def one(db: duckdb.DuckDBPyConnection, query: str) -> Any:
    """The single value of ``query``."""
    return row(db, query)[0]


def test_about_ten_thousand_posts_over_two_years(db: duckdb.DuckDBPyConnection) -> None:
    assert 8_000 <= one(db, "SELECT count(*) FROM post") <= 12_000
    first, last = row(db, "SELECT min(local_date), max(local_date) FROM post")
    assert (SPEC.end - first).days >= 725
    assert last == SPEC.end
    assert one(db, "SELECT count(DISTINCT platform) FROM account") == 6


def test_about_five_messages_per_post(db: duckdb.DuckDBPyConnection) -> None:
    ratio = one(db, "SELECT (SELECT count(*) FROM message) / (SELECT count(*) FROM post)")
    assert 4.0 <= ratio <= 6.5


def test_weekdays_see_more_posts_than_weekends(db: duckdb.DuckDBPyConnection) -> None:
    weekday, weekend = row(
        db,
        """SELECT count(*) FILTER (WHERE isodow(local_date) <= 5) / 5,
                  count(*) FILTER (WHERE isodow(local_date) > 5) / 2
           FROM post""",
    )
    assert weekday > 1.3 * weekend


def test_august_dips_and_december_and_back_to_school_peak(db: duckdb.DuckDBPyConnection) -> None:
    def per_day(table: str, day: str, value: str) -> dict[int, float]:
        return dict(
            rows(
                db,
                f"""SELECT month({day}), {value} / count(DISTINCT {day}) FROM {table}
                    GROUP BY 1""",
            )
        )

    # Website visits from search and direct: social visits follow viral posts and campaigns.
    visits = "sum(sessions) FILTER (WHERE channel_group IN ('Direct', 'Organic Search'))"
    for table, day, value in [
        ("post", "local_date", "count(*)"),
        ("message", "local_date", "count(*)"),
        ("web_traffic", "day", visits),
    ]:
        month = per_day(table, day, value)
        if table != "message":  # comments also follow heavy-tailed post reach: no strict minimum
            assert month[8] == min(month.values()), table
        assert month[12] > 1.15 * month[8], table
        assert month[9] > 1.15 * month[8], table


def test_audiences_grow_slowly(db: duckdb.DuckDBPyConnection) -> None:
    first, last = row(
        db,
        """SELECT sum(followers) FILTER (WHERE day = (SELECT min(day) FROM account_daily)),
                  sum(followers) FILTER (WHERE day = (SELECT max(day) FROM account_daily))
           FROM account_daily""",
    )
    assert 1.05 * first < last < 2.5 * first


def test_x_gives_no_reach_and_only_x_and_linkedin_give_engagements(
    db: duckdb.DuckDBPyConnection,
) -> None:
    assert one(db, "SELECT count(reach) FROM post WHERE platform = 'x'") == 0
    assert one(db, "SELECT count(reach) FROM post WHERE platform = 'instagram'") > 0
    native = rows(db, "SELECT DISTINCT platform FROM post WHERE engagements_native IS NOT NULL")
    assert {platform for (platform,) in native} == {"x", "linkedin"}
    assert one(db, "SELECT count(impressions) FROM post WHERE platform = 'tiktok'") == 0
    assert (
        one(db, "SELECT count(saves) FROM post WHERE platform IN ('facebook', 'linkedin', 'x')")
        == 0
    )
    assert one(db, "SELECT count(reach) FROM account_daily WHERE platform = 'x'") == 0


def test_native_engagements_follow_each_platform_definition(db: duckdb.DuckDBPyConnection) -> None:
    x = """SELECT count(*) FROM post WHERE platform = 'x'
           AND engagements_native <> clicks + likes + comments + shares"""
    linkedin = """SELECT count(*) FROM post WHERE platform = 'linkedin'
                  AND engagements_native <> likes + comments + shares + clicks + follows"""
    assert one(db, x) == 0
    assert one(db, linkedin) == 0


def test_impressions_are_at_least_reach(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "SELECT count(*) FROM post WHERE impressions < reach") == 0
    assert one(db, "SELECT count(*) FROM account_daily WHERE impressions < reach") == 0


@pytest.mark.parametrize(
    ("platform", "low", "high"),
    [("facebook", 0.03, 0.3), ("instagram", 0.15, 1.0), ("x", 0.02, 0.2), ("tiktok", 1.0, 6.0)],
)
def test_engagement_per_follower_is_near_benchmarks(
    db: duckdb.DuckDBPyConnection, platform: str, low: float, high: float
) -> None:
    # kpi-reference §7, median per post by follower: ~0.06 % Facebook, ~0.5 % Instagram,
    # ~0.04 % X, 2.6-5.7 % TikTok (averages run higher: 0.15 %, 0.48 %, 0.12 %, 3.7 %).
    rate = one(
        db,
        f"""SELECT 100 * median((coalesce(p.likes, 0) + coalesce(p.comments, 0)
                                 + coalesce(p.shares, 0) + coalesce(p.saves, 0)) / d.followers)
            FROM post p JOIN account_daily d ON d.account_id = p.account_id AND d.day = p.local_date
            WHERE p.platform = '{platform}'""",
    )
    assert low <= rate <= high


def test_virality_is_heavy_tailed(db: duckdb.DuckDBPyConnection) -> None:
    median, top = row(
        db,
        """SELECT median(impressions), max(impressions) FROM post
           WHERE platform = 'instagram' AND NOT is_paid""",
    )
    assert top > 15 * median


def test_followers_stock_follows_gains_and_losses(db: duckdb.DuckDBPyConnection) -> None:
    broken = """SELECT count(*) FROM (
                    SELECT followers - lag(followers) OVER (PARTITION BY account_id ORDER BY day)
                           - followers_gained + followers_lost AS gap
                    FROM account_daily) WHERE gap <> 0"""
    assert one(db, broken) == 0
    assert one(db, "SELECT count(*) FROM account_daily") == 6 * 730


def test_follower_gains_spike_after_viral_posts(db: duckdb.DuckDBPyConnection) -> None:
    typical, best = row(
        db,
        """SELECT median(followers_gained), max(followers_gained) FROM account_daily
           WHERE platform = 'instagram'""",
    )
    assert best > 4 * typical


def test_replies_and_resolutions_come_after_messages(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "SELECT count(*) FROM message WHERE first_reply_at <= created_at") == 0
    assert one(db, "SELECT count(*) FROM message WHERE resolved_at <= created_at") == 0
    assert one(db, "SELECT count(*) FROM message WHERE resolved_at < first_reply_at") == 0
    stray = "SELECT count(*) FROM message WHERE resolved_at IS NOT NULL AND NOT is_complaint"
    assert one(db, stray) == 0
    answered, resolved = row(
        db,
        """SELECT avg((first_reply_at IS NOT NULL)::INT),
                  avg((resolved_at IS NOT NULL)::INT) FILTER (WHERE is_complaint)
           FROM message""",
    )
    assert 0.2 < answered < 0.95
    assert 0.5 < resolved < 0.98


def test_replies_are_faster_in_business_hours(db: duckdb.DuckDBPyConnection) -> None:
    office, night = row(
        db,
        f"""WITH m AS (SELECT created_at AT TIME ZONE '{SPEC.timezone}' AS local,
                              date_diff('minute', created_at, first_reply_at) AS minutes
                       FROM message WHERE first_reply_at IS NOT NULL)
            SELECT median(minutes) FILTER (WHERE isodow(local) <= 5
                                           AND hour(local) BETWEEN 9 AND 16),
                   median(minutes) FILTER (WHERE hour(local) >= 22 OR hour(local) < 6)
            FROM m""",
    )
    assert office * 4 < night


def test_public_comments_belong_to_earlier_posts(db: duckdb.DuckDBPyConnection) -> None:
    private = "SELECT count(*) FROM message WHERE channel = 'private' AND post_id IS NOT NULL"
    assert one(db, private) == 0
    orphans = """SELECT count(*) FROM message m LEFT JOIN post p USING (post_id)
                 WHERE m.channel = 'public'
                   AND (p.post_id IS NULL OR m.created_at < p.published_at
                        OR m.account_id <> p.account_id)"""
    assert one(db, orphans) == 0


def test_sentiment_label_agrees_with_score_and_kind(db: duckdb.DuckDBPyConnection) -> None:
    for table in ("message", "mention"):
        disagreeing = f"""SELECT count(*) FROM {table} WHERE NOT (
            sentiment_score BETWEEN -1 AND 1 AND CASE sentiment_label
                WHEN 'positive' THEN sentiment_score >= 0.05
                WHEN 'negative' THEN sentiment_score <= -0.05
                ELSE abs(sentiment_score) < 0.05 END)"""
        assert one(db, disagreeing) == 0
    complaints, others = row(
        db,
        """SELECT avg(sentiment_score) FILTER (WHERE is_complaint),
                  avg(sentiment_score) FILTER (WHERE NOT is_complaint) FROM message""",
    )
    assert complaints < -0.3 < 0 < others
    assert one(db, "SELECT count(DISTINCT language) FROM message") == 2
    assert one(db, "SELECT count(*) FROM message WHERE is_question AND text NOT LIKE '%?%'") == 0


def test_brand_sentiment_improves_over_the_two_years(db: duckdb.DuckDBPyConnection) -> None:
    first, last = row(
        db,
        f"""SELECT avg(sentiment_score) FILTER (WHERE local_date < DATE '{SPEC.start}' + 180),
                   avg(sentiment_score) FILTER (WHERE local_date > DATE '{SPEC.end}' - 180)
            FROM message""",
    )
    assert last > first


def test_audience_segments_add_up_to_followers(db: duckdb.DuckDBPyConnection) -> None:
    worst = one(
        db,
        """SELECT max(abs(s.total - d.followers) / d.followers) FROM (
               SELECT account_id, as_of, dimension, sum(followers) AS total
               FROM audience GROUP BY ALL) s
           JOIN account_daily d ON d.account_id = s.account_id AND d.day = s.as_of""",
    )
    assert worst < 0.01
    assert one(db, "SELECT count(DISTINCT as_of) FROM audience") == 24
    assert one(db, "SELECT count(*) FROM audience WHERE segment = 'F.25-34'") > 0


def test_web_traffic_is_consistent(db: duckdb.DuckDBPyConnection) -> None:
    inconsistent = """SELECT count(*) FROM web_traffic WHERE engaged_sessions > sessions
                      OR bounces <> sessions - engaged_sessions"""
    assert one(db, inconsistent) == 0
    groups = {group for (group,) in rows(db, "SELECT DISTINCT channel_group FROM web_traffic")}
    assert groups == {
        "Direct",
        "Organic Search",
        "Organic Social",
        "Paid Social",
        "Referral",
        "Email",
    }
    stray = """SELECT count(*) FROM web_traffic WHERE is_brand_search IS NOT NULL
               AND channel_group <> 'Organic Search'"""
    assert one(db, stray) == 0
    assert one(db, "SELECT count(*) FROM web_traffic WHERE is_brand_search") > 0
    assert one(db, "SELECT DISTINCT platform FROM web_traffic WHERE source = 't.co'") == "x"
    unpaid = """SELECT count(*) FROM web_traffic
                WHERE channel_group = 'Paid Social' AND campaign_id IS NULL"""
    assert one(db, unpaid) == 0


def test_campaigns_tie_posts_costs_and_leads(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "SELECT count(*) FROM campaign") >= 8
    assert one(db, "SELECT count(*) FROM campaign WHERE platform IS NULL") > 0
    assert one(db, "SELECT count(*) FROM campaign WHERE platform IS NOT NULL") > 0
    outside = """SELECT count(*) FROM post p JOIN campaign c USING (campaign_id)
                 WHERE p.local_date NOT BETWEEN c.starts_on AND c.ends_on"""
    assert one(db, outside) == 0
    assert one(db, "SELECT count(*) FROM post WHERE is_paid AND campaign_id IS NULL") == 0
    paid, organic = row(
        db,
        """SELECT median(impressions) FILTER (WHERE is_paid),
                  median(impressions) FILTER (WHERE NOT is_paid)
           FROM post WHERE platform IN ('facebook', 'instagram')""",
    )
    assert paid > 2 * organic
    assert one(db, "SELECT count(*) FROM cost WHERE category = 'ads' AND campaign_id IS NULL") == 0
    assert one(db, "SELECT count(*) FROM lead WHERE campaign_id IS NOT NULL") > 0


def test_leads_customers_and_orders_link_up(db: duckdb.DuckDBPyConnection) -> None:
    mismatched = """SELECT count(*) FROM lead l JOIN customer c USING (customer_id)
                    WHERE c.lead_id <> l.lead_id OR c.acquired_at < l.created_at"""
    assert one(db, mismatched) == 0
    unqualified = "SELECT count(*) FROM lead WHERE customer_id IS NOT NULL AND NOT is_qualified"
    assert one(db, unqualified) == 0
    assert one(db, "SELECT count(*) FROM lead WHERE qualified_at < created_at") == 0
    orders = """SELECT count(*) FROM revenue r JOIN customer c USING (customer_id)
                WHERE r.occurred_at < c.acquired_at OR r.source <> c.source"""
    assert one(db, orders) == 0
    assert one(db, "SELECT count(*) FROM customer WHERE churned_at IS NOT NULL") > 0
    repeat = "SELECT max(n) FROM (SELECT count(*) AS n FROM revenue GROUP BY customer_id)"
    assert one(db, repeat) > 1
    kinds = {kind for (kind,) in rows(db, "SELECT DISTINCT kind FROM qualified_interaction")}
    assert kinds == {"newsletter_signup", "free_trial", "demo_request"}
    assert one(db, "SELECT count(*) FROM lead WHERE post_id IS NOT NULL") > 0


def test_business_figures_are_plausible(db: duckdb.DuckDBPyConnection) -> None:
    assert 150 <= one(db, "SELECT count(*) / 24 FROM lead") <= 1_000
    cost, customers, social_customers, social_revenue = row(
        db,
        """SELECT (SELECT sum(amount) FROM cost)::DOUBLE,
                  (SELECT count(*) FROM customer),
                  (SELECT count(*) FROM customer WHERE source IN ('organic_social', 'paid_social')),
                  (SELECT sum(amount) FROM revenue
                   WHERE source IN ('organic_social', 'paid_social'))::DOUBLE""",
    )
    assert 10 <= cost / customers <= 100  # customer acquisition cost, in euros
    assert 10 <= cost / social_customers <= 100
    assert 1.5 <= (social_revenue - cost) / cost <= 10  # social ROI: a few times the cost
    shared = """SELECT count(*) FROM cost
                WHERE category IN ('tools', 'staff') AND platform IS NOT NULL"""
    assert one(db, shared) == 0
    assert one(db, "SELECT DISTINCT currency FROM revenue") == "EUR"


def test_recommendations_are_adopted_by_a_fifth_to_two_fifths(
    db: duckdb.DuckDBPyConnection,
) -> None:
    assert 0.2 <= one(db, "SELECT sum(users_acted) / sum(users_exposed) FROM recommendation") <= 0.4
    kinds = {kind for (kind,) in rows(db, "SELECT DISTINCT kind FROM recommendation")}
    assert kinds == {"best_time", "format", "topic", "budget"}


def test_mentions_and_tags(db: duckdb.DuckDBPyConnection) -> None:
    kinds = dict(rows(db, "SELECT kind, count(*) FROM mention GROUP BY 1"))
    assert kinds["mention"] > kinds["tag"] > 0
    assert one(db, "SELECT count(*) FROM mention WHERE account_id IS NULL AND kind = 'tag'") == 0
