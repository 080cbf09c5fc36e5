"""Touchpoints: the contacts each lead and customer had with the brand before converting.

A tracked lead's journey ends with the visit it signed up in, a few minutes before the lead was
created, with the lead's recorded source, platform, campaign and post. Before it come 0 to a
few touches (mean ~1.5) over the previous month, whose channel depends on where they stand:
the first one is mostly discovery (organic social, search, referrals), later ones consideration
(paid social during campaigns, newsletters, direct visits). Converted leads get 0 to 3 closing
touches (newsletter, direct visits, retargeting ads) between the lead and the purchase; buyers
who never were leads get 1 to 3 touches ending with their recorded source.

Social media has a real effect: people who will buy had more touches, and more of them social,
so first-touch, last-touch and data-driven models credit channels differently. Social touches
name a post of the account about half of the time, chosen with pillar weights that differ by
stage (entertainment and lifestyle posts discover, promotions close), so that ROI per pillar
differs too. Offline leads (source ``other``) and visitors who refused tracking (~3 % of the
leads together) have no touch before their lead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cadran.sources.demo.blueprint import Blueprint
from cadran.sources.demo.columns import dictionary, integers, timestamps
from cadran.sources.demo.customers import CustomerBatch
from cadran.sources.demo.identifiers import reference
from cadran.sources.demo.leads import TRAFFIC_SOURCES, WEB_HOURS, LeadBatch
from cadran.sources.demo.platforms import PLATFORMS
from cadran.sources.demo.posts import PostBatch
from cadran.sources.demo.sampling import categorical, cdf_table, truncated_exponential
from cadran.sources.demo.spec import WINDOW_DAYS, BoolArray, FloatArray, IntArray
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.timeline import DAY_US, HOUR_US, MINUTE_US, SECOND_US
from cadran.sources.demo.traffic import SOURCES, UTM_SOURCES

_SOCIAL, _PAID, _SEARCH, _PAID_SEARCH, _DIRECT, _REFERRAL, _EMAIL, _OTHER = range(8)
_P = len(PLATFORMS)
# Stages of a journey. Rows of _WEIGHTS are stage x (0: will not buy, 1: will buy); columns
# follow TRAFFIC_SOURCES. Paid social is only possible on days a paid campaign runs (~30 % of
# the days), so its weights are high: touches that find no campaign are drawn again from the
# other channels (_UNPAID). There are no search ads in the demo; offline touches go untracked.
_DISCOVERY, _MIDDLE, _CLOSING, _FINAL = range(4)
_WEIGHTS = np.array(
    [[0.36, 0.14, 0.24, 0, 0.07, 0.14, 0.09, 0], [0.46, 0.16, 0.18, 0, 0.05, 0.12, 0.07, 0],
     [0.20, 0.36, 0.16, 0, 0.12, 0.06, 0.20, 0], [0.24, 0.44, 0.12, 0, 0.10, 0.05, 0.17, 0],
     [0.08, 0.24, 0.10, 0, 0.28, 0.02, 0.36, 0], [0.08, 0.24, 0.10, 0, 0.28, 0.02, 0.36, 0]]
)  # fmt: skip
_MIX = cdf_table(_WEIGHTS.tolist())
_UNPAID = cdf_table((_WEIGHTS * (np.arange(8) != _PAID)).tolist())
_MAX_EARLIER = 8
_EARLIER = np.array([1.4, 2.1])  # mean earlier touches (geometric) before a lead; buyers more
_CLOSING_COUNT = cdf_table([[0.2, 0.35, 0.28, 0.17]])  # 0..3 touches between lead and purchase
_BUYER_JOURNEY = cdf_table([[0.45, 0.33, 0.22]])  # 1..3 touches of buyers who were no lead
_UNTRACKED = 0.018  # visitors who refused tracking: their lead has no touch
_SOCIAL_WEIGHTS = np.array([0.26, 0.30, 0.14, 0.07, 0.16, 0.07])  # organic visits per platform
# Pillar weights (TOPICS order) of the posts social touches name, per stage: entertaining and
# lifestyle posts reach new people, product and useful ones convince, promotions close.
_PILLARS = np.array(
    [[0.8, 0.5, 1.0, 2.2, 1.6], [1.3, 1.0, 1.5, 0.8, 0.8], [1.4, 2.2, 1.0, 0.4, 0.6],
     [1.4, 2.2, 1.0, 0.4, 0.6]]
)  # fmt: skip

_HOSTS = tuple(s.source for s in sorted(SOURCES, key=lambda s: s.platform) if s.platform >= 0)
SOURCE_NAMES = (*_HOSTS, *UTM_SOURCES, "google", "bing", "(direct)", "newsletter", "lemonde.fr",
                "theguardian.com", "medium.com", "chatgpt.com", "pinterest.com")  # fmt: skip
_UTM, _GOOGLE, _BING, _NONE, _NEWSLETTER = 6, 12, 13, 14, 15
_PRESS, _MEDIUM_COM, _CHATGPT, _PINTEREST = 16, 18, 19, 20
# utm mediums of every channel; "cpc" stays unused: the demo buys no search ads.
MEDIUMS = ("social", "paid_social", "organic", "cpc", "email", "referral", "(none)")
INTERACTIONS = ("visit", "click", "view", "open")
_VISIT, _CLICK, _VIEW, _OPEN = range(4)
_FIELDS = ("lead", "customer", "brand", "at", "rank", "stage", "channel", "platform", "campaign",
           "post")  # fmt: skip

Touches = dict[str, IntArray]  # one array per name of _FIELDS, one row per touch


@dataclass(frozen=True, eq=False)
class _PostIndex:
    """Posts sorted by (key, publication) to find those of a key published in a time window."""

    packed: IntArray  # key << 42 | published >> 20 (~1 s resolution)
    post_id: IntArray
    campaign: IntArray
    cumulative: FloatArray  # (stages, posts + 1): running pillar weights, to pick by weight

    @classmethod
    def build(cls, posts: list[PostBatch], key: IntArray, keep: BoolArray) -> _PostIndex:
        """The index of the ``keep`` posts of ``posts`` (concatenated), under ``key``."""
        published = np.concatenate([p.local_us for p in posts])[keep]
        topic = np.concatenate([p.topic for p in posts])[keep]
        order = np.lexsort((published, key[keep]))
        weights = _PILLARS[:, topic[order]]
        return cls(
            key[keep][order] * (1 << 42) + (published[order] >> 20),
            np.concatenate([p.post_id for p in posts])[keep][order],
            np.concatenate([p.campaign for p in posts])[keep][order],
            np.concatenate([np.zeros((len(_PILLARS), 1)), np.cumsum(weights, axis=1)], axis=1),
        )

    def pick(
        self, rng: np.random.Generator, key: IntArray, at: IntArray, days: int, stage: IntArray
    ) -> tuple[IntArray, IntArray]:
        """A post of each ``key`` published in the ``days`` before ``at`` (-1 if none), drawn
        with the pillar weights of ``stage``; and its campaign (-1 if none)."""
        low = np.searchsorted(self.packed, key * (1 << 42) + ((at - days * DAY_US) >> 20))
        # Posts of the touch's own second are left out: a touch never names a later post.
        high = np.searchsorted(self.packed, key * (1 << 42) + (at >> 20) - 1, side="right")
        draws = rng.random(len(key))
        chosen = np.full(len(key), -1, dtype=np.int64)
        for value in np.unique(stage):
            rows = np.flatnonzero((stage == value) & (high > low))
            cumulative = self.cumulative[value]
            start, stop = cumulative[low[rows]], cumulative[high[rows]]
            found = np.searchsorted(cumulative, start + draws[rows] * (stop - start), side="right")
            chosen[rows] = np.clip(found - 1, low[rows], high[rows] - 1)
        found = chosen >= 0
        safe = np.maximum(chosen, 0)
        return (
            np.where(found, self.post_id[safe], -1) if len(self.post_id) else chosen,
            np.where(found, self.campaign[safe], -1) if len(self.post_id) else chosen,
        )


_EMPTY = _PostIndex(
    np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((4, 1))
)


@dataclass(frozen=True, eq=False)
class _Context:
    """What every step reads: the plan, and recent posts by account and by paid campaign."""

    rng: np.random.Generator
    blueprint: Blueprint
    organic: _PostIndex
    boosted: _PostIndex
    post_ids: IntArray  # every recent post, in id order
    published: IntArray  # their local publication instants

    def published_at(self, post_id: IntArray) -> IntArray:
        """Local publication instant of recent posts (``post_id`` >= 0, all among them)."""
        return self.published[np.searchsorted(self.post_ids, post_id)]

    @property
    def window_start(self) -> int:
        """Local midnight of the first day: tracking starts with the data."""
        return int(self.blueprint.timeline.day_start_us(np.array([0]))[0])


def touchpoint_table(
    rng: np.random.Generator,
    blueprint: Blueprint,
    leads: LeadBatch,
    customer_of: IntArray,
    customers: CustomerBatch,
    posts: list[PostBatch],
    first_id: int,
) -> pa.Table:
    """The ``touchpoint`` rows of a month's ``leads`` and ``customers``, ids from ``first_id``.

    ``customer_of`` gives each lead's customer_id (-1 if none); ``posts`` are the posts of the
    last months, which social touches may name.
    """
    organic, boosted = _EMPTY, _EMPTY
    post_ids, published = np.zeros(0, np.int64), np.zeros(0, np.int64)
    if posts:
        post_ids = np.concatenate([p.post_id for p in posts])
        published = np.concatenate([p.local_us for p in posts])
        account = np.concatenate([p.account for p in posts])
        campaign = np.concatenate([p.campaign for p in posts]) * _P
        organic = _PostIndex.build(posts, account, np.ones(len(account), dtype=bool))
        paid = np.concatenate([p.is_paid for p in posts])  # boosted posts are ads of a campaign
        boosted = _PostIndex.build(
            posts, campaign + np.concatenate([p.platform for p in posts]), paid
        )
    context = _Context(rng, blueprint, organic, boosted, post_ids, published)
    parts = [
        _lead_journeys(context, leads),
        _closing_touches(context, leads, customer_of),
        _buyer_journeys(context, customers),
    ]
    touches = {name: np.concatenate([p[name] for p in parts]) for name in _FIELDS}
    order = np.lexsort((touches["rank"], touches["at"]))
    touches = {name: values[order] for name, values in touches.items()}
    return _table(context, touches, first_id)


def _lead_journeys(context: _Context, leads: LeadBatch) -> Touches:
    """The touches up to each tracked lead: earlier ones, then the visit it signed up in."""
    rng, timeline = context.rng, context.blueprint.timeline
    tracked = np.flatnonzero((leads.source != _OTHER) & (rng.random(leads.count) >= _UNTRACKED))
    created = leads.created[tracked]
    before = created - rng.integers(60, 20 * 60, len(tracked)) * SECOND_US  # the visit lasted
    # The visit never precedes the post that brought it (the lead names a post of the 3 days
    # before its creation, which may be a minute old).
    post = leads.post_id[tracked]
    named = np.flatnonzero(post >= 0)
    before[named] = np.maximum(before[named], context.published_at(post[named]))
    at = np.minimum(timeline.settle(np.maximum(before, context.window_start)), created)
    final = _touches(
        lead=leads.lead_id[tracked],
        brand=leads.brand[tracked],
        at=at,
        rank=np.full(len(tracked), 1_000),
        stage=np.full(len(tracked), _FINAL),
        channel=leads.source[tracked],
        platform=leads.platform[tracked],
        campaign=leads.campaign[tracked],
        post=post,
    )
    buyer = (leads.acquired[tracked] >= 0).astype(np.int64)
    # Geometric counts truncated to 0.._MAX_EARLIER: an exponential floored, drawn below the cap.
    rate = np.log1p(1.0 / _EARLIER[buyer])
    drawn = truncated_exponential(rng, 1.0 / rate, np.full(len(tracked), _MAX_EARLIER + 1.0))
    counts = np.minimum(drawn.astype(np.int64), _MAX_EARLIER)
    earlier = _earlier(context, final, buyer, counts, scale=8.0, upper=30.0)
    return _join([earlier, final])


def _closing_touches(context: _Context, leads: LeadBatch, customer_of: IntArray) -> Touches:
    """0 to 3 touches of each converted lead between its creation and its purchase."""
    rng, timeline = context.rng, context.blueprint.timeline
    converted = np.flatnonzero(customer_of >= 0)
    created, acquired = leads.created[converted], leads.acquired[converted]
    low = timeline.settle(created + MINUTE_US)  # strictly after the lead's own last touch
    counts = categorical(rng, _CLOSING_COUNT, np.zeros(len(converted), dtype=np.int64))
    counts = np.where(low <= acquired, counts, 0)
    owner = np.repeat(np.arange(len(converted)), counts)
    first_day = _day_of(context, created[owner])
    span = _day_of(context, acquired[owner]) - first_day + 1
    day = first_day + (rng.random(len(owner)) * span).astype(np.int64)
    at = np.clip(_at_web_hour(context, day), low[owner], acquired[owner])
    order = np.lexsort((at, owner))
    owner, at = owner[order], at[order]
    rank = 1_001 + np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    touches = _touches(
        lead=leads.lead_id[converted][owner],
        customer=customer_of[converted][owner],
        brand=leads.brand[converted][owner],
        at=at,
        rank=rank,
        stage=np.full(len(owner), _CLOSING),
    )
    mix = np.full(len(owner), 2 * _CLOSING + 1)
    touches["channel"] = categorical(rng, _MIX, mix)
    return _realise(context, touches, leads.platform[converted][owner], mix)


def _buyer_journeys(context: _Context, customers: CustomerBatch) -> Touches:
    """1 to 3 touches of each buyer who was never a lead, the last one its recorded source."""
    rng, timeline = context.rng, context.blueprint.timeline
    direct = np.flatnonzero((customers.lead_id < 0) & (customers.source != _OTHER))
    acquired = customers.acquired[direct]
    before = acquired - rng.integers(2, 30, len(direct)) * MINUTE_US
    at = np.minimum(timeline.settle(np.maximum(before, context.window_start)), acquired)
    final = _touches(
        customer=customers.customer_id[direct],
        brand=customers.brand[direct],
        at=at,
        rank=np.full(len(direct), 1_000),
        stage=np.full(len(direct), _FINAL),
        channel=customers.source[direct],
        platform=customers.platform[direct],
        campaign=customers.campaign[direct],
    )
    # Customers record no post: name one for some social buyers, as for social leads.
    social = np.flatnonzero((final["channel"] == _SOCIAL) & (rng.random(len(direct)) < 0.45))
    account = context.blueprint.accounts.index_of[final["brand"][social], final["platform"][social]]
    post, _ = context.organic.pick(rng, account, at[social], 3, final["stage"][social])
    final["post"][social] = post
    counts = categorical(rng, _BUYER_JOURNEY, np.zeros(len(direct), dtype=np.int64))
    buyer = np.ones(len(direct), dtype=np.int64)
    earlier = _earlier(context, final, buyer, counts, scale=5.0, upper=14.0)
    return _join([earlier, final])


def _earlier(
    context: _Context,
    final: Touches,
    buyer: IntArray,
    counts: IntArray,
    scale: float,
    upper: float,
) -> Touches:
    """``counts`` touches before each ``final`` touch, days before it (exponential ages of mean
    ~``scale`` days, at most ``upper``): the oldest one discovers, the others consider."""
    rng = context.rng
    owner = np.repeat(np.arange(len(counts)), counts)
    age = truncated_exponential(rng, scale, np.full(len(owner), upper))
    order = np.lexsort((-age, owner))  # oldest first within each journey
    owner, age = owner[order], age[order]
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    stage = np.where(rank == 0, _DISCOVERY, _MIDDLE)
    mix = 2 * stage + buyer[owner]
    channel = categorical(rng, _MIX, mix)
    end = final["at"][owner]
    last_day = _day_of(context, end)
    day = last_day - age.astype(np.int64)
    # Newsletters go out on Tuesdays: their opens and clicks come that day or the next.
    ordinal = context.blueprint.timeline.first_ordinal + day
    tuesday = day - (ordinal + 3 - 1) % 7 + (rng.random(len(day)) < 0.3)
    tuesday = np.where(tuesday < last_day - upper, tuesday + 7, tuesday)  # the next one's
    day = np.where(channel == _EMAIL, np.minimum(tuesday, last_day), day)
    at = _at_web_hour(context, day)
    # A touch drawn later than the final one on its day comes a few minutes to hours before it.
    earlier = context.blueprint.timeline.settle(
        end - (rng.uniform(5, 180, len(at)) * MINUTE_US).astype(np.int64)
    )
    at = np.minimum(np.where(at < end, at, earlier), end)
    touches = {name: values[owner] for name, values in final.items()}
    touches.update(at=at, rank=rank, stage=stage, channel=channel)
    touches = _realise(context, touches, final["platform"][owner], mix)
    keep = touches["at"] >= context.window_start  # tracking starts with the data
    return {name: values[keep] for name, values in touches.items()}


def _realise(context: _Context, touches: Touches, hint: IntArray, mix: IntArray) -> Touches:
    """Platform, campaign and post of drawn social touches. Paid social needs a paid campaign
    running that day on one of the brand's accounts, else the touch's channel is drawn again
    from its ``mix`` (row of _MIX) without paid social. ``hint`` is the person's platform."""
    rng, blueprint = context.rng, context.blueprint
    accounts, campaigns = blueprint.accounts, blueprint.campaigns
    n = len(touches["at"])
    brand, at, stage = touches["brand"], touches["at"], touches["stage"]
    day = np.clip(_day_of(context, at), 0, WINDOW_DAYS - 1)
    platform, campaign, post = (np.full(n, -1, dtype=np.int64) for _ in range(3))
    channel = touches["channel"].copy()

    rows = np.flatnonzero(channel == _PAID)
    owned = accounts.index_of[brand[rows]]
    running = campaigns.of_account_day[np.maximum(owned, 0), day[rows, None]]
    running = np.where(owned >= 0, running, -1)
    paid = (running >= 0) & (campaigns.budget[np.maximum(running, 0), np.arange(_P)] > 0)
    # People see the ads of the platform they use first, when it runs some.
    score = rng.random(owned.shape) + (np.arange(_P) == hint[rows, None])
    ad = np.argmax(np.where(paid, score, -1.0), axis=1)
    none = ~paid.any(axis=1)
    channel[rows[none]] = categorical(rng, _UNPAID, mix[rows[none]])
    rows, ad, running = rows[~none], ad[~none], running[~none]
    platform[rows] = ad
    campaign[rows] = running[np.arange(len(rows)), ad]
    boosted = rows[rng.random(len(rows)) < 0.5]
    post[boosted], _ = context.boosted.pick(
        rng, campaign[boosted] * _P + platform[boosted], at[boosted], 7, stage[boosted]
    )

    rows = np.flatnonzero(channel == _SOCIAL)
    owned = accounts.index_of[brand[rows]]
    weight = np.cumsum(_SOCIAL_WEIGHTS * (owned >= 0), axis=1)
    drawn = np.argmax(weight > rng.random(len(rows))[:, None] * weight[:, -1:], axis=1)
    usual = hint[rows]
    loyal = (usual >= 0) & (rng.random(len(rows)) < 0.5)  # people follow one or two platforms
    chosen = np.where(
        loyal & (owned[np.arange(len(rows)), np.maximum(usual, 0)] >= 0), usual, drawn
    )
    account = owned[np.arange(len(rows)), chosen]
    platform[rows] = chosen
    # Visits from utm-tagged campaign posts, as in web traffic, when a campaign runs there.
    tagged = rng.random(len(rows)) < 0.3
    campaign[rows] = np.where(tagged, campaigns.of_account_day[account, day[rows]], -1)
    named = np.flatnonzero(rng.random(len(rows)) < 0.5)
    found, from_post = context.organic.pick(
        rng, account[named], at[rows[named]], 3, stage[rows[named]]
    )
    post[rows[named]] = found
    # A touch that names a post carries the post's campaign (or none).
    campaign[rows[named]] = np.where(found >= 0, from_post, campaign[rows[named]])
    touches.update(channel=channel, platform=platform, campaign=campaign, post=post)
    return touches


