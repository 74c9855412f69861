from __future__ import annotations

from tortoise import fields

from core.models.base import TimestampedModel
from core.models.organization import Organization, User
from core.models.project import Project
from core.models.task import Task


class WebhookEndpoint(TimestampedModel):
    # An inbound webhook URL for one provider, filing into one project of one organization.
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="webhook_endpoints", on_delete=fields.CASCADE
    )
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="webhook_endpoints", on_delete=fields.CASCADE
    )
    provider = fields.CharField(max_length=16)
    name = fields.CharField(max_length=100, default="")
    secret_encrypted = fields.TextField()
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="webhook_endpoints", null=True, on_delete=fields.SET_NULL
    )
    is_active = fields.BooleanField(default=True)
    last_delivery_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_endpoints"
        indexes = (("organization_id", "is_active"),)


class WebhookDelivery(TimestampedModel):
    # One delivery received on an endpoint, stored before it is processed.
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="webhook_deliveries", on_delete=fields.CASCADE
    )
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "models.WebhookEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    provider = fields.CharField(max_length=16)
    event = fields.CharField(max_length=64)
    delivery_id = fields.CharField(max_length=128)
    headers = fields.JSONField(default=dict)
    body = fields.TextField()
    status = fields.CharField(max_length=16, default="received")
    error = fields.TextField(default="")
    attempts = fields.IntField(default=0)
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_deliveries"
        unique_together = (("endpoint", "delivery_id"),)
        indexes = (("endpoint_id", "created_at"), ("organization_id", "status"))


class TaskExternalLink(TimestampedModel):
    # A task tied to something outside: a GitHub issue or pull request, a GitLab merge
    # request, a monitoring alert id. `kind` tells issue (the task mirrors it) from
    # reference (a pull request that mentions the task).
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="task_links", on_delete=fields.CASCADE
    )
    task: fields.ForeignKeyRelation[Task] = fields.ForeignKeyField(
        "models.Task", related_name="external_links", on_delete=fields.CASCADE
    )
    provider = fields.CharField(max_length=16)
    kind = fields.CharField(max_length=16)
    external_id = fields.CharField(max_length=255)
    url = fields.CharField(max_length=1000, default="")
    title = fields.CharField(max_length=255, default="")

    class Meta:
        table = "task_external_links"
        unique_together = (("task", "provider", "kind", "external_id"),)
        indexes = (("organization_id", "provider", "kind", "external_id"),)


class ExternalIdentity(TimestampedModel):
    # A GitHub or GitLab login linked to a TeamFlow user in one organization.
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="external_identities", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="external_identities", on_delete=fields.CASCADE
    )
    provider = fields.CharField(max_length=16)
    login = fields.CharField(max_length=100)

    class Meta:
        table = "external_identities"
        unique_together = (("organization", "provider", "login"),)


class OutboundWebhook(TimestampedModel):
    # A URL that receives signed task events; disabled after it keeps failing.
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="outbound_webhooks", on_delete=fields.CASCADE
    )
    url = fields.CharField(max_length=1000)
    events = fields.CharField(
        max_length=200, default="created,updated,assigned,completed,commented"
    )
    payload_format = fields.CharField(max_length=16, default="teamflow")
    secret_encrypted = fields.TextField()
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="outbound_webhooks", null=True, on_delete=fields.SET_NULL
    )
    is_active = fields.BooleanField(default=True)
    consecutive_failures = fields.IntField(default=0)
    disabled_at = fields.DatetimeField(null=True)
    disabled_reason = fields.CharField(max_length=500, default="")

    class Meta:
        table = "outbound_webhooks"
        indexes = (("organization_id", "is_active"),)


class OutboundDelivery(TimestampedModel):
    # One event for one outbound webhook: its payload, attempts and last response.
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="outbound_deliveries", on_delete=fields.CASCADE
    )
    webhook: fields.ForeignKeyRelation[OutboundWebhook] = fields.ForeignKeyField(
        "models.OutboundWebhook", related_name="deliveries", on_delete=fields.CASCADE
    )
    activity_id = fields.UUIDField()
    event = fields.CharField(max_length=32)
    payload = fields.JSONField(default=dict)
    status = fields.CharField(max_length=16, default="pending")
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True)
    last_status_code = fields.IntField(null=True)
    last_response = fields.TextField(default="")
    last_error = fields.TextField(default="")
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbound_deliveries"
        unique_together = (("webhook", "activity_id"),)
        indexes = (("status", "next_attempt_at"), ("webhook_id", "created_at"))
