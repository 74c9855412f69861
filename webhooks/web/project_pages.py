"""Managing projects on the web: `/projects` lists them (with a form to create one for
admins and owners), `/projects/KEY/edit` renames one, `/projects/KEY/archive` and
`/restore` archive and restore it. Each form calls the same service as the REST API; a
role that may not gets the service's refusal as a 403 page."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, request
from quart_schema import hide

from core.enums import ProjectStatus
from core.errors import Conflict, ValidationFailed
from core.permissions import Actor
from core.services import projects
from core.views import ProjectView
from dashboards.pages import (
    FormState,
    ProjectEditPage,
    ProjectsPage,
    ProjectSummary,
    render_project_edit,
    render_project_list,
    sentence,
)
from webhooks.runtime import runtime
from webhooks.web.flash import flash
from webhooks.web.guard import protect
from webhooks.web.responses import chrome_for, html, require_session
from webhooks.web.session import WebSession

blueprint = Blueprint("web_projects", __name__)
protect(blueprint)

NEW_PROJECT = "new-project"
EDIT_PROJECT = "edit-project"


@blueprint.get("/projects")
@hide
async def project_list() -> Response:
    session = await require_session()
    return await _list(session)


@blueprint.post("/projects")
@hide
async def create_project() -> Response:
    """A new project; back to the list with messages next to refused fields."""
    session = await require_session()
    form = await request.form
    typed = {name: form.get(name, "") for name in ("key", "name", "description")}
    try:
        project = await projects.create_project(session.actor, **typed)
    except Conflict as exc:
        return await _list(
            session, FormState(NEW_PROJECT, typed, {"key": sentence(exc.message)}), 409
        )
    except ValidationFailed as exc:
        return await _list(session, FormState(NEW_PROJECT, typed, _errors(exc)), 422)
    flash(f"Project {project.key} is created.")
    return redirect(f"/projects/{project.key}", 303)


@blueprint.get("/projects/<key>/edit")
@hide
async def edit_form(key: str) -> Response:
    session = await require_session()
    session.actor.require("project:update")
    project = await projects.get_project(session.actor, key)
    values = {"name": project.name, "description": project.description}
    return await _edit(session, project, FormState(EDIT_PROJECT, values))


@blueprint.post("/projects/<key>/edit")
@hide
async def edit(key: str) -> Response:
    session = await require_session()
    form = await request.form
    typed = {name: form.get(name, "") for name in ("name", "description")}
    try:
        view = await projects.update_project(session.actor, ref=key, **typed)
    except ValidationFailed as exc:
        project = await projects.get_project(session.actor, key)
        return await _edit(session, project, FormState(EDIT_PROJECT, typed, _errors(exc)), 422)
    await runtime().projects.forget(view)
    flash(f"Project {view.key} is saved.")
    return redirect(f"/projects/{view.key}", 303)


@blueprint.post("/projects/<key>/archive")
@hide
async def archive(key: str) -> Response:
    """Archive: its tasks stay readable, it takes no new ones."""
    view = await _set_archived(key, archived=True)
    flash(f"Project {view.key} is archived.")
    return redirect("/projects", 303)


@blueprint.post("/projects/<key>/restore")
@hide
async def restore(key: str) -> Response:
    view = await _set_archived(key, archived=False)
    flash(f"Project {view.key} is restored.")
    return redirect("/projects", 303)


async def _set_archived(key: str, *, archived: bool) -> ProjectView:
    session = await require_session()
    view = await projects.set_archived(session.actor, ref=key, archived=archived)
    await runtime().projects.forget(view)
    return view


async def _list(session: WebSession, form: FormState | None = None, status: int = 200) -> Response:
    actor = session.actor
    chrome = await chrome_for(session, title="Projects", active="projects")
    page = ProjectsPage(
        projects=tuple(await _summaries(actor)),
        can_create=actor.can("project:create"),
        can_update=actor.can("project:update"),
        can_archive=actor.can("project:archive"),
        form=form or FormState(NEW_PROJECT),
    )
    return html(render_project_list(chrome, page), status)


async def _edit(
    session: WebSession, project: ProjectView, form: FormState, status: int = 200
) -> Response:
    chrome = await chrome_for(session, title=f"Edit {project.key}", active="projects")
    page = ProjectEditPage(
        project=project, form=form, can_archive=session.actor.can("project:archive")
    )
    return html(render_project_edit(chrome, page), status)


async def _summaries(actor: Actor) -> list[ProjectSummary]:
    rows = await projects.list_projects(actor, include_archived=True)
    return [
        ProjectSummary(
            key=p.key,
            name=p.name,
            description=p.description,
            archived=p.status is ProjectStatus.ARCHIVED,
        )
        for p in rows
    ]


def _errors(exc: ValidationFailed) -> dict[str, str]:
    return {d.field: sentence(d.message) for d in exc.details} or {"name": sentence(exc.message)}
