"""Validation of task fields, shared by create and update."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from core import validation
from core.enums import TaskPriority, TaskStatus
from core.errors import ValidationFailed

TITLE_MAX = 255
DESCRIPTION_MAX = 2000
LABEL_MAX = 50
LABELS_PER_TASK = 20
LABEL_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-.:/]*$")


def title(value: str) -> str:
    return validation.text("title", value, min_length=1, max_length=TITLE_MAX)


def description(value: str | None) -> str:
    return validation.text("description", value or "", max_length=DESCRIPTION_MAX)


def status(value: TaskStatus | str) -> TaskStatus:
    try:
        return TaskStatus(value)
    except ValueError:
        choices = ", ".join(s.value for s in TaskStatus)
        raise ValidationFailed.on("status", f"'{value}' is not a status ({choices})") from None


def priority(value: TaskPriority | str | int) -> TaskPriority:
    try:
        return TaskPriority.parse(value)
    except (KeyError, ValueError, AttributeError):
        choices = ", ".join(p.label for p in TaskPriority)
        raise ValidationFailed.on("priority", f"'{value}' is not a priority ({choices})") from None


def due_at(value: datetime | None, *, now: datetime) -> datetime | None:
    """Aware, stored in UTC, and not in the past when set."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationFailed.on("due_at", "due date needs a time zone")
    if value < now:
        raise ValidationFailed.on("due_at", "due date is in the past")
    return as_utc(value)


def labels(values: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in values:
        name = re.sub(r"\s+", "-", raw.strip().lstrip("+#").lower())
        if not name:
            continue
        if len(name) > LABEL_MAX or not LABEL_PATTERN.match(name):
            raise ValidationFailed.on(
                "labels", f"label '{raw}' must be up to {LABEL_MAX} letters, digits or - _ . : /"
            )
        if name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > LABELS_PER_TASK:
        raise ValidationFailed.on("labels", f"a task takes at most {LABELS_PER_TASK} labels")
    return cleaned


def as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValidationFailed("a time without a time zone is ambiguous")
    return value.astimezone(UTC)
