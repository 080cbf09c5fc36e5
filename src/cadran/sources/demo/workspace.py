"""Generate a whole demo workspace, chunk by chunk, and estimate its size up front.

Brands are generated in groups (one group for S and M, ten for L) and, within a group, month
by month: the posts of the month, then their comments and the month's private messages,
mentions, website visits, leads, customers, orders and the touchpoints of their journeys.
Daily account metrics and audience snapshots close each group; workspace-wide tables (web
traffic, costs, recommendations) come last. Only the group's small daily accumulators live
across months, which keeps memory flat.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from cadran.sources.demo.activity import Activity
from cadran.sources.demo.audience import DIMENSIONS, audience_table
from cadran.sources.demo.blueprint import (
    MENTIONS_PER_POST,
    PRIVATE_PER_POST,
    PUBLIC_COMMENTS_PER_POST,
    Blueprint,
    Group,
)
from cadran.sources.demo.brands import account_table
from cadran.sources.demo.campaigns import campaign_table
from cadran.sources.demo.captions import CaptionPools
from cadran.sources.demo.community import Community
from cadran.sources.demo.conversations import generate_messages
from cadran.sources.demo.costs import PillarLedger, cost_table
from cadran.sources.demo.customers import customer_table, draw_customers, revenue_table
from cadran.sources.demo.followers import account_daily
from cadran.sources.demo.leads import draw_leads, interaction_table, lead_table
from cadran.sources.demo.mentions import generate_mentions
from cadran.sources.demo.platforms import PROFILES
from cadran.sources.demo.posts import PostBatch, generate_posts
from cadran.sources.demo.recommendations import recommendation_table
from cadran.sources.demo.spec import WINDOW_DAYS, Chunk, DemoSpec, FloatArray, IntArray, rng_for
from cadran.sources.demo.tables import chunks
from cadran.sources.demo.touchpoints import touchpoint_table
from cadran.sources.demo.traffic import SOURCES, TrafficLedger
from cadran.sources.demo.vocabulary import SECTORS

# Rows per unit measured on generated workspaces (S, M and L agree within a few percent), for
# the estimates of ``expected_rows``. Brand-days are weighted by brand size.
_LEADS_PER_BRAND_DAY = 22.0
_INTERACTIONS_PER_LEAD = 1.34
_CUSTOMERS_PER_BRAND_DAY = 5.6
_CONVERSATION_EXCESS = 1.1  # seasonality and viral posts add to the calibrated rates
_MENTION_EXCESS = 1.4  # campaigns and buzz add to the calibrated rate
_TOUCHPOINTS_PER_LEAD = 2.73  # lead journeys, closing touches and buyers' journeys, per lead
_COSTS_PER_BRAND_MONTH = 10.75  # 4 fixed rows, content split over 5 pillars, video now and then


@dataclass
class _Ids:
    """The next surrogate id of each table with ids assigned across chunks."""

    post: int = 1
    message: int = 1
    mention: int = 1
    lead: int = 1
    interaction: int = 1
    customer: int = 1
    revenue: int = 1
    touchpoint: int = 1


def generate(spec: DemoSpec) -> Iterator[Chunk]:
    """All the tables of the demo workspace of ``spec``, parents before children.

    Chunks hold at most ``MAX_CHUNK_ROWS`` rows. The same spec yields the same chunks.
    """
    blueprint = Blueprint.build(spec)
    yield from chunks("account", account_table(blueprint.brands, blueprint.accounts))
    yield from chunks("campaign", campaign_table(blueprint.timeline, blueprint.campaigns))
    ledger = TrafficLedger()
    pillars = PillarLedger.empty(blueprint)
    ids = _Ids()
    for group in blueprint.groups:
        yield from _group(blueprint, group, ledger, pillars, ids)
    yield from chunks("web_traffic", ledger.table(blueprint))
    yield from chunks("cost", cost_table(blueprint, pillars))
    yield from chunks("recommendation", recommendation_table(blueprint))


def _group(
    blueprint: Blueprint, group: Group, ledger: TrafficLedger, pillars: PillarLedger, ids: _Ids
) -> Iterator[Chunk]:
    """The chunks of one group of brands, month by month, then its daily tables."""
    activity = Activity(group.account_start, group.accounts)
    captions = CaptionPools.build(blueprint, group)
    community = Community.build(blueprint, group)
    recent: list[PostBatch] = []
    seen: list[PostBatch] = []  # touches up to a month before a lead may name older posts
    for month in blueprint.timeline.months:
        posts, batch = generate_posts(blueprint, group, month, ids.post, activity, captions)
        ids.post += posts.num_rows
        pillars.record(month, batch)
        yield from chunks("post", posts)
        messages = generate_messages(
            blueprint, group, month, batch, ids.message, activity, community
        )
        ids.message += messages.num_rows
        yield from chunks("message", messages)
        mentions = generate_mentions(blueprint, group, month, ids.mention, activity, community)
        ids.mention += mentions.num_rows
        yield from chunks("mention", mentions)

        recent = [*recent[-1:], batch]  # leads may name a post of this month or the last
        seen = [*seen[-2:], batch]
        visits = ledger.record_month(blueprint, group, month, activity)
        rng = rng_for(blueprint.spec, "leads", group.index, month.index)
        leads = draw_leads(rng, blueprint, group, month, visits, recent, ids.lead)
        ids.lead += leads.count
        customer_rng = rng_for(blueprint.spec, "customers", group.index, month.index)
        customers, customer_of = draw_customers(
            customer_rng, blueprint, group, month, leads, ids.customer
        )
        ids.customer += len(customers.customer_id)
        yield from chunks("lead", lead_table(blueprint, leads, customer_of))
        yield from chunks("customer", customer_table(blueprint, customers))
        revenue = revenue_table(customer_rng, blueprint, customers, ids.revenue)
        ids.revenue += revenue.num_rows
        yield from chunks("revenue", revenue)
        interactions = interaction_table(rng, blueprint, leads, visits, ids.interaction)
        ids.interaction += interactions.num_rows
        yield from chunks("qualified_interaction", interactions)
        # A stream of its own: journeys may change without changing any other table.
        touch_rng = rng_for(blueprint.spec, "touchpoints", group.index, month.index)
        touches = touchpoint_table(
            touch_rng, blueprint, leads, customer_of, customers, seen, ids.touchpoint
        )
        ids.touchpoint += touches.num_rows
        yield from chunks("touchpoint", touches)
    daily, followers = account_daily(blueprint, group, activity)
    yield from chunks("account_daily", daily)
    yield from chunks("audience", audience_table(blueprint, group, followers))


def expected_rows(spec: DemoSpec) -> dict[str, int]:
    """Approximate rows per table of ``spec``'s workspace, for progress bars (within ~20 %)."""
    blueprint = Blueprint.build(spec)
    brands, accounts, campaigns = blueprint.brands, blueprint.accounts, blueprint.campaigns
    months = len(blueprint.timeline.months)
    posts = float(spec.profile.posts_per_brand * brands.count)
    brand_days = brands.size * WINDOW_DAYS
    customers = _CUSTOMERS_PER_BRAND_DAY * brand_days
    segments = {
        "age": 7,
        "gender": 3,
        "age_gender": 21,
        "country": 10,
        "city": 10,
        "language": 6,
        "active_hour": 24,
        "active_weekday": 7,
    }
    per_snapshot = np.array(
        [sum(segments[d] for d in p.audience if d in DIMENSIONS) for p in PROFILES]
    )
    duration = campaigns.stop - campaigns.start
    billed = np.where(duration <= 14, duration, np.ceil(duration / 7))[:, None] * (
        campaigns.budget > 0
    )
    paid_days = ((campaigns.budget > 0) * duration[:, None]).sum()
    estimates = {
        "account": accounts.count,
        "campaign": campaigns.count,
        "post": posts,
        "message": posts * (PUBLIC_COMMENTS_PER_POST + PRIVATE_PER_POST) * _CONVERSATION_EXCESS,
        "mention": posts * MENTIONS_PER_POST * _MENTION_EXCESS,
        "account_daily": accounts.count * WINDOW_DAYS,
        "audience": per_snapshot[accounts.platform].sum() * months,
        "web_traffic": WINDOW_DAYS * (len(SOURCES) - 2)
        + paid_days
        + (campaigns.of_account_day >= 0).sum(),
        "lead": _LEADS_PER_BRAND_DAY * brand_days.sum(),
        "qualified_interaction": _LEADS_PER_BRAND_DAY * _INTERACTIONS_PER_LEAD * brand_days.sum(),
        "customer": customers.sum(),
        "touchpoint": _LEADS_PER_BRAND_DAY * _TOUCHPOINTS_PER_LEAD * brand_days.sum(),
        "revenue": (customers * _orders_per_customer(brands.sector)).sum(),
        "cost": brands.count * months * _COSTS_PER_BRAND_MONTH
        + billed.sum()
        + 5 * (campaigns.influencer_fee > 0).sum(),
        "recommendation": (accounts.count * 0.9 + brands.count * 0.35) * months,
    }
    return {table: round(float(value)) for table, value in estimates.items()}


def _orders_per_customer(sector: IntArray) -> FloatArray:
    """Mean orders of a customer acquired at a uniformly random day of the window.

    A customer stays min(lifetime, days left) days, with an exponential lifetime of mean L:
    on average L - L**2 (1 - exp(-W / L)) / W days over a window of W days.
    """
    subscription = np.array([SECTORS[s].subscription for s in sector])
    life = np.where(subscription, 300.0, 420.0)
    active = life - life**2 * (1 - np.exp(-WINDOW_DAYS / life)) / WINDOW_DAYS
    gap = np.array([SECTORS[s].order_gap_days for s in sector])
    return np.asarray(1.0 + active / gap)
