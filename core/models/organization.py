from __future__ import annotations

from tortoise import fields

from core.enums import Role
from core.models.base import TimestampedModel


class Organization(TimestampedModel):
    # A tenant: every project, task and comment belongs to exactly one.

    name = fields.CharField(max_length=120)
    slug = fields.CharField(max_length=80, unique=True)
    timezone = fields.CharField(max_length=64, default="UTC")
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "organizations"


class User(TimestampedModel):
    email = fields.CharField(max_length=254, unique=True, null=True)
    name = fields.CharField(max_length=120)
    password_hash = fields.CharField(max_length=255, null=True)
    timezone = fields.CharField(max_length=64, default="UTC")
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "users"


class Membership(TimestampedModel):
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="memberships", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    role = fields.CharEnumField(Role, max_length=16, default=Role.MEMBER)
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "memberships"
        unique_together = (("organization", "user"),)
        indexes = (("user_id", "is_active"),)
