"""Office-hours arithmetic (booking.hours): open-now at the edges, next opening, reply time, schema.org."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from booking.demo import DEMO_WEEKLY
from booking.hours import DayException, Schedule, TimeRange, range_problems

NEW_YORK = ZoneInfo("America/New_York")
# 2026-06-01 is a Monday; New York is on EDT (UTC-4) all month.
MONDAY = date(2026, 6, 1)


def at(day: int, hour: int, minute: int = 0, tz=NEW_YORK) -> datetime:
    """June 2026, day-of-month `day`, at hour:minute in `tz`."""
    return datetime(2026, 6, day, hour, minute, tzinfo=tz)


def demo_schedule(*exceptions: DayException, tz: str = "America/New_York") -> Schedule:
    return Schedule.build(timezone=tz, weekly=DEMO_WEEKLY, exceptions=exceptions)


def test_a_minute_before_opening_is_closed_and_opens_today():
    status = demo_schedule().status(at(1, 8, 59))
    assert not status.is_open
    assert status.text == "Closed, opens today 9:00"


def test_at_opening_time_the_office_is_open_until_closing():
    status = demo_schedule().status(at(1, 9, 0))
    assert status.is_open
    assert status.text == "Open now, until 18:00"


def test_a_minute_before_closing_is_still_open():
    assert demo_schedule().status(at(1, 17, 59)).text == "Open now, until 18:00"


def test_at_closing_time_the_office_is_closed_and_opens_next_day():
    status = demo_schedule().status(at(1, 18, 0))
    assert not status.is_open
    assert status.text == "Closed, opens Tuesday 9:00"


def test_just_before_midnight_the_next_opening_is_the_following_weekday():
    # Wednesday 23:59, Thursday opens 9:00.
    assert demo_schedule().status(at(3, 23, 59)).text == "Closed, opens Thursday 9:00"


def test_just_after_midnight_the_next_opening_is_today():
    assert demo_schedule().status(at(4, 0, 0)).text == "Closed, opens today 9:00"


def test_saturday_afternoon_skips_the_closed_sunday():
    assert demo_schedule().status(at(6, 12, 0)).text == "Closed, opens Monday 9:00"


def test_a_closed_exception_day_is_closed_all_day_and_skipped():
    holiday = DayException(day=date(2026, 6, 4), closed=True, note="Holiday")
    schedule = demo_schedule(holiday)
    assert schedule.status(at(4, 10, 0)).text == "Closed, opens Friday 9:00"
    assert schedule.status(at(3, 18, 30)).text == "Closed, opens Friday 9:00"


def test_changed_hours_on_an_exception_day_replace_the_weekly_hours():
    short_day = DayException(day=date(2026, 6, 5), closed=False, ranges=(TimeRange(time(10), time(13)),))
    schedule = demo_schedule(short_day)
    assert schedule.status(at(5, 9, 30)).text == "Closed, opens today 10:00"
    assert schedule.status(at(5, 12, 0)).text == "Open now, until 13:00"
    assert schedule.status(at(5, 13, 0)).text == "Closed, opens Saturday 9:00"


def test_status_is_computed_in_the_office_timezone_not_the_servers(settings):
    settings.TIME_ZONE = "UTC"
    schedule = demo_schedule()
    # 12:59 UTC is 8:59 in New York; 13:00 UTC is 9:00.
    assert schedule.status(datetime(2026, 6, 1, 12, 59, tzinfo=UTC)).text == "Closed, opens today 9:00"
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        assert schedule.status(datetime(2026, 6, 1, 13, 0, tzinfo=UTC)).text == "Open now, until 18:00"


def test_an_office_east_of_utc_is_open_while_the_utc_date_is_still_the_day_before():
    schedule = demo_schedule(tz="Pacific/Auckland")
    # Sunday 21:30 UTC is Monday 9:30 in Auckland (NZST, UTC+12).
    sunday_evening_utc = datetime(2026, 5, 31, 21, 30, tzinfo=UTC)
    assert schedule.status(sunday_evening_utc).text == "Open now, until 18:00"
    assert [row.name for row in schedule.week(sunday_evening_utc) if row.is_today] == ["Monday"]


def test_touching_ranges_count_as_one_opening():
    schedule = Schedule.build(
        timezone="America/New_York", weekly=[(0, time(9), time(12)), (0, time(12), time(15))]
    )
    assert schedule.status(at(1, 11, 0)).text == "Open now, until 15:00"


def test_a_lunch_break_between_two_ranges_is_closed_and_reopens_the_same_day():
    schedule = Schedule.build(
        timezone="America/New_York", weekly=[(0, time(9), time(12)), (0, time(13), time(17))]
    )
    assert schedule.status(at(1, 12, 30)).text == "Closed, opens today 13:00"
    assert schedule.status(at(1, 13, 0)).text == "Open now, until 17:00"


def test_an_opening_more_than_a_week_away_names_its_date():
    closures = [DayException(day=date(2026, 6, d), closed=True) for d in range(2, 15)]
    assert demo_schedule(*closures).status(at(1, 18, 0)).text == "Closed, opens Monday June 15 9:00"


def test_an_office_that_never_opens_just_says_closed():
    assert Schedule.build(timezone="America/New_York", weekly=[]).status(at(1, 10)).text == "Closed"


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError):
        demo_schedule().status(datetime(2026, 6, 1, 10, 0))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(1, 7, 0), "by the end of Monday, June 1"),  # before opening: the same day
        (at(1, 10, 0), "by the end of Tuesday, June 2"),  # during opening: the next open day
        (at(6, 13, 0), "by the end of Monday, June 8"),  # Saturday afternoon: skips Sunday
    ],
)
def test_expected_reply_time_follows_the_office_hours(now, expected):
    assert demo_schedule().reply_by_text(now) == expected


def test_expected_reply_time_skips_a_closure():
    closed_monday = DayException(day=date(2026, 6, 8), closed=True, note="Training day")
    assert demo_schedule(closed_monday).reply_by_text(at(6, 13, 0)) == "by the end of Tuesday, June 9"


def test_the_week_marks_today_in_the_office_timezone():
    # Tuesday 02:00 UTC is still Monday evening in New York.
    rows = demo_schedule().week(datetime(2026, 6, 2, 2, 0, tzinfo=UTC))
    assert [row.name for row in rows if row.is_today] == ["Monday"]
    assert [row.hours_text for row in rows] == [
        "9:00–18:00",
        "9:00–18:00",
        "9:00–18:00",
        "9:00–15:00",
        "9:00–15:00",
        "9:00–12:00",
        "Closed",
    ]


def test_opening_hours_specification_groups_days_and_lists_upcoming_closures():
    holiday = DayException(day=date(2026, 7, 3), closed=True, note="Independence Day")
    specification = demo_schedule(holiday).opening_hours_specification(at(1, 10))
    assert specification[0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ["https://schema.org/Saturday"],
        "opens": "09:00",
        "closes": "12:00",
    }
    weekdays = next(spec for spec in specification if spec.get("closes") == "18:00")
    assert weekdays["dayOfWeek"] == [
        "https://schema.org/Monday",
        "https://schema.org/Tuesday",
        "https://schema.org/Wednesday",
    ]
    assert specification[-1] == {
        "@type": "OpeningHoursSpecification",
        "validFrom": "2026-07-03",
        "validThrough": "2026-07-03",
        "opens": "00:00",
        "closes": "00:00",
    }


def test_range_problems_refuse_a_range_that_ends_before_it_starts():
    problems = range_problems([("row", 0, time(18), time(9))])
    assert problems == [
        ("row", "The closing time (9:00) must be later than the opening time (18:00) on the same day.")
    ]


def test_range_problems_refuse_overlaps_but_accept_touching_ranges():
    assert range_problems([("a", 0, time(9), time(12)), ("b", 0, time(12), time(15))]) == []
    assert range_problems([("a", 0, time(9), time(12)), ("b", 1, time(10), time(11))]) == []
    problems = range_problems(
        [("long", 0, time(9), time(18)), ("inside", 0, time(10), time(11)), ("later", 0, time(12), time(13))]
    )
    assert [key for key, _ in problems] == ["inside", "later"]
    assert "Monday 10:00–11:00 overlaps 9:00–18:00" in problems[0][1]
