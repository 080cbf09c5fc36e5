"""Periods: calendar grains, parsing, shifting and comparison windows.

A :class:`Period` is a half-open range of local dates ``[start, end)`` in the workspace's time
zone. Calendar periods (day, ISO week, month, quarter, year) are aligned on their grain; custom
periods are any range of whole days.

Comparison rules, chosen so that weekdays line up where they matter:

* previous period: the period of the same grain just before (a custom range: the range of the
  same length just before it);
* same period last year: 12 months earlier for months, quarters and years; 52 weeks earlier for
  days and weeks (same weekday); the same calendar dates a year earlier for custom ranges, with
  29 February mapped to 28 February.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from cadran.core.errors import PeriodError

__all__ = [
    "Grain",
    "Period",
    "add_months",
    "bucket_start",
    "parse_date",
    "parse_period",
    "periods_between",
]


class Grain(Enum):
    """Calendar grains a KPI can be evaluated at."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @classmethod
    def parse(cls, text: str) -> Grain:
        """Read a grain name, with a clear error for anything else."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(g.value for g in cls)
            raise PeriodError(f"unknown grain {text!r}: expected one of {names}") from None

    @property
    def months(self) -> int:
        """Length in months of a month-based grain, 0 for day and week."""
        return {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.YEAR: 12}.get(self, 0)


def add_months(d: date, months: int) -> date:
    """Move ``d`` by whole months, clamping the day to the target month's length."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise PeriodError(f"date out of range: {d.isoformat()} moved by {months} month(s)")
    month = month0 + 1
    return date(year, month, min(d.day, _month_length(year, month)))


