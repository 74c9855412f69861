"""A project's board: `/projects/KEY` (the page, filters in the query string),
`/projects/KEY/board.json` (its columns again, for live redraws), and moving a card
(`/tasks/KEY/move`: a form post that comes back to the board; `/tasks/KEY/move.json`:
the same for the page's script).

A move carries the version of the task the board showed. When the task changed since,
nothing moves: the form gets the board as it is now with a 409, the script a 409 with
the task's current status and version.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from quart import Blueprint, Response, jsonify, redirect, request
from quart_schema import hide
from werkzeug.datastructures import MultiDict

from core.errors import StaleVersion, ValidationFailed
from core.permissions import Actor
from core.services import activity, projects, tasks
from core.services.task_queries import get_task
from core.views import TaskView
from dashboards.pages import board_payload, render_board, sentence
from dashboards.pages.environment import label
from webhooks.web.board_data import board_page
from webhooks.web.csrf import csrf_token
from webhooks.web.flash import flash
from webhooks.web.guard import protect
from webhooks.web.responses import chrome_for, html, require_session, safe_next
from webhooks.web.session import WebSession

blueprint = Blueprint("web_board", __name__)
protect(blueprint)

STALE_MOVE = (
    "{key} was not moved: {who} changed it since this board was loaded. It is now in {status}."
)
BOARD_IS_CURRENT = " The board below is up to date."
NO_VERSION = "This board is out of date: reload it and move the card again."


@blueprint.get("/projects/<key>")
@hide
async def board(key: str) -> Response:
    """One project's board (404 for another organization's project, as for none)."""
    session = await require_session()
    project = await projects.get_project(session.actor, key)
    chrome = await chrome_for(session, title=project.name, active="projects", live=True)
    return html(render_board(chrome, await board_page(session.actor, project, request.args)))


@blueprint.get("/projects/<key>/board")
@hide
async def board_alias(key: str) -> Response:
    query = request.query_string.decode()
    return redirect(f"/projects/{key.upper()}" + (f"?{query}" if query else ""), 303)


@blueprint.get("/projects/<key>/board.json")
@hide
async def board_json(key: str) -> Response:
    """The columns for the same filters, as data and as HTML to swap in."""
    session = await require_session()
    project = await projects.get_project(session.actor, key)
    page = await board_page(session.actor, project, request.args)
    return jsonify(board_payload(page, csrf_token=csrf_token()))


@blueprint.post("/tasks/<key>/move")
@hide
async def move(key: str) -> Response:
    """Move a card from the board's form; back to the board (409 with it when stale)."""
    session = await require_session()
    form = await request.form
    back = safe_next(form.get("next"), default="/projects")
    try:
        task = await _move(session.actor, key, form)
    except StaleVersion:
        return await _stale_board(session, key, back)
    except ValidationFailed as exc:
        flash(sentence(exc.message), kind="error")
        return redirect(back, 303)
    flash(f"{task.key} is now in {label(task.status)}.")
    return redirect(f"{back}#task-{task.key}", 303)


@blueprint.post("/tasks/<key>/move.json")
@hide
async def move_json(key: str) -> Response:
    """The same move for the board's script: the task's new status and version."""
    session = await require_session()
    try:
        task = await _move(session.actor, key, await request.form)
    except StaleVersion:
        current = await get_task(session.actor, key)
        message = await _stale_message(session.actor, current)
        response = jsonify({"error": {"status": 409, "message": message}, "task": _brief(current)})
        response.status_code = 409
        return response
    return jsonify({"task": _brief(task), "message": f"{task.key} is now in {label(task.status)}."})


async def _move(actor: Actor, key: str, form: MultiDict) -> TaskView:
    actor.require("task:update")
    status = (form.get("to") or form.get("status") or "").strip()
    try:
        version = int(form.get("version", ""))
    except ValueError:
        raise ValidationFailed.on("version", NO_VERSION) from None
    return await tasks.move_task(actor, key, status=status, expected_version=version)


async def _stale_board(session: WebSession, key: str, back: str) -> Response:
    """The board the move came from, as it is now, saying why nothing moved."""
    actor = session.actor
    current = await get_task(actor, key)
    project = await projects.get_project(actor, current.project_id)
    address = urlsplit(back)
    same_board = address.path == f"/projects/{project.key}"
    args = MultiDict(parse_qsl(address.query) if same_board else [])
    message = await _stale_message(actor, current) + BOARD_IS_CURRENT
    chrome = await chrome_for(session, title=project.name, active="projects", live=True)
    page = await board_page(actor, project, args, problem=message)
    return html(render_board(chrome, page), 409)


async def _stale_message(actor: Actor, current: TaskView) -> str:
    latest = await activity.latest_task_activity(actor, task_id=current.id)
    who = latest.actor.name if latest and latest.actor else "someone"
    return STALE_MOVE.format(key=current.key, who=who, status=label(current.status))


def _brief(task: TaskView) -> dict[str, object]:
    return {"key": task.key, "status": task.status.value, "version": task.version}
