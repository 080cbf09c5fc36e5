"""Hand-written DuckDB SQL for the benchmark task, independent of Cadran's planner.

The task: every KPI of the built-in catalogue that can be broken down by platform, for every
calendar month of a range, by platform (and by audience segment for the demographic
distributions), no comparison. The result is a long table with one row per KPI, month and
key: ``kpi, period_start, platform, segment, value, numerator, denominator``.

It is written the way an analyst would write it by hand, and serves as an oracle for the
engine (``tests/bench/test_reference_agreement.py``):

1. one aggregate query per fact table, grouped by month and platform, computing every measure
   the catalogue needs with FILTER clauses (stocks and the audience in two levels: last value
   per account, then summed);
2. a (month, platform) grid: every month of the range (plus the month before, for
   ``previous()``) x every platform seen in the facts, on which each fact's sums and counts are
   0 where the fact has rows that month but none for the platform, and NULL where the fact has
   no row at all that month;
3. the KPI formulas written out as SQL expressions over those columns.

Which rows a KPI has: every month x every platform that has rows the filters of the KPI's own
measures select, anywhere in the range (the complete cases of pooled ratios decide which rows
are counted, not which keys exist). ``direct_traffic`` (sessions whose channel group
is Direct) therefore only has the rows without a platform, ``likes`` has the platforms with
posts, ``social_media_budget`` also has the costs shared by all platforms (no platform). This
does not depend on which other KPIs are evaluated. The audience distributions have the (month,
platform, segment) keys of their own dimension's snapshot rows, without a month grid.

Semantics reproduced (docs/kpi-language.md and the benchmark brief):

* a sum over rows whose values are all NULL is NULL; a filtered sum with no matching row is 0;
* unique counts (reach, account_reach) only exist for a group of exactly one row;
* stocks: followers = last known value per account in the month, summed over accounts;
  followers_opening = first known value;
* pooled ratios whose parts come from the same fact only count complete cases: each sum or
  count of that fact only counts rows where every other summed value of the formula is known;
* ``mean_per_post`` KPIs average the per-post value over posts where it is known;
* division by zero gives NULL; ``days`` is the number of days in the month;
* numerator and denominator are those of the formula's top-level division, without its
  constant factors (``a / b * 100``: ``a`` and ``b``; ``a / b * 365 / days * k``: ``a / b`` and
  ``days``); for a KPI without division the numerator is the value; for ``mean_per_post`` the
  sum and the count of the per-post values.

The KPIs without a platform breakdown (the churn rate and the churn-based lifetime value read
the customer base per day, which has no platform) are outside the task; ``evaluate_totals``
computes them per month for the whole workspace, in the same long table.

Run it alone on a workspace::

    .venv/bin/python bench/reference_sql.py bench/.cache/S-42
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
PARAMETERS_FILE = ROOT / "src" / "cadran" / "definitions" / "parameters.yaml"

FIRST = date(2024, 11, 1)
LAST = date(2026, 10, 31)
SOCIAL = "('organic_social', 'paid_social')"
OUTPUT_COLUMNS = ["kpi", "period_start", "platform", "segment", "value", "numerator", "denominator"]


def parameters(workspace: Path | None = None) -> dict[str, float]:
    """The built-in parameters, overridden by the workspace's ``[parameters]``."""
    values = {k: float(v["value"]) for k, v in yaml.safe_load(PARAMETERS_FILE.read_text()).items()}
    if workspace is not None and (workspace / "cadran.toml").exists():
        config = tomllib.loads((workspace / "cadran.toml").read_text())
        values.update({k: float(v) for k, v in config.get("parameters", {}).items()})
    return values


def month_before(d: date) -> date:
    """The first day of the month before the month of ``d``."""
    return date(d.year - 1, 12, 1) if d.month == 1 else date(d.year, d.month - 1, 1)


def month_after(d: date) -> date:
    """The first day of the month after the month of ``d``."""
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


def div(a: str, b: str) -> str:
    """``a / b`` as a double, NULL when ``b`` is 0."""
    return f"(CAST({a} AS DOUBLE) / NULLIF({b}, 0))"


@dataclass(frozen=True)
class Kpi:
    """One KPI: which platforms it has, and its three output expressions.

    ``reads`` is a condition over the flags of the `platforms` CTE: a KPI has a row for every
    platform that has rows its measures' filters select (its grid: those platforms x every
    month). Complete cases of pooled ratios decide which rows count, not which keys exist.
    """

    reads: str
    value: str
    numerator: str
    denominator: str = "NULL"


def plain(reads: str, column: str) -> Kpi:
    """A KPI that is one measure: the value is also the numerator."""
    return Kpi(reads, column, column)


def ratio(reads: str, a: str, b: str, scale: str = "") -> Kpi:
    """``a / b`` (times ``scale``), with ``a`` and ``b`` as numerator and denominator."""
    return Kpi(reads, f"{div(a, b)}{scale}", a, b)


def mean_per_post(total: str, count: str) -> Kpi:
    """The mean of a per-post value: sum of the values over their count."""
    return Kpi("post", div(total, count), total, count)


