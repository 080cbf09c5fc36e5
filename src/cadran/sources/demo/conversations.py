"""Public comments on posts and private messages to the accounts, with replies and sentiment.

Every comment counted on a post becomes a public message on it, arriving over the following
hours and days; private messages arrive per account and day. Kinds (praise, question,
complaint, remark) depend on the post's pillar and on paid boosts; complaints grow rarer over
the two years, so brand sentiment improves. Sentiment scores lie in the band of their label
(negative <= -0.05 < neutral < 0.05 <= positive, the VADER convention).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cadran.sources.demo.activity import Activity
from cadran.sources.demo.blueprint import Blueprint, Group
from cadran.sources.demo.care import first_replies, resolutions
from cadran.sources.demo.columns import (
    booleans,
    constant,
    dictionary,
    floats,
    integers,
    origin,
    timestamps,
)
from cadran.sources.demo.community import Community
from cadran.sources.demo.identifiers import prefixed, serials
from cadran.sources.demo.phrasebook import KINDS
from cadran.sources.demo.platforms import LANGUAGES, PLATFORMS, TOPICS
from cadran.sources.demo.posts import PostBatch
from cadran.sources.demo.sampling import categorical, cdf_table, pick, truncated_exponential
from cadran.sources.demo.spec import WINDOW_DAYS, BoolArray, FloatArray, IntArray, rng_for
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.timeline import HOUR_US, SECOND_US, Month, Timeline

LABELS = ("negative", "neutral", "positive")
# Mean hours until a comment arrives, per platform (X moves fast, YouTube slowly).
_COMMENT_HOURS = np.array([8.0, 6.0, 12.0, 2.0, 10.0, 24.0])
_BASE_KINDS = np.array([0.38, 0.22, 0.08, 0.32])  # praise, question, complaint, remark
_TOPIC_TILT = {
    "promotion": (0.8, 1.4, 1.5, 1.0),
    "entertainment": (1.3, 0.7, 0.7, 1.2),
    "useful": (1.0, 1.5, 0.8, 0.9),
    "product": (1.0, 1.3, 1.0, 0.9),
    "lifestyle": (1.2, 0.8, 0.8, 1.0),
}
# Rows: topic x paid (boosted posts draw more complaints and grumbles), then private messages.
KIND_MIX = cdf_table(
    [
        _BASE_KINDS * np.array(_TOPIC_TILT[t]) * ((1.0, 1.0, 1.4, 1.3) if paid else 1.0)
        for t in TOPICS
        for paid in (False, True)
    ]
    + [[0.1, 0.5, 0.22, 0.18]]
)
_PRIVATE_KEY = 2 * len(TOPICS)
DM_HOURS = cdf_table(
    [[1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2.5, 4, 5, 5, 5.5, 6.5, 6, 5, 5, 5, 5.5, 6, 6.5, 7, 6.5, 4.5,
      2.5]]
)  # fmt: skip
_COMPLAINT, _PRAISE = KINDS.index("complaint"), KINDS.index("praise")


def sentiment_scores(rng: np.random.Generator, label: IntArray) -> FloatArray:
    """Scores in [-1, 1] inside each label's band, so label and score always agree."""
    strength = rng.beta(2.2, 2.0, len(label))
    score = np.where(label == 2, 0.05 + 0.95 * strength, -0.05 - 0.95 * strength)
    score = np.where(label == 1, rng.uniform(-0.049, 0.049, len(label)), score)
    return np.round(score, 4).astype(np.float64)


def generate_messages(
    blueprint: Blueprint,
    group: Group,
    month: Month,
    posts: PostBatch,
    first_id: int,
    activity: Activity,
    community: Community,
) -> pa.Table:
    """The ``message`` rows of ``month``: comments on its posts and private messages."""
    timeline, accounts = blueprint.timeline, blueprint.accounts
    rng = rng_for(blueprint.spec, "messages", group.index, month.index)
    post = np.repeat(np.arange(posts.count), posts.comments)
    n_public = len(post)
    published = posts.local_us[post]
    platform = posts.platform[post]
    room = (timeline.horizon_us - published) / HOUR_US
    slow = rng.random(n_public) < 0.15
    scale = np.where(slow, 96.0, _COMMENT_HOURS[platform])
    delay = np.ceil(truncated_exponential(rng, scale, room) * 3600).astype(np.int64) * SECOND_US
    created = np.minimum(timeline.settle(published + delay), timeline.horizon_us - SECOND_US)
    key = posts.topic[post] * 2 + posts.is_paid[post]
    language = np.where(rng.random(n_public) < 0.88, posts.language[post], 1 - posts.language[post])

    private_rng = rng_for(blueprint.spec, "private_messages", group.index, month.index)
    p_account, p_created = _private_arrivals(private_rng, blueprint, group, month, activity)
    n_private = len(p_account)
    primary = blueprint.brands.language[accounts.brand[p_account]]
    p_language = np.where(private_rng.random(n_private) < 0.85, primary, 1 - primary)

    account = np.concatenate([posts.account[post], p_account])
    created = np.concatenate([created, p_created])
    kind = categorical(rng, KIND_MIX, np.concatenate([key, np.full(n_private, _PRIVATE_KEY)]))
    day = created // (24 * HOUR_US) - timeline.first_ordinal
    # Better care over time: a growing share of would-be complaints turn into praise.
    improved = (kind == _COMPLAINT) & (rng.random(len(kind)) < 0.3 * day / WINDOW_DAYS)
    kind[improved] = _PRAISE
    language = np.concatenate([language, p_language])
    private = np.arange(len(account)) >= n_public
    post_id = np.concatenate([posts.post_id[post], np.zeros(n_private, dtype=np.int64)])
    order = np.argsort(created, kind="stable")
    return _table(
        rng,
        blueprint,
        group,
        first_id,
        account[order],
        created[order],
        kind[order],
        language[order],
        private[order],
        post_id[order],
        community,
    )


