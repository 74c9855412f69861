"""/api/v1/tasks and /api/v1/projects/{id}: tasks, comments, activity, projects."""

from __future__ import annotations

from quart import Blueprint, Response, g
from quart_schema import (
    document_response,
    tag,
    validate_querystring,
    validate_request,
    validate_response,
)

from core.enums import Source
from core.errors import ValidationFailed
from core.services import comments, projects, tasks
from core.services.activity import list_task_activity
from core.services.task_queries import get_task, list_tasks
from core.views import Page, TaskView
from webhooks.api.inputs import (
    CommentIn,
    PageQuery,
    ProjectUpdateIn,
    TaskCreateAnywhereIn,
    TaskCreateIn,
    TaskListQuery,
    TaskPatchIn,
    TaskReplaceIn,
)
from webhooks.api.outputs import ActivityOut, CommentOut, Empty, ProjectOut, TaskOut, task_fields
from webhooks.api.task_params import etag, expected_version, task_filter
from webhooks.auth.caller import current_actor
from webhooks.envelope import Envelope, PageEnvelope, json_ok, ok
from webhooks.errors import error_responses
from webhooks.metrics import current_metrics
from webhooks.runtime import runtime

blueprint = Blueprint("tasks", __name__, url_prefix="/api/v1")


def _page(page: Page[TaskView], limit: int) -> Response:
    return json_ok(
        [task_fields(t) for t in page.items],
        next_cursor=page.next_cursor,
        has_more=page.next_cursor is not None,
        limit=limit,
    )


def _task(view: TaskView, status: int = 200) -> tuple[dict, int, dict[str, str]]:
    _count(view, created=status == 201)
    return ok(TaskOut.of(view)), status, etag(view.version)


def _count(view: TaskView, *, created: bool) -> None:
    """Domain counters: a task created here, or completed by this very request."""
    metrics = current_metrics()
    if created:
        metrics.task_created(Source.API.value)
    if view.completed_at is not None and view.completed_at >= g.received_at:
        metrics.task_completed(Source.API.value)


@blueprint.get("/tasks")
@tag(["tasks"])
@validate_querystring(TaskListQuery)
@document_response(PageEnvelope[TaskOut], 200)
async def list_all(query_args: TaskListQuery) -> Response:
    """Tasks across projects, filtered and sorted; follow `meta.next_cursor` for more."""
    actor = await current_actor()
    page = await list_tasks(
        actor,
        task_filter(query_args, actor),
        sort=query_args.sort,
        limit=query_args.limit,
        cursor=query_args.cursor,
    )
    return _page(page, query_args.limit)


@blueprint.post("/tasks")
@tag(["tasks"])
@validate_request(TaskCreateAnywhereIn)
@validate_response(Envelope[TaskOut], 201)
async def create_anywhere(data: TaskCreateAnywhereIn) -> tuple[dict, int, dict[str, str]]:
    """Create a task in the project named by id or key."""
    actor = await current_actor()
    fields = data.model_dump(exclude={"project"})
    return _task(await tasks.create_task(actor, project=data.project, **fields), 201)


@blueprint.get("/tasks/<ref>")
@tag(["tasks"])
@validate_response(Envelope[TaskOut], 200)
async def get(ref: str) -> tuple[dict, int, dict[str, str]]:
    """One task, by id or key (`WEB-42`). The ETag is its version."""
    actor = await current_actor()
    return _task(await get_task(actor, ref))


@blueprint.patch("/tasks/<ref>")
@tag(["tasks"])
@error_responses(412)
@validate_request(TaskPatchIn)
@validate_response(Envelope[TaskOut], 200)
async def patch(ref: str, data: TaskPatchIn) -> tuple[dict, int, dict[str, str]]:
    """Change the fields sent. With `If-Match`, a stale version gets 412 and changes nothing."""
    actor = await current_actor()
    given = {name: getattr(data, name) for name in data.model_fields_set}
    for required in ("title", "status", "priority", "description", "labels"):
        if required in given and given[required] is None:
            raise ValidationFailed.on(required, f"{required} cannot be null")
    changes = tasks.TaskChanges(**given)
    view = await tasks.update_task(actor, ref, changes, expected_version=expected_version())
    return _task(view)


