from __future__ import annotations

from tortoise import fields

from core.models.base import TimestampedModel
from core.models.organization import Organization, User
from core.models.task import Task


class Comment(TimestampedModel):
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="comments", on_delete=fields.CASCADE
    )
    task: fields.ForeignKeyRelation[Task] = fields.ForeignKeyField(
        "models.Task", related_name="comments", on_delete=fields.CASCADE
    )
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="comments", null=True, on_delete=fields.SET_NULL
    )
    body = fields.TextField()
    source = fields.CharField(max_length=16, default="api")
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "comments"
        indexes = (("task_id", "created_at"),)
