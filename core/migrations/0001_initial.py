import functools
from json import dumps, loads
from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from core.enums import ProjectStatus, Role, TaskPriority, TaskStatus


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Organization",
            fields=[
                (
                    "id",
                    fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("name", fields.CharField(max_length=120)),
                ("slug", fields.CharField(unique=True, max_length=80)),
                ("timezone", fields.CharField(default="UTC", max_length=64)),
                ("is_active", fields.BooleanField(default=True)),
            ],
            options={"table": "organizations", "app": "models", "pk_attr": "id"},
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="Project",
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
                        related_name="projects",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("key", fields.CharField(max_length=10)),
                ("name", fields.CharField(max_length=120)),
                ("description", fields.TextField(default="", unique=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ProjectStatus.ACTIVE,
                        description="ACTIVE: active\nARCHIVED: archived",
                        enum_type=ProjectStatus,
                        max_length=16,
                    ),
                ),
                ("task_counter", fields.IntField(default=0)),
                ("is_active", fields.BooleanField(default=True)),
            ],
            options={
                "table": "projects",
                "app": "models",
                "unique_together": (("organization", "key"),),
                "pk_attr": "id",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("email", fields.CharField(null=True, unique=True, max_length=254)),
                ("name", fields.CharField(max_length=120)),
                ("password_hash", fields.CharField(null=True, max_length=255)),
                ("timezone", fields.CharField(default="UTC", max_length=64)),
                ("is_active", fields.BooleanField(default=True)),
            ],
            options={"table": "users", "app": "models", "pk_attr": "id"},
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="Activity",
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
                        related_name="activities",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="activities",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("source", fields.CharField(max_length=16)),
                ("action", fields.CharField(max_length=64)),
                ("entity_type", fields.CharField(max_length=32)),
                ("entity_id", fields.UUIDField()),
                ("task_id", fields.UUIDField(null=True)),
                ("project_id", fields.UUIDField(null=True)),
                (
                    "changes",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "activities",
                "app": "models",
                "indexes": [
                    Index(fields=["organization_id", "created_at"]),
                    Index(fields=["entity_type", "entity_id", "created_at"]),
                    Index(fields=["task_id", "created_at"]),
                ],
                "pk_attr": "id",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="Membership",
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
                        related_name="memberships",
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
                        related_name="memberships",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "role",
                    fields.CharEnumField(
                        default=Role.MEMBER,
                        description="OWNER: owner\nADMIN: admin\nMEMBER: member\nVIEWER: viewer",
                        enum_type=Role,
                        max_length=16,
                    ),
                ),
                ("is_active", fields.BooleanField(default=True)),
            ],
            options={
                "table": "memberships",
                "app": "models",
                "unique_together": (("organization", "user"),),
                "indexes": [Index(fields=["user_id", "is_active"])],
                "pk_attr": "id",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="Task",
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
                        related_name="tasks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "project",
                    fields.ForeignKeyField(
                        "models.Project",
                        source_field="project_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tasks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("number", fields.IntField()),
                ("title", fields.CharField(max_length=255)),
                ("description", fields.TextField(default="", unique=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=TaskStatus.TODO,
                        description="TODO: todo\nIN_PROGRESS: in_progress\nIN_REVIEW: in_review\nDONE: done\nCANCELLED: cancelled",
                        enum_type=TaskStatus,
                        max_length=16,
                    ),
                ),
                (
                    "priority",
                    fields.IntEnumField(
                        default=TaskPriority.MEDIUM,
                        description="LOW: 1\nMEDIUM: 2\nHIGH: 3\nURGENT: 4",
                        enum_type=TaskPriority,
                        generated=False,
                    ),
                ),
                (
                    "assignee",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="assignee_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="assigned_tasks",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "reporter",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="reporter_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="reported_tasks",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("due_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("started_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "completed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("version", fields.IntField(default=1)),
                ("is_active", fields.BooleanField(default=True)),
            ],
            options={
                "table": "tasks",
                "app": "models",
                "unique_together": (("project", "number"),),
                "indexes": [
                    Index(fields=["organization_id", "is_active", "created_at"]),
                    Index(fields=["project_id", "is_active", "status"]),
                    Index(fields=["assignee_id", "status"]),
                    Index(fields=["organization_id", "due_at"]),
                    Index(fields=["organization_id", "completed_at"]),
                ],
                "pk_attr": "id",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="Comment",
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
                        related_name="comments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "task",
                    fields.ForeignKeyField(
                        "models.Task",
                        source_field="task_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="comments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="author_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="comments",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("body", fields.TextField(unique=False)),
                ("source", fields.CharField(default="api", max_length=16)),
                ("is_active", fields.BooleanField(default=True)),
            ],
            options={
                "table": "comments",
                "app": "models",
                "indexes": [Index(fields=["task_id", "created_at"])],
                "pk_attr": "id",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="TaskLabel",
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
                        related_name="task_labels",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "task",
                    fields.ForeignKeyField(
                        "models.Task",
                        source_field="task_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="labels",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=50)),
            ],
            options={
                "table": "task_labels",
                "app": "models",
                "unique_together": (("task", "name"),),
                "indexes": [Index(fields=["organization_id", "name"])],
                "pk_attr": "id",
            },
            bases=["TimestampedModel"],
        ),
    ]
