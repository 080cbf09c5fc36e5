"""Open time between two instants under a weekly schedule: first-reply time in business hours.

A team's opening hours are a :class:`Schedule`: local wall-clock intervals per weekday in one
IANA time zone, and holidays closed all day. An instant is open when its local time falls in an
opening of its local date (:func:`is_open`); :func:`business_seconds` is the real elapsed time
of the open instants between two instants. So 09:00-17:00 lasts 8 hours on the days the clocks
change; an opening across the change is an hour shorter in spring and longer in autumn.

Between two changes of the UTC offset, local time is UTC shifted by a constant: the span is cut
at those changes and each piece is measured on the local calendar, whole weeks at once from the
weekly open total less the holidays inside. A span of years costs a few steps per year.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from cadran.core.issues import IssueSet
from cadran.core.spec import suggest

__all__ = [
    "DAY_KEYS",
    "DEFAULT_HOURS",
    "DEFAULT_SCHEDULE",
    "Opening",
    "Schedule",
    "business_seconds",
    "is_open",
    "offset_changes",
    "parse_schedule",
    "utc_offset",
]

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The keys of ``[care] hours``, Monday first (the index is :meth:`datetime.weekday`)."""

_DAY_MINUTES = 24 * 60
_DAY_US = 86_400_000_000
_US_PER_MINUTE = 60_000_000


class Opening(NamedTuple):
    """Open from ``start`` to ``end``, in minutes after local midnight (0 ≤ start < end ≤ 1440).

    ``end`` may be 1440 (24:00): open until midnight.
    """

    start: int
    end: int

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


_NINE_TO_FIVE = (Opening(9 * 60, 17 * 60),)
DEFAULT_HOURS: tuple[tuple[Opening, ...], ...] = (_NINE_TO_FIVE,) * 5 + ((), ())
"""Monday to Friday, 09:00-17:00; closed at the weekend."""


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as "Europe"
        return None


@dataclass(frozen=True)
class _Plan:
    """A schedule prepared for measuring: open microseconds per weekday and per holiday."""

    zone: ZoneInfo
    openings_us: tuple[tuple[tuple[int, int], ...], ...]
    day_us: tuple[int, ...]
    week_us: int
    holiday_ordinals: tuple[int, ...]
    holiday_prefix: tuple[int, ...]  # holiday_prefix[k]: open time lost to the first k holidays
    holiday_set: frozenset[int]


@dataclass(frozen=True)
class Schedule:
    """A team's opening hours: weekly local intervals, holidays and the time zone they are in.

    ``hours`` has one entry per weekday, Monday (0) to Sunday (6), each a sequence of openings
    (several per day for a lunch break; none for a closed day). Openings may be given as
    ``(start, end)`` pairs of minutes after midnight; they are kept sorted, and may touch but
    not overlap. ``holidays`` are local dates closed all day.

    The default, Monday to Friday 09:00-17:00 in UTC without holidays, is a placeholder: a
    workspace should set its own in the ``[care]`` table of ``cadran.toml``
    (:func:`parse_schedule`). Invalid values raise ``ValueError``.
    """

    timezone: str = "UTC"
    hours: tuple[tuple[Opening, ...], ...] = DEFAULT_HOURS
    holidays: frozenset[date] = frozenset()
    _plan: _Plan = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        zone = _zone(self.timezone)
        if zone is None:
            raise ValueError(f"unknown time zone {self.timezone!r}: expected an IANA name")
        if len(self.hours) != 7:
            raise ValueError(f"hours must have 7 days, Monday to Sunday, not {len(self.hours)}")
        days = tuple(_checked_day(DAY_KEYS[i], day) for i, day in enumerate(self.hours))
        if not all(type(d) is date for d in self.holidays):
            raise ValueError("holidays must be dates (datetime.date, not datetime)")
        object.__setattr__(self, "hours", days)
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "_plan", _prepare(zone, days, self.holidays))

    @property
    def weekly_seconds(self) -> int:
        """Open seconds in a week without holidays or clock changes."""
        return self._plan.week_us // 1_000_000


def _checked_day(key: str, day: Iterable[tuple[int, int]]) -> tuple[Opening, ...]:
    openings = sorted(Opening(int(s), int(e)) for s, e in day)
    for o in openings:
        if not 0 <= o.start < o.end <= _DAY_MINUTES:
            raise ValueError(
                f"{key}: opening {o.start}-{o.end} is not within 0 ≤ start < end ≤ 1440"
            )
    for before, after in pairwise(openings):
        if after.start < before.end:
            raise ValueError(f"{key}: openings {before} and {after} overlap")
    return tuple(openings)


