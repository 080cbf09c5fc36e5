"""What social media costs: ad spend per campaign, content production, tools and staff.

Ad spend follows each campaign's daily budget on each platform, billed per day for short
campaigns and per week for longer ones; creator partnerships are billed once per campaign.
Content, tools and the community manager are monthly and shared by all platforms
(platform NULL), except video production billed to YouTube or TikTok now and then.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cadran.sources.demo.blueprint import Blueprint
from cadran.sources.demo.columns import constant, dates, decimals, dictionary, integers, origin
from cadran.sources.demo.identifiers import reference
from cadran.sources.demo.platforms import PLATFORMS
from cadran.sources.demo.spec import IntArray, rng_for
from cadran.sources.demo.tables import assemble

CATEGORIES = ("ads", "content", "tools", "staff", "other")
_AD_PRODUCTS = (
    "Meta Ads",
    "Meta Ads",
    "LinkedIn Ads",
    "X Ads",
    "TikTok Ads",
    "Google Ads (YouTube)",
)
# Monthly costs: category, description (fr, en), amount for a reference brand, size exponent.
_MONTHLY = (
    ("content", ("Production de contenus (photo, vidéo)", "Content production (photo, video)"),
     800.0, 0.7),
    ("tools", ("Outil de gestion des réseaux sociaux", "Social media management tool"), 249.0, 0.3),
    ("tools", ("Banque d'images", "Stock images"), 29.0, 0.0),
    ("tools", ("Outil de design", "Design tool"), 12.0, 0.0),
    ("staff", ("Community manager (temps partiel)", "Community manager (part time)"), 2200.0, 0.6),
)  # fmt: skip
_VIDEO = (("Production vidéo", "Video production"), 600.0)
_CREATORS = ("Partenariat créateurs", "Creator partnership")


def cost_table(blueprint: Blueprint) -> pa.Table:
    """The ``cost`` table of the whole workspace."""
    rng = rng_for(blueprint.spec, "costs")
    brands, campaigns, timeline = blueprint.brands, blueprint.campaigns, blueprint.timeline
    rows: list[tuple[IntArray, ...]] = []
    descriptions: list[str] = []

    # Ads: one row per day (campaigns of two weeks or less) or per week, per paid platform.
    c, p = np.nonzero(campaigns.budget)
    for index, platform in zip(c.tolist(), p.tolist(), strict=True):
        start, stop = int(campaigns.start[index]), int(campaigns.stop[index])
        step = 1 if stop - start <= 14 else 7
        first = np.arange(start, stop, step)
        last = np.minimum(first + step, stop) - 1
        spend = (
            campaigns.budget[index, platform]
            * (last - first + 1)
            * rng.uniform(0.9, 1.05, len(first))
        )
        descriptions.append(f"{_AD_PRODUCTS[platform]} — {campaigns.names[index]}")
        rows.append(_rows(first, last, 0, platform, index, spend, len(descriptions) - 1))
    # Creators, for the campaigns that hired some: billed over the whole campaign.
    for index in np.flatnonzero(campaigns.influencer_fee > 0).tolist():
        language = int(brands.language[campaigns.brand[index]])
        platform = 1 if campaigns.runs_on[index, 1] else 4
        descriptions.append(f"{_CREATORS[language]} — {campaigns.names[index]}")
        rows.append(
            _rows(
                np.array([campaigns.start[index]]),
                np.array([campaigns.stop[index] - 1]),
                4,
                platform,
                index,
                np.array([campaigns.influencer_fee[index]]),
                len(descriptions) - 1,
            )
        )
    # Monthly costs of each brand, and a video production every quarter or so.
    for month in timeline.months:
        first, last = np.array([month.first]), np.array([month.stop - 1])
        for brand in range(brands.count):
            language = int(brands.language[brand])
            size = float(brands.size[brand])
            for category, labels, amount, exponent in _MONTHLY:
                noise = rng.uniform(0.85, 1.15) if exponent else 1.0  # subscriptions are fixed
                descriptions.append(f"{labels[language]} · {brands.names[brand]}")
                spend = np.array([amount * size**exponent * noise])
                code = CATEGORIES.index(category)
                rows.append(_rows(first, last, code, -1, -1, spend, len(descriptions) - 1))
            owned = np.flatnonzero(blueprint.accounts.index_of[brand, 4:] >= 0) + 4
            if len(owned) and rng.random() < 0.35:
                platform = int(rng.choice(owned))
                spend = np.array([_VIDEO[1] * size**0.7 * rng.uniform(0.7, 1.5)])
                video = f"{_VIDEO[0][language]} {PLATFORMS[platform].capitalize()}"
                descriptions.append(f"{video} · {brands.names[brand]}")
                rows.append(_rows(first, last, 1, platform, -1, spend, len(descriptions) - 1))
    columns = [np.concatenate([r[i] for r in rows]) for i in range(7)]
    order = np.lexsort((columns[2], columns[0]))  # by period start, then category
    starts, ends, categories, platforms, campaign_ids, cents, texts = (c[order] for c in columns)
    cost_id = np.arange(1, len(starts) + 1, dtype=np.int64)
    n = len(cost_id)
    return assemble(
        "cost",
        {
            "cost_id": integers(cost_id, pa.int64()),
            "native_id": reference("INV-", cost_id, 7),
            "period_start": dates(timeline.ordinals(starts)),
            "period_end": dates(timeline.ordinals(ends)),
            "category": dictionary(categories, CATEGORIES),
            "platform": dictionary(np.maximum(platforms, 0), PLATFORMS, platforms < 0),
            "campaign_id": integers(campaign_ids + 1, pa.int32(), campaign_ids < 0),
            "amount": decimals(cents),
            "currency": constant(blueprint.spec.currency, n),
            "description": _unique_dictionary(texts, descriptions),
            "amount_origin": origin(np.ones(n, dtype=bool)),
        },
    )


def _rows(
    first: IntArray,
    last: IntArray,
    category: int,
    platform: int,
    campaign: int,
    spend: IntArray,
    text: int,
) -> tuple[IntArray, ...]:
    n = len(first)
    cents = np.round(np.asarray(spend, dtype=np.float64) * 100).astype(np.int64)
    full = [np.full(n, value, dtype=np.int64) for value in (category, platform, campaign, text)]
    return (
        first.astype(np.int64),
        last.astype(np.int64),
        full[0],
        full[1],
        full[2],
        cents,
        full[3],
    )


def _unique_dictionary(codes: IntArray, texts: list[str]) -> pa.Array:
    """Descriptions as a dictionary array whose values are distinct."""
    distinct: dict[str, int] = {}
    remap = np.array([distinct.setdefault(t, len(distinct)) for t in texts], dtype=np.int64)
    return dictionary(remap[codes], list(distinct))
