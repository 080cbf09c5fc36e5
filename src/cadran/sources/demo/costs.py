"""What social media costs: ad spend per campaign, content production, tools and staff.

Ad spend follows each campaign's daily budget on each platform, billed per day for short
campaigns and per week for longer ones; creator partnerships are billed once per campaign.
Content, tools and the community manager are monthly and shared by all platforms
(platform NULL), except video production billed to YouTube or TikTok now and then.

Every row says which traffic source it pays for (``channel``: ads are paid social, everything
else organic social). Costs that produce content (content and video production, creator
partnerships) are split into one row per content pillar, in proportion to the posts of each
pillar they paid for, so that ROI can be ranked by pillar; the split keeps every invoice's
total to the cent, and it draws no random numbers, so amounts are those of an unsplit table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cadran.sources.demo.blueprint import Blueprint
from cadran.sources.demo.columns import constant, dates, decimals, dictionary, integers, origin
from cadran.sources.demo.identifiers import reference
from cadran.sources.demo.leads import TRAFFIC_SOURCES
from cadran.sources.demo.platforms import PLATFORMS, TOPICS
from cadran.sources.demo.posts import PostBatch
from cadran.sources.demo.spec import IntArray, rng_for
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.timeline import Month

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
_PAID_SOCIAL = TRAFFIC_SOURCES.index("paid_social")
_ORGANIC_SOCIAL = TRAFFIC_SOURCES.index("organic_social")
_CENTS, _PILLAR = 5, 8  # positions of the amount and the pillar in a tuple of ``_rows``


@dataclass(frozen=True, eq=False)
class PillarLedger:
    """Posts per content pillar (``TOPICS``), per account and month and per campaign.

    Filled as posts are generated, read by ``cost_table`` to share content costs among the
    pillars they produced.
    """

    by_account: IntArray  # (accounts, months, pillars)
    by_campaign: IntArray  # (campaigns, pillars)

    @classmethod
    def empty(cls, blueprint: Blueprint) -> PillarLedger:
        """A ledger without posts for ``blueprint``'s accounts, months and campaigns."""
        months = len(blueprint.timeline.months)
        return cls(
            np.zeros((blueprint.accounts.count, months, len(TOPICS)), dtype=np.int64),
            np.zeros((blueprint.campaigns.count, len(TOPICS)), dtype=np.int64),
        )

    def record(self, month: Month, posts: PostBatch) -> None:
        """Count a month's posts (of any group: accounts are absolute indices)."""
        pillars = len(TOPICS)
        accounts, campaigns = self.by_account.shape[0], self.by_campaign.shape[0]
        cells = np.bincount(posts.account * pillars + posts.topic, minlength=accounts * pillars)
        self.by_account[:, month.index] += cells.reshape(accounts, pillars)
        tagged = posts.campaign >= 0
        cells = np.bincount(
            posts.campaign[tagged] * pillars + posts.topic[tagged], minlength=campaigns * pillars
        )
        self.by_campaign[:] += cells.reshape(campaigns, pillars)