def _prepare(
    zone: ZoneInfo, days: Sequence[tuple[Opening, ...]], holidays: Iterable[date]
) -> _Plan:
    openings = tuple(
        tuple((o.start * _US_PER_MINUTE, o.end * _US_PER_MINUTE) for o in day) for day in days
    )
    day_us = tuple(sum(e - s for s, e in day) for day in openings)
    ordinals = tuple(sorted(d.toordinal() for d in holidays))
    prefix = [0]
    for o in ordinals:
        prefix.append(prefix[-1] + day_us[_weekday(o)])
    return _Plan(zone, openings, day_us, sum(day_us), ordinals, tuple(prefix), frozenset(ordinals))


DEFAULT_SCHEDULE = Schedule()
"""Monday to Friday 09:00-17:00 UTC, no holidays: replace it with the workspace's own."""


# -- measuring ----------------------------------------------------------------------------------
def business_seconds(
    start: datetime, end: datetime, schedule: Schedule = DEFAULT_SCHEDULE
) -> float:
    """Seconds of open time between ``start`` and ``end`` (aware datetimes, any time zones).

    Counts the instants from ``start`` (included) to ``end`` (excluded) that :func:`is_open`,
    in real elapsed seconds. Naive datetimes and an ``end`` before ``start`` are a ValueError.
    """
    s = _utc("start", start)
    e = _utc("end", end)
    if e < s:
        raise ValueError(f"end ({end.isoformat()}) is before start ({start.isoformat()})")
    plan = schedule._plan
    total = 0
    try:
        offset = _offset_at(plan.zone, s)
        cursor = s
        for when, after in _transitions(schedule.timezone, s, e):
            total += _open_us(plan, cursor + offset, when + offset)
            cursor, offset = when, after
        total += _open_us(plan, cursor + offset, e + offset)
    except OverflowError:
        raise ValueError("the span reaches beyond the dates the calendar can represent") from None
    return total / 1_000_000


def is_open(instant: datetime, schedule: Schedule = DEFAULT_SCHEDULE) -> bool:
    """Whether the team is open at ``instant`` (aware): a business-hours or an off-hours reply."""
    plan = schedule._plan
    wall = _utc("instant", instant).replace(tzinfo=UTC).astimezone(plan.zone).replace(tzinfo=None)
    day = wall.date().toordinal()
    if day in plan.holiday_set:
        return False
    at = _us_of_day(wall)
    return any(s <= at < e for s, e in plan.openings_us[_weekday(day)])


def _utc(name: str, value: datetime) -> datetime:
    """``value`` as a naive UTC datetime; a naive ``value`` is a ValueError."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} ({value.isoformat()}) is a naive datetime: give its time zone, such as "
            "datetime(..., tzinfo=ZoneInfo('Europe/Paris')) or a UTC timestamp"
        )
    return value.astimezone(UTC).replace(tzinfo=None)


def _open_us(plan: _Plan, a: datetime, b: datetime) -> int:
    """Open microseconds between the local wall-clock times ``a`` and ``b`` (no clock change)."""
    if b <= a:
        return 0
    first, last = a.date().toordinal(), b.date().toordinal()
    if first == last:
        return _day_part(plan, first, _us_of_day(a), _us_of_day(b))
    return (
        _day_part(plan, first, _us_of_day(a), _DAY_US)
        + _whole_days(plan, first + 1, last)
        + _day_part(plan, last, 0, _us_of_day(b))
    )


def _day_part(plan: _Plan, day: int, lo: int, hi: int) -> int:
    """Open microseconds of one local day (an ordinal) between two times of that day."""
    if day in plan.holiday_set:
        return 0
    return sum(max(0, min(e, hi) - max(s, lo)) for s, e in plan.openings_us[_weekday(day)])


def _whole_days(plan: _Plan, first: int, stop: int) -> int:
    """Open microseconds of the local days ``first`` to ``stop`` (ordinals, ``stop`` excluded)."""
    if stop <= first:
        return 0
    weeks, rest = divmod(stop - first, 7)
    total = weeks * plan.week_us
    weekday = _weekday(first)
    total += sum(plan.day_us[(weekday + i) % 7] for i in range(rest))
    lo = bisect_left(plan.holiday_ordinals, first)
    hi = bisect_left(plan.holiday_ordinals, stop)
    return total - (plan.holiday_prefix[hi] - plan.holiday_prefix[lo])


def _weekday(ordinal: int) -> int:
    return (ordinal - 1) % 7  # day 1 (0001-01-01) was a Monday


def _us_of_day(t: datetime) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


# -- clock changes ------------------------------------------------------------------------------
def utc_offset(timezone: str, utc: datetime) -> timedelta:
    """The UTC offset of ``timezone`` (an IANA name) at ``utc``, a naive UTC datetime."""
    return _offset_at(ZoneInfo(timezone), utc)


def offset_changes(
    timezone: str, start: datetime, end: datetime
) -> list[tuple[datetime, timedelta]]:
    """The changes of ``timezone``'s UTC offset strictly between the naive UTC instants
    ``start`` and ``end``: (first UTC instant of the new offset, the new offset), in order.
    They are the ones :func:`business_seconds` cuts a span at."""
    return _transitions(timezone, start, end)


def _offset_at(zone: ZoneInfo, utc: datetime) -> timedelta:
    """The zone's UTC offset at a naive UTC instant."""
    offset = zone.fromutc(utc.replace(tzinfo=zone)).utcoffset()
    return offset if offset is not None else timedelta(0)


