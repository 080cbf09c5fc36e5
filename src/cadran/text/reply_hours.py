"""Business hours of many replies at once: :func:`cadran.core.business_hours.business_seconds`
and :func:`~cadran.core.business_hours.is_open` over numpy arrays, with the same results.

A workspace holds millions of messages; measuring them one ``datetime`` at a time takes minutes.
Here every instant is an integer of UTC microseconds. Between two changes of the UTC offset,
local time is UTC shifted by a constant, and the open time between two local times is the
difference of a cumulative count: whole weeks, the days of the current week, the open part of
the current day, less the holidays before. A span that contains a change of offset (a few in a
hundred, around the clock changes) is measured by the core function itself, so that the two
agree exactly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from cadran.core.business_hours import (
    Schedule,
    business_seconds,
    offset_changes,
    utc_offset,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_DAY_US = 86_400_000_000
_MINUTE_US = 60_000_000
_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()
_MONDAY_SHIFT = 3  # 1970-01-01 was a Thursday: day + 3 counts from Monday 1969-12-29


_EPOCH = datetime(1970, 1, 1)


def _naive_utc(us: int | np.int64) -> datetime:
    return _EPOCH + timedelta(microseconds=int(us))


def _us(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class _Calendar:
    """A schedule laid out as arrays: openings per weekday, holidays, cumulative open time."""

    def __init__(self, schedule: Schedule) -> None:
        width = max(1, max(len(day) for day in schedule.hours))
        self.starts = np.zeros((7, width), dtype=np.int64)
        self.lengths = np.zeros((7, width), dtype=np.int64)  # 0 pads the shorter days
        for weekday, day in enumerate(schedule.hours):
            for k, opening in enumerate(day):
                self.starts[weekday, k] = opening.start * _MINUTE_US
                self.lengths[weekday, k] = (opening.end - opening.start) * _MINUTE_US
        day_us = self.lengths.sum(axis=1)
        self.week_us = int(day_us.sum())
        self.before_weekday = np.concatenate([[0], np.cumsum(day_us)[:-1]]).astype(np.int64)
        holidays = sorted(d.toordinal() - _EPOCH_ORDINAL for d in schedule.holidays)
        self.holidays = np.array(holidays, dtype=np.int64)
        lost = [int(day_us[(h + _MONDAY_SHIFT) % 7]) for h in holidays]
        self.lost_before = np.concatenate([[0], np.cumsum(lost)]).astype(np.int64)

    def _split(self, local: IntArray) -> tuple[IntArray, IntArray, IntArray]:
        day = local // _DAY_US
        return day, (day + _MONDAY_SHIFT) % 7, local - day * _DAY_US

    def _open_today(self, weekday: IntArray, time: IntArray) -> IntArray:
        inside = np.clip(time[:, None] - self.starts[weekday], 0, self.lengths[weekday])
        return np.asarray(inside.sum(axis=1), dtype=np.int64)

    def _holiday(self, day: IntArray) -> tuple[IntArray, BoolArray]:
        """Per day: how many holidays come before it, and whether it is one."""
        before = np.searchsorted(self.holidays, day, side="left")
        found = before < len(self.holidays)
        found[found] = self.holidays[before[found]] == day[found]
        return before, found

    def cumulative(self, local: IntArray) -> IntArray:
        """Open microseconds from a Monday long ago up to each local wall-clock time."""
        day, weekday, time = self._split(local)
        monday_days = day + _MONDAY_SHIFT
        today = self._open_today(weekday, time)
        before, holiday = self._holiday(day)
        total = (monday_days // 7) * self.week_us + self.before_weekday[weekday] + today
        return total - self.lost_before[before] - np.where(holiday, today, 0)

    def open_at(self, local: IntArray) -> BoolArray:
        """Whether each local wall-clock time falls in an opening of a working day."""
        day, weekday, time = self._split(local)
        offset = time[:, None] - self.starts[weekday]
        inside = ((offset >= 0) & (offset < self.lengths[weekday])).any(axis=1)
        return inside & ~self._holiday(day)[1]


class _Offsets:
    """The time zone's UTC offset at any instant of a range, from its list of changes."""

    def __init__(self, timezone: str, first_us: int, last_us: int) -> None:
        start = _naive_utc(first_us) - timedelta(days=1)
        changes = offset_changes(timezone, start, _naive_utc(last_us) + timedelta(days=1))
        self.at = np.array([_us(w - _EPOCH) for w, _ in changes], dtype=np.int64)
        offsets = [utc_offset(timezone, start)] + [after for _, after in changes]
        self.offsets = np.array([_us(o) for o in offsets], dtype=np.int64)

    def of(self, utc_us: IntArray) -> IntArray:
        return self.offsets[np.searchsorted(self.at, utc_us, side="right")]

    def changes_inside(self, start_us: IntArray, end_us: IntArray) -> BoolArray:
        """Whether a change of offset lies strictly between each start and end."""
        after_start = np.searchsorted(self.at, start_us, side="right")
        before_end = np.searchsorted(self.at, end_us, side="left")
        return before_end > after_start


def reply_business_hours(
    start_us: IntArray, end_us: IntArray, schedule: Schedule
) -> tuple[FloatArray, BoolArray]:
    """For spans given as UTC epoch microseconds (``end >= start``, element-wise): the open
    hours between each start and end, and whether each end falls in opening hours.

    The hours equal ``business_seconds(start, end, schedule) / 3600`` and the flags
    ``is_open(end, schedule)``, value for value.
    """
    start_us = np.asarray(start_us, dtype=np.int64)
    end_us = np.asarray(end_us, dtype=np.int64)
    if start_us.shape != end_us.shape:
        raise ValueError(f"{start_us.shape[0]} starts but {end_us.shape[0]} ends")
    if np.any(end_us < start_us):
        raise ValueError("every end must come at or after its start")
    if len(start_us) == 0:
        return np.zeros(0), np.zeros(0, dtype=bool)
    calendar = _Calendar(schedule)
    offsets = _Offsets(schedule.timezone, int(start_us.min()), int(end_us.max()))
    shift = offsets.of(start_us)
    open_us = calendar.cumulative(end_us + shift) - calendar.cumulative(start_us + shift)
    # Same arithmetic as the core: whole microseconds, to seconds, to hours.
    hours = (open_us / 1_000_000) / 3600
    for i in np.flatnonzero(offsets.changes_inside(start_us, end_us)):
        start, end = (_naive_utc(t).replace(tzinfo=UTC) for t in (start_us[i], end_us[i]))
        hours[i] = business_seconds(start, end, schedule) / 3600
    return hours, calendar.open_at(end_us + offsets.of(end_us))
