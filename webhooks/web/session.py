"""Browser sessions: the API's own access JWT and refresh token, held in cookies.

Both cookies are httpOnly and SameSite=Lax (Secure when TEAMFLOW_BASE_URL is https), so
page scripts never see a token and other sites cannot send them on a cross-site POST.
When the access token has expired and the refresh token is still good, a page request
rotates the pair transparently. A chosen organization lives in its own cookie; every
request checks the membership again, so editing that cookie reaches nothing.

Two requests of one page may find the access token expired at the same moment and both
present the same refresh token. The API would call the second a reuse and revoke the
sign-in; here a per-token lock and a short-lived memo of the rotation's result give the
second request the same new pair instead.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from quart import Response, g, request

from core.cache import LockNotAcquired
from core.enums import Source
from core.errors import DomainError, NotFound, Unauthenticated
from core.permissions import Actor
from core.services import tokens
from webhooks.runtime import Runtime, runtime

ACCESS_COOKIE = "tf_access"
REFRESH_COOKIE = "tf_refresh"
ORGANIZATION_COOKIE = "tf_org"
ROTATION_GRACE_SECONDS = 20.0
ROTATION_LOCK_SECONDS = 10.0


@dataclass(frozen=True)
class WebSession:
    """Who is signed in, and in which organization they act on this request."""

    actor: Actor
    access_token: str


@dataclass
class PendingCookies:
    """Cookies a route decided to set or clear; written onto the response afterwards."""

    to_set: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    to_clear: set[str] = field(default_factory=set)


async def actor_from_cookies(cookies: Mapping[str, str]) -> Actor | None:
    """The actor of a valid access cookie (no refresh), or None.

    Works wherever the app context is active, a WebSocket handler included
    (`await actor_from_cookies(websocket.cookies)`).
    """
    token = cookies.get(ACCESS_COOKIE)
    if not token:
        return None
    try:
        return await _actor_for_access(runtime(), token, cookies.get(ORGANIZATION_COOKIE))
    except DomainError:
        return None


async def current_session() -> WebSession | None:
    """The signed-in session of this request (rotating an expired access token), or None."""
    if "web_session" in g:
        return g.web_session
    g.web_session = await _resolve()
    return g.web_session


async def start_session(*, user_id: uuid.UUID, organization_id: uuid.UUID | None) -> None:
    """Sign in: a new refresh token (a new sign-in family) and access token, as cookies."""
    rt = runtime()
    refresh = await tokens.issue_refresh_token(
        user_id, ttl=_refresh_ttl(rt), user_agent=_user_agent()
    )
    access = rt.access_tokens.issue(user_id, organization_id=organization_id)
    _store(rt, access=access, refresh=refresh)
    if organization_id is not None:
        choose_organization(organization_id)
    else:
        pending_cookies().to_clear.add(ORGANIZATION_COOKIE)
    g.web_session = None


async def end_session() -> None:
    """Sign out: revoke the access token now and the refresh token's whole sign-in."""
    rt = runtime()
    access = request.cookies.get(ACCESS_COOKIE)
    if access:
        try:
            claims = rt.access_tokens.read(access)
            left = (claims.expires_at - datetime.now(UTC)).total_seconds()
            await rt.identity.revoke_access_token(claims.token_id, seconds_left=left)
        except Unauthenticated:
            pass  # already expired or forged: nothing to revoke
    refresh = request.cookies.get(REFRESH_COOKIE)
    if refresh:
        await tokens.revoke_refresh_family(refresh)
    pending_cookies().to_clear.update({ACCESS_COOKIE, REFRESH_COOKIE, ORGANIZATION_COOKIE})
    g.web_session = None


def choose_organization(organization_id: uuid.UUID) -> None:
    """Act in this organization from the next request on (membership is checked then)."""
    lifetime = int(_refresh_ttl(runtime()).total_seconds())
    pending_cookies().to_set[ORGANIZATION_COOKIE] = (str(organization_id), lifetime)


def pending_cookies() -> PendingCookies:
    if "web_cookies" not in g:
        g.web_cookies = PendingCookies()
    return g.web_cookies


