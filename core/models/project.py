from __future__ import annotations

from tortoise import fields

from core.enums import ProjectStatus
from core.models.base import TimestampedModel
from core.models.organization import Organization


class Project(TimestampedModel):
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="projects", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=10)
    name = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    status = fields.CharEnumField(ProjectStatus, max_length=16, default=ProjectStatus.ACTIVE)
    task_counter = fields.IntField(default=0)
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "projects"
        unique_together = (("organization", "key"),)
