"""Tortoise models. Only `core` imports this package; doors call services."""

from core.models.activity import Activity
from core.models.comment import Comment
from core.models.organization import Membership, Organization, User
from core.models.project import Project
from core.models.task import Task, TaskLabel

__all__ = [
    "Activity",
    "Comment",
    "Membership",
    "Organization",
    "Project",
    "Task",
    "TaskLabel",
    "User",
]
