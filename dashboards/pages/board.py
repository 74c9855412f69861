"""A project's board: a column per status, a card per task, filters, quick add and the
project's recent activity.

The columns are also rendered alone (`render_board_columns`): `board.json` carries them
so the page's script can swap them in after a move or a live update, from the same
template as the first render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from core.enums import TaskPriority, TaskStatus
from core.views import ProjectView, TaskView
from dashboards.pages.chrome import Chrome
from dashboards.pages.dashboard import Option
from dashboards.pages.environment import label, render
from dashboards.pages.history import HistoryLine
from dashboards.pages.local_time import local
from dashboards.pages.quick_add import EXAMPLE, QuickAddPreview

STATUSES = tuple(s.value for s in TaskStatus)
PRIORITIES = tuple(p.label for p in TaskPriority)


@dataclass(frozen=True, kw_only=True)
class Card:
    key: str
    title: str
    status: str
    version: int
    assignee: str
    priority: str
    due: str
    due_long: str
    overdue: bool
    labels: tuple[str, ...]

    @property
    def previous_status(self) -> str | None:
        at = STATUSES.index(self.status)
        return STATUSES[at - 1] if at > 0 else None

    @property
    def next_status(self) -> str | None:
        at = STATUSES.index(self.status)
        return STATUSES[at + 1] if at + 1 < len(STATUSES) else None


def card_of(task: TaskView, *, now: datetime, timezone: str) -> Card:
    """What a card shows of a task, dates in the reader's time zone."""
    return Card(
        key=task.key,
        title=task.title,
        status=task.status.value,
        version=task.version,
        assignee=task.assignee.name if task.assignee else "",
        priority=task.priority.label,
        due=local(task.due_at, timezone, "date") if task.due_at else "",
        due_long=local(task.due_at, timezone, "long") if task.due_at else "",
        overdue=task.is_overdue(now),
        labels=task.labels,
    )


@dataclass(frozen=True)
class Column:
    status: str
    cards: tuple[Card, ...]
    total: int

    @property
    def title(self) -> str:
        return label(self.status)

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.cards))


@dataclass(frozen=True, kw_only=True)
class BoardFilters:
    """The board's filters as the query string gave them (`assignee` is a user id, `me`
    or `none`)."""

    assignee: str = ""
    label: str = ""
    priority: str = ""
    overdue: bool = False
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.assignee or self.label or self.priority or self.overdue or self.q)

    def query(self) -> str:
        pairs = {
            "assignee": self.assignee,
            "label": self.label,
            "priority": self.priority,
            "overdue": "1" if self.overdue else "",
            "q": self.q,
        }
        return urlencode({k: v for k, v in pairs.items() if v})


@dataclass(frozen=True, kw_only=True)
class BoardPage:
    project: ProjectView
    columns: tuple[Column, ...]
    timezone: str
    filters: BoardFilters = field(default_factory=BoardFilters)
    assignees: tuple[Option, ...] = ()
    labels: tuple[str, ...] = ()
    activity: tuple[HistoryLine, ...] = ()
    can_create: bool = False
    can_move: bool = False
    can_manage: bool = False
    quick_text: str = ""
    preview: QuickAddPreview | None = None
    problem: str | None = None

    @property
    def path(self) -> str:
        return f"/projects/{self.project.key}"

    @property
    def return_path(self) -> str:
        """Where a move from this board comes back to: the board with its filters."""
        query = self.filters.query()
        return self.path + (f"?{query}" if query else "")

    @property
    def archived(self) -> bool:
        return self.project.status.value == "archived"


def render_board(chrome: Chrome, page: BoardPage) -> str:
    """The whole board page."""
    return render(
        "board.html",
        chrome=chrome,
        page=page,
        statuses=STATUSES,
        priorities=PRIORITIES,
        example=EXAMPLE,
    )


def render_board_columns(page: BoardPage, *, csrf_token: str) -> str:
    """Only the columns: what live updates and moves swap in."""
    return render("_board_columns.html", page=page, csrf_token=csrf_token, statuses=STATUSES)


def board_payload(page: BoardPage, *, csrf_token: str) -> dict[str, Any]:
    """`board.json`: each column's cards as data, and the columns' HTML."""
    return {
        "project": page.project.key,
        "columns": [
            {
                "status": column.status,
                "total": column.total,
                "tasks": [
                    {
                        "key": card.key,
                        "title": card.title,
                        "status": card.status,
                        "version": card.version,
                        "assignee": card.assignee or None,
                        "priority": card.priority,
                        "due": card.due or None,
                        "overdue": card.overdue,
                        "labels": list(card.labels),
                    }
                    for card in column.cards
                ],
            }
            for column in page.columns
        ],
        "html": render_board_columns(page, csrf_token=csrf_token),
    }
