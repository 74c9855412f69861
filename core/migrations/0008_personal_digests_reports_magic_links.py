from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("models", "0007_digests")]

    initial = False

    operations = [
        ops.CreateModel(
            name="MagicLink",
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
                        related_name="magic_links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="magic_links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "magic_links",
                "app": "models",
                "indexes": [Index(fields=["expires_at"])],
                "pk_attr": "id",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="PersonalDigest",
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
                        related_name="personal_digests",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="personal_digests",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("enabled", fields.BooleanField(default=True)),
                ("time_of_day", fields.CharField(default="09:00", max_length=5)),
                ("days", fields.CharField(default="weekdays", max_length=16)),
            ],
            options={
                "table": "personal_digests",
                "app": "models",
                "unique_together": (("organization", "user"),),
                "pk_attr": "id",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="ReportSchedule",
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
                        related_name="report_schedules",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("team_id", fields.CharField(max_length=32)),
                ("target", fields.CharField(max_length=32)),
                (
                    "project",
                    fields.ForeignKeyField(
                        "models.Project",
                        source_field="project_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="report_schedules",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("weekday", fields.IntField(default=0)),
                ("time_of_day", fields.CharField(default="09:00", max_length=5)),
                ("timezone", fields.CharField(default="UTC", max_length=64)),
                ("is_active", fields.BooleanField(default=True)),
            ],
            options={
                "table": "report_schedules",
                "app": "models",
                "unique_together": (("team_id", "target"),),
                "indexes": [Index(fields=["is_active"])],
                "pk_attr": "id",
            },
            bases=["TimestampedModel"],
        ),
    ]
