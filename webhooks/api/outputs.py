"""Response models: what the API promises to send, built from core's views."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from core.views import (
    ActivityView,
    CommentView,
    MemberView,
    OrganizationView,
    OutboundDeliveryView,
    OutboundWebhookView,
    ProjectView,
    TaskView,
    UserView,
)


class UserOut(BaseModel):
    id: uuid.UUID
    name: str
    email: str | None
    timezone: str

    @classmethod
    def of(cls, view: UserView | None) -> UserOut | None:
        if view is None:
            return None
        return cls(id=view.id, name=view.name, email=view.email, timezone=view.timezone)


class OrganizationOut(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    timezone: str
    created_at: datetime
    role: str | None = None

    @classmethod
    def of(cls, view: OrganizationView, role: str | None = None) -> OrganizationOut:
        return cls(
            id=view.id,
            name=view.name,
            slug=view.slug,
            timezone=view.timezone,
            created_at=view.created_at,
            role=role,
        )


class MemberOut(BaseModel):
    user: UserOut
    role: str
    joined_at: datetime

    @classmethod
    def of(cls, view: MemberView) -> MemberOut:
        user = UserOut.of(view.user)
        assert user is not None
        return cls(user=user, role=view.role.value, joined_at=view.joined_at)


class ProjectOut(BaseModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    key: str
    name: str
    description: str
    status: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: ProjectView) -> ProjectOut:
        return cls(
            id=view.id,
            organization_id=view.organization_id,
            key=view.key,
            name=view.name,
            description=view.description,
            status=view.status.value,
            created_at=view.created_at,
            updated_at=view.updated_at,
        )


class TaskOut(BaseModel):
    id: uuid.UUID
    key: str
    number: int
    organization_id: uuid.UUID
    project_id: uuid.UUID
    project_key: str
    title: str
    description: str
    status: str
    priority: str
    assignee: UserOut | None
    reporter: UserOut | None
    due_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    labels: list[str]
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: TaskView) -> TaskOut:
        return cls.model_validate(task_fields(view))


def task_fields(view: TaskView) -> dict:
    """A task as TaskOut's fields, in plain values: a page of them is written as JSON
    directly instead of through 150 models (see envelope.json_ok)."""
    return {
        "id": view.id,
        "key": view.key,
        "number": view.number,
        "organization_id": view.organization_id,
        "project_id": view.project_id,
        "project_key": view.project_key,
        "title": view.title,
        "description": view.description,
        "status": view.status.value,
        "priority": view.priority.label,
        "assignee": _user_fields(view.assignee),
        "reporter": _user_fields(view.reporter),
        "due_at": view.due_at,
        "started_at": view.started_at,
        "completed_at": view.completed_at,
        "labels": list(view.labels),
        "version": view.version,
        "created_at": view.created_at,
        "updated_at": view.updated_at,
    }


def _user_fields(view: UserView | None) -> dict | None:
    if view is None:
        return None
    return {"id": view.id, "name": view.name, "email": view.email, "timezone": view.timezone}


class CommentOut(BaseModel):
    id: uuid.UUID
    task_id: uuid.UUID
    author: UserOut | None
    body: str
    source: str
    created_at: datetime

    @classmethod
    def of(cls, view: CommentView) -> CommentOut:
        return cls(
            id=view.id,
            task_id=view.task_id,
            author=UserOut.of(view.author),
            body=view.body,
            source=view.source,
            created_at=view.created_at,
        )


class ActivityOut(BaseModel):
    id: uuid.UUID
    actor: UserOut | None
    source: str
    action: str
    entity_type: str
    entity_id: uuid.UUID
    task_id: uuid.UUID | None
    changes: dict[str, dict[str, object]]
    created_at: datetime

    @classmethod
    def of(cls, view: ActivityView) -> ActivityOut:
        return cls(
            id=view.id,
            actor=UserOut.of(view.actor),
            source=view.source,
            action=view.action,
            entity_type=view.entity_type,
            entity_id=view.entity_id,
            task_id=view.task_id,
            changes=view.changes,
            created_at=view.created_at,
        )


class SessionOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int
    user: UserOut
    organization_id: uuid.UUID | None


class MeOut(BaseModel):
    user: UserOut
    organizations: list[OrganizationOut]
    via: str


class ApiTokenOut(BaseModel):
    id: uuid.UUID
    name: str
    role: str
    prefix: str
    created_by: UserOut | None
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    token: str


class Empty(BaseModel):
    pass


class OutboundWebhookOut(BaseModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    url: str
    events: list[str]
    payload_format: str
    is_active: bool
    consecutive_failures: int
    disabled_at: datetime | None
    disabled_reason: str
    created_by: UserOut | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: OutboundWebhookView) -> OutboundWebhookOut:
        return cls(**cls._fields_of(view))

    @staticmethod
    def _fields_of(view: OutboundWebhookView) -> dict:
        return {
            "id": view.id,
            "organization_id": view.organization_id,
            "url": view.url,
            "events": list(view.events),
            "payload_format": view.payload_format,
            "is_active": view.is_active,
            "consecutive_failures": view.consecutive_failures,
            "disabled_at": view.disabled_at,
            "disabled_reason": view.disabled_reason,
            "created_by": UserOut.of(view.created_by),
            "created_at": view.created_at,
            "updated_at": view.updated_at,
        }


class OutboundWebhookCreatedOut(OutboundWebhookOut):
    secret: str

    @classmethod
    def with_secret(cls, view: OutboundWebhookView, secret: str) -> OutboundWebhookCreatedOut:
        return cls(**cls._fields_of(view), secret=secret)


class OutboundDeliveryOut(BaseModel):
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
    payload: dict
    created_at: datetime

    @classmethod
    def of(cls, view: OutboundDeliveryView) -> OutboundDeliveryOut:
        return cls(**{name: getattr(view, name) for name in cls.model_fields})
