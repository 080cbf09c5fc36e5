"""Marketing campaigns: seasonal and one-off, single- or multi-platform, organic or paid."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cadran.sources.demo.brands import Accounts, Brands
from cadran.sources.demo.columns import dates, dictionary, integers
from cadran.sources.demo.identifiers import slugify, unique
from cadran.sources.demo.phrasebook import CAMPAIGN_THEMES, OBJECTIVES
from cadran.sources.demo.platforms import PLATFORMS
from cadran.sources.demo.spec import WINDOW_DAYS, BoolArray, DemoSpec, FloatArray, IntArray, rng_for
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.timeline import Timeline
from cadran.sources.demo.vocabulary import SECTORS

_PAID_CHANCE = (0.8, 0.45, 0.75, 0.8)  # per objective
_SINGLE_WEIGHTS = np.array([0.25, 0.3, 0.15, 0.05, 0.15, 0.1])  # platform of one-platform campaigns
_BUDGET_SCALE = np.array([1.0, 1.0, 1.4, 0.6, 0.9, 0.8])  # daily budget relative to Facebook's
_MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


@dataclass(frozen=True, eq=False)
class Campaigns:
    """Campaigns, indexed from 0 (campaign_id = index + 1) in order of start day."""

    brand: IntArray
    platform: IntArray  # -1 when the campaign runs on several platforms
    objective: IntArray
    start: IntArray  # first day index
    stop: IntArray  # day index after the last day
    names: tuple[str, ...]
    slugs: tuple[str, ...]  # utm_campaign values
    runs_on: BoolArray  # (campaigns, platforms)
    budget: FloatArray  # (campaigns, platforms) daily paid budget, 0 when organic there
    influencer_fee: FloatArray  # fee paid to creators, 0 when none
    of_account_day: IntArray  # (accounts, days) campaign index running on the account, or -1

    @property
    def count(self) -> int:
        """Number of campaigns."""
        return len(self.brand)


def plan_campaigns(
    spec: DemoSpec, timeline: Timeline, brands: Brands, accounts: Accounts
) -> Campaigns:
    """Six to eight campaigns a year per brand, timed on the retail calendar or at random."""
    rng = rng_for(spec, "campaigns")
    # Days on which each seasonal theme falls inside the window (twice per theme in two years).
    occurrences = [
        (int(day), theme)
        for theme, (_, _, day_of_year, _) in enumerate(CAMPAIGN_THEMES)
        if day_of_year >= 0
        for day in np.flatnonzero(timeline.day_of_year == day_of_year)
    ]
    rows: list[tuple[int, int, int, int, int, str, str]] = []
    for owner in range(brands.count):
        rows.extend(_brand_campaigns(rng, timeline, brands, owner, occurrences))
    rows.sort(key=lambda row: (row[2], row[0], row[1]))
    count = len(rows)
    brand = np.array([row[0] for row in rows], dtype=np.int64)
    runs_on = np.zeros((count, len(PLATFORMS)), dtype=bool)
    platform = np.full(count, -1, dtype=np.int64)
    budget = np.zeros((count, len(PLATFORMS)))
    objective = np.array([row[4] for row in rows], dtype=np.int64)
    for index in range(count):
        owned = np.flatnonzero(accounts.index_of[brand[index]] >= 0)
        weights = _SINGLE_WEIGHTS[owned] / _SINGLE_WEIGHTS[owned].sum()
        if len(owned) == 1 or rng.random() < 0.4:
            chosen = np.array([rng.choice(owned, p=weights)])
            platform[index] = chosen[0]
        else:
            chosen = owned[rng.random(len(owned)) < 0.65]
            if len(chosen) < 2:
                chosen = rng.choice(owned, size=2, replace=False, p=weights)
        runs_on[index, chosen] = True
        if rng.random() < _PAID_CHANCE[objective[index]]:
            paid = chosen[rng.random(len(chosen)) < 0.75]
            paid = paid if len(paid) else chosen[:1]
            daily = brands.size[brand[index]] ** 0.8 * rng.uniform(30, 75, len(paid))
            budget[index, paid] = np.round(daily * _BUDGET_SCALE[paid], 2)
    creators = runs_on[:, 1] | runs_on[:, 4]  # Instagram or TikTok: creators can be hired
    fee = np.where(creators & (rng.random(count) < 0.2), rng.uniform(300, 1500, count), 0.0)
    start = np.array([row[2] for row in rows], dtype=np.int64)
    stop = np.array([row[3] for row in rows], dtype=np.int64)
    grid = np.full((accounts.count, WINDOW_DAYS), -1, dtype=np.int64)
    for index in range(count):  # later campaigns take over the days they share with earlier ones
        for account in accounts.index_of[brand[index], runs_on[index]]:
            grid[account, start[index] : stop[index]] = index
    return Campaigns(
        brand=brand,
        platform=platform,
        objective=objective,
        start=start,
        stop=stop,
        names=tuple(unique(row[5] for row in rows)),
        slugs=tuple(unique(row[6] for row in rows)),
        runs_on=runs_on,
        budget=budget,
        influencer_fee=np.round(fee * brands.size[brand] ** 0.7, 2),
        of_account_day=grid,
    )


def _brand_campaigns(
    rng: np.random.Generator,
    timeline: Timeline,
    brands: Brands,
    brand: int,
    occurrences: list[tuple[int, int]],
) -> list[tuple[int, int, int, int, int, str, str]]:
    """One brand's campaigns over the window: (brand, theme, start, stop, objective, name, slug)."""
    language = "fr" if brands.language[brand] == 0 else "en"
    b2b = SECTORS[int(brands.sector[brand])].subscription
    out = []
    wanted = int(np.clip(rng.poisson(13 * brands.size[brand] ** 0.15), 8, 24))
    # Seasonal campaigns: each yearly occurrence inside the window is run with a fair chance.
    for day, theme in occurrences:
        if rng.random() < 0.55:
            duration = int(rng.integers(8, 11) if theme == 6 else rng.integers(10, 25))
            out.append((theme, day - int(rng.integers(0, 6)), duration))
    generic = [i for i, theme in enumerate(CAMPAIGN_THEMES) if theme[2] < 0]
    while len(out) < wanted:
        theme = int(rng.choice(generic))
        duration = int(rng.integers(7, 43))
        out.append((theme, int(rng.integers(0, WINDOW_DAYS - 7)), duration))
    rows = []
    for theme, first, duration in out:
        start = max(first, 0)
        stop = min(start + duration, WINDOW_DAYS)
        weights = np.array(CAMPAIGN_THEMES[theme][3])
        if b2b:  # software brands sell through leads rather than promotions
            weights = weights * np.array([1.0, 0.7, 3.0, 0.4])
        objective = int(rng.choice(len(OBJECTIVES), p=weights / weights.sum()))
        when = timeline.start + datetime.timedelta(days=start)
        label = str(CAMPAIGN_THEMES[theme][0 if language == "fr" else 1])
        if CAMPAIGN_THEMES[theme][2] < 0:
            label = f"{label} {_MONTHS[language][when.month - 1]}"
        name = f"{label} {when.year} · {brands.names[brand]}"
        slug = f"{slugify(label, '-')}-{when.year}-{brands.slugs[brand]}"
        rows.append((brand, theme, start, stop, objective, name, slug))
    return rows


def campaign_table(timeline: Timeline, campaigns: Campaigns) -> pa.Table:
    """The ``campaign`` table."""
    return assemble(
        "campaign",
        {
            "campaign_id": integers(np.arange(1, campaigns.count + 1), pa.int32()),
            "name": pa.array(list(campaigns.names), type=pa.string()),
            "platform": dictionary(
                np.maximum(campaigns.platform, 0), PLATFORMS, campaigns.platform < 0
            ),
            "objective": dictionary(campaigns.objective, OBJECTIVES),
            "starts_on": dates(timeline.ordinals(campaigns.start)),
            "ends_on": dates(timeline.ordinals(campaigns.stop - 1)),
        },
    )
