"""Website sessions (GA4-style) by day, source, medium and campaign, and where leads come from.

Sessions from social platforms follow the link clicks of the brand's posts (and the link in bio
where posts carry no links); brand searches on Google grow with the brands' social reach (the
seed's "indirect traffic"); paid social sessions follow campaign budgets at each platform's cost
per click; newsletters go out on Tuesdays. GA4 default channel groups label every row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from cadran.sources.demo.activity import Activity
from cadran.sources.demo.blueprint import Blueprint, Group
from cadran.sources.demo.columns import booleans, dates, dictionary, floats, integers, origin
from cadran.sources.demo.platforms import PLATFORMS, PROFILES
from cadran.sources.demo.sampling import poisson
from cadran.sources.demo.spec import WINDOW_DAYS, FloatArray, IntArray, rng_for
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.timeline import Month
from cadran.sources.demo.vocabulary import SECTORS


@dataclass(frozen=True)
class Source:
    """A row kind of the traffic table and how its sessions behave."""

    source: str
    medium: str
    utm: str | None
    channel: str  # GA4 default channel group
    brand_search: bool | None
    platform: int  # -1 when not a social platform of the schema
    origin: str  # traffic_source of the leads it brings
    engaged: float  # share of engaged sessions
    seconds: float  # mean engagement time of an engaged session
    conversion: float  # leads per session


_SOCIAL_HOSTS = ("facebook.com", "instagram.com", "lnkd.in", "t.co", "tiktok.com", "youtube.com")
UTM_SOURCES = ("facebook", "instagram", "linkedin", "x", "tiktok", "youtube")
SEARCH, SOCIAL = "Organic Search", "Organic Social"
# Arguments: source, medium, utm_campaign, channel group, brand search, platform, lead source,
# engaged share, seconds per engaged session, leads per session.
SOURCES: tuple[Source, ...] = (
    Source("(direct)", "(none)", None, "Direct", None, -1, "direct", 0.62, 120, 0.012),
    Source("google", "organic", None, SEARCH, True, -1, "organic_search", 0.72, 130, 0.022),
    Source("google", "organic", None, SEARCH, False, -1, "organic_search", 0.6, 100, 0.012),
    Source("bing", "organic", None, SEARCH, False, -1, "organic_search", 0.58, 95, 0.01),
    *(Source(host, "referral", None, SOCIAL, None, code, "organic_social", 0.45, 70, 0.03)
      for code, host in enumerate(_SOCIAL_HOSTS)),
    Source("pinterest.com", "referral", None, SOCIAL, None, -1, "organic_social", 0.4, 60, 0.01),
    Source("newsletter", "email", "newsletter", "Email", None, -1, "email", 0.7, 140, 0.03),
    Source("lemonde.fr", "referral", None, "Referral", None, -1, "referral", 0.55, 110, 0.008),
    Source("theguardian.com", "referral", None, "Referral", None, -1, "referral", 0.55, 110, 0.008),
    Source("medium.com", "referral", None, "Referral", None, -1, "referral", 0.6, 120, 0.01),
    Source("chatgpt.com", "referral", None, "Referral", None, -1, "referral", 0.75, 150, 0.02),
)  # fmt: skip
PAID = len(SOURCES)  # row code of paid social campaign rows
CAMPAIGN = PAID + 1  # row code of organic posts' utm-tagged campaign rows
ROW_BEHAVIOUR = (
    *SOURCES,
    Source("", "paid_social", None, "Paid Social", None, -1, "paid_social", 0.35, 45, 0.04),
    Source("", "social", None, SOCIAL, None, -1, "organic_social", 0.5, 80, 0.035),
)
_BRAND_SEARCH, _SOCIAL = 1, 4  # row codes of brand searches and of the first social host
_EMAIL, _PRESS_FR, _PRESS_EN, _CHATGPT = 11, 12, 13, 15
# Sessions per ordinary day of a reference brand (size 1), before seasonality.
_BASE = np.array([260, 90, 200, 20, 0, 0, 0, 0, 0, 0, 12, 0, 10, 10, 18, 0], dtype=float)
_NEWSLETTER = np.array([12, 300, 90, 30, 12, 12, 12], dtype=float)  # sent on Tuesdays
_CPC = np.array([p.cpc for p in PROFILES])
_BIO_VISITS = 0.001  # daily visits from a profile's link in bio, per follower


@dataclass(frozen=True, eq=False)
class Visits:
    """Sessions of one month and group, per (brand, day, row kind, platform, campaign)."""

    brand: IntArray
    day: IntArray
    row: IntArray
    platform: IntArray
    campaign: IntArray
    sessions: IntArray


_SOURCE_PLATFORM = np.array([s.platform for s in SOURCES], dtype=np.int64)


@dataclass(eq=False)
class TrafficLedger:
    """Workspace-wide sessions: per (day, source row) summed over brands, plus campaign rows."""

    base: IntArray = field(
        default_factory=lambda: np.zeros((WINDOW_DAYS, len(SOURCES)), dtype=np.int64)
    )
    campaign_visits: list[Visits] = field(default_factory=list)

    def record_month(
        self, blueprint: Blueprint, group: Group, month: Month, activity: Activity
    ) -> Visits:
        """Draw the sessions of ``group``'s brands in ``month``, keep them, return them."""
        rng = rng_for(blueprint.spec, "traffic", group.index, month.index)
        timeline, brands, accounts = blueprint.timeline, blueprint.brands, blueprint.accounts
        days = np.arange(month.first, month.stop)
        brand_ids = np.arange(group.brand_start, group.brand_stop)
        size = brands.size[brand_ids, None]
        b2b = np.array([SECTORS[s].subscription for s in brands.sector[brand_ids]])[:, None]
        weekend = timeline.weekday[days] >= 5
        weekly = np.where(weekend[None, :], np.where(b2b, 0.5, 0.87), np.where(b2b, 1.15, 1.05))
        rhythm = timeline.season[days] ** 0.8 * timeline.trend[days] * weekly
        expected = size[:, :, None] * rhythm[:, :, None] * _BASE[None, None, :]
        english = brands.language[brand_ids] == 1
        expected[english, :, _PRESS_FR] = 0.0
        expected[~english, :, _PRESS_EN] = 0.0
        expected[:, :, _EMAIL] = size * timeline.trend[days] * _NEWSLETTER[timeline.weekday[days]]
        progress = (days / WINDOW_DAYS) ** 2  # AI assistants send more and more visitors
        expected[:, :, _CHATGPT] = size * (0.5 + 30.0 * progress)

        local = np.arange(group.account_start, group.account_stop)
        brand_of = accounts.brand[local] - group.brand_start
        week_reach = _brand_week_reach(activity, brand_of, len(brand_ids), month)
        expected[:, :, _BRAND_SEARCH] += 0.0003 * week_reach  # people who saw posts search

        followers = accounts.planned_followers(local[:, None], days[None, :])
        social = activity.window("link_clicks", slice(month.first, month.stop))
        social = social + _BIO_VISITS * followers * rhythm[brand_of]
        running = blueprint.campaigns.of_account_day[local][:, days]
        moved = np.where(running >= 0, 0.3 * social, 0.0)  # visits via utm-tagged campaign posts
        # One account per (brand, platform): each cell is written once, so += is safe here.
        expected[brand_of, :, _SOCIAL + accounts.platform[local]] += social - moved

        sessions = poisson(rng, expected)
        self.base[days] += sessions.sum(axis=0)
        b, d, r = np.nonzero(sessions)
        base = Visits(
            brand_ids[b], days[d], r, _SOURCE_PLATFORM[r], np.full(len(r), -1), sessions[b, d, r]
        )
        a, d = np.nonzero(moved)
        count = poisson(rng, moved[a, d])
        organic = Visits(
            accounts.brand[local[a]],
            days[d],
            np.full(len(a), CAMPAIGN),
            accounts.platform[local[a]],
            running[a, d],
            count,
        )
        campaign = _concat([organic, self._paid(rng, blueprint, group, month)])
        self.campaign_visits.append(campaign)
        return _concat([base, campaign])

    def _paid(
        self, rng: np.random.Generator, blueprint: Blueprint, group: Group, month: Month
    ) -> Visits:
        """Paid social sessions of the group's campaigns: budget / cost per click, per day."""
        campaigns = blueprint.campaigns
        mine = (campaigns.brand >= group.brand_start) & (campaigns.brand < group.brand_stop)
        live = mine & (campaigns.start < month.stop) & (campaigns.stop > month.first)
        c, p = np.nonzero(campaigns.budget * live[:, None])
        first = np.maximum(campaigns.start[c], month.first)
        spans = np.minimum(campaigns.stop[c], month.stop) - first
        row = np.repeat(np.arange(len(c)), spans)
        day = first[row] + np.arange(len(row)) - np.repeat(np.cumsum(spans) - spans, spans)
        daily = campaigns.budget[c, p][row] / _CPC[p[row]] * rng.uniform(0.8, 1.2, len(row))
        return Visits(
            campaigns.brand[c][row],
            day,
            np.full(len(row), PAID),
            p[row],
            c[row],
            poisson(rng, daily),
        )

    def table(self, blueprint: Blueprint) -> pa.Table:
        """The ``web_traffic`` table of the whole workspace (campaign rows are per campaign)."""
        rng = rng_for(blueprint.spec, "web_traffic")
        d, r = np.nonzero(self.base)
        base = Visits(
            np.zeros(len(d), dtype=np.int64),
            d,
            r,
            _SOURCE_PLATFORM[r],
            np.full(len(d), -1),
            self.base[d, r],
        )
        rows = _concat([base, *self.campaign_visits])
        order = np.lexsort((rows.campaign, rows.platform, rows.row, rows.day))
        return _table(
            rng,
            blueprint,
            rows.day[order],
            rows.row[order],
            rows.platform[order],
            rows.campaign[order],
            rows.sessions[order],
        )


