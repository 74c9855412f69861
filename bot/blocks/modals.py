"""The create, edit and comment modals; `forms.py` reads what they submit."""

from __future__ import annotations

from dataclasses import dataclass

from bot.blocks import elements as el
from bot.blocks import ids, limits, text
from bot.blocks.dates import local_date
from bot.blocks.form_fields import task_form_blocks
from bot.blocks.mrkdwn import bold, escape, escape_fit
from core.enums import ProjectStatus
from core.views import ProjectView, TaskView

# Comments may be 4000 characters in core, but Slack refuses a plain_text_input
# whose max_length is over 3000.
BODY_MAX = 3000
COMMENT_CONTEXT_TITLE_MAX = 200


@dataclass(frozen=True)
class TaskFormInitial:
    title: str = ""
    description: str = ""
    project_key: str | None = None
    assignee_slack_id: str | None = None
    priority: str = "medium"


def create_modal(
    *,
    projects: list[ProjectView],
    private_metadata: str,
    initial: TaskFormInitial | None = None,
) -> dict:
    """The new-task form; with a single active project, that project is preselected."""
    initial = initial or TaskFormInitial()
    project_key = initial.project_key or _only_project_key(projects)
    blocks = task_form_blocks(
        projects=projects,
        title=initial.title,
        description=initial.description,
        project_key=project_key,
        assignee_slack_id=initial.assignee_slack_id,
        due=None,
        priority=initial.priority,
        labels="",
    )
    return _modal(
        ids.CALLBACK_TASK_CREATE,
        title=text.MODAL_CREATE_TITLE,
        submit=text.MODAL_CREATE_SUBMIT,
        private_metadata=private_metadata,
        blocks=blocks,
    )


def edit_modal(
    task: TaskView,
    *,
    projects: list[ProjectView],
    private_metadata: str,
    assignee_slack_id: str | None,
    timezone: str,
) -> dict:
    """The task's form, filled in; the due date is the task's day in the viewer's zone."""
    blocks = task_form_blocks(
        projects=projects,
        title=task.title,
        description=task.description,
        project_key=task.project_key,
        assignee_slack_id=assignee_slack_id,
        due=local_date(task.due_at, timezone) if task.due_at else None,
        priority=task.priority.label,
        labels=", ".join(task.labels),
    )
    return _modal(
        ids.CALLBACK_TASK_EDIT,
        title=text.MODAL_EDIT_TITLE.format(key=task.key),
        submit=text.MODAL_EDIT_SUBMIT,
        private_metadata=private_metadata,
        blocks=blocks,
    )


def comment_modal(task: TaskView, *, private_metadata: str) -> dict:
    about = f"{bold(escape(task.key))}  {escape_fit(task.title, COMMENT_CONTEXT_TITLE_MAX)}"
    body = el.text_input(
        action_id=ids.VALUE, max_length=BODY_MAX, placeholder=text.PLACEHOLDER_BODY, multiline=True
    )
    return _modal(
        ids.CALLBACK_TASK_COMMENT,
        title=text.MODAL_COMMENT_TITLE.format(key=task.key),
        submit=text.MODAL_COMMENT_SUBMIT,
        private_metadata=private_metadata,
        blocks=[
            el.context(about),
            el.input_block(block_id=ids.BLOCK_BODY, label=text.LABEL_BODY, element=body),
        ],
    )


def _modal(
    callback_id: str, *, title: str, submit: str, private_metadata: str, blocks: list[dict]
) -> dict:
    """A modal view; metadata is JSON the listener parses back, so it is never cut."""
    if len(private_metadata) > limits.PRIVATE_METADATA:
        raise ValueError(f"private_metadata exceeds Slack's {limits.PRIVATE_METADATA} characters")
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": el.plain(title, limits.MODAL_TITLE),
        "submit": el.plain(submit, limits.MODAL_BUTTON),
        "close": el.plain(text.MODAL_CLOSE, limits.MODAL_BUTTON),
        "private_metadata": private_metadata,
        "blocks": blocks[: limits.BLOCKS_PER_VIEW],
    }


def _only_project_key(projects: list[ProjectView]) -> str | None:
    active = [p for p in projects if p.status is ProjectStatus.ACTIVE]
    return active[0].key if len(active) == 1 else None
