"""The admin area: members and roles, Slack, digest schedules, webhook endpoints with
their delivery log and replay, outbound webhooks, API tokens.

Each form calls the same service the REST API calls, so the permission matrix in
core/permissions.py decides here too: a viewer or member who posts a role change gets
the service's refusal as a 403 page.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from quart import Blueprint, Response, redirect, request
from quart_schema import hide

from core.enums import Role
from core.errors import Conflict, ValidationFailed
from core.services import members, tokens, webhook_deliveries
from dashboards.pages import render_admin
from webhooks.inbound import actions_of
from webhooks.runtime import runtime
from webhooks.web.admin_data import admin_page
from webhooks.web.flash import flash
from webhooks.web.guard import protect
from webhooks.web.responses import chrome_for, html, require_session

blueprint = Blueprint("web_admin", __name__)
protect(blueprint)

ADMIN = "/admin"


@blueprint.get("/admin")
@hide
async def admin() -> Response:
    session = await require_session()
    chrome = await chrome_for(session, title="Admin", active="admin")
    return html(render_admin(chrome, await admin_page(session.actor)))


@blueprint.post("/admin/members/<uuid:user_id>/role")
@hide
async def change_role(user_id: uuid.UUID) -> Response:
    session = await require_session()
    role = _role((await request.form).get("role", ""))
    if role is None:
        flash("Choose owner, admin, member or viewer.", kind="error")
        return redirect(ADMIN, 303)
    try:
        member = await members.change_role(session.actor, user_id=user_id, role=role)
    except (Conflict, ValidationFailed) as exc:
        flash(exc.message, kind="error")
        return redirect(ADMIN, 303)
    await runtime().identity.forget_membership(user_id, session.actor.organization_id)
    flash(f"{member.user.name} is now {role.value}.")
    return redirect(ADMIN, 303)


@blueprint.post("/admin/webhook-deliveries/<uuid:delivery_id>/replay")
@hide
async def replay(delivery_id: uuid.UUID) -> Response:
    """Process a failed (or ignored) inbound delivery again."""
    session = await require_session()
    try:
        view = await webhook_deliveries.replay_delivery(session.actor, delivery_id, actions_of)
    except Conflict as exc:
        flash(exc.message, kind="error")
        return redirect(ADMIN, 303)
    outcome = f"Replayed delivery {view.delivery_id}: {view.status}"
    flash(outcome + (f" ({view.error})" if view.error else "."), kind=_kind(view.status))
    return redirect(ADMIN + "#endpoints-heading", 303)


@blueprint.post("/admin/api-tokens")
@hide
async def create_token() -> Response:
    """A new API token, shown once on the page this answers with."""
    session = await require_session()
    form = await request.form
    role = _role(form.get("role", ""))
    try:
        if role is None:
            raise ValidationFailed.on("role", "Choose a role for the token")
        secret, _ = await tokens.create_api_token(
            session.actor,
            name=form.get("name", ""),
            role=role,
            expires_at=_end_of(form.get("expires_on", "")),
        )
    except ValidationFailed as exc:
        flash(exc.message, kind="error")
        return redirect(ADMIN + "#tokens-heading", 303)
    chrome = await chrome_for(session, title="Admin", active="admin")
    page = await admin_page(session.actor, new_token=secret)
    return html(render_admin(chrome, page), 201)


@blueprint.post("/admin/api-tokens/<uuid:token_id>/revoke")
@hide
async def revoke_token(token_id: uuid.UUID) -> Response:
    session = await require_session()
    view = await tokens.revoke_api_token(session.actor, token_id=token_id)
    await runtime().identity.forget_api_token(token_id)
    flash(f"Token {view.name} is revoked.")
    return redirect(ADMIN + "#tokens-heading", 303)


def _role(raw: str) -> Role | None:
    try:
        return Role(raw.strip().lower())
    except ValueError:
        return None


def _end_of(raw: str) -> datetime | None:
    """`2026-03-01` -> the end of that day (UTC); blank -> never expires."""
    if not raw.strip():
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationFailed.on("expires_on", f"`{raw}` is not a date") from None
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def _kind(status: str) -> str:
    return "error" if status == "failed" else "success"
