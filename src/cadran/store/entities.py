"""The entities users can add rows of, as data: fields, types, natural keys and references.

Each entity maps to one table of the schema. Rows are identified by a natural key (the
platform's ids, or a day and a source...), so adding the same rows twice changes nothing.
References (an account by its handle, a campaign by its name, a post by its platform id) are
resolved to surrogate ids when rows are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class FieldType(Enum):
    """Types of entity fields and how input values are read."""

    TEXT = "text"
    INTEGER = "integer"  # a whole number >= 0 (counts)
    NUMBER = "number"  # any finite number
    SCORE = "score"  # a number from -1 to 1
    MONEY = "money"  # a finite amount with at most 2 decimals
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"  # an instant; without an offset it is read in the workspace zone
    ENUM = "enum"


PLATFORMS = ("facebook", "instagram", "linkedin", "x", "tiktok", "youtube")
SOURCES = (
    "organic_social",
    "paid_social",
    "organic_search",
    "paid_search",
    "direct",
    "referral",
    "email",
    "other",
)


@dataclass(frozen=True)
class Field:
    """One input field. ``column`` defaults to the field's name; ``ref`` names a reference."""

    name: str
    type: FieldType
    required: bool = False
    values: tuple[str, ...] = ()
    column: str | None = None
    ref: str | None = None  # account, campaign, post, customer, lead
    measured: bool = False  # has an ``<column>_origin`` sibling
    non_negative: bool = False  # numbers: refuse values below 0 (costs)

    @property
    def target(self) -> str:
        """The column the value lands in."""
        return self.column or self.name


@dataclass(frozen=True)
class Entity:
    """An entity users add rows of."""

    name: str
    table: str
    key: tuple[str, ...]  # field names forming the natural key
    fields: tuple[Field, ...]
    id_column: str | None = None
    description: str = ""
    defaults: dict[str, str | float | bool | None] = field(default_factory=dict)

    def field(self, name: str) -> Field | None:
        """The field called ``name``."""
        return next((f for f in self.fields if f.name == name), None)


def _f(name: str, t: FieldType, **kw: object) -> Field:
    return Field(name, t, **kw)  # type: ignore[arg-type]


T, INT, N, S, M, B, D, TS, E = (
    FieldType.TEXT,
    FieldType.INTEGER,
    FieldType.NUMBER,
    FieldType.SCORE,
    FieldType.MONEY,
    FieldType.BOOLEAN,
    FieldType.DATE,
    FieldType.TIMESTAMP,
    FieldType.ENUM,
)
PLATFORM = _f("platform", E, required=True, values=PLATFORMS)
OPT_PLATFORM = _f("platform", E, values=PLATFORMS)
ACCOUNT = _f("account", T, required=True, ref="account", column="account_id")
CAMPAIGN = _f("campaign", T, ref="campaign", column="campaign_id")
SOURCE = _f("source", E, required=True, values=SOURCES)
SENTIMENT = (
    _f("sentiment_score", S, measured=True),
    _f("sentiment_label", E, values=("negative", "neutral", "positive"), measured=True),
    _f("sentiment_method", T),
)
POST_METRICS = tuple(
    _f(m, INT, measured=True)
    for m in (
        "impressions",
        "reach",
        "likes",
        "comments",
        "shares",
        "saves",
        "clicks",
        "video_views",
        "profile_visits",
        "follows",
        "engagements_native",
    )
)

