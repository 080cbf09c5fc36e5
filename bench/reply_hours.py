"""Speed of first-reply times in business hours: the numpy measure against the core, same run.

    .venv/bin/python bench/reply_hours.py [N]

N spans (default 200,000), seed 42: messages over 2025-2026, replies from a minute to three
weeks later, under a Paris schedule (Monday to Friday 09:00-12:30 and 13:30-18:00, French
public holidays), so that spans cross nights, weekends, holidays and clock changes. Times
``cadran.text.reply_hours.reply_business_hours`` against the reference, the core's
``business_seconds`` and ``is_open`` called once per span (what `cadran text analyze` did
before), and checks that both give the same values.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, date, datetime, timedelta

import numpy as np

from cadran.core.business_hours import Opening, Schedule, business_seconds, is_open
from cadran.text.reply_hours import reply_business_hours

HOLIDAYS = [
    date(2025, 1, 1), date(2025, 4, 21), date(2025, 5, 1), date(2025, 5, 8), date(2025, 5, 29),
    date(2025, 6, 9), date(2025, 7, 14), date(2025, 8, 15), date(2025, 11, 1), date(2025, 11, 11),
    date(2025, 12, 25), date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8),
    date(2026, 5, 14), date(2026, 5, 25), date(2026, 7, 14), date(2026, 8, 15), date(2026, 11, 1),
    date(2026, 11, 11), date(2026, 12, 25),
]  # fmt: skip
DAY = (Opening(9 * 60, 12 * 60 + 30), Opening(13 * 60 + 30, 18 * 60))
SCHEDULE = Schedule("Europe/Paris", (DAY,) * 5 + ((), ()), frozenset(HOLIDAYS))
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def spans(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(42)
    first = int((datetime(2025, 1, 1, tzinfo=UTC) - EPOCH).total_seconds())
    created = rng.integers(first, first + 730 * 86_400, n) * 1_000_000
    wait = np.exp(rng.uniform(np.log(60), np.log(21 * 86_400), n)).astype(np.int64)
    return created, created + wait * 1_000_000


def reference(created: np.ndarray, replied: np.ndarray) -> tuple[list[float], list[bool]]:
    hours, inside = [], []
    for a, b in zip(created.tolist(), replied.tolist(), strict=True):
        start = EPOCH + timedelta(microseconds=a)
        end = EPOCH + timedelta(microseconds=b)
        hours.append(business_seconds(start, end, SCHEDULE) / 3600)
        inside.append(is_open(end, SCHEDULE))
    return hours, inside


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    created, replied = spans(n)
    start = time.perf_counter()
    hours, inside = reply_business_hours(created, replied, SCHEDULE)
    fast = time.perf_counter() - start
    start = time.perf_counter()
    ref_hours, ref_inside = reference(created, replied)
    slow = time.perf_counter() - start
    same = hours.tolist() == ref_hours and inside.tolist() == ref_inside
    print(f"{n:,d} spans under {SCHEDULE.timezone}, {len(HOLIDAYS)} holidays")
    print(f"  numpy (reply_business_hours)  {fast:8.3f} s  {n / fast:12,.0f} spans/s")
    print(f"  core, one span at a time      {slow:8.3f} s  {n / slow:12,.0f} spans/s")
    print(f"ratio core / numpy: {slow / fast:.1f}; same values: {'yes' if same else 'NO'}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
