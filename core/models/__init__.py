"""Tortoise models. Only `core` imports this package; doors call services."""

from core.models.activity import Activity
from core.models.comment import Comment
from core.models.digest import DigestSchedule, PersonalDigest, ReportSchedule, ScheduledSend
from core.models.magic_link import MagicLink
from core.models.organization import Membership, Organization, User
from core.models.project import Project
from core.models.slack import (
    ActivityCursor,
    SlackChannel,
    SlackInstallation,
    SlackMessageTask,
    SlackOAuthState,
    SlackSubscription,
    SlackUserLink,
    SlackWorkspace,
)
from core.models.task import Task, TaskLabel
from core.models.token import ApiToken, RefreshToken
from core.models.webhook import (
    ExternalIdentity,
    OutboundDelivery,
    OutboundWebhook,
    TaskExternalLink,
    WebhookDelivery,
    WebhookEndpoint,
)

__all__ = [
    "Activity",
    "ActivityCursor",
    "ApiToken",
    "Comment",
    "DigestSchedule",
    "ExternalIdentity",
    "MagicLink",
    "Membership",
    "Organization",
    "OutboundDelivery",
    "OutboundWebhook",
    "PersonalDigest",
    "Project",
    "RefreshToken",
    "ReportSchedule",
    "ScheduledSend",
    "SlackChannel",
    "SlackInstallation",
    "SlackMessageTask",
    "SlackOAuthState",
    "SlackSubscription",
    "SlackUserLink",
    "SlackWorkspace",
    "Task",
    "TaskExternalLink",
    "TaskLabel",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
]
