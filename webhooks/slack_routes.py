"""`/slack/events`: slash commands, interactivity and the Events API at one URL;
`/slack/install` and `/slack/oauth_redirect`: the multi-workspace install (OAuth).

There is no Quart adapter in slack-bolt; this converts a Quart request into a Bolt
request (raw body, so the signature check sees the exact bytes Slack signed) and back.
The signature is checked here first (webhooks/slack_signatures.py), so a malformed one
is refused with a 401 and a request seen before is acknowledged without running again.
"""

from __future__ import annotations

import logging

from quart import Blueprint, Quart, Response, current_app, request
from quart_schema import hide
from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.response import BoltResponse
from werkzeug.datastructures import Headers

from webhooks import slack_signatures as signatures
from webhooks.errors import error_response
from webhooks.runtime import runtime

log = logging.getLogger(__name__)

blueprint = Blueprint("slack", __name__)
EXTENSION_KEY = "teamflow_slack"


def attach(app: Quart, bolt: AsyncApp | None) -> None:
    app.extensions[EXTENSION_KEY] = bolt


@blueprint.post("/slack/events")
@hide
async def slack_events() -> Response:
    bolt: AsyncApp | None = current_app.extensions.get(EXTENSION_KEY)
    secret = runtime().settings.slack_signing_secret
    if bolt is None or not secret:
        # Without a signing secret (Socket Mode only) nothing over HTTP can be trusted.
        return error_response(404, "NOT_FOUND", "Slack over HTTP is not configured on this server")
    raw = await request.get_data()
    body = raw.decode("utf-8")
    refused = await _refused_or_repeated(body, secret=secret)
    if refused is not None:
        return refused
    bolt_response = await bolt.async_dispatch(_bolt_request(body))
    if bolt_response.status == 401:
        return error_response(401, "UNAUTHORIZED", signatures.MISSING_OR_WRONG)
    return _quart_response(bolt_response)


async def _refused_or_repeated(body: str, *, secret: str) -> Response | None:
    """A 401 for a bad signature, an empty 200 for a request seen before, else None."""
    if signatures.is_ssl_check(body, request.mimetype):
        return None
    try:
        signature = signatures.verify(body, request.headers, secret=secret)
    except signatures.SignatureRefused as exc:
        return error_response(401, "UNAUTHORIZED", str(exc))
    if await signatures.first_sight(runtime().cache, body, request.mimetype, signature=signature):
        return None
    # A captured request replayed within Slack's window, or Slack's retry of an event
    # handled already: acknowledged, not run again.
    log.info("repeated Slack request acknowledged and not run again")
    return Response("", status=200)


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
