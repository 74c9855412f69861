"""Dates shown in the viewer's time zone: `due` means the viewer's day, not UTC's."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.blocks import text

_WHOLE_DAY_TIMES = (time(0, 0), time(23, 59))


def zone(name: str) -> tzinfo:
    """The viewer's zone; an unknown name falls back to UTC rather than failing a render."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_date(moment: datetime, timezone: str) -> date:
    return moment.astimezone(zone(timezone)).date()


def format_when(moment: datetime, *, now: datetime, timezone: str) -> str:
    """`today`, `tomorrow 17:00`, `Tue 4 Jun`, `Tue 4 Jun 2024` in the viewer's zone.

    The time is left out at midnight and 23:59, the usual stand-ins for "that day".
    """
    tz = zone(timezone)
    local = moment.astimezone(tz)
    day = _day_text(local.date(), today=now.astimezone(tz).date())
    clock = local.time().replace(second=0, microsecond=0)
    if clock in _WHOLE_DAY_TIMES:
        return day
    return f"{day} {clock:%H:%M}"


def _day_text(day: date, *, today: date) -> str:
    relative = {0: text.TODAY, 1: text.TOMORROW, -1: text.YESTERDAY}.get((day - today).days)
    if relative:
        return relative
    shown = f"{text.WEEKDAYS[day.weekday()]} {day.day} {text.MONTHS[day.month - 1]}"
    return shown if day.year == today.year else f"{shown} {day.year}"
