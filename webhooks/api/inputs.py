"""Request bodies and query strings, validated by pydantic before any service runs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator


def _utc_representable(value: datetime) -> datetime:
    """A time with an offset must exist in UTC: 9999-12-31T23:00-05:00 does not."""
    if value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:
            raise ValueError("is out of the supported range of dates") from None
    return value


Instant = Annotated[datetime, AfterValidator(_utc_representable)]
Email = Annotated[str, Field(min_length=3, max_length=254)]
Name = Annotated[str, Field(min_length=1, max_length=120)]
RoleName = Literal["owner", "admin", "member", "viewer"]
StatusName = Literal["todo", "in_progress", "in_review", "done", "cancelled"]
PriorityName = Literal["low", "medium", "high", "urgent"]


class Input(BaseModel):
    """Every body and query string: no NUL characters in any text (PostgreSQL refuses them)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("must not contain NUL characters")
        return value


class Strict(Input):
    model_config = ConfigDict(extra="forbid")


class RegisterIn(Strict):
    email: Email
    password: str = Field(min_length=8, max_length=256)
    name: Name
    organization_name: Name
    timezone: str = "UTC"


class LoginIn(Strict):
    email: Email
    password: str = Field(min_length=1, max_length=256)


class RefreshIn(Strict):
    refresh_token: str = Field(min_length=10, max_length=200)


class LogoutIn(Strict):
    refresh_token: str | None = Field(default=None, max_length=200)


class OrganizationCreateIn(Strict):
    name: Name
    timezone: str = "UTC"


class OrganizationUpdateIn(Strict):
    name: Name | None = None
    timezone: str | None = None


class MemberInviteIn(Strict):
    email: Email
    name: Name | None = None
    role: RoleName = "member"


class MemberUpdateIn(Strict):
    role: RoleName


class ProjectCreateIn(Strict):
    key: str = Field(min_length=2, max_length=10)
    name: Name
    description: str = Field(default="", max_length=2000)


class ProjectUpdateIn(Strict):
    name: Name | None = None
    description: str | None = Field(default=None, max_length=2000)


class TaskFieldsIn(Strict):
    description: str = Field(default="", max_length=2000)
    status: StatusName = "todo"
    priority: PriorityName = "medium"
    assignee_id: uuid.UUID | None = None
    due_at: Instant | None = None
    labels: list[str] = Field(default_factory=list, max_length=20)


class TaskCreateIn(TaskFieldsIn):
    title: str = Field(min_length=1, max_length=255)


class TaskCreateAnywhereIn(TaskCreateIn):
    project: str = Field(min_length=2, max_length=36, description="Project id or key")


class TaskReplaceIn(TaskCreateIn):
    """PUT: every field is set; omitted ones take their defaults."""


class TaskPatchIn(Strict):
    title: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=2000)
    status: StatusName | None = None
    priority: PriorityName | None = None
    assignee_id: uuid.UUID | None = None
    due_at: Instant | None = None
    labels: list[str] | None = Field(default=None, max_length=20)


class CommentIn(Strict):
    body: str = Field(min_length=1, max_length=4000)


class ApiTokenIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    role: RoleName = "member"
    expires_at: Instant | None = None


class TaskListQuery(Input):
    project: str | None = Field(default=None, description="Project id or key")
    assignee: str | None = Field(default=None, description="A user id, `me` or `none`")
    status: str | None = Field(default=None, description="Comma-separated statuses")
    priority: str | None = Field(default=None, description="Comma-separated priorities")
    label: str | None = None
    due_before: Instant | None = None
    due_after: Instant | None = None
    overdue: bool = False
    q: str | None = Field(default=None, max_length=200, description="Words in title or description")
    sort: Literal[
        "created_at",
        "-created_at",
        "updated_at",
        "-updated_at",
        "due_at",
        "-due_at",
        "priority",
        "-priority",
    ] = "-created_at"
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=500)


class PageQuery(Input):
    limit: int = Field(default=100, ge=1, le=500)


OutboundEvent = Literal["created", "updated", "assigned", "completed", "commented"]
PayloadFormat = Literal["teamflow", "slack"]


class OutboundWebhookIn(Strict):
    url: str = Field(min_length=1, max_length=1000, description="An http:// or https:// URL")
    events: list[OutboundEvent] | None = Field(
        default=None, min_length=1, max_length=5, description="Default: every event"
    )
    payload_format: PayloadFormat = Field(
        default="teamflow", description="`slack` posts a Slack incoming-webhook body"
    )


class OutboundWebhookPatchIn(Strict):
    url: str | None = Field(default=None, min_length=1, max_length=1000)
    events: list[OutboundEvent] | None = Field(default=None, min_length=1, max_length=5)
    payload_format: PayloadFormat | None = None
    is_active: bool | None = Field(
        default=None, description="true re-enables a disabled webhook and clears its failures"
    )
