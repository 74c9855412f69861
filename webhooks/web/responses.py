"""What every web route needs: the signed-in session or a sign-in redirect, the page
frame (header, organization switcher, form token, notice), and HTML responses."""

from __future__ import annotations

from quart import Response, request

from core.services import organizations, users
from dashboards.pages import Chrome, OrganizationChoice
from webhooks.web.csrf import csrf_token
from webhooks.web.flash import take_flash
from webhooks.web.session import WebSession, current_session

HTML = "text/html; charset=utf-8"


class SignInRequired(Exception):
    """The page needs a signed-in person; the browser is sent to /login."""


async def require_session() -> WebSession:
    session = await current_session()
    if session is None:
        raise SignInRequired()
    return session


async def chrome_for(
    session: WebSession | None, *, title: str, active: str = "", live: bool = False
) -> Chrome:
    """The frame of a page for this session (signed out when None)."""
    notice = take_flash()
    if session is None:
        return Chrome(title=title, csrf_token=csrf_token(), notice=notice)
    actor = session.actor
    user = await users.get_user(actor.user_id)
    mine = await organizations.list_organizations_for_user(actor.user_id)
    return Chrome(
        title=title,
        csrf_token=csrf_token(),
        user_name=user.name,
        role=actor.role.value,
        organization_id=str(actor.organization_id),
        organizations=tuple(
            OrganizationChoice(id=str(org.id), name=org.name, role=role.value) for org, role in mine
        ),
        active=active,
        notice=notice,
        live=live,
    )


def html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type=HTML)


def safe_next(target: str | None, default: str = "/dashboard") -> str:
    """Only a path on this site: never `//evil.example` or an absolute URL."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def wants_json() -> bool:
    return request.path.endswith(".json")
