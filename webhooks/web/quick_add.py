"""Quick add on the web: the words of Slack's `/task add`, read by the same parser
(bot.quickadd), resolved against this organization, shown before they are saved.

`preview` turns text into exactly the fields that will be saved, or the reason it cannot
be; `create` saves the fields the preview's form carries back (or, without them, what
the text means now).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from bot.quickadd import NO_TITLE, Mention, QuickAddError, parse_quick_add
from core.enums import ProjectStatus
from core.errors import DomainError, ValidationFailed
from core.permissions import Actor
from core.services import members, projects, task_fields, tasks
from core.views import MemberView, ProjectView, TaskView
from dashboards.pages import QuickAddPreview, sentence
from dashboards.pages.local_time import local
from webhooks.web.people import resolve_person

WEB_NO_TITLE = "Give the task a title, e.g. Fix login @alice !high due:friday +bug."
SLACK_PICKER = "Type the person's name (@alice): Slack's @ picker does not work here."
ARCHIVED = "Project {key} is archived: it takes no new tasks."


async def preview(
    actor: Actor, *, text: str, board: ProjectView, now: datetime, timezone: str
) -> QuickAddPreview:
    """What `text` would create from `board`'s page, in the reader's `timezone`."""
    actor.require("task:create")
    try:
        parsed = parse_quick_add(text, now=now, timezone=timezone)
    except QuickAddError as exc:
        message = WEB_NO_TITLE if str(exc) == NO_TITLE else str(exc)
        return QuickAddPreview(text=text, error=message, timezone=timezone)
    try:
        project = await _project(actor, parsed.project_key, board=board)
        assignee = await _assignee(actor, parsed.assignee)
        due_at = task_fields.due_at(parsed.due_at, now=now)
        return QuickAddPreview(
            text=text,
            title=task_fields.title(parsed.title),
            project_key=project.key,
            project_name=project.name,
            assignee_id=str(assignee.user.id) if assignee else "",
            assignee_name=assignee.user.name if assignee else "",
            priority=task_fields.priority(parsed.priority or "medium").label,
            due_at=due_at.isoformat() if due_at else "",
            due_text=local(due_at, timezone, "long") if due_at else "",
            timezone=timezone,
            labels=tuple(task_fields.labels(parsed.labels)),
        )
    except DomainError as exc:
        return QuickAddPreview(text=text, error=sentence(exc.message), timezone=timezone)


async def create(
    actor: Actor,
    form: Mapping[str, str],
    *,
    board: ProjectView,
    now: datetime,
    timezone: str,
) -> TaskView:
    """Save the previewed fields; ValidationFailed says what is wrong."""
    actor.require("task:create")
    if "title" not in form:
        shown = await preview(
            actor, text=form.get("text", ""), board=board, now=now, timezone=timezone
        )
        if shown.error:
            raise ValidationFailed.on("text", shown.error)
        form = {
            "title": shown.title,
            "project": shown.project_key,
            "assignee_id": shown.assignee_id,
            "priority": shown.priority,
            "due_at": shown.due_at,
            "labels": shown.labels_value,
        }
    return await tasks.create_task(
        actor,
        project=form.get("project") or board.key,
        title=form.get("title", ""),
        assignee_id=_uuid(form.get("assignee_id", "")),
        priority=form.get("priority") or "medium",
        due_at=_moment(form.get("due_at", "")),
        labels=[name for name in form.get("labels", "").split(",") if name.strip()],
    )


async def _project(actor: Actor, key: str | None, *, board: ProjectView) -> ProjectView:
    project = board if not key or key == board.key else await projects.get_project(actor, key)
    if project.status is ProjectStatus.ARCHIVED:
        raise ValidationFailed.on("project", ARCHIVED.format(key=project.key))
    return project


async def _assignee(actor: Actor, mention: Mention | None) -> MemberView | None:
    if mention is None:
        return None
    if mention.slack_user_id:
        raise ValidationFailed.on("assignee", SLACK_PICKER)
    people = await members.list_members(actor)
    return resolve_person(mention.name or "", members=people, me=actor.user_id)


def _uuid(raw: str) -> uuid.UUID | None:
    if not raw.strip():
        return None
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise ValidationFailed.on("assignee_id", "Choose the assignee again") from None


def _moment(raw: str) -> datetime | None:
    if not raw.strip():
        return None
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationFailed.on("due_at", "The due date is not a date and time") from None
