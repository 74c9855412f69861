"""Carrying out inbound webhook actions through the ordinary task and comment services.

Who acts: the sender's linked ExternalIdentity (a GitHub/GitLab login linked to a member)
when there is one, else the member who created the endpoint. Either way the actor has
member permissions and Source.WEBHOOK, so every change lands in the Activity log like
any other and Slack, dashboards and outbound webhooks see it.

Every lookup is scoped to the endpoint's organization: a task key of another
organization in a pull request body simply finds nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tortoise.transactions import in_transaction

from core.enums import TaskStatus
from core.errors import NotFound
from core.models import Task, TaskExternalLink
from core.permissions import Actor
from core.services import comments, tasks
from core.services.activity import record
from core.services.inbound_actions import (
    Acknowledge,
    AssignIssue,
    CloseIssue,
    CommentOnIssue,
    CommitsPushed,
    GenericRequest,
    PullRequestChanged,
    ReopenIssue,
    SetIssueLabels,
    UpsertIssue,
)
from core.services.inbound_generic import apply_generic
from core.services.inbound_targets import (
    ISSUE,
    REFERENCE,
    Target,
    acting_user,
    acting_user_and_linked_task,
    clean_labels,
    description_with_link,
    link,
    link_new_task,
    linked_task,
    linked_task_id,
    linked_user,
)
from core.services.task_fields import TITLE_MAX
from core.services.task_queries import load_task

COMMENT_MAX = 4000


async def apply(target: Target, actions: list[Any]) -> None:
    """Apply every action; the caller wraps this in one transaction (the services called
    here rely on it: a task is added and linked inside it)."""
    for action in actions:
        handler = HANDLERS[type(action)]
        await handler(target, action)


async def _upsert_issue(target: Target, action: UpsertIssue) -> None:
    actor, task_id = await acting_user_and_linked_task(target, action.sender, action.ref, ISSUE)
    title = (action.title or action.ref.external_id)[:TITLE_MAX]
    description = description_with_link(action.description, action.ref.url)
    labels = clean_labels(action.labels)
    if task_id is not None:
        changes = tasks.TaskChanges(title=title, description=description)
        if labels is not None:
            changes = tasks.TaskChanges(title=title, description=description, labels=labels)
        await tasks.update_task(actor, task_id, changes)
        return
    task_id = await tasks.add_task(
        actor,
        project=target.project_id,
        title=title,
        description=description,
        labels=labels or (),
    )
    await link_new_task(target, task_id, action.ref, ISSUE)


async def _close_issue(target: Target, action: CloseIssue) -> None:
    task_id = await linked_task_id(target, action.ref, ISSUE)
    if task_id is not None:
        await tasks.complete_task(await acting_user(target, action.sender), task_id)


async def _reopen_issue(target: Target, action: ReopenIssue) -> None:
    task_id = await linked_task_id(target, action.ref, ISSUE)
    if task_id is not None:
        await tasks.reopen_task(await acting_user(target, action.sender), task_id)


async def _assign_issue(target: Target, action: AssignIssue) -> None:
    task = await linked_task(target, action.ref, ISSUE)
    if task is None:
        return
    actor = await acting_user(target, action.sender)
    if action.login is not None:
        user_id = await linked_user(target, action.login)
        if user_id is not None:
            await tasks.assign_task(actor, task.id, assignee_id=user_id)
        return
    if action.unassigned is not None:
        user_id = await linked_user(target, action.unassigned)
        if user_id is not None and task.assignee_id == user_id:  # type: ignore[attr-defined]
            await tasks.assign_task(actor, task.id, assignee_id=None)


async def _set_labels(target: Target, action: SetIssueLabels) -> None:
    task_id = await linked_task_id(target, action.ref, ISSUE)
    if task_id is not None:
        labels = clean_labels(action.labels) or []
        actor = await acting_user(target, action.sender)
        await tasks.update_task(actor, task_id, tasks.TaskChanges(labels=labels))


async def _comment(target: Target, action: CommentOnIssue) -> None:
    task_id = await linked_task_id(target, action.ref, ISSUE)
    if task_id is None or not action.body.strip():
        return
    actor = await acting_user(target, action.sender)
    linked = action.sender and await linked_user(target, action.sender) == actor.user_id
    text = action.body if linked else f"{action.author} on {target.provider}: {action.body}"
    await comments.add_comment(actor, task_id, body=text[:COMMENT_MAX])


async def _tasks_for_keys(actor: Actor, keys: tuple[str, ...]) -> list[Task]:
    found = []
    for key in keys:
        try:
            found.append(await load_task(actor, key))
        except NotFound:  # no such key in this organization (maybe another one's): ignored
            continue
    return found


async def _pull_request(target: Target, action: PullRequestChanged) -> None:
    actor = await acting_user(target, action.sender)
    mentioned = await _tasks_for_keys(actor, action.keys)
    linked_ids = await TaskExternalLink.filter(
        organization_id=target.organization_id,
        provider=action.ref.provider,
        kind=REFERENCE,
        external_id=action.ref.external_id,
        task__is_active=True,
    ).values_list("task_id", flat=True)
    targets = {task.id: task for task in mentioned}
    for task in await Task.filter(id__in=list(linked_ids)):
        targets.setdefault(task.id, task)
    for task in targets.values():
        await link(target, task.id, action.ref, REFERENCE)
        await PULL_REQUEST_STATES[action.state](actor, task)


async def _to_review(actor: Actor, task: Task) -> None:
    if task.status in {TaskStatus.TODO, TaskStatus.IN_PROGRESS}:
        await tasks.move_task(actor, task.id, status=TaskStatus.IN_REVIEW)


async def _merged(actor: Actor, task: Task) -> None:
    await tasks.complete_task(actor, task.id)


async def _closed_unmerged(actor: Actor, task: Task) -> None:
    if task.status is TaskStatus.IN_REVIEW:
        await tasks.move_task(actor, task.id, status=TaskStatus.IN_PROGRESS)


PULL_REQUEST_STATES: dict[str, Callable[[Actor, Task], Awaitable[None]]] = {
    "open": _to_review,
    "merged": _merged,
    "closed": _closed_unmerged,
}


async def _commits(target: Target, action: CommitsPushed) -> None:
    actor = await acting_user(target, action.sender)
    for commit in action.commits:
        for task in await _tasks_for_keys(actor, commit.keys):
            async with in_transaction():
                await record(
                    actor,
                    action="task.commit_mentioned",
                    entity_type="task",
                    entity_id=task.id,
                    task_id=task.id,
                    project_id=task.project_id,  # type: ignore[attr-defined]
                    changes={
                        "commit": {"from": None, "to": commit.url or commit.sha},
                        "message": {"from": None, "to": commit.message[:200]},
                    },
                )


async def _acknowledge(target: Target, action: Acknowledge) -> None:
    return None


async def _generic(target: Target, action: GenericRequest) -> None:
    await apply_generic(target, action, actor=await acting_user(target, action.sender))


HANDLERS: dict[type, Callable[[Target, Any], Awaitable[None]]] = {
    Acknowledge: _acknowledge,
    UpsertIssue: _upsert_issue,
    CloseIssue: _close_issue,
    ReopenIssue: _reopen_issue,
    AssignIssue: _assign_issue,
    SetIssueLabels: _set_labels,
    CommentOnIssue: _comment,
    PullRequestChanged: _pull_request,
    CommitsPushed: _commits,
    GenericRequest: _generic,
}
