"""Periods: parsing, labels, shifting, comparison windows and range alignment."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cadran.core.errors import PeriodError, UsageError
from cadran.core.periods import (
    Grain,
    Period,
    add_months,
    bucket_start,
    parse_date,
    parse_period,
    periods_between,
)

from .formula.strategies import SETTINGS

CALENDAR = list(Grain)
# Far enough from date.min and date.max for every shift the properties make.
dates = st.dates(min_value=date(200, 1, 1), max_value=date(9000, 12, 31))
grains = st.sampled_from(CALENDAR)

# -- parsing ----------------------------------------------------------------------------------

PERIODS = [
    ("2026", date(2026, 1, 1), date(2027, 1, 1), Grain.YEAR, "2026"),
    ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1), Grain.QUARTER, "2026-Q4"),
    ("2026q1", date(2026, 1, 1), date(2026, 4, 1), Grain.QUARTER, "2026-Q1"),
    ("2026-10", date(2026, 10, 1), date(2026, 11, 1), Grain.MONTH, "2026-10"),
    ("2026-1", date(2026, 1, 1), date(2026, 2, 1), Grain.MONTH, "2026-01"),
    ("2026-02", date(2026, 2, 1), date(2026, 3, 1), Grain.MONTH, "2026-02"),
    ("2024-02", date(2024, 2, 1), date(2024, 3, 1), Grain.MONTH, "2024-02"),
    ("2026-W43", date(2026, 10, 19), date(2026, 10, 26), Grain.WEEK, "2026-W43"),
    ("2026w1", date(2025, 12, 29), date(2026, 1, 5), Grain.WEEK, "2026-W01"),
    ("2026-W53", date(2026, 12, 28), date(2027, 1, 4), Grain.WEEK, "2026-W53"),
    ("2027-W01", date(2027, 1, 4), date(2027, 1, 11), Grain.WEEK, "2027-W01"),
    ("2026-10-05", date(2026, 10, 5), date(2026, 10, 6), Grain.DAY, "2026-10-05"),
    ("2026-1-5", date(2026, 1, 5), date(2026, 1, 6), Grain.DAY, "2026-01-05"),
    ("2024-02-29", date(2024, 2, 29), date(2024, 3, 1), Grain.DAY, "2024-02-29"),
    ("  2026-10  ", date(2026, 10, 1), date(2026, 11, 1), Grain.MONTH, "2026-10"),
    # Labels of years before 1000 keep four digits, so that they parse back.
    ("0001", date(1, 1, 1), date(2, 1, 1), Grain.YEAR, "0001"),
    ("0999-Q2", date(999, 4, 1), date(999, 7, 1), Grain.QUARTER, "0999-Q2"),
    ("0800-10", date(800, 10, 1), date(800, 11, 1), Grain.MONTH, "0800-10"),
    ("0999-W10", date(999, 3, 4), date(999, 3, 11), Grain.WEEK, "0999-W10"),
]


@pytest.mark.parametrize(("text", "start", "end", "grain", "label"), PERIODS)
def test_parse_period(text, start, end, grain, label):
    period = parse_period(text)
    assert (period.start, period.end, period.grain) == (start, end, grain)
    assert period.label == label
    assert parse_period(label) == period


PERIOD_ERRORS = [
    ("2026-13", "month must be 01 to 12 (expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD)"),
    ("2026-00", "month must be 01 to 12 (expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD)"),
    ("2026-13-01", "month must be 01 to 12"),
    ("2026-Q5", "quarter must be Q1 to Q4"),
    ("2026-Q0", "quarter must be Q1 to Q4"),
    ("2026-W54", "2026 has ISO weeks W01 to W53"),
    ("2025-W53", "2025 has ISO weeks W01 to W52"),
    ("2026-W00", "2026 has ISO weeks W01 to W53"),
    ("2026-04-31", "day must be 01 to 30 in that month"),
    ("2026-02-29", "day must be 01 to 28 in that month"),
    ("2024-02-30", "day must be 01 to 29 in that month"),
    ("2026-10-00", "day must be 01 to 31 in that month"),
    ("0000", "year must be 0001 or later"),
    ("0000-Q1", "year must be 0001 or later"),
    ("0000-01", "year must be 0001 or later"),
    ("0000-W01", "year must be 0001 or later"),
    ("0000-01-01", "year must be 0001 or later"),
    ("garbage", "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    ("", "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    ("26", "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    ("20261005", "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    ("2026-Q12", "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    ("2026-W123", "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    ("2026/10/05", "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    ("2026-10-05..2026-10-06", "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    ("2026-10\n-05", "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    # Digits of other scripts are not ASCII digits.
    ("٢٠٢٦", "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"),
    ("２０２６-10", "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"),
]


@pytest.mark.parametrize(("text", "problem"), PERIOD_ERRORS)
def test_parse_period_errors(text, problem):
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert str(info.value) == f"invalid period {text!r}: {problem}"


def test_period_errors_are_usage_errors():
    with pytest.raises(UsageError):
        parse_period("2026-13")


def test_periods_at_the_end_of_the_calendar_fail_cleanly():
    for text in ("9999", "9999-Q4", "9999-12", "9999-W52", "9999-12-31"):
        with pytest.raises(PeriodError, match=r"^date out of range: 9999-"):
            parse_period(text)
    assert parse_period("9999-12-30").label == "9999-12-30"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13-01", "invalid date '2026-13-01': month must be 01 to 12"),
        ("2026-02-29", "invalid date '2026-02-29': day must be 01 to 28 in that month"),
        ("0000-01-01", "invalid date '0000-01-01': year must be 0001 or later"),
        ("2026-10", "invalid date '2026-10': expected YYYY-MM-DD"),
        ("05/10/2026", "invalid date '05/10/2026': expected YYYY-MM-DD"),
        ("٢٠٢٦-01-01", "invalid date '٢٠٢٦-01-01': expected YYYY-MM-DD"),
    ],
)
def test_parse_date_errors(text, message):
    with pytest.raises(PeriodError) as info:
        parse_date(text)
    assert str(info.value) == message


def test_parse_date():
    assert parse_date(" 2026-1-5 ") == date(2026, 1, 5)
    with pytest.raises(PeriodError, match=r"^invalid --from 'x': expected YYYY-MM-DD$"):
        parse_date("x", what="--from")


def test_grain_parse():
    assert Grain.parse(" Month ") is Grain.MONTH
    assert [Grain.parse(g.value) for g in Grain] == CALENDAR
    with pytest.raises(PeriodError) as info:
        Grain.parse("fortnight")
    assert str(info.value) == (
        "unknown grain 'fortnight': expected one of day, week, month, quarter, year"
    )


def test_grain_months():
    assert [g.months for g in Grain] == [0, 0, 1, 3, 12]


# -- construction -----------------------------------------------------------------------------


def test_empty_periods_are_refused():
    with pytest.raises(PeriodError) as info:
        Period(date(2026, 1, 2), date(2026, 1, 2))
    assert str(info.value) == (
        "empty period: 2026-01-02 to 2026-01-02 (the end must come after the start)"
    )
    with pytest.raises(PeriodError, match=r"^--to 2026-01-01 is before --from 2026-01-02$"):
        Period.custom(date(2026, 1, 2), date(2026, 1, 1))


@pytest.mark.parametrize(
    ("start", "end", "grain"),
    [
        (date(2026, 1, 2), date(2026, 2, 2), Grain.MONTH),
        (date(2026, 1, 1), date(2026, 1, 31), Grain.MONTH),
        (date(2026, 1, 6), date(2026, 1, 13), Grain.WEEK),  # a Tuesday
        (date(2026, 2, 1), date(2026, 5, 1), Grain.QUARTER),
        (date(2026, 1, 1), date(2026, 1, 3), Grain.DAY),
    ],
)
def test_calendar_periods_must_be_one_grain(start, end, grain):
    with pytest.raises(PeriodError) as info:
        Period(start, end, grain)
    assert str(info.value) == f"{start}..{end} is not one {grain.value}"


def test_custom_period():
    period = Period.custom(date(2026, 1, 10), date(2026, 1, 20))
    assert (period.start, period.end, period.grain) == (date(2026, 1, 10), date(2026, 1, 21), None)
    assert period.days == 11
    assert period.last_day == date(2026, 1, 20)
    assert period.label == "2026-01-10..2026-01-20"
    assert period.previous() == Period.custom(date(2025, 12, 30), date(2026, 1, 9))
    assert period.shift(2) == Period.custom(date(2026, 2, 1), date(2026, 2, 11))


def test_week_label_uses_the_iso_year():
    assert Period.of(date(2024, 12, 30), Grain.WEEK).label == "2025-W01"
    assert Period.of(date(2021, 1, 3), Grain.WEEK).label == "2020-W53"


def test_periods_sort_even_when_a_custom_range_matches_a_calendar_period():
    month = Period.of(date(2026, 1, 1), Grain.MONTH)
    same_dates = Period.custom(date(2026, 1, 1), date(2026, 1, 31))
    day = Period.of(date(2026, 1, 1), Grain.DAY)
    earlier = Period.of(date(2025, 12, 1), Grain.MONTH)
    assert month != same_dates
    assert sorted([month, same_dates, day, earlier]) == [earlier, day, same_dates, month]
    assert same_dates < month <= month
    assert month > day >= day
    assert max([month, same_dates]) == month


# -- properties -------------------------------------------------------------------------------


@SETTINGS
@given(dates, grains)
def test_the_period_of_a_date_contains_it(d, grain):
    period = Period.of(d, grain)
    assert period.contains(d)
    assert not period.contains(period.end)
    assert not period.contains(period.start - timedelta(days=1))
    assert period.start == bucket_start(d, grain) <= d
    assert Period.of(period.last_day, grain) == period
    assert period.days == (period.end - period.start).days >= 1


@SETTINGS
@given(dates, grains)
def test_labels_parse_back(d, grain):
    period = Period.of(d, grain)
    assert parse_period(period.label) == period


@SETTINGS
@given(dates, grains)
def test_calendar_periods_have_the_expected_shape(d, grain):
    period = Period.of(d, grain)
    s = period.start
    if grain is Grain.DAY:
        assert period.days == 1
    elif grain is Grain.WEEK:
        assert period.days == 7
        assert s.weekday() == 0
    elif grain is Grain.MONTH:
        assert s.day == 1
        assert period.end.day == 1
        assert 28 <= period.days <= 31
    elif grain is Grain.QUARTER:
        assert s.day == 1
        assert s.month in (1, 4, 7, 10)
        assert 90 <= period.days <= 92
    else:
        assert (s.month, s.day) == (1, 1)
        assert period.days in (365, 366)


@SETTINGS
@given(dates, grains, st.integers(min_value=-120, max_value=120))
def test_shift_is_reversible(d, grain, n):
    period = Period.of(d, grain)
    shifted = period.shift(n)
    assert shifted.grain is grain
    assert shifted.shift(-n) == period
    assert (shifted.start > period.start) == (n > 0)


@SETTINGS
@given(dates, st.integers(min_value=0, max_value=400), st.integers(min_value=-50, max_value=50))
def test_custom_shift_is_reversible(first, length, n):
    period = Period.custom(first, first + timedelta(days=length))
    shifted = period.shift(n)
    assert shifted.days == period.days
    assert shifted.grain is None
    assert shifted.shift(-n) == period
    assert (shifted.start - period.start).days == n * period.days


@SETTINGS
@given(
    st.one_of(
        dates.flatmap(lambda d: grains.map(lambda g: Period.of(d, g))),
        dates.flatmap(
            lambda d: st.integers(min_value=0, max_value=400).map(
                lambda k: Period.custom(d, d + timedelta(days=k))
            )
        ),
    )
)
def test_previous_ends_where_the_period_starts(period):
    before = period.previous()
    assert before.end == period.start
    assert before.grain is period.grain
    if period.grain is None:
        assert before.days == period.days
    assert before.shift(1) == period


@SETTINGS
@given(dates, grains)
@example(date(2024, 2, 29), Grain.DAY)
@example(date(2021, 1, 1), Grain.WEEK)
def test_year_ago(d, grain):
    period = Period.of(d, grain)
    ago = period.year_ago()
    assert ago.grain is grain
    if grain in (Grain.DAY, Grain.WEEK):
        # 52 weeks earlier: the same weekday.
        assert (period.start - ago.start).days == 364
        assert ago.start.weekday() == period.start.weekday()
        assert ago.days == period.days
    else:
        # 12 months earlier.
        assert ago.start == add_months(period.start, -12)
        assert ago.start.replace(year=ago.start.year + 1) == period.start
        assert ago.label == f"{int(period.label[:4]) - 1:04d}" + period.label[4:]


@SETTINGS
@given(dates, st.integers(min_value=0, max_value=800))
@example(date(2024, 2, 29), 0)
@example(date(2024, 2, 1), 28)
@example(date(2023, 3, 1), 0)
def test_year_ago_of_a_custom_range_keeps_calendar_dates(first, length):
    last = first + timedelta(days=length)
    ago = Period.custom(first, last).year_ago()

    def one_year_earlier(d):
        if (d.month, d.day) == (2, 29):
            return date(d.year - 1, 2, 28)
        return d.replace(year=d.year - 1)

    assert ago.grain is None
    assert ago.start == one_year_earlier(first)
    assert ago.last_day == one_year_earlier(last)


def test_year_ago_examples():
    assert Period.custom(date(2024, 2, 29), date(2024, 3, 1)).year_ago() == Period.custom(
        date(2023, 2, 28), date(2023, 3, 1)
    )
    assert Period.custom(date(2024, 2, 10), date(2024, 2, 29)).year_ago() == Period.custom(
        date(2023, 2, 10), date(2023, 2, 28)
    )
    assert parse_period("2026-10-05").year_ago() == parse_period("2025-10-06")  # both Mondays
    assert parse_period("2026-W43").year_ago() == parse_period("2025-W43")
    assert parse_period("2021-W01").year_ago().label == "2020-W02"  # 52 weeks, whatever the label
    assert parse_period("2026-Q1").year_ago() == parse_period("2025-Q1")
    assert parse_period("2024-02").year_ago() == parse_period("2023-02")
    assert parse_period("2026").year_ago() == parse_period("2025")


@SETTINGS
@given(dates, st.integers(min_value=-1200, max_value=1200))
@example(date(2026, 1, 31), 1)
@example(date(2024, 3, 31), -1)
@example(date(2024, 2, 29), 12)
def test_add_months(d, n):
    moved = add_months(d, n)
    assert (moved.year * 12 + moved.month) - (d.year * 12 + d.month) == n
    month_end = (add_months(moved.replace(day=1), 1) - timedelta(days=1)).day
    assert moved.day == min(d.day, month_end)


def test_add_months_clamps_month_ends():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 5, 31), 1) == date(2026, 6, 30)
    assert add_months(date(2024, 2, 29), -12) == date(2023, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    with pytest.raises(PeriodError, match=r"^date out of range: 9999-12-01 moved by 1 month\(s\)$"):
        add_months(date(9999, 12, 1), 1)
    with pytest.raises(PeriodError, match=r"^date out of range"):
        add_months(date(1, 1, 1), -1)


# -- ranges -----------------------------------------------------------------------------------


@SETTINGS
@given(dates, st.integers(min_value=0, max_value=60), grains)
def test_periods_between_tiles_an_aligned_range(d, count, grain):
    first = Period.of(d, grain)
    last = first.shift(count)
    periods = periods_between(first.start, last.last_day, grain)
    assert len(periods) == count + 1
    assert periods[0] == first
    assert periods[-1] == last
    for before, after in pairwise(periods):
        assert before.end == after.start  # no gap, no overlap
    assert sum(p.days for p in periods) == (last.end - first.start).days
    assert all(p.grain is grain for p in periods)


@SETTINGS
@given(dates, st.integers(min_value=0, max_value=800), grains)
def test_periods_between_refuses_misaligned_ranges_naming_an_aligned_date(first, length, grain):
    last = first + timedelta(days=length)
    try:
        periods = periods_between(first, last, grain)
    except PeriodError as error:
        message = str(error)
        if bucket_start(first, grain) != first:
            aligned = bucket_start(first, grain)
            assert message == (
                f"--from {first} is not the first day of a {grain.value}; "
                f"use {aligned} or a finer --grain"
            )
        else:
            aligned = Period.of(last, grain).last_day
            assert message == (
                f"--to {last} is not the last day of a {grain.value}; "
                f"use {aligned} or a finer --grain"
            )
        # The suggested date is aligned, and it is the nearest one that keeps the whole range.
        if message.startswith("--from"):
            assert Period.of(aligned, grain).start == aligned
            assert Period.of(first, grain).start == aligned < first
        else:
            assert Period.of(aligned, grain).last_day == aligned
            assert Period.of(last, grain).last_day == aligned > last
        return
    assert periods[0].start == first
    assert periods[-1].last_day == last


MISALIGNED = [
    (
        date(2026, 1, 5),
        date(2026, 1, 31),
        Grain.MONTH,
        "--from 2026-01-05 is not the first day of a month; use 2026-01-01 or a finer --grain",
    ),
    (
        date(2026, 1, 1),
        date(2026, 2, 27),
        Grain.MONTH,
        "--to 2026-02-27 is not the last day of a month; use 2026-02-28 or a finer --grain",
    ),
    (
        date(2026, 1, 7),
        date(2026, 1, 18),
        Grain.WEEK,
        "--from 2026-01-07 is not the first day of a week; use 2026-01-05 or a finer --grain",
    ),
    (
        date(2026, 1, 5),
        date(2026, 1, 17),
        Grain.WEEK,
        "--to 2026-01-17 is not the last day of a week; use 2026-01-18 or a finer --grain",
    ),
    (
        date(2026, 2, 1),
        date(2026, 6, 30),
        Grain.QUARTER,
        "--from 2026-02-01 is not the first day of a quarter; use 2026-01-01 or a finer --grain",
    ),
    (
        date(2026, 1, 1),
        date(2026, 12, 30),
        Grain.YEAR,
        "--to 2026-12-30 is not the last day of a year; use 2026-12-31 or a finer --grain",
    ),
    (date(2026, 2, 1), date(2026, 1, 31), Grain.DAY, "--to 2026-01-31 is before --from 2026-02-01"),
]


@pytest.mark.parametrize(("first", "last", "grain", "message"), MISALIGNED)
def test_periods_between_messages(first, last, grain, message):
    with pytest.raises(PeriodError) as info:
        periods_between(first, last, grain)
    assert str(info.value) == message


def test_periods_between_examples():
    assert [p.label for p in periods_between(date(2026, 1, 1), date(2026, 3, 31), Grain.MONTH)] == [
        "2026-01",
        "2026-02",
        "2026-03",
    ]
    assert [
        p.label for p in periods_between(date(2026, 1, 1), date(2026, 12, 31), Grain.QUARTER)
    ] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    assert len(periods_between(date(2024, 1, 1), date(2024, 12, 31), Grain.DAY)) == 366
    assert periods_between(date(2026, 1, 5), date(2026, 1, 11), Grain.WEEK) == [
        parse_period("2026-W02")
    ]
