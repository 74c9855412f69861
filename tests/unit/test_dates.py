from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.dates import DueDateError, parse_due

WEDNESDAY = datetime(2026, 10, 28, 10, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local_now(timezone: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", utc(2026, 10, 28, 23, 59)),
        ("tomorrow", utc(2026, 10, 29, 23, 59)),
        ("friday", utc(2026, 10, 30, 23, 59)),
        ("fri", utc(2026, 10, 30, 23, 59)),
        ("Monday", utc(2026, 11, 2, 23, 59)),
        ("wednesday", utc(2026, 10, 28, 23, 59)),
        ("this wednesday", utc(2026, 10, 28, 23, 59)),
        ("next wednesday", utc(2026, 11, 4, 23, 59)),
        ("next monday", utc(2026, 11, 2, 23, 59)),
        ("  Next   Monday ", utc(2026, 11, 2, 23, 59)),
        ("in 3 days", utc(2026, 10, 31, 23, 59)),
        ("in 2 weeks", utc(2026, 11, 11, 23, 59)),
        ("2026-12-01", utc(2026, 12, 1, 23, 59)),
        ("2026-12-01T14:00", utc(2026, 12, 1, 14, 0)),
        ("dec 5", utc(2026, 12, 5, 23, 59)),
        ("5 dec", utc(2026, 12, 5, 23, 59)),
        ("jan 3", utc(2027, 1, 3, 23, 59)),
        ("eod", utc(2026, 10, 28, 23, 59)),
        ("eow", utc(2026, 10, 30, 23, 59)),
    ],
)
def test_a_day_without_a_time_is_the_end_of_that_day(text: str, expected: datetime) -> None:
    assert parse_due(text, now=WEDNESDAY, timezone="UTC") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("friday 14:00", utc(2026, 10, 30, 14, 0)),
        ("tomorrow 9am", utc(2026, 10, 29, 9, 0)),
        ("wednesday 17:00", utc(2026, 10, 28, 17, 0)),
        ("next wednesday 9am", utc(2026, 11, 4, 9, 0)),
        ("in 2 days 09:00", utc(2026, 10, 30, 9, 0)),
        ("dec 5 2pm", utc(2026, 12, 5, 14, 0)),
        ("tomorrow 00:00", utc(2026, 10, 29, 0, 0)),
        ("tomorrow 10:00", utc(2026, 10, 29, 10, 0)),
    ],
)
def test_an_explicit_time_is_kept(text: str, expected: datetime) -> None:
    assert parse_due(text, now=WEDNESDAY, timezone="UTC") == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 10, 30, 10, 0), utc(2026, 10, 30, 23, 59)),  # Friday: today
        (utc(2026, 10, 31, 10, 0), utc(2026, 11, 6, 23, 59)),  # Saturday: the coming one
    ],
)
def test_eow_is_the_coming_friday_or_today_on_a_friday(now: datetime, expected: datetime) -> None:
    assert parse_due("eow", now=now, timezone="UTC") == expected
    assert parse_due("friday", now=now, timezone="UTC") == expected


def test_the_result_is_aware_utc_in_the_users_zone() -> None:
    # 20:00 UTC on Wednesday is already Thursday 05:00 in Tokyo.
    due = parse_due("today", now=utc(2026, 10, 28, 20, 0), timezone="Asia/Tokyo")
    assert due == utc(2026, 10, 29, 14, 59)
    assert due.tzinfo is UTC


def test_a_zone_written_in_the_text_wins_over_the_users_zone() -> None:
    due = parse_due("2026-12-01T14:00Z", now=WEDNESDAY, timezone="America/New_York")
    assert due == utc(2026, 12, 1, 14, 0)


class TestAcrossDaylightSavingChanges:
    NEW_YORK_SATURDAY = local_now("America/New_York", 2026, 10, 31, 12, 0)  # EDT, UTC-4
    BERLIN_SATURDAY = local_now("Europe/Berlin", 2026, 3, 28, 12, 0)  # CET, UTC+1

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("today", utc(2026, 11, 1, 3, 59)),  # 23:59 EDT
            ("tomorrow", utc(2026, 11, 2, 4, 59)),  # 23:59 EST, UTC-5
            ("in 2 days 09:00", utc(2026, 11, 2, 14, 0)),  # 09:00 EST
            ("monday 9am", utc(2026, 11, 2, 14, 0)),
        ],
    )
    def test_new_york_in_november(self, text: str, expected: datetime) -> None:
        assert parse_due(text, now=self.NEW_YORK_SATURDAY, timezone="America/New_York") == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("today", utc(2026, 3, 28, 22, 59)),  # 23:59 CET
            ("tomorrow", utc(2026, 3, 29, 21, 59)),  # 23:59 CEST, UTC+2
            ("tomorrow 09:00", utc(2026, 3, 29, 7, 0)),
            ("in 2 days 09:00", utc(2026, 3, 30, 7, 0)),
        ],
    )
    def test_berlin_in_march(self, text: str, expected: datetime) -> None:
        assert parse_due(text, now=self.BERLIN_SATURDAY, timezone="Europe/Berlin") == expected


@pytest.mark.parametrize("text", ["blursday", "", "december", "2026", "a", "2026-02-30"])
def test_what_is_not_a_day_is_refused_with_examples(text: str) -> None:
    with pytest.raises(DueDateError) as caught:
        parse_due(text, now=WEDNESDAY, timezone="UTC")
    assert str(caught.value) == (
        f"Couldn't read '{text}' as a date. Try tomorrow, friday, 2026-12-01 or in 3 days."
    )


def test_a_time_that_cannot_be_read_is_refused_rather_than_dropped() -> None:
    with pytest.raises(DueDateError, match="Couldn't read the time in 'tomorrow 25:00'"):
        parse_due("tomorrow 25:00", now=WEDNESDAY, timezone="UTC")


@pytest.mark.parametrize(
    ("text", "timezone"),
    [
        ("9999-12-31", "America/New_York"),  # 23:59 in New York is 04:59 in year 10000 UTC
        ("9999-12-31 20:00", "America/Los_Angeles"),
        ("0001-01-01 01:00", "Asia/Kolkata"),  # before year 1 in UTC
    ],
)
def test_a_day_past_the_ends_of_the_calendar_in_utc_is_refused_as_out_of_range(
    text: str, timezone: str
) -> None:
    with pytest.raises(DueDateError) as caught:
        parse_due(text, now=WEDNESDAY, timezone=timezone)
    assert str(caught.value) == (
        f"'{text}' is out of range: a due date must fall between the years 1 and 9999."
    )


def test_the_last_day_of_the_calendar_is_still_a_due_date_where_it_fits_in_utc() -> None:
    assert parse_due("9999-12-31", now=WEDNESDAY, timezone="Asia/Kolkata") == utc(
        9999, 12, 31, 18, 29
    )


def test_due_date_error_is_a_value_error() -> None:
    assert issubclass(DueDateError, ValueError)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_due("tomorrow", now=datetime(2026, 10, 28, 10, 0), timezone="UTC")