# Brand sentiment: positive comments and mentions over all positive and negative ones.
_BSS_NUM = "(coalesce(m_positive, 0) + coalesce(n_positive, 0))"
_BSS_DEN = (
    "(coalesce(m_positive, 0) + coalesce(m_negative, 0)"
    " + coalesce(n_positive, 0) + coalesce(n_negative, 0))"
)
_ER = f"({div('er_engagements', 'er_impressions')} * 100)"

# KPI id -> definition, written out from src/cadran/definitions/kpis/*.yaml. Column names are
# those of the `wide` CTE below; `er`, `er_prev`, `bss`, `bss_prev` come from its last layers.
# Flags of `reads` (see the `platforms` CTE): `post` = the platform has posts, `lead_social` =
# it has social leads, `post_paid` = it has boosted posts, and so on.
KPIS: dict[str, Kpi] = {
    # -- average_per ---------------------------------------------------------------------------
    "avg_clicks_per_post": mean_per_post("pp_clicks", "pp_clicks_n"),
    "avg_shares_per_post": mean_per_post("pp_shares", "pp_shares_n"),
    "avg_comments_per_post": mean_per_post("pp_comments", "pp_comments_n"),
    # -- conversions_finance -------------------------------------------------------------------
    "leads_generated": plain("lead_social", "leads_social"),
    "cost_per_lead": ratio("cost OR lead_social", "cost", "leads_social"),
    "customer_acquisition_cost": ratio("cost OR customer_social", "cost", "customers_social"),
    "new_customers": plain("customer_social", "customers_social"),
    "social_lead_conversion_rate": ratio(
        "lead_social", "leads_social_converted", "leads_social", " * 100"
    ),
    "revenue_generated": plain("revenue_social", "revenue_social"),
    "average_order_value": ratio("revenue", "revenue", "orders_with_amount"),
    "qualified_interactions": plain("qualified_interaction", "qualified_interactions"),
    "cost_per_qualified_interaction": ratio(
        "cost OR qualified_interaction", "cost", "qualified_interactions"
    ),
    "conversion_rate": ratio(
        "qualified_interaction_social OR web_social",
        "qualified_interactions_social",
        "sessions_social",
        " * 100",
    ),
    "social_media_roi": ratio("cost OR revenue_social", "(revenue_social - cost)", "cost"),
    "roi_percent": ratio("cost OR revenue_social", "(revenue_social - cost)", "cost", " * 100"),
    # -- engagement ----------------------------------------------------------------------------
    "engagement_rate": Kpi("post", _ER, "er_engagements", "er_impressions"),
    "engagement_rate_reach": mean_per_post("pp_err", "pp_err_n"),
    "engagement_rate_followers": ratio(
        "account_daily OR post", "engagements", "followers", " * 100"
    ),
    "engagements": plain("post", "engagements"),
    "likes": plain("post", "likes"),
    "comments": plain("post", "comments"),
    "shares": plain("post", "shares"),
    "saves": plain("post", "saves"),
    "clicks": plain("post", "clicks"),
    "video_views": plain("post", "video_views"),
    "impressions": plain("post", "impressions"),
    "reach": plain("post", "reach"),
    "account_reach": plain("account_daily", "account_reach"),
    "profile_visits": plain("account_daily", "profile_visits"),
    "account_engagement_rate": ratio(
        "account_daily", "aer_engagements", "aer_impressions", " * 100"
    ),
    "followers": plain("account_daily", "followers"),
    "public_comments": plain("message_public", "public_messages"),
    "private_questions": plain("message_private", "private_messages"),
    "click_through_rate": ratio("post", "ctr_clicks", "ctr_impressions", " * 100"),
    "virality_rate": ratio("post", "vir_shares", "vir_impressions", " * 100"),
    "amplification_rate": mean_per_post("pp_shares", "pp_shares_n"),
    "applause_rate": mean_per_post("pp_likes", "pp_likes_n"),
    "conversation_rate": mean_per_post("pp_comments", "pp_comments_n"),
    "engagement_rate_improvement": ratio("post", "(er - er_prev)", "er_prev", " * 100"),
    "content_virality_rate": ratio(
        "account_daily OR post",
        "((cv_shares + cv_likes) + cv_comments)",
        "(cv_posts * followers)",
        " * 100",
    ),
    "engagement_rate_views": ratio("post", "erv_engagements", "erv_video_views", " * 100"),
    # -- inbound_traffic -----------------------------------------------------------------------
    "direct_traffic": plain("web_direct", "sessions_direct"),
    "indirect_traffic": plain("web_brand_search", "sessions_brand_search"),
    "social_traffic": plain("web_social", "sessions_social"),
    # -- internal ------------------------------------------------------------------------------
    "posts_per_period": plain("post", "posts"),
    "posts_per_day": ratio("post", "posts", "days"),
    "response_time": plain("message", "reply_hours_mean"),
    "response_time_median": plain("message", "reply_hours_median"),
    "response_time_business": plain("message", "reply_business_mean"),
    "response_time_business_median": plain("message", "reply_business_median"),
    "response_time_public": plain("message_public", "reply_public_mean"),
    "response_time_private": plain("message_private", "reply_private_mean"),
    "unanswered_questions": plain("message_unanswered_question", "unanswered_questions"),
    "complaint_resolution_rate": ratio(
        "message_complaint", "resolved_complaints", "complaints", " * 100"
    ),
    "formal_readability_index": plain("post", "readability"),
    "content_quality_index": plain("post", "content_quality"),
    "ai_recommendation_adoption_rate": ratio(
        "recommendation", "rec_acted", "rec_exposed", " * 100"
    ),
    # -- paid ----------------------------------------------------------------------------------
    "social_media_budget": plain("cost", "cost"),
    "paid_cost_per_lead": ratio("cost_ads OR lead_paid_social", "cost_ads", "leads_paid_social"),
    "cost_per_click": ratio("cost_ads OR post_paid", "cost_ads", "paid_clicks"),
    "roas": ratio("cost_ads OR revenue_social", "revenue_social", "cost_ads"),
    "customer_lifetime_value": Kpi(
        "revenue_social",
        # revenue[social] / buyers[social] * 365 / days * $customer_lifespan_years * $gross_margin
        f"(({div(div('revenue_social', 'buyers_social') + ' * 365', 'days')}"
        " * {customer_lifespan_years}) * {gross_margin})",
        div("revenue_social", "buyers_social"),
        "days",
    ),
    # -- popularity ----------------------------------------------------------------------------
    "brand_mentions": plain("mention_mention", "mentions_mention"),
    "tagged_people": plain("mention_tag", "mentions_tag"),
    "followers_gained": plain("account_daily", "followers_gained"),
    "followers_lost": plain("account_daily", "followers_lost"),
    "net_follower_growth": plain("account_daily", "(followers_gained - followers_lost)"),
    "audience_growth_rate": ratio("account_daily", "(gr_gained - gr_lost)", "followers", " * 100"),
    "audience_growth_velocity": ratio(
        "account_daily", "(gr_gained - gr_lost)", "followers_opening", " * 100"
    ),
    # -- sentiment -----------------------------------------------------------------------------
    "brand_sentiment_score": Kpi("message_polar OR mention_polar", "bss", _BSS_NUM, _BSS_DEN),
    "brand_sentiment_evolution": ratio(
        "message_polar OR mention_polar", "(bss - bss_prev)", "bss_prev", " * 100"
    ),
    "net_sentiment": ratio(
        "message_labelled OR mention_labelled",
        "(coalesce(m_positive, 0) + coalesce(n_positive, 0)"
        " - coalesce(m_negative, 0) - coalesce(n_negative, 0))",
        "(coalesce(m_with_sentiment, 0) + coalesce(n_with_sentiment, 0))",
        " * 100",
    ),
    "share_of_negative_mentions": ratio("mention", "n_negative", "mentions", " * 100"),
    "positive_comments": plain("message_public_positive", "positive_comments"),
    "negative_comments": plain("message_public_negative", "negative_comments"),
    "complaints": plain("message_complaint", "complaints"),
    # -- traffic -------------------------------------------------------------------------------
    "website_sessions": plain("web", "sessions"),
    "time_on_site": ratio("web", "tos_seconds", "tos_sessions"),
    "adjusted_bounce_rate": ratio(
        "web", "(bounce_sessions - bounce_engaged)", "bounce_sessions", " * 100"
    ),
}

