from __future__ import annotations

from tortoise import fields

from core.models.base import TimestampedModel
from core.models.organization import Organization, User


class Activity(TimestampedModel):
    # The audit trail and event log: one row per change, written in the same transaction
    # as the change.

    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="activities", on_delete=fields.CASCADE
    )
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="activities", null=True, on_delete=fields.SET_NULL
    )
    source = fields.CharField(max_length=16)
    action = fields.CharField(max_length=64)
    entity_type = fields.CharField(max_length=32)
    entity_id = fields.UUIDField()
    task_id = fields.UUIDField(null=True)
    project_id = fields.UUIDField(null=True)
    changes = fields.JSONField(default=dict)

    class Meta:
        table = "activities"
        indexes = (
            ("organization_id", "created_at"),
            ("entity_type", "entity_id", "created_at"),
            ("task_id", "created_at"),
        )
