"""Office-hours arithmetic in plain Python: no database, no request, `now` always passed in.

`Schedule` holds a weekly pattern (several ranges a day; a day without ranges is closed), dated exceptions (closed,
or different hours) and the office's timezone. Everything is computed in that timezone, whatever the server's is:
whether the office is open now, when it next opens, by when a request can expect a reply, and the schema.org
`openingHoursSpecification` for search engines. The models in `booking.models.office_hours` build a `Schedule`.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

WEEKDAY_NAMES = list(calendar.day_name)  # Monday first, like date.weekday()
SCHEMA_DAYS = [f"https://schema.org/{name}" for name in WEEKDAY_NAMES]
# How far ahead to look for the next opening: far enough to cross a long closure, bounded so it always ends.
SEARCH_DAYS = 366
# What a visitor is told about the reply when no office hours are published, so no day can be named.
REPLY_BY_WITHOUT_HOURS = "within two working days"


@cache
def _timezone_names() -> frozenset[str]:
    """Every IANA zone name; reading them walks the whole timezone database, so it is done once."""
    return frozenset(available_timezones())


def is_valid_timezone(name: str) -> bool:
    return name in _timezone_names()


def format_time(value: time) -> str:
    """9:00, 18:30: the way the practice writes times."""
    return f"{value.hour}:{value.minute:02d}"


def format_day(day: date, today: date) -> str:
    """ "today", a weekday name within the coming week, else the weekday with its date."""
    if day == today:
        return "today"
    if 0 < (day - today).days < 7:
        return WEEKDAY_NAMES[day.weekday()]
    return f"{WEEKDAY_NAMES[day.weekday()]} {calendar.month_name[day.month]} {day.day}"


@dataclass(frozen=True, order=True)
class TimeRange:
    opens: time
    closes: time

    def __str__(self) -> str:
        return f"{format_time(self.opens)}–{format_time(self.closes)}"

    def contains(self, moment: time) -> bool:
        """Open from `opens` (included) to `closes` (excluded): at 18:00 an office closing at 18:00 is closed."""
        return self.opens <= moment < self.closes


@dataclass(frozen=True)
class DayException:
    """A dated change: `closed`, or other `ranges` than the weekly pattern, with a note such as "Holiday"."""

    day: date
    closed: bool = True
    ranges: tuple[TimeRange, ...] = ()
    note: str = ""

    def describe(self) -> str:
        hours = "closed" if self.closed or not self.ranges else ", ".join(str(r) for r in self.ranges)
        return f"{hours} ({self.note})" if self.note else hours


@dataclass(frozen=True)
class Status:
    is_open: bool
    text: str
    until: datetime | None = None
    next_opening: datetime | None = None


@dataclass(frozen=True)
class DayRow:
    weekday: int
    name: str
    ranges: tuple[TimeRange, ...]
    is_today: bool

    @property
    def hours_text(self) -> str:
        return ", ".join(str(r) for r in self.ranges) if self.ranges else "Closed"


@dataclass(frozen=True)
class Schedule:
    timezone: ZoneInfo
    weekly: dict[int, tuple[TimeRange, ...]] = field(default_factory=dict)
    exceptions: dict[date, DayException] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        timezone: str,
        weekly: Iterable[tuple[int, time, time]],
        exceptions: Iterable[DayException] = (),
    ) -> Schedule:
        days: dict[int, list[TimeRange]] = {}
        for weekday, opens, closes in weekly:
            days.setdefault(weekday, []).append(TimeRange(opens, closes))
        return cls(
            timezone=ZoneInfo(timezone),
            weekly={day: tuple(sorted(ranges)) for day, ranges in days.items()},
            exceptions={exception.day: exception for exception in exceptions},
        )

    # -- one day -----------------------------------------------------------------------------------------------
    def local(self, now: datetime) -> datetime:
        if now.tzinfo is None:
            raise ValueError("`now` must be timezone-aware")
        return now.astimezone(self.timezone)

    def ranges_on(self, day: date) -> tuple[TimeRange, ...]:
        """The day's opening ranges, sorted, with its exception applied."""
        exception = self.exceptions.get(day)
        if exception is not None:
            return () if exception.closed else tuple(sorted(exception.ranges))
        return self.weekly.get(day.weekday(), ())

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.timezone)

    # -- now and next ------------------------------------------------------------------------------------------
    def open_until(self, now: datetime) -> datetime | None:
        """When the office closes if it is open at `now` (touching ranges count as one), else None."""
        local = self.local(now)
        ranges = self.ranges_on(local.date())
        current = next((r for r in ranges if r.contains(local.time())), None)
        if current is None:
            return None
        closes = current.closes
        for later in ranges:
            if later.opens <= closes < later.closes:
                closes = later.closes
        return self._at(local.date(), closes)

    def next_opening(self, now: datetime) -> datetime | None:
        """The first opening strictly after `now`, across days and exceptions; None if none within a year."""
        local = self.local(now)
        for offset in range(SEARCH_DAYS):
            day = local.date() + timedelta(days=offset)
            for opening in self.ranges_on(day):
                if offset > 0 or opening.opens > local.time():
                    return self._at(day, opening.opens)
        return None

    def status(self, now: datetime) -> Status:
        local = self.local(now)
        until = self.open_until(now)
        if until is not None:
            return Status(True, f"Open now, until {format_time(until.time())}", until=until)
        opening = self.next_opening(now)
        if opening is None:
            return Status(False, "Closed")
        when = format_day(opening.date(), local.date())
        return Status(False, f"Closed, opens {when} {format_time(opening.time())}", next_opening=opening)

    def reply_by(self, now: datetime) -> date | None:
        """The day a request sent at `now` can expect a reply by: the next day the office opens after `now`.

        Sent before opening on a working day: that day. Sent during or after the last opening of the day: the next
        open day, skipping closed days and closures.
        """
        opening = self.next_opening(now)
        return opening.date() if opening else None

    def reply_by_text(self, now: datetime) -> str:
        day = self.reply_by(now)
        if day is None:
            return "as soon as the office reopens"
        return f"by the end of {WEEKDAY_NAMES[day.weekday()]}, {calendar.month_name[day.month]} {day.day}"

    # -- presentation ------------------------------------------------------------------------------------------
    def week(self, now: datetime) -> list[DayRow]:
        """The regular weekly hours, Monday to Sunday, with today (in the office's timezone) marked."""
        today = self.local(now).weekday()
        return [
            DayRow(
                weekday=day, name=WEEKDAY_NAMES[day], ranges=self.weekly.get(day, ()), is_today=day == today
            )
            for day in range(7)
        ]

    def upcoming_exceptions(self, now: datetime, days: int = 60) -> list[DayException]:
        today = self.local(now).date()
        last = today + timedelta(days=days)
        return [self.exceptions[day] for day in sorted(self.exceptions) if today <= day <= last]

    def opening_hours_specification(self, now: datetime) -> list[dict]:
        """schema.org OpeningHoursSpecification: the weekly pattern grouped by hours, then upcoming exceptions."""
        grouped: dict[TimeRange, list[str]] = {}
        for day in range(7):
            for opening in self.weekly.get(day, ()):
                grouped.setdefault(opening, []).append(SCHEMA_DAYS[day])
        specification = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": days,
                "opens": opening.opens.strftime("%H:%M"),
                "closes": opening.closes.strftime("%H:%M"),
            }
            for opening, days in sorted(grouped.items())
        ]
        for exception in self.upcoming_exceptions(now, days=366):
            ranges = () if exception.closed else exception.ranges
            # schema.org marks a closed day with opens and closes both at midnight.
            for opening in ranges or (TimeRange(time(0), time(0)),):
                specification.append(
                    {
                        "@type": "OpeningHoursSpecification",
                        "validFrom": exception.day.isoformat(),
                        "validThrough": exception.day.isoformat(),
                        "opens": opening.opens.strftime("%H:%M"),
                        "closes": opening.closes.strftime("%H:%M"),
                    }
                )
        return specification


