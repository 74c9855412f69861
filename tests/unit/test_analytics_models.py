"""Analytics windows, buckets and report weeks: pure date arithmetic, no database."""

from datetime import UTC, date, datetime, timedelta

import pytest

from core.errors import ValidationFailed
from core.services.analytics import AnalyticsScope, DurationStats
from core.services.analytics_scope import buckets
from dashboards.analytics import (
    DashboardFilters,
    WeeklyReport,
    default_filters,
    report_week,
)

BERLIN = "Europe/Berlin"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_local_days_in_berlin_are_23_and_25_hours_on_the_change_days():
    spring = buckets(
        AnalyticsScope.for_dates(date(2026, 3, 28), date(2026, 3, 30), timezone=BERLIN)
    )
    assert [(b.start.day, b.lo, b.hi - b.lo) for b in spring] == [
        (28, utc(2026, 3, 27, 23), timedelta(hours=24)),
        (29, utc(2026, 3, 28, 23), timedelta(hours=23)),
        (30, utc(2026, 3, 29, 22), timedelta(hours=24)),
    ]
    autumn = buckets(
        AnalyticsScope.for_dates(date(2026, 10, 25), date(2026, 10, 25), timezone=BERLIN)
    )
    assert [(b.lo, b.hi) for b in autumn] == [(utc(2026, 10, 24, 22), utc(2026, 10, 25, 23))]


def test_weeks_start_on_monday_and_are_clipped_to_the_scope():
    scope = AnalyticsScope(utc(2026, 3, 4, 12), utc(2026, 3, 10, 6))  # Wednesday..Tuesday
    weeks = buckets(scope, "week")
    assert [(b.start, b.lo, b.hi) for b in weeks] == [
        (date(2026, 3, 2), utc(2026, 3, 4, 12), utc(2026, 3, 9)),
        (date(2026, 3, 9), utc(2026, 3, 9), utc(2026, 3, 10, 6)),
    ]
    days = buckets(scope)
    assert (days[0].start, days[-1].start, len(days)) == (date(2026, 3, 4), date(2026, 3, 10), 7)


def test_a_scope_ending_at_midnight_does_not_touch_the_next_day():
    scope = AnalyticsScope(utc(2026, 3, 2), utc(2026, 3, 4))
    assert [b.start.day for b in buckets(scope)] == [2, 3]


def test_an_unknown_bucket_is_refused():
    with pytest.raises(ValidationFailed):
        buckets(AnalyticsScope(utc(2026, 3, 2), utc(2026, 3, 4)), "month")


@pytest.mark.parametrize(
    ("now", "monday"),
    [
        (utc(2026, 3, 30, 7), date(2026, 3, 23)),  # Monday 09:00 CEST: the week just ended
        (utc(2026, 3, 29, 22), date(2026, 3, 23)),  # Monday 00:00 CEST
        (utc(2026, 3, 29, 21, 59), date(2026, 3, 16)),  # Sunday 23:59: week not over yet
        (utc(2026, 4, 2, 12), date(2026, 3, 23)),  # Thursday
    ],
)
def test_the_report_week_is_the_last_complete_local_week(now, monday):
    assert report_week(now, BERLIN) == monday


def test_default_filters_are_the_last_28_local_days_including_today():
    filters = default_filters(utc(2026, 3, 29, 23, 30), BERLIN)  # already 03-30 in Berlin
    assert (filters.start, filters.end, filters.timezone) == (
        date(2026, 3, 3),
        date(2026, 3, 30),
        BERLIN,
    )
    scope = filters.scope()
    assert (scope.start, scope.end) == (utc(2026, 3, 2, 23), utc(2026, 3, 30, 22))


def test_dashboard_filters_with_the_end_before_the_start_are_refused():
    with pytest.raises(ValidationFailed):
        DashboardFilters(start=date(2026, 3, 5), end=date(2026, 3, 4)).scope()


def test_throughput_change_compares_with_last_week():
    none = DurationStats(0, None, None, None)
    report = WeeklyReport(
        week_start=date(2026, 3, 23),
        week_end=date(2026, 3, 29),
        timezone=BERLIN,
        project_key="WEB",
        completed_this_week=7,
        completed_last_week=4,
        created_this_week=5,
        cycle_time=none,
        daily=[],
        workload=[],
        oldest_open=[],
    )
    assert report.throughput_change == 3
