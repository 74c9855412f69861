"""Reading the task page's edit form: every field checked on its own, so each refusal
can be printed next to its field, then one TaskChanges for the service.

Dates are typed in the reader's time zone (a date input and an optional time input; a
date alone means 23:59 that day). A due date left as it was is not sent again, so a task
that is already overdue can still be edited without its date being refused as "past".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from core.errors import ValidationFailed
from core.services import task_fields
from core.services.tasks import UNSET, TaskChanges
from core.views import MemberView, TaskView
from dashboards.pages import sentence
from dashboards.pages.local_time import date_and_time, zone

FIELDS = ("title", "description", "status", "priority", "assignee", "due_date", "due_time")
END_OF_DAY = time(23, 59)
LABEL_SEPARATORS = re.compile(r"[,\s]+")
NO_VERSION = "This form is out of date: reload the page and edit again."
BAD_DATE = "Give the date as 2026-03-06."
BAD_TIME = "Give the time as 14:30."
TIME_WITHOUT_DATE = "Give a date for the due time, or clear both."
NOT_A_MEMBER = "Choose someone from the list."
# Service field names -> the form's fields, for refusals that come back from the service.
SERVICE_FIELDS = {"assignee_id": "assignee", "due_at": "due_date"}


@dataclass(frozen=True)
class EditForm:
    """What was typed, the version it was typed against, and the changes or the refusals."""

    values: dict[str, str]
    version: int | None
    changes: TaskChanges | None
    errors: dict[str, str] = field(default_factory=dict)


def read_edit_form(
    form: Mapping[str, str],
    *,
    task: TaskView,
    people: Sequence[MemberView],
    timezone: str,
    now: datetime,
    can_assign: bool,
) -> EditForm:
    """Check every field of a posted edit form against `task` as it is stored now."""
    values = {name: str(form.get(name, "")) for name in (*FIELDS, "labels", "version")}
    errors: dict[str, str] = {}
    given: dict[str, Any] = {
        "title": _check(errors, "title", task_fields.title, values["title"]),
        "description": _check(
            errors, "description", task_fields.description, values["description"]
        ),
        "status": _check(errors, "status", task_fields.status, values["status"]),
        "priority": _check(errors, "priority", task_fields.priority, values["priority"]),
        "labels": _check(errors, "labels", _labels, values["labels"]),
        "due_at": _due(values, task=task, timezone=timezone, now=now, errors=errors),
    }
    if can_assign and "assignee" in form:
        given["assignee_id"] = _assignee(values["assignee"], people, errors)
    version = _version(values["version"], errors)
    if errors:
        return EditForm(values=values, version=version, changes=None, errors=errors)
    changes = TaskChanges(**{k: v for k, v in given.items() if v is not UNSET})
    return EditForm(values=values, version=version, changes=changes)


def service_errors(exc: ValidationFailed) -> dict[str, str]:
    """A refusal from the service as messages by form field."""
    found = {SERVICE_FIELDS.get(d.field, d.field): sentence(d.message) for d in exc.details}
    return found or {"version": sentence(exc.message)}


def _check(errors: dict[str, str], name: str, read: Callable[[str], Any], raw: str) -> Any:
    try:
        return read(raw)
    except ValidationFailed as exc:
        errors[name] = sentence(exc.message)
        return UNSET


def _labels(raw: str) -> list[str]:
    return task_fields.labels(name for name in LABEL_SEPARATORS.split(raw) if name)


def _assignee(raw: str, people: Sequence[MemberView], errors: dict[str, str]) -> Any:
    if not raw.strip():
        return None
    for member in people:
        if str(member.user.id) == raw.strip():
            return member.user.id
    errors["assignee"] = NOT_A_MEMBER
    return UNSET


def _due(
    values: dict[str, str], *, task: TaskView, timezone: str, now: datetime, errors: dict[str, str]
) -> Any:
    day_text, time_text = values["due_date"].strip(), values["due_time"].strip()
    stored_day, stored_time = date_and_time(task.due_at, timezone)
    same_time = time_text == stored_time or (not time_text and stored_time == "23:59")
    if day_text == stored_day and same_time:
        return UNSET  # unchanged: not checked against the clock again
    if not day_text:
        if time_text:
            errors["due_time"] = TIME_WITHOUT_DATE
            return UNSET
        return None
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        errors["due_date"] = BAD_DATE
        return UNSET
    try:
        clock = time.fromisoformat(time_text) if time_text else END_OF_DAY
    except ValueError:
        errors["due_time"] = BAD_TIME
        return UNSET
    moment = datetime.combine(day, clock, tzinfo=zone(timezone)).astimezone(UTC)
    try:
        return task_fields.due_at(moment, now=now)
    except ValidationFailed as exc:
        errors["due_date"] = sentence(exc.message)
        return UNSET


def _version(raw: str, errors: dict[str, str]) -> int | None:
    try:
        return int(raw)
    except ValueError:
        errors["version"] = NO_VERSION
        return None