# Audience distributions: KPI id -> audience dimension (value = share of the platform's total).
SEGMENT_KPIS: dict[str, str] = {
    "followers_by_age_gender": "age_gender",
    "followers_by_age": "age",
    "followers_by_gender": "gender",
    "followers_by_country": "country",
    "followers_by_city": "city",
    "followers_by_language": "language",
    "active_hours": "active_hour",
    "active_weekdays": "active_weekday",
}

# Flags of the `platforms` CTE: fact aggregate -> flag -> "rows read" column (NULL: all rows).
READS: dict[str, dict[str, str | None]] = {
    "post_agg": {
        "post": None,
        "post_paid": "rows_paid",
    },
    "ad_agg": {"account_daily": None},
    "msg_agg": {
        "message": None,
        "message_public": "public_messages",
        "message_private": "private_messages",
        "message_unanswered_question": "unanswered_questions",
        "message_complaint": "complaints",
        "message_public_positive": "positive_comments",
        "message_public_negative": "negative_comments",
        "message_polar": "m_positive + m_negative",
        "message_labelled": "m_with_sentiment",
    },
    "men_agg": {
        "mention": None,
        "mention_mention": "mentions_mention",
        "mention_tag": "mentions_tag",
        "mention_polar": "n_positive + n_negative",
        "mention_labelled": "n_with_sentiment",
    },
    "web_agg": {
        "web": None,
        "web_direct": "rows_direct",
        "web_brand_search": "rows_brand_search",
        "web_social": "rows_social",
    },
    "lead_agg": {"lead_social": "leads_social", "lead_paid_social": "leads_paid_social"},
    "qi_agg": {
        "qualified_interaction": None,
        "qualified_interaction_social": "qualified_interactions_social",
    },
    "cust_agg": {"customer_social": "customers_social"},
    "rev_agg": {"revenue": None, "revenue_social": "rows_social"},
    "cost_agg": {"cost": None, "cost_ads": "rows_ads"},
    "rec_agg": {"recommendation": None},
}

