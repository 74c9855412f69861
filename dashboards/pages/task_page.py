"""One task's page: every field in an edit form (read-only for viewers), where the task
came from, its comments and its history.

When a save is refused because the task changed since the page was loaded, the form
shows the task as it is now and a table sets what was typed beside the current values;
nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.enums import TaskPriority, TaskStatus
from core.views import CommentView, TaskView
from dashboards.pages.chrome import Chrome
from dashboards.pages.dashboard import Option
from dashboards.pages.environment import label, render
from dashboards.pages.forms import FormState
from dashboards.pages.history import DOORS, HistoryLine
from dashboards.pages.local_time import date_and_time, local

STATUS_OPTIONS = tuple((s.value, label(s.value)) for s in TaskStatus)
PRIORITY_OPTIONS = tuple((p.label, label(p.label)) for p in TaskPriority)
FIELDS = (
    ("title", "Title"),
    ("description", "Description"),
    ("status", "Status"),
    ("priority", "Priority"),
    ("assignee", "Assignee"),
    ("due_date", "Due date"),
    ("due_time", "Due time"),
    ("labels", "Labels"),
)


def task_form_values(task: TaskView, *, timezone: str) -> dict[str, str]:
    """The edit form's fields for a task as stored (due date and time in `timezone`)."""
    due_date, due_time = date_and_time(task.due_at, timezone)
    return {
        "title": task.title,
        "description": task.description,
        "status": task.status.value,
        "priority": task.priority.label,
        "assignee": str(task.assignee.id) if task.assignee else "",
        "due_date": due_date,
        "due_time": due_time,
        "labels": ", ".join(task.labels),
        "version": str(task.version),
    }


@dataclass(frozen=True)
class Difference:
    field: str
    yours: str
    now: str


@dataclass(frozen=True, kw_only=True)
class EditConflict:
    """The task changed since the form was loaded: by whom, and which fields differ."""

    changed_by: str
    differences: tuple[Difference, ...]


def conflict_of(
    submitted: dict[str, str],
    current: dict[str, str],
    *,
    changed_by: str,
    names: dict[str, str],
) -> EditConflict:
    """Fields where what was typed differs from the task now; `names` shows assignee ids
    as names."""
    differences = []
    for name, title in FIELDS:
        yours, now = submitted.get(name, ""), current.get(name, "")
        if name not in submitted or yours.strip() == now.strip():
            continue
        if name == "assignee":
            yours, now = names.get(yours, "Unassigned"), names.get(now, "Unassigned")
        elif name in ("status", "priority"):
            yours, now = label(yours), label(now)
        differences.append(Difference(title, yours or "—", now or "—"))
    return EditConflict(changed_by=changed_by, differences=tuple(differences))


@dataclass(frozen=True)
class CommentLine:
    author: str
    body: str
    when_text: str
    door: str


def comment_line(comment: CommentView, *, timezone: str) -> CommentLine:
    return CommentLine(
        author=comment.author.name if comment.author else "Someone",
        body=comment.body,
        when_text=local(comment.created_at, timezone),
        door=DOORS.get(comment.source, ""),
    )


@dataclass(frozen=True, kw_only=True)
class TaskPage:
    task: TaskView
    form: FormState
    timezone: str
    now: datetime
    assignees: tuple[Option, ...] = ()
    comments: tuple[CommentLine, ...] = ()
    history: tuple[HistoryLine, ...] = ()
    sources: tuple[Any, ...] = ()  # core.services.task_sources.SourceLink
    can_edit: bool = False
    can_assign: bool = False
    can_comment: bool = False
    comment: FormState = field(default_factory=lambda: FormState("comment"))
    conflict: EditConflict | None = None

    @property
    def board_path(self) -> str:
        return f"/projects/{self.task.project_key}"

    @property
    def due_text(self) -> str:
        return local(self.task.due_at, self.timezone, "long") if self.task.due_at else "—"

    @property
    def assignee_options(self) -> list[tuple[str, str]]:
        return [("", "Unassigned")] + [(o.value, o.text) for o in self.assignees]

    def time_text(self, value: datetime | None) -> str:
        return local(value, self.timezone)


def render_task(chrome: Chrome, page: TaskPage) -> str:
    """The task page."""
    return render(
        "task.html",
        chrome=chrome,
        page=page,
        status_options=STATUS_OPTIONS,
        priority_options=PRIORITY_OPTIONS,
    )
