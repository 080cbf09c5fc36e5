"""What a demo is asked to be (``DemoSpec``), what it yields (``Chunk``), and its seeds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from cadran.core.errors import UsageError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
AnyArray = npt.NDArray[Any]

WINDOW_DAYS = 730
"""Every demo covers the 730 local days ending on ``DemoSpec.end``."""

MAX_CHUNK_ROWS = 1_000_000
"""Chunks are sliced to at most this many rows, well under the 2M-row promise."""


@dataclass(frozen=True)
class SizeProfile:
    """How big a demo size is: number of brands and how many brands share a chunk."""

    brands: int
    brands_per_group: int
    posts_per_brand: int = 10_000


SIZES: dict[str, SizeProfile] = {
    "S": SizeProfile(brands=1, brands_per_group=1),
    "M": SizeProfile(brands=100, brands_per_group=100),
    "L": SizeProfile(brands=1_000, brands_per_group=100),
}


@dataclass(frozen=True)
class DemoSpec:
    """The demo workspace to generate.

    ``size`` is "S" (one brand, ~10k posts), "M" (~100 brands, ~1M posts) or "L" (~1,000
    brands, ~10M posts). Data covers the 730 local days ending on ``end`` (included), in the
    IANA ``timezone`` of the workspace. The same spec always yields the same tables.
    """

    size: str
    seed: int
    end: datetime.date
    timezone: str
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise UsageError(f"demo size must be one of S, M, L, not {self.size!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise UsageError(f"demo seed must be a non-negative integer, not {self.seed!r}")
        # A datetime is a date too, but its time would silently be ignored: refuse it.
        if isinstance(self.end, datetime.datetime) or not isinstance(self.end, datetime.date):
            raise UsageError(f"demo end must be a date, not {self.end!r}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
            raise UsageError(f"unknown time zone {self.timezone!r}") from error
        code = self.currency
        if not (isinstance(code, str) and len(code) == 3 and code.isascii() and code.isupper()):
            raise UsageError(f"currency must be a 3-letter ISO code such as EUR, not {code!r}")

    @property
    def profile(self) -> SizeProfile:
        """The size profile of ``size``."""
        return SIZES[self.size]

    @property
    def start(self) -> datetime.date:
        """First day with data."""
        return self.end - datetime.timedelta(days=WINDOW_DAYS - 1)


@dataclass(frozen=True)
class Chunk:
    """A slice of one table of the canonical schema, ready to be written by the store.

    ``data`` has the table's columns in schema order, without ``local_date``, ``batch_id`` and
    ``metrics_batch_id``, which the store fills.
    """

    table: str
    data: pa.Table


# Each generator draws from its own stream, keyed by (stream, group, month), so that a chunk is
# the same whatever was generated before it. The numbers are part of the format: never reuse one.
STREAMS: dict[str, int] = {
    "brands": 1,
    "accounts": 2,
    "campaigns": 3,
    "posts": 4,
    "captions": 5,
    "messages": 6,
    "private_messages": 7,
    "mentions": 8,
    "traffic": 9,
    "leads": 10,
    "customers": 11,
    "followers": 12,
    "audience": 13,
    "web_traffic": 14,
    "costs": 15,
    "recommendations": 16,
    "pools": 17,
    "touchpoints": 18,
}


def rng_for(spec: DemoSpec, stream: str, *keys: int) -> np.random.Generator:
    """The random generator of one stream and key (e.g. group and month) of ``spec``."""
    sequence = np.random.SeedSequence(entropy=spec.seed, spawn_key=(STREAMS[stream], *keys))
    return np.random.Generator(np.random.PCG64(sequence))