def _month_length(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def _add_days(d: date, days: int) -> date:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        raise PeriodError(f"date out of range: {d.isoformat()} moved by {days} day(s)") from None


def bucket_start(d: date, grain: Grain) -> date:
    """The first day of the period of ``grain`` that contains ``d``."""
    if grain is Grain.DAY:
        return d
    if grain is Grain.WEEK:
        return d - timedelta(days=d.weekday())
    if grain is Grain.MONTH:
        return d.replace(day=1)
    if grain is Grain.QUARTER:
        return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    return date(d.year, 1, 1)


def _next_start(start: date, grain: Grain) -> date:
    if grain is Grain.DAY:
        return _add_days(start, 1)
    if grain is Grain.WEEK:
        return _add_days(start, 7)
    return add_months(start, grain.months)


@dataclass(frozen=True)
class Period:
    """Local dates ``start`` (included) to ``end`` (excluded); ``grain`` is None when custom.

    Periods sort by start, then end, then grain (custom first, then day to year).
    """

    start: date
    end: date
    grain: Grain | None = None

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise PeriodError(
                f"empty period: {self.start.isoformat()} to {self.end.isoformat()}"
                " (the end must come after the start)"
            )
        if self.grain is not None and (
            bucket_start(self.start, self.grain) != self.start
            or _next_start(self.start, self.grain) != self.end
        ):
            raise PeriodError(
                f"{self.start.isoformat()}..{self.end.isoformat()} is not one {self.grain.value}"
            )

    @classmethod
    def of(cls, d: date, grain: Grain) -> Period:
        """The calendar period of ``grain`` containing ``d``."""
        start = bucket_start(d, grain)
        return cls(start, _next_start(start, grain), grain)

    @classmethod
    def custom(cls, first: date, last: date) -> Period:
        """A custom period from ``first`` to ``last``, both days included."""
        if last < first:
            raise PeriodError(f"--to {last.isoformat()} is before --from {first.isoformat()}")
        return cls(first, _add_days(last, 1), None)

    @property
    def last_day(self) -> date:
        """The last day included in the period."""
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days

    @property
    def label(self) -> str:
        """A short human label: 2026, 2026-Q4, 2026-10, 2026-W43, 2026-10-05 or a range."""
        s = self.start
        # Years have four digits, as parse_period expects (0999, not 999).
        if self.grain is Grain.YEAR:
            return f"{s.year:04d}"
        if self.grain is Grain.QUARTER:
            return f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}"
        if self.grain is Grain.MONTH:
            return f"{s.year:04d}-{s.month:02d}"
        if self.grain is Grain.WEEK:
            iso = s.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}"
        if self.grain is Grain.DAY:
            return s.isoformat()
        return f"{s.isoformat()}..{self.last_day.isoformat()}"

    def shift(self, n: int) -> Period:
        """The period ``n`` steps later (negative: earlier). Custom periods move by their length."""
        if self.grain is None:
            return Period(_add_days(self.start, n * self.days), _add_days(self.end, n * self.days))
        if self.grain is Grain.DAY:
            return Period.of(_add_days(self.start, n), Grain.DAY)
        if self.grain is Grain.WEEK:
            return Period.of(_add_days(self.start, 7 * n), Grain.WEEK)
        return Period.of(add_months(self.start, n * self.grain.months), self.grain)

    def previous(self) -> Period:
        """The period just before this one, of the same grain or length."""
        return self.shift(-1)

    def year_ago(self) -> Period:
        """The same period one year earlier (see the module docstring for the rule)."""
        if self.grain in (Grain.DAY, Grain.WEEK):
            step = 364 if self.grain is Grain.DAY else 52
            return self.shift(-step)
        if self.grain is not None:
            return self.shift(-12 // self.grain.months)
        first = add_months(self.start, -12)
        last = add_months(self.last_day, -12)
        return Period.custom(first, last)

    def contains(self, d: date) -> bool:
        """Whether the local date ``d`` falls in the period."""
        return self.start <= d < self.end

    # Ordering. ``order=True`` would compare grains, and Enum members do not support '<': a
    # custom range and a calendar period over the same dates could not be sorted.
    def _sort_key(self) -> tuple[date, date, int]:
        return self.start, self.end, -1 if self.grain is None else _GRAIN_ORDER[self.grain]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() <= other._sort_key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() > other._sort_key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() >= other._sort_key()


_GRAIN_ORDER = {g: i for i, g in enumerate(Grain)}


MAX_PERIODS = 10_000


def _count_periods(first: date, end: date, grain: Grain) -> int:
    if grain is Grain.DAY:
        return (end - first).days
    if grain is Grain.WEEK:
        return (end - first).days // 7
    months = (end.year - first.year) * 12 + end.month - first.month
    return months // grain.months


def periods_between(first: date, last: date, grain: Grain) -> list[Period]:
    """The periods of ``grain`` covering ``first``..``last`` (both included), which must align.

    A range that cuts a period in two is refused rather than silently widened, because a
    partial month compared with a full one misleads.
    """
    if last < first:
        raise PeriodError(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    if bucket_start(first, grain) != first:
        raise PeriodError(
            f"--from {first.isoformat()} is not the first day of a {grain.value}; "
            f"use {bucket_start(first, grain).isoformat()} or a finer --grain"
        )
    end = _add_days(last, 1)
    if bucket_start(end, grain) != end:
        raise PeriodError(
            f"--to {last.isoformat()} is not the last day of a {grain.value}; "
            f"use {(_next_start(bucket_start(last, grain), grain) - timedelta(days=1)).isoformat()}"
            " or a finer --grain"
        )
    count = _count_periods(first, end, grain)
    if count > MAX_PERIODS:
        raise PeriodError(
            f"{first.isoformat()} to {last.isoformat()} holds {count:,} {grain.value}s, more than "
            f"{MAX_PERIODS:,}; use a coarser --grain or a shorter range"
        )
    out: list[Period] = []
    start = first
    while start < end:
        period = Period.of(start, grain)
        out.append(period)
        start = period.end
    return out


# re.ASCII: \d would otherwise accept any Unicode digit ("٢٠٢٦" read as 2026).
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE | re.ASCII)
_QUARTER = re.compile(r"^(\d{4})-?Q(\d)$", re.IGNORECASE | re.ASCII)
_YEAR = re.compile(r"^(\d{4})$", re.ASCII)

_EXPECTED = "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"


def parse_date(text: str, *, what: str = "date") -> date:
    """Read an ISO date ``YYYY-MM-DD`` with an error that says what is wrong."""
    raw = text.strip()
    m = _DATE.match(raw)
    if not m:
        raise PeriodError(f"invalid {what} {text!r}: expected YYYY-MM-DD")
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        raise PeriodError(f"invalid {what} {text!r}: month must be 01 to 12")
    if year < 1:
        raise PeriodError(f"invalid {what} {text!r}: year must be 0001 or later")
    length = _month_length(year, month)
    if not 1 <= day <= length:
        raise PeriodError(f"invalid {what} {text!r}: day must be 01 to {length} in that month")
    return date(year, month, day)


def parse_period(text: str) -> Period:
    """Read a calendar period: ``2026``, ``2026-Q4``, ``2026-10``, ``2026-W43``, ``2026-10-05``."""
    raw = text.strip()
    if m := _YEAR.match(raw):
        year = int(m.group(1))
        if year < 1:
            raise PeriodError(f"invalid period {text!r}: year must be 0001 or later")
        return Period.of(date(year, 1, 1), Grain.YEAR)
    if m := _QUARTER.match(raw):
        year, quarter = int(m.group(1)), int(m.group(2))
        if year < 1:
            raise PeriodError(f"invalid period {text!r}: year must be 0001 or later")
        if not 1 <= quarter <= 4:
            raise PeriodError(f"invalid period {text!r}: quarter must be Q1 to Q4")
        return Period.of(date(year, 3 * quarter - 2, 1), Grain.QUARTER)
    if m := _MONTH.match(raw):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"invalid period {text!r}: month must be 01 to 12 ({_EXPECTED})")
        if year < 1:
            raise PeriodError(f"invalid period {text!r}: year must be 0001 or later")
        return Period.of(date(year, month, 1), Grain.MONTH)
    if m := _WEEK.match(raw):
        year, week = int(m.group(1)), int(m.group(2))
        if year < 1:
            raise PeriodError(f"invalid period {text!r}: year must be 0001 or later")
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            last = date(year, 12, 28).isocalendar().week
            raise PeriodError(
                f"invalid period {text!r}: {year} has ISO weeks W01 to W{last:02d}"
            ) from None
        return Period.of(monday, Grain.WEEK)
    if _DATE.match(raw):
        return Period.of(parse_date(raw, what="period"), Grain.DAY)
    raise PeriodError(f"invalid period {text!r}: {_EXPECTED}")