def cost_table(blueprint: Blueprint, pillars: PillarLedger | None = None) -> pa.Table:
    """The ``cost`` table of the whole workspace.

    With ``pillars``, content costs are split per pillar; without, each stays one row with
    ``pillar`` NULL (same amounts, same totals per period, category and platform).
    """
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
        rows.append(
            _rows(first, last, 0, platform, index, spend, len(descriptions) - 1, _PAID_SOCIAL)
        )
    # Creators, for the campaigns that hired some: billed over the whole campaign.
    for index in np.flatnonzero(campaigns.influencer_fee > 0).tolist():
        language = int(brands.language[campaigns.brand[index]])
        platform = 1 if campaigns.runs_on[index, 1] else 4
        descriptions.append(f"{_CREATORS[language]} — {campaigns.names[index]}")
        creators = _rows(
            np.array([campaigns.start[index]]),
            np.array([campaigns.stop[index] - 1]),
            4,
            platform,
            index,
            np.array([campaigns.influencer_fee[index]]),
            len(descriptions) - 1,
            _ORGANIC_SOCIAL,
        )
        # Creators make content for the campaign: its posts' pillars say what they made.
        rows.append(_split(creators, None if pillars is None else pillars.by_campaign[index]))
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
                row = _rows(
                    first, last, code, -1, -1, spend, len(descriptions) - 1, _ORGANIC_SOCIAL
                )
                if category == "content" and pillars is not None:
                    owned = blueprint.accounts.index_of[brand]
                    made = pillars.by_account[owned[owned >= 0], month.index].sum(axis=0)
                    row = _split(row, made)
                rows.append(row)
            owned = np.flatnonzero(blueprint.accounts.index_of[brand, 4:] >= 0) + 4
            if len(owned) and rng.random() < 0.35:
                platform = int(rng.choice(owned))
                spend = np.array([_VIDEO[1] * size**0.7 * rng.uniform(0.7, 1.5)])
                video = f"{_VIDEO[0][language]} {PLATFORMS[platform].capitalize()}"
                descriptions.append(f"{video} · {brands.names[brand]}")
                row = _rows(
                    first, last, 1, platform, -1, spend, len(descriptions) - 1, _ORGANIC_SOCIAL
                )
                if pillars is not None:  # the videos of that account this month
                    account = blueprint.accounts.index_of[brand, platform]
                    row = _split(row, pillars.by_account[account, month.index])
                rows.append(row)
    columns = [np.concatenate([r[i] for r in rows]) for i in range(9)]
    order = np.lexsort((columns[2], columns[0]))  # by period start, then category (stable)
    starts, ends, categories, platforms, campaign_ids, cents, texts, channels, pillar = (
        c[order] for c in columns
    )
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
            "channel": dictionary(channels, TRAFFIC_SOURCES),
            "pillar": dictionary(np.maximum(pillar, 0), TOPICS, pillar < 0),
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
    channel: int,
) -> tuple[IntArray, ...]:
    """Cost rows as columns: first day, last day, category, platform, campaign, cents,
    description, channel and pillar (-1: none)."""
    n = len(first)
    cents = np.round(np.asarray(spend, dtype=np.float64) * 100).astype(np.int64)
    full = [
        np.full(n, value, dtype=np.int64)
        for value in (category, platform, campaign, text, channel, -1)
    ]
    return (
        first.astype(np.int64),
        last.astype(np.int64),
        full[0],
        full[1],
        full[2],
        cents,
        full[3],
        full[4],
        full[5],
    )


def _split(row: tuple[IntArray, ...], posts: IntArray | None) -> tuple[IntArray, ...]:
    """One cost row (of ``_rows``) as one row per pillar, in proportion to ``posts`` per pillar.

    Cents are shared by largest remainder, so the parts add up to the row's amount exactly;
    pillars without posts (or without a cent) get no row. Without posts the row stays whole.
    """
    if posts is None or posts.sum() == 0:
        return row
    total = int(row[_CENTS][0])
    exact = total * posts / posts.sum()
    parts = np.floor(exact).astype(np.int64)
    short = total - int(parts.sum())
    parts[np.argsort(parts - exact, kind="stable")[:short]] += 1  # largest remainders first
    kept = np.flatnonzero(parts > 0)
    out = [np.repeat(column, len(kept)) for column in row]
    out[_CENTS] = parts[kept]
    out[_PILLAR] = kept.astype(np.int64)
    return tuple(out)


def _unique_dictionary(codes: IntArray, texts: list[str]) -> pa.Array:
    """Descriptions as a dictionary array whose values are distinct."""
    distinct: dict[str, int] = {}
    remap = np.array([distinct.setdefault(t, len(distinct)) for t in texts], dtype=np.int64)
    return dictionary(remap[codes], list(distinct))