def _table(context: _Context, touches: Touches, first_id: int) -> pa.Table:
    """The ``touchpoint`` table, with each touch's utm source, medium, campaign and interaction."""
    rng, blueprint = context.rng, context.blueprint
    channel, platform, campaign = touches["channel"], touches["platform"], touches["campaign"]
    post, stage = touches["post"], touches["stage"]
    n = len(channel)
    final = stage == _FINAL
    tagged = (campaign >= 0) | (post >= 0)  # links in posts and campaign visits carry utm tags
    day = np.clip(_day_of(context, touches["at"]), 0, WINDOW_DAYS - 1)
    chatgpt = rng.random(n) < 0.1 + 0.5 * (day / WINDOW_DAYS) ** 2  # AI assistants grow
    language = blueprint.brands.language[touches["brand"]]
    press = np.where(rng.random(n) < 0.55, _PRESS + language, _MEDIUM_COM)
    search = np.where(rng.random(n) < 0.9, _GOOGLE, _BING)
    # Organic social leads from Pinterest have no platform of the schema.
    social_source = np.where(tagged, _UTM + platform, np.where(platform >= 0, platform, _PINTEREST))
    source = np.select(
        [channel == _SOCIAL, channel == _PAID, channel == _SEARCH, channel == _REFERRAL,
         channel == _EMAIL],
        [social_source, _UTM + platform, search, np.where(chatgpt, _CHATGPT, press), _NEWSLETTER],
        _NONE,
    )  # fmt: skip
    medium = np.select(
        [channel == _SOCIAL, channel == _PAID, channel == _SEARCH, channel == _EMAIL,
         channel == _REFERRAL],
        [np.where(tagged, 0, 5), 1, 2, 4, 5],
        6,
    )  # fmt: skip
    # Newsletters before the lead, nurturing emails after it; campaigns by their utm name.
    utm = np.where(campaign >= 0, campaign + 2, np.where(stage == _CLOSING, 1, 0))
    has_utm = (campaign >= 0) | (channel == _EMAIL)
    draw = rng.random(n)
    seen = np.where(
        channel == _EMAIL, np.where(draw < 0.45, _OPEN, _CLICK), np.where(draw < 0.4, _VIEW, _CLICK)
    )
    reached = (channel == _EMAIL) | (channel == _PAID) | ((channel == _SOCIAL) & (post >= 0))
    # A final touch is the session the person converted in: a click or a visit, never a view.
    interaction = np.where(reached, np.where(final, _CLICK, seen), _VISIT)
    touchpoint_id = first_id + np.arange(n, dtype=np.int64)
    lead, customer = touches["lead"], touches["customer"]
    return assemble(
        "touchpoint",
        {
            "touchpoint_id": integers(touchpoint_id, pa.int64()),
            "native_id": reference("TP-", touchpoint_id),
            "occurred_at": timestamps(blueprint.timeline.to_utc(touches["at"])),
            "lead_id": integers(lead, pa.int64(), lead < 0),
            "customer_id": integers(customer, pa.int64(), customer < 0),
            "channel": dictionary(channel, TRAFFIC_SOURCES),
            "source": dictionary(source, SOURCE_NAMES),
            "medium": dictionary(medium, MEDIUMS),
            "utm_campaign": dictionary(
                utm, ("newsletter", "nurturing", *blueprint.campaigns.slugs), ~has_utm
            ),
            "platform": dictionary(np.maximum(platform, 0), PLATFORMS, platform < 0),
            "campaign_id": integers(campaign + 1, pa.int32(), campaign < 0),
            "post_id": integers(post, pa.int64(), post < 0),
            "interaction": dictionary(interaction, INTERACTIONS),
        },
    )


def _touches(**given: IntArray) -> Touches:
    """Touches with the ``given`` fields; the others -1 (no lead, no post...)."""
    n = len(next(iter(given.values())))
    return {name: given.get(name, np.full(n, -1, dtype=np.int64)) for name in _FIELDS}


def _join(parts: list[Touches]) -> Touches:
    """Several sets of touches as one."""
    return {name: np.concatenate([p[name] for p in parts]) for name in _FIELDS}


def _day_of(context: _Context, local_us: IntArray) -> IntArray:
    """Day index (may fall outside the window) of local instants."""
    return local_us // DAY_US - context.blueprint.timeline.first_ordinal


def _at_web_hour(context: _Context, day: IntArray) -> IntArray:
    """An instant of each day at the hours people browse, settled out of DST gaps."""
    rng, timeline = context.rng, context.blueprint.timeline
    hour = categorical(rng, WEB_HOURS, np.zeros(len(day), dtype=np.int64))
    second = rng.integers(0, 3600, len(day))
    return timeline.settle(timeline.day_start_us(day) + hour * HOUR_US + second * SECOND_US)