def _transitions(key: str, s: datetime, e: datetime) -> list[tuple[datetime, timedelta]]:
    """The changes of UTC offset strictly between the naive UTC instants ``s`` and ``e``."""
    return [
        (when, after)
        for year in range(s.year, e.year + 1)
        for when, after in _year_transitions(key, year)
        if s < when < e
    ]


_LAST = datetime(9999, 12, 31, 23, 59, 59)
_DAY = timedelta(days=1)


@lru_cache(maxsize=4096)
def _year_transitions(key: str, year: int) -> tuple[tuple[datetime, timedelta], ...]:
    """The offset changes of zone ``key`` after 1 January ``year`` 00:00 UTC, up to a year later.

    Each is the first UTC second of the new offset, found by sampling the offset daily and
    halving the day where it changed. Two changes within one day that cancel each other out
    would not be seen; time zones do not change that fast.
    """
    zone = ZoneInfo(key)
    stop = datetime(year + 1, 1, 1) if year < 9999 else _LAST
    found: list[tuple[datetime, timedelta]] = []
    t = datetime(year, 1, 1)
    offset = _offset_at(zone, t)
    while t < stop:
        step = min(_DAY, stop - t)
        if _offset_at(zone, t + step) == offset:
            t += step
            continue
        lo, hi = 0, int(step.total_seconds())  # the offset is unchanged at lo, changed at hi
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _offset_at(zone, t + timedelta(seconds=mid)) == offset:
                lo = mid
            else:
                hi = mid
        t += timedelta(seconds=hi)
        offset = _offset_at(zone, t)
        found.append((t, offset))
    return tuple(found)


# -- reading [care] -----------------------------------------------------------------------------
_CARE_KEYS = ("timezone", "hours", "holidays")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_FORMAT = 'expected intervals such as "09:00-12:30, 13:30-18:00", or "closed"'


def parse_schedule(
    data: Mapping[str, object], file: str, *, default_timezone: str = "UTC"
) -> tuple[Schedule | None, IssueSet]:
    """The schedule written in the ``[care]`` table of ``cadran.toml`` (``data``), and its issues.

    ``timezone`` is an IANA name (``default_timezone`` when left out: pass the workspace's).
    ``hours`` maps ``mon`` ... ``sun`` to ``"09:00-18:00"``, ``"09:00-12:30, 13:30-18:00"``
    (or a list of such intervals) or ``"closed"``; an interval may end at ``24:00``. Days left
    out of ``hours`` are closed; without ``hours`` at all, the default Monday to Friday
    09:00-17:00 applies. ``holidays`` lists dates (``"2026-12-25"`` or TOML dates) closed all
    day. Every problem is reported, each naming its field; the schedule is None if any is an
    error.
    """
    r = _CareReader(file)
    if not isinstance(data, Mapping):
        r.error(f"[care] must be a table, not {type(data).__name__}", "care")
        return None, r.issues
    for key in data:
        if key not in _CARE_KEYS:
            hint = suggest(str(key), _CARE_KEYS)
            r.error(f"unknown key {key!r}: expected {', '.join(_CARE_KEYS)}", f"care.{key}", hint)
    timezone = r.timezone(data.get("timezone", default_timezone))
    hours = r.hours(data["hours"]) if "hours" in data else DEFAULT_HOURS
    holidays = r.holidays(data.get("holidays", []))
    if r.issues.errors or timezone is None or hours is None:
        return None, r.issues
    return Schedule(timezone, hours, holidays), r.issues