def _private_arrivals(
    rng: np.random.Generator, blueprint: Blueprint, group: Group, month: Month, activity: Activity
) -> tuple[IntArray, IntArray]:
    """Accounts and local instants of the private messages received in ``month``."""
    timeline = blueprint.timeline
    days = slice(month.first, month.stop)
    weekday = np.where(timeline.weekday[days] < 5, 1.1, 0.75)
    campaign = np.where(
        blueprint.campaigns.of_account_day[group.account_start : group.account_stop, days] >= 0,
        1.3,
        1.0,
    )
    rate = blueprint.private_rate[group.account_start : group.account_stop, None]
    lam = (
        rate
        * weekday
        * timeline.season[days]
        * campaign
        * (1 + 0.2 * activity.window("buzz", days))
    )
    counts = rng.poisson(lam)
    cell = np.repeat(np.arange(counts.size), counts.reshape(-1))
    width = month.stop - month.first
    account = group.account_start + cell // width
    day = month.first + cell % width
    hour = categorical(rng, DM_HOURS, np.zeros(len(cell), dtype=np.int64))
    seconds = rng.integers(0, 3600, len(cell))
    created = timeline.settle(timeline.day_start_us(day) + hour * HOUR_US + seconds * SECOND_US)
    return account, created


def _table(
    rng: np.random.Generator,
    blueprint: Blueprint,
    group: Group,
    first_id: int,
    account: IntArray,
    created: IntArray,
    kind: IntArray,
    language: IntArray,
    private: BoolArray,
    post_id: IntArray,
    community: Community,
) -> pa.Table:
    timeline: Timeline = blueprint.timeline
    n = len(account)
    message_id = first_id + np.arange(n, dtype=np.int64)
    brand = blueprint.accounts.brand[account] - group.brand_start
    platform = blueprint.accounts.platform[account]
    key = (brand, language, kind)
    text = pick(rng, community.messages.start[key], community.messages.count[key])
    label = community.message_label[text]
    author = pick(rng, community.authors.start[brand], community.authors.count[brand], skew=1.4)
    reply = first_replies(rng, timeline, created, kind, private.astype(bool))
    complaint = kind == _COMPLAINT
    resolved = resolutions(rng, timeline, reply, complaint)
    utc = timeline.to_utc(created)
    serial = serials(utc, message_id)
    # LinkedIn comments are URNs, YouTube comment ids start with "Ugx", DMs with "m_".
    code = np.where(
        private,
        3,
        np.where(
            platform == PLATFORMS.index("linkedin"),
            1,
            np.where(platform == PLATFORMS.index("youtube"), 2, 0),
        ),
    )
    short = (private | (platform == PLATFORMS.index("youtube"))).astype(np.int64)
    every = np.ones(n, dtype=bool)
    return assemble(
        "message",
        {
            "message_id": integers(message_id, pa.int64()),
            "account_id": integers(account + 1, pa.int32()),
            "platform": dictionary(platform, PLATFORMS),
            "native_id": prefixed(code, ["", "urn:li:comment:", "Ugx", "m_"], serial, short),
            "channel": dictionary(private.astype(np.int64), ["public", "private"]),
            "post_id": integers(post_id, pa.int64(), private.astype(bool)),
            "author": community.authors.dictionary(author),
            "text": community.messages.dictionary(text),
            "language": dictionary(language, LANGUAGES),
            "created_at": timestamps(utc),
            "first_reply_at": timestamps(timeline.to_utc(reply), reply < 0),
            "is_question": booleans(community.message_question[text]),
            "is_complaint": booleans(complaint),
            "resolved_at": timestamps(timeline.to_utc(resolved), resolved < 0),
            "sentiment_score": floats(sentiment_scores(rng, label)),
            "sentiment_label": dictionary(label, LABELS),
            "sentiment_method": constant("demo", n),
            "is_question_origin": origin(every, "computed"),
            "is_complaint_origin": origin(every, "computed"),
            "sentiment_score_origin": origin(every, "computed"),
            "sentiment_label_origin": origin(every, "computed"),
        },
    )
