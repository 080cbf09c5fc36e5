"""The demo's touchpoints tell believable journeys, and its costs are tagged without moving."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from cadran.sources.demo import Chunk
from cadran.sources.demo.blueprint import Blueprint
from cadran.sources.demo.costs import cost_table

from .conftest import SPEC

# A person's touches: those of a lead up to its creation (its journey to the lead), then, for a
# converted lead, those between the lead and the purchase (both ids set); buyers who were never
# leads have touches with customer_id only.
LEAD_TOUCHES = """
    SELECT t.*, l.created_at, l.source AS lead_source, l.platform AS lead_platform,
           l.campaign_id AS lead_campaign, l.post_id AS lead_post,
           row_number() OVER (PARTITION BY t.lead_id ORDER BY t.occurred_at, t.touchpoint_id)
               AS position,
           count(*) OVER (PARTITION BY t.lead_id) AS touches
    FROM touchpoint AS t JOIN lead AS l USING (lead_id)
    WHERE t.customer_id IS NULL
"""
BUYER_TOUCHES = """
    SELECT t.*, c.acquired_at, c.source AS customer_source, c.platform AS customer_platform,
           c.campaign_id AS customer_campaign,
           row_number() OVER (PARTITION BY t.customer_id ORDER BY t.occurred_at, t.touchpoint_id)
               AS position,
           count(*) OVER (PARTITION BY t.customer_id) AS touches
    FROM touchpoint AS t JOIN customer AS c USING (customer_id)
    WHERE t.lead_id IS NULL