ALL_KPIS = (*KPIS, *SEGMENT_KPIS)

# KPIs without a platform breakdown: their measures read the customer base per day
# (customer_base_daily), which has no platform, so the task above leaves them out.
# `evaluate_totals` computes them for the whole workspace, per month (`reads` is unused).
TOTAL_KPIS: dict[str, Kpi] = {
    # -- conversions_finance -------------------------------------------------------------------
    "customer_churn_rate": ratio("", "customers_churned", "customers_average", " * 100"),
    # -- paid ----------------------------------------------------------------------------------
    "customer_lifetime_value_churn": Kpi(
        "",
        # revenue / customers_average * $gross_margin / (customers_churned / customers_average)
        div(
            div("revenue", "customers_average") + " * {gross_margin}",
            div("customers_churned", "customers_average"),
        ),
        div("revenue", "customers_average"),
        div("customers_churned", "customers_average"),
    ),
}


# The sums and counts of each fact's aggregate (0 for a platform without rows in a month in
# which the fact has rows), and the alias of the aggregate in the `wide` CTE.
ZERO_FILLED = {
    "post": """posts impressions likes comments shares saves clicks video_views engagements
        paid_clicks er_engagements er_impressions ctr_clicks ctr_impressions vir_shares
        vir_impressions erv_engagements erv_video_views cv_shares cv_likes cv_comments cv_posts
        pp_clicks pp_clicks_n pp_shares pp_shares_n pp_comments pp_comments_n pp_likes
        pp_likes_n pp_err pp_err_n""",
    "account_daily": """followers_gained followers_lost profile_visits gr_gained gr_lost
        aer_engagements aer_impressions""",
    "message": """public_messages private_messages unanswered_questions resolved_complaints
        complaints m_positive m_negative m_with_sentiment positive_comments negative_comments""",
    "mention": "mentions mentions_mention mentions_tag n_positive n_negative n_with_sentiment",
    "web_traffic": """sessions sessions_direct sessions_brand_search sessions_social tos_seconds
        tos_sessions bounce_sessions bounce_engaged""",
    "lead": "leads_social leads_social_converted leads_paid_social",
    "qualified_interaction": "qualified_interactions qualified_interactions_social",
    "customer": "customers_social",
    "revenue": "revenue orders_with_amount revenue_social buyers_social",
    "cost": "cost cost_ads",
    "recommendation": "rec_acted rec_exposed",
}
ALIASES = {
    "post": "po",
    "account_daily": "ad",
    "message": "ms",
    "mention": "mn",
    "web_traffic": "wt",
    "lead": "ld",
    "qualified_interaction": "qi",
    "customer": "cu",
    "revenue": "rv",
    "cost": "co",
    "recommendation": "rc",
}


def _fill(alias: str, fact: str, columns: str) -> str:
    """Sums and counts of ``alias``: 0 for a platform without rows when the fact has data."""
    return ",\n    ".join(
        f"CASE WHEN {alias}.month IS NOT NULL THEN {alias}.{c} "
        f"WHEN cov.has_{fact} THEN 0 END AS {c}"
        for c in columns.split()
    )


