"""Monthly audience snapshots: followers by age, gender, country, city, language, active hour
and weekday, for the dimensions each platform reports.

Shares come from the platform's typical audience (TikTok young, Facebook older), the sector
(cosmetics followers are mostly women) and the brand's language, with a per-account twist and
a slow monthly drift. Age x gender is drawn jointly and the age and gender rows are its
margins, so every breakdown of a snapshot sums to the account's followers (cities, countries
and languages include an "other" segment; segments with no follower are left out).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cadran.sources.demo.blueprint import Blueprint, Group
from cadran.sources.demo.columns import dates, dictionary, floats, integers, origin
from cadran.sources.demo.platforms import PLATFORMS, PROFILES
from cadran.sources.demo.spec import FloatArray, IntArray, rng_for
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.vocabulary import SECTORS

DIMENSIONS = (
    "age",
    "gender",
    "age_gender",
    "country",
    "city",
    "language",
    "active_hour",
    "active_weekday",
)
AGES = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
GENDERS = ("F", "M", "U")
_AGE_MIX = {  # platforms that report ages
    "facebook": (0.01, 0.10, 0.24, 0.24, 0.19, 0.13, 0.09),
    "instagram": (0.04, 0.28, 0.34, 0.18, 0.09, 0.05, 0.02),
    "tiktok": (0.12, 0.38, 0.26, 0.13, 0.07, 0.03, 0.01),
    "youtube": (0.03, 0.18, 0.27, 0.22, 0.15, 0.10, 0.05),
}
# Segments of the place and language breakdowns for French-first and English-first brands.
_PLACES = {
    "country": (
        ("FR", "BE", "CH", "CA", "MA", "US", "GB", "DE", "ES", "other"),
        (0.72, 0.07, 0.05, 0.04, 0.02, 0.02, 0.01, 0.01, 0.01, 0.05),
        ("GB", "US", "CA", "AU", "IE", "FR", "DE", "NL", "IN", "other"),
        (0.35, 0.30, 0.06, 0.05, 0.04, 0.04, 0.03, 0.03, 0.03, 0.07),
    ),
    "city": (
        (
            "Paris",
            "Lyon",
            "Marseille",
            "Bordeaux",
            "Toulouse",
            "Lille",
            "Nantes",
            "Bruxelles",
            "Montréal",
            "other",
        ),
        (0.20, 0.06, 0.05, 0.04, 0.04, 0.035, 0.035, 0.04, 0.03, 0.47),
        (
            "London",
            "New York",
            "Manchester",
            "Los Angeles",
            "Toronto",
            "Dublin",
            "Birmingham",
            "Chicago",
            "Sydney",
            "other",
        ),
        (0.15, 0.08, 0.04, 0.04, 0.03, 0.03, 0.03, 0.03, 0.03, 0.54),
    ),
    "language": (
        ("fr", "en", "es", "de", "ar", "other"),
        (0.82, 0.12, 0.02, 0.01, 0.015, 0.015),
        ("en", "fr", "es", "de", "hi", "other"),
        (0.85, 0.04, 0.04, 0.02, 0.02, 0.03),
    ),
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def snapshot_days(blueprint: Blueprint) -> IntArray:
    """Day indices of the snapshots: the last day of each month in the window, and the end."""
    months = blueprint.timeline.months
    return np.array([month.stop - 1 for month in months], dtype=np.int64)


def audience_table(blueprint: Blueprint, group: Group, followers: IntArray) -> pa.Table:
    """The ``audience`` rows of ``group``'s accounts; ``followers`` is (accounts, days)."""
    rng = rng_for(blueprint.spec, "audience", group.index)
    accounts, brands = blueprint.accounts, blueprint.brands
    local = np.arange(group.account_start, group.account_stop)
    platform = accounts.platform[local]
    brand = accounts.brand[local]
    snaps = snapshot_days(blueprint)
    totals = followers[:, snaps].astype(np.float64)  # (accounts, snapshots)
    reports = np.array([[d in PROFILES[p].audience for d in DIMENSIONS] for p in platform])
    blocks: list[tuple[IntArray, int, list[str], FloatArray]] = []

    def counts(base: FloatArray, rows: IntArray) -> FloatArray:
        """Followers per (row, snapshot, segment): shares with a twist and a monthly drift."""
        twist = base[rows] * rng.lognormal(0.0, 0.15, base[rows].shape)
        steps = rng.normal(0.0, 0.02, (len(rows), len(snaps), base.shape[1]))
        shares = twist[:, None, :] * np.exp(np.cumsum(steps, axis=1))
        shares /= shares.sum(axis=2, keepdims=True)
        return np.asarray(np.round(shares * totals[rows, :, None]))

    # Age x gender is drawn once; the age and gender rows are its margins.
    female = np.array([SECTORS[s].female_share for s in brands.sector[brand]])
    sexes = np.stack([female * 0.97, (1 - female) * 0.97, np.full(len(local), 0.03)], axis=1)
    ages = np.array([_AGE_MIX.get(PLATFORMS[p], _AGE_MIX["facebook"]) for p in platform])
    joint = (ages[:, :, None] * sexes[:, None, :]).reshape(len(local), -1)
    rows = np.flatnonzero(reports[:, :3].any(axis=1))
    if len(rows):
        both = counts(joint, rows)
        split = both.reshape(len(rows), len(snaps), len(AGES), len(GENDERS))
        margins = {
            "age_gender": ([f"{g}.{a}" for a in AGES for g in GENDERS], both),
            "age": (list(AGES), split.sum(axis=3)),
            "gender": (list(GENDERS), split.sum(axis=2)),
        }
        for dimension, (segments, values) in margins.items():
            keep = reports[rows, DIMENSIONS.index(dimension)]
            blocks.append((rows[keep], DIMENSIONS.index(dimension), segments, values[keep]))
    english = brands.language[brand] == 1
    for dimension, (fr_names, fr_shares, en_names, en_shares) in _PLACES.items():
        segments = list(dict.fromkeys(fr_names + en_names))
        french = np.zeros(len(segments))
        french[[segments.index(s) for s in fr_names]] = fr_shares
        other = np.zeros(len(segments))
        other[[segments.index(s) for s in en_names]] = en_shares
        table = np.where(english[:, None], other, french)
        rows = np.flatnonzero(reports[:, DIMENSIONS.index(dimension)])
        blocks.append((rows, DIMENSIONS.index(dimension), segments, counts(table, rows)))
    for dimension, segments, attribute in (
        ("active_hour", [str(h) for h in range(24)], "active_hours"),
        ("active_weekday", list(WEEKDAYS), "active_weekdays"),
    ):
        table = np.array([getattr(PROFILES[p], attribute) for p in platform], dtype=float)
        rows = np.flatnonzero(reports[:, DIMENSIONS.index(dimension)])
        blocks.append((rows, DIMENSIONS.index(dimension), segments, counts(table, rows)))
    return _assemble(blueprint, local, platform, snaps, blocks)