"""


def row(db: duckdb.DuckDBPyConnection, query: str) -> tuple[Any, ...]:
    """The single row of ``query``."""
    found = db.execute(query).fetchone()
    assert found is not None
    return tuple(found)


def one(db: duckdb.DuckDBPyConnection, query: str) -> Any:
    """The single value of ``query``."""
    return row(db, query)[0]


def count(db: duckdb.DuckDBPyConnection, table: str, where: str) -> int:
    """Rows of ``table`` matching ``where``."""
    return int(one(db, f"SELECT count(*) FROM {table} WHERE {where}"))


def shares(db: duckdb.DuckDBPyConnection, query: str) -> dict[str, float]:
    """Share of each channel among the rows of ``query`` (which has a ``channel`` column)."""
    found = db.execute(
        f"SELECT channel, count(*) / sum(count(*)) OVER () FROM ({query}) GROUP BY channel"
    ).fetchall()
    return {str(channel): float(share) for channel, share in found}


def test_every_touch_belongs_to_a_lead_or_customer_that_exists(
    db: duckdb.DuckDBPyConnection,
) -> None:
    assert one(db, "SELECT count(*) FROM touchpoint") > 20_000
    assert count(db, "touchpoint", "lead_id IS NULL AND customer_id IS NULL") == 0
    orphans = """(lead_id IS NOT NULL AND lead_id NOT IN (SELECT lead_id FROM lead))
                 OR (customer_id IS NOT NULL
                     AND customer_id NOT IN (SELECT customer_id FROM customer))"""
    assert count(db, "touchpoint", orphans) == 0
    # A touch naming both is the lead's, on its way to becoming that customer.
    both = "touchpoint AS t JOIN customer AS c USING (customer_id)"
    assert count(db, both, "t.lead_id IS NOT NULL AND c.lead_id IS DISTINCT FROM t.lead_id") == 0
    assert count(db, "touchpoint", "customer_id IS NOT NULL") > 1_000


def test_touches_precede_the_conversion_they_lead_to(db: duckdb.DuckDBPyConnection) -> None:
    assert count(db, f"({LEAD_TOUCHES})", "occurred_at > created_at") == 0
    assert count(db, f"({BUYER_TOUCHES})", "occurred_at > acquired_at") == 0
    closing = """touchpoint AS t JOIN lead AS l USING (lead_id)
                 JOIN customer AS c ON c.customer_id = t.customer_id"""
    assert count(db, closing, "t.occurred_at <= l.created_at OR t.occurred_at > c.acquired_at") == 0
    first, last = row(db, "SELECT min(local_date), max(local_date) FROM touchpoint")
    assert (first, last) == (SPEC.start, SPEC.end)  # tracking starts with the data
    # Journeys to a lead span up to a month.
    assert 25 <= one(db, f"SELECT max(created_at - occurred_at) FROM ({LEAD_TOUCHES})").days <= 31


def test_the_last_touch_before_a_lead_is_its_recorded_source(
    db: duckdb.DuckDBPyConnection,
) -> None:
    differ = """position = touches
                AND (CAST(channel AS VARCHAR) <> CAST(lead_source AS VARCHAR)
                     OR platform IS DISTINCT FROM lead_platform
                     OR campaign_id IS DISTINCT FROM lead_campaign
                     OR post_id IS DISTINCT FROM lead_post
                     OR created_at - occurred_at > INTERVAL 20 MINUTE
                     OR interaction NOT IN ('visit', 'click'))"""
    assert count(db, f"({LEAD_TOUCHES})", differ) == 0
    buyers = """position = touches
                AND (CAST(channel AS VARCHAR) <> CAST(customer_source AS VARCHAR)
                     OR platform IS DISTINCT FROM customer_platform
                     OR campaign_id IS DISTINCT FROM customer_campaign)"""
    assert count(db, f"({BUYER_TOUCHES})", buyers) == 0
    assert row(db, f"SELECT min(touches), max(touches) FROM ({BUYER_TOUCHES})") == (1, 3)


def test_about_three_percent_of_leads_have_no_touch(db: duckdb.DuckDBPyConnection) -> None:
    touched = f"lead_id IN (SELECT lead_id FROM ({LEAD_TOUCHES}))"
    untouched = f"SELECT avg(CAST(NOT {touched} AS INTEGER)) FROM lead"
    assert 0.02 <= one(db, untouched) <= 0.045
    assert count(db, "lead", f"source = 'other' AND {touched}") == 0  # offline leads
    assert count(db, "lead", "source = 'other'") > 0


def test_journeys_are_a_few_touches_long(db: duckdb.DuckDBPyConnection) -> None:
    per_lead = f"SELECT DISTINCT lead_id, touches FROM ({LEAD_TOUCHES})"
    mean, longest = row(db, f"SELECT avg(touches), max(touches) FROM ({per_lead})")
    assert 2.2 <= mean <= 2.8  # the lead's own visit and ~1.5 earlier touches
    assert longest <= 9
    closing = """SELECT max(n) FROM (SELECT count(*) AS n FROM touchpoint
                 WHERE lead_id IS NOT NULL AND customer_id IS NOT NULL GROUP BY customer_id)"""
    assert one(db, closing) == 3
    # Future customers were in touch more often before becoming leads.
    buyers, others = row(
        db,
        f"""SELECT avg(touches) FILTER (WHERE l.customer_id IS NOT NULL),
                   avg(touches) FILTER (WHERE l.customer_id IS NULL)
            FROM ({per_lead}) JOIN lead AS l USING (lead_id)""",
    )
    assert buyers > others + 0.3


def test_channels_change_along_the_journey(db: duckdb.DuckDBPyConnection) -> None:
    first = shares(db, f"SELECT * FROM ({LEAD_TOUCHES}) WHERE position = 1 AND touches > 1")
    middle = shares(db, f"SELECT * FROM ({LEAD_TOUCHES}) WHERE position > 1 AND position < touches")
    closing = shares(db, "SELECT * FROM touchpoint WHERE lead_id > 0 AND customer_id > 0")
    assert first["organic_social"] > 0.3  # social media is where people discover the brand
    assert first["organic_social"] > 2 * closing["organic_social"]
    assert middle["paid_social"] > 1.5 * first["paid_social"]  # ads while they consider
    assert closing["email"] + closing["direct"] > 0.6  # newsletters and direct visits close
    assert closing["email"] > 2 * first["email"]
    assert set(first) | set(middle) | set(closing) <= {
        "organic_social", "paid_social", "organic_search", "direct", "referral", "email",
    }  # fmt: skip
    # Future customers discovered the brand through social media more often.
    social = """SELECT avg(CAST(channel = 'organic_social' AS INTEGER)) FROM ({touches})
                JOIN lead AS l USING (lead_id) WHERE position = 1 AND touches > 1
                AND l.customer_id IS {which} NULL"""
    buyers = one(db, social.format(touches=LEAD_TOUCHES, which="NOT"))
    assert buyers > one(db, social.format(touches=LEAD_TOUCHES, which="")) + 0.05


def test_sources_mediums_and_interactions_fit_the_channel(db: duckdb.DuckDBPyConnection) -> None:
    found = db.execute("SELECT DISTINCT channel, source, medium FROM touchpoint").fetchall()
    allowed = {
        "organic_social": ({"facebook.com", "instagram.com", "lnkd.in", "t.co", "tiktok.com",
                            "youtube.com", "pinterest.com", "facebook", "instagram", "linkedin",
                            "x", "tiktok", "youtube"}, {"referral", "social"}),
        "paid_social": ({"facebook", "instagram", "linkedin", "x", "tiktok", "youtube"},
                        {"paid_social"}),
        "organic_search": ({"google", "bing"}, {"organic"}),
        "direct": ({"(direct)"}, {"(none)"}),
        "referral": ({"lemonde.fr", "theguardian.com", "medium.com", "chatgpt.com"},
                     {"referral"}),
        "email": ({"newsletter"}, {"email"}),
    }  # fmt: skip
    for channel, source, medium in found:
        sources, mediums = allowed[str(channel)]
        assert source in sources and medium in mediums, (channel, source, medium)
    # utm tags: campaign touches carry the campaign's name, emails the newsletter's; links in
    # posts and campaign visits are tagged (medium social), other social visits are referrals.
    untagged = """(utm_campaign IS NOT NULL) <> (campaign_id IS NOT NULL OR channel = 'email')
                  OR (medium = 'social') <> (channel = 'organic_social'
                                             AND (post_id > 0 OR campaign_id > 0))"""
    assert count(db, "touchpoint", untagged) == 0
    emails = "SELECT count(DISTINCT utm_campaign) FROM touchpoint WHERE channel = 'email'"
    assert one(db, emails) == 2  # the newsletter, and nurturing emails after the lead
    seen = "interaction IN ('view', 'open')"  # a post or an ad seen, an email opened
    reached = "channel IN ('organic_social', 'paid_social', 'email')"
    assert count(db, "touchpoint", f"{seen} AND NOT {reached}") == 0
    assert count(db, "touchpoint", seen) > 1_000


def test_social_touches_are_on_the_brands_accounts_and_campaigns(
    db: duckdb.DuckDBPyConnection,
) -> None:
    social = "channel IN ('organic_social', 'paid_social')"
    elsewhere = "platform IS NOT NULL AND platform NOT IN (SELECT platform FROM account)"
    assert count(db, "touchpoint", f"{social} AND {elsewhere}") == 0
    assert count(db, "touchpoint", f"NOT {social} AND platform IS NOT NULL") == 0
    assert count(db, "touchpoint", "channel = 'paid_social' AND campaign_id IS NULL") == 0
    # Ads are only seen while their campaign runs and pays for that platform (the visit may
    # start before midnight on the eve of a campaign).
    outside = """t.local_date NOT BETWEEN c.starts_on - 1 AND c.ends_on
                 AND (t.channel = 'paid_social' OR t.post_id IS NULL)"""
    assert count(db, "touchpoint AS t JOIN campaign AS c USING (campaign_id)", outside) == 0
    unpaid = """channel = 'paid_social'
                AND NOT EXISTS (SELECT 1 FROM cost AS k WHERE k.category = 'ads'
                                AND k.campaign_id = t.campaign_id AND k.platform = t.platform)"""
    assert count(db, "touchpoint AS t", unpaid) == 0


def test_social_touches_name_earlier_posts_of_the_same_platform(
    db: duckdb.DuckDBPyConnection,
) -> None:
    wrong = """p.published_at > t.occurred_at OR p.platform <> t.platform
               OR t.occurred_at - p.published_at > INTERVAL 7 DAY"""
    assert count(db, "touchpoint AS t JOIN post AS p USING (post_id)", wrong) == 0
    not_social = "post_id IS NOT NULL AND channel NOT IN ('organic_social', 'paid_social')"
    assert count(db, "touchpoint", not_social) == 0
    named = """SELECT avg(CAST(post_id IS NOT NULL AS INTEGER)) FROM touchpoint
               WHERE channel = 'organic_social' AND lead_id IS NOT NULL AND customer_id IS NULL"""
    assert 0.25 <= one(db, named) <= 0.6
    # Entertaining posts bring people in; the posts people sign up from are any posts.
    first, last = row(
        db,
        f"""SELECT avg(CAST(p.topic = 'entertainment' AS INTEGER))
                       FILTER (WHERE t.position = 1 AND t.touches > 1),
                   avg(CAST(p.topic = 'entertainment' AS INTEGER))
                       FILTER (WHERE t.position = t.touches)
            FROM ({LEAD_TOUCHES}) AS t JOIN post AS p USING (post_id)""",
    )
    assert first > last + 0.05


def test_costs_are_tagged_and_split_by_pillar_without_changing_totals(
    chunks: list[Chunk], db: duckdb.DuckDBPyConnection
) -> None:
    assert count(db, "cost", "channel IS NULL") == 0
    assert count(db, "cost", "category = 'ads' AND channel <> 'paid_social'") == 0
    assert count(db, "cost", "category <> 'ads' AND channel <> 'organic_social'") == 0
    assert count(db, "cost", "category IN ('ads', 'tools', 'staff') AND pillar IS NOT NULL") == 0
    pillars = db.execute("SELECT DISTINCT pillar FROM cost WHERE category = 'content'").fetchall()
    assert {p for (p,) in pillars} == {
        "product",
        "promotion",
        "useful",
        "entertainment",
        "lifestyle",
    }
    # The same invoices as without the split, to the cent, per period, category and platform.
    keys = ["period_start", "period_end", "category", "platform", "campaign_id"]
    whole = cost_table(Blueprint.build(SPEC))
    split = pa.concat_tables(c.data for c in chunks if c.table == "cost")
    assert split.num_rows > whole.num_rows
    assert whole.column("pillar").null_count == whole.num_rows

    def totals(table: pa.Table) -> dict[tuple[Any, ...], Any]:
        out: dict[tuple[Any, ...], Any] = {}
        for item in table.select([*keys, "amount"]).to_pylist():
            key = tuple(item[k] for k in keys)
            out[key] = out.get(key, 0) + item["amount"]  # Decimal: exact
        return out

    assert totals(split) == totals(whole)