class _CareReader:
    """Reads the fields of ``[care]``, recording every problem (None marks a bad value)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues = IssueSet()

    def error(self, message: str, where: str, hint: str | None = None) -> None:
        self.issues.error(message, file=self.file, field=where, hint=hint)

    def timezone(self, value: object) -> str | None:
        example = "expected an IANA time zone name such as 'Europe/Paris'"
        if not isinstance(value, str) or not value.strip():
            self.error(f"{example}, not {value!r}", "care.timezone")
            return None
        name = value.strip()
        if _zone(name) is not None:
            return name
        known = available_timezones()
        # A different case or only the city ("paris", "New York") find the zone.
        wanted = name.lower().replace(" ", "_")
        same = sorted(z for z in known if wanted in (z.lower(), z.lower().rsplit("/", 1)[-1]))
        hint = f"did you mean {same[0]!r}?" if same else suggest(name, known)
        self.error(f"unknown time zone {name!r}: {example}", "care.timezone", hint)
        return None

    def hours(self, value: object) -> tuple[tuple[Opening, ...], ...] | None:
        if not isinstance(value, Mapping):
            self.error('expected a table of days, such as { mon = "09:00-17:00" }', "care.hours")
            return None
        days: list[tuple[Opening, ...]] = [()] * 7
        ok = True
        for key, text in value.items():
            where = f"care.hours.{key}"
            if key not in DAY_KEYS:
                hint = suggest(str(key).lower(), DAY_KEYS)
                self.error(
                    f"unknown day {key!r}: expected one of {', '.join(DAY_KEYS)}", where, hint
                )
            day = self.day(text, where) if key in DAY_KEYS else None
            if day is None:
                ok = False
            else:
                days[DAY_KEYS.index(key)] = day
        return tuple(days) if ok else None

    def day(self, value: object, where: str) -> tuple[Opening, ...] | None:
        if isinstance(value, str) and value.strip().lower() == "closed":
            return ()
        if isinstance(value, str):
            parts = value.split(",")
        elif isinstance(value, list) and all(isinstance(p, str) for p in value):
            parts = value
        else:
            self.error(f"{_DAY_FORMAT}, not {value!r}", where)
            return None
        read = [self.interval(part.strip(), where) for part in parts]  # [] is closed too
        openings = sorted(o for o in read if o is not None)
        if len(openings) < len(read):
            return None
        overlaps = [(a, b) for a, b in pairwise(openings) if b.start < a.end]
        for a, b in overlaps:
            self.error(f"{a} overlaps {b}: opening intervals must not overlap", where)
        return None if overlaps else tuple(openings)

    def interval(self, text: str, where: str) -> Opening | None:
        bounds = [b.strip() for b in re.split(r"\s*[-–]\s*", text)]
        if len(bounds) != 2:
            self.error(
                f'{text!r} is not an interval: expected start-end, e.g. "09:00-17:00"', where
            )
            return None
        start, end = (self.time(b, where) for b in bounds)
        if start is None or end is None:
            return None
        if start == _DAY_MINUTES:
            self.error(f"{text!r} starts at 24:00: openings start from 00:00 to 23:59", where)
        elif end < start:
            hint = (
                f"an opening past midnight is two intervals: {bounds[0]}-24:00 on this day and "
                f"00:00-{bounds[1]} on the next"
            )
            self.error(f"{text!r} ends before it starts", where, hint)
        elif end == start:
            self.error(f"{text!r} is empty: the end must come after the start", where)
        else:
            return Opening(start, end)
        return None

    def time(self, text: str, where: str) -> int | None:
        m = _TIME.match(text)
        hours, minutes = (int(m.group(1)), int(m.group(2))) if m else (99, 99)
        if minutes > 59 or hours > 24 or (hours == 24 and minutes):
            self.error(f"bad time {text!r}: expected HH:MM from 00:00 to 24:00", where)
            return None
        return hours * 60 + minutes

    def holidays(self, value: object) -> frozenset[date]:
        if not isinstance(value, list):
            self.error(
                f'expected a list of dates such as ["2026-12-25"], not {value!r}', "care.holidays"
            )
            return frozenset()
        days: set[date] = set()
        for i, item in enumerate(value):
            where = f"care.holidays[{i}]"
            day = item if type(item) is date else None
            if isinstance(item, str) and _ISO_DATE.match(item.strip()):
                with suppress(ValueError):
                    day = date.fromisoformat(item.strip())
            if day is None:
                self.error(f'bad date {item!r}: expected YYYY-MM-DD, such as "2026-12-25"', where)
            elif day in days:
                self.issues.warning(
                    f"{day.isoformat()} is listed twice", file=self.file, field=where
                )
            else:
                days.add(day)
        return frozenset(days)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
