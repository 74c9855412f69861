"""The input blocks of the task form, shared by the create and edit modals."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.blocks import elements as el
from bot.blocks import ids, limits, text
from core.enums import ProjectStatus, TaskPriority
from core.views import ProjectView

TITLE_MAX = 255
DESCRIPTION_MAX = 2000
LABELS_MAX = 1000


def task_form_blocks(
    *,
    projects: list[ProjectView],
    title: str,
    description: str,
    project_key: str | None,
    assignee_slack_id: str | None,
    due: date | None,
    priority: str,
    labels: str,
) -> list[dict]:
    """Title, description, project, assignee, due, priority, labels: each block_id/`value`."""
    return [
        el.input_block(
            block_id=ids.BLOCK_TITLE,
            label=text.LABEL_TITLE,
            element=el.text_input(
                action_id=ids.VALUE,
                max_length=TITLE_MAX,
                placeholder=text.PLACEHOLDER_TITLE,
                initial=title,
            ),
        ),
        el.input_block(
            block_id=ids.BLOCK_DESCRIPTION,
            label=text.LABEL_DESCRIPTION,
            optional=True,
            element=el.text_input(
                action_id=ids.VALUE,
                max_length=DESCRIPTION_MAX,
                placeholder=text.PLACEHOLDER_DESCRIPTION,
                multiline=True,
                initial=description,
            ),
        ),
        _project_block(projects, project_key),
        el.input_block(
            block_id=ids.BLOCK_ASSIGNEE,
            label=text.LABEL_ASSIGNEE,
            optional=True,
            element=el.users_select(
                action_id=ids.VALUE,
                placeholder=text.PLACEHOLDER_ASSIGNEE,
                initial_user=assignee_slack_id,
            ),
        ),
        el.input_block(
            block_id=ids.BLOCK_DUE,
            label=text.LABEL_DUE,
            optional=True,
            element=el.datepicker(action_id=ids.VALUE, placeholder=text.LABEL_DUE, initial=due),
        ),
        el.input_block(
            block_id=ids.BLOCK_PRIORITY,
            label=text.LABEL_PRIORITY,
            element=_priority_select(priority),
        ),
        el.input_block(
            block_id=ids.BLOCK_LABELS,
            label=text.LABEL_LABELS,
            optional=True,
            hint=text.HINT_LABELS,
            element=el.text_input(
                action_id=ids.VALUE,
                max_length=LABELS_MAX,
                placeholder=text.PLACEHOLDER_LABELS,
                initial=labels,
            ),
        ),
    ]


def _project_block(projects: list[ProjectView], selected: str | None) -> dict:
    """A select of the active projects (plus the selected one, even if archived).

    Slack refuses a select without options, so with no project at all the form says
    how to create one instead; `read_task_form` then reads no project.
    """
    choices = [p for p in projects if p.status is ProjectStatus.ACTIVE or p.key == selected]
    if not choices:
        return el.section(text.NO_PROJECTS)
    kept = choices[: limits.OPTIONS_PER_SELECT]
    chosen = next((p for p in choices if p.key == selected), None)
    if chosen is not None and chosen not in kept:
        kept[-1] = chosen
    options = [el.option(_project_label(p), p.key) for p in kept]
    select = el.static_select(
        action_id=ids.VALUE,
        options=options,
        placeholder=text.PLACEHOLDER_PROJECT,
        initial_value=selected,
    )
    return el.input_block(block_id=ids.BLOCK_PROJECT, label=text.LABEL_PROJECT, element=select)


def _project_label(project: ProjectView) -> str:
    return text.PROJECT_OPTION.format(key=project.key, name=project.name)


def _priority_select(initial: str) -> dict[str, Any]:
    options = [
        el.option(f"{text.PRIORITY_EMOJI[p]} {text.PRIORITY_LABELS[p]}", p.label)
        for p in TaskPriority
    ]
    chosen = initial if initial in {p.label for p in TaskPriority} else TaskPriority.MEDIUM.label
    return el.static_select(
        action_id=ids.VALUE,
        options=options,
        placeholder=text.PLACEHOLDER_PRIORITY,
        initial_value=chosen,
    )
