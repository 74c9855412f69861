"""Field checks shared by several services; each failure names the field."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ValidationFailed

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def text(field: str, value: str, *, min_length: int = 0, max_length: int) -> str:
    cleaned = value.strip()
    if len(cleaned) < min_length:
        if min_length == 1:
            raise ValidationFailed.on(field, f"{field} must not be empty")
        raise ValidationFailed.on(field, f"{field} must be at least {min_length} characters")
    if len(cleaned) > max_length:
        raise ValidationFailed.on(field, f"{field} must be at most {max_length} characters")
    return cleaned


def email(value: str, *, field: str = "email") -> str:
    cleaned = value.strip().lower()
    if len(cleaned) > 254 or not EMAIL_PATTERN.match(cleaned):
        raise ValidationFailed.on(field, f"'{value}' is not an email address")
    return cleaned


def timezone(value: str, *, field: str = "timezone") -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed.on(field, f"'{value}' is not an IANA time zone") from None
    return value
