"""The generic webhook: create, update, comment on, complete or reopen a task, addressed
by its key (`WEB-42`) or by the sender's own external id (an alert id).

`create` with an external id that is already linked updates that task (and reopens it
when it was done), so a monitoring tool can fire the same alert twice and still get one
task; `complete` with the same external id closes it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.errors import NotFound, ValidationFailed
from core.models import Task
from core.permissions import Actor
from core.services import comments, tasks
from core.services.inbound_actions import ExternalRef, GenericRequest
from core.services.inbound_targets import (
    EXTERNAL,
    Target,
    clean_labels,
    link_new_task,
    linked_task,
)
from core.services.task_queries import load_task

PROVIDER = "generic"
EDITABLE = ("title", "description", "priority", "labels", "due_at")


async def apply_generic(target: Target, request: GenericRequest, *, actor: Actor) -> None:
    await GENERIC_HANDLERS[request.action](target, request, actor)


def _ref(request: GenericRequest) -> ExternalRef:
    return ExternalRef(
        provider=PROVIDER, external_id=request.external_id or "", title=request.title or ""
    )


async def _find(target: Target, request: GenericRequest, actor: Actor) -> Task | None:
    if request.task:
        return await load_task(actor, request.task)
    if request.external_id:
        return await linked_task(target, _ref(request), EXTERNAL)
    return None


async def _require(target: Target, request: GenericRequest, actor: Actor) -> Task:
    task = await _find(target, request, actor)
    if task is None:
        raise NotFound(f"No task linked to external id {request.external_id}")
    return task


def _changes(request: GenericRequest) -> tasks.TaskChanges:
    given = {name: getattr(request, name) for name in EDITABLE if name in request.fields_given}
    if "labels" in given:
        given["labels"] = clean_labels(given["labels"]) or []
    if given.get("description") is None and "description" in given:
        given["description"] = ""
    return tasks.TaskChanges(**given)


async def _create(target: Target, request: GenericRequest, actor: Actor) -> None:
    existing = await _find(target, request, actor)
    if existing is not None:
        await tasks.update_task(actor, existing.id, _changes(request))
        await tasks.reopen_task(actor, existing.id)
        return
    if not request.title:
        raise ValidationFailed.on("title", "create needs a title")
    task_id = await tasks.add_task(
        actor,
        project=target.project_id,
        title=request.title,
        description=request.description or "",
        priority=request.priority or "medium",
        labels=clean_labels(request.labels) or (),
        due_at=request.due_at,
    )
    if request.external_id:
        await link_new_task(target, task_id, _ref(request), EXTERNAL)


async def _update(target: Target, request: GenericRequest, actor: Actor) -> None:
    task = await _require(target, request, actor)
    await tasks.update_task(actor, task.id, _changes(request))


async def _comment(target: Target, request: GenericRequest, actor: Actor) -> None:
    task = await _require(target, request, actor)
    await comments.add_comment(actor, task.id, body=request.body or "")


async def _complete(target: Target, request: GenericRequest, actor: Actor) -> None:
    task = await _require(target, request, actor)
    await tasks.complete_task(actor, task.id)


async def _reopen(target: Target, request: GenericRequest, actor: Actor) -> None:
    task = await _require(target, request, actor)
    await tasks.reopen_task(actor, task.id)


GENERIC_HANDLERS: dict[str, Callable[[Target, GenericRequest, Actor], Awaitable[None]]] = {
    "create": _create,
    "update": _update,
    "comment": _comment,
    "complete": _complete,
    "reopen": _reopen,
}
