"""`/live`: a WebSocket that pushes an organization's changes to its open pages.

The page's session cookie says who is looking; the socket then carries every event the
live relay (core.services.live_feed) publishes on `live:<organization id>`, as sent,
one JSON text message each. The subscription is in place before the socket is
accepted, so a page that sees the socket open misses no later change. A
`{"kind": "ping"}` message every 20 seconds keeps proxies from closing an idle socket,
and each ping checks the session again: signed out, the socket closes with 4401.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from quart import Blueprint, current_app, websocket

from core.cache import Subscription
from core.permissions import Actor
from core.services import live_feed
from webhooks.runtime import runtime
from webhooks.web.session import actor_from_cookies

log = logging.getLogger(__name__)
blueprint = Blueprint("live", __name__)

PING_SECONDS = 20.0
PING_SECONDS_CONFIG = "TEAMFLOW_LIVE_PING_SECONDS"  # tests shorten it on their app
PING = json.dumps({"kind": "ping"})
NOT_SIGNED_IN = 4401  # the 4000s are the application's: 4401 mirrors HTTP 401
SERVER_ERROR = 1011


@blueprint.websocket("/live")
async def live() -> None:
    actor = await _signed_in()
    if actor is None:
        await websocket.close(NOT_SIGNED_IN, "Sign in to see live updates")
        return
    try:
        channel = live_feed.channel(actor.organization_id)
        async with runtime().cache.subscribe(channel) as subscription:
            await websocket.accept()
            await _serve(subscription, actor)
    except Exception:  # the cache went away: the page reconnects with backoff
        log.exception("live feed closed on an error")
        with contextlib.suppress(Exception):
            await websocket.close(SERVER_ERROR)


async def _serve(subscription: Subscription, actor: Actor) -> None:
    """Forward until the page goes away (Quart then cancels this handler) or signs out."""
    discard = asyncio.create_task(_discard_incoming())
    try:
        await _forward(subscription, actor)
    finally:
        discard.cancel()
        await asyncio.gather(discard, return_exceptions=True)


async def _forward(subscription: Subscription, actor: Actor) -> None:
    loop = asyncio.get_running_loop()
    every = float(current_app.config.get(PING_SECONDS_CONFIG, PING_SECONDS))
    last_sent = loop.time()
    while True:
        message = await subscription.get(timeout=max(0.0, last_sent + every - loop.time()))
        if message is not None:
            await websocket.send(message.data)
        elif loop.time() - last_sent < every:
            continue
        elif not _same_person(await _signed_in(), actor):
            await websocket.close(NOT_SIGNED_IN, "Signed out")
            return
        else:
            await websocket.send(PING)
        last_sent = loop.time()


async def _discard_incoming() -> None:
    """The page has nothing to say; read what it sends anyway so nothing piles up."""
    while True:
        await websocket.receive()


async def _signed_in() -> Actor | None:
    return await actor_from_cookies(websocket.cookies)


def _same_person(now: Actor | None, then: Actor) -> bool:
    return now is not None and (now.user_id, now.organization_id) == (
        then.user_id,
        then.organization_id,
    )
