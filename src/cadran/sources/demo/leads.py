"""Leads and qualified interactions (newsletter signups, free trials, demo requests).

Leads come from website sessions at each source's conversion rate (more during lead and sales
campaigns), plus a few from offline events. Each lead is born from a qualified interaction;
some newsletter signups never become leads. Organic social leads often name the post that
brought them. Demo requests qualify more often than newsletter signups, and some qualified
leads become customers a few days later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cadran.sources.demo.blueprint import Blueprint, Group
from cadran.sources.demo.columns import dictionary, integers, timestamps
from cadran.sources.demo.identifiers import reference
from cadran.sources.demo.phrasebook import OBJECTIVES
from cadran.sources.demo.platforms import PLATFORMS
from cadran.sources.demo.posts import PostBatch
from cadran.sources.demo.sampling import categorical, cdf_table
from cadran.sources.demo.spec import BoolArray, IntArray
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.timeline import DAY_US, HOUR_US, SECOND_US, Month
from cadran.sources.demo.traffic import CAMPAIGN, ROW_BEHAVIOUR, Visits
from cadran.sources.demo.vocabulary import SECTORS

TRAFFIC_SOURCES = (
    "organic_social",
    "paid_social",
    "organic_search",
    "paid_search",
    "direct",
    "referral",
    "email",
    "other",
)
INTERACTIONS = ("newsletter_signup", "free_trial", "demo_request")
WEB_HOURS = cdf_table(
    [[0.5, 0.3, 0.2, 0.1, 0.1, 0.3, 1, 2.5, 4.5, 6, 6.5, 6.5, 6, 6, 6.5, 6.5, 6, 5.5, 5.5, 6, 6.5,
      6, 4, 1.5]]
)  # fmt: skip
_KINDS = cdf_table([[0.5, 0.3, 0.2], [0.3, 0.35, 0.35]])  # retail, then software brands
_QUALIFY = np.array([0.18, 0.5, 0.7])
_CONVERT = 0.5  # qualified leads who buy
_OBJECTIVE_LIFT = np.array([1.0, 1.0, 1.6, 1.2, 1.0])  # awareness, engagement, leads, sales, none
_ROW_ORIGIN = np.array([TRAFFIC_SOURCES.index(s.origin) for s in ROW_BEHAVIOUR])
_ROW_CONVERSION = np.array([s.conversion for s in ROW_BEHAVIOUR])
_OTHER = TRAFFIC_SOURCES.index("other")
_FIRST_SOCIAL, _LAST_SOCIAL = 4, 9  # traffic rows of visits from the six platforms' hosts


@dataclass(frozen=True, eq=False)
class LeadBatch:
    """Leads of one month and group, sorted by creation; ``acquired`` is -1 if never a customer."""

    lead_id: IntArray
    brand: IntArray
    created: IntArray  # local µs
    source: IntArray  # index in TRAFFIC_SOURCES
    platform: IntArray  # -1 for none
    campaign: IntArray  # -1 for none
    post_id: IntArray  # -1 for none
    kind: IntArray
    qualified: IntArray  # local µs, -1 when not qualified (yet)
    acquired: IntArray  # local µs, -1 when not a customer (yet)

    @property
    def count(self) -> int:
        """Number of leads."""
        return len(self.lead_id)


def draw_leads(
    rng: np.random.Generator,
    blueprint: Blueprint,
    group: Group,
    month: Month,
    visits: Visits,
    posts: list[PostBatch],
    first_id: int,
) -> LeadBatch:
    """Leads born from ``visits`` (and offline events) in ``month``, ids from ``first_id``."""
    timeline, campaigns = blueprint.timeline, blueprint.campaigns
    objective = np.where(
        visits.campaign >= 0, campaigns.objective[np.maximum(visits.campaign, 0)], len(OBJECTIVES)
    )
    lam = visits.sessions * _ROW_CONVERSION[visits.row] * _OBJECTIVE_LIFT[objective]
    count = rng.poisson(lam)
    row = np.repeat(np.arange(len(count)), count)
    brand_ids = np.arange(group.brand_start, group.brand_stop)
    days = np.arange(month.first, month.stop)
    offline = rng.poisson(0.3 * blueprint.brands.size[brand_ids, None] * np.ones((1, len(days))))
    cell = np.repeat(np.arange(offline.size), offline.reshape(-1))
    brand = np.concatenate([visits.brand[row], brand_ids[cell // len(days)]])
    day = np.concatenate([visits.day[row], days[cell % len(days)]])
    source = np.concatenate([_ROW_ORIGIN[visits.row[row]], np.full(len(cell), _OTHER)])
    platform = np.concatenate([visits.platform[row], np.full(len(cell), -1)])
    campaign = np.concatenate([visits.campaign[row], np.full(len(cell), -1)])
    n = len(brand)
    hour = categorical(rng, WEB_HOURS, np.zeros(n, dtype=np.int64))
    created = timeline.day_start_us(day) + hour * HOUR_US + rng.integers(0, 3600, n) * SECOND_US
    created = timeline.settle(created)
    visit_row = np.concatenate([visits.row[row], np.full(len(cell), -1)])
    order = np.argsort(created, kind="stable")
    brand, created, source, platform, campaign, visit_row = (
        a[order] for a in (brand, created, source, platform, campaign, visit_row)
    )
    social_row = ((visit_row >= _FIRST_SOCIAL) & (visit_row <= _LAST_SOCIAL)) | (
        visit_row == CAMPAIGN
    )
    software = np.array(
        [SECTORS[s].subscription for s in blueprint.brands.sector[brand]], dtype=np.int64
    )
    kind = categorical(rng, _KINDS, software)
    qualified = created + (rng.lognormal(np.log(2.0), 0.9, n) * DAY_US).astype(np.int64)
    qualified = timeline.settle(qualified - qualified % SECOND_US)
    is_qualified = (rng.random(n) < _QUALIFY[kind]) & (qualified < timeline.horizon_us)
    acquired = qualified + (rng.lognormal(np.log(5.0), 0.8, n) * DAY_US).astype(np.int64)
    acquired = timeline.settle(acquired - acquired % SECOND_US)
    converted = is_qualified & (rng.random(n) < _CONVERT) & (acquired < timeline.horizon_us)
    post_id = _source_posts(rng, blueprint, brand, platform, created, social_row, posts)
    return LeadBatch(
        lead_id=first_id + np.arange(n, dtype=np.int64),
        brand=brand,
        created=created,
        source=source,
        platform=platform,
        campaign=campaign,
        post_id=post_id,
        kind=kind,
        qualified=np.where(is_qualified, qualified, -1),
        acquired=np.where(converted, acquired, -1),
    )


def _source_posts(
    rng: np.random.Generator,
    blueprint: Blueprint,
    brand: IntArray,
    platform: IntArray,
    created: IntArray,
    social: BoolArray,
    posts: list[PostBatch],
) -> IntArray:
    """For about half the organic social leads, a post of that account from the 3 days before."""
    out = np.full(len(brand), -1, dtype=np.int64)
    if not posts:
        return out
    account = np.concatenate([p.account for p in posts])
    published = np.concatenate([p.local_us for p in posts])
    ids = np.concatenate([p.post_id for p in posts])
    order = np.lexsort((published, account))
    key = account[order] * (1 << 42) + (published[order] >> 20)  # ~1 s resolution fits in 42 bits
    wanted = social & (platform >= 0) & (rng.random(len(brand)) < 0.45)
    rows = np.flatnonzero(wanted)
    owner = blueprint.accounts.index_of[brand[rows], platform[rows]]
    high = np.searchsorted(key, owner * (1 << 42) + (created[rows] >> 20), side="right")
    low = np.searchsorted(
        key, owner * (1 << 42) + ((created[rows] - 3 * DAY_US) >> 20), side="left"
    )
    found = high > low
    choice = low + (rng.random(len(rows)) * (high - low)).astype(np.int64)
    out[rows[found]] = ids[order][choice[found]]
    return out


def lead_table(blueprint: Blueprint, leads: LeadBatch, customer_of: IntArray) -> pa.Table:
    """The ``lead`` table; ``customer_of`` gives each lead's customer_id or -1."""
    timeline = blueprint.timeline
    return assemble(
        "lead",
        {
            "lead_id": integers(leads.lead_id, pa.int64()),
            "native_id": reference("LEAD-", leads.lead_id),
            "created_at": timestamps(timeline.to_utc(leads.created)),
            "source": dictionary(leads.source, TRAFFIC_SOURCES),
            "platform": dictionary(np.maximum(leads.platform, 0), PLATFORMS, leads.platform < 0),
            "campaign_id": integers(leads.campaign + 1, pa.int32(), leads.campaign < 0),
            "post_id": integers(leads.post_id, pa.int64(), leads.post_id < 0),
            "is_qualified": pa.array(leads.qualified >= 0, type=pa.bool_()),
            "qualified_at": timestamps(timeline.to_utc(leads.qualified), leads.qualified < 0),
            "customer_id": integers(customer_of, pa.int64(), customer_of < 0),
        },
    )


