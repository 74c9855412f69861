"""The fixed vocabularies of the domain: roles, task status and priority, sources."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    VIEWER = "viewer"


class TaskStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    IN_REVIEW = "in_review"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def is_closed(self) -> bool:
        return self in CLOSED_STATUSES


CLOSED_STATUSES = frozenset({TaskStatus.DONE, TaskStatus.CANCELLED})
OPEN_STATUSES = frozenset(set(TaskStatus) - CLOSED_STATUSES)


class TaskPriority(IntEnum):
    """Stored as a number so that sorting by priority orders by urgency."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    URGENT = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | int | TaskPriority) -> TaskPriority:
        if isinstance(value, TaskPriority):
            return value
        if isinstance(value, int):
            return cls(value)
        return cls[value.strip().upper()]


class ProjectStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class Source(StrEnum):
    """Which door a change came through; shown in the activity history."""

    API = "api"
    SLACK = "slack"
    WEB = "web"
    WEBHOOK = "webhook"
    SCHEDULER = "scheduler"
    SYSTEM = "system"
