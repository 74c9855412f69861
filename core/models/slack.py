from __future__ import annotations

from tortoise import fields

from core.models.base import TimestampedModel
from core.models.organization import Organization, User
from core.models.project import Project


class SlackWorkspace(TimestampedModel):
    # A Slack workspace (team) and the organization it works in.
    team_id = fields.CharField(max_length=32, unique=True)
    team_name = fields.CharField(max_length=120, default="")
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="slack_workspaces", on_delete=fields.CASCADE
    )
    bot_user_id = fields.CharField(max_length=32, default="")
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "slack_workspaces"


class SlackUserLink(TimestampedModel):
    # One Slack user of one workspace, linked to one TeamFlow user.
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="slack_user_links", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="slack_links", on_delete=fields.CASCADE
    )
    team_id = fields.CharField(max_length=32)
    slack_user_id = fields.CharField(max_length=32)

    class Meta:
        table = "slack_user_links"
        unique_together = (("team_id", "slack_user_id"),)
        indexes = (("organization_id", "user_id"),)


class SlackChannel(TimestampedModel):
    # Per-channel settings: the project that /task add uses when none is named.
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="slack_channels", on_delete=fields.CASCADE
    )
    team_id = fields.CharField(max_length=32)
    channel_id = fields.CharField(max_length=32)
    default_project: fields.ForeignKeyNullableRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="slack_channels", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "slack_channels"
        unique_together = (("team_id", "channel_id"),)


class SlackSubscription(TimestampedModel):
    # A channel that follows a project: which kinds of change it is told about.
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="slack_subscriptions", on_delete=fields.CASCADE
    )
    team_id = fields.CharField(max_length=32)
    channel_id = fields.CharField(max_length=32)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="slack_subscriptions", on_delete=fields.CASCADE
    )
    events = fields.CharField(max_length=200, default="created,assigned,completed,commented")

    class Meta:
        table = "slack_subscriptions"
        unique_together = (("team_id", "channel_id", "project"),)
        indexes = (("project_id",),)


class SlackMessageTask(TimestampedModel):
    # A Slack message filed as a task (by reaction or shortcut): at most one task per message.
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="slack_message_tasks", on_delete=fields.CASCADE
    )
    team_id = fields.CharField(max_length=32)
    channel_id = fields.CharField(max_length=32)
    message_ts = fields.CharField(max_length=32)
    task_id = fields.UUIDField(null=True)
    permalink = fields.CharField(max_length=500, default="")

    class Meta:
        table = "slack_message_tasks"
        unique_together = (("team_id", "channel_id", "message_ts"),)


class ActivityCursor(TimestampedModel):
    # How far a consumer of the activity log (Slack notifications, ...) has read.
    name = fields.CharField(max_length=64, unique=True)
    last_created_at = fields.DatetimeField(null=True)
    last_activity_id = fields.UUIDField(null=True)

    class Meta:
        table = "activity_cursors"


class SlackInstallation(TimestampedModel):
    # The bot token a workspace granted by installing the app (multi-workspace mode).
    # The token is stored encrypted; see core.services.slack_installations.
    team_id = fields.CharField(max_length=32)
    enterprise_id = fields.CharField(max_length=32, null=True)
    bot_token_encrypted = fields.TextField()
    bot_user_id = fields.CharField(max_length=32, default="")
    bot_id = fields.CharField(max_length=32, default="")
    bot_scopes = fields.CharField(max_length=1000, default="")
    installer_user_id = fields.CharField(max_length=32, default="")
    installed_at = fields.DatetimeField()
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "slack_installations"
        # team_id first: every lookup names the team; enterprise_id is null outside Grid.
        unique_together = (("team_id", "enterprise_id"),)


class SlackOAuthState(TimestampedModel):
    # The state of one install attempt: valid until expires_at, and only once.
    state = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    consumed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "slack_oauth_states"
        indexes = (("expires_at",),)
