"""Plain, immutable views of domain objects: what services hand to every door."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from core.enums import ProjectStatus, Role, TaskPriority, TaskStatus


@dataclass(frozen=True)
class OrganizationView:
    id: uuid.UUID
    name: str
    slug: str
    timezone: str
    created_at: datetime


@dataclass(frozen=True)
class UserView:
    id: uuid.UUID
    name: str
    email: str | None
    timezone: str


@dataclass(frozen=True)
class MemberView:
    user: UserView
    organization_id: uuid.UUID
    role: Role
    joined_at: datetime


@dataclass(frozen=True)
class ProjectView:
    id: uuid.UUID
    organization_id: uuid.UUID
    key: str
    name: str
    description: str
    status: ProjectStatus
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class TaskView:
    id: uuid.UUID
    organization_id: uuid.UUID
    project_id: uuid.UUID
    project_key: str
    number: int
    title: str
    description: str
    status: TaskStatus
    priority: TaskPriority
    assignee: UserView | None
    reporter: UserView | None
    due_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    labels: tuple[str, ...]
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def key(self) -> str:
        return f"{self.project_key}-{self.number}"

    def is_overdue(self, now: datetime) -> bool:
        return self.due_at is not None and self.due_at < now and not self.status.is_closed


@dataclass(frozen=True)
class CommentView:
    id: uuid.UUID
    task_id: uuid.UUID
    author: UserView | None
    body: str
    source: str
    created_at: datetime


@dataclass(frozen=True)
class ActivityView:
    id: uuid.UUID
    organization_id: uuid.UUID
    actor: UserView | None
    source: str
    action: str
    entity_type: str
    entity_id: uuid.UUID
    task_id: uuid.UUID | None
    changes: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class ApiTokenView:
    """An API token as listed to admins: never the token itself, only its visible prefix."""

    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    role: Role
    prefix: str
    created_by: UserView | None
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboundWebhookView:
    """An outbound webhook as admins see it: never its signing secret."""

    id: uuid.UUID
    organization_id: uuid.UUID
    url: str
    events: tuple[str, ...]
    payload_format: str
    is_active: bool
    consecutive_failures: int
    disabled_at: datetime | None
    disabled_reason: str
    created_by: UserView | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class OutboundDeliveryView:
    id: uuid.UUID
    webhook_id: uuid.UUID
    activity_id: uuid.UUID
    event: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_response: str
    last_error: str
    delivered_at: datetime | None
    payload: dict[str, Any]
    created_at: datetime
