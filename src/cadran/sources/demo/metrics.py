"""Lifetime metrics of posts: reach, impressions, reactions, comments, clicks, views, follows.

Each post's reach is followers x the platform's organic reach rate x format, topic, hour and
weekend effects x a heavy-tailed virality draw (lognormal, plus rare viral bursts); paid boosts
add bought impressions. Actions are Poisson counts of rates per account reached, scaled by an
"appeal" draw shared by all actions of the post so that likes, comments and shares move together.
"""

from __future__ import annotations

import numpy as np

from cadran.sources.demo.platforms import FORMATS, PLATFORMS, PROFILES, TOPIC_EFFECTS, TOPICS
from cadran.sources.demo.sampling import mean_one_lognormal, poisson
from cadran.sources.demo.spec import AnyArray, BoolArray, FloatArray, IntArray

_P, _F = len(PLATFORMS), len(FORMATS)
_ACTIONS = ("likes", "comments", "shares", "saves", "clicks", "profile_visits", "follows")


def _table(attribute: str) -> FloatArray:
    out = np.zeros((_P, _F))
    for code, profile in enumerate(PROFILES):
        for name, value in getattr(profile, attribute).items():
            out[code, FORMATS.index(name)] = value
    return out


FORMAT_REACH = _table("format_reach")
FORMAT_ENGAGEMENT = _table("format_engagement")
RATES = np.array([[p.rates[a] for a in _ACTIONS] for p in PROFILES])
REACH_RATE = np.array([p.reach_rate for p in PROFILES])
FREQUENCY = np.array([p.frequency for p in PROFILES])
VIRALITY = np.array([p.virality for p in PROFILES])
WEEKEND = np.array([p.weekend_engagement for p in PROFILES])
LINK_SHARE = np.array([p.link_share for p in PROFILES])
TOPIC = np.array([TOPIC_EFFECTS[t] for t in TOPICS])  # reach, engagement, clicks, saves
COMMENT_FORMAT = np.ones(_F)
COMMENT_FORMAT[FORMATS.index("story")] = 0.0  # stories get replies (private), not comments
COMMENT_FORMAT[FORMATS.index("live")] = 2.0


def _hour_effect() -> FloatArray:
    """Engagement by hour: the audience's activity, normalised on the platform's posting hours."""
    out = np.zeros((_P, 24))
    for code, profile in enumerate(PROFILES):
        active = np.array(profile.active_hours, dtype=float)
        posting = np.array(profile.posting_hours, dtype=float)
        mean = (active * posting).sum() / posting.sum()
        out[code] = np.sqrt(active / mean)  # square root: timing matters, but less than content
    return out


HOUR = _hour_effect()
_VIDEO_VIEW_RATE = np.array([0.35, 1.05, 0.3, 0.25, 1.0, 1.0])  # video views per impression
_X, _TIKTOK, _YOUTUBE = (PLATFORMS.index(n) for n in ("x", "tiktok", "youtube"))
# Website visits come from link clicks where posts carry links, else from the link in the bio.
_LINK_FROM_CLICKS = np.array([p.rates["clicks"] > 0 for p in PROFILES])


def simulate(
    rng: np.random.Generator,
    platform: IntArray,
    fmt: IntArray,
    topic: IntArray,
    followers: FloatArray,
    hour: IntArray,
    weekend: BoolArray,
    season: FloatArray,
    quality: FloatArray,
    paid_impressions: FloatArray,
    click_boost: FloatArray,
    comment_scale: float,
) -> dict[str, AnyArray]:
    """True lifetime metrics of posts, for every metric and every platform.

    Returns float arrays of whole numbers (``reach``, ``impressions``, each action,
    ``video_views``, ``engagements_native``) and the hidden ``link_clicks`` and ``virality``.
    Which of them a platform reports is decided by the caller.
    """
    n = len(platform)
    virality = mean_one_lognormal(rng, VIRALITY[platform], n)
    burst = rng.random(n) < 0.004  # a few posts a year take off
    virality[burst] *= rng.lognormal(np.log(8.0), 0.6, int(burst.sum()))
    weekend_effect = np.where(weekend, WEEKEND[platform], 1.0)
    timing = HOUR[platform, hour] * weekend_effect
    organic = (
        followers
        * REACH_RATE[platform]
        * FORMAT_REACH[platform, fmt]
        * TOPIC[topic, 0]
        * timing
        * season**0.5
        * virality
    )
    paid_reach = paid_impressions / 1.8  # paid delivery repeats ads about 1.8 times per account
    reach = np.round(organic + paid_reach)
    impressions = organic * FREQUENCY[platform] * rng.uniform(0.95, 1.1, n) + paid_impressions
    impressions = np.maximum(np.round(impressions), reach)
    appeal = quality * mean_one_lognormal(rng, 0.35, n) * FORMAT_ENGAGEMENT[platform, fmt]
    appeal *= TOPIC[topic, 1] * timing**0.5
    exposure = organic + 0.5 * paid_reach  # ads convert to actions about half as well
    rates = RATES[platform]
    out: dict[str, AnyArray] = {"reach": reach, "impressions": impressions, "virality": virality}
    out["likes"] = poisson(rng, exposure * rates[:, 0] * appeal)
    out["comments"] = poisson(
        rng, exposure * rates[:, 1] * appeal * COMMENT_FORMAT[fmt] * comment_scale
    )
    out["shares"] = poisson(rng, exposure * rates[:, 2] * appeal * TOPIC[topic, 3])
    carousel = np.where(fmt == FORMATS.index("carousel"), 1.5, 1.0)
    out["saves"] = poisson(rng, exposure * rates[:, 3] * appeal * TOPIC[topic, 3] * carousel)
    out["clicks"] = poisson(rng, exposure * rates[:, 4] * TOPIC[topic, 2] * quality * click_boost)
    # A viral post reaches people who do not follow the account yet: they visit and follow.
    newcomers = np.sqrt(appeal) * (0.4 + 0.6 * virality)
    out["profile_visits"] = poisson(rng, exposure * rates[:, 5] * newcomers)
    out["follows"] = poisson(rng, exposure * rates[:, 6] * newcomers)
    story = fmt == FORMATS.index("story")
    out["likes"][story] = 0.0
    views = impressions * _VIDEO_VIEW_RATE[platform] * rng.uniform(0.85, 1.15, n)
    # TikTok and YouTube count views, not impressions: views come from the accounts reached, and
    # YouTube's impressions are thumbnail impressions, of which only a few percent become views.
    by_viewer = (platform == _TIKTOK) | (platform == _YOUTUBE)
    views[by_viewer] = reach[by_viewer] * FREQUENCY[platform[by_viewer]]
    youtube = platform == _YOUTUBE
    impressions[youtube] = np.round(views[youtube] / rng.uniform(0.03, 0.09, int(youtube.sum())))
    out["video_views"] = np.round(views)
    out["engagements_native"] = np.where(
        platform == _X,
        out["clicks"] + out["likes"] + out["comments"] + out["shares"],
        out["likes"] + out["comments"] + out["shares"] + out["clicks"] + out["follows"],
    )
    link_base = np.where(_LINK_FROM_CLICKS[platform], out["clicks"], out["profile_visits"])
    link_base = np.where(youtube, out["video_views"], link_base)
    out["link_clicks"] = link_base * LINK_SHARE[platform]
    return out
