"""The columns each demo table carries, in schema order, and how a chunk is assembled.

This mirrors ``store/migrations/0001_initial.sql`` and ``0004_conversions.sql`` (touchpoints, the
cost columns ``channel`` and ``pillar``) minus the columns the store fills itself (``local_date``,
``batch_id``, ``metrics_batch_id``). Columns that only imports and text analytics fill
(``0002_imports.sql``, ``0003_text.sql``) are left out. A test compares it with the real schema.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from cadran.sources.demo.columns import TIMESTAMP
from cadran.sources.demo.spec import MAX_CHUNK_ROWS, Chunk

I32, I64, F64, BOOL, DATE, STR = (
    pa.int32(),
    pa.int64(),
    pa.float64(),
    pa.bool_(),
    pa.date32(),
    pa.string(),
)
MONEY = pa.decimal128(18, 2)

_METRICS = ("impressions", "reach", "likes", "comments", "shares", "saves", "clicks",
            "video_views", "profile_visits", "follows", "engagements_native")  # fmt: skip

COLUMNS: dict[str, tuple[tuple[str, pa.DataType], ...]] = {
    "account": (("account_id", I32), ("platform", STR), ("handle", STR), ("name", STR)),
    "campaign": (
        ("campaign_id", I32), ("name", STR), ("platform", STR), ("objective", STR),
        ("starts_on", DATE), ("ends_on", DATE),
    ),
    "post": (
        ("post_id", I64), ("account_id", I32), ("platform", STR), ("native_id", STR),
        ("published_at", TIMESTAMP), ("text", STR), ("language", STR), ("format", STR),
        ("topic", STR), ("campaign_id", I32), ("is_paid", BOOL), ("url", STR),
        *((name, I64) for name in _METRICS),
        *((f"{name}_origin", STR) for name in _METRICS),
        ("readability", F64), ("quality_score", F64),
        ("readability_origin", STR), ("quality_score_origin", STR), ("metrics_as_of", TIMESTAMP),
    ),
    "account_daily": (
        ("account_id", I32), ("platform", STR), ("day", DATE), ("followers", I64),
        ("followers_gained", I64), ("followers_lost", I64), ("impressions", I64), ("reach", I64),
        ("profile_visits", I64), ("followers_origin", STR), ("followers_gained_origin", STR),
        ("followers_lost_origin", STR), ("impressions_origin", STR), ("reach_origin", STR),
        ("profile_visits_origin", STR),
    ),
    "audience": (
        ("account_id", I32), ("platform", STR), ("as_of", DATE), ("dimension", STR),
        ("segment", STR), ("followers", F64), ("followers_origin", STR),
    ),
    "message": (
        ("message_id", I64), ("account_id", I32), ("platform", STR), ("native_id", STR),
        ("channel", STR), ("post_id", I64), ("author", STR), ("text", STR), ("language", STR),
        ("created_at", TIMESTAMP), ("first_reply_at", TIMESTAMP), ("is_question", BOOL),
        ("is_complaint", BOOL), ("resolved_at", TIMESTAMP), ("sentiment_score", F64),
        ("sentiment_label", STR), ("sentiment_method", STR), ("is_question_origin", STR),
        ("is_complaint_origin", STR), ("sentiment_score_origin", STR),
        ("sentiment_label_origin", STR),
    ),
    "mention": (
        ("mention_id", I64), ("account_id", I32), ("platform", STR), ("native_id", STR),
        ("kind", STR), ("author", STR), ("text", STR), ("language", STR), ("url", STR),
        ("created_at", TIMESTAMP), ("sentiment_score", F64), ("sentiment_label", STR),
        ("sentiment_method", STR), ("sentiment_score_origin", STR), ("sentiment_label_origin", STR),
    ),
    "web_traffic": (
        ("day", DATE), ("source", STR), ("medium", STR), ("utm_campaign", STR),
        ("channel_group", STR), ("is_brand_search", BOOL), ("platform", STR), ("campaign_id", I32),
        ("sessions", I64), ("engaged_sessions", I64), ("engagement_seconds", F64), ("bounces", I64),
        ("sessions_origin", STR), ("engaged_sessions_origin", STR),
        ("engagement_seconds_origin", STR), ("bounces_origin", STR),
    ),
    "lead": (
        ("lead_id", I64), ("native_id", STR), ("created_at", TIMESTAMP), ("source", STR),
        ("platform", STR), ("campaign_id", I32), ("post_id", I64), ("is_qualified", BOOL),
        ("qualified_at", TIMESTAMP), ("customer_id", I64),
    ),
    "qualified_interaction": (
        ("interaction_id", I64), ("native_id", STR), ("occurred_at", TIMESTAMP), ("kind", STR),
        ("source", STR), ("platform", STR), ("campaign_id", I32), ("lead_id", I64),
    ),
    "customer": (
        ("customer_id", I64), ("native_id", STR), ("acquired_at", TIMESTAMP), ("source", STR),
        ("platform", STR), ("campaign_id", I32), ("lead_id", I64), ("churned_at", TIMESTAMP),
    ),
    "revenue": (
        ("revenue_id", I64), ("native_id", STR), ("customer_id", I64), ("occurred_at", TIMESTAMP),
        ("amount", MONEY), ("currency", STR), ("source", STR), ("platform", STR),
        ("campaign_id", I32), ("amount_origin", STR),
    ),
    "cost": (
        ("cost_id", I64), ("native_id", STR), ("period_start", DATE), ("period_end", DATE),
        ("category", STR), ("platform", STR), ("campaign_id", I32), ("amount", MONEY),
        ("currency", STR), ("description", STR), ("amount_origin", STR), ("channel", STR),
        ("pillar", STR),
    ),
    "touchpoint": (
        ("touchpoint_id", I64), ("native_id", STR), ("occurred_at", TIMESTAMP), ("lead_id", I64),
        ("customer_id", I64), ("channel", STR), ("source", STR), ("medium", STR),
        ("utm_campaign", STR), ("platform", STR), ("campaign_id", I32), ("post_id", I64),
        ("interaction", STR),
    ),
    "recommendation": (
        ("recommendation_id", I64), ("native_id", STR), ("created_at", TIMESTAMP),
        ("platform", STR), ("account_id", I32), ("kind", STR), ("text", STR),
        ("users_exposed", I64), ("users_acted", I64), ("users_exposed_origin", STR),
        ("users_acted_origin", STR),
    ),
}  # fmt: skip


def _compatible(actual: pa.DataType, expected: pa.DataType) -> bool:
    """Strings may come plain or dictionary-encoded; every other type must match exactly."""
    if expected == STR:
        return actual in (STR, pa.large_string()) or (
            pa.types.is_dictionary(actual) and actual.value_type == STR
        )
    return bool(actual == expected)


def assemble(table: str, columns: dict[str, pa.Array]) -> pa.Table:
    """The Arrow table of ``table`` from its columns, checked against the column contract.

    A mismatch is a bug in the generator, so it raises ``ValueError`` rather than a user error.
    """
    expected = COLUMNS[table]
    names = [name for name, _ in expected]
    if sorted(columns) != sorted(names):
        missing, extra = set(names) - set(columns), set(columns) - set(names)
        raise ValueError(f"{table}: missing columns {sorted(missing)}, extra {sorted(extra)}")
    for name, type_ in expected:
        if not _compatible(columns[name].type, type_):
            raise ValueError(f"{table}.{name}: {columns[name].type} is not {type_}")
    return pa.table([columns[name] for name in names], names=names)


def chunks(table: str, data: pa.Table, max_rows: int = MAX_CHUNK_ROWS) -> Iterator[Chunk]:
    """``data`` as chunks of at most ``max_rows`` rows (nothing for an empty table)."""
    for offset in range(0, data.num_rows, max_rows):
        yield Chunk(table, data.slice(offset, max_rows))
