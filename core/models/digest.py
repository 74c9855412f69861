from __future__ import annotations

from tortoise import fields

from core.models.base import TimestampedModel
from core.models.organization import Organization, User
from core.models.project import Project


class DigestSchedule(TimestampedModel):
    # When a channel gets its digest: local time of day, IANA time zone, which days.
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="digest_schedules", on_delete=fields.CASCADE
    )
    team_id = fields.CharField(max_length=32)
    channel_id = fields.CharField(max_length=32)
    # Null: every project of the organization.
    project: fields.ForeignKeyNullableRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="digest_schedules", null=True, on_delete=fields.CASCADE
    )
    time_of_day = fields.CharField(max_length=5)
    timezone = fields.CharField(max_length=64, default="UTC")
    days = fields.CharField(max_length=16, default="weekdays")
    include_empty = fields.BooleanField(default=False)
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "digest_schedules"
        unique_together = (("team_id", "channel_id"),)
        indexes = (("is_active",),)


class ScheduledSend(TimestampedModel):
    # One scheduled message for one period: the unique row is what makes it exactly once.
    kind = fields.CharField(max_length=32)
    target = fields.CharField(max_length=100)
    period = fields.CharField(max_length=64)
    scheduled_for = fields.DatetimeField()
    status = fields.CharField(max_length=16, default="pending")
    attempts = fields.IntField(default=0)
    error = fields.CharField(max_length=500, default="")
    # When the current attempt was claimed (the scheduler's clock): a lease, not a lock.
    claimed_at = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "scheduled_sends"
        unique_together = (("kind", "target", "period"),)
        indexes = (("status", "scheduled_for"), ("created_at",))


class PersonalDigest(TimestampedModel):
    # One person's morning DM: on or off, and when, in their own time zone (users.timezone).
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="personal_digests", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="personal_digests", on_delete=fields.CASCADE
    )
    enabled = fields.BooleanField(default=True)
    time_of_day = fields.CharField(max_length=5, default="09:00")
    days = fields.CharField(max_length=16, default="weekdays")

    class Meta:
        table = "personal_digests"
        unique_together = (("organization", "user"),)


class ReportSchedule(TimestampedModel):
    # The weekly manager report: to a channel or a person, on one weekday at a local time.
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="report_schedules", on_delete=fields.CASCADE
    )
    team_id = fields.CharField(max_length=32)
    # A channel id (C...) or a Slack user id (U...), whose DM channel the report goes to.
    target = fields.CharField(max_length=32)
    project: fields.ForeignKeyNullableRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="report_schedules", null=True, on_delete=fields.CASCADE
    )
    weekday = fields.IntField(default=0)  # 0 is Monday
    time_of_day = fields.CharField(max_length=5, default="09:00")
    timezone = fields.CharField(max_length=64, default="UTC")
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "report_schedules"
        unique_together = (("team_id", "target"),)
        indexes = (("is_active",),)