def build_sql(
    first: date = FIRST, last: date = LAST, params: dict[str, float] | None = None
) -> str:
    """The whole query for the months from ``first`` to ``last`` (both ends of months)."""
    p = params if params is not None else parameters()
    lo = month_before(first)  # previous() reads the month before the first one
    hi = month_after(last)

    def within(col: str) -> str:
        return f"{col} >= DATE '{lo}' AND {col} < DATE '{hi}'"

    month = "CAST(date_trunc('month', {}) AS DATE) AS month"
    eng = (
        "coalesce(engagements_native, coalesce(likes, 0) + coalesce(comments, 0)"
        " + coalesce(shares, 0) + coalesce(saves, 0) + coalesce(clicks, 0))"
    )
    facts = {  # fact -> its aggregate (whose months are the months the fact has rows in)
        "post": "post_agg",
        "account_daily": "ad_agg",
        "message": "msg_agg",
        "mention": "men_agg",
        "web_traffic": "web_agg",
        "lead": "lead_agg",
        "qualified_interaction": "qi_agg",
        "customer": "cust_agg",
        "revenue": "rev_agg",
        "cost": "cost_agg",
        "recommendation": "rec_agg",
    }
    coverage = "\n    UNION ALL ".join(
        f"SELECT DISTINCT '{f}' AS fact, month FROM {t}" for f, t in facts.items()
    )
    cov_flags = ", ".join(f"bool_or(fact = '{f}') AS has_{f}" for f in facts)
    reads = "\n    UNION ALL BY NAME ".join(
        "SELECT platform, "
        + ", ".join(
            f"{'TRUE' if rows is None else f'{rows} > 0'} AS p_{flag}"
            for flag, rows in flags.items()
        )
        + f" FROM {table}"
        for table, flags in READS.items()
    )
    all_flags = [flag for flags in READS.values() for flag in flags]
    platform_flags = ", ".join(f"bool_or(p_{f}) AS p_{f}" for f in all_flags)

    filled = ",\n    ".join(_fill(a, fact, ZERO_FILLED[fact]) for fact, a in ALIASES.items())
    selects = []
    for kpi, k in KPIS.items():
        where = " ".join(w if w in ("OR", "AND") else f"p_{w}" for w in k.reads.split())
        value = k.value.format(**{n: repr(v) for n, v in p.items()})
        selects.append(
            f"SELECT '{kpi}' AS kpi, month, platform, NULL AS segment, CAST({value} AS DOUBLE),"
            f" CAST({k.numerator} AS DOUBLE), CAST({k.denominator} AS DOUBLE)\n"
            f"  FROM kpi_base WHERE ({where})"
        )
    total = "sum(followers) OVER (PARTITION BY month, platform)"
    for kpi, dim in SEGMENT_KPIS.items():
        selects.append(
            f"SELECT '{kpi}', month, platform, segment, {div('followers', total)} * 100,"
            f" followers, {total}\n  FROM aud_agg WHERE dimension = '{dim}'"
        )
    union = "\nUNION ALL\n".join(selects)

    return f"""
WITH
-- 1. one aggregate per fact --------------------------------------------------------------------
post_agg AS (
  SELECT {month.format("local_date")}, platform,
    count(*) AS posts,
    sum(impressions) AS impressions, sum(likes) AS likes, sum(comments) AS comments,
    sum(shares) AS shares, sum(saves) AS saves, sum(clicks) AS clicks,
    sum(video_views) AS video_views, sum(eng) AS engagements,
    CASE WHEN count(*) = 1 THEN max(reach) END AS reach,
    avg(readability) AS readability, avg(quality_score) AS content_quality,
    CASE WHEN count(*) FILTER (WHERE is_paid) = 0 THEN 0
         ELSE sum(clicks) FILTER (WHERE is_paid) END AS paid_clicks,
    -- engagement rate: engagements of posts with impressions (engagements are never NULL)
    CASE WHEN count(impressions) = 0 THEN 0
         ELSE sum(eng) FILTER (WHERE impressions IS NOT NULL) END AS er_engagements,
    sum(impressions) AS er_impressions,
    CASE WHEN count(impressions) = 0 THEN 0
         ELSE sum(clicks) FILTER (WHERE impressions IS NOT NULL) END AS ctr_clicks,
    CASE WHEN count(clicks) = 0 THEN 0
         ELSE sum(impressions) FILTER (WHERE clicks IS NOT NULL) END AS ctr_impressions,
    CASE WHEN count(impressions) = 0 THEN 0
         ELSE sum(shares) FILTER (WHERE impressions IS NOT NULL) END AS vir_shares,
    CASE WHEN count(shares) = 0 THEN 0
         ELSE sum(impressions) FILTER (WHERE shares IS NOT NULL) END AS vir_impressions,
    CASE WHEN count(video_views) = 0 THEN 0
         ELSE sum(eng) FILTER (WHERE video_views IS NOT NULL) END AS erv_engagements,
    sum(video_views) AS erv_video_views,
    -- content virality: shares, likes and comments of posts that report all three
    CASE WHEN count(*) FILTER (WHERE likes IS NOT NULL AND comments IS NOT NULL) = 0 THEN 0
         ELSE sum(shares) FILTER (WHERE likes IS NOT NULL AND comments IS NOT NULL)
    END AS cv_shares,
    CASE WHEN count(*) FILTER (WHERE shares IS NOT NULL AND comments IS NOT NULL) = 0 THEN 0
         ELSE sum(likes) FILTER (WHERE shares IS NOT NULL AND comments IS NOT NULL)
    END AS cv_likes,
    CASE WHEN count(*) FILTER (WHERE likes IS NOT NULL AND shares IS NOT NULL) = 0 THEN 0
         ELSE sum(comments) FILTER (WHERE likes IS NOT NULL AND shares IS NOT NULL)
    END AS cv_comments,
    count(*) FILTER (WHERE likes IS NOT NULL AND shares IS NOT NULL AND comments IS NOT NULL)
      AS cv_posts,
    count(*) FILTER (WHERE is_paid) AS rows_paid,  -- boosted posts (for their platforms)
    -- per-post values for the means per post
    sum(clicks) AS pp_clicks, count(clicks) AS pp_clicks_n,
    sum(shares) AS pp_shares, count(shares) AS pp_shares_n,
    sum(comments) AS pp_comments, count(comments) AS pp_comments_n,
    sum(likes) AS pp_likes, count(likes) AS pp_likes_n,
    sum(err) AS pp_err, count(err) AS pp_err_n
  FROM (
    SELECT *, {eng} AS eng, CAST({eng} AS DOUBLE) / NULLIF(reach, 0) * 100 AS err
    FROM post WHERE {within("local_date")}
  )
  GROUP BY ALL
),
ad_account AS (  -- account_daily per account and month, then summed over accounts
  SELECT {month.format("day")}, platform, account_id,
    arg_max(followers, day) FILTER (WHERE followers IS NOT NULL) AS last_followers,
    arg_min(followers, day) FILTER (WHERE followers IS NOT NULL) AS first_followers,
    count(*) AS n, max(reach) AS reach,
    sum(followers_gained) AS gained, sum(followers_lost) AS lost, sum(profile_visits) AS visits,
    sum(coalesce(engagements_native, likes + comments + shares + clicks))
      FILTER (WHERE impressions IS NOT NULL) AS aer_e,
    count_if(impressions IS NOT NULL) AS aer_e_n,
    sum(impressions) FILTER (WHERE coalesce(engagements_native, likes + comments + shares
      + clicks) IS NOT NULL) AS aer_i,
    count_if(coalesce(engagements_native, likes + comments + shares + clicks) IS NOT NULL)
      AS aer_i_n,
    sum(followers_gained) FILTER (WHERE followers_lost IS NOT NULL) AS gained_c,
    count(followers_lost) AS gained_c_n,
    sum(followers_lost) FILTER (WHERE followers_gained IS NOT NULL) AS lost_c,
    count(followers_gained) AS lost_c_n
  FROM account_daily WHERE {within("day")}
  GROUP BY ALL
),
ad_agg AS (
  SELECT month, platform,
    sum(last_followers) AS followers, sum(first_followers) AS followers_opening,
    CASE WHEN sum(n) = 1 THEN max(reach) END AS account_reach,
    sum(gained) AS followers_gained, sum(lost) AS followers_lost, sum(visits) AS profile_visits,
    CASE WHEN sum(aer_e_n) = 0 THEN 0 ELSE sum(aer_e) END AS aer_engagements,
    CASE WHEN sum(aer_i_n) = 0 THEN 0 ELSE sum(aer_i) END AS aer_impressions,
    CASE WHEN sum(gained_c_n) = 0 THEN 0 ELSE sum(gained_c) END AS gr_gained,
    CASE WHEN sum(lost_c_n) = 0 THEN 0 ELSE sum(lost_c) END AS gr_lost
  FROM ad_account
  GROUP BY ALL
),
aud_account AS (  -- last audience value per account, dimension and segment in the month
  SELECT {month.format("as_of")}, platform, account_id, dimension, segment,
    arg_max(followers, as_of) FILTER (WHERE followers IS NOT NULL) AS followers
  FROM audience WHERE {within("as_of")}
  GROUP BY ALL
),
aud_agg AS (  -- summed over accounts; the KPIs keep the segments of their dimension
  SELECT month, CAST(platform AS VARCHAR) AS platform, dimension, segment,
    sum(followers) AS followers
  FROM aud_account
  WHERE month >= DATE '{first}'
  GROUP BY ALL
),
msg_agg AS (
  SELECT {month.format("local_date")}, platform,
    count(*) FILTER (WHERE channel = 'public') AS public_messages,
    count(*) FILTER (WHERE channel = 'private') AS private_messages,
    count(*) FILTER (WHERE is_question AND first_reply_at IS NULL) AS unanswered_questions,
    count(*) FILTER (WHERE is_complaint AND resolved_at IS NOT NULL) AS resolved_complaints,
    count(*) FILTER (WHERE is_complaint) AS complaints,
    count(*) FILTER (WHERE sentiment_label = 'positive') AS m_positive,
    count(*) FILTER (WHERE sentiment_label = 'negative') AS m_negative,
    count(sentiment_label) AS m_with_sentiment,
    count(*) FILTER (WHERE channel = 'public' AND sentiment_label = 'positive')
      AS positive_comments,
    count(*) FILTER (WHERE channel = 'public' AND sentiment_label = 'negative')
      AS negative_comments,
    avg(reply_us / 3600e6) AS reply_hours_mean,
    median(reply_us / 3600e6) AS reply_hours_median,
    avg(first_reply_business_hours) AS reply_business_mean,
    median(first_reply_business_hours) AS reply_business_median,
    avg(reply_us / 3600e6) FILTER (WHERE channel = 'public') AS reply_public_mean,
    avg(reply_us / 3600e6) FILTER (WHERE channel = 'private') AS reply_private_mean
  FROM (
    SELECT *, epoch_us(first_reply_at) - epoch_us(created_at) AS reply_us
    FROM message WHERE {within("local_date")}
  )
  GROUP BY ALL
),
men_agg AS (
  SELECT {month.format("local_date")}, platform,
    count(*) AS mentions,
    count(*) FILTER (WHERE kind = 'mention') AS mentions_mention,
    count(*) FILTER (WHERE kind = 'tag') AS mentions_tag,
    count(*) FILTER (WHERE sentiment_label = 'positive') AS n_positive,
    count(*) FILTER (WHERE sentiment_label = 'negative') AS n_negative,
    count(sentiment_label) AS n_with_sentiment
  FROM mention WHERE {within("local_date")}
  GROUP BY ALL
),
web_agg AS (
  SELECT {month.format("day")}, platform,
    sum(sessions) AS sessions,
    CASE WHEN count(*) FILTER (WHERE channel_group = 'Direct') = 0 THEN 0
         ELSE sum(sessions) FILTER (WHERE channel_group = 'Direct') END AS sessions_direct,
    CASE WHEN count(*) FILTER (WHERE is_brand_search) = 0 THEN 0
         ELSE sum(sessions) FILTER (WHERE is_brand_search) END AS sessions_brand_search,
    CASE WHEN count(*) FILTER (WHERE channel_group IN ('Organic Social', 'Paid Social')) = 0
         THEN 0
         ELSE sum(sessions) FILTER (WHERE channel_group IN ('Organic Social', 'Paid Social'))
    END AS sessions_social,
    CASE WHEN count(sessions) = 0 THEN 0
         ELSE sum(engagement_seconds) FILTER (WHERE sessions IS NOT NULL) END AS tos_seconds,
    CASE WHEN count(engagement_seconds) = 0 THEN 0
         ELSE sum(sessions) FILTER (WHERE engagement_seconds IS NOT NULL) END AS tos_sessions,
    CASE WHEN count(engaged_sessions) = 0 THEN 0
         ELSE sum(sessions) FILTER (WHERE engaged_sessions IS NOT NULL) END AS bounce_sessions,
    CASE WHEN count(sessions) = 0 THEN 0
         ELSE sum(engaged_sessions) FILTER (WHERE sessions IS NOT NULL) END AS bounce_engaged,
    count(*) FILTER (WHERE channel_group = 'Direct') AS rows_direct,
    count(*) FILTER (WHERE is_brand_search) AS rows_brand_search,
    count(*) FILTER (WHERE channel_group IN ('Organic Social', 'Paid Social')) AS rows_social
  FROM web_traffic WHERE {within("day")}
  GROUP BY ALL
),
lead_agg AS (
  SELECT {month.format("local_date")}, platform,
    count(*) FILTER (WHERE source IN {SOCIAL}) AS leads_social,
    count(*) FILTER (WHERE source IN {SOCIAL} AND customer_id IS NOT NULL)
      AS leads_social_converted,
    count(*) FILTER (WHERE source = 'paid_social') AS leads_paid_social
  FROM lead WHERE {within("local_date")}
  GROUP BY ALL
),
qi_agg AS (
  SELECT {month.format("local_date")}, platform,
    count(*) AS qualified_interactions,
    count(*) FILTER (WHERE source IN {SOCIAL}) AS qualified_interactions_social
  FROM qualified_interaction WHERE {within("local_date")}
  GROUP BY ALL
),
cust_agg AS (
  SELECT {month.format("local_date")}, platform,
    count(*) FILTER (WHERE source IN {SOCIAL}) AS customers_social
  FROM customer WHERE {within("local_date")}
  GROUP BY ALL
),
rev_agg AS (
  SELECT {month.format("local_date")}, platform,
    sum(amount) AS revenue,
    count(amount) AS orders_with_amount,
    CASE WHEN count(*) FILTER (WHERE source IN {SOCIAL}) = 0 THEN 0
         ELSE sum(amount) FILTER (WHERE source IN {SOCIAL}) END AS revenue_social,
    count(DISTINCT customer_id) FILTER (WHERE source IN {SOCIAL}) AS buyers_social,
    count(*) FILTER (WHERE source IN {SOCIAL}) AS rows_social
  FROM revenue WHERE {within("local_date")}
  GROUP BY ALL
),
cost_agg AS (
  SELECT {month.format("day")}, platform,
    sum(amount) AS cost,
    CASE WHEN count(*) FILTER (WHERE category = 'ads') = 0 THEN 0
         ELSE sum(amount) FILTER (WHERE category = 'ads') END AS cost_ads,
    count(*) FILTER (WHERE category = 'ads') AS rows_ads
  FROM cost_daily WHERE {within("day")}
  GROUP BY ALL
),
rec_agg AS (
  SELECT {month.format("local_date")}, platform,
    CASE WHEN count(users_exposed) = 0 THEN 0
         ELSE sum(users_acted) FILTER (WHERE users_exposed IS NOT NULL) END AS rec_acted,
    CASE WHEN count(users_acted) = 0 THEN 0
         ELSE sum(users_exposed) FILTER (WHERE users_acted IS NOT NULL) END AS rec_exposed
  FROM recommendation WHERE {within("local_date")}
  GROUP BY ALL
),
-- 2. the (month, platform) grid and zero-filled measures ----------------------------------------
reads AS (
    {reads}
),
platforms AS (  -- every platform some KPI reads rows of, and which rows
  SELECT platform, {platform_flags} FROM reads GROUP BY platform
),
coverage AS (  -- the months in which each fact has rows
  SELECT month, {cov_flags}
  FROM ({coverage})
  GROUP BY month
),
months AS (
  SELECT CAST(range AS DATE) AS month
  FROM range(DATE '{lo}', DATE '{hi}', INTERVAL 1 MONTH)
),
grid AS (
  SELECT m.month, p.* FROM months AS m CROSS JOIN platforms AS p
),
wide AS (
  SELECT g.*, dayofmonth(last_day(g.month)) AS days,
    {filled},
    po.reach, po.readability, po.content_quality,
    ad.followers, ad.followers_opening, ad.account_reach,
    ms.reply_hours_mean, ms.reply_hours_median, ms.reply_business_mean,
    ms.reply_business_median, ms.reply_public_mean, ms.reply_private_mean
  FROM grid AS g
  LEFT JOIN coverage AS cov ON cov.month = g.month
  LEFT JOIN post_agg AS po ON po.month = g.month AND po.platform IS NOT DISTINCT FROM g.platform
  LEFT JOIN ad_agg AS ad ON ad.month = g.month AND ad.platform IS NOT DISTINCT FROM g.platform
  LEFT JOIN msg_agg AS ms ON ms.month = g.month AND ms.platform IS NOT DISTINCT FROM g.platform
  LEFT JOIN men_agg AS mn ON mn.month = g.month AND mn.platform IS NOT DISTINCT FROM g.platform
  LEFT JOIN web_agg AS wt ON wt.month = g.month AND wt.platform IS NOT DISTINCT FROM g.platform
  LEFT JOIN lead_agg AS ld ON ld.month = g.month AND ld.platform IS NOT DISTINCT FROM g.platform
  LEFT JOIN qi_agg AS qi ON qi.month = g.month AND qi.platform IS NOT DISTINCT FROM g.platform
  LEFT JOIN cust_agg AS cu ON cu.month = g.month AND cu.platform IS NOT DISTINCT FROM g.platform
  LEFT JOIN rev_agg AS rv ON rv.month = g.month AND rv.platform IS NOT DISTINCT FROM g.platform
  LEFT JOIN cost_agg AS co ON co.month = g.month AND co.platform IS NOT DISTINCT FROM g.platform
  LEFT JOIN rec_agg AS rc ON rc.month = g.month AND rc.platform IS NOT DISTINCT FROM g.platform
),
-- KPIs used by other KPIs through previous(): computed once, then read in the month before
base AS (
  SELECT *, {_ER} AS er, {div(_BSS_NUM, _BSS_DEN)} * 100 AS bss FROM wide
),
kpi_base AS (
  SELECT cur.* EXCLUDE (platform), CAST(cur.platform AS VARCHAR) AS platform,
    prev.er AS er_prev, prev.bss AS bss_prev
  FROM base AS cur
  LEFT JOIN base AS prev
    ON prev.month = CAST(cur.month - INTERVAL 1 MONTH AS DATE)
   AND prev.platform IS NOT DISTINCT FROM cur.platform
  WHERE cur.month >= DATE '{first}'
),
-- 3. the KPIs ------------------------------------------------------------------------------------
result AS (
{union}
)
SELECT * FROM result
"""


