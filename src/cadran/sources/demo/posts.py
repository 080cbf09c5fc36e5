"""Posts of a group of brands for one month, with their lifetime metrics and captions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cadran.sources.demo.activity import Activity
from cadran.sources.demo.blueprint import Blueprint, Group
from cadran.sources.demo.captions import CaptionPools
from cadran.sources.demo.columns import (
    dictionary,
    floats,
    integers,
    join,
    origin,
    timestamps,
)
from cadran.sources.demo.identifiers import id_text, serials
from cadran.sources.demo.metrics import simulate
from cadran.sources.demo.phrasebook import OBJECTIVES
from cadran.sources.demo.platforms import (
    FORMATS,
    LANGUAGES,
    PLATFORMS,
    POST_METRICS,
    PROFILES,
    TOPICS,
    VIDEO_FORMATS,
)
from cadran.sources.demo.sampling import categorical, cdf_table
from cadran.sources.demo.spec import BoolArray, IntArray, rng_for
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.timeline import HOUR_US, SECOND_US, Month

_P = len(PLATFORMS)
POSTING_HOURS = cdf_table([p.posting_hours for p in PROFILES])
FORMAT_MIX = cdf_table([[p.formats.get(f, 0.0) for f in FORMATS] for p in PROFILES])
# Campaigns tilt the content pillars toward their objective (row = platform x (none + objective)).
_TILT = {
    -1: {},
    0: {"product": 1.5},
    1: {"entertainment": 2.0},
    2: {"useful": 2.0},
    3: {"promotion": 3.0},
}
TOPIC_MIX = cdf_table(
    [
        [p.topics[t] * _TILT[objective].get(t, 1.0) for t in TOPICS]
        for p in PROFILES
        for objective in range(-1, len(OBJECTIVES))
    ]
)
REPORTED = np.array([[m in p.reports for m in POST_METRICS] for p in PROFILES])
_VIDEO = np.array([f in VIDEO_FORMATS for f in FORMATS])
_FB, _IG, _LI, _X, _TT, _YT = range(_P)
_STORY, _REEL, _SHORT, _CAROUSEL = (
    FORMATS.index(f) for f in ("story", "reel", "short", "carousel")
)
_UNBOOSTED = (FORMATS.index("story"), FORMATS.index("live"))
_SALES_OBJECTIVES = (OBJECTIVES.index("leads"), OBJECTIVES.index("sales"))
_ENGLISH = np.array([p.english_share for p in PROFILES])
_CPM = np.array([p.cpm for p in PROFILES])


@dataclass(frozen=True, eq=False)
class PostBatch:
    """What later generators need from a month's posts (row order = post_id order)."""

    post_id: IntArray
    account: IntArray
    platform: IntArray
    day: IntArray
    local_us: IntArray
    comments: IntArray
    topic: IntArray
    language: IntArray
    is_paid: BoolArray
    campaign: IntArray  # campaign index or -1

    @property
    def count(self) -> int:
        """Number of posts."""
        return len(self.post_id)


def generate_posts(
    blueprint: Blueprint,
    group: Group,
    month: Month,
    first_id: int,
    activity: Activity,
    captions: CaptionPools,
) -> tuple[pa.Table, PostBatch]:
    """The ``post`` rows of ``group`` published in ``month``, ids from ``first_id``."""
    spec, timeline, accounts, campaigns = (
        blueprint.spec,
        blueprint.timeline,
        blueprint.accounts,
        blueprint.campaigns,
    )
    rng = rng_for(spec, "posts", group.index, month.index)
    days = slice(month.first, month.stop)
    counts = rng.poisson(blueprint.posting_rate(group.account_start, group.account_stop, days))
    cell = np.repeat(np.arange(counts.size), counts.reshape(-1))
    width = month.stop - month.first
    account = group.account_start + cell // width
    day = month.first + cell % width
    platform = accounts.platform[account]
    hour = categorical(rng, POSTING_HOURS, platform)
    local_us = (
        timeline.day_start_us(day) + hour * HOUR_US + rng.integers(0, 3600, len(day)) * SECOND_US
    )
    local_us = timeline.settle(local_us)
    order = np.lexsort((account, local_us))  # ids follow publication time
    account, day, platform, hour, local_us = (
        a[order] for a in (account, day, platform, hour, local_us)
    )
    n = len(account)
    post_id = first_id + np.arange(n, dtype=np.int64)

    running = campaigns.of_account_day[account, day]
    campaign = np.where((running >= 0) & (rng.random(n) < 0.55), running, -1)
    tagged = campaign >= 0
    objective = np.where(tagged, campaigns.objective[np.maximum(campaign, 0)], -1)
    fmt = categorical(rng, FORMAT_MIX, platform)
    topic = categorical(rng, TOPIC_MIX, platform * (len(OBJECTIVES) + 1) + objective + 1)
    primary = blueprint.brands.language[accounts.brand[account]]
    language = np.where(rng.random(n) < _ENGLISH[platform], 1 - primary, primary)
    budget = campaigns.budget[np.maximum(campaign, 0), platform] * tagged
    is_paid = (budget > 0) & ~np.isin(fmt, _UNBOOSTED) & (rng.random(n) < 0.3)
    # A boost buys a few days of the campaign's budget at the platform's CPM.
    paid_impressions = np.where(is_paid, budget * rng.uniform(2, 5, n) / _CPM[platform] * 1000, 0.0)

    metrics = simulate(
        rng,
        platform,
        fmt,
        topic,
        followers=accounts.planned_followers(account, day),
        hour=hour,
        weekend=timeline.weekday[day] >= 5,
        season=timeline.season[day],
        quality=accounts.quality[account],
        paid_impressions=paid_impressions,
        click_boost=np.where(np.isin(objective, _SALES_OBJECTIVES), 1.4, 1.0),
        comment_scale=blueprint.comment_scale,
    )
    metrics["buzz"] = np.maximum(metrics["virality"] - 2.0, 0.0)
    activity.record(account, day, metrics)

    brand = accounts.brand[account] - group.brand_start
    text, readability, quality = captions.compose(
        rng, brand, language, topic, platform, fmt, campaign, campaigns.slugs
    )
    utc_us = timeline.to_utc(local_us)
    serial = serials(utc_us, post_id)
    native, url = _identifiers(blueprint, group, account, platform, fmt, serial)
    columns: dict[str, pa.Array] = {
        "post_id": integers(post_id, pa.int64()),
        "account_id": integers(account + 1, pa.int32()),
        "platform": dictionary(platform, PLATFORMS),
        "native_id": native,
        "published_at": timestamps(utc_us),
        "text": text,
        "language": dictionary(language, LANGUAGES),
        "format": dictionary(fmt, FORMATS),
        "topic": dictionary(topic, TOPICS),
        "campaign_id": integers(campaign + 1, pa.int32(), ~tagged),
        "is_paid": pa.array(is_paid, type=pa.bool_()),
        "url": url,
    }
    for index, name in enumerate(POST_METRICS):
        present = _reported(index, name, platform, fmt)
        columns[name] = integers(metrics[name], pa.int64(), ~present)
        columns[f"{name}_origin"] = origin(present)
    columns["readability"] = floats(readability)
    columns["quality_score"] = floats(quality)
    columns["readability_origin"] = origin(np.ones(n, dtype=bool), "computed")
    columns["quality_score_origin"] = origin(np.ones(n, dtype=bool), "computed")
    as_of = timeline.to_utc(np.array([timeline.horizon_us + 3 * HOUR_US]))[0]
    columns["metrics_as_of"] = timestamps(np.full(n, as_of))
    batch = PostBatch(
        post_id,
        account,
        platform,
        day,
        local_us,
        metrics["comments"].astype(np.int64),
        topic,
        language,
        is_paid,
        campaign,
    )
    return assemble("post", columns), batch


