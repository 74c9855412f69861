"""Reading the dashboard's filters from a query string: project key, assignee id, date
range and bucket. A project or person outside the organization is NotFound, the same
answer as a key that does not exist."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.errors import NotFound, ValidationFailed
from core.views import MemberView, ProjectView

BUCKETS = ("day", "week")
MAX_DAYS = 366


@dataclass(frozen=True)
class FilterChoice:
    """What the query string asked for, checked against the organization."""

    start: date
    end: date
    bucket: str
    project: ProjectView | None
    assignee: MemberView | None


def parse_filters(
    args: Mapping[str, str],
    *,
    default_start: date,
    default_end: date,
    projects: Sequence[ProjectView],
    members: Sequence[MemberView],
) -> FilterChoice:
    """The filters in `args`; ValidationFailed names a malformed one."""
    start = _date(args, "from", default_start)
    end = _date(args, "to", default_end)
    if end < start:
        raise ValidationFailed.on("to", "The end date is before the start date")
    if end - start > timedelta(days=MAX_DAYS):
        raise ValidationFailed.on("from", f"Choose a range of at most {MAX_DAYS} days")
    bucket = args.get("bucket") or "day"
    if bucket not in BUCKETS:
        raise ValidationFailed.on("bucket", "Choose day or week")
    return FilterChoice(
        start=start,
        end=end,
        bucket=bucket,
        project=_project(args.get("project", ""), projects),
        assignee=_assignee(args.get("assignee", ""), members),
    )


def _date(args: Mapping[str, str], name: str, default: date) -> date:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed.on(name, f"`{raw}` is not a date like 2026-03-01") from None


def _project(key: str, projects: Sequence[ProjectView]) -> ProjectView | None:
    key = key.strip().upper()
    if not key:
        return None
    for project in projects:
        if project.key == key:
            return project
    raise NotFound(f"No project {key}")


def _assignee(raw: str, members: Sequence[MemberView]) -> MemberView | None:
    if not raw.strip():
        return None
    try:
        wanted = uuid.UUID(raw.strip())
    except ValueError:
        raise NotFound("No such person") from None
    for member in members:
        if member.user.id == wanted:
            return member
    raise NotFound("No such person")
