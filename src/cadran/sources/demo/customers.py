"""Customers (from converted leads, and buyers who never were leads) and their orders.

Customers keep the source, platform and campaign that brought them, so revenue can be tied back
to social media. They order again every few weeks (software brands bill monthly) until they
churn; amounts follow the sector's typical order value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cadran.sources.demo.blueprint import Blueprint, Group
from cadran.sources.demo.columns import constant, decimals, dictionary, integers, origin, timestamps
from cadran.sources.demo.identifiers import reference
from cadran.sources.demo.leads import TRAFFIC_SOURCES, WEB_HOURS, LeadBatch
from cadran.sources.demo.platforms import PLATFORMS
from cadran.sources.demo.sampling import categorical, cdf_table
from cadran.sources.demo.spec import IntArray
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.timeline import DAY_US, HOUR_US, MINUTE_US, SECOND_US, Month
from cadran.sources.demo.vocabulary import SECTORS

# Buyers who came straight to the shop: organic_social, paid_social, organic_search,
# paid_search, direct, referral, email, other.
_DIRECT_MIX = cdf_table([[0.25, 0.06, 0.30, 0.0, 0.27, 0.06, 0.06, 0.0]])
_DIRECT_PER_DAY = 1.4
_SOCIAL, _PAID = TRAFFIC_SOURCES.index("organic_social"), TRAFFIC_SOURCES.index("paid_social")
_LIFETIME_DAYS = 420.0  # mean time before a customer churns (software: 300)
_ORDER_VALUE = np.array([s.order_value for s in SECTORS])
_ORDER_GAP = np.array([s.order_gap_days for s in SECTORS])
_SUBSCRIPTION = np.array([s.subscription for s in SECTORS])


@dataclass(frozen=True, eq=False)
class CustomerBatch:
    """Customers of one month and group, sorted by acquisition."""

    customer_id: IntArray
    brand: IntArray
    acquired: IntArray
    source: IntArray
    platform: IntArray
    campaign: IntArray
    lead_id: IntArray
    churned: IntArray  # -1 when still a customer at the end


def draw_customers(
    rng: np.random.Generator,
    blueprint: Blueprint,
    group: Group,
    month: Month,
    leads: LeadBatch,
    first_id: int,
) -> tuple[CustomerBatch, IntArray]:
    """Customers acquired from ``leads`` and direct buyers of ``month``; and each lead's
    customer_id (-1 when the lead did not convert)."""
    timeline, accounts, campaigns = blueprint.timeline, blueprint.accounts, blueprint.campaigns
    brand_ids = np.arange(group.brand_start, group.brand_stop)
    days = np.arange(month.first, month.stop)
    rhythm = timeline.season[days] ** 0.5 * timeline.trend[days]
    buyers = rng.poisson(_DIRECT_PER_DAY * blueprint.brands.size[brand_ids, None] * rhythm)
    cell = np.repeat(np.arange(buyers.size), buyers.reshape(-1))
    brand = brand_ids[cell // len(days)]
    day = days[cell % len(days)]
    n = len(cell)
    source = categorical(rng, _DIRECT_MIX, np.zeros(n, dtype=np.int64))
    # Social buyers came from one of the brand's accounts, often while a campaign ran on it.
    owned = accounts.index_of[brand]
    chosen = np.argmax(np.where(owned >= 0, rng.random(owned.shape), -1.0), axis=1)
    account = owned[np.arange(n), chosen]
    social = np.isin(source, (_SOCIAL, _PAID))
    running = campaigns.of_account_day[account, day]
    paid_there = (running >= 0) & (campaigns.budget[np.maximum(running, 0), chosen] > 0)
    source = np.where((source == _PAID) & ~paid_there, _SOCIAL, source)
    campaign = np.where(
        social & (running >= 0) & ((source == _PAID) | (rng.random(n) < 0.5)), running, -1
    )
    hour = categorical(rng, WEB_HOURS, np.zeros(n, dtype=np.int64))
    when = timeline.settle(
        timeline.day_start_us(day) + hour * HOUR_US + rng.integers(0, 3600, n) * SECOND_US
    )

    converted = np.flatnonzero(leads.acquired >= 0)
    acquired = np.concatenate([leads.acquired[converted], when])
    order = np.argsort(acquired, kind="stable")
    merged = [
        np.concatenate([getattr(leads, name)[converted], extra])[order]
        for name, extra in (
            ("brand", brand),
            ("source", source),
            ("platform", np.where(social, chosen, -1)),
            ("campaign", campaign),
        )
    ]
    lead_id = np.concatenate([leads.lead_id[converted], np.full(n, -1)])[order]
    acquired = acquired[order]
    customer_id = first_id + np.arange(len(order), dtype=np.int64)
    customer_of = np.full(leads.count, -1, dtype=np.int64)
    customer_of[converted] = customer_id[np.argsort(order)[: len(converted)]]
    sector = blueprint.brands.sector[merged[0]]
    mean_life = np.where(_SUBSCRIPTION[sector], 300.0, _LIFETIME_DAYS)
    churned = acquired + (rng.exponential(mean_life) * DAY_US).astype(np.int64)
    churned = timeline.settle(churned - churned % SECOND_US)
    churned = np.where(churned < timeline.horizon_us, churned, -1)
    batch = CustomerBatch(
        customer_id, merged[0], acquired, merged[1], merged[2], merged[3], lead_id, churned
    )
    return batch, customer_of


def customer_table(blueprint: Blueprint, customers: CustomerBatch) -> pa.Table:
    """The ``customer`` table."""
    timeline = blueprint.timeline
    return assemble(
        "customer",
        {
            "customer_id": integers(customers.customer_id, pa.int64()),
            "native_id": reference("CUST-", customers.customer_id),
            "acquired_at": timestamps(timeline.to_utc(customers.acquired)),
            "source": dictionary(customers.source, TRAFFIC_SOURCES),
            "platform": dictionary(
                np.maximum(customers.platform, 0), PLATFORMS, customers.platform < 0
            ),
            "campaign_id": integers(customers.campaign + 1, pa.int32(), customers.campaign < 0),
            "lead_id": integers(customers.lead_id, pa.int64(), customers.lead_id < 0),
            "churned_at": timestamps(timeline.to_utc(customers.churned), customers.churned < 0),
        },
    )


def revenue_table(
    rng: np.random.Generator, blueprint: Blueprint, customers: CustomerBatch, first_id: int
) -> pa.Table:
    """The ``revenue`` table: every order of these customers until they churn or the data ends."""
    timeline = blueprint.timeline
    sector = blueprint.brands.sector[customers.brand]
    end = np.where(customers.churned >= 0, customers.churned, timeline.horizon_us)
    active_days = (end - customers.acquired) / DAY_US
    subscription = _SUBSCRIPTION[sector]
    gap = _ORDER_GAP[sector]
    repeats = np.where(
        subscription, np.floor(active_days / gap), rng.poisson(np.maximum(active_days, 0.0) / gap)
    ).astype(np.int64)
    orders = repeats + 1
    owner = np.repeat(np.arange(len(orders)), orders)
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(orders) - orders, orders)
    start = customers.acquired[owner]
    spread = rng.random(len(owner)) * (end[owner] - start)
    monthly = start + (rank * gap[owner] * DAY_US).astype(np.int64)
    occurred = np.where(subscription[owner], monthly, start + spread.astype(np.int64))
    occurred = np.where(rank == 0, start + rng.integers(1, 20, len(owner)) * MINUTE_US, occurred)
    occurred = timeline.settle(occurred - occurred % SECOND_US)
    occurred = np.minimum(occurred, timeline.horizon_us - SECOND_US)
    # Each brand has its own price level; subscribers keep their plan's price every month.
    level = 0.8 + 0.4 * ((customers.brand * 0.6180339887) % 1.0)
    plan = rng.choice(np.array([0.5, 1.0, 2.0]), len(customers.brand))
    base = _ORDER_VALUE[sector] * level
    one_off = base[owner] * rng.lognormal(-0.1, 0.45, len(owner)) * np.where(rank == 0, 1.0, 0.85)
    amount = np.where(subscription[owner], base[owner] * plan[owner], one_off)
    cents = np.maximum(np.round(amount * 100), 500).astype(np.int64)
    order = np.argsort(occurred, kind="stable")
    owner, occurred, cents = owner[order], occurred[order], cents[order]
    revenue_id = first_id + np.arange(len(owner), dtype=np.int64)
    n = len(owner)
    return assemble(
        "revenue",
        {
            "revenue_id": integers(revenue_id, pa.int64()),
            "native_id": reference("ORD-", revenue_id),
            "customer_id": integers(customers.customer_id[owner], pa.int64()),
            "occurred_at": timestamps(timeline.to_utc(occurred)),
            "amount": decimals(cents),
            "currency": constant(blueprint.spec.currency, n),
            "source": dictionary(customers.source[owner], TRAFFIC_SOURCES),
            "platform": dictionary(
                np.maximum(customers.platform[owner], 0), PLATFORMS, customers.platform[owner] < 0
            ),
            "campaign_id": integers(
                customers.campaign[owner] + 1, pa.int32(), customers.campaign[owner] < 0
            ),
            "amount_origin": origin(np.ones(n, dtype=bool)),
        },
    )