def _reported(index: int, name: str, platform: IntArray, fmt: IntArray) -> BoolArray:
    """Whether each post's platform reports metric ``name`` for the post's format."""
    present = REPORTED[platform, index]
    if name == "video_views":  # only videos have views, except on TikTok and YouTube
        present = present & (_VIDEO[fmt] | (platform == _TT) | (platform == _YT))
        present &= ~((platform == _IG) & (fmt == _STORY))
    elif name in ("likes", "comments", "saves"):  # stories have neither likes nor comments
        present = present & ~((platform == _IG) & (fmt == _STORY))
    return np.asarray(present, dtype=bool)


def _identifiers(
    blueprint: Blueprint,
    group: Group,
    account: IntArray,
    platform: IntArray,
    fmt: IntArray,
    serial: IntArray,
) -> tuple[pa.Array, pa.Array]:
    """Native ids and permalinks in each platform's own shape."""
    local = account - group.account_start
    handles = blueprint.accounts.handles[group.account_start : group.account_stop]
    # Variant 0: the usual link; 1: reels, shorts and TikTok photo posts; 2: Instagram stories.
    shapes = {
        _FB: ("https://www.facebook.com/{h}/posts/",) * 3,
        _IG: (
            "https://www.instagram.com/p/",
            "https://www.instagram.com/reel/",
            "https://www.instagram.com/stories/{h}/",
        ),
        _LI: ("https://www.linkedin.com/feed/update/urn:li:activity:",) * 3,
        _X: ("https://x.com/{h}/status/",) * 3,
        _TT: (
            "https://www.tiktok.com/@{h}/video/",
            "https://www.tiktok.com/@{h}/photo/",
            "https://www.tiktok.com/@{h}/video/",
        ),
        _YT: (
            "https://www.youtube.com/watch?v=",
            "https://www.youtube.com/shorts/",
            "https://www.youtube.com/watch?v=",
        ),
    }
    accounts = blueprint.accounts
    prefixes = [
        shape.format(h=handle)
        for index, handle in enumerate(handles)
        for shape in shapes[int(accounts.platform[group.account_start + index])]
    ]
    variant = np.where(
        (fmt == _REEL) | (fmt == _SHORT) | ((platform == _TT) & (fmt == _CAROUSEL)), 1, 0
    )
    variant = np.where((platform == _IG) & (fmt == _STORY), 2, variant)
    short_url = ((platform == _IG) & (fmt != _STORY)) | (platform == _YT)
    url = join(
        [
            dictionary(local * 3 + variant, prefixes),
            id_text(serial, short_url.astype(np.int64)),
            dictionary(np.isin(platform, (_IG, _LI)).astype(np.int64), ["", "/"]),
        ]
    )
    # Facebook ids are "<page id>_<post id>"; LinkedIn ids are activity URNs.
    page_ids = [f"{10**14 + 7919 * (group.account_start + i + 1)}_" for i in range(len(handles))]
    code = np.where(platform == _FB, 2 + local, np.where(platform == _LI, 1, 0))
    native = join(
        [
            dictionary(code, ["", "urn:li:activity:", *page_ids]),
            id_text(serial, (platform == _YT).astype(np.int64)),
        ]
    )
    return native, url
