"""A TeamFlow app wired to a fake Slack, and requests signed as Slack signs them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from quart import Quart

from core.config import load_settings
from tests.fakes import slack_requests as slack
from tests.fakes import workspace
from tests.fakes.slack_api import Call, FakeSlack
from webhooks.app import create_app

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@dataclass
class Sent:
    status: int
    body: Any


class SlackHarness:
    def __init__(self, app: Quart, fake: FakeSlack) -> None:
        self.app = app
        self.fake = fake
        self.client = app.test_client()
        self._responses = 0

    async def post(
        self,
        body: bytes,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        secret: str = SECRET,
        timestamp: int | None = None,
    ) -> Sent:
        sent = slack.signed_headers(body, content_type, secret=secret, timestamp=timestamp)
        reply = await self.client.post("/slack/events", data=body, headers=sent | (headers or {}))
        raw = await reply.get_data(as_text=True)
        try:
            parsed: Any = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw
        return Sent(reply.status_code, parsed)

    def new_response_url(self) -> tuple[str, str]:
        self._responses += 1
        name = f"r{self._responses}"
        return name, self.fake.response_url(name)

    async def command(
        self,
        text: str,
        *,
        user_id: str = "U1",
        channel_id: str = "C1",
        team_id: str = workspace.TEAM_ID,
    ) -> Call:
        """Run `/task <text>` and return what TeamFlow answered on the response_url."""
        name, url = self.new_response_url()
        body, kind = slack.slash_command(
            text=text, user_id=user_id, channel_id=channel_id, team_id=team_id, response_url=url
        )
        sent = await self.post(body, kind)
        assert sent.status == 200, sent.body
        return (await self.fake.wait_for(f"response_url:{name}"))[-1]

    async def action(self, **kwargs: Any) -> tuple[Sent, str]:
        name, url = self.new_response_url()
        payload = slack.block_action(response_url=url, **kwargs)
        body, kind = slack.interaction(payload)
        return await self.post(body, kind), f"response_url:{name}"

    async def submit(self, payload: dict) -> Sent:
        body, kind = slack.interaction(payload)
        return await self.post(body, kind)


def slack_settings(fake: FakeSlack, **extra: str):
    return load_settings(
        SLACK_BOT_TOKEN=workspace.BOT_TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.base_url,
        TEAMFLOW_RATE_LIMIT_PER_MINUTE=100_000,
        **extra,
    )


def build(fake: FakeSlack, cache, **extra: str) -> SlackHarness:
    return SlackHarness(
        create_app(slack_settings(fake, **extra), cache=cache, manage_database=False), fake
    )


def text_of(call: Call) -> str:
    """Everything a person would read in a message: its text and its blocks, flattened."""
    from bot.blocks import blocks_to_text

    params = call.params
    return f"{params.get('text', '')}\n{blocks_to_text(params.get('blocks') or [])}"
