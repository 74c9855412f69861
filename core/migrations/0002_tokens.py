from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from core.enums import Role


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="api_tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="api_tokens",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("name", fields.CharField(max_length=100)),
                (
                    "role",
                    fields.CharEnumField(
                        description="OWNER: owner\nADMIN: admin\nMEMBER: member\nVIEWER: viewer",
                        enum_type=Role,
                        max_length=16,
                    ),
                ),
                ("prefix", fields.CharField(max_length=16)),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "last_used_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("expires_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "api_tokens",
                "app": "models",
                "indexes": [Index(fields=["organization_id", "revoked_at"])],
                "pk_attr": "id",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="RefreshToken",
            fields=[
                (
                    "id",
                    fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="refresh_tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("family_id", fields.UUIDField()),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("user_agent", fields.CharField(default="", max_length=255)),
            ],
            options={
                "table": "refresh_tokens",
                "app": "models",
                "indexes": [Index(fields=["user_id"]), Index(fields=["family_id"])],
                "pk_attr": "id",
            },
            bases=["TimestampedModel"],
        ),
    ]
