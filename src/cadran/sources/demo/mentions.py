"""Mentions of the brands by other people, and posts in which people tag the brand's account.

Mentions follow the account's audience, rise during campaigns and spike in the days after a
viral post. Most name the account (account_id set); some name only the brand (account_id NULL).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cadran.sources.demo.activity import Activity
from cadran.sources.demo.blueprint import Blueprint, Group
from cadran.sources.demo.columns import (
    constant,
    dictionary,
    floats,
    integers,
    join,
    origin,
    timestamps,
)
from cadran.sources.demo.community import Community
from cadran.sources.demo.conversations import LABELS, sentiment_scores
from cadran.sources.demo.identifiers import id_text, serials
from cadran.sources.demo.platforms import LANGUAGES, PLATFORMS, PROFILES
from cadran.sources.demo.sampling import categorical, cdf_table, pick
from cadran.sources.demo.spec import rng_for
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.timeline import HOUR_US, SECOND_US, Month

_TAG_CHANCE = np.array([0.3, 0.45, 0.2, 0.05, 0.35, 0.05])  # tags are an Instagram habit
_LABEL_MIX = cdf_table([[0.15, 0.40, 0.45]])
ACTIVE_HOURS = cdf_table([p.active_hours for p in PROFILES])
# Permalinks of the mentioning posts: head, whether the author's handle follows, middle, tail.
_URLS = (
    ("https://www.facebook.com/", True, "/posts/", ""),
    ("https://www.instagram.com/p/", False, "", "/"),
    ("https://www.linkedin.com/feed/update/urn:li:activity:", False, "", "/"),
    ("https://x.com/", True, "/status/", ""),
    ("https://www.tiktok.com/@", True, "/video/", ""),
    ("https://www.youtube.com/watch?v=", False, "", ""),
)
_NAMED = np.array([parts[1] for parts in _URLS])


def generate_mentions(
    blueprint: Blueprint,
    group: Group,
    month: Month,
    first_id: int,
    activity: Activity,
    community: Community,
) -> pa.Table:
    """The ``mention`` rows of ``group``'s accounts in ``month``."""
    timeline, accounts = blueprint.timeline, blueprint.accounts
    rng = rng_for(blueprint.spec, "mentions", group.index, month.index)
    days = slice(month.first, month.stop)
    first, stop = group.account_start, group.account_stop
    campaign = np.where(blueprint.campaigns.of_account_day[first:stop, days] >= 0, 1.4, 1.0)
    weekday = np.where(timeline.weekday[days] >= 5, 1.1, 1.0)
    lam = (
        blueprint.mention_rate[first:stop, None]
        * timeline.season[days]
        * weekday
        * campaign
        * (1.0 + 0.3 * activity.window("buzz", days))
    )
    counts = rng.poisson(lam)
    cell = np.repeat(np.arange(counts.size), counts.reshape(-1))
    width = month.stop - month.first
    account = first + cell // width
    day = month.first + cell % width
    platform = accounts.platform[account]
    hour = categorical(rng, ACTIVE_HOURS, platform)
    local = (
        timeline.day_start_us(day) + hour * HOUR_US + rng.integers(0, 3600, len(day)) * SECOND_US
    )
    local = timeline.settle(local)
    order = np.lexsort((account, local))
    account, platform, local = account[order], platform[order], local[order]
    n = len(account)
    mention_id = first_id + np.arange(n, dtype=np.int64)
    brand = accounts.brand[account] - group.brand_start
    kind = (rng.random(n) < _TAG_CHANCE[platform]).astype(np.int64)
    # People who only write the brand's name, without tagging it: the account is unknown.
    unknown = (kind == 0) & (rng.random(n) < 0.1)
    primary = blueprint.brands.language[accounts.brand[account]]
    language = np.where(rng.random(n) < 0.85, primary, 1 - primary)
    label = categorical(rng, _LABEL_MIX, np.zeros(n, dtype=np.int64))
    key = (brand, language, label)
    text = pick(rng, community.mentions.start[key], community.mentions.count[key])
    author = pick(rng, community.public.start[brand], community.public.count[brand])
    utc = timeline.to_utc(local)
    serial = serials(utc, mention_id)
    short = np.isin(platform, (PLATFORMS.index("instagram"), PLATFORMS.index("youtube")))
    native = id_text(serial, (platform == PLATFORMS.index("youtube")).astype(np.int64))
    author_text = community.public.dictionary(author)
    named = pc.if_else(pa.array(_NAMED[platform]), author_text.dictionary_decode(), pa.scalar(""))
    url = join(
        [
            dictionary(platform, [parts[0] for parts in _URLS]),
            named,
            dictionary(platform, [parts[2] for parts in _URLS]),
            id_text(serial, short.astype(np.int64)),
            dictionary(platform, [parts[3] for parts in _URLS]),
        ]
    )
    every = np.ones(n, dtype=bool)
    return assemble(
        "mention",
        {
            "mention_id": integers(mention_id, pa.int64()),
            "account_id": integers(account + 1, pa.int32(), unknown),
            "platform": dictionary(platform, PLATFORMS),
            "native_id": native,
            "kind": dictionary(kind, ("mention", "tag")),
            "author": author_text,
            "text": community.mentions.dictionary(text),
            "language": dictionary(language, LANGUAGES),
            "url": url,
            "created_at": timestamps(utc),
            "sentiment_score": floats(sentiment_scores(rng, label)),
            "sentiment_label": dictionary(label, LABELS),
            "sentiment_method": constant("demo", n),
            "sentiment_score_origin": origin(every, "computed"),
            "sentiment_label_origin": origin(every, "computed"),
        },
    )
