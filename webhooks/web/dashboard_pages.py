"""The manager dashboard: `/dashboard` (the page) and `/dashboard/data.json` (the same
numbers, which the page's script fetches to redraw after a filter change or a live
update). The numbers come from `dashboards.analytics`, computed in SQL."""

from __future__ import annotations

from collections.abc import Mapping

from quart import Blueprint, Response, jsonify, request
from quart_schema import hide

from core.clock import utcnow
from core.errors import ValidationFailed
from core.permissions import Actor
from core.services import members, organizations, projects
from dashboards import analytics
from dashboards.pages import DashboardView, Option, dashboard_payload, render_dashboard
from webhooks.web.dashboard_filters import FilterChoice, parse_filters
from webhooks.web.guard import protect
from webhooks.web.responses import chrome_for, html, require_session

blueprint = Blueprint("web_dashboard", __name__)
protect(blueprint)


@blueprint.get("/dashboard")
@hide
async def dashboard() -> Response:
    """Charts and tables for the filters in the query string (defaults: last 28 days)."""
    session = await require_session()
    chrome = await chrome_for(session, title="Dashboard", active="dashboard", live=True)
    try:
        view = await _view(session.actor, request.args)
    except ValidationFailed as exc:
        view = await _view(session.actor, {}, problem=exc.message)
    return html(render_dashboard(chrome, view))


@blueprint.get("/dashboard/data.json")
@hide
async def dashboard_data() -> Response | tuple[Response, int]:
    """The dashboard's numbers as JSON, for the same filters as the page."""
    session = await require_session()
    try:
        view = await _view(session.actor, request.args)
    except ValidationFailed as exc:
        return jsonify({"error": {"status": 422, "message": exc.message}}), 422
    return jsonify(dashboard_payload(view.board))


async def _view(
    actor: Actor, args: Mapping[str, str], *, problem: str | None = None
) -> DashboardView:
    now = utcnow()
    organization = await organizations.get_organization(actor)
    project_list = await projects.list_projects(actor, include_archived=True)
    member_list = await members.list_members(actor)
    defaults = analytics.default_filters(now, organization.timezone)
    choice = parse_filters(
        args,
        default_start=defaults.start,
        default_end=defaults.end,
        projects=project_list,
        members=member_list,
    )
    board = await analytics.manager_dashboard(
        actor, _analytics_filters(choice, organization.timezone), now=now
    )
    return DashboardView(
        board=board,
        projects=tuple(Option(p.key, f"{p.key} · {p.name}") for p in project_list),
        assignees=tuple(Option(str(m.user.id), m.user.name) for m in member_list),
        project=choice.project.key if choice.project else "",
        assignee=str(choice.assignee.user.id) if choice.assignee else "",
        problem=problem,
    )


def _analytics_filters(choice: FilterChoice, timezone: str) -> analytics.DashboardFilters:
    return analytics.DashboardFilters(
        start=choice.start,
        end=choice.end,
        timezone=timezone,
        project_id=choice.project.id if choice.project else None,
        assignee_id=choice.assignee.user.id if choice.assignee else None,
        bucket=choice.bucket,
    )
