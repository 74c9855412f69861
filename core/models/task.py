from __future__ import annotations

from tortoise import fields

from core.enums import TaskPriority, TaskStatus
from core.models.base import TimestampedModel
from core.models.organization import Organization, User
from core.models.project import Project


class Task(TimestampedModel):
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="tasks", on_delete=fields.CASCADE
    )
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="tasks", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    title = fields.CharField(max_length=255)
    description = fields.TextField(default="")
    status = fields.CharEnumField(TaskStatus, max_length=16, default=TaskStatus.TODO)
    priority = fields.IntEnumField(TaskPriority, default=TaskPriority.MEDIUM)
    assignee: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assigned_tasks", null=True, on_delete=fields.SET_NULL
    )
    reporter: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reported_tasks", null=True, on_delete=fields.SET_NULL
    )
    due_at = fields.DatetimeField(null=True)
    started_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)
    is_active = fields.BooleanField(default=True)
    labels: fields.ReverseRelation[TaskLabel]

    class Meta:
        table = "tasks"
        unique_together = (("project", "number"),)
        indexes = (
            ("organization_id", "is_active", "created_at"),
            ("project_id", "is_active", "status"),
            ("assignee_id", "status"),
            ("organization_id", "due_at"),
            # Completed in a window always means status done (throughput, durations,
            # digests); with the status in the key, counting them reads the index alone.
            ("organization_id", "is_active", "status", "completed_at"),
            # Dashboards count an organization's open tasks (work in progress, workload,
            # overdue, by label and priority): without it, a scan of every task it has.
            ("organization_id", "is_active", "status"),
            # Cumulative flow: tasks started in a window, and tasks never started.
            ("organization_id", "is_active", "status", "started_at"),
        )


class TaskLabel(TimestampedModel):
    # One label on one task: a table rather than a list, so labels can be counted in SQL.

    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="task_labels", on_delete=fields.CASCADE
    )
    task: fields.ForeignKeyRelation[Task] = fields.ForeignKeyField(
        "models.Task", related_name="labels", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=50)

    class Meta:
        table = "task_labels"
        unique_together = (("task", "name"),)
        indexes = (("organization_id", "name"),)
