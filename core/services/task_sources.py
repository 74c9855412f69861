"""Where a task came from outside TeamFlow: the Slack message it was filed from, the
GitHub or GitLab issue it mirrors, the pull or merge requests that mention it.

A Slack message filed as a task keeps its permalink when Slack gave one; without it the
link opens the message's channel (`app_redirect` needs no workspace domain). Links from
inbound webhooks keep the URL the provider sent; a generic webhook's alert id has none.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from core.models import SlackMessageTask, TaskExternalLink
from core.permissions import Actor
from core.services.task_queries import load_task

SLACK_REDIRECT = "https://slack.com/app_redirect"
PROVIDER_NAMES = {"github": "GitHub", "gitlab": "GitLab", "generic": "Webhook"}
KIND_NAMES = {"issue": "issue", "reference": "linked request", "external": "alert"}
LINKS_SHOWN = 20


@dataclass(frozen=True)
class SourceLink:
    """One outside thing a task is tied to; `url` is empty when there is nothing to open."""

    provider: str  # slack, github, gitlab, generic
    kind: str  # message, issue, reference, external
    label: str
    url: str


async def task_sources(actor: Actor, ref: uuid.UUID | str) -> list[SourceLink]:
    """The Slack message and external issues of a task of the actor's organization."""
    actor.require("task:read")
    task = await load_task(actor, ref)
    messages = await SlackMessageTask.filter(
        organization_id=actor.organization_id, task_id=task.id
    ).order_by("created_at")
    external = (
        await TaskExternalLink.filter(organization_id=actor.organization_id, task_id=task.id)
        .order_by("created_at")
        .limit(LINKS_SHOWN)
    )
    return [_slack(row) for row in messages] + [_external(row) for row in external]


def _slack(row: SlackMessageTask) -> SourceLink:
    if row.permalink:
        return SourceLink("slack", "message", "Slack message", row.permalink)
    query = urlencode({"team": row.team_id, "channel": row.channel_id})
    url = f"{SLACK_REDIRECT}?{query}"
    return SourceLink("slack", "message", "Slack channel of the message", url)


def _external(row: TaskExternalLink) -> SourceLink:
    provider = PROVIDER_NAMES.get(row.provider, row.provider)
    kind = KIND_NAMES.get(row.kind, row.kind)
    label = f"{provider} {kind} {row.external_id}"
    if row.title:
        label = f"{label}: {row.title}"
    url = row.url if row.url.startswith(("https://", "http://")) else ""
    return SourceLink(row.provider, row.kind, label, url)
