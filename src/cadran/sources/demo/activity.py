"""What a group's posts did, day by day per account: the link between posts and daily tables.

Posts keep working for a few days after they are published, so each post's reach, follows and
clicks are spread over the following days before they feed account_daily, web traffic, private
messages and mentions. These totals stay hidden: platforms that do not report a metric still
produce its effects (an X post brings visits even though X reports no reach).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from cadran.sources.demo.spec import WINDOW_DAYS, AnyArray, FloatArray, IntArray

# How a post's effect is spread over the day it is published and the following days.
KERNELS: dict[str, tuple[float, ...]] = {
    "impressions": (0.55, 0.28, 0.1, 0.05, 0.02),
    "reach": (0.55, 0.28, 0.1, 0.05, 0.02),
    "follows": (0.6, 0.25, 0.1, 0.05),
    "profile_visits": (0.6, 0.25, 0.1, 0.05),
    "link_clicks": (0.7, 0.2, 0.07, 0.03),
    "buzz": (0.35, 0.3, 0.2, 0.15),  # excess virality: drives mentions and private messages
}


@dataclass(eq=False)
class Activity:
    """Per (account of the group, day) totals of the group's posts, spread over days."""

    first_account: int
    accounts: int
    totals: dict[str, FloatArray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in KERNELS:
            self.totals[name] = np.zeros((self.accounts, WINDOW_DAYS))

    def record(self, account: IntArray, day: IntArray, values: Mapping[str, AnyArray]) -> None:
        """Add posts (absolute account index, day index) and their values, spread over days."""
        local = account - self.first_account
        size = self.accounts * WINDOW_DAYS
        for name, kernel in KERNELS.items():
            target = self.totals[name].reshape(-1)
            for lag, weight in enumerate(kernel):
                later = day + lag
                keep = later < WINDOW_DAYS
                cells = local[keep] * WINDOW_DAYS + later[keep]
                target += weight * np.bincount(cells, values[name][keep], minlength=size)

    def window(self, name: str, days: slice) -> FloatArray:
        """Totals of ``name`` for every account of the group on ``days``."""
        return self.totals[name][:, days]
