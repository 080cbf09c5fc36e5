"""Recommendations Cadran made to the team, and how many of the people who saw them acted.

Each account gets about one recommendation a month (best time to post, format, content
pillar), each brand a budget recommendation now and then, in the weekly Monday digest. About
30 % of the people shown a recommendation act on it: the seeds' 20-40 % adoption band.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cadran.sources.demo.blueprint import Blueprint
from cadran.sources.demo.columns import dictionary, integers, origin, timestamps
from cadran.sources.demo.identifiers import reference
from cadran.sources.demo.phrasebook import (
    PLATFORM_LABELS,
    RECOMMENDATION_KINDS,
    RECOMMENDATIONS,
    TOPIC_LABELS,
    WEEKDAY_NAMES,
)
from cadran.sources.demo.platforms import LANGUAGES, PLATFORMS, PROFILES
from cadran.sources.demo.spec import rng_for
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.timeline import HOUR_US, MINUTE_US

_ADOPTION = np.array([0.38, 0.30, 0.27, 0.22])  # per kind: best_time, format, topic, budget


def recommendation_table(blueprint: Blueprint) -> pa.Table:
    """The ``recommendation`` table of the whole workspace."""
    rng = rng_for(blueprint.spec, "recommendations")
    timeline, accounts, brands = blueprint.timeline, blueprint.accounts, blueprint.brands
    account_rows, kinds, days = [], [], []
    for month in timeline.months:
        mondays = np.flatnonzero(timeline.weekday[month.first : month.stop] == 0) + month.first
        if not len(mondays):  # a partial month at an end of the window may have none
            mondays = np.arange(month.first, month.stop)
        per_account = rng.poisson(0.9, accounts.count)
        owner = np.repeat(np.arange(accounts.count), per_account)
        budget_brands = np.flatnonzero(rng.random(brands.count) < 0.35)
        budget_owner = accounts.index_of[budget_brands, 0]
        budget_owner = np.where(
            budget_owner >= 0, budget_owner, accounts.index_of[budget_brands].max(axis=1)
        )
        account_rows += [owner, budget_owner]
        kinds += [rng.choice(3, len(owner), p=[0.45, 0.3, 0.25]), np.full(len(budget_owner), 3)]
        days.append(rng.choice(mondays, len(owner) + len(budget_owner)))
    account = np.concatenate(account_rows)
    kind = np.concatenate(kinds)
    day = np.concatenate(days)
    n = len(account)
    created = timeline.day_start_us(day) + 8 * HOUR_US + rng.integers(0, 30, n) * MINUTE_US
    created = timeline.settle(created)
    order = np.lexsort((account, created))
    account, kind, created = account[order], kind[order], created[order]
    platform = accounts.platform[account]
    brand = accounts.brand[account]
    texts = [
        _text(rng, int(k), int(p), int(brands.language[b]))
        for k, p, b in zip(kind, platform, brand, strict=True)
    ]
    exposed = np.maximum(rng.binomial(brands.team[brand], 0.85), 1)
    acted = rng.binomial(exposed, _ADOPTION[kind])
    recommendation_id = np.arange(1, n + 1, dtype=np.int64)
    every = np.ones(n, dtype=bool)
    budget = kind == 3  # budget advice is about a platform, not one account
    return assemble(
        "recommendation",
        {
            "recommendation_id": integers(recommendation_id, pa.int64()),
            "native_id": reference("REC-", recommendation_id, 6),
            "created_at": timestamps(timeline.to_utc(created)),
            "platform": dictionary(platform, PLATFORMS),
            "account_id": integers(account + 1, pa.int32(), budget),
            "kind": dictionary(kind, RECOMMENDATION_KINDS),
            "text": pa.array(texts, type=pa.string()),
            "users_exposed": integers(exposed, pa.int64()),
            "users_acted": integers(acted, pa.int64()),
            "users_exposed_origin": origin(every),
            "users_acted_origin": origin(every),
        },
    )


def _text(rng: np.random.Generator, kind: int, platform: int, language: int) -> str:
    """One recommendation, filled from the platform's own audience and formats."""
    lang = LANGUAGES[language]
    templates = RECOMMENDATIONS[lang][RECOMMENDATION_KINDS[kind]]
    profile = PROFILES[platform]
    hours = np.argsort(profile.active_hours)[-3:]
    formats = list(profile.formats)
    return str(templates[int(rng.integers(len(templates)))]).format(
        weekday=WEEKDAY_NAMES[lang][int(rng.integers(0, 5))],
        hour=int(rng.choice(hours)),
        platform=PLATFORM_LABELS[platform],
        format=formats[int(rng.integers(len(formats)))],
        topic=TOPIC_LABELS[lang][int(rng.integers(len(TOPIC_LABELS[lang])))],
        pct=int(rng.integers(8, 61)),
        amount=int(rng.integers(5, 51)) * 10,
    )