def evaluate(
    con: duckdb.DuckDBPyConnection,
    first: date = FIRST,
    last: date = LAST,
    params: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Run the query; one row per KPI, month, platform (and segment)."""
    frame = con.execute(build_sql(first, last, params)).df()
    frame.columns = OUTPUT_COLUMNS
    return frame


def build_total_sql(
    first: date = FIRST, last: date = LAST, params: dict[str, float] | None = None
) -> str:
    """The query of :data:`TOTAL_KPIS`: every month from ``first`` to ``last``, no breakdown."""
    p = params if params is not None else parameters()
    hi = month_after(last)

    def within(col: str) -> str:
        return f"{col} >= DATE '{first}' AND {col} < DATE '{hi}'"

    month = "CAST(date_trunc('month', {}) AS DATE) AS month"
    union = "\nUNION ALL\n".join(
        f"SELECT '{kpi}' AS kpi, month, NULL AS platform, NULL AS segment,"
        f" CAST({k.value.format(**{n: repr(v) for n, v in p.items()})} AS DOUBLE),"
        f" CAST({k.numerator} AS DOUBLE), CAST({k.denominator} AS DOUBLE)\n  FROM wide"
        for kpi, k in TOTAL_KPIS.items()
    )
    # The base's columns are never NULL (the view fills them), so the complete cases of the
    # pooled ratios are every row.
    return f"""
WITH
base_agg AS (  -- mean of the customers at the start of each day, customers lost
  SELECT {month.format("day")},
    avg(active_at_start) AS customers_average, sum(churned) AS customers_churned
  FROM customer_base_daily WHERE {within("day")}
  GROUP BY ALL
),
rev_agg AS (  -- revenue of all orders, all sources together
  SELECT {month.format("local_date")}, sum(amount) AS revenue
  FROM revenue WHERE {within("local_date")}
  GROUP BY ALL
),
months AS (
  SELECT CAST(range AS DATE) AS month
  FROM range(DATE '{first}', DATE '{hi}', INTERVAL 1 MONTH)
),
wide AS (  -- every month; NULL where the fact has no row that month
  SELECT m.month, b.customers_average, b.customers_churned, r.revenue
  FROM months AS m
  LEFT JOIN base_agg AS b ON b.month = m.month
  LEFT JOIN rev_agg AS r ON r.month = m.month
)
{union}
"""


def evaluate_totals(
    con: duckdb.DuckDBPyConnection,
    first: date = FIRST,
    last: date = LAST,
    params: dict[str, float] | None = None,
) -> pd.DataFrame:
    """The KPIs without a platform breakdown; one row per KPI and month."""
    frame = con.execute(build_total_sql(first, last, params)).df()
    frame.columns = OUTPUT_COLUMNS
    return frame


def main() -> None:
    """Evaluate the task on the workspace given on the command line and print a summary."""
    path = Path(sys.argv[1])
    con = duckdb.connect(str(path / "cadran.duckdb"), read_only=True)
    frame = evaluate(con, params=parameters(path))
    print(frame.groupby("kpi").size().describe())
    print(frame.head(20).to_string())


if __name__ == "__main__":
    main()
