"""`/slack/events`: slash commands, interactivity and the Events API at one URL;
`/slack/install` and `/slack/oauth_redirect`: the multi-workspace install (OAuth).

There is no Quart adapter in slack-bolt; this converts a Quart request into a Bolt
request (raw body, so the signature check sees the exact bytes Slack signed) and back.
"""

from __future__ import annotations

import json

from quart import Blueprint, Quart, Response, current_app, request
from quart_schema import hide
from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier
from werkzeug.datastructures import Headers

from webhooks.errors import error_response
from webhooks.runtime import runtime

EVENT_MEMORY_SECONDS = 3600

blueprint = Blueprint("slack", __name__)
EXTENSION_KEY = "teamflow_slack"


def attach(app: Quart, bolt: AsyncApp | None) -> None:
    app.extensions[EXTENSION_KEY] = bolt


@blueprint.post("/slack/events")
@hide
async def slack_events() -> Response:
    bolt: AsyncApp | None = current_app.extensions.get(EXTENSION_KEY)
    if bolt is None or not runtime().settings.slack_signing_secret:
        # Without a signing secret (Socket Mode only) nothing over HTTP can be trusted.
        return error_response(404, "NOT_FOUND", "Slack over HTTP is not configured on this server")
    raw = await request.get_data()
    body = raw.decode("utf-8")
    if await _already_seen(raw):
        # Slack retries an event it thinks we missed (X-Slack-Retry-Num); do it only once.
        return Response("", status=200)
    bolt_response = await bolt.async_dispatch(_bolt_request(body))
    if bolt_response.status == 401:
        return error_response(401, "UNAUTHORIZED", "The Slack signature is missing, wrong or stale")
    return _quart_response(bolt_response)


@blueprint.get("/slack/install")
@hide
async def slack_install() -> Response:
    """Sends the browser to Slack's consent screen, with a state it must bring back."""
    flow = _oauth_flow()
    if flow is None:
        return _install_not_configured()
    return _quart_response(await flow.handle_installation(_bolt_request("")))


@blueprint.get("/slack/oauth_redirect")
@hide
async def slack_oauth_redirect() -> Response:
    """Where Slack sends the installer back: Bolt checks the state and stores the token."""
    flow = _oauth_flow()
    if flow is None:
        return _install_not_configured()
    return _quart_response(await flow.handle_callback(_bolt_request("")))


def _oauth_flow() -> AsyncOAuthFlow | None:
    bolt: AsyncApp | None = current_app.extensions.get(EXTENSION_KEY)
    return bolt.oauth_flow if bolt is not None else None


def _install_not_configured() -> Response:
    return error_response(
        404, "NOT_FOUND", "Installing into Slack workspaces is not configured on this server"
    )


def _bolt_request(body: str) -> AsyncBoltRequest:
    return AsyncBoltRequest(
        body=body, query=request.query_string.decode(), headers=dict(request.headers)
    )


def _quart_response(bolt_response: BoltResponse) -> Response:
    """Every header Bolt set, each Set-Cookie on its own line (the install flow's state)."""
    headers = Headers()
    for name, values in bolt_response.headers.items():
        for value in values:
            headers.add(name, value)
    return Response(bolt_response.body, status=bolt_response.status, headers=headers)


async def _already_seen(raw: bytes) -> bool:
    """True for a correctly signed Events API delivery whose event_id was handled before."""
    if request.mimetype != "application/json":
        return False
    try:
        event_id = json.loads(raw).get("event_id")
    except (ValueError, AttributeError):
        return False
    secret = runtime().settings.slack_signing_secret
    if not event_id or not secret:
        return False
    verifier = SignatureVerifier(secret)
    if not verifier.is_valid(
        raw,
        request.headers.get("X-Slack-Request-Timestamp", ""),
        request.headers.get("X-Slack-Signature", ""),
    ):
        return False  # Bolt answers 401 for it
    first = await runtime().cache.set_if_absent(
        f"slack:event:{event_id}", "1", ttl=EVENT_MEMORY_SECONDS
    )
    return not first
