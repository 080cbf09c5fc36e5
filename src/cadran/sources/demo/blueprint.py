"""The workspace plan every generator reads: timeline, brands, accounts, campaigns, calibration.

It is built once, cheaply, before any row is generated, so that the rates that make the sizes
come out right (posts per brand, ~5 messages per post) are known up front and each chunk can be
generated on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cadran.sources.demo.brands import Accounts, Brands, plan_accounts, plan_brands
from cadran.sources.demo.campaigns import Campaigns, plan_campaigns
from cadran.sources.demo.platforms import PROFILES, TOPIC_EFFECTS, TOPICS
from cadran.sources.demo.spec import WINDOW_DAYS, DemoSpec, FloatArray
from cadran.sources.demo.timeline import Timeline

PUBLIC_COMMENTS_PER_POST = 3.9  # seasonality and virality add ~10 %; with DMs ~5 messages per post
PRIVATE_PER_POST = 0.75
MENTIONS_PER_POST = 0.4  # campaigns and viral posts add ~25 % to it
_DM_APPEAL = np.array([1.0, 1.3, 0.5, 0.6, 0.5, 0.15])  # private messages per platform
_MENTION_APPEAL = np.array([0.6, 1.2, 0.5, 1.5, 0.8, 0.3])


@dataclass(frozen=True)
class Group:
    """A run of brands generated together; their accounts are contiguous too."""

    index: int
    brand_start: int
    brand_stop: int
    account_start: int
    account_stop: int

    @property
    def accounts(self) -> int:
        """Number of accounts in the group."""
        return self.account_stop - self.account_start


@dataclass(frozen=True, eq=False)
class Blueprint:
    """Everything decided before generating rows."""

    spec: DemoSpec
    timeline: Timeline
    brands: Brands
    accounts: Accounts
    campaigns: Campaigns
    groups: tuple[Group, ...]
    posting_weekday: FloatArray  # (platforms, 7) posting rate per weekday, mean 1
    comment_scale: float
    private_rate: FloatArray  # private messages per account per ordinary day
    mention_rate: FloatArray  # mentions per account per ordinary day

    @classmethod
    def build(cls, spec: DemoSpec) -> Blueprint:
        """Plan the workspace of ``spec``."""
        timeline = Timeline.build(spec)
        brands = plan_brands(spec)
        accounts = plan_accounts(spec, brands)
        campaigns = plan_campaigns(spec, timeline, brands, accounts)
        weekday = np.ones((len(PROFILES), 7))
        for code, profile in enumerate(PROFILES):
            weekday[code, 5:] = profile.weekend_posting
        weekday /= weekday.mean(axis=1, keepdims=True)
        draft = cls(
            spec,
            timeline,
            brands,
            accounts,
            campaigns,
            _groups(spec, brands, accounts),
            weekday,
            1.0,
            np.zeros(accounts.count),
            np.zeros(accounts.count),
        )
        return draft._calibrated()

    def posting_rate(self, first: int, stop: int, days: slice) -> FloatArray:
        """Expected posts of accounts ``first:stop`` on ``days``, before the cadence scale."""
        timeline, accounts = self.timeline, self.accounts
        platform = accounts.platform[first:stop]
        weekday = self.posting_weekday[platform][:, timeline.weekday[days]]
        campaign = np.where(self.campaigns.of_account_day[first:stop, days] >= 0, 1.3, 1.0)
        rhythm = timeline.season[days] ** 0.6 * timeline.trend[days]
        return np.asarray(accounts.cadence[first:stop, None] * weekday * rhythm * campaign)

    def _calibrated(self) -> Blueprint:
        """Scale cadence so posts hit the size's target, and conversation rates to match."""
        accounts = self.accounts
        posts = self.posting_rate(0, accounts.count, slice(None)).sum(axis=1)
        target = self.spec.profile.posts_per_brand * self.brands.count
        scale = target / posts.sum()
        accounts = _replace_cadence(accounts, accounts.cadence * scale)
        posts = posts * scale
        middle = accounts.planned_followers(
            np.arange(accounts.count), np.full(accounts.count, WINDOW_DAYS // 2)
        )
        expected = _expected_comments(accounts, middle)
        comment_scale = PUBLIC_COMMENTS_PER_POST * posts.sum() / (posts * expected).sum()
        days = float(WINDOW_DAYS)
        private = middle**0.6 * _DM_APPEAL[accounts.platform]
        private *= PRIVATE_PER_POST * target / (private.sum() * days)
        mention = middle**0.8 * _MENTION_APPEAL[accounts.platform]
        mention *= MENTIONS_PER_POST * target / (mention.sum() * days)
        return Blueprint(
            self.spec,
            self.timeline,
            self.brands,
            accounts,
            self.campaigns,
            self.groups,
            self.posting_weekday,
            float(comment_scale),
            private,
            mention,
        )


def _replace_cadence(accounts: Accounts, cadence: FloatArray) -> Accounts:
    return Accounts(
        accounts.brand,
        accounts.platform,
        accounts.handles,
        accounts.followers_start,
        accounts.growth_log,
        cadence,
        accounts.quality,
        accounts.index_of,
    )


def _expected_comments(accounts: Accounts, followers: FloatArray) -> FloatArray:
    """Mean public comments per post of each account, from the metric model's averages."""
    per_platform = np.zeros(len(PROFILES))
    topic_reach = np.array([TOPIC_EFFECTS[t][0] * TOPIC_EFFECTS[t][1] for t in TOPICS])
    for code, profile in enumerate(PROFILES):
        formats = sum(
            share
            * profile.format_reach[name]
            * profile.format_engagement[name]
            * (0.0 if name == "story" else 2.0 if name == "live" else 1.0)
            for name, share in profile.formats.items()
        )
        topics = sum(profile.topics[t] * topic_reach[i] for i, t in enumerate(TOPICS))
        per_platform[code] = profile.reach_rate * profile.rates["comments"] * formats * topics
    return np.asarray(followers * accounts.quality * per_platform[accounts.platform])


def _groups(spec: DemoSpec, brands: Brands, accounts: Accounts) -> tuple[Group, ...]:
    """Consecutive brands in groups of the size's ``brands_per_group``."""
    per_group = spec.profile.brands_per_group
    first_account = np.searchsorted(accounts.brand, np.arange(brands.count + 1))
    groups = []
    for index, start in enumerate(range(0, brands.count, per_group)):
        stop = min(start + per_group, brands.count)
        groups.append(
            Group(index, start, stop, int(first_account[start]), int(first_account[stop]))
        )
    return tuple(groups)
