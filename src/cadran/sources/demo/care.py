"""Community care: when the brand first replies to a message, and when complaints are resolved.

The team works 9:00-18:00 on weekdays (local time). Inside those hours replies come within
minutes; outside them most messages wait for the next opening, while someone glances at the
accounts in the evening and at weekends now and then. Replies get faster over the two years
(the team learns), some messages are never answered, and most complaints are resolved later.
"""

from __future__ import annotations

import numpy as np

from cadran.sources.demo.spec import WINDOW_DAYS, BoolArray, IntArray
from cadran.sources.demo.timeline import DAY_US, HOUR_US, MINUTE_US, SECOND_US, Timeline

OPENS, CLOSES = 9, 18
# Per kind (praise, question, complaint, remark): chance of a reply, public then private.
_REPLY_CHANCE = np.array([[0.35, 0.88, 0.93, 0.18], [0.8, 0.95, 0.97, 0.7]])
_MEDIAN_MINUTES = np.array([90.0, 35.0, 20.0, 120.0])  # in business hours, at the start
_RESOLVED_CHANCE = 0.85  # complaints that get a reply and are resolved in the end
# Days from a closed moment to the next opening, by weekday (Monday = 0): before opening on a
# weekday it is the same day; after closing, the next working day.
_AFTER_CLOSE = np.array([1, 1, 1, 1, 3, 2, 1])
_BEFORE_OPEN = np.array([0, 0, 0, 0, 0, 2, 1])


def first_replies(
    rng: np.random.Generator,
    timeline: Timeline,
    created: IntArray,
    kind: IntArray,
    private: BoolArray,
) -> IntArray:
    """Local instant of the brand's first reply to each message, or -1 when there is none."""
    n = len(created)
    absolute_day = created // DAY_US
    hour = (created % DAY_US) / HOUR_US
    weekday = (absolute_day + 3) % 7
    open_now = (weekday < 5) & (hour >= OPENS) & (hour < CLOSES)
    ahead = np.where(hour < OPENS, _BEFORE_OPEN[weekday], _AFTER_CLOSE[weekday])
    next_open = (absolute_day + ahead) * DAY_US + OPENS * HOUR_US
    # The team gets quicker: delays shrink by about 40 % from the first day to the last.
    learning = 1.3 - 0.5 * (absolute_day - timeline.first_ordinal) / WINDOW_DAYS
    quick = rng.lognormal(np.log(_MEDIAN_MINUTES[kind] * learning), 1.0) * MINUTE_US
    # Someone checks the accounts outside office hours, more and more often over the years.
    coverage = 0.1 + 0.25 * (absolute_day - timeline.first_ordinal) / WINDOW_DAYS
    watched = ~open_now & (hour >= 7) & (hour < 23) & (rng.random(n) < coverage)
    glance = rng.lognormal(np.log(150.0), 0.8, n) * MINUTE_US
    backlog = rng.lognormal(np.log(60.0 * learning), 0.9) * MINUTE_US
    reply = np.where(
        open_now, created + quick, np.where(watched, created + glance, next_open + backlog)
    ).astype(np.int64)
    answered = rng.random(n) < _REPLY_CHANCE[private.astype(np.int64), kind]
    # Platforms give whole seconds; a reply comes at least a second after its message.
    reply = timeline.settle(np.maximum(reply - reply % SECOND_US, created + SECOND_US))
    return np.where(answered & (reply < timeline.horizon_us), reply, -1)


def resolutions(
    rng: np.random.Generator, timeline: Timeline, reply: IntArray, complaint: BoolArray
) -> IntArray:
    """Local instant each complaint is resolved, or -1 (not a complaint, or still open)."""
    n = len(reply)
    learning = 1.3 - 0.5 * (reply // DAY_US - timeline.first_ordinal) / WINDOW_DAYS
    delay = rng.lognormal(np.log(20.0 * np.maximum(learning, 0.5)), 1.1) * HOUR_US
    resolved = (reply + delay).astype(np.int64)
    resolved = timeline.settle(resolved - resolved % SECOND_US + SECOND_US)
    keep = complaint & (reply >= 0) & (rng.random(n) < _RESOLVED_CHANCE)
    return np.where(keep & (resolved < timeline.horizon_us), resolved, -1)
