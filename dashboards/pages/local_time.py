"""Dates and times as the person reading the page sees them: in their own time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, or UTC when it is unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(value: datetime | None, timezone: str, style: str = "datetime") -> str:
    """`2026-03-06 23:59` (or `2026-03-06` with style `date`) in `timezone`; `—` for None."""
    if value is None:
        return "—"
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    moment = moment.astimezone(zone(timezone))
    if style == "date":
        return moment.date().isoformat()
    if style == "long":
        return moment.strftime("%a %Y-%m-%d %H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def date_and_time(value: datetime | None, timezone: str) -> tuple[str, str]:
    """The values of a date input and a time input (`2026-03-06`, `23:59`) for `value`."""
    if value is None:
        return "", ""
    moment = value.astimezone(zone(timezone))
    return moment.date().isoformat(), moment.strftime("%H:%M")
