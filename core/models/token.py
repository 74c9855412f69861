from __future__ import annotations

from tortoise import fields

from core.enums import Role
from core.models.base import TimestampedModel
from core.models.organization import Organization, User


class RefreshToken(TimestampedModel):
    # One refresh token of a login session. Only the SHA-256 hex of the token is kept.
    # Every login starts a family (family_id); each rotation adds a token to that family
    # and marks the previous one used, so a used token shown again reveals a copy.

    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    family_id = fields.UUIDField()
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    user_agent = fields.CharField(max_length=255, default="")

    class Meta:
        table = "refresh_tokens"
        indexes = (("user_id",), ("family_id",))


class ApiToken(TimestampedModel):
    # A long-lived token for scripts and integrations, acting with a fixed role inside one
    # organization. Only the SHA-256 hex is kept; prefix is the visible start of the token.

    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="api_tokens", on_delete=fields.CASCADE
    )
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="api_tokens", null=True, on_delete=fields.SET_NULL
    )
    name = fields.CharField(max_length=100)
    role = fields.CharEnumField(Role, max_length=16)
    prefix = fields.CharField(max_length=16)
    token_hash = fields.CharField(max_length=64, unique=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_tokens"
        indexes = (("organization_id", "revoked_at"),)
