"""One task on the web: `/tasks/KEY` shows it (edit form, where it came from, comments,
history); posting the form saves it; `/tasks/KEY/comments` adds a comment.

The form carries the version it was loaded with. If the task changed since (from Slack,
the API, a webhook or another browser), the save is refused with a 409 and the page
shows the task as it is now beside what was typed: nothing is silently overwritten.
Refused fields come back with a 422 and a message next to each.
"""

from __future__ import annotations

from collections.abc import Mapping

from quart import Blueprint, Response, redirect, request
from quart_schema import hide

from core.clock import utcnow
from core.errors import StaleVersion, ValidationFailed
from core.services import comments, members, tasks
from core.services.task_queries import get_task
from dashboards.pages import FormState, TaskPage, render_task, sentence
from webhooks.web.board_data import viewer_timezone
from webhooks.web.flash import flash
from webhooks.web.guard import protect
from webhooks.web.responses import chrome_for, html, require_session
from webhooks.web.session import WebSession
from webhooks.web.task_data import COMMENT_FORM, TASK_FORM, edit_conflict, task_page
from webhooks.web.task_form import read_edit_form, service_errors

blueprint = Blueprint("web_tasks", __name__)
protect(blueprint)


@blueprint.get("/tasks/<key>")
@hide
async def task(key: str) -> Response:
    """The task page; viewers get it read-only (404 for another organization's task)."""
    session = await require_session()
    return await _show(session, await task_page(session.actor, key))


@blueprint.post("/tasks/<key>")
@hide
async def save(key: str) -> Response:
    """Save the edit form: 303 back to the task, 422 with field messages, 409 when stale."""
    session = await require_session()
    actor = session.actor
    actor.require("task:update")
    form = await request.form
    current = await get_task(actor, key)
    edit = read_edit_form(
        form,
        task=current,
        people=await members.list_members(actor),
        timezone=await viewer_timezone(actor),
        now=utcnow(),
        can_assign=actor.can("task:assign"),
    )
    if edit.version is not None and edit.version != current.version:
        return await _stale(session, key, edit.values)
    if edit.changes is None:
        return await _refused(session, key, edit.values, edit.errors)
    try:
        saved = await tasks.update_task(actor, key, edit.changes, expected_version=edit.version)
    except StaleVersion:
        return await _stale(session, key, edit.values)
    except ValidationFailed as exc:
        return await _refused(session, key, edit.values, service_errors(exc))
    flash(f"{saved.key} is saved." if saved.version != current.version else "Nothing changed.")
    return redirect(f"/tasks/{saved.key}", 303)


@blueprint.post("/tasks/<key>/comments")
@hide
async def comment(key: str) -> Response:
    """Add a comment; an empty or too long one comes back with its message (422)."""
    session = await require_session()
    body = (await request.form).get("body", "")
    try:
        await comments.add_comment(session.actor, key, body=body)
    except ValidationFailed as exc:
        refused = FormState(COMMENT_FORM, {"body": body}, {"body": sentence(exc.message)})
        return await _show(session, await task_page(session.actor, key, comment=refused), 422)
    flash("Your comment is added.")
    return redirect(f"/tasks/{key}#comments", 303)


async def _stale(session: WebSession, key: str, typed: Mapping[str, str]) -> Response:
    conflict = await edit_conflict(session.actor, key, typed)
    return await _show(session, await task_page(session.actor, key, conflict=conflict), 409)


async def _refused(
    session: WebSession, key: str, typed: Mapping[str, str], errors: Mapping[str, str]
) -> Response:
    form = FormState(TASK_FORM, dict(typed), dict(errors))
    return await _show(session, await task_page(session.actor, key, form=form), 422)


async def _show(session: WebSession, page: TaskPage, status: int = 200) -> Response:
    title = f"{page.task.key} {page.task.title}"
    chrome = await chrome_for(session, title=title, active="projects", live=True)
    return html(render_task(chrome, page), status)
