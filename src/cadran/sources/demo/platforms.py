"""What each platform is like: cadence, formats, audience curves, rates and what it reports.

Rates are per unique account reached (or per viewer). They were set so that the demo's
engagement rates land near the published benchmarks of ``kpi-reference.md`` §7: by follower
~0.15 % on Facebook and X, ~0.5 % on Instagram, ~4 % on TikTok; by impressions ~1.7 % on X
and ~3-4 % on LinkedIn; by reach ~3-4 % on Facebook and Instagram.
"""

from __future__ import annotations

from dataclasses import dataclass

PLATFORMS = ("facebook", "instagram", "linkedin", "x", "tiktok", "youtube")  # ENUM order
FORMATS = ("text", "image", "video", "carousel", "reel", "story", "short", "live", "article",
           "document", "poll")  # fmt: skip
TOPICS = ("product", "promotion", "useful", "entertainment", "lifestyle")  # seed 001's pillars
LANGUAGES = ("fr", "en")
POST_METRICS = ("impressions", "reach", "likes", "comments", "shares", "saves", "clicks",
                "video_views", "profile_visits", "follows", "engagements_native")  # fmt: skip
VIDEO_FORMATS = frozenset({"video", "reel", "short", "live"})

# Hour curves (local time, 0..23). Posting: when brands schedule posts. Activity: when the
# platform's audience is online, which drives engagement per post and the audience table.
_OFFICE = (0, 0, 0, 0, 0, 0, 1, 4, 9, 10, 8, 7, 9, 6, 5, 6, 7, 8, 7, 5, 3, 2, 1, 0)
_EVENING = (1, 0, 0, 0, 0, 0, 1, 3, 5, 4, 4, 5, 8, 6, 4, 4, 5, 7, 9, 10, 10, 8, 5, 2)
_ACTIVE_GENERAL = (2, 1, 0.5, 0.4, 0.4, 0.8, 2, 4, 5, 5, 5, 5.5, 6.5, 6, 5, 5, 5.5, 6.5, 7.5,
                   8, 8, 7, 5, 3)  # fmt: skip
_ACTIVE_OFFICE = (0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 6, 9, 9, 8, 7, 7.5, 7, 7, 6.5, 6, 5, 3, 2,
                  1.5, 1.2, 1, 0.7)  # fmt: skip
_ACTIVE_LATE = (4, 2.5, 1.5, 0.8, 0.5, 0.6, 1.2, 2.5, 3.5, 3.5, 3.5, 4.5, 6, 5.5, 5, 5.5, 6.5,
                7.5, 8.5, 9.5, 10, 10, 8.5, 6)  # fmt: skip


@dataclass(frozen=True)
class Platform:
    """The demo's model of one platform (see the module docstring for the units)."""

    name: str
    posts_per_day: float  # a reference brand's mean cadence
    weekend_posting: tuple[float, float]  # Saturday, Sunday relative to a weekday
    weekend_engagement: float
    followers: float  # reference brand's followers on day one
    growth: float  # relative follower growth over the two years
    churn: float  # share of followers lost per day
    reach_rate: float  # unique accounts reached per follower, per organic post
    frequency: float  # impressions (views for TikTok/YouTube) per account reached
    virality: float  # sigma of the lognormal spread of post reach
    rates: dict[str, float]  # actions per account reached
    formats: dict[str, float]  # format mix
    topics: dict[str, float]  # topic mix (content pillars)
    format_reach: dict[str, float]  # reach multiplier per format
    format_engagement: dict[str, float]  # engagement multiplier per format
    posting_hours: tuple[float, ...]
    active_hours: tuple[float, ...]
    active_weekdays: tuple[float, ...]
    reports: frozenset[str]  # post metrics the platform gives
    daily_reports: frozenset[str]  # account_daily metrics besides followers
    audience: tuple[str, ...]  # audience dimensions the platform gives
    cpm: float  # paid media cost per 1,000 impressions (currency units)
    cpc: float  # paid media cost per landing-page visit
    link_share: float  # share of clicks (or profile visits) that lead to the website
    english_share: float  # share of posts in the brand's second language


_TOPIC_MIX = {"product": 0.24, "promotion": 0.14, "useful": 0.22, "entertainment": 0.22,
              "lifestyle": 0.18}  # fmt: skip

