"""Business hours: open time between two instants under a weekly schedule, and reading [care]."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadran.core.business_hours import (
    DEFAULT_HOURS,
    DEFAULT_SCHEDULE,
    Opening,
    Schedule,
    business_seconds,
    is_open,
    parse_schedule,
)

from .formula.strategies import SETTINGS

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = 3600.0
MINUTE = 60.0


def hm(text: str) -> Opening:
    """``"09:00-17:00"`` as an opening."""
    start, end = text.split("-")
    h1, m1 = start.split(":")
    h2, m2 = end.split(":")
    return Opening(int(h1) * 60 + int(m1), int(h2) * 60 + int(m2))


def week(*days: str, weekend: tuple[str, str] = ("", "")) -> tuple[tuple[Opening, ...], ...]:
    """Seven days of openings written as ``"09:00-12:30, 13:30-18:00"`` ('' is closed)."""
    texts = list(days) if len(days) == 7 else [days[0]] * 5 + list(weekend)
    return tuple(tuple(hm(p.strip()) for p in t.split(",") if p.strip()) for t in texts)


NINE_TO_FIVE_PARIS = Schedule("Europe/Paris")
NINE_TO_FIVE_NEW_YORK = Schedule("America/New_York")


def paris(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=PARIS)


# -- the examples -------------------------------------------------------------------------------


def test_a_message_on_friday_evening_answered_on_monday_morning_waited_ten_minutes() -> None:
    # Friday 2 October 2026, 18:30, answered Monday 5 October at 09:10.
    friday, monday = paris(2026, 10, 2, 18, 30), paris(2026, 10, 5, 9, 10)
    assert business_seconds(friday, monday, NINE_TO_FIVE_PARIS) == 10 * MINUTE
    assert (monday - friday).total_seconds() == pytest.approx(62 * HOUR + 40 * MINUTE)


def test_nights_and_weekends_are_closed() -> None:
    # Thursday 16:00 to Friday 10:00: one hour on Thursday, one on Friday.
    assert business_seconds(paris(2026, 10, 1, 16), paris(2026, 10, 2, 10), NINE_TO_FIVE_PARIS) == (
        2 * HOUR
    )
    # A whole weekend: nothing.
    assert business_seconds(paris(2026, 10, 3), paris(2026, 10, 5), NINE_TO_FIVE_PARIS) == 0
    # A whole week, Monday 00:00 to Monday 00:00: five days of eight hours.
    assert business_seconds(paris(2026, 10, 5), paris(2026, 10, 12), NINE_TO_FIVE_PARIS) == (
        40 * HOUR
    )


def test_a_reply_before_opening_on_the_same_day_took_no_business_time() -> None:
    assert (
        business_seconds(paris(2026, 10, 5, 7), paris(2026, 10, 5, 8, 45), NINE_TO_FIVE_PARIS) == 0
    )
    # ... and a reply after opening counts from the opening.
    assert business_seconds(
        paris(2026, 10, 5, 7), paris(2026, 10, 5, 9, 5), NINE_TO_FIVE_PARIS
    ) == (5 * MINUTE)


def test_start_equal_to_end_is_zero() -> None:
    at = paris(2026, 10, 5, 10)
    assert business_seconds(at, at, NINE_TO_FIVE_PARIS) == 0
    assert business_seconds(at, at.astimezone(UTC), NINE_TO_FIVE_PARIS) == 0


def test_holidays_are_closed_all_day() -> None:
    christmas = Schedule("Europe/Paris", holidays=frozenset({date(2026, 12, 25)}))
    # Thursday 24 December 2026, 16:30; Christmas (Friday) is closed, then the weekend.
    eve, monday = paris(2026, 12, 24, 16, 30), paris(2026, 12, 28, 9, 30)
    assert business_seconds(eve, monday, christmas) == 60 * MINUTE
    assert business_seconds(eve, monday, NINE_TO_FIVE_PARIS) == 60 * MINUTE + 8 * HOUR
    assert not is_open(paris(2026, 12, 25, 11), christmas)
    assert is_open(paris(2026, 12, 25, 11), NINE_TO_FIVE_PARIS)


def test_lunch_break() -> None:
    schedule = Schedule("Europe/Paris", week("09:00-12:30, 13:30-18:00"))
    # 12:00 to 14:00: 30 minutes before lunch, 30 after.
    assert business_seconds(paris(2026, 10, 5, 12), paris(2026, 10, 5, 14), schedule) == HOUR
    assert not is_open(paris(2026, 10, 5, 13), schedule)
    assert is_open(paris(2026, 10, 5, 13, 30), schedule)
    assert not is_open(paris(2026, 10, 5, 18), schedule)  # the end is excluded
    assert schedule.weekly_seconds == 5 * 8 * 3600


def test_an_opening_may_end_at_midnight() -> None:
    evenings = Schedule("Europe/Paris", week(*["18:00-24:00"] * 7))
    # Monday 23:00 to Tuesday 19:00: one hour on Monday, one on Tuesday.
    assert business_seconds(paris(2026, 10, 5, 23), paris(2026, 10, 6, 19), evenings) == 2 * HOUR
    assert is_open(paris(2026, 10, 5, 23, 59, 59), evenings)
    assert not is_open(paris(2026, 10, 6, 0, 0), evenings)
    always = Schedule("UTC", week(*["00:00-24:00"] * 7))
    start = datetime(2026, 10, 5, 12, 34, 56, 789, tzinfo=UTC)
    end = start + timedelta(days=3, seconds=7)
    assert business_seconds(start, end, always) == (end - start).total_seconds()


# -- time zones ---------------------------------------------------------------------------------


def test_the_same_instants_under_a_new_york_and_a_paris_schedule() -> None:
    # Monday 5 October 2026, 13:00 to 16:00 UTC: 15:00-18:00 in Paris, 09:00-12:00 in New York.
    start = datetime(2026, 10, 5, 13, tzinfo=UTC)
    end = datetime(2026, 10, 5, 16, tzinfo=UTC)
    assert business_seconds(start, end, NINE_TO_FIVE_PARIS) == 2 * HOUR
    assert business_seconds(start, end, NINE_TO_FIVE_NEW_YORK) == 3 * HOUR
    # 22:00 UTC is midnight in Paris (closed) and 18:00 in New York (closed too).
    assert not is_open(datetime(2026, 10, 5, 22, tzinfo=UTC), NINE_TO_FIVE_PARIS)
    assert is_open(datetime(2026, 10, 5, 20, 59, tzinfo=UTC), NINE_TO_FIVE_NEW_YORK)
    assert not is_open(datetime(2026, 10, 5, 21, tzinfo=UTC), NINE_TO_FIVE_NEW_YORK)


def test_inputs_may_be_in_any_zone_and_mixed() -> None:
    start = datetime(2026, 10, 5, 13, tzinfo=UTC)
    end = datetime(2026, 10, 5, 16, tzinfo=UTC)
    tokyo = ZoneInfo("Asia/Tokyo")
    expected = business_seconds(start, end, NINE_TO_FIVE_PARIS)
    assert business_seconds(
        start.astimezone(tokyo), end.astimezone(NEW_YORK), NINE_TO_FIVE_PARIS
    ) == (expected)
    assert business_seconds(start.astimezone(PARIS), end.astimezone(PARIS), NINE_TO_FIVE_PARIS) == (
        expected
    )


def test_naive_datetimes_and_reversed_spans_are_refused() -> None:
    with pytest.raises(ValueError, match=r"start .* naive"):
        business_seconds(datetime(2026, 10, 5, 9), paris(2026, 10, 5, 10), NINE_TO_FIVE_PARIS)
    with pytest.raises(ValueError, match=r"end .* naive"):
        business_seconds(paris(2026, 10, 5, 9), datetime(2026, 10, 5, 10), NINE_TO_FIVE_PARIS)
    with pytest.raises(ValueError, match="naive"):
        is_open(datetime(2026, 10, 5, 10), NINE_TO_FIVE_PARIS)
    with pytest.raises(ValueError, match="before start"):
        business_seconds(paris(2026, 10, 5, 10), paris(2026, 10, 5, 9), NINE_TO_FIVE_PARIS)


# -- clock changes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Europe/Paris", date(2026, 3, 29)),  # last Sunday of March: 02:00 -> 03:00
        ("Europe/Paris", date(2026, 10, 25)),  # last Sunday of October: 03:00 -> 02:00
        ("America/New_York", date(2026, 3, 8)),  # second Sunday of March
        ("America/New_York", date(2026, 11, 1)),  # first Sunday of November
    ],
)
def test_nine_to_five_is_eight_hours_on_the_day_the_clocks_change(zone: str, day: date) -> None:
    schedule = Schedule(zone, week(*["09:00-17:00"] * 7))
    tz = ZoneInfo(zone)
    midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
    next_midnight = midnight + timedelta(days=1)
    assert business_seconds(midnight, next_midnight, schedule) == 8 * HOUR
    # The day itself is 23 or 25 hours long.
    length = (next_midnight.astimezone(UTC) - midnight.astimezone(UTC)).total_seconds()
    assert length in (23 * HOUR, 25 * HOUR)


def test_opening_follows_the_local_clock_after_the_change() -> None:
    # Monday 30 March 2026, Paris is at +02:00: it opens at 07:00 UTC, not 08:00.
    assert not is_open(datetime(2026, 3, 30, 6, 59, tzinfo=UTC), NINE_TO_FIVE_PARIS)
    assert is_open(datetime(2026, 3, 30, 7, 0, tzinfo=UTC), NINE_TO_FIVE_PARIS)
    assert is_open(datetime(2026, 3, 27, 8, 0, tzinfo=UTC), NINE_TO_FIVE_PARIS)  # the Friday before
    assert not is_open(datetime(2026, 3, 27, 7, 59, tzinfo=UTC), NINE_TO_FIVE_PARIS)
    friday, monday = paris(2026, 3, 27, 16), paris(2026, 3, 30, 10)
    assert business_seconds(friday, monday, NINE_TO_FIVE_PARIS) == 2 * HOUR


def test_an_opening_across_the_change_lasts_its_real_length() -> None:
    night = Schedule("Europe/Paris", week(*["00:00-06:00"] * 7))
    spring, autumn = paris(2026, 3, 29), paris(2026, 10, 25)
    # 02:00-03:00 never happens in spring; 02:00-03:00 happens twice in autumn.
    assert business_seconds(spring, spring + timedelta(days=1), night) == 5 * HOUR
    assert business_seconds(autumn, autumn + timedelta(days=1), night) == 7 * HOUR
    # The repeated hour is open both times.
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    assert is_open(first, night)
    assert is_open(second, night)
    assert business_seconds(first, second, night) == HOUR


def test_an_interval_inside_the_skipped_hour_is_never_open() -> None:
    schedule = Schedule("Europe/Paris", week(*["02:15-02:45"] * 7))
    spring = paris(2026, 3, 29)
    assert business_seconds(spring, spring + timedelta(days=1), schedule) == 0
    assert business_seconds(paris(2026, 3, 30), paris(2026, 3, 31), schedule) == 30 * MINUTE


def test_a_day_whose_local_midnight_is_skipped() -> None:
    # Santiago: on Sunday 6 September 2026 the clocks go from 00:00 to 01:00.
    santiago = ZoneInfo("America/Santiago")
    schedule = Schedule("America/Santiago", week(*["00:00-24:00"] * 7))
    saturday = datetime(2026, 9, 5, 12, tzinfo=santiago)
    monday = datetime(2026, 9, 7, 12, tzinfo=santiago)
    real = (monday.astimezone(UTC) - saturday.astimezone(UTC)).total_seconds()
    assert real == 47 * HOUR
    assert business_seconds(saturday, monday, schedule) == real
    sundays = Schedule("America/Santiago", week("", "", "", "", "", "", "00:00-24:00"))
    assert business_seconds(saturday, monday, sundays) == 23 * HOUR
    assert is_open(datetime(2026, 9, 6, 4, tzinfo=UTC), sundays)  # 00:00 Sunday, -04 -> 01:00 -03


# -- long spans ---------------------------------------------------------------------------------


def _open_days(first: date, stop: date, holidays: frozenset[date]) -> int:
    days = (first + timedelta(days=i) for i in range((stop - first).days))
    return sum(1 for d in days if d.weekday() < 5 and d not in holidays)


def test_a_span_of_years_counts_every_open_day() -> None:
    holidays = frozenset(
        {date(y, 12, 25) for y in range(2020, 2031)} | {date(y, 1, 1) for y in range(2020, 2031)}
    )
    schedule = Schedule("Europe/Paris", holidays=holidays)
    start, end = paris(2020, 3, 4, 15, 30), paris(2030, 6, 17, 10)
    expected = _open_days(date(2020, 3, 5), date(2030, 6, 17), holidays) * 8 * HOUR
    expected += 1.5 * HOUR + 1 * HOUR  # Wednesday 4 March 2020 from 15:30, Monday from 09:00
    assert business_seconds(start, end, schedule) == expected


def test_a_span_of_a_century_is_fast() -> None:
    start, end = paris(2000, 1, 1), paris(2100, 1, 1)
    business_seconds(start, end, NINE_TO_FIVE_PARIS)  # the offset changes are found once
    began = time.perf_counter()
    for _ in range(20):
        total = business_seconds(start, end, NINE_TO_FIVE_PARIS)
    assert time.perf_counter() - began < 1.0
    assert total == _open_days(date(2000, 1, 1), date(2100, 1, 1), frozenset()) * 8 * HOUR


# -- properties ---------------------------------------------------------------------------------

ZONES = ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
MONDAY_TO_SATURDAY = week(
    "09:00-12:30, 13:30-18:00",
    "09:00-18:00",
    "00:00-02:30, 08:00-24:00",
    "01:30-03:30",
    "09:00-17:00",
    "10:00-13:00",
    "",
)
schedules = st.builds(
    Schedule,
    st.sampled_from(ZONES),
    st.sampled_from([MONDAY_TO_SATURDAY, DEFAULT_HOURS, week(*["00:00-24:00"] * 7)]),
    st.frozensets(st.dates(date(2026, 3, 1), date(2026, 11, 30)), max_size=20),
)
# The 2026 clock changes of the zones above, in UTC: most instants are drawn close to one.
CHANGES = [
    datetime(2026, 3, 8, 7),  # New York
    datetime(2026, 3, 29, 1),  # Paris
    datetime(2026, 4, 4, 15),  # Lord Howe (+11 -> +10:30)
    datetime(2026, 10, 3, 15, 30),  # Lord Howe (+10:30 -> +11)
    datetime(2026, 10, 25, 1),  # Paris
    datetime(2026, 11, 1, 6),  # New York
]
instants = st.one_of(
    st.datetimes(datetime(2026, 3, 1), datetime(2026, 11, 30)),
    st.builds(
        lambda change, shift: change + timedelta(seconds=shift),
        st.sampled_from(CHANGES),
        st.integers(-3 * 86400, 86400),
    ),
).map(lambda t: t.replace(tzinfo=UTC))
minutes = st.integers(0, 4 * 24 * 60)


def _per_minute(start: datetime, end: datetime, schedule: Schedule) -> float:
    steps = int((end - start).total_seconds() // 60)
    return sum(MINUTE for i in range(steps) if is_open(start + timedelta(minutes=i), schedule))


@settings(SETTINGS, max_examples=150)
@given(schedules, instants, minutes)
def test_matches_a_minute_by_minute_count(schedule: Schedule, start: datetime, length: int) -> None:
    # Every opening and every clock change of these zones falls on a whole minute.
    start = start.replace(second=0, microsecond=0)
    end = start + timedelta(minutes=length)
    assert business_seconds(start, end, schedule) == _per_minute(start, end, schedule)


@SETTINGS
@given(schedules, instants, instants, instants)
def test_additive(schedule: Schedule, a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted([a, b, c])
    whole = business_seconds(a, c, schedule)
    parts = business_seconds(a, b, schedule) + business_seconds(b, c, schedule)
    assert whole == pytest.approx(parts, abs=1e-6)


@SETTINGS
@given(schedules, instants, instants)
def test_between_zero_and_the_calendar_time(schedule: Schedule, a: datetime, b: datetime) -> None:
    a, b = sorted([a, b])
    assert 0 <= business_seconds(a, b, schedule) <= (b - a).total_seconds() + 1e-6


@SETTINGS
@given(st.sampled_from(ZONES), instants, instants)
def test_an_all_closed_schedule_gives_zero(zone: str, a: datetime, b: datetime) -> None:
    a, b = sorted([a, b])
    closed = Schedule(zone, ((),) * 7)
    assert business_seconds(a, b, closed) == 0
    assert not is_open(a, closed)


# -- the schedule itself ------------------------------------------------------------------------


def test_the_default_schedule_is_nine_to_five_on_weekdays_in_utc() -> None:
    assert DEFAULT_SCHEDULE.timezone == "UTC"
    assert DEFAULT_SCHEDULE.holidays == frozenset()
    assert DEFAULT_SCHEDULE.weekly_seconds == 40 * 3600
    monday = datetime(2026, 10, 5, tzinfo=UTC)
    assert business_seconds(monday, monday + timedelta(days=7)) == 40 * HOUR


def test_schedules_are_values() -> None:
    one = Schedule("Europe/Paris", week("09:00-17:00"))
    two = Schedule("Europe/Paris", tuple([tuple(day) for day in week("09:00-17:00")]))
    assert one == two
    assert hash(one) == hash(two)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "Europe/Pariss"}, "unknown time zone"),
        ({"hours": ((),) * 6}, "7 days"),
        ({"hours": ((hm("09:00-13:00"), hm("12:00-14:00")),) + ((),) * 6}, "overlap"),
        ({"hours": ((Opening(600, 500),),) + ((),) * 6}, "start < end"),
        ({"hours": ((Opening(0, 1441),),) + ((),) * 6}, "start < end"),
        ({"holidays": frozenset({datetime(2026, 12, 25)})}, "dates"),
    ],
)
def test_invalid_schedules_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Schedule(**kwargs)  # type: ignore[arg-type]


# -- reading [care] -----------------------------------------------------------------------------


def test_reads_the_care_table() -> None:
    care = {
        "timezone": "Europe/Paris",
        "hours": {
            "mon": "09:00-18:00",
            "tue": "09:00-12:30, 13:30-18:00",
            "wed": "09:00 – 18:00",
            "thu": ["09:00-12:00", "14:00-18:00"],
            "fri": "09:00-17:00",
            "sat": "10:00-13:00",
            "sun": "closed",
        },
        "holidays": ["2026-12-25", date(2027, 1, 1)],
    }
    schedule, issues = parse_schedule(care, "cadran.toml")
    assert not issues
    assert schedule == Schedule(
        "Europe/Paris",
        week(
            "09:00-18:00",
            "09:00-12:30, 13:30-18:00",
            "09:00-18:00",
            "09:00-12:00, 14:00-18:00",
            "09:00-17:00",
            "10:00-13:00",
            "",
        ),
        frozenset({date(2026, 12, 25), date(2027, 1, 1)}),
    )


def test_days_left_out_are_closed_and_no_hours_means_the_default() -> None:
    schedule, issues = parse_schedule({"hours": {"sat": "10:00-24:00"}}, "cadran.toml")
    assert not issues
    assert schedule is not None
    assert schedule.hours == ((), (), (), (), (), (hm("10:00-24:00"),), ())
    assert schedule.timezone == "UTC"
    default, issues = parse_schedule({}, "cadran.toml", default_timezone="Europe/Paris")
    assert not issues
    assert default == Schedule("Europe/Paris", DEFAULT_HOURS)


def test_every_problem_is_reported_at_once() -> None:
    care = {
        "timezone": "Europe/Pariss",
        "hours": {
            "mon": "09:00-13:00, 12:30-18:00",
            "tue": "25:00-26:00",
            "wed": "18:00-09:00",
            "thu": "9h-17h",
            "fri": 9,
            "mondey": "09:00-17:00",
            "sun": "24:00-24:00",
        },
        "holidays": ["2026-02-30", "25/12/2026", "2026-01-01", "2026-01-01"],
        "target_hours": 2,
    }
    schedule, issues = parse_schedule(care, "cadran.toml")
    assert schedule is None
    found = {(i.field, i.level.value) for i in issues}
    assert found == {
        ("care.timezone", "error"),
        ("care.hours.mon", "error"),
        ("care.hours.tue", "error"),
        ("care.hours.wed", "error"),
        ("care.hours.thu", "error"),
        ("care.hours.fri", "error"),
        ("care.hours.mondey", "error"),
        ("care.hours.sun", "error"),
        ("care.holidays[0]", "error"),
        ("care.holidays[1]", "error"),
        ("care.holidays[3]", "warning"),
        ("care.target_hours", "error"),
    }
    text = "\n".join(str(i) for i in issues)
    assert all(str(i).startswith("cadran.toml (care.") for i in issues)
    assert "did you mean 'Europe/Paris'?" in text
    assert "09:00-13:00 overlaps 12:30-18:00" in text
    assert "bad time '25:00': expected HH:MM from 00:00 to 24:00" in text
    assert "'18:00-09:00' ends before it starts" in text
    assert "18:00-24:00 on this day and 00:00-09:00 on the next" in text
    assert "unknown day 'mondey'" in text
    assert "did you mean 'mon'?" in text
    assert "'24:00-24:00' starts at 24:00" in text
    assert "bad date '2026-02-30'" in text
    assert "unknown key 'target_hours'" in text


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("europe/paris", "Europe/Paris"), ("paris", "Europe/Paris"), ("New York", "America/New_York")],
)
def test_time_zone_suggestions(name: str, suggestion: str) -> None:
    schedule, issues = parse_schedule({"timezone": name}, "cadran.toml")
    assert schedule is None
    assert [i.hint for i in issues] == [f"did you mean {suggestion!r}?"]


@pytest.mark.parametrize(
    ("care", "field"),
    [
        ({"timezone": ""}, "care.timezone"),
        ({"timezone": "Europe"}, "care.timezone"),
        ({"hours": "09:00-17:00"}, "care.hours"),
        ({"hours": {"mon": "09:00"}}, "care.hours.mon"),
        ({"hours": {"mon": "09:00-12:00-18:00"}}, "care.hours.mon"),
        ({"hours": {"mon": "09:60-10:00"}}, "care.hours.mon"),
        ({"hours": {"mon": "09:00-24:30"}}, "care.hours.mon"),
        ({"holidays": "2026-12-25"}, "care.holidays"),
        ({"holidays": [datetime(2026, 12, 25, 0, 0)]}, "care.holidays[0]"),
    ],
)
def test_each_bad_value_names_its_field(care: dict[str, object], field: str) -> None:
    schedule, issues = parse_schedule(care, "cadran.toml")
    assert schedule is None
    assert [i.field for i in issues] == [field]
