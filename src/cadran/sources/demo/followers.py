"""Daily account metrics: follower stock and flows, impressions, reach and profile visits.

Followers change by gains minus losses every day, so the stock is exact:
followers[d] = followers[d-1] + gained[d] - lost[d]. Gains mix a steady inflow (the planned
growth), follows brought by posts in the following days (spikes after viral posts) and, during
paid awareness campaigns, follows bought with the budget. Daily impressions are the posts'
impressions spread over the days they keep circulating, plus views of older content.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cadran.sources.demo.activity import Activity
from cadran.sources.demo.blueprint import Blueprint, Group
from cadran.sources.demo.columns import dates, dictionary, integers, origin
from cadran.sources.demo.phrasebook import OBJECTIVES
from cadran.sources.demo.platforms import DAILY_METRICS, PLATFORMS, PROFILES
from cadran.sources.demo.sampling import poisson
from cadran.sources.demo.spec import WINDOW_DAYS, IntArray, rng_for
from cadran.sources.demo.tables import assemble

_CHURN = np.array([p.churn for p in PROFILES])
_DAILY = np.array([[m in p.daily_reports for m in DAILY_METRICS] for p in PROFILES])
_AWARENESS = OBJECTIVES.index("awareness")
_FOLLOWS_PER_EURO = 0.12  # followers a paid awareness campaign wins per unit of budget


def account_daily(
    blueprint: Blueprint, group: Group, activity: Activity
) -> tuple[pa.Table, IntArray]:
    """The ``account_daily`` rows of ``group``'s accounts and their followers (accounts x days)."""
    timeline, accounts, campaigns = blueprint.timeline, blueprint.accounts, blueprint.campaigns
    rng = rng_for(blueprint.spec, "followers", group.index)
    local = np.arange(group.account_start, group.account_stop)
    days = np.arange(WINDOW_DAYS)
    planned = accounts.planned_followers(local[:, None], days[None, :])
    platform = accounts.platform[local]
    churn = _CHURN[platform][:, None] * (
        1.0 + 0.15 * np.sin(2 * np.pi * timeline.day_of_year / 365.25)
    )
    growth = accounts.growth_log[local][:, None] / WINDOW_DAYS
    post_follows = activity.totals["follows"]
    # The steady inflow makes up the planned growth net of what posts bring on average.
    steady = np.maximum(
        planned * (churn + growth) - post_follows.mean(axis=1, keepdims=True), planned * churn * 0.3
    )
    weekly = np.where(timeline.weekday >= 5, 0.9, 1.04)
    gained = poisson(rng, steady * weekly * timeline.season**0.5) + poisson(rng, post_follows)
    running = campaigns.of_account_day[local]
    budget = campaigns.budget[np.maximum(running, 0), platform[:, None]]
    awareness = (running >= 0) & (campaigns.objective[np.maximum(running, 0)] == _AWARENESS)
    gained += poisson(rng, np.where(awareness, budget * _FOLLOWS_PER_EURO, 0.0))
    lost = poisson(rng, planned * churn)
    start = accounts.followers_start[local][:, None].astype(np.int64)
    followers = start + np.cumsum(gained - lost, axis=1)

    older = 0.08 * planned * np.array([p.reach_rate for p in PROFILES])[platform][:, None]
    impressions = poisson(rng, activity.totals["impressions"] + older * 1.4)
    reach = np.minimum(
        np.round(impressions / rng.uniform(1.3, 1.9, impressions.shape)), impressions
    )
    visits = poisson(rng, activity.totals["profile_visits"] + 0.0015 * planned)
    n = followers.size
    account = np.repeat(local, WINDOW_DAYS)
    code = np.repeat(platform, WINDOW_DAYS)
    every = np.ones(n, dtype=bool)
    columns: dict[str, pa.Array] = {
        "account_id": integers(account + 1, pa.int32()),
        "platform": dictionary(code, PLATFORMS),
        "day": dates(np.tile(timeline.ordinals(days), len(local))),
        "followers": integers(followers.reshape(-1), pa.int64()),
        "followers_gained": integers(gained.reshape(-1), pa.int64()),
        "followers_lost": integers(lost.reshape(-1), pa.int64()),
    }
    for index, (name, values) in enumerate(
        zip(DAILY_METRICS, (impressions, reach, visits), strict=True)
    ):
        present = _DAILY[code, index]
        columns[name] = integers(values.reshape(-1), pa.int64(), ~present)
    for name in ("followers", "followers_gained", "followers_lost"):
        columns[f"{name}_origin"] = origin(every)
    for index, name in enumerate(DAILY_METRICS):
        columns[f"{name}_origin"] = origin(_DAILY[code, index])
    return assemble("account_daily", columns), followers
