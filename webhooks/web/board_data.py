"""Gathering a board through the services, as the signed-in role may see and use it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from core.clock import utcnow
from core.enums import ProjectStatus, TaskStatus
from core.permissions import Actor
from core.services import activity, members, users
from core.services.task_queries import TaskFilter, count_tasks, list_tasks, task_keys
from core.views import MemberView, ProjectView
from dashboards.pages import (
    BoardPage,
    Column,
    Option,
    QuickAddPreview,
    card_of,
    history_line,
)
from dashboards.pages.history import HistoryLine
from webhooks.web.board_filters import parse_board_filters

OPEN_LIMIT = 100  # open tasks shown per status
CLOSED_LIMIT = 20  # the most recently closed shown per closed status
ACTIVITY_LIMIT = 40
COLUMNS = (
    (TaskStatus.TODO, "-priority", OPEN_LIMIT),
    (TaskStatus.IN_PROGRESS, "-priority", OPEN_LIMIT),
    (TaskStatus.IN_REVIEW, "-priority", OPEN_LIMIT),
    (TaskStatus.DONE, "-updated_at", CLOSED_LIMIT),
    (TaskStatus.CANCELLED, "-updated_at", CLOSED_LIMIT),
)


async def viewer_timezone(actor: Actor) -> str:
    """The signed-in person's own time zone: dates are shown and read in it."""
    return (await users.get_user(actor.user_id)).timezone or "UTC"


async def board_page(
    actor: Actor,
    project: ProjectView,
    args: Mapping[str, str],
    *,
    quick_text: str = "",
    preview: QuickAddPreview | None = None,
    problem: str | None = None,
) -> BoardPage:
    """The board of `project` for the filters in `args`."""
    now = utcnow()
    people = await members.list_members(actor)
    timezone = await viewer_timezone(actor)
    query = parse_board_filters(args, members=people, me=actor.user_id)
    columns = []
    for status, sort, limit in COLUMNS:
        only = TaskFilter(project=project, statuses=(status,), **query.task_filter)
        columns.append(
            await _column(actor, only, sort=sort, limit=limit, now=now, timezone=timezone)
        )
    labels = sorted({name for column in columns for card in column.cards for name in card.labels})
    return BoardPage(
        project=project,
        columns=tuple(columns),
        timezone=timezone,
        filters=query.shown,
        assignees=tuple(Option(str(m.user.id), m.user.name) for m in people),
        labels=tuple(labels),
        activity=tuple(await _activity(actor, project, people, timezone)),
        can_create=actor.can("task:create") and project.status is ProjectStatus.ACTIVE,
        can_move=actor.can("task:update"),
        can_manage=actor.can("project:update"),
        quick_text=quick_text,
        preview=preview,
        problem=" ".join(p for p in (problem, query.problem) if p) or None,
    )


async def _column(
    actor: Actor, only: TaskFilter, *, sort: str, limit: int, now: datetime, timezone: str
) -> Column:
    shown = await list_tasks(actor, only, sort=sort, limit=limit)
    total = len(shown.items) if shown.next_cursor is None else await count_tasks(actor, only)
    cards = tuple(card_of(task, now=now, timezone=timezone) for task in shown.items)
    return Column(status=only.statuses[0].value, cards=cards, total=total)


async def _activity(
    actor: Actor, project: ProjectView, people: list[MemberView], timezone: str
) -> list[HistoryLine]:
    events = await activity.list_project_activity(
        actor, project_id=project.id, limit=ACTIVITY_LIMIT
    )
    keys = await task_keys(actor, (e.task_id for e in events if e.task_id))
    names = {str(m.user.id): m.user.name for m in people}
    return [history_line(e, timezone=timezone, people=names, task_keys=keys) for e in events]
