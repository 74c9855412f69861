"""Gathering a task's page through the services: the task, its comments, its history,
where it came from, and what the signed-in role may do with it."""

from __future__ import annotations

from collections.abc import Mapping

from core.clock import utcnow
from core.permissions import Actor
from core.services import activity, comments, members
from core.services.task_queries import get_task
from core.services.task_sources import task_sources
from core.views import TaskView
from dashboards.pages import (
    FormState,
    Option,
    TaskPage,
    comment_line,
    conflict_of,
    history_line,
    task_form_values,
)
from dashboards.pages.history import DOORS
from dashboards.pages.local_time import local
from dashboards.pages.task_page import EditConflict
from webhooks.web.board_data import viewer_timezone

HISTORY_LIMIT = 500
TASK_FORM = "task"
COMMENT_FORM = "comment"


async def task_page(
    actor: Actor,
    key: str,
    *,
    form: FormState | None = None,
    comment: FormState | None = None,
    conflict: EditConflict | None = None,
) -> TaskPage:
    """The page of task `key` (NotFound for another organization's); `form` keeps what
    was typed when a save was refused, else the form shows the task as stored."""
    task = await get_task(actor, key)
    timezone = await viewer_timezone(actor)
    people = await members.list_members(actor)
    names = {str(m.user.id): m.user.name for m in people}
    history = await activity.list_task_activity(actor, task_id=task.id, limit=HISTORY_LIMIT)
    notes = await comments.list_comments(actor, task.id)
    return TaskPage(
        task=task,
        form=form or FormState(TASK_FORM, task_form_values(task, timezone=timezone)),
        timezone=timezone,
        now=utcnow(),
        assignees=tuple(Option(str(m.user.id), m.user.name) for m in people),
        comments=tuple(comment_line(c, timezone=timezone) for c in notes),
        history=tuple(history_line(e, timezone=timezone, people=names) for e in history),
        sources=tuple(await task_sources(actor, task.id)),
        can_edit=actor.can("task:update"),
        can_assign=actor.can("task:assign"),
        can_comment=actor.can("comment:create"),
        comment=comment or FormState(COMMENT_FORM),
        conflict=conflict,
    )


async def edit_conflict(actor: Actor, key: str, submitted: Mapping[str, str]) -> EditConflict:
    """Who changed the task since the form was loaded, and where the typed values and
    the task now differ."""
    current = await get_task(actor, key)
    timezone = await viewer_timezone(actor)
    people = await members.list_members(actor)
    names = {str(m.user.id): m.user.name for m in people}
    return conflict_of(
        dict(submitted),
        task_form_values(current, timezone=timezone),
        changed_by=await _changed_by(actor, current, timezone),
        names=names,
    )


async def _changed_by(actor: Actor, task: TaskView, timezone: str) -> str:
    latest = await activity.latest_task_activity(actor, task_id=task.id)
    if latest is None:
        return "Someone"
    who = latest.actor.name if latest.actor else "TeamFlow"
    door = DOORS.get(latest.source, "")
    return f"{who} ({door + ', ' if door else ''}{local(latest.created_at, timezone)} {timezone})"
