"""The board's filters from a query string: `assignee` (a member's id, `me` or `none`),
`label`, `priority`, `overdue` and `q` (words in the title or description).

A value that names nothing (a person who is not a member, an unknown priority) is
dropped and said so on the page, rather than failing the whole board.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.enums import TaskPriority
from core.views import MemberView
from dashboards.pages import BoardFilters

TRUE = frozenset({"1", "true", "on", "yes"})
SEARCH_MAX = 200
UNKNOWN_PERSON = "That person is not a member here: showing everyone's tasks."
UNKNOWN_PRIORITY = "Choose low, medium, high or urgent: showing every priority."


@dataclass(frozen=True)
class BoardQuery:
    """What the page shows as chosen, the TaskFilter arguments, and what was dropped."""

    shown: BoardFilters
    task_filter: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None


def parse_board_filters(
    args: Mapping[str, str], *, members: Sequence[MemberView], me: uuid.UUID
) -> BoardQuery:
    criteria: dict[str, Any] = {}
    problems: list[str] = []
    assignee = _assignee(args.get("assignee", ""), members, me, criteria, problems)
    priority = (args.get("priority") or "").strip().lower()
    if priority:
        try:
            criteria["priorities"] = (TaskPriority.parse(priority),)
        except (KeyError, ValueError):
            problems.append(UNKNOWN_PRIORITY)
            priority = ""
    label = (args.get("label") or "").strip().lstrip("+#").lower()
    if label:
        criteria["label"] = label
    overdue = (args.get("overdue") or "").strip().lower() in TRUE
    if overdue:
        criteria["overdue"] = True
    text = (args.get("q") or "").strip()[:SEARCH_MAX]
    if text:
        criteria["text"] = text
    shown = BoardFilters(assignee=assignee, label=label, priority=priority, overdue=overdue, q=text)
    return BoardQuery(shown=shown, task_filter=criteria, problem=" ".join(problems) or None)


def _assignee(
    raw: str,
    members: Sequence[MemberView],
    me: uuid.UUID,
    criteria: dict[str, Any],
    problems: list[str],
) -> str:
    value = raw.strip().lower()
    if not value:
        return ""
    if value == "me":
        criteria["assignee_id"] = me
        return value
    if value == "none":
        criteria["unassigned"] = True
        return value
    try:
        wanted = uuid.UUID(value)
    except ValueError:
        wanted = None
    if wanted is None or all(m.user.id != wanted for m in members):
        problems.append(UNKNOWN_PERSON)
        return ""
    criteria["assignee_id"] = wanted
    return str(wanted)
