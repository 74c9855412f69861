"""Due dates typed in Slack (`friday`, `tomorrow 9am`, `2026-12-01`) read in the user's zone.

dateparser does the reading, with three corrections learnt the hard way:

- It is always told `languages=["en"]`: without it an unparseable word makes it load
  every locale (seconds and tens of MB).
- It parses naive local times and we attach the zone with zoneinfo ourselves. Its own
  RETURN_AS_TIMEZONE_AWARE keeps the base date's UTC offset, so `tomorrow` across a DST
  change comes out an hour wrong.
- Weekdays, `eod` and `eow` are resolved here: dateparser moves `friday` said on a
  Friday to next week and does not know `eod`/`eow` at all.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateparser.date import DateData, DateDataParser

from core.clock import utcnow

END_OF_DAY = time(23, 59)
FRIDAY = 4
WEEKDAYS = {
    "monday": 0, "mon": 0,
    "tuesday": 1, "tue": 1, "tues": 1,
    "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
TIME_HINT = re.compile(r"\d:\d|\d\s*[ap]\.?m\b|\bnoon\b|\bmidnight\b")
UNREADABLE = "Couldn't read '{text}' as a date. Try tomorrow, friday, 2026-12-01 or in 3 days."
UNREADABLE_TIME = "Couldn't read the time in '{text}'. Try tomorrow 14:00 or friday 9am."
OUT_OF_RANGE = "'{text}' is out of range: a due date must fall between the years 1 and 9999."


class DueDateError(ValueError):
    """The text is not a date; the message quotes it and shows what works."""


def parse_due(text: str, *, now: datetime, timezone: str) -> datetime:
    """The moment `text` means for a user in `timezone`, as an aware UTC datetime.

    `now` must be aware. A day without a time means the end of that day (23:59 local).
    Words are read forward from `now`: `friday` is today on a Friday, `next friday` is
    a week later, `dec 5` is next year once this year's has passed.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(timezone)
    local_now = now.astimezone(zone).replace(tzinfo=None)
    phrase = resolve_keywords(" ".join(text.lower().split()), today=local_now.date())
    data = _read(phrase, base=local_now)
    if data.date_obj is None or "day" not in data.parts:
        raise DueDateError(UNREADABLE.format(text=text.strip()))
    if "time" not in data.parts and TIME_HINT.search(phrase):
        raise DueDateError(UNREADABLE_TIME.format(text=text.strip()))
    try:
        return _to_utc(data.date_obj, has_time="time" in data.parts, zone=zone)
    except OverflowError:
        # 9999-12-31 west of UTC (or 0001-01-01 east of it) is past the last (or before
        # the first) moment a datetime can hold once converted to UTC.
        raise DueDateError(OUT_OF_RANGE.format(text=text.strip())) from None


def resolve_keywords(phrase: str, *, today: date) -> str:
    """Replace `eod`, `eow`, `[next|this] <weekday>` by ISO dates, keeping the other words."""
    words = phrase.split()
    out: list[str] = []
    for index, word in enumerate(words):
        after = index > 0 and words[index - 1] == "next"
        if word in {"next", "this"} and index + 1 < len(words) and words[index + 1] in WEEKDAYS:
            continue
        out.append(_keyword_date(word, today=today, strictly_after=after) or word)
    return " ".join(out)


def warm_up() -> None:
    """Pay dateparser's one-off cost (about 0.3 s loading English) before the first user does.

    Meant for the app's `before_serving` hook; never run at import time.
    """
    parse_due("tomorrow", now=utcnow(), timezone="UTC")


def _keyword_date(word: str, *, today: date, strictly_after: bool) -> str | None:
    if word == "eod":
        return today.isoformat()
    weekday = FRIDAY if word == "eow" else WEEKDAYS.get(word)
    if weekday is None:
        return None
    return _next_weekday(today, weekday, strictly_after=strictly_after).isoformat()


def _next_weekday(today: date, weekday: int, *, strictly_after: bool) -> date:
    days = (weekday - today.weekday()) % 7
    if days == 0 and strictly_after:
        days = 7
    return today + timedelta(days=days)


def _read(phrase: str, *, base: datetime) -> DateData:
    """dateparser keeps RELATIVE_BASE in a parser's settings, so each call gets a parser.

    Building one costs about 60 µs; the expensive part, the English locale data, is cached
    by dateparser for the whole process, so the first-parse cost is still paid only once.
    """
    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base}
    return DateDataParser(languages=["en"], settings=settings).get_date_data(phrase)


def _to_utc(value: datetime, *, has_time: bool, zone: ZoneInfo) -> datetime:
    """Naive results are wall-clock times in `zone`; a zone written in the text wins.

    A wall-clock time skipped by a DST change (02:30 on a spring-forward night) is read
    with the offset before the change, so it lands an hour later: zoneinfo's `fold=0`.
    """
    if not has_time:
        value = datetime.combine(value.date(), END_OF_DAY)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)