# Rates a platform computed itself, kept to check Cadran's KPIs against (fractions, not %).
NATIVE_RATES = (
    _f("engagement_rate_native", N, measured=True),
    _f("ctr_native", N, measured=True),
)
AD_COUNTS = tuple(
    _f(m, INT, measured=True)
    for m in (
        "reach",
        "impressions",
        "clicks",
        "link_clicks",
        "adds_to_cart",
        "checkouts",
        "purchases",
    )
)

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity(
            "accounts",
            "account",
            ("platform", "handle"),
            (PLATFORM, _f("handle", T, required=True), _f("name", T)),
            "account_id",
            "Social accounts of the brand (platform and handle).",
        ),
        Entity(
            "campaigns",
            "campaign",
            ("name",),
            (
                _f("name", T, required=True),
                OPT_PLATFORM,
                _f("objective", T),
                _f("starts_on", D),
                _f("ends_on", D),
            ),
            "campaign_id",
            "Campaigns posts, costs and leads belong to.",
        ),
        Entity(
            "posts",
            "post",
            ("platform", "account", "native_id"),
            (
                PLATFORM,
                ACCOUNT,
                _f("native_id", T, required=True),
                _f("published_at", TS, required=True),
                _f("text", T),
                _f("language", T),
                _f("format", T),
                _f("topic", T),
                CAMPAIGN,
                _f("is_paid", B),
                _f("url", T),
                *POST_METRICS,
                *NATIVE_RATES,
                _f("duration_seconds", N, measured=True),
                _f("readability", N, measured=True),
                _f("quality_score", N, measured=True),
                _f("metrics_as_of", TS),
            ),
            "post_id",
            "Posts with their lifetime metrics (latest known values).",
            {"is_paid": False},
        ),
        Entity(
            "account_daily",
            "account_daily",
            ("platform", "account", "day"),
            (
                PLATFORM,
                ACCOUNT,
                _f("day", D, required=True),
                *(
                    _f(m, INT, measured=True)
                    for m in (
                        "followers",
                        "followers_gained",
                        "followers_lost",
                        "impressions",
                        "reach",
                        "profile_visits",
                        "posts_published",
                        "engagements_native",
                        "likes",
                        "comments",
                        "shares",
                        "clicks",
                        "video_views",
                    )
                ),
                _f("engagement_rate_native", N, measured=True),
            ),
            None,
            "Daily metrics of each account (activity seen that day, not the lifetime of posts).",
        ),
        Entity(
            "audience",
            "audience",
            ("platform", "account", "as_of", "dimension", "segment"),
            (
                PLATFORM,
                ACCOUNT,
                _f("as_of", D, required=True),
                _f(
                    "dimension",
                    E,
                    required=True,
                    values=(
                        "age",
                        "gender",
                        "age_gender",
                        "country",
                        "city",
                        "language",
                        "active_hour",
                        "active_weekday",
                    ),
                ),
                _f("segment", T, required=True),
                _f("followers", N, measured=True),
                _f("share", N, measured=True),
            ),
            None,
            "Audience breakdowns: followers (or their share) per segment on a date.",
        ),
        Entity(
            "messages",
            "message",
            ("platform", "account", "native_id"),
            (
                PLATFORM,
                ACCOUNT,
                _f("native_id", T, required=True),
                _f("channel", E, required=True, values=("public", "private")),
                _f("post", T, ref="post", column="post_id"),
                _f("author", T),
                _f("text", T),
                _f("language", T),
                _f("created_at", TS, required=True),
                _f("first_reply_at", TS),
                _f("is_question", B, measured=True),
                _f("is_complaint", B, measured=True),
                _f("resolved_at", TS),
                *SENTIMENT,
            ),
            "message_id",
            "Public comments and private messages received.",
        ),
        Entity(
            "mentions",
            "mention",
            ("platform", "native_id"),
            (
                PLATFORM,
                _f("account", T, ref="account", column="account_id"),
                _f("native_id", T, required=True),
                _f("kind", E, required=True, values=("mention", "tag")),
                _f("author", T),
                _f("text", T),
                _f("language", T),
                _f("url", T),
                _f("created_at", TS, required=True),
                *SENTIMENT,
            ),
            "mention_id",
            "Brand mentions and tags by others.",
        ),
        Entity(
            "web_traffic",
            "web_traffic",
            ("day", "source", "medium", "utm_campaign"),
            (
                _f("day", D, required=True),
                _f("source", T, required=True),
                _f("medium", T, required=True),
                _f("utm_campaign", T),
                _f("channel_group", T),
                _f("is_brand_search", B),
                OPT_PLATFORM,
                CAMPAIGN,
                *(_f(m, INT, measured=True) for m in ("sessions", "engaged_sessions", "bounces")),
                _f("engagement_seconds", N, measured=True),
            ),
            None,
            "Website visits per day and source.",
        ),
        Entity(
            "leads",
            "lead",
            ("native_id",),
            (
                _f("native_id", T, required=True),
                _f("created_at", TS, required=True),
                SOURCE,
                OPT_PLATFORM,
                CAMPAIGN,
                _f("is_qualified", B),
                _f("qualified_at", TS),
                _f("customer", T, ref="customer", column="customer_id"),
            ),
            "lead_id",
            "Leads with their source.",
            {"is_qualified": False},
        ),
        Entity(
            "qualified_interactions",
            "qualified_interaction",
            ("native_id",),
            (
                _f("native_id", T, required=True),
                _f("occurred_at", TS, required=True),
                _f("kind", T, required=True),
                SOURCE,
                OPT_PLATFORM,
                CAMPAIGN,
                _f("lead", T, ref="lead", column="lead_id"),
            ),
            "interaction_id",
            "Interactions the workspace counts as qualified.",
        ),
        Entity(
            "customers",
            "customer",
            ("native_id",),
            (
                _f("native_id", T, required=True),
                _f("acquired_at", TS, required=True),
                SOURCE,
                OPT_PLATFORM,
                CAMPAIGN,
                _f("lead", T, ref="lead", column="lead_id"),
                _f("churned_at", TS),
            ),
            "customer_id",
            "New customers with their source.",
        ),
        Entity(
            "revenue",
            "revenue",
            ("native_id",),
            (
                _f("native_id", T, required=True),
                _f("customer", T, ref="customer", column="customer_id"),
                _f("occurred_at", TS, required=True),
                _f("amount", M, required=True, measured=True),
                _f("currency", T),
                SOURCE,
                OPT_PLATFORM,
                CAMPAIGN,
            ),
            "revenue_id",
            "Orders and their revenue.",
        ),
        Entity(
            "costs",
            "cost",
            ("native_id",),
            (
                _f("native_id", T, required=True),
                _f("period_start", D, required=True),
                _f("period_end", D, required=True),
                _f(
                    "category",
                    E,
                    required=True,
                    values=("ads", "content", "tools", "staff", "other"),
                ),
                OPT_PLATFORM,
                CAMPAIGN,
                _f("amount", M, required=True, measured=True, non_negative=True),
                _f("currency", T),
                _f("description", T),
                _f("channel", E, values=SOURCES),
                _f("pillar", T),
            ),
            "cost_id",
            "Costs of a period (ads, content creation, tools, staff).",
        ),
        Entity(
            "touchpoints",
            "touchpoint",
            ("native_id",),
            (
                _f("native_id", T, required=True),
                _f("occurred_at", TS, required=True),
                _f("lead", T, ref="lead", column="lead_id"),
                _f("customer", T, ref="customer", column="customer_id"),
                _f("channel", E, required=True, values=SOURCES),
                _f("source", T),
                _f("medium", T),
                _f("utm_campaign", T),
                OPT_PLATFORM,
                CAMPAIGN,
                _f("post", T, ref="post", column="post_id"),
                _f("interaction", T),
            ),
            "touchpoint_id",
            "Contacts of a lead or customer with the brand before converting (for attribution).",
        ),
        Entity(
            "recommendations",
            "recommendation",
            ("native_id",),
            (
                _f("native_id", T, required=True),
                _f("created_at", TS, required=True),
                OPT_PLATFORM,
                _f("account", T, ref="account", column="account_id"),
                _f("kind", T),
                _f("text", T),
                _f("users_exposed", INT, measured=True),
                _f("users_acted", INT, measured=True),
            ),
            "recommendation_id",
            "Recommendations made and how many users acted on them.",
        ),
        Entity(
            "ad_insights",
            "ad_insight",
            ("ad_network", "campaign", "period_start", "period_end", "breakdown", "segment"),
            (
                _f("ad_network", T, required=True),
                _f("campaign", T, required=True, ref="campaign", column="campaign_id"),
                OPT_PLATFORM,
                _f("period_start", D, required=True),
                _f("period_end", D, required=True),
                _f("breakdown", T, required=True),
                _f("segment", T),
                *AD_COUNTS,
                _f("spend", N, measured=True),
                _f("currency", T),
                *(
                    _f(m, N, measured=True)
                    for m in ("frequency_native", "ctr_native", "cpc_native", "cpc_all_native")
                ),
            ),
            None,
            "Ad results per campaign and reporting window, whole or broken down by segment.",
            {"breakdown": "none", "segment": "all"},
        ),
        Entity(
            "segment_metrics",
            "segment_metric",
            (
                "report",
                "platform",
                "account",
                "period_start",
                "period_end",
                "dimension",
                "segment",
                "metric",
            ),
            (
                _f("report", T, required=True),
                OPT_PLATFORM,
                _f("account", T, ref="account", column="account_id"),
                _f("period_start", D, required=True),
                _f("period_end", D, required=True),
                _f("dimension", T, required=True),
                _f("segment", T, required=True),
                _f("metric", T, required=True),
                _f("value", N, measured=True),
            ),
            None,
            "Figures per segment over a period (GA4 tables, YouTube geography, page visitors).",
        ),
    )
}