PROFILES: tuple[Platform, ...] = (
    Platform(
        name="facebook", posts_per_day=1.8, weekend_posting=(0.55, 0.45), weekend_engagement=1.08,
        followers=45_000, growth=0.10, churn=0.0004, reach_rate=0.055, frequency=1.3, virality=0.8,
        rates={"likes": 0.018, "comments": 0.0016, "shares": 0.003, "saves": 0.0,
               "clicks": 0.012, "profile_visits": 0.002, "follows": 0.0004},
        formats={"text": 0.10, "image": 0.38, "video": 0.14, "carousel": 0.10, "reel": 0.23,
                 "live": 0.05},
        topics=_TOPIC_MIX,
        format_reach={"text": 0.7, "image": 1.0, "video": 1.1, "carousel": 1.05, "reel": 1.6,
                      "live": 0.8},
        format_engagement={"text": 0.8, "image": 1.0, "video": 1.05, "carousel": 1.1,
                           "reel": 1.15, "live": 1.4},
        posting_hours=_OFFICE, active_hours=_ACTIVE_GENERAL,
        active_weekdays=(1.0, 1.0, 1.0, 1.0, 0.98, 1.05, 1.07),
        reports=frozenset({"impressions", "reach", "likes", "comments", "shares", "clicks",
                           "video_views"}),
        daily_reports=frozenset({"impressions", "reach", "profile_visits"}),
        audience=("age", "gender", "age_gender", "country", "city", "language"),
        cpm=7.0, cpc=0.6, link_share=0.45, english_share=0.15,
    ),
    Platform(
        name="instagram", posts_per_day=3.0, weekend_posting=(0.8, 0.75), weekend_engagement=1.1,
        followers=30_000, growth=0.35, churn=0.0006, reach_rate=0.12, frequency=1.3, virality=0.8,
        rates={"likes": 0.022, "comments": 0.0012, "shares": 0.0025, "saves": 0.003,
               "clicks": 0.0, "profile_visits": 0.007, "follows": 0.0012},
        formats={"image": 0.22, "carousel": 0.24, "reel": 0.30, "story": 0.22, "live": 0.02},
        topics={"product": 0.22, "promotion": 0.12, "useful": 0.18, "entertainment": 0.24,
                "lifestyle": 0.24},
        format_reach={"image": 0.9, "carousel": 1.0, "reel": 1.8, "story": 0.45, "live": 0.4},
        format_engagement={"image": 1.0, "carousel": 1.2, "reel": 1.0, "story": 0.3,
                           "live": 1.5},
        posting_hours=_EVENING, active_hours=_ACTIVE_LATE,
        active_weekdays=(0.97, 0.98, 1.0, 1.0, 0.98, 1.03, 1.04),
        reports=frozenset({"impressions", "reach", "likes", "comments", "shares", "saves",
                           "video_views", "profile_visits", "follows"}),
        daily_reports=frozenset({"impressions", "reach", "profile_visits"}),
        audience=("age", "gender", "age_gender", "country", "city", "active_hour",
                  "active_weekday"),
        cpm=8.0, cpc=0.8, link_share=0.08, english_share=0.2,
    ),
    Platform(
        name="linkedin", posts_per_day=1.0, weekend_posting=(0.15, 0.1), weekend_engagement=0.6,
        followers=9_000, growth=0.30, churn=0.0002, reach_rate=0.13, frequency=1.35,
        virality=0.7,
        rates={"likes": 0.02, "comments": 0.0022, "shares": 0.0015, "saves": 0.0,
               "clicks": 0.02, "profile_visits": 0.003, "follows": 0.0008},
        formats={"text": 0.20, "image": 0.32, "video": 0.12, "document": 0.16, "article": 0.08,
                 "poll": 0.12},
        topics={"product": 0.22, "promotion": 0.08, "useful": 0.38, "entertainment": 0.10,
                "lifestyle": 0.22},
        format_reach={"text": 0.9, "image": 1.0, "video": 0.9, "document": 1.2, "article": 0.6,
                      "poll": 1.4},
        format_engagement={"text": 1.05, "image": 1.0, "video": 0.9, "document": 1.3,
                           "article": 0.8, "poll": 1.2},
        posting_hours=_OFFICE, active_hours=_ACTIVE_OFFICE,
        active_weekdays=(1.15, 1.2, 1.2, 1.15, 1.0, 0.35, 0.3),
        reports=frozenset({"impressions", "likes", "comments", "shares", "clicks",
                           "video_views", "follows", "engagements_native"}),
        daily_reports=frozenset({"impressions", "profile_visits"}),
        audience=("country", "city"),
        cpm=30.0, cpc=3.0, link_share=0.35, english_share=0.35,
    ),
    Platform(
        name="x", posts_per_day=4.2, weekend_posting=(0.6, 0.5), weekend_engagement=0.9,
        followers=14_000, growth=0.03, churn=0.0009, reach_rate=0.07, frequency=1.3, virality=1.0,
        rates={"likes": 0.011, "comments": 0.0012, "shares": 0.0018, "saves": 0.0,
               "clicks": 0.009, "profile_visits": 0.002, "follows": 0.0003},
        formats={"text": 0.45, "image": 0.35, "video": 0.12, "poll": 0.08},
        topics=_TOPIC_MIX,
        format_reach={"text": 1.0, "image": 1.2, "video": 1.3, "poll": 1.1},
        format_engagement={"text": 1.0, "image": 1.1, "video": 1.0, "poll": 1.5},
        posting_hours=_OFFICE, active_hours=_ACTIVE_GENERAL,
        active_weekdays=(1.05, 1.05, 1.05, 1.0, 0.98, 0.92, 0.95),
        reports=frozenset({"impressions", "likes", "comments", "shares", "clicks",
                           "video_views", "engagements_native"}),
        daily_reports=frozenset({"impressions"}),
        audience=("country", "language"),
        cpm=5.0, cpc=0.5, link_share=0.3, english_share=0.25,
    ),
    Platform(
        name="tiktok", posts_per_day=1.6, weekend_posting=(0.9, 0.85), weekend_engagement=1.12,
        followers=15_000, growth=0.9, churn=0.0008, reach_rate=0.9, frequency=1.25,
        virality=1.1,
        rates={"likes": 0.05, "comments": 0.0008, "shares": 0.004, "saves": 0.005,
               "clicks": 0.0, "profile_visits": 0.004, "follows": 0.0003},
        formats={"video": 0.85, "carousel": 0.11, "live": 0.04},
        topics={"product": 0.20, "promotion": 0.08, "useful": 0.12, "entertainment": 0.35,
                "lifestyle": 0.25},
        format_reach={"video": 1.0, "carousel": 0.8, "live": 0.3},
        format_engagement={"video": 1.0, "carousel": 1.1, "live": 1.6},
        posting_hours=_EVENING, active_hours=_ACTIVE_LATE,
        active_weekdays=(0.95, 0.95, 0.98, 1.0, 1.02, 1.06, 1.04),
        reports=frozenset({"likes", "comments", "shares", "saves", "video_views"}),
        daily_reports=frozenset({"profile_visits"}),
        audience=("age", "gender", "country", "active_hour", "active_weekday"),
        cpm=6.0, cpc=0.4, link_share=0.05, english_share=0.2,
    ),
    Platform(
        name="youtube", posts_per_day=0.6, weekend_posting=(0.7, 0.7), weekend_engagement=1.15,
        followers=7_000, growth=0.4, churn=0.0003, reach_rate=0.07, frequency=1.15,
        virality=1.0,
        rates={"likes": 0.035, "comments": 0.0035, "shares": 0.0025, "saves": 0.0,
               "clicks": 0.0, "profile_visits": 0.0, "follows": 0.004},
        formats={"video": 0.45, "short": 0.50, "live": 0.05},
        topics={"product": 0.25, "promotion": 0.05, "useful": 0.35, "entertainment": 0.20,
                "lifestyle": 0.15},
        format_reach={"video": 1.0, "short": 2.5, "live": 0.5},
        format_engagement={"video": 1.0, "short": 0.8, "live": 1.5},
        posting_hours=(0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 5, 5, 6, 7, 8, 8, 6, 4, 2, 1, 0),
        active_hours=_ACTIVE_LATE,
        active_weekdays=(0.95, 0.95, 0.97, 0.98, 1.0, 1.08, 1.07),
        reports=frozenset({"impressions", "likes", "comments", "shares", "video_views",
                           "follows"}),
        daily_reports=frozenset({"impressions"}),
        audience=("age", "gender", "age_gender", "country", "city"),
        cpm=10.0, cpc=0.7, link_share=0.004, english_share=0.25,
    ),
)  # fmt: skip

# Topic multipliers: reach, engagement, clicks, saves and shares (useful content gets saved).
TOPIC_EFFECTS: dict[str, tuple[float, float, float, float]] = {
    "product": (1.0, 1.0, 1.2, 1.0),
    "promotion": (0.9, 0.8, 1.6, 0.7),
    "useful": (1.0, 1.05, 1.3, 1.7),
    "entertainment": (1.25, 1.3, 0.6, 1.1),
    "lifestyle": (1.05, 1.1, 0.8, 1.0),
}

DAILY_METRICS = ("impressions", "reach", "profile_visits")
PLATFORM_INDEX = {name: index for index, name in enumerate(PLATFORMS)}
FORMAT_INDEX = {name: index for index, name in enumerate(FORMATS)}