def _concat(parts: list[Visits]) -> Visits:
    """Rows with at least one session, from several sets of visits."""
    joined = Visits(
        *(
            np.concatenate([getattr(p, name) for p in parts]).astype(np.int64)
            for name in ("brand", "day", "row", "platform", "campaign", "sessions")
        )
    )
    keep = joined.sessions > 0
    return Visits(
        joined.brand[keep],
        joined.day[keep],
        joined.row[keep],
        joined.platform[keep],
        joined.campaign[keep],
        joined.sessions[keep],
    )


def _brand_week_reach(
    activity: Activity, brand_of: IntArray, brands: int, month: Month
) -> FloatArray:
    """Reach of each brand's accounts over the 7 days up to each day of ``month``."""
    low = max(month.first - 6, 0)
    cumulative = np.concatenate(
        [
            np.zeros((activity.accounts, 1)),
            np.cumsum(activity.totals["reach"][:, low : month.stop], axis=1),
        ],
        axis=1,
    )
    days = np.arange(month.first, month.stop)
    week = cumulative[:, days - low + 1] - cumulative[:, np.maximum(days - 6, low) - low]
    out = np.zeros((brands, len(days)))
    np.add.at(out, brand_of, week)
    return out


def _table(
    rng: np.random.Generator,
    blueprint: Blueprint,
    day: IntArray,
    row: IntArray,
    platform: IntArray,
    campaign: IntArray,
    sessions: IntArray,
) -> pa.Table:
    behaviour = ROW_BEHAVIOUR
    engaged_rate = np.array([s.engaged for s in behaviour])[row] * rng.uniform(0.9, 1.1, len(row))
    engaged = rng.binomial(sessions, np.clip(engaged_rate, 0.0, 1.0))
    mean_seconds = np.array([s.seconds for s in behaviour])[row]
    engaged_time = rng.gamma(np.maximum(engaged, 1) * 2.0, mean_seconds / 2.0) * (engaged > 0)
    seconds = np.round(engaged_time + (sessions - engaged) * rng.uniform(2.0, 6.0, len(row)), 1)
    campaign_row = row >= PAID
    sources = [s.source for s in SOURCES] + list(UTM_SOURCES)
    source = np.where(campaign_row, len(SOURCES) + platform, row)
    mediums = sorted({s.medium for s in behaviour})
    medium = np.array([mediums.index(s.medium) for s in behaviour])[row]
    slugs = ["newsletter", *blueprint.campaigns.slugs]
    utm = np.where(campaign_row, campaign + 1, 0)
    has_utm = campaign_row | (row == _EMAIL)
    channels = sorted({s.channel for s in behaviour})
    channel = np.array([channels.index(s.channel) for s in behaviour])[row]
    search = np.array([-1 if s.brand_search is None else int(s.brand_search) for s in behaviour])[
        row
    ]
    every = np.ones(len(row), dtype=bool)
    return assemble(
        "web_traffic",
        {
            "day": dates(blueprint.timeline.ordinals(day)),
            "source": dictionary(source, sources),
            "medium": dictionary(medium, mediums),
            "utm_campaign": dictionary(utm, slugs, ~has_utm),
            "channel_group": dictionary(channel, channels),
            "is_brand_search": booleans(search == 1, search < 0),
            "platform": dictionary(np.maximum(platform, 0), PLATFORMS, platform < 0),
            "campaign_id": integers(campaign + 1, pa.int32(), campaign < 0),
            "sessions": integers(sessions, pa.int64()),
            "engaged_sessions": integers(engaged, pa.int64()),
            "engagement_seconds": floats(seconds),
            "bounces": integers(sessions - engaged, pa.int64()),
            "sessions_origin": origin(every),
            "engaged_sessions_origin": origin(every),
            "engagement_seconds_origin": origin(every),
            "bounces_origin": origin(every),
        },
    )