def interaction_table(
    rng: np.random.Generator, blueprint: Blueprint, leads: LeadBatch, visits: Visits, first_id: int
) -> pa.Table:
    """The ``qualified_interaction`` table: one per lead, plus signups that stay anonymous."""
    timeline = blueprint.timeline
    extra = rng.poisson(visits.sessions * _ROW_CONVERSION[visits.row] * 0.35)
    row = np.repeat(np.arange(len(extra)), extra)
    hour = categorical(rng, WEB_HOURS, np.zeros(len(row), dtype=np.int64))
    when = (
        timeline.day_start_us(visits.day[row])
        + hour * HOUR_US
        + rng.integers(0, 3600, len(row)) * SECOND_US
    )
    occurred = np.concatenate([leads.created, timeline.settle(when)])
    kind = np.concatenate([leads.kind, np.zeros(len(row), dtype=np.int64)])
    source = np.concatenate([leads.source, _ROW_ORIGIN[visits.row[row]]])
    platform = np.concatenate([leads.platform, visits.platform[row]])
    campaign = np.concatenate([leads.campaign, visits.campaign[row]])
    lead_id = np.concatenate([leads.lead_id, np.full(len(row), -1)])
    order = np.argsort(occurred, kind="stable")
    occurred, kind, source, platform, campaign, lead_id = (
        a[order] for a in (occurred, kind, source, platform, campaign, lead_id)
    )
    interaction_id = first_id + np.arange(len(order), dtype=np.int64)
    return assemble(
        "qualified_interaction",
        {
            "interaction_id": integers(interaction_id, pa.int64()),
            "native_id": reference("QI-", interaction_id),
            "occurred_at": timestamps(timeline.to_utc(occurred)),
            "kind": dictionary(kind, INTERACTIONS),
            "source": dictionary(source, TRAFFIC_SOURCES),
            "platform": dictionary(np.maximum(platform, 0), PLATFORMS, platform < 0),
            "campaign_id": integers(campaign + 1, pa.int32(), campaign < 0),
            "lead_id": integers(lead_id, pa.int64(), lead_id < 0),
        },
    )
