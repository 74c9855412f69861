"""Signing in and out in a browser: password form, one-time Slack links, and choosing
the organization to act in."""

from __future__ import annotations

import uuid

from quart import Blueprint, Response, redirect, request
from quart_schema import hide

from core.clock import utcnow
from core.errors import NotFound, RateLimited, Unauthenticated
from core.services import magic_links, users
from dashboards.pages import render_login, render_magic_link
from webhooks.login_throttle import LoginThrottle
from webhooks.runtime import runtime
from webhooks.web.flash import flash
from webhooks.web.guard import protect
from webhooks.web.responses import chrome_for, html, require_session, safe_next
from webhooks.web.session import choose_organization, current_session, end_session, start_session

blueprint = Blueprint("web_auth", __name__)
protect(blueprint)

WRONG_PASSWORD = "Email or password is wrong."


@blueprint.get("/")
@hide
async def home() -> Response:
    """The dashboard for a signed-in browser, else the sign-in form."""
    return redirect("/dashboard" if await current_session() else "/login", 303)


@blueprint.get("/login")
@hide
async def login_form() -> Response:
    next_url = safe_next(request.args.get("next"))
    if await current_session() is not None:
        return redirect(next_url, 303)
    chrome = await chrome_for(None, title="Sign in")
    return html(render_login(chrome, next_url=next_url))


@blueprint.post("/login")
@hide
async def login() -> Response:
    """Email and password, throttled like the API's sign-in; starts a cookie session."""
    form = await request.form
    email, password = form.get("email", "").strip(), form.get("password", "")
    next_url = safe_next(form.get("next"))
    throttle = LoginThrottle(runtime().cache, runtime().settings)
    address = request.remote_addr or "unknown"
    try:
        await throttle.check(email=email, address=address)
    except RateLimited as exc:
        return await _login_again(email, next_url, exc.message, status=429)
    user = await users.authenticate(email=email, password=password) if email else None
    if user is None:
        await throttle.failed(email=email, address=address)
        return await _login_again(email, next_url, WRONG_PASSWORD, status=401)
    await throttle.succeeded(email=email)
    organization = await runtime().identity.default_organization(user.id)
    await start_session(user_id=user.id, organization_id=organization)
    return redirect(next_url, 303)


@blueprint.post("/logout")
@hide
async def logout() -> Response:
    await end_session()
    flash("You are signed out.")
    return redirect("/login", 303)


@blueprint.get("/login/magic/<token>")
@hide
async def magic_link_form(token: str) -> Response:
    """Shows a button only: link previews and mail scanners open links, and must not
    use this one up."""
    chrome = await chrome_for(None, title="Sign in from Slack")
    response = html(render_magic_link(chrome, token=token))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blueprint.post("/login/magic/<token>")
@hide
async def magic_link(token: str) -> Response:
    """Spend the link (once, within five minutes) and sign in to its organization."""
    try:
        actor = await magic_links.redeem_magic_link(token, now=utcnow())
    except Unauthenticated as exc:
        chrome = await chrome_for(None, title="Sign in from Slack")
        response = html(render_magic_link(chrome, token=token, error=exc.message), 401)
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
    await start_session(user_id=actor.user_id, organization_id=actor.organization_id)
    return redirect("/dashboard", 303)


@blueprint.post("/session/organization")
@hide
async def switch_organization() -> Response:
    """Act in another of your organizations from now on."""
    session = await require_session()
    try:
        wanted = uuid.UUID(str((await request.form).get("organization_id", "")))
    except ValueError:
        raise NotFound("No such organization") from None
    actor = await runtime().identity.actor_for(session.actor.user_id, wanted)
    choose_organization(actor.organization_id)
    return redirect("/dashboard", 303)


async def _login_again(email: str, next_url: str, error: str, *, status: int) -> Response:
    chrome = await chrome_for(None, title="Sign in")
    return html(render_login(chrome, email=email, error=error, next_url=next_url), status)