@blueprint.put("/tasks/<ref>")
@tag(["tasks"])
@error_responses(412)
@validate_request(TaskReplaceIn)
@validate_response(Envelope[TaskOut], 200)
async def replace(ref: str, data: TaskReplaceIn) -> tuple[dict, int, dict[str, str]]:
    """Replace every editable field; omitted ones take their defaults."""
    actor = await current_actor()
    changes = tasks.TaskChanges(**data.model_dump())
    view = await tasks.update_task(actor, ref, changes, expected_version=expected_version())
    return _task(view)


@blueprint.delete("/tasks/<ref>")
@tag(["tasks"])
@error_responses(412)
@validate_response(Envelope[Empty], 200)
async def delete(ref: str) -> dict:
    """Soft delete: the task disappears from lists; its history stays."""
    actor = await current_actor()
    await tasks.delete_task(actor, ref, expected_version=expected_version())
    return ok(Empty())


@blueprint.get("/tasks/<ref>/comments")
@tag(["comments"])
@validate_response(Envelope[list[CommentOut]], 200)
async def list_comments(ref: str) -> dict:
    actor = await current_actor()
    return ok([CommentOut.of(c) for c in await comments.list_comments(actor, ref)])


@blueprint.post("/tasks/<ref>/comments")
@tag(["comments"])
@validate_request(CommentIn)
@validate_response(Envelope[CommentOut], 201)
async def add_comment(ref: str, data: CommentIn) -> tuple[dict, int]:
    actor = await current_actor()
    return ok(CommentOut.of(await comments.add_comment(actor, ref, body=data.body))), 201


@blueprint.get("/tasks/<ref>/activity")
@tag(["activity"])
@validate_querystring(PageQuery)
@validate_response(Envelope[list[ActivityOut]], 200)
async def activity(ref: str, query_args: PageQuery) -> dict:
    """Who changed what and when, oldest first, with before/after values."""
    actor = await current_actor()
    task = await get_task(actor, ref)
    trail = await list_task_activity(actor, task_id=task.id, limit=query_args.limit)
    return ok([ActivityOut.of(a) for a in trail])


@blueprint.get("/projects/<project_ref>")
@tag(["projects"])
@validate_response(Envelope[ProjectOut], 200)
async def get_project(project_ref: str) -> dict:
    """One project, by id or key."""
    actor = await current_actor()
    return ok(ProjectOut.of(await runtime().projects.get(actor, project_ref)))


@blueprint.patch("/projects/<project_ref>")
@tag(["projects"])
@validate_request(ProjectUpdateIn)
@validate_response(Envelope[ProjectOut], 200)
async def update_project(project_ref: str, data: ProjectUpdateIn) -> dict:
    actor = await current_actor()
    view = await projects.update_project(
        actor, ref=project_ref, name=data.name, description=data.description
    )
    await runtime().projects.forget(view)
    return ok(ProjectOut.of(view))


@blueprint.post("/projects/<project_ref>/archive")
@tag(["projects"])
@validate_response(Envelope[ProjectOut], 200)
async def archive_project(project_ref: str) -> dict:
    """Archive: tasks stay readable, no new ones. `DELETE /archive` restores."""
    actor = await current_actor()
    view = await projects.set_archived(actor, ref=project_ref, archived=True)
    await runtime().projects.forget(view)
    return ok(ProjectOut.of(view))


@blueprint.delete("/projects/<project_ref>/archive")
@tag(["projects"])
@validate_response(Envelope[ProjectOut], 200)
async def restore_project(project_ref: str) -> dict:
    actor = await current_actor()
    view = await projects.set_archived(actor, ref=project_ref, archived=False)
    await runtime().projects.forget(view)
    return ok(ProjectOut.of(view))


@blueprint.get("/projects/<project_ref>/tasks")
@tag(["tasks"])
@validate_querystring(TaskListQuery)
@document_response(PageEnvelope[TaskOut], 200)
async def list_project_tasks(project_ref: str, query_args: TaskListQuery) -> Response:
    actor = await current_actor()
    project = await runtime().projects.get(actor, project_ref)
    page = await list_tasks(
        actor,
        task_filter(query_args, actor, project=project),
        sort=query_args.sort,
        limit=query_args.limit,
        cursor=query_args.cursor,
    )
    return _page(page, query_args.limit)


@blueprint.post("/projects/<project_ref>/tasks")
@tag(["tasks"])
@validate_request(TaskCreateIn)
@validate_response(Envelope[TaskOut], 201)
async def create_in_project(
    project_ref: str, data: TaskCreateIn
) -> tuple[dict, int, dict[str, str]]:
    actor = await current_actor()
    return _task(await tasks.create_task(actor, project=project_ref, **data.model_dump()), 201)