def _assemble(
    blueprint: Blueprint,
    local: IntArray,
    platform: IntArray,
    snaps: IntArray,
    blocks: list[tuple[IntArray, int, list[str], FloatArray]],
) -> pa.Table:
    pool: dict[str, int] = {}
    parts = []
    for who, code, segments, counts in blocks:
        codes = np.array([pool.setdefault(s, len(pool)) for s in segments])
        a, s, g = np.nonzero(counts > 0)  # platforms leave out empty segments
        parts.append((who[a], np.full(len(a), code), snaps[s], codes[g], counts[a, s, g]))
    account, dimension, day, segment, value = (
        np.concatenate([p[i] for p in parts]) for i in range(5)
    )
    order = np.lexsort((segment, dimension, day, account))
    account, dimension, day, segment, value = (
        x[order] for x in (account, dimension, day, segment, value)
    )
    return assemble(
        "audience",
        {
            "account_id": integers(local[account] + 1, pa.int32()),
            "platform": dictionary(platform[account], PLATFORMS),
            "as_of": dates(blueprint.timeline.ordinals(day)),
            "dimension": dictionary(dimension, DIMENSIONS),
            "segment": dictionary(segment, list(pool)),
            "followers": floats(value),
            "followers_origin": origin(np.ones(len(value), dtype=bool)),
        },
    )
