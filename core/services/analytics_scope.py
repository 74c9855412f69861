"""What an analytics question covers: a time window, a time zone and optional filters.

Charts count per local day (or per ISO week starting Monday) in the organization's time
zone. A local day is not always 24 hours (in Europe/Berlin 2026-03-29 has 23), so bucket
edges are computed here as UTC instants of local midnights, and SQL only compares
instants with them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core import validation
from core.errors import ValidationFailed

MAX_DAYS = 400
BUCKETS = ("day", "week")


@dataclass(frozen=True)
class AnalyticsScope:
    start: datetime  # UTC-aware, inclusive
    end: datetime  # UTC-aware, exclusive
    timezone: str = "UTC"  # IANA; day/week buckets are local days / ISO weeks from Monday
    project_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        validation.timezone(self.timezone)
        for name in ("start", "end"):
            moment = getattr(self, name)
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValidationFailed.on(name, f"{name} needs a time zone (use UTC)")
        if self.start >= self.end:
            raise ValidationFailed.on("end", "end must be after start")
        if self.end - self.start > timedelta(days=MAX_DAYS):
            raise ValidationFailed.on("end", f"a scope covers at most {MAX_DAYS} days")

    @classmethod
    def for_dates(
        cls,
        first: date,
        last: date,
        *,
        timezone: str = "UTC",
        project_id: uuid.UUID | None = None,
        assignee_id: uuid.UUID | None = None,
    ) -> AnalyticsScope:
        """The local days `first`..`last` (both included) in `timezone`."""
        zone = ZoneInfo(validation.timezone(timezone))
        if last < first:
            raise ValidationFailed.on("end", "the last day must not be before the first")
        return cls(
            start=local_midnight(first, zone),
            end=local_midnight(last + timedelta(days=1), zone),
            timezone=timezone,
            project_id=project_id,
            assignee_id=assignee_id,
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Bucket:
    """One chart bucket: labelled by its local day (a Monday for weeks), edges in UTC.

    The edges are clipped to the scope, so the first and last bucket may be partial.
    """

    start: date
    lo: datetime  # inclusive
    hi: datetime  # exclusive


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant at which `day` begins in `zone`."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def local_date(moment: datetime, timezone: str) -> date:
    """The calendar day that `moment` falls on in `timezone`."""
    return moment.astimezone(ZoneInfo(validation.timezone(timezone))).date()


def buckets(scope: AnalyticsScope, unit: str = "day") -> list[Bucket]:
    """Every local day (or ISO week) that the scope touches, in order."""
    if unit not in BUCKETS:
        raise ValidationFailed.on("bucket", f"bucket must be one of {', '.join(BUCKETS)}")
    first = scope.start.astimezone(scope.zone).date()
    last = (scope.end - timedelta(microseconds=1)).astimezone(scope.zone).date()
    step = timedelta(days=1 if unit == "day" else 7)
    day = first if unit == "day" else first - timedelta(days=first.weekday())
    found = []
    while day <= last:
        lo = max(scope.start, local_midnight(day, scope.zone))
        hi = min(scope.end, local_midnight(day + step, scope.zone))
        found.append(Bucket(day, lo, hi))
        day += step
    return found
