"""Quick add from a board: `POST /projects/KEY/tasks/preview` shows what the text would
create (or why it cannot), `POST /projects/KEY/tasks` saves it and comes back to the
board."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request
from quart_schema import hide

from core.clock import utcnow
from core.errors import ValidationFailed
from core.services import projects
from dashboards.pages import QuickAddPreview, render_board, sentence
from webhooks.web import quick_add
from webhooks.web.board_data import board_page, viewer_timezone
from webhooks.web.flash import flash
from webhooks.web.guard import protect
from webhooks.web.responses import chrome_for, html, require_session

blueprint = Blueprint("web_quick_add", __name__)
protect(blueprint)


@blueprint.post("/projects/<key>/tasks/preview")
@hide
async def preview_task(key: str) -> Response:
    """The board with the preview of the typed text (422 when it cannot be saved)."""
    session = await require_session()
    actor = session.actor
    project = await projects.get_project(actor, key)
    text = (await request.form).get("text", "").strip()
    timezone = await viewer_timezone(actor)
    shown = await quick_add.preview(
        actor, text=text, board=project, now=utcnow(), timezone=timezone
    )
    chrome = await chrome_for(session, title=project.name, active="projects", live=True)
    page = await board_page(actor, project, request.args, quick_text=text, preview=shown)
    return html(render_board(chrome, page), 200 if shown.ok else 422)


@blueprint.post("/projects/<key>/tasks")
@hide
async def create_task(key: str) -> Response:
    """Save the previewed task; back to the board with its key."""
    session = await require_session()
    actor = session.actor
    project = await projects.get_project(actor, key)
    form = await request.form
    timezone = await viewer_timezone(actor)
    try:
        task = await quick_add.create(
            actor, form.to_dict(), board=project, now=utcnow(), timezone=timezone
        )
    except ValidationFailed as exc:
        text = form.get("text", "")
        shown = QuickAddPreview(text=text, error=sentence(exc.message), timezone=timezone)
        chrome = await chrome_for(session, title=project.name, active="projects", live=True)
        page = await board_page(actor, project, {}, quick_text=text, preview=shown)
        return html(render_board(chrome, page), 422)
    where = "" if task.project_key == project.key else f" in {task.project_key}"
    flash(f"Created {task.key}{where}: {task.title}")
    return redirect(f"/projects/{project.key}#task-{task.key}", 303)
