"""The brands of the workspace and their accounts, one per platform they are present on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cadran.sources.demo.columns import dictionary, integers
from cadran.sources.demo.identifiers import camel, slugify, unique
from cadran.sources.demo.platforms import PLATFORMS, PROFILES
from cadran.sources.demo.sampling import mean_one_lognormal
from cadran.sources.demo.spec import WINDOW_DAYS, DemoSpec, FloatArray, IntArray, rng_for
from cadran.sources.demo.tables import assemble
from cadran.sources.demo.vocabulary import BRAND_CORES, BRAND_PREFIXES, SECTORS

# Zones whose workspaces most likely work in French; anything else defaults to English.
_FRENCH_ZONES = (
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Luxembourg",
    "Europe/Monaco",
    "Europe/Zurich",
    "America/Montreal",
    "America/Toronto",
    "Africa/Casablanca",
    "Africa/Algiers",
    "Africa/Tunis",
    "Africa/Dakar",
    "Africa/Abidjan",
    "Indian/Reunion",
    "America/Martinique",
    "America/Guadeloupe",
    "Pacific/Noumea",
    "Pacific/Tahiti",
)
# Chance that a brand of the larger sizes is on each platform (B2B brands favour LinkedIn).
_PRESENCE = (0.92, 0.95, 0.75, 0.6, 0.55, 0.5)
_B2B_PRESENCE = (0.8, 0.5, 0.98, 0.7, 0.2, 0.5)


@dataclass(frozen=True, eq=False)
class Brands:
    """Brands, indexed from 0. ``language`` is 0 for French-first brands, 1 for English-first."""

    names: tuple[str, ...]
    slugs: tuple[str, ...]
    domains: tuple[str, ...]
    sector: IntArray
    language: IntArray
    size: FloatArray
    team: IntArray  # workspace users who follow the brand (recommendations are shown to them)

    @property
    def count(self) -> int:
        """Number of brands."""
        return len(self.names)


@dataclass(frozen=True, eq=False)
class Accounts:
    """Accounts, indexed from 0 (account_id = index + 1), sorted by brand then platform."""

    brand: IntArray
    platform: IntArray
    handles: tuple[str, ...]
    followers_start: FloatArray
    growth_log: FloatArray  # log of the planned follower growth factor over the window
    cadence: FloatArray  # relative posting rate; the blueprint scales it to the size's target
    quality: FloatArray  # how engaging the brand's content is on this account (mean 1)
    index_of: IntArray  # (brands, platforms) -> account index, -1 when absent

    @property
    def count(self) -> int:
        """Number of accounts."""
        return len(self.brand)

    def planned_followers(self, account: IntArray, day: IntArray) -> FloatArray:
        """Followers each account is expected to have on each day (before daily noise)."""
        growth = np.exp(self.growth_log[account] * day / WINDOW_DAYS)
        return np.asarray(self.followers_start[account] * growth, dtype=np.float64)


def plan_brands(spec: DemoSpec) -> Brands:
    """Brands of ``spec``: names, sector, language, size and team."""
    rng = rng_for(spec, "brands")
    count = spec.profile.brands
    home = 0 if spec.timezone in _FRENCH_ZONES else 1
    combos = [f"{prefix} {core}" for prefix in BRAND_PREFIXES for core in BRAND_CORES]
    order = rng.permutation(len(combos))
    names = unique([combos[order[i % len(combos)]] for i in range(count)])
    slugs = unique(slugify(name) for name in names)
    if count == 1:
        size = np.ones(1)
        language = np.array([home])
    else:
        # Heavy-tailed brand sizes of mean 1: a few big brands, many small ones.
        size = np.clip(mean_one_lognormal(rng, 0.9, count), 0.08, 12.0)
        language = np.where(rng.random(count) < 0.65, home, 1 - home)
    sector = rng.integers(0, len(SECTORS), count)
    tld = np.where(language == 0, ".fr", ".com")
    team = 3 + rng.poisson(4 * size**0.3) if count > 1 else np.array([6])
    return Brands(
        names=tuple(names),
        slugs=tuple(slugs),
        domains=tuple(f"www.{slug}{suffix}" for slug, suffix in zip(slugs, tld, strict=True)),
        sector=sector.astype(np.int64),
        language=language.astype(np.int64),
        size=size.astype(np.float64),
        team=np.asarray(team, dtype=np.int64),
    )


def plan_accounts(spec: DemoSpec, brands: Brands) -> Accounts:
    """The accounts of ``brands``: every platform for a lone brand, a plausible subset otherwise."""
    rng = rng_for(spec, "accounts")
    b2b = np.array([SECTORS[s].subscription for s in brands.sector])
    chance = np.where(b2b[:, None], _B2B_PRESENCE, _PRESENCE)
    present = rng.random((brands.count, len(PLATFORMS))) < chance
    if brands.count == 1:
        present[:] = True
    # Every brand is at least on Facebook and Instagram, the two platforms nearly all brands use.
    present[present.sum(axis=1) < 2, :2] = True
    brand, platform = np.nonzero(present)
    count = len(brand)
    base = np.array([p.followers for p in PROFILES])[platform]
    growth = np.array([p.growth for p in PROFILES])[platform]
    cadence = np.array([p.posts_per_day for p in PROFILES])[platform]
    spread = 0.25 if brands.count == 1 else 0.45
    followers = base * brands.size[brand] * mean_one_lognormal(rng, spread, count)
    index_of = np.full((brands.count, len(PLATFORMS)), -1, dtype=np.int64)
    index_of[brand, platform] = np.arange(count)
    return Accounts(
        brand=brand.astype(np.int64),
        platform=platform.astype(np.int64),
        handles=_handles(brands, brand, platform),
        followers_start=np.round(followers),
        growth_log=np.log1p(growth * mean_one_lognormal(rng, 0.5, count)),
        cadence=cadence * brands.size[brand] ** 0.3 * mean_one_lognormal(rng, 0.3, count),
        quality=mean_one_lognormal(rng, 0.25, count),
        index_of=index_of,
    )


def _handles(brands: Brands, brand: IntArray, platform: IntArray) -> tuple[str, ...]:
    """Platform-styled handles, unique per platform (X handles are at most 15 characters)."""
    handles = [""] * len(brand)
    for code, name in enumerate(PLATFORMS):
        rows = np.flatnonzero(platform == code)
        names = [brands.names[b] for b in brand[rows]]
        if name == "linkedin":
            styled = unique(slugify(n, "-") for n in names)
        elif name == "x":
            styled = unique((camel(n) for n in names), limit=15)
        elif name == "youtube":
            styled = unique(camel(n) for n in names)
        else:
            styled = unique(brands.slugs[b] for b in brand[rows])
        for row, handle in zip(rows, styled, strict=True):
            handles[row] = handle
    return tuple(handles)


def account_table(brands: Brands, accounts: Accounts) -> pa.Table:
    """The ``account`` table."""
    names = [brands.names[b] for b in accounts.brand]
    return assemble(
        "account",
        {
            "account_id": integers(np.arange(1, accounts.count + 1), pa.int32()),
            "platform": dictionary(accounts.platform, PLATFORMS),
            "handle": pa.array(list(accounts.handles), type=pa.string()),
            "name": pa.array(names, type=pa.string()),
        },
    )
