"""Socket Mode: the same listeners, driven over a WebSocket instead of HTTP."""

import asyncio
import json

import websockets

from core.config import load_settings
from tests.e2e.slack_harness import text_of
from tests.fakes import workspace
from tests.fakes.slack_requests import slash_command
from webhooks.app import create_app


async def test_a_slash_command_over_socket_mode(db, app_cache, fake_slack):
    acks: list[dict] = []
    response_url = fake_slack.response_url("sock")
    body, _ = slash_command(text="add Over the socket", response_url=response_url)
    from urllib.parse import parse_qsl

    payload = dict(parse_qsl(body.decode()))

    async def slack_side(ws):
        await ws.send(
            json.dumps(
                {
                    "envelope_id": "e1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": payload,
                }
            )
        )
        async for message in ws:
            acks.append(json.loads(message))

    server = await websockets.serve(slack_side, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    fake_slack.socket_url = f"ws://127.0.0.1:{port}/link"
    settings = load_settings(
        SLACK_BOT_TOKEN=workspace.BOT_TOKEN,
        SLACK_APP_TOKEN="xapp-test",
        SLACK_SIGNING_SECRET="",
        SLACK_API_URL=fake_slack.base_url,
    )
    app = create_app(
        settings.model_copy(update={"slack_signing_secret": None}),
        cache=app_cache,
        manage_database=False,
    )
    try:
        async with app.test_app():
            reply = (await fake_slack.wait_for("response_url:sock"))[-1]
            assert "INBOX-1" in text_of(reply) and "Over the socket" in text_of(reply)
            for _ in range(50):
                if acks:
                    break
                await asyncio.sleep(0.05)
            assert acks and acks[0]["envelope_id"] == "e1"
            http = await app.test_client().post("/slack/events", data=body)
            assert http.status_code == 404, "no signing secret: nothing is trusted over HTTP"
    finally:
        server.close()
        await server.wait_closed()