def write_cookies(response: Response) -> Response:
    """Apply the cookies this request decided on (an after_request hook)."""
    pending = g.get("web_cookies")
    if pending is None:
        return response
    secure = runtime().settings.base_url.lower().startswith("https://")
    for name, (value, max_age) in pending.to_set.items():
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/",
            secure=secure,
            httponly=True,
            samesite="Lax",
        )
    for name in pending.to_clear - pending.to_set.keys():
        response.delete_cookie(name, path="/", secure=secure, httponly=True, samesite="Lax")
    return response


async def _resolve() -> WebSession | None:
    rt = runtime()
    wanted = request.cookies.get(ORGANIZATION_COOKIE)
    access = request.cookies.get(ACCESS_COOKIE)
    if access:
        try:
            actor = await _actor_for_access(rt, access, wanted)
            return WebSession(actor=actor, access_token=access)
        except NotFound:
            return None  # a member of no organization at all
        except Unauthenticated:
            pass  # expired (or revoked): try the refresh token
    refresh = request.cookies.get(REFRESH_COOKIE)
    if not refresh:
        return None
    try:
        access = await _rotate(rt, refresh)
        return WebSession(actor=await _actor_for_access(rt, access, wanted), access_token=access)
    except LockNotAcquired:
        return None  # another request is stuck rotating this token; keep the cookies
    except DomainError:
        pending_cookies().to_clear.update({ACCESS_COOKIE, REFRESH_COOKIE})
        return None


async def _rotate(rt: Runtime, refresh: str) -> str:
    """A new access token from the refresh cookie; sets both new cookies."""
    digest = hashlib.sha256(refresh.encode()).hexdigest()
    memo_key = f"web:rotated:{digest}"
    async with rt.cache.lock(
        f"web:rotate:{digest}", timeout=ROTATION_LOCK_SECONDS, blocking_timeout=5.0
    ):
        memo = await rt.cache.get(memo_key)
        if memo is not None:
            pair = json.loads(memo)
        else:
            user_id, new_refresh = await tokens.rotate_refresh_token(
                refresh, ttl=_refresh_ttl(rt), user_agent=_user_agent()
            )
            organization = await rt.identity.default_organization(user_id)
            pair = {
                "access": rt.access_tokens.issue(user_id, organization_id=organization),
                "refresh": new_refresh,
            }
            await rt.cache.set(memo_key, json.dumps(pair), ttl=ROTATION_GRACE_SECONDS)
    _store(rt, access=pair["access"], refresh=pair["refresh"])
    return pair["access"]


async def _actor_for_access(rt: Runtime, access: str, wanted: str | None) -> Actor:
    claims = rt.access_tokens.read(access)
    if await rt.identity.access_token_revoked(claims.token_id):
        raise Unauthenticated("The session was signed out")
    chosen = _uuid(wanted)
    if chosen is not None:
        try:
            return (await rt.identity.actor_for(claims.user_id, chosen)).via(Source.WEB)
        except NotFound:
            pending_cookies().to_clear.add(ORGANIZATION_COOKIE)  # no longer a member there
    organization = claims.organization_id
    if organization is not None:
        try:
            return (await rt.identity.actor_for(claims.user_id, organization)).via(Source.WEB)
        except NotFound:
            pass
    organization = await rt.identity.default_organization(claims.user_id)
    if organization is None:
        raise NotFound("You are not a member of any organization yet")
    return (await rt.identity.actor_for(claims.user_id, organization)).via(Source.WEB)


def _store(rt: Runtime, *, access: str, refresh: str) -> None:
    cookies = pending_cookies()
    cookies.to_set[ACCESS_COOKIE] = (access, int(rt.access_tokens.lifetime.total_seconds()))
    cookies.to_set[REFRESH_COOKIE] = (refresh, int(_refresh_ttl(rt).total_seconds()))


def _refresh_ttl(rt: Runtime) -> timedelta:
    return timedelta(days=rt.settings.refresh_token_days)


def _user_agent() -> str:
    return request.headers.get("User-Agent", "")[:255]


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None