def range_problems(
    ranges: Iterable[tuple[object, int, time | None, time | None]],
) -> list[tuple[object, str]]:
    """Check weekly ranges given as (key, weekday, opens, closes); return (key, message) for each problem.

    A range must end after it starts, and must not overlap another range on the same day (touching is fine:
    9:00–12:00 and 12:00–15:00). The key tells the caller which row to put the message on.
    """
    problems: list[tuple[object, str]] = []
    by_day: dict[int, list[tuple[object, time, time]]] = {}
    for key, weekday, opens, closes in ranges:
        if opens is None or closes is None:
            continue
        if closes <= opens:
            problems.append(
                (
                    key,
                    f"The closing time ({format_time(closes)}) must be later than the opening time "
                    f"({format_time(opens)}) on the same day.",
                )
            )
            continue
        by_day.setdefault(weekday, []).append((key, opens, closes))
    for weekday, day_ranges in by_day.items():
        day_ranges.sort(key=lambda item: (item[1], item[2]))
        latest: tuple[time, time] | None = None
        for key, opens, closes in day_ranges:
            if latest is not None and opens < latest[1]:
                problems.append(
                    (
                        key,
                        f"{WEEKDAY_NAMES[weekday]} {format_time(opens)}–{format_time(closes)} overlaps "
                        f"{format_time(latest[0])}–{format_time(latest[1])}. "
                        "Join them into one range or change the times.",
                    )
                )
            if latest is None or closes > latest[1]:
                latest = (opens, closes)
    return problems
