"""/api/v1/auth: register, login, refresh (rotating), logout, me."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quart import Blueprint, request
from quart_schema import security_scheme, tag, validate_request, validate_response

from core.errors import PermissionDenied, Unauthenticated
from core.services import organizations, tokens, users
from core.views import UserView
from webhooks.api.inputs import LoginIn, LogoutIn, RefreshIn, RegisterIn
from webhooks.api.outputs import Empty, MeOut, OrganizationOut, SessionOut, UserOut
from webhooks.auth.caller import current_caller
from webhooks.envelope import Envelope, ok
from webhooks.login_throttle import LoginThrottle
from webhooks.runtime import runtime

blueprint = Blueprint("auth", __name__, url_prefix="/api/v1/auth")


@blueprint.post("/register")
@tag(["auth"])
@security_scheme([])
@validate_request(RegisterIn)
@validate_response(Envelope[SessionOut], 201)
async def register(data: RegisterIn) -> tuple[dict, int]:
    """Create an account and its organization (with the account as owner); signs in."""
    if not runtime().settings.allow_registration:
        raise PermissionDenied("Registration is switched off on this server")
    user = await users.create_user(
        email=data.email, name=data.name, password=data.password, timezone=data.timezone
    )
    org, _ = await organizations.create_organization(
        owner_id=user.id, name=data.organization_name, timezone=data.timezone
    )
    return ok(await _session(user, org.id)), 201


@blueprint.post("/login")
@tag(["auth"])
@security_scheme([])
@validate_request(LoginIn)
@validate_response(Envelope[SessionOut], 200)
async def login(data: LoginIn) -> dict:
    """Exchange email and password for an access token and a refresh token."""
    throttle = LoginThrottle(runtime().cache, runtime().settings)
    address = request.remote_addr or "unknown"
    await throttle.check(email=data.email, address=address)
    user = await users.authenticate(email=data.email, password=data.password)
    if user is None:
        await throttle.failed(email=data.email, address=address)
        raise Unauthenticated("Email or password is wrong")
    await throttle.succeeded(email=data.email)
    return ok(await _session(user, await runtime().identity.default_organization(user.id)))


@blueprint.post("/refresh")
@tag(["auth"])
@security_scheme([])
@validate_request(RefreshIn)
@validate_response(Envelope[SessionOut], 200)
async def refresh(data: RefreshIn) -> dict:
    """Trade a refresh token for a new pair. Each refresh token works once; reusing one
    revokes every token of that sign-in."""
    rt = runtime()
    user_id, new_refresh = await tokens.rotate_refresh_token(
        data.refresh_token, ttl=_refresh_ttl(), user_agent=_user_agent()
    )
    user = await users.get_user(user_id)
    org = await rt.identity.default_organization(user.id)
    return ok(_session_body(user, org, new_refresh))


@blueprint.post("/logout")
@tag(["auth"])
@validate_request(LogoutIn)
@validate_response(Envelope[Empty], 200)
async def logout(data: LogoutIn) -> dict:
    """Revoke this access token now and, when given, the refresh token's whole sign-in."""
    caller = await current_caller()
    if caller.claims is not None:
        left = (caller.claims.expires_at - datetime.now(UTC)).total_seconds()
        await runtime().identity.revoke_access_token(caller.claims.token_id, seconds_left=left)
    if data.refresh_token:
        await tokens.revoke_refresh_family(data.refresh_token)
    return ok(Empty())


@blueprint.get("/me")
@tag(["auth"])
@validate_response(Envelope[MeOut], 200)
async def me() -> dict:
    """Who the token belongs to, and the organizations they can act in."""
    caller = await current_caller()
    user = await users.get_user(caller.user_id)
    mine = await organizations.list_organizations_for_user(caller.user_id)
    if caller.token_actor is not None:
        mine = [(org, role) for org, role in mine if org.id == caller.token_actor.organization_id]
        mine = [(org, caller.token_actor.role) for org, _ in mine]
    return ok(
        MeOut(
            user=UserOut.of(user),
            organizations=[OrganizationOut.of(org, role.value) for org, role in mine],
            via="api_token" if caller.token_actor is not None else "access_token",
        )
    )


async def _session(user: UserView, organization_id) -> SessionOut:
    refresh_token = await tokens.issue_refresh_token(
        user.id, ttl=_refresh_ttl(), user_agent=_user_agent()
    )
    return _session_body(user, organization_id, refresh_token)


def _session_body(user: UserView, organization_id, refresh_token: str) -> SessionOut:
    rt = runtime()
    return SessionOut(
        access_token=rt.access_tokens.issue(user.id, organization_id=organization_id),
        refresh_token=refresh_token,
        expires_in=int(rt.access_tokens.lifetime.total_seconds()),
        user=UserOut.of(user),
        organization_id=organization_id,
    )


def _refresh_ttl() -> timedelta:
    return timedelta(days=runtime().settings.refresh_token_days)


def _user_agent() -> str:
    return request.headers.get("User-Agent", "")[:255]
