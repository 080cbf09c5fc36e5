"""Business hours of many replies at once give what the core gives one reply at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadran.core.business_hours import Opening, Schedule, business_seconds, is_open
from cadran.text.reply_hours import reply_business_hours

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Zones with clock changes in spring and autumn, half-hour changes, south and north, none.
ZONES = ("Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC")


def _us(t: datetime) -> int:
    delta = t - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _reference(spans: list[tuple[datetime, datetime]], schedule: Schedule):
    hours = [business_seconds(s, e, schedule) / 3600 for s, e in spans]
    return np.array(hours), np.array([is_open(e, schedule) for _, e in spans], dtype=bool)


def _vector(spans: list[tuple[datetime, datetime]], schedule: Schedule):
    starts = np.array([_us(s) for s, _ in spans], dtype=np.int64)
    ends = np.array([_us(e) for _, e in spans], dtype=np.int64)
    return reply_business_hours(starts, ends, schedule)


instants = st.datetimes(datetime(2024, 1, 1), datetime(2026, 12, 31)).map(
    lambda t: t.replace(tzinfo=UTC)
)
lengths = st.one_of(
    st.timedeltas(timedelta(0), timedelta(hours=6)),
    st.timedeltas(timedelta(0), timedelta(days=20)),
    st.timedeltas(timedelta(0), timedelta(days=800)),
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Schedule, list[tuple[datetime, datetime]]]:
    """A random schedule and spans; some holidays fall on the spans' own days."""
    days = []
    for _ in range(7):
        cuts = sorted(draw(st.sets(st.integers(0, 1440), max_size=4)))
        pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
        days.append(tuple(Opening(a, b) for a, b in pairs))
    spans = [(s, s + n) for s, n in draw(st.lists(st.tuples(instants, lengths), max_size=40))]
    zone = draw(st.sampled_from(ZONES))
    ends = [t.date() for span in spans for t in span]
    near = draw(st.lists(st.sampled_from(ends), max_size=10)) if ends else []
    others = draw(st.sets(st.dates(date(2023, 1, 1), date(2027, 12, 31)), max_size=20))
    return Schedule(zone, tuple(days), frozenset(near) | others), spans


@settings(max_examples=200, deadline=None)
@given(cases())
def test_the_same_hours_and_open_flags_as_one_at_a_time(
    case: tuple[Schedule, list[tuple[datetime, datetime]]],
) -> None:
    schedule, spans = case
    hours, open_ = _vector(spans, schedule)
    expected_hours, expected_open = _reference(spans, schedule)
    assert hours.tolist() == expected_hours.tolist()  # exactly: same arithmetic
    assert open_.tolist() == expected_open.tolist()


def test_nights_weekends_holidays_and_clock_changes() -> None:
    # Paris, Monday to Friday 09:00-17:00, Easter Monday 2026 off; clocks change 29 March.
    nine_to_five = (Opening(540, 1020),)
    schedule = Schedule("Europe/Paris", (nine_to_five,) * 5 + ((), ()), {date(2026, 4, 6)})
    paris = timedelta(hours=1)  # winter time
    spans = [
        # Friday 16:00 -> Monday 10:00 local (winter): 1 h Friday + 1 h Monday.
        (datetime(2026, 3, 6, 15, tzinfo=UTC), datetime(2026, 3, 9, 9, tzinfo=UTC)),
        # Friday 16:00 (winter) -> Monday 10:00 (summer): crosses the change, 2 h.
        (datetime(2026, 3, 27, 16, tzinfo=UTC) - paris, datetime(2026, 3, 30, 8, tzinfo=UTC)),
        # Friday 3 April 16:00 -> Tuesday 10:00 (summer), Easter Monday off: 2 h.
        (datetime(2026, 4, 3, 14, tzinfo=UTC), datetime(2026, 4, 7, 8, tzinfo=UTC)),
        # Saturday noon -> Sunday noon: closed.
        (datetime(2026, 3, 7, 11, tzinfo=UTC), datetime(2026, 3, 8, 11, tzinfo=UTC)),
        # Easter Monday 10:00 -> Tuesday 10:00: only Tuesday's first hour.
        (datetime(2026, 4, 6, 8, tzinfo=UTC), datetime(2026, 4, 7, 8, tzinfo=UTC)),
    ]
    hours, open_ = _vector(spans, schedule)
    assert hours.tolist() == [2.0, 2.0, 2.0, 0.0, 1.0]
    assert open_.tolist() == [True, True, True, False, True]
    assert hours.tolist() == _reference(spans, schedule)[0].tolist()


def test_no_spans_and_bad_spans() -> None:
    empty = np.zeros(0, dtype=np.int64)
    hours, open_ = reply_business_hours(empty, empty, Schedule())
    assert hours.shape == open_.shape == (0,)
    with pytest.raises(ValueError, match="at or after its start"):
        reply_business_hours(np.array([10]), np.array([5]), Schedule())
    with pytest.raises(ValueError, match="2 starts but 1 ends"):
        reply_business_hours(np.array([1, 2]), np.array([3]), Schedule())
