"""The demo's calendar: the 730 local days, their seasonality, and local time to UTC.

Every instant is generated as *local* microseconds (a naive wall-clock time counted like UTC
from 1970-01-01) because business hours, posting hours and seasonality are local notions; it is
converted to a real UTC instant once, at the end, with a table of the zone's offset per hour.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from cadran.sources.demo.spec import WINDOW_DAYS, DemoSpec, FloatArray, IntArray

DAY_US = 86_400_000_000
HOUR_US = 3_600_000_000
MINUTE_US = 60_000_000
SECOND_US = 1_000_000
EPOCH = datetime.date(1970, 1, 1)

# Yearly events that move social activity (day of year, width in days, amplitude). French retail
# calendar: January and summer sales, Valentine's, the August holidays, "la rentrée" (back to
# school), Black Friday and the run-up to Christmas; the week after Christmas is quiet.
_YEARLY_BUMPS: tuple[tuple[float, float, float], ...] = (
    (11, 8, 0.12),  # soldes d'hiver
    (44, 3, 0.08),  # Saint-Valentin
    (110, 30, 0.04),  # spring
    (178, 7, 0.08),  # soldes d'été
    (222, 13, -0.32),  # August holidays
    (248, 10, 0.18),  # rentrée
    (331, 5, 0.25),  # Black Friday
    (345, 12, 0.35),  # Christmas shopping
    (361, 2.5, -0.15),  # between Christmas and New Year
)


@dataclass(frozen=True)
class Month:
    """A calendar month of the window: days ``first`` (included) to ``stop`` (excluded)."""

    index: int
    year: int
    month: int
    first: int
    stop: int


@dataclass(frozen=True, eq=False)
class Timeline:
    """The window's days (index 0 = first day) and the calendar facts generators need."""

    start: datetime.date
    end: datetime.date
    first_ordinal: int
    weekday: IntArray
    day_of_year: IntArray
    month_of_day: IntArray
    months: tuple[Month, ...]
    season: FloatArray
    trend: FloatArray
    hour_base_us: int
    hour_offsets_us: IntArray
    hour_gaps_us: IntArray

    @classmethod
    def build(cls, spec: DemoSpec) -> Timeline:
        """The timeline of ``spec``: its window, seasonality and time-zone offsets."""
        start = spec.start
        first = (start - EPOCH).days
        ordinals = first + np.arange(WINDOW_DAYS, dtype=np.int64)
        weekday = (ordinals + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        dates = ordinals.astype("datetime64[D]")
        years = dates.astype("datetime64[Y]")
        day_of_year = (dates - years.astype("datetime64[D]")).astype(np.int64)
        month_numbers = dates.astype("datetime64[M]").astype(np.int64)
        month_of_day = month_numbers - month_numbers[0]
        months = []
        for index in range(int(month_of_day[-1]) + 1):
            days = np.flatnonzero(month_of_day == index)
            absolute = int(month_numbers[days[0]])
            months.append(
                Month(
                    index, 1970 + absolute // 12, absolute % 12 + 1, int(days[0]), int(days[-1]) + 1
                )
            )
        base, offsets, gaps = _hour_offsets(spec.timezone, first - 2, WINDOW_DAYS + 6)
        return cls(
            start=start,
            end=spec.end,
            first_ordinal=first,
            weekday=weekday,
            day_of_year=day_of_year,
            month_of_day=month_of_day,
            months=tuple(months),
            season=_season(day_of_year),
            trend=np.linspace(0.9, 1.1, WINDOW_DAYS),
            hour_base_us=base,
            hour_offsets_us=offsets,
            hour_gaps_us=gaps,
        )

    @property
    def days(self) -> int:
        """Number of days of the window."""
        return WINDOW_DAYS

    @property
    def horizon_us(self) -> int:
        """Local midnight after the last day: nothing happens at or after it."""
        return (self.first_ordinal + WINDOW_DAYS) * DAY_US

    def day_start_us(self, day: IntArray) -> IntArray:
        """Local midnight of each day index."""
        return (self.first_ordinal + day) * DAY_US

    def _hour(self, local_us: IntArray) -> IntArray:
        hour = (local_us - self.hour_base_us) // HOUR_US
        return np.clip(hour, 0, len(self.hour_offsets_us) - 1)

    def settle(self, local_us: IntArray) -> IntArray:
        """Wall times moved out of daylight-saving gaps, as a clock shows them (02:30 -> 03:30).

        Generators settle every instant they draw before deriving later ones from it; then
        ``to_utc`` preserves order, so a reply never precedes its message in UTC.
        """
        return local_us + self.hour_gaps_us[self._hour(local_us)]

    def to_utc(self, local_us: IntArray) -> IntArray:
        """UTC microseconds of settled local wall-clock microseconds (the earlier offset of an
        ambiguous autumn hour, like ``zoneinfo`` with ``fold=0``)."""
        return local_us - self.hour_offsets_us[self._hour(local_us)]

    def ordinals(self, day: IntArray) -> IntArray:
        """Days since 1970-01-01 (Arrow's date32) of day indices."""
        return self.first_ordinal + day

    def is_weekend(self) -> IntArray:
        """1 on Saturdays and Sundays, else 0, per day."""
        return (self.weekday >= 5).astype(np.int64)


def _season(day_of_year: IntArray) -> FloatArray:
    """Yearly seasonality of social activity, a sum of smooth bumps with mean 1."""
    factor = np.ones(len(day_of_year))
    for center, width, amplitude in _YEARLY_BUMPS:
        distance = np.abs(day_of_year - center)
        distance = np.minimum(distance, 365.25 - distance)  # circular: late December meets January
        factor += amplitude * np.exp(-0.5 * (distance / width) ** 2)
    return np.asarray(factor / factor.mean(), dtype=np.float64)


def _hour_offsets(zone_name: str, first_ordinal: int, days: int) -> tuple[int, IntArray, IntArray]:
    """UTC offset (µs) of every local hour from ``first_ordinal`` for ``days`` days, and the
    length of the daylight-saving gap that hour falls in (0 for hours that exist).

    Offsets change only at whole hours in practice, so one lookup per local hour is exact while
    costing ~17k ``zoneinfo`` calls instead of one per generated instant.
    """
    zone = ZoneInfo(zone_name)
    origin = datetime.datetime(1970, 1, 1) + datetime.timedelta(days=first_ordinal)
    offsets = np.empty(days * 24, dtype=np.int64)
    gaps = np.zeros(days * 24, dtype=np.int64)
    utc = datetime.UTC
    for hour in range(days * 24):
        naive = origin + datetime.timedelta(hours=hour)
        wall = naive.replace(tzinfo=zone)
        delta = wall.utcoffset() or datetime.timedelta(0)
        offsets[hour] = (delta.days * 86_400 + delta.seconds) * SECOND_US
        # A wall time that does not exist comes back shifted from a round trip through UTC.
        back = wall.astimezone(utc).astimezone(zone).replace(tzinfo=None)
        if back != naive:
            gaps[hour] = int((back - naive).total_seconds()) * SECOND_US
    return first_ordinal * DAY_US, offsets, gaps
